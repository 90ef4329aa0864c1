/* remote_dispatch_domain.c: domain procedures: listing, lookup, lifecycle, queries
 *
 * Thread protocol: see remote_dispatch.c; every handler runs on a worker
 * with its own reference to the client's connection and may block in the
 * driver for as long as the call takes.
 */
#define G_LOG_DOMAIN "virtkitd.dispatch"
#include <string.h>

#include "remote_dispatch_priv.h"
#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

/* Handle for the domain named in the arguments (first member: dom). */
static virDomainPtr
vkdArgDomain(vkdCall *call, const remote_nonnull_domain *d)
{
    return vkdDomainFromWire(call->conn, d);
}

/* Fill the remote_nonnull_domain at @ret from @dom (released); -1 if NULL. */
static int
vkdRetDomain(void *ret, virDomainPtr dom)
{
    remote_nonnull_domain *r = ret;

    if (!dom)
        return -1;
    vkdDomainToWire(r, dom);
    virObjectUnrefDomain(dom);
    return 0;
}

/* ---- listing ---------------------------------------------------------- */

/* ---- lifecycle -----------------------------------------------------------
 * The mechanical lookups, definitions, lifecycle calls and queries are
 * generated (protocol.vkp gen=..., remote_dispatch_gen.c); these are the
 * special ones. */

VKD_HANDLER(vkdDispatchCreateWithFlags)
{
    remote_domain_create_with_flags_args *a = args;
    remote_domain_create_with_flags_ret *r = ret;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);

    if (virDomainCreateWithFlags(dom, a->flags) < 0)
        return -1;
    /* The reply carries the new id: read it back from the driver. */
    return vkdRetDomain(&r->dom, virDomainLookupByUUID(call->conn, a->dom.uuid));
}

/* ---- queries ------------------------------------------------------------ */

VKD_HANDLER(vkdDispatchGetMaxMemory)
{
    remote_domain_get_max_memory_args *a = args;
    remote_domain_get_max_memory_ret *r = ret;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);

    return (r->memory = virDomainGetMaxMemory(dom)) == 0 ? -1 : 0;
}

VKD_HANDLER(vkdDispatchGetSecurityLabel)
{
    remote_domain_get_security_label_args *a = args;
    remote_domain_get_security_label_ret *r = ret;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);
    virSecurityLabel sl = { { 0 } };

    if (virDomainGetSecurityLabel(dom, &sl) < 0)
        return -1;
    /* The count includes the NUL, as libvirtd sends it. */
    r->label_len = strnlen(sl.label, sizeof(sl.label) - 1) + 1;
    r->label_val = g_strndup(sl.label, r->label_len - 1);
    r->enforcing = sl.enforcing;
    return 0;
}

/* ---- save and restore with typed parameters ------------------------------ */

VKD_HANDLER(vkdDispatchDomainSaveParams)
{
    remote_domain_save_params_args *a = args;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    int rc;

    (void)ret;
    if (remoteTypedParamsDeserialize(a->params_val, a->params_len,
                                     REMOTE_DOMAIN_SAVE_PARAMS_MAX, &params,
                                     &nparams) < 0)
        return -1;
    rc = virDomainSaveParams(dom, params, nparams, a->flags);
    remoteTypedParamsFree(params, nparams);
    return rc;
}

VKD_HANDLER(vkdDispatchDomainRestoreParams)
{
    remote_domain_restore_params_args *a = args;
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    int rc;

    (void)ret;
    if (remoteTypedParamsDeserialize(a->params_val, a->params_len,
                                     REMOTE_DOMAIN_SAVE_PARAMS_MAX, &params,
                                     &nparams) < 0)
        return -1;
    rc = virDomainRestoreParams(call->conn, params, nparams, a->flags);
    remoteTypedParamsFree(params, nparams);
    return rc;
}

/* ---- peeks ----------------------------------------------------------------
 * The reply's buffer is the API's: allocated here at the requested size
 * (at most the protocol's 4 MiB: libvirtd's INTERNAL_ERROR beyond, a raw
 * client's request never allocates more), freed with the reply. */

VKD_HANDLER(vkdDispatchDomainBlockPeek)
{
    remote_domain_block_peek_args *a = args;
    remote_domain_block_peek_ret *r = ret;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);
    g_autofree guint8 *buf = NULL;

    if (a->size > REMOTE_DOMAIN_BLOCK_PEEK_BUFFER_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "size > maximum buffer size");
        return -1;
    }
    buf = a->size ? g_malloc0(a->size) : NULL;
    if (virDomainBlockPeek(dom, a->path, a->offset, a->size, buf, a->flags) < 0)
        return -1;
    r->buffer_len = a->size;
    r->buffer_val = g_steal_pointer(&buf);
    return 0;
}

VKD_HANDLER(vkdDispatchDomainMemoryPeek)
{
    remote_domain_memory_peek_args *a = args;
    remote_domain_memory_peek_ret *r = ret;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);
    g_autofree guint8 *buf = NULL;

    if (a->size > REMOTE_DOMAIN_MEMORY_PEEK_BUFFER_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "size > maximum buffer size");
        return -1;
    }
    buf = a->size ? g_malloc0(a->size) : NULL;
    if (virDomainMemoryPeek(dom, a->offset, a->size, buf, a->flags) < 0)
        return -1;
    r->buffer_len = a->size;
    r->buffer_val = g_steal_pointer(&buf);
    return 0;
}

/* As libvirtd 9.0: a failure of the call itself is not an error reply but
 * a reply with ret -1 and no labels (the client then fails with no
 * error of its own); a bad handle or connection is. */
VKD_HANDLER(vkdDispatchGetSecurityLabelList)
{
    remote_domain_get_security_label_list_args *a = args;
    remote_domain_get_security_label_list_ret *r = ret;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);
    g_autofree virSecurityLabel *labels = NULL;
    int n;

    if ((n = virDomainGetSecurityLabelList(dom, &labels)) < 0) {
        g_debug("virDomainGetSecurityLabelList: %s", virGetLastErrorMessage());
        virResetLastError();
        r->ret = -1;
        return 0;
    }
    if (n > REMOTE_SECURITY_LABEL_LIST_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Number of labels %d exceeds max limit: %d", n,
                       REMOTE_SECURITY_LABEL_LIST_MAX);
        return -1;
    }
    r->labels_val = g_new0(remote_domain_get_security_label_ret, n);
    for (int i = 0; i < n; i++) {
        /* each count includes the NUL, as libvirtd sends it */
        r->labels_val[i].label_len =
            strnlen(labels[i].label, sizeof(labels[i].label) - 1) + 1;
        r->labels_val[i].label_val =
            g_strndup(labels[i].label, r->labels_val[i].label_len - 1);
        r->labels_val[i].enforcing = labels[i].enforcing;
    }
    r->labels_len = n;
    r->ret = n;
    return 0;
}

VKD_HANDLER(vkdDispatchGetMessages)
{
    remote_domain_get_messages_args *a = args;
    remote_domain_get_messages_ret *r = ret;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);
    g_auto(GStrv) msgs = NULL;
    int n;

    if ((n = virDomainGetMessages(dom, &msgs, a->flags)) < 0)
        return -1;
    if (n > REMOTE_DOMAIN_MESSAGES_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Number of msgs %d, which exceeds max limit: %d", n,
                       REMOTE_DOMAIN_MESSAGES_MAX);
        return -1;
    }
    r->msgs_val = g_new0(remote_nonnull_string, n + 1);
    for (int i = 0; i < n; i++)
        r->msgs_val[i] = g_strdup(msgs[i]);
    r->msgs_len = n;
    return 0;
}
