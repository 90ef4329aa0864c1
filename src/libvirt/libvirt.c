/* libvirt.c: library initialisation, version, opening and closing connections */
#define G_LOG_DOMAIN "virtkit.api"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "libvirt_internal.h"

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
    virSetErrorRaw(domain, VIR_ERR_INVALID_ARG, VIR_ERR_ERROR, msg,
                   funcname, argname, NULL, 0, -1);
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


/* libvirt needs this before threads use the API; virtkit's global state
 * (thread-local errors, the driver list, the event loop table) is
 * statically initialised, so there is nothing left to do. */
int
virInitialize(void)
{
    return 0;
}


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
    VIR_CRED_AUTHNAME,
    VIR_CRED_ECHOPROMPT,
    VIR_CRED_REALM,
    VIR_CRED_PASSPHRASE,
    VIR_CRED_NOECHOPROMPT,
    VIR_CRED_EXTERNAL,
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
                continue;   /* nothing to answer */
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
        virReportError(VIR_ERR_NO_CONNECT, "URI '%s' does not include a driver name", uri);
        return NULL;
    }

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
        if (st == VIR_DRV_OPEN_SUCCESS)
            return conn;
        /* not opened: its connectClose must not run */
        conn->driver = NULL;
        if (st == VIR_DRV_OPEN_ERROR) {
            if (!virErrorIsSet())
                virReportError(VIR_ERR_OPERATION_FAILED,
                               "%s driver failed to open '%s'", drv->name, uri);
            virObjectUnrefConnect(conn);
            return NULL;
        }
    }

    virReportError(VIR_ERR_NO_CONNECT, "%s", uri);
    virObjectUnrefConnect(conn);
    return NULL;
}


virConnectPtr
virConnectOpen(const char *name)
{
    virConnectPtr ret;

    virResetLastError();
    if (!(ret = virConnectOpenInternal(name, NULL, 0)))
        virDispatchError(NULL);
    return ret;
}


virConnectPtr
virConnectOpenReadOnly(const char *name)
{
    virConnectPtr ret;

    virResetLastError();
    if (!(ret = virConnectOpenInternal(name, NULL, VIR_CONNECT_RO)))
        virDispatchError(NULL);
    return ret;
}


virConnectPtr
virConnectOpenAuth(const char *name, virConnectAuthPtr auth, unsigned int flags)
{
    virConnectPtr ret;

    virResetLastError();
    if (!(ret = virConnectOpenInternal(name, auth, flags)))
        virDispatchError(NULL);
    return ret;
}


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
