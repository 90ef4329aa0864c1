/* libvirt-interface.c: public entry points of host network interfaces: handles, lists, lookups, XML */
#define G_LOG_DOMAIN "virtkit.api"

#include <string.h>

#include "libvirt_internal.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_INTERFACE

/*
 * Common to every entry point below: it first resets the thread's last
 * error; an invalid @conn fails with VIR_ERR_INVALID_CONN, an invalid
 * handle with VIR_ERR_INVALID_INTERFACE, a NULL required argument with
 * VIR_ERR_INVALID_ARG (all in domain VIR_FROM_INTERFACE); a connection whose
 * driver lacks the call (driver.h: virInterfaceDriver) fails with VIR_ERR_NO_SUPPORT
 * "this function is not supported by the connection driver: <function>";
 * the driver reports what it finds (VIR_ERR_NO_INTERFACE for a handle
 * whose object is gone, INVALID_ARG for flags it does not take); failures
 * reach the error handlers once (virDispatchError). Returned handles are
 * new references, released with virInterfaceFree.
 */


/**
 * virConnectNumOfInterfaces:
 * @conn: a connection
 *
 * The number of active host interfaces.
 *
 * Returns the number, or -1 in case of error (the common ones).
 */
VIR_CONNECT_CALL_NUM(virConnectNumOfInterfaces, interfaceDriver, connectNumOfInterfaces)


/**
 * virConnectNumOfDefinedInterfaces:
 * @conn: a connection
 *
 * The number of inactive host interfaces.
 *
 * Returns the number, or -1 in case of error (the common ones).
 */
VIR_CONNECT_CALL_NUM(virConnectNumOfDefinedInterfaces, interfaceDriver,
                     connectNumOfDefinedInterfaces)


/**
 * virConnectListInterfaces:
 * @conn: a connection
 * @names: array of @maxnames pointers to fill (NULL only if @maxnames is 0)
 * @maxnames: size of @names, zero or greater
 *
 * Stores the names of up to @maxnames active host interfaces, each newly
 * allocated (the caller frees each with free()). Racy: prefer
 * virConnectListAllInterfaces.
 *
 * Returns the number stored, or -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @names with @maxnames > 0 or a negative
 * @maxnames.
 */
VIR_CONNECT_CALL_LIST_NAMES(virConnectListInterfaces, interfaceDriver,
                            connectListInterfaces)


/**
 * virConnectListDefinedInterfaces:
 * @conn: a connection
 * @names: array of @maxnames pointers to fill (NULL only if @maxnames is 0)
 * @maxnames: size of @names, zero or greater
 *
 * Stores the names of up to @maxnames inactive host interfaces, each newly
 * allocated (the caller frees each with free()). Racy: prefer
 * virConnectListAllInterfaces.
 *
 * Returns the number stored, or -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @names with @maxnames > 0 or a negative
 * @maxnames.
 */
int
virConnectListDefinedInterfaces(virConnectPtr conn, char **const names, int maxnames)
{
    VIR_ENTRY_CONNECT(-1);
    virCheckNonNullArrayArgGoto(names, maxnames, error);
    virCheckNonNegativeArgGoto(maxnames, error);
    VIR_ENTRY_CALL(interfaceDriver, connectListDefinedInterfaces, conn, names, maxnames);
}


/**
 * virConnectListAllInterfaces:
 * @conn: a connection
 * @ifaces: if not NULL, where to store a NULL-terminated array of new handles; set to NULL first, whatever the outcome
 * @flags: bitwise-OR of virConnectListAllInterfacesFlags, 0 for all
 *
 * Lists the host interfaces matching @flags in one consistent pass (flags of
 * one group are alternatives; every group used must match).
 *
 * Returns the number of host interfaces (and of handles in *@ifaces), or -1
 * in case of error: the common ones, VIR_ERR_INVALID_ARG for flags the
 * driver does not take. The caller releases each handle with
 * virInterfaceFree and the array with free().
 */
int
virConnectListAllInterfaces(virConnectPtr conn, virInterfacePtr **ifaces,
                            unsigned int flags)
{
    virResetLastError();
    if (ifaces)
        *ifaces = NULL;
    virCheckConnectReturn(conn, -1);

    VIR_ENTRY_CALL(interfaceDriver, connectListAllInterfaces, conn, ifaces, flags);
}


/**
 * virInterfaceLookupByName:
 * @conn: a connection
 * @name: the interface's name (eth0)
 *
 * Finds the host interface with this name.
 *
 * Returns a new handle (release it with virInterfaceFree), or NULL in case
 * of error: the common ones, VIR_ERR_NO_INTERFACE if there is none.
 */
VIR_CONNECT_CALL_LOOKUP(virInterfaceLookupByName, virInterfacePtr, interfaceDriver,
                        interfaceLookupByName, name)


/**
 * virInterfaceLookupByMACString:
 * @conn: a connection
 * @macstr: a MAC address (aa:bb:cc:dd:ee:ff)
 *
 * Finds the host interface with this MAC address.
 *
 * Returns a new handle (release it with virInterfaceFree), or NULL in case
 * of error: the common ones, VIR_ERR_NO_INTERFACE if there is none.
 */
VIR_CONNECT_CALL_LOOKUP(virInterfaceLookupByMACString, virInterfacePtr, interfaceDriver,
                        interfaceLookupByMACString, macstr)


/**
 * virInterfaceGetXMLDesc:
 * @iface: a handle
 * @flags: bitwise-OR of virInterfaceXMLFlags (VIR_INTERFACE_XML_INACTIVE)
 *
 * The XML of @iface.
 *
 * Returns a newly allocated string the caller frees with free(), or NULL in
 * case of error (the common ones).
 */
char *
virInterfaceGetXMLDesc(virInterfacePtr iface, unsigned int flags)
{
    VIR_ENTRY(virCheckInterfaceReturn(iface, NULL), iface->conn);

    VIR_ENTRY_CALL_PTR(interfaceDriver, interfaceGetXMLDesc, iface, flags);
}


/**
 * virInterfaceIsActive:
 * @iface: a handle
 *
 * Whether @iface is active (up).
 *
 * Returns 1 if it is, 0 if not, -1 in case of error (the common ones).
 */
int
virInterfaceIsActive(virInterfacePtr iface)
{
    VIR_ENTRY(virCheckInterfaceReturn(iface, -1), iface->conn);

    VIR_ENTRY_CALL(interfaceDriver, interfaceIsActive, iface);
}


/**
 * virInterfaceDefineXML:
 * @conn: a connection
 * @xmlDesc: the interface's XML
 * @flags: bitwise-OR of virInterfaceDefineFlags (VIR_INTERFACE_DEFINE_VALIDATE)
 *
 * Defines (or redefines, by name) an inactive host interface. Only
 * libvirt's test driver keeps definitions: virtkitd's host interfaces,
 * read from the kernel as libvirt's udev backend reads them, answer
 * VIR_ERR_NO_SUPPORT.
 *
 * Returns a new handle (release it with virInterfaceFree), or NULL in case
 * of error: the common ones, VIR_ERR_OPERATION_DENIED on a read-only
 * connection, the XML's errors (VIR_ERR_XML_DETAIL, VIR_ERR_XML_ERROR).
 */
virInterfacePtr
virInterfaceDefineXML(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckNonNullArgGoto(xmlDesc, error);
    virCheckReadOnlyGoto(conn, error);
    VIR_ENTRY_CALL_PTR(interfaceDriver, interfaceDefineXML, conn, xmlDesc, flags);
}


/* The calls on one interface handle that change it. */
#define IFACE_CHANGE_CALL(iface, member, ...)                         \
    do {                                                              \
        virConnectPtr conn;                                           \
                                                                      \
        virResetLastError();                                          \
        virCheckInterfaceReturn(iface, -1);                           \
        conn = (iface)->conn;                                         \
        virCheckReadOnlyGoto(conn, error);                            \
        if (conn->interfaceDriver && conn->interfaceDriver->member) { \
            if (conn->interfaceDriver->member(__VA_ARGS__) < 0)       \
                goto error;                                           \
            return 0;                                                 \
        }                                                             \
        virReportUnsupportedError();                                  \
error:                                                                \
        virDispatchError(conn);                                       \
        return -1;                                                    \
    } while (0)

/**
 * virInterfaceUndefine:
 * @iface: a handle
 *
 * Removes the definition of @iface (whether it is active or not, as
 * libvirt's test driver does).
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_NO_INTERFACE.
 */
int
virInterfaceUndefine(virInterfacePtr iface)
{
    IFACE_CHANGE_CALL(iface, interfaceUndefine, iface);
}

/**
 * virInterfaceCreate:
 * @iface: a handle
 * @flags: 0
 *
 * Activates @iface.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_NO_INTERFACE,
 * VIR_ERR_OPERATION_INVALID when it is already active.
 */
int
virInterfaceCreate(virInterfacePtr iface, unsigned int flags)
{
    IFACE_CHANGE_CALL(iface, interfaceCreate, iface, flags);
}

/**
 * virInterfaceDestroy:
 * @iface: a handle
 * @flags: 0
 *
 * Deactivates @iface.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_NO_INTERFACE,
 * VIR_ERR_OPERATION_INVALID when it is not active.
 */
int
virInterfaceDestroy(virInterfacePtr iface, unsigned int flags)
{
    IFACE_CHANGE_CALL(iface, interfaceDestroy, iface, flags);
}

/* The transaction calls on a connection. */
#define IFACE_CONN_CALL(conn, member, flags)                              \
    do {                                                                  \
        virResetLastError();                                              \
        virCheckConnectReturn(conn, -1);                                  \
        virCheckReadOnlyGoto(conn, error);                                \
        if ((conn)->interfaceDriver && (conn)->interfaceDriver->member) { \
            if ((conn)->interfaceDriver->member(conn, flags) < 0)         \
                goto error;                                               \
            return 0;                                                     \
        }                                                                 \
        virReportUnsupportedError();                                      \
error:                                                                    \
        virDispatchError(conn);                                           \
        return -1;                                                        \
    } while (0)

/**
 * virInterfaceChangeBegin:
 * @conn: a connection
 * @flags: 0
 *
 * Starts a transaction: the host interfaces as they are now are kept, for
 * virInterfaceChangeRollback to put back.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection,
 * VIR_ERR_OPERATION_INVALID when a transaction is already running.
 */
int
virInterfaceChangeBegin(virConnectPtr conn, unsigned int flags)
{
    IFACE_CONN_CALL(conn, interfaceChangeBegin, flags);
}

/**
 * virInterfaceChangeCommit:
 * @conn: a connection
 * @flags: 0
 *
 * Ends the running transaction, keeping the changes made since it began.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection,
 * VIR_ERR_OPERATION_INVALID when no transaction is running.
 */
int
virInterfaceChangeCommit(virConnectPtr conn, unsigned int flags)
{
    IFACE_CONN_CALL(conn, interfaceChangeCommit, flags);
}

/**
 * virInterfaceChangeRollback:
 * @conn: a connection
 * @flags: 0
 *
 * Ends the running transaction, putting back the host interfaces as they
 * were when it began.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection,
 * VIR_ERR_OPERATION_INVALID when no transaction is running.
 */
int
virInterfaceChangeRollback(virConnectPtr conn, unsigned int flags)
{
    IFACE_CONN_CALL(conn, interfaceChangeRollback, flags);
}

/**
 * virInterfaceRef:
 * @iface: a handle
 *
 * Takes one more reference to the handle, for a second owner; each is
 * released with virInterfaceFree. Thread-safe (atomic).
 *
 * Returns 0 in case of success, -1 if @iface is invalid.
 */
VIR_HANDLE_REF(virInterfaceRef, virInterfacePtr, virCheckInterfaceReturn)


/**
 * virInterfaceFree:
 * @iface: a handle
 *
 * Releases one reference to the handle; the last one frees it and drops its
 * reference on its connection. The object itself is not affected. Thread-
 * safe (atomic).
 *
 * Returns 0 in case of success, -1 if @iface is invalid
 * (VIR_ERR_INVALID_INTERFACE).
 */
VIR_HANDLE_FREE(virInterfaceFree, virInterfacePtr, virCheckInterfaceReturn,
                virObjectUnrefInterface)


/**
 * virInterfaceGetName:
 * @iface: a handle
 *
 * The name of @iface, from the handle (no driver call).
 *
 * Returns a string owned by @iface (do not free it; valid while the handle
 * lives), or NULL if @iface is invalid.
 */
VIR_HANDLE_GET(virInterfaceGetName, const char *, virInterfacePtr,
               virCheckInterfaceReturn, name)


/**
 * virInterfaceGetMACString:
 * @iface: a handle
 *
 * The MAC address ("" for none) of @iface, from the handle (no driver call).
 *
 * Returns a string owned by @iface (do not free it; valid while the handle
 * lives), or NULL if @iface is invalid.
 */
VIR_HANDLE_GET(virInterfaceGetMACString, const char *, virInterfacePtr,
               virCheckInterfaceReturn, mac)


/**
 * virInterfaceGetConnect:
 * @iface: a handle
 *
 * The connection @iface belongs to. No reference is taken: it stays valid
 * while @iface lives (the handle holds one); virConnectRef it to keep it
 * longer.
 *
 * Returns the connection, or NULL if @iface is invalid.
 */
VIR_HANDLE_GET(virInterfaceGetConnect, virConnectPtr, virInterfacePtr,
               virCheckInterfaceReturn, conn)
