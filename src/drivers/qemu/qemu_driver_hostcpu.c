/* qemu_driver_hostcpu.c: the QEMU driver's host and CPU facts (domain capabilities, CPU models)
 *
 * Answers come from the probed QEMU (qemu_capabilities.h, through the glue)
 * and virtkit's own validator (qemu_domcaps.h). No state of its own: any
 * thread.
 */
#define G_LOG_DOMAIN "virtkit.qemu.hostcpu"

#include "qemu_capabilities_glue.h"
#include "qemu_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

char *
qemuConnectGetDomainCapabilities(virConnectPtr conn, const char *emulatorbin,
                                 const char *arch, const char *machine,
                                 const char *virttype, unsigned int flags)
{
    virCheckFlags(0, NULL);
    return qemuGlueGetDomainCapabilities(qemuDriverOf(conn), emulatorbin, arch, machine,
                                         virttype);
}
