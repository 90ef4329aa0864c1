/* driver.h: the hypervisor driver table every driver (test, qemu, remote) fills in */
#pragma once

#include "datatypes.h"

typedef enum {
    VIR_DRV_OPEN_SUCCESS = 0,
    VIR_DRV_OPEN_DECLINED = -2, /* not my URI: try the next driver */
    VIR_DRV_OPEN_ERROR = -1,    /* my URI, but it failed (error reported) */
} virDrvOpenStatus;

/*
 * The contract for every entry: the public layer (src/libvirt) has already
 * reset the thread's last error and checked that pointers are non-NULL and
 * the connection/domain valid; read-only connections are already refused
 * for mutating calls. Flags are NOT checked by the public layer: each driver
 * calls virCheckFlags with what it supports (libvirt's messages name the
 * driver function). On failure the driver reports the error itself and
 * returns -1 / NULL. virDomainPtr arguments identify the domain by UUID
 * (and name); a driver looks its object up by UUID and reports NO_DOMAIN
 * when it is gone.
 */
struct _virHypervisorDriver {
    const char *name; /* "Test", "QEMU", "remote" */

    /* @uri is the parsed URI (never NULL; when the user passed NULL the
     * public layer resolved the default first). Return VIR_DRV_OPEN_*. */
    virDrvOpenStatus (*connectOpen)(virConnectPtr conn, const char *uri,
                                    virConnectAuthPtr auth, unsigned int flags);
    int (*connectClose)(virConnectPtr conn);
    const char *(*connectGetType)(virConnectPtr conn);
    int (*connectGetVersion)(virConnectPtr conn, unsigned long *hvVer);
    int (*connectGetLibVersion)(virConnectPtr conn, unsigned long *libVer);
    char *(*connectGetHostname)(virConnectPtr conn);
    char *(*connectGetURI)(virConnectPtr conn);
    char *(*connectGetCapabilities)(virConnectPtr conn);
    int (*connectGetMaxVcpus)(virConnectPtr conn, const char *type);
    int (*connectIsAlive)(virConnectPtr conn);
    int (*connectIsSecure)(virConnectPtr conn);
    int (*connectIsEncrypted)(virConnectPtr conn);
    int (*connectSetKeepAlive)(virConnectPtr conn, int interval, unsigned int count);
    int (*connectRegisterCloseCallback)(virConnectPtr conn, virConnectCloseFunc cb,
                                        void *opaque, virFreeCallback freecb);
    int (*connectUnregisterCloseCallback)(virConnectPtr conn, virConnectCloseFunc cb);
    int (*nodeGetInfo)(virConnectPtr conn, virNodeInfoPtr info);
    int (*nodeGetSecurityModel)(virConnectPtr conn, virSecurityModelPtr secmodel);

    int (*connectNumOfDomains)(virConnectPtr conn);
    int (*connectListDomains)(virConnectPtr conn, int *ids, int maxids);
    int (*connectNumOfDefinedDomains)(virConnectPtr conn);
    int (*connectListDefinedDomains)(virConnectPtr conn, char **const names,
                                     int maxnames);
    int (*connectListAllDomains)(virConnectPtr conn, virDomainPtr **domains,
                                 unsigned int flags);

    virDomainPtr (*domainLookupByID)(virConnectPtr conn, int id);
    virDomainPtr (*domainLookupByName)(virConnectPtr conn, const char *name);
    virDomainPtr (*domainLookupByUUID)(virConnectPtr conn, const unsigned char *uuid);

    virDomainPtr (*domainDefineXMLFlags)(virConnectPtr conn, const char *xml,
                                         unsigned int flags);
    int (*domainUndefineFlags)(virDomainPtr dom, unsigned int flags);
    int (*domainCreateWithFlags)(virDomainPtr dom, unsigned int flags);
    virDomainPtr (*domainCreateXML)(virConnectPtr conn, const char *xml,
                                    unsigned int flags);
    int (*domainShutdownFlags)(virDomainPtr dom, unsigned int flags);
    int (*domainReboot)(virDomainPtr dom, unsigned int flags);
    int (*domainReset)(virDomainPtr dom, unsigned int flags);
    int (*domainDestroyFlags)(virDomainPtr dom, unsigned int flags);
    int (*domainSuspend)(virDomainPtr dom);
    int (*domainResume)(virDomainPtr dom);
    int (*domainGetState)(virDomainPtr dom, int *state, int *reason, unsigned int flags);
    int (*domainGetInfo)(virDomainPtr dom, virDomainInfoPtr info);
    char *(*domainGetXMLDesc)(virDomainPtr dom, unsigned int flags);
    char *(*domainGetOSType)(virDomainPtr dom);
    unsigned long long (*domainGetMaxMemory)(virDomainPtr dom); /* 0 = error */
    int (*domainGetVcpusFlags)(virDomainPtr dom, unsigned int flags);
    int (*domainIsActive)(virDomainPtr dom);
    int (*domainIsPersistent)(virDomainPtr dom);
    int (*domainIsUpdated)(virDomainPtr dom);
    int (*domainGetAutostart)(virDomainPtr dom, int *autostart);
    int (*domainSetAutostart)(virDomainPtr dom, int autostart);
    int (*domainHasManagedSaveImage)(virDomainPtr dom, unsigned int flags);
    int (*domainGetSecurityLabel)(virDomainPtr dom, virSecurityLabelPtr seclabel);
    /* Scheduler: @nparams may be NULL for the type; Get* fill at most
     * *@nparams entries of @params (the public layer checked it is > 0)
     * and set *@nparams to the count; the Flags variants get
     * VIR_TYPED_PARAM_STRING_OKAY added by the public layer. */
    char *(*domainGetSchedulerType)(virDomainPtr dom, int *nparams);
    int (*domainGetSchedulerParameters)(virDomainPtr dom, virTypedParameterPtr params,
                                        int *nparams);
    int (*domainGetSchedulerParametersFlags)(virDomainPtr dom,
                                             virTypedParameterPtr params, int *nparams,
                                             unsigned int flags);
    int (*domainSetSchedulerParameters)(virDomainPtr dom, virTypedParameterPtr params,
                                        int nparams);
    int (*domainSetSchedulerParametersFlags)(virDomainPtr dom,
                                             virTypedParameterPtr params, int nparams,
                                             unsigned int flags);
    /* Attach @st (a new stream of @dom's connection) to the console. */
    int (*domainOpenConsole)(virDomainPtr dom, const char *dev_name, virStreamPtr st,
                             unsigned int flags);
    /* libvirt-qemu.h */
    int (*domainQemuMonitorCommand)(virDomainPtr dom, const char *cmd, char **result,
                                    unsigned int flags);

    /* Events. Legacy register/deregister are implemented by the public
     * layer on top of the Any variants with eventID LIFECYCLE and a
     * "legacy" marker (see object_event.h). */
    int (*connectDomainEventRegisterAny)(virConnectPtr conn, virDomainPtr dom,
                                         int eventID,
                                         virConnectDomainEventGenericCallback cb,
                                         void *opaque, virFreeCallback freecb);
    int (*connectDomainEventDeregisterAny)(virConnectPtr conn, int callbackID);
    int (*connectDomainEventRegister)(virConnectPtr conn,
                                      virConnectDomainEventCallback cb, void *opaque,
                                      virFreeCallback freecb);
    int (*connectDomainEventDeregister)(virConnectPtr conn,
                                        virConnectDomainEventCallback cb);
};

/* The drivers linked into libvirtkit, tried in this order by virConnectOpen. */
extern const virHypervisorDriver testHypervisorDriver;
extern const virHypervisorDriver qemuHypervisorDriver;
extern const virHypervisorDriver remoteHypervisorDriver;
