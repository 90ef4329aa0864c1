/* checkpoint_obj.c: the checkpoint tree of one domain (lookup, parent/children, current, filtered listing) and the queries every driver answers with it */
#define G_LOG_DOMAIN "virtkit.conf.checkpointobj"

#include <libvirt/libvirt.h>
#include <string.h>

#include "checkpoint_obj.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* A handful of checkpoints per domain: linear scans over the array keep
 * the tree trivially consistent (the links are the parent names). */
struct _virDomainCheckpointObjList {
    GPtrArray *defs; /* virDomainCheckpointDef *, owned, in creation order */
    char *current;   /* name of the newest checkpoint, or NULL */
};

virDomainCheckpointObjList *
virDomainCheckpointObjListNew(void)
{
    virDomainCheckpointObjList *list = g_new0(virDomainCheckpointObjList, 1);

    list->defs =
        g_ptr_array_new_with_free_func((GDestroyNotify)virDomainCheckpointDefFree);
    return list;
}

void
virDomainCheckpointObjListFree(virDomainCheckpointObjList *list)
{
    if (!list)
        return;
    g_ptr_array_unref(list->defs);
    g_free(list->current);
    g_free(list);
}

int
virDomainCheckpointObjListCount(const virDomainCheckpointObjList *list)
{
    return list ? (int)list->defs->len : 0;
}

static int
indexOf(virDomainCheckpointObjList *list, const char *name)
{
    for (guint i = 0; i < list->defs->len; i++) {
        virDomainCheckpointDef *def = list->defs->pdata[i];

        if (g_str_equal(def->name, name))
            return i;
    }
    return -1;
}

virDomainCheckpointDef *
virDomainCheckpointObjListFind(virDomainCheckpointObjList *list, const char *name)
{
    int i;

    if (!list || !name || (i = indexOf(list, name)) < 0)
        return NULL;
    return list->defs->pdata[i];
}

int
virDomainCheckpointObjListAdd(virDomainCheckpointObjList *list,
                              virDomainCheckpointDef **def)
{
    if (indexOf(list, (*def)->name) >= 0) {
        virReportError(VIR_ERR_OPERATION_FAILED, "domain moment %s already exists",
                       (*def)->name);
        return -1;
    }
    g_ptr_array_add(list->defs, g_steal_pointer(def));
    return 0;
}

void
virDomainCheckpointObjListReplace(virDomainCheckpointObjList *list,
                                  virDomainCheckpointDef **def)
{
    int i = indexOf(list, (*def)->name);

    if (i < 0) {
        g_ptr_array_add(list->defs, g_steal_pointer(def));
        return;
    }
    virDomainCheckpointDefFree(list->defs->pdata[i]);
    list->defs->pdata[i] = g_steal_pointer(def);
}

void
virDomainCheckpointObjListRemove(virDomainCheckpointObjList *list, const char *name)
{
    int i = indexOf(list, name);
    virDomainCheckpointDef *gone;

    if (i < 0)
        return;
    gone = list->defs->pdata[i];
    for (guint j = 0; j < list->defs->len; j++) {
        virDomainCheckpointDef *def = list->defs->pdata[j];

        if (def->parent_name && g_str_equal(def->parent_name, name)) {
            g_free(def->parent_name);
            def->parent_name = g_strdup(gone->parent_name);
        }
    }
    if (g_strcmp0(list->current, name) == 0) {
        g_free(list->current);
        list->current = g_strdup(gone->parent_name);
    }
    g_ptr_array_remove_index(list->defs, i);
}

void
virDomainCheckpointObjListRemoveAll(virDomainCheckpointObjList *list)
{
    if (!list)
        return;
    g_ptr_array_set_size(list->defs, 0);
    g_clear_pointer(&list->current, g_free);
}

const char *
virDomainCheckpointObjListGetCurrent(const virDomainCheckpointObjList *list)
{
    return list ? list->current : NULL;
}

void
virDomainCheckpointObjListSetCurrent(virDomainCheckpointObjList *list, const char *name)
{
    g_free(list->current);
    list->current = g_strdup(name);
}

int
virDomainCheckpointObjListNumChildren(virDomainCheckpointObjList *list, const char *name)
{
    int n = 0;

    if (!list)
        return 0;
    for (guint i = 0; i < list->defs->len; i++) {
        virDomainCheckpointDef *def = list->defs->pdata[i];

        if (g_strcmp0(def->parent_name, name) == 0)
            n++;
    }
    return n;
}

/* Append the children of @name (NULL: the roots) to @out, each followed
 * by its own descendants when @recurse; the newest child first, as
 * libvirt's moment lists (they prepend new children). */
static void
collect(virDomainCheckpointObjList *list, const char *name, bool recurse, GPtrArray *out)
{
    for (guint i = list->defs->len; i-- > 0;) {
        virDomainCheckpointDef *def = list->defs->pdata[i];

        if (g_strcmp0(def->parent_name, name) != 0)
            continue;
        g_ptr_array_add(out, def);
        if (recurse)
            collect(list, def->name, true, out);
    }
}

GPtrArray *
virDomainCheckpointObjListDescendants(virDomainCheckpointObjList *list, const char *name)
{
    GPtrArray *defs = g_ptr_array_new();

    if (list)
        collect(list, name, true, defs);
    return defs;
}

/* Names (new) of the checkpoints of the whole domain (@from NULL; ROOTS:
 * roots only) or the children of @from (DESCENDANTS: all descendants),
 * filtered by LEAVES / NO_LEAVES. */
static GStrv
listNames(virDomainCheckpointObjList *list, const char *from, unsigned int flags)
{
    g_autoptr(GPtrArray) defs = g_ptr_array_new();
    GPtrArray *names = g_ptr_array_new();
    /* ROOTS (listing a domain) and DESCENDANTS (listing a checkpoint) share a bit */
    bool bit0 = flags & VIR_DOMAIN_CHECKPOINT_LIST_ROOTS;
    unsigned int leaves = flags & (VIR_DOMAIN_CHECKPOINT_LIST_LEAVES |
                                   VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES);

    if (list)
        collect(list, from, from ? bit0 : !bit0, defs);
    for (guint i = 0; i < defs->len; i++) {
        virDomainCheckpointDef *def = defs->pdata[i];
        int nchildren = virDomainCheckpointObjListNumChildren(list, def->name);

        if ((leaves & VIR_DOMAIN_CHECKPOINT_LIST_LEAVES) && nchildren > 0)
            continue;
        if ((leaves & VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES) && nchildren == 0)
            continue;
        g_ptr_array_add(names, g_strdup(def->name));
    }
    g_ptr_array_add(names, NULL);
    return (GStrv)g_ptr_array_free(names, FALSE);
}

/* ---- the queries both drivers answer -------------------------------------- */

virDomainCheckpointDef *
virDomainCheckpointQueryFind(virDomainObj *obj, const char *name, int errdom)
{
    virDomainCheckpointDef *def = virDomainCheckpointObjListFind(obj->checkpoints, name);

    if (!def)
        virReportErrorFull(errdom, VIR_ERR_NO_DOMAIN_CHECKPOINT, __func__,
                           "no domain checkpoint with matching name '%s'", name);
    return def;
}

virDomainObj *
virDomainCheckpointQueryObj(const virDomainCheckpointQueryOps *ops,
                            virDomainCheckpointPtr cp, virDomainCheckpointDef **def)
{
    virDomainObj *obj = ops->objFromDomain(cp->domain);

    if (!obj)
        return NULL;
    if (!(*def = virDomainCheckpointQueryFind(obj, cp->name, ops->errdom))) {
        virDomainObjEndAPI(&obj);
        return NULL;
    }
    return obj;
}

int
virDomainCheckpointQueryList(const virDomainCheckpointQueryOps *ops, virDomainPtr dom,
                             const char *from, unsigned int flags,
                             virDomainCheckpointPtr **cps)
{
    virDomainObj *obj = ops->objFromDomain(dom);
    g_auto(GStrv) names = NULL;
    int n;

    if (!obj)
        return -1;
    if (from && !virDomainCheckpointQueryFind(obj, from, ops->errdom)) {
        virDomainObjEndAPI(&obj);
        return -1;
    }
    /* copied: the tree's names are protected by the lock */
    names = listNames(obj->checkpoints, from, flags);
    virDomainObjEndAPI(&obj);

    n = g_strv_length(names);
    if (cps) {
        virDomainCheckpointPtr *list = g_new0(virDomainCheckpointPtr, n + 1);

        for (int i = 0; i < n; i++)
            list[i] = virGetDomainCheckpoint(dom, names[i]);
        *cps = list;
    }
    return n;
}

virDomainCheckpointPtr
virDomainCheckpointQueryLookup(const virDomainCheckpointQueryOps *ops, virDomainPtr dom,
                               const char *name)
{
    virDomainObj *obj = ops->objFromDomain(dom);
    virDomainCheckpointPtr ret = NULL;

    if (!obj)
        return NULL;
    if (virDomainCheckpointQueryFind(obj, name, ops->errdom))
        ret = virGetDomainCheckpoint(dom, name);
    virDomainObjEndAPI(&obj);
    return ret;
}

virDomainCheckpointPtr
virDomainCheckpointQueryParent(const virDomainCheckpointQueryOps *ops,
                               virDomainCheckpointPtr cp)
{
    virDomainCheckpointDef *def;
    virDomainObj *obj = virDomainCheckpointQueryObj(ops, cp, &def);
    virDomainCheckpointPtr ret = NULL;

    if (!obj)
        return NULL;
    if (!def->parent_name)
        virReportErrorFull(ops->errdom, VIR_ERR_NO_DOMAIN_CHECKPOINT, __func__,
                           "checkpoint '%s' does not have a parent", def->name);
    else
        ret = virGetDomainCheckpoint(cp->domain, def->parent_name);
    virDomainObjEndAPI(&obj);
    return ret;
}

int
virDomainCheckpointRedefineCheck(virDomainObj *obj, virDomainCheckpointDef *def)
{
    virDomainCheckpointObjList *list = obj->checkpoints;

    if (def->parent_name) {
        const char *p = def->parent_name;

        if (g_str_equal(p, def->name)) {
            virReportError(VIR_ERR_INVALID_ARG, "cannot set moment %s as its own parent",
                           def->name);
            return -1;
        }
        if (!virDomainCheckpointObjListFind(list, p)) {
            virReportError(VIR_ERR_INVALID_ARG, "parent %s for moment %s not found", p,
                           def->name);
            return -1;
        }
        while (p) {
            virDomainCheckpointDef *anc = virDomainCheckpointObjListFind(list, p);

            if (!anc)
                break;
            if (g_str_equal(anc->name, def->name)) {
                virReportError(VIR_ERR_INVALID_ARG, "parent %s would create cycle to %s",
                               def->parent_name, def->name);
                return -1;
            }
            p = anc->parent_name;
        }
    }
    if (def->dom) {
        if (memcmp(def->dom->uuid, obj->def->uuid, VIR_UUID_BUFLEN) != 0) {
            char uuidstr[VIR_UUID_STRING_BUFLEN];

            virUUIDFormat(obj->def->uuid, uuidstr);
            virReportErrorFull(VIR_FROM_DOMAIN_CHECKPOINT, VIR_ERR_INVALID_ARG, __func__,
                               "definition for checkpoint %s must use uuid %s", def->name,
                               uuidstr);
            return -1;
        }
        if (virDomainCheckpointAlignDisks(def) < 0)
            return -1;
    }
    return 0;
}
