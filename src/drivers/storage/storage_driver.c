/* storage_driver.c: the storage driver: its state (pools on disk, the default pool), pool entry points, its tables */

#define G_LOG_DOMAIN "virtkit.storage.driver"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "driver-state.h"
#include "storage_driver.h"
#include "storage_driver_priv.h"
#include "virerror.h"
#include "virfile.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_STORAGE

/* the backends take libvirt's numbers (storage_backend_fs.c spells them:
 * swapped, --no-overwrite once formatted a device holding a filesystem) */
G_STATIC_ASSERT(VIR_STORAGE_POOL_BUILD_NO_OVERWRITE == (1 << 2));
G_STATIC_ASSERT(VIR_STORAGE_POOL_BUILD_OVERWRITE == (1 << 3));

virStorageDriverState *storageDriver;

/* ---- helpers ----------------------------------------------------------- */

virStoragePoolObj *
storagePoolObjFromPool(virStoragePoolPtr pool)
{
    virStorageDriverState *drv = storageDriverOf(pool->conn);
    virStoragePoolObj *obj = virStoragePoolObjFindByUUID(drv->pools, pool->uuid);

    if (!obj) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        virReportError(VIR_ERR_NO_STORAGE_POOL,
                       "no storage pool with matching uuid '%s' (%s)",
                       virUUIDFormat(pool->uuid, uuidstr), pool->name);
    }
    return obj;
}

virStoragePoolObj *
storagePoolObjActiveByName(virStorageDriverState *drv, const char *name)
{
    virStoragePoolObj *obj = virStoragePoolObjFindByName(drv->pools, name);

    if (!obj) {
        virReportError(VIR_ERR_NO_STORAGE_POOL, "no storage pool with matching name '%s'",
                       name);
        return NULL;
    }
    if (!obj->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "storage pool '%s' is not active",
                       obj->def->name);
        virStoragePoolObjEndAPI(&obj);
    }
    return obj;
}

void
storagePoolEventLifecycle(virStorageDriverState *drv, const virStoragePoolDef *def,
                          int type)
{
    virObjectEventStateQueue(
        drv->eventState, virStoragePoolEventLifecycleNew(def->name, def->uuid, type, 0));
}

static virStoragePoolPtr
poolHandle(virConnectPtr conn, const virStoragePoolDef *def)
{
    return virGetStoragePool(conn, def->name, def->uuid, NULL, NULL);
}

/* Start @obj (locked): backend start, refresh, status file. On failure
 * the pool is stopped again and the error reported. */
static int
poolStart(virStorageDriverState *drv, virStoragePoolObj *obj, const virStorageBackend *be,
          unsigned int buildFlags, bool build)
{
    if (!obj->def->target.path || obj->def->target.path[0] != '/') {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       "storage pool target path '%s' is not absolute",
                       obj->def->target.path ? obj->def->target.path : "");
        return -1;
    }
    if (build && be->buildPool && be->buildPool(obj, buildFlags) < 0)
        return -1;
    if (be->startPool && be->startPool(obj) < 0)
        return -1;
    obj->starting = true;
    if (be->refreshPool(obj) < 0) {
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        if (be->stopPool)
            be->stopPool(obj);
        virErrorRestore(&saved);
        obj->starting = false;
        return -1;
    }
    obj->starting = false;
    obj->active = true;
    if (virStoragePoolObjSaveStatus(obj, drv->stateDir) < 0) {
        /* a pool running without its status file would be forgotten by a
         * restarted daemon: say so, but the pool is up */
        VIR_NOTICE("storage pool '%s': status file not written", obj->def->name);
    }
    return 0;
}

/* Stop @obj (locked): backend stop, volumes forgotten, status removed; a
 * redefinition made while it ran becomes its definition. */
static int
poolStop(virStorageDriverState *drv, virStoragePoolObj *obj, const virStorageBackend *be)
{
    /* a finished upload's background sync keeps its file open: an fs
     * pool's umount would fail with "target is busy" */
    storageVolUploadSyncWait(obj->def->target.path);
    if (be && be->stopPool && be->stopPool(obj) < 0)
        return -1;
    virStoragePoolObjClearVols(obj);
    virStoragePoolObjDeleteStatus(obj, drv->stateDir);
    obj->active = false;
    if (obj->newDef) {
        virStoragePoolDefFree(obj->def);
        obj->def = g_steal_pointer(&obj->newDef);
    }
    return 0;
}

static bool
poolIsBusy(virStoragePoolObj *obj)
{
    if (obj->asyncjobs > 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "pool '%s' has asynchronous jobs running.",
                       obj->def->name);
        return true;
    }
    return false;
}

/* ---- listing and lookup ------------------------------------------------ */

static int
storageConnectNumOfStoragePools(virConnectPtr conn)
{
    virStorageDriverState *drv = storageDriverOf(conn);
    return virStoragePoolObjListCount(drv->pools, true);
}

static int
storageConnectListStoragePools(virConnectPtr conn, char **const names, int maxnames)
{
    virStorageDriverState *drv = storageDriverOf(conn);
    return virStoragePoolObjListNames(drv->pools, true, names, maxnames);
}

static int
storageConnectNumOfDefinedStoragePools(virConnectPtr conn)
{
    virStorageDriverState *drv = storageDriverOf(conn);
    return virStoragePoolObjListCount(drv->pools, false);
}

static int
storageConnectListDefinedStoragePools(virConnectPtr conn, char **const names,
                                      int maxnames)
{
    virStorageDriverState *drv = storageDriverOf(conn);
    return virStoragePoolObjListNames(drv->pools, false, names, maxnames);
}

static int
storageConnectListAllStoragePools(virConnectPtr conn, virStoragePoolPtr **pools,
                                  unsigned int flags)
{
    virStorageDriverState *drv = storageDriverOf(conn);
    GPtrArray *objs;
    int n;

    virCheckFlags(0xfffff, -1); /* VIR_CONNECT_LIST_STORAGE_POOLS_FILTERS_ALL */
    objs = virStoragePoolObjListExport(drv->pools, flags);
    n = objs->len;
    if (pools) {
        virStoragePoolPtr *out = g_new0(virStoragePoolPtr, n + 1);

        for (int i = 0; i < n; i++) {
            virStoragePoolObj *obj = g_ptr_array_index(objs, i);

            g_mutex_lock(&obj->lock);
            out[i] = poolHandle(conn, obj->def);
            g_mutex_unlock(&obj->lock);
        }
        *pools = out;
    }
    virStoragePoolObjListFreeArray(objs);
    return n;
}

static virStoragePoolPtr
storagePoolLookupByName(virConnectPtr conn, const char *name)
{
    virStorageDriverState *drv = storageDriverOf(conn);
    virStoragePoolObj *obj = virStoragePoolObjFindByName(drv->pools, name);
    virStoragePoolPtr ret;

    if (!obj) {
        virReportError(VIR_ERR_NO_STORAGE_POOL, "no storage pool with matching name '%s'",
                       name);
        return NULL;
    }
    ret = poolHandle(conn, obj->def);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static virStoragePoolPtr
storagePoolLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    virStorageDriverState *drv = storageDriverOf(conn);
    virStoragePoolObj *obj = virStoragePoolObjFindByUUID(drv->pools, uuid);
    virStoragePoolPtr ret;

    if (!obj) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        virReportError(VIR_ERR_NO_STORAGE_POOL, "no storage pool with matching uuid '%s'",
                       virUUIDFormat(uuid, uuidstr));
        return NULL;
    }
    ret = poolHandle(conn, obj->def);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

virStoragePoolPtr
storagePoolLookupByVolume(virStorageVolPtr vol)
{
    virStorageDriverState *drv = storageDriverOf(vol->conn);
    virStoragePoolObj *obj = virStoragePoolObjFindByName(drv->pools, vol->pool);
    virStoragePoolPtr ret;

    if (!obj) {
        virReportError(VIR_ERR_NO_STORAGE_POOL, "no storage pool with matching name '%s'",
                       vol->pool);
        return NULL;
    }
    ret = poolHandle(vol->conn, obj->def);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static bool
poolHasTargetPath(virStoragePoolObj *obj, void *opaque)
{
    return obj->active && g_strcmp0(obj->def->target.path, opaque) == 0;
}

/* As libvirt's: the active pool whose (sanitized) target path it is. */
static virStoragePoolPtr
storagePoolLookupByTargetPath(virConnectPtr conn, const char *path)
{
    virStorageDriverState *drv = storageDriverOf(conn);
    g_autofree char *clean = virStorageSanitizePath(path);
    virStoragePoolObj *obj =
        virStoragePoolObjListSearch(drv->pools, poolHasTargetPath, clean);
    virStoragePoolPtr ret;

    if (!obj) {
        if (strcmp(path, clean) == 0)
            virReportError(VIR_ERR_NO_STORAGE_POOL,
                           "no storage pool with matching target path '%s'", path);
        else
            virReportError(VIR_ERR_NO_STORAGE_POOL,
                           "no storage pool with matching target path '%s' (%s)", path,
                           clean);
        return NULL;
    }
    ret = poolHandle(conn, obj->def);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static bool
poolTypeSupported(int type)
{
    return type == VIR_STORAGE_POOL_DIR || type == VIR_STORAGE_POOL_FS ||
           type == VIR_STORAGE_POOL_DISK;
}

static char *
storageConnectGetStoragePoolCapabilities(virConnectPtr conn, unsigned int flags)
{
    virCheckFlags(0, NULL);
    return virStoragePoolCapsFormat(poolTypeSupported);
}

static char *
storageConnectFindStoragePoolSources(virConnectPtr conn, const char *type,
                                     const char *srcSpec, unsigned int flags)
{
    const virStorageBackend *be;
    char *xml = NULL;
    int t;

    virCheckFlags(0, NULL);
    if ((t = virStoragePoolTypeFromString(type)) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "unknown storage pool type %s", type);
        return NULL;
    }
    if (!(be = virStorageBackendForType(t)))
        return NULL;
    if (be->findPoolSources)
        return be->findPoolSources(srcSpec, &xml) < 0 ? NULL : xml;
    /* dir and fs have nothing to discover (libvirt's backends neither) */
    virReportError(VIR_ERR_NO_SUPPORT, "pool type '%s' does not support source discovery",
                   type);
    return NULL;
}

/* ---- lifecycle --------------------------------------------------------- */

static virStoragePoolPtr
storagePoolCreateXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    virStorageDriverState *drv = storageDriverOf(conn);
    g_autoptr(virStoragePoolDef) def = NULL;
    const virStorageBackend *be;
    virStoragePoolObj *obj;
    virStoragePoolPtr ret = NULL;
    unsigned int buildFlags = 0;

    virCheckFlags(VIR_STORAGE_POOL_CREATE_WITH_BUILD |
                      VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE |
                      VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE,
                  NULL);
    if ((flags & VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE) &&
        (flags & VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "Overwrite and no overwrite flags are mutually exclusive");
        return NULL;
    }
    if (flags & VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE)
        buildFlags |= VIR_STORAGE_POOL_BUILD_OVERWRITE;
    if (flags & VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE)
        buildFlags |= VIR_STORAGE_POOL_BUILD_NO_OVERWRITE;

    if (!(def = virStoragePoolDefParseString(xml)))
        return NULL;
    if (!(be = virStorageBackendForType(def->type)))
        return NULL;
    if (!(obj = virStoragePoolObjListAdd(drv->pools, &def, false, true)))
        return NULL;
    if (poolStart(drv, obj, be, buildFlags, flags != 0) < 0) {
        virStoragePoolObjListRemove(drv->pools, obj);
        virStoragePoolObjEndAPI(&obj);
        return NULL;
    }
    storagePoolEventLifecycle(drv, obj->def, VIR_STORAGE_POOL_EVENT_STARTED);
    ret = poolHandle(conn, obj->def);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static virStoragePoolPtr
storagePoolDefineXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    virStorageDriverState *drv = storageDriverOf(conn);
    g_autoptr(virStoragePoolDef) def = NULL;
    virStoragePoolDef *backup = NULL;
    virStoragePoolObj *obj;
    virStoragePoolPtr ret;
    bool isNew;

    virCheckFlags(VIR_STORAGE_POOL_DEFINE_VALIDATE, NULL);
    if (!(def = virStoragePoolDefParseString(xml)))
        return NULL;
    if (!virStorageBackendForType(def->type))
        return NULL;
    {
        virStoragePoolObj *old = virStoragePoolObjFindByUUID(drv->pools, def->uuid);

        isNew = !old;
        if (old && !old->active)
            backup = virStoragePoolDefCopy(old->def);
        virStoragePoolObjEndAPI(&old);
    }
    if (!(obj = virStoragePoolObjListAdd(drv->pools, &def, true, false))) {
        virStoragePoolDefFree(backup);
        return NULL;
    }
    obj->persistent = true;
    if (virStoragePoolObjSaveConfig(obj, drv->configDir, drv->autostartDir) < 0) {
        if (isNew) {
            virStoragePoolObjListRemove(drv->pools, obj);
        } else if (backup) {
            virStoragePoolDefFree(obj->def);
            obj->def = g_steal_pointer(&backup);
        }
        virStoragePoolDefFree(backup);
        virStoragePoolObjEndAPI(&obj);
        return NULL;
    }
    virStoragePoolDefFree(backup);
    storagePoolEventLifecycle(drv, obj->def, VIR_STORAGE_POOL_EVENT_DEFINED);
    ret = poolHandle(conn, obj->def);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static int
storagePoolUndefine(virStoragePoolPtr pool)
{
    virStorageDriverState *drv = storageDriverOf(pool->conn);
    virStoragePoolObj *obj = storagePoolObjFromPool(pool);

    if (!obj)
        return -1;
    if (obj->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "storage pool '%s' is still active",
                       obj->def->name);
        goto error;
    }
    if (poolIsBusy(obj))
        goto error;
    if (!obj->persistent) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot undefine transient storage pool");
        goto error;
    }
    if (virStoragePoolObjDeleteConfig(obj) < 0)
        goto error;
    g_clear_pointer(&obj->configFile, g_free);
    g_clear_pointer(&obj->autostartLink, g_free);
    obj->autostart = false;
    obj->persistent = false;
    virStoragePoolObjListRemove(drv->pools, obj);
    storagePoolEventLifecycle(drv, obj->def, VIR_STORAGE_POOL_EVENT_UNDEFINED);
    virStoragePoolObjEndAPI(&obj);
    return 0;

error:
    virStoragePoolObjEndAPI(&obj);
    return -1;
}

static int
storagePoolCreate(virStoragePoolPtr pool, unsigned int flags)
{
    virStorageDriverState *drv = storageDriverOf(pool->conn);
    virStoragePoolObj *obj;
    const virStorageBackend *be;
    unsigned int buildFlags = 0;
    int ret = -1;

    virCheckFlags(VIR_STORAGE_POOL_CREATE_WITH_BUILD |
                      VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE |
                      VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE,
                  -1);
    if ((flags & VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE) &&
        (flags & VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "Overwrite and no overwrite flags are mutually exclusive");
        return -1;
    }
    if (flags & VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE)
        buildFlags |= VIR_STORAGE_POOL_BUILD_OVERWRITE;
    if (flags & VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE)
        buildFlags |= VIR_STORAGE_POOL_BUILD_NO_OVERWRITE;

    if (!(obj = storagePoolObjFromPool(pool)))
        return -1;
    if (!(be = virStorageBackendForType(obj->def->type)))
        goto out;
    if (obj->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "storage pool '%s' is already active",
                       obj->def->name);
        goto out;
    }
    if ((ret = poolStart(drv, obj, be, buildFlags, flags != 0)) == 0)
        storagePoolEventLifecycle(drv, obj->def, VIR_STORAGE_POOL_EVENT_STARTED);
out:
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static int
storagePoolBuild(virStoragePoolPtr pool, unsigned int flags)
{
    virStorageDriverState *drv = storageDriverOf(pool->conn);
    virStoragePoolObj *obj;
    const virStorageBackend *be;
    int ret = -1;

    if (!(obj = storagePoolObjFromPool(pool)))
        return -1;
    if (!(be = virStorageBackendForType(obj->def->type)))
        goto out;
    if (obj->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "storage pool '%s' is already active",
                       obj->def->name);
        goto out;
    }
    if ((ret = be->buildPool ? be->buildPool(obj, flags) : 0) == 0)
        storagePoolEventLifecycle(drv, obj->def, VIR_STORAGE_POOL_EVENT_CREATED);
out:
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static int
storagePoolDestroy(virStoragePoolPtr pool)
{
    virStorageDriverState *drv = storageDriverOf(pool->conn);
    virStoragePoolObj *obj;
    const virStorageBackend *be;
    int ret = -1;

    if (!(obj = storagePoolObjFromPool(pool)))
        return -1;
    if (!(be = virStorageBackendForType(obj->def->type)))
        goto out;
    if (!obj->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "storage pool '%s' is not active",
                       obj->def->name);
        goto out;
    }
    if (poolIsBusy(obj))
        goto out;
    if (poolStop(drv, obj, be) < 0)
        goto out;
    storagePoolEventLifecycle(drv, obj->def, VIR_STORAGE_POOL_EVENT_STOPPED);
    if (!obj->persistent)
        virStoragePoolObjListRemove(drv->pools, obj);
    ret = 0;
out:
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static int
storagePoolDelete(virStoragePoolPtr pool, unsigned int flags)
{
    virStorageDriverState *drv = storageDriverOf(pool->conn);
    virStoragePoolObj *obj;
    const virStorageBackend *be;
    int ret = -1;

    if (!(obj = storagePoolObjFromPool(pool)))
        return -1;
    if (!(be = virStorageBackendForType(obj->def->type)))
        goto out;
    if (obj->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "storage pool '%s' is still active",
                       obj->def->name);
        goto out;
    }
    if (poolIsBusy(obj))
        goto out;
    if (!be->deletePool) {
        virReportError(VIR_ERR_NO_SUPPORT, "%s", "pool does not support pool deletion");
        goto out;
    }
    if ((ret = be->deletePool(obj, flags)) == 0)
        storagePoolEventLifecycle(drv, obj->def, VIR_STORAGE_POOL_EVENT_DELETED);
out:
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static int
storagePoolRefresh(virStoragePoolPtr pool, unsigned int flags)
{
    virStorageDriverState *drv = storageDriverOf(pool->conn);
    virStoragePoolObj *obj;
    const virStorageBackend *be;
    int ret = -1;

    virCheckFlags(0, -1);
    if (!(obj = storagePoolObjFromPool(pool)))
        return -1;
    if (!(be = virStorageBackendForType(obj->def->type)))
        goto out;
    if (!obj->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "storage pool '%s' is not active",
                       obj->def->name);
        goto out;
    }
    if (poolIsBusy(obj))
        goto out;
    if (be->refreshPool(obj) < 0) {
        /* libvirt stops a pool whose storage went away */
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        poolStop(drv, obj, be);
        storagePoolEventLifecycle(drv, obj->def, VIR_STORAGE_POOL_EVENT_STOPPED);
        if (!obj->persistent)
            virStoragePoolObjListRemove(drv->pools, obj);
        virErrorRestore(&saved);
        goto out;
    }
    virObjectEventStateQueue(
        drv->eventState, virStoragePoolEventRefreshNew(obj->def->name, obj->def->uuid));
    ret = 0;
out:
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static int
storagePoolGetInfo(virStoragePoolPtr pool, virStoragePoolInfoPtr info)
{
    virStoragePoolObj *obj = storagePoolObjFromPool(pool);

    if (!obj)
        return -1;
    memset(info, 0, sizeof(*info));
    info->state = obj->active ? VIR_STORAGE_POOL_RUNNING : VIR_STORAGE_POOL_INACTIVE;
    info->capacity = obj->def->capacity;
    info->allocation = obj->def->allocation;
    info->available = obj->def->available;
    virStoragePoolObjEndAPI(&obj);
    return 0;
}

static char *
storagePoolGetXMLDesc(virStoragePoolPtr pool, unsigned int flags)
{
    virStoragePoolObj *obj;
    char *ret;

    virCheckFlags(VIR_STORAGE_XML_INACTIVE, NULL);
    if (!(obj = storagePoolObjFromPool(pool)))
        return NULL;
    ret = virStoragePoolDefFormat(
        (flags & VIR_STORAGE_XML_INACTIVE) && obj->newDef ? obj->newDef : obj->def, 0);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static int
storagePoolGetAutostart(virStoragePoolPtr pool, int *autostart)
{
    virStoragePoolObj *obj = storagePoolObjFromPool(pool);

    if (!obj)
        return -1;
    *autostart = obj->autostart;
    virStoragePoolObjEndAPI(&obj);
    return 0;
}

static int
storagePoolSetAutostart(virStoragePoolPtr pool, int autostart)
{
    virStoragePoolObj *obj = storagePoolObjFromPool(pool);
    int ret = -1;

    if (!obj)
        return -1;
    if (!obj->persistent) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot set autostart for transient pool");
        goto out;
    }
    if ((bool)autostart != obj->autostart) {
        if (virStoragePoolObjSetAutostartLink(obj, autostart) < 0)
            goto out;
        obj->autostart = autostart;
    }
    ret = 0;
out:
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static int
storagePoolIsActive(virStoragePoolPtr pool)
{
    virStoragePoolObj *obj = storagePoolObjFromPool(pool);
    int ret;

    if (!obj)
        return -1;
    ret = obj->active;
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static int
storagePoolIsPersistent(virStoragePoolPtr pool)
{
    virStoragePoolObj *obj = storagePoolObjFromPool(pool);
    int ret;

    if (!obj)
        return -1;
    ret = obj->persistent;
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static int
storageConnectStoragePoolEventRegisterAny(virConnectPtr conn, virStoragePoolPtr pool,
                                          int eventID,
                                          virConnectStoragePoolEventGenericCallback cb,
                                          void *opaque, virFreeCallback freecb)
{
    virStorageDriverState *drv = storageDriverOf(conn);
    return virStoragePoolEventStateRegisterID(conn, drv->eventState, pool, eventID, cb,
                                              opaque, freecb);
}

static int
storageConnectStoragePoolEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    virStorageDriverState *drv = storageDriverOf(conn);
    return virObjectEventStateDeregisterKindID(conn, drv->eventState,
                                               VIR_EVENT_KIND_STORAGE_POOL, callbackID);
}

/* ---- the table --------------------------------------------------------- */

const virStorageDriver storageDriverTable = {
    .name = "storage",
    .connectNumOfStoragePools = storageConnectNumOfStoragePools,
    .connectListStoragePools = storageConnectListStoragePools,
    .connectNumOfDefinedStoragePools = storageConnectNumOfDefinedStoragePools,
    .connectListDefinedStoragePools = storageConnectListDefinedStoragePools,
    .connectListAllStoragePools = storageConnectListAllStoragePools,
    .connectFindStoragePoolSources = storageConnectFindStoragePoolSources,
    .storagePoolLookupByName = storagePoolLookupByName,
    .storagePoolLookupByUUID = storagePoolLookupByUUID,
    .storagePoolLookupByVolume = storagePoolLookupByVolume,
    .storagePoolLookupByTargetPath = storagePoolLookupByTargetPath,
    .connectGetStoragePoolCapabilities = storageConnectGetStoragePoolCapabilities,
    .storagePoolCreateXML = storagePoolCreateXML,
    .storagePoolDefineXML = storagePoolDefineXML,
    .storagePoolBuild = storagePoolBuild,
    .storagePoolUndefine = storagePoolUndefine,
    .storagePoolCreate = storagePoolCreate,
    .storagePoolDestroy = storagePoolDestroy,
    .storagePoolDelete = storagePoolDelete,
    .storagePoolRefresh = storagePoolRefresh,
    .storagePoolGetInfo = storagePoolGetInfo,
    .storagePoolGetXMLDesc = storagePoolGetXMLDesc,
    .storagePoolGetAutostart = storagePoolGetAutostart,
    .storagePoolSetAutostart = storagePoolSetAutostart,
    .storagePoolNumOfVolumes = storagePoolNumOfVolumes,
    .storagePoolListVolumes = storagePoolListVolumes,
    .storagePoolListAllVolumes = storagePoolListAllVolumes,
    .storagePoolIsActive = storagePoolIsActive,
    .storagePoolIsPersistent = storagePoolIsPersistent,
    .storageVolLookupByName = storageVolLookupByName,
    .storageVolLookupByKey = storageVolLookupByKey,
    .storageVolLookupByPath = storageVolLookupByPath,
    .storageVolCreateXML = storageVolCreateXML,
    .storageVolCreateXMLFrom = storageVolCreateXMLFrom,
    .storageVolDelete = storageVolDelete,
    .storageVolWipe = storageVolWipe,
    .storageVolWipePattern = storageVolWipePattern,
    .storageVolGetInfo = storageVolGetInfo,
    .storageVolGetInfoFlags = storageVolGetInfoFlags,
    .storageVolGetXMLDesc = storageVolGetXMLDesc,
    .storageVolGetPath = storageVolGetPath,
    .storageVolResize = storageVolResize,
    .storageVolUpload = storageVolUpload,
    .storageVolDownload = storageVolDownload,
    .connectStoragePoolEventRegisterAny = storageConnectStoragePoolEventRegisterAny,
    .connectStoragePoolEventDeregisterAny = storageConnectStoragePoolEventDeregisterAny,
};

/* ---- state ------------------------------------------------------------- */

#define DEFAULT_POOL_UUID_SEED "virtkit-default-pool"

/* The `default` dir pool virt-install and virt-manager look for, defined,
 * built and marked autostart the first time the driver starts (a marker
 * file keeps a pool the user undefined from coming back). */
static void
storageEnsureDefaultPool(virStorageDriverState *drv)
{
    g_autofree char *marker =
        g_build_filename(drv->configDir, ".default-pool-created", NULL);
    g_autofree char *xml = NULL;
    g_autoptr(virStoragePoolDef) def = NULL;
    virStoragePoolObj *obj;
    virErrorPtr saved = NULL;

    if (access(marker, F_OK) == 0)
        return;
    virErrorPreserveLast(&saved);
    if ((obj = virStoragePoolObjFindByName(drv->pools, "default"))) {
        virStoragePoolObjEndAPI(&obj);
        goto done;
    }
    xml = g_strdup_printf("<pool type='dir'><name>default</name><target><path>%s</path>"
                          "<permissions><mode>0711</mode></permissions></target></pool>",
                          drv->imagesDir);
    if (!(def = virStoragePoolDefParseString(xml)) ||
        !(obj = virStoragePoolObjListAdd(drv->pools, &def, false, false))) {
        VIR_NOTICE("default storage pool not defined: %s", virGetLastErrorMessage());
        goto out;
    }
    if (virStoragePoolObjSaveConfig(obj, drv->configDir, drv->autostartDir) < 0 ||
        virStoragePoolObjSetAutostartLink(obj, true) < 0) {
        VIR_NOTICE("default storage pool not saved: %s", virGetLastErrorMessage());
        virStoragePoolObjListRemove(drv->pools, obj);
        virStoragePoolObjEndAPI(&obj);
        goto out;
    }
    obj->autostart = true;
    if (virStorageBackendDirectory.buildPool(obj, 0) < 0)
        VIR_NOTICE("default storage pool not built: %s", virGetLastErrorMessage());
    virStoragePoolObjEndAPI(&obj);
done:
    if (virFileWriteAtomic(marker, "", 0, 0600) < 0)
        VIR_NOTICE("cannot write '%s'", marker);
out:
    virErrorRestore(&saved);
}

static void
storageDriverStateFree(virStorageDriverState *drv)
{
    if (!drv)
        return;
    virStoragePoolObjListFree(drv->pools);
    virObjectEventStateFree(drv->eventState);
    g_free(drv->configDir);
    g_free(drv->autostartDir);
    g_free(drv->stateDir);
    g_free(drv->imagesDir);
    g_free(drv);
}

/* A storage state with its files under @configDir/storage,
 * @runtimeDir/storage and the default pool at @imagesDir: pools loaded,
 * the default pool made the first time, pools that ran before refreshed
 * or stopped. NULL with an error reported. */
static virStorageDriverState *
storageDriverStateNew(bool privileged, const char *configDir, const char *runtimeDir,
                      const char *imagesDir)
{
    virStorageDriverState *drv = g_new0(virStorageDriverState, 1);
    g_autoptr(GPtrArray) objs = NULL;

    drv->privileged = privileged;
    drv->configDir = g_build_filename(configDir, "storage", NULL);
    drv->autostartDir = g_build_filename(drv->configDir, "autostart", NULL);
    drv->stateDir = g_build_filename(runtimeDir, "storage", NULL);
    drv->imagesDir = g_strdup(imagesDir);
    drv->pools = virStoragePoolObjListNew();
    drv->eventState = virObjectEventStateNew();

    if (virFileMakePath(drv->configDir, 0755) < 0 ||
        virFileMakePath(drv->stateDir, 0755) < 0) {
        storageDriverStateFree(drv);
        return NULL;
    }
    virStoragePoolObjListLoadAll(drv->pools, drv->configDir, drv->autostartDir,
                                 drv->stateDir);
    storageEnsureDefaultPool(drv);

    /* pools that ran before the restart: still there, refreshed; gone,
     * stopped */
    objs = virStoragePoolObjListExport(drv->pools, 0);
    for (guint i = 0; i < objs->len; i++) {
        virStoragePoolObj *obj = g_ptr_array_index(objs, i);
        const virStorageBackend *be;
        virErrorPtr saved = NULL;

        g_mutex_lock(&obj->lock);
        virErrorPreserveLast(&saved);
        if (obj->active && (be = virStorageBackendForType(obj->def->type))) {
            if (!(be->checkPool && be->checkPool(obj)) || be->refreshPool(obj) < 0) {
                VIR_NOTICE("storage pool '%s' stopped: its storage is gone",
                           obj->def->name);
                poolStop(drv, obj, NULL);
                if (!obj->persistent)
                    virStoragePoolObjListRemove(drv->pools, obj);
            }
        }
        virErrorRestore(&saved);
        g_mutex_unlock(&obj->lock);
    }
    virStoragePoolObjListFreeArray(g_steal_pointer(&objs));
    return drv;
}

int
storageStateInitialize(const virStateDriverRoots *roots)
{
    g_autofree char *images = NULL;

    if (storageDriver)
        return 0;
    images = g_build_filename(roots->stateDir, "images", NULL);
    if (!(storageDriver = storageDriverStateNew(roots->privileged, roots->configDir,
                                                roots->runtimeDir, images)))
        return -1;
    virObjectEventStateSetJournaled(storageDriver->eventState); /* virtkitd's journal */
    virSetSharedStorageDriver(&storageDriverTable);
    return 0;
}

/* Start @drv's autostart pools once per host boot (the marker lives in
 * its runtime dir, a tmpfs). */
static void
storageDriverAutostart(virStorageDriverState *drv, virStateAutostartReport report,
                       void *opaque)
{
    g_autofree char *marker = g_build_filename(drv->stateDir, "autostarted", NULL);
    GPtrArray *objs;

    if (access(marker, F_OK) == 0)
        return;
    if (virFileWriteAtomicFull(marker, "", 0, 0600, false) < 0)
        virResetLastError(); /* worst case: autostart again after a restart */
    objs = virStoragePoolObjListExport(drv->pools, 0);
    for (guint i = 0; i < objs->len; i++) {
        virStoragePoolObj *obj = g_ptr_array_index(objs, i);
        const virStorageBackend *be;
        virErrorPtr saved = NULL;
        g_autofree char *name = NULL;
        int rc = 0;

        g_mutex_lock(&obj->lock);
        if (!obj->autostart || obj->active) {
            g_mutex_unlock(&obj->lock);
            continue;
        }
        name = g_strdup(obj->def->name);
        virErrorPreserveLast(&saved);
        if (!(be = virStorageBackendForType(obj->def->type)) ||
            poolStart(drv, obj, be, 0, false) < 0)
            rc = -1;
        else
            storagePoolEventLifecycle(drv, obj->def, VIR_STORAGE_POOL_EVENT_STARTED);
        g_mutex_unlock(&obj->lock);
        if (report)
            report("storage", name, rc < 0 ? virGetLastError() : NULL, opaque);
        virErrorRestore(&saved);
    }
    virStoragePoolObjListFreeArray(objs);
}

static void
storageStateAutostart(virStateAutostartReport report, void *opaque)
{
    storageDriverAutostart(storageDriver, report, opaque);
}

void
storageStateCleanup(void)
{
    if (!storageDriver)
        return;
    virSetSharedStorageDriver(NULL);
    g_clear_pointer(&storageDriver, storageDriverStateFree);
}

/* ---- qemu:///embed ------------------------------------------------------ */

static GMutex storageEmbedLock;
static GHashTable *storageEmbedStates; /* root -> virStorageDriverState* */

virStorageDriverState *
storageDriverOf(virConnectPtr conn)
{
    return conn && conn->storagePrivateData ? conn->storagePrivateData : storageDriver;
}

int
storageEmbedOpen(virConnectPtr conn, const char *root)
{
    virStorageDriverState *drv;
    int ret = -1;

    g_mutex_lock(&storageEmbedLock);
    if (!storageEmbedStates)
        storageEmbedStates = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (!(drv = g_hash_table_lookup(storageEmbedStates, root))) {
        g_autofree char *etc = g_build_filename(root, "etc", NULL);
        g_autofree char *run = g_build_filename(root, "run", NULL);
        g_autofree char *images = g_build_filename(root, "lib", "images", NULL);

        if (!(drv = storageDriverStateNew(geteuid() == 0, etc, run, images)))
            goto out;
        /* The state (and the pools it mounted) lives as long as the
         * process, as the embedded QEMU driver's does. */
        g_hash_table_insert(storageEmbedStates, g_strdup(root), drv);
        storageDriverAutostart(drv, NULL, NULL);
    }
    conn->storageDriver = &storageDriverTable;
    conn->storagePrivateData = drv;
    ret = 0;
out:
    g_mutex_unlock(&storageEmbedLock);
    return ret;
}

static int
storageStateActiveCount(void)
{
    return 0; /* a running pool holds nothing that needs the daemon */
}

const virStateDriver storageStateDriver = {
    .name = "storage",
    .stateInitialize = storageStateInitialize,
    .stateAutostart = storageStateAutostart,
    .stateCleanup = storageStateCleanup,
    .stateActiveCount = storageStateActiveCount,
};
