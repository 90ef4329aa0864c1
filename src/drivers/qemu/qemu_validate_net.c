/* qemu_validate_net.c: the QEMU driver's rules for an <interface> (qemu_validate.c's net part) */

/*
 * Rules of one interface that hold at define, start and hotplug alike:
 * its guest-side <ip>s and <portForward>s and its virtio <driver>, with
 * libvirt 9.0's messages (qemuValidateDomainDeviceDefNetwork). The rules
 * that need the interface's host side (multiqueue only on a tap) are
 * qemuValidateNetForStart's. Pure: no probe, no I/O.
 */
#define G_LOG_DOMAIN "virtkit.qemu.validate"

#include "qemu_validate.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

static int
qemuValidateNetGuestIP(const virDomainNetDef *net)
{
    bool have4 = false;
    bool have6 = false;

    if (net->type != VIR_DOMAIN_NET_TYPE_USER) {
        if (net->nips) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "Invalid attempt to set network interface guest-side IP route "
                           "and/or address info, not supported by QEMU");
            return -1;
        }
    }
    for (size_t i = 0; i < net->nips; i++) {
        const virDomainNetIPAddr *ip = &net->ips[i];

        if (!ip->ipv6) {
            if (have4) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                               "Only one IPv4 address per interface is allowed");
                return -1;
            }
            have4 = true;
            if (ip->prefix > 0 && (ip->prefix < 4 || ip->prefix > 27)) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "invalid prefix, must be in range of 4-27");
                return -1;
            }
        } else {
            if (have6) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                               "Only one IPv6 address per interface is allowed");
                return -1;
            }
            have6 = true;
            if (ip->prefix > 0 && ip->prefix != 64) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               "unsupported IPv6 address prefix='%u' - must be 64",
                               ip->prefix);
                return -1;
            }
        }
    }
    /* libvirt 9.0 forwards ports only through passt */
    if (net->nportForwards && (net->type != VIR_DOMAIN_NET_TYPE_USER ||
                               net->backendType != VIR_DOMAIN_NET_BACKEND_PASST)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "The <portForward> element can only be used with <interface "
                       "type='user'> and its 'passt' backend");
        return -1;
    }
    for (size_t i = 0; i < net->nportForwards; i++) {
        const virDomainNetPortForward *pf = &net->portForwards[i];

        for (size_t r = 0; r < pf->nranges; r++) {
            const virDomainNetPortForwardRange *range = &pf->ranges[r];

            /* passt takes ports 1-65535, an end after its start */
            if (range->start < 1 || range->start > 65535 || range->end > 65535 ||
                range->to > 65535 || (range->end && range->end < range->start) ||
                (range->to && range->end &&
                 range->to + (range->end - range->start) > 65535)) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               "invalid port range %u-%u of a <portForward>",
                               range->start, range->end);
                return -1;
            }
        }
    }
    return 0;
}

/* the type names libvirt's messages use (virDomainNetType's order) */
static const char *const netTypeNames[] = { "user", "network", "bridge", "ethernet",
                                            "vdpa" };

static const char *
netTypeName(int type)
{
    return type >= 0 && type < (int)G_N_ELEMENTS(netTypeNames) ? netTypeNames[type] : "";
}

static bool
isPow2(unsigned int v)
{
    return v && !(v & (v - 1));
}

int
qemuValidateNet(const virDomainNetDef *net)
{
    if (qemuValidateNetGuestIP(net) < 0)
        return -1;
    /* the parser keeps a <driver> only for a virtio model */
    if (net->driver.rxQueueSize && !isPow2(net->driver.rxQueueSize)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "rx_queue_size has to be a power of two");
        return -1;
    }
    if (net->driver.txQueueSize && !isPow2(net->driver.txQueueSize)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "tx_queue_size has to be a power of two");
        return -1;
    }
    /* libvirt's qemuDomainNetSupportsMTU: a tap the driver makes, or passt */
    if (net->mtu && (net->type == VIR_DOMAIN_NET_TYPE_VDPA ||
                     (net->type == VIR_DOMAIN_NET_TYPE_USER &&
                      net->backendType != VIR_DOMAIN_NET_BACKEND_PASST))) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "setting MTU on interface type %s is not supported yet",
                       netTypeName(net->type));
        return -1;
    }
    /* libvirt's qemuValidateNetSupportsCoalesce: a tap on a host bridge */
    if (net->hasCoalesce && net->type != VIR_DOMAIN_NET_TYPE_NETWORK &&
        net->type != VIR_DOMAIN_NET_TYPE_BRIDGE) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "coalesce settings on interface type %s are not supported",
                       netTypeName(net->type));
        return -1;
    }
    return 0;
}

int
qemuValidateNetForStart(const virDomainNetDef *net, const unsigned char *mac)
{
    /* libvirt's qemuDomainValidateActualNetDef: only taps (types network,
     * bridge, ethernet) have queues; of the others virtkit has 'user' */
    if (net->driver.queues > 0 && net->type == VIR_DOMAIN_NET_TYPE_USER) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "interface %02x:%02x:%02x:%02x:%02x:%02x - multiqueue is not "
                       "supported for network interfaces of type user",
                       mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
        return -1;
    }
    /* libvirt's qemuBuildHostNetProps: only ethernet runs a script */
    if (net->script && net->type != VIR_DOMAIN_NET_TYPE_ETHERNET) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "scripts are not supported on interfaces of type %s",
                       netTypeName(net->type));
        return -1;
    }
    /* (a filterref on type user is dropped by the parser, as libvirt) */
    if (net->backendTap && (net->type == VIR_DOMAIN_NET_TYPE_USER ||
                            net->type == VIR_DOMAIN_NET_TYPE_VDPA)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "interface %02x:%02x:%02x:%02x:%02x:%02x - custom tap device path "
                       "is not supported for network interfaces of type %s",
                       mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
                       net->type == VIR_DOMAIN_NET_TYPE_VDPA ? "vdpa" : "user");
        return -1;
    }
    return 0;
}
