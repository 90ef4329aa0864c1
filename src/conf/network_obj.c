/* network_obj.c: network objects (definition + runtime state) and the list that indexes them */

#define G_LOG_DOMAIN "virtkit.conf.netobj"

#include <net/if.h>
#include <string.h>

#include "datatypes.h"
#include "network_conf.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_NETWORK

struct _virNetworkObjList {
    GMutex lock;
    GPtrArray *objs; /* virNetworkObj *, one reference each */
};

static virNetworkObj *
virNetworkObjNew(void)
{
    virNetworkObj *obj = g_new0(virNetworkObj, 1);

    g_mutex_init(&obj->lock);
    g_cond_init(&obj->cond);
    obj->refs = 1;
    obj->taps = g_ptr_array_new_with_free_func(g_free);
    return obj;
}

virNetworkObj *
virNetworkObjRef(virNetworkObj *obj)
{
    g_atomic_int_inc(&obj->refs);
    return obj;
}

void
virNetworkObjUnref(virNetworkObj *obj)
{
    if (!obj || !g_atomic_int_dec_and_test(&obj->refs))
        return;
    if (obj->privateDataFree)
        obj->privateDataFree(obj->privateData);
    virNetworkDefFree(obj->def);
    virNetworkDefFree(obj->newDef);
    g_ptr_array_unref(obj->taps);
    g_mutex_clear(&obj->lock);
    g_cond_clear(&obj->cond);
    g_free(obj);
}

void
virNetworkObjLock(virNetworkObj *obj)
{
    g_mutex_lock(&obj->lock);
}

void
virNetworkObjUnlock(virNetworkObj *obj)
{
    g_mutex_unlock(&obj->lock);
}

void
virNetworkObjEndAPI(virNetworkObj **objptr)
{
    if (!*objptr)
        return;
    virNetworkObjUnlock(*objptr);
    virNetworkObjUnref(*objptr);
    *objptr = NULL;
}

void
virNetworkObjBeginBusy(virNetworkObj *obj)
{
    while (obj->busy)
        g_cond_wait(&obj->cond, &obj->lock);
    obj->busy = true;
}

void
virNetworkObjEndBusy(virNetworkObj *obj)
{
    obj->busy = false;
    g_cond_broadcast(&obj->cond);
}

virNetworkDef *
virNetworkObjGetPersistentDef(virNetworkObj *obj)
{
    return obj->newDef ? obj->newDef : obj->def;
}

virNetworkObjList *
virNetworkObjListNew(void)
{
    virNetworkObjList *list = g_new0(virNetworkObjList, 1);

    g_mutex_init(&list->lock);
    list->objs = g_ptr_array_new_with_free_func((GDestroyNotify)virNetworkObjUnref);
    return list;
}

void
virNetworkObjListFree(virNetworkObjList *list)
{
    if (!list)
        return;
    g_ptr_array_unref(list->objs);
    g_mutex_clear(&list->lock);
    g_free(list);
}

static virNetworkObj *
findLocked(virNetworkObjList *list, const char *name, const unsigned char *uuid)
{
    for (guint i = 0; i < list->objs->len; i++) {
        virNetworkObj *obj = g_ptr_array_index(list->objs, i);
        /* name and uuid never change while the object is listed */
        if (name && strcmp(obj->def->name, name) == 0)
            return obj;
        if (uuid && memcmp(obj->def->uuid, uuid, 16) == 0)
            return obj;
    }
    return NULL;
}

static virNetworkObj *
findAndLock(virNetworkObjList *list, const char *name, const unsigned char *uuid)
{
    virNetworkObj *obj;

    g_mutex_lock(&list->lock);
    obj = findLocked(list, name, uuid);
    if (obj) {
        virNetworkObjRef(obj);
        virNetworkObjLock(obj);
    }
    g_mutex_unlock(&list->lock);
    if (obj && obj->removed) {
        virNetworkObjEndAPI(&obj);
        return NULL;
    }
    return obj;
}

virNetworkObj *
virNetworkObjListFindByName(virNetworkObjList *list, const char *name)
{
    return findAndLock(list, name, NULL);
}

virNetworkObj *
virNetworkObjListFindByUUID(virNetworkObjList *list, const unsigned char *uuid)
{
    return findAndLock(list, NULL, uuid);
}

virNetworkObj *
virNetworkObjListAdd(virNetworkObjList *list, virNetworkDef **defptr, bool live)
{
    virNetworkDef *def = *defptr;
    virNetworkObj *obj;
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    g_mutex_lock(&list->lock);
    if ((obj = findLocked(list, def->name, NULL))) {
        virNetworkObjLock(obj);
        if (memcmp(obj->def->uuid, def->uuid, 16) != 0) {
            virUUIDFormat(obj->def->uuid, uuidstr);
            virReportError(VIR_ERR_OPERATION_FAILED,
                           "network '%s' already exists with uuid %s", def->name,
                           uuidstr);
            goto error;
        }
        if (live && obj->active) {
            virReportError(VIR_ERR_OPERATION_INVALID, "network is already active as '%s'",
                           obj->def->name);
            goto error;
        }
        if (obj->busy) {
            virReportError(VIR_ERR_OPERATION_INVALID,
                           "network '%s' is changing state; try again", def->name);
            goto error;
        }
        if (live) {
            /* a transient start over an inactive persistent network */
            virNetworkDefFree(obj->newDef);
            obj->newDef = obj->def;
            obj->def = def;
        } else if (obj->active) {
            virNetworkDefFree(obj->newDef);
            obj->newDef = def;
            obj->persistent = true;
        } else {
            virNetworkDefFree(obj->def);
            obj->def = def;
            obj->persistent = true;
        }
        *defptr = NULL;
        virNetworkObjRef(obj);
        g_mutex_unlock(&list->lock);
        return obj;
    }
    if ((obj = findLocked(list, NULL, def->uuid))) {
        virUUIDFormat(def->uuid, uuidstr);
        virReportError(VIR_ERR_OPERATION_FAILED,
                       "network '%s' is already defined with uuid %s", obj->def->name,
                       uuidstr);
        g_mutex_unlock(&list->lock);
        return NULL;
    }
    obj = virNetworkObjNew();
    obj->def = def;
    obj->persistent = !live;
    *defptr = NULL;
    g_ptr_array_add(list->objs, virNetworkObjRef(obj));
    virNetworkObjLock(obj);
    g_mutex_unlock(&list->lock);
    return obj;

error:
    virNetworkObjUnlock(obj);
    g_mutex_unlock(&list->lock);
    return NULL;
}

void
virNetworkObjListRemove(virNetworkObjList *list, virNetworkObj *obj)
{
    /* lock order is list, then object: step out of the object's lock */
    virNetworkObjRef(obj);
    obj->removed = true;
    virNetworkObjUnlock(obj);
    g_mutex_lock(&list->lock);
    g_ptr_array_remove(list->objs, obj);
    g_mutex_unlock(&list->lock);
    virNetworkObjLock(obj);
    virNetworkObjUnref(obj);
}

GPtrArray *
virNetworkObjListCollect(virNetworkObjList *list)
{
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)virNetworkObjUnref);

    g_mutex_lock(&list->lock);
    for (guint i = 0; i < list->objs->len; i++)
        g_ptr_array_add(out, virNetworkObjRef(g_ptr_array_index(list->objs, i)));
    g_mutex_unlock(&list->lock);
    return out;
}

static bool
bridgeInUseLocked(virNetworkObjList *list, const char *bridge, const char *exceptName)
{
    for (guint i = 0; i < list->objs->len; i++) {
        virNetworkObj *obj = g_ptr_array_index(list->objs, i);
        bool used = false;

        if (exceptName && strcmp(obj->def->name, exceptName) == 0)
            continue;
        virNetworkObjLock(obj);
        if (obj->def->bridge && strcmp(obj->def->bridge, bridge) == 0)
            used = true;
        if (obj->newDef && obj->newDef->bridge &&
            strcmp(obj->newDef->bridge, bridge) == 0)
            used = true;
        virNetworkObjUnlock(obj);
        if (used)
            return true;
    }
    return false;
}

bool
virNetworkObjListBridgeInUse(virNetworkObjList *list, const char *bridge,
                             const char *exceptName)
{
    bool ret;

    g_mutex_lock(&list->lock);
    ret = bridgeInUseLocked(list, bridge, exceptName);
    g_mutex_unlock(&list->lock);
    return ret;
}

bool
virNetworkObjMatchFlags(virNetworkObj *obj, unsigned int flags)
{
    if ((flags & (VIR_NETWORK_OBJ_LIST_ACTIVE | VIR_NETWORK_OBJ_LIST_INACTIVE)) &&
        !((flags & VIR_NETWORK_OBJ_LIST_ACTIVE && obj->active) ||
          (flags & VIR_NETWORK_OBJ_LIST_INACTIVE && !obj->active)))
        return false;
    if ((flags & (VIR_NETWORK_OBJ_LIST_PERSISTENT | VIR_NETWORK_OBJ_LIST_TRANSIENT)) &&
        !((flags & VIR_NETWORK_OBJ_LIST_PERSISTENT && obj->persistent) ||
          (flags & VIR_NETWORK_OBJ_LIST_TRANSIENT && !obj->persistent)))
        return false;
    if ((flags & (VIR_NETWORK_OBJ_LIST_AUTOSTART | VIR_NETWORK_OBJ_LIST_NO_AUTOSTART)) &&
        !((flags & VIR_NETWORK_OBJ_LIST_AUTOSTART && obj->autostart) ||
          (flags & VIR_NETWORK_OBJ_LIST_NO_AUTOSTART && !obj->autostart)))
        return false;
    return true;
}

static bool
hostHasInterface(const char *name)
{
    return if_nametoindex(name) != 0;
}

int
virNetworkObjListSetDefaults(virNetworkObjList *list, virNetworkDef *def, bool checkHost)
{
    if (!virNetworkDefIsVirtual(def))
        return 0;

    g_mutex_lock(&list->lock);
    if (!def->bridge || strstr(def->bridge, "%d")) {
        g_autofree char *templ = g_strdup(def->bridge ? def->bridge : "virbr%d");
        bool found = false;

        for (int id = 0; id < 256; id++) {
            g_autofree char *name = NULL;
            char *pct = strstr(templ, "%d");

            name = g_strdup_printf("%.*s%d%s", (int)(pct - templ), templ, id, pct + 2);
            if (bridgeInUseLocked(list, name, def->name) ||
                (checkHost && hostHasInterface(name)))
                continue;
            g_free(def->bridge);
            def->bridge = g_steal_pointer(&name);
            found = true;
            break;
        }
        if (!found) {
            g_mutex_unlock(&list->lock);
            virReportError(VIR_ERR_INTERNAL_ERROR, "Bridge generation exceeded max id %d",
                           256);
            return -1;
        }
    } else if (bridgeInUseLocked(list, def->bridge, def->name)) {
        g_mutex_unlock(&list->lock);
        virReportError(VIR_ERR_INTERNAL_ERROR, "bridge name '%s' already in use.",
                       def->bridge);
        return -1;
    }
    g_mutex_unlock(&list->lock);

    if (strlen(def->bridge) >= IFNAMSIZ) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "bridge name '%s' is longer than %d characters", def->bridge,
                       IFNAMSIZ - 1);
        return -1;
    }
    if (!def->macSpecified) {
        virNetworkGenerateMAC(def->mac);
        def->macSpecified = true;
    }
    return 0;
}

/* ---- helpers of the drivers' list entry points ------------------------ */

int
virNetworkObjListCount(virNetworkObjList *list, bool active)
{
    g_autoptr(GPtrArray) all = virNetworkObjListCollect(list);
    int n = 0;

    for (guint i = 0; i < all->len; i++) {
        virNetworkObj *obj = g_ptr_array_index(all, i);
        virNetworkObjLock(obj);
        if (!obj->removed && obj->active == active)
            n++;
        virNetworkObjUnlock(obj);
    }
    return n;
}

int
virNetworkObjListGetNames(virNetworkObjList *list, bool active, char **const names,
                          int maxnames)
{
    g_autoptr(GPtrArray) all = virNetworkObjListCollect(list);
    int n = 0;

    for (guint i = 0; i < all->len && n < maxnames; i++) {
        virNetworkObj *obj = g_ptr_array_index(all, i);
        virNetworkObjLock(obj);
        if (!obj->removed && obj->active == active)
            names[n++] = g_strdup(obj->def->name);
        virNetworkObjUnlock(obj);
    }
    return n;
}

int
virNetworkObjListExport(virConnectPtr conn, virNetworkObjList *list, virNetworkPtr **nets,
                        unsigned int flags)
{
    g_autoptr(GPtrArray) all = virNetworkObjListCollect(list);
    g_autoptr(GPtrArray) out = g_ptr_array_new();

    for (guint i = 0; i < all->len; i++) {
        virNetworkObj *obj = g_ptr_array_index(all, i);
        virNetworkObjLock(obj);
        if (!obj->removed && virNetworkObjMatchFlags(obj, flags))
            g_ptr_array_add(out, virGetNetwork(conn, obj->def->name, obj->def->uuid));
        virNetworkObjUnlock(obj);
    }
    if (nets) {
        int n = out->len;
        g_ptr_array_add(out, NULL);
        *nets = (virNetworkPtr *)g_ptr_array_free(g_steal_pointer(&out), FALSE);
        return n;
    }
    for (guint i = 0; i < out->len; i++)
        virObjectUnrefNetwork(g_ptr_array_index(out, i));
    return out->len;
}
