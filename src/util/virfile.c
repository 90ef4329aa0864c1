/* virfile.c: durable atomic file replacement, private temporary files and bounded reads */
#define G_LOG_DOMAIN "virtkit.util.file"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "virfile.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NONE

static int
virFileSyncDir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0) {
        virReportSystemError(errno, "cannot open directory '%s'", dir);
        return -1;
    }
    if (fsync(fd) < 0 && errno != EINVAL) {
        virReportSystemError(errno, "cannot sync directory '%s'", dir);
        close(fd);
        return -1;
    }
    close(fd);
    return 0;
}


int
virFileMakeTempPrivate(const char *prefix, int flags, uid_t uid, gid_t gid, char **path)
{
    g_autofree char *tmp = g_strdup_printf("%sXXXXXX", prefix);
    int fd;

    if ((fd = g_mkstemp_full(tmp, flags | O_CLOEXEC, S_IRUSR | S_IWUSR)) < 0)
        return -1;
    if (uid != (uid_t)-1 && fchown(fd, uid, gid) < 0) {
        int err = errno;

        close(fd);
        unlink(tmp);
        errno = err;
        return -1;
    }
    *path = g_steal_pointer(&tmp);
    return fd;
}


int
virFileWriteAtomic(const char *path, const char *data, size_t len, mode_t mode)
{
    return virFileWriteAtomicFull(path, data, len, mode, true);
}


int
virFileWriteAtomicFull(const char *path, const char *data, size_t len, mode_t mode,
                       bool durable)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *prefix = g_strdup_printf("%s/.%s.", dir, base);
    g_autofree char *tmp = NULL;
    size_t off = 0;
    int fd;

    fd = virFileMakeTempPrivate(prefix, O_WRONLY, (uid_t)-1, (gid_t)-1, &tmp);
    if (fd < 0) {
        virReportSystemError(errno, "cannot create temporary file for '%s'", path);
        return -1;
    }
    if (fchmod(fd, mode) < 0)
        goto error;

    while (off < len) {
        ssize_t n = write(fd, data + off, len - off);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            goto error;
        }
        off += n;
    }
    if (durable && fsync(fd) < 0)
        goto error;
    if (close(fd) < 0) {
        fd = -1;
        goto error;
    }
    fd = -1;
    if (rename(tmp, path) < 0)
        goto error;
    return durable ? virFileSyncDir(dir) : 0;

error:
    virReportSystemError(errno, "cannot write file '%s'", path);
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    return -1;
}


ssize_t
virFileReadAll(const char *path, size_t maxlen, char **buf)
{
    g_autofree char *data = NULL;
    struct stat sb;
    size_t cap;
    size_t len = 0;
    int fd;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        virReportSystemError(errno, "Failed to open file '%s'", path);
        return -1;
    }
    if (fstat(fd, &sb) < 0) {
        virReportSystemError(errno, "cannot stat file '%s'", path);
        close(fd);
        return -1;
    }
    if (S_ISREG(sb.st_mode) && (size_t)sb.st_size > maxlen) {
        virReportError(VIR_ERR_INVALID_ARG, "file '%s' is larger than %zu bytes", path,
                       maxlen);
        close(fd);
        return -1;
    }
    cap = S_ISREG(sb.st_mode) ? (size_t)sb.st_size + 1 : 4096;
    data = g_malloc(cap);
    for (;;) {
        ssize_t n;

        if (len + 1 >= cap) {
            if (cap > maxlen) {
                virReportError(VIR_ERR_INVALID_ARG, "file '%s' is larger than %zu bytes",
                               path, maxlen);
                close(fd);
                return -1;
            }
            cap *= 2;
            data = g_realloc(data, cap);
        }
        n = read(fd, data + len, cap - len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            virReportSystemError(errno, "Failed to read file '%s'", path);
            close(fd);
            return -1;
        }
        if (n == 0)
            break;
        len += n;
    }
    close(fd);
    if (len > maxlen) {
        virReportError(VIR_ERR_INVALID_ARG, "file '%s' is larger than %zu bytes", path,
                       maxlen);
        return -1;
    }
    data[len] = '\0';
    *buf = g_steal_pointer(&data);
    return len;
}


int
virFileMakePath(const char *path, mode_t mode)
{
    if (g_mkdir_with_parents(path, mode) < 0) {
        virReportSystemError(errno, "cannot create directory '%s'", path);
        return -1;
    }
    return 0;
}


bool
virFileIsAtomicLeftover(const char *name, const char *suffix)
{
    size_t len = strlen(name);
    size_t slen = strlen(suffix);

    if (name[0] != '.' || len < 1 + 1 + slen + 7 || name[len - 7] != '.')
        return false;
    if (strncmp(name + len - 7 - slen, suffix, slen) != 0)
        return false;
    for (size_t i = len - 6; i < len; i++) {
        if (!g_ascii_isalnum(name[i]))
            return false;
    }
    return true;
}


int
virFileRemoveAtomicLeftovers(const char *dir, const char *suffix)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *ent;
    int n = 0;

    while (d && (ent = g_dir_read_name(d))) {
        g_autofree char *path = NULL;

        if (!virFileIsAtomicLeftover(ent, suffix))
            continue;
        path = g_build_filename(dir, ent, NULL);
        if (unlink(path) < 0 && errno != ENOENT) {
            g_debug("cannot remove leftover temporary file '%s': %s", path,
                    g_strerror(errno));
            continue;
        }
        g_debug("removed leftover temporary file '%s'", path);
        n++;
    }
    return n;
}


int
virFileRemoveDurable(const char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);

    if (unlink(path) < 0) {
        if (errno == ENOENT)
            return 0;
        virReportSystemError(errno, "cannot remove file '%s'", path);
        return -1;
    }
    return virFileSyncDir(dir);
}


int
virFileSyncDirQuiet(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int err = 0;

    if (fd < 0)
        return errno;
    if (fsync(fd) < 0 && errno != EINVAL)
        err = errno;
    close(fd);
    return err;
}

int
virFileRemoveDurableQuiet(const char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);

    if (unlink(path) < 0)
        return errno == ENOENT ? 0 : errno;
    return virFileSyncDirQuiet(dir);
}
