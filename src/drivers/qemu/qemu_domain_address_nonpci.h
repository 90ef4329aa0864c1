/* qemu_domain_address_nonpci.h: define-time addresses on the buses other than PCI */
#pragma once

#include "domain_conf.h"

/*
 * The steps of qemuDomainAssignAddresses that place devices on buses
 * other than PCI. Each fills in only addresses @def does not carry yet,
 * so running it again changes nothing; none looks at the PCI topology.
 * The caller holds the definition exclusively (define or start).
 */

/* USB ports on controller 0 (the caller checks there is one and that it
 * is not model='none'), adding usb-hubs first when the devices outnumber
 * the ports, in libvirt's order. A device that finds no port keeps no
 * address (the validator reports it). */
void qemuDomainAssignUSBPorts(virDomainDef *def);

/* Drive addresses (controller, bus, unit) of IDE, SATA, SCSI and floppy
 * disks from their target names, as libvirt computes them. */
void qemuDomainAssignDriveAddresses(virDomainDef *def);

/* virtio-serial port numbers for channels: the lowest free one from 1 on
 * the channel's controller and bus (both 0 when not given). */
void qemuDomainAssignVirtioSerialPorts(virDomainDef *def);

/* DIMM slots for dimm/nvdimm memory devices without an address (only
 * with <maxMemory slots>): the lowest free slot. 0, or -1 with libvirt's
 * OPERATION_FAILED "Unable to find a free memory slot" (the devices
 * before it keep the slots they got: callers discard @def). */
int qemuDomainAssignMemorySlots(virDomainDef *def);
