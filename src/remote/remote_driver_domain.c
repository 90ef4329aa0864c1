/* remote_driver_domain.c: remote driver entry points for listing and domains */
/*
 * Threads: each entry point is one or two blocking calls from the API
 * thread (see remote_driver.c for the connection's thread protocol).
 */
#define G_LOG_DOMAIN "virtkit.remote"
#include <string.h>

#include "remote_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

/* ---- listing --------------------------------------------------------------------- */

int
remoteConnectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    remote_connect_list_domains_args args = { .maxids = maxids };
    remote_connect_list_domains_ret ret = { 0 };
    int n;

    if (maxids > REMOTE_DOMAIN_LIST_MAX) {
        virReportError(VIR_ERR_RPC, "Too many domain IDs '%d' for limit '%d'", maxids,
                       REMOTE_DOMAIN_LIST_MAX);
        return -1;
    }
    if (remoteCallConnectListDomains(conn, &args, &ret) < 0)
        return -1;
    if (ret.ids_len > (uint32_t)maxids) {
        virReportError(VIR_ERR_RPC, "Too many domain IDs '%u' for limit '%d'",
                       ret.ids_len, maxids);
        virXdrFree(remote_connect_list_domains_ret_filter, &ret);
        return -1;
    }
    if (ret.ids_len)
        memcpy(ids, ret.ids_val, ret.ids_len * sizeof(int));
    n = ret.ids_len;
    virXdrFree(remote_connect_list_domains_ret_filter, &ret);
    return n;
}

int
remoteConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    remote_connect_list_defined_domains_args args = { .maxnames = maxnames };
    remote_connect_list_defined_domains_ret ret = { 0 };
    uint32_t i;
    int n;

    if (maxnames > REMOTE_DOMAIN_LIST_MAX) {
        virReportError(VIR_ERR_RPC, "Too many domain names '%d' for limit '%d'", maxnames,
                       REMOTE_DOMAIN_LIST_MAX);
        return -1;
    }
    if (remoteCallConnectListDefinedDomains(conn, &args, &ret) < 0)
        return -1;
    if (ret.names_len > (uint32_t)maxnames) {
        virReportError(VIR_ERR_RPC, "Too many domain names '%u' for limit '%d'",
                       ret.names_len, maxnames);
        virXdrFree(remote_connect_list_defined_domains_ret_filter, &ret);
        return -1;
    }
    for (i = 0; i < ret.names_len; i++)
        names[i] = g_steal_pointer(&ret.names_val[i]);
    n = ret.names_len;
    virXdrFree(remote_connect_list_defined_domains_ret_filter, &ret);
    return n;
}

int
remoteConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains,
                            unsigned int flags)
{
    remote_connect_list_all_domains_args args = {
        .need_results = domains != NULL,
        .flags = flags,
    };
    remote_connect_list_all_domains_ret ret = { 0 };
    int n;

    if (remoteCallConnectListAllDomains(conn, &args, &ret) < 0)
        return -1;
    if (domains) {
        virDomainPtr *doms = g_new0(virDomainPtr, ret.domains_len + 1);
        uint32_t i;

        for (i = 0; i < ret.domains_len; i++)
            doms[i] = remoteGetDomain(conn, &ret.domains_val[i]);
        *domains = doms;
    }
    n = ret.ret;
    virXdrFree(remote_connect_list_all_domains_ret_filter, &ret);
    return n;
}

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

int
remoteDomainGetInfo(virDomainPtr dom, virDomainInfoPtr info)
{
    remote_domain_get_info_args args;
    remote_domain_get_info_ret ret = { 0 };

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetInfo(dom->conn, &args, &ret) < 0)
        return -1;
    info->state = ret.state;
    info->maxMem = ret.maxMem;
    info->memory = ret.memory;
    info->nrVirtCpu = ret.nrVirtCpu;
    info->cpuTime = ret.cpuTime;
    return 0;
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
