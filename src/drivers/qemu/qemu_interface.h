/* qemu_interface.h: guest interfaces of type network, bridge and ethernet: the taps QEMU gets */
#pragma once

#include <sys/types.h>

#include "domain_conf.h"

/*
 * Before QEMU starts: for each interface of type network (the bridge of
 * that network, asked of the process's network driver: it must exist and
 * be active), bridge (an existing host bridge) or ethernet (plugged
 * nowhere), make a tap ("vnetN" unless <target dev> names another one),
 * with the guest's MAC (its first byte 0xfe), plugged into the bridge and
 * up; record its name in <target dev> of the live definition and its
 * descriptor in the interface (hasTapfd/tapfd), and add the descriptor to
 * @keepfds (at most @maxkeep). On failure the taps made so far are gone.
 * 0, or -1 with libvirt's error (NO_NETWORK, "network 'N' is not active",
 * "Cannot get interface MTU on 'B'", ...). @def is the live definition,
 * the domain locked.
 */
int qemuInterfacePrepare(virDomainDef *def, int *keepfds, size_t *nkeep, size_t maxkeep);

/* Close the descriptors QEMU has inherited (after the spawn). */
void qemuInterfaceCloseFds(virDomainDef *def);

/* After QEMU is gone (or failed to start): delete the taps of @def that
 * the driver made (quiet) and close any descriptor still held. */
void qemuInterfaceCleanup(virDomainDef *def);
