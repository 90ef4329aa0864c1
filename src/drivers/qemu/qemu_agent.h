/* qemu_agent.h: talking to a guest's QEMU guest agent over its virtio-serial channel */
#pragma once

#include <json-c/json.h>

#include "domain_obj.h"

/* The channel's virtio-serial port name (<target type='virtio' name=...>). */
#define QEMU_AGENT_CHANNEL_NAME "org.qemu.guest_agent.0"
/* libvirt's QEMU_AGENT_WAIT_TIME: guest-sync's answer, whatever the
 * response timeout. */
#define QEMU_AGENT_SYNC_TIMEOUT_MS 5000
/* libvirt's VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK: wait for the reply. */
#define QEMU_AGENT_TIMEOUT_BLOCK (-2)

/* The agent channel of @def: its socket path and QEMU's chardev label
 * (char + the channel's alias, else charchannelN), both new strings; false when @def has none (unix,
 * server mode). */
bool qemuAgentFindChannel(const virDomainDef *def, char **path, char **label);

/* Whether the guest opened its agent port: QEMU's query-chardev
 * "frontend-open" of @label within @timeoutMs: 1 open, 0 not, -1 error
 * reported. Caller holds a job on @obj (locked); the lock is dropped
 * around the monitor call. */
int qemuAgentPortOpen(virDomainObj *obj, const char *label, int timeoutMs);

/* Connect to the agent socket at @path: a non-blocking-ready fd, or -1. */
int qemuAgentConnect(const char *path);

/* guest-sync-delimited with a random id on @fd, its answer awaited until
 * @until (monotonic us): 0 synced, -1 not (nothing reported). Bytes read
 * after the answer stay in @buf. */
int qemuAgentSync(int fd, GString *buf, gint64 until);

/* The longest reply line accepted (libvirt has no limit of its own; a
 * guest-get-fsinfo of many disks is some KiB). */
#define QEMU_AGENT_MAX_LINE (4 * 1024 * 1024)

/* Takes complete lines (JSON, one per line; 0xFF sync delimiters dropped)
 * off the front of @buf. With @syncId 0: 1 and *answer (new reference)
 * at the first object with "return" or "error", others skipped; with a
 * @syncId: 1 at {"return": syncId}, everything before it skipped (stale
 * output of an earlier client). 0 when @buf holds no such line yet, -1
 * (reported) when what is left exceeds QEMU_AGENT_MAX_LINE. */
int qemuAgentTakeReply(GString *buf, guint64 syncId, json_object **answer);

/*
 * Runs @execute (with @args, stolen; may be NULL) on the guest agent of
 * running @obj, as libvirt's qemuAgentCommand: the channel must be in the
 * definition (else ARGUMENT_UNSUPPORTED 'QEMU guest agent is not
 * configured'), the guest's port open (else AGENT_UNRESPONSIVE 'QEMU guest
 * agent is not connected'), guest-sync-delimited answered within
 * QEMU_AGENT_SYNC_TIMEOUT_MS, then the reply awaited for @timeoutMs
 * (QEMU_AGENT_TIMEOUT_BLOCK: for as long as the guest keeps the channel;
 * else AGENT_UNRESPONSIVE 'Guest agent not available for now'); an agent
 * error is INTERNAL_ERROR "unable to execute QEMU agent command 'X': desc".
 * @reply gets the "return" member (new reference; may be NULL when the
 * caller wants none). Caller holds a job on @obj, locked; the lock is
 * dropped while waiting. 0 or -1.
 */
int qemuAgentCommand(virDomainObj *obj, const char *execute, json_object *args,
                     int timeoutMs, json_object **reply);

/* qemuAgentCommand; with @reportUnsupported false, an agent that does not
 * have @execute (error class CommandNotFound or CommandDisabled) gives -2
 * and no error, as libvirt's report_unsupported. */
int qemuAgentCommandFull(virDomainObj *obj, const char *execute, json_object *args,
                         int timeoutMs, json_object **reply, bool reportUnsupported);

/* guest-shutdown, which the agent does not answer when it works: 0 once
 * the guest shut down or reset (or closed its channel) within @timeoutMs,
 * as libvirt's wait for the SHUTDOWN/RESET event; -1 on an error answer,
 * at the deadline (AGENT_UNRESPONSIVE 'Guest agent not available for
 * now'), or the errors of qemuAgentCommand. */
int qemuAgentCommandNoReply(virDomainObj *obj, const char *execute, json_object *args,
                            int timeoutMs);

/* virDomainQemuAgentCommand's exchange: @cmd (JSON text; INTERNAL_ERROR
 * "cannot parse json" otherwise) sent as it is; the agent's whole reply as
 * compact JSON (new string), or NULL (reported; an error answer as
 * qemuAgentCommand's). Locking as qemuAgentCommand. */
char *qemuAgentCommandRaw(virDomainObj *obj, const char *cmd, int timeoutMs);

/* The wait of @seconds (libvirt's agent timeouts: -2 block, -1 default
 * 5 s, 0 no wait, N seconds) in milliseconds, QEMU_AGENT_TIMEOUT_BLOCK for
 * -2. */
int qemuAgentTimeoutMs(int seconds);
