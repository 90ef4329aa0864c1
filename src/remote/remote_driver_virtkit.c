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

/* A MESSAGE of virtkit's program (I/O thread); @msg stays the caller's. */
void
remoteVirtkitEvent(remotePrivate *priv, virNetMessage *msg)
{
    const remoteProcedure *p = virtkitProcedureLookup(msg->header.proc);
    virtkit_domain_stop_progress_msg m = { 0 };
    remoteStopProgress *entry = NULL;
    const char *why = NULL;

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
