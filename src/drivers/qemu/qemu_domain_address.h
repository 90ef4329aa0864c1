/* qemu_domain_address.h: PCI/PCIe address assignment and the free-slot allocator */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "domain_conf.h"

/*
 * What a device plugs into and what a bus accepts (libvirt's
 * virDomainPCIConnectFlags, reduced to what the QEMU driver runs). A
 * device asks for exactly one of the kind bits; endpoints add HOTPLUG,
 * which stands for libvirt's AUTOASSIGN: a bus without it (pcie-root,
 * dmi-to-pci-bridge, pcie-expander-bus, a switch's upstream port) takes
 * only controllers and addresses given in the configuration, so every
 * endpoint libvirt assigns sits where it could be hotplugged.
 */
typedef enum {
    QEMU_PCI_CONNECT_PCI_DEVICE = 1 << 0,         /* conventional PCI endpoint */
    QEMU_PCI_CONNECT_PCIE_DEVICE = 1 << 1,        /* PCI Express endpoint */
    QEMU_PCI_CONNECT_ROOT_PORT = 1 << 2,          /* a pcie-root-port */
    QEMU_PCI_CONNECT_PCIE_TO_PCI_BRIDGE = 1 << 3, /* a pcie-to-pci-bridge */
    QEMU_PCI_CONNECT_PCI_BRIDGE = 1 << 4,         /* a pci-bridge */
    QEMU_PCI_CONNECT_SWITCH_UPSTREAM = 1 << 5,    /* a pcie-switch-upstream-port */
    QEMU_PCI_CONNECT_SWITCH_DOWNSTREAM = 1 << 6,  /* a pcie-switch-downstream-port */
    QEMU_PCI_CONNECT_DMI_TO_PCI_BRIDGE = 1 << 7,  /* a dmi-to-pci-bridge */
    QEMU_PCI_CONNECT_PCI_EXPANDER_BUS = 1 << 8,   /* a pci-expander-bus (pxb) */
    QEMU_PCI_CONNECT_PCIE_EXPANDER_BUS = 1 << 9,  /* a pcie-expander-bus (pxb-pcie) */
    QEMU_PCI_CONNECT_HOTPLUG = 1 << 12,           /* an automatically assignable slot */
    QEMU_PCI_CONNECT_AGGREGATE = 1 << 13,         /* may share a slot, one per function */
} qemuPCIConnectFlags;

/*
 * The connect flags (kind | HOTPLUG) of a device QEMU creates as
 * @qemuDevice ("virtio-net-pci", "e1000", "qemu-xhci", "piix3-usb-uhci",
 * ...) in @def: PCIe on a machine with a pcie-root (q35) when the device is
 * PCIe-capable, else conventional PCI. Unknown names count as PCI.
 */
unsigned int qemuDomainPCIDeviceConnectFlags(const virDomainDef *def,
                                             const char *qemuDevice);

/*
 * A set of PCI buses (one per PCI controller of a definition, by index)
 * and the functions in use on each slot. Not thread-safe: build one from
 * the definition under the domain's job, use it, free it.
 */
typedef struct _qemuPCIAddressSet qemuPCIAddressSet;

/*
 * The buses of @def's PCI controllers, with the machine's own slots
 * reserved (q35: 00:1f; pc: 00:01) and every PCI address @def's devices
 * already carry marked in use. @machine is the canonical machine name.
 * NULL with libvirt's error (XML_ERROR "Attempted double use of PCI
 * Address ...", "Invalid PCI address ...", "The device at PCI address ...
 * cannot be plugged into the PCI controller ...") when @def's addresses
 * conflict, name a bus/slot that does not exist or a bus that does not
 * take that kind of device.
 */
qemuPCIAddressSet *qemuPCIAddressSetNew(const virDomainDef *def, const char *machine);
void qemuPCIAddressSetFree(qemuPCIAddressSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemuPCIAddressSet, qemuPCIAddressSetFree);

/*
 * Reserve the first free address (lowest bus, slot, function) a device
 * with @flags can use and write it to @addr (type PCI). Adds no
 * controller: on a full machine it fails with libvirt's INTERNAL_ERROR
 * "No more available PCI slots" and leaves @addr untouched. This is what
 * hotplug uses: build the set from the live definition, reserve, and put
 * @addr into the new device before attaching it. Buses of controllers with
 * <target hotplug='off'> are skipped (libvirt's hotplug rule).
 */
int qemuPCIAddressReserveNext(qemuPCIAddressSet *set, unsigned int flags,
                              virDomainDeviceAddress *addr);

/* qemuPCIAddressReserve for a device plugged into a running guest at the
 * address its XML gives: a bus whose controller has <target hotplug='off'>
 * gets libvirt's XML_ERROR "The device at PCI address ... requires hotplug
 * capability, but the PCI controller with index='N' doesn't support
 * hotplug" (before any other check of the slot). */
int qemuPCIAddressReserveLive(qemuPCIAddressSet *set, const virDomainDeviceAddress *addr,
                              unsigned int flags);

/* Mark @addr (type PCI) in use as a device with @flags would be. -1 with
 * libvirt's error when it does not exist or is taken. */
int qemuPCIAddressReserve(qemuPCIAddressSet *set, const virDomainDeviceAddress *addr,
                          unsigned int flags);

/* Free @addr again (a failed or undone hotplug, a detached device).
 * Addresses not in use are ignored. */
void qemuPCIAddressRelease(qemuPCIAddressSet *set, const virDomainDeviceAddress *addr);

/*
 * libvirt's define-time assignment for @def on @machine (canonical name):
 * the controllers libvirt adds by default (the PCI root, the machine's
 * USB controller unless one is given or model='none', q35's built-in SATA
 * controller, a virtio memballoon unless one is given), then a PCI address
 * for every device without one, in libvirt's order (PCI controllers,
 * interfaces, other controllers, virtio disks, memballoon, rng, video,
 * virtio inputs); on q35 a pcie-root-port is added per PCIe device that
 * finds no free one, a pcie-to-pci-bridge for conventional PCI devices,
 * and one spare root port for hotplug; root ports get their model name,
 * chassis and port. Drive addresses for IDE/SATA disks and virtio-serial
 * addresses for channels are filled in too. Addresses already present are
 * kept, so assigning again changes nothing. 0, or -1 with the error
 * reported (def may then be partly assigned: callers discard it).
 */
int qemuDomainAssignAddresses(virDomainDef *def, const char *machine);

/* ---- USB ports (defined in qemu_domain_address_nonpci.c) ---- */

/* The root ports of USB controller 0 (libvirt's
 * virDomainUSBAddressControllerModelToPorts: the model's, or ports=);
 * 0 when there is none or its model is unknown. */
unsigned int qemuDomainUSBRootPorts(const virDomainDef *def);
/* The addresses of the devices virtkit plugs into USB, in libvirt's
 * assignment order (CCID reader, inputs, USB sound, redirdevs), hubs not
 * included: a new array of borrowed pointers into @def. */
GPtrArray *qemuDomainUSBDeviceAddrs(virDomainDef *def);
/* The first free USB port of @def (the root hub's, then behind each hub,
 * as at define) into @addr; false when all are taken or controller 0's
 * ports are not known. */
bool qemuDomainUSBFreePort(virDomainDef *def, virDomainDeviceAddress *addr);

/* The QEMU bus name of PCI controller index @idx: "pcie.0"/"pci.0" for
 * the root, "pci.N" otherwise. Caller frees. */
char *qemuDomainPCIBusName(const virDomainDef *def, unsigned int idx);
