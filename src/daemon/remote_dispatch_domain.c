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

static int
vkdRetDomain(void *ret, virDomainPtr dom)
{
    remote_domain_ret *r = ret;

    if (!dom)
        return -1;
    vkdDomainToWire(&r->dom, dom);
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
        virReportError(VIR_ERR_RPC, "Too many domains '%d' for limit '%d'",
                       n, REMOTE_DOMAIN_LIST_MAX);
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

VKD_HANDLER(vkdDispatchNumOfDomains)
{
    remote_int_msg *r = ret;

    return (r->value = virConnectNumOfDomains(call->conn)) < 0 ? -1 : 0;
}

VKD_HANDLER(vkdDispatchNumOfDefinedDomains)
{
    remote_int_msg *r = ret;

    return (r->value = virConnectNumOfDefinedDomains(call->conn)) < 0 ? -1 : 0;
}

VKD_HANDLER(vkdDispatchListDomains)
{
    remote_int_msg *a = args;
    remote_connect_list_domains_ret *r = ret;
    g_autofree int *ids = NULL;
    int n;

    if (a->value < 0 || a->value > REMOTE_DOMAIN_LIST_MAX) {
        virReportError(VIR_ERR_RPC, "%s", "maxids > REMOTE_DOMAIN_LIST_MAX");
        return -1;
    }
    ids = g_new0(int, MAX(a->value, 1));
    if ((n = virConnectListDomains(call->conn, ids, a->value)) < 0)
        return -1;
    r->ids_len = n;
    r->ids_val = g_new0(int32_t, MAX(n, 1));
    for (int i = 0; i < n; i++)
        r->ids_val[i] = ids[i];
    return 0;
}

VKD_HANDLER(vkdDispatchListDefinedDomains)
{
    remote_int_msg *a = args;
    remote_connect_list_defined_domains_ret *r = ret;
    char **names;
    int n;

    if (a->value < 0 || a->value > REMOTE_DOMAIN_LIST_MAX) {
        virReportError(VIR_ERR_RPC, "%s", "maxnames > REMOTE_DOMAIN_LIST_MAX");
        return -1;
    }
    names = g_new0(char *, a->value + 1);
    if ((n = virConnectListDefinedDomains(call->conn, names, a->value)) < 0) {
        g_free(names);
        return -1;
    }
    r->names_len = n;
    r->names_val = names;       /* n strings, owned by the reply now */
    return 0;
}

/* ---- lookup ------------------------------------------------------------ */

VKD_HANDLER(vkdDispatchLookupByName)
{
    remote_string_msg *a = args;

    return vkdRetDomain(ret, virDomainLookupByName(call->conn, a->value));
}

VKD_HANDLER(vkdDispatchLookupByUUID)
{
    remote_domain_lookup_by_uuid_args *a = args;

    return vkdRetDomain(ret, virDomainLookupByUUID(call->conn, a->uuid));
}

VKD_HANDLER(vkdDispatchLookupByID)
{
    remote_int_msg *a = args;

    return vkdRetDomain(ret, virDomainLookupByID(call->conn, a->value));
}

/* ---- definitions and lifecycle ---------------------------------------- */

VKD_HANDLER(vkdDispatchDefineXML)
{
    remote_string_msg *a = args;

    return vkdRetDomain(ret, virDomainDefineXML(call->conn, a->value));
}

VKD_HANDLER(vkdDispatchDefineXMLFlags)
{
    remote_domain_xml_flags_args *a = args;

    return vkdRetDomain(ret, virDomainDefineXMLFlags(call->conn, a->xml, a->flags));
}

VKD_HANDLER(vkdDispatchCreateXML)
{
    remote_domain_xml_flags_args *a = args;

    return vkdRetDomain(ret, virDomainCreateXML(call->conn, a->xml, a->flags));
}

/* Procedures taking { dom } and returning void: one API call each. */
#define VKD_DOMAIN_VOID(handler, apicall) \
    VKD_HANDLER(handler) \
    { \
        remote_domain_args *a = args; \
        g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom); \
        return apicall; \
    }

/* { dom; flags } -> void */
#define VKD_DOMAIN_FLAGS_VOID(handler, apicall) \
    VKD_HANDLER(handler) \
    { \
        remote_domain_flags_args *a = args; \
        g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom); \
        unsigned int flags = a->flags; \
        return apicall; \
    }

VKD_DOMAIN_VOID(vkdDispatchUndefine, virDomainUndefine(dom))
VKD_DOMAIN_FLAGS_VOID(vkdDispatchUndefineFlags, virDomainUndefineFlags(dom, flags))
VKD_DOMAIN_VOID(vkdDispatchCreate, virDomainCreate(dom))
VKD_DOMAIN_VOID(vkdDispatchShutdown, virDomainShutdown(dom))
VKD_DOMAIN_FLAGS_VOID(vkdDispatchShutdownFlags, virDomainShutdownFlags(dom, flags))
VKD_DOMAIN_FLAGS_VOID(vkdDispatchReboot, virDomainReboot(dom, flags))
VKD_DOMAIN_FLAGS_VOID(vkdDispatchReset, virDomainReset(dom, flags))
VKD_DOMAIN_VOID(vkdDispatchDestroy, virDomainDestroy(dom))
VKD_DOMAIN_FLAGS_VOID(vkdDispatchDestroyFlags, virDomainDestroyFlags(dom, flags))
VKD_DOMAIN_VOID(vkdDispatchSuspend, virDomainSuspend(dom))
VKD_DOMAIN_VOID(vkdDispatchResume, virDomainResume(dom))

VKD_HANDLER(vkdDispatchCreateWithFlags)
{
    remote_domain_flags_args *a = args;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);

    if (virDomainCreateWithFlags(dom, a->flags) < 0)
        return -1;
    /* The reply carries the new id: read it back from the driver. */
    return vkdRetDomain(ret, virDomainLookupByUUID(call->conn, a->dom.uuid));
}

VKD_HANDLER(vkdDispatchSetAutostart)
{
    remote_domain_set_autostart_args *a = args;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);

    return virDomainSetAutostart(dom, a->autostart);
}

/* ---- queries ------------------------------------------------------------ */

VKD_HANDLER(vkdDispatchGetInfo)
{
    remote_domain_args *a = args;
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

VKD_HANDLER(vkdDispatchGetState)
{
    remote_domain_flags_args *a = args;
    remote_domain_get_state_ret *r = ret;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);
    int state = 0, reason = 0;

    if (virDomainGetState(dom, &state, &reason, a->flags) < 0)
        return -1;
    r->state = state;
    r->reason = reason;
    return 0;
}

VKD_HANDLER(vkdDispatchGetXMLDesc)
{
    remote_domain_flags_args *a = args;
    remote_string_msg *r = ret;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);

    return (r->value = virDomainGetXMLDesc(dom, a->flags)) ? 0 : -1;
}

VKD_HANDLER(vkdDispatchGetAutostart)
{
    remote_domain_args *a = args;
    remote_int_msg *r = ret;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);
    int autostart = 0;

    if (virDomainGetAutostart(dom, &autostart) < 0)
        return -1;
    r->value = autostart;
    return 0;
}

/* { dom } -> int, where the API returns the int or -1. */
#define VKD_DOMAIN_INT(handler, apicall) \
    VKD_HANDLER(handler) \
    { \
        remote_domain_args *a = args; \
        remote_int_msg *r = ret; \
        g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom); \
        return (r->value = apicall) < 0 ? -1 : 0; \
    }

VKD_DOMAIN_INT(vkdDispatchIsActive, virDomainIsActive(dom))
VKD_DOMAIN_INT(vkdDispatchIsPersistent, virDomainIsPersistent(dom))
VKD_DOMAIN_INT(vkdDispatchIsUpdated, virDomainIsUpdated(dom))

VKD_HANDLER(vkdDispatchHasManagedSaveImage)
{
    remote_domain_flags_args *a = args;
    remote_int_msg *r = ret;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);

    return (r->value = virDomainHasManagedSaveImage(dom, a->flags)) < 0 ? -1 : 0;
}

VKD_HANDLER(vkdDispatchGetVcpusFlags)
{
    remote_domain_flags_args *a = args;
    remote_int_msg *r = ret;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);

    return (r->value = virDomainGetVcpusFlags(dom, a->flags)) < 0 ? -1 : 0;
}

VKD_HANDLER(vkdDispatchGetOSType)
{
    remote_domain_args *a = args;
    remote_string_msg *r = ret;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);

    return (r->value = virDomainGetOSType(dom)) ? 0 : -1;
}

VKD_HANDLER(vkdDispatchGetMaxMemory)
{
    remote_domain_args *a = args;
    remote_uhyper_ret *r = ret;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);

    return (r->value = virDomainGetMaxMemory(dom)) == 0 ? -1 : 0;
}

VKD_HANDLER(vkdDispatchGetSecurityLabel)
{
    remote_domain_args *a = args;
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
