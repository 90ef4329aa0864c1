/* qemu_iotune.c: a disk's <iotune> in QEMU: the driver's rules, block_set_io_throttle's arguments, query-block's answer, the limits applied at start, hotplug and media change */

/*
 * Threads: qemuIoTuneApply and qemuIoTuneSetupAll run with the domain
 * object locked and a job held; the monitor is waited for with the object
 * unlocked (qemuHotplugMonitor). The rest is pure.
 *
 * As libvirt 9.0 with -blockdev, the limits are not on the command line:
 * block_set_io_throttle gives them to the guest device's block backend
 * once QEMU is up (paused), and again after a hotplug or a new medium.
 */

#define G_LOG_DOMAIN "virtkit.qemu.iotune"

#include <json-c/json.h>
#include <string.h>

#include "domain_iotune.h"
#include "qemu_command.h"
#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_iotune.h"
#include "qemu_monitor.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* QMP's names of the six limits (their bursts add "_max", the burst
 * lengths "_max_length") */
static const char *const qmpNames[VIR_DOMAIN_IOTUNE_BASE_LAST] = {
    "bps", "bps_rd", "bps_wr", "iops", "iops_rd", "iops_wr",
};

int
qemuIoTuneValidate(const virDomainDef *def, const virDomainDiskDef *disk)
{
    const virDomainBlockIoTuneInfo *t = &disk->iotune;

    /* QEMU ignores a group without limits */
    if (t->groupName && !virDomainBlockIoTuneHasAny(t)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "group_name can be configured only together with settings");
        return -1;
    }
    for (size_t i = 0; t->groupName && i < def->ndisks; i++) {
        const virDomainDiskDef *d = def->disks[i];

        if (g_strcmp0(d->dst, disk->dst) == 0 ||
            g_strcmp0(d->iotune.groupName, t->groupName) != 0)
            continue;
        if (!virDomainBlockIoTuneEqual(&d->iotune, t)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "different iotunes for disks %s and %s", disk->dst, d->dst);
            return -1;
        }
    }
    /* the burst lengths have no ceiling here (QEMU has its own) */
    for (size_t i = 0; i < VIR_DOMAIN_IOTUNE_BASE_LAST; i++) {
        if (t->base[i] > VIR_DOMAIN_BLOCK_IOTUNE_MAX ||
            t->max[i] > VIR_DOMAIN_BLOCK_IOTUNE_MAX ||
            t->sizeIops > VIR_DOMAIN_BLOCK_IOTUNE_MAX) {
            virReportError(
                VIR_ERR_ARGUMENT_UNSUPPORTED,
                "block I/O throttle limit must be no more than %llu using QEMU",
                VIR_DOMAIN_BLOCK_IOTUNE_MAX);
            return -1;
        }
    }
    return 0;
}

bool
qemuIoTuneEnabled(const virDomainDiskDef *disk)
{
    return disk->iotune.groupName || virDomainBlockIoTuneHasAny(&disk->iotune);
}

char *
qemuIoTuneDeviceId(const virDomainDef *def, const virDomainDiskDef *disk)
{
    g_autofree char *alias = qemuDiskAlias(def, disk);

    switch (qemuDiskBus(disk)) {
    case VIR_DOMAIN_DISK_BUS_VIRTIO:
        return g_strdup_printf("/machine/peripheral/%s/virtio-backend", alias);
    case VIR_DOMAIN_DISK_BUS_USB:
        return g_strdup_printf("/machine/peripheral/%s/%s.0/legacy[0]", alias, alias);
    default:
        return g_steal_pointer(&alias);
    }
}

static void
addULL(json_object *o, const char *name, unsigned long long v)
{
    json_object_object_add(o, name, json_object_new_uint64(v));
}

json_object *
qemuIoTuneThrottleArgs(const virDomainDef *def, const virDomainDiskDef *disk,
                       const virDomainBlockIoTuneInfo *t)
{
    json_object *args = json_object_new_object();
    g_autofree char *id = qemuIoTuneDeviceId(def, disk);

    json_object_object_add(args, "id", json_object_new_string(id));
    for (size_t i = 0; i < VIR_DOMAIN_IOTUNE_BASE_LAST; i++)
        addULL(args, qmpNames[i], t->base[i]);
    for (size_t i = 0; i < VIR_DOMAIN_IOTUNE_BASE_LAST; i++) {
        g_autofree char *name = g_strdup_printf("%s_max", qmpNames[i]);

        addULL(args, name, t->max[i]);
    }
    addULL(args, "iops_size", t->sizeIops);
    if (t->groupName)
        json_object_object_add(args, "group", json_object_new_string(t->groupName));
    for (size_t i = 0; i < VIR_DOMAIN_IOTUNE_BASE_LAST; i++) {
        g_autofree char *name = g_strdup_printf("%s_max_length", qmpNames[i]);

        if (t->maxLen[i])
            addULL(args, name, t->maxLen[i]);
    }
    return args;
}

/* @name of @o as an unsigned number: true when it is there. */
static bool
getULL(json_object *o, const char *name, unsigned long long *v)
{
    json_object *m = NULL;

    if (!json_object_object_get_ex(o, name, &m) || !json_object_is_type(m, json_type_int))
        return false;
    *v = json_object_get_uint64(m);
    return true;
}

int
qemuIoTuneFromBlock(json_object *block, const virDomainDef *def,
                    const virDomainDiskDef *disk, virDomainBlockIoTuneInfo *out)
{
    g_autofree char *alias = qemuDiskAlias(def, disk);
    g_autofree char *id = qemuIoTuneDeviceId(def, disk);
    size_t n =
        json_object_is_type(block, json_type_array) ? json_object_array_length(block) : 0;
    json_object *entry = NULL;
    json_object *ins = NULL;
    json_object *group = NULL;
    virDomainBlockIoTuneInfo t = { 0 };

    for (size_t i = 0; i < n && !entry; i++) {
        json_object *e = json_object_array_get_idx(block, i);

        if (qemuStatsQdevIs(e, alias))
            entry = e;
    }
    if (!entry) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "cannot find throttling info for device '%s'", id);
        return -1;
    }
    if (!json_object_object_get_ex(entry, "inserted", &ins) ||
        !json_object_is_type(ins, json_type_object)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "block_io_throttle inserted entry was not in expected format");
        return -1;
    }
    for (size_t i = 0; i < VIR_DOMAIN_IOTUNE_BASE_LAST; i++) {
        g_autofree char *max = g_strdup_printf("%s_max", qmpNames[i]);
        g_autofree char *len = g_strdup_printf("%s_max_length", qmpNames[i]);

        if (!getULL(ins, qmpNames[i], &t.base[i])) {
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                           "block_io_throttle field '%s' missing in qemu's output",
                           virDomainIoTuneNames[i]);
            return -1;
        }
        getULL(ins, max, &t.max[i]);
        getULL(ins, len, &t.maxLen[i]);
    }
    getULL(ins, "iops_size", &t.sizeIops);
    if (json_object_object_get_ex(ins, "group", &group) &&
        json_object_is_type(group, json_type_string))
        t.groupName = g_strdup(json_object_get_string(group));
    *out = t;
    return 0;
}

int
qemuIoTuneApply(virDomainObj *obj, const virDomainDiskDef *disk,
                const virDomainBlockIoTuneInfo *t)
{
    g_autoptr(json_object) args = qemuIoTuneThrottleArgs(obj->def, disk, t);

    return qemuHotplugMonitor(obj, "block_set_io_throttle", args, NULL);
}

int
qemuIoTuneSetupAll(virDomainObj *obj)
{
    for (size_t i = 0; i < obj->def->ndisks; i++) {
        const virDomainDiskDef *disk = obj->def->disks[i];

        /* QEMU refuses limits on a drive without a medium: they come
         * with the medium (qemu_hotplug_update.c) */
        if ((!disk->src && !disk->net) || !qemuIoTuneEnabled(disk))
            continue;
        if (qemuIoTuneApply(obj, disk, &disk->iotune) < 0)
            return -1;
    }
    return 0;
}

int
qemuIoTuneCheckUnchanged(const virDomainDiskDef *newDisk, const virDomainDiskDef *disk)
{
    const virDomainBlockIoTuneInfo *a = &newDisk->iotune;
    const virDomainBlockIoTuneInfo *b = &disk->iotune;
    const char *field = NULL;

    /* libvirt's order: the limits, their bursts, size, group (not the
     * burst lengths) */
    for (size_t i = 0; i < VIR_DOMAIN_IOTUNE_BASE_LAST && !field; i++) {
        if (a->base[i] && a->base[i] != b->base[i])
            field = virDomainIoTuneNames[i];
    }
    for (size_t i = 0; i < VIR_DOMAIN_IOTUNE_BASE_LAST && !field; i++) {
        if (a->max[i] && a->max[i] != b->max[i])
            field = virDomainBlockIoTuneParamNames[VIR_DOMAIN_IOTUNE_BASE_LAST + i];
    }
    if (!field && a->sizeIops && a->sizeIops != b->sizeIops)
        field = "size_iops_sec";
    if (field) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                       "cannot modify field 'blkdeviotune %s' of the disk", field);
        return -1;
    }
    if (a->groupName && g_strcmp0(a->groupName, b->groupName) != 0) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                       "cannot modify field '%s' of the disk", "blkdeviotune group name");
        return -1;
    }
    return 0;
}
