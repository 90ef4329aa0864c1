/* libvirt-virtkit.c: public entry points of virtkit's own API (include/virtkit/virtkit.h) */
#define G_LOG_DOMAIN "virtkit.api"

#include <string.h>

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/**
 * vkStopStepName:
 * @step: a vkStopStep
 *
 * The name of a step of the stop ladder, as vksh prints it.
 *
 * Returns a static string ("agent", "acpi", "clean-exit", "kill", "none"),
 * "unknown" for a value out of range.
 */
const char *
vkStopStepName(int step)
{
    static const char *const names[] = { "none", "agent", "acpi", "clean-exit", "kill" };

    if (step < 0 || step >= (int)G_N_ELEMENTS(names))
        return "unknown";
    return names[step];
}

/**
 * vkStopOutcomeName:
 * @outcome: a vkStopOutcome
 *
 * The name of what became of a step of the stop ladder.
 *
 * Returns a static string ("not reached", "skipped", "survived", "ended",
 * "failed"), "unknown" for a value out of range.
 */
const char *
vkStopOutcomeName(int outcome)
{
    static const char *const names[] = { "not reached", "skipped", "survived", "ended",
                                         "failed" };

    if (outcome < 0 || outcome >= (int)G_N_ELEMENTS(names))
        return "unknown";
    return names[outcome];
}

/**
 * vkDomainStopWithProgress:
 * @dom: a running domain
 * @deadline_ms: the whole call's deadline in milliseconds; 0 takes the
 *               domain's stop policy (VK_STOP_USE_DEFINITION) or 60000
 * @policy: vkStopPolicyFlags
 * @report: filled with what each step did (zeroed first), also when the
 *          call fails after the ladder began
 * @progress: called at each step and each re-press while the call runs, or
 *            NULL (see vkStopProgressFunc for the thread it runs on)
 * @opaque: passed to @progress
 *
 * Stops @dom within @deadline_ms, gently first: the guest agent (skipped
 * while virtkit has no agent channel, at no cost), the ACPI power button
 * re-pressed at intervals (skipped at once when the definition has no
 * <acpi/> or the guest is paused), QEMU's clean exit (SIGTERM: vCPUs
 * stopped, block layer flushed and closed), then SIGKILL only with
 * VK_STOP_ALLOW_KILL. The usual lifecycle events are queued (SHUTDOWN,
 * STOPPED: SHUTDOWN when the guest powered itself off, DESTROYED when the
 * host ended it). The test driver runs the same ladder against its
 * simulated guests (docs/virtkit-api.md).
 *
 * Returns 0 once the guest has ended (@report->ended_by says which step),
 * -1 on error: the common ones (invalid domain, NULL @report, read-only
 * connection VIR_ERR_OPERATION_DENIED, VIR_ERR_NO_SUPPORT from a driver or
 * daemon without virtkit's API); VIR_ERR_INVALID_ARG for unknown @policy
 * bits; VIR_ERR_OPERATION_INVALID "domain is not running";
 * VIR_ERR_OPERATION_TIMEOUT when the ladder ran out with the guest still
 * running (SIGKILL not allowed): nothing more is sent, the guest keeps
 * running, @report says what was tried.
 */
int
vkDomainStopWithProgress(virDomainPtr dom, unsigned int deadline_ms, unsigned int policy,
                         vkStopReport *report, vkStopProgressFunc progress, void *opaque)
{
    virConnectPtr conn;

    virResetLastError();
    virCheckDomainReturn(dom, -1);
    conn = dom->conn;
    virCheckNonNullArgGoto(report, error);
    memset(report, 0, sizeof(*report));
    report->flushed = -1;
    virCheckReadOnlyGoto(conn, error);
    if (!conn->driver->vkDomainStop) {
        virReportUnsupportedError();
        goto error;
    }
    if (conn->driver->vkDomainStop(dom, deadline_ms, policy, report, progress, opaque) <
        0)
        goto error;
    return 0;

error:
    virDispatchError(conn);
    return -1;
}

/**
 * vkDomainStop:
 * @dom: a running domain
 * @deadline_ms: the deadline in milliseconds (0: see vkDomainStopWithProgress)
 * @policy: vkStopPolicyFlags
 * @report: filled with what each step did
 *
 * vkDomainStopWithProgress without a progress callback.
 *
 * Returns 0 once the guest has ended, -1 on error (as
 * vkDomainStopWithProgress).
 */
int
vkDomainStop(virDomainPtr dom, unsigned int deadline_ms, unsigned int policy,
             vkStopReport *report)
{
    return vkDomainStopWithProgress(dom, deadline_ms, policy, report, NULL, NULL);
}
