/* libvirt-domain.c: public entry points for listing, looking up and driving domains */
#define G_LOG_DOMAIN "virtkit.api"

#include <string.h>

#include "libvirt_internal.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN


/* ---- Listing ----------------------------------------------------------- */

int
virConnectNumOfDomains(virConnectPtr conn)
{
    int ret;

    virResetLastError();
    virCheckConnectReturn(conn, -1);

    if (conn->driver->connectNumOfDomains) {
        if ((ret = conn->driver->connectNumOfDomains(conn)) < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}


int
virConnectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    int ret;

    virResetLastError();
    virCheckConnectReturn(conn, -1);
    virCheckNonNullArrayArgGoto(ids, maxids, error);
    virCheckNonNegativeArgGoto(maxids, error);

    if (conn->driver->connectListDomains) {
        if ((ret = conn->driver->connectListDomains(conn, ids, maxids)) < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}


int
virConnectNumOfDefinedDomains(virConnectPtr conn)
{
    int ret;

    virResetLastError();
    virCheckConnectReturn(conn, -1);

    if (conn->driver->connectNumOfDefinedDomains) {
        if ((ret = conn->driver->connectNumOfDefinedDomains(conn)) < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}


int
virConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    int ret;

    virResetLastError();
    virCheckConnectReturn(conn, -1);
    virCheckNonNullArrayArgGoto(names, maxnames, error);
    virCheckNonNegativeArgGoto(maxnames, error);

    if (conn->driver->connectListDefinedDomains) {
        if ((ret = conn->driver->connectListDefinedDomains(conn, names, maxnames)) < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}


int
virConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    int ret;

    virResetLastError();
    if (domains)
        *domains = NULL;
    virCheckConnectReturn(conn, -1);

    if (conn->driver->connectListAllDomains) {
        if ((ret = conn->driver->connectListAllDomains(conn, domains, flags)) < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}


/* ---- Lookups and creation (they return a new handle) ------------------- */

virDomainPtr
virDomainLookupByID(virConnectPtr conn, int id)
{
    virDomainPtr ret;

    virResetLastError();
    virCheckConnectReturn(conn, NULL);
    virCheckNonNegativeArgGoto(id, error);

    if (conn->driver->domainLookupByID) {
        if (!(ret = conn->driver->domainLookupByID(conn, id)))
            goto error;
        return ret;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return NULL;
}


virDomainPtr
virDomainLookupByName(virConnectPtr conn, const char *name)
{
    virDomainPtr ret;

    virResetLastError();
    virCheckConnectReturn(conn, NULL);
    virCheckNonNullArgGoto(name, error);

    if (conn->driver->domainLookupByName) {
        if (!(ret = conn->driver->domainLookupByName(conn, name)))
            goto error;
        return ret;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return NULL;
}


virDomainPtr
virDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    virDomainPtr ret;

    virResetLastError();
    virCheckConnectReturn(conn, NULL);
    virCheckNonNullArgGoto(uuid, error);

    if (conn->driver->domainLookupByUUID) {
        if (!(ret = conn->driver->domainLookupByUUID(conn, uuid)))
            goto error;
        return ret;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return NULL;
}


virDomainPtr
virDomainLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];
    virDomainPtr ret;

    virResetLastError();
    virCheckConnectReturn(conn, NULL);
    virCheckNonNullArgGoto(uuidstr, error);

    if (virUUIDParse(uuidstr, uuid) < 0) {
        /* libvirt 9.0's wording */
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "uuidstr", "%s", "Invalid UUID");
        goto error;
    }

    if (conn->driver->domainLookupByUUID) {
        if (!(ret = conn->driver->domainLookupByUUID(conn, uuid)))
            goto error;
        return ret;
    }
    virReportError(VIR_ERR_NO_SUPPORT, "%s", "virDomainLookupByUUID");
 error:
    virDispatchError(conn);
    return NULL;
}


static virDomainPtr
virDomainDefineXMLInternal(virConnectPtr conn, const char *xml, unsigned int flags,
                           const char *funcname)
{
    virDomainPtr ret;

    if (conn->flags & VIR_CONNECT_RO) {
        virReportError(VIR_ERR_OPERATION_DENIED, "read only access prevents %s", funcname);
        goto error;
    }
    if (!xml) {
        virAPIReportInvalidArg(VIR_FROM_THIS, funcname, "xml",
                               "xml in %s must not be NULL", funcname);
        goto error;
    }

    if (conn->driver->domainDefineXMLFlags) {
        if (!(ret = conn->driver->domainDefineXMLFlags(conn, xml, flags)))
            goto error;
        return ret;
    }
    virReportError(VIR_ERR_NO_SUPPORT, "%s", funcname);
 error:
    virDispatchError(conn);
    return NULL;
}


virDomainPtr
virDomainDefineXML(virConnectPtr conn, const char *xml)
{
    virResetLastError();
    virCheckConnectReturn(conn, NULL);
    return virDomainDefineXMLInternal(conn, xml, 0, __func__);
}


virDomainPtr
virDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    virResetLastError();
    virCheckConnectReturn(conn, NULL);
    return virDomainDefineXMLInternal(conn, xml, flags, __func__);
}


virDomainPtr
virDomainCreateXML(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    virDomainPtr ret;

    virResetLastError();
    virCheckConnectReturn(conn, NULL);
    virCheckNonNullArgGoto(xmlDesc, error);
    virCheckReadOnlyGoto(conn, error);

    if (conn->driver->domainCreateXML) {
        if (!(ret = conn->driver->domainCreateXML(conn, xmlDesc, flags)))
            goto error;
        return ret;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return NULL;
}


virDomainPtr
virDomainCreateLinux(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    /* deprecated alias; libvirt reports its errors as virDomainCreateXML */
    return virDomainCreateXML(conn, xmlDesc, flags);
}


/* ---- State changes ----------------------------------------------------- */

/*
 * The mutating calls on a domain share one shape: check the handle, refuse
 * read-only connections, dispatch. @funcname names the public function in
 * errors (virDomainDestroy and virDomainDestroyFlags share a slot).
 */
typedef int (*virDomainFlagsSlot)(virDomainPtr dom, unsigned int flags);

static int
virDomainMutate(virDomainPtr domain, virDomainFlagsSlot slot, unsigned int flags,
                const char *funcname)
{
    virConnectPtr conn = domain->conn;

    if (conn->flags & VIR_CONNECT_RO) {
        virReportError(VIR_ERR_OPERATION_DENIED, "read only access prevents %s", funcname);
        goto error;
    }
    if (!slot) {
        virReportError(VIR_ERR_NO_SUPPORT, "%s", funcname);
        goto error;
    }
    if (slot(domain, flags) < 0)
        goto error;
    return 0;

 error:
    virDispatchError(conn);
    return -1;
}


int
virDomainUndefine(virDomainPtr domain)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain, domain->conn->driver->domainUndefineFlags, 0, __func__);
}


int
virDomainUndefineFlags(virDomainPtr domain, unsigned int flags)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain, domain->conn->driver->domainUndefineFlags, flags,
                           __func__);
}


int
virDomainCreate(virDomainPtr domain)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain, domain->conn->driver->domainCreateWithFlags, 0,
                           __func__);
}


int
virDomainCreateWithFlags(virDomainPtr domain, unsigned int flags)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain, domain->conn->driver->domainCreateWithFlags, flags,
                           __func__);
}


int
virDomainShutdown(virDomainPtr domain)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain, domain->conn->driver->domainShutdownFlags, 0,
                           __func__);
}


int
virDomainShutdownFlags(virDomainPtr domain, unsigned int flags)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain, domain->conn->driver->domainShutdownFlags, flags,
                           __func__);
}


int
virDomainReboot(virDomainPtr domain, unsigned int flags)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain, domain->conn->driver->domainReboot, flags, __func__);
}


int
virDomainReset(virDomainPtr domain, unsigned int flags)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain, domain->conn->driver->domainReset, flags, __func__);
}


int
virDomainDestroy(virDomainPtr domain)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain, domain->conn->driver->domainDestroyFlags, 0, __func__);
}


int
virDomainDestroyFlags(virDomainPtr domain, unsigned int flags)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain, domain->conn->driver->domainDestroyFlags, flags,
                           __func__);
}


/* Suspend and resume take no flags; adapt them to virDomainMutate. */
static int
virDomainSuspendSlot(virDomainPtr domain, unsigned int flags)
{
    return domain->conn->driver->domainSuspend(domain);
}


static int
virDomainResumeSlot(virDomainPtr domain, unsigned int flags)
{
    return domain->conn->driver->domainResume(domain);
}


int
virDomainSuspend(virDomainPtr domain)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain,
                           domain->conn->driver->domainSuspend ? virDomainSuspendSlot : NULL,
                           0, __func__);
}


int
virDomainResume(virDomainPtr domain)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain,
                           domain->conn->driver->domainResume ? virDomainResumeSlot : NULL,
                           0, __func__);
}


int
virDomainSetAutostart(virDomainPtr domain, int autostart)
{
    virConnectPtr conn;

    virResetLastError();
    virCheckDomainReturn(domain, -1);
    conn = domain->conn;
    virCheckReadOnlyGoto(conn, error);

    if (conn->driver->domainSetAutostart) {
        if (conn->driver->domainSetAutostart(domain, autostart) < 0)
            goto error;
        return 0;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}


/* ---- Queries ----------------------------------------------------------- */

int
virDomainGetState(virDomainPtr domain, int *state, int *reason, unsigned int flags)
{
    virConnectPtr conn;

    virResetLastError();
    virCheckDomainReturn(domain, -1);
    conn = domain->conn;
    virCheckNonNullArgGoto(state, error);

    if (conn->driver->domainGetState) {
        int st = 0;
        int rs = 0;

        if (conn->driver->domainGetState(domain, &st, &rs, flags) < 0)
            goto error;
        *state = st;
        if (reason)
            *reason = rs;
        return 0;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}


int
virDomainGetInfo(virDomainPtr domain, virDomainInfoPtr info)
{
    virConnectPtr conn;

    virResetLastError();
    virCheckDomainReturn(domain, -1);
    conn = domain->conn;
    virCheckNonNullArgGoto(info, error);

    if (conn->driver->domainGetInfo) {
        virDomainInfo tmp;

        memset(&tmp, 0, sizeof(tmp));
        if (conn->driver->domainGetInfo(domain, &tmp) < 0)
            goto error;
        *info = tmp;
        return 0;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}


char *
virDomainGetXMLDesc(virDomainPtr domain, unsigned int flags)
{
    virConnectPtr conn;
    char *ret;

    virResetLastError();
    virCheckDomainReturn(domain, NULL);
    conn = domain->conn;

    if ((conn->flags & VIR_CONNECT_RO) && (flags & VIR_DOMAIN_XML_SECURE)) {
        virReportError(VIR_ERR_OPERATION_DENIED, "%s",
                       "virDomainGetXMLDesc with secure flag");
        goto error;
    }

    if (conn->driver->domainGetXMLDesc) {
        if (!(ret = conn->driver->domainGetXMLDesc(domain, flags)))
            goto error;
        return ret;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return NULL;
}


const char *
virDomainGetName(virDomainPtr domain)
{
    virResetLastError();
    virCheckDomainReturn(domain, NULL);
    return domain->name;
}


unsigned int
virDomainGetID(virDomainPtr domain)
{
    virResetLastError();
    virCheckDomainReturn(domain, (unsigned int)-1);
    return (unsigned int)domain->id;
}


int
virDomainGetUUID(virDomainPtr domain, unsigned char *uuid)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    virCheckNonNullArgGoto(uuid, error);

    memcpy(uuid, domain->uuid, VIR_UUID_BUFLEN);
    return 0;

 error:
    virDispatchError(domain->conn);
    return -1;
}


int
virDomainGetUUIDString(virDomainPtr domain, char *buf)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    virCheckNonNullArgGoto(buf, error);

    virUUIDFormat(domain->uuid, buf);
    return 0;

 error:
    virDispatchError(domain->conn);
    return -1;
}


char *
virDomainGetOSType(virDomainPtr domain)
{
    virConnectPtr conn;
    char *ret;

    virResetLastError();
    virCheckDomainReturn(domain, NULL);
    conn = domain->conn;

    if (conn->driver->domainGetOSType) {
        if (!(ret = conn->driver->domainGetOSType(domain)))
            goto error;
        return ret;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return NULL;
}


unsigned long
virDomainGetMaxMemory(virDomainPtr domain)
{
    virConnectPtr conn;
    unsigned long long ret;

    virResetLastError();
    virCheckDomainReturn(domain, 0);
    conn = domain->conn;

    if (conn->driver->domainGetMaxMemory) {
        if ((ret = conn->driver->domainGetMaxMemory(domain)) == 0)
            goto error;
        if ((unsigned long)ret != ret) {
            virReportError(VIR_ERR_OVERFLOW, "result too large: %llu", ret);
            goto error;
        }
        return (unsigned long)ret;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return 0;
}


int
virDomainGetMaxVcpus(virDomainPtr domain)
{
    virConnectPtr conn;
    int ret;

    virResetLastError();
    virCheckDomainReturn(domain, -1);
    conn = domain->conn;

    /* libvirt's drivers answer this as GetVcpusFlags(LIVE | MAXIMUM) */
    if (conn->driver->domainGetVcpusFlags) {
        if ((ret = conn->driver->domainGetVcpusFlags(domain, VIR_DOMAIN_VCPU_LIVE |
                                                     VIR_DOMAIN_VCPU_MAXIMUM)) < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}


int
virDomainGetVcpusFlags(virDomainPtr domain, unsigned int flags)
{
    virConnectPtr conn;
    int ret;

    virResetLastError();
    virCheckDomainReturn(domain, -1);
    conn = domain->conn;

    if ((flags & VIR_DOMAIN_VCPU_GUEST) && (conn->flags & VIR_CONNECT_RO)) {
        virReportError(VIR_ERR_OPERATION_DENIED, "read only access prevents %s", __func__);
        goto error;
    }

    if (conn->driver->domainGetVcpusFlags) {
        if ((ret = conn->driver->domainGetVcpusFlags(domain, flags)) < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}


typedef int (*virDomainPredicateSlot)(virDomainPtr dom);

static int
virDomainPredicate(virDomainPtr domain, virDomainPredicateSlot slot, const char *funcname)
{
    int ret;

    if (!slot) {
        virReportError(VIR_ERR_NO_SUPPORT, "%s", funcname);
        goto error;
    }
    if ((ret = slot(domain)) < 0)
        goto error;
    return ret;

 error:
    virDispatchError(domain->conn);
    return -1;
}


int
virDomainIsActive(virDomainPtr dom)
{
    virResetLastError();
    virCheckDomainReturn(dom, -1);
    return virDomainPredicate(dom, dom->conn->driver->domainIsActive, __func__);
}


int
virDomainIsPersistent(virDomainPtr dom)
{
    virResetLastError();
    virCheckDomainReturn(dom, -1);
    return virDomainPredicate(dom, dom->conn->driver->domainIsPersistent, __func__);
}


int
virDomainIsUpdated(virDomainPtr dom)
{
    virResetLastError();
    virCheckDomainReturn(dom, -1);
    return virDomainPredicate(dom, dom->conn->driver->domainIsUpdated, __func__);
}


int
virDomainGetAutostart(virDomainPtr domain, int *autostart)
{
    virConnectPtr conn;

    virResetLastError();
    virCheckDomainReturn(domain, -1);
    conn = domain->conn;
    virCheckNonNullArgGoto(autostart, error);

    if (conn->driver->domainGetAutostart) {
        int value = 0;

        if (conn->driver->domainGetAutostart(domain, &value) < 0)
            goto error;
        *autostart = value;
        return 0;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}


int
virDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags)
{
    virConnectPtr conn;
    int ret;

    virResetLastError();
    virCheckDomainReturn(dom, -1);
    conn = dom->conn;

    if (conn->driver->domainHasManagedSaveImage) {
        if ((ret = conn->driver->domainHasManagedSaveImage(dom, flags)) < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}


int
virDomainGetSecurityLabel(virDomainPtr domain, virSecurityLabelPtr seclabel)
{
    virConnectPtr conn;

    virResetLastError();
    virCheckDomainReturn(domain, -1);
    conn = domain->conn;
    virCheckNonNullArgGoto(seclabel, error);

    if (conn->driver->domainGetSecurityLabel) {
        g_autofree virSecurityLabel *tmp = g_new0(virSecurityLabel, 1);

        if (conn->driver->domainGetSecurityLabel(domain, tmp) < 0)
            goto error;
        *seclabel = *tmp;
        return 0;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}


/* ---- Handles ----------------------------------------------------------- */

int
virDomainRef(virDomainPtr domain)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    g_atomic_int_inc(&domain->refs);
    return 0;
}


int
virDomainFree(virDomainPtr domain)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    virObjectUnrefDomain(domain);
    return 0;
}


virConnectPtr
virDomainGetConnect(virDomainPtr dom)
{
    virResetLastError();
    virCheckDomainReturn(dom, NULL);
    return dom->conn;
}


/* ---- Domain events ----------------------------------------------------- */

int
virConnectDomainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb,
                              void *opaque, virFreeCallback freecb)
{
    virResetLastError();
    virCheckConnectReturn(conn, -1);
    virCheckNonNullArgGoto(cb, error);

    if (conn->driver->connectDomainEventRegister) {
        if (conn->driver->connectDomainEventRegister(conn, cb, opaque, freecb) < 0)
            goto error;
        return 0;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}


int
virConnectDomainEventDeregister(virConnectPtr conn, virConnectDomainEventCallback cb)
{
    virResetLastError();
    virCheckConnectReturn(conn, -1);
    virCheckNonNullArgGoto(cb, error);

    if (conn->driver->connectDomainEventDeregister) {
        if (conn->driver->connectDomainEventDeregister(conn, cb) < 0)
            goto error;
        return 0;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}


int
virConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                 virConnectDomainEventGenericCallback cb,
                                 void *opaque, virFreeCallback freecb)
{
    int ret;

    virResetLastError();
    virCheckConnectReturn(conn, -1);
    virCheckNonNullArgGoto(cb, error);
    virCheckNonNegativeArgGoto(eventID, error);
    if (eventID > VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "eventID",
                               "eventID must be less than %d",
                               VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE + 1);
        goto error;
    }
    if (dom) {
        if (!virAPIDomainIsValid(dom)) {
            virReportErrorFull(VIR_FROM_DOM, VIR_ERR_INVALID_DOMAIN, __func__,
                               "%s", __func__);
            goto error;
        }
        if (dom->conn != conn) {
            virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "dom",
                                   "domain '%s' must match connection", dom->name);
            goto error;
        }
    }

    if (conn->driver->connectDomainEventRegisterAny) {
        if ((ret = conn->driver->connectDomainEventRegisterAny(conn, dom, eventID, cb,
                                                               opaque, freecb)) < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}


int
virConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    virResetLastError();
    virCheckConnectReturn(conn, -1);
    virCheckNonNegativeArgGoto(callbackID, error);

    if (conn->driver->connectDomainEventDeregisterAny) {
        if (conn->driver->connectDomainEventDeregisterAny(conn, callbackID) < 0)
            goto error;
        return 0;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}
