/* libvirt-qemu.c: public entry points of the QEMU-specific API (libvirt-qemu.h) */
#define G_LOG_DOMAIN "virtkit.api"

#include <libvirt/libvirt-qemu.h>

#include "libvirt_internal.h"

/* libvirt's libvirt-qemu.c reports in no error domain. */
#define VIR_FROM_THIS VIR_FROM_NONE

/**
 * virDomainQemuMonitorCommand:
 * @domain: a running domain of the QEMU driver
 * @cmd: a QMP command as JSON text, or with VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP
 *       a human monitor command line
 * @result: where to store QEMU's whole JSON reply (or the human monitor's
 *          output); the caller frees it
 * @flags: 0 or VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP
 *
 * Sends @cmd to the domain's QEMU monitor, behind the driver's back (the
 * domain is logged as tainted, as libvirt does). Refused on read-only
 * connections (VIR_ERR_OPERATION_DENIED); VIR_ERR_NO_SUPPORT from drivers
 * without a QEMU monitor.
 *
 * Returns 0 with *@result set, or -1 in case of error.
 */
int
virDomainQemuMonitorCommand(virDomainPtr domain, const char *cmd, char **result,
                            unsigned int flags)
{
    virConnectPtr conn;

    virResetLastError();
    virCheckDomainReturn(domain, -1);
    conn = domain->conn;
    virCheckNonNullArgGoto(cmd, error);
    virCheckNonNullArgGoto(result, error);
    virCheckReadOnlyGoto(conn, error);
    if (conn->driver->domainQemuMonitorCommand) {
        if (conn->driver->domainQemuMonitorCommand(domain, cmd, result, flags) < 0)
            goto error;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}
