/* vksh-ifaddr.c: domifaddr, a running guest's interface addresses (virsh 9.0's output) */
#define G_LOG_DOMAIN "vksh.ifaddr"

#include <stdlib.h>
#include <string.h>

#include "vksh.h"

const vkshOptDef vkshOptsDomifaddr[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "interface", VKSH_OT_STRING, 0, "network interface name" },
    { "full", VKSH_OT_BOOL, 0, "always display names and MACs of interfaces" },
    { "source", VKSH_OT_STRING, 0, "address source: 'lease', 'agent', or 'arp'" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdDomifaddr(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *ifacestr = NULL, *sourcestr = NULL;
    virDomainInterfacePtr *ifaces = NULL;
    bool full = vkshOptBool(cmd, "full");
    int source = VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE;
    int n;

    if (vkshOptString(ctl, cmd, "interface", &ifacestr) < 0 ||
        vkshOptString(ctl, cmd, "source", &sourcestr) < 0)
        return false;
    if (sourcestr) {
        if (strcmp(sourcestr, "lease") == 0) {
            source = VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE;
        } else if (strcmp(sourcestr, "agent") == 0) {
            source = VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT;
        } else if (strcmp(sourcestr, "arp") == 0) {
            source = VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP;
        } else {
            vkshError(ctl, "Unknown data source '%s'", sourcestr);
            return false;
        }
    }
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if ((n = virDomainInterfaceAddresses(dom, &ifaces, source, 0)) < 0) {
        vkshError(ctl, "Failed to query for interfaces addresses");
        return false;
    }

    vkshPrintExtra(ctl, " %-10s %-20s %-8s     %s\n%s%s\n", "Name", "MAC address",
                   "Protocol", "Address",
                   "-------------------------------------------------",
                   "------------------------------");
    for (int i = 0; i < n; i++) {
        virDomainInterfacePtr iface = ifaces[i];

        if (ifacestr && g_strcmp0(ifacestr, iface->name) != 0)
            continue;
        if (!iface->naddrs) {
            vkshPrint(ctl, " %-10s %-17s    %-12s %s\n", iface->name,
                      iface->hwaddr ? iface->hwaddr : "N/A", "N/A", "N/A");
            continue;
        }
        for (unsigned int j = 0; j < iface->naddrs; j++) {
            const char *type =
                iface->addrs[j].type == VIR_IP_ADDR_TYPE_IPV6 ? "ipv6" : "ipv4";
            g_autofree char *addr = g_strdup_printf(
                "%-12s %s/%u", type, iface->addrs[j].addr, iface->addrs[j].prefix);

            if (full || j == 0)
                vkshPrint(ctl, " %-10s %-17s    %s\n", iface->name,
                          iface->hwaddr ? iface->hwaddr : "", addr);
            else
                vkshPrint(ctl, " %-10s %-17s    %s\n", "-", "-", addr);
        }
    }
    for (int i = 0; i < n; i++)
        virDomainInterfaceFree(ifaces[i]);
    free(ifaces);
    return true;
}
