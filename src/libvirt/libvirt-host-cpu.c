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
    VIR_ENTRY_CONNECT(NULL);
    virCheckReadOnlyGoto(conn, error);
    VIR_ENTRY_CALL_PTR(driver, connectGetDomainCapabilities, conn, emulatorbin, arch,
                       machine, virttype, flags);
}

/**
 * virConnectGetCPUModelNames:
 * @conn: a connection
 * @arch: an architecture name ("x86_64")
 * @models: where to store a NULL-terminated list of names (free each and
 *          the list), or NULL to count them only
 * @flags: 0
 *
 * The CPU models a guest of @arch may name: the test driver answers as
 * libvirt's (its CPU map: 58 x86 models, 0 for arm/s390, NO_SUPPORT for
 * architectures without a CPU driver); the QEMU driver with the models of
 * QEMU's query-cpu-definitions for x86_64 and i686 (0 for other
 * architectures libvirt has a CPU driver for). An unknown architecture is
 * VIR_ERR_INVALID_ARG "cannot find architecture X".
 *
 * Returns the number of models, or -1 on error.
 */
int
virConnectGetCPUModelNames(virConnectPtr conn, const char *arch, char ***models,
                           unsigned int flags)
{
    virResetLastError();
    if (models)
        *models = NULL;
    virCheckConnectReturn(conn, -1);
    virCheckNonNullArgGoto(arch, error);
    VIR_ENTRY_CALL(driver, connectGetCPUModelNames, conn, arch, models, flags);
}

/**
 * virConnectCompareCPU:
 * @conn: a connection
 * @xmlDesc: a CPU description (<cpu>: a host CPU when it has <arch>, else
 *           a guest CPU)
 * @flags: bitwise-OR of virConnectCompareCPUFlags
 *
 * Compares the CPU with the host's, as libvirt's x86 CPU driver does, over
 * virtkit's CPU map (src/conf/cpu_map.h: the models' features from QEMU's
 * static expansions, the host's from /proc/cpuinfo). The QEMU driver
 * answers; the test driver has no host CPU (VIR_ERR_NO_SUPPORT, as
 * libvirt's). With VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE an
 * incompatible CPU is VIR_ERR_CPU_INCOMPATIBLE with the reason ("Host CPU
 * does not provide required features: vmx"). Bad XML, unknown models and
 * features get libvirt's errors (VIR_FROM_CPU).
 *
 * Returns a virCPUCompareResult, or VIR_CPU_COMPARE_ERROR (-1) on error.
 */
int
virConnectCompareCPU(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    int ret;

    virResetLastError();
    virCheckConnectReturn(conn, VIR_CPU_COMPARE_ERROR);
    virCheckNonNullArgGoto(xmlDesc, error);
    if (conn->driver->connectCompareCPU) {
        if ((ret = conn->driver->connectCompareCPU(conn, xmlDesc, flags)) ==
            VIR_CPU_COMPARE_ERROR)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return VIR_CPU_COMPARE_ERROR;
}

/**
 * virConnectCompareHypervisorCPU:
 * @conn: a connection
 * @emulator: the emulator's path, or NULL
 * @arch: the architecture, or NULL
 * @machine: the machine type, or NULL
 * @virttype: the virtualization type, or NULL
 * @xmlCPU: a CPU description
 * @flags: bitwise-OR of virConnectCompareCPUFlags
 *
 * As virConnectCompareCPU, against the CPU the hypervisor gives a guest
 * (the QEMU driver: QEMU's expansion of "max" under TCG, the host-model of
 * the domain capabilities) instead of the host's. The parameters are
 * checked as virConnectGetDomainCapabilities checks them. Refused on a
 * read-only connection first, as libvirt 9.0; the test driver answers
 * VIR_ERR_NO_SUPPORT, as libvirt's.
 *
 * Returns a virCPUCompareResult, or VIR_CPU_COMPARE_ERROR (-1) on error.
 */
int
virConnectCompareHypervisorCPU(virConnectPtr conn, const char *emulator, const char *arch,
                               const char *machine, const char *virttype,
                               const char *xmlCPU, unsigned int flags)
{
    int ret;

    virResetLastError();
    virCheckConnectReturn(conn, VIR_CPU_COMPARE_ERROR);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(xmlCPU, error);
    if (conn->driver->connectCompareHypervisorCPU) {
        if ((ret = conn->driver->connectCompareHypervisorCPU(
                 conn, emulator, arch, machine, virttype, xmlCPU, flags)) ==
            VIR_CPU_COMPARE_ERROR)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return VIR_CPU_COMPARE_ERROR;
}

/**
 * virConnectBaselineCPU:
 * @conn: a connection
 * @xmlCPUs: host CPU descriptions (<cpu> with <arch> and <model>)
 * @ncpus: how many
 * @flags: bitwise-OR of virConnectBaselineCPUFlags
 *
 * The most capable guest CPU all of the given host CPUs can run, as
 * libvirt's x86 CPU driver computes it over virtkit's CPU map
 * (src/conf/cpu_map.h): the features they share, named by the model that
 * needs the fewest features added or disabled, the common vendor when all
 * name it. VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES lists every feature of
 * the model; VIR_CONNECT_BASELINE_CPU_MIGRATABLE (QEMU driver; the test
 * driver refuses it, as libvirt's) drops non-migratable ones. The test
 * and QEMU drivers answer; errors are libvirt's (VIR_FROM_CPU: "no CPUs
 * given", "CPU vendors do not match", "Unknown CPU model X", ...).
 *
 * Returns the CPU XML (free it), or NULL on error.
 */
char *
virConnectBaselineCPU(virConnectPtr conn, const char **xmlCPUs, unsigned int ncpus,
                      unsigned int flags)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckNonNullArgGoto(xmlCPUs, error);
    VIR_ENTRY_CALL_PTR(driver, connectBaselineCPU, conn, xmlCPUs, ncpus, flags);
}

/**
 * virConnectBaselineHypervisorCPU:
 * @conn: a connection
 * @emulator: the emulator's path, or NULL
 * @arch: the architecture, or NULL
 * @machine: the machine type, or NULL
 * @virttype: the virtualization type, or NULL
 * @xmlCPUs: host CPU descriptions
 * @ncpus: how many
 * @flags: bitwise-OR of virConnectBaselineCPUFlags
 *
 * As virConnectBaselineCPU, limited to the models and features the
 * hypervisor knows (the QEMU driver: QEMU's); the parameters are checked
 * as virConnectGetDomainCapabilities checks them. Refused on a read-only
 * connection first, as libvirt 9.0; the test driver answers
 * VIR_ERR_NO_SUPPORT, as libvirt's.
 *
 * Returns the CPU XML (free it), or NULL on error.
 */
char *
virConnectBaselineHypervisorCPU(virConnectPtr conn, const char *emulator,
                                const char *arch, const char *machine,
                                const char *virttype, const char **xmlCPUs,
                                unsigned int ncpus, unsigned int flags)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(xmlCPUs, error);
    VIR_ENTRY_CALL_PTR(driver, connectBaselineHypervisorCPU, conn, emulator, arch,
                       machine, virttype, xmlCPUs, ncpus, flags);
}

/**
 * virNodeGetMemoryParameters:
 * @conn: a connection
 * @params: where to store the parameters (room for *@nparams), or NULL
 * @nparams: in: room in @params (0 to ask how many there are); out: how
 *           many were filled (or exist)
 * @flags: 0 (VIR_TYPED_PARAM_STRING_OKAY is added, as libvirt does)
 *
 * The host's kernel same-page merging (KSM) figures, libvirt's
 * VIR_NODE_MEMORY_SHARED_* parameters read from /sys/kernel/mm/ksm by the
 * QEMU driver; the test driver has none (VIR_ERR_NO_SUPPORT, as libvirt's).
 *
 * Returns 0 on success, -1 on error.
 */
int
virNodeGetMemoryParameters(virConnectPtr conn, virTypedParameterPtr params, int *nparams,
                           unsigned int flags)
{
    VIR_ENTRY_CONNECT(-1);
    virCheckNonNullArgGoto(nparams, error);
    virCheckNonNegativeArgGoto(*nparams, error);
    if (*nparams != 0)
        virCheckNonNullArgGoto(params, error);
    flags |= VIR_TYPED_PARAM_STRING_OKAY;
    VIR_ENTRY_CALL_ZERO(driver, nodeGetMemoryParameters, conn, params, nparams, flags);
}

/**
 * virNodeSetMemoryParameters:
 * @conn: a connection
 * @params: the parameters to change
 * @nparams: how many
 * @flags: 0
 *
 * Changes the host's KSM tunables: VIR_NODE_MEMORY_SHARED_PAGES_TO_SCAN,
 * _SLEEP_MILLISECS, _MERGE_ACROSS_NODES (unsigned ints), written to
 * /sys/kernel/mm/ksm by the QEMU driver; any other parameter is
 * VIR_ERR_ARGUMENT_UNSUPPORTED "parameter 'X' not supported" and nothing
 * is changed. Refused on a read-only connection.
 *
 * Returns 0 on success, -1 on error.
 */
int
virNodeSetMemoryParameters(virConnectPtr conn, virTypedParameterPtr params, int nparams,
                           unsigned int flags)
{
    VIR_ENTRY_CONNECT(-1);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(params, error);
    virCheckNonNegativeArgGoto(nparams, error);
    VIR_ENTRY_CALL_ZERO(driver, nodeSetMemoryParameters, conn, params, nparams, flags);
}
