/* libvirt-network.c: public entry points of virtual networks and network ports: handles, lists, lookups, XML, events */
#define G_LOG_DOMAIN "virtkit.api"

#include <string.h>

#include "libvirt_internal.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_NETWORK

/*
 * Common to every entry point below: it first resets the thread's last
 * error; an invalid @conn fails with VIR_ERR_INVALID_CONN, an invalid
 * handle with VIR_ERR_INVALID_NETWORK, a NULL required argument with
 * VIR_ERR_INVALID_ARG (all in domain VIR_FROM_NETWORK); a connection whose
 * driver lacks the call (driver.h: virNetworkDriver) fails with VIR_ERR_NO_SUPPORT
 * "this function is not supported by the connection driver: <function>";
 * the driver reports what it finds (VIR_ERR_NO_NETWORK for a handle
 * whose object is gone, INVALID_ARG for flags it does not take); failures
 * reach the error handlers once (virDispatchError). Returned handles are
 * new references, released with virNetworkFree.
 */


/**
 * virConnectNumOfNetworks:
 * @conn: a connection
 *
 * The number of active networks.
 *
 * Returns the number, or -1 in case of error (the common ones).
 */
int
virConnectNumOfNetworks(virConnectPtr conn)
{
    int ret;

    virResetLastError();
    virCheckConnectReturn(conn, -1);

    if (conn->networkDriver && conn->networkDriver->connectNumOfNetworks) {
        if ((ret = conn->networkDriver->connectNumOfNetworks(conn)) < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}


/**
 * virConnectNumOfDefinedNetworks:
 * @conn: a connection
 *
 * The number of inactive persistent networks.
 *
 * Returns the number, or -1 in case of error (the common ones).
 */
int
virConnectNumOfDefinedNetworks(virConnectPtr conn)
{
    int ret;

    virResetLastError();
    virCheckConnectReturn(conn, -1);

    if (conn->networkDriver && conn->networkDriver->connectNumOfDefinedNetworks) {
        if ((ret = conn->networkDriver->connectNumOfDefinedNetworks(conn)) < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}


/**
 * virConnectListNetworks:
 * @conn: a connection
 * @names: array of @maxnames pointers to fill (NULL only if @maxnames is 0)
 * @maxnames: size of @names, zero or greater
 *
 * Stores the names of up to @maxnames active networks, each newly allocated
 * (the caller frees each with free()). Racy: prefer
 * virConnectListAllNetworks.
 *
 * Returns the number stored, or -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @names with @maxnames > 0 or a negative
 * @maxnames.
 */
int
virConnectListNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    int ret;

    virResetLastError();
    virCheckConnectReturn(conn, -1);
    virCheckNonNullArrayArgGoto(names, maxnames, error);
    virCheckNonNegativeArgGoto(maxnames, error);
    if (conn->networkDriver && conn->networkDriver->connectListNetworks) {
        if ((ret = conn->networkDriver->connectListNetworks(conn, names, maxnames)) < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}


/**
 * virConnectListDefinedNetworks:
 * @conn: a connection
 * @names: array of @maxnames pointers to fill (NULL only if @maxnames is 0)
 * @maxnames: size of @names, zero or greater
 *
 * Stores the names of up to @maxnames inactive persistent networks, each
 * newly allocated (the caller frees each with free()). Racy: prefer
 * virConnectListAllNetworks.
 *
 * Returns the number stored, or -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @names with @maxnames > 0 or a negative
 * @maxnames.
 */
int
virConnectListDefinedNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    int ret;

    virResetLastError();
    virCheckConnectReturn(conn, -1);
    virCheckNonNullArrayArgGoto(names, maxnames, error);
    virCheckNonNegativeArgGoto(maxnames, error);
    if (conn->networkDriver && conn->networkDriver->connectListDefinedNetworks) {
        if ((ret = conn->networkDriver->connectListDefinedNetworks(conn, names,
                                                                   maxnames)) < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}


/**
 * virConnectListAllNetworks:
 * @conn: a connection
 * @nets: if not NULL, where to store a NULL-terminated array of new handles; set to NULL first, whatever the outcome
 * @flags: bitwise-OR of virConnectListAllNetworksFlags, 0 for all
 *
 * Lists the networks matching @flags in one consistent pass (flags of one
 * group are alternatives; every group used must match).
 *
 * Returns the number of networks (and of handles in *@nets), or -1 in case
 * of error: the common ones, VIR_ERR_INVALID_ARG for flags the driver does
 * not take. The caller releases each handle with virNetworkFree and the
 * array with free().
 */
int
virConnectListAllNetworks(virConnectPtr conn, virNetworkPtr **nets, unsigned int flags)
{
    int ret;

    virResetLastError();
    if (nets)
        *nets = NULL;
    virCheckConnectReturn(conn, -1);

    if (conn->networkDriver && conn->networkDriver->connectListAllNetworks) {
        if ((ret = conn->networkDriver->connectListAllNetworks(conn, nets, flags)) < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}


/**
 * virNetworkLookupByName:
 * @conn: a connection
 * @name: the network's name
 *
 * Finds the network, active or not, with this name.
 *
 * Returns a new handle (release it with virNetworkFree), or NULL in case of
 * error: the common ones, VIR_ERR_NO_NETWORK if there is none.
 */
virNetworkPtr
virNetworkLookupByName(virConnectPtr conn, const char *name)
{
    virNetworkPtr ret;

    virResetLastError();
    virCheckConnectReturn(conn, NULL);
    virCheckNonNullArgGoto(name, error);
    if (conn->networkDriver && conn->networkDriver->networkLookupByName) {
        if (!(ret = conn->networkDriver->networkLookupByName(conn, name)))
            goto error;
        return ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return NULL;
}


/**
 * virNetworkLookupByUUID:
 * @conn: a connection
 * @uuid: the UUID, VIR_UUID_BUFLEN (16) raw bytes
 *
 * Finds the network, active or not, with this UUID.
 *
 * Returns a new handle (release it with virNetworkFree), or NULL in case of
 * error: the common ones, VIR_ERR_NO_NETWORK if there is none.
 */
virNetworkPtr
virNetworkLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    virNetworkPtr ret;

    virResetLastError();
    virCheckConnectReturn(conn, NULL);
    virCheckNonNullArgGoto(uuid, error);
    if (conn->networkDriver && conn->networkDriver->networkLookupByUUID) {
        if (!(ret = conn->networkDriver->networkLookupByUUID(conn, uuid)))
            goto error;
        return ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return NULL;
}


/**
 * virNetworkLookupByUUIDString:
 * @conn: a connection
 * @uuidstr: the UUID as 32 hex digits; dashes between digit pairs and surrounding white space are ignored
 *
 * As virNetworkLookupByUUID, from the printable form.
 *
 * Returns a new handle (release it with virNetworkFree), or NULL in case of
 * error: the common ones, VIR_ERR_INVALID_ARG ("uuidstr in <function> must be a valid UUID") if @uuidstr
 * does not parse, VIR_ERR_NO_NETWORK if there is none.
 */
virNetworkPtr
virNetworkLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];
    virNetworkPtr ret;

    virResetLastError();
    virCheckConnectReturn(conn, NULL);
    virCheckNonNullArgGoto(uuidstr, error);

    if (virUUIDParse(uuidstr, uuid) < 0) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "uuidstr",
                               "uuidstr in %s must be a valid UUID", __func__);
        goto error;
    }
    if (conn->networkDriver && conn->networkDriver->networkLookupByUUID) {
        if (!(ret = conn->networkDriver->networkLookupByUUID(conn, uuid)))
            goto error;
        return ret;
    }
    virReportError(VIR_ERR_NO_SUPPORT, "%s", "virNetworkLookupByUUID");
error:
    virDispatchError(conn);
    return NULL;
}


/**
 * virNetworkGetXMLDesc:
 * @network: a handle
 * @flags: bitwise-OR of virNetworkXMLFlags (VIR_NETWORK_XML_INACTIVE: the persistent definition)
 *
 * The XML of @network: its live state when active, else its persistent
 * definition.
 *
 * Returns a newly allocated string the caller frees with free(), or NULL in
 * case of error (the common ones).
 */
char *
virNetworkGetXMLDesc(virNetworkPtr network, unsigned int flags)
{
    virConnectPtr conn;
    char *ret;

    virResetLastError();
    virCheckNetworkReturn(network, NULL);
    conn = network->conn;

    if (conn->networkDriver && conn->networkDriver->networkGetXMLDesc) {
        if (!(ret = conn->networkDriver->networkGetXMLDesc(network, flags)))
            goto error;
        return ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return NULL;
}


/**
 * virNetworkRef:
 * @network: a handle
 *
 * Takes one more reference to the handle, for a second owner; each is
 * released with virNetworkFree. Thread-safe (atomic).
 *
 * Returns 0 in case of success, -1 if @network is invalid.
 */
int
virNetworkRef(virNetworkPtr network)
{
    virResetLastError();
    virCheckNetworkReturn(network, -1);
    virObjectRefHandle(network);
    return 0;
}


/**
 * virNetworkFree:
 * @network: a handle
 *
 * Releases one reference to the handle; the last one frees it and drops its
 * reference on its connection. The object itself is not affected. Thread-
 * safe (atomic).
 *
 * Returns 0 in case of success, -1 if @network is invalid
 * (VIR_ERR_INVALID_NETWORK).
 */
int
virNetworkFree(virNetworkPtr network)
{
    virResetLastError();
    virCheckNetworkReturn(network, -1);
    virObjectUnrefNetwork(network);
    return 0;
}


/**
 * virNetworkGetName:
 * @network: a handle
 *
 * The name of @network, from the handle (no driver call).
 *
 * Returns a string owned by @network (do not free it; valid while the handle
 * lives), or NULL if @network is invalid.
 */
const char *
virNetworkGetName(virNetworkPtr network)
{
    virResetLastError();
    virCheckNetworkReturn(network, NULL);
    return network->name;
}


/**
 * virNetworkGetUUID:
 * @network: a handle
 * @uuid: buffer of VIR_UUID_BUFLEN (16) bytes for the raw UUID
 *
 * The UUID of @network, from the handle (no driver call).
 *
 * Returns 0 in case of success and -1 in case of error:
 * VIR_ERR_INVALID_NETWORK, VIR_ERR_INVALID_ARG if @uuid is NULL.
 */
int
virNetworkGetUUID(virNetworkPtr network, unsigned char *uuid)
{
    virResetLastError();
    virCheckNetworkReturn(network, -1);
    virCheckNonNullArgGoto(uuid, error);

    memcpy(uuid, network->uuid, VIR_UUID_BUFLEN);
    return 0;

error:
    virDispatchError(network->conn);
    return -1;
}


/**
 * virNetworkGetUUIDString:
 * @network: a handle
 * @buf: buffer of VIR_UUID_STRING_BUFLEN (37) bytes
 *
 * The UUID of @network in its printable form (lowercase hex, dashes, NUL),
 * from the handle (no driver call).
 *
 * Returns 0 in case of success and -1 in case of error:
 * VIR_ERR_INVALID_NETWORK, VIR_ERR_INVALID_ARG if @buf is NULL.
 */
int
virNetworkGetUUIDString(virNetworkPtr network, char *buf)
{
    virResetLastError();
    virCheckNetworkReturn(network, -1);
    virCheckNonNullArgGoto(buf, error);

    virUUIDFormat(network->uuid, buf);
    return 0;

error:
    virDispatchError(network->conn);
    return -1;
}


/**
 * virNetworkGetConnect:
 * @network: a handle
 *
 * The connection @network belongs to. No reference is taken: it stays valid
 * while @network lives (the handle holds one); virConnectRef it to keep it
 * longer.
 *
 * Returns the connection, or NULL if @network is invalid.
 */
virConnectPtr
virNetworkGetConnect(virNetworkPtr network)
{
    virResetLastError();
    virCheckNetworkReturn(network, NULL);
    return network->conn;
}


/**
 * virNetworkPortGetNetwork:
 * @port: a handle
 *
 * The network @port belongs to. No reference is taken: it stays valid while
 * @port lives.
 *
 * Returns the network, or NULL if @port is invalid.
 */
virNetworkPtr
virNetworkPortGetNetwork(virNetworkPortPtr port)
{
    virResetLastError();
    virCheckNetworkPortReturn(port, NULL);
    return port->net;
}


/**
 * virNetworkPortRef:
 * @port: a handle
 *
 * Takes one more reference to the handle, for a second owner; each is
 * released with virNetworkPortFree. Thread-safe (atomic).
 *
 * Returns 0 in case of success, -1 if @port is invalid.
 */
int
virNetworkPortRef(virNetworkPortPtr port)
{
    virResetLastError();
    virCheckNetworkPortReturn(port, -1);
    virObjectRefHandle(port);
    return 0;
}


/**
 * virNetworkPortFree:
 * @port: a handle
 *
 * Releases one reference to the handle; the last one frees it and drops its
 * reference on its network. The object itself is not affected. Thread-safe
 * (atomic).
 *
 * Returns 0 in case of success, -1 if @port is invalid
 * (VIR_ERR_INVALID_NETWORK_PORT).
 */
int
virNetworkPortFree(virNetworkPortPtr port)
{
    virResetLastError();
    virCheckNetworkPortReturn(port, -1);
    virObjectUnrefNetworkPort(port);
    return 0;
}


/**
 * virNetworkPortGetUUID:
 * @port: a handle
 * @uuid: buffer of VIR_UUID_BUFLEN (16) bytes for the raw UUID
 *
 * The UUID of @port, from the handle (no driver call).
 *
 * Returns 0 in case of success and -1 in case of error:
 * VIR_ERR_INVALID_NETWORK_PORT, VIR_ERR_INVALID_ARG if @uuid is NULL.
 */
int
virNetworkPortGetUUID(virNetworkPortPtr port, unsigned char *uuid)
{
    virResetLastError();
    virCheckNetworkPortReturn(port, -1);
    virCheckNonNullArgGoto(uuid, error);

    memcpy(uuid, port->uuid, VIR_UUID_BUFLEN);
    return 0;

error:
    virDispatchError(port->net->conn);
    return -1;
}


/**
 * virNetworkPortGetUUIDString:
 * @port: a handle
 * @buf: buffer of VIR_UUID_STRING_BUFLEN (37) bytes
 *
 * The UUID of @port in its printable form (lowercase hex, dashes, NUL), from
 * the handle (no driver call).
 *
 * Returns 0 in case of success and -1 in case of error:
 * VIR_ERR_INVALID_NETWORK_PORT, VIR_ERR_INVALID_ARG if @buf is NULL.
 */
int
virNetworkPortGetUUIDString(virNetworkPortPtr port, char *buf)
{
    virResetLastError();
    virCheckNetworkPortReturn(port, -1);
    virCheckNonNullArgGoto(buf, error);

    virUUIDFormat(port->uuid, buf);
    return 0;

error:
    virDispatchError(port->net->conn);
    return -1;
}


/**
 * virConnectNetworkEventRegisterAny:
 * @conn: a connection
 * @network: only events of this object, or NULL for all
 * @eventID: the event to watch (VIR_NETWORK_EVENT_ID_LIFECYCLE)
 * @cb: the callback, cast with VIR_NETWORK_EVENT_CALLBACK from the type the event ID names
 * @opaque: passed to @cb
 * @freecb: called with @opaque when the registration ends, or NULL
 *
 * Registers @cb for @eventID events. Callbacks run from the application's
 * event loop (virEventRegisterImpl or virEventRegisterDefaultImpl must have
 * been called), never from inside the API call that caused the event; the
 * registration holds a reference on @conn until deregistered.
 *
 * Returns a callback ID for virConnectNetworkEventDeregisterAny (zero or
 * greater), or -1 in case of error: the common ones, VIR_ERR_INVALID_ARG for
 * a NULL @cb, an @eventID out of range or a handle of another connection,
 * VIR_ERR_INTERNAL_ERROR without an event loop.
 */
int
virConnectNetworkEventRegisterAny(virConnectPtr conn, virNetworkPtr network, int eventID,
                                  virConnectNetworkEventGenericCallback cb, void *opaque,
                                  virFreeCallback freecb)
{
    int ret;

    virResetLastError();
    virCheckConnectReturn(conn, -1);
    if (network) {
        virCheckNetworkReturn(network, -1);
        if (network->conn != conn) {
            virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "network",
                                   "network '%s' in %s must match connection",
                                   network->name, __func__);
            goto error;
        }
    }
    virCheckNonNullArgGoto(cb, error);
    if (eventID < 0 || eventID >= VIR_NETWORK_EVENT_ID_LIFECYCLE + 1) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "eventID",
                               "eventID in %s must be less than %d", __func__,
                               VIR_NETWORK_EVENT_ID_LIFECYCLE + 1);
        goto error;
    }
    if (conn->networkDriver && conn->networkDriver->connectNetworkEventRegisterAny) {
        if ((ret = conn->networkDriver->connectNetworkEventRegisterAny(
                 conn, network, eventID, cb, opaque, freecb)) < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}


/**
 * virConnectNetworkEventDeregisterAny:
 * @conn: a connection
 * @callbackID: an ID returned by virConnectNetworkEventRegisterAny on @conn
 *
 * Ends a registration: @cb is not called again once this returns (unless
 * already running), and its freecb runs.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a negative or unknown @callbackID.
 */
int
virConnectNetworkEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    int ret;

    virResetLastError();
    virCheckConnectReturn(conn, -1);
    virCheckNonNegativeArgGoto(callbackID, error);
    if (conn->networkDriver && conn->networkDriver->connectNetworkEventDeregisterAny) {
        if ((ret = conn->networkDriver->connectNetworkEventDeregisterAny(conn,
                                                                         callbackID)) < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}
