/* libvirt-domain-tune.c: public entry points for resource tuning (memtune, blkiotune, numatune, pinning) and Linux perf events */
#define G_LOG_DOMAIN "virtkit.api"

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/*
 * Contracts below, as libvirt 9.0's: the common checks of libvirt-domain.c
 * (invalid domain VIR_ERR_INVALID_DOMAIN, bad arguments VIR_ERR_INVALID_ARG
 * with libvirt's texts, a driver without the call VIR_ERR_NO_SUPPORT,
 * read-only connections refused for the Set and Pin calls), every failure
 * dispatched once. Every driver virtkit has takes string parameters, so
 * the Get calls add VIR_TYPED_PARAM_STRING_OKAY as libvirt does then.
 */

typedef int (*tuneSetFn)(virDomainPtr, virTypedParameterPtr, int, unsigned int);
typedef int (*tuneGetFn)(virDomainPtr, virTypedParameterPtr, int *, unsigned int);

static int
tuneSet(const char *funcname, virDomainPtr domain, virTypedParameterPtr params,
        int nparams, unsigned int flags, size_t offset)
{
    virConnectPtr conn;
    tuneSetFn fn;

    virResetLastError();
    virCheckDomainReturn(domain, -1);
    conn = domain->conn;
    virCheckReadOnlyGoto(conn, error);
    if (!params) {
        virAPIReportInvalidArg(VIR_FROM_THIS, funcname, "params",
                               "%s in %s must not be NULL", "params", funcname);
        goto error;
    }
    if (nparams <= 0) {
        virAPIReportInvalidArg(VIR_FROM_THIS, funcname, "nparams",
                               "%s in %s must be greater than zero", "nparams", funcname);
        goto error;
    }
    if (virAPITypedParamsValidateSet(funcname, params, nparams) < 0)
        goto error;
    fn = *(tuneSetFn *)((char *)conn->driver + offset);
    if (fn) {
        if (fn(domain, params, nparams, flags) < 0)
            goto error;
        return 0;
    }
    virReportErrorFull(VIR_FROM_THIS, VIR_ERR_NO_SUPPORT, funcname, "%s", funcname);
error:
    virDispatchError(conn);
    return -1;
}

static int
tuneGet(const char *funcname, virDomainPtr domain, virTypedParameterPtr params,
        int *nparams, unsigned int flags, size_t offset, bool exclusive)
{
    virConnectPtr conn;
    tuneGetFn fn;

    virResetLastError();
    virCheckDomainReturn(domain, -1);
    conn = domain->conn;
    if (!nparams) {
        virAPIReportInvalidArg(VIR_FROM_THIS, funcname, "nparams",
                               "%s in %s must not be NULL", "nparams", funcname);
        goto error;
    }
    if (*nparams < 0) {
        virAPIReportInvalidArg(VIR_FROM_THIS, funcname, "*nparams",
                               "%s in %s must be zero or greater", "*nparams", funcname);
        goto error;
    }
    if (*nparams != 0 && !params) {
        virAPIReportInvalidArg(VIR_FROM_THIS, funcname, "params",
                               "%s in %s must not be NULL", "params", funcname);
        goto error;
    }
    flags |= VIR_TYPED_PARAM_STRING_OKAY;
    if (exclusive && (flags & VIR_DOMAIN_AFFECT_LIVE) &&
        (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        virAPIReportInvalidArg(VIR_FROM_THIS, funcname, "flags",
                               "Flags '%s' and '%s' are mutually exclusive",
                               "VIR_DOMAIN_AFFECT_LIVE", "VIR_DOMAIN_AFFECT_CONFIG");
        goto error;
    }
    fn = *(tuneGetFn *)((char *)conn->driver + offset);
    if (fn) {
        if (fn(domain, params, nparams, flags) < 0)
            goto error;
        return 0;
    }
    virReportErrorFull(VIR_FROM_THIS, VIR_ERR_NO_SUPPORT, funcname, "%s", funcname);
error:
    virDispatchError(conn);
    return -1;
}

/**
 * virDomainSetMemoryParameters:
 * @domain: a domain handle
 * @params: @nparams memory parameters (VIR_DOMAIN_MEMORY_HARD_LIMIT,
 *          _SOFT_LIMIT, _SWAP_HARD_LIMIT: VIR_TYPED_PARAM_ULLONG KiB;
 *          VIR_DOMAIN_MEMORY_PARAM_UNLIMITED for none)
 * @nparams: the number of @params (> 0)
 * @flags: bitwise-OR of virDomainModificationImpact
 *
 * Changes @domain's <memtune>: on a running guest its cgroup's memory
 * limits (QEMU driver), and/or the persistent definition. A hard limit
 * above the swap hard limit is refused (VIR_ERR_INVALID_ARG "memory
 * hard_limit tunable value must be lower than or equal to
 * swap_hard_limit") and nothing changes.
 *
 * Returns 0 on success, -1 on error: the common ones, VIR_ERR_OPERATION_DENIED
 * on a read-only connection, VIR_ERR_INVALID_ARG for a NULL @params or
 * @nparams <= 0, the driver's refusals (unknown field
 * VIR_ERR_ARGUMENT_UNSUPPORTED, wrong type VIR_ERR_INVALID_ARG, no memory
 * controller VIR_ERR_OPERATION_INVALID).
 */
int
virDomainSetMemoryParameters(virDomainPtr domain, virTypedParameterPtr params,
                             int nparams, unsigned int flags)
{
    return tuneSet(
        __func__, domain, params, nparams, flags,
        G_STRUCT_OFFSET(struct _virHypervisorDriver, domainSetMemoryParameters));
}

/**
 * virDomainGetMemoryParameters:
 * @domain: a domain handle
 * @params: the caller's array of *@nparams entries (may be NULL when
 *          *@nparams is 0)
 * @nparams: in: the size of @params, 0 to ask for the count; out: how
 *           many were filled (or the count)
 * @flags: bitwise-OR of virDomainModificationImpact and virTypedParameterFlags
 *
 * @domain's memory limits, hard_limit, soft_limit, swap_hard_limit (KiB,
 * VIR_DOMAIN_MEMORY_PARAM_UNLIMITED when none), live from the guest's
 * cgroup or from the definition.
 *
 * Returns 0 on success, -1 on error: the common ones, VIR_ERR_INVALID_ARG
 * for a NULL @nparams, a negative *@nparams, a NULL @params with
 * *@nparams > 0, or both VIR_DOMAIN_AFFECT_LIVE and _CONFIG.
 */
int
virDomainGetMemoryParameters(virDomainPtr domain, virTypedParameterPtr params,
                             int *nparams, unsigned int flags)
{
    return tuneGet(
        __func__, domain, params, nparams, flags,
        G_STRUCT_OFFSET(struct _virHypervisorDriver, domainGetMemoryParameters), true);
}

/**
 * virDomainSetBlkioParameters:
 * @domain: a domain handle
 * @params: @nparams parameters: VIR_DOMAIN_BLKIO_WEIGHT (UINT, 100..1000),
 *          and the per-device lists (STRING "path,value,path,value...")
 * @nparams: the number of @params (> 0)
 * @flags: bitwise-OR of virDomainModificationImpact
 *
 * Changes @domain's <blkiotune>. The QEMU driver needs the guest's blkio
 * cgroup and a bfq or cfq I/O scheduler for weights (libvirt's
 * VIR_ERR_OPERATION_INVALID otherwise).
 *
 * Returns 0 on success, -1 on error (as virDomainSetMemoryParameters).
 */
int
virDomainSetBlkioParameters(virDomainPtr domain, virTypedParameterPtr params, int nparams,
                            unsigned int flags)
{
    return tuneSet(
        __func__, domain, params, nparams, flags,
        G_STRUCT_OFFSET(struct _virHypervisorDriver, domainSetBlkioParameters));
}

/**
 * virDomainGetBlkioParameters:
 * @domain: a domain handle
 * @params: the caller's array (may be NULL when *@nparams is 0)
 * @nparams: in: its size, 0 to ask for the count; out: how many were filled
 * @flags: bitwise-OR of virDomainModificationImpact and virTypedParameterFlags
 *
 * @domain's <blkiotune>: weight and the per-device lists.
 *
 * Returns 0 on success, -1 on error (as virDomainGetMemoryParameters).
 */
int
virDomainGetBlkioParameters(virDomainPtr domain, virTypedParameterPtr params,
                            int *nparams, unsigned int flags)
{
    return tuneGet(__func__, domain, params, nparams, flags,
                   G_STRUCT_OFFSET(struct _virHypervisorDriver, domainGetBlkioParameters),
                   true);
}

/**
 * virDomainSetNumaParameters:
 * @domain: a domain handle
 * @params: @nparams parameters: VIR_DOMAIN_NUMA_MODE (INT,
 *          virDomainNumatuneMemMode), VIR_DOMAIN_NUMA_NODESET (STRING)
 * @nparams: the number of @params (> 0)
 * @flags: bitwise-OR of virDomainModificationImpact
 *
 * Changes @domain's <numatune>; a running guest's mode cannot change and
 * its nodeset only in 'strict' or 'restrictive' mode (libvirt's
 * VIR_ERR_OPERATION_INVALID texts), through its cpuset cgroup.
 *
 * Returns 0 on success, -1 on error (as virDomainSetMemoryParameters).
 */
int
virDomainSetNumaParameters(virDomainPtr domain, virTypedParameterPtr params, int nparams,
                           unsigned int flags)
{
    return tuneSet(__func__, domain, params, nparams, flags,
                   G_STRUCT_OFFSET(struct _virHypervisorDriver, domainSetNumaParameters));
}

/**
 * virDomainGetNumaParameters:
 * @domain: a domain handle
 * @params: the caller's array (may be NULL when *@nparams is 0)
 * @nparams: in: its size, 0 to ask for the count; out: how many were filled
 * @flags: bitwise-OR of virDomainModificationImpact and virTypedParameterFlags
 *
 * @domain's numa_mode and numa_nodeset.
 *
 * Returns 0 on success, -1 on error (as virDomainGetMemoryParameters).
 */
int
virDomainGetNumaParameters(virDomainPtr domain, virTypedParameterPtr params, int *nparams,
                           unsigned int flags)
{
    return tuneGet(__func__, domain, params, nparams, flags,
                   G_STRUCT_OFFSET(struct _virHypervisorDriver, domainGetNumaParameters),
                   false /* libvirt 9.0 checks no flags here */);
}

/**
 * virDomainPinVcpuFlags:
 * @domain: a domain handle
 * @vcpu: the vCPU number
 * @cpumap: the host CPUs it may run on, one bit each (VIR_USE_CPU)
 * @maplen: the bytes of @cpumap (> 0)
 * @flags: bitwise-OR of virDomainModificationImpact
 *
 * Pins vCPU @vcpu: live through the guest's vcpuN cgroup (cpuset.cpus)
 * and the thread's affinity, and/or in the definition (<vcpupin>).
 *
 * Returns 0 on success, -1 on error: the common ones, VIR_ERR_OPERATION_DENIED
 * on a read-only connection, VIR_ERR_INVALID_ARG for a NULL @cpumap,
 * @maplen <= 0, a vCPU the guest does not have or an empty map.
 */
int
virDomainPinVcpuFlags(virDomainPtr domain, unsigned int vcpu, unsigned char *cpumap,
                      int maplen, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(cpumap, error);
    virCheckPositiveArgGoto(maplen, error);

    VIR_ENTRY_CALL_ZERO(driver, domainPinVcpuFlags, domain, vcpu, cpumap, maplen, flags);
}

/**
 * virDomainPinVcpu:
 * @domain: a domain handle
 * @vcpu: the vCPU number
 * @cpumap: the host CPUs it may run on
 * @maplen: the bytes of @cpumap (> 0)
 *
 * virDomainPinVcpuFlags on the running guest (VIR_DOMAIN_AFFECT_LIVE).
 *
 * Returns 0 on success, -1 on error (as virDomainPinVcpuFlags).
 */
int
virDomainPinVcpu(virDomainPtr domain, unsigned int vcpu, unsigned char *cpumap,
                 int maplen)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(cpumap, error);
    virCheckPositiveArgGoto(maplen, error);

    VIR_ENTRY_CALL_ZERO(driver, domainPinVcpu, domain, vcpu, cpumap, maplen);
}

/**
 * virDomainPinEmulator:
 * @domain: a domain handle
 * @cpumap: the host CPUs QEMU's own threads may run on
 * @maplen: the bytes of @cpumap (> 0)
 * @flags: bitwise-OR of virDomainModificationImpact
 *
 * Pins the emulator threads: live through the emulator cgroup and the
 * threads' affinity, and/or in the definition (<emulatorpin>).
 *
 * Returns 0 on success, -1 on error (as virDomainPinVcpuFlags).
 */
int
virDomainPinEmulator(virDomainPtr domain, unsigned char *cpumap, int maplen,
                     unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(cpumap, error);
    virCheckPositiveArgGoto(maplen, error);

    VIR_ENTRY_CALL_ZERO(driver, domainPinEmulator, domain, cpumap, maplen, flags);
}

/**
 * virDomainGetEmulatorPinInfo:
 * @domain: a domain handle
 * @cpumaps: the caller's map of @maplen bytes, filled in
 * @maplen: its size (> 0)
 * @flags: bitwise-OR of virDomainModificationImpact
 *
 * The host CPUs the emulator threads may run on (the pin, else every
 * host CPU).
 *
 * Returns 1 (one map filled) on success, -1 on error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @cpumaps, @maplen <= 0 or both
 * VIR_DOMAIN_AFFECT_LIVE and _CONFIG.
 */
int
virDomainGetEmulatorPinInfo(virDomainPtr domain, unsigned char *cpumaps, int maplen,
                            unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckNonNullArgGoto(cpumaps, error);
    virCheckPositiveArgGoto(maplen, error);
    if (virAPIExclusiveFlags(VIR_DOMAIN_AFFECT_LIVE, VIR_DOMAIN_AFFECT_CONFIG) < 0)
        goto error;

    VIR_ENTRY_CALL(driver, domainGetEmulatorPinInfo, domain, cpumaps, maplen, flags);
}

/**
 * virDomainGetPerfEvents:
 * @domain: a domain handle
 * @params: where a new array of the events' states is stored (free it
 *          with virTypedParamsFree)
 * @nparams: where its length is stored
 * @flags: bitwise-OR of virDomainModificationImpact and virTypedParameterFlags
 *
 * Whether each Linux perf event (VIR_PERF_PARAM_*, one
 * VIR_TYPED_PARAM_BOOLEAN each, all of them) is counted for @domain: the
 * counters open on its running process (live), or the <perf> element of
 * the definition the flags select.
 *
 * Returns 0 on success, -1 on error: the common ones, VIR_ERR_INVALID_ARG
 * for a NULL @params or @nparams; the outputs are written only on success.
 */
int
virDomainGetPerfEvents(virDomainPtr domain, virTypedParameterPtr *params, int *nparams,
                       unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckNonNullArgGoto(params, error);
    virCheckNonNullArgGoto(nparams, error);

    VIR_ENTRY_CALL(driver, domainGetPerfEvents, domain, params, nparams, flags);
}

/**
 * virDomainSetPerfEvents:
 * @domain: a domain handle
 * @params: @nparams events to enable (true) or disable (false), each a
 *          VIR_TYPED_PARAM_BOOLEAN named by a VIR_PERF_PARAM_* value
 * @nparams: the number of @params (> 0)
 * @flags: bitwise-OR of virDomainModificationImpact
 *
 * Starts or stops counting the events for @domain: live, the counters on
 * its QEMU process (QEMU driver); in the definition, its <perf> element,
 * so that the next start counts them. An event the host cannot count
 * fails the call (QEMU driver: VIR_ERR_SYSTEM_ERROR "unable to open host
 * cpu perf event for NAME", or VIR_ERR_ARGUMENT_UNSUPPORTED for the
 * resctrl events cmt, mbmt and mbml without the host's PMU, both in
 * VIR_FROM_PERF) and then nothing changes.
 *
 * Returns 0 on success, -1 on error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG
 * for a NULL @params or @nparams <= 0, the driver's refusals (unknown
 * event VIR_ERR_ARGUMENT_UNSUPPORTED, not a boolean or given twice
 * VIR_ERR_INVALID_ARG).
 */
int
virDomainSetPerfEvents(virDomainPtr domain, virTypedParameterPtr params, int nparams,
                       unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(params, error);
    virCheckPositiveArgGoto(nparams, error);
    if (virAPITypedParamsValidateSet(__func__, params, nparams) < 0)
        goto error;

    VIR_ENTRY_CALL_ZERO(driver, domainSetPerfEvents, domain, params, nparams, flags);
}
