/* snapshot_obj.h: the snapshot tree of one domain (a moment tree, moment_obj.h) and the snapshot queries every driver answers the same way (lookup, current, parent, children, listing, XML) */
#pragma once

#include <libvirt/libvirt.h>

#include "datatypes.h"
#include "domain_obj.h"
#include "moment_obj.h"
#include "snapshot_conf.h"

/* ---- the tree ------------------------------------------------------------
 * obj->snapshots: a moment tree of virDomainSnapshotDef (moment_obj.h says
 * what each call does); these name it for snapshots. Removing the current
 * snapshot leaves none current. */
VIR_DOMAIN_MOMENT_TYPED_TREE(Snapshot, false)

/* Every descendant of @name (NULL: all) as lent names, parents first. */
GPtrArray *virDomainSnapshotObjListDescendants(virDomainSnapshotObjList *list,
                                               const char *name);
/*
 * Names (lent, in topological order: parents first) of the snapshots
 * of the whole domain (@from NULL; ROOTS: roots only) or of the children
 * of @from (DESCENDANTS: all descendants), filtered by libvirt's
 * LEAVES/NO_LEAVES, METADATA/NO_METADATA, INACTIVE/ACTIVE/DISK_ONLY,
 * INTERNAL/EXTERNAL flags. The array is new.
 */
GPtrArray *virDomainSnapshotObjListNames(virDomainSnapshotObjList *list, const char *from,
                                         unsigned int flags);

/* libvirt's redefine checks of @def against @obj's tree (locked): its
 * parent (virDomainMomentRedefineParentCheck), a <domain> with the
 * object's uuid, and against the snapshot it replaces, if any: the same
 * online/offline and disk-only kind (INVALID_ARG in DOMAIN_SNAPSHOT).
 * 0 or -1 with the error. */
int virDomainSnapshotRedefineCheck(virDomainObj *obj, virDomainSnapshotDef *def);

/* ---- the queries ----------------------------------------------------------
 * As moment_obj.h's, for snapshots. */
typedef virDomainMomentQueryOps virDomainSnapshotQueryOps;

/* The flags listing calls accept: a domain's snapshots, a snapshot's children. */
#define VIR_DOMAIN_SNAPSHOT_QUERY_LIST_FLAGS                                 \
    (VIR_DOMAIN_SNAPSHOT_LIST_ROOTS | VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL | \
     VIR_DOMAIN_SNAPSHOT_FILTERS_ALL)
#define VIR_DOMAIN_SNAPSHOT_QUERY_CHILD_FLAGS                                      \
    (VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS | VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL | \
     VIR_DOMAIN_SNAPSHOT_FILTERS_ALL)

/* The snapshot @name of @obj (locked; lent), or NULL with libvirt's
 * NO_DOMAIN_SNAPSHOT "no domain snapshot with matching name" in @errdom. */
virDomainSnapshotDef *virDomainSnapshotQueryFind(virDomainObj *obj, const char *name,
                                                 int errdom);

/* @snap's domain object (locked, referenced: release with
 * virDomainObjEndAPI) with *@def set to its snapshot, or NULL with the
 * error reported. */
virDomainObj *virDomainSnapshotQueryObj(const virDomainSnapshotQueryOps *ops,
                                        virDomainSnapshotPtr snap,
                                        virDomainSnapshotDef **def);

/*
 * The snapshots of @dom (@from NULL) or the children of its snapshot
 * @from, filtered by @flags (libvirt's LIST_* bits). Returns their number
 * and, when asked: up to @maxnames new names in @names, or a new
 * NULL-terminated array of new handles in *@snaps. -1 with the error
 * reported (no domain, no such snapshot); nothing written then.
 */
int virDomainSnapshotQueryList(const virDomainSnapshotQueryOps *ops, virDomainPtr dom,
                               const char *from, unsigned int flags, char **const names,
                               int maxnames, virDomainSnapshotPtr **snaps);

/* virDomainSnapshotLookupByName, virDomainSnapshotCurrent,
 * virDomainSnapshotGetParent: a new handle or NULL with libvirt's error. */
virDomainSnapshotPtr virDomainSnapshotQueryLookup(const virDomainSnapshotQueryOps *ops,
                                                  virDomainPtr dom, const char *name);
virDomainSnapshotPtr virDomainSnapshotQueryCurrent(const virDomainSnapshotQueryOps *ops,
                                                   virDomainPtr dom);
virDomainSnapshotPtr virDomainSnapshotQueryParent(const virDomainSnapshotQueryOps *ops,
                                                  virDomainSnapshotPtr snap);

/* virDomainHasCurrentSnapshot, virDomainSnapshotIsCurrent,
 * virDomainSnapshotHasMetadata (every listed snapshot has metadata):
 * 1 or 0, or -1 with the error reported. */
int virDomainSnapshotQueryHasCurrent(const virDomainSnapshotQueryOps *ops,
                                     virDomainPtr dom);
int virDomainSnapshotQueryIsCurrent(const virDomainSnapshotQueryOps *ops,
                                    virDomainSnapshotPtr snap);
int virDomainSnapshotQueryHasMetadata(const virDomainSnapshotQueryOps *ops,
                                      virDomainSnapshotPtr snap);

/* virDomainSnapshotGetXMLDesc: the document (new) with @flags'
 * VIR_DOMAIN_SNAPSHOT_XML_SECURE honoured, or NULL with the error. */
char *virDomainSnapshotQueryXMLDesc(const virDomainSnapshotQueryOps *ops,
                                    virDomainSnapshotPtr snap, unsigned int flags);

/*
 * The snapshot query entry points of a driver whose snapshots live in
 * obj->snapshots: <prefix>DomainSnapshotGetXMLDesc, ...Num, ...ListNames,
 * <prefix>DomainListAllSnapshots, <prefix>DomainSnapshotNumChildren,
 * ...ListChildrenNames, ...ListAllChildren, ...LookupByName,
 * <prefix>DomainHasCurrentSnapshot, <prefix>DomainSnapshotGetParent,
 * ...Current, ...IsCurrent, ...HasMetadata (declared by the driver), each
 * libvirt's flag check (virCheckFlags names the generated entry point)
 * and one call of the query above with @ops (a virDomainSnapshotQueryOps).
 */
#define VIR_DOMAIN_SNAPSHOT_QUERY_ENTRY_POINTS(prefix, ops)                              \
    char *prefix##DomainSnapshotGetXMLDesc(virDomainSnapshotPtr snap,                    \
                                           unsigned int flags)                           \
    {                                                                                    \
        virCheckFlags(VIR_DOMAIN_SNAPSHOT_XML_SECURE, NULL);                             \
        return virDomainSnapshotQueryXMLDesc(ops, snap, flags);                          \
    }                                                                                    \
    int prefix##DomainSnapshotNum(virDomainPtr dom, unsigned int flags)                  \
    {                                                                                    \
        virCheckFlags(VIR_DOMAIN_SNAPSHOT_QUERY_LIST_FLAGS, -1);                         \
        return virDomainSnapshotQueryList(ops, dom, NULL, flags, NULL, 0, NULL);         \
    }                                                                                    \
    int prefix##DomainSnapshotListNames(virDomainPtr dom, char **const names,            \
                                        int maxnames, unsigned int flags)                \
    {                                                                                    \
        virCheckFlags(VIR_DOMAIN_SNAPSHOT_QUERY_LIST_FLAGS, -1);                         \
        return virDomainSnapshotQueryList(ops, dom, NULL, flags, names, maxnames, NULL); \
    }                                                                                    \
    int prefix##DomainListAllSnapshots(virDomainPtr dom, virDomainSnapshotPtr **snaps,   \
                                       unsigned int flags)                               \
    {                                                                                    \
        virCheckFlags(VIR_DOMAIN_SNAPSHOT_QUERY_LIST_FLAGS, -1);                         \
        return virDomainSnapshotQueryList(ops, dom, NULL, flags, NULL, 0, snaps);        \
    }                                                                                    \
    int prefix##DomainSnapshotNumChildren(virDomainSnapshotPtr snap, unsigned int flags) \
    {                                                                                    \
        virCheckFlags(VIR_DOMAIN_SNAPSHOT_QUERY_CHILD_FLAGS, -1);                        \
        return virDomainSnapshotQueryList(ops, snap->domain, snap->name, flags, NULL, 0, \
                                          NULL);                                         \
    }                                                                                    \
    int prefix##DomainSnapshotListChildrenNames(                                         \
        virDomainSnapshotPtr snap, char **const names, int maxnames, unsigned int flags) \
    {                                                                                    \
        virCheckFlags(VIR_DOMAIN_SNAPSHOT_QUERY_CHILD_FLAGS, -1);                        \
        return virDomainSnapshotQueryList(ops, snap->domain, snap->name, flags, names,   \
                                          maxnames, NULL);                               \
    }                                                                                    \
    int prefix##DomainSnapshotListAllChildren(                                           \
        virDomainSnapshotPtr snap, virDomainSnapshotPtr **snaps, unsigned int flags)     \
    {                                                                                    \
        virCheckFlags(VIR_DOMAIN_SNAPSHOT_QUERY_CHILD_FLAGS, -1);                        \
        return virDomainSnapshotQueryList(ops, snap->domain, snap->name, flags, NULL, 0, \
                                          snaps);                                        \
    }                                                                                    \
    virDomainSnapshotPtr prefix##DomainSnapshotLookupByName(                             \
        virDomainPtr dom, const char *name, unsigned int flags)                          \
    {                                                                                    \
        virCheckFlags(0, NULL);                                                          \
        return virDomainSnapshotQueryLookup(ops, dom, name);                             \
    }                                                                                    \
    int prefix##DomainHasCurrentSnapshot(virDomainPtr dom, unsigned int flags)           \
    {                                                                                    \
        virCheckFlags(0, -1);                                                            \
        return virDomainSnapshotQueryHasCurrent(ops, dom);                               \
    }                                                                                    \
    virDomainSnapshotPtr prefix##DomainSnapshotGetParent(virDomainSnapshotPtr snap,      \
                                                         unsigned int flags)             \
    {                                                                                    \
        virCheckFlags(0, NULL);                                                          \
        return virDomainSnapshotQueryParent(ops, snap);                                  \
    }                                                                                    \
    virDomainSnapshotPtr prefix##DomainSnapshotCurrent(virDomainPtr dom,                 \
                                                       unsigned int flags)               \
    {                                                                                    \
        virCheckFlags(0, NULL);                                                          \
        return virDomainSnapshotQueryCurrent(ops, dom);                                  \
    }                                                                                    \
    int prefix##DomainSnapshotIsCurrent(virDomainSnapshotPtr snap, unsigned int flags)   \
    {                                                                                    \
        virCheckFlags(0, -1);                                                            \
        return virDomainSnapshotQueryIsCurrent(ops, snap);                               \
    }                                                                                    \
    int prefix##DomainSnapshotHasMetadata(virDomainSnapshotPtr snap, unsigned int flags) \
    {                                                                                    \
        virCheckFlags(0, -1);                                                            \
        return virDomainSnapshotQueryHasMetadata(ops, snap);                             \
    }
