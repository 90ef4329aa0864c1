/* libvirt-domain-checkpoint.c: public entry points of domain checkpoints (create, list, tree, delete) */
#define G_LOG_DOMAIN "virtkit.api.checkpoint"

#include <string.h>

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN_CHECKPOINT

/*
 * Contracts below, as libvirt 9.0's libvirt-domain-checkpoint.c: an
 * invalid domain is VIR_ERR_INVALID_DOMAIN (VIR_FROM_DOM), an invalid
 * checkpoint VIR_ERR_INVALID_DOMAIN_CHECKPOINT (VIR_FROM_DOMAIN_CHECKPOINT);
 * argument, read-only and flag errors are reported in
 * VIR_FROM_DOMAIN_CHECKPOINT; a driver without the call gives
 * VIR_ERR_NO_SUPPORT; every failure is dispatched once. Checkpoint handles
 * are released with virDomainCheckpointFree.
 */

#define virCheckDomainCheckpointReturn(obj, retval)             \
    virCheckDomainMomentReturn(obj, VIR_FROM_DOMAIN_CHECKPOINT, \
                               VIR_ERR_INVALID_DOMAIN_CHECKPOINT, retval)

#define EXCL(a, b) virAPIExclusiveFlags(a, b)
#define REQ(a, b) virAPIRequireFlag(a, b)

/**
 * virDomainCheckpointGetName:
 * @checkpoint: a checkpoint handle
 *
 * The name of @checkpoint; the string belongs to the handle.
 *
 * Returns the name, or NULL if @checkpoint is invalid.
 */
VIR_HANDLE_GET(virDomainCheckpointGetName, const char *, virDomainCheckpointPtr,
               virCheckDomainCheckpointReturn, name)

/**
 * virDomainCheckpointGetDomain:
 * @checkpoint: a checkpoint handle
 *
 * The domain @checkpoint belongs to; no new reference is taken (the handle
 * lives as long as @checkpoint).
 *
 * Returns the domain, or NULL if @checkpoint is invalid.
 */
VIR_HANDLE_GET(virDomainCheckpointGetDomain, virDomainPtr, virDomainCheckpointPtr,
               virCheckDomainCheckpointReturn, domain)

/**
 * virDomainCheckpointGetConnect:
 * @checkpoint: a checkpoint handle
 *
 * The connection of @checkpoint's domain; no new reference is taken.
 *
 * Returns the connection, or NULL if @checkpoint is invalid.
 */
VIR_HANDLE_GET(virDomainCheckpointGetConnect, virConnectPtr, virDomainCheckpointPtr,
               virCheckDomainCheckpointReturn, domain->conn)

/**
 * virDomainCheckpointCreateXML:
 * @domain: a domain handle
 * @xmlDesc: a <domaincheckpoint> document
 * @flags: bitwise-OR of virDomainCheckpointCreateFlags
 *
 * Starts tracking the changes to @domain's disks from now on (a dirty
 * bitmap per disk, as @xmlDesc selects them; by default every writable
 * disk), or with VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE records the
 * metadata of an existing checkpoint (a document from
 * virDomainCheckpointGetXMLDesc; REDEFINE_VALIDATE also checks the
 * bitmaps exist). QUIESCE freezes the guest's file systems through its
 * agent meanwhile. A new checkpoint is the child of the most recent one.
 *
 * Returns a new checkpoint handle (free with virDomainCheckpointFree), or
 * NULL in case of error: the common ones, VIR_ERR_OPERATION_DENIED on a
 * read-only connection, VIR_ERR_INVALID_ARG for a NULL @xmlDesc,
 * REDEFINE_VALIDATE without REDEFINE or REDEFINE with QUIESCE, XML errors
 * of the document, VIR_ERR_OPERATION_FAILED when the name exists.
 */
virDomainCheckpointPtr
virDomainCheckpointCreateXML(virDomainPtr domain, const char *xmlDesc, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, NULL), domain->conn);
    virCheckNonNullArgGoto(xmlDesc, error);
    virCheckReadOnlyGoto(conn, error);
    if (REQ(VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE,
            VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE) < 0 ||
        EXCL(VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE,
             VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE) < 0)
        goto error;
    VIR_ENTRY_CALL_PTR(driver, domainCheckpointCreateXML, domain, xmlDesc, flags);
}

/**
 * virDomainCheckpointGetXMLDesc:
 * @checkpoint: a checkpoint handle
 * @flags: bitwise-OR of virDomainCheckpointXMLFlags
 *
 * The <domaincheckpoint> document of @checkpoint: name, description,
 * parent, creation time, disks and (unless NO_DOMAIN) the domain's
 * definition when it was taken; SECURE includes secrets of that
 * definition, SIZE the bytes changed since the checkpoint on each disk
 * (needs a running domain).
 *
 * Returns the document (free() it), or NULL in case of error: the common
 * ones, VIR_ERR_OPERATION_DENIED for SECURE on a read-only connection.
 */
char *
virDomainCheckpointGetXMLDesc(virDomainCheckpointPtr checkpoint, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainCheckpointReturn(checkpoint, NULL), checkpoint->domain->conn);
    if ((conn->flags & VIR_CONNECT_RO) && (flags & VIR_DOMAIN_CHECKPOINT_XML_SECURE)) {
        virReportError(VIR_ERR_OPERATION_DENIED, "%s",
                       "virDomainCheckpointGetXMLDesc with secure flag");
        goto error;
    }
    VIR_ENTRY_CALL_PTR(driver, domainCheckpointGetXMLDesc, checkpoint, flags);
}

/**
 * virDomainListAllCheckpoints:
 * @domain: a domain handle
 * @checkpoints: where to store a new NULL-terminated array of handles, or
 *   NULL to count only
 * @flags: bitwise-OR of virDomainCheckpointListFlags (ROOTS, LEAVES /
 *   NO_LEAVES, TOPOLOGICAL)
 *
 * The checkpoints of @domain, filtered by @flags. Free each handle with
 * virDomainCheckpointFree and the array with free().
 *
 * Returns the number of checkpoints, or -1 in case of error (the common
 * ones); *@checkpoints is NULL on error.
 */
int
virDomainListAllCheckpoints(virDomainPtr domain, virDomainCheckpointPtr **checkpoints,
                            unsigned int flags)
{
    virConnectPtr conn;

    virResetLastError();
    if (checkpoints)
        *checkpoints = NULL;
    virCheckDomainReturn(domain, -1);
    conn = domain->conn;
    VIR_ENTRY_CALL(driver, domainListAllCheckpoints, domain, checkpoints, flags);
}

/**
 * virDomainCheckpointListAllChildren:
 * @checkpoint: a checkpoint handle
 * @children: where to store a new NULL-terminated array of handles, or
 *   NULL to count only
 * @flags: bitwise-OR of virDomainCheckpointListFlags (DESCENDANTS,
 *   LEAVES / NO_LEAVES, TOPOLOGICAL)
 *
 * The children of @checkpoint (all descendants with DESCENDANTS),
 * filtered by @flags. Free each handle with virDomainCheckpointFree and
 * the array with free().
 *
 * Returns the number of children, or -1 in case of error (the common
 * ones); *@children is NULL on error.
 */
int
virDomainCheckpointListAllChildren(virDomainCheckpointPtr checkpoint,
                                   virDomainCheckpointPtr **children, unsigned int flags)
{
    virConnectPtr conn;

    virResetLastError();
    if (children)
        *children = NULL;
    virCheckDomainCheckpointReturn(checkpoint, -1);
    conn = checkpoint->domain->conn;
    VIR_ENTRY_CALL(driver, domainCheckpointListAllChildren, checkpoint, children, flags);
}

/**
 * virDomainCheckpointLookupByName:
 * @domain: a domain handle
 * @name: a checkpoint name
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * The checkpoint @name of @domain.
 *
 * Returns a new checkpoint handle (free with virDomainCheckpointFree), or
 * NULL in case of error: the common ones, VIR_ERR_INVALID_ARG for a NULL
 * @name, VIR_ERR_NO_DOMAIN_CHECKPOINT when there is none by that name.
 */
virDomainCheckpointPtr
virDomainCheckpointLookupByName(virDomainPtr domain, const char *name, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, NULL), domain->conn);
    virCheckNonNullArgGoto(name, error);
    VIR_ENTRY_CALL_PTR(driver, domainCheckpointLookupByName, domain, name, flags);
}

/**
 * virDomainCheckpointGetParent:
 * @checkpoint: a checkpoint handle
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * The parent of @checkpoint.
 *
 * Returns a new checkpoint handle (free with virDomainCheckpointFree), or
 * NULL in case of error: the common ones, VIR_ERR_NO_DOMAIN_CHECKPOINT
 * when @checkpoint is a root.
 */
virDomainCheckpointPtr
virDomainCheckpointGetParent(virDomainCheckpointPtr checkpoint, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainCheckpointReturn(checkpoint, NULL), checkpoint->domain->conn);
    VIR_ENTRY_CALL_PTR(driver, domainCheckpointGetParent, checkpoint, flags);
}

/**
 * virDomainCheckpointDelete:
 * @checkpoint: a checkpoint handle
 * @flags: bitwise-OR of virDomainCheckpointDeleteFlags
 *
 * Deletes @checkpoint: its bitmaps are merged into its parent's (so the
 * parent still tracks every change since it was taken) and its metadata
 * goes; its children take its parent. CHILDREN deletes its descendants
 * too, CHILDREN_ONLY only them, METADATA_ONLY keeps the bitmaps.
 *
 * Returns 0, or -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG
 * for CHILDREN with CHILDREN_ONLY.
 */
int
virDomainCheckpointDelete(virDomainCheckpointPtr checkpoint, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainCheckpointReturn(checkpoint, -1), checkpoint->domain->conn);
    virCheckReadOnlyGoto(conn, error);
    if (EXCL(VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN,
             VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY) < 0)
        goto error;
    VIR_ENTRY_CALL(driver, domainCheckpointDelete, checkpoint, flags);
}

/**
 * virDomainCheckpointRef:
 * @checkpoint: a checkpoint handle
 *
 * Takes one more reference on @checkpoint; each needs a
 * virDomainCheckpointFree.
 *
 * Returns 0, or -1 if @checkpoint is invalid.
 */
VIR_HANDLE_REF(virDomainCheckpointRef, virDomainCheckpointPtr,
               virCheckDomainCheckpointReturn)

/**
 * virDomainCheckpointFree:
 * @checkpoint: a checkpoint handle
 *
 * Drops one reference on @checkpoint; the last frees the handle (the
 * checkpoint itself is untouched).
 *
 * Returns 0, or -1 if @checkpoint is invalid.
 */
VIR_HANDLE_FREE(virDomainCheckpointFree, virDomainCheckpointPtr,
                virCheckDomainCheckpointReturn, virObjectUnrefDomainCheckpoint)
