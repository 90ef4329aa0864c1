/* network_port_conf.c: parse and format libvirt 9.0's <networkport> XML */

#define G_LOG_DOMAIN "virtkit.conf.networkport"

#include <string.h>
#include <libxml/tree.h>

#include "domain_conf_priv.h"
#include "network_conf.h"
#include "network_port_conf.h"
#include "virerror.h"
#include "virfile.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_NETWORK

#define PORT_XML_MAX_SIZE (1024 * 1024)

static const char *const plugTypeNames[VIR_NETWORK_PORT_PLUG_TYPE_LAST] = {
    "none", "network", "bridge", "direct", "hostdev-pci",
};

static const char *const macTableNames[] = { "default", "kernel", "libvirt", NULL };

virNetworkPortDef *
virNetworkPortDefNew(void)
{
    return g_new0(virNetworkPortDef, 1);
}

void
virNetworkPortDefFree(virNetworkPortDef *def)
{
    if (!def)
        return;
    g_free(def->ownername);
    g_free(def->group);
    g_free(def->bridge);
    g_free(def);
}

/* ---- parsing ---------------------------------------------------------- */

/* Only one @name child of @node: NULL (none), or -1 reported for two. */
static int
uniqueChild(xmlNodePtr node, const char *name, xmlNodePtr *out)
{
    *out = NULL;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || !virDomainXMLNodeIs(c, name))
            continue;
        if (*out) {
            virReportError(VIR_ERR_XML_DETAIL, "Only one child <%s> element allowed",
                           name);
            return -1;
        }
        *out = c;
    }
    return 0;
}

/* libvirt's virNetDevBandwidthParseRate. */
static int
parseRate(xmlNodePtr node, virNetworkPortRate *rate, bool inbound)
{
    g_autofree char *average = virDomainXMLProp(node, "average");
    g_autofree char *peak = virDomainXMLProp(node, "peak");
    g_autofree char *burst = virDomainXMLProp(node, "burst");
    g_autofree char *floor = virDomainXMLProp(node, "floor");

    if (average) {
        if (virDomainParseULL(average, &rate->average) < 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "could not convert bandwidth average value '%s'", average);
            return -1;
        }
    } else if (!floor) {
        virReportError(VIR_ERR_XML_DETAIL, "%s",
                       "Missing mandatory average or floor attributes");
        return -1;
    }
    if ((peak || burst) && !average) {
        virReportError(VIR_ERR_XML_DETAIL, "%s",
                       "'peak' and 'burst' require 'average' attribute");
        return -1;
    }
    if (peak && virDomainParseULL(peak, &rate->peak) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "could not convert bandwidth peak value '%s'", peak);
        return -1;
    }
    if (burst && virDomainParseULL(burst, &rate->burst) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "could not convert bandwidth burst value '%s'", burst);
        return -1;
    }
    if (floor) {
        if (!inbound) {
            virReportError(VIR_ERR_XML_DETAIL, "%s",
                           "'floor' attribute allowed only in <inbound> element");
            return -1;
        }
        /* a guaranteed minimum needs QoS classes on the network's bridge */
        virDomainReportUnsupportedValue("bandwidth floor", floor);
        return -1;
    }
    return 0;
}

static int
parseBandwidth(xmlNodePtr node, virNetworkPortDef *def)
{
    xmlNodePtr in, out;

    if (uniqueChild(node, "inbound", &in) < 0 || uniqueChild(node, "outbound", &out) < 0)
        return -1;
    if (in) {
        if (parseRate(in, &def->in, true) < 0)
            return -1;
        def->hasIn = true;
    }
    if (out) {
        if (parseRate(out, &def->out, false) < 0)
            return -1;
        def->hasOut = true;
    }
    def->hasBandwidth = def->hasIn || def->hasOut;
    return 0;
}

static int
parseUUIDText(xmlNodePtr node, const char *missing, unsigned char *uuid)
{
    g_autofree char *text = virDomainXMLNodeTextNonEmpty(node);

    if (!text) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", missing);
        return -1;
    }
    if (virUUIDParse(text, uuid) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Unable to parse UUID '%s'", text);
        return -1;
    }
    return 0;
}

static virNetworkPortDef *
parseNode(xmlNodePtr root)
{
    g_autoptr(virNetworkPortDef) def = virNetworkPortDefNew();
    xmlNodePtr owner, node;
    g_autofree char *mac = NULL;
    static const char *const refused[] = { "virtualport", "vlan", "port", NULL };

    if (!root || !virDomainXMLNodeIs(root, "networkport")) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "expecting root element of 'networkport', not '%s'",
                           root ? (const char *)root->name : "");
        return NULL;
    }
    if (parseUUIDText(virDomainXMLChild(root, "uuid"), "network port has no uuid",
                      def->uuid) < 0)
        return NULL;
    if (!(owner = virDomainXMLChild(root, "owner"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "network port has no owner");
        return NULL;
    }
    if (!(def->ownername =
              virDomainXMLNodeTextNonEmpty(virDomainXMLChild(owner, "name")))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "network port has no owner name");
        return NULL;
    }
    if (parseUUIDText(virDomainXMLChild(owner, "uuid"), "network port has no owner UUID",
                      def->owneruuid) < 0)
        return NULL;
    def->group = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(root, "group"));
    if ((node = virDomainXMLChild(root, "mac")))
        mac = virDomainXMLProp(node, "address");
    if (!mac) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "network port has no mac");
        return NULL;
    }
    if (virDomainMACParse(mac, def->mac) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Unable to parse MAC '%s'", mac);
        return NULL;
    }
    for (size_t i = 0; refused[i]; i++) {
        if (virDomainXMLChild(root, refused[i])) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "network port element <%s> is not supported by virtkit",
                           refused[i]);
            return NULL;
        }
    }
    if ((node = virDomainXMLChild(root, "bandwidth")) && parseBandwidth(node, def) < 0)
        return NULL;
    if ((node = virDomainXMLChild(root, "rxfilters"))) {
        g_autofree char *trust = virDomainXMLProp(node, "trustGuest");

        if (trust) {
            if (strcmp(trust, "yes") == 0) {
                def->trustGuestRxFilters = 1;
            } else if (strcmp(trust, "no") == 0) {
                def->trustGuestRxFilters = 2;
            } else {
                virDomainXMLReportInvalidAttr("trustGuest", node, trust);
                return NULL;
            }
        }
    }
    if ((node = virDomainXMLChild(root, "plug"))) {
        g_autofree char *type = virDomainXMLProp(node, "type");
        g_autofree char *macmgr = NULL;
        int t;

        if (type) {
            t = virDomainEnumFromString(plugTypeNames, VIR_NETWORK_PORT_PLUG_TYPE_LAST,
                                        type);
            if (t < 0) {
                virDomainXMLReportInvalidAttr("type", node, type);
                return NULL;
            }
            def->plugtype = t;
        }
        switch (def->plugtype) {
        case VIR_NETWORK_PORT_PLUG_TYPE_NONE:
            break;
        case VIR_NETWORK_PORT_PLUG_TYPE_NETWORK:
        case VIR_NETWORK_PORT_PLUG_TYPE_BRIDGE:
            if (!(def->bridge = virDomainXMLProp(node, "bridge"))) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "Missing network port bridge name");
                return NULL;
            }
            macmgr = virDomainXMLProp(node, "macTableManager");
            if (macmgr) {
                int m = -1;

                for (int i = 1; macTableNames[i]; i++) {
                    if (strcmp(macmgr, macTableNames[i]) == 0)
                        m = i;
                }
                if (m < 0) {
                    virReportError(VIR_ERR_INTERNAL_ERROR,
                                   "Invalid macTableManager setting '%s' in network port",
                                   macmgr);
                    return NULL;
                }
                def->macTableManager = m;
            }
            break;
        default:
            virDomainReportUnsupportedValue("network port plug type", type);
            return NULL;
        }
    }
    return g_steal_pointer(&def);
}

static virNetworkPortDef *
parseBuffer(const char *xml, size_t len, const char *url)
{
    xmlDocPtr doc;
    virNetworkPortDef *def;

    if (len > PORT_XML_MAX_SIZE) {
        virReportError(VIR_ERR_XML_ERROR,
                       "document of %zu bytes exceeds the limit of %d bytes", len,
                       PORT_XML_MAX_SIZE);
        return NULL;
    }
    if (!(doc = virDomainXMLReadDoc(xml, len, url))) {
        virErrorPtr saved = NULL;

        /* a syntax error is the NETWORK domain's, as libvirt reports it */
        virErrorPreserveLast(&saved);
        if (saved) {
            virSetErrorRaw(VIR_FROM_NETWORK, saved->code, saved->level, saved->message,
                           saved->str1, saved->str2, saved->str3, saved->int1,
                           saved->int2);
            virFreeError(saved);
        }
        return NULL;
    }
    def = parseNode(xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    return def;
}

virNetworkPortDef *
virNetworkPortDefParseString(const char *xml)
{
    if (!xml) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "xml must not be NULL");
        return NULL;
    }
    return parseBuffer(xml, strlen(xml), "(networkport_definition)");
}

virNetworkPortDef *
virNetworkPortDefParseFile(const char *path)
{
    g_autofree char *buf = NULL;
    ssize_t len;

    if ((len = virFileReadAll(path, PORT_XML_MAX_SIZE, &buf)) < 0)
        return NULL;
    return parseBuffer(buf, len, path);
}

/* ---- formatting ------------------------------------------------------- */

static void
formatRate(GString *buf, const char *elem, const virNetworkPortRate *r)
{
    g_string_append_printf(buf, "    <%s", elem);
    /* always: average is mandatory (floor is refused), so an average of 0
     * left out would not parse again */
    g_string_append_printf(buf, " average='%llu'", r->average);
    if (r->peak)
        g_string_append_printf(buf, " peak='%llu'", r->peak);
    if (r->burst)
        g_string_append_printf(buf, " burst='%llu'", r->burst);
    g_string_append(buf, "/>\n");
}

char *
virNetworkPortDefFormat(const virNetworkPortDef *def)
{
    GString *buf = g_string_new("<networkport>\n");
    char uuid[VIR_UUID_STRING_BUFLEN];
    char mac[18];

    virUUIDFormat(def->uuid, uuid);
    g_string_append_printf(buf, "  <uuid>%s</uuid>\n  <owner>\n    <name>", uuid);
    virDomainXMLEscape(buf, def->ownername);
    virUUIDFormat(def->owneruuid, uuid);
    g_string_append_printf(buf, "</name>\n    <uuid>%s</uuid>\n  </owner>\n", uuid);
    if (def->group) {
        g_string_append(buf, "  <group>");
        virDomainXMLEscape(buf, def->group);
        g_string_append(buf, "</group>\n");
    }
    virNetworkFormatMAC(def->mac, mac);
    g_string_append_printf(buf, "  <mac address='%s'/>\n", mac);
    if (def->hasBandwidth) {
        /* libvirt formats an empty element as two lines */
        g_string_append(buf, "  <bandwidth>\n");
        if (def->hasIn)
            formatRate(buf, "inbound", &def->in);
        if (def->hasOut)
            formatRate(buf, "outbound", &def->out);
        g_string_append(buf, "  </bandwidth>\n");
    }
    if (def->trustGuestRxFilters)
        g_string_append_printf(buf, "  <rxfilters trustGuest='%s'/>\n",
                               def->trustGuestRxFilters == 1 ? "yes" : "no");
    if (def->plugtype == VIR_NETWORK_PORT_PLUG_TYPE_NETWORK ||
        def->plugtype == VIR_NETWORK_PORT_PLUG_TYPE_BRIDGE) {
        g_string_append_printf(buf, "  <plug type='%s'", plugTypeNames[def->plugtype]);
        if (def->bridge) {
            g_string_append(buf, " bridge='");
            virDomainXMLEscape(buf, def->bridge);
            g_string_append_c(buf, '\'');
        }
        if (def->macTableManager)
            g_string_append_printf(buf, " macTableManager='%s'",
                                   macTableNames[def->macTableManager]);
        g_string_append(buf, "/>\n");
    }
    g_string_append(buf, "</networkport>\n");
    return g_string_free(buf, FALSE);
}

/* ---- status files ----------------------------------------------------- */

int
virNetworkPortDefSaveStatus(const char *dir, const virNetworkPortDef *def)
{
    char uuid[VIR_UUID_STRING_BUFLEN];
    g_autofree char *path = NULL;
    g_autofree char *xml = virNetworkPortDefFormat(def);

    virUUIDFormat(def->uuid, uuid);
    path = g_strdup_printf("%s/%s.xml", dir, uuid);
    if (virFileMakePath(dir, 0755) < 0)
        return -1;
    return virFileWriteAtomic(path, xml, strlen(xml), 0600);
}

int
virNetworkPortDefDeleteStatus(const char *dir, const unsigned char *uuid)
{
    char str[VIR_UUID_STRING_BUFLEN];
    g_autofree char *path = NULL;

    virUUIDFormat(uuid, str);
    path = g_strdup_printf("%s/%s.xml", dir, str);
    return virFileRemoveDurable(path);
}
