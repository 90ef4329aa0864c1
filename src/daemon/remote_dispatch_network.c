/* remote_dispatch_network.c: the non-mechanical network procedures (DHCP leases) and interface addresses
 *
 * Thread protocol: see remote_dispatch.c. The mechanical network
 * procedures are generated (protocol.vkp gen=..., remote_dispatch_gen.c).
 */
#define G_LOG_DOMAIN "virtkitd.dispatch"
#include <stdlib.h>
#include <string.h>

#include "remote_dispatch_priv.h"
#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VKD_HANDLER(vkdDispatchNetworkGetDHCPLeases)
{
    remote_network_get_dhcp_leases_args *a = args;
    remote_network_get_dhcp_leases_ret *r = ret;
    g_autoptr(virNetwork) net = vkdNetworkFromWire(call->conn, &a->net);
    virNetworkDHCPLeasePtr *leases = NULL;
    int n;

    n = virNetworkGetDHCPLeases(net, a->mac, a->need_results ? &leases : NULL, a->flags);
    if (n < 0)
        return -1;
    if (n > REMOTE_NETWORK_DHCP_LEASES_MAX) {
        for (int i = 0; leases && i < n; i++)
            virNetworkDHCPLeaseFree(leases[i]);
        free(leases);
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Number of leases is %d, which exceeds max limit: %d", n,
                       REMOTE_NETWORK_DHCP_LEASES_MAX);
        return -1;
    }
    if (leases) {
        r->leases_len = n;
        r->leases_val = g_new0(remote_network_dhcp_lease, n ? n : 1);
        for (int i = 0; i < n; i++) {
            remote_network_dhcp_lease *w = &r->leases_val[i];
            virNetworkDHCPLeasePtr l = leases[i];

            /* the strings move to the reply (freed with it) */
            w->iface = g_steal_pointer(&l->iface);
            w->expirytime = l->expirytime;
            w->type = l->type;
            w->mac = g_steal_pointer(&l->mac);
            w->iaid = g_steal_pointer(&l->iaid);
            w->ipaddr = g_steal_pointer(&l->ipaddr);
            w->prefix = l->prefix;
            w->hostname = g_steal_pointer(&l->hostname);
            w->clientid = g_steal_pointer(&l->clientid);
            if (!w->iface)
                w->iface = g_strdup("");
            if (!w->ipaddr)
                w->ipaddr = g_strdup("");
            virNetworkDHCPLeaseFree(l);
        }
        free(leases);
    }
    r->ret = n;
    return 0;
}

VKD_HANDLER(vkdDispatchDomainInterfaceAddresses)
{
    remote_domain_interface_addresses_args *a = args;
    remote_domain_interface_addresses_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    virDomainInterfacePtr *ifaces = NULL;
    int n;

    if ((n = virDomainInterfaceAddresses(dom, &ifaces, a->source, a->flags)) < 0)
        return -1;
    if (n > REMOTE_DOMAIN_INTERFACE_MAX) {
        for (int i = 0; i < n; i++)
            virDomainInterfaceFree(ifaces[i]);
        free(ifaces);
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Number of interfaces, %d exceeds the max limit: %d", n,
                       REMOTE_DOMAIN_INTERFACE_MAX);
        return -1;
    }
    r->ifaces_len = n;
    r->ifaces_val = g_new0(remote_domain_interface, n ? n : 1);
    for (int i = 0; i < n; i++) {
        remote_domain_interface *w = &r->ifaces_val[i];
        virDomainInterfacePtr iface = ifaces[i];

        /* the strings move to the reply (freed with it) */
        w->name = iface->name ? g_steal_pointer(&iface->name) : g_strdup("");
        w->hwaddr = g_steal_pointer(&iface->hwaddr);
        w->addrs_len = iface->naddrs;
        w->addrs_val = g_new0(remote_domain_ip_addr, iface->naddrs ? iface->naddrs : 1);
        for (unsigned int j = 0; j < iface->naddrs; j++) {
            w->addrs_val[j].type = iface->addrs[j].type;
            w->addrs_val[j].addr = iface->addrs[j].addr
                                       ? g_steal_pointer(&iface->addrs[j].addr)
                                       : g_strdup("");
            w->addrs_val[j].prefix = iface->addrs[j].prefix;
        }
        virDomainInterfaceFree(iface);
    }
    free(ifaces);
    return 0;
}

VKD_HANDLER(vkdDispatchNetworkPortGetParameters)
{
    remote_network_port_get_parameters_args *a = args;
    remote_network_port_get_parameters_ret *r = ret;
    g_autoptr(virNetworkPort) port = vkdNetworkPortFromWire(call->conn, &a->port);
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    int rc;

    if (virNetworkPortGetParameters(port, &params, &nparams, a->flags) < 0)
        return -1;
    rc = remoteTypedParamsSerialize(params, nparams, REMOTE_NETWORK_PORT_PARAMETERS_MAX,
                                    &r->params_val, &r->params_len, a->flags);
    virTypedParamsFree(params, nparams);
    return rc;
}

VKD_HANDLER(vkdDispatchNetworkPortSetParameters)
{
    remote_network_port_set_parameters_args *a = args;
    g_autoptr(virNetworkPort) port = vkdNetworkPortFromWire(call->conn, &a->port);
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    int rc;

    (void)ret;
    if (remoteTypedParamsDeserialize(a->params_val, a->params_len,
                                     REMOTE_NETWORK_PORT_PARAMETERS_MAX, &params,
                                     &nparams) < 0)
        return -1;
    rc = virNetworkPortSetParameters(port, params, nparams, a->flags);
    remoteTypedParamsFree(params, nparams);
    return rc;
}
