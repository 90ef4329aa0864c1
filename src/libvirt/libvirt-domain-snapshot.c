/* libvirt-domain-snapshot.c: public entry points of domain snapshots (create, list, tree, revert, delete) */
#define G_LOG_DOMAIN "virtkit.api.snapshot"

#include <string.h>

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN_SNAPSHOT

/*
 * Contracts below, as libvirt 9.0's libvirt-domain-snapshot.c: an invalid
 * domain is VIR_ERR_INVALID_DOMAIN (VIR_FROM_DOM), an invalid snapshot
 * VIR_ERR_INVALID_DOMAIN_SNAPSHOT (VIR_FROM_DOMAIN_SNAPSHOT); argument,
 * read-only and flag errors are reported in VIR_FROM_DOMAIN_SNAPSHOT; a
 * driver without the call gives VIR_ERR_NO_SUPPORT; every failure is
 * dispatched once. Snapshot handles are released with
 * virDomainSnapshotFree.
 */

#define virCheckDomainSnapshotReturn(obj, retval)             \
    virCheckDomainMomentReturn(obj, VIR_FROM_DOMAIN_SNAPSHOT, \
                               VIR_ERR_INVALID_DOMAIN_SNAPSHOT, retval)

#define EXCL(a, b) virAPIExclusiveFlags(a, b)
#define REQ(a, b) virAPIRequireFlag(a, b)

/**
 * virDomainSnapshotGetName:
 * @snapshot: a snapshot handle
 *
 * The name of @snapshot; the string belongs to the handle.
 *
 * Returns the name, or NULL if @snapshot is invalid.
 */
VIR_HANDLE_GET(virDomainSnapshotGetName, const char *, virDomainSnapshotPtr,
               virCheckDomainSnapshotReturn, name)

/**
 * virDomainSnapshotGetDomain:
 * @snapshot: a snapshot handle
 *
 * The domain @snapshot belongs to; no new reference is taken (the handle
 * lives as long as @snapshot).
 *
 * Returns the domain, or NULL if @snapshot is invalid.
 */
VIR_HANDLE_GET(virDomainSnapshotGetDomain, virDomainPtr, virDomainSnapshotPtr,
               virCheckDomainSnapshotReturn, domain)

/**
 * virDomainSnapshotGetConnect:
 * @snapshot: a snapshot handle
 *
 * The connection of @snapshot's domain; no new reference is taken.
 *
 * Returns the connection, or NULL if @snapshot is invalid.
 */
VIR_HANDLE_GET(virDomainSnapshotGetConnect, virConnectPtr, virDomainSnapshotPtr,
               virCheckDomainSnapshotReturn, domain->conn)

/**
 * virDomainSnapshotCreateXML:
 * @domain: a domain handle
 * @xmlDesc: a <domainsnapshot> document
 * @flags: bitwise-OR of virDomainSnapshotCreateFlags
 *
 * Takes a snapshot of @domain as @xmlDesc describes it (name, description,
 * memory and per-disk locations; missing parts get the driver's
 * defaults), or with VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE records the
 * metadata of an existing snapshot (a document from
 * virDomainSnapshotGetXMLDesc; CURRENT then also makes it current).
 * NO_METADATA takes the snapshot without keeping metadata, HALT stops the
 * guest afterwards, DISK_ONLY snapshots the disks only, LIVE keeps the
 * guest running meanwhile, QUIESCE freezes the guest's file systems
 * through its agent, ATOMIC fails without partial changes. Drivers refuse
 * the flags they do not support. A new snapshot becomes current and the
 * child of the previous current one.
 *
 * Returns a new snapshot handle (free with virDomainSnapshotFree), or NULL
 * in case of error: the common ones, VIR_ERR_OPERATION_DENIED on a
 * read-only connection, VIR_ERR_INVALID_ARG for a NULL @xmlDesc, CURRENT
 * without REDEFINE, REDEFINE with NO_METADATA or HALT with LIVE, XML errors
 * of the document, VIR_ERR_OPERATION_FAILED when the name exists.
 */
virDomainSnapshotPtr
virDomainSnapshotCreateXML(virDomainPtr domain, const char *xmlDesc, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, NULL), domain->conn);
    virCheckNonNullArgGoto(xmlDesc, error);
    virCheckReadOnlyGoto(conn, error);
    if (REQ(VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT, VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE) <
            0 ||
        EXCL(VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE,
             VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA) < 0 ||
        EXCL(VIR_DOMAIN_SNAPSHOT_CREATE_HALT, VIR_DOMAIN_SNAPSHOT_CREATE_LIVE) < 0)
        goto error;
    VIR_ENTRY_CALL_PTR(driver, domainSnapshotCreateXML, domain, xmlDesc, flags);
}

/**
 * virDomainSnapshotGetXMLDesc:
 * @snapshot: a snapshot handle
 * @flags: bitwise-OR of virDomainSnapshotXMLFlags
 *
 * The <domainsnapshot> document of @snapshot, with the domain definition
 * it was taken from; VIR_DOMAIN_SNAPSHOT_XML_SECURE includes secrets (not
 * on a read-only connection).
 *
 * Returns a new string (free() it), or NULL in case of error: the common
 * ones, VIR_ERR_OPERATION_DENIED for SECURE on a read-only connection,
 * VIR_ERR_NO_DOMAIN_SNAPSHOT when the snapshot is gone.
 */
char *
virDomainSnapshotGetXMLDesc(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainSnapshotReturn(snapshot, NULL), snapshot->domain->conn);
    if ((conn->flags & VIR_CONNECT_RO) && (flags & VIR_DOMAIN_SNAPSHOT_XML_SECURE)) {
        virReportError(VIR_ERR_OPERATION_DENIED, "%s",
                       "virDomainSnapshotGetXMLDesc with secure flag");
        goto error;
    }
    VIR_ENTRY_CALL_PTR(driver, domainSnapshotGetXMLDesc, snapshot, flags);
}

/**
 * virDomainSnapshotNum:
 * @domain: a domain handle
 * @flags: bitwise-OR of virDomainSnapshotListFlags (filters)
 *
 * Counts the snapshots of @domain that pass the filters (ROOTS: without
 * parent; LEAVES / NO_LEAVES; METADATA / NO_METADATA; INACTIVE / ACTIVE /
 * DISK_ONLY: the state when taken; INTERNAL / EXTERNAL: where stored).
 *
 * Returns the count, or -1 in case of error (the common ones).
 */
int
virDomainSnapshotNum(virDomainPtr domain, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    VIR_ENTRY_CALL(driver, domainSnapshotNum, domain, flags);
}

/**
 * virDomainSnapshotListNames:
 * @domain: a domain handle
 * @names: array of at least @nameslen entries, filled with new strings
 * @nameslen: size of @names
 * @flags: bitwise-OR of virDomainSnapshotListFlags (as virDomainSnapshotNum)
 *
 * Names of @domain's snapshots that pass the filters, at most @nameslen;
 * the caller frees each string.
 *
 * Returns the number of names, or -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @names or a negative @nameslen.
 */
int
virDomainSnapshotListNames(virDomainPtr domain, char **names, int nameslen,
                           unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckNonNullArrayArgGoto(names, nameslen, error);
    virCheckNonNegativeArgGoto(nameslen, error);
    VIR_ENTRY_CALL(driver, domainSnapshotListNames, domain, names, nameslen, flags);
}

/**
 * virDomainListAllSnapshots:
 * @domain: a domain handle
 * @snaps: where to store a NULL-terminated array of new handles, or NULL
 *         to count only
 * @flags: bitwise-OR of virDomainSnapshotListFlags (as virDomainSnapshotNum;
 *         TOPOLOGICAL puts every parent before its children)
 *
 * All snapshots of @domain that pass the filters. The caller frees each
 * handle with virDomainSnapshotFree and the array with free().
 *
 * Returns the number of snapshots, or -1 in case of error (the common
 * ones); *@snaps is NULL on error.
 */
int
virDomainListAllSnapshots(virDomainPtr domain, virDomainSnapshotPtr **snaps,
                          unsigned int flags)
{
    virConnectPtr conn;

    virResetLastError();
    if (snaps)
        *snaps = NULL;
    virCheckDomainReturn(domain, -1);
    conn = domain->conn;
    VIR_ENTRY_CALL(driver, domainListAllSnapshots, domain, snaps, flags);
}

/**
 * virDomainSnapshotNumChildren:
 * @snapshot: a snapshot handle
 * @flags: bitwise-OR of virDomainSnapshotListFlags (DESCENDANTS counts
 *         every descendant, not only the direct children; the others filter)
 *
 * Counts the children of @snapshot.
 *
 * Returns the count, or -1 in case of error: the common ones,
 * VIR_ERR_NO_DOMAIN_SNAPSHOT when the snapshot is gone.
 */
int
virDomainSnapshotNumChildren(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainSnapshotReturn(snapshot, -1), snapshot->domain->conn);
    VIR_ENTRY_CALL(driver, domainSnapshotNumChildren, snapshot, flags);
}

/**
 * virDomainSnapshotListChildrenNames:
 * @snapshot: a snapshot handle
 * @names: array of at least @nameslen entries, filled with new strings
 * @nameslen: size of @names
 * @flags: as virDomainSnapshotNumChildren
 *
 * Names of the children (or descendants) of @snapshot, at most @nameslen.
 *
 * Returns the number of names, or -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @names or a negative @nameslen,
 * VIR_ERR_NO_DOMAIN_SNAPSHOT when the snapshot is gone.
 */
int
virDomainSnapshotListChildrenNames(virDomainSnapshotPtr snapshot, char **names,
                                   int nameslen, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainSnapshotReturn(snapshot, -1), snapshot->domain->conn);
    virCheckNonNullArrayArgGoto(names, nameslen, error);
    virCheckNonNegativeArgGoto(nameslen, error);
    VIR_ENTRY_CALL(driver, domainSnapshotListChildrenNames, snapshot, names, nameslen,
                   flags);
}

/**
 * virDomainSnapshotListAllChildren:
 * @snapshot: a snapshot handle
 * @snaps: where to store a NULL-terminated array of new handles, or NULL
 * @flags: as virDomainSnapshotNumChildren
 *
 * The children (or descendants) of @snapshot; the caller frees each handle
 * with virDomainSnapshotFree and the array with free().
 *
 * Returns the number of snapshots, or -1 in case of error: the common
 * ones, VIR_ERR_NO_DOMAIN_SNAPSHOT when the snapshot is gone.
 */
int
virDomainSnapshotListAllChildren(virDomainSnapshotPtr snapshot,
                                 virDomainSnapshotPtr **snaps, unsigned int flags)
{
    virConnectPtr conn;

    virResetLastError();
    if (snaps)
        *snaps = NULL;
    virCheckDomainSnapshotReturn(snapshot, -1);
    conn = snapshot->domain->conn;
    VIR_ENTRY_CALL(driver, domainSnapshotListAllChildren, snapshot, snaps, flags);
}

/**
 * virDomainSnapshotLookupByName:
 * @domain: a domain handle
 * @name: a snapshot name
 * @flags: 0
 *
 * Finds the snapshot @name of @domain.
 *
 * Returns a new handle (free with virDomainSnapshotFree), or NULL in case
 * of error: the common ones, VIR_ERR_INVALID_ARG for a NULL @name,
 * VIR_ERR_NO_DOMAIN_SNAPSHOT when there is none of that name.
 */
virDomainSnapshotPtr
virDomainSnapshotLookupByName(virDomainPtr domain, const char *name, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, NULL), domain->conn);
    virCheckNonNullArgGoto(name, error);
    VIR_ENTRY_CALL_PTR(driver, domainSnapshotLookupByName, domain, name, flags);
}

/**
 * virDomainHasCurrentSnapshot:
 * @domain: a domain handle
 * @flags: 0
 *
 * Whether @domain has a current snapshot.
 *
 * Returns 1 if it has one, 0 if not, -1 in case of error (the common ones).
 */
int
virDomainHasCurrentSnapshot(virDomainPtr domain, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    VIR_ENTRY_CALL(driver, domainHasCurrentSnapshot, domain, flags);
}

/**
 * virDomainSnapshotCurrent:
 * @domain: a domain handle
 * @flags: 0
 *
 * The current snapshot of @domain (the last one created or reverted to).
 *
 * Returns a new handle, or NULL in case of error: the common ones,
 * VIR_ERR_NO_DOMAIN_SNAPSHOT "the domain does not have a current snapshot".
 */
virDomainSnapshotPtr
virDomainSnapshotCurrent(virDomainPtr domain, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, NULL), domain->conn);
    VIR_ENTRY_CALL_PTR(driver, domainSnapshotCurrent, domain, flags);
}

/**
 * virDomainSnapshotGetParent:
 * @snapshot: a snapshot handle
 * @flags: 0
 *
 * The parent of @snapshot in the snapshot tree.
 *
 * Returns a new handle, or NULL in case of error: the common ones,
 * VIR_ERR_NO_DOMAIN_SNAPSHOT when the snapshot is gone or has no parent.
 */
virDomainSnapshotPtr
virDomainSnapshotGetParent(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainSnapshotReturn(snapshot, NULL), snapshot->domain->conn);
    VIR_ENTRY_CALL_PTR(driver, domainSnapshotGetParent, snapshot, flags);
}

/**
 * virDomainSnapshotIsCurrent:
 * @snapshot: a snapshot handle
 * @flags: 0
 *
 * Whether @snapshot is its domain's current snapshot.
 *
 * Returns 1 if so, 0 if not, -1 in case of error: the common ones,
 * VIR_ERR_NO_DOMAIN_SNAPSHOT when the snapshot is gone.
 */
int
virDomainSnapshotIsCurrent(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainSnapshotReturn(snapshot, -1), snapshot->domain->conn);
    VIR_ENTRY_CALL(driver, domainSnapshotIsCurrent, snapshot, flags);
}

/**
 * virDomainSnapshotHasMetadata:
 * @snapshot: a snapshot handle
 * @flags: 0
 *
 * Whether the driver keeps metadata for @snapshot (a snapshot known only
 * from its disk images has none).
 *
 * Returns 1 if so, 0 if not, -1 in case of error: the common ones,
 * VIR_ERR_NO_DOMAIN_SNAPSHOT when the snapshot is gone.
 */
int
virDomainSnapshotHasMetadata(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainSnapshotReturn(snapshot, -1), snapshot->domain->conn);
    VIR_ENTRY_CALL(driver, domainSnapshotHasMetadata, snapshot, flags);
}

/**
 * virDomainRevertToSnapshot:
 * @snapshot: a snapshot handle
 * @flags: bitwise-OR of virDomainSnapshotRevertFlags
 *
 * Brings @snapshot's domain back to the state of @snapshot: its disks,
 * its definition and, for a snapshot with memory, its running or paused
 * state. RUNNING or PAUSED chooses the state after the revert instead
 * (mutually exclusive); FORCE allows reverts that may lose data or cannot
 * be checked (VIR_ERR_SNAPSHOT_REVERT_RISKY without it). @snapshot becomes
 * current. Lifecycle events tell what happened to the guest.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG
 * for RUNNING with PAUSED, VIR_ERR_NO_DOMAIN_SNAPSHOT when the snapshot is
 * gone, VIR_ERR_SNAPSHOT_REVERT_RISKY.
 */
int
virDomainRevertToSnapshot(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainSnapshotReturn(snapshot, -1), snapshot->domain->conn);
    virCheckReadOnlyGoto(conn, error);
    if (EXCL(VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING, VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED) < 0)
        goto error;
    VIR_ENTRY_CALL_ZERO(driver, domainRevertToSnapshot, snapshot, flags);
}

/**
 * virDomainSnapshotDelete:
 * @snapshot: a snapshot handle
 * @flags: bitwise-OR of virDomainSnapshotDeleteFlags
 *
 * Deletes @snapshot (its data and metadata); its children become children
 * of its parent. CHILDREN also deletes every descendant, CHILDREN_ONLY
 * deletes the descendants and keeps @snapshot (mutually exclusive);
 * METADATA_ONLY forgets the metadata and leaves the data in the images.
 * When the current snapshot is deleted its parent becomes current.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG
 * for CHILDREN with CHILDREN_ONLY, VIR_ERR_NO_DOMAIN_SNAPSHOT when the
 * snapshot is gone.
 */
int
virDomainSnapshotDelete(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainSnapshotReturn(snapshot, -1), snapshot->domain->conn);
    virCheckReadOnlyGoto(conn, error);
    if (EXCL(VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN,
             VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY) < 0)
        goto error;
    VIR_ENTRY_CALL_ZERO(driver, domainSnapshotDelete, snapshot, flags);
}

/**
 * virDomainSnapshotRef:
 * @snapshot: a snapshot handle
 *
 * Takes one more reference on @snapshot; each needs a
 * virDomainSnapshotFree.
 *
 * Returns 0, or -1 if @snapshot is invalid.
 */
VIR_HANDLE_REF(virDomainSnapshotRef, virDomainSnapshotPtr, virCheckDomainSnapshotReturn)

/**
 * virDomainSnapshotFree:
 * @snapshot: a snapshot handle
 *
 * Drops one reference on @snapshot; the last frees the handle (the
 * snapshot itself is untouched).
 *
 * Returns 0, or -1 if @snapshot is invalid.
 */
VIR_HANDLE_FREE(virDomainSnapshotFree, virDomainSnapshotPtr, virCheckDomainSnapshotReturn,
                virObjectUnrefDomainSnapshot)
