/* qemu_command_cpu.c: the -cpu argument, as libvirt 9.0's qemuBuildCpuCommandLine builds it */

#define G_LOG_DOMAIN "virtkit.qemu.command.cpu"

#include "qemu_command.h"
#include "qemu_cpu.h"

/*
 * The model part (libvirt's qemuBuildCpuModelArgStr): the model, then
 * vendor=, then each feature as NAME=on (force, require, optional) or
 * NAME=off (disable, forbid), in QEMU's spelling of the name. host-model
 * runs as its expansion (qemu_cpu.c: the closest model and the features
 * that make it QEMU's "max"); a started guest's live definition already
 * holds that expansion as a custom CPU.
 * No <cpu>: qemu64 (the post-parse normally wrote the machine's default).
 */
static bool
qemuBuildCpuModel(GString *s, const virDomainDef *def, const qemuCaps *caps)
{
    const virDomainCpuDef *cpu = def->cpu;
    g_autoptr(virDomainCpuDef) expanded = NULL;

    if (!cpu || (cpu->mode == VIR_DOMAIN_CPU_MODE_CUSTOM && !cpu->model)) {
        g_string_append(s, "qemu64");
        return true;
    }
    switch (cpu->mode) {
    case VIR_DOMAIN_CPU_MODE_HOST_PASSTHROUGH:
        g_string_append(s, "host");
        if (cpu->migratable == VIR_DOMAIN_TRISTATE_OFF)
            g_string_append(s, ",migratable=no");
        break;
    case VIR_DOMAIN_CPU_MODE_MAXIMUM:
        g_string_append(s, "max");
        if (cpu->migratable)
            g_string_append_printf(s, ",migratable=%s",
                                   virDomainTristateSwitchToString(cpu->migratable));
        break;
    case VIR_DOMAIN_CPU_MODE_HOST_MODEL:
        if (!(expanded = qemuCPUExpandHostModel(caps, def)))
            return false;
        cpu = expanded;
        g_string_append(s, cpu->model);
        break;
    default:
        g_string_append(s, cpu->model);
        if (cpu->vendorId)
            g_string_append_printf(s, ",vendor=%s", cpu->vendorId);
    }
    for (size_t i = 0; i < cpu->nfeatures; i++) {
        bool off = cpu->features[i].policy == VIR_DOMAIN_CPU_FEATURE_DISABLE ||
                   cpu->features[i].policy == VIR_DOMAIN_CPU_FEATURE_FORBID;

        g_string_append_printf(s, ",%s=%s", qemuCPUFeatureToQEMU(cpu->features[i].name),
                               off ? "off" : "on");
    }
    return true;
}

/* The paravirtual timers: kvmclock=on|off whenever its present= is given
 * (a <cpu><feature name='kvmclock'> is a model feature above, so both can
 * appear, the timer's last: QEMU takes the last value of a property) */
static void
qemuBuildCpuTimerProps(GString *s, const virDomainDef *def)
{
    for (size_t i = 0; i < def->ntimers; i++) {
        const virDomainTimerDef *t = &def->timers[i];

        if (t->name == VIR_DOMAIN_TIMER_NAME_KVMCLOCK && t->present)
            g_string_append_printf(s, ",kvmclock=%s",
                                   t->present == VIR_DOMAIN_TRISTATE_ON ? "on" : "off");
    }
}

/* <features><hyperv> (hv-passthrough, then each enlightenment that is on) */
static void
qemuBuildHypervCpuProps(GString *s, const virDomainDef *def)
{
    if (def->hyperv == VIR_DOMAIN_HYPERV_MODE_PASSTHROUGH)
        g_string_append(s, ",hv-passthrough=on");
    for (int i = 0; i < VIR_DOMAIN_HYPERV_LAST; i++) {
        if (def->hypervFeatures[i] != VIR_DOMAIN_TRISTATE_ON)
            continue;
        if (i == VIR_DOMAIN_HYPERV_SPINLOCKS)
            g_string_append_printf(s, ",hv-spinlocks=0x%x", def->hypervSpinlocks);
        else if (i == VIR_DOMAIN_HYPERV_VENDOR_ID)
            g_string_append_printf(s, ",hv-vendor-id=%s", def->hypervVendorId);
        else
            g_string_append_printf(s, ",hv-%s=on", virDomainHypervNames[i]);
        if (i == VIR_DOMAIN_HYPERV_STIMER &&
            def->hypervStimerDirect == VIR_DOMAIN_TRISTATE_ON)
            g_string_append(s, ",hv-stimer-direct=on");
    }
}

/* <features><kvm>: hidden='on' hides the KVM signature (kvm=off), the
 * two hints only when on, pv-ipi only when off (QEMU's default is on);
 * the dirty ring is an -accel kvm property, not a CPU one */
static void
qemuBuildKVMCpuProps(GString *s, const virDomainDef *def)
{
    if (!def->kvm)
        return;
    if (def->kvmFeatures[VIR_DOMAIN_KVM_HIDDEN] == VIR_DOMAIN_TRISTATE_ON)
        g_string_append(s, ",kvm=off");
    if (def->kvmFeatures[VIR_DOMAIN_KVM_DEDICATED] == VIR_DOMAIN_TRISTATE_ON)
        g_string_append(s, ",kvm-hint-dedicated=on");
    if (def->kvmFeatures[VIR_DOMAIN_KVM_POLLCONTROL] == VIR_DOMAIN_TRISTATE_ON)
        g_string_append(s, ",kvm-poll-control=on");
    if (def->kvmFeatures[VIR_DOMAIN_KVM_PVIPI] == VIR_DOMAIN_TRISTATE_OFF)
        g_string_append(s, ",kvm-pv-ipi=off");
}

/* <cpu><cache>: emulate is QEMU's own L3 (l3-cache=on), passthrough the
 * host's cache description (host-cache-info=on), disable neither; what is
 * not wanted is switched off, host-cache-info only on the CPUs that have
 * it (host-passthrough, maximum) */
static void
qemuBuildCpuCacheProps(GString *s, const virDomainDef *def)
{
    const virDomainCpuDef *cpu = def->cpu;
    bool hostOff = false;
    bool l3Off = false;

    if (!cpu || !cpu->cache)
        return;
    switch ((virDomainCpuCacheMode)cpu->cacheMode) {
    case VIR_DOMAIN_CPU_CACHE_MODE_EMULATE:
        g_string_append(s, ",l3-cache=on");
        hostOff = true;
        break;
    case VIR_DOMAIN_CPU_CACHE_MODE_PASSTHROUGH:
        g_string_append(s, ",host-cache-info=on");
        l3Off = true;
        break;
    case VIR_DOMAIN_CPU_CACHE_MODE_DISABLE:
        hostOff = l3Off = true;
        break;
    case VIR_DOMAIN_CPU_CACHE_MODE_LAST:
        break;
    }
    if (hostOff && (cpu->mode == VIR_DOMAIN_CPU_MODE_HOST_PASSTHROUGH ||
                    cpu->mode == VIR_DOMAIN_CPU_MODE_MAXIMUM))
        g_string_append(s, ",host-cache-info=off");
    if (l3Off)
        g_string_append(s, ",l3-cache=off");
}

/* libvirt's order: the model part, the timers, kvm-pv-eoi, kvm-pv-unhalt,
 * the Hyper-V enlightenments, hv-crash, the <kvm> features, the cache. On
 * TCG as on KVM: TCG ignores the KVM paravirt bits it lacks, with a
 * warning. */
char *
qemuBuildCpuCommandArg(const virDomainDef *def, const qemuCaps *caps)
{
    g_autoptr(GString) s = g_string_new(NULL);

    if (!qemuBuildCpuModel(s, def, caps))
        return NULL;
    qemuBuildCpuTimerProps(s, def);
    if (def->apicEoi)
        g_string_append_printf(s, ",kvm-pv-eoi=%s",
                               virDomainTristateSwitchToString(def->apicEoi));
    if (def->pvspinlock)
        g_string_append_printf(s, ",kvm-pv-unhalt=%s",
                               virDomainTristateSwitchToString(def->pvspinlock));
    if (def->hyperv)
        qemuBuildHypervCpuProps(s, def);
    if (qemuDomainHasHypervPanic(def))
        g_string_append(s, ",hv-crash");
    qemuBuildKVMCpuProps(s, def);
    qemuBuildCpuCacheProps(s, def);
    return g_string_free(g_steal_pointer(&s), FALSE);
}
