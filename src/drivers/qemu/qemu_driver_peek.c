/* qemu_driver_peek.c: the QEMU driver's peeks: bytes of a disk's image (BlockPeek) and of guest memory (MemoryPeek)
 *
 * Threads: runs on the caller's thread (a daemon worker). BlockPeek takes
 * no job, as libvirt's: the disk is looked up under the object lock, which
 * is dropped before the image is opened and read, so a slow file system
 * holds nobody else up. MemoryPeek holds a QUERY job; the object lock is
 * dropped while QEMU writes the memory (memsave / pmemsave) into a
 * private temporary file in the domain's lib dir that QEMU reaches only
 * through a descriptor handed over with add-fd (it may run as another
 * user); the bytes are read back through our own descriptor and the file
 * is removed before the call returns.
 */
#define G_LOG_DOMAIN "virtkit.qemu.peek"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-c/json.h>

#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_monitor.h"
#include "virerror.h"
#include "virfile.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* ---- BlockPeek ------------------------------------------------------------ */

/* The image of @disk (found by @path, a target or a source) that a peek
 * reads, as a new string, with libvirt 9.0's refusals: only raw images,
 * only local ones. NULL with an error reported. */
static char *
qemuPeekDiskSource(const virDomainDiskDef *disk)
{
    if (disk->format != VIR_STORAGE_FORMAT_RAW) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                       "peeking is only supported for disk with 'raw' format not '%s'",
                       disk->format == VIR_STORAGE_FORMAT_QCOW2 ? "qcow2" : "none");
        return NULL;
    }
    if (disk->type == VIR_DOMAIN_DISK_TYPE_NETWORK) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "missing storage backend for network files using %s protocol",
                       virStorageNetProtocolToString(disk->net->protocol));
        return NULL;
    }
    if (!disk->src) {
        /* an empty drive, or a volume not resolved (the domain is off) */
        virReportSystemError(ENOENT, "Failed to open file '%s'", "(null)");
        return NULL;
    }
    return g_strdup(disk->src);
}

/* Read up to @size (> 0) bytes at @offset of the file @image into @buf:
 * the count read (short at the end of the file), or -1 with libvirt's
 * storage file errors, which are in VIR_FROM_STORAGE as libvirt's file
 * backend reports them. */
#undef VIR_FROM_THIS
#define VIR_FROM_THIS VIR_FROM_STORAGE
static ssize_t
qemuPeekReadImage(const char *image, unsigned long long offset, char *buf, size_t size)
{
    size_t got = 0;
    int fd;

    if ((fd = open(image, O_RDONLY | O_CLOEXEC)) < 0) {
        virReportSystemError(errno, "Failed to open file '%s'", image);
        return -1;
    }
    if (offset > 0 && (offset > G_MAXINT64 || lseek(fd, (off_t)offset, SEEK_SET) < 0)) {
        virReportSystemError(offset > G_MAXINT64 ? EINVAL : errno,
                             "cannot seek into '%s'", image);
        close(fd);
        return -1;
    }
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            virReportSystemError(errno, "cannot read header '%s'", image);
            close(fd);
            return -1;
        }
        if (n == 0)
            break;
        got += n;
    }
    close(fd);
    return got;
}
#undef VIR_FROM_THIS
#define VIR_FROM_THIS VIR_FROM_QEMU

int
qemuDomainBlockPeek(virDomainPtr dom, const char *path, unsigned long long offset,
                    size_t size, void *buffer, unsigned int flags)
{
    g_autofree char *image = NULL;
    g_autofree char *buf = NULL;
    virDomainObj *obj;
    virDomainDiskDef *disk;
    ssize_t got;

    virCheckFlags(0, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (!(disk = qemuHotplugFindDisk(obj->def, path, NULL)))
        virReportError(VIR_ERR_INVALID_ARG, "disk '%s' not found in domain", path);
    else
        image = qemuPeekDiskSource(disk);
    virDomainObjEndAPI(&obj);
    if (!image)
        return -1;

    /* libvirt reads with virFileReadHeaderFD, which refuses a length of 0:
     * a zero-sized peek fails alike (after the file is opened) */
    buf = g_malloc(size ? size : 1);
    if ((got = qemuPeekReadImage(image, offset, buf, size)) < 0)
        return -1;
    if (size == 0) {
        virReportSystemErrorFull(VIR_FROM_STORAGE, EINVAL, __func__,
                                 "cannot read header '%s'", image);
        return -1;
    }
    if ((size_t)got < size) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "'%s' starting from %llu has only %zd bytes available", path,
                       offset, got);
        return -1;
    }
    memcpy(buffer, buf, size);
    return 0;
}

/* ---- MemoryPeek ----------------------------------------------------------- */

/* QMP memsave (@virt) or pmemsave of @size bytes at @offset into the file
 * open as @fd (borrowed). QEMU 7.2 opens the file name itself (fopen: no
 * /dev/fdset), so it is given its own copy of @fd by add-fd and the name
 * /proc/self/fd/M of that copy. Object unlocked, QUERY job held. */
static int
qemuPeekMemsave(qemuMonitor *mon, bool virt, unsigned long long offset, size_t size,
                int fd)
{
    g_autoptr(json_object) args = json_object_new_object();
    g_autofree char *path = NULL;
    int fdset = -1;
    int qemufd = -1;
    int ret;

    if (qemuMonitorAddFdFull(mon, fd, QEMU_MONITOR_TIMEOUT_MS, &fdset, &qemufd) < 0)
        return -1;
    path = g_strdup_printf("/proc/self/fd/%d", qemufd);
    /* QEMU's 'val' is an int64 it uses as an address: one at or above
     * 2^63 (a kernel's virtual addresses) goes as its two's complement.
     * libvirt 9.0 sends it unsigned, which QEMU 7.2 refuses ("Invalid
     * parameter type for 'val', expected: integer"). */
    json_object_object_add(args, "val", json_object_new_int64((int64_t)offset));
    json_object_object_add(args, "size", json_object_new_uint64(size));
    json_object_object_add(args, "filename", json_object_new_string(path));
    ret = qemuMonitorCommand(mon, virt ? "memsave" : "pmemsave", args,
                             QEMU_MONITOR_TIMEOUT_MS, NULL);
    qemuMonitorRemoveFdset(mon, fdset, QEMU_MONITOR_TIMEOUT_MS);
    return ret;
}

/* Read exactly @size bytes of @fd from its start into @buffer. */
static int
qemuPeekReadBack(int fd, const char *tmp, void *buffer, size_t size)
{
    size_t got = 0;

    while (got < size) {
        ssize_t n = pread(fd, (char *)buffer + got, size - got, (off_t)got);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            virReportSystemError(n < 0 ? errno : EIO,
                                 "failed to read temporary file created with template %s",
                                 tmp);
            return -1;
        }
        got += n;
    }
    return 0;
}

int
qemuDomainMemoryPeek(virDomainPtr dom, unsigned long long offset, size_t size,
                     void *buffer, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    g_autofree char *prefix = NULL;
    g_autofree char *tmp = NULL;
    g_autofree char *data = NULL;
    virDomainObj *obj;
    qemuDomainObjPrivate *priv;
    qemuMonitor *mon;
    int ret = -1;
    int fd = -1;
    int rc;

    virCheckFlags(VIR_MEMORY_VIRTUAL | VIR_MEMORY_PHYSICAL, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (flags != VIR_MEMORY_VIRTUAL && flags != VIR_MEMORY_PHYSICAL) {
        virReportError(
            VIR_ERR_INVALID_ARG, "%s",
            "flags parameter must be VIR_MEMORY_VIRTUAL or VIR_MEMORY_PHYSICAL");
        goto cleanup;
    }
    if (virDomainObjBeginJob(obj, VIR_JOB_QUERY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) < 0)
        goto endjob;
    priv = qemuDomainPriv(obj);
    if (!(mon = priv->mon)) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "QEMU monitor is not connected");
        goto endjob;
    }
    /* QEMU reopens the file through its copy of the descriptor, as its own
     * user; the name is not needed any more */
    prefix = g_strdup_printf("%s/qemu.mem.", priv->libDir);
    if ((fd = virFileMakeTempPrivate(
             prefix, O_RDWR, driver->runAs ? driver->runAs->uid : (uid_t)-1,
             driver->runAs ? driver->runAs->gid : (gid_t)-1, &tmp)) < 0) {
        virReportSystemError(errno, "g_mkstemp(\"%sXXXXXX\") failed", prefix);
        goto endjob;
    }
    if (g_unlink(tmp) < 0)
        g_debug("cannot remove '%s': %s", tmp, g_strerror(errno));
    data = g_malloc(size ? size : 1);
    virDomainObjUnlock(obj);
    rc = qemuPeekMemsave(mon, flags == VIR_MEMORY_VIRTUAL, offset, size, fd);
    if (rc == 0)
        rc = qemuPeekReadBack(fd, tmp, data, size);
    virDomainObjLock(obj);
    if (rc < 0)
        goto endjob;
    if (size > 0)
        memcpy(buffer, data, size);
    ret = 0;

endjob:
    if (fd >= 0)
        close(fd);
    virDomainObjEndJob(obj, VIR_JOB_QUERY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}
