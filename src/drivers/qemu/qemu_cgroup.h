/* qemu_cgroup.h: each QEMU in a cgroup of its own (libvirt's machine/qemu-ID-NAME.libvirt-qemu) */
#pragma once

#include "qemu_conf.h"
#include "domain_obj.h"
#include "vircgroup.h"

/*
 * In system mode (virtkitd as root) every guest's QEMU is placed in
 * PARTITION/qemu-ID-NAME.libvirt-qemu (PARTITION: the definition's
 * <resource><partition>, by default /machine, recorded in the live
 * definition as libvirt does) before its vCPUs run, with "emulator" and
 * "vcpuN" thread groups in the cpu, cpuacct and cpuset hierarchies; the
 * group goes when the guest stops and is adopted after a daemon restart.
 * Session and embedded drivers place nothing: priv->cgroup stays NULL and
 * the tuning calls give libvirt's errors for that case.
 * All functions: object locked, a job held.
 */

/* The host's layout (detected once). */
const virCgroupLayout *qemuCgroupLayout(void);
/* Whether @driver places guests in cgroups. */
bool qemuCgroupEnabled(qemuDriver *driver);
/* libvirt's group name of a running definition: "qemu-1-name.libvirt-qemu". */
char *qemuCgroupGroupName(const virDomainDef *def);

/* Make the group, move @obj->pid into it, apply the definition's memtune,
 * shares and global bandwidth. Called right after the spawn: before the
 * child may exec when qemuCgroupPlaceBeforeExec(@obj->def), otherwise while
 * QEMU initializes (started with -S: no guest code has run), before the
 * monitor is opened. 0 or -1 (the start fails). */
int qemuCgroupSetupMachine(qemuDriver *driver, virDomainObj *obj);
/* Whether @def needs its QEMU in the group before exec: memory limits
 * (charges made outside the group are never moved to it) or a NUMA
 * memory placement (pages allocated outside stay where they are). Moving
 * a process between cgroup v1 groups waits for an RCU grace period per
 * hierarchy (several ms each); without these needs that wait overlaps
 * QEMU's own start instead of preceding it. */
bool qemuCgroupPlaceBeforeExec(const virDomainDef *def);
/* The thread moves after the greeting (qemuCgroupSetupThreads) take the
 * kernel's global cgroup threadgroup lock, whose write side waits for an
 * RCU grace period unless another move ended less than about a grace
 * period ago (rcu_sync): 0.02-0.05 ms then, 7-16 ms otherwise (HZ=250,
 * measured here at load ~30), the largest and most variable part of a start beside QEMU's own.
 * The process placement above is such a move, but QEMU's initialization
 * outlasts its window. qemuCgroupWarmStart starts a thread that moves
 * itself into the group it is already in (a move that changes nothing, in
 * the daemon's own v1 group) every 2 ms for at most 1 s, so the window is
 * still open when the thread moves come;
 * qemuCgroupWarmStop (any thread, NULL allowed) ends and joins it. NULL
 * when @obj has no group. */
typedef struct _qemuCgroupWarm qemuCgroupWarm;
qemuCgroupWarm *qemuCgroupWarmStart(virDomainObj *obj);
void qemuCgroupWarmStop(qemuCgroupWarm *warm);
/* Once the monitor is up, before "cont": the emulator, vCPU and IOThread
 * thread groups, pins (cgroup cpuset and thread affinity) and bandwidth.
 * The lock is dropped while QEMU answers query-cpus-fast and
 * query-iothreads. */
int qemuCgroupSetupThreads(virDomainObj *obj);
/* vCPU @i's thread (priv->vcpuTids) into its "vcpuI" group with the
 * definition's pin and bandwidth (only the pin's affinity without a
 * cgroup). 0, or -1 with an error. */
int qemuCgroupSetupVcpu(virDomainObj *obj, size_t i);
/* After vCPUs were plugged or unplugged: re-read the thread ids; a vCPU
 * whose thread is new (not the one of @oldTids, the ids before the change,
 * copied by the caller) is set up as above, the group of one whose thread
 * is gone is removed. The lock is dropped while QEMU answers. 0 or -1. */
int qemuCgroupVcpusChanged(virDomainObj *obj, const int *oldTids, size_t noldTids);
/* The group of vCPU @i removed, its thread gone (never fails). */
void qemuCgroupRemoveVcpu(virDomainObj *obj, size_t i);
/* The IOThreads' thread ids from query-iothreads into the live
 * definition's iothreads[]->tid (lock dropped while QEMU answers); -1
 * with INTERNAL_ERROR when one of them is missing. SetupIOThread: @t's
 * thread into its "iothreadN" group with its pin (else <vcpu cpuset>) as
 * cpuset and affinity, and the iothread bandwidth (affinity only without
 * a cgroup), as libvirt's qemuProcessSetupIOThread. 0 or -1. */
int qemuCgroupRefreshIOThreadTids(virDomainObj *obj);
int qemuCgroupSetupIOThread(virDomainObj *obj, const virDomainIOThreadDef *t);
/* Live pin of @t (thread known): its group's cpuset.cpus (when the
 * guest has a cpuset group), then the thread's affinity, to the cpu list
 * @list, as libvirt's qemuDomainPinIOThread. 0 or -1 with the error. */
int qemuCgroupPinIOThread(virDomainObj *obj, const virDomainIOThreadDef *t,
                          const char *list);
/* The group of IOThread @id removed, its thread gone (never fails). */
void qemuCgroupRemoveIOThread(virDomainObj *obj, unsigned int id);
/* Re-read the vCPU thread ids (reconnect). */
int qemuCgroupRefreshVcpuTids(virDomainObj *obj);
/* After a daemon restart: adopt the group @obj->pid sits in. */
void qemuCgroupReconnect(qemuDriver *driver, virDomainObj *obj);
/* QEMU is gone: remove what was made. */
void qemuCgroupRemove(virDomainObj *obj);

/* The thread group of vCPU @vcpu / the emulator / IOThread @id (no creation); NULL with
 * an error when the guest has no cgroup. */
virCgroup *qemuCgroupVcpu(virDomainObj *obj, unsigned int vcpu);
virCgroup *qemuCgroupEmulator(virDomainObj *obj);
virCgroup *qemuCgroupIOThread(virDomainObj *obj, unsigned int id);
