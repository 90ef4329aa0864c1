/* qemu_pci_controller.h: the PCI controller models as libvirt 9.0's QEMU driver runs them */
#pragma once

#include <stdbool.h>

#include "domain_conf.h"

/*
 * One PCI controller model (libvirt's model= name): the QEMU device it
 * gets when <model name> is not given, how it plugs in as a device and
 * what its own bus takes (qemuPCIConnectFlags), and the slots that bus
 * has. Static data.
 */
typedef struct {
    const char *model;
    const char *defaultName; /* NULL for the roots (no device of their own) */
    unsigned int plugsAs;    /* 0 for the roots */
    unsigned int accepts;
    unsigned int minSlot;
    unsigned int maxSlot;
} qemuPCIControllerModel;

/* The model named @model, or NULL when it is not a PCI controller model
 * the QEMU driver runs. */
const qemuPCIControllerModel *qemuPCIControllerModelLookup(const char *model);

/*
 * libvirt's defaults for PCI controller @c once it has its address
 * (qemuDomainAssignPCIAddresses): its <model name>, a pci-bridge's
 * chassisNr (its index), a root port's chassis (its index) and port
 * (slot << 3 | function), a switch downstream port's chassis and port (its
 * slot), an expander bus's busNr (two below the lowest busNr of @def;
 * libvirt's CONFIG_UNSUPPORTED error and -1 when that leaves none).
 */
int qemuPCIControllerFillDefaults(const virDomainDef *def, virDomainControllerDef *c);

/*
 * libvirt's checks of @def's PCI controllers before addresses are
 * assigned on @machine: roots only at index 0, the machine's own root
 * model there, pci-expander-bus only on i440fx, pcie-expander-bus only on
 * q35. -1 with libvirt's error.
 */
int qemuPCIControllersPostParse(const virDomainDef *def, const char *machine);

/*
 * libvirt's rules for the PCI controllers of @def on @machine (canonical
 * name), checked after the defaults are filled in: the models the
 * machine runs (pci-expander-bus only on i440fx, pcie-expander-bus only on
 * q35), the index of roots (0) and of the others (> 0), the <model name>s
 * each model takes, which <target> options each model needs or refuses,
 * a NUMA node that <cpu><numa> has, a pci-bridge's index above its bus.
 * -1 with libvirt's error for the first controller that breaks one.
 */
int qemuValidatePCIControllers(const virDomainDef *def, const char *machine);
