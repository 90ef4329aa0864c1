/* qemu_hostdev.h: the host side of <hostdev> devices at start and hotplug */
#pragma once

#include "domain_conf.h"

/* libvirt's test for VFIO passthrough: an IOMMU group and /dev/vfio/vfio */
bool qemuHostdevHostSupportsVFIO(void);

/*
 * Look up the host devices of @hostdevs (@n of them: a live definition's,
 * or the one being hotplugged) as libvirt 9.0 does before QEMU gets them,
 * in its order (PCI, USB, SCSI, mdev, then vhost-scsi and PCI backends).
 * Fills in what it finds (a USB device's bus/device, a SCSI device's
 * sgDev). 0, or -1 with libvirt's error for the first one missing (e.g.
 * CONFIG_UNSUPPORTED "host doesn't support passthrough of host PCI
 * devices", SYSTEM_ERROR "cannot open directory '/sys/bus/usb/devices'");
 * nothing on the host is changed either way.
 */
int qemuHostdevPrepare(virDomainHostdevDef *const *hostdevs, size_t n);

/* What libvirt's virConnectDomainXMLToNative finds of the host side of
 * @def's hostdevs (it prepares nothing on the host): a SCSI hostdev's
 * /dev/sgN, then in device order a PCI backend other than an explicit
 * vfio ("invalid PCI passthrough type 'default'"), a USB device named by
 * vendor/product ("USB host device is missing bus/device information"),
 * vhost-scsi; 0 or -1 with the error. */
int qemuHostdevPreparePretend(virDomainDef *def);
/* libvirt's name of a PCI backend ("default", "kvm", "vfio", "xen") */
const char *qemuHostdevPCIBackendToString(int backend);

/* hostdevN for each hostdev of @def without an alias (at start) */
void qemuHostdevAssignAliases(virDomainDef *def);
