/* qemu_driver_iotune.c: virDomainSetBlockIoTune / virDomainGetBlockIoTune for the QEMU driver (a disk's <iotune>, block_set_io_throttle) */

/*
 * Threads: the entry points run on API threads and take the domain's
 * MODIFY job (Set) or QUERY job (Get); QEMU is waited for with the object
 * unlocked (qemuHotplugMonitor).
 *
 * The semantics are libvirt 9.0's qemuDomainSetBlockIoTune: a family of
 * limits named in the call (bytes, iops, their bursts, size, group, the
 * burst lengths) replaces the disk's, the others are kept; all numbers 0
 * takes the disk out of its group; a group named takes the limits of the
 * group's other disks unless the call names them; the live limits are
 * checked (a burst needs its limit and is not below it) and QEMU has the
 * last word. Unlike libvirt, the persistent side is checked before the
 * live one changes, so a call that fails changes nothing.
 */

#define G_LOG_DOMAIN "virtkit.qemu.iotune"

#include <json-c/json.h>
#include <string.h>

#include "domain_event.h"
#include "domain_iotune.h"
#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_iotune.h"
#include "qemu_monitor.h"
#include "virerror.h"
#include "virtypedparamlist.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* libvirt's qemuDomainSetBlockIoTuneDefaults: what @set does not name
 * comes from @old; a burst length of a family that was named and left at
 * 0 is 1 when the family still has a limit or burst (QEMU's own default,
 * which it would refuse to be given as 0), else 0. */
static void
iotuneMerge(virDomainBlockIoTuneInfo *t, const virDomainBlockIoTuneInfo *old,
            unsigned int set)
{
    for (size_t i = 0; i < VIR_DOMAIN_IOTUNE_BASE_LAST; i++) {
        bool bytes = i < VIR_DOMAIN_IOTUNE_TOTAL_IOPS_SEC;

        if (!(set & (bytes ? VIR_DOMAIN_IOTUNE_SET_BYTES : VIR_DOMAIN_IOTUNE_SET_IOPS)))
            t->base[i] = old->base[i];
        if (!(set &
              (bytes ? VIR_DOMAIN_IOTUNE_SET_BYTES_MAX : VIR_DOMAIN_IOTUNE_SET_IOPS_MAX)))
            t->max[i] = old->max[i];
    }
    if (!(set & VIR_DOMAIN_IOTUNE_SET_SIZE_IOPS))
        t->sizeIops = old->sizeIops;
    if (!(set & VIR_DOMAIN_IOTUNE_SET_GROUP_NAME)) {
        g_free(t->groupName);
        t->groupName = g_strdup(old->groupName);
    }
    for (size_t i = 0; i < VIR_DOMAIN_IOTUNE_BASE_LAST; i++) {
        unsigned int len = i < VIR_DOMAIN_IOTUNE_TOTAL_IOPS_SEC
                               ? VIR_DOMAIN_IOTUNE_SET_BYTES_MAX_LENGTH
                               : VIR_DOMAIN_IOTUNE_SET_IOPS_MAX_LENGTH;

        if (!(set & len))
            t->maxLen[i] = old->maxLen[i];
        else if (old->maxLen[i] && !t->maxLen[i])
            t->maxLen[i] = (t->base[i] || t->max[i]) ? 1 : 0;
    }
}

/* libvirt's qemuDomainFindGroupBlockIoTune: the limits @t starts from, the
 * disk's own unless @t names another group some disk of @def has. */
static const virDomainBlockIoTuneInfo *
iotuneStart(const virDomainDef *def, const virDomainDiskDef *disk,
            const virDomainBlockIoTuneInfo *t)
{
    if (!t->groupName || g_strcmp0(disk->iotune.groupName, t->groupName) == 0)
        return &disk->iotune;
    for (size_t i = 0; i < def->ndisks; i++) {
        if (g_strcmp0(def->disks[i]->iotune.groupName, t->groupName) == 0)
            return &def->disks[i]->iotune;
    }
    return &disk->iotune;
}

/* libvirt's qemuDomainCheckBlockIoTuneReset: all numbers 0 removes the
 * disk's limits and takes it out of its group; a new group cannot start
 * that way. */
static int
iotuneCheckReset(const virDomainDiskDef *disk, virDomainBlockIoTuneInfo *t)
{
    if (virDomainBlockIoTuneHasAny(t))
        return 0;
    if (t->groupName && g_strcmp0(t->groupName, disk->iotune.groupName) != 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "creating a new group/updating existing with all tune parameters "
                       "zero is not supported");
        return -1;
    }
    g_clear_pointer(&t->groupName, g_free);
    return 0;
}

/* libvirt's CHECK_MAX of the live limits: a burst needs its limit and may
 * not be below it. (libvirt always words the first "cannot reset".) */
static int
iotuneCheckBursts(const virDomainBlockIoTuneInfo *t)
{
    for (size_t i = 0; i < VIR_DOMAIN_IOTUNE_BASE_LAST; i++) {
        const char *name = virDomainIoTuneNames[i];

        if (!t->max[i])
            continue;
        if (!t->base[i]) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "cannot reset '%s' when '%s_max' is set", name, name);
            return -1;
        }
        if (t->max[i] < t->base[i]) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "value '%s_max' cannot be smaller than '%s'", name, name);
            return -1;
        }
    }
    return 0;
}

/* The merged limits for disk @disk of @def in *@out from the call's @given
 * and @set (libvirt's defaults, then its reset rule). 0 or -1. */
static int
iotunePrepare(const virDomainDef *def, const virDomainDiskDef *disk,
              const virDomainBlockIoTuneInfo *given,
              const virDomainBlockIoTuneInfo *lookup, unsigned int set,
              virDomainBlockIoTuneInfo *out)
{
    virDomainBlockIoTuneCopy(given, out);
    iotuneMerge(out, iotuneStart(def, disk, lookup), set);
    return iotuneCheckReset(disk, out);
}

/* @t on @disk and on every disk of @def in @t's group (libvirt's
 * virDomainDiskSetBlockIOTune + qemuDomainSetGroupBlockIoTune). */
static void
iotuneStore(virDomainDef *def, virDomainDiskDef *disk, const virDomainBlockIoTuneInfo *t)
{
    virDomainBlockIoTuneCopy(t, &disk->iotune);
    for (size_t i = 0; t->groupName && i < def->ndisks; i++) {
        if (g_strcmp0(def->disks[i]->iotune.groupName, t->groupName) == 0)
            virDomainBlockIoTuneCopy(t, &def->disks[i]->iotune);
    }
}

/* libvirt's TUNABLE event of a live change: the disk, then the call's
 * parameters as given. */
static void
iotuneQueueEvent(qemuDriver *driver, virDomainObj *obj, const char *path,
                 const virTypedParameter *params, int nparams)
{
    g_autoptr(virTypedParamList) list = virTypedParamListNew();
    virTypedParameterPtr par = NULL;
    int npar = 0;

    virTypedParamListAddString(list, path, VIR_DOMAIN_TUNABLE_BLKDEV_DISK);
    for (int i = 0; i < nparams; i++) {
        if (params[i].type == VIR_TYPED_PARAM_STRING)
            virTypedParamListAddString(list, params[i].value.s, "blkdeviotune.%s",
                                       params[i].field);
        else
            virTypedParamListAddULLong(list, params[i].value.ul, "blkdeviotune.%s",
                                       params[i].field);
    }
    virTypedParamListSteal(list, &par, &npar);
    virObjectEventStateQueue(
        driver->events, virDomainEventTunableNew(VIR_DOMAIN_EVENT_OBJ(obj), par, npar));
    virTypedParamArrayFree(par, npar);
}

/* A disk of @def by target or source, or NULL with @fmt's INVALID_ARG. */
static virDomainDiskDef *
iotuneFindDisk(virDomainDef *def, const char *path, const char *fmt)
{
    virDomainDiskDef *disk = path ? qemuHotplugFindDisk(def, path, NULL) : NULL;

    if (!disk)
        virReportError(VIR_ERR_INVALID_ARG, fmt, path ? path : "");
    return disk;
}

int
qemuDomainSetBlockIoTune(virDomainPtr dom, const char *path, virTypedParameterPtr params,
                         int nparams, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    virDomainDef *live;
    virDomainDef *persistent;
    virDomainDiskDef *disk = NULL;
    virDomainDiskDef *pdisk = NULL;
    virDomainBlockIoTuneInfo given = { 0 };
    virDomainBlockIoTuneInfo info = { 0 };
    virDomainBlockIoTuneInfo confInfo = { 0 };
    g_autoptr(virDomainDef) copy = NULL;
    unsigned int set = 0;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (virTypedParamsCheck(params, nparams, virDomainBlockIoTuneParamNames,
                            virDomainBlockIoTuneParamTypes) < 0)
        return -1;
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjGetDefs(obj, flags, &live, &persistent) < 0)
        goto endjob;
    if (virDomainBlockIoTuneFromParams(params, nparams, VIR_FROM_QEMU, &given, &set) <
            0 ||
        virDomainBlockIoTuneCheckTotals(&given, VIR_FROM_QEMU) < 0)
        goto endjob;

    if (live) {
        if (!(disk = iotuneFindDisk(live, path, "disk '%s' not found in domain")) ||
            iotunePrepare(live, disk, &given, &given, set, &info) < 0 ||
            iotuneCheckBursts(&info) < 0)
            goto endjob;
    }
    if (persistent) {
        /* libvirt looks the group up with the live call's limits */
        if (!(pdisk = iotuneFindDisk(persistent, path,
                                     "missing persistent configuration for disk '%s'")) ||
            iotunePrepare(persistent, pdisk, &given, live ? &info : &given, set,
                          &confInfo) < 0)
            goto endjob;
        copy = virDomainDefCopy(persistent);
        iotuneStore(copy, qemuHotplugFindDisk(copy, path, NULL), &confInfo);
    }

    if (disk) {
        /* an empty drive gets its limits with its next medium */
        if ((disk->src || disk->net) && qemuIoTuneApply(obj, disk, &info) < 0)
            goto endjob;
        iotuneStore(live, disk, &info);
        qemuDomainSaveStatus(driver, obj);
        iotuneQueueEvent(driver, obj, path, params, nparams);
    }
    if (copy) {
        if (qemuDomainSaveConfig(driver, copy, qemuDomainPriv(obj)->graceOverrideSec) < 0)
            goto endjob;
        for (size_t i = 0; i < persistent->ndisks && i < copy->ndisks; i++)
            virDomainBlockIoTuneCopy(&copy->disks[i]->iotune,
                                     &persistent->disks[i]->iotune);
    }
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    virDomainBlockIoTuneClear(&given);
    virDomainBlockIoTuneClear(&info);
    virDomainBlockIoTuneClear(&confInfo);
    return ret;
}

int
qemuDomainGetBlockIoTune(virDomainPtr dom, const char *path, virTypedParameterPtr params,
                         int *nparams, unsigned int flags)
{
    virDomainObj *obj;
    virDomainDef *live;
    virDomainDef *persistent;
    virDomainDiskDef *disk;
    virDomainBlockIoTuneInfo reply = { 0 };
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                      VIR_TYPED_PARAM_STRING_OKAY,
                  -1);
    flags &= ~VIR_TYPED_PARAM_STRING_OKAY;
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_QUERY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjGetDefs(obj, flags, &live, &persistent) < 0)
        goto endjob;
    if (*nparams == 0) {
        *nparams = VIR_DOMAIN_BLOCK_IOTUNE_NPARAMS;
        ret = 0;
        goto endjob;
    }
    if (live) {
        g_autoptr(json_object) block = NULL;

        /* what QEMU has, as libvirt asks it (query-block) */
        if (!(disk = iotuneFindDisk(live, path, "disk '%s' not found in domain")) ||
            qemuHotplugMonitor(obj, "query-block", NULL, &block) < 0 ||
            qemuIoTuneFromBlock(block, live, disk, &reply) < 0)
            goto endjob;
    } else {
        if (!(disk = iotuneFindDisk(persistent, path,
                                    "disk '%s' was not found in the domain config")))
            goto endjob;
        virDomainBlockIoTuneCopy(&disk->iotune, &reply);
    }
    *nparams = virDomainBlockIoTuneToParams(&reply, params, *nparams);
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_QUERY);
cleanup:
    virDomainObjEndAPI(&obj);
    virDomainBlockIoTuneClear(&reply);
    return ret;
}
