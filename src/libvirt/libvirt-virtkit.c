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


/**
 * vkConnectEventSubscribe:
 * @conn: a connection to virtkitd
 * @epoch: the journal epoch @since belongs to (vkEvent.epoch), 0 for any
 * @since: deliver every event after this seq, then live ones;
 *         VK_EVENT_SINCE_NOW: live ones only (with VK_EVENT_SUBSCRIBE_SNAPSHOT:
 *         a snapshot first); 0: every event still kept
 * @flags: vkEventSubscribeFlags
 * @cb: called for each event, in seq order, from the event loop
 * @opaque: passed to @cb and @freecb
 * @freecb: if not NULL, frees @opaque once unsubscribed
 *
 * Subscribes to virtkitd's event journal: every domain, network and
 * storage pool event, numbered, kept across client reconnects and daemon
 * restarts (docs/events-resumable.md). A client keeps the seq and epoch of
 * the last event it handled and resubscribes with them: it gets each
 * missed event exactly once, in order (a seq already delivered to this
 * subscription is dropped), then the live ones. Needs an event loop
 * (virEventRegisterDefaultImpl). The subscription holds a reference on
 * @conn until vkConnectEventUnsubscribe.
 *
 * With VK_EVENT_SUBSCRIBE_SNAPSHOT the subscription starts with one
 * VK_EVENT_ID_SNAPSHOT event (seq 0) per domain, network and storage pool,
 * their state as of the journal's newest seq H (big[0]), then every event
 * after H: a client needs no list of its own to start from. The state is
 * read a moment before its change is numbered, so an event after H may
 * repeat a change the snapshot already shows (applied as a transition, it
 * changes nothing).
 *
 * Returns a callback ID >= 1, or -1 on error: the common ones;
 * VIR_ERR_INVALID_ARG for unknown @flags, a @since never issued or a
 * snapshot asked with a @since other than VK_EVENT_SINCE_NOW;
 * VIR_ERR_OPERATION_INVALID when events after @since are no longer kept or
 * @epoch is not the daemon's (re-list; or pass VK_EVENT_SUBSCRIBE_GAP_OK to
 * get a VK_EVENT_ID_GAP event instead); VIR_ERR_NO_SUPPORT for in-process
 * drivers, the test driver and libvirtd (no journal there);
 * VIR_ERR_INTERNAL_ERROR "could not initialize domain event timer" without
 * an event loop.
 */
int
vkConnectEventSubscribe(virConnectPtr conn, unsigned long long epoch,
                        unsigned long long since, unsigned int flags, vkEventFunc cb,
                        void *opaque, virFreeCallback freecb)
{
    int id;

    virResetLastError();
    virCheckConnectReturn(conn, -1);
    virCheckNonNullArgGoto(cb, error);
    if (flags &
        ~(unsigned int)(VK_EVENT_SUBSCRIBE_GAP_OK | VK_EVENT_SUBSCRIBE_SNAPSHOT)) {
        virReportError(VIR_ERR_INVALID_ARG, "unsupported flags (0x%x) in function %s",
                       flags & ~(unsigned int)(VK_EVENT_SUBSCRIBE_GAP_OK |
                                               VK_EVENT_SUBSCRIBE_SNAPSHOT),
                       __func__);
        goto error;
    }
    if ((flags & VK_EVENT_SUBSCRIBE_SNAPSHOT) && since != VK_EVENT_SINCE_NOW) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "a snapshot subscription starts at the journal's newest event: "
                       "since must be VK_EVENT_SINCE_NOW");
        goto error;
    }
    if (!conn->driver->vkConnectEventSubscribe) {
        virReportUnsupportedError();
        goto error;
    }
    if ((id = conn->driver->vkConnectEventSubscribe(conn, epoch, since, flags, cb, opaque,
                                                    freecb)) < 0)
        goto error;
    return id;

error:
    virDispatchError(conn);
    return -1;
}

/**
 * vkConnectEventUnsubscribe:
 * @conn: the connection that subscribed
 * @callbackID: what vkConnectEventSubscribe returned
 *
 * Ends a subscription; its freecb runs once no callback of it runs.
 *
 * Returns 0, or -1 on error: the common ones; VIR_ERR_INVALID_ARG for an
 * unknown @callbackID.
 */
int
vkConnectEventUnsubscribe(virConnectPtr conn, int callbackID)
{
    virResetLastError();
    virCheckConnectReturn(conn, -1);
    if (!conn->driver->vkConnectEventUnsubscribe) {
        virReportUnsupportedError();
        goto error;
    }
    if (conn->driver->vkConnectEventUnsubscribe(conn, callbackID) < 0)
        goto error;
    return 0;

error:
    virDispatchError(conn);
    return -1;
}
