/* libvirt-domain-event.c: public entry points registering and removing domain event callbacks */
#define G_LOG_DOMAIN "virtkit.api"

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/*
 * Contracts below: the errors common to every entry point are listed at the
 * top of libvirt-domain.c (invalid connection or handle, NULL arguments,
 * VIR_ERR_NO_SUPPORT, remote errors). Events are queued by the drivers and
 * delivered from the application's event loop (docs/api.md).
 */

/**
 * virConnectDomainEventRegister:
 * @conn: a connection
 * @cb: called for every lifecycle event of every domain of @conn
 * @opaque: passed to @cb and @freecb
 * @freecb: if not NULL, frees @opaque once @cb is deregistered and no
 *          longer running
 *
 * The legacy form of virConnectDomainEventRegisterAny for
 * VIR_DOMAIN_EVENT_ID_LIFECYCLE on all domains. Needs an event loop
 * (virEventRegisterDefaultImpl or virEventRegisterImpl): callbacks run
 * from it, never inside the call that caused the event, with no lock
 * held. The registration holds a reference on @conn until it is removed.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones;
 * VIR_ERR_INVALID_ARG if @cb is already registered on @conn;
 * VIR_ERR_INTERNAL_ERROR "could not initialize domain event timer"
 * without an event loop.
 */
int
virConnectDomainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb,
                              void *opaque, virFreeCallback freecb)
{
    VIR_ENTRY_CONNECT(-1);
    virCheckNonNullArgGoto(cb, error);

    VIR_ENTRY_CALL_ZERO(driver, connectDomainEventRegister, conn, cb, opaque, freecb);
}


/**
 * virConnectDomainEventDeregister:
 * @conn: a connection
 * @cb: a callback given to virConnectDomainEventRegister
 *
 * Removes @cb: it is not called again, even for events already queued.
 * Its @freecb runs once it is not running (at once if idle).
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG if @cb is not registered on @conn.
 */
int
virConnectDomainEventDeregister(virConnectPtr conn, virConnectDomainEventCallback cb)
{
    VIR_ENTRY_CONNECT(-1);
    virCheckNonNullArgGoto(cb, error);

    VIR_ENTRY_CALL_ZERO(driver, connectDomainEventDeregister, conn, cb);
}


/**
 * virConnectDomainEventRegisterAny:
 * @conn: a connection
 * @dom: a handle of @conn to receive only its events, or NULL for all
 * @eventID: a virDomainEventID, from 0 to
 *           VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE
 * @cb: the callback, cast with VIR_DOMAIN_EVENT_CALLBACK from the type
 *      @eventID calls for
 * @opaque: passed to @cb and @freecb
 * @freecb: if not NULL, frees @opaque once @cb is deregistered and no
 *          longer running
 *
 * Registers @cb for one kind of event. Needs an event loop: callbacks run
 * from it in registration order, never inside the call that caused the
 * event, with no lock held (they may call any API, deregister themselves).
 * virtkit's drivers raise LIFECYCLE events, and the QEMU driver REBOOT (on
 * every guest reset); other IDs register but are never raised. The
 * registration holds a reference on @conn until it is removed.
 *
 * Returns the callback ID (zero or greater, for
 * virConnectDomainEventDeregisterAny), or -1 in case of error: the common
 * ones; VIR_ERR_INVALID_ARG for a negative or too large @eventID, a @dom of
 * another connection, or the same @cb, @eventID and @dom registered
 * already; VIR_ERR_INVALID_DOMAIN for an invalid @dom;
 * VIR_ERR_INTERNAL_ERROR without an event loop.
 */
int
virConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                 virConnectDomainEventGenericCallback cb, void *opaque,
                                 virFreeCallback freecb)
{
    VIR_ENTRY_CONNECT(-1);
    virCheckNonNullArgGoto(cb, error);
    virCheckNonNegativeArgGoto(eventID, error);
    if (eventID > VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "eventID",
                               "eventID must be less than %d",
                               VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE + 1);
        goto error;
    }
    if (dom) {
        if (!virAPIDomainIsValid(dom)) {
            virReportErrorFull(VIR_FROM_DOM, VIR_ERR_INVALID_DOMAIN, __func__, "%s",
                               __func__);
            goto error;
        }
        if (dom->conn != conn) {
            virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "dom",
                                   "domain '%s' must match connection", dom->name);
            goto error;
        }
    }

    VIR_ENTRY_CALL(driver, connectDomainEventRegisterAny, conn, dom, eventID, cb, opaque,
                   freecb);
}


/**
 * virConnectDomainEventDeregisterAny:
 * @conn: a connection
 * @callbackID: an ID returned by virConnectDomainEventRegisterAny on @conn
 *
 * Removes that callback: it is not called again, even for events already
 * queued. Its free function runs once it is not running.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a negative or unknown @callbackID.
 */
int
virConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    VIR_ENTRY_CONNECT(-1);
    virCheckNonNegativeArgGoto(callbackID, error);

    VIR_ENTRY_CALL_ZERO(driver, connectDomainEventDeregisterAny, conn, callbackID);
}


/**
 * virDomainSetBlockThreshold:
 * @domain: a running domain
 * @dev: a disk's target ("vda") or source path
 * @threshold: the offset in bytes past which a guest write fires the event
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Arms a one-shot VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD event: the first
 * guest write past @threshold bytes of @dev's image raises it (with the
 * threshold and by how much the write exceeded it), then the threshold is
 * gone until set again. 0 removes a threshold.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection,
 * VIR_ERR_OPERATION_INVALID for an inactive domain, VIR_ERR_INVALID_ARG
 * "failed to find disk '%s'" for a @dev the domain does not have.
 */
int
virDomainSetBlockThreshold(virDomainPtr domain, const char *dev,
                           unsigned long long threshold, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(dev, error);

    VIR_ENTRY_CALL_ZERO(driver, domainSetBlockThreshold, domain, dev, threshold, flags);
}
