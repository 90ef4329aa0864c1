/* qemu_capabilities_glue.c: the QEMU driver's narrow view of the command line and capabilities */

/*
 * The lifecycle reaches qemu_capabilities.h and qemu_command.h only through
 * these functions. driver->caps holds the driver's qemuCapsCache (probes
 * are cached per binary identity under cacheDir).
 * Threads: none of its own; the cache has its own lock, driver->capsLock
 * guards its lazy creation.
 */

#define G_LOG_DOMAIN "virtkit.qemu.caps"
#include "qemu_capabilities_glue.h"
#include "qemu_boot.h"
#include "qemu_domain_storage.h"
#include "qemu_firmware.h"
#include "qemu_capabilities.h"
#include "qemu_command.h"
#include "qemu_command_memory.h"
#include "qemu_cpu.h"
#include "qemu_domcaps.h"
#include "qemu_validate.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

static qemuCapsCache *
qemuGlueCache(qemuDriver *driver)
{
    qemuCapsCache *cache;

    g_mutex_lock(&driver->capsLock);
    if (!driver->caps) {
        g_autofree char *dir = g_build_filename(driver->cacheDir, NULL);

        driver->caps = qemuCapsCacheNew(dir);
        qemuCapsCacheSetRunAs(driver->caps, driver->runAs);
    }
    cache = driver->caps;
    g_mutex_unlock(&driver->capsLock);
    return cache;
}

void
qemuGlueCapsFree(void *caps)
{
    qemuCapsCacheFree(caps);
}

int
qemuGlueGetQemuVersion(qemuDriver *driver, unsigned long *version)
{
    g_autoptr(qemuCaps) caps = qemuCapsCacheLookup(qemuGlueCache(driver), NULL);

    if (!caps)
        return -1;
    *version = qemuCapsGetVersion(caps);
    return 0;
}

char *
qemuGlueGetCapabilitiesXML(qemuDriver *driver)
{
    qemuCapsCache *cache = qemuGlueCache(driver);
    g_autoptr(qemuCaps) caps = qemuCapsCacheLookup(cache, NULL);
    g_autofree char *bin32 = qemuCapsBinaryForArch("i686");
    g_autoptr(qemuCaps) caps32 = NULL;

    if (!caps)
        return NULL;
    /* an i386 binary that cannot be probed is left out, as libvirt does */
    if (bin32 && !(caps32 = qemuCapsCacheLookup(cache, bin32)))
        virResetLastError();
    return qemuCapsFormatCapabilitiesXML(cache, caps, caps32);
}

/* The caps of the binary that runs @def: its <emulator>, else the one
 * libvirt picks for its arch (qemu-system-i386 for i686 if installed),
 * else qemu-system-x86_64. */
static qemuCaps *
qemuGlueLookupForDef(qemuCapsCache *cache, const virDomainDef *def)
{
    g_autofree char *bin = def->emulator ? NULL : qemuCapsBinaryForArch(def->os.arch);

    return qemuCapsCacheLookup(cache, def->emulator ? def->emulator : bin);
}

/* <metadata> is honoured by the driver itself (the destroy grace override,
 * qemu_domain.c): not an element QEMU is asked to implement. */
static void
qemuGlueDropHonouredElements(virDomainDef *def)
{
    size_t j = 0;

    if (!def->unknownElements)
        return;
    for (size_t i = 0; def->unknownElements[i]; i++) {
        if (g_str_equal(def->unknownElements[i], "metadata"))
            g_free(def->unknownElements[i]);
        else
            def->unknownElements[j++] = def->unknownElements[i];
    }
    def->unknownElements[j] = NULL;
    if (j == 0)
        g_clear_pointer(&def->unknownElements, g_free);
}

int
qemuGluePostParse(qemuDriver *driver, virDomainDef *def)
{
    g_autoptr(qemuCaps) caps = qemuGlueLookupForDef(qemuGlueCache(driver), def);

    if (!caps)
        return -1;
    qemuGlueDropHonouredElements(def);
    if (qemuCapsDomainDefPostParse(caps, def) < 0)
        return -1;
    if (qemuValidateDomainDef(def, caps) < 0)
        return -1;
    {
        g_autofree char *nvramDir = qemuGlueNVRAMDir(driver);

        qemuFirmwareDefaultNVRAM(def, nvramDir);
    }
    return 0;
}

char *
qemuGlueNVRAMDir(qemuDriver *driver)
{
    return g_build_filename(driver->libDir, "nvram", NULL);
}

int
qemuGlueFirmwareForStart(qemuDriver *driver, virDomainDef *def, bool createNVRAM)
{
    g_autofree char *nvramDir = qemuGlueNVRAMDir(driver);

    if (qemuFirmwareFillDomain(def, qemuFirmwareDefaultDirs, nvramDir) < 0 ||
        (createNVRAM && qemuFirmwarePrepareNVRAM(def) < 0))
        return -1;
    return 0;
}

int
qemuGluePrepareForStart(qemuDriver *driver, virDomainDef *def, char **version)
{
    qemuCapsCache *cache = qemuGlueCache(driver);
    g_autoptr(qemuCaps) caps = qemuGlueLookupForDef(cache, def);

    if (!caps)
        return -1;
    qemuGlueDropHonouredElements(def);
    qemuDomainPrepareDiskCachemodes(def);
    qemuDomainPrepareBootOrder(def);
    if (qemuCapsCheckVirtType(cache, caps, def->virtType) < 0 ||
        qemuCapsDomainDefPostParse(caps, def) < 0 ||
        qemuValidateDomainDef(def, caps) < 0 ||
        qemuCPUUpdateLiveHostModel(caps, def) < 0 ||
        qemuDomainPrepareVolumeDisks(def, driver->root) < 0 ||
        qemuDomainPrepareDiskChains(def, driver->runAs ? driver->runAs->uid : getuid(),
                                    driver->runAs ? driver->runAs->gid : getgid()) < 0)
        return -1;
    /* libvirt's qemuDomainAlignMemorySizes for the live definition: each
     * NUMA cell rounded up to 1 MiB, <memory> their sum */
    if (def->nnumaCells) {
        for (size_t i = 0; i < def->nnumaCells; i++)
            def->numaCells[i].memory = (def->numaCells[i].memory + 1023) / 1024 * 1024;
        def->memory = qemuMemoryInitialKiB(def);
        if (def->currentMemory > def->memory)
            def->currentMemory = def->memory;
    }
    *version = g_strdup(qemuCapsGetVersionString(caps));
    return 0;
}

bool
qemuGlueIsMachineDeprecated(qemuDriver *driver, const virDomainDef *def)
{
    g_autoptr(qemuCaps) caps = qemuGlueLookupForDef(qemuGlueCache(driver), def);

    if (!caps) {
        virResetLastError();
        return false;
    }
    return def->os.machine && qemuCapsIsMachineDeprecated(caps, def->os.machine);
}

bool
qemuGlueIsCPUDeprecated(qemuDriver *driver, const virDomainDef *def, const char *model)
{
    g_autoptr(qemuCaps) caps = qemuGlueLookupForDef(qemuGlueCache(driver), def);
    const qemuCapsCPUModel *m;

    if (!caps) {
        virResetLastError();
        return false;
    }
    return (m = qemuCapsGetCPUModel(caps, model)) && m->deprecated;
}

char **
qemuGlueBuildArgv(qemuDriver *driver, virDomainDef *def, int monfd,
                  const char *monitorPath, const char *libDir, const qemuCommandFds *fds,
                  const qemuDomainSecrets *secrets)
{
    g_autoptr(qemuCaps) caps = qemuGlueLookupForDef(qemuGlueCache(driver), def);
    qemuCommandOptions opts = {
        .monitorFd = monfd,
        .monitorPath = monitorPath,
        .libDir = libDir,
        .kvm = def->virtType == VIR_DOMAIN_VIRT_KVM,
        .secrets = secrets,
    };

    if (fds)
        opts.fds = *fds;

    if (!caps)
        return NULL;
    /* as libvirt with seccomp_sandbox = -1 / 1: used when QEMU has it */
    opts.sandbox = driver->seccompSandbox && qemuCapsHasSandbox(caps);
    if (driver->seccompSandbox && !opts.sandbox)
        g_debug("QEMU '%s' has no usable -sandbox: running without it",
                qemuCapsGetBinary(caps));
    return qemuBuildCommandLine(def, caps, &opts);
}

/* The caps for virConnectGetDomainCapabilities' parameters, with libvirt's
 * errors; *canon, *virtType and *kvmUsable filled. New reference or NULL. */
static qemuCaps *
qemuGlueResolveCaps(qemuDriver *driver, const char *emulatorbin, const char *arch,
                    const char *machine, const char *virttype, const char **canon,
                    int *virtTypeOut, bool *kvmUsableOut)
{
    qemuCapsCache *cache = qemuGlueCache(driver);
    g_autoptr(qemuCaps) caps = NULL;
    g_autofree char *bin = NULL;
    int virtType = VIR_DOMAIN_VIRT_NONE;
    bool kvmUsable;

    if (virttype && (virtType = virDomainVirtTypeFromString(virttype)) <= 0) {
        virReportError(VIR_ERR_INVALID_ARG, "unknown virttype: %s", virttype);
        return NULL;
    }
    if (arch && !virDomainCpuArchIsKnown(arch)) {
        virReportError(VIR_ERR_INVALID_ARG, "unknown architecture: %s", arch);
        return NULL;
    }
    if (arch && !g_str_equal(arch, "x86_64") && !g_str_equal(arch, "i686")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "unable to find any emulator to serve '%s' architecture", arch);
        return NULL;
    }
    if (!emulatorbin && arch)
        bin = qemuCapsBinaryForArch(arch);
    if (!(caps = qemuCapsCacheLookup(cache, emulatorbin ? emulatorbin : bin)))
        return NULL;
    /* libvirt: an emulator given with an arch must serve that arch (the
     * 64-bit one also serves i686) */
    if (arch && !g_str_equal(arch, qemuCapsGetArch(caps)) &&
        !(g_str_equal(arch, "i686") && !bin)) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "architecture from emulator '%s' doesn't match given "
                       "architecture '%s'",
                       qemuCapsGetArch(caps), arch);
        return NULL;
    }
    kvmUsable = qemuCapsKVMUsable(cache, caps, NULL);
    if (!virttype)
        virtType = kvmUsable ? VIR_DOMAIN_VIRT_KVM : VIR_DOMAIN_VIRT_QEMU;
    if (!(virtType == VIR_DOMAIN_VIRT_QEMU && qemuCapsHasAccel(caps, "tcg")) &&
        !(virtType == VIR_DOMAIN_VIRT_KVM && kvmUsable)) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "Emulator '%s' does not support virt type '%s'",
                       qemuCapsGetBinary(caps), virDomainVirtTypeToString(virtType));
        return NULL;
    }
    if (!(*canon = qemuCapsGetCanonicalMachine(caps, machine))) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "the machine '%s' is not supported by emulator '%s'",
                       machine ? machine : "(default)", qemuCapsGetBinary(caps));
        return NULL;
    }
    *virtTypeOut = virtType;
    *kvmUsableOut = kvmUsable;
    return g_steal_pointer(&caps);
}

char *
qemuGlueGetDomainCapabilities(qemuDriver *driver, const char *emulatorbin,
                              const char *arch, const char *machine, const char *virttype)
{
    const char *canon = NULL;
    int virtType = VIR_DOMAIN_VIRT_NONE;
    bool kvmUsable = false;
    g_autoptr(qemuCaps) caps = qemuGlueResolveCaps(
        driver, emulatorbin, arch, machine, virttype, &canon, &virtType, &kvmUsable);

    if (!caps)
        return NULL;
    return qemuDomainCapsFormat(caps, qemuFirmwareDefaultDirs,
                                arch ? arch : qemuCapsGetArch(caps), canon, virtType,
                                kvmUsable);
}

/* The caps a CPU compare or baseline runs against: the default binary's,
 * or (@hypervisor) those of the parameters as domain capabilities takes
 * them. */
static qemuCaps *
qemuGlueCPUCaps(qemuDriver *driver, bool hypervisor, const char *emulator,
                const char *arch, const char *machine, const char *virttype)
{
    const char *canon = NULL;
    int virtType = VIR_DOMAIN_VIRT_NONE;
    bool kvmUsable = false;

    if (!hypervisor)
        return qemuCapsCacheLookup(qemuGlueCache(driver), NULL);
    return qemuGlueResolveCaps(driver, emulator, arch, machine, virttype, &canon,
                               &virtType, &kvmUsable);
}

int
qemuGlueCompareCPU(qemuDriver *driver, bool hypervisor, const char *emulator,
                   const char *arch, const char *machine, const char *virttype,
                   const char *xml, unsigned int flags)
{
    g_autoptr(qemuCaps) caps =
        qemuGlueCPUCaps(driver, hypervisor, emulator, arch, machine, virttype);

    if (!caps)
        return -1;
    return qemuCPUCompareXML(caps, hypervisor, xml, flags);
}

char *
qemuGlueBaselineCPU(qemuDriver *driver, bool hypervisor, const char *emulator,
                    const char *arch, const char *machine, const char *virttype,
                    const char **xmlCPUs, unsigned int ncpus, unsigned int flags)
{
    g_autoptr(qemuCaps) caps =
        qemuGlueCPUCaps(driver, hypervisor, emulator, arch, machine, virttype);

    if (!caps)
        return NULL;
    return qemuCPUBaselineXML(caps, hypervisor, xmlCPUs, ncpus, flags);
}

char **
qemuGlueGetCPUModelNames(qemuDriver *driver)
{
    g_autoptr(qemuCaps) caps = qemuCapsCacheLookup(qemuGlueCache(driver), NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const qemuCapsCPUModel *const *models;
    size_t n;

    if (!caps)
        return NULL;
    models = qemuCapsGetCPUModels(caps, &n);
    for (size_t i = 0; i < n; i++) {
        if (qemuCapsCPUModelIsNamed(models[i]->name))
            g_ptr_array_add(names, g_strdup(models[i]->name));
    }
    g_ptr_array_add(names, NULL);
    return (char **)g_ptr_array_free(g_steal_pointer(&names), FALSE);
}
