/* qemu_cpu.c: host-model expanded from QEMU's models, feature names between libvirt and QEMU */

/*
 * libvirt 9.0 expands host-model under TCG from QEMU's static expansion of
 * "max" (query-cpu-model-expansion, probed with the capabilities) and
 * names it by the model of its CPU map closest to it: the candidate whose
 * vendor matches, with the fewest features to add (policy require) and to
 * remove (policy disable); the guest then runs that model with those
 * features on the command line, and the live XML shows it as a custom CPU
 * (match exact, check full). virtkit has no CPU map of its own: the
 * candidates are the models QEMU knows, each with the features of QEMU's
 * own static expansion of it (probed with the capabilities too). On this
 * host both pick EPYC; the feature lists differ where libvirt's map and
 * QEMU's definitions of a model differ (libvirt's EPYC lacks monitor,
 * hypervisor, npt and has vme), and features are listed by name, not in
 * the CPUID order of libvirt's map.
 * Pure functions over a qemuCaps; no locks, no I/O.
 */

#define G_LOG_DOMAIN "virtkit.qemu.cpu"

#include <string.h>

#include "qemu_cpu.h"
#include "cpu_map.h"
#include <libvirt/libvirt.h>
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* The features whose libvirt name differs from QEMU's canonical property
 * name (libvirt's virQEMUCapsCPUFeatureTranslate table, x86). */
static const char *const featureNames[][2] = {
    /* libvirt, QEMU */
    { "cmp_legacy", "cmp-legacy" },       { "ds_cpl", "ds-cpl" },
    { "fxsr_opt", "fxsr-opt" },           { "kvm_pv_eoi", "kvm-pv-eoi" },
    { "kvm_pv_unhalt", "kvm-pv-unhalt" }, { "lahf_lm", "lahf-lm" },
    { "nodeid_msr", "nodeid-msr" },       { "pclmuldq", "pclmulqdq" },
    { "perfctr_core", "perfctr-core" },   { "perfctr_nb", "perfctr-nb" },
    { "tsc_adjust", "tsc-adjust" },
};

const char *
qemuCPUFeatureToQEMU(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(featureNames); i++) {
        if (g_str_equal(name, featureNames[i][0]))
            return featureNames[i][1];
    }
    return name;
}

const char *
qemuCPUFeatureFromQEMU(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(featureNames); i++) {
        if (g_str_equal(name, featureNames[i][1]))
            return featureNames[i][0];
    }
    return name;
}

/* Both lists sorted: how many names are in one and not the other. */
static size_t
qemuCPUDiffCount(const char *const *a, const char *const *b)
{
    size_t n = 0;

    while (*a || *b) {
        int c = !*a ? 1 : !*b ? -1 : strcmp(*a, *b);

        n += c != 0;
        if (c <= 0)
            a++;
        if (c >= 0)
            b++;
    }
    return n;
}

static void
qemuCPUAddFeature(GArray *feats, const char *qemuName, int policy)
{
    virDomainCpuFeatureDef f = {
        .name = g_strdup(qemuCPUFeatureFromQEMU(qemuName)),
        .policy = policy,
    };

    g_array_append_val(feats, f);
}

virDomainCpuDef *
qemuCPUHostModel(const qemuCaps *caps)
{
    const char *qvendor = NULL;
    const char *const *host = qemuCapsGetHostCPU(caps, &qvendor);
    const char *vendor = qemuCapsCPUVendorName(qvendor);
    size_t n;
    const qemuCapsCPUModel *const *models = qemuCapsGetCPUModels(caps, &n);
    const qemuCapsCPUModel *best = NULL;
    bool bestVendor = false;
    size_t bestDiff = 0;
    g_autoptr(virDomainCpuDef) cpu = NULL;
    g_autoptr(GArray) req = NULL;
    g_autoptr(GArray) dis = NULL;
    const char *const *a;
    const char *const *b;

    if (!host)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const qemuCapsCPUModel *m = models[i];
        bool sameVendor;
        size_t diff;

        if (!m->features || !qemuCapsCPUModelIsNamed(m->name))
            continue;
        sameVendor = vendor && g_strcmp0(m->vendor, vendor) == 0;
        diff = qemuCPUDiffCount(host, (const char *const *)m->features);
        /* libvirt's x86DecodeUseCandidate: the vendor first, then the
         * fewest features; the first such model in QEMU's order */
        if (!best || (sameVendor && !bestVendor) ||
            (sameVendor == bestVendor && diff < bestDiff)) {
            best = m;
            bestVendor = sameVendor;
            bestDiff = diff;
        }
    }
    if (!best)
        return NULL;

    cpu = virDomainCpuDefNew();
    cpu->mode = VIR_DOMAIN_CPU_MODE_CUSTOM;
    cpu->match = VIR_DOMAIN_CPU_MATCH_EXACT;
    cpu->fallback = VIR_DOMAIN_CPU_FALLBACK_FORBID;
    cpu->model = g_strdup(best->name);
    cpu->vendor = g_strdup(vendor);
    req = g_array_new(FALSE, TRUE, sizeof(virDomainCpuFeatureDef));
    dis = g_array_new(FALSE, TRUE, sizeof(virDomainCpuFeatureDef));
    a = host;
    b = (const char *const *)best->features;
    while (*a || *b) {
        int c = !*a ? 1 : !*b ? -1 : strcmp(*a, *b);

        if (c < 0)
            qemuCPUAddFeature(req, *a, VIR_DOMAIN_CPU_FEATURE_REQUIRE);
        else if (c > 0)
            qemuCPUAddFeature(dis, *b, VIR_DOMAIN_CPU_FEATURE_DISABLE);
        if (c <= 0)
            a++;
        if (c >= 0)
            b++;
    }
    g_array_append_vals(req, dis->data, dis->len);
    g_array_set_size(dis, 0);
    cpu->nfeatures = req->len;
    cpu->features = (virDomainCpuFeatureDef *)g_array_free(g_steal_pointer(&req), FALSE);
    return g_steal_pointer(&cpu);
}

/* Set feature @name of @cpu to @policy (appended when absent). */
static void
qemuCPUSetFeature(virDomainCpuDef *cpu, const char *name, int policy)
{
    for (size_t i = 0; i < cpu->nfeatures; i++) {
        if (g_str_equal(cpu->features[i].name, name)) {
            cpu->features[i].policy = policy;
            return;
        }
    }
    cpu->features = g_renew(virDomainCpuFeatureDef, cpu->features, cpu->nfeatures + 1);
    cpu->features[cpu->nfeatures].name = g_strdup(name);
    cpu->features[cpu->nfeatures].policy = policy;
    cpu->nfeatures++;
}

virDomainCpuDef *
qemuCPUExpandHostModel(const qemuCaps *caps, const virDomainDef *def)
{
    const virDomainCpuDef *cpu = def->cpu;
    g_autoptr(virDomainCpuDef) exp = qemuCPUHostModel(caps);

    if (!exp) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "CPU mode '%s' for %s %s domain on %s host is not supported by "
                       "hypervisor",
                       virDomainCpuModeToString(VIR_DOMAIN_CPU_MODE_HOST_MODEL),
                       def->os.arch ? def->os.arch : "x86_64",
                       virDomainVirtTypeToString(def->virtType), "x86_64");
        return NULL;
    }
    exp->sockets = cpu->sockets;
    exp->dies = cpu->dies;
    exp->cores = cpu->cores;
    exp->threads = cpu->threads;
    exp->cache = cpu->cache;
    exp->cacheLevel = cpu->cacheLevel;
    exp->cacheMode = cpu->cacheMode;
    /* the definition's own features go on top of the host model's */
    for (size_t i = 0; i < cpu->nfeatures; i++)
        qemuCPUSetFeature(exp, cpu->features[i].name, cpu->features[i].policy);
    return g_steal_pointer(&exp);
}

int
qemuCPUUpdateLiveHostModel(const qemuCaps *caps, virDomainDef *def)
{
    virDomainCpuDef *exp;

    if (!def->cpu || def->cpu->mode != VIR_DOMAIN_CPU_MODE_HOST_MODEL)
        return 0;
    if (!(exp = qemuCPUExpandHostModel(caps, def)))
        return -1;
    /* libvirt's live XML after it checked the CPU QEMU gave */
    exp->check = VIR_DOMAIN_CPU_CHECK_FULL;
    virDomainCpuDefFree(def->cpu);
    def->cpu = exp;
    return 0;
}

/* The CPU map of @caps: libvirt 9.0's x86 models QEMU has, each with the
 * features on in QEMU's static expansion (libvirt's names; "hypervisor"
 * left out: QEMU sets it on every CPU, it is no property of a model), and
 * every feature QEMU knows. */
static virCPUMap *
qemuCPUMapNew(const qemuCaps *caps)
{
    virCPUMap *map = virCPUMapNew();
    const char *const *known = qemuCapsGetCPUFeatureNames(caps);

    for (size_t i = 0; known && known[i]; i++)
        virCPUMapAddFeature(map, qemuCPUFeatureFromQEMU(known[i]));
    for (size_t i = 0; virCPUMapX86Models[i]; i++) {
        const char *name = virCPUMapX86Models[i];
        const qemuCapsCPUModel *m = qemuCapsGetCPUModel(caps, name);
        g_autoptr(GPtrArray) feats = NULL;

        if (!m || !m->features)
            continue;
        feats = g_ptr_array_new();
        for (size_t j = 0; m->features[j]; j++) {
            if (!g_str_equal(m->features[j], "hypervisor"))
                g_ptr_array_add(feats, (gpointer)qemuCPUFeatureFromQEMU(m->features[j]));
        }
        g_ptr_array_add(feats, NULL);
        virCPUMapAddModel(map, name, virCPUMapModelIsGeneric(name) ? NULL : m->vendor,
                          (const char *const *)feats->pdata);
    }
    return map;
}

/* The CPU compared with: the host's (/proc/cpuinfo flags) or what QEMU
 * gives a guest ("max"). */
static virCPUMapHost *
qemuCPUMapHostNew(const qemuCaps *caps, const virCPUMap *map, bool hypervisor)
{
    if (hypervisor) {
        const char *qvendor = NULL;
        const char *const *feats = qemuCapsGetHostCPU(caps, &qvendor);
        g_autoptr(GPtrArray) names = g_ptr_array_new();

        for (size_t i = 0; feats && feats[i]; i++)
            g_ptr_array_add(names, (gpointer)qemuCPUFeatureFromQEMU(feats[i]));
        g_ptr_array_add(names, NULL);
        return virCPUMapHostNew(map, qemuCapsCPUVendorName(qvendor),
                                (const char *const *)names->pdata);
    } else {
        g_autofree char *cpuinfo = NULL;
        g_autofree char *vendor = NULL;
        g_auto(GStrv) feats = NULL;

        if (!g_file_get_contents("/proc/cpuinfo", &cpuinfo, NULL, NULL))
            return virCPUMapHostNew(map, NULL, NULL);
        feats = virCPUMapFeaturesFromCPUInfo(map, cpuinfo, &vendor);
        return virCPUMapHostNew(map, vendor, (const char *const *)feats);
    }
}

int
qemuCPUCompareXML(const qemuCaps *caps, bool hypervisor, const char *xml,
                  unsigned int flags)
{
    g_autoptr(virCPUMap) map = NULL;
    g_autoptr(virCPUMapHost) host = NULL;
    g_autoptr(virCPUMapCPU) cpu = NULL;

    virCheckFlags(VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE |
                      VIR_CONNECT_COMPARE_CPU_VALIDATE_XML,
                  VIR_CPU_COMPARE_ERROR);
    if (virCPUMapParseCPU(xml, false, &cpu) < 0)
        return VIR_CPU_COMPARE_ERROR;
    map = qemuCPUMapNew(caps);
    host = qemuCPUMapHostNew(caps, map, hypervisor);
    return virCPUMapCompare(map, host, cpu,
                            flags & VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE);
}

char *
qemuCPUBaselineXML(const qemuCaps *caps, bool hypervisor, const char **xmlCPUs,
                   unsigned int ncpus, unsigned int flags)
{
    g_autoptr(GPtrArray) cpus =
        g_ptr_array_new_with_free_func((GDestroyNotify)virCPUMapCPUFree);
    g_autoptr(virCPUMap) map = NULL;
    g_autoptr(virDomainCpuDef) cpu = NULL;
    g_autoptr(GString) buf = g_string_new(NULL);
    g_autoptr(GPtrArray) known = g_ptr_array_new();

    virCheckFlags(VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES |
                      VIR_CONNECT_BASELINE_CPU_MIGRATABLE,
                  NULL);
    for (unsigned int i = 0; i < ncpus; i++) {
        virCPUMapCPU *c = NULL;

        if (virCPUMapParseCPU(xmlCPUs[i], true, &c) < 0)
            return NULL;
        g_ptr_array_add(cpus, c);
    }
    for (guint i = 0; i < cpus->len; i++) {
        const virCPUMapCPU *c = g_ptr_array_index(cpus, i);

        if (!g_str_equal(c->arch, "x86_64") && !g_str_equal(c->arch, "i686")) {
            virReportErrorFull(VIR_FROM_CPU, VIR_ERR_NO_SUPPORT, __func__,
                               "virtkit has no CPU map of '%s' architecture", c->arch);
            return NULL;
        }
    }
    map = qemuCPUMapNew(caps);
    if (hypervisor) {
        const char *const *names = qemuCapsGetCPUFeatureNames(caps);

        for (size_t i = 0; names && names[i]; i++)
            g_ptr_array_add(known, (gpointer)qemuCPUFeatureFromQEMU(names[i]));
    }
    g_ptr_array_add(known, NULL);
    if (!(cpu = virCPUMapBaseline(
              map, (virCPUMapCPU *const *)cpus->pdata, cpus->len,
              hypervisor && known->len > 1 ? (const char *const *)known->pdata : NULL,
              flags & VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES,
              flags & VIR_CONNECT_BASELINE_CPU_MIGRATABLE)))
        return NULL;
    virDomainCpuDefFormat(buf, cpu, 0);
    return g_string_free(g_steal_pointer(&buf), FALSE);
}

GStrv
qemuCPUHostCapsModel(const qemuCaps *caps, char **model)
{
    g_autoptr(virCPUMap) map = qemuCPUMapNew(caps);
    g_autoptr(virCPUMapHost) host = qemuCPUMapHostNew(caps, map, false);
    g_auto(GStrv) base = NULL;
    g_autoptr(GPtrArray) extra = g_ptr_array_new_with_free_func(g_free);

    *model = NULL;
    if (!host->model)
        return g_new0(char *, 1);
    base = virCPUMapModelFeatures(map, host->model);
    for (size_t i = 0; host->features[i]; i++) {
        if (!g_strv_contains((const char *const *)base, host->features[i]))
            g_ptr_array_add(extra, g_strdup(host->features[i]));
    }
    g_ptr_array_add(extra, NULL);
    *model = g_steal_pointer(&host->model);
    return (GStrv)g_ptr_array_free(g_steal_pointer(&extra), FALSE);
}
