/* qemu_passt.h: the passt daemon behind an <interface type='user'><backend type='passt'/> */
#pragma once

#include "domain_obj.h"
#include "qemu_conf.h"

/*
 * One passt per interface, as libvirt 9.0's qemu_passt.c: started before
 * QEMU (or before its netdev_add on a hotplug) with --one-off (it ends
 * when QEMU hangs up), its socket and pid file in the domain's run
 * directory (priv->libDir: "passt-<alias>.socket", "passt-<alias>.pid"),
 * as the QEMU user with no capabilities, its command line written to the
 * domain's log. QEMU reaches it through a stream netdev on that socket
 * (qemu_command.c). A passt is known only by its pid file and its command
 * line (--socket PATH): a restarted daemon adopts it without restarting
 * it, and a stop kills exactly that process.
 *
 * Threads: API threads, the domain object locked with a job held; the
 * waits (passt's parent exiting once the daemon serves, a stopped passt
 * exiting) have deadlines and are short.
 */

/* Start the passt of interface @net (its alias set) of running-to-be
 * @obj; net->passtSocket names its socket afterwards. 0, or -1 with
 * libvirt's INTERNAL_ERROR "Could not start 'passt'..." (passt's own
 * words appended) and nothing left running. */
int qemuPasstStart(qemuDriver *driver, virDomainObj *obj, virDomainNetDef *net);

/* The same for every passt interface of @obj's live definition. On
 * failure the ones started are stopped. */
int qemuPasstStartAll(qemuDriver *driver, virDomainObj *obj);

/* Stop the passt of @net if one runs (quiet, by the pid its pid file
 * names once its command line proves it is ours: SIGTERM, then SIGKILL
 * after 5 s); its socket and pid file removed. */
void qemuPasstStop(virDomainNetDef *net);

/* A daemon's reconnect: name the socket of each passt interface of @obj
 * (priv->libDir known) so that a later stop finds its passt; a passt that
 * is gone is told to the operator (the guest's network is then down). */
void qemuPasstReconnect(virDomainObj *obj);

/* The pid of the passt serving @net, or 0. */
pid_t qemuPasstFindPid(const virDomainNetDef *net);
