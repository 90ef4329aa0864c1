/* qemu_interface.h: guest interfaces of type network, bridge and ethernet: the taps QEMU gets */
#pragma once

#include <sys/types.h>

#include "domain_conf.h"
#include "virnetdevbandwidth.h"

/*
 * Before QEMU starts: for each interface of type network (the bridge of
 * that network, asked of the process's network driver: it must exist and
 * be active), bridge (an existing host bridge) or ethernet (plugged
 * nowhere), make a tap ("vnetN" unless <target dev> names another one),
 * with the guest's MAC (its first byte 0xfe), plugged into the bridge and
 * up, a multiqueue tap with a descriptor per queue when <driver queues='N'>
 * asks (session mode: one, the bridge helper's); record its name in
 * <target dev> of the live definition and its descriptors in the
 * interface (tapfds/ntapfds); an interface with a
 * <filterref> gets its network filter binding on that tap (the nwfilter
 * driver of this process makes its rules); and add the descriptors to
 * @keepfds (at most @maxkeep in all). On failure the taps made so far are gone.
 * 0, or -1 with libvirt's error (NO_NETWORK, "network 'N' is not active",
 * "Cannot get interface MTU on 'B'", ...). @def is the live definition,
 * the domain locked. Every interface gets its device id of the run,
 * net->alias "netI".
 */
int qemuInterfacePrepare(virDomainDef *def, int *keepfds, size_t *nkeep, size_t maxkeep);

/* The same for one interface @net (position @idx) of @def (a hotplug):
 * its port and tap made, the descriptors in net->tapfds; nothing
 * to do for type user. On failure nothing is left. 0 or -1. */
int qemuInterfacePrepareNet(const virDomainDef *def, virDomainNetDef *net, size_t idx);

/* Close the descriptors QEMU has inherited (after the spawn). */
void qemuInterfaceCloseFds(virDomainDef *def);

/* After QEMU is gone (or failed to start): delete the filter bindings and
 * the taps of @def that the driver made (quiet) and close any descriptor
 * still held. */
void qemuInterfaceCleanup(virDomainDef *def);
/* The same for one interface (an unplug, a failed hotplug). */
void qemuInterfaceCleanupNet(virDomainNetDef *net);

/* Move the tap of running interface @net (type network or bridge) to the
 * network or bridge of @newNet (same kinds), as libvirt's
 * qemuDomainChangeNetBridge: the new network's port made, the tap
 * re-plugged, the old port removed; @net then names the new source.
 * 0, or -1 with nothing changed. */
int qemuInterfaceChangeBridge(const virDomainDef *def, virDomainNetDef *net,
                              const virDomainNetDef *newNet);

/* The address a graphics <listen type='network'> of network @name listens
 * on, as libvirt's networkGetNetworkAddress: the network's first <ip>
 * address (networks with their own addresses: no forward, nat, route,
 * open). NULL with NO_NETWORK (no such network) or CONFIG_UNSUPPORTED /
 * INTERNAL_ERROR reported. Caller frees. */
char *qemuInterfaceNetworkListenAddress(const char *name);

/* An interface's <bandwidth> (qemu_driver_iftune.c). */
/* Whether @net's <bandwidth> can be enforced (at start, hotplug): a tap
 * and no floor. 0, or -1 with libvirt's error (CONFIG_UNSUPPORTED "setting
 * bandwidth on interfaces of type 'user' is not implemented yet",
 * OPERATION_UNSUPPORTED "Invalid use of 'floor' on interface with MAC
 * address M - network 'N' has no inbound QoS set"). */
int qemuBandwidthCheck(const virDomainNetDef *net);
/* Put @net's limits on its tap (net->ifname, made just now): 0, or -1
 * with tc's error and the tap left without limits. */
int qemuBandwidthApply(const virDomainNetDef *net);
/* Replace running @net's limits with @bw (NULL: none; copied): checked,
 * put on its tap, then in @net. On failure nothing changed (the old limits
 * are put back on the tap). Object locked, job held. */
int qemuBandwidthChange(virDomainNetDef *net, const virNetDevBandwidth *bw);
