/* libvirt-domain-iothread.c: public entry points of a domain's IOThreads (info, pin, add, delete, parameters) */
#define G_LOG_DOMAIN "virtkit.api"

#include <stdlib.h>
#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/*
 * Contracts below, as libvirt 9.0's libvirt-domain.c: an invalid domain is
 * VIR_ERR_INVALID_DOMAIN, bad arguments VIR_ERR_INVALID_ARG with libvirt's
 * texts (VIR_FROM_DOMAIN), a driver without the call VIR_ERR_NO_SUPPORT,
 * and every call that changes something is refused on a read-only
 * connection (VIR_ERR_OPERATION_DENIED). Every failure is dispatched once.
 */

/**
 * virDomainGetIOThreadInfo:
 * @domain: a domain handle
 * @info: where the new array of IOThread descriptions goes (OUT)
 * @flags: bitwise-OR of virDomainModificationImpact; not both
 *         VIR_DOMAIN_AFFECT_LIVE and VIR_DOMAIN_AFFECT_CONFIG
 *
 * The IOThreads of the running guest (their threads' affinity as the host
 * sees it) or of the definition (the <iothreadpin>, else <vcpu cpuset>,
 * else every host CPU).
 *
 * Returns the number of IOThreads (0: none, *@info NULL), -1 on error:
 * the common ones, VIR_ERR_INVALID_ARG for a NULL @info or both AFFECT
 * flags, VIR_ERR_OPERATION_INVALID for the live IOThreads of a guest that
 * is not running. *@info is NULL on error. The caller frees each element
 * with virDomainIOThreadInfoFree, then the array with free().
 */
int
virDomainGetIOThreadInfo(virDomainPtr domain, virDomainIOThreadInfoPtr **info,
                         unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckNonNullArgGoto(info, error);
    *info = NULL;
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "flags",
                               "Flags '%s' and '%s' are mutually exclusive",
                               "VIR_DOMAIN_AFFECT_LIVE", "VIR_DOMAIN_AFFECT_CONFIG");
        goto error;
    }

    VIR_ENTRY_CALL(driver, domainGetIOThreadInfo, domain, info, flags);
}

/**
 * virDomainIOThreadInfoFree:
 * @info: one element of virDomainGetIOThreadInfo's array, or NULL
 *
 * Frees @info and its map.
 */
void
virDomainIOThreadInfoFree(virDomainIOThreadInfoPtr info)
{
    virDomainIOThreadInfoFreeInternal(info);
}

/**
 * virDomainPinIOThread:
 * @domain: a domain handle
 * @iothread_id: the IOThread's id
 * @cpumap: the host CPUs it may run on, one bit each (VIR_USE_CPU)
 * @maplen: the bytes of @cpumap (> 0)
 * @flags: bitwise-OR of virDomainModificationImpact (both may be given)
 *
 * Pins IOThread @iothread_id: live through the guest's iothreadN cgroup
 * (cpuset.cpus) and the thread's affinity, and/or in the definition
 * (<cputune><iothreadpin>).
 *
 * Returns 0 on success, -1 on error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG
 * for a NULL @cpumap, @maplen <= 0, an empty map or an IOThread the
 * definition does not have.
 */
int
virDomainPinIOThread(virDomainPtr domain, unsigned int iothread_id, unsigned char *cpumap,
                     int maplen, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(cpumap, error);
    virCheckPositiveArgGoto(maplen, error);

    VIR_ENTRY_CALL_ZERO(driver, domainPinIOThread, domain, iothread_id, cpumap, maplen,
                        flags);
}

/**
 * virDomainAddIOThread:
 * @domain: a domain handle
 * @iothread_id: the id of the new IOThread (> 0, not in use)
 * @flags: bitwise-OR of virDomainModificationImpact (both may be given)
 *
 * Adds an IOThread: live (QEMU creates the iothread object, its thread is
 * placed as the others) and/or in the definition (<iothreadids>).
 *
 * Returns 0 on success, -1 on error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG
 * for id 0 or an id already in use.
 */
int
virDomainAddIOThread(virDomainPtr domain, unsigned int iothread_id, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_ZERO(driver, domainAddIOThread, domain, iothread_id, flags);
}

/**
 * virDomainDelIOThread:
 * @domain: a domain handle
 * @iothread_id: the id of the IOThread to remove (> 0)
 * @flags: bitwise-OR of virDomainModificationImpact (both may be given)
 *
 * Removes an IOThread no disk and no controller uses: live (QEMU deletes
 * the iothread object, its cgroup goes) and/or from the definition.
 *
 * Returns 0 on success, -1 on error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG
 * for id 0 ("iothread_id in virDomainDelIOThread must not be zero"), an
 * IOThread the definition does not have or one a disk or a controller
 * uses.
 */
int
virDomainDelIOThread(virDomainPtr domain, unsigned int iothread_id, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);
    if (iothread_id == 0) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "iothread_id",
                               "%s in %s must not be zero", "iothread_id", __func__);
        goto error;
    }

    VIR_ENTRY_CALL_ZERO(driver, domainDelIOThread, domain, iothread_id, flags);
}

/**
 * virDomainSetIOThreadParams:
 * @domain: a domain handle
 * @iothread_id: the IOThread's id
 * @params: the parameters: VIR_DOMAIN_IOTHREAD_POLL_MAX_NS (ullong),
 *          _POLL_GROW and _POLL_SHRINK (uint), _THREAD_POOL_MIN and
 *          _THREAD_POOL_MAX (int)
 * @nparams: how many (> 0)
 * @flags: bitwise-OR of virDomainModificationImpact
 *
 * Changes an IOThread's polling (live only: QEMU's qom-set) and worker
 * pool bounds (live and/or in the definition's <iothread
 * thread_pool_min/max>).
 *
 * Returns 0 on success, -1 on error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG
 * for a NULL @params, @nparams <= 0, a field name too long, a NULL string
 * value, id 0 or an unknown IOThread; the drivers' own refusals (polling
 * values in the definition: VIR_ERR_OPERATION_UNSUPPORTED).
 */
int
virDomainSetIOThreadParams(virDomainPtr domain, unsigned int iothread_id,
                           virTypedParameterPtr params, int nparams, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(params, error);
    virCheckPositiveArgGoto(nparams, error);
    if (virAPITypedParamsValidateSet(__func__, params, nparams) < 0)
        goto error;

    VIR_ENTRY_CALL_ZERO(driver, domainSetIOThreadParams, domain, iothread_id, params,
                        nparams, flags);
}
