/* nwfilter_driver.h: the network filter driver of virtkitd: definitions on disk, bindings as nftables rules */
#pragma once

#include "driver-state.h"
#include "driver.h"

/*
 * One state driver (nwfilterStateDriver, in virtkitd's list) keeps the
 * network filter definitions of the system daemon in <configDir>/nwfilter
 * (NAME.xml, mode 0600, each replaced atomically) and serves them to its
 * qemu:/// connections (virSetSharedNWFilterDriver). As in libvirt, a
 * session daemon has no filters: its connections answer NO_SUPPORT.
 * On the first start (no nwfilter folder yet) of the real system daemon
 * (/etc/virtkit), or of any system daemon with VIRTKIT_NWFILTER_DEFAULTS=1,
 * the standard filters users expect (clean-traffic, no-ip-spoofing,
 * allow-arp, ...: nwfilter_defaults.c) are written there first.
 *
 * Bindings (a filter applied to one guest port, as libvirt's) are kept
 * in <runtimeDir>/nwfilter-binding/PORTDEV.xml and applied as one
 * nftables table each (nwfilter_nft.h); a restarted daemon makes every
 * binding's table again in place and removes binding tables it has no
 * binding for. A redefined filter rebuilds the bindings that use it; a
 * filter a binding uses cannot be undefined. The QEMU driver creates a
 * binding per interface with a <filterref> when it makes the tap and
 * deletes it with the tap.
 */
extern const virStateDriver nwfilterStateDriver;

/* nwfilter_defaults.c: the standard filter set, {name, XML} pairs ending
 * with {NULL, NULL}. */
typedef struct {
    const char *name;
    const char *xml;
} nwfilterDefault;
extern const nwfilterDefault nwfilterDefaults[];
