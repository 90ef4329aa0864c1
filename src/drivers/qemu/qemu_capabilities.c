/* qemu_capabilities.c: what a probed QEMU binary can do: queries, definition defaults, capabilities XML */

/*
 * Thread protocol: a qemuCaps is immutable once built, except its KVM
 * verdict (qemu_capabilities_cache.c, under the cache's lock); every query
 * here reads immutable members and may run on any thread without a lock.
 * Probing and the cache: qemu_capabilities_probe.c, qemu_capabilities_cache.c.
 */

#define G_LOG_DOMAIN "virtkit.qemu.caps"

#include <string.h>

#include "qemu_capabilities_priv.h"
#include "qemu_cpu.h"
#include "qemu_domain_address.h"
#include "qemu_tpm.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

static void
qemuCapsMachineFree(gpointer p)
{
    qemuCapsMachine *m = p;

    g_free(m->name);
    g_free(m->alias);
    g_free(m->defaultCPU);
    g_free(m);
}

void
qemuCapsCPUModelFree(gpointer p)
{
    qemuCapsCPUModel *m = p;

    g_free(m->name);
    g_free(m->aliasOf);
    g_strfreev(m->blockers);
    g_free(m->vendor);
    g_strfreev(m->features);
    g_free(m);
}

qemuCaps *
qemuCapsNew(void)
{
    qemuCaps *caps = g_new0(qemuCaps, 1);

    caps->refs = 1;
    caps->machines = g_ptr_array_new_with_free_func(qemuCapsMachineFree);
    caps->commands = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    caps->accels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    caps->package = g_strdup("");
    caps->runUid = -1;
    caps->runGid = -1;
    return caps;
}

qemuCaps *
qemuCapsRef(qemuCaps *caps)
{
    g_atomic_int_inc(&caps->refs);
    return caps;
}

void
qemuCapsUnref(qemuCaps *caps)
{
    if (!caps || !g_atomic_int_dec_and_test(&caps->refs))
        return;
    g_free(caps->binary);
    g_free(caps->versionString);
    g_free(caps->package);
    g_ptr_array_unref(caps->machines);
    g_hash_table_unref(caps->commands);
    g_hash_table_unref(caps->accels);
    if (caps->cpuModels)
        g_ptr_array_unref(caps->cpuModels);
    g_free(caps->hostCPUVendor);
    g_strfreev(caps->hostCPUFeatures);
    g_strfreev(caps->cpuFeatureNames);
    g_free(caps->kvmWhy);
    g_free(caps);
}


/* ---- accessors ------------------------------------------------------ */

const char *
qemuCapsGetBinary(const qemuCaps *caps)
{
    return caps->binary;
}

unsigned long
qemuCapsGetVersion(const qemuCaps *caps)
{
    return caps->version;
}

const char *
qemuCapsGetVersionString(const qemuCaps *caps)
{
    return caps->versionString;
}

const char *
qemuCapsGetPackage(const qemuCaps *caps)
{
    return caps->package;
}

bool
qemuCapsHasCommand(const qemuCaps *caps, const char *qmpCommand)
{
    return g_hash_table_contains(caps->commands, qmpCommand);
}

bool
qemuCapsHasSandbox(const qemuCaps *caps)
{
    return caps->sandbox;
}

bool
qemuCapsHasAccel(const qemuCaps *caps, const char *accel)
{
    return g_hash_table_contains(caps->accels, accel);
}

const char *
qemuCapsGetMachineDefaultCPU(const qemuCaps *caps, const char *machine)
{
    const char *canon = qemuCapsGetCanonicalMachine(caps, machine);

    for (guint i = 0; canon && i < caps->machines->len; i++) {
        qemuCapsMachine *m = g_ptr_array_index(caps->machines, i);

        if (g_str_equal(m->name, canon))
            return m->defaultCPU;
    }
    return NULL;
}

int
qemuCapsGetMachineMaxCpus(const qemuCaps *caps, const char *machine)
{
    const char *canon = qemuCapsGetCanonicalMachine(caps, machine);

    for (guint i = 0; canon && i < caps->machines->len; i++) {
        qemuCapsMachine *m = g_ptr_array_index(caps->machines, i);

        if (g_str_equal(m->name, canon))
            return m->maxCpus;
    }
    return 0;
}

const qemuCapsCPUModel *
qemuCapsGetCPUModel(const qemuCaps *caps, const char *name)
{
    for (guint i = 0; caps->cpuModels && i < caps->cpuModels->len; i++) {
        const qemuCapsCPUModel *m = g_ptr_array_index(caps->cpuModels, i);

        if (g_str_equal(m->name, name))
            return m;
    }
    return NULL;
}

bool
qemuCapsCPUModelIsNamed(const char *name)
{
    const char *v = strrchr(name, '-');

    if (g_str_equal(name, "max") || g_str_equal(name, "host") ||
        g_str_equal(name, "base"))
        return false;
    if (v && v[1] == 'v' && v[2] && strspn(v + 2, "0123456789") == strlen(v + 2))
        return false;
    return true;
}

bool
qemuCapsCPUFeatureIsKnown(const qemuCaps *caps, const char *name)
{
    return !caps->cpuFeatureNames ||
           g_strv_contains((const char *const *)caps->cpuFeatureNames, name);
}

const char *const *
qemuCapsGetCPUFeatureNames(const qemuCaps *caps)
{
    return (const char *const *)caps->cpuFeatureNames;
}

const char *const *
qemuCapsGetHostCPU(const qemuCaps *caps, const char **vendor)
{
    *vendor = caps->hostCPUVendor;
    return (const char *const *)caps->hostCPUFeatures;
}

const qemuCapsCPUModel *const *
qemuCapsGetCPUModels(const qemuCaps *caps, size_t *n)
{
    *n = caps->cpuModels ? caps->cpuModels->len : 0;
    return caps->cpuModels ? (const qemuCapsCPUModel *const *)caps->cpuModels->pdata
                           : NULL;
}

const char *
qemuCapsGetCanonicalMachine(const qemuCaps *caps, const char *name)
{
    for (guint i = 0; i < caps->machines->len; i++) {
        qemuCapsMachine *m = g_ptr_array_index(caps->machines, i);

        if (name ? (g_str_equal(m->name, name) || g_strcmp0(m->alias, name) == 0)
                 : m->isDefault)
            return m->name;
    }
    return NULL;
}

bool
qemuCapsIsMachineDeprecated(const qemuCaps *caps, const char *name)
{
    for (guint i = 0; i < caps->machines->len; i++) {
        qemuCapsMachine *m = g_ptr_array_index(caps->machines, i);

        if (g_str_equal(m->name, name) || g_strcmp0(m->alias, name) == 0)
            return m->deprecated;
    }
    return false;
}

const char *
qemuCapsCPUVendorName(const char *qemuVendor)
{
    static const char *const vendors[][2] = {
        { "GenuineIntel", "Intel" },
        { "AuthenticAMD", "AMD" },
        { "HygonGenuine", "Hygon" },
    };

    for (size_t i = 0; qemuVendor && i < G_N_ELEMENTS(vendors); i++) {
        if (g_str_equal(qemuVendor, vendors[i][0]))
            return vendors[i][1];
    }
    return NULL;
}

int
qemuCapsCheckVirtType(qemuCapsCache *cache, qemuCaps *caps, int virtType)
{
    g_autofree char *why = NULL;
    const char *type = virDomainVirtTypeToString(virtType);

    if (virtType == VIR_DOMAIN_VIRT_QEMU && qemuCapsHasAccel(caps, "tcg"))
        return 0;
    if (virtType == VIR_DOMAIN_VIRT_KVM) {
        if (qemuCapsKVMUsable(cache, caps, &why))
            return 0;
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Emulator '%s' does not support virt type 'kvm': %s", caps->binary,
                       why);
        return -1;
    }
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                   "Emulator '%s' does not support virt type '%s'", caps->binary,
                   type ? type : "none");
    return -1;
}

/* ---- defaults and XML ----------------------------------------------- */

/* libvirt's qemuDomainDefSetDefaultCPU and qemuDomainDefCPUPostParse: a
 * guest without a CPU model gets the machine's default one (as the CPU
 * QEMU would give it anyway), written into the definition; check= and
 * host-passthrough's migratable= get libvirt's defaults. */
static void
qemuCapsDomainDefCPUPostParse(const qemuCaps *caps, virDomainDef *def)
{
    virDomainCpuDef *cpu = def->cpu;
    const char *model;

    if ((!cpu || (cpu->mode == VIR_DOMAIN_CPU_MODE_CUSTOM && !cpu->model)) &&
        (model = qemuCapsGetMachineDefaultCPU(caps, def->os.machine))) {
        if (!cpu)
            cpu = def->cpu = virDomainCpuDefNew();
        cpu->mode = VIR_DOMAIN_CPU_MODE_CUSTOM;
        cpu->match = VIR_DOMAIN_CPU_MATCH_EXACT;
        cpu->fallback = VIR_DOMAIN_CPU_FALLBACK_FORBID;
        cpu->model = g_strdup(model);
    }
    if (!cpu)
        return;
    if (cpu->mode == VIR_DOMAIN_CPU_MODE_HOST_PASSTHROUGH && !cpu->migratable)
        cpu->migratable = VIR_DOMAIN_TRISTATE_ON;
    if ((cpu->mode == VIR_DOMAIN_CPU_MODE_CUSTOM && !cpu->model) ||
        cpu->check != VIR_DOMAIN_CPU_CHECK_DEFAULT)
        return;
    switch (cpu->mode) {
    case VIR_DOMAIN_CPU_MODE_HOST_PASSTHROUGH:
    case VIR_DOMAIN_CPU_MODE_MAXIMUM:
        cpu->check = VIR_DOMAIN_CPU_CHECK_NONE;
        break;
    case VIR_DOMAIN_CPU_MODE_HOST_MODEL:
        cpu->check = VIR_DOMAIN_CPU_CHECK_PARTIAL;
        break;
    default:
        /* custom CPUs under TCG are not compared with the host's */
        cpu->check = def->virtType == VIR_DOMAIN_VIRT_QEMU ? VIR_DOMAIN_CPU_CHECK_NONE
                                                           : VIR_DOMAIN_CPU_CHECK_PARTIAL;
    }
}

void
qemuCapsDiskDefPostParse(virDomainDiskDef *disk)
{
    if (!disk->driverName)
        disk->driverName = g_strdup("qemu");
    if (disk->format == VIR_STORAGE_FORMAT_NONE &&
        disk->type != VIR_DOMAIN_DISK_TYPE_VOLUME)
        disk->format = VIR_STORAGE_FORMAT_RAW;
    if (disk->encryption &&
        disk->encryption->engine == VIR_STORAGE_ENCRYPTION_ENGINE_DEFAULT)
        disk->encryption->engine = VIR_STORAGE_ENCRYPTION_ENGINE_QEMU;
}

/* libvirt's qemuDomainDefAddDefaultAudioBackend: a backend is added
 * without graphics or with VNC / SPICE ones (egl-headless alone takes
 * none); the last VNC / SPICE display decides its type. */
static int
qemuCapsDomainLastAudioGraphics(const virDomainDef *def)
{
    int type = -1;

    for (size_t i = 0; i < def->ngraphics; i++) {
        if (def->graphics[i]->type != VIR_DOMAIN_GRAPHICS_TYPE_EGL_HEADLESS)
            type = def->graphics[i]->type;
    }
    return type;
}

static bool
qemuCapsDomainWantsAudio(const virDomainDef *def)
{
    return def->ngraphics == 0 || qemuCapsDomainLastAudioGraphics(def) >= 0;
}

/* libvirt's qemuDomainDefNumaCPUsRectify: when the cells name fewer vCPUs
 * than the maximum, cell 0 gets every vCPU no other cell has. */
static void
qemuCapsDomainDefNumaPostParse(virDomainDef *def)
{
    g_autofree unsigned char *map = NULL;
    size_t maplen = (def->vcpus + 7) / 8;
    size_t count = 0;

    if (!def->nnumaCells || !def->vcpus)
        return;
    map = g_new0(unsigned char, maplen);
    for (size_t i = 0; i < def->nnumaCells; i++) {
        g_autofree unsigned char *m = NULL;
        size_t len = 0;

        if (!def->numaCells[i].cpus ||
            !(m = virDomainCpulistParse(def->numaCells[i].cpus, 1024, &len)))
            continue;
        for (size_t b = 0; b < len * 8; b++)
            count += (m[b / 8] >> (b % 8)) & 1;
        if (i == 0)
            continue;
        for (size_t b = 0; b < len && b < maplen; b++)
            map[b] |= m[b];
    }
    if (count >= def->vcpus)
        return;
    /* every vCPU below the maximum, less the other cells' */
    for (size_t b = 0; b < def->vcpus; b++)
        map[b / 8] ^= (unsigned char)(1u << (b % 8));
    g_free(def->numaCells[0].cpus);
    def->numaCells[0].cpus = virDomainCpulistFormat(map, maplen);
}

int
qemuCapsDomainDefPostParse(const qemuCaps *caps, virDomainDef *def)
{
    /* Defaults only: an arch or a machine QEMU lacks is the validator's
     * to refuse (qemu_validate.c), and stays as given until then. */
    const char *machine = qemuCapsGetCanonicalMachine(caps, def->os.machine);

    if (!def->os.arch)
        def->os.arch = g_strdup(qemuCapsGetArch(caps));
    if (machine && g_strcmp0(def->os.machine, machine) != 0) {
        g_free(def->os.machine);
        def->os.machine = g_strdup(machine);
    }
    if (!def->emulator)
        def->emulator = g_strdup(caps->binary);
    for (size_t i = 0; i < def->ndisks; i++)
        qemuCapsDiskDefPostParse(def->disks[i]);
    /* libvirt's qemuDomainDeviceNetDefPostParse: a vdpa interface is virtio */
    for (size_t i = 0; i < def->nnets; i++) {
        if (def->nets[i]->type == VIR_DOMAIN_NET_TYPE_VDPA && !def->nets[i]->model)
            def->nets[i]->model = g_strdup("virtio");
    }
    qemuCapsDomainDefCPUPostParse(caps, def);
    qemuCapsDomainDefNumaPostParse(def);
    /* libvirt's QEMU default for QXL's VGA memory */
    for (size_t i = 0; i < def->nvideos; i++) {
        if (g_str_equal(def->videos[i]->type, "qxl") && !def->videos[i]->vgamem)
            def->videos[i]->vgamem = 16384;
    }
    /* libvirt 9.0's default audio backend: a domain without <audio> gets id
     * 1, of type 'spice' when its last graphics is SPICE, else 'none' (seen
     * on libvirtd 9.0 with and without graphics, SPICE then VNC and VNC
     * then SPICE) */
    if (def->naudios == 0 && qemuCapsDomainWantsAudio(def)) {
        bool spice =
            qemuCapsDomainLastAudioGraphics(def) == VIR_DOMAIN_GRAPHICS_TYPE_SPICE;

        def->audios = g_new0(virDomainAudioDef, 1);
        def->audios[0].id = 1;
        def->audios[0].type = g_strdup(spice ? "spice" : "none");
        def->naudios = 1;
    }
    /* libvirt's QEMU post-parse of a vfio-pci mdev: display off unless set */
    for (size_t i = 0; i < def->nhostdevs; i++) {
        virDomainHostdevDef *h = def->hostdevs[i];

        if (h->mode == VIR_DOMAIN_HOSTDEV_MODE_SUBSYS &&
            h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_MDEV &&
            h->mdevModel == VIR_DOMAIN_HOSTDEV_MDEV_MODEL_VFIO_PCI && !h->display)
            h->display = VIR_DOMAIN_TRISTATE_OFF;
    }
    /* libvirt's qemuDomainTPMDefPostParse */
    qemuTPMDefPostParse(def);
    /* libvirt's qemuDomainDevicePanicDefPostParse: the x86 default model */
    for (size_t i = 0; i < def->npanics; i++) {
        if (def->panics[i]->model == VIR_DOMAIN_PANIC_MODEL_DEFAULT)
            def->panics[i]->model = VIR_DOMAIN_PANIC_MODEL_ISA;
    }
    /* libvirt's default devices and PCI addresses, written into the
     * definition (qemu_domain_address.c); a second pass changes nothing */
    if (!machine)
        return 0; /* a machine QEMU lacks: the validator's to refuse */
    return qemuDomainAssignAddresses(def, machine);
}

/* The value of "KEY<tabs>: VALUE" in the first processor of /proc/cpuinfo
 * (the lines before the first blank one); NULL if absent. */
static char *
qemuCapsCPUInfoValue(const char *cpuinfo, const char *key)
{
    g_auto(GStrv) lines = g_strsplit(cpuinfo, "\n", -1);

    for (size_t i = 0; lines[i] && *lines[i]; i++) {
        char *colon = strchr(lines[i], ':');

        if (!colon)
            continue;
        *colon = '\0';
        if (g_str_equal(g_strstrip(lines[i]), key))
            return g_strdup(g_strstrip(colon + 1));
    }
    return NULL;
}

/* An integer of a CPU's topology directory; -1 when absent. */
static long long
qemuCapsCPUTopologyValue(const char *cpu, const char *name)
{
    g_autofree char *path =
        g_strdup_printf("/sys/devices/system/cpu/%s/topology/%s", cpu, name);
    g_autofree char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return -1;
    return g_ascii_strtoll(text, NULL, 10);
}

/*
 * The host CPU's vendor, signature and topology as libvirt 9.0's
 * capabilities give them (from /proc/cpuinfo and the CPUs' sysfs topology:
 * sockets = packages, dies per package, cores per die, threads per core).
 * The model is the closest of virtkit's CPU map (qemu_cpu.h: the models'
 * features from QEMU, the host's from /proc/cpuinfo flags), the features
 * those the host has beyond it (by name; libvirt lists them in CPUID order
 * and reads CPUID and the arch-capabilities MSR itself, so it also lists
 * bits Linux does not show, such as la57 or mds-no).
 */
static void
qemuCapsFormatHostCPU(GString *x, const qemuCaps *caps)
{
    g_autofree char *hostModel = NULL;
    g_auto(GStrv) hostFeatures = qemuCPUHostCapsModel(caps, &hostModel);
    static const char *const vendors[][2] = {
        { "GenuineIntel", "Intel" },
        { "AuthenticAMD", "AMD" },
        { "HygonGenuine", "Hygon" },
    };
    g_autofree char *cpuinfo = NULL;
    g_autoptr(GHashTable) packages = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_autoptr(GHashTable) dies = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_autoptr(GHashTable) cores = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_autoptr(GDir) dir = NULL;
    const char *name;
    unsigned int ncpus = 0;

    if (g_file_get_contents("/proc/cpuinfo", &cpuinfo, NULL, NULL)) {
        g_autofree char *vendor = qemuCapsCPUInfoValue(cpuinfo, "vendor_id");
        g_autofree char *family = qemuCapsCPUInfoValue(cpuinfo, "cpu family");
        g_autofree char *model = qemuCapsCPUInfoValue(cpuinfo, "model");
        g_autofree char *stepping = qemuCapsCPUInfoValue(cpuinfo, "stepping");

        if (hostModel)
            g_string_append_printf(x, "      <model>%s</model>\n", hostModel);
        for (size_t i = 0; vendor && hostModel && i < G_N_ELEMENTS(vendors); i++) {
            if (g_str_equal(vendor, vendors[i][0]))
                g_string_append_printf(x, "      <vendor>%s</vendor>\n", vendors[i][1]);
        }
        if (family && model && stepping)
            g_string_append_printf(x,
                                   "      <signature family='%s' model='%s' "
                                   "stepping='%s'/>\n",
                                   family, model, stepping);
    }
    if (!(dir = g_dir_open("/sys/devices/system/cpu", 0, NULL)))
        return;
    while ((name = g_dir_read_name(dir))) {
        long long pkg, die, core;

        if (!g_str_has_prefix(name, "cpu") || !g_ascii_isdigit(name[3]) ||
            (pkg = qemuCapsCPUTopologyValue(name, "physical_package_id")) < 0 ||
            (core = qemuCapsCPUTopologyValue(name, "core_id")) < 0)
            continue;
        die = MAX(qemuCapsCPUTopologyValue(name, "die_id"), 0);
        ncpus++;
        g_hash_table_add(packages, GINT_TO_POINTER(pkg));
        g_hash_table_add(dies, GINT_TO_POINTER((pkg << 16) | die));
        g_hash_table_add(cores, GINT_TO_POINTER((((pkg << 16) | die) << 16) | core));
    }
    if (ncpus && g_hash_table_size(cores)) {
        guint s = g_hash_table_size(packages);
        guint d = g_hash_table_size(dies) / s;
        guint c = g_hash_table_size(cores) / g_hash_table_size(dies);
        guint t = ncpus / g_hash_table_size(cores);

        g_string_append_printf(x,
                               "      <topology sockets='%u' dies='%u' cores='%u' "
                               "threads='%u'/>\n",
                               s, d, c, t);
    }
    for (size_t i = 0; hostModel && hostFeatures[i]; i++)
        g_string_append_printf(x, "      <feature name='%s'/>\n", hostFeatures[i]);
}

const char *
qemuCapsGetArch(const qemuCaps *caps)
{
    return g_str_has_suffix(caps->binary, "-i386") ? "i686" : "x86_64";
}

char *
qemuCapsBinaryForArch(const char *arch)
{
    char *path = NULL;

    if (g_strcmp0(arch, "i686") == 0)
        path = g_find_program_in_path("qemu-system-i386");
    return path;
}

/* One <guest> of the capabilities XML: @caps' arch, emulator, machines. */
static void
qemuCapsFormatGuest(GString *x, const qemuCaps *caps, bool kvm)
{
    g_autofree char *emu = g_markup_escape_text(caps->binary, -1);
    bool i686 = g_str_equal(qemuCapsGetArch(caps), "i686");

    g_string_append(x, "  <guest>\n    <os_type>hvm</os_type>\n");
    g_string_append_printf(x, "    <arch name='%s'>\n      <wordsize>%d</wordsize>\n",
                           qemuCapsGetArch(caps), i686 ? 32 : 64);
    g_string_append_printf(x, "      <emulator>%s</emulator>\n", emu);
    /* QEMU's default machine first, then the others in QEMU's order, as
     * libvirt lists them (clients such as virt-install take the first one
     * that fits) */
    for (int pass = 0; pass < 2; pass++) {
        for (guint i = 0; i < caps->machines->len; i++) {
            qemuCapsMachine *m = g_ptr_array_index(caps->machines, i);

            if (m->isDefault != (pass == 0))
                continue;
            g_string_append_printf(x, "      <machine maxCpus='%d'>%s</machine>\n",
                                   m->maxCpus, m->name);
            if (m->alias)
                g_string_append_printf(
                    x, "      <machine canonical='%s' maxCpus='%d'>%s</machine>\n",
                    m->name, m->maxCpus, m->alias);
        }
    }
    g_string_append(x, "      <domain type='qemu'/>\n");
    if (kvm)
        g_string_append(x, "      <domain type='kvm'/>\n");
    g_string_append(x, "    </arch>\n    <features>\n");
    /* libvirt: a 32-bit x86 guest may run with or without PAE */
    if (i686)
        g_string_append(x, "      <pae/>\n      <nonpae/>\n");
    g_string_append(x, "      <acpi default='on' toggle='yes'/>\n");
    g_string_append(x, "      <apic default='on' toggle='no'/>\n");
    g_string_append(x, "    </features>\n  </guest>\n\n");
}

char *
qemuCapsFormatCapabilitiesXML(qemuCapsCache *cache, qemuCaps *caps, qemuCaps *caps32)
{
    g_autoptr(GString) x = g_string_new(NULL);
    bool kvm = qemuCapsKVMUsable(cache, caps, NULL);

    g_string_append(x, "<capabilities>\n\n  <host>\n    <cpu>\n");
    g_string_append(x, "      <arch>x86_64</arch>\n");
    qemuCapsFormatHostCPU(x, caps);
    qemuHugepagesFormatCPUPages(x);
    g_string_append(x, "    </cpu>\n");
    qemuHugepagesFormatTopology(x);
    g_string_append(x, "  </host>\n\n");
    /* libvirt lists the guests by architecture, i686 first; the same host
     * KVM serves both (the boot probe runs with the 64-bit binary) */
    if (caps32)
        qemuCapsFormatGuest(x, caps32, kvm);
    qemuCapsFormatGuest(x, caps, kvm);
    g_string_append(x, "</capabilities>\n");
    return g_string_free(g_steal_pointer(&x), FALSE);
}
