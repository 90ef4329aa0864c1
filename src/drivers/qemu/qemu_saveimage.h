/* qemu_saveimage.h: libvirt's QEMU save image: header, domain XML, then QEMU's migration stream */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

/*
 * The layout is libvirt's (src/qemu/qemu_saveimage.h), so that an image
 * says what it is and Debian's libvirt and virtkit read each other's:
 * a 92-byte header in host byte order, then @data_len bytes holding the
 * domain XML and its NUL (and, from libvirt, an optional cookie), then
 * the migration stream up to the end of the file. While the stream is
 * being written the magic is QEMU_SAVE_PARTIAL; it becomes
 * QEMU_SAVE_MAGIC only once the image is whole.
 */
#define QEMU_SAVE_MAGIC "LibvirtQemudSave"
#define QEMU_SAVE_PARTIAL "LibvirtQemudPart"
#define QEMU_SAVE_VERSION 2

typedef struct {
    char magic[sizeof(QEMU_SAVE_MAGIC) - 1];
    uint32_t version;
    uint32_t data_len;
    uint32_t was_running;
    uint32_t compressed; /* 0 = raw: the only format virtkit reads or writes */
    uint32_t cookieOffset;
    uint32_t unused[14];
} qemuSaveHeader;

G_STATIC_ASSERT(sizeof(qemuSaveHeader) == 92);

/* An image opened for reading: its header, its XML, and the descriptor
 * positioned at the migration stream. */
typedef struct {
    qemuSaveHeader header;
    char *xml;
    int fd; /* -1 when closed */
} qemuSaveImage;

void qemuSaveImageFree(qemuSaveImage *img);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemuSaveImage, qemuSaveImageFree);

/* Open @path, check it is a whole raw save image libvirt's way (errors
 * as libvirt's: SYSTEM_ERROR for I/O, OPERATION_FAILED "image magic is
 * incorrect" / "save image is incomplete", "image version is not
 * supported (%d > %d)", "invalid header data length", CONFIG_UNSUPPORTED
 * for a compressed one) and read its XML. NULL with the error reported. */
qemuSaveImage *qemuSaveImageOpen(const char *path);

/*
 * Create the temporary file beside @path that a save writes (0600), with
 * the header (PARTIAL magic) and @xml. Returns the descriptor positioned
 * after them and *tmpPath (new string), or -1 with the error reported
 * (nothing left behind).
 */
int qemuSaveImageCreateTemp(const char *path, const char *xml, bool wasRunning,
                            char **tmpPath);

/* Finish a save: fsync @fd, write the final magic, fsync, close, rename
 * @tmpPath over @path, fsync the directory. On failure (error reported)
 * @tmpPath is removed and @fd closed. */
int qemuSaveImageCommit(int fd, const char *tmpPath, const char *path);

/* Best effort after a rename into @path's directory: fsync that directory
 * (a failure is logged at debug level; nothing is reported). */
void qemuSaveImageSyncDirOf(const char *path);

/*
 * Replace the XML of the image @path with @xml and, when @wasRunning is
 * 0 or 1, its run state: a new image is written beside it (header, XML,
 * the stream copied) and renamed over it, so a failure leaves the old
 * image whole. 0 or -1 with the error reported.
 */
int qemuSaveImageRewrite(const char *path, const char *xml, int wasRunning);
