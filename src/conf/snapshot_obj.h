/* snapshot_obj.h: the snapshot queries every driver answers the same way (lookup, current, parent, children, listing, XML) */
#pragma once

#include <libvirt/libvirt.h>

#include "datatypes.h"
#include "domain_obj.h"
#include "snapshot_conf.h"

/*
 * What a driver lends the shared queries: how it finds the domain object
 * of a handle and the error domain its messages carry (libvirt reports
 * the same text from VIR_FROM_QEMU in its QEMU driver and VIR_FROM_TEST
 * in the test driver). The queries take the domain object's lock only;
 * the snapshot tree is protected by it. Flags are checked by the
 * driver's own entry point before calling them (virCheckFlags names the
 * entry point in its message).
 */
typedef struct {
    /* @dom's object, locked and referenced, or NULL with NO_DOMAIN reported */
    virDomainObj *(*objFromDomain)(virDomainPtr dom);
    int errdom; /* virErrorDomain of the driver's messages */
} virDomainSnapshotQueryOps;

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
