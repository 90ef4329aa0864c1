/* libvirt-domain-power.c: public entry points for a guest's power: its lifecycle actions */
#define G_LOG_DOMAIN "virtkit.api"

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/*
 * Contracts below, as libvirt 9.0's libvirt-domain.c: the common checks
 * (invalid domain VIR_ERR_INVALID_DOMAIN, a driver without the call
 * VIR_ERR_NO_SUPPORT), read-only connections refused (OPERATION_DENIED),
 * every failure dispatched once.
 */

/**
 * virDomainSetLifecycleAction:
 * @domain: a domain handle
 * @type: the event, a virDomainLifecycle (poweroff, reboot, crash)
 * @action: what to do on it, a virDomainLifecycleAction
 * @flags: bitwise-OR of virDomainModificationImpact
 *
 * Changes what happens when the guest powers off, reboots or crashes
 * (<on_poweroff>, <on_reboot>, <on_crash>): in the running guest
 * (VIR_DOMAIN_AFFECT_LIVE), in its persistent definition
 * (VIR_DOMAIN_AFFECT_CONFIG) or both; VIR_DOMAIN_AFFECT_CURRENT (0) means
 * the running guest when there is one, else the definition. The coredump
 * actions are only for crash.
 *
 * Returns 0 in case of success and -1 in case of error: VIR_ERR_INVALID_ARG
 * for a @type or @action out of range, VIR_ERR_CONFIG_UNSUPPORTED for a
 * coredump action on poweroff or reboot, VIR_ERR_OPERATION_INVALID for LIVE
 * on an inactive domain or CONFIG on a transient one, OPERATION_DENIED on a
 * read-only connection. Nothing changes on failure.
 */
int
virDomainSetLifecycleAction(virDomainPtr domain, unsigned int type, unsigned int action,
                            unsigned int flags)
{
    virConnectPtr conn;

    virResetLastError();
    virCheckDomainReturn(domain, -1);
    conn = domain->conn;
    virCheckReadOnlyGoto(conn, error);

    if (type >= VIR_DOMAIN_LIFECYCLE_LAST) {
        virReportError(VIR_ERR_INVALID_ARG, "invalid lifecycle type '%u'", type);
        goto error;
    }
    if (action >= VIR_DOMAIN_LIFECYCLE_ACTION_LAST) {
        virReportError(VIR_ERR_INVALID_ARG, "invalid lifecycle action '%u'", action);
        goto error;
    }

    if (conn->driver->domainSetLifecycleAction) {
        if (conn->driver->domainSetLifecycleAction(domain, type, action, flags) < 0)
            goto error;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}
