/* libvirt-host-cpu.c: public entry points of the host and CPU facts (domain capabilities, CPU models, ...) */
#define G_LOG_DOMAIN "virtkit.api"

#include "libvirt_internal.h"

/* libvirt 9.0 keeps these in libvirt-domain.c / libvirt-host.c: the domain
 * capabilities report in VIR_FROM_DOMAIN. */
#define VIR_FROM_THIS VIR_FROM_DOMAIN

/**
 * virConnectGetDomainCapabilities:
 * @conn: a connection
 * @emulatorbin: the emulator's path, or NULL (the default one)
 * @arch: the guest architecture, or NULL (the emulator's)
 * @machine: the machine type (alias or full name), or NULL (the default)
 * @virttype: "qemu" or "kvm", or NULL (kvm when usable, else qemu)
 * @flags: 0
 *
 * What a guest of these parameters can be given, as libvirt's
 * <domainCapabilities> XML. The QEMU driver lists only what virtkit
 * accepts in a definition (each enum value is tried against its own
 * validator), CPU models from QEMU's query-cpu-definitions. Refused on a
 * read-only connection (VIR_ERR_OPERATION_DENIED, as libvirt 9.0); the
 * test driver has none (VIR_ERR_NO_SUPPORT, as libvirt's); bad parameters
 * give libvirt's errors (VIR_ERR_INVALID_ARG "unknown virttype: X", "the
 * machine 'X' is not supported by emulator 'E'", ...).
 *
 * Returns the XML (free it), or NULL on error.
 */
char *
virConnectGetDomainCapabilities(virConnectPtr conn, const char *emulatorbin,
                                const char *arch, const char *machine,
                                const char *virttype, unsigned int flags)
{
    char *ret;

    virResetLastError();
    virCheckConnectReturn(conn, NULL);
    virCheckReadOnlyGoto(conn, error);
    if (conn->driver->connectGetDomainCapabilities) {
        if (!(ret = conn->driver->connectGetDomainCapabilities(conn, emulatorbin, arch,
                                                               machine, virttype, flags)))
            goto error;
        return ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return NULL;
}
