/* network_conf.c: parse, check and format libvirt 9.0's <network> XML */

#define G_LOG_DOMAIN "virtkit.conf.network"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libxml/tree.h>

#include "domain_conf_priv.h"
#include "network_conf.h"
#include "network_conf_priv.h"
#include "virerror.h"
#include "virfile.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_NETWORK

#define NETWORK_XML_MAX_SIZE (10 * 1024 * 1024)

static const char *const forwardTypeNames[VIR_NETWORK_FORWARD_LAST] = {
    "none", "nat", "route", "open", "bridge", "private", "vepa", "passthrough", "hostdev",
};

const char *
virNetworkForwardTypeToString(int type)
{
    if (type < 0 || type >= VIR_NETWORK_FORWARD_LAST)
        return NULL;
    return forwardTypeNames[type];
}

/* ---- definitions ------------------------------------------------------ */

void
virNetworkDHCPRangeFree(gpointer p)
{
    virNetworkDHCPRangeDef *r = p;

    g_free(r->start);
    g_free(r->end);
    g_free(r);
}

void
virNetworkDHCPHostFree(gpointer p)
{
    virNetworkDHCPHostDef *h = p;

    g_free(h->mac);
    g_free(h->id);
    g_free(h->name);
    g_free(h->ip);
    g_free(h);
}

static void
ipFree(gpointer p)
{
    virNetworkIPDef *ip = p;

    g_free(ip->family);
    g_free(ip->address);
    g_free(ip->netmask);
    g_ptr_array_unref(ip->ranges);
    g_ptr_array_unref(ip->hosts);
    g_free(ip);
}

static void
dnsHostFree(gpointer p)
{
    virNetworkDNSHostDef *h = p;

    g_free(h->ip);
    g_ptr_array_unref(h->hostnames);
    g_free(h);
}

static void
forwarderFree(gpointer p)
{
    virNetworkDNSForwarderDef *f = p;

    g_free(f->domain);
    g_free(f->addr);
    g_free(f);
}

virNetworkDef *
virNetworkDefNew(void)
{
    virNetworkDef *def = g_new0(virNetworkDef, 1);

    def->ips = g_ptr_array_new_with_free_func(ipFree);
    def->dns.hosts = g_ptr_array_new_with_free_func(dnsHostFree);
    def->dns.forwarders = g_ptr_array_new_with_free_func(forwarderFree);
    return def;
}

void
virNetworkDefFree(virNetworkDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->forwardDev);
    g_free(def->natAddrStart);
    g_free(def->natAddrEnd);
    g_free(def->bridge);
    g_free(def->bridgeZone);
    g_free(def->domain);
    g_ptr_array_unref(def->ips);
    g_ptr_array_unref(def->dns.hosts);
    g_ptr_array_unref(def->dns.forwarders);
    g_free(def);
}

int
virNetworkDefValidate(const virNetworkDef *def)
{
    const char *mode = forwardTypeNames[def->forwardType];
    const char *bad;

    if (virNetworkDefIsVirtual(def))
        return 0;
    bad = def->ips->len       ? "ip"
          : def->dnsPresent   ? "dns"
          : def->domain       ? "domain"
          : def->macSpecified ? "mac"
                              : NULL;
    if (bad) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Unsupported <%s> element in network %s with forward mode='%s'",
                       bad, def->name, mode);
        return -1;
    }
    if (def->bridge && def->forwardDev) {
        virReportError(
            VIR_ERR_CONFIG_UNSUPPORTED,
            "A network with forward mode='%s' can specify a bridge name or a forward dev, but not both (network '%s')",
            mode, def->name);
        return -1;
    }
    return 0;
}

bool
virNetworkDefIsVirtual(const virNetworkDef *def)
{
    return def->forwardType == VIR_NETWORK_FORWARD_NONE ||
           def->forwardType == VIR_NETWORK_FORWARD_NAT ||
           def->forwardType == VIR_NETWORK_FORWARD_ROUTE ||
           def->forwardType == VIR_NETWORK_FORWARD_OPEN;
}

virNetworkIPDef *
virNetworkDefGetIPv4(const virNetworkDef *def)
{
    for (guint i = 0; i < def->ips->len; i++) {
        virNetworkIPDef *ip = g_ptr_array_index(def->ips, i);
        if (ip->addr.family == AF_INET)
            return ip;
    }
    return NULL;
}

/* ---- parsing ---------------------------------------------------------- */

static int
parseTristate(xmlNodePtr node, const char *attr, int *out)
{
    g_autofree char *val = virDomainXMLProp(node, attr);

    if (!val) {
        *out = VIR_NETWORK_TRISTATE_ABSENT;
        return 0;
    }
    if (strcmp(val, "yes") == 0) {
        *out = VIR_NETWORK_TRISTATE_YES;
    } else if (strcmp(val, "no") == 0) {
        *out = VIR_NETWORK_TRISTATE_NO;
    } else {
        virReportError(VIR_ERR_XML_ERROR,
                       "Invalid value for attribute '%s' in element '%s': '%s'.", attr,
                       (const char *)node->name, val);
        return -1;
    }
    return 0;
}

static const char *
tristateToString(int v)
{
    return v == VIR_NETWORK_TRISTATE_YES ? "yes" : "no";
}

/* A unicast MAC, normalized to lower case; 0 or -1 reported. */
static int
parseMAC(const char *str, const char *netName, unsigned char *mac)
{
    if (virDomainMACParse(str, mac) < 0) {
        virReportError(VIR_ERR_XML_ERROR, "Cannot parse MAC address '%s' in network '%s'",
                       str, netName);
        return -1;
    }
    if (mac[0] & 1) {
        virReportError(
            VIR_ERR_XML_ERROR,
            "expected unicast mac address, found multicast '%s' in network '%s'", str,
            netName);
        return -1;
    }
    return 0;
}

int
virNetworkDHCPRangeParse(xmlNodePtr node, virNetworkIPDef *ip, const char *netName,
                         virNetworkDHCPRangeDef **out)
{
    g_autofree char *start = virDomainXMLProp(node, "start");
    g_autofree char *end = virDomainXMLProp(node, "end");
    virNetworkDHCPRangeDef *r;
    virNetworkAddr net, snet, enet;

    if (!start) {
        virReportError(VIR_ERR_XML_ERROR,
                       "Missing 'start' attribute in dhcp range for network '%s'",
                       netName);
        return -1;
    }
    if (!end) {
        virReportError(VIR_ERR_XML_ERROR,
                       "Missing 'end' attribute in dhcp range for network '%s'", netName);
        return -1;
    }
    r = g_new0(virNetworkDHCPRangeDef, 1);
    r->start = g_steal_pointer(&start);
    r->end = g_steal_pointer(&end);
    if (virNetworkAddrParse(r->start, &r->startAddr) < 0 ||
        r->startAddr.family != ip->addr.family) {
        virReportError(VIR_ERR_XML_ERROR,
                       "Invalid dhcp range 'start' address '%s' in network '%s'",
                       r->start, netName);
        virNetworkDHCPRangeFree(r);
        return -1;
    }
    if (virNetworkAddrParse(r->end, &r->endAddr) < 0 ||
        r->endAddr.family != ip->addr.family) {
        virReportError(VIR_ERR_XML_ERROR,
                       "Invalid dhcp range 'end' address '%s' in network '%s'", r->end,
                       netName);
        virNetworkDHCPRangeFree(r);
        return -1;
    }
    virNetworkIPDefSubnet(ip, &net);
    snet = r->startAddr;
    enet = r->endAddr;
    virNetworkAddrMask(&snet, ip->effectivePrefix);
    virNetworkAddrMask(&enet, ip->effectivePrefix);
    if (virNetworkAddrCompare(&snet, &net) != 0 ||
        virNetworkAddrCompare(&enet, &net) != 0) {
        g_autofree char *s = virNetworkAddrFormat(&r->startAddr);
        g_autofree char *e = virNetworkAddrFormat(&r->endAddr);
        g_autofree char *a = virNetworkAddrFormat(&ip->addr);
        /* libvirt reports the range checks from its socket-address
         * helpers, in no error domain */
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __func__,
                           "range %s - %s is not entirely within network %s/%u", s, e, a,
                           ip->effectivePrefix);
        virNetworkDHCPRangeFree(r);
        return -1;
    }
    if (virNetworkAddrCompare(&r->startAddr, &r->endAddr) > 0) {
        g_autofree char *s = virNetworkAddrFormat(&r->startAddr);
        g_autofree char *e = virNetworkAddrFormat(&r->endAddr);
        /* libvirt's message ends with a space */
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __func__,
                           "range %s - %s is reversed ", s, e);
        virNetworkDHCPRangeFree(r);
        return -1;
    }
    *out = r;
    return 0;
}

int
virNetworkDHCPHostParse(xmlNodePtr node, virNetworkIPDef *ip, const char *netName,
                        bool partial, virNetworkDHCPHostDef **out)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(virNetworkDHCPHostFree);
    virNetworkDHCPHostDef *h = g_new0(virNetworkDHCPHostDef, 1);
    g_autofree char *mac = virDomainXMLProp(node, "mac");
    virNetworkAddr a;

    g_ptr_array_add(keep, h);
    h->id = virDomainXMLProp(node, "id");
    h->name = virDomainXMLProp(node, "name");
    h->ip = virDomainXMLProp(node, "ip");

    if (mac) {
        unsigned char m[6];

        if (ip->addr.family == AF_INET6) {
            virReportError(
                VIR_ERR_XML_ERROR,
                "Invalid to specify MAC address '%s' in network '%s' IPv6 static host definition",
                mac, netName);
            return -1;
        }
        if (parseMAC(mac, netName, m) < 0)
            return -1;
        /* libvirt keeps a host's MAC as written */
        h->mac = g_steal_pointer(&mac);
    }
    if (h->ip) {
        if (virNetworkAddrParse(h->ip, &a) < 0 || a.family != ip->addr.family) {
            virReportError(
                VIR_ERR_XML_ERROR,
                "Invalid IP address in static host definition for network '%s'", netName);
            return -1;
        }
        g_free(h->ip);
        h->ip = virNetworkAddrFormat(&a);
    } else if (!partial) {
        virReportError(VIR_ERR_XML_ERROR,
                       "Missing IP address in static host definition for network '%s'",
                       netName);
        return -1;
    }
    /* a host to delete is matched by what it gives */
    if (partial && (h->mac || h->name || h->id || h->ip)) {
        *out = g_ptr_array_steal_index(keep, 0);
        return 0;
    }
    if (ip->addr.family == AF_INET && !h->mac && !h->name) {
        virReportError(
            VIR_ERR_XML_ERROR,
            "Static host definition in IPv4 network '%s' must have mac or name attribute",
            netName);
        return -1;
    }
    if (ip->addr.family == AF_INET6 && !h->id && !h->name) {
        virReportError(
            VIR_ERR_XML_ERROR,
            "Static host definition in IPv6 network '%s' must have id or name attribute",
            netName);
        return -1;
    }
    *out = g_ptr_array_steal_index(keep, 0);
    return 0;
}

static int
reportUnsupportedElement(const char *name, const char *parent)
{
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                   "element <%s> of <%s> is not supported by virtkit", name, parent);
    return -1;
}

static int
parseIP(xmlNodePtr node, const char *netName, virNetworkIPDef **out)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(ipFree);
    virNetworkIPDef *ip = g_new0(virNetworkIPDef, 1);
    g_autofree char *prefix = virDomainXMLProp(node, "prefix");

    ip->ranges = g_ptr_array_new_with_free_func(virNetworkDHCPRangeFree);
    ip->hosts = g_ptr_array_new_with_free_func(virNetworkDHCPHostFree);
    ip->prefix = -1;
    g_ptr_array_add(keep, ip);

    ip->family = virDomainXMLProp(node, "family");
    ip->address = virDomainXMLProp(node, "address");
    ip->netmask = virDomainXMLProp(node, "netmask");
    if (parseTristate(node, "localPtr", &ip->localPtr) < 0)
        return -1;

    if (ip->family && strcmp(ip->family, "ipv4") != 0 &&
        strcmp(ip->family, "ipv6") != 0) {
        virReportError(VIR_ERR_XML_ERROR, "Unrecognized family '%s' in network '%s'",
                       ip->family, netName);
        return -1;
    }
    if (!ip->address) {
        virReportError(VIR_ERR_XML_ERROR,
                       "Missing required address attribute in network '%s'", netName);
        return -1;
    }
    if (virNetworkAddrParse(ip->address, &ip->addr) < 0) {
        virReportError(VIR_ERR_XML_ERROR, "Invalid address '%s' in network '%s'",
                       ip->address, netName);
        return -1;
    }
    if ((ip->family && strcmp(ip->family, "ipv6") == 0) !=
        (ip->addr.family == AF_INET6)) {
        virReportError(
            VIR_ERR_XML_ERROR,
            "Family '%s' specified for IP address '%s' in network '%s' does not match the address",
            ip->family ? ip->family : "ipv4", ip->address, netName);
        return -1;
    }
    if (prefix) {
        char *end = NULL;
        unsigned long p;

        errno = 0;
        p = strtoul(prefix, &end, 10);
        if (errno || end == prefix || *end ||
            p > (ip->addr.family == AF_INET ? 32UL : 128UL)) {
            virReportError(VIR_ERR_XML_ERROR, "Invalid prefix '%s' in network '%s'",
                           prefix, netName);
            return -1;
        }
        ip->prefix = (int)p;
    }
    if (ip->netmask && ip->prefix >= 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Network '%s' IP address cannot have both a prefix and a netmask",
                       netName);
        return -1;
    }
    if (ip->netmask) {
        virNetworkAddr mask;
        int p;

        if (ip->addr.family != AF_INET) {
            virReportError(VIR_ERR_XML_ERROR,
                           "netmask not allowed for IPv6 address '%s' in network '%s'",
                           ip->address, netName);
            return -1;
        }
        if (virNetworkAddrParse(ip->netmask, &mask) < 0 || mask.family != AF_INET) {
            virReportError(VIR_ERR_XML_ERROR, "Invalid netmask '%s' in network '%s'",
                           ip->netmask, netName);
            return -1;
        }
        /* libvirt keeps a non-contiguous netmask (its prefix is then
         * undefined); virtkit computes with the leading ones */
        p = virNetworkNetmaskPrefix(&mask);
        if (p < 0) {
            const guint8 *b = (const guint8 *)&mask.a.v4;
            p = 0;
            while (p < 32 && (b[p / 8] & (0x80 >> (p % 8))))
                p++;
        }
        ip->effectivePrefix = p;
    } else if (ip->prefix >= 0) {
        ip->effectivePrefix = ip->prefix;
    } else if (ip->addr.family == AF_INET) {
        guint8 first = ((const guint8 *)&ip->addr.a.v4)[0];
        ip->effectivePrefix = first < 128 ? 8 : first < 192 ? 16 : 24;
    } else {
        ip->effectivePrefix = 64;
    }

    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (virDomainXMLNodeIs(cur, "dhcp")) {
            ip->dhcp = true;
            for (xmlNodePtr d = cur->children; d; d = d->next) {
                if (d->type != XML_ELEMENT_NODE)
                    continue;
                if (virDomainXMLNodeIs(d, "range")) {
                    virNetworkDHCPRangeDef *r;
                    if (virDomainXMLChild(d, "lease"))
                        return reportUnsupportedElement("lease", "range");
                    if (virNetworkDHCPRangeParse(d, ip, netName, &r) < 0)
                        return -1;
                    g_ptr_array_add(ip->ranges, r);
                } else if (virDomainXMLNodeIs(d, "host")) {
                    virNetworkDHCPHostDef *h;
                    if (virNetworkDHCPHostParse(d, ip, netName, false, &h) < 0)
                        return -1;
                    g_ptr_array_add(ip->hosts, h);
                } else if (virDomainXMLNodeIs(d, "bootp")) {
                    return reportUnsupportedElement("bootp", "dhcp");
                }
            }
        } else if (virDomainXMLNodeIs(cur, "tftp")) {
            return reportUnsupportedElement("tftp", "ip");
        }
    }
    if (ip->addr.family == AF_INET6 && (ip->ranges->len || ip->hosts->len))
        return reportUnsupportedElement("dhcp", "ip family='ipv6'");

    *out = g_ptr_array_steal_index(keep, 0);
    return 0;
}

int
virNetworkDNSParse(xmlNodePtr node, virNetworkDef *def)
{
    def->dnsPresent = true;
    if (parseTristate(node, "enable", &def->dns.enable) < 0 ||
        parseTristate(node, "forwardPlainNames", &def->dns.forwardPlainNames) < 0)
        return -1;
    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (virDomainXMLNodeIs(cur, "forwarder")) {
            virNetworkDNSForwarderDef *f = g_new0(virNetworkDNSForwarderDef, 1);
            virNetworkAddr a;

            f->domain = virDomainXMLProp(cur, "domain");
            f->addr = virDomainXMLProp(cur, "addr");
            g_ptr_array_add(def->dns.forwarders, f);
            if (f->addr && virNetworkAddrParse(f->addr, &a) < 0) {
                virReportError(VIR_ERR_XML_ERROR,
                               "Invalid forwarder IP address '%s' in network '%s'",
                               f->addr, def->name);
                return -1;
            }
            if (!f->addr && !f->domain) {
                virReportError(
                    VIR_ERR_XML_ERROR,
                    "Invalid forwarder element, must contain at least one of addr or domain");
                return -1;
            }
        } else if (virDomainXMLNodeIs(cur, "host")) {
            virNetworkDNSHostDef *h = g_new0(virNetworkDNSHostDef, 1);
            virNetworkAddr a;

            h->ip = virDomainXMLProp(cur, "ip");
            h->hostnames = g_ptr_array_new_with_free_func(g_free);
            g_ptr_array_add(def->dns.hosts, h);
            if (!h->ip || virNetworkAddrParse(h->ip, &a) < 0) {
                virReportError(VIR_ERR_XML_DETAIL,
                               "Missing IP address in network '%s' DNS HOST record",
                               def->name);
                return -1;
            }
            for (xmlNodePtr n = cur->children; n; n = n->next) {
                if (n->type == XML_ELEMENT_NODE && virDomainXMLNodeIs(n, "hostname")) {
                    char *t = virDomainXMLNodeTextNonEmpty(n);
                    if (t)
                        g_ptr_array_add(h->hostnames, t);
                }
            }
            if (h->hostnames->len == 0) {
                virReportError(VIR_ERR_XML_DETAIL,
                               "Missing hostname in network '%s' DNS HOST record",
                               def->name);
                return -1;
            }
        } else if (virDomainXMLNodeIs(cur, "txt") || virDomainXMLNodeIs(cur, "srv")) {
            return reportUnsupportedElement((const char *)cur->name, "dns");
        }
    }
    if (def->dns.enable == VIR_NETWORK_TRISTATE_NO &&
        (def->dns.forwarders->len || def->dns.hosts->len ||
         def->dns.forwardPlainNames != VIR_NETWORK_TRISTATE_ABSENT)) {
        virReportError(VIR_ERR_XML_ERROR, "Extra data in disabled network '%s'",
                       def->name);
        return -1;
    }
    return 0;
}

static int
parseForward(xmlNodePtr node, virNetworkDef *def)
{
    g_autofree char *mode = virDomainXMLProp(node, "mode");
    g_autofree char *dev = virDomainXMLProp(node, "dev");
    int type = VIR_NETWORK_FORWARD_NAT;

    if (mode) {
        type = virDomainEnumFromString(forwardTypeNames, VIR_NETWORK_FORWARD_LAST, mode);
        if (type <= VIR_NETWORK_FORWARD_NONE) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown forwarding type '%s'",
                           mode);
            return -1;
        }
    }
    def->forwardType = type;
    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (virDomainXMLNodeIs(cur, "interface")) {
            g_autofree char *idev = virDomainXMLProp(cur, "dev");
            if (!idev) {
                virReportError(
                    VIR_ERR_XML_ERROR,
                    "Missing required dev attribute in <forward> <interface> element of network %s",
                    def->name);
                return -1;
            }
            if (dev && strcmp(dev, idev) != 0) {
                virReportError(
                    VIR_ERR_XML_ERROR,
                    "forward dev '%s' must match first interface element dev '%s' in network '%s'",
                    dev, idev, def->name);
                return -1;
            }
            if (!dev)
                dev = g_steal_pointer(&idev);
            else if (def->forwardDev)
                return reportUnsupportedElement("interface", "forward");
            if (!def->forwardDev)
                def->forwardDev = g_strdup(dev);
        } else if (virDomainXMLNodeIs(cur, "nat")) {
            xmlNodePtr a = virDomainXMLChild(cur, "address");
            xmlNodePtr p = virDomainXMLChild(cur, "port");

            if (type != VIR_NETWORK_FORWARD_NAT) {
                virReportError(
                    VIR_ERR_XML_ERROR,
                    "The <nat> element can only be used when <forward> 'mode' is 'nat' in network %s",
                    def->name);
                return -1;
            }
            if (a) {
                virNetworkAddr sa, ea;
                /* a later <nat> replaces an earlier one */
                g_free(def->natAddrStart);
                g_free(def->natAddrEnd);
                def->natAddrStart = virDomainXMLProp(a, "start");
                def->natAddrEnd = virDomainXMLProp(a, "end");
                if (!def->natAddrStart ||
                    virNetworkAddrParse(def->natAddrStart, &sa) < 0 ||
                    sa.family != AF_INET) {
                    virReportError(
                        VIR_ERR_XML_ERROR,
                        "Bad ipv4 start address '%s' in <nat> in <forward> in network '%s'",
                        def->natAddrStart ? def->natAddrStart : "", def->name);
                    return -1;
                }
                if (def->natAddrEnd && (virNetworkAddrParse(def->natAddrEnd, &ea) < 0 ||
                                        ea.family != AF_INET)) {
                    virReportError(
                        VIR_ERR_XML_ERROR,
                        "Bad ipv4 end address '%s' in <nat> in <forward> in network '%s'",
                        def->natAddrEnd, def->name);
                    return -1;
                }
            }
            if (p) {
                g_autofree char *ps = virDomainXMLProp(p, "start");
                g_autofree char *pe = virDomainXMLProp(p, "end");
                unsigned long long s = 0, e = 0;
                if ((ps && virDomainParseULL(ps, &s) < 0) ||
                    (pe && virDomainParseULL(pe, &e) < 0) || s > 65535 || e > 65535 ||
                    (e && s > e)) {
                    virReportError(VIR_ERR_XML_ERROR,
                                   "Invalid port range '%s-%s' in network '%s'",
                                   ps ? ps : "", pe ? pe : "", def->name);
                    return -1;
                }
                def->natPortStart = s;
                def->natPortEnd = e;
            }
        } else if (virDomainXMLNodeIs(cur, "pf") || virDomainXMLNodeIs(cur, "address") ||
                   virDomainXMLNodeIs(cur, "driver")) {
            return reportUnsupportedElement((const char *)cur->name, "forward");
        }
    }
    if (dev && !def->forwardDev)
        def->forwardDev = g_strdup(dev);
    return 0;
}

static virNetworkDef *
parseNode(xmlNodePtr root)
{
    g_autoptr(virNetworkDef) def = virNetworkDefNew();
    g_autofree char *uuid = NULL;
    bool haveUUID = false;
    static const char *const refused[] = { "metadata",    "portgroup",   "bandwidth",
                                           "vlan",        "virtualport", "route",
                                           "port",        "portOptions", "title",
                                           "description", NULL };

    if (!root || !virDomainXMLNodeIs(root, "network")) {
        virReportError(VIR_ERR_XML_ERROR,
                       "unexpected root element <%s>, expecting <network>",
                       root ? (const char *)root->name : "");
        return NULL;
    }
    def->name = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(root, "name"));
    if (!def->name) {
        virReportError(VIR_ERR_NO_NAME, NULL);
        return NULL;
    }
    if (strchr(def->name, '/')) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_DETAIL, __func__, "%s",
                           "invalid char in name: /");
        return NULL;
    }
    uuid = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(root, "uuid"));
    if (uuid) {
        if (virUUIDParse(uuid, def->uuid) < 0) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "malformed uuid element");
            return NULL;
        }
        haveUUID = true;
    }
    if (!haveUUID)
        virUUIDGenerate(def->uuid);

    if (parseTristate(root, "ipv6", &def->ipv6nogw) < 0 ||
        parseTristate(root, "trustGuestRxFilters", &def->trustGuestRxFilters) < 0)
        return NULL;
    {
        g_autofree char *conns = virDomainXMLProp(root, "connections");
        unsigned long long c;
        if (conns && virDomainParseULL(conns, &c) == 0 && c < G_MAXINT)
            def->connections = (int)c;
    }

    def->forwardType = VIR_NETWORK_FORWARD_NONE;
    def->stp = VIR_NETWORK_TRISTATE_ABSENT;
    for (xmlNodePtr cur = root->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (virDomainStrInList(refused, (const char *)cur->name)) {
            reportUnsupportedElement((const char *)cur->name, "network");
            return NULL;
        }
        if (virDomainXMLNodeIs(cur, "forward")) {
            if (parseForward(cur, def) < 0)
                return NULL;
        } else if (virDomainXMLNodeIs(cur, "bridge")) {
            g_autofree char *stp = virDomainXMLProp(cur, "stp");
            g_autofree char *delay = virDomainXMLProp(cur, "delay");
            g_autofree char *mtm = virDomainXMLProp(cur, "macTableManager");

            /* a later <bridge> replaces an earlier one */
            g_free(def->bridge);
            g_free(def->bridgeZone);
            def->bridge = virDomainXMLProp(cur, "name");
            def->bridgeZone = virDomainXMLProp(cur, "zone");
            if (mtm) {
                virReportError(
                    VIR_ERR_CONFIG_UNSUPPORTED,
                    "attribute macTableManager of <bridge> is not supported by virtkit");
                return NULL;
            }
            def->stp = stp && strcmp(stp, "off") == 0 ? VIR_NETWORK_TRISTATE_NO
                                                      : VIR_NETWORK_TRISTATE_YES;
            if (delay) {
                char *end = NULL;
                errno = 0;
                def->delay = strtol(delay, &end, 10);
                if (errno || end == delay || *end) {
                    virReportError(VIR_ERR_XML_ERROR,
                                   "Invalid delay value in network '%s'", def->name);
                    return NULL;
                }
            }
        } else if (virDomainXMLNodeIs(cur, "mtu")) {
            g_autofree char *size = virDomainXMLProp(cur, "size");
            unsigned long long mtu;
            if (!size || virDomainParseULL(size, &mtu) < 0 || mtu > G_MAXUINT) {
                virReportError(VIR_ERR_XML_ERROR, "Invalid mtu size '%s' in network '%s'",
                               size ? size : "", def->name);
                return NULL;
            }
            def->mtu = mtu;
        } else if (virDomainXMLNodeIs(cur, "mac")) {
            g_autofree char *mac = virDomainXMLProp(cur, "address");
            if (mac) {
                if (virDomainMACParse(mac, def->mac) < 0) {
                    virReportError(VIR_ERR_XML_ERROR,
                                   "Invalid bridge mac address '%s' in network '%s'", mac,
                                   def->name);
                    return NULL;
                }
                if (def->mac[0] & 1) {
                    virReportError(
                        VIR_ERR_XML_ERROR,
                        "Invalid multicast bridge mac address '%s' in network '%s'", mac,
                        def->name);
                    return NULL;
                }
                def->macSpecified = true;
            }
        } else if (virDomainXMLNodeIs(cur, "domain")) {
            g_autofree char *reg = virDomainXMLProp(cur, "register");
            /* a later <domain> replaces an earlier one */
            g_free(def->domain);
            def->domain = virDomainXMLProp(cur, "name");
            if (parseTristate(cur, "localOnly", &def->domainLocalOnly) < 0)
                return NULL;
            if (reg) {
                virReportError(
                    VIR_ERR_CONFIG_UNSUPPORTED,
                    "attribute register of <domain> is not supported by virtkit");
                return NULL;
            }
        } else if (virDomainXMLNodeIs(cur, "dns")) {
            if (virNetworkDNSParse(cur, def) < 0)
                return NULL;
        } else if (virDomainXMLNodeIs(cur, "ip")) {
            virNetworkIPDef *ip;
            if (parseIP(cur, def->name, &ip) < 0)
                return NULL;
            g_ptr_array_add(def->ips, ip);
        }
    }

    /* One IPv4 address with DHCP at most, as libvirt's network driver. */
    {
        int dhcp4 = 0;
        for (guint i = 0; i < def->ips->len; i++) {
            virNetworkIPDef *ip = g_ptr_array_index(def->ips, i);
            if (ip->addr.family == AF_INET && (ip->ranges->len || ip->hosts->len))
                dhcp4++;
        }
        if (dhcp4 > 1) {
            virReportError(
                VIR_ERR_CONFIG_UNSUPPORTED,
                "Multiple IPv4 dhcp sections found -- dhcp is supported only for a single IPv4 address on each network");
            return NULL;
        }
    }

    switch (def->forwardType) {
    case VIR_NETWORK_FORWARD_NONE:
    case VIR_NETWORK_FORWARD_NAT:
    case VIR_NETWORK_FORWARD_ROUTE:
    case VIR_NETWORK_FORWARD_OPEN:
        if (def->stp == VIR_NETWORK_TRISTATE_ABSENT)
            def->stp = VIR_NETWORK_TRISTATE_YES;
        break;
    default:
        if (def->forwardType == VIR_NETWORK_FORWARD_BRIDGE && def->bridge)
            def->stp = VIR_NETWORK_TRISTATE_ABSENT;
        break;
    }
    return g_steal_pointer(&def);
}

void
virNetworkXMLRewrapError(void)
{
    virErrorPtr saved = NULL;

    /* virDomainXMLReadDoc reports in the DOMAIN error domain; libvirt
     * reports a network document's syntax errors in NETWORK */
    virErrorPreserveLast(&saved);
    if (saved) {
        virSetErrorRaw(VIR_FROM_NETWORK, saved->code, saved->level, saved->message,
                       saved->str1, saved->str2, saved->str3, saved->int1, saved->int2);
        virFreeError(saved);
    }
}

static virNetworkDef *
parseBuffer(const char *xml, size_t len, const char *url)
{
    xmlDocPtr doc;
    virNetworkDef *def;

    if (len > NETWORK_XML_MAX_SIZE) {
        virReportError(VIR_ERR_XML_ERROR,
                       "document of %zu bytes exceeds the limit of %d bytes", len,
                       NETWORK_XML_MAX_SIZE);
        return NULL;
    }
    if (!(doc = virDomainXMLReadDoc(xml, len, url))) {
        virNetworkXMLRewrapError();
        return NULL;
    }
    def = parseNode(xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    return def;
}

virNetworkDef *
virNetworkDefParseString(const char *xml)
{
    if (!xml) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "xml must not be NULL");
        return NULL;
    }
    return parseBuffer(xml, strlen(xml), "(network_definition)");
}

virNetworkDef *
virNetworkDefParseFile(const char *path)
{
    g_autofree char *buf = NULL;
    ssize_t len;

    if ((len = virFileReadAll(path, NETWORK_XML_MAX_SIZE, &buf)) < 0)
        return NULL;
    return parseBuffer(buf, len, path);
}

/* ---- formatting ------------------------------------------------------- */

static void
indent(GString *buf, int n)
{
    for (int i = 0; i < n; i++)
        g_string_append_c(buf, ' ');
}

static void
attr(GString *buf, const char *name, const char *value)
{
    if (!value)
        return;
    g_string_append_printf(buf, " %s='", name);
    virDomainXMLEscape(buf, value);
    g_string_append_c(buf, '\'');
}

static void
formatIP(GString *buf, const virNetworkIPDef *ip)
{
    g_autofree char *addr = virNetworkAddrFormat(&ip->addr);

    indent(buf, 2);
    g_string_append(buf, "<ip");
    attr(buf, "family", ip->family);
    attr(buf, "address", addr);
    if (ip->netmask) {
        virNetworkAddr mask;
        g_autofree char *m = NULL;
        if (virNetworkAddrParse(ip->netmask, &mask) == 0)
            m = virNetworkAddrFormat(&mask);
        attr(buf, "netmask", m ? m : ip->netmask);
    }
    if (ip->prefix >= 0)
        g_string_append_printf(buf, " prefix='%d'", ip->prefix);
    if (ip->localPtr)
        attr(buf, "localPtr", tristateToString(ip->localPtr));
    g_string_append(buf, ">\n");
    if (ip->ranges->len || ip->hosts->len) {
        indent(buf, 4);
        g_string_append(buf, "<dhcp>\n");
        for (guint i = 0; i < ip->ranges->len; i++) {
            const virNetworkDHCPRangeDef *r = g_ptr_array_index(ip->ranges, i);
            g_autofree char *s = virNetworkAddrFormat(&r->startAddr);
            g_autofree char *e = virNetworkAddrFormat(&r->endAddr);
            indent(buf, 6);
            g_string_append(buf, "<range");
            attr(buf, "start", s);
            attr(buf, "end", e);
            g_string_append(buf, "/>\n");
        }
        for (guint i = 0; i < ip->hosts->len; i++) {
            const virNetworkDHCPHostDef *h = g_ptr_array_index(ip->hosts, i);
            indent(buf, 6);
            g_string_append(buf, "<host");
            attr(buf, "mac", h->mac);
            attr(buf, "id", h->id);
            attr(buf, "name", h->name);
            attr(buf, "ip", h->ip);
            g_string_append(buf, "/>\n");
        }
        indent(buf, 4);
        g_string_append(buf, "</dhcp>\n");
    }
    indent(buf, 2);
    g_string_append(buf, "</ip>\n");
}

static void
formatDNS(GString *buf, const virNetworkDef *def)
{
    const virNetworkDNSDef *dns = &def->dns;

    if (!dns->enable && !dns->forwardPlainNames && !dns->forwarders->len &&
        !dns->hosts->len)
        return;
    indent(buf, 2);
    g_string_append(buf, "<dns");
    if (dns->enable)
        attr(buf, "enable", tristateToString(dns->enable));
    if (dns->forwardPlainNames)
        attr(buf, "forwardPlainNames", tristateToString(dns->forwardPlainNames));
    if (!dns->forwarders->len && !dns->hosts->len) {
        g_string_append(buf, "/>\n");
        return;
    }
    g_string_append(buf, ">\n");
    for (guint i = 0; i < dns->forwarders->len; i++) {
        const virNetworkDNSForwarderDef *f = g_ptr_array_index(dns->forwarders, i);
        indent(buf, 4);
        g_string_append(buf, "<forwarder");
        attr(buf, "domain", f->domain);
        attr(buf, "addr", f->addr);
        g_string_append(buf, "/>\n");
    }
    for (guint i = 0; i < dns->hosts->len; i++) {
        const virNetworkDNSHostDef *h = g_ptr_array_index(dns->hosts, i);
        indent(buf, 4);
        g_string_append(buf, "<host");
        attr(buf, "ip", h->ip);
        g_string_append(buf, ">\n");
        for (guint j = 0; j < h->hostnames->len; j++) {
            indent(buf, 6);
            g_string_append(buf, "<hostname>");
            virDomainXMLEscape(buf, g_ptr_array_index(h->hostnames, j));
            g_string_append(buf, "</hostname>\n");
        }
        indent(buf, 4);
        g_string_append(buf, "</host>\n");
    }
    indent(buf, 2);
    g_string_append(buf, "</dns>\n");
}

char *
virNetworkDefFormat(const virNetworkDef *def, unsigned int flags)
{
    g_autoptr(GString) buf = g_string_new("<network");
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (!(flags & VIR_NETWORK_DEF_FORMAT_INACTIVE) && def->connections > 0)
        g_string_append_printf(buf, " connections='%d'", def->connections);
    if (def->ipv6nogw)
        attr(buf, "ipv6", tristateToString(def->ipv6nogw));
    if (def->trustGuestRxFilters)
        attr(buf, "trustGuestRxFilters", tristateToString(def->trustGuestRxFilters));
    g_string_append(buf, ">\n  <name>");
    virDomainXMLEscape(buf, def->name);
    g_string_append_printf(buf, "</name>\n  <uuid>%s</uuid>\n",
                           virUUIDFormat(def->uuid, uuid));

    if (def->forwardType != VIR_NETWORK_FORWARD_NONE) {
        bool nat = def->natAddrStart || def->natPortStart || def->natPortEnd;

        g_string_append(buf, "  <forward");
        attr(buf, "dev", def->forwardDev);
        attr(buf, "mode", forwardTypeNames[def->forwardType]);
        if (!nat && !def->forwardDev) {
            g_string_append(buf, "/>\n");
        } else {
            g_string_append(buf, ">\n");
            if (nat) {
                g_string_append(buf, "    <nat>\n");
                if (def->natAddrStart) {
                    g_string_append(buf, "      <address");
                    attr(buf, "start", def->natAddrStart);
                    attr(buf, "end", def->natAddrEnd);
                    g_string_append(buf, "/>\n");
                }
                if (def->natPortStart || def->natPortEnd)
                    g_string_append_printf(buf, "      <port start='%u' end='%u'/>\n",
                                           def->natPortStart, def->natPortEnd);
                g_string_append(buf, "    </nat>\n");
            }
            if (def->forwardDev) {
                g_string_append(buf, "    <interface");
                attr(buf, "dev", def->forwardDev);
                g_string_append(buf, "/>\n");
            }
            g_string_append(buf, "  </forward>\n");
        }
    }

    if (virNetworkDefIsVirtual(def) || def->bridge) {
        g_string_append(buf, "  <bridge");
        attr(buf, "name", def->bridge);
        attr(buf, "zone", def->bridgeZone);
        if (virNetworkDefIsVirtual(def))
            g_string_append_printf(buf, " stp='%s' delay='%ld'",
                                   def->stp == VIR_NETWORK_TRISTATE_NO ? "off" : "on",
                                   def->delay);
        g_string_append(buf, "/>\n");
    }
    if (def->mtu)
        g_string_append_printf(buf, "  <mtu size='%u'/>\n", def->mtu);
    if (def->macSpecified) {
        char mac[18];
        virNetworkFormatMAC(def->mac, mac);
        g_string_append_printf(buf, "  <mac address='%s'/>\n", mac);
    }
    if (def->domain) {
        g_string_append(buf, "  <domain");
        attr(buf, "name", def->domain);
        if (def->domainLocalOnly)
            attr(buf, "localOnly", tristateToString(def->domainLocalOnly));
        g_string_append(buf, "/>\n");
    }
    formatDNS(buf, def);
    for (guint i = 0; i < def->ips->len; i++)
        formatIP(buf, g_ptr_array_index(def->ips, i));
    g_string_append(buf, "</network>\n");
    return g_string_free(g_steal_pointer(&buf), FALSE);
}

virNetworkDef *
virNetworkDefCopy(const virNetworkDef *def)
{
    g_autofree char *xml = virNetworkDefFormat(def, 0);
    virNetworkDef *copy = virNetworkDefParseString(xml);

    g_assert(copy);
    copy->connections = def->connections;
    return copy;
}

/* ---- persistence ------------------------------------------------------ */

int
virNetworkDefSaveConfig(const char *dir, const virNetworkDef *def)
{
    g_autofree char *path = g_strdup_printf("%s/%s.xml", dir, def->name);
    g_autofree char *xml = virNetworkDefFormat(def, VIR_NETWORK_DEF_FORMAT_INACTIVE);
    g_autofree char *data = NULL;

    if (virFileMakePath(dir, 0755) < 0)
        return -1;
    data = g_strdup_printf(
        "<!--\n"
        "WARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\n"
        "OVERWRITTEN AND LOST. Changes to this xml configuration should be made using:\n"
        "  virsh net-edit %s\n"
        "or other application using the libvirt API.\n"
        "-->\n\n%s",
        def->name, xml);
    return virFileWriteAtomic(path, data, strlen(data), 0600);
}

int
virNetworkDefDeleteConfig(const char *dir, const char *name)
{
    g_autofree char *path = g_strdup_printf("%s/%s.xml", dir, name);

    return virFileRemoveDurable(path);
}
