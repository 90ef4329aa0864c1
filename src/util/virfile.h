/* virfile.h: file helpers: atomic replace, bounded reads */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

/*
 * Replace @path with @len bytes of @data atomically and durably: write a
 * temporary file in the same directory, fsync it, rename it over @path,
 * fsync the directory. A crash at any instant leaves either the old file
 * or the new one. Returns 0, or -1 with a SYSTEM_ERROR reported.
 */
int virFileWriteAtomic(const char *path, const char *data, size_t len, mode_t mode);

/* The same; with @durable false the fsyncs are skipped: the replacement is
 * still atomic for every process (a crash or SIGKILL of the writer leaves
 * the old or the new file), but not across a power loss. */
int virFileWriteAtomicFull(const char *path, const char *data, size_t len, mode_t mode,
                           bool durable);

/*
 * A new private scratch file: @prefix (a path: "<dir>/qemu.mem.",
 * "<target>.vksave-") followed by six characters that make the name new,
 * opened with @flags | O_CLOEXEC (@flags: O_RDWR or O_WRONLY), mode 0600
 * less the umask; when @uid is not (uid_t)-1 it is then given to
 * @uid:@gid (a file another user, QEMU's, opens by its name).
 * Returns the descriptor and sets *@path to the name (caller frees; the
 * caller closes the descriptor and removes or renames the file). On
 * failure returns -1 with errno set, leaves *@path untouched and no file
 * behind (one it created is removed again). Reports nothing: each caller
 * words the failure as the API it serves does.
 */
int virFileMakeTempPrivate(const char *prefix, int flags, uid_t uid, gid_t gid,
                           char **path);

/* Read a whole file of at most @maxlen bytes into *buf (NUL-terminated).
 * Returns its length, or -1 with an error reported (SYSTEM_ERROR, or
 * INVALID_ARG when the file is larger than @maxlen). */
ssize_t virFileReadAll(const char *path, size_t maxlen, char **buf);

/* mkdir -p with @mode; 0 or -1 (SYSTEM_ERROR reported). */
int virFileMakePath(const char *path, mode_t mode);

/* fsync directory @dir (what makes a rename or an unlink in it durable),
 * for a caller that goes on if it fails: reports nothing, returns 0 or the
 * errno value. A filesystem that cannot sync directories (EINVAL) counts
 * as done. */
int virFileSyncDirQuiet(const char *dir);

/* unlink + fsync the directory; ENOENT is not an error. 0 or -1. */
int virFileRemoveDurable(const char *path);
/* The same, for a caller that goes on if it fails: reports nothing,
 * returns 0 or the errno value. */
int virFileRemoveDurableQuiet(const char *path);

/* Whether @name is "." + <base ending with @suffix> + "." + 6 characters,
 * the name g_mkstemp gives virFileWriteAtomicFull's temporary file. */
bool virFileIsAtomicLeftover(const char *name, const char *suffix);
/* Remove the temporary files that virFileWriteAtomic leaves in @dir when
 * its writer dies (SIGKILL, power loss) between creating one and renaming
 * it: ".<base>.XXXXXX" where <base> ends with @suffix (".xml"). Only for a
 * directory nobody else writes into at that moment (a daemon at startup,
 * holding its lock). Returns how many were removed (a failed unlink is
 * logged and skipped). */
int virFileRemoveAtomicLeftovers(const char *dir, const char *suffix);
