/* remote_dispatch_virtkit.c: VIRTKIT_PROGRAM: virtkit's own API (virtkit.h) served to libvirtkit's clients */

/*
 * Thread protocol: each call runs on a pool worker like any other
 * (vkdDispatchRun: decoding, the open connection and the read-only rule
 * are checked there from the description). DOMAIN_STOP may take as long as
 * its deadline: it is never a priority procedure. Its progress callback
 * runs on that worker and sends MESSAGEs to the calling client only
 * (virNetServerClientSendEvent never blocks); the client holds a
 * reference on its virNetServerClient for the whole call.
 */
#define G_LOG_DOMAIN "virtkitd.dispatch.virtkit"
#include <string.h>

#include <virtkit/virtkit.h>

#include "daemon_journal.h"
#include "driver.h"
#include "remote_dispatch_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

typedef struct {
    virNetServerClient *client;
    uint32_t id;
} vkdStopProgressCtx;

static void
vkdStopProgressSend(virDomainPtr dom, const vkStopProgress *p, void *opaque)
{
    vkdStopProgressCtx *ctx = opaque;
    virtkit_domain_stop_progress_msg m = {
        .progress_id = ctx->id,
        .step = p->step,
        .attempt = p->attempt,
        .elapsed_ms = p->elapsed_ms,
        .deadline_ms = p->deadline_ms,
        .what = (char *)(p->what ? p->what : ""),
    };

    m.dom.name = (char *)virDomainGetName(dom);
    virDomainGetUUID(dom, m.dom.uuid);
    m.dom.id = (int32_t)virDomainGetID(dom);
    virNetServerClientSendEvent(ctx->client, VIRTKIT_PROGRAM,
                                VIRTKIT_PROC_DOMAIN_STOP_PROGRESS,
                                virtkit_domain_stop_progress_msg_filter, &m);
}

static VKD_HANDLER(vkdDispatchVkDomainStop)
{
    virtkit_domain_stop_args *a = args;
    virtkit_domain_stop_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    vkdStopProgressCtx ctx = { .client = call->client, .id = a->progress_id };
    vkStopReport rep;
    virErrorPtr err;
    int rc;

    if (!dom)
        return -1;
    rc = vkDomainStopWithProgress(dom, a->deadline_ms, a->policy, &rep,
                                  a->progress_id ? vkdStopProgressSend : NULL, &ctx);
    /* refused before the ladder began: a plain error */
    if (rc < 0 && rep.deadline_ms == 0)
        return -1;

    r->report.ended_by = rep.ended_by;
    r->report.flushed = rep.flushed;
    r->report.total_ms = rep.total_ms;
    r->report.deadline_ms = rep.deadline_ms;
    r->report.steps_len = VK_STOP_STEP_LAST;
    r->report.steps_val = g_new0(virtkit_stop_step, VK_STOP_STEP_LAST);
    for (int i = 0; i < VK_STOP_STEP_LAST; i++) {
        r->report.steps_val[i].outcome = rep.steps[i].outcome;
        r->report.steps_val[i].elapsed_ms = rep.steps[i].elapsed_ms;
        r->report.steps_val[i].attempts = rep.steps[i].attempts;
        r->report.steps_val[i].reason = g_strdup(rep.steps[i].reason);
    }
    if (rc < 0 && (err = virGetLastError())) {
        /* the ladder ran and the guest survived: the report goes with the error */
        r->err_code = err->code;
        r->err_domain = err->domain;
        r->err_message = g_strdup(err->message ? err->message : "unknown error");
        virResetLastError();
    }
    return 0;
}

/* A snapshot of every domain, network and storage pool of @conn as of
 * seq *@at: listed until no event was numbered while listing (a few tries;
 * then as of the last list's start: the events after it may repeat what
 * it shows). NULL with an error reported. */
static GPtrArray *
vkdJournalTakeSnapshot(virConnectPtr conn, guint64 *at)
{
    for (int attempt = 0;; attempt++) {
        g_autoptr(GPtrArray) recs = g_ptr_array_new_with_free_func(vkdJournalRecordFree);
        virDomainPtr *doms = NULL;
        virNetworkPtr *nets = NULL;
        virStoragePoolPtr *pools = NULL;
        guint64 before = vkdJournalHead();
        int nd, nn = 0, np = 0;
        bool ok = true;

        if ((nd = virConnectListAllDomains(conn, &doms, 0)) < 0)
            return NULL;
        for (int i = 0; i < nd; i++) {
            unsigned char uuid[VIR_UUID_BUFLEN];
            int state = 0, reason = 0;
            int id = (int)virDomainGetID(doms[i]); /* -1 when inactive */

            /* a domain undefined meanwhile: its event comes after */
            if (virDomainGetState(doms[i], &state, &reason, 0) < 0 ||
                virDomainGetUUID(doms[i], uuid) < 0) {
                virResetLastError();
                continue;
            }
            g_ptr_array_add(recs, vkdJournalSnapshotRecord(
                                      VK_EVENT_KIND_DOMAIN, virDomainGetName(doms[i]),
                                      uuid, id, state, reason, before));
        }
        /* a connection without a network or storage driver has none */
        if (conn->networkDriver && conn->networkDriver->connectListAllNetworks &&
            (nn = virConnectListAllNetworks(conn, &nets, 0)) < 0)
            ok = false;
        for (int i = 0; ok && i < nn; i++) {
            unsigned char uuid[VIR_UUID_BUFLEN];
            int active = virNetworkIsActive(nets[i]);
            int persistent = virNetworkIsPersistent(nets[i]);

            if (active < 0 || persistent < 0 || virNetworkGetUUID(nets[i], uuid) < 0) {
                virResetLastError();
                continue;
            }
            g_ptr_array_add(recs, vkdJournalSnapshotRecord(
                                      VK_EVENT_KIND_NETWORK, virNetworkGetName(nets[i]),
                                      uuid, -1, active, persistent, before));
        }
        if (ok && conn->storageDriver &&
            conn->storageDriver->connectListAllStoragePools &&
            (np = virConnectListAllStoragePools(conn, &pools, 0)) < 0)
            ok = false;
        for (int i = 0; ok && i < np; i++) {
            unsigned char uuid[VIR_UUID_BUFLEN];
            int active = virStoragePoolIsActive(pools[i]);
            int persistent = virStoragePoolIsPersistent(pools[i]);

            if (active < 0 || persistent < 0 ||
                virStoragePoolGetUUID(pools[i], uuid) < 0) {
                virResetLastError();
                continue;
            }
            g_ptr_array_add(
                recs, vkdJournalSnapshotRecord(VK_EVENT_KIND_STORAGE_POOL,
                                               virStoragePoolGetName(pools[i]), uuid, -1,
                                               active, persistent, before));
        }
        for (int i = 0; i < nd; i++)
            virDomainFree(doms[i]);
        for (int i = 0; i < nn; i++)
            virNetworkFree(nets[i]);
        for (int i = 0; i < np; i++)
            virStoragePoolFree(pools[i]);
        g_free(doms);
        g_free(nets);
        g_free(pools);
        if (!ok)
            return NULL;
        if (vkdJournalHead() == before || attempt == 9) {
            *at = before;
            return g_steal_pointer(&recs);
        }
    }
}

/* The journal (daemon_journal.c) holds the QEMU driver's domains and the
 * networks and pools: a connection to another driver (test:///default)
 * has none to offer. */
static VKD_HANDLER(vkdDispatchVkEventSubscribe)
{
    virtkit_connect_event_subscribe_args *a = args;
    virtkit_connect_event_subscribe_ret *r = ret;
    const unsigned int known = VK_EVENT_SUBSCRIBE_GAP_OK | VK_EVENT_SUBSCRIBE_SNAPSHOT;
    g_autoptr(GPtrArray) snapshot = NULL;
    guint64 since = a->since;
    guint64 epoch, first, head;

    if (!call->conn->driver || g_strcmp0(call->conn->driver->name, "QEMU") != 0) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_NO_SUPPORT, NULL, "%s",
                           "vkConnectEventSubscribe");
        return -1;
    }
    if (a->flags & ~known) {
        virReportError(VIR_ERR_INVALID_ARG, "unsupported flags (0x%x)",
                       a->flags & ~known);
        return -1;
    }
    if (a->flags & VK_EVENT_SUBSCRIBE_SNAPSHOT) {
        if (since != VIRTKIT_EVENT_SINCE_NOW) {
            virReportError(VIR_ERR_INVALID_ARG, "%s",
                           "a snapshot subscription starts at the journal's newest "
                           "event: since must be VK_EVENT_SINCE_NOW");
            return -1;
        }
        if (!(snapshot = vkdJournalTakeSnapshot(call->conn, &since)))
            return -1;
    }
    /* a snapshot stands in this epoch, whatever the client names */
    if (vkdJournalSubscribe(call->client, a->callback_id, snapshot ? 0 : a->epoch, since,
                            a->flags & VK_EVENT_SUBSCRIBE_GAP_OK, snapshot, &epoch,
                            &first, &head) < 0)
        return -1;
    r->callback_id = a->callback_id;
    r->epoch = epoch;
    r->first_seq = first;
    r->head_seq = head;
    return 0;
}

static VKD_HANDLER(vkdDispatchVkEventUnsubscribe)
{
    virtkit_connect_event_unsubscribe_args *a = args;

    return vkdJournalUnsubscribe(call->client, a->callback_id);
}

vkdHandler
vkdDispatchVirtkitLookup(int proc)
{
    switch (proc) {
    case VIRTKIT_PROC_DOMAIN_STOP:
        return vkdDispatchVkDomainStop;
    case VIRTKIT_PROC_CONNECT_EVENT_SUBSCRIBE:
        return vkdDispatchVkEventSubscribe;
    case VIRTKIT_PROC_CONNECT_EVENT_UNSUBSCRIBE:
        return vkdDispatchVkEventUnsubscribe;
    default:
        return NULL;
    }
}
