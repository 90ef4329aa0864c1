/* qemu_virtiofs.h: the virtiofsd behind a <filesystem><driver type='virtiofs'/> */
#pragma once

#include "domain_obj.h"
#include "qemu_conf.h"

/*
 * One virtiofsd per virtiofs filesystem without <source socket> (that one
 * is an external daemon's: QEMU only connects to it), as libvirt 9.0's
 * qemu_virtiofs.c runs it:
 * - the program is <binary path>, else the first "fs" descriptor of the
 *   vhost-user interop directories (/etc/qemu/vhost-user overrides
 *   /usr/share/qemu/vhost-user by file name; Debian's qemu-system-common
 *   ships 50-qemu-virtiofsd.json naming /usr/lib/qemu/virtiofsd), written
 *   into the live definition;
 * - the daemon makes the listening socket ("<alias>-fs.sock" in the
 *   domain's run directory, owned by the QEMU user so QEMU may connect)
 *   and hands it over as --fd=N; -o source=,cache=,sandbox=,(no_)xattr,
 *   (no_)flock,(no_)posix_lock and --thread-pool-size= as the definition
 *   says;
 * - it runs as the daemon's user (root in system mode, as libvirt: it
 *   needs to act as any guest user on the shared tree; QEMU's user never
 *   reaches it but through the socket), in its own session, its output in
 *   "<logDir>/<name>-<alias>-virtiofsd.log", its command line in the
 *   domain's log, its pid in "<stateDir>/<id>-<name>-<alias>-fs.pid";
 * - it is our child: a pidfd watch reaps it when it exits (QEMU's hang-up
 *   ends it). A restarted daemon finds it again from the pid file once its
 *   command line proves it is ours, and watches it (it is no longer our
 *   child then: init reaps it).
 *
 * Threads: start and stop run in API threads with the domain object
 * locked and a job held; their waits on virtiofsd are bounded. The exit
 * watch runs on the driver's ioContext and touches only its own
 * reference-counted record (never the domain).
 */

/* Start the virtiofsd of @fs (its alias set) of running-to-be @obj
 * (priv->libDir made). 0 (nothing to do for <source socket>), or -1 with
 * libvirt's error and nothing left behind (no process, socket, pid file). */
int qemuVirtioFSStart(qemuDriver *driver, virDomainObj *obj, virDomainFSDef *fs);

/* The same for every virtiofs filesystem of @obj's live definition. On
 * failure the ones started are stopped. */
int qemuVirtioFSStartAll(qemuDriver *driver, virDomainObj *obj);

/* Stop the virtiofsd of @fs if this run started or adopted one (SIGTERM,
 * SIGKILL after 5 s; reaped when ours); its socket and pid file removed.
 * Quiet: the last error is kept. */
void qemuVirtioFSStop(qemuDriver *driver, virDomainObj *obj, const virDomainFSDef *fs);

/* Stop every virtiofsd of @obj (a guest's stop or a failed start). */
void qemuVirtioFSStopAll(qemuDriver *driver, virDomainObj *obj);

/* A daemon's reconnect: adopt the virtiofsd of each virtiofs filesystem of
 * @obj from its pid file; one that is gone is told to the operator (the
 * guest's share is then dead). */
void qemuVirtioFSReconnect(qemuDriver *driver, virDomainObj *obj);

/* The pid of the virtiofsd serving @fs of @obj, or 0. */
pid_t qemuVirtioFSGetPid(virDomainObj *obj, const virDomainFSDef *fs);

/* The vhost-user socket QEMU connects to for @fs: <source socket>, else
 * "<libDir>/<alias>-fs.sock". Caller frees. */
char *qemuVirtioFSSocketPath(const char *libDir, const virDomainFSDef *fs);

/* The binary of the first vhost-user descriptor (QEMU's interop
 * vhost-user.json) of @type ("fs", "gpu") in /etc/qemu/vhost-user and
 * /usr/share/qemu/vhost-user (a session daemon's own directory first), as
 * libvirt's qemuVhostUserFillDomainFS/GPU pick it; NULL when none (nothing
 * reported). Caller frees. */
char *qemuVhostUserFindBinary(const char *type, bool privileged);
