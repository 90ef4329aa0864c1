/* qemu_domain_address_nonpci.c: define-time USB ports, drive units, virtio-serial ports, DIMM slots */

#define G_LOG_DOMAIN "virtkit.qemu.addressnonpci"

#include <string.h>

#include "qemu_domain_address.h"
#include "qemu_domain_address_nonpci.h"
#include "qemu_command.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

unsigned int
qemuDomainUSBRootPorts(const virDomainDef *def)
{
    static const struct {
        const char *model;
        unsigned int ports;
    } map[] = {
        { "piix3-uhci", 2 }, { "piix4-uhci", 2 }, { "ehci", 6 },     { "ich9-ehci1", 6 },
        { "pci-ohci", 3 },   { "qemu-xhci", 4 },  { "nec-xhci", 4 },
    };

    for (size_t i = 0; i < def->ncontrollers; i++) {
        const virDomainControllerDef *c = def->controllers[i];

        if (c->type != VIR_DOMAIN_CONTROLLER_TYPE_USB || c->idx != 0 || !c->model)
            continue;
        for (size_t j = 0; j < G_N_ELEMENTS(map); j++) {
            if (g_str_equal(map[j].model, c->model))
                return c->ports > 0 ? (unsigned int)c->ports : map[j].ports;
        }
    }
    return 0;
}

GPtrArray *
qemuDomainUSBDeviceAddrs(virDomainDef *def)
{
    GPtrArray *addrs = g_ptr_array_new();

    /* libvirt's order: USB host devices first (after the hubs), then USB
     * disks */
    for (size_t i = 0; i < def->nhostdevs; i++) {
        if (def->hostdevs[i]->mode == VIR_DOMAIN_HOSTDEV_MODE_SUBSYS &&
            def->hostdevs[i]->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_USB)
            g_ptr_array_add(addrs, &def->hostdevs[i]->addr);
    }
    for (size_t i = 0; i < def->ndisks; i++) {
        if (def->disks[i]->bus == VIR_DOMAIN_DISK_BUS_USB)
            g_ptr_array_add(addrs, &def->disks[i]->addr);
    }
    for (size_t i = 0; i < def->ncontrollers; i++) {
        if (def->controllers[i]->type == VIR_DOMAIN_CONTROLLER_TYPE_CCID)
            g_ptr_array_add(addrs, &def->controllers[i]->addr);
    }
    for (size_t i = 0; i < def->ninputs; i++) {
        if (def->inputs[i].bus == VIR_DOMAIN_INPUT_BUS_USB)
            g_ptr_array_add(addrs, &def->inputs[i].addr);
    }
    for (size_t i = 0; i < def->nsounds; i++) {
        if (g_str_equal(def->sounds[i]->model, "usb"))
            g_ptr_array_add(addrs, &def->sounds[i]->addr);
    }
    for (size_t i = 0; i < def->nredirdevs; i++)
        g_ptr_array_add(addrs, &def->redirdevs[i]->addr);
    return addrs;
}

/* Is @port (levels, 0-terminated) taken by one of @addrs (bus 0)? */
static bool
usbPortUsed(GPtrArray *addrs, const unsigned int *port)
{
    for (guint i = 0; i < addrs->len; i++) {
        const virDomainDeviceAddress *a = g_ptr_array_index(addrs, i);

        if (a->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB && a->bus == 0 &&
            memcmp(a->usbPort, port, sizeof(a->usbPort)) == 0)
            return true;
    }
    return false;
}

/* libvirt's virDomainUSBAddressFindFreePort: the first free port of the
 * hub at @port (@depth levels given; the root hub when 0, @nports ports),
 * else, port by port, the first free one behind each hub plugged there.
 * Fills @port; false when all are taken. */
static bool
usbFindFreePort(GPtrArray *addrs, GPtrArray *hubAddrs, unsigned int *port, int depth,
                unsigned int nports)
{
    if (depth >= VIR_DOMAIN_USB_PORT_LEVELS)
        return false;
    for (unsigned int p = 1; p <= nports; p++) {
        port[depth] = p;
        if (!usbPortUsed(addrs, port))
            return true;
    }
    for (unsigned int p = 1; p <= nports; p++) {
        port[depth] = p;
        if (usbPortUsed(hubAddrs, port) &&
            usbFindFreePort(addrs, hubAddrs, port, depth + 1, VIR_DOMAIN_USB_HUB_PORTS))
            return true;
    }
    port[depth] = 0;
    return false;
}

bool
qemuDomainUSBFreePort(virDomainDef *def, virDomainDeviceAddress *addr)
{
    g_autoptr(GPtrArray) all = qemuDomainUSBDeviceAddrs(def);
    g_autoptr(GPtrArray) hubAddrs = g_ptr_array_new();
    unsigned int rootPorts = qemuDomainUSBRootPorts(def);
    unsigned int port[VIR_DOMAIN_USB_PORT_LEVELS] = { 0 };

    for (size_t i = 0; i < def->nhubs; i++) {
        g_ptr_array_add(all, &def->hubs[i]->addr);
        g_ptr_array_add(hubAddrs, &def->hubs[i]->addr);
    }
    if (rootPorts == 0 || !usbFindFreePort(all, hubAddrs, port, 0, rootPorts))
        return false;
    memset(addr, 0, sizeof(*addr));
    addr->type = VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB;
    memcpy(addr->usbPort, port, sizeof(port));
    return true;
}

/*
 * USB ports on controller 0 for what virtkit runs on USB, as libvirt 9.0
 * gives them (seen on libvirtd): when the devices (and hubs) outnumber the
 * ports of the controller and its hubs, usb-hubs are added first
 * (libvirt's qemuDomainUSBAddressAddHubs: enough for the devices, 7 more
 * ports each); then the hubs, then USB host devices, USB disks, a smartcard's CCID reader, inputs, USB
 * sound and redirected devices in that order take the first free port, on
 * the root hub first, then behind each hub in port order ("1.1", "1.2").
 */
void
qemuDomainAssignUSBPorts(virDomainDef *def)
{
    g_autoptr(GPtrArray) devs = qemuDomainUSBDeviceAddrs(def);
    g_autoptr(GPtrArray) all = g_ptr_array_new();
    g_autoptr(GPtrArray) hubAddrs = g_ptr_array_new();
    unsigned int rootPorts = qemuDomainUSBRootPorts(def);
    unsigned int count = devs->len + def->nhubs;
    unsigned int available = rootPorts + def->nhubs * VIR_DOMAIN_USB_HUB_PORTS;

    if (rootPorts == 0)
        return;
    if (devs->len > 0 && count > available) {
        /* libvirt: VIR_DIV_UP(count - available + 1, HUB_PORTS - 1) */
        unsigned int need = (count - available + 1 + VIR_DOMAIN_USB_HUB_PORTS - 2) /
                            (VIR_DOMAIN_USB_HUB_PORTS - 1);

        def->hubs = g_renew(virDomainHubDef *, def->hubs, def->nhubs + need + 1);
        for (unsigned int i = 0; i < need; i++)
            def->hubs[def->nhubs++] = g_new0(virDomainHubDef, 1);
        def->hubs[def->nhubs] = NULL;
    }
    for (size_t i = 0; i < def->nhubs; i++) {
        g_ptr_array_add(all, &def->hubs[i]->addr);
        g_ptr_array_add(hubAddrs, &def->hubs[i]->addr);
    }
    for (guint i = 0; i < devs->len; i++)
        g_ptr_array_add(all, g_ptr_array_index(devs, i));

    for (guint i = 0; i < all->len; i++) {
        virDomainDeviceAddress *addr = g_ptr_array_index(all, i);
        unsigned int port[VIR_DOMAIN_USB_PORT_LEVELS] = { 0 };

        if (addr->type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE)
            continue;
        if (!usbFindFreePort(all, hubAddrs, port, 0, rootPorts))
            continue; /* the validator says why */
        addr->type = VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB;
        addr->bus = 0;
        memcpy(addr->usbPort, port, sizeof(port));
    }
}

/* libvirt's IDE/SATA/SCSI/floppy drive addresses from the target name. */
void
qemuDomainAssignDriveAddresses(virDomainDef *def)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        virDomainDiskDef *disk = def->disks[i];
        int bus = qemuDiskBus(disk);
        int n = qemuDiskIndex(disk->dst);
        virDomainDeviceAddress *a = &disk->addr;

        if (a->type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE || n < 0)
            continue;
        if (bus == VIR_DOMAIN_DISK_BUS_SATA) {
            a->type = VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE;
            a->controller = (unsigned int)n / 6;
            a->unit = (unsigned int)n % 6;
        } else if (bus == VIR_DOMAIN_DISK_BUS_IDE) {
            a->type = VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE;
            a->controller = (unsigned int)n / 4;
            a->bus = (unsigned int)(n % 4) / 2;
            a->unit = (unsigned int)n % 2;
        } else if (bus == VIR_DOMAIN_DISK_BUS_SCSI) {
            /* a narrow bus: 7 units a controller, target 0 */
            a->type = VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE;
            a->controller = (unsigned int)n / 7;
            a->unit = (unsigned int)n % 7;
        } else if (bus == VIR_DOMAIN_DISK_BUS_FDC) {
            /* two drives a controller, one bus */
            a->type = VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE;
            a->controller = (unsigned int)n / 2;
            a->unit = (unsigned int)n % 2;
        }
    }
}

/* Channels get virtio-serial port numbers from 1 (libvirt). */
void
qemuDomainAssignVirtioSerialPorts(virDomainDef *def)
{
    for (size_t i = 0; i < def->nchannels; i++) {
        virDomainChannelDef *c = def->channels[i];
        int port = 1;
        bool used = true;

        if (c->vsPort > 0)
            continue;
        while (used) {
            used = false;
            for (size_t j = 0; j < def->nchannels; j++) {
                const virDomainChannelDef *o = def->channels[j];

                if (MAX(o->vsController, 0) == MAX(c->vsController, 0) &&
                    MAX(o->vsBus, 0) == MAX(c->vsBus, 0) && o->vsPort == port) {
                    used = true;
                    port++;
                    break;
                }
            }
        }
        c->vsController = MAX(c->vsController, 0);
        c->vsBus = MAX(c->vsBus, 0);
        c->vsPort = port;
    }
}

/* libvirt's qemuDomainAssignMemorySlots: a dimm/nvdimm without an address
 * gets the lowest slot no other one holds (only with <maxMemory slots>);
 * OPERATION_FAILED when every slot is taken */
int
qemuDomainAssignMemorySlots(virDomainDef *def)
{
    if (!def->memorySlots)
        return 0;
    for (size_t i = 0; i < def->nmems; i++) {
        virDomainMemoryDef *m = def->mems[i];

        if ((m->model != VIR_DOMAIN_MEMORY_MODEL_DIMM &&
             m->model != VIR_DOMAIN_MEMORY_MODEL_NVDIMM) ||
            m->dimmAddr || m->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE)
            continue;
        for (unsigned int slot = 0; slot < def->memorySlots; slot++) {
            bool used = false;

            for (size_t j = 0; j < def->nmems && !used; j++)
                used = def->mems[j]->dimmAddr && def->mems[j]->dimmSlot == slot;
            if (!used) {
                m->dimmAddr = true;
                m->dimmSlot = slot;
                break;
            }
        }
        if (!m->dimmAddr) {
            virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                           "Unable to find a free memory slot");
            return -1;
        }
    }
    return 0;
}
