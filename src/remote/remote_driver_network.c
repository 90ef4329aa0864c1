/* remote_driver_network.c: the remote driver's hand-written network entry points (DHCP leases) */
#define G_LOG_DOMAIN "virtkit.remote"

#include <string.h>

#include "remote_driver_priv.h"
#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

/* As libvirt 9.0's remoteNetworkGetDHCPLeases: need_results says whether
 * the caller wants the array or only the count. */
int
remoteNetworkGetDHCPLeases(virNetworkPtr net, const char *mac,
                           virNetworkDHCPLeasePtr **leases, unsigned int flags)
{
    remote_network_get_dhcp_leases_args args = { 0 };
    remote_network_get_dhcp_leases_ret ret = { 0 };
    virNetworkDHCPLeasePtr *out = NULL;
    int rv = -1;

    remoteMakeNetwork(&args.net, net);
    args.mac = (char *)mac;
    args.need_results = !!leases;
    args.flags = flags;
    if (remoteCallNetworkGetDHCPLeases(net->conn, &args, &ret) < 0)
        return -1;
    if (ret.leases_len > REMOTE_NETWORK_DHCP_LEASES_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Number of leases is %d, which exceeds max limit: %d",
                       ret.leases_len, REMOTE_NETWORK_DHCP_LEASES_MAX);
        goto cleanup;
    }
    if (leases) {
        out = g_new0(virNetworkDHCPLeasePtr, ret.leases_len + 1);
        for (guint i = 0; i < ret.leases_len; i++) {
            remote_network_dhcp_lease *w = &ret.leases_val[i];
            virNetworkDHCPLeasePtr l = g_new0(virNetworkDHCPLease, 1);

            l->iface = g_strdup(w->iface);
            l->expirytime = w->expirytime;
            l->type = w->type;
            l->mac = g_strdup(w->mac);
            l->iaid = g_strdup(w->iaid);
            l->ipaddr = g_strdup(w->ipaddr);
            l->prefix = w->prefix;
            l->hostname = g_strdup(w->hostname);
            l->clientid = g_strdup(w->clientid);
            out[i] = l;
        }
        *leases = out;
    }
    rv = ret.ret;

cleanup:
    virXdrFree(remote_network_get_dhcp_leases_ret_filter, &ret);
    return rv;
}

/* As libvirt 9.0's remoteDomainInterfaceAddresses. */
int
remoteDomainInterfaceAddresses(virDomainPtr dom, virDomainInterfacePtr **ifaces,
                               unsigned int source, unsigned int flags)
{
    remote_domain_interface_addresses_args args = { .source = source, .flags = flags };
    remote_domain_interface_addresses_ret ret = { 0 };
    virDomainInterfacePtr *out = NULL;
    guint n = 0;
    int rv = -1;

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainInterfaceAddresses(dom->conn, &args, &ret) < 0)
        return -1;
    if (ret.ifaces_len > REMOTE_DOMAIN_INTERFACE_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Number of interfaces, %d exceeds the max limit: %d",
                       ret.ifaces_len, REMOTE_DOMAIN_INTERFACE_MAX);
        goto cleanup;
    }
    out = g_new0(virDomainInterfacePtr, ret.ifaces_len + 1);
    for (n = 0; n < ret.ifaces_len; n++) {
        remote_domain_interface *w = &ret.ifaces_val[n];
        virDomainInterfacePtr iface = g_new0(virDomainInterface, 1);

        out[n] = iface;
        iface->name = g_strdup(w->name);
        iface->hwaddr = g_strdup(w->hwaddr);
        if (w->addrs_len > REMOTE_DOMAIN_IP_ADDR_MAX) {
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "Number of interfaces, %d exceeds the max limit: %d",
                           w->addrs_len, REMOTE_DOMAIN_IP_ADDR_MAX);
            n++;
            goto cleanup;
        }
        iface->naddrs = w->addrs_len;
        iface->addrs = g_new0(virDomainIPAddress, w->addrs_len ? w->addrs_len : 1);
        for (guint j = 0; j < w->addrs_len; j++) {
            iface->addrs[j].type = w->addrs_val[j].type;
            iface->addrs[j].addr = g_strdup(w->addrs_val[j].addr);
            iface->addrs[j].prefix = w->addrs_val[j].prefix;
        }
    }
    *ifaces = g_steal_pointer(&out);
    rv = (int)ret.ifaces_len;

cleanup:
    if (out) {
        for (guint i = 0; i < n; i++)
            virDomainInterfaceFreeInternal(out[i]);
        g_free(out);
    }
    virXdrFree(remote_domain_interface_addresses_ret_filter, &ret);
    return rv;
}

/* As libvirt 9.0's remoteNetworkPortGetParameters: the daemon's array. */
int
remoteNetworkPortGetParameters(virNetworkPortPtr port, virTypedParameterPtr *params,
                               int *nparams, unsigned int flags)
{
    remote_network_port_get_parameters_args args = { .flags = flags };
    remote_network_port_get_parameters_ret ret = { 0 };
    virTypedParameterPtr out = NULL;
    int n = 0;
    int rv = -1;

    remoteMakeNetworkPort(&args.port, port);
    if (remoteCallNetworkPortGetParameters(port->net->conn, &args, &ret) < 0)
        return -1;
    if (remoteTypedParamsDeserialize(ret.params_val, ret.params_len,
                                     REMOTE_NETWORK_PORT_PARAMETERS_MAX, &out, &n) < 0)
        goto cleanup;
    *params = out;
    *nparams = n;
    rv = 0;

cleanup:
    virXdrFree(remote_network_port_get_parameters_ret_filter, &ret);
    return rv;
}

int
remoteNetworkPortSetParameters(virNetworkPortPtr port, virTypedParameterPtr params,
                               int nparams, unsigned int flags)
{
    remote_network_port_set_parameters_args args = { .flags = flags };
    int rv;

    remoteMakeNetworkPort(&args.port, port);
    if (remoteTypedParamsSerialize(params, nparams, REMOTE_NETWORK_PORT_PARAMETERS_MAX,
                                   &args.params_val, &args.params_len,
                                   VIR_TYPED_PARAM_STRING_OKAY) < 0)
        return -1;
    rv = remoteCallNetworkPortSetParameters(port->net->conn, &args);
    remoteTypedParamsFreeRemote(args.params_val, args.params_len);
    return rv < 0 ? -1 : 0;
}
