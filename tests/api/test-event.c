/* test-event.c: the event loop (virEvent*) and domain event registration and dispatch */
#include <string.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include "datatypes.h"
#include "domain_event.h"
#include "virevent.h"

#define URI "test:///default"

static const char *defineXML = "<domain type='test'><name>%s</name><memory>1024</memory>"
                               "<os><type>hvm</type></os></domain>";

static void
quietErrors(void *opaque, virErrorPtr err)
{
}


/* A guard against a hang: tests wait for behaviour, never for time, but a
 * broken loop must fail the test instead of blocking forever. */
static void
guardFired(int timer, void *opaque)
{
    *(bool *)opaque = true;
}

#define RUN_LOOP_UNTIL(cond)                                                 \
    do {                                                                     \
        bool _expired = false;                                               \
        int _guard = virEventAddTimeout(30000, guardFired, &_expired, NULL); \
        g_assert_cmpint(_guard, >, 0);                                       \
        while (!(cond) && !_expired)                                         \
            virEventRunDefaultImpl();                                        \
        virEventRemoveTimeout(_guard);                                       \
        g_assert_false(_expired);                                            \
    } while (0)


/* ---- Without any implementation (in a subprocess) ------------------------ */

static void
countTimer(int timer, void *opaque)
{
    (*(int *)opaque)++;
}


static void
testNoImpl(void)
{
    if (g_test_subprocess()) {
        int fired = 0;
        virConnectPtr conn;

        g_assert_false(virEventIsRegistered());
        g_assert_cmpint(virEventAddTimeout(0, countTimer, &fired, NULL), ==, -1);
        g_assert_cmpint(virEventAddHandle(0, VIR_EVENT_HANDLE_READABLE, NULL, NULL, NULL),
                        ==, -1);
        g_assert_cmpint(virEventRemoveTimeout(1), ==, -1);
        g_assert_cmpint(virEventRemoveHandle(1), ==, -1);
        virEventUpdateTimeout(1, 0); /* no crash, nothing to do */

        conn = virConnectOpen(URI);
        g_assert_nonnull(conn);
        g_assert_cmpint(virConnectDomainEventRegisterAny(
                            conn, NULL, 0,
                            (virConnectDomainEventGenericCallback)countTimer, NULL, NULL),
                        ==, -1);
        g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INTERNAL_ERROR);
        g_assert_cmpstr(virGetLastErrorMessage(), ==,
                        "internal error: could not initialize domain event timer");
        g_assert_cmpint(virConnectClose(conn), ==, 0);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
}


/* ---- An application's own implementation (in a subprocess) -------------- */

static GString *implLog;
static void *implOpaque;
static virFreeCallback implFree;

static int
implAddTimeout(int timeout, virEventTimeoutCallback cb, void *opaque, virFreeCallback ff)
{
    g_string_append_printf(implLog, "add(%d);", timeout);
    implOpaque = opaque;
    implFree = ff;
    return 77;
}

static void
implUpdateTimeout(int timer, int timeout)
{
    g_string_append_printf(implLog, "update(%d,%d);", timer, timeout);
}

static int
implRemoveTimeout(int timer)
{
    g_string_append_printf(implLog, "remove(%d);", timer);
    /* as a real loop would, once the timer can no longer fire */
    if (timer == 77 && implFree)
        implFree(implOpaque);
    return 0;
}

static int
implAddHandle(int fd, int event, virEventHandleCallback cb, void *opaque,
              virFreeCallback ff)
{
    g_string_append_printf(implLog, "addh(%d,%d);", fd, event);
    return 5;
}

static void
implUpdateHandle(int watch, int event)
{
    g_string_append_printf(implLog, "updateh(%d,%d);", watch, event);
}

static int
implRemoveHandle(int watch)
{
    g_string_append_printf(implLog, "removeh(%d);", watch);
    return 0;
}

static void
lifecycleNoop(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
}


static void
testCustomImpl(void)
{
    if (g_test_subprocess()) {
        virConnectPtr conn;
        virDomainPtr dom;
        int id;

        implLog = g_string_new(NULL);
        virEventRegisterImpl(implAddHandle, implUpdateHandle, implRemoveHandle,
                             implAddTimeout, implUpdateTimeout, implRemoveTimeout);
        g_assert_true(virEventIsRegistered());
        g_assert_false(virEventIsDefaultImpl());
        g_assert_cmpint(virEventAddHandle(3, VIR_EVENT_HANDLE_WRITABLE, NULL, NULL, NULL),
                        ==, 5);
        virEventUpdateHandle(5, 0);
        g_assert_cmpint(virEventRemoveHandle(5), ==, 0);
        g_assert_cmpstr(implLog->str, ==, "addh(3,2);updateh(5,0);removeh(5);");
        g_string_truncate(implLog, 0);

        /* domain events use the application's loop: a disabled timer at
         * registration, armed when an event is queued, removed with the
         * last callback */
        conn = virConnectOpen(URI);
        id = virConnectDomainEventRegisterAny(
            conn, NULL, 0, VIR_DOMAIN_EVENT_CALLBACK(lifecycleNoop), NULL, NULL);
        g_assert_cmpint(id, >=, 0);
        dom = virDomainLookupByName(conn, "test");
        g_assert_cmpint(virDomainSuspend(dom), ==, 0);
        g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, id), ==, 0);
        g_assert_cmpstr(implLog->str, ==, "add(-1);update(77,0);remove(77);");
        virDomainFree(dom);
        g_assert_cmpint(virConnectClose(conn), ==, 0);
        g_string_free(implLog, TRUE);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
}


/* ---- The default implementation ------------------------------------------ */

typedef struct {
    int fired;
    int lastTimer;
    int freed;
} TimerData;

static void
timerCb(int timer, void *opaque)
{
    TimerData *d = opaque;

    d->fired++;
    d->lastTimer = timer;
}

static void
timerFree(void *opaque)
{
    ((TimerData *)opaque)->freed++;
}


static void
testTimeouts(void)
{
    TimerData every = { 0 }, disabled = { 0 };
    int t1, t2;

    t1 = virEventAddTimeout(0, timerCb, &every, timerFree);
    t2 = virEventAddTimeout(-1, timerCb, &disabled, timerFree);
    g_assert_cmpint(t1, >, 0);
    g_assert_cmpint(t2, >, 0);
    g_assert_cmpint(t1, !=, t2);

    /* frequency 0 fires on every iteration; -1 never */
    RUN_LOOP_UNTIL(every.fired >= 3);
    g_assert_cmpint(every.lastTimer, ==, t1);
    g_assert_cmpint(disabled.fired, ==, 0);

    /* enabling the second one; disabling the first */
    virEventUpdateTimeout(t1, -1);
    virEventUpdateTimeout(t2, 0);
    every.fired = 0;
    RUN_LOOP_UNTIL(disabled.fired >= 2);
    g_assert_cmpint(every.fired, ==, 0);
    g_assert_cmpint(disabled.lastTimer, ==, t2);

    /* removal: the free function runs later, from the loop */
    g_assert_cmpint(virEventRemoveTimeout(t1), ==, 0);
    g_assert_cmpint(virEventRemoveTimeout(t2), ==, 0);
    g_assert_cmpint(virEventRemoveTimeout(t2), ==, -1);
    RUN_LOOP_UNTIL(every.freed == 1 && disabled.freed == 1);
    disabled.fired = 0;
    /* nothing fires after removal: one more timer proves the loop ran */
    {
        TimerData probe = { 0 };
        int t3 = virEventAddTimeout(0, timerCb, &probe, NULL);

        RUN_LOOP_UNTIL(probe.fired >= 2);
        virEventRemoveTimeout(t3);
    }
    g_assert_cmpint(disabled.fired, ==, 0);
    g_assert_cmpint(every.fired, ==, 0);
}


typedef struct {
    int calls;
    int lastEvents;
    int watch;
    int fd;
    int freed;
} HandleData;

static void
handleCb(int watch, int fd, int events, void *opaque)
{
    HandleData *d = opaque;
    char c;

    d->calls++;
    d->lastEvents = events;
    d->watch = watch;
    d->fd = fd;
    if (events & VIR_EVENT_HANDLE_READABLE)
        g_assert_cmpint(read(fd, &c, 1), ==, 1);
}

static void
handleFree(void *opaque)
{
    ((HandleData *)opaque)->freed++;
}


static void
testHandles(void)
{
    HandleData d = { 0 };
    int fds[2];
    int watch;

    g_assert_cmpint(pipe(fds), ==, 0);
    watch =
        virEventAddHandle(fds[0], VIR_EVENT_HANDLE_READABLE, handleCb, &d, handleFree);
    g_assert_cmpint(watch, >, 0);

    g_assert_cmpint(write(fds[1], "x", 1), ==, 1);
    RUN_LOOP_UNTIL(d.calls == 1);
    g_assert_cmpint(d.watch, ==, watch);
    g_assert_cmpint(d.fd, ==, fds[0]);
    g_assert_true(d.lastEvents & VIR_EVENT_HANDLE_READABLE);

    /* events 0: no callback even though data is waiting */
    virEventUpdateHandle(watch, 0);
    g_assert_cmpint(write(fds[1], "y", 1), ==, 1);
    {
        TimerData probe = { 0 };
        int t = virEventAddTimeout(0, timerCb, &probe, NULL);

        RUN_LOOP_UNTIL(probe.fired >= 3);
        virEventRemoveTimeout(t);
    }
    g_assert_cmpint(d.calls, ==, 1);
    virEventUpdateHandle(watch, VIR_EVENT_HANDLE_READABLE);
    RUN_LOOP_UNTIL(d.calls == 2);

    /* the writer closes: the reader sees a hangup */
    close(fds[1]);
    RUN_LOOP_UNTIL(d.lastEvents & VIR_EVENT_HANDLE_HANGUP);

    g_assert_cmpint(virEventRemoveHandle(watch), ==, 0);
    g_assert_cmpint(virEventRemoveHandle(watch), ==, -1);
    RUN_LOOP_UNTIL(d.freed == 1);
    close(fds[0]);
}


typedef struct {
    GMutex lock;
    GCond cond;
    bool looping;
    TimerData data;
    int timer;
} WakeData;

static gpointer
wakeThread(gpointer opaque)
{
    WakeData *w = opaque;

    g_mutex_lock(&w->lock);
    while (!w->looping)
        g_cond_wait(&w->cond, &w->lock);
    g_mutex_unlock(&w->lock);
    /* the loop thread is (about to be) blocked with nothing to do */
    w->timer = virEventAddTimeout(0, timerCb, &w->data, NULL);
    return NULL;
}


static void
testWakeFromThread(void)
{
    WakeData w = { 0 };
    GThread *thread;

    g_mutex_init(&w.lock);
    g_cond_init(&w.cond);
    thread = g_thread_new("waker", wakeThread, &w);

    g_mutex_lock(&w.lock);
    w.looping = true;
    g_cond_signal(&w.cond);
    g_mutex_unlock(&w.lock);
    RUN_LOOP_UNTIL(g_atomic_int_get(&w.data.fired) > 0);

    g_thread_join(thread);
    virEventRemoveTimeout(w.timer);
    g_mutex_clear(&w.lock);
    g_cond_clear(&w.cond);
}


#define CHURN_THREADS 4
#define CHURN_TIMERS 500

static gint churnFreed;
static gint churnDone;

static void
churnNoop(int timer, void *opaque)
{
}

static void
churnFree(void *opaque)
{
    g_atomic_int_inc(&churnFreed);
}

static gpointer
churnThread(gpointer opaque)
{
    for (int i = 0; i < CHURN_TIMERS; i++) {
        int t = virEventAddTimeout(i % 2 ? 0 : -1, churnNoop, NULL, churnFree);

        g_assert_cmpint(t, >, 0);
        virEventUpdateTimeout(t, i % 3 ? 0 : 5);
        g_assert_cmpint(virEventRemoveTimeout(t), ==, 0);
    }
    /* The loop may have seen the last free before this count went up, and
     * be asleep again: wake it so that it re-checks its condition. */
    g_atomic_int_inc(&churnDone);
    g_main_context_wakeup(NULL);
    return NULL;
}


/* Watches and timers added and removed from several threads while the
 * loop runs: every free function runs exactly once, in the loop. */
static void
testChurnFromThreads(void)
{
    GThread *threads[CHURN_THREADS];

    for (int i = 0; i < CHURN_THREADS; i++)
        threads[i] = g_thread_new("churn", churnThread, NULL);
    RUN_LOOP_UNTIL(g_atomic_int_get(&churnDone) == CHURN_THREADS &&
                   g_atomic_int_get(&churnFreed) == CHURN_THREADS * CHURN_TIMERS);
    for (int i = 0; i < CHURN_THREADS; i++)
        g_thread_join(threads[i]);
    g_assert_cmpint(g_atomic_int_get(&churnFreed), ==, CHURN_THREADS * CHURN_TIMERS);
}


/* ---- Domain events through the API --------------------------------------- */

typedef struct {
    GString *log;
    int count;
} EventLog;

static void
logLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    EventLog *log = opaque;

    g_string_append_printf(log->log, "%s:%d/%d;", virDomainGetName(dom), event, detail);
    log->count++;
}

static int
logLegacy(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    EventLog *log = opaque;

    g_string_append_printf(log->log, "legacy %s:%d/%d;", virDomainGetName(dom), event,
                           detail);
    log->count++;
    return 0;
}

static void
logFree(void *opaque)
{
    EventLog *log = opaque;

    g_string_append(log->log, "free;");
}


static void
testDispatchOrder(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    EventLog all = { g_string_new(NULL), 0 };
    EventLog only = { g_string_new(NULL), 0 };
    EventLog legacy = { g_string_new(NULL), 0 };
    g_autofree char *xml = g_strdup_printf(defineXML, "ev1");
    virDomainPtr ev1;
    int idAll, idOnly;

    idAll = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                             VIR_DOMAIN_EVENT_CALLBACK(logLifecycle),
                                             &all, logFree);
    idOnly = virConnectDomainEventRegisterAny(conn, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                              VIR_DOMAIN_EVENT_CALLBACK(logLifecycle),
                                              &only, logFree);
    g_assert_cmpint(idAll, >=, 0);
    g_assert_cmpint(idOnly, >, idAll);
    g_assert_cmpint(virConnectDomainEventRegister(conn, logLegacy, &legacy, logFree), ==,
                    0);

    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    ev1 = virDomainDefineXML(conn, xml);
    g_assert_nonnull(ev1);
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    g_assert_cmpint(virDomainCreate(ev1), ==, 0);
    g_assert_cmpint(virDomainDestroy(ev1), ==, 0);
    g_assert_cmpint(virDomainUndefine(ev1), ==, 0);
    virDomainFree(ev1);
    /* never inside the API calls */
    g_assert_cmpint(all.count, ==, 0);

    RUN_LOOP_UNTIL(all.count == 6 && legacy.count == 6);
    g_assert_cmpstr(all.log->str, ==,
                    "test:3/0;ev1:0/0;test:4/0;ev1:2/0;ev1:5/1;ev1:1/0;");
    g_assert_cmpstr(legacy.log->str, ==,
                    "legacy test:3/0;legacy ev1:0/0;legacy test:4/0;"
                    "legacy ev1:2/0;legacy ev1:5/1;legacy ev1:1/0;");
    /* filtered by domain */
    g_assert_cmpstr(only.log->str, ==, "test:3/0;test:4/0;");

    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, idOnly), ==, 0);
    g_assert_cmpstr(only.log->str, ==, "test:3/0;test:4/0;free;");
    g_assert_cmpint(virConnectDomainEventDeregister(conn, logLegacy), ==, 0);
    g_assert_cmpint(virConnectDomainEventDeregister(conn, logLegacy), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, idAll), ==, 0);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, idAll), ==, -1);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "invalid argument: could not find event callback "
                    "0 for deletion");

    virDomainFree(dom);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
    g_string_free(all.log, TRUE);
    g_string_free(only.log, TRUE);
    g_string_free(legacy.log, TRUE);
}


/* Keep mode (a driver starting up): events queued before any callback
 * exists go to the first one, in order, up to VIR_OBJECT_EVENT_KEEP_MAX;
 * after that the mode is over, and events with nobody listening are
 * dropped again. */
static void
testKeepUntilListener(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    virObjectEventState *state = virObjectEventStateNew();
    EventLog first = { g_string_new(NULL), 0 };
    EventLog second = { g_string_new(NULL), 0 };
    unsigned char uuid[VIR_UUID_BUFLEN] = { 1 };
    int id;

    virObjectEventStateKeepUntilListener(state);
    virObjectEventStateQueue(state, virDomainEventLifecycleNew(-1, "a", uuid, 5, 5));
    virObjectEventStateQueue(state, virDomainEventLifecycleNew(3, "b", uuid, 2, 0));
    for (int i = 2; i < VIR_OBJECT_EVENT_KEEP_MAX + 10; i++)
        virObjectEventStateQueue(state, virDomainEventLifecycleNew(-1, "c", uuid, 0, 0));

    id = virDomainEventStateRegisterID(conn, state, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                       VIR_DOMAIN_EVENT_CALLBACK(logLifecycle), &first,
                                       NULL);
    g_assert_cmpint(id, >=, 0);
    RUN_LOOP_UNTIL(first.count == VIR_OBJECT_EVENT_KEEP_MAX);
    g_assert_true(g_str_has_prefix(first.log->str, "a:5/5;b:2/0;c:0/0;"));
    g_assert_cmpint(virObjectEventStateDeregisterID(conn, state, id), ==, 0);

    /* over: nobody listens, so this one is gone */
    virObjectEventStateQueue(state, virDomainEventLifecycleNew(-1, "d", uuid, 0, 0));
    id = virDomainEventStateRegisterID(conn, state, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                       VIR_DOMAIN_EVENT_CALLBACK(logLifecycle), &second,
                                       NULL);
    g_assert_cmpint(id, >=, 0);
    virObjectEventStateQueue(state, virDomainEventLifecycleNew(-1, "e", uuid, 0, 0));
    RUN_LOOP_UNTIL(second.count >= 1);
    g_assert_cmpstr(second.log->str, ==, "e:0/0;");
    g_assert_cmpint(first.count, ==, VIR_OBJECT_EVENT_KEEP_MAX);

    virObjectEventStateFree(state);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
    g_string_free(first.log, TRUE);
    g_string_free(second.log, TRUE);
}


/* A callback that deregisters another and calls back into the API. */
typedef struct {
    virConnectPtr conn;
    int victim;
    int calls;
    int victimCalls;
    int nameLookups;
} ReentrantData;

static void
reentrantCb(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    ReentrantData *d = opaque;
    virDomainPtr again;

    d->calls++;
    if (d->victim >= 0) {
        g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, d->victim), ==, 0);
        d->victim = -1;
    }
    again = virDomainLookupByName(conn, virDomainGetName(dom));
    if (again) {
        d->nameLookups++;
        virDomainFree(again);
    }
}

static void
victimCb(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    ((ReentrantData *)opaque)->victimCalls++;
}


static void
testReentrant(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    ReentrantData d = { conn, -1, 0, 0, 0 };
    int first;

    first = virConnectDomainEventRegisterAny(
        conn, NULL, 0, VIR_DOMAIN_EVENT_CALLBACK(reentrantCb), &d, NULL);
    d.victim = virConnectDomainEventRegisterAny(
        conn, NULL, 0, VIR_DOMAIN_EVENT_CALLBACK(victimCb), &d, NULL);
    g_assert_cmpint(d.victim, >, first);
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    RUN_LOOP_UNTIL(d.calls == 2);
    /* removed by the first callback before its turn in the first event */
    g_assert_cmpint(d.victimCalls, ==, 0);
    g_assert_cmpint(d.nameLookups, ==, 2);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, first), ==, 0);
    virDomainFree(dom);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}


static void
testCallbacksHoldConnection(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    EventLog log = { g_string_new(NULL), 0 };
    int id;

    id = virConnectDomainEventRegisterAny(
        conn, NULL, 0, VIR_DOMAIN_EVENT_CALLBACK(logLifecycle), &log, logFree);
    /* as libvirt: the callback keeps the connection open */
    g_assert_cmpint(virConnectClose(conn), ==, 1);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, id), ==, 0);
    g_assert_cmpstr(log.log->str, ==, "free;");
    g_string_free(log.log, TRUE);
}


typedef struct {
    int id;
    int calls;
    int freed;
} ClosingData;

static void
closingCb(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    ClosingData *d = opaque;

    d->calls++;
    if (d->id >= 0) {
        /* the callback held the last reference on the connection: once
         * this dispatch lets go of it, the connection and its driver
         * (with the event state being dispatched) are torn down */
        g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, d->id), ==, 0);
        d->id = -1;
    }
}

static void
closingFree(void *opaque)
{
    ((ClosingData *)opaque)->freed++;
}


static void
testCloseFromCallback(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    ClosingData d = { -1, 0, 0 };

    d.id = virConnectDomainEventRegisterAny(
        conn, NULL, 0, VIR_DOMAIN_EVENT_CALLBACK(closingCb), &d, closingFree);
    g_assert_cmpint(d.id, >=, 0);
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    virDomainFree(dom);
    g_assert_cmpint(virConnectClose(conn), ==, 1);
    RUN_LOOP_UNTIL(d.freed == 1);
    g_assert_cmpint(d.calls, ==, 1);
}


/* ---- The event state directly: flush, queue from threads ---------------- */

/* The connection here has no driver, so read the handle's fields directly. */
static void
logRaw(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    EventLog *log = opaque;

    g_string_append_printf(log->log, "%s:%d/%d;", dom->name, event, detail);
    log->count++;
}

static void
testStateDirect(void)
{
    virObjectEventState *state = virObjectEventStateNew();
    virConnectPtr conn = virGetConnect();
    EventLog log = { g_string_new(NULL), 0 };
    unsigned char uuid[VIR_UUID_BUFLEN] = { 1, 2, 3 };
    int id;

    /* queued with nobody listening: dropped */
    virObjectEventStateQueue(state, virDomainEventLifecycleNew(1, "a", uuid, 2, 0));
    id = virDomainEventStateRegisterID(conn, state, NULL, 0,
                                       VIR_DOMAIN_EVENT_CALLBACK(logRaw), &log, logFree);
    g_assert_cmpint(id, ==, 0);
    virObjectEventStateFlush(state);
    g_assert_cmpint(log.count, ==, 0);

    virObjectEventStateQueue(state, virDomainEventLifecycleNew(1, "b", uuid, 3, 0));
    virObjectEventStateQueue(state, virDomainEventLifecycleNew(1, "c", uuid, 4, 0));
    virObjectEventStateFlush(state);
    g_assert_cmpstr(log.log->str, ==, "b:3/0;c:4/0;");

    /* closing the connection drops its callbacks (and runs their freecb) */
    virObjectEventStateQueue(state, virDomainEventLifecycleNew(1, "d", uuid, 5, 0));
    virObjectEventStateDeregisterConn(state, conn);
    virObjectEventStateFlush(state);
    g_assert_cmpstr(log.log->str, ==, "b:3/0;c:4/0;free;");
    g_assert_cmpint(virObjectEventStateDeregisterID(conn, state, id), ==, -1);

    virObjectEventStateFree(state);
    virObjectUnrefConnect(conn);
    g_string_free(log.log, TRUE);
}


/* ---- every event ID: constructor, dispatch, callback arguments ---------- */

static GString *allLog;

static void
allGeneric(virConnectPtr c, virDomainPtr d, void *o)
{
    g_string_append_printf(allLog, "%s;", (const char *)o);
}
static void
allRTC(virConnectPtr c, virDomainPtr d, long long off, void *o)
{
    g_string_append_printf(allLog, "rtc:%lld;", off);
}
static void
allInt(virConnectPtr c, virDomainPtr d, int v, void *o)
{
    g_string_append_printf(allLog, "%s:%d;", (const char *)o, v);
}
static void
allIOError(virConnectPtr c, virDomainPtr d, const char *p, const char *a, int act,
           void *o)
{
    g_string_append_printf(allLog, "io:%s,%s,%d;", p, a, act);
}
static void
allIOErrorReason(virConnectPtr c, virDomainPtr d, const char *p, const char *a, int act,
                 const char *r, void *o)
{
    g_string_append_printf(allLog, "ior:%s,%s,%d,%s;", p, a, act, r);
}
static void
allGraphics(virConnectPtr c, virDomainPtr d, int phase,
            const virDomainEventGraphicsAddress *l,
            const virDomainEventGraphicsAddress *r, const char *auth,
            const virDomainEventGraphicsSubject *s, void *o)
{
    g_string_append_printf(allLog, "gfx:%d,%d %s %s,%d %s %s,%s,%d", phase, l->family,
                           l->node, l->service, r->family, r->node, r->service, auth,
                           s->nidentity);
    for (int i = 0; i < s->nidentity; i++)
        g_string_append_printf(allLog, ",%s=%s", s->identities[i].type,
                               s->identities[i].name);
    g_string_append(allLog, ";");
}
static void
allBlockJob(virConnectPtr c, virDomainPtr d, const char *disk, int t, int st, void *o)
{
    g_string_append_printf(allLog, "%s:%s,%d,%d;", (const char *)o, disk, t, st);
}
static void
allDiskChange(virConnectPtr c, virDomainPtr d, const char *a, const char *b,
              const char *alias, int r, void *o)
{
    g_string_append_printf(allLog, "disk:%s,%s,%s,%d;", a ? a : "-", b ? b : "-", alias,
                           r);
}
static void
allTray(virConnectPtr c, virDomainPtr d, const char *alias, int r, void *o)
{
    g_string_append_printf(allLog, "tray:%s,%d;", alias, r);
}
static void
allULL(virConnectPtr c, virDomainPtr d, unsigned long long v, void *o)
{
    g_string_append_printf(allLog, "%s:%llu;", (const char *)o, v);
}
static void
allStr(virConnectPtr c, virDomainPtr d, const char *v, void *o)
{
    g_string_append_printf(allLog, "%s:%s;", (const char *)o, v);
}
static void
allParams(virConnectPtr c, virDomainPtr d, virTypedParameterPtr p, int n, void *o)
{
    g_string_append_printf(allLog, "%s:%d", (const char *)o, n);
    for (int i = 0; i < n; i++)
        g_string_append_printf(allLog, ",%s", p[i].field);
    g_string_append(allLog, ";");
}
static void
allTwoInts(virConnectPtr c, virDomainPtr d, int a, int b, void *o)
{
    g_string_append_printf(allLog, "%s:%d,%d;", (const char *)o, a, b);
}
static void
allMetadata(virConnectPtr c, virDomainPtr d, int t, const char *ns, void *o)
{
    g_string_append_printf(allLog, "meta:%d,%s;", t, ns ? ns : "-");
}
static void
allThreshold(virConnectPtr c, virDomainPtr d, const char *dev, const char *path,
             unsigned long long t, unsigned long long e, void *o)
{
    g_string_append_printf(allLog, "thr:%s,%s,%llu,%llu;", dev, path ? path : "-", t, e);
}
static void
allMemFail(virConnectPtr c, virDomainPtr d, int r, int a, unsigned int f, void *o)
{
    g_string_append_printf(allLog, "mf:%d,%d,%u;", r, a, f);
}
static void
allMemSize(virConnectPtr c, virDomainPtr d, const char *alias, unsigned long long sz,
           void *o)
{
    g_string_append_printf(allLog, "msz:%s,%llu;", alias, sz);
}

static void
testAllIDs(void)
{
    virObjectEventState *state = virObjectEventStateNew();
    virConnectPtr conn = virGetConnect();
    unsigned char u[VIR_UUID_BUFLEN] = { 7 };
    virTypedParameter params[2] = { 0 };
    virDomainEventGraphicsAddress local = { VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_IPV4,
                                            (char *)"127.0.0.1", (char *)"5900" };
    virDomainEventGraphicsAddress remote = { VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_IPV6,
                                             (char *)"::1", (char *)"4000" };
    virDomainEventGraphicsSubjectIdentity ids[1] = { { (char *)"x509dname",
                                                       (char *)"CN=a" } };
    virDomainEventGraphicsSubject subject = { 1, ids };
    static const struct {
        int id;
        void (*cb)(void);
        const char *tag;
    } regs[] = {
        { VIR_DOMAIN_EVENT_ID_REBOOT, (void (*)(void))allGeneric, "reboot" },
        { VIR_DOMAIN_EVENT_ID_RTC_CHANGE, (void (*)(void))allRTC, NULL },
        { VIR_DOMAIN_EVENT_ID_WATCHDOG, (void (*)(void))allInt, "wd" },
        { VIR_DOMAIN_EVENT_ID_IO_ERROR, (void (*)(void))allIOError, NULL },
        { VIR_DOMAIN_EVENT_ID_GRAPHICS, (void (*)(void))allGraphics, NULL },
        { VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON, (void (*)(void))allIOErrorReason, NULL },
        { VIR_DOMAIN_EVENT_ID_CONTROL_ERROR, (void (*)(void))allGeneric, "ctl" },
        { VIR_DOMAIN_EVENT_ID_BLOCK_JOB, (void (*)(void))allBlockJob, "bj" },
        { VIR_DOMAIN_EVENT_ID_DISK_CHANGE, (void (*)(void))allDiskChange, NULL },
        { VIR_DOMAIN_EVENT_ID_TRAY_CHANGE, (void (*)(void))allTray, NULL },
        { VIR_DOMAIN_EVENT_ID_PMWAKEUP, (void (*)(void))allInt, "wake" },
        { VIR_DOMAIN_EVENT_ID_PMSUSPEND, (void (*)(void))allInt, "susp" },
        { VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE, (void (*)(void))allULL, "bal" },
        { VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK, (void (*)(void))allInt, "suspdisk" },
        { VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, (void (*)(void))allStr, "rm" },
        { VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2, (void (*)(void))allBlockJob, "bj2" },
        { VIR_DOMAIN_EVENT_ID_TUNABLE, (void (*)(void))allParams, "tun" },
        { VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE, (void (*)(void))allTwoInts, "agent" },
        { VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, (void (*)(void))allStr, "add" },
        { VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION, (void (*)(void))allInt, "iter" },
        { VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, (void (*)(void))allParams, "job" },
        { VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED, (void (*)(void))allStr, "rmfail" },
        { VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, (void (*)(void))allMetadata, NULL },
        { VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD, (void (*)(void))allThreshold, NULL },
        { VIR_DOMAIN_EVENT_ID_MEMORY_FAILURE, (void (*)(void))allMemFail, NULL },
        { VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE, (void (*)(void))allMemSize,
          NULL },
    };

    allLog = g_string_new(NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(regs); i++)
        g_assert_cmpint(
            virDomainEventStateRegisterID(conn, state, NULL, regs[i].id,
                                          VIR_DOMAIN_EVENT_CALLBACK(regs[i].cb),
                                          (void *)regs[i].tag, NULL),
            >=, 0);
    g_strlcpy(params[0].field, "a", sizeof(params[0].field));
    params[0].type = VIR_TYPED_PARAM_STRING;
    params[0].value.s = (char *)"text";
    g_strlcpy(params[1].field, "b", sizeof(params[1].field));
    params[1].type = VIR_TYPED_PARAM_ULLONG;
    params[1].value.ul = 5;

#define Q(ev) virObjectEventStateQueue(state, ev)
    Q(virDomainEventRebootNew(1, "d", u));
    Q(virDomainEventRTCChangeNew(1, "d", u, -42));
    Q(virDomainEventWatchdogNew(1, "d", u, VIR_DOMAIN_EVENT_WATCHDOG_PAUSE));
    Q(virDomainEventIOErrorNew(1, "d", u, "/p", "virtio-disk0", 1, NULL));
    Q(virDomainEventIOErrorNew(1, "d", u, "/p", "virtio-disk0", 1, "enospc"));
    Q(virDomainEventGraphicsNew(1, "d", u, 2, &local, &remote, "vnc", &subject));
    Q(virDomainEventControlErrorNew(1, "d", u));
    Q(virDomainEventBlockJobNew(VIR_DOMAIN_EVENT_ID_BLOCK_JOB, 1, "d", u, "/p", 1, 0));
    Q(virDomainEventBlockJobNew(VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2, 1, "d", u, "vda", 1, 3));
    Q(virDomainEventDiskChangeNew(1, "d", u, NULL, "/new", "sata0-0-0", 0));
    Q(virDomainEventTrayChangeNew(1, "d", u, "sata0-0-0", 1));
    Q(virDomainEventPMNew(VIR_DOMAIN_EVENT_ID_PMWAKEUP, 1, "d", u, 0));
    Q(virDomainEventPMNew(VIR_DOMAIN_EVENT_ID_PMSUSPEND, 1, "d", u, 0));
    Q(virDomainEventPMNew(VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK, 1, "d", u, 0));
    Q(virDomainEventBalloonChangeNew(1, "d", u, 131072));
    Q(virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, 1, "d", u, "net0"));
    Q(virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, 1, "d", u, "net1"));
    Q(virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED, 1, "d", u,
                              "net2"));
    Q(virDomainEventTunableNew(1, "d", u, params, 2));
    Q(virDomainEventAgentLifecycleNew(1, "d", u, 1, 2));
    Q(virDomainEventMigrationIterationNew(1, "d", u, 3));
    Q(virDomainEventJobCompletedNew(1, "d", u, params, 1));
    Q(virDomainEventMetadataChangeNew(1, "d", u, 2, "http://x/"));
    Q(virDomainEventBlockThresholdNew(1, "d", u, "vda", NULL, 100, 5));
    Q(virDomainEventMemoryFailureNew(1, "d", u, 1, 2, 3));
    Q(virDomainEventMemoryDeviceSizeChangeNew(1, "d", u, "virtiomem0", 1024));
#undef Q
    virObjectEventStateFlush(state);
    g_assert_cmpstr(
        allLog->str, ==,
        "reboot;rtc:-42;wd:1;io:/p,virtio-disk0,1;ior:/p,virtio-disk0,1,enospc;"
        "gfx:2,0 127.0.0.1 5900,1 ::1 4000,vnc,1,x509dname=CN=a;ctl;"
        "bj:/p,1,0;bj2:vda,1,3;disk:-,/new,sata0-0-0,0;tray:sata0-0-0,1;"
        "wake:0;susp:0;suspdisk:0;bal:131072;rm:net0;add:net1;rmfail:net2;"
        "tun:2,a,b;agent:1,2;iter:3;job:1,a;meta:2,http://x/;"
        "thr:vda,-,100,5;mf:1,2,3;msz:virtiomem0,1024;");

    /* queued and dropped unseen: every payload is freed (ASan) */
    virObjectEventStateDeregisterConn(state, conn);
    virObjectEventStateQueue(state, virDomainEventTunableNew(1, "d", u, params, 2));
    virObjectEventStateFree(state);
    virObjectUnrefConnect(conn);
    g_string_free(allLog, TRUE);
}


#define N_THREADS 8
#define N_LOOKUPS 2000

typedef struct {
    virConnectPtr conn;
    int index;
    int failures;
} WorkerData;

static gpointer
lookupWorker(gpointer opaque)
{
    WorkerData *w = opaque;
    g_autofree char *name = g_strdup_printf("thr%d", w->index);
    g_autofree char *xml = g_strdup_printf(defineXML, name);
    virDomainPtr mine = virDomainDefineXML(w->conn, xml);
    unsigned char uuid[VIR_UUID_BUFLEN];

    if (!mine)
        return GINT_TO_POINTER(1);
    virDomainGetUUID(mine, uuid);
    if (virDomainCreate(mine) < 0)
        w->failures++;

    for (int i = 0; i < N_LOOKUPS; i++) {
        virDomainPtr a = virDomainLookupByName(w->conn, "test");
        virDomainPtr b = virDomainLookupByUUID(w->conn, uuid);
        virDomainPtr c = virDomainLookupByName(w->conn, "nosuch");
        int state = -1;

        /* each thread has its own last error (read it before any other
         * call: every entry point resets it) */
        if (virGetLastErrorCode() != VIR_ERR_NO_DOMAIN)
            w->failures++;
        if (!a || !b || c || strcmp(virDomainGetName(b), name) != 0)
            w->failures++;
        if (virDomainGetState(a, &state, NULL, 0) < 0 || state != VIR_DOMAIN_RUNNING)
            w->failures++;
        if (i % 100 == 0 && (virDomainSuspend(mine) < 0 || virDomainResume(mine) < 0))
            w->failures++;
        virDomainFree(a);
        virDomainFree(b);
    }
    if (virDomainDestroy(mine) < 0 || virDomainUndefine(mine) < 0)
        w->failures++;
    virDomainFree(mine);
    return NULL;
}


static void
testThreads(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    WorkerData workers[N_THREADS];
    GThread *threads[N_THREADS];
    EventLog log = { g_string_new(NULL), 0 };
    /* per thread: defined, started, 20 x (suspended, resumed), stopped, undefined */
    const int perThread = 4 + 2 * (N_LOOKUPS / 100);
    int id;

    id = virConnectDomainEventRegisterAny(
        conn, NULL, 0, VIR_DOMAIN_EVENT_CALLBACK(logLifecycle), &log, NULL);
    g_assert_cmpint(id, >=, 0);
    for (int i = 0; i < N_THREADS; i++) {
        workers[i] = (WorkerData){ conn, i, 0 };
        threads[i] = g_thread_new("worker", lookupWorker, &workers[i]);
    }
    for (int i = 0; i < N_THREADS; i++) {
        g_assert_null(g_thread_join(threads[i]));
        g_assert_cmpint(workers[i].failures, ==, 0);
    }
    /* every event queued from the workers arrives, in the loop thread */
    RUN_LOOP_UNTIL(log.count == N_THREADS * perThread);
    g_assert_cmpint(virConnectNumOfDomains(conn), ==, 1);
    g_assert_cmpint(virConnectNumOfDefinedDomains(conn), ==, 0);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, id), ==, 0);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
    g_string_free(log.log, TRUE);
}


int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    virSetErrorFunc(NULL, quietErrors);

    /* these two run in subprocesses, before the default loop is chosen */
    g_test_add_func("/event/loop/no-implementation", testNoImpl);
    g_test_add_func("/event/loop/custom-implementation", testCustomImpl);

    if (!g_test_subprocess()) {
        g_assert_cmpint(virEventRegisterDefaultImpl(), ==, 0);
        g_assert_true(virEventIsRegistered());
        g_assert_true(virEventIsDefaultImpl());
    }
    g_test_add_func("/event/loop/timeouts", testTimeouts);
    g_test_add_func("/event/loop/handles", testHandles);
    g_test_add_func("/event/loop/wake-from-thread", testWakeFromThread);
    g_test_add_func("/event/loop/churn-from-threads", testChurnFromThreads);
    g_test_add_func("/event/domain/dispatch-order", testDispatchOrder);
    g_test_add_func("/event/domain/keep-until-listener", testKeepUntilListener);
    g_test_add_func("/event/domain/reentrant", testReentrant);
    g_test_add_func("/event/domain/callbacks-hold-connection",
                    testCallbacksHoldConnection);
    g_test_add_func("/event/domain/close-from-callback", testCloseFromCallback);
    g_test_add_func("/event/state/direct", testStateDirect);
    g_test_add_func("/event/state/every-id", testAllIDs);
    g_test_add_func("/event/threads/lookups-and-events", testThreads);
    return g_test_run();
}
