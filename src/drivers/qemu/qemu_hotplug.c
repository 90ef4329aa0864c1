/* qemu_hotplug.c: QEMU driver entry points that change a running guest's hardware (vCPUs, block size) and the device-removal wait */

/*
 * Threads: each entry point holds the domain's MODIFY job; QMP is waited
 * for with the object unlocked (the job keeps the monitor valid). A
 * device_del waits for QEMU's DEVICE_DELETED on priv->unplugCond with the
 * object lock released by the wait; the monitor's I/O thread signals it
 * from qemuHotplugDeviceDeleted (object locked, never waits).
 */

#define G_LOG_DOMAIN "virtkit.qemu.hotplug"

#include <json-c/json.h>
#include <string.h>

#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_monitor.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* libvirt's QEMU_UNPLUG_TIMEOUT is 5 s; a TCG guest on a loaded host may
 * take longer to eject, so wait a little more before calling it failed. */
#define QEMU_UNPLUG_TIMEOUT_MS 15000

int
qemuHotplugMonitor(virDomainObj *obj, const char *cmd, json_object *args,
                   json_object **reply)
{
    qemuMonitor *mon = qemuDomainPriv(obj)->mon;
    int rc;

    if (!mon) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "QEMU monitor is not connected");
        return -1;
    }
    virDomainObjUnlock(obj);
    rc = qemuMonitorCommand(mon, cmd, args, QEMU_MONITOR_TIMEOUT_MS, reply);
    virDomainObjLock(obj);
    if (rc == 0 && !virDomainObjIsActive(obj)) {
        if (reply)
            g_clear_pointer(reply, json_object_put);
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "domain is no longer running");
        return -1;
    }
    return rc;
}

bool
qemuHotplugDeviceDeleted(virDomainObj *obj, const char *alias, const char *path)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autofree char *mine = NULL;
    size_t len;

    if (!priv->unplugAlias)
        return false;
    /* the device itself, or a child of it: QEMU 7.2 reports an x86 vCPU's
     * removal only as its lapic's ("/machine/peripheral/vcpu1/lapic") */
    mine = g_strdup_printf("/machine/peripheral/%s", priv->unplugAlias);
    len = strlen(mine);
    if (g_strcmp0(alias, priv->unplugAlias) != 0 &&
        !(path && strncmp(path, mine, len) == 0 &&
          (path[len] == '\0' || path[len] == '/')))
        return false;
    priv->unplugDone = true;
    g_cond_broadcast(&priv->unplugCond);
    return true;
}

int
qemuHotplugDeviceDel(virDomainObj *obj, const char *alias)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autoptr(json_object) args = json_object_new_object();
    gint64 deadline;
    int ret = -1;

    g_free(priv->unplugAlias);
    priv->unplugAlias = g_strdup(alias);
    priv->unplugDone = false;
    json_object_object_add(args, "id", json_object_new_string(alias));
    if (qemuHotplugMonitor(obj, "device_del", args, NULL) < 0)
        goto cleanup;
    deadline = g_get_monotonic_time() + QEMU_UNPLUG_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
    while (!priv->unplugDone && virDomainObjIsActive(obj)) {
        if (!g_cond_wait_until(&priv->unplugCond, &obj->lock, deadline))
            break;
    }
    ret = priv->unplugDone ? 1 : 0;

cleanup:
    g_clear_pointer(&priv->unplugAlias, g_free);
    return ret;
}

/* ---- vCPUs --------------------------------------------------------------- */

typedef struct {
    long long socket;
    const char *type; /* borrowed from the reply */
    const char *qomPath;
    json_object *props; /* borrowed: socket-id, die-id, core-id, thread-id */
} qemuHotplugCpu;

static gint
qemuHotplugCpuCmp(gconstpointer a, gconstpointer b)
{
    const qemuHotplugCpu *x = a, *y = b;

    return x->socket < y->socket ? -1 : x->socket > y->socket;
}

/* query-hotpluggable-cpus as an array sorted by socket (one vCPU each:
 * -smp N,maxcpus=M,sockets=M,cores=1,threads=1). */
static GArray *
qemuHotplugCpuList(json_object *reply)
{
    GArray *cpus = g_array_new(FALSE, TRUE, sizeof(qemuHotplugCpu));
    size_t n =
        json_object_is_type(reply, json_type_array) ? json_object_array_length(reply) : 0;

    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(reply, i);
        json_object *props = NULL, *v = NULL;
        qemuHotplugCpu c = { .socket = -1 };

        if (json_object_object_get_ex(e, "props", &props)) {
            c.props = props;
            /* one order for all topologies: socket, then core, then thread */
            c.socket = 0;
            if (json_object_object_get_ex(props, "socket-id", &v))
                c.socket = json_object_get_int64(v) << 32;
            if (json_object_object_get_ex(props, "core-id", &v))
                c.socket += json_object_get_int64(v) << 16;
            if (json_object_object_get_ex(props, "thread-id", &v))
                c.socket += json_object_get_int64(v);
        }
        if (json_object_object_get_ex(e, "type", &v))
            c.type = json_object_get_string(v);
        if (json_object_object_get_ex(e, "qom-path", &v))
            c.qomPath = json_object_get_string(v);
        g_array_append_val(cpus, c);
    }
    g_array_sort(cpus, qemuHotplugCpuCmp);
    return cpus;
}

/* After the guest let a vCPU go: QEMU's list no longer has @qomPath. The
 * event may come from a child device before the vCPU itself is gone, so
 * ask a few times. 1 gone, 0 still there, -1 error reported. */
static int
qemuHotplugCpuGone(virDomainObj *obj, const char *qomPath)
{
    g_autofree char *path = g_strdup(qomPath);

    for (int tries = 0; tries < 50; tries++) {
        g_autoptr(json_object) reply = NULL;
        g_autoptr(GArray) cpus = NULL;
        bool present = false;

        if (qemuHotplugMonitor(obj, "query-hotpluggable-cpus", NULL, &reply) < 0)
            return -1;
        cpus = qemuHotplugCpuList(reply);
        for (guint i = 0; i < cpus->len; i++)
            present |=
                g_strcmp0(g_array_index(cpus, qemuHotplugCpu, i).qomPath, path) == 0;
        if (!present)
            return 1;
        /* 100 ms between tries, the object unlocked */
        virDomainObjUnlock(obj);
        g_usleep(100 * 1000);
        virDomainObjLock(obj);
    }
    return 0;
}

/* Plug or unplug vCPUs until @nvcpus are online; each step is recorded in
 * the live definition (and status file) as it happens, so a failure half
 * way leaves the XML telling the truth. Object locked, job held. */
static int
qemuHotplugSetVcpusLive(qemuDriver *driver, virDomainObj *obj, unsigned int nvcpus)
{
    g_autoptr(json_object) reply = NULL;
    g_autoptr(GArray) cpus = NULL;
    unsigned int online = virDomainDefGetVcpus(obj->def);
    int ret = -1;

    if (qemuHotplugMonitor(obj, "query-hotpluggable-cpus", NULL, &reply) < 0)
        return -1;
    cpus = qemuHotplugCpuList(reply);
    /* QEMU's count is the truth (an unplug that timed out may have
     * finished since) */
    online = 0;
    for (guint i = 0; i < cpus->len; i++)
        online += g_array_index(cpus, qemuHotplugCpu, i).qomPath != NULL;
    if (online != virDomainDefGetVcpus(obj->def) && online > 0)
        virDomainDefSetVcpus(obj->def, online);

    if (nvcpus > online) {
        for (guint i = 0; i < cpus->len && online < nvcpus; i++) {
            qemuHotplugCpu *c = &g_array_index(cpus, qemuHotplugCpu, i);
            g_autoptr(json_object) args = NULL;
            g_autofree char *alias = NULL;

            if (c->qomPath || !c->props || !c->type)
                continue;
            /* libvirt's alias: vcpuN for the N-th vCPU (its position) */
            alias = g_strdup_printf("vcpu%u", i);
            args = json_object_new_object();
            json_object_object_add(args, "driver", json_object_new_string(c->type));
            json_object_object_add(args, "id", json_object_new_string(alias));
            json_object_object_foreach(c->props, key, val)
                json_object_object_add(args, key, json_object_get(val));
            if (qemuHotplugMonitor(obj, "device_add", args, NULL) < 0)
                goto save;
            virDomainDefSetVcpus(obj->def, ++online);
        }
    } else {
        for (guint i = cpus->len; i > 0 && online > nvcpus; i--) {
            qemuHotplugCpu *c = &g_array_index(cpus, qemuHotplugCpu, i - 1);
            const char *alias;
            int rc;

            /* only what was hotplugged can go: the boot vCPUs are QEMU's own */
            if (!c->qomPath || !g_str_has_prefix(c->qomPath, "/machine/peripheral/"))
                continue;
            alias = c->qomPath + strlen("/machine/peripheral/");
            if ((rc = qemuHotplugDeviceDel(obj, alias)) < 0)
                goto save;
            if (rc == 1 && qemuHotplugCpuGone(obj, c->qomPath) < 1)
                rc = 0;
            if (rc == 0) {
                virReportError(VIR_ERR_OPERATION_TIMEOUT, "%s",
                               "vcpu unplug request timed out. Unplug result must be "
                               "manually inspected in the domain");
                goto save;
            }
            virDomainDefSetVcpus(obj->def, --online);
        }
    }
    if (online != nvcpus) {
        virReportError(
            VIR_ERR_INVALID_ARG, "%s",
            "failed to find appropriate hotpluggable vcpus to reach the desired "
            "target vcpu count");
        goto save;
    }
    ret = 0;

save:
    if (virDomainObjIsActive(obj))
        qemuDomainSaveStatus(driver, obj);
    return ret;
}

int
qemuDomainSetVcpusFlags(virDomainPtr dom, unsigned int nvcpus, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    virDomainDef *live;
    virDomainDef *persistent;
    g_autoptr(virDomainDef) newPersistent = NULL;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                      VIR_DOMAIN_VCPU_MAXIMUM | VIR_DOMAIN_VCPU_GUEST |
                      VIR_DOMAIN_VCPU_HOTPLUGGABLE,
                  -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjGetDefs(obj, flags, &live, &persistent) < 0)
        goto endjob;

    if (flags & VIR_DOMAIN_VCPU_GUEST) {
        /* virtkit has no guest agent channel: libvirt's answer without one */
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                       "QEMU guest agent is not configured");
        goto endjob;
    }
    if (flags & VIR_DOMAIN_VCPU_MAXIMUM) {
        if (live) {
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                           "maximum vcpu count of a live domain can't be modified");
            goto endjob;
        }
        if (nvcpus > 255) {
            virReportError(VIR_ERR_INVALID_ARG,
                           "requested vcpus is greater than max allowable vcpus for the "
                           "persistent domain: %u > %d",
                           nvcpus, 255);
            goto endjob;
        }
        newPersistent = virDomainDefCopy(persistent);
        virDomainDefSetVcpusMax(newPersistent, nvcpus);
    } else {
        if (live && nvcpus > live->vcpus) {
            virReportError(
                VIR_ERR_INVALID_ARG,
                "requested vcpus is greater than max allowable vcpus for the live "
                "domain: %u > %u",
                nvcpus, live->vcpus);
            goto endjob;
        }
        if (persistent && nvcpus > persistent->vcpus) {
            virReportError(VIR_ERR_INVALID_ARG,
                           "requested vcpus is greater than max allowable vcpus for the "
                           "persistent domain: %u > %u",
                           nvcpus, persistent->vcpus);
            goto endjob;
        }
        if (persistent) {
            newPersistent = virDomainDefCopy(persistent);
            virDomainDefSetVcpus(newPersistent, nvcpus);
        }
        if (live && qemuHotplugSetVcpusLive(driver, obj, nvcpus) < 0)
            goto endjob;
    }
    if (newPersistent) {
        if (qemuDomainSaveConfig(driver, newPersistent,
                                 qemuDomainPriv(obj)->graceOverrideSec) < 0)
            goto endjob;
        /* the object's persistent definition (newDef while running) */
        persistent->vcpus = newPersistent->vcpus;
        persistent->vcpusCurrent = newPersistent->vcpusCurrent;
    }
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- block size ---------------------------------------------------------- */

/* libvirt's virDomainDiskByName: a target name ("vda") or a source path. */
virDomainDiskDef *
qemuHotplugFindDisk(virDomainDef *def, const char *name, size_t *idx)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        virDomainDiskDef *disk = def->disks[i];

        if (g_strcmp0(disk->dst, name) == 0 ||
            (disk->src && g_strcmp0(disk->src, name) == 0)) {
            if (idx)
                *idx = i;
            return disk;
        }
    }
    return NULL;
}

/* The format node QEMU has for @path (query-block's "inserted"), or NULL. */
static char *
qemuHotplugNodeOfFile(json_object *block, const char *path)
{
    size_t n =
        json_object_is_type(block, json_type_array) ? json_object_array_length(block) : 0;

    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(block, i);
        json_object *ins = NULL, *file = NULL, *nn = NULL;

        if (json_object_object_get_ex(e, "inserted", &ins) &&
            json_object_object_get_ex(ins, "file", &file) &&
            g_strcmp0(json_object_get_string(file), path) == 0 &&
            json_object_object_get_ex(ins, "node-name", &nn))
            return g_strdup(json_object_get_string(nn));
    }
    return NULL;
}

int
qemuDomainBlockResize(virDomainPtr dom, const char *path, unsigned long long size,
                      unsigned int flags)
{
    virDomainObj *obj;
    virDomainDiskDef *disk;
    g_autoptr(json_object) block = NULL;
    g_autoptr(json_object) args = NULL;
    g_autofree char *node = NULL;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_BLOCK_RESIZE_BYTES, -1);
    /* libvirt's units are KiB; QEMU's bytes */
    if (!(flags & VIR_DOMAIN_BLOCK_RESIZE_BYTES)) {
        if (size > G_MAXUINT64 / 1024) {
            virReportError(VIR_ERR_OVERFLOW, "size must be less than %llu",
                           (unsigned long long)(G_MAXUINT64 / 1024));
            return -1;
        }
        size *= 1024;
    }
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) < 0)
        goto endjob;
    if (!(disk = qemuHotplugFindDisk(obj->def, path, NULL))) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "disk '%s' was not found in the domain config", path);
        goto endjob;
    }
    /* qcow2 is sized in 512-byte sectors: round up as libvirt does */
    if (disk->format == VIR_STORAGE_FORMAT_QCOW2)
        size = (size + 511) / 512 * 512;
    if (!disk->src || disk->readonly || disk->device == VIR_DOMAIN_DISK_DEVICE_CDROM) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                       "can't resize empty or readonly disk '%s'", disk->dst);
        goto endjob;
    }
    if (qemuHotplugMonitor(obj, "query-block", NULL, &block) < 0)
        goto endjob;
    if (!(node = qemuHotplugNodeOfFile(block, disk->src))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot find the block node of disk '%s'",
                       disk->dst);
        goto endjob;
    }
    args = json_object_new_object();
    json_object_object_add(args, "node-name", json_object_new_string(node));
    json_object_object_add(args, "size", json_object_new_int64((int64_t)size));
    if (qemuHotplugMonitor(obj, "block_resize", args, NULL) < 0)
        goto endjob;
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}
