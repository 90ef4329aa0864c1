/* node_device_conf.c: node device objects and their list (filters, copies, libvirt's errors) */

/*
 * Threads: a list's lock guards its table; devices are immutable, so
 * everything given out is copied under the lock (handles hold only names).
 */
#define G_LOG_DOMAIN "virtkit.conf.nodedev"

#include <string.h>

#include "node_device_conf.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NODEDEV

struct _virNodeDeviceObjList {
    GMutex lock;
    int errDomain;
    GHashTable *objs; /* name -> virNodeDeviceObj * */
};

virNodeDeviceObj *
virNodeDeviceObjNew(const char *name, const char *parent, const char *xml)
{
    virNodeDeviceObj *obj = g_new0(virNodeDeviceObj, 1);

    obj->name = g_strdup(name);
    obj->parent = g_strdup(parent);
    obj->xml = g_strdup(xml);
    obj->caps = g_ptr_array_new_with_free_func(g_free);
    obj->matchCaps = g_ptr_array_new_with_free_func(g_free);
    obj->active = true;
    obj->persistent = true;
    return obj;
}

void
virNodeDeviceObjAddCap(virNodeDeviceObj *obj, const char *cap)
{
    g_ptr_array_add(obj->caps, g_strdup(cap));
    g_ptr_array_add(obj->matchCaps, g_strdup(cap));
}

void
virNodeDeviceObjAddMatchCap(virNodeDeviceObj *obj, const char *cap)
{
    g_ptr_array_add(obj->matchCaps, g_strdup(cap));
}

void
virNodeDeviceObjFree(virNodeDeviceObj *obj)
{
    if (!obj)
        return;
    g_free(obj->name);
    g_free(obj->parent);
    g_free(obj->xml);
    g_ptr_array_unref(obj->caps);
    g_ptr_array_unref(obj->matchCaps);
    g_free(obj);
}

virNodeDeviceObjList *
virNodeDeviceObjListNew(int errDomain)
{
    virNodeDeviceObjList *list = g_new0(virNodeDeviceObjList, 1);

    list->errDomain = errDomain;
    g_mutex_init(&list->lock);
    list->objs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify)virNodeDeviceObjFree);
    return list;
}

void
virNodeDeviceObjListFree(virNodeDeviceObjList *list)
{
    if (!list)
        return;
    g_hash_table_unref(list->objs);
    g_mutex_clear(&list->lock);
    g_free(list);
}

void
virNodeDeviceObjListAdd(virNodeDeviceObjList *list, virNodeDeviceObj *obj)
{
    g_mutex_lock(&list->lock);
    g_hash_table_replace(list->objs, obj->name, obj);
    g_mutex_unlock(&list->lock);
}

void
virNodeDeviceObjListReplace(virNodeDeviceObjList *list, GPtrArray *objs)
{
    g_autoptr(GHashTable) old = NULL;

    g_mutex_lock(&list->lock);
    old = g_steal_pointer(&list->objs);
    list->objs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify)virNodeDeviceObjFree);
    for (guint i = 0; i < objs->len; i++) {
        virNodeDeviceObj *obj = objs->pdata[i];

        g_hash_table_replace(list->objs, obj->name, obj);
    }
    g_ptr_array_set_free_func(objs, NULL);
    g_ptr_array_set_size(objs, 0);
    g_mutex_unlock(&list->lock);
}

static bool
hasCap(const virNodeDeviceObj *obj, const char *cap)
{
    for (guint i = 0; i < obj->matchCaps->len; i++) {
        if (g_str_equal(obj->matchCaps->pdata[i], cap))
            return true;
    }
    return false;
}

static gint
compareNames(gconstpointer a, gconstpointer b)
{
    const virNodeDeviceObj *oa = *(virNodeDeviceObj *const *)a;
    const virNodeDeviceObj *ob = *(virNodeDeviceObj *const *)b;

    return strcmp(oa->name, ob->name);
}

/* The devices with @cap, in name order. Lock held. */
static GPtrArray *
collect(virNodeDeviceObjList *list, const char *cap)
{
    GPtrArray *out = g_ptr_array_new();
    GHashTableIter it;
    virNodeDeviceObj *obj;

    g_hash_table_iter_init(&it, list->objs);
    while (g_hash_table_iter_next(&it, NULL, (gpointer *)&obj)) {
        if (!cap || hasCap(obj, cap))
            g_ptr_array_add(out, obj);
    }
    g_ptr_array_sort(out, compareNames);
    return out;
}

int
virNodeDeviceObjListNumOfDevices(virNodeDeviceObjList *list, const char *cap)
{
    g_autoptr(GPtrArray) all = NULL;

    g_mutex_lock(&list->lock);
    all = collect(list, cap);
    g_mutex_unlock(&list->lock);
    return all->len;
}

int
virNodeDeviceObjListGetNames(virNodeDeviceObjList *list, const char *cap,
                             char **const names, int maxnames)
{
    g_autoptr(GPtrArray) all = NULL;
    int n = 0;

    g_mutex_lock(&list->lock);
    all = collect(list, cap);
    for (guint i = 0; i < all->len && n < maxnames; i++)
        names[n++] = g_strdup(((virNodeDeviceObj *)all->pdata[i])->name);
    g_mutex_unlock(&list->lock);
    return n;
}

/* libvirt's VIR_CONNECT_LIST_NODE_DEVICES_CAP_* bits, in order */
static const char *const capFlagNames[] = {
    "system",      "pci",        "usb_device", "usb",     "net",    "scsi_host",
    "scsi_target", "scsi",       "storage",    "fc_host", "vports", "scsi_generic",
    "drm",         "mdev_types", "mdev",       "ccw",     "css",    "vdpa",
    "ap_card",     "ap_queue",   "ap_matrix",  "vpd",
};

static bool
matchFlags(const virNodeDeviceObj *obj, unsigned int flags)
{
    unsigned int capBits = flags & ((1u << G_N_ELEMENTS(capFlagNames)) - 1);
    unsigned int stateBits = flags & (VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE |
                                      VIR_CONNECT_LIST_NODE_DEVICES_INACTIVE);

    if (capBits) {
        bool any = false;

        for (size_t i = 0; i < G_N_ELEMENTS(capFlagNames) && !any; i++)
            any = (capBits & (1u << i)) && hasCap(obj, capFlagNames[i]);
        if (!any)
            return false;
    }
    if (stateBits &&
        !(((stateBits & VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE) && obj->active) ||
          ((stateBits & VIR_CONNECT_LIST_NODE_DEVICES_INACTIVE) && !obj->active)))
        return false;
    return true;
}

int
virNodeDeviceObjListExport(virConnectPtr conn, virNodeDeviceObjList *list,
                           virNodeDevicePtr **devices, unsigned int flags)
{
    g_autoptr(GPtrArray) all = NULL;
    g_autoptr(GPtrArray) out = g_ptr_array_new();

    g_mutex_lock(&list->lock);
    all = collect(list, NULL);
    for (guint i = 0; i < all->len; i++) {
        virNodeDeviceObj *obj = all->pdata[i];

        if (!matchFlags(obj, flags))
            continue;
        g_ptr_array_add(out, devices ? virGetNodeDevice(conn, obj->name) : NULL);
    }
    g_mutex_unlock(&list->lock);
    if (devices) {
        g_ptr_array_add(out, NULL);
        *devices = (virNodeDevicePtr *)g_ptr_array_steal(out, NULL);
        return g_strv_length((char **)*devices);
    }
    return out->len;
}

/* The device @name, or NULL with NO_NODE_DEVICE. Lock held. */
static virNodeDeviceObj *
find(virNodeDeviceObjList *list, const char *name)
{
    virNodeDeviceObj *obj = g_hash_table_lookup(list->objs, name);

    if (!obj)
        virReportErrorFull(list->errDomain, VIR_ERR_NO_NODE_DEVICE, __func__,
                           "no node device with matching name '%s'", name);
    return obj;
}

bool
virNodeDeviceObjListHas(virNodeDeviceObjList *list, const char *name)
{
    bool ret;

    g_mutex_lock(&list->lock);
    ret = find(list, name) != NULL;
    g_mutex_unlock(&list->lock);
    return ret;
}

char *
virNodeDeviceObjListGetXML(virNodeDeviceObjList *list, const char *name)
{
    virNodeDeviceObj *obj;
    char *ret = NULL;

    g_mutex_lock(&list->lock);
    if ((obj = find(list, name)))
        ret = g_strdup(obj->xml);
    g_mutex_unlock(&list->lock);
    return ret;
}

char *
virNodeDeviceObjListGetParent(virNodeDeviceObjList *list, const char *name)
{
    virNodeDeviceObj *obj;
    char *ret = NULL;

    g_mutex_lock(&list->lock);
    if ((obj = find(list, name))) {
        if (obj->parent)
            ret = g_strdup(obj->parent);
        else
            virReportErrorFull(list->errDomain, VIR_ERR_INTERNAL_ERROR, __func__, "%s",
                               "no parent for this device");
    }
    g_mutex_unlock(&list->lock);
    return ret;
}

int
virNodeDeviceObjListNumOfCaps(virNodeDeviceObjList *list, const char *name)
{
    virNodeDeviceObj *obj;
    int ret = -1;

    g_mutex_lock(&list->lock);
    if ((obj = find(list, name)))
        ret = obj->caps->len;
    g_mutex_unlock(&list->lock);
    return ret;
}

int
virNodeDeviceObjListListCaps(virNodeDeviceObjList *list, const char *name,
                             char **const names, int maxnames)
{
    virNodeDeviceObj *obj;
    int n = -1;

    g_mutex_lock(&list->lock);
    if ((obj = find(list, name))) {
        for (n = 0; n < (int)obj->caps->len && n < maxnames; n++)
            names[n] = g_strdup(obj->caps->pdata[n]);
    }
    g_mutex_unlock(&list->lock);
    return n;
}

int
virNodeDeviceObjListIsActive(virNodeDeviceObjList *list, const char *name)
{
    virNodeDeviceObj *obj;
    int ret = -1;

    g_mutex_lock(&list->lock);
    if ((obj = find(list, name)))
        ret = obj->active;
    g_mutex_unlock(&list->lock);
    return ret;
}

int
virNodeDeviceObjListIsPersistent(virNodeDeviceObjList *list, const char *name)
{
    virNodeDeviceObj *obj;
    int ret = -1;

    g_mutex_lock(&list->lock);
    if ((obj = find(list, name)))
        ret = obj->persistent;
    g_mutex_unlock(&list->lock);
    return ret;
}

int
virNodeDeviceObjListGetAutostart(virNodeDeviceObjList *list, const char *name)
{
    virNodeDeviceObj *obj;
    int ret = -1;

    g_mutex_lock(&list->lock);
    if ((obj = find(list, name)))
        ret = obj->autostart;
    g_mutex_unlock(&list->lock);
    return ret;
}

/* ---- create / destroy (network engineer) ---------------------------------- */

bool
virNodeDeviceObjListRemove(virNodeDeviceObjList *list, const char *name)
{
    bool ret;

    g_mutex_lock(&list->lock);
    ret = g_hash_table_remove(list->objs, name);
    g_mutex_unlock(&list->lock);
    return ret;
}

virNodeDeviceObj *
virNodeDeviceObjListCopy(virNodeDeviceObjList *list, const char *name, bool quiet)
{
    virNodeDeviceObj *obj;
    virNodeDeviceObj *copy = NULL;

    g_mutex_lock(&list->lock);
    obj = quiet ? g_hash_table_lookup(list->objs, name) : find(list, name);
    if (obj) {
        copy = virNodeDeviceObjNew(obj->name, obj->parent, obj->xml);
        for (guint i = 0; i < obj->caps->len; i++)
            g_ptr_array_add(copy->caps, g_strdup(obj->caps->pdata[i]));
        for (guint i = 0; i < obj->matchCaps->len; i++)
            g_ptr_array_add(copy->matchCaps, g_strdup(obj->matchCaps->pdata[i]));
        copy->active = obj->active;
        copy->persistent = obj->persistent;
        copy->autostart = obj->autostart;
    }
    g_mutex_unlock(&list->lock);
    return copy;
}

static gint
compareStrings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *
virNodeDeviceObjListCopyAll(virNodeDeviceObjList *list)
{
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)virNodeDeviceObjFree);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    GHashTableIter it;
    gpointer key;

    g_mutex_lock(&list->lock);
    g_hash_table_iter_init(&it, list->objs);
    while (g_hash_table_iter_next(&it, &key, NULL))
        g_ptr_array_add(names, g_strdup(key));
    g_mutex_unlock(&list->lock);
    g_ptr_array_sort(names, compareStrings);
    for (guint i = 0; i < names->len; i++) {
        virNodeDeviceObj *obj = virNodeDeviceObjListCopy(list, names->pdata[i], true);

        if (obj)
            g_ptr_array_add(out, obj);
    }
    return out;
}

bool
virNodeDeviceObjHasCap(const virNodeDeviceObj *obj, const char *cap)
{
    return hasCap(obj, cap);
}
