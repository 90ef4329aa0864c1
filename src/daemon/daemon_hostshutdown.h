/* daemon_hostshutdown.h: host shutdown: each running guest's host-shutdown action, and the restore of saved guests at the next start */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

#include "daemon_config.h"

/*
 * Each guest says in its definition what the host's shutdown does to it
 * (<virtkit:host-shutdown action priority/>, domain_stop_policy.h):
 * shutdown (its stop ladder, vkDomainStop with the definition's policy),
 * save (managed save, restored at the daemon's next start), destroy, or
 * none (left running, adopted at the next start: what a guest without the
 * element gets). Guests go in priority order, higher first, a priority
 * level finished before the next starts, up to cfg->hostShutdownParallel
 * at once, all within cfg->hostShutdownTimeoutSec.
 */

/* Whether stopping the daemon now is a host shutdown (cfg->guestsOnStop;
 * auto: systemd says the system is stopping). */
bool vkdHostShutdownWanted(const vkdConfig *cfg);

/* Apply every running guest's action through @conn (the daemon's own
 * connection to its hypervisor driver) and record the guests saved in
 * <stateDir>/host-shutdown-saved. Returns when each has been handled or
 * the total deadline passed (a guest still being handled then is left to
 * its thread). Events it causes carry the requestor "host". False when a
 * thread is still at work in the driver (the caller must not free the
 * driver state under it). */
bool vkdHostShutdownRun(virConnectPtr conn, const vkdConfig *cfg);

/* At start, after autostart: start (restore) every guest the last host
 * shutdown saved, then forget the record. Events: requestor "host". */
void vkdHostShutdownRestore(virConnectPtr conn, const vkdConfig *cfg);
