/* libvirt-secret.c: public entry points of secrets: handles, lists, lookups, XML, values, events */
#define G_LOG_DOMAIN "virtkit.api"

#include <string.h>

#include "libvirt_internal.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_SECRET

/*
 * Common to every entry point below: it first resets the thread's last
 * error; an invalid @conn fails with VIR_ERR_INVALID_CONN, an invalid
 * handle with VIR_ERR_INVALID_SECRET, a NULL required argument with
 * VIR_ERR_INVALID_ARG (all in domain VIR_FROM_SECRET); a connection whose
 * driver lacks the call (driver.h: virSecretDriver) fails with VIR_ERR_NO_SUPPORT
 * "this function is not supported by the connection driver: <function>";
 * the driver reports what it finds (VIR_ERR_NO_SECRET for a handle
 * whose object is gone, INVALID_ARG for flags it does not take); failures
 * reach the error handlers once (virDispatchError). Returned handles are
 * new references, released with virSecretFree.
 */


/**
 * virConnectNumOfSecrets:
 * @conn: a connection
 *
 * The number of secrets.
 *
 * Returns the number, or -1 in case of error (the common ones).
 */
VIR_CONNECT_CALL_NUM(virConnectNumOfSecrets, secretDriver, connectNumOfSecrets)


/**
 * virConnectListSecrets:
 * @conn: a connection
 * @uuids: array of @maxuuids pointers to fill (NULL only if @maxuuids is 0)
 * @maxuuids: size of @uuids, zero or greater
 *
 * Stores the UUIDs (printable form) of up to @maxuuids secrets, each newly
 * allocated (the caller frees each with free()). Racy: prefer
 * virConnectListAllSecrets.
 *
 * Returns the number stored, or -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @uuids with @maxuuids > 0 or a negative
 * @maxuuids.
 */
int
virConnectListSecrets(virConnectPtr conn, char **uuids, int maxuuids)
{
    VIR_ENTRY_CONNECT(-1);
    virCheckNonNullArrayArgGoto(uuids, maxuuids, error);
    virCheckNonNegativeArgGoto(maxuuids, error);
    VIR_ENTRY_CALL(secretDriver, connectListSecrets, conn, uuids, maxuuids);
}


/**
 * virConnectListAllSecrets:
 * @conn: a connection
 * @secrets: if not NULL, where to store a NULL-terminated array of new handles; set to NULL first, whatever the outcome
 * @flags: bitwise-OR of virConnectListAllSecretsFlags, 0 for all
 *
 * Lists the secrets matching @flags in one consistent pass (flags of one
 * group are alternatives; every group used must match).
 *
 * Returns the number of secrets (and of handles in *@secrets), or -1 in case
 * of error: the common ones, VIR_ERR_INVALID_ARG for flags the driver does
 * not take. The caller releases each handle with virSecretFree and the array
 * with free().
 */
int
virConnectListAllSecrets(virConnectPtr conn, virSecretPtr **secrets, unsigned int flags)
{
    virResetLastError();
    if (secrets)
        *secrets = NULL;
    virCheckConnectReturn(conn, -1);

    VIR_ENTRY_CALL(secretDriver, connectListAllSecrets, conn, secrets, flags);
}


/**
 * virSecretLookupByUUID:
 * @conn: a connection
 * @uuid: the UUID, VIR_UUID_BUFLEN (16) raw bytes
 *
 * Finds the secret with this UUID.
 *
 * Returns a new handle (release it with virSecretFree), or NULL in case of
 * error: the common ones, VIR_ERR_NO_SECRET if there is none.
 */
VIR_CONNECT_CALL_LOOKUP_UUID(virSecretLookupByUUID, virSecretPtr, secretDriver,
                             secretLookupByUUID)


/**
 * virSecretLookupByUUIDString:
 * @conn: a connection
 * @uuidstr: the UUID as 32 hex digits; dashes between digit pairs and surrounding white space are ignored
 *
 * As virSecretLookupByUUID, from the printable form.
 *
 * Returns a new handle (release it with virSecretFree), or NULL in case of
 * error: the common ones, VIR_ERR_INVALID_ARG ("uuidstr in <function> must be a valid UUID") if @uuidstr
 * does not parse, VIR_ERR_NO_SECRET if there is none.
 */
VIR_CONNECT_CALL_LOOKUP_UUID_STRING(virSecretLookupByUUIDString, virSecretPtr,
                                    secretDriver, secretLookupByUUID,
                                    virSecretLookupByUUID)


/**
 * virSecretLookupByUsage:
 * @conn: a connection
 * @usageType: a virSecretUsageType
 * @usageID: the usage ID to match (volume path, Ceph/iSCSI/TLS/vTPM name)
 *
 * Finds the secret used for @usageType / @usageID.
 *
 * Returns a new handle (release it with virSecretFree), or NULL in case of
 * error: the common ones, VIR_ERR_NO_SECRET if there is none.
 */
virSecretPtr
virSecretLookupByUsage(virConnectPtr conn, int usageType, const char *usageID)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckNonNullArgGoto(usageID, error);
    VIR_ENTRY_CALL_PTR(secretDriver, secretLookupByUsage, conn, usageType, usageID);
}


/**
 * virSecretDefineXML:
 * @conn: a connection
 * @xml: the secret's XML (<secret ephemeral= private=>, <uuid>, <description>, <usage>)
 * @flags: bitwise-OR of virSecretDefineFlags
 *
 * Defines a secret, or redefines the one with the same UUID (its value is
 * kept). The value is set separately (virSecretSetValue).
 *
 * Returns a new handle (release it with virSecretFree), or NULL in case of
 * error: the common ones, VIR_ERR_OPERATION_DENIED on a read-only
 * connection, VIR_ERR_XML_ERROR / VIR_ERR_INTERNAL_ERROR for bad XML or a
 * usage already used by another secret (nothing changed).
 */
virSecretPtr
virSecretDefineXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(xml, error);
    VIR_ENTRY_CALL_PTR(secretDriver, secretDefineXML, conn, xml, flags);
}


/**
 * virSecretGetXMLDesc:
 * @secret: a handle
 * @flags: none defined: 0
 *
 * The XML of @secret (never its value).
 *
 * Returns a newly allocated string the caller frees with free(), or NULL in
 * case of error (the common ones).
 */
char *
virSecretGetXMLDesc(virSecretPtr secret, unsigned int flags)
{
    VIR_ENTRY(virCheckSecretReturn(secret, NULL), secret->conn);

    VIR_ENTRY_CALL_PTR(secretDriver, secretGetXMLDesc, secret, flags);
}


/**
 * virSecretSetValue:
 * @secret: a handle
 * @value: the value, @value_size bytes
 * @value_size: its size
 * @flags: none defined: 0
 *
 * Sets the value of @secret (stored with mode 0600 unless the secret is
 * ephemeral).
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection.
 */
int
virSecretSetValue(virSecretPtr secret, const unsigned char *value, size_t value_size,
                  unsigned int flags)
{
    VIR_ENTRY(virCheckSecretReturn(secret, -1), secret->conn);
    virCheckNonNullArgGoto(value, error);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL(secretDriver, secretSetValue, secret, value, value_size, flags);
}


/**
 * virSecretGetValue:
 * @secret: a handle
 * @value_size: where to store the value's size
 * @flags: none defined: 0
 *
 * The value of @secret. Never on a read-only connection; refused
 * (VIR_ERR_INVALID_SECRET "secret is private") for a private secret.
 *
 * Returns the value, newly allocated (free() it), or NULL in case of error:
 * the common ones, VIR_ERR_OPERATION_DENIED on a read-only connection,
 * VIR_ERR_NO_SECRET "secret ... has no value" when none was set.
 */
unsigned char *
virSecretGetValue(virSecretPtr secret, size_t *value_size, unsigned int flags)
{
    VIR_ENTRY(virCheckSecretReturn(secret, NULL), secret->conn);
    virCheckNonNullArgGoto(value_size, error);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_PTR(secretDriver, secretGetValue, secret, value_size, flags);
}


/**
 * virSecretUndefine:
 * @secret: a handle
 *
 * Deletes @secret and its value; the handle stays valid until freed.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection.
 */
int
virSecretUndefine(virSecretPtr secret)
{
    VIR_ENTRY(virCheckSecretReturn(secret, -1), secret->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL(secretDriver, secretUndefine, secret);
}


/**
 * virSecretRef:
 * @secret: a handle
 *
 * Takes one more reference to the handle, for a second owner; each is
 * released with virSecretFree. Thread-safe (atomic).
 *
 * Returns 0 in case of success, -1 if @secret is invalid.
 */
VIR_HANDLE_REF(virSecretRef, virSecretPtr, virCheckSecretReturn)


/**
 * virSecretFree:
 * @secret: a handle
 *
 * Releases one reference to the handle; the last one frees it and drops its
 * reference on its connection. The object itself is not affected. Thread-
 * safe (atomic).
 *
 * Returns 0 in case of success, -1 if @secret is invalid
 * (VIR_ERR_INVALID_SECRET).
 */
VIR_HANDLE_FREE(virSecretFree, virSecretPtr, virCheckSecretReturn, virObjectUnrefSecret)


/**
 * virSecretGetUsageType:
 * @secret: a handle
 *
 * The usage type (virSecretUsageType) of @secret, from the handle (no driver
 * call).
 *
 * Returns the value, or -1 if @secret is invalid.
 */
int
virSecretGetUsageType(virSecretPtr secret)
{
    virResetLastError();
    virCheckSecretReturn(secret, -1);
    return secret->usageType;
}


/**
 * virSecretGetUsageID:
 * @secret: a handle
 *
 * The usage ID (the volume path, Ceph/iSCSI/TLS/vTPM name; "" for usage type
 * none) of @secret, from the handle (no driver call).
 *
 * Returns a string owned by @secret (do not free it; valid while the handle
 * lives), or NULL if @secret is invalid.
 */
VIR_HANDLE_GET(virSecretGetUsageID, const char *, virSecretPtr, virCheckSecretReturn,
               usageID)


/**
 * virSecretGetUUID:
 * @secret: a handle
 * @uuid: buffer of VIR_UUID_BUFLEN (16) bytes for the raw UUID
 *
 * The UUID of @secret, from the handle (no driver call).
 *
 * Returns 0 in case of success and -1 in case of error:
 * VIR_ERR_INVALID_SECRET, VIR_ERR_INVALID_ARG if @uuid is NULL.
 */
VIR_HANDLE_GET_UUID(virSecretGetUUID, virSecretPtr, virCheckSecretReturn, conn)


/**
 * virSecretGetUUIDString:
 * @secret: a handle
 * @buf: buffer of VIR_UUID_STRING_BUFLEN (37) bytes
 *
 * The UUID of @secret in its printable form (lowercase hex, dashes, NUL),
 * from the handle (no driver call).
 *
 * Returns 0 in case of success and -1 in case of error:
 * VIR_ERR_INVALID_SECRET, VIR_ERR_INVALID_ARG if @buf is NULL.
 */
VIR_HANDLE_GET_UUID_STRING(virSecretGetUUIDString, virSecretPtr, virCheckSecretReturn,
                           conn)


/**
 * virSecretGetConnect:
 * @secret: a handle
 *
 * The connection @secret belongs to. No reference is taken: it stays valid
 * while @secret lives (the handle holds one); virConnectRef it to keep it
 * longer.
 *
 * Returns the connection, or NULL if @secret is invalid.
 */
VIR_HANDLE_GET(virSecretGetConnect, virConnectPtr, virSecretPtr, virCheckSecretReturn,
               conn)


/**
 * virConnectSecretEventRegisterAny:
 * @conn: a connection
 * @secret: only events of this object, or NULL for all
 * @eventID: the event to watch (VIR_SECRET_EVENT_ID_LIFECYCLE, _VALUE_CHANGED)
 * @cb: the callback, cast with VIR_SECRET_EVENT_CALLBACK from the type the event ID names
 * @opaque: passed to @cb
 * @freecb: called with @opaque when the registration ends, or NULL
 *
 * Registers @cb for @eventID events. Callbacks run from the application's
 * event loop (virEventRegisterImpl or virEventRegisterDefaultImpl must have
 * been called), never from inside the API call that caused the event; the
 * registration holds a reference on @conn until deregistered.
 *
 * Returns a callback ID for virConnectSecretEventDeregisterAny (zero or
 * greater), or -1 in case of error: the common ones, VIR_ERR_INVALID_ARG for
 * a NULL @cb, an @eventID out of range or a handle of another connection,
 * VIR_ERR_INTERNAL_ERROR without an event loop.
 */
VIR_CONNECT_EVENT_REGISTER(virConnectSecretEventRegisterAny, virSecretPtr, secret,
                           virConnectSecretEventGenericCallback, virCheckSecretReturn,
                           "secret", usageID, VIR_SECRET_EVENT_ID_VALUE_CHANGED,
                           secretDriver, connectSecretEventRegisterAny)


/**
 * virConnectSecretEventDeregisterAny:
 * @conn: a connection
 * @callbackID: an ID returned by virConnectSecretEventRegisterAny on @conn
 *
 * Ends a registration: @cb is not called again once this returns (unless
 * already running), and its freecb runs.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a negative or unknown @callbackID.
 */
VIR_CONNECT_EVENT_DEREGISTER(virConnectSecretEventDeregisterAny, secretDriver,
                             connectSecretEventDeregisterAny)
