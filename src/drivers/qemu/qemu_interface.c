/* qemu_interface.c: guest interfaces of type network, bridge and ethernet: the taps QEMU gets */

#define G_LOG_DOMAIN "virtkit.qemu.interface"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "driver.h"
#include "qemu_interface.h"
#include "virerror.h"
#include "virnetdev.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* The bridge of virtual network @name, from the network driver serving
 * this process (virtkitd's), as libvirt's QEMU driver asks its network
 * driver: NULL with NO_NETWORK when there is no such network,
 * OPERATION_INVALID when it is not running. */
static char *
qemuInterfaceNetworkBridge(const char *name)
{
    const virNetworkDriver *nd = virGetSharedNetworkDriver();
    virConnectPtr conn = NULL;
    virNetworkPtr net = NULL;
    char *bridge = NULL;
    int active;

    if (!nd || !nd->networkLookupByName || !nd->networkIsActive ||
        !nd->networkGetBridgeName) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "interface type 'network' needs a network driver (virtkitd's); "
                       "network '%s' cannot be used here",
                       name);
        return NULL;
    }
    /* a connection object of our own: the driver only names it in the
     * handle it returns */
    conn = virGetConnect();
    conn->networkDriver = nd;
    if (!(net = nd->networkLookupByName(conn, name)))
        goto cleanup;
    if ((active = nd->networkIsActive(net)) < 0)
        goto cleanup;
    if (!active) {
        virReportErrorFull(VIR_FROM_NETWORK, VIR_ERR_OPERATION_INVALID, __func__,
                           "network '%s' is not active", name);
        goto cleanup;
    }
    bridge = nd->networkGetBridgeName(net);

cleanup:
    if (net)
        virObjectUnrefNetwork(net);
    virObjectUnrefConnect(conn);
    return bridge;
}

static bool
qemuInterfaceHasTap(const virDomainNetDef *net)
{
    return net->type == VIR_DOMAIN_NET_TYPE_NETWORK ||
           net->type == VIR_DOMAIN_NET_TYPE_BRIDGE ||
           net->type == VIR_DOMAIN_NET_TYPE_ETHERNET;
}

int
qemuInterfacePrepare(virDomainDef *def, int *keepfds, size_t *nkeep, size_t maxkeep)
{
    for (size_t i = 0; i < def->nnets; i++) {
        virDomainNetDef *net = def->nets[i];
        g_autofree char *bridge = NULL;
        g_autofree char *ifname = NULL;
        const char *templ = "vnet%d";
        int fd;

        if (!qemuInterfaceHasTap(net))
            continue;
        if (*nkeep >= maxkeep) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "too many tap interfaces for one guest");
            goto error;
        }
        if (net->type == VIR_DOMAIN_NET_TYPE_NETWORK) {
            if (!(bridge = qemuInterfaceNetworkBridge(net->network)))
                goto error;
        } else if (net->type == VIR_DOMAIN_NET_TYPE_BRIDGE) {
            bridge = g_strdup(net->bridge);
        }
        if (bridge && !virNetDevExists(bridge)) {
            virReportSystemErrorFull(VIR_FROM_NONE, ENODEV, __func__,
                                     "Cannot get interface MTU on '%s'", bridge);
            goto error;
        }
        if (!net->macSet) {
            /* the MAC the command line would give it, now in the live XML */
            net->mac[0] = 0x52;
            net->mac[1] = 0x54;
            net->mac[2] = 0x00;
            net->mac[3] = def->uuid[0];
            net->mac[4] = def->uuid[1];
            net->mac[5] = (unsigned char)(def->uuid[2] + i);
            net->macSet = true;
        }
        if (net->ifname && !g_str_has_prefix(net->ifname, "vnet"))
            templ = net->ifname;
        if (net->type == VIR_DOMAIN_NET_TYPE_ETHERNET && net->managedTap == 2) {
            /* Nova's and KubeVirt's way: a tap someone else made */
            if (!net->ifname) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "target dev must be supplied when managed='no'");
                goto error;
            }
            if ((fd = virNetDevTapOpen(net->ifname)) < 0)
                goto error;
            ifname = g_strdup(net->ifname);
        } else if ((fd = virNetDevTapCreate(templ, bridge, net->mac, 0, &ifname)) < 0) {
            goto error;
        }
        g_free(net->ifname);
        net->ifname = g_steal_pointer(&ifname);
        net->tapfd = fd;
        net->hasTapfd = true;
        keepfds[(*nkeep)++] = fd;
        g_debug("interface %zu of '%s': tap %s on %s", i, def->name, net->ifname,
                bridge ? bridge : "(none)");
    }
    return 0;

error:
    qemuInterfaceCleanup(def);
    return -1;
}

void
qemuInterfaceCloseFds(virDomainDef *def)
{
    for (size_t i = 0; i < def->nnets; i++) {
        virDomainNetDef *net = def->nets[i];

        if (net->hasTapfd) {
            close(net->tapfd);
            net->hasTapfd = false;
        }
    }
}

void
qemuInterfaceCleanup(virDomainDef *def)
{
    qemuInterfaceCloseFds(def);
    for (size_t i = 0; i < def->nnets; i++) {
        virDomainNetDef *net = def->nets[i];

        if (!qemuInterfaceHasTap(net) || !net->ifname)
            continue;
        /* a tap QEMU held goes with its last descriptor; an unmanaged
         * one (managed='no') is its owner's */
        if (net->managedTap != 2)
            virNetDevTapDelete(net->ifname);
    }
}
