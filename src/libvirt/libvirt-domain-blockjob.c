/* libvirt-domain-blockjob.c: public entry points of the block job family (copy, commit, pull, rebase, job control) */
#define G_LOG_DOMAIN "virtkit.api"

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/*
 * Contracts below, as libvirt 9.0's libvirt-domain.c: the common checks
 * (invalid domain VIR_ERR_INVALID_DOMAIN, a driver without the call
 * VIR_ERR_NO_SUPPORT), every call but the info query refused on a
 * read-only connection (OPERATION_DENIED), every failure dispatched once.
 * A disk is named by its target ("vda") or its source path. At most one
 * block job runs per disk; its progress is reported with
 * VIR_DOMAIN_EVENT_ID_BLOCK_JOB (the disk's path) and
 * VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2 (its target).
 */

/* The checks shared by the calls taking (dom, disk, ...) after the
 * handle's: @write ones refused on a read-only @conn, @disk not NULL.
 * false after reporting. */
static bool
blockJobCheck(const char *funcname, virConnectPtr conn, const char *disk, bool write)
{
    if (write && (conn->flags & VIR_CONNECT_RO)) {
        virReportError(VIR_ERR_OPERATION_DENIED, "read only access prevents %s",
                       funcname);
        return false;
    }
    if (!disk) {
        virAPIReportInvalidArg(VIR_FROM_THIS, funcname, "disk",
                               "%s in %s must not be NULL", "disk", funcname);
        return false;
    }
    return true;
}

/**
 * virDomainBlockJobAbort:
 * @dom: a domain handle
 * @disk: the disk's target ("vda") or source path
 * @flags: bitwise-OR of virDomainBlockJobAbortFlags
 *
 * Ends the block job of @disk. Without flags a pull or an inactive commit
 * is cancelled, a copy or an active commit abandoned (the guest keeps its
 * original image). With VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT a copy or active
 * commit that reached its ready phase switches the guest to the new image
 * (the copy's destination, the commit's base). Without
 * VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC the call returns once the job is gone;
 * with it, at once, and the end is announced by a BLOCK_JOB event.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * OPERATION_DENIED on a read-only connection, INVALID_ARG for a NULL
 * @disk or a disk the domain lacks, OPERATION_INVALID when no job runs on
 * @disk, BLOCK_COPY_ACTIVE for a pivot before the ready phase.
 */
int
virDomainBlockJobAbort(virDomainPtr dom, const char *disk, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    if (!blockJobCheck(__func__, conn, disk, true))
        goto error;
    VIR_ENTRY_CALL_ZERO(driver, domainBlockJobAbort, dom, disk, flags);
}

/**
 * virDomainGetBlockJobInfo:
 * @dom: a domain handle
 * @disk: the disk's target ("vda") or source path
 * @info: filled with the job's type, bandwidth and progress
 * @flags: bitwise-OR of virDomainBlockJobInfoFlags
 *
 * Reads the state of the block job running on @disk. The bandwidth is in
 * MiB/s, or in bytes/s with VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES.
 * @cur == @end means the job is done copying (a copy or active commit is
 * then ready to pivot).
 *
 * Returns 1 with @info filled when a job runs, 0 when none does (@info
 * zeroed), -1 in case of error: the common ones, INVALID_ARG for a NULL
 * @disk or @info or a disk the domain lacks, OPERATION_INVALID for an
 * inactive domain, OVERFLOW when the bandwidth in MiB/s does not fit.
 */
int
virDomainGetBlockJobInfo(virDomainPtr dom, const char *disk,
                         virDomainBlockJobInfoPtr info, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    if (!blockJobCheck(__func__, conn, disk, false))
        goto error;
    virCheckNonNullArgGoto(info, error);
    VIR_ENTRY_CALL(driver, domainGetBlockJobInfo, dom, disk, info, flags);
}

/**
 * virDomainBlockJobSetSpeed:
 * @dom: a domain handle
 * @disk: the disk's target ("vda") or source path
 * @bandwidth: the new limit in MiB/s (bytes/s with
 *             VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES), 0 for none
 * @flags: bitwise-OR of virDomainBlockJobSetSpeedFlags
 *
 * Changes the speed limit of the block job running on @disk.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * OPERATION_DENIED on a read-only connection, INVALID_ARG for a NULL
 * @disk or a disk the domain lacks, OPERATION_INVALID when no job runs,
 * OVERFLOW for a bandwidth beyond what the hypervisor takes.
 */
int
virDomainBlockJobSetSpeed(virDomainPtr dom, const char *disk, unsigned long bandwidth,
                          unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    if (!blockJobCheck(__func__, conn, disk, true))
        goto error;
    VIR_ENTRY_CALL_ZERO(driver, domainBlockJobSetSpeed, dom, disk, bandwidth, flags);
}

/**
 * virDomainBlockPull:
 * @dom: a domain handle
 * @disk: the disk's target ("vda") or source path
 * @bandwidth: speed limit in MiB/s (bytes/s with
 *             VIR_DOMAIN_BLOCK_PULL_BANDWIDTH_BYTES), 0 for none
 * @flags: bitwise-OR of virDomainBlockPullFlags
 *
 * Starts copying the whole backing chain of @disk into its top image; when
 * the job completes the top image has no backing file. Same as
 * virDomainBlockRebase with a NULL base.
 *
 * Returns 0 once the job is started and -1 in case of error: the common
 * ones, OPERATION_DENIED on a read-only connection, INVALID_ARG for a NULL
 * @disk or a disk the domain lacks, OPERATION_INVALID for an inactive
 * domain, BLOCK_COPY_ACTIVE when a job already runs on @disk.
 */
int
virDomainBlockPull(virDomainPtr dom, const char *disk, unsigned long bandwidth,
                   unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    if (!blockJobCheck(__func__, conn, disk, true))
        goto error;
    VIR_ENTRY_CALL_ZERO(driver, domainBlockPull, dom, disk, bandwidth, flags);
}

/**
 * virDomainBlockRebase:
 * @dom: a domain handle
 * @disk: the disk's target ("vda") or source path
 * @base: the image of the chain to keep as the new backing file (NULL: pull
 *        the whole chain), or with VIR_DOMAIN_BLOCK_REBASE_COPY the
 *        destination file of a copy (required then)
 * @bandwidth: speed limit in MiB/s (bytes/s with
 *             VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES), 0 for none
 * @flags: bitwise-OR of virDomainBlockRebaseFlags
 *
 * Without VIR_DOMAIN_BLOCK_REBASE_COPY a pull down to @base; with it, a
 * copy of @disk to the file @base (a block device with COPY_DEV, raw with
 * COPY_RAW, sharing the backing chain with SHALLOW, an existing file with
 * REUSE_EXT), as virDomainBlockCopy does. SHALLOW, REUSE_EXT, COPY_RAW and
 * COPY_DEV need COPY.
 *
 * Returns 0 once the job is started and -1 in case of error: the common
 * ones, OPERATION_DENIED on a read-only connection, INVALID_ARG for a NULL
 * @disk, a NULL @base with COPY, copy flags without COPY, a disk the
 * domain lacks; OPERATION_INVALID for an inactive domain,
 * BLOCK_COPY_ACTIVE when a job already runs on @disk.
 */
int
virDomainBlockRebase(virDomainPtr dom, const char *disk, const char *base,
                     unsigned long bandwidth, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    if (!blockJobCheck(__func__, conn, disk, true))
        goto error;
    if (flags & VIR_DOMAIN_BLOCK_REBASE_COPY) {
        virCheckNonNullArgGoto(base, error);
    } else if (flags &
               (VIR_DOMAIN_BLOCK_REBASE_SHALLOW | VIR_DOMAIN_BLOCK_REBASE_REUSE_EXT |
                VIR_DOMAIN_BLOCK_REBASE_COPY_RAW | VIR_DOMAIN_BLOCK_REBASE_COPY_DEV)) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "flags", "%s",
                               "use of flags requires a copy job");
        goto error;
    }
    VIR_ENTRY_CALL_ZERO(driver, domainBlockRebase, dom, disk, base, bandwidth, flags);
}

/**
 * virDomainBlockCopy:
 * @dom: a domain handle
 * @disk: the disk's target ("vda") or source path
 * @destxml: a <disk> element describing the destination (type file or
 *           block, <source file=.../> or <source dev=.../>, optional
 *           <driver type=.../>)
 * @params: typed parameters: VIR_DOMAIN_BLOCK_COPY_BANDWIDTH (ullong,
 *          bytes/s), VIR_DOMAIN_BLOCK_COPY_GRANULARITY (uint, a power of
 *          two from 512 to 64 MiB), VIR_DOMAIN_BLOCK_COPY_BUF_SIZE (ullong)
 * @nparams: the number of @params
 * @flags: bitwise-OR of virDomainBlockCopyFlags
 *
 * Starts mirroring @disk of the running @dom into the destination: the
 * job copies the image (only its top with SHALLOW, into an existing file
 * with REUSE_EXT, created otherwise), then stays in its ready phase (a
 * READY event) mirroring every write, until virDomainBlockJobAbort ends it
 * with PIVOT (the guest uses the copy) or without (the copy is left).
 * The live XML shows the job as <mirror> in the disk.
 *
 * Returns 0 once the job is started and -1 in case of error: the common
 * ones, OPERATION_DENIED on a read-only connection, INVALID_ARG for a NULL
 * @disk or @destxml, a negative @nparams, NULL @params with @nparams > 0,
 * a bad granularity, a disk the domain lacks; XML_ERROR for a bad
 * @destxml; OPERATION_INVALID for an inactive domain; BLOCK_COPY_ACTIVE
 * when a job already runs on @disk.
 */
int
virDomainBlockCopy(virDomainPtr dom, const char *disk, const char *destxml,
                   virTypedParameterPtr params, int nparams, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    if (!blockJobCheck(__func__, conn, disk, true))
        goto error;
    virCheckNonNullArgGoto(destxml, error);
    virCheckNonNegativeArgGoto(nparams, error);
    if (nparams)
        virCheckNonNullArgGoto(params, error);
    VIR_ENTRY_CALL_ZERO(driver, domainBlockCopy, dom, disk, destxml, params, nparams,
                        flags);
}

/**
 * virDomainBlockCommit:
 * @dom: a domain handle
 * @disk: the disk's target ("vda") or source path
 * @base: the image to commit into (NULL: the bottom of the chain)
 * @top: the image to commit from (NULL: the top, the image the guest
 *       writes, which needs VIR_DOMAIN_BLOCK_COMMIT_ACTIVE)
 * @bandwidth: speed limit in MiB/s (bytes/s with
 *             VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES), 0 for none
 * @flags: bitwise-OR of virDomainBlockCommitFlags
 *
 * Merges the images from @top down to just above @base into @base and
 * drops them from the chain. An inactive commit (@top below the top)
 * completes by itself; an active commit reaches a ready phase and ends
 * with virDomainBlockJobAbort: PIVOT makes @base the guest's image,
 * without it the top is kept. SHALLOW makes @base the backing file of
 * @top.
 *
 * Returns 0 once the job is started and -1 in case of error: the common
 * ones, OPERATION_DENIED on a read-only connection, INVALID_ARG for a NULL
 * @disk, a disk the domain lacks, a @base or @top not in its chain, the
 * top without ACTIVE; OPERATION_INVALID for an inactive domain or a disk
 * without backing file; BLOCK_COPY_ACTIVE when a job already runs.
 */
int
virDomainBlockCommit(virDomainPtr dom, const char *disk, const char *base,
                     const char *top, unsigned long bandwidth, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    if (!blockJobCheck(__func__, conn, disk, true))
        goto error;
    VIR_ENTRY_CALL_ZERO(driver, domainBlockCommit, dom, disk, base, top, bandwidth,
                        flags);
}
