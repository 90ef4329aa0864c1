/* domain_device_conf.c: parsing of <devices> children (interface, serial, console,
 * channel, rng, memballoon); disks are in domain_disk_conf.c, controllers in domain_controller_conf.c, the display
 * devices in domain_graphics_conf.c */

#define G_LOG_DOMAIN "virtkit.conf.device"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "netdev_bandwidth_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* Values libvirt accepts for an attribute that virtkit does not implement:
 * these are refused with CONFIG_UNSUPPORTED rather than reported as
 * invalid, so that the user learns the value is valid but unsupported. */
static const char *const libvirtChrTypes[] = {
    "vc",       "dev",       "stdio", "pipe",         "tcp",  "udp", "unix",
    "spicevmc", "spiceport", "nmdm",  "qemu-vdagent", "dbus", NULL,
};
static const char *const libvirtSerialTargets[] = {
    "usb-serial", "pci-serial", "spapr-vio-serial", "system-serial", "sclp-serial",
    "isa-debug",  NULL,
};
static const char *const libvirtConsoleTargets[] = {
    "xen", "uml", "lxc", "openvz", "sclp", "sclplm", NULL,
};
static const char *const libvirtBalloonModels[] = {
    "xen",
    "virtio-transitional",
    "virtio-non-transitional",
    NULL,
};

static int
parseChr(GPtrArray *chrs, xmlNodePtr node, int deviceType, unsigned int flags)
{
    g_autoptr(virDomainChrDef) chr = g_new0(virDomainChrDef, 1);
    g_autofree char *type = virDomainXMLProp(node, "type");
    xmlNodePtr target = virDomainXMLChild(node, "target");

    chr->deviceType = deviceType;
    chr->targetPort = -1;
    chr->type = VIR_DOMAIN_CHR_TYPE_PTY;
    if (type) {
        chr->type = virDomainEnumFromString(virDomainChrTypeNames,
                                            VIR_DOMAIN_CHR_TYPE_LAST, type);
        if (chr->type < 0) {
            if (virDomainStrInList(libvirtChrTypes, type))
                virDomainReportUnsupportedValue("character device type", type);
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

        /* a parallel port has no target type nor model (libvirt reads
         * neither) */
        if (deviceType == VIR_DOMAIN_CHR_DEVICE_PARALLEL) {
            g_clear_pointer(&ttype, g_free);
            model = NULL;
        }
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
                const char *const *known = deviceType == VIR_DOMAIN_CHR_DEVICE_SERIAL
                                               ? libvirtSerialTargets
                                               : libvirtConsoleTargets;
                if (virDomainStrInList(known, ttype))
                    virDomainReportUnsupportedValue("character device target type",
                                                    ttype);
                else
                    virReportError(
                        VIR_ERR_CONFIG_UNSUPPORTED,
                        "unknown target type '%s' specified for character device", ttype);
                return -1;
            }
            chr->targetType = val;
        }
        /* libvirt's virStrToLong_ui: "-1" wraps to the "not given" port */
        if (port && g_str_equal(port, "-1")) {
            chr->targetPort = -1;
        } else if (port) {
            unsigned long long val;

            if (virDomainParseULL(port, &val) < 0 || val > G_MAXINT) {
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

    if (virDomainChrSourceParse(chr, node, flags) < 0 ||
        virDomainChrSourceValidate(chr) < 0)
        return -1;
    if (!(flags & VIR_DOMAIN_DEF_PARSE_INACTIVE)) {
        xmlNodePtr alias = virDomainXMLChild(node, "alias");

        if (alias && (chr->alias = virDomainXMLProp(alias, "name")) && !*chr->alias)
            g_clear_pointer(&chr->alias, g_free);
    }

    /* libvirt's parser: a parallel port without one gets the port after
     * the highest of the parallel ports before it */
    if (deviceType == VIR_DOMAIN_CHR_DEVICE_PARALLEL && chr->targetPort == -1) {
        for (guint i = 0; i < chrs->len; i++)
            chr->targetPort =
                MAX(chr->targetPort, ((virDomainChrDef *)chrs->pdata[i])->targetPort);
        chr->targetPort++;
    }
    g_ptr_array_add(chrs, g_steal_pointer(&chr));
    return 0;
}

static int
parseMemballoon(virDomainDef *def, xmlNodePtr node)
{
    g_autofree char *model = virDomainXMLProp(node, "model");
    xmlNodePtr stats;
    int val;

    if (def->memballoon) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "only a single memory balloon device is supported");
        return -1;
    }
    if (!model) {
        virDomainXMLReportMissingAttr("model", node);
        return -1;
    }
    val = virDomainEnumFromString(virDomainMemballoonModelNames,
                                  VIR_DOMAIN_MEMBALLOON_MODEL_LAST, model);
    if (val < 0) {
        if (virDomainStrInList(libvirtBalloonModels, model))
            virDomainReportUnsupportedValue("memballoon model", model);
        else
            virDomainXMLReportInvalidAttr("model", node, model);
        return -1;
    }
    def->memballoon = g_new0(virDomainMemballoonDef, 1);
    def->memballoon->model = val;
    stats = virDomainXMLChild(node, "stats");
    if (virDomainXMLPropSwitch(node, "autodeflate", &def->memballoon->autodeflate) < 0 ||
        virDomainXMLPropSwitch(node, "freePageReporting",
                               &def->memballoon->freePageReporting) < 0 ||
        virDomainXMLPropInt(stats, "period", &def->memballoon->period) < 0) {
        g_clear_pointer(&def->memballoon, g_free);
        return -1;
    }
    if (def->memballoon->period < 0)
        def->memballoon->period = 0;
    if (virDomainDeviceAddressParse(node, &def->memballoon->addr) < 0 ||
        virDomainVirtioOptionsParse(virDomainXMLChild(node, "driver"),
                                    &def->memballoon->virtio) < 0) {
        g_clear_pointer(&def->memballoon, g_free);
        return -1;
    }
    return 0;
}


/* ---- channels, rng ------------------------------------------------------ */

/* libvirt's virDomainChrSourceDefParseQemuVdagent: <clipboard copypaste>
 * (yes/no, required) and <mouse mode> (server/client, required), the
 * first of each */
static int
parseVdagentSource(virDomainChannelDef *chan, xmlNodePtr source)
{
    static const char *const copypaste[] = { "absent", "yes", "no", NULL };
    static const char *const modes[] = { "default", "server", "client", NULL };
    const struct {
        const char *elem;
        const char *attr;
        const char *const *names;
        int *out;
    } props[] = {
        { "clipboard", "copypaste", copypaste, &chan->vdagentClipboard },
        { "mouse", "mode", modes, &chan->vdagentMouse },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(props); i++) {
        xmlNodePtr n = virDomainXMLChild(source, props[i].elem);
        g_autofree char *val = n ? virDomainXMLProp(n, props[i].attr) : NULL;

        if (!n)
            continue;
        if (!val) {
            virDomainXMLReportMissingAttr(props[i].attr, n);
            return -1;
        }
        if ((*props[i].out = virDomainEnumFromString(props[i].names, 3, val)) <= 0) {
            *props[i].out = 0;
            virDomainXMLReportInvalidAttr(props[i].attr, n, val);
            return -1;
        }
    }
    return 0;
}

static virDomainChannelDef *
parseChannel(xmlNodePtr node, unsigned int flags)
{
    g_autoptr(virDomainChannelDef) chan = g_new0(virDomainChannelDef, 1);
    g_autofree char *type = virDomainXMLProp(node, "type");
    xmlNodePtr source = virDomainXMLChild(node, "source");
    xmlNodePtr target = virDomainXMLChild(node, "target");
    xmlNodePtr addr = virDomainXMLChild(node, "address");
    xmlNodePtr alias = virDomainXMLChild(node, "alias");
    g_autofree char *ttype = target ? virDomainXMLProp(target, "type") : NULL;

    chan->vsController = chan->vsBus = chan->vsPort = -1;
    if (alias && !(flags & VIR_DOMAIN_DEF_PARSE_INACTIVE) &&
        (chan->alias = virDomainXMLProp(alias, "name")) && !*chan->alias)
        g_clear_pointer(&chan->alias, g_free);
    if (!type || g_str_equal(type, "pty")) {
        chan->unixSocket = false;
        /* the allocated pty is live-only data */
        if (source && !(flags & VIR_DOMAIN_DEF_PARSE_INACTIVE))
            chan->path = virDomainXMLProp(source, "path");
        if (chan->path && !*chan->path)
            g_clear_pointer(&chan->path, g_free);
    } else if (g_str_equal(type, "spicevmc")) {
        chan->spicevmc = true; /* no source: the SPICE server is the host side */
    } else if (g_str_equal(type, "qemu-vdagent")) {
        chan->vdagent = true;
        if (source && parseVdagentSource(chan, source) < 0)
            return NULL;
    } else if (g_str_equal(type, "unix")) {
        g_autofree char *mode = source ? virDomainXMLProp(source, "mode") : NULL;

        chan->unixSocket = true;
        chan->connect = mode && g_str_equal(mode, "connect");
        if (mode && !chan->connect && !g_str_equal(mode, "bind")) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "Unknown source mode '%s' for char device", mode);
            return NULL;
        }
        if (source)
            chan->path = virDomainXMLProp(source, "path");
        if (chan->path && !*chan->path)
            g_clear_pointer(&chan->path, g_free);
    } else {
        virDomainReportUnsupportedValue("channel type", type);
        return NULL;
    }
    if (!target) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing target for channel");
        return NULL;
    }
    if (!ttype || !g_str_equal(ttype, "virtio")) {
        if (ttype && (g_str_equal(ttype, "guestfwd") || g_str_equal(ttype, "xen")))
            virDomainReportUnsupportedValue("channel target type", ttype);
        else
            virReportError(VIR_ERR_XML_ERROR,
                           "unknown target type '%s' specified for "
                           "character device",
                           ttype ? ttype : "");
        return NULL;
    }
    chan->targetName = virDomainXMLProp(target, "name");
    if (chan->targetName && !*chan->targetName)
        g_clear_pointer(&chan->targetName, g_free);
    if (addr) {
        g_autofree char *atype = virDomainXMLProp(addr, "type");

        if (!atype || !g_str_equal(atype, "virtio-serial")) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "channel address type '%s' is not supported by virtkit",
                           atype ? atype : "");
            return NULL;
        }
        if (virDomainXMLPropNonNegInt(addr, "controller", 10, &chan->vsController) < 0 ||
            virDomainXMLPropNonNegInt(addr, "bus", 10, &chan->vsBus) < 0 ||
            virDomainXMLPropNonNegInt(addr, "port", 10, &chan->vsPort) < 0)
            return NULL;
    }
    return g_steal_pointer(&chan);
}

/* <rate bytes|period> as libvirt reads it (virXPathUInt on the first
 * <rate>): absent or empty leaves *@out 0; anything but an unsigned int is
 * libvirt's XML error naming the attribute. */
static int
rngParseRate(xmlNodePtr rate, const char *name, unsigned int *out)
{
    g_autofree char *str = rate ? virDomainXMLProp(rate, name) : NULL;
    unsigned long long val;

    if (!str || !*str)
        return 0;
    if (strchr(str, '-') || virDomainParseULL(str, &val) < 0 || val > G_MAXUINT) {
        virReportError(VIR_ERR_XML_ERROR, "invalid RNG rate %s value", name);
        return -1;
    }
    *out = (unsigned int)val;
    return 0;
}

static virDomainRNGDef *
parseRNG(xmlNodePtr node, unsigned int flags)
{
    static const char *const models[] = { "virtio", "virtio-transitional",
                                          "virtio-non-transitional", NULL };
    g_autoptr(virDomainRNGDef) rng = g_new0(virDomainRNGDef, 1);
    xmlNodePtr backend = virDomainXMLChild(node, "backend");
    g_autofree char *bmodel = backend ? virDomainXMLProp(backend, "model") : NULL;

    if (!(rng->model = virDomainXMLProp(node, "model"))) {
        virDomainXMLReportMissingAttr("model", node);
        return NULL;
    }
    if (!virDomainStrInList(models, rng->model)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown RNG model '%s'", rng->model);
        return NULL;
    }
    if (rngParseRate(virDomainXMLChild(node, "rate"), "bytes", &rng->rate) < 0 ||
        (rng->rate > 0 &&
         rngParseRate(virDomainXMLChild(node, "rate"), "period", &rng->period) < 0))
        return NULL;
    if (!backend) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing RNG device backend");
        return NULL;
    }
    if (!bmodel) {
        virDomainXMLReportMissingAttr("model", backend);
        return NULL;
    }
    if (g_str_equal(bmodel, "builtin")) {
        rng->builtin = true;
    } else if (!g_str_equal(bmodel, "random")) {
        if (g_str_equal(bmodel, "egd"))
            virDomainReportUnsupportedValue("rng backend model", bmodel);
        else
            virDomainXMLReportInvalidAttr("model", backend, bmodel);
        return NULL;
    } else if (!(rng->backend = virDomainXMLNodeTextNonEmpty(backend))) {
        /* libvirt 9.0's default random source */
        rng->backend = g_strdup("/dev/random");
    }
    if (!(flags & VIR_DOMAIN_DEF_PARSE_INACTIVE)) {
        xmlNodePtr alias = virDomainXMLChild(node, "alias");

        if (alias && (rng->alias = virDomainXMLProp(alias, "name")) && !*rng->alias)
            g_clear_pointer(&rng->alias, g_free);
    }
    if (virDomainDeviceAddressParse(node, &rng->addr) < 0 ||
        virDomainVirtioOptionsParse(virDomainXMLChild(node, "driver"), &rng->virtio) < 0)
        return NULL;
    return g_steal_pointer(&rng);
}

/* The order libvirt's parser gives disks (each one placed by
 * virDomainDiskInsert): the disks of a bus together, the buses in the order
 * their first disk came, and each bus's disks by target index ("vda" before
 * "vdb", "sdz" before "sdaa"); equal indices keep their order. One stable
 * sort rather than libvirt's insertion, which is quadratic. */
typedef struct {
    int rank[VIR_DOMAIN_DISK_BUS_LAST + 1]; /* bus -> order of its first disk */
} diskSortData;

static int
diskBusSlot(const virDomainDiskDef *d)
{
    return d->bus >= 0 && d->bus < VIR_DOMAIN_DISK_BUS_LAST ? d->bus
                                                            : VIR_DOMAIN_DISK_BUS_LAST;
}

static gint
diskCompare(gconstpointer a, gconstpointer b, gpointer opaque)
{
    const virDomainDiskDef *da = *(virDomainDiskDef *const *)a;
    const virDomainDiskDef *db = *(virDomainDiskDef *const *)b;
    const diskSortData *data = opaque;
    int ra = data->rank[diskBusSlot(da)];
    int rb = data->rank[diskBusSlot(db)];
    int ia, ib;

    if (ra != rb)
        return ra < rb ? -1 : 1;
    ia = virDomainDiskNameIndex(da->dst);
    ib = virDomainDiskNameIndex(db->dst);
    return ia < ib ? -1 : ia > ib;
}

void
virDomainDiskInsert(virDomainDef *def, virDomainDiskDef *disk)
{
    int idx = virDomainDiskNameIndex(disk->dst);
    size_t at = def->ndisks;

    /* before the first disk of its bus with a higher index, else after the
     * last disk of its bus, else at the end */
    for (size_t i = 0; i < def->ndisks; i++) {
        if (def->disks[i]->bus != disk->bus)
            continue;
        if (virDomainDiskNameIndex(def->disks[i]->dst) > idx) {
            at = i;
            break;
        }
        at = i + 1;
    }
    def->disks = g_renew(virDomainDiskDef *, def->disks, def->ndisks + 1);
    memmove(def->disks + at + 1, def->disks + at,
            (def->ndisks - at) * sizeof(*def->disks));
    def->disks[at] = disk;
    def->ndisks++;
}

static void
sortDisks(GPtrArray *disks)
{
    diskSortData data;
    int next = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(data.rank); i++)
        data.rank[i] = -1;
    for (guint i = 0; i < disks->len; i++) {
        const virDomainDiskDef *d = g_ptr_array_index(disks, i);

        if (data.rank[diskBusSlot(d)] < 0)
            data.rank[diskBusSlot(d)] = next++;
    }
    g_ptr_array_sort_with_data(disks, diskCompare, &data);
}

/*
 * Children of a device element that virtkit does not carry are recorded
 * as "devices/DEVICE/CHILD" so a driver can refuse them. <alias> is live
 * data the hypervisor driver assigns.
 */
/* With "CHILD/" in @known, the element children of CHILD are checked too:
 * only those listed as "CHILD/NAME" are carried, the others are recorded
 * in @unknown as "devices/DEVICE/CHILD/NAME". */
static int
checkGrandChildren(const char *parent, xmlNodePtr child, const char *const *known,
                   GPtrArray *unknown, unsigned int flags, bool *failed)
{
    size_t len = strlen((const char *)child->name);
    bool checked = false;
    g_autofree char *path = NULL;

    for (size_t i = 0; known[i] && !checked; i++)
        checked = strncmp(known[i], (const char *)child->name, len) == 0 &&
                  known[i][len] == '/' && !known[i][len + 1];
    if (!checked)
        return 0;
    for (xmlNodePtr g = child->children; g; g = g->next) {
        bool carried = false;

        if (g->type != XML_ELEMENT_NODE)
            continue;
        for (size_t i = 0; known[i] && !carried; i++)
            carried = strncmp(known[i], (const char *)child->name, len) == 0 &&
                      known[i][len] == '/' && g_str_equal(known[i] + len + 1, g->name);
        if (carried)
            continue;
        if (!path)
            path = g_strdup_printf("%s/%s", parent, (const char *)child->name);
        virDomainXMLRecordUnknown(unknown, path, g, flags, failed);
        if (*failed)
            return -1;
    }
    return 0;
}

int
virDomainDeviceCheckChildren(xmlNodePtr node, const char *const *known,
                             GPtrArray *unknown, unsigned int flags, bool *failed)
{
    g_autofree char *parent = g_strdup_printf("devices/%s", (const char *)node->name);

    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (virDomainXMLNodeIs(cur, "alias")) {
            /* libvirt keeps a user alias ("ua-" prefix) in an inactive
             * definition, where it is the device's QEMU id; virtkit does
             * not carry one: refused rather than lost. Other aliases are
             * live data libvirt ignores in an inactive definition. */
            g_autofree char *name = virDomainXMLProp(cur, "name");

            if ((flags & VIR_DOMAIN_DEF_PARSE_INACTIVE) && name &&
                g_str_has_prefix(name, "ua-")) {
                virDomainXMLRecordUnknown(unknown, parent, cur, flags, failed);
                if (*failed)
                    return -1;
            }
            continue;
        }
        if (virDomainStrInList(known, (const char *)cur->name)) {
            if (checkGrandChildren(parent, cur, known, unknown, flags, failed) < 0)
                return -1;
            continue;
        }
        /* libvirt reads <boot> only where a device boots (disk,
         * interface, hostdev, redirdev, filesystem: each lists it in
         * @known) and ignores it elsewhere */
        if (virDomainXMLNodeIs(cur, "boot"))
            continue;
        virDomainXMLRecordUnknown(unknown, parent, cur, flags, failed);
        if (*failed)
            return -1;
    }
    return 0;
}

/* The attributes each device parser carries (the rest is recorded as
 * unknown, see virDomainXMLCheckAttrs). <address> is checked by
 * parseDeviceAddress; "index" of a disk source and "tty" of a character
 * device are live data libvirt writes and ignores on input. */
static const char *const noAttrs[] = { NULL };
static const virDomainXMLAttrRule diskAttrs[] = {
    { "", (const char *const[]){ "type", "device", NULL } },
    { "driver",
      (const char *const[]){ "name", "type", "cache", "io", "discard", "detect_zeroes",
                             "ioeventfd", "event_idx", "iothread", "iommu", "ats",
                             "packed", "page_per_vq", "error_policy", "rerror_policy",
                             "queues", "queue_size", NULL } },
    { "source",
      (const char *const[]){ "file", "dev", "index", "pool", "volume", "protocol", "name",
                             "query", "tls", "tlsHostname", NULL } },
    { "source/host",
      (const char *const[]){ "name", "port", "transport", "socket", NULL } },
    { "source/snapshot", (const char *const[]){ "name", NULL } },
    { "source/config", (const char *const[]){ "file", NULL } },
    { "source/ssl", (const char *const[]){ "verify", NULL } },
    { "source/readahead", (const char *const[]){ "size", NULL } },
    { "source/timeout", (const char *const[]){ "seconds", NULL } },
    { "source/identity", (const char *const[]){ "user", "group", NULL } },
    { "source/auth", (const char *const[]){ "username", "type", NULL } },
    { "auth", (const char *const[]){ "username", "type", NULL } },
    { "source/encryption", (const char *const[]){ "format", "engine", NULL } },
    { "encryption", (const char *const[]){ "format", "engine", NULL } },
    { "encryption/secret", (const char *const[]){ "type", "uuid", "usage", NULL } },
    { "encryption/cipher",
      (const char *const[]){ "name", "size", "mode", "hash", NULL } },
    { "encryption/ivgen", (const char *const[]){ "name", "hash", NULL } },
    { "target",
      (const char *const[]){ "dev", "bus", "removable", "rotation_rate", NULL } },
    { "readonly", noAttrs },
    { "driver/metadata_cache", noAttrs },
    { "shareable", noAttrs },
    { "geometry", (const char *const[]){ "cyls", "heads", "secs", "trans", NULL } },
    { "blockio",
      (const char *const[]){ "logical_block_size", "physical_block_size", NULL } },
    { "serial", noAttrs },
    { "wwn", noAttrs },
    { "vendor", noAttrs },
    { "product", noAttrs },
    { "iotune", noAttrs },
    { "boot", (const char *const[]){ "order", "loadparm", NULL } },
    { NULL, NULL },
};
static const virDomainXMLAttrRule netAttrs[] = {
    { "", (const char *const[]){ "type", NULL } },
    { "mac", (const char *const[]){ "address", NULL } },
    { "source", (const char *const[]){ "network", "bridge", "portid", "dev", NULL } },
    { "model", (const char *const[]){ "type", NULL } },
    { "target", (const char *const[]){ "dev", "managed", NULL } },
    { "link", (const char *const[]){ "state", NULL } },
    { "driver",
      (const char *const[]){ "name", "txmode", "ioeventfd", "event_idx", "queues",
                             "rx_queue_size", "tx_queue_size", "rss", "rss_hash_report",
                             "iommu", "ats", "packed", "page_per_vq", NULL } },
    { "driver/host", (const char *const[]){ "csum", "gso", "tso4", "tso6", "ecn", "ufo",
                                            "mrg_rxbuf", NULL } },
    { "driver/guest",
      (const char *const[]){ "csum", "tso4", "tso6", "ecn", "ufo", NULL } },
    { "backend", (const char *const[]){ "type", "logFile", "tap", "vhost", NULL } },
    { "rom", (const char *const[]){ "enabled", "bar", "file", NULL } },
    { "boot", (const char *const[]){ "order", "loadparm", NULL } },
    { "mtu", (const char *const[]){ "size", NULL } },
    { "port", (const char *const[]){ "isolated", NULL } },
    { "script", (const char *const[]){ "path", NULL } },
    { "downscript", (const char *const[]){ "path", NULL } },
    { "ip", (const char *const[]){ "address", "family", "prefix", NULL } },
    { "portForward", (const char *const[]){ "proto", "address", "dev", NULL } },
    { "portForward/range",
      (const char *const[]){ "start", "end", "to", "exclude", NULL } },
    { NULL, NULL },
};
static const virDomainXMLAttrRule chrAttrs[] = {
    { "", (const char *const[]){ "type", "tty", NULL } },
    { "source",
      (const char *const[]){ "path", "mode", "host", "service", "append", NULL } },
    { "source/reconnect", (const char *const[]){ "enabled", "timeout", NULL } },
    { "log", (const char *const[]){ "file", "append", NULL } },
    { "protocol", (const char *const[]){ "type", NULL } },
    { "target", (const char *const[]){ "type", "port", NULL } },
    { "target/model", (const char *const[]){ "name", NULL } },
    { NULL, NULL },
};
static const virDomainXMLAttrRule controllerAttrs[] = {
    { "", (const char *const[]){ "type", "index", "model", "ports", NULL } },
    { "model", (const char *const[]){ "name", NULL } },
    { "target", (const char *const[]){ "chassis", "port", "chassisNr", "busNr", "hotplug",
                                       "index", NULL } },
    { "master", (const char *const[]){ "startport", NULL } },
    { "driver", (const char *const[]){ "queues", "cmd_per_lun", "max_sectors",
                                       "ioeventfd", "iothread", "iommu", "ats", "packed",
                                       "page_per_vq", NULL } },
    { NULL, NULL },
};
static const virDomainXMLAttrRule channelAttrs[] = {
    { "", (const char *const[]){ "type", NULL } },
    { "source", (const char *const[]){ "mode", "path", NULL } },
    { "source/clipboard", (const char *const[]){ "copypaste", NULL } },
    { "source/mouse", (const char *const[]){ "mode", NULL } },
    { "target", (const char *const[]){ "type", "name", "state", NULL } },
    { "address", (const char *const[]){ "type", "controller", "bus", "port", NULL } },
    { NULL, NULL },
};
static const virDomainXMLAttrRule rngAttrs[] = {
    { "", (const char *const[]){ "model", NULL } },
    { "backend", (const char *const[]){ "model", NULL } },
    { "rate", (const char *const[]){ "bytes", "period", NULL } },
    { "driver", virDomainVirtioOptionsAttrs },
    { NULL, NULL },
};
static const virDomainXMLAttrRule balloonAttrs[] = {
    { "", (const char *const[]){ "model", "autodeflate", "freePageReporting", NULL } },
    { "driver", virDomainVirtioOptionsAttrs },
    { "stats", (const char *const[]){ "period", NULL } },
    { NULL, NULL },
};

int
virDomainDeviceCheckAttrs(xmlNodePtr node, const virDomainXMLAttrRule *rules,
                          GPtrArray *unknown, unsigned int flags, bool *failed)
{
    virDomainXMLCheckDeviceAttrs(unknown, node, rules, flags, failed);
    return *failed ? -1 : 0;
}

/* a disk's <iotune> and every child libvirt 9.0 reads in it */
#define DISK_IOTUNE_CHILDREN                                                       \
    "iotune/", "iotune", "iotune/total_bytes_sec", "iotune/read_bytes_sec",        \
        "iotune/write_bytes_sec", "iotune/total_iops_sec", "iotune/read_iops_sec", \
        "iotune/write_iops_sec", "iotune/total_bytes_sec_max",                     \
        "iotune/read_bytes_sec_max", "iotune/write_bytes_sec_max",                 \
        "iotune/total_iops_sec_max", "iotune/read_iops_sec_max",                   \
        "iotune/write_iops_sec_max", "iotune/size_iops_sec", "iotune/group_name",  \
        "iotune/total_bytes_sec_max_length", "iotune/read_bytes_sec_max_length",   \
        "iotune/write_bytes_sec_max_length", "iotune/total_iops_sec_max_length",   \
        "iotune/read_iops_sec_max_length", "iotune/write_iops_sec_max_length"
/* "CHILD/": CHILD's own children are checked too (none carried unless
 * listed as "CHILD/NAME"): libvirt's <driver><metadata_cache>, <source>
 * <seclabel>, <source><reconnect> ... are refused, never dropped.
 * DISK_CHILDREN is what every disk may hold, whatever its source: a child
 * a disk of any type gains is added here, once. */
#define DISK_CHILDREN                                                                    \
    "driver", "driver/", "driver/metadata_cache", "source", "source/", "mirror",         \
        "target", "target/", "backingStore", "readonly", "shareable", "geometry",        \
        "blockio", "serial", "wwn", "vendor", "product", "address", "source/encryption", \
        "encryption", "boot", DISK_IOTUNE_CHILDREN
static const char *const diskChildren[] = {
    DISK_CHILDREN,
    NULL,
};
/* a network disk's: <auth>, and what its <source> holds */
static const char *const diskNetChildren[] = {
    DISK_CHILDREN,
    "source/host",
    "source/auth",
    "source/snapshot",
    "source/config",
    "source/initiator",
    "source/ssl",
    "source/cookies",
    "source/readahead",
    "source/timeout",
    "source/identity",
    "auth",
    NULL,
};
static const char *const netChildren[] = {
    "mac",        "mac/",        "source",       "source/",     "model",     "model/",
    "target",     "target/",     "link",         "link/",       "address",   "filterref",
    "backend",    "backend/",    "ip",           "portForward", "bandwidth", "driver",
    "driver/",    "driver/host", "driver/guest", "rom",         "boot",      "mtu",
    "mtu/",       "port",        "port/",        "coalesce",    "script",    "script/",
    "downscript", "downscript/", NULL,
};
static const char *const chrChildren[] = {
    "source", "source/", "source/reconnect", "protocol",     "log",
    "log/",   "target",  "target/",          "target/model", NULL,
};
static const char *const balloonChildren[] = { "address", "driver", "driver/",
                                               "stats",   "stats/", NULL };
static const char *const controllerChildren[] = {
    "model",   "model/", "target",  "target/", "target/node", "master",
    "master/", "driver", "driver/", "address", "pcihole64",   NULL,
};
static const char *const channelChildren[] = {
    "source", "source/", "source/clipboard", "source/mouse",
    "target", "target/", "address",          NULL,
};
static const char *const rngChildren[] = { "backend", "backend/", "driver",  "driver/",
                                           "rate",    "rate/",    "address", NULL };

/* libvirt's virDomainNetDefValidatePortOptions: an isolated port needs a
 * host bridge (types network and bridge). The MAC is the one the QEMU
 * driver would give an interface without one. */
static int
netPortValidate(const virDomainDef *def)
{
    for (size_t i = 0; i < def->nnets; i++) {
        const virDomainNetDef *net = def->nets[i];
        unsigned char mac[6] = { 0x52,         0x54,
                                 0x00,         def->uuid[0],
                                 def->uuid[1], (unsigned char)(def->uuid[2] + i) };

        if (net->isolatedPort != 1 || net->type == VIR_DOMAIN_NET_TYPE_NETWORK ||
            net->type == VIR_DOMAIN_NET_TYPE_BRIDGE)
            continue;
        if (net->macSet)
            memcpy(mac, net->mac, sizeof(mac));
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "interface %02x:%02x:%02x:%02x:%02x:%02x - <port isolated='yes'/> "
                       "is not supported for network interfaces with type='%s'",
                       mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
                       virDomainNetTypeNames[net->type]);
        return -1;
    }
    return 0;
}

/* libvirt's virDomainDefValidate rule for the devices that may be other
 * than virtio: their virtio options only when they are */
static int
virtioOptionsValidate(const virDomainDef *def)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        if (def->disks[i]->bus != VIR_DOMAIN_DISK_BUS_VIRTIO &&
            virDomainVirtioOptionsCheckAbsent(&def->disks[i]->virtio) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->nnets; i++) {
        if (!virDomainNetIsVirtioModel(def->nets[i]) &&
            virDomainVirtioOptionsCheckAbsent(&def->nets[i]->virtio) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->nvideos; i++) {
        if (!g_str_equal(def->videos[i]->type, "virtio") &&
            virDomainVirtioOptionsCheckAbsent(&def->videos[i]->virtio) < 0)
            return -1;
    }
    return 0;
}

int
virDomainDevicesParse(virDomainDef *def, xmlNodePtr devices, GPtrArray *unknown,
                      unsigned int flags, bool *failed)
{
    g_autoptr(GHashTable) targets = g_hash_table_new(g_str_hash, g_str_equal);
    /* growable while parsing (amortized), exact NULL-terminated arrays in
     * the def afterwards */
    g_autoptr(GPtrArray) disks =
        g_ptr_array_new_with_free_func((GDestroyNotify)virDomainDiskDefFree);
    g_autoptr(GPtrArray) nets =
        g_ptr_array_new_with_free_func((GDestroyNotify)virDomainNetDefFree);
    g_autoptr(GPtrArray) serials =
        g_ptr_array_new_with_free_func((GDestroyNotify)virDomainChrDefFree);
    g_autoptr(GPtrArray) consoles =
        g_ptr_array_new_with_free_func((GDestroyNotify)virDomainChrDefFree);
    g_autoptr(GPtrArray) parallels = NULL;
    /* the less common devices: arrays made on first use (most definitions
     * have none of them, and parsing 10,000 of them shows it) */
    g_autoptr(GPtrArray) ctrls = NULL;
    g_autoptr(GPtrArray) channels = NULL;
    g_autoptr(GPtrArray) rngs = NULL;
    g_autoptr(GPtrArray) fss = NULL;
    g_autoptr(GPtrArray) panics = NULL;
    g_autoptr(GPtrArray) tpms = NULL;
    g_autoptr(GPtrArray) hostdevs = NULL;
    g_autoptr(GPtrArray) mems = NULL;
    g_autoptr(GArray) inputs = NULL;
    g_autoptr(GPtrArray) graphics = NULL;
    g_autoptr(GPtrArray) videos = NULL;
    g_autoptr(GArray) audios = NULL;
    g_auto(virDomainSpiceDevices) spiceDevs = { NULL, NULL, NULL, NULL };
    int rc;

    for (xmlNodePtr cur = devices->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (virDomainXMLNodeIs(cur, "emulator")) {
            if (!def->emulator)
                def->emulator = virDomainXMLNodeTextNonEmpty(cur);
        } else if (virDomainXMLNodeIs(cur, "disk")) {
            virDomainDiskDef *disk;
            virDomainDiskDef *other;

            if (virDomainDiskParse(disks, cur, flags) < 0 ||
                virDomainDeviceCheckChildren(
                    cur,
                    ((virDomainDiskDef *)g_ptr_array_index(disks, disks->len - 1))->net
                        ? diskNetChildren
                        : diskChildren,
                    unknown, flags, failed) < 0 ||
                virDomainDeviceCheckAttrs(cur, diskAttrs, unknown, flags, failed) < 0 ||
                virDomainDiskBackingParse(cur, g_ptr_array_index(disks, disks->len - 1),
                                          unknown, flags, failed) < 0)
                return -1;
            /* a hash, not a scan: a 10 MiB document may hold 100,000 disks */
            disk = g_ptr_array_index(disks, disks->len - 1);
            if ((other = g_hash_table_lookup(targets, disk->dst))) {
                virReportError(VIR_ERR_XML_ERROR,
                               "target '%s' duplicated for disk "
                               "sources '%s' and '%s'",
                               disk->dst, other->src ? other->src : "<null>",
                               disk->src ? disk->src : "<null>");
                return -1;
            }
            g_hash_table_insert(targets, disk->dst, disk);
        } else if (virDomainXMLNodeIs(cur, "interface")) {
            if (virDomainNetParse(nets, cur, flags) < 0 ||
                virDomainDeviceCheckChildren(cur, netChildren, unknown, flags, failed) <
                    0 ||
                virDomainDeviceCheckAttrs(cur, netAttrs, unknown, flags, failed) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "serial")) {
            if (parseChr(serials, cur, VIR_DOMAIN_CHR_DEVICE_SERIAL, flags) < 0 ||
                virDomainDeviceCheckChildren(cur, chrChildren, unknown, flags, failed) <
                    0 ||
                virDomainDeviceCheckAttrs(cur, chrAttrs, unknown, flags, failed) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "parallel")) {
            if (!parallels)
                parallels =
                    g_ptr_array_new_with_free_func((GDestroyNotify)virDomainChrDefFree);
            if (parseChr(parallels, cur, VIR_DOMAIN_CHR_DEVICE_PARALLEL, flags) < 0 ||
                virDomainDeviceCheckChildren(cur, chrChildren, unknown, flags, failed) <
                    0 ||
                virDomainDeviceCheckAttrs(cur, chrAttrs, unknown, flags, failed) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "console")) {
            if (parseChr(consoles, cur, VIR_DOMAIN_CHR_DEVICE_CONSOLE, flags) < 0 ||
                virDomainDeviceCheckChildren(cur, chrChildren, unknown, flags, failed) <
                    0 ||
                virDomainDeviceCheckAttrs(cur, chrAttrs, unknown, flags, failed) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "controller")) {
            virDomainControllerDef *ctrl;

            if (!(ctrl = virDomainControllerParseXML(cur)))
                return -1;
            if (!ctrls)
                ctrls = g_ptr_array_new_with_free_func(
                    (GDestroyNotify)virDomainControllerDefFree);
            virDomainControllerInsert(ctrls, ctrl);
            if (virDomainDeviceCheckChildren(cur, controllerChildren, unknown, flags,
                                             failed) < 0 ||
                virDomainDeviceCheckAttrs(cur, controllerAttrs, unknown, flags, failed) <
                    0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "channel")) {
            virDomainChannelDef *chan;

            if (!(chan = parseChannel(cur, flags)))
                return -1;
            if (!channels)
                channels = g_ptr_array_new_with_free_func(
                    (GDestroyNotify)virDomainChannelDefFree);
            g_ptr_array_add(channels, chan);
            if (virDomainDeviceCheckChildren(cur, channelChildren, unknown, flags,
                                             failed) < 0 ||
                virDomainDeviceCheckAttrs(cur, channelAttrs, unknown, flags, failed) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "rng")) {
            virDomainRNGDef *rng;

            if (!(rng = parseRNG(cur, flags)))
                return -1;
            if (!rngs)
                rngs =
                    g_ptr_array_new_with_free_func((GDestroyNotify)virDomainRNGDefFree);
            g_ptr_array_add(rngs, rng);
            if (virDomainDeviceCheckChildren(cur, rngChildren, unknown, flags, failed) <
                    0 ||
                virDomainDeviceCheckAttrs(cur, rngAttrs, unknown, flags, failed) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "input")) {
            if (virDomainInputParseXML(&inputs, cur, unknown, flags, failed) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "graphics")) {
            if (virDomainGraphicsParseXML(&graphics, cur, unknown, flags, failed) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "audio")) {
            if (virDomainAudioParseXML(&audios, cur, unknown, flags, failed) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "video")) {
            if (virDomainVideoParseXML(&videos, cur, unknown, flags, failed) < 0)
                return -1;
        } else if ((rc = virDomainSpiceDeviceParseXML(&spiceDevs, cur, unknown, flags,
                                                      failed)) != 0) {
            if (rc < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "filesystem")) {
            if (virDomainFSParseXML(&fss, cur, unknown, flags, failed) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "iommu")) {
            if (virDomainIOMMUParseXML(def, cur, unknown, flags, failed) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "watchdog")) {
            if (virDomainWatchdogParseXML(def, cur, unknown, flags, failed) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "hostdev")) {
            if (virDomainHostdevParseXML(&hostdevs, cur, unknown, flags, failed) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "tpm")) {
            /* libvirt counts them before it parses any */
            if (tpms && tpms->len == 2) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "a maximum of two TPM devices is supported, one of them "
                               "being a TPM Proxy device");
                return -1;
            }
            if (virDomainTPMParseXML(&tpms, cur, unknown, flags, failed) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "panic")) {
            if (virDomainPanicParseXML(&panics, cur, unknown, flags, failed) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "memory")) {
            if (virDomainMemoryParseXML(&mems, cur, unknown, flags, failed) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "memballoon")) {
            if (parseMemballoon(def, cur) < 0 ||
                virDomainDeviceCheckChildren(cur, balloonChildren, unknown, flags,
                                             failed) < 0 ||
                virDomainDeviceCheckAttrs(cur, balloonAttrs, unknown, flags, failed) < 0)
                return -1;
        } else {
            virDomainXMLRecordUnknown(unknown, "devices", cur, flags, failed);
            if (*failed)
                return -1;
        }
    }
    g_assert(def->ndisks == 0 && def->nnets == 0 && def->nserials == 0 &&
             def->nconsoles == 0);
    sortDisks(disks);
    def->ndisks = disks->len;
    g_ptr_array_add(disks, NULL);
    def->disks =
        (virDomainDiskDef **)virDomainPtrArrayStealExact(g_steal_pointer(&disks));
    if (virDomainDefCheckDriveAddresses(def) < 0)
        return -1;
    def->nnets = nets->len;
    g_ptr_array_add(nets, NULL);
    def->nets = (virDomainNetDef **)virDomainPtrArrayStealExact(g_steal_pointer(&nets));
    def->nserials = serials->len;
    g_ptr_array_add(serials, NULL);
    def->serials =
        (virDomainChrDef **)virDomainPtrArrayStealExact(g_steal_pointer(&serials));
    if (parallels) {
        def->nparallels = parallels->len;
        g_ptr_array_add(parallels, NULL);
        def->parallels =
            (virDomainChrDef **)virDomainPtrArrayStealExact(g_steal_pointer(&parallels));
    }
    def->nconsoles = consoles->len;
    g_ptr_array_add(consoles, NULL);
    def->consoles =
        (virDomainChrDef **)virDomainPtrArrayStealExact(g_steal_pointer(&consoles));
    if (channels) {
        def->nchannels = channels->len;
        g_ptr_array_add(channels, NULL);
        def->channels = (virDomainChannelDef **)virDomainPtrArrayStealExact(
            g_steal_pointer(&channels));
    }
    if (fss) {
        def->nfss = fss->len;
        g_ptr_array_add(fss, NULL);
        def->fss = (virDomainFSDef **)virDomainPtrArrayStealExact(g_steal_pointer(&fss));
    }
    if (rngs) {
        def->nrngs = rngs->len;
        g_ptr_array_add(rngs, NULL);
        def->rngs =
            (virDomainRNGDef **)virDomainPtrArrayStealExact(g_steal_pointer(&rngs));
    }
    if (hostdevs) {
        /* libvirt reads the controllers first: a USB hostdev in a domain
         * whose USB controller is 'none' */
        for (guint i = 0; ctrls && i < ctrls->len; i++) {
            const virDomainControllerDef *c = g_ptr_array_index(ctrls, i);

            if (c->type != VIR_DOMAIN_CONTROLLER_TYPE_USB || g_strcmp0(c->model, "none"))
                continue;
            for (guint j = 0; j < hostdevs->len; j++) {
                const virDomainHostdevDef *h = g_ptr_array_index(hostdevs, j);

                if (h->mode == VIR_DOMAIN_HOSTDEV_MODE_SUBSYS &&
                    h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_USB) {
                    virReportError(
                        VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                        "Can't add host USB device: USB is disabled in this host");
                    return -1;
                }
            }
        }
        def->nhostdevs = hostdevs->len;
        def->hostdevs = (virDomainHostdevDef **)virDomainPtrArrayStealExact(
            g_steal_pointer(&hostdevs));
    }
    if (tpms) {
        def->ntpms = tpms->len;
        def->tpms =
            (virDomainTPMDef **)virDomainPtrArrayStealExact(g_steal_pointer(&tpms));
    }
    if (panics) {
        def->npanics = panics->len;
        def->panics =
            (virDomainPanicDef **)virDomainPtrArrayStealExact(g_steal_pointer(&panics));
        if (virDomainPanicsCheckDuplicates(def) < 0)
            return -1;
    }
    if (mems) {
        def->nmems = mems->len;
        g_ptr_array_add(mems, NULL);
        def->mems =
            (virDomainMemoryDef **)virDomainPtrArrayStealExact(g_steal_pointer(&mems));
    }
    virDomainDisplayDevicesSteal(def, &inputs, &graphics, &audios, &videos);
    if (virDomainSpiceDevicesSteal(def, &spiceDevs) < 0)
        return -1;
    if (def->nhostdevs && virDomainHostdevsPostParse(def) < 0)
        return -1;
    if (ctrls || def->nchannels || def->ndisks || def->nconsoles || def->nsmartcards ||
        def->nhostdevs) {
        if (!ctrls)
            ctrls = g_ptr_array_new_with_free_func(
                (GDestroyNotify)virDomainControllerDefFree);
        virDomainControllersAssignIndexes(ctrls);
        if (virDomainControllersCheckUSB(ctrls) < 0 ||
            virDomainControllersCheck(ctrls) < 0)
            return -1;
        virDomainControllersAddImplicit(def, ctrls);
        def->ncontrollers = ctrls->len;
        g_ptr_array_add(ctrls, NULL);
        def->controllers = (virDomainControllerDef **)virDomainPtrArrayStealExact(
            g_steal_pointer(&ctrls));
    }
    if (netPortValidate(def) < 0)
        return -1;
    return virtioOptionsValidate(def);
}
