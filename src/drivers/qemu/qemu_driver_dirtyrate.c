/* qemu_driver_dirtyrate.c: the QEMU driver's memory dirty-rate measurement (virDomainStartDirtyRateCalc, the "dirtyrate" statistics group) */

/*
 * Threads: API threads only. A start takes the domain's MODIFY job for
 * the one QMP command (QEMU measures on its own thread and the call
 * returns at once); the statistics ask query-dirty-rate under their QUERY
 * job (qemu_driver_stats.c) and format the reply here.
 */
#define G_LOG_DOMAIN "virtkit.qemu.dirtyrate"

#include <string.h>

#include <json-c/json.h>

#include "qemu_driver_priv.h"
#include "qemu_monitor.h"
#include "virerror.h"
#include "virtypedparamlist.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* libvirt's bounds of a measurement, in seconds */
#define QEMU_DIRTYRATE_MIN_SECONDS 1
#define QEMU_DIRTYRATE_MAX_SECONDS 60

/* QEMU's DirtyRateMeasureMode names, in libvirt's order (index 0 is the
 * default, which the command leaves out) */
static const char *const qemuDirtyRateModes[] = { "page-sampling", "dirty-bitmap",
                                                  "dirty-ring" };
/* QEMU's DirtyRateStatus names: index = virDomainDirtyRateStatus */
static const char *const qemuDirtyRateStatuses[] = { "unstarted", "measuring",
                                                     "measured" };

int
qemuDomainStartDirtyRateCalc(virDomainPtr dom, int seconds, unsigned int flags)
{
    virDomainObj *obj;
    const char *mode = NULL;
    g_autoptr(json_object) args = NULL;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_DIRTYRATE_MODE_PAGE_SAMPLING |
                      VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP |
                      VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING,
                  -1);
    if (seconds < QEMU_DIRTYRATE_MIN_SECONDS || seconds > QEMU_DIRTYRATE_MAX_SECONDS) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "seconds=%d is invalid, please choose value within [%d, %d].",
                       seconds, QEMU_DIRTYRATE_MIN_SECONDS, QEMU_DIRTYRATE_MAX_SECONDS);
        return -1;
    }
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (qemuDomainObjCheckActive(obj) < 0)
        goto cleanup;
    if (flags & VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP) {
        /* Not libvirt's: under TCG QEMU 7.2 never answers calc-dirty-rate
         * in dirty-bitmap mode (its monitor and the guest hang, measured
         * with a bare QEMU -accel tcg), so a TCG guest is refused rather
         * than lost */
        if (obj->def->virtType != VIR_DOMAIN_VIRT_KVM) {
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                           "dirty-bitmap calculation mode is not supported by QEMU "
                           "under TCG");
            goto cleanup;
        }
        mode = qemuDirtyRateModes[1];
    } else if (flags & VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING) {
        /* the ring is KVM's (<features><kvm><dirty-ring state='on'/>), which
         * a TCG guest of this driver never has */
        virReportError(
            VIR_ERR_OPERATION_UNSUPPORTED, "%s",
            "dirty-ring calculation mode requires dirty-ring feature enabled.");
        goto cleanup;
    }
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) == 0) {
        qemuMonitor *mon = qemuDomainPriv(obj)->mon;

        args = json_object_new_object();
        json_object_object_add(args, "calc-time", json_object_new_int(seconds));
        if (mode)
            json_object_object_add(args, "mode", json_object_new_string(mode));
        g_debug("dirty rate of '%s' over %d s (%s)", obj->def->name, seconds,
                mode ? mode : qemuDirtyRateModes[0]);
        /* from now on (even if it failed half way) QEMU's answer is its own */
        qemuDomainPriv(obj)->dirtyRateUnstarted = false;
        virDomainObjUnlock(obj);
        ret = qemuMonitorCommand(mon, "calc-dirty-rate", args, QEMU_MONITOR_TIMEOUT_MS,
                                 NULL);
        virDomainObjLock(obj);
    }
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

static int
qemuDirtyRateIndex(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; name && i < n; i++) {
        if (strcmp(names[i], name) == 0)
            return (int)i;
    }
    return -1;
}

static bool
qemuDirtyRateLL(json_object *o, const char *key, long long *v)
{
    json_object *m = NULL;

    if (!json_object_object_get_ex(o, key, &m) || !json_object_is_type(m, json_type_int))
        return false;
    *v = json_object_get_int64(m);
    return true;
}

/* The figures query-dirty-rate gives of a QEMU that never measured (its
 * status, start time and period all 0, the default mode). */
static void
qemuStatsDirtyRateAddUnstarted(virTypedParamList *list)
{
    virTypedParamListAddInt(list, VIR_DOMAIN_DIRTYRATE_UNSTARTED,
                            "dirtyrate.calc_status");
    virTypedParamListAddLLong(list, 0, "dirtyrate.calc_start_time");
    virTypedParamListAddInt(list, 0, "dirtyrate.calc_period");
    virTypedParamListAddString(list, qemuDirtyRateModes[0], "dirtyrate.calc_mode");
}

bool
qemuStatsDirtyRateIsUnstarted(json_object *reply)
{
    json_object *m = NULL;
    long long start, period;

    return reply && json_object_object_get_ex(reply, "status", &m) &&
           g_strcmp0(json_object_get_string(m), qemuDirtyRateStatuses[0]) == 0 &&
           qemuDirtyRateLL(reply, "start-time", &start) && start == 0 &&
           qemuDirtyRateLL(reply, "calc-time", &period) && period == 0 &&
           (!json_object_object_get_ex(reply, "mode", &m) ||
            g_strcmp0(json_object_get_string(m), qemuDirtyRateModes[0]) == 0);
}

void
qemuStatsDirtyRateRecord(virTypedParamList *list, json_object *reply, bool unstarted)
{
    json_object *m = NULL;
    json_object *vcpus = NULL;
    const char *modeStr = NULL;
    long long start, period, rate = 0;
    int status, mode = 0;

    if (unstarted) {
        qemuStatsDirtyRateAddUnstarted(list);
        return;
    }
    /* as libvirt: an answer lacking what it must hold adds nothing */
    if (!reply || !json_object_object_get_ex(reply, "status", &m) ||
        (status = qemuDirtyRateIndex(qemuDirtyRateStatuses,
                                     G_N_ELEMENTS(qemuDirtyRateStatuses),
                                     json_object_get_string(m))) < 0 ||
        !qemuDirtyRateLL(reply, "start-time", &start) ||
        !qemuDirtyRateLL(reply, "calc-time", &period) ||
        (status == VIR_DOMAIN_DIRTYRATE_MEASURED &&
         !qemuDirtyRateLL(reply, "dirty-rate", &rate))) {
        g_debug("query-dirty-rate answer unusable: %s",
                reply ? json_object_to_json_string(reply) : "(none)");
        return;
    }
    if (json_object_object_get_ex(reply, "mode", &m)) {
        modeStr = json_object_get_string(m);
        if ((mode = qemuDirtyRateIndex(qemuDirtyRateModes,
                                       G_N_ELEMENTS(qemuDirtyRateModes), modeStr)) < 0) {
            g_debug("query-dirty-rate: unknown mode '%s'", modeStr);
            return;
        }
    }
    virTypedParamListAddInt(list, status, "dirtyrate.calc_status");
    virTypedParamListAddLLong(list, start, "dirtyrate.calc_start_time");
    virTypedParamListAddInt(list, (int)period, "dirtyrate.calc_period");
    virTypedParamListAddString(list, qemuDirtyRateModes[mode], "dirtyrate.calc_mode");
    if (status != VIR_DOMAIN_DIRTYRATE_MEASURED)
        return;
    virTypedParamListAddLLong(list, rate, "dirtyrate.megabytes_per_second");
    /* QEMU gives per-vCPU figures in dirty-ring mode only */
    if (mode != 2 || !json_object_object_get_ex(reply, "vcpu-dirty-rate", &vcpus) ||
        !json_object_is_type(vcpus, json_type_array))
        return;
    for (size_t i = 0; i < json_object_array_length(vcpus); i++) {
        json_object *e = json_object_array_get_idx(vcpus, i);
        long long id, r;

        if (!qemuDirtyRateLL(e, "id", &id) || !qemuDirtyRateLL(e, "dirty-rate", &r))
            continue;
        virTypedParamListAddULLong(list, (unsigned long long)r,
                                   "dirtyrate.vcpu.%lld.megabytes_per_second", id);
    }
}
