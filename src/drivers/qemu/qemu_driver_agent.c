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
#include "qemu_agent_info.h"
#include "qemu_conf.h"
#include "qemu_driver_priv.h"
#include "qemu_taint.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

#define NS_PER_S 1000000000LL

/* The wait of the driver's agent calls on @obj (locked), in ms. */
static int
qemuDomainAgentTimeoutMs(virDomainObj *obj)
{
    return qemuAgentTimeoutMs(qemuDomainPriv(obj)->agentTimeout);
}

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
        ret = qemuAgentCommand(obj, execute, args, qemuDomainAgentTimeoutMs(obj), reply);
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

/* As libvirt's qemuAgentGetInterfaces (qemu_agent_info.c reads the reply). */
int
qemuDomainAgentInterfaces(virDomainPtr dom, virDomainInterfacePtr **ifaces)
{
    json_object *reply = NULL;
    int ret;

    if (qemuDriverAgentRun(dom, VIR_JOB_QUERY, "guest-network-get-interfaces", NULL,
                           &reply) < 0)
        return -1;
    ret = qemuAgentInterfacesParse(reply, ifaces);
    json_object_put(reply);
    return ret;
}

int
qemuDomainGetFSInfo(virDomainPtr dom, virDomainFSInfoPtr **info, unsigned int flags)
{
    virDomainObj *obj;
    json_object *reply = NULL;
    qemuAgentFSInfo **fs = NULL;
    int n = -1;

    virCheckFlags(0, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_QUERY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) == 0 &&
        qemuAgentCommand(obj, "guest-get-fsinfo", NULL, qemuDomainAgentTimeoutMs(obj),
                         &reply) == 0 &&
        (n = qemuAgentFSInfoParse(reply, &fs)) > 0) {
        /* matched against the live definition, still under the job */
        virDomainFSInfoPtr *list = g_new0(virDomainFSInfoPtr, n);

        for (int i = 0; i < n; i++)
            list[i] = qemuAgentFSInfoToPublic(fs[i], obj->def);
        *info = list;
    }
    virDomainObjEndJob(obj, VIR_JOB_QUERY);
cleanup:
    json_object_put(reply);
    qemuAgentFSInfoListFree(fs, n);
    virDomainObjEndAPI(&obj);
    return n;
}

#define QEMU_GUEST_INFO_ALL                                            \
    (VIR_DOMAIN_GUEST_INFO_USERS | VIR_DOMAIN_GUEST_INFO_OS |          \
     VIR_DOMAIN_GUEST_INFO_TIMEZONE | VIR_DOMAIN_GUEST_INFO_HOSTNAME | \
     VIR_DOMAIN_GUEST_INFO_FILESYSTEM | VIR_DOMAIN_GUEST_INFO_DISKS |  \
     VIR_DOMAIN_GUEST_INFO_INTERFACES)

static int
qemuDomainGuestInfoHostname(json_object *reply, virTypedParamList *list)
{
    json_object *name = NULL;

    if (!json_object_object_get_ex(reply, "host-name", &name) ||
        !json_object_is_type(name, json_type_string)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "'host-name' missing in guest-get-host-name reply");
        return -1;
    }
    virTypedParamListAddString(list, json_object_get_string(name), "hostname");
    return 0;
}

/* as libvirt: no "fs.count" when the guest has no filesystem */
static int
qemuDomainGuestInfoFS(json_object *reply, const virDomainDef *def,
                      virTypedParamList *list)
{
    qemuAgentFSInfo **fs = NULL;
    int n = qemuAgentFSInfoParse(reply, &fs);

    if (n > 0)
        qemuAgentFSInfoParams(fs, n, def, list);
    qemuAgentFSInfoListFree(fs, n);
    return n < 0 ? -1 : 0;
}

/* as libvirt: no "if.count" when the guest has no interface */
static int
qemuDomainGuestInfoInterfaces(json_object *reply, virTypedParamList *list)
{
    virDomainInterfacePtr *ifaces = NULL;
    int n = qemuAgentInterfacesParse(reply, &ifaces);

    if (n > 0)
        qemuAgentInterfacesParams(ifaces, n, list);
    for (int i = 0; i < n; i++)
        virDomainInterfaceFreeInternal(ifaces[i]);
    g_free(ifaces);
    return n < 0 ? -1 : 0;
}

/* One category of virDomainGetGuestInfo: @execute's reply, or NULL with
 * *@rc -2 (an agent without it, skipped when @types was 0) or -1. */
static json_object *
qemuDomainGuestInfoAsk(virDomainObj *obj, const char *execute, bool reportUnsupported,
                       int *rc)
{
    json_object *reply = NULL;

    *rc = qemuAgentCommandFull(obj, execute, NULL, qemuDomainAgentTimeoutMs(obj), &reply,
                               reportUnsupported);
    if (*rc == 0 && !reply) {
        /* {"return": null}: as a reply without data */
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s reply was missing return data",
                       execute);
        *rc = -1;
    }
    return *rc == 0 ? reply : NULL;
}

/*
 * As libvirt 9.0's qemuDomainGetGuestInfo: the categories asked for (all
 * with @types 0, when an agent that lacks one is not an error), one agent
 * command each under one query job; filesystems and disks are matched to
 * the definition's disks. Parameters in libvirt's order: users, OS, time
 * zone, host name, filesystems, disks, interfaces.
 */
int
qemuDomainGetGuestInfo(virDomainPtr dom, unsigned int types, virTypedParameterPtr *params,
                       int *nparams, unsigned int flags)
{
    g_autoptr(virTypedParamList) list = virTypedParamListNew();
    bool report = types != 0;
    virDomainObj *obj;
    int ret = -1;
    int rc = 0;

    virCheckFlags(0, -1);
    if (types & ~QEMU_GUEST_INFO_ALL) {
        virReportError(VIR_ERR_INVALID_ARG, "unsupported guest information types '0x%x'",
                       types & ~QEMU_GUEST_INFO_ALL);
        return -1;
    }
    if (types == 0)
        types = QEMU_GUEST_INFO_ALL;
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_QUERY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) < 0)
        goto endjob;

#define ASK(bit, execute, ...)                                                  \
    if (types & (bit)) {                                                        \
        json_object *reply = qemuDomainGuestInfoAsk(obj, execute, report, &rc); \
                                                                                \
        if (rc == -1)                                                           \
            goto endjob;                                                        \
        if (reply) {                                                            \
            int prc = (__VA_ARGS__);                                            \
                                                                                \
            json_object_put(reply);                                             \
            if (prc < 0)                                                        \
                goto endjob;                                                    \
        }                                                                       \
    }
    ASK(VIR_DOMAIN_GUEST_INFO_USERS, "guest-get-users", qemuAgentUsersParams(reply, list))
    ASK(VIR_DOMAIN_GUEST_INFO_OS, "guest-get-osinfo", qemuAgentOSInfoParams(reply, list))
    ASK(VIR_DOMAIN_GUEST_INFO_TIMEZONE, "guest-get-timezone",
        qemuAgentTimezoneParams(reply, list))
    ASK(VIR_DOMAIN_GUEST_INFO_HOSTNAME, "guest-get-host-name",
        qemuDomainGuestInfoHostname(reply, list))
    ASK(VIR_DOMAIN_GUEST_INFO_FILESYSTEM, "guest-get-fsinfo",
        qemuDomainGuestInfoFS(reply, obj->def, list))
    ASK(VIR_DOMAIN_GUEST_INFO_DISKS, "guest-get-disks",
        qemuAgentDisksParams(reply, obj->def, list))
    ASK(VIR_DOMAIN_GUEST_INFO_INTERFACES, "guest-network-get-interfaces",
        qemuDomainGuestInfoInterfaces(reply, list))
#undef ASK
    virTypedParamListSteal(list, params, nparams);
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_QUERY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainSetUserPassword(virDomainPtr dom, const char *user, const char *password,
                          unsigned int flags)
{
    json_object *args;
    g_autofree char *pw64 = NULL;

    virCheckFlags(VIR_DOMAIN_PASSWORD_ENCRYPTED, -1);
    /* as libvirt's qemuAgentSetUserPassword: the password in base64 */
    pw64 = g_base64_encode((const guchar *)password, strlen(password));
    args = json_object_new_object();
    json_object_object_add(
        args, "crypted",
        json_object_new_boolean(!!(flags & VIR_DOMAIN_PASSWORD_ENCRYPTED)));
    json_object_object_add(args, "username", json_object_new_string(user));
    json_object_object_add(args, "password", json_object_new_string(pw64));
    return qemuDriverAgentRun(dom, VIR_JOB_MODIFY, "guest-set-user-password", args, NULL);
}

int
qemuDomainAgentSetResponseTimeout(virDomainPtr dom, int timeout, unsigned int flags)
{
    virDomainObj *obj;
    int ret = 0;

    virCheckFlags(0, -1);
    if (timeout < QEMU_AGENT_TIMEOUT_BLOCK) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "guest agent timeout '%d' is less than the minimum '%d'", timeout,
                       QEMU_AGENT_TIMEOUT_BLOCK);
        return -1;
    }
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    /* as libvirt: the next agent call uses it, running or not; a running
     * domain's status file keeps it across daemon restarts */
    qemuDomainPriv(obj)->agentTimeout = timeout;
    if (virDomainObjIsActive(obj) &&
        qemuDomainSaveStatus(qemuDriverOf(dom->conn), obj) < 0)
        ret = -1;
    virDomainObjEndAPI(&obj);
    return ret;
}

char *
qemuDomainQemuAgentCommand(virDomainPtr dom, const char *cmd, int timeout,
                           unsigned int flags)
{
    virDomainObj *obj;
    char *ret = NULL;

    virCheckFlags(0, NULL);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return NULL;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) < 0)
        goto endjob;
    if (timeout < QEMU_AGENT_TIMEOUT_BLOCK) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "guest agent timeout '%d' is less than the minimum '%d'", timeout,
                       QEMU_AGENT_TIMEOUT_BLOCK);
        goto endjob;
    }
    /* libvirt taints the domain (custom-ga-command): what is done behind
     * the driver's back is the caller's responsibility */
    qemuDomainObjTaint(qemuDriverOf(dom->conn), obj, VIR_DOMAIN_TAINT_CUSTOM_GA_COMMAND);
    ret = qemuAgentCommandRaw(obj, cmd, qemuAgentTimeoutMs(timeout));
endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* libvirt's VIR_DOMAIN_QEMU_AGENT_COMMAND_SHUTDOWN: how long a shutdown
 * through the agent waits for the guest to go down */
#define QEMU_AGENT_SHUTDOWN_WAIT_MS (60 * 1000)

int
qemuDomainShutdownAgent(virDomainPtr dom, bool reboot, bool forced)
{
    virDomainObj *obj;
    json_object *args;
    g_autofree char *path = NULL;
    g_autofree char *label = NULL;
    int ret = -1;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (!virDomainObjIsActive(obj) || obj->state != VIR_DOMAIN_RUNNING) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        goto endjob;
    }
    /* as libvirt's qemuDomainAgentAvailable(vm, forced): without the
     * agent, a request that allows ACPI falls back to it, unreported */
    if (!forced) {
        int open = 0;

        if (!qemuAgentFindChannel(obj->def, &path, &label) ||
            (open = qemuAgentPortOpen(obj, label, QEMU_AGENT_SYNC_TIMEOUT_MS)) <= 0) {
            if (open < 0)
                virResetLastError();
            ret = -2;
            goto endjob;
        }
    }
    /* what the guest does is the agent's to say: no fake reboot */
    qemuDomainPriv(obj)->fakeReboot = false;
    args = json_object_new_object();
    json_object_object_add(args, "mode",
                           json_object_new_string(reboot ? "reboot" : "powerdown"));
    ret =
        qemuAgentCommandNoReply(obj, "guest-shutdown", args, QEMU_AGENT_SHUTDOWN_WAIT_MS);
endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* guest-get-vcpus on running @obj (job held): *@info as qemuAgentVcpusParse */
static int
qemuDomainAgentGetVcpus(virDomainObj *obj, qemuAgentCPUInfo **info)
{
    json_object *reply = NULL;
    int n;

    if (qemuAgentCommand(obj, "guest-get-vcpus", NULL, qemuDomainAgentTimeoutMs(obj),
                         &reply) < 0)
        return -1;
    n = qemuAgentVcpusParse(reply, info);
    json_object_put(reply);
    return n;
}

int
qemuDomainGetGuestVcpus(virDomainPtr dom, virTypedParameterPtr *params,
                        unsigned int *nparams, unsigned int flags)
{
    g_autoptr(virTypedParamList) list = virTypedParamListNew();
    g_autofree qemuAgentCPUInfo *info = NULL;
    virDomainObj *obj;
    int ret = -1;
    int n;

    virCheckFlags(0, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_QUERY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) < 0 ||
        (n = qemuDomainAgentGetVcpus(obj, &info)) < 0 ||
        qemuAgentVcpusParams(info, n, list) < 0)
        goto endjob;
    {
        int npar = 0;

        virTypedParamListSteal(list, params, &npar);
        *nparams = (unsigned int)npar;
    }
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_QUERY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* guest-set-vcpus of @info's modified entries, repeated as libvirt's
 * qemuAgentSetVCPUs: the agent stops at the first vCPU it fails to change
 * and answers how many it changed (an error when none), so the rest is
 * sent again until all are done. */
static int
qemuDomainAgentSetVcpus(virDomainObj *obj, qemuAgentCPUInfo *info, int n)
{
    for (;;) {
        json_object *args = json_object_new_object();
        json_object *cpus = json_object_new_array();
        json_object *reply = NULL;
        int nmodified = 0;
        int64_t done;

        for (int i = 0; i < n; i++) {
            json_object *cpu;

            if (!info[i].modified)
                continue;
            cpu = json_object_new_object();
            json_object_object_add(cpu, "logical-id", json_object_new_int64(info[i].id));
            json_object_object_add(cpu, "online",
                                   json_object_new_boolean(info[i].online));
            json_object_array_add(cpus, cpu);
            nmodified++;
        }
        json_object_object_add(args, "vcpus", cpus);
        if (nmodified == 0) {
            json_object_put(args);
            return 0;
        }
        if (qemuAgentCommand(obj, "guest-set-vcpus", args, qemuDomainAgentTimeoutMs(obj),
                             &reply) < 0)
            return -1;
        done =
            json_object_is_type(reply, json_type_int) ? json_object_get_int64(reply) : -1;
        json_object_put(reply);
        if (done <= 0 || done > nmodified) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "guest agent returned malformed or invalid return value");
            return -1;
        }
        if (done == nmodified)
            return 0;
        for (int i = 0; i < n && done > 0; i++) {
            if (info[i].modified) {
                info[i].modified = false;
                done--;
            }
        }
    }
}

/*
 * As libvirt 9.0's qemuDomainSetGuestVcpus: @cpumap parsed before the
 * domain is looked at; the guest's vCPUs read, every id of @cpumap must be
 * one of them (INVALID_ARG "guest is missing vCPUs" naming the others) and
 * offlinable when taken offline (OPERATION_UNSUPPORTED), checked before
 * anything changes; then only those are sent.
 */
int
qemuDomainSetGuestVcpus(virDomainPtr dom, const char *cpumap, int state,
                        unsigned int flags)
{
    g_autofree unsigned char *map = NULL;
    g_autofree qemuAgentCPUInfo *info = NULL;
    virDomainObj *obj;
    size_t maplen = 0;
    int ret = -1;
    int n;

    virCheckFlags(0, -1);
    if (state != 0 && state != 1) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "unsupported state value");
        return -1;
    }
    if (!(map = virDomainCpulistParse(cpumap, QEMU_GUEST_VCPU_MAX_ID, &maplen)))
        return -1;
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) < 0 ||
        (n = qemuDomainAgentGetVcpus(obj, &info)) < 0)
        goto endjob;
    for (int i = 0; i < n; i++) {
        unsigned int id = info[i].id;

        if (id >= QEMU_GUEST_VCPU_MAX_ID || !(map[id / 8] & (1u << (id % 8))))
            continue;
        if (!state && !info[i].offlinable) {
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "vCPU '%u' is not offlinable",
                           id);
            goto endjob;
        }
        info[i].online = state == 1;
        info[i].modified = true;
        map[id / 8] &= (unsigned char)~(1u << (id % 8));
    }
    {
        g_autofree char *missing = virDomainCpulistFormat(map, maplen);

        if (*missing) {
            virReportError(VIR_ERR_INVALID_ARG, "guest is missing vCPUs '%s'", missing);
            goto endjob;
        }
    }
    ret = qemuDomainAgentSetVcpus(obj, info, n);

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainAuthorizedSSHKeysGet(virDomainPtr dom, const char *user, char ***keys,
                               unsigned int flags)
{
    json_object *args;
    json_object *reply = NULL;
    int n;

    virCheckFlags(0, -1);
    args = json_object_new_object();
    json_object_object_add(args, "username", json_object_new_string(user));
    if (qemuDriverAgentRun(dom, VIR_JOB_QUERY, "guest-ssh-get-authorized-keys", args,
                           &reply) < 0)
        return -1;
    n = qemuAgentSSHKeysParse(reply, keys);
    json_object_put(reply);
    return n;
}

/* As libvirt 9.0's qemuDomainAuthorizedSSHKeysSet: REMOVE is
 * guest-ssh-remove-authorized-keys, anything else
 * guest-ssh-add-authorized-keys, resetting the file unless APPEND. */
int
qemuDomainAuthorizedSSHKeysSet(virDomainPtr dom, const char *user, const char **keys,
                               unsigned int nkeys, unsigned int flags)
{
    bool remove = flags & VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE;
    json_object *args;
    json_object *list;

    virCheckFlags(VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND |
                      VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE,
                  -1);
    list = json_object_new_array();
    for (unsigned int i = 0; keys && i < nkeys; i++)
        json_object_array_add(list, json_object_new_string(keys[i] ? keys[i] : ""));
    args = json_object_new_object();
    json_object_object_add(args, "username", json_object_new_string(user));
    json_object_object_add(args, "keys", list);
    if (!remove)
        json_object_object_add(args, "reset",
                               json_object_new_boolean(
                                   !(flags & VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND)));
    return qemuDriverAgentRun(dom, VIR_JOB_MODIFY,
                              remove ? "guest-ssh-remove-authorized-keys"
                                     : "guest-ssh-add-authorized-keys",
                              args, NULL);
}
