/* test_driver_ifaddr.c: the test driver's virDomainInterfaceAddresses (libvirt 9.0's invented addresses) */

/*
 * Threads: as test_driver.c. The domain object's lock is held while its
 * networks are looked up (the network list and objects lock themselves;
 * lock order domain, then network, as nowhere else takes both).
 */

#define G_LOG_DOMAIN "virtkit.test.ifaddr"

#include <arpa/inet.h>

#include "driver.h"
#include "network_conf.h"
#include "test_driver_priv.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/* @base plus @offset (IPv4: the 32-bit number; IPv6: the 128-bit one). */
static void
testAddrAdd(virNetworkAddr *addr, unsigned int offset)
{
    if (addr->family == AF_INET) {
        addr->a.v4.s_addr = htonl(ntohl(addr->a.v4.s_addr) + offset);
        return;
    }
    for (int i = 15; i >= 0 && offset; i--) {
        unsigned int sum = addr->a.v6.s6_addr[i] + (offset & 0xff);

        addr->a.v6.s6_addr[i] = sum & 0xff;
        offset = (offset >> 8) + (sum >> 8);
    }
}

/* The invented address of interface @idx of running domain @id on network
 * @name, as libvirt 9.0's test driver computes it: the first DHCP range's
 * start (else the network's own address) plus 20 per domain id after the
 * first plus idx + 1. NULL with NO_NETWORK when there is no such network;
 * *@none set when it has no address at all. */
static char *
testNetworkInventAddr(testDriver *driver, const char *name, int id, size_t idx, int *type,
                      unsigned int *prefix, bool *none)
{
    virNetworkObj *obj = virNetworkObjListFindByName(driver->networks, name);
    virNetworkIPDef *ip;
    virNetworkAddr addr;
    char *ret = NULL;

    *none = false;
    if (!obj) {
        virReportError(VIR_ERR_NO_NETWORK, "no network with matching name '%s'", name);
        return NULL;
    }
    if (obj->def->ips->len == 0) {
        /* libvirt 9.0's test driver dereferences a missing <ip> and
         * crashes; no address is the sane answer */
        *none = true;
        goto cleanup;
    }
    ip = g_ptr_array_index(obj->def->ips, 0);
    if (ip->ranges->len > 0)
        addr = ((virNetworkDHCPRangeDef *)g_ptr_array_index(ip->ranges, 0))->startAddr;
    else
        addr = ip->addr;
    testAddrAdd(&addr, (unsigned int)(20 * (id - 1) + idx + 1));
    *type = addr.family == AF_INET6 ? VIR_IP_ADDR_TYPE_IPV6 : VIR_IP_ADDR_TYPE_IPV4;
    *prefix = ip->effectivePrefix;
    ret = virNetworkAddrFormat(&addr);

cleanup:
    virNetworkObjEndAPI(&obj);
    return ret;
}

int
testDomainInterfaceAddresses(virDomainPtr dom, virDomainInterfacePtr **ifaces,
                             unsigned int source, unsigned int flags)
{
    testDriver *driver = dom->conn->privateData;
    virDomainInterfacePtr *list = NULL;
    size_t n = 0;
    virDomainObj *obj;
    int ret = -1;

    virCheckFlags(0, -1);
    if (source > VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "Unknown IP address data source %u",
                       source);
        return -1;
    }
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjCheckActive(obj) < 0)
        goto cleanup;

    list = g_new0(virDomainInterfacePtr, obj->def->nnets + 1);
    for (size_t i = 0; i < obj->def->nnets; i++) {
        const virDomainNetDef *net = obj->def->nets[i];
        virDomainInterfacePtr iface = g_new0(virDomainInterface, 1);
        char mac[18];
        int type = VIR_IP_ADDR_TYPE_IPV4;
        unsigned int prefix = 24;
        char *addr;
        bool none = false;

        list[n++] = iface;
        iface->name = g_strdup(net->ifname);
        virNetworkFormatMAC(net->mac, mac);
        iface->hwaddr = g_strdup(mac);
        if (net->type == VIR_DOMAIN_NET_TYPE_NETWORK) {
            if (!(addr = testNetworkInventAddr(driver, net->network, obj->def->id, i,
                                               &type, &prefix, &none)) &&
                !none)
                goto cleanup;
        } else {
            addr = g_strdup_printf("192.168.0.%zu", i + 1);
        }
        if (addr) {
            iface->naddrs = 1;
            iface->addrs = g_new0(virDomainIPAddress, 1);
            iface->addrs[0].type = type;
            iface->addrs[0].addr = addr;
            iface->addrs[0].prefix = prefix;
        }
    }
    *ifaces = g_steal_pointer(&list);
    ret = (int)n;

cleanup:
    if (list) {
        for (size_t i = 0; i < n; i++)
            virDomainInterfaceFreeInternal(list[i]);
        g_free(list);
    }
    virDomainObjEndAPI(&obj);
    return ret;
}
