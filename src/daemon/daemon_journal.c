/* daemon_journal.c: virtkitd's event journal: every event numbered, kept on disk, replayed to subscribers */
/*
 * Threads and locks. vkdJournalHook runs on whatever thread queues an event
 * (a QMP monitor thread, a worker, the main thread during startup) with
 * that driver state's lock held; it takes vkdJournal.lock, numbers the
 * event, appends it (memory and file: one write(2), no fsync) and sends it
 * to the live subscriptions (virNetServerClientSendEvent queues, never
 * blocks). Subscribe/unsubscribe run on workers and take the same lock, so
 * a subscription's replay and its live events never interleave or repeat.
 * Lock order: a driver state's lock, then vkdJournal.lock, then a client's
 * own lock inside SendEvent. The sync thread takes vkdJournal.lock only to
 * read the descriptor and the dirty flag; fdatasync runs unlocked on a
 * dup of the descriptor.
 *
 * File (<stateDir>/events/journal): "VKJOURN1", the epoch (8 bytes, big
 * endian), then records: length (4 bytes BE), FNV-1a checksum of the
 * bytes (4 bytes BE), the XDR encoding of a virtkit_event_record. It is
 * rewritten (temporary file, fsync, rename) with only the kept records
 * once it holds twice as many as are kept.
 */
#define G_LOG_DOMAIN "virtkitd.journal"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "daemon_journal.h"
#include "domain_event.h"
#include "object_event.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

#define VKD_JOURNAL_MAGIC "VKJOURN1"
#define VKD_JOURNAL_HEADER 16
#define VKD_JOURNAL_RECORD_MAX (64 * 1024)

typedef struct {
    virNetServerClient *client; /* a reference */
    int callbackID;
} vkdJournalSub;

static struct {
    GMutex lock;
    bool up;
    guint64 epoch;
    guint64 nextSeq;
    GQueue records; /* virtkit_event_record *, oldest first */
    guint maxEvents;
    int fd;
    char *dir;
    char *path;
    guint fileRecords;
    bool dirty;
    GPtrArray *subs; /* vkdJournalSub * */
    GThread *syncThread;
    GCond syncCond;
    bool quit;
    guint syncMs;
    /* its own cost, told at shutdown (make bench reads it): CPU time of
     * the hook on the queueing threads and of the sync thread, in ns */
    guint64 events;
    guint64 hookCpuNs;
    guint64 syncCpuNs;
} vkdJournal = { .fd = -1 };

static guint64
vkdJournalThreadCpuNs(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) < 0)
        return 0;
    return (guint64)ts.tv_sec * 1000000000u + (guint64)ts.tv_nsec;
}

static guint32
vkdJournalChecksum(const guint8 *p, size_t n)
{
    guint32 h = 2166136261u;

    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    return h;
}

static void
vkdJournalRecordFree(gpointer p)
{
    if (!p)
        return;
    virXdrFree(virtkit_event_record_filter, p);
    g_free(p);
}

static guint64
vkdJournalFirstSeq(void)
{
    virtkit_event_record *r = g_queue_peek_head(&vkdJournal.records);

    return r ? r->seq : vkdJournal.nextSeq;
}

/* The XDR bytes of @rec, framed (length, checksum). NULL if too large. */
static guint8 *
vkdJournalFrame(virtkit_event_record *rec, size_t *len)
{
    virXdr x;
    g_autofree guint8 *body = NULL;
    size_t n = 0;
    guint8 *out;
    guint32 be;

    virXdrInitEncode(&x, VKD_JOURNAL_RECORD_MAX);
    if (!virtkit_event_record_filter(&x, rec)) {
        virXdrClear(&x);
        return NULL;
    }
    body = virXdrSteal(&x, &n);
    virXdrClear(&x);
    out = g_malloc(8 + n);
    be = GUINT32_TO_BE((guint32)n);
    memcpy(out, &be, 4);
    be = GUINT32_TO_BE(vkdJournalChecksum(body, n));
    memcpy(out + 4, &be, 4);
    memcpy(out + 8, body, n);
    *len = 8 + n;
    return out;
}

static int
vkdJournalWriteAll(int fd, const guint8 *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int
vkdJournalWriteHeader(int fd, guint64 epoch)
{
    guint8 h[VKD_JOURNAL_HEADER];
    guint64 be = GUINT64_TO_BE(epoch);

    memcpy(h, VKD_JOURNAL_MAGIC, 8);
    memcpy(h + 8, &be, 8);
    return vkdJournalWriteAll(fd, h, sizeof(h));
}

/* Rewrite the file with the kept records only. Lock held. */
static void
vkdJournalCompact(void)
{
    g_autofree char *tmp = g_strdup_printf("%s.new", vkdJournal.path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    guint n = 0;

    if (fd < 0 || vkdJournalWriteHeader(fd, vkdJournal.epoch) < 0)
        goto fail;
    for (GList *l = vkdJournal.records.head; l; l = l->next) {
        size_t len;
        g_autofree guint8 *frame = vkdJournalFrame(l->data, &len);

        if (frame && vkdJournalWriteAll(fd, frame, len) < 0)
            goto fail;
        n++;
    }
    if (fsync(fd) < 0 || rename(tmp, vkdJournal.path) < 0)
        goto fail;
    if (vkdJournal.fd >= 0)
        close(vkdJournal.fd);
    vkdJournal.fd = fd;
    lseek(fd, 0, SEEK_END);
    vkdJournal.fileRecords = n;
    return;

fail:
    g_warning("cannot rewrite the event journal '%s': %s", vkdJournal.path,
              g_strerror(errno));
    if (fd >= 0)
        close(fd);
    unlink(tmp);
}

static void
vkdJournalSend(vkdJournalSub *sub, virtkit_event_record *rec)
{
    virtkit_event_msg m = { .callback_id = sub->callbackID, .epoch = vkdJournal.epoch };

    m.rec = *rec; /* borrowed */
    virNetServerClientSendEvent(sub->client, VIRTKIT_PROGRAM, VIRTKIT_PROC_EVENT,
                                virtkit_event_msg_filter, &m);
}

/* Keep @rec (owned): memory, file, live subscribers. Lock held. */
static void
vkdJournalAppend(virtkit_event_record *rec)
{
    size_t len;
    g_autofree guint8 *frame = vkdJournalFrame(rec, &len);

    g_queue_push_tail(&vkdJournal.records, rec);
    while (vkdJournal.records.length > vkdJournal.maxEvents)
        vkdJournalRecordFree(g_queue_pop_head(&vkdJournal.records));

    if (vkdJournal.fd >= 0 && frame) {
        if (vkdJournalWriteAll(vkdJournal.fd, frame, len) < 0)
            g_warning("cannot append to the event journal: %s", g_strerror(errno));
        vkdJournal.fileRecords++;
        vkdJournal.dirty = true;
        if (vkdJournal.fileRecords >= 2 * vkdJournal.maxEvents)
            vkdJournalCompact();
    }
    for (guint i = 0; i < vkdJournal.subs->len; i++)
        vkdJournalSend(g_ptr_array_index(vkdJournal.subs, i), rec);
}

static virtkit_event_record *
vkdJournalRecordNew(int kind, int eventID, const char *requestor)
{
    virtkit_event_record *rec = g_new0(virtkit_event_record, 1);

    rec->seq = vkdJournal.nextSeq++;
    rec->time_us = g_get_real_time();
    rec->requestor = g_strdup(requestor);
    rec->kind = kind;
    rec->event_id = eventID;
    rec->num_len = VIR_OBJECT_EVENT_RECORD_NUMS;
    rec->num_val = g_new0(int32_t, VIR_OBJECT_EVENT_RECORD_NUMS);
    rec->big_len = VIR_OBJECT_EVENT_RECORD_BIGS;
    rec->big_val = g_new0(uint64_t, VIR_OBJECT_EVENT_RECORD_BIGS);
    rec->str_len = VIR_OBJECT_EVENT_RECORD_STRS;
    rec->str_val = g_new0(remote_string, VIR_OBJECT_EVENT_RECORD_STRS);
    return rec;
}

/* Who caused an event queued without a requestor set. */
static const char *
vkdJournalDefaultRequestor(const virObjectEventRecord *r)
{
    if (r->kind == VIR_EVENT_KIND_DOMAIN && r->eventID == VIR_DOMAIN_EVENT_ID_LIFECYCLE &&
        ((r->num[0] == VIR_DOMAIN_EVENT_STOPPED &&
          (r->num[1] == VIR_DOMAIN_EVENT_STOPPED_FAILED ||
           r->num[1] == VIR_DOMAIN_EVENT_STOPPED_CRASHED)) ||
         r->num[0] == VIR_DOMAIN_EVENT_CRASHED))
        return "crash";
    return "host";
}

static void
vkdJournalHook(const virObjectEvent *event, void *opaque)
{
    virObjectEventRecord r;
    virtkit_event_record *rec;
    const char *who = virObjectEventGetRequestor();
    guint64 cpu0 = vkdJournalThreadCpuNs();

    virObjectEventGetRecord(event, &r);
    g_mutex_lock(&vkdJournal.lock);
    if (!vkdJournal.up) {
        g_mutex_unlock(&vkdJournal.lock);
        return;
    }
    rec = vkdJournalRecordNew(r.kind, r.eventID,
                              who ? who : vkdJournalDefaultRequestor(&r));
    rec->obj.name = g_strdup(r.name ? r.name : "");
    memcpy(rec->obj.uuid, r.uuid, VIR_UUID_BUFLEN);
    rec->obj.id = r.kind == VIR_EVENT_KIND_DOMAIN ? r.id : -1;
    for (int i = 0; i < VIR_OBJECT_EVENT_RECORD_NUMS; i++)
        rec->num_val[i] = r.num[i];
    for (int i = 0; i < VIR_OBJECT_EVENT_RECORD_BIGS; i++)
        rec->big_val[i] = r.big[i];
    for (int i = 0; i < VIR_OBJECT_EVENT_RECORD_STRS; i++)
        rec->str_val[i] = g_strdup(r.str[i]);
    vkdJournalAppend(rec);
    vkdJournal.events++;
    vkdJournal.hookCpuNs += vkdJournalThreadCpuNs() - cpu0;
    g_mutex_unlock(&vkdJournal.lock);
}

static gpointer
vkdJournalSyncThread(gpointer opaque)
{
    g_mutex_lock(&vkdJournal.lock);
    while (!vkdJournal.quit) {
        gint64 until =
            g_get_monotonic_time() + vkdJournal.syncMs * G_TIME_SPAN_MILLISECOND;

        g_cond_wait_until(&vkdJournal.syncCond, &vkdJournal.lock, until);
        if (vkdJournal.dirty && vkdJournal.fd >= 0) {
            int fd = dup(vkdJournal.fd);

            vkdJournal.dirty = false;
            g_mutex_unlock(&vkdJournal.lock);
            if (fd >= 0) {
                fdatasync(fd);
                close(fd);
            }
            g_mutex_lock(&vkdJournal.lock);
        }
    }
    vkdJournal.syncCpuNs = vkdJournalThreadCpuNs();
    g_mutex_unlock(&vkdJournal.lock);
    return NULL;
}

/* Read the file: its epoch and records. false when it is absent or
 * unusable (a new epoch starts); a torn tail also starts a new epoch. */
static bool
vkdJournalLoad(void)
{
    g_autofree gchar *data = NULL;
    gsize size = 0;
    size_t off = VKD_JOURNAL_HEADER;
    guint64 be;

    if (!g_file_get_contents(vkdJournal.path, &data, &size, NULL))
        return false;
    if (size < VKD_JOURNAL_HEADER || memcmp(data, VKD_JOURNAL_MAGIC, 8) != 0) {
        g_warning("event journal '%s' is not a journal: starting a new one",
                  vkdJournal.path);
        return false;
    }
    memcpy(&be, data + 8, 8);
    vkdJournal.epoch = GUINT64_FROM_BE(be);
    while (off < size) {
        guint32 len, sum;
        virtkit_event_record *rec;
        virXdr x;

        if (size - off < 8)
            break;
        memcpy(&len, data + off, 4);
        memcpy(&sum, data + off + 4, 4);
        len = GUINT32_FROM_BE(len);
        sum = GUINT32_FROM_BE(sum);
        if (len > VKD_JOURNAL_RECORD_MAX || size - off - 8 < len ||
            vkdJournalChecksum((guint8 *)data + off + 8, len) != sum)
            break;
        rec = g_new0(virtkit_event_record, 1);
        virXdrInitDecode(&x, data + off + 8, len);
        if (!virtkit_event_record_filter(&x, rec) || virXdrRemaining(&x) != 0) {
            vkdJournalRecordFree(rec);
            break;
        }
        off += 8 + len;
        vkdJournal.nextSeq = rec->seq + 1;
        g_queue_push_tail(&vkdJournal.records, rec);
        while (vkdJournal.records.length > vkdJournal.maxEvents)
            vkdJournalRecordFree(g_queue_pop_head(&vkdJournal.records));
        vkdJournal.fileRecords++;
    }
    if (off != size) {
        g_warning("event journal '%s' ends with a torn record (a crash while it was "
                  "written): events after seq %" G_GUINT64_FORMAT
                  " may be lost, a new epoch starts",
                  vkdJournal.path, vkdJournal.nextSeq - 1);
        g_queue_clear_full(&vkdJournal.records, vkdJournalRecordFree);
        return false;
    }
    return true;
}

int
vkdJournalInit(const char *stateDir, unsigned int maxEvents, unsigned int syncMs,
               GError **error)
{
    vkdJournal.dir = g_build_filename(stateDir, "events", NULL);
    vkdJournal.path = g_build_filename(vkdJournal.dir, "journal", NULL);
    vkdJournal.maxEvents = MAX(maxEvents, 1);
    vkdJournal.syncMs = MAX(syncMs, 1);
    vkdJournal.subs = g_ptr_array_new();
    vkdJournal.nextSeq = 1;
    g_queue_init(&vkdJournal.records);

    if (g_mkdir_with_parents(vkdJournal.dir, 0700) < 0) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "cannot create '%s': %s", vkdJournal.dir, g_strerror(errno));
        return -1;
    }
    if (vkdJournalLoad()) {
        vkdJournal.fd = open(vkdJournal.path, O_WRONLY | O_APPEND | O_CLOEXEC);
    } else {
        vkdJournal.epoch = g_random_int();
        vkdJournal.epoch = (vkdJournal.epoch << 32) | g_random_int();
        if (vkdJournal.epoch == 0)
            vkdJournal.epoch = 1;
        vkdJournal.nextSeq = 1;
        vkdJournal.fileRecords = 0;
        vkdJournal.fd = open(vkdJournal.path,
                             O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
        if (vkdJournal.fd >= 0 &&
            vkdJournalWriteHeader(vkdJournal.fd, vkdJournal.epoch) < 0) {
            close(vkdJournal.fd);
            vkdJournal.fd = -1;
        }
    }
    if (vkdJournal.fd < 0) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "cannot open the event journal '%s': %s", vkdJournal.path,
                    g_strerror(errno));
        return -1;
    }
    g_debug("event journal '%s': epoch %" G_GUINT64_FORMAT ", %u records kept, next seq "
            "%" G_GUINT64_FORMAT,
            vkdJournal.path, vkdJournal.epoch, vkdJournal.records.length,
            vkdJournal.nextSeq);
    vkdJournal.up = true;
    vkdJournal.syncThread = g_thread_new("vkd-journal", vkdJournalSyncThread, NULL);
    virObjectEventSetJournal(vkdJournalHook, NULL);
    return 0;
}

void
vkdJournalShutdown(void)
{
    if (!vkdJournal.path)
        return;
    virObjectEventSetJournal(NULL, NULL);
    g_mutex_lock(&vkdJournal.lock);
    vkdJournal.up = false;
    vkdJournal.quit = true;
    g_cond_signal(&vkdJournal.syncCond);
    g_mutex_unlock(&vkdJournal.lock);
    if (vkdJournal.syncThread)
        g_thread_join(vkdJournal.syncThread);
    g_message("event journal: %" G_GUINT64_FORMAT " events journaled, CPU %.3f ms "
              "appending, %.3f ms syncing",
              vkdJournal.events, vkdJournal.hookCpuNs / 1e6, vkdJournal.syncCpuNs / 1e6);
    if (vkdJournal.fd >= 0) {
        fdatasync(vkdJournal.fd);
        close(vkdJournal.fd);
    }
    vkdJournal.fd = -1;
    for (guint i = 0; i < vkdJournal.subs->len; i++) {
        vkdJournalSub *sub = g_ptr_array_index(vkdJournal.subs, i);

        virNetServerClientUnref(sub->client);
        g_free(sub);
    }
    g_ptr_array_unref(vkdJournal.subs);
    g_queue_clear_full(&vkdJournal.records, vkdJournalRecordFree);
    g_clear_pointer(&vkdJournal.path, g_free);
    g_clear_pointer(&vkdJournal.dir, g_free);
}

static vkdJournalSub *
vkdJournalFind(virNetServerClient *client, int callbackID, guint *idx)
{
    for (guint i = 0; i < vkdJournal.subs->len; i++) {
        vkdJournalSub *sub = g_ptr_array_index(vkdJournal.subs, i);

        if (sub->client == client && sub->callbackID == callbackID) {
            if (idx)
                *idx = i;
            return sub;
        }
    }
    return NULL;
}

int
vkdJournalSubscribe(virNetServerClient *client, int callbackID, guint64 epoch,
                    guint64 since, bool gapOk, guint64 *epochOut, guint64 *first,
                    guint64 *head)
{
    vkdJournalSub *sub;
    guint64 firstSeq;
    guint64 headSeq;
    bool lost = false;

    g_mutex_lock(&vkdJournal.lock);
    if (!vkdJournal.up) {
        g_mutex_unlock(&vkdJournal.lock);
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "the event journal is not running");
        return -1;
    }
    firstSeq = vkdJournalFirstSeq();
    headSeq = vkdJournal.nextSeq - 1;
    if (vkdJournalFind(client, callbackID, NULL)) {
        g_mutex_unlock(&vkdJournal.lock);
        virReportError(VIR_ERR_INVALID_ARG, "event subscription %d already exists",
                       callbackID);
        return -1;
    }
    if (since != VIRTKIT_EVENT_SINCE_NOW) {
        if (epoch != 0 && epoch != vkdJournal.epoch) {
            lost = true;
            if (!gapOk) {
                g_mutex_unlock(&vkdJournal.lock);
                virReportError(VIR_ERR_OPERATION_INVALID,
                               "event journal epoch %" G_GUINT64_FORMAT
                               " is gone (the daemon's is %" G_GUINT64_FORMAT
                               "): the events after seq %" G_GUINT64_FORMAT
                               " are lost, re-list",
                               epoch, vkdJournal.epoch, since);
                return -1;
            }
            since = firstSeq - 1;
        } else if (since > headSeq) {
            g_mutex_unlock(&vkdJournal.lock);
            virReportError(VIR_ERR_INVALID_ARG,
                           "event seq %" G_GUINT64_FORMAT
                           " was never issued (the newest is %" G_GUINT64_FORMAT ")",
                           since, headSeq);
            return -1;
        } else if (since + 1 < firstSeq) {
            lost = true;
            if (!gapOk) {
                g_mutex_unlock(&vkdJournal.lock);
                virReportError(
                    VIR_ERR_OPERATION_INVALID,
                    "events %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT
                    " are no longer kept (the journal starts at %" G_GUINT64_FORMAT
                    "): re-list",
                    since + 1, firstSeq - 1, firstSeq);
                return -1;
            }
        }
    }

    sub = g_new0(vkdJournalSub, 1);
    sub->client = virNetServerClientRef(client);
    sub->callbackID = callbackID;
    if (lost) {
        /* a gap record: no seq of its own, big = the range lost */
        virtkit_event_record *gap = g_new0(virtkit_event_record, 1);

        gap->requestor = g_strdup("daemon");
        gap->event_id = VIRTKIT_EVENT_ID_GAP;
        gap->obj.name = g_strdup("");
        gap->obj.id = -1;
        gap->big_len = 2;
        gap->big_val = g_new0(uint64_t, 2);
        gap->big_val[0] = epoch != 0 && epoch != vkdJournal.epoch ? 0 : since + 1;
        gap->big_val[1] = firstSeq - 1;
        gap->time_us = g_get_real_time();
        vkdJournalSend(sub, gap);
        vkdJournalRecordFree(gap);
    }
    if (since != VIRTKIT_EVENT_SINCE_NOW) {
        for (GList *l = vkdJournal.records.head; l; l = l->next) {
            virtkit_event_record *rec = l->data;

            if (rec->seq > since)
                vkdJournalSend(sub, rec);
        }
    }
    g_ptr_array_add(vkdJournal.subs, sub);
    *epochOut = vkdJournal.epoch;
    *first = firstSeq;
    *head = headSeq;
    g_mutex_unlock(&vkdJournal.lock);
    return 0;
}

int
vkdJournalUnsubscribe(virNetServerClient *client, int callbackID)
{
    vkdJournalSub *sub;
    guint idx;

    g_mutex_lock(&vkdJournal.lock);
    if (!vkdJournal.subs || !(sub = vkdJournalFind(client, callbackID, &idx))) {
        g_mutex_unlock(&vkdJournal.lock);
        virReportError(VIR_ERR_INVALID_ARG, "no event subscription %d", callbackID);
        return -1;
    }
    g_ptr_array_remove_index(vkdJournal.subs, idx);
    g_mutex_unlock(&vkdJournal.lock);
    virNetServerClientUnref(sub->client);
    g_free(sub);
    return 0;
}

void
vkdJournalDropClient(virNetServerClient *client)
{
    g_autoptr(GPtrArray) gone = g_ptr_array_new();

    g_mutex_lock(&vkdJournal.lock);
    for (guint i = 0; vkdJournal.subs && i < vkdJournal.subs->len;) {
        vkdJournalSub *sub = g_ptr_array_index(vkdJournal.subs, i);

        if (sub->client == client) {
            g_ptr_array_add(gone, sub);
            g_ptr_array_remove_index(vkdJournal.subs, i);
        } else {
            i++;
        }
    }
    g_mutex_unlock(&vkdJournal.lock);
    for (guint i = 0; i < gone->len; i++) {
        vkdJournalSub *sub = g_ptr_array_index(gone, i);

        virNetServerClientUnref(sub->client);
        g_free(sub);
    }
}
