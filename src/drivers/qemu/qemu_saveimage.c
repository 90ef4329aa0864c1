/* qemu_saveimage.c: reading and writing libvirt's QEMU save images (see qemu_saveimage.h) */
#define G_LOG_DOMAIN "virtkit.qemu.saveimage"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "qemu_saveimage.h"
#include "virerror.h"
#include "virfile.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* libvirt refuses XML beyond 10 MiB in an image (its VIR_DOMAIN_XML_MAX). */
#define QEMU_SAVE_XML_MAX (10 * 1024 * 1024)

void
qemuSaveImageFree(qemuSaveImage *img)
{
    if (!img)
        return;
    if (img->fd >= 0)
        close(img->fd);
    g_free(img->xml);
    g_free(img);
}

static int
qemuSaveWriteAll(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= n;
    }
    return 0;
}

static ssize_t
qemuSaveReadAll(int fd, void *buf, size_t len)
{
    char *p = buf;
    size_t got = 0;

    while (got < len) {
        ssize_t n = read(fd, p + got, len - got);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += n;
    }
    return got;
}

static uint32_t
qemuSaveBswap(uint32_t v)
{
    return GUINT32_SWAP_LE_BE(v);
}

qemuSaveImage *
qemuSaveImageOpen(const char *path)
{
    g_autoptr(qemuSaveImage) img = g_new0(qemuSaveImage, 1);
    qemuSaveHeader *h = &img->header;
    ssize_t n;

    if ((img->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        /* libvirt's qemuDomainOpenFile text */
        virReportSystemError(errno, "Failed to open file '%s'", path);
        return NULL;
    }
    if ((n = qemuSaveReadAll(img->fd, h, sizeof(*h))) < 0) {
        virReportSystemError(errno, "failed to read qemu header from '%s'", path);
        return NULL;
    }
    if (n != sizeof(*h)) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "failed to read qemu header");
        return NULL;
    }
    if (memcmp(h->magic, QEMU_SAVE_MAGIC, sizeof(h->magic)) != 0) {
        if (memcmp(h->magic, QEMU_SAVE_PARTIAL, sizeof(h->magic)) == 0)
            virReportError(VIR_ERR_OPERATION_FAILED, "%s", "save image is incomplete");
        else
            virReportError(VIR_ERR_OPERATION_FAILED, "%s", "image magic is incorrect");
        return NULL;
    }
    if (h->version > QEMU_SAVE_VERSION) {
        /* written on a host of the other byte order? */
        if (qemuSaveBswap(h->version) <= QEMU_SAVE_VERSION) {
            h->version = qemuSaveBswap(h->version);
            h->data_len = qemuSaveBswap(h->data_len);
            h->was_running = qemuSaveBswap(h->was_running);
            h->compressed = qemuSaveBswap(h->compressed);
            h->cookieOffset = qemuSaveBswap(h->cookieOffset);
        } else {
            virReportError(VIR_ERR_OPERATION_FAILED,
                           "image version is not supported (%d > %d)", h->version,
                           QEMU_SAVE_VERSION);
            return NULL;
        }
    }
    if (h->data_len == 0 || h->data_len > QEMU_SAVE_XML_MAX) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "invalid header data length");
        return NULL;
    }
    if (h->compressed != 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "save image '%s' is compressed (format %u): only raw images "
                       "are supported",
                       path, h->compressed);
        return NULL;
    }
    img->xml = g_malloc0(h->data_len + 1);
    if ((n = qemuSaveReadAll(img->fd, img->xml, h->data_len)) < 0 ||
        n != (ssize_t)h->data_len) {
        virReportSystemError(n < 0 ? errno : EIO, "failed to read domain XML from '%s'",
                             path);
        return NULL;
    }
    /* the XML ends at its NUL (a cookie or padding may follow) */
    if (!*img->xml) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "invalid header data length");
        return NULL;
    }
    return g_steal_pointer(&img);
}

static void
qemuSaveHeaderInit(qemuSaveHeader *h, size_t xmlLen, bool wasRunning)
{
    memset(h, 0, sizeof(*h));
    memcpy(h->magic, QEMU_SAVE_PARTIAL, sizeof(h->magic));
    h->version = QEMU_SAVE_VERSION;
    h->data_len = xmlLen + 1;
    h->was_running = wasRunning ? 1 : 0;
}

int
qemuSaveImageCreateTemp(const char *path, const char *xml, bool wasRunning,
                        char **tmpPath)
{
    g_autofree char *prefix = g_strdup_printf("%s.vksave-", path);
    g_autofree char *tmp = NULL;
    qemuSaveHeader h;
    size_t xmlLen = strlen(xml);
    int fd;

    if (xmlLen + 1 > QEMU_SAVE_XML_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "domain XML too large for a save image");
        return -1;
    }
    if ((fd = virFileMakeTempPrivate(prefix, O_RDWR, (uid_t)-1, (gid_t)-1, &tmp)) < 0) {
        virReportSystemError(errno, "failed to create '%s'", path);
        return -1;
    }
    qemuSaveHeaderInit(&h, xmlLen, wasRunning);
    if (qemuSaveWriteAll(fd, &h, sizeof(h)) < 0 ||
        qemuSaveWriteAll(fd, xml, xmlLen + 1) < 0) {
        virReportSystemError(errno, "failed to write header to domain save file '%s'",
                             path);
        close(fd);
        unlink(tmp);
        return -1;
    }
    *tmpPath = g_steal_pointer(&tmp);
    return fd;
}

void
qemuSaveImageSyncDirOf(const char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);
    int err = virFileSyncDirQuiet(dir);

    if (err)
        g_debug("fsync of '%s' failed: %s", dir, g_strerror(err));
}

int
qemuSaveImageCommit(int fd, const char *tmpPath, const char *path)
{
    if (fsync(fd) < 0 ||
        pwrite(fd, QEMU_SAVE_MAGIC, sizeof(QEMU_SAVE_MAGIC) - 1, 0) !=
            sizeof(QEMU_SAVE_MAGIC) - 1 ||
        fsync(fd) < 0) {
        virReportSystemError(errno, "failed to write domain save file '%s'", path);
        close(fd);
        unlink(tmpPath);
        return -1;
    }
    if (close(fd) < 0 || rename(tmpPath, path) < 0) {
        virReportSystemError(errno, "failed to write domain save file '%s'", path);
        unlink(tmpPath);
        return -1;
    }
    qemuSaveImageSyncDirOf(path);
    return 0;
}

int
qemuSaveImageRewrite(const char *path, const char *xml, int wasRunning)
{
    g_autoptr(qemuSaveImage) img = NULL;
    g_autofree char *tmp = NULL;
    g_autofree char *buf = NULL;
    off_t dataStart;
    struct stat st;
    int fd;

    if (!(img = qemuSaveImageOpen(path)))
        return -1;
    if (fstat(img->fd, &st) < 0) {
        virReportSystemError(errno, "cannot stat '%s'", path);
        return -1;
    }
    dataStart = sizeof(qemuSaveHeader) + img->header.data_len;
    if (lseek(img->fd, dataStart, SEEK_SET) < 0) {
        virReportSystemError(errno, "cannot seek in '%s'", path);
        return -1;
    }
    if ((fd = qemuSaveImageCreateTemp(
             path, xml, wasRunning < 0 ? img->header.was_running != 0 : wasRunning != 0,
             &tmp)) < 0)
        return -1;
    if (fchmod(fd, st.st_mode & 07777) < 0)
        g_debug("cannot keep the mode of '%s': %s", path, g_strerror(errno));
    buf = g_malloc(1 << 20);
    for (;;) {
        ssize_t n = qemuSaveReadAll(img->fd, buf, 1 << 20);

        if (n < 0 || (n > 0 && qemuSaveWriteAll(fd, buf, n) < 0)) {
            virReportSystemError(errno, "failed to copy the state of '%s'", path);
            close(fd);
            unlink(tmp);
            return -1;
        }
        if (n == 0)
            break;
    }
    return qemuSaveImageCommit(fd, tmp, path);
}
