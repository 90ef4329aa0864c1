/* domain_numa_conf.c: guest NUMA cells, <memoryBacking>, <maxMemory> and <numatune><memnode>, as libvirt 9.0 reads and writes them */

#define G_LOG_DOMAIN "virtkit.conf.numa"

#include <string.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"

/* libvirt's numa_conf.c and domain_conf.c report in VIR_FROM_DOMAIN; its
 * virXMLProp* helpers (the attribute messages) in VIR_FROM_XML. */
#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* libvirt's VIR_DOMAIN_CPUMASK_LEN, LOCAL_DISTANCE, REMOTE_DISTANCE, UNREACHABLE */
#define NUMA_MASK_LEN 1024
#define NUMA_LOCAL_DISTANCE 10
#define NUMA_REMOTE_DISTANCE 20
#define NUMA_UNREACHABLE 255

static const char *const memAccessNames[VIR_DOMAIN_MEMORY_ACCESS_LAST] = {
    "default",
    "shared",
    "private",
};
static const char *const memSourceNames[VIR_DOMAIN_MEMORY_SOURCE_LAST] = {
    "none",
    "file",
    "anonymous",
    "memfd",
};
static const char *const memAllocationNames[VIR_DOMAIN_MEMORY_ALLOCATION_LAST] = {
    "none",
    "immediate",
    "ondemand",
};
static const char *const numatuneModeNames[] = { "strict", "preferred", "interleave",
                                                 "restrictive" };
static const char *const noAttrs[] = { NULL };

const char *
virDomainMemoryAccessToString(int access)
{
    return virDomainEnumToString(memAccessNames, VIR_DOMAIN_MEMORY_ACCESS_LAST, access);
}

const char *
virDomainMemorySourceToString(int source)
{
    return virDomainEnumToString(memSourceNames, VIR_DOMAIN_MEMORY_SOURCE_LAST, source);
}

/* ---- lifetime ------------------------------------------------------------ */

void
virDomainNumaClear(virDomainDef *def)
{
    for (size_t i = 0; i < def->nnumaCells; i++) {
        g_free(def->numaCells[i].cpus);
        g_free(def->numaCells[i].distances);
        g_free(def->numaCells[i].memnodeNodeset);
    }
    g_clear_pointer(&def->numaCells, g_free);
    def->nnumaCells = 0;
    for (size_t i = 0; i < def->memBacking.nhugepages; i++)
        g_free(def->memBacking.hugepages[i].nodeset);
    g_clear_pointer(&def->memBacking.hugepages, g_free);
    def->memBacking.nhugepages = 0;
}

void
virDomainNumaCopy(virDomainDef *dst, const virDomainDef *src)
{
    dst->numaCells = src->nnumaCells ? g_new0(virDomainNumaCell, src->nnumaCells) : NULL;
    for (size_t i = 0; i < src->nnumaCells; i++) {
        const virDomainNumaCell *s = &src->numaCells[i];
        virDomainNumaCell *d = &dst->numaCells[i];

        *d = *s;
        d->cpus = g_strdup(s->cpus);
        d->memnodeNodeset = g_strdup(s->memnodeNodeset);
        d->distances =
            s->distances ? g_memdup2(s->distances, src->nnumaCells * sizeof(unsigned int))
                         : NULL;
    }
    dst->memBacking.hugepages =
        src->memBacking.nhugepages ? g_new0(virDomainHugePage, src->memBacking.nhugepages)
                                   : NULL;
    for (size_t i = 0; i < src->memBacking.nhugepages; i++) {
        dst->memBacking.hugepages[i].size = src->memBacking.hugepages[i].size;
        dst->memBacking.hugepages[i].nodeset =
            g_strdup(src->memBacking.hugepages[i].nodeset);
    }
}

/* ---- queries ------------------------------------------------------------- */

unsigned long long
virDomainNumaTotalMemory(const virDomainDef *def)
{
    unsigned long long sum = 0;

    for (size_t i = 0; i < def->nnumaCells; i++)
        sum += def->numaCells[i].memory;
    return sum;
}

bool
virDomainNumaHasDistances(const virDomainDef *def)
{
    for (size_t i = 0; i < def->nnumaCells; i++) {
        if (def->numaCells[i].distances)
            return true;
    }
    return false;
}

unsigned int
virDomainNumaDistance(const virDomainDef *def, size_t i, size_t j)
{
    const unsigned int *d = i < def->nnumaCells ? def->numaCells[i].distances : NULL;

    if (d && j < def->nnumaCells && d[j])
        return d[j];
    return i == j ? NUMA_LOCAL_DISTANCE : NUMA_REMOTE_DISTANCE;
}

/* Is bit @bit set in the normalized list @list ("0-2,5")? */
static bool
listHasBit(const char *list, size_t bit)
{
    g_autofree unsigned char *map = NULL;
    size_t maplen = 0;

    if (!list || !(map = virDomainCpulistParse(list, NUMA_MASK_LEN, &maplen)))
        return false;
    return bit / 8 < maplen && (map[bit / 8] & (1u << (bit % 8)));
}

unsigned long long
virDomainMemoryBackingPageSize(const virDomainDef *def, gssize cell, bool *set)
{
    const virDomainHugePage *master = NULL;

    *set = false;
    for (size_t i = 0; i < def->memBacking.nhugepages; i++) {
        const virDomainHugePage *p = &def->memBacking.hugepages[i];

        if (!p->nodeset) {
            master = p;
            continue;
        }
        if (cell >= 0 && listHasBit(p->nodeset, (size_t)cell)) {
            *set = true;
            return p->size;
        }
    }
    if (!master)
        return 0;
    *set = true;
    return master->size;
}

/* ---- parsing helpers ----------------------------------------------------- */

/* libvirt's virXMLPropUInt (base 10): 1 parsed, 0 absent (unless
 * @required: missing-attribute error), -1 with its XML_ERROR. */
static int
propUInt(xmlNodePtr node, const char *name, bool required, unsigned int *out)
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
    *out = (unsigned int)val;
    return 1;
}

/* libvirt's virDomainParseMemory on a value attribute @attr with unit
 * attribute 'unit' (default KiB): KiB rounded up into *@kib; @xpath names
 * it in the messages ("./@memory"). Absent: 0 and *@kib 0 unless @required. */
static int
propMemory(xmlNodePtr node, const char *attr, const char *xpath, bool required,
           unsigned long long *kib)
{
    g_autofree char *str = virDomainXMLProp(node, attr);
    g_autofree char *unit = NULL;
    unsigned long long bytes;

    *kib = 0;
    if (!str) {
        if (!required)
            return 0;
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "missing element or attribute '%s'", xpath);
        return -1;
    }
    if (virDomainParseULL(str, &bytes) < 0) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value '%s' for element or attribute '%s'", str,
                           xpath);
        return -1;
    }
    unit = virDomainXMLProp(node, "unit");
    if (virDomainScaleInteger(&bytes, unit ? unit : "KiB",
                              (unsigned long long)G_MAXINT64) < 0)
        return -1;
    *kib = bytes / 1024 + (bytes % 1024 ? 1 : 0);
    return 1;
}

/* A node or cpu list attribute, normalized ("0-1,3"); NULL in *@out when
 * absent. An all-clear list is *@out "" (the caller decides). */
static int
propList(xmlNodePtr node, const char *name, char **out)
{
    g_autofree char *str = virDomainXMLProp(node, name);
    g_autofree unsigned char *map = NULL;
    size_t maplen = 0;

    *out = NULL;
    if (!str)
        return 0;
    if (!(map = virDomainCpulistParse(str, NUMA_MASK_LEN, &maplen)))
        return -1;
    *out = virDomainCpulistFormat(map, maplen);
    return 1;
}

static bool
listsOverlap(const char *a, const char *b)
{
    g_autofree unsigned char *ma = NULL;
    g_autofree unsigned char *mb = NULL;
    size_t la = 0;
    size_t lb = 0;

    if (!a || !b || !(ma = virDomainCpulistParse(a, NUMA_MASK_LEN, &la)) ||
        !(mb = virDomainCpulistParse(b, NUMA_MASK_LEN, &lb)))
        return false;
    for (size_t i = 0; i < la && i < lb; i++) {
        if (ma[i] & mb[i])
            return true;
    }
    return false;
}

/* Number of set bits and the highest one (-1 when none) of a list. */
static size_t
listCount(const char *list, gssize *last)
{
    g_autofree unsigned char *map = NULL;
    size_t maplen = 0;
    size_t n = 0;

    *last = -1;
    if (!list || !(map = virDomainCpulistParse(list, NUMA_MASK_LEN, &maplen)))
        return 0;
    for (size_t i = 0; i < maplen * 8; i++) {
        if (map[i / 8] & (1u << (i % 8))) {
            n++;
            *last = (gssize)i;
        }
    }
    return n;
}

/* ---- <cpu><numa> ------------------------------------------------------- */

static int
parseDistances(virDomainDef *def, xmlNodePtr cellNode, unsigned int cur)
{
    xmlNodePtr dist = virDomainXMLChild(cellNode, "distances");
    size_t n = def->nnumaCells;
    size_t nsiblings = 0;

    if (!dist)
        return 0;
    for (xmlNodePtr s = dist->children; s; s = s->next) {
        if (virDomainXMLNodeIs(s, "sibling"))
            nsiblings++;
    }
    if (!nsiblings) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "NUMA distances defined without siblings");
        return -1;
    }
    for (xmlNodePtr s = dist->children; s; s = s->next) {
        unsigned int id;
        unsigned int value;
        unsigned int **local = &def->numaCells[cur].distances;
        unsigned int **remote;

        if (!virDomainXMLNodeIs(s, "sibling"))
            continue;
        if (propUInt(s, "id", true, &id) < 0)
            return -1;
        if (id >= n) {
            virReportError(VIR_ERR_XML_ERROR,
                           "'sibling_id %d' does not refer to a valid cell within NUMA "
                           "'cell id %d'",
                           (int)id, (int)cur);
            return -1;
        }
        if (propUInt(s, "value", true, &value) < 0)
            return -1;
        if (value < NUMA_LOCAL_DISTANCE || value > NUMA_UNREACHABLE ||
            (id == cur && value != NUMA_LOCAL_DISTANCE) ||
            (id != cur && value == NUMA_LOCAL_DISTANCE)) {
            virReportError(VIR_ERR_XML_ERROR,
                           "'value %d' is invalid for 'sibling id %d' under NUMA "
                           "'cell id %d'",
                           (int)value, (int)id, (int)cur);
            return -1;
        }
        if (!*local) {
            *local = g_new0(unsigned int, n);
            (*local)[cur] = NUMA_LOCAL_DISTANCE;
        }
        (*local)[id] = value;
        /* libvirt makes the distances symmetric where the other cell
         * does not say otherwise */
        remote = &def->numaCells[id].distances;
        if (!*remote) {
            *remote = g_new0(unsigned int, n);
            (*remote)[id] = NUMA_LOCAL_DISTANCE;
        }
        if (!(*remote)[cur])
            (*remote)[cur] = value;
    }
    return 0;
}

/* The attributes each part of <numa> carries; what else is there is
 * recorded (the QEMU driver refuses it rather than drop it). */
static const virDomainXMLAttrRule numaRules[] = {
    { "", noAttrs },
    { "cell", (const char *const[]){ "id", "cpus", "memory", "unit", "memAccess",
                                     "discard", NULL } },
    { NULL, NULL },
};
static const virDomainXMLAttrRule cellRules[] = {
    { "distances", noAttrs },
    { "distances/sibling", (const char *const[]){ "id", "value", NULL } },
    { NULL, NULL },
};

int
virDomainNumaParse(virDomainDef *def, xmlNodePtr cpu, GPtrArray *unknown,
                   unsigned int flags, bool *failed)
{
    xmlNodePtr numa = virDomainXMLChild(cpu, "numa");
    size_t n = 0;
    size_t idx = 0;
    size_t ncpus = 0;
    gssize maxId = -1;

    if (!numa)
        return 0;
    for (xmlNodePtr c = numa->children; c; c = c->next) {
        if (virDomainXMLNodeIs(c, "cell"))
            n++;
        else if (c->type == XML_ELEMENT_NODE &&
                 (virDomainXMLRecordUnknown(unknown, "cpu/numa", c, flags, failed),
                  *failed))
            return -1;
    }
    if (!n) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "NUMA topology defined without NUMA cells");
        return -1;
    }
    def->numaCells = g_new0(virDomainNumaCell, n);
    def->nnumaCells = n;

    for (xmlNodePtr c = numa->children; c; c = c->next) {
        virDomainNumaCell *cell;
        unsigned int cur;
        g_autofree char *memAccess = NULL;
        g_autofree char *discard = NULL;
        int rc;

        if (!virDomainXMLNodeIs(c, "cell"))
            continue;
        if ((rc = propUInt(c, "id", false, &cur)) < 0)
            return -1;
        if (rc == 0)
            cur = (unsigned int)idx;
        idx++;
        if (cur >= n) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "Exactly one 'cell' element per guest NUMA cell allowed, "
                           "non-contiguous ranges or ranges not starting from 0 are "
                           "not allowed");
            return -1;
        }
        cell = &def->numaCells[cur];
        /* libvirt's test: a cell seen before with a non-zero size */
        if (cell->memory) {
            virReportError(VIR_ERR_XML_ERROR, "Duplicate NUMA cell info for cell id '%u'",
                           cur);
            return -1;
        }
        g_clear_pointer(&cell->cpus, g_free);
        if (propList(c, "cpus", &cell->cpus) < 0)
            return -1;
        if (cell->cpus && !*cell->cpus)
            g_clear_pointer(&cell->cpus, g_free);
        for (size_t j = 0; j < n; j++) {
            if (j != cur && listsOverlap(def->numaCells[j].cpus, cell->cpus)) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               "NUMA cells %u and %zu have overlapping vCPU ids", cur, j);
                return -1;
            }
        }
        if (propMemory(c, "memory", "./@memory", true, &cell->memory) < 0)
            return -1;
        if ((memAccess = virDomainXMLProp(c, "memAccess")) &&
            (cell->memAccess = virDomainEnumFromString(
                 memAccessNames, VIR_DOMAIN_MEMORY_ACCESS_LAST, memAccess)) <= 0) {
            cell->memAccess = 0;
            virDomainXMLReportInvalidAttr("memAccess", c, memAccess);
            return -1;
        }
        if ((discard = virDomainXMLProp(c, "discard"))) {
            if (strcmp(discard, "yes") == 0) {
                cell->discard = VIR_DOMAIN_TRISTATE_ON;
            } else if (strcmp(discard, "no") == 0) {
                cell->discard = VIR_DOMAIN_TRISTATE_OFF;
            } else {
                virDomainXMLReportInvalidAttr("discard", c, discard);
                return -1;
            }
        }
        if (parseDistances(def, c, cur) < 0)
            return -1;
        for (xmlNodePtr k = c->children; k; k = k->next) {
            /* <cache> (HMAT) is not carried: refused by the driver */
            if (k->type == XML_ELEMENT_NODE && !virDomainXMLNodeIs(k, "distances") &&
                (virDomainXMLRecordUnknown(unknown, "cpu/numa/cell", k, flags, failed),
                 *failed))
                return -1;
        }
        virDomainXMLCheckAttrs(unknown, "cpu/numa/cell", c, cellRules, flags, failed);
        if (*failed)
            return -1;
    }
    virDomainXMLCheckAttrs(unknown, "cpu/numa", numa, numaRules, flags, failed);
    if (*failed)
        return -1;

    /* libvirt's checks right after the cells (virDomainDefParseXML) */
    for (size_t i = 0; i < n; i++) {
        gssize last;

        ncpus += listCount(def->numaCells[i].cpus, &last);
        if (last > maxId)
            maxId = last;
    }
    if (ncpus > def->vcpus) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "Number of CPUs in <numa> exceeds the <vcpu> count");
        return -1;
    }
    if (maxId >= 0 ? (size_t)maxId >= def->vcpus : def->vcpus == 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "CPU IDs in <numa> exceed the <vcpu> count");
        return -1;
    }
    return 0;
}

/* ---- <numatune><memnode> ----------------------------------------------- */

int
virDomainNumaMemnodeParse(virDomainDef *def, xmlNodePtr tune)
{
    bool any = false;

    for (xmlNodePtr m = tune->children; m; m = m->next) {
        if (virDomainXMLNodeIs(m, "memnode"))
            any = true;
    }
    if (!any)
        return 0;
    if (!def->nnumaCells) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "Element 'memnode' is invalid without any guest NUMA cells");
        return -1;
    }
    for (xmlNodePtr m = tune->children; m; m = m->next) {
        g_autofree char *mode = NULL;
        g_autofree char *nodeset = NULL;
        virDomainNumaCell *cell;
        unsigned int cellid;
        int md = VIR_DOMAIN_NUMATUNE_MEM_STRICT;

        if (!virDomainXMLNodeIs(m, "memnode"))
            continue;
        if (propUInt(m, "cellid", true, &cellid) < 0)
            return -1;
        if (cellid >= def->nnumaCells) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "Argument 'cellid' in memnode element must correspond to "
                           "existing guest's NUMA cell");
            return -1;
        }
        cell = &def->numaCells[cellid];
        if (cell->memnodeNodeset) {
            virReportError(VIR_ERR_XML_ERROR, "Multiple memnode elements with cellid %u",
                           cellid);
            return -1;
        }
        if ((mode = virDomainXMLProp(m, "mode")) &&
            (md = virDomainEnumFromString(numatuneModeNames,
                                          G_N_ELEMENTS(numatuneModeNames), mode)) < 0) {
            virDomainXMLReportInvalidAttr("mode", m, mode);
            return -1;
        }
        if (def->numatune.set &&
            def->numatune.mode == VIR_DOMAIN_NUMATUNE_MEM_RESTRICTIVE &&
            md != VIR_DOMAIN_NUMATUNE_MEM_RESTRICTIVE) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "'restrictive' mode is required in memnode element when mode "
                           "is 'restrictive' in memory element");
            return -1;
        }
        if (!(nodeset = virDomainXMLProp(m, "nodeset"))) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "Missing required nodeset attribute in memnode element");
            return -1;
        }
        if (propList(m, "nodeset", &cell->memnodeNodeset) < 0)
            return -1;
        if (!*cell->memnodeNodeset) {
            g_clear_pointer(&cell->memnodeNodeset, g_free);
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Invalid value of 'nodeset': %s",
                           nodeset);
            return -1;
        }
        cell->memnodeMode = md;
    }
    return 0;
}

/* ---- <maxMemory>, <memoryBacking> -------------------------------------- */

static const virDomainXMLAttrRule backingRules[] = {
    { "", noAttrs },
    { "hugepages", noAttrs },
    { "hugepages/page", (const char *const[]){ "size", "unit", "nodeset", NULL } },
    { "nosharepages", noAttrs },
    { "locked", noAttrs },
    { "source", (const char *const[]){ "type", NULL } },
    { "access", (const char *const[]){ "mode", NULL } },
    { "allocation", (const char *const[]){ "mode", "threads", NULL } },
    { "discard", noAttrs },
    { NULL, NULL },
};
static const char *const backingKids[] = { "hugepages", "nosharepages",
                                           "locked",    "source",
                                           "access",    "allocation",
                                           "discard",   NULL };

static int
parseHugepages(virDomainMemoryBackingDef *mb, xmlNodePtr hp, GPtrArray *unknown,
               unsigned int flags, bool *failed)
{
    size_t n = 0;

    for (xmlNodePtr p = hp->children; p; p = p->next) {
        if (virDomainXMLNodeIs(p, "page"))
            n++;
        else if (p->type == XML_ELEMENT_NODE &&
                 (virDomainXMLRecordUnknown(unknown, "memoryBacking/hugepages", p, flags,
                                            failed),
                  *failed))
            return -1;
    }
    /* <hugepages/> alone: one page of the host's default size */
    mb->hugepages = g_new0(virDomainHugePage, n ? n : 1);
    if (!n) {
        mb->nhugepages = 1;
        return 0;
    }
    for (xmlNodePtr p = hp->children; p; p = p->next) {
        virDomainHugePage *page = &mb->hugepages[mb->nhugepages];
        g_autofree char *nodeset = NULL;

        if (!virDomainXMLNodeIs(p, "page"))
            continue;
        mb->nhugepages++;
        if (propMemory(p, "size", "./@size", true, &page->size) < 0)
            return -1;
        if (!page->size) {
            virReportError(VIR_ERR_XML_DETAIL, "%s", "hugepage size can't be zero");
            return -1;
        }
        nodeset = virDomainXMLProp(p, "nodeset");
        if (propList(p, "nodeset", &page->nodeset) < 0)
            return -1;
        if (page->nodeset && !*page->nodeset) {
            g_clear_pointer(&page->nodeset, g_free);
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Invalid value of 'nodeset': %s",
                           nodeset);
            return -1;
        }
    }
    return 0;
}

int
virDomainMemoryBackingParse(virDomainDef *def, xmlNodePtr root, GPtrArray *unknown,
                            unsigned int flags, bool *failed)
{
    virDomainMemoryBackingDef *mb = &def->memBacking;
    xmlNodePtr max = virDomainXMLChild(root, "maxMemory");
    xmlNodePtr node = virDomainXMLChild(root, "memoryBacking");
    xmlNodePtr child;

    if (max) {
        g_autofree char *text = virDomainXMLNodeText(max);
        g_autofree char *unit = virDomainXMLProp(max, "unit");
        g_autofree char *slots = virDomainXMLProp(max, "slots");
        unsigned long long bytes;
        unsigned long long val;

        if (text && *text) {
            if (virDomainParseULL(text, &bytes) < 0) {
                virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                                   "Invalid value '%s' for element or attribute '%s'",
                                   text, "./maxMemory[1]");
                return -1;
            }
            if (virDomainScaleInteger(&bytes, unit ? unit : "KiB",
                                      (unsigned long long)G_MAXINT64) < 0)
                return -1;
            def->maxMemory = bytes / 1024 + (bytes % 1024 ? 1 : 0);
        }
        if (slots) {
            if (virDomainParseULL(slots, &val) < 0 || val > G_MAXUINT) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "Failed to parse memory slot count");
                return -1;
            }
            def->memorySlots = (unsigned int)val;
        }
    }
    if (!node)
        return 0;

    if ((child = virDomainXMLChild(node, "source"))) {
        g_autofree char *type = virDomainXMLProp(child, "type");

        if (type && (mb->source = virDomainEnumFromString(
                         memSourceNames, VIR_DOMAIN_MEMORY_SOURCE_LAST, type)) <= 0) {
            mb->source = 0;
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "unknown memoryBacking/source/type '%s'", type);
            return -1;
        }
    }
    if ((child = virDomainXMLChild(node, "access"))) {
        g_autofree char *mode = virDomainXMLProp(child, "mode");

        if (mode && (mb->access = virDomainEnumFromString(
                         memAccessNames, VIR_DOMAIN_MEMORY_ACCESS_LAST, mode)) <= 0) {
            mb->access = 0;
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "unknown memoryBacking/access/mode '%s'", mode);
            return -1;
        }
    }
    if ((child = virDomainXMLChild(node, "allocation"))) {
        g_autofree char *mode = virDomainXMLProp(child, "mode");
        g_autofree char *threads = virDomainXMLProp(child, "threads");
        unsigned long long val;

        if (mode &&
            (mb->allocation = virDomainEnumFromString(
                 memAllocationNames, VIR_DOMAIN_MEMORY_ALLOCATION_LAST, mode)) <= 0) {
            mb->allocation = 0;
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "unknown memoryBacking/allocation/mode '%s'", mode);
            return -1;
        }
        if (threads) {
            if (virDomainParseULL(threads, &val) < 0 || val > G_MAXUINT) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "Failed to parse memory allocation threads");
                return -1;
            }
            mb->allocationThreads = (unsigned int)val;
        }
    }
    if ((child = virDomainXMLChild(node, "hugepages")) &&
        parseHugepages(mb, child, unknown, flags, failed) < 0)
        return -1;
    mb->nosharepages = virDomainXMLChild(node, "nosharepages") != NULL;
    mb->locked = virDomainXMLChild(node, "locked") != NULL;
    mb->discard = virDomainXMLChild(node, "discard") != NULL;

    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE &&
            !virDomainStrInList(backingKids, (const char *)c->name) &&
            (virDomainXMLRecordUnknown(unknown, "memoryBacking", c, flags, failed),
             *failed))
            return -1;
    }
    virDomainXMLCheckAttrs(unknown, "memoryBacking", node, backingRules, flags, failed);
    return *failed ? -1 : 0;
}

/* ---- post-parse and validation (libvirt's generic ones) ------------------ */

int
virDomainNumaPostParse(virDomainDef *def, unsigned int flags)
{
    unsigned long long numaMemory = 0;
    unsigned long long hotplugMemory;

    if (def->memory == 0 || (flags & VIR_DOMAIN_DEF_PARSE_ABI_UPDATE))
        numaMemory = virDomainNumaTotalMemory(def);
    /* memory devices count in <memory> (libvirt's total) */
    hotplugMemory = virDomainMemoryDevicesTotal(def);
    if (numaMemory) {
        def->memory = numaMemory + hotplugMemory;
    } else if (hotplugMemory > def->memory) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "Total size of memory devices exceeds the total memory size");
        return -1;
    }
    if (def->memory - hotplugMemory == 0) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "Memory size must be specified via <memory> or in the "
                       "<numa> configuration");
        return -1;
    }
    if ((def->maxMemory || def->memorySlots) && !(def->maxMemory && def->memorySlots)) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "both maximum memory size and memory slot count must be "
                       "specified");
        return -1;
    }
    if (def->maxMemory && def->maxMemory < def->memory) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "maximum memory size must be equal or greater than the actual "
                       "memory size");
        return -1;
    }
    return 0;
}

int
virDomainNumaValidate(const virDomainDef *def)
{
    const virDomainMemoryBackingDef *mb = &def->memBacking;

    /* libvirt's virDomainDefMemtuneValidate */
    for (size_t i = 0; i < mb->nhugepages; i++) {
        const virDomainHugePage *p = &mb->hugepages[i];
        gssize last;

        for (size_t j = 0; j < i; j++) {
            const virDomainHugePage *q = &mb->hugepages[j];

            if (p->nodeset && q->nodeset && listsOverlap(p->nodeset, q->nodeset)) {
                virReportError(VIR_ERR_XML_DETAIL,
                               "nodeset attribute of hugepages of sizes %llu and %llu "
                               "intersect",
                               p->size, q->size);
                return -1;
            }
            if (!p->nodeset && !q->nodeset) {
                virReportError(VIR_ERR_XML_DETAIL,
                               "two master hugepages detected: %llu and %llu", p->size,
                               q->size);
                return -1;
            }
        }
        if (!p->nodeset)
            continue;
        /* the first cell past the guest's */
        {
            g_autofree unsigned char *map = NULL;
            size_t maplen = 0;

            listCount(p->nodeset, &last);
            if (last >= (gssize)def->nnumaCells &&
                (map = virDomainCpulistParse(p->nodeset, NUMA_MASK_LEN, &maplen))) {
                for (size_t b = def->nnumaCells; b < maplen * 8; b++) {
                    if (map[b / 8] & (1u << (b % 8))) {
                        virReportError(VIR_ERR_XML_DETAIL,
                                       "hugepages: node %zd not found", (gssize)b);
                        return -1;
                    }
                }
            }
        }
    }
    return 0;
}

/* ---- formatting ---------------------------------------------------------- */

static void
indentTo(GString *buf, int indent)
{
    for (int i = 0; i < indent; i++)
        g_string_append_c(buf, ' ');
}

void
virDomainNumaFormat(GString *buf, const virDomainDef *def, int indent)
{
    if (!def->nnumaCells)
        return;
    indentTo(buf, indent);
    g_string_append(buf, "<numa>\n");
    for (size_t i = 0; i < def->nnumaCells; i++) {
        const virDomainNumaCell *c = &def->numaCells[i];
        bool kids = false;

        indentTo(buf, indent + 2);
        g_string_append_printf(buf, "<cell id='%zu'", i);
        if (c->cpus)
            g_string_append_printf(buf, " cpus='%s'", c->cpus);
        g_string_append_printf(buf, " memory='%llu' unit='KiB'", c->memory);
        if (c->memAccess)
            g_string_append_printf(buf, " memAccess='%s'", memAccessNames[c->memAccess]);
        if (c->discard)
            g_string_append_printf(buf, " discard='%s'",
                                   c->discard == VIR_DOMAIN_TRISTATE_ON ? "yes" : "no");
        if (c->distances) {
            for (size_t j = 0; j < def->nnumaCells; j++)
                kids = kids || c->distances[j];
        }
        if (!kids) {
            g_string_append(buf, "/>\n");
            continue;
        }
        g_string_append(buf, ">\n");
        indentTo(buf, indent + 4);
        g_string_append(buf, "<distances>\n");
        for (size_t j = 0; j < def->nnumaCells; j++) {
            if (!c->distances[j])
                continue;
            indentTo(buf, indent + 6);
            g_string_append_printf(buf, "<sibling id='%zu' value='%u'/>\n", j,
                                   c->distances[j]);
        }
        indentTo(buf, indent + 4);
        g_string_append(buf, "</distances>\n");
        indentTo(buf, indent + 2);
        g_string_append(buf, "</cell>\n");
    }
    indentTo(buf, indent);
    g_string_append(buf, "</numa>\n");
}

void
virDomainNumatuneMemnodesFormat(GString *buf, const virDomainDef *def, int indent)
{
    for (size_t i = 0; i < def->nnumaCells; i++) {
        const virDomainNumaCell *c = &def->numaCells[i];

        if (!c->memnodeNodeset)
            continue;
        indentTo(buf, indent);
        g_string_append_printf(buf, "<memnode cellid='%zu' mode='%s' nodeset='%s'/>\n", i,
                               numatuneModeNames[c->memnodeMode], c->memnodeNodeset);
    }
}

bool
virDomainNumaHasMemnodes(const virDomainDef *def)
{
    for (size_t i = 0; i < def->nnumaCells; i++) {
        if (def->numaCells[i].memnodeNodeset)
            return true;
    }
    return false;
}

void
virDomainMemoryBackingFormat(GString *buf, const virDomainDef *def, int indent)
{
    const virDomainMemoryBackingDef *mb = &def->memBacking;
    g_autoptr(GString) kids = g_string_new(NULL);

    if (mb->nhugepages) {
        if (mb->nhugepages == 1 && mb->hugepages[0].size == 0) {
            indentTo(kids, indent + 2);
            g_string_append(kids, "<hugepages/>\n");
        } else {
            indentTo(kids, indent + 2);
            g_string_append(kids, "<hugepages>\n");
            for (size_t i = 0; i < mb->nhugepages; i++) {
                indentTo(kids, indent + 4);
                g_string_append_printf(kids, "<page size='%llu' unit='KiB'",
                                       mb->hugepages[i].size);
                if (mb->hugepages[i].nodeset)
                    g_string_append_printf(kids, " nodeset='%s'",
                                           mb->hugepages[i].nodeset);
                g_string_append(kids, "/>\n");
            }
            indentTo(kids, indent + 2);
            g_string_append(kids, "</hugepages>\n");
        }
    }
    if (mb->nosharepages) {
        indentTo(kids, indent + 2);
        g_string_append(kids, "<nosharepages/>\n");
    }
    if (mb->locked) {
        indentTo(kids, indent + 2);
        g_string_append(kids, "<locked/>\n");
    }
    if (mb->source) {
        indentTo(kids, indent + 2);
        g_string_append_printf(kids, "<source type='%s'/>\n", memSourceNames[mb->source]);
    }
    if (mb->access) {
        indentTo(kids, indent + 2);
        g_string_append_printf(kids, "<access mode='%s'/>\n", memAccessNames[mb->access]);
    }
    if (mb->allocation || mb->allocationThreads) {
        indentTo(kids, indent + 2);
        g_string_append(kids, "<allocation");
        if (mb->allocation)
            g_string_append_printf(kids, " mode='%s'",
                                   memAllocationNames[mb->allocation]);
        if (mb->allocationThreads)
            g_string_append_printf(kids, " threads='%u'", mb->allocationThreads);
        g_string_append(kids, "/>\n");
    }
    if (mb->discard) {
        indentTo(kids, indent + 2);
        g_string_append(kids, "<discard/>\n");
    }
    if (!kids->len)
        return;
    indentTo(buf, indent);
    g_string_append(buf, "<memoryBacking>\n");
    g_string_append(buf, kids->str);
    indentTo(buf, indent);
    g_string_append(buf, "</memoryBacking>\n");
}
