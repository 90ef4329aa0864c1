/* qemu_domain_storage.c: <disk type='volume'> resolved through the storage driver at start */

#define G_LOG_DOMAIN "virtkit.qemu.storage"

#include <errno.h>
#include <sys/xattr.h>

#include "datatypes.h"
#include "driver.h"
#include "qemu_domain_storage.h"
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

int
qemuDomainCheckUploadMarks(const virDomainDef *def)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *disk = def->disks[i];
        char state[32] = "";
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
        virReportError(
            VIR_ERR_OPERATION_INVALID,
            "disk '%s': '%s' holds an unfinished volume upload (%s): upload it "
            "again, or wipe or delete the volume",
            disk->dst ? disk->dst : "", disk->src,
            g_strcmp0(state, "in-progress") == 0
                ? "still running, or cut when its daemon stopped"
                : "interrupted");
        return -1;
    }
    return 0;
}
