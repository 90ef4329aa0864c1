/* domain_memory_conf.c: the <memory> devices of <devices> (dimm, nvdimm, virtio-pmem,
 * virtio-mem), parsed, checked and written back as libvirt 9.0 does */

#define G_LOG_DOMAIN "virtkit.conf.memory"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* host node lists: as wide as libvirt's VIR_DOMAIN_CPUMASK_LEN */
#define MEMORY_NODEMASK_LEN 4096

/* libvirt 9.0's virDomainMemoryModel names; "sgx-epc" is valid there but
 * needs SGX, which this machine's QEMU does not offer */
static const char *const modelNames[VIR_DOMAIN_MEMORY_MODEL_LAST] = {
    "", "dimm", "nvdimm", "virtio-pmem", "virtio-mem",
};
static const char *const accessNames[VIR_DOMAIN_MEMORY_ACCESS_LAST] = {
    "default",
    "shared",
    "private",
};

const char *
virDomainMemoryModelToString(int model)
{
    return virDomainEnumToString(modelNames, VIR_DOMAIN_MEMORY_MODEL_LAST, model);
}

void
virDomainMemoryDefFree(virDomainMemoryDef *mem)
{
    if (!mem)
        return;
    g_free(mem->sourceNodes);
    g_free(mem->path);
    g_free(mem->alias);
    g_free(mem);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainMemoryDef, virDomainMemoryDefFree);

virDomainMemoryDef *
virDomainMemoryDefCopy(const virDomainMemoryDef *mem)
{
    virDomainMemoryDef *copy = g_memdup2(mem, sizeof(*mem));

    copy->sourceNodes = g_strdup(mem->sourceNodes);
    copy->path = g_strdup(mem->path);
    copy->alias = g_strdup(mem->alias);
    return copy;
}

unsigned long long
virDomainMemoryDevicesTotal(const virDomainDef *def)
{
    unsigned long long sum = 0;

    for (size_t i = 0; i < def->nmems; i++)
        sum += def->mems[i]->size;
    return sum;
}

/* libvirt's virDomainParseMemory of child element @name of @parent (unit
 * attribute, default KiB): KiB rounded up; @xpath names it in messages.
 * Absent: *@kib 0, or (@required) libvirt's missing-element error. */
static int
childMemory(xmlNodePtr parent, const char *name, const char *xpath, bool required,
            unsigned long long *kib)
{
    xmlNodePtr node = parent ? virDomainXMLChild(parent, name) : NULL;
    g_autofree char *text = node ? virDomainXMLNodeText(node) : NULL;
    g_autofree char *unit = NULL;
    unsigned long long bytes;

    *kib = 0;
    if (!text || !*text) {
        if (!required)
            return 0;
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "missing element or attribute '%s'", xpath);
        return -1;
    }
    if (virDomainParseULL(text, &bytes) < 0) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value '%s' for element or attribute '%s'", text,
                           xpath);
        return -1;
    }
    unit = virDomainXMLProp(node, "unit");
    if (virDomainScaleInteger(&bytes, unit ? unit : "KiB",
                              (unsigned long long)G_MAXINT64) < 0)
        return -1;
    *kib = bytes / 1024 + (bytes % 1024 ? 1 : 0);
    return 0;
}

static int
parseNodemask(xmlNodePtr source, virDomainMemoryDef *mem)
{
    xmlNodePtr node = virDomainXMLChild(source, "nodemask");
    g_autofree char *text = node ? virDomainXMLNodeText(node) : NULL;
    g_autofree unsigned char *map = NULL;
    size_t maplen = 0;

    if (!text || !*text)
        return 0;
    if (!(map = virDomainCpulistParse(text, MEMORY_NODEMASK_LEN, &maplen)))
        return -1;
    mem->sourceNodes = virDomainCpulistFormat(map, maplen);
    if (!mem->sourceNodes || !*mem->sourceNodes) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Invalid value of 'nodemask': %s",
                       text);
        return -1;
    }
    return 0;
}

static int
parseSource(xmlNodePtr source, virDomainMemoryDef *mem)
{
    xmlNodePtr path;

    switch (mem->model) {
    case VIR_DOMAIN_MEMORY_MODEL_DIMM:
    case VIR_DOMAIN_MEMORY_MODEL_VIRTIO_MEM:
        if (childMemory(source, "pagesize", "./pagesize", false, &mem->pagesize) < 0)
            return -1;
        return parseNodemask(source, mem);
    case VIR_DOMAIN_MEMORY_MODEL_NVDIMM:
        if ((path = virDomainXMLChild(source, "path")))
            mem->path = virDomainXMLNodeText(path);
        if (childMemory(source, "alignsize", "./alignsize", false, &mem->alignsize) < 0)
            return -1;
        mem->pmem = virDomainXMLChild(source, "pmem") != NULL;
        return 0;
    case VIR_DOMAIN_MEMORY_MODEL_VIRTIO_PMEM:
        if ((path = virDomainXMLChild(source, "path")))
            mem->path = virDomainXMLNodeText(path);
        return 0;
    default:
        return 0;
    }
}

static int
parseTarget(xmlNodePtr target, virDomainMemoryDef *mem)
{
    xmlNodePtr node = virDomainXMLChild(target, "node");
    g_autofree char *text = node ? virDomainXMLNodeText(node) : NULL;

    if (text && *text) {
        char *end = NULL;
        long long val;

        errno = 0;
        val = strtoll(text, &end, 10);
        if (errno || *end || end == text || val < 0 || val > G_MAXINT) {
            virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, __func__, "%s",
                               "invalid value of memory device node");
            return -1;
        }
        mem->targetNode = (int)val;
    }
    if (childMemory(target, "size", "./size", true, &mem->size) < 0)
        return -1;

    switch (mem->model) {
    case VIR_DOMAIN_MEMORY_MODEL_NVDIMM:
        if (childMemory(virDomainXMLChild(target, "label"), "size", "./label/size", false,
                        &mem->labelsize) < 0)
            return -1;
        if (mem->labelsize && mem->labelsize < 128) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "nvdimm label must be at least 128KiB");
            return -1;
        }
        if (mem->labelsize >= mem->size) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "label size must be smaller than NVDIMM size");
            return -1;
        }
        mem->readonly = virDomainXMLChild(target, "readonly") != NULL;
        return 0;
    case VIR_DOMAIN_MEMORY_MODEL_VIRTIO_MEM:
        if (childMemory(target, "block", "./block", false, &mem->blocksize) < 0 ||
            childMemory(target, "requested", "./requested", false, &mem->requestedsize) <
                0)
            return -1;
        return 0;
    default:
        return 0;
    }
}

/* libvirt's virXMLPropUInt / virXMLPropULongLong error for a dimm address field */
static int
dimmField(xmlNodePtr node, const char *name, int base, unsigned long long max,
          unsigned long long *out)
{
    g_autofree char *str = virDomainXMLProp(node, name);
    char *end = NULL;
    unsigned long long val;

    *out = 0;
    if (!str)
        return 0;
    errno = 0;
    val = strtoull(str, &end, base);
    if (!*str || *str == '-' || errno || *end || val > max) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute '%s' in element '%s': '%s'. "
                           "Expected non-negative integer value",
                           name, (const char *)node->name, str);
        return -1;
    }
    *out = val;
    return 0;
}

static int
parseAddress(xmlNodePtr memNode, virDomainMemoryDef *mem)
{
    xmlNodePtr node = virDomainXMLChild(memNode, "address");
    g_autofree char *type = node ? virDomainXMLProp(node, "type") : NULL;
    unsigned long long slot;

    if (!type || strcmp(type, "dimm") != 0)
        return virDomainDeviceAddressParse(memNode, &mem->addr);
    if (dimmField(node, "slot", 10, G_MAXUINT, &slot) < 0 ||
        dimmField(node, "base", 16, G_MAXUINT64, &mem->dimmBase) < 0)
        return -1;
    mem->dimmAddr = true;
    mem->dimmSlot = (unsigned int)slot;
    return 0;
}

static const virDomainXMLAttrRule memoryAttrs[] = {
    { "", (const char *const[]){ "model", "access", "discard", NULL } },
    { "source/pagesize", (const char *const[]){ "unit", NULL } },
    { "source/alignsize", (const char *const[]){ "unit", NULL } },
    { "target/size", (const char *const[]){ "unit", NULL } },
    { "target/label/size", (const char *const[]){ "unit", NULL } },
    { "target/block", (const char *const[]){ "unit", NULL } },
    { "target/requested", (const char *const[]){ "unit", NULL } },
    { "target/current", (const char *const[]){ "unit", NULL } },
    { "address", (const char *const[]){ "type", "slot", "base", "domain", "bus",
                                        "function", "multifunction", NULL } },
    { NULL, NULL },
};
static const char *const memoryChildren[] = {
    "uuid",
    "source",
    "source/",
    "source/pagesize",
    "source/nodemask",
    "source/path",
    "source/alignsize",
    "source/pmem",
    "target",
    "target/",
    "target/size",
    "target/node",
    "target/label",
    "target/readonly",
    "target/block",
    "target/requested",
    "target/current",
    "address",
    NULL,
};

int
virDomainMemoryParseXML(GPtrArray **mems, xmlNodePtr node, GPtrArray *unknown,
                        unsigned int flags, bool *failed)
{
    g_autoptr(virDomainMemoryDef) mem = g_new0(virDomainMemoryDef, 1);
    g_autofree char *model = virDomainXMLProp(node, "model");
    g_autofree char *access = virDomainXMLProp(node, "access");
    g_autofree char *discard = virDomainXMLProp(node, "discard");
    xmlNodePtr child;

    mem->targetNode = -1;
    if (!model) {
        virDomainXMLReportMissingAttr("model", node);
        return -1;
    }
    if (strcmp(model, "sgx-epc") == 0) {
        virDomainReportUnsupportedValue("memory model", model);
        return -1;
    }
    if ((mem->model = virDomainEnumFromString(modelNames, VIR_DOMAIN_MEMORY_MODEL_LAST,
                                              model)) <= 0) {
        virDomainXMLReportInvalidAttr("model", node, model);
        return -1;
    }
    if (access && (mem->access = virDomainEnumFromString(
                       accessNames, VIR_DOMAIN_MEMORY_ACCESS_LAST, access)) <= 0) {
        virDomainXMLReportInvalidAttr("access", node, access);
        return -1;
    }
    if (discard) {
        if (strcmp(discard, "yes") == 0) {
            mem->discard = 1;
        } else if (strcmp(discard, "no") == 0) {
            mem->discard = 2;
        } else {
            virDomainXMLReportInvalidAttr("discard", node, discard);
            return -1;
        }
    }
    /* libvirt reads <uuid> of an nvdimm only, and refuses it off ppc64 */
    if (mem->model == VIR_DOMAIN_MEMORY_MODEL_NVDIMM &&
        (child = virDomainXMLChild(node, "uuid"))) {
        g_autofree char *uuid = virDomainXMLNodeText(child);
        unsigned char raw[VIR_UUID_BUFLEN];

        if (uuid && *uuid && virUUIDParse(uuid, raw) < 0) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "malformed uuid element");
            return -1;
        }
        if (uuid && *uuid)
            mem->hasUUID = true;
    }
    /* libvirt's QEMU post-parse: virtio-pmem mandates shared access (the
     * guest's writes reach the file); virtkit's drivers share the parser */
    if (mem->model == VIR_DOMAIN_MEMORY_MODEL_VIRTIO_PMEM && !mem->access)
        mem->access = VIR_DOMAIN_MEMORY_ACCESS_SHARED;
    if ((child = virDomainXMLChild(node, "source")) && parseSource(child, mem) < 0)
        return -1;
    if (!(child = virDomainXMLChild(node, "target"))) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "missing <target> element for <memory> device");
        return -1;
    }
    if (parseTarget(child, mem) < 0 || parseAddress(node, mem) < 0)
        return -1;
    if (!(flags & VIR_DOMAIN_DEF_PARSE_INACTIVE) &&
        (child = virDomainXMLChild(node, "alias"))) {
        if ((mem->alias = virDomainXMLProp(child, "name")) && !*mem->alias)
            g_clear_pointer(&mem->alias, g_free);
    }
    if (virDomainDeviceCheckChildren(node, memoryChildren, unknown, flags, failed) < 0 ||
        virDomainDeviceCheckAttrs(node, memoryAttrs, unknown, flags, failed) < 0)
        return -1;
    if (!*mems)
        *mems = g_ptr_array_new_with_free_func((GDestroyNotify)virDomainMemoryDefFree);
    g_ptr_array_add(*mems, g_steal_pointer(&mem));
    return 0;
}

/* The THP size in KiB (libvirt's virHostMemGetTHPSize, 2 MiB if unknown) */
static unsigned long long
thpSizeKiB(void)
{
    g_autofree char *text = NULL;
    unsigned long long bytes;

    if (!g_file_get_contents("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", &text,
                             NULL, NULL))
        return 2048;
    g_strstrip(text);
    if (virDomainParseULL(text, &bytes) < 0 || bytes < 1024)
        return 2048;
    return bytes / 1024;
}

/* libvirt's virDomainMemoryDefValidate */
static int
validateOne(const virDomainMemoryDef *mem, const virDomainDef *def)
{
    const char *model = modelNames[mem->model];

    if (mem->targetNode != -1) {
        if (def->nnumaCells == 0) {
            virReportError(VIR_ERR_XML_DETAIL, "%s",
                           "can't add memory backend as guest has no NUMA nodes "
                           "configured");
            return -1;
        }
        if ((size_t)mem->targetNode >= def->nnumaCells) {
            virReportError(VIR_ERR_XML_DETAIL,
                           "can't add memory backend for guest node '%d' as the guest "
                           "has only '%zu' NUMA nodes configured",
                           mem->targetNode, def->nnumaCells);
            return -1;
        }
    }
    switch (mem->model) {
    case VIR_DOMAIN_MEMORY_MODEL_NVDIMM:
        if (!mem->path) {
            virReportError(VIR_ERR_XML_DETAIL, "%s",
                           "path is required for model 'nvdimm'");
            return -1;
        }
        if (mem->discard == 1) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "discard is not supported for nvdimms");
            return -1;
        }
        if (mem->hasUUID) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "UUID is not supported for NVDIMM device");
            return -1;
        }
        break;
    case VIR_DOMAIN_MEMORY_MODEL_VIRTIO_PMEM:
        if (!mem->path) {
            virReportError(VIR_ERR_XML_DETAIL, "path is required for model '%s'", model);
            return -1;
        }
        if (mem->discard == 1) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "discard is not supported for model '%s'", model);
            return -1;
        }
        if (mem->access != VIR_DOMAIN_MEMORY_ACCESS_SHARED) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "shared access mode required for virtio-pmem device");
            return -1;
        }
        if (mem->targetNode != -1) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "virtio-pmem does not support NUMA nodes");
            return -1;
        }
        break;
    case VIR_DOMAIN_MEMORY_MODEL_VIRTIO_MEM: {
        unsigned long long thp = thpSizeKiB();

        if (mem->requestedsize > mem->size) {
            virReportError(VIR_ERR_XML_DETAIL,
                           "requested size must be smaller than or equal to @size "
                           "(%lluKiB)",
                           mem->size);
            return -1;
        }
        if (mem->blocksize == 0 || (mem->blocksize & (mem->blocksize - 1))) {
            virReportError(VIR_ERR_XML_DETAIL, "%s", "block size must be a power of two");
            return -1;
        }
        if (mem->blocksize < thp) {
            virReportError(VIR_ERR_XML_DETAIL,
                           "block size too small, must be at least %lluKiB", thp);
            return -1;
        }
        if (mem->requestedsize % mem->blocksize != 0) {
            virReportError(VIR_ERR_XML_DETAIL, "%s",
                           "requested size must be an integer multiple of block size");
            return -1;
        }
        break;
    }
    default:
        break;
    }
    return 0;
}

int
virDomainMemoryDefValidate(const virDomainMemoryDef *mem, const virDomainDef *def)
{
    return validateOne(mem, def);
}

int
virDomainMemoryDevicesValidate(const virDomainDef *def)
{
    for (size_t i = 0; i < def->nmems; i++) {
        if (validateOne(def->mems[i], def) < 0)
            return -1;
    }
    return 0;
}

static void
sized(GString *buf, int indent, const char *name, unsigned long long kib)
{
    g_string_append_printf(buf, "%*s<%s unit='KiB'>%llu</%s>\n", indent, "", name, kib,
                           name);
}

void
virDomainMemoryFormat(GString *buf, int indent, const virDomainMemoryDef *mem,
                      unsigned int flags)
{
    g_autoptr(GString) src = g_string_new(NULL);
    int in = indent + 2;

    g_string_append_printf(buf, "%*s<memory model='%s'", indent, "",
                           modelNames[mem->model]);
    if (mem->access)
        g_string_append_printf(buf, " access='%s'", accessNames[mem->access]);
    if (mem->discard)
        g_string_append_printf(buf, " discard='%s'", mem->discard == 1 ? "yes" : "no");
    g_string_append(buf, ">\n");

    switch (mem->model) {
    case VIR_DOMAIN_MEMORY_MODEL_DIMM:
    case VIR_DOMAIN_MEMORY_MODEL_VIRTIO_MEM:
        if (mem->sourceNodes)
            g_string_append_printf(src, "%*s<nodemask>%s</nodemask>\n", in + 2, "",
                                   mem->sourceNodes);
        if (mem->pagesize)
            sized(src, in + 2, "pagesize", mem->pagesize);
        break;
    case VIR_DOMAIN_MEMORY_MODEL_NVDIMM:
    case VIR_DOMAIN_MEMORY_MODEL_VIRTIO_PMEM:
        if (mem->path) {
            g_string_append_printf(src, "%*s<path>", in + 2, "");
            virDomainXMLEscape(src, mem->path);
            g_string_append(src, "</path>\n");
        }
        if (mem->alignsize)
            sized(src, in + 2, "alignsize", mem->alignsize);
        if (mem->pmem)
            g_string_append_printf(src, "%*s<pmem/>\n", in + 2, "");
        break;
    default:
        break;
    }
    if (src->len)
        g_string_append_printf(buf, "%*s<source>\n%s%*s</source>\n", in, "", src->str, in,
                               "");

    g_string_append_printf(buf, "%*s<target>\n", in, "");
    sized(buf, in + 2, "size", mem->size);
    if (mem->targetNode >= 0)
        g_string_append_printf(buf, "%*s<node>%d</node>\n", in + 2, "", mem->targetNode);
    if (mem->labelsize) {
        g_string_append_printf(buf, "%*s<label>\n", in + 2, "");
        sized(buf, in + 4, "size", mem->labelsize);
        g_string_append_printf(buf, "%*s</label>\n", in + 2, "");
    }
    if (mem->readonly)
        g_string_append_printf(buf, "%*s<readonly/>\n", in + 2, "");
    if (mem->blocksize) {
        sized(buf, in + 2, "block", mem->blocksize);
        sized(buf, in + 2, "requested", mem->requestedsize);
        if (!(flags & VIR_DOMAIN_DEF_FORMAT_INACTIVE))
            sized(buf, in + 2, "current", mem->currentsize);
    }
    g_string_append_printf(buf, "%*s</target>\n", in, "");

    if (mem->alias && !(flags & VIR_DOMAIN_DEF_FORMAT_INACTIVE)) {
        g_string_append_printf(buf, "%*s<alias name='", in, "");
        virDomainXMLEscape(buf, mem->alias);
        g_string_append(buf, "'/>\n");
    }
    if (mem->dimmAddr) {
        g_string_append_printf(buf, "%*s<address type='dimm' slot='%u'", in, "",
                               mem->dimmSlot);
        if (mem->dimmBase)
            g_string_append_printf(buf, " base='0x%llx'", mem->dimmBase);
        g_string_append(buf, "/>\n");
    } else {
        virDomainDeviceAddressFormat(buf, in, &mem->addr);
    }
    g_string_append_printf(buf, "%*s</memory>\n", indent, "");
}
