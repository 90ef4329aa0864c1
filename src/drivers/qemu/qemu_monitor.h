/* qemu_monitor.h: asynchronous QMP client for one QEMU process */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <json-c/json.h>

/* g_autoptr(json_object): drops one reference. Guarded so that another
 * header may define it too. */
#ifndef VIRTKIT_JSON_AUTOPTR
#define VIRTKIT_JSON_AUTOPTR
G_DEFINE_AUTOPTR_CLEANUP_FUNC(json_object, json_object_put);
#endif

/*
 * Threads. All monitors share one I/O thread owned by this module (started
 * on first use, lives until process exit). It runs a GMainContext, reads and
 * writes every monitor socket and calls the callbacks below. It never blocks
 * on a guest. API threads call qemuMonitorCommand() and friends: the command
 * is queued, written by the I/O thread, and the caller sleeps on a condition
 * until its reply, the deadline, EOF or close, whichever comes first.
 *
 * Errors are reported with virerror (domain VIR_FROM_QEMU) in the calling
 * thread:
 *   deadline passed            -> VIR_ERR_OPERATION_TIMEOUT
 *   QMP {"error":{class,desc}} -> VIR_ERR_INTERNAL_ERROR
 *                                 "unable to execute QEMU command '<cmd>': <desc>"
 *   EOF before/while waiting   -> VIR_ERR_OPERATION_FAILED "End of file from QEMU monitor"
 *   qemuMonitorClose meanwhile -> VIR_ERR_OPERATION_FAILED "QEMU monitor was closed"
 *   malformed JSON, a line over QEMU_MONITOR_MAX_LINE, socket error
 *                              -> VIR_ERR_INTERNAL_ERROR; the monitor is then
 *                                 dead (eof callback with error=true) and every
 *                                 waiting and later caller fails at once.
 */

/* Lines (replies, events, greeting) longer than this are refused. */
#define QEMU_MONITOR_MAX_LINE (10 * 1024 * 1024)

/* Deadline used when a call passes timeout_ms < 0. */
#define QEMU_MONITOR_DEFAULT_TIMEOUT_MS 30000

typedef struct _qemuMonitor qemuMonitor;

typedef struct {
    /*
     * A QMP event. Runs on the I/O thread, in arrival order, never
     * concurrently with another callback of the same monitor. @data is the
     * event's "data" member or NULL; borrowed (json_object_get() to keep it).
     * @timestamp_us is QEMU's timestamp (seconds*1e6 + microseconds), or -1
     * if absent, negative or too large for a gint64. May be called before qemuMonitorOpen() has returned (for
     * events QEMU sends during the handshake). Must not block on QEMU: it may
     * not call qemuMonitorCommand() on any monitor (hand work to another thread).
     */
    void (*event)(qemuMonitor *mon, const char *name, struct json_object *data,
                  gint64 timestamp_us, void *opaque);
    /*
     * The connection ended: plain EOF (QEMU exited or closed it; @error false)
     * or an I/O or protocol error (@error true, @reason says what). Called at
     * most once, on the I/O thread, after every pending caller has been woken
     * with an error. Not called if qemuMonitorClose() came first, nor when
     * qemuMonitorOpen() fails. qemuMonitorClose() may be called from here.
     */
    void (*eof)(qemuMonitor *mon, bool error, const char *reason, void *opaque);
} qemuMonitorCallbacks;

/*
 * Take over @fd (a connected stream socket to QEMU's QMP chardev; closed by
 * the monitor from now on, also on failure), read the greeting, send
 * qmp_capabilities and wait for its reply, all within @timeout_ms (< 0:
 * default). @cb is copied; @opaque is passed to the callbacks.
 * Returns the monitor, or NULL with an error reported (fd closed).
 */
qemuMonitor *qemuMonitorOpen(int fd, const qemuMonitorCallbacks *cb, void *opaque,
                             int timeout_ms);

/*
 * Stop using @mon and free the caller's reference. After this returns no
 * callback of @mon is running or will run again, and the socket is closed.
 * Callers blocked in a command on other threads wake at once with
 * OPERATION_FAILED and return safely; no new call may be started. Safe to
 * call from a callback of @mon itself. Accepts NULL.
 */
void qemuMonitorClose(qemuMonitor *mon);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemuMonitor, qemuMonitorClose);

/* QEMU version from the greeting ("qemu":{"major","minor","micro"}), as
 * major*1000000+minor*1000+micro; 0 if the greeting had none. */
unsigned long qemuMonitorGetVersion(qemuMonitor *mon);

/* True once EOF, an error or close has happened. */
bool qemuMonitorIsDead(qemuMonitor *mon);

/*
 * Send @cmd with @args (a JSON object or NULL; borrowed) and wait up to
 * @timeout_ms (< 0: default) for its reply. On success returns 0 and, if
 * @reply is not NULL, stores the reply's "return" member (a new reference;
 * json_object_put() it). Returns -1 with an error reported otherwise; @reply
 * is untouched. Any thread but the I/O thread; several threads may call at
 * once (commands go out in call order, replies are matched in order and by
 * "id"). A command whose deadline passed may still be executed by QEMU; its
 * late reply is discarded.
 */
int qemuMonitorCommand(qemuMonitor *mon, const char *cmd, struct json_object *args,
                       int timeout_ms, struct json_object **reply);

/* The same, with the whole command line given as JSON text, e.g.
 * "{\"execute\":\"query-status\"}" (virsh qemu-monitor-command). An "id"
 * member is replaced. On success *reply is the whole reply text. */
int qemuMonitorCommandText(qemuMonitor *mon, const char *json, int timeout_ms,
                           char **reply);

/*
 * Several commands in flight (statistics of many guests at once): Submit
 * queues @cmd with @args (borrowed; may be NULL) and returns at once;
 * Await waits up to @timeout_ms (< 0: default) for that reply and frees
 * the pending command, with qemuMonitorCommand's results and errors
 * (*reply the "return" member). A command submitted to a dead monitor
 * fails in Await. PendingFree drops a command without waiting (its late
 * reply is discarded); accepts NULL. Each pending command holds a
 * reference on @mon (qemuMonitorClose may still run meanwhile). Any
 * thread but the I/O thread.
 */
typedef struct _qemuMonitorPending qemuMonitorPending;
qemuMonitorPending *qemuMonitorSubmit(qemuMonitor *mon, const char *cmd,
                                      struct json_object *args);
int qemuMonitorAwait(qemuMonitorPending *p, int timeout_ms, struct json_object **reply);
void qemuMonitorPendingFree(qemuMonitorPending *p);

/* getfd: hand QEMU a duplicate of @fd (SCM_RIGHTS on the command) under
 * @fdname, for a later "fd:NAME" (migrate). The caller keeps @fd. 0 or -1
 * with an error reported; on failure QEMU may or may not hold it. */
int qemuMonitorSendFileHandle(qemuMonitor *mon, const char *fdname, int fd,
                              int timeout_ms);

/* add-fd: hand QEMU a duplicate of @fd (the caller keeps @fd) in a new
 * fdset, which QEMU opens as "/dev/fdset/N" where a command takes a file
 * name (screendump). 0 with *fdset = N, or -1 with an error reported.
 * qemuMonitorRemoveFdset closes QEMU's copy again (best effort: the
 * failure is only logged). */
int qemuMonitorAddFd(qemuMonitor *mon, int fd, int timeout_ms, int *fdset);
/* The same, and *@qemufd (when not NULL) is the number of QEMU's copy in
 * QEMU's own process, for a command that takes only a path it opens
 * itself (memsave, pmemsave): "/proc/self/fd/M" reopens the file as QEMU's
 * user, without QEMU needing access to the directory the file is in. */
int qemuMonitorAddFdFull(qemuMonitor *mon, int fd, int timeout_ms, int *fdset,
                         int *qemufd);
void qemuMonitorRemoveFdset(qemuMonitor *mon, int fdset, int timeout_ms);

/* Wrappers, default deadline; 0 or -1 with an error reported. */
int qemuMonitorCont(qemuMonitor *mon);
int qemuMonitorStop(qemuMonitor *mon);
int qemuMonitorSystemPowerdown(qemuMonitor *mon);
int qemuMonitorSystemReset(qemuMonitor *mon);
/* "quit": QEMU replies, emits SHUTDOWN (host-qmp-quit) and closes. EOF
 * arriving before the reply also counts as success. */
int qemuMonitorQuit(qemuMonitor *mon);

/* query-status: @status gets QEMU's RunState string ("running", "paused",
 * "shutdown", "prelaunch", "guest-panicked", ...), new string; @running
 * its "running" flag. Either may be NULL. */
int qemuMonitorQueryStatus(qemuMonitor *mon, char **status, bool *running);

/* set-action: each argument is a QAPI enum string or NULL to leave it
 * ("shutdown": poweroff|pause, "reboot": reset|shutdown,
 *  "watchdog": reset|shutdown|poweroff|pause|debug|none|inject-nmi,
 *  "panic": pause|shutdown|none). */
int qemuMonitorSetAction(qemuMonitor *mon, const char *shutdown, const char *reboot,
                         const char *watchdog, const char *panic);

/* query-chardev: the pty path of chardev @alias (e.g. "charserial0") as a
 * new string in *path. -1 (error reported) if absent or not a pty. */
int qemuMonitorGetPtyPath(qemuMonitor *mon, const char *alias, char **path);

/* The GMainContext of the monitor I/O thread (started if needed). Other
 * non-blocking watches of the driver (pidfds) may be attached to it; their
 * callbacks must not block either. Borrowed; valid for the process lifetime. */
GMainContext *qemuMonitorGetIOContext(void);
