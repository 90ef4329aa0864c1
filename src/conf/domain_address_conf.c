/* domain_address_conf.c: a device's <address> (pci, drive, virtio-serial, ccid, usb, isa) and its <rom> */

#define G_LOG_DOMAIN "virtkit.conf.address"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

static const char *const addressTypeNames[VIR_DOMAIN_DEVICE_ADDRESS_TYPE_LAST] = {
    "none", "pci", "drive", "virtio-serial", "ccid", "usb", "isa",
};

/* libvirt 9.0's other address types: valid XML, nothing virtkit runs. */
static const char *const otherAddressTypes[] = {
    "spapr-vio", "virtio-s390", "ccw", "virtio-mmio", "dimm", "unassigned", NULL,
};

const char *
virDomainDeviceAddressTypeToString(int type)
{
    return virDomainEnumToString(addressTypeNames, VIR_DOMAIN_DEVICE_ADDRESS_TYPE_LAST,
                                 type);
}

bool
virDomainDeviceAddressIsEmptyPCI(const virDomainDeviceAddress *addr)
{
    return addr->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI && !addr->domain &&
           !addr->bus && !addr->slot && !addr->function && !addr->multifunction;
}

char *
virDomainPCIAddressAsString(const virDomainDeviceAddress *addr)
{
    return g_strdup_printf("%04x:%02x:%02x.%x", addr->domain, addr->bus, addr->slot,
                           addr->function);
}

/* An unsigned attribute as libvirt's virXMLPropUInt (base 0: decimal, 0x
 * hex or 0 octal); absent leaves *out at 0. For PCI fields, @max bounds
 * the value with libvirt's "Invalid PCI address" message (@fmt). */
static int
parseAddressField(xmlNodePtr node, const char *name, unsigned int max, const char *fmt,
                  unsigned int *out)
{
    g_autofree char *str = virDomainXMLProp(node, name);
    char *end = NULL;
    unsigned long long val;

    *out = 0;
    if (!str)
        return 0;
    errno = 0;
    val = strtoull(str, &end, 0);
    if (!*str || *str == '-' || errno || *end || val > G_MAXUINT) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute '%s' in element '%s': '%s'. "
                           "Expected non-negative integer value",
                           name, (const char *)node->name, str);
        return -1;
    }
    if (max && val > max) {
        g_autofree char *shown = g_strdup_printf(fmt, (unsigned int)val);

        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_XML_ERROR, __func__,
                           "Invalid PCI address %s", shown);
        return -1;
    }
    *out = (unsigned int)val;
    return 0;
}

/* libvirt's USB port: up to 4 dot-separated levels, each 1..255 digits
 * parsed as unsigned ("1", "1.2"); anything else is INTERNAL_ERROR in the
 * DEVICE domain, as libvirt reports it. */
static int
parseUSBPort(xmlNodePtr node, unsigned int *levels)
{
    g_autofree char *str = virDomainXMLProp(node, "port");
    g_auto(GStrv) parts = NULL;
    guint n;

    memset(levels, 0, sizeof(unsigned int) * VIR_DOMAIN_USB_PORT_LEVELS);
    if (!str || !*str)
        return 0;
    parts = g_strsplit(str, ".", -1);
    n = g_strv_length(parts);
    for (guint i = 0; i < n; i++) {
        unsigned long long v;

        if (i >= VIR_DOMAIN_USB_PORT_LEVELS || virDomainParseULL(parts[i], &v) < 0 ||
            v > G_MAXUINT) {
            virReportErrorFull(VIR_FROM_DEVICE, VIR_ERR_INTERNAL_ERROR, __func__, "%s",
                               "Cannot parse <address> 'port' attribute");
            return -1;
        }
        levels[i] = (unsigned int)v;
    }
    return 0;
}

int
virDomainDeviceAddressParse(xmlNodePtr device, virDomainDeviceAddress *addr)
{
    xmlNodePtr node = virDomainXMLChild(device, "address");
    g_autofree char *type = NULL;
    g_autofree char *multi = NULL;
    int t;

    memset(addr, 0, sizeof(*addr));
    if (!node)
        return 0;
    if (!(type = virDomainXMLProp(node, "type"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "No type specified for device address");
        return -1;
    }
    t = virDomainEnumFromString(addressTypeNames, VIR_DOMAIN_DEVICE_ADDRESS_TYPE_LAST,
                                type);
    if (t <= VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE) {
        if (virDomainStrInList(otherAddressTypes, type))
            virDomainReportUnsupportedValue("device address type", type);
        else
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown address type '%s'", type);
        return -1;
    }
    addr->type = t;
    switch (t) {
    case VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI:
        if (parseAddressField(node, "domain", 0, NULL, &addr->domain) < 0 ||
            parseAddressField(node, "bus", 0xFF, "bus='0x%x', must be <= 0xFF",
                              &addr->bus) < 0 ||
            parseAddressField(node, "slot", 0x1F, "slot='0x%x', must be <= 0x1F",
                              &addr->slot) < 0 ||
            parseAddressField(node, "function", 7, "function=0x%x, must be <= 7",
                              &addr->function) < 0)
            return -1;
        if ((multi = virDomainXMLProp(node, "multifunction"))) {
            if (strcmp(multi, "on") == 0) {
                addr->multifunction = 1;
            } else if (strcmp(multi, "off") == 0) {
                addr->multifunction = 2;
            } else {
                virDomainXMLReportInvalidAttr("multifunction", node, multi);
                return -1;
            }
        }
        return 0;
    case VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE:
        return parseAddressField(node, "controller", 0, NULL, &addr->controller) < 0 ||
                       parseAddressField(node, "bus", 0, NULL, &addr->bus) < 0 ||
                       parseAddressField(node, "target", 0, NULL, &addr->target) < 0 ||
                       parseAddressField(node, "unit", 0, NULL, &addr->unit) < 0
                   ? -1
                   : 0;
    case VIR_DOMAIN_DEVICE_ADDRESS_TYPE_VIRTIO_SERIAL:
        return parseAddressField(node, "controller", 0, NULL, &addr->controller) < 0 ||
                       parseAddressField(node, "bus", 0, NULL, &addr->bus) < 0 ||
                       parseAddressField(node, "port", 0, NULL, &addr->port) < 0
                   ? -1
                   : 0;
    case VIR_DOMAIN_DEVICE_ADDRESS_TYPE_CCID:
        return parseAddressField(node, "controller", 0, NULL, &addr->controller) < 0 ||
                       parseAddressField(node, "slot", 0, NULL, &addr->slot) < 0
                   ? -1
                   : 0;
    case VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB:
        return parseAddressField(node, "bus", 0, NULL, &addr->bus) < 0 ||
                       parseUSBPort(node, addr->usbPort) < 0
                   ? -1
                   : 0;
    case VIR_DOMAIN_DEVICE_ADDRESS_TYPE_ISA:
        return parseAddressField(node, "iobase", 0, NULL, &addr->iobase) < 0 ||
                       parseAddressField(node, "irq", 0, NULL, &addr->irq) < 0
                   ? -1
                   : 0;
    default:
        g_assert_not_reached();
    }
}

void
virDomainDeviceAddressFormat(GString *buf, int indent, const virDomainDeviceAddress *addr)
{
    if (addr->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE ||
        addr->type >= VIR_DOMAIN_DEVICE_ADDRESS_TYPE_LAST)
        return;
    for (int i = 0; i < indent; i++)
        g_string_append_c(buf, ' ');
    g_string_append_printf(buf, "<address type='%s'", addressTypeNames[addr->type]);
    switch (addr->type) {
    case VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI:
        if (virDomainDeviceAddressIsEmptyPCI(addr))
            break;
        g_string_append_printf(
            buf, " domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'",
            addr->domain, addr->bus, addr->slot, addr->function);
        if (addr->multifunction)
            g_string_append_printf(buf, " multifunction='%s'",
                                   addr->multifunction == 1 ? "on" : "off");
        break;
    case VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE:
        g_string_append_printf(buf, " controller='%u' bus='%u' target='%u' unit='%u'",
                               addr->controller, addr->bus, addr->target, addr->unit);
        break;
    case VIR_DOMAIN_DEVICE_ADDRESS_TYPE_VIRTIO_SERIAL:
        g_string_append_printf(buf, " controller='%u' bus='%u' port='%u'",
                               addr->controller, addr->bus, addr->port);
        break;
    case VIR_DOMAIN_DEVICE_ADDRESS_TYPE_CCID:
        g_string_append_printf(buf, " controller='%u' slot='%u'", addr->controller,
                               addr->slot);
        break;
    case VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB:
        g_string_append_printf(buf, " bus='%u'", addr->bus);
        if (addr->usbPort[0]) {
            g_string_append_printf(buf, " port='%u", addr->usbPort[0]);
            for (int i = 1; i < VIR_DOMAIN_USB_PORT_LEVELS && addr->usbPort[i]; i++)
                g_string_append_printf(buf, ".%u", addr->usbPort[i]);
            g_string_append_c(buf, '\'');
        }
        break;
    case VIR_DOMAIN_DEVICE_ADDRESS_TYPE_ISA:
        if (addr->iobase)
            g_string_append_printf(buf, " iobase='0x%x'", addr->iobase);
        if (addr->irq)
            g_string_append_printf(buf, " irq='0x%x'", addr->irq);
        break;
    default:
        break;
    }
    g_string_append(buf, "/>\n");
}

/* "sdc" -> 2; -1 if not a disk name (libvirt's virDiskNameToIndex). */
int
virDomainDiskNameIndex(const char *dst)
{
    int idx = 0;

    if (!dst || strlen(dst) < 3)
        return -1;
    for (const char *p = dst + 2; *p && g_ascii_islower(*p); p++)
        idx = MIN(idx * 26 + (*p - 'a' + 1), 1 << 20);
    return idx - 1;
}

int
virDomainDefCheckDriveAddresses(const virDomainDef *def)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *a = def->disks[i];

        if (a->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE)
            continue;
        for (size_t j = i + 1; j < def->ndisks; j++) {
            const virDomainDiskDef *b = def->disks[j];
            const virDomainDiskDef *first;

            if (b->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE ||
                b->bus != a->bus || b->addr.controller != a->addr.controller ||
                b->addr.bus != a->addr.bus || b->addr.target != a->addr.target ||
                b->addr.unit != a->addr.unit)
                continue;
            /* libvirt keeps a bus's disks sorted by target: it names the lower */
            first =
                virDomainDiskNameIndex(b->dst) < virDomainDiskNameIndex(a->dst) ? b : a;
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "Found duplicate drive address for disk with target name '%s' "
                           "controller='%u' bus='%u' target='%u' unit='%u'",
                           first->dst, a->addr.controller, a->addr.bus, a->addr.target,
                           a->addr.unit);
            return -1;
        }
    }
    return 0;
}

/* libvirt's virXMLPropTristateBool / Switch names (0: absent, not writable) */
static const char *const romYesNo[] = { NULL, "yes", "no" };
static const char *const romOnOff[] = { NULL, "on", "off" };

static int
romPropTristate(xmlNodePtr rom, const char *name, const char *const *names, int *out)
{
    g_autofree char *str = virDomainXMLProp(rom, name);
    int v;

    if (!str)
        return 0;
    if ((v = virDomainEnumFromString(names, 3, str)) <= 0) {
        virDomainXMLReportInvalidAttr(name, rom, str);
        return -1;
    }
    *out = v;
    return 0;
}

int
virDomainDeviceRomParse(xmlNodePtr device, virDomainDeviceRom *rom)
{
    xmlNodePtr node = virDomainXMLChild(device, "rom");
    virDomainDeviceRom r = { 0 };

    if (!node)
        return 0;
    if (romPropTristate(node, "enabled", romYesNo, &r.enabled) < 0 ||
        romPropTristate(node, "bar", romOnOff, &r.bar) < 0)
        return -1;
    r.file = virDomainXMLProp(node, "file");
    if (r.enabled == VIR_DOMAIN_TRISTATE_OFF && (r.bar || r.file)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "ROM tuning is not supported when ROM is disabled");
        g_free(r.file);
        return -1;
    }
    *rom = r;
    return 0;
}

bool
virDomainDeviceRomIsSet(const virDomainDeviceRom *rom)
{
    return rom->enabled || rom->bar || rom->file;
}

void
virDomainDeviceRomFormat(GString *buf, int indent, const virDomainDeviceRom *rom)
{
    if (!virDomainDeviceRomIsSet(rom))
        return;
    g_string_append_printf(buf, "%*s<rom", indent, "");
    if (rom->enabled)
        g_string_append_printf(buf, " enabled='%s'", romYesNo[rom->enabled]);
    if (rom->bar)
        g_string_append_printf(buf, " bar='%s'", romOnOff[rom->bar]);
    if (rom->file) {
        g_string_append(buf, " file='");
        virDomainXMLEscape(buf, rom->file);
        g_string_append_c(buf, '\'');
    }
    g_string_append(buf, "/>\n");
}

void
virDomainDeviceRomCopy(virDomainDeviceRom *dst, const virDomainDeviceRom *src)
{
    dst->enabled = src->enabled;
    dst->bar = src->bar;
    dst->file = g_strdup(src->file);
}

void
virDomainDeviceRomClear(virDomainDeviceRom *rom)
{
    g_clear_pointer(&rom->file, g_free);
    rom->enabled = rom->bar = 0;
}
