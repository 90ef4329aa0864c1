/* storage_backend_logical.c: the logical (LVM) backend: refused with the reason where LVM cannot run */

#define G_LOG_DOMAIN "virtkit.storage.logical"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "storage_backend.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_STORAGE

/*
 * A logical pool is a volume group of LVM, whose volumes are
 * device-mapper devices: without the kernel's device-mapper
 * (/dev/mapper/control, which dmsetup creates even where the kernel has
 * no driver behind it: it is opened, not looked for) no volume group
 * can be activated, and lvm2's
 * tools fail. That is the case of the machines virtkit is tested on (a
 * kernel without CONFIG_BLK_DEV_DM), so LVM is not driven here: a logical
 * pool can be defined, listed and undefined (its XML is libvirt's), and
 * every operation that would touch the host (build, start, delete, find
 * sources) fails with INTERNAL_ERROR (domain STORAGE) naming the reason,
 * changing nothing. Where device-mapper exists the reason is that this
 * backend does not drive LVM (NO_SUPPORT).
 */

#define DM_CONTROL "/dev/mapper/control"

/* libvirt's flag values (the public header is not this layer's) */
#define BUILD_NO_OVERWRITE (1 << 2)
#define BUILD_OVERWRITE (1 << 3)

static int
logicalRefuse(const char *what)
{
    int fd = open(DM_CONTROL, O_RDWR | O_CLOEXEC);

    if (fd < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "cannot %s: logical (LVM) pools need the kernel's device-mapper, "
                       "and '%s' cannot be opened: %s",
                       what, DM_CONTROL, g_strerror(errno));
        return -1;
    }
    close(fd);
    virReportError(VIR_ERR_NO_SUPPORT, "cannot %s: logical (LVM) pools are not supported",
                   what);
    return -1;
}

static bool
logicalCheck(virStoragePoolObj *obj)
{
    (void)obj;
    return false;
}

static int
logicalBuild(virStoragePoolObj *obj, unsigned int flags)
{
    (void)obj;
    virCheckFlags(BUILD_OVERWRITE | BUILD_NO_OVERWRITE, -1);
    return logicalRefuse("build the volume group");
}

static int
logicalStart(virStoragePoolObj *obj)
{
    (void)obj;
    return logicalRefuse("activate the volume group");
}

static int
logicalRefresh(virStoragePoolObj *obj)
{
    (void)obj;
    return logicalRefuse("list the volume group's logical volumes");
}

static int
logicalDelete(virStoragePoolObj *obj, unsigned int flags)
{
    (void)obj;
    virCheckFlags(0, -1);
    return logicalRefuse("remove the volume group");
}

static int
logicalFindSources(const char *srcSpec, char **xml)
{
    (void)srcSpec;
    (void)xml;
    return logicalRefuse("find the volume groups");
}

const virStorageBackend virStorageBackendLogical = {
    .type = VIR_STORAGE_POOL_LOGICAL,
    .buildPool = logicalBuild,
    .checkPool = logicalCheck,
    .startPool = logicalStart,
    .refreshPool = logicalRefresh,
    .deletePool = logicalDelete,
    .findPoolSources = logicalFindSources,
};
