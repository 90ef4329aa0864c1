/* libvirt-host.c: public entry points about a connection and its host */
#define G_LOG_DOMAIN "virtkit.api"

#include <string.h>

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN


int
virConnectRef(virConnectPtr conn)
{
    virResetLastError();
    virCheckConnectReturn(conn, -1);
    virObjectRefConnect(conn);
    return 0;
}


const char *
virConnectGetType(virConnectPtr conn)
{
    const char *ret;

    virResetLastError();
    virCheckConnectReturn(conn, NULL);

    if (conn->driver->connectGetType && (ret = conn->driver->connectGetType(conn)))
        return ret;
    return conn->driver->name;
}


int
virConnectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    virResetLastError();
    virCheckConnectReturn(conn, -1);
    virCheckNonNullArgGoto(hvVer, error);

    if (conn->driver->connectGetVersion) {
        unsigned long v;

        if (conn->driver->connectGetVersion(conn, &v) < 0)
            goto error;
        *hvVer = v;
        return 0;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}


int
virConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer)
{
    virResetLastError();
    virCheckConnectReturn(conn, -1);
    virCheckNonNullArgGoto(libVer, error);

    /* Remote connections ask the daemon; in-process ones are this library,
     * which mirrors libvirt 9.0.0's API and says so (clients compare it). */
    if (conn->driver->connectGetLibVersion) {
        unsigned long v;

        if (conn->driver->connectGetLibVersion(conn, &v) < 0)
            goto error;
        *libVer = v;
        return 0;
    }
    *libVer = LIBVIR_VERSION_NUMBER;
    return 0;

 error:
    virDispatchError(conn);
    return -1;
}


char *
virConnectGetHostname(virConnectPtr conn)
{
    char *ret;

    virResetLastError();
    virCheckConnectReturn(conn, NULL);

    if (conn->driver->connectGetHostname) {
        if (!(ret = conn->driver->connectGetHostname(conn)))
            goto error;
        return ret;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return NULL;
}


char *
virConnectGetURI(virConnectPtr conn)
{
    char *ret;

    virResetLastError();
    virCheckConnectReturn(conn, NULL);

    if (conn->driver->connectGetURI) {
        if (!(ret = conn->driver->connectGetURI(conn))) {
            virDispatchError(conn);
            return NULL;
        }
        return ret;
    }
    return g_strdup(conn->uri);
}


char *
virConnectGetCapabilities(virConnectPtr conn)
{
    char *ret;

    virResetLastError();
    virCheckConnectReturn(conn, NULL);

    if (conn->driver->connectGetCapabilities) {
        if (!(ret = conn->driver->connectGetCapabilities(conn)))
            goto error;
        return ret;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return NULL;
}


int
virConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    int ret;

    virResetLastError();
    virCheckConnectReturn(conn, -1);

    if (conn->driver->connectGetMaxVcpus) {
        if ((ret = conn->driver->connectGetMaxVcpus(conn, type)) < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}


/* The three connection predicates share one shape. */
#define VIR_CONNECT_PREDICATE(func, slot) \
    int \
    func(virConnectPtr conn) \
    { \
        int ret; \
        virResetLastError(); \
        virCheckConnectReturn(conn, -1); \
        if (conn->driver->slot) { \
            if ((ret = conn->driver->slot(conn)) < 0) \
                goto error; \
            return ret; \
        } \
        virReportUnsupportedError(); \
     error: \
        virDispatchError(conn); \
        return -1; \
    }

VIR_CONNECT_PREDICATE(virConnectIsAlive, connectIsAlive)
VIR_CONNECT_PREDICATE(virConnectIsSecure, connectIsSecure)
VIR_CONNECT_PREDICATE(virConnectIsEncrypted, connectIsEncrypted)


int
virConnectSetKeepAlive(virConnectPtr conn, int interval, unsigned int count)
{
    int ret;

    virResetLastError();
    virCheckConnectReturn(conn, -1);

    if (conn->driver->connectSetKeepAlive) {
        if ((ret = conn->driver->connectSetKeepAlive(conn, interval, count)) < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}


int
virConnectRegisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb,
                                void *opaque, virFreeCallback freecb)
{
    virResetLastError();
    virCheckConnectReturn(conn, -1);
    virCheckNonNullArgGoto(cb, error);

    /* As libvirt: a driver whose connections cannot drop (test, embedded)
     * has no slot, and registering is then a successful no-op. */
    if (conn->driver->connectRegisterCloseCallback &&
        conn->driver->connectRegisterCloseCallback(conn, cb, opaque, freecb) < 0)
        goto error;
    return 0;

 error:
    virDispatchError(conn);
    return -1;
}


int
virConnectUnregisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb)
{
    virResetLastError();
    virCheckConnectReturn(conn, -1);
    virCheckNonNullArgGoto(cb, error);

    if (conn->driver->connectUnregisterCloseCallback &&
        conn->driver->connectUnregisterCloseCallback(conn, cb) < 0)
        goto error;
    return 0;

 error:
    virDispatchError(conn);
    return -1;
}


int
virNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    virResetLastError();
    virCheckConnectReturn(conn, -1);
    virCheckNonNullArgGoto(info, error);

    if (conn->driver->nodeGetInfo) {
        virNodeInfo tmp;

        memset(&tmp, 0, sizeof(tmp));
        if (conn->driver->nodeGetInfo(conn, &tmp) < 0)
            goto error;
        *info = tmp;
        return 0;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}


int
virNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    virResetLastError();
    virCheckConnectReturn(conn, -1);
    virCheckNonNullArgGoto(secmodel, error);

    if (conn->driver->nodeGetSecurityModel) {
        g_autofree virSecurityModel *tmp = g_new0(virSecurityModel, 1);

        if (conn->driver->nodeGetSecurityModel(conn, tmp) < 0)
            goto error;
        *secmodel = *tmp;
        return 0;
    }
    virReportUnsupportedError();
 error:
    virDispatchError(conn);
    return -1;
}
