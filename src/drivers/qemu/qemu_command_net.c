/* qemu_command_net.c: -netdev and -device of a domain's interfaces, as libvirt 9.0 builds them */

#define G_LOG_DOMAIN "virtkit.qemu.command"

#include <string.h>

#include "qemu_command_priv.h"
#include "qemu_validate.h"

void
qemuJSONString(GString *buf, const char *str)
{
    g_string_append_c(buf, '"');
    for (const unsigned char *p = (const unsigned char *)str; *p; p++) {
        if (*p == '"' || *p == '\\')
            g_string_append_printf(buf, "\\%c", *p);
        else if (*p < 0x20)
            g_string_append_printf(buf, "\\u%04x", *p);
        else
            g_string_append_c(buf, *p);
    }
    g_string_append_c(buf, '"');
}

/* A passt interface: QEMU 7.2's stream netdev on passt's socket, in the
 * JSON form libvirt 9.0 gives QEMU >= 7.2 (-netdev takes JSON since the
 * dgram type); the socket is the one the driver started passt on (an
 * argv built for display names it by the alias). */
static void
qemuBuildPasstNetdev(GPtrArray *a, const virDomainNetDef *net, const char *alias)
{
    g_autoptr(GString) buf =
        g_string_new("{\"type\":\"stream\",\"addr\":{\"type\":\"unix\",\"path\":");
    g_autofree char *path = net->passtSocket ? g_strdup(net->passtSocket)
                                             : g_strdup_printf("passt-%s.socket", alias);

    qemuJSONString(buf, path);
    g_string_append_printf(buf, "},\"server\":false,\"id\":\"host%s\"}", alias);
    g_ptr_array_add(a, g_string_free(g_steal_pointer(&buf), FALSE));
}

/* QEMU's own user networking, with the guest side's network of <ip> as
 * libvirt 9.0 gives it (net=A/P, ipv6-prefix=, ipv6-prefixlen=) */
static void
qemuBuildUserNetdev(GPtrArray *a, const virDomainNetDef *net, const char *alias)
{
    g_autoptr(GString) buf = g_string_new("user");

    for (size_t i = 0; i < net->nips; i++) {
        const virDomainNetIPAddr *ip = &net->ips[i];

        if (!ip->ipv6) {
            g_string_append_printf(buf, ",net=%s", ip->address);
            if (ip->prefix)
                g_string_append_printf(buf, "/%u", ip->prefix);
        } else {
            g_string_append_printf(buf, ",ipv6-prefix=%s", ip->address);
            if (ip->prefix)
                g_string_append_printf(buf, ",ipv6-prefixlen=%u", ip->prefix);
        }
    }
    g_string_append_printf(buf, ",id=host%s", alias);
    g_ptr_array_add(a, g_string_free(g_steal_pointer(&buf), FALSE));
}

/* QEMU's virtio-net property of each <driver><host> / <guest> offload */
static const char *const hostOffloadProps[VIR_DOMAIN_NET_HOST_LAST] = {
    "csum", "gso", "host_tso4", "host_tso6", "host_ecn", "host_ufo", "mrg_rxbuf",
};
static const char *const guestOffloadProps[VIR_DOMAIN_NET_GUEST_LAST] = {
    "guest_csum", "guest_tso4", "guest_tso6", "guest_ecn", "guest_ufo",
};

static void
netProp(qemuNetDevProp *props, size_t *n, const char *name, char type, unsigned int num,
        const char *str)
{
    g_assert(*n < QEMU_NET_DEV_PROPS_MAX);
    props[(*n)++] = (qemuNetDevProp){ name, type, num, str };
}

static void
netSwitchProp(qemuNetDevProp *props, size_t *n, const char *name, int v)
{
    if (v)
        netProp(props, n, name, 'b', v == VIR_DOMAIN_TRISTATE_ON, NULL);
}

size_t
qemuNetDeviceProps(const virDomainNetDef *net, qemuNetDevProp *props)
{
    const virDomainNetDriver *d = &net->driver;
    size_t n = 0;

    if (!virDomainNetIsVirtioModel(net))
        return 0;
    netSwitchProp(props, &n, "iommu_platform", net->virtio.iommu);
    netSwitchProp(props, &n, "ats", net->virtio.ats);
    netSwitchProp(props, &n, "packed", net->virtio.packed);
    netSwitchProp(props, &n, "page-per-vq", net->virtio.pagePerVq);
    if (d->txmode)
        netProp(props, &n, "tx", 's', 0, d->txmode == 1 ? "bh" : "timer");
    netSwitchProp(props, &n, "ioeventfd", d->ioeventfd);
    netSwitchProp(props, &n, "event_idx", d->eventIdx);
    for (int i = 0; i < VIR_DOMAIN_NET_HOST_LAST; i++)
        netSwitchProp(props, &n, hostOffloadProps[i], d->host[i]);
    for (int i = 0; i < VIR_DOMAIN_NET_GUEST_LAST; i++)
        netSwitchProp(props, &n, guestOffloadProps[i], d->guest[i]);
    if (d->queues > 1) {
        /* 2N+2 MSI-X vectors: a pair per queue pair, config and control */
        netProp(props, &n, "mq", 'b', 1, NULL);
        netProp(props, &n, "vectors", 'u', 2 * d->queues + 2, NULL);
    }
    if (d->rxQueueSize)
        netProp(props, &n, "rx_queue_size", 'u', d->rxQueueSize, NULL);
    if (d->txQueueSize)
        netProp(props, &n, "tx_queue_size", 'u', d->txQueueSize, NULL);
    netSwitchProp(props, &n, "rss", d->rss);
    netSwitchProp(props, &n, "hash", d->rssHashReport);
    if (net->mtu)
        netProp(props, &n, "host_mtu", 'u', net->mtu, NULL);
    return n;
}

void
qemuRomKeyval(GString *dev, const virDomainDeviceRom *rom)
{
    if (rom->enabled == VIR_DOMAIN_TRISTATE_OFF) {
        g_string_append(dev, ",romfile=");
        return;
    }
    if (rom->bar)
        g_string_append_printf(dev, ",rombar=%d", rom->bar == VIR_DOMAIN_TRISTATE_ON);
    if (rom->file) {
        g_autofree char *f = qemuEscapeComma(rom->file);

        g_string_append_printf(dev, ",romfile=%s", f);
    }
}

void
qemuRomProps(json_object *props, const virDomainDeviceRom *rom)
{
    if (rom->enabled == VIR_DOMAIN_TRISTATE_OFF) {
        json_object_object_add(props, "romfile", json_object_new_string(""));
        return;
    }
    if (rom->bar)
        json_object_object_add(props, "rombar",
                               json_object_new_int(rom->bar == VIR_DOMAIN_TRISTATE_ON));
    if (rom->file)
        json_object_object_add(props, "romfile", json_object_new_string(rom->file));
}

int
qemuBuildNets(GPtrArray *a, const virDomainDef *def)
{
    for (size_t i = 0; i < def->nnets; i++) {
        const virDomainNetDef *net = def->nets[i];
        qemuNetDevProp props[QEMU_NET_DEV_PROPS_MAX];
        size_t nprops = qemuNetDeviceProps(net, props);
        g_autoptr(GString) dev = g_string_new(qemuNetModel(net));
        g_autofree char *pci = NULL;
        g_autofree char *bootIndex = NULL;
        g_autofree char *alias = qemuNetAlias(net, i);
        unsigned char mac[6];

        if (net->macSet) {
            memcpy(mac, net->mac, sizeof(mac));
        } else {
            /* Not filled in by the driver: stable per domain and NIC. */
            mac[0] = 0x52;
            mac[1] = 0x54;
            mac[2] = 0x00;
            mac[3] = def->uuid[0];
            mac[4] = def->uuid[1];
            mac[5] = (unsigned char)(def->uuid[2] + i);
        }
        if (qemuValidateNetForStart(net, mac) < 0)
            return -1;

        add(a, "-netdev");
        if (net->ntapfds) {
            /* a tap the driver opened (qemu_interface.c), a descriptor per
             * queue ("fds=A:B" for more than one); no vhost under TCG */
            g_autoptr(GString) tap = g_string_new("tap,");

            g_string_append(tap, net->ntapfds > 1 ? "fds=" : "fd=");
            for (size_t q = 0; q < net->ntapfds; q++)
                g_string_append_printf(tap, "%s%d", q ? ":" : "", net->tapfds[q]);
            g_string_append_printf(tap, ",id=host%s", alias);
            g_ptr_array_add(a, g_string_free(g_steal_pointer(&tap), FALSE));
        } else if (net->type == VIR_DOMAIN_NET_TYPE_VDPA) {
            /* libvirt 9.0 passes the device open (vhostdev=/dev/fdset/N,
             * queues=N); virtkit refuses to start one (qemu_interface.c):
             * an argv built for display names the device */
            g_autofree char *dev = qemuEscapeComma(net->sourceDev);

            if (net->driver.queues > 1)
                addf(a, "vhost-vdpa,vhostdev=%s,queues=%u,id=host%s", dev,
                     net->driver.queues, alias);
            else
                addf(a, "vhost-vdpa,vhostdev=%s,id=host%s", dev, alias);
        } else if (net->type != VIR_DOMAIN_NET_TYPE_USER) {
            /* not prepared (an argv built for display): QEMU's own tap */
            addf(a, "tap,%s%s%sscript=no,downscript=no,id=host%s",
                 net->ifname ? "ifname=" : "", net->ifname ? net->ifname : "",
                 net->ifname ? "," : "", alias);
        } else if (net->backendType == VIR_DOMAIN_NET_BACKEND_PASST) {
            qemuBuildPasstNetdev(a, net, alias);
        } else {
            qemuBuildUserNetdev(a, net, alias);
        }
        /* libvirt's order: the <driver>'s properties, netdev, id, mac,
         * bootindex, then the address */
        for (size_t p = 0; p < nprops; p++) {
            if (props[p].type == 'b')
                g_string_append_printf(dev, ",%s=%s", props[p].name,
                                       props[p].num ? "on" : "off");
            else if (props[p].type == 'u')
                g_string_append_printf(dev, ",%s=%u", props[p].name, props[p].num);
            else
                g_string_append_printf(dev, ",%s=%s", props[p].name, props[p].str);
        }
        pci = qemuPCIAddrProps(def, &net->addr);
        bootIndex = net->effectiveBootIndex
                        ? g_strdup_printf("%u", net->effectiveBootIndex)
                        : g_strdup("");
        g_string_append_printf(
            dev, ",netdev=host%s,id=%s,mac=%02x:%02x:%02x:%02x:%02x:%02x%s%s%s", alias,
            alias, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
            net->effectiveBootIndex ? ",bootindex=" : "", bootIndex, pci);
        qemuRomKeyval(dev, &net->rom);
        add(a, "-device");
        g_ptr_array_add(a, g_string_free(g_steal_pointer(&dev), FALSE));
    }
    return 0;
}
