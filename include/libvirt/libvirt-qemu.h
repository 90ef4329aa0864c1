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

#ifdef __cplusplus
}
#endif
