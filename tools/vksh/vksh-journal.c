/* vksh-journal.c: the events command: virtkitd's event journal, resumed from a seq (virtkit only) */

#define G_LOG_DOMAIN "vksh.journal"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <virtkit/virtkit.h>

#include "vksh.h"

/*
 * `vksh event-journal --since N [--epoch E] [--gap-ok] [--snapshot] [--count N]
 * [--timeout S]` prints every journaled event after seq N (--since now: live
 * ones only; with --snapshot, first a line per domain, network and pool:
 * "snapshot at seq H: domain 'vm1': running (booted)"), one line each, then goes on with the live ones until --count events or
 * the timeout:
 *   seq 12: event 'lifecycle' for domain 'vm1': Stopped Shutdown (requestor guest)
 *   seq 13: event 'reboot' for domain 'vm2' (requestor guest)
 *   seq 14: event 'lifecycle' for storage pool 'p': Started (requestor client:0:42)
 * and at the end the epoch and last seq to resume from. Runs the library's
 * event loop in the main thread (the callbacks run there).
 */

typedef struct {
    vkshControl *ctl;
    int count;
    int snapshots;
    unsigned long long snapshotSeq;
    int max;
    bool done;
    unsigned long long lastSeq;
    unsigned long long epoch;
} vkshJournalData;

/* The name of event @id of @kind (virsh's names). */
static const char *
vkshJournalEventName(int kind, int id)
{
    if (kind == VK_EVENT_KIND_DOMAIN)
        return vkshDomainEventName(id);
    if (kind == VK_EVENT_KIND_NETWORK && id == 0)
        return "lifecycle";
    if (kind == VK_EVENT_KIND_STORAGE_POOL)
        return vkshWordAt(vkshPoolEventIds, id);
    return NULL;
}

/* virsh's net-event / pool-event words for a network or pool lifecycle event. */
static const char *
vkshJournalObjectLifecycle(int kind, int event)
{
    const char *word = NULL;

    if (kind == VK_EVENT_KIND_NETWORK)
        word = vkshWordAt(vkshNetEventWords, event);
    else if (kind == VK_EVENT_KIND_STORAGE_POOL)
        word = vkshWordAt(vkshPoolEventWords, event);
    return word ? word : "unknown";
}

static void
vkshJournalEvent(virConnectPtr conn, const vkEvent *ev, void *opaque)
{
    static const char *const kinds[] = { "domain", "network", "storage pool" };
    vkshJournalData *data = opaque;
    const char *kind =
        ev->kind >= 0 && ev->kind < (int)G_N_ELEMENTS(kinds) ? kinds[ev->kind] : "object";

    if (data->done)
        return;
    if (ev->event_id == VK_EVENT_ID_SNAPSHOT) {
        if (ev->kind == VK_EVENT_KIND_DOMAIN)
            vkshPrint(data->ctl, "snapshot at seq %llu: domain '%s': %s (%s)\n",
                      ev->big[0], ev->name, vkshDomainStateToString(ev->num[0]),
                      vkshDomainStateReasonToString(ev->num[0], ev->num[1]));
        else
            vkshPrint(data->ctl, "snapshot at seq %llu: %s '%s': %s, %s\n", ev->big[0],
                      kind, ev->name, ev->num[0] ? "active" : "inactive",
                      ev->num[1] ? "persistent" : "transient");
        data->snapshots++;
        data->snapshotSeq = ev->big[0];
        data->epoch = ev->epoch;
        fflush(stdout);
        return;
    }
    if (ev->event_id == VK_EVENT_ID_GAP && ev->seq > 0) {
        vkshPrint(data->ctl,
                  "seq %llu: gap: events %llu..%llu may have been lost in a host crash "
                  "(requestor %s)\n",
                  ev->seq, ev->big[0], ev->big[1], ev->requestor);
    } else if (ev->event_id == VK_EVENT_ID_GAP) {
        if (ev->big[0] == 0)
            vkshPrint(data->ctl,
                      "gap: the journal was reset, events up to seq %llu of "
                      "epoch %llu are lost (re-list)\n",
                      ev->big[1], ev->epoch);
        else
            vkshPrint(data->ctl, "gap: events %llu..%llu are no longer kept (re-list)\n",
                      ev->big[0], ev->big[1]);
    } else if (ev->event_id == 0) {
        const char *type = vkshEventTypeToString(ev->num[0]);
        const char *detail = vkshEventDetailToString(ev->num[0], ev->num[1]);

        if (ev->kind == VK_EVENT_KIND_DOMAIN)
            vkshPrint(data->ctl,
                      "seq %llu: event 'lifecycle' for domain '%s': %s %s "
                      "(requestor %s)\n",
                      ev->seq, ev->name, type, detail, ev->requestor);
        else
            vkshPrint(data->ctl,
                      "seq %llu: event 'lifecycle' for %s '%s': %s "
                      "(requestor %s)\n",
                      ev->seq, kind, ev->name,
                      vkshJournalObjectLifecycle(ev->kind, ev->num[0]), ev->requestor);
    } else if (vkshJournalEventName(ev->kind, ev->event_id)) {
        vkshPrint(data->ctl, "seq %llu: event '%s' for %s '%s' (requestor %s)\n", ev->seq,
                  vkshJournalEventName(ev->kind, ev->event_id), kind, ev->name,
                  ev->requestor);
    } else {
        vkshPrint(data->ctl, "seq %llu: event %d for %s '%s' (requestor %s)\n", ev->seq,
                  ev->event_id, kind, ev->name, ev->requestor);
    }
    fflush(stdout);
    if (ev->seq > 0) {
        data->lastSeq = ev->seq;
        data->count++;
    }
    data->epoch = ev->epoch;
    if (data->max > 0 && data->count >= data->max)
        data->done = true;
}

static void
vkshJournalTimeout(int timer, void *opaque)
{
    ((vkshJournalData *)opaque)->done = true;
}

static const vkshOptDef optsEvents[] = {
    { "since", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "the last seq seen ('now': live events only, 0: all kept)" },
    { "epoch", VKSH_OT_STRING, 0, "the journal epoch of that seq" },
    { "gap-ok", VKSH_OT_BOOL, 0,
      "print a gap line instead of failing when events are lost" },
    { "snapshot", VKSH_OT_BOOL, 0,
      "first every domain's, network's and pool's state (with --since now)" },
    { "count", VKSH_OT_INT, 0, "stop after this many events" },
    { "timeout", VKSH_OT_INT, 0, "stop after this many seconds" },
    { NULL, 0, 0, NULL },
};

static bool
vkshParseULL(vkshControl *ctl, const char *opt, const char *s, unsigned long long *out)
{
    char *end = NULL;

    errno = 0;
    *out = strtoull(s, &end, 10);
    if (!*s || *end || errno || *s == '-') {
        vkshError(ctl, "Numeric value '%s' for <%s> option is malformed or out of range",
                  s, opt);
        return false;
    }
    return true;
}

static bool
cmdEvents(vkshControl *ctl, const vkshCmd *cmd)
{
    vkshJournalData data = { .ctl = ctl };
    const char *since = NULL;
    const char *epochStr = NULL;
    unsigned long long sinceSeq = VK_EVENT_SINCE_NOW;
    unsigned long long epoch = 0;
    int timeout = 0;
    int timer = -1;
    int id;

    if (vkshOptString(ctl, cmd, "since", &since) < 0 ||
        vkshOptString(ctl, cmd, "epoch", &epochStr) < 0 ||
        vkshOptInt(ctl, cmd, "count", &data.max) < 0 ||
        vkshOptInt(ctl, cmd, "timeout", &timeout) < 0)
        return false;
    if (since && strcmp(since, "now") != 0 &&
        !vkshParseULL(ctl, "since", since, &sinceSeq))
        return false;
    if (epochStr && !vkshParseULL(ctl, "epoch", epochStr, &epoch))
        return false;
    if (timeout < 0 || timeout > G_MAXINT / 1000 || data.max < 0) {
        vkshError(ctl, "%s", "--timeout and --count must be positive");
        return false;
    }

    id = vkConnectEventSubscribe(
        ctl->conn, epoch, sinceSeq,
        (vkshOptBool(cmd, "gap-ok") ? VK_EVENT_SUBSCRIBE_GAP_OK : 0) |
            (vkshOptBool(cmd, "snapshot") ? VK_EVENT_SUBSCRIBE_SNAPSHOT : 0),
        vkshJournalEvent, &data, NULL);
    if (id < 0)
        return false;
    if (timeout > 0)
        timer = virEventAddTimeout(timeout * 1000, vkshJournalTimeout, &data, NULL);
    if (data.max > 0 || timeout > 0) {
        while (!data.done) {
            if (virEventRunDefaultImpl() < 0)
                break;
        }
    } else {
        /* neither bound: deliver what is queued (the replay), then stop */
        int flush = virEventAddTimeout(200, vkshJournalTimeout, &data, NULL);

        while (!data.done) {
            if (virEventRunDefaultImpl() < 0)
                break;
        }
        virEventRemoveTimeout(flush);
    }
    if (timer >= 0)
        virEventRemoveTimeout(timer);
    vkConnectEventUnsubscribe(ctl->conn, id);
    vkshPrint(ctl, "events received: %d\n", data.count);
    if (data.snapshots > 0 && data.count == 0)
        data.lastSeq = data.snapshotSeq;
    if (data.epoch)
        vkshPrint(ctl, "resume with: --since %llu --epoch %llu\n", data.lastSeq,
                  data.epoch);
    return true;
}

const vkshCmdDef vkshJournalCmds[] = {
    { "event-journal", cmdEvents, optsEvents, "virtkitd's event journal, from a seq",
      "Print every journaled event after a seq (missed while away, across daemon "
      "restarts), then live ones.",
      0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
