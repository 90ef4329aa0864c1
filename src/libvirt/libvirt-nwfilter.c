/* libvirt-nwfilter.c: public entry points of network filters and bindings: handles, lists, lookups, XML */
#define G_LOG_DOMAIN "virtkit.api"

#include <string.h>

#include "libvirt_internal.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_NWFILTER

/*
 * Common to every entry point below: it first resets the thread's last
 * error; an invalid @conn fails with VIR_ERR_INVALID_CONN, an invalid
 * handle with VIR_ERR_INVALID_NWFILTER, a NULL required argument with
 * VIR_ERR_INVALID_ARG (all in domain VIR_FROM_NWFILTER); a connection whose
 * driver lacks the call (driver.h: virNWFilterDriver) fails with VIR_ERR_NO_SUPPORT
 * "this function is not supported by the connection driver: <function>";
 * the driver reports what it finds (VIR_ERR_NO_NWFILTER for a handle
 * whose object is gone, INVALID_ARG for flags it does not take); failures
 * reach the error handlers once (virDispatchError). Returned handles are
 * new references, released with virNWFilterFree.
 */


/**
 * virConnectNumOfNWFilters:
 * @conn: a connection
 *
 * The number of network filters.
 *
 * Returns the number, or -1 in case of error (the common ones).
 */
int
virConnectNumOfNWFilters(virConnectPtr conn)
{
    VIR_ENTRY_CONNECT(-1);

    VIR_ENTRY_CALL(nwfilterDriver, connectNumOfNWFilters, conn);
}


/**
 * virConnectListNWFilters:
 * @conn: a connection
 * @names: array of @maxnames pointers to fill (NULL only if @maxnames is 0)
 * @maxnames: size of @names, zero or greater
 *
 * Stores the names of up to @maxnames network filters, each newly allocated
 * (the caller frees each with free()). Racy: prefer
 * virConnectListAllNWFilters.
 *
 * Returns the number stored, or -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @names with @maxnames > 0 or a negative
 * @maxnames.
 */
int
virConnectListNWFilters(virConnectPtr conn, char **const names, int maxnames)
{
    VIR_ENTRY_CONNECT(-1);
    virCheckNonNullArrayArgGoto(names, maxnames, error);
    virCheckNonNegativeArgGoto(maxnames, error);
    VIR_ENTRY_CALL(nwfilterDriver, connectListNWFilters, conn, names, maxnames);
}


/**
 * virConnectListAllNWFilters:
 * @conn: a connection
 * @filters: if not NULL, where to store a NULL-terminated array of new handles; set to NULL first, whatever the outcome
 * @flags: bitwise-OR of flags (none defined: 0), 0 for all
 *
 * Lists the network filters matching @flags in one consistent pass (flags of
 * one group are alternatives; every group used must match).
 *
 * Returns the number of network filters (and of handles in *@filters), or -1
 * in case of error: the common ones, VIR_ERR_INVALID_ARG for flags the
 * driver does not take. The caller releases each handle with virNWFilterFree
 * and the array with free().
 */
int
virConnectListAllNWFilters(virConnectPtr conn, virNWFilterPtr **filters,
                           unsigned int flags)
{
    virResetLastError();
    if (filters)
        *filters = NULL;
    virCheckConnectReturn(conn, -1);

    VIR_ENTRY_CALL(nwfilterDriver, connectListAllNWFilters, conn, filters, flags);
}


/**
 * virNWFilterLookupByName:
 * @conn: a connection
 * @name: the filter's name
 *
 * Finds the network filter with this name.
 *
 * Returns a new handle (release it with virNWFilterFree), or NULL in case of
 * error: the common ones, VIR_ERR_NO_NWFILTER if there is none.
 */
virNWFilterPtr
virNWFilterLookupByName(virConnectPtr conn, const char *name)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckNonNullArgGoto(name, error);
    VIR_ENTRY_CALL_PTR(nwfilterDriver, nwfilterLookupByName, conn, name);
}


/**
 * virNWFilterLookupByUUID:
 * @conn: a connection
 * @uuid: the UUID, VIR_UUID_BUFLEN (16) raw bytes
 *
 * Finds the network filter with this UUID.
 *
 * Returns a new handle (release it with virNWFilterFree), or NULL in case of
 * error: the common ones, VIR_ERR_NO_NWFILTER if there is none.
 */
virNWFilterPtr
virNWFilterLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckNonNullArgGoto(uuid, error);
    VIR_ENTRY_CALL_PTR(nwfilterDriver, nwfilterLookupByUUID, conn, uuid);
}


/**
 * virNWFilterLookupByUUIDString:
 * @conn: a connection
 * @uuidstr: the UUID as 32 hex digits; dashes between digit pairs and surrounding white space are ignored
 *
 * As virNWFilterLookupByUUID, from the printable form.
 *
 * Returns a new handle (release it with virNWFilterFree), or NULL in case of
 * error: the common ones, VIR_ERR_INVALID_ARG ("uuidstr in <function> must be a valid UUID") if @uuidstr
 * does not parse, VIR_ERR_NO_NWFILTER if there is none.
 */
virNWFilterPtr
virNWFilterLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];
    virNWFilterPtr ret;

    virResetLastError();
    virCheckConnectReturn(conn, NULL);
    virCheckNonNullArgGoto(uuidstr, error);

    if (virUUIDParse(uuidstr, uuid) < 0) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "uuidstr",
                               "uuidstr in %s must be a valid UUID", __func__);
        goto error;
    }
    if (conn->nwfilterDriver && conn->nwfilterDriver->nwfilterLookupByUUID) {
        if (!(ret = conn->nwfilterDriver->nwfilterLookupByUUID(conn, uuid)))
            goto error;
        return ret;
    }
    virReportError(VIR_ERR_NO_SUPPORT, "%s", "virNWFilterLookupByUUID");
error:
    virDispatchError(conn);
    return NULL;
}


/**
 * virNWFilterGetXMLDesc:
 * @nwfilter: a handle
 * @flags: none defined: 0
 *
 * The XML of @nwfilter.
 *
 * Returns a newly allocated string the caller frees with free(), or NULL in
 * case of error (the common ones).
 */
char *
virNWFilterGetXMLDesc(virNWFilterPtr nwfilter, unsigned int flags)
{
    VIR_ENTRY(virCheckNWFilterReturn(nwfilter, NULL), nwfilter->conn);

    VIR_ENTRY_CALL_PTR(nwfilterDriver, nwfilterGetXMLDesc, nwfilter, flags);
}


/**
 * virNWFilterRef:
 * @nwfilter: a handle
 *
 * Takes one more reference to the handle, for a second owner; each is
 * released with virNWFilterFree. Thread-safe (atomic).
 *
 * Returns 0 in case of success, -1 if @nwfilter is invalid.
 */
int
virNWFilterRef(virNWFilterPtr nwfilter)
{
    virResetLastError();
    virCheckNWFilterReturn(nwfilter, -1);
    virObjectRefHandle(nwfilter);
    return 0;
}


/**
 * virNWFilterFree:
 * @nwfilter: a handle
 *
 * Releases one reference to the handle; the last one frees it and drops its
 * reference on its connection. The object itself is not affected. Thread-
 * safe (atomic).
 *
 * Returns 0 in case of success, -1 if @nwfilter is invalid
 * (VIR_ERR_INVALID_NWFILTER).
 */
int
virNWFilterFree(virNWFilterPtr nwfilter)
{
    virResetLastError();
    virCheckNWFilterReturn(nwfilter, -1);
    virObjectUnrefNWFilter(nwfilter);
    return 0;
}


/**
 * virNWFilterGetName:
 * @nwfilter: a handle
 *
 * The name of @nwfilter, from the handle (no driver call).
 *
 * Returns a string owned by @nwfilter (do not free it; valid while the
 * handle lives), or NULL if @nwfilter is invalid.
 */
const char *
virNWFilterGetName(virNWFilterPtr nwfilter)
{
    virResetLastError();
    virCheckNWFilterReturn(nwfilter, NULL);
    return nwfilter->name;
}


/**
 * virNWFilterGetUUID:
 * @nwfilter: a handle
 * @uuid: buffer of VIR_UUID_BUFLEN (16) bytes for the raw UUID
 *
 * The UUID of @nwfilter, from the handle (no driver call).
 *
 * Returns 0 in case of success and -1 in case of error:
 * VIR_ERR_INVALID_NWFILTER, VIR_ERR_INVALID_ARG if @uuid is NULL.
 */
int
virNWFilterGetUUID(virNWFilterPtr nwfilter, unsigned char *uuid)
{
    virResetLastError();
    virCheckNWFilterReturn(nwfilter, -1);
    virCheckNonNullArgGoto(uuid, error);

    memcpy(uuid, nwfilter->uuid, VIR_UUID_BUFLEN);
    return 0;

error:
    virDispatchError(nwfilter->conn);
    return -1;
}


/**
 * virNWFilterGetUUIDString:
 * @nwfilter: a handle
 * @buf: buffer of VIR_UUID_STRING_BUFLEN (37) bytes
 *
 * The UUID of @nwfilter in its printable form (lowercase hex, dashes, NUL),
 * from the handle (no driver call).
 *
 * Returns 0 in case of success and -1 in case of error:
 * VIR_ERR_INVALID_NWFILTER, VIR_ERR_INVALID_ARG if @buf is NULL.
 */
int
virNWFilterGetUUIDString(virNWFilterPtr nwfilter, char *buf)
{
    virResetLastError();
    virCheckNWFilterReturn(nwfilter, -1);
    virCheckNonNullArgGoto(buf, error);

    virUUIDFormat(nwfilter->uuid, buf);
    return 0;

error:
    virDispatchError(nwfilter->conn);
    return -1;
}


/**
 * virNWFilterBindingRef:
 * @binding: a handle
 *
 * Takes one more reference to the handle, for a second owner; each is
 * released with virNWFilterBindingFree. Thread-safe (atomic).
 *
 * Returns 0 in case of success, -1 if @binding is invalid.
 */
int
virNWFilterBindingRef(virNWFilterBindingPtr binding)
{
    virResetLastError();
    virCheckNWFilterBindingReturn(binding, -1);
    virObjectRefHandle(binding);
    return 0;
}


/**
 * virNWFilterBindingFree:
 * @binding: a handle
 *
 * Releases one reference to the handle; the last one frees it and drops its
 * reference on its connection. The object itself is not affected. Thread-
 * safe (atomic).
 *
 * Returns 0 in case of success, -1 if @binding is invalid
 * (VIR_ERR_INVALID_NWFILTER_BINDING).
 */
int
virNWFilterBindingFree(virNWFilterBindingPtr binding)
{
    virResetLastError();
    virCheckNWFilterBindingReturn(binding, -1);
    virObjectUnrefNWFilterBinding(binding);
    return 0;
}


/**
 * virNWFilterBindingGetPortDev:
 * @binding: a handle
 *
 * The port device (the guest interface's host side) of @binding, from the
 * handle (no driver call).
 *
 * Returns a string owned by @binding (do not free it; valid while the handle
 * lives), or NULL if @binding is invalid.
 */
const char *
virNWFilterBindingGetPortDev(virNWFilterBindingPtr binding)
{
    virResetLastError();
    virCheckNWFilterBindingReturn(binding, NULL);
    return binding->portdev;
}


/**
 * virNWFilterBindingGetFilterName:
 * @binding: a handle
 *
 * The filter name of @binding, from the handle (no driver call).
 *
 * Returns a string owned by @binding (do not free it; valid while the handle
 * lives), or NULL if @binding is invalid.
 */
const char *
virNWFilterBindingGetFilterName(virNWFilterBindingPtr binding)
{
    virResetLastError();
    virCheckNWFilterBindingReturn(binding, NULL);
    return binding->filtername;
}


/* ---- definition (src/drivers/nwfilter: virtkitd's system driver) ---------- */

/**
 * virNWFilterDefineXML:
 * @conn: a connection
 * @xmlDesc: the filter's XML (<filter name= chain= priority=>, <uuid>,
 *           <rule>s and <filterref>s)
 *
 * Defines a network filter, or replaces the definition of the one with the
 * same name and UUID. The definition is kept (persisted by the driver).
 *
 * Returns a new handle (release it with virNWFilterFree), or NULL in case of
 * error: the common ones, VIR_ERR_OPERATION_DENIED on a read-only
 * connection, the parser's errors for bad XML (VIR_ERR_XML_DETAIL,
 * VIR_ERR_INTERNAL_ERROR "X has illegal value V", VIR_ERR_INVALID_ARG for
 * a bad chain, ...), VIR_ERR_OPERATION_FAILED for a name or UUID used by
 * another filter or a filter reference loop; nothing is changed then.
 */
virNWFilterPtr
virNWFilterDefineXML(virConnectPtr conn, const char *xmlDesc)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(xmlDesc, error);
    VIR_ENTRY_CALL_PTR(nwfilterDriver, nwfilterDefineXML, conn, xmlDesc);
}


/**
 * virNWFilterDefineXMLFlags:
 * @conn: a connection
 * @xmlDesc: the filter's XML
 * @flags: bitwise-OR of virNWFilterDefineFlags (VIR_NWFILTER_DEFINE_VALIDATE:
 *         also refuse elements and attributes libvirt's schema does not have)
 *
 * As virNWFilterDefineXML, with flags.
 *
 * Returns a new handle (release it with virNWFilterFree), or NULL in case of
 * error: as virNWFilterDefineXML, VIR_ERR_INVALID_ARG for unknown flags,
 * VIR_ERR_XML_INVALID_SCHEMA when VALIDATE refuses the document.
 */
virNWFilterPtr
virNWFilterDefineXMLFlags(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(xmlDesc, error);
    VIR_ENTRY_CALL_PTR(nwfilterDriver, nwfilterDefineXMLFlags, conn, xmlDesc, flags);
}


/**
 * virNWFilterUndefine:
 * @nwfilter: a handle
 *
 * Removes the definition of @nwfilter (the handle stays valid until freed).
 * As libvirt 9.0, a filter other filters reference may be undefined; only
 * one a running guest uses is refused, and virtkit starts no guest with
 * a filter.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_NO_NWFILTER
 * if it is gone.
 */
int
virNWFilterUndefine(virNWFilterPtr nwfilter)
{
    VIR_ENTRY(virCheckNWFilterReturn(nwfilter, -1), nwfilter->conn);
    virCheckReadOnlyGoto(conn, error);
    VIR_ENTRY_CALL(nwfilterDriver, nwfilterUndefine, nwfilter);
}


/* ---- bindings ------------------------------------------------------------- */

/**
 * virConnectListAllNWFilterBindings:
 * @conn: a connection
 * @bindings: if not NULL, where to store a NULL-terminated array of new
 *            handles; set to NULL first, whatever the outcome
 * @flags: none defined: 0
 *
 * Lists the bindings of filters to guest interfaces (made by the daemon
 * when a guest with a <filterref> starts, or with
 * virNWFilterBindingCreateXML). Only the system daemon has them; the
 * test driver answers VIR_ERR_NO_SUPPORT, as libvirt's.
 *
 * Returns the number of bindings (and of handles in *@bindings), or -1 in
 * case of error: the common ones, VIR_ERR_INVALID_ARG for flags. The caller
 * releases each handle with virNWFilterBindingFree and the array with free().
 */
int
virConnectListAllNWFilterBindings(virConnectPtr conn, virNWFilterBindingPtr **bindings,
                                  unsigned int flags)
{
    virResetLastError();
    if (bindings)
        *bindings = NULL;
    virCheckConnectReturn(conn, -1);
    VIR_ENTRY_CALL(nwfilterDriver, connectListAllNWFilterBindings, conn, bindings, flags);
}


/**
 * virNWFilterBindingLookupByPortDev:
 * @conn: a connection
 * @portdev: the host side name of a guest interface (e.g. "vnet0")
 *
 * Finds the binding of a filter to that interface.
 *
 * Returns a new handle (release it with virNWFilterBindingFree), or NULL in
 * case of error: the common ones, VIR_ERR_NO_NWFILTER_BINDING if there is
 * none.
 */
virNWFilterBindingPtr
virNWFilterBindingLookupByPortDev(virConnectPtr conn, const char *portdev)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckNonNullArgGoto(portdev, error);
    VIR_ENTRY_CALL_PTR(nwfilterDriver, nwfilterBindingLookupByPortDev, conn, portdev);
}


/**
 * virNWFilterBindingGetXMLDesc:
 * @binding: a handle
 * @flags: none defined: 0
 *
 * The XML of @binding (<filterbinding>).
 *
 * Returns a newly allocated string the caller frees with free(), or NULL in
 * case of error: the common ones, VIR_ERR_NO_NWFILTER_BINDING if it is gone.
 */
char *
virNWFilterBindingGetXMLDesc(virNWFilterBindingPtr binding, unsigned int flags)
{
    VIR_ENTRY(virCheckNWFilterBindingReturn(binding, NULL), binding->conn);
    VIR_ENTRY_CALL_PTR(nwfilterDriver, nwfilterBindingGetXMLDesc, binding, flags);
}


/**
 * virNWFilterBindingCreateXML:
 * @conn: a connection
 * @xml: the binding's XML (<filterbinding>)
 * @flags: bitwise-OR of virNWFilterBindingCreateFlags
 *
 * Applies a filter to a guest interface: the filter named in the XML,
 * with the filters it references and its parameters, becomes rules on
 * the port device (virtkitd: one nftables table of the bridge family,
 * kept across daemon restarts until virNWFilterBindingDelete). With
 * VIR_NWFILTER_BINDING_CREATE_VALIDATE the XML is also checked against
 * libvirt's schema.
 *
 * Returns a new handle (release it with virNWFilterBindingFree), or NULL in
 * case of error (nothing is kept): the common ones, VIR_ERR_OPERATION_DENIED
 * on a read-only connection, VIR_ERR_INVALID_ARG for unknown flags,
 * VIR_ERR_XML_ERROR / VIR_ERR_INTERNAL_ERROR for bad XML ("filter binding
 * has no port dev name", ...), VIR_ERR_OPERATION_FAILED when the port
 * already has a binding, VIR_ERR_INTERNAL_ERROR for a missing filter or
 * variable, VIR_ERR_CONFIG_UNSUPPORTED for what virtkit does not
 * translate (IP address learning, vlan/stp rules, connection states).
 */
virNWFilterBindingPtr
virNWFilterBindingCreateXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(xml, error);
    VIR_ENTRY_CALL_PTR(nwfilterDriver, nwfilterBindingCreateXML, conn, xml, flags);
}


/**
 * virNWFilterBindingDelete:
 * @binding: a handle
 *
 * Removes the filter from the guest interface of @binding (its rules
 * are gone when this returns).
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection,
 * VIR_ERR_NO_NWFILTER_BINDING if it is gone.
 */
int
virNWFilterBindingDelete(virNWFilterBindingPtr binding)
{
    VIR_ENTRY(virCheckNWFilterBindingReturn(binding, -1), binding->conn);
    virCheckReadOnlyGoto(conn, error);
    VIR_ENTRY_CALL(nwfilterDriver, nwfilterBindingDelete, binding);
}
