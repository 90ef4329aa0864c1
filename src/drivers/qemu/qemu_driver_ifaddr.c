/* qemu_driver_ifaddr.c: virDomainInterfaceAddresses for QEMU guests (DHCP leases, the ARP table, the agent) */

/*
 * Threads: runs on the caller's (an RPC worker's) thread. The domain
 * object's lock is held only to copy the interfaces' names, MACs and
 * networks; the network driver and /proc/net/arp are read without it, so
 * a slow read never blocks other calls on the guest.
 */

#define G_LOG_DOMAIN "virtkit.qemu.ifaddr"

#include <stdio.h>
#include <string.h>

#include "driver.h"
#include "network_conf.h"
#include "qemu_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* What the lookups need of one guest interface, copied under the lock. */
typedef struct {
    char *ifname;
    char mac[18];
    char *network; /* type='network' only */
} qemuIfaddrNet;

static void
qemuIfaddrNetClear(qemuIfaddrNet *n)
{
    g_free(n->ifname);
    g_free(n->network);
}

static virDomainInterfacePtr
qemuIfaddrNew(const qemuIfaddrNet *n, unsigned int naddrs)
{
    virDomainInterfacePtr iface = g_new0(virDomainInterface, 1);

    iface->name = g_strdup(n->ifname);
    iface->hwaddr = g_strdup(n->mac);
    iface->naddrs = naddrs;
    iface->addrs = g_new0(virDomainIPAddress, naddrs ? naddrs : 1);
    return iface;
}

/* As libvirt's qemuGetDHCPInterfaces: for each type='network' interface,
 * the leases of its network for its MAC (interfaces without one are left
 * out). Appends to @out; 0 or -1 with the error reported. */
static int
qemuIfaddrLeases(const qemuIfaddrNet *nets, size_t nnets, GPtrArray *out)
{
    const virNetworkDriver *nd = virGetSharedNetworkDriver();
    virConnectPtr conn = NULL;
    int ret = -1;

    for (size_t i = 0; i < nnets; i++) {
        virNetworkPtr net = NULL;
        virNetworkDHCPLeasePtr *leases = NULL;
        virDomainInterfacePtr iface;
        int n;

        if (!nets[i].network)
            continue;
        if (!nd || !nd->networkLookupByName || !nd->networkGetDHCPLeases) {
            virReportError(
                VIR_ERR_CONFIG_UNSUPPORTED,
                "interface type 'network' needs a network driver (virtkitd's); "
                "network '%s' cannot be used here",
                nets[i].network);
            goto cleanup;
        }
        if (!conn) {
            /* a connection object of our own: the driver only names it in
             * the handles it returns */
            conn = virGetConnect();
            conn->networkDriver = nd;
        }
        if (!(net = nd->networkLookupByName(conn, nets[i].network)))
            goto cleanup;
        n = nd->networkGetDHCPLeases(net, nets[i].mac, &leases, 0);
        virObjectUnrefNetwork(net);
        if (n < 0)
            goto cleanup;
        if (n > 0) {
            iface = qemuIfaddrNew(&nets[i], n);
            for (int j = 0; j < n; j++) {
                iface->addrs[j].type = leases[j]->type;
                iface->addrs[j].addr = g_strdup(leases[j]->ipaddr);
                iface->addrs[j].prefix = leases[j]->prefix;
            }
            g_ptr_array_add(out, iface);
        }
        for (int j = 0; j < n; j++) {
            virNetworkDHCPLeasePtr l = leases[j];

            g_free(l->iface);
            g_free(l->mac);
            g_free(l->iaid);
            g_free(l->ipaddr);
            g_free(l->hostname);
            g_free(l->clientid);
            g_free(l);
        }
        g_free(leases);
    }
    ret = 0;

cleanup:
    if (conn)
        virObjectUnrefConnect(conn);
    return ret;
}

/* As libvirt's qemuARPGetInterfaces: one interface entry (prefix 0) per
 * IPv4 neighbour of the host whose MAC is the interface's. Neighbours
 * still being resolved (flags 0, no MAC yet) are skipped. */
static int
qemuIfaddrARP(const qemuIfaddrNet *nets, size_t nnets, GPtrArray *out)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GError) err = NULL;

    if (!g_file_get_contents("/proc/net/arp", &text, NULL, &err)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot read the ARP table: %s",
                       err->message);
        return -1;
    }
    lines = g_strsplit(text, "\n", -1);
    for (size_t i = 0; i < nnets; i++) {
        /* the first line is the header */
        for (size_t l = 1; lines[l]; l++) {
            char ip[64], hw[64], mask[64], dev[64];
            unsigned int hwtype, flags;
            virDomainInterfacePtr iface;

            if (sscanf(lines[l], "%63s 0x%x 0x%x %63s %63s %63s", ip, &hwtype, &flags, hw,
                       mask, dev) != 6)
                continue;
            if (flags == 0 || g_ascii_strcasecmp(hw, nets[i].mac) != 0)
                continue;
            iface = qemuIfaddrNew(&nets[i], 1);
            iface->addrs[0].type = VIR_IP_ADDR_TYPE_IPV4;
            iface->addrs[0].addr = g_strdup(ip);
            iface->addrs[0].prefix = 0;
            g_ptr_array_add(out, iface);
        }
    }
    return 0;
}

int
qemuDomainInterfaceAddresses(virDomainPtr dom, virDomainInterfacePtr **ifaces,
                             unsigned int source, unsigned int flags)
{
    virDomainObj *obj;
    qemuIfaddrNet *nets = NULL;
    size_t nnets = 0;
    g_autoptr(GPtrArray) out = NULL;
    int ret = -1;

    virCheckFlags(0, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (qemuDomainObjCheckActive(obj) < 0) {
        virDomainObjEndAPI(&obj);
        return -1;
    }
    nnets = obj->def->nnets;
    nets = g_new0(qemuIfaddrNet, nnets ? nnets : 1);
    for (size_t i = 0; i < nnets; i++) {
        const virDomainNetDef *net = obj->def->nets[i];

        nets[i].ifname = g_strdup(net->ifname);
        virNetworkFormatMAC(net->mac, nets[i].mac);
        if (net->type == VIR_DOMAIN_NET_TYPE_NETWORK)
            nets[i].network = g_strdup(net->network);
    }
    virDomainObjEndAPI(&obj);

    out = g_ptr_array_new_with_free_func((GDestroyNotify)virDomainInterfaceFreeInternal);
    switch (source) {
    case VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE:
        if (qemuIfaddrLeases(nets, nnets, out) < 0)
            goto cleanup;
        break;
    case VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP:
        if (qemuIfaddrARP(nets, nnets, out) < 0)
            goto cleanup;
        break;
    case VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT:
        /* the guest agent (qemu_driver_agent.c), its own job and checks */
        ret = qemuDomainAgentInterfaces(dom, ifaces);
        goto cleanup;
    default:
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "Unknown IP address data source %u",
                       source);
        goto cleanup;
    }
    ret = (int)out->len;
    g_ptr_array_set_free_func(out, NULL);
    *ifaces = (virDomainInterfacePtr *)g_ptr_array_free(g_steal_pointer(&out), FALSE);

cleanup:
    for (size_t i = 0; i < nnets; i++)
        qemuIfaddrNetClear(&nets[i]);
    g_free(nets);
    return ret;
}
