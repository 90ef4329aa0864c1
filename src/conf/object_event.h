/* object_event.h: events of the other object kinds (networks, storage pools, node devices, secrets) on the shared event queue */
#pragma once

#include "domain_event.h"

/*
 * The queue, the dispatch and the callback list of domain_event.h serve
 * every object kind: a driver queues its events into its own
 * virObjectEventState (the test driver and the remote driver use one
 * state for all kinds). Callbacks are registered per kind and event ID,
 * optionally for one object (by UUID; node devices by name), and receive
 * a new handle of that object on the callback's connection. Callback IDs
 * are unique per state across kinds; deregistering checks the kind, so a
 * network callback ID is unknown to virConnectDomainEventDeregisterAny.
 */

typedef enum {
    VIR_EVENT_KIND_DOMAIN = 0,
    VIR_EVENT_KIND_NETWORK,
    VIR_EVENT_KIND_STORAGE_POOL,
    VIR_EVENT_KIND_NODE_DEVICE,
    VIR_EVENT_KIND_SECRET,
    /* libvirt-qemu's monitor events (one eventID, 0): every QMP event of
     * a guest, filtered by name; never journaled */
    VIR_EVENT_KIND_QEMU_MONITOR,
} virObjectEventKind;

/* Register @cb for @eventID events of the kind, optionally only for the
 * given object. Returns the callbackID or -1 (error reported: INVALID_ARG
 * for an eventID out of range or a callback already registered for the
 * same event and object, INTERNAL_ERROR without an event loop). */
int virNetworkEventStateRegisterID(virConnectPtr conn, virObjectEventState *state,
                                   virNetworkPtr net, int eventID,
                                   virConnectNetworkEventGenericCallback cb, void *opaque,
                                   virFreeCallback freecb);
int virStoragePoolEventStateRegisterID(virConnectPtr conn, virObjectEventState *state,
                                       virStoragePoolPtr pool, int eventID,
                                       virConnectStoragePoolEventGenericCallback cb,
                                       void *opaque, virFreeCallback freecb);
int virNodeDeviceEventStateRegisterID(virConnectPtr conn, virObjectEventState *state,
                                      virNodeDevicePtr dev, int eventID,
                                      virConnectNodeDeviceEventGenericCallback cb,
                                      void *opaque, virFreeCallback freecb);
int virSecretEventStateRegisterID(virConnectPtr conn, virObjectEventState *state,
                                  virSecretPtr secret, int eventID,
                                  virConnectSecretEventGenericCallback cb, void *opaque,
                                  virFreeCallback freecb);

/* Deregister @callbackID of @conn if it is of @kind. 0, or -1 with
 * INVALID_ARG "could not find event callback %d for deletion". */
int virObjectEventStateDeregisterKindID(virConnectPtr conn, virObjectEventState *state,
                                        virObjectEventKind kind, int callbackID);

/* Event constructors (never fail; strings are copied). @type/@detail are
 * the kind's virXxxEventLifecycleType and detail (0 where libvirt has
 * none). */
virObjectEvent *virNetworkEventLifecycleNew(const char *name, const unsigned char *uuid,
                                            int type, int detail);
virObjectEvent *virStoragePoolEventLifecycleNew(const char *name,
                                                const unsigned char *uuid, int type,
                                                int detail);
virObjectEvent *virStoragePoolEventRefreshNew(const char *name,
                                              const unsigned char *uuid);
virObjectEvent *virNodeDeviceEventLifecycleNew(const char *name, int type, int detail);
virObjectEvent *virNodeDeviceEventUpdateNew(const char *name);
virObjectEvent *virSecretEventLifecycleNew(const unsigned char *uuid, int usageType,
                                           const char *usageID, int type, int detail);
virObjectEvent *virSecretEventValueChangedNew(const unsigned char *uuid, int usageType,
                                              const char *usageID);

/* ---- libvirt-qemu's monitor events (virConnectDomainQemuMonitorEventRegister) */

/* Register @cb (a virConnectDomainQemuMonitorEventCallback) for the QMP
 * events of @dom (NULL: every domain) named @event (NULL: all): the exact
 * name, or with VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_REGEX a
 * regular expression searched in it, case-insensitively with _NOCASE.
 * Returns the callbackID or -1 (INVALID_ARG "failed to compile regex"). */
int virDomainQemuMonitorEventStateRegisterID(virConnectPtr conn,
                                             virObjectEventState *state, virDomainPtr dom,
                                             const char *event, void (*cb)(void),
                                             void *opaque, virFreeCallback freecb,
                                             unsigned int flags);
/* A remote driver's registration: the server filtered already, @cb gets
 * exactly the events queued with @remoteID. */
int virDomainQemuMonitorEventStateRegisterRemote(virConnectPtr conn,
                                                 virObjectEventState *state, int remoteID,
                                                 void (*cb)(void), void *opaque,
                                                 virFreeCallback freecb);
/* QMP event @event of a domain at @seconds.@micros, @details its "data"
 * as JSON text (NULL when it has none); @remoteID -1, or the server's
 * callback ID of a remote driver's message. */
virObjectEvent *virDomainQemuMonitorEventNew(int id, const char *name,
                                             const unsigned char *uuid, const char *event,
                                             long long seconds, unsigned int micros,
                                             const char *details, int remoteID);
/* The server's callback ID recorded by a remote registration of @kind
 * (virDomainQemuMonitorEventStateRegisterRemote) under @callbackID of
 * @conn, or -1 when there is none. */
int virObjectEventStateRemoteIDOf(virObjectEventState *state, virConnectPtr conn,
                                  virObjectEventKind kind, int callbackID);
/* Deregister QEMU monitor callback @callbackID of @conn: 0, or -1 with
 * libvirt's INVALID_ARG "event callback id %d not registered". */
int virDomainQemuMonitorEventStateDeregisterID(virConnectPtr conn,
                                               virObjectEventState *state,
                                               int callbackID);
/* Whether a callback of @kind is registered (cheap; lets a driver skip
 * building events nobody asked for). */
bool virObjectEventStateHasKind(virObjectEventState *state, virObjectEventKind kind);
