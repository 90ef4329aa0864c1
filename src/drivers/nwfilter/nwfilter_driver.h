/* nwfilter_driver.h: the network filter driver of virtkitd: definitions on disk, no traffic filtering */
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
 * Applying filters to traffic is not built: there are never bindings,
 * creating one is refused (OPERATION_UNSUPPORTED), and the QEMU driver
 * refuses to start a guest whose interface asks for a filter.
 */
extern const virStateDriver nwfilterStateDriver;

/* nwfilter_defaults.c: the standard filter set, {name, XML} pairs ending
 * with {NULL, NULL}. */
typedef struct {
    const char *name;
    const char *xml;
} nwfilterDefault;
extern const nwfilterDefault nwfilterDefaults[];
