/* qemu_domain_storage.c: <disk type='volume'> resolved through the storage driver at start */

#define G_LOG_DOMAIN "virtkit.qemu.storage"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/xattr.h>

#include "datatypes.h"
#include "driver.h"
#include "qemu_domain_storage.h"
#include "qemu_command.h"
#include "qemu_security.h"
#include "storage_conf.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* The path of volume @volume in pool @pool, asked of the storage driver
 * serving this process (virtkitd's, or with @embedRoot that qemu:///embed
 * root's) as libvirt's QEMU driver asks its storage driver: the storage
 * driver's NO_STORAGE_POOL / NO_STORAGE_VOL errors, libvirt's
 * CONFIG_UNSUPPORTED when the pool is not active. */
static char *
qemuDomainVolumePath(const char *pool, const char *volume, const char *embedRoot)
{
    const virStorageDriver *sd;
    virConnectPtr conn = NULL;
    virStoragePoolPtr p = NULL;
    virStorageVolPtr v = NULL;
    char *path = NULL;
    int active;

    /* a connection object of our own: the driver only names it in the
     * handles it returns */
    conn = virGetConnect();
    if (embedRoot) {
        if (virEmbedStorageOpen(conn, embedRoot) < 0)
            goto cleanup;
    } else {
        conn->storageDriver = virGetSharedStorageDriver();
    }
    sd = conn->storageDriver;
    if (!sd || !sd->storagePoolLookupByName || !sd->storagePoolIsActive ||
        !sd->storageVolLookupByName || !sd->storageVolGetPath) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "disk type 'volume' needs a storage driver (virtkitd's); "
                       "volume '%s' of pool '%s' cannot be used here",
                       volume, pool);
        goto cleanup;
    }
    if (!(p = sd->storagePoolLookupByName(conn, pool)))
        goto cleanup;
    if ((active = sd->storagePoolIsActive(p)) < 0)
        goto cleanup;
    if (!active) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, __func__,
                           "storage pool '%s' containing volume '%s' is not active", pool,
                           volume);
        goto cleanup;
    }
    if (!(v = sd->storageVolLookupByName(p, volume)))
        goto cleanup;
    path = sd->storageVolGetPath(v);

cleanup:
    if (v)
        virObjectUnrefStorageVol(v);
    if (p)
        virObjectUnrefStoragePool(p);
    virObjectUnrefConnect(conn);
    return path;
}

int
qemuDomainPrepareVolumeDisks(virDomainDef *def, const char *embedRoot)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        virDomainDiskDef *disk = def->disks[i];
        char *path;

        if (disk->type != VIR_DOMAIN_DISK_TYPE_VOLUME || !disk->srcPool)
            continue;
        if (!(path = qemuDomainVolumePath(disk->srcPool, disk->srcVolume, embedRoot)))
            return -1;
        g_free(disk->src);
        disk->src = path;
    }
    return qemuDomainCheckUploadMarks(def);
}

/* A "syncing" mark of this boot on @path: the upload finished and its
 * bytes are in the page cache; puts them on the disk and removes that
 * mark (as the storage driver's own sync would). -1 when that failed. */
static int
qemuDomainSyncUpload(const char *path, const char *mark)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    char cur[128];
    ssize_t len;
    int ret = -1;

    if (fd < 0)
        return -1;
    if (fdatasync(fd) < 0)
        goto out;
    len = fgetxattr(fd, VIR_STORAGE_UPLOAD_XATTR, cur, sizeof(cur) - 1);
    if (len >= 0) {
        cur[len] = '\0';
        if (strcmp(cur, mark) == 0 && fremovexattr(fd, VIR_STORAGE_UPLOAD_XATTR) == 0 &&
            fsync(fd) < 0)
            goto out;
    }
    ret = 0;
out:
    if (ret < 0)
        g_debug("sync of the upload to '%s': %s", path, g_strerror(errno));
    close(fd);
    return ret;
}

int
qemuDomainCheckUploadMarks(const virDomainDef *def)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *disk = def->disks[i];
        char state[128] = "";
        virStorageUploadMarkState mark;
        ssize_t len;

        if (!disk->src || disk->src[0] != '/')
            continue;
        len = getxattr(disk->src, VIR_STORAGE_UPLOAD_XATTR, state, sizeof(state) - 1);
        if (len < 0) {
            if (errno != ENODATA && errno != ENOTSUP && errno != ENOENT)
                g_debug("upload mark of '%s': %s", disk->src, g_strerror(errno));
            continue;
        }
        state[len] = '\0';
        mark = virStorageUploadMarkParse(state);
        if (mark == VIR_STORAGE_UPLOAD_MARK_SYNCING &&
            qemuDomainSyncUpload(disk->src, state) == 0)
            continue;
        virReportError(
            VIR_ERR_OPERATION_INVALID,
            "disk '%s': '%s' holds an unfinished volume upload (%s): upload it "
            "again, or wipe or delete the volume",
            disk->dst ? disk->dst : "", disk->src,
            mark == VIR_STORAGE_UPLOAD_MARK_IN_PROGRESS
                ? "still running, or cut when its daemon stopped"
                : "interrupted");
        return -1;
    }
    return 0;
}

/* libvirt's virStorageSourceReportBrokenChain for a given local layer
 * that is not there */
static int
qemuDomainCheckGivenChain(const virDomainDiskDef *disk, unsigned int uid,
                          unsigned int gid)
{
    for (const virDomainDiskBackingDef *b = disk->backing; b && !b->terminator;
         b = b->backing) {
        if (b->type == VIR_DOMAIN_DISK_TYPE_NETWORK || !b->path)
            continue;
        if (access(b->path, F_OK) < 0) {
            /* (libvirt 9.0 names the layer as the storage file itself) */
            virReportSystemErrorFull(
                VIR_FROM_STORAGE, errno, __func__,
                "Cannot access storage file '%s' (as uid:%u, gid:%u)", b->path, uid, gid);
            return -1;
        }
    }
    return 0;
}

void
qemuDomainPrepareDiskCachemodes(virDomainDef *def)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        virDomainDiskDef *disk = def->disks[i];

        if (disk->shareable && !disk->readonly &&
            disk->cache == VIR_DOMAIN_DISK_CACHE_DEFAULT)
            disk->cache = VIR_DOMAIN_DISK_CACHE_NONE;
    }
}

int
qemuDomainPrepareDiskChains(virDomainDef *def, unsigned int uid, unsigned int gid)
{
    g_autofree size_t *nodes = g_new0(size_t, def->ndisks + 1);
    g_autoptr(GPtrArray) chains =
        g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    g_autofree bool *terminated = g_new0(bool, def->ndisks + 1);

    for (size_t i = 0; i < def->ndisks; i++) {
        if (qemuDomainCheckGivenChain(def->disks[i], uid, gid) < 0)
            return -1;
    }
    /* every index first (qemuDiskNodeIndex's numbering, in one pass) */
    for (size_t i = 0, n = 1; i < def->ndisks; i++) {
        GPtrArray *layers = qemuDiskLayers(def->disks[i], &terminated[i]);

        g_ptr_array_add(chains, layers);
        if (!def->disks[i]->src && !def->disks[i]->net)
            continue;
        nodes[i] = n;
        n += 1 + layers->len;
    }
    for (size_t i = 0; i < def->ndisks; i++) {
        virDomainDiskDef *disk = def->disks[i];
        GPtrArray *layers = g_ptr_array_index(chains, i);
        virDomainDiskBackingDef *given = disk->backing;
        virDomainDiskBackingDef **next = &disk->backing;
        bool local = !disk->net;
        bool end = terminated[i];

        if (!nodes[i])
            continue;
        disk->srcIndex = (unsigned int)nodes[i];
        /* the layers QEMU opens, each with its node's index (libvirt's
         * live XML): the given ones kept, the ones read from the images
         * added as detected */
        disk->backing = NULL;
        for (guint j = 0; j < layers->len; j++) {
            const qemuDiskLayer *l = g_ptr_array_index(layers, j);
            virDomainDiskBackingDef *b = g_new0(virDomainDiskBackingDef, 1);

            if (l->given) {
                b->type = l->given->type;
                b->format = l->given->format;
                b->path = g_strdup(l->given->path);
                b->net = virDomainDiskNetSourceCopy(l->given->net);
                b->auth = virStorageAuthDefCopy(l->given->auth);
                b->detected = l->given->detected;
            } else {
                b->type = l->type;
                b->format = l->format;
                b->path = g_strdup(l->path);
                b->detected = true;
            }
            b->index = (unsigned int)(nodes[i] + 1 + j);
            *next = b;
            next = &b->backing;
        }
        /* libvirt terminates the chain of a local image whose format has
         * no backing, and of a qcow2 image naming none */
        if (!layers->len && local && !given)
            end = disk->format != VIR_STORAGE_FORMAT_QCOW2 ||
                  (disk->src && qemuSecurityQcow2HasNoBacking(disk->src));
        if (end) {
            virDomainDiskBackingDef *t = g_new0(virDomainDiskBackingDef, 1);
            const virDomainDiskBackingDef *last = given;

            while (last && last->backing)
                last = last->backing;
            t->terminator = true;
            /* a terminator the user wrote stays; one found is live data */
            t->detected = !(last && last->terminator && !last->detected);
            *next = t;
        }
        virDomainDiskBackingDefFree(given);
    }
    return 0;
}

bool
qemuDiskHasGivenChain(const virDomainDiskDef *disk)
{
    return disk->backing && !disk->backing->terminator && !disk->backing->detected;
}
