/* qemu_driver_tune.c: QEMU driver entry points for resource tuning through cgroups (schedinfo) */

/*
 * Threads: Get calls read cgroup files with the object locked (no QEMU
 * involved); Set calls hold the MODIFY job. Live values come from the
 * guest's cgroup (qemu_cgroup.c), config values from the persistent
 * definition, as libvirt 9.0's QEMU driver answers them.
 */

#define G_LOG_DOMAIN "virtkit.qemu.tune"

#include <string.h>

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

/* libvirt's virTypedParamsValidate: every field known, of its type, once
 * (VIR_FROM_NONE texts). @names/@types end with NULL. */
int
qemuTuneValidateParams(virTypedParameterPtr params, int nparams, const char *const *names,
                       const int *types)
{
    static const char *const typeNames[] = {
        "unknown", "int", "uint", "llong", "ullong", "double", "boolean", "string",
    };

    for (int i = 0; i < nparams; i++) {
        size_t k;

        for (k = 0; names[k]; k++) {
            if (strcmp(params[i].field, names[k]) == 0)
                break;
        }
        if (!names[k]) {
            virReportErrorFull(VIR_FROM_NONE, VIR_ERR_ARGUMENT_UNSUPPORTED, __func__,
                               "parameter '%s' not supported", params[i].field);
            return -1;
        }
        for (int j = 0; j < i; j++) {
            if (strcmp(params[j].field, params[i].field) == 0) {
                virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __func__,
                                   "parameter '%s' occurs multiple times",
                                   params[i].field);
                return -1;
            }
        }
        if (params[i].type != types[k]) {
            int t = params[i].type;

            virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __func__,
                               "invalid type '%s' for parameter '%s', expected '%s'",
                               t > 0 && t < (int)G_N_ELEMENTS(typeNames) ? typeNames[t]
                                                                         : typeNames[0],
                               params[i].field, typeNames[types[k]]);
            return -1;
        }
    }
    return 0;
}

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
    /* no IOThreads: libvirt reads the guest's own group */
    if (qemuTuneGroupBW(priv->cgroup, &d->iothreadPeriod, &d->iothreadQuota) < 0)
        return -1;
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
    virDomainObj *obj;
    virDomainDef *live = NULL, *persistent = NULL;
    g_autoptr(virDomainDef) newPersistent = NULL;
    qemuDomainObjPrivate *priv;
    bool cgroupV2;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (qemuTuneValidateParams(params, nparams, names, types) < 0)
        return -1;
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    priv = qemuDomainPriv(obj);
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuTuneGetDefs(obj, flags, &live, &persistent) < 0)
        goto endjob;
    if (persistent)
        newPersistent = virDomainDefCopy(persistent);
    if (live && !virCgroupHasController(priv->cgroup, VIR_CGROUP_CONTROLLER_CPU)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cgroup CPU controller is not mounted");
        goto endjob;
    }
    cgroupV2 = virCgroupLayoutBackend(qemuCgroupLayout(), VIR_CGROUP_CONTROLLER_CPU) ==
               VIR_CGROUP_BACKEND_V2;

    /* every value checked before anything changes */
    for (int i = 0; i < nparams; i++) {
        const char *f = params[i].field;
        unsigned long long ul = params[i].value.ul;

        if (strcmp(f, VIR_DOMAIN_SCHEDULER_CPU_SHARES) == 0) {
            unsigned long long min = cgroupV2 ? 1 : 2, max = cgroupV2 ? 10000 : 262144;

            if (live && (ul < min || ul > max)) {
                virReportErrorFull(VIR_FROM_CGROUP, VIR_ERR_INVALID_ARG, __func__,
                                   "shares '%llu' must be in range [%llu, %llu]", ul, min,
                                   max);
                goto endjob;
            }
        } else if (g_str_has_suffix(f, "_period")
                       ? qemuTuneRangeCheck(
                             (long long)MIN(ul, (unsigned long long)G_MAXINT64), f,
                             QEMU_SCHED_MIN_PERIOD, QEMU_SCHED_MAX_PERIOD) < 0
                       : qemuTuneRangeCheck(params[i].value.l, f, QEMU_SCHED_MIN_QUOTA,
                                            QEMU_SCHED_MAX_QUOTA) < 0) {
            goto endjob;
        }
    }

    for (int i = 0; i < nparams; i++) {
        const char *f = params[i].field;
        unsigned long long ul = params[i].value.ul;
        long long l = params[i].value.l;

        if (strcmp(f, VIR_DOMAIN_SCHEDULER_CPU_SHARES) == 0) {
            if (live) {
                unsigned long long val;

                if (virCgroupSetCpuShares(priv->cgroup, ul) < 0 ||
                    virCgroupGetCpuShares(priv->cgroup, &val) < 0)
                    goto endjob;
                live->cputune.shares = val;
                live->cputune.sharesSpecified = true;
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

            if (live) {
                /* no IOThreads in virtkit's guests: nothing to set live */
                if (strcmp(which, "iothread") != 0 &&
                    qemuTuneSetBWLive(obj, which, isPeriod ? ul : 0, isPeriod ? 0 : l) <
                        0)
                    goto endjob;
            }
            for (int k = 0; k < 2; k++) {
                virDomainDef *d = k == 0 ? live : newPersistent;

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
    if (live && qemuDomainSaveStatus(driver, obj) < 0)
        goto endjob;
    if (newPersistent) {
        if (qemuDomainSaveConfig(driver, newPersistent, priv->graceOverrideSec) < 0)
            goto endjob;
        virDomainTuneClear(persistent);
        virDomainTuneCopy(persistent, newPersistent);
    }
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainSetSchedulerParameters(virDomainPtr dom, virTypedParameterPtr params,
                                 int nparams)
{
    return qemuDomainSetSchedulerParametersFlags(dom, params, nparams, 0);
}
