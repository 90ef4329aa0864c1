/* cpu_map.c: a CPU map (x86 models and their features) and libvirt's CPU compare and baseline over it */
#define G_LOG_DOMAIN "virtkit.conf.cpumap"

#include <string.h>
#include <libxml/tree.h>

#include "cpu_map.h"
#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"
#include <libvirt/libvirt.h>

#define VIR_FROM_THIS VIR_FROM_CPU

const char *const virCPUMapX86Models[] = {
    "486",
    "pentium",
    "pentium2",
    "pentium3",
    "pentiumpro",
    "coreduo",
    "n270",
    "core2duo",
    "qemu32",
    "kvm32",
    "cpu64-rhel5",
    "cpu64-rhel6",
    "qemu64",
    "kvm64",
    "Conroe",
    "Penryn",
    "Nehalem",
    "Nehalem-IBRS",
    "Westmere",
    "Westmere-IBRS",
    "SandyBridge",
    "SandyBridge-IBRS",
    "IvyBridge",
    "IvyBridge-IBRS",
    "Haswell-noTSX",
    "Haswell-noTSX-IBRS",
    "Haswell",
    "Haswell-IBRS",
    "Broadwell-noTSX",
    "Broadwell-noTSX-IBRS",
    "Broadwell",
    "Broadwell-IBRS",
    "Skylake-Client",
    "Skylake-Client-IBRS",
    "Skylake-Client-noTSX-IBRS",
    "Skylake-Server",
    "Skylake-Server-IBRS",
    "Skylake-Server-noTSX-IBRS",
    "Cascadelake-Server",
    "Cascadelake-Server-noTSX",
    "Icelake-Client",
    "Icelake-Client-noTSX",
    "Icelake-Server",
    "Icelake-Server-noTSX",
    "Cooperlake",
    "Snowridge",
    "athlon",
    "phenom",
    "Opteron_G1",
    "Opteron_G2",
    "Opteron_G3",
    "Opteron_G4",
    "Opteron_G5",
    "EPYC",
    "EPYC-IBPB",
    "EPYC-Rome",
    "EPYC-Milan",
    "Dhyana",
    NULL,
};

static const char *const vendorNames[] = { "Intel", "AMD", "Hygon", NULL };

typedef struct {
    char *name;
    char *vendor;
    GHashTable *features; /* set of names */
} virCPUMapModel;

struct _virCPUMap {
    GPtrArray *models;    /* virCPUMapModel *, oldest first */
    GHashTable *features; /* every known feature name */
};

bool
virCPUMapModelIsGeneric(const char *name)
{
    return g_str_equal(name, "486") || g_str_has_prefix(name, "pentium") ||
           g_str_has_prefix(name, "qemu") || g_str_has_prefix(name, "kvm");
}

static void
virCPUMapModelFree(virCPUMapModel *m)
{
    if (!m)
        return;
    g_free(m->name);
    g_free(m->vendor);
    g_hash_table_unref(m->features);
    g_free(m);
}

static GHashTable *
setNew(void)
{
    return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

static GHashTable *
setCopy(GHashTable *src)
{
    GHashTable *dst = setNew();
    GHashTableIter it;
    gpointer k;

    g_hash_table_iter_init(&it, src);
    while (g_hash_table_iter_next(&it, &k, NULL))
        g_hash_table_add(dst, g_strdup(k));
    return dst;
}

static void
setSubtract(GHashTable *a, GHashTable *b)
{
    GHashTableIter it;
    gpointer k;

    g_hash_table_iter_init(&it, b);
    while (g_hash_table_iter_next(&it, &k, NULL))
        g_hash_table_remove(a, k);
}

static void
setIntersect(GHashTable *a, GHashTable *b)
{
    GHashTableIter it;
    gpointer k;

    g_hash_table_iter_init(&it, a);
    while (g_hash_table_iter_next(&it, &k, NULL)) {
        if (!g_hash_table_contains(b, k))
            g_hash_table_iter_remove(&it);
    }
}

static int
cmpStr(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of @set, sorted, NULL-terminated (borrowed from the set). */
static const char **
setSorted(GHashTable *set, guint *n)
{
    const char **names = (const char **)g_hash_table_get_keys_as_array(set, n);

    qsort(names, *n, sizeof(*names), cmpStr);
    return names;
}

/* "a, b, c" of @set, sorted. */
static char *
setJoin(GHashTable *set)
{
    guint n;
    g_autofree const char **names = setSorted(set, &n);

    return g_strjoinv(", ", (char **)names);
}

/* CPUID features a host reports (libvirt's host CPU lists them) that QEMU
 * has no property for: bits the OS sets (osxsave, ospke) and resource
 * monitoring a guest cannot be given. Known to every map, in no model. */
static const char *const hostOnlyFeatures[] = {
    "osxsave", "ospke", "cmt", "mbm_total", "mbm_local", "cvt16", "pconfig", NULL,
};

virCPUMap *
virCPUMapNew(void)
{
    virCPUMap *map = g_new0(virCPUMap, 1);

    map->models = g_ptr_array_new_with_free_func((GDestroyNotify)virCPUMapModelFree);
    map->features = setNew();
    for (size_t i = 0; hostOnlyFeatures[i]; i++)
        virCPUMapAddFeature(map, hostOnlyFeatures[i]);
    return map;
}

void
virCPUMapFree(virCPUMap *map)
{
    if (!map)
        return;
    g_ptr_array_unref(map->models);
    g_hash_table_unref(map->features);
    g_free(map);
}

void
virCPUMapAddFeature(virCPUMap *map, const char *name)
{
    if (!g_hash_table_contains(map->features, name))
        g_hash_table_add(map->features, g_strdup(name));
}

void
virCPUMapAddModel(virCPUMap *map, const char *name, const char *vendor,
                  const char *const *features)
{
    virCPUMapModel *m = g_new0(virCPUMapModel, 1);

    m->name = g_strdup(name);
    m->vendor = g_strdup(vendor);
    m->features = setNew();
    for (size_t i = 0; features && features[i]; i++) {
        g_hash_table_add(m->features, g_strdup(features[i]));
        virCPUMapAddFeature(map, features[i]);
    }
    g_ptr_array_add(map->models, m);
}

bool
virCPUMapHasFeature(const virCPUMap *map, const char *name)
{
    return g_hash_table_contains(map->features, name);
}

static const virCPUMapModel *
virCPUMapFindModel(const virCPUMap *map, const char *name)
{
    for (guint i = 0; i < map->models->len; i++) {
        const virCPUMapModel *m = g_ptr_array_index(map->models, i);

        if (g_str_equal(m->name, name))
            return m;
    }
    return NULL;
}

bool
virCPUMapHasModel(const virCPUMap *map, const char *name)
{
    return virCPUMapFindModel(map, name) != NULL;
}

GStrv
virCPUMapModelFeatures(const virCPUMap *map, const char *name)
{
    const virCPUMapModel *m = virCPUMapFindModel(map, name);
    g_autofree const char **names = NULL;
    guint n;

    if (!m)
        return NULL;
    names = setSorted(m->features, &n);
    return g_strdupv((char **)names);
}

void
virCPUMapCPUFree(virCPUMapCPU *cpu)
{
    if (!cpu)
        return;
    virDomainCpuDefFree(cpu->def);
    g_free(cpu->arch);
    g_free(cpu);
}

void
virCPUMapHostFree(virCPUMapHost *host)
{
    if (!host)
        return;
    g_free(host->model);
    g_free(host->vendor);
    g_strfreev(host->features);
    g_free(host);
}

/* The XML reader reports in VIR_FROM_DOMAIN; libvirt's CPU parser in
 * VIR_FROM_CPU: the same error, moved. */
static void
virCPUMapRetagError(void)
{
    virErrorPtr saved = NULL;

    virErrorPreserveLast(&saved);
    if (saved) {
        virSetErrorRaw(VIR_FROM_CPU, saved->code, saved->level, saved->message,
                       saved->str1, saved->str2, saved->str3, saved->int1, saved->int2);
        virFreeError(saved);
    }
}

int
virCPUMapParseCPU(const char *xml, bool wantHost, virCPUMapCPU **out)
{
    g_autoptr(virCPUMapCPU) cpu = g_new0(virCPUMapCPU, 1);
    g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func(g_free);
    xmlDocPtr doc;
    xmlNodePtr root;
    xmlNodePtr arch;
    g_autofree char *mode = NULL;
    g_autofree char *match = NULL;
    bool failed = false;
    int ret = -1;

    if (!(doc = virDomainXMLReadDoc(xml, strlen(xml), "(CPU_definition)"))) {
        virCPUMapRetagError();
        return -1;
    }
    root = xmlDocGetRootElement(doc);
    if (!root || !virDomainXMLNodeIs(root, "cpu")) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "XML does not contain expected 'cpu' element");
        goto cleanup;
    }
    arch = virDomainXMLChild(root, "arch");
    mode = virDomainXMLProp(root, "mode");
    match = virDomainXMLProp(root, "match");
    cpu->host = wantHost || arch;
    if (!wantHost && arch && match) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "'arch' element cannot be used inside 'cpu' element with "
                       "'match' attribute'");
        goto cleanup;
    }
    if (cpu->host && mode) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "Attribute mode is only allowed for guest CPU");
        goto cleanup;
    }
    if (cpu->host && !(cpu->arch = virDomainXMLNodeTextNonEmpty(arch))) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "Missing CPU architecture");
        goto cleanup;
    }
    if (cpu->host) {
        g_autofree char *model =
            virDomainXMLNodeTextNonEmpty(virDomainXMLChild(root, "model"));

        if (!model) {
            virReportError(VIR_ERR_XML_ERROR, "%s", "Missing CPU model name");
            goto cleanup;
        }
    }
    if (virDomainCpuDefParse(root, unknown, 0, &failed, &cpu->def) < 0) {
        if (virErrorIsSet())
            virCPUMapRetagError();
        goto cleanup;
    }
    *out = g_steal_pointer(&cpu);
    ret = 0;
cleanup:
    xmlFreeDoc(doc);
    return ret;
}

/* The features @def stands for with @policy (-1: what the CPU has: the
 * model's plus require/force, minus disable/forbid; a host CPU: the
 * model's and every listed one), or NULL with INTERNAL_ERROR for an
 * unknown model or feature. */
static GHashTable *
virCPUMapExpand(const virCPUMap *map, const virCPUMapCPU *cpu, int policy)
{
    const virDomainCpuDef *def = cpu->def;
    g_autoptr(GHashTable) set = setNew();
    bool withModel = policy == -1 || policy == VIR_DOMAIN_CPU_FEATURE_REQUIRE;

    if (def->model) {
        const virCPUMapModel *m = virCPUMapFindModel(map, def->model);

        if (!m) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "Unknown CPU model %s", def->model);
            return NULL;
        }
        if (withModel) {
            g_autoptr(GHashTable) copy = setCopy(m->features);

            g_hash_table_unref(set);
            set = g_steal_pointer(&copy);
        }
    }
    for (size_t i = 0; i < def->nfeatures; i++) {
        const virDomainCpuFeatureDef *f = &def->features[i];

        if (!virCPUMapHasFeature(map, f->name)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "Unknown CPU feature %s", f->name);
            return NULL;
        }
        if (cpu->host) {
            if (withModel)
                g_hash_table_add(set, g_strdup(f->name));
        } else if (policy == -1) {
            if (f->policy == VIR_DOMAIN_CPU_FEATURE_REQUIRE ||
                f->policy == VIR_DOMAIN_CPU_FEATURE_FORCE)
                g_hash_table_add(set, g_strdup(f->name));
            else if (f->policy == VIR_DOMAIN_CPU_FEATURE_DISABLE ||
                     f->policy == VIR_DOMAIN_CPU_FEATURE_FORBID)
                g_hash_table_remove(set, f->name);
        } else if (f->policy == policy) {
            g_hash_table_add(set, g_strdup(f->name));
        }
    }
    return g_steal_pointer(&set);
}

static GHashTable *
setFromStrv(const char *const *names)
{
    GHashTable *set = setNew();

    for (size_t i = 0; names && names[i]; i++)
        g_hash_table_add(set, g_strdup(names[i]));
    return set;
}

int
virCPUMapCompare(const virCPUMap *map, const virCPUMapHost *host, const virCPUMapCPU *cpu,
                 bool failIncompatible)
{
    const virDomainCpuDef *def = cpu->def;
    g_autoptr(GHashTable) hostSet = NULL;
    g_autoptr(GHashTable) force = NULL;
    g_autoptr(GHashTable) require = NULL;
    g_autoptr(GHashTable) optional = NULL;
    g_autoptr(GHashTable) disable = NULL;
    g_autoptr(GHashTable) forbid = NULL;
    g_autofree char *message = NULL;
    g_autofree char *list = NULL;

    if (!host || !host->model) {
        if (failIncompatible) {
            virReportError(VIR_ERR_CPU_INCOMPATIBLE, "%s", "unknown host CPU");
            return VIR_CPU_COMPARE_ERROR;
        }
        return VIR_CPU_COMPARE_INCOMPATIBLE;
    }
    if (cpu->arch && !g_str_equal(cpu->arch, "x86_64") &&
        !g_str_equal(cpu->arch, "i686")) {
        message = g_strdup_printf("CPU arch %s does not match host arch", cpu->arch);
        goto incompatible;
    }
    if (def->vendor && (!host->vendor || !g_str_equal(def->vendor, host->vendor))) {
        message = g_strdup_printf("host CPU vendor does not match required CPU vendor %s",
                                  def->vendor);
        goto incompatible;
    }

    hostSet = setFromStrv((const char *const *)host->features);
    if (!(force = virCPUMapExpand(map, cpu, VIR_DOMAIN_CPU_FEATURE_FORCE)) ||
        !(require = virCPUMapExpand(map, cpu, VIR_DOMAIN_CPU_FEATURE_REQUIRE)) ||
        !(optional = virCPUMapExpand(map, cpu, VIR_DOMAIN_CPU_FEATURE_OPTIONAL)) ||
        !(disable = virCPUMapExpand(map, cpu, VIR_DOMAIN_CPU_FEATURE_DISABLE)) ||
        !(forbid = virCPUMapExpand(map, cpu, VIR_DOMAIN_CPU_FEATURE_FORBID)))
        return VIR_CPU_COMPARE_ERROR;

    setIntersect(forbid, hostSet);
    if (g_hash_table_size(forbid)) {
        list = setJoin(forbid);
        message = g_strdup_printf("Host CPU provides forbidden features: %s", list);
        goto incompatible;
    }
    setSubtract(require, force);
    setSubtract(require, optional);
    setSubtract(require, disable);
    {
        g_autoptr(GHashTable) missing = setCopy(require);

        setSubtract(missing, hostSet);
        if (g_hash_table_size(missing)) {
            list = setJoin(missing);
            message =
                g_strdup_printf("Host CPU does not provide required features: %s", list);
            goto incompatible;
        }
    }
    setSubtract(hostSet, optional);
    setSubtract(hostSet, require);
    setSubtract(hostSet, disable);
    setSubtract(hostSet, force);
    if (!g_hash_table_size(hostSet))
        return VIR_CPU_COMPARE_IDENTICAL;
    if (!cpu->host && def->match == VIR_DOMAIN_CPU_MATCH_STRICT) {
        list = setJoin(hostSet);
        message = g_strdup_printf("Host CPU does not strictly match guest CPU: Extra "
                                  "features: %s",
                                  list);
        goto incompatible;
    }
    return VIR_CPU_COMPARE_SUPERSET;

incompatible:
    if (!failIncompatible)
        return VIR_CPU_COMPARE_INCOMPATIBLE;
    if (g_strcmp0(def->model, "Haswell") == 0 ||
        g_strcmp0(def->model, "Broadwell") == 0) {
        g_autoptr(GHashTable) all = virCPUMapExpand(map, cpu, -1);

        if (all &&
            (!g_hash_table_contains(all, "hle") || !g_hash_table_contains(all, "rtm"))) {
            virReportError(VIR_ERR_CPU_INCOMPATIBLE, "%s; try using '%s-noTSX' CPU model",
                           message, def->model);
            return VIR_CPU_COMPARE_ERROR;
        }
    }
    virReportError(VIR_ERR_CPU_INCOMPATIBLE, "%s", message);
    return VIR_CPU_COMPARE_ERROR;
}

/* libvirt's x86Decode: the model for the feature set @data of @vendor:
 * newest first, another vendor's models skipped, @preferred taken at
 * once, else the one needing the fewest features required or disabled
 * (none disabled for a host). Fills @out's model, vendor and features;
 * false when no model fits (nothing reported). */
static bool
virCPUMapDecode(const virCPUMap *map, GHashTable *data, const char *vendor,
                const char *preferred, bool host, virDomainCpuDef *out)
{
    const virCPUMapModel *best = NULL;
    guint bestN = 0;
    g_autoptr(GHashTable) req = NULL;
    g_autoptr(GHashTable) dis = NULL;
    g_autofree const char **rs = NULL;
    g_autofree const char **ds = NULL;
    guint nr;
    guint nd;

    for (guint i = map->models->len; i-- > 0;) {
        const virCPUMapModel *m = g_ptr_array_index(map->models, i);
        guint extra = 0;
        guint missing = 0;
        GHashTableIter it;
        gpointer k;

        if (vendor && m->vendor && !g_str_equal(vendor, m->vendor))
            continue;
        g_hash_table_iter_init(&it, data);
        while (g_hash_table_iter_next(&it, &k, NULL))
            extra += !g_hash_table_contains(m->features, k);
        g_hash_table_iter_init(&it, m->features);
        while (g_hash_table_iter_next(&it, &k, NULL))
            missing += !g_hash_table_contains(data, k);
        if (host && missing)
            continue;
        if (preferred && g_str_equal(m->name, preferred)) {
            best = m;
            break;
        }
        if (!best || bestN > extra + missing) {
            best = m;
            bestN = extra + missing;
        }
    }
    if (!best)
        return false;

    req = setCopy(data);
    setSubtract(req, best->features);
    dis = setCopy(best->features);
    setSubtract(dis, data);
    rs = setSorted(req, &nr);
    ds = setSorted(dis, &nd);
    out->model = g_strdup(best->name);
    out->vendor = g_strdup(vendor);
    out->features = g_new0(virDomainCpuFeatureDef, nr + nd);
    for (guint i = 0; i < nr; i++) {
        out->features[out->nfeatures].name = g_strdup(rs[i]);
        out->features[out->nfeatures++].policy = VIR_DOMAIN_CPU_FEATURE_REQUIRE;
    }
    for (guint i = 0; i < nd; i++) {
        out->features[out->nfeatures].name = g_strdup(ds[i]);
        out->features[out->nfeatures++].policy = VIR_DOMAIN_CPU_FEATURE_DISABLE;
    }
    return true;
}

virCPUMapHost *
virCPUMapHostNew(const virCPUMap *map, const char *vendor, const char *const *features)
{
    virCPUMapHost *host = g_new0(virCPUMapHost, 1);
    g_autoptr(GHashTable) set = setNew();
    g_autoptr(virDomainCpuDef) def = virDomainCpuDefNew();
    g_autofree const char **names = NULL;
    guint n;

    for (size_t i = 0; features && features[i]; i++) {
        if (virCPUMapHasFeature(map, features[i]))
            g_hash_table_add(set, g_strdup(features[i]));
    }
    names = setSorted(set, &n);
    host->features = g_strdupv((char **)names);
    host->vendor = g_strdup(vendor);
    if (virCPUMapDecode(map, set, vendor, NULL, true, def))
        host->model = g_steal_pointer(&def->model);
    return host;
}

/* Linux's /proc/cpuinfo flag names where they are not libvirt's (nor
 * libvirt's with '-' for '_'). */
static const char *const linuxFlags[][2] = {
    { "pclmulqdq", "pclmuldq" },
    { "sse4_1", "sse4.1" },
    { "sse4_2", "sse4.2" },
    { "tsc_deadline_timer", "tsc-deadline" },
    { "avx512_vbmi2", "avx512vbmi2" },
    { "avx512_vnni", "avx512vnni" },
    { "avx512_bitalg", "avx512bitalg" },
    { "tsxldtrk", "tsx-ldtrk" },
    { "nonstop_tsc", "invtsc" },
};

GStrv
virCPUMapFeaturesFromCPUInfo(const virCPUMap *map, const char *cpuinfo, char **vendor)
{
    g_autoptr(GHashTable) out = setNew();
    g_auto(GStrv) lines = g_strsplit(cpuinfo, "\n", -1);
    g_auto(GStrv) flags = NULL;
    g_autofree const char **names = NULL;
    guint n;

    *vendor = NULL;
    for (size_t i = 0; lines[i]; i++) {
        char *colon = strchr(lines[i], ':');
        g_autofree char *key = NULL;

        if (!colon)
            continue;
        key = g_strstrip(g_strndup(lines[i], colon - lines[i]));
        if (g_str_equal(key, "vendor_id") && !*vendor) {
            const char *v = g_strstrip(colon + 1);

            if (g_str_equal(v, "GenuineIntel"))
                *vendor = g_strdup("Intel");
            else if (g_str_equal(v, "AuthenticAMD"))
                *vendor = g_strdup("AMD");
            else if (g_str_equal(v, "HygonGenuine"))
                *vendor = g_strdup("Hygon");
        } else if (g_str_equal(key, "flags") && !flags) {
            flags = g_strsplit(g_strstrip(colon + 1), " ", -1);
        }
    }
    for (size_t i = 0; flags && flags[i]; i++) {
        const char *name = flags[i];
        g_autofree char *dashed = NULL;

        if (!*name)
            continue;
        for (size_t j = 0; j < G_N_ELEMENTS(linuxFlags); j++) {
            if (g_str_equal(name, linuxFlags[j][0]))
                name = linuxFlags[j][1];
        }
        if (!virCPUMapHasFeature(map, name)) {
            dashed = g_strdelimit(g_strdup(name), "_", '-');
            name = dashed;
        }
        if (virCPUMapHasFeature(map, name) && !g_hash_table_contains(out, name))
            g_hash_table_add(out, g_strdup(name));
    }
    names = setSorted(out, &n);
    return g_strdupv((char **)names);
}

virDomainCpuDef *
virCPUMapBaseline(const virCPUMap *map, virCPUMapCPU *const *cpus, size_t ncpus,
                  const char *const *onlyFeatures, bool expand, bool migratable)
{
    g_autoptr(GHashTable) base = NULL;
    g_autoptr(virDomainCpuDef) out = virDomainCpuDefNew();
    const char *vendor = NULL;
    const char *modelName = NULL;
    bool outputVendor = true;
    bool matchingNames = true;

    if (ncpus == 0) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "no CPUs given");
        return NULL;
    }
    if (!(base = virCPUMapExpand(map, cpus[0], -1)))
        return NULL;
    if (!cpus[0]->def->vendor) {
        outputVendor = false;
    } else if (!g_strv_contains(vendorNames, cpus[0]->def->vendor)) {
        virReportError(VIR_ERR_OPERATION_FAILED, "Unknown CPU vendor %s",
                       cpus[0]->def->vendor);
        return NULL;
    } else {
        vendor = cpus[0]->def->vendor;
    }
    modelName = cpus[0]->def->model;
    for (size_t i = 1; i < ncpus; i++) {
        const virDomainCpuDef *def = cpus[i]->def;
        const virCPUMapModel *m = def->model ? virCPUMapFindModel(map, def->model) : NULL;
        g_autoptr(GHashTable) set = NULL;
        const char *vn = NULL;

        if (matchingNames && def->model) {
            if (!modelName) {
                modelName = def->model;
            } else if (!g_str_equal(modelName, def->model)) {
                modelName = NULL;
                matchingNames = false;
            }
        }
        if (!(set = virCPUMapExpand(map, cpus[i], -1)))
            return NULL;
        if (def->vendor && m && m->vendor && !g_str_equal(def->vendor, m->vendor)) {
            virReportError(VIR_ERR_OPERATION_FAILED,
                           "CPU vendor %s of model %s differs from vendor %s", m->vendor,
                           m->name, def->vendor);
            return NULL;
        }
        if (def->vendor) {
            vn = def->vendor;
        } else {
            outputVendor = false;
            if (m && m->vendor)
                vn = m->vendor;
        }
        if (vn) {
            if (!vendor) {
                if (!g_strv_contains(vendorNames, vn)) {
                    virReportError(VIR_ERR_OPERATION_FAILED, "Unknown CPU vendor %s", vn);
                    return NULL;
                }
                vendor = vn;
            } else if (!g_str_equal(vendor, vn)) {
                virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                               "CPU vendors do not match");
                return NULL;
            }
        }
        setIntersect(base, set);
    }
    if (onlyFeatures) {
        g_autoptr(GHashTable) known = setFromStrv(onlyFeatures);

        setIntersect(base, known);
    }
    if (!g_hash_table_size(base)) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "CPUs are incompatible");
        return NULL;
    }
    if (!virCPUMapDecode(map, base, vendor, modelName, false, out)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "Cannot find suitable CPU model for given data");
        return NULL;
    }
    out->mode = VIR_DOMAIN_CPU_MODE_CUSTOM;
    out->match = VIR_DOMAIN_CPU_MATCH_EXACT;
    out->fallback = g_strcmp0(out->model, modelName) == 0 ? VIR_DOMAIN_CPU_FALLBACK_FORBID
                                                          : VIR_DOMAIN_CPU_FALLBACK_ALLOW;
    if (!outputVendor)
        g_clear_pointer(&out->vendor, g_free);
    if (expand) {
        /* every feature the CPU has, sorted, each required */
        const virCPUMapModel *m = virCPUMapFindModel(map, out->model);
        g_autoptr(GHashTable) all = setCopy(m->features);
        g_autofree const char **names = NULL;
        guint n;

        for (size_t i = 0; i < out->nfeatures; i++) {
            if (out->features[i].policy == VIR_DOMAIN_CPU_FEATURE_REQUIRE)
                g_hash_table_add(all, g_strdup(out->features[i].name));
            else
                g_hash_table_remove(all, out->features[i].name);
        }
        for (size_t i = 0; i < out->nfeatures; i++)
            g_free(out->features[i].name);
        g_free(out->features);
        names = setSorted(all, &n);
        out->features = g_new0(virDomainCpuFeatureDef, n);
        out->nfeatures = n;
        for (guint i = 0; i < n; i++) {
            out->features[i].name = g_strdup(names[i]);
            out->features[i].policy = VIR_DOMAIN_CPU_FEATURE_REQUIRE;
        }
    }
    if (migratable) {
        size_t j = 0;

        for (size_t i = 0; i < out->nfeatures; i++) {
            if (g_str_equal(out->features[i].name, "invtsc"))
                g_free(out->features[i].name);
            else
                out->features[j++] = out->features[i];
        }
        out->nfeatures = j;
    }
    return g_steal_pointer(&out);
}
