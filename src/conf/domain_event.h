/* domain_event.h: domain events, callback registration and dispatch through the event loop */
#pragma once

#include "datatypes.h"
#include "domain_obj.h"

/*
 * A driver owns one virObjectEventState. Callbacks are registered per
 * connection; events are queued from any thread and dispatched later, in
 * queue order, from the application's event loop (a timer added with
 * virEventAddTimeout), never from inside the API call that caused them.
 * Registering needs an event loop implementation: without one the call
 * fails with INTERNAL_ERROR "could not initialize domain event timer"
 * (as libvirt). Callback IDs are unique per state and start at 0.
 */

typedef struct _virObjectEventState virObjectEventState;
typedef struct _virObjectEvent virObjectEvent;

virObjectEventState *virObjectEventStateNew(void);
void virObjectEventStateFree(virObjectEventState *state);

/*
 * Keep mode, for a driver starting up: events queued while no callback is
 * registered are kept (the first VIR_OBJECT_EVENT_KEEP_MAX; later ones are
 * dropped) instead of dropped, and the first callback registered gets them
 * all, in order; the mode then ends for good. A daemon reconnecting to its
 * guests learns this way what happened to them while it was down, though
 * it registers its own listener only after the driver's start.
 */
#define VIR_OBJECT_EVENT_KEEP_MAX 4096
void virObjectEventStateKeepUntilListener(virObjectEventState *state);

/* Queue @event (takes ownership; NULL is ignored). Thread-safe. */
void virObjectEventStateQueue(virObjectEventState *state, virObjectEvent *event);

/* Register a callback for @eventID (VIR_DOMAIN_EVENT_ID_*), optionally only
 * for @dom (matched by UUID). Returns the callbackID or -1 (error reported:
 * INVALID_ARG for an out-of-range eventID). */
int virDomainEventStateRegisterID(virConnectPtr conn, virObjectEventState *state,
                                  virDomainPtr dom, int eventID,
                                  virConnectDomainEventGenericCallback cb, void *opaque,
                                  virFreeCallback freecb);
int virObjectEventStateDeregisterID(virConnectPtr conn, virObjectEventState *state,
                                    int callbackID);

/* Legacy lifecycle registration (virConnectDomainEventRegister): one per
 * (conn, cb) pair; a second registration of the same cb fails as libvirt. */
int virDomainEventStateRegister(virConnectPtr conn, virObjectEventState *state,
                                virConnectDomainEventCallback cb, void *opaque,
                                virFreeCallback freecb);
int virDomainEventStateDeregister(virConnectPtr conn, virObjectEventState *state,
                                  virConnectDomainEventCallback cb);

/* Drop every callback of @conn (on connection close); runs their freecbs. */
void virObjectEventStateDeregisterConn(virObjectEventState *state, virConnectPtr conn);

/* Event constructors (never fail). */
virObjectEvent *virDomainEventLifecycleNew(int id, const char *name,
                                           const unsigned char *uuid, int type,
                                           int detail);
/* From an object (locked by the caller): takes its current id/name/uuid. */
virObjectEvent *virDomainEventLifecycleNewFromObj(virDomainObj *obj, int type,
                                                  int detail);
virObjectEvent *virDomainEventRebootNewFromObj(virDomainObj *obj);
virObjectEvent *virDomainEventRebootNew(int id, const char *name,
                                        const unsigned char *uuid);

/* Run dispatch of everything queued so far, synchronously (tests; the
 * daemon). Normally the timer does this. */
void virObjectEventStateFlush(virObjectEventState *state);
