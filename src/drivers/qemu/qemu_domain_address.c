/* qemu_domain_address.c: PCI/PCIe address assignment as libvirt does it, and the free-slot allocator */

#define G_LOG_DOMAIN "virtkit.qemu.address"

#include <string.h>
#include <sys/stat.h>

#include "qemu_domain_address.h"
#include "qemu_domain_address_nonpci.h"
#include "qemu_command.h"
#include "qemu_pci_controller.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

#define QEMU_PCI_MAX_BUSES 256
#define QEMU_PCI_SLOTS 32
#define QEMU_PCI_KIND_MASK 0x3ff
/* (internal) the address is for a device plugged into the running guest */
#define QEMU_PCI_FIND_LIVE (1u << 20)

typedef struct {
    bool present;         /* a PCI controller with this index exists */
    const char *model;    /* its model (borrowed from the def or static) */
    unsigned int accepts; /* qemuPCIConnectFlags it takes when assigning */
    unsigned int minSlot;
    unsigned int maxSlot;
    guint8 functions[QEMU_PCI_SLOTS]; /* bit N: function N in use */
    bool aggregate[QEMU_PCI_SLOTS];   /* the slot holds aggregatable devices */
    bool noHotplug;                   /* <target hotplug='off'>: nothing plugged live */
} qemuPCIBus;

struct _qemuPCIAddressSet {
    bool pcie; /* the root is a pcie-root (q35) */
    unsigned int nbuses;
    qemuPCIBus buses[QEMU_PCI_MAX_BUSES];
};

/* libvirt's bus properties per controller model (virDomainPCIAddressBusSetModel). */
static void
busSetModel(qemuPCIBus *bus, const char *model)
{
    const qemuPCIControllerModel *m = qemuPCIControllerModelLookup(model);

    bus->present = true;
    bus->model = model;
    bus->accepts = m ? m->accepts : 0;
    bus->minSlot = m ? m->minSlot : 0;
    bus->maxSlot = m ? m->maxSlot : 31;
}

unsigned int
qemuDomainPCIDeviceConnectFlags(const virDomainDef *def, const char *qemuDevice)
{
    /* PCIe-capable devices QEMU has (the rest are conventional PCI) */
    static const char *const pcie[] = {
        "virtio-net-pci",
        "virtio-blk-pci",
        "virtio-scsi-pci",
        "virtio-serial-pci",
        "virtio-balloon-pci",
        "virtio-rng-pci",
        "virtio-rng-pci-non-transitional",
        "virtio-gpu-pci",
        "virtio-vga",
        "virtio-mouse-pci",
        "virtio-tablet-pci",
        "virtio-keyboard-pci",
        "virtio-input-host-pci",
        "qemu-xhci",
        "nec-usb-xhci",
        "e1000e",
        "bochs-display",
        "virtio-9p-pci",
        "virtio-9p-pci-non-transitional",
        "virtio-pmem-pci",
        "virtio-mem-pci",
        "vhost-user-fs-pci",
        NULL,
    };
    bool pcieRoot = false;

    for (size_t i = 0; i < def->ncontrollers; i++) {
        const virDomainControllerDef *c = def->controllers[i];

        if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_PCI && c->idx == 0)
            pcieRoot = g_strcmp0(c->model, "pcie-root") == 0;
    }
    if (pcieRoot && qemuDevice && g_strv_contains(pcie, qemuDevice))
        return QEMU_PCI_CONNECT_PCIE_DEVICE | QEMU_PCI_CONNECT_HOTPLUG;
    return QEMU_PCI_CONNECT_PCI_DEVICE | QEMU_PCI_CONNECT_HOTPLUG;
}

char *
qemuDomainPCIBusName(const virDomainDef *def, unsigned int idx)
{
    if (idx == 0) {
        for (size_t i = 0; i < def->ncontrollers; i++) {
            const virDomainControllerDef *c = def->controllers[i];

            if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_PCI && c->idx == 0 &&
                g_strcmp0(c->model, "pcie-root") == 0)
                return g_strdup("pcie.0");
        }
    }
    return g_strdup_printf("pci.%u", idx);
}

/* ---- the set ------------------------------------------------------------ */

void
qemuPCIAddressSetFree(qemuPCIAddressSet *set)
{
    g_free(set);
}

static bool
busAccepts(const qemuPCIBus *bus, unsigned int flags)
{
    unsigned int kind = flags & QEMU_PCI_KIND_MASK;

    if (!bus->present || !(bus->accepts & kind) ||
        ((flags & QEMU_PCI_FIND_LIVE) && bus->noHotplug))
        return false;
    return !(flags & QEMU_PCI_CONNECT_HOTPLUG) ||
           (bus->accepts & QEMU_PCI_CONNECT_HOTPLUG);
}

static void
markUsed(qemuPCIAddressSet *set, unsigned int b, unsigned int slot, unsigned int fn,
         unsigned int flags)
{
    qemuPCIBus *bus = &set->buses[b];

    if (!bus->functions[slot] && (flags & QEMU_PCI_CONNECT_AGGREGATE))
        bus->aggregate[slot] = true;
    bus->functions[slot] |= (guint8)(1u << fn);
}

/* Whether @addr names an existing bus and a slot it has; libvirt's errors
 * otherwise. */
/* libvirt's virDomainPCIAddressFlagsCompatible for an address given in
 * the configuration: a conventional PCI device may sit where a PCIe one
 * does and the other way round, a pci-bridge where a PCI device may. */
static bool
addressCompatible(const qemuPCIBus *bus, const virDomainDeviceAddress *addr,
                  unsigned int flags, const char *str)
{
    static const struct {
        unsigned int kind;
        const char *what;
    } kinds[] = {
        { QEMU_PCI_CONNECT_PCI_DEVICE, "standard PCI device" },
        { QEMU_PCI_CONNECT_PCIE_DEVICE, "PCI Express device" },
        { QEMU_PCI_CONNECT_ROOT_PORT, "pcie-root-port" },
        { QEMU_PCI_CONNECT_SWITCH_UPSTREAM, "pcie-switch-upstream-port" },
        { QEMU_PCI_CONNECT_SWITCH_DOWNSTREAM, "pcie-switch-downstream-port" },
        { QEMU_PCI_CONNECT_DMI_TO_PCI_BRIDGE, "dmi-to-pci-bridge" },
        { QEMU_PCI_CONNECT_PCIE_TO_PCI_BRIDGE, "pcie-to-pci-bridge" },
        { QEMU_PCI_CONNECT_PCI_EXPANDER_BUS, "pci-expander-bus" },
        { QEMU_PCI_CONNECT_PCIE_EXPANDER_BUS, "pcie-expander-bus" },
        { QEMU_PCI_CONNECT_PCI_BRIDGE, "pci-bridge" },
    };
    const unsigned int endpoint =
        QEMU_PCI_CONNECT_PCI_DEVICE | QEMU_PCI_CONNECT_PCIE_DEVICE;
    unsigned int accepts = bus->accepts & QEMU_PCI_KIND_MASK;
    unsigned int kind = flags & QEMU_PCI_KIND_MASK;

    if (!kind)
        return true; /* a fixed function of the machine */
    if (accepts & endpoint)
        accepts |= endpoint;
    if (kind & QEMU_PCI_CONNECT_PCI_BRIDGE)
        kind |= QEMU_PCI_CONNECT_PCI_DEVICE;
    if (kind & accepts)
        return true;
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
        if (kind & kinds[i].kind) {
            virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, __func__,
                               "The device at PCI address %s cannot be plugged into the "
                               "PCI controller with index='%u'. It requires a controller "
                               "that accepts a %s.",
                               str, addr->bus, kinds[i].what);
            break;
        }
    }
    return false;
}

static bool
addressValid(const qemuPCIAddressSet *set, const virDomainDeviceAddress *addr,
             unsigned int flags)
{
    g_autofree char *str = virDomainPCIAddressAsString(addr);
    const qemuPCIBus *bus;

    if (addr->domain != 0) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, __func__,
                           "Invalid PCI address %s. Only PCI domain 0 is available", str);
        return false;
    }
    if (addr->bus >= set->nbuses || !set->buses[addr->bus].present) {
        virReportErrorFull(
            VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, __func__,
            "Invalid PCI address %s. Only PCI buses up to %u are available", str,
            set->nbuses ? set->nbuses - 1 : 0);
        return false;
    }
    bus = &set->buses[addr->bus];
    if (!addressCompatible(bus, addr, flags, str))
        return false;
    if (addr->slot < bus->minSlot) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, __func__,
                           "Invalid PCI address %s. slot must be >= %u", str,
                           bus->minSlot);
        return false;
    }
    if (addr->slot > bus->maxSlot) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, __func__,
                           "Invalid PCI address %s. slot must be <= %u", str,
                           bus->maxSlot);
        return false;
    }
    return true;
}

int
qemuPCIAddressReserveLive(qemuPCIAddressSet *set, const virDomainDeviceAddress *addr,
                          unsigned int flags)
{
    if (addr->type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI ||
        !addressValid(set, addr, flags))
        return -1;
    /* libvirt's virDomainPCIAddressFlagsCompatible for an address not from
     * the configuration: the device needs a bus it can be plugged into */
    if (set->buses[addr->bus].noHotplug) {
        g_autofree char *str = virDomainPCIAddressAsString(addr);

        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, __func__,
                           "The device at PCI address %s requires hotplug capability, "
                           "but the PCI controller with index='%u' doesn't support "
                           "hotplug",
                           str, addr->bus);
        return -1;
    }
    return qemuPCIAddressReserve(set, addr, flags);
}

int
qemuPCIAddressReserve(qemuPCIAddressSet *set, const virDomainDeviceAddress *addr,
                      unsigned int flags)
{
    if (addr->type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI ||
        !addressValid(set, addr, flags))
        return -1;
    if (set->buses[addr->bus].functions[addr->slot] & (1u << addr->function)) {
        g_autofree char *str = virDomainPCIAddressAsString(addr);

        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, __func__,
                           "Attempted double use of PCI Address %s", str);
        return -1;
    }
    markUsed(set, addr->bus, addr->slot, addr->function, flags);
    return 0;
}

void
qemuPCIAddressRelease(qemuPCIAddressSet *set, const virDomainDeviceAddress *addr)
{
    qemuPCIBus *bus;

    if (addr->type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI || addr->bus >= set->nbuses ||
        addr->slot >= QEMU_PCI_SLOTS || addr->function > 7)
        return;
    bus = &set->buses[addr->bus];
    bus->functions[addr->slot] &= (guint8) ~(1u << addr->function);
    if (!bus->functions[addr->slot])
        bus->aggregate[addr->slot] = false;
}

/* libvirt's error for a full machine (its domain_addr.c's, hence
 * VIR_FROM_DOMAIN) */
static void
reportNoSlot(void)
{
    virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_INTERNAL_ERROR, __func__, "%s",
                       "No more available PCI slots");
}

/* The first free address for @flags, or false (nothing reported). */
static bool
findNext(const qemuPCIAddressSet *set, unsigned int flags, unsigned int *b,
         unsigned int *s, unsigned int *f)
{
    for (unsigned int i = 0; i < set->nbuses; i++) {
        const qemuPCIBus *bus = &set->buses[i];

        if (!busAccepts(bus, flags))
            continue;
        for (unsigned int slot = bus->minSlot; slot <= bus->maxSlot; slot++) {
            guint8 used = bus->functions[slot];

            if (!used) {
                *b = i, *s = slot, *f = 0;
                return true;
            }
            if ((flags & QEMU_PCI_CONNECT_AGGREGATE) && bus->aggregate[slot] &&
                used != 0xff) {
                unsigned int fn = 0;

                while (used & (1u << fn))
                    fn++;
                *b = i, *s = slot, *f = fn;
                return true;
            }
        }
    }
    return false;
}

static void
setPCI(virDomainDeviceAddress *addr, unsigned int b, unsigned int s, unsigned int f)
{
    memset(addr, 0, sizeof(*addr));
    addr->type = VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI;
    addr->bus = b;
    addr->slot = s;
    addr->function = f;
}

int
qemuPCIAddressReserveNext(qemuPCIAddressSet *set, unsigned int flags,
                          virDomainDeviceAddress *addr)
{
    unsigned int b, s, f;

    /* libvirt's virDomainPCIAddressEnsureAddr: a bus that takes hotplug */
    if (!findNext(set, flags | QEMU_PCI_FIND_LIVE, &b, &s, &f)) {
        reportNoSlot();
        return -1;
    }
    markUsed(set, b, s, f, flags);
    setPCI(addr, b, s, f);
    return 0;
}

/* ---- the definition's devices, in libvirt's assignment order ------------ */

typedef struct {
    virDomainDeviceAddress *addr;
    unsigned int flags;
    virDomainControllerDef *ctrl; /* when the device is a controller */
} qemuPCIDevice;

static const char *
usbControllerDevice(const char *model)
{
    static const char *const map[][2] = {
        { "piix3-uhci", "piix3-usb-uhci" },
        { "piix4-uhci", "piix4-usb-uhci" },
        { "ehci", "usb-ehci" },
        { "ich9-ehci1", "ich9-usb-ehci1" },
        { "ich9-uhci1", "ich9-usb-uhci1" },
        { "ich9-uhci2", "ich9-usb-uhci2" },
        { "ich9-uhci3", "ich9-usb-uhci3" },
        { "vt82c686b-uhci", "vt82c686b-usb-uhci" },
        { "pci-ohci", "pci-ohci" },
        { "nec-xhci", "nec-usb-xhci" },
        { "qemu-xhci", "qemu-xhci" },
    };

    for (size_t i = 0; model && i < G_N_ELEMENTS(map); i++) {
        if (g_str_equal(map[i][0], model))
            return map[i][1];
    }
    return NULL;
}

static bool
isUSBCompanion(const virDomainControllerDef *c)
{
    return c->type == VIR_DOMAIN_CONTROLLER_TYPE_USB && c->model &&
           g_str_has_prefix(c->model, "ich9-uhci");
}

static unsigned int
controllerFlags(const virDomainDef *def, const virDomainControllerDef *c)
{
    if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_PCI) {
        const qemuPCIControllerModel *m = qemuPCIControllerModelLookup(c->model);

        return m ? m->plugsAs : QEMU_PCI_CONNECT_PCI_BRIDGE;
    }
    if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_USB)
        return qemuDomainPCIDeviceConnectFlags(def, usbControllerDevice(c->model));
    if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL)
        return qemuDomainPCIDeviceConnectFlags(
            def,
            c->model && !g_str_equal(c->model, "virtio") ? NULL : "virtio-serial-pci");
    if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_SCSI)
        return qemuDomainPCIDeviceConnectFlags(def, qemuSCSIControllerDevice(c->model));
    return qemuDomainPCIDeviceConnectFlags(def, NULL);
}

/* Controllers the machine has built in (no PCI address to assign). */
static bool
controllerIsBuiltin(const virDomainDef *def, const virDomainControllerDef *c, bool q35)
{
    (void)def;
    if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_PCI && c->idx == 0)
        return true; /* the root */
    if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_USB && g_strcmp0(c->model, "none") == 0)
        return true;
    if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_FDC ||
        c->type == VIR_DOMAIN_CONTROLLER_TYPE_ISA)
        return true;
    if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_SATA && q35 && c->idx == 0)
        return true;
    if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_IDE && !q35 && c->idx == 0)
        return true;
    return false;
}

static const char *
rngDevice(const virDomainRNGDef *r)
{
    /* a transitional device is conventional PCI (NULL), as libvirt places
     * it; a non-transitional one PCI Express like plain virtio */
    if (g_str_equal(r->model, "virtio-non-transitional"))
        return "virtio-rng-pci-non-transitional";
    return g_str_equal(r->model, "virtio") ? "virtio-rng-pci" : NULL;
}

/* How a hostdev plugs into PCI (0: not at all), as libvirt 9.0's
 * qemuDomainDeviceCalculatePCIConnectFlags: a host PCI device is PCI
 * Express unless its configuration space says otherwise (one that is not
 * there counts as Express; one with an address keeps it), an mdev of
 * model vfio-pci is Express, vhost-scsi follows the virtio rules. */
static unsigned int
hostdevFlags(const virDomainDef *def, const virDomainHostdevDef *h)
{
    unsigned int pcie = qemuDomainPCIDeviceConnectFlags(def, "virtio-net-pci");
    unsigned int pci = qemuDomainPCIDeviceConnectFlags(def, NULL);

    if (h->mode != VIR_DOMAIN_HOSTDEV_MODE_SUBSYS || h->unassigned)
        return 0;
    switch (h->type) {
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_PCI: {
        g_autofree char *config = NULL;
        struct stat st;

        if (h->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI)
            return pcie;
        config = g_strdup_printf("/sys/bus/pci/devices/%04x:%02x:%02x.%x/config",
                                 h->pciDomain, h->pciBus, h->pciSlot, h->pciFunction);
        /* a conventional device has 256 bytes of configuration space */
        if (stat(config, &st) == 0 && st.st_size <= 256)
            return pci;
        return pcie;
    }
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_MDEV:
        return h->mdevModel == VIR_DOMAIN_HOSTDEV_MDEV_MODEL_VFIO_PCI ? pcie : 0;
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI_HOST:
        return h->vhostModel == VIR_DOMAIN_HOSTDEV_VHOST_MODEL_VIRTIO_TRANSITIONAL ? pci
                                                                                   : pcie;
    default:
        return 0;
    }
}

/* Every device with a PCI address (or one to get), in libvirt's order. */
static GArray *
collectDevices(const virDomainDef *cdef, bool q35)
{
    virDomainDef *def = (virDomainDef *)cdef;
    GArray *devs = g_array_new(FALSE, TRUE, sizeof(qemuPCIDevice));

#define ADD(a, fl, c)                          \
    do {                                       \
        qemuPCIDevice d_ = { (a), (fl), (c) }; \
        g_array_append_val(devs, d_);          \
    } while (0)

    for (size_t i = 0; i < def->ncontrollers; i++) {
        virDomainControllerDef *c = def->controllers[i];

        if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_PCI &&
            !controllerIsBuiltin(def, c, q35))
            ADD(&c->addr, controllerFlags(def, c), c);
    }
    /* libvirt's order: the filesystems before the interfaces */
    for (size_t i = 0; i < def->nfss; i++)
        ADD(&def->fss[i]->addr,
            qemuDomainPCIDeviceConnectFlags(def, qemuFSDeviceModel(def->fss[i])), NULL);
    for (size_t i = 0; i < def->nnets; i++)
        ADD(&def->nets[i]->addr,
            qemuDomainPCIDeviceConnectFlags(def, qemuNetModel(def->nets[i])), NULL);
    /* sound cards other than q35's first ICH9 (a fixed function) */
    for (size_t i = 0; i < def->nsounds; i++) {
        const char *dev = qemuSoundDevice(def->sounds[i]->model);

        if (dev && !g_str_equal(def->sounds[i]->model, "usb") &&
            !g_str_equal(def->sounds[i]->model, "sb16"))
            ADD(&def->sounds[i]->addr, qemuDomainPCIDeviceConnectFlags(def, dev), NULL);
    }
    for (size_t i = 0; i < def->ncontrollers; i++) {
        virDomainControllerDef *c = def->controllers[i];

        /* a CCID reader sits on USB */
        if (c->type != VIR_DOMAIN_CONTROLLER_TYPE_PCI &&
            c->type != VIR_DOMAIN_CONTROLLER_TYPE_CCID &&
            !controllerIsBuiltin(def, c, q35))
            ADD(&c->addr, controllerFlags(def, c), c);
    }
    for (size_t i = 0; i < def->ndisks; i++) {
        if (qemuDiskBus(def->disks[i]) == VIR_DOMAIN_DISK_BUS_VIRTIO)
            ADD(&def->disks[i]->addr,
                qemuDomainPCIDeviceConnectFlags(def, "virtio-blk-pci"), NULL);
    }
    /* libvirt's order: the host devices after the disks */
    for (size_t i = 0; i < def->nhostdevs; i++) {
        virDomainHostdevDef *h = def->hostdevs[i];
        unsigned int fl = hostdevFlags(def, h);

        if (fl)
            ADD(&h->addr, fl, NULL);
    }
    if (def->memballoon && def->memballoon->model == VIR_DOMAIN_MEMBALLOON_MODEL_VIRTIO)
        ADD(&def->memballoon->addr,
            qemuDomainPCIDeviceConnectFlags(def, "virtio-balloon-pci"), NULL);
    for (size_t i = 0; i < def->nrngs; i++)
        ADD(&def->rngs[i]->addr,
            qemuDomainPCIDeviceConnectFlags(def, rngDevice(def->rngs[i])), NULL);
    /* libvirt's order: the watchdog after the RNGs; i6300esb is PCI only */
    if (def->watchdog && def->watchdog->model == VIR_DOMAIN_WATCHDOG_MODEL_I6300ESB)
        ADD(&def->watchdog->addr, qemuDomainPCIDeviceConnectFlags(def, "i6300esb"), NULL);
    for (size_t i = 0; i < def->nvideos; i++) {
        const char *t = def->videos[i]->type;

        if (g_str_equal(t, "none"))
            continue;
        ADD(&def->videos[i]->addr,
            qemuDomainPCIDeviceConnectFlags(
                def, g_str_equal(t, "virtio")
                         ? "virtio-gpu-pci"
                         : (g_str_equal(t, "bochs") ? "bochs-display" : NULL)),
            NULL);
    }
    for (size_t i = 0; i < def->ninputs; i++) {
        if (def->inputs[i].bus == VIR_DOMAIN_INPUT_BUS_VIRTIO)
            ADD(&def->inputs[i].addr,
                qemuDomainPCIDeviceConnectFlags(def, "virtio-tablet-pci"), NULL);
    }
    /* libvirt's order: the virtio memory devices last */
    for (size_t i = 0; i < def->nmems; i++) {
        virDomainMemoryDef *m = def->mems[i];

        if (m->model == VIR_DOMAIN_MEMORY_MODEL_VIRTIO_PMEM ||
            m->model == VIR_DOMAIN_MEMORY_MODEL_VIRTIO_MEM)
            ADD(&m->addr,
                qemuDomainPCIDeviceConnectFlags(
                    def, m->model == VIR_DOMAIN_MEMORY_MODEL_VIRTIO_MEM
                             ? "virtio-mem-pci"
                             : "virtio-pmem-pci"),
                NULL);
    }
#undef ADD
    return devs;
}

/* Builtin controllers at their fixed addresses: nothing to reserve on top
 * of the machine's reserved slot when they sit there. */
static bool
isFixedBuiltin(const virDomainControllerDef *c, bool q35)
{
    const virDomainDeviceAddress *a = &c->addr;

    if (a->type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI || a->bus != 0)
        return false;
    if (q35)
        return c->type == VIR_DOMAIN_CONTROLLER_TYPE_SATA && c->idx == 0 &&
               a->slot == 0x1f;
    return a->slot == 1 && ((c->type == VIR_DOMAIN_CONTROLLER_TYPE_IDE && c->idx == 0) ||
                            (c->type == VIR_DOMAIN_CONTROLLER_TYPE_USB && c->idx == 0 &&
                             g_strcmp0(c->model, "piix3-uhci") == 0));
}

qemuPCIAddressSet *
qemuPCIAddressSetNew(const virDomainDef *def, const char *machine)
{
    g_autoptr(qemuPCIAddressSet) set = g_new0(qemuPCIAddressSet, 1);
    bool q35 = qemuMachineIsQ35(machine);
    g_autoptr(GArray) devs = NULL;

    set->pcie = q35;
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const virDomainControllerDef *c = def->controllers[i];

        if (c->type != VIR_DOMAIN_CONTROLLER_TYPE_PCI || c->idx < 0 ||
            c->idx >= QEMU_PCI_MAX_BUSES)
            continue;
        busSetModel(&set->buses[c->idx],
                    c->idx == 0 ? (q35 ? "pcie-root" : "pci-root") : c->model);
        set->buses[c->idx].noHotplug = c->targetHotplug == VIR_DOMAIN_TRISTATE_OFF;
        set->nbuses = MAX(set->nbuses, (unsigned int)c->idx + 1);
    }
    if (!set->buses[0].present) {
        busSetModel(&set->buses[0], q35 ? "pcie-root" : "pci-root");
        set->nbuses = MAX(set->nbuses, 1);
    }
    /* the machine's own functions: q35's LPC/SATA/SMBus, i440fx's PIIX3 */
    set->buses[0].functions[q35 ? 0x1f : 0x01] = 0xff;

    for (size_t i = 0; i < def->ncontrollers; i++) {
        const virDomainControllerDef *c = def->controllers[i];

        if (c->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI &&
            !virDomainDeviceAddressIsEmptyPCI(&c->addr) &&
            controllerIsBuiltin(def, c, q35) && !isFixedBuiltin(c, q35) &&
            qemuPCIAddressReserve(set, &c->addr, 0) < 0)
            return NULL;
    }
    devs = collectDevices(def, q35);
    for (guint i = 0; i < devs->len; i++) {
        qemuPCIDevice *d = &g_array_index(devs, qemuPCIDevice, i);

        if (d->addr->type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI ||
            virDomainDeviceAddressIsEmptyPCI(d->addr) ||
            (d->ctrl && isFixedBuiltin(d->ctrl, q35)))
            continue;
        if (qemuPCIAddressReserve(set, d->addr, d->flags) < 0)
            return NULL;
    }
    return g_steal_pointer(&set);
}

/* ---- define-time assignment --------------------------------------------- */

static virDomainControllerDef *
findController(const virDomainDef *def, int type, int idx, const char *model)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        virDomainControllerDef *c = def->controllers[i];

        if (c->type == type && (idx < 0 || c->idx == idx) &&
            (!model || g_strcmp0(c->model, model) == 0))
            return c;
    }
    return NULL;
}

/* libvirt's virDomainDefAddController: appended, not sorted in (a parse
 * of the formatted XML places it by index, as libvirt's does). */
static virDomainControllerDef *
appendController(virDomainDef *def, int type, int idx, const char *model)
{
    virDomainControllerDef *c = virDomainControllerDefNew(type);

    c->idx = idx;
    c->model = g_strdup(model);
    def->controllers =
        g_renew(virDomainControllerDef *, def->controllers, def->ncontrollers + 2);
    def->controllers[def->ncontrollers++] = c;
    def->controllers[def->ncontrollers] = NULL;
    return c;
}

/* Move controller @c (of @pool) to the end of def's controllers. */
static void
takeController(virDomainDef *def, GPtrArray *pool, virDomainControllerDef *c)
{
    g_ptr_array_remove(pool, c);
    def->controllers =
        g_renew(virDomainControllerDef *, def->controllers, def->ncontrollers + 2);
    def->controllers[def->ncontrollers++] = c;
    def->controllers[def->ncontrollers] = NULL;
}

/* The controller a default stands for: an explicit one (nothing to add),
 * one the parser added for a device (moved into the default's place), or
 * a new one. */
static void
addDefaultController(virDomainDef *def, GPtrArray *pool, int type, int idx,
                     const char *model)
{
    if (findController(def, type, idx, NULL))
        return;
    for (guint i = 0; i < pool->len; i++) {
        virDomainControllerDef *c = g_ptr_array_index(pool, i);

        if (c->type == type && (idx < 0 || c->idx == idx)) {
            takeController(def, pool, c);
            return;
        }
    }
    appendController(def, type, idx < 0 ? 0 : idx, model);
}

/*
 * What libvirt's QEMU driver adds by default (qemuDomainDefAddDefaultDevices
 * and its post-parse), in libvirt's order: the machine's USB controller,
 * q35's SATA controller, the PCI root, then the controllers the parser
 * added for devices (virDomainDefAddImplicitControllers runs after the
 * driver's defaults in libvirt); a virtio memballoon; the PS/2 mouse and
 * keyboard; isa-serial targets.
 */
static void
addDefaultDevices(virDomainDef *def, bool q35, bool i440fx)
{
    g_autoptr(GPtrArray) pool = g_ptr_array_new();
    size_t n = 0;

    if (!q35 && !i440fx)
        return;
    for (size_t i = 0; i < def->ncontrollers; i++) {
        virDomainControllerDef *c = def->controllers[i];

        if (c->implicit)
            g_ptr_array_add(pool, c);
        else
            def->controllers[n++] = c;
    }
    def->ncontrollers = n;
    if (def->controllers)
        def->controllers[n] = NULL;
    addDefaultController(def, pool, VIR_DOMAIN_CONTROLLER_TYPE_USB, -1,
                         q35 ? "qemu-xhci" : "piix3-uhci");
    if (q35)
        addDefaultController(def, pool, VIR_DOMAIN_CONTROLLER_TYPE_SATA, 0, NULL);
    addDefaultController(def, pool, VIR_DOMAIN_CONTROLLER_TYPE_PCI, 0,
                         q35 ? "pcie-root" : "pci-root");
    while (pool->len > 0)
        takeController(def, pool, g_ptr_array_index(pool, 0));
    for (size_t i = 0; i < def->ncontrollers; i++)
        def->controllers[i]->implicit = false;
    /* an explicit model-less USB controller is the machine's default */
    for (size_t i = 0; i < def->ncontrollers; i++) {
        virDomainControllerDef *c = def->controllers[i];

        if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_USB && !c->model && c->idx == 0)
            c->model = g_strdup(q35 ? "qemu-xhci" : "piix3-uhci");
        /* libvirt's qemuDomainGetSCSIControllerModel on x86 for no model
         * or 'auto': this QEMU has the LSI 53C895A */
        if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_SCSI &&
            (!c->model || g_str_equal(c->model, "auto"))) {
            g_free(c->model);
            c->model = g_strdup("lsilogic");
        }
    }
    if (!def->memballoon) {
        def->memballoon = g_new0(virDomainMemballoonDef, 1);
        def->memballoon->model = VIR_DOMAIN_MEMBALLOON_MODEL_VIRTIO;
    }
    /* x86 machines have a PS/2 mouse and keyboard: libvirt lists them */
    for (int type = VIR_DOMAIN_INPUT_TYPE_MOUSE; type <= VIR_DOMAIN_INPUT_TYPE_KBD;
         type++) {
        bool found = false;

        if (type == VIR_DOMAIN_INPUT_TYPE_TABLET)
            continue;
        for (size_t i = 0; i < def->ninputs && !found; i++)
            found = def->inputs[i].type == type &&
                    def->inputs[i].bus == VIR_DOMAIN_INPUT_BUS_PS2;
        if (found)
            continue;
        def->inputs = g_renew(virDomainInputDef, def->inputs, def->ninputs + 1);
        memset(&def->inputs[def->ninputs], 0, sizeof(def->inputs[0]));
        def->inputs[def->ninputs].type = type;
        def->inputs[def->ninputs].bus = VIR_DOMAIN_INPUT_BUS_PS2;
        def->ninputs++;
    }
    for (size_t i = 0; i < def->nserials; i++) {
        virDomainChrDef *chr = def->serials[i];

        if (chr->targetType == VIR_DOMAIN_CHR_TARGET_NONE)
            chr->targetType = VIR_DOMAIN_CHR_TARGET_ISA_SERIAL;
        if (chr->targetType == VIR_DOMAIN_CHR_TARGET_ISA_SERIAL && !chr->targetModel)
            chr->targetModel = g_strdup("isa-serial");
    }
}

static int
maxControllerIndex(const virDomainDef *def, int type)
{
    int max = -1;

    for (size_t i = 0; i < def->ncontrollers; i++) {
        if (def->controllers[i]->type == type)
            max = MAX(max, def->controllers[i]->idx);
    }
    return max;
}

/* The defaults a PCI controller gets as soon as it is placed (an expander
 * bus's busNr waits for the end of the assignment, as in libvirt). */
static void
fillPCIControllerTarget(const virDomainDef *def, virDomainControllerDef *c)
{
    if (c->model && !g_str_has_suffix(c->model, "-expander-bus"))
        (void)qemuPCIControllerFillDefaults(def, c);
}

static int assignGrow(virDomainDef *def, qemuPCIAddressSet *set, unsigned int flags,
                      virDomainDeviceAddress *addr, int depth);

/* The controller model a connect kind stands for (libvirt's
 * virDomainPCIControllerConnectTypeToModel); NULL for endpoints. */
static const char *
controllerKindModel(unsigned int flags)
{
    static const struct {
        unsigned int kind;
        const char *model;
    } map[] = {
        { QEMU_PCI_CONNECT_ROOT_PORT, "pcie-root-port" },
        { QEMU_PCI_CONNECT_SWITCH_UPSTREAM, "pcie-switch-upstream-port" },
        { QEMU_PCI_CONNECT_SWITCH_DOWNSTREAM, "pcie-switch-downstream-port" },
        { QEMU_PCI_CONNECT_DMI_TO_PCI_BRIDGE, "dmi-to-pci-bridge" },
        { QEMU_PCI_CONNECT_PCIE_TO_PCI_BRIDGE, "pcie-to-pci-bridge" },
        { QEMU_PCI_CONNECT_PCI_EXPANDER_BUS, "pci-expander-bus" },
        { QEMU_PCI_CONNECT_PCIE_EXPANDER_BUS, "pcie-expander-bus" },
        { QEMU_PCI_CONNECT_PCI_BRIDGE, "pci-bridge" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(map); i++) {
        if (flags & map[i].kind)
            return map[i].model;
    }
    return NULL;
}

/* Add a PCI controller of @model (next index), plug it in, make it a bus. */
static int
addPCIController(virDomainDef *def, qemuPCIAddressSet *set, const char *model, int depth)
{
    virDomainControllerDef probe = { .type = VIR_DOMAIN_CONTROLLER_TYPE_PCI,
                                     .model = (char *)model };
    unsigned int flags = controllerFlags(def, &probe);
    unsigned int b, s, f;
    virDomainControllerDef *c;
    int idx;

    /* what it plugs into comes first, with the lower index (libvirt adds
     * the pcie-root-port before the pcie-to-pci-bridge it holds) */
    if (!findNext(set, flags, &b, &s, &f) && set->pcie && depth < 4 &&
        (flags & QEMU_PCI_CONNECT_PCIE_TO_PCI_BRIDGE) &&
        addPCIController(def, set, "pcie-root-port", depth + 1) < 0)
        return -1;
    idx = maxControllerIndex(def, VIR_DOMAIN_CONTROLLER_TYPE_PCI) + 1;
    if (idx >= QEMU_PCI_MAX_BUSES) {
        reportNoSlot();
        return -1;
    }
    c = appendController(def, VIR_DOMAIN_CONTROLLER_TYPE_PCI, idx, model);
    if (assignGrow(def, set, flags, &c->addr, depth + 1) < 0)
        return -1;
    busSetModel(&set->buses[idx], c->model);
    set->nbuses = MAX(set->nbuses, (unsigned int)idx + 1);
    fillPCIControllerTarget(def, c);
    return 0;
}

/* The next free address for @flags; on q35 the controllers a device needs
 * are added as libvirt adds them (a pcie-root-port per PCIe device, a
 * pcie-to-pci-bridge for conventional PCI ones). */
static int
assignGrow(virDomainDef *def, qemuPCIAddressSet *set, unsigned int flags,
           virDomainDeviceAddress *addr, int depth)
{
    unsigned int b, s, f;
    const char *model = NULL;

    if (findNext(set, flags, &b, &s, &f)) {
        markUsed(set, b, s, f, flags);
        setPCI(addr, b, s, f);
        return 0;
    }
    if (set->pcie && depth < 4) {
        if (flags & (QEMU_PCI_CONNECT_PCIE_DEVICE | QEMU_PCI_CONNECT_SWITCH_UPSTREAM |
                     QEMU_PCI_CONNECT_PCIE_TO_PCI_BRIDGE)) {
            model = "pcie-root-port";
        } else if (flags & QEMU_PCI_CONNECT_PCI_DEVICE) {
            /* libvirt's virDomainPCIAddressSetGrow: a pci-bridge where a
             * bus takes one (a dmi-to-pci-bridge, a pcie-to-pci-bridge),
             * else a pcie-root-port holding a pcie-to-pci-bridge */
            model = "pcie-to-pci-bridge";
            for (unsigned int i = 0; i < set->nbuses; i++) {
                if (set->buses[i].present &&
                    (set->buses[i].accepts & QEMU_PCI_CONNECT_PCI_BRIDGE))
                    model = "pci-bridge";
            }
        }
    }
    if (!model) {
        const char *cont = controllerKindModel(flags);

        if (cont)
            virReportErrorFull(
                VIR_FROM_DOMAIN, VIR_ERR_INTERNAL_ERROR, __func__,
                "a PCI slot is needed to connect a PCI controller model='%s', "
                "but none is available, and it cannot be automatically added",
                cont);
        else
            reportNoSlot();
        return -1;
    }
    if (addPCIController(def, set, model, depth) < 0)
        return -1;
    return assignGrow(def, set, flags, addr, depth + 1);
}

/*
 * i440fx: libvirt adds a pci-bridge (chassisNr its index) when pci.0's
 * slots run out, before any address is assigned: as many as the devices
 * still without an address need, each taking a slot of the bus before it
 * and giving 31 (slots 1-31). The USB2 companions share their master's
 * slot and count as one.
 */
static int
addPCIBridges(virDomainDef *def, const char *machine)
{
    g_autoptr(qemuPCIAddressSet) set = NULL;
    g_autoptr(GArray) devs = NULL;
    unsigned int freeSlots = 0;
    unsigned int need = 0;

    if (!(set = qemuPCIAddressSetNew(def, machine)))
        return -1;
    for (unsigned int b = 0; b < set->nbuses; b++) {
        const qemuPCIBus *bus = &set->buses[b];

        if (!bus->present || !(bus->accepts & QEMU_PCI_CONNECT_PCI_DEVICE))
            continue;
        for (unsigned int s = bus->minSlot; s <= bus->maxSlot; s++)
            freeSlots += bus->functions[s] == 0;
    }
    devs = collectDevices(def, false);
    for (guint i = 0; i < devs->len; i++) {
        const qemuPCIDevice *d = &g_array_index(devs, qemuPCIDevice, i);

        if ((d->addr->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE ||
             virDomainDeviceAddressIsEmptyPCI(d->addr)) &&
            !(d->ctrl && isUSBCompanion(d->ctrl)))
            need++;
    }
    while (need > freeSlots) {
        int idx = maxControllerIndex(def, VIR_DOMAIN_CONTROLLER_TYPE_PCI) + 1;

        if (idx >= QEMU_PCI_MAX_BUSES) {
            reportNoSlot();
            return -1;
        }
        fillPCIControllerTarget(def, appendController(def, VIR_DOMAIN_CONTROLLER_TYPE_PCI,
                                                      idx, "pci-bridge"));
        need++;
        freeSlots += 31;
    }
    return 0;
}

/* The USB2 set of one index: EHCI master at function 7, companions uhciN
 * at function N-1 of the same slot (uhci1 multifunction) (00:1d on q35 for index 0, slot @want
 * of bus 0 when >= 0). */
static int
assignUSB2Group(virDomainDef *def, qemuPCIAddressSet *set, int idx, bool q35, int want)
{
    virDomainControllerDef *master =
        findController(def, VIR_DOMAIN_CONTROLLER_TYPE_USB, idx, "ich9-ehci1");
    unsigned int slot;
    unsigned int bus = 0;

    if (master && master->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI &&
        !virDomainDeviceAddressIsEmptyPCI(&master->addr)) {
        bus = master->addr.bus;
        slot = master->addr.slot;
    } else if (want >= 0) {
        slot = (unsigned int)want;
    } else if (q35 && idx == 0 && !set->buses[0].functions[0x1d]) {
        slot = 0x1d;
    } else {
        virDomainDeviceAddress a = { 0 };

        if (assignGrow(def, set, QEMU_PCI_CONNECT_PCI_DEVICE | QEMU_PCI_CONNECT_HOTPLUG,
                       &a, 0) < 0)
            return -1;
        qemuPCIAddressRelease(set, &a);
        bus = a.bus;
        slot = a.slot;
    }
    for (size_t i = 0; i < def->ncontrollers; i++) {
        virDomainControllerDef *c = def->controllers[i];
        virDomainDeviceAddress a = { 0 };
        unsigned int fn;

        if (c->type != VIR_DOMAIN_CONTROLLER_TYPE_USB || c->idx != idx ||
            !(c == master || isUSBCompanion(c)) ||
            (c->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI &&
             !virDomainDeviceAddressIsEmptyPCI(&c->addr)))
            continue;
        fn = c == master ? 7 : (unsigned int)(c->model[9] - '1');
        setPCI(&a, bus, slot, fn);
        if (qemuPCIAddressReserve(set, &a, QEMU_PCI_CONNECT_PCI_DEVICE) < 0)
            return -1;
        /* libvirt: an ich9-uhci1 it places is multifunction, alone too */
        a.multifunction = fn == 0 && g_strcmp0(c->model, "ich9-uhci1") == 0;
        c->addr = a;
    }
    return 0;
}

static bool
hasFreeRootPort(const virDomainDef *def, const qemuPCIAddressSet *set)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const virDomainControllerDef *c = def->controllers[i];

        if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_PCI &&
            g_strcmp0(c->model, "pcie-root-port") == 0 && c->idx > 0 &&
            c->idx < QEMU_PCI_MAX_BUSES && !set->buses[c->idx].functions[0])
            return true;
    }
    return false;
}

/* @maxIdx: the highest PCI controller index the definition had before any
 * was added (libvirt's max_idx), for the spare root port's rule */
static int
assignPass(virDomainDef *def, const char *machine, bool q35, int maxIdx)
{
    g_autoptr(qemuPCIAddressSet) set = NULL;
    g_autoptr(GArray) devs = NULL;

    if (!(set = qemuPCIAddressSetNew(def, machine)))
        return -1;

    /* the machine's fixed functions */
    for (size_t i = 0; i < def->ncontrollers; i++) {
        virDomainControllerDef *c = def->controllers[i];
        virDomainDeviceAddress *a = &c->addr;

        if (a->type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE &&
            !virDomainDeviceAddressIsEmptyPCI(a))
            continue;
        if (q35 && c->type == VIR_DOMAIN_CONTROLLER_TYPE_SATA && c->idx == 0)
            setPCI(a, 0, 0x1f, 2);
        else if (!q35 && c->type == VIR_DOMAIN_CONTROLLER_TYPE_IDE && c->idx == 0)
            setPCI(a, 0, 1, 1);
        else if (!q35 && c->type == VIR_DOMAIN_CONTROLLER_TYPE_USB && c->idx == 0 &&
                 g_strcmp0(c->model, "piix3-uhci") == 0)
            setPCI(a, 0, 1, 2);
    }
    if (def->nvideos > 0 && !g_str_equal(def->videos[0]->type, "none")) {
        virDomainDeviceAddress *a = &def->videos[0]->addr;

        if (a->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE ||
            virDomainDeviceAddressIsEmptyPCI(a)) {
            virDomainDeviceAddress want = { 0 };

            setPCI(&want, 0, q35 ? 1 : 2, 0);
            if (!set->buses[0].functions[want.slot] &&
                qemuPCIAddressReserve(set, &want, 0) == 0)
                *a = want;
        }
    }
    /* q35's first ICH9 sound card is the chipset's HD audio, 00:1b.0 */
    for (size_t i = 0; q35 && i < def->nsounds; i++) {
        virDomainDeviceAddress *a = &def->sounds[i]->addr;
        virDomainDeviceAddress want = { 0 };

        if (!g_str_equal(def->sounds[i]->model, "ich9"))
            continue;
        setPCI(&want, 0, 0x1b, 0);
        if ((a->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE ||
             virDomainDeviceAddressIsEmptyPCI(a)) &&
            !set->buses[0].functions[want.slot] &&
            qemuPCIAddressReserve(set, &want, 0) == 0)
            *a = want;
        break;
    }
    if (q35 && findController(def, VIR_DOMAIN_CONTROLLER_TYPE_USB, 0, "ich9-ehci1") &&
        assignUSB2Group(def, set, 0, true, -1) < 0)
        return -1;
    /* libvirt's Q35 rule: the other USB2 sets with an ich9-uhci1, in
     * order, go where real hardware has them, 00:1d then 00:1a, when free */
    for (size_t i = 0; q35 && i < def->ncontrollers; i++) {
        virDomainControllerDef *c = def->controllers[i];
        int want = !set->buses[0].functions[0x1d]   ? 0x1d
                   : !set->buses[0].functions[0x1a] ? 0x1a
                                                    : -1;

        if (c->type != VIR_DOMAIN_CONTROLLER_TYPE_USB || c->idx == 0 ||
            g_strcmp0(c->model, "ich9-uhci1") != 0 ||
            c->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE || want < 0)
            continue;
        if (assignUSB2Group(def, set, c->idx, true, want) < 0)
            return -1;
    }
    /* a dmi-to-pci-bridge goes where real hardware has it, 00:1e.0, when
     * that is free (libvirt) */
    for (size_t i = 0; q35 && i < def->ncontrollers; i++) {
        virDomainControllerDef *c = def->controllers[i];
        virDomainDeviceAddress want = { 0 };

        if (c->type != VIR_DOMAIN_CONTROLLER_TYPE_PCI ||
            g_strcmp0(c->model, "dmi-to-pci-bridge") != 0 ||
            c->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE)
            continue;
        setPCI(&want, 0, 0x1e, 0);
        if (!set->buses[0].functions[want.slot] &&
            qemuPCIAddressReserve(set, &want, QEMU_PCI_CONNECT_DMI_TO_PCI_BRIDGE) == 0)
            c->addr = want;
    }

    devs = collectDevices(def, q35);
    for (guint i = 0; i < devs->len; i++) {
        qemuPCIDevice *d = &g_array_index(devs, qemuPCIDevice, i);

        if (d->addr->type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE &&
            !virDomainDeviceAddressIsEmptyPCI(d->addr))
            continue;
        if (d->ctrl && d->ctrl->type == VIR_DOMAIN_CONTROLLER_TYPE_USB &&
            (isUSBCompanion(d->ctrl) || g_strcmp0(d->ctrl->model, "ich9-ehci1") == 0)) {
            if (assignUSB2Group(def, set, d->ctrl->idx, q35, -1) < 0)
                return -1;
            continue;
        }
        /* growing appends controllers to def: @d stays valid (it points
         * into the device, not into def->controllers) */
        if (assignGrow(def, set, d->flags, d->addr, 0) < 0)
            return -1;
        if (d->ctrl && d->ctrl->type == VIR_DOMAIN_CONTROLLER_TYPE_PCI)
            fillPCIControllerTarget(def, d->ctrl);
    }
    /* one spare pcie-root-port to hotplug into, as libvirt adds it: only
     * when the definition named no PCI controller but the root and buses
     * had to be added for its devices (it left PCI to us) */
    if (q35 && maxIdx <= 0 && set->nbuses > (unsigned int)maxIdx + 1 &&
        !hasFreeRootPort(def, set) && addPCIController(def, set, "pcie-root-port", 0) < 0)
        return -1;
    for (size_t i = 0; i < def->ncontrollers; i++) {
        if (qemuPCIControllerFillDefaults(def, def->controllers[i]) < 0)
            return -1;
    }

    /* function 0 of a slot with other functions in use is multifunction */
    g_array_unref(g_steal_pointer(&devs));
    devs = collectDevices(def, q35);
    for (size_t i = 0; i < def->ncontrollers; i++) {
        virDomainControllerDef *c = def->controllers[i];

        if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_USB &&
            controllerIsBuiltin(def, c, q35)) {
            qemuPCIDevice d = { &c->addr, 0, c };

            g_array_append_val(devs, d);
        }
    }
    for (guint i = 0; i < devs->len; i++) {
        virDomainDeviceAddress *a = g_array_index(devs, qemuPCIDevice, i).addr;

        if (a->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI && a->function == 0 &&
            !a->multifunction && a->bus < set->nbuses &&
            (set->buses[a->bus].functions[a->slot] & 0xfe) &&
            !(a->bus == 0 && a->slot == (q35 ? 0x1f : 0x01)))
            a->multifunction = 1;
    }
    return 0;
}

int
qemuDomainAssignAddresses(virDomainDef *def, const char *machine)
{
    bool q35 = qemuMachineIsQ35(machine);
    bool i440fx = qemuMachineIsI440FX(machine);
    g_autoptr(virDomainDef) dry = NULL;
    int maxIdx;

    if (!q35 && !i440fx)
        return 0; /* the validator refuses other machines */
    if (qemuPCIControllersPostParse(def, machine) < 0)
        return -1;
    addDefaultDevices(def, q35, i440fx);
    maxIdx = maxControllerIndex(def, VIR_DOMAIN_CONTROLLER_TYPE_PCI);
    qemuDomainAssignDriveAddresses(def);
    if (virDomainDefCheckDriveAddresses(def) < 0)
        return -1;
    qemuDomainAssignVirtioSerialPorts(def);
    if (qemuDomainAssignMemorySlots(def) < 0)
        return -1;
    if (findController(def, VIR_DOMAIN_CONTROLLER_TYPE_USB, 0, NULL) &&
        !findController(def, VIR_DOMAIN_CONTROLLER_TYPE_USB, 0, "none"))
        qemuDomainAssignUSBPorts(def);

    /* an index no PCI controller has below the highest one: libvirt's
     * address set has a bus for each, so a controller of the machine's
     * default kind is added for it (pci-autoadd-idx) */
    for (int idx = 1, max = maxControllerIndex(def, VIR_DOMAIN_CONTROLLER_TYPE_PCI);
         idx < max && idx < QEMU_PCI_MAX_BUSES; idx++) {
        if (!findController(def, VIR_DOMAIN_CONTROLLER_TYPE_PCI, idx, NULL))
            appendController(def, VIR_DOMAIN_CONTROLLER_TYPE_PCI, idx,
                             q35 ? "pcie-root-port" : "pci-bridge");
    }
    /* explicit addresses on buses that do not exist yet: q35 gets the
     * pcie-root-ports that make them exist (libvirt's dry-run growth) */
    if (q35) {
        g_autoptr(GArray) devs = collectDevices(def, q35);
        int maxBus = -1;

        for (guint i = 0; i < devs->len; i++) {
            const virDomainDeviceAddress *a = g_array_index(devs, qemuPCIDevice, i).addr;

            if (a->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI)
                maxBus = MAX(maxBus, (int)a->bus);
        }
        while (maxControllerIndex(def, VIR_DOMAIN_CONTROLLER_TYPE_PCI) < maxBus)
            appendController(def, VIR_DOMAIN_CONTROLLER_TYPE_PCI,
                             maxControllerIndex(def, VIR_DOMAIN_CONTROLLER_TYPE_PCI) + 1,
                             "pcie-root-port");
    }

    /* nothing to place (a redefinition, every start): one pass fixes up
     * what is left (a spare root port, multifunction, root port targets) */
    {
        g_autoptr(GArray) devs = collectDevices(def, q35);
        bool missing = false;

        for (guint i = 0; i < devs->len && !missing; i++) {
            const virDomainDeviceAddress *a = g_array_index(devs, qemuPCIDevice, i).addr;

            missing = a->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE ||
                      virDomainDeviceAddressIsEmptyPCI(a);
        }
        for (size_t i = 0; i < def->ncontrollers && !missing; i++)
            missing =
                controllerIsBuiltin(def, def->controllers[i], q35) &&
                def->controllers[i]->type != VIR_DOMAIN_CONTROLLER_TYPE_PCI &&
                def->controllers[i]->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE;
        if (!missing)
            return assignPass(def, machine, q35, maxIdx);
    }

    if (i440fx && addPCIBridges(def, machine) < 0)
        return -1;
    /* libvirt's two passes: a dry run finds the PCI controllers the devices
     * need (appended by index), then every address is assigned with them
     * all present, PCI controllers first, so that a bridge takes the first
     * root port and the devices the ones after it. */
    dry = virDomainDefCopy(def);
    if (assignPass(dry, machine, q35, maxIdx) < 0)
        return -1;
    for (size_t i = def->ncontrollers; i < dry->ncontrollers; i++) {
        const virDomainControllerDef *c = dry->controllers[i];

        appendController(def, c->type, c->idx, c->model);
    }
    return assignPass(def, machine, q35, maxIdx);
}
