/* domain_conf.c: domain definition enums, lifetime, copy and XML parsing */

#define G_LOG_DOMAIN "vk.conf.domain"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"
#include "virfile.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* ---- enum string tables ------------------------------------------------ */

static const char *const virtTypeNames[VIR_DOMAIN_VIRT_LAST] = {
    "none", "qemu", "kqemu", "kvm", "xen", "lxc", "uml", "openvz", "test",
    "vmware", "hyperv", "vbox", "phyp", "parallels", "bhyve", "vz",
};
static const char *const lifecycleActionNames[VIR_DOMAIN_LIFECYCLE_ACTION_LAST] = {
    "destroy", "restart", "rename-restart", "preserve",
    "coredump-destroy", "coredump-restart",
};
const char *const virDomainBootNames[VIR_DOMAIN_BOOT_LAST] = {
    "fd", "cdrom", "hd", "network",
};
const char *const virDomainClockOffsetNames[VIR_DOMAIN_CLOCK_OFFSET_LAST] = {
    "utc", "localtime",
};
const char *const virDomainDiskTypeNames[VIR_DOMAIN_DISK_TYPE_LAST] = {
    "file",
};
const char *const virDomainDiskDeviceNames[VIR_DOMAIN_DISK_DEVICE_LAST] = {
    "disk", "cdrom",
};
const char *const virDomainDiskBusNames[VIR_DOMAIN_DISK_BUS_LAST] = {
    "none", "ide", "scsi", "virtio", "usb", "sata",
};
const char *const virStorageFormatNames[VIR_STORAGE_FORMAT_LAST] = {
    "none", "raw", "qcow2",
};
const char *const virDomainDiskCacheNames[VIR_DOMAIN_DISK_CACHE_LAST] = {
    "default", "none", "writethrough", "writeback", "directsync", "unsafe",
};
const char *const virDomainNetTypeNames[VIR_DOMAIN_NET_TYPE_LAST] = {
    "user", "network",
};
const char *const virDomainChrTypeNames[VIR_DOMAIN_CHR_TYPE_LAST] = {
    "null", "pty", "file",
};
const char *const virDomainChrTargetNames[VIR_DOMAIN_CHR_TARGET_LAST] = {
    "none", "isa-serial", "serial", "virtio",
};
const char *const virDomainMemballoonModelNames[VIR_DOMAIN_MEMBALLOON_MODEL_LAST] = {
    "virtio", "none",
};

/* Values libvirt accepts for an attribute that virtkit does not implement:
 * these are refused with CONFIG_UNSUPPORTED rather than reported as
 * invalid, so that the user learns the value is valid but unsupported. */
static const char *const libvirtDiskTypes[] = {
    "block", "dir", "network", "volume", "nvme", "vhostuser", NULL,
};
static const char *const libvirtDiskDevices[] = { "floppy", "lun", NULL };
static const char *const libvirtDiskBuses[] = { "fdc", "xen", "uml", "sd", NULL };
static const char *const libvirtNetTypes[] = {
    "ethernet", "vhostuser", "server", "client", "mcast", "udp", "bridge",
    "internal", "direct", "hostdev", "vdpa", "null", "vds", "vdpa", NULL,
};
static const char *const libvirtChrTypes[] = {
    "vc", "dev", "stdio", "pipe", "tcp", "udp", "unix", "spicevmc",
    "spiceport", "nmdm", "qemu-vdagent", "dbus", NULL,
};
static const char *const libvirtSerialTargets[] = {
    "usb-serial", "pci-serial", "spapr-vio-serial", "system-serial",
    "sclp-serial", "isa-debug", NULL,
};
static const char *const libvirtConsoleTargets[] = {
    "xen", "uml", "lxc", "openvz", "sclp", "sclplm", NULL,
};
static const char *const libvirtBalloonModels[] = {
    "xen", "virtio-transitional", "virtio-non-transitional", NULL,
};
static const char *const libvirtClockOffsets[] = {
    "variable", "timezone", "absolute", NULL,
};

int
virDomainEnumFromString(const char *const *names, int last, const char *str)
{
    if (!str)
        return -1;
    for (int i = 0; i < last; i++) {
        if (names[i] && strcmp(names[i], str) == 0)
            return i;
    }
    return -1;
}

const char *
virDomainEnumToString(const char *const *names, int last, int value)
{
    if (value < 0 || value >= last)
        return NULL;
    return names[value];
}

static bool
strInList(const char *const *list, const char *str)
{
    for (; *list; list++) {
        if (strcmp(*list, str) == 0)
            return true;
    }
    return false;
}

const char *
virDomainVirtTypeToString(int type)
{
    return virDomainEnumToString(virtTypeNames, VIR_DOMAIN_VIRT_LAST, type);
}

int
virDomainVirtTypeFromString(const char *str)
{
    return virDomainEnumFromString(virtTypeNames, VIR_DOMAIN_VIRT_LAST, str);
}

const char *
virDomainLifecycleActionToString(int action)
{
    return virDomainEnumToString(lifecycleActionNames,
                                 VIR_DOMAIN_LIFECYCLE_ACTION_LAST, action);
}

int
virDomainLifecycleActionFromString(const char *str)
{
    return virDomainEnumFromString(lifecycleActionNames,
                                   VIR_DOMAIN_LIFECYCLE_ACTION_LAST, str);
}

/* ---- lifetime ---------------------------------------------------------- */

void
virDomainDiskDefFree(virDomainDiskDef *disk)
{
    if (!disk)
        return;
    g_free(disk->driverName);
    g_free(disk->src);
    g_free(disk->dst);
    g_free(disk);
}

void
virDomainNetDefFree(virDomainNetDef *net)
{
    if (!net)
        return;
    g_free(net->network);
    g_free(net->model);
    g_free(net->ifname);
    g_free(net);
}

void
virDomainChrDefFree(virDomainChrDef *chr)
{
    if (!chr)
        return;
    g_free(chr->path);
    g_free(chr->targetModel);
    g_free(chr);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainDiskDef, virDomainDiskDefFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainNetDef, virDomainNetDefFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainChrDef, virDomainChrDefFree);

void
virDomainDefFree(virDomainDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->title);
    g_free(def->description);
    g_free(def->os.type);
    g_free(def->os.arch);
    g_free(def->os.machine);
    g_free(def->os.kernel);
    g_free(def->os.initrd);
    g_free(def->os.cmdline);
    g_free(def->emulator);
    for (size_t i = 0; i < def->ndisks; i++)
        virDomainDiskDefFree(def->disks[i]);
    g_free(def->disks);
    for (size_t i = 0; i < def->nnets; i++)
        virDomainNetDefFree(def->nets[i]);
    g_free(def->nets);
    for (size_t i = 0; i < def->nserials; i++)
        virDomainChrDefFree(def->serials[i]);
    g_free(def->serials);
    for (size_t i = 0; i < def->nconsoles; i++)
        virDomainChrDefFree(def->consoles[i]);
    g_free(def->consoles);
    g_free(def->memballoon);
    g_strfreev(def->unknownElements);
    g_free(def);
}

virDomainDef *
virDomainDefNew(void)
{
    virDomainDef *def = g_new0(virDomainDef, 1);

    def->id = -1;
    def->vcpus = 1;
    def->onPoweroff = VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY;
    def->onReboot = VIR_DOMAIN_LIFECYCLE_ACTION_RESTART;
    def->onCrash = VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY;
    def->clockOffset = VIR_DOMAIN_CLOCK_OFFSET_UTC;
    return def;
}

/* ---- copy -------------------------------------------------------------- */

static virDomainDiskDef *
diskCopy(const virDomainDiskDef *src)
{
    virDomainDiskDef *dst = g_new0(virDomainDiskDef, 1);

    *dst = *src;
    dst->driverName = g_strdup(src->driverName);
    dst->src = g_strdup(src->src);
    dst->dst = g_strdup(src->dst);
    return dst;
}

static virDomainNetDef *
netCopy(const virDomainNetDef *src)
{
    virDomainNetDef *dst = g_new0(virDomainNetDef, 1);

    *dst = *src;
    dst->network = g_strdup(src->network);
    dst->model = g_strdup(src->model);
    dst->ifname = g_strdup(src->ifname);
    return dst;
}

virDomainChrDef *
virDomainChrDefCopy(const virDomainChrDef *src)
{
    virDomainChrDef *dst = g_new0(virDomainChrDef, 1);

    *dst = *src;
    dst->path = g_strdup(src->path);
    dst->targetModel = g_strdup(src->targetModel);
    return dst;
}

virDomainDef *
virDomainDefCopy(const virDomainDef *src)
{
    virDomainDef *def = g_new0(virDomainDef, 1);

    *def = *src;
    def->name = g_strdup(src->name);
    def->title = g_strdup(src->title);
    def->description = g_strdup(src->description);
    def->os.type = g_strdup(src->os.type);
    def->os.arch = g_strdup(src->os.arch);
    def->os.machine = g_strdup(src->os.machine);
    def->os.kernel = g_strdup(src->os.kernel);
    def->os.initrd = g_strdup(src->os.initrd);
    def->os.cmdline = g_strdup(src->os.cmdline);
    def->emulator = g_strdup(src->emulator);

    def->disks = g_new0(virDomainDiskDef *, src->ndisks + 1);
    for (size_t i = 0; i < src->ndisks; i++)
        def->disks[i] = diskCopy(src->disks[i]);
    def->nets = g_new0(virDomainNetDef *, src->nnets + 1);
    for (size_t i = 0; i < src->nnets; i++)
        def->nets[i] = netCopy(src->nets[i]);
    def->serials = g_new0(virDomainChrDef *, src->nserials + 1);
    for (size_t i = 0; i < src->nserials; i++)
        def->serials[i] = virDomainChrDefCopy(src->serials[i]);
    def->consoles = g_new0(virDomainChrDef *, src->nconsoles + 1);
    for (size_t i = 0; i < src->nconsoles; i++)
        def->consoles[i] = virDomainChrDefCopy(src->consoles[i]);
    if (src->memballoon)
        def->memballoon = g_memdup2(src->memballoon, sizeof(*src->memballoon));
    def->unknownElements = g_strdupv(src->unknownElements);
    return def;
}

/* ---- XML helpers ------------------------------------------------------- */

/*
 * Text helpers read only text and CDATA nodes: an entity reference (which
 * exists in the tree only because entities are never substituted) is
 * skipped, never expanded, so no document can amplify itself.
 */
static char *
nodeText(xmlNodePtr node)
{
    g_autoptr(GString) buf = g_string_new(NULL);

    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        if (cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) {
            if (cur->content)
                g_string_append(buf, (const char *)cur->content);
        } else if (cur->type == XML_ELEMENT_NODE) {
            g_autofree char *sub = nodeText(cur);
            g_string_append(buf, sub);
        }
    }
    return g_string_free(g_steal_pointer(&buf), FALSE);
}

/* Text content, or NULL when empty (as libvirt's string() XPath helpers). */
static char *
nodeTextNonEmpty(xmlNodePtr node)
{
    char *str = node ? nodeText(node) : NULL;

    if (str && !*str)
        g_clear_pointer(&str, g_free);
    return str;
}

char *
virDomainXMLProp(xmlNodePtr node, const char *name)
{
    xmlAttrPtr attr;
    g_autoptr(GString) buf = NULL;

    if (!node)
        return NULL;
    attr = xmlHasProp(node, (const xmlChar *)name);
    if (!attr || attr->type != XML_ATTRIBUTE_NODE)
        return NULL;
    buf = g_string_new(NULL);
    for (xmlNodePtr cur = attr->children; cur; cur = cur->next) {
        if (cur->type == XML_TEXT_NODE && cur->content)
            g_string_append(buf, (const char *)cur->content);
    }
    return g_string_free(g_steal_pointer(&buf), FALSE);
}

xmlNodePtr
virDomainXMLChild(xmlNodePtr parent, const char *name)
{
    if (!parent)
        return NULL;
    for (xmlNodePtr cur = parent->children; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE &&
            strcmp((const char *)cur->name, name) == 0)
            return cur;
    }
    return NULL;
}

static bool
nodeIs(xmlNodePtr node, const char *name)
{
    return node->type == XML_ELEMENT_NODE &&
           strcmp((const char *)node->name, name) == 0;
}

static void
recordUnknown(GPtrArray *unknown, const char *parent, xmlNodePtr node,
              unsigned int flags, bool *failed)
{
    g_autofree char *path = NULL;

    if (parent)
        path = g_strdup_printf("%s/%s", parent, (const char *)node->name);
    else
        path = g_strdup((const char *)node->name);

    if ((flags & VIR_DOMAIN_DEF_PARSE_VALIDATE) && !*failed) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_INVALID_SCHEMA, __func__,
                           "Unable to validate doc against domain.rng\n"
                           "Element %s has extra content: %s",
                           parent ? (strrchr(parent, '/') ? strrchr(parent, '/') + 1 : parent)
                                  : "domain",
                           (const char *)node->name);
        *failed = true;
    }
    for (size_t i = 0; i < unknown->len; i++) {
        if (strcmp(g_ptr_array_index(unknown, i), path) == 0)
            return;
    }
    g_ptr_array_add(unknown, g_steal_pointer(&path));
}

/* libvirt's virXMLPropEnum messages (domain XML). */
static void
reportInvalidAttr(const char *attr, xmlNodePtr node, const char *value)
{
    virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                       "Invalid value for attribute '%s' in element '%s': '%s'.",
                       attr, (const char *)node->name, value);
}

static void
reportMissingAttr(const char *attr, xmlNodePtr node)
{
    virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                       "Missing required attribute '%s' in element '%s'",
                       attr, (const char *)node->name);
}

static void
reportUnsupportedValue(const char *what, const char *value)
{
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                   "%s '%s' is not supported by virtkit", what, value);
}

/*
 * Parse an unsigned decimal as libvirt's virStrToLong_ullp does: leading
 * blanks allowed, no sign, nothing after the digits.
 */
static int
parseULL(const char *str, unsigned long long *val)
{
    char *end = NULL;
    const char *p = str;

    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (*p == '-' || *p == '+' || !g_ascii_isdigit(*p))
        return -1;
    errno = 0;
    *val = strtoull(p, &end, 10);
    if (errno != 0 || end == p || *end != '\0')
        return -1;
    return 0;
}

/*
 * Scale @value by the unit @suffix (libvirt's virScaleInteger with a
 * default scale of KiB) into bytes, refusing results above @limit.
 */
int
virDomainScaleInteger(unsigned long long *value, const char *suffix,
                      unsigned long long limit)
{
    unsigned long long scale = 1024;

    if (suffix && *suffix) {
        if (g_ascii_strcasecmp(suffix, "b") == 0 ||
            g_ascii_strcasecmp(suffix, "byte") == 0 ||
            g_ascii_strcasecmp(suffix, "bytes") == 0) {
            scale = 1;
        } else {
            unsigned long long base;
            int power;

            if (!suffix[1] || g_ascii_strcasecmp(suffix + 1, "iB") == 0) {
                base = 1024;
            } else if (g_ascii_tolower(suffix[1]) == 'b' && !suffix[2]) {
                base = 1000;
            } else {
                virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __func__,
                                   "unknown suffix '%s'", suffix);
                return -1;
            }
            switch (g_ascii_tolower(*suffix)) {
            case 'k': power = 1; break;
            case 'm': power = 2; break;
            case 'g': power = 3; break;
            case 't': power = 4; break;
            case 'p': power = 5; break;
            case 'e': power = 6; break;
            default:
                virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __func__,
                                   "unknown suffix '%s'", suffix);
                return -1;
            }
            scale = 1;
            while (power--)
                scale *= base;
        }
    }

    if (*value && *value > limit / scale) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_OVERFLOW, __func__,
                           "value too large: %llu%s", *value,
                           suffix ? suffix : "");
        return -1;
    }
    *value *= scale;
    return 0;
}

/* <memory unit='U'>N</memory> -> KiB, rounded up. Absent: 0. */
static int
parseMemory(xmlNodePtr node, const char *xpath, unsigned long long *kib)
{
    g_autofree char *text = NULL;
    g_autofree char *unit = NULL;
    unsigned long long bytes;

    *kib = 0;
    if (!node)
        return 0;
    text = nodeText(node);
    if (parseULL(text, &bytes) < 0) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value '%s' for element or attribute '%s'",
                           text, xpath);
        return -1;
    }
    unit = virDomainXMLProp(node, "unit");
    if (virDomainScaleInteger(&bytes, unit, (unsigned long long)G_MAXINT64) < 0)
        return -1;
    *kib = bytes / 1024 + (bytes % 1024 ? 1 : 0);
    return 0;
}

/* ---- device addresses -------------------------------------------------- */

static int
parseAddressField(xmlNodePtr node, const char *name, unsigned int max,
                  const char *fmt, unsigned int *out)
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

/* The <address> child of a device element; only PCI addresses are kept
 * (drive addresses are derived data in libvirt and are accepted and
 * dropped). */
static int
parseDeviceAddress(xmlNodePtr device, virDomainDeviceAddress *addr)
{
    static const char *const otherTypes[] = {
        "virtio-serial", "ccid", "usb", "spapr-vio", "virtio-s390", "ccw",
        "virtio-mmio", "isa", "dimm", "unassigned", NULL,
    };
    xmlNodePtr node = virDomainXMLChild(device, "address");
    g_autofree char *type = NULL;
    g_autofree char *multi = NULL;

    memset(addr, 0, sizeof(*addr));
    if (!node)
        return 0;
    if (!(type = virDomainXMLProp(node, "type"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "No type specified for device address");
        return -1;
    }
    if (strcmp(type, "drive") == 0)
        return 0;
    if (strcmp(type, "pci") != 0) {
        if (strInList(otherTypes, type))
            reportUnsupportedValue("device address type", type);
        else
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "unknown address type '%s'", type);
        return -1;
    }
    addr->type = VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI;
    if (parseAddressField(node, "domain", 0, NULL, &addr->domain) < 0 ||
        parseAddressField(node, "bus", 0xFF,
                          "bus='0x%x', must be <= 0xFF", &addr->bus) < 0 ||
        parseAddressField(node, "slot", 0x1F,
                          "slot='0x%x', must be <= 0x1F", &addr->slot) < 0 ||
        parseAddressField(node, "function", 7,
                          "function=0x%x, must be <= 7", &addr->function) < 0)
        return -1;
    if ((multi = virDomainXMLProp(node, "multifunction"))) {
        if (strcmp(multi, "on") == 0) {
            addr->multifunction = 1;
        } else if (strcmp(multi, "off") == 0) {
            addr->multifunction = 2;
        } else {
            reportInvalidAttr("multifunction", node, multi);
            return -1;
        }
    }
    return 0;
}

/* ---- sections ---------------------------------------------------------- */

static const char *const libvirtOSTypes[] = {
    "xen", "linux", "exe", "uml", "xenpvh", NULL,
};
static const char *const libvirtArches[] = {
    "none", "alpha", "armv6l", "armv7l", "armv7b", "aarch64", "cris", "i686",
    "ia64", "lm32", "loongarch64", "m68k", "microblaze", "microblazeel",
    "mips", "mipsel", "mips64", "mips64el", "openrisc", "parisc", "parisc64",
    "ppc", "ppcle", "ppc64", "ppc64le", "ppcemb", "riscv32", "riscv64",
    "s390", "s390x", "sh4", "sh4eb", "sparc", "sparc64", "unicore32",
    "x86_64", "xtensa", "xtensaeb", NULL,
};

/* <os><type arch machine>: checked early, as libvirt does. */
static int
parseOSType(virDomainDef *def, xmlNodePtr os)
{
    xmlNodePtr type = virDomainXMLChild(os, "type");

    if (!type || !(def->os.type = nodeTextNonEmpty(type))) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "an os <type> must be specified");
        return -1;
    }
    if (strcmp(def->os.type, "hvm") != 0) {
        if (strInList(libvirtOSTypes, def->os.type))
            reportUnsupportedValue("os type", def->os.type);
        else
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown OS type '%s'",
                           def->os.type);
        return -1;
    }
    def->os.arch = virDomainXMLProp(type, "arch");
    def->os.machine = virDomainXMLProp(type, "machine");
    if (def->os.arch && !*def->os.arch)
        g_clear_pointer(&def->os.arch, g_free);
    if (def->os.machine && !*def->os.machine)
        g_clear_pointer(&def->os.machine, g_free);
    if (def->os.arch && !strInList(libvirtArches, def->os.arch)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Unknown architecture %s",
                       def->os.arch);
        return -1;
    }
    return 0;
}

static int
parseOS(virDomainDef *def, xmlNodePtr os, GPtrArray *unknown,
        unsigned int flags, bool *failed)
{
    for (xmlNodePtr cur = os->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (nodeIs(cur, "type")) {
            continue;
        } else if (nodeIs(cur, "kernel")) {
            if (!def->os.kernel)
                def->os.kernel = nodeTextNonEmpty(cur);
        } else if (nodeIs(cur, "initrd")) {
            if (!def->os.initrd)
                def->os.initrd = nodeTextNonEmpty(cur);
        } else if (nodeIs(cur, "cmdline")) {
            if (!def->os.cmdline)
                def->os.cmdline = nodeTextNonEmpty(cur);
        } else if (nodeIs(cur, "boot")) {
            g_autofree char *dev = virDomainXMLProp(cur, "dev");
            int val;

            if (!dev) {
                reportMissingAttr("dev", cur);
                return -1;
            }
            val = virDomainEnumFromString(virDomainBootNames, VIR_DOMAIN_BOOT_LAST, dev);
            if (val < 0) {
                reportInvalidAttr("dev", cur, dev);
                return -1;
            }
            /* libvirt keeps at most one entry per boot device kind */
            if (def->os.nBootDevs < VIR_DOMAIN_BOOT_LAST)
                def->os.bootDevs[def->os.nBootDevs++] = val;
        } else {
            recordUnknown(unknown, "os", cur, flags, failed);
        }
    }
    return 0;
}

static int
parseLifecycle(xmlNodePtr root, const char *name, int *action)
{
    xmlNodePtr node = virDomainXMLChild(root, name);
    g_autofree char *text = node ? nodeTextNonEmpty(node) : NULL;

    if (!text)
        return 0;
    if ((*action = virDomainLifecycleActionFromString(text)) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown %s action: %s",
                       name, text);
        return -1;
    }
    return 0;
}

/* libvirt's virDiskNameParse: a known prefix, letters, then an optional
 * partition number. */
static bool
diskNameValid(const char *name)
{
    static const char *const prefixes[] = { "fd", "hd", "vd", "sd", "xvd", "ubd", NULL };
    const char *p = NULL;

    for (size_t i = 0; prefixes[i]; i++) {
        if (g_str_has_prefix(name, prefixes[i])) {
            p = name + strlen(prefixes[i]);
            break;
        }
    }
    if (!p || !g_ascii_islower(*p))
        return false;
    while (g_ascii_islower(*p))
        p++;
    while (g_ascii_isdigit(*p))
        p++;
    return *p == '\0';
}

static int
parseDisk(virDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    g_autoptr(virDomainDiskDef) disk = g_new0(virDomainDiskDef, 1);
    g_autofree char *type = virDomainXMLProp(node, "type");
    g_autofree char *device = virDomainXMLProp(node, "device");
    xmlNodePtr driver = virDomainXMLChild(node, "driver");
    xmlNodePtr source = virDomainXMLChild(node, "source");
    xmlNodePtr target = virDomainXMLChild(node, "target");
    g_autofree char *bus = NULL;

    if (type) {
        if ((disk->type = virDomainEnumFromString(virDomainDiskTypeNames,
                                                  VIR_DOMAIN_DISK_TYPE_LAST,
                                                  type)) < 0) {
            if (strInList(libvirtDiskTypes, type))
                reportUnsupportedValue("disk type", type);
            else
                reportInvalidAttr("type", node, type);
            return -1;
        }
    }
    if (device) {
        if ((disk->device = virDomainEnumFromString(virDomainDiskDeviceNames,
                                                    VIR_DOMAIN_DISK_DEVICE_LAST,
                                                    device)) < 0) {
            if (strInList(libvirtDiskDevices, device))
                reportUnsupportedValue("disk device", device);
            else
                reportInvalidAttr("device", node, device);
            return -1;
        }
    }

    if (source) {
        disk->src = virDomainXMLProp(source, "file");
        if (disk->src && !*disk->src)
            g_clear_pointer(&disk->src, g_free);
    }

    if (target) {
        disk->dst = virDomainXMLProp(target, "dev");
        bus = virDomainXMLProp(target, "bus");
    }
    if (!disk->dst || !*disk->dst) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_NO_TARGET, __func__,
                           "%s", disk->src ? disk->src : "");
        return -1;
    }

    if (driver) {
        g_autofree char *fmt = virDomainXMLProp(driver, "type");
        g_autofree char *cache = virDomainXMLProp(driver, "cache");

        disk->driverName = virDomainXMLProp(driver, "name");
        if (disk->driverName && !*disk->driverName)
            g_clear_pointer(&disk->driverName, g_free);
        if (fmt && *fmt) {
            disk->format = virDomainEnumFromString(virStorageFormatNames,
                                                   VIR_STORAGE_FORMAT_LAST, fmt);
            if (disk->format <= VIR_STORAGE_FORMAT_NONE) {
                static const char *const known[] = {
                    "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi",
                    "fat", "vhd", "ploop", "cow", "qcow", "qed", "vmdk",
                    "luks", NULL,
                };
                if (strInList(known, fmt))
                    reportUnsupportedValue("disk format", fmt);
                else
                    virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                                   "unknown driver format value '%s'", fmt);
                return -1;
            }
        }
        if (cache) {
            disk->cache = virDomainEnumFromString(virDomainDiskCacheNames,
                                                  VIR_DOMAIN_DISK_CACHE_LAST, cache);
            if (disk->cache < 0) {
                reportInvalidAttr("cache", driver, cache);
                return -1;
            }
        }
    }

    if (bus) {
        disk->bus = virDomainEnumFromString(virDomainDiskBusNames,
                                            VIR_DOMAIN_DISK_BUS_LAST, bus);
        if (disk->bus <= VIR_DOMAIN_DISK_BUS_NONE) {
            if (strInList(libvirtDiskBuses, bus))
                reportUnsupportedValue("disk bus", bus);
            else
                reportInvalidAttr("bus", target, bus);
            return -1;
        }
    } else {
        /* libvirt derives the bus from the target name's prefix */
        if (g_str_has_prefix(disk->dst, "hd"))
            disk->bus = VIR_DOMAIN_DISK_BUS_IDE;
        else if (g_str_has_prefix(disk->dst, "sd"))
            disk->bus = VIR_DOMAIN_DISK_BUS_SCSI;
        else if (g_str_has_prefix(disk->dst, "vd"))
            disk->bus = VIR_DOMAIN_DISK_BUS_VIRTIO;
        else if (g_str_has_prefix(disk->dst, "xvd")) {
            reportUnsupportedValue("disk bus", "xen");
            return -1;
        } else if (g_str_has_prefix(disk->dst, "ubd")) {
            reportUnsupportedValue("disk bus", "uml");
            return -1;
        } else
            disk->bus = VIR_DOMAIN_DISK_BUS_IDE;
    }

    if (parseDeviceAddress(node, &disk->addr) < 0)
        return -1;
    if (!diskNameValid(disk->dst)) {
        if (virDomainXMLChild(node, "address"))
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "Invalid harddisk device name: %s", disk->dst);
        else
            virReportError(VIR_ERR_XML_ERROR,
                           "Unknown disk name '%s' and no address specified",
                           disk->dst);
        return -1;
    }

    disk->readonly = virDomainXMLChild(node, "readonly") != NULL;
    if (disk->device == VIR_DOMAIN_DISK_DEVICE_CDROM)
        disk->readonly = true;

    for (size_t i = 0; i < def->ndisks; i++) {
        if (strcmp(def->disks[i]->dst, disk->dst) == 0) {
            virReportError(VIR_ERR_XML_ERROR, "target '%s' duplicated for disk "
                           "sources '%s' and '%s'", disk->dst,
                           def->disks[i]->src ? def->disks[i]->src : "<null>",
                           disk->src ? disk->src : "<null>");
            return -1;
        }
    }

    def->disks = g_renew(virDomainDiskDef *, def->disks, def->ndisks + 2);
    def->disks[def->ndisks++] = g_steal_pointer(&disk);
    def->disks[def->ndisks] = NULL;
    return 0;
}

int
virDomainMACParse(const char *str, unsigned char *mac)
{
    const char *p = str;

    for (int i = 0; i < 6; i++) {
        char *end = NULL;
        unsigned long val;

        if (!g_ascii_isxdigit(*p))
            return -1;
        errno = 0;
        val = strtoul(p, &end, 16);
        if (errno || end == p || val > 0xff || end - p > 2)
            return -1;
        mac[i] = val;
        p = end;
        if (i < 5) {
            if (*p != ':' && *p != '-')
                return -1;
            p++;
        }
    }
    return *p == '\0' ? 0 : -1;
}

static int
parseNet(virDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    g_autoptr(virDomainNetDef) net = g_new0(virDomainNetDef, 1);
    g_autofree char *type = virDomainXMLProp(node, "type");
    xmlNodePtr mac = virDomainXMLChild(node, "mac");
    xmlNodePtr source = virDomainXMLChild(node, "source");
    xmlNodePtr model = virDomainXMLChild(node, "model");
    xmlNodePtr target = virDomainXMLChild(node, "target");

    if (type) {
        net->type = virDomainEnumFromString(virDomainNetTypeNames,
                                            VIR_DOMAIN_NET_TYPE_LAST, type);
        if (net->type < 0) {
            if (strInList(libvirtNetTypes, type))
                reportUnsupportedValue("interface type", type);
            else
                reportInvalidAttr("type", node, type);
            return -1;
        }
    }

    if (mac) {
        g_autofree char *addr = virDomainXMLProp(mac, "address");

        if (addr) {
            if (virDomainMACParse(addr, net->mac) < 0) {
                virReportError(VIR_ERR_XML_ERROR,
                               "unable to parse mac address '%s'", addr);
                return -1;
            }
            if (net->mac[0] & 1) {
                virReportError(VIR_ERR_XML_ERROR,
                               "expected unicast mac address, found multicast '%s'",
                               addr);
                return -1;
            }
            net->macSet = true;
        }
    }

    if (net->type == VIR_DOMAIN_NET_TYPE_NETWORK) {
        net->network = source ? virDomainXMLProp(source, "network") : NULL;
        if (!net->network || !*net->network) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "interface type='network' requires a 'source' element");
            return -1;
        }
    }

    if (model) {
        net->model = virDomainXMLProp(model, "type");
        if (net->model && !*net->model)
            g_clear_pointer(&net->model, g_free);
    }

    if (target) {
        net->ifname = virDomainXMLProp(target, "dev");
        if (net->ifname && !*net->ifname)
            g_clear_pointer(&net->ifname, g_free);
        /* Names the hypervisor generated belong to one run only. */
        if (net->ifname && (flags & VIR_DOMAIN_DEF_PARSE_INACTIVE) &&
            (g_str_has_prefix(net->ifname, "vnet") ||
             g_str_has_prefix(net->ifname, "macvtap") ||
             g_str_has_prefix(net->ifname, "macvlan")))
            g_clear_pointer(&net->ifname, g_free);
    }

    if (parseDeviceAddress(node, &net->addr) < 0)
        return -1;

    def->nets = g_renew(virDomainNetDef *, def->nets, def->nnets + 2);
    def->nets[def->nnets++] = g_steal_pointer(&net);
    def->nets[def->nnets] = NULL;
    return 0;
}

static int
parseChr(virDomainDef *def, xmlNodePtr node, int deviceType, unsigned int flags)
{
    g_autoptr(virDomainChrDef) chr = g_new0(virDomainChrDef, 1);
    g_autofree char *type = virDomainXMLProp(node, "type");
    xmlNodePtr source = virDomainXMLChild(node, "source");
    xmlNodePtr target = virDomainXMLChild(node, "target");

    chr->deviceType = deviceType;
    chr->targetPort = -1;
    chr->type = VIR_DOMAIN_CHR_TYPE_PTY;
    if (type) {
        chr->type = virDomainEnumFromString(virDomainChrTypeNames,
                                            VIR_DOMAIN_CHR_TYPE_LAST, type);
        if (chr->type < 0) {
            if (strInList(libvirtChrTypes, type))
                reportUnsupportedValue("character device type", type);
            else
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               "unknown type presented to host for character device: %s",
                               type);
            return -1;
        }
    }

    if (target) {
        g_autofree char *ttype = virDomainXMLProp(target, "type");
        g_autofree char *port = virDomainXMLProp(target, "port");
        xmlNodePtr model = virDomainXMLChild(target, "model");

        if (ttype) {
            int val = virDomainEnumFromString(virDomainChrTargetNames,
                                              VIR_DOMAIN_CHR_TARGET_LAST, ttype);
            bool ok;

            if (deviceType == VIR_DOMAIN_CHR_DEVICE_SERIAL)
                ok = val == VIR_DOMAIN_CHR_TARGET_ISA_SERIAL;
            else
                ok = val == VIR_DOMAIN_CHR_TARGET_SERIAL ||
                     val == VIR_DOMAIN_CHR_TARGET_VIRTIO;
            if (!ok) {
                const char *const *known = deviceType == VIR_DOMAIN_CHR_DEVICE_SERIAL ?
                    libvirtSerialTargets : libvirtConsoleTargets;
                if (strInList(known, ttype))
                    reportUnsupportedValue("character device target type", ttype);
                else
                    virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                                   "unknown target type '%s' specified for character device",
                                   ttype);
                return -1;
            }
            chr->targetType = val;
        }
        if (port) {
            unsigned long long val;

            if (parseULL(port, &val) < 0 || val > G_MAXINT) {
                virReportError(VIR_ERR_XML_ERROR, "Invalid port number: %s", port);
                return -1;
            }
            chr->targetPort = (int)val;
        }
        if (model) {
            chr->targetModel = virDomainXMLProp(model, "name");
            if (chr->targetModel && !*chr->targetModel)
                g_clear_pointer(&chr->targetModel, g_free);
        }
    }

    if (chr->type == VIR_DOMAIN_CHR_TYPE_FILE) {
        chr->path = source ? virDomainXMLProp(source, "path") : NULL;
        if (!chr->path || !*chr->path) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "Missing source path attribute for char device");
            return -1;
        }
    } else if (chr->type == VIR_DOMAIN_CHR_TYPE_PTY && source &&
               !(flags & VIR_DOMAIN_DEF_PARSE_INACTIVE)) {
        /* the allocated pty is live-only data */
        chr->path = virDomainXMLProp(source, "path");
        if (chr->path && !*chr->path)
            g_clear_pointer(&chr->path, g_free);
    }

    if (deviceType == VIR_DOMAIN_CHR_DEVICE_SERIAL) {
        def->serials = g_renew(virDomainChrDef *, def->serials, def->nserials + 2);
        def->serials[def->nserials++] = g_steal_pointer(&chr);
        def->serials[def->nserials] = NULL;
    } else {
        def->consoles = g_renew(virDomainChrDef *, def->consoles, def->nconsoles + 2);
        def->consoles[def->nconsoles++] = g_steal_pointer(&chr);
        def->consoles[def->nconsoles] = NULL;
    }
    return 0;
}

static int
parseMemballoon(virDomainDef *def, xmlNodePtr node)
{
    g_autofree char *model = virDomainXMLProp(node, "model");
    int val;

    if (def->memballoon) /* libvirt uses the first one */
        return 0;
    if (!model) {
        reportMissingAttr("model", node);
        return -1;
    }
    val = virDomainEnumFromString(virDomainMemballoonModelNames,
                                  VIR_DOMAIN_MEMBALLOON_MODEL_LAST, model);
    if (val < 0) {
        if (strInList(libvirtBalloonModels, model))
            reportUnsupportedValue("memballoon model", model);
        else
            reportInvalidAttr("model", node, model);
        return -1;
    }
    def->memballoon = g_new0(virDomainMemballoonDef, 1);
    def->memballoon->model = val;
    if (parseDeviceAddress(node, &def->memballoon->addr) < 0) {
        g_clear_pointer(&def->memballoon, g_free);
        return -1;
    }
    return 0;
}

/*
 * Children of a device element that virtkit does not carry are recorded
 * as "devices/DEVICE/CHILD" so a driver can refuse them. <alias> is live
 * data the hypervisor driver assigns; a per-device <boot> changes how the
 * guest boots, so it is refused rather than dropped.
 */
static int
checkDeviceChildren(xmlNodePtr node, const char *const *known, GPtrArray *unknown,
                    unsigned int flags, bool *failed)
{
    g_autofree char *parent = g_strdup_printf("devices/%s", (const char *)node->name);

    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE || nodeIs(cur, "alias") ||
            strInList(known, (const char *)cur->name))
            continue;
        if (nodeIs(cur, "boot")) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "per-device boot order is not supported by virtkit");
            return -1;
        }
        recordUnknown(unknown, parent, cur, flags, failed);
        if (*failed)
            return -1;
    }
    return 0;
}

static const char *const diskChildren[] = {
    "driver", "source", "target", "readonly", "address", NULL,
};
static const char *const netChildren[] = {
    "mac", "source", "model", "target", "address", NULL,
};
static const char *const chrChildren[] = { "source", "target", NULL };
static const char *const balloonChildren[] = { "address", NULL };

static int
parseDevices(virDomainDef *def, xmlNodePtr devices, GPtrArray *unknown,
             unsigned int flags, bool *failed)
{
    for (xmlNodePtr cur = devices->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (nodeIs(cur, "emulator")) {
            if (!def->emulator)
                def->emulator = nodeTextNonEmpty(cur);
        } else if (nodeIs(cur, "disk")) {
            if (parseDisk(def, cur, flags) < 0 ||
                checkDeviceChildren(cur, diskChildren, unknown, flags, failed) < 0)
                return -1;
        } else if (nodeIs(cur, "interface")) {
            if (parseNet(def, cur, flags) < 0 ||
                checkDeviceChildren(cur, netChildren, unknown, flags, failed) < 0)
                return -1;
        } else if (nodeIs(cur, "serial")) {
            if (parseChr(def, cur, VIR_DOMAIN_CHR_DEVICE_SERIAL, flags) < 0 ||
                checkDeviceChildren(cur, chrChildren, unknown, flags, failed) < 0)
                return -1;
        } else if (nodeIs(cur, "console")) {
            if (parseChr(def, cur, VIR_DOMAIN_CHR_DEVICE_CONSOLE, flags) < 0 ||
                checkDeviceChildren(cur, chrChildren, unknown, flags, failed) < 0)
                return -1;
        } else if (nodeIs(cur, "memballoon")) {
            if (parseMemballoon(def, cur) < 0 ||
                checkDeviceChildren(cur, balloonChildren, unknown, flags, failed) < 0)
                return -1;
        } else {
            recordUnknown(unknown, "devices", cur, flags, failed);
            if (*failed)
                return -1;
        }
    }
    return 0;
}

/* ---- post-parse (generic, as libvirt's conf layer) --------------------- */

static void
chrInsert(virDomainChrDef ***list, size_t *n, size_t pos, virDomainChrDef *chr)
{
    *list = g_renew(virDomainChrDef *, *list, *n + 2);
    memmove(*list + pos + 1, *list + pos, (*n - pos) * sizeof(**list));
    (*list)[pos] = chr;
    (*n)++;
    (*list)[*n] = NULL;
}

/* A serial without a port gets one above every port in use (libvirt
 * looks at all serials, including later ones). */
static void
assignSerialPorts(virDomainChrDef **chrs, size_t n)
{
    int maxport = -1;

    for (size_t i = 0; i < n; i++) {
        if (chrs[i]->targetPort > maxport)
            maxport = chrs[i]->targetPort;
    }
    for (size_t i = 0; i < n; i++) {
        if (chrs[i]->targetPort == -1)
            chrs[i]->targetPort = ++maxport;
    }
}

/*
 * libvirt's console compatibility: the first console, when it is a serial
 * console, is the same device as the first serial port. A serial console
 * without any serial creates that serial; a serial without console gets a
 * console; and the first serial console always mirrors serial 0.
 */
static void
postParseConsoles(virDomainDef *def)
{
    if (def->nconsoles > 0 && def->nserials == 0 &&
        (def->consoles[0]->targetType == VIR_DOMAIN_CHR_TARGET_NONE ||
         def->consoles[0]->targetType == VIR_DOMAIN_CHR_TARGET_SERIAL)) {
        virDomainChrDef *serial = virDomainChrDefCopy(def->consoles[0]);

        serial->deviceType = VIR_DOMAIN_CHR_DEVICE_SERIAL;
        serial->targetType = VIR_DOMAIN_CHR_TARGET_NONE;
        g_clear_pointer(&serial->targetModel, g_free);
        chrInsert(&def->serials, &def->nserials, 0, serial);
    }

    assignSerialPorts(def->serials, def->nserials);

    if (def->nserials == 0)
        goto ports;

    if (def->nconsoles > 0 &&
        (def->consoles[0]->targetType == VIR_DOMAIN_CHR_TARGET_NONE ||
         def->consoles[0]->targetType == VIR_DOMAIN_CHR_TARGET_SERIAL)) {
        virDomainChrDefFree(def->consoles[0]);
        def->consoles[0] = NULL;
    } else {
        chrInsert(&def->consoles, &def->nconsoles, 0, NULL);
    }
    def->consoles[0] = virDomainChrDefCopy(def->serials[0]);
    def->consoles[0]->deviceType = VIR_DOMAIN_CHR_DEVICE_CONSOLE;
    def->consoles[0]->targetType = VIR_DOMAIN_CHR_TARGET_SERIAL;
    g_clear_pointer(&def->consoles[0]->targetModel, g_free);

 ports:
    for (size_t i = 0; i < def->nconsoles; i++) {
        if (def->consoles[i]->targetType == VIR_DOMAIN_CHR_TARGET_NONE)
            def->consoles[i]->targetType = VIR_DOMAIN_CHR_TARGET_SERIAL;
    }
}

static int
postParse(virDomainDef *def)
{
    /* libvirt numbers the consoles it parsed by their position, whatever
     * port they gave, before the serial compatibility console is added */
    for (size_t i = 0; i < def->nconsoles; i++)
        def->consoles[i]->targetPort = (int)i;

    if (def->memory == 0) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "Memory size must be specified via <memory> or in the "
                       "<numa> configuration");
        return -1;
    }
    if (def->currentMemory == 0 || def->currentMemory > def->memory)
        def->currentMemory = def->memory;

    if (def->vcpus == 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "CPU IDs in <numa> exceed the <vcpu> count");
        return -1;
    }

    if (def->os.nBootDevs == 0 && g_strcmp0(def->os.type, "hvm") == 0) {
        def->os.bootDevs[0] = VIR_DOMAIN_BOOT_DISK;
        def->os.nBootDevs = 1;
    }

    postParseConsoles(def);
    return 0;
}

static int
validateLifecycle(const char *event, int action)
{
    if (action == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_DESTROY ||
        action == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Lifecycle event '%s' doesn't support '%s' action",
                       event, virDomainLifecycleActionToString(action));
        return -1;
    }
    return 0;
}

/* ---- the document ------------------------------------------------------ */

static const char *const knownTopLevel[] = {
    "name", "uuid", "title", "description", "memory", "currentMemory",
    "vcpu", "os", "features", "clock", "on_poweroff", "on_reboot",
    "on_crash", "devices", NULL,
};

virDomainDef *
virDomainDefParseNode(xmlNodePtr root, unsigned int flags)
{
    g_autoptr(virDomainDef) def = virDomainDefNew();
    g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *type = NULL;
    g_autofree char *uuid = NULL;
    g_autofree char *vcpu = NULL;
    xmlNodePtr node;
    bool failed = false;

    if (!root || root->type != XML_ELEMENT_NODE ||
        strcmp((const char *)root->name, "domain") != 0) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "expecting root element of 'domain', not '%s'",
                           root && root->name ? (const char *)root->name : "");
        return NULL;
    }

    /* the order of checks follows libvirt's, so that a document with
     * several faults reports the same first one */
    if (!(type = virDomainXMLProp(root, "type"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing domain type attribute");
        return NULL;
    }
    if ((def->virtType = virDomainVirtTypeFromString(type)) <= VIR_DOMAIN_VIRT_NONE) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "invalid domain type %s", type);
        return NULL;
    }

    if (!(flags & VIR_DOMAIN_DEF_PARSE_INACTIVE)) {
        g_autofree char *id = virDomainXMLProp(root, "id");
        unsigned long long val;

        if (id) {
            if (parseULL(id, &val) < 0 || val > G_MAXINT) {
                virReportError(VIR_ERR_XML_ERROR, "invalid domain id '%s'", id);
                return NULL;
            }
            def->id = (int)val;
        }
    }

    if (!(def->name = nodeTextNonEmpty(virDomainXMLChild(root, "name")))) {
        virReportError(VIR_ERR_NO_NAME, NULL);
        return NULL;
    }
    if (strchr(def->name, '\n')) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_DETAIL, __func__,
                           "invalid char in name: \n");
        return NULL;
    }
    if (strchr(def->name, '/')) {
        virReportError(VIR_ERR_XML_ERROR, "name %s cannot contain '/'", def->name);
        return NULL;
    }

    if ((uuid = nodeTextNonEmpty(virDomainXMLChild(root, "uuid")))) {
        if (virUUIDParse(uuid, def->uuid) < 0) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "malformed uuid element");
            return NULL;
        }
    } else {
        virUUIDGenerate(def->uuid);
    }

    if (parseOSType(def, virDomainXMLChild(root, "os")) < 0)
        return NULL;

    def->title = nodeTextNonEmpty(virDomainXMLChild(root, "title"));
    if (def->title && strchr(def->title, '\n')) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "Domain title can't contain newlines");
        return NULL;
    }
    def->description = nodeTextNonEmpty(virDomainXMLChild(root, "description"));

    if (parseMemory(virDomainXMLChild(root, "memory"), "./memory[1]",
                    &def->memory) < 0)
        return NULL;
    if (parseMemory(virDomainXMLChild(root, "currentMemory"), "./currentMemory[1]",
                    &def->currentMemory) < 0)
        return NULL;

    if ((node = virDomainXMLChild(root, "vcpu"))) {
        unsigned long long val;

        g_autofree char *placement = virDomainXMLProp(node, "placement");
        g_autofree char *current = virDomainXMLProp(node, "current");

        vcpu = nodeText(node);
        if (parseULL(vcpu, &val) < 0 || val > G_MAXUINT) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "maximum vcpus count must be an integer");
            return NULL;
        }
        def->vcpus = (unsigned int)val;
        if (placement && strcmp(placement, "static") != 0) {
            if (strcmp(placement, "auto") == 0)
                reportUnsupportedValue("vcpu placement", placement);
            else
                reportInvalidAttr("placement", node, placement);
            return NULL;
        }
        if (current) {
            unsigned long long cur;

            if (parseULL(current, &cur) < 0 || cur > G_MAXUINT) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "current vcpus count must be an integer");
                return NULL;
            }
            if (cur > val) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                               "maximum vCPU count must not be less than current vCPU count");
                return NULL;
            }
            if (cur != 0 && cur != val) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               "vcpu current='%llu' below the maximum is not supported "
                               "by virtkit", cur);
                return NULL;
            }
        }
    }

    if (parseLifecycle(root, "on_reboot", &def->onReboot) < 0 ||
        parseLifecycle(root, "on_poweroff", &def->onPoweroff) < 0 ||
        parseLifecycle(root, "on_crash", &def->onCrash) < 0)
        return NULL;

    if ((node = virDomainXMLChild(root, "clock"))) {
        g_autofree char *offset = virDomainXMLProp(node, "offset");

        if (offset) {
            def->clockOffset = virDomainEnumFromString(virDomainClockOffsetNames,
                                                       VIR_DOMAIN_CLOCK_OFFSET_LAST,
                                                       offset);
            if (def->clockOffset < 0) {
                if (strInList(libvirtClockOffsets, offset))
                    reportUnsupportedValue("clock offset", offset);
                else
                    virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                                   "unknown clock offset '%s'", offset);
                return NULL;
            }
        }
        for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
            if (cur->type == XML_ELEMENT_NODE &&
                (recordUnknown(unknown, "clock", cur, flags, &failed), failed))
                return NULL;
        }
    }

    if (parseOS(def, virDomainXMLChild(root, "os"), unknown, flags, &failed) < 0 ||
        failed)
        return NULL;

    if ((node = virDomainXMLChild(root, "features"))) {
        for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
            if (cur->type != XML_ELEMENT_NODE)
                continue;
            if (nodeIs(cur, "acpi"))
                def->acpi = true;
            else if (nodeIs(cur, "apic"))
                def->apic = true;
            else if ((recordUnknown(unknown, "features", cur, flags, &failed), failed))
                return NULL;
        }
    }

    if ((node = virDomainXMLChild(root, "devices")) &&
        parseDevices(def, node, unknown, flags, &failed) < 0)
        return NULL;

    for (xmlNodePtr cur = root->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (!strInList(knownTopLevel, (const char *)cur->name)) {
            recordUnknown(unknown, NULL, cur, flags, &failed);
            if (failed)
                return NULL;
        }
    }

    if (postParse(def) < 0)
        return NULL;

    if (validateLifecycle("poweroff", def->onPoweroff) < 0 ||
        validateLifecycle("reboot", def->onReboot) < 0)
        return NULL;

    if (unknown->len > 0) {
        g_ptr_array_add(unknown, NULL);
        def->unknownElements = (char **)g_ptr_array_free(g_steal_pointer(&unknown), FALSE);
    }
    return g_steal_pointer(&def);
}

/* ---- reading documents ------------------------------------------------- */

typedef struct {
    bool reported;
} parserState;

/*
 * libxml2 calls this for every parser error; report the first fatal one as
 * libvirt does: "URL:LINE: MESSAGE" + the offending line + a caret line.
 */
static void
catchXMLError(void *ctx, const char *msg G_GNUC_UNUSED, ...)
{
    xmlParserCtxtPtr ctxt = ctx;
    parserState *state;
    const xmlChar *cur, *base;
    g_autoptr(GString) context = NULL;
    g_autoptr(GString) pointer = NULL;
    size_t col;
    const xmlError *err;

    if (!ctxt || !ctxt->input || !(state = ctxt->_private) || state->reported)
        return;
    err = &ctxt->lastError;
    if (err->level != XML_ERR_FATAL || !err->message)
        return;

    cur = ctxt->input->cur;
    base = ctxt->input->base;
    /* back over line ends, then to the start of the line */
    while (cur > base && (*cur == '\n' || *cur == '\r'))
        cur--;
    while (cur > base && *cur != '\n' && *cur != '\r')
        cur--;
    if (*cur == '\n' || *cur == '\r')
        cur++;
    col = ctxt->input->cur - cur;

    context = g_string_new(NULL);
    while (*cur && *cur != '\n' && *cur != '\r')
        g_string_append_c(context, *cur++);
    pointer = g_string_new(NULL);
    for (size_t n = 0; n < col && n < context->len; n++)
        g_string_append_c(pointer, context->str[n] == '\t' ? '\t' : '-');
    g_string_append_c(pointer, '^');

    virReportError(VIR_ERR_XML_DETAIL, "%s:%d: %s%s\n%s",
                   err->file ? err->file : "(domain_definition)", err->line,
                   err->message,
                   context->len ? context->str : "(null)", pointer->str);
    state->reported = true;
}

static gsize xmlInitialized;

xmlDocPtr
virDomainXMLReadDoc(const char *xml, size_t len, const char *url)
{
    xmlParserCtxtPtr ctxt = NULL;
    xmlDocPtr doc = NULL;
    parserState state = { false };

    if (g_once_init_enter(&xmlInitialized)) {
        xmlInitParser();
        g_once_init_leave(&xmlInitialized, 1);
    }

    if (len > VIR_DOMAIN_XML_MAX_SIZE) {
        virReportError(VIR_ERR_XML_ERROR,
                       "document of %zu bytes exceeds the limit of %d bytes",
                       len, VIR_DOMAIN_XML_MAX_SIZE);
        return NULL;
    }

    if (!(ctxt = xmlNewParserCtxt())) {
        virReportError(VIR_ERR_NO_MEMORY, NULL);
        return NULL;
    }
    ctxt->_private = &state;
    ctxt->sax->error = catchXMLError;
    ctxt->sax->warning = NULL;
    ctxt->vctxt.error = NULL;
    ctxt->vctxt.warning = NULL;

    /* No NOENT (entities stay references), no DTD loading, no network. */
    doc = xmlCtxtReadMemory(ctxt, xml, (int)len, url, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOWARNING |
                            XML_PARSE_NOCDATA);
    if (doc && !ctxt->wellFormed) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (!doc && !state.reported)
        virReportError(VIR_ERR_XML_ERROR, "failed to parse xml document '%s'", url);
    ctxt->_private = NULL;
    xmlFreeParserCtxt(ctxt);
    return doc;
}

virDomainDef *
virDomainDefParseString(const char *xml, unsigned int flags)
{
    xmlDocPtr doc;
    virDomainDef *def;

    if (!xml) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "xml must not be NULL");
        return NULL;
    }
    if (!(doc = virDomainXMLReadDoc(xml, strlen(xml), "(domain_definition)")))
        return NULL;
    def = virDomainDefParseNode(xmlDocGetRootElement(doc), flags);
    xmlFreeDoc(doc);
    return def;
}

virDomainDef *
virDomainDefParseFile(const char *path, unsigned int flags)
{
    g_autofree char *buf = NULL;
    ssize_t len;
    xmlDocPtr doc;
    virDomainDef *def;

    if ((len = virFileReadAll(path, VIR_DOMAIN_XML_MAX_SIZE, &buf)) < 0)
        return NULL;
    if (!(doc = virDomainXMLReadDoc(buf, len, path)))
        return NULL;
    def = virDomainDefParseNode(xmlDocGetRootElement(doc), flags);
    xmlFreeDoc(doc);
    return def;
}
