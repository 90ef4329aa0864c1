/* qemu_capabilities_glue.h: the QEMU driver's narrow view of the command-line and capabilities modules */
#pragma once

/*
 * The lifecycle code (qemu_process.c, qemu_driver_*.c) reaches the
 * command-line builder and the capabilities probe only through these
 * functions, implemented in qemu_capabilities_glue.c on top of
 * qemu_command.h and qemu_capabilities.h.
 */

#include <json-c/json.h>

#include "qemu_command.h"
#include "qemu_conf.h"
#include "qemu_domain.h"
#include "qemu_secret.h"

/* At define/create: the driver's post-parse and validation of @def
 * (defaults such as the emulator and the canonical machine, and anything
 * QEMU cannot honour). 0 or -1 with an error reported (CONFIG_UNSUPPORTED). */
int qemuGluePostParse(qemuDriver *driver, virDomainDef *def);

/* <libDir>/nvram: where per-domain NVRAM files go (libvirt's nvramDir). */
char *qemuGlueNVRAMDir(qemuDriver *driver);

/* At start, on the live copy: firmware autoselection from QEMU's
 * descriptors and, when @createNVRAM, the NVRAM file created from its
 * template (qemu_firmware.h). 0 or -1 with the error reported. */
int qemuGlueFirmwareForStart(qemuDriver *driver, virDomainDef *def, bool createNVRAM);

/* Fill in the driver defaults of @def (emulator, machine alias) and check
 * it can run here (virt type against the KVM boot probe). *version gets
 * QEMU's version string ("7.2.0"). 0 or -1 with an error reported. */
int qemuGluePrepareForStart(qemuDriver *driver, virDomainDef *def, char **version);

/* The argv for @def with the monitor listening on @monfd (or bound by QEMU
 * at @monitorPath when not NULL: a command line only shown), with the
 * descriptors @fds a start opened for QEMU (NULL: none; qemu_command.h
 * says what each array holds), with -sandbox when qemu.conf
 * seccomp_sandbox is on and QEMU has it; @secrets the network disks'
 * secrets (qemu_secret.h, NULL: none). NULL on error. */
char **qemuGlueBuildArgv(qemuDriver *driver, virDomainDef *def, int monfd,
                         const char *monitorPath, const char *libDir,
                         const qemuCommandFds *fds, const qemuDomainSecrets *secrets);

/* Does QEMU (the emulator of @def) mark @def's machine type, or its CPU
 * model @model, deprecated (query-machines / query-cpu-definitions)?
 * False when that is not known (no error reported). */
bool qemuGlueIsMachineDeprecated(qemuDriver *driver, const virDomainDef *def);
bool qemuGlueIsCPUDeprecated(qemuDriver *driver, const virDomainDef *def,
                             const char *model);

int qemuGlueGetQemuVersion(qemuDriver *driver, unsigned long *version);
char *qemuGlueGetCapabilitiesXML(qemuDriver *driver);
void qemuGlueCapsFree(void *caps);

/* virConnectGetDomainCapabilities: the <domainCapabilities> of @emulatorbin
 * (NULL: qemu-system-x86_64 on PATH) for @arch (NULL: x86_64), @machine
 * (alias or name; NULL: the default) and @virttype (NULL: kvm when usable,
 * else qemu), with libvirt's errors (INVALID_ARG "unknown virttype: X",
 * "unknown architecture: X", "the machine 'X' is not supported by emulator
 * 'E'", "Emulator 'E' does not support virt type 'T'"; CONFIG_UNSUPPORTED
 * "unable to find any emulator to serve 'X' architecture"). New string or
 * NULL. */
/* The CPU models of the default emulator that libvirt names (QEMU's
 * query-cpu-definitions without versioned names, max, host, base), in
 * QEMU's order: a NULL-terminated list, or NULL with an error reported. */
char **qemuGlueGetCPUModelNames(qemuDriver *driver);

char *qemuGlueGetDomainCapabilities(qemuDriver *driver, const char *emulatorbin,
                                    const char *arch, const char *machine,
                                    const char *virttype);

/* virConnectCompareCPU / virConnectCompareHypervisorCPU (@hypervisor: the
 * parameters are checked as for domain capabilities) and their baseline
 * counterparts, over the default (or given) QEMU's CPU map (qemu_cpu.h).
 * A virCPUCompareResult or -1; the CPU XML or NULL. */
int qemuGlueCompareCPU(qemuDriver *driver, bool hypervisor, const char *emulator,
                       const char *arch, const char *machine, const char *virttype,
                       const char *xml, unsigned int flags);
char *qemuGlueBaselineCPU(qemuDriver *driver, bool hypervisor, const char *emulator,
                          const char *arch, const char *machine, const char *virttype,
                          const char **xmlCPUs, unsigned int ncpus, unsigned int flags);
