/* libvirt-storage.c: public entry points of storage pools: handles, lists, lookups, lifecycle, XML, events (volumes: libvirt-storage-vol.c) */
#define G_LOG_DOMAIN "virtkit.api"

#include <string.h>

#include "libvirt_internal.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_STORAGE

/*
 * Common to every entry point below: it first resets the thread's last
 * error; an invalid @conn fails with VIR_ERR_INVALID_CONN, an invalid
 * handle with VIR_ERR_INVALID_STORAGE_POOL, a NULL required argument with
 * VIR_ERR_INVALID_ARG (all in domain VIR_FROM_STORAGE); a connection whose
 * driver lacks the call (driver.h: virStorageDriver) fails with VIR_ERR_NO_SUPPORT
 * "this function is not supported by the connection driver: <function>";
 * the driver reports what it finds (VIR_ERR_NO_STORAGE_POOL for a handle
 * whose object is gone, INVALID_ARG for flags it does not take); failures
 * reach the error handlers once (virDispatchError). Returned handles are
 * new references, released with virStoragePoolFree.
 */


/**
 * virConnectNumOfStoragePools:
 * @conn: a connection
 *
 * The number of active storage pools.
 *
 * Returns the number, or -1 in case of error (the common ones).
 */
VIR_CONNECT_CALL_NUM(virConnectNumOfStoragePools, storageDriver, connectNumOfStoragePools)


/**
 * virConnectNumOfDefinedStoragePools:
 * @conn: a connection
 *
 * The number of inactive persistent storage pools.
 *
 * Returns the number, or -1 in case of error (the common ones).
 */
VIR_CONNECT_CALL_NUM(virConnectNumOfDefinedStoragePools, storageDriver,
                     connectNumOfDefinedStoragePools)


/**
 * virConnectListStoragePools:
 * @conn: a connection
 * @names: array of @maxnames pointers to fill (NULL only if @maxnames is 0)
 * @maxnames: size of @names, zero or greater
 *
 * Stores the names of up to @maxnames active storage pools, each newly
 * allocated (the caller frees each with free()). Racy: prefer
 * virConnectListAllStoragePools.
 *
 * Returns the number stored, or -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @names with @maxnames > 0 or a negative
 * @maxnames.
 */
VIR_CONNECT_CALL_LIST_NAMES(virConnectListStoragePools, storageDriver,
                            connectListStoragePools)


/**
 * virConnectListDefinedStoragePools:
 * @conn: a connection
 * @names: array of @maxnames pointers to fill (NULL only if @maxnames is 0)
 * @maxnames: size of @names, zero or greater
 *
 * Stores the names of up to @maxnames inactive persistent storage pools,
 * each newly allocated (the caller frees each with free()). Racy: prefer
 * virConnectListAllStoragePools.
 *
 * Returns the number stored, or -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @names with @maxnames > 0 or a negative
 * @maxnames.
 */
int
virConnectListDefinedStoragePools(virConnectPtr conn, char **const names, int maxnames)
{
    VIR_ENTRY_CONNECT(-1);
    virCheckNonNullArrayArgGoto(names, maxnames, error);
    virCheckNonNegativeArgGoto(maxnames, error);
    VIR_ENTRY_CALL(storageDriver, connectListDefinedStoragePools, conn, names, maxnames);
}


/**
 * virConnectListAllStoragePools:
 * @conn: a connection
 * @pools: if not NULL, where to store a NULL-terminated array of new handles; set to NULL first, whatever the outcome
 * @flags: bitwise-OR of virConnectListAllStoragePoolsFlags, 0 for all
 *
 * Lists the storage pools matching @flags in one consistent pass (flags of
 * one group are alternatives; every group used must match).
 *
 * Returns the number of storage pools (and of handles in *@pools), or -1 in
 * case of error: the common ones, VIR_ERR_INVALID_ARG for flags the driver
 * does not take. The caller releases each handle with virStoragePoolFree and
 * the array with free().
 */
int
virConnectListAllStoragePools(virConnectPtr conn, virStoragePoolPtr **pools,
                              unsigned int flags)
{
    virResetLastError();
    if (pools)
        *pools = NULL;
    virCheckConnectReturn(conn, -1);

    VIR_ENTRY_CALL(storageDriver, connectListAllStoragePools, conn, pools, flags);
}


/**
 * virStoragePoolLookupByName:
 * @conn: a connection
 * @name: the pool's name
 *
 * Finds the storage pool, active or not, with this name.
 *
 * Returns a new handle (release it with virStoragePoolFree), or NULL in case
 * of error: the common ones, VIR_ERR_NO_STORAGE_POOL if there is none.
 */
VIR_CONNECT_CALL_LOOKUP(virStoragePoolLookupByName, virStoragePoolPtr, storageDriver,
                        storagePoolLookupByName, name)


/**
 * virStoragePoolLookupByUUID:
 * @conn: a connection
 * @uuid: the UUID, VIR_UUID_BUFLEN (16) raw bytes
 *
 * Finds the storage pool, active or not, with this UUID.
 *
 * Returns a new handle (release it with virStoragePoolFree), or NULL in case
 * of error: the common ones, VIR_ERR_NO_STORAGE_POOL if there is none.
 */
VIR_CONNECT_CALL_LOOKUP_UUID(virStoragePoolLookupByUUID, virStoragePoolPtr, storageDriver,
                             storagePoolLookupByUUID)


/**
 * virStoragePoolLookupByUUIDString:
 * @conn: a connection
 * @uuidstr: the UUID as 32 hex digits; dashes between digit pairs and surrounding white space are ignored
 *
 * As virStoragePoolLookupByUUID, from the printable form.
 *
 * Returns a new handle (release it with virStoragePoolFree), or NULL in case
 * of error: the common ones, VIR_ERR_INVALID_ARG ("uuidstr in <function> must be a valid UUID") if @uuidstr
 * does not parse, VIR_ERR_NO_STORAGE_POOL if there is none.
 */
VIR_CONNECT_CALL_LOOKUP_UUID_STRING(virStoragePoolLookupByUUIDString, virStoragePoolPtr,
                                    storageDriver, storagePoolLookupByUUID,
                                    virStoragePoolLookupByUUID)


/**
 * virStoragePoolGetXMLDesc:
 * @pool: a handle
 * @flags: bitwise-OR of virStorageXMLFlags (VIR_STORAGE_XML_INACTIVE: the persistent definition)
 *
 * The XML of @pool.
 *
 * Returns a newly allocated string the caller frees with free(), or NULL in
 * case of error (the common ones).
 */
char *
virStoragePoolGetXMLDesc(virStoragePoolPtr pool, unsigned int flags)
{
    VIR_ENTRY(virCheckStoragePoolReturn(pool, NULL), pool->conn);

    VIR_ENTRY_CALL_PTR(storageDriver, storagePoolGetXMLDesc, pool, flags);
}


/**
 * virStoragePoolRef:
 * @pool: a handle
 *
 * Takes one more reference to the handle, for a second owner; each is
 * released with virStoragePoolFree. Thread-safe (atomic).
 *
 * Returns 0 in case of success, -1 if @pool is invalid.
 */
VIR_HANDLE_REF(virStoragePoolRef, virStoragePoolPtr, virCheckStoragePoolReturn)


/**
 * virStoragePoolFree:
 * @pool: a handle
 *
 * Releases one reference to the handle; the last one frees it and drops its
 * reference on its connection. The object itself is not affected. Thread-
 * safe (atomic).
 *
 * Returns 0 in case of success, -1 if @pool is invalid
 * (VIR_ERR_INVALID_STORAGE_POOL).
 */
VIR_HANDLE_FREE(virStoragePoolFree, virStoragePoolPtr, virCheckStoragePoolReturn,
                virObjectUnrefStoragePool)


/**
 * virStoragePoolGetName:
 * @pool: a handle
 *
 * The name of @pool, from the handle (no driver call).
 *
 * Returns a string owned by @pool (do not free it; valid while the handle
 * lives), or NULL if @pool is invalid.
 */
VIR_HANDLE_GET(virStoragePoolGetName, const char *, virStoragePoolPtr,
               virCheckStoragePoolReturn, name)


/**
 * virStoragePoolGetUUID:
 * @pool: a handle
 * @uuid: buffer of VIR_UUID_BUFLEN (16) bytes for the raw UUID
 *
 * The UUID of @pool, from the handle (no driver call).
 *
 * Returns 0 in case of success and -1 in case of error:
 * VIR_ERR_INVALID_STORAGE_POOL, VIR_ERR_INVALID_ARG if @uuid is NULL.
 */
VIR_HANDLE_GET_UUID(virStoragePoolGetUUID, virStoragePoolPtr, virCheckStoragePoolReturn,
                    conn)


/**
 * virStoragePoolGetUUIDString:
 * @pool: a handle
 * @buf: buffer of VIR_UUID_STRING_BUFLEN (37) bytes
 *
 * The UUID of @pool in its printable form (lowercase hex, dashes, NUL), from
 * the handle (no driver call).
 *
 * Returns 0 in case of success and -1 in case of error:
 * VIR_ERR_INVALID_STORAGE_POOL, VIR_ERR_INVALID_ARG if @buf is NULL.
 */
VIR_HANDLE_GET_UUID_STRING(virStoragePoolGetUUIDString, virStoragePoolPtr,
                           virCheckStoragePoolReturn, conn)


/**
 * virStoragePoolGetConnect:
 * @pool: a handle
 *
 * The connection @pool belongs to. No reference is taken: it stays valid
 * while @pool lives (the handle holds one); virConnectRef it to keep it
 * longer.
 *
 * Returns the connection, or NULL if @pool is invalid.
 */
VIR_HANDLE_GET(virStoragePoolGetConnect, virConnectPtr, virStoragePoolPtr,
               virCheckStoragePoolReturn, conn)


/**
 * virConnectStoragePoolEventRegisterAny:
 * @conn: a connection
 * @pool: only events of this object, or NULL for all
 * @eventID: the event to watch (VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE, _REFRESH)
 * @cb: the callback, cast with VIR_STORAGE_POOL_EVENT_CALLBACK from the type the event ID names
 * @opaque: passed to @cb
 * @freecb: called with @opaque when the registration ends, or NULL
 *
 * Registers @cb for @eventID events. Callbacks run from the application's
 * event loop (virEventRegisterImpl or virEventRegisterDefaultImpl must have
 * been called), never from inside the API call that caused the event; the
 * registration holds a reference on @conn until deregistered.
 *
 * Returns a callback ID for virConnectStoragePoolEventDeregisterAny (zero or
 * greater), or -1 in case of error: the common ones, VIR_ERR_INVALID_ARG for
 * a NULL @cb, an @eventID out of range or a handle of another connection,
 * VIR_ERR_INTERNAL_ERROR without an event loop.
 */
VIR_CONNECT_EVENT_REGISTER(virConnectStoragePoolEventRegisterAny, virStoragePoolPtr, pool,
                           virConnectStoragePoolEventGenericCallback,
                           virCheckStoragePoolReturn, "storage pool", name,
                           VIR_STORAGE_POOL_EVENT_ID_REFRESH, storageDriver,
                           connectStoragePoolEventRegisterAny)


/**
 * virConnectStoragePoolEventDeregisterAny:
 * @conn: a connection
 * @callbackID: an ID returned by virConnectStoragePoolEventRegisterAny on @conn
 *
 * Ends a registration: @cb is not called again once this returns (unless
 * already running), and its freecb runs.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a negative or unknown @callbackID.
 */
VIR_CONNECT_EVENT_DEREGISTER(virConnectStoragePoolEventDeregisterAny, storageDriver,
                             connectStoragePoolEventDeregisterAny)


/**
 * virConnectFindStoragePoolSources:
 * @conn: a connection
 * @type: the pool type ("logical", "netfs", ...)
 * @srcSpec: optional <source> XML narrowing the search, or NULL
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Asks the host which sources a pool of @type could use.
 *
 * Returns a <sources> document the caller frees, or NULL in case of error: the common ones, VIR_ERR_NO_SUPPORT for a type that cannot discover.
 */
char *
virConnectFindStoragePoolSources(virConnectPtr conn, const char *type,
                                 const char *srcSpec, unsigned int flags)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(type, error);

    VIR_ENTRY_CALL_PTR(storageDriver, connectFindStoragePoolSources, conn, type, srcSpec,
                       flags);
}


/**
 * virConnectGetStoragePoolCapabilities:
 * @conn: a connection
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Describes the storage pool types of the connection's storage driver, as
 * a <storagepoolCapabilities> document: each type, whether the driver
 * supports it, and its pool and volume format options.
 *
 * Returns the document, which the caller frees, or NULL in case of error:
 * the common ones, VIR_ERR_NO_SUPPORT where the driver has no such
 * description (libvirt's test driver).
 */
char *
virConnectGetStoragePoolCapabilities(virConnectPtr conn, unsigned int flags)
{
    VIR_ENTRY_CONNECT(NULL);
    VIR_ENTRY_CALL_PTR(storageDriver, connectGetStoragePoolCapabilities, conn, flags);
}


/**
 * virStoragePoolLookupByVolume:
 * @vol: a volume handle
 *
 * The pool holding @vol.
 *
 * Returns a new handle (release it with virStoragePoolFree), or NULL in case of error.
 */
virStoragePoolPtr
virStoragePoolLookupByVolume(virStorageVolPtr vol)
{
    VIR_ENTRY(virCheckStorageVolReturn(vol, NULL), vol->conn);

    VIR_ENTRY_CALL_PTR(storageDriver, storagePoolLookupByVolume, vol);
}


/**
 * virStoragePoolLookupByTargetPath:
 * @conn: a connection
 * @path: a pool's target path (sanitized first: doubled and trailing
 *        slashes do not matter)
 *
 * Finds the active storage pool whose target is @path.
 *
 * Returns a new handle (release it with virStoragePoolFree), or NULL in case
 * of error: the common ones, VIR_ERR_NO_STORAGE_POOL if no active pool has
 * that target.
 */
VIR_CONNECT_CALL_LOOKUP(virStoragePoolLookupByTargetPath, virStoragePoolPtr,
                        storageDriver, storagePoolLookupByTargetPath, path)


/**
 * virStoragePoolCreateXML:
 * @conn: a connection
 * @xmlDesc: a <pool> document
 * @flags: bitwise-OR of virStoragePoolCreateFlags (build it first)
 *
 * Creates and starts a transient pool.
 *
 * Returns a new handle, or NULL in case of error: the common ones, XML errors, VIR_ERR_OPERATION_FAILED for a pool that clashes with another.
 */
virStoragePoolPtr
virStoragePoolCreateXML(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(xmlDesc, error);

    VIR_ENTRY_CALL_PTR(storageDriver, storagePoolCreateXML, conn, xmlDesc, flags);
}


/**
 * virStoragePoolDefineXML:
 * @conn: a connection
 * @xml: a <pool> document
 * @flags: bitwise-OR of virStoragePoolDefineFlags
 *
 * Defines a persistent pool, or replaces the definition of an existing one (the next start uses it when the pool runs).
 *
 * Returns a new handle, or NULL in case of error: the common ones, XML errors, VIR_ERR_OPERATION_FAILED for a pool that clashes with another.
 */
virStoragePoolPtr
virStoragePoolDefineXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(xml, error);

    VIR_ENTRY_CALL_PTR(storageDriver, storagePoolDefineXML, conn, xml, flags);
}


/**
 * virStoragePoolBuild:
 * @pool: an inactive pool
 * @flags: bitwise-OR of virStoragePoolBuildFlags
 *
 * Makes the pool's storage exist (a dir pool: its folder; an fs pool: a file system with the OVERWRITE flags).
 *
 * Returns 0 in case of success, -1 in case of error: the common ones, VIR_ERR_OPERATION_INVALID for an active pool.
 */
int
virStoragePoolBuild(virStoragePoolPtr pool, unsigned int flags)
{
    VIR_ENTRY(virCheckStoragePoolReturn(pool, -1), pool->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL(storageDriver, storagePoolBuild, pool, flags);
}


/**
 * virStoragePoolUndefine:
 * @pool: an inactive persistent pool
 *
 * Removes the pool's persistent definition; its storage is left as it is.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones, VIR_ERR_OPERATION_INVALID for an active pool.
 */
int
virStoragePoolUndefine(virStoragePoolPtr pool)
{
    VIR_ENTRY(virCheckStoragePoolReturn(pool, -1), pool->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL(storageDriver, storagePoolUndefine, pool);
}


/**
 * virStoragePoolCreate:
 * @pool: an inactive pool
 * @flags: bitwise-OR of virStoragePoolCreateFlags
 *
 * Starts an inactive pool and reads its volumes.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones, VIR_ERR_OPERATION_INVALID for an active pool.
 */
int
virStoragePoolCreate(virStoragePoolPtr pool, unsigned int flags)
{
    VIR_ENTRY(virCheckStoragePoolReturn(pool, -1), pool->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL(storageDriver, storagePoolCreate, pool, flags);
}


/**
 * virStoragePoolDestroy:
 * @pool: an active pool
 *
 * Stops the pool; its data is untouched (a transient pool is gone afterwards).
 *
 * Returns 0 in case of success, -1 in case of error: the common ones, VIR_ERR_OPERATION_INVALID for an inactive pool.
 */
int
virStoragePoolDestroy(virStoragePoolPtr pool)
{
    VIR_ENTRY(virCheckStoragePoolReturn(pool, -1), pool->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL(storageDriver, storagePoolDestroy, pool);
}


/**
 * virStoragePoolDelete:
 * @pool: an inactive pool
 * @flags: bitwise-OR of virStoragePoolDeleteFlags
 *
 * Deletes the pool's storage (a dir pool: its empty folder). The definition stays.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones, VIR_ERR_OPERATION_INVALID for an active pool.
 */
int
virStoragePoolDelete(virStoragePoolPtr pool, unsigned int flags)
{
    VIR_ENTRY(virCheckStoragePoolReturn(pool, -1), pool->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL(storageDriver, storagePoolDelete, pool, flags);
}


/**
 * virStoragePoolRefresh:
 * @pool: an active pool
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Reads the pool's volumes and sizes again from the host.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones, VIR_ERR_OPERATION_INVALID for an inactive pool.
 */
int
virStoragePoolRefresh(virStoragePoolPtr pool, unsigned int flags)
{
    VIR_ENTRY(virCheckStoragePoolReturn(pool, -1), pool->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL(storageDriver, storagePoolRefresh, pool, flags);
}


/**
 * virStoragePoolGetInfo:
 * @pool: a pool
 * @info: filled with the state and sizes in bytes
 *
 * The pool's state, capacity, allocation and available space.
 *
 * Returns 0 in case of success, -1 in case of error (the common ones).
 */
int
virStoragePoolGetInfo(virStoragePoolPtr pool, virStoragePoolInfoPtr info)
{
    VIR_ENTRY(virCheckStoragePoolReturn(pool, -1), pool->conn);
    virCheckNonNullArgGoto(info, error);

    VIR_ENTRY_CALL(storageDriver, storagePoolGetInfo, pool, info);
}


/**
 * virStoragePoolGetAutostart:
 * @pool: a pool
 * @autostart: set to 1 when the pool starts with the daemon, else 0
 *
 * Whether the pool is marked autostart.
 *
 * Returns 0 in case of success, -1 in case of error (the common ones).
 */
int
virStoragePoolGetAutostart(virStoragePoolPtr pool, int *autostart)
{
    VIR_ENTRY(virCheckStoragePoolReturn(pool, -1), pool->conn);
    virCheckNonNullArgGoto(autostart, error);

    VIR_ENTRY_CALL(storageDriver, storagePoolGetAutostart, pool, autostart);
}


/**
 * virStoragePoolSetAutostart:
 * @pool: a persistent pool
 * @autostart: whether the pool starts with the daemon
 *
 * Marks or unmarks the pool for autostart.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones, VIR_ERR_OPERATION_INVALID for a transient pool.
 */
int
virStoragePoolSetAutostart(virStoragePoolPtr pool, int autostart)
{
    VIR_ENTRY(virCheckStoragePoolReturn(pool, -1), pool->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL(storageDriver, storagePoolSetAutostart, pool, autostart);
}


/**
 * virStoragePoolNumOfVolumes:
 * @pool: an active pool
 *
 * The number of volumes in the pool.
 *
 * Returns the number, or -1 in case of error: the common ones, VIR_ERR_OPERATION_INVALID for an inactive pool.
 */
int
virStoragePoolNumOfVolumes(virStoragePoolPtr pool)
{
    VIR_ENTRY(virCheckStoragePoolReturn(pool, -1), pool->conn);

    VIR_ENTRY_CALL(storageDriver, storagePoolNumOfVolumes, pool);
}


/**
 * virStoragePoolIsActive:
 * @pool: a pool
 *
 * Whether the pool runs.
 *
 * Returns 1 if running, 0 if not, -1 in case of error.
 */
int
virStoragePoolIsActive(virStoragePoolPtr pool)
{
    VIR_ENTRY(virCheckStoragePoolReturn(pool, -1), pool->conn);

    VIR_ENTRY_CALL(storageDriver, storagePoolIsActive, pool);
}


/**
 * virStoragePoolIsPersistent:
 * @pool: a pool
 *
 * Whether the pool has a persistent definition.
 *
 * Returns 1 if persistent, 0 if transient, -1 in case of error.
 */
int
virStoragePoolIsPersistent(virStoragePoolPtr pool)
{
    VIR_ENTRY(virCheckStoragePoolReturn(pool, -1), pool->conn);

    VIR_ENTRY_CALL(storageDriver, storagePoolIsPersistent, pool);
}
