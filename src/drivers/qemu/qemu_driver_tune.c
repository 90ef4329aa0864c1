/* qemu_driver_tune.c: QEMU driver entry points for resource tuning through cgroups (schedinfo) */

/*
 * Threads: Get calls read cgroup files with the object locked (no QEMU
 * involved); Set calls hold the MODIFY job. Live values come from the
 * guest's cgroup (qemu_cgroup.c), config values from the persistent
 * definition, as libvirt 9.0's QEMU driver answers them.
 */

#define G_LOG_DOMAIN "virtkit.qemu.tune"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "domain_tune.h"
#include "qemu_cgroup.h"
#include "qemu_driver_priv.h"
#include "qemu_process.h"
#include "virerror.h"
#include "virtypedparamlist.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

#define QEMU_SCHED_MIN_PERIOD 1000LL
#define QEMU_SCHED_MAX_PERIOD 1000000LL
#define QEMU_SCHED_MIN_QUOTA 1000LL
#define QEMU_SCHED_MAX_QUOTA 17592186044415LL


/* libvirt's virDomainObjGetDefs after virDomainObjUpdateModificationImpact:
 * *live (running def) and/or *persistent. 0 or -1 with the error. */
int
qemuTuneGetDefs(virDomainObj *obj, unsigned int flags, virDomainDef **live,
                virDomainDef **persistent)
{
    bool active = virDomainObjIsActive(obj);

    *live = NULL;
    *persistent = NULL;
    if (!(flags & (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)))
        flags |= active ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG;
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && !active) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, __func__, "%s",
                           "domain is not running");
        return -1;
    }
    if ((flags & VIR_DOMAIN_AFFECT_CONFIG) && !obj->persistent) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, __func__, "%s",
                           "transient domains do not have any persistent config");
        return -1;
    }
    if (flags & VIR_DOMAIN_AFFECT_LIVE)
        *live = obj->def;
    if (flags & VIR_DOMAIN_AFFECT_CONFIG)
        *persistent = virDomainObjGetPersistentDef(obj);
    return 0;
}

/* What a tuning call needs before it reads or changes anything. */
typedef struct {
    const char *sessionRefusal;    /* refused in session mode with this; NULL: allowed */
    bool job;                      /* a MODIFY job (Set calls) */
    int controller;                /* cgroup controller a live def needs; -1: none */
    const char *controllerMissing; /* libvirt's message when it is not there */
} qemuTuneNeeds;

static const qemuTuneNeeds qemuTuneCpuSet = {
    .job = true,
    .controller = VIR_CGROUP_CONTROLLER_CPU,
    .controllerMissing = "cgroup CPU controller is not mounted",
};
static const qemuTuneNeeds qemuTuneMemorySet = {
    .sessionRefusal = "Memory tuning is not available in session mode",
    .job = true,
    .controller = VIR_CGROUP_CONTROLLER_MEMORY,
    .controllerMissing = "cgroup memory controller is not mounted",
};
static const qemuTuneNeeds qemuTuneMemoryGet = {
    .sessionRefusal = "Memory tuning is not available in session mode",
    .controller = VIR_CGROUP_CONTROLLER_MEMORY,
    .controllerMissing = "cgroup memory controller is not mounted",
};
static const qemuTuneNeeds qemuTuneBlkioSet = {
    .sessionRefusal = "Block I/O tuning is not available in session mode",
    .job = true,
    .controller = VIR_CGROUP_CONTROLLER_BLKIO,
    .controllerMissing = "blkio cgroup isn't mounted",
};
static const qemuTuneNeeds qemuTunePinSet = { .job = true, .controller = -1 };
static const qemuTuneNeeds qemuTuneDefsOnly = { .controller = -1 };

/* A tuning call in progress: the locked domain, its defs as the flags pick
 * them (qemuTuneGetDefs), whether the job is held. */
typedef struct {
    virDomainObj *obj;
    qemuDomainObjPrivate *priv;
    virDomainDef *live;
    virDomainDef *persistent;
    bool job;
} qemuTuneCall;

/* The prologue every tuning call shares, in libvirt's order: the domain,
 * the session-mode refusal, the job, the defs @flags select, the cgroup
 * controller of a live def. 0, or -1 with the error reported; either way
 * the caller ends with qemuTuneEnd(@call). */
static int
qemuTuneBegin(virDomainPtr dom, unsigned int flags, const qemuTuneNeeds *needs,
              qemuTuneCall *call)
{
    memset(call, 0, sizeof(*call));
    if (!(call->obj = qemuDomainObjFromDomain(dom)))
        return -1;
    call->priv = qemuDomainPriv(call->obj);
    if (needs->sessionRefusal && !qemuDriverOf(dom->conn)->privileged) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s", needs->sessionRefusal);
        return -1;
    }
    if (needs->job) {
        if (virDomainObjBeginJob(call->obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
            return -1;
        call->job = true;
    }
    if (qemuTuneGetDefs(call->obj, flags, &call->live, &call->persistent) < 0)
        return -1;
    if (call->live && needs->controller >= 0 &&
        !virCgroupHasController(call->priv->cgroup, needs->controller)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", needs->controllerMissing);
        return -1;
    }
    return 0;
}

static void
qemuTuneEnd(qemuTuneCall *call)
{
    if (call->job)
        virDomainObjEndJob(call->obj, VIR_JOB_MODIFY);
    if (call->obj)
        virDomainObjEndAPI(&call->obj);
}

static bool
qemuTuneSupportsCpuBW(virCgroup *g)
{
    unsigned long long period;
    virErrorPtr saved = NULL;
    bool ok;

    virErrorPreserveLast(&saved);
    ok = virCgroupGetCpuCfsPeriod(g, &period) == 0;
    virErrorRestore(&saved);
    return ok;
}

char *
qemuDomainGetSchedulerType(virDomainPtr dom, int *nparams)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    qemuDomainObjPrivate *priv;
    char *ret = NULL;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return NULL;
    priv = qemuDomainPriv(obj);
    if (!driver->privileged) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "CPU tuning is not available in session mode");
        goto cleanup;
    }
    /* not running: no cgroup, the defaults */
    if (!virDomainObjIsActive(obj)) {
        if (nparams)
            *nparams = 9;
        ret = g_strdup("posix");
        goto cleanup;
    }
    if (!virCgroupHasController(priv->cgroup, VIR_CGROUP_CONTROLLER_CPU)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cgroup CPU controller is not mounted");
        goto cleanup;
    }
    if (nparams)
        *nparams = qemuTuneSupportsCpuBW(priv->cgroup) ? 9 : 1;
    ret = g_strdup("posix");

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

typedef struct {
    unsigned long long shares;
    unsigned long long period;
    long long quota;
    unsigned long long emulatorPeriod;
    long long emulatorQuota;
    unsigned long long globalPeriod;
    long long globalQuota;
    unsigned long long iothreadPeriod;
    long long iothreadQuota;
} qemuSchedData;

static int
qemuTuneGroupBW(virCgroup *g, unsigned long long *period, long long *quota)
{
    if (!g)
        return -1;
    if (virCgroupGetCpuCfsPeriod(g, period) < 0 || virCgroupGetCpuCfsQuota(g, quota) < 0)
        return -1;
    return 0;
}

static int
qemuTuneReadLive(virDomainObj *obj, qemuSchedData *d, bool bw)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    if (virCgroupGetCpuShares(priv->cgroup, &d->shares) < 0)
        return -1;
    if (!bw)
        return 0;
    if (priv->nvcpuTids > 0) {
        g_autoptr(virCgroup) v0 = qemuCgroupVcpu(obj, 0);

        if (qemuTuneGroupBW(v0, &d->period, &d->quota) < 0)
            return -1;
    } else if (qemuTuneGroupBW(priv->cgroup, &d->period, &d->quota) < 0) {
        return -1;
    }
    {
        g_autoptr(virCgroup) emu = qemuCgroupEmulator(obj);

        if (qemuTuneGroupBW(emu, &d->emulatorPeriod, &d->emulatorQuota) < 0)
            return -1;
    }
    if (qemuTuneGroupBW(priv->cgroup, &d->globalPeriod, &d->globalQuota) < 0)
        return -1;
    /* libvirt reads the first IOThread's group, the guest's own without one */
    if (obj->def->niothreads) {
        g_autoptr(virCgroup) io = qemuCgroupIOThread(obj, obj->def->iothreads[0]->id);

        if (!io || qemuTuneGroupBW(io, &d->iothreadPeriod, &d->iothreadQuota) < 0)
            return -1;
    } else if (qemuTuneGroupBW(priv->cgroup, &d->iothreadPeriod, &d->iothreadQuota) < 0) {
        return -1;
    }
    return 0;
}

int
qemuDomainGetSchedulerParametersFlags(virDomainPtr dom, virTypedParameterPtr params,
                                      int *nparams, unsigned int flags)
{
    virDomainObj *obj;
    virDomainDef *live = NULL, *persistent = NULL;
    qemuSchedData d = { 0 };
    bool bw = true;
    g_autoptr(virTypedParamList) list = virTypedParamListNew();
    virTypedParameterPtr par = NULL;
    int npar = 0;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                      VIR_TYPED_PARAM_STRING_OKAY,
                  -1);
    flags &= ~VIR_TYPED_PARAM_STRING_OKAY;
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (qemuTuneGetDefs(obj, flags, &live, &persistent) < 0)
        goto cleanup;
    if (live) {
        qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

        if (!virCgroupHasController(priv->cgroup, VIR_CGROUP_CONTROLLER_CPU)) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "cgroup CPU controller is not mounted");
            goto cleanup;
        }
        bw = qemuTuneSupportsCpuBW(priv->cgroup);
        if (qemuTuneReadLive(obj, &d, bw) < 0)
            goto cleanup;
    } else {
        const virDomainCputuneDef *ct = &persistent->cputune;

        d.shares = ct->shares;
        d.period = ct->period;
        d.quota = ct->quota;
        d.emulatorPeriod = ct->emulatorPeriod;
        d.emulatorQuota = ct->emulatorQuota;
        d.globalPeriod = ct->globalPeriod;
        d.globalQuota = ct->globalQuota;
        d.iothreadPeriod = ct->iothreadPeriod;
        d.iothreadQuota = ct->iothreadQuota;
    }
    virTypedParamListAddULLong(list, d.shares, VIR_DOMAIN_SCHEDULER_CPU_SHARES);
    if (bw) {
        virTypedParamListAddULLong(list, d.period, VIR_DOMAIN_SCHEDULER_VCPU_PERIOD);
        virTypedParamListAddLLong(list, d.quota, VIR_DOMAIN_SCHEDULER_VCPU_QUOTA);
        virTypedParamListAddULLong(list, d.emulatorPeriod,
                                   VIR_DOMAIN_SCHEDULER_EMULATOR_PERIOD);
        virTypedParamListAddLLong(list, d.emulatorQuota,
                                  VIR_DOMAIN_SCHEDULER_EMULATOR_QUOTA);
        virTypedParamListAddULLong(list, d.globalPeriod,
                                   VIR_DOMAIN_SCHEDULER_GLOBAL_PERIOD);
        virTypedParamListAddLLong(list, d.globalQuota, VIR_DOMAIN_SCHEDULER_GLOBAL_QUOTA);
        virTypedParamListAddULLong(list, d.iothreadPeriod,
                                   VIR_DOMAIN_SCHEDULER_IOTHREAD_PERIOD);
        virTypedParamListAddLLong(list, d.iothreadQuota,
                                  VIR_DOMAIN_SCHEDULER_IOTHREAD_QUOTA);
    }
    virTypedParamListSteal(list, &par, &npar);
    if (*nparams > npar)
        *nparams = npar;
    memcpy(params, par, sizeof(*params) * (size_t)*nparams);
    g_free(par); /* no strings among them */
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainGetSchedulerParameters(virDomainPtr dom, virTypedParameterPtr params,
                                 int *nparams)
{
    return qemuDomainGetSchedulerParametersFlags(dom, params, nparams, 0);
}

static int
qemuTuneRangeCheck(long long v, const char *name, long long min, long long max)
{
    if ((v > 0 && v < min) || v > max) {
        virReportError(VIR_ERR_INVALID_ARG, "value of '%s' is out of range [%lld, %lld]",
                       name, min, max);
        return -1;
    }
    return 0;
}

/* Set period/quota on every vCPU group (vcpus), the emulator group or the
 * guest's own group. */
static int
qemuTuneSetBWLive(virDomainObj *obj, const char *which, unsigned long long period,
                  long long quota)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    if (strcmp(which, "vcpu") == 0 && priv->nvcpuTids > 0) {
        for (size_t i = 0; i < priv->nvcpuTids; i++) {
            g_autoptr(virCgroup) g = qemuCgroupVcpu(obj, (unsigned int)i);

            if ((period && virCgroupSetCpuCfsPeriod(g, period) < 0) ||
                (quota && virCgroupSetCpuCfsQuota(g, quota) < 0))
                return -1;
        }
        return 0;
    }
    if (strcmp(which, "iothread") == 0) {
        /* libvirt: every IOThread's group; none (no IOThreads): nothing */
        for (size_t i = 0; i < obj->def->niothreads; i++) {
            g_autoptr(virCgroup) g = qemuCgroupIOThread(obj, obj->def->iothreads[i]->id);

            if (!g || (period && virCgroupSetCpuCfsPeriod(g, period) < 0) ||
                (quota && virCgroupSetCpuCfsQuota(g, quota) < 0))
                return -1;
        }
        return 0;
    }
    if (strcmp(which, "emulator") == 0) {
        g_autoptr(virCgroup) g = qemuCgroupEmulator(obj);

        if ((period && virCgroupSetCpuCfsPeriod(g, period) < 0) ||
            (quota && virCgroupSetCpuCfsQuota(g, quota) < 0))
            return -1;
        return 0;
    }
    if ((period && virCgroupSetCpuCfsPeriod(priv->cgroup, period) < 0) ||
        (quota && virCgroupSetCpuCfsQuota(priv->cgroup, quota) < 0))
        return -1;
    return 0;
}

int
qemuDomainSetSchedulerParametersFlags(virDomainPtr dom, virTypedParameterPtr params,
                                      int nparams, unsigned int flags)
{
    qemuTuneCall c;
    static const char *const names[] = {
        VIR_DOMAIN_SCHEDULER_CPU_SHARES,     VIR_DOMAIN_SCHEDULER_VCPU_PERIOD,
        VIR_DOMAIN_SCHEDULER_VCPU_QUOTA,     VIR_DOMAIN_SCHEDULER_EMULATOR_PERIOD,
        VIR_DOMAIN_SCHEDULER_EMULATOR_QUOTA, VIR_DOMAIN_SCHEDULER_GLOBAL_PERIOD,
        VIR_DOMAIN_SCHEDULER_GLOBAL_QUOTA,   VIR_DOMAIN_SCHEDULER_IOTHREAD_PERIOD,
        VIR_DOMAIN_SCHEDULER_IOTHREAD_QUOTA, NULL,
    };
    static const int types[] = {
        VIR_TYPED_PARAM_ULLONG, VIR_TYPED_PARAM_ULLONG, VIR_TYPED_PARAM_LLONG,
        VIR_TYPED_PARAM_ULLONG, VIR_TYPED_PARAM_LLONG,  VIR_TYPED_PARAM_ULLONG,
        VIR_TYPED_PARAM_LLONG,  VIR_TYPED_PARAM_ULLONG, VIR_TYPED_PARAM_LLONG,
    };
    qemuDriver *driver = qemuDriverOf(dom->conn);
    g_autoptr(virDomainDef) newPersistent = NULL;
    bool cgroupV2;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (virTypedParamsCheck(params, nparams, names, types) < 0)
        return -1;
    if (qemuTuneBegin(dom, flags, &qemuTuneCpuSet, &c) < 0)
        goto cleanup;
    if (c.persistent)
        newPersistent = virDomainDefCopy(c.persistent);
    cgroupV2 = virCgroupLayoutBackend(qemuCgroupLayout(), VIR_CGROUP_CONTROLLER_CPU) ==
               VIR_CGROUP_BACKEND_V2;

    /* every value checked before anything changes */
    for (int i = 0; i < nparams; i++) {
        const char *f = params[i].field;
        unsigned long long ul = params[i].value.ul;

        if (strcmp(f, VIR_DOMAIN_SCHEDULER_CPU_SHARES) == 0) {
            unsigned long long min = cgroupV2 ? 1 : 2, max = cgroupV2 ? 10000 : 262144;

            if (c.live && (ul < min || ul > max)) {
                virReportErrorFull(VIR_FROM_CGROUP, VIR_ERR_INVALID_ARG, __func__,
                                   "shares '%llu' must be in range [%llu, %llu]", ul, min,
                                   max);
                goto cleanup;
            }
        } else if (g_str_has_suffix(f, "_period")
                       ? qemuTuneRangeCheck(
                             (long long)MIN(ul, (unsigned long long)G_MAXINT64), f,
                             QEMU_SCHED_MIN_PERIOD, QEMU_SCHED_MAX_PERIOD) < 0
                       : qemuTuneRangeCheck(params[i].value.l, f, QEMU_SCHED_MIN_QUOTA,
                                            QEMU_SCHED_MAX_QUOTA) < 0) {
            goto cleanup;
        }
    }

    for (int i = 0; i < nparams; i++) {
        const char *f = params[i].field;
        unsigned long long ul = params[i].value.ul;
        long long l = params[i].value.l;

        if (strcmp(f, VIR_DOMAIN_SCHEDULER_CPU_SHARES) == 0) {
            if (c.live) {
                unsigned long long val;

                if (virCgroupSetCpuShares(c.priv->cgroup, ul) < 0 ||
                    virCgroupGetCpuShares(c.priv->cgroup, &val) < 0)
                    goto cleanup;
                c.live->cputune.shares = val;
                c.live->cputune.sharesSpecified = true;
            }
            if (newPersistent) {
                newPersistent->cputune.shares = ul;
                newPersistent->cputune.sharesSpecified = true;
            }
            continue;
        }
        {
            bool isPeriod = g_str_has_suffix(f, "_period");
            const char *which = strcmp(f, VIR_DOMAIN_SCHEDULER_VCPU_PERIOD) == 0 ||
                                        strcmp(f, VIR_DOMAIN_SCHEDULER_VCPU_QUOTA) == 0
                                    ? "vcpu"
                                : g_str_has_prefix(f, "emulator") ? "emulator"
                                : g_str_has_prefix(f, "global")   ? "global"
                                                                  : "iothread";
            unsigned long long *defPeriod = NULL;
            long long *defQuota = NULL;

            if (c.live) {
                if (qemuTuneSetBWLive(c.obj, which, isPeriod ? ul : 0, isPeriod ? 0 : l) <
                    0)
                    goto cleanup;
            }
            for (int k = 0; k < 2; k++) {
                virDomainDef *d = k == 0 ? c.live : newPersistent;

                if (!d)
                    continue;
                if (strcmp(which, "vcpu") == 0) {
                    defPeriod = &d->cputune.period;
                    defQuota = &d->cputune.quota;
                } else if (strcmp(which, "emulator") == 0) {
                    defPeriod = &d->cputune.emulatorPeriod;
                    defQuota = &d->cputune.emulatorQuota;
                } else if (strcmp(which, "global") == 0) {
                    defPeriod = &d->cputune.globalPeriod;
                    defQuota = &d->cputune.globalQuota;
                } else {
                    defPeriod = &d->cputune.iothreadPeriod;
                    defQuota = &d->cputune.iothreadQuota;
                }
                if (isPeriod)
                    *defPeriod = ul;
                else
                    *defQuota = l;
            }
        }
    }
    if (c.live && qemuDomainSaveStatus(driver, c.obj) < 0)
        goto cleanup;
    if (newPersistent) {
        if (qemuDomainSaveConfig(driver, newPersistent, c.priv->graceOverrideSec) < 0)
            goto cleanup;
        virDomainTuneClear(c.persistent);
        virDomainTuneCopy(c.persistent, newPersistent);
    }
    ret = 0;

cleanup:
    qemuTuneEnd(&c);
    return ret;
}

int
qemuDomainSetSchedulerParameters(virDomainPtr dom, virTypedParameterPtr params,
                                 int nparams)
{
    return qemuDomainSetSchedulerParametersFlags(dom, params, nparams, 0);
}

/* ---- memtune ----------------------------------------------------------------- */

int
qemuDomainSetMemoryParameters(virDomainPtr dom, virTypedParameterPtr params, int nparams,
                              unsigned int flags)
{
    qemuTuneCall c;
    static const char *const names[] = { VIR_DOMAIN_MEMORY_HARD_LIMIT,
                                         VIR_DOMAIN_MEMORY_SOFT_LIMIT,
                                         VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT, NULL };
    static const int types[] = { VIR_TYPED_PARAM_ULLONG, VIR_TYPED_PARAM_ULLONG,
                                 VIR_TYPED_PARAM_ULLONG };
    qemuDriver *driver = qemuDriverOf(dom->conn);
    unsigned long long hard = 0, soft = 0, swap = 0;
    bool setHard = false, setSoft = false, setSwap = false;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (virTypedParamsCheck(params, nparams, names, types) < 0)
        return -1;
    if (qemuTuneBegin(dom, flags, &qemuTuneMemorySet, &c) < 0)
        goto cleanup;
    for (int i = 0; i < nparams; i++) {
        if (strcmp(params[i].field, VIR_DOMAIN_MEMORY_HARD_LIMIT) == 0) {
            hard = params[i].value.ul;
            setHard = true;
        } else if (strcmp(params[i].field, VIR_DOMAIN_MEMORY_SOFT_LIMIT) == 0) {
            soft = params[i].value.ul;
            setSoft = true;
        } else {
            swap = params[i].value.ul;
            setSwap = true;
        }
    }
    if (setHard || setSwap) {
        /* libvirt compares with the running definition's limits */
        unsigned long long memLimit = setHard ? hard : c.obj->def->mem.hardLimit;
        unsigned long long swapLimit = setSwap ? swap : c.obj->def->mem.swapHardLimit;

        if (memLimit > swapLimit) {
            virReportError(
                VIR_ERR_INVALID_ARG, "%s",
                "memory hard_limit tunable value must be lower than or equal to "
                "swap_hard_limit");
            goto cleanup;
        }
    }
    if (c.live) {
        virCgroup *g = c.priv->cgroup;

        /* libvirt's order: soft; hard first when it decreases; swap; hard */
        if (setSoft && virCgroupSetMemorySoftLimit(g, soft) < 0)
            goto cleanup;
        if (setSoft)
            c.live->mem.softLimit = soft;
        if (setHard && c.live->mem.hardLimit > hard) {
            if (virCgroupSetMemoryHardLimit(g, hard) < 0)
                goto cleanup;
            c.live->mem.hardLimit = hard;
        }
        if (setSwap) {
            if (virCgroupSetMemSwapHardLimit(g, swap) < 0)
                goto cleanup;
            c.live->mem.swapHardLimit = swap;
        }
        if (setHard && c.live->mem.hardLimit != hard) {
            if (virCgroupSetMemoryHardLimit(g, hard) < 0)
                goto cleanup;
            c.live->mem.hardLimit = hard;
        }
        if (qemuDomainSaveStatus(driver, c.obj) < 0)
            goto cleanup;
    }
    if (c.persistent) {
        g_autoptr(virDomainDef) copy = virDomainDefCopy(c.persistent);

        if (setSoft)
            copy->mem.softLimit = soft;
        if (setHard)
            copy->mem.hardLimit = hard;
        if (setSwap)
            copy->mem.swapHardLimit = swap;
        if (qemuDomainSaveConfig(driver, copy, c.priv->graceOverrideSec) < 0)
            goto cleanup;
        c.persistent->mem = copy->mem;
    }
    ret = 0;

cleanup:
    qemuTuneEnd(&c);
    return ret;
}

int
qemuDomainGetMemoryParameters(virDomainPtr dom, virTypedParameterPtr params, int *nparams,
                              unsigned int flags)
{
    qemuTuneCall c;
    unsigned long long vals[3];
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                      VIR_TYPED_PARAM_STRING_OKAY,
                  -1);
    flags &= ~VIR_TYPED_PARAM_STRING_OKAY;
    if (qemuTuneBegin(dom, flags, &qemuTuneMemoryGet, &c) < 0)
        goto cleanup;
    if (*nparams == 0) {
        *nparams = 3;
        ret = 0;
        goto cleanup;
    }
    if (c.persistent) {
        vals[0] = c.persistent->mem.hardLimit;
        vals[1] = c.persistent->mem.softLimit;
        vals[2] = c.persistent->mem.swapHardLimit;
    } else {
        vals[2] = VIR_DOMAIN_MEMORY_PARAM_UNLIMITED;
        if (virCgroupGetMemoryHardLimit(c.priv->cgroup, &vals[0]) < 0 ||
            virCgroupGetMemorySoftLimit(c.priv->cgroup, &vals[1]) < 0 ||
            (virCgroupHasMemSwap(c.priv->cgroup) &&
             virCgroupGetMemSwapHardLimit(c.priv->cgroup, &vals[2]) < 0))
            goto cleanup;
    }
    {
        const char *names[] = { VIR_DOMAIN_MEMORY_HARD_LIMIT,
                                VIR_DOMAIN_MEMORY_SOFT_LIMIT,
                                VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT };

        for (int i = 0; i < 3 && i < *nparams; i++)
            virTypedParameterSet(&params[i], names[i], VIR_TYPED_PARAM_ULLONG, vals[i],
                                 NULL);
    }
    if (*nparams > 3)
        *nparams = 3;
    ret = 0;

cleanup:
    qemuTuneEnd(&c);
    return ret;
}

/* ---- blkiotune ------------------------------------------------------------------ */

/* One device value of the running guest's blkio group: "MAJ:MIN VALUE" in
 * the v1 files, io.max / io.weight in v2. */
static int
qemuTuneBlkioDeviceLive(virCgroup *g, const char *type, const virDomainBlkioDeviceDef *d)
{
    struct stat sb;
    bool v2 = virCgroupLayoutBackend(qemuCgroupLayout(), VIR_CGROUP_CONTROLLER_BLKIO) ==
              VIR_CGROUP_BACKEND_V2;
    g_autofree char *dir = virCgroupGetControllerDir(g, VIR_CGROUP_CONTROLLER_BLKIO);
    g_autofree char *val = NULL;
    const char *key;

    if (stat(d->path, &sb) < 0) {
        virReportSystemError(errno, "Path '%s' is not accessible", d->path);
        return -1;
    }
    if (!S_ISBLK(sb.st_mode)) {
        virReportError(VIR_ERR_INVALID_ARG, "Path '%s' must be a block device", d->path);
        return -1;
    }
    if (strcmp(type, VIR_DOMAIN_BLKIO_DEVICE_WEIGHT) == 0) {
        g_autofree char *bfq = g_strdup_printf(
            "%s/%s", dir, v2 ? "io.bfq.weight" : "blkio.bfq.weight_device");
        g_autofree char *cfq =
            g_strdup_printf("%s/%s", dir, v2 ? "io.weight" : "blkio.weight_device");

        if (access(bfq, F_OK) == 0)
            key = v2 ? "io.bfq.weight" : "blkio.bfq.weight_device";
        else if (access(cfq, F_OK) == 0)
            key = v2 ? "io.weight" : "blkio.weight_device";
        else {
            virReportErrorFull(
                VIR_FROM_CGROUP, VIR_ERR_OPERATION_INVALID, __func__, "%s",
                "blkio device weight is valid only for bfq or cfq scheduler");
            return -1;
        }
        val =
            g_strdup_printf("%u:%u %u", major(sb.st_rdev), minor(sb.st_rdev), d->weight);
        return virCgroupSetValueStr(g, VIR_CGROUP_CONTROLLER_BLKIO, key, val);
    }
    if (v2) {
        const char *what = strcmp(type, VIR_DOMAIN_BLKIO_DEVICE_READ_IOPS) == 0 ? "riops"
                           : strcmp(type, VIR_DOMAIN_BLKIO_DEVICE_WRITE_IOPS) == 0
                               ? "wiops"
                           : strcmp(type, VIR_DOMAIN_BLKIO_DEVICE_READ_BPS) == 0 ? "rbps"
                                                                                 : "wbps";
        unsigned long long v = strcmp(what, "riops") == 0   ? d->riops
                               : strcmp(what, "wiops") == 0 ? d->wiops
                               : strcmp(what, "rbps") == 0  ? d->rbps
                                                            : d->wbps;

        if (v)
            val = g_strdup_printf("%u:%u %s=%llu", major(sb.st_rdev), minor(sb.st_rdev),
                                  what, v);
        else
            val = g_strdup_printf("%u:%u %s=max", major(sb.st_rdev), minor(sb.st_rdev),
                                  what);
        return virCgroupSetValueStr(g, VIR_CGROUP_CONTROLLER_BLKIO, "io.max", val);
    }
    if (strcmp(type, VIR_DOMAIN_BLKIO_DEVICE_READ_IOPS) == 0) {
        key = "blkio.throttle.read_iops_device";
        val = g_strdup_printf("%u:%u %u", major(sb.st_rdev), minor(sb.st_rdev), d->riops);
    } else if (strcmp(type, VIR_DOMAIN_BLKIO_DEVICE_WRITE_IOPS) == 0) {
        key = "blkio.throttle.write_iops_device";
        val = g_strdup_printf("%u:%u %u", major(sb.st_rdev), minor(sb.st_rdev), d->wiops);
    } else if (strcmp(type, VIR_DOMAIN_BLKIO_DEVICE_READ_BPS) == 0) {
        key = "blkio.throttle.read_bps_device";
        val =
            g_strdup_printf("%u:%u %llu", major(sb.st_rdev), minor(sb.st_rdev), d->rbps);
    } else {
        key = "blkio.throttle.write_bps_device";
        val =
            g_strdup_printf("%u:%u %llu", major(sb.st_rdev), minor(sb.st_rdev), d->wbps);
    }
    return virCgroupSetValueStr(g, VIR_CGROUP_CONTROLLER_BLKIO, key, val);
}

int
qemuDomainSetBlkioParameters(virDomainPtr dom, virTypedParameterPtr params, int nparams,
                             unsigned int flags)
{
    qemuTuneCall c;
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainBlkioDeviceDef *parsed[VIR_DOMAIN_BLKIO_NPARAMS] = { NULL };
    size_t nparsed[VIR_DOMAIN_BLKIO_NPARAMS] = { 0 };
    int weight = -1;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (virTypedParamsCheck(params, nparams, virDomainBlkioParamNames,
                            virDomainBlkioParamTypes) < 0)
        return -1;
    if (qemuTuneBegin(dom, flags, &qemuTuneBlkioSet, &c) < 0)
        goto cleanup;
    /* every value checked before anything changes */
    for (int i = 0; i < nparams; i++) {
        if (strcmp(params[i].field, VIR_DOMAIN_BLKIO_WEIGHT) == 0) {
            weight = (int)params[i].value.ui;
            if (c.live && (params[i].value.ui > 1000 || params[i].value.ui < 100)) {
                virReportError(VIR_ERR_INVALID_ARG, "%s", "out of blkio weight range.");
                goto cleanup;
            }
            continue;
        }
        if (virDomainBlkioParamParse(&params[i], parsed, nparsed) < 0)
            goto cleanup;
    }
    if (c.live) {
        if (weight >= 0) {
            unsigned int val;

            if (virCgroupSetBlkioWeight(c.priv->cgroup, (unsigned int)weight) < 0 ||
                virCgroupGetBlkioWeight(c.priv->cgroup, &val) < 0)
                goto cleanup;
            c.live->blkio.weight = val;
        }
        for (size_t k = 1; k < VIR_DOMAIN_BLKIO_NPARAMS; k++) {
            const char *name = virDomainBlkioParamNames[k];

            for (size_t d = 0; d < nparsed[k]; d++) {
                if (qemuTuneBlkioDeviceLive(c.priv->cgroup, name, &parsed[k][d]) < 0)
                    goto cleanup;
            }
            virDomainBlkioDevicesMerge(&c.live->blkio, parsed[k], nparsed[k], name);
        }
        if (qemuDomainSaveStatus(driver, c.obj) < 0)
            goto cleanup;
    }
    if (c.persistent) {
        g_autoptr(virDomainDef) copy = virDomainDefCopy(c.persistent);

        if (weight >= 0)
            copy->blkio.weight = (unsigned int)weight;
        for (size_t k = 1; k < VIR_DOMAIN_BLKIO_NPARAMS; k++)
            virDomainBlkioDevicesMerge(&copy->blkio, parsed[k], nparsed[k],
                                       virDomainBlkioParamNames[k]);
        if (qemuDomainSaveConfig(driver, copy, c.priv->graceOverrideSec) < 0)
            goto cleanup;
        virDomainTuneClear(c.persistent);
        virDomainTuneCopy(c.persistent, copy);
    }
    ret = 0;

cleanup:
    for (size_t k = 0; k < VIR_DOMAIN_BLKIO_NPARAMS; k++)
        virDomainBlkioDevicesFree(parsed[k], nparsed[k]);
    qemuTuneEnd(&c);
    return ret;
}

int
qemuDomainGetBlkioParameters(virDomainPtr dom, virTypedParameterPtr params, int *nparams,
                             unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    virDomainDef *live = NULL, *persistent = NULL;
    const virDomainDef *def;
    qemuDomainObjPrivate *priv;
    unsigned int weight;
    int maxparams = 6;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                      VIR_TYPED_PARAM_STRING_OKAY,
                  -1);
    flags &= ~VIR_TYPED_PARAM_STRING_OKAY;
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    priv = qemuDomainPriv(obj);
    if (!driver->privileged) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "Block I/O tuning is not available in session mode");
        goto cleanup;
    }
    if (*nparams == 0) {
        *nparams = 6;
        ret = 0;
        goto cleanup;
    }
    if (*nparams < maxparams)
        maxparams = *nparams;
    if (qemuTuneGetDefs(obj, flags, &live, &persistent) < 0)
        goto cleanup;
    if (live) {
        if (!virCgroupHasController(priv->cgroup, VIR_CGROUP_CONTROLLER_BLKIO)) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s", "blkio cgroup isn't mounted");
            goto cleanup;
        }
        if (virCgroupGetBlkioWeight(priv->cgroup, &weight) < 0)
            goto cleanup;
        def = live;
    } else {
        weight = persistent->blkio.weight;
        def = persistent;
    }
    *nparams = virDomainBlkioParamsFormat(&def->blkio, weight, params, maxparams);
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- numatune -------------------------------------------------------------------- */

int
qemuDomainSetNumaParameters(virDomainPtr dom, virTypedParameterPtr params, int nparams,
                            unsigned int flags)
{
    static const char *const names[] = { VIR_DOMAIN_NUMA_MODE, VIR_DOMAIN_NUMA_NODESET,
                                         NULL };
    static const int types[] = { VIR_TYPED_PARAM_INT, VIR_TYPED_PARAM_STRING };
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    virDomainDef *live = NULL, *persistent = NULL;
    qemuDomainObjPrivate *priv;
    g_autofree char *nodeset = NULL;
    int mode = -1;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (virTypedParamsCheck(params, nparams, names, types) < 0)
        return -1;
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    priv = qemuDomainPriv(obj);
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuTuneGetDefs(obj, flags, &live, &persistent) < 0)
        goto endjob;
    if (virDomainNumatuneCheckParams(params, nparams, &mode, &nodeset) < 0)
        goto endjob;
    if (live) {
        if (!driver->privileged) {
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                           "NUMA tuning is not available in session mode");
            goto endjob;
        }
        if (!virCgroupHasController(priv->cgroup, VIR_CGROUP_CONTROLLER_CPUSET)) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "cgroup cpuset controller is not mounted");
            goto endjob;
        }
        if (mode != -1 && live->numatune.set && live->numatune.mode != mode) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "can't change numatune mode for running domain");
            goto endjob;
        }
        if (nodeset) {
            g_autofree unsigned char *map = NULL;
            size_t maplen = 0;

            if (live->numatune.set &&
                live->numatune.mode != VIR_DOMAIN_NUMATUNE_MEM_RESTRICTIVE) {
                virReportError(
                    VIR_ERR_OPERATION_INVALID, "%s",
                    "change of nodeset for running domain requires restrictive "
                    "numa mode");
                goto endjob;
            }
            map = virDomainCpulistParse(nodeset, 1024, &maplen);
            for (size_t b = 0; map && b < maplen * 8; b++) {
                g_autofree char *node = NULL;

                if (!(map[b / 8] & (1u << (b % 8))))
                    continue;
                node = g_strdup_printf("/sys/devices/system/node/node%zu", b);
                if (!g_file_test(node, G_FILE_TEST_IS_DIR)) {
                    virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __func__,
                                       "NUMA node %zu is unavailable", b);
                    goto endjob;
                }
            }
        }
        if (!nodeset && !live->numatune.nodeset) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "nodeset for NUMA memory tuning must be set if 'placement' is "
                           "'static'");
            goto endjob;
        }
        if (nodeset) {
            g_autoptr(virCgroup) emu = qemuCgroupEmulator(obj);

            if (virCgroupSetCpusetMems(emu, nodeset) < 0)
                goto endjob;
            for (size_t i = 0; i < priv->nvcpuTids; i++) {
                g_autoptr(virCgroup) vg = qemuCgroupVcpu(obj, (unsigned int)i);

                if (virCgroupSetCpusetMems(vg, nodeset) < 0)
                    goto endjob;
            }
            if (virCgroupSetCpusetMems(priv->cgroup, nodeset) < 0)
                goto endjob;
        }
        if (virDomainNumatuneApply(live, mode, nodeset) < 0 ||
            qemuDomainSaveStatus(driver, obj) < 0)
            goto endjob;
    }
    if (persistent) {
        g_autoptr(virDomainDef) copy = virDomainDefCopy(persistent);

        if (virDomainNumatuneApply(copy, mode, nodeset) < 0 ||
            qemuDomainSaveConfig(driver, copy, priv->graceOverrideSec) < 0)
            goto endjob;
        virDomainTuneClear(persistent);
        virDomainTuneCopy(persistent, copy);
    }
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainGetNumaParameters(virDomainPtr dom, virTypedParameterPtr params, int *nparams,
                            unsigned int flags)
{
    virDomainObj *obj;
    virDomainDef *live = NULL, *persistent = NULL;
    const virDomainDef *def;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                      VIR_TYPED_PARAM_STRING_OKAY,
                  -1);
    flags &= ~VIR_TYPED_PARAM_STRING_OKAY;
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        virSetErrorRaw(
            VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, VIR_ERR_ERROR,
            "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are "
            "mutually exclusive",
            __func__, "flags", NULL, 0, 0);
        goto cleanup;
    }
    if (qemuTuneGetDefs(obj, flags, &live, &persistent) < 0)
        goto cleanup;
    if (*nparams == 0) {
        *nparams = 2;
        ret = 0;
        goto cleanup;
    }
    def = live ? live : persistent;
    virTypedParameterSet(&params[0], VIR_DOMAIN_NUMA_MODE, VIR_TYPED_PARAM_INT,
                         (unsigned long long)def->numatune.mode, NULL);
    if (*nparams > 1)
        virTypedParameterSet(&params[1], VIR_DOMAIN_NUMA_NODESET, VIR_TYPED_PARAM_STRING,
                             0, def->numatune.nodeset);
    if (*nparams > 2)
        *nparams = 2;
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- pins ------------------------------------------------------------------------- */

/* The host's online CPUs as a list ("0-1"). */
static char *
qemuTuneHostCpus(void)
{
    g_autofree char *s = NULL;

    if (!g_file_get_contents("/sys/devices/system/cpu/online", &s, NULL, NULL))
        return g_strdup_printf("0-%ld", sysconf(_SC_NPROCESSORS_CONF) - 1);
    return g_strdup(g_strstrip(s));
}

/* sched_setaffinity of @tid to the cpumap. */
static int
qemuTuneSetAffinity(pid_t tid, const unsigned char *map, int maplen)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    for (int c = 0; c < maplen * 8 && c < CPU_SETSIZE; c++) {
        if (VIR_CPU_USED(map, c))
            CPU_SET(c, &set);
    }
    if (sched_setaffinity(tid, sizeof(set), &set) < 0) {
        virReportSystemError(errno, "cannot set CPU affinity on process %d", (int)tid);
        return -1;
    }
    return 0;
}

int
qemuDomainPinVcpuFlags(virDomainPtr dom, unsigned int vcpu, unsigned char *cpumap,
                       int maplen, unsigned int flags)
{
    qemuTuneCall c;
    qemuDriver *driver = qemuDriverOf(dom->conn);
    g_autofree char *list = NULL;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (qemuTuneBegin(dom, flags, &qemuTunePinSet, &c) < 0)
        goto cleanup;
    if (c.persistent && vcpu >= c.persistent->vcpus) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "vcpu %d is out of range of persistent cpu count %d", (int)vcpu,
                       (int)c.persistent->vcpus);
        goto cleanup;
    }
    list = virDomainCpulistFormat(cpumap, (size_t)maplen);
    if (!*list) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "Empty cpu list for pinning");
        goto cleanup;
    }
    if (c.live) {
        if (!c.priv->vcpuTids || c.priv->nvcpuTids == 0) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "cpu affinity is not supported");
            goto cleanup;
        }
        if (vcpu >= c.live->vcpus || vcpu >= c.priv->nvcpuTids) {
            virReportError(VIR_ERR_INVALID_ARG,
                           "vcpu %d is out of range of live cpu count %d", (int)vcpu,
                           (int)c.live->vcpus);
            goto cleanup;
        }
        if (virCgroupHasController(c.priv->cgroup, VIR_CGROUP_CONTROLLER_CPUSET)) {
            g_autoptr(virCgroup) vg = qemuCgroupVcpu(c.obj, vcpu);

            if (virCgroupSetCpusetCpus(vg, list) < 0)
                goto cleanup;
        }
        if (qemuTuneSetAffinity(c.priv->vcpuTids[vcpu], cpumap, maplen) < 0)
            goto cleanup;
        virDomainDefSetVcpuPin(c.live, vcpu, list);
        if (qemuDomainSaveStatus(driver, c.obj) < 0)
            goto cleanup;
    }
    if (c.persistent) {
        g_autoptr(virDomainDef) copy = virDomainDefCopy(c.persistent);

        virDomainDefSetVcpuPin(copy, vcpu, list);
        if (qemuDomainSaveConfig(driver, copy, c.priv->graceOverrideSec) < 0)
            goto cleanup;
        virDomainDefSetVcpuPin(c.persistent, vcpu, list);
    }
    ret = 0;

cleanup:
    qemuTuneEnd(&c);
    return ret;
}

int
qemuDomainPinVcpu(virDomainPtr dom, unsigned int vcpu, unsigned char *cpumap, int maplen)
{
    return qemuDomainPinVcpuFlags(dom, vcpu, cpumap, maplen, VIR_DOMAIN_AFFECT_LIVE);
}

int
qemuDomainPinEmulator(virDomainPtr dom, unsigned char *cpumap, int maplen,
                      unsigned int flags)
{
    qemuTuneCall c;
    qemuDriver *driver = qemuDriverOf(dom->conn);
    g_autofree char *list = NULL;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (qemuTuneBegin(dom, flags, &qemuTunePinSet, &c) < 0)
        goto cleanup;
    list = virDomainCpulistFormat(cpumap, (size_t)maplen);
    if (!*list) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "Empty cpu list for pinning");
        goto cleanup;
    }
    if (c.live) {
        if (virCgroupHasController(c.priv->cgroup, VIR_CGROUP_CONTROLLER_CPUSET)) {
            g_autoptr(virCgroup) emu = qemuCgroupEmulator(c.obj);

            if (virCgroupSetCpusetCpus(emu, list) < 0)
                goto cleanup;
        }
        /* libvirt sets the main thread's affinity; the emulator cgroup
         * holds the others */
        if (qemuTuneSetAffinity(c.obj->pid, cpumap, maplen) < 0)
            goto cleanup;
        g_free(c.live->cputune.emulatorpin);
        c.live->cputune.emulatorpin = g_strdup(list);
        if (qemuDomainSaveStatus(driver, c.obj) < 0)
            goto cleanup;
    }
    if (c.persistent) {
        g_autoptr(virDomainDef) copy = virDomainDefCopy(c.persistent);

        g_free(copy->cputune.emulatorpin);
        copy->cputune.emulatorpin = g_strdup(list);
        if (qemuDomainSaveConfig(driver, copy, c.priv->graceOverrideSec) < 0)
            goto cleanup;
        g_free(c.persistent->cputune.emulatorpin);
        c.persistent->cputune.emulatorpin = g_strdup(list);
    }
    ret = 0;

cleanup:
    qemuTuneEnd(&c);
    return ret;
}

/* @map (@maplen bytes) from @list, else every online host CPU. */
static void
qemuTuneFillMap(unsigned char *map, int maplen, const char *list)
{
    g_autofree char *host = NULL;
    g_autofree unsigned char *bits = NULL;
    size_t len = 0;

    memset(map, 0, (size_t)maplen);
    if (!list)
        list = host = qemuTuneHostCpus();
    if ((bits = virDomainCpulistParse(list, (size_t)maplen * 8, &len)))
        memcpy(map, bits, MIN((size_t)maplen, len));
}

int
qemuDomainGetEmulatorPinInfo(virDomainPtr dom, unsigned char *cpumaps, int maplen,
                             unsigned int flags)
{
    qemuTuneCall c;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (qemuTuneBegin(dom, flags, &qemuTuneDefsOnly, &c) < 0)
        goto cleanup;
    qemuTuneFillMap(cpumaps, maplen,
                    virDomainDefGetEmulatorPin(c.live ? c.live : c.persistent));
    ret = 1;

cleanup:
    qemuTuneEnd(&c);
    return ret;
}

int
qemuTuneVcpuPinMap(const virDomainDef *def, unsigned int vcpu, unsigned char *map,
                   int maplen)
{
    qemuTuneFillMap(map, maplen, virDomainDefGetVcpuPin(def, vcpu));
    return 0;
}
