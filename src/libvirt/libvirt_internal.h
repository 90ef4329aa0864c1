/* libvirt_internal.h: argument checks shared by the public entry points (src/libvirt only) */
#pragma once

#include "datatypes.h"
#include "driver.h"
#include "virerror.h"

/*
 * Each public entry point: virResetLastError(); these checks; dispatch to
 * conn->driver; on failure virDispatchError(conn). The messages and the
 * error fields (str1 = function, str2 = argument) are libvirt 9.0's.
 * Every file using them defines VIR_FROM_THIS first: libvirt reports
 * argument errors of libvirt.c with VIR_FROM_NONE and of the connection
 * and domain entry points with VIR_FROM_DOMAIN; an invalid domain pointer
 * is always VIR_FROM_DOM.
 */

/* INVALID_ARG with a message used as is (libvirt's virReportInvalidArg). */
void virAPIReportInvalidArg(int domain, const char *funcname, const char *argname,
                            const char *fmt, ...) G_GNUC_PRINTF(4, 5);

bool virAPIConnectIsValid(virConnectPtr conn);
bool virAPIDomainIsValid(virDomainPtr dom);

/* libvirt's VIR_EXCLUSIVE_FLAGS_* / VIR_REQUIRE_FLAG_*: INVALID_ARG in
 * @domain naming the flags ("Flags 'A' and 'B' are mutually exclusive",
 * "Flag 'B' is required by flag 'A'") when @flags has both @a and @b /
 * @a without @b; 0 otherwise. virAPIExclusiveFlags / virAPIRequireFlag
 * take the caller's VIR_FROM_THIS, __func__ and its @flags. */
int virAPICheckFlagsExclusive(int domain, const char *funcname, unsigned int flags,
                              unsigned int a, const char *na, unsigned int b,
                              const char *nb);
int virAPICheckFlagsRequire(int domain, const char *funcname, unsigned int flags,
                            unsigned int a, const char *na, unsigned int b,
                            const char *nb);
#define virAPIExclusiveFlags(a, b) \
    virAPICheckFlagsExclusive(VIR_FROM_THIS, __func__, flags, a, #a, b, #b)
#define virAPIRequireFlag(a, b) \
    virAPICheckFlagsRequire(VIR_FROM_THIS, __func__, flags, a, #a, b, #b)

/* A snapshot or checkpoint handle ("domain moments": a name and a
 * referenced domain) that is not valid: @code (INVALID_DOMAIN_SNAPSHOT,
 * INVALID_DOMAIN_CHECKPOINT) in @errdom, dispatched, @retval returned. */
#define virCheckDomainMomentReturn(obj, errdom, code, retval)           \
    do {                                                                \
        if (!(obj) || g_atomic_int_get(&(obj)->refs) <= 0 ||            \
            !virAPIDomainIsValid((obj)->domain)) {                      \
            virReportErrorFull(errdom, code, __func__, "%s", __func__); \
            virDispatchError(NULL);                                     \
            return retval;                                              \
        }                                                               \
    } while (0)

#define virCheckConnectReturn(conn, retval)                       \
    do {                                                          \
        if (!virAPIConnectIsValid(conn)) {                        \
            virReportError(VIR_ERR_INVALID_CONN, "%s", __func__); \
            virDispatchError(NULL);                               \
            return retval;                                        \
        }                                                         \
    } while (0)

#define virCheckDomainReturn(dom, retval)                                            \
    do {                                                                             \
        if (!virAPIDomainIsValid(dom)) {                                             \
            virReportErrorFull(VIR_FROM_DOM, VIR_ERR_INVALID_DOMAIN, __func__, "%s", \
                               __func__);                                            \
            virDispatchError(NULL);                                                  \
            return retval;                                                           \
        }                                                                            \
    } while (0)

#define virCheckNonNullArgGoto(arg, label)                                       \
    do {                                                                         \
        if (!(arg)) {                                                            \
            virAPIReportInvalidArg(VIR_FROM_THIS, __func__, #arg,                \
                                   "%s in %s must not be NULL", #arg, __func__); \
            goto label;                                                          \
        }                                                                        \
    } while (0)

/* An array argument may be NULL only when its size is 0. */
#define virCheckNonNullArrayArgGoto(arg, size, label)                            \
    do {                                                                         \
        if (!(arg) && (size) > 0) {                                              \
            virAPIReportInvalidArg(VIR_FROM_THIS, __func__, #arg,                \
                                   "%s in %s must not be NULL", #arg, __func__); \
            goto label;                                                          \
        }                                                                        \
    } while (0)

#define virCheckNonNegativeArgGoto(arg, label)                                          \
    do {                                                                                \
        if ((arg) < 0) {                                                                \
            virAPIReportInvalidArg(VIR_FROM_THIS, __func__, #arg,                       \
                                   "%s in %s must be zero or greater", #arg, __func__); \
            goto label;                                                                 \
        }                                                                               \
    } while (0)

#define virCheckPositiveArgGoto(arg, label)                                    \
    do {                                                                       \
        if ((arg) <= 0) {                                                      \
            virAPIReportInvalidArg(VIR_FROM_THIS, __func__, #arg,              \
                                   "%s in %s must be greater than zero", #arg, \
                                   __func__);                                  \
            goto label;                                                        \
        }                                                                      \
    } while (0)

/* libvirt's virTypedParameterValidateSet for a Set call's @params: a field
 * name that fills VIR_TYPED_PARAM_FIELD_LENGTH (no room for its NUL) or a
 * NULL string value is INVALID_ARG in VIR_FROM_NONE (libvirt reports it
 * from its util layer) naming @funcname; 0 when every entry is sound. */
int virAPITypedParamsValidateSet(const char *funcname, virTypedParameterPtr params,
                                 int nparams);

#define virCheckReadOnlyGoto(conn, label)                                            \
    do {                                                                             \
        if ((conn)->flags & VIR_CONNECT_RO) {                                        \
            virReportError(VIR_ERR_OPERATION_DENIED, "read only access prevents %s", \
                           __func__);                                                \
            goto label;                                                              \
        }                                                                            \
    } while (0)

/*
 * The calls every handle kind answers from the handle alone, one
 * definition each (the public contract block stays above each use):
 * @check is the kind's virCheck<Kind>Return, @connpath the
 * path of the handle's connection (conn, net->conn), where errors are
 * dispatched. Ref takes one more reference, Free drops one (@unref, the kind's
 * virObjectUnref<Kind>), Get returns the @field of the handle (lent),
 * GetUUID / GetUUIDString copy or format its UUID (INVALID_ARG for a NULL
 * buffer).
 */
#define VIR_HANDLE_REF(func, type, check) \
    int func(type obj)                    \
    {                                     \
        virResetLastError();              \
        check(obj, -1);                   \
        virObjectRefHandle(obj);          \
        return 0;                         \
    }
#define VIR_HANDLE_FREE(func, type, check, unref) \
    int func(type obj)                            \
    {                                             \
        virResetLastError();                      \
        check(obj, -1);                           \
        unref(obj);                               \
        return 0;                                 \
    }
#define VIR_HANDLE_GET(func, rettype, type, check, field) \
    rettype func(type obj)                                \
    {                                                     \
        virResetLastError();                              \
        check(obj, NULL);                                 \
        return obj->field;                                \
    }
#define VIR_HANDLE_GET_UUID(func, type, check, connpath) \
    int func(type obj, unsigned char *uuid)              \
    {                                                    \
        virResetLastError();                             \
        check(obj, -1);                                  \
        virCheckNonNullArgGoto(uuid, error);             \
        memcpy(uuid, obj->uuid, VIR_UUID_BUFLEN);        \
        return 0;                                        \
error:                                                   \
        virDispatchError(obj->connpath);                 \
        return -1;                                       \
    }
#define VIR_HANDLE_GET_UUID_STRING(func, type, check, connpath) \
    int func(type obj, char *buf)                               \
    {                                                           \
        virResetLastError();                                    \
        check(obj, -1);                                         \
        virCheckNonNullArgGoto(buf, error);                     \
        virUUIDFormat(obj->uuid, buf);                          \
        return 0;                                               \
error:                                                          \
        virDispatchError(obj->connpath);                        \
        return -1;                                              \
    }

/*
 * The connection-level calls of the object kinds that only check their
 * arguments and hand them to the kind's driver (@table: conn's
 * networkDriver, storageDriver, ...; @member: its entry), one definition
 * each: NumOf* (-1 on error), List*Names (the names/maxnames checks),
 * lookups by a string argument @arg (NULL refused with INVALID_ARG) or by
 * raw UUID, and by printable UUID (refused as libvirt: "uuidstr in <func>
 * must be a valid UUID"; "not supported" names @uuidapi, the raw-UUID
 * call). A missing entry fails with NO_SUPPORT; every failure is
 * dispatched on conn.
 */
#define VIR_CONNECT_CALL_TAIL(failval) \
    virReportUnsupportedError();       \
error:                                 \
    virDispatchError(conn);            \
    return failval;

#define VIR_CONNECT_CALL_NUM(func, table, member)      \
    int func(virConnectPtr conn)                       \
    {                                                  \
        int ret;                                       \
        virResetLastError();                           \
        virCheckConnectReturn(conn, -1);               \
        if (conn->table && conn->table->member) {      \
            if ((ret = conn->table->member(conn)) < 0) \
                goto error;                            \
            return ret;                                \
        }                                              \
        VIR_CONNECT_CALL_TAIL(-1)                      \
    }
#define VIR_CONNECT_CALL_LIST_NAMES(func, table, member)                \
    int func(virConnectPtr conn, char **const names, int maxnames)      \
    {                                                                   \
        int ret;                                                        \
        virResetLastError();                                            \
        virCheckConnectReturn(conn, -1);                                \
        virCheckNonNullArrayArgGoto(names, maxnames, error);            \
        virCheckNonNegativeArgGoto(maxnames, error);                    \
        if (conn->table && conn->table->member) {                       \
            if ((ret = conn->table->member(conn, names, maxnames)) < 0) \
                goto error;                                             \
            return ret;                                                 \
        }                                                               \
        VIR_CONNECT_CALL_TAIL(-1)                                       \
    }
#define VIR_CONNECT_CALL_LOOKUP(func, rettype, table, member, arg) \
    rettype func(virConnectPtr conn, const char *arg)              \
    {                                                              \
        rettype ret;                                               \
        virResetLastError();                                       \
        virCheckConnectReturn(conn, NULL);                         \
        virCheckNonNullArgGoto(arg, error);                        \
        if (conn->table && conn->table->member) {                  \
            if (!(ret = conn->table->member(conn, arg)))           \
                goto error;                                        \
            return ret;                                            \
        }                                                          \
        VIR_CONNECT_CALL_TAIL(NULL)                                \
    }
#define VIR_CONNECT_CALL_LOOKUP_UUID(func, rettype, table, member) \
    rettype func(virConnectPtr conn, const unsigned char *uuid)    \
    {                                                              \
        rettype ret;                                               \
        virResetLastError();                                       \
        virCheckConnectReturn(conn, NULL);                         \
        virCheckNonNullArgGoto(uuid, error);                       \
        if (conn->table && conn->table->member) {                  \
            if (!(ret = conn->table->member(conn, uuid)))          \
                goto error;                                        \
            return ret;                                            \
        }                                                          \
        VIR_CONNECT_CALL_TAIL(NULL)                                \
    }
#define VIR_CONNECT_CALL_LOOKUP_UUID_STRING(func, rettype, table, member, uuidapi)  \
    rettype func(virConnectPtr conn, const char *uuidstr)                           \
    {                                                                               \
        unsigned char uuid[VIR_UUID_BUFLEN];                                        \
        rettype ret;                                                                \
        virResetLastError();                                                        \
        virCheckConnectReturn(conn, NULL);                                          \
        virCheckNonNullArgGoto(uuidstr, error);                                     \
        if (virUUIDParse(uuidstr, uuid) < 0) {                                      \
            virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "uuidstr",              \
                                   "uuidstr in %s must be a valid UUID", __func__); \
            goto error;                                                             \
        }                                                                           \
        if (conn->table && conn->table->member) {                                   \
            if (!(ret = conn->table->member(conn, uuid)))                           \
                goto error;                                                         \
            return ret;                                                             \
        }                                                                           \
        virReportError(VIR_ERR_NO_SUPPORT, "%s", #uuidapi);                         \
error:                                                                              \
        virDispatchError(conn);                                                     \
        return NULL;                                                                \
    }

/*
 * The event (de)registration of the object kinds other than domains:
 * @objtype @objarg (NULL: every object; else valid and of @conn, refused
 * with INVALID_ARG "<noun> '<obj->@idfield>' in <func> must match
 * connection"), a non-NULL @cbtype cb, an eventID in [0, @lastid], then
 * the kind's driver (@table->@member); -1 after dispatching the error.
 */
#define VIR_CONNECT_EVENT_REGISTER(func, objtype, objarg, cbtype, check, noun, idfield,  \
                                   lastid, table, member)                                \
    int func(virConnectPtr conn, objtype objarg, int eventID, cbtype cb, void *opaque,   \
             virFreeCallback freecb)                                                     \
    {                                                                                    \
        int ret;                                                                         \
        virResetLastError();                                                             \
        virCheckConnectReturn(conn, -1);                                                 \
        if (objarg) {                                                                    \
            check(objarg, -1);                                                           \
            if (objarg->conn != conn) {                                                  \
                virAPIReportInvalidArg(VIR_FROM_THIS, __func__, #objarg,                 \
                                       noun " '%s' in %s must match connection",         \
                                       objarg->idfield, __func__);                       \
                goto error;                                                              \
            }                                                                            \
        }                                                                                \
        virCheckNonNullArgGoto(cb, error);                                               \
        if (eventID < 0 || eventID >= lastid + 1) {                                      \
            virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "eventID",                   \
                                   "eventID in %s must be less than %d", __func__,       \
                                   lastid + 1);                                          \
            goto error;                                                                  \
        }                                                                                \
        if (conn->table && conn->table->member) {                                        \
            if ((ret = conn->table->member(conn, objarg, eventID, cb, opaque, freecb)) < \
                0)                                                                       \
                goto error;                                                              \
            return ret;                                                                  \
        }                                                                                \
        VIR_CONNECT_CALL_TAIL(-1)                                                        \
    }
#define VIR_CONNECT_EVENT_DEREGISTER(func, table, member)          \
    int func(virConnectPtr conn, int callbackID)                   \
    {                                                              \
        int ret;                                                   \
        virResetLastError();                                       \
        virCheckConnectReturn(conn, -1);                           \
        virCheckNonNegativeArgGoto(callbackID, error);             \
        if (conn->table && conn->table->member) {                  \
            if ((ret = conn->table->member(conn, callbackID)) < 0) \
                goto error;                                        \
            return ret;                                            \
        }                                                          \
        VIR_CONNECT_CALL_TAIL(-1)                                  \
    }

#define virReportUnsupportedError() virReportError(VIR_ERR_NO_SUPPORT, "%s", __func__)

/*
 * The body of an entry point that checks its handle and arguments, then
 * hands them to its driver, written once:
 *
 *     VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
 *     virCheckReadOnlyGoto(conn, error);     (the call's own checks, each
 *                                             "goto error")
 *     VIR_ENTRY_CALL(driver, domainSuspend, dom);
 *
 * VIR_ENTRY clears the thread's last error, returns @check's failure value
 * for an invalid handle (nothing dispatched: the check does that) and names
 * the handle's connection @connexpr conn. VIR_ENTRY_CONNECT(failval) does
 * the same for a call whose handle is the connection conn itself.
 * VIR_ENTRY_CALL returns what conn->@table->@member returns, -1 when it
 * fails; VIR_ENTRY_CALL_ZERO returns 0 when it succeeds; VIR_ENTRY_CALL_PTR
 * returns its pointer, NULL when it fails. A table or member the
 * connection's driver lacks is VIR_ERR_NO_SUPPORT naming the public
 * function; every failure (the checks' too) is dispatched once, on conn.
 * Each ends the function. VIR_ENTRY_DRIVER_CALL_ZERO is VIR_ENTRY_CALL_ZERO
 * for a handle that carries its own driver table @drv (a stream's
 * st->driver; NULL counts as lacking the member).
 */
#define VIR_ENTRY(check, connexpr) \
    virConnectPtr conn;            \
    virResetLastError();           \
    check;                         \
    conn = (connexpr)
#define VIR_ENTRY_CONNECT(failval) \
    virResetLastError();           \
    virCheckConnectReturn(conn, failval)
#define VIR_ENTRY_CALL_TAIL_(failval) \
    virReportUnsupportedError();      \
error:                                \
    virDispatchError(conn);           \
    return failval
#define VIR_ENTRY_CALL(table, member, ...)                \
    if (conn->table && conn->table->member) {             \
        int entryRet_ = conn->table->member(__VA_ARGS__); \
        if (entryRet_ < 0)                                \
            goto error;                                   \
        return entryRet_;                                 \
    }                                                     \
    VIR_ENTRY_CALL_TAIL_(-1)
#define VIR_ENTRY_DRIVER_CALL_ZERO(drv, member, ...) \
    if ((drv) && (drv)->member) {                    \
        if ((drv)->member(__VA_ARGS__) < 0)          \
            goto error;                              \
        return 0;                                    \
    }                                                \
    VIR_ENTRY_CALL_TAIL_(-1)
#define VIR_ENTRY_CALL_ZERO(table, member, ...) \
    VIR_ENTRY_DRIVER_CALL_ZERO(conn->table, member, __VA_ARGS__)
#define VIR_ENTRY_CALL_PTR(table, member, ...)                   \
    if (conn->table && conn->table->member) {                    \
        __typeof__(conn->table->member(__VA_ARGS__)) entryRet_ = \
            conn->table->member(__VA_ARGS__);                    \
        if (!entryRet_)                                          \
            goto error;                                          \
        return entryRet_;                                        \
    }                                                            \
    VIR_ENTRY_CALL_TAIL_(NULL)

/* The handles of the other object kinds: valid while referenced and
 * attached to a valid connection; each kind's error code and domain are
 * libvirt's (virCheckNetworkReturn: VIR_ERR_INVALID_NETWORK in
 * VIR_FROM_NETWORK, ...), with the function's name as the message. */
#define virCheckHandleReturn(obj, conn, from, code, retval)           \
    do {                                                              \
        if (!(obj) || g_atomic_int_get(&(obj)->refs) <= 0 ||          \
            !virAPIConnectIsValid(conn)) {                            \
            virReportErrorFull(from, code, __func__, "%s", __func__); \
            virDispatchError(NULL);                                   \
            return retval;                                            \
        }                                                             \
    } while (0)

#define virCheckNetworkReturn(obj, retval)                                            \
    virCheckHandleReturn(obj, (obj)->conn, VIR_FROM_NETWORK, VIR_ERR_INVALID_NETWORK, \
                         retval)
#define virCheckNetworkPortReturn(obj, retval)                    \
    virCheckHandleReturn(obj, (obj)->net->conn, VIR_FROM_NETWORK, \
                         VIR_ERR_INVALID_NETWORK_PORT, retval)
#define virCheckStoragePoolReturn(obj, retval)               \
    virCheckHandleReturn(obj, (obj)->conn, VIR_FROM_STORAGE, \
                         VIR_ERR_INVALID_STORAGE_POOL, retval)
#define virCheckStorageVolReturn(obj, retval)                \
    virCheckHandleReturn(obj, (obj)->conn, VIR_FROM_STORAGE, \
                         VIR_ERR_INVALID_STORAGE_VOL, retval)
#define virCheckNodeDeviceReturn(obj, retval)                \
    virCheckHandleReturn(obj, (obj)->conn, VIR_FROM_NODEDEV, \
                         VIR_ERR_INVALID_NODE_DEVICE, retval)
#define virCheckSecretReturn(obj, retval)                                           \
    virCheckHandleReturn(obj, (obj)->conn, VIR_FROM_SECRET, VIR_ERR_INVALID_SECRET, \
                         retval)
#define virCheckInterfaceReturn(obj, retval)                   \
    virCheckHandleReturn(obj, (obj)->conn, VIR_FROM_INTERFACE, \
                         VIR_ERR_INVALID_INTERFACE, retval)
#define virCheckNWFilterReturn(obj, retval)                                             \
    virCheckHandleReturn(obj, (obj)->conn, VIR_FROM_NWFILTER, VIR_ERR_INVALID_NWFILTER, \
                         retval)
#define virCheckNWFilterBindingReturn(obj, retval)            \
    virCheckHandleReturn(obj, (obj)->conn, VIR_FROM_NWFILTER, \
                         VIR_ERR_INVALID_NWFILTER_BINDING, retval)
