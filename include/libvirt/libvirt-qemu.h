/* libvirt-qemu.h: the QEMU-specific API (libvirt's libvirt-qemu.h, the part virtkit has) */
#pragma once

#include <libvirt/libvirt.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    VIR_DOMAIN_QEMU_MONITOR_COMMAND_DEFAULT = 0,
    VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP = (1 << 0), /* cmd is a human monitor command */
} virDomainQemuMonitorCommandFlags;

/* Send @cmd to the domain's QEMU monitor; *result gets QEMU's whole JSON
 * reply, or with _HMP the human monitor's output (free() it). Refused on
 * read-only connections. 0 on success, -1 on error. */
int virDomainQemuMonitorCommand(virDomainPtr domain, const char *cmd, char **result,
                                unsigned int flags);

typedef enum {
    VIR_DOMAIN_QEMU_AGENT_COMMAND_MIN = -2,
    VIR_DOMAIN_QEMU_AGENT_COMMAND_BLOCK = -2,
    VIR_DOMAIN_QEMU_AGENT_COMMAND_DEFAULT = -1,
    VIR_DOMAIN_QEMU_AGENT_COMMAND_NOWAIT = 0,
    VIR_DOMAIN_QEMU_AGENT_COMMAND_SHUTDOWN = 60,
} virDomainQemuAgentCommandTimeoutValues;

/* Runs @cmd (a guest agent command, JSON) on the domain's guest agent and
 * returns the agent's whole reply as JSON (free() it), or NULL. @timeout in
 * seconds, or one of the values above. Refused on read-only connections. */
char *virDomainQemuAgentCommand(virDomainPtr domain, const char *cmd, int timeout,
                                unsigned int flags);

/* A QMP event of @dom: its name, QEMU's timestamp, its "data" member as
 * JSON text (NULL when it has none). */
typedef void (*virConnectDomainQemuMonitorEventCallback)(
    virConnectPtr conn, virDomainPtr dom, const char *event, long long seconds,
    unsigned int micros, const char *details, void *opaque);

typedef enum {
    /* @event is a regular expression searched in the event's name */
    VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_REGEX = (1 << 0),
    /* @event matches regardless of case */
    VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_NOCASE = (1 << 1),
} virConnectDomainQemuMonitorEventRegisterFlags;

/* Listen for the QMP events of @dom (NULL: every domain) named @event
 * (NULL: every event). Returns the callback ID, or -1. */
int virConnectDomainQemuMonitorEventRegister(virConnectPtr conn, virDomainPtr dom,
                                             const char *event,
                                             virConnectDomainQemuMonitorEventCallback cb,
                                             void *opaque, virFreeCallback freecb,
                                             unsigned int flags);
int virConnectDomainQemuMonitorEventDeregister(virConnectPtr conn, int callbackID);

#ifdef __cplusplus
}
#endif
