/* domain_cpu_conf.c: parse and format the guest <cpu> element as libvirt 9.0 does */

#define G_LOG_DOMAIN "virtkit.conf.cpu"

#include <string.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "domain_cpu_conf.h"
#include "virerror.h"

/* libvirt's cpu_conf.c reports in VIR_FROM_CPU; its virXMLProp* helpers
 * (the attribute messages) in VIR_FROM_XML. */
#define VIR_FROM_THIS VIR_FROM_CPU

static const char *const cpuModeNames[VIR_DOMAIN_CPU_MODE_LAST] = {
    "custom",
    "host-model",
    "host-passthrough",
    "maximum",
};
static const char *const cpuMatchNames[VIR_DOMAIN_CPU_MATCH_LAST] = {
    "none",
    "minimum",
    "exact",
    "strict",
};
static const char *const cpuCheckNames[VIR_DOMAIN_CPU_CHECK_LAST] = {
    "default",
    "none",
    "partial",
    "full",
};
static const char *const cpuFallbackNames[VIR_DOMAIN_CPU_FALLBACK_LAST] = {
    "allow",
    "forbid",
};
static const char *const cpuFeaturePolicyNames[VIR_DOMAIN_CPU_FEATURE_LAST] = {
    "force", "require", "optional", "disable", "forbid",
};
static const char *const tristateSwitchNames[] = { "absent", "on", "off" };
static const char *const cacheModeNames[VIR_DOMAIN_CPU_CACHE_MODE_LAST] = {
    "emulate",
    "passthrough",
    "disable",
};

const char *
virDomainCpuCacheModeToString(int mode)
{
    return virDomainEnumToString(cacheModeNames, VIR_DOMAIN_CPU_CACHE_MODE_LAST, mode);
}

/* <cache level mode> as libvirt's virCPUDefParseXMLCache: a level in
 * [1, 3] when given, a mode always; at most one <cache>. */
static int
parseCache(virDomainCpuDef *cpu, xmlNodePtr node)
{
    xmlNodePtr cache = NULL;
    g_autofree char *mode = NULL;

    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE || !virDomainXMLNodeIs(cur, "cache"))
            continue;
        if (cache) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "at most one CPU cache element may be specified");
            return -1;
        }
        cache = cur;
    }
    if (!cache)
        return 0;
    if (virDomainXMLPropNonNegInt(cache, "level", 10, &cpu->cacheLevel) < 0)
        return -1;
    if (cpu->cacheLevel != -1 && (cpu->cacheLevel < 1 || cpu->cacheLevel > 3)) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "invalid CPU cache level, must be in range [1,3]");
        return -1;
    }
    if (!(mode = virDomainXMLProp(cache, "mode"))) {
        virDomainXMLReportMissingAttr("mode", cache);
        return -1;
    }
    if ((cpu->cacheMode = virDomainEnumFromString(
             cacheModeNames, VIR_DOMAIN_CPU_CACHE_MODE_LAST, mode)) < 0) {
        virDomainXMLReportInvalidAttr("mode", cache, mode);
        return -1;
    }
    cpu->cache = true;
    return 0;
}

/* The children of <cpu> that libvirt 9.0 knows; the last ones are kept as
 * unknown (a driver refuses them). */
static const char *const cpuCarried[] = { "model", "vendor", "topology", "feature",
                                          "cache",
                                          /* guest NUMA: domain_numa_conf.c */
                                          "numa", NULL };

#define VIR_DOMAIN_CPU_VENDOR_ID_LENGTH 12

/* libvirt's architecture names (virArch), to tell an unknown name from one
 * virtkit has no emulator for. */
static const char *const cpuArchNames[] = {
    "i686",       "x86_64",       "aarch64",  "alpha",   "armv6l",      "armv7l",
    "armv7b",     "cris",         "ia64",     "lm32",    "loongarch64", "m68k",
    "microblaze", "microblazeel", "mips",     "mipsel",  "mips64",      "mips64el",
    "openrisc",   "parisc",       "parisc64", "ppc",     "ppcle",       "ppc64",
    "ppc64le",    "ppcemb",       "riscv32",  "riscv64", "s390",        "s390x",
    "sh4",        "sh4eb",        "sparc",    "sparc64", "unicore32",   "xtensa",
    "xtensaeb",   NULL,
};

bool
virDomainCpuArchIsKnown(const char *arch)
{
    return arch && g_strv_contains(cpuArchNames, arch);
}

const char *
virDomainCpuModeToString(int mode)
{
    return virDomainEnumToString(cpuModeNames, VIR_DOMAIN_CPU_MODE_LAST, mode);
}

const char *
virDomainCpuFeaturePolicyToString(int policy)
{
    return virDomainEnumToString(cpuFeaturePolicyNames, VIR_DOMAIN_CPU_FEATURE_LAST,
                                 policy);
}

virDomainCpuDef *
virDomainCpuDefNew(void)
{
    return g_new0(virDomainCpuDef, 1);
}

void
virDomainCpuDefFree(virDomainCpuDef *cpu)
{
    if (!cpu)
        return;
    g_free(cpu->model);
    g_free(cpu->vendorId);
    g_free(cpu->vendor);
    for (size_t i = 0; i < cpu->nfeatures; i++)
        g_free(cpu->features[i].name);
    g_free(cpu->features);
    g_free(cpu);
}

virDomainCpuDef *
virDomainCpuDefCopy(const virDomainCpuDef *src)
{
    virDomainCpuDef *cpu;

    if (!src)
        return NULL;
    cpu = g_new0(virDomainCpuDef, 1);
    *cpu = *src;
    cpu->model = g_strdup(src->model);
    cpu->vendorId = g_strdup(src->vendorId);
    cpu->vendor = g_strdup(src->vendor);
    cpu->features =
        src->nfeatures ? g_new0(virDomainCpuFeatureDef, src->nfeatures) : NULL;
    for (size_t i = 0; i < src->nfeatures; i++) {
        cpu->features[i].name = g_strdup(src->features[i].name);
        cpu->features[i].policy = src->features[i].policy;
    }
    return cpu;
}

unsigned long long
virDomainCpuDefTopologyVcpus(const virDomainCpuDef *cpu)
{
    if (!cpu || !cpu->sockets)
        return 0;
    return (unsigned long long)cpu->sockets * cpu->dies * cpu->cores * cpu->threads;
}

/* virXMLPropUInt with REQUIRED (when @required) and NONZERO: 1 parsed,
 * 0 absent, -1 error reported (libvirt's messages, domain XML). */
static int
parseTopologyAttr(xmlNodePtr node, const char *name, bool required, unsigned int *out)
{
    g_autofree char *str = virDomainXMLProp(node, name);
    unsigned long long val;

    if (!str) {
        if (!required)
            return 0;
        virDomainXMLReportMissingAttr(name, node);
        return -1;
    }
    if (virDomainParseULL(str, &val) < 0 || val > G_MAXUINT) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute '%s' in element '%s': '%s'. "
                           "Expected non-negative integer value",
                           name, (const char *)node->name, str);
        return -1;
    }
    if (val == 0) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute '%s' in element '%s': "
                           "Zero is not permitted",
                           name, (const char *)node->name);
        return -1;
    }
    *out = (unsigned int)val;
    return 1;
}

/* virXMLPropEnum (and virXMLPropTristateSwitch) without REQUIRED: 0 (absent
 * leaves *out), 1 parsed, -1 with libvirt's XML_ERROR. @first is the first
 * value of @names an attribute may name (1 skips a "none"/"default" slot). */
static int
parseEnumProp(xmlNodePtr node, const char *name, const char *const *names, int last,
              int first, int *out)
{
    g_autofree char *str = virDomainXMLProp(node, name);
    int val;

    if (!str)
        return 0;
    val = virDomainEnumFromString(names, last, str);
    if (val < first) {
        virDomainXMLReportInvalidAttr(name, node, str);
        return -1;
    }
    *out = val;
    return 1;
}

int
virDomainCpuDefParse(struct _xmlNode *node, GPtrArray *unknown, unsigned int flags,
                     bool *failed, virDomainCpuDef **out)
{
    g_autoptr(virDomainCpuDef) cpu = virDomainCpuDefNew();
    g_autofree char *mode = virDomainXMLProp(node, "mode");
    xmlNodePtr model = virDomainXMLChild(node, "model");
    xmlNodePtr topology;
    size_t nfeatures = 0;
    int rc;

    if (mode) {
        if ((cpu->mode = virDomainEnumFromString(cpuModeNames, VIR_DOMAIN_CPU_MODE_LAST,
                                                 mode)) < 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Invalid mode attribute '%s'",
                           mode);
            return -1;
        }
    }
    if ((rc = parseEnumProp(node, "migratable", tristateSwitchNames,
                            G_N_ELEMENTS(tristateSwitchNames), 1, &cpu->migratable)) < 0)
        return -1;
    if (rc > 0 && cpu->mode != VIR_DOMAIN_CPU_MODE_HOST_PASSTHROUGH &&
        cpu->mode != VIR_DOMAIN_CPU_MODE_MAXIMUM) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "Attribute migratable is only allowed for 'host-passthrough' / "
                       "'maximum' CPU mode");
        return -1;
    }
    if (parseEnumProp(node, "match", cpuMatchNames, VIR_DOMAIN_CPU_MATCH_LAST, 1,
                      &cpu->match) < 0 ||
        parseEnumProp(node, "check", cpuCheckNames, VIR_DOMAIN_CPU_CHECK_LAST, 1,
                      &cpu->check) < 0)
        return -1;

    cpu->model = virDomainXMLNodeTextNonEmpty(model);

    if (model && cpu->mode != VIR_DOMAIN_CPU_MODE_HOST_PASSTHROUGH &&
        cpu->mode != VIR_DOMAIN_CPU_MODE_MAXIMUM) {
        g_autofree char *fallback = virDomainXMLProp(model, "fallback");
        g_autofree char *vendorId = virDomainXMLProp(model, "vendor_id");

        if (fallback &&
            (cpu->fallback = virDomainEnumFromString(
                 cpuFallbackNames, VIR_DOMAIN_CPU_FALLBACK_LAST, fallback)) < 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "Invalid fallback attribute");
            return -1;
        }
        if (vendorId) {
            if (strlen(vendorId) != VIR_DOMAIN_CPU_VENDOR_ID_LENGTH) {
                virReportError(VIR_ERR_XML_ERROR,
                               "vendor_id must be exactly %d characters long",
                               VIR_DOMAIN_CPU_VENDOR_ID_LENGTH);
                return -1;
            }
            if (strchr(vendorId, ',')) {
                virReportError(VIR_ERR_XML_ERROR, "%s", "vendor id is invalid");
                return -1;
            }
            cpu->vendorId = g_steal_pointer(&vendorId);
        }
    }

    cpu->vendor = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(node, "vendor"));
    if (cpu->vendor && !cpu->model) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "CPU vendor specified without CPU model");
        return -1;
    }

    if ((topology = virDomainXMLChild(node, "topology"))) {
        if (parseTopologyAttr(topology, "sockets", true, &cpu->sockets) < 0)
            return -1;
        if ((rc = parseTopologyAttr(topology, "dies", false, &cpu->dies)) < 0)
            return -1;
        if (rc == 0)
            cpu->dies = 1;
        if (parseTopologyAttr(topology, "cores", true, &cpu->cores) < 0 ||
            parseTopologyAttr(topology, "threads", true, &cpu->threads) < 0)
            return -1;
    }

    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (virDomainXMLNodeIs(cur, "feature"))
            nfeatures++;
        else if (!virDomainStrInList(cpuCarried, (const char *)cur->name) &&
                 (virDomainXMLRecordUnknown(unknown, "cpu", cur, flags, failed), *failed))
            return -1;
    }
    if (nfeatures > 0 && !cpu->model && cpu->mode == VIR_DOMAIN_CPU_MODE_CUSTOM) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "Non-empty feature list specified without CPU model");
        return -1;
    }
    if (nfeatures > 0)
        cpu->features = g_new0(virDomainCpuFeatureDef, nfeatures);
    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        g_autofree char *policy = NULL;
        g_autofree char *name = NULL;
        int pol = VIR_DOMAIN_CPU_FEATURE_REQUIRE;

        if (cur->type != XML_ELEMENT_NODE || !virDomainXMLNodeIs(cur, "feature"))
            continue;
        if ((policy = virDomainXMLProp(cur, "policy")) &&
            (pol = virDomainEnumFromString(cpuFeaturePolicyNames,
                                           VIR_DOMAIN_CPU_FEATURE_LAST, policy)) < 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "Invalid CPU feature policy");
            return -1;
        }
        if (!(name = virDomainXMLProp(cur, "name")) || !*name) {
            virReportError(VIR_ERR_XML_ERROR, "%s", "Invalid CPU feature name");
            return -1;
        }
        for (size_t j = 0; j < cpu->nfeatures; j++) {
            if (strcmp(cpu->features[j].name, name) == 0) {
                virReportError(VIR_ERR_XML_ERROR,
                               "CPU feature '%s' specified more than once", name);
                return -1;
            }
        }
        cpu->features[cpu->nfeatures].name = g_steal_pointer(&name);
        cpu->features[cpu->nfeatures].policy = pol;
        cpu->nfeatures++;
    }

    if (parseCache(cpu, node) < 0)
        return -1;

    /* libvirt's generic post-parse (virDomainDefPostParseCPU) */
    if (cpu->mode == VIR_DOMAIN_CPU_MODE_CUSTOM && !cpu->model &&
        cpu->check != VIR_DOMAIN_CPU_CHECK_DEFAULT) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, __func__, "%s",
                           "check attribute specified for CPU with no model");
        return -1;
    }

    *out = g_steal_pointer(&cpu);
    return 0;
}

static void
indentLine(GString *buf, int indent)
{
    for (int i = 0; i < indent; i++)
        g_string_append_c(buf, ' ');
}

void
virDomainCpuDefFormat(GString *buf, const virDomainCpuDef *cpu, int indent)
{
    virDomainCpuDefFormatWith(buf, cpu, NULL, indent);
}

void
virDomainCpuDefFormatWith(GString *buf, const virDomainCpuDef *cpu, const char *extra,
                          int indent)
{
    g_autoptr(GString) attrs = g_string_new(NULL);
    g_autoptr(GString) kids = g_string_new(NULL);
    bool formatModel;

    if (!cpu)
        return;

    /* attributes unless the CPU only gives a topology */
    if (cpu->mode != VIR_DOMAIN_CPU_MODE_CUSTOM || cpu->model) {
        g_string_append_printf(attrs, " mode='%s'", cpuModeNames[cpu->mode]);
        if (cpu->mode == VIR_DOMAIN_CPU_MODE_CUSTOM)
            g_string_append_printf(attrs, " match='%s'",
                                   cpuMatchNames[cpu->match == VIR_DOMAIN_CPU_MATCH_NONE
                                                     ? VIR_DOMAIN_CPU_MATCH_EXACT
                                                     : cpu->match]);
        if (cpu->check != VIR_DOMAIN_CPU_CHECK_DEFAULT)
            g_string_append_printf(attrs, " check='%s'", cpuCheckNames[cpu->check]);
        if ((cpu->mode == VIR_DOMAIN_CPU_MODE_HOST_PASSTHROUGH ||
             cpu->mode == VIR_DOMAIN_CPU_MODE_MAXIMUM) &&
            cpu->migratable)
            g_string_append_printf(attrs, " migratable='%s'",
                                   tristateSwitchNames[cpu->migratable]);
    }

    formatModel = cpu->mode == VIR_DOMAIN_CPU_MODE_CUSTOM ||
                  cpu->mode == VIR_DOMAIN_CPU_MODE_HOST_MODEL;
    if (formatModel && (cpu->model || cpu->vendorId)) {
        indentLine(kids, indent + 2);
        g_string_append(kids, "<model");
        if (cpu->model)
            g_string_append_printf(kids, " fallback='%s'",
                                   cpuFallbackNames[cpu->fallback]);
        if (cpu->vendorId) {
            g_string_append(kids, " vendor_id='");
            virDomainXMLEscape(kids, cpu->vendorId);
            g_string_append_c(kids, '\'');
        }
        if (cpu->model) {
            g_string_append_c(kids, '>');
            virDomainXMLEscape(kids, cpu->model);
            g_string_append(kids, "</model>\n");
        } else {
            g_string_append(kids, "/>\n");
        }
    }
    if (formatModel && cpu->vendor) {
        indentLine(kids, indent + 2);
        g_string_append(kids, "<vendor>");
        virDomainXMLEscape(kids, cpu->vendor);
        g_string_append(kids, "</vendor>\n");
    }
    if (cpu->sockets && cpu->dies && cpu->cores && cpu->threads) {
        indentLine(kids, indent + 2);
        g_string_append_printf(
            kids, "<topology sockets='%u' dies='%u' cores='%u' threads='%u'/>\n",
            cpu->sockets, cpu->dies, cpu->cores, cpu->threads);
    }
    if (cpu->cache) {
        indentLine(kids, indent + 2);
        g_string_append(kids, "<cache ");
        if (cpu->cacheLevel != -1)
            g_string_append_printf(kids, "level='%d' ", cpu->cacheLevel);
        g_string_append_printf(kids, "mode='%s'/>\n", cacheModeNames[cpu->cacheMode]);
    }
    for (size_t i = 0; i < cpu->nfeatures; i++) {
        indentLine(kids, indent + 2);
        g_string_append_printf(kids, "<feature policy='%s' name='",
                               cpuFeaturePolicyNames[cpu->features[i].policy]);
        virDomainXMLEscape(kids, cpu->features[i].name);
        g_string_append(kids, "'/>\n");
    }

    if (extra)
        g_string_append(kids, extra);

    /* virXMLFormatElement: nothing at all for an empty element */
    if (!attrs->len && !kids->len)
        return;
    indentLine(buf, indent);
    g_string_append_printf(buf, "<cpu%s", attrs->str);
    if (!kids->len) {
        g_string_append(buf, "/>\n");
        return;
    }
    g_string_append(buf, ">\n");
    g_string_append(buf, kids->str);
    indentLine(buf, indent);
    g_string_append(buf, "</cpu>\n");
}
