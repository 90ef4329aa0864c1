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
VIR_CONNECT_CALL_NUM(virConnectNumOfNetworks, networkDriver, connectNumOfNetworks)


/**
 * virConnectNumOfDefinedNetworks:
 * @conn: a connection
 *
 * The number of inactive persistent networks.
 *
 * Returns the number, or -1 in case of error (the common ones).
 */
VIR_CONNECT_CALL_NUM(virConnectNumOfDefinedNetworks, networkDriver,
                     connectNumOfDefinedNetworks)


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
VIR_CONNECT_CALL_LIST_NAMES(virConnectListNetworks, networkDriver, connectListNetworks)


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
    VIR_ENTRY_CONNECT(-1);
    virCheckNonNullArrayArgGoto(names, maxnames, error);
    virCheckNonNegativeArgGoto(maxnames, error);
    VIR_ENTRY_CALL(networkDriver, connectListDefinedNetworks, conn, names, maxnames);
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
    virResetLastError();
    if (nets)
        *nets = NULL;
    virCheckConnectReturn(conn, -1);

    VIR_ENTRY_CALL(networkDriver, connectListAllNetworks, conn, nets, flags);
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
VIR_CONNECT_CALL_LOOKUP(virNetworkLookupByName, virNetworkPtr, networkDriver,
                        networkLookupByName, name)


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
VIR_CONNECT_CALL_LOOKUP_UUID(virNetworkLookupByUUID, virNetworkPtr, networkDriver,
                             networkLookupByUUID)


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
VIR_CONNECT_CALL_LOOKUP_UUID_STRING(virNetworkLookupByUUIDString, virNetworkPtr,
                                    networkDriver, networkLookupByUUID,
                                    virNetworkLookupByUUID)


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
    VIR_ENTRY(virCheckNetworkReturn(network, NULL), network->conn);

    VIR_ENTRY_CALL_PTR(networkDriver, networkGetXMLDesc, network, flags);
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
VIR_HANDLE_REF(virNetworkRef, virNetworkPtr, virCheckNetworkReturn)


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
VIR_HANDLE_FREE(virNetworkFree, virNetworkPtr, virCheckNetworkReturn,
                virObjectUnrefNetwork)


/**
 * virNetworkGetName:
 * @network: a handle
 *
 * The name of @network, from the handle (no driver call).
 *
 * Returns a string owned by @network (do not free it; valid while the handle
 * lives), or NULL if @network is invalid.
 */
VIR_HANDLE_GET(virNetworkGetName, const char *, virNetworkPtr, virCheckNetworkReturn,
               name)


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
VIR_HANDLE_GET_UUID(virNetworkGetUUID, virNetworkPtr, virCheckNetworkReturn, conn)


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
VIR_HANDLE_GET_UUID_STRING(virNetworkGetUUIDString, virNetworkPtr, virCheckNetworkReturn,
                           conn)


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
VIR_HANDLE_GET(virNetworkGetConnect, virConnectPtr, virNetworkPtr, virCheckNetworkReturn,
               conn)


/**
 * virNetworkPortGetNetwork:
 * @port: a handle
 *
 * The network @port belongs to. No reference is taken: it stays valid while
 * @port lives.
 *
 * Returns the network, or NULL if @port is invalid.
 */
VIR_HANDLE_GET(virNetworkPortGetNetwork, virNetworkPtr, virNetworkPortPtr,
               virCheckNetworkPortReturn, net)


/**
 * virNetworkPortRef:
 * @port: a handle
 *
 * Takes one more reference to the handle, for a second owner; each is
 * released with virNetworkPortFree. Thread-safe (atomic).
 *
 * Returns 0 in case of success, -1 if @port is invalid.
 */
VIR_HANDLE_REF(virNetworkPortRef, virNetworkPortPtr, virCheckNetworkPortReturn)


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
VIR_HANDLE_FREE(virNetworkPortFree, virNetworkPortPtr, virCheckNetworkPortReturn,
                virObjectUnrefNetworkPort)


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
VIR_HANDLE_GET_UUID(virNetworkPortGetUUID, virNetworkPortPtr, virCheckNetworkPortReturn,
                    net->conn)


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
VIR_HANDLE_GET_UUID_STRING(virNetworkPortGetUUIDString, virNetworkPortPtr,
                           virCheckNetworkPortReturn, net->conn)


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
VIR_CONNECT_EVENT_REGISTER(virConnectNetworkEventRegisterAny, virNetworkPtr, network,
                           virConnectNetworkEventGenericCallback, virCheckNetworkReturn,
                           "network", name, VIR_NETWORK_EVENT_ID_LIFECYCLE, networkDriver,
                           connectNetworkEventRegisterAny)


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
VIR_CONNECT_EVENT_DEREGISTER(virConnectNetworkEventDeregisterAny, networkDriver,
                             connectNetworkEventDeregisterAny)


/* ---- lifecycle, configuration, leases (the network engineer's block) ---- */

/* The common shape of the entry points below that take a handle and
 * return an int: reset, check, dispatch, report. */
#define NETWORK_INT_CALL(network, entry, readonly, ...)              \
    do {                                                             \
        virConnectPtr conn;                                          \
        int ret;                                                     \
                                                                     \
        virResetLastError();                                         \
        virCheckNetworkReturn(network, -1);                          \
        conn = (network)->conn;                                      \
        if (!(readonly))                                             \
            virCheckReadOnlyGoto(conn, error);                       \
        if (conn->networkDriver && conn->networkDriver->entry) {     \
            if ((ret = conn->networkDriver->entry(__VA_ARGS__)) < 0) \
                goto error;                                          \
            return ret;                                              \
        }                                                            \
        virReportUnsupportedError();                                 \
error:                                                               \
        virDispatchError(conn);                                      \
        return -1;                                                   \
    } while (0)

/**
 * virNetworkCreateXML:
 * @conn: a connection
 * @xmlDesc: the network's XML (libvirt's <network> format)
 *
 * Creates and starts a transient network: it exists until destroyed. A
 * persistent network of the same name and UUID that is not running is
 * started with this definition instead.
 *
 * Returns a new handle (release it with virNetworkFree), or NULL in case of
 * error: the common ones, VIR_ERR_OPERATION_DENIED on a read-only
 * connection, the XML's errors (VIR_ERR_XML_ERROR, ...), VIR_ERR_OPERATION_FAILED
 * when the name or UUID is taken, the host's errors when it cannot start
 * (nothing is left behind then).
 */
virNetworkPtr
virNetworkCreateXML(virConnectPtr conn, const char *xmlDesc)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckNonNullArgGoto(xmlDesc, error);
    virCheckReadOnlyGoto(conn, error);
    VIR_ENTRY_CALL_PTR(networkDriver, networkCreateXML, conn, xmlDesc);
}

/**
 * virNetworkCreateXMLFlags:
 * @conn: a connection
 * @xmlDesc: the network's XML
 * @flags: bitwise-OR of virNetworkCreateFlags (VIR_NETWORK_CREATE_VALIDATE)
 *
 * As virNetworkCreateXML, with flags.
 *
 * Returns a new handle, or NULL in case of error (as virNetworkCreateXML;
 * VIR_ERR_INVALID_ARG for unknown flags).
 */
virNetworkPtr
virNetworkCreateXMLFlags(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckNonNullArgGoto(xmlDesc, error);
    virCheckReadOnlyGoto(conn, error);
    VIR_ENTRY_CALL_PTR(networkDriver, networkCreateXMLFlags, conn, xmlDesc, flags);
}

/**
 * virNetworkDefineXML:
 * @conn: a connection
 * @xmlDesc: the network's XML
 *
 * Defines a persistent network, or replaces the persistent definition of
 * one with the same name and UUID (a running network keeps its live state
 * until it is restarted). The network is not started.
 *
 * Returns a new handle (release it with virNetworkFree), or NULL in case of
 * error: the common ones, VIR_ERR_OPERATION_DENIED on a read-only
 * connection, the XML's errors, VIR_ERR_OPERATION_FAILED when the name or
 * UUID belongs to another network, VIR_ERR_INTERNAL_ERROR "bridge name 'B'
 * already in use." when another network has the bridge.
 */
virNetworkPtr
virNetworkDefineXML(virConnectPtr conn, const char *xmlDesc)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckNonNullArgGoto(xmlDesc, error);
    virCheckReadOnlyGoto(conn, error);
    VIR_ENTRY_CALL_PTR(networkDriver, networkDefineXML, conn, xmlDesc);
}

/**
 * virNetworkDefineXMLFlags:
 * @conn: a connection
 * @xmlDesc: the network's XML
 * @flags: bitwise-OR of virNetworkDefineFlags (VIR_NETWORK_DEFINE_VALIDATE)
 *
 * As virNetworkDefineXML, with flags.
 *
 * Returns a new handle, or NULL in case of error (as virNetworkDefineXML;
 * VIR_ERR_INVALID_ARG for unknown flags).
 */
virNetworkPtr
virNetworkDefineXMLFlags(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckNonNullArgGoto(xmlDesc, error);
    virCheckReadOnlyGoto(conn, error);
    VIR_ENTRY_CALL_PTR(networkDriver, networkDefineXMLFlags, conn, xmlDesc, flags);
}

/**
 * virNetworkUndefine:
 * @network: a handle
 *
 * Removes the persistent definition; a running network goes on as a
 * transient one until destroyed.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection,
 * VIR_ERR_OPERATION_INVALID for a transient network.
 */
int
virNetworkUndefine(virNetworkPtr network)
{
    NETWORK_INT_CALL(network, networkUndefine, false, network);
}

/**
 * virNetworkUpdate:
 * @network: a handle
 * @command: a virNetworkUpdateCommand (modify, delete, add-last, add-first)
 * @section: a virNetworkUpdateSection (which part of the definition)
 * @parentIndex: which <ip> the element belongs to (-1: the first IPv4 one)
 * @xml: the element to add, delete or modify (e.g. a DHCP <host>)
 * @flags: bitwise-OR of virNetworkUpdateFlags (live state, persistent
 *   definition; none: the live state of a running network, else the
 *   persistent one)
 *
 * Changes one element of a network's definition without restarting it.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_NO_SUPPORT
 * for a section the driver cannot update, VIR_ERR_OPERATION_INVALID for an
 * element that is (add) or is not (modify, delete) there; nothing changes.
 */
int
virNetworkUpdate(virNetworkPtr network, unsigned int command, unsigned int section,
                 int parentIndex, const char *xml, unsigned int flags)
{
    virConnectPtr conn;
    int ret;

    virResetLastError();
    virCheckNetworkReturn(network, -1);
    conn = network->conn;
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(xml, error);
    if (conn->networkDriver && conn->networkDriver->networkUpdate) {
        ret = conn->networkDriver->networkUpdate(network, command, section, parentIndex,
                                                 xml, flags);
        if (ret < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}

/**
 * virNetworkCreate:
 * @network: a handle of a defined, inactive network
 *
 * Starts the network: its bridge, addresses, firewall rules and DHCP/DNS
 * service, or none of them when one fails.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection,
 * VIR_ERR_OPERATION_INVALID when it is already active, the host's errors.
 */
int
virNetworkCreate(virNetworkPtr network)
{
    NETWORK_INT_CALL(network, networkCreate, false, network);
}

/**
 * virNetworkDestroy:
 * @network: a handle of an active network
 *
 * Stops the network and removes what it made on the host; a transient
 * network is gone afterwards.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection,
 * VIR_ERR_OPERATION_INVALID when it is not active.
 */
int
virNetworkDestroy(virNetworkPtr network)
{
    NETWORK_INT_CALL(network, networkDestroy, false, network);
}

/**
 * virNetworkGetBridgeName:
 * @network: a handle
 *
 * The name of the host bridge the network's guests are plugged into.
 *
 * Returns a newly allocated string the caller frees with free(), or NULL
 * in case of error: the common ones, VIR_ERR_INTERNAL_ERROR when the
 * network has no bridge.
 */
char *
virNetworkGetBridgeName(virNetworkPtr network)
{
    VIR_ENTRY(virCheckNetworkReturn(network, NULL), network->conn);
    VIR_ENTRY_CALL_PTR(networkDriver, networkGetBridgeName, network);
}

/**
 * virNetworkGetAutostart:
 * @network: a handle
 * @autostart: where to store 1 (started with the host) or 0
 *
 * Whether the network starts when the daemon (host) starts.
 *
 * Returns 0 in case of success (*@autostart set), -1 in case of error
 * (the common ones).
 */
int
virNetworkGetAutostart(virNetworkPtr network, int *autostart)
{
    VIR_ENTRY(virCheckNetworkReturn(network, -1), network->conn);
    virCheckNonNullArgGoto(autostart, error);
    VIR_ENTRY_CALL(networkDriver, networkGetAutostart, network, autostart);
}

/**
 * virNetworkSetAutostart:
 * @network: a handle of a persistent network
 * @autostart: non-zero to start it with the host
 *
 * Marks the network to start (or not) when the daemon starts.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection,
 * VIR_ERR_OPERATION_INVALID for a transient network.
 */
int
virNetworkSetAutostart(virNetworkPtr network, int autostart)
{
    NETWORK_INT_CALL(network, networkSetAutostart, false, network, autostart);
}

/**
 * virNetworkIsActive:
 * @net: a handle
 *
 * Whether the network is running.
 *
 * Returns 1 if running, 0 if not, -1 in case of error (the common ones).
 */
int
virNetworkIsActive(virNetworkPtr net)
{
    NETWORK_INT_CALL(net, networkIsActive, true, net);
}

/**
 * virNetworkIsPersistent:
 * @net: a handle
 *
 * Whether the network has a persistent definition.
 *
 * Returns 1 if persistent, 0 if transient, -1 in case of error (the
 * common ones).
 */
int
virNetworkIsPersistent(virNetworkPtr net)
{
    NETWORK_INT_CALL(net, networkIsPersistent, true, net);
}

/**
 * virNetworkGetDHCPLeases:
 * @network: a handle
 * @mac: only the leases of this MAC address, or NULL for all
 * @leases: where to store a newly allocated array of leases (each freed
 *   with virNetworkDHCPLeaseFree, the array with free()), or NULL to
 *   count them only
 * @flags: extra flags, none yet: pass 0
 *
 * The DHCP leases the network's DHCP server has handed out and that have
 * not expired.
 *
 * Returns the number of leases (0 or more), -1 in case of error: the
 * common ones, VIR_ERR_INVALID_ARG for non-zero @flags.
 */
int
virNetworkGetDHCPLeases(virNetworkPtr network, const char *mac,
                        virNetworkDHCPLeasePtr **leases, unsigned int flags)
{
    virConnectPtr conn;
    int ret;

    virResetLastError();
    virCheckNetworkReturn(network, -1);
    conn = network->conn;
    if (leases)
        *leases = NULL;
    if (conn->networkDriver && conn->networkDriver->networkGetDHCPLeases) {
        ret = conn->networkDriver->networkGetDHCPLeases(network, mac, leases, flags);
        if (ret < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}

/**
 * virNetworkDHCPLeaseFree:
 * @lease: a lease from virNetworkGetDHCPLeases, or NULL
 *
 * Frees one lease and its strings.
 */
void
virNetworkDHCPLeaseFree(virNetworkDHCPLeasePtr lease)
{
    if (!lease)
        return;
    free(lease->iface);
    free(lease->mac);
    free(lease->iaid);
    free(lease->ipaddr);
    free(lease->hostname);
    free(lease->clientid);
    free(lease);
}
