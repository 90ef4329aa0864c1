/* remote_dispatch_agent.c: guest agent procedures the generator cannot map (335-337, 349, 371, 418, 424, 425)
 *
 * Thread protocol: see remote_dispatch.c; every handler runs on a worker
 * with its own reference to the client's connection and may block in the
 * driver (the guest agent) for as long as the call takes.
 */
#define G_LOG_DOMAIN "virtkitd.dispatch"

#include <libvirt/libvirt-qemu.h>

#include "remote_dispatch_priv.h"
#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VKD_HANDLER(vkdDispatchDomainGetTime)
{
    remote_domain_get_time_args *a = args;
    remote_domain_get_time_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    long long seconds = 0;
    unsigned int nseconds = 0;

    if (virDomainGetTime(dom, &seconds, &nseconds, a->flags) < 0)
        return -1;
    r->seconds = seconds;
    r->nseconds = nseconds;
    return 0;
}

VKD_HANDLER(vkdDispatchDomainFSFreeze)
{
    remote_domain_fsfreeze_args *a = args;
    remote_domain_fsfreeze_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    int n;

    if ((n = virDomainFSFreeze(dom, (const char **)a->mountpoints_val, a->mountpoints_len,
                               a->flags)) < 0)
        return -1;
    r->filesystems = n;
    return 0;
}

VKD_HANDLER(vkdDispatchDomainFSThaw)
{
    remote_domain_fsthaw_args *a = args;
    remote_domain_fsthaw_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    int n;

    if ((n = virDomainFSThaw(dom, (const char **)a->mountpoints_val, a->mountpoints_len,
                             a->flags)) < 0)
        return -1;
    r->filesystems = n;
    return 0;
}

/* As libvirt 9.0's remoteDispatchDomainGetFSInfo: the list and each
 * entry's disks bounded by the protocol's limits. */
VKD_HANDLER(vkdDispatchDomainGetFSInfo)
{
    remote_domain_get_fsinfo_args *a = args;
    remote_domain_get_fsinfo_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    virDomainFSInfoPtr *info = NULL;
    int rc = -1;
    int n;

    if ((n = virDomainGetFSInfo(dom, &info, a->flags)) < 0)
        return -1;
    if (n > REMOTE_DOMAIN_FSINFO_MAX) {
        virReportError(VIR_ERR_RPC, "Too many mountpoints in fsinfo: %d for limit %d", n,
                       REMOTE_DOMAIN_FSINFO_MAX);
        goto cleanup;
    }
    for (int i = 0; i < n; i++) {
        if (info[i]->ndevAlias > REMOTE_DOMAIN_FSINFO_DISKS_MAX) {
            virReportError(VIR_ERR_RPC, "Too many disks in fsinfo: %zd for limit %d",
                           info[i]->ndevAlias, REMOTE_DOMAIN_FSINFO_DISKS_MAX);
            goto cleanup;
        }
    }
    r->info_len = n;
    r->info_val = g_new0(remote_domain_fsinfo, n ? n : 1);
    for (int i = 0; i < n; i++) {
        remote_domain_fsinfo *w = &r->info_val[i];

        w->mountpoint = g_strdup(info[i]->mountpoint ? info[i]->mountpoint : "");
        w->name = g_strdup(info[i]->name ? info[i]->name : "");
        w->fstype = g_strdup(info[i]->fstype ? info[i]->fstype : "");
        w->dev_aliases_len = info[i]->ndevAlias;
        w->dev_aliases_val = g_new0(remote_nonnull_string, info[i]->ndevAlias + 1);
        for (size_t j = 0; j < info[i]->ndevAlias; j++)
            w->dev_aliases_val[j] = g_strdup(info[i]->devAlias[j]);
    }
    r->ret = n;
    rc = 0;

cleanup:
    for (int i = 0; i < n; i++)
        virDomainFSInfoFree(info[i]);
    free(info);
    return rc;
}

VKD_HANDLER(vkdDispatchDomainGetGuestInfo)
{
    remote_domain_get_guest_info_args *a = args;
    remote_domain_get_guest_info_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    int rc;

    if (virDomainGetGuestInfo(dom, a->types, &params, &nparams, a->flags) < 0)
        return -1;
    rc = remoteTypedParamsSerialize(params, nparams, REMOTE_DOMAIN_GUEST_INFO_PARAMS_MAX,
                                    &r->params_val, &r->params_len,
                                    VIR_TYPED_PARAM_STRING_OKAY);
    virTypedParamsFree(params, nparams);
    return rc;
}

VKD_HANDLER(vkdDispatchDomainGetGuestVcpus)
{
    remote_domain_get_guest_vcpus_args *a = args;
    remote_domain_get_guest_vcpus_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    virTypedParameterPtr params = NULL;
    unsigned int nparams = 0;
    int rc;

    if (virDomainGetGuestVcpus(dom, &params, &nparams, a->flags) < 0)
        return -1;
    rc = remoteTypedParamsSerialize(params, (int)nparams,
                                    REMOTE_DOMAIN_GUEST_VCPU_PARAMS_MAX, &r->params_val,
                                    &r->params_len, VIR_TYPED_PARAM_STRING_OKAY);
    virTypedParamsFree(params, (int)nparams);
    return rc;
}

/* As libvirt 9.0's remoteDispatchDomainAuthorizedSshKeysGet / Set (their
 * limit checks and texts, the decoder already bounds the list). */
VKD_HANDLER(vkdDispatchDomainAuthorizedSSHKeysGet)
{
    remote_domain_authorized_ssh_keys_get_args *a = args;
    remote_domain_authorized_ssh_keys_get_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    char **keys = NULL;
    int n;

    if ((n = virDomainAuthorizedSSHKeysGet(dom, a->user, &keys, a->flags)) < 0)
        return -1;
    if (n > REMOTE_DOMAIN_AUTHORIZED_SSH_KEYS_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Number of keys %d, which exceeds max liit: %d", n,
                       REMOTE_DOMAIN_AUTHORIZED_SSH_KEYS_MAX);
        for (int i = 0; i < n; i++)
            free(keys[i]);
        free(keys);
        return -1;
    }
    r->keys_len = n;
    r->keys_val = g_new0(remote_nonnull_string, n + 1);
    for (int i = 0; i < n; i++) {
        r->keys_val[i] = g_strdup(keys[i]);
        free(keys[i]);
    }
    free(keys);
    return 0;
}

VKD_HANDLER(vkdDispatchDomainAuthorizedSSHKeysSet)
{
    remote_domain_authorized_ssh_keys_set_args *a = args;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);

    (void)ret;
    if (a->keys_len > REMOTE_DOMAIN_AUTHORIZED_SSH_KEYS_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Number of keys %d, which exceeds max liit: %d", (int)a->keys_len,
                       REMOTE_DOMAIN_AUTHORIZED_SSH_KEYS_MAX);
        return -1;
    }
    return virDomainAuthorizedSSHKeysSet(dom, a->user, (const char **)a->keys_val,
                                         a->keys_len, a->flags);
}

/* QEMU_PROGRAM procedure 3 (libvirt-qemu's virDomainQemuAgentCommand). */
VKD_HANDLER(vkdDispatchQemuDomainAgentCommand)
{
    qemu_domain_agent_command_args *a = args;
    qemu_domain_agent_command_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    char *result;

    if (!(result = virDomainQemuAgentCommand(dom, a->cmd, a->timeout, a->flags)))
        return -1;
    r->result = g_strdup(result);
    free(result);
    return 0;
}
