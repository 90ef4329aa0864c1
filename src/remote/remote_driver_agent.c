/* remote_driver_agent.c: the remote driver's entry points answered by the guest agent that the generator cannot map */
#define G_LOG_DOMAIN "virtkit.remote"

#include "remote_driver_priv.h"
#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

/* virDomainGetTime: the reply's hyper and uint are the two out parameters
 * (GetHostname and SetTime are generated: protocol.vkp gen=both). */
int
remoteDomainGetTime(virDomainPtr dom, long long *seconds, unsigned int *nseconds,
                    unsigned int flags)
{
    remote_domain_get_time_args args = { .flags = flags };
    remote_domain_get_time_ret ret = { 0 };

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetTime(dom->conn, &args, &ret) < 0)
        return -1;
    *seconds = ret.seconds;
    *nseconds = ret.nseconds;
    return 0;
}

/* virDomainFSFreeze / FSThaw: a string array out, as libvirt's remote
 * driver (its limit checked before sending). */
static int
remoteDomainFSFreezeThaw(virDomainPtr dom, const char **mountpoints,
                         unsigned int nmountpoints, unsigned int flags, bool freeze)
{
    remote_domain_fsfreeze_args args = { .flags = flags };
    remote_domain_fsfreeze_ret ret = { 0 };

    if (nmountpoints > REMOTE_DOMAIN_FSFREEZE_MOUNTPOINTS_MAX) {
        virReportError(VIR_ERR_RPC, "Too many mountpoints: %u > %d", nmountpoints,
                       REMOTE_DOMAIN_FSFREEZE_MOUNTPOINTS_MAX);
        return -1;
    }
    remoteMakeDomain(&args.dom, dom);
    args.mountpoints_len = nmountpoints;
    args.mountpoints_val = (remote_nonnull_string *)mountpoints;
    if (freeze) {
        if (remoteCallDomainFSFreeze(dom->conn, &args, &ret) < 0)
            return -1;
    } else {
        /* the same layout (remote_protocol.x declares both alike) */
        remote_domain_fsthaw_args targs = { .dom = args.dom,
                                            .mountpoints_len = args.mountpoints_len,
                                            .mountpoints_val = args.mountpoints_val,
                                            .flags = flags };
        remote_domain_fsthaw_ret tret = { 0 };

        if (remoteCallDomainFSThaw(dom->conn, &targs, &tret) < 0)
            return -1;
        ret.filesystems = tret.filesystems;
    }
    return ret.filesystems;
}

int
remoteDomainFSFreeze(virDomainPtr dom, const char **mountpoints,
                     unsigned int nmountpoints, unsigned int flags)
{
    return remoteDomainFSFreezeThaw(dom, mountpoints, nmountpoints, flags, true);
}

int
remoteDomainFSThaw(virDomainPtr dom, const char **mountpoints, unsigned int nmountpoints,
                   unsigned int flags)
{
    return remoteDomainFSFreezeThaw(dom, mountpoints, nmountpoints, flags, false);
}

/* As libvirt 9.0's remoteDomainGetFSInfo: the daemon's list, its bounds
 * checked again. */
int
remoteDomainGetFSInfo(virDomainPtr dom, virDomainFSInfoPtr **info, unsigned int flags)
{
    remote_domain_get_fsinfo_args args = { .flags = flags };
    remote_domain_get_fsinfo_ret ret = { 0 };
    virDomainFSInfoPtr *out = NULL;
    int rv = -1;

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetFSInfo(dom->conn, &args, &ret) < 0)
        return -1;
    if (ret.info_len > REMOTE_DOMAIN_FSINFO_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Too many mountpoints in fsinfo: %d for limit %d", ret.info_len,
                       REMOTE_DOMAIN_FSINFO_MAX);
        goto cleanup;
    }
    if (ret.info_len > 0) {
        out = g_new0(virDomainFSInfoPtr, ret.info_len);
        for (uint32_t i = 0; i < ret.info_len; i++) {
            const remote_domain_fsinfo *w = &ret.info_val[i];
            virDomainFSInfoPtr fs = g_new0(virDomainFSInfo, 1);

            out[i] = fs;
            fs->mountpoint = g_strdup(w->mountpoint);
            fs->name = g_strdup(w->name);
            fs->fstype = g_strdup(w->fstype);
            fs->ndevAlias = w->dev_aliases_len;
            if (fs->ndevAlias > 0)
                fs->devAlias = g_new0(char *, fs->ndevAlias);
            for (size_t j = 0; j < fs->ndevAlias; j++)
                fs->devAlias[j] = g_strdup(w->dev_aliases_val[j]);
        }
    }
    *info = out;
    rv = (int)ret.info_len;

cleanup:
    virXdrFree(remote_domain_get_fsinfo_ret_filter, &ret);
    return rv;
}

/* As libvirt 9.0's remoteDomainGetGuestInfo: a new array of the daemon's
 * parameters. */
int
remoteDomainGetGuestInfo(virDomainPtr dom, unsigned int types,
                         virTypedParameterPtr *params, int *nparams, unsigned int flags)
{
    remote_domain_get_guest_info_args args = { .types = types, .flags = flags };
    remote_domain_get_guest_info_ret ret = { 0 };
    virTypedParameterPtr par = NULL;
    int npar = 0;
    int rc;

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetGuestInfo(dom->conn, &args, &ret) < 0)
        return -1;
    rc = remoteTypedParamsDeserialize(ret.params_val, ret.params_len,
                                      REMOTE_DOMAIN_GUEST_INFO_PARAMS_MAX, &par, &npar);
    if (rc == 0) {
        *params = par;
        *nparams = npar;
    }
    virXdrFree(remote_domain_get_guest_info_ret_filter, &ret);
    return rc;
}

/* As libvirt 9.0's remoteDomainGetGuestVcpus: a new array of the daemon's
 * parameters (SetGuestVcpus is generated). */
int
remoteDomainGetGuestVcpus(virDomainPtr dom, virTypedParameterPtr *params,
                          unsigned int *nparams, unsigned int flags)
{
    remote_domain_get_guest_vcpus_args args = { .flags = flags };
    remote_domain_get_guest_vcpus_ret ret = { 0 };
    virTypedParameterPtr par = NULL;
    int npar = 0;
    int rc;

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetGuestVcpus(dom->conn, &args, &ret) < 0)
        return -1;
    rc = remoteTypedParamsDeserialize(ret.params_val, ret.params_len,
                                      REMOTE_DOMAIN_GUEST_VCPU_PARAMS_MAX, &par, &npar);
    if (rc == 0) {
        *params = par;
        *nparams = (unsigned int)npar;
    }
    virXdrFree(remote_domain_get_guest_vcpus_ret_filter, &ret);
    return rc;
}

/* As libvirt 9.0's remoteDomainAuthorizedSSHKeysGet / Set: the list
 * bounded by REMOTE_DOMAIN_AUTHORIZED_SSH_KEYS_MAX both ways (its texts). */
int
remoteDomainAuthorizedSSHKeysGet(virDomainPtr dom, const char *user, char ***keys,
                                 unsigned int flags)
{
    remote_domain_authorized_ssh_keys_get_args args = { .user = (char *)user,
                                                        .flags = flags };
    remote_domain_authorized_ssh_keys_get_ret ret = { 0 };
    char **out;
    int n;

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainAuthorizedSshKeysGet(dom->conn, &args, &ret) < 0)
        return -1;
    if (ret.keys_len > REMOTE_DOMAIN_AUTHORIZED_SSH_KEYS_MAX) {
        virReportError(
            VIR_ERR_RPC, "%s",
            "remoteDomainAuthorizedSSHKeysGet: returned number of keys exceeds "
            "limit");
        virXdrFree(remote_domain_authorized_ssh_keys_get_ret_filter, &ret);
        return -1;
    }
    n = (int)ret.keys_len;
    out = g_new0(char *, n + 1);
    for (int i = 0; i < n; i++)
        out[i] = g_strdup(ret.keys_val[i]);
    virXdrFree(remote_domain_authorized_ssh_keys_get_ret_filter, &ret);
    *keys = out;
    return n;
}

int
remoteDomainAuthorizedSSHKeysSet(virDomainPtr dom, const char *user, const char **keys,
                                 unsigned int nkeys, unsigned int flags)
{
    remote_domain_authorized_ssh_keys_set_args args = { .user = (char *)user,
                                                        .keys_len = nkeys,
                                                        .keys_val =
                                                            (remote_nonnull_string *)keys,
                                                        .flags = flags };

    if (nkeys > REMOTE_DOMAIN_AUTHORIZED_SSH_KEYS_MAX) {
        virReportError(
            VIR_ERR_RPC, "%s",
            "remoteDomainAuthorizedSSHKeysSet: returned number of keys exceeds "
            "limit");
        return -1;
    }
    remoteMakeDomain(&args.dom, dom);
    return remoteCallDomainAuthorizedSshKeysSet(dom->conn, &args);
}

/* QEMU_PROGRAM procedure 3: the reply's string as the agent's answer. */
char *
remoteDomainQemuAgentCommand(virDomainPtr dom, const char *cmd, int timeout,
                             unsigned int flags)
{
    qemu_domain_agent_command_args args = { .cmd = (char *)cmd,
                                            .timeout = timeout,
                                            .flags = flags };
    qemu_domain_agent_command_ret ret = { 0 };

    remoteMakeDomain(&args.dom, dom);
    if (qemuCallDomainAgentCommand(dom->conn, &args, &ret) < 0)
        return NULL;
    if (!ret.result)
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "the daemon sent no result");
    return ret.result; /* moves to the caller */
}
