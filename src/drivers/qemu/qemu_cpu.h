/* qemu_cpu.h: host-model expanded from QEMU's models, feature names between libvirt and QEMU */
#pragma once

#include "domain_conf.h"
#include "qemu_capabilities.h"

/* QEMU's property name of libvirt's feature @name, and back (the few that
 * differ: "fxsr_opt" <-> "fxsr-opt"); @name itself otherwise. */
const char *qemuCPUFeatureToQEMU(const char *name);
const char *qemuCPUFeatureFromQEMU(const char *name);

/*
 * The host-model CPU of @caps as domcapabilities shows it: a custom CPU
 * (match exact, fallback forbid, check default), the closest named model,
 * the vendor and the features to require / disable (libvirt's names).
 * New, or NULL (nothing reported) when QEMU gave no expansion.
 */
virDomainCpuDef *qemuCPUHostModel(const qemuCaps *caps);

/* @def's host-model CPU expanded: qemuCPUHostModel with @def's topology
 * and its own features on top. New, or NULL with CONFIG_UNSUPPORTED. */
virDomainCpuDef *qemuCPUExpandHostModel(const qemuCaps *caps, const virDomainDef *def);

/* At start: a host-model <cpu> of @def (the live definition) becomes the
 * expanded custom CPU, check='full', as libvirt's live XML. 0 (nothing to
 * do for other modes), -1 with CONFIG_UNSUPPORTED. */
int qemuCPUUpdateLiveHostModel(const qemuCaps *caps, virDomainDef *def);

/*
 * virConnectCompareCPU (@hypervisor false: against the host's CPU, read
 * from /proc/cpuinfo) and virConnectCompareHypervisorCPU (@hypervisor
 * true: against QEMU's expansion of "max", the CPU a TCG guest gets) over
 * the CPU map of @caps (cpu_map.h), with libvirt's flags and errors.
 * Returns a virCPUCompareResult or -1.
 */
int qemuCPUCompareXML(const qemuCaps *caps, bool hypervisor, const char *xml,
                      unsigned int flags);

/* virConnectBaselineCPU / virConnectBaselineHypervisorCPU (@hypervisor:
 * only the features QEMU knows) over the CPU map of @caps: the CPU's XML
 * (new) or NULL. */
char *qemuCPUBaselineXML(const qemuCaps *caps, bool hypervisor, const char **xmlCPUs,
                         unsigned int ncpus, unsigned int flags);

/* The host CPU as the capabilities XML shows it: *@model (new; NULL when no
 * model fits) named from the CPU map of @caps and /proc/cpuinfo, and the
 * host's features beyond that model (new, sorted, NULL-terminated). */
GStrv qemuCPUHostCapsModel(const qemuCaps *caps, char **model);
