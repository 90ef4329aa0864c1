/* qemu_hotplug_vcpu.c: vCPU hotplug and unplug of a running guest (virDomainSetVcpusFlags, virDomainSetVcpu) */

/*
 * Threads: the entry points hold the domain's MODIFY job; QMP is waited
 * for with the object unlocked (qemuHotplugMonitor), and so is the pause
 * between the checks that an unplugged vCPU is gone. The unplug's wait
 * for DEVICE_DELETED is qemuHotplugDeviceDel's; qemuHotplugRemoveVcpu
 * runs on the removal worker (qemu_hotplug_removal.c), job held;
 * qemuHotplugVcpusAtStart runs under the start job of qemu_process_start.c.
 *
 * Which vCPU is which: position i of query-hotpluggable-cpus sorted by
 * socket, core, thread is vCPU i (QEMU's cpu-index on x86), plugged with
 * the alias vcpuI. A live definition with per-vCPU states (<vcpus>,
 * domain_vcpu_conf.h) follows each position; one without keeps a count.
 */

#define G_LOG_DOMAIN "virtkit.qemu.hotplugvcpu"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "domain_event.h"
#include "domain_vcpu_conf.h"
#include "qemu_cgroup.h"
#include "qemu_command.h"
#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_monitor.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

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

/* The live definition's vCPUs as QEMU has them (@cpus): with per-vCPU
 * states each position's, else the count. Returns the count online. */
static unsigned int
qemuHotplugVcpusSync(virDomainObj *obj, GArray *cpus)
{
    unsigned int online = 0;

    for (guint i = 0; i < cpus->len; i++) {
        bool on = g_array_index(cpus, qemuHotplugCpu, i).qomPath != NULL;

        online += on;
        if (obj->def->vcpuStates && i < obj->def->vcpus &&
            obj->def->vcpuStates[i].online != on)
            virDomainDefSetVcpuOnline(obj->def, i, on);
    }
    if (obj->def->vcpuStates)
        virDomainVcpuStatesOrderFromOnline(obj->def);
    else if (online != virDomainDefGetVcpus(obj->def) && online > 0)
        virDomainDefSetVcpus(obj->def, online);
    return online;
}

/* vCPU @i of the live @def went online or offline, @online now in all:
 * its state with per-vCPU states (the order following), else the count. */
static void
qemuHotplugVcpuMark(virDomainDef *def, unsigned int i, unsigned int online, bool on)
{
    if (!def->vcpuStates) {
        virDomainDefSetVcpus(def, online);
        return;
    }
    virDomainDefSetVcpuOnline(def, i, on);
    virDomainVcpuStatesOrderFromOnline(def);
}

/* Plug or unplug vCPUs until @nvcpus are online; each step is recorded in
 * the live definition (and status file) as it happens, so a failure half
 * way leaves the XML telling the truth. Object locked, job held. */
/* device_add of vCPU @i (its entry in @cpus, alias vcpuN: libvirt's);
 * -1 with an error when QEMU lists no hotpluggable entity for it. */
static int qemuHotplugVcpuAdd(virDomainObj *obj, GArray *cpus, unsigned int i);

static int
qemuHotplugSetVcpusLive(qemuDriver *driver, virDomainObj *obj, unsigned int nvcpus)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autoptr(json_object) reply = NULL;
    g_autoptr(GArray) cpus = NULL;
    unsigned int online = virDomainDefGetVcpus(obj->def);
    unsigned int before;
    g_autofree int *oldTids = NULL;
    size_t noldTids = priv->nvcpuTids;
    int ret = -1;

    /* the threads before the change: the new ones go to their cgroups */
    if (noldTids)
        oldTids = g_memdup2(priv->vcpuTids, noldTids * sizeof(*oldTids));

    if (qemuHotplugMonitor(obj, "query-hotpluggable-cpus", NULL, &reply) < 0)
        return -1;
    cpus = qemuHotplugCpuList(reply);
    /* QEMU's count is the truth (an unplug that timed out may have
     * finished since) */
    online = qemuHotplugVcpusSync(obj, cpus);
    before = online;

    if (nvcpus > online) {
        for (guint i = 0; i < cpus->len && online < nvcpus; i++) {
            qemuHotplugCpu *c = &g_array_index(cpus, qemuHotplugCpu, i);

            if (c->qomPath || !c->props || !c->type)
                continue;
            if (qemuHotplugVcpuAdd(obj, cpus, i) < 0)
                goto save;
            qemuHotplugVcpuMark(obj->def, i, ++online, true);
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
            qemuHotplugVcpuMark(obj->def, i - 1, --online, false);
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
    if (online != before && virDomainObjIsActive(obj)) {
        virErrorPtr saved = NULL;

        /* libvirt's qemuProcessSetupVcpu / qemuDomainRemoveVcpu: the
         * thread group, pin and bandwidth of each vCPU that came or went */
        if (ret < 0) {
            /* the first failure is the one reported */
            virErrorPreserveLast(&saved);
            qemuCgroupVcpusChanged(obj, oldTids, noldTids);
            virErrorRestore(&saved);
        } else if (qemuCgroupVcpusChanged(obj, oldTids, noldTids) < 0) {
            ret = -1;
        }
    }
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
        if (newPersistent->vcpuStates) {
            g_free(persistent->vcpuStates);
            persistent->vcpuStates = g_steal_pointer(&newPersistent->vcpuStates);
        }
    }
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* After a vCPU's DEVICE_DELETED nobody waited for: the live count is
 * QEMU's again, the vCPU threads' groups follow. */
int
qemuHotplugRemoveVcpu(qemuDriver *driver, virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autoptr(json_object) reply = NULL;
    g_autoptr(GArray) cpus = NULL;
    g_autofree int *oldTids = NULL;
    size_t noldTids = priv->nvcpuTids;
    unsigned int online = 0;

    if (noldTids)
        oldTids = g_memdup2(priv->vcpuTids, noldTids * sizeof(*oldTids));
    if (qemuHotplugMonitor(obj, "query-hotpluggable-cpus", NULL, &reply) < 0)
        return -1;
    cpus = qemuHotplugCpuList(reply);
    for (guint i = 0; i < cpus->len; i++)
        online += g_array_index(cpus, qemuHotplugCpu, i).qomPath != NULL;
    if (online == 0 || online == virDomainDefGetVcpus(obj->def))
        return 0;
    qemuHotplugVcpusSync(obj, cpus);
    if (qemuCgroupVcpusChanged(obj, oldTids, noldTids) < 0)
        virResetLastError();
    if (virDomainObjIsActive(obj))
        qemuDomainSaveStatus(driver, obj);
    return 0;
}

/* device_add of the vCPU at position @i of @cpus (libvirt's alias vcpuN). */
static int
qemuHotplugVcpuAdd(virDomainObj *obj, GArray *cpus, unsigned int i)
{
    qemuHotplugCpu *c;
    g_autoptr(json_object) args = NULL; /* the monitor borrows it */
    g_autofree char *alias = NULL;

    if (i >= cpus->len || !(c = &g_array_index(cpus, qemuHotplugCpu, i))->props ||
        !c->type) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "failed to find hotpluggable entity of vcpu '%u'", i);
        return -1;
    }
    alias = g_strdup_printf("vcpu%u", i);
    args = json_object_new_object();
    json_object_object_add(args, "driver", json_object_new_string(c->type));
    json_object_object_add(args, "id", json_object_new_string(alias));
    json_object_object_foreach(c->props, key, val)
        json_object_object_add(args, key, json_object_get(val));
    return qemuHotplugMonitor(obj, "device_add", args, NULL);
}

static gint
qemuHotplugVcpuOrderCmp(gconstpointer a, gconstpointer b, gpointer opaque)
{
    const virDomainDef *def = opaque;
    unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;
    unsigned int ox = def->vcpuStates[x].order, oy = def->vcpuStates[y].order;

    if (ox != oy)
        return ox < oy ? -1 : 1;
    return x < y ? -1 : x > y;
}

int
qemuHotplugVcpusAtStart(virDomainObj *obj)
{
    g_autoptr(GArray) plug = g_array_new(FALSE, FALSE, sizeof(unsigned int));
    g_autoptr(json_object) reply = NULL;
    g_autoptr(GArray) cpus = NULL;

    if (!obj->def->vcpuStates)
        return 0;
    /* the live definition's order: how QEMU enables them (its cpu-index
     * order on x86), as libvirt's qemuDomainVcpuPersistOrder */
    virDomainVcpuStatesOrderFromOnline(obj->def);
    for (unsigned int i = 0; i < obj->def->vcpus; i++) {
        if (virDomainDefVcpuOnline(obj->def, i) &&
            virDomainDefVcpuHotpluggable(obj->def, i))
            g_array_append_val(plug, i);
    }
    if (plug->len == 0)
        return 0;
    /* as libvirt's qemuProcessSetupHotpluggableVcpus: in their order */
    g_array_sort_with_data(plug, qemuHotplugVcpuOrderCmp, obj->def);
    if (qemuHotplugMonitor(obj, "query-hotpluggable-cpus", NULL, &reply) < 0)
        return -1;
    cpus = qemuHotplugCpuList(reply);
    for (guint k = 0; k < plug->len; k++) {
        if (qemuHotplugVcpuAdd(obj, cpus, g_array_index(plug, unsigned int, k)) < 0)
            return -1;
    }
    return 0;
}

/* libvirt's qemuDomainFilterHotplugVcpuEntities for x86, where each vCPU
 * is its own hotpluggable entity: every vCPU of @map (@maplen bytes) must
 * change state; returns how many are selected, or -1. */
static int
qemuHotplugVcpuFilterLive(const virDomainDef *def, const unsigned char *map,
                          size_t maplen, bool state, unsigned int *which)
{
    int n = 0;

    for (size_t i = 0; i < maplen * 8 && i < def->vcpus; i++) {
        if (!(map[i / 8] & (1u << (i % 8))))
            continue;
        if (virDomainDefVcpuOnline(def, i) == state) {
            virReportError(VIR_ERR_INVALID_ARG,
                           "vcpu '%zu' is already in requested state", i);
            return -1;
        }
        /* (libvirt's "can't be hotunplugged" here never fires: its test
         * only catches a state post-parse never leaves; a boot vCPU is
         * refused by the unplug, "can't be unplugged") */
        *which = (unsigned int)i;
        n++;
    }
    return n;
}

/* libvirt's qemuDomainVcpuValidateConfig. */
static int
qemuHotplugVcpuValidateConfig(const virDomainDef *def, const unsigned char *map,
                              size_t maplen)
{
    long first = -1;

    if (map[0] & 1) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "vCPU '0' can't be modified");
        return -1;
    }
    for (size_t i = 0; i < maplen * 8 && first < 0; i++) {
        if (map[i / 8] & (1u << (i % 8)))
            first = (long)i;
    }
    /* the online vCPUs that are not hotpluggable stay first */
    for (unsigned int i = (unsigned int)first + 1; i < def->vcpus; i++) {
        if (i < maplen * 8 && (map[i / 8] & (1u << (i % 8))))
            continue;
        if (virDomainDefVcpuOnline(def, i) && !virDomainDefVcpuHotpluggable(def, i)) {
            virReportError(VIR_ERR_INVALID_ARG,
                           "vcpu '%ld' can't be modified as it is followed by "
                           "non-hotpluggable online vcpus",
                           first);
            return -1;
        }
    }
    return 0;
}

/* The vCPU @i of running @obj plugged (@state) or unplugged, as libvirt's
 * qemuDomainSetVcpusLive for one entity; the live definition's states
 * follow and the status file is written. Job held, object locked. */
static int
qemuHotplugVcpuSetLive(qemuDriver *driver, virDomainObj *obj, unsigned int i, bool state)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autoptr(json_object) reply = NULL;
    g_autoptr(GArray) cpus = NULL;
    g_autofree int *oldTids = NULL;
    size_t noldTids = priv->nvcpuTids;
    int ret = -1;

    if (noldTids)
        oldTids = g_memdup2(priv->vcpuTids, noldTids * sizeof(*oldTids));
    if (qemuHotplugMonitor(obj, "query-hotpluggable-cpus", NULL, &reply) < 0)
        return -1;
    cpus = qemuHotplugCpuList(reply);
    if (state) {
        if (qemuHotplugVcpuAdd(obj, cpus, i) < 0)
            goto save;
    } else {
        g_autofree char *alias = g_strdup_printf("vcpu%u", i);
        g_autofree char *qomPath = NULL;
        int rc;

        if (i < cpus->len)
            qomPath = g_strdup(g_array_index(cpus, qemuHotplugCpu, i).qomPath);
        /* only a vCPU plugged as a device (alias vcpuN) can go: those of
         * -smp are QEMU's own */
        if (!qomPath || !g_str_has_prefix(qomPath, "/machine/peripheral/")) {
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "vcpu '%u' can't be unplugged",
                           i);
            goto save;
        }
        if ((rc = qemuHotplugDeviceDel(obj, alias)) < 0)
            goto save;
        if (rc == 1 && qomPath && qemuHotplugCpuGone(obj, qomPath) < 1)
            rc = 0;
        if (rc == 0) {
            virReportError(VIR_ERR_OPERATION_TIMEOUT, "%s",
                           "vcpu unplug request timed out. Unplug result must be "
                           "manually inspected in the domain");
            goto save;
        }
    }
    /* as libvirt: the live definition now says which vCPUs are online */
    virDomainVcpuStatesEnsure(obj->def);
    obj->def->vcpuStates[i].hotpluggable = VIR_DOMAIN_TRISTATE_ON;
    qemuHotplugVcpuMark(obj->def, i, 0, state);
    ret = 0;

save:
    if (virDomainObjIsActive(obj)) {
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        if (qemuCgroupVcpusChanged(obj, oldTids, noldTids) < 0 && ret == 0) {
            virErrorRestore(&saved);
            ret = -1;
        } else {
            virErrorRestore(&saved);
        }
        qemuDomainSaveStatus(driver, obj);
    }
    return ret;
}

/*
 * As libvirt 9.0's qemuDomainSetVcpu: the list parsed (4096 ids) before the
 * domain is looked at, one vCPU at a time live (each x86 vCPU is one
 * hotpluggable entity: plugged with device_add, unplugged with device_del),
 * the persistent definition's states set (hotpluggable, no order kept) and
 * saved, vCPU 0 never.
 */
int
qemuDomainSetVcpu(virDomainPtr dom, const char *cpumap, int state, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    g_autofree unsigned char *map = NULL;
    g_autoptr(virDomainDef) newPersistent = NULL;
    virDomainObj *obj;
    virDomainDef *live;
    virDomainDef *persistent;
    size_t maplen = 0;
    long last = -1;
    unsigned int which = 0;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (state != 0 && state != 1) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "unsupported state value");
        return -1;
    }
    if (!(map = virDomainCpulistParse(cpumap, 4096, &maplen)))
        return -1;
    for (size_t i = 0; i < maplen * 8; i++) {
        if (map[i / 8] & (1u << (i % 8)))
            last = (long)i;
    }
    if (last < 0) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "no vcpus selected for modification");
        return -1;
    }
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjGetDefs(obj, flags, &live, &persistent) < 0)
        goto endjob;
    if (persistent && last >= (long)persistent->vcpus) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "vcpu %ld is not present in persistent config", last);
        goto endjob;
    }
    if (live && last >= (long)live->vcpus) {
        virReportError(VIR_ERR_INVALID_ARG, "vcpu %ld is not present in live config",
                       last);
        goto endjob;
    }
    if (live) {
        int n = qemuHotplugVcpuFilterLive(live, map, maplen, state == 1, &which);

        if (n < 0)
            goto endjob;
        /* libvirt allows one entity per call: a partial failure of several
         * would be hard to resolve */
        if (n != 1) {
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                           "only one hotpluggable entity can be selected");
            goto endjob;
        }
    }
    if (persistent && qemuHotplugVcpuValidateConfig(persistent, map, maplen) < 0)
        goto endjob;
    if (live && qemuHotplugVcpuSetLive(driver, obj, which, state == 1) < 0)
        goto endjob;
    if (persistent) {
        newPersistent = virDomainDefCopy(persistent);
        virDomainVcpuStatesEnsure(newPersistent);
        for (unsigned int i = 0; i < newPersistent->vcpus; i++) {
            newPersistent->vcpuStates[i].order = 0;
            if (i < maplen * 8 && (map[i / 8] & (1u << (i % 8)))) {
                newPersistent->vcpuStates[i].hotpluggable = VIR_DOMAIN_TRISTATE_ON;
                virDomainDefSetVcpuOnline(newPersistent, i, state == 1);
            }
        }
        if (qemuDomainSaveConfig(driver, newPersistent,
                                 qemuDomainPriv(obj)->graceOverrideSec) < 0)
            goto endjob;
        g_free(persistent->vcpuStates);
        persistent->vcpuStates = g_steal_pointer(&newPersistent->vcpuStates);
        persistent->vcpusCurrent = newPersistent->vcpusCurrent;
    }
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}
