/* qemu_perf.c: Linux perf event counters on a guest's QEMU (<perf>, virDomainGet/SetPerfEvents, the "perf" statistics) */

/*
 * Threads: the counters (priv->perf, src/util/virperf.c) are opened,
 * closed and read with the domain's object lock held; Set also holds the
 * MODIFY job so that the definitions and the status file change with
 * them, Get the QUERY job (a reconnect reopens them under its MODIFY job);
 * the statistics read them with whatever job their call holds. No call waits on QEMU: perf_event_open and read(2) are the
 * kernel's.
 *
 * Semantics and texts are libvirt 9.0's qemu_driver.c, with one
 * difference: a Set that fails on one event leaves every counter and
 * definition as it was (libvirt keeps the events before the failing one
 * enabled). Live counters opened on a running QEMU cover each of its
 * threads (libvirt opens one on the main thread, whose vCPU threads then
 * go uncounted).
 */

#define G_LOG_DOMAIN "virtkit.qemu.perf"

#include <string.h>

#include "qemu_driver_priv.h"
#include "qemu_perf.h"
#include "virerror.h"
#include "virperf.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

int
qemuPerfStart(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    virPerfFree(priv->perf);
    priv->perf = virPerfNew();
    for (int i = 0; i < VIR_PERF_EVENT_LAST; i++) {
        if (obj->def->perfEvents[i] == VIR_DOMAIN_TRISTATE_ON &&
            virPerfEventEnable(priv->perf, i, obj->pid) < 0)
            return -1;
    }
    return 0;
}

void
qemuPerfReconnect(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    virPerfFree(priv->perf);
    priv->perf = virPerfNew();
    for (int i = 0; i < VIR_PERF_EVENT_LAST; i++) {
        if (obj->def->perfEvents[i] != VIR_DOMAIN_TRISTATE_ON)
            continue;
        if (virPerfEventEnable(priv->perf, i, obj->pid) < 0) {
            g_debug("perf event %s of '%s' not reopened: %s", virPerfEventTypeToString(i),
                    obj->def->name, virGetLastErrorMessage());
            virResetLastError();
            obj->def->perfEvents[i] = VIR_DOMAIN_TRISTATE_OFF;
        }
    }
}

void
qemuPerfStop(virDomainObj *obj)
{
    g_clear_pointer(&qemuDomainPriv(obj)->perf, virPerfFree);
}

void
qemuPerfStatsAdd(virDomainObj *obj, virTypedParamList *list)
{
    virPerf *perf = qemuDomainPriv(obj)->perf;

    if (!virDomainObjIsActive(obj))
        return;
    for (int i = 0; i < VIR_PERF_EVENT_LAST; i++) {
        unsigned long long value;

        if (!virPerfEventIsEnabled(perf, i))
            continue;
        if (virPerfReadEvent(perf, i, &value) < 0) {
            g_debug("perf event %s of '%s' unreadable: %s", virPerfEventTypeToString(i),
                    obj->def->name, virGetLastErrorMessage());
            virResetLastError();
            continue;
        }
        virTypedParamListAddULLong(list, value, "perf.%s", virPerfEventTypeToString(i));
    }
}

/* ---- the API ------------------------------------------------------------------ */

int
qemuDomainSetPerfEvents(virDomainPtr dom, virTypedParameterPtr params, int nparams,
                        unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    const char *names[VIR_PERF_EVENT_LAST + 1];
    int types[VIR_PERF_EVENT_LAST];
    bool opened[VIR_PERF_EVENT_LAST] = { false };
    virDomainObj *obj;
    qemuDomainObjPrivate *priv;
    virDomainDef *live = NULL;
    virDomainDef *persistent = NULL;
    bool job = false;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    for (int i = 0; i < VIR_PERF_EVENT_LAST; i++) {
        names[i] = virPerfEventTypeToString(i);
        types[i] = VIR_TYPED_PARAM_BOOLEAN;
    }
    names[VIR_PERF_EVENT_LAST] = NULL;
    if (virTypedParamsCheck(params, nparams, names, types) < 0)
        return -1;
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    priv = qemuDomainPriv(obj);
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    job = true;
    if (qemuTuneGetDefs(obj, flags, &live, &persistent) < 0)
        goto cleanup;

    if (live) {
        if (!priv->perf)
            priv->perf = virPerfNew();
        /* every counter asked for first: one the host refuses undoes the
         * ones this call opened, and nothing else has changed yet */
        for (int i = 0; i < nparams; i++) {
            int type = virPerfEventTypeFromString(params[i].field);

            if (!params[i].value.b || virPerfEventIsEnabled(priv->perf, type))
                continue;
            if (virPerfEventEnable(priv->perf, type, obj->pid) < 0) {
                for (int t = 0; t < VIR_PERF_EVENT_LAST; t++) {
                    if (opened[t])
                        virPerfEventDisable(priv->perf, t);
                }
                goto cleanup;
            }
            opened[type] = true;
        }
        for (int i = 0; i < nparams; i++) {
            int type = virPerfEventTypeFromString(params[i].field);

            if (!params[i].value.b)
                virPerfEventDisable(priv->perf, type);
            live->perfEvents[type] =
                params[i].value.b ? VIR_DOMAIN_TRISTATE_ON : VIR_DOMAIN_TRISTATE_OFF;
        }
        if (qemuDomainSaveStatus(driver, obj) < 0)
            goto cleanup;
    }
    if (persistent) {
        g_autoptr(virDomainDef) copy = virDomainDefCopy(persistent);

        for (int i = 0; i < nparams; i++)
            copy->perfEvents[virPerfEventTypeFromString(params[i].field)] =
                params[i].value.b ? VIR_DOMAIN_TRISTATE_ON : VIR_DOMAIN_TRISTATE_OFF;
        if (qemuDomainSaveConfig(driver, copy, priv->graceOverrideSec) < 0)
            goto cleanup;
        memcpy(persistent->perfEvents, copy->perfEvents, sizeof(copy->perfEvents));
    }
    ret = 0;

cleanup:
    if (job)
        virDomainObjEndJob(obj, VIR_JOB_MODIFY);
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainGetPerfEvents(virDomainPtr dom, virTypedParameterPtr *params, int *nparams,
                        unsigned int flags)
{
    g_autoptr(virTypedParamList) list = NULL;
    virDomainObj *obj;
    virDomainDef *live = NULL;
    virDomainDef *persistent = NULL;
    bool job = false;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                      VIR_TYPED_PARAM_STRING_OKAY,
                  -1);
    flags &= ~VIR_TYPED_PARAM_STRING_OKAY;
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        /* libvirt's virReportInvalidArg: the text without a prefix */
        virSetErrorRaw(
            VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, VIR_ERR_ERROR,
            "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are "
            "mutually exclusive",
            __func__, "flags", NULL, 0, 0);
        goto cleanup;
    }
    /* as libvirt, a QUERY job: the answer waits for a reconnect that is
     * reopening the counters */
    if (virDomainObjBeginJob(obj, VIR_JOB_QUERY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    job = true;
    if (qemuTuneGetDefs(obj, flags, &live, &persistent) < 0)
        goto cleanup;
    list = virTypedParamListNew();
    for (int i = 0; i < VIR_PERF_EVENT_LAST; i++) {
        /* live: the counters that are open, as libvirt answers */
        bool on = live ? virPerfEventIsEnabled(qemuDomainPriv(obj)->perf, i)
                       : persistent->perfEvents[i] == VIR_DOMAIN_TRISTATE_ON;

        virTypedParamListAddBoolean(list, on, "%s", virPerfEventTypeToString(i));
    }
    virTypedParamListSteal(list, params, nparams);
    ret = 0;

cleanup:
    if (job)
        virDomainObjEndJob(obj, VIR_JOB_QUERY);
    virDomainObjEndAPI(&obj);
    return ret;
}
