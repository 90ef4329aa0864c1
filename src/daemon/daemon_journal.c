/* daemon_journal.c: virtkitd's event journal: every event numbered, kept on disk, replayed to subscribers */
/*
 * Threads and locks. vkdJournalHook runs on whatever thread queues an event
 * (a QMP monitor thread, a worker, the main thread during startup) with
 * that driver state's lock held; it takes vkdJournal.lock, numbers the
 * event, appends it (file: one write(2), no fsync; memory: where it is)
 * and sends it to the live subscriptions (virNetServerClientSendEvent
 * queues, never blocks). Subscribe/unsubscribe run on workers and take the same lock, so
 * a subscription's replay and its live events never interleave or repeat.
 * Lock order: a driver state's lock, then vkdJournal.lock, then a client's
 * own lock inside SendEvent. The sync thread takes vkdJournal.lock only to
 * read the descriptor and the dirty flag; fdatasync runs unlocked on a
 * dup of the descriptor.
 *
 * Loading the file at start (make bench leaves 10,000 records, 1.5 MB:
 * each is checked by its checksum, and only its seq, time and place are
 * kept; a replay reads it back and decodes it) is the sync thread's
 * first work,
 * under vkdJournal.lock with vkdJournal.loading set: every entry point
 * waits for it (vkdJournalWaitLoadedLocked), virtkitd accepts clients
 * only once it is done (vkdJournalWaitLoaded), and the drivers' start,
 * which needs no journal unless it raises an event, runs meanwhile on the
 * main thread.
 *
 * The seq file's writer (vkdJournalReserve) takes seqLock: the hook with
 * vkdJournal.lock held (only when the reservation ran out), the sync
 * thread without it; seqLock is never held while taking vkdJournal.lock.
 *
 * File (<stateDir>/events/journal): "VKJOURN1", the epoch (8 bytes, big
 * endian), then records: length (4 bytes BE), FNV-1a checksum of the
 * bytes (4 bytes BE), the XDR encoding of a virtkit_event_record. It is
 * rewritten (temporary file, fsync, rename) with only the kept records
 * once it holds twice as many as are kept (64 at least). Kept: the newest
 * @maxEvents, none older than @maxAge, and always the newest one (so that
 * numbering goes on across a restart).
 *
 * Losses. Each record is one write(2) before it is sent to anyone, so a
 * daemon that crashes or is killed loses nothing: the kernel has the
 * writes. A host that goes down loses what was not synced yet, and a
 * client may have seen those seqs. So no seq is issued before it is
 * reserved durably in <stateDir>/events/journal.seq ("BOOT-ID RESERVED",
 * written ahead by blocks of VKD_JOURNAL_RESERVE), and a clean stop leaves
 * journal.closed. At start, without journal.closed: the same boot and a
 * whole file means nothing was lost (the log says so); another boot (or a
 * torn tail, which is cut off) means the seqs after the last kept record,
 * up to the reservation, may be lost: the log says which, and a gap record
 * (requestor "crash", big = that range) is journaled with the next seq, so
 * a resuming client learns it in order. Numbering goes on after the
 * reservation; the epoch stays.
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
#include "virfile.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

#define VKD_JOURNAL_MAGIC "VKJOURN1"
#define VKD_JOURNAL_HEADER 16
#define VKD_JOURNAL_RECORD_MAX (64 * 1024)
/* a record larger than the file takes is kept in memory up to this size
 * (an event message cannot be larger) */
#define VKD_JOURNAL_MEMORY_MAX (32 * 1024 * 1024)
/* seqs reserved ahead in journal.seq; renewed when half is used */
#define VKD_JOURNAL_RESERVE 4096
/* the file is compacted once it holds twice the kept records, and this many */
#define VKD_JOURNAL_COMPACT_MIN 64
/* a reservation further than this above the newest kept record is not
 * believed (far more than a sync interval can number) */
#define VKD_JOURNAL_RESERVE_TRUST (G_GUINT64_CONSTANT(1) << 32)
/* no seq above this is read from a file (leaves room to number on) */
#define VKD_JOURNAL_SEQ_MAX (G_MAXUINT64 / 2)

typedef struct {
    virNetServerClient *client; /* a reference */
    int callbackID;
} vkdJournalSub;

/* A kept record: where its frame (length, checksum, XDR body) is, and
 * the two fields the journal itself looks at. The file holds the bytes:
 * they are read back (pread) and decoded only when a replay sends the
 * record. Memory holds them only for a record the file does not have (no
 * file, a failed write, or larger than VKD_JOURNAL_RECORD_MAX). 40 bytes
 * a record, where the decoded record took seven allocations, ~360 bytes:
 * make bench's 10,000 definitions leave 10,000 DEFINED records, 3.5 MiB
 * of the daemon's resident memory when kept decoded. */
typedef struct {
    guint64 seq;
    gint64 timeUs;
    gint64 off;    /* of the frame in the file; -1: in @frame */
    guint32 len;   /* of the frame */
    guint8 *frame; /* owned; NULL when in the file */
} vkdJournalEntry;

static struct {
    GMutex lock;
    bool up;
    guint64 epoch;
    guint64 nextSeq;
    /* vkdJournalEntry, oldest first, from index @head on (the ones
     * before it are dropped, removed from the array in batches) */
    GArray *records;
    guint head;
    guint maxEvents;
    gint64 maxAgeUs; /* 0: no age bound */
    int fd;
    char *dir;
    char *path;
    char *seqPath;    /* journal.seq: boot id and reserved seq */
    char *closedPath; /* journal.closed: left by a clean stop */
    char bootId[64];
    guint64 reserved; /* no seq above it is issued */
    GMutex seqLock;   /* the seq file's writer; guards the two below */
    guint64 seqWritten;
    bool closedPending; /* journal.closed is still there: removed with the
                         * first reservation, before any new seq */
    guint fileRecords;
    gint64 fileSize; /* where the next record goes */
    bool dirty;
    GPtrArray *subs; /* vkdJournalSub * */
    GThread *syncThread;
    GCond syncCond;
    bool loading;       /* the sync thread reads the file: nobody else looks */
    GCond loadedCond;   /* signalled when loading ends */
    bool closedAtStart; /* journal.closed was there (read before loading) */
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

void
vkdJournalRecordFree(gpointer p)
{
    if (!p)
        return;
    virXdrFree(virtkit_event_record_filter, p);
    g_free(p);
}

static guint
vkdJournalCount(void)
{
    return vkdJournal.records->len - vkdJournal.head;
}

/* The @i-th oldest kept record; valid until the next append or drop. */
static vkdJournalEntry *
vkdJournalNth(guint i)
{
    return &g_array_index(vkdJournal.records, vkdJournalEntry, vkdJournal.head + i);
}

static void
vkdJournalDropOldest(void)
{
    g_free(vkdJournalNth(0)->frame);
    vkdJournal.head++;
    if (vkdJournal.head >= 64 && vkdJournal.head * 2 >= vkdJournal.records->len) {
        g_array_remove_range(vkdJournal.records, 0, vkdJournal.head);
        vkdJournal.head = 0;
    }
}

static void
vkdJournalClearRecords(void)
{
    while (vkdJournalCount() > 0)
        vkdJournalDropOldest();
    g_array_set_size(vkdJournal.records, 0);
    vkdJournal.head = 0;
}

static guint64
vkdJournalFirstSeq(void)
{
    return vkdJournalCount() > 0 ? vkdJournalNth(0)->seq : vkdJournal.nextSeq;
}

/* The XDR bytes of @rec, framed (length, checksum), in *@len bytes. NULL
 * if it cannot be encoded even in memory (larger than a whole message). */
static guint8 *
vkdJournalEncode(const virtkit_event_record *rec, guint32 *len)
{
    virXdr x;
    g_autofree guint8 *body = NULL;
    size_t n = 0;
    guint8 *out;
    guint32 be;

    virXdrInitEncode(&x, VKD_JOURNAL_MEMORY_MAX);
    if (!virtkit_event_record_filter(&x, (virtkit_event_record *)rec)) {
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
    *len = (guint32)(8 + n);
    return out;
}

/* The frame of @e: its own, or read from the file into *@buf (g_free it).
 * NULL if it cannot be read (warned). */
static const guint8 *
vkdJournalEntryFrame(const vkdJournalEntry *e, guint8 **buf)
{
    size_t done = 0;

    if (e->frame)
        return e->frame;
    *buf = g_malloc(e->len);
    while (vkdJournal.fd >= 0 && done < e->len) {
        ssize_t r =
            pread(vkdJournal.fd, *buf + done, e->len - done, e->off + (off_t)done);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        done += (size_t)r;
    }
    if (done < e->len) {
        g_warning("event journal: cannot read record %" G_GUINT64_FORMAT " back: %s",
                  e->seq, done == 0 && errno ? g_strerror(errno) : "short read");
        return NULL;
    }
    return *buf;
}

/* The record @e holds, decoded into @rec (virXdrFree it). Its bytes were
 * encoded by us and its checksum held at load, so this fails only if the
 * file changed under us, on a bug, or for a file of another version:
 * false then (warned; the replay sends a gap record for it instead). */
static bool
vkdJournalEntryDecode(const vkdJournalEntry *e, virtkit_event_record *rec)
{
    g_autofree guint8 *buf = NULL;
    const guint8 *frame = vkdJournalEntryFrame(e, &buf);
    guint32 sum;
    virXdr x;

    memset(rec, 0, sizeof(*rec));
    if (!frame)
        return false;
    memcpy(&sum, frame + 4, 4);
    virXdrInitDecode(&x, frame + 8, e->len - 8);
    if (GUINT32_FROM_BE(sum) != vkdJournalChecksum(frame + 8, e->len - 8) ||
        !virtkit_event_record_filter(&x, rec) || virXdrRemaining(&x) != 0) {
        g_warning("event journal: record %" G_GUINT64_FORMAT " does not decode", e->seq);
        virXdrFree(virtkit_event_record_filter, rec);
        return false;
    }
    return true;
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

/* Rewrite the file with the kept records only (read back from the old
 * one). Lock held. */
static void
vkdJournalCompact(void)
{
    g_autofree char *tmp = g_strdup_printf("%s.new", vkdJournal.path);
    int fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    guint count = vkdJournalCount();
    g_autofree gint64 *offs = g_new(gint64, MAX(count, 1));
    gint64 pos = VKD_JOURNAL_HEADER;
    guint n = 0;

    if (fd < 0 || vkdJournalWriteHeader(fd, vkdJournal.epoch) < 0)
        goto fail;
    for (guint i = 0; i < count; i++) {
        vkdJournalEntry *e = vkdJournalNth(i);
        g_autofree guint8 *buf = NULL;
        const guint8 *frame;

        offs[i] = -1;
        if (e->off < 0)
            continue; /* not in the file: stays in memory */
        if (!(frame = vkdJournalEntryFrame(e, &buf)) ||
            vkdJournalWriteAll(fd, frame, e->len) < 0)
            goto fail;
        offs[i] = pos;
        pos += e->len;
        n++;
    }
    if (fsync(fd) < 0 || rename(tmp, vkdJournal.path) < 0)
        goto fail;
    if (vkdJournal.fd >= 0)
        close(vkdJournal.fd);
    vkdJournal.fd = fd;
    lseek(fd, 0, SEEK_END);
    vkdJournal.fileSize = pos;
    vkdJournal.fileRecords = n;
    for (guint i = 0; i < count; i++) {
        if (offs[i] >= 0)
            vkdJournalNth(i)->off = offs[i];
    }
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

/* A gap record to @sub: no seq of its own, big = the range lost
 * (@from 0: from an older epoch) */
static void
vkdJournalSendGap(vkdJournalSub *sub, guint64 from, guint64 to)
{
    virtkit_event_record *gap = g_new0(virtkit_event_record, 1);

    gap->requestor = g_strdup("daemon");
    gap->event_id = VIRTKIT_EVENT_ID_GAP;
    gap->obj.name = g_strdup("");
    gap->obj.id = -1;
    gap->big_len = 2;
    gap->big_val = g_new0(uint64_t, 2);
    gap->big_val[0] = from;
    gap->big_val[1] = to;
    gap->time_us = g_get_real_time();
    vkdJournalSend(sub, gap);
    vkdJournalRecordFree(gap);
}

/* Drop the records the bounds no longer keep (count, age; never the
 * newest). Lock held. */
static void
vkdJournalPrune(void)
{
    gint64 oldest = g_get_real_time() - vkdJournal.maxAgeUs;

    while (vkdJournalCount() > vkdJournal.maxEvents)
        vkdJournalDropOldest();
    while (vkdJournal.maxAgeUs > 0 && vkdJournalCount() > 1 &&
           vkdJournalNth(0)->timeUs < oldest)
        vkdJournalDropOldest();
}

/* Compact the file once it holds twice what is kept. Lock held. */
static void
vkdJournalMaybeCompact(void)
{
    if (vkdJournal.fd >= 0 &&
        vkdJournal.fileRecords >= MAX(2 * vkdJournalCount(), VKD_JOURNAL_COMPACT_MIN))
        vkdJournalCompact();
}

/* Until the sync thread has loaded the file. vkdJournal.lock held. */
static void
vkdJournalWaitLoadedLocked(void)
{
    while (vkdJournal.loading)
        g_cond_wait(&vkdJournal.loadedCond, &vkdJournal.lock);
}

/* Write journal.seq: this boot's id and @reserved, durably (temporary
 * file, fsync, rename, fsync of the folder; a journal.closed left by the
 * last clean stop goes in the same step). Takes seqLock; a value not
 * above the one written is not written again. *@durable: the reservation
 * on disk now, whatever the outcome. 0 or -1 (errno). */
static int
vkdJournalReserve(guint64 reserved, guint64 *durable)
{
    g_autofree char *tmp = g_strdup_printf("%s.new", vkdJournal.seqPath);
    g_autofree char *text =
        g_strdup_printf("%s %" G_GUINT64_FORMAT "\n", vkdJournal.bootId, reserved);
    int rc = -1;
    int fd;

    g_mutex_lock(&vkdJournal.seqLock);
    if (reserved <= vkdJournal.seqWritten) {
        *durable = vkdJournal.seqWritten;
        g_mutex_unlock(&vkdJournal.seqLock);
        return 0;
    }
    if (vkdJournal.closedPending && unlink(vkdJournal.closedPath) < 0 &&
        errno != ENOENT) {
        g_warning("cannot remove '%s': %s", vkdJournal.closedPath, g_strerror(errno));
        *durable = vkdJournal.seqWritten;
        g_mutex_unlock(&vkdJournal.seqLock);
        return -1;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0 && vkdJournalWriteAll(fd, (const guint8 *)text, strlen(text)) == 0 &&
        fsync(fd) == 0 && rename(tmp, vkdJournal.seqPath) == 0) {
        (void)virFileSyncDirQuiet(vkdJournal.dir);
        vkdJournal.seqWritten = reserved;
        vkdJournal.closedPending = false;
        rc = 0;
    }
    if (rc < 0)
        g_warning("cannot write the event journal's reservation '%s': %s",
                  vkdJournal.seqPath, g_strerror(errno));
    if (fd >= 0)
        close(fd);
    *durable = vkdJournal.seqWritten;
    g_mutex_unlock(&vkdJournal.seqLock);
    return rc;
}

/* Keep @rec (owned, freed here): file (or memory), live subscribers.
 * Lock held. */
static void
vkdJournalAppend(virtkit_event_record *rec)
{
    vkdJournalEntry e = { .seq = rec->seq, .timeUs = rec->time_us, .off = -1 };
    g_autofree guint8 *frame = vkdJournalEncode(rec, &e.len);
    bool written = false;

    if (frame && vkdJournal.fd >= 0 && e.len - 8 <= VKD_JOURNAL_RECORD_MAX) {
        if (vkdJournalWriteAll(vkdJournal.fd, frame, e.len) == 0) {
            e.off = vkdJournal.fileSize;
            vkdJournal.fileSize += e.len;
            written = true;
        } else {
            off_t end = lseek(vkdJournal.fd, 0, SEEK_END);

            g_warning("cannot append to the event journal: %s", g_strerror(errno));
            if (end >= 0)
                vkdJournal.fileSize = end;
        }
        vkdJournal.fileRecords++;
        vkdJournal.dirty = true;
    }
    if (frame) {
        if (!written)
            e.frame = g_steal_pointer(&frame);
        g_array_append_val(vkdJournal.records, e);
        vkdJournalPrune();
        if (written)
            vkdJournalMaybeCompact();
    }
    for (guint i = 0; i < vkdJournal.subs->len; i++)
        vkdJournalSend(g_ptr_array_index(vkdJournal.subs, i), rec);
    vkdJournalRecordFree(rec);
}

static virtkit_event_record *
vkdJournalRecordNew(int kind, int eventID, const char *requestor)
{
    virtkit_event_record *rec = g_new0(virtkit_event_record, 1);

    if (vkdJournal.nextSeq > vkdJournal.reserved) {
        /* the sync thread did not keep ahead (or is writing it now): wait
         * for it or reserve here (one fsync). If the write fails the event
         * is numbered anyway (warned): the next start after a host crash
         * then assumes a whole block lost. */
        guint64 durable = 0;

        vkdJournalReserve(vkdJournal.nextSeq - 1 + VKD_JOURNAL_RESERVE, &durable);
        vkdJournal.reserved = MAX(vkdJournal.reserved, durable);
    }
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
    vkdJournalWaitLoadedLocked();
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

static void vkdJournalOpen(void);

static gpointer
vkdJournalSyncThread(gpointer opaque)
{
    g_mutex_lock(&vkdJournal.lock);
    vkdJournalOpen();
    vkdJournal.loading = false;
    g_cond_broadcast(&vkdJournal.loadedCond);
    while (!vkdJournal.quit) {
        gint64 until;

        /* keep the reservation ahead (the first one right away: the
         * daemon's start does not wait for it unless it numbers an event
         * first) */
        if (vkdJournal.nextSeq + VKD_JOURNAL_RESERVE / 2 > vkdJournal.reserved) {
            guint64 want = vkdJournal.nextSeq - 1 + VKD_JOURNAL_RESERVE;
            guint64 durable = 0;

            g_mutex_unlock(&vkdJournal.lock);
            vkdJournalReserve(want, &durable);
            g_mutex_lock(&vkdJournal.lock);
            vkdJournal.reserved = MAX(vkdJournal.reserved, durable);
        }
        until = g_get_monotonic_time() + vkdJournal.syncMs * G_TIME_SPAN_MILLISECOND;
        g_cond_wait_until(&vkdJournal.syncCond, &vkdJournal.lock, until);
        if (vkdJournal.quit)
            break;
        /* an idle journal ages too */
        if (vkdJournal.maxAgeUs > 0) {
            vkdJournalPrune();
            vkdJournalMaybeCompact();
        }
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

/* Read the file: its epoch and records, and open it for appending (and
 * reading back). false when it is absent or unusable (a new epoch
 * starts). A torn tail (a crash while a record was written, or before it
 * reached the disk) is cut off: *@torn then says so. If the file cannot
 * be opened again (vkdJournal.fd -1, errno set), what was read is kept
 * in memory. */
static bool
vkdJournalLoad(bool *torn)
{
    /* mapped, not read: reading make bench's 1.5 MB into a fresh buffer
     * (a page fault, a cleared page and a copy per 4 KiB) was most of the
     * load's CPU once the records were no longer decoded */
    g_autoptr(GMappedFile) map = g_mapped_file_new(vkdJournal.path, FALSE, NULL);
    const char *data;
    gsize size;
    size_t off = VKD_JOURNAL_HEADER;
    guint64 be;

    *torn = false;
    if (!map)
        return false;
    data = g_mapped_file_get_contents(map);
    size = g_mapped_file_get_length(map);
    if (size < VKD_JOURNAL_HEADER || memcmp(data, VKD_JOURNAL_MAGIC, 8) != 0) {
        g_warning("event journal '%s' is not a journal: starting a new one",
                  vkdJournal.path);
        return false;
    }
    memcpy(&be, data + 8, 8);
    vkdJournal.epoch = GUINT64_FROM_BE(be);
    while (off < size) {
        guint32 len, sum;
        vkdJournalEntry e = { 0 };

        if (size - off < 8)
            break;
        memcpy(&len, data + off, 4);
        memcpy(&sum, data + off + 4, 4);
        len = GUINT32_FROM_BE(len);
        sum = GUINT32_FROM_BE(sum);
        if (len > VKD_JOURNAL_RECORD_MAX || size - off - 8 < len ||
            vkdJournalChecksum((const guint8 *)data + off + 8, len) != sum)
            break;
        /* Not decoded here (10,000 records took ~17 ms of CPU, beside
         * the drivers' start on 2 CPUs): the checksum says the record
         * is whole as we wrote it; its seq and time are the body's first
         * 16 bytes (event_record starts with them), the rest is decoded
         * when a replay sends it. Seqs only grow, and never near the top
         * of the range (a seq of 2^63 is no journal of ours: numbering
         * must not wrap). */
        if (len < 16)
            break;
        memcpy(&be, data + off + 8, 8);
        e.seq = GUINT64_FROM_BE(be);
        if (e.seq < vkdJournal.nextSeq || e.seq > VKD_JOURNAL_SEQ_MAX)
            break;
        memcpy(&be, data + off + 16, 8);
        e.timeUs = (gint64)GUINT64_FROM_BE(be);
        e.off = (gint64)off;
        e.len = 8 + len;
        off += 8 + len;
        vkdJournal.nextSeq = e.seq + 1;
        g_array_append_val(vkdJournal.records, e);
        while (vkdJournalCount() > vkdJournal.maxEvents)
            vkdJournalDropOldest();
        vkdJournal.fileRecords++;
    }
    if (off != size) {
        *torn = true;
        if (truncate(vkdJournal.path, (off_t)off) < 0) {
            g_warning("cannot cut the torn tail of the event journal '%s': %s",
                      vkdJournal.path, g_strerror(errno));
            vkdJournalClearRecords();
            vkdJournal.nextSeq = 1;
            vkdJournal.fileRecords = 0;
            return false;
        }
    }
    vkdJournal.fileSize = (gint64)off;
    vkdJournal.fd = open(vkdJournal.path, O_RDWR | O_APPEND | O_CLOEXEC);
    if (vkdJournal.fd < 0) {
        int err = errno;

        for (guint i = 0; i < vkdJournalCount(); i++) {
            vkdJournalEntry *k = vkdJournalNth(i);

            k->frame = g_memdup2(data + k->off, k->len);
            k->off = -1;
        }
        errno = err;
    }
    return true;
}

/* This boot's id (the kernel's), or "" */
static void
vkdJournalReadBootId(void)
{
    g_autofree char *id = NULL;

    vkdJournal.bootId[0] = '\0';
    if (g_file_get_contents("/proc/sys/kernel/random/boot_id", &id, NULL, NULL))
        g_strlcpy(vkdJournal.bootId, g_strstrip(id), sizeof(vkdJournal.bootId));
    if (!vkdJournal.bootId[0] || strchr(vkdJournal.bootId, ' '))
        g_strlcpy(vkdJournal.bootId, "unknown", sizeof(vkdJournal.bootId));
}

/* What the last run left in journal.seq: its boot id (into @boot) and
 * reservation. false if absent or unreadable. */
static bool
vkdJournalReadSeqFile(char *boot, size_t bootLen, guint64 *reserved)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) parts = NULL;
    char *end = NULL;

    if (!g_file_get_contents(vkdJournal.seqPath, &text, NULL, NULL))
        return false;
    parts = g_strsplit(g_strstrip(text), " ", 0);
    if (g_strv_length(parts) != 2 || !*parts[1])
        return false;
    errno = 0;
    *reserved = g_ascii_strtoull(parts[1], &end, 10);
    if (errno || *end)
        return false;
    g_strlcpy(boot, parts[0], bootLen);
    return true;
}

/* After loading a journal the last run did not close: what was lost, told
 * in the log and by a gap record. Lock held (the sync thread's load,
 * before anyone else may look). */
static void
vkdJournalRecover(bool torn)
{
    char boot[64] = "";
    guint64 reserved = 0;
    guint64 last = vkdJournal.nextSeq - 1;
    vkdJournalEntry *lastRec =
        vkdJournalCount() > 0 ? vkdJournalNth(vkdJournalCount() - 1) : NULL;
    g_autofree char *when = NULL;
    virtkit_event_record *gap;
    bool haveSeq = vkdJournalReadSeqFile(boot, sizeof(boot), &reserved);

    if (lastRec) {
        g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc(lastRec->timeUs / 1000000);

        when = t ? g_date_time_format(t, "%Y-%m-%d %H:%M:%S UTC") : NULL;
    }
    if (haveSeq && !torn && g_str_equal(boot, vkdJournal.bootId)) {
        g_warning("event journal: the daemon did not stop cleanly (it crashed or was "
                  "killed); nothing was lost: the kernel kept every write (newest seq "
                  "%" G_GUINT64_FORMAT ")",
                  last);
        return;
    }
    if (!haveSeq && !torn) {
        /* a journal from a virtkitd that reserved no seqs (and left no
         * journal.closed): nothing to tell */
        g_debug("event journal without a reservation: taken as it is");
        return;
    }
    if (!haveSeq || reserved < last || reserved - last > VKD_JOURNAL_RESERVE_TRUST) {
        /* no believable reservation bounds what a client may have seen (its
         * write failed, or the file is damaged): assume a whole block */
        g_warning("event journal: its reservation '%s' is missing or not believable",
                  vkdJournal.seqPath);
        reserved = last + VKD_JOURNAL_RESERVE;
    }
    if (reserved <= last) {
        g_warning("event journal: the daemon did not stop cleanly; nothing was lost "
                  "(newest seq %" G_GUINT64_FORMAT ")",
                  last);
        return;
    }
    g_warning("event journal: %s before its last writes reached the disk: events "
              "%" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT
              " may have been sent and lost (the newest kept is seq %" G_GUINT64_FORMAT
              "%s%s); a gap record (seq %" G_GUINT64_FORMAT ") tells resuming clients",
              torn ? "the journal's tail was torn (a crash while it was written)"
                   : "the host went down",
              last + 1, reserved, last, when ? ", of " : "", when ? when : "",
              reserved + 1);
    vkdJournal.nextSeq = reserved + 1;
    /* the gap's own seq is issued before a new reservation is on disk:
     * a crash now leaves journal.seq below it, which the next start does
     * not believe (a whole block is assumed lost) */
    vkdJournal.reserved = vkdJournal.nextSeq;
    gap = vkdJournalRecordNew(0, VIRTKIT_EVENT_ID_GAP, "crash");
    gap->obj.name = g_strdup("");
    gap->obj.id = -1;
    gap->big_val[0] = last + 1;
    gap->big_val[1] = reserved;
    vkdJournalAppend(gap);
}

/* Read the file (or start a new one): its epoch, records, numbering, and
 * what a start after a crash must tell. The sync thread, first thing,
 * with vkdJournal.lock held and vkdJournal.loading set. A file that can
 * no longer be opened leaves the journal without a file (warned): events
 * are still numbered and sent, not kept across a restart. */
static void
vkdJournalOpen(void)
{
    bool torn = false;
    bool closed = vkdJournal.closedAtStart;

    if (vkdJournalLoad(&torn)) {
        /* the reservation must cover what is already numbered */
        vkdJournal.reserved = vkdJournal.nextSeq - 1;
        if (vkdJournal.fd >= 0 && (!closed || torn))
            vkdJournalRecover(torn);
        vkdJournalPrune();
    } else {
        vkdJournal.epoch = g_random_int();
        vkdJournal.epoch = (vkdJournal.epoch << 32) | g_random_int();
        if (vkdJournal.epoch == 0)
            vkdJournal.epoch = 1;
        vkdJournal.nextSeq = 1;
        vkdJournal.reserved = 0;
        vkdJournal.fileRecords = 0;
        vkdJournal.fileSize = VKD_JOURNAL_HEADER;
        vkdJournal.fd = open(vkdJournal.path,
                             O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
        if (vkdJournal.fd >= 0 &&
            vkdJournalWriteHeader(vkdJournal.fd, vkdJournal.epoch) < 0) {
            close(vkdJournal.fd);
            vkdJournal.fd = -1;
        }
    }
    if (vkdJournal.fd < 0)
        g_warning("cannot open the event journal '%s': %s: events are not kept",
                  vkdJournal.path, g_strerror(errno));
    /* The sync thread reserves at once (and removes journal.closed with
     * it); an event numbered before that waits for it (RecordNew). */
    vkdJournal.closedPending = closed;
    g_debug("event journal '%s': epoch %" G_GUINT64_FORMAT ", %u records kept, next seq "
            "%" G_GUINT64_FORMAT ", reserved up to %" G_GUINT64_FORMAT,
            vkdJournal.path, vkdJournal.epoch, vkdJournalCount(), vkdJournal.nextSeq,
            vkdJournal.reserved);
}

int
vkdJournalInit(const char *stateDir, unsigned int maxEvents, unsigned int maxAgeSec,
               unsigned int syncMs, GError **error)
{
    int fd;

    vkdJournal.dir = g_build_filename(stateDir, "events", NULL);
    vkdJournal.path = g_build_filename(vkdJournal.dir, "journal", NULL);
    vkdJournal.seqPath = g_build_filename(vkdJournal.dir, "journal.seq", NULL);
    vkdJournal.closedPath = g_build_filename(vkdJournal.dir, "journal.closed", NULL);
    vkdJournal.maxEvents = MAX(maxEvents, 1);
    vkdJournal.maxAgeUs = (gint64)maxAgeSec * G_USEC_PER_SEC;
    vkdJournal.syncMs = MAX(syncMs, 1);
    vkdJournal.subs = g_ptr_array_new();
    vkdJournal.nextSeq = 1;
    vkdJournal.records = g_array_new(FALSE, FALSE, sizeof(vkdJournalEntry));
    vkdJournal.head = 0;
    vkdJournalReadBootId();

    if (g_mkdir_with_parents(vkdJournal.dir, 0700) < 0) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "cannot create '%s': %s", vkdJournal.dir, g_strerror(errno));
        return -1;
    }
    /* A journal that cannot be written stops the start, as it did when
     * the file was read here: the file, or its folder if there is none
     * yet. The reading itself is the sync thread's (vkdJournalOpen). */
    if ((fd = open(vkdJournal.path, O_WRONLY | O_APPEND | O_CLOEXEC)) >= 0)
        close(fd);
    else if (errno != ENOENT || access(vkdJournal.dir, W_OK | X_OK) < 0) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "cannot open the event journal '%s': %s", vkdJournal.path,
                    g_strerror(errno));
        return -1;
    }
    vkdJournal.closedAtStart = g_file_test(vkdJournal.closedPath, G_FILE_TEST_EXISTS);
    vkdJournal.loading = true;
    vkdJournal.up = true;
    vkdJournal.syncThread = g_thread_new("vkd-journal", vkdJournalSyncThread, NULL);
    virObjectEventSetJournal(vkdJournalHook, NULL);
    return 0;
}

void
vkdJournalWaitLoaded(void)
{
    g_mutex_lock(&vkdJournal.lock);
    vkdJournalWaitLoadedLocked();
    g_mutex_unlock(&vkdJournal.lock);
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
        if (fdatasync(vkdJournal.fd) == 0) {
            /* every record is on the disk: the next start has nothing to
             * recover */
            int fd = open(vkdJournal.closedPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                          0600);

            if (fd >= 0) {
                fsync(fd);
                close(fd);
            }
        }
        close(vkdJournal.fd);
    }
    vkdJournal.fd = -1;
    for (guint i = 0; i < vkdJournal.subs->len; i++) {
        vkdJournalSub *sub = g_ptr_array_index(vkdJournal.subs, i);

        virNetServerClientUnref(sub->client);
        g_free(sub);
    }
    g_ptr_array_unref(vkdJournal.subs);
    vkdJournalClearRecords();
    g_clear_pointer(&vkdJournal.records, g_array_unref);
    g_clear_pointer(&vkdJournal.path, g_free);
    g_clear_pointer(&vkdJournal.seqPath, g_free);
    g_clear_pointer(&vkdJournal.closedPath, g_free);
    g_clear_pointer(&vkdJournal.dir, g_free);
    /* as before vkdJournalInit (the fuzz target opens journals in a row) */
    vkdJournal.subs = NULL;
    vkdJournal.syncThread = NULL;
    vkdJournal.quit = false;
    vkdJournal.dirty = false;
    vkdJournal.epoch = 0;
    vkdJournal.nextSeq = 0;
    vkdJournal.reserved = 0;
    vkdJournal.seqWritten = 0;
    vkdJournal.closedPending = false;
    vkdJournal.closedAtStart = false;
    vkdJournal.loading = false;
    vkdJournal.fileRecords = 0;
    vkdJournal.fileSize = 0;
    vkdJournal.events = 0;
    vkdJournal.hookCpuNs = 0;
    vkdJournal.syncCpuNs = 0;
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

guint64
vkdJournalHead(void)
{
    guint64 head;

    g_mutex_lock(&vkdJournal.lock);
    vkdJournalWaitLoadedLocked();
    head = vkdJournal.nextSeq - 1;
    g_mutex_unlock(&vkdJournal.lock);
    return head;
}

virtkit_event_record *
vkdJournalSnapshotRecord(int kind, const char *name, const unsigned char *uuid, int id,
                         int n0, int n1, guint64 at)
{
    virtkit_event_record *rec = g_new0(virtkit_event_record, 1);

    rec->time_us = g_get_real_time();
    rec->requestor = g_strdup("daemon");
    rec->kind = kind;
    rec->event_id = VIRTKIT_EVENT_ID_SNAPSHOT;
    rec->obj.name = g_strdup(name);
    memcpy(rec->obj.uuid, uuid, VIR_UUID_BUFLEN);
    rec->obj.id = id;
    rec->num_len = VIR_OBJECT_EVENT_RECORD_NUMS;
    rec->num_val = g_new0(int32_t, VIR_OBJECT_EVENT_RECORD_NUMS);
    rec->num_val[0] = n0;
    rec->num_val[1] = n1;
    rec->big_len = VIR_OBJECT_EVENT_RECORD_BIGS;
    rec->big_val = g_new0(uint64_t, VIR_OBJECT_EVENT_RECORD_BIGS);
    rec->big_val[0] = at;
    rec->str_len = VIR_OBJECT_EVENT_RECORD_STRS;
    rec->str_val = g_new0(remote_string, VIR_OBJECT_EVENT_RECORD_STRS);
    return rec;
}

int
vkdJournalSubscribe(virNetServerClient *client, int callbackID, guint64 epoch,
                    guint64 since, bool gapOk, GPtrArray *snapshot, guint64 *epochOut,
                    guint64 *first, guint64 *head)
{
    vkdJournalSub *sub;
    guint64 firstSeq;
    guint64 headSeq;
    bool lost = false;

    g_mutex_lock(&vkdJournal.lock);
    vkdJournalWaitLoadedLocked();
    if (!vkdJournal.up) {
        g_mutex_unlock(&vkdJournal.lock);
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "the event journal is not running");
        return -1;
    }
    vkdJournalPrune();
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
        } else if (since == 0) {
            since = firstSeq - 1; /* everything kept: nothing is lost */
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
    if (lost)
        vkdJournalSendGap(sub, epoch != 0 && epoch != vkdJournal.epoch ? 0 : since + 1,
                          firstSeq - 1);
    for (guint i = 0; snapshot && i < snapshot->len; i++)
        vkdJournalSend(sub, g_ptr_array_index(snapshot, i));
    if (since != VIRTKIT_EVENT_SINCE_NOW) {
        for (guint i = 0; i < vkdJournalCount(); i++) {
            vkdJournalEntry *e = vkdJournalNth(i);
            virtkit_event_record rec;

            if (e->seq <= since)
                continue;
            if (vkdJournalEntryDecode(e, &rec)) {
                vkdJournalSend(sub, &rec);
                virXdrFree(virtkit_event_record_filter, &rec);
            } else {
                vkdJournalSendGap(sub, e->seq, e->seq);
            }
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
