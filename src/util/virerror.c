/* virerror.c: thread-local last error, libvirt's message templates, error handlers */

#define G_LOG_DOMAIN "virtkit.util.error"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdarg.h>

#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NONE

/*
 * Threads: the last error is per thread (GPrivate); the global handler is
 * set by the application, normally once at start-up, and read without a
 * lock as libvirt does.
 */

static void virLastErrFree(gpointer data);
static GPrivate virLastErr = G_PRIVATE_INIT(virLastErrFree);

static virErrorFunc virErrorHandler;
static void *virErrorUserData;

/* Bare message and message-with-detail per code (libvirt 9.0's wording). */
typedef struct {
    const char *bare;
    const char *withDetail;
} virErrorTemplate;

static const virErrorTemplate virErrorTemplates[] = {
    [VIR_ERR_INTERNAL_ERROR] = { "internal error", "internal error: %s" },
    [VIR_ERR_NO_MEMORY] = { "out of memory", "out of memory: %s" },
    [VIR_ERR_NO_SUPPORT] = { "this function is not supported by the connection driver",
                             "this function is not supported by the connection driver: %s" },
    [VIR_ERR_UNKNOWN_HOST] = { "unknown host", "unknown host %s" },
    [VIR_ERR_NO_CONNECT] = { "no connection driver available",
                             "no connection driver available for %s" },
    [VIR_ERR_INVALID_CONN] = { "invalid connection pointer in",
                               "invalid connection pointer in %s" },
    [VIR_ERR_INVALID_DOMAIN] = { "invalid domain pointer in",
                                 "invalid domain pointer in %s" },
    [VIR_ERR_INVALID_ARG] = { "invalid argument", "invalid argument: %s" },
    [VIR_ERR_OPERATION_FAILED] = { "operation failed", "operation failed: %s" },
    [VIR_ERR_GET_FAILED] = { "GET operation failed", "GET operation failed: %s" },
    [VIR_ERR_POST_FAILED] = { "POST operation failed", "POST operation failed: %s" },
    [VIR_ERR_HTTP_ERROR] = { "got unknown HTTP error code",
                             "got unknown HTTP error code %s" },
    [VIR_ERR_SEXPR_SERIAL] = { "failed to serialize S-Expr",
                               "failed to serialize S-Expr: %s" },
    [VIR_ERR_NO_XEN] = { "could not use Xen hypervisor entry",
                         "could not use Xen hypervisor entry %s" },
    [VIR_ERR_XEN_CALL] = { "failed Xen syscall", "failed Xen syscall %s" },
    [VIR_ERR_OS_TYPE] = { "unknown OS type", "unknown OS type %s" },
    [VIR_ERR_NO_KERNEL] = { "missing kernel information",
                            "missing kernel information: %s" },
    [VIR_ERR_NO_ROOT] = { "missing root device information",
                          "missing root device information in %s" },
    [VIR_ERR_NO_SOURCE] = { "missing source information for device",
                            "missing source information for device %s" },
    [VIR_ERR_NO_TARGET] = { "missing target information for device",
                            "missing target information for device %s" },
    [VIR_ERR_NO_NAME] = { "missing name information", "missing name information in %s" },
    [VIR_ERR_NO_OS] = { "missing operating system information",
                        "missing operating system information for %s" },
    [VIR_ERR_NO_DEVICE] = { "missing devices information",
                            "missing devices information for %s" },
    [VIR_ERR_NO_XENSTORE] = { "could not connect to Xen Store",
                              "could not connect to Xen Store %s" },
    [VIR_ERR_DRIVER_FULL] = { "too many drivers registered",
                              "too many drivers registered in %s" },
    [VIR_ERR_CALL_FAILED] = { "library call failed", "library call failed: %s" },
    [VIR_ERR_XML_ERROR] = { "XML description is invalid or not well formed",
                            "XML error: %s" },
    [VIR_ERR_DOM_EXIST] = { "this domain exists already", "domain %s exists already" },
    [VIR_ERR_OPERATION_DENIED] = { "operation forbidden for read only access",
                                   "operation forbidden: %s" },
    [VIR_ERR_OPEN_FAILED] = { "failed to open configuration file",
                              "failed to open configuration file %s" },
    [VIR_ERR_READ_FAILED] = { "failed to read configuration file",
                              "failed to read configuration file %s" },
    [VIR_ERR_PARSE_FAILED] = { "failed to parse configuration file",
                               "failed to parse configuration file %s" },
    [VIR_ERR_CONF_SYNTAX] = { "configuration file syntax error",
                              "configuration file syntax error: %s" },
    [VIR_ERR_WRITE_FAILED] = { "failed to write configuration file",
                               "failed to write configuration file: %s" },
    [VIR_ERR_XML_DETAIL] = { "parser error", "%s" },
    [VIR_ERR_INVALID_NETWORK] = { "invalid network pointer in",
                                  "invalid network pointer in %s" },
    [VIR_ERR_NETWORK_EXIST] = { "this network exists already",
                                "network %s exists already" },
    [VIR_ERR_SYSTEM_ERROR] = { "system call error", "%s" },
    [VIR_ERR_RPC] = { "RPC error", "%s" },
    [VIR_ERR_GNUTLS_ERROR] = { "GNUTLS call error", "%s" },
    [VIR_WAR_NO_NETWORK] = { "Failed to find the network",
                             "Failed to find the network: %s" },
    [VIR_ERR_NO_DOMAIN] = { "Domain not found", "Domain not found: %s" },
    [VIR_ERR_NO_NETWORK] = { "Network not found", "Network not found: %s" },
    [VIR_ERR_INVALID_MAC] = { "invalid MAC address", "invalid MAC address: %s" },
    [VIR_ERR_AUTH_FAILED] = { "authentication failed", "authentication failed: %s" },
    [VIR_ERR_INVALID_STORAGE_POOL] = { "invalid storage pool pointer in",
                                       "invalid storage pool pointer in %s" },
    [VIR_ERR_INVALID_STORAGE_VOL] = { "invalid storage volume pointer in",
                                      "invalid storage volume pointer in %s" },
    [VIR_WAR_NO_STORAGE] = { "Failed to find a storage driver",
                             "Failed to find a storage driver: %s" },
    [VIR_ERR_NO_STORAGE_POOL] = { "Storage pool not found",
                                  "Storage pool not found: %s" },
    [VIR_ERR_NO_STORAGE_VOL] = { "Storage volume not found",
                                 "Storage volume not found: %s" },
    [VIR_WAR_NO_NODE] = { "Failed to find a node driver",
                          "Failed to find a node driver: %s" },
    [VIR_ERR_INVALID_NODE_DEVICE] = { "invalid node device pointer",
                                      "invalid node device pointer in %s" },
    [VIR_ERR_NO_NODE_DEVICE] = { "Node device not found", "Node device not found: %s" },
    [VIR_ERR_NO_SECURITY_MODEL] = { "Security model not found",
                                    "Security model not found: %s" },
    [VIR_ERR_OPERATION_INVALID] = { "Requested operation is not valid",
                                    "Requested operation is not valid: %s" },
    [VIR_WAR_NO_INTERFACE] = { "Failed to find the interface",
                               "Failed to find the interface: %s" },
    [VIR_ERR_NO_INTERFACE] = { "Interface not found", "Interface not found: %s" },
    [VIR_ERR_INVALID_INTERFACE] = { "invalid interface pointer in",
                                    "invalid interface pointer in %s" },
    [VIR_ERR_MULTIPLE_INTERFACES] = { "multiple matching interfaces found",
                                      "multiple matching interfaces found: %s" },
    [VIR_WAR_NO_NWFILTER] = { "Failed to start the nwfilter driver",
                              "Failed to start the nwfilter driver: %s" },
    [VIR_ERR_INVALID_NWFILTER] = { "Invalid network filter",
                                   "Invalid network filter: %s" },
    [VIR_ERR_NO_NWFILTER] = { "Network filter not found",
                              "Network filter not found: %s" },
    [VIR_ERR_BUILD_FIREWALL] = { "Error while building firewall",
                                 "Error while building firewall: %s" },
    [VIR_WAR_NO_SECRET] = { "Failed to find a secret storage driver",
                            "Failed to find a secret storage driver: %s" },
    [VIR_ERR_INVALID_SECRET] = { "Invalid secret", "Invalid secret: %s" },
    [VIR_ERR_NO_SECRET] = { "Secret not found", "Secret not found: %s" },
    [VIR_ERR_CONFIG_UNSUPPORTED] = { "unsupported configuration",
                                     "unsupported configuration: %s" },
    [VIR_ERR_OPERATION_TIMEOUT] = { "Timed out during operation",
                                    "Timed out during operation: %s" },
    [VIR_ERR_MIGRATE_PERSIST_FAILED] = { "Failed to make domain persistent after migration",
                                         "Failed to make domain persistent after migration: %s" },
    [VIR_ERR_HOOK_SCRIPT_FAILED] = { "Hook script execution failed",
                                     "Hook script execution failed: %s" },
    [VIR_ERR_INVALID_DOMAIN_SNAPSHOT] = { "Invalid domain snapshot",
                                          "Invalid domain snapshot: %s" },
    [VIR_ERR_NO_DOMAIN_SNAPSHOT] = { "Domain snapshot not found",
                                     "Domain snapshot not found: %s" },
    [VIR_ERR_INVALID_STREAM] = { "invalid stream pointer",
                                 "invalid stream pointer in %s" },
    [VIR_ERR_ARGUMENT_UNSUPPORTED] = { "argument unsupported",
                                       "argument unsupported: %s" },
    [VIR_ERR_STORAGE_PROBE_FAILED] = { "Storage pool probe failed",
                                       "Storage pool probe failed: %s" },
    [VIR_ERR_STORAGE_POOL_BUILT] = { "Storage pool already built",
                                     "Storage pool already built: %s" },
    [VIR_ERR_SNAPSHOT_REVERT_RISKY] = { "revert requires force",
                                        "revert requires force: %s" },
    [VIR_ERR_OPERATION_ABORTED] = { "operation aborted", "operation aborted: %s" },
    [VIR_ERR_AUTH_CANCELLED] = { "authentication cancelled",
                                 "authentication cancelled: %s" },
    [VIR_ERR_NO_DOMAIN_METADATA] = { "metadata not found", "metadata not found: %s" },
    [VIR_ERR_MIGRATE_UNSAFE] = { "Unsafe migration", "Unsafe migration: %s" },
    [VIR_ERR_OVERFLOW] = { "numerical overflow", "numerical overflow: %s" },
    [VIR_ERR_BLOCK_COPY_ACTIVE] = { "block copy still active",
                                    "block copy still active: %s" },
    [VIR_ERR_OPERATION_UNSUPPORTED] = { "Operation not supported",
                                        "Operation not supported: %s" },
    [VIR_ERR_SSH] = { "SSH transport error", "SSH transport error: %s" },
    [VIR_ERR_AGENT_UNRESPONSIVE] = { "Guest agent is not responding",
                                     "Guest agent is not responding: %s" },
    [VIR_ERR_RESOURCE_BUSY] = { "resource busy", "resource busy: %s" },
    [VIR_ERR_ACCESS_DENIED] = { "access denied", "access denied: %s" },
    [VIR_ERR_DBUS_SERVICE] = { "error from service", "error from service: %s" },
    [VIR_ERR_STORAGE_VOL_EXIST] = { "this storage volume exists already",
                                    "storage volume %s exists already" },
    [VIR_ERR_CPU_INCOMPATIBLE] = { "the CPU is incompatible with host CPU",
                                   "the CPU is incompatible with host CPU: %s" },
    [VIR_ERR_XML_INVALID_SCHEMA] = { "XML document failed to validate against schema",
                                     "XML document failed to validate against schema: %s" },
    [VIR_ERR_MIGRATE_FINISH_OK] = { "migration successfully aborted",
                                    "migration successfully aborted: %s" },
    [VIR_ERR_AUTH_UNAVAILABLE] = { "authentication unavailable",
                                   "authentication unavailable: %s" },
    [VIR_ERR_NO_SERVER] = { "Server not found", "Server not found: %s" },
    [VIR_ERR_NO_CLIENT] = { "Client not found", "Client not found: %s" },
    [VIR_ERR_AGENT_UNSYNCED] = { "guest agent replied with wrong id to guest-sync command",
                                 "guest agent replied with wrong id to guest-sync command: %s" },
    [VIR_ERR_LIBSSH] = { "libssh transport error", "libssh transport error: %s" },
    [VIR_ERR_DEVICE_MISSING] = { "device not found", "device not found: %s" },
    [VIR_ERR_INVALID_NWFILTER_BINDING] = { "Invalid network filter binding",
                                           "Invalid network filter binding: %s" },
    [VIR_ERR_NO_NWFILTER_BINDING] = { "Network filter binding not found",
                                      "Network filter binding not found: %s" },
    [VIR_ERR_INVALID_DOMAIN_CHECKPOINT] = { "Invalid domain checkpoint",
                                            "Invalid domain checkpoint: %s" },
    [VIR_ERR_NO_DOMAIN_CHECKPOINT] = { "Domain checkpoint not found",
                                       "Domain checkpoint not found: %s" },
    [VIR_ERR_NO_DOMAIN_BACKUP] = { "Domain backup job id not found",
                                   "Domain backup job id not found: %s" },
    [VIR_ERR_INVALID_NETWORK_PORT] = { "Invalid network port pointer",
                                       "Invalid network port pointer: %s" },
    [VIR_ERR_NETWORK_PORT_EXIST] = { "this network port exists already",
                                     "network port %s exists already" },
    [VIR_ERR_NO_NETWORK_PORT] = { "network port not found",
                                  "network port not found: %s" },
    [VIR_ERR_NO_HOSTNAME] = { "no hostname found", "no hostname found: %s" },
    [VIR_ERR_CHECKPOINT_INCONSISTENT] = { "checkpoint inconsistent",
                                          "checkpoint inconsistent: %s" },
    [VIR_ERR_MULTIPLE_DOMAINS] = { "multiple matching domains found",
                                   "multiple matching domains found: %s" },
};

/* Names printed by the default handler, indexed by virErrorDomain. */
static const char *const virErrorDomainNames[] = {
    "",
    "Xen Driver",
    "Xen Daemon",
    "Xen Store",
    "S-Expression",
    "XML Util",
    "Domain",
    "XML-RPC",
    "Proxy Daemon",
    "Config File",
    "QEMU Driver",
    "Network",
    "Test Driver",
    "Remote Driver",
    "OpenVZ Driver",
    "Xen XM Driver",
    "Linux Statistics",
    "LXC Driver",
    "Storage Driver",
    "Network Driver",
    "Domain Config",
    "User Mode Linux Driver",
    "Node Device Driver",
    "Xen Inotify Driver",
    "Security Driver",
    "VirtualBox Driver",
    "Network Interface Driver",
    "Open Nebula Driver",
    "ESX Driver",
    "Power Hypervisor Driver",
    "Secrets Driver",
    "CPU Driver",
    "XenAPI Driver",
    "Network Filter Driver",
    "Lifecycle Hook",
    "Domain Snapshot",
    "Audit Utils",
    "Sysinfo Utils",
    "I/O Stream Utils",
    "VMware Driver",
    "Event Loop",
    "Xen Light Driver",
    "Lock Driver",
    "Hyper-V Driver",
    "Capabilities Utils",
    "URI Utils",
    "Authentication Utils",
    "DBus Utils",
    "Parallels Cloud Server",
    "Device Config",
    "SSH transport layer",
    "Lock Space",
    "Init control",
    "Identity",
    "Cgroup",
    "Access Manager",
    "Systemd",
    "Bhyve",
    "Crypto",
    "Firewall",
    "Polkit",
    "Thread jobs",
    "Admin Interface",
    "Log Manager",
    "Xen XL Config",
    "Perf",
    "Libssh transport layer",
    "Resource control",
    "FirewallD",
    "Domain Checkpoint",
    "TPM",
    "BPF",
    "Cloud-Hypervisor Driver",
};


static void
virLastErrFree(gpointer data)
{
    virFreeError(data);
}


static virErrorPtr
virLastErrorObject(void)
{
    virErrorPtr err = g_private_get(&virLastErr);

    if (!err) {
        err = g_new0(virError, 1);
        g_private_set(&virLastErr, err);
    }
    return err;
}


const char *
virErrorMsgTemplate(int code, bool hasDetail)
{
    const virErrorTemplate *t = NULL;

    if (code > 0 && code < (int)G_N_ELEMENTS(virErrorTemplates))
        t = &virErrorTemplates[code];
    if (!t || !t->bare)
        return hasDetail ? "%s" : "unknown error";
    return hasDetail ? t->withDetail : t->bare;
}


static void
virErrorSet(int domain, int code, int level, char *message, char *str1, char *str2,
            char *str3, int int1, int int2)
{
    virErrorPtr err = virLastErrorObject();

    virResetError(err);
    if (code == VIR_ERR_OK) {
        g_free(message);
        g_free(str1);
        g_free(str2);
        g_free(str3);
        return;
    }
    err->domain = domain;
    err->code = code;
    err->level = level;
    err->message = message ? message : g_strdup("No error message provided");
    err->str1 = str1;
    err->str2 = str2;
    err->str3 = str3;
    err->int1 = int1;
    err->int2 = int2;
    g_debug("error %d/%d: %s", domain, code, err->message);
}


void
virReportErrorFull(int domain, int code, const char *funcname, const char *fmt, ...)
{
    int saved_errno = errno;
    char *detail = NULL;
    const char *tmpl;
    char *message;

    if (fmt) {
        va_list ap;

        va_start(ap, fmt);
        detail = g_strdup_vprintf(fmt, ap);
        va_end(ap);
    }

    tmpl = virErrorMsgTemplate(code, detail != NULL);
    if (detail) {
        /* The templates hold exactly one %s and no other directive. */
        g_autoptr(GString) buf = g_string_new(NULL);
        const char *p = strstr(tmpl, "%s");

        g_string_append_len(buf, tmpl, p - tmpl);
        g_string_append(buf, detail);
        g_string_append(buf, p + 2);
        message = g_string_free(g_steal_pointer(&buf), FALSE);
    } else {
        message = g_strdup(tmpl);
    }

    (void)funcname;
    virErrorSet(domain, code, VIR_ERR_ERROR, message, g_strdup(tmpl), detail, NULL, -1,
                -1);
    errno = saved_errno;
}


void
virReportSystemErrorFull(int domain, int errnum, const char *funcname, const char *fmt,
                         ...)
{
    int saved_errno = errno;
    g_autoptr(GString) buf = g_string_new(NULL);
    char *detail;

    if (fmt) {
        va_list ap;

        va_start(ap, fmt);
        g_string_append_vprintf(buf, fmt, ap);
        va_end(ap);
        g_string_append(buf, ": ");
    }
    g_string_append(buf, g_strerror(errnum));
    detail = g_string_free(g_steal_pointer(&buf), FALSE);

    (void)funcname;
    virErrorSet(domain, VIR_ERR_SYSTEM_ERROR, VIR_ERR_ERROR, g_strdup(detail),
                g_strdup("%s"), detail, NULL, errnum, -1);
    errno = saved_errno;
}


void
virSetErrorRaw(int domain, int code, int level, const char *message, const char *str1,
               const char *str2, const char *str3, int int1, int int2)
{
    virErrorSet(domain, code, level, g_strdup(message), g_strdup(str1), g_strdup(str2),
                g_strdup(str3), int1, int2);
}


bool
virErrorIsSet(void)
{
    virErrorPtr err = g_private_get(&virLastErr);

    return err && err->code != VIR_ERR_OK;
}


int
virCopyError(virErrorPtr from, virErrorPtr to)
{
    if (!to)
        return 0;
    virResetError(to);
    if (!from)
        return 0;
    to->code = from->code;
    to->domain = from->domain;
    to->level = from->level;
    to->message = g_strdup(from->message);
    to->str1 = g_strdup(from->str1);
    to->str2 = g_strdup(from->str2);
    to->str3 = g_strdup(from->str3);
    to->int1 = from->int1;
    to->int2 = from->int2;
    return 0;
}


void
virErrorPreserveLast(virErrorPtr *saved)
{
    int saved_errno = errno;
    virErrorPtr last = virGetLastError();

    *saved = NULL;
    if (last) {
        *saved = g_new0(virError, 1);
        virCopyError(last, *saved);
    }
    errno = saved_errno;
}


void
virErrorRestore(virErrorPtr *saved)
{
    int saved_errno = errno;

    if (!*saved) {
        /* there was none: whatever the code in between reported goes */
        virResetError(virLastErrorObject());
        errno = saved_errno;
        return;
    }
    virCopyError(*saved, virLastErrorObject());
    g_clear_pointer(saved, virFreeError);
    errno = saved_errno;
}


/* ---- Public API ------------------------------------------------------ */

virErrorPtr
virGetLastError(void)
{
    virErrorPtr err = virLastErrorObject();

    if (err->code == VIR_ERR_OK)
        return NULL;
    return err;
}


int
virGetLastErrorCode(void)
{
    return virLastErrorObject()->code;
}


int
virGetLastErrorDomain(void)
{
    return virLastErrorObject()->domain;
}


const char *
virGetLastErrorMessage(void)
{
    virErrorPtr err = virLastErrorObject();

    if (err->code == VIR_ERR_OK)
        return "no error";
    if (!err->message)
        return "unknown error";
    return err->message;
}


virErrorPtr
virSaveLastError(void)
{
    int saved_errno = errno;
    virErrorPtr to = g_new0(virError, 1);

    virCopyLastError(to);
    errno = saved_errno;
    return to;
}


int
virCopyLastError(virErrorPtr to)
{
    if (!to)
        return -1;
    memset(to, 0, sizeof(*to));
    virCopyError(virLastErrorObject(), to);
    return to->code;
}


void
virResetError(virErrorPtr err)
{
    if (!err)
        return;
    g_free(err->message);
    g_free(err->str1);
    g_free(err->str2);
    g_free(err->str3);
    memset(err, 0, sizeof(*err));
}


void
virFreeError(virErrorPtr err)
{
    virResetError(err);
    g_free(err);
}


void
virResetLastError(void)
{
    virErrorPtr err = g_private_get(&virLastErr);

    if (err && err->code != VIR_ERR_OK)
        virResetError(err);
}


void
virSetErrorFunc(void *userData, virErrorFunc handler)
{
    virErrorHandler = handler;
    virErrorUserData = userData;
}


void
virDefaultErrorFunc(virErrorPtr err)
{
    const char *lvl = "";
    const char *dom = "Unknown";
    size_t len;

    if (!err || err->code == VIR_ERR_OK)
        return;
    if (err->level == VIR_ERR_WARNING)
        lvl = "warning";
    else if (err->level == VIR_ERR_ERROR)
        lvl = "error";
    if (err->domain >= 0 && err->domain < (int)G_N_ELEMENTS(virErrorDomainNames))
        dom = virErrorDomainNames[err->domain];

    len = err->message ? strlen(err->message) : 0;
    if (len == 0 || err->message[len - 1] != '\n')
        fprintf(stderr, "libvirt: %s %s : %s\n", dom, lvl,
                err->message ? err->message : "");
    else
        fprintf(stderr, "libvirt: %s %s : %s", dom, lvl, err->message);
}


virErrorPtr
virErrorPrepareDispatch(void)
{
    virErrorPtr err = virLastErrorObject();

    if (err->code == VIR_ERR_OK) {
        err->code = VIR_ERR_INTERNAL_ERROR;
        err->domain = VIR_FROM_NONE;
        err->level = VIR_ERR_ERROR;
        g_free(err->message);
        err->message = g_strdup("An error occurred, but the cause is unknown");
    }
    return err;
}


void
virErrorCallHandler(virErrorPtr err, virErrorFunc handler, void *userData)
{
    if (!handler) {
        handler = virErrorHandler;
        userData = virErrorUserData;
    }
    if (handler)
        handler(userData, err);
    else
        virDefaultErrorFunc(err);
}


static virNoticeHandler virNoticeSink;

void
virNoticeSetHandler(virNoticeHandler handler)
{
    virNoticeSink = handler;
}


void
virNoticeLog(const char *logDomain, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (virNoticeSink)
        virNoticeSink(logDomain, msg);
    else
        g_log_structured(logDomain ? logDomain : "virtkit", G_LOG_LEVEL_DEBUG, "MESSAGE",
                         "%s", msg);
}
