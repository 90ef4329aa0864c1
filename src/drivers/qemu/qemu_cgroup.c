/* qemu_cgroup.c: placing each QEMU in its own cgroup, its thread groups, pins and bandwidth */

/*
 * Threads: called from qemuProcessStart/Stop/Reconnect and the tuning entry
 * points with the domain object locked and a job held; the only waits are
 * query-cpus-fast and query-iothreads, sent with the object unlocked (the job keeps priv->mon).
 * One thread of its own, qemu-cgwarm, during a start only (from
 * qemuCgroupWarmStart to qemuCgroupWarmStop, which joins it): it touches
 * no object, only the "tasks" file of the daemon's own group.
 */

#define G_LOG_DOMAIN "virtkit.qemu.cgroup"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <json-c/json.h>

#include "qemu_cgroup.h"
#include "qemu_domain.h"
#include "qemu_monitor.h"
#include "qemu_process.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

#define QEMU_CGROUP_PARTITION "/machine"

static virCgroupLayout *layoutOnce;

static gpointer
qemuCgroupDetect(gpointer data G_GNUC_UNUSED)
{
    layoutOnce = virCgroupLayoutDetect(NULL);
    return layoutOnce;
}

const virCgroupLayout *
qemuCgroupLayout(void)
{
    static GOnce once = G_ONCE_INIT;

    return g_once(&once, qemuCgroupDetect, NULL);
}

bool
qemuCgroupEnabled(qemuDriver *driver)
{
    const virCgroupLayout *l;

    if (!driver->privileged || driver->embedded || !driver->cgroupControllers)
        return false;
    l = qemuCgroupLayout();
    for (int c = 0; c < VIR_CGROUP_CONTROLLER_LAST; c++) {
        if (virCgroupLayoutBackend(l, c) != VIR_CGROUP_BACKEND_NONE)
            return true;
    }
    return false;
}

/* libvirt's virDomainDriverGenerateMachineName ("qemu-ID-" then the name's
 * hostname characters, '.' and '-' runs collapsed, at most 64 bytes, no
 * trailing '.' or '-') plus ".libvirt-qemu". */
char *
qemuCgroupGroupName(const virDomainDef *def)
{
    static const char hostChars[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
    g_autoptr(GString) buf = g_string_new(NULL);
    bool skip = true;

    g_string_append_printf(buf, "qemu-%d-", def->id);
    for (const char *p = def->name; *p; p++) {
        if (buf->len >= 64)
            break;
        if (*p == '.' || *p == '-') {
            if (!skip)
                g_string_append_c(buf, *p);
            skip = true;
            continue;
        }
        skip = false;
        if (!strchr(hostChars, *p))
            continue;
        g_string_append_c(buf, *p);
    }
    while (buf->len && (buf->str[buf->len - 1] == '-' || buf->str[buf->len - 1] == '.'))
        g_string_truncate(buf, buf->len - 1);
    g_string_append(buf, ".libvirt-qemu");
    return g_string_free(g_steal_pointer(&buf), FALSE);
}

static const char *
qemuCgroupPartition(virDomainDef *def)
{
    if (!def->resourcePartition)
        def->resourcePartition = g_strdup(QEMU_CGROUP_PARTITION);
    return def->resourcePartition;
}

/* <cputune> bandwidth of one group: period first (libvirt's order). */
static int
qemuCgroupSetBW(virCgroup *group, unsigned long long period, long long quota)
{
    if (period && virCgroupSetCpuCfsPeriod(group, period) < 0)
        return -1;
    if (quota && virCgroupSetCpuCfsQuota(group, quota) < 0)
        return -1;
    return 0;
}

static int
qemuCgroupApplyMachineTunables(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    virDomainDef *def = obj->def;
    virCgroup *g = priv->cgroup;

    if (virCgroupHasController(g, VIR_CGROUP_CONTROLLER_MEMORY)) {
        if (def->mem.hardLimit != VIR_DOMAIN_TUNE_UNLIMITED &&
            virCgroupSetMemoryHardLimit(g, def->mem.hardLimit) < 0)
            return -1;
        if (def->mem.softLimit != VIR_DOMAIN_TUNE_UNLIMITED &&
            virCgroupSetMemorySoftLimit(g, def->mem.softLimit) < 0)
            return -1;
        if (def->mem.swapHardLimit != VIR_DOMAIN_TUNE_UNLIMITED &&
            virCgroupSetMemSwapHardLimit(g, def->mem.swapHardLimit) < 0)
            return -1;
    } else if (def->mem.hardLimit != VIR_DOMAIN_TUNE_UNLIMITED ||
               def->mem.softLimit != VIR_DOMAIN_TUNE_UNLIMITED ||
               def->mem.swapHardLimit != VIR_DOMAIN_TUNE_UNLIMITED) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "Memory cgroup is not available on this host");
        return -1;
    }
    if (virCgroupHasController(g, VIR_CGROUP_CONTROLLER_CPU)) {
        if (def->cputune.sharesSpecified) {
            unsigned long long val;

            if (virCgroupSetCpuShares(g, def->cputune.shares) < 0 ||
                virCgroupGetCpuShares(g, &val) < 0)
                return -1;
            def->cputune.shares = val;
        }
        if (qemuCgroupSetBW(g, def->cputune.globalPeriod, def->cputune.globalQuota) < 0)
            return -1;
    } else if (def->cputune.sharesSpecified) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "CPU tuning is not available on this host");
        return -1;
    }
    return 0;
}

bool
qemuCgroupPlaceBeforeExec(const virDomainDef *def)
{
    return def->mem.hardLimit != VIR_DOMAIN_TUNE_UNLIMITED ||
           def->mem.softLimit != VIR_DOMAIN_TUNE_UNLIMITED ||
           def->mem.swapHardLimit != VIR_DOMAIN_TUNE_UNLIMITED || def->numatune.set;
}

int
qemuCgroupSetupMachine(qemuDriver *driver, virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autofree char *name = NULL;
    const char *partition;

    if (!qemuCgroupEnabled(driver))
        return 0;
    partition = qemuCgroupPartition(obj->def);
    if (strcmp(partition, QEMU_CGROUP_PARTITION) != 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "resource partition '%s' is not supported by virtkit", partition);
        return -1;
    }
    name = qemuCgroupGroupName(obj->def);
    if (!(priv->cgroup = virCgroupNewMachine(qemuCgroupLayout(), partition, name,
                                             obj->pid, driver->cgroupControllers)))
        return -1;
    return qemuCgroupApplyMachineTunables(obj);
}

/* sched_setaffinity of @tid to the cpu list @list (NULL: every CPU). */
static int
qemuCgroupSetAffinity(pid_t tid, const char *list)
{
    cpu_set_t set;
    g_autofree unsigned char *map = NULL;
    size_t maplen = 0;

    CPU_ZERO(&set);
    if (!list) {
        long n = sysconf(_SC_NPROCESSORS_CONF);

        for (long c = 0; c < n && c < CPU_SETSIZE; c++)
            CPU_SET(c, &set);
    } else {
        if (!(map = virDomainCpulistParse(list, CPU_SETSIZE, &maplen)))
            return -1;
        for (size_t c = 0; c < maplen * 8; c++) {
            if (map[c / 8] & (1u << (c % 8)))
                CPU_SET(c, &set);
        }
    }
    if (sched_setaffinity(tid, sizeof(set), &set) < 0) {
        virReportSystemError(errno, "cannot set CPU affinity on process %d", (int)tid);
        return -1;
    }
    return 0;
}

int
qemuCgroupRefreshVcpuTids(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autoptr(json_object) reply = NULL;
    qemuMonitor *mon = priv->mon;
    size_t n;
    int rc;

    if (!mon) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "QEMU monitor is not connected");
        return -1;
    }
    virDomainObjUnlock(obj);
    rc =
        qemuMonitorCommand(mon, "query-cpus-fast", NULL, QEMU_MONITOR_TIMEOUT_MS, &reply);
    virDomainObjLock(obj);
    if (rc < 0)
        return -1;
    if (!json_object_is_type(reply, json_type_array)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "query-cpus-fast reply was not an array");
        return -1;
    }
    n = json_object_array_length(reply);
    g_free(priv->vcpuTids);
    priv->vcpuTids = g_new0(int, MAX(n, obj->def->vcpus));
    priv->nvcpuTids = MAX(n, obj->def->vcpus);
    for (size_t i = 0; i < n; i++) {
        json_object *cpu = json_object_array_get_idx(reply, i);
        json_object *v = NULL;
        int idx = (int)i;

        if (json_object_object_get_ex(cpu, "cpu-index", &v))
            idx = json_object_get_int(v);
        if (idx < 0 || (size_t)idx >= priv->nvcpuTids)
            continue;
        if (json_object_object_get_ex(cpu, "thread-id", &v))
            priv->vcpuTids[idx] = json_object_get_int(v);
    }
    return 0;
}

int
qemuCgroupRefreshIOThreadTids(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autoptr(json_object) reply = NULL;
    qemuMonitor *mon = priv->mon;
    size_t n;
    int rc;

    if (!obj->def->niothreads)
        return 0;
    if (!mon) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "QEMU monitor is not connected");
        return -1;
    }
    virDomainObjUnlock(obj);
    rc =
        qemuMonitorCommand(mon, "query-iothreads", NULL, QEMU_MONITOR_TIMEOUT_MS, &reply);
    virDomainObjLock(obj);
    if (rc < 0)
        return -1;
    if (!json_object_is_type(reply, json_type_array)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "query-iothreads reply was not an array");
        return -1;
    }
    for (size_t i = 0; i < obj->def->niothreads; i++)
        obj->def->iothreads[i]->tid = 0;
    n = json_object_array_length(reply);
    for (size_t i = 0; i < n; i++) {
        json_object *it = json_object_array_get_idx(reply, i);
        json_object *v = NULL;
        const char *id;
        guint64 num;
        virDomainIOThreadDef *t;

        /* libvirt's qemuMonitorJSONGetIOThreads: "iothreadN" ids only */
        if (!json_object_object_get_ex(it, "id", &v) ||
            !(id = json_object_get_string(v)) || !g_str_has_prefix(id, "iothread") ||
            !g_ascii_string_to_unsigned(id + strlen("iothread"), 10, 1, G_MAXUINT, &num,
                                        NULL) ||
            !(t = virDomainIOThreadFind(obj->def, (unsigned int)num)))
            continue;
        if (json_object_object_get_ex(it, "thread-id", &v))
            t->tid = json_object_get_int(v);
    }
    for (size_t i = 0; i < obj->def->niothreads; i++) {
        if (obj->def->iothreads[i]->tid <= 0) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "iothread %u not found",
                           obj->def->iothreads[i]->id);
            return -1;
        }
    }
    return 0;
}

int
qemuCgroupSetupIOThread(virDomainObj *obj, const virDomainIOThreadDef *t)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    virDomainDef *def = obj->def;
    g_autofree char *name = g_strdup_printf("iothread%u", t->id);
    g_autoptr(virCgroup) g = NULL;
    /* libvirt: the IOThread's own pin, else <vcpu cpuset> */
    const char *pin = t->cpuset ? t->cpuset : def->cputune.vcpuCpuset;

    if (t->tid <= 0)
        return 0;
    if (!priv->cgroup)
        return pin ? qemuCgroupSetAffinity(t->tid, pin) : 0;
    if (!(g = virCgroupNewThread(priv->cgroup, name, true)) ||
        virCgroupAddThread(g, t->tid) < 0)
        return -1;
    if (pin) {
        if (virCgroupHasController(g, VIR_CGROUP_CONTROLLER_CPUSET) &&
            virCgroupSetCpusetCpus(g, pin) < 0)
            return -1;
        if (qemuCgroupSetAffinity(t->tid, pin) < 0)
            return -1;
    }
    if (virCgroupHasController(g, VIR_CGROUP_CONTROLLER_CPU) &&
        qemuCgroupSetBW(g, def->cputune.iothreadPeriod, def->cputune.iothreadQuota) < 0)
        return -1;
    return 0;
}

virCgroup *
qemuCgroupVcpu(virDomainObj *obj, unsigned int vcpu)
{
    g_autofree char *name = g_strdup_printf("vcpu%u", vcpu);

    return virCgroupNewThread(qemuDomainPriv(obj)->cgroup, name, false);
}

virCgroup *
qemuCgroupIOThread(virDomainObj *obj, unsigned int id)
{
    g_autofree char *name = g_strdup_printf("iothread%u", id);

    return virCgroupNewThread(qemuDomainPriv(obj)->cgroup, name, false);
}

virCgroup *
qemuCgroupEmulator(virDomainObj *obj)
{
    return virCgroupNewThread(qemuDomainPriv(obj)->cgroup, "emulator", false);
}

int
qemuCgroupSetupThreads(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    virDomainDef *def = obj->def;
    g_autoptr(virCgroup) emu = NULL;

    if (qemuCgroupRefreshVcpuTids(obj) < 0 || qemuCgroupRefreshIOThreadTids(obj) < 0)
        return -1;
    if (!priv->cgroup) {
        for (size_t i = 0; i < def->niothreads; i++) {
            if (qemuCgroupSetupIOThread(obj, def->iothreads[i]) < 0)
                return -1;
        }
        /* no cgroup (session, embed): the pins still hold through affinity */
        if (virDomainDefGetEmulatorPin(def) &&
            qemuCgroupSetAffinity(obj->pid, virDomainDefGetEmulatorPin(def)) < 0)
            return -1;
        for (size_t i = 0; i < priv->nvcpuTids; i++) {
            if (priv->vcpuTids[i] > 0 && virDomainDefGetVcpuPin(def, i) &&
                qemuCgroupSetAffinity(priv->vcpuTids[i], virDomainDefGetVcpuPin(def, i)) <
                    0)
                return -1;
        }
        return 0;
    }

    /* every thread into "emulator", then each vCPU thread out to its own */
    if (!(emu = virCgroupNewThread(priv->cgroup, "emulator", true)) ||
        virCgroupAddProcess(emu, obj->pid) < 0)
        return -1;
    if (virDomainDefGetEmulatorPin(def)) {
        if (virCgroupHasController(emu, VIR_CGROUP_CONTROLLER_CPUSET) &&
            virCgroupSetCpusetCpus(emu, virDomainDefGetEmulatorPin(def)) < 0)
            return -1;
        if (qemuCgroupSetAffinity(obj->pid, virDomainDefGetEmulatorPin(def)) < 0)
            return -1;
    }
    if (virCgroupHasController(emu, VIR_CGROUP_CONTROLLER_CPU) &&
        qemuCgroupSetBW(emu, def->cputune.emulatorPeriod, def->cputune.emulatorQuota) < 0)
        return -1;

    for (size_t i = 0; i < priv->nvcpuTids; i++) {
        if (qemuCgroupSetupVcpu(obj, i) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->niothreads; i++) {
        if (qemuCgroupSetupIOThread(obj, def->iothreads[i]) < 0)
            return -1;
    }
    return 0;
}

int
qemuCgroupSetupVcpu(virDomainObj *obj, size_t i)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    virDomainDef *def = obj->def;
    g_autofree char *name = g_strdup_printf("vcpu%zu", i);
    g_autoptr(virCgroup) vg = NULL;
    const char *pin = virDomainDefGetVcpuPin(def, i);

    if (i >= priv->nvcpuTids || priv->vcpuTids[i] <= 0)
        return 0;
    if (!priv->cgroup)
        return pin ? qemuCgroupSetAffinity(priv->vcpuTids[i], pin) : 0;
    if (!(vg = virCgroupNewThread(priv->cgroup, name, true)) ||
        virCgroupAddThread(vg, priv->vcpuTids[i]) < 0)
        return -1;
    if (pin) {
        if (virCgroupHasController(vg, VIR_CGROUP_CONTROLLER_CPUSET) &&
            virCgroupSetCpusetCpus(vg, pin) < 0)
            return -1;
        if (qemuCgroupSetAffinity(priv->vcpuTids[i], pin) < 0)
            return -1;
    }
    if (virCgroupHasController(vg, VIR_CGROUP_CONTROLLER_CPU) &&
        qemuCgroupSetBW(vg, def->cputune.period, def->cputune.quota) < 0)
        return -1;
    return 0;
}

int
qemuCgroupVcpusChanged(virDomainObj *obj, const int *oldTids, size_t noldTids)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    if (qemuCgroupRefreshVcpuTids(obj) < 0)
        return -1;
    /* unplugged: the thread of vCPU i is gone */
    for (size_t i = 0; i < noldTids; i++) {
        if (oldTids[i] > 0 && (i >= priv->nvcpuTids || priv->vcpuTids[i] <= 0))
            qemuCgroupRemoveVcpu(obj, i);
    }
    /* plugged: a thread that was not there */
    for (size_t i = 0; i < priv->nvcpuTids; i++) {
        bool known = i < noldTids && oldTids[i] == priv->vcpuTids[i];

        if (priv->vcpuTids[i] > 0 && !known && qemuCgroupSetupVcpu(obj, i) < 0)
            return -1;
    }
    return 0;
}

static void
qemuCgroupRemoveThreadGroup(virDomainObj *obj, const char *name)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autoptr(virCgroup) vg = NULL;

    if (!priv->cgroup || !(vg = virCgroupNewThread(priv->cgroup, name, false))) {
        virResetLastError();
        return;
    }
    /* the thread is gone; an unplug never fails for its empty group */
    if (virCgroupRemoveThread(vg) < 0) {
        g_debug("cannot remove cgroup %s: %s", virCgroupGetPath(vg),
                virGetLastErrorMessage());
        virResetLastError();
    }
}

void
qemuCgroupRemoveVcpu(virDomainObj *obj, size_t i)
{
    g_autofree char *name = g_strdup_printf("vcpu%zu", i);

    qemuCgroupRemoveThreadGroup(obj, name);
}

void
qemuCgroupRemoveIOThread(virDomainObj *obj, unsigned int id)
{
    g_autofree char *name = g_strdup_printf("iothread%u", id);

    qemuCgroupRemoveThreadGroup(obj, name);
}

int
qemuCgroupPinIOThread(virDomainObj *obj, const virDomainIOThreadDef *t, const char *list)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    if (virCgroupHasController(priv->cgroup, VIR_CGROUP_CONTROLLER_CPUSET)) {
        g_autoptr(virCgroup) g = qemuCgroupIOThread(obj, t->id);

        if (!g || virCgroupSetCpusetCpus(g, list) < 0)
            return -1;
    }
    return qemuCgroupSetAffinity(t->tid, list);
}

void
qemuCgroupReconnect(qemuDriver *driver, virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autofree char *name = NULL;

    if (!qemuCgroupEnabled(driver) || priv->cgroup || obj->pid <= 0)
        return;
    name = qemuCgroupGroupName(obj->def);
    priv->cgroup = virCgroupDetectMachine(
        qemuCgroupLayout(),
        obj->def->resourcePartition ? obj->def->resourcePartition : QEMU_CGROUP_PARTITION,
        name, obj->pid);
    g_debug("guest '%s': cgroup %s", obj->def->name,
            priv->cgroup ? "adopted" : "not found");
}

void
qemuCgroupRemove(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    g_clear_pointer(&priv->vcpuTids, g_free);
    priv->nvcpuTids = 0;
    if (!priv->cgroup)
        return;
    {
        virErrorPtr saved = NULL;

        /* a stop never fails for this: the operator is told instead, and
         * the caller's error is kept */
        virErrorPreserveLast(&saved);
        if (virCgroupRemove(priv->cgroup) < 0)
            VIR_NOTICE("cannot remove cgroup %s of '%s'", virCgroupGetPath(priv->cgroup),
                       obj->def->name);
        virErrorRestore(&saved);
    }
    g_clear_pointer(&priv->cgroup, virCgroupFree);
}

/* ---- keeping the cgroup move lock's fast path open during a start ---- */

struct _qemuCgroupWarm {
    GThread *thread;
    GMutex lock;
    GCond cond;
    bool stop;   /* under lock */
    char *tasks; /* the "tasks" file of the daemon's own group, one v1 hierarchy */
};

#define QEMU_CGROUP_WARM_PERIOD_US 2000
/* At most this long: each rewrite holds the kernel's threadgroup lock
 * (forks and exits wait meanwhile), and while it is kept open every fork
 * and exit of the host takes its slower path. A QEMU that takes longer than
 * this to greet runs on a machine so loaded that one grace period more
 * (8-16 ms there) hardly counts. */
#define QEMU_CGROUP_WARM_MAX_US (1 * G_USEC_PER_SEC)

/* The warm thread moves itself into the group it is in (its own tid into
 * its own group's v1 "tasks" file): nothing changes for anyone, QEMU's
 * threads least of all (rewriting QEMU's pid into its group's cgroup.procs
 * would pull back the threads the start moves into emulator/ and vcpuN/),
 * and the kernel still takes the global lock (a tid other than 0). */
static gpointer
qemuCgroupWarmRun(gpointer opaque)
{
    qemuCgroupWarm *warm = opaque;
    gint64 end = g_get_monotonic_time() + QEMU_CGROUP_WARM_MAX_US;
    g_autofree char *tid = g_strdup_printf("%ld", (long)syscall(SYS_gettid));

    g_mutex_lock(&warm->lock);
    while (!warm->stop && g_get_monotonic_time() < end) {
        int fd;
        bool ok = false;

        g_mutex_unlock(&warm->lock);
        if ((fd = open(warm->tasks, O_WRONLY | O_CLOEXEC)) >= 0) {
            ok = write(fd, tid, strlen(tid)) >= 0;
            close(fd);
        }
        g_mutex_lock(&warm->lock);
        if (!ok) /* not allowed here: nothing to keep open */
            break;
        g_cond_wait_until(&warm->cond, &warm->lock,
                          g_get_monotonic_time() + QEMU_CGROUP_WARM_PERIOD_US);
    }
    g_mutex_unlock(&warm->lock);
    return NULL;
}

/* The "tasks" file of this thread's group in the v1 hierarchy whose root
 * is @mount and which holds @controller, or NULL. */
static char *
qemuCgroupOwnTasksFile(const char *mount, int controller)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    const char *name = virCgroupControllerName(controller);

    if (!g_file_get_contents("/proc/thread-self/cgroup", &text, NULL, NULL))
        return NULL;
    lines = g_strsplit(text, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        g_auto(GStrv) f = g_strsplit(lines[i], ":", 3);
        g_auto(GStrv) ctrls = NULL;

        if (g_strv_length(f) != 3 || !f[1][0])
            continue;
        ctrls = g_strsplit(f[1], ",", -1);
        if (g_strv_contains((const char *const *)ctrls, name))
            return g_build_filename(mount, f[2], "tasks", NULL);
    }
    return NULL;
}

qemuCgroupWarm *
qemuCgroupWarmStart(virDomainObj *obj)
{
    static const int controllers[] = { VIR_CGROUP_CONTROLLER_CPU,
                                       VIR_CGROUP_CONTROLLER_CPUACCT,
                                       VIR_CGROUP_CONTROLLER_CPUSET };
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autofree char *tasks = NULL;
    qemuCgroupWarm *warm;

    if (!priv->cgroup)
        return NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(controllers) && !tasks; i++) {
        g_autofree char *dir = NULL;
        const char *path = virCgroupGetPath(priv->cgroup);
        size_t dlen, plen;

        if (virCgroupLayoutBackend(qemuCgroupLayout(), controllers[i]) !=
                VIR_CGROUP_BACKEND_V1 ||
            !(dir = virCgroupGetControllerDir(priv->cgroup, controllers[i])))
            continue;
        /* the hierarchy's root: the group's directory less its path */
        dlen = strlen(dir);
        plen = strlen(path);
        if (plen > dlen || strcmp(dir + dlen - plen, path) != 0)
            continue;
        dir[dlen - plen] = '\0';
        tasks = qemuCgroupOwnTasksFile(dir, controllers[i]);
    }
    if (!tasks)
        return NULL;
    warm = g_new0(qemuCgroupWarm, 1);
    g_mutex_init(&warm->lock);
    g_cond_init(&warm->cond);
    warm->tasks = g_steal_pointer(&tasks);
    warm->thread = g_thread_new("qemu-cgwarm", qemuCgroupWarmRun, warm);
    return warm;
}

void
qemuCgroupWarmStop(qemuCgroupWarm *warm)
{
    if (!warm)
        return;
    g_mutex_lock(&warm->lock);
    warm->stop = true;
    g_cond_signal(&warm->cond);
    g_mutex_unlock(&warm->lock);
    g_thread_join(warm->thread);
    g_mutex_clear(&warm->lock);
    g_cond_clear(&warm->cond);
    g_free(warm->tasks);
    g_free(warm);
}
