/* libvirt-qemu.c: public entry points of the QEMU-specific API (libvirt-qemu.h) */
#define G_LOG_DOMAIN "virtkit.api"

#include <libvirt/libvirt-qemu.h>

#include "libvirt_internal.h"

/* libvirt's libvirt-qemu.c reports in no error domain. */
#define VIR_FROM_THIS VIR_FROM_NONE

/**
 * virDomainQemuMonitorCommand:
 * @domain: a running domain of the QEMU driver
 * @cmd: a QMP command as JSON text, or with VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP
 *       a human monitor command line
 * @result: where to store QEMU's whole JSON reply (or the human monitor's
 *          output); the caller frees it
 * @flags: 0 or VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP
 *
 * Sends @cmd to the domain's QEMU monitor, behind the driver's back (the
 * domain is logged as tainted, as libvirt does). Refused on read-only
 * connections (VIR_ERR_OPERATION_DENIED); VIR_ERR_NO_SUPPORT from drivers
 * without a QEMU monitor.
 *
 * Returns 0 with *@result set, or -1 in case of error.
 */
int
virDomainQemuMonitorCommand(virDomainPtr domain, const char *cmd, char **result,
                            unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckNonNullArgGoto(cmd, error);
    virCheckNonNullArgGoto(result, error);
    virCheckReadOnlyGoto(conn, error);
    VIR_ENTRY_CALL_ZERO(driver, domainQemuMonitorCommand, domain, cmd, result, flags);
}

/**
 * virDomainQemuAgentCommand:
 * @domain: a running domain of the QEMU driver
 * @cmd: a guest agent command as JSON text ({"execute": ..., "arguments": ...})
 * @timeout: seconds to wait for the reply, or VIR_DOMAIN_QEMU_AGENT_COMMAND_BLOCK
 *           (no limit), _DEFAULT (5 s), _NOWAIT (none)
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Runs @cmd on the domain's guest agent, behind the driver's back (use at
 * your own risk, as libvirt says). Refused on read-only connections
 * (VIR_ERR_OPERATION_DENIED); VIR_ERR_INVALID_ARG for a @timeout below
 * VIR_DOMAIN_QEMU_AGENT_COMMAND_MIN; the agent's errors
 * (VIR_ERR_AGENT_UNRESPONSIVE, VIR_ERR_ARGUMENT_UNSUPPORTED when the
 * domain has no agent channel, VIR_ERR_INTERNAL_ERROR for @cmd that is
 * not JSON or an error answer); VIR_ERR_NO_SUPPORT from drivers without
 * an agent.
 *
 * Returns the agent's whole reply as JSON text ({"return": ...}), which
 * the caller frees, or NULL in case of error.
 */
char *
virDomainQemuAgentCommand(virDomainPtr domain, const char *cmd, int timeout,
                          unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, NULL), domain->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(cmd, error);
    VIR_ENTRY_CALL_PTR(driver, domainQemuAgentCommand, domain, cmd, timeout, flags);
}

/**
 * virConnectDomainQemuMonitorEventRegister:
 * @conn: a connection
 * @dom: the domain whose events are wanted, or NULL for every domain
 * @event: the QMP event's name (e.g. "STOP"), or NULL for every event
 * @cb: called for each matching event, from the application's event loop
 * @opaque: passed to @cb
 * @freecb: frees @opaque once the callback is deregistered (may be NULL)
 * @flags: bitwise-OR of virConnectDomainQemuMonitorEventRegisterFlags
 *
 * Listens for the events QEMU's monitor raises for running guests (every
 * QMP event, including those the driver acts on), as libvirt-qemu's; for
 * debugging and for what the stable API lacks. With
 * VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_REGEX @event is a regular
 * expression searched in the event's name, with _NOCASE the match ignores
 * case. An event loop must be registered first.
 *
 * Returns the callback ID (for virConnectDomainQemuMonitorEventDeregister),
 * or -1 in case of error: VIR_ERR_OPERATION_DENIED on a read-only
 * connection, VIR_ERR_INVALID_ARG for a NULL @cb, a @dom of
 * another connection or a regular expression that does not compile;
 * VIR_ERR_NO_SUPPORT from drivers without a QEMU monitor (the test driver).
 */
int
virConnectDomainQemuMonitorEventRegister(virConnectPtr conn, virDomainPtr dom,
                                         const char *event,
                                         virConnectDomainQemuMonitorEventCallback cb,
                                         void *opaque, virFreeCallback freecb,
                                         unsigned int flags)
{
    VIR_ENTRY_CONNECT(-1);
    if (dom) {
        if (!virAPIDomainIsValid(dom)) {
            virReportErrorFull(VIR_FROM_DOM, VIR_ERR_INVALID_DOMAIN, __func__, "%s",
                               __func__);
            goto error;
        }
        if (dom->conn != conn) {
            virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "dom",
                                   "domain '%s' in %s must match connection", dom->name,
                                   __func__);
            goto error;
        }
    }
    virCheckNonNullArgGoto(cb, error);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL(driver, connectDomainQemuMonitorEventRegister, conn, dom, event, cb,
                   opaque, freecb, flags);
}

/**
 * virConnectDomainQemuMonitorEventDeregister:
 * @conn: a connection
 * @callbackID: what virConnectDomainQemuMonitorEventRegister returned
 *
 * Stops the callback; its freecb runs once no dispatch uses it.
 *
 * Returns 0 in case of success, -1 in case of error: VIR_ERR_INVALID_ARG
 * for a negative or unknown @callbackID.
 */
int
virConnectDomainQemuMonitorEventDeregister(virConnectPtr conn, int callbackID)
{
    VIR_ENTRY_CONNECT(-1);
    virCheckNonNegativeArgGoto(callbackID, error);

    VIR_ENTRY_CALL_ZERO(driver, connectDomainQemuMonitorEventDeregister, conn,
                        callbackID);
}
