/* checkpoint_obj.h: the checkpoint tree of one domain and the queries every driver answers with it (lookup, parent, children, listing, XML) */
#pragma once

#include <libvirt/libvirt.h>

#include "checkpoint_conf.h"
#include "datatypes.h"
#include "domain_obj.h"
#include "moment_obj.h"

/* ---- the tree ------------------------------------------------------------
 * obj->checkpoints: a moment tree of virDomainCheckpointDef (moment_obj.h
 * says what each call does); these name it for checkpoints. @current names
 * the newest one (the parent of the next checkpoint taken); removing it
 * makes its parent current. */
VIR_DOMAIN_MOMENT_TYPED_TREE(Checkpoint, true)

/* Every descendant of @name (NULL: all) as lent defs, parents first,
 * newest child first. */
static inline GPtrArray *
virDomainCheckpointObjListDescendants(virDomainCheckpointObjList *list, const char *name)
{
    return virDomainMomentObjListDescendants(list, name);
}

/* The flags listing calls accept: a domain's checkpoints, a checkpoint's children. */
#define VIR_DOMAIN_CHECKPOINT_QUERY_LIST_FLAGS                                   \
    (VIR_DOMAIN_CHECKPOINT_LIST_ROOTS | VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL | \
     VIR_DOMAIN_CHECKPOINT_LIST_LEAVES | VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES)
#define VIR_DOMAIN_CHECKPOINT_QUERY_CHILD_FLAGS                                        \
    (VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS | VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL | \
     VIR_DOMAIN_CHECKPOINT_LIST_LEAVES | VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES)

/* ---- the queries ----------------------------------------------------------
 * As moment_obj.h's, for checkpoints. */
typedef virDomainMomentQueryOps virDomainCheckpointQueryOps;

/* The checkpoint @name of @obj (locked; lent), or NULL with libvirt's
 * NO_DOMAIN_CHECKPOINT "no domain checkpoint with matching name" in @errdom. */
virDomainCheckpointDef *virDomainCheckpointQueryFind(virDomainObj *obj, const char *name,
                                                     int errdom);

/* @cp's domain object (locked, referenced: release with
 * virDomainObjEndAPI) with *@def set to its checkpoint, or NULL with the
 * error reported. */
virDomainObj *virDomainCheckpointQueryObj(const virDomainCheckpointQueryOps *ops,
                                          virDomainCheckpointPtr cp,
                                          virDomainCheckpointDef **def);

/* The checkpoints of @dom (@from NULL) or the children of its checkpoint
 * @from, filtered by @flags (libvirt's LIST_* bits): their number and,
 * when @cps is set, a new NULL-terminated array of new handles. -1 with
 * the error reported; nothing written then. */
int virDomainCheckpointQueryList(const virDomainCheckpointQueryOps *ops, virDomainPtr dom,
                                 const char *from, unsigned int flags,
                                 virDomainCheckpointPtr **cps);

/* virDomainCheckpointLookupByName, virDomainCheckpointGetParent: a new
 * handle or NULL with libvirt's error. */
virDomainCheckpointPtr
virDomainCheckpointQueryLookup(const virDomainCheckpointQueryOps *ops, virDomainPtr dom,
                               const char *name);
virDomainCheckpointPtr
virDomainCheckpointQueryParent(const virDomainCheckpointQueryOps *ops,
                               virDomainCheckpointPtr cp);

/* libvirt's redefine checks against @obj's tree (locked): its parent
 * (virDomainMomentRedefineParentCheck), a <domain> with the
 * object's uuid (INVALID_ARG in DOMAIN_CHECKPOINT), then the disks aligned
 * to that <domain> when there is one. 0 or -1 with the error. */
int virDomainCheckpointRedefineCheck(virDomainObj *obj, virDomainCheckpointDef *def);

/*
 * The checkpoint query entry points a driver answers with the queries
 * above alone: <prefix>DomainListAllCheckpoints,
 * <prefix>DomainCheckpointListAllChildren, ...LookupByName, ...GetParent
 * (declared by the driver), each libvirt's flag check (virCheckFlags
 * names the generated entry point) and one query with @ops (a
 * virDomainCheckpointQueryOps).
 */
#define VIR_DOMAIN_CHECKPOINT_QUERY_ENTRY_POINTS(prefix, ops)                            \
    int prefix##DomainListAllCheckpoints(virDomainPtr dom, virDomainCheckpointPtr **cps, \
                                         unsigned int flags)                             \
    {                                                                                    \
        virCheckFlags(VIR_DOMAIN_CHECKPOINT_QUERY_LIST_FLAGS, -1);                       \
        return virDomainCheckpointQueryList(ops, dom, NULL, flags, cps);                 \
    }                                                                                    \
    int prefix##DomainCheckpointListAllChildren(                                         \
        virDomainCheckpointPtr cp, virDomainCheckpointPtr **cps, unsigned int flags)     \
    {                                                                                    \
        virCheckFlags(VIR_DOMAIN_CHECKPOINT_QUERY_CHILD_FLAGS, -1);                      \
        return virDomainCheckpointQueryList(ops, cp->domain, cp->name, flags, cps);      \
    }                                                                                    \
    virDomainCheckpointPtr prefix##DomainCheckpointLookupByName(                         \
        virDomainPtr dom, const char *name, unsigned int flags)                          \
    {                                                                                    \
        virCheckFlags(0, NULL);                                                          \
        return virDomainCheckpointQueryLookup(ops, dom, name);                           \
    }                                                                                    \
    virDomainCheckpointPtr prefix##DomainCheckpointGetParent(virDomainCheckpointPtr cp,  \
                                                             unsigned int flags)         \
    {                                                                                    \
        virCheckFlags(0, NULL);                                                          \
        return virDomainCheckpointQueryParent(ops, cp);                                  \
    }
