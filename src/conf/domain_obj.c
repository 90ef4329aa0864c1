/* domain_obj.c: domain objects (def + runtime state), jobs, and the indexed domain list */

/*
 * Threads and locks:
 * - virDomainObj.lock protects every field of the object. Held briefly;
 *   job waits drop it (g_cond_wait_until on jobCond).
 * - virDomainObjList.lock (GRWLock) protects the three hash tables and the
 *   id counter's companions. Lookups take it for reading, add/remove for
 *   writing. Order: list lock, then object lock. virDomainObjListRemove is
 *   entered with the object locked, so it unlocks the object before taking
 *   the list lock and relocks it afterwards.
 * - The list holds one reference per indexed object (owned by the objs
 *   array); byUUID, byName and the id cache borrow it. obj->listIndex is
 *   protected by the list lock, not the object lock.
 * Nothing here blocks except job waits, which are bounded by a deadline.
 */

#define G_LOG_DOMAIN "virtkit.conf.obj"

#include <string.h>

#include "moment_obj.h"
#include "domain_obj.h"
#include "domain_conf_priv.h"
#include "virerror.h"
#include "viruuid.h"
#include "datatypes.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* ---- objects ----------------------------------------------------------- */

virDomainObj *
virDomainObjNew(void)
{
    virDomainObj *obj = g_new0(virDomainObj, 1);

    g_mutex_init(&obj->lock);
    g_cond_init(&obj->jobCond);
    obj->refs = 1;
    obj->state = VIR_DOMAIN_NOSTATE;
    return obj;
}

virDomainObj *
virDomainObjRef(virDomainObj *obj)
{
    g_atomic_int_inc(&obj->refs);
    return obj;
}

void
virDomainObjUnref(virDomainObj *obj)
{
    if (!obj)
        return;
    if (!g_atomic_int_dec_and_test(&obj->refs))
        return;
    if (obj->privateDataFree && obj->privateData)
        obj->privateDataFree(obj->privateData);
    virDomainDefFree(obj->def);
    virDomainDefFree(obj->newDef);
    virDomainMomentObjListFree(obj->snapshots);
    virDomainMomentObjListFree(obj->checkpoints);
    if (obj->deprecations)
        g_ptr_array_unref(obj->deprecations);
    g_cond_clear(&obj->jobCond);
    g_mutex_clear(&obj->lock);
    g_free(obj);
}

void
virDomainObjLock(virDomainObj *obj)
{
    g_mutex_lock(&obj->lock);
}

void
virDomainObjUnlock(virDomainObj *obj)
{
    g_mutex_unlock(&obj->lock);
}

void
virDomainObjEndAPI(virDomainObj **objptr)
{
    if (!*objptr)
        return;
    virDomainObjUnlock(*objptr);
    virDomainObjUnref(*objptr);
    *objptr = NULL;
}

void
virDomainObjSetState(virDomainObj *obj, int state, int reason)
{
    obj->state = state;
    obj->reason = reason;
}

int
virDomainObjGetState(virDomainObj *obj, int *reason)
{
    if (reason)
        *reason = obj->reason;
    return obj->state;
}

bool
virDomainObjIsActive(virDomainObj *obj)
{
    return obj->def && obj->def->id != -1;
}

virDomainDef *
virDomainObjGetPersistentDef(virDomainObj *obj)
{
    return obj->newDef ? obj->newDef : obj->def;
}

/* ---- jobs -------------------------------------------------------------- */

void
virDomainObjAllowDestroy(virDomainObj *obj)
{
    obj->jobAllowDestroy = true;
}

static bool
jobMayStart(virDomainObj *obj, int job)
{
    if (obj->destroyJobActive)
        return false;
    if (obj->job == VIR_JOB_NONE)
        return true;
    return job == VIR_JOB_DESTROY && obj->jobAllowDestroy && obj->job != VIR_JOB_DESTROY;
}

int
virDomainObjBeginJob(virDomainObj *obj, int job, unsigned int timeout_ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

    g_assert(job > VIR_JOB_NONE && job < VIR_JOB_LAST);

    while (!jobMayStart(obj, job)) {
        if (!g_cond_wait_until(&obj->jobCond, &obj->lock, deadline) &&
            !jobMayStart(obj, job)) {
            virReportError(VIR_ERR_OPERATION_TIMEOUT, "%s",
                           "cannot acquire state change lock");
            return -1;
        }
    }

    if (obj->job == VIR_JOB_NONE) {
        obj->job = job;
        obj->jobStartMs = g_get_real_time() / 1000;
        obj->jobOwner = g_thread_self();
        obj->jobAllowDestroy = false;
    } else {
        /* a destroy preempting a MODIFY job that allowed it */
        obj->destroyJobActive = true;
    }
    return 0;
}

void
virDomainObjEndJob(virDomainObj *obj, int job)
{
    if (job == VIR_JOB_DESTROY && obj->destroyJobActive) {
        obj->destroyJobActive = false;
    } else {
        g_assert(obj->job == job);
        obj->job = VIR_JOB_NONE;
        obj->jobOwner = NULL;
        obj->jobAllowDestroy = false;
    }
    g_cond_broadcast(&obj->jobCond);
}

/* ---- the list ---------------------------------------------------------- */

struct _virDomainObjList {
    GRWLock lock;
    /* every indexed object in insertion order (swap-removed), owning the
     * list's reference: iteration walks memory in allocation order, about
     * twice as fast as walking a hash table for 10,000 objects */
    GPtrArray *objs;
    GHashTable *byUUID; /* uuid bytes -> obj (borrowed) */
    GHashTable *byName; /* def->name -> obj (borrowed) */
    /* id -> obj cache (borrowed). Drivers set def->id directly, so the
     * cache is verified on every hit and rebuilt on a miss; its own lock
     * lets readers refresh it while holding the list lock shared. */
    GMutex idLock;
    GHashTable *byID;
    gint nextID; /* atomic; the last id handed out */
};

static guint
uuidHash(gconstpointer key)
{
    guint h;

    /* random v4 UUIDs: any 4 bytes are a good hash */
    memcpy(&h, key, sizeof(h));
    return h;
}

static gboolean
uuidEqual(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, VIR_UUID_BUFLEN) == 0;
}

virDomainObjList *
virDomainObjListNew(void)
{
    virDomainObjList *list = g_new0(virDomainObjList, 1);

    g_rw_lock_init(&list->lock);
    g_mutex_init(&list->idLock);
    list->objs = g_ptr_array_new_with_free_func((GDestroyNotify)virDomainObjUnref);
    list->byUUID = g_hash_table_new_full(uuidHash, uuidEqual, g_free, NULL);
    list->byName = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    list->byID = g_hash_table_new(g_direct_hash, g_direct_equal);
    return list;
}

void
virDomainObjListFree(virDomainObjList *list)
{
    if (!list)
        return;
    g_hash_table_destroy(list->byID);
    g_hash_table_destroy(list->byName);
    g_hash_table_destroy(list->byUUID);
    g_ptr_array_free(list->objs, TRUE);
    g_mutex_clear(&list->idLock);
    g_rw_lock_clear(&list->lock);
    g_free(list);
}

static void
listIndex(virDomainObjList *list, virDomainObj *obj)
{
    obj->listIndex = list->objs->len;
    g_ptr_array_add(list->objs, virDomainObjRef(obj));
    g_hash_table_insert(list->byUUID, g_memdup2(obj->def->uuid, VIR_UUID_BUFLEN), obj);
    g_hash_table_insert(list->byName, g_strdup(obj->def->name), obj);
}

char *
virDomainObjPendingPath(virDomainObj *obj)
{
    if (!obj->pendingDir)
        return NULL;
    return g_strdup_printf("%s/%s.xml", obj->pendingDir, obj->def->name);
}

int
virDomainObjParsePending(virDomainObj *obj)
{
    g_autoptr(virDomainDef) def = NULL;
    g_autofree char *path = virDomainObjPendingPath(obj);

    if (!path)
        return 0;
    if (!(def = virDomainDefParseFile(path, VIR_DOMAIN_DEF_PARSE_INACTIVE)))
        return -1;
    return virDomainObjSetParsed(obj, &def);
}

int
virDomainObjSetParsed(virDomainObj *obj, virDomainDef **parsed)
{
    g_autoptr(virDomainDef) def = g_steal_pointer(parsed);
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    if (!obj->pendingDir)
        return 0;
    if (strcmp(def->name, obj->def->name) != 0 ||
        memcmp(def->uuid, obj->def->uuid, VIR_UUID_BUFLEN) != 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "definition of domain '%s' (uuid %s) now names '%s'",
                       obj->def->name, virUUIDFormat(obj->def->uuid, uuidstr), def->name);
        return -1;
    }
    def->id = obj->def->id;
    virDomainDefFree(obj->def);
    obj->def = g_steal_pointer(&def);
    obj->pendingDir = NULL;
    return 0;
}

/* Install @def in @obj as libvirt's virDomainObjAssignDef does; the
 * replaced persistent definition (if any) goes to *oldDef. */
static void
replaceDef(virDomainObj *obj, virDomainDef *def, bool live, virDomainDef **oldDef)
{
    if (virDomainObjIsActive(obj)) {
        if (live) {
            /* keep the persistent def to restore when the domain stops */
            if (!obj->newDef)
                obj->newDef = obj->def;
            else
                virDomainDefFree(obj->def);
            obj->def = def;
        } else {
            *oldDef = obj->newDef;
            obj->newDef = def;
        }
    } else {
        *oldDef = obj->def;
        obj->def = def;
    }
}

virDomainObj *
virDomainObjListAdd(virDomainObjList *list, virDomainDef **def, unsigned int flags,
                    virDomainDef **oldDef)
{
    virDomainObj *obj;
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    virDomainDef *old = NULL;

    g_rw_lock_writer_lock(&list->lock);

    if ((obj = g_hash_table_lookup(list->byUUID, (*def)->uuid))) {
        virDomainObjLock(obj);
        if (strcmp(obj->def->name, (*def)->name) != 0) {
            virReportError(VIR_ERR_OPERATION_FAILED,
                           "domain '%s' is already defined with uuid %s", obj->def->name,
                           virUUIDFormat(obj->def->uuid, uuidstr));
            goto error;
        }
        if ((flags & VIR_DOMAIN_OBJ_LIST_ADD_CHECK_LIVE) && virDomainObjIsActive(obj)) {
            virReportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is already active",
                           obj->def->name);
            goto error;
        }
        /* The replaced definition may be handed back (*oldDef) and restored:
         * parse it. One that does not parse any more is being replaced
         * anyway; its placeholder (name and UUID) is what it leaves. */
        if (virDomainObjParsePending(obj) < 0) {
            obj->pendingDir = NULL;
            virResetLastError();
        }
        replaceDef(obj, g_steal_pointer(def), !!(flags & VIR_DOMAIN_OBJ_LIST_ADD_LIVE),
                   &old);
        virDomainObjRef(obj);
        g_rw_lock_writer_unlock(&list->lock);
        if (oldDef)
            *oldDef = old;
        else
            virDomainDefFree(old);
        return obj;
    }

    if ((obj = g_hash_table_lookup(list->byName, (*def)->name))) {
        virReportError(VIR_ERR_OPERATION_FAILED,
                       "domain '%s' already exists with uuid %s", (*def)->name,
                       virUUIDFormat(obj->def->uuid, uuidstr));
        g_rw_lock_writer_unlock(&list->lock);
        return NULL;
    }

    obj = virDomainObjNew();
    virDomainObjLock(obj);
    obj->def = g_steal_pointer(def);
    virDomainObjSetState(obj, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_UNKNOWN);
    listIndex(list, obj);
    g_rw_lock_writer_unlock(&list->lock);
    if (oldDef)
        *oldDef = NULL;
    /* the creation reference becomes the caller's */
    return obj;

error:
    virDomainObjUnlock(obj);
    g_rw_lock_writer_unlock(&list->lock);
    return NULL;
}

int
virDomainObjListRename(virDomainObjList *list, virDomainObj *obj, const char *newName,
                       virDomainObjListRenameFunc cb, void *opaque)
{
    g_autofree char *oldName = NULL;
    int ret = -1;

    /* the list lock goes before the object's */
    virDomainObjRef(obj);
    virDomainObjUnlock(obj);
    g_rw_lock_writer_lock(&list->lock);
    virDomainObjLock(obj);
    virDomainObjUnref(obj);

    if (obj->removing) {
        virReportError(VIR_ERR_NO_DOMAIN, "no domain with matching name '%s'",
                       obj->def->name);
        goto cleanup;
    }
    if (strcmp(obj->def->name, newName) == 0) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "Can't rename domain to itself");
        goto cleanup;
    }
    if (g_hash_table_contains(list->byName, newName)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "domain with name '%s' already exists",
                       newName);
        goto cleanup;
    }
    oldName = g_strdup(obj->def->name);
    if (cb(obj, newName, opaque) < 0)
        goto cleanup;
    g_hash_table_remove(list->byName, oldName);
    g_hash_table_insert(list->byName, g_strdup(obj->def->name), obj);
    ret = 0;

cleanup:
    g_rw_lock_writer_unlock(&list->lock);
    return ret;
}

void
virDomainObjListRemove(virDomainObjList *list, virDomainObj *obj)
{
    virDomainObj *indexed;
    unsigned char uuid[VIR_UUID_BUFLEN];
    /* copied while locked: once unlocked, a driver may swap obj->def */
    g_autofree char *name = g_strdup(obj->def->name);

    obj->removing = true;
    memcpy(uuid, obj->def->uuid, VIR_UUID_BUFLEN);
    virDomainObjRef(obj);
    virDomainObjUnlock(obj);

    g_rw_lock_writer_lock(&list->lock);
    indexed = g_hash_table_lookup(list->byUUID, uuid);
    if (indexed == obj) {
        g_hash_table_remove(list->byName, name);
        g_mutex_lock(&list->idLock);
        g_hash_table_remove_all(list->byID);
        g_mutex_unlock(&list->idLock);
        g_hash_table_remove(list->byUUID, uuid);
        /* the last object takes the removed one's place; this drops the
         * list's reference (ours keeps obj alive) */
        g_assert(g_ptr_array_index(list->objs, obj->listIndex) == obj);
        g_ptr_array_remove_index_fast(list->objs, obj->listIndex);
        if (obj->listIndex < list->objs->len) {
            virDomainObj *moved = g_ptr_array_index(list->objs, obj->listIndex);

            moved->listIndex = obj->listIndex;
        }
    }
    g_rw_lock_writer_unlock(&list->lock);

    virDomainObjLock(obj);
    virDomainObjUnref(obj);
}

static __thread bool noWait;
static __thread bool wouldBlock;

void
virDomainObjListSetNoWait(bool enabled)
{
    noWait = enabled;
    wouldBlock = false;
}

bool
virDomainObjListWouldBlock(void)
{
    return wouldBlock;
}

/* The list's read lock; false only in no-wait mode with the lock busy. */
static bool
listReadLock(virDomainObjList *list)
{
    if (!noWait) {
        g_rw_lock_reader_lock(&list->lock);
        return true;
    }
    if (g_rw_lock_reader_trylock(&list->lock))
        return true;
    wouldBlock = true;
    return false;
}

/* Lock a referenced object found under the list lock; NULL if it is being
 * removed, or busy in no-wait mode (the caller's reference is then dropped). */
static virDomainObj *
lockFound(virDomainObj *obj)
{
    if (!noWait) {
        virDomainObjLock(obj);
    } else if (!g_mutex_trylock(&obj->lock)) {
        wouldBlock = true;
        virDomainObjUnref(obj);
        return NULL;
    } else if (obj->pendingDir) {
        /* its definition may be parsed on the way (a file read): not here */
        virDomainObjUnlock(obj);
        wouldBlock = true;
        virDomainObjUnref(obj);
        return NULL;
    }
    if (obj->removing) {
        virDomainObjUnlock(obj);
        virDomainObjUnref(obj);
        return NULL;
    }
    return obj;
}

virDomainObj *
virDomainObjListFindByUUID(virDomainObjList *list, const unsigned char *uuid)
{
    virDomainObj *obj;

    if (!listReadLock(list))
        return NULL;
    if ((obj = g_hash_table_lookup(list->byUUID, uuid)))
        virDomainObjRef(obj);
    g_rw_lock_reader_unlock(&list->lock);
    return obj ? lockFound(obj) : NULL;
}

virDomainObj *
virDomainObjListFindByName(virDomainObjList *list, const char *name)
{
    virDomainObj *obj;

    if (!name)
        return NULL;
    if (!listReadLock(list))
        return NULL;
    if ((obj = g_hash_table_lookup(list->byName, name)))
        virDomainObjRef(obj);
    g_rw_lock_reader_unlock(&list->lock);
    return obj ? lockFound(obj) : NULL;
}

virDomainObj *
virDomainObjListFindByID(virDomainObjList *list, int id)
{
    virDomainObj *obj = NULL;

    if (id < 0)
        return NULL;
    if (noWait) {
        /* a miss locks every object: not for a thread that must not wait */
        wouldBlock = true;
        return NULL;
    }

    g_rw_lock_reader_lock(&list->lock);
    g_mutex_lock(&list->idLock);
    if ((obj = g_hash_table_lookup(list->byID, GINT_TO_POINTER(id))))
        virDomainObjRef(obj);
    g_mutex_unlock(&list->idLock);

    if (obj) {
        /* verify the cached entry: the id may have changed since */
        virDomainObjLock(obj);
        if (!obj->removing && obj->def->id == id) {
            g_rw_lock_reader_unlock(&list->lock);
            return obj;
        }
        virDomainObjUnlock(obj);
        virDomainObjUnref(obj);
        obj = NULL;
    }

    /* miss: rebuild the cache from the objects' current ids */
    g_mutex_lock(&list->idLock);
    g_hash_table_remove_all(list->byID);
    for (guint i = 0; i < list->objs->len; i++) {
        virDomainObj *cur = g_ptr_array_index(list->objs, i);
        int curid;

        virDomainObjLock(cur);
        curid = cur->def->id;
        virDomainObjUnlock(cur);
        if (curid >= 0)
            g_hash_table_insert(list->byID, GINT_TO_POINTER(curid), cur);
        if (curid == id && !obj)
            obj = virDomainObjRef(cur);
    }
    g_mutex_unlock(&list->idLock);
    g_rw_lock_reader_unlock(&list->lock);

    if (!obj)
        return NULL;
    virDomainObjLock(obj);
    if (obj->removing || obj->def->id != id) {
        virDomainObjUnlock(obj);
        virDomainObjUnref(obj);
        return NULL;
    }
    return obj;
}

int
virDomainObjListNextID(virDomainObjList *list)
{
    return g_atomic_int_add(&list->nextID, 1) + 1;
}

void
virDomainObjListBumpID(virDomainObjList *list, int id)
{
    gint cur;

    do {
        cur = g_atomic_int_get(&list->nextID);
        if (cur >= id)
            return;
    } while (!g_atomic_int_compare_and_exchange(&list->nextID, cur, id));
}

int
virDomainObjListNumOfDomains(virDomainObjList *list, bool active)
{
    int count = 0;

    g_rw_lock_reader_lock(&list->lock);
    for (guint i = 0; i < list->objs->len; i++) {
        virDomainObj *obj = g_ptr_array_index(list->objs, i);

        virDomainObjLock(obj);
        if (virDomainObjIsActive(obj) == active)
            count++;
        virDomainObjUnlock(obj);
    }
    g_rw_lock_reader_unlock(&list->lock);
    return count;
}

int
virDomainObjListGetActiveIDs(virDomainObjList *list, int *ids, int maxids)
{
    int count = 0;

    g_rw_lock_reader_lock(&list->lock);
    for (guint i = 0; count < maxids && i < list->objs->len; i++) {
        virDomainObj *obj = g_ptr_array_index(list->objs, i);

        virDomainObjLock(obj);
        if (virDomainObjIsActive(obj))
            ids[count++] = obj->def->id;
        virDomainObjUnlock(obj);
    }
    g_rw_lock_reader_unlock(&list->lock);
    return count;
}

int
virDomainObjListGetInactiveNames(virDomainObjList *list, char **const names, int maxnames)
{
    int count = 0;

    g_rw_lock_reader_lock(&list->lock);
    for (guint i = 0; count < maxnames && i < list->objs->len; i++) {
        virDomainObj *obj = g_ptr_array_index(list->objs, i);

        virDomainObjLock(obj);
        if (!virDomainObjIsActive(obj))
            names[count++] = g_strdup(obj->def->name);
        virDomainObjUnlock(obj);
    }
    g_rw_lock_reader_unlock(&list->lock);
    return count;
}

#define MATCH(f) (flags & (f))

bool
virDomainObjMatchFilter(virDomainObj *obj, unsigned int flags)
{
    /* each group filters only when one of its flags is set, and then any
     * set flag of the group matching is enough */
    if (MATCH(VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE)) {
        bool active = virDomainObjIsActive(obj);

        if (!((MATCH(VIR_CONNECT_LIST_DOMAINS_ACTIVE) && active) ||
              (MATCH(VIR_CONNECT_LIST_DOMAINS_INACTIVE) && !active)))
            return false;
    }

    if (MATCH(VIR_CONNECT_LIST_DOMAINS_PERSISTENT | VIR_CONNECT_LIST_DOMAINS_TRANSIENT)) {
        if (!((MATCH(VIR_CONNECT_LIST_DOMAINS_PERSISTENT) && obj->persistent) ||
              (MATCH(VIR_CONNECT_LIST_DOMAINS_TRANSIENT) && !obj->persistent)))
            return false;
    }

    if (MATCH(VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED |
              VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_OTHER)) {
        int st = obj->state;
        bool other = st != VIR_DOMAIN_RUNNING && st != VIR_DOMAIN_PAUSED &&
                     st != VIR_DOMAIN_SHUTOFF;

        if (!((MATCH(VIR_CONNECT_LIST_DOMAINS_RUNNING) && st == VIR_DOMAIN_RUNNING) ||
              (MATCH(VIR_CONNECT_LIST_DOMAINS_PAUSED) && st == VIR_DOMAIN_PAUSED) ||
              (MATCH(VIR_CONNECT_LIST_DOMAINS_SHUTOFF) && st == VIR_DOMAIN_SHUTOFF) ||
              (MATCH(VIR_CONNECT_LIST_DOMAINS_OTHER) && other)))
            return false;
    }

    if (MATCH(VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE |
              VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE)) {
        if (!((MATCH(VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE) && obj->hasManagedSave) ||
              (MATCH(VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE) && !obj->hasManagedSave)))
            return false;
    }

    if (MATCH(VIR_CONNECT_LIST_DOMAINS_AUTOSTART |
              VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART)) {
        if (!((MATCH(VIR_CONNECT_LIST_DOMAINS_AUTOSTART) && obj->autostart) ||
              (MATCH(VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART) && !obj->autostart)))
            return false;
    }

    if (MATCH(VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT |
              VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT)) {
        bool has = virDomainMomentObjListCount(obj->snapshots) > 0;

        if (!((MATCH(VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT) && has) ||
              (MATCH(VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT) && !has)))
            return false;
    }

    if (MATCH(VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT |
              VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT)) {
        bool has = virDomainMomentObjListCount(obj->checkpoints) > 0;

        if (!((MATCH(VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT) && has) ||
              (MATCH(VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT) && !has)))
            return false;
    }

    return true;
}

#undef MATCH

int
virDomainObjListExport(virDomainObjList *list, virConnectPtr conn, virDomainPtr **domains,
                       unsigned int flags)
{
    g_autoptr(GPtrArray) doms = NULL;
    int count = 0;

    g_rw_lock_reader_lock(&list->lock);
    if (domains)
        doms = g_ptr_array_sized_new(list->objs->len + 1);
    for (guint i = 0; i < list->objs->len; i++) {
        virDomainObj *obj = g_ptr_array_index(list->objs, i);

        /* Listing thousands of domains is bound by cache misses on each
         * object and its definition: fetch them a few iterations ahead.
         * The definition pointer is read with a relaxed atomic load only
         * to prefetch; a stale value costs a wasted prefetch, nothing more. */
        if (i + 8 < list->objs->len)
            __builtin_prefetch(g_ptr_array_index(list->objs, i + 8));
        if (i + 4 < list->objs->len) {
            virDomainObj *ahead = g_ptr_array_index(list->objs, i + 4);
            virDomainDef *def = __atomic_load_n(&ahead->def, __ATOMIC_RELAXED);

            __builtin_prefetch(def);
        }

        virDomainObjLock(obj);
        if (virDomainObjMatchFilter(obj, flags)) {
            if (doms)
                g_ptr_array_add(doms, virGetDomain(conn, obj->def->name, obj->def->uuid,
                                                   obj->def->id));
            count++;
        }
        virDomainObjUnlock(obj);
    }
    g_rw_lock_reader_unlock(&list->lock);

    if (domains) {
        g_ptr_array_add(doms, NULL);
        *domains = (virDomainPtr *)g_ptr_array_free(g_steal_pointer(&doms), FALSE);
    }
    return count;
}

void
virDomainObjListForEach(virDomainObjList *list, virDomainObjListIterator cb, void *opaque)
{
    g_autoptr(GPtrArray) objs = NULL;

    /* snapshot under the lock so that @cb may add or remove domains */
    g_rw_lock_reader_lock(&list->lock);
    objs = g_ptr_array_new_full(list->objs->len, (GDestroyNotify)virDomainObjUnref);
    for (guint i = 0; i < list->objs->len; i++)
        g_ptr_array_add(objs, virDomainObjRef(g_ptr_array_index(list->objs, i)));
    g_rw_lock_reader_unlock(&list->lock);

    for (guint i = 0; i < objs->len; i++)
        cb(g_ptr_array_index(objs, i), opaque);
}

/* ---- state names (internal, as in status XML) -------------------------- */

static const char *const stateNames[VIR_DOMAIN_PMSUSPENDED + 1] = {
    "nostate",  "running", "blocked", "paused",
    "shutdown", "shutoff", "crashed", "pmsuspended",
};
static const char *const unknownReasons[] = { "unknown", NULL };
static const char *const runningReasons[] = {
    "unknown",
    "booted",
    "migrated",
    "restored",
    "from snapshot",
    "unpaused",
    "migration canceled",
    "save canceled",
    "wakeup",
    "crashed",
    "post-copy",
    "post-copy failed",
    NULL,
};
static const char *const pausedReasons[] = {
    "unknown",   "user",
    "migration", "save",
    "dump",      "ioerror",
    "watchdog",  "from snapshot",
    "shutdown",  "snapshot",
    "panicked",  "starting up",
    "post-copy", "post-copy failed",
    NULL,
};
static const char *const shutdownReasons[] = { "unknown", "user", NULL };
static const char *const shutoffReasons[] = {
    "unknown", "shutdown", "destroyed",     "crashed", "migrated",
    "saved",   "failed",   "from snapshot", "daemon",  NULL,
};
static const char *const crashedReasons[] = { "unknown", "panicked", NULL };

static const char *const *
reasonTable(int state)
{
    switch (state) {
    case VIR_DOMAIN_RUNNING:
        return runningReasons;
    case VIR_DOMAIN_PAUSED:
        return pausedReasons;
    case VIR_DOMAIN_SHUTDOWN:
        return shutdownReasons;
    case VIR_DOMAIN_SHUTOFF:
        return shutoffReasons;
    case VIR_DOMAIN_CRASHED:
        return crashedReasons;
    case VIR_DOMAIN_NOSTATE:
    case VIR_DOMAIN_BLOCKED:
    case VIR_DOMAIN_PMSUSPENDED:
        return unknownReasons;
    default:
        return NULL;
    }
}

const char *
virDomainStateTypeToString(int state)
{
    if (state < 0 || state > VIR_DOMAIN_PMSUSPENDED)
        return NULL;
    return stateNames[state];
}

int
virDomainStateTypeFromString(const char *str)
{
    return virDomainEnumFromString(stateNames, VIR_DOMAIN_PMSUSPENDED + 1, str);
}

const char *
virDomainStateReasonToString(int state, int reason)
{
    const char *const *table = reasonTable(state);

    if (!table || reason < 0)
        return NULL;
    for (int i = 0; table[i]; i++) {
        if (i == reason)
            return table[i];
    }
    return NULL;
}

int
virDomainStateReasonFromString(int state, const char *str)
{
    const char *const *table = reasonTable(state);

    if (!table || !str)
        return -1;
    for (int i = 0; table[i]; i++) {
        if (strcmp(table[i], str) == 0)
            return i;
    }
    return -1;
}
