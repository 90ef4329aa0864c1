/* libvirt-storage-vol.c: the public storage volume API (handles, lookups, lifecycle, streams) */
#define G_LOG_DOMAIN "virtkit.api"

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_STORAGE

/**
 * virStorageVolRef:
 * @vol: a handle
 *
 * Takes one more reference to the handle, for a second owner; each is
 * released with virStorageVolFree. Thread-safe (atomic).
 *
 * Returns 0 in case of success, -1 if @vol is invalid.
 */
VIR_HANDLE_REF(virStorageVolRef, virStorageVolPtr, virCheckStorageVolReturn)


/**
 * virStorageVolFree:
 * @vol: a handle
 *
 * Releases one reference to the handle; the last one frees it and drops its
 * reference on its connection. The object itself is not affected. Thread-
 * safe (atomic).
 *
 * Returns 0 in case of success, -1 if @vol is invalid
 * (VIR_ERR_INVALID_STORAGE_VOL).
 */
VIR_HANDLE_FREE(virStorageVolFree, virStorageVolPtr, virCheckStorageVolReturn,
                virObjectUnrefStorageVol)


/**
 * virStorageVolGetName:
 * @vol: a handle
 *
 * The name of @vol, from the handle (no driver call).
 *
 * Returns a string owned by @vol (do not free it; valid while the handle
 * lives), or NULL if @vol is invalid.
 */
VIR_HANDLE_GET(virStorageVolGetName, const char *, virStorageVolPtr,
               virCheckStorageVolReturn, name)


/**
 * virStorageVolGetKey:
 * @vol: a handle
 *
 * The key (unique on the host) of @vol, from the handle (no driver call).
 *
 * Returns a string owned by @vol (do not free it; valid while the handle
 * lives), or NULL if @vol is invalid.
 */
VIR_HANDLE_GET(virStorageVolGetKey, const char *, virStorageVolPtr,
               virCheckStorageVolReturn, key)


/**
 * virStorageVolGetConnect:
 * @vol: a handle
 *
 * The connection @vol belongs to. No reference is taken: it stays valid
 * while @vol lives (the handle holds one); virConnectRef it to keep it
 * longer.
 *
 * Returns the connection, or NULL if @vol is invalid.
 */
VIR_HANDLE_GET(virStorageVolGetConnect, virConnectPtr, virStorageVolPtr,
               virCheckStorageVolReturn, conn)


/**
 * virStorageVolLookupByName:
 * @pool: an active pool
 * @name: the volume's name
 *
 * Finds a volume of @pool by name.
 *
 * Returns a new handle (release it with virStorageVolFree), or NULL in case of error: the common ones, VIR_ERR_NO_STORAGE_VOL.
 */
virStorageVolPtr
virStorageVolLookupByName(virStoragePoolPtr pool, const char *name)
{
    VIR_ENTRY(virCheckStoragePoolReturn(pool, NULL), pool->conn);
    virCheckNonNullArgGoto(name, error);

    VIR_ENTRY_CALL_PTR(storageDriver, storageVolLookupByName, pool, name);
}


/**
 * virStorageVolLookupByKey:
 * @conn: a connection
 * @key: the volume's key
 *
 * Finds a volume of any active pool by its key.
 *
 * Returns a new handle, or NULL in case of error: the common ones, VIR_ERR_NO_STORAGE_VOL.
 */
VIR_CONNECT_CALL_LOOKUP(virStorageVolLookupByKey, virStorageVolPtr, storageDriver,
                        storageVolLookupByKey, key)


/**
 * virStorageVolLookupByPath:
 * @conn: a connection
 * @path: the volume's path on the host
 *
 * Finds a volume of any active pool by its path.
 *
 * Returns a new handle, or NULL in case of error: the common ones, VIR_ERR_NO_STORAGE_VOL.
 */
VIR_CONNECT_CALL_LOOKUP(virStorageVolLookupByPath, virStorageVolPtr, storageDriver,
                        storageVolLookupByPath, path)


/**
 * virStorageVolCreateXML:
 * @pool: an active pool
 * @xmlDesc: a <volume> document
 * @flags: bitwise-OR of virStorageVolCreateFlags
 *
 * Creates a volume in @pool (a file made with the size, allocation and format asked).
 *
 * Returns a new handle, or NULL in case of error: the common ones, XML errors, VIR_ERR_STORAGE_VOL_EXIST.
 */
virStorageVolPtr
virStorageVolCreateXML(virStoragePoolPtr pool, const char *xmlDesc, unsigned int flags)
{
    VIR_ENTRY(virCheckStoragePoolReturn(pool, NULL), pool->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(xmlDesc, error);

    VIR_ENTRY_CALL_PTR(storageDriver, storageVolCreateXML, pool, xmlDesc, flags);
}


/**
 * virStorageVolCreateXMLFrom:
 * @pool: an active pool
 * @xmlDesc: a <volume> document for the new volume
 * @clonevol: the volume to copy
 * @flags: bitwise-OR of virStorageVolCreateFlags
 *
 * Creates a volume in @pool holding a copy of @clonevol, converted to the format the document asks for.
 *
 * Returns a new handle, or NULL in case of error: the common ones, XML errors, VIR_ERR_STORAGE_VOL_EXIST.
 */
virStorageVolPtr
virStorageVolCreateXMLFrom(virStoragePoolPtr pool, const char *xmlDesc,
                           virStorageVolPtr clonevol, unsigned int flags)
{
    VIR_ENTRY(virCheckStoragePoolReturn(pool, NULL), pool->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(xmlDesc, error);
    virCheckNonNullArgGoto(clonevol, error);

    VIR_ENTRY_CALL_PTR(storageDriver, storageVolCreateXMLFrom, pool, xmlDesc, clonevol,
                       flags);
}


/**
 * virStorageVolDelete:
 * @vol: a volume
 * @flags: bitwise-OR of virStorageVolDeleteFlags
 *
 * Deletes the volume and its data.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones, VIR_ERR_OPERATION_INVALID for a volume in use.
 */
int
virStorageVolDelete(virStorageVolPtr vol, unsigned int flags)
{
    VIR_ENTRY(virCheckStorageVolReturn(vol, -1), vol->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL(storageDriver, storageVolDelete, vol, flags);
}


/**
 * virStorageVolWipe:
 * @vol: a volume
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Overwrites the volume's data with zeros.
 *
 * Returns 0 in case of success, -1 in case of error (the common ones).
 */
int
virStorageVolWipe(virStorageVolPtr vol, unsigned int flags)
{
    VIR_ENTRY(virCheckStorageVolReturn(vol, -1), vol->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL(storageDriver, storageVolWipe, vol, flags);
}


/**
 * virStorageVolWipePattern:
 * @vol: a volume
 * @algorithm: one of virStorageVolWipeAlgorithm
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Overwrites the volume's data by @algorithm.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones, VIR_ERR_ARGUMENT_UNSUPPORTED for an algorithm the driver lacks.
 */
int
virStorageVolWipePattern(virStorageVolPtr vol, unsigned int algorithm, unsigned int flags)
{
    VIR_ENTRY(virCheckStorageVolReturn(vol, -1), vol->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL(storageDriver, storageVolWipePattern, vol, algorithm, flags);
}


/**
 * virStorageVolGetInfo:
 * @vol: a volume
 * @info: filled with the type and sizes in bytes
 *
 * The volume's type, capacity and allocation.
 *
 * Returns 0 in case of success, -1 in case of error (the common ones).
 */
int
virStorageVolGetInfo(virStorageVolPtr vol, virStorageVolInfoPtr info)
{
    VIR_ENTRY(virCheckStorageVolReturn(vol, -1), vol->conn);
    virCheckNonNullArgGoto(info, error);

    VIR_ENTRY_CALL(storageDriver, storageVolGetInfo, vol, info);
}


/**
 * virStorageVolGetInfoFlags:
 * @vol: a volume
 * @info: filled with the type and sizes in bytes
 * @flags: bitwise-OR of virStorageVolInfoFlags (GET_PHYSICAL: the file's size in allocation)
 *
 * As virStorageVolGetInfo, with flags.
 *
 * Returns 0 in case of success, -1 in case of error (the common ones).
 */
int
virStorageVolGetInfoFlags(virStorageVolPtr vol, virStorageVolInfoPtr info,
                          unsigned int flags)
{
    VIR_ENTRY(virCheckStorageVolReturn(vol, -1), vol->conn);
    virCheckNonNullArgGoto(info, error);

    VIR_ENTRY_CALL(storageDriver, storageVolGetInfoFlags, vol, info, flags);
}


/**
 * virStorageVolGetXMLDesc:
 * @vol: a volume
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * The XML of the volume.
 *
 * Returns a newly allocated string the caller frees, or NULL in case of error (the common ones).
 */
char *
virStorageVolGetXMLDesc(virStorageVolPtr vol, unsigned int flags)
{
    VIR_ENTRY(virCheckStorageVolReturn(vol, NULL), vol->conn);

    VIR_ENTRY_CALL_PTR(storageDriver, storageVolGetXMLDesc, vol, flags);
}


/**
 * virStorageVolGetPath:
 * @vol: a volume
 *
 * The volume's path on the host.
 *
 * Returns a newly allocated string the caller frees, or NULL in case of error (the common ones).
 */
char *
virStorageVolGetPath(virStorageVolPtr vol)
{
    VIR_ENTRY(virCheckStorageVolReturn(vol, NULL), vol->conn);

    VIR_ENTRY_CALL_PTR(storageDriver, storageVolGetPath, vol);
}


/**
 * virStorageVolResize:
 * @vol: a volume
 * @capacity: the new capacity in bytes (a change with VIR_STORAGE_VOL_RESIZE_DELTA)
 * @flags: bitwise-OR of virStorageVolResizeFlags
 *
 * Changes the volume's capacity; shrinking needs VIR_STORAGE_VOL_RESIZE_SHRINK.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones, VIR_ERR_INVALID_ARG for a shrink without the flag.
 */
int
virStorageVolResize(virStorageVolPtr vol, unsigned long long capacity, unsigned int flags)
{
    VIR_ENTRY(virCheckStorageVolReturn(vol, -1), vol->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL(storageDriver, storageVolResize, vol, capacity, flags);
}


/**
 * virStorageVolUpload:
 * @vol: a volume
 * @stream: a new stream of the same connection, whose data is written into the volume
 * @offset: where in the volume the data goes
 * @length: at most this many bytes, 0 for up to the end
 * @flags: bitwise-OR of virStorageVolUploadFlags
 *
 * Attaches @stream to the volume's data for writing: send with virStreamSend/SendAll, then virStreamFinish.
 *
 * Returns 0 in case of success, -1 in case of error (the common ones).
 */
int
virStorageVolUpload(virStorageVolPtr vol, virStreamPtr stream, unsigned long long offset,
                    unsigned long long length, unsigned int flags)
{
    VIR_ENTRY(virCheckStorageVolReturn(vol, -1), vol->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(stream, error);

    VIR_ENTRY_CALL(storageDriver, storageVolUpload, vol, stream, offset, length, flags);
}


/**
 * virStorageVolDownload:
 * @vol: a volume
 * @stream: a new stream of the same connection, which receives the volume's data
 * @offset: where in the volume to start
 * @length: at most this many bytes, 0 for up to the end
 * @flags: bitwise-OR of virStorageVolDownloadFlags
 *
 * Attaches @stream to the volume's data for reading: receive with virStreamRecv/RecvAll, then virStreamFinish.
 *
 * Returns 0 in case of success, -1 in case of error (the common ones).
 */
int
virStorageVolDownload(virStorageVolPtr vol, virStreamPtr stream,
                      unsigned long long offset, unsigned long long length,
                      unsigned int flags)
{
    VIR_ENTRY(virCheckStorageVolReturn(vol, -1), vol->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(stream, error);

    VIR_ENTRY_CALL(storageDriver, storageVolDownload, vol, stream, offset, length, flags);
}


/**
 * virStoragePoolListVolumes:
 * @pool: an active pool
 * @names: an array of @maxnames slots, filled with names the caller frees
 * @maxnames: the size of @names
 *
 * The names of at most @maxnames volumes of the pool.
 *
 * Returns how many names were stored, or -1 in case of error: the common
 * ones, VIR_ERR_OPERATION_INVALID for an inactive pool.
 */
int
virStoragePoolListVolumes(virStoragePoolPtr pool, char **const names, int maxnames)
{
    VIR_ENTRY(virCheckStoragePoolReturn(pool, -1), pool->conn);
    virCheckNonNullArrayArgGoto(names, maxnames, error);
    virCheckNonNegativeArgGoto(maxnames, error);

    VIR_ENTRY_CALL(storageDriver, storagePoolListVolumes, pool, names, maxnames);
}


/**
 * virStoragePoolListAllVolumes:
 * @pool: an active pool
 * @vols: if not NULL, set to a NULL-terminated array of new handles (free
 *        each with virStorageVolFree and the array with free())
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Every volume of the pool.
 *
 * Returns the number of volumes, or -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_INVALID for an inactive pool.
 */
int
virStoragePoolListAllVolumes(virStoragePoolPtr pool, virStorageVolPtr **vols,
                             unsigned int flags)
{
    VIR_ENTRY(virCheckStoragePoolReturn(pool, -1), pool->conn);
    if (vols)
        *vols = NULL;

    VIR_ENTRY_CALL(storageDriver, storagePoolListAllVolumes, pool, vols, flags);
}
