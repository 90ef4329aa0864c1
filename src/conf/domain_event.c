/* domain_event.c: event callbacks of every object kind, the event queue and its dispatch from the event loop; the domain events raised from running guests are domain_event_guest.c's */
/*
 * Threads. Any thread may queue events, register or deregister callbacks.
 * state->lock protects the callback list, the queue, the timer id and the
 * dispatching flag; it is never held while a user callback, a free
 * callback or a connection unref runs (those may call back into the API,
 * deregister callbacks or close the connection).
 * Dispatch runs in the thread that runs the application's event loop, from
 * a timer that is disabled (-1) while the queue is empty and set to fire
 * at once (0) when an event is queued. One flush at a time per state: the
 * flush takes the whole queue, and for each event takes a snapshot of the
 * matching callbacks (each with a reference), then calls them unlocked,
 * skipping any deregistered meanwhile.
 * Every callback holds a reference on its connection (as libvirt), so a
 * connection with callbacks registered stays open after virConnectClose
 * until they are deregistered.
 * The state itself is reference counted: the owner holds one, the timer
 * another (released by the timer's free function, which the event loop
 * runs after any in-progress dispatch).
 */
#define G_LOG_DOMAIN "virtkit.conf.event"

#include <stdint.h>
#include <string.h>

#include <libvirt/libvirt-qemu.h>

#include "domain_event.h"
#include "domain_event_priv.h"
#include "object_event.h"
#include "virerror.h"
#include "virevent.h"

#define VIR_FROM_THIS VIR_FROM_NONE


typedef struct {
    gint refs;
    int callbackID;
    int kind; /* virObjectEventKind */
    int eventID;
    virConnectPtr conn; /* referenced */
    bool haveDom;       /* filtered on one object: @uuid, or @key for node devices */
    unsigned char uuid[VIR_UUID_BUFLEN];
    char *key;
    bool legacy; /* virConnectDomainEventRegister */
    /* QEMU monitor events: the name filter (NULL: all), compiled when a
     * regex; @remoteID >= 0: only events carrying it (remote driver) */
    char *monEvent;
    GRegex *monRegex;
    bool monNocase;
    int remoteID;
    void (*cb)(void); /* the user's function, type given by eventID */
    void *opaque;
    virFreeCallback freecb;
    bool deleted; /* under state->lock */
} virObjectEventCallback;

struct _virObjectEventState {
    gint refs;
    GMutex lock;
    GPtrArray *callbacks; /* virObjectEventCallback *, registration order */
    GQueue queue;         /* virObjectEvent * */
    int timer;            /* -1 when none */
    bool keep;            /* keep events until the first callback */
    int nextID;
    bool dispatching;
    bool journaled; /* events go through the journal hook */
};

static virObjectEventJournalFunc journalFunc;
static void *journalOpaque;
static __thread const char *eventRequestor;


static void
virObjectEventFree(virObjectEvent *event)
{
    if (!event)
        return;
    g_free(event->name);
    g_free(event->usageID);
    for (size_t i = 0; i < G_N_ELEMENTS(event->str); i++)
        g_free(event->str[i]);
    for (int i = 0; i < event->nparams; i++) {
        if (event->params[i].type == VIR_TYPED_PARAM_STRING)
            g_free(event->params[i].value.s);
    }
    g_free(event->params);
    g_free(event->local.node);
    g_free(event->local.service);
    g_free(event->remote.node);
    g_free(event->remote.service);
    for (int i = 0; i < event->subject.nidentity; i++) {
        g_free(event->subject.identities[i].type);
        g_free(event->subject.identities[i].name);
    }
    g_free(event->subject.identities);
    g_free(event);
}


static void
virObjectEventCallbackUnref(virObjectEventCallback *cb)
{
    if (!cb || !g_atomic_int_dec_and_test(&cb->refs))
        return;
    if (cb->freecb)
        cb->freecb(cb->opaque);
    if (cb->conn)
        virObjectUnrefConnect(cb->conn);
    g_free(cb->key);
    g_free(cb->monEvent);
    if (cb->monRegex)
        g_regex_unref(cb->monRegex);
    g_free(cb);
}


static virObjectEventState *
virObjectEventStateRef(virObjectEventState *state)
{
    g_atomic_int_inc(&state->refs);
    return state;
}


static void
virObjectEventStateUnref(virObjectEventState *state)
{
    if (!state || !g_atomic_int_dec_and_test(&state->refs))
        return;
    /* Only reachable with no callbacks left (each holds no state ref, but
     * virObjectEventStateFree drops them before its unref). */
    g_queue_clear_full(&state->queue, (GDestroyNotify)virObjectEventFree);
    g_ptr_array_unref(state->callbacks);
    g_mutex_clear(&state->lock);
    g_free(state);
}


virObjectEventState *
virObjectEventStateNew(void)
{
    virObjectEventState *state = g_new0(virObjectEventState, 1);

    state->refs = 1;
    g_mutex_init(&state->lock);
    state->callbacks = g_ptr_array_new();
    g_queue_init(&state->queue);
    state->timer = -1;
    return state;
}


void
virObjectEventStateKeepUntilListener(virObjectEventState *state)
{
    g_mutex_lock(&state->lock);
    state->keep = true;
    g_mutex_unlock(&state->lock);
}


void
virObjectEventStateFree(virObjectEventState *state)
{
    g_autoptr(GPtrArray) dropped = NULL;
    int timer;

    if (!state)
        return;

    g_mutex_lock(&state->lock);
    dropped = g_steal_pointer(&state->callbacks);
    state->callbacks = g_ptr_array_new();
    for (guint i = 0; i < dropped->len; i++)
        ((virObjectEventCallback *)dropped->pdata[i])->deleted = true;
    g_queue_clear_full(&state->queue, (GDestroyNotify)virObjectEventFree);
    timer = state->timer;
    state->timer = -1;
    g_mutex_unlock(&state->lock);

    if (timer >= 0)
        virEventRemoveTimeout(timer);
    for (guint i = 0; i < dropped->len; i++)
        virObjectEventCallbackUnref(dropped->pdata[i]);
    virObjectEventStateUnref(state);
}


static void
virObjectEventTimerFree(void *opaque)
{
    virObjectEventStateUnref(opaque);
}


static void virObjectEventTimer(int timer, void *opaque);


/* Make sure the dispatch timer exists. state->lock held. Returns 0 or -1
 * (error reported). */
static int
virObjectEventStateEnsureTimer(virObjectEventState *state)
{
    if (state->timer >= 0)
        return 0;

    virObjectEventStateRef(state);
    state->timer =
        virEventAddTimeout(-1, virObjectEventTimer, state, virObjectEventTimerFree);
    if (state->timer < 0) {
        state->timer = -1;
        /* the free function never runs for a timer that was not added */
        g_atomic_int_add(&state->refs, -1);
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "could not initialize domain event timer");
        return -1;
    }
    return 0;
}


/* After the callback list shrank: drop the timer when nobody listens.
 * state->lock held; returns the timer to remove (after unlocking), or -1. */
static int
virObjectEventStateReleaseTimer(virObjectEventState *state)
{
    int timer = -1;

    if (state->callbacks->len == 0 && state->timer >= 0) {
        timer = state->timer;
        state->timer = -1;
        g_queue_clear_full(&state->queue, (GDestroyNotify)virObjectEventFree);
    }
    return timer;
}


void
virObjectEventStateQueue(virObjectEventState *state, virObjectEvent *event)
{
    if (!event)
        return;
    if (!state) {
        virObjectEventFree(event);
        return;
    }

    g_mutex_lock(&state->lock);
    if (state->journaled && journalFunc && event->kind != VIR_EVENT_KIND_QEMU_MONITOR)
        journalFunc(event, journalOpaque);
    if (state->timer < 0) {
        /* Nobody listens: events are not kept for later listeners, except
         * in keep mode, for the first one (bounded). */
        if (state->keep && state->queue.length < VIR_OBJECT_EVENT_KEEP_MAX) {
            g_queue_push_tail(&state->queue, event);
            g_mutex_unlock(&state->lock);
            return;
        }
        g_mutex_unlock(&state->lock);
        g_debug("event %d/%d of '%s' dropped: nobody listens", event->kind,
                event->eventID, event->name ? event->name : event->usageID);
        virObjectEventFree(event);
        return;
    }
    g_queue_push_tail(&state->queue, event);
    if (!state->dispatching)
        virEventUpdateTimeout(state->timer, 0);
    g_mutex_unlock(&state->lock);
}


static bool
virObjectEventCallbackMatch(const virObjectEventCallback *cb, const virObjectEvent *event)
{
    if (cb->deleted || cb->kind != event->kind || cb->eventID != event->eventID)
        return false;
    if (cb->kind == VIR_EVENT_KIND_QEMU_MONITOR) {
        /* str[0]: the QMP event's name; num[1]: the server's callback ID */
        if (cb->remoteID >= 0 || event->num[1] >= 0)
            return cb->remoteID == event->num[1];
        if (cb->monRegex && !g_regex_match(cb->monRegex, event->str[0], 0, NULL))
            return false;
        if (!cb->monRegex && cb->monEvent &&
            (cb->monNocase ? g_ascii_strcasecmp(cb->monEvent, event->str[0])
                           : strcmp(cb->monEvent, event->str[0])) != 0)
            return false;
    }
    if (!cb->haveDom)
        return true;
    if (cb->key)
        return g_strcmp0(cb->key, event->name) == 0;
    return memcmp(cb->uuid, event->uuid, VIR_UUID_BUFLEN) == 0;
}


/* The handle of @event's object on @conn and the call of @cb, for the
 * kinds other than domains. */
static void
virObjectEventCallbackCallOther(virObjectEventCallback *cb, const virObjectEvent *event)
{
    bool lifecycle = event->eventID == 0; /* every kind's LIFECYCLE is 0 */
    typedef void (*lifecycleCb)(virConnectPtr, void *, int, int, void *);
    typedef void (*genericCb)(virConnectPtr, void *, void *);
    void *obj = NULL;
    void (*unref)(void *) = NULL;

    switch (event->kind) {
    case VIR_EVENT_KIND_NETWORK:
        obj = virGetNetwork(cb->conn, event->name, event->uuid);
        unref = (void (*)(void *))virObjectUnrefNetwork;
        break;
    case VIR_EVENT_KIND_STORAGE_POOL:
        obj = virGetStoragePool(cb->conn, event->name, event->uuid, NULL, NULL);
        unref = (void (*)(void *))virObjectUnrefStoragePool;
        break;
    case VIR_EVENT_KIND_NODE_DEVICE:
        obj = virGetNodeDevice(cb->conn, event->name);
        unref = (void (*)(void *))virObjectUnrefNodeDevice;
        break;
    case VIR_EVENT_KIND_SECRET:
        obj = virGetSecret(cb->conn, event->uuid, event->usageType, event->usageID);
        unref = (void (*)(void *))virObjectUnrefSecret;
        break;
    default:
        g_debug("event kind %d has no dispatcher", event->kind);
        return;
    }
    /* The callback types of all these kinds differ only in the handle's
     * type: (conn, obj, event, detail, opaque) for LIFECYCLE, (conn, obj,
     * opaque) for the others (REFRESH, UPDATE, VALUE_CHANGED). */
    if (lifecycle)
        ((lifecycleCb)cb->cb)(cb->conn, obj, event->type, event->detail, cb->opaque);
    else
        ((genericCb)cb->cb)(cb->conn, obj, cb->opaque);
    unref(obj);
}


static void
virObjectEventCallbackCall(virObjectEventCallback *cb, const virObjectEvent *event)
{
    virDomainPtr dom;

    if (event->kind == VIR_EVENT_KIND_QEMU_MONITOR) {
        typedef void (*monitorCb)(virConnectPtr, virDomainPtr, const char *, long long,
                                  unsigned int, const char *, void *);

        dom = virGetDomain(cb->conn, event->name, event->uuid, event->id);
        ((monitorCb)cb->cb)(cb->conn, dom, event->str[0], (long long)event->big[0],
                            (unsigned int)event->num[0], event->str[1], cb->opaque);
        virObjectUnrefDomain(dom);
        return;
    }
    if (event->kind != VIR_EVENT_KIND_DOMAIN) {
        virObjectEventCallbackCallOther(cb, event);
        return;
    }
    dom = virGetDomain(cb->conn, event->name, event->uuid, event->id);

    switch (event->eventID) {
    case VIR_DOMAIN_EVENT_ID_LIFECYCLE:
        ((virConnectDomainEventCallback)cb->cb)(cb->conn, dom, event->type, event->detail,
                                                cb->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_REBOOT:
    case VIR_DOMAIN_EVENT_ID_CONTROL_ERROR:
        ((virConnectDomainEventGenericCallback)cb->cb)(cb->conn, dom, cb->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_RTC_CHANGE:
        ((virConnectDomainEventRTCChangeCallback)cb->cb)(
            cb->conn, dom, (long long)event->big[0], cb->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_WATCHDOG:
        ((virConnectDomainEventWatchdogCallback)cb->cb)(cb->conn, dom, event->num[0],
                                                        cb->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_IO_ERROR:
        ((virConnectDomainEventIOErrorCallback)cb->cb)(
            cb->conn, dom, event->str[0], event->str[1], event->num[0], cb->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON:
        ((virConnectDomainEventIOErrorReasonCallback)cb->cb)(cb->conn, dom, event->str[0],
                                                             event->str[1], event->num[0],
                                                             event->str[2], cb->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_GRAPHICS:
        ((virConnectDomainEventGraphicsCallback)cb->cb)(
            cb->conn, dom, event->num[0], &event->local, &event->remote, event->str[0],
            &event->subject, cb->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_BLOCK_JOB:
    case VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2:
        ((virConnectDomainEventBlockJobCallback)cb->cb)(
            cb->conn, dom, event->str[0], event->num[0], event->num[1], cb->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_DISK_CHANGE:
        ((virConnectDomainEventDiskChangeCallback)cb->cb)(cb->conn, dom, event->str[0],
                                                          event->str[1], event->str[2],
                                                          event->num[0], cb->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_TRAY_CHANGE:
        ((virConnectDomainEventTrayChangeCallback)cb->cb)(cb->conn, dom, event->str[0],
                                                          event->num[0], cb->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_PMWAKEUP:
    case VIR_DOMAIN_EVENT_ID_PMSUSPEND:
    case VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK:
        /* the three callback types have the same arguments */
        ((virConnectDomainEventPMWakeupCallback)cb->cb)(cb->conn, dom, event->num[0],
                                                        cb->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE:
        ((virConnectDomainEventBalloonChangeCallback)cb->cb)(cb->conn, dom, event->big[0],
                                                             cb->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED:
    case VIR_DOMAIN_EVENT_ID_DEVICE_ADDED:
    case VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED:
        ((virConnectDomainEventDeviceRemovedCallback)cb->cb)(cb->conn, dom, event->str[0],
                                                             cb->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_TUNABLE:
    case VIR_DOMAIN_EVENT_ID_JOB_COMPLETED:
        ((virConnectDomainEventTunableCallback)cb->cb)(cb->conn, dom, event->params,
                                                       event->nparams, cb->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE:
        ((virConnectDomainEventAgentLifecycleCallback)cb->cb)(
            cb->conn, dom, event->num[0], event->num[1], cb->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION:
        ((virConnectDomainEventMigrationIterationCallback)cb->cb)(
            cb->conn, dom, event->num[0], cb->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_METADATA_CHANGE:
        ((virConnectDomainEventMetadataChangeCallback)cb->cb)(
            cb->conn, dom, event->num[0], event->str[0], cb->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD:
        ((virConnectDomainEventBlockThresholdCallback)cb->cb)(
            cb->conn, dom, event->str[0], event->str[1], event->big[0], event->big[1],
            cb->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_MEMORY_FAILURE:
        ((virConnectDomainEventMemoryFailureCallback)cb->cb)(
            cb->conn, dom, event->num[0], event->num[1], (unsigned int)event->num[2],
            cb->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE:
        ((virConnectDomainEventMemoryDeviceSizeChangeCallback)cb->cb)(
            cb->conn, dom, event->str[0], event->big[0], cb->opaque);
        break;
    default:
        g_debug("event id %d has no dispatcher", event->eventID);
        break;
    }
    virObjectUnrefDomain(dom);
}


static void
virObjectEventStateDispatch(virObjectEventState *state)
{
    GQueue events = G_QUEUE_INIT;
    virObjectEvent *event;

    g_mutex_lock(&state->lock);
    if (state->dispatching) {
        /* a callback flushed from inside a flush: the outer one goes on */
        g_mutex_unlock(&state->lock);
        return;
    }
    state->dispatching = true;
    /* A callback may drop the last connection reference, whose close
     * frees the state (virObjectEventStateFree): keep it alive until the
     * end of this flush. */
    virObjectEventStateRef(state);

    while (!g_queue_is_empty(&state->queue)) {
        events = state->queue;
        g_queue_init(&state->queue);
        if (state->timer >= 0)
            virEventUpdateTimeout(state->timer, -1);

        while ((event = g_queue_pop_head(&events))) {
            g_autoptr(GPtrArray) snapshot = g_ptr_array_new();

            for (guint i = 0; i < state->callbacks->len; i++) {
                virObjectEventCallback *cb = state->callbacks->pdata[i];

                if (virObjectEventCallbackMatch(cb, event)) {
                    g_atomic_int_inc(&cb->refs);
                    g_ptr_array_add(snapshot, cb);
                }
            }

            for (guint i = 0; i < snapshot->len; i++) {
                virObjectEventCallback *cb = snapshot->pdata[i];
                bool deleted = cb->deleted;

                g_mutex_unlock(&state->lock);
                if (!deleted)
                    virObjectEventCallbackCall(cb, event);
                virObjectEventCallbackUnref(cb);
                g_mutex_lock(&state->lock);
            }
            virObjectEventFree(event);
        }
    }

    state->dispatching = false;
    g_mutex_unlock(&state->lock);
    virObjectEventStateUnref(state);
}


static void
virObjectEventTimer(int timer, void *opaque)
{
    virObjectEventStateDispatch(opaque);
}


void
virObjectEventStateFlush(virObjectEventState *state)
{
    if (state)
        virObjectEventStateDispatch(state);
}


/* The filters of a QEMU monitor callback, set before it is published. */
typedef struct {
    const char *event;
    GRegex *regex; /* taken */
    bool nocase;
    int remoteID;
} virObjectEventMonitorFilter;

/* Add a callback for @kind's @eventID, filtered on @uuid (or @key) when
 * given, and on @mon for a QEMU monitor callback (no duplicate check:
 * one function may listen with several filters). Returns its id or -1
 * (error reported). */
static int
virObjectEventStateAddFull(virConnectPtr conn, virObjectEventState *state, int kind,
                           const unsigned char *uuid, const char *key, int eventID,
                           bool legacy, void (*cb)(void), void *opaque,
                           virFreeCallback freecb, virObjectEventMonitorFilter *mon)
{
    bool filtered = uuid || key;

    virObjectEventCallback *ecb;
    int ret;

    g_mutex_lock(&state->lock);
    /* as libvirt: a monitor callback with a name filter is never a
     * duplicate; one without is, of the same function on the same domain
     * (a remote driver's: the server checked) */
    for (guint i = 0;
         !(mon && (mon->event || mon->remoteID >= 0)) && i < state->callbacks->len; i++) {
        virObjectEventCallback *other = state->callbacks->pdata[i];

        if (other->conn != conn || other->cb != cb || other->kind != kind ||
            other->eventID != eventID || other->legacy != legacy ||
            other->haveDom != filtered)
            continue;
        if (uuid && memcmp(other->uuid, uuid, VIR_UUID_BUFLEN) != 0)
            continue;
        if (key && g_strcmp0(other->key, key) != 0)
            continue;
        g_mutex_unlock(&state->lock);
        virReportError(VIR_ERR_INVALID_ARG, "%s", "event callback already tracked");
        return -1;
    }

    if (virObjectEventStateEnsureTimer(state) < 0) {
        g_mutex_unlock(&state->lock);
        return -1;
    }

    ecb = g_new0(virObjectEventCallback, 1);
    ecb->refs = 1;
    ecb->callbackID = state->nextID++;
    ecb->kind = kind;
    ecb->eventID = eventID;
    ecb->conn = conn;
    virObjectRefConnect(conn);
    ecb->haveDom = filtered;
    if (uuid)
        memcpy(ecb->uuid, uuid, VIR_UUID_BUFLEN);
    ecb->key = g_strdup(key);
    ecb->legacy = legacy;
    if (mon) {
        ecb->monEvent = g_strdup(mon->event);
        ecb->monRegex = g_steal_pointer(&mon->regex);
        ecb->monNocase = mon->nocase;
        ecb->remoteID = mon->remoteID;
    }
    ecb->cb = cb;
    ecb->opaque = opaque;
    ecb->freecb = freecb;
    g_ptr_array_add(state->callbacks, ecb);
    ret = ecb->callbackID;
    if (state->keep) {
        /* the first listener: what was kept for it goes out now */
        state->keep = false;
        if (state->queue.length > 0 && !state->dispatching)
            virEventUpdateTimeout(state->timer, 0);
    }
    g_mutex_unlock(&state->lock);

    g_debug("registered callback %d (event %d%s)", ret, eventID,
            legacy ? ", legacy" : "");
    return ret;
}


static int
virObjectEventStateAdd(virConnectPtr conn, virObjectEventState *state, int kind,
                       const unsigned char *uuid, const char *key, int eventID,
                       bool legacy, void (*cb)(void), void *opaque,
                       virFreeCallback freecb)
{
    return virObjectEventStateAddFull(conn, state, kind, uuid, key, eventID, legacy, cb,
                                      opaque, freecb, NULL);
}


/* Remove the callbacks at @idx (state->lock held); hands them to @out. */
static void
virObjectEventStateTake(virObjectEventState *state, guint idx, GPtrArray *out)
{
    virObjectEventCallback *cb = g_ptr_array_steal_index(state->callbacks, idx);

    cb->deleted = true;
    g_ptr_array_add(out, cb);
}


int
virDomainEventStateRegisterID(virConnectPtr conn, virObjectEventState *state,
                              virDomainPtr dom, int eventID,
                              virConnectDomainEventGenericCallback cb, void *opaque,
                              virFreeCallback freecb)
{
    if (eventID < 0 || eventID > VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE) {
        virReportError(VIR_ERR_INVALID_ARG, "unknown event id %d", eventID);
        return -1;
    }
    return virObjectEventStateAdd(conn, state, VIR_EVENT_KIND_DOMAIN,
                                  dom ? dom->uuid : NULL, NULL, eventID, false,
                                  (void (*)(void))cb, opaque, freecb);
}


int
virObjectEventStateDeregisterID(virConnectPtr conn, virObjectEventState *state,
                                int callbackID)
{
    return virObjectEventStateDeregisterKindID(conn, state, VIR_EVENT_KIND_DOMAIN,
                                               callbackID);
}


int
virObjectEventStateDeregisterKindID(virConnectPtr conn, virObjectEventState *state,
                                    virObjectEventKind kind, int callbackID)
{
    g_autoptr(GPtrArray) removed = g_ptr_array_new();
    int timer;

    g_mutex_lock(&state->lock);
    for (guint i = 0; i < state->callbacks->len; i++) {
        virObjectEventCallback *cb = state->callbacks->pdata[i];

        if (cb->callbackID == callbackID && cb->conn == conn && cb->kind == (int)kind) {
            virObjectEventStateTake(state, i, removed);
            break;
        }
    }
    timer = virObjectEventStateReleaseTimer(state);
    g_mutex_unlock(&state->lock);

    if (removed->len == 0) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "could not find event callback %d for deletion", callbackID);
        return -1;
    }
    if (timer >= 0)
        virEventRemoveTimeout(timer);
    virObjectEventCallbackUnref(removed->pdata[0]);
    return 0;
}


int
virDomainEventStateRegister(virConnectPtr conn, virObjectEventState *state,
                            virConnectDomainEventCallback cb, void *opaque,
                            virFreeCallback freecb)
{
    int id = virObjectEventStateAdd(conn, state, VIR_EVENT_KIND_DOMAIN, NULL, NULL,
                                    VIR_DOMAIN_EVENT_ID_LIFECYCLE, true,
                                    (void (*)(void))cb, opaque, freecb);

    return id < 0 ? -1 : 0;
}


int
virDomainEventStateDeregister(virConnectPtr conn, virObjectEventState *state,
                              virConnectDomainEventCallback cb)
{
    g_autoptr(GPtrArray) removed = g_ptr_array_new();
    int timer;

    g_mutex_lock(&state->lock);
    for (guint i = 0; i < state->callbacks->len; i++) {
        virObjectEventCallback *ecb = state->callbacks->pdata[i];

        if (ecb->legacy && ecb->kind == VIR_EVENT_KIND_DOMAIN && ecb->conn == conn &&
            ecb->cb == (void (*)(void))cb) {
            virObjectEventStateTake(state, i, removed);
            break;
        }
    }
    timer = virObjectEventStateReleaseTimer(state);
    g_mutex_unlock(&state->lock);

    if (removed->len == 0) {
        virReportError(VIR_ERR_INVALID_ARG, "event callback function %p not registered",
                       (void *)(uintptr_t)cb);
        return -1;
    }
    if (timer >= 0)
        virEventRemoveTimeout(timer);
    virObjectEventCallbackUnref(removed->pdata[0]);
    return 0;
}


void
virObjectEventStateDeregisterConn(virObjectEventState *state, virConnectPtr conn)
{
    g_autoptr(GPtrArray) removed = g_ptr_array_new();
    int timer;

    if (!state)
        return;

    g_mutex_lock(&state->lock);
    for (guint i = 0; i < state->callbacks->len;) {
        virObjectEventCallback *cb = state->callbacks->pdata[i];

        if (cb->conn == conn)
            virObjectEventStateTake(state, i, removed);
        else
            i++;
    }
    timer = virObjectEventStateReleaseTimer(state);
    g_mutex_unlock(&state->lock);

    if (timer >= 0)
        virEventRemoveTimeout(timer);
    for (guint i = 0; i < removed->len; i++) {
        virObjectEventCallback *cb = removed->pdata[i];

        /* Called from the driver's connectClose once the last reference is
         * gone: the callback's reference is then already spent. */
        if (g_atomic_int_get(&conn->refs) <= 0)
            cb->conn = NULL;
        virObjectEventCallbackUnref(cb);
    }
}


virObjectEvent *
virDomainEventNew(int eventID, int id, const char *name, const unsigned char *uuid)
{
    virObjectEvent *event = g_new0(virObjectEvent, 1);

    event->eventID = eventID;
    event->id = id;
    event->name = g_strdup(name);
    memcpy(event->uuid, uuid, VIR_UUID_BUFLEN);
    return event;
}


virObjectEvent *
virDomainEventLifecycleNew(int id, const char *name, const unsigned char *uuid, int type,
                           int detail)
{
    virObjectEvent *event =
        virDomainEventNew(VIR_DOMAIN_EVENT_ID_LIFECYCLE, id, name, uuid);

    event->type = type;
    event->detail = detail;
    return event;
}


virObjectEvent *
virDomainEventLifecycleNewFromObj(virDomainObj *obj, int type, int detail)
{
    return virDomainEventLifecycleNew(obj->def->id, obj->def->name, obj->def->uuid, type,
                                      detail);
}


virObjectEvent *
virDomainEventRebootNew(int id, const char *name, const unsigned char *uuid)
{
    return virDomainEventNew(VIR_DOMAIN_EVENT_ID_REBOOT, id, name, uuid);
}


virObjectEvent *
virDomainEventRebootNewFromObj(virDomainObj *obj)
{
    return virDomainEventRebootNew(obj->def->id, obj->def->name, obj->def->uuid);
}


void
virObjectEventGetRecord(const virObjectEvent *event, virObjectEventRecord *rec)
{
    memset(rec, 0, sizeof(*rec));
    rec->kind = event->kind;
    rec->eventID = event->eventID;
    rec->id = event->id;
    rec->name = event->name ? event->name : event->usageID;
    rec->uuid = event->uuid;
    if (event->eventID == 0) { /* every kind's LIFECYCLE */
        rec->num[0] = event->type;
        rec->num[1] = event->detail;
        return;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(event->num); i++)
        rec->num[i] = event->num[i];
    for (size_t i = 0; i < G_N_ELEMENTS(event->big); i++)
        rec->big[i] = event->big[i];
    for (size_t i = 0; i < G_N_ELEMENTS(event->str); i++)
        rec->str[i] = event->str[i];
    if (event->kind == VIR_EVENT_KIND_DOMAIN &&
        event->eventID == VIR_DOMAIN_EVENT_ID_GRAPHICS) {
        rec->num[1] = event->local.family;
        rec->num[2] = event->remote.family;
        rec->str[1] = event->local.node;
        rec->str[2] = event->local.service;
        rec->str[3] = event->remote.node;
        rec->str[4] = event->remote.service;
    }
}


void
virObjectEventSetJournal(virObjectEventJournalFunc fn, void *opaque)
{
    journalFunc = fn;
    journalOpaque = opaque;
}


void
virObjectEventStateSetJournaled(virObjectEventState *state)
{
    g_mutex_lock(&state->lock);
    state->journaled = true;
    g_mutex_unlock(&state->lock);
}


void
virObjectEventSetRequestor(const char *requestor)
{
    eventRequestor = requestor;
}


const char *
virObjectEventGetRequestor(void)
{
    return eventRequestor;
}


/* ---- the other object kinds (object_event.h) ------------------------------ */

static int
virObjectEventStateRegisterKind(virConnectPtr conn, virObjectEventState *state,
                                virObjectEventKind kind, int last, int eventID,
                                const unsigned char *uuid, const char *key,
                                void (*cb)(void), void *opaque, virFreeCallback freecb)
{
    if (eventID < 0 || eventID > last) {
        virReportError(VIR_ERR_INVALID_ARG, "unknown event id %d", eventID);
        return -1;
    }
    return virObjectEventStateAdd(conn, state, kind, uuid, key, eventID, false, cb,
                                  opaque, freecb);
}


int
virNetworkEventStateRegisterID(virConnectPtr conn, virObjectEventState *state,
                               virNetworkPtr net, int eventID,
                               virConnectNetworkEventGenericCallback cb, void *opaque,
                               virFreeCallback freecb)
{
    return virObjectEventStateRegisterKind(
        conn, state, VIR_EVENT_KIND_NETWORK, VIR_NETWORK_EVENT_ID_LIFECYCLE, eventID,
        net ? net->uuid : NULL, NULL, (void (*)(void))cb, opaque, freecb);
}


int
virStoragePoolEventStateRegisterID(virConnectPtr conn, virObjectEventState *state,
                                   virStoragePoolPtr pool, int eventID,
                                   virConnectStoragePoolEventGenericCallback cb,
                                   void *opaque, virFreeCallback freecb)
{
    return virObjectEventStateRegisterKind(
        conn, state, VIR_EVENT_KIND_STORAGE_POOL, VIR_STORAGE_POOL_EVENT_ID_REFRESH,
        eventID, pool ? pool->uuid : NULL, NULL, (void (*)(void))cb, opaque, freecb);
}


int
virNodeDeviceEventStateRegisterID(virConnectPtr conn, virObjectEventState *state,
                                  virNodeDevicePtr dev, int eventID,
                                  virConnectNodeDeviceEventGenericCallback cb,
                                  void *opaque, virFreeCallback freecb)
{
    return virObjectEventStateRegisterKind(
        conn, state, VIR_EVENT_KIND_NODE_DEVICE, VIR_NODE_DEVICE_EVENT_ID_UPDATE, eventID,
        NULL, dev ? dev->name : NULL, (void (*)(void))cb, opaque, freecb);
}


int
virSecretEventStateRegisterID(virConnectPtr conn, virObjectEventState *state,
                              virSecretPtr secret, int eventID,
                              virConnectSecretEventGenericCallback cb, void *opaque,
                              virFreeCallback freecb)
{
    return virObjectEventStateRegisterKind(
        conn, state, VIR_EVENT_KIND_SECRET, VIR_SECRET_EVENT_ID_VALUE_CHANGED, eventID,
        secret ? secret->uuid : NULL, NULL, (void (*)(void))cb, opaque, freecb);
}


static virObjectEvent *
virObjectEventNewKind(virObjectEventKind kind, int eventID, const char *name,
                      const unsigned char *uuid, int type, int detail)
{
    virObjectEvent *event = g_new0(virObjectEvent, 1);

    event->kind = kind;
    event->eventID = eventID;
    event->id = -1;
    event->name = g_strdup(name);
    if (uuid)
        memcpy(event->uuid, uuid, VIR_UUID_BUFLEN);
    event->type = type;
    event->detail = detail;
    return event;
}


virObjectEvent *
virNetworkEventLifecycleNew(const char *name, const unsigned char *uuid, int type,
                            int detail)
{
    return virObjectEventNewKind(VIR_EVENT_KIND_NETWORK, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                 name, uuid, type, detail);
}


virObjectEvent *
virStoragePoolEventLifecycleNew(const char *name, const unsigned char *uuid, int type,
                                int detail)
{
    return virObjectEventNewKind(VIR_EVENT_KIND_STORAGE_POOL,
                                 VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE, name, uuid, type,
                                 detail);
}


virObjectEvent *
virStoragePoolEventRefreshNew(const char *name, const unsigned char *uuid)
{
    return virObjectEventNewKind(VIR_EVENT_KIND_STORAGE_POOL,
                                 VIR_STORAGE_POOL_EVENT_ID_REFRESH, name, uuid, 0, 0);
}


virObjectEvent *
virNodeDeviceEventLifecycleNew(const char *name, int type, int detail)
{
    return virObjectEventNewKind(VIR_EVENT_KIND_NODE_DEVICE,
                                 VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE, name, NULL, type,
                                 detail);
}


virObjectEvent *
virNodeDeviceEventUpdateNew(const char *name)
{
    return virObjectEventNewKind(VIR_EVENT_KIND_NODE_DEVICE,
                                 VIR_NODE_DEVICE_EVENT_ID_UPDATE, name, NULL, 0, 0);
}


virObjectEvent *
virSecretEventLifecycleNew(const unsigned char *uuid, int usageType, const char *usageID,
                           int type, int detail)
{
    virObjectEvent *event = virObjectEventNewKind(
        VIR_EVENT_KIND_SECRET, VIR_SECRET_EVENT_ID_LIFECYCLE, NULL, uuid, type, detail);

    event->usageType = usageType;
    event->usageID = g_strdup(usageID);
    return event;
}


virObjectEvent *
virSecretEventValueChangedNew(const unsigned char *uuid, int usageType,
                              const char *usageID)
{
    virObjectEvent *event = virObjectEventNewKind(
        VIR_EVENT_KIND_SECRET, VIR_SECRET_EVENT_ID_VALUE_CHANGED, NULL, uuid, 0, 0);

    event->usageType = usageType;
    event->usageID = g_strdup(usageID);
    return event;
}


/* ---- libvirt-qemu's monitor events ------------------------------------------- */

/* Register a QEMU monitor callback; @remoteID -1 for a local one with its
 * filters. @regex is taken. */
static int
virDomainQemuMonitorEventStateAdd(virConnectPtr conn, virObjectEventState *state,
                                  virDomainPtr dom, const char *event, GRegex *regex,
                                  bool nocase, int remoteID, void (*cb)(void),
                                  void *opaque, virFreeCallback freecb)
{
    virObjectEventMonitorFilter mon = {
        .event = event, .regex = regex, .nocase = nocase, .remoteID = remoteID
    };
    int id = virObjectEventStateAddFull(conn, state, VIR_EVENT_KIND_QEMU_MONITOR,
                                        dom ? dom->uuid : NULL, NULL, 0, false, cb,
                                        opaque, freecb, &mon);

    if (mon.regex)
        g_regex_unref(mon.regex);
    return id;
}


int
virDomainQemuMonitorEventStateRegisterID(virConnectPtr conn, virObjectEventState *state,
                                         virDomainPtr dom, const char *event,
                                         void (*cb)(void), void *opaque,
                                         virFreeCallback freecb, unsigned int flags)
{
    GRegex *regex = NULL;

    virCheckFlags(VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_REGEX |
                      VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_NOCASE,
                  -1);
    if (event && (flags & VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_REGEX)) {
        g_autoptr(GError) err = NULL;
        GRegexCompileFlags cflags = G_REGEX_OPTIMIZE;

        if (flags & VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_NOCASE)
            cflags |= G_REGEX_CASELESS;
        if (!(regex = g_regex_new(event, cflags, 0, &err))) {
            virReportError(VIR_ERR_INVALID_ARG, "failed to compile regex '%s': %s", event,
                           err->message);
            return -1;
        }
    }
    return virDomainQemuMonitorEventStateAdd(
        conn, state, dom, event, regex,
        (flags & VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_NOCASE) != 0, -1, cb,
        opaque, freecb);
}


int
virDomainQemuMonitorEventStateRegisterRemote(virConnectPtr conn,
                                             virObjectEventState *state, int remoteID,
                                             void (*cb)(void), void *opaque,
                                             virFreeCallback freecb)
{
    return virDomainQemuMonitorEventStateAdd(conn, state, NULL, NULL, NULL, false,
                                             remoteID, cb, opaque, freecb);
}


virObjectEvent *
virDomainQemuMonitorEventNew(int id, const char *name, const unsigned char *uuid,
                             const char *event, long long seconds, unsigned int micros,
                             const char *details, int remoteID)
{
    virObjectEvent *ev =
        virObjectEventNewKind(VIR_EVENT_KIND_QEMU_MONITOR, 0, name, uuid, 0, 0);

    ev->id = id;
    ev->str[0] = g_strdup(event);
    ev->str[1] = g_strdup(details);
    ev->big[0] = (unsigned long long)seconds;
    ev->num[0] = (int)micros;
    ev->num[1] = remoteID;
    return ev;
}


bool
virObjectEventStateHasKind(virObjectEventState *state, virObjectEventKind kind)
{
    bool found = false;

    if (!state)
        return false;
    g_mutex_lock(&state->lock);
    for (guint i = 0; i < state->callbacks->len && !found; i++)
        found = ((virObjectEventCallback *)state->callbacks->pdata[i])->kind == (int)kind;
    g_mutex_unlock(&state->lock);
    return found;
}


int
virObjectEventStateRemoteIDOf(virObjectEventState *state, virConnectPtr conn,
                              virObjectEventKind kind, int callbackID)
{
    int remoteID = -1;

    g_mutex_lock(&state->lock);
    for (guint i = 0; i < state->callbacks->len; i++) {
        virObjectEventCallback *cb = state->callbacks->pdata[i];

        if (cb->callbackID == callbackID && cb->conn == conn && cb->kind == (int)kind) {
            remoteID = cb->remoteID;
            break;
        }
    }
    g_mutex_unlock(&state->lock);
    return remoteID;
}


int
virDomainQemuMonitorEventStateDeregisterID(virConnectPtr conn, virObjectEventState *state,
                                           int callbackID)
{
    bool found = false;

    g_mutex_lock(&state->lock);
    for (guint i = 0; i < state->callbacks->len && !found; i++) {
        virObjectEventCallback *cb = state->callbacks->pdata[i];

        found = cb->callbackID == callbackID && cb->conn == conn &&
                cb->kind == VIR_EVENT_KIND_QEMU_MONITOR;
    }
    g_mutex_unlock(&state->lock);
    if (!found) {
        virReportError(VIR_ERR_INVALID_ARG, "event callback id %d not registered",
                       callbackID);
        return -1;
    }
    return virObjectEventStateDeregisterKindID(conn, state, VIR_EVENT_KIND_QEMU_MONITOR,
                                               callbackID);
}
