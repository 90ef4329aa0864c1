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

/* Every reply carrying one domain is { remote_nonnull_domain dom }
 * (remote_domain_lookup_by_name_ret and its siblings): @ret points at it. */
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
    remote_connect_num_of_domains_ret *r = ret;

    return (r->num = virConnectNumOfDomains(call->conn)) < 0 ? -1 : 0;
}

VKD_HANDLER(vkdDispatchNumOfDefinedDomains)
{
    remote_connect_num_of_defined_domains_ret *r = ret;

    return (r->num = virConnectNumOfDefinedDomains(call->conn)) < 0 ? -1 : 0;
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
    r->names_val = names;       /* n strings, owned by the reply now */
    return 0;
}

/* ---- lookup ------------------------------------------------------------ */

VKD_HANDLER(vkdDispatchLookupByName)
{
    remote_domain_lookup_by_name_args *a = args;
    remote_domain_lookup_by_name_ret *r = ret;

    return vkdRetDomain(&r->dom, virDomainLookupByName(call->conn, a->name));
}

VKD_HANDLER(vkdDispatchLookupByUUID)
{
    remote_domain_lookup_by_uuid_args *a = args;
    remote_domain_lookup_by_uuid_ret *r = ret;

    return vkdRetDomain(&r->dom, virDomainLookupByUUID(call->conn, a->uuid));
}

VKD_HANDLER(vkdDispatchLookupByID)
{
    remote_domain_lookup_by_id_args *a = args;
    remote_domain_lookup_by_id_ret *r = ret;

    return vkdRetDomain(&r->dom, virDomainLookupByID(call->conn, a->id));
}

/* ---- definitions and lifecycle ---------------------------------------- */

VKD_HANDLER(vkdDispatchDefineXML)
{
    remote_domain_define_xml_args *a = args;
    remote_domain_define_xml_ret *r = ret;

    return vkdRetDomain(&r->dom, virDomainDefineXML(call->conn, a->xml));
}

VKD_HANDLER(vkdDispatchDefineXMLFlags)
{
    remote_domain_define_xml_flags_args *a = args;
    remote_domain_define_xml_flags_ret *r = ret;

    return vkdRetDomain(&r->dom, virDomainDefineXMLFlags(call->conn, a->xml, a->flags));
}

VKD_HANDLER(vkdDispatchCreateXML)
{
    remote_domain_create_xml_args *a = args;
    remote_domain_create_xml_ret *r = ret;

    return vkdRetDomain(&r->dom, virDomainCreateXML(call->conn, a->xml_desc, a->flags));
}

/* Procedures taking { dom } and returning void: one API call each. */
#define VKD_DOMAIN_VOID(handler, argstype, apicall) \
    VKD_HANDLER(handler) \
    { \
        argstype *a = args; \
        g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom); \
        return apicall; \
    }

/* { dom; flags } -> void */
#define VKD_DOMAIN_FLAGS_VOID(handler, argstype, apicall) \
    VKD_HANDLER(handler) \
    { \
        argstype *a = args; \
        g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom); \
        unsigned int flags = a->flags; \
        return apicall; \
    }

VKD_DOMAIN_VOID(vkdDispatchUndefine, remote_domain_undefine_args, virDomainUndefine(dom))
VKD_DOMAIN_FLAGS_VOID(vkdDispatchUndefineFlags, remote_domain_undefine_flags_args,
                      virDomainUndefineFlags(dom, flags))
VKD_DOMAIN_VOID(vkdDispatchCreate, remote_domain_create_args, virDomainCreate(dom))
VKD_DOMAIN_VOID(vkdDispatchShutdown, remote_domain_shutdown_args, virDomainShutdown(dom))
VKD_DOMAIN_FLAGS_VOID(vkdDispatchShutdownFlags, remote_domain_shutdown_flags_args,
                      virDomainShutdownFlags(dom, flags))
VKD_DOMAIN_FLAGS_VOID(vkdDispatchReboot, remote_domain_reboot_args, virDomainReboot(dom, flags))
VKD_DOMAIN_FLAGS_VOID(vkdDispatchReset, remote_domain_reset_args, virDomainReset(dom, flags))
VKD_DOMAIN_VOID(vkdDispatchDestroy, remote_domain_destroy_args, virDomainDestroy(dom))
VKD_DOMAIN_FLAGS_VOID(vkdDispatchDestroyFlags, remote_domain_destroy_flags_args,
                      virDomainDestroyFlags(dom, flags))
VKD_DOMAIN_VOID(vkdDispatchSuspend, remote_domain_suspend_args, virDomainSuspend(dom))
VKD_DOMAIN_VOID(vkdDispatchResume, remote_domain_resume_args, virDomainResume(dom))

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

VKD_HANDLER(vkdDispatchSetAutostart)
{
    remote_domain_set_autostart_args *a = args;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);

    return virDomainSetAutostart(dom, a->autostart);
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

VKD_HANDLER(vkdDispatchGetState)
{
    remote_domain_get_state_args *a = args;
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
    remote_domain_get_xml_desc_args *a = args;
    remote_domain_get_xml_desc_ret *r = ret;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);

    return (r->xml = virDomainGetXMLDesc(dom, a->flags)) ? 0 : -1;
}

VKD_HANDLER(vkdDispatchGetAutostart)
{
    remote_domain_get_autostart_args *a = args;
    remote_domain_get_autostart_ret *r = ret;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);
    int autostart = 0;

    if (virDomainGetAutostart(dom, &autostart) < 0)
        return -1;
    r->autostart = autostart;
    return 0;
}

/* { dom } -> int, where the API returns the int or -1. */
#define VKD_DOMAIN_INT(handler, prefix, field, apicall) \
    VKD_HANDLER(handler) \
    { \
        prefix##_args *a = args; \
        prefix##_ret *r = ret; \
        g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom); \
        return (r->field = apicall) < 0 ? -1 : 0; \
    }

VKD_DOMAIN_INT(vkdDispatchIsActive, remote_domain_is_active, active, virDomainIsActive(dom))
VKD_DOMAIN_INT(vkdDispatchIsPersistent, remote_domain_is_persistent, persistent,
               virDomainIsPersistent(dom))
VKD_DOMAIN_INT(vkdDispatchIsUpdated, remote_domain_is_updated, updated,
               virDomainIsUpdated(dom))

VKD_HANDLER(vkdDispatchHasManagedSaveImage)
{
    remote_domain_has_managed_save_image_args *a = args;
    remote_domain_has_managed_save_image_ret *r = ret;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);

    return (r->result = virDomainHasManagedSaveImage(dom, a->flags)) < 0 ? -1 : 0;
}

VKD_HANDLER(vkdDispatchGetVcpusFlags)
{
    remote_domain_get_vcpus_flags_args *a = args;
    remote_domain_get_vcpus_flags_ret *r = ret;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);

    return (r->num = virDomainGetVcpusFlags(dom, a->flags)) < 0 ? -1 : 0;
}

VKD_HANDLER(vkdDispatchGetOSType)
{
    remote_domain_get_os_type_args *a = args;
    remote_domain_get_os_type_ret *r = ret;
    g_autoptr(virDomain) dom = vkdArgDomain(call, &a->dom);

    return (r->type = virDomainGetOSType(dom)) ? 0 : -1;
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
