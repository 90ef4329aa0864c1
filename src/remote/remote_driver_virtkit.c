/* remote_driver_virtkit.c: virtkit's own API (virtkit.h) over virtkit's RPC program */

/*
 * Thread protocol: vkDomainStop is one blocking call on the API thread.
 * Its progress MESSAGEs arrive on the connection's I/O thread
 * (remoteVirtkitEvent), which looks the caller's callback up by the
 * progress id the call sent and runs it there. remoteStopProgressLock
 * guards the table; it is not held while a callback runs: an entry is
 * referenced instead, and the caller removes its entry and waits for no
 * callback still running on it before returning.
 */
#define G_LOG_DOMAIN "virtkit.remote.virtkit"
#include <string.h>

#include "remote_driver_priv.h"
#include "virerror.h"
#include "virevent.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

typedef struct {
    virConnectPtr conn; /* the caller's: alive while it waits */
    vkStopProgressFunc progress;
    void *opaque;
    int running; /* callbacks running now (under the lock) */
} remoteStopProgress;

static GMutex remoteStopProgressLock;
static GCond remoteStopProgressCond;
static GHashTable *remoteStopProgressTable; /* id -> remoteStopProgress * */
static guint remoteStopProgressNext;

static guint
remoteStopProgressAdd(remoteStopProgress *p)
{
    guint id;

    g_mutex_lock(&remoteStopProgressLock);
    if (!remoteStopProgressTable)
        remoteStopProgressTable = g_hash_table_new(NULL, NULL);
    do {
        id = ++remoteStopProgressNext;
    } while (id == 0 ||
             g_hash_table_contains(remoteStopProgressTable, GUINT_TO_POINTER(id)));
    g_hash_table_insert(remoteStopProgressTable, GUINT_TO_POINTER(id), p);
    g_mutex_unlock(&remoteStopProgressLock);
    return id;
}

static void
remoteStopProgressRemove(guint id, remoteStopProgress *p)
{
    g_mutex_lock(&remoteStopProgressLock);
    g_hash_table_remove(remoteStopProgressTable, GUINT_TO_POINTER(id));
    while (p->running > 0)
        g_cond_wait(&remoteStopProgressCond, &remoteStopProgressLock);
    g_mutex_unlock(&remoteStopProgressLock);
}

static void remoteVirtkitEventRecord(remotePrivate *priv, virNetMessage *msg,
                                     const remoteProcedure *p);

/* A MESSAGE of virtkit's program (I/O thread); @msg stays the caller's. */
void
remoteVirtkitEvent(remotePrivate *priv, virNetMessage *msg)
{
    const remoteProcedure *p = virtkitProcedureLookup(msg->header.proc);
    virtkit_domain_stop_progress_msg m = { 0 };
    remoteStopProgress *entry = NULL;
    const char *why = NULL;

    if (p && (p->flags & REMOTE_PROC_EVENT) && msg->header.proc == VIRTKIT_PROC_EVENT) {
        remoteVirtkitEventRecord(priv, msg, p);
        return;
    }

    if (!p || !(p->flags & REMOTE_PROC_EVENT) ||
        msg->header.proc != VIRTKIT_PROC_DOMAIN_STOP_PROGRESS ||
        !virNetMessageDecodePayload(msg, p->argsFilter, &m, &why)) {
        g_debug("ignoring virtkit MESSAGE proc %d", msg->header.proc);
        return;
    }
    g_mutex_lock(&remoteStopProgressLock);
    if (remoteStopProgressTable &&
        (entry = g_hash_table_lookup(remoteStopProgressTable,
                                     GUINT_TO_POINTER(m.progress_id))) &&
        entry->conn == priv->conn)
        entry->running++;
    else
        entry = NULL;
    g_mutex_unlock(&remoteStopProgressLock);

    if (entry) {
        virDomainPtr dom = remoteGetDomain(entry->conn, &m.dom);
        vkStopProgress pr = {
            .step = m.step,
            .elapsed_ms = m.elapsed_ms,
            .attempt = m.attempt,
            .deadline_ms = m.deadline_ms,
            .what = m.what,
        };

        if (dom) {
            entry->progress(dom, &pr, entry->opaque);
            virObjectUnrefDomain(dom);
        }
        g_mutex_lock(&remoteStopProgressLock);
        entry->running--;
        g_cond_broadcast(&remoteStopProgressCond);
        g_mutex_unlock(&remoteStopProgressLock);
    }
    virXdrFree(p->argsFilter, &m);
}

/* libvirtd (or an older virtkitd) does not know the program: the call is
 * not supported there. */
static void
remoteVirtkitMapUnknownProgram(const char *api)
{
    virErrorPtr err = virGetLastError();

    if (err && err->code == VIR_ERR_RPC && err->message &&
        strstr(err->message, "Cannot find program")) {
        virResetLastError();
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_NO_SUPPORT, NULL, "%s", api);
    }
}

int
remoteVkDomainStop(virDomainPtr dom, unsigned int deadlineMs, unsigned int policy,
                   vkStopReport *report, vkStopProgressFunc progress, void *opaque)
{
    virtkit_domain_stop_args args = { .deadline_ms = deadlineMs, .policy = policy };
    virtkit_domain_stop_ret ret = { { 0 } };
    remoteStopProgress entry = { .conn = dom->conn,
                                 .progress = progress,
                                 .opaque = opaque };
    const remoteProcedure *p = virtkitProcedureLookup(VIRTKIT_PROC_DOMAIN_STOP);
    int rc;

    remoteMakeDomain(&args.dom, dom);
    if (progress)
        args.progress_id = remoteStopProgressAdd(&entry);
    rc = virtkitCallDomainStop(dom->conn, &args, &ret);
    if (progress)
        remoteStopProgressRemove(args.progress_id, &entry);
    if (rc < 0) {
        remoteVirtkitMapUnknownProgram("vkDomainStopWithProgress");
        return -1;
    }

    report->ended_by = ret.report.ended_by;
    report->flushed = ret.report.flushed;
    report->total_ms = ret.report.total_ms;
    report->deadline_ms = ret.report.deadline_ms;
    for (uint32_t i = 0; i < ret.report.steps_len && i < VK_STOP_STEP_LAST; i++) {
        const virtkit_stop_step *s = &ret.report.steps_val[i];

        report->steps[i].outcome = s->outcome;
        report->steps[i].elapsed_ms = s->elapsed_ms;
        report->steps[i].attempts = s->attempts;
        g_strlcpy(report->steps[i].reason, s->reason ? s->reason : "",
                  sizeof(report->steps[i].reason));
    }
    rc = 0;
    if (ret.err_code != 0) {
        /* the ladder ran and failed: the daemon's error, as it raised it */
        virSetErrorRaw(ret.err_domain, ret.err_code, VIR_ERR_ERROR,
                       ret.err_message ? ret.err_message : "unknown error", NULL, NULL,
                       NULL, 0, 0);
        rc = -1;
    }
    virXdrFree(p->retFilter, &ret);
    return rc;
}

/* ---- resumable events (vkConnectEventSubscribe) ----------------------------- */

/*
 * Thread protocol: EVENT messages arrive on the connection's I/O thread
 * (remoteVirtkitEvent), which only decodes them and queues them with a
 * reference on their subscription; a timer of the application's event loop
 * (as domain_event.c's) delivers them in arrival order, unlocked, dropping
 * any seq already delivered to that subscription (a resubscription that
 * overlaps). remoteEventLock guards the subscription list, the queue and
 * the timer. The subscription's number is chosen here before the call, so
 * that the replay the daemon sends before its reply finds it.
 */
typedef struct {
    gint refs;
    int id;
    virConnectPtr conn; /* referenced until unsubscribed */
    remotePrivate *priv;
    vkEventFunc cb;
    void *opaque;
    virFreeCallback freecb;
    guint64 epoch; /* of the last event delivered */
    guint64 lastSeq;
    bool deleted;
} remoteEventSub;

typedef struct {
    remoteEventSub *sub; /* a reference */
    virtkit_event_msg msg;
} remoteEventItem;

static GMutex remoteEventLock;
static GPtrArray *remoteEventSubs; /* remoteEventSub * */
static GQueue remoteEventQueue = G_QUEUE_INIT;
static int remoteEventTimer = -1;
static int remoteEventNextID;

static void
remoteEventSubUnref(remoteEventSub *sub)
{
    if (!sub || !g_atomic_int_dec_and_test(&sub->refs))
        return;
    if (sub->freecb)
        sub->freecb(sub->opaque);
    virObjectUnrefConnect(sub->conn);
    g_free(sub);
}

static void
remoteEventItemFree(remoteEventItem *item)
{
    virXdrFree(virtkit_event_msg_filter, &item->msg);
    remoteEventSubUnref(item->sub);
    g_free(item);
}

static void
remoteEventDeliver(remoteEventItem *item)
{
    remoteEventSub *sub = item->sub;
    const virtkit_event_record *r = &item->msg.rec;
    vkEvent ev = { 0 };
    virDomainPtr dom = NULL;
    bool gap = r->event_id == VK_EVENT_ID_GAP;
    /* journaled records (a crash gap too) carry a seq; a gap for lost
     * events and a snapshot event do not */
    bool numbered = r->seq > 0;

    if (sub->deleted)
        return;
    if (numbered && item->msg.epoch == sub->epoch && r->seq <= sub->lastSeq) {
        g_debug("event seq %llu already delivered to subscription %d",
                (unsigned long long)r->seq, sub->id);
        return;
    }
    ev.seq = r->seq;
    ev.epoch = item->msg.epoch;
    ev.time_us = r->time_us;
    ev.requestor = r->requestor;
    ev.kind = r->kind;
    ev.event_id = r->event_id;
    ev.name = r->obj.name;
    ev.uuid = r->obj.uuid;
    for (uint32_t i = 0; i < r->num_len && i < G_N_ELEMENTS(ev.num); i++)
        ev.num[i] = r->num_val[i];
    for (uint32_t i = 0; i < r->big_len && i < G_N_ELEMENTS(ev.big); i++)
        ev.big[i] = r->big_val[i];
    for (uint32_t i = 0; i < r->str_len && i < G_N_ELEMENTS(ev.str); i++)
        ev.str[i] = r->str_val[i];
    if (!gap && r->kind == VK_EVENT_KIND_DOMAIN)
        dom = ev.dom = remoteGetDomain(sub->conn, &r->obj);
    if (numbered) {
        sub->epoch = ev.epoch;
        sub->lastSeq = ev.seq;
    }
    sub->cb(sub->conn, &ev, sub->opaque);
    if (dom)
        virObjectUnrefDomain(dom);
}

static void
remoteEventTimerFired(int timer, void *opaque)
{
    GQueue items = G_QUEUE_INIT;
    remoteEventItem *item;

    g_mutex_lock(&remoteEventLock);
    items = remoteEventQueue;
    g_queue_init(&remoteEventQueue);
    if (remoteEventTimer >= 0)
        virEventUpdateTimeout(remoteEventTimer, -1);
    g_mutex_unlock(&remoteEventLock);
    while ((item = g_queue_pop_head(&items))) {
        remoteEventDeliver(item);
        remoteEventItemFree(item);
    }
}

/* An EVENT message (I/O thread). */
static void
remoteVirtkitEventRecord(remotePrivate *priv, virNetMessage *msg,
                         const remoteProcedure *p)
{
    remoteEventItem *item = g_new0(remoteEventItem, 1);
    const char *why = NULL;

    if (!virNetMessageDecodePayload(msg, p->argsFilter, &item->msg, &why)) {
        g_debug("dropping a journal event: %s", why ? why : "undecodable");
        virXdrFree(p->argsFilter, &item->msg);
        g_free(item);
        return;
    }
    g_mutex_lock(&remoteEventLock);
    for (guint i = 0; remoteEventSubs && i < remoteEventSubs->len; i++) {
        remoteEventSub *sub = g_ptr_array_index(remoteEventSubs, i);

        if (sub->priv == priv && sub->id == item->msg.callback_id) {
            g_atomic_int_inc(&sub->refs);
            item->sub = sub;
            break;
        }
    }
    if (item->sub) {
        g_queue_push_tail(&remoteEventQueue, item);
        if (remoteEventTimer >= 0)
            virEventUpdateTimeout(remoteEventTimer, 0);
        item = NULL;
    }
    g_mutex_unlock(&remoteEventLock);
    if (item) {
        g_debug("journal event for unknown subscription %d", item->msg.callback_id);
        virXdrFree(p->argsFilter, &item->msg);
        g_free(item);
    }
}

static remoteEventSub *
remoteEventSubTake(virConnectPtr conn, int id)
{
    remoteEventSub *sub = NULL;

    g_mutex_lock(&remoteEventLock);
    for (guint i = 0; remoteEventSubs && i < remoteEventSubs->len; i++) {
        remoteEventSub *s = g_ptr_array_index(remoteEventSubs, i);

        if (s->conn == conn && s->id == id) {
            sub = s;
            sub->deleted = true;
            g_ptr_array_remove_index(remoteEventSubs, i);
            break;
        }
    }
    g_mutex_unlock(&remoteEventLock);
    return sub;
}

int
remoteVkConnectEventSubscribe(virConnectPtr conn, unsigned long long epoch,
                              unsigned long long since, unsigned int flags,
                              vkEventFunc cb, void *opaque, virFreeCallback freecb)
{
    virtkit_connect_event_subscribe_args args = {
        .epoch = epoch,
        .since = since,
        .flags = flags,
    };
    virtkit_connect_event_subscribe_ret ret = { 0 };
    remoteEventSub *sub;

    g_mutex_lock(&remoteEventLock);
    if (remoteEventTimer < 0) {
        remoteEventTimer = virEventAddTimeout(-1, remoteEventTimerFired, NULL, NULL);
        if (remoteEventTimer < 0) {
            g_mutex_unlock(&remoteEventLock);
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "could not initialize domain event timer");
            return -1;
        }
    }
    if (!remoteEventSubs)
        remoteEventSubs = g_ptr_array_new();
    sub = g_new0(remoteEventSub, 1);
    sub->refs = 1;
    sub->id = ++remoteEventNextID;
    sub->conn = conn;
    virObjectRefConnect(conn);
    sub->priv = remotePriv(conn);
    sub->cb = cb;
    sub->opaque = opaque;
    sub->freecb = freecb;
    g_ptr_array_add(remoteEventSubs, sub);
    args.callback_id = sub->id;
    g_mutex_unlock(&remoteEventLock);

    if (virtkitCallConnectEventSubscribe(conn, &args, &ret) < 0) {
        virErrorPtr saved = NULL;

        remoteVirtkitMapUnknownProgram("vkConnectEventSubscribe");
        virErrorPreserveLast(&saved);
        remoteEventSubTake(conn, sub->id);
        /* on failure the caller keeps @opaque (libvirt's contract) */
        sub->freecb = NULL;
        remoteEventSubUnref(sub);
        virErrorRestore(&saved);
        return -1;
    }
    return sub->id;
}

int
remoteVkConnectEventUnsubscribe(virConnectPtr conn, int callbackID)
{
    virtkit_connect_event_unsubscribe_args args = { .callback_id = callbackID };
    remoteEventSub *sub = remoteEventSubTake(conn, callbackID);
    int rc = 0;

    if (!sub) {
        virReportError(VIR_ERR_INVALID_ARG, "no event subscription %d", callbackID);
        return -1;
    }
    /* a connection already lost has nothing left to unsubscribe */
    if (virNetClientIsOpen(sub->priv->client) &&
        virtkitCallConnectEventUnsubscribe(conn, &args) < 0)
        rc = -1;
    remoteEventSubUnref(sub);
    return rc;
}
