/* remote_dispatch_domain.c: domain procedures: listing, lookup, lifecycle, queries
 *
 * Thread protocol: see remote_dispatch.c; every handler runs on a worker
 * with its own reference to the client's connection and may block in the
 * driver for as long as the call takes.
 */
#define G_LOG_DOMAIN "virtkitd.dispatch"
#include <string.h>

#include "remote_dispatch_priv.h"
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

VKD_HANDLER(vkdDispatchListAllDomains)
{
    remote_connect_list_all_domains_args *a = args;
    remote_connect_list_all_domains_ret *r = ret;
    virDomainPtr *doms = NULL;
    int n;

    n = virConnectListAllDomains(call->conn, a->need_results ? &doms : NULL, a->flags);
    if (n < 0)
        return -1;
    if (n > REMOTE_DOMAIN_LIST_MAX) {
        for (int i = 0; i < n && doms; i++)
            virObjectUnrefDomain(doms[i]);
        g_free(doms);
        virReportError(VIR_ERR_RPC, "Too many domains '%d' for limit '%d'", n,
                       REMOTE_DOMAIN_LIST_MAX);
        return -1;
    }
    if (doms) {
        r->domains_len = n;
        r->domains_val = g_new0(remote_nonnull_domain, MAX(n, 1));
        for (int i = 0; i < n; i++) {
            vkdDomainToWire(&r->domains_val[i], doms[i]);
            virObjectUnrefDomain(doms[i]);
        }
        g_free(doms);
    }
    r->ret = n;
    return 0;
}

VKD_HANDLER(vkdDispatchListDomains)
{
    remote_connect_list_domains_args *a = args;
    remote_connect_list_domains_ret *r = ret;
    g_autofree int *ids = NULL;
    int n;

    if (a->maxids < 0 || a->maxids > REMOTE_DOMAIN_LIST_MAX) {
        virReportError(VIR_ERR_RPC, "%s", "maxids > REMOTE_DOMAIN_LIST_MAX");
        return -1;
    }
    ids = g_new0(int, MAX(a->maxids, 1));
    if ((n = virConnectListDomains(call->conn, ids, a->maxids)) < 0)
        return -1;
    r->ids_len = n;
    r->ids_val = g_new0(int32_t, MAX(n, 1));
    for (int i = 0; i < n; i++)
        r->ids_val[i] = ids[i];
    return 0;
}

VKD_HANDLER(vkdDispatchListDefinedDomains)
{
    remote_connect_list_defined_domains_args *a = args;
    remote_connect_list_defined_domains_ret *r = ret;
    char **names;
    int n;

    if (a->maxnames < 0 || a->maxnames > REMOTE_DOMAIN_LIST_MAX) {
        virReportError(VIR_ERR_RPC, "%s", "maxnames > REMOTE_DOMAIN_LIST_MAX");
        return -1;
    }
    names = g_new0(char *, a->maxnames + 1);
    if ((n = virConnectListDefinedDomains(call->conn, names, a->maxnames)) < 0) {
        g_free(names);
        return -1;
    }
    r->names_len = n;
    r->names_val = names; /* n strings, owned by the reply now */
    return 0;
}

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

VKD_HANDLER(vkdDispatchGetInfo)
{
    remote_domain_get_info_args *a = args;
    remote_domain_get_info_ret *r = ret;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);
    virDomainInfo info = { 0 };

    if (virDomainGetInfo(dom, &info) < 0)
        return -1;
    r->state = info.state;
    r->maxMem = info.maxMem;
    r->memory = info.memory;
    r->nrVirtCpu = info.nrVirtCpu;
    r->cpuTime = info.cpuTime;
    return 0;
}

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
