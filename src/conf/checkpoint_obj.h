/* checkpoint_obj.h: the checkpoint tree of one domain and the queries every driver answers with it (lookup, parent, children, listing, XML) */
#pragma once

#include <libvirt/libvirt.h>

#include "checkpoint_conf.h"
#include "datatypes.h"
#include "domain_obj.h"

/* ---- the tree ------------------------------------------------------------
 * Protected by the domain object's lock. Checkpoints are kept by name; the
 * tree is the parent_name links; @current names the newest one (the
 * parent of the next checkpoint taken). */
typedef struct _virDomainCheckpointObjList virDomainCheckpointObjList;

virDomainCheckpointObjList *virDomainCheckpointObjListNew(void);
void virDomainCheckpointObjListFree(virDomainCheckpointObjList *list);

/* Number of checkpoints (0 for a NULL list). */
int virDomainCheckpointObjListCount(const virDomainCheckpointObjList *list);
/* The checkpoint @name (lent), or NULL (nothing reported). */
virDomainCheckpointDef *virDomainCheckpointObjListFind(virDomainCheckpointObjList *list,
                                                       const char *name);
/* Add *@def (taken on success). -1 with OPERATION_FAILED "domain moment
 * NAME already exists" (DOMAIN) when the name is taken. */
int virDomainCheckpointObjListAdd(virDomainCheckpointObjList *list,
                                  virDomainCheckpointDef **def);
/* Replace the def of the same name, or add it (taken); the old is freed. */
void virDomainCheckpointObjListReplace(virDomainCheckpointObjList *list,
                                       virDomainCheckpointDef **def);
/* Remove @name; its children take its parent; current moves to the
 * parent if it was @name. */
void virDomainCheckpointObjListRemove(virDomainCheckpointObjList *list, const char *name);
void virDomainCheckpointObjListRemoveAll(virDomainCheckpointObjList *list);

const char *virDomainCheckpointObjListGetCurrent(const virDomainCheckpointObjList *list);
void virDomainCheckpointObjListSetCurrent(virDomainCheckpointObjList *list,
                                          const char *name);

/* Every descendant of @name (lent defs), parents first, newest child first. */
GPtrArray *virDomainCheckpointObjListDescendants(virDomainCheckpointObjList *list,
                                                 const char *name);
/* Number of direct children of @name. */
int virDomainCheckpointObjListNumChildren(virDomainCheckpointObjList *list,
                                          const char *name);

/* The flags listing calls accept: a domain's checkpoints, a checkpoint's children. */
#define VIR_DOMAIN_CHECKPOINT_QUERY_LIST_FLAGS                                   \
    (VIR_DOMAIN_CHECKPOINT_LIST_ROOTS | VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL | \
     VIR_DOMAIN_CHECKPOINT_LIST_LEAVES | VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES)
#define VIR_DOMAIN_CHECKPOINT_QUERY_CHILD_FLAGS                                        \
    (VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS | VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL | \
     VIR_DOMAIN_CHECKPOINT_LIST_LEAVES | VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES)

/* ---- the queries ----------------------------------------------------------
 * As snapshot_obj.h: the driver lends how it finds a handle's domain
 * object and the error domain of its messages; flags are checked by the
 * driver's entry point first. */
typedef struct {
    /* @dom's object, locked and referenced, or NULL with NO_DOMAIN reported */
    virDomainObj *(*objFromDomain)(virDomainPtr dom);
    int errdom; /* virErrorDomain of the driver's messages */
} virDomainCheckpointQueryOps;

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

/* libvirt's redefine checks against @obj's tree (locked): a parent that
 * exists and makes no cycle (INVALID_ARG in DOMAIN), a <domain> with the
 * object's uuid (INVALID_ARG in DOMAIN_CHECKPOINT), then the disks aligned
 * to that <domain> when there is one. 0 or -1 with the error. */
int virDomainCheckpointRedefineCheck(virDomainObj *obj, virDomainCheckpointDef *def);
