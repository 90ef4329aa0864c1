/* virtkit.h: virtkit's own API beside libvirt's (functions prefixed vk) */
#pragma once

/*
 * What libvirt does not offer, served by libvirtkit and virtkitd only:
 * every function here is exported from libvirtkit.so in its own version
 * node (VIRTKIT_EXT_0.1.0) and travels over virtkit's own RPC program
 * (protocol.vkp, "program virtkit"), so libvirt's names, procedure numbers
 * and clients are untouched. A connection to a daemon that does not know
 * the program (libvirtd) answers VIR_ERR_NO_SUPPORT. Errors are libvirt's
 * (virGetLastError), as for every other call. See docs/virtkit-api.md.
 */

#include <libvirt/libvirt.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The steps of the stop ladder, in the order they are tried. */
typedef enum {
    VK_STOP_STEP_NONE = 0,       /* no step ended the guest (report.ended_by) */
    VK_STOP_STEP_AGENT = 1,      /* guest agent shutdown */
    VK_STOP_STEP_ACPI = 2,       /* ACPI power button, re-pressed at intervals */
    VK_STOP_STEP_CLEAN_EXIT = 3, /* QEMU's own clean exit (SIGTERM): disks flushed */
    VK_STOP_STEP_KILL = 4,       /* SIGKILL (only when the policy allows it) */
    VK_STOP_STEP_LAST = 5,
} vkStopStep;

/* What became of one step. */
typedef enum {
    VK_STOP_OUTCOME_NOT_REACHED = 0, /* the guest was gone before this step */
    VK_STOP_OUTCOME_SKIPPED = 1,     /* not tried: see reason; cost no time */
    VK_STOP_OUTCOME_SURVIVED = 2,    /* tried for its budget; the guest kept running */
    VK_STOP_OUTCOME_ENDED = 3,       /* this step ended the guest */
    VK_STOP_OUTCOME_FAILED = 4,      /* could not be carried out: see reason */
} vkStopOutcome;

/* vkDomainStop's policy flags. */
typedef enum {
    VK_STOP_ALLOW_KILL = 1 << 0,      /* SIGKILL once the deadline is reached */
    VK_STOP_SKIP_AGENT = 1 << 1,      /* do not ask the guest agent */
    VK_STOP_SKIP_ACPI = 1 << 2,       /* do not press the power button */
    VK_STOP_SKIP_CLEAN_EXIT = 1 << 3, /* no SIGTERM step (straight to SIGKILL) */
    /* Take the ladder (deadline, ACPI share and interval, SIGKILL allowed)
     * from the domain's stop policy in its definition (<metadata>,
     * docs/virtkit-api.md); an explicit deadline_ms > 0 still wins, and the
     * flags above add to what the definition says. */
    VK_STOP_USE_DEFINITION = 1 << 4,
} vkStopPolicyFlags;

#define VK_STOP_REASON_LEN 128

typedef struct {
    int outcome;                   /* vkStopOutcome */
    unsigned long long elapsed_ms; /* time spent in this step */
    unsigned int attempts;         /* presses or signals sent */
    char
        reason[VK_STOP_REASON_LEN]; /* why skipped/failed, or what ended it; "" if none */
} vkStopStepReport;

typedef struct {
    int ended_by;                /* vkStopStep; VK_STOP_STEP_NONE if still running */
    int flushed;                 /* 1: QEMU left through its clean exit path (block
                                  * layer flushed and closed); 0: it did not (SIGKILL);
                                  * -1: unknown */
    unsigned long long total_ms; /* the whole call */
    unsigned int deadline_ms;    /* the deadline that applied */
    vkStopStepReport steps[VK_STOP_STEP_LAST]; /* indexed by vkStopStep; [0] unused */
} vkStopReport;

/* One progress notice of a running vkDomainStop. */
typedef struct {
    int step;                      /* vkStopStep being run */
    unsigned long long elapsed_ms; /* since the call began */
    unsigned int attempt; /* 1 for the step's first action, 2 for a re-press... */
    unsigned int deadline_ms;
    const char *what; /* a short text ("ACPI power button pressed") */
} vkStopProgress;

/* Called while vkDomainStop runs, from the calling thread (local drivers)
 * or from the connection's I/O thread (remote): it must return quickly and
 * must not call into the same connection. */
typedef void (*vkStopProgressFunc)(virDomainPtr dom, const vkStopProgress *progress,
                                   void *opaque);

const char *vkStopStepName(int step);
const char *vkStopOutcomeName(int outcome);

int vkDomainStop(virDomainPtr dom, unsigned int deadline_ms, unsigned int policy,
                 vkStopReport *report);
int vkDomainStopWithProgress(virDomainPtr dom, unsigned int deadline_ms,
                             unsigned int policy, vkStopReport *report,
                             vkStopProgressFunc progress, void *opaque);

/* ---- resumable events (docs/events-resumable.md) --------------------- */

/* @since for live events only. */
#define VK_EVENT_SINCE_NOW ((unsigned long long)-1)
/* vkEvent.event_id of a gap: events big[0]..big[1] are no longer kept
 * (big[0] 0: the journal was reset, its epoch changed); re-list. A gap
 * with a seq of its own and requestor "crash" is journaled after a host
 * crash: events big[0]..big[1] may have been sent and lost. */
#define VK_EVENT_ID_GAP (-1)
/* vkEvent.event_id of a snapshot event (VK_EVENT_SUBSCRIBE_SNAPSHOT): the
 * object's state as of seq big[0]: domains num[0] virDomainState, num[1]
 * its reason; networks and storage pools num[0] active, num[1] persistent.
 * seq 0. */
#define VK_EVENT_ID_SNAPSHOT (-2)

typedef enum {
    /* deliver a gap event instead of failing when events after @since are
     * no longer kept (or the epoch is not the daemon's) */
    VK_EVENT_SUBSCRIBE_GAP_OK = 1 << 0,
    /* start with one VK_EVENT_ID_SNAPSHOT event per domain, network and
     * storage pool (their state as of the journal's newest seq H), then
     * every event after H; @since must be VK_EVENT_SINCE_NOW */
    VK_EVENT_SUBSCRIBE_SNAPSHOT = 1 << 1,
} vkEventSubscribeFlags;

typedef enum {
    VK_EVENT_KIND_DOMAIN = 0,
    VK_EVENT_KIND_NETWORK = 1,
    VK_EVENT_KIND_STORAGE_POOL = 2,
} vkEventKind;

/* One journaled event. Pointers are valid during the callback only. */
typedef struct {
    unsigned long long seq;   /* 1, 2, ... within @epoch; 0 for a gap or a snapshot */
    unsigned long long epoch; /* the journal's: pass it back when resuming */
    long long time_us;        /* realtime when it was queued */
    const char *requestor;    /* "client:UID:PID", "guest", "host", "crash", "daemon" */
    int kind;                 /* vkEventKind */
    int event_id;     /* VIR_DOMAIN_EVENT_ID_* (domains), *_EVENT_ID_* of the kind,
                               * VK_EVENT_ID_GAP or VK_EVENT_ID_SNAPSHOT */
    virDomainPtr dom; /* domain events; NULL otherwise */
    const char *name; /* the object's name */
    const unsigned char *uuid;
    int num[4]; /* the callback's ints (LIFECYCLE: event, detail) */
    unsigned long long big[2];
    const char *str[6]; /* the callback's strings (may be NULL) */
} vkEvent;

typedef void (*vkEventFunc)(virConnectPtr conn, const vkEvent *event, void *opaque);

int vkConnectEventSubscribe(virConnectPtr conn, unsigned long long epoch,
                            unsigned long long since, unsigned int flags, vkEventFunc cb,
                            void *opaque, virFreeCallback freecb);
int vkConnectEventUnsubscribe(virConnectPtr conn, int callbackID);

#ifdef __cplusplus
}
#endif
