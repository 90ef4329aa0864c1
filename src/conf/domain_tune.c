/* domain_tune.c: <cputune>, <memtune> and <resource> of a domain definition, and cpu lists */

#define G_LOG_DOMAIN "virtkit.conf.tune"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "domain_tune.h"
#include "virerror.h"
#include "virtypedparamlist.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* libvirt's VIR_DOMAIN_CPUMASK_LEN */
#define CPUMASK_LEN 1024

/* ---- cpu lists ---------------------------------------------------------- */

static bool
parseUInt(const char **p, unsigned long *v)
{
    char *end = NULL;

    if (!g_ascii_isdigit(**p))
        return false;
    errno = 0;
    *v = strtoul(*p, &end, 10);
    if (errno)
        return false;
    *p = end;
    return true;
}

unsigned char *
virDomainCpulistParse(const char *str, size_t maxbits, size_t *maplen)
{
    size_t len = (maxbits + 7) / 8;
    g_autofree unsigned char *map = g_new0(unsigned char, len);
    const char *p = str;
    bool any = false;

    while (p && *p) {
        bool neg = false;
        unsigned long a, b;

        while (g_ascii_isspace(*p))
            p++;
        if (*p == '^') {
            neg = true;
            p++;
        }
        if (!parseUInt(&p, &a))
            goto error;
        b = a;
        if (*p == '-' && !neg) {
            p++;
            if (!parseUInt(&p, &b) || b < a)
                goto error;
        }
        if (b >= maxbits)
            goto error;
        for (unsigned long i = a; i <= b; i++) {
            if (neg)
                map[i / 8] &= (unsigned char)~(1u << (i % 8));
            else
                map[i / 8] |= (unsigned char)(1u << (i % 8));
        }
        any = true;
        while (g_ascii_isspace(*p))
            p++;
        if (*p == ',')
            p++;
        else if (*p)
            goto error;
    }
    if (!any)
        goto error;
    *maplen = len;
    return g_steal_pointer(&map);

error:
    virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __func__,
                       "Failed to parse bitmap '%s'", str ? str : "");
    return NULL;
}

char *
virDomainCpulistFormat(const unsigned char *map, size_t maplen)
{
    GString *out = g_string_new(NULL);
    size_t nbits = maplen * 8;

    for (size_t i = 0; i < nbits; i++) {
        size_t j = i;

        if (!(map[i / 8] & (1u << (i % 8))))
            continue;
        while (j + 1 < nbits && (map[(j + 1) / 8] & (1u << ((j + 1) % 8))))
            j++;
        if (out->len)
            g_string_append_c(out, ',');
        if (j == i)
            g_string_append_printf(out, "%zu", i);
        else
            g_string_append_printf(out, "%zu-%zu", i, j);
        i = j;
    }
    return g_string_free(out, FALSE);
}

void
virDomainDefSetVcpuPin(virDomainDef *def, unsigned int vcpu, const char *cpulist)
{
    if (vcpu >= def->cputune.nvcpupin) {
        if (!cpulist)
            return;
        def->cputune.vcpupin = g_renew(char *, def->cputune.vcpupin, vcpu + 1);
        for (size_t i = def->cputune.nvcpupin; i <= vcpu; i++)
            def->cputune.vcpupin[i] = NULL;
        def->cputune.nvcpupin = vcpu + 1;
    }
    g_free(def->cputune.vcpupin[vcpu]);
    def->cputune.vcpupin[vcpu] = g_strdup(cpulist);
}

/* ---- lifetime ------------------------------------------------------------ */

void
virDomainTuneClear(virDomainDef *def)
{
    for (size_t i = 0; i < def->cputune.nvcpupin; i++)
        g_free(def->cputune.vcpupin[i]);
    g_clear_pointer(&def->cputune.vcpupin, g_free);
    def->cputune.nvcpupin = 0;
    g_clear_pointer(&def->cputune.emulatorpin, g_free);
    g_clear_pointer(&def->cputune.vcpuCpuset, g_free);
    g_clear_pointer(&def->resourcePartition, g_free);
    for (size_t i = 0; i < def->blkio.ndevices; i++)
        g_free(def->blkio.devices[i].path);
    g_clear_pointer(&def->blkio.devices, g_free);
    def->blkio.ndevices = 0;
    g_clear_pointer(&def->numatune.nodeset, g_free);
}

void
virDomainTuneCopy(virDomainDef *dst, const virDomainDef *src)
{
    dst->cputune = src->cputune;
    dst->cputune.vcpupin = NULL;
    dst->cputune.nvcpupin = 0;
    for (size_t i = 0; i < src->cputune.nvcpupin; i++)
        virDomainDefSetVcpuPin(dst, (unsigned int)i, src->cputune.vcpupin[i]);
    dst->cputune.emulatorpin = g_strdup(src->cputune.emulatorpin);
    dst->cputune.vcpuCpuset = g_strdup(src->cputune.vcpuCpuset);
    dst->resourcePartition = g_strdup(src->resourcePartition);
    dst->blkio = src->blkio;
    dst->blkio.devices =
        g_memdup2(src->blkio.devices, sizeof(*src->blkio.devices) * src->blkio.ndevices);
    for (size_t i = 0; i < src->blkio.ndevices; i++)
        dst->blkio.devices[i].path = g_strdup(src->blkio.devices[i].path);
    dst->numatune = src->numatune;
    dst->numatune.nodeset = g_strdup(src->numatune.nodeset);
}

/* ---- parse ---------------------------------------------------------------- */

/* An unsigned element of <cputune>: XML_ERROR "can't parse cputune NAME
 * value" when present but not a number. */
static int
parseTuneULL(xmlNodePtr parent, const char *elem, const char *what, unsigned long long *v)
{
    xmlNodePtr n = virDomainXMLChild(parent, elem);
    g_autofree char *text = NULL;

    if (!n)
        return 0;
    text = virDomainXMLNodeText(n);
    if (virDomainParseULL(g_strstrip(text), v) < 0) {
        virReportError(VIR_ERR_XML_ERROR, "can't parse cputune %s value", what);
        return -1;
    }
    return 1;
}

static int
parseTuneLL(xmlNodePtr parent, const char *elem, const char *what, long long *v)
{
    xmlNodePtr n = virDomainXMLChild(parent, elem);
    g_autofree char *text = NULL;
    char *end = NULL;

    if (!n)
        return 0;
    text = g_strstrip(virDomainXMLNodeText(n));
    errno = 0;
    *v = strtoll(text, &end, 10);
    if (!*text || errno || *end) {
        virReportError(VIR_ERR_XML_ERROR, "can't parse cputune %s value", what);
        return -1;
    }
    return 1;
}

static bool
hasProp(xmlNodePtr node, const char *name)
{
    g_autofree char *v = virDomainXMLProp(node, name);

    return v != NULL;
}

char *
virDomainParsePinCpuset(xmlNodePtr node)
{
    g_autofree char *cpuset = virDomainXMLProp(node, "cpuset");
    g_autofree unsigned char *map = NULL;
    size_t maplen = 0;
    g_autofree char *norm = NULL;

    if (!cpuset)
        return NULL;
    if (!(map = virDomainCpulistParse(cpuset, CPUMASK_LEN, &maplen)))
        return NULL;
    norm = virDomainCpulistFormat(map, maplen);
    if (!*norm) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Invalid value of 'cpuset': %s",
                       cpuset);
        return NULL;
    }
    return g_steal_pointer(&norm);
}

static int
parseCputune(virDomainDef *def, xmlNodePtr tune, GPtrArray *unknown, unsigned int flags,
             bool *failed)
{
    virDomainCputuneDef *ct = &def->cputune;
    int rc;

    if ((rc = parseTuneULL(tune, "shares", "shares", &ct->shares)) < 0)
        return -1;
    ct->sharesSpecified = rc == 1;
    if (parseTuneULL(tune, "period", "period", &ct->period) < 0 ||
        parseTuneLL(tune, "quota", "quota", &ct->quota) < 0 ||
        parseTuneULL(tune, "global_period", "global period", &ct->globalPeriod) < 0 ||
        parseTuneLL(tune, "global_quota", "global quota", &ct->globalQuota) < 0 ||
        parseTuneULL(tune, "emulator_period", "emulator period", &ct->emulatorPeriod) <
            0 ||
        parseTuneLL(tune, "emulator_quota", "emulator quota", &ct->emulatorQuota) < 0 ||
        parseTuneULL(tune, "iothread_period", "iothread period", &ct->iothreadPeriod) <
            0 ||
        parseTuneLL(tune, "iothread_quota", "iothread quota", &ct->iothreadQuota) < 0)
        return -1;

    for (xmlNodePtr cur = tune->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (virDomainXMLNodeIs(cur, "vcpupin")) {
            g_autofree char *id = virDomainXMLProp(cur, "vcpu");
            g_autofree char *list = NULL;
            unsigned long long vcpu;

            if (!id) {
                virReportErrorFull(
                    VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__, "%s",
                    "Missing required attribute 'vcpu' in element 'vcpupin'");
                return -1;
            }
            if (virDomainParseULL(id, &vcpu) < 0 || vcpu > G_MAXUINT) {
                virReportErrorFull(
                    VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                    "Invalid value for attribute 'vcpu' in element 'vcpupin': "
                    "'%s'. Expected non-negative integer value",
                    id);
                return -1;
            }
            if (vcpu >= def->vcpus) {
                /* libvirt: "Ignoring vcpupin for missing vcpus" (a warning) */
                g_debug("ignoring vcpupin for missing vcpu %llu", vcpu);
                continue;
            }
            if (vcpu < ct->nvcpupin && ct->vcpupin[vcpu]) {
                virReportError(VIR_ERR_INTERNAL_ERROR,
                               "duplicate vcpupin for vcpu '%llu'", vcpu);
                return -1;
            }
            if (!hasProp(cur, "cpuset")) {
                virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                               "missing cpuset for vcpupin");
                return -1;
            }
            if (!(list = virDomainParsePinCpuset(cur)))
                return -1;
            virDomainDefSetVcpuPin(def, (unsigned int)vcpu, list);
        } else if (virDomainXMLNodeIs(cur, "emulatorpin")) {
            if (ct->emulatorpin) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "only one emulatorpin is supported");
                return -1;
            }
            if (!hasProp(cur, "cpuset")) {
                virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                               "missing cpuset for emulatorpin");
                return -1;
            }
            if (!(ct->emulatorpin = virDomainParsePinCpuset(cur)))
                return -1;
        } else if (virDomainXMLNodeIs(cur, "iothreadpin")) {
            if (virDomainIOThreadPinParse(def, cur) < 0)
                return -1;
        } else if (!virDomainStrInList(
                       (const char *const[]){ "shares", "period", "quota",
                                              "global_period", "global_quota",
                                              "emulator_period", "emulator_quota",
                                              "iothread_period", "iothread_quota", NULL },
                       (const char *)cur->name)) {
            virDomainXMLRecordUnknown(unknown, "cputune", cur, flags, failed);
            if (*failed)
                return -1;
        }
    }
    return 0;
}

/* libvirt's virDomainDefCputuneValidate */
static int
validateCputune(const virDomainCputuneDef *ct)
{
    struct {
        const char *name;
        unsigned long long v;
    } periods[] = {
        { "period", ct->period },
        { "global_period", ct->globalPeriod },
        { "emulator_period", ct->emulatorPeriod },
        { "iothread_period", ct->iothreadPeriod },
    };
    struct {
        const char *name;
        long long v;
    } quotas[] = {
        { "quota", ct->quota },
        { "global_quota", ct->globalQuota },
        { "emulator_quota", ct->emulatorQuota },
        { "iothread_quota", ct->iothreadQuota },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(periods); i++) {
        if (periods[i].v > 0 && (periods[i].v < 1000 || periods[i].v > 1000000)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "Value of cputune '%s' must be in range [1000, 1000000]",
                           periods[i].name);
            return -1;
        }
    }
    for (size_t i = 0; i < G_N_ELEMENTS(quotas); i++) {
        if (quotas[i].v > 0 && (quotas[i].v < 1000 || quotas[i].v > 17592186044415LL)) {
            virReportError(
                VIR_ERR_CONFIG_UNSUPPORTED,
                "Value of cputune '%s' must be in range [1000, 17592186044415]",
                quotas[i].name);
            return -1;
        }
    }
    return 0;
}

static int
parseMemtuneLimit(xmlNodePtr tune, const char *elem, unsigned long long *kib)
{
    xmlNodePtr n = virDomainXMLChild(tune, elem);
    g_autofree char *text = NULL;
    g_autofree char *unit = NULL;
    unsigned long long v;

    if (!n)
        return 0;
    text = g_strstrip(virDomainXMLNodeText(n));
    unit = virDomainXMLProp(n, "unit");
    if (virDomainParseULL(text, &v) < 0) {
        virReportErrorFull(
            VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
            "Invalid value '%s' for element or attribute './memtune/%s[1]'", text, elem);
        return -1;
    }
    if (virDomainScaleInteger(&v, unit ? unit : "KiB", G_MAXUINT64) < 0)
        return -1;
    /* bytes to KiB, rounded up as libvirt's virDomainParseMemory */
    v = v / 1024 + (v % 1024 ? 1 : 0);
    *kib = MIN(v, VIR_DOMAIN_TUNE_UNLIMITED);
    return 0;
}

static const char *const numatuneModeNames[] = { "strict", "preferred", "interleave",
                                                 "restrictive", NULL };

const char *
virDomainNumatuneModeToString(int mode)
{
    if (mode < 0 || mode >= (int)G_N_ELEMENTS(numatuneModeNames) - 1)
        return NULL;
    return numatuneModeNames[mode];
}

static const char *
blkioFieldText(const char *name)
{
    if (strcmp(name, "weight") == 0)
        return "weight";
    if (strcmp(name, "read_iops_sec") == 0)
        return "read iops sec";
    if (strcmp(name, "write_iops_sec") == 0)
        return "write iops sec";
    if (strcmp(name, "read_bytes_sec") == 0)
        return "read bytes sec";
    return "write bytes sec";
}

static int
parseBlkioDevice(virDomainDef *def, xmlNodePtr dev)
{
    virDomainBlkioDeviceDef d = { 0 };

    for (xmlNodePtr c = dev->children; c; c = c->next) {
        g_autofree char *text = NULL;
        unsigned long long v;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        text = g_strstrip(virDomainXMLNodeText(c));
        if (virDomainXMLNodeIs(c, "path")) {
            g_free(d.path);
            d.path = g_steal_pointer(&text);
            continue;
        }
        if (!virDomainStrInList((const char *const[]){ "weight", "read_iops_sec",
                                                       "write_iops_sec", "read_bytes_sec",
                                                       "write_bytes_sec", NULL },
                                (const char *)c->name))
            continue;
        if (virDomainParseULL(text, &v) < 0 ||
            (!g_str_has_suffix((const char *)c->name, "bytes_sec") && v > G_MAXUINT)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "could not parse %s %s",
                           blkioFieldText((const char *)c->name), text);
            g_free(d.path);
            return -1;
        }
        if (virDomainXMLNodeIs(c, "weight"))
            d.weight = (unsigned int)v;
        else if (virDomainXMLNodeIs(c, "read_iops_sec"))
            d.riops = (unsigned int)v;
        else if (virDomainXMLNodeIs(c, "write_iops_sec"))
            d.wiops = (unsigned int)v;
        else if (virDomainXMLNodeIs(c, "read_bytes_sec"))
            d.rbps = v;
        else
            d.wbps = v;
    }
    if (!d.path) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "missing per-device path");
        return -1;
    }
    for (size_t i = 0; i < def->blkio.ndevices; i++) {
        if (strcmp(def->blkio.devices[i].path, d.path) == 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "duplicate blkio device path '%s'",
                           d.path);
            g_free(d.path);
            return -1;
        }
    }
    def->blkio.devices =
        g_renew(virDomainBlkioDeviceDef, def->blkio.devices, def->blkio.ndevices + 1);
    def->blkio.devices[def->blkio.ndevices++] = d;
    return 0;
}

/* <numatune><memnode>s, refused with automatic placement (libvirt's
 * virDomainNumatuneNodeParseXML) */
static int
parseMemnodes(virDomainDef *def, xmlNodePtr tune)
{
    if (def->numatune.set && def->numatune.autoPlace &&
        virDomainXMLChild(tune, "memnode")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "Per-node binding is not compatible with automatic NUMA "
                       "placement.");
        return -1;
    }
    return virDomainNumaMemnodeParse(def, tune);
}

static int
parseNumatune(virDomainDef *def, xmlNodePtr tune, GPtrArray *unknown, unsigned int flags,
              bool *failed)
{
    xmlNodePtr mem = virDomainXMLChild(tune, "memory");
    g_autofree char *mode = NULL;
    g_autofree char *placement = NULL;
    g_autofree char *nodeset = NULL;

    for (xmlNodePtr cur = tune->children; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE && !virDomainXMLNodeIs(cur, "memory") &&
            !virDomainXMLNodeIs(cur, "memnode")) {
            virDomainXMLRecordUnknown(unknown, "numatune", cur, flags, failed);
            if (*failed)
                return -1;
        }
    }
    /* libvirt's virDomainNumatuneParseXML: with automatic vCPU placement
     * the memory is placed automatically too unless a nodeset says where */
    if (!mem) {
        if (def->vcpuPlacementAuto) {
            def->numatune.set = true;
            def->numatune.autoPlace = true;
        }
        return parseMemnodes(def, tune);
    }
    mode = virDomainXMLProp(mem, "mode");
    placement = virDomainXMLProp(mem, "placement");
    nodeset = virDomainXMLProp(mem, "nodeset");
    def->numatune.set = true;
    if (mode) {
        int m = virDomainEnumFromString(numatuneModeNames, 4, mode);

        if (m < 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "Unsupported NUMA memory tuning mode '%s'", mode);
            return -1;
        }
        def->numatune.mode = m;
    }
    if (placement && strcmp(placement, "auto") != 0 && strcmp(placement, "static") != 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Unsupported NUMA memory placement mode '%s'", placement);
        return -1;
    }
    if (nodeset) {
        g_autofree unsigned char *map = NULL;
        size_t maplen = 0;

        if (!(map = virDomainCpulistParse(nodeset, CPUMASK_LEN, &maplen)))
            return -1;
        def->numatune.nodeset = virDomainCpulistFormat(map, maplen);
        if (!*def->numatune.nodeset) {
            virReportError(VIR_ERR_XML_ERROR, "Invalid nodeset of 'numatune': %s",
                           nodeset);
            return -1;
        }
    }
    /* no placement: static with a nodeset or static vCPUs, else auto */
    if (placement)
        def->numatune.autoPlace = g_str_equal(placement, "auto");
    else
        def->numatune.autoPlace = !def->numatune.nodeset && def->vcpuPlacementAuto;
    if (def->numatune.autoPlace && def->numatune.nodeset)
        g_clear_pointer(&def->numatune.nodeset, g_free);
    if (!def->numatune.autoPlace && !def->numatune.nodeset) {
        virReportError(
            VIR_ERR_CONFIG_UNSUPPORTED, "%s",
            "nodeset for NUMA memory tuning must be set if 'placement' is 'static'");
        return -1;
    }
    return parseMemnodes(def, tune);
}

int
virDomainTuneParse(virDomainDef *def, xmlNodePtr root, GPtrArray *unknown,
                   unsigned int flags, bool *failed)
{
    xmlNodePtr node;

    if ((node = virDomainXMLChild(root, "blkiotune"))) {
        xmlNodePtr w = virDomainXMLChild(node, "weight");

        if (w) {
            g_autofree char *text = g_strstrip(virDomainXMLNodeText(w));
            unsigned long long v;

            /* libvirt: an unparsable weight is 0 */
            if (virDomainParseULL(text, &v) == 0 && v <= G_MAXUINT)
                def->blkio.weight = (unsigned int)v;
        }
        for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
            if (cur->type != XML_ELEMENT_NODE || virDomainXMLNodeIs(cur, "weight"))
                continue;
            if (virDomainXMLNodeIs(cur, "device")) {
                if (parseBlkioDevice(def, cur) < 0)
                    return -1;
                continue;
            }
            virDomainXMLRecordUnknown(unknown, "blkiotune", cur, flags, failed);
            if (*failed)
                return -1;
        }
    }
    if ((node = virDomainXMLChild(root, "numatune")) &&
        parseNumatune(def, node, unknown, flags, failed) < 0)
        return -1;
    /* libvirt: vCPUs placed by numad place the memory too (strict) */
    if (!node && def->vcpuPlacementAuto) {
        def->numatune.set = true;
        def->numatune.autoPlace = true;
    }

    if ((node = virDomainXMLChild(root, "memtune"))) {
        if (parseMemtuneLimit(node, "hard_limit", &def->mem.hardLimit) < 0 ||
            parseMemtuneLimit(node, "soft_limit", &def->mem.softLimit) < 0 ||
            parseMemtuneLimit(node, "swap_hard_limit", &def->mem.swapHardLimit) < 0 ||
            parseMemtuneLimit(node, "min_guarantee", &def->mem.minGuarantee) < 0)
            return -1;
        for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
            if (cur->type == XML_ELEMENT_NODE &&
                !virDomainStrInList((const char *const[]){ "hard_limit", "soft_limit",
                                                           "swap_hard_limit",
                                                           "min_guarantee", NULL },
                                    (const char *)cur->name)) {
                virDomainXMLRecordUnknown(unknown, "memtune", cur, flags, failed);
                if (*failed)
                    return -1;
            }
        }
    }
    if ((node = virDomainXMLChild(root, "cputune"))) {
        if (parseCputune(def, node, unknown, flags, failed) < 0)
            return -1;
        if (validateCputune(&def->cputune) < 0)
            return -1;
    }
    if ((node = virDomainXMLChild(root, "resource"))) {
        xmlNodePtr part = virDomainXMLChild(node, "partition");

        if (part) {
            def->resourcePartition = virDomainXMLNodeTextNonEmpty(part);
        }
        for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
            if (cur->type == XML_ELEMENT_NODE && !virDomainXMLNodeIs(cur, "partition")) {
                virDomainXMLRecordUnknown(unknown, "resource", cur, flags, failed);
                if (*failed)
                    return -1;
            }
        }
    }
    return 0;
}

/* ---- format ----------------------------------------------------------------- */

static void
indentTo(GString *buf, int indent)
{
    for (int i = 0; i < indent; i++)
        g_string_append_c(buf, ' ');
}

static bool
limitIsSet(unsigned long long v)
{
    return v != 0 && v != VIR_DOMAIN_TUNE_UNLIMITED;
}

void
virDomainTuneFormat(GString *buf, int indent, const virDomainDef *def, char what)
{
    const virDomainCputuneDef *ct = &def->cputune;
    const virDomainMemtuneDef *m = &def->mem;
    g_autoptr(GString) body = g_string_new(NULL);

    if (what == 'm') {
        struct {
            const char *name;
            unsigned long long v;
        } lim[] = {
            { "hard_limit", m->hardLimit },
            { "soft_limit", m->softLimit },
            { "min_guarantee", m->minGuarantee },
            { "swap_hard_limit", m->swapHardLimit },
        };

        for (size_t i = 0; i < G_N_ELEMENTS(lim); i++) {
            if (!limitIsSet(lim[i].v))
                continue;
            indentTo(body, indent + 2);
            g_string_append_printf(body, "<%s unit='KiB'>%llu</%s>\n", lim[i].name,
                                   lim[i].v, lim[i].name);
        }
        if (!body->len)
            return;
        indentTo(buf, indent);
        g_string_append(buf, "<memtune>\n");
        g_string_append(buf, body->str);
        indentTo(buf, indent);
        g_string_append(buf, "</memtune>\n");
        return;
    }
    if (what == 'b') {
        const virDomainBlkiotuneDef *b = &def->blkio;

        if (b->weight) {
            indentTo(body, indent + 2);
            g_string_append_printf(body, "<weight>%u</weight>\n", b->weight);
        }
        for (size_t i = 0; i < b->ndevices; i++) {
            const virDomainBlkioDeviceDef *d = &b->devices[i];

            if (!d->weight && !d->riops && !d->wiops && !d->rbps && !d->wbps)
                continue;
            indentTo(body, indent + 2);
            g_string_append(body, "<device>\n");
            indentTo(body, indent + 4);
            g_string_append(body, "<path>");
            virDomainXMLEscape(body, d->path);
            g_string_append(body, "</path>\n");
#define DEVFIELD(cond, tag, fmt, v)                                      \
    if (cond) {                                                          \
        indentTo(body, indent + 4);                                      \
        g_string_append_printf(body, "<" tag ">" fmt "</" tag ">\n", v); \
    }
            DEVFIELD(d->weight, "weight", "%u", d->weight);
            DEVFIELD(d->riops, "read_iops_sec", "%u", d->riops);
            DEVFIELD(d->wiops, "write_iops_sec", "%u", d->wiops);
            DEVFIELD(d->rbps, "read_bytes_sec", "%llu", d->rbps);
            DEVFIELD(d->wbps, "write_bytes_sec", "%llu", d->wbps);
#undef DEVFIELD
            indentTo(body, indent + 2);
            g_string_append(body, "</device>\n");
        }
        if (!body->len)
            return;
        indentTo(buf, indent);
        g_string_append(buf, "<blkiotune>\n");
        g_string_append(buf, body->str);
        indentTo(buf, indent);
        g_string_append(buf, "</blkiotune>\n");
        return;
    }
    if (what == 'n') {
        const virDomainNumatuneDef *n = &def->numatune;

        if (!n->set && !virDomainNumaHasMemnodes(def))
            return;
        indentTo(buf, indent);
        g_string_append(buf, "<numatune>\n");
        if (n->set) {
            indentTo(buf, indent + 2);
            g_string_append_printf(buf, "<memory mode='%s'",
                                   virDomainNumatuneModeToString(n->mode));
            if (n->autoPlace)
                g_string_append(buf, " placement='auto'");
            else
                g_string_append_printf(buf, " nodeset='%s'", n->nodeset);
            g_string_append(buf, "/>\n");
        }
        virDomainNumatuneMemnodesFormat(buf, def, indent + 2);
        indentTo(buf, indent);
        g_string_append(buf, "</numatune>\n");
        return;
    }
    if (what == 'r') {
        if (!def->resourcePartition)
            return;
        indentTo(buf, indent);
        g_string_append(buf, "<resource>\n");
        indentTo(buf, indent + 2);
        g_string_append(buf, "<partition>");
        virDomainXMLEscape(buf, def->resourcePartition);
        g_string_append(buf, "</partition>\n");
        indentTo(buf, indent);
        g_string_append(buf, "</resource>\n");
        return;
    }

#define ULL(cond, tag, v)                                                             \
    if (cond) {                                                                       \
        indentTo(body, indent + 2);                                                   \
        g_string_append_printf(body, "<%s>%llu</%s>\n", tag, (unsigned long long)(v), \
                               tag);                                                  \
    }
#define LL(tag, v)                                                                 \
    if (v) {                                                                       \
        indentTo(body, indent + 2);                                                \
        g_string_append_printf(body, "<%s>%lld</%s>\n", tag, (long long)(v), tag); \
    }
    ULL(ct->sharesSpecified, "shares", ct->shares);
    ULL(ct->period, "period", ct->period);
    LL("quota", ct->quota);
    ULL(ct->globalPeriod, "global_period", ct->globalPeriod);
    LL("global_quota", ct->globalQuota);
    ULL(ct->emulatorPeriod, "emulator_period", ct->emulatorPeriod);
    LL("emulator_quota", ct->emulatorQuota);
    ULL(ct->iothreadPeriod, "iothread_period", ct->iothreadPeriod);
    LL("iothread_quota", ct->iothreadQuota);
#undef ULL
#undef LL
    for (size_t i = 0; i < ct->nvcpupin && i < def->vcpus; i++) {
        if (!ct->vcpupin[i])
            continue;
        indentTo(body, indent + 2);
        g_string_append_printf(body, "<vcpupin vcpu='%zu' cpuset='%s'/>\n", i,
                               ct->vcpupin[i]);
    }
    if (ct->emulatorpin) {
        indentTo(body, indent + 2);
        g_string_append_printf(body, "<emulatorpin cpuset='%s'/>\n", ct->emulatorpin);
    }
    virDomainIOThreadPinsFormat(body, indent + 2, def);
    if (!body->len)
        return;
    indentTo(buf, indent);
    g_string_append(buf, "<cputune>\n");
    g_string_append(buf, body->str);
    indentTo(buf, indent);
    g_string_append(buf, "</cputune>\n");
}

/* ---- typed-parameter helpers shared by the drivers ---------------------------- */

void
virDomainBlkioDevicesFree(virDomainBlkioDeviceDef *devs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        g_free(devs[i].path);
    g_free(devs);
}

/* strtoul/strtoull without a sign, as libvirt's virStrToLong_uip/_ullp. */
static bool
parseBlkioNumber(const char *s, bool wide, unsigned long long *v, const char **end)
{
    char *e = NULL;

    if (!g_ascii_isdigit(*s) && *s != ' ' && *s != '+')
        return false;
    errno = 0;
    *v = strtoull(s, &e, 10);
    if (errno || e == s || (!wide && *v > G_MAXUINT))
        return false;
    *end = e;
    return true;
}

int
virDomainBlkioDevicesParseStr(const char *str, const char *type,
                              virDomainBlkioDeviceDef **devs, size_t *n)
{
    virDomainBlkioDeviceDef *out = NULL;
    size_t count = 0, nsep = 0;
    const char *temp = str;
    bool wide = g_str_has_suffix(type, "bytes_sec");

    *devs = NULL;
    *n = 0;
    if (!*str)
        return 0;
    for (const char *p = str; *p; p++)
        nsep += *p == ',';
    if (nsep % 2 == 0)
        goto parse_error;
    out = g_new0(virDomainBlkioDeviceDef, (nsep + 1) / 2);
    while (count < (nsep + 1) / 2) {
        const char *p = strchr(temp, ',');
        const char *end = NULL;
        unsigned long long v;

        if (!p)
            goto parse_error;
        out[count].path = g_strndup(temp, p - temp);
        temp = p + 1;
        if (!parseBlkioNumber(temp, wide, &v, &end)) {
            virReportErrorFull(VIR_FROM_THIS, VIR_ERR_INVALID_ARG, __func__,
                               "invalid value '%s' for parameter '%s' of device '%s'",
                               temp, type, out[count].path);
            virDomainBlkioDevicesFree(out, count + 1);
            return -1;
        }
        if (strcmp(type, "device_weight") == 0)
            out[count].weight = (unsigned int)v;
        else if (strcmp(type, "device_read_iops_sec") == 0)
            out[count].riops = (unsigned int)v;
        else if (strcmp(type, "device_write_iops_sec") == 0)
            out[count].wiops = (unsigned int)v;
        else if (strcmp(type, "device_read_bytes_sec") == 0)
            out[count].rbps = v;
        else
            out[count].wbps = v;
        count++;
        if (*end == '\0')
            break;
        if (*end != ',')
            goto parse_error;
        temp = end + 1;
    }
    *devs = out;
    *n = count;
    return 0;

parse_error:
    virDomainBlkioDevicesFree(out, count);
    virReportErrorFull(VIR_FROM_THIS, VIR_ERR_INVALID_ARG, __func__,
                       "unable to parse blkio device '%s' '%s'", type, str);
    return -1;
}

void
virDomainBlkioDevicesMerge(virDomainBlkiotuneDef *b, const virDomainBlkioDeviceDef *devs,
                           size_t n, const char *type)
{
    for (size_t i = 0; i < n; i++) {
        const virDomainBlkioDeviceDef *src = &devs[i];
        virDomainBlkioDeviceDef *dst = NULL;

        for (size_t j = 0; j < b->ndevices; j++) {
            if (strcmp(b->devices[j].path, src->path) == 0) {
                dst = &b->devices[j];
                break;
            }
        }
        if (!dst) {
            if (!src->weight && !src->riops && !src->wiops && !src->rbps && !src->wbps)
                continue;
            b->devices = g_renew(virDomainBlkioDeviceDef, b->devices, b->ndevices + 1);
            dst = &b->devices[b->ndevices++];
            memset(dst, 0, sizeof(*dst));
            dst->path = g_strdup(src->path);
        }
        if (strcmp(type, "device_weight") == 0)
            dst->weight = src->weight;
        else if (strcmp(type, "device_read_iops_sec") == 0)
            dst->riops = src->riops;
        else if (strcmp(type, "device_write_iops_sec") == 0)
            dst->wiops = src->wiops;
        else if (strcmp(type, "device_read_bytes_sec") == 0)
            dst->rbps = src->rbps;
        else
            dst->wbps = src->wbps;
    }
}

char *
virDomainBlkioDevicesFormatStr(const virDomainBlkiotuneDef *b, const char *type)
{
    GString *out = g_string_new(NULL);

    for (size_t i = 0; i < b->ndevices; i++) {
        const virDomainBlkioDeviceDef *d = &b->devices[i];
        unsigned long long v = strcmp(type, "device_weight") == 0           ? d->weight
                               : strcmp(type, "device_read_iops_sec") == 0  ? d->riops
                               : strcmp(type, "device_write_iops_sec") == 0 ? d->wiops
                               : strcmp(type, "device_read_bytes_sec") == 0 ? d->rbps
                                                                            : d->wbps;

        if (!v)
            continue;
        g_string_append_printf(out, "%s%s,%llu", out->len ? "," : "", d->path, v);
    }
    return g_string_free(out, FALSE);
}

const char *const virDomainBlkioParamNames[VIR_DOMAIN_BLKIO_NPARAMS + 1] = {
    VIR_DOMAIN_BLKIO_WEIGHT,
    VIR_DOMAIN_BLKIO_DEVICE_WEIGHT,
    VIR_DOMAIN_BLKIO_DEVICE_READ_IOPS,
    VIR_DOMAIN_BLKIO_DEVICE_WRITE_IOPS,
    VIR_DOMAIN_BLKIO_DEVICE_READ_BPS,
    VIR_DOMAIN_BLKIO_DEVICE_WRITE_BPS,
    NULL,
};
const int virDomainBlkioParamTypes[VIR_DOMAIN_BLKIO_NPARAMS] = {
    VIR_TYPED_PARAM_UINT,   VIR_TYPED_PARAM_STRING, VIR_TYPED_PARAM_STRING,
    VIR_TYPED_PARAM_STRING, VIR_TYPED_PARAM_STRING, VIR_TYPED_PARAM_STRING,
};

int
virDomainBlkioParamParse(const virTypedParameter *p, virDomainBlkioDeviceDef **parsed,
                         size_t *nparsed)
{
    for (size_t k = 1; virDomainBlkioParamNames[k]; k++) {
        if (strcmp(p->field, virDomainBlkioParamNames[k]) == 0)
            return virDomainBlkioDevicesParseStr(p->value.s, virDomainBlkioParamNames[k],
                                                 &parsed[k], &nparsed[k]);
    }
    return 0;
}

int
virDomainBlkioParamsFormat(const virDomainBlkiotuneDef *b, unsigned int weight,
                           virTypedParameterPtr params, int maxparams)
{
    int n = 0;

    virTypedParameterSet(&params[n++], VIR_DOMAIN_BLKIO_WEIGHT, VIR_TYPED_PARAM_UINT,
                         weight, NULL);
    for (size_t k = 1; virDomainBlkioParamNames[k] && n < maxparams; k++) {
        g_autofree char *s =
            virDomainBlkioDevicesFormatStr(b, virDomainBlkioParamNames[k]);

        virTypedParameterSet(&params[n++], virDomainBlkioParamNames[k],
                             VIR_TYPED_PARAM_STRING, 0, s);
    }
    return n;
}

int
virDomainNumatuneCheckParams(virTypedParameterPtr params, int nparams, int *mode,
                             char **nodeset)
{
    *mode = -1;
    *nodeset = NULL;
    for (int i = 0; i < nparams; i++) {
        if (strcmp(params[i].field, "numa_mode") == 0) {
            if (params[i].value.i < 0 || params[i].value.i > 3) {
                virReportError(VIR_ERR_INVALID_ARG, "unsupported numatune mode: '%d'",
                               params[i].value.i);
                goto error;
            }
            *mode = params[i].value.i;
        } else if (strcmp(params[i].field, "numa_nodeset") == 0) {
            g_autofree unsigned char *map = NULL;
            size_t maplen = 0;

            if (!(map = virDomainCpulistParse(params[i].value.s, CPUMASK_LEN, &maplen)))
                goto error;
            g_free(*nodeset);
            *nodeset = virDomainCpulistFormat(map, maplen);
            if (!**nodeset) {
                virReportError(VIR_ERR_OPERATION_INVALID,
                               "Invalid nodeset of 'numatune': %s", params[i].value.s);
                goto error;
            }
        }
    }
    return 0;

error:
    g_clear_pointer(nodeset, g_free);
    return -1;
}

int
virDomainNumatuneApply(virDomainDef *def, int mode, const char *nodeset)
{
    virDomainNumatuneDef *n = &def->numatune;

    if (!nodeset && !n->nodeset) {
        virReportError(
            VIR_ERR_CONFIG_UNSUPPORTED, "%s",
            "nodeset for NUMA memory tuning must be set if 'placement' is 'static'");
        return -1;
    }
    if (nodeset) {
        g_free(n->nodeset);
        n->nodeset = g_strdup(nodeset);
    }
    if (mode != -1)
        n->mode = mode;
    n->autoPlace = false;
    n->set = true;
    return 0;
}
