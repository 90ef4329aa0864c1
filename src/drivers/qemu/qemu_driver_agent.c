/* qemu_driver_agent.c: QEMU driver entry points answered by the guest agent (hostname, guest clock) */

/*
 * Threads: API threads only. Each call holds a job on the domain for the
 * agent exchange (qemu_agent.c drops the object lock while waiting), so
 * that two agent calls on one guest never share its channel.
 */

#define G_LOG_DOMAIN "virtkit.qemu.agent"

#include <limits.h>
#include <string.h>

#include "datatypes.h"
#include "driver.h"
#include "network_conf.h"
#include "qemu_agent.h"
#include "qemu_conf.h"
#include "qemu_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

#define NS_PER_S 1000000000LL

/* Runs @execute on @dom's agent under a job of @job: the obj is released. */
static int
qemuDriverAgentRun(virDomainPtr dom, virDomainJob job, const char *execute,
                   json_object *args, json_object **reply)
{
    virDomainObj *obj;
    int ret = -1;

    if (!(obj = qemuDomainObjFromDomain(dom))) {
        json_object_put(args);
        return -1;
    }
    if (virDomainObjBeginJob(obj, job, QEMU_JOB_WAIT_MS) < 0) {
        json_object_put(args);
        goto cleanup;
    }
    if (qemuDomainObjCheckActive(obj) < 0)
        json_object_put(args);
    else
        ret = qemuAgentCommand(obj, execute, args, QEMU_AGENT_TIMEOUT_BLOCK, reply);
    virDomainObjEndJob(obj, job);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* As libvirt's qemuDomainGetHostnameLease: the host name of the first
 * DHCP lease (of the guest's type='network' interfaces' networks, for
 * their MACs) that carries one; NO_HOSTNAME when none does. */
static char *
qemuDomainGetHostnameLease(virDomainPtr dom)
{
    const virNetworkDriver *nd = virGetSharedNetworkDriver();
    g_autofree char *name = NULL;
    g_autoptr(GPtrArray) nets = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) macs = g_ptr_array_new_with_free_func(g_free);
    virConnectPtr conn = NULL;
    virDomainObj *obj;
    char *ret = NULL;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return NULL;
    if (qemuDomainObjCheckActive(obj) < 0) {
        virDomainObjEndAPI(&obj);
        return NULL;
    }
    name = g_strdup(obj->def->name);
    for (size_t i = 0; i < obj->def->nnets; i++) {
        const virDomainNetDef *net = obj->def->nets[i];
        char mac[18];

        if (net->type != VIR_DOMAIN_NET_TYPE_NETWORK)
            continue;
        virNetworkFormatMAC(net->mac, mac);
        g_ptr_array_add(nets, g_strdup(net->network));
        g_ptr_array_add(macs, g_strdup(mac));
    }
    virDomainObjEndAPI(&obj);

    for (guint i = 0; i < nets->len && !ret; i++) {
        virNetworkPtr net;
        virNetworkDHCPLeasePtr *leases = NULL;
        int n;

        if (!nd || !nd->networkLookupByName || !nd->networkGetDHCPLeases)
            break;
        if (!conn) {
            conn = virGetConnect();
            conn->networkDriver = nd;
        }
        if (!(net = nd->networkLookupByName(conn, nets->pdata[i]))) {
            virResetLastError(); /* as libvirt: a network gone is skipped */
            continue;
        }
        n = nd->networkGetDHCPLeases(net, macs->pdata[i], &leases, 0);
        virObjectUnrefNetwork(net);
        for (int j = 0; j < n; j++) {
            if (!ret && leases[j]->hostname)
                ret = g_strdup(leases[j]->hostname);
            g_free(leases[j]->iface);
            g_free(leases[j]->mac);
            g_free(leases[j]->iaid);
            g_free(leases[j]->ipaddr);
            g_free(leases[j]->hostname);
            g_free(leases[j]->clientid);
            g_free(leases[j]);
        }
        g_free(leases);
        if (n < 0)
            virResetLastError();
    }
    if (conn)
        virObjectUnrefConnect(conn);
    if (!ret)
        virReportError(VIR_ERR_NO_HOSTNAME, "no hostname found for domain %s", name);
    return ret;
}

char *
qemuDomainGetHostname(virDomainPtr dom, unsigned int flags)
{
    json_object *reply = NULL;
    json_object *name = NULL;
    char *ret = NULL;

    virCheckFlags(VIR_DOMAIN_GET_HOSTNAME_AGENT | VIR_DOMAIN_GET_HOSTNAME_LEASE, NULL);
    if ((flags & VIR_DOMAIN_GET_HOSTNAME_AGENT) &&
        (flags & VIR_DOMAIN_GET_HOSTNAME_LEASE)) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "Flags 'VIR_DOMAIN_GET_HOSTNAME_LEASE' and "
                       "'VIR_DOMAIN_GET_HOSTNAME_AGENT' are mutually exclusive");
        return NULL;
    }
    if (flags & VIR_DOMAIN_GET_HOSTNAME_LEASE)
        return qemuDomainGetHostnameLease(dom);
    if (qemuDriverAgentRun(dom, VIR_JOB_QUERY, "guest-get-host-name", NULL, &reply) < 0)
        return NULL;
    if (json_object_object_get_ex(reply, "host-name", &name) &&
        json_object_is_type(name, json_type_string))
        ret = g_strdup(json_object_get_string(name));
    else
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "malformed return value"); /* libvirt's text */
    json_object_put(reply);
    return ret;
}

int
qemuDomainGetTime(virDomainPtr dom, long long *seconds, unsigned int *nseconds,
                  unsigned int flags)
{
    json_object *reply = NULL;
    long long ns;

    virCheckFlags(0, -1);
    if (qemuDriverAgentRun(dom, VIR_JOB_QUERY, "guest-get-time", NULL, &reply) < 0)
        return -1;
    if (!json_object_is_type(reply, json_type_int)) {
        json_object_put(reply);
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "malformed return value"); /* libvirt's text */
        return -1;
    }
    ns = json_object_get_int64(reply);
    json_object_put(reply);
    *seconds = ns / NS_PER_S;
    *nseconds = (unsigned int)(ns % NS_PER_S);
    return 0;
}

int
qemuDomainSetTime(virDomainPtr dom, long long seconds, unsigned int nseconds,
                  unsigned int flags)
{
    json_object *args = NULL;

    virCheckFlags(VIR_DOMAIN_TIME_SYNC, -1);
    if (!(flags & VIR_DOMAIN_TIME_SYNC)) {
        /* as libvirt's qemuAgentSetTime */
        if (seconds > LLONG_MAX / NS_PER_S || seconds < LLONG_MIN / NS_PER_S) {
            virReportError(VIR_ERR_INVALID_ARG, "Time '%lld' is too big for guest agent",
                           seconds);
            return -1;
        }
        args = json_object_new_object();
        json_object_object_add(args, "time",
                               json_object_new_int64(seconds * NS_PER_S + nseconds));
    }
    /* without a time, the agent sets the guest's clock from its RTC */
    return qemuDriverAgentRun(dom, VIR_JOB_MODIFY, "guest-set-time", args, NULL);
}

int
qemuDomainFSFreeze(virDomainPtr dom, const char **mountpoints, unsigned int nmountpoints,
                   unsigned int flags)
{
    json_object *args = NULL;
    json_object *reply = NULL;
    int ret = -1;

    virCheckFlags(0, -1);
    if (nmountpoints > 0) {
        json_object *list = json_object_new_array();

        for (unsigned int i = 0; i < nmountpoints; i++)
            json_object_array_add(list, json_object_new_string(mountpoints[i]));
        args = json_object_new_object();
        json_object_object_add(args, "mountpoints", list);
    }
    if (qemuDriverAgentRun(dom, VIR_JOB_MODIFY,
                           args ? "guest-fsfreeze-freeze-list" : "guest-fsfreeze-freeze",
                           args, &reply) < 0)
        return -1;
    if (json_object_is_type(reply, json_type_int))
        ret = json_object_get_int(reply);
    else
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "malformed return value");
    json_object_put(reply);
    return ret;
}

int
qemuDomainFSThaw(virDomainPtr dom, const char **mountpoints, unsigned int nmountpoints,
                 unsigned int flags)
{
    json_object *reply = NULL;
    int ret = -1;

    virCheckFlags(0, -1);
    if (mountpoints || nmountpoints) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                       "specifying mountpoints is not supported");
        return -1;
    }
    if (qemuDriverAgentRun(dom, VIR_JOB_MODIFY, "guest-fsfreeze-thaw", NULL, &reply) < 0)
        return -1;
    if (json_object_is_type(reply, json_type_int))
        ret = json_object_get_int(reply);
    else
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "malformed return value");
    json_object_put(reply);
    return ret;
}

int
qemuDomainFSTrim(virDomainPtr dom, const char *mountPoint, unsigned long long minimum,
                 unsigned int flags)
{
    json_object *args;

    virCheckFlags(0, -1);
    if (mountPoint) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                       "Specifying mount point is not supported for now");
        return -1;
    }
    args = json_object_new_object();
    json_object_object_add(args, "minimum", json_object_new_uint64(minimum));
    return qemuDriverAgentRun(dom, VIR_JOB_MODIFY, "guest-fstrim", args, NULL);
}

/* As libvirt's qemuAgentGetInterfaces: guest-network-get-interfaces, one
 * entry per guest interface (its name required; its MAC and addresses as
 * the agent gives them; an alias "eth0:1" folded into "eth0"). */
int
qemuDomainAgentInterfaces(virDomainPtr dom, virDomainInterfacePtr **ifaces)
{
    json_object *reply = NULL;
    g_autoptr(GPtrArray) out = NULL;
    int ret = -1;

    if (qemuDriverAgentRun(dom, VIR_JOB_QUERY, "guest-network-get-interfaces", NULL,
                           &reply) < 0)
        return -1;
    if (!json_object_is_type(reply, json_type_array)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "qemu agent didn't return an array of interfaces");
        goto cleanup;
    }
    out = g_ptr_array_new_with_free_func((GDestroyNotify)virDomainInterfaceFreeInternal);
    for (size_t i = 0; i < json_object_array_length(reply); i++) {
        json_object *e = json_object_array_get_idx(reply, i);
        json_object *v = NULL, *addrs = NULL;
        virDomainInterfacePtr iface = NULL;
        g_autofree char *name = NULL;
        char *colon;

        if (!json_object_object_get_ex(e, "name", &v) ||
            !json_object_is_type(v, json_type_string)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "qemu agent didn't provide 'name' field");
            goto cleanup;
        }
        name = g_strdup(json_object_get_string(v));
        if ((colon = strchr(name, ':')))
            *colon = '\0';
        for (guint j = 0; j < out->len; j++) {
            virDomainInterfacePtr o = out->pdata[j];

            if (g_str_equal(o->name, name))
                iface = o;
        }
        if (!iface) {
            iface = g_new0(virDomainInterface, 1);
            iface->name = g_strdup(name);
            if (json_object_object_get_ex(e, "hardware-address", &v) &&
                json_object_is_type(v, json_type_string))
                iface->hwaddr = g_strdup(json_object_get_string(v));
            g_ptr_array_add(out, iface);
        }
        if (!json_object_object_get_ex(e, "ip-addresses", &addrs) ||
            !json_object_is_type(addrs, json_type_array))
            continue;
        for (size_t k = 0; k < json_object_array_length(addrs); k++) {
            json_object *a = json_object_array_get_idx(addrs, k);
            json_object *t = NULL, *ip = NULL, *prefix = NULL;
            virDomainIPAddress *dst;
            int type;

            if (!json_object_object_get_ex(a, "ip-address-type", &t) ||
                !json_object_object_get_ex(a, "ip-address", &ip) ||
                !json_object_is_type(ip, json_type_string)) {
                virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                               "qemu agent didn't provide 'ip-address' field");
                goto cleanup;
            }
            if (g_strcmp0(json_object_get_string(t), "ipv4") == 0) {
                type = VIR_IP_ADDR_TYPE_IPV4;
            } else if (g_strcmp0(json_object_get_string(t), "ipv6") == 0) {
                type = VIR_IP_ADDR_TYPE_IPV6;
            } else {
                virReportError(VIR_ERR_INTERNAL_ERROR, "unknown ip address type '%s'",
                               json_object_get_string(t));
                goto cleanup;
            }
            iface->addrs = g_renew(virDomainIPAddress, iface->addrs, iface->naddrs + 1);
            dst = &iface->addrs[iface->naddrs++];
            memset(dst, 0, sizeof(*dst));
            dst->type = type;
            dst->addr = g_strdup(json_object_get_string(ip));
            if (json_object_object_get_ex(a, "prefix", &prefix))
                dst->prefix = (unsigned int)json_object_get_int(prefix);
        }
    }
    ret = (int)out->len;
    g_ptr_array_set_free_func(out, NULL);
    *ifaces = (virDomainInterfacePtr *)g_ptr_array_free(g_steal_pointer(&out), FALSE);

cleanup:
    json_object_put(reply);
    return ret;
}
