/* libvirt-domain-power.c: public entry points for power and signals: lifecycle actions, guest and host sleep, process signals */
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
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);

    if (type >= VIR_DOMAIN_LIFECYCLE_LAST) {
        virReportError(VIR_ERR_INVALID_ARG, "invalid lifecycle type '%u'", type);
        goto error;
    }
    if (action >= VIR_DOMAIN_LIFECYCLE_ACTION_LAST) {
        virReportError(VIR_ERR_INVALID_ARG, "invalid lifecycle action '%u'", action);
        goto error;
    }

    VIR_ENTRY_CALL_ZERO(driver, domainSetLifecycleAction, domain, type, action, flags);
}

/**
 * virDomainPMSuspendForDuration:
 * @domain: a domain handle
 * @target: the sleep state, a virNodeSuspendTarget (mem, disk, hybrid)
 * @duration: how long to sleep in seconds; drivers may only take 0
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Asks the guest to enter a sleep state by itself, through its guest
 * agent (guest-suspend-ram, -disk, -hybrid); the domain then becomes
 * PMSUSPENDED with a PMSUSPEND event. virDomainPMWakeup wakes it from
 * suspend-to-RAM; a guest suspended to disk powers off.
 *
 * Returns 0 once the guest suspended and -1 in case of error: the common
 * ones, VIR_ERR_OPERATION_DENIED on a read-only connection, the agent's
 * (ARGUMENT_UNSUPPORTED when not configured, AGENT_UNRESPONSIVE when not
 * connected), OPERATION_INVALID when the guest is not running, and the
 * driver's for a duration or a sleep state it cannot do.
 */
int
virDomainPMSuspendForDuration(virDomainPtr domain, unsigned int target,
                              unsigned long long duration, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_ZERO(driver, domainPMSuspendForDuration, domain, target, duration,
                        flags);
}

/**
 * virDomainPMWakeup:
 * @domain: a domain handle
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Wakes a guest that suspended itself to RAM (virDomainPMSuspendForDuration
 * or on its own): it runs again, with a PMWAKEUP event.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, OPERATION_INVALID
 * for an inactive domain, the hypervisor's error for a guest that is not
 * suspended.
 */
int
virDomainPMWakeup(virDomainPtr domain, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_ZERO(driver, domainPMWakeup, domain, flags);
}

/**
 * virNodeSuspendForDuration:
 * @conn: a connection
 * @target: the host's sleep state, a virNodeSuspendTarget
 * @duration: seconds before the host's RTC wakes it (at least 60)
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Suspends the host itself for @duration seconds, as libvirt does with
 * pm-utils (pm-is-supported tells which states the host has; rtcwake
 * arms the wake-up, then pm-suspend / pm-hibernate / pm-suspend-hybrid
 * run a few seconds later, so that this call can answer first).
 *
 * Returns 0 when the suspend is under way and -1 in case of error:
 * VIR_ERR_ARGUMENT_UNSUPPORTED naming the state the host cannot enter
 * (e.g. "Suspend-to-RAM" on a host without pm-utils), INVALID_ARG for an
 * unknown @target or a @duration under 60, OPERATION_INVALID while one is
 * already under way, OPERATION_DENIED on a read-only connection.
 */
int
virNodeSuspendForDuration(virConnectPtr conn, unsigned int target,
                          unsigned long long duration, unsigned int flags)
{
    VIR_ENTRY_CONNECT(-1);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_ZERO(driver, nodeSuspendForDuration, conn, target, duration, flags);
}

/**
 * virDomainSendProcessSignal:
 * @domain: a domain handle
 * @pid_value: the process in the guest; not zero
 * @signum: the signal, a virDomainProcessSignal
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Sends a signal to a process of the guest (for container drivers, its
 * init, pid 1). libvirt 9.0's QEMU driver has no such call; its test
 * driver accepts pid 1 and any signal in range, changing nothing.
 *
 * Returns 0 in case of success and -1 in case of error: INVALID_ARG for a
 * zero @pid_value (checked here), the driver's for other pids or a
 * @signum out of range, VIR_ERR_OPERATION_DENIED on a read-only
 * connection, VIR_ERR_NO_SUPPORT where the driver lacks it.
 */
int
virDomainSendProcessSignal(virDomainPtr domain, long long pid_value, unsigned int signum,
                           unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    if (pid_value == 0) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "pid_value",
                               "pid_value in %s must not be zero", __func__);
        goto error;
    }
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_ZERO(driver, domainSendProcessSignal, domain, pid_value, signum,
                        flags);
}
