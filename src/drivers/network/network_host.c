/* network_host.c: bridges, taps, nftables rules and dnsmasq configuration of virtual networks */

#define G_LOG_DOMAIN "virtkit.network.host"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "network_host.h"
#include "virnetdev.h"
#include "virerror.h"
#include "virfile.h"

#define VIR_FROM_THIS VIR_FROM_NETWORK

#define IP_PATH "/usr/sbin/ip"
#define NFT_PATH "/usr/sbin/nft"

int
networkCheckRouteCollision(const virNetworkDef *def)
{
    g_autofree char *buf = NULL;
    g_auto(GStrv) lines = NULL;

    if (!g_file_get_contents("/proc/net/route", &buf, NULL, NULL))
        return 0; /* as libvirt: no table, no check */
    lines = g_strsplit(buf, "\n", -1);
    for (guint l = 1; lines[l]; l++) {
        char iface[IFNAMSIZ + 1];
        unsigned int dest, gw, flags, refcnt, use, metric, mask;

        if (sscanf(lines[l], "%16s %x %x %x %u %u %u %x", iface, &dest, &gw, &flags,
                   &refcnt, &use, &metric, &mask) != 8)
            continue;
        /* only routes to a network, as libvirt (skip the default route) */
        if (dest == 0 && mask == 0)
            continue;
        for (guint i = 0; i < def->ips->len; i++) {
            const virNetworkIPDef *ip = g_ptr_array_index(def->ips, i);
            guint32 net, ourmask;

            if (ip->addr.family != AF_INET)
                continue;
            ourmask = ip->effectivePrefix ? htonl(~0U << (32 - ip->effectivePrefix)) : 0;
            net = ip->addr.a.v4.s_addr & ourmask;
            /* the route file is in network byte order already */
            if ((net & mask) == (dest & mask) || (dest & ourmask) == net) {
                virReportError(VIR_ERR_INTERNAL_ERROR,
                               "Network is already in use by interface %s", iface);
                return -1;
            }
        }
    }
    return 0;
}

int
networkBridgeDelete(const char *bridge)
{
    const char *argv[] = { IP_PATH, "link", "del", bridge, NULL };

    if (!virNetDevExists(bridge))
        return 0;
    virNetDevRunQuiet(argv);
    return 0;
}

static int
writeProc(const char *path, const char *value)
{
    if (!g_file_set_contents(path, value, -1, NULL)) {
        /* g_file_set_contents renames a temporary file: /proc needs a plain write */
        FILE *f = fopen(path, "w");
        if (!f || fputs(value, f) < 0 || fclose(f) != 0) {
            virReportSystemError(errno, "cannot write '%s'", path);
            return -1;
        }
    }
    return 0;
}

int
networkBridgeCreate(const virNetworkDef *def)
{
    char mac[18];
    g_autofree char *mtu = g_strdup_printf("%u", def->mtu);
    g_autofree char *delay = g_strdup_printf("%ld", def->delay * 100);
    const char *br = def->bridge;

    if (virNetDevExists(br)) {
        virReportSystemError(EEXIST, "Unable to create bridge %s", br);
        return -1;
    }
    {
        /* the forward delay is set before STP is on: the kernel refuses a
         * delay under 2 s while STP runs, libvirt's default is 0 */
        const char *argv[] = { IP_PATH,  "link",          "add", br,          "type",
                               "bridge", "forward_delay", delay, "stp_state", "0",
                               NULL };
        if (virNetDevRunCommand(argv, NULL) < 0)
            return -1;
    }
    virNetworkFormatMAC(def->mac, mac);
    if (def->macSpecified) {
        const char *argv[] = { IP_PATH, "link", "set", "dev", br, "address", mac, NULL };
        if (virNetDevRunCommand(argv, NULL) < 0)
            goto error;
    }
    if (def->mtu) {
        const char *argv[] = { IP_PATH, "link", "set", "dev", br, "mtu", mtu, NULL };
        if (virNetDevRunCommand(argv, NULL) < 0)
            goto error;
    }
    if (def->stp != VIR_NETWORK_TRISTATE_NO) {
        const char *argv[] = { IP_PATH, "link",   "set",       "dev", br,
                               "type",  "bridge", "stp_state", "1",   NULL };
        if (virNetDevRunCommand(argv, NULL) < 0)
            goto error;
    }
    for (guint i = 0; i < def->ips->len; i++) {
        const virNetworkIPDef *ip = g_ptr_array_index(def->ips, i);
        g_autofree char *a = virNetworkAddrFormat(&ip->addr);
        g_autofree char *cidr = g_strdup_printf("%s/%u", a, ip->effectivePrefix);

        if (ip->addr.family == AF_INET) {
            const char *argv[] = { IP_PATH,     "-4", "addr", "add", cidr,
                                   "broadcast", "+",  "dev",  br,    NULL };
            if (virNetDevRunCommand(argv, NULL) < 0)
                goto error;
        } else {
            g_autofree char *dad =
                g_strdup_printf("/proc/sys/net/ipv6/conf/%s/accept_ra", br);
            const char *argv[] = { IP_PATH, "-6", "addr",  "add", cidr,
                                   "dev",   br,   "nodad", NULL };
            writeProc(dad, "0");
            if (virNetDevRunCommand(argv, NULL) < 0)
                goto error;
        }
    }
    {
        const char *argv[] = { IP_PATH, "link", "set", "dev", br, "up", NULL };
        if (virNetDevRunCommand(argv, NULL) < 0)
            goto error;
    }
    if (def->forwardType == VIR_NETWORK_FORWARD_NAT ||
        def->forwardType == VIR_NETWORK_FORWARD_ROUTE) {
        if (virNetworkDefGetIPv4(def) &&
            writeProc("/proc/sys/net/ipv4/ip_forward", "1\n") < 0)
            goto error;
        for (guint i = 0; i < def->ips->len; i++) {
            const virNetworkIPDef *ip = g_ptr_array_index(def->ips, i);
            if (ip->addr.family == AF_INET6) {
                if (writeProc("/proc/sys/net/ipv6/conf/all/forwarding", "1\n") < 0)
                    goto error;
                break;
            }
        }
    }
    return 0;

error:
    networkBridgeDelete(br);
    return -1;
}

/* ---- nftables --------------------------------------------------------- */

char *
networkFirewallTableName(const char *bridge)
{
    g_autofree char *safe = g_strdup(bridge);

    /* nft identifiers: letters, digits, '_' (bridge names may hold '-', '.') */
    for (char *p = safe; *p; p++) {
        if (!g_ascii_isalnum(*p))
            *p = '_';
    }
    return g_strdup_printf("virtkit_%s", safe);
}

bool
networkFirewallExists(const char *bridge)
{
    g_autofree char *table = networkFirewallTableName(bridge);
    const char *argv[] = { NFT_PATH, "list", "table", "inet", table, NULL };
    int status = 0;

    if (!g_spawn_sync(NULL, (char **)argv, NULL,
                      G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                      NULL, NULL, &status, NULL))
        return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void
appendSubnetRules(GString *s, const virNetworkDef *def, const virNetworkIPDef *ip)
{
    const char *fam = ip->addr.family == AF_INET ? "ip" : "ip6";
    virNetworkAddr net;
    g_autofree char *n = NULL;
    g_autofree char *cidr = NULL;
    const char *br = def->bridge;

    virNetworkIPDefSubnet(ip, &net);
    n = virNetworkAddrFormat(&net);
    cidr = g_strdup_printf("%s/%u", n, ip->effectivePrefix);

    if (def->forwardType == VIR_NETWORK_FORWARD_NAT && ip->addr.family == AF_INET) {
        g_string_append_printf(
            s, "add rule inet %%T forward iifname \"%s\" %s saddr %s accept\n", br, fam,
            cidr);
        g_string_append_printf(
            s,
            "add rule inet %%T forward oifname \"%s\" %s daddr %s ct state "
            "related,established accept\n",
            br, fam, cidr);
    } else if (def->forwardType == VIR_NETWORK_FORWARD_NAT ||
               def->forwardType == VIR_NETWORK_FORWARD_ROUTE) {
        /* route mode, and IPv6 on a NAT network (libvirt routes it) */
        g_string_append_printf(
            s, "add rule inet %%T forward iifname \"%s\" %s saddr %s accept\n", br, fam,
            cidr);
        g_string_append_printf(
            s, "add rule inet %%T forward oifname \"%s\" %s daddr %s accept\n", br, fam,
            cidr);
    }
    if (def->forwardType == VIR_NETWORK_FORWARD_NAT && ip->addr.family == AF_INET) {
        g_autofree char *ports = NULL;
        g_autofree char *addrs = NULL;
        unsigned int pstart = def->natPortStart ? def->natPortStart : 1024;
        unsigned int pend = def->natPortEnd ? def->natPortEnd : 65535;
        const char *outdev = def->forwardDev;
        g_autofree char *oif =
            outdev ? g_strdup_printf(" oifname \"%s\"", outdev) : g_strdup("");

        if (def->natAddrStart)
            addrs =
                g_strdup_printf("%s%s%s", def->natAddrStart, def->natAddrEnd ? "-" : "",
                                def->natAddrEnd ? def->natAddrEnd : "");
        /* libvirt's order: multicast and broadcast left alone, then ports
         * remapped for tcp/udp, then the rest */
        g_string_append_printf(s,
                               "add rule inet %%T postrouting%s ip saddr %s ip daddr "
                               "224.0.0.0/24 return\n",
                               oif, cidr);
        g_string_append_printf(s,
                               "add rule inet %%T postrouting%s ip saddr %s ip daddr "
                               "255.255.255.255/32 return\n",
                               oif, cidr);
        for (int p = 0; p < 2; p++) {
            const char *proto = p == 0 ? "tcp" : "udp";
            if (addrs)
                g_string_append_printf(
                    s,
                    "add rule inet %%T postrouting%s meta l4proto %s ip "
                    "saddr %s ip daddr != %s snat ip to %s:%u-%u\n",
                    oif, proto, cidr, cidr, addrs, pstart, pend);
            else
                g_string_append_printf(
                    s,
                    "add rule inet %%T postrouting%s meta l4proto %s ip "
                    "saddr %s ip daddr != %s masquerade to :%u-%u\n",
                    oif, proto, cidr, cidr, pstart, pend);
        }
        if (addrs)
            g_string_append_printf(
                s,
                "add rule inet %%T postrouting%s ip saddr %s ip daddr != "
                "%s snat ip to %s\n",
                oif, cidr, cidr, addrs);
        else
            g_string_append_printf(
                s,
                "add rule inet %%T postrouting%s ip saddr %s ip daddr != "
                "%s masquerade\n",
                oif, cidr, cidr);
    }
}

int
networkFirewallAdd(const virNetworkDef *def)
{
    g_autofree char *table = networkFirewallTableName(def->bridge);
    g_autoptr(GString) s = g_string_new(NULL);
    g_autofree char *script = NULL;
    const char *br = def->bridge;
    const char *argv[] = { NFT_PATH, "-f", "-", NULL };
    bool nat = def->forwardType == VIR_NETWORK_FORWARD_NAT;

    if (def->forwardType == VIR_NETWORK_FORWARD_OPEN)
        return 0;
    if (def->forwardType != VIR_NETWORK_FORWARD_NONE && !virNetworkDefIsVirtual(def))
        return 0;

    /* One transaction: a table of its own, created and filled at once;
     * nft applies the whole script or none of it. */
    g_string_append(s, "add table inet %T\n");
    g_string_append(s, "add chain inet %T forward { type filter hook forward priority 0; "
                       "policy accept; }\n");
    if (nat)
        g_string_append(s, "add chain inet %T postrouting { type nat hook postrouting "
                           "priority 100; policy accept; }\n");
    /* guests on the same bridge talk to each other */
    g_string_append_printf(
        s, "add rule inet %%T forward iifname \"%s\" oifname \"%s\" accept\n", br, br);
    for (guint i = 0; i < def->ips->len; i++)
        appendSubnetRules(s, def, g_ptr_array_index(def->ips, i));
    /* anything else in or out of the bridge is refused, as libvirt's
     * REJECT rules (an isolated network gets only these) */
    g_string_append_printf(s, "add rule inet %%T forward iifname \"%s\" reject\n", br);
    g_string_append_printf(s, "add rule inet %%T forward oifname \"%s\" reject\n", br);

    {
        g_auto(GStrv) parts = g_strsplit(s->str, "%T", -1);
        script = g_strjoinv(table, parts);
    }
    g_debug("nft script for %s:\n%s", def->name, script);
    return virNetDevRunCommand(argv, script);
}

int
networkFirewallRemove(const char *bridge)
{
    g_autofree char *table = networkFirewallTableName(bridge);
    const char *argv[] = { NFT_PATH, "delete", "table", "inet", table, NULL };

    if (!networkFirewallExists(bridge))
        return 0;
    virNetDevRunQuiet(argv);
    return 0;
}

/* ---- dnsmasq ---------------------------------------------------------- */

char *
networkDnsmasqHostsFile(const virNetworkDef *def)
{
    g_autoptr(GString) s = g_string_new(NULL);
    const virNetworkIPDef *ip = virNetworkDefGetIPv4(def);

    if (!ip)
        return g_string_free(g_steal_pointer(&s), FALSE);
    for (guint i = 0; i < ip->hosts->len; i++) {
        const virNetworkDHCPHostDef *h = g_ptr_array_index(ip->hosts, i);
        if (h->mac && h->name)
            g_string_append_printf(s, "%s,%s,%s\n", h->mac, h->ip, h->name);
        else if (h->mac)
            g_string_append_printf(s, "%s,%s\n", h->mac, h->ip);
        else
            g_string_append_printf(s, "%s,%s\n", h->name, h->ip);
    }
    return g_string_free(g_steal_pointer(&s), FALSE);
}

char *
networkDnsmasqAddnHosts(const virNetworkDef *def)
{
    g_autoptr(GString) s = g_string_new(NULL);

    for (guint i = 0; i < def->dns.hosts->len; i++) {
        const virNetworkDNSHostDef *h = g_ptr_array_index(def->dns.hosts, i);
        g_string_append(s, h->ip);
        for (guint j = 0; j < h->hostnames->len; j++)
            g_string_append_printf(s, "\t%s",
                                   (const char *)g_ptr_array_index(h->hostnames, j));
        g_string_append_c(s, '\n');
    }
    /* DHCP hosts with a name answer DNS too, as libvirt's addnhosts */
    for (guint i = 0; i < def->ips->len; i++) {
        const virNetworkIPDef *ip = g_ptr_array_index(def->ips, i);
        for (guint j = 0; j < ip->hosts->len; j++) {
            const virNetworkDHCPHostDef *h = g_ptr_array_index(ip->hosts, j);
            if (h->name)
                g_string_append_printf(s, "%s\t%s\n", h->ip, h->name);
        }
    }
    return g_string_free(g_steal_pointer(&s), FALSE);
}

char *
networkDnsmasqConfig(const virNetworkDef *def, const char *leaseFile,
                     const char *hostsFile, const char *addnHostsFile)
{
    g_autoptr(GString) s = g_string_new(NULL);
    const virNetworkIPDef *ip4 = virNetworkDefGetIPv4(def);
    bool dnsOff = def->dns.enable == VIR_NETWORK_TRISTATE_NO;
    guint nleases = 0;

    if (!ip4 && dnsOff)
        return NULL;
    if (!def->ips->len)
        return NULL;

    g_string_append_printf(
        s,
        "##WARNING:  THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE "
        "LIKELY TO BE\n"
        "##OVERWRITTEN AND LOST.  Changes to this configuration should be "
        "made using:\n"
        "##    virsh net-edit %s\n"
        "## or other application using the libvirt API.\n"
        "##\n"
        "## dnsmasq conf file created by virtkit\n",
        def->name);
    g_string_append(s, "strict-order\n");
    g_string_append(s, "keep-in-foreground\n");
    g_string_append(s, "user=nobody\n");
    if (dnsOff) {
        g_string_append(s, "port=0\n");
    } else {
        if (def->dns.forwardPlainNames != VIR_NETWORK_TRISTATE_YES)
            g_string_append(s, "domain-needed\n");
        for (guint i = 0; i < def->dns.forwarders->len; i++) {
            const virNetworkDNSForwarderDef *f =
                g_ptr_array_index(def->dns.forwarders, i);
            if (f->domain)
                g_string_append_printf(s, "server=/%s/%s\n", f->domain,
                                       f->addr ? f->addr : "#");
            else
                g_string_append_printf(s, "server=%s\n", f->addr);
        }
        if (def->domain) {
            if (def->domainLocalOnly == VIR_NETWORK_TRISTATE_YES)
                g_string_append_printf(s, "local=/%s/\n", def->domain);
            g_string_append_printf(s, "domain=%s\nexpand-hosts\n", def->domain);
        }
    }
    g_string_append(s, "except-interface=lo\nbind-dynamic\n");
    g_string_append_printf(s, "interface=%s\n", def->bridge);
    for (guint i = 0; ip4 && i < ip4->ranges->len; i++) {
        const virNetworkDHCPRangeDef *r = g_ptr_array_index(ip4->ranges, i);
        g_autofree char *st = virNetworkAddrFormat(&r->startAddr);
        g_autofree char *en = virNetworkAddrFormat(&r->endAddr);
        g_autofree char *mask = virNetworkIPDefNetmask(ip4);

        g_string_append_printf(s, "dhcp-range=%s,%s,%s\n", st, en, mask);
        nleases += ntohl(r->endAddr.a.v4.s_addr) - ntohl(r->startAddr.a.v4.s_addr) + 1;
    }
    if (ip4 && !ip4->ranges->len && ip4->hosts->len) {
        virNetworkAddr net;
        g_autofree char *n = NULL;
        g_autofree char *mask = virNetworkIPDefNetmask(ip4);

        virNetworkIPDefSubnet(ip4, &net);
        n = virNetworkAddrFormat(&net);
        g_string_append_printf(s, "dhcp-range=%s,static,%s\n", n, mask);
    }
    if (ip4 && (ip4->ranges->len || ip4->hosts->len)) {
        /* libvirt excludes its own address from the count */
        g_string_append(s, "dhcp-no-override\ndhcp-authoritative\n");
        g_string_append_printf(s, "dhcp-lease-max=%u\n",
                               nleases > 0 ? nleases - (nleases > 1 ? 1 : 0) : 0);
        g_string_append_printf(s, "dhcp-leasefile=%s\n", leaseFile);
        g_string_append_printf(s, "dhcp-hostsfile=%s\n", hostsFile);
    }
    if (!dnsOff)
        g_string_append_printf(s, "addn-hosts=%s\n", addnHostsFile);
    return g_string_free(g_steal_pointer(&s), FALSE);
}
