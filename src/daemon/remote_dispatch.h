/* remote_dispatch.h: REMOTE_PROGRAM calls mapped onto the public API (called by daemon_server.c) */
#pragma once

#include <stdbool.h>
#include "daemon_config.h"
#include "virnetserver.h"

/* Once, before the first client: settings used by the dispatcher. */
void vkdDispatchInit(const vkdConfig *cfg);

/* Per-client state (its connection, event registrations), attached as
 * the client's private data. */
void *vkdDispatchClientNew(void);
void vkdDispatchClientFree(void *data);
/* The client is gone: deregister its callbacks and close its connection.
 * Worker thread (may wait on the driver); the caller guarantees that no
 * call of @client runs meanwhile or later (daemon_server.c). */
void vkdDispatchClientClose(virNetServerClient *client);

/* Programs answered here (REMOTE and QEMU, version 1). */
bool vkdDispatchKnowsProgram(uint32_t prog, uint32_t vers);
/* Procedures that must run with no other call of the same client running
 * (CONNECT_CLOSE: it releases the connection and the registrations other
 * calls use); daemon_server.c orders them. */
bool vkdDispatchRunsAlone(const virNetMessageHeader *hdr);

/* Procedures that must get through when every worker is stuck. */
bool vkdDispatchIsHighPriority(const virNetMessageHeader *hdr);

/* Run one CALL of a program vkdDispatchKnowsProgram accepts (header
 * already checked: type CALL, status OK) and send its reply. Worker
 * thread; takes @call. */
void vkdDispatchCall(virNetServerClient *client, virNetMessage *call);

/* Procedures cheap enough for the I/O thread (lookups, state reads). */
bool vkdDispatchIsInline(const virNetMessageHeader *hdr);
/* On the I/O thread: run @call there if it is such a procedure and nothing
 * it needs is locked; then its reply is sent and @call is taken (true).
 * Otherwise nothing happened and @call is still the caller's (false). */
bool vkdDispatchCallNoWait(virNetServerClient *client, virNetMessage *call);

/* Main thread: a STREAM or STREAM_HOLE frame from @client (ownership of
 * @msg passes): routed to the stream its serial names, or dropped. */
void vkdDispatchStreamFrame(virNetServerClient *client, virNetMessage *msg);
