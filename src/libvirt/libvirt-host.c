/* libvirt-host.c: public entry points about a connection and its host */
#define G_LOG_DOMAIN "virtkit.api"

#include <string.h>

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN


/*
 * Contracts below. Every entry point first resets the thread's last error.
 * Common to all of them: an invalid @conn fails with VIR_ERR_INVALID_CONN
 * (domain VIR_FROM_DOMAIN), a NULL output argument with VIR_ERR_INVALID_ARG,
 * a call the driver lacks with VIR_ERR_NO_SUPPORT; failures reach the
 * error handlers once (virDispatchError). Outputs are written only on
 * success. On a remote connection the daemon's error comes back with its
 * code and domain; a broken transport is VIR_ERR_RPC, or
 * VIR_ERR_INTERNAL_ERROR "client socket is closed" once the link is gone.
 */

/**
 * virConnectRef:
 * @conn: a connection
 *
 * Takes one more reference to @conn, for a second owner (e.g. another
 * thread); each reference is dropped with virConnectClose. Thread-safe.
 *
 * Returns 0 in case of success, -1 if @conn is invalid.
 */
int
virConnectRef(virConnectPtr conn)
{
    virResetLastError();
    virCheckConnectReturn(conn, -1);
    virObjectRefConnect(conn);
    return 0;
}


/**
 * virConnectGetType:
 * @conn: a connection
 *
 * The hypervisor type of @conn: "TEST" (test driver), "QEMU" (QEMU driver),
 * the daemon's answer on a remote connection (asked once, then cached).
 * If a remote connection cannot ask, the driver's name ("remote") is
 * returned instead; the error stays the thread's last error but is not
 * dispatched to the error handlers.
 *
 * Returns a string owned by @conn (do not free it; valid while @conn is
 * open), or NULL if @conn is invalid.
 */
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


/**
 * virConnectGetVersion:
 * @conn: a connection
 * @hvVer: where to store the hypervisor version (major * 1,000,000 +
 *         minor * 1,000 + release)
 *
 * The version of the hypervisor behind @conn: 2 for the test driver
 * (libvirt's value); for QEMU, that of qemu-system-x86_64 found in PATH
 * (probed on first use and cached by the binary's identity).
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * or the QEMU driver's failure to find (VIR_ERR_INTERNAL_ERROR) or probe
 * qemu-system-x86_64.
 */
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


/**
 * virConnectGetLibVersion:
 * @conn: a connection
 * @libVer: where to store the library version (major * 1,000,000 +
 *          minor * 1,000 + release)
 *
 * The version of the library serving @conn: 9000000 (libvirt 9.0.0, the
 * API virtkit implements) for in-process connections (test and QEMU
 * drivers); the daemon's answer on a remote connection, which is the
 * same number from virtkitd.
 *
 * Returns 0 in case of success and -1 in case of error (the common ones).
 */
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


/**
 * virConnectGetHostname:
 * @conn: a connection
 *
 * The name of the host running the hypervisor. The test driver follows
 * libvirt: the host name if it is fully qualified, else its resolver's
 * canonical name unless that starts with "localhost", else the plain
 * name. The QEMU driver gives GLib's g_get_host_name(); a remote
 * connection gives the daemon's answer.
 *
 * Returns a newly allocated string the caller frees with free(), or NULL
 * in case of error (the common ones; VIR_ERR_SYSTEM_ERROR if gethostname
 * fails).
 */
char *
virConnectGetHostname(virConnectPtr conn)
{
    VIR_ENTRY_CONNECT(NULL);

    VIR_ENTRY_CALL_PTR(driver, connectGetHostname, conn);
}


/**
 * virConnectGetURI:
 * @conn: a connection
 *
 * The URI of @conn: the one it was opened with, the default one resolved
 * if it was opened with NULL or "". The QEMU driver gives its state's
 * canonical URI instead (qemu:///embed?root=PATH with PATH URI-escaped,
 * qemu:///system or qemu:///session). A remote connection answers locally.
 *
 * Returns a newly allocated string the caller frees with free(), or NULL
 * if @conn is invalid.
 */
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


/**
 * virConnectGetCapabilities:
 * @conn: a connection
 *
 * The capabilities XML of the hypervisor (host, guests, machine types).
 * The test driver's is fixed at open; the QEMU driver builds it from the
 * probed QEMU binary.
 *
 * Returns a newly allocated XML string the caller frees with free(), or
 * NULL in case of error: the common ones, or the QEMU driver's failure to
 * find or probe a QEMU binary.
 */
char *
virConnectGetCapabilities(virConnectPtr conn)
{
    VIR_ENTRY_CONNECT(NULL);

    VIR_ENTRY_CALL_PTR(driver, connectGetCapabilities, conn);
}


/**
 * virConnectGetMaxVcpus:
 * @conn: a connection
 * @type: guest type, or NULL: the QEMU driver accepts NULL, "qemu" and
 *        "kvm" (any case); the test driver ignores it
 *
 * The largest number of virtual CPUs a guest may have: 32 (test driver),
 * 255 (QEMU driver, whatever the machine type).
 *
 * Returns the number, or -1 in case of error: the common ones, or
 * VIR_ERR_INVALID_ARG (domain VIR_FROM_QEMU) for another @type.
 */
int
virConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    VIR_ENTRY_CONNECT(-1);

    VIR_ENTRY_CALL(driver, connectGetMaxVcpus, conn, type);
}


/* The three connection predicates share one shape. */
#define VIR_CONNECT_PREDICATE(func, slot)             \
    int func(virConnectPtr conn)                      \
    {                                                 \
        int ret;                                      \
        virResetLastError();                          \
        virCheckConnectReturn(conn, -1);              \
        if (conn->driver->slot) {                     \
            if ((ret = conn->driver->slot(conn)) < 0) \
                goto error;                           \
            return ret;                               \
        }                                             \
        virReportUnsupportedError();                  \
error:                                                \
        virDispatchError(conn);                       \
        return -1;                                    \
    }

/**
 * virConnectIsAlive:
 * @conn: a connection
 *
 * Whether @conn still reaches its hypervisor. In-process connections
 * (test, QEMU) always do; a remote one does while its socket is open
 * (keepalive failures and a daemon going away close it).
 *
 * Returns 1 if alive, 0 if not, -1 if @conn is invalid.
 */
VIR_CONNECT_PREDICATE(virConnectIsAlive, connectIsAlive)
/**
 * virConnectIsSecure:
 * @conn: a connection
 *
 * Whether @conn is safe from eavesdropping. In-process connections are;
 * a remote one (a UNIX socket) asks the daemon, which answers for its
 * side.
 *
 * Returns 1 if secure, 0 if not, -1 in case of error (the common ones).
 */
VIR_CONNECT_PREDICATE(virConnectIsSecure, connectIsSecure)
/**
 * virConnectIsEncrypted:
 * @conn: a connection
 *
 * Whether @conn's traffic is encrypted: never in virtkit (in-process, or
 * a UNIX socket). A remote connection still makes libvirt's round trip
 * first, so a dead link fails here.
 *
 * Returns 0, or -1 in case of error (the common ones).
 */
VIR_CONNECT_PREDICATE(virConnectIsEncrypted, connectIsEncrypted)


/**
 * virConnectSetKeepAlive:
 * @conn: a connection
 * @interval: seconds of silence before a PING is sent; <= 0 stops keepalive
 * @count: unanswered PINGs after which the connection is closed (about
 *         @interval * (@count + 1) seconds of silence)
 *
 * Starts, changes or stops keepalive on a remote connection; the client's
 * I/O thread sends the PINGs. In-process connections (test, QEMU) have no
 * keepalive and fail with VIR_ERR_NO_SUPPORT, as libvirt's do.
 *
 * Returns 0 if keepalive was set, 1 if the daemon does not support it (or
 * no event loop was registered when @conn was opened: it was not asked),
 * -1 in case of error (the common ones).
 */
int
virConnectSetKeepAlive(virConnectPtr conn, int interval, unsigned int count)
{
    VIR_ENTRY_CONNECT(-1);

    VIR_ENTRY_CALL(driver, connectSetKeepAlive, conn, interval, count);
}


/**
 * virConnectRegisterCloseCallback:
 * @conn: a connection
 * @cb: called once, with the reason, when a remote connection's link to
 *      the daemon is lost (not on virConnectClose)
 * @opaque: passed to @cb and @freecb
 * @freecb: if not NULL, frees @opaque once @cb has run, is unregistered,
 *          or @conn is freed with it still registered
 *
 * Registers the one close callback of a remote connection. In-process
 * connections (test, QEMU) never close on their own: registering there
 * succeeds and does nothing (as in libvirt), and neither @cb nor @freecb
 * is ever called.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * or VIR_ERR_OPERATION_INVALID if a callback is already registered.
 */
int
virConnectRegisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb, void *opaque,
                                virFreeCallback freecb)
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


/**
 * virConnectUnregisterCloseCallback:
 * @conn: a connection
 * @cb: the callback given to virConnectRegisterCloseCallback
 *
 * Removes the close callback of a remote connection and calls its free
 * function (before returning). A no-op success on in-process connections.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * or VIR_ERR_OPERATION_INVALID if @cb is not the registered callback.
 */
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


/**
 * virNodeGetInfo:
 * @conn: a connection
 * @info: where to store the host's CPU and memory description
 *
 * Describes the host. The test driver gives its XML's (or libvirt's
 * default) node; the QEMU driver reads this host: model "x86_64", memory
 * in KiB, the online CPUs as one socket of that many cores, mhz 0, one
 * NUMA node.
 *
 * Returns 0 in case of success and -1 in case of error (the common ones).
 */
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


/**
 * virNodeGetSecurityModel:
 * @conn: a connection
 * @secmodel: where to store the security driver's model and DOI
 *
 * The host's security model: "testSecurity" with an empty DOI (test
 * driver, as libvirt's); "none" with DOI "0" for the QEMU driver, which
 * confines no guest (no SELinux or AppArmor driver).
 *
 * Returns 0 in case of success and -1 in case of error: the common ones;
 * VIR_ERR_RPC if a daemon's strings do not fit the fixed-size fields.
 */
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
