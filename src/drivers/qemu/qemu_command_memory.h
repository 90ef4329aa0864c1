/* qemu_command_memory.h: guest memory on the QEMU command line (-m, memory backends, -numa) */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "domain_conf.h"
#include "qemu_command.h"

/*
 * As libvirt 9.0 with QEMU 7.2 on x86: a guest with NUMA cells gets one
 * memory backend per cell ("ram-nodeN", its size rounded up to 1 MiB)
 * and "-numa node,nodeid=N,cpus=...,memdev=ram-nodeN", then every
 * "-numa dist" when a cell gives distances; a guest without cells gets
 * its RAM from a "pc.ram" backend ("-machine ...,memory-backend=pc.ram")
 * when <memoryBacking> or <numatune> asks for something of it (libvirt
 * always does it; the plain case keeps "-m" alone). The backend is
 * memory-backend-memfd for <source type='memfd'/>, -file for hugepages,
 * an access mode or <source type='file'/>, else -ram; share, discard-data,
 * prealloc, prealloc-threads, host-nodes and policy as libvirt writes
 * them (JSON, the form QEMU 7.2 takes for -object).
 */

/* -machine's mem-merge=off (<nosharepages/>) and memory-backend=pc.ram. */
void qemuAppendMemoryMachineProps(GString *machine, const virDomainDef *def);
/* -m (size, slots and maxmem with <maxMemory>), the pc.ram backend,
 * -overcommit mem-lock=on (<locked/>); then, after -smp, the cells. 0, or
 * -1 with libvirt's error (INTERNAL_ERROR "hugetlbfs filesystem is not
 * mounted or disabled by administrator config" / "Unable to find any
 * usable hugetlbfs mount for N KiB", CONFIG_UNSUPPORTED "NUMA node N is
 * unavailable" for a host node this machine lacks). */
int qemuBuildMemoryArgs(GPtrArray *a, const virDomainDef *def,
                        const qemuCommandOptions *opts);
int qemuBuildNumaArgs(GPtrArray *a, const virDomainDef *def,
                      const qemuCommandOptions *opts);
/* Does the guest's RAM come from a pc.ram backend? */
bool qemuMemoryNeedsDefaultBackend(const virDomainDef *def);
/* Is the backend of cell @cell (-1: pc.ram) a memory-backend-file? */
bool qemuMemoryBackendIsFile(const virDomainDef *def, gssize cell);
/* The guest RAM QEMU is given at start (KiB): the cells' aligned sum, or <memory>. */
unsigned long long qemuMemoryInitialKiB(const virDomainDef *def);
/* The backends (by index: cell N, or 0 for pc.ram, then each memory
 * device) that need a file the driver makes for the run: *@aliases gets an array of that many entries,
 * each the backend's id or NULL (no file: memfd, RAM, hugetlbfs); the
 * caller frees the entries and the array. Returns the count (0: *@aliases NULL). */
size_t qemuMemoryFileBackends(const virDomainDef *def, char ***aliases);
/* JSON string @str (quotes included) into @buf. */
void qemuMemoryJSONString(GString *buf, const char *str);

/* Memory devices (<devices><memory>), as libvirt 9.0 builds them
 * (qemuBuildMemoryBackendProps with force, qemuBuildMemoryDeviceProps):
 * "-object" of the backend "mem" + alias, then "-device" pc-dimm / nvdimm
 * (node, label-size, unarmed, memdev, id, slot, addr = base) or
 * virtio-mem-pci (node, block-size, requested-size, memdev, prealloc) /
 * virtio-pmem-pci on their PCI address; sizes rounded up to 2 MiB. The
 * backend follows the device, then its guest cell, then <memoryBacking>
 * and <numatune>: memory-backend-memfd (<source type='memfd'/>, hugetlb),
 * -file (its <path>, huge pages, an access mode, <source type='file'/>:
 * discard-data, share), else -ram; prealloc (immediate allocation, huge
 * pages, an nvdimm file that is not pmem; virtio-mem preallocates in the
 * device and its backend has reserve=false), prealloc-threads, align,
 * pmem, host-nodes and policy (the device's <nodemask> first), and, at
 * start, a thread-context before a preallocated backend bound to host
 * nodes.
 * Alias: prefix + dimm slot, else prefix + index among the devices of the
 * model (caller frees). */
char *qemuMemoryDeviceAlias(const virDomainDef *def, const virDomainMemoryDef *mem);
/* @opts NULL at hotplug: a file the driver would make (no <path>, no
 * huge pages) is then CONFIG_UNSUPPORTED; at start @memFd is that file
 * (-1: @opts->memoryDir/ALIAS). 0, or -1 with libvirt's error (hugetlbfs,
 * an unavailable host node). */
int qemuBuildMemoryDeviceProps(GPtrArray *a, const virDomainDef *def,
                               const virDomainMemoryDef *mem,
                               const qemuCommandOptions *opts, int memFd);
int qemuBuildMemoryDeviceArgs(GPtrArray *a, const virDomainDef *def,
                              const qemuCommandOptions *opts);
bool qemuMemoryHasNVDIMM(const virDomainDef *def);
