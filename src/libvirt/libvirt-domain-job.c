/* libvirt-domain-job.c: public entry points of a domain's background jobs (virDomainAbortJob) */
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
    virConnectPtr conn;

    virResetLastError();
    virCheckDomainReturn(domain, -1);
    conn = domain->conn;
    virCheckReadOnlyGoto(conn, error);

    if (conn->driver->domainAbortJob) {
        if (conn->driver->domainAbortJob(domain) < 0)
            goto error;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
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
    virConnectPtr conn;

    virResetLastError();
    virCheckDomainReturn(domain, -1);
    conn = domain->conn;
    virCheckReadOnlyGoto(conn, error);

    if (conn->driver->domainAbortJobFlags) {
        if (conn->driver->domainAbortJobFlags(domain, flags) < 0)
            goto error;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}
