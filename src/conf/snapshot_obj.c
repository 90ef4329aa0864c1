/* snapshot_obj.c: the snapshot tree of one domain (lookup, parent/children, current, filtered listing) and the queries every driver answers with it */
#define G_LOG_DOMAIN "virtkit.conf.snapshotobj"

#include <libvirt/libvirt.h>
#include <string.h>

#include "snapshot_conf.h"
#include "snapshot_obj.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* A handful of snapshots per domain: linear scans over the array keep the
 * tree trivially consistent (the links are the parent names). */
struct _virDomainSnapshotObjList {
    GPtrArray *snaps; /* virDomainSnapshotDef *, owned, in creation order */
    char *current;    /* name of the current snapshot, or NULL */
};

virDomainSnapshotObjList *
virDomainSnapshotObjListNew(void)
{
    virDomainSnapshotObjList *list = g_new0(virDomainSnapshotObjList, 1);

    list->snaps =
        g_ptr_array_new_with_free_func((GDestroyNotify)virDomainSnapshotDefFree);
    return list;
}

void
virDomainSnapshotObjListFree(virDomainSnapshotObjList *list)
{
    if (!list)
        return;
    g_ptr_array_unref(list->snaps);
    g_free(list->current);
    g_free(list);
}

int
virDomainSnapshotObjListCount(const virDomainSnapshotObjList *list)
{
    return list ? (int)list->snaps->len : 0;
}

static int
indexOf(virDomainSnapshotObjList *list, const char *name)
{
    for (guint i = 0; i < list->snaps->len; i++) {
        virDomainSnapshotDef *def = list->snaps->pdata[i];

        if (g_str_equal(def->name, name))
            return i;
    }
    return -1;
}

virDomainSnapshotDef *
virDomainSnapshotObjListFind(virDomainSnapshotObjList *list, const char *name)
{
    int i;

    if (!list || !name || (i = indexOf(list, name)) < 0)
        return NULL;
    return list->snaps->pdata[i];
}

int
virDomainSnapshotObjListAdd(virDomainSnapshotObjList *list, virDomainSnapshotDef **def)
{
    if (indexOf(list, (*def)->name) >= 0) {
        virReportError(VIR_ERR_OPERATION_FAILED, "domain moment %s already exists",
                       (*def)->name);
        return -1;
    }
    g_ptr_array_add(list->snaps, g_steal_pointer(def));
    return 0;
}

void
virDomainSnapshotObjListReplace(virDomainSnapshotObjList *list,
                                virDomainSnapshotDef **def)
{
    int i = indexOf(list, (*def)->name);

    if (i < 0) {
        g_ptr_array_add(list->snaps, g_steal_pointer(def));
        return;
    }
    virDomainSnapshotDefFree(list->snaps->pdata[i]);
    list->snaps->pdata[i] = g_steal_pointer(def);
}

void
virDomainSnapshotObjListRemove(virDomainSnapshotObjList *list, const char *name)
{
    int i = indexOf(list, name);
    virDomainSnapshotDef *gone;

    if (i < 0)
        return;
    gone = list->snaps->pdata[i];
    for (guint j = 0; j < list->snaps->len; j++) {
        virDomainSnapshotDef *def = list->snaps->pdata[j];

        if (def->parent_name && g_str_equal(def->parent_name, name)) {
            g_free(def->parent_name);
            def->parent_name = g_strdup(gone->parent_name);
        }
    }
    if (g_strcmp0(list->current, name) == 0)
        g_clear_pointer(&list->current, g_free);
    g_ptr_array_remove_index(list->snaps, i);
}

void
virDomainSnapshotObjListRemoveAll(virDomainSnapshotObjList *list)
{
    if (!list)
        return;
    g_ptr_array_set_size(list->snaps, 0);
    g_clear_pointer(&list->current, g_free);
}

const char *
virDomainSnapshotObjListGetCurrent(const virDomainSnapshotObjList *list)
{
    return list ? list->current : NULL;
}

void
virDomainSnapshotObjListSetCurrent(virDomainSnapshotObjList *list, const char *name)
{
    g_free(list->current);
    list->current = g_strdup(name);
}

int
virDomainSnapshotObjListNumChildren(virDomainSnapshotObjList *list, const char *name)
{
    int n = 0;

    if (!list)
        return 0;
    for (guint i = 0; i < list->snaps->len; i++) {
        virDomainSnapshotDef *def = list->snaps->pdata[i];

        if (g_strcmp0(def->parent_name, name) == 0)
            n++;
    }
    return n;
}

/* Append the children of @name (NULL: the roots) to @out, each followed
 * by its own descendants when @recurse. As libvirt, the newest child
 * comes first (its moments prepend new children). */
static void
collect(virDomainSnapshotObjList *list, const char *name, bool recurse, GPtrArray *out)
{
    for (guint i = list->snaps->len; i-- > 0;) {
        virDomainSnapshotDef *def = list->snaps->pdata[i];

        if (g_strcmp0(def->parent_name, name) != 0)
            continue;
        g_ptr_array_add(out, def);
        if (recurse)
            collect(list, def->name, true, out);
    }
}

GPtrArray *
virDomainSnapshotObjListDescendants(virDomainSnapshotObjList *list, const char *name)
{
    g_autoptr(GPtrArray) defs = g_ptr_array_new();
    GPtrArray *names = g_ptr_array_new();

    if (!list)
        return names;
    collect(list, name, true, defs);
    for (guint i = 0; i < defs->len; i++)
        g_ptr_array_add(names, ((virDomainSnapshotDef *)defs->pdata[i])->name);
    return names;
}

static bool
matches(virDomainSnapshotObjList *list, virDomainSnapshotDef *def, unsigned int flags)
{
    unsigned int leaves =
        flags & (VIR_DOMAIN_SNAPSHOT_LIST_LEAVES | VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES);
    unsigned int states =
        flags & (VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE | VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE |
                 VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY);
    unsigned int locs =
        flags & (VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL | VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL);

    /* every snapshot listed here has metadata */
    if ((flags & VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA) &&
        !(flags & VIR_DOMAIN_SNAPSHOT_LIST_METADATA))
        return false;
    if (leaves == VIR_DOMAIN_SNAPSHOT_LIST_LEAVES &&
        virDomainSnapshotObjListNumChildren(list, def->name) > 0)
        return false;
    if (leaves == VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES &&
        virDomainSnapshotObjListNumChildren(list, def->name) == 0)
        return false;
    if (states) {
        bool ok;

        if (def->state == VIR_DOMAIN_SNAPSHOT_SHUTOFF)
            ok = states & VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE;
        else if (def->state == VIR_DOMAIN_SNAPSHOT_DISK_SNAPSHOT)
            ok = states & VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY;
        else
            ok = states & VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE;
        if (!ok)
            return false;
    }
    if (locs) {
        bool ext = virDomainSnapshotDefIsExternal(def);

        if (!((ext && (locs & VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL)) ||
              (!ext && (locs & VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL))))
            return false;
    }
    return true;
}

GPtrArray *
virDomainSnapshotObjListNames(virDomainSnapshotObjList *list, const char *from,
                              unsigned int flags)
{
    g_autoptr(GPtrArray) defs = g_ptr_array_new();
    GPtrArray *names = g_ptr_array_new();
    /* ROOTS (listing a domain) and DESCENDANTS (listing a snapshot) share a bit */
    bool bit0 = flags & VIR_DOMAIN_SNAPSHOT_LIST_ROOTS;

    if (!list)
        return names;
    if (from)
        collect(list, from, bit0, defs);
    else
        collect(list, NULL, !bit0, defs);
    for (guint i = 0; i < defs->len; i++) {
        virDomainSnapshotDef *def = defs->pdata[i];

        if (matches(list, def, flags))
            g_ptr_array_add(names, def->name);
    }
    return names;
}

/* ---- the queries both drivers answer (snapshot_obj.h) -------------------- */

virDomainSnapshotDef *
virDomainSnapshotQueryFind(virDomainObj *obj, const char *name, int errdom)
{
    virDomainSnapshotDef *def = virDomainSnapshotObjListFind(obj->snapshots, name);

    if (!def)
        virReportErrorFull(errdom, VIR_ERR_NO_DOMAIN_SNAPSHOT, __func__,
                           "no domain snapshot with matching name '%s'", name);
    return def;
}

virDomainObj *
virDomainSnapshotQueryObj(const virDomainSnapshotQueryOps *ops, virDomainSnapshotPtr snap,
                          virDomainSnapshotDef **def)
{
    virDomainObj *obj = ops->objFromDomain(snap->domain);

    if (!obj)
        return NULL;
    if (!(*def = virDomainSnapshotQueryFind(obj, snap->name, ops->errdom))) {
        virDomainObjEndAPI(&obj);
        return NULL;
    }
    return obj;
}

int
virDomainSnapshotQueryList(const virDomainSnapshotQueryOps *ops, virDomainPtr dom,
                           const char *from, unsigned int flags, char **const names,
                           int maxnames, virDomainSnapshotPtr **snaps)
{
    virDomainObj *obj = ops->objFromDomain(dom);
    g_autoptr(GPtrArray) found = NULL;
    g_auto(GStrv) copy = NULL;
    int n;

    if (!obj)
        return -1;
    if (from && !virDomainSnapshotQueryFind(obj, from, ops->errdom)) {
        virDomainObjEndAPI(&obj);
        return -1;
    }
    /* copy the names: they belong to the tree, which the lock protects */
    found = virDomainSnapshotObjListNames(obj->snapshots, from, flags);
    n = found->len;
    copy = g_new0(char *, n + 1);
    for (int i = 0; i < n; i++)
        copy[i] = g_strdup(found->pdata[i]);
    virDomainObjEndAPI(&obj);

    if (names) {
        n = MIN(n, maxnames);
        for (int i = 0; i < n; i++)
            names[i] = g_strdup(copy[i]);
    }
    if (snaps) {
        virDomainSnapshotPtr *list = g_new0(virDomainSnapshotPtr, n + 1);

        for (int i = 0; i < n; i++)
            list[i] = virGetDomainSnapshot(dom, copy[i]);
        *snaps = list;
    }
    return n;
}

virDomainSnapshotPtr
virDomainSnapshotQueryLookup(const virDomainSnapshotQueryOps *ops, virDomainPtr dom,
                             const char *name)
{
    virDomainObj *obj = ops->objFromDomain(dom);
    virDomainSnapshotPtr ret = NULL;

    if (!obj)
        return NULL;
    if (virDomainSnapshotQueryFind(obj, name, ops->errdom))
        ret = virGetDomainSnapshot(dom, name);
    virDomainObjEndAPI(&obj);
    return ret;
}

virDomainSnapshotPtr
virDomainSnapshotQueryCurrent(const virDomainSnapshotQueryOps *ops, virDomainPtr dom)
{
    virDomainObj *obj = ops->objFromDomain(dom);
    const char *cur;
    virDomainSnapshotPtr ret = NULL;

    if (!obj)
        return NULL;
    if (!(cur = virDomainSnapshotObjListGetCurrent(obj->snapshots)))
        virReportErrorFull(ops->errdom, VIR_ERR_NO_DOMAIN_SNAPSHOT, __func__, "%s",
                           "the domain does not have a current snapshot");
    else
        ret = virGetDomainSnapshot(dom, cur);
    virDomainObjEndAPI(&obj);
    return ret;
}

virDomainSnapshotPtr
virDomainSnapshotQueryParent(const virDomainSnapshotQueryOps *ops,
                             virDomainSnapshotPtr snap)
{
    virDomainSnapshotDef *def;
    virDomainObj *obj = virDomainSnapshotQueryObj(ops, snap, &def);
    virDomainSnapshotPtr ret = NULL;

    if (!obj)
        return NULL;
    if (!def->parent_name)
        virReportErrorFull(ops->errdom, VIR_ERR_NO_DOMAIN_SNAPSHOT, __func__,
                           "snapshot '%s' does not have a parent", def->name);
    else
        ret = virGetDomainSnapshot(snap->domain, def->parent_name);
    virDomainObjEndAPI(&obj);
    return ret;
}

int
virDomainSnapshotQueryHasCurrent(const virDomainSnapshotQueryOps *ops, virDomainPtr dom)
{
    virDomainObj *obj = ops->objFromDomain(dom);
    int ret;

    if (!obj)
        return -1;
    ret = virDomainSnapshotObjListGetCurrent(obj->snapshots) != NULL;
    virDomainObjEndAPI(&obj);
    return ret;
}

int
virDomainSnapshotQueryIsCurrent(const virDomainSnapshotQueryOps *ops,
                                virDomainSnapshotPtr snap)
{
    virDomainSnapshotDef *def;
    virDomainObj *obj = virDomainSnapshotQueryObj(ops, snap, &def);
    int ret;

    if (!obj)
        return -1;
    ret = g_strcmp0(virDomainSnapshotObjListGetCurrent(obj->snapshots), def->name) == 0;
    virDomainObjEndAPI(&obj);
    return ret;
}

int
virDomainSnapshotQueryHasMetadata(const virDomainSnapshotQueryOps *ops,
                                  virDomainSnapshotPtr snap)
{
    virDomainSnapshotDef *def;
    virDomainObj *obj = virDomainSnapshotQueryObj(ops, snap, &def);

    if (!obj)
        return -1;
    virDomainObjEndAPI(&obj);
    return 1;
}

char *
virDomainSnapshotQueryXMLDesc(const virDomainSnapshotQueryOps *ops,
                              virDomainSnapshotPtr snap, unsigned int flags)
{
    virDomainSnapshotDef *def;
    virDomainObj *obj = virDomainSnapshotQueryObj(ops, snap, &def);
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    char *ret;

    if (!obj)
        return NULL;
    virUUIDFormat(obj->def->uuid, uuidstr);
    ret = virDomainSnapshotDefFormat(
        uuidstr, def,
        (flags & VIR_DOMAIN_SNAPSHOT_XML_SECURE) ? VIR_DOMAIN_SNAPSHOT_FORMAT_SECURE : 0);
    virDomainObjEndAPI(&obj);
    return ret;
}
