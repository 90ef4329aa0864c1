/* qemu_hotplug_net.c: interfaces plugged into and out of a running guest, their link state */

/*
 * Threads: called from the entry points of qemu_hotplug.c with the domain
 * locked and its MODIFY job held; QMP is waited for with the object
 * unlocked (qemuHotplugMonitor), the job keeping the monitor valid. The
 * device-removal wait is qemuHotplugDeviceDel's.
 */

#define G_LOG_DOMAIN "virtkit.qemu.hotplugnet"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "domain_event.h"
#include "qemu_command.h"
#include "qemu_domain_address.h"
#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_interface.h"
#include "virnetdev.h"
#include "qemu_process.h"
#include "qemu_monitor.h"
#include "qemu_passt.h"
#include "qemu_validate.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* libvirt's qemuAssignDeviceNetAlias: "netN", N one above the highest
 * "netN" of the live definition. */
static char *
qemuHotplugNetNextAlias(const virDomainDef *def)
{
    int next = 0;

    for (size_t i = 0; i < def->nnets; i++) {
        g_autofree char *alias = qemuNetAlias(def->nets[i], i);
        int n;

        if (sscanf(alias, "net%d", &n) == 1 && n >= next)
            next = n + 1;
    }
    return g_strdup_printf("net%d", next);
}

int
qemuHotplugCheckNet(const virDomainNetDef *net)
{
    if (!qemuNetModel(net)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "interface model '%s' is not supported by virtkit",
                       net->model ? net->model : "");
        return -1;
    }
    if (qemuValidateNet(net) < 0 || qemuBandwidthCheck(net) < 0)
        return -1;
    return qemuProcessCheckNetFilter(net);
}

/* QEMU's user networking's guest-side network of <ip> (as at start) */
static void
qemuHotplugUserNetProps(json_object *netdev, const virDomainNetDef *net)
{
    for (size_t i = 0; i < net->nips; i++) {
        const virDomainNetIPAddr *ip = &net->ips[i];

        if (!ip->ipv6) {
            g_autofree char *v = ip->prefix
                                     ? g_strdup_printf("%s/%u", ip->address, ip->prefix)
                                     : g_strdup(ip->address);

            json_object_object_add(netdev, "net", json_object_new_string(v));
        } else {
            json_object_object_add(netdev, "ipv6-prefix",
                                   json_object_new_string(ip->address));
            if (ip->prefix)
                json_object_object_add(netdev, "ipv6-prefixlen",
                                       json_object_new_int((int)ip->prefix));
        }
    }
}

void
qemuHotplugNetGenerateMAC(virDomainNetDef *net)
{
    guint32 r = g_random_int();

    if (net->macSet)
        return;
    /* libvirt's virDomainNetGenerateMAC: QEMU's OUI, three random bytes */
    net->mac[0] = 0x52;
    net->mac[1] = 0x54;
    net->mac[2] = 0x00;
    net->mac[3] = (unsigned char)(r >> 16);
    net->mac[4] = (unsigned char)(r >> 8);
    net->mac[5] = (unsigned char)r;
    net->macSet = true;
}

/* set_link for @alias. 0 or -1 with an error. */
static int
qemuHotplugSetLink(virDomainObj *obj, const char *alias, bool up)
{
    g_autoptr(json_object) args = json_object_new_object();

    json_object_object_add(args, "name", json_object_new_string(alias));
    json_object_object_add(args, "up", json_object_new_boolean(up));
    return qemuHotplugMonitor(obj, "set_link", args, NULL);
}

int
qemuHotplugSetLinkStates(virDomainObj *obj)
{
    for (size_t i = 0; i < obj->def->nnets; i++) {
        virDomainNetDef *net = obj->def->nets[i];
        g_autofree char *alias = NULL;

        if (net->linkState != 2)
            continue;
        alias = qemuNetAlias(net, i);
        if (qemuHotplugSetLink(obj, alias, false) < 0)
            return -1;
    }
    return 0;
}

static void
qemuHotplugNetdevDel(virDomainObj *obj, const char *alias)
{
    g_autofree char *id = g_strdup_printf("host%s", alias);

    qemuHotplugMonitorQuiet(obj, "netdev_del", id);
}

int
qemuHotplugAttachNetLive(qemuDriver *driver, virDomainObj *obj, virDomainNetDef **netp)
{
    virDomainNetDef *net = *netp;
    g_autoptr(qemuPCIAddressSet) set = NULL;
    g_autoptr(json_object) netdev = NULL;
    g_autoptr(json_object) dev = NULL;
    g_autofree char *alias = NULL;
    g_autofree char *hostId = NULL;
    g_autofree char *fdname = NULL;
    g_autofree char *bus = NULL;
    g_autofree char *slot = NULL;
    g_autofree char *mac = NULL;
    const char *model = qemuNetModel(net);
    virDomainDeviceAddress addr = { 0 };
    bool netdevAdded = false;

    if (qemuHotplugCheckNet(net) < 0)
        return -1;
    qemuHotplugNetGenerateMAC(net);
    if (qemuValidateNetForStart(net, net->mac) < 0)
        return -1;

    /* a slot: the one the XML names, else the first free one (q35: an
     * empty pcie-root-port; pc: a slot of pci.0) */
    if (!(set = qemuPCIAddressSetNew(obj->def, obj->def->os.machine)))
        return -1;
    if (net->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI &&
        !virDomainDeviceAddressIsEmptyPCI(&net->addr)) {
        if (qemuPCIAddressReserveLive(
                set, &net->addr, qemuDomainPCIDeviceConnectFlags(obj->def, model)) < 0)
            return -1;
        addr = net->addr;
    } else if (net->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE &&
               net->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "interfaces hotplugged into a running guest need a PCI address");
        return -1;
    } else if (qemuPCIAddressReserveNext(
                   set, qemuDomainPCIDeviceConnectFlags(obj->def, model), &addr) < 0) {
        return -1;
    }

    alias = qemuHotplugNetNextAlias(obj->def);
    hostId = g_strdup_printf("host%s", alias);
    /* the tap (and network port) as at start */
    if (qemuInterfacePrepareNet(obj->def, net, obj->def->nnets) < 0)
        return -1;

    netdev = json_object_new_object();
    json_object_object_add(netdev, "id", json_object_new_string(hostId));
    if (net->ntapfds) {
        /* each queue's descriptor under a name of its own ("fds" joins
         * them for more than one), as at start */
        g_autoptr(GString) names = g_string_new(NULL);

        for (size_t q = 0; q < net->ntapfds; q++) {
            g_free(fdname);
            fdname = net->ntapfds > 1 ? g_strdup_printf("fd-%s-%zu", alias, q)
                                      : g_strdup_printf("fd-%s", alias);
            virDomainObjUnlock(obj);
            {
                qemuMonitor *mon = qemuDomainPriv(obj)->mon;
                int rc = mon ? qemuMonitorSendFileHandle(mon, fdname, net->tapfds[q],
                                                         QEMU_MONITOR_TIMEOUT_MS)
                             : -1;

                if (!mon)
                    virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                                   "QEMU monitor is not connected");
                virDomainObjLock(obj);
                if (rc < 0)
                    goto rollback;
            }
            g_string_append_printf(names, "%s%s", q ? ":" : "", fdname);
        }
        /* QEMU holds its own copies now */
        for (size_t q = 0; q < net->ntapfds; q++)
            close(net->tapfds[q]);
        g_clear_pointer(&net->tapfds, g_free);
        json_object_object_add(netdev, "type", json_object_new_string("tap"));
        json_object_object_add(netdev, net->ntapfds > 1 ? "fds" : "fd",
                               json_object_new_string(names->str));
        net->ntapfds = 0;
    } else if (net->backendType == VIR_DOMAIN_NET_BACKEND_PASST) {
        json_object *addr = json_object_new_object();

        /* its passt first, on the socket QEMU then connects to */
        g_free(net->alias);
        net->alias = g_strdup(alias);
        if (qemuPasstStart(driver, obj, net) < 0) {
            json_object_put(addr);
            goto rollback;
        }
        json_object_object_add(addr, "type", json_object_new_string("unix"));
        json_object_object_add(addr, "path", json_object_new_string(net->passtSocket));
        json_object_object_add(netdev, "type", json_object_new_string("stream"));
        json_object_object_add(netdev, "addr", addr);
        json_object_object_add(netdev, "server", json_object_new_boolean(false));
    } else {
        json_object_object_add(netdev, "type", json_object_new_string("user"));
        qemuHotplugUserNetProps(netdev, net);
    }
    if (qemuHotplugMonitor(obj, "netdev_add", netdev, NULL) < 0)
        goto rollback;
    netdevAdded = true;

    mac = g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", net->mac[0], net->mac[1],
                          net->mac[2], net->mac[3], net->mac[4], net->mac[5]);
    bus = qemuDomainPCIBusName(obj->def, addr.bus);
    slot = g_strdup_printf("0x%x", addr.slot);
    dev = json_object_new_object();
    json_object_object_add(dev, "driver", json_object_new_string(model));
    {
        /* the <driver>'s properties, as on the command line */
        qemuNetDevProp props[QEMU_NET_DEV_PROPS_MAX];
        size_t nprops = qemuNetDeviceProps(net, props);

        for (size_t p = 0; p < nprops; p++)
            json_object_object_add(
                dev, props[p].name,
                props[p].type == 'b'   ? json_object_new_boolean(props[p].num)
                : props[p].type == 'u' ? json_object_new_int64(props[p].num)
                                       : json_object_new_string(props[p].str));
    }
    json_object_object_add(dev, "netdev", json_object_new_string(hostId));
    json_object_object_add(dev, "id", json_object_new_string(alias));
    json_object_object_add(dev, "mac", json_object_new_string(mac));
    if (net->effectiveBootIndex)
        json_object_object_add(dev, "bootindex",
                               json_object_new_int64(net->effectiveBootIndex));
    json_object_object_add(dev, "bus", json_object_new_string(bus));
    json_object_object_add(dev, "addr", json_object_new_string(slot));
    qemuRomProps(dev, &net->rom);
    if (qemuHotplugMonitor(obj, "device_add", dev, NULL) < 0)
        goto rollback;

    net->addr = addr;
    g_free(net->alias);
    net->alias = g_strdup(alias);
    obj->def->nets = g_renew(virDomainNetDef *, obj->def->nets, obj->def->nnets + 1);
    obj->def->nets[obj->def->nnets++] = net;
    *netp = NULL;
    /* as libvirt: a link given as down is set so once the device is there */
    if (net->linkState == 2 && qemuHotplugSetLink(obj, alias, false) < 0) {
        virResetLastError();
        VIR_NOTICE("cannot set the link of interface '%s' of '%s' down", alias,
                   obj->def->name);
    }
    qemuDomainSaveStatus(driver, obj);
    virObjectEventStateQueue(driver->events,
                             virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
                                                     VIR_DOMAIN_EVENT_OBJ(obj), alias));
    return 0;

rollback:
    if (netdevAdded && virDomainObjIsActive(obj))
        qemuHotplugNetdevDel(obj, alias);
    {
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        qemuInterfaceCleanupNet(net);
        virErrorRestore(&saved);
    }
    return -1;
}

ssize_t
qemuHotplugFindNet(const virDomainDef *def, const virDomainNetDef *match)
{
    ssize_t found = -1;
    char mac[18];

    for (size_t i = 0; i < def->nnets; i++) {
        if (!match->macSet ||
            memcmp(def->nets[i]->mac, match->mac, sizeof(match->mac)) == 0) {
            if (found >= 0) {
                g_snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
                           match->mac[0], match->mac[1], match->mac[2], match->mac[3],
                           match->mac[4], match->mac[5]);
                if (match->macSet)
                    virReportError(VIR_ERR_OPERATION_FAILED,
                                   "multiple devices matching MAC address %s found", mac);
                else
                    virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                                   "multiple matching devices found");
                return -2;
            }
            found = (ssize_t)i;
        }
    }
    if (found < 0) {
        /* libvirt 9.0's virDomainNetFindIdx text (no address, no alias
         * asked) */
        g_snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", match->mac[0],
                   match->mac[1], match->mac[2], match->mac[3], match->mac[4],
                   match->mac[5]);
        virReportError(VIR_ERR_DEVICE_MISSING,
                       "no device found at address '(<null>)' matching MAC address '%s' "
                       "and alias '(<null>)'",
                       match->macSet ? mac : "(<null>)");
    }
    return found;
}

ssize_t
qemuHotplugFindNetAlias(const virDomainDef *def, const char *alias)
{
    for (size_t i = 0; i < def->nnets; i++) {
        g_autofree char *a = qemuNetAlias(def->nets[i], i);

        if (strcmp(a, alias) == 0)
            return (ssize_t)i;
    }
    return -1;
}

int
qemuHotplugDetachNetLive(qemuDriver *driver, virDomainObj *obj, size_t idx)
{
    virDomainNetDef *net = obj->def->nets[idx];
    g_autofree char *alias = qemuNetAlias(net, idx);
    int rc;

    if ((rc = qemuHotplugDeviceDel(obj, alias)) < 0)
        return -1;
    if (rc == 1) {
        /* the definition may have changed while QEMU answered */
        ssize_t now = qemuHotplugFindNetAlias(obj->def, alias);

        if (now >= 0)
            qemuHotplugRemoveNetLive(driver, obj, (size_t)now);
    }
    return 0;
}

void
qemuHotplugRemoveNetLive(qemuDriver *driver, virDomainObj *obj, size_t idx)
{
    virDomainNetDef *net = obj->def->nets[idx];
    g_autofree char *alias = qemuNetAlias(net, idx);

    if (virDomainObjIsActive(obj))
        qemuHotplugNetdevDel(obj, alias);
    /* the device is gone from QEMU: it leaves the definition whatever
     * follows */
    for (size_t i = 0; i < obj->def->nnets; i++) {
        if (obj->def->nets[i] == net) {
            memmove(obj->def->nets + i, obj->def->nets + i + 1,
                    (obj->def->nnets - i - 1) * sizeof(*obj->def->nets));
            obj->def->nnets--;
            break;
        }
    }
    qemuInterfaceCleanupNet(net);
    virDomainNetDefFree(net);
    /* the device is gone: told before the status reaches the disk, as
     * libvirt (qemuDomainRemove*Device queue it, then save) */
    virObjectEventStateQueue(driver->events,
                             virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
                                                     VIR_DOMAIN_EVENT_OBJ(obj), alias));
    if (virDomainObjIsActive(obj))
        qemuDomainSaveStatus(driver, obj);
}

static const char *
qemuHotplugNetTypeName(int type)
{
    static const char *const names[] = { "user", "network", "bridge", "ethernet" };

    return type >= 0 && type < (int)G_N_ELEMENTS(names) ? names[type] : "";
}

int
qemuHotplugUpdateNetLive(qemuDriver *driver, virDomainObj *obj, size_t idx,
                         virDomainNetDef *newNet)
{
    virDomainNetDef *net = obj->def->nets[idx];
    g_autofree char *alias = qemuNetAlias(net, idx);
    bool newUp = newNet->linkState != 2;
    bool bridgeChange = false;

    /* libvirt's qemuDomainChangeNet: what a running interface cannot
     * change, in its order and words */
    if (g_strcmp0(net->model, newNet->model) != 0) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                       "cannot modify network device model from %s to %s",
                       net->model ? net->model : "(default)",
                       newNet->model ? newNet->model : "(default)");
        return -1;
    }
    if (memcmp(&net->virtio, &newNet->virtio, sizeof(net->virtio)) != 0) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot modify virtio network device driver options");
        return -1;
    }
    if (newNet->ifname && g_strcmp0(net->ifname, newNet->ifname) != 0) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot modify network device tap name");
        return -1;
    }
    if (newNet->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI &&
        !virDomainDeviceAddressIsEmptyPCI(&newNet->addr) &&
        (newNet->addr.domain != net->addr.domain || newNet->addr.bus != net->addr.bus ||
         newNet->addr.slot != net->addr.slot ||
         newNet->addr.function != net->addr.function)) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot modify network device guest PCI address");
        return -1;
    }
    if (newNet->alias && g_strcmp0(newNet->alias, alias) != 0) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot modify network device alias");
        return -1;
    }
    /* <rom>: what the new XML leaves out stays as it is */
    if (newNet->rom.bar && newNet->rom.bar != net->rom.bar) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot modify network device rom bar setting");
        return -1;
    }
    if (newNet->rom.file && g_strcmp0(newNet->rom.file, net->rom.file) != 0) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot modify network rom file");
        return -1;
    }
    if (newNet->boot.order && newNet->boot.order != net->boot.order) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot modify network device boot index setting");
        return -1;
    }
    if (newNet->rom.enabled && newNet->rom.enabled != net->rom.enabled) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot modify network device rom enabled setting");
        return -1;
    }
    if (g_strcmp0(net->script, newNet->script) != 0) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot modify network device script attribute");
        return -1;
    }
    if (net->mtu != newNet->mtu) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s", "cannot modify MTU");
        return -1;
    }
    if (net->type == newNet->type) {
        if (net->type == VIR_DOMAIN_NET_TYPE_NETWORK)
            bridgeChange = g_strcmp0(net->network, newNet->network) != 0;
        else if (net->type == VIR_DOMAIN_NET_TYPE_BRIDGE)
            bridgeChange = g_strcmp0(net->bridge, newNet->bridge) != 0;
    } else if ((net->type == VIR_DOMAIN_NET_TYPE_NETWORK &&
                newNet->type == VIR_DOMAIN_NET_TYPE_BRIDGE) ||
               (net->type == VIR_DOMAIN_NET_TYPE_BRIDGE &&
                newNet->type == VIR_DOMAIN_NET_TYPE_NETWORK)) {
        bridgeChange = true;
    } else {
        /* anything else needs the interface reconnected: libvirt refuses */
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                       "unable to change config on '%s' network type",
                       qemuHotplugNetTypeName(newNet->type));
        return -1;
    }

    if (bridgeChange && qemuInterfaceChangeBridge(obj->def, net, newNet) < 0)
        return -1;
    /* <port isolated>: a port that moved starts out not isolated */
    if ((bridgeChange && newNet->isolatedPort == 1) ||
        (!bridgeChange && net->isolatedPort != newNet->isolatedPort && net->ifname &&
         (net->type == VIR_DOMAIN_NET_TYPE_NETWORK ||
          net->type == VIR_DOMAIN_NET_TYPE_BRIDGE))) {
        if (virNetDevBridgePortSetIsolated(net->ifname, newNet->isolatedPort == 1) < 0) {
            if (bridgeChange)
                qemuDomainSaveStatus(driver, obj);
            return -1;
        }
    }
    net->isolatedPort = newNet->isolatedPort;
    /* <coalesce>: set again on the tap (none: every setting 0), the live
     * XML showing what it took */
    if ((net->hasCoalesce != newNet->hasCoalesce ||
         net->coalesceRxFrames != newNet->coalesceRxFrames) &&
        net->ifname) {
        unsigned int frames = newNet->coalesceRxFrames;

        if (virNetDevSetCoalesce(net->ifname, newNet->hasCoalesce ? &frames : NULL) < 0) {
            qemuDomainSaveStatus(driver, obj);
            return -1;
        }
        net->hasCoalesce = newNet->hasCoalesce;
        net->coalesceRxFrames = newNet->hasCoalesce ? frames : 0;
    }
    /* libvirt's qemuDomainChangeNet: new limits go on the tap at once */
    if (qemuBandwidthChange(net, newNet->bandwidth) < 0) {
        if (bridgeChange)
            qemuDomainSaveStatus(driver, obj);
        return -1;
    }
    /* as libvirt: any change of the attribute (absent, up, down) is
     * a set_link, and the new value is what the XML shows */
    if (net->linkState != newNet->linkState) {
        if (qemuHotplugSetLink(obj, alias, newUp) < 0) {
            if (bridgeChange)
                qemuDomainSaveStatus(driver, obj);
            return -1;
        }
        net->linkState = newNet->linkState;
    }
    qemuDomainSaveStatus(driver, obj);
    return 0;
}
