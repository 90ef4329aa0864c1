/* libvirt-nodedev.c: public entry points of host (node) devices: handles, lists, lookups, XML, events */
#define G_LOG_DOMAIN "virtkit.api"

#include <string.h>

#include "libvirt_internal.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_NODEDEV

/*
 * Common to every entry point below: it first resets the thread's last
 * error; an invalid @conn fails with VIR_ERR_INVALID_CONN, an invalid
 * handle with VIR_ERR_INVALID_NODE_DEVICE, a NULL required argument with
 * VIR_ERR_INVALID_ARG (all in domain VIR_FROM_NODEDEV); a connection whose
 * driver lacks the call (driver.h: virNodeDeviceDriver) fails with VIR_ERR_NO_SUPPORT
 * "this function is not supported by the connection driver: <function>";
 * the driver reports what it finds (VIR_ERR_NO_NODE_DEVICE for a handle
 * whose object is gone, INVALID_ARG for flags it does not take); failures
 * reach the error handlers once (virDispatchError). Returned handles are
 * new references, released with virNodeDeviceFree.
 */


/**
 * virNodeNumOfDevices:
 * @conn: a connection
 * @cap: only devices with this capability ("pci", "net", ...), or NULL for all
 * @flags: none defined: 0
 *
 * The number of node devices (with capability @cap).
 *
 * Returns the number, or -1 in case of error (the common ones).
 */
int
virNodeNumOfDevices(virConnectPtr conn, const char *cap, unsigned int flags)
{
    VIR_ENTRY_CONNECT(-1);

    VIR_ENTRY_CALL(nodeDeviceDriver, nodeNumOfDevices, conn, cap, flags);
}


/**
 * virNodeListDevices:
 * @conn: a connection
 * @cap: only devices with this capability, or NULL for all
 * @names: array of @maxnames pointers to fill (NULL only if @maxnames is 0)
 * @maxnames: size of @names, zero or greater
 * @flags: none defined: 0
 *
 * Stores the names of up to @maxnames node devices (with capability @cap),
 * each newly allocated (the caller frees each with free()). Racy: prefer
 * virConnectListAllNodeDevices.
 *
 * Returns the number stored, or -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @names with @maxnames > 0 or a negative
 * @maxnames.
 */
int
virNodeListDevices(virConnectPtr conn, const char *cap, char **const names, int maxnames,
                   unsigned int flags)
{
    VIR_ENTRY_CONNECT(-1);
    virCheckNonNullArrayArgGoto(names, maxnames, error);
    virCheckNonNegativeArgGoto(maxnames, error);
    VIR_ENTRY_CALL(nodeDeviceDriver, nodeListDevices, conn, cap, names, maxnames, flags);
}


/**
 * virConnectListAllNodeDevices:
 * @conn: a connection
 * @devices: if not NULL, where to store a NULL-terminated array of new handles; set to NULL first, whatever the outcome
 * @flags: bitwise-OR of virConnectListAllNodeDeviceFlags, 0 for all
 *
 * Lists the node devices matching @flags in one consistent pass (flags of
 * one group are alternatives; every group used must match).
 *
 * Returns the number of node devices (and of handles in *@devices), or -1 in
 * case of error: the common ones, VIR_ERR_INVALID_ARG for flags the driver
 * does not take. The caller releases each handle with virNodeDeviceFree and
 * the array with free().
 */
int
virConnectListAllNodeDevices(virConnectPtr conn, virNodeDevicePtr **devices,
                             unsigned int flags)
{
    virResetLastError();
    if (devices)
        *devices = NULL;
    virCheckConnectReturn(conn, -1);

    VIR_ENTRY_CALL(nodeDeviceDriver, connectListAllNodeDevices, conn, devices, flags);
}


/**
 * virNodeDeviceLookupByName:
 * @conn: a connection
 * @name: the device's name (pci_0000_00_1f_2, net_eth0_<mac>, computer, ...)
 *
 * Finds the node device with this name.
 *
 * Returns a new handle (release it with virNodeDeviceFree), or NULL in case
 * of error: the common ones, VIR_ERR_NO_NODE_DEVICE if there is none.
 */
VIR_CONNECT_CALL_LOOKUP(virNodeDeviceLookupByName, virNodeDevicePtr, nodeDeviceDriver,
                        nodeDeviceLookupByName, name)


/**
 * virNodeDeviceGetXMLDesc:
 * @dev: a handle
 * @flags: bitwise-OR of none defined: 0
 *
 * The XML of @dev: its name, parent, driver and capabilities.
 *
 * Returns a newly allocated string the caller frees with free(), or NULL in
 * case of error (the common ones).
 */
char *
virNodeDeviceGetXMLDesc(virNodeDevicePtr dev, unsigned int flags)
{
    VIR_ENTRY(virCheckNodeDeviceReturn(dev, NULL), dev->conn);

    VIR_ENTRY_CALL_PTR(nodeDeviceDriver, nodeDeviceGetXMLDesc, dev, flags);
}


/**
 * virNodeDeviceGetParent:
 * @dev: a handle
 *
 * The name of @dev's parent device, asked of the driver once and then kept
 * in the handle.
 *
 * Returns a string owned by @dev (do not free it), or NULL in case of error:
 * the common ones, the driver's when @dev has no parent (libvirt:
 * VIR_ERR_INTERNAL_ERROR "no parent for this device").
 */
const char *
virNodeDeviceGetParent(virNodeDevicePtr dev)
{
    virConnectPtr conn;
    char *parent;

    virResetLastError();
    virCheckNodeDeviceReturn(dev, NULL);
    conn = dev->conn;

    if ((parent = g_atomic_pointer_get(&dev->parentName)))
        return parent;
    if (conn->nodeDeviceDriver && conn->nodeDeviceDriver->nodeDeviceGetParent) {
        if (!(parent = conn->nodeDeviceDriver->nodeDeviceGetParent(dev)))
            goto error;
        /* two threads may ask at once: the first answer stays */
        if (!g_atomic_pointer_compare_and_exchange(&dev->parentName, NULL, parent))
            g_free(parent);
        return g_atomic_pointer_get(&dev->parentName);
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return NULL;
}


/**
 * virNodeDeviceNumOfCaps:
 * @dev: a handle
 *
 * The number of capabilities of @dev.
 *
 * Returns the number, or -1 in case of error (the common ones).
 */
int
virNodeDeviceNumOfCaps(virNodeDevicePtr dev)
{
    VIR_ENTRY(virCheckNodeDeviceReturn(dev, -1), dev->conn);

    VIR_ENTRY_CALL(nodeDeviceDriver, nodeDeviceNumOfCaps, dev);
}


/**
 * virNodeDeviceListCaps:
 * @dev: a handle
 * @names: array of @maxnames pointers to fill (NULL only if @maxnames is 0)
 * @maxnames: size of @names, zero or greater
 *
 * Stores up to @maxnames capability names of @dev ("pci", "net",
 * "scsi_host", ...), each newly allocated (the caller frees each with
 * free()).
 *
 * Returns the number stored, or -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @names with @maxnames > 0 or a negative
 * @maxnames.
 */
int
virNodeDeviceListCaps(virNodeDevicePtr dev, char **const names, int maxnames)
{
    VIR_ENTRY(virCheckNodeDeviceReturn(dev, -1), dev->conn);
    virCheckNonNullArrayArgGoto(names, maxnames, error);
    virCheckNonNegativeArgGoto(maxnames, error);

    VIR_ENTRY_CALL(nodeDeviceDriver, nodeDeviceListCaps, dev, names, maxnames);
}


/**
 * virNodeDeviceIsActive:
 * @dev: a handle
 *
 * Whether @dev is active (present on the host, or started).
 *
 * Returns 1 if it is, 0 if not, -1 in case of error (the common ones).
 */
int
virNodeDeviceIsActive(virNodeDevicePtr dev)
{
    VIR_ENTRY(virCheckNodeDeviceReturn(dev, -1), dev->conn);

    VIR_ENTRY_CALL(nodeDeviceDriver, nodeDeviceIsActive, dev);
}


/**
 * virNodeDeviceIsPersistent:
 * @dev: a handle
 *
 * Whether @dev has a persistent definition (libvirt's udev driver calls
 * the "computer" device persistent, the devices it found not).
 *
 * Returns 1 if it has, 0 if not, -1 in case of error (the common ones).
 */
int
virNodeDeviceIsPersistent(virNodeDevicePtr dev)
{
    VIR_ENTRY(virCheckNodeDeviceReturn(dev, -1), dev->conn);

    VIR_ENTRY_CALL(nodeDeviceDriver, nodeDeviceIsPersistent, dev);
}


/**
 * virNodeDeviceGetAutostart:
 * @dev: a handle
 * @autostart: where to store 1 (started at boot) or 0
 *
 * Whether @dev is started automatically.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @autostart.
 */
int
virNodeDeviceGetAutostart(virNodeDevicePtr dev, int *autostart)
{
    VIR_ENTRY(virCheckNodeDeviceReturn(dev, -1), dev->conn);
    virCheckNonNullArgGoto(autostart, error);

    VIR_ENTRY_CALL_ZERO(nodeDeviceDriver, nodeDeviceGetAutostart, dev, autostart);
}


/**
 * virNodeDeviceRef:
 * @dev: a handle
 *
 * Takes one more reference to the handle, for a second owner; each is
 * released with virNodeDeviceFree. Thread-safe (atomic).
 *
 * Returns 0 in case of success, -1 if @dev is invalid.
 */
VIR_HANDLE_REF(virNodeDeviceRef, virNodeDevicePtr, virCheckNodeDeviceReturn)


/**
 * virNodeDeviceFree:
 * @dev: a handle
 *
 * Releases one reference to the handle; the last one frees it and drops its
 * reference on its connection. The object itself is not affected. Thread-
 * safe (atomic).
 *
 * Returns 0 in case of success, -1 if @dev is invalid
 * (VIR_ERR_INVALID_NODE_DEVICE).
 */
VIR_HANDLE_FREE(virNodeDeviceFree, virNodeDevicePtr, virCheckNodeDeviceReturn,
                virObjectUnrefNodeDevice)


/**
 * virNodeDeviceGetName:
 * @dev: a handle
 *
 * The name of @dev, from the handle (no driver call).
 *
 * Returns a string owned by @dev (do not free it; valid while the handle
 * lives), or NULL if @dev is invalid.
 */
VIR_HANDLE_GET(virNodeDeviceGetName, const char *, virNodeDevicePtr,
               virCheckNodeDeviceReturn, name)


/**
 * virConnectNodeDeviceEventRegisterAny:
 * @conn: a connection
 * @dev: only events of this object, or NULL for all
 * @eventID: the event to watch (VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE, _UPDATE)
 * @cb: the callback, cast with VIR_NODE_DEVICE_EVENT_CALLBACK from the type the event ID names
 * @opaque: passed to @cb
 * @freecb: called with @opaque when the registration ends, or NULL
 *
 * Registers @cb for @eventID events. Callbacks run from the application's
 * event loop (virEventRegisterImpl or virEventRegisterDefaultImpl must have
 * been called), never from inside the API call that caused the event; the
 * registration holds a reference on @conn until deregistered.
 *
 * Returns a callback ID for virConnectNodeDeviceEventDeregisterAny (zero or
 * greater), or -1 in case of error: the common ones, VIR_ERR_INVALID_ARG for
 * a NULL @cb, an @eventID out of range or a handle of another connection,
 * VIR_ERR_INTERNAL_ERROR without an event loop.
 */
VIR_CONNECT_EVENT_REGISTER(virConnectNodeDeviceEventRegisterAny, virNodeDevicePtr, dev,
                           virConnectNodeDeviceEventGenericCallback,
                           virCheckNodeDeviceReturn, "node device", name,
                           VIR_NODE_DEVICE_EVENT_ID_UPDATE, nodeDeviceDriver,
                           connectNodeDeviceEventRegisterAny)


/**
 * virConnectNodeDeviceEventDeregisterAny:
 * @conn: a connection
 * @callbackID: an ID returned by virConnectNodeDeviceEventRegisterAny on @conn
 *
 * Ends a registration: @cb is not called again once this returns (unless
 * already running), and its freecb runs.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a negative or unknown @callbackID.
 */
VIR_CONNECT_EVENT_DEREGISTER(virConnectNodeDeviceEventDeregisterAny, nodeDeviceDriver,
                             connectNodeDeviceEventDeregisterAny)


/* ---- create / destroy (network engineer) ---------------------------------- */

/**
 * virNodeDeviceCreateXML:
 * @conn: a connection
 * @xmlDesc: the device to create (<device>: an NPIV vHBA, scsi_host with
 *           fc_host, under a vport-capable parent; or a mediated device)
 * @flags: bitwise-OR of virNodeDeviceCreateXMLFlags
 *
 * Creates a transient device on the host, as libvirt: a vHBA through its
 * parent HBA's vport_create, an mdev through mdevctl. A driver that cannot
 * (no vport-capable HBA, no mdevctl) changes nothing and says why.
 *
 * Returns a new handle (release it with virNodeDeviceFree), or NULL in
 * case of error: the common ones, VIR_ERR_OPERATION_DENIED on a read-only
 * connection, VIR_ERR_INVALID_ARG for a NULL @xmlDesc or unknown @flags,
 * XML errors, VIR_ERR_INTERNAL_ERROR for a parent that cannot host it,
 * VIR_ERR_CONFIG_UNSUPPORTED for another kind of device.
 */
virNodeDevicePtr
virNodeDeviceCreateXML(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(xmlDesc, error);

    VIR_ENTRY_CALL_PTR(nodeDeviceDriver, nodeDeviceCreateXML, conn, xmlDesc, flags);
}


/**
 * virNodeDeviceDestroy:
 * @dev: a handle
 *
 * Removes a device created with virNodeDeviceCreateXML (a vHBA, an mdev)
 * from the host; the handle stays to be freed.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection,
 * VIR_ERR_CONFIG_UNSUPPORTED for a device that cannot be destroyed.
 */
int
virNodeDeviceDestroy(virNodeDevicePtr dev)
{
    VIR_ENTRY(virCheckNodeDeviceReturn(dev, -1), dev->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL(nodeDeviceDriver, nodeDeviceDestroy, dev);
}


/**
 * virNodeDeviceDefineXML:
 * @conn: a connection
 * @xmlDesc: the device to define (libvirt defines mediated devices only)
 * @flags: bitwise-OR of virNodeDeviceDefineXMLFlags
 *
 * Defines a persistent, inactive device (started with virNodeDeviceCreate).
 *
 * Returns a new handle (release it with virNodeDeviceFree), or NULL in
 * case of error: the common ones, VIR_ERR_OPERATION_DENIED on a read-only
 * connection, VIR_ERR_INVALID_ARG for a NULL @xmlDesc or unknown @flags,
 * XML errors, VIR_ERR_CONFIG_UNSUPPORTED for another kind of device.
 */
virNodeDevicePtr
virNodeDeviceDefineXML(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(xmlDesc, error);

    VIR_ENTRY_CALL_PTR(nodeDeviceDriver, nodeDeviceDefineXML, conn, xmlDesc, flags);
}


/**
 * virNodeDeviceUndefine:
 * @dev: a handle
 * @flags: none defined: 0
 *
 * Removes the persistent definition of a defined device.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection,
 * VIR_ERR_OPERATION_INVALID for a device that is not defined,
 * VIR_ERR_CONFIG_UNSUPPORTED for a device that cannot be undefined.
 */
int
virNodeDeviceUndefine(virNodeDevicePtr dev, unsigned int flags)
{
    VIR_ENTRY(virCheckNodeDeviceReturn(dev, -1), dev->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL(nodeDeviceDriver, nodeDeviceUndefine, dev, flags);
}


/**
 * virNodeDeviceCreate:
 * @dev: a handle
 * @flags: none defined: 0
 *
 * Starts a defined, inactive device.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection,
 * VIR_ERR_OPERATION_INVALID for a device already active,
 * VIR_ERR_CONFIG_UNSUPPORTED for a device that cannot be started.
 */
int
virNodeDeviceCreate(virNodeDevicePtr dev, unsigned int flags)
{
    VIR_ENTRY(virCheckNodeDeviceReturn(dev, -1), dev->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL(nodeDeviceDriver, nodeDeviceCreate, dev, flags);
}


/**
 * virNodeDeviceSetAutostart:
 * @dev: a handle
 * @autostart: 1 to start the device at boot, 0 not to
 *
 * Marks a defined device to be started automatically (libvirt: defined
 * mediated devices).
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection,
 * VIR_ERR_OPERATION_UNSUPPORTED for a device that cannot autostart.
 */
int
virNodeDeviceSetAutostart(virNodeDevicePtr dev, int autostart)
{
    VIR_ENTRY(virCheckNodeDeviceReturn(dev, -1), dev->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL(nodeDeviceDriver, nodeDeviceSetAutostart, dev, autostart);
}


/*
 * Host PCI device assignment. libvirt routes these four to the hypervisor
 * driver (conn->driver), not the node device driver: the test driver has
 * none of them (VIR_ERR_NO_SUPPORT, VIR_FROM_NODEDEV), the QEMU driver
 * answers for a host without VFIO as libvirt 9.0's does.
 */

/**
 * virNodeDeviceDettach:
 * @dev: a handle
 *
 * Detaches @dev (a PCI device) from its host driver so that a guest can
 * be given it; the old spelling of virNodeDeviceDetachFlags(dev, NULL, 0).
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, the driver's.
 */
int
virNodeDeviceDettach(virNodeDevicePtr dev)
{
    VIR_ENTRY(virCheckNodeDeviceReturn(dev, -1), dev->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_ZERO(driver, nodeDeviceDettach, dev);
}


/**
 * virNodeDeviceDetachFlags:
 * @dev: a handle
 * @driverName: the stub driver to bind @dev to ("vfio"), NULL for the
 *              hypervisor's default
 * @flags: bitwise-OR of none defined: 0
 *
 * Detaches @dev from its host driver and binds it to @driverName.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, the driver's
 * (QEMU: VIR_ERR_ARGUMENT_UNSUPPORTED on a host without VFIO).
 */
int
virNodeDeviceDetachFlags(virNodeDevicePtr dev, const char *driverName, unsigned int flags)
{
    VIR_ENTRY(virCheckNodeDeviceReturn(dev, -1), dev->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_ZERO(driver, nodeDeviceDetachFlags, dev, driverName, flags);
}


/**
 * virNodeDeviceReAttach:
 * @dev: a handle
 *
 * Gives @dev, detached earlier, back to its host driver.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, the driver's.
 */
int
virNodeDeviceReAttach(virNodeDevicePtr dev)
{
    VIR_ENTRY(virCheckNodeDeviceReturn(dev, -1), dev->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_ZERO(driver, nodeDeviceReAttach, dev);
}


/**
 * virNodeDeviceReset:
 * @dev: a handle
 *
 * Resets the PCI device @dev (function level or bus reset).
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, the driver's.
 */
int
virNodeDeviceReset(virNodeDevicePtr dev)
{
    VIR_ENTRY(virCheckNodeDeviceReturn(dev, -1), dev->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_ZERO(driver, nodeDeviceReset, dev);
}
