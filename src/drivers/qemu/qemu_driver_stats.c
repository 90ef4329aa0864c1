/* qemu_driver_stats.c: QEMU driver entry points for guest and host statistics (QMP, /proc) */

/*
 * Threads: entry points run on any API thread. A domain query takes a
 * QUERY job (so the monitor stays valid while the object is unlocked),
 * sends its QMP commands and waits with the object unlocked; no lock is
 * held across a wait on QEMU.
 *
 * virConnectGetAllDomainStats answers many guests with one round of QMP:
 * it takes every selected guest's QUERY job first, then submits all the
 * commands of all guests (qemuMonitorSubmit: nothing waits yet), then
 * collects the replies, so N guests cost about one QMP round trip, not N
 * (or N per group). With NOWAIT a guest whose job is busy gets only what
 * needs no QEMU (state, the definition's figures).
 *
 * virDomainGetCPUStats reads the guest's cgroup as libvirt does (totals
 * from cpuacct or v2 cpu.stat, the per-host-CPU split from v1
 * cpuacct.usage_percpu); a guest without a cgroup (session, embed) gets
 * its totals from /proc.
 */

#define G_LOG_DOMAIN "virtkit.qemu.stats"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu_cgroup.h"
#include "qemu_command.h"
#include "qemu_driver_priv.h"
#include "qemu_perf.h"
#include "qemu_process.h"
#include "qemu_monitor.h"
#include "qemu_stats_proc.h"
#include "virerror.h"
#include "virtypedparamlist.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

#define QEMU_BALLOON_PATH "/machine/peripheral/balloon0"

/* ---- lookups in the definition --------------------------------------------- */

/* The disk named by its target or source path: its index, or -1. */
static int
qemuStatsDiskIndex(const virDomainDef *def, const char *path)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *d = def->disks[i];

        if (g_strcmp0(d->dst, path) == 0 || (d->src && g_str_equal(d->src, path)))
            return (int)i;
    }
    return -1;
}

/* libvirt's virDomainNetFind: by MAC when @device is one, else by host
 * device name; INVALID_ARG "'%s' is not a known interface". */
static const virDomainNetDef *
qemuStatsNetFind(const virDomainDef *def, const char *device)
{
    unsigned int m[6];
    char extra;
    bool isMac = sscanf(device, "%2x:%2x:%2x:%2x:%2x:%2x%c", &m[0], &m[1], &m[2], &m[3],
                        &m[4], &m[5], &extra) == 6;

    for (size_t i = 0; i < def->nnets; i++) {
        const virDomainNetDef *net = def->nets[i];

        if (isMac) {
            bool same = net->macSet;

            for (int j = 0; j < 6 && same; j++)
                same = net->mac[j] == m[j];
            if (same)
                return net;
        } else if (g_strcmp0(net->ifname, device) == 0) {
            return net;
        }
    }
    virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, __func__,
                       "'%s' is not a known interface", device);
    return NULL;
}

/* ---- QMP replies ------------------------------------------------------------ */

static long long
qemuJsonLL(json_object *o, const char *key, long long dflt)
{
    json_object *v = NULL;

    if (!o || !json_object_object_get_ex(o, key, &v) || !v)
        return dflt;
    return json_object_get_int64(v);
}

/* The key of disk @idx's entries in query-block / query-blockstats: its
 * device id ("virtio-disk0", qemu_command.c's names), which stays the
 * disk's whatever was plugged or unplugged before it (node names do not:
 * a hotplugged disk takes the next free "libvirt-N-"). NULL for a disk
 * without a source. @def is the live definition. */
static char *
qemuStatsDiskNode(const virDomainDef *def, size_t idx)
{
    if (idx >= def->ndisks || (!def->disks[idx]->src && !def->disks[idx]->net))
        return NULL;
    return qemuDiskAlias(def, def->disks[idx]);
}

/* Whether an entry's "qdev" names device @id: the id itself (QEMU reports
 * the id of a device that has one) or a QOM path under it (virtio-blk's
 * backend: "/machine/peripheral/virtio-disk0/virtio-backend"). */
bool
qemuStatsQdevIs(json_object *entry, const char *id)
{
    json_object *q = NULL;
    const char *qdev;
    size_t len;

    if (!json_object_object_get_ex(entry, "qdev", &q) ||
        !(qdev = json_object_get_string(q)))
        return false;
    if (strcmp(qdev, id) == 0)
        return true;
    if (!g_str_has_prefix(qdev, "/machine/peripheral/"))
        return false;
    qdev += strlen("/machine/peripheral/");
    len = strlen(id);
    return strncmp(qdev, id, len) == 0 && (qdev[len] == '\0' || qdev[len] == '/');
}

/* The query-blockstats entry of device @id (NULL: none). */
static json_object *
qemuStatsBlockEntry(json_object *blockstats, const char *id)
{
    size_t n = blockstats && id && json_object_is_type(blockstats, json_type_array)
                   ? json_object_array_length(blockstats)
                   : 0;

    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(blockstats, i);

        if (qemuStatsQdevIs(e, id))
            return e;
    }
    return NULL;
}

/* The query-block entry ("inserted" member) of device @id. */
static json_object *
qemuStatsBlockInserted(json_object *block, const char *id)
{
    size_t n = block && id && json_object_is_type(block, json_type_array)
                   ? json_object_array_length(block)
                   : 0;

    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(block, i);
        json_object *ins = NULL;

        if (qemuStatsQdevIs(e, id) && json_object_object_get_ex(e, "inserted", &ins))
            return ins;
    }
    return NULL;
}

/* The guest's balloon statistics (qom-get guest-stats) in libvirt's order,
 * after "actual"; entries QEMU marks unsupported (-1) are left out. */
typedef struct {
    const char *qmp;
    int tag;
    const char *field; /* the domain-stats name after "balloon." */
} qemuBalloonStat;

static const qemuBalloonStat qemuBalloonStats[] = {
    { "stat-swap-in", VIR_DOMAIN_MEMORY_STAT_SWAP_IN, "swap_in" },
    { "stat-swap-out", VIR_DOMAIN_MEMORY_STAT_SWAP_OUT, "swap_out" },
    { "stat-major-faults", VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT, "major_fault" },
    { "stat-minor-faults", VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT, "minor_fault" },
    { "stat-free-memory", VIR_DOMAIN_MEMORY_STAT_UNUSED, "unused" },
    { "stat-total-memory", VIR_DOMAIN_MEMORY_STAT_AVAILABLE, "available" },
    { "stat-available-memory", VIR_DOMAIN_MEMORY_STAT_USABLE, "usable" },
    { "last-update", VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE, "last-update" },
    { "stat-disk-caches", VIR_DOMAIN_MEMORY_STAT_DISK_CACHES, "disk_caches" },
    { "stat-htlb-pgalloc", VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC, "hugetlb_pgalloc" },
    { "stat-htlb-pgfail", VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL, "hugetlb_pgfail" },
};

/* Memory statistics from the replies of query-balloon (@balloon) and qom-get
 * guest-stats (@guest, may be NULL) and the process' RSS: libvirt's
 * qemuDomainMemoryStatsInternal. Returns the count filled. */
static unsigned int
qemuStatsMemoryFill(json_object *balloon, json_object *guest, unsigned long long rssKiB,
                    virDomainMemoryStatPtr stats, unsigned int nr)
{
    unsigned int n = 0;
    json_object *st = NULL;

    if (balloon && n < nr) {
        stats[n].tag = VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON;
        stats[n].val = (unsigned long long)qemuJsonLL(balloon, "actual", 0) / 1024;
        n++;
    }
    /* nothing until the guest's balloon driver has reported once */
    if (guest && qemuJsonLL(guest, "last-update", 0) > 0)
        json_object_object_get_ex(guest, "stats", &st);
    for (size_t i = 0; st && i < G_N_ELEMENTS(qemuBalloonStats) && n < nr; i++) {
        const qemuBalloonStat *b = &qemuBalloonStats[i];
        json_object *jv = NULL;
        guint64 v;

        if (!json_object_object_get_ex(
                b->tag == VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE ? guest : st, b->qmp, &jv) ||
            !jv)
            continue;
        /* QEMU says "not supported by the guest" with (uint64_t)-1 */
        v = json_object_get_uint64(jv);
        if (v == G_MAXUINT64)
            continue;
        stats[n].tag = b->tag;
        /* bytes, except counters and the time stamp */
        switch (b->tag) {
        case VIR_DOMAIN_MEMORY_STAT_SWAP_IN:
        case VIR_DOMAIN_MEMORY_STAT_SWAP_OUT:
        case VIR_DOMAIN_MEMORY_STAT_UNUSED:
        case VIR_DOMAIN_MEMORY_STAT_AVAILABLE:
        case VIR_DOMAIN_MEMORY_STAT_USABLE:
        case VIR_DOMAIN_MEMORY_STAT_DISK_CACHES:
            stats[n].val = (unsigned long long)v / 1024;
            break;
        default:
            stats[n].val = (unsigned long long)v;
        }
        n++;
    }
    if (n < nr) {
        stats[n].tag = VIR_DOMAIN_MEMORY_STAT_RSS;
        stats[n].val = rssKiB;
        n++;
    }
    return n;
}

static json_object *
qemuStatsQomGetArgs(void)
{
    json_object *a = json_object_new_object();

    json_object_object_add(a, "path", json_object_new_string(QEMU_BALLOON_PATH));
    json_object_object_add(a, "property", json_object_new_string("guest-stats"));
    return a;
}

void
qemuStatsRefreshBalloonIdle(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autoptr(json_object) args = json_object_new_object();
    g_autoptr(json_object) reply = NULL;
    qemuMonitor *mon = priv->mon;
    int rc;

    if (!mon || (obj->def->memballoon &&
                 obj->def->memballoon->model != VIR_DOMAIN_MEMBALLOON_MODEL_VIRTIO))
        return;
    json_object_object_add(args, "path", json_object_new_string(QEMU_BALLOON_PATH));
    json_object_object_add(args, "property",
                           json_object_new_string("guest-stats-polling-interval"));
    virDomainObjUnlock(obj);
    rc = qemuMonitorCommand(mon, "qom-get", args, QEMU_MONITOR_TIMEOUT_MS, &reply);
    virDomainObjLock(obj);
    if (rc < 0) {
        g_debug("cannot read the balloon statistics period of '%s': %s", obj->def->name,
                virGetLastErrorMessage());
        virResetLastError();
        return;
    }
    if (json_object_is_type(reply, json_type_int) && json_object_get_int64(reply) == 0)
        priv->balloonStatsIdle = true;
}

/* Begin a QUERY job on @obj (locked) and check it runs: 0, or -1 with the
 * error reported (job not held). */
static int
qemuStatsBeginQuery(virDomainObj *obj)
{
    if (virDomainObjBeginJob(obj, VIR_JOB_QUERY, QEMU_JOB_WAIT_MS) < 0)
        return -1;
    if (qemuDomainObjCheckActive(obj) < 0 || !qemuDomainPriv(obj)->mon) {
        if (virDomainObjIsActive(obj))
            virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                           "QEMU monitor is not connected");
        virDomainObjEndJob(obj, VIR_JOB_QUERY);
        return -1;
    }
    return 0;
}

/* Send @cmd and wait for its reply with @obj unlocked (job held). */
static int
qemuStatsCommand(virDomainObj *obj, const char *cmd, json_object *args,
                 json_object **reply)
{
    qemuMonitor *mon = qemuDomainPriv(obj)->mon;
    int rc;

    virDomainObjUnlock(obj);
    rc = qemuMonitorCommand(mon, cmd, args, QEMU_MONITOR_TIMEOUT_MS, reply);
    virDomainObjLock(obj);
    return rc;
}

/* ---- per-domain entry points ------------------------------------------------ */

int
qemuDomainMemoryStats(virDomainPtr dom, virDomainMemoryStatPtr stats,
                      unsigned int nr_stats, unsigned int flags)
{
    virDomainObj *obj;
    g_autoptr(json_object) balloon = NULL;
    g_autoptr(json_object) guest = NULL;
    g_autoptr(json_object) args = NULL;
    int ret = -1;

    virCheckFlags(0, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (qemuStatsBeginQuery(obj) < 0)
        goto cleanup;
    if (!obj->def->memballoon ||
        obj->def->memballoon->model == VIR_DOMAIN_MEMBALLOON_MODEL_VIRTIO) {
        if (qemuStatsCommand(obj, "query-balloon", NULL, &balloon) < 0)
            goto endjob;
        /* the guest's own figures exist once a statistics period is set and
         * the guest driver has answered; their absence is not an error */
        args = qemuStatsQomGetArgs();
        if (qemuStatsCommand(obj, "qom-get", args, &guest) < 0)
            virResetLastError();
    }
    ret = (int)qemuStatsMemoryFill(balloon, guest, qemuStatsRss(obj), stats, nr_stats);

endjob:
    virDomainObjEndJob(obj, VIR_JOB_QUERY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* libvirt's virDomainDefHasMemballoon; virtkit's QEMU definitions without
 * a <memballoon> (none is added by the test driver) have the virtio one */
static bool
qemuStatsHasBalloon(const virDomainDef *def)
{
    return !def->memballoon || def->memballoon->model != VIR_DOMAIN_MEMBALLOON_MODEL_NONE;
}

int
qemuDomainSetMemoryStatsPeriod(virDomainPtr dom, int period, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    virDomainDef *persistent = NULL;
    bool live;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    /* libvirt's virDomainObjGetDefs: LIVE and CONFIG together are fine */
    if (!(flags & (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)))
        flags |=
            virDomainObjIsActive(obj) ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG;
    live = flags & VIR_DOMAIN_AFFECT_LIVE;
    if (live && qemuDomainObjCheckActive(obj) < 0)
        goto endjob;
    if (flags & VIR_DOMAIN_AFFECT_CONFIG) {
        if (!obj->persistent) {
            virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, __func__,
                               "transient domains do not have any persistent config");
            goto endjob;
        }
        persistent = virDomainObjGetPersistentDef(obj);
    }

    if (live) {
        if (!qemuStatsHasBalloon(obj->def)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "No memory balloon device configured, can not set the "
                           "collection period");
            goto endjob;
        }
        if (qemuProcessSetBalloonPeriod(obj, period) < 0) {
            /* libvirt replaces QEMU's words with its own */
            virResetLastError();
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "unable to set balloon driver collection period");
            goto endjob;
        }
        if (!obj->def->memballoon) {
            obj->def->memballoon = g_new0(virDomainMemballoonDef, 1);
            obj->def->memballoon->model = VIR_DOMAIN_MEMBALLOON_MODEL_VIRTIO;
        }
        obj->def->memballoon->period = period;
        qemuDomainSaveStatus(driver, obj);
    }
    if (persistent) {
        if (!qemuStatsHasBalloon(persistent)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "No memory balloon device configured, can not set the "
                           "collection period");
            goto endjob;
        }
        if (!persistent->memballoon) {
            persistent->memballoon = g_new0(virDomainMemballoonDef, 1);
            persistent->memballoon->model = VIR_DOMAIN_MEMBALLOON_MODEL_VIRTIO;
        }
        persistent->memballoon->period = period;
        if (qemuDomainSaveConfig(driver, persistent,
                                 qemuDomainPriv(obj)->graceOverrideSec) < 0)
            goto endjob;
    }
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

typedef struct {
    long long rd_req, rd_bytes, wr_req, wr_bytes;
    long long flush_req, rd_times, wr_times, flush_times;
} qemuBlockCounters;

/* Counters of format node @node from query-blockstats (-1 each when absent). */
static void
qemuStatsBlockCounters(json_object *blockstats, const char *node, qemuBlockCounters *c)
{
    json_object *e = qemuStatsBlockEntry(blockstats, node);
    json_object *st = NULL;

    if (e)
        json_object_object_get_ex(e, "stats", &st);
    c->rd_req = qemuJsonLL(st, "rd_operations", -1);
    c->rd_bytes = qemuJsonLL(st, "rd_bytes", -1);
    c->wr_req = qemuJsonLL(st, "wr_operations", -1);
    c->wr_bytes = qemuJsonLL(st, "wr_bytes", -1);
    c->flush_req = qemuJsonLL(st, "flush_operations", -1);
    c->rd_times = qemuJsonLL(st, "rd_total_time_ns", -1);
    c->wr_times = qemuJsonLL(st, "wr_total_time_ns", -1);
    c->flush_times = qemuJsonLL(st, "flush_total_time_ns", -1);
}

/* The counters of @path ("" = the sum over every disk) of a running guest. */
static int
qemuStatsBlockQuery(virDomainPtr dom, const char *path, qemuBlockCounters *out)
{
    virDomainObj *obj;
    g_autoptr(json_object) reply = NULL;
    int idx = -1;
    int ret = -1;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (qemuStatsBeginQuery(obj) < 0)
        goto cleanup;
    if (*path && (idx = qemuStatsDiskIndex(obj->def, path)) < 0) {
        virReportError(VIR_ERR_INVALID_ARG, "invalid path: %s", path);
        goto endjob;
    }
    if (qemuStatsCommand(obj, "query-blockstats", NULL, &reply) < 0)
        goto endjob;
    if (idx >= 0) {
        g_autofree char *node = qemuStatsDiskNode(obj->def, idx);

        qemuStatsBlockCounters(reply, node, out);
        if (!qemuStatsBlockEntry(reply, node)) {
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "cannot find statistics for device '%s'", path);
            goto endjob;
        }
    } else {
        memset(out, 0, sizeof(*out));
        for (size_t i = 0; i < obj->def->ndisks; i++) {
            g_autofree char *node = qemuStatsDiskNode(obj->def, i);
            qemuBlockCounters c;

            if (!qemuStatsBlockEntry(reply, node))
                continue;
            qemuStatsBlockCounters(reply, node, &c);
            out->rd_req += MAX(c.rd_req, 0);
            out->rd_bytes += MAX(c.rd_bytes, 0);
            out->wr_req += MAX(c.wr_req, 0);
            out->wr_bytes += MAX(c.wr_bytes, 0);
            out->flush_req += MAX(c.flush_req, 0);
            out->rd_times += MAX(c.rd_times, 0);
            out->wr_times += MAX(c.wr_times, 0);
            out->flush_times += MAX(c.flush_times, 0);
        }
    }
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_QUERY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainBlockStats(virDomainPtr dom, const char *path, virDomainBlockStatsPtr stats)
{
    qemuBlockCounters c;

    if (qemuStatsBlockQuery(dom, path, &c) < 0)
        return -1;
    stats->rd_req = c.rd_req;
    stats->rd_bytes = c.rd_bytes;
    stats->wr_req = c.wr_req;
    stats->wr_bytes = c.wr_bytes;
    stats->errs = -1; /* QEMU does not count errors */
    return 0;
}

int
qemuDomainBlockStatsFlags(virDomainPtr dom, const char *path, virTypedParameterPtr params,
                          int *nparams, unsigned int flags)
{
    qemuBlockCounters c;
    const struct {
        const char *field;
        long long v;
    } order[] = {
        { VIR_DOMAIN_BLOCK_STATS_WRITE_BYTES, 0 },
        { VIR_DOMAIN_BLOCK_STATS_WRITE_REQ, 0 },
        { VIR_DOMAIN_BLOCK_STATS_READ_BYTES, 0 },
        { VIR_DOMAIN_BLOCK_STATS_READ_REQ, 0 },
        { VIR_DOMAIN_BLOCK_STATS_FLUSH_REQ, 0 },
        { VIR_DOMAIN_BLOCK_STATS_WRITE_TOTAL_TIMES, 0 },
        { VIR_DOMAIN_BLOCK_STATS_READ_TOTAL_TIMES, 0 },
        { VIR_DOMAIN_BLOCK_STATS_FLUSH_TOTAL_TIMES, 0 },
    };
    long long vals[G_N_ELEMENTS(order)];
    int n = 0;

    virCheckFlags(VIR_TYPED_PARAM_STRING_OKAY, -1);
    if (qemuStatsBlockQuery(dom, path, &c) < 0)
        return -1;
    /* libvirt's order */
    vals[0] = c.wr_bytes;
    vals[1] = c.wr_req;
    vals[2] = c.rd_bytes;
    vals[3] = c.rd_req;
    vals[4] = c.flush_req;
    vals[5] = c.wr_times;
    vals[6] = c.rd_times;
    vals[7] = c.flush_times;
    if (*nparams == 0) {
        for (size_t i = 0; i < G_N_ELEMENTS(order); i++)
            n += vals[i] != -1;
        *nparams = n;
        return 0;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(order) && n < *nparams; i++) {
        if (vals[i] == -1)
            continue;
        memset(&params[n], 0, sizeof(params[n]));
        g_strlcpy(params[n].field, order[i].field, sizeof(params[n].field));
        params[n].type = VIR_TYPED_PARAM_LLONG;
        params[n].value.l = vals[i];
        n++;
    }
    *nparams = n;
    return 0;
}

int
qemuDomainInterfaceStats(virDomainPtr dom, const char *device,
                         virDomainInterfaceStatsPtr stats)
{
    virDomainObj *obj;
    const virDomainNetDef *net;
    qemuNetCounters c;
    int ret = -1;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (qemuDomainObjCheckActive(obj) < 0)
        goto cleanup;
    if (!(net = qemuStatsNetFind(obj->def, device)))
        goto cleanup;
    if (!net->ifname) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                       "interface '%s' has no host device to read statistics from",
                       device);
        goto cleanup;
    }
    if (!qemuStatsNetDev(net->ifname, &c)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Interface not found: %s", net->ifname);
        goto cleanup;
    }
    /* a tap: what the host sends is what the guest receives */
    stats->rx_bytes = c.tx_bytes;
    stats->rx_packets = c.tx_packets;
    stats->rx_errs = c.tx_errs;
    stats->rx_drop = c.tx_drop;
    stats->tx_bytes = c.rx_bytes;
    stats->tx_packets = c.rx_packets;
    stats->tx_errs = c.rx_errs;
    stats->tx_drop = c.rx_drop;
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainGetVcpus(virDomainPtr dom, virVcpuInfoPtr info, int maxinfo,
                   unsigned char *cpumaps, int maplen)
{
    virDomainObj *obj;
    g_autoptr(json_object) reply = NULL;
    size_t n;
    int ret = -1;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (!virDomainObjIsActive(obj)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot list vcpus for an inactive domain");
        goto cleanup;
    }
    if (qemuStatsBeginQuery(obj) < 0)
        goto cleanup;
    if (qemuStatsCommand(obj, "query-cpus-fast", NULL, &reply) < 0)
        goto endjob;
    n = json_object_array_length(reply);
    memset(info, 0, sizeof(*info) * maxinfo);
    if (cpumaps)
        memset(cpumaps, 0, (size_t)maxinfo * maplen);
    ret = 0;
    for (size_t i = 0; i < n && ret < maxinfo; i++) {
        json_object *cpu = json_object_array_get_idx(reply, i);
        pid_t tid = (pid_t)qemuJsonLL(cpu, "thread-id", 0);
        int idx = (int)qemuJsonLL(cpu, "cpu-index", (long long)i);
        unsigned long long user = 0, sys = 0, run = 0;
        int last = -1;

        qemuStatsProcStat(obj, tid, &user, &sys, &last, NULL);
        info[ret].number = idx;
        info[ret].state = VIR_VCPU_RUNNING;
        info[ret].cpuTime = qemuStatsSchedstat(obj, tid, &run, NULL) ? run : user + sys;
        info[ret].cpu = last;
        if (cpumaps) {
            cpu_set_t set;
            unsigned char *map = VIR_GET_CPUMAP(cpumaps, maplen, ret);

            CPU_ZERO(&set);
            if (tid > 0 && sched_getaffinity(tid, sizeof(set), &set) == 0) {
                for (int c = 0; c < maplen * 8 && c < CPU_SETSIZE; c++) {
                    if (CPU_ISSET(c, &set))
                        VIR_USE_CPU(map, c);
                }
            }
        }
        ret++;
    }

endjob:
    virDomainObjEndJob(obj, VIR_JOB_QUERY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainGetVcpuPinInfo(virDomainPtr dom, int ncpumaps, unsigned char *cpumaps,
                         int maplen, unsigned int flags)
{
    virDomainObj *obj;
    const virDomainDef *def;
    g_autofree unsigned char *online = NULL;
    int hostcpus;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if ((hostcpus = qemuHostCpus(&online, NULL)) < 0)
        return -1;
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (!(flags & (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)))
        flags |=
            virDomainObjIsActive(obj) ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG;
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && qemuDomainObjCheckActive(obj) < 0)
        goto cleanup;
    def =
        (flags & VIR_DOMAIN_AFFECT_CONFIG) ? virDomainObjGetPersistentDef(obj) : obj->def;
    /* the <vcpupin> of each vCPU, else every online host CPU */
    for (int i = 0; i < (int)def->vcpus && i < ncpumaps; i++)
        qemuTuneVcpuPinMap(def, (unsigned int)i, VIR_GET_CPUMAP(cpumaps, maplen, i),
                           maplen);
    ret = (int)def->vcpus;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* libvirt's virCgroupGetPercpuStats: how many per-CPU parameters (2),
 * how many host CPUs, or cpu_time and vcpu_time per host CPU from v1
 * cpuacct.usage_percpu (the guest's group and its vCPU groups); under v2
 * libvirt's "not supported for backend 'cgroup V2'". Object locked. */
static int
qemuStatsPercpu(virDomainObj *obj, virTypedParameterPtr params, unsigned int nparams,
                int start_cpu, unsigned int ncpus)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autofree unsigned long long *usage = NULL;
    g_autofree unsigned long long *vusage = NULL;
    size_t n = 0;
    int hostcpus;
    int ret = 0;

    if (!virCgroupHasController(priv->cgroup, VIR_CGROUP_CONTROLLER_CPUACCT)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cgroup CPUACCT controller is not mounted");
        return -1;
    }
    if (nparams == 0 && ncpus != 0)
        return 2;
    if ((hostcpus = qemuHostCpus(NULL, NULL)) < 0)
        return -1;
    if (ncpus == 0)
        return hostcpus;
    if (start_cpu >= hostcpus) {
        virReportError(VIR_ERR_INVALID_ARG, "start_cpu %d larger than maximum of %d",
                       start_cpu, hostcpus - 1);
        return -1;
    }
    if (virCgroupGetCpuacctPercpuUsage(priv->cgroup, &usage, &n) < 0)
        return -1;
    vusage = g_new0(unsigned long long, n);
    for (size_t v = 0; v < priv->nvcpuTids; v++) {
        g_autoptr(virCgroup) vg = qemuCgroupVcpu(obj, (unsigned int)v);
        g_autofree unsigned long long *vu = NULL;
        size_t vn = 0;

        if (!vg || virCgroupGetCpuacctPercpuUsage(vg, &vu, &vn) < 0)
            return -1;
        for (size_t c = 0; c < vn && c < n; c++)
            vusage[c] += vu[c];
    }
    for (unsigned int i = 0; i < ncpus && start_cpu + (int)i < hostcpus; i++) {
        size_t c = (size_t)start_cpu + i;
        virTypedParameterPtr p = &params[i * nparams];

        if (nparams >= 1) {
            memset(&p[0], 0, sizeof(p[0]));
            g_strlcpy(p[0].field, VIR_DOMAIN_CPU_STATS_CPUTIME, sizeof(p[0].field));
            p[0].type = VIR_TYPED_PARAM_ULLONG;
            p[0].value.ul = c < n ? usage[c] : 0;
        }
        if (nparams >= 2) {
            memset(&p[1], 0, sizeof(p[1]));
            g_strlcpy(p[1].field, VIR_DOMAIN_CPU_STATS_VCPUTIME, sizeof(p[1].field));
            p[1].type = VIR_TYPED_PARAM_ULLONG;
            p[1].value.ul = c < n ? vusage[c] : 0;
        }
        ret = (int)MIN(nparams, 2u);
    }
    return ret;
}

int
qemuDomainGetCPUStats(virDomainPtr dom, virTypedParameterPtr params, unsigned int nparams,
                      int start_cpu, unsigned int ncpus, unsigned int flags)
{
    virDomainObj *obj;
    unsigned long long total, user = 0, sys = 0;
    int ret = -1;

    virCheckFlags(VIR_TYPED_PARAM_STRING_OKAY, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (qemuDomainObjCheckActive(obj) < 0)
        goto cleanup;
    if (start_cpu != -1) {
        ret = qemuStatsPercpu(obj, params, nparams, start_cpu, ncpus);
        goto cleanup;
    }
    if (nparams == 0) {
        ret = 3;
        goto cleanup;
    }
    if (qemuDomainPriv(obj)->cgroup) {
        /* the guest's cgroup, as libvirt: cpuacct (v2: cpu.stat) */
        virCgroup *g = qemuDomainPriv(obj)->cgroup;

        if (virCgroupGetCpuacctUsage(g, &total) < 0 ||
            virCgroupGetCpuacctStat(g, &user, &sys) < 0)
            goto cleanup;
    } else {
        total = qemuStatsProcessCpuTime(obj, &user, &sys, NULL);
    }
    ret = 0;
    {
        const char *names[] = { VIR_DOMAIN_CPU_STATS_CPUTIME,
                                VIR_DOMAIN_CPU_STATS_USERTIME,
                                VIR_DOMAIN_CPU_STATS_SYSTEMTIME };
        unsigned long long vals[] = { total, user, sys };

        for (unsigned int i = 0; i < 3 && i < nparams; i++) {
            memset(&params[i], 0, sizeof(params[i]));
            g_strlcpy(params[i].field, names[i], sizeof(params[i].field));
            params[i].type = VIR_TYPED_PARAM_ULLONG;
            params[i].value.ul = vals[i];
            ret++;
        }
    }

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* Capacity of an image file: qcow2's header size, else the file's size;
 * a host block device's size is where it ends (libvirt: all three). */
static bool
qemuStatsImageSizes(const char *path, int format, virDomainBlockInfoPtr info)
{
    struct stat sb;

    if (stat(path, &sb) < 0)
        return false;
    info->physical = (unsigned long long)sb.st_size;
    info->allocation = (unsigned long long)sb.st_blocks * 512;
    info->capacity = (unsigned long long)sb.st_size;
    if (S_ISBLK(sb.st_mode)) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        off_t end = fd >= 0 ? lseek(fd, 0, SEEK_END) : -1;
        int saved = errno;

        if (fd >= 0)
            close(fd);
        errno = saved;
        if (end < 0)
            return false;
        info->physical = info->allocation = info->capacity = (unsigned long long)end;
    }
    if (format == VIR_STORAGE_FORMAT_QCOW2) {
        unsigned char hdr[32];
        int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd >= 0 && pread(fd, hdr, sizeof(hdr), 0) == (ssize_t)sizeof(hdr) &&
            memcmp(hdr, "QFI\xfb", 4) == 0) {
            guint64 size;

            memcpy(&size, hdr + 24, sizeof(size));
            info->capacity = GUINT64_FROM_BE(size);
        }
        if (fd >= 0)
            close(fd);
    }
    return true;
}

int
qemuDomainGetBlockInfo(virDomainPtr dom, const char *path, virDomainBlockInfoPtr info,
                       unsigned int flags)
{
    virDomainObj *obj;
    const virDomainDiskDef *disk;
    g_autoptr(json_object) block = NULL;
    g_autoptr(json_object) stats = NULL;
    int idx;
    int ret = -1;

    virCheckFlags(0, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if ((idx = qemuStatsDiskIndex(obj->def, path)) < 0) {
        virReportError(VIR_ERR_INVALID_ARG, "invalid path %s not assigned to domain",
                       path);
        goto cleanup;
    }
    disk = obj->def->disks[idx];
    if (!disk->src || !*disk->src) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "disk '%s' does not currently have a source assigned", path);
        goto cleanup;
    }
    if (!qemuStatsImageSizes(disk->src, disk->format, info)) {
        virReportSystemError(errno, "cannot stat file '%s'", disk->src);
        goto cleanup;
    }
    if (virDomainObjIsActive(obj) && qemuDomainPriv(obj)->mon) {
        json_object *ins, *img = NULL, *e, *st = NULL;
        g_autofree char *node = qemuStatsDiskNode(obj->def, idx);

        if (virDomainObjBeginJob(obj, VIR_JOB_QUERY, QEMU_JOB_WAIT_MS) < 0)
            goto cleanup;
        if (virDomainObjIsActive(obj) &&
            qemuStatsCommand(obj, "query-block", NULL, &block) == 0 &&
            qemuStatsCommand(obj, "query-blockstats", NULL, &stats) == 0) {
            /* QEMU's view: the guest-visible size, and for qcow2 the
             * highest offset written as the allocation, as libvirt */
            if ((ins = qemuStatsBlockInserted(block, node)) &&
                json_object_object_get_ex(ins, "image", &img))
                info->capacity = (unsigned long long)qemuJsonLL(
                    img, "virtual-size", (long long)info->capacity);
            if (disk->format == VIR_STORAGE_FORMAT_QCOW2 &&
                (e = qemuStatsBlockEntry(stats, node)) &&
                json_object_object_get_ex(e, "stats", &st))
                info->allocation = (unsigned long long)qemuJsonLL(
                    st, "wr_highest_offset", (long long)info->allocation);
            ret = 0;
        }
        virDomainObjEndJob(obj, VIR_JOB_QUERY);
        goto cleanup;
    }
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- every guest at once ---------------------------------------------------- */

#define QEMU_STATS_SUPPORTED                                                          \
    (VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL | VIR_DOMAIN_STATS_BALLOON | \
     VIR_DOMAIN_STATS_VCPU | VIR_DOMAIN_STATS_INTERFACE | VIR_DOMAIN_STATS_BLOCK |    \
     VIR_DOMAIN_STATS_PERF | VIR_DOMAIN_STATS_IOTHREAD | VIR_DOMAIN_STATS_DIRTYRATE)
#define QEMU_LIST_FILTERS                                                       \
    (VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE |      \
     VIR_CONNECT_LIST_DOMAINS_PERSISTENT | VIR_CONNECT_LIST_DOMAINS_TRANSIENT | \
     VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED |       \
     VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_OTHER)

enum {
    Q_GUEST,
    Q_CPUS,
    Q_BLOCKSTATS,
    Q_BLOCK,
    Q_IOTHREADS,
    Q_DIRTYRATE,
    Q_LAST
};

/* One guest being asked: its object (referenced), whether we hold its
 * QUERY job, the commands in flight and their replies. */
typedef struct {
    virDomainObj *obj;
    bool job;
    qemuMonitorPending *pending[Q_LAST];
    json_object *reply[Q_LAST];
} qemuStatsGuest;

static void
qemuStatsSubmit(qemuStatsGuest *g, unsigned int stats)
{
    qemuMonitor *mon = qemuDomainPriv(g->obj)->mon;
    const virDomainDef *def = g->obj->def;
    bool balloon =
        !def->memballoon || def->memballoon->model == VIR_DOMAIN_MEMBALLOON_MODEL_VIRTIO;

    /* As few commands as the answer needs: QEMU runs one command per turn
     * of its main loop, and on a busy host each turn of each guest's QEMU
     * waits for a CPU (measured at load 26: 5 commands a guest came back
     * spread over 50 ms, 1 in one go). As libvirt: the balloon's size is
     * the live definition's, kept by BALLOON_CHANGE (no query-balloon);
     * the guest's own figures only once a statistics period was set;
     * the vCPU threads are the ones recorded at start and on vCPU hotplug
     * (no query-cpus-fast unless none are known); a guest without disks
     * has no block figures to ask for. */
    if ((stats & VIR_DOMAIN_STATS_BALLOON) && balloon &&
        !qemuDomainPriv(g->obj)->balloonStatsIdle) {
        g_autoptr(json_object) args = qemuStatsQomGetArgs();

        g->pending[Q_GUEST] = qemuMonitorSubmit(mon, "qom-get", args);
    }
    if ((stats & VIR_DOMAIN_STATS_VCPU) && qemuDomainPriv(g->obj)->nvcpuTids == 0)
        g->pending[Q_CPUS] = qemuMonitorSubmit(mon, "query-cpus-fast", NULL);
    if ((stats & VIR_DOMAIN_STATS_BLOCK) && def->ndisks > 0) {
        g->pending[Q_BLOCKSTATS] = qemuMonitorSubmit(mon, "query-blockstats", NULL);
        g->pending[Q_BLOCK] = qemuMonitorSubmit(mon, "query-block", NULL);
    }
    /* a guest without IOThreads has none in QEMU either */
    if ((stats & VIR_DOMAIN_STATS_IOTHREAD) && def->niothreads > 0)
        g->pending[Q_IOTHREADS] = qemuMonitorSubmit(mon, "query-iothreads", NULL);
    /* a QEMU that never measured its dirty rate answers what is known
     * (priv->dirtyRateUnstarted): asking 20 guests cost ~1 ms each (their
     * QEMUs' main loops must each run once, TCG vCPUs compete for the CPUs) */
    if ((stats & VIR_DOMAIN_STATS_DIRTYRATE) &&
        !qemuDomainPriv(g->obj)->dirtyRateUnstarted)
        g->pending[Q_DIRTYRATE] = qemuMonitorSubmit(mon, "query-dirty-rate", NULL);
}

/* Collect the replies of @g (object unlocked); a failed query leaves its
 * group's QEMU figures out, as libvirt does. */
static void
qemuStatsCollect(qemuStatsGuest *g)
{
    for (int q = 0; q < Q_LAST; q++) {
        if (!g->pending[q])
            continue;
        if (qemuMonitorAwait(g->pending[q], QEMU_MONITOR_TIMEOUT_MS, &g->reply[q]) < 0) {
            g_debug("statistics query %d of '%s' failed: %s", q, g->obj->def->name,
                    virGetLastErrorMessage());
            virResetLastError();
        }
        g->pending[q] = NULL;
    }
}

/* The record of @g (object locked). */
static virDomainStatsRecordPtr
qemuStatsRecord(virConnectPtr conn, qemuStatsGuest *g, unsigned int stats)
{
    virDomainObj *obj = g->obj;
    const virDomainDef *def = obj->def;
    bool active = virDomainObjIsActive(obj);
    bool haveQemu = active && g->job;
    g_autoptr(virTypedParamList) list = virTypedParamListNew();
    virDomainStatsRecordPtr rec;
    unsigned long long rss = 0; /* QEMU's resident set, read with its CPU time */
    bool rssKnown = false;

    if (stats & VIR_DOMAIN_STATS_STATE) {
        int reason = 0;
        int state = virDomainObjGetState(obj, &reason);

        virTypedParamListAddInt(list, state, "state.state");
        virTypedParamListAddInt(list, reason, "state.reason");
    }
    if ((stats & VIR_DOMAIN_STATS_CPU_TOTAL) && active) {
        unsigned long long user = 0, sys = 0;
        unsigned long long total = qemuStatsProcessCpuTime(obj, &user, &sys, &rss);

        rssKnown = true;

        virTypedParamListAddULLong(list, total, "cpu.time");
        virTypedParamListAddULLong(list, user, "cpu.user");
        virTypedParamListAddULLong(list, sys, "cpu.system");
    }
    if (stats & VIR_DOMAIN_STATS_BALLOON) {
        unsigned long long cur = def->currentMemory;

        virTypedParamListAddULLong(list, cur, "balloon.current");
        virTypedParamListAddULLong(list, def->memory, "balloon.maximum");
        if (haveQemu) {
            /* the guest's figures (when its balloon driver reports them) and
             * QEMU's RSS; without a balloon, the RSS alone (libvirt's
             * qemuDomainMemoryStatsInternal) */
            virDomainMemoryStatStruct ms[VIR_DOMAIN_MEMORY_STAT_NR];
            unsigned int n = qemuStatsMemoryFill(NULL, g->reply[Q_GUEST],
                                                 rssKnown ? rss : qemuStatsRss(obj), ms,
                                                 G_N_ELEMENTS(ms));

            for (unsigned int i = 0; i < n; i++) {
                const char *name = NULL;

                if (ms[i].tag == VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON)
                    continue;
                if (ms[i].tag == VIR_DOMAIN_MEMORY_STAT_RSS) {
                    name = "rss";
                } else {
                    for (size_t b = 0; b < G_N_ELEMENTS(qemuBalloonStats); b++) {
                        if (qemuBalloonStats[b].tag == ms[i].tag)
                            name = qemuBalloonStats[b].field;
                    }
                }
                if (name)
                    virTypedParamListAddULLong(list, ms[i].val, "balloon.%s", name);
            }
        }
    }
    if (stats & VIR_DOMAIN_STATS_VCPU) {
        qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
        json_object *cpus = g->reply[Q_CPUS];
        /* vCPU i's thread: the recorded ones, else QEMU's answer */
        size_t ncpus = !haveQemu ? 0
                       : cpus    ? json_object_array_length(cpus)
                                 : priv->nvcpuTids;

        virTypedParamListAddUInt(list, virDomainDefGetVcpus(def), "vcpu.current");
        virTypedParamListAddUInt(list, def->vcpus, "vcpu.maximum");
        for (size_t i = 0; i < ncpus; i++) {
            json_object *cpu = cpus ? json_object_array_get_idx(cpus, i) : NULL;
            pid_t tid = cpu ? (pid_t)qemuJsonLL(cpu, "thread-id", 0) : priv->vcpuTids[i];
            long long idx =
                cpu ? qemuJsonLL(cpu, "cpu-index", (long long)i) : (long long)i;
            unsigned long long run = 0, wait = 0, user = 0, sys = 0;

            if (tid <= 0) /* offline */
                continue;
            if (!qemuStatsSchedstat(obj, tid, &run, &wait)) {
                qemuStatsProcStat(obj, tid, &user, &sys, NULL, NULL);
                run = user + sys;
            }
            virTypedParamListAddInt(list, VIR_VCPU_RUNNING, "vcpu.%lld.state", idx);
            virTypedParamListAddULLong(list, run, "vcpu.%lld.time", idx);
            virTypedParamListAddULLong(list, wait, "vcpu.%lld.wait", idx);
        }
    }
    if (stats & VIR_DOMAIN_STATS_INTERFACE) {
        virTypedParamListAddUInt(list, def->nnets, "net.count");
        for (size_t i = 0; active && i < def->nnets; i++) {
            const virDomainNetDef *net = def->nets[i];
            qemuNetCounters c;

            if (!net->ifname)
                continue;
            virTypedParamListAddString(list, net->ifname, "net.%zu.name", i);
            if (!qemuStatsNetDev(net->ifname, &c))
                continue;
            /* guest view of a tap: directions swapped */
            virTypedParamListAddULLong(list, c.tx_bytes, "net.%zu.rx.bytes", i);
            virTypedParamListAddULLong(list, c.tx_packets, "net.%zu.rx.pkts", i);
            virTypedParamListAddULLong(list, c.tx_errs, "net.%zu.rx.errs", i);
            virTypedParamListAddULLong(list, c.tx_drop, "net.%zu.rx.drop", i);
            virTypedParamListAddULLong(list, c.rx_bytes, "net.%zu.tx.bytes", i);
            virTypedParamListAddULLong(list, c.rx_packets, "net.%zu.tx.pkts", i);
            virTypedParamListAddULLong(list, c.rx_errs, "net.%zu.tx.errs", i);
            virTypedParamListAddULLong(list, c.rx_drop, "net.%zu.tx.drop", i);
        }
    }
    if (stats & VIR_DOMAIN_STATS_BLOCK) {
        virTypedParamListAddUInt(list, def->ndisks, "block.count");
        for (size_t i = 0; i < def->ndisks; i++) {
            const virDomainDiskDef *disk = def->disks[i];
            g_autofree char *node = qemuStatsDiskNode(def, i);
            json_object *e =
                haveQemu ? qemuStatsBlockEntry(g->reply[Q_BLOCKSTATS], node) : NULL;
            virDomainBlockInfo bi = { 0 };

            virTypedParamListAddString(list, disk->dst, "block.%zu.name", i);
            if (disk->src)
                virTypedParamListAddString(list, disk->src, "block.%zu.path", i);
            if (e) {
                qemuBlockCounters c;

                qemuStatsBlockCounters(g->reply[Q_BLOCKSTATS], node, &c);
                virTypedParamListAddULLong(list, c.rd_req, "block.%zu.rd.reqs", i);
                virTypedParamListAddULLong(list, c.rd_bytes, "block.%zu.rd.bytes", i);
                virTypedParamListAddULLong(list, c.rd_times, "block.%zu.rd.times", i);
                virTypedParamListAddULLong(list, c.wr_req, "block.%zu.wr.reqs", i);
                virTypedParamListAddULLong(list, c.wr_bytes, "block.%zu.wr.bytes", i);
                virTypedParamListAddULLong(list, c.wr_times, "block.%zu.wr.times", i);
                virTypedParamListAddULLong(list, c.flush_req, "block.%zu.fl.reqs", i);
                virTypedParamListAddULLong(list, c.flush_times, "block.%zu.fl.times", i);
            }
            if (disk->src && qemuStatsImageSizes(disk->src, disk->format, &bi)) {
                json_object *ins =
                    haveQemu ? qemuStatsBlockInserted(g->reply[Q_BLOCK], node) : NULL;
                json_object *img = NULL;

                if (ins && json_object_object_get_ex(ins, "image", &img))
                    bi.capacity = (unsigned long long)qemuJsonLL(img, "virtual-size",
                                                                 (long long)bi.capacity);
                virTypedParamListAddULLong(list, bi.allocation, "block.%zu.allocation",
                                           i);
                virTypedParamListAddULLong(list, bi.capacity, "block.%zu.capacity", i);
                virTypedParamListAddULLong(list, bi.physical, "block.%zu.physical", i);
            }
        }
    }
    /* as libvirt's qemuDomainGetStatsPerf: no QEMU command, the counters */
    if (stats & VIR_DOMAIN_STATS_PERF)
        qemuPerfStatsAdd(obj, list);
    if ((stats & VIR_DOMAIN_STATS_IOTHREAD) && haveQemu)
        qemuStatsIOThreadGroup(list, g->reply[Q_IOTHREADS]);
    if ((stats & VIR_DOMAIN_STATS_DIRTYRATE) && haveQemu) {
        qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

        /* after a reconnect: QEMU's "unstarted" stays until we measure */
        if (!priv->dirtyRateUnstarted &&
            qemuStatsDirtyRateIsUnstarted(g->reply[Q_DIRTYRATE]))
            priv->dirtyRateUnstarted = true;
        qemuStatsDirtyRateRecord(list, g->reply[Q_DIRTYRATE], priv->dirtyRateUnstarted);
    }
    rec = g_new0(virDomainStatsRecord, 1);
    rec->dom = qemuDomainHandle(conn, obj);
    virTypedParamListSteal(list, &rec->params, &rec->nparams);
    return rec;
}

int
qemuConnectGetAllDomainStats(virConnectPtr conn, virDomainPtr *doms, unsigned int ndoms,
                             unsigned int stats, virDomainStatsRecordPtr **retStats,
                             unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(conn);
    unsigned int lflags = flags & QEMU_LIST_FILTERS;
    bool nowait = flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT;
    virDomainPtr *all = NULL;
    g_autofree qemuStatsGuest *guests = NULL;
    size_t nguests = 0;
    GPtrArray *recs;
    gint64 t0 = g_get_monotonic_time(), t1, t2;
    int n;

    virCheckFlags(QEMU_LIST_FILTERS | VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT |
                      VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING |
                      VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS,
                  -1);
    if (!stats) {
        stats = QEMU_STATS_SUPPORTED;
    } else if ((flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS) &&
               (stats & ~QEMU_STATS_SUPPORTED)) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED,
                       "Stats types bits 0x%x are not supported by this daemon",
                       stats & ~QEMU_STATS_SUPPORTED);
        return -1;
    }
    if (!doms) {
        if ((n = virDomainObjListExport(driver->domains, conn, &all, lflags)) < 0)
            return -1;
        doms = all;
        ndoms = (unsigned int)n;
    }

    /* 1: the objects, and the QUERY job of each running guest */
    guests = g_new0(qemuStatsGuest, MAX(ndoms, 1));
    for (unsigned int i = 0; i < ndoms; i++) {
        virDomainObj *obj = virDomainObjListFindByUUID(driver->domains, doms[i]->uuid);
        qemuStatsGuest *g;

        if (!obj) /* gone meanwhile: skipped, as libvirt */
            continue;
        if ((lflags && !virDomainObjMatchFilter(obj, lflags)) ||
            ((stats & ~VIR_DOMAIN_STATS_STATE) && virDomainObjParsePending(obj) < 0)) {
            virResetLastError();
            virDomainObjEndAPI(&obj);
            continue;
        }
        g = &guests[nguests++];
        g->obj = obj;
        if (virDomainObjIsActive(obj) && (stats & ~VIR_DOMAIN_STATS_STATE) &&
            qemuDomainPriv(obj)->mon) {
            if (virDomainObjBeginJob(obj, VIR_JOB_QUERY, nowait ? 0 : QEMU_JOB_WAIT_MS) <
                0) {
                /* busy: this guest's QEMU figures are left out */
                virResetLastError();
            } else if (virDomainObjIsActive(obj) && qemuDomainPriv(obj)->mon) {
                g->job = true;
                qemuStatsSubmit(g, stats);
            } else {
                virDomainObjEndJob(obj, VIR_JOB_QUERY);
            }
        }
        virDomainObjUnlock(obj);
    }

    /* 2: every reply (all guests' commands are in flight together) */
    t1 = g_get_monotonic_time();
    for (size_t i = 0; i < nguests; i++)
        qemuStatsCollect(&guests[i]);
    t2 = g_get_monotonic_time();

    /* 3: the records */
    recs = g_ptr_array_new();
    for (size_t i = 0; i < nguests; i++) {
        qemuStatsGuest *g = &guests[i];

        virDomainObjLock(g->obj);
        g_ptr_array_add(recs, qemuStatsRecord(conn, g, stats));
        if (g->job)
            virDomainObjEndJob(g->obj, VIR_JOB_QUERY);
        virDomainObjEndAPI(&g->obj);
        for (int q = 0; q < Q_LAST; q++) {
            if (g->reply[q])
                json_object_put(g->reply[q]);
        }
    }
    if (all) {
        for (virDomainPtr *d = all; *d; d++)
            virObjectUnrefDomain(*d);
        g_free(all);
    }
    n = (int)recs->len;
    g_debug("statistics of %d guests: %" G_GINT64_FORMAT
            " us to submit, %" G_GINT64_FORMAT " us for the replies, %" G_GINT64_FORMAT
            " us for the records",
            n, t1 - t0, t2 - t1, g_get_monotonic_time() - t2);
    g_ptr_array_add(recs, NULL);
    *retStats = (virDomainStatsRecordPtr *)g_ptr_array_free(recs, FALSE);
    return n;
}
