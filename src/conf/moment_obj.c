/* moment_obj.c: the tree of a domain's moments (snapshots or checkpoints) and the queries both kinds answer with it */
#define G_LOG_DOMAIN "virtkit.conf.moment"

#include <string.h>

#include "moment_obj.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

struct _virDomainMomentObjList {
    GPtrArray *defs; /* virDomainMomentDef *, owned, in creation order */
    char *current;   /* name of the current moment, or NULL */
    GDestroyNotify freeDef;
};

virDomainMomentObjList *
virDomainMomentObjListNew(GDestroyNotify freeDef)
{
    virDomainMomentObjList *list = g_new0(virDomainMomentObjList, 1);

    list->defs = g_ptr_array_new_with_free_func(freeDef);
    list->freeDef = freeDef;
    return list;
}

void
virDomainMomentObjListFree(virDomainMomentObjList *list)
{
    if (!list)
        return;
    g_ptr_array_unref(list->defs);
    g_free(list->current);
    g_free(list);
}

int
virDomainMomentObjListCount(const virDomainMomentObjList *list)
{
    return list ? (int)list->defs->len : 0;
}

static int
indexOf(const virDomainMomentObjList *list, const char *name)
{
    for (guint i = 0; i < list->defs->len; i++) {
        virDomainMomentDef *def = list->defs->pdata[i];

        if (g_str_equal(def->name, name))
            return i;
    }
    return -1;
}

virDomainMomentDef *
virDomainMomentObjListFind(virDomainMomentObjList *list, const char *name)
{
    int i;

    if (!list || !name || (i = indexOf(list, name)) < 0)
        return NULL;
    return list->defs->pdata[i];
}

int
virDomainMomentObjListAdd(virDomainMomentObjList *list, virDomainMomentDef **def)
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
virDomainMomentObjListReplace(virDomainMomentObjList *list, virDomainMomentDef **def)
{
    int i = indexOf(list, (*def)->name);

    if (i < 0) {
        g_ptr_array_add(list->defs, g_steal_pointer(def));
        return;
    }
    list->freeDef(list->defs->pdata[i]);
    list->defs->pdata[i] = g_steal_pointer(def);
}

void
virDomainMomentObjListRemove(virDomainMomentObjList *list, const char *name,
                             bool currentToParent)
{
    int i;
    virDomainMomentDef *gone;

    if (!list || (i = indexOf(list, name)) < 0)
        return;
    gone = list->defs->pdata[i];
    for (guint j = 0; j < list->defs->len; j++) {
        virDomainMomentDef *def = list->defs->pdata[j];

        if (def->parent_name && g_str_equal(def->parent_name, name)) {
            g_free(def->parent_name);
            def->parent_name = g_strdup(gone->parent_name);
        }
    }
    if (g_strcmp0(list->current, name) == 0) {
        g_free(list->current);
        list->current = currentToParent ? g_strdup(gone->parent_name) : NULL;
    }
    g_ptr_array_remove_index(list->defs, i);
}

void
virDomainMomentObjListRemoveAll(virDomainMomentObjList *list)
{
    if (!list)
        return;
    g_ptr_array_set_size(list->defs, 0);
    g_clear_pointer(&list->current, g_free);
}

const char *
virDomainMomentObjListGetCurrent(const virDomainMomentObjList *list)
{
    return list ? list->current : NULL;
}

void
virDomainMomentObjListSetCurrent(virDomainMomentObjList *list, const char *name)
{
    g_free(list->current);
    list->current = g_strdup(name);
}

int
virDomainMomentObjListNumChildren(virDomainMomentObjList *list, const char *name)
{
    int n = 0;

    if (!list)
        return 0;
    for (guint i = 0; i < list->defs->len; i++) {
        virDomainMomentDef *def = list->defs->pdata[i];

        if (g_strcmp0(def->parent_name, name) == 0)
            n++;
    }
    return n;
}

/* Append the children of @name (NULL: the roots) to @out, each followed
 * by its own descendants when @recurse. As libvirt, the newest child
 * comes first (its moment lists prepend new children). */
static void
collect(virDomainMomentObjList *list, const char *name, bool recurse, GPtrArray *out)
{
    for (guint i = list->defs->len; i-- > 0;) {
        virDomainMomentDef *def = list->defs->pdata[i];

        if (g_strcmp0(def->parent_name, name) != 0)
            continue;
        g_ptr_array_add(out, def);
        if (recurse)
            collect(list, def->name, true, out);
    }
}

GPtrArray *
virDomainMomentObjListDescendants(virDomainMomentObjList *list, const char *name)
{
    GPtrArray *defs = g_ptr_array_new();

    if (list)
        collect(list, name, true, defs);
    return defs;
}

GPtrArray *
virDomainMomentObjListNames(virDomainMomentObjList *list, const char *from,
                            unsigned int flags, virDomainMomentFilter filter)
{
    g_autoptr(GPtrArray) defs = g_ptr_array_new();
    GPtrArray *names = g_ptr_array_new();
    /* ROOTS (listing a domain) and DESCENDANTS (listing a moment) share a bit */
    bool bit0 = flags & VIR_DOMAIN_MOMENT_LIST_ROOTS;
    unsigned int leaves =
        flags & (VIR_DOMAIN_MOMENT_LIST_LEAVES | VIR_DOMAIN_MOMENT_LIST_NO_LEAVES);

    if (!list)
        return names;
    collect(list, from, from ? bit0 : !bit0, defs);
    for (guint i = 0; i < defs->len; i++) {
        virDomainMomentDef *def = defs->pdata[i];

        if (leaves) {
            bool leaf = virDomainMomentObjListNumChildren(list, def->name) == 0;

            /* both bits: nothing passes (libvirt 9.0's test driver lists
             * no snapshot and no checkpoint then) */
            if ((leaves & VIR_DOMAIN_MOMENT_LIST_LEAVES) && !leaf)
                continue;
            if ((leaves & VIR_DOMAIN_MOMENT_LIST_NO_LEAVES) && leaf)
                continue;
        }
        if (filter && !filter(list, def, flags))
            continue;
        g_ptr_array_add(names, def->name);
    }
    return names;
}

int
virDomainMomentRedefineParentCheck(virDomainMomentObjList *list,
                                   const virDomainMomentDef *def)
{
    const char *p = def->parent_name;

    if (!p)
        return 0;
    if (g_str_equal(p, def->name)) {
        virReportError(VIR_ERR_INVALID_ARG, "cannot set moment %s as its own parent",
                       def->name);
        return -1;
    }
    if (!virDomainMomentObjListFind(list, p)) {
        virReportError(VIR_ERR_INVALID_ARG, "parent %s for moment %s not found", p,
                       def->name);
        return -1;
    }
    while (p) {
        virDomainMomentDef *anc = virDomainMomentObjListFind(list, p);

        if (!anc)
            break;
        if (g_str_equal(anc->name, def->name)) {
            virReportError(VIR_ERR_INVALID_ARG, "parent %s would create cycle to %s",
                           def->parent_name, def->name);
            return -1;
        }
        p = anc->parent_name;
    }
    return 0;
}

/* ---- the queries ---------------------------------------------------------- */

virDomainMomentObjList *
virDomainMomentKindList(const virDomainMomentKind *kind, virDomainObj *obj)
{
    return *(virDomainMomentObjList **)((char *)obj + kind->listOffset);
}

virDomainMomentDef *
virDomainMomentQueryFind(const virDomainMomentKind *kind, virDomainObj *obj,
                         const char *name, int errdom)
{
    virDomainMomentDef *def =
        virDomainMomentObjListFind(virDomainMomentKindList(kind, obj), name);

    if (!def)
        virReportErrorFull(errdom, kind->noSuchError, __func__,
                           "no domain %s with matching name '%s'", kind->noun, name);
    return def;
}

virDomainObj *
virDomainMomentQueryObj(const virDomainMomentKind *kind,
                        const virDomainMomentQueryOps *ops, virDomainPtr dom,
                        const char *name, virDomainMomentDef **def)
{
    virDomainObj *obj = ops->objFromDomain(dom);

    if (!obj)
        return NULL;
    if (!(*def = virDomainMomentQueryFind(kind, obj, name, ops->errdom))) {
        virDomainObjEndAPI(&obj);
        return NULL;
    }
    return obj;
}

int
virDomainMomentQueryList(const virDomainMomentKind *kind,
                         const virDomainMomentQueryOps *ops, virDomainPtr dom,
                         const char *from, unsigned int flags, char **const names,
                         int maxnames, void ***handles)
{
    virDomainObj *obj = ops->objFromDomain(dom);
    g_autoptr(GPtrArray) found = NULL;
    g_auto(GStrv) copy = NULL;
    int n;

    if (!obj)
        return -1;
    if (from && !virDomainMomentQueryFind(kind, obj, from, ops->errdom)) {
        virDomainObjEndAPI(&obj);
        return -1;
    }
    /* copy the names: they belong to the tree, which the lock protects */
    found = virDomainMomentObjListNames(virDomainMomentKindList(kind, obj), from, flags,
                                        kind->filter);
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
    if (handles) {
        void **list = g_new0(void *, n + 1);

        for (int i = 0; i < n; i++)
            list[i] = kind->handle(dom, copy[i]);
        *handles = list;
    }
    return n;
}

void *
virDomainMomentQueryLookup(const virDomainMomentKind *kind,
                           const virDomainMomentQueryOps *ops, virDomainPtr dom,
                           const char *name)
{
    virDomainObj *obj = ops->objFromDomain(dom);
    void *ret = NULL;

    if (!obj)
        return NULL;
    if (virDomainMomentQueryFind(kind, obj, name, ops->errdom))
        ret = kind->handle(dom, name);
    virDomainObjEndAPI(&obj);
    return ret;
}

void *
virDomainMomentQueryParent(const virDomainMomentKind *kind,
                           const virDomainMomentQueryOps *ops, virDomainPtr dom,
                           const char *name)
{
    virDomainMomentDef *def;
    virDomainObj *obj = virDomainMomentQueryObj(kind, ops, dom, name, &def);
    void *ret = NULL;

    if (!obj)
        return NULL;
    if (!def->parent_name)
        virReportErrorFull(ops->errdom, kind->noSuchError, __func__,
                           "%s '%s' does not have a parent", kind->noun, def->name);
    else
        ret = kind->handle(dom, def->parent_name);
    virDomainObjEndAPI(&obj);
    return ret;
}
