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
remoteConnectNumOfDomains(virConnectPtr conn)
{
    return remoteConnectInt(conn, REMOTE_PROC_CONNECT_NUM_OF_DOMAINS);
}

int
remoteConnectNumOfDefinedDomains(virConnectPtr conn)
{
    return remoteConnectInt(conn, REMOTE_PROC_CONNECT_NUM_OF_DEFINED_DOMAINS);
}

int
remoteConnectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    remote_int_msg args = { .value = maxids };
    remote_connect_list_domains_ret ret = { 0 };
    int n;

    if (maxids > REMOTE_DOMAIN_LIST_MAX) {
        virReportError(VIR_ERR_RPC, "Too many domain IDs '%d' for limit '%d'",
                       maxids, REMOTE_DOMAIN_LIST_MAX);
        return -1;
    }
    if (remoteCall(conn, REMOTE_PROC_CONNECT_LIST_DOMAINS, remote_int_msg_filter, &args,
                   remote_connect_list_domains_ret_filter, &ret) < 0)
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
    remote_int_msg args = { .value = maxnames };
    remote_connect_list_defined_domains_ret ret = { 0 };
    uint32_t i;
    int n;

    if (maxnames > REMOTE_DOMAIN_LIST_MAX) {
        virReportError(VIR_ERR_RPC, "Too many domain names '%d' for limit '%d'",
                       maxnames, REMOTE_DOMAIN_LIST_MAX);
        return -1;
    }
    if (remoteCall(conn, REMOTE_PROC_CONNECT_LIST_DEFINED_DOMAINS, remote_int_msg_filter,
                   &args, remote_connect_list_defined_domains_ret_filter, &ret) < 0)
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
        .need_results = domains != NULL, .flags = flags,
    };
    remote_connect_list_all_domains_ret ret = { 0 };
    int n;

    if (remoteCall(conn, REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS,
                   remote_connect_list_all_domains_args_filter, &args,
                   remote_connect_list_all_domains_ret_filter, &ret) < 0)
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

static virDomainPtr
remoteDomainFromRet(virConnectPtr conn, int rc, remote_domain_ret *ret)
{
    virDomainPtr dom;

    if (rc < 0)
        return NULL;
    dom = remoteGetDomain(conn, &ret->dom);
    virXdrFree(remote_domain_ret_filter, ret);
    return dom;
}

virDomainPtr
remoteDomainLookupByID(virConnectPtr conn, int id)
{
    remote_int_msg args = { .value = id };
    remote_domain_ret ret = { 0 };

    return remoteDomainFromRet(conn, remoteCall(conn, REMOTE_PROC_DOMAIN_LOOKUP_BY_ID,
                                                remote_int_msg_filter, &args,
                                                remote_domain_ret_filter, &ret), &ret);
}

virDomainPtr
remoteDomainLookupByName(virConnectPtr conn, const char *name)
{
    remote_string_msg args = { .value = (char *)name };
    remote_domain_ret ret = { 0 };

    return remoteDomainFromRet(conn, remoteCall(conn, REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME,
                                                remote_string_msg_filter, &args,
                                                remote_domain_ret_filter, &ret), &ret);
}

virDomainPtr
remoteDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    remote_domain_lookup_by_uuid_args args;
    remote_domain_ret ret = { 0 };

    memcpy(args.uuid, uuid, VIR_UUID_BUFLEN);
    return remoteDomainFromRet(conn, remoteCall(conn, REMOTE_PROC_DOMAIN_LOOKUP_BY_UUID,
                                                remote_domain_lookup_by_uuid_args_filter,
                                                &args, remote_domain_ret_filter, &ret),
                               &ret);
}

virDomainPtr
remoteDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    remote_domain_ret ret = { 0 };
    int rc;

    /* virDomainDefineXML (no flags) uses the original procedure, as
     * libvirt's client does (virsh define sends 11). */
    if (flags == 0) {
        remote_string_msg args = { .value = (char *)xml };
        rc = remoteCall(conn, REMOTE_PROC_DOMAIN_DEFINE_XML, remote_string_msg_filter,
                        &args, remote_domain_ret_filter, &ret);
    } else {
        remote_domain_xml_flags_args args = { .xml = (char *)xml, .flags = flags };
        rc = remoteCall(conn, REMOTE_PROC_DOMAIN_DEFINE_XML_FLAGS,
                        remote_domain_xml_flags_args_filter, &args,
                        remote_domain_ret_filter, &ret);
    }
    return remoteDomainFromRet(conn, rc, &ret);
}

virDomainPtr
remoteDomainCreateXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    remote_domain_xml_flags_args args = { .xml = (char *)xml, .flags = flags };
    remote_domain_ret ret = { 0 };

    return remoteDomainFromRet(conn, remoteCall(conn, REMOTE_PROC_DOMAIN_CREATE_XML,
                                                remote_domain_xml_flags_args_filter,
                                                &args, remote_domain_ret_filter, &ret),
                               &ret);
}

int
remoteDomainUndefineFlags(virDomainPtr dom, unsigned int flags)
{
    return remoteDomainFlagsVoid(dom, REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS, flags);
}

int
remoteDomainCreateWithFlags(virDomainPtr dom, unsigned int flags)
{
    if (flags == 0) {
        /* virDomainCreate: DOMAIN_CREATE returns nothing, so learn the new
         * id with a lookup by UUID, as libvirt's client does. */
        virDomainPtr fresh;

        if (remoteDomainVoid(dom, REMOTE_PROC_DOMAIN_CREATE) < 0)
            return -1;
        if (!(fresh = remoteDomainLookupByUUID(dom->conn, dom->uuid)))
            return -1;
        dom->id = fresh->id;
        virObjectUnrefDomain(fresh);
        return 0;
    } else {
        remote_domain_flags_args args;
        remote_domain_ret ret = { 0 };

        remoteMakeDomain(&args.dom, dom);
        args.flags = flags;
        if (remoteCall(dom->conn, REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS,
                       remote_domain_flags_args_filter, &args,
                       remote_domain_ret_filter, &ret) < 0)
            return -1;
        dom->id = ret.dom.id;
        virXdrFree(remote_domain_ret_filter, &ret);
        return 0;
    }
}

int
remoteDomainShutdownFlags(virDomainPtr dom, unsigned int flags)
{
    if (flags == 0)
        return remoteDomainVoid(dom, REMOTE_PROC_DOMAIN_SHUTDOWN);
    return remoteDomainFlagsVoid(dom, REMOTE_PROC_DOMAIN_SHUTDOWN_FLAGS, flags);
}

int
remoteDomainReboot(virDomainPtr dom, unsigned int flags)
{
    return remoteDomainFlagsVoid(dom, REMOTE_PROC_DOMAIN_REBOOT, flags);
}

int
remoteDomainReset(virDomainPtr dom, unsigned int flags)
{
    return remoteDomainFlagsVoid(dom, REMOTE_PROC_DOMAIN_RESET, flags);
}

int
remoteDomainDestroyFlags(virDomainPtr dom, unsigned int flags)
{
    int rc;

    if (flags == 0)
        rc = remoteDomainVoid(dom, REMOTE_PROC_DOMAIN_DESTROY);
    else
        rc = remoteDomainFlagsVoid(dom, REMOTE_PROC_DOMAIN_DESTROY_FLAGS, flags);
    if (rc == 0)
        dom->id = -1;
    return rc;
}

int
remoteDomainSuspend(virDomainPtr dom)
{
    return remoteDomainVoid(dom, REMOTE_PROC_DOMAIN_SUSPEND);
}

int
remoteDomainResume(virDomainPtr dom)
{
    return remoteDomainVoid(dom, REMOTE_PROC_DOMAIN_RESUME);
}

int
remoteDomainGetState(virDomainPtr dom, int *state, int *reason, unsigned int flags)
{
    remote_domain_flags_args args;
    remote_domain_get_state_ret ret = { 0 };

    remoteMakeDomain(&args.dom, dom);
    args.flags = flags;
    if (remoteCall(dom->conn, REMOTE_PROC_DOMAIN_GET_STATE, remote_domain_flags_args_filter,
                   &args, remote_domain_get_state_ret_filter, &ret) < 0)
        return -1;
    *state = ret.state;
    if (reason)
        *reason = ret.reason;
    return 0;
}

int
remoteDomainGetInfo(virDomainPtr dom, virDomainInfoPtr info)
{
    remote_domain_args args;
    remote_domain_get_info_ret ret = { 0 };

    remoteMakeDomain(&args.dom, dom);
    if (remoteCall(dom->conn, REMOTE_PROC_DOMAIN_GET_INFO, remote_domain_args_filter,
                   &args, remote_domain_get_info_ret_filter, &ret) < 0)
        return -1;
    info->state = ret.state;
    info->maxMem = ret.maxMem;
    info->memory = ret.memory;
    info->nrVirtCpu = ret.nrVirtCpu;
    info->cpuTime = ret.cpuTime;
    return 0;
}

char *
remoteDomainGetXMLDesc(virDomainPtr dom, unsigned int flags)
{
    remote_domain_flags_args args;
    remote_string_msg ret = { 0 };

    remoteMakeDomain(&args.dom, dom);
    args.flags = flags;
    if (remoteCall(dom->conn, REMOTE_PROC_DOMAIN_GET_XML_DESC,
                   remote_domain_flags_args_filter, &args,
                   remote_string_msg_filter, &ret) < 0)
        return NULL;
    return ret.value;
}

char *
remoteDomainGetOSType(virDomainPtr dom)
{
    remote_domain_args args;
    remote_string_msg ret = { 0 };

    remoteMakeDomain(&args.dom, dom);
    if (remoteCall(dom->conn, REMOTE_PROC_DOMAIN_GET_OS_TYPE, remote_domain_args_filter,
                   &args, remote_string_msg_filter, &ret) < 0)
        return NULL;
    return ret.value;
}

unsigned long long
remoteDomainGetMaxMemory(virDomainPtr dom)
{
    remote_domain_args args;
    remote_uhyper_ret ret = { 0 };

    remoteMakeDomain(&args.dom, dom);
    if (remoteCall(dom->conn, REMOTE_PROC_DOMAIN_GET_MAX_MEMORY, remote_domain_args_filter,
                   &args, remote_uhyper_ret_filter, &ret) < 0)
        return 0;
    return ret.value;
}

int
remoteDomainGetVcpusFlags(virDomainPtr dom, unsigned int flags)
{
    return remoteDomainFlagsInt(dom, REMOTE_PROC_DOMAIN_GET_VCPUS_FLAGS, flags);
}

int
remoteDomainIsActive(virDomainPtr dom)
{
    return remoteDomainInt(dom, REMOTE_PROC_DOMAIN_IS_ACTIVE);
}

int
remoteDomainIsPersistent(virDomainPtr dom)
{
    return remoteDomainInt(dom, REMOTE_PROC_DOMAIN_IS_PERSISTENT);
}

int
remoteDomainIsUpdated(virDomainPtr dom)
{
    return remoteDomainInt(dom, REMOTE_PROC_DOMAIN_IS_UPDATED);
}

int
remoteDomainGetAutostart(virDomainPtr dom, int *autostart)
{
    int ret = remoteDomainInt(dom, REMOTE_PROC_DOMAIN_GET_AUTOSTART);

    if (ret < 0)
        return -1;
    *autostart = ret;
    return 0;
}

int
remoteDomainSetAutostart(virDomainPtr dom, int autostart)
{
    remote_domain_set_autostart_args args;

    remoteMakeDomain(&args.dom, dom);
    args.autostart = autostart;
    return remoteCall(dom->conn, REMOTE_PROC_DOMAIN_SET_AUTOSTART,
                      remote_domain_set_autostart_args_filter, &args, NULL, NULL);
}

int
remoteDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags)
{
    return remoteDomainFlagsInt(dom, REMOTE_PROC_DOMAIN_HAS_MANAGED_SAVE_IMAGE, flags);
}

int
remoteDomainGetSecurityLabel(virDomainPtr dom, virSecurityLabelPtr seclabel)
{
    remote_domain_args args;
    remote_domain_get_security_label_ret ret = { 0 };
    int rc = 0;

    remoteMakeDomain(&args.dom, dom);
    if (remoteCall(dom->conn, REMOTE_PROC_DOMAIN_GET_SECURITY_LABEL,
                   remote_domain_args_filter, &args,
                   remote_domain_get_security_label_ret_filter, &ret) < 0)
        return -1;
    if (remoteCopyChars(seclabel->label, sizeof(seclabel->label), ret.label_val,
                        ret.label_len, "security label") < 0)
        rc = -1;
    seclabel->enforcing = ret.enforcing;
    virXdrFree(remote_domain_get_security_label_ret_filter, &ret);
    return rc;
}
