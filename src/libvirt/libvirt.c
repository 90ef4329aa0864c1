/* libvirt.c: library initialisation, version, opening and closing connections */
#define G_LOG_DOMAIN "virtkit.api"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "libvirt_internal.h"
#include "storage_driver.h"

#define VIR_FROM_THIS VIR_FROM_NONE

/*
 * The drivers linked in, tried in this order. The QEMU and remote drivers
 * are built only once their sources exist; meson tells us which ones are
 * (WITH_QEMU_DRIVER, WITH_REMOTE_DRIVER).
 */
static const virHypervisorDriver *const virConnectDrivers[] = {
    &testHypervisorDriver,
#ifdef WITH_QEMU_DRIVER
    &qemuHypervisorDriver,
#endif
#ifdef WITH_REMOTE_DRIVER
    &remoteHypervisorDriver,
#endif
};


void
virAPIReportInvalidArg(int domain, const char *funcname, const char *argname,
                       const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    virSetErrorRaw(domain, VIR_ERR_INVALID_ARG, VIR_ERR_ERROR, msg, funcname, argname,
                   NULL, 0, -1);
}

int
virAPICheckFlagsExclusive(int domain, const char *funcname, unsigned int flags,
                          unsigned int a, const char *na, unsigned int b, const char *nb)
{
    if ((flags & a) && (flags & b)) {
        virAPIReportInvalidArg(domain, funcname, "flags",
                               "Flags '%s' and '%s' are mutually exclusive", na, nb);
        return -1;
    }
    return 0;
}

int
virAPICheckFlagsRequire(int domain, const char *funcname, unsigned int flags,
                        unsigned int a, const char *na, unsigned int b, const char *nb)
{
    if ((flags & a) && !(flags & b)) {
        virAPIReportInvalidArg(domain, funcname, "flags",
                               "Flag '%s' is required by flag '%s'", nb, na);
        return -1;
    }
    return 0;
}


int
virAPITypedParamsValidateSet(const char *funcname, virTypedParameterPtr params,
                             int nparams)
{
    for (int i = 0; i < nparams; i++) {
        if (strnlen(params[i].field, VIR_TYPED_PARAM_FIELD_LENGTH) ==
            VIR_TYPED_PARAM_FIELD_LENGTH) {
            virAPIReportInvalidArg(VIR_FROM_NONE, funcname, "params",
                                   "string parameter name '%.*s' too long",
                                   VIR_TYPED_PARAM_FIELD_LENGTH, params[i].field);
            return -1;
        }
        if (params[i].type == VIR_TYPED_PARAM_STRING && !params[i].value.s) {
            virAPIReportInvalidArg(VIR_FROM_NONE, funcname, "params",
                                   "NULL string parameter '%s'", params[i].field);
            return -1;
        }
    }
    return 0;
}

bool
virAPIConnectIsValid(virConnectPtr conn)
{
    return conn && conn->driver && g_atomic_int_get(&conn->refs) > 0;
}


bool
virAPIDomainIsValid(virDomainPtr dom)
{
    return dom && g_atomic_int_get(&dom->refs) > 0 && virAPIConnectIsValid(dom->conn);
}


/**
 * virInitialize:
 *
 * Initializes the library, as libvirt requires before threads share it.
 * virtkit's global state (thread-local errors, the driver list, the event
 * loop table) is statically initialised, so this does nothing; calling it
 * is optional and any number of times is harmless. Thread-safe.
 *
 * Returns 0, always.
 */
int
virInitialize(void)
{
    return 0;
}


/**
 * virGetVersion:
 * @libVer: where to store the library version (major * 1,000,000 +
 *          minor * 1,000 + release)
 * @type: ignored (libvirt ignores it too); may be NULL
 * @typeVer: if not NULL, where to store the same number
 *
 * Reports the version of the API this library implements: 9000000, for
 * libvirt 9.0.0, not virtkit's own version (clients compare this number to
 * decide which calls exist; see docs/api.md). No connection is involved.
 *
 * Returns 0 in case of success and -1 if @libVer is NULL. As libvirt 9.0
 * does, that failure carries no cause: the error handler sees
 * VIR_ERR_INTERNAL_ERROR "An error occurred, but the cause is unknown".
 */
int
virGetVersion(unsigned long *libVer, const char *type, unsigned long *typeVer)
{
    virResetLastError();

    /* libvirt 9.0 fails here without reporting a cause; so do we. */
    if (!libVer) {
        virDispatchError(NULL);
        return -1;
    }
    *libVer = LIBVIR_VERSION_NUMBER;
    if (typeVer)
        *typeVer = LIBVIR_VERSION_NUMBER;
    return 0;
}


/* ---- The default authentication callback: prompts on the terminal ----- */

static int virConnectCredTypeDefault[] = {
    VIR_CRED_AUTHNAME,   VIR_CRED_ECHOPROMPT,   VIR_CRED_REALM,
    VIR_CRED_PASSPHRASE, VIR_CRED_NOECHOPROMPT, VIR_CRED_EXTERNAL,
};


static char *
virConnectAuthReadLine(bool echo)
{
    char buf[1024];
    struct termios old, quiet;
    bool restore = false;
    char *ret;

    if (!echo && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0) {
        quiet = old;
        quiet.c_lflag &= ~ECHO;
        restore = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
    ret = fgets(buf, sizeof(buf), stdin) ? g_strdup(buf) : NULL;
    if (restore) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stdout);
    }
    if (ret)
        ret[strcspn(ret, "\n")] = '\0';
    return ret;
}


static int
virConnectAuthCallbackDefault(virConnectCredentialPtr cred, unsigned int ncred,
                              void *cbdata)
{
    for (unsigned int i = 0; i < ncred; i++) {
        char *answer = NULL;
        bool echo = true;

        switch (cred[i].type) {
        case VIR_CRED_EXTERNAL:
            if (cred[i].challenge && g_str_equal(cred[i].challenge, "PolicyKit"))
                continue; /* nothing to answer */
            return -1;
        case VIR_CRED_PASSPHRASE:
        case VIR_CRED_NOECHOPROMPT:
            echo = false;
            G_GNUC_FALLTHROUGH;
        case VIR_CRED_USERNAME:
        case VIR_CRED_AUTHNAME:
        case VIR_CRED_ECHOPROMPT:
        case VIR_CRED_REALM:
            if (!isatty(STDIN_FILENO))
                return -1;
            fprintf(stdout, "%s: ", cred[i].prompt ? cred[i].prompt : "Answer");
            if (cred[i].defresult && echo)
                fprintf(stdout, "[%s] ", cred[i].defresult);
            fflush(stdout);
            if (!(answer = virConnectAuthReadLine(echo)))
                return -1;
            if (answer[0] == '\0' && cred[i].defresult) {
                g_free(answer);
                answer = g_strdup(cred[i].defresult);
            }
            break;
        default:
            return -1;
        }
        cred[i].result = answer;
        cred[i].resultlen = strlen(answer);
    }
    return 0;
}


static virConnectAuth virConnectAuthDefault = {
    virConnectCredTypeDefault,
    G_N_ELEMENTS(virConnectCredTypeDefault),
    virConnectAuthCallbackDefault,
    NULL,
};

/**
 * virConnectAuthPtrDefault:
 *
 * An authentication callback for virConnectOpenAuth that prompts on the
 * terminal: it answers VIR_CRED_AUTHNAME, ECHOPROMPT, REALM (echoed) and
 * PASSPHRASE, NOECHOPROMPT (echo off), offering the default result in
 * brackets, and VIR_CRED_EXTERNAL only for a "PolicyKit" challenge. It
 * fails, and with it the open, when stdin is not a terminal or a line
 * cannot be read. Answers are allocated and owned by the driver asking.
 */
virConnectAuthPtr virConnectAuthPtrDefault = &virConnectAuthDefault;


/* ---- Opening ----------------------------------------------------------- */

/* The URI to use when the caller passed NULL or "" (DESIGN.md). */
static char *
virConnectDefaultURI(void)
{
    const char *env;

    if ((env = g_getenv("VIRTKIT_DEFAULT_URI")) && *env)
        return g_strdup(env);
    if ((env = g_getenv("LIBVIRT_DEFAULT_URI")) && *env)
        return g_strdup(env);
    return g_strdup(geteuid() == 0 ? "qemu:///system" : "qemu:///session");
}


/* The secondary drivers going with @drv, the hypervisor driver that just
 * opened @conn (driver.h says which). */
static void
virConnectSetSecondaryDrivers(virConnectPtr conn, const virHypervisorDriver *drv)
{
    if (drv == &testHypervisorDriver) {
        conn->networkDriver = &testNetworkDriver;
        conn->storageDriver = &testStorageDriver;
        conn->nodeDeviceDriver = &testNodeDeviceDriver;
        conn->interfaceDriver = &testInterfaceDriver;
        return;
    }
#ifdef WITH_REMOTE_DRIVER
    if (drv == &remoteHypervisorDriver) {
        conn->networkDriver = &remoteNetworkDriver;
        conn->storageDriver = &remoteStorageDriver;
        conn->nodeDeviceDriver = &remoteNodeDeviceDriver;
        conn->secretDriver = &remoteSecretDriver;
        conn->interfaceDriver = &remoteInterfaceDriver;
        conn->nwfilterDriver = &remoteNWFilterDriver;
        return;
    }
#endif
    /* qemu:///: whatever serves this process (qemu:///embed: the storage
     * driver of its root, set by the QEMU driver's open) */
    conn->networkDriver = virGetSharedNetworkDriver();
    if (!conn->storageDriver)
        conn->storageDriver = virGetSharedStorageDriver();
    conn->nodeDeviceDriver = virGetSharedNodeDeviceDriver();
    conn->secretDriver = virGetSharedSecretDriver();
    conn->interfaceDriver = virGetSharedInterfaceDriver();
    conn->nwfilterDriver = virGetSharedNWFilterDriver();
}


static virConnectPtr
virConnectOpenInternal(const char *name, virConnectAuthPtr auth, unsigned int flags)
{
    g_autofree char *uri = NULL;
    virConnectPtr conn;

    if (!name || !*name)
        uri = virConnectDefaultURI();
    else
        uri = g_strdup(name);

    if (!g_uri_peek_scheme(uri)) {
        virReportError(VIR_ERR_NO_CONNECT, "URI '%s' does not include a driver name",
                       uri);
        return NULL;
    }

    /* qemu:///embed connections get the storage driver in-process */
    virSetEmbedStorageOpener(storageEmbedOpen);

    conn = virGetConnect();
    conn->uri = g_strdup(uri);
    conn->flags = flags;

    for (size_t i = 0; i < G_N_ELEMENTS(virConnectDrivers); i++) {
        const virHypervisorDriver *drv = virConnectDrivers[i];
        virDrvOpenStatus st;

        if (!drv->connectOpen)
            continue;
        conn->driver = drv;
        st = drv->connectOpen(conn, uri, auth, flags);
        g_debug("driver %s: open '%s' -> %d", drv->name, uri, st);
        if (st == VIR_DRV_OPEN_SUCCESS) {
            virConnectSetSecondaryDrivers(conn, drv);
            return conn;
        }
        /* not opened: its connectClose must not run */
        conn->driver = NULL;
        if (st == VIR_DRV_OPEN_ERROR) {
            if (!virErrorIsSet())
                virReportError(VIR_ERR_OPERATION_FAILED, "%s driver failed to open '%s'",
                               drv->name, uri);
            virObjectUnrefConnect(conn);
            return NULL;
        }
    }

    virReportError(VIR_ERR_NO_CONNECT, "%s", uri);
    virObjectUnrefConnect(conn);
    return NULL;
}


/**
 * virConnectOpen:
 * @name: URI of the hypervisor (test:///default, qemu:///system,
 *        qemu:///embed?root=/abs/path, ...), or NULL / "" for the default
 *
 * Opens a read-write connection. The default URI is VIRTKIT_DEFAULT_URI,
 * else LIBVIRT_DEFAULT_URI, else qemu:///system for root and
 * qemu:///session otherwise. The drivers are asked in the order test, qemu,
 * remote: the first that accepts the URI owns the connection, and one that
 * fails ends the search with its error. No authentication callback is
 * given, so a test driver file with <auth> users refuses it.
 *
 * Returns a new connection, to be released with virConnectClose, or NULL
 * with the error set: VIR_ERR_NO_CONNECT if the URI has no scheme or no
 * driver accepts it, VIR_ERR_INVALID_ARG for a URI its driver rejects
 * (test:/// without a path, qemu:///embed without an absolute root), the
 * driver's own error otherwise (a missing test driver file; a daemon that
 * cannot be reached: VIR_ERR_NO_CONNECT or VIR_ERR_SYSTEM_ERROR).
 */
virConnectPtr
virConnectOpen(const char *name)
{
    virConnectPtr ret;

    virResetLastError();
    if (!(ret = virConnectOpenInternal(name, NULL, 0)))
        virDispatchError(NULL);
    return ret;
}


/**
 * virConnectOpenReadOnly:
 * @name: URI of the hypervisor, or NULL / "" for the default (see
 *        virConnectOpen)
 *
 * As virConnectOpen, with VIR_CONNECT_RO: every call that changes state
 * (define, undefine, create, destroy, shutdown, reboot, reset, suspend,
 * resume, autostart), virDomainGetXMLDesc with VIR_DOMAIN_XML_SECURE and
 * virDomainGetVcpusFlags with VIR_DOMAIN_VCPU_GUEST then fail with
 * VIR_ERR_OPERATION_DENIED, checked in this library before any driver.
 * A remote connection also opens the daemon read-only (for qemu:///system
 * through its read-only socket), so the daemon refuses the same calls.
 *
 * Returns a new connection, to be released with virConnectClose, or NULL
 * with the error set (the codes of virConnectOpen).
 */
virConnectPtr
virConnectOpenReadOnly(const char *name)
{
    virConnectPtr ret;

    virResetLastError();
    if (!(ret = virConnectOpenInternal(name, NULL, VIR_CONNECT_RO)))
        virDispatchError(NULL);
    return ret;
}


/**
 * virConnectOpenAuth:
 * @name: URI of the hypervisor, or NULL / "" for the default (see
 *        virConnectOpen)
 * @auth: credential types and callback the driver may use, or NULL;
 *        virConnectAuthPtrDefault prompts on the terminal
 * @flags: bitwise-OR of virConnectFlags: VIR_CONNECT_RO (see
 *         virConnectOpenReadOnly); the remote driver also takes
 *         VIR_CONNECT_NO_ALIASES
 *
 * As virConnectOpen, with credentials: the test driver asks @auth for a
 * user name and password when its XML file lists <auth> users; the remote
 * driver needs none (it accepts only servers offering auth "none"). @auth
 * is only used during this call.
 *
 * Returns a new connection, to be released with virConnectClose, or NULL
 * with the error set: the codes of virConnectOpen; VIR_ERR_INVALID_ARG for
 * flags the test or remote driver does not take (the QEMU driver ignores
 * flags) or missing credentials (test driver, domain VIR_FROM_AUTH);
 * VIR_ERR_AUTH_FAILED for wrong ones or a server requiring an
 * authentication type this client lacks.
 */
virConnectPtr
virConnectOpenAuth(const char *name, virConnectAuthPtr auth, unsigned int flags)
{
    virConnectPtr ret;

    virResetLastError();
    if (!(ret = virConnectOpenInternal(name, auth, flags)))
        virDispatchError(NULL);
    return ret;
}


/**
 * virConnectClose:
 * @conn: a connection
 *
 * Drops one reference to @conn (virConnectOpen* and virConnectRef each
 * hold one; so do domain handles and registered event callbacks). The last
 * reference closes the driver's side (a remote connection says goodbye to
 * the daemon) and frees @conn; using @conn after that is undefined.
 * Thread-safe: references are atomic.
 *
 * Returns 1 if references remain, 0 if this was the last one (libvirt's
 * values, not a count), -1 if @conn is not a valid connection
 * (VIR_ERR_INVALID_CONN, domain VIR_FROM_NONE).
 */
int
virConnectClose(virConnectPtr conn)
{
    virResetLastError();
    virCheckConnectReturn(conn, -1);

    /* libvirt returns 1 while references remain and 0 when this was the
     * last one. Decrement without ever reaching 0 here, so that the object
     * is only torn down by virObjectUnrefConnect. */
    for (;;) {
        int refs = g_atomic_int_get(&conn->refs);

        if (refs <= 1) {
            virObjectUnrefConnect(conn);
            return 0;
        }
        if (g_atomic_int_compare_and_exchange(&conn->refs, refs, refs - 1))
            return 1;
    }
}
