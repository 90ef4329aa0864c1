/* virevent.c: the public event-loop API and its default implementation on GLib */
/*
 * Threads: any thread may add, update or remove watches and timers; the
 * application runs the loop (virEventRunDefaultImpl) in one thread, which
 * is where every callback runs. eventLock protects the implementation
 * table and the two id tables below; it is never held while a user
 * callback or free function runs. Attaching a GSource from another thread
 * wakes the loop (GLib does that for the default context), so a watch or
 * timer added elsewhere takes effect without waiting for some other event.
 * A removed watch/timer may still be in the middle of its callback in the
 * loop thread; its free function therefore runs later, from an idle
 * source in the loop, never in the caller of virEventRemove*.
 */
#define G_LOG_DOMAIN "virtkit.util.event"

#include <glib-unix.h>

#include <libvirt/libvirt.h>
#include "virevent.h"

static GMutex eventLock;

static virEventAddHandleFunc addHandleImpl;
static virEventUpdateHandleFunc updateHandleImpl;
static virEventRemoveHandleFunc removeHandleImpl;
static virEventAddTimeoutFunc addTimeoutImpl;
static virEventUpdateTimeoutFunc updateTimeoutImpl;
static virEventRemoveTimeoutFunc removeTimeoutImpl;


/* ---- The default implementation: GSources on the default context ------ */

/* One watch or timer. Referenced by its id table entry and by its current
 * GSource (if any). */
typedef struct {
    gint refs;
    int id;
    bool removed;
    int fd;     /* watches only */
    int events; /* watches: VIR_EVENT_HANDLE_*; timers: frequency */
    virEventHandleCallback hcb;
    virEventTimeoutCallback tcb;
    void *opaque;
    virFreeCallback ff;
    GSource *source; /* NULL while disabled */
} virEventGLibItem;

static GHashTable *glibHandles; /* id -> item; under eventLock */
static GHashTable *glibTimeouts;
static int glibNextHandle = 1;
static int glibNextTimeout = 1;


static virEventGLibItem *
virEventGLibItemRef(virEventGLibItem *item)
{
    g_atomic_int_inc(&item->refs);
    return item;
}


static void
virEventGLibItemUnref(gpointer data)
{
    virEventGLibItem *item = data;

    if (item && g_atomic_int_dec_and_test(&item->refs))
        g_free(item);
}


static GIOCondition
virEventGLibEventsToCondition(int events)
{
    GIOCondition cond = 0;

    if (events & VIR_EVENT_HANDLE_READABLE)
        cond |= G_IO_IN;
    if (events & VIR_EVENT_HANDLE_WRITABLE)
        cond |= G_IO_OUT;
    if (events & VIR_EVENT_HANDLE_ERROR)
        cond |= G_IO_ERR;
    if (events & VIR_EVENT_HANDLE_HANGUP)
        cond |= G_IO_HUP;
    return cond;
}


static int
virEventGLibConditionToEvents(GIOCondition cond)
{
    int events = 0;

    if (cond & G_IO_IN)
        events |= VIR_EVENT_HANDLE_READABLE;
    if (cond & G_IO_OUT)
        events |= VIR_EVENT_HANDLE_WRITABLE;
    if (cond & (G_IO_ERR | G_IO_NVAL))
        events |= VIR_EVENT_HANDLE_ERROR;
    if (cond & G_IO_HUP)
        events |= VIR_EVENT_HANDLE_HANGUP;
    return events;
}


static gboolean
virEventGLibHandleDispatch(gint fd, GIOCondition cond, gpointer data)
{
    virEventGLibItem *item = data;
    virEventHandleCallback cb;
    void *opaque;
    int id;

    g_mutex_lock(&eventLock);
    if (item->removed) {
        g_mutex_unlock(&eventLock);
        return G_SOURCE_CONTINUE; /* its source is being destroyed */
    }
    cb = item->hcb;
    opaque = item->opaque;
    id = item->id;
    g_mutex_unlock(&eventLock);

    g_debug("dispatch watch=%d fd=%d cond=0x%x", id, fd, cond);
    cb(id, fd, virEventGLibConditionToEvents(cond), opaque);
    return G_SOURCE_CONTINUE;
}


static gboolean
virEventGLibTimeoutDispatch(gpointer data)
{
    virEventGLibItem *item = data;
    virEventTimeoutCallback cb;
    void *opaque;
    int id;

    g_mutex_lock(&eventLock);
    if (item->removed || !item->source) {
        g_mutex_unlock(&eventLock);
        return G_SOURCE_CONTINUE;
    }
    cb = item->tcb;
    opaque = item->opaque;
    id = item->id;
    g_mutex_unlock(&eventLock);

    cb(id, opaque);
    return G_SOURCE_CONTINUE;
}


/* Replace the item's source to match item->events. eventLock held. */
static void
virEventGLibItemRearm(virEventGLibItem *item, bool isTimer)
{
    GSource *source = NULL;

    if (item->source) {
        g_source_destroy(item->source);
        g_source_unref(item->source);
        item->source = NULL;
    }

    if (isTimer) {
        if (item->events < 0)
            return;
        source = g_timeout_source_new(item->events);
        g_source_set_callback(source, virEventGLibTimeoutDispatch,
                              virEventGLibItemRef(item), virEventGLibItemUnref);
    } else {
        GIOCondition cond = virEventGLibEventsToCondition(item->events);

        if (cond == 0)
            return;
        source = g_unix_fd_source_new(item->fd, cond);
        g_source_set_callback(source, G_SOURCE_FUNC(virEventGLibHandleDispatch),
                              virEventGLibItemRef(item), virEventGLibItemUnref);
    }
    g_source_set_priority(source, G_PRIORITY_DEFAULT);
    g_source_attach(source, NULL);
    item->source = source;
}


static gboolean
virEventGLibFreeIdle(gpointer data)
{
    virEventGLibItem *item = data;

    if (item->ff)
        item->ff(item->opaque);
    return G_SOURCE_REMOVE;
}


/* Remove @id from @table; the item's free function runs later from the
 * loop. Returns 0, or -1 if @id is unknown. */
static int
virEventGLibItemRemove(GHashTable *table, int id)
{
    virEventGLibItem *item;
    GSource *idle;

    g_mutex_lock(&eventLock);
    item = table ? g_hash_table_lookup(table, GINT_TO_POINTER(id)) : NULL;
    if (!item) {
        g_mutex_unlock(&eventLock);
        g_debug("remove of unknown id %d ignored", id);
        return -1;
    }
    g_hash_table_steal(table, GINT_TO_POINTER(id));
    item->removed = true;
    if (item->source) {
        g_source_destroy(item->source);
        g_source_unref(item->source);
        item->source = NULL;
    }
    g_mutex_unlock(&eventLock);

    /* The table's reference moves to the idle source. */
    idle = g_idle_source_new();
    g_source_set_priority(idle, G_PRIORITY_DEFAULT);
    g_source_set_callback(idle, virEventGLibFreeIdle, item, virEventGLibItemUnref);
    g_source_attach(idle, NULL);
    g_source_unref(idle);
    return 0;
}


static int
virEventGLibAddHandle(int fd, int events, virEventHandleCallback cb, void *opaque,
                      virFreeCallback ff)
{
    virEventGLibItem *item;
    int id;

    if (fd < 0 || !cb)
        return -1;

    item = g_new0(virEventGLibItem, 1);
    item->refs = 1;
    item->fd = fd;
    item->events = events;
    item->hcb = cb;
    item->opaque = opaque;
    item->ff = ff;

    g_mutex_lock(&eventLock);
    if (!glibHandles)
        glibHandles = g_hash_table_new_full(NULL, NULL, NULL, virEventGLibItemUnref);
    id = item->id = glibNextHandle++;
    g_hash_table_insert(glibHandles, GINT_TO_POINTER(id), item);
    virEventGLibItemRearm(item, false);
    g_mutex_unlock(&eventLock);

    g_debug("add watch=%d fd=%d events=0x%x", id, fd, events);
    return id;
}


static void
virEventGLibUpdateHandle(int watch, int events)
{
    virEventGLibItem *item;

    g_mutex_lock(&eventLock);
    item = glibHandles ? g_hash_table_lookup(glibHandles, GINT_TO_POINTER(watch)) : NULL;
    if (item && item->events != events) {
        item->events = events;
        virEventGLibItemRearm(item, false);
    }
    g_mutex_unlock(&eventLock);
}


static int
virEventGLibRemoveHandle(int watch)
{
    if (watch <= 0)
        return -1;
    return virEventGLibItemRemove(glibHandles, watch);
}


static int
virEventGLibAddTimeout(int frequency, virEventTimeoutCallback cb, void *opaque,
                       virFreeCallback ff)
{
    virEventGLibItem *item;
    int id;

    if (!cb)
        return -1;

    item = g_new0(virEventGLibItem, 1);
    item->refs = 1;
    item->fd = -1;
    item->events = frequency;
    item->tcb = cb;
    item->opaque = opaque;
    item->ff = ff;

    g_mutex_lock(&eventLock);
    if (!glibTimeouts)
        glibTimeouts = g_hash_table_new_full(NULL, NULL, NULL, virEventGLibItemUnref);
    id = item->id = glibNextTimeout++;
    g_hash_table_insert(glibTimeouts, GINT_TO_POINTER(id), item);
    virEventGLibItemRearm(item, true);
    g_mutex_unlock(&eventLock);

    g_debug("add timer=%d frequency=%d", id, frequency);
    return id;
}


static void
virEventGLibUpdateTimeout(int timer, int frequency)
{
    virEventGLibItem *item;

    g_mutex_lock(&eventLock);
    item =
        glibTimeouts ? g_hash_table_lookup(glibTimeouts, GINT_TO_POINTER(timer)) : NULL;
    /* Re-arming also restarts the period, as libvirt's loop does. */
    if (item && (item->events != frequency || frequency > 0)) {
        item->events = frequency;
        virEventGLibItemRearm(item, true);
    }
    g_mutex_unlock(&eventLock);
}


static int
virEventGLibRemoveTimeout(int timer)
{
    if (timer <= 0)
        return -1;
    return virEventGLibItemRemove(glibTimeouts, timer);
}


/* ---- Public API ------------------------------------------------------- */

void
virEventRegisterImpl(virEventAddHandleFunc addHandle,
                     virEventUpdateHandleFunc updateHandle,
                     virEventRemoveHandleFunc removeHandle,
                     virEventAddTimeoutFunc addTimeout,
                     virEventUpdateTimeoutFunc updateTimeout,
                     virEventRemoveTimeoutFunc removeTimeout)
{
    g_mutex_lock(&eventLock);
    addHandleImpl = addHandle;
    updateHandleImpl = updateHandle;
    removeHandleImpl = removeHandle;
    addTimeoutImpl = addTimeout;
    updateTimeoutImpl = updateTimeout;
    removeTimeoutImpl = removeTimeout;
    g_mutex_unlock(&eventLock);
}


int
virEventRegisterDefaultImpl(void)
{
    virResetLastError();
    virEventRegisterImpl(virEventGLibAddHandle, virEventGLibUpdateHandle,
                         virEventGLibRemoveHandle, virEventGLibAddTimeout,
                         virEventGLibUpdateTimeout, virEventGLibRemoveTimeout);
    return 0;
}


int
virEventRunDefaultImpl(void)
{
    g_main_context_iteration(NULL, TRUE);
    return 0;
}


bool
virEventIsRegistered(void)
{
    bool ret;

    g_mutex_lock(&eventLock);
    ret = addHandleImpl && addTimeoutImpl;
    g_mutex_unlock(&eventLock);
    return ret;
}


bool
virEventIsDefaultImpl(void)
{
    bool ret;

    g_mutex_lock(&eventLock);
    ret = addTimeoutImpl == virEventGLibAddTimeout;
    g_mutex_unlock(&eventLock);
    return ret;
}


/* The entry points read the table under the lock and call outside it:
 * the default implementation takes eventLock itself, and an application's
 * implementation may call back into us. */
#define VIR_EVENT_IMPL(var, name)   \
    do {                            \
        g_mutex_lock(&eventLock);   \
        var = name;                 \
        g_mutex_unlock(&eventLock); \
    } while (0)

int
virEventAddHandle(int fd, int events, virEventHandleCallback cb, void *opaque,
                  virFreeCallback ff)
{
    virEventAddHandleFunc fn;

    VIR_EVENT_IMPL(fn, addHandleImpl);
    if (!fn)
        return -1;
    return fn(fd, events, cb, opaque, ff);
}


void
virEventUpdateHandle(int watch, int events)
{
    virEventUpdateHandleFunc fn;

    VIR_EVENT_IMPL(fn, updateHandleImpl);
    if (fn)
        fn(watch, events);
}


int
virEventRemoveHandle(int watch)
{
    virEventRemoveHandleFunc fn;

    VIR_EVENT_IMPL(fn, removeHandleImpl);
    if (!fn)
        return -1;
    return fn(watch);
}


int
virEventAddTimeout(int frequency, virEventTimeoutCallback cb, void *opaque,
                   virFreeCallback ff)
{
    virEventAddTimeoutFunc fn;

    VIR_EVENT_IMPL(fn, addTimeoutImpl);
    if (!fn)
        return -1;
    return fn(frequency, cb, opaque, ff);
}


void
virEventUpdateTimeout(int timer, int frequency)
{
    virEventUpdateTimeoutFunc fn;

    VIR_EVENT_IMPL(fn, updateTimeoutImpl);
    if (fn)
        fn(timer, frequency);
}


int
virEventRemoveTimeout(int timer)
{
    virEventRemoveTimeoutFunc fn;

    VIR_EVENT_IMPL(fn, removeTimeoutImpl);
    if (!fn)
        return -1;
    return fn(timer);
}
