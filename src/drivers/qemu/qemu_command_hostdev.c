/* qemu_command_hostdev.c: the QEMU devices of <hostdev> (vfio-pci, usb-host, scsi-generic
 * over a host_device -blockdev, vhost-scsi-pci, an mdev's vfio-pci) as libvirt 9.0 builds
 * them */

#define G_LOG_DOMAIN "virtkit.qemu.command"

#include <string.h>

#include "qemu_command_priv.h"
#include "virerror.h"
#include "qemu_hostdev.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* ",bus=usb.0,port=N" for a USB address ("usbI.0" for controller I), "" without one */
static char *
usbAddrProps(const virDomainDeviceAddress *addr)
{
    g_autoptr(GString) s = g_string_new(NULL);

    if (addr->type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB)
        return g_strdup("");
    if (addr->bus)
        g_string_append_printf(s, ",bus=usb%u.0", addr->bus);
    else
        g_string_append(s, ",bus=usb.0");
    if (addr->usbPort[0]) {
        g_string_append(s, ",port=");
        for (int i = 0; i < VIR_DOMAIN_USB_PORT_LEVELS && addr->usbPort[i]; i++)
            g_string_append_printf(s, "%s%u", i ? "." : "", addr->usbPort[i]);
    }
    return g_string_free(g_steal_pointer(&s), FALSE);
}

/* libvirt's drive address properties of a SCSI device: lsilogic (and
 * am53c974) name the bus and the unit, the others channel, target, lun */
static char *
scsiAddrProps(const virDomainDef *def, const virDomainDeviceAddress *ad)
{
    const virDomainControllerDef *c = qemuSCSIController(def, ad->controller);

    if (c && c->model &&
        (g_str_equal(c->model, "lsilogic") || g_str_equal(c->model, "am53c974")))
        return g_strdup_printf(",bus=scsi%u.%u,scsi-id=%u", ad->controller, ad->bus,
                               ad->unit);
    return g_strdup_printf(",bus=scsi%u.0,channel=%u,scsi-id=%u,lun=%u", ad->controller,
                           ad->bus, ad->target, ad->unit);
}

static char *
bootProp(unsigned int idx)
{
    return idx ? g_strdup_printf(",bootindex=%u", idx) : g_strdup("");
}

static int
buildPCI(GPtrArray *a, const virDomainDef *def, const virDomainHostdevDef *h,
         const char *alias)
{
    g_autofree char *pci = qemuPCIAddrProps(def, &h->addr);
    g_autofree char *boot = bootProp(h->boot.order);
    g_autoptr(GString) rom = g_string_new(NULL);

    /* the start has made the default VFIO (qemu_hostdev.c) */
    if (h->pciBackend != VIR_DOMAIN_HOSTDEV_PCI_BACKEND_VFIO) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "invalid PCI passthrough type '%s'",
                       qemuHostdevPCIBackendToString(h->pciBackend));
        return -1;
    }
    qemuRomKeyval(rom, &h->rom);
    add(a, "-device");
    addf(a, "vfio-pci,host=%04x:%02x:%02x.%x,id=%s%s%s%s", h->pciDomain, h->pciBus,
         h->pciSlot, h->pciFunction, alias, boot, pci, rom->str);
    return 0;
}

static int
buildUSB(GPtrArray *a, const virDomainHostdevDef *h, const char *alias)
{
    g_autofree char *usb = usbAddrProps(&h->addr);
    g_autofree char *boot = bootProp(h->boot.order);
    const char *reset = "";

    if (!h->usbBus && !h->usbDevice) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "USB host device is missing bus/device information");
        return -1;
    }
    if (h->guestReset == VIR_DOMAIN_HOSTDEV_USB_GUEST_RESET_OFF)
        reset = ",guest-reset=off";
    else if (h->guestReset == VIR_DOMAIN_HOSTDEV_USB_GUEST_RESET_UNINITIALIZED)
        reset = ",guest-reset=on,guest-resets-all=off";
    else if (h->guestReset == VIR_DOMAIN_HOSTDEV_USB_GUEST_RESET_ON)
        reset = ",guest-reset=on,guest-resets-all=on";
    add(a, "-device");
    addf(a, "usb-host,hostdevice=/dev/bus/usb/%03u/%03u,id=%s%s%s%s", h->usbBus,
         h->usbDevice, alias, boot, reset, usb);
    return 0;
}

static int
buildSCSI(GPtrArray *a, const virDomainDef *def, const virDomainHostdevDef *h,
          const char *alias, size_t *nextNode)
{
    g_autofree char *addr = scsiAddrProps(def, &h->addr);
    g_autofree char *boot = bootProp(h->boot.order);
    g_autofree char *node = NULL;
    g_autoptr(GString) blockdev =
        g_string_new("{\"driver\":\"host_device\",\"filename\":");

    if (!h->sgDev) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "no host SCSI generic device for '%s'",
                       alias);
        return -1;
    }
    node = g_strdup_printf("libvirt-%zu-backend", (*nextNode)++);
    qemuJSONString(blockdev, h->sgDev);
    g_string_append_printf(blockdev, ",\"node-name\":\"%s\",\"read-only\":%s}", node,
                           h->readonly ? "true" : "false");
    add(a, "-blockdev");
    add(a, blockdev->str);
    add(a, "-device");
    addf(a, "scsi-generic,drive=%s,id=%s%s%s", node, alias, boot, addr);
    return 0;
}

static int
buildVhost(GPtrArray *a, const virDomainDef *def, const virDomainHostdevDef *h,
           const char *alias, int fd)
{
    static const char *const models[] = { "vhost-scsi-pci", "vhost-scsi-pci",
                                          "vhost-scsi-pci-transitional",
                                          "vhost-scsi-pci-non-transitional" };
    g_autofree char *pci = qemuPCIAddrProps(def, &h->addr);
    g_autofree char *wwpn = qemuEscapeComma(h->wwpn);

    if (fd < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "no vhost-scsi descriptor for '%s'",
                       alias);
        return -1;
    }
    add(a, "-device");
    addf(a, "%s,wwpn=%s,vhostfd=%d,id=%s%s", models[h->vhostModel], wwpn, fd, alias, pci);
    return 0;
}

static void
buildMdev(GPtrArray *a, const virDomainDef *def, const virDomainHostdevDef *h,
          const char *alias)
{
    g_autofree char *pci = qemuPCIAddrProps(def, &h->addr);
    bool ramfb = h->ramfb == VIR_DOMAIN_TRISTATE_ON;

    add(a, "-device");
    addf(a, "%s,id=%s,sysfsdev=/sys/bus/mdev/devices/%s%s%s%s",
         ramfb ? "vfio-pci-nohotplug" : "vfio-pci", alias, h->mdevUUID,
         h->display == VIR_DOMAIN_TRISTATE_ON    ? ",display=on"
         : h->display == VIR_DOMAIN_TRISTATE_OFF ? ",display=off"
                                                 : "",
         ramfb ? ",ramfb=on" : "", pci);
}

int
qemuBuildHostdevs(GPtrArray *a, const virDomainDef *def, const qemuCommandOptions *opts,
                  size_t *nextNode)
{
    for (size_t i = 0; i < def->nhostdevs; i++) {
        const virDomainHostdevDef *h = def->hostdevs[i];
        g_autofree char *alias =
            h->alias ? g_strdup(h->alias) : g_strdup_printf("hostdev%zu", i);
        int rc = 0;

        if (h->mode != VIR_DOMAIN_HOSTDEV_MODE_SUBSYS)
            continue;
        switch (h->type) {
        case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_USB:
            rc = buildUSB(a, h, alias);
            break;
        case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_PCI:
            /* an unassigned device is kept from QEMU */
            if (!h->unassigned)
                rc = buildPCI(a, def, h, alias);
            break;
        case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI:
            rc = buildSCSI(a, def, h, alias, nextNode);
            break;
        case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI_HOST:
            rc = buildVhost(a, def, h, alias,
                            i < opts->fds.nvhostFds ? opts->fds.vhostFds[i] : -1);
            break;
        default:
            buildMdev(a, def, h, alias);
            break;
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}
