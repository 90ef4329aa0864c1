/* qemu_validate.h: what the QEMU driver refuses in a domain definition (the one validator) */
#pragma once

#include "domain_conf.h"
#include "qemu_capabilities.h"

/*
 * Check that every part of @def can be honoured by QEMU with @caps: virt
 * type (qemu or kvm; whether kvm is usable on this host is checked at
 * start by qemuCapsCheckVirtType), arch, machine, memory/vcpus, unknown
 * elements, disk device/bus/format/cache values, chardev types, network
 * types (only 'user'), lifecycle actions the QEMU driver refuses
 * (rename-restart, preserve for poweroff/reboot, coredump-* for
 * poweroff/reboot, on_poweroff=restart with on_reboot=destroy). Pure: no
 * probe, no I/O. 0, or -1 with CONFIG_UNSUPPORTED (domain QEMU) and a
 * message naming what is refused. The driver calls it at define time
 * (qemuGluePostParse) and again at start (qemuGluePrepareForStart).
 */
int qemuValidateDomainDef(const virDomainDef *def, const qemuCaps *caps);
/* The <vcpus> states of @def as libvirt's qemuDomainDefVcpusPostParse
 * (qemu_validate_vcpu.c; called by qemuValidateDomainDef). */
int qemuValidateDomainVcpus(const virDomainDef *def);
/* libvirt's per-device memory hotplug rules (qemuDomainDefValidateMemoryHotplugDevice)
 * for @mem, a device of @def or one to be added to it; -1 with the error. */
int qemuValidateMemoryDevice(const virDomainDef *def, const virDomainMemoryDef *mem);
/* The lifecycle actions QEMU can carry out together (virDomainLifecycleAction
 * values): 0, or -1 with CONFIG_UNSUPPORTED reported. */
int qemuValidateLifecycleAction(int onPoweroff, int onReboot, int onCrash);

/*
 * The CPU rules libvirt applies when a domain starts (a definition may
 * hold them): host-passthrough needs KVM (CONFIG_UNSUPPORTED, domain QEMU,
 * libvirt's message); a custom model QEMU does not have is INTERNAL_ERROR
 * "Unknown CPU model X" (domain CPU); check='partial'/'full' of a model
 * with features TCG lacks is OPERATION_FAILED (domain CPU) naming them.
 * Called by qemuBuildCommandLine.
 */
int qemuValidateDomainCpuForStart(const virDomainDef *def, const qemuCaps *caps);

/* qemu_validate_net.c. The rules of interface @net alone: the guest side
 * (its <ip>s: only type user: one IPv4 address with a prefix of 4-27, one
 * IPv6 with 64, as libvirt 9.0; its <portForward>s: only with the passt
 * backend, ports 1-65535) and its virtio <driver> (queue sizes powers of
 * two). 0, or -1 with libvirt's error. Checked at define, start and
 * hotplug. */
int qemuValidateNet(const virDomainNetDef *net);
/* The rules of @net that libvirt applies once its host side is known, at
 * start and hotplug (not at define): several queues only on a tap (types
 * network, bridge, ethernet). @mac: the MAC the error names. 0, or -1
 * with CONFIG_UNSUPPORTED and libvirt's message. */
int qemuValidateNetForStart(const virDomainNetDef *net, const unsigned char *mac);

/* qemu_validate_dev.c (part of the validator): the rules of one device of
 * @def, each 0 or -1 with CONFIG_UNSUPPORTED and libvirt's message. */
/* Which <address> types a device may carry in the QEMU driver. */
typedef enum {
    NO_ADDRESS = 0,
    PCI_ONLY,
    USB_ONLY,
} qemuValidateAddressKind;
/* @addr's type is one @kind allows: libvirt's "<@what> cannot have an
 * address of type '<type>'" otherwise. */
int qemuValidateAddressType(const virDomainDeviceAddress *addr, const char *what,
                            qemuValidateAddressKind kind);
/* Disk @disk of @def on canonical machine @machine: device, bus, format,
 * cache and io values, its source and its identity. */
int qemuValidateDisk(const virDomainDef *def, const virDomainDiskDef *disk,
                     const char *machine);
/* The host side of serial or console @chr (libvirt's
 * qemuValidateDomainChrSourceDef: a reconnect timeout of 0). */
int qemuValidateChrSource(const virDomainChrDef *chr);
/* Serial port @chr, the @i-th of the definition. */
int qemuValidateChr(const virDomainChrDef *chr, size_t i);
/* <filesystem> @fs of @def: libvirt 9.0's rules in its order. */
int qemuValidateFS(const virDomainDef *def, const virDomainFSDef *fs);

/* qemu_validate_hostdev.c (part of the validator): hostdev @h of @def
 * (capabilities mode refused, libvirt's PCI, vhost-scsi and mdev rules). */
int qemuValidateHostdev(const virDomainDef *def, const virDomainHostdevDef *h);

/* qemu_validate_scsi.c (part of the validator). SCSI controller @c of
 * @def: 0 when this driver runs it, 1 when its model cannot run here (the
 * caller reports it), -1 with libvirt's error for what libvirt refuses. */
int qemuValidateSCSIController(const virDomainDef *def, const virDomainControllerDef *c);
/* @disk's serial, wwn, vendor, product and rotation rate on bus @bus, and
 * its SCSI drive address: 0, or -1 with libvirt's error. */
int qemuValidateDiskIdentity(const virDomainDef *def, const virDomainDiskDef *disk,
                             int bus);

/* At start (and domxml-to-native), as libvirt's qemuVhostUserFillDomainGPU:
 * a <video><driver name='vhostuser'/> needs a vhost-user descriptor of type
 * "gpu" (OPERATION_FAILED "Unable to find a satisfying vhost-user-gpu"
 * without one; Debian ships none); with one, libvirt would run that
 * daemon, which virtkit does not (CONFIG_UNSUPPORTED). 0 or -1 reported. */
int qemuValidateDomainVideoForStart(const virDomainDef *def);
/* libvirt's qemuBuildUSBControllerDevProps: each USB companion (a
 * <master>) needs a USB controller of its index that is none, its
 * master bus; else INTERNAL_ERROR "masterbus not found" (at start and
 * domxml-to-native: the definition is kept). */
int qemuValidateUSBCompanionsForStart(const virDomainDef *def);
