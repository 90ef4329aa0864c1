/* qemu_process_priv.h: helpers shared by the QEMU process lifecycle files (qemu_process*.c) */
#pragma once

#include "qemu_conf.h"
#include "qemu_domain.h"

/*
 * Not for the rest of the driver: these serve qemu_process.c (events,
 * exit, kill, stop), qemu_process_start.c (start) and
 * qemu_process_reconnect.c (status files and reconnect), and follow the
 * thread protocol at the top of qemu_process.c.
 */

/* A domain reference stamped with the run it was taken for, handed to the
 * driver's worker pool or a GSource; priv->runId tells a stale one. */
typedef struct {
    virDomainObj *obj;
    guint64 runId;
} qemuProcessObjRef;

/* A new reference to @obj for @runId (caller owns it; freed with
 * qemuProcessObjRefFree, a GDestroyNotify). */
qemuProcessObjRef *qemuProcessObjRefNew(virDomainObj *obj, guint64 runId);
void qemuProcessObjRefFree(gpointer data);

/* The first 20 characters of @def's name, multibyte-safe (libvirt's
 * short name, used in per-domain paths). Caller frees. */
char *qemuProcessShortName(const virDomainDef *def);

/* Remove the monitor socket and the per-domain directory of @priv (what
 * exists; failures are logged at debug level only). */
void qemuProcessRemoveLibDir(qemuDomainObjPrivate *priv, const virDomainDef *def);

/* Watch priv->pidfd from the driver's event thread; the exit goes to the
 * worker pool (qemuProcessHandleExit). obj locked. */
void qemuProcessWatchPidfd(qemuDriver *driver, virDomainObj *obj);

/* End QEMU gently: SIGTERM now (QEMU flushes its disks and exits), SIGKILL
 * if it is still there after the grace period. Never blocks (obj locked). */
void qemuProcessTerminateGently(qemuDriver *driver, virDomainObj *obj);

/* Ask QEMU for its run state ("running", "paused", "shutdown", ...).
 * obj locked and job held; lock dropped while waiting. The caller frees
 * the string; NULL with the error reported. */
char *qemuProcessQueryStatus(virDomainObj *obj, int timeout_ms);

/* Connect to the monitor listening at @path (reconnect). The fd, or -1
 * (SYSTEM_ERROR reported). */
int qemuProcessConnectSocket(const char *path);

/* Open the monitor on connected @fd (obj locked, job held;
 * the lock is dropped during the handshake). 0 or -1 (error reported). */
int qemuProcessOpenMonitor(virDomainObj *obj, int fd, unsigned int timeout_ms);

/* Close the monitor (obj locked, job held). The lock is dropped while the
 * monitor thread winds down, since its callbacks take the lock. */
void qemuProcessCloseMonitor(virDomainObj *obj);

/* Worker-pool job (@data: a qemuProcessObjRef, for the run it names): a
 * guest that shut down for a fake reboot (priv->fakeReboot) is reset and
 * continued (system_reset, cont) under a MODIFY job; if that fails, QEMU
 * is killed and the pidfd watch ends the domain. */
void qemuProcessFakeRebootWorker(qemuDriver *driver, gpointer data);
