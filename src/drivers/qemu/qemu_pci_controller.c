/* qemu_pci_controller.c: the PCI controller models as libvirt 9.0's QEMU driver runs them */

#define G_LOG_DOMAIN "virtkit.qemu.pci"

#include <string.h>

#include "qemu_pci_controller.h"
#include "qemu_command.h"
#include "qemu_domain_address.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

#define HP QEMU_PCI_CONNECT_HOTPLUG

/* libvirt's virDomainPCIAddressBusSetModel and
 * virDomainPCIControllerModelToConnectType, per model. */
static const qemuPCIControllerModel models[] = {
    { "pci-root", NULL, 0,
      QEMU_PCI_CONNECT_PCI_DEVICE | QEMU_PCI_CONNECT_PCI_BRIDGE |
          QEMU_PCI_CONNECT_PCI_EXPANDER_BUS | HP,
      1, 31 },
    { "pcie-root", NULL, 0,
      QEMU_PCI_CONNECT_PCIE_DEVICE | QEMU_PCI_CONNECT_ROOT_PORT |
          QEMU_PCI_CONNECT_DMI_TO_PCI_BRIDGE | QEMU_PCI_CONNECT_PCIE_EXPANDER_BUS,
      1, 31 },
    { "pci-bridge", "pci-bridge", QEMU_PCI_CONNECT_PCI_BRIDGE,
      QEMU_PCI_CONNECT_PCI_DEVICE | QEMU_PCI_CONNECT_PCI_BRIDGE | HP, 1, 31 },
    { "dmi-to-pci-bridge", "i82801b11-bridge", QEMU_PCI_CONNECT_DMI_TO_PCI_BRIDGE,
      QEMU_PCI_CONNECT_PCI_DEVICE | QEMU_PCI_CONNECT_PCI_BRIDGE, 0, 31 },
    { "pcie-root-port", "pcie-root-port",
      QEMU_PCI_CONNECT_ROOT_PORT | QEMU_PCI_CONNECT_AGGREGATE,
      QEMU_PCI_CONNECT_PCIE_DEVICE | QEMU_PCI_CONNECT_SWITCH_UPSTREAM |
          QEMU_PCI_CONNECT_PCIE_TO_PCI_BRIDGE | HP,
      0, 0 },
    { "pcie-switch-upstream-port", "x3130-upstream", QEMU_PCI_CONNECT_SWITCH_UPSTREAM,
      QEMU_PCI_CONNECT_SWITCH_DOWNSTREAM, 0, 31 },
    { "pcie-switch-downstream-port", "xio3130-downstream",
      QEMU_PCI_CONNECT_SWITCH_DOWNSTREAM,
      QEMU_PCI_CONNECT_PCIE_DEVICE | QEMU_PCI_CONNECT_SWITCH_UPSTREAM |
          QEMU_PCI_CONNECT_PCIE_TO_PCI_BRIDGE | HP,
      0, 0 },
    { "pci-expander-bus", "pxb", QEMU_PCI_CONNECT_PCI_EXPANDER_BUS,
      QEMU_PCI_CONNECT_PCI_DEVICE | QEMU_PCI_CONNECT_PCI_BRIDGE | HP, 0, 31 },
    { "pcie-expander-bus", "pxb-pcie", QEMU_PCI_CONNECT_PCIE_EXPANDER_BUS,
      QEMU_PCI_CONNECT_ROOT_PORT | QEMU_PCI_CONNECT_DMI_TO_PCI_BRIDGE, 0, 31 },
    { "pcie-to-pci-bridge", "pcie-pci-bridge", QEMU_PCI_CONNECT_PCIE_TO_PCI_BRIDGE,
      QEMU_PCI_CONNECT_PCI_DEVICE | QEMU_PCI_CONNECT_PCI_BRIDGE | HP, 1, 31 },
};

const qemuPCIControllerModel *
qemuPCIControllerModelLookup(const char *model)
{
    for (size_t i = 0; model && i < G_N_ELEMENTS(models); i++) {
        if (g_str_equal(models[i].model, model))
            return &models[i];
    }
    return NULL;
}

/* libvirt's qemuDomainAddressFindNewBusNr: two below the lowest busNr
 * (one for the expander bus, one for the bridge inside it); -1 when that
 * leaves none. */
static int
findNewBusNr(const virDomainDef *def)
{
    int lowest = 256;

    for (size_t i = 0; i < def->ncontrollers; i++) {
        const virDomainControllerDef *c = def->controllers[i];

        if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_PCI && c->targetBusNr >= 0)
            lowest = MIN(lowest, c->targetBusNr);
    }
    return lowest <= 2 ? -1 : lowest - 2;
}

int
qemuPCIControllerFillDefaults(const virDomainDef *def, virDomainControllerDef *c)
{
    const qemuPCIControllerModel *m = qemuPCIControllerModelLookup(c->model);
    const virDomainDeviceAddress *a = &c->addr;
    bool pci = a->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI;

    if (c->type != VIR_DOMAIN_CONTROLLER_TYPE_PCI || !m)
        return 0;
    if (!c->modelName && m->defaultName)
        c->modelName = g_strdup(m->defaultName);
    if (g_str_equal(m->model, "pci-bridge")) {
        if (c->targetChassisNr < 0)
            c->targetChassisNr = c->idx;
    } else if (g_str_equal(m->model, "pcie-root-port")) {
        if (c->targetChassis < 0)
            c->targetChassis = c->idx;
        if (c->targetPort < 0 && pci)
            c->targetPort = (int)((a->slot << 3) + a->function);
    } else if (g_str_equal(m->model, "pcie-switch-downstream-port")) {
        if (c->targetChassis < 0)
            c->targetChassis = c->idx;
        if (c->targetPort < 0 && pci)
            c->targetPort = (int)a->slot;
    } else if (g_str_has_suffix(m->model, "-expander-bus")) {
        if (c->targetBusNr < 0)
            c->targetBusNr = findNewBusNr(def);
        if (c->targetBusNr < 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "No free busNr lower than current lowest busNr is available "
                           "to auto-assign to bus %u. Must be manually assigned",
                           a->bus);
            return -1;
        }
    }
    return 0;
}

/* ---- validation ----------------------------------------------------------- */

static const char *
nameOrNone(const virDomainControllerDef *c)
{
    return c->modelName ? c->modelName : "none";
}

static void
reportMissing(const virDomainControllerDef *c, const char *option)
{
    virReportError(VIR_ERR_INTERNAL_ERROR,
                   "Required option '%s' is not set for PCI controller with index '%d', "
                   "model '%s' and modelName '%s'",
                   option, c->idx, c->model, nameOrNone(c));
}

static void
reportInvalid(const virDomainControllerDef *c, const char *option)
{
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                   "Option '%s' is not valid for PCI controller with index '%d', model "
                   "'%s' and modelName '%s'",
                   option, c->idx, c->model, nameOrNone(c));
}

/* An option @set that model @c needs (@needed) or refuses. */
static bool
checkOption(const virDomainControllerDef *c, const char *option, bool set, bool needed)
{
    if (set == needed)
        return true;
    if (needed)
        reportMissing(c, option);
    else
        reportInvalid(c, option);
    return false;
}

/* libvirt's qemuValidateDomainDeviceDefControllerPCI, in its order. */
static int
validateOne(const virDomainControllerDef *c)
{
    const qemuPCIControllerModel *m = qemuPCIControllerModelLookup(c->model);
    bool root = !m->defaultName;
    bool expander = g_str_has_suffix(c->model, "-expander-bus");
    bool port = g_str_equal(c->model, "pcie-root-port") ||
                g_str_equal(c->model, "pcie-switch-downstream-port");
    bool nameOK;

    if (!checkOption(c, "modelName", c->modelName != NULL, !root))
        return -1;
    if (g_str_equal(c->model, "pcie-root-port"))
        nameOK = g_str_equal(c->modelName, "pcie-root-port") ||
                 g_str_equal(c->modelName, "ioh3420");
    else
        nameOK = root || g_str_equal(c->modelName, m->defaultName);
    if (!nameOK) {
        virReportError(
            VIR_ERR_CONFIG_UNSUPPORTED,
            "Option '%s' has invalid value for PCI controller with index '%d', "
            "model '%s' and modelName '%s'",
            "modelName", c->idx, c->model, nameOrNone(c));
        return -1;
    }
    if (root && c->idx != 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Index for '%s' controllers must be 0",
                       c->model);
        return -1;
    }
    if (!root && c->idx == 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Index for '%s' controllers must be > 0", c->model);
        return -1;
    }
    if (!checkOption(c, "targetIndex", c->targetIndex != -1, false) ||
        !checkOption(c, "busNr", c->targetBusNr != -1, expander) ||
        (!expander && !checkOption(c, "numaNode", c->targetNode != -1, false)) ||
        !checkOption(c, "chassisNr", c->targetChassisNr != -1,
                     g_str_equal(c->model, "pci-bridge")) ||
        !checkOption(c, "chassis", c->targetChassis != -1, port) ||
        !checkOption(c, "port", c->targetPort != -1, port))
        return -1;
    /* QEMU 7.2 has pci-root's acpi-root-pci-hotplug and the PCIe ports'
     * hotplug property */
    if (c->targetHotplug && !port && !g_str_equal(c->model, "pci-root")) {
        reportInvalid(c, "hotplug");
        return -1;
    }
    return 0;
}

int
qemuValidatePCIControllers(const virDomainDef *def, const char *machine)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const virDomainControllerDef *c = def->controllers[i];

        if (c->type != VIR_DOMAIN_CONTROLLER_TYPE_PCI || !c->model)
            continue;
        if (!qemuPCIControllerModelLookup(c->model)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "controller type 'pci' index %d model %s is not supported by "
                           "the QEMU driver on machine '%s'",
                           c->idx, c->model, machine);
            return -1;
        }
        if (validateOne(c) < 0)
            return -1;
        /* libvirt's: the 64-bit PCI hole of i440FX's and q35's host bridges */
        if (c->pcihole64 &&
            ((g_str_equal(c->model, "pci-root") && !qemuMachineIsI440FX(machine)) ||
             (g_str_equal(c->model, "pcie-root") && !qemuMachineIsQ35(machine)))) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "Setting the 64-bit PCI hole size is not supported for "
                           "machine '%s'",
                           machine);
            return -1;
        }
        if (c->targetNode >= 0 && (size_t)c->targetNode >= def->nnumaCells) {
            virReportError(VIR_ERR_XML_ERROR,
                           "%s with index %d is configured for a NUMA node (%d) not "
                           "present in the domain's <cpu><numa> array (%zu)",
                           c->model, c->idx, c->targetNode, def->nnumaCells);
            return -1;
        }
        if (g_str_equal(c->model, "pci-bridge") &&
            c->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI &&
            c->idx <= (int)c->addr.bus) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "PCI controller at index %d (0x%02x) has bus='0x%02x', but "
                           "index must be larger than bus",
                           c->idx, c->idx, c->addr.bus);
            return -1;
        }
    }
    return 0;
}

/*
 * libvirt's qemuDomainControllerDefPostParse for PCI controllers on
 * @machine, before any address is assigned: roots only at index 0 and the
 * machine's own root there, expander buses only on their machine.
 */
int
qemuPCIControllersPostParse(const virDomainDef *def, const char *machine)
{
    bool q35 = qemuMachineIsQ35(machine);
    const char *rootModel = q35 ? "pcie-root" : "pci-root";

    /* (the machine's root first: libvirt checks it before the devices) */
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const virDomainControllerDef *c = def->controllers[i];

        if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_PCI && c->idx == 0 && c->model &&
            !g_str_equal(c->model, rootModel)) {
            virReportError(
                VIR_ERR_XML_ERROR,
                "The PCI controller with index='0' must be model='%s' for this "
                "machine type, but model='%s' was found instead",
                rootModel, c->model);
            return -1;
        }
    }
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const virDomainControllerDef *c = def->controllers[i];

        if (c->type != VIR_DOMAIN_CONTROLLER_TYPE_PCI || !c->model)
            continue;
        if ((g_str_equal(c->model, "pci-root") || g_str_equal(c->model, "pcie-root")) &&
            c->idx != 0) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "pci-root and pcie-root controllers should have index 0");
            return -1;
        }
        if (g_str_equal(c->model, "pci-expander-bus") && !qemuMachineIsI440FX(machine)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "pci-expander-bus controllers are only supported on "
                           "440fx-based machinetypes");
            return -1;
        }
        if (g_str_equal(c->model, "pcie-expander-bus") && !q35) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "pcie-expander-bus controllers are not supported with this "
                           "machine type");
            return -1;
        }
    }
    return 0;
}
