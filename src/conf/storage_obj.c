/* storage_obj.c: storage pool objects, their list, definitions and status on disk */

#define G_LOG_DOMAIN "virtkit.conf.storageobj"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "storage_obj.h"
#include "virerror.h"
#include "virfile.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_STORAGE

struct _virStoragePoolObjList {
    GMutex lock;
    GPtrArray *objs; /* virStoragePoolObj *, one reference each */
};

static void
volFree(gpointer p)
{
    virStorageVolDefFree(p);
}

static virStoragePoolObj *
objNew(void)
{
    virStoragePoolObj *obj = g_new0(virStoragePoolObj, 1);

    g_mutex_init(&obj->lock);
    obj->refs = 1;
    obj->vols = g_ptr_array_new_with_free_func(volFree);
    return obj;
}

void
virStoragePoolObjRef(virStoragePoolObj *obj)
{
    g_atomic_int_inc(&obj->refs);
}

void
virStoragePoolObjUnref(virStoragePoolObj *obj)
{
    if (!obj || !g_atomic_int_dec_and_test(&obj->refs))
        return;
    virStoragePoolDefFree(obj->def);
    virStoragePoolDefFree(obj->newDef);
    g_free(obj->configFile);
    g_free(obj->autostartLink);
    g_ptr_array_unref(obj->vols);
    g_mutex_clear(&obj->lock);
    g_free(obj);
}

void
virStoragePoolObjEndAPI(virStoragePoolObj **obj)
{
    if (!*obj)
        return;
    g_mutex_unlock(&(*obj)->lock);
    virStoragePoolObjUnref(*obj);
    *obj = NULL;
}

virStoragePoolObjList *
virStoragePoolObjListNew(void)
{
    virStoragePoolObjList *list = g_new0(virStoragePoolObjList, 1);

    g_mutex_init(&list->lock);
    list->objs = g_ptr_array_new_with_free_func((GDestroyNotify)virStoragePoolObjUnref);
    return list;
}

void
virStoragePoolObjListFree(virStoragePoolObjList *list)
{
    if (!list)
        return;
    g_ptr_array_unref(list->objs);
    g_mutex_clear(&list->lock);
    g_free(list);
}

/* List lock held. The object, unlocked, no new reference. */
static virStoragePoolObj *
findByNameLocked(virStoragePoolObjList *list, const char *name)
{
    for (guint i = 0; i < list->objs->len; i++) {
        virStoragePoolObj *obj = g_ptr_array_index(list->objs, i);

        if (strcmp(obj->def->name, name) == 0)
            return obj;
    }
    return NULL;
}

static virStoragePoolObj *
findByUUIDLocked(virStoragePoolObjList *list, const unsigned char *uuid)
{
    for (guint i = 0; i < list->objs->len; i++) {
        virStoragePoolObj *obj = g_ptr_array_index(list->objs, i);

        if (memcmp(obj->def->uuid, uuid, VIR_UUID_BUFLEN) == 0)
            return obj;
    }
    return NULL;
}

static virStoragePoolObj *
lockRef(virStoragePoolObj *obj)
{
    if (!obj)
        return NULL;
    virStoragePoolObjRef(obj);
    g_mutex_lock(&obj->lock);
    return obj;
}

virStoragePoolObj *
virStoragePoolObjFindByName(virStoragePoolObjList *list, const char *name)
{
    virStoragePoolObj *obj;

    g_mutex_lock(&list->lock);
    obj = lockRef(findByNameLocked(list, name));
    g_mutex_unlock(&list->lock);
    return obj;
}

virStoragePoolObj *
virStoragePoolObjFindByUUID(virStoragePoolObjList *list, const unsigned char *uuid)
{
    virStoragePoolObj *obj;

    g_mutex_lock(&list->lock);
    obj = lockRef(findByUUIDLocked(list, uuid));
    g_mutex_unlock(&list->lock);
    return obj;
}

virStoragePoolObj *
virStoragePoolObjListSearch(virStoragePoolObjList *list,
                            bool (*match)(virStoragePoolObj *obj, void *opaque),
                            void *opaque)
{
    virStoragePoolObj *found = NULL;

    g_mutex_lock(&list->lock);
    for (guint i = 0; i < list->objs->len && !found; i++) {
        virStoragePoolObj *obj = g_ptr_array_index(list->objs, i);

        g_mutex_lock(&obj->lock);
        if (match(obj, opaque)) {
            virStoragePoolObjRef(obj);
            found = obj;
        } else {
            g_mutex_unlock(&obj->lock);
        }
    }
    g_mutex_unlock(&list->lock);
    return found;
}

static bool
strvIntersect(char **a, char **b)
{
    for (; a && *a; a++) {
        for (char **c = b; c && *c; c++) {
            if (strcmp(*a, *c) == 0)
                return true;
        }
    }
    return false;
}

/* libvirt's virStoragePoolObjSourceFindDuplicate, for the types here. */
static virStoragePoolObj *
findSourceDuplicateLocked(virStoragePoolObjList *list, const virStoragePoolDef *def)
{
    for (guint i = 0; i < list->objs->len; i++) {
        virStoragePoolObj *obj = g_ptr_array_index(list->objs, i);
        const virStoragePoolDef *o = obj->def;

        if (strcmp(o->name, def->name) == 0 || o->type != def->type)
            continue;
        switch (def->type) {
        case VIR_STORAGE_POOL_DIR:
            if (o->target.path && def->target.path &&
                strcmp(o->target.path, def->target.path) == 0)
                return obj;
            break;
        case VIR_STORAGE_POOL_NETFS:
            if (g_strcmp0(o->source.dir, def->source.dir) == 0 &&
                g_strcmp0(o->source.host, def->source.host) == 0)
                return obj;
            break;
        case VIR_STORAGE_POOL_LOGICAL:
        case VIR_STORAGE_POOL_ZFS:
        case VIR_STORAGE_POOL_VSTORAGE:
            if (g_strcmp0(o->source.name, def->source.name) == 0)
                return obj;
            break;
        default:
            if (strvIntersect(o->source.devices, def->source.devices))
                return obj;
            break;
        }
    }
    return NULL;
}

virStoragePoolObj *
virStoragePoolObjListAdd(virStoragePoolObjList *list, virStoragePoolDef **def,
                         bool allowActive, bool transient)
{
    virStoragePoolObj *obj;
    virStoragePoolObj *dup;
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    g_mutex_lock(&list->lock);
    /* libvirt checks the source first, then the name and UUID */
    if ((dup = findSourceDuplicateLocked(list, *def))) {
        virReportError(VIR_ERR_OPERATION_FAILED,
                       "Storage source conflict with pool: '%s'", dup->def->name);
        goto error;
    }
    if ((obj = findByUUIDLocked(list, (*def)->uuid))) {
        if (strcmp(obj->def->name, (*def)->name) != 0) {
            virReportError(VIR_ERR_OPERATION_FAILED,
                           "pool '%s' is already defined with uuid %s", obj->def->name,
                           virUUIDFormat(obj->def->uuid, uuidstr));
            goto error;
        }
        g_mutex_lock(&obj->lock);
        if (transient && obj->active) {
            virReportError(VIR_ERR_OPERATION_INVALID, "pool is already active as '%s'",
                           obj->def->name);
            g_mutex_unlock(&obj->lock);
            goto error;
        }
        if (obj->starting) {
            virReportError(VIR_ERR_OPERATION_INVALID, "pool '%s' is starting up",
                           obj->def->name);
            g_mutex_unlock(&obj->lock);
            goto error;
        }
        g_mutex_unlock(&obj->lock);
    } else if ((obj = findByNameLocked(list, (*def)->name))) {
        virReportError(VIR_ERR_OPERATION_FAILED, "pool '%s' already exists with uuid %s",
                       (*def)->name, virUUIDFormat(obj->def->uuid, uuidstr));
        goto error;
    }
    if (obj) {
        g_mutex_lock(&obj->lock);
        if (obj->active && allowActive) {
            virStoragePoolDefFree(obj->newDef);
            obj->newDef = g_steal_pointer(def);
        } else {
            virStoragePoolDefFree(obj->def);
            obj->def = g_steal_pointer(def);
            g_clear_pointer(&obj->newDef, virStoragePoolDefFree);
        }
        virStoragePoolObjRef(obj);
        g_mutex_unlock(&list->lock);
        return obj;
    }

    obj = objNew();
    obj->def = g_steal_pointer(def);
    obj->persistent = !transient;
    g_ptr_array_add(list->objs, obj);
    virStoragePoolObjRef(obj);
    g_mutex_lock(&obj->lock);
    g_mutex_unlock(&list->lock);
    return obj;

error:
    g_mutex_unlock(&list->lock);
    return NULL;
}

void
virStoragePoolObjListRemove(virStoragePoolObjList *list, virStoragePoolObj *obj)
{
    /* Lock order is list then object: drop the object's lock to take the
     * list's; @obj stays alive through the caller's reference. */
    g_mutex_unlock(&obj->lock);
    g_mutex_lock(&list->lock);
    obj->removing = true;
    g_ptr_array_remove(list->objs, obj);
    g_mutex_unlock(&list->lock);
    g_mutex_lock(&obj->lock);
}

/* libvirt's VIR_CONNECT_LIST_STORAGE_POOLS_* values */
#define F_INACTIVE (1u << 0)
#define F_ACTIVE (1u << 1)
#define F_PERSISTENT (1u << 2)
#define F_TRANSIENT (1u << 3)
#define F_AUTOSTART (1u << 4)
#define F_NO_AUTOSTART (1u << 5)
#define F_TYPES_SHIFT 6 /* DIR = 1 << 6, then libvirt's type order */

static bool
objMatch(virStoragePoolObj *obj, unsigned int flags)
{
    unsigned int types = flags >> F_TYPES_SHIFT;

    if ((flags & (F_ACTIVE | F_INACTIVE)) &&
        !(((flags & F_ACTIVE) && obj->active) || ((flags & F_INACTIVE) && !obj->active)))
        return false;
    if ((flags & (F_PERSISTENT | F_TRANSIENT)) &&
        !(((flags & F_PERSISTENT) && obj->persistent) ||
          ((flags & F_TRANSIENT) && !obj->persistent)))
        return false;
    if ((flags & (F_AUTOSTART | F_NO_AUTOSTART)) &&
        !(((flags & F_AUTOSTART) && obj->autostart) ||
          ((flags & F_NO_AUTOSTART) && !obj->autostart)))
        return false;
    if (types && !(types & (1u << obj->def->type)))
        return false;
    return true;
}

static gint
objNameCmp(gconstpointer a, gconstpointer b)
{
    const virStoragePoolObj *x = *(virStoragePoolObj *const *)a;
    const virStoragePoolObj *y = *(virStoragePoolObj *const *)b;

    return strcmp(x->def->name, y->def->name);
}

GPtrArray *
virStoragePoolObjListExport(virStoragePoolObjList *list, unsigned int flags)
{
    GPtrArray *out = g_ptr_array_new();

    g_mutex_lock(&list->lock);
    for (guint i = 0; i < list->objs->len; i++) {
        virStoragePoolObj *obj = g_ptr_array_index(list->objs, i);
        bool take;

        g_mutex_lock(&obj->lock);
        take = objMatch(obj, flags);
        g_mutex_unlock(&obj->lock);
        if (take) {
            virStoragePoolObjRef(obj);
            g_ptr_array_add(out, obj);
        }
    }
    g_mutex_unlock(&list->lock);
    g_ptr_array_sort(out, objNameCmp);
    return out;
}

void
virStoragePoolObjListFreeArray(GPtrArray *objs)
{
    if (!objs)
        return;
    for (guint i = 0; i < objs->len; i++)
        virStoragePoolObjUnref(g_ptr_array_index(objs, i));
    g_ptr_array_unref(objs);
}

int
virStoragePoolObjListNames(virStoragePoolObjList *list, bool active, char **names,
                           int max)
{
    GPtrArray *objs = virStoragePoolObjListExport(list, active ? F_ACTIVE : F_INACTIVE);
    int n = 0;

    for (guint i = 0; i < objs->len && n < max; i++) {
        virStoragePoolObj *obj = g_ptr_array_index(objs, i);

        g_mutex_lock(&obj->lock);
        names[n++] = g_strdup(obj->def->name);
        g_mutex_unlock(&obj->lock);
    }
    virStoragePoolObjListFreeArray(objs);
    return n;
}

int
virStoragePoolObjListCount(virStoragePoolObjList *list, bool active)
{
    GPtrArray *objs = virStoragePoolObjListExport(list, active ? F_ACTIVE : F_INACTIVE);
    int n = objs->len;

    virStoragePoolObjListFreeArray(objs);
    return n;
}

/* ---- volumes ----------------------------------------------------------- */

virStorageVolDef *
virStoragePoolObjFindVolByName(virStoragePoolObj *obj, const char *name)
{
    for (guint i = 0; i < obj->vols->len; i++) {
        virStorageVolDef *vol = g_ptr_array_index(obj->vols, i);

        if (strcmp(vol->name, name) == 0)
            return vol;
    }
    return NULL;
}

virStorageVolDef *
virStoragePoolObjFindVolByKey(virStoragePoolObj *obj, const char *key)
{
    for (guint i = 0; i < obj->vols->len; i++) {
        virStorageVolDef *vol = g_ptr_array_index(obj->vols, i);

        if (vol->key && strcmp(vol->key, key) == 0)
            return vol;
    }
    return NULL;
}

virStorageVolDef *
virStoragePoolObjFindVolByPath(virStoragePoolObj *obj, const char *path)
{
    for (guint i = 0; i < obj->vols->len; i++) {
        virStorageVolDef *vol = g_ptr_array_index(obj->vols, i);

        if (vol->target.path && strcmp(vol->target.path, path) == 0)
            return vol;
    }
    return NULL;
}

typedef struct {
    const char *key;
    const char *path;
    virStorageVolDef *vol;
} virStoragePoolObjVolSearch;

static bool
virStoragePoolObjMatchVol(virStoragePoolObj *obj, void *opaque)
{
    virStoragePoolObjVolSearch *s = opaque;

    if (!obj->active)
        return false;
    s->vol = s->key ? virStoragePoolObjFindVolByKey(obj, s->key)
                    : virStoragePoolObjFindVolByPath(obj, s->path);
    return s->vol != NULL;
}

virStoragePoolObj *
virStoragePoolObjListFindVol(virStoragePoolObjList *list, const char *key,
                             const char *path, virStorageVolDef **vol)
{
    virStoragePoolObjVolSearch s = { key, path, NULL };
    virStoragePoolObj *obj =
        virStoragePoolObjListSearch(list, virStoragePoolObjMatchVol, &s);

    if (obj)
        *vol = s.vol;
    return obj;
}

void
virStoragePoolObjAddVol(virStoragePoolObj *obj, virStorageVolDef *vol)
{
    g_ptr_array_add(obj->vols, vol);
}

void
virStoragePoolObjRemoveVol(virStoragePoolObj *obj, virStorageVolDef *vol)
{
    g_ptr_array_remove(obj->vols, vol);
}

void
virStoragePoolObjClearVols(virStoragePoolObj *obj)
{
    g_ptr_array_set_size(obj->vols, 0);
}

virStoragePoolDef *
virStoragePoolObjPersistentDef(virStoragePoolObj *obj)
{
    return obj->newDef ? obj->newDef : obj->def;
}

/* ---- files ------------------------------------------------------------- */

int
virStoragePoolObjSaveConfig(virStoragePoolObj *obj, const char *configDir,
                            const char *autostartDir)
{
    virStoragePoolDef *def = virStoragePoolObjPersistentDef(obj);
    g_autofree char *xml =
        virStoragePoolDefFormat(def, VIR_STORAGE_POOL_DEF_FORMAT_INACTIVE);
    g_autofree char *path = g_strdup_printf("%s/%s.xml", configDir, def->name);

    if (virFileMakePath(configDir, 0755) < 0)
        return -1;
    if (virFileWriteAtomic(path, xml, strlen(xml), 0600) < 0)
        return -1;
    g_free(obj->configFile);
    obj->configFile = g_steal_pointer(&path);
    g_free(obj->autostartLink);
    obj->autostartLink = g_strdup_printf("%s/%s.xml", autostartDir, def->name);
    return 0;
}

int
virStoragePoolObjDeleteConfig(virStoragePoolObj *obj)
{
    if (!obj->configFile) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "no config file for %s", obj->def->name);
        return -1;
    }
    if (obj->autostartLink && unlink(obj->autostartLink) < 0 && errno != ENOENT) {
        virReportSystemError(errno, "Failed to remove autostart link '%s'",
                             obj->autostartLink);
        return -1;
    }
    if (virFileRemoveDurable(obj->configFile) < 0)
        return -1;
    return 0;
}

int
virStoragePoolObjSetAutostartLink(virStoragePoolObj *obj, bool autostart)
{
    g_autofree char *dir = NULL;

    if (!obj->autostartLink || !obj->configFile) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "no config file for %s", obj->def->name);
        return -1;
    }
    if (!autostart) {
        if (unlink(obj->autostartLink) < 0 && errno != ENOENT && errno != ENOTDIR) {
            virReportSystemError(errno, "Failed to delete symlink '%s'",
                                 obj->autostartLink);
            return -1;
        }
        return 0;
    }
    dir = g_path_get_dirname(obj->autostartLink);
    if (virFileMakePath(dir, 0755) < 0)
        return -1;
    if (symlink(obj->configFile, obj->autostartLink) < 0 && errno != EEXIST) {
        virReportSystemError(errno, "Failed to create symlink '%s' to '%s'",
                             obj->autostartLink, obj->configFile);
        return -1;
    }
    return 0;
}

int
virStoragePoolObjSaveStatus(virStoragePoolObj *obj, const char *stateDir)
{
    g_autofree char *xml = virStoragePoolDefFormat(obj->def, 0);
    g_autofree char *path = g_strdup_printf("%s/%s.xml", stateDir, obj->def->name);

    if (virFileMakePath(stateDir, 0755) < 0)
        return -1;
    return virFileWriteAtomicFull(path, xml, strlen(xml), 0600, false);
}

void
virStoragePoolObjDeleteStatus(virStoragePoolObj *obj, const char *stateDir)
{
    g_autofree char *path = g_strdup_printf("%s/%s.xml", stateDir, obj->def->name);

    virFileRemoveDurableQuiet(path);
}

static virStoragePoolDef *
loadFile(const char *path, const char *file)
{
    g_autofree char *xml = NULL;
    g_autofree char *base = g_strndup(file, strlen(file) - 4);
    virStoragePoolDef *def;
    virErrorPtr saved = NULL;

    virErrorPreserveLast(&saved);
    if (virFileReadAll(path, 1024 * 1024, &xml) < 0 ||
        !(def = virStoragePoolDefParseString(xml))) {
        virErrorPtr err = virGetLastError();

        VIR_NOTICE("storage pool definition '%s' skipped: %s", path,
                   err && err->message ? err->message : "unreadable");
        virErrorRestore(&saved);
        return NULL;
    }
    virErrorRestore(&saved);
    if (strcmp(def->name, base) != 0) {
        VIR_NOTICE("storage pool config filename '%s' does not match pool name '%s'",
                   path, def->name);
        virStoragePoolDefFree(def);
        return NULL;
    }
    return def;
}

static GPtrArray *
listXML(const char *dir, bool *missing)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    DIR *d = opendir(dir);
    struct dirent *ent;

    *missing = !d;
    if (!d)
        return names;
    while ((ent = readdir(d))) {
        size_t len = strlen(ent->d_name);

        if (ent->d_name[0] == '.' || len < 5 ||
            strcmp(ent->d_name + len - 4, ".xml") != 0)
            continue;
        g_ptr_array_add(names, g_strdup(ent->d_name));
    }
    closedir(d);
    g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
    return names;
}

int
virStoragePoolObjListLoadAll(virStoragePoolObjList *list, const char *configDir,
                             const char *autostartDir, const char *stateDir)
{
    g_autoptr(GPtrArray) cfgs = NULL;
    g_autoptr(GPtrArray) states = NULL;
    bool missing;
    int n = 0;

    virFileRemoveAtomicLeftovers(configDir, ".xml");
    cfgs = listXML(configDir, &missing);
    for (guint i = 0; i < cfgs->len; i++) {
        const char *file = g_ptr_array_index(cfgs, i);
        g_autofree char *path = g_build_filename(configDir, file, NULL);
        g_autofree char *link = g_build_filename(autostartDir, file, NULL);
        g_autoptr(virStoragePoolDef) def = loadFile(path, file);
        virStoragePoolObj *obj;
        virErrorPtr saved = NULL;

        if (!def)
            continue;
        virErrorPreserveLast(&saved);
        obj = virStoragePoolObjListAdd(list, &def, false, false);
        if (!obj) {
            virErrorPtr err = virGetLastError();

            VIR_NOTICE("storage pool definition '%s' skipped: %s", path,
                       err && err->message ? err->message : "");
            virErrorRestore(&saved);
            continue;
        }
        virErrorRestore(&saved);
        obj->configFile = g_steal_pointer(&path);
        obj->autostartLink = g_strdup(link);
        obj->autostart = access(link, F_OK) == 0;
        virStoragePoolObjEndAPI(&obj);
        n++;
    }

    virFileRemoveAtomicLeftovers(stateDir, ".xml");
    states = listXML(stateDir, &missing);
    for (guint i = 0; i < states->len; i++) {
        const char *file = g_ptr_array_index(states, i);
        g_autofree char *path = g_build_filename(stateDir, file, NULL);
        g_autoptr(virStoragePoolDef) def = loadFile(path, file);
        virStoragePoolObj *obj;

        if (!def)
            continue;
        if ((obj = virStoragePoolObjFindByName(list, def->name))) {
            /* the saved config stays the persistent one */
            obj->active = true;
            virStoragePoolObjEndAPI(&obj);
            continue;
        }
        {
            virErrorPtr saved = NULL;

            virErrorPreserveLast(&saved);
            obj = virStoragePoolObjListAdd(list, &def, false, true);
            virErrorRestore(&saved);
        }
        if (!obj)
            continue;
        obj->active = true;
        virStoragePoolObjEndAPI(&obj);
        n++;
    }
    return n;
}
