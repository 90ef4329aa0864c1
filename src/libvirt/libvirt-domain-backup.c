/* libvirt-domain-backup.c: public entry points of a running domain's disk backups */
#define G_LOG_DOMAIN "virtkit.api.backup"

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/*
 * Contracts below, as libvirt 9.0's libvirt-domain.c: an invalid domain
 * is VIR_ERR_INVALID_DOMAIN, a NULL argument VIR_ERR_INVALID_ARG, a
 * driver without the call VIR_ERR_NO_SUPPORT (libvirt's test driver has
 * neither), every failure dispatched once.
 */

/**
 * virDomainBackupBegin:
 * @domain: a running domain
 * @backupXML: a <domainbackup> document: push mode (the default) copies
 *             each selected disk into its <target> file or device; pull
 *             mode exports each one through QEMU's NBD server (<server>)
 * @checkpointXML: a <domaincheckpoint> document, or NULL: the checkpoint
 *                 is created atomically with the backup's point in time,
 *                 for later incremental backups
 * @flags: bitwise-OR of virDomainBackupBeginFlags
 *         (VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL: the target files exist,
 *         created by the caller with the right format and size)
 *
 * Starts a backup of @domain's disks as they are now and returns; the copy
 * goes on as the domain's job (virDomainGetJobInfo / GetJobStats show it,
 * virDomainAbortJob cancels it). A disk with <incremental> (or the
 * backup's) gets only the clusters changed since that checkpoint. Without
 * <disks>, every writable disk with media is backed up, each to
 * "<its source>.<checkpoint name or the current time>" unless named. A
 * push backup ends by itself: VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, then the
 * BLOCK_JOB / BLOCK_JOB_2 events of each disk (type BACKUP) tell the
 * outcome; a failed or cancelled push removes the targets it created. A
 * pull backup lasts until virDomainAbortJob.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, the XML errors of
 * either document, VIR_ERR_OPERATION_UNSUPPORTED for an inactive domain,
 * VIR_ERR_OPERATION_INVALID while another backup runs,
 * VIR_ERR_NO_DOMAIN_CHECKPOINT for an unknown checkpoint,
 * VIR_ERR_CHECKPOINT_INCONSISTENT for a disk lacking its bitmap,
 * VIR_ERR_INVALID_ARG for a target that exists (without REUSE_EXTERNAL).
 * Nothing is left behind by a failure.
 */
int
virDomainBackupBegin(virDomainPtr domain, const char *backupXML,
                     const char *checkpointXML, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckNonNullArgGoto(backupXML, error);
    virCheckReadOnlyGoto(conn, error);
    VIR_ENTRY_CALL(driver, domainBackupBegin, domain, backupXML, checkpointXML, flags);
}

/**
 * virDomainBackupGetXMLDesc:
 * @domain: a domain handle
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * The <domainbackup> document of @domain's running backup job, with what
 * the driver chose filled in (every disk, its mode, target file and
 * format, the index of its image in QEMU).
 *
 * Returns the document (free() it), or NULL in case of error: the common
 * ones, VIR_ERR_NO_DOMAIN_BACKUP when no backup job runs.
 */
char *
virDomainBackupGetXMLDesc(virDomainPtr domain, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, NULL), domain->conn);
    VIR_ENTRY_CALL_PTR(driver, domainBackupGetXMLDesc, domain, flags);
}
