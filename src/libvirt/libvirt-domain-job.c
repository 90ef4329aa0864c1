/* libvirt-domain-job.c: public entry points of a domain's background jobs and disk errors (virDomainAbortJob, virDomainGetDiskErrors) */
#define G_LOG_DOMAIN "virtkit.api"

#include "libvirt_internal.h"

/* libvirt's libvirt-domain.c reports in the domain error domain. */
#define VIR_FROM_THIS VIR_FROM_DOMAIN

/**
 * virDomainAbortJob:
 * @domain: a domain object
 *
 * Requests that the domain's running background job (a save, managed
 * save or core dump writing its file, a migration) be aborted; the call
 * that started the job then fails with VIR_ERR_OPERATION_ABORTED and the
 * guest runs on as before it. Same as virDomainAbortJobFlags(@domain, 0).
 *
 * Returns 0 in case of success and -1 in case of error:
 * VIR_ERR_OPERATION_DENIED on a read-only connection,
 * VIR_ERR_OPERATION_INVALID when the domain is not running or runs no
 * job that can be aborted ("no job is active on the domain", "cannot
 * abort memory-only dump"), VIR_ERR_NO_SUPPORT from drivers without jobs
 * (the test driver, as libvirt's).
 */
int
virDomainAbortJob(virDomainPtr domain)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_ZERO(driver, domainAbortJob, domain);
}

/**
 * virDomainAbortJobFlags:
 * @domain: a domain object
 * @flags: bitwise-OR of virDomainAbortJobFlagsValues
 *
 * As virDomainAbortJob. With VIR_DOMAIN_ABORT_JOB_POSTCOPY only an
 * outgoing migration in its post-copy phase is interrupted; any other
 * job (or none) is VIR_ERR_OPERATION_INVALID "current job is not
 * outgoing migration in post-copy mode".
 *
 * Returns 0 in case of success and -1 in case of error (as
 * virDomainAbortJob; VIR_ERR_INVALID_ARG for unknown @flags).
 */
int
virDomainAbortJobFlags(virDomainPtr domain, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_ZERO(driver, domainAbortJobFlags, domain, flags);
}

/**
 * virDomainGetDiskErrors:
 * @dom: a domain object
 * @errors: array to fill with the disks in error, or NULL
 * @maxerrors: size of @errors (0 when @errors is NULL)
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * The disks whose I/O failed since the guest last ran on (QEMU's I/O
 * status: a disk with error_policy='stop' that hit ENOSPC pauses the
 * guest with VIR_DOMAIN_DISK_ERROR_NO_SPACE), as their target names and
 * virDomainDiskErrorCode. With @errors NULL and @maxerrors 0 the number of
 * entries @errors needs (the domain's disk count) is returned instead.
 * Each filled @errors[i].disk is the caller's to free().
 *
 * Returns the number of entries filled (or needed), or -1 in case of
 * error: VIR_ERR_INVALID_ARG for a NULL @errors with @maxerrors > 0,
 * VIR_ERR_OPERATION_INVALID for an inactive domain.
 */
int
virDomainGetDiskErrors(virDomainPtr dom, virDomainDiskErrorPtr errors,
                       unsigned int maxerrors, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    virCheckNonNullArrayArgGoto(errors, maxerrors, error);

    VIR_ENTRY_CALL(driver, domainGetDiskErrors, dom, errors, maxerrors, flags);
}
