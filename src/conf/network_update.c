/* network_update.c: virNetworkUpdate's sections (DHCP hosts and ranges, DNS hosts) */

#define G_LOG_DOMAIN "virtkit.conf.networkupdate"

#include <string.h>
#include <libxml/tree.h>

#include "domain_conf_priv.h"
#include "network_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NETWORK

/* ---- virNetworkUpdate ------------------------------------------------- */

static const char *const updateSectionNames[VIR_NETWORK_DEF_SECTION_LAST] = {
    "none",         "bridge",        "domain",   "ip",
    "ip-dhcp-host", "ip-dhcp-range", "forward",  "forward-interface",
    "forward-pf",   "portgroup",     "dns-host", "dns-txt",
    "dns-srv",
};

/* The root element of @xml, checked to be <@name>; the doc in *@doc. */
static xmlNodePtr
updateParseElement(const char *xml, const char *name, const char *netName, xmlDocPtr *doc)
{
    xmlNodePtr root;

    if (!(*doc = virDomainXMLReadDoc(xml, strlen(xml), "(network_definition)"))) {
        virNetworkXMLRewrapError();
        return NULL;
    }
    root = xmlDocGetRootElement(*doc);
    if (!root || !virDomainXMLNodeIs(root, name)) {
        virReportError(
            VIR_ERR_XML_ERROR,
            "unexpected element <%s>, expecting <%s>, while updating network '%s'",
            root ? (const char *)root->name : "", name, netName);
        xmlFreeDoc(*doc);
        *doc = NULL;
        return NULL;
    }
    return root;
}

/* The <ip> whose DHCP section an update changes, as libvirt 9.0 picks it
 * (its messages name "dhcp host entry" for ranges too): @parentIndex, or
 * for -1 the first with ranges or hosts, else the first IPv4, else the
 * first IPv6. */
static virNetworkIPDef *
updateFindIP(virNetworkDef *def, int parentIndex)
{
    virNetworkIPDef *ip = NULL;

    if (parentIndex < 0) {
        for (guint i = 0; def->ips && i < def->ips->len && !ip; i++) {
            virNetworkIPDef *cur = g_ptr_array_index(def->ips, i);

            if ((cur->ranges && cur->ranges->len) || (cur->hosts && cur->hosts->len))
                ip = cur;
        }
        if (!ip)
            ip = virNetworkDefGetIPv4(def);
        for (guint i = 0; def->ips && i < def->ips->len && !ip; i++)
            ip = g_ptr_array_index(def->ips, i);
        if (!ip)
            virReportError(VIR_ERR_OPERATION_INVALID,
                           "couldn't update dhcp host entry - no <ip> element found in "
                           "network '%s'",
                           def->name);
        return ip;
    }
    if (!def->ips || (guint)parentIndex >= def->ips->len) {
        virReportError(
            VIR_ERR_OPERATION_INVALID,
            "couldn't update dhcp host entry - no <ip> element found at index %d "
            "in network '%s'",
            parentIndex, def->name);
        return NULL;
    }
    return g_ptr_array_index(def->ips, parentIndex);
}

static bool
macEqual(const char *a, const char *b)
{
    unsigned char ma[6], mb[6];

    if (!a || !b)
        return false;
    if (virDomainMACParse(a, ma) < 0 || virDomainMACParse(b, mb) < 0)
        return g_ascii_strcasecmp(a, b) == 0;
    return memcmp(ma, mb, 6) == 0;
}

static int
updateDHCPHost(virNetworkDef *def, unsigned int command, int parentIndex, xmlNodePtr node)
{
    virNetworkIPDef *ip = updateFindIP(def, parentIndex);
    virNetworkDHCPHostDef *host = NULL;
    int found = -1;

    if (!ip ||
        virNetworkDHCPHostParse(node, ip, def->name,
                                command == VIR_NETWORK_DEF_UPDATE_DELETE, &host) < 0)
        return -1;

    if (command == VIR_NETWORK_DEF_UPDATE_MODIFY) {
        for (guint i = 0; i < ip->hosts->len; i++) {
            virNetworkDHCPHostDef *h = g_ptr_array_index(ip->hosts, i);
            /* libvirt 9.0 takes the first entry that shares any field */
            if ((host->mac && macEqual(host->mac, h->mac)) ||
                (host->name && g_strcmp0(host->name, h->name) == 0) ||
                (host->ip && g_strcmp0(host->ip, h->ip) == 0)) {
                found = i;
                break;
            }
        }
        if (found < 0) {
            virReportError(
                VIR_ERR_OPERATION_INVALID,
                "couldn't locate an existing dhcp host entry with \"mac='%s'\" "
                "\"name='%s'\" \"ip='%s'\" in network '%s'",
                host->mac ? host->mac : "(null)", host->name ? host->name : "(null)",
                host->ip, def->name);
            virNetworkDHCPHostFree(host);
            return -1;
        }
        virNetworkDHCPHostFree(ip->hosts->pdata[found]);
        ip->hosts->pdata[found] = host;
        return 0;
    }
    if (command == VIR_NETWORK_DEF_UPDATE_DELETE) {
        for (guint i = 0; i < ip->hosts->len; i++) {
            virNetworkDHCPHostDef *h = g_ptr_array_index(ip->hosts, i);
            if ((!host->mac || !h->mac || macEqual(host->mac, h->mac)) &&
                (!host->name || g_strcmp0(host->name, h->name) == 0) &&
                (!host->ip || g_strcmp0(host->ip, h->ip) == 0)) {
                found = i;
                break;
            }
        }
        virNetworkDHCPHostFree(host);
        if (found < 0) {
            virReportError(VIR_ERR_OPERATION_INVALID,
                           "couldn't locate a matching dhcp host entry in network '%s'",
                           def->name);
            return -1;
        }
        g_ptr_array_remove_index(ip->hosts, found);
        return 0;
    }
    for (guint i = 0; i < ip->hosts->len; i++) {
        virNetworkDHCPHostDef *h = g_ptr_array_index(ip->hosts, i);
        if ((host->mac && macEqual(host->mac, h->mac)) ||
            (host->name && g_strcmp0(host->name, h->name) == 0) ||
            (host->ip && g_strcmp0(host->ip, h->ip) == 0)) {
            virReportError(
                VIR_ERR_OPERATION_INVALID,
                "there is an existing dhcp host entry in network '%s' that matches "
                "\"<host mac='%s' name='%s' ip='%s'/>\"",
                def->name, host->mac ? host->mac : "(null)",
                host->name ? host->name : "(null)", host->ip);
            virNetworkDHCPHostFree(host);
            return -1;
        }
    }
    if (command == VIR_NETWORK_DEF_UPDATE_ADD_FIRST)
        g_ptr_array_insert(ip->hosts, 0, host);
    else
        g_ptr_array_add(ip->hosts, host);
    return 0;
}

static int
updateDHCPRange(virNetworkDef *def, unsigned int command, int parentIndex,
                xmlNodePtr node)
{
    virNetworkIPDef *ip = updateFindIP(def, parentIndex);
    virNetworkDHCPRangeDef *range = NULL;
    int found = -1;

    if (!ip)
        return -1;
    if (command == VIR_NETWORK_DEF_UPDATE_MODIFY) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "dhcp ranges cannot be modified, only added or deleted");
        return -1;
    }
    if (virNetworkDHCPRangeParse(node, ip, def->name, &range) < 0)
        return -1;
    for (guint i = 0; i < ip->ranges->len; i++) {
        virNetworkDHCPRangeDef *r = g_ptr_array_index(ip->ranges, i);
        if (virNetworkAddrCompare(&r->startAddr, &range->startAddr) == 0 &&
            virNetworkAddrCompare(&r->endAddr, &range->endAddr) == 0) {
            found = i;
            break;
        }
    }
    if (command == VIR_NETWORK_DEF_UPDATE_DELETE) {
        virNetworkDHCPRangeFree(range);
        if (found < 0) {
            virReportError(VIR_ERR_OPERATION_INVALID,
                           "couldn't locate a matching dhcp range entry in network '%s'",
                           def->name);
            return -1;
        }
        g_ptr_array_remove_index(ip->ranges, found);
        return 0;
    }
    if (found >= 0) {
        g_autofree char *s = virNetworkAddrFormat(&range->startAddr);
        g_autofree char *e = virNetworkAddrFormat(&range->endAddr);
        virReportError(
            VIR_ERR_OPERATION_INVALID,
            "there is an existing dhcp range entry in network '%s' that matches "
            "\"<range start='%s' end='%s'/>\"",
            def->name, s, e);
        virNetworkDHCPRangeFree(range);
        return -1;
    }
    if (command == VIR_NETWORK_DEF_UPDATE_ADD_FIRST)
        g_ptr_array_insert(ip->ranges, 0, range);
    else
        g_ptr_array_add(ip->ranges, range);
    return 0;
}

static int
updateDNSHost(virNetworkDef *def, unsigned int command, xmlNodePtr node)
{
    g_autoptr(virNetworkDef) scratch = virNetworkDefNew();
    virNetworkDNSHostDef *host;
    int foundCt = 0;
    int foundIdx = -1;
    xmlNodePtr dns = xmlNewNode(NULL, (const xmlChar *)"dns");
    xmlNodePtr copy = xmlCopyNode(node, 1);

    /* parse the <host> as virNetworkDNSParse does, through a scratch <dns> */
    scratch->name = g_strdup(def->name);
    xmlAddChild(dns, copy);
    if (virNetworkDNSParse(dns, scratch) < 0) {
        xmlFreeNode(dns);
        return -1;
    }
    xmlFreeNode(dns);
    host = g_ptr_array_index(scratch->dns.hosts, 0);

    if (command == VIR_NETWORK_DEF_UPDATE_MODIFY) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "DNS HOST records cannot be modified, only added or deleted");
        return -1;
    }
    for (guint i = 0; i < def->dns.hosts->len; i++) {
        virNetworkDNSHostDef *h = g_ptr_array_index(def->dns.hosts, i);
        bool match = g_strcmp0(h->ip, host->ip) == 0;

        /* libvirt 9.0 compares the names only when deleting */
        for (guint j = 0; command == VIR_NETWORK_DEF_UPDATE_DELETE && !match &&
                          j < host->hostnames->len;
             j++) {
            for (guint k = 0; !match && k < h->hostnames->len; k++)
                match = strcmp(g_ptr_array_index(host->hostnames, j),
                               g_ptr_array_index(h->hostnames, k)) == 0;
        }
        if (match) {
            foundCt++;
            foundIdx = i;
        }
    }
    if (command == VIR_NETWORK_DEF_UPDATE_DELETE) {
        if (foundCt == 0) {
            virReportError(VIR_ERR_OPERATION_INVALID,
                           "couldn't locate a matching DNS HOST record in network %s",
                           def->name);
            return -1;
        }
        if (foundCt > 1) {
            virReportError(VIR_ERR_OPERATION_INVALID,
                           "multiple matching DNS HOST records were found in network %s",
                           def->name);
            return -1;
        }
        g_ptr_array_remove_index(def->dns.hosts, foundIdx);
        return 0;
    }
    if (foundCt > 0) {
        virReportError(
            VIR_ERR_OPERATION_INVALID,
            "there is already at least one DNS HOST record with a matching field "
            "in network %s",
            def->name);
        return -1;
    }
    host = g_ptr_array_steal_index(scratch->dns.hosts, 0);
    if (command == VIR_NETWORK_DEF_UPDATE_ADD_FIRST)
        g_ptr_array_insert(def->dns.hosts, 0, host);
    else
        g_ptr_array_add(def->dns.hosts, host);
    def->dnsPresent = true;
    return 0;
}

int
virNetworkDefUpdateSection(virNetworkDef *def, unsigned int command, unsigned int section,
                           int parentIndex, const char *xml)
{
    g_autoptr(virNetworkDef) work = NULL;
    xmlDocPtr doc = NULL;
    xmlNodePtr node;
    int ret;

    if (command < VIR_NETWORK_DEF_UPDATE_MODIFY ||
        command > VIR_NETWORK_DEF_UPDATE_ADD_FIRST) {
        virReportError(VIR_ERR_NO_SUPPORT, "unrecognized network update command code %d",
                       (int)command);
        return -1;
    }
    if (section != VIR_NETWORK_DEF_SECTION_IP_DHCP_HOST &&
        section != VIR_NETWORK_DEF_SECTION_IP_DHCP_RANGE &&
        section != VIR_NETWORK_DEF_SECTION_DNS_HOST) {
        if (section < VIR_NETWORK_DEF_SECTION_LAST && section > 0)
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                           "can't update '%s' section of network '%s'",
                           updateSectionNames[section], def->name);
        else
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                           "can't update unrecognized section of network");
        return -1;
    }
    if (!(node = updateParseElement(
              xml, section == VIR_NETWORK_DEF_SECTION_IP_DHCP_RANGE ? "range" : "host",
              def->name, &doc)))
        return -1;
    /* work on a copy so that a failure changes nothing */
    work = virNetworkDefCopy(def);
    switch (section) {
    case VIR_NETWORK_DEF_SECTION_IP_DHCP_HOST:
        ret = updateDHCPHost(work, command, parentIndex, node);
        break;
    case VIR_NETWORK_DEF_SECTION_IP_DHCP_RANGE:
        ret = updateDHCPRange(work, command, parentIndex, node);
        break;
    default:
        ret = updateDNSHost(work, command, node);
        break;
    }
    xmlFreeDoc(doc);
    if (ret < 0)
        return -1;
    /* swap the contents: the caller's pointer stays valid */
    {
        virNetworkDef tmp = *def;
        *def = *work;
        *work = tmp;
    }
    return 0;
}
