/* vircgroup.h: control groups (v1, v2 and the hybrid of both) as libvirt places guests in them */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

/*
 * The host's layout is detected once from a mounts table
 * (/proc/self/mounts): each controller is served by the cgroup2 tree
 * when that tree lists it in its root cgroup.controllers, else by the
 * cgroup v1 mount naming it. As libvirt 9.0 decides it: the v2 backend
 * is asked first and claims "cpuacct" whenever a cgroup2 tree is mounted
 * (cpu.stat always exists there), so on the hybrid layout (v1
 * controllers plus a controller-less /sys/fs/cgroup/unified) CPU
 * accounting comes from v2 and has no per-host-CPU split.
 *
 * A guest's group is PARTITION/NAME (libvirt: /machine/qemu-ID-NAME.libvirt-qemu),
 * made in every hierarchy in use (each v1 mount serving a controller, and
 * the v2 tree), relative to the hierarchy's root. Thread sub-groups
 * ("emulator", "vcpuN") exist only in the hierarchies of cpu, cpuacct and
 * cpuset (in v2 as threaded groups). Only directories this code made are
 * ever removed; files written are the controllers' own.
 *
 * Errors are reported in VIR_FROM_CGROUP; functions return -1 then.
 * No function here is thread-safe on one virCgroup; distinct ones are.
 */

typedef enum {
    VIR_CGROUP_CONTROLLER_CPU,
    VIR_CGROUP_CONTROLLER_CPUACCT,
    VIR_CGROUP_CONTROLLER_CPUSET,
    VIR_CGROUP_CONTROLLER_MEMORY,
    VIR_CGROUP_CONTROLLER_BLKIO,
    VIR_CGROUP_CONTROLLER_FREEZER,
    VIR_CGROUP_CONTROLLER_LAST
} virCgroupController;

typedef enum {
    VIR_CGROUP_BACKEND_NONE = 0,
    VIR_CGROUP_BACKEND_V1,
    VIR_CGROUP_BACKEND_V2,
} virCgroupBackend;

typedef struct _virCgroupLayout virCgroupLayout;
typedef struct _virCgroup virCgroup;

/* Detect the layout from @mountsFile (NULL: /proc/self/mounts). Never
 * fails: a host without cgroups gives a layout with no controller. */
virCgroupLayout *virCgroupLayoutDetect(const char *mountsFile);
void virCgroupLayoutFree(virCgroupLayout *layout);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virCgroupLayout, virCgroupLayoutFree);

/* Which backend serves @controller (NONE: not available). */
virCgroupBackend virCgroupLayoutBackend(const virCgroupLayout *layout, int controller);
/* "v1", "v2", "hybrid" or "none", for logs and tests. */
const char *virCgroupLayoutName(const virCgroupLayout *layout);
const char *virCgroupControllerName(int controller);

/*
 * Make (or reuse) @partition/@name in every hierarchy of the controllers
 * in @controllers (a bit per virCgroupController), and move every
 * thread of @pid into it. In v1 cpuset groups inherit the parent's cpus
 * and mems first (a cpuset group without them takes no task). A directory
 * that already existed is used but never removed later. Returns a new
 * group or NULL (nothing is left behind on failure).
 */
virCgroup *virCgroupNewMachine(const virCgroupLayout *layout, const char *partition,
                               const char *name, pid_t pid, unsigned int controllers);

/* Adopt @partition/@name after a daemon restart: only if @pid sits in it
 * (or in one of its thread sub-groups) in every hierarchy where it exists.
 * Returns NULL without an error when it does not; the group is then the
 * daemon's to remove at stop as if it had made it. */
virCgroup *virCgroupDetectMachine(const virCgroupLayout *layout, const char *partition,
                                  const char *name, pid_t pid);

/* The thread sub-group @name ("emulator", "vcpu0") in the cpu, cpuacct and
 * cpuset hierarchies; @create: make it (v2: as a threaded group). */
virCgroup *virCgroupNewThread(virCgroup *parent, const char *name, bool create);

void virCgroupFree(virCgroup *group);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virCgroup, virCgroupFree);

bool virCgroupHasController(const virCgroup *group, int controller);
/* The group's path below each hierarchy's root ("/machine/qemu-1-a.libvirt-qemu"). */
const char *virCgroupGetPath(const virCgroup *group);
/* The directory of @controller's hierarchy for this group, or NULL. */
char *virCgroupGetControllerDir(const virCgroup *group, int controller);

/* Move the whole process / one thread into the group (every hierarchy). */
int virCgroupAddProcess(virCgroup *group, pid_t pid);
int virCgroupAddThread(virCgroup *group, pid_t tid);

/* Remove the thread sub-groups then the group, in the hierarchies where
 * this code made them (EBUSY retried 5 times 200 ms apart, as libvirt).
 * 0, or -1 with an error reported; the partition is never removed. */
int virCgroupRemove(virCgroup *group);
/* Remove thread sub-group @group (virCgroupNewThread) whoever made it, in
 * each of its hierarchies (a vCPU unplugged: its thread is gone); absent
 * is fine. 0, or -1 with an error reported. */
int virCgroupRemoveThread(virCgroup *group);

/* ---- controller values ---------------------------------------------- */

/* cpu: v1 cpu.shares, v2 cpu.weight. */
int virCgroupSetCpuShares(virCgroup *group, unsigned long long shares);
int virCgroupGetCpuShares(virCgroup *group, unsigned long long *shares);
/* cpu: v1 cpu.cfs_period_us / cpu.cfs_quota_us, v2 cpu.max; quota -1 = none. */
int virCgroupSetCpuCfsPeriod(virCgroup *group, unsigned long long period);
int virCgroupGetCpuCfsPeriod(virCgroup *group, unsigned long long *period);
int virCgroupSetCpuCfsQuota(virCgroup *group, long long quota);
int virCgroupGetCpuCfsQuota(virCgroup *group, long long *quota);

/* memory limits in KiB; VIR_CGROUP_MEMORY_UNLIMITED (libvirt's
 * VIR_DOMAIN_MEMORY_PARAM_UNLIMITED) means none. v1 memory.limit_in_bytes,
 * memory.soft_limit_in_bytes, memory.memsw.limit_in_bytes; v2 memory.max,
 * memory.high, memory.swap.max. */
#define VIR_CGROUP_MEMORY_UNLIMITED 9007199254740991ULL
int virCgroupSetMemoryHardLimit(virCgroup *group, unsigned long long kib);
int virCgroupGetMemoryHardLimit(virCgroup *group, unsigned long long *kib);
int virCgroupSetMemorySoftLimit(virCgroup *group, unsigned long long kib);
int virCgroupGetMemorySoftLimit(virCgroup *group, unsigned long long *kib);
int virCgroupSetMemSwapHardLimit(virCgroup *group, unsigned long long kib);
int virCgroupGetMemSwapHardLimit(virCgroup *group, unsigned long long *kib);
/* Whether the swap limit file exists (v1 memsw needs swap accounting). */
bool virCgroupHasMemSwap(virCgroup *group);

/* cpuset.cpus / cpuset.mems (libvirt's list syntax, "0-3,5"). */
int virCgroupSetCpusetCpus(virCgroup *group, const char *cpus);
int virCgroupGetCpusetCpus(virCgroup *group, char **cpus);
int virCgroupSetCpusetMems(virCgroup *group, const char *mems);
int virCgroupGetCpusetMems(virCgroup *group, char **mems);

/* CPU accounting in ns: v1 cpuacct.usage and cpuacct.stat, v2 cpu.stat. */
int virCgroupGetCpuacctUsage(virCgroup *group, unsigned long long *ns);
int virCgroupGetCpuacctStat(virCgroup *group, unsigned long long *user,
                            unsigned long long *sys);
/* v1 cpuacct.usage_percpu (ns per host CPU, *n entries); under v2 the
 * error libvirt gives ("operation 'getCpuacctPercpuUsage' not supported
 * for backend 'cgroup V2'"). */
int virCgroupGetCpuacctPercpuUsage(virCgroup *group, unsigned long long **ns, size_t *n);

/* blkio weight: v1 blkio.bfq.weight or blkio.weight, v2 io.bfq.weight or
 * io.weight; without either file libvirt's OPERATION_INVALID "blkio device
 * weight is valid only for bfq or cfq scheduler". */
int virCgroupSetBlkioWeight(virCgroup *group, unsigned int weight);
int virCgroupGetBlkioWeight(virCgroup *group, unsigned int *weight);

/* Raw access to one control file of @controller's hierarchy. */
int virCgroupSetValueStr(virCgroup *group, int controller, const char *key,
                         const char *value);
int virCgroupGetValueStr(virCgroup *group, int controller, const char *key, char **value);
