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

/* The identity arguments every domain event constructor starts with: the
 * domain's id (-1 inactive), name and UUID. From an object (locked by the
 * caller): VIR_DOMAIN_EVENT_OBJ(obj). */
#define VIR_DOMAIN_EVENT_OBJ(obj) (obj)->def->id, (obj)->def->name, (obj)->def->uuid

/* ---- the events the drivers raise from running guests (QEMU events) --- */
/* Each takes the identity, then the callback's own arguments in the order
 * of libvirt's virConnectDomainEvent*Callback; strings and arrays are
 * copied. Dispatch calls the callback type of the event ID. */
virObjectEvent *virDomainEventRTCChangeNew(int id, const char *name,
                                           const unsigned char *uuid, long long offset);
virObjectEvent *virDomainEventWatchdogNew(int id, const char *name,
                                          const unsigned char *uuid, int action);
/* @reason NULL: IO_ERROR; else IO_ERROR_REASON. */
virObjectEvent *virDomainEventIOErrorNew(int id, const char *name,
                                         const unsigned char *uuid, const char *srcPath,
                                         const char *devAlias, int action,
                                         const char *reason);
virObjectEvent *virDomainEventGraphicsNew(int id, const char *name,
                                          const unsigned char *uuid, int phase,
                                          const virDomainEventGraphicsAddress *local,
                                          const virDomainEventGraphicsAddress *remote,
                                          const char *authScheme,
                                          const virDomainEventGraphicsSubject *subject);
virObjectEvent *virDomainEventControlErrorNew(int id, const char *name,
                                              const unsigned char *uuid);
/* @eventID BLOCK_JOB (@disk is the path) or BLOCK_JOB_2 (the target dev). */
virObjectEvent *virDomainEventBlockJobNew(int eventID, int id, const char *name,
                                          const unsigned char *uuid, const char *disk,
                                          int type, int status);
/* @eventID PMWAKEUP, PMSUSPEND or PMSUSPEND_DISK. */
virObjectEvent *virDomainEventPMNew(int eventID, int id, const char *name,
                                    const unsigned char *uuid, int reason);
virObjectEvent *virDomainEventBalloonChangeNew(int id, const char *name,
                                               const unsigned char *uuid,
                                               unsigned long long actual);
virObjectEvent *virDomainEventTunableNew(int id, const char *name,
                                         const unsigned char *uuid,
                                         const virTypedParameter *params, int nparams);
virObjectEvent *virDomainEventAgentLifecycleNew(int id, const char *name,
                                                const unsigned char *uuid, int state,
                                                int reason);
virObjectEvent *virDomainEventMigrationIterationNew(int id, const char *name,
                                                    const unsigned char *uuid,
                                                    int iteration);
virObjectEvent *virDomainEventJobCompletedNew(int id, const char *name,
                                              const unsigned char *uuid,
                                              const virTypedParameter *params,
                                              int nparams);
virObjectEvent *virDomainEventBlockThresholdNew(int id, const char *name,
                                                const unsigned char *uuid,
                                                const char *dev, const char *path,
                                                unsigned long long threshold,
                                                unsigned long long excess);
virObjectEvent *virDomainEventMemoryFailureNew(int id, const char *name,
                                               const unsigned char *uuid, int recipient,
                                               int action, unsigned int flags);
virObjectEvent *virDomainEventMemoryDeviceSizeChangeNew(int id, const char *name,
                                                        const unsigned char *uuid,
                                                        const char *alias,
                                                        unsigned long long size);

/* ---- the events of device and definition changes (hotplug paths) ------ */
virObjectEvent *virDomainEventDiskChangeNew(int id, const char *name,
                                            const unsigned char *uuid,
                                            const char *oldSrcPath,
                                            const char *newSrcPath, const char *devAlias,
                                            int reason);
virObjectEvent *virDomainEventTrayChangeNew(int id, const char *name,
                                            const unsigned char *uuid,
                                            const char *devAlias, int reason);
/* @eventID DEVICE_REMOVED, DEVICE_ADDED or DEVICE_REMOVAL_FAILED. */
virObjectEvent *virDomainEventDeviceNew(int eventID, int id, const char *name,
                                        const unsigned char *uuid, const char *devAlias);
virObjectEvent *virDomainEventMetadataChangeNew(int id, const char *name,
                                                const unsigned char *uuid, int type,
                                                const char *nsuri);

/* ---- the event journal (virtkitd's resumable events) ------------------ */
/*
 * A flat view of any event (borrowed pointers, valid while the event
 * lives): kind (virObjectEventKind), event ID, the object's id/name/uuid,
 * then the callback's arguments in order: lifecycle num[0..1] = type,
 * detail; the others their ints in num[], 64-bit numbers in big[], strings
 * in str[] (GRAPHICS: num = phase, local family, remote family; str = auth,
 * local node, local service, remote node, remote service; the subject's
 * identities are not carried). TUNABLE/JOB_COMPLETED parameters are not
 * carried either.
 */
#define VIR_OBJECT_EVENT_RECORD_NUMS 4
#define VIR_OBJECT_EVENT_RECORD_BIGS 2
#define VIR_OBJECT_EVENT_RECORD_STRS 6
typedef struct {
    int kind;
    int eventID;
    int id;
    const char *name;
    const unsigned char *uuid;
    int num[VIR_OBJECT_EVENT_RECORD_NUMS];
    unsigned long long big[VIR_OBJECT_EVENT_RECORD_BIGS];
    const char *str[VIR_OBJECT_EVENT_RECORD_STRS];
} virObjectEventRecord;
void virObjectEventGetRecord(const virObjectEvent *event, virObjectEventRecord *rec);

/* The journal hook: when set (virtkitd does, once, before its drivers
 * start), it is called for every event queued into a journaled state,
 * with that state's lock held (so in dispatch order), whether anybody
 * listens or not. It must not block nor queue events. */
typedef void (*virObjectEventJournalFunc)(const virObjectEvent *event, void *opaque);
void virObjectEventSetJournal(virObjectEventJournalFunc fn, void *opaque);
/* A driver marks the states of the objects it owns across connections. */
void virObjectEventStateSetJournaled(virObjectEventState *state);

/* Who causes the events queued by this thread from now on (a static
 * string or one that outlives the call: "guest", "daemon", a client's
 * "client:UID:PID"); NULL clears. Read by the journal hook. */
void virObjectEventSetRequestor(const char *requestor);
const char *virObjectEventGetRequestor(void);

/* Run dispatch of everything queued so far, synchronously (tests; the
 * daemon). Normally the timer does this. */
void virObjectEventStateFlush(virObjectEventState *state);
