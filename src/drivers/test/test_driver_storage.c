/* test_driver_storage.c: the test driver's storage pools and volumes (libvirt's test driver defaults), its virStorageDriver table */

#define G_LOG_DOMAIN "virtkit.test.storage"

#include <string.h>

#include "driver.h"
#include "object_event.h"
#include "storage_obj.h"
#include "test_driver_priv.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/*
 * As libvirt 9.0's test driver: pools and volumes live in memory only (no
 * file is touched); every pool reports 100 GiB of capacity; a volume's
 * path and key are <pool target>/<name>; test:///default starts with the
 * active, persistent pool "default-pool" at /default-pool. Wipe, resize,
 * upload, download and GetInfoFlags are not implemented there either
 * (NO_SUPPORT). Messages, codes and the function names in flag errors
 * are libvirt's, recorded with python3-libvirt on test:///default.
 */

static const char *const defaultPoolXML =
    "<pool type='dir'>"
    "  <name>default-pool</name>"
    "  <uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>"
    "  <target>"
    "    <path>/default-pool</path>"
    "  </target>"
    "</pool>";
static const unsigned long long defaultPoolCap = 100 * 1024 * 1024 * 1024ull;

static testDriver *
testStorageDriverOf(virConnectPtr conn)
{
    return conn->privateData;
}

static void
testStoragePoolSetDefaults(virStoragePoolDef *def)
{
    def->capacity = defaultPoolCap;
    def->allocation = 0;
    def->available = defaultPoolCap;
}

int
testStorageLoadDefault(testDriver *driver)
{
    virStoragePoolDef *def = virStoragePoolDefParseString(defaultPoolXML);
    virStoragePoolObj *obj;

    if (!def)
        return -1;
    testStoragePoolSetDefaults(def);
    if (!(obj = virStoragePoolObjListAdd(driver->pools, &def, false, false))) {
        virStoragePoolDefFree(def);
        return -1;
    }
    obj->active = true;
    obj->configFile = g_strdup("");
    virStoragePoolObjEndAPI(&obj);
    return 0;
}

/* ---- lookups with libvirt's test-driver messages ----------------------- */

static virStoragePoolObj *
testStoragePoolObjFindByName(testDriver *driver, const char *name)
{
    virStoragePoolObj *obj = virStoragePoolObjFindByName(driver->pools, name);

    if (!obj)
        virReportError(VIR_ERR_NO_STORAGE_POOL, "no storage pool with matching name '%s'",
                       name);
    return obj;
}

static virStoragePoolObj *
testStoragePoolObjFindActiveByName(testDriver *driver, const char *name)
{
    virStoragePoolObj *obj = testStoragePoolObjFindByName(driver, name);

    if (obj && !obj->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "storage pool '%s' is not active",
                       name);
        virStoragePoolObjEndAPI(&obj);
    }
    return obj;
}

static virStoragePoolObj *
testStoragePoolObjFindInactiveByName(testDriver *driver, const char *name)
{
    virStoragePoolObj *obj = testStoragePoolObjFindByName(driver, name);

    if (obj && obj->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "storage pool '%s' is active", name);
        virStoragePoolObjEndAPI(&obj);
    }
    return obj;
}

static void
testPoolEvent(virConnectPtr conn, const virStoragePoolDef *def, int type)
{
    virObjectEventStateQueue(
        testStorageDriverOf(conn)->eventState,
        virStoragePoolEventLifecycleNew(def->name, def->uuid, type, 0));
}

static virStoragePoolPtr
testPoolHandle(virConnectPtr conn, const virStoragePoolDef *def)
{
    return virGetStoragePool(conn, def->name, def->uuid, NULL, NULL);
}

static virStorageVolPtr
testVolHandle(virConnectPtr conn, const virStoragePoolDef *pool,
              const virStorageVolDef *vol)
{
    return virGetStorageVol(conn, pool->name, vol->name, vol->key, NULL, NULL);
}

/* ---- pools ------------------------------------------------------------- */

static int
testConnectNumOfStoragePools(virConnectPtr conn)
{
    return virStoragePoolObjListCount(testStorageDriverOf(conn)->pools, true);
}

static int
testConnectListStoragePools(virConnectPtr conn, char **const names, int maxnames)
{
    return virStoragePoolObjListNames(testStorageDriverOf(conn)->pools, true, names,
                                      maxnames);
}

static int
testConnectNumOfDefinedStoragePools(virConnectPtr conn)
{
    return virStoragePoolObjListCount(testStorageDriverOf(conn)->pools, false);
}

static int
testConnectListDefinedStoragePools(virConnectPtr conn, char **const names, int maxnames)
{
    return virStoragePoolObjListNames(testStorageDriverOf(conn)->pools, false, names,
                                      maxnames);
}

static int
testConnectListAllStoragePools(virConnectPtr conn, virStoragePoolPtr **pools,
                               unsigned int flags)
{
    GPtrArray *objs;
    int n;

    virCheckFlags(0xfffff, -1);
    objs = virStoragePoolObjListExport(testStorageDriverOf(conn)->pools, flags);
    n = objs->len;
    if (pools) {
        virStoragePoolPtr *out = g_new0(virStoragePoolPtr, n + 1);

        for (int i = 0; i < n; i++) {
            virStoragePoolObj *obj = g_ptr_array_index(objs, i);

            g_mutex_lock(&obj->lock);
            out[i] = testPoolHandle(conn, obj->def);
            g_mutex_unlock(&obj->lock);
        }
        *pools = out;
    }
    virStoragePoolObjListFreeArray(objs);
    return n;
}

static virStoragePoolPtr
testStoragePoolLookupByName(virConnectPtr conn, const char *name)
{
    virStoragePoolObj *obj =
        testStoragePoolObjFindByName(testStorageDriverOf(conn), name);
    virStoragePoolPtr ret;

    if (!obj)
        return NULL;
    ret = testPoolHandle(conn, obj->def);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static virStoragePoolPtr
testStoragePoolLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    virStoragePoolObj *obj =
        virStoragePoolObjFindByUUID(testStorageDriverOf(conn)->pools, uuid);
    virStoragePoolPtr ret;

    if (!obj) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        virReportError(VIR_ERR_NO_STORAGE_POOL, "no storage pool with matching uuid '%s'",
                       virUUIDFormat(uuid, uuidstr));
        return NULL;
    }
    ret = testPoolHandle(conn, obj->def);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static virStoragePoolPtr
testStoragePoolLookupByVolume(virStorageVolPtr vol)
{
    return testStoragePoolLookupByName(vol->conn, vol->pool);
}

static virStoragePoolObj *
testStoragePoolObjFromPool(virStoragePoolPtr pool)
{
    return testStoragePoolObjFindByName(testStorageDriverOf(pool->conn), pool->name);
}

static char *
testConnectFindStoragePoolSources(virConnectPtr conn, const char *type,
                                  const char *srcSpec, unsigned int flags)
{
    int t;

    virCheckFlags(0, NULL);
    /* libvirt tests the type with !, so "dir" (0) is "unknown" there too */
    if (!(t = virStoragePoolTypeFromString(type))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "unknown storage pool type %s", type);
        return NULL;
    }
    if (t == VIR_STORAGE_POOL_LOGICAL)
        return g_strdup("<sources>\n"
                        "  <source>\n"
                        "    <device path='/dev/sda20'/>\n"
                        "    <name>testvg1</name>\n"
                        "    <format type='lvm2'/>\n"
                        "  </source>\n"
                        "  <source>\n"
                        "    <device path='/dev/sda21'/>\n"
                        "    <name>testvg2</name>\n"
                        "    <format type='lvm2'/>\n"
                        "  </source>\n"
                        "</sources>\n");
    if (t == VIR_STORAGE_POOL_NETFS) {
        g_autofree char *xml = NULL;
        g_autoptr(virStoragePoolDef) src = NULL;
        GString *out;

        if (!srcSpec) {
            virReportError(
                VIR_ERR_INVALID_ARG, "%s",
                "netfs storage pool source discovery requires the source spec");
            return NULL;
        }
        /* the spec is a <source>: parse it inside a pool of that type (with
         * a folder, which a netfs pool requires and a spec need not give) */
        {
            const char *open = strstr(srcSpec, "<source");
            const char *gt = open ? strchr(open, '>') : NULL;

            if (!gt || gt[-1] == '/') {
                virReportError(VIR_ERR_INVALID_ARG, "%s",
                               "hostname must be specified for netfs sources");
                return NULL;
            }
            xml = g_strdup_printf("<pool type='netfs'><name>s</name>%.*s<dir path='/'/>%s"
                                  "<target><path>/</path></target></pool>",
                                  (int)(gt + 1 - srcSpec), srcSpec, gt + 1);
        }
        if (!(src = virStoragePoolDefParseString(xml)))
            return NULL;
        out = g_string_new("<sources>\n  <source>\n    <host name='");
        {
            g_autofree char *host = g_markup_escape_text(src->source.host, -1);

            g_string_append(out, host);
        }
        g_string_append(out, "'/>\n    <dir path='/testshare'/>\n"
                             "    <format type='nfs'/>\n  </source>\n</sources>\n");
        return g_string_free(out, FALSE);
    }
    virReportError(VIR_ERR_NO_SUPPORT, "pool type '%s' does not support source discovery",
                   type);
    return NULL;
}

static virStoragePoolPtr
testStoragePoolCreateXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    testDriver *driver = testStorageDriverOf(conn);
    g_autoptr(virStoragePoolDef) def = NULL;
    virStoragePoolObj *obj;
    virStoragePoolPtr ret;

    virCheckFlags(0, NULL);
    if (!(def = virStoragePoolDefParseString(xml)))
        return NULL;
    g_mutex_lock(&driver->lock);
    obj = virStoragePoolObjListAdd(driver->pools, &def, false, true);
    g_mutex_unlock(&driver->lock);
    if (!obj)
        return NULL;
    testStoragePoolSetDefaults(obj->def);
    obj->active = true;
    testPoolEvent(conn, obj->def, VIR_STORAGE_POOL_EVENT_STARTED);
    ret = testPoolHandle(conn, obj->def);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static virStoragePoolPtr
testStoragePoolDefineXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    testDriver *driver = testStorageDriverOf(conn);
    g_autoptr(virStoragePoolDef) def = NULL;
    virStoragePoolObj *obj;
    virStoragePoolPtr ret;

    virCheckFlags(VIR_STORAGE_POOL_DEFINE_VALIDATE, NULL);
    if (!(def = virStoragePoolDefParseString(xml)))
        return NULL;
    testStoragePoolSetDefaults(def);
    g_mutex_lock(&driver->lock);
    obj = virStoragePoolObjListAdd(driver->pools, &def, true, false);
    g_mutex_unlock(&driver->lock);
    if (!obj)
        return NULL;
    obj->persistent = true;
    if (!obj->configFile)
        obj->configFile = g_strdup("");
    testPoolEvent(conn, obj->def, VIR_STORAGE_POOL_EVENT_DEFINED);
    ret = testPoolHandle(conn, obj->def);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static int
testStoragePoolUndefine(virStoragePoolPtr pool)
{
    testDriver *driver = testStorageDriverOf(pool->conn);
    virStoragePoolObj *obj;

    g_mutex_lock(&driver->lock);
    if (!(obj = testStoragePoolObjFindInactiveByName(driver, pool->name))) {
        g_mutex_unlock(&driver->lock);
        return -1;
    }
    virStoragePoolObjListRemove(driver->pools, obj);
    g_mutex_unlock(&driver->lock);
    testPoolEvent(pool->conn, obj->def, VIR_STORAGE_POOL_EVENT_UNDEFINED);
    virStoragePoolObjEndAPI(&obj);
    return 0;
}

static int
testStoragePoolBuild(virStoragePoolPtr pool, unsigned int flags)
{
    virStoragePoolObj *obj;

    virCheckFlags(0, -1);
    if (!(obj = testStoragePoolObjFindInactiveByName(testStorageDriverOf(pool->conn),
                                                     pool->name)))
        return -1;
    testPoolEvent(pool->conn, obj->def, VIR_STORAGE_POOL_EVENT_CREATED);
    virStoragePoolObjEndAPI(&obj);
    return 0;
}

static int
testStoragePoolCreate(virStoragePoolPtr pool, unsigned int flags)
{
    virStoragePoolObj *obj;

    virCheckFlags(0, -1);
    if (!(obj = testStoragePoolObjFindInactiveByName(testStorageDriverOf(pool->conn),
                                                     pool->name)))
        return -1;
    obj->active = true;
    testPoolEvent(pool->conn, obj->def, VIR_STORAGE_POOL_EVENT_STARTED);
    virStoragePoolObjEndAPI(&obj);
    return 0;
}

static int
testStoragePoolDestroy(virStoragePoolPtr pool)
{
    testDriver *driver = testStorageDriverOf(pool->conn);
    virStoragePoolObj *obj;

    g_mutex_lock(&driver->lock);
    if (!(obj = testStoragePoolObjFindActiveByName(driver, pool->name))) {
        g_mutex_unlock(&driver->lock);
        return -1;
    }
    obj->active = false;
    testPoolEvent(pool->conn, obj->def, VIR_STORAGE_POOL_EVENT_STOPPED);
    if (obj->newDef) {
        virStoragePoolDefFree(obj->def);
        obj->def = g_steal_pointer(&obj->newDef);
    }
    if (!obj->persistent)
        virStoragePoolObjListRemove(driver->pools, obj);
    g_mutex_unlock(&driver->lock);
    virStoragePoolObjEndAPI(&obj);
    return 0;
}

static int
testStoragePoolDelete(virStoragePoolPtr pool, unsigned int flags)
{
    virStoragePoolObj *obj;

    virCheckFlags(0, -1);
    if (!(obj = testStoragePoolObjFindInactiveByName(testStorageDriverOf(pool->conn),
                                                     pool->name)))
        return -1;
    testPoolEvent(pool->conn, obj->def, VIR_STORAGE_POOL_EVENT_DELETED);
    virStoragePoolObjEndAPI(&obj);
    return 0;
}

static int
testStoragePoolRefresh(virStoragePoolPtr pool, unsigned int flags)
{
    virStoragePoolObj *obj;

    virCheckFlags(0, -1);
    if (!(obj = testStoragePoolObjFindActiveByName(testStorageDriverOf(pool->conn),
                                                   pool->name)))
        return -1;
    virObjectEventStateQueue(
        testStorageDriverOf(pool->conn)->eventState,
        virStoragePoolEventRefreshNew(obj->def->name, obj->def->uuid));
    virStoragePoolObjEndAPI(&obj);
    return 0;
}

static int
testStoragePoolGetInfo(virStoragePoolPtr pool, virStoragePoolInfoPtr info)
{
    virStoragePoolObj *obj = testStoragePoolObjFromPool(pool);

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
testStoragePoolGetXMLDesc(virStoragePoolPtr pool, unsigned int flags)
{
    virStoragePoolObj *obj;
    char *ret;

    virCheckFlags(0, NULL);
    if (!(obj = testStoragePoolObjFromPool(pool)))
        return NULL;
    ret = virStoragePoolDefFormat(obj->def, 0);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static int
testStoragePoolGetAutostart(virStoragePoolPtr pool, int *autostart)
{
    virStoragePoolObj *obj = testStoragePoolObjFromPool(pool);

    if (!obj)
        return -1;
    *autostart = obj->configFile ? obj->autostart : 0;
    virStoragePoolObjEndAPI(&obj);
    return 0;
}

static int
testStoragePoolSetAutostart(virStoragePoolPtr pool, int autostart)
{
    virStoragePoolObj *obj = testStoragePoolObjFromPool(pool);
    int ret = -1;

    if (!obj)
        return -1;
    if (!obj->configFile) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "pool has no config file");
        goto out;
    }
    obj->autostart = autostart != 0;
    ret = 0;
out:
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static int
testStoragePoolIsActive(virStoragePoolPtr pool)
{
    virStoragePoolObj *obj = testStoragePoolObjFromPool(pool);
    int ret;

    if (!obj)
        return -1;
    ret = obj->active;
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static int
testStoragePoolIsPersistent(virStoragePoolPtr pool)
{
    virStoragePoolObj *obj = testStoragePoolObjFromPool(pool);
    int ret;

    if (!obj)
        return -1;
    ret = obj->configFile ? 1 : 0;
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

/* ---- volumes ----------------------------------------------------------- */

static int
testStoragePoolNumOfVolumes(virStoragePoolPtr pool)
{
    virStoragePoolObj *obj =
        testStoragePoolObjFindActiveByName(testStorageDriverOf(pool->conn), pool->name);
    int n;

    if (!obj)
        return -1;
    n = obj->vols->len;
    virStoragePoolObjEndAPI(&obj);
    return n;
}

static int
testStoragePoolListVolumes(virStoragePoolPtr pool, char **const names, int maxnames)
{
    virStoragePoolObj *obj =
        testStoragePoolObjFindActiveByName(testStorageDriverOf(pool->conn), pool->name);
    int n = 0;

    if (!obj)
        return -1;
    for (guint i = 0; i < obj->vols->len && n < maxnames; i++)
        names[n++] =
            g_strdup(((virStorageVolDef *)g_ptr_array_index(obj->vols, i))->name);
    virStoragePoolObjEndAPI(&obj);
    return n;
}

static int
testStoragePoolListAllVolumes(virStoragePoolPtr pool, virStorageVolPtr **vols,
                              unsigned int flags)
{
    virStoragePoolObj *obj;
    int n;

    virCheckFlags(0, -1);
    if (!(obj = testStoragePoolObjFromPool(pool)))
        return -1;
    if (!obj->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "storage pool is not active");
        virStoragePoolObjEndAPI(&obj);
        return -1;
    }
    n = obj->vols->len;
    if (vols) {
        virStorageVolPtr *out = g_new0(virStorageVolPtr, n + 1);

        for (int i = 0; i < n; i++)
            out[i] = testVolHandle(pool->conn, obj->def, g_ptr_array_index(obj->vols, i));
        *vols = out;
    }
    virStoragePoolObjEndAPI(&obj);
    return n;
}

static virStorageVolPtr
testStorageVolLookupByName(virStoragePoolPtr pool, const char *name)
{
    virStoragePoolObj *obj =
        testStoragePoolObjFindActiveByName(testStorageDriverOf(pool->conn), pool->name);
    virStorageVolDef *vol;
    virStorageVolPtr ret = NULL;

    if (!obj)
        return NULL;
    if (!(vol = virStoragePoolObjFindVolByName(obj, name)))
        virReportError(VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching name '%s'",
                       name);
    else
        ret = testVolHandle(pool->conn, obj->def, vol);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static virStorageVolPtr
testStorageVolLookupByKey(virConnectPtr conn, const char *key)
{
    virStorageVolDef *vol;
    virStoragePoolObj *obj =
        virStoragePoolObjListFindVol(testStorageDriverOf(conn)->pools, key, NULL, &vol);
    virStorageVolPtr ret;

    if (!obj) {
        virReportError(VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching key '%s'",
                       key);
        return NULL;
    }
    ret = testVolHandle(conn, obj->def, vol);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static virStorageVolPtr
testStorageVolLookupByPath(virConnectPtr conn, const char *path)
{
    virStorageVolDef *vol;
    virStoragePoolObj *obj =
        virStoragePoolObjListFindVol(testStorageDriverOf(conn)->pools, NULL, path, &vol);
    virStorageVolPtr ret;

    if (!obj) {
        virReportError(VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching path '%s'",
                       path);
        return NULL;
    }
    ret = testVolHandle(conn, obj->def, vol);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

/* Add @vol (taken) to @obj (locked, active) as libvirt's test driver. */
static virStorageVolPtr
testVolAdd(virConnectPtr conn, virStoragePoolObj *obj, virStorageVolDef *vol)
{
    g_autoptr(virStorageVolDef) def = vol;
    virStoragePoolDef *pool = obj->def;

    if (virStoragePoolObjFindVolByName(obj, def->name)) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "storage vol already exists");
        return NULL;
    }
    if (pool->allocation + def->allocation > pool->capacity ||
        def->allocation > pool->capacity) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Not enough free space in pool for volume '%s'", def->name);
        return NULL;
    }
    g_free(def->target.path);
    def->target.path = g_strdup_printf("%s/%s", pool->target.path, def->name);
    g_free(def->key);
    def->key = g_strdup(def->target.path);
    pool->allocation += def->allocation;
    pool->available = pool->capacity - pool->allocation;
    vol = g_steal_pointer(&def);
    virStoragePoolObjAddVol(obj, vol);
    return testVolHandle(conn, pool, vol);
}

static virStorageVolPtr
testStorageVolCreateXML(virStoragePoolPtr pool, const char *xml, unsigned int flags)
{
    virStoragePoolObj *obj;
    virStorageVolDef *def;
    virStorageVolPtr ret = NULL;

    virCheckFlags(VIR_STORAGE_VOL_CREATE_VALIDATE, NULL);
    if (!(obj = testStoragePoolObjFindActiveByName(testStorageDriverOf(pool->conn),
                                                   pool->name)))
        return NULL;
    if ((def = virStorageVolDefParseString(obj->def, xml, 0)))
        ret = testVolAdd(pool->conn, obj, def);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static virStorageVolPtr
testStorageVolCreateXMLFrom(virStoragePoolPtr pool, const char *xml,
                            virStorageVolPtr clonevol, unsigned int flags)
{
    virStoragePoolObj *obj;
    virStorageVolDef *def;
    virStorageVolPtr ret = NULL;

    virCheckFlags(0, NULL);
    if (!(obj = testStoragePoolObjFindActiveByName(testStorageDriverOf(pool->conn),
                                                   pool->name)))
        return NULL;
    if (!(def = virStorageVolDefParseString(obj->def, xml, 0)))
        goto out;
    if (!virStoragePoolObjFindVolByName(obj, clonevol->name)) {
        virReportError(VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching name '%s'",
                       clonevol->name);
        virStorageVolDefFree(def);
        goto out;
    }
    ret = testVolAdd(pool->conn, obj, def);
out:
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

/* The active pool of @vol and the volume; NULL with libvirt's error. */
static virStoragePoolObj *
testVolLookup(virStorageVolPtr vol, virStorageVolDef **def)
{
    virStoragePoolObj *obj =
        testStoragePoolObjFindActiveByName(testStorageDriverOf(vol->conn), vol->pool);

    if (obj && !(*def = virStoragePoolObjFindVolByName(obj, vol->name))) {
        virReportError(VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching name '%s'",
                       vol->name);
        virStoragePoolObjEndAPI(&obj);
    }
    return obj;
}

static int
testStorageVolDelete(virStorageVolPtr vol, unsigned int flags)
{
    virStoragePoolObj *obj;
    virStorageVolDef *def;

    virCheckFlags(0, -1);
    if (!(obj = testVolLookup(vol, &def)))
        return -1;
    obj->def->allocation -= def->allocation;
    obj->def->available = obj->def->capacity - obj->def->allocation;
    virStoragePoolObjRemoveVol(obj, def);
    virStoragePoolObjEndAPI(&obj);
    return 0;
}

static int
testStorageVolGetInfo(virStorageVolPtr vol, virStorageVolInfoPtr info)
{
    virStoragePoolObj *obj;
    virStorageVolDef *def;

    if (!(obj = testVolLookup(vol, &def)))
        return -1;
    memset(info, 0, sizeof(*info));
    info->type = def->type;
    info->capacity = def->capacity;
    info->allocation = def->allocation;
    virStoragePoolObjEndAPI(&obj);
    return 0;
}

static char *
testStorageVolGetXMLDesc(virStorageVolPtr vol, unsigned int flags)
{
    virStoragePoolObj *obj;
    virStorageVolDef *def;
    char *ret;

    virCheckFlags(0, NULL);
    if (!(obj = testVolLookup(vol, &def)))
        return NULL;
    ret = virStorageVolDefFormat(obj->def, def);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

static char *
testStorageVolGetPath(virStorageVolPtr vol)
{
    virStoragePoolObj *obj;
    virStorageVolDef *def;
    char *ret;

    if (!(obj = testVolLookup(vol, &def)))
        return NULL;
    ret = g_strdup(def->target.path);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

/* ---- events: the connection's one event state (test_driver.c), all kinds */

static int
testConnectStoragePoolEventRegisterAny(virConnectPtr conn, virStoragePoolPtr pool,
                                       int eventID,
                                       virConnectStoragePoolEventGenericCallback cb,
                                       void *opaque, virFreeCallback freecb)
{
    testDriver *driver = conn->privateData;

    return virStoragePoolEventStateRegisterID(conn, driver->eventState, pool, eventID, cb,
                                              opaque, freecb);
}

static int
testConnectStoragePoolEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    testDriver *driver = conn->privateData;

    return virObjectEventStateDeregisterKindID(conn, driver->eventState,
                                               VIR_EVENT_KIND_STORAGE_POOL, callbackID);
}

const virStorageDriver testStorageDriver = {
    .name = "Test",
    .connectStoragePoolEventRegisterAny = testConnectStoragePoolEventRegisterAny,
    .connectStoragePoolEventDeregisterAny = testConnectStoragePoolEventDeregisterAny,
    .connectNumOfStoragePools = testConnectNumOfStoragePools,
    .connectListStoragePools = testConnectListStoragePools,
    .connectNumOfDefinedStoragePools = testConnectNumOfDefinedStoragePools,
    .connectListDefinedStoragePools = testConnectListDefinedStoragePools,
    .connectListAllStoragePools = testConnectListAllStoragePools,
    .connectFindStoragePoolSources = testConnectFindStoragePoolSources,
    .storagePoolLookupByName = testStoragePoolLookupByName,
    .storagePoolLookupByUUID = testStoragePoolLookupByUUID,
    .storagePoolLookupByVolume = testStoragePoolLookupByVolume,
    .storagePoolCreateXML = testStoragePoolCreateXML,
    .storagePoolDefineXML = testStoragePoolDefineXML,
    .storagePoolBuild = testStoragePoolBuild,
    .storagePoolUndefine = testStoragePoolUndefine,
    .storagePoolCreate = testStoragePoolCreate,
    .storagePoolDestroy = testStoragePoolDestroy,
    .storagePoolDelete = testStoragePoolDelete,
    .storagePoolRefresh = testStoragePoolRefresh,
    .storagePoolGetInfo = testStoragePoolGetInfo,
    .storagePoolGetXMLDesc = testStoragePoolGetXMLDesc,
    .storagePoolGetAutostart = testStoragePoolGetAutostart,
    .storagePoolSetAutostart = testStoragePoolSetAutostart,
    .storagePoolNumOfVolumes = testStoragePoolNumOfVolumes,
    .storagePoolListVolumes = testStoragePoolListVolumes,
    .storagePoolListAllVolumes = testStoragePoolListAllVolumes,
    .storagePoolIsActive = testStoragePoolIsActive,
    .storagePoolIsPersistent = testStoragePoolIsPersistent,
    .storageVolLookupByName = testStorageVolLookupByName,
    .storageVolLookupByKey = testStorageVolLookupByKey,
    .storageVolLookupByPath = testStorageVolLookupByPath,
    .storageVolCreateXML = testStorageVolCreateXML,
    .storageVolCreateXMLFrom = testStorageVolCreateXMLFrom,
    .storageVolDelete = testStorageVolDelete,
    .storageVolGetInfo = testStorageVolGetInfo,
    .storageVolGetXMLDesc = testStorageVolGetXMLDesc,
    .storageVolGetPath = testStorageVolGetPath,
};
