/* domain_xml.c: safe libxml2 reading of domain documents and small XML helpers for src/conf */

#define G_LOG_DOMAIN "virtkit.conf.xml"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

int
virDomainEnumFromString(const char *const *names, int last, const char *str)
{
    if (!str)
        return -1;
    for (int i = 0; i < last; i++) {
        if (names[i] && strcmp(names[i], str) == 0)
            return i;
    }
    return -1;
}

const char *
virDomainEnumToString(const char *const *names, int last, int value)
{
    if (value < 0 || value >= last)
        return NULL;
    return names[value];
}

bool
virDomainStrInList(const char *const *list, const char *str)
{
    for (; *list; list++) {
        if (strcmp(*list, str) == 0)
            return true;
    }
    return false;
}

/* ---- virtio options ---------------------------------------------------- */

static const char *const virtioOptionNames[] = { "iommu", "ats", "packed",
                                                 "page_per_vq" };

const char *const virDomainVirtioOptionsAttrs[] = { "iommu", "ats", "packed",
                                                    "page_per_vq", NULL };

static int *
virtioOptionSlot(virDomainVirtioOptions *v, size_t i)
{
    int *slots[] = { &v->iommu, &v->ats, &v->packed, &v->pagePerVq };

    return slots[i];
}

bool
virDomainVirtioOptionsIsSet(const virDomainVirtioOptions *v)
{
    return v->iommu || v->ats || v->packed || v->pagePerVq;
}

int
virDomainVirtioOptionsParse(xmlNodePtr driver, virDomainVirtioOptions *v)
{
    virDomainVirtioOptions tmp = { 0 };

    if (!driver)
        return 0;
    for (size_t i = 0; i < G_N_ELEMENTS(virtioOptionNames); i++) {
        g_autofree char *val = virDomainXMLProp(driver, virtioOptionNames[i]);

        if (!val)
            continue;
        if (g_str_equal(val, "on")) {
            *virtioOptionSlot(&tmp, i) = VIR_DOMAIN_TRISTATE_ON;
        } else if (g_str_equal(val, "off")) {
            *virtioOptionSlot(&tmp, i) = VIR_DOMAIN_TRISTATE_OFF;
        } else {
            virDomainXMLReportInvalidAttr(virtioOptionNames[i], driver, val);
            return -1;
        }
    }
    *v = tmp;
    return 0;
}

void
virDomainVirtioOptionsFormat(GString *buf, const virDomainVirtioOptions *v)
{
    virDomainVirtioOptions copy = *v;

    for (size_t i = 0; i < G_N_ELEMENTS(virtioOptionNames); i++) {
        int val = *virtioOptionSlot(&copy, i);

        if (val)
            g_string_append_printf(buf, " %s='%s'", virtioOptionNames[i],
                                   virDomainTristateSwitchToString(val));
    }
}

int
virDomainVirtioOptionsCheckAbsent(const virDomainVirtioOptions *v)
{
    /* libvirt's virDomainCheckVirtioOptionsAreAbsent, its words */
    if (v->iommu) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "iommu driver option is only supported for virtio devices");
        return -1;
    }
    if (v->ats) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "ats driver option is only supported for virtio devices");
        return -1;
    }
    if (v->packed) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "packed driver option is only supported for virtio devices");
        return -1;
    }
    if (v->pagePerVq) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "page_per_vq option is only supported for virtio devices");
        return -1;
    }
    return 0;
}

/* ---- XML helpers ------------------------------------------------------- */

/*
 * Text helpers read only text and CDATA nodes: an entity reference (which
 * exists in the tree only because entities are never substituted) is
 * skipped, never expanded, so no document can amplify itself.
 */
char *
virDomainXMLNodeText(xmlNodePtr node)
{
    g_autoptr(GString) buf = NULL;
    xmlNodePtr only = node->children;

    /* The common case, one text node, is copied to its exact size: a
     * GString keeps at least 64 bytes, and definitions keep these strings
     * for the daemon's lifetime (10,000 of them). */
    if (!only)
        return g_strdup("");
    if (!only->next &&
        (only->type == XML_TEXT_NODE || only->type == XML_CDATA_SECTION_NODE))
        return g_strdup(only->content ? (const char *)only->content : "");

    buf = g_string_new(NULL);
    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        if (cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) {
            if (cur->content)
                g_string_append(buf, (const char *)cur->content);
        } else if (cur->type == XML_ELEMENT_NODE) {
            g_autofree char *sub = virDomainXMLNodeText(cur);
            g_string_append(buf, sub);
        }
    }
    return g_strndup(buf->str, buf->len);
}

/* Text content, or NULL when empty (as libvirt's string() XPath helpers). */
char *
virDomainXMLNodeTextNonEmpty(xmlNodePtr node)
{
    char *str = node ? virDomainXMLNodeText(node) : NULL;

    if (str && !*str)
        g_clear_pointer(&str, g_free);
    return str;
}

char *
virDomainXMLProp(xmlNodePtr node, const char *name)
{
    xmlAttrPtr attr;
    g_autoptr(GString) buf = NULL;

    if (!node)
        return NULL;
    attr = xmlHasProp(node, (const xmlChar *)name);
    if (!attr || attr->type != XML_ATTRIBUTE_NODE)
        return NULL;
    /* One text child is the rule: copied to its exact size (see above). */
    if (!attr->children)
        return g_strdup("");
    if (!attr->children->next && attr->children->type == XML_TEXT_NODE)
        return g_strdup(attr->children->content ? (const char *)attr->children->content
                                                : "");
    buf = g_string_new(NULL);
    for (xmlNodePtr cur = attr->children; cur; cur = cur->next) {
        if (cur->type == XML_TEXT_NODE && cur->content)
            g_string_append(buf, (const char *)cur->content);
    }
    return g_strndup(buf->str, buf->len);
}

gpointer
virDomainArrayStealExact(GArray *arr)
{
    gsize bytes = (gsize)arr->len * g_array_get_element_size(arr);
    gpointer data = g_array_free(arr, FALSE);

    if (bytes == 0) {
        g_free(data);
        return NULL;
    }
    return g_realloc(data, bytes);
}

gpointer
virDomainPtrArrayStealExact(GPtrArray *arr)
{
    gsize bytes = (gsize)arr->len * sizeof(gpointer);
    gpointer data;

    /* the elements now belong to the caller, not to the array's free func */
    g_ptr_array_set_free_func(arr, NULL);
    data = g_ptr_array_free(arr, FALSE);
    if (bytes == 0) {
        g_free(data);
        return NULL;
    }
    return g_realloc(data, bytes);
}

xmlNodePtr
virDomainXMLChild(xmlNodePtr parent, const char *name)
{
    if (!parent)
        return NULL;
    for (xmlNodePtr cur = parent->children; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE && strcmp((const char *)cur->name, name) == 0)
            return cur;
    }
    return NULL;
}

char *
virDomainXMLChildText(xmlNodePtr parent, const char *name)
{
    xmlNodePtr n = virDomainXMLChild(parent, name);

    return n ? virDomainXMLNodeText(n) : NULL;
}

bool
virDomainXMLNodeIs(xmlNodePtr node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

void
virDomainXMLRecordUnknown(GPtrArray *unknown, const char *parent, xmlNodePtr node,
                          unsigned int flags, bool *failed)
{
    g_autofree char *path = NULL;

    if (parent)
        path = g_strdup_printf("%s/%s", parent, (const char *)node->name);
    else
        path = g_strdup((const char *)node->name);

    if ((flags & VIR_DOMAIN_DEF_PARSE_VALIDATE) && !*failed) {
        virReportErrorFull(
            VIR_FROM_XML, VIR_ERR_XML_INVALID_SCHEMA, __func__,
            "Unable to validate doc against domain.rng\n"
            "Element %s has extra content: %s",
            parent ? (strrchr(parent, '/') ? strrchr(parent, '/') + 1 : parent)
                   : "domain",
            (const char *)node->name);
        *failed = true;
    }
    /* Bounded, so that a document of many distinct unknown names costs
     * linear time: past the cap the list already tells a driver there is
     * something it cannot honour. */
    if (unknown->len >= VIR_DOMAIN_UNKNOWN_ELEMENTS_MAX)
        return;
    for (size_t i = 0; i < unknown->len; i++) {
        if (strcmp(g_ptr_array_index(unknown, i), path) == 0)
            return;
    }
    g_ptr_array_add(unknown, g_steal_pointer(&path));
}

static void
recordUnknownPath(GPtrArray *unknown, char *path)
{
    if (unknown->len >= VIR_DOMAIN_UNKNOWN_ELEMENTS_MAX) {
        g_free(path);
        return;
    }
    for (size_t i = 0; i < unknown->len; i++) {
        if (strcmp(g_ptr_array_index(unknown, i), path) == 0) {
            g_free(path);
            return;
        }
    }
    g_ptr_array_add(unknown, path);
}

/* The attributes of @node not in @attrs, recorded as "P1/P2/SUB@NAME" (the
 * non-NULL parts; "domain@NAME" when all are NULL). Allocates only then. */
static void
checkNodeAttrs(GPtrArray *unknown, const char *p1, const char *p2, const char *sub,
               xmlNodePtr node, const char *const *attrs, unsigned int flags,
               bool *failed)
{
    for (xmlAttrPtr a = node->properties; a; a = a->next) {
        const char *name = (const char *)a->name;
        const char *parts[3] = { p1, p2, sub };
        g_autoptr(GString) path = NULL;
        bool known = false;

        for (const char *const *k = attrs; *k; k++) {
            if (!a->ns && strcmp(*k, name) == 0) {
                known = true;
                break;
            }
        }
        if (known)
            continue;
        if ((flags & VIR_DOMAIN_DEF_PARSE_VALIDATE) && !*failed) {
            virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_INVALID_SCHEMA, __func__,
                               "Unable to validate doc against domain.rng\n"
                               "Invalid attribute %s for element %s",
                               name, (const char *)node->name);
            *failed = true;
        }
        path = g_string_new(NULL);
        for (size_t i = 0; i < G_N_ELEMENTS(parts); i++) {
            if (!parts[i])
                continue;
            if (path->len)
                g_string_append_c(path, '/');
            g_string_append(path, parts[i]);
        }
        g_string_append_printf(path, "%s@%s", path->len ? "" : "domain", name);
        recordUnknownPath(unknown, g_string_free(g_steal_pointer(&path), FALSE));
    }
}

static bool
nodeNameIs(xmlNodePtr node, const char *name, size_t len)
{
    return node->type == XML_ELEMENT_NODE && node->name[0] == (xmlChar)name[0] &&
           strncmp((const char *)node->name, name, len) == 0 && node->name[len] == '\0';
}

/* Allocates nothing unless an attribute is not carried; an element child
 * without attributes anywhere below it is skipped without a rule scan. */
static void
checkAttrs(GPtrArray *unknown, const char *p1, const char *p2, xmlNodePtr node,
           const virDomainXMLAttrRule *rules, unsigned int flags, bool *failed)
{
    for (const virDomainXMLAttrRule *r = rules; r->path; r++) {
        if (!*r->path && node->properties)
            checkNodeAttrs(unknown, p1, p2, NULL, node, r->attrs, flags, failed);
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        bool attrsBelow = c->properties != NULL;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        for (xmlNodePtr g = c->children; g && !attrsBelow; g = g->next)
            attrsBelow = g->type == XML_ELEMENT_NODE && g->properties;
        if (!attrsBelow)
            continue;
        for (const virDomainXMLAttrRule *r = rules; r->path; r++) {
            const char *slash;
            size_t len;

            if (!*r->path || r->path[0] != (char)c->name[0])
                continue;
            slash = strchr(r->path, '/');
            len = slash ? (size_t)(slash - r->path) : strlen(r->path);
            if (!nodeNameIs(c, r->path, len))
                continue;
            if (!slash) {
                if (c->properties)
                    checkNodeAttrs(unknown, p1, p2, r->path, c, r->attrs, flags, failed);
                continue;
            }
            for (xmlNodePtr g = c->children; g; g = g->next) {
                if (g->properties && virDomainXMLNodeIs(g, slash + 1))
                    checkNodeAttrs(unknown, p1, p2, r->path, g, r->attrs, flags, failed);
            }
        }
    }
}

void
virDomainXMLCheckAttrs(GPtrArray *unknown, const char *parent, xmlNodePtr node,
                       const virDomainXMLAttrRule *rules, unsigned int flags,
                       bool *failed)
{
    checkAttrs(unknown, parent, NULL, node, rules, flags, failed);
}

void
virDomainXMLCheckDeviceAttrs(GPtrArray *unknown, xmlNodePtr node,
                             const virDomainXMLAttrRule *rules, unsigned int flags,
                             bool *failed)
{
    checkAttrs(unknown, "devices", (const char *)node->name, node, rules, flags, failed);
}

/* libvirt's virXMLPropEnum messages (domain XML). */
void
virDomainXMLReportInvalidAttr(const char *attr, xmlNodePtr node, const char *value)
{
    virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                       "Invalid value for attribute '%s' in element '%s': '%s'.", attr,
                       (const char *)node->name, value);
}

void
virDomainXMLReportMissingAttr(const char *attr, xmlNodePtr node)
{
    virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                       "Missing required attribute '%s' in element '%s'", attr,
                       (const char *)node->name);
}

void
virDomainReportUnsupportedValue(const char *what, const char *value)
{
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s '%s' is not supported by virtkit",
                   what, value);
}

/* libvirt's virFileSanitizePath, in place: runs of '/' collapsed (a
 * leading "//" kept, POSIX leaves it to the system), no trailing '/'
 * (but "/" and "//" stay) */
void
virDomainSanitizePath(char *path)
{
    size_t r = 0;
    size_t w = 0;

    if (path[0] == '/' && path[1] == '/' && path[2] != '/')
        r = w = 2;
    for (; path[r]; r++) {
        if (path[r] == '/' && w > 0 && path[w - 1] == '/')
            continue;
        path[w++] = path[r];
    }
    if (w > 1 && path[w - 1] == '/' && !(w == 2 && path[0] == '/'))
        w--;
    path[w] = '\0';
}

/* libvirt's virXMLPropTristateSwitch: @name of @node absent (0, @out
 * untouched), "on" or "off"; anything else is its XML error */
int
virDomainXMLPropSwitch(xmlNodePtr node, const char *name, int *out)
{
    g_autofree char *str = node ? virDomainXMLProp(node, name) : NULL;

    if (!str)
        return 0;
    if (g_str_equal(str, "on")) {
        *out = VIR_DOMAIN_TRISTATE_ON;
    } else if (g_str_equal(str, "off")) {
        *out = VIR_DOMAIN_TRISTATE_OFF;
    } else {
        virDomainXMLReportInvalidAttr(name, node, str);
        return -1;
    }
    return 1;
}

const char *
virDomainTristateSwitchName(int v)
{
    return v == VIR_DOMAIN_TRISTATE_ON ? "on" : "off";
}

/* libvirt's virXMLPropInt with base 0 (decimal, 0x hex, 0 octal): 0 when
 * @name is absent (@out untouched), 1 when read; a value that is not an
 * int gets its "Expected integer value" error */
int
virDomainXMLPropInt(xmlNodePtr node, const char *name, int *out)
{
    g_autofree char *str = node ? virDomainXMLProp(node, name) : NULL;
    char *end = NULL;
    long long val;

    if (!str)
        return 0;
    errno = 0;
    val = strtoll(str, &end, 0);
    if (!*str || errno || *end || val > G_MAXINT || val < G_MININT) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute '%s' in element '%s': '%s'. "
                           "Expected integer value",
                           name, (const char *)node->name, str);
        return -1;
    }
    *out = (int)val;
    return 1;
}

/*
 * Parse an unsigned decimal as libvirt's virStrToLong_ullp does: leading
 * blanks and a '+' allowed, no '-', nothing after the digits.
 */
int
virDomainParseULL(const char *str, unsigned long long *val)
{
    char *end = NULL;
    const char *p = str;

    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (*p == '+')
        p++;
    if (!g_ascii_isdigit(*p))
        return -1;
    errno = 0;
    *val = strtoull(p, &end, 10);
    if (errno != 0 || end == p || *end != '\0')
        return -1;
    return 0;
}

/*
 * Scale @value by the unit @suffix (libvirt's virScaleInteger with a
 * default scale of KiB) into bytes, refusing results above @limit.
 */
int
virDomainScaleInteger(unsigned long long *value, const char *suffix,
                      unsigned long long limit)
{
    unsigned long long scale = 1024;

    if (suffix && *suffix) {
        if (g_ascii_strcasecmp(suffix, "b") == 0 ||
            g_ascii_strcasecmp(suffix, "byte") == 0 ||
            g_ascii_strcasecmp(suffix, "bytes") == 0) {
            scale = 1;
        } else {
            unsigned long long base;
            int power;

            if (!suffix[1] || g_ascii_strcasecmp(suffix + 1, "iB") == 0) {
                base = 1024;
            } else if (g_ascii_tolower(suffix[1]) == 'b' && !suffix[2]) {
                base = 1000;
            } else {
                virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __func__,
                                   "unknown suffix '%s'", suffix);
                return -1;
            }
            switch (g_ascii_tolower(*suffix)) {
            case 'k':
                power = 1;
                break;
            case 'm':
                power = 2;
                break;
            case 'g':
                power = 3;
                break;
            case 't':
                power = 4;
                break;
            case 'p':
                power = 5;
                break;
            case 'e':
                power = 6;
                break;
            default:
                virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __func__,
                                   "unknown suffix '%s'", suffix);
                return -1;
            }
            scale = 1;
            while (power--)
                scale *= base;
        }
    }

    if (*value && *value > limit / scale) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_OVERFLOW, __func__,
                           "value too large: %llu%s", *value, suffix ? suffix : "");
        return -1;
    }
    *value *= scale;
    return 0;
}

/* ---- reading documents ------------------------------------------------- */

typedef struct {
    bool reported;
} parserState;

/*
 * libxml2 calls this for every parser error; report the first fatal one as
 * libvirt does: "URL:LINE: MESSAGE" + the offending line + a caret line.
 */
static void
catchXMLError(void *ctx, const char *msg G_GNUC_UNUSED, ...)
{
    xmlParserCtxtPtr ctxt = ctx;
    parserState *state;
    const xmlChar *cur, *base;
    g_autoptr(GString) context = NULL;
    g_autoptr(GString) pointer = NULL;
    size_t col;
    const xmlError *err;

    if (!ctxt || !ctxt->input || !(state = ctxt->_private) || state->reported)
        return;
    err = &ctxt->lastError;
    if (err->level != XML_ERR_FATAL || !err->message)
        return;

    cur = ctxt->input->cur;
    base = ctxt->input->base;
    /* back over line ends, then to the start of the line */
    while (cur > base && (*cur == '\n' || *cur == '\r'))
        cur--;
    while (cur > base && *cur != '\n' && *cur != '\r')
        cur--;
    if (*cur == '\n' || *cur == '\r')
        cur++;
    col = ctxt->input->cur - cur;

    context = g_string_new(NULL);
    while (*cur && *cur != '\n' && *cur != '\r')
        g_string_append_c(context, *cur++);
    pointer = g_string_new(NULL);
    for (size_t n = 0; n < col && n < context->len; n++)
        g_string_append_c(pointer, context->str[n] == '\t' ? '\t' : '-');
    g_string_append_c(pointer, '^');

    virReportError(VIR_ERR_XML_DETAIL, "%s:%d: %s%s\n%s",
                   err->file ? err->file : "(domain_definition)", err->line, err->message,
                   context->len ? context->str : "(null)", pointer->str);
    state->reported = true;
}

static gsize xmlInitialized;

/* One parser context per thread, reused from document to document
 * (xmlCtxtReadMemory resets it): a fresh context costs a few dozen
 * allocations, which shows when a daemon loads 10,000 definitions. */
static GPrivate parserCtxtKey = G_PRIVATE_INIT((GDestroyNotify)xmlFreeParserCtxt);

static xmlParserCtxtPtr
parserCtxtGet(void)
{
    xmlParserCtxtPtr ctxt = g_private_get(&parserCtxtKey);

    if (!ctxt && (ctxt = xmlNewParserCtxt())) {
        ctxt->sax->error = catchXMLError;
        ctxt->sax->warning = NULL;
        ctxt->vctxt.error = NULL;
        ctxt->vctxt.warning = NULL;
        g_private_set(&parserCtxtKey, ctxt);
    }
    return ctxt;
}

static void
virDomainXMLInit(void)
{
    if (g_once_init_enter(&xmlInitialized)) {
        xmlInitParser();
        g_once_init_leave(&xmlInitialized, 1);
    }
}

xmlDocPtr
virDomainXMLReadDoc(const char *xml, size_t len, const char *url)
{
    xmlParserCtxtPtr ctxt = NULL;
    xmlDocPtr doc = NULL;
    parserState state = { false };

    virDomainXMLInit();

    if (len > VIR_DOMAIN_XML_MAX_SIZE) {
        virReportError(VIR_ERR_XML_ERROR,
                       "document of %zu bytes exceeds the limit of %d bytes", len,
                       VIR_DOMAIN_XML_MAX_SIZE);
        return NULL;
    }

    if (!(ctxt = parserCtxtGet())) {
        virReportError(VIR_ERR_NO_MEMORY, NULL);
        return NULL;
    }
    ctxt->_private = &state;

    /* No NOENT (entities stay references), no DTD loading, no network;
     * COMPACT keeps short text inside its node (fewer allocations). */
    doc = xmlCtxtReadMemory(ctxt, xml, (int)len, url, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA |
                                XML_PARSE_COMPACT);
    if (doc && !ctxt->wellFormed) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (!doc && !state.reported)
        virReportError(VIR_ERR_XML_ERROR, "failed to parse xml document '%s'", url);
    ctxt->_private = NULL;
    return doc;
}
