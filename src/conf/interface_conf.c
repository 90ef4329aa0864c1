/* interface_conf.c: host <interface> XML parse and format (libvirt 9.0's checks, messages and layout) */
#define G_LOG_DOMAIN "virtkit.conf.interface"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "domain_conf_priv.h"
#include "interface_conf.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_INTERFACE

/* libvirt refuses larger documents before parsing them. */
#define INTERFACE_XML_MAX_SIZE (10 * 1024 * 1024)

static const char *const ifaceTypes[] = { "ethernet", "bridge", "bond", "vlan" };
static const char *const startModes[] = { NULL, "none", "onboot", "hotplug" };
static const char *const bondModes[] = { NULL,          "balance-rr", "active-backup",
                                         "balance-xor", "broadcast",  "802.3ad",
                                         "balance-tlb", "balance-alb" };
static const char *const miiCarriers[] = { NULL, "ioctl", "netif" };
static const char *const arpValidates[] = { NULL, "active", "backup", "all" };
static const char *const linkStates[] = {
    "", "unknown", "notpresent", "down", "lowerlayerdown", "testing", "dormant", "up"
};

static int
lookupName(const char *const *names, size_t n, const char *str)
{
    for (size_t i = 0; i < n; i++) {
        if (names[i] && g_str_equal(names[i], str))
            return i;
    }
    return -1;
}

static void
ipDefFree(gpointer p)
{
    virInterfaceIPDef *ip = p;

    g_free(ip->address);
    g_free(ip);
}

static void
protoDefFree(gpointer p)
{
    virInterfaceProtocolDef *proto = p;

    if (!proto)
        return;
    g_free(proto->family);
    g_free(proto->gateway);
    if (proto->ips)
        g_ptr_array_unref(proto->ips);
    g_free(proto);
}

void
virInterfaceDefFree(virInterfaceDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->mac);
    g_free(def->delay);
    g_free(def->target);
    g_free(def->tag);
    g_free(def->devName);
    if (def->protos)
        g_ptr_array_unref(def->protos);
    if (def->itfs)
        g_ptr_array_unref(def->itfs);
    g_free(def);
}

/* XPath string() of the attribute @attr of the first child @child of
 * @node: NULL when either is absent or the value is empty. */
static char *
childAttr(xmlNodePtr node, const char *child, const char *attr)
{
    xmlNodePtr c = child ? virDomainXMLChild(node, child) : node;
    char *val;

    if (!c)
        return NULL;
    val = virDomainXMLProp(c, attr);
    if (val && !*val)
        g_clear_pointer(&val, g_free);
    return val;
}

/* libvirt's virXPathInt/ULong on string(...): 0 parsed, -1 absent (or
 * empty), -2 not a number of that kind. */
static int
childAttrLong(xmlNodePtr node, const char *child, const char *attr, bool isUnsigned,
              long long *out)
{
    g_autofree char *str = childAttr(node, child, attr);
    char *end = NULL;

    if (!str)
        return -1;
    errno = 0;
    if (isUnsigned) {
        unsigned long long v;

        if (strchr(str, '-'))
            return -2;
        v = strtoull(str, &end, 10);
        if (errno || end == str || *end || v > ULONG_MAX)
            return -2;
        *out = (long long)v;
    } else {
        long long v = strtoll(str, &end, 10);

        if (errno || end == str || *end || v < INT_MIN || v > INT_MAX)
            return -2;
        *out = v;
    }
    return 0;
}

/* <link speed state> (libvirt's virInterfaceLinkParseXML). */
static int
parseLink(xmlNodePtr lnk, virInterfaceDef *def)
{
    g_autofree char *state = virDomainXMLProp(lnk, "state");
    g_autofree char *speed = virDomainXMLProp(lnk, "speed");

    if (state && *state) {
        int s = lookupName(linkStates, G_N_ELEMENTS(linkStates), state);

        if (s <= 0) {
            virDomainXMLReportInvalidAttr("state", lnk, state);
            return -1;
        }
        def->linkState = s;
    }
    if (speed) {
        unsigned long long v;

        if (virDomainParseULL(speed, &v) < 0 || v > UINT_MAX) {
            virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                               "Invalid value for attribute 'speed' in element 'link': "
                               "'%s'. Expected non-negative integer value",
                               speed);
            return -1;
        }
        def->linkSpeed = v;
    }
    return 0;
}

static int
parseProtocol(xmlNodePtr pnode, virInterfaceProtocolDef *proto, bool v6)
{
    xmlNodePtr dhcp = virDomainXMLChild(pnode, "dhcp");

    proto->gateway = childAttr(pnode, "route", "gateway");
    proto->peerdns = -1;
    if (v6 && virDomainXMLChild(pnode, "autoconf"))
        proto->autoconf = true;
    if (dhcp) {
        g_autofree char *peerdns = virDomainXMLProp(dhcp, "peerdns");

        proto->dhcp = true;
        if (peerdns) {
            if (g_str_equal(peerdns, "yes")) {
                proto->peerdns = 1;
            } else if (g_str_equal(peerdns, "no")) {
                proto->peerdns = 0;
            } else {
                virDomainXMLReportInvalidAttr("peerdns", dhcp, peerdns);
                return -1;
            }
        }
    }
    proto->ips = g_ptr_array_new_with_free_func(ipDefFree);
    for (xmlNodePtr c = pnode->children; c; c = c->next) {
        virInterfaceIPDef *ip;
        g_autofree char *prefix = NULL;

        if (!virDomainXMLNodeIs(c, "ip"))
            continue;
        ip = g_new0(virInterfaceIPDef, 1);
        g_ptr_array_add(proto->ips, ip);
        if (!(ip->address = virDomainXMLProp(c, "address")))
            continue;
        if ((prefix = virDomainXMLProp(c, "prefix"))) {
            char *end = NULL;
            long long v;

            errno = 0;
            v = strtoll(prefix, &end, 10);
            if (errno || end == prefix || *end || v < INT_MIN || v > INT_MAX) {
                virReportErrorFull(
                    VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                    "Invalid value for attribute 'prefix' in element 'ip': "
                    "'%s'. Expected integer value",
                    prefix);
                return -1;
            }
            ip->prefix = v;
        }
    }
    return 0;
}

static int
parseAddressing(xmlNodePtr node, virInterfaceDef *def)
{
    def->protos = g_ptr_array_new_with_free_func(protoDefFree);
    for (xmlNodePtr c = node->children; c; c = c->next) {
        virInterfaceProtocolDef *proto;

        if (!virDomainXMLNodeIs(c, "protocol"))
            continue;
        proto = g_new0(virInterfaceProtocolDef, 1);
        g_ptr_array_add(def->protos, proto);
        if (!(proto->family = virDomainXMLProp(c, "family"))) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "protocol misses the family attribute");
            return -1;
        }
        if (g_str_equal(proto->family, "ipv4") || g_str_equal(proto->family, "ipv6")) {
            if (parseProtocol(c, proto, g_str_equal(proto->family, "ipv6")) < 0)
                return -1;
        } else {
            virReportError(VIR_ERR_XML_ERROR, "unsupported protocol family '%s'",
                           proto->family);
            return -1;
        }
    }
    return 0;
}

static virInterfaceDef *parseInterface(xmlNodePtr node, int parentType);

/* The <interface> members of a bridge or bond. */
static int
parseMembers(xmlNodePtr node, virInterfaceDef *def)
{
    def->itfs = g_ptr_array_new_with_free_func((GDestroyNotify)virInterfaceDefFree);
    for (xmlNodePtr c = node->children; c; c = c->next) {
        virInterfaceDef *itf;

        if (!virDomainXMLNodeIs(c, "interface"))
            continue;
        if (!(itf = parseInterface(c, def->type)))
            return -1;
        g_ptr_array_add(def->itfs, itf);
    }
    return 0;
}

static int
parseBridge(xmlNodePtr bridge, virInterfaceDef *def)
{
    g_autofree char *stp = virDomainXMLProp(bridge, "stp");

    /* libvirt reports another value and goes on: the definition is kept
     * without it; virtkit keeps it the same way, without the stray error */
    def->stp = -1;
    if (stp && g_str_equal(stp, "on"))
        def->stp = 1;
    else if (stp && g_str_equal(stp, "off"))
        def->stp = 0;
    def->delay = virDomainXMLProp(bridge, "delay");
    return parseMembers(bridge, def);
}

static int
parseBond(xmlNodePtr bond, virInterfaceDef *def)
{
    g_autofree char *mode = childAttr(bond, NULL, "mode");
    xmlNodePtr mii = virDomainXMLChild(bond, "miimon");
    xmlNodePtr arp = virDomainXMLChild(bond, "arpmon");
    long long v;
    int rc;

    if (mode) {
        if ((def->bondMode = lookupName(bondModes, G_N_ELEMENTS(bondModes), mode)) < 0) {
            virReportError(VIR_ERR_XML_ERROR, "unknown bonding mode %s", mode);
            return -1;
        }
    }
    if (parseMembers(bond, def) < 0)
        return -1;
    if (mii) {
        g_autofree char *carrier = childAttr(bond, "miimon", "carrier");

        def->monit = 1;
        if (childAttrLong(bond, "miimon", "freq", false, &v) < 0) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "bond interface miimon freq missing or invalid");
            return -1;
        }
        def->frequency = v;
        if ((rc = childAttrLong(bond, "miimon", "downdelay", false, &v)) == -2) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "bond interface miimon downdelay invalid");
            return -1;
        }
        if (rc == 0)
            def->downdelay = v;
        if ((rc = childAttrLong(bond, "miimon", "updelay", false, &v)) == -2) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "bond interface miimon updelay invalid");
            return -1;
        }
        if (rc == 0)
            def->updelay = v;
        if (carrier && (def->carrier = lookupName(miiCarriers, G_N_ELEMENTS(miiCarriers),
                                                  carrier)) < 0) {
            virReportError(VIR_ERR_XML_ERROR, "unknown mii bonding carrier %s", carrier);
            return -1;
        }
    } else if (arp) {
        g_autofree char *validate = childAttr(bond, "arpmon", "validate");

        def->monit = 2;
        if (childAttrLong(bond, "arpmon", "interval", false, &v) < 0) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "bond interface arpmon interval missing or invalid");
            return -1;
        }
        def->interval = v;
        if (!(def->target = childAttr(bond, "arpmon", "target"))) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "bond interface arpmon target missing");
            return -1;
        }
        if (validate && (def->validate = lookupName(
                             arpValidates, G_N_ELEMENTS(arpValidates), validate)) < 0) {
            virReportError(VIR_ERR_XML_ERROR, "unknown arp bonding validate %s",
                           validate);
            return -1;
        }
    }
    return 0;
}

static int
parseVlan(xmlNodePtr vlan, virInterfaceDef *def)
{
    if (!(def->tag = childAttr(vlan, NULL, "tag"))) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "vlan interface misses the tag attribute");
        return -1;
    }
    if (!(def->devName = childAttr(vlan, "interface", "name"))) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "vlan interface misses name attribute");
        return -1;
    }
    return 0;
}

/* One <interface>; @parentType is VIR_INTERFACE_TYPE_LAST at the top. */
static virInterfaceDef *
parseInterface(xmlNodePtr node, int parentType)
{
    g_autoptr(virInterfaceDef) def = NULL;
    g_autofree char *type = virDomainXMLProp(node, "type");
    xmlNodePtr sub;
    int t;

    if (!type) {
        virDomainXMLReportMissingAttr("type", node);
        return NULL;
    }
    if ((t = lookupName(ifaceTypes, G_N_ELEMENTS(ifaceTypes), type)) < 0) {
        virDomainXMLReportInvalidAttr("type", node, type);
        return NULL;
    }
    if ((parentType == VIR_INTERFACE_TYPE_BOND && t != VIR_INTERFACE_TYPE_ETHERNET) ||
        (parentType == VIR_INTERFACE_TYPE_BRIDGE && t == VIR_INTERFACE_TYPE_BRIDGE) ||
        parentType == VIR_INTERFACE_TYPE_ETHERNET ||
        parentType == VIR_INTERFACE_TYPE_VLAN) {
        virReportError(VIR_ERR_XML_ERROR, "interface has unsupported type '%s'", type);
        return NULL;
    }
    def = g_new0(virInterfaceDef, 1);
    def->type = t;
    def->stp = -1;
    if (!(def->name = virDomainXMLProp(node, "name"))) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "interface has no name");
        return NULL;
    }
    if (parentType == VIR_INTERFACE_TYPE_LAST) {
        g_autofree char *mode = childAttr(node, "start", "mode");
        long long mtu;
        int rc;

        if (mode && (def->startmode =
                         lookupName(startModes, G_N_ELEMENTS(startModes), mode)) < 0) {
            virReportError(VIR_ERR_XML_ERROR, "unknown interface startmode %s", mode);
            return NULL;
        }
        rc = childAttrLong(node, "mtu", "size", true, &mtu);
        if (rc == -2 || (rc == 0 && mtu > UINT_MAX)) {
            /* libvirt 9.0 fails here without reporting anything: its
             * callers then see "An error occurred, but the cause is
             * unknown" (INTERNAL_ERROR, domain NONE), and so do virtkit's */
            return NULL;
        }
        if (rc == 0 && mtu > 100000) {
            virReportError(
                VIR_ERR_XML_ERROR, "%s",
                "value of the 'size' attribute of 'mtu' element must be at most "
                "100000");
            return NULL;
        }
        if (rc == 0)
            def->mtu = mtu;
        if (parseAddressing(node, def) < 0)
            return NULL;
    }
    if (t != VIR_INTERFACE_TYPE_BRIDGE && (sub = virDomainXMLChild(node, "link")) &&
        parseLink(sub, def) < 0)
        return NULL;

    switch ((virInterfaceType)t) {
    case VIR_INTERFACE_TYPE_ETHERNET:
        def->mac = childAttr(node, "mac", "address");
        break;
    case VIR_INTERFACE_TYPE_BRIDGE:
        if (!(sub = virDomainXMLChild(node, "bridge"))) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "bridge interface misses the bridge element");
            return NULL;
        }
        if (parseBridge(sub, def) < 0)
            return NULL;
        break;
    case VIR_INTERFACE_TYPE_BOND:
        if (!(sub = virDomainXMLChild(node, "bond"))) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "bond interface misses the bond element");
            return NULL;
        }
        if (parseBond(sub, def) < 0)
            return NULL;
        break;
    case VIR_INTERFACE_TYPE_VLAN:
        if (!(sub = virDomainXMLChild(node, "vlan"))) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "vlan interface misses the vlan element");
            return NULL;
        }
        if (parseVlan(sub, def) < 0)
            return NULL;
        break;
    case VIR_INTERFACE_TYPE_LAST:
        return NULL;
    }
    return g_steal_pointer(&def);
}

/* virDomainXMLReadDoc reports in the DOMAIN error domain; libvirt reports
 * an interface document's syntax errors in INTERFACE. */
static void
rewrapError(void)
{
    virErrorPtr saved = NULL;

    virErrorPreserveLast(&saved);
    if (saved) {
        virSetErrorRaw(VIR_FROM_INTERFACE, saved->code, saved->level, saved->message,
                       saved->str1, saved->str2, saved->str3, saved->int1, saved->int2);
        virFreeError(saved);
    }
}

virInterfaceDef *
virInterfaceDefParseString(const char *xml)
{
    size_t len = strlen(xml);
    xmlDocPtr doc;
    xmlNodePtr root;
    virInterfaceDef *def = NULL;

    if (len > INTERFACE_XML_MAX_SIZE) {
        virReportError(VIR_ERR_XML_ERROR,
                       "document of %zu bytes exceeds the limit of %d bytes", len,
                       INTERFACE_XML_MAX_SIZE);
        return NULL;
    }
    if (!(doc = virDomainXMLReadDoc(xml, len, "(interface_definition)"))) {
        rewrapError();
        return NULL;
    }
    root = xmlDocGetRootElement(doc);
    if (!virDomainXMLNodeIs(root, "interface"))
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "expecting root element of 'interface', not '%s'",
                           (const char *)root->name);
    else
        def = parseInterface(root, VIR_INTERFACE_TYPE_LAST);
    xmlFreeDoc(doc);
    return def;
}

static void
indent(GString *buf, int n)
{
    g_string_append_printf(buf, "%*s", n, "");
}

/* " NAME='VALUE'" escaped */
static void
attr(GString *buf, const char *name, const char *value)
{
    g_string_append_printf(buf, " %s='", name);
    virDomainXMLEscape(buf, value);
    g_string_append_c(buf, '\'');
}

static void formatInterface(GString *buf, const virInterfaceDef *def, int parentType,
                            int ind);

static void
formatProtocols(GString *buf, const virInterfaceDef *def, int ind)
{
    for (guint i = 0; def->protos && i < def->protos->len; i++) {
        const virInterfaceProtocolDef *proto = g_ptr_array_index(def->protos, i);

        indent(buf, ind);
        g_string_append(buf, "<protocol");
        attr(buf, "family", proto->family);
        g_string_append(buf, ">\n");
        if (proto->autoconf) {
            indent(buf, ind + 2);
            g_string_append(buf, "<autoconf/>\n");
        }
        if (proto->dhcp) {
            indent(buf, ind + 2);
            g_string_append(buf, proto->peerdns == 0   ? "<dhcp peerdns='no'/>\n"
                                 : proto->peerdns == 1 ? "<dhcp peerdns='yes'/>\n"
                                                       : "<dhcp/>\n");
        }
        for (guint j = 0; proto->ips && j < proto->ips->len; j++) {
            const virInterfaceIPDef *ip = g_ptr_array_index(proto->ips, j);

            if (!ip->address)
                continue;
            indent(buf, ind + 2);
            g_string_append(buf, "<ip");
            attr(buf, "address", ip->address);
            if (ip->prefix != 0)
                g_string_append_printf(buf, " prefix='%d'", ip->prefix);
            g_string_append(buf, "/>\n");
        }
        if (proto->gateway) {
            indent(buf, ind + 2);
            g_string_append(buf, "<route");
            attr(buf, "gateway", proto->gateway);
            g_string_append(buf, "/>\n");
        }
        indent(buf, ind);
        g_string_append(buf, "</protocol>\n");
    }
}

static void
formatMembers(GString *buf, const virInterfaceDef *def, int ind)
{
    for (guint i = 0; def->itfs && i < def->itfs->len; i++)
        formatInterface(buf, g_ptr_array_index(def->itfs, i), def->type, ind);
}

static void
formatBond(GString *buf, const virInterfaceDef *def, int ind)
{
    indent(buf, ind);
    g_string_append(buf, "<bond");
    if (def->bondMode > 0)
        g_string_append_printf(buf, " mode='%s'", bondModes[def->bondMode]);
    g_string_append(buf, ">\n");
    if (def->monit == 1) {
        indent(buf, ind + 2);
        g_string_append_printf(buf, "<miimon freq='%d'", def->frequency);
        if (def->downdelay > 0)
            g_string_append_printf(buf, " downdelay='%d'", def->downdelay);
        if (def->updelay > 0)
            g_string_append_printf(buf, " updelay='%d'", def->updelay);
        if (def->carrier > 0)
            g_string_append_printf(buf, " carrier='%s'", miiCarriers[def->carrier]);
        g_string_append(buf, "/>\n");
    } else if (def->monit == 2) {
        indent(buf, ind + 2);
        g_string_append_printf(buf, "<arpmon interval='%d'", def->interval);
        attr(buf, "target", def->target);
        if (def->validate > 0)
            g_string_append_printf(buf, " validate='%s'", arpValidates[def->validate]);
        g_string_append(buf, "/>\n");
    }
    formatMembers(buf, def, ind + 2);
    indent(buf, ind);
    g_string_append(buf, "</bond>\n");
}

static void
formatInterface(GString *buf, const virInterfaceDef *def, int parentType, int ind)
{
    indent(buf, ind);
    g_string_append_printf(buf, "<interface type='%s' ", ifaceTypes[def->type]);
    if (def->name) {
        g_string_append(buf, "name='");
        virDomainXMLEscape(buf, def->name);
        g_string_append_c(buf, '\'');
    }
    g_string_append(buf, ">\n");
    if (parentType == VIR_INTERFACE_TYPE_LAST) {
        if (def->startmode > 0) {
            indent(buf, ind + 2);
            g_string_append_printf(buf, "<start mode='%s'/>\n",
                                   startModes[def->startmode]);
        }
        if (def->mtu) {
            indent(buf, ind + 2);
            g_string_append_printf(buf, "<mtu size='%u'/>\n", def->mtu);
        }
        formatProtocols(buf, def, ind + 2);
    }
    if (def->type != VIR_INTERFACE_TYPE_BRIDGE && (def->linkSpeed || def->linkState)) {
        indent(buf, ind + 2);
        g_string_append(buf, "<link");
        if (def->linkSpeed)
            g_string_append_printf(buf, " speed='%u'", def->linkSpeed);
        if (def->linkState)
            g_string_append_printf(buf, " state='%s'", linkStates[def->linkState]);
        g_string_append(buf, "/>\n");
    }
    switch (def->type) {
    case VIR_INTERFACE_TYPE_ETHERNET:
        if (def->mac) {
            indent(buf, ind + 2);
            g_string_append(buf, "<mac");
            attr(buf, "address", def->mac);
            g_string_append(buf, "/>\n");
        }
        break;
    case VIR_INTERFACE_TYPE_BRIDGE:
        indent(buf, ind + 2);
        g_string_append(buf, "<bridge");
        if (def->stp >= 0)
            g_string_append_printf(buf, " stp='%s'", def->stp ? "on" : "off");
        if (def->delay)
            attr(buf, "delay", def->delay);
        g_string_append(buf, ">\n");
        formatMembers(buf, def, ind + 4);
        indent(buf, ind + 2);
        g_string_append(buf, "</bridge>\n");
        break;
    case VIR_INTERFACE_TYPE_BOND:
        formatBond(buf, def, ind + 2);
        break;
    case VIR_INTERFACE_TYPE_VLAN:
        indent(buf, ind + 2);
        g_string_append(buf, "<vlan");
        attr(buf, "tag", def->tag);
        if (def->devName) {
            g_string_append(buf, ">\n");
            indent(buf, ind + 4);
            g_string_append(buf, "<interface");
            attr(buf, "name", def->devName);
            g_string_append(buf, "/>\n");
            indent(buf, ind + 2);
            g_string_append(buf, "</vlan>\n");
        } else {
            g_string_append(buf, "/>\n");
        }
        break;
    case VIR_INTERFACE_TYPE_LAST:
        break;
    }
    indent(buf, ind);
    g_string_append(buf, "</interface>\n");
}

char *
virInterfaceDefFormat(const virInterfaceDef *def)
{
    GString *buf = g_string_new(NULL);

    formatInterface(buf, def, VIR_INTERFACE_TYPE_LAST, 0);
    return g_string_free(buf, FALSE);
}

virInterfaceDef *
virInterfaceDefCopy(const virInterfaceDef *def)
{
    g_autofree char *xml = virInterfaceDefFormat(def);

    return virInterfaceDefParseString(xml);
}
