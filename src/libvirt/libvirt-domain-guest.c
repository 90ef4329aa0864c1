/* libvirt-domain-guest.c: public entry points of the guest utilities (send-key, control info, ...) */
#define G_LOG_DOMAIN "virtkit.api"

#include <errno.h>
#include <sys/stat.h>

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/**
 * virDomainSendKey:
 * @domain: a domain handle
 * @codeset: the virKeycodeSet the keycodes are in
 * @holdtime: how long the keys are held, in milliseconds (0: QEMU's default)
 * @keycodes: the keys, pressed together then released
 * @nkeycodes: how many (1 to VIR_DOMAIN_SEND_KEY_MAX_KEYS)
 * @flags: 0
 *
 * Presses keys on the running guest's keyboard (QMP send-key with QEMU's
 * key numbers). The QEMU driver translates every codeset (linux, xt,
 * atset1, atset2, atset3, os_x, xt_kbd, usb, win32) to QEMU's numbers with
 * libvirt's tables (keycodemapdb's), and sends qnum/rfb keys as they are;
 * a keycode no row of the tables holds is VIR_ERR_INTERNAL_ERROR "cannot
 * translate keycode K of S codeset to qnum keycode" (libvirt's message)
 * and nothing is pressed. The test driver checks the keys as libvirt's
 * does ("invalid keycode K of S codeset") and presses nothing.
 *
 * Returns 0 on success, -1 on error: VIR_ERR_OPERATION_DENIED on a
 * read-only connection, VIR_ERR_INVALID_ARG for a codeset past
 * VIR_KEYCODE_SET_LAST or a bad count, VIR_ERR_OPERATION_INVALID for an
 * inactive domain.
 */
int
virDomainSendKey(virDomainPtr domain, unsigned int codeset, unsigned int holdtime,
                 unsigned int *keycodes, int nkeycodes, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(keycodes, error);
    if (nkeycodes <= 0) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "nkeycodes",
                               "nkeycodes in %s must be greater than zero", __func__);
        goto error;
    }
    if (codeset > VIR_KEYCODE_SET_QNUM) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "codeset",
                               "Unsupported codeset '%d'", codeset);
        goto error;
    }
    if (nkeycodes > VIR_DOMAIN_SEND_KEY_MAX_KEYS) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "nkeycodes",
                               "nkeycodes must be <= %d", VIR_DOMAIN_SEND_KEY_MAX_KEYS);
        goto error;
    }
    VIR_ENTRY_CALL_ZERO(driver, domainSendKey, domain, codeset, holdtime, keycodes,
                        nkeycodes, flags);
}

/**
 * virDomainGetControlInfo:
 * @domain: a domain handle
 * @info: where to store the state of the control interface
 * @flags: 0
 *
 * Whether the hypervisor can be talked to about the running domain: OK,
 * OCCUPIED while a job holds the domain (with how long, in ms), ERROR
 * (MONITOR) when QEMU's monitor is gone.
 *
 * Returns 0 on success, -1 on error (VIR_ERR_OPERATION_INVALID for an
 * inactive domain).
 */
int
virDomainGetControlInfo(virDomainPtr domain, virDomainControlInfoPtr info,
                        unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckNonNullArgGoto(info, error);
    VIR_ENTRY_CALL_ZERO(driver, domainGetControlInfo, domain, info, flags);
}

/**
 * virDomainOpenGraphics:
 * @dom: a running domain
 * @idx: which graphics backend (its position among the <graphics> devices)
 * @fd: a connected socket, the client's end stays with the caller
 * @flags: VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH (no password asked on it)
 *
 * Makes the other end of @fd a client of the domain's VNC (or SPICE)
 * server, as if it had connected to the server's port: the caller then
 * speaks the protocol (RFB) on its end. A duplicate of @fd goes to the
 * hypervisor; the caller still owns @fd.
 *
 * Returns 0, or -1 on error: VIR_ERR_INVALID_ARG for a negative @fd or one
 * that is not a socket, VIR_ERR_OPERATION_DENIED on a read-only
 * connection, VIR_ERR_OPERATION_INVALID for an inactive domain,
 * VIR_ERR_INTERNAL_ERROR "No graphics backend with index N".
 */
int
virDomainOpenGraphics(virDomainPtr dom, unsigned int idx, int fd, unsigned int flags)
{
    virConnectPtr conn;
    struct stat sb;

    virResetLastError();
    virCheckDomainReturn(dom, -1);
    conn = dom->conn;
    virCheckNonNegativeArgGoto(fd, error);
    if (fstat(fd, &sb) < 0) {
        virReportSystemError(errno, "Unable to access file descriptor %d", fd);
        goto error;
    }
    if (!S_ISSOCK(sb.st_mode)) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "fd", "fd %d must be a socket",
                               fd);
        goto error;
    }
    virCheckReadOnlyGoto(conn, error);
    if (conn->driver->domainOpenGraphics) {
        if (conn->driver->domainOpenGraphics(dom, idx, fd, flags) < 0)
            goto error;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}

/**
 * virDomainOpenGraphicsFD:
 * @dom: a running domain
 * @idx: which graphics backend (its position among the <graphics> devices)
 * @flags: VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH (no password asked on it)
 *
 * As virDomainOpenGraphics, with a socket pair made by the driver: the
 * hypervisor gets one end, the caller the other (over virtkitd, passed
 * back with the reply). This is what virt-manager uses on a local
 * connection.
 *
 * Returns the caller's end (to close when done), or -1 on error (the
 * errors of virDomainOpenGraphics).
 */
int
virDomainOpenGraphicsFD(virDomainPtr dom, unsigned int idx, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    virCheckReadOnlyGoto(conn, error);
    VIR_ENTRY_CALL(driver, domainOpenGraphicsFD, dom, idx, flags);
}
