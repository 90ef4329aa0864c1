/* remote_driver_domain.c: remote driver entry points for listing and domains */
/*
 * Threads: each entry point is one or two blocking calls from the API
 * thread (see remote_driver.c for the connection's thread protocol).
 */
#define G_LOG_DOMAIN "virtkit.remote"
#include <string.h>

#include "remote_driver_priv.h"
#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

/* ---- listing --------------------------------------------------------------------- */

/* ---- domains ------------------------------------------------------------------------ */

/* Every reply carrying one domain has the layout { remote_nonnull_domain dom }
 * (remote_domain_lookup_by_name_ret and its siblings); the handle is made
 * from @d, which is freed. */
static virDomainPtr
remoteDomainFromWire(virConnectPtr conn, int rc, remote_nonnull_domain *d)
{
    virDomainPtr dom;

    if (rc < 0)
        return NULL;
    dom = remoteGetDomain(conn, d);
    virXdrFree(remote_nonnull_domain_filter, d);
    return dom;
}

virDomainPtr
remoteDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    /* virDomainDefineXML (no flags) uses the original procedure, as
     * libvirt's client does (virsh define sends 11). */
    if (flags == 0) {
        remote_domain_define_xml_args args = { .xml = (char *)xml };
        remote_domain_define_xml_ret ret = { 0 };

        return remoteDomainFromWire(conn, remoteCallDomainDefineXML(conn, &args, &ret),
                                    &ret.dom);
    } else {
        remote_domain_define_xml_flags_args args = { .xml = (char *)xml, .flags = flags };
        remote_domain_define_xml_flags_ret ret = { 0 };

        return remoteDomainFromWire(
            conn, remoteCallDomainDefineXMLFlags(conn, &args, &ret), &ret.dom);
    }
}

int
remoteDomainCreateWithFlags(virDomainPtr dom, unsigned int flags)
{
    if (flags == 0) {
        /* virDomainCreate: DOMAIN_CREATE returns nothing, so learn the new
         * id with a lookup by UUID, as libvirt's client does. */
        remote_domain_create_args args;
        virDomainPtr fresh;

        remoteMakeDomain(&args.dom, dom);
        if (remoteCallDomainCreate(dom->conn, &args) < 0)
            return -1;
        if (!(fresh = remoteDomainLookupByUUID(dom->conn, dom->uuid)))
            return -1;
        dom->id = fresh->id;
        virObjectUnrefDomain(fresh);
        return 0;
    } else {
        remote_domain_create_with_flags_args args = { .flags = flags };
        remote_domain_create_with_flags_ret ret = { 0 };

        remoteMakeDomain(&args.dom, dom);
        if (remoteCallDomainCreateWithFlags(dom->conn, &args, &ret) < 0)
            return -1;
        dom->id = ret.dom.id;
        virXdrFree(remote_domain_create_with_flags_ret_filter, &ret);
        return 0;
    }
}

int
remoteDomainShutdownFlags(virDomainPtr dom, unsigned int flags)
{
    if (flags == 0) {
        remote_domain_shutdown_args args;

        remoteMakeDomain(&args.dom, dom);
        return remoteCallDomainShutdown(dom->conn, &args);
    } else {
        remote_domain_shutdown_flags_args args = { .flags = flags };

        remoteMakeDomain(&args.dom, dom);
        return remoteCallDomainShutdownFlags(dom->conn, &args);
    }
}

int
remoteDomainDestroyFlags(virDomainPtr dom, unsigned int flags)
{
    int rc;

    if (flags == 0) {
        remote_domain_destroy_args args;

        remoteMakeDomain(&args.dom, dom);
        rc = remoteCallDomainDestroy(dom->conn, &args);
    } else {
        remote_domain_destroy_flags_args args = { .flags = flags };

        remoteMakeDomain(&args.dom, dom);
        rc = remoteCallDomainDestroyFlags(dom->conn, &args);
    }
    if (rc == 0)
        dom->id = -1;
    return rc;
}

unsigned long long
remoteDomainGetMaxMemory(virDomainPtr dom)
{
    remote_domain_get_max_memory_args args;
    remote_domain_get_max_memory_ret ret = { 0 };

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetMaxMemory(dom->conn, &args, &ret) < 0)
        return 0;
    return ret.memory;
}

int
remoteDomainGetSecurityLabel(virDomainPtr dom, virSecurityLabelPtr seclabel)
{
    remote_domain_get_security_label_args args;
    remote_domain_get_security_label_ret ret = { 0 };
    int rc = 0;

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetSecurityLabel(dom->conn, &args, &ret) < 0)
        return -1;
    if (remoteCopyChars(seclabel->label, sizeof(seclabel->label), ret.label_val,
                        ret.label_len, "security label") < 0)
        rc = -1;
    seclabel->enforcing = ret.enforcing;
    virXdrFree(remote_domain_get_security_label_ret_filter, &ret);
    return rc;
}

/* ---- save and restore with typed parameters -------------------------------------- */

int
remoteDomainSaveParams(virDomainPtr dom, virTypedParameterPtr params, int nparams,
                       unsigned int flags)
{
    remote_domain_save_params_args args = { .flags = flags };
    int rc;

    remoteMakeDomain(&args.dom, dom);
    if (remoteTypedParamsSerialize(params, nparams, REMOTE_DOMAIN_SAVE_PARAMS_MAX,
                                   &args.params_val, &args.params_len,
                                   VIR_TYPED_PARAM_STRING_OKAY) < 0)
        return -1;
    rc = remoteCallDomainSaveParams(dom->conn, &args);
    remoteTypedParamsFreeRemote(args.params_val, args.params_len);
    return rc;
}

int
remoteDomainRestoreParams(virConnectPtr conn, virTypedParameterPtr params, int nparams,
                          unsigned int flags)
{
    remote_domain_restore_params_args args = { .flags = flags };
    int rc;

    if (remoteTypedParamsSerialize(params, nparams, REMOTE_DOMAIN_SAVE_PARAMS_MAX,
                                   &args.params_val, &args.params_len,
                                   VIR_TYPED_PARAM_STRING_OKAY) < 0)
        return -1;
    rc = remoteCallDomainRestoreParams(conn, &args);
    remoteTypedParamsFreeRemote(args.params_val, args.params_len);
    return rc;
}

/* ---- peeks ------------------------------------------------------------------------- */

/* The reply's buffer into the caller's @buffer (libvirt's check that the
 * daemon sent exactly @size bytes); frees the reply's buffer. */
static int
remotePeekReply(int rc, uint32_t len, guint8 *val, void *buffer, size_t size)
{
    g_autofree guint8 *owned = val;

    if (rc < 0)
        return -1;
    if (len != size) {
        virReportError(VIR_ERR_RPC, "%s",
                       "returned buffer is not same size as requested");
        return -1;
    }
    if (size > 0)
        memcpy(buffer, owned, size);
    return 0;
}

int
remoteDomainBlockPeek(virDomainPtr dom, const char *path, unsigned long long offset,
                      size_t size, void *buffer, unsigned int flags)
{
    remote_domain_block_peek_args args = {
        .path = (char *)path, .offset = offset, .size = size, .flags = flags
    };
    remote_domain_block_peek_ret ret = { 0 };
    int rc;

    if (size > REMOTE_DOMAIN_BLOCK_PEEK_BUFFER_MAX) {
        virReportError(VIR_ERR_RPC,
                       "block peek request too large for remote protocol, %zi > %d",
                       (ssize_t)size, REMOTE_DOMAIN_BLOCK_PEEK_BUFFER_MAX);
        return -1;
    }
    remoteMakeDomain(&args.dom, dom);
    rc = remoteCallDomainBlockPeek(dom->conn, &args, &ret);
    return remotePeekReply(rc, ret.buffer_len, ret.buffer_val, buffer, size);
}

int
remoteDomainMemoryPeek(virDomainPtr dom, unsigned long long start, size_t size,
                       void *buffer, unsigned int flags)
{
    remote_domain_memory_peek_args args = { .offset = start,
                                            .size = size,
                                            .flags = flags };
    remote_domain_memory_peek_ret ret = { 0 };
    int rc;

    if (size > REMOTE_DOMAIN_MEMORY_PEEK_BUFFER_MAX) {
        virReportError(VIR_ERR_RPC,
                       "memory peek request too large for remote protocol, %zi > %d",
                       (ssize_t)size, REMOTE_DOMAIN_MEMORY_PEEK_BUFFER_MAX);
        return -1;
    }
    remoteMakeDomain(&args.dom, dom);
    rc = remoteCallDomainMemoryPeek(dom->conn, &args, &ret);
    return remotePeekReply(rc, ret.buffer_len, ret.buffer_val, buffer, size);
}


/* As libvirt 9.0's client: a reply of ret -1 (the daemon's call failed,
 * see vkdDispatchGetSecurityLabelList) is a failure with no error. */
int
remoteDomainGetSecurityLabelList(virDomainPtr dom, virSecurityLabelPtr *seclabels)
{
    remote_domain_get_security_label_list_args args;
    remote_domain_get_security_label_list_ret ret = { 0 };
    g_autofree virSecurityLabel *out = NULL;
    int rc;

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetSecurityLabelList(dom->conn, &args, &ret) < 0)
        return -1;
    rc = ret.ret;
    if (rc >= 0 && (uint32_t)rc != ret.labels_len) {
        virReportError(VIR_ERR_RPC, "%s", "security label count mismatch");
        rc = -1;
    }
    if (rc > 0)
        out = g_new0(virSecurityLabel, ret.labels_len);
    for (uint32_t i = 0; rc > 0 && i < ret.labels_len; i++) {
        if (remoteCopyChars(out[i].label, sizeof(out[i].label),
                            ret.labels_val[i].label_val, ret.labels_val[i].label_len,
                            "security label") < 0)
            rc = -1;
        out[i].enforcing = ret.labels_val[i].enforcing;
    }
    virXdrFree(remote_domain_get_security_label_list_ret_filter, &ret);
    if (rc >= 0)
        *seclabels = g_steal_pointer(&out);
    return rc;
}

int
remoteDomainGetMessages(virDomainPtr dom, char ***msgs, unsigned int flags)
{
    remote_domain_get_messages_args args = { .flags = flags };
    remote_domain_get_messages_ret ret = { 0 };
    char **out;
    int n;

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetMessages(dom->conn, &args, &ret) < 0)
        return -1;
    n = (int)ret.msgs_len;
    out = g_new0(char *, n + 1);
    for (int i = 0; i < n; i++)
        out[i] = g_strdup(ret.msgs_val[i]);
    virXdrFree(remote_domain_get_messages_ret_filter, &ret);
    *msgs = out;
    return n;
}
