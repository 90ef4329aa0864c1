/* qemu_driver_iftune.c: an interface's <bandwidth> on a running guest: tc on its tap at start, hotplug and change, and virDomainSet/GetInterfaceParameters */

/*
 * Threads: the entry points run on API threads, take the domain's MODIFY
 * job (Set) or only its lock (Get); tc runs with the object locked (a few
 * short programs, as libvirt runs them under its job). The start and
 * hotplug paths call qemuBandwidthCheck / qemuBandwidthApply with the
 * object locked and their job held.
 */

#define G_LOG_DOMAIN "virtkit.qemu.bandwidth"

#include <string.h>

#include "netdev_bandwidth_conf.h"
#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_interface.h"
#include "virerror.h"
#include "virnetdevbandwidth.h"
#include "virtypedparamlist.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

static const int bandwidthTypes[VIR_DOMAIN_BANDWIDTH_NPARAMS] = {
    VIR_TYPED_PARAM_UINT, VIR_TYPED_PARAM_UINT, VIR_TYPED_PARAM_UINT,
    VIR_TYPED_PARAM_UINT, VIR_TYPED_PARAM_UINT, VIR_TYPED_PARAM_UINT,
    VIR_TYPED_PARAM_UINT,
};

/* Whether @bw can be enforced on @net: a tap (types network, bridge,
 * ethernet; libvirt's virNetDevSupportsBandwidth) and no floor (it needs
 * a network with inbound QoS, which virtkit's networks do not carry). */
static int
qemuBandwidthAllowed(const virDomainNetDef *net, const virNetDevBandwidth *bw)
{
    char mac[18];

    if (!bw)
        return 0;
    if (net->type == VIR_DOMAIN_NET_TYPE_USER || net->type == VIR_DOMAIN_NET_TYPE_VDPA) {
        virReportError(
            VIR_ERR_CONFIG_UNSUPPORTED,
            "setting bandwidth on interfaces of type '%s' is not implemented yet",
            net->type == VIR_DOMAIN_NET_TYPE_VDPA ? "vdpa" : "user");
        return -1;
    }
    if (!bw->in || !bw->in->floor)
        return 0;
    if (net->type != VIR_DOMAIN_NET_TYPE_NETWORK) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_CONFIG_UNSUPPORTED, __func__, "%s",
                           "floor attribute is not supported for this config");
        return -1;
    }
    g_snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", net->mac[0],
               net->mac[1], net->mac[2], net->mac[3], net->mac[4], net->mac[5]);
    virReportErrorFull(
        VIR_FROM_NETWORK, VIR_ERR_OPERATION_UNSUPPORTED, __func__,
        "Invalid use of 'floor' on interface with MAC address %s - network "
        "'%s' has no inbound QoS set",
        mac, net->network ? net->network : "");
    return -1;
}

int
qemuBandwidthCheck(const virDomainNetDef *net)
{
    return qemuBandwidthAllowed(net, net->bandwidth);
}

int
qemuBandwidthApply(const virDomainNetDef *net)
{
    if (!net->bandwidth || net->type == VIR_DOMAIN_NET_TYPE_USER)
        return 0;
    /* the guest is on the other side of its tap */
    if (virNetDevBandwidthSet(net->ifname, net->bandwidth, true) < 0) {
        virNetDevBandwidthClear(net->ifname);
        return -1;
    }
    return 0;
}

int
qemuBandwidthChange(virDomainNetDef *net, const virNetDevBandwidth *bw)
{
    if (virNetDevBandwidthEqual(net->bandwidth, bw))
        return 0;
    if (qemuBandwidthAllowed(net, bw) < 0)
        return -1;
    if (net->type != VIR_DOMAIN_NET_TYPE_USER) {
        if (bw) {
            if (virNetDevBandwidthSet(net->ifname, bw, true) < 0) {
                /* the old limits back, as far as tc lets us */
                virErrorPtr saved = NULL;

                virErrorPreserveLast(&saved);
                virNetDevBandwidthClear(net->ifname);
                if (net->bandwidth &&
                    virNetDevBandwidthSet(net->ifname, net->bandwidth, true) < 0)
                    virResetLastError();
                virErrorRestore(&saved);
                return -1;
            }
        } else {
            virNetDevBandwidthClear(net->ifname);
        }
    }
    virNetDevBandwidthFree(net->bandwidth);
    net->bandwidth = virNetDevBandwidthCopy(bw);
    return 0;
}

int
qemuDomainSetInterfaceParameters(virDomainPtr dom, const char *device,
                                 virTypedParameterPtr params, int nparams,
                                 unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    virDomainDef *live;
    virDomainDef *persistent;
    virDomainNetDef *net = NULL;
    virDomainNetDef *pnet = NULL;
    g_autoptr(virNetDevBandwidth) liveBw = NULL;
    g_autoptr(virNetDevBandwidth) configBw = NULL;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (virTypedParamsCheck(params, nparams, virDomainBandwidthParamNames,
                            bandwidthTypes) < 0)
        return -1;
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjGetDefs(obj, flags, &live, &persistent) < 0)
        goto endjob;
    /* both looked up and checked before anything changes */
    if (live) {
        if (!(net = virDomainNetFindByDevice(live, device)))
            goto endjob;
        liveBw = virDomainNetBandwidthUpdate(net->bandwidth, params, nparams);
        if (!virNetDevBandwidthEqual(net->bandwidth, liveBw) &&
            qemuBandwidthAllowed(net, liveBw) < 0)
            goto endjob;
    }
    if (persistent) {
        if (!(pnet = virDomainNetFindByDevice(persistent, device)))
            goto endjob;
        configBw = virDomainNetBandwidthUpdate(pnet->bandwidth, params, nparams);
    }
    if (net) {
        if (qemuBandwidthChange(net, liveBw) < 0)
            goto endjob;
        qemuDomainSaveStatus(driver, obj);
    }
    if (pnet) {
        g_autoptr(virDomainDef) copy = virDomainDefCopy(persistent);
        virDomainNetDef *cnet = virDomainNetFindByDevice(copy, device);

        virNetDevBandwidthFree(cnet->bandwidth);
        cnet->bandwidth = virNetDevBandwidthCopy(configBw);
        if (qemuDomainSaveConfig(driver, copy, qemuDomainPriv(obj)->graceOverrideSec) < 0)
            goto endjob;
        virNetDevBandwidthFree(pnet->bandwidth);
        pnet->bandwidth = g_steal_pointer(&configBw);
    }
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainGetInterfaceParameters(virDomainPtr dom, const char *device,
                                 virTypedParameterPtr params, int *nparams,
                                 unsigned int flags)
{
    virDomainObj *obj;
    virDomainDef *live;
    virDomainDef *persistent;
    const virDomainNetDef *net;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                      VIR_TYPED_PARAM_STRING_OKAY,
                  -1);
    flags &= ~VIR_TYPED_PARAM_STRING_OKAY;
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        virReportErrorFull(
            VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, __func__,
            "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' "
            "are mutually exclusive");
        return -1;
    }
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (qemuDomainObjGetDefs(obj, flags, &live, &persistent) < 0)
        goto cleanup;
    if (*nparams == 0) {
        *nparams = VIR_DOMAIN_BANDWIDTH_NPARAMS;
        ret = 0;
        goto cleanup;
    }
    if (!(net = virDomainNetFindByDevice(live ? live : persistent, device)))
        goto cleanup;
    *nparams = virDomainNetBandwidthToParams(net->bandwidth, params, *nparams);
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}
