/* storage_driver_vol.c: the storage driver's volume entry points (create, clone, delete, wipe, resize, info, lookup) */

#define G_LOG_DOMAIN "virtkit.storage.vol"

#include <string.h>

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "storage_driver_priv.h"
#include "virfdstream.h"
#include "storage_util.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_STORAGE

static virStorageVolPtr
volHandle(virConnectPtr conn, const virStoragePoolDef *pool, const virStorageVolDef *vol)
{
    return virGetStorageVol(conn, pool->name, vol->name, vol->key, NULL, NULL);
}

/* The active pool of @vol, locked and referenced, and the volume in it;
 * NULL with libvirt's error. */
static virStoragePoolObj *
volLookup(virStorageVolPtr vol, virStorageVolDef **def)
{
    virStoragePoolObj *obj =
        storagePoolObjActiveByName(storageDriverOf(vol->conn), vol->pool);

    if (!obj)
        return NULL;
    if (!(*def = virStoragePoolObjFindVolByName(obj, vol->name))) {
        virReportError(VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching name '%s'",
                       vol->name);
        virStoragePoolObjEndAPI(&obj);
    }
    return obj;
}

static virStoragePoolObj *
activePoolFromPool(virStoragePoolPtr pool)
{
    virStoragePoolObj *obj = storagePoolObjFromPool(pool);

    if (obj && !obj->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "storage pool '%s' is not active",
                       obj->def->name);
        virStoragePoolObjEndAPI(&obj);
    }
    return obj;
}

static bool
volIsBusy(const virStorageVolDef *vol)
{
    if (vol->building) {
        virReportError(VIR_ERR_OPERATION_INVALID, "volume '%s' is still being allocated.",
                       vol->name);
        return true;
    }
    if (vol->inUse) {
        virReportError(VIR_ERR_OPERATION_INVALID, "volume '%s' is still in use.",
                       vol->name);
        return true;
    }
    return false;
}

static gint
volNameCmp(gconstpointer a, gconstpointer b)
{
    const virStorageVolDef *x = *(virStorageVolDef *const *)a;
    const virStorageVolDef *y = *(virStorageVolDef *const *)b;

    return strcmp(x->name, y->name);
}

/* ---- listing and lookup ------------------------------------------------ */

int
storagePoolNumOfVolumes(virStoragePoolPtr pool)
{
    virStoragePoolObj *obj = activePoolFromPool(pool);
    int n;

    if (!obj)
        return -1;
    n = obj->vols->len;
    virStoragePoolObjEndAPI(&obj);
    return n;
}

int
storagePoolListVolumes(virStoragePoolPtr pool, char **const names, int maxnames)
{
    virStoragePoolObj *obj = activePoolFromPool(pool);
    int n = 0;

    if (!obj)
        return -1;
    for (guint i = 0; i < obj->vols->len && n < maxnames; i++)
        names[n++] =
            g_strdup(((virStorageVolDef *)g_ptr_array_index(obj->vols, i))->name);
    virStoragePoolObjEndAPI(&obj);
    return n;
}

int
storagePoolListAllVolumes(virStoragePoolPtr pool, virStorageVolPtr **vols,
                          unsigned int flags)
{
    virStoragePoolObj *obj;
    int n;

    virCheckFlags(0, -1);
    if (!(obj = activePoolFromPool(pool)))
        return -1;
    n = obj->vols->len;
    if (vols) {
        g_autoptr(GPtrArray) sorted = g_ptr_array_sized_new(n);
        virStorageVolPtr *out = g_new0(virStorageVolPtr, n + 1);

        for (int i = 0; i < n; i++)
            g_ptr_array_add(sorted, g_ptr_array_index(obj->vols, i));
        g_ptr_array_sort(sorted, volNameCmp);
        for (int i = 0; i < n; i++)
            out[i] = volHandle(pool->conn, obj->def, g_ptr_array_index(sorted, i));
        *vols = out;
    }
    virStoragePoolObjEndAPI(&obj);
    return n;
}

virStorageVolPtr
storageVolLookupByName(virStoragePoolPtr pool, const char *name)
{
    virStoragePoolObj *obj = activePoolFromPool(pool);
    virStorageVolDef *vol;
    virStorageVolPtr ret = NULL;

    if (!obj)
        return NULL;
    if (!(vol = virStoragePoolObjFindVolByName(obj, name)))
        virReportError(VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching name '%s'",
                       name);
    else
        ret = volHandle(pool->conn, obj->def, vol);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

virStorageVolPtr
storageVolLookupByKey(virConnectPtr conn, const char *key)
{
    virStorageVolDef *vol;
    virStoragePoolObj *obj =
        virStoragePoolObjListFindVol(storageDriverOf(conn)->pools, key, NULL, &vol);
    virStorageVolPtr ret;

    if (!obj) {
        virReportError(VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching key %s",
                       key);
        return NULL;
    }
    ret = volHandle(conn, obj->def, vol);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

virStorageVolPtr
storageVolLookupByPath(virConnectPtr conn, const char *path)
{
    g_autofree char *clean = virStorageSanitizePath(path);
    virStorageVolDef *vol;
    virStoragePoolObj *obj =
        virStoragePoolObjListFindVol(storageDriverOf(conn)->pools, NULL, clean, &vol);
    virStorageVolPtr ret;

    if (!obj) {
        virReportError(VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching path '%s'",
                       path);
        return NULL;
    }
    ret = volHandle(conn, obj->def, vol);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

/* ---- create ------------------------------------------------------------ */

/* Create @voldef (taken) in @obj (locked, active), cloning @inputvol (a
 * copy, or NULL): the libvirt sequence: name free, backend createVol (path,
 * key; refuses '/' in names), add as building, build unlocked, refresh.
 * Returns the volume handle or NULL; nothing is left on failure. */
static virStorageVolPtr
volCreate(virConnectPtr conn, virStoragePoolObj *obj, virStorageVolDef *voldef,
          const virStorageVolDef *inputvol, unsigned int flags)
{
    g_autoptr(virStorageVolDef) def = voldef;
    const virStorageBackend *be = virStorageBackendForType(obj->def->type);
    g_autoptr(virStoragePoolDef) poolCopy = NULL;
    g_autoptr(virStorageVolDef) build = NULL;
    virStorageVolDef *vol;
    int rc;

    if (!be)
        return NULL;
    if (virStoragePoolObjFindVolByName(obj, def->name)) {
        virReportError(VIR_ERR_STORAGE_VOL_EXIST, "'%s'", def->name);
        return NULL;
    }
    if (!def->hasCapacity && !def->hasBacking && !inputvol) {
        virReportError(VIR_ERR_NO_SUPPORT, "%s",
                       "volume capacity required for this storage pool");
        return NULL;
    }
    g_clear_pointer(&def->key, g_free);
    if (be->createVol(obj, def) < 0)
        return NULL;

    vol = g_steal_pointer(&def);
    vol->building = true;
    virStoragePoolObjAddVol(obj, vol);
    obj->asyncjobs++;
    build = virStorageVolDefCopy(vol);
    poolCopy = virStoragePoolDefCopy(obj->def);

    g_mutex_unlock(&obj->lock);
    rc = be->buildVol(poolCopy, build, inputvol, flags);
    g_mutex_lock(&obj->lock);

    obj->asyncjobs--;
    vol->building = false;
    if (rc < 0) {
        if (be->refreshPoolAfterVolChange) {
            /* createVol made it on the host (a partition): it goes */
            virErrorPtr saved = NULL;

            virErrorPreserveLast(&saved);
            be->deleteVol(obj, vol, 0);
            virErrorRestore(&saved);
        }
        virStoragePoolObjRemoveVol(obj, vol);
        return NULL;
    }
    vol->formatSet = build->formatSet;
    if (be->refreshVol(obj, vol) < 0) {
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        be->deleteVol(obj, vol, 0);
        virStoragePoolObjRemoveVol(obj, vol);
        virErrorRestore(&saved);
        return NULL;
    }
    obj->def->allocation += vol->allocation;
    obj->def->available -= MIN(obj->def->available, vol->allocation);
    if (be->refreshPoolAfterVolChange) {
        virStorageVolPtr ret = volHandle(conn, obj->def, vol);

        /* the pool's free extents changed; the volume is there either way */
        if (be->refreshPool(obj) < 0)
            VIR_NOTICE("storage pool '%s': refresh after creating '%s' failed",
                       obj->def->name, ret ? ret->name : "");
        return ret;
    }
    return volHandle(conn, obj->def, vol);
}

virStorageVolPtr
storageVolCreateXML(virStoragePoolPtr pool, const char *xml, unsigned int flags)
{
    virStoragePoolObj *obj;
    virStorageVolDef *def;
    virStorageVolPtr ret;

    virCheckFlags(
        VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA | VIR_STORAGE_VOL_CREATE_VALIDATE, NULL);
    if (!(obj = activePoolFromPool(pool)))
        return NULL;
    if (!(def = virStorageVolDefParseString(obj->def, xml,
                                            VIR_VOL_XML_PARSE_OPT_CAPACITY))) {
        virStoragePoolObjEndAPI(&obj);
        return NULL;
    }
    ret = volCreate(pool->conn, obj, def, NULL, flags & ~VIR_STORAGE_VOL_CREATE_VALIDATE);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

virStorageVolPtr
storageVolCreateXMLFrom(virStoragePoolPtr pool, const char *xml,
                        virStorageVolPtr clonevol, unsigned int flags)
{
    virStoragePoolObj *obj = NULL;
    virStoragePoolObj *srcObj = NULL;
    virStorageVolDef *src;
    g_autoptr(virStorageVolDef) input = NULL;
    virStorageVolDef *def;
    virStorageVolPtr ret = NULL;

    virCheckFlags(VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA |
                      VIR_STORAGE_VOL_CREATE_REFLINK | VIR_STORAGE_VOL_CREATE_VALIDATE,
                  NULL);

    /* the source first, copied, so that no two pool locks are held */
    if (!(srcObj = volLookup(clonevol, &src)))
        return NULL;
    if (src->building) {
        virReportError(VIR_ERR_OPERATION_INVALID, "volume '%s' is still being allocated.",
                       src->name);
        virStoragePoolObjEndAPI(&srcObj);
        return NULL;
    }
    input = virStorageVolDefCopy(src);
    src->inUse++;
    virStoragePoolObjEndAPI(&srcObj);

    if (!(obj = activePoolFromPool(pool)))
        goto out;
    if (!(def =
              virStorageVolDefParseString(obj->def, xml, VIR_VOL_XML_PARSE_NO_CAPACITY)))
        goto out;
    /* the clone is at least as large as its source */
    if (def->capacity < input->capacity)
        def->capacity = input->capacity;
    if (!def->hasAllocation)
        def->allocation = input->allocation;
    def->hasCapacity = true;
    ret =
        volCreate(pool->conn, obj, def, input, flags & ~VIR_STORAGE_VOL_CREATE_VALIDATE);

out:
    virStoragePoolObjEndAPI(&obj);
    if ((srcObj = virStoragePoolObjFindByName(storageDriverOf(pool->conn)->pools,
                                              clonevol->pool))) {
        if ((src = virStoragePoolObjFindVolByName(srcObj, clonevol->name)) && src->inUse)
            src->inUse--;
        virStoragePoolObjEndAPI(&srcObj);
    }
    return ret;
}

/* Sets (@value) or removes (NULL) @path's unfinished-upload mark
 * (VIR_STORAGE_UPLOAD_XATTR); a file system without user extended
 * attributes keeps none. */
static void
volUploadMark(const char *path, const char *value)
{
    int rc = value ? setxattr(path, VIR_STORAGE_UPLOAD_XATTR, value, strlen(value), 0)
                   : removexattr(path, VIR_STORAGE_UPLOAD_XATTR);

    if (rc < 0 && errno != ENODATA)
        g_debug("upload mark of '%s': %s", path, g_strerror(errno));
}

/* The finished uploads' syncs: one thread, started on first use, that
 * stays (uploads come in bursts). uploadMarkLock orders a sync's check
 * and removal of its own mark against a new upload's "in-progress". */
static GMutex uploadMarkLock;
static GThreadPool *uploadSyncPool;
/* the paths of the syncs queued or running (each job's own path string),
 * under uploadMarkLock; uploadSyncCond is signalled when one ends */
static GPtrArray *uploadSyncPaths;
static GCond uploadSyncCond;

typedef struct {
    int fd;
    char *mark;
    char *path; /* for the log */
} volUploadSync;

static void
volUploadSyncRun(gpointer data, gpointer unused G_GNUC_UNUSED)
{
    volUploadSync *job = data;

    if (fdatasync(job->fd) < 0) {
        g_debug("fdatasync of '%s': %s", job->path, g_strerror(errno));
    } else {
        char cur[128];
        ssize_t len;
        bool cleared = false;

        g_mutex_lock(&uploadMarkLock);
        len = fgetxattr(job->fd, VIR_STORAGE_UPLOAD_XATTR, cur, sizeof(cur) - 1);
        if (len >= 0) {
            cur[len] = '\0';
            if (strcmp(cur, job->mark) == 0)
                cleared = fremovexattr(job->fd, VIR_STORAGE_UPLOAD_XATTR) == 0;
        }
        g_mutex_unlock(&uploadMarkLock);
        /* the mark's removal is durable too: a host crash must not bring
         * back a "syncing" mark of a boot gone, read as interrupted */
        if (cleared && fsync(job->fd) < 0)
            g_debug("fsync of '%s': %s", job->path, g_strerror(errno));
    }
    close(job->fd);
    g_mutex_lock(&uploadMarkLock);
    g_ptr_array_remove_fast(uploadSyncPaths, job->path);
    g_cond_broadcast(&uploadSyncCond);
    g_mutex_unlock(&uploadMarkLock);
    g_free(job->mark);
    g_free(job->path);
    g_free(job);
}

void
storageVolUploadSyncWait(const char *dir)
{
    g_autofree char *prefix = NULL;

    if (!dir)
        return;
    prefix = g_strconcat(dir, "/", NULL);
    g_mutex_lock(&uploadMarkLock);
    for (;;) {
        bool pending = false;

        for (guint i = 0; uploadSyncPaths && i < uploadSyncPaths->len; i++) {
            if (g_str_has_prefix(g_ptr_array_index(uploadSyncPaths, i), prefix)) {
                pending = true;
                break;
            }
        }
        if (!pending)
            break;
        g_cond_wait(&uploadSyncCond, &uploadMarkLock);
    }
    g_mutex_unlock(&uploadMarkLock);
}

/* @path's upload finished: marks it "syncing" and has its bytes put on
 * the disk in the background, which then removes that mark (if no new
 * upload replaced it). Where that cannot start, syncs here. */
static void
volUploadSyncLater(const char *path)
{
    g_autofree char *mark = virStorageUploadSyncingMark();
    volUploadSync *job;
    int fd = open(path, O_WRONLY | O_CLOEXEC);

    if (fd < 0) {
        g_debug("open of '%s' for its sync: %s", path, g_strerror(errno));
        volUploadMark(path, "interrupted");
        return;
    }
    volUploadMark(path, mark);
    job = g_new0(volUploadSync, 1);
    job->fd = fd;
    job->mark = g_steal_pointer(&mark);
    job->path = g_strdup(path);
    g_mutex_lock(&uploadMarkLock);
    if (!uploadSyncPool)
        uploadSyncPool = g_thread_pool_new(volUploadSyncRun, NULL, 1, FALSE, NULL);
    if (!uploadSyncPaths)
        uploadSyncPaths = g_ptr_array_new();
    g_ptr_array_add(uploadSyncPaths, job->path);
    g_mutex_unlock(&uploadMarkLock);
    if (!uploadSyncPool || !g_thread_pool_push(uploadSyncPool, job, NULL))
        volUploadSyncRun(job, NULL);
}

/* ---- delete, wipe, resize ---------------------------------------------- */

int
storageVolDelete(virStorageVolPtr vol, unsigned int flags)
{
    virStorageVolDef *def;
    virStoragePoolObj *obj = volLookup(vol, &def);
    const virStorageBackend *be;
    int ret = -1;

    if (!obj)
        return -1;
    if (!(be = virStorageBackendForType(obj->def->type)) || volIsBusy(def))
        goto out;
    if (be->deleteVol(obj, def, flags) < 0)
        goto out;
    obj->def->allocation -= MIN(obj->def->allocation, def->allocation);
    obj->def->available += def->allocation;
    virStoragePoolObjRemoveVol(obj, def);
    if (be->refreshPoolAfterVolChange && be->refreshPool(obj) < 0)
        VIR_NOTICE("storage pool '%s': refresh after a volume delete failed",
                   obj->def->name);
    ret = 0;
out:
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

int
storageVolWipePattern(virStorageVolPtr vol, unsigned int algorithm, unsigned int flags)
{
    virStorageVolDef *def;
    virStoragePoolObj *obj;
    const virStorageBackend *be;
    int ret = -1;

    virCheckFlags(0, -1);
    if (algorithm >= 10) { /* VIR_STORAGE_VOL_WIPE_ALG_LAST */
        virReportError(VIR_ERR_INVALID_ARG, "wiping algorithm %d not supported",
                       algorithm);
        return -1;
    }
    if (!(obj = volLookup(vol, &def)))
        return -1;
    if (!(be = virStorageBackendForType(obj->def->type)) || volIsBusy(def))
        goto out;
    def->building = true;
    obj->asyncjobs++;
    {
        g_autoptr(virStorageVolDef) copy = virStorageVolDefCopy(def);

        g_mutex_unlock(&obj->lock);
        ret = be->wipeVol(copy, algorithm, flags);
        g_mutex_lock(&obj->lock);
    }
    obj->asyncjobs--;
    def->building = false;
    /* wiped: whatever an interrupted upload left is gone */
    if (ret == 0 && def->target.path)
        volUploadMark(def->target.path, NULL);
    if (ret == 0 && be->refreshVol(obj, def) < 0)
        ret = -1;
out:
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

int
storageVolWipe(virStorageVolPtr vol, unsigned int flags)
{
    return storageVolWipePattern(vol, VIR_STORAGE_VOL_WIPE_ALG_ZERO, flags);
}

int
storageVolResize(virStorageVolPtr vol, unsigned long long capacity, unsigned int flags)
{
    virStorageVolDef *def;
    virStoragePoolObj *obj;
    const virStorageBackend *be;
    unsigned long long abs, delta = 0;
    int ret = -1;

    virCheckFlags(VIR_STORAGE_VOL_RESIZE_ALLOCATE | VIR_STORAGE_VOL_RESIZE_DELTA |
                      VIR_STORAGE_VOL_RESIZE_SHRINK,
                  -1);
    if (!(obj = volLookup(vol, &def)))
        return -1;
    if (!(be = virStorageBackendForType(obj->def->type)) || volIsBusy(def))
        goto out;
    if (!be->resizeVol) {
        virReportError(VIR_ERR_NO_SUPPORT, "%s",
                       "storage pool does not support changing of volume capacity");
        goto out;
    }

    if (flags & VIR_STORAGE_VOL_RESIZE_DELTA) {
        if (flags & VIR_STORAGE_VOL_RESIZE_SHRINK)
            abs = def->capacity - MIN(capacity, def->capacity);
        else if (capacity > G_MAXINT64 - def->capacity) {
            virReportErrorFull(VIR_FROM_NONE, VIR_ERR_OVERFLOW, __func__,
                               "value too large: %llu", capacity);
            goto out;
        } else
            abs = def->capacity + capacity;
        flags &= ~VIR_STORAGE_VOL_RESIZE_DELTA;
    } else {
        abs = capacity;
    }
    if (abs > G_MAXINT64) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_OVERFLOW, __func__,
                           "value too large: %llu", abs);
        goto out;
    }
    /* as libvirt: never below what is allocated, even with SHRINK */
    if (abs < def->allocation) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "can't shrink capacity below existing allocation");
        goto out;
    }
    if (abs < def->capacity && !(flags & VIR_STORAGE_VOL_RESIZE_SHRINK)) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "Can't shrink capacity below current capacity unless shrink flag "
                       "explicitly specified");
        goto out;
    }
    if ((flags & VIR_STORAGE_VOL_RESIZE_ALLOCATE) && abs > def->allocation)
        delta = abs - def->allocation;
    if (delta > obj->def->available) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                       "Not enough space left in storage pool");
        goto out;
    }

    def->building = true;
    obj->asyncjobs++;
    {
        g_autoptr(virStorageVolDef) copy = virStorageVolDefCopy(def);

        g_mutex_unlock(&obj->lock);
        ret = be->resizeVol(copy, abs, flags);
        g_mutex_lock(&obj->lock);
    }
    obj->asyncjobs--;
    def->building = false;
    if (ret == 0) {
        unsigned long long before = def->allocation;

        if (be->refreshVol(obj, def) == 0 && def->allocation > before) {
            obj->def->allocation += def->allocation - before;
            obj->def->available -= MIN(obj->def->available, def->allocation - before);
        }
    }
out:
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

/* ---- info -------------------------------------------------------------- */

int
storageVolGetInfoFlags(virStorageVolPtr vol, virStorageVolInfoPtr info,
                       unsigned int flags)
{
    virStorageVolDef *def;
    virStoragePoolObj *obj;
    const virStorageBackend *be;
    int ret = -1;

    virCheckFlags(VIR_STORAGE_VOL_GET_PHYSICAL, -1);
    if (!(obj = volLookup(vol, &def)))
        return -1;
    if (!(be = virStorageBackendForType(obj->def->type)))
        goto out;
    if (!def->building && be->refreshVol(obj, def) < 0)
        goto out;
    memset(info, 0, sizeof(*info));
    info->type = def->type;
    info->capacity = def->capacity;
    info->allocation =
        (flags & VIR_STORAGE_VOL_GET_PHYSICAL) ? def->physical : def->allocation;
    ret = 0;
out:
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

int
storageVolGetInfo(virStorageVolPtr vol, virStorageVolInfoPtr info)
{
    return storageVolGetInfoFlags(vol, info, 0);
}

char *
storageVolGetXMLDesc(virStorageVolPtr vol, unsigned int flags)
{
    virStorageVolDef *def;
    virStoragePoolObj *obj;
    const virStorageBackend *be;
    char *ret = NULL;

    virCheckFlags(0, NULL);
    if (!(obj = volLookup(vol, &def)))
        return NULL;
    if (!(be = virStorageBackendForType(obj->def->type)))
        goto out;
    if (!def->building && be->refreshVol(obj, def) < 0)
        goto out;
    ret = virStorageVolDefFormat(obj->def, def);
out:
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

char *
storageVolGetPath(virStorageVolPtr vol)
{
    virStorageVolDef *def;
    virStoragePoolObj *obj = volLookup(vol, &def);
    char *ret;

    if (!obj)
        return NULL;
    ret = g_strdup(def->target.path);
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

/* ---- upload / download -------------------------------------------------- */

typedef struct {
    virStorageDriverState *embed; /* an embed root's state, else NULL: virtkitd's */
    char *pool;
    char *vol;
    char *path; /* of an upload: synced (in the background) when it ends */
} volStreamRef;

/* The transfer is over (finished, aborted, or the stream freed): the
 * volume may be deleted or resized again, and its figures are read anew
 * (the format virtkit recorded stays: uploaded bytes never make a raw
 * volume another format). */
static void
volStreamClosed(virStreamPtr st, bool finished, void *opaque)
{
    volStreamRef *ref = opaque;
    virStorageDriverState *drv = ref->embed ? ref->embed : storageDriver;
    virStoragePoolObj *obj;

    /* an upload that ended any other way than its finish keeps its mark,
     * as "interrupted"; a finished one is answered with its bytes in the
     * page cache, as libvirt answers it (strace of Debian's libvirtd 9.0
     * during virsh vol-upload: no fdatasync, fsync or sync_file_range),
     * and is marked "syncing" until they are on the disk (storage_conf.h) */
    if (ref->path) {
        if (finished)
            volUploadSyncLater(ref->path);
        else
            volUploadMark(ref->path, "interrupted");
        /* the upload's frames are freed (its writer is joined): the heap
         * virtkitd keeps for them (its malloc thresholds) goes back */
        malloc_trim(0);
    }
    if (drv && (obj = virStoragePoolObjFindByName(drv->pools, ref->pool))) {
        virStorageVolDef *def = virStoragePoolObjFindVolByName(obj, ref->vol);
        const virStorageBackend *be = virStorageBackendForType(obj->def->type);

        if (def) {
            if (def->inUse > 0)
                def->inUse--;
            if (be && be->refreshVol) {
                virErrorPtr saved = NULL;

                virErrorPreserveLast(&saved);
                be->refreshVol(obj, def);
                virErrorRestore(&saved);
            }
        }
        virStoragePoolObjEndAPI(&obj);
    }
    g_free(ref->pool);
    g_free(ref->vol);
    g_free(ref->path);
    g_free(ref);
}

static int
volTransfer(virStorageVolPtr vol, virStreamPtr st, unsigned long long offset,
            unsigned long long length, bool upload, bool sparse)
{
    virStorageVolDef *def;
    virStoragePoolObj *obj;
    volStreamRef *ref;
    int ret = -1;

    if (!(obj = volLookup(vol, &def)))
        return -1;
    if (volIsBusy(def))
        goto out;
    if (def->type == VIR_STORAGE_VOL_TYPE_DIR) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "volume '%s' is a directory",
                       def->name);
        goto out;
    }
    if (offset > (unsigned long long)G_MAXINT64 ||
        length > (unsigned long long)G_MAXINT64 - offset) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_OVERFLOW, __func__,
                           "value too large: %llu", offset + length);
        goto out;
    }
    if (virFDStreamOpenFile(st, def->target.path, offset, length,
                            upload ? O_WRONLY : O_RDONLY, sparse) < 0)
        goto out;
    if (upload) {
        g_mutex_lock(&uploadMarkLock);
        volUploadMark(def->target.path, "in-progress");
        g_mutex_unlock(&uploadMarkLock);
    }
    def->inUse++;
    ref = g_new0(volStreamRef, 1);
    ref->embed = vol->conn->storagePrivateData;
    ref->pool = g_strdup(obj->def->name);
    ref->vol = g_strdup(def->name);
    if (upload)
        ref->path = g_strdup(def->target.path);
    virFDStreamSetCloseCallback(st, volStreamClosed, ref);
    ret = 0;
out:
    virStoragePoolObjEndAPI(&obj);
    return ret;
}

int
storageVolUpload(virStorageVolPtr vol, virStreamPtr st, unsigned long long offset,
                 unsigned long long length, unsigned int flags)
{
    virCheckFlags(VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM, -1);
    return volTransfer(vol, st, offset, length, true,
                       flags & VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM);
}

int
storageVolDownload(virStorageVolPtr vol, virStreamPtr st, unsigned long long offset,
                   unsigned long long length, unsigned int flags)
{
    virCheckFlags(VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM, -1);
    return volTransfer(vol, st, offset, length, false,
                       flags & VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM);
}
