/* libvirt-domain-stats.c: public entry points for a running guest's statistics and the host's */
#define G_LOG_DOMAIN "virtkit.api"

#include <limits.h>
#include <string.h>

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/*
 * Contracts below, as libvirt 9.0's libvirt-domain.c and libvirt-host.c:
 * the common checks (invalid domain VIR_ERR_INVALID_DOMAIN, NULL arguments
 * VIR_ERR_INVALID_ARG, a driver without the call VIR_ERR_NO_SUPPORT),
 * every failure dispatched once, outputs written only on success. These
 * calls only read, so read-only connections may make them (except
 * virDomainSetMemoryStatsPeriod and virDomainStartDirtyRateCalc). Calls with typed parameters add
 * VIR_TYPED_PARAM_STRING_OKAY to the driver's flags, as libvirt does for
 * drivers that take strings (all of virtkit's).
 */

/* INVALID_ARG "NAME in FN must be zero". */
#define checkZeroArgGoto(arg, name, label)                                   \
    do {                                                                     \
        if ((arg) != 0) {                                                    \
            virAPIReportInvalidArg(VIR_FROM_THIS, __func__, name,            \
                                   "%s in %s must be zero", name, __func__); \
            goto label;                                                      \
        }                                                                    \
    } while (0)

/* INVALID_ARG "NAME in FN must be NULL". */
#define checkNullArgGoto(arg, name, label)                                   \
    do {                                                                     \
        if ((arg) != NULL) {                                                 \
            virAPIReportInvalidArg(VIR_FROM_THIS, __func__, name,            \
                                   "%s in %s must be NULL", name, __func__); \
            goto label;                                                      \
        }                                                                    \
    } while (0)


/**
 * virDomainMemoryStats:
 * @dom: a domain handle
 * @stats: the caller's array of @nr_stats entries, filled in
 * @nr_stats: the size of @stats (more than VIR_DOMAIN_MEMORY_STAT_NR is
 *            treated as VIR_DOMAIN_MEMORY_STAT_NR)
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * The memory statistics of a running @dom, one (tag, value) entry per
 * statistic the driver has, in its order; values in KiB except the fault
 * counters and VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE (seconds). The QEMU
 * driver reads the balloon (query-balloon and the balloon's guest
 * statistics once a period is set) and the QEMU process' resident size.
 *
 * Returns the number of entries filled (0 when @stats is NULL or
 * @nr_stats is 0, without asking the driver), or -1 in case of error: the
 * common ones, VIR_ERR_OPERATION_INVALID for an inactive domain.
 */
int
virDomainMemoryStats(virDomainPtr dom, virDomainMemoryStatPtr stats,
                     unsigned int nr_stats, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);

    if (!stats || nr_stats == 0)
        return 0;
    if (nr_stats > VIR_DOMAIN_MEMORY_STAT_NR)
        nr_stats = VIR_DOMAIN_MEMORY_STAT_NR;

    VIR_ENTRY_CALL(driver, domainMemoryStats, dom, stats, nr_stats, flags);
}


/**
 * virDomainSetMemoryStatsPeriod:
 * @domain: a domain handle
 * @period: the balloon's statistics period in seconds; 0 disables them
 * @flags: bitwise-OR of virDomainMemoryModFlags (virDomainModificationImpact)
 *
 * Sets how often the guest's balloon driver refreshes the statistics
 * virDomainMemoryStats returns, for the running guest and/or its
 * definition (<memballoon><stats period=.../>).
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG
 * for a negative @period.
 */
int
virDomainSetMemoryStatsPeriod(virDomainPtr domain, int period, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNegativeArgGoto(period, error);

    VIR_ENTRY_CALL_ZERO(driver, domainSetMemoryStatsPeriod, domain, period, flags);
}


/**
 * virDomainBlockStats:
 * @dom: a domain handle
 * @disk: the disk's target ("vda") or source path
 * @stats: where to store the statistics
 * @size: sizeof(virDomainBlockStatsStruct) (an older, smaller structure
 *        gets its leading fields)
 *
 * The I/O counters of one disk of a running @dom; a counter the driver
 * does not have is -1. The QEMU driver asks query-blockstats.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG when @size is larger than the structure or @disk
 * is not a disk of @dom, VIR_ERR_OPERATION_INVALID for an inactive
 * domain.
 */
int
virDomainBlockStats(virDomainPtr dom, const char *disk, virDomainBlockStatsPtr stats,
                    size_t size)
{
    virConnectPtr conn;
    virDomainBlockStatsStruct stats2 = { -1, -1, -1, -1, -1 };

    virResetLastError();
    virCheckDomainReturn(dom, -1);
    conn = dom->conn;
    virCheckNonNullArgGoto(disk, error);
    virCheckNonNullArgGoto(stats, error);
    if (size > sizeof(stats2)) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "size",
                               "size must not exceed %zu", sizeof(stats2));
        goto error;
    }

    if (conn->driver->domainBlockStats) {
        if (conn->driver->domainBlockStats(dom, disk, &stats2) < 0)
            goto error;
        memcpy(stats, &stats2, size);
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}


/**
 * virDomainBlockStatsFlags:
 * @dom: a domain handle
 * @disk: the disk's target ("vda") or source path
 * @params: the caller's array of *@nparams entries, or NULL when
 *          *@nparams is 0
 * @nparams: in: the size of @params, 0 to ask how many the driver has;
 *           out: the number filled (or available)
 * @flags: bitwise-OR of virTypedParameterFlags
 *
 * The extended I/O counters of one disk (VIR_DOMAIN_BLOCK_STATS_* names:
 * rd_operations, rd_bytes, rd_total_times, wr_..., flush_...). libvirt
 * 9.0's test driver does not have this call; the QEMU driver does.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @disk or @nparams, a negative *@nparams,
 * or a NULL @params with *@nparams > 0.
 */
int
virDomainBlockStatsFlags(virDomainPtr dom, const char *disk, virTypedParameterPtr params,
                         int *nparams, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    virCheckNonNullArgGoto(disk, error);
    virCheckNonNullArgGoto(nparams, error);
    virCheckNonNegativeArgGoto(*nparams, error);
    if (*nparams != 0)
        virCheckNonNullArgGoto(params, error);
    flags |= VIR_TYPED_PARAM_STRING_OKAY;

    VIR_ENTRY_CALL_ZERO(driver, domainBlockStatsFlags, dom, disk, params, nparams, flags);
}


/**
 * virDomainInterfaceStats:
 * @dom: a domain handle
 * @device: the interface's host device name ("vnet0") or MAC address
 * @stats: where to store the statistics
 * @size: sizeof(virDomainInterfaceStatsStruct)
 *
 * The traffic counters of one interface of a running @dom, seen from the
 * guest (rx is what the guest received); -1 for a counter the driver does
 * not have. The QEMU driver reads the host side of the tap device in
 * /proc/net/dev and swaps the directions, as libvirt.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG when @size is larger than the structure or
 * "'DEV' is not a known interface", VIR_ERR_OPERATION_INVALID for an
 * inactive domain.
 */
int
virDomainInterfaceStats(virDomainPtr dom, const char *device,
                        virDomainInterfaceStatsPtr stats, size_t size)
{
    virConnectPtr conn;
    virDomainInterfaceStatsStruct stats2 = { -1, -1, -1, -1, -1, -1, -1, -1 };

    virResetLastError();
    virCheckDomainReturn(dom, -1);
    conn = dom->conn;
    virCheckNonNullArgGoto(device, error);
    virCheckNonNullArgGoto(stats, error);
    if (size > sizeof(stats2)) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "size",
                               "size must not exceed %zu", sizeof(stats2));
        goto error;
    }

    if (conn->driver->domainInterfaceStats) {
        if (conn->driver->domainInterfaceStats(dom, device, &stats2) < 0)
            goto error;
        memcpy(stats, &stats2, size);
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}


/**
 * virDomainGetVcpus:
 * @domain: a domain handle
 * @info: the caller's array of @maxinfo entries, filled in
 * @maxinfo: the size of @info (> 0)
 * @cpumaps: NULL, or the caller's array of @maxinfo * @maplen bytes: each
 *           virtual CPU's affinity as a host CPU bitmap (VIR_GET_CPUMAP)
 * @maplen: bytes per map (> 0 with @cpumaps, 0 without)
 *
 * Number, state, CPU time and current host CPU of each virtual CPU of a
 * running @domain. The QEMU driver asks query-cpus-fast for the vCPU
 * threads and reads their times and CPUs in /proc.
 *
 * Returns the number of entries filled, or -1 in case of error: the common
 * ones, VIR_ERR_INVALID_ARG for a NULL @info, @maxinfo <= 0, a @maplen
 * that does not match @cpumaps, VIR_ERR_OVERFLOW when @maxinfo * @maplen
 * does not fit an int, VIR_ERR_OPERATION_INVALID for an inactive domain.
 */
int
virDomainGetVcpus(virDomainPtr domain, virVcpuInfoPtr info, int maxinfo,
                  unsigned char *cpumaps, int maplen)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckNonNullArgGoto(info, error);
    virCheckPositiveArgGoto(maxinfo, error);
    if (cpumaps)
        virCheckPositiveArgGoto(maplen, error);
    else
        checkZeroArgGoto(maplen, "maplen", error);
    if (cpumaps && maxinfo > INT_MAX / maplen) {
        virReportError(VIR_ERR_OVERFLOW, "input too large: %d * %d", maxinfo, maplen);
        goto error;
    }

    VIR_ENTRY_CALL(driver, domainGetVcpus, domain, info, maxinfo, cpumaps, maplen);
}


/**
 * virDomainGetVcpuPinInfo:
 * @domain: a domain handle
 * @ncpumaps: the number of maps in @cpumaps (> 0)
 * @cpumaps: the caller's array of @ncpumaps * @maplen bytes, filled in
 * @maplen: bytes per map (> 0)
 * @flags: bitwise-OR of virDomainModificationImpact
 *
 * Each virtual CPU's pinning (the host CPUs it may run on), from the live
 * or persistent definition; unpinned virtual CPUs may run on every host
 * CPU.
 *
 * Returns the number of virtual CPUs, or -1 in case of error: the common
 * ones, VIR_ERR_INVALID_ARG for NULL @cpumaps, non-positive sizes, both
 * VIR_DOMAIN_AFFECT_LIVE and VIR_DOMAIN_AFFECT_CONFIG, VIR_ERR_OVERFLOW
 * when @ncpumaps * @maplen does not fit an int.
 */
int
virDomainGetVcpuPinInfo(virDomainPtr domain, int ncpumaps, unsigned char *cpumaps,
                        int maplen, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckNonNullArgGoto(cpumaps, error);
    virCheckPositiveArgGoto(ncpumaps, error);
    virCheckPositiveArgGoto(maplen, error);
    if (ncpumaps > INT_MAX / maplen) {
        virReportError(VIR_ERR_OVERFLOW, "input too large: %d * %d", ncpumaps, maplen);
        goto error;
    }
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "flags",
                               "Flags '%s' and '%s' are mutually exclusive",
                               "VIR_DOMAIN_AFFECT_LIVE", "VIR_DOMAIN_AFFECT_CONFIG");
        goto error;
    }

    VIR_ENTRY_CALL(driver, domainGetVcpuPinInfo, domain, ncpumaps, cpumaps, maplen,
                   flags);
}


/**
 * virDomainGetCPUStats:
 * @domain: a domain handle
 * @params: the caller's array of @nparams * @ncpus entries, or NULL
 * @nparams: parameters per CPU (0: ask how many)
 * @start_cpu: the first host CPU, or -1 for the domain's totals
 * @ncpus: how many host CPUs (1 with @start_cpu -1; 0: ask how many)
 * @flags: bitwise-OR of virTypedParameterFlags
 *
 * libvirt's CPU accounting of @domain: its totals ("cpu_time",
 * "user_time", "system_time") or per host CPU ("cpu_time", "vcpu_time").
 * With @nparams 0 the number of parameters is returned; with @ncpus 0
 * the number of host CPUs.
 *
 * Returns the number of parameters filled per CPU (or the count asked
 * for), or -1 in case of error: the common ones, VIR_ERR_INVALID_ARG for
 * an inconsistent combination (libvirt's texts), VIR_ERR_OVERFLOW for
 * @nparams * @ncpus beyond an unsigned int.
 */
int
virDomainGetCPUStats(virDomainPtr domain, virTypedParameterPtr params,
                     unsigned int nparams, int start_cpu, unsigned int ncpus,
                     unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);

    if (start_cpu == -1) {
        if (ncpus != 1) {
            virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "start_cpu",
                                   "ncpus must be 1 when start_cpu is -1");
            goto error;
        }
    } else {
        virCheckNonNegativeArgGoto(start_cpu, error);
    }
    if (nparams)
        virCheckNonNullArgGoto(params, error);
    else
        checkNullArgGoto(params, "params", error);
    if (ncpus == 0)
        checkNullArgGoto(params, "params", error);
    if (nparams && ncpus > UINT_MAX / nparams) {
        virReportError(VIR_ERR_OVERFLOW, "input too large: %u * %u", nparams, ncpus);
        goto error;
    }
    flags |= VIR_TYPED_PARAM_STRING_OKAY;

    VIR_ENTRY_CALL(driver, domainGetCPUStats, domain, params, nparams, start_cpu, ncpus,
                   flags);
}


/**
 * virDomainGetBlockInfo:
 * @dom: a domain handle
 * @disk: the disk's target ("vda") or source path
 * @info: where to store the sizes
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * The sizes of one disk's image: capacity (what the guest sees),
 * allocation (bytes in use on the host) and physical (the container's
 * size). The QEMU driver asks query-block for a running guest and reads
 * the image (qemu-img's view of qcow2 headers, or the file) otherwise.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG when @disk is not a disk of @dom.
 */
int
virDomainGetBlockInfo(virDomainPtr dom, const char *disk, virDomainBlockInfoPtr info,
                      unsigned int flags)
{
    virConnectPtr conn;
    virDomainBlockInfo tmp;

    virResetLastError();
    if (info)
        memset(info, 0, sizeof(*info));
    virCheckDomainReturn(dom, -1);
    conn = dom->conn;
    virCheckNonNullArgGoto(disk, error);
    virCheckNonNullArgGoto(info, error);

    if (conn->driver->domainGetBlockInfo) {
        memset(&tmp, 0, sizeof(tmp));
        if (conn->driver->domainGetBlockInfo(dom, disk, &tmp, flags) < 0)
            goto error;
        *info = tmp;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}


/**
 * virDomainGetJobInfo:
 * @dom: a domain handle
 * @info: where to store the job's progress
 *
 * The progress of @dom's background job (save, dump, migration); type
 * VIR_DOMAIN_JOB_NONE when there is none. libvirt 9.0's test driver does
 * not have this call.
 *
 * Returns 0 in case of success and -1 in case of error (the common ones).
 */
int
virDomainGetJobInfo(virDomainPtr dom, virDomainJobInfoPtr info)
{
    virConnectPtr conn;
    virDomainJobInfo tmp;

    virResetLastError();
    if (info)
        memset(info, 0, sizeof(*info));
    virCheckDomainReturn(dom, -1);
    conn = dom->conn;
    virCheckNonNullArgGoto(info, error);

    if (conn->driver->domainGetJobInfo) {
        memset(&tmp, 0, sizeof(tmp));
        if (conn->driver->domainGetJobInfo(dom, &tmp) < 0)
            goto error;
        *info = tmp;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}


/**
 * virDomainGetJobStats:
 * @domain: a domain handle
 * @type: where to store the job type (virDomainJobType)
 * @params: where to store a new array of the job's statistics (free with
 *          virTypedParamsFree)
 * @nparams: where to store its size
 * @flags: bitwise-OR of virDomainGetJobStatsFlags
 *
 * As virDomainGetJobInfo, as typed parameters (VIR_DOMAIN_JOB_* names);
 * with VIR_DOMAIN_JOB_STATS_COMPLETED the statistics of the last
 * completed job.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for NULL arguments or KEEP_COMPLETED without
 * COMPLETED.
 */
int
virDomainGetJobStats(virDomainPtr domain, int *type, virTypedParameterPtr *params,
                     int *nparams, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckNonNullArgGoto(type, error);
    virCheckNonNullArgGoto(params, error);
    virCheckNonNullArgGoto(nparams, error);
    if ((flags & VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED) &&
        !(flags & VIR_DOMAIN_JOB_STATS_COMPLETED)) {
        virAPIReportInvalidArg(
            VIR_FROM_THIS, __func__, "flags", "Flag '%s' is required by flag '%s'",
            "VIR_DOMAIN_JOB_STATS_COMPLETED", "VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED");
        goto error;
    }

    VIR_ENTRY_CALL_ZERO(driver, domainGetJobStats, domain, type, params, nparams, flags);
}


/**
 * virNodeGetCPUStats:
 * @conn: a connection
 * @cpuNum: a host CPU number, or VIR_NODE_CPU_STATS_ALL_CPUS (-1)
 * @params: the caller's array of *@nparams entries, or NULL to ask how
 *          many there are
 * @nparams: in: the size of @params; out: the number filled (or
 *           available)
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * The host's CPU time counters in nanoseconds ("kernel", "user", "idle",
 * "iowait"), for one CPU or all; the QEMU driver reads /proc/stat.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @nparams, a negative *@nparams, or a
 * negative @cpuNum other than -1, "Invalid cpuNum in ..." for a CPU the
 * host does not have.
 */
int
virNodeGetCPUStats(virConnectPtr conn, int cpuNum, virNodeCPUStatsPtr params,
                   int *nparams, unsigned int flags)
{
    VIR_ENTRY_CONNECT(-1);
    virCheckNonNullArgGoto(nparams, error);
    virCheckNonNegativeArgGoto(*nparams, error);
    if (cpuNum < 0 && cpuNum != VIR_NODE_CPU_STATS_ALL_CPUS) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "cpuNum",
                               "cpuNum in %s only accepts %d as a negative value",
                               __func__, VIR_NODE_CPU_STATS_ALL_CPUS);
        goto error;
    }

    VIR_ENTRY_CALL_ZERO(driver, nodeGetCPUStats, conn, cpuNum, params, nparams, flags);
}


/**
 * virNodeGetMemoryStats:
 * @conn: a connection
 * @cellNum: a NUMA cell, or VIR_NODE_MEMORY_STATS_ALL_CELLS (-1)
 * @params: the caller's array of *@nparams entries, or NULL to ask how
 *          many there are
 * @nparams: in: the size of @params; out: the number filled (or
 *           available)
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * The host's memory in KiB ("total", "free", "buffers", "cached"); the
 * QEMU driver reads /proc/meminfo (or the cell's meminfo). libvirt 9.0's
 * test driver does not have this call.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @nparams, a negative *@nparams, or a
 * negative @cellNum other than -1.
 */
int
virNodeGetMemoryStats(virConnectPtr conn, int cellNum, virNodeMemoryStatsPtr params,
                      int *nparams, unsigned int flags)
{
    VIR_ENTRY_CONNECT(-1);
    virCheckNonNullArgGoto(nparams, error);
    virCheckNonNegativeArgGoto(*nparams, error);
    if (cellNum < 0 && cellNum != VIR_NODE_MEMORY_STATS_ALL_CELLS) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "cellNum",
                               "cellNum in %s only accepts %d as a negative value",
                               __func__, VIR_NODE_MEMORY_STATS_ALL_CELLS);
        goto error;
    }

    VIR_ENTRY_CALL_ZERO(driver, nodeGetMemoryStats, conn, cellNum, params, nparams,
                        flags);
}


/**
 * virNodeGetCPUMap:
 * @conn: a connection
 * @cpumap: NULL, or where to store a new bitmap of the online host CPUs
 *          (free with free())
 * @online: NULL, or where to store the number of online host CPUs
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * The host's CPUs: how many there are (the return value), which are
 * online.
 *
 * Returns the number of host CPUs (the bitmap's size in bits), or -1 in
 * case of error (the common ones).
 */
int
virNodeGetCPUMap(virConnectPtr conn, unsigned char **cpumap, unsigned int *online,
                 unsigned int flags)
{
    int n;

    virResetLastError();
    virCheckConnectReturn(conn, -1);

    if (conn->driver->nodeGetCPUMap) {
        if ((n = conn->driver->nodeGetCPUMap(conn, cpumap, online, flags)) < 0)
            goto error;
        return n;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}


/* The body of both stats calls: @doms NULL for every domain. */
static int
getDomainStats(virConnectPtr conn, virDomainPtr *doms, unsigned int ndoms,
               unsigned int stats, virDomainStatsRecordPtr **retStats, unsigned int flags)
{
    int n;

    if (!conn->driver->connectGetAllDomainStats) {
        virReportUnsupportedError();
        return -1;
    }
    if ((n = conn->driver->connectGetAllDomainStats(conn, doms, ndoms, stats, retStats,
                                                    flags)) < 0)
        return -1;
    return n;
}


/**
 * virConnectGetAllDomainStats:
 * @conn: a connection
 * @stats: bitwise-OR of virDomainStatsTypes, 0 for every group the driver
 *         has
 * @retStats: where to store a new NULL-terminated array of records (free
 *            with virDomainStatsRecordListFree)
 * @flags: bitwise-OR of virConnectGetAllDomainStatsFlags (the list
 *         filters of virConnectListAllDomains, NOWAIT, BACKING,
 *         ENFORCE_STATS)
 *
 * The statistics of every domain the filters select, one record per
 * domain, as typed parameters named as libvirt's ("state.state",
 * "cpu.time", "balloon.current", "vcpu.0.time", "net.0.rx.bytes",
 * "block.0.rd.reqs", ...). libvirt 9.0's test driver has the groups
 * "state" and "iothread"; the QEMU driver has state, cpu-total, balloon,
 * vcpu, interface, block, iothread and dirtyrate, and asks each running
 * QEMU its questions once per call (all guests' questions in flight
 * together).
 * A group the driver lacks is left out, unless ENFORCE_STATS is given.
 *
 * Returns the number of records, or -1 in case of error: the common ones,
 * VIR_ERR_ARGUMENT_UNSUPPORTED "Stats types bits 0x%x are not supported
 * by this daemon" with ENFORCE_STATS.
 */
int
virConnectGetAllDomainStats(virConnectPtr conn, unsigned int stats,
                            virDomainStatsRecordPtr **retStats, unsigned int flags)
{
    int n;

    virResetLastError();
    if (retStats)
        *retStats = NULL;
    virCheckConnectReturn(conn, -1);
    virCheckNonNullArgGoto(retStats, error);

    if ((n = getDomainStats(conn, NULL, 0, stats, retStats, flags)) < 0)
        goto error;
    return n;
error:
    virDispatchError(conn);
    return -1;
}


/**
 * virDomainListGetStats:
 * @doms: a NULL-terminated array of domains of one connection
 * @stats: bitwise-OR of virDomainStatsTypes, 0 for every group
 * @retStats: where to store a new NULL-terminated array of records (free
 *            with virDomainStatsRecordListFree)
 * @flags: bitwise-OR of virConnectGetAllDomainStatsFlags (NOWAIT, BACKING,
 *         ENFORCE_STATS; the list filters are refused by libvirt's
 *         drivers here)
 *
 * As virConnectGetAllDomainStats, for the listed domains only.
 *
 * Returns the number of records, or -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL or empty @doms or domains of different
 * connections, VIR_ERR_NO_DOMAIN for a domain that is gone.
 */
int
virDomainListGetStats(virDomainPtr *doms, unsigned int stats,
                      virDomainStatsRecordPtr **retStats, unsigned int flags)
{
    virConnectPtr conn = NULL;
    unsigned int ndoms = 0;
    int n;

    virResetLastError();
    if (retStats)
        *retStats = NULL;
    virCheckNonNullArgGoto(doms, error);
    virCheckNonNullArgGoto(retStats, error);
    if (!*doms) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "doms array in %s must contain at least one domain", __func__);
        goto error;
    }
    virCheckDomainReturn(doms[0], -1);
    conn = doms[0]->conn;
    for (virDomainPtr *d = doms; *d; d++) {
        if (!virAPIDomainIsValid(*d) || (*d)->conn != conn) {
            virReportError(VIR_ERR_INVALID_ARG, "%s",
                           "domains in 'doms' array must belong to a single connection");
            goto error;
        }
        ndoms++;
    }

    if ((n = getDomainStats(conn, doms, ndoms, stats, retStats, flags)) < 0)
        goto error;
    return n;
error:
    virDispatchError(conn);
    return -1;
}


/**
 * virDomainStatsRecordListFree:
 * @stats: a NULL-terminated array of records from
 *         virConnectGetAllDomainStats or virDomainListGetStats, or NULL
 *
 * Frees every record (its domain handle and parameters) and the array.
 */
void
virDomainStatsRecordListFree(virDomainStatsRecordPtr *stats)
{
    if (!stats)
        return;
    for (virDomainStatsRecordPtr *rec = stats; *rec; rec++) {
        if ((*rec)->dom)
            virObjectUnrefDomain((*rec)->dom);
        virTypedParamsFree((*rec)->params, (*rec)->nparams);
        g_free(*rec);
    }
    g_free(stats);
}


/**
 * virDomainStartDirtyRateCalc:
 * @domain: a running domain
 * @seconds: how long to measure, in seconds (the QEMU driver takes 1 to 60)
 * @flags: at most one of virDomainDirtyRateCalcFlags (the default,
 *         VIR_DOMAIN_DIRTYRATE_MODE_PAGE_SAMPLING, is 0)
 *
 * Starts measuring how fast @domain's guest dirties its memory over the
 * next @seconds and returns at once; the result (and whether it is still
 * measuring) is read with virConnectGetAllDomainStats /
 * virDomainListGetStats, group VIR_DOMAIN_STATS_DIRTYRATE
 * ("dirtyrate.calc_status", "dirtyrate.megabytes_per_second", ...). A new
 * calculation replaces the previous result.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG
 * for DIRTY_BITMAP with DIRTY_RING, VIR_ERR_CONFIG_UNSUPPORTED for
 * @seconds out of range, VIR_ERR_OPERATION_INVALID for a domain that is
 * not running, VIR_ERR_OPERATION_UNSUPPORTED for DIRTY_RING without the
 * domain's KVM dirty-ring feature and (virtkit's QEMU driver) for
 * DIRTY_BITMAP on a TCG guest, which QEMU 7.2 never answers. libvirt's
 * test driver lacks the call (VIR_ERR_NO_SUPPORT).
 */
int
virDomainStartDirtyRateCalc(virDomainPtr domain, int seconds, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);
    if (virAPIExclusiveFlags(VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP,
                             VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING) < 0)
        goto error;
    VIR_ENTRY_CALL(driver, domainStartDirtyRateCalc, domain, seconds, flags);
}
