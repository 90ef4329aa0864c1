/* domain_hostdev_conf.c: the <hostdev> devices of <devices> (libvirt 9.0's virDomainHostdevDef) */

#define G_LOG_DOMAIN "virtkit.conf.hostdev"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* libvirt 9.0's enum names, in its order */
static const char *const modeNames[VIR_DOMAIN_HOSTDEV_MODE_LAST] = { "subsystem",
                                                                     "capabilities" };
static const char *const subsysNames[VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_LAST] = {
    "usb", "pci", "scsi", "scsi_host", "mdev",
};
static const char *const capsNames[VIR_DOMAIN_HOSTDEV_CAPS_TYPE_LAST] = { "storage",
                                                                          "misc", "net" };
static const char *const capsChild[VIR_DOMAIN_HOSTDEV_CAPS_TYPE_LAST] = { "block", "char",
                                                                          "interface" };
static const char *const backendNames[VIR_DOMAIN_HOSTDEV_PCI_BACKEND_LAST] = {
    "default",
    "kvm",
    "vfio",
    "xen",
};
static const char *const mdevNames[VIR_DOMAIN_HOSTDEV_MDEV_MODEL_LAST] = {
    "vfio-pci",
    "vfio-ccw",
    "vfio-ap",
};
static const char *const guestResetNames[VIR_DOMAIN_HOSTDEV_USB_GUEST_RESET_LAST] = {
    "default",
    "off",
    "uninitialized",
    "on",
};
static const char *const sgioNames[VIR_DOMAIN_HOSTDEV_SGIO_LAST] = { "default",
                                                                     "filtered",
                                                                     "unfiltered" };
static const char *const vhostModelNames[VIR_DOMAIN_HOSTDEV_VHOST_MODEL_LAST] = {
    "default",
    "virtio",
    "virtio-transitional",
    "virtio-non-transitional",
};
static const char *const startupNames[] = { "default", "mandatory", "requisite",
                                            "optional", NULL };
static const char *const yesNo[] = { "", "yes", "no", NULL };
static const char *const onOff[] = { "", "on", "off", NULL };

const char *
virDomainHostdevSubsysTypeToString(int type)
{
    return virDomainEnumToString(subsysNames, VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_LAST, type);
}

const char *
virDomainHostdevMdevModelToString(int model)
{
    return virDomainEnumToString(mdevNames, VIR_DOMAIN_HOSTDEV_MDEV_MODEL_LAST, model);
}

void
virDomainHostdevDefFree(virDomainHostdevDef *hostdev)
{
    if (!hostdev)
        return;
    g_free(hostdev->scsiAdapter);
    g_free(hostdev->wwpn);
    g_free(hostdev->capsSource);
    virDomainDeviceRomClear(&hostdev->rom);
    virDomainDeviceBootClear(&hostdev->boot);
    g_free(hostdev->alias);
    g_free(hostdev->sgDev);
    g_free(hostdev);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainHostdevDef, virDomainHostdevDefFree);

virDomainHostdevDef *
virDomainHostdevDefCopy(const virDomainHostdevDef *src)
{
    virDomainHostdevDef *copy = g_memdup2(src, sizeof(*src));

    copy->scsiAdapter = g_strdup(src->scsiAdapter);
    copy->wwpn = g_strdup(src->wwpn);
    copy->capsSource = g_strdup(src->capsSource);
    virDomainDeviceRomCopy(&copy->rom, &src->rom);
    virDomainDeviceBootCopy(&copy->boot, &src->boot);
    copy->alias = g_strdup(src->alias);
    copy->sgDev = g_strdup(src->sgDev);
    return copy;
}

bool
virDomainHostdevMatch(const virDomainHostdevDef *a, const virDomainHostdevDef *b)
{
    if (a->mode != b->mode || a->type != b->type)
        return false;
    if (a->mode == VIR_DOMAIN_HOSTDEV_MODE_CAPABILITIES)
        return g_strcmp0(a->capsSource, b->capsSource) == 0;
    switch (a->type) {
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_PCI:
        return a->pciDomain == b->pciDomain && a->pciBus == b->pciBus &&
               a->pciSlot == b->pciSlot && a->pciFunction == b->pciFunction;
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_USB:
        /* libvirt looks at the first one's way of naming the device */
        if (a->usbBus && a->usbDevice)
            return a->usbBus == b->usbBus && a->usbDevice == b->usbDevice;
        return a->usbVendor == b->usbVendor && a->usbProduct == b->usbProduct;
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI:
        return g_strcmp0(a->scsiAdapter, b->scsiAdapter) == 0 &&
               a->scsiBus == b->scsiBus && a->scsiTarget == b->scsiTarget &&
               a->scsiUnit == b->scsiUnit;
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI_HOST:
        return g_strcmp0(a->wwpn, b->wwpn) == 0;
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_MDEV:
        return strcmp(a->mdevUUID, b->mdevUUID) == 0;
    default:
        return false;
    }
}

/* ---- parsing -------------------------------------------------------------- */

/* libvirt's virXMLPropUInt / virXMLPropULongLong (base 0 or 10): absent is
 * 0 (an error when @required), a zero refused when @nonzero. */
static int
propULL(xmlNodePtr node, const char *name, int base, bool required, bool nonzero,
        unsigned long long max, unsigned long long *out)
{
    g_autofree char *str = virDomainXMLProp(node, name);
    char *end = NULL;
    unsigned long long val;

    *out = 0;
    if (!str) {
        if (required)
            virDomainXMLReportMissingAttr(name, node);
        return required ? -1 : 0;
    }
    errno = 0;
    val = strtoull(str, &end, base);
    if (!*str || strchr(str, '-') || errno || *end || val > max) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute '%s' in element '%s': '%s'. "
                           "Expected non-negative integer value",
                           name, (const char *)node->name, str);
        return -1;
    }
    if (nonzero && val == 0) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute '%s' in element '%s': "
                           "Zero is not permitted",
                           name, (const char *)node->name);
        return -1;
    }
    *out = val;
    return 0;
}

static int
propUInt(xmlNodePtr node, const char *name, int base, bool required, bool nonzero,
         unsigned int *out)
{
    unsigned long long v;

    if (propULL(node, name, base, required, nonzero, G_MAXUINT, &v) < 0)
        return -1;
    *out = (unsigned int)v;
    return 0;
}

/* libvirt's virXMLPropEnum: absent leaves 0; @names' first entry refused
 * when @nonzero (virtkit's "" entries are never valid). */
static int
propEnum(xmlNodePtr node, const char *name, const char *const *names, int last,
         bool nonzero, int *out)
{
    g_autofree char *str = node ? virDomainXMLProp(node, name) : NULL;
    int val;

    *out = 0;
    if (!str)
        return 0;
    val = last > 0 ? virDomainEnumFromString(names, last, str) : -1;
    if (last <= 0) {
        for (int i = 0; names[i]; i++) {
            if (*names[i] && strcmp(names[i], str) == 0)
                val = i;
        }
    }
    if (val < 0 || (nonzero && val == 0) || (val == 0 && !*names[0])) {
        virDomainXMLReportInvalidAttr(name, node, str);
        return -1;
    }
    *out = val;
    return 1;
}

static int
parsePCISource(virDomainHostdevDef *h, xmlNodePtr source)
{
    xmlNodePtr addr = virDomainXMLChild(source, "address");
    unsigned int max[] = { G_MAXUINT, 0xFF, 0x1F, 7 };
    unsigned int *fields[] = { &h->pciDomain, &h->pciBus, &h->pciSlot, &h->pciFunction };
    const char *names[] = { "domain", "bus", "slot", "function" };

    if (propEnum(source, "writeFiltering", yesNo, -1, false, &h->writeFiltering) < 0)
        return -1;
    if (!addr)
        return 0;
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
        if (propUInt(addr, names[i], 0, false, false, fields[i]) < 0)
            return -1;
    }
    {
        int multi;

        if (propEnum(addr, "multifunction", onOff, -1, false, &multi) < 0)
            return -1;
    }
    if (!h->pciDomain && !h->pciBus && !h->pciSlot && !h->pciFunction)
        return 0;
    /* libvirt's virPCIDeviceAddressIsValid */
    for (size_t i = 1; i < G_N_ELEMENTS(fields); i++) {
        if (*fields[i] > max[i]) {
            virReportErrorFull(VIR_FROM_NONE, VIR_ERR_XML_ERROR, __func__,
                               i == 3 ? "Invalid PCI address %s=0x%x, must be <= %u"
                                      : "Invalid PCI address %s='0x%x', must be <= 0x%X",
                               names[i], *fields[i], max[i]);
            return -1;
        }
    }
    if (!h->pciDomain && !h->pciBus && !h->pciSlot) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_XML_ERROR, __func__, "%s",
                           "Invalid PCI address 0000:00:00, at least one of domain, bus, "
                           "or slot must be > 0");
        return -1;
    }
    return 0;
}

static int
parseUSBSource(virDomainHostdevDef *h, xmlNodePtr source)
{
    xmlNodePtr vendor = virDomainXMLChild(source, "vendor");
    xmlNodePtr product = virDomainXMLChild(source, "product");
    xmlNodePtr addr = virDomainXMLChild(source, "address");
    int autoAddress;

    if (propEnum(source, "startupPolicy", startupNames, -1, true, &h->startupPolicy) <
            0 ||
        propEnum(source, "autoAddress", yesNo, -1, false, &autoAddress) < 0 ||
        propEnum(source, "guestReset", guestResetNames,
                 VIR_DOMAIN_HOSTDEV_USB_GUEST_RESET_LAST, true, &h->guestReset) < 0)
        return -1;
    if (vendor) {
        if (propUInt(vendor, "id", 0, true, true, &h->usbVendor) < 0)
            return -1;
        if (!product) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing product");
            return -1;
        }
    }
    if (product) {
        if (propUInt(product, "id", 0, true, false, &h->usbProduct) < 0)
            return -1;
        if (!vendor) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing vendor");
            return -1;
        }
    }
    if (addr && (propUInt(addr, "bus", 0, true, false, &h->usbBus) < 0 ||
                 propUInt(addr, "device", 0, true, false, &h->usbDevice) < 0))
        return -1;
    return 0;
}

static int
parseSCSISource(virDomainHostdevDef *h, xmlNodePtr source)
{
    g_autofree char *protocol = virDomainXMLProp(source, "protocol");
    xmlNodePtr addr = virDomainXMLChild(source, "address");
    xmlNodePtr adapter = virDomainXMLChild(source, "adapter");

    if (protocol && strcmp(protocol, "none") != 0) {
        if (strcmp(protocol, "iscsi") == 0)
            virDomainReportUnsupportedValue("hostdev SCSI protocol", protocol);
        else
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "Unknown SCSI subsystem protocol '%s'", protocol);
        return -1;
    }
    if (!addr) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "'address' must be specified for scsi hostdev source");
        return -1;
    }
    if (propUInt(addr, "bus", 0, true, false, &h->scsiBus) < 0 ||
        propUInt(addr, "target", 0, true, false, &h->scsiTarget) < 0 ||
        propULL(addr, "unit", 0, true, false, G_MAXUINT64, &h->scsiUnit) < 0)
        return -1;
    if (!adapter || !(h->scsiAdapter = virDomainXMLProp(adapter, "name"))) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "'adapter' name must be specified for scsi hostdev source");
        return -1;
    }
    return 0;
}

/* libvirt's virValidateWWN: 16 hex digits, "0x" allowed before them */
static bool
validWWN(const char *wwn)
{
    const char *p = g_str_has_prefix(wwn, "0x") ? wwn + 2 : wwn;
    size_t i = 0;

    while (g_ascii_isxdigit(p[i]))
        i++;
    return i == 16 && !p[i];
}

static int
parseVhostSource(virDomainHostdevDef *h, xmlNodePtr source)
{
    g_autofree char *protocol = virDomainXMLProp(source, "protocol");
    g_autofree char *wwpn = NULL;

    if (!protocol) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "Missing scsi_host subsystem protocol");
        return -1;
    }
    if (strcmp(protocol, "vhost") != 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Unknown scsi_host subsystem protocol '%s'", protocol);
        return -1;
    }
    if (!(wwpn = virDomainXMLProp(source, "wwpn"))) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing vhost-scsi hostdev source wwpn");
        return -1;
    }
    if (!g_str_has_prefix(wwpn, "naa.") || !validWWN(wwpn + 4)) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "malformed 'wwpn' value");
        return -1;
    }
    h->wwpn = g_steal_pointer(&wwpn);
    return 0;
}

static int
parseMdevSource(virDomainHostdevDef *h, xmlNodePtr source)
{
    xmlNodePtr addr = virDomainXMLChild(source, "address");
    g_autofree char *uuid = NULL;
    unsigned char raw[VIR_UUID_BUFLEN];

    if (!addr) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "Missing <address> element");
        return -1;
    }
    if (!(uuid = virDomainXMLProp(addr, "uuid"))) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "Missing 'uuid' attribute for element <address>");
        return -1;
    }
    if (virUUIDParse(uuid, raw) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "Cannot parse uuid attribute of element <address>");
        return -1;
    }
    virUUIDFormat(raw, h->mdevUUID);
    return 0;
}

static int
parseSubsys(virDomainHostdevDef *h, xmlNodePtr node, const char *type)
{
    xmlNodePtr source = virDomainXMLChild(node, "source");
    g_autofree char *managed = virDomainXMLProp(node, "managed");
    g_autofree char *model = virDomainXMLProp(node, "model");
    g_autofree char *startup = NULL;
    int present;

    /* libvirt ignores a managed value it cannot read */
    h->managed = managed && strcmp(managed, "yes") == 0;
    if (!type) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing source address type");
        return -1;
    }
    if ((h->type = virDomainEnumFromString(
             subsysNames, VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_LAST, type)) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "unknown host device source address type '%s'", type);
        return -1;
    }
    if (!source) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "Missing <source> element in hostdev device");
        return -1;
    }
    if (h->type != VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_USB &&
        (startup = virDomainXMLProp(source, "startupPolicy"))) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "Setting startupPolicy is only allowed for USB devices");
        return -1;
    }
    if ((present = propEnum(node, "sgio", sgioNames, VIR_DOMAIN_HOSTDEV_SGIO_LAST, true,
                            &h->sgio)) < 0)
        return -1;
    if (present > 0 && h->type != VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "sgio is only supported for scsi host device");
        return -1;
    }
    if ((present = propEnum(node, "rawio", yesNo, -1, false, &h->rawio)) < 0)
        return -1;
    if (present > 0 && h->type != VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "rawio is only supported for scsi host device");
        return -1;
    }
    if (model && h->type != VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_MDEV &&
        h->type != VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI_HOST) {
        /* libvirt names the device's own type here */
        virReportError(VIR_ERR_XML_ERROR,
                       "'model' attribute in <hostdev> is only supported when type='%s'",
                       type);
        return -1;
    }
    if (h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI_HOST) {
        if (propEnum(node, "model", vhostModelNames, VIR_DOMAIN_HOSTDEV_VHOST_MODEL_LAST,
                     false, &h->vhostModel) < 0)
            return -1;
    } else if (h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_MDEV) {
        if (!model) {
            virDomainXMLReportMissingAttr("model", node);
            return -1;
        }
        if (propEnum(node, "model", mdevNames, VIR_DOMAIN_HOSTDEV_MDEV_MODEL_LAST, false,
                     &h->mdevModel) < 0 ||
            propEnum(node, "display", onOff, -1, false, &h->display) < 0 ||
            propEnum(node, "ramfb", onOff, -1, false, &h->ramfb) < 0)
            return -1;
    }
    switch (h->type) {
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_PCI:
        if (parsePCISource(h, source) < 0 ||
            propEnum(virDomainXMLChild(node, "driver"), "name", backendNames,
                     VIR_DOMAIN_HOSTDEV_PCI_BACKEND_LAST, true, &h->pciBackend) < 0)
            return -1;
        return 0;
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_USB:
        return parseUSBSource(h, source);
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI:
        return parseSCSISource(h, source);
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI_HOST:
        return parseVhostSource(h, source);
    default:
        return parseMdevSource(h, source);
    }
}

static int
parseCaps(virDomainHostdevDef *h, xmlNodePtr node, const char *type)
{
    static const char *const what[] = {
        "Missing <block> element in hostdev storage device",
        "Missing <char> element in hostdev character device",
        "Missing <interface> element in hostdev net device"
    };
    xmlNodePtr source = virDomainXMLChild(node, "source");
    xmlNodePtr child;

    if (!type) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing source address type");
        return -1;
    }
    if ((h->type = virDomainEnumFromString(capsNames, VIR_DOMAIN_HOSTDEV_CAPS_TYPE_LAST,
                                           type)) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "unknown host device source address type '%s'", type);
        return -1;
    }
    if (!source) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "Missing <source> element in hostdev device");
        return -1;
    }
    child = virDomainXMLChild(source, capsChild[h->type]);
    if (!child || !(h->capsSource = virDomainXMLNodeText(child)) || !*h->capsSource) {
        virReportError(VIR_ERR_XML_ERROR, "%s", what[h->type]);
        return -1;
    }
    return 0;
}

/* <boot order>, <rom>, <address> (type 'unassigned' too), <alias> */
static int
parseGuestSide(virDomainHostdevDef *h, xmlNodePtr node, unsigned int flags)
{
    xmlNodePtr boot = virDomainXMLChild(node, "boot");
    xmlNodePtr addr = virDomainXMLChild(node, "address");
    xmlNodePtr alias = virDomainXMLChild(node, "alias");
    g_autofree char *atype = addr ? virDomainXMLProp(addr, "type") : NULL;

    if (alias && !(flags & VIR_DOMAIN_DEF_PARSE_INACTIVE) &&
        (h->alias = virDomainXMLProp(alias, "name")) && !*h->alias)
        g_clear_pointer(&h->alias, g_free);
    if (boot && virDomainDeviceBootParse(node, &h->boot) < 0)
        return -1;
    if (virDomainDeviceRomParse(node, &h->rom) < 0)
        return -1;
    if (atype && strcmp(atype, "unassigned") == 0) {
        h->unassigned = true;
        return 0;
    }
    return virDomainDeviceAddressParse(node, &h->addr);
}

static const virDomainXMLAttrRule hostdevAttrs[] = {
    { "", (const char *const[]){ "mode", "type", "managed", "model", "display", "ramfb",
                                 "sgio", "rawio", NULL } },
    { "driver", (const char *const[]){ "name", NULL } },
    { "source", (const char *const[]){ "startupPolicy", "guestReset", "autoAddress",
                                       "writeFiltering", "protocol", "wwpn", NULL } },
    { "source/address",
      (const char *const[]){ "domain", "bus", "slot", "function", "device", "target",
                             "unit", "uuid", "multifunction", NULL } },
    { "source/vendor", (const char *const[]){ "id", NULL } },
    { "source/product", (const char *const[]){ "id", NULL } },
    { "source/adapter", (const char *const[]){ "name", NULL } },
    { "source/block", (const char *const[]){ NULL } },
    { "source/char", (const char *const[]){ NULL } },
    { "source/interface", (const char *const[]){ NULL } },
    { "boot", (const char *const[]){ "order", "loadparm", NULL } },
    { "rom", (const char *const[]){ "enabled", "bar", "file", NULL } },
    { "readonly", (const char *const[]){ NULL } },
    { "shareable", (const char *const[]){ NULL } },
    { NULL, NULL },
};
static const char *const hostdevChildren[] = {
    "driver",
    "source",
    "source/address",
    "source/vendor",
    "source/product",
    "source/adapter",
    "source/block",
    "source/char",
    "source/interface",
    "boot",
    "rom",
    "readonly",
    "shareable",
    "address",
    NULL,
};

int
virDomainHostdevParseXML(GPtrArray **hostdevs, xmlNodePtr node, GPtrArray *unknown,
                         unsigned int flags, bool *failed)
{
    g_autoptr(virDomainHostdevDef) h = g_new0(virDomainHostdevDef, 1);
    g_autofree char *mode = virDomainXMLProp(node, "mode");
    g_autofree char *type = virDomainXMLProp(node, "type");

    if (mode && (h->mode = virDomainEnumFromString(
                     modeNames, VIR_DOMAIN_HOSTDEV_MODE_LAST, mode)) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown hostdev mode '%s'", mode);
        return -1;
    }
    if (h->mode == VIR_DOMAIN_HOSTDEV_MODE_SUBSYS) {
        if (parseSubsys(h, node, type) < 0)
            return -1;
    } else if (parseCaps(h, node, type) < 0) {
        return -1;
    }
    if (parseGuestSide(h, node, flags) < 0)
        return -1;
    if (VIR_DOMAIN_HOSTDEV_IS_SCSI(h)) {
        h->readonly = virDomainXMLChild(node, "readonly") != NULL;
        h->shareable = virDomainXMLChild(node, "shareable") != NULL;
    }
    if (virDomainDeviceCheckChildren(node, hostdevChildren, unknown, flags, failed) < 0 ||
        virDomainDeviceCheckAttrs(node, hostdevAttrs, unknown, flags, failed) < 0)
        return -1;
    if (!*hostdevs)
        *hostdevs =
            g_ptr_array_new_with_free_func((GDestroyNotify)virDomainHostdevDefFree);
    g_ptr_array_add(*hostdevs, g_steal_pointer(&h));
    return 0;
}

/* libvirt's virDomainHostdevDefValidate (address types), then
 * virDomainDefHostdevValidate (duplicates, one ramfb) and the SCSI part of
 * virDomainDefDuplicateDriveAddressesValidate. */
int
virDomainHostdevsValidate(const virDomainDef *def)
{
    bool ramfb = false;

    for (size_t i = 0; i < def->nhostdevs; i++) {
        const virDomainHostdevDef *h = def->hostdevs[i];
        int at = h->addr.type;

        if (h->mode != VIR_DOMAIN_HOSTDEV_MODE_SUBSYS)
            continue;
        if (h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_PCI &&
            at != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE &&
            at != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI) {
            virReportError(
                VIR_ERR_INTERNAL_ERROR, "%s",
                "PCI host devices must use 'pci' or 'unassigned' address type");
            return -1;
        }
        if (h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI) {
            if (at != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE &&
                at != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                               "SCSI host device must use 'drive' address type");
                return -1;
            }
            if (h->sgio == VIR_DOMAIN_HOSTDEV_SGIO_UNFILTERED) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                               "unfiltered sgio is no longer supported");
                return -1;
            }
        }
        if (h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI_HOST &&
            at != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE &&
            at != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "SCSI_host host device must use 'pci' or 'ccw' address type");
            return -1;
        }
        if (h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_USB &&
            at != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE &&
            at != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "USB host device must use 'usb' address type");
            return -1;
        }
    }
    for (size_t i = 0; i < def->nhostdevs; i++) {
        const virDomainHostdevDef *h = def->hostdevs[i];

        for (size_t j = i + 1; j < def->nhostdevs; j++) {
            if (virDomainHostdevMatch(h, def->hostdevs[j])) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "Hostdev already exists in the domain configuration");
                return -1;
            }
        }
        if (h->mode == VIR_DOMAIN_HOSTDEV_MODE_SUBSYS &&
            h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_MDEV &&
            h->ramfb == VIR_DOMAIN_TRISTATE_ON) {
            if (ramfb) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                               "Only one vgpu device can have 'ramfb' enabled");
                return -1;
            }
            ramfb = true;
        }
    }
    return virDomainHostdevsCheckDriveAddresses(def);
}

/* Whether a SCSI disk (its drive address, or the one its target name
 * implies when it has none) or an earlier SCSI hostdev holds @a. */
static bool
scsiUnitUsed(const virDomainDef *def, size_t nhostdevs, const virDomainDeviceAddress *a)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *d = def->disks[i];
        virDomainDeviceAddress implied = { 0 };
        const virDomainDeviceAddress *da = &d->addr;
        int idx;

        if (d->bus != VIR_DOMAIN_DISK_BUS_SCSI)
            continue;
        if (da->type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE) {
            if ((idx = virDomainDiskNameIndex(d->dst)) < 0)
                continue;
            implied.controller = (unsigned int)idx / 7;
            implied.unit = (unsigned int)idx % 7;
            da = &implied;
        }
        if (da->controller == a->controller && da->bus == a->bus &&
            da->target == a->target && da->unit == a->unit)
            return true;
    }
    for (size_t i = 0; i < nhostdevs; i++) {
        const virDomainDeviceAddress *h = &def->hostdevs[i]->addr;

        if (VIR_DOMAIN_HOSTDEV_IS_SCSI(def->hostdevs[i]) &&
            h->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE &&
            h->controller == a->controller && h->bus == a->bus &&
            h->target == a->target && h->unit == a->unit)
            return true;
    }
    return false;
}

int
virDomainHostdevsPostParse(virDomainDef *def)
{
    /* libvirt assigns the disks' drive addresses first: a disk whose
     * target name lands on a SCSI hostdev's given address is refused */
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *d = def->disks[i];
        int idx = virDomainDiskNameIndex(d->dst);
        virDomainDeviceAddress a = { .type = VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE };

        if (d->bus != VIR_DOMAIN_DISK_BUS_SCSI ||
            d->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE || idx < 0)
            continue;
        a.controller = (unsigned int)idx / 7;
        a.unit = (unsigned int)idx % 7;
        for (size_t j = 0; j < def->nhostdevs; j++) {
            const virDomainDeviceAddress *h = &def->hostdevs[j]->addr;

            if (!VIR_DOMAIN_HOSTDEV_IS_SCSI(def->hostdevs[j]) ||
                h->type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE ||
                h->controller != a.controller || h->bus || h->target || h->unit != a.unit)
                continue;
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "using disk target name '%s' conflicts with SCSI host device "
                           "address controller='%u' bus='%u' target='%u' unit='%u",
                           d->dst, a.controller, 0, 0, a.unit);
            return -1;
        }
    }
    /* then each SCSI hostdev without one gets the first free unit of the
     * first controller with one (7 a controller, bus and target 0) */
    for (size_t i = 0; i < def->nhostdevs; i++) {
        virDomainHostdevDef *h = def->hostdevs[i];
        virDomainDeviceAddress a = { .type = VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE };

        if (!VIR_DOMAIN_HOSTDEV_IS_SCSI(h))
            continue;
        if (h->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE) {
            for (a.controller = 0;; a.controller++) {
                for (a.unit = 0; a.unit < 7 && scsiUnitUsed(def, def->nhostdevs, &a);
                     a.unit++)
                    ;
                if (a.unit < 7)
                    break;
            }
            h->addr = a;
            h->driveAssigned = true;
        } else if (h->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE) {
            const virDomainDeviceAddress *ha = &h->addr;

            for (size_t j = 0; j < def->ndisks; j++) {
                const virDomainDiskDef *d = def->disks[j];

                if (d->bus != VIR_DOMAIN_DISK_BUS_SCSI ||
                    d->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE ||
                    d->addr.controller != ha->controller || d->addr.bus != ha->bus ||
                    d->addr.target != ha->target || d->addr.unit != ha->unit)
                    continue;
                virReportError(VIR_ERR_XML_ERROR,
                               "SCSI host address controller='%u' bus='%u' target='%u' "
                               "unit='%u' in use by a SCSI disk",
                               ha->controller, ha->bus, ha->target, ha->unit);
                return -1;
            }
        }
    }
    for (size_t i = 0; i < def->nhostdevs; i++) {
        const virDomainHostdevDef *h = def->hostdevs[i];
        int at = h->addr.type;

        if (h->mode != VIR_DOMAIN_HOSTDEV_MODE_SUBSYS ||
            h->type != VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_MDEV ||
            at == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE)
            continue;
        if ((h->mdevModel == VIR_DOMAIN_HOSTDEV_MDEV_MODEL_VFIO_PCI &&
             at != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI) ||
            h->mdevModel == VIR_DOMAIN_HOSTDEV_MDEV_MODEL_VFIO_CCW) {
            virReportError(
                VIR_ERR_XML_ERROR,
                "Unsupported address type '%s' with mediated device model '%s'",
                virDomainDeviceAddressTypeToString(at), mdevNames[h->mdevModel]);
            return -1;
        }
    }
    return virDomainHostdevsValidate(def);
}

/* libvirt's message names bus and controller the other way round */
int
virDomainHostdevsCheckDriveAddresses(const virDomainDef *def)
{
    for (size_t i = 0; i < def->nhostdevs; i++) {
        const virDomainDeviceAddress *a = &def->hostdevs[i]->addr;

        if (!VIR_DOMAIN_HOSTDEV_IS_SCSI(def->hostdevs[i]) ||
            a->type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE)
            continue;
        for (size_t j = i + 1; j < def->nhostdevs; j++) {
            const virDomainDeviceAddress *b = &def->hostdevs[j]->addr;

            if (!VIR_DOMAIN_HOSTDEV_IS_SCSI(def->hostdevs[j]) ||
                b->type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE ||
                a->controller != b->controller || a->bus != b->bus ||
                a->target != b->target || a->unit != b->unit)
                continue;
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "SCSI host address controller='%u' bus='%u' target='%u' "
                           "unit='%u' in use by another SCSI host device",
                           a->bus, a->controller, a->target, a->unit);
            return -1;
        }
        for (size_t j = 0; j < def->ndisks; j++) {
            const virDomainDiskDef *d = def->disks[j];

            if (d->bus != VIR_DOMAIN_DISK_BUS_SCSI ||
                d->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE ||
                d->addr.controller != a->controller || d->addr.bus != a->bus ||
                d->addr.target != a->target || d->addr.unit != a->unit)
                continue;
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "SCSI host address controller='%u' bus='%u' target='%u' "
                           "unit='%u' in use by another SCSI disk",
                           a->bus, a->controller, a->target, a->unit);
            return -1;
        }
    }
    return 0;
}

/* ---- formatting ----------------------------------------------------------- */

static void
formatSource(GString *buf, int indent, const virDomainHostdevDef *h, unsigned int flags)
{
    g_autoptr(GString) attrs = g_string_new(NULL);
    g_autoptr(GString) kids = g_string_new(NULL);
    int in = indent + 2;

    switch (h->type) {
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_PCI:
        if (h->writeFiltering)
            g_string_append_printf(attrs, " writeFiltering='%s'",
                                   yesNo[h->writeFiltering]);
        g_string_append_printf(kids,
                               "%*s<address domain='0x%04x' bus='0x%02x' slot='0x%02x' "
                               "function='0x%x'/>\n",
                               in, "", h->pciDomain, h->pciBus, h->pciSlot,
                               h->pciFunction);
        break;
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_USB:
        if (h->startupPolicy)
            g_string_append_printf(attrs, " startupPolicy='%s'",
                                   startupNames[h->startupPolicy]);
        if (h->guestReset)
            g_string_append_printf(attrs, " guestReset='%s'",
                                   guestResetNames[h->guestReset]);
        if (h->usbVendor) {
            g_string_append_printf(kids, "%*s<vendor id='0x%.4x'/>\n", in, "",
                                   h->usbVendor);
            g_string_append_printf(kids, "%*s<product id='0x%.4x'/>\n", in, "",
                                   h->usbProduct);
        }
        if (h->usbBus || h->usbDevice)
            g_string_append_printf(kids, "%*s<address bus='%d' device='%d'/>\n", in, "",
                                   (int)h->usbBus, (int)h->usbDevice);
        break;
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI:
        g_string_append_printf(kids, "%*s<adapter name='", in, "");
        virDomainXMLEscape(kids, h->scsiAdapter);
        g_string_append_printf(kids,
                               "'/>\n%*s<address bus='%u' target='%u' unit='%llu'/>\n",
                               in, "", h->scsiBus, h->scsiTarget, h->scsiUnit);
        break;
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI_HOST:
        g_string_append(attrs, " protocol='vhost' wwpn='");
        virDomainXMLEscape(attrs, h->wwpn);
        g_string_append_c(attrs, '\'');
        break;
    default:
        g_string_append_printf(kids, "%*s<address uuid='%s'/>\n", in, "", h->mdevUUID);
        break;
    }
    (void)flags;
    /* an empty USB source is written as <source/>: libvirt leaves the element
     * out, and then refuses its own output for the missing <source> */
    g_string_append_printf(buf, "%*s<source%s", indent, "", attrs->str);
    if (!kids->len) {
        g_string_append(buf, "/>\n");
        return;
    }
    g_string_append_printf(buf, ">\n%s%*s</source>\n", kids->str, indent, "");
}

void
virDomainHostdevFormat(GString *buf, int indent, const virDomainHostdevDef *h,
                       unsigned int flags)
{
    int in = indent + 2;

    if (h->mode == VIR_DOMAIN_HOSTDEV_MODE_CAPABILITIES) {
        g_string_append_printf(buf, "%*s<hostdev mode='capabilities' type='%s'>\n",
                               indent, "", capsNames[h->type]);
        g_string_append_printf(buf, "%*s<source>\n%*s<%s>", in, "", in + 2, "",
                               capsChild[h->type]);
        virDomainXMLEscape(buf, h->capsSource);
        g_string_append_printf(buf, "</%s>\n%*s</source>\n", capsChild[h->type], in, "");
    } else {
        g_string_append_printf(buf, "%*s<hostdev mode='subsystem' type='%s' managed='%s'",
                               indent, "", subsysNames[h->type],
                               h->managed ? "yes" : "no");
        if (h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI && h->sgio)
            g_string_append_printf(buf, " sgio='%s'", sgioNames[h->sgio]);
        if (h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI && h->rawio)
            g_string_append_printf(buf, " rawio='%s'", yesNo[h->rawio]);
        if (h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI_HOST && h->vhostModel)
            g_string_append_printf(buf, " model='%s'", vhostModelNames[h->vhostModel]);
        if (h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_MDEV) {
            g_string_append_printf(buf, " model='%s'", mdevNames[h->mdevModel]);
            if (h->display)
                g_string_append_printf(buf, " display='%s'", onOff[h->display]);
            if (h->ramfb)
                g_string_append_printf(buf, " ramfb='%s'", onOff[h->ramfb]);
        }
        g_string_append(buf, ">\n");
        if (h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_PCI && h->pciBackend)
            g_string_append_printf(buf, "%*s<driver name='%s'/>\n", in, "",
                                   backendNames[h->pciBackend]);
        formatSource(buf, in, h, flags);
    }
    if (h->readonly)
        g_string_append_printf(buf, "%*s<readonly/>\n", in, "");
    if (h->shareable)
        g_string_append_printf(buf, "%*s<shareable/>\n", in, "");
    virDomainDeviceBootFormat(buf, in, &h->boot);
    if (h->alias && !(flags & VIR_DOMAIN_DEF_FORMAT_INACTIVE)) {
        g_string_append_printf(buf, "%*s<alias name='", in, "");
        virDomainXMLEscape(buf, h->alias);
        g_string_append(buf, "'/>\n");
    }
    virDomainDeviceRomFormat(buf, in, &h->rom);
    if (h->unassigned)
        g_string_append_printf(buf, "%*s<address type='unassigned'/>\n", in, "");
    else
        virDomainDeviceAddressFormat(buf, in, &h->addr);
    g_string_append_printf(buf, "%*s</hostdev>\n", indent, "");
}
