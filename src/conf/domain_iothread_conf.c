/* domain_iothread_conf.c: <iothreads>, <iothreadids>, <defaultiothread> and <iothreadpin> */

#define G_LOG_DOMAIN "virtkit.conf.iothread"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

void
virDomainIOThreadDefFree(virDomainIOThreadDef *t)
{
    if (!t)
        return;
    g_free(t->cpuset);
    g_free(t);
}

void
virDomainIOThreadsClear(virDomainDef *def)
{
    for (size_t i = 0; i < def->niothreads; i++)
        virDomainIOThreadDefFree(def->iothreads[i]);
    g_clear_pointer(&def->iothreads, g_free);
    def->niothreads = 0;
}

void
virDomainIOThreadsCopy(virDomainDef *dst, const virDomainDef *src)
{
    dst->iothreads = NULL;
    dst->niothreads = 0;
    if (!src->niothreads)
        return;
    dst->iothreads = g_new0(virDomainIOThreadDef *, src->niothreads);
    for (size_t i = 0; i < src->niothreads; i++) {
        virDomainIOThreadDef *t = g_new0(virDomainIOThreadDef, 1);

        *t = *src->iothreads[i];
        t->cpuset = g_strdup(src->iothreads[i]->cpuset);
        dst->iothreads[i] = t;
    }
    dst->niothreads = src->niothreads;
}

virDomainIOThreadDef *
virDomainIOThreadFind(const virDomainDef *def, unsigned int id)
{
    for (size_t i = 0; i < def->niothreads; i++) {
        if (def->iothreads[i]->id == id)
            return def->iothreads[i];
    }
    return NULL;
}

virDomainIOThreadDef *
virDomainIOThreadAdd(virDomainDef *def, unsigned int id)
{
    virDomainIOThreadDef *t = g_new0(virDomainIOThreadDef, 1);

    t->id = id;
    t->poolMin = -1;
    t->poolMax = -1;
    def->iothreads = g_renew(virDomainIOThreadDef *, def->iothreads, def->niothreads + 1);
    def->iothreads[def->niothreads++] = t;
    return t;
}

bool
virDomainIOThreadDel(virDomainDef *def, unsigned int id)
{
    for (size_t i = 0; i < def->niothreads; i++) {
        if (def->iothreads[i]->id != id)
            continue;
        virDomainIOThreadDefFree(def->iothreads[i]);
        memmove(def->iothreads + i, def->iothreads + i + 1,
                (def->niothreads - i - 1) * sizeof(*def->iothreads));
        if (--def->niothreads == 0)
            g_clear_pointer(&def->iothreads, g_free);
        return true;
    }
    return false;
}

int
virDomainIOThreadAddCheck(const virDomainDef *def, unsigned int id)
{
    if (virDomainIOThreadFind(def, id)) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "an IOThread is already using iothread_id '%u'", id);
        return -1;
    }
    return 0;
}

int
virDomainIOThreadDelCheck(const virDomainDef *def, unsigned int id)
{
    if (!virDomainIOThreadFind(def, id)) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "cannot find IOThread '%u' in iothreadids list", id);
        return -1;
    }
    for (size_t i = 0; i < def->ndisks; i++) {
        if (def->disks[i]->iothread == id) {
            virReportError(
                VIR_ERR_INVALID_ARG,
                "cannot remove IOThread %u since it is being used by disk '%s'", id,
                def->disks[i]->dst);
            return -1;
        }
    }
    for (size_t i = 0; i < def->ncontrollers; i++) {
        if (def->controllers[i]->iothread == id) {
            virReportError(VIR_ERR_INVALID_ARG,
                           "cannot remove IOThread '%u' since it is being used by "
                           "controller",
                           id);
            return -1;
        }
    }
    return 0;
}

unsigned char *
virDomainCpumapTrim(const unsigned char *bits, size_t len, int *maplen)
{
    int last = -1;
    unsigned char *out;

    for (size_t c = 0; bits && c < len * 8; c++) {
        if (bits[c / 8] & (1u << (c % 8)))
            last = (int)c;
    }
    *maplen = last < 0 ? 1 : last / 8 + 1;
    out = g_new0(unsigned char, *maplen);
    if (last >= 0)
        memcpy(out, bits, (size_t)*maplen);
    return out;
}

unsigned char *
virDomainIOThreadCpumap(const virDomainDef *def, const virDomainIOThreadDef *t,
                        const char *all, int *maplen)
{
    const char *list = t->cpuset ? t->cpuset : def->cputune.vcpuCpuset;
    g_autofree unsigned char *bits = NULL;
    size_t len = 0;

    if (!list)
        list = all;
    /* the lists are normalized ones: they parse */
    if (list && !(bits = virDomainCpulistParse(list, 65536, &len)))
        virResetLastError();
    return virDomainCpumapTrim(bits, len, maplen);
}

int
virDomainXMLPropUIntNonZero(xmlNodePtr node, const char *name, bool required,
                            unsigned int *out)
{
    g_autofree char *str = virDomainXMLProp(node, name);
    unsigned long long val;

    if (!str) {
        if (required) {
            virDomainXMLReportMissingAttr(name, node);
            return -1;
        }
        return 0;
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

/* libvirt's thread pool checks (virDomainDefValidate, CONFIG_UNSUPPORTED):
 * an absent maximum (-1) is below any minimum, as there */
static int
checkPool(int min, int max)
{
    if (max == 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "thread_pool_max must be a positive integer");
        return -1;
    }
    if (min > max) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "thread_pool_min must be smaller or equal to thread_pool_max");
        return -1;
    }
    return 0;
}

int
virDomainIOThreadsParse(virDomainDef *def, xmlNodePtr root, GPtrArray *unknown,
                        unsigned int flags, bool *failed)
{
    xmlNodePtr node;
    unsigned long long count = 0;
    size_t given = 0;
    g_autoptr(GHashTable) used = NULL;
    unsigned int next = 1;

    def->defaultPoolMin = -1;
    def->defaultPoolMax = -1;

    if ((node = virDomainXMLChild(root, "iothreads"))) {
        g_autofree char *text = virDomainXMLNodeText(node);

        /* libvirt's virXPathUInt: an empty element counts as absent */
        if (text && *text && (virDomainParseULL(text, &count) < 0 || count > G_MAXUINT)) {
            virReportError(VIR_ERR_XML_ERROR, "invalid iothreads count '%s'", text);
            return -1;
        }
    }

    if ((node = virDomainXMLChild(root, "defaultiothread"))) {
        if (virDomainXMLPropNonNegInt(node, "thread_pool_min", 10, &def->defaultPoolMin) <
                0 ||
            virDomainXMLPropNonNegInt(node, "thread_pool_max", 10, &def->defaultPoolMax) <
                0)
            return -1;
    }

    if ((node = virDomainXMLChild(root, "iothreadids"))) {
        for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
            virDomainIOThreadDef *t;
            unsigned int id = 0;
            int min, max;

            if (cur->type != XML_ELEMENT_NODE)
                continue;
            if (!virDomainXMLNodeIs(cur, "iothread")) {
                virDomainXMLRecordUnknown(unknown, "iothreadids", cur, flags, failed);
                if (*failed)
                    return -1;
                continue;
            }
            if (virDomainXMLPropUIntNonZero(cur, "id", true, &id) < 0 ||
                virDomainXMLPropNonNegInt(cur, "thread_pool_min", 10, &min) < 0 ||
                virDomainXMLPropNonNegInt(cur, "thread_pool_max", 10, &max) < 0)
                return -1;
            if (virDomainIOThreadFind(def, id)) {
                virReportError(VIR_ERR_XML_ERROR, "duplicate iothread id '%u' found", id);
                return -1;
            }
            /* <poll> is libvirt 9.4's: not carried, refused by the drivers */
            for (xmlNodePtr c = cur->children; c; c = c->next) {
                if (c->type != XML_ELEMENT_NODE)
                    continue;
                virDomainXMLRecordUnknown(unknown, "iothreadids/iothread", c, flags,
                                          failed);
                if (*failed)
                    return -1;
            }
            t = virDomainIOThreadAdd(def, id);
            t->poolMin = min;
            t->poolMax = max;
            given++;
        }
    }

    if (count < given)
        count = given;
    /* The wire carries at most 16384 IOThreads (IOTHREAD_INFO_MAX), and
     * each costs QEMU a thread: libvirt 9.0 takes any count */
    if (count > VIR_DOMAIN_IOTHREADS_MAX) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "iothreads count %llu exceeds the maximum of %d", count,
                       VIR_DOMAIN_IOTHREADS_MAX);
        return -1;
    }
    if (count == given)
        return 0;

    /* libvirt's virDomainIOThreadIDDefArrayInit: the missing ones get the
     * lowest ids not given, after the given ones */
    used = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (size_t i = 0; i < def->niothreads; i++)
        g_hash_table_add(used, GUINT_TO_POINTER(def->iothreads[i]->id));
    while (def->niothreads < count) {
        while (g_hash_table_contains(used, GUINT_TO_POINTER(next)))
            next++;
        virDomainIOThreadAdd(def, next++)->autofill = true;
    }
    return 0;
}

int
virDomainIOThreadsValidate(const virDomainDef *def)
{
    for (size_t i = 0; i < def->niothreads; i++) {
        if (checkPool(def->iothreads[i]->poolMin, def->iothreads[i]->poolMax) < 0)
            return -1;
    }
    if ((def->defaultPoolMin >= 0 || def->defaultPoolMax >= 0) &&
        checkPool(def->defaultPoolMin, def->defaultPoolMax) < 0)
        return -1;
    return 0;
}

int
virDomainIOThreadPinParse(virDomainDef *def, xmlNodePtr node)
{
    unsigned int id = 0;
    virDomainIOThreadDef *t;
    g_autofree char *cpuset = NULL;

    if (virDomainXMLPropUIntNonZero(node, "iothread", true, &id) < 0)
        return -1;
    if (!(t = virDomainIOThreadFind(def, id))) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Cannot find 'iothread' : %u", id);
        return -1;
    }
    if (!(cpuset = virDomainXMLProp(node, "cpuset"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing cpuset for iothreadpin");
        return -1;
    }
    g_clear_pointer(&cpuset, g_free);
    if (!(cpuset = virDomainParsePinCpuset(node)))
        return -1;
    if (t->cpuset) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "duplicate iothreadpin for same iothread '%u'", id);
        return -1;
    }
    t->cpuset = g_steal_pointer(&cpuset);
    return 0;
}

static void
indentTo(GString *buf, int indent)
{
    for (int i = 0; i < indent; i++)
        g_string_append_c(buf, ' ');
}

void
virDomainIOThreadsFormat(GString *buf, int indent, const virDomainDef *def)
{
    bool ids = false;

    if (def->niothreads) {
        indentTo(buf, indent);
        g_string_append_printf(buf, "<iothreads>%zu</iothreads>\n", def->niothreads);
    }
    /* libvirt lists the ids once one of them was written or has a setting */
    for (size_t i = 0; i < def->niothreads; i++) {
        const virDomainIOThreadDef *t = def->iothreads[i];

        if (!t->autofill || t->poolMin >= 0 || t->poolMax >= 0)
            ids = true;
    }
    if (ids) {
        indentTo(buf, indent);
        g_string_append(buf, "<iothreadids>\n");
        for (size_t i = 0; i < def->niothreads; i++) {
            const virDomainIOThreadDef *t = def->iothreads[i];

            indentTo(buf, indent + 2);
            g_string_append_printf(buf, "<iothread id='%u'", t->id);
            if (t->poolMin >= 0)
                g_string_append_printf(buf, " thread_pool_min='%d'", t->poolMin);
            if (t->poolMax >= 0)
                g_string_append_printf(buf, " thread_pool_max='%d'", t->poolMax);
            g_string_append(buf, "/>\n");
        }
        indentTo(buf, indent);
        g_string_append(buf, "</iothreadids>\n");
    }
    if (def->defaultPoolMin >= 0 || def->defaultPoolMax >= 0) {
        indentTo(buf, indent);
        g_string_append(buf, "<defaultiothread");
        if (def->defaultPoolMin >= 0)
            g_string_append_printf(buf, " thread_pool_min='%d'", def->defaultPoolMin);
        if (def->defaultPoolMax >= 0)
            g_string_append_printf(buf, " thread_pool_max='%d'", def->defaultPoolMax);
        g_string_append(buf, "/>\n");
    }
}

void
virDomainIOThreadPinsFormat(GString *buf, int indent, const virDomainDef *def)
{
    for (size_t i = 0; i < def->niothreads; i++) {
        const virDomainIOThreadDef *t = def->iothreads[i];

        if (!t->cpuset)
            continue;
        indentTo(buf, indent);
        g_string_append_printf(buf, "<iothreadpin iothread='%u' cpuset='%s'/>\n", t->id,
                               t->cpuset);
    }
}
