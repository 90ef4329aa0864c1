/* qemu_driver_iothread.c: QEMU driver entry points for a guest's IOThreads (info, pin, add, delete, parameters, statistics) */

/*
 * Threads: the entry points run on any API thread. Info takes the QUERY
 * job, the changes the MODIFY job; QMP (query-iothreads, object-add,
 * object-del, qom-set) is waited for with the object unlocked
 * (qemuHotplugMonitor), and the job keeps the monitor and the
 * definitions in place meanwhile. The "iothread" statistics group is
 * filled from the query-iothreads reply that qemu_driver_stats.c
 * collected with the other groups' commands.
 *
 * Semantics and texts are libvirt 9.0's qemu_driver.c: a live change
 * goes to QEMU first, then to the live definition (status file); a
 * CONFIG change is made on a copy of the persistent definition, checked
 * before anything live is touched, and saved last.
 */

#define G_LOG_DOMAIN "virtkit.qemu.iothread"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "domain_event.h"
#include "qemu_cgroup.h"
#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_iothread.h"
#include "qemu_monitor.h"
#include "virerror.h"
#include "virtypedparamlist.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* ---- query-iothreads --------------------------------------------------------- */

/* One entry of query-iothreads named "iothreadN" (libvirt skips others). */
typedef struct {
    unsigned int id;
    pid_t tid;
    bool pollValid; /* poll-max-ns, -grow and -shrink given */
    unsigned long long pollMaxNs;
    unsigned int pollGrow;
    unsigned int pollShrink;
} qemuIOThreadEntry;

/* The entries of a query-iothreads @reply, in QEMU's order, as libvirt's
 * qemuMonitorJSONGetIOThreads reads them. NULL with INTERNAL_ERROR for a
 * malformed reply. */
static GArray *
qemuIOThreadParseReply(json_object *reply)
{
    g_autoptr(GArray) out = g_array_new(FALSE, TRUE, sizeof(qemuIOThreadEntry));
    size_t n;

    if (!json_object_is_type(reply, json_type_array)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "query-iothreads reply was not an array");
        return NULL;
    }
    n = json_object_array_length(reply);
    for (size_t i = 0; i < n; i++) {
        json_object *it = json_object_array_get_idx(reply, i);
        json_object *v = NULL, *grow = NULL, *shrink = NULL;
        qemuIOThreadEntry e = { 0 };
        const char *id;
        guint64 num;

        if (!json_object_object_get_ex(it, "id", &v) ||
            !json_object_is_type(v, json_type_string)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "query-iothreads reply data was missing 'id'");
            return NULL;
        }
        id = json_object_get_string(v);
        if (!g_str_has_prefix(id, "iothread"))
            continue;
        if (!g_ascii_string_to_unsigned(id + strlen("iothread"), 10, 0, G_MAXUINT, &num,
                                        NULL)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "failed to find iothread id for '%s'",
                           id);
            return NULL;
        }
        e.id = (unsigned int)num;
        if (!json_object_object_get_ex(it, "thread-id", &v) ||
            !json_object_is_type(v, json_type_int)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "query-iothreads reply has malformed 'thread-id' data");
            return NULL;
        }
        e.tid = (pid_t)json_object_get_int(v);
        if (json_object_object_get_ex(it, "poll-max-ns", &v) &&
            json_object_object_get_ex(it, "poll-grow", &grow) &&
            json_object_object_get_ex(it, "poll-shrink", &shrink)) {
            e.pollValid = true;
            e.pollMaxNs = (unsigned long long)json_object_get_int64(v);
            e.pollGrow = (unsigned int)json_object_get_int64(grow);
            e.pollShrink = (unsigned int)json_object_get_int64(shrink);
        }
        g_array_append_val(out, e);
    }
    return g_steal_pointer(&out);
}

/* query-iothreads on @obj (locked, job held); NULL with the error. */
static GArray *
qemuIOThreadQuery(virDomainObj *obj)
{
    g_autoptr(json_object) reply = NULL;

    if (qemuHotplugMonitor(obj, "query-iothreads", NULL, &reply) < 0)
        return NULL;
    return qemuIOThreadParseReply(reply);
}

static const qemuIOThreadEntry *
qemuIOThreadEntryFind(GArray *list, unsigned int id)
{
    for (guint i = 0; i < list->len; i++) {
        if (g_array_index(list, qemuIOThreadEntry, i).id == id)
            return &g_array_index(list, qemuIOThreadEntry, i);
    }
    return NULL;
}

void
qemuStatsIOThreadGroup(virTypedParamList *list, json_object *reply)
{
    g_autoptr(GArray) threads = NULL;

    /* as libvirt: a failed or malformed answer leaves the group out */
    if (!reply || !(threads = qemuIOThreadParseReply(reply))) {
        virResetLastError();
        return;
    }
    if (threads->len == 0)
        return;
    virTypedParamListAddUInt(list, threads->len, "iothread.count");
    for (guint i = 0; i < threads->len; i++) {
        const qemuIOThreadEntry *e = &g_array_index(threads, qemuIOThreadEntry, i);

        if (!e->pollValid)
            continue;
        virTypedParamListAddULLong(list, e->pollMaxNs, "iothread.%u.poll-max-ns", e->id);
        virTypedParamListAddUInt(list, e->pollGrow, "iothread.%u.poll-grow", e->id);
        virTypedParamListAddUInt(list, e->pollShrink, "iothread.%u.poll-shrink", e->id);
    }
}

/* ---- helpers --------------------------------------------------------------- */

/* The host's online CPUs as a cpu list (libvirt's available CPUs). */
static char *
qemuIOThreadHostCpus(void)
{
    g_autofree char *s = NULL;

    if (!g_file_get_contents("/sys/devices/system/cpu/online", &s, NULL, NULL))
        return g_strdup_printf("0-%ld", sysconf(_SC_NPROCESSORS_CONF) - 1);
    return g_strdup(g_strstrip(s));
}

static bool
qemuIOThreadIdValid(unsigned int iothread_id)
{
    if (iothread_id == 0) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "invalid value of 0 for iothread_id");
        return false;
    }
    return true;
}

/* A call in progress: the locked domain with its job, and the definitions
 * the flags select (libvirt's virDomainObjGetDefs). */
typedef struct {
    qemuDriver *driver;
    virDomainObj *obj;
    virDomainDef *live;
    virDomainDef *persistent;
    virDomainJob job; /* held when != VIR_JOB_NONE */
} qemuIOThreadCall;

static int
qemuIOThreadBegin(virDomainPtr dom, unsigned int flags, virDomainJob job,
                  qemuIOThreadCall *c)
{
    memset(c, 0, sizeof(*c));
    c->driver = qemuDriverOf(dom->conn);
    c->job = VIR_JOB_NONE;
    if (!(c->obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(c->obj, job, QEMU_JOB_WAIT_MS) < 0)
        return -1;
    c->job = job;
    return qemuTuneGetDefs(c->obj, flags, &c->live, &c->persistent);
}

static void
qemuIOThreadEnd(qemuIOThreadCall *c)
{
    if (c->job != VIR_JOB_NONE)
        virDomainObjEndJob(c->obj, c->job);
    if (c->obj)
        virDomainObjEndAPI(&c->obj);
}

/* The copy of the persistent definition a CONFIG change is made on, saved
 * and swapped in by qemuIOThreadCommitConfig once the live part is done. */
static int
qemuIOThreadCommitConfig(qemuIOThreadCall *c, virDomainDef **copy)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(c->obj);
    virDomainDef *old = c->persistent;

    if (!*copy)
        return 0;
    if (qemuDomainSaveConfig(c->driver, *copy, priv->graceOverrideSec) < 0)
        return -1;
    /* the object keeps owning its definition: swap the IOThreads in */
    virDomainIOThreadsClear(old);
    virDomainIOThreadsCopy(old, *copy);
    return 0;
}

/* ---- info ------------------------------------------------------------------ */

int
qemuDomainGetIOThreadInfo(virDomainPtr dom, virDomainIOThreadInfoPtr **info,
                          unsigned int flags)
{
    qemuIOThreadCall c;
    virDomainIOThreadInfoPtr *list = NULL;
    g_autoptr(GArray) threads = NULL;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (qemuIOThreadBegin(dom, flags, VIR_JOB_QUERY, &c) < 0)
        goto cleanup;

    if (c.persistent) {
        g_autofree char *all = qemuIOThreadHostCpus();
        const virDomainDef *def = c.persistent;

        if (def->niothreads)
            list = g_new0(virDomainIOThreadInfoPtr, def->niothreads);
        for (size_t i = 0; i < def->niothreads; i++) {
            list[i] = g_new0(virDomainIOThreadInfo, 1);
            list[i]->iothread_id = def->iothreads[i]->id;
            list[i]->cpumap =
                virDomainIOThreadCpumap(def, def->iothreads[i], all, &list[i]->cpumaplen);
        }
        *info = list;
        ret = (int)def->niothreads;
        goto cleanup;
    }

    /* live: QEMU's IOThreads and their threads' affinity */
    if (!(threads = qemuIOThreadQuery(c.obj)))
        goto cleanup;
    if (threads->len)
        list = g_new0(virDomainIOThreadInfoPtr, threads->len);
    for (guint i = 0; i < threads->len; i++) {
        const qemuIOThreadEntry *e = &g_array_index(threads, qemuIOThreadEntry, i);
        unsigned char bits[CPU_SETSIZE / 8] = { 0 };
        cpu_set_t set;

        CPU_ZERO(&set);
        if (sched_getaffinity(e->tid, sizeof(set), &set) < 0) {
            virReportSystemError(errno, "cannot get CPU affinity of process %d",
                                 (int)e->tid);
            virDomainIOThreadInfoListFree(list, i);
            goto cleanup;
        }
        for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
            if (CPU_ISSET(cpu, &set))
                bits[cpu / 8] |= (unsigned char)(1u << (cpu % 8));
        }
        list[i] = g_new0(virDomainIOThreadInfo, 1);
        list[i]->iothread_id = e->id;
        list[i]->cpumap = virDomainCpumapTrim(bits, sizeof(bits), &list[i]->cpumaplen);
    }
    *info = list;
    ret = (int)threads->len;

cleanup:
    qemuIOThreadEnd(&c);
    return ret;
}

/* ---- pin ------------------------------------------------------------------- */

int
qemuDomainPinIOThread(virDomainPtr dom, unsigned int iothread_id, unsigned char *cpumap,
                      int maplen, unsigned int flags)
{
    qemuIOThreadCall c;
    g_autofree char *list = NULL;
    virObjectEvent *event = NULL;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (qemuIOThreadBegin(dom, flags, VIR_JOB_MODIFY, &c) < 0)
        goto cleanup;
    list = virDomainCpulistFormat(cpumap, (size_t)maplen);
    if (!*list) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "Empty iothread cpumap list for pinning");
        goto cleanup;
    }
    if (c.live) {
        virDomainIOThreadDef *t = virDomainIOThreadFind(c.live, iothread_id);

        if (!t) {
            virReportError(VIR_ERR_INVALID_ARG, "iothread %d not found",
                           (int)iothread_id);
            goto cleanup;
        }
        /* the thread ids are learnt at start; after a daemon restart, now */
        if (t->tid <= 0 && qemuCgroupRefreshIOThreadTids(c.obj) < 0)
            goto cleanup;
        if (!(t = virDomainIOThreadFind(c.live, iothread_id)))
            goto cleanup;
        if (qemuCgroupPinIOThread(c.obj, t, list) < 0)
            goto cleanup;
        g_free(t->cpuset);
        t->cpuset = g_strdup(list);
        t->autofill = false;
        if (qemuDomainSaveStatus(c.driver, c.obj) < 0)
            goto cleanup;
        /* libvirt's TUNABLE event: cputune.iothreadpinN = the new list */
        {
            virTypedParameter p;

            memset(&p, 0, sizeof(p));
            g_snprintf(p.field, sizeof(p.field), "cputune.iothreadpin%u", iothread_id);
            p.type = VIR_TYPED_PARAM_STRING;
            p.value.s = list;
            event = virDomainEventTunableNew(VIR_DOMAIN_EVENT_OBJ(c.obj), &p, 1);
        }
    }
    if (c.persistent) {
        g_autoptr(virDomainDef) copy = virDomainDefCopy(c.persistent);
        virDomainIOThreadDef *t = virDomainIOThreadFind(copy, iothread_id);
        virDomainDef *ptr = copy;

        if (!t) {
            virReportError(VIR_ERR_INVALID_ARG, "iothreadid %d not found",
                           (int)iothread_id);
            goto cleanup;
        }
        g_free(t->cpuset);
        t->cpuset = g_strdup(list);
        t->autofill = false;
        if (qemuIOThreadCommitConfig(&c, &ptr) < 0)
            goto cleanup;
    }
    ret = 0;

cleanup:
    if (event)
        virObjectEventStateQueue(c.driver->events, event);
    qemuIOThreadEnd(&c);
    return ret;
}

/* ---- add and delete -------------------------------------------------------- */

/* Undo a failed add: object-del of @alias, the group gone; the first
 * error is kept. */
static void
qemuIOThreadUndoAdd(virDomainObj *obj, unsigned int id, const char *alias)
{
    virErrorPtr saved = NULL;

    qemuHotplugMonitorQuiet(obj, "object-del", alias);
    virErrorPreserveLast(&saved);
    qemuCgroupRemoveIOThread(obj, id);
    virErrorRestore(&saved);
}

/* object-add of IOThread @id in the running guest, then its thread into
 * place; the live definition gets it. Undone on failure. */
static int
qemuIOThreadHotplugAdd(virDomainObj *obj, unsigned int id)
{
    g_autofree char *alias = qemuIOThreadAlias(id);
    g_autoptr(json_object) props = json_object_new_object();
    g_autoptr(GArray) threads = NULL;
    const qemuIOThreadEntry *e;
    virDomainIOThreadDef *t;
    size_t want = obj->def->niothreads + 1;

    json_object_object_add(props, "qom-type", json_object_new_string("iothread"));
    json_object_object_add(props, "id", json_object_new_string(alias));
    if (qemuHotplugMonitor(obj, "object-add", props, NULL) < 0)
        return -1;
    if (!(threads = qemuIOThreadQuery(obj)))
        goto undo;
    if (threads->len != want) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "got wrong number of IOThread ids from QEMU monitor. got %u, "
                       "wanted %zu",
                       threads->len, want);
        goto undo;
    }
    if (!(e = qemuIOThreadEntryFind(threads, id))) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "cannot find new IOThread '%u' in QEMU monitor.", id);
        goto undo;
    }
    t = virDomainIOThreadAdd(obj->def, id);
    t->tid = e->tid;
    if (qemuCgroupSetupIOThread(obj, t) < 0) {
        virDomainIOThreadDel(obj->def, id);
        goto undo;
    }
    return 0;

undo:
    qemuIOThreadUndoAdd(obj, id, alias);
    return -1;
}

/* object-del of IOThread @id; the live definition and the cgroup lose it. */
static int
qemuIOThreadHotplugDel(virDomainObj *obj, unsigned int id)
{
    g_autofree char *alias = qemuIOThreadAlias(id);
    g_autoptr(json_object) args = json_object_new_object();
    g_autoptr(GArray) threads = NULL;
    size_t want = obj->def->niothreads - 1;

    json_object_object_add(args, "id", json_object_new_string(alias));
    if (qemuHotplugMonitor(obj, "object-del", args, NULL) < 0)
        return -1;
    if (!(threads = qemuIOThreadQuery(obj)))
        return -1;
    if (threads->len != want) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "got wrong number of IOThread ids from QEMU monitor. got %u, "
                       "wanted %zu",
                       threads->len, want);
        return -1;
    }
    virDomainIOThreadDel(obj->def, id);
    qemuCgroupRemoveIOThread(obj, id);
    return 0;
}

static int
qemuIOThreadAddDel(virDomainPtr dom, unsigned int iothread_id, unsigned int flags,
                   bool add)
{
    qemuIOThreadCall c;
    g_autoptr(virDomainDef) copy = NULL;
    int ret = -1;

    if (!qemuIOThreadIdValid(iothread_id))
        return -1;
    if (qemuIOThreadBegin(dom, flags, VIR_JOB_MODIFY, &c) < 0)
        goto cleanup;
    if (c.persistent) {
        copy = virDomainDefCopy(c.persistent);
        if (add) {
            if (virDomainIOThreadAddCheck(copy, iothread_id) < 0)
                goto cleanup;
            virDomainIOThreadAdd(copy, iothread_id);
        } else {
            if (virDomainIOThreadDelCheck(copy, iothread_id) < 0)
                goto cleanup;
            virDomainIOThreadDel(copy, iothread_id);
        }
    }
    if (c.live) {
        if (add) {
            if (virDomainIOThreadAddCheck(c.live, iothread_id) < 0 ||
                qemuIOThreadHotplugAdd(c.obj, iothread_id) < 0)
                goto cleanup;
        } else {
            if (virDomainIOThreadDelCheck(c.live, iothread_id) < 0 ||
                qemuIOThreadHotplugDel(c.obj, iothread_id) < 0)
                goto cleanup;
        }
        if (qemuDomainSaveStatus(c.driver, c.obj) < 0)
            goto cleanup;
    }
    if (qemuIOThreadCommitConfig(&c, &copy) < 0)
        goto cleanup;
    ret = 0;

cleanup:
    qemuIOThreadEnd(&c);
    return ret;
}

int
qemuDomainAddIOThread(virDomainPtr dom, unsigned int iothread_id, unsigned int flags)
{
    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    return qemuIOThreadAddDel(dom, iothread_id, flags, true);
}

int
qemuDomainDelIOThread(virDomainPtr dom, unsigned int iothread_id, unsigned int flags)
{
    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    return qemuIOThreadAddDel(dom, iothread_id, flags, false);
}

/* ---- parameters ------------------------------------------------------------ */

/* The values of a SetIOThreadParams call; set* tell which were given. */
typedef struct {
    bool setPollMaxNs, setPollGrow, setPollShrink, setPoolMin, setPoolMax;
    unsigned long long pollMaxNs;
    unsigned int pollGrow, pollShrink;
    int poolMin, poolMax;
} qemuIOThreadParams;

static const char *const qemuIOThreadParamNames[] = {
    VIR_DOMAIN_IOTHREAD_POLL_MAX_NS,     VIR_DOMAIN_IOTHREAD_POLL_GROW,
    VIR_DOMAIN_IOTHREAD_POLL_SHRINK,     VIR_DOMAIN_IOTHREAD_THREAD_POOL_MIN,
    VIR_DOMAIN_IOTHREAD_THREAD_POOL_MAX, NULL,
};
static const int qemuIOThreadParamTypes[] = {
    VIR_TYPED_PARAM_ULLONG, VIR_TYPED_PARAM_UINT, VIR_TYPED_PARAM_UINT,
    VIR_TYPED_PARAM_INT,    VIR_TYPED_PARAM_INT,
};

/* libvirt's qemuDomainIOThreadParseParams: names, types, ranges. */
static int
qemuIOThreadParseParams(virTypedParameterPtr params, int nparams, qemuIOThreadParams *p)
{
    memset(p, 0, sizeof(*p));
    if (virTypedParamsCheck(params, nparams, qemuIOThreadParamNames,
                            qemuIOThreadParamTypes) < 0)
        return -1;
    for (int i = 0; i < nparams; i++) {
        const char *f = params[i].field;

        if (strcmp(f, VIR_DOMAIN_IOTHREAD_POLL_MAX_NS) == 0) {
            p->setPollMaxNs = true;
            p->pollMaxNs = params[i].value.ul;
        } else if (strcmp(f, VIR_DOMAIN_IOTHREAD_POLL_GROW) == 0) {
            p->setPollGrow = true;
            p->pollGrow = params[i].value.ui;
        } else if (strcmp(f, VIR_DOMAIN_IOTHREAD_POLL_SHRINK) == 0) {
            p->setPollShrink = true;
            p->pollShrink = params[i].value.ui;
        } else if (strcmp(f, VIR_DOMAIN_IOTHREAD_THREAD_POOL_MIN) == 0) {
            p->setPoolMin = true;
            p->poolMin = params[i].value.i;
        } else {
            p->setPoolMax = true;
            p->poolMax = params[i].value.i;
        }
    }
    if (p->setPollMaxNs && p->pollMaxNs > INT_MAX) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "poll-max-ns (%llu) must be less than or equal to %d",
                       p->pollMaxNs, INT_MAX);
        return -1;
    }
    if (p->setPollGrow && p->pollGrow > INT_MAX) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "poll-grow (%u) must be less than or equal to %d", p->pollGrow,
                       INT_MAX);
        return -1;
    }
    if (p->setPollShrink && p->pollShrink > INT_MAX) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "poll-shrink (%u) must be less than or equal to %d", p->pollShrink,
                       INT_MAX);
        return -1;
    }
    if (p->setPoolMin && p->poolMin < -1) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "thread_pool_min (%d) must be equal to or greater than -1",
                       p->poolMin);
        return -1;
    }
    if (p->setPoolMax && (p->poolMax < -1 || p->poolMax == 0)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "thread_pool_max (%d) must be a positive number or -1",
                       p->poolMax);
        return -1;
    }
    return 0;
}

/* libvirt's qemuDomainIOThreadValidate: the pool bounds @t would end with. */
static int
qemuIOThreadValidate(const virDomainIOThreadDef *t, const qemuIOThreadParams *p,
                     bool live)
{
    int min = t->poolMin, max = t->poolMax;

    if (p->setPoolMin) {
        if (live && p->poolMin < 0) {
            virReportError(VIR_ERR_OPERATION_INVALID,
                           "thread_pool_min (%d) must be equal to or greater than 0 for "
                           "live change",
                           p->poolMin);
            return -1;
        }
        min = p->poolMin;
    }
    if (p->setPoolMax) {
        if (live && p->poolMax < 0) {
            virReportError(VIR_ERR_OPERATION_INVALID,
                           "thread_pool_max (%d) must be equal to or greater than 0 for "
                           "live change",
                           p->poolMax);
            return -1;
        }
        max = p->poolMax;
    }
    if (min > max) {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       "thread_pool_min (%d) can't be greater than thread_pool_max (%d)",
                       min, max);
        return -1;
    }
    return 0;
}

static int
qemuIOThreadQomSet(virDomainObj *obj, const char *path, const char *prop, long long value)
{
    g_autoptr(json_object) args = json_object_new_object();

    json_object_object_add(args, "path", json_object_new_string(path));
    json_object_object_add(args, "property", json_object_new_string(prop));
    json_object_object_add(args, "value", json_object_new_int64(value));
    return qemuHotplugMonitor(obj, "qom-set", args, NULL);
}

/* libvirt's qemuMonitorJSONSetIOThread: the polling values, then the pool
 * bounds (the maximum first when the new minimum is above QEMU's current
 * maximum). */
static int
qemuIOThreadSetLive(virDomainObj *obj, unsigned int id, const qemuIOThreadParams *p)
{
    g_autofree char *alias = qemuIOThreadAlias(id);
    g_autofree char *path = g_strdup_printf("/objects/%s", alias);
    bool maxFirst = false;

    if ((p->setPollMaxNs &&
         qemuIOThreadQomSet(obj, path, "poll-max-ns", (long long)p->pollMaxNs) < 0) ||
        (p->setPollGrow && qemuIOThreadQomSet(obj, path, "poll-grow", p->pollGrow) < 0) ||
        (p->setPollShrink &&
         qemuIOThreadQomSet(obj, path, "poll-shrink", p->pollShrink) < 0))
        return -1;
    if (p->setPoolMin && p->setPoolMax) {
        g_autoptr(json_object) args = json_object_new_object();
        g_autoptr(json_object) reply = NULL;

        json_object_object_add(args, "path", json_object_new_string(path));
        json_object_object_add(args, "property",
                               json_object_new_string("thread-pool-max"));
        if (qemuHotplugMonitor(obj, "qom-get", args, &reply) < 0)
            return -1;
        maxFirst = json_object_get_int64(reply) < p->poolMin;
    }
    if (maxFirst && qemuIOThreadQomSet(obj, path, "thread-pool-max", p->poolMax) < 0)
        return -1;
    if (p->setPoolMin && qemuIOThreadQomSet(obj, path, "thread-pool-min", p->poolMin) < 0)
        return -1;
    if (!maxFirst && p->setPoolMax &&
        qemuIOThreadQomSet(obj, path, "thread-pool-max", p->poolMax) < 0)
        return -1;
    return 0;
}

static void
qemuIOThreadSetPool(virDomainIOThreadDef *t, const qemuIOThreadParams *p)
{
    if (p->setPoolMin)
        t->poolMin = p->poolMin;
    if (p->setPoolMax)
        t->poolMax = p->poolMax;
}

int
qemuDomainSetIOThreadParams(virDomainPtr dom, unsigned int iothread_id,
                            virTypedParameterPtr params, int nparams, unsigned int flags)
{
    qemuIOThreadCall c = { 0 };
    qemuIOThreadParams p;
    g_autoptr(virDomainDef) copy = NULL;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (!qemuIOThreadIdValid(iothread_id))
        return -1;
    if (!(c.obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (qemuIOThreadParseParams(params, nparams, &p) < 0)
        goto cleanup;
    virDomainObjEndAPI(&c.obj);
    if (qemuIOThreadBegin(dom, flags, VIR_JOB_MODIFY, &c) < 0)
        goto cleanup;
    if (c.persistent) {
        virDomainIOThreadDef *t;

        copy = virDomainDefCopy(c.persistent);
        if (!(t = virDomainIOThreadFind(copy, iothread_id))) {
            virReportError(VIR_ERR_INVALID_ARG,
                           "cannot find IOThread '%u' in iothreadids", iothread_id);
            goto cleanup;
        }
        if (qemuIOThreadValidate(t, &p, false) < 0)
            goto cleanup;
        /* polling has no place in the definition (libvirt 9.0) */
        if (p.setPollMaxNs || p.setPollGrow || p.setPollShrink) {
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                           "configuring persistent polling values is not supported");
            goto cleanup;
        }
        qemuIOThreadSetPool(t, &p);
    }
    if (c.live) {
        virDomainIOThreadDef *t = virDomainIOThreadFind(c.live, iothread_id);

        if (!t) {
            virReportError(VIR_ERR_INVALID_ARG,
                           "cannot find IOThread '%u' in iothreadids", iothread_id);
            goto cleanup;
        }
        if (qemuIOThreadValidate(t, &p, true) < 0 ||
            qemuIOThreadSetLive(c.obj, iothread_id, &p) < 0)
            goto cleanup;
        if ((t = virDomainIOThreadFind(c.live, iothread_id)))
            qemuIOThreadSetPool(t, &p);
        if (qemuDomainSaveStatus(c.driver, c.obj) < 0)
            goto cleanup;
    }
    if (qemuIOThreadCommitConfig(&c, &copy) < 0)
        goto cleanup;
    ret = 0;

cleanup:
    qemuIOThreadEnd(&c);
    return ret;
}
