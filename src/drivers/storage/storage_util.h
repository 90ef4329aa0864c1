/* storage_util.h: host-side helpers of the storage backends: probing files, qemu-img */
#pragma once

#include "storage_conf.h"

/* Extended attribute recording a volume's format when virtkit wrote it, so
 * that a later refresh (a daemon restart) never reads the guest-written
 * content of a raw volume as another format's header. */
#define VIR_STORAGE_FORMAT_XATTR "user.virtkit.format"

/*
 * Fill @vol (path set) from the host: type, format (the recorded one when
 * virtkit created the file, else probed from the header as libvirt does,
 * never following a backing file), capacity, allocation, physical,
 * permissions, timestamps, qcow2 details and backing store. Returns 0,
 * -2 when the entry is not a volume (a symlink, socket, fifo, vanished
 * file: libvirt skips those), or -1 with the error reported.
 */
int virStorageVolProbe(virStorageVolDef *vol);

/* Record @format on @path (VIR_STORAGE_FORMAT_XATTR); a file system
 * without user xattrs is tolerated (nothing reported). */
void virStorageVolRecordFormat(const char *path, int format);

/* Run @argv (argv[0] searched in PATH; LC_ALL=C); 0 with its stdout in
 * @output (if not NULL), or -1 with libvirt's "Child process (...)
 * unexpected exit status N: <stderr>" reported (INTERNAL_ERROR). */
int virStorageRunTool(const char *const *argv, char **output);

/* Permissions and timestamps of @t from @sb. */
struct stat;
void virStorageVolFillStat(virStorageVolTarget *t, const struct stat *sb);

/* Run qemu-img with @args (NULL-terminated, without "qemu-img"); 0, or -1
 * with libvirt's "Child process (...) unexpected exit status N: <stderr>". */
int virStorageQemuImg(const char *const *args, char **output);

/* Fill @buf with @len bytes of @path's header; bytes read or -1 (errno). */
ssize_t virStorageReadHeader(const char *path, char *buf, size_t len);

/* libvirt's storageBackendCreateQemuImgSecretPath: the passphrase of
 * @vol's <encryption> (its one secret, a volume secret looked up in the
 * secret driver serving this process) in a new 0600 file of @pool's
 * directory, for qemu-img's "--object secret,file=": the value is never on
 * a command line. Returns the path (the caller removes the file), or NULL
 * with libvirt's INVALID_ARG for not exactly one secret, the secret
 * driver's error (NO_SECRET ...), INVALID_ARG for a secret of another
 * usage type; no file left then. */
char *virStorageVolSecretFile(const virStoragePoolDef *pool, const virStorageVolDef *vol);

/* @value appended to @buf as a qemu option value (a ',' doubled). */
void virStorageQemuImgEscape(GString *buf, const char *value);
