/* qemu_process.h: QEMU process lifecycle: start, stop, kill, exit and QMP event handling, reconnect */
#pragma once

#include "qemu_conf.h"
#include "qemu_domain.h"

/*
 * Start QEMU for @obj: paused, monitor connected, then 'cont' unless
 * VIR_DOMAIN_START_PAUSED. Called with @obj locked and a MODIFY job held;
 * drops the lock while waiting on QEMU. On success the state is
 * RUNNING/BOOTED (or PAUSED/USER) and the status file is written; the
 * caller queues the STARTED (and SUSPENDED) events. On failure nothing is
 * left running, the state is SHUTOFF/FAILED and -1 is returned with the
 * error reported.
 */
int qemuProcessStart(qemuDriver *driver, virDomainObj *obj, unsigned int flags);
/* A listening UNIX socket at @path (an old one removed first; CLOEXEC), as
 * libvirt makes one for a unix chardev or channel in bind mode, at start
 * and on hotplug, and for a virtiofsd to inherit. The fd, or -1 with a
 * SYSTEM_ERROR (or CONFIG_UNSUPPORTED for a path too long) reported. */
int qemuProcessListenUnix(const char *path);

/* 0, or -1 with CONFIG_UNSUPPORTED when @net asks for a network filter
 * (<filterref>) that cannot be applied here: on an interface type other
 * than network and bridge, or with no network filter driver in this
 * process (a session daemon, an embedding program). */
int qemuProcessCheckNetFilter(const virDomainNetDef *net);

/* The same, QEMU loading a saved state (a migration stream) from
 * @incomingFd (positioned at the stream; inherited by QEMU, kept open by
 * the caller) before anything runs: the guest continues where it was
 * saved, RUNNING/RESTORED, or PAUSED/MIGRATION with
 * VIR_DOMAIN_START_PAUSED. A stream QEMU cannot load fails the start
 * (nothing left running). */
int qemuProcessStartIncoming(qemuDriver *driver, virDomainObj *obj, unsigned int flags,
                             int incomingFd);

/*
 * Tear down everything of a running @obj: "shutting down" log line, close
 * the monitor, make sure the process is gone (SIGKILL if needed), remove
 * the per-domain directory and status file, restore the persistent
 * definition, state SHUTOFF/@reason. Emits no event. Called with @obj
 * locked and a job held; may drop the lock while closing the monitor.
 */
void qemuProcessStop(qemuDriver *driver, virDomainObj *obj, int reason);

/*
 * Destroy's kill phase, called with @obj locked (dropped while waiting):
 * SIGTERM, wait on the pidfd up to the grace period; unless @graceful,
 * SIGKILL and wait up to QEMU_KILL_WAIT_MS. Returns the moment the process
 * is gone: 0 when it is gone, -1 with SYSTEM_ERROR EBUSY "Failed to
 * terminate process PID with SIG...". A graceful kill of a stopped process
 * (SIGSTOP, ptrace) withholds SIGTERM, which it could only act on once
 * continued, killing a guest the caller was told survived. The caller has
 * incremented priv->beingDestroyed.
 */
int qemuProcessKill(virDomainObj *obj, bool graceful);

/*
 * Unkillable QEMU: @obj's process survived SIGKILL (the kernel holds it,
 * state D). Marks the domain stuck (priv->stuck), tells the operator
 * (VIR_NOTICE) and sends SIGKILL again every 2 s from the driver's I/O
 * context; the pidfd watch ends the domain SHUTOFF/DESTROYED with
 * STOPPED/DESTROYED when the process goes. Object locked.
 */
void qemuProcessMarkStuck(virDomainObj *obj);
/* True, with the stuck error reported ("Failed to terminate process PID
 * with SIGKILL: ... stuck in the kernel (state D, waiting in W) ..."), if
 * @obj is stuck. Object locked. */
bool qemuProcessCheckStuck(virDomainObj *obj);

/* Send a QMP command without arguments to @obj's QEMU (obj locked, job
 * held; the lock is dropped while waiting). 0 or -1 with error reported. */
int qemuProcessMonitorCommand(virDomainObj *obj, const char *cmd);

/* Set the guest statistics period of @obj's balloon (qom-set of
 * guest-stats-polling-interval, seconds, 0 stops it), as libvirt does at
 * start and in virDomainSetMemoryStatsPeriod. Object locked, job held;
 * the lock is dropped while QEMU answers. 0 or -1 with QEMU's error. */
int qemuProcessSetBalloonPeriod(virDomainObj *obj, int period);

/* Load status files from stateDir and reconnect (qemu_process_reconnect.c). Called
 * once at driver creation, after the persistent definitions are loaded. */
void qemuProcessReconnectAll(qemuDriver *driver);

/* Finish off a domain whose process exited (worker thread). */
void qemuProcessHandleExit(qemuDriver *driver, virDomainObj *obj, guint64 runId);

/* Stop watching @obj's QEMU (driver cleanup): close the monitor, drop
 * the pidfd watch and timers. The guest keeps running. @obj unlocked. */
void qemuProcessDetach(virDomainObj *obj, void *opaque);

/* Remove @obj from the list if it is inactive and transient (obj locked). */
void qemuDomainRemoveInactive(qemuDriver *driver, virDomainObj *obj);

/* The QMP events of a running guest other than its lifecycle
 * (qemu_process_events.c): mapped to libvirt 9.0's domain events and
 * queued. Monitor thread, object locked. true if @name was one of them. */
struct json_object;
bool qemuProcessHandleGuestEvent(qemuDriver *driver, virDomainObj *obj, const char *name,
                                 struct json_object *data);
/* libvirt-qemu's event of every QMP event (@obj locked, @data borrowed,
 * QEMU's timestamp or -1), for virConnectDomainQemuMonitorEventRegister:
 * queued only when such a callback is registered (qemu_process_events.c). */
void qemuProcessQueueMonitorEvent(qemuDriver *driver, virDomainObj *obj, const char *name,
                                  struct json_object *data, gint64 timestamp_us);
