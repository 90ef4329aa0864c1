/* qemu_command.c: validate a domain definition and build its QEMU command line */

#define G_LOG_DOMAIN "virtkit.qemu.command"

#include <string.h>

#include "qemu_command.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* Elements the parser keeps as unknown that have no effect on QEMU in
 * libvirt either (application data). Everything else unknown is refused. */
static const char *const qemuIgnorableElements[] = { "metadata", NULL };

static const char *const diskBusNames[VIR_DOMAIN_DISK_BUS_LAST] = {
    "none", "ide", "scsi", "virtio", "usb", "sata",
};

static bool
qemuMachineIsQ35(const char *machine)
{
    return machine && (g_str_has_prefix(machine, "pc-q35-") || g_str_equal(machine, "q35"));
}

static bool
qemuMachineIsI440FX(const char *machine)
{
    return machine && (g_str_has_prefix(machine, "pc-i440fx-") || g_str_equal(machine, "pc"));
}

/* The bus a disk really uses: given, or derived from its target name as
 * libvirt does (vd -> virtio, hd -> ide, sd -> scsi). */
static int
qemuDiskBus(const virDomainDiskDef *disk)
{
    if (disk->bus != VIR_DOMAIN_DISK_BUS_NONE)
        return disk->bus;
    if (disk->dst && g_str_has_prefix(disk->dst, "vd"))
        return VIR_DOMAIN_DISK_BUS_VIRTIO;
    if (disk->dst && g_str_has_prefix(disk->dst, "hd"))
        return VIR_DOMAIN_DISK_BUS_IDE;
    if (disk->dst && g_str_has_prefix(disk->dst, "sd"))
        return VIR_DOMAIN_DISK_BUS_SCSI;
    return VIR_DOMAIN_DISK_BUS_NONE;
}

/* "sdc" -> 2, "vdaa" -> 26; -1 if not a disk name. */
static int
qemuDiskIndex(const char *dst)
{
    const char *p;
    int idx = 0;

    if (!dst || strlen(dst) < 3)
        return -1;
    p = dst + 2;
    for (; *p; p++) {
        if (*p < 'a' || *p > 'z')
            return -1;
        idx = idx * 26 + (*p - 'a' + 1);
        if (idx > 100000)
            return -1;
    }
    return idx - 1;
}

static int
qemuValidateDisk(const virDomainDef *def, const virDomainDiskDef *disk, const char *machine)
{
    int bus = qemuDiskBus(disk);
    const char *dst = disk->dst ? disk->dst : "?";
    int idx = qemuDiskIndex(disk->dst);

    if (disk->type != VIR_DOMAIN_DISK_TYPE_FILE) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s': only file disks are supported",
                       dst);
        return -1;
    }
    if (idx < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s': invalid target name", dst);
        return -1;
    }
    if (disk->driverName && !g_str_equal(disk->driverName, "qemu")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "disk '%s': unsupported driver name '%s'", dst, disk->driverName);
        return -1;
    }
    if (disk->format != VIR_STORAGE_FORMAT_NONE && disk->format != VIR_STORAGE_FORMAT_RAW &&
        disk->format != VIR_STORAGE_FORMAT_QCOW2) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s': unsupported format", dst);
        return -1;
    }
    if (disk->cache < 0 || disk->cache >= VIR_DOMAIN_DISK_CACHE_LAST) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s': unsupported cache mode", dst);
        return -1;
    }
    if (disk->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "disk '%s': explicit device addresses are not supported", dst);
        return -1;
    }
    switch (bus) {
    case VIR_DOMAIN_DISK_BUS_VIRTIO:
        if (disk->device != VIR_DOMAIN_DISK_DEVICE_DISK) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "disk '%s': a cdrom cannot be on the virtio bus", dst);
            return -1;
        }
        break;
    case VIR_DOMAIN_DISK_BUS_SATA:
        if (!qemuMachineIsQ35(machine)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "disk '%s': SATA needs a q35 machine (its built-in AHCI controller)",
                           dst);
            return -1;
        }
        if (idx > 5) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "disk '%s': the AHCI controller has 6 ports", dst);
            return -1;
        }
        break;
    case VIR_DOMAIN_DISK_BUS_IDE:
        if (!qemuMachineIsI440FX(machine)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "IDE controllers are unsupported for this QEMU binary or machine type");
            return -1;
        }
        if (idx > 3) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "disk '%s': the IDE controller has 4 units", dst);
            return -1;
        }
        break;
    default:
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s': unsupported disk bus '%s'", dst,
                       bus >= 0 && bus < VIR_DOMAIN_DISK_BUS_LAST ? diskBusNames[bus] : "?");
        return -1;
    }
    if (!disk->src && disk->device == VIR_DOMAIN_DISK_DEVICE_DISK) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s' has no source file", dst);
        return -1;
    }
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *o = def->disks[i];

        if (o != disk && g_strcmp0(o->dst, disk->dst) == 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "target '%s' duplicated for disk sources",
                           dst);
            return -1;
        }
    }
    return 0;
}

static int
qemuValidateChr(const virDomainChrDef *chr, size_t i)
{
    if (chr->type != VIR_DOMAIN_CHR_TYPE_PTY && chr->type != VIR_DOMAIN_CHR_TYPE_FILE &&
        chr->type != VIR_DOMAIN_CHR_TYPE_NULL) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported serial type");
        return -1;
    }
    if (chr->type == VIR_DOMAIN_CHR_TYPE_FILE && !chr->path) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "serial %zu of type 'file' has no path", i);
        return -1;
    }
    if (chr->targetType != VIR_DOMAIN_CHR_TARGET_NONE &&
        chr->targetType != VIR_DOMAIN_CHR_TARGET_ISA_SERIAL) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "serial %zu: only isa-serial targets are supported", i);
        return -1;
    }
    if (chr->targetModel && !g_str_equal(chr->targetModel, "isa-serial")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "serial %zu: unsupported target model '%s'", i, chr->targetModel);
        return -1;
    }
    if (chr->targetPort >= 0 && (size_t)chr->targetPort != i) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "serial %zu: target port %d must follow the serial order", i,
                       chr->targetPort);
        return -1;
    }
    if (i > 3) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "at most 4 isa-serial ports are supported");
        return -1;
    }
    return 0;
}

static const char *
qemuNetModel(const virDomainNetDef *net)
{
    if (!net->model || g_str_equal(net->model, "virtio"))
        return "virtio-net-pci";
    if (g_str_equal(net->model, "e1000"))
        return "e1000";
    if (g_str_equal(net->model, "e1000e"))
        return "e1000e";
    if (g_str_equal(net->model, "rtl8139"))
        return "rtl8139";
    return NULL;
}

static int
qemuValidateLifecycle(const virDomainDef *def)
{
    const struct { const char *name; int action; bool poweroffOrReboot; } ev[] = {
        { "poweroff", def->onPoweroff, true },
        { "reboot", def->onReboot, true },
        { "crash", def->onCrash, false },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(ev); i++) {
        const char *str = virDomainLifecycleActionToString(ev[i].action);

        if (!str) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown on_%s action", ev[i].name);
            return -1;
        }
        if (ev[i].action == VIR_DOMAIN_LIFECYCLE_ACTION_RESTART_RENAME) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "qemu driver doesn't support the '%s' action for 'on_%s'",
                           str, ev[i].name);
            return -1;
        }
        if (ev[i].poweroffOrReboot &&
            (ev[i].action == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_DESTROY ||
             ev[i].action == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "Lifecycle event '%s' doesn't support '%s' action", ev[i].name, str);
            return -1;
        }
        if (ev[i].poweroffOrReboot && ev[i].action == VIR_DOMAIN_LIFECYCLE_ACTION_PRESERVE) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "qemu driver doesn't support the 'preserve' action for 'on_%s'",
                           ev[i].name);
            return -1;
        }
    }
    if (def->onPoweroff == VIR_DOMAIN_LIFECYCLE_ACTION_RESTART &&
        def->onReboot == VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "qemu driver doesn't support 'onReboot' action 'destroy' with "
                       "'onPoweroff' action 'restart'");
        return -1;
    }
    if (def->onCrash == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_DESTROY ||
        def->onCrash == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "on_crash coredump actions are not supported yet");
        return -1;
    }
    return 0;
}

int
qemuValidateDomainDef(const virDomainDef *def, const qemuCaps *caps)
{
    const char *machine;

    if (def->virtType != VIR_DOMAIN_VIRT_QEMU && def->virtType != VIR_DOMAIN_VIRT_KVM) {
        const char *t = virDomainVirtTypeToString(def->virtType);

        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Emulator '%s' does not support virt type '%s'",
                       def->emulator ? def->emulator : qemuCapsGetBinary(caps), t ? t : "none");
        return -1;
    }
    for (size_t i = 0; def->unknownElements && def->unknownElements[i]; i++) {
        if (g_strv_contains(qemuIgnorableElements, def->unknownElements[i]))
            continue;
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "element '%s' is not supported by the QEMU driver",
                       def->unknownElements[i]);
        return -1;
    }
    if (def->os.type && !g_str_equal(def->os.type, "hvm")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "os type '%s' is not supported", def->os.type);
        return -1;
    }
    if (def->os.arch && !g_str_equal(def->os.arch, "x86_64")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "No guest options available for arch '%s'", def->os.arch);
        return -1;
    }
    if (!(machine = qemuCapsGetCanonicalMachine(caps, def->os.machine))) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Emulator '%s' does not support machine type '%s'",
                       qemuCapsGetBinary(caps), def->os.machine ? def->os.machine : "(default)");
        return -1;
    }
    if (def->memory < 1024) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "memory must be at least 1 MiB");
        return -1;
    }
    if (def->vcpus < 1 || def->vcpus > 255) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported vcpu count %u", def->vcpus);
        return -1;
    }
    if ((def->os.initrd || def->os.cmdline) && !def->os.kernel) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "an initrd or kernel command line needs a kernel");
        return -1;
    }
    /* No <acpi/>: "-machine ...,acpi=off", as libvirt does. QEMU 7.2 starts
     * q35 that way too; the guest then has no power button (ACPI shutdown
     * and reboot cannot work), which is what the definition asked for. */
    if (qemuValidateLifecycle(def) < 0)
        return -1;
    for (size_t i = 0; i < def->ndisks; i++) {
        if (qemuValidateDisk(def, def->disks[i], machine) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->nnets; i++) {
        const virDomainNetDef *net = def->nets[i];

        if (net->type != VIR_DOMAIN_NET_TYPE_USER) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "only interface type 'user' is supported (no host bridge "
                           "networking here)");
            return -1;
        }
        if (!qemuNetModel(net)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported interface model '%s'",
                           net->model);
            return -1;
        }
        if (net->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "explicit interface addresses are not supported");
            return -1;
        }
    }
    for (size_t i = 0; i < def->nserials; i++) {
        if (qemuValidateChr(def->serials[i], i) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->nconsoles; i++) {
        const virDomainChrDef *con = def->consoles[i];

        /* A serial console is an alias of serial N: nothing of its own. */
        if ((con->targetType != VIR_DOMAIN_CHR_TARGET_SERIAL &&
             con->targetType != VIR_DOMAIN_CHR_TARGET_NONE) ||
            (size_t)MAX(con->targetPort, 0) >= MAX(def->nserials, 1) ||
            def->nserials == 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "only a console that is an alias of a serial port is supported");
            return -1;
        }
    }
    if (def->memballoon && def->memballoon->model != VIR_DOMAIN_MEMBALLOON_MODEL_VIRTIO &&
        def->memballoon->model != VIR_DOMAIN_MEMBALLOON_MODEL_NONE) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "unsupported memballoon model");
        return -1;
    }
    if (def->memballoon && def->memballoon->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "explicit memballoon addresses are not supported");
        return -1;
    }
    return 0;
}

/* QEMU's comma escaping for option values. */
static char *
qemuEscapeComma(const char *s)
{
    g_auto(GStrv) parts = g_strsplit(s, ",", -1);

    return g_strjoinv(",,", parts);
}

static void
add(GPtrArray *a, const char *s)
{
    g_ptr_array_add(a, g_strdup(s));
}

static void G_GNUC_PRINTF(2, 3)
addf(GPtrArray *a, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_ptr_array_add(a, g_strdup_vprintf(fmt, ap));
    va_end(ap);
}

/* Cache mode -> (write-cache, direct, no-flush), libvirt's table. */
static void
qemuDiskCacheFlags(int cache, bool *writeback, bool *direct, bool *noflush)
{
    *writeback = true;
    *direct = false;
    *noflush = false;
    switch (cache) {
    case VIR_DOMAIN_DISK_CACHE_NONE:
        *direct = true;
        break;
    case VIR_DOMAIN_DISK_CACHE_WRITETHRU:
        *writeback = false;
        break;
    case VIR_DOMAIN_DISK_CACHE_DIRECTSYNC:
        *writeback = false;
        *direct = true;
        break;
    case VIR_DOMAIN_DISK_CACHE_UNSAFE:
        *noflush = true;
        break;
    default:
        break;
    }
}

static void
qemuBuildDisk(GPtrArray *a, const virDomainDiskDef *disk, size_t n)
{
    bool writeback, direct, noflush;
    bool hasCache = disk->cache != VIR_DOMAIN_DISK_CACHE_DEFAULT;
    g_autofree char *cacheJSON = NULL;
    g_autofree char *dev = NULL;
    int bus = qemuDiskBus(disk);
    int idx = qemuDiskIndex(disk->dst);
    bool cdrom = disk->device == VIR_DOMAIN_DISK_DEVICE_CDROM;
    bool ro = disk->readonly || cdrom;
    g_autofree char *drive = disk->src ? g_strdup_printf("drive=libvirt-%zu-format,", n)
                                       : g_strdup("");

    qemuDiskCacheFlags(disk->cache, &writeback, &direct, &noflush);
    if (hasCache)
        cacheJSON = g_strdup_printf(",\"cache\":{\"direct\":%s,\"no-flush\":%s}",
                                    direct ? "true" : "false", noflush ? "true" : "false");

    if (disk->src) {
        g_autoptr(GString) file = g_string_new("{\"driver\":\"file\",\"filename\":");
        g_autofree char *esc = g_strescape(disk->src, NULL);

        g_string_append_printf(file, "\"%s\",\"node-name\":\"libvirt-%zu-storage\"", esc, n);
        g_string_append(file, ",\"auto-read-only\":true,\"discard\":\"unmap\"");
        if (cacheJSON)
            g_string_append(file, cacheJSON);
        g_string_append(file, "}");
        add(a, "-blockdev");
        add(a, file->str);
        add(a, "-blockdev");
        addf(a, "{\"node-name\":\"libvirt-%zu-format\",\"read-only\":%s%s,\"driver\":\"%s\","
             "\"file\":\"libvirt-%zu-storage\"}", n, ro ? "true" : "false",
             cacheJSON ? cacheJSON : "",
             disk->format == VIR_STORAGE_FORMAT_QCOW2 ? "qcow2" : "raw", n);
    }

    switch (bus) {
    case VIR_DOMAIN_DISK_BUS_VIRTIO:
        dev = g_strdup_printf("virtio-blk-pci,drive=libvirt-%zu-format,id=virtio-disk%d", n, idx);
        break;
    case VIR_DOMAIN_DISK_BUS_SATA:
        dev = g_strdup_printf("%s,bus=ide.%d,%sid=sata0-0-%d", cdrom ? "ide-cd" : "ide-hd",
                              idx, drive, idx);
        break;
    case VIR_DOMAIN_DISK_BUS_IDE:
    default:
        dev = g_strdup_printf("%s,bus=ide.%d,unit=%d,%sid=ide0-%d-%d",
                              cdrom ? "ide-cd" : "ide-hd", idx / 2, idx % 2, drive,
                              idx / 2, idx % 2);
        break;
    }
    add(a, "-device");
    if (hasCache && disk->src)
        addf(a, "%s,write-cache=%s", dev, writeback ? "on" : "off");
    else
        add(a, dev);
}

char **
qemuBuildCommandLine(const virDomainDef *def, const qemuCaps *caps,
                     const qemuCommandOptions *opts)
{
    g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func(g_free);
    char uuid[VIR_UUID_STRING_BUFLEN];
    g_autofree char *name = NULL;
    const char *machine;
    size_t diskNode = 0;

    if (qemuValidateDomainDef(def, caps) < 0)
        return NULL;
    machine = qemuCapsGetCanonicalMachine(caps, def->os.machine);
    name = qemuEscapeComma(def->name);

    add(a, def->emulator ? def->emulator : qemuCapsGetBinary(caps));
    add(a, "-name");
    addf(a, "guest=%s,debug-threads=on", name);
    add(a, "-S");
    add(a, "-machine");
    addf(a, "%s,usb=off,dump-guest-core=off%s", machine,
         def->acpi ? "" : ",acpi=off");
    add(a, "-accel");
    add(a, opts->kvm ? "kvm" : "tcg");
    add(a, "-cpu");
    /* qemu64 under KVM too: "host"/"max" abort on hosts with odd MSRs. */
    add(a, "qemu64");
    add(a, "-m");
    addf(a, "size=%lluk", def->memory);
    add(a, "-smp");
    addf(a, "%u,sockets=%u,cores=1,threads=1", def->vcpus, def->vcpus);
    virUUIDFormat(def->uuid, uuid);
    add(a, "-uuid");
    add(a, uuid);
    add(a, "-display");
    add(a, "none");
    add(a, "-no-user-config");
    add(a, "-nodefaults");
    add(a, "-chardev");
    addf(a, "socket,id=charmonitor,fd=%d,server=on,wait=off", opts->monitorFd);
    add(a, "-mon");
    add(a, "chardev=charmonitor,id=monitor,mode=control");
    add(a, "-rtc");
    add(a, def->clockOffset == VIR_DOMAIN_CLOCK_OFFSET_LOCALTIME ? "base=localtime"
                                                                : "base=utc");
    add(a, "-no-shutdown");
    add(a, "-boot");
    add(a, "strict=on");
    if (def->os.kernel) {
        add(a, "-kernel");
        add(a, def->os.kernel);
    }
    if (def->os.initrd) {
        add(a, "-initrd");
        add(a, def->os.initrd);
    }
    if (def->os.cmdline) {
        add(a, "-append");
        add(a, def->os.cmdline);
    }
    for (size_t i = 0; i < def->ndisks; i++) {
        if (def->disks[i]->src)
            diskNode++;
        qemuBuildDisk(a, def->disks[i], diskNode);
    }
    for (size_t i = 0; i < def->nnets; i++) {
        const virDomainNetDef *net = def->nets[i];
        unsigned char mac[6];

        if (net->macSet) {
            memcpy(mac, net->mac, sizeof(mac));
        } else {
            /* Not filled in by the driver: stable per domain and NIC. */
            mac[0] = 0x52;
            mac[1] = 0x54;
            mac[2] = 0x00;
            mac[3] = def->uuid[0];
            mac[4] = def->uuid[1];
            mac[5] = (unsigned char)(def->uuid[2] + i);
        }
        add(a, "-netdev");
        addf(a, "user,id=hostnet%zu", i);
        add(a, "-device");
        addf(a, "%s,netdev=hostnet%zu,id=net%zu,mac=%02x:%02x:%02x:%02x:%02x:%02x",
             qemuNetModel(net), i, i, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    }
    for (size_t i = 0; i < def->nserials; i++) {
        const virDomainChrDef *chr = def->serials[i];

        if (chr->type == VIR_DOMAIN_CHR_TYPE_FILE && i < opts->nserialFds &&
            opts->serialFds[i] >= 0) {
            add(a, "-add-fd");
            addf(a, "set=%zu,fd=%d", i + 1, opts->serialFds[i]);
        }
        add(a, "-chardev");
        if (chr->type == VIR_DOMAIN_CHR_TYPE_FILE && i < opts->nserialFds &&
            opts->serialFds[i] >= 0) {
            addf(a, "file,id=charserial%zu,path=/dev/fdset/%zu", i, i + 1);
        } else if (chr->type == VIR_DOMAIN_CHR_TYPE_FILE) {
            g_autofree char *path = qemuEscapeComma(chr->path);

            addf(a, "file,id=charserial%zu,path=%s", i, path);
        } else if (chr->type == VIR_DOMAIN_CHR_TYPE_PTY) {
            addf(a, "pty,id=charserial%zu", i);
        } else {
            addf(a, "null,id=charserial%zu", i);
        }
        add(a, "-device");
        addf(a, "isa-serial,chardev=charserial%zu,id=serial%zu,index=%zu", i, i, i);
    }
    if (!def->memballoon || def->memballoon->model == VIR_DOMAIN_MEMBALLOON_MODEL_VIRTIO) {
        add(a, "-device");
        add(a, "virtio-balloon-pci,id=balloon0");
    }
    if (opts->sandbox) {
        add(a, "-sandbox");
        add(a, "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny");
    }
    add(a, "-msg");
    add(a, "timestamp=on");
    g_ptr_array_add(a, NULL);
    return (char **)g_ptr_array_free(g_steal_pointer(&a), FALSE);
}
