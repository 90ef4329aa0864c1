/* libvirt-domain-iotune.c: public entry points for a disk's I/O throttling (blkdeviotune) */
#define G_LOG_DOMAIN "virtkit.api"

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/**
 * virDomainSetBlockIoTune:
 * @dom: a domain handle
 * @disk: the disk, by its target ("vda") or its source path
 * @params: @nparams parameters: VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC,
 *          _READ_, _WRITE_ and the same for _IOPS_SEC, their _MAX bursts and
 *          _MAX_LENGTH burst lengths in seconds, _SIZE_IOPS_SEC (each
 *          VIR_TYPED_PARAM_ULLONG, 0 removes the limit), and
 *          VIR_DOMAIN_BLOCK_IOTUNE_GROUP_NAME (VIR_TYPED_PARAM_STRING: disks
 *          of one group share their limits)
 * @nparams: the number of @params (> 0)
 * @flags: bitwise-OR of virDomainModificationImpact
 *
 * Changes the disk's <iotune>, as libvirt 9.0: on a running guest (QEMU
 * driver) QEMU throttles the disk at once. A family of limits named in the
 * call (bytes/s, I/O operations/s, their bursts, the size, the group, the
 * burst lengths) replaces the disk's; the others are kept. All limits 0
 * removes the throttling and takes the disk out of its group.
 *
 * Returns 0 on success, -1 on error: VIR_ERR_INVALID_DOMAIN, the read-only
 * connection's VIR_ERR_OPERATION_DENIED, VIR_ERR_INVALID_ARG for a NULL
 * @disk or @params, @nparams <= 0, an unknown disk, a parameter of another
 * type, a total limit with a read or write one; VIR_ERR_ARGUMENT_UNSUPPORTED
 * for an unknown parameter or a value over 10^15; VIR_ERR_CONFIG_UNSUPPORTED
 * for a live burst without its limit or below it, a new group with all
 * limits 0; QEMU's refusal; VIR_ERR_NO_SUPPORT for a driver without it.
 * Nothing changes on error.
 *
 * Since: 0.9.8
 */
int
virDomainSetBlockIoTune(virDomainPtr dom, const char *disk, virTypedParameterPtr params,
                        int nparams, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(disk, error);
    virCheckPositiveArgGoto(nparams, error);
    virCheckNonNullArgGoto(params, error);
    if (virAPITypedParamsValidateSet(__func__, params, nparams) < 0)
        goto error;

    VIR_ENTRY_CALL_ZERO(driver, domainSetBlockIoTune, dom, disk, params, nparams, flags);
}

/**
 * virDomainGetBlockIoTune:
 * @dom: a domain handle
 * @disk: the disk, by its target or its source path; may be NULL when
 *        *@nparams is 0
 * @params: the caller's array of *@nparams entries (may be NULL when
 *          *@nparams is 0)
 * @nparams: in: the size of @params, 0 to ask for the count (20 for every
 *           disk); out: how many were filled
 * @flags: bitwise-OR of virDomainModificationImpact and virTypedParameterFlags
 *
 * The disk's limits in libvirt's order: the six limits, their bursts,
 * size_iops_sec, group_name (a STRING, "" when none), the burst lengths;
 * from QEMU for a running guest (QEMU driver), from the persistent
 * definition with VIR_DOMAIN_AFFECT_CONFIG.
 *
 * Returns 0 on success, -1 on error: VIR_ERR_INVALID_DOMAIN,
 * VIR_ERR_INVALID_ARG for a NULL @nparams, a negative *@nparams, a NULL
 * @params or @disk with *@nparams > 0, both VIR_DOMAIN_AFFECT_LIVE and
 * _CONFIG, an unknown disk; VIR_ERR_OPERATION_INVALID for LIVE on a
 * guest that is not running; VIR_ERR_NO_SUPPORT for a driver without it.
 *
 * Since: 0.9.8
 */
int
virDomainGetBlockIoTune(virDomainPtr dom, const char *disk, virTypedParameterPtr params,
                        int *nparams, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    virCheckNonNullArgGoto(nparams, error);
    virCheckNonNegativeArgGoto(*nparams, error);
    if (*nparams != 0) {
        virCheckNonNullArgGoto(params, error);
        virCheckNonNullArgGoto(disk, error);
    }
    /* every driver virtkit has takes string parameters */
    flags |= VIR_TYPED_PARAM_STRING_OKAY;
    if (virAPIExclusiveFlags(VIR_DOMAIN_AFFECT_LIVE, VIR_DOMAIN_AFFECT_CONFIG) < 0)
        goto error;

    VIR_ENTRY_CALL_ZERO(driver, domainGetBlockIoTune, dom, disk, params, nparams, flags);
}
