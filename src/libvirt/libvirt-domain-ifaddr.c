/* libvirt-domain-ifaddr.c: public entry points for a running guest's interface addresses */
#define G_LOG_DOMAIN "virtkit.api"

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/**
 * virDomainInterfaceAddresses:
 * @dom: a domain handle
 * @ifaces: where to store the array of interfaces (set to NULL first)
 * @source: where the addresses come from (virDomainInterfaceAddressesSource)
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * The IP addresses of the interfaces of a running @dom, as libvirt 9.0:
 * VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE reads the DHCP leases of the
 * virtual networks the guest's type='network' interfaces are on (only
 * interfaces with a lease are listed); VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP
 * reads the host's neighbour (ARP) table, one entry per address found for a
 * guest MAC address (prefix 0); VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT asks
 * the guest agent, which needs a write connection. libvirt's test driver
 * invents one address per interface whatever @source is.
 *
 * On success *@ifaces is an array of the returned count; free each element
 * with virDomainInterfaceFree and the array with free().
 *
 * Returns the number of interfaces, or -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @ifaces, VIR_ERR_OPERATION_DENIED for the
 * agent source on a read-only connection, VIR_ERR_OPERATION_INVALID when the
 * domain is not running, VIR_ERR_ARGUMENT_UNSUPPORTED "Unknown IP address
 * data source N" or "QEMU guest agent is not configured".
 */
int
virDomainInterfaceAddresses(virDomainPtr dom, virDomainInterfacePtr **ifaces,
                            unsigned int source, unsigned int flags)
{
    virConnectPtr conn;

    virResetLastError();
    if (ifaces)
        *ifaces = NULL;
    virCheckDomainReturn(dom, -1);
    conn = dom->conn;
    virCheckNonNullArgGoto(ifaces, error);
    if (source == VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT)
        virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL(driver, domainInterfaceAddresses, dom, ifaces, source, flags);
}

/**
 * virDomainInterfaceFree:
 * @iface: an interface from virDomainInterfaceAddresses, or NULL
 *
 * Frees @iface, its name, MAC address and addresses. NULL is accepted.
 */
void
virDomainInterfaceFree(virDomainInterfacePtr iface)
{
    virDomainInterfaceFreeInternal(iface);
}
