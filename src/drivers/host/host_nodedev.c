/* host_nodedev.c: virtkitd's node device driver: the host's devices read from sysfs, named and formatted as libvirt's udev driver */

/*
 * Threads: every entry point may run on any worker. Each call that needs
 * the devices rescans sysfs (a few dozen small files) into a fresh list
 * under hostNodeDevLock, so what it answers is what the kernel has now
 * (taps and bridges come and go); the list's own lock covers readers.
 *
 * What is read, as libvirt 9.0's udev driver names and formats it:
 *   computer          system: DMI (/sys/class/dmi/id), zero UUID without it
 *   pci_DDDD_BB_SS_F  /sys/bus/pci/devices: class, address, ids and the
 *                     pci.ids names (libpciaccess's database), driver,
 *                     IOMMU group, NUMA node, PCIe link from config space
 *   net_IFNAME_MAC    /sys/class/net: MAC, link speed/state, ethtool
 *                     offload features, 80203 (80211 for wlan)
 *   block_NAME[_SER]  /sys/class/block disks whose type is known (udev's
 *                     ID_TYPE when its database exists, virtio vd* disks)
 *   usb_*, scsi_host* USB devices and SCSI hosts (/sys/bus/usb/devices,
 *                     /sys/class/scsi_host)
 * A device's parent is its nearest sysfs ancestor that is itself a node
 * device, else "computer".
 */
#define G_LOG_DOMAIN "virtkit.host.nodedev"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "domain_conf_priv.h"
#include "host_driver.h"
#include "node_device_conf.h"
#include "node_device_def.h"
#include "object_event.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_NODEDEV

#define SYSFS "/sys"
#define PCI_IDS "/usr/share/misc/pci.ids"

static GMutex hostNodeDevLock;
static virNodeDeviceObjList *hostNodeDevs; /* NULL when not started */
static virObjectEventState *hostNodeDevEvents;
static char *hostNodeDevSysfs; /* root of sysfs (tests may point elsewhere) */

/* ---- small readers ---------------------------------------------------------- */

/* The first line of @dir/@name without its newline, or NULL. */
static char *
readAttr(const char *dir, const char *name)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_autofree char *buf = NULL;

    if (!g_file_get_contents(path, &buf, NULL, NULL))
        return NULL;
    buf[strcspn(buf, "\n")] = '\0';
    return g_steal_pointer(&buf);
}

static bool
readULL(const char *dir, const char *name, unsigned long long *out)
{
    g_autofree char *s = readAttr(dir, name);
    char *end;

    if (!s || !*s)
        return false;
    errno = 0;
    *out = strtoull(s, &end, 0);
    return errno == 0 && *end == '\0';
}

/* KEY=VALUE of @dir/uevent. */
static char *
ueventValue(const char *dir, const char *key)
{
    g_autofree char *path = g_build_filename(dir, "uevent", NULL);
    g_autofree char *buf = NULL;
    g_auto(GStrv) lines = NULL;
    size_t klen = strlen(key);

    if (!g_file_get_contents(path, &buf, NULL, NULL))
        return NULL;
    lines = g_strsplit(buf, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        if (strncmp(lines[i], key, klen) == 0 && lines[i][klen] == '=')
            return g_strdup(lines[i] + klen + 1);
    }
    return NULL;
}

/* E:KEY=VALUE of udev's database entry @id ("b254:0"), when udev runs. */
static char *
udevProperty(const char *id, const char *key)
{
    g_autofree char *path = g_strdup_printf("/run/udev/data/%s", id);
    g_autofree char *buf = NULL;
    g_auto(GStrv) lines = NULL;
    size_t klen = strlen(key);

    if (!g_file_get_contents(path, &buf, NULL, NULL))
        return NULL;
    lines = g_strsplit(buf, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        if (g_str_has_prefix(lines[i], "E:") && strncmp(lines[i] + 2, key, klen) == 0 &&
            lines[i][2 + klen] == '=')
            return g_strdup(lines[i] + 3 + klen);
    }
    return NULL;
}

/* libvirt's udevGenerateDeviceName: subsystem_sysname[_suffix], every
 * character that is not alphanumeric becoming '_'. */
static char *
deviceName(const char *subsystem, const char *sysname, const char *suffix)
{
    char *name = suffix ? g_strdup_printf("%s_%s_%s", subsystem, sysname, suffix)
                        : g_strdup_printf("%s_%s", subsystem, sysname);

    for (char *p = name; *p; p++) {
        if (!g_ascii_isalnum(*p))
            *p = '_';
    }
    return name;
}

static void
xmlText(GString *buf, const char *indent, const char *tag, const char *text)
{
    g_string_append_printf(buf, "%s<%s>", indent, tag);
    virDomainXMLEscape(buf, text);
    g_string_append_printf(buf, "</%s>\n", tag);
}

/* ---- pci.ids (what libpciaccess gives libvirt) -------------------------------- */

/* The database, read once: "vvvv" -> vendor name, "vvvv:dddd" -> device
 * name. Guarded by hostNodeDevLock (scans run under it). */
static GHashTable *pciIds;

static void
pciIdsLoad(void)
{
    g_autofree char *buf = NULL;
    char *line, *next;
    char vendor[5] = "";

    pciIds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    if (!g_file_get_contents(PCI_IDS, &buf, NULL, NULL))
        return;
    for (line = buf; line && *line; line = next) {
        if ((next = strchr(line, '\n')))
            *next++ = '\0';
        if (line[0] == '#' || !line[0])
            continue;
        if (g_str_has_prefix(line, "C "))
            break; /* the class list follows the vendors */
        if (line[0] != '\t') {
            if (strlen(line) > 6 && g_ascii_isxdigit(line[0]) && line[4] == ' ') {
                memcpy(vendor, line, 4);
                g_hash_table_insert(pciIds, g_ascii_strdown(vendor, 4),
                                    g_strdup(line + 6));
            }
        } else if (line[1] != '\t' && vendor[0] && strlen(line) > 7 && line[5] == ' ') {
            g_autofree char *dev = g_ascii_strdown(line + 1, 4);

            g_hash_table_insert(pciIds, g_strdup_printf("%s:%s", vendor, dev),
                                g_strdup(line + 7));
        }
    }
}

/* Vendor and device names of @vendor:@device, NULL where unknown. */
static void
pciIdsLookup(unsigned int vendor, unsigned int device, char **vname, char **dname)
{
    char key[16];

    if (!pciIds)
        pciIdsLoad();
    g_snprintf(key, sizeof(key), "%04x", vendor);
    *vname = g_strdup(g_hash_table_lookup(pciIds, key));
    g_snprintf(key, sizeof(key), "%04x:%04x", vendor, device);
    *dname = g_strdup(g_hash_table_lookup(pciIds, key));
}

/* ---- discovery ------------------------------------------------------------------ */

typedef struct {
    char *name;
    char *sysfs; /* real path */
    char *parent;
    char *devnode;
    char *driver;
    const char *cap;
    GString *capXML;   /* the <capability> element's inside, indented 4 */
    GPtrArray *nested; /* matchCaps beyond @cap */
} hostDev;

static void
hostDevFree(hostDev *d)
{
    g_free(d->name);
    g_free(d->sysfs);
    g_free(d->parent);
    g_free(d->devnode);
    g_free(d->driver);
    if (d->capXML)
        g_string_free(d->capXML, TRUE);
    if (d->nested)
        g_ptr_array_unref(d->nested);
    g_free(d);
}

static hostDev *
hostDevNew(char *name, const char *sysfs, const char *cap)
{
    hostDev *d = g_new0(hostDev, 1);

    d->name = name;
    d->sysfs = sysfs ? realpath(sysfs, NULL) : NULL;
    d->cap = cap;
    d->capXML = g_string_new(NULL);
    d->nested = g_ptr_array_new();
    if (d->sysfs) {
        g_autofree char *link = g_build_filename(d->sysfs, "driver", NULL);
        g_autofree char *target = g_file_read_link(link, NULL);

        if (target)
            d->driver = g_path_get_basename(target);
    }
    return d;
}

static hostDev *
scanSystem(void)
{
    hostDev *d = hostDevNew(g_strdup("computer"), NULL, "system");
    g_autofree char *dmi = g_build_filename(hostNodeDevSysfs, "class/dmi/id", NULL);
    static const char *const hw[] = { "sys_vendor", "product_version", "product_serial" };
    static const char *const hwTags[] = { "vendor", "version", "serial" };
    static const char *const fw[] = { "bios_vendor", "bios_version", "bios_date" };
    static const char *const fwTags[] = { "vendor", "version", "release_date" };
    g_autofree char *product = readAttr(dmi, "product_name");
    g_autofree char *uuidstr = readAttr(dmi, "product_uuid");
    unsigned char uuid[VIR_UUID_BUFLEN] = { 0 };
    char formatted[VIR_UUID_STRING_BUFLEN];

    if (product && *product)
        xmlText(d->capXML, "    ", "product", product);
    g_string_append(d->capXML, "    <hardware>\n");
    for (size_t i = 0; i < G_N_ELEMENTS(hw); i++) {
        g_autofree char *v = readAttr(dmi, hw[i]);

        if (v && *v)
            xmlText(d->capXML, "      ", hwTags[i], v);
    }
    if (uuidstr && virUUIDParse(uuidstr, uuid) < 0)
        memset(uuid, 0, sizeof(uuid));
    virUUIDFormat(uuid, formatted);
    g_string_append_printf(d->capXML, "      <uuid>%s</uuid>\n", formatted);
    g_string_append(d->capXML, "    </hardware>\n    <firmware>\n");
    for (size_t i = 0; i < G_N_ELEMENTS(fw); i++) {
        g_autofree char *v = readAttr(dmi, fw[i]);

        if (v && *v)
            xmlText(d->capXML, "      ", fwTags[i], v);
    }
    g_string_append(d->capXML, "    </firmware>\n");
    return d;
}

static const char *const pcieSpeeds[] = { "", "2.5", "5", "8", "16", "32", "64" };

static void
formatLink(GString *buf, const char *validity, int port, unsigned int speed,
           unsigned int width)
{
    g_string_append_printf(buf, "      <link validity='%s'", validity);
    if (port >= 0)
        g_string_append_printf(buf, " port='%d'", port);
    if (speed > 0 && speed < G_N_ELEMENTS(pcieSpeeds))
        g_string_append_printf(buf, " speed='%s'", pcieSpeeds[speed]);
    g_string_append_printf(buf, " width='%u'/>\n", width);
}

/* <pci-express> from the config space: PCIe when the device has the PCIe
 * capability or an extended (4 KiB) config space; link capability and
 * status unless it is a root-complex integrated endpoint or event
 * collector. */
static void
formatPCIe(GString *buf, const char *sysfs)
{
    g_autofree char *path = g_build_filename(sysfs, "config", NULL);
    unsigned char cfg[256] = { 0 };
    unsigned int pos = 0;
    struct stat st;
    ssize_t n;
    int fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return;
    n = read(fd, cfg, sizeof(cfg));
    if (fstat(fd, &st) < 0)
        st.st_size = 0;
    close(fd);
    if (n < 64)
        return;
    if (cfg[0x06] & 0x10) { /* status: capability list */
        unsigned int p = cfg[0x34] & 0xfc;

        for (int guard = 0; p >= 0x40 && p + 1 < (unsigned int)n && guard < 48; guard++) {
            if (cfg[p] == 0x10) { /* PCI_CAP_ID_EXP */
                pos = p;
                break;
            }
            p = cfg[p + 1] & 0xfc;
        }
    }
    if (!pos && st.st_size <= 256)
        return;
    if (pos && pos + 0x14 <= (unsigned int)n) {
        unsigned int type = (cfg[pos + 2] & 0xf0) >> 4;

        if (type != 9 && type != 10) { /* ROOT_INT_EP, ROOT_EC */
            uint32_t lcap = cfg[pos + 0x0c] | cfg[pos + 0x0d] << 8 |
                            cfg[pos + 0x0e] << 16 | (uint32_t)cfg[pos + 0x0f] << 24;
            uint16_t lsta = cfg[pos + 0x12] | cfg[pos + 0x13] << 8;

            g_string_append(buf, "    <pci-express>\n");
            formatLink(buf, "cap", (lcap & 0xff000000) >> 24, lcap & 0xf,
                       (lcap & 0x3f0) >> 4);
            formatLink(buf, "sta", -1, lsta & 0xf, (lsta & 0x3f0) >> 4);
            g_string_append(buf, "    </pci-express>\n");
            return;
        }
    }
    g_string_append(buf, "    <pci-express/>\n");
}

static hostDev *
scanPCI(const char *sysname, const char *path)
{
    unsigned int domain, bus, slot, function;
    unsigned long long cls = 0, vendor = 0, product = 0, numa;
    g_autofree char *vname = NULL;
    g_autofree char *pname = NULL;
    g_autofree char *group = NULL;
    hostDev *d;

    if (sscanf(sysname, "%x:%x:%x.%x", &domain, &bus, &slot, &function) != 4)
        return NULL;
    d = hostDevNew(deviceName("pci", sysname, NULL), path, "pci");
    readULL(path, "class", &cls);
    readULL(path, "vendor", &vendor);
    readULL(path, "device", &product);
    pciIdsLookup(vendor, product, &vname, &pname);
    g_string_append_printf(d->capXML,
                           "    <class>0x%.6llx</class>\n    <domain>%u</domain>\n"
                           "    <bus>%u</bus>\n    <slot>%u</slot>\n"
                           "    <function>%u</function>\n",
                           cls, domain, bus, slot, function);
    if (pname) {
        g_string_append_printf(d->capXML, "    <product id='0x%.4llx'>", product);
        virDomainXMLEscape(d->capXML, pname);
        g_string_append(d->capXML, "</product>\n");
    } else {
        g_string_append_printf(d->capXML, "    <product id='0x%.4llx'/>\n", product);
    }
    if (vname) {
        g_string_append_printf(d->capXML, "    <vendor id='0x%.4llx'>", vendor);
        virDomainXMLEscape(d->capXML, vname);
        g_string_append(d->capXML, "</vendor>\n");
    } else {
        g_string_append_printf(d->capXML, "    <vendor id='0x%.4llx'/>\n", vendor);
    }
    {
        g_autofree char *link = g_build_filename(path, "iommu_group", NULL);
        g_autofree char *target = g_file_read_link(link, NULL);

        if (target)
            group = g_path_get_basename(target);
    }
    if (group) {
        g_autofree char *devs = g_build_filename(path, "iommu_group", "devices", NULL);
        g_autoptr(GDir) dir = g_dir_open(devs, 0, NULL);
        g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func(g_free);
        const char *m;

        g_string_append_printf(d->capXML, "    <iommuGroup number='%s'>\n", group);
        while (dir && (m = g_dir_read_name(dir)))
            g_ptr_array_add(members, g_strdup(m));
        g_ptr_array_sort(members, (GCompareFunc)g_ascii_strcasecmp);
        for (guint i = 0; i < members->len; i++) {
            unsigned int md, mb, ms, mf;

            if (sscanf(members->pdata[i], "%x:%x:%x.%x", &md, &mb, &ms, &mf) == 4)
                g_string_append_printf(d->capXML,
                                       "      <address domain='0x%.4x' bus='0x%.2x' "
                                       "slot='0x%.2x' function='0x%.1x'/>\n",
                                       md, mb, ms, mf);
        }
        g_string_append(d->capXML, "    </iommuGroup>\n");
    }
    {
        g_autofree char *s = readAttr(path, "numa_node");

        if (s && *s && s[0] != '-' && readULL(path, "numa_node", &numa))
            g_string_append_printf(d->capXML, "    <numa node='%llu'/>\n", numa);
    }
    formatPCIe(d->capXML, path);
    return d;
}

/* ---- network interfaces: ethtool ------------------------------------------------- */

static bool
ethtoolValue(int fd, const char *ifname, uint32_t cmd, uint32_t *value)
{
    struct ethtool_value ev = { .cmd = cmd };
    struct ifreq ifr = { 0 };

    g_strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
    ifr.ifr_data = (void *)&ev;
    if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
        return false;
    *value = ev.data;
    return true;
}

/* Whether the generic feature @name is active (ETHTOOL_GFEATURES). */
static bool
ethtoolFeature(int fd, const char *ifname, const char *name)
{
    struct {
        struct ethtool_sset_info hdr;
        uint32_t buf[1];
    } sset = { .hdr = { .cmd = ETHTOOL_GSSET_INFO,
                        .sset_mask = 1ULL << ETH_SS_FEATURES } };
    g_autofree struct ethtool_gstrings *strings = NULL;
    g_autofree struct ethtool_gfeatures *features = NULL;
    struct ifreq ifr = { 0 };
    uint32_t count;
    int idx = -1;

    g_strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
    ifr.ifr_data = (void *)&sset;
    if (ioctl(fd, SIOCETHTOOL, &ifr) < 0 || !sset.hdr.sset_mask)
        return false;
    count = sset.hdr.data[0];
    if (count == 0 || count > 4096)
        return false;
    strings = g_malloc0(sizeof(*strings) + (size_t)count * ETH_GSTRING_LEN);
    strings->cmd = ETHTOOL_GSTRINGS;
    strings->string_set = ETH_SS_FEATURES;
    strings->len = count;
    ifr.ifr_data = (void *)strings;
    if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
        return false;
    for (uint32_t i = 0; i < count; i++) {
        if (strncmp((const char *)strings->data + i * ETH_GSTRING_LEN, name,
                    ETH_GSTRING_LEN) == 0) {
            idx = i;
            break;
        }
    }
    if (idx < 0)
        return false;
    features = g_malloc0(sizeof(*features) +
                         ((count + 31) / 32) * sizeof(struct ethtool_get_features_block));
    features->cmd = ETHTOOL_GFEATURES;
    features->size = (count + 31) / 32;
    ifr.ifr_data = (void *)features;
    if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
        return false;
    return features->features[idx / 32].active & (1u << (idx % 32));
}

/* libvirt's virNetDevGetFeatures, in its order: rx tx sg tso gso gro, the
 * flags lro rxvlan txvlan ntuple rxhash, then txudptnl. */
static void
formatNetFeatures(GString *buf, const char *ifname)
{
    static const struct {
        uint32_t cmd;
        const char *name;
    } simple[] = {
        { ETHTOOL_GRXCSUM, "rx" }, { ETHTOOL_GTXCSUM, "tx" }, { ETHTOOL_GSG, "sg" },
        { ETHTOOL_GTSO, "tso" },   { ETHTOOL_GGSO, "gso" },   { ETHTOOL_GGRO, "gro" },
    };
    static const struct {
        uint32_t flag;
        const char *name;
    } flags[] = {
        { ETH_FLAG_LRO, "lro" },       { ETH_FLAG_RXVLAN, "rxvlan" },
        { ETH_FLAG_TXVLAN, "txvlan" }, { ETH_FLAG_NTUPLE, "ntuple" },
        { ETH_FLAG_RXHASH, "rxhash" },
    };
    uint32_t v;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

    if (fd < 0)
        return;
    for (size_t i = 0; i < G_N_ELEMENTS(simple); i++) {
        if (ethtoolValue(fd, ifname, simple[i].cmd, &v) && v)
            g_string_append_printf(buf, "    <feature name='%s'/>\n", simple[i].name);
    }
    if (ethtoolValue(fd, ifname, ETHTOOL_GFLAGS, &v)) {
        for (size_t i = 0; i < G_N_ELEMENTS(flags); i++) {
            if (v & flags[i].flag)
                g_string_append_printf(buf, "    <feature name='%s'/>\n", flags[i].name);
        }
    }
    if (ethtoolFeature(fd, ifname, "tx-udp_tnl-segmentation"))
        g_string_append(buf, "    <feature name='txudptnl'/>\n");
    close(fd);
}

static hostDev *
scanNet(const char *ifname, const char *path)
{
    g_autofree char *mac = readAttr(path, "address");
    g_autofree char *state = readAttr(path, "operstate");
    g_autofree char *devtype = ueventValue(path, "DEVTYPE");
    unsigned long long speed;
    hostDev *d;

    d = hostDevNew(deviceName("net", ifname, mac && *mac ? mac : NULL), path, "net");
    xmlText(d->capXML, "    ", "interface", ifname);
    if (mac && *mac)
        xmlText(d->capXML, "    ", "address", mac);
    g_string_append(d->capXML, "    <link");
    {
        g_autofree char *s = readAttr(path, "speed");

        /* the kernel's -1 ("unknown") as the unsigned number libvirt shows */
        if (s && *s) {
            long long sp = g_ascii_strtoll(s, NULL, 10);

            speed = (unsigned int)sp;
            if (speed)
                g_string_append_printf(d->capXML, " speed='%llu'", speed);
        }
    }
    g_string_append_printf(d->capXML, " state='%s'/>\n",
                           state && *state ? state : "unknown");
    formatNetFeatures(d->capXML, ifname);
    g_string_append_printf(d->capXML, "    <capability type='%s'/>\n",
                           devtype && g_str_equal(devtype, "wlan") ? "80211" : "80203");
    return d;
}

/* ---- block devices ------------------------------------------------------------ */

static hostDev *
scanBlock(const char *name, const char *path)
{
    g_autofree char *devtype = ueventValue(path, "DEVTYPE");
    g_autofree char *devname = ueventValue(path, "DEVNAME");
    g_autofree char *majmin = readAttr(path, "dev");
    g_autofree char *udevId = NULL;
    g_autofree char *type = NULL;
    g_autofree char *bus = NULL;
    g_autofree char *serial = NULL;
    g_autofree char *model = NULL;
    g_autofree char *vendor = NULL;
    g_autofree char *block = NULL;
    g_autofree char *devdir = g_build_filename(path, "device", NULL);
    unsigned long long sectors = 0, lbs = 0;
    hostDev *d;

    if (!devtype || !g_str_equal(devtype, "disk"))
        return NULL;
    block = g_strdup_printf("/dev/%s", devname ? devname : name);
    if (majmin) {
        udevId = g_strdup_printf("b%s", majmin);
        type = udevProperty(udevId, "ID_TYPE");
        bus = udevProperty(udevId, "ID_BUS");
        serial = udevProperty(udevId, "ID_SERIAL");
    }
    if (!type && g_str_has_prefix(block, "/dev/vd"))
        type = g_strdup("disk"); /* libvirt's kludge for virtio disks */
    if (!type || !g_str_equal(type, "disk"))
        return NULL; /* unknown type (loop, zram, ...), or removable media */

    d = hostDevNew(deviceName("block", name, serial), path, "storage");
    d->devnode = g_strdup(block);
    model = readAttr(devdir, "model");
    vendor = readAttr(devdir, "vendor");
    readULL(path, "size", &sectors);
    {
        g_autofree char *queue = g_build_filename(path, "queue", NULL);

        readULL(queue, "logical_block_size", &lbs);
    }
    xmlText(d->capXML, "    ", "block", block);
    if (bus)
        xmlText(d->capXML, "    ", "bus", bus);
    xmlText(d->capXML, "    ", "drive_type", type);
    if (model && *model)
        xmlText(d->capXML, "    ", "model", g_strstrip(model));
    if (vendor && *vendor)
        xmlText(d->capXML, "    ", "vendor", g_strstrip(vendor));
    if (serial)
        xmlText(d->capXML, "    ", "serial", serial);
    g_string_append_printf(d->capXML,
                           "    <size>%llu</size>\n"
                           "    <logical_block_size>%llu</logical_block_size>\n"
                           "    <num_blocks>%llu</num_blocks>\n",
                           sectors * lbs, lbs, sectors);
    return d;
}

/* ---- USB devices and SCSI hosts --------------------------------------------- */

static hostDev *
scanUSB(const char *sysname, const char *path)
{
    g_autofree char *devtype = ueventValue(path, "DEVTYPE");
    unsigned long long busnum = 0, devnum = 0, vendor = 0, product = 0;
    g_autofree char *vname = readAttr(path, "manufacturer");
    g_autofree char *pname = readAttr(path, "product");
    hostDev *d;

    if (!devtype || !g_str_equal(devtype, "usb_device"))
        return NULL; /* interfaces are listed by libvirt too, not here */
    readULL(path, "busnum", &busnum);
    readULL(path, "devnum", &devnum);
    readULL(path, "idVendor", &vendor);
    {
        g_autofree char *v = readAttr(path, "idVendor");
        g_autofree char *p = readAttr(path, "idProduct");

        vendor = v ? strtoull(v, NULL, 16) : 0;
        product = p ? strtoull(p, NULL, 16) : 0;
    }
    d = hostDevNew(deviceName("usb", sysname, NULL), path, "usb_device");
    d->devnode = g_strdup_printf("/dev/bus/usb/%03llu/%03llu", busnum, devnum);
    g_string_append_printf(d->capXML, "    <bus>%llu</bus>\n    <device>%llu</device>\n",
                           busnum, devnum);
    if (pname && *pname) {
        g_string_append_printf(d->capXML, "    <product id='0x%.4llx'>", product);
        virDomainXMLEscape(d->capXML, pname);
        g_string_append(d->capXML, "</product>\n");
    } else {
        g_string_append_printf(d->capXML, "    <product id='0x%.4llx'/>\n", product);
    }
    if (vname && *vname) {
        g_string_append_printf(d->capXML, "    <vendor id='0x%.4llx'>", vendor);
        virDomainXMLEscape(d->capXML, vname);
        g_string_append(d->capXML, "</vendor>\n");
    } else {
        g_string_append_printf(d->capXML, "    <vendor id='0x%.4llx'/>\n", vendor);
    }
    return d;
}

static hostDev *
scanSCSIHost(const char *sysname, const char *path)
{
    unsigned int host;
    unsigned long long uid = 0;
    g_autofree char *uniq = NULL;
    hostDev *d;

    if (sscanf(sysname, "host%u", &host) != 1)
        return NULL;
    d = hostDevNew(g_strdup_printf("scsi_%s", sysname), path, "scsi_host");
    g_string_append_printf(d->capXML, "    <host>%u</host>\n", host);
    if ((uniq = readAttr(path, "unique_id")) && readULL(path, "unique_id", &uid))
        g_string_append_printf(d->capXML, "    <unique_id>%llu</unique_id>\n", uid);
    return d;
}

/* ---- the scan ---------------------------------------------------------------- */

typedef hostDev *(*hostScanFunc)(const char *sysname, const char *path);

static void
scanDir(GPtrArray *devs, const char *dir, hostScanFunc fn)
{
    g_autofree char *full = g_build_filename(hostNodeDevSysfs, dir, NULL);
    g_autoptr(GDir) d = g_dir_open(full, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(full, name, NULL);
        hostDev *dev = fn(name, path);

        if (dev)
            g_ptr_array_add(devs, dev);
    }
}

static char *
formatDevice(const hostDev *d)
{
    GString *buf = g_string_new("<device>\n");

    xmlText(buf, "  ", "name", d->name);
    if (d->sysfs)
        xmlText(buf, "  ", "path", d->sysfs);
    if (d->devnode) {
        g_string_append(buf, "  <devnode type='dev'>");
        virDomainXMLEscape(buf, d->devnode);
        g_string_append(buf, "</devnode>\n");
    }
    if (d->parent)
        xmlText(buf, "  ", "parent", d->parent);
    if (d->driver) {
        g_string_append(buf, "  <driver>\n");
        xmlText(buf, "    ", "name", d->driver);
        g_string_append(buf, "  </driver>\n");
    }
    g_string_append_printf(buf,
                           "  <capability type='%s'>\n%s  </capability>\n</device>\n",
                           d->cap, d->capXML->str);
    return g_string_free(buf, FALSE);
}

/* Every device of the host, with parents, as objects. */
static GPtrArray *
hostNodeDevScan(void)
{
    g_autoptr(GPtrArray) devs =
        g_ptr_array_new_with_free_func((GDestroyNotify)hostDevFree);
    g_autoptr(GHashTable) byPath = g_hash_table_new(g_str_hash, g_str_equal);
    GPtrArray *objs =
        g_ptr_array_new_with_free_func((GDestroyNotify)virNodeDeviceObjFree);

    g_ptr_array_add(devs, scanSystem());
    scanDir(devs, "bus/pci/devices", scanPCI);
    scanDir(devs, "bus/usb/devices", scanUSB);
    scanDir(devs, "class/scsi_host", scanSCSIHost);
    scanDir(devs, "class/net", scanNet);
    scanDir(devs, "class/block", scanBlock);

    for (guint i = 0; i < devs->len; i++) {
        hostDev *d = devs->pdata[i];

        if (d->sysfs)
            g_hash_table_insert(byPath, d->sysfs, d);
    }
    for (guint i = 0; i < devs->len; i++) {
        hostDev *d = devs->pdata[i];
        virNodeDeviceObj *obj;
        g_autofree char *xml = NULL;

        if (d->sysfs) {
            g_autofree char *up = g_path_get_dirname(d->sysfs);

            while (!d->parent && strlen(up) > 1) {
                hostDev *p = g_hash_table_lookup(byPath, up);
                char *next;

                if (p)
                    d->parent = g_strdup(p->name);
                next = g_path_get_dirname(up);
                g_free(up);
                up = next;
            }
            if (!d->parent)
                d->parent = g_strdup("computer");
        }
        xml = formatDevice(d);
        obj = virNodeDeviceObjNew(d->name, d->parent, xml);
        /* as libvirt's udev driver: found devices are active, not
         * persistent, no autostart; "computer" is all three */
        obj->persistent = obj->autostart = !d->sysfs;
        virNodeDeviceObjAddCap(obj, d->cap);
        for (guint j = 0; j < d->nested->len; j++)
            virNodeDeviceObjAddMatchCap(obj, d->nested->pdata[j]);
        g_ptr_array_add(objs, obj);
    }
    return objs;
}

/* The list, rescanned; NULL with an error if the driver is not running.
 * Called without the lock; takes it. */
static virNodeDeviceObjList *
hostNodeDevList(void)
{
    virNodeDeviceObjList *list;

    g_mutex_lock(&hostNodeDevLock);
    if ((list = hostNodeDevs)) {
        g_autoptr(GPtrArray) objs = hostNodeDevScan();

        virNodeDeviceObjListReplace(list, objs);
    } else {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "node device state driver is not active");
    }
    g_mutex_unlock(&hostNodeDevLock);
    return list;
}

int
hostNodeDevStateInitialize(const char *sysfsRoot)
{
    g_mutex_lock(&hostNodeDevLock);
    hostNodeDevSysfs = g_strdup(sysfsRoot ? sysfsRoot : SYSFS);
    hostNodeDevs = virNodeDeviceObjListNew(VIR_FROM_NODEDEV);
    hostNodeDevEvents = virObjectEventStateNew();
    g_mutex_unlock(&hostNodeDevLock);
    return 0;
}

void
hostNodeDevStateCleanup(void)
{
    g_mutex_lock(&hostNodeDevLock);
    virNodeDeviceObjListFree(g_steal_pointer(&hostNodeDevs));
    virObjectEventStateFree(g_steal_pointer(&hostNodeDevEvents));
    g_clear_pointer(&hostNodeDevSysfs, g_free);
    g_clear_pointer(&pciIds, g_hash_table_unref);
    g_mutex_unlock(&hostNodeDevLock);
}

/* ---- entry points -------------------------------------------------------------- */

static int
hostNodeNumOfDevices(virConnectPtr conn, const char *cap, unsigned int flags)
{
    virNodeDeviceObjList *list;

    virCheckFlags(0, -1);
    if (!(list = hostNodeDevList()))
        return -1;
    return virNodeDeviceObjListNumOfDevices(list, cap);
}

static int
hostNodeListDevices(virConnectPtr conn, const char *cap, char **const names, int maxnames,
                    unsigned int flags)
{
    virNodeDeviceObjList *list;

    virCheckFlags(0, -1);
    if (!(list = hostNodeDevList()))
        return -1;
    return virNodeDeviceObjListGetNames(list, cap, names, maxnames);
}

/* every CAP_* bit, ACTIVE and INACTIVE (libvirt's FILTERS_ALL) */
#define HOST_NODEDEV_FILTERS_ALL                                 \
    (((1u << 22) - 1) | VIR_CONNECT_LIST_NODE_DEVICES_INACTIVE | \
     VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE)

static int
hostConnectListAllNodeDevices(virConnectPtr conn, virNodeDevicePtr **devices,
                              unsigned int flags)
{
    virNodeDeviceObjList *list;

    virCheckFlags(HOST_NODEDEV_FILTERS_ALL, -1);
    if (!(list = hostNodeDevList()))
        return -1;
    return virNodeDeviceObjListExport(conn, list, devices, flags);
}

static virNodeDevicePtr
hostNodeDeviceLookupByName(virConnectPtr conn, const char *name)
{
    virNodeDeviceObjList *list;

    if (!(list = hostNodeDevList()) || !virNodeDeviceObjListHas(list, name))
        return NULL;
    return virGetNodeDevice(conn, name);
}

static char *
hostNodeDeviceGetXMLDesc(virNodeDevicePtr dev, unsigned int flags)
{
    virNodeDeviceObjList *list;

    virCheckFlags(0, NULL);
    if (!(list = hostNodeDevList()))
        return NULL;
    return virNodeDeviceObjListGetXML(list, dev->name);
}

static char *
hostNodeDeviceGetParent(virNodeDevicePtr dev)
{
    virNodeDeviceObjList *list;

    if (!(list = hostNodeDevList()))
        return NULL;
    return virNodeDeviceObjListGetParent(list, dev->name);
}

static int
hostNodeDeviceNumOfCaps(virNodeDevicePtr dev)
{
    virNodeDeviceObjList *list;

    if (!(list = hostNodeDevList()))
        return -1;
    return virNodeDeviceObjListNumOfCaps(list, dev->name);
}

static int
hostNodeDeviceListCaps(virNodeDevicePtr dev, char **const names, int maxnames)
{
    virNodeDeviceObjList *list;

    if (!(list = hostNodeDevList()))
        return -1;
    return virNodeDeviceObjListListCaps(list, dev->name, names, maxnames);
}

static int
hostNodeDeviceIsActive(virNodeDevicePtr dev)
{
    virNodeDeviceObjList *list;

    if (!(list = hostNodeDevList()))
        return -1;
    return virNodeDeviceObjListIsActive(list, dev->name);
}

static int
hostNodeDeviceIsPersistent(virNodeDevicePtr dev)
{
    virNodeDeviceObjList *list;

    if (!(list = hostNodeDevList()))
        return -1;
    return virNodeDeviceObjListIsPersistent(list, dev->name);
}

static int
hostNodeDeviceGetAutostart(virNodeDevicePtr dev, int *autostart)
{
    virNodeDeviceObjList *list;
    int rc;

    if (!(list = hostNodeDevList()) ||
        (rc = virNodeDeviceObjListGetAutostart(list, dev->name)) < 0)
        return -1;
    *autostart = rc;
    return 0;
}

static int
hostConnectNodeDeviceEventRegisterAny(virConnectPtr conn, virNodeDevicePtr dev,
                                      int eventID,
                                      virConnectNodeDeviceEventGenericCallback cb,
                                      void *opaque, virFreeCallback freecb)
{
    virObjectEventState *events;

    g_mutex_lock(&hostNodeDevLock);
    events = hostNodeDevEvents;
    g_mutex_unlock(&hostNodeDevLock);
    if (!events) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "node device state driver is not active");
        return -1;
    }
    return virNodeDeviceEventStateRegisterID(conn, events, dev, eventID, cb, opaque,
                                             freecb);
}

static int
hostConnectNodeDeviceEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    virObjectEventState *events;

    g_mutex_lock(&hostNodeDevLock);
    events = hostNodeDevEvents;
    g_mutex_unlock(&hostNodeDevLock);
    if (!events) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "node device state driver is not active");
        return -1;
    }
    return virObjectEventStateDeregisterKindID(conn, events, VIR_EVENT_KIND_NODE_DEVICE,
                                               callbackID);
}

/* ---- create / destroy (network engineer) ----------------------------------------- */

/*
 * libvirt 9.0 creates two kinds of devices: NPIV vHBAs (through the
 * vport_create file of a vport-capable FC HBA) and mediated devices
 * (through mdevctl). The scan above finds no FC HBA capabilities (no
 * fc_host, no vport_ops), so every vHBA request ends at libvirt's parent
 * checks with libvirt's errors; a mediated device needs mdevctl, and
 * without it libvirt's "Cannot find 'mdevctl' in path" is the answer. With
 * mdevctl installed virtkit does not drive it (OPERATION_UNSUPPORTED).
 * The entry points carry libvirt's function names: its "unsupported
 * flags" messages name them.
 */

/* libvirt's mdev post-parse: the parent must be a device with an address. */
static int
nodeDeviceCheckMdevParent(virNodeDeviceObjList *list, const virNodeDeviceDef *def)
{
    g_autoptr(virNodeDeviceObj) parent = NULL;

    if (!def->parent) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "missing parent device");
        return -1;
    }
    if (!(parent = virNodeDeviceObjListCopy(list, def->parent, true))) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "invalid parent device '%s'",
                       def->parent);
        return -1;
    }
    if (!virNodeDeviceObjHasCap(parent, "pci") &&
        !virNodeDeviceObjHasCap(parent, "css") &&
        !virNodeDeviceObjHasCap(parent, "ap_matrix")) {
        virReportError(VIR_ERR_PARSE_FAILED,
                       "Unable to find address for parent device '%s'", def->parent);
        return -1;
    }
    return 0;
}

/* The device to create or define, parsed and checked as libvirt's
 * parser and its post-parse callbacks do. */
static virNodeDeviceDef *
nodeDeviceParse(virNodeDeviceObjList *list, const char *xml)
{
    g_autoptr(virNodeDeviceDef) def = virNodeDeviceDefParseString(xml);

    if (!def)
        return NULL;
    if (strcmp(def->capType, "mdev") == 0 && nodeDeviceCheckMdevParent(list, def) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

/* What libvirt does for an mdev once parsed: run mdevctl. */
static void
nodeDeviceReportMdevctl(void)
{
    g_autofree char *mdevctl = g_find_program_in_path("mdevctl");

    if (!mdevctl)
        virReportSystemErrorFull(VIR_FROM_NONE, ENOENT, __func__,
                                 "Cannot find '%s' in path", "mdevctl");
    else
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "mediated devices through mdevctl are not supported by virtkit");
}

static virNodeDevicePtr
nodeDeviceCreateXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    virNodeDeviceObjList *list;
    g_autoptr(virNodeDeviceDef) def = NULL;
    g_autofree char *wwnn = NULL;
    g_autofree char *wwpn = NULL;
    g_autofree char *parent = NULL;

    virCheckFlags(VIR_NODE_DEVICE_CREATE_XML_VALIDATE, NULL);
    if (!(list = hostNodeDevList()) || !(def = nodeDeviceParse(list, xml)))
        return NULL;
    if (strcmp(def->capType, "scsi_host") == 0) {
        if (virNodeDeviceDefGetWWNs(def, true, &wwnn, &wwpn) < 0 ||
            virNodeDeviceDefFindParentHost(list, def, &parent) < 0)
            return NULL;
        /* not reached while the scan finds no vport-capable HBA */
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "vHBA creation is not supported by virtkit");
        return NULL;
    }
    if (strcmp(def->capType, "mdev") == 0) {
        nodeDeviceReportMdevctl();
        return NULL;
    }
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "Unsupported device type");
    return NULL;
}

static virNodeDevicePtr
nodeDeviceDefineXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    virNodeDeviceObjList *list;
    g_autoptr(virNodeDeviceDef) def = NULL;

    virCheckFlags(VIR_NODE_DEVICE_DEFINE_XML_VALIDATE, NULL);
    if (!(list = hostNodeDevList()) || !(def = nodeDeviceParse(list, xml)))
        return NULL;
    if (strcmp(def->capType, "mdev") == 0) {
        nodeDeviceReportMdevctl();
        return NULL;
    }
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "Unsupported device type");
    return NULL;
}

static int
nodeDeviceDestroy(virNodeDevicePtr dev)
{
    virNodeDeviceObjList *list;
    g_autoptr(virNodeDeviceObj) obj = NULL;
    g_autoptr(virNodeDeviceDef) fc = NULL;

    if (!(list = hostNodeDevList()) ||
        !(obj = virNodeDeviceObjListCopy(list, dev->name, false)))
        return -1;
    if (virNodeDeviceObjHasCap(obj, "scsi_host")) {
        /* libvirt reads the vHBA's wwnn/wwpn first: none on an HBA the scan
         * found (no fc_host) */
        if (!obj->xml || virNodeDeviceXMLGetFC(obj->xml, &fc) <= 0) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "Device is not a fibre channel HBA");
            return -1;
        }
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "vHBA removal is not supported by virtkit");
        return -1;
    }
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "Unsupported device type");
    return -1;
}

static int
nodeDeviceUndefine(virNodeDevicePtr dev, unsigned int flags)
{
    virNodeDeviceObjList *list;
    g_autoptr(virNodeDeviceObj) obj = NULL;

    virCheckFlags(0, -1);
    if (!(list = hostNodeDevList()) ||
        !(obj = virNodeDeviceObjListCopy(list, dev->name, false)))
        return -1;
    if (!obj->persistent) {
        virReportError(VIR_ERR_OPERATION_INVALID, "Node device '%s' is not defined",
                       dev->name);
        return -1;
    }
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "Unsupported device type");
    return -1;
}

static int
nodeDeviceCreate(virNodeDevicePtr dev, unsigned int flags)
{
    virNodeDeviceObjList *list;
    g_autoptr(virNodeDeviceObj) obj = NULL;

    virCheckFlags(0, -1);
    if (!(list = hostNodeDevList()) ||
        !(obj = virNodeDeviceObjListCopy(list, dev->name, false)))
        return -1;
    if (obj->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "Device is already active");
        return -1;
    }
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "Unsupported device type");
    return -1;
}

/* libvirt sets autostart on defined mediated devices only */
static int
nodeDeviceSetAutostart(virNodeDevicePtr dev, int autostart)
{
    virNodeDeviceObjList *list;
    g_autoptr(virNodeDeviceObj) obj = NULL;

    if (!(list = hostNodeDevList()) ||
        !(obj = virNodeDeviceObjListCopy(list, dev->name, false)))
        return -1;
    virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s", "Unsupported device type");
    return -1;
}

const virNodeDeviceDriver hostNodeDeviceDriver = {
    .name = "nodedev",
    .nodeNumOfDevices = hostNodeNumOfDevices,
    .nodeListDevices = hostNodeListDevices,
    .connectListAllNodeDevices = hostConnectListAllNodeDevices,
    .nodeDeviceLookupByName = hostNodeDeviceLookupByName,
    .nodeDeviceGetXMLDesc = hostNodeDeviceGetXMLDesc,
    .nodeDeviceGetParent = hostNodeDeviceGetParent,
    .nodeDeviceNumOfCaps = hostNodeDeviceNumOfCaps,
    .nodeDeviceListCaps = hostNodeDeviceListCaps,
    .nodeDeviceIsActive = hostNodeDeviceIsActive,
    .nodeDeviceIsPersistent = hostNodeDeviceIsPersistent,
    .nodeDeviceGetAutostart = hostNodeDeviceGetAutostart,
    .connectNodeDeviceEventRegisterAny = hostConnectNodeDeviceEventRegisterAny,
    .connectNodeDeviceEventDeregisterAny = hostConnectNodeDeviceEventDeregisterAny,
    .nodeDeviceCreateXML = nodeDeviceCreateXML,
    .nodeDeviceDestroy = nodeDeviceDestroy,
    .nodeDeviceDefineXML = nodeDeviceDefineXML,
    .nodeDeviceUndefine = nodeDeviceUndefine,
    .nodeDeviceCreate = nodeDeviceCreate,
    .nodeDeviceSetAutostart = nodeDeviceSetAutostart,
};
