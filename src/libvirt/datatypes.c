/* datatypes.c: the virConnect and virDomain handles: reference counts, per-connection errors */

#define G_LOG_DOMAIN "virtkit.api.objects"
#include <string.h>

#include "datatypes.h"
#include "driver.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NONE

virConnectPtr
virGetConnect(void)
{
    virConnectPtr conn = g_new0(virConnect, 1);

    conn->refs = 1;
    g_mutex_init(&conn->lock);
    return conn;
}


void
virObjectRefConnect(virConnectPtr conn)
{
    g_atomic_int_inc(&conn->refs);
}


void
virObjectUnrefConnect(virConnectPtr conn)
{
    if (!conn)
        return;
    if (!g_atomic_int_dec_and_test(&conn->refs))
        return;

    if (conn->driver && conn->driver->connectClose)
        conn->driver->connectClose(conn);
    if (conn->closeFreeCb)
        conn->closeFreeCb(conn->closeOpaque);
    virResetError(&conn->err);
    g_free(conn->uri);
    g_mutex_clear(&conn->lock);
    g_free(conn);
}


virDomainPtr
virGetDomain(virConnectPtr conn, const char *name, const unsigned char *uuid, int id)
{
    size_t namelen = strlen(name) + 1;
    virDomainPtr dom;

    /* One allocation for the handle and its name: listing thousands of
     * domains is dominated by allocator calls otherwise. */
    dom = g_malloc0(sizeof(*dom) + namelen);
    dom->refs = 1;
    dom->conn = conn;
    virObjectRefConnect(conn);
    dom->name = (char *)(dom + 1);
    memcpy(dom->name, name, namelen);
    memcpy(dom->uuid, uuid, VIR_UUID_BUFLEN);
    dom->id = id;
    return dom;
}


void
virObjectUnrefDomain(virDomainPtr dom)
{
    if (!dom)
        return;
    if (!g_atomic_int_dec_and_test(&dom->refs))
        return;
    virObjectUnrefConnect(dom->conn);
    g_free(dom); /* the name lives in the same block */
}


void
virConnectCloseCallbackFire(virConnectPtr conn, int reason)
{
    virConnectCloseFunc cb;
    void *opaque;
    virFreeCallback freecb;

    g_mutex_lock(&conn->lock);
    cb = conn->closeCb;
    opaque = conn->closeOpaque;
    freecb = conn->closeFreeCb;
    conn->closeCb = NULL;
    conn->closeOpaque = NULL;
    conn->closeFreeCb = NULL;
    g_mutex_unlock(&conn->lock);

    if (cb)
        cb(conn, reason, opaque);
    if (freecb)
        freecb(opaque);
}


/**
 * virConnGetLastError:
 * @conn: a connection, or NULL
 *
 * The last error of a call on @conn: every failed entry point that
 * dispatches its error on @conn copies it here (failures that find @conn
 * invalid do not). Unlike virGetLastError this is shared by all threads
 * using @conn and is not locked for the reader: another thread's failure
 * may rewrite it while it is read. virConnCopyLastError is the safe form.
 *
 * Returns a pointer owned by @conn (do not free it; valid until @conn is
 * freed), whose code is VIR_ERR_OK (0) if nothing failed or it was reset,
 * or NULL if @conn is NULL. Sets no error.
 */
virErrorPtr
virConnGetLastError(virConnectPtr conn)
{
    if (!conn)
        return NULL;
    return &conn->err;
}


/**
 * virConnCopyLastError:
 * @conn: a connection, or NULL
 * @to: where to copy @conn's last error
 *
 * Copies @conn's last error (see virConnGetLastError) under @conn's lock.
 * @to is cleared first without freeing what it held, so an uninitialized
 * @to is fine but an earlier copy in it leaks: virResetError it first.
 * The caller frees the copy's strings with virResetError(@to).
 *
 * Returns the copied error's code (0 if there was none), or -1 if @to is
 * NULL (nothing written) or @conn is NULL (@to zeroed). Sets no error.
 */
int
virConnCopyLastError(virConnectPtr conn, virErrorPtr to)
{
    if (!to)
        return -1;
    memset(to, 0, sizeof(*to));
    if (!conn)
        return -1;
    g_mutex_lock(&conn->lock);
    virCopyError(&conn->err, to);
    g_mutex_unlock(&conn->lock);
    return to->code;
}


/**
 * virConnResetLastError:
 * @conn: a connection, or NULL (then nothing happens)
 *
 * Clears @conn's last error (code back to VIR_ERR_OK, strings freed),
 * under @conn's lock. The thread's own last error is not touched.
 */
void
virConnResetLastError(virConnectPtr conn)
{
    if (!conn)
        return;
    g_mutex_lock(&conn->lock);
    virResetError(&conn->err);
    g_mutex_unlock(&conn->lock);
}


/**
 * virConnSetErrorFunc:
 * @conn: a connection, or NULL (then nothing happens)
 * @userData: passed to @handler
 * @handler: called for each failed call on @conn, or NULL to use the
 *           process-wide handler of virSetErrorFunc again (by default
 *           virDefaultErrorFunc, which prints to stderr)
 *
 * Sets the error handler of @conn. It runs on the thread of the failed
 * call, after the error was recorded (virGetLastError and
 * virConnGetLastError already show it), with no lock held. Failures that
 * find @conn invalid go to the process-wide handler.
 */
void
virConnSetErrorFunc(virConnectPtr conn, void *userData, virErrorFunc handler)
{
    if (!conn)
        return;
    g_mutex_lock(&conn->lock);
    conn->handler = handler;
    conn->userData = userData;
    g_mutex_unlock(&conn->lock);
}


void
virDispatchError(virConnectPtr conn)
{
    virErrorPtr err = virErrorPrepareDispatch();
    virErrorFunc handler = NULL;
    void *userData = NULL;

    if (conn) {
        g_mutex_lock(&conn->lock);
        virCopyError(err, &conn->err);
        handler = conn->handler;
        userData = conn->userData;
        g_mutex_unlock(&conn->lock);
    }
    virErrorCallHandler(err, handler, userData);
}

/* ---- streams --------------------------------------------------------- */

virStreamPtr
virGetStream(virConnectPtr conn, unsigned int flags)
{
    virStreamPtr st = g_new0(virStream, 1);

    st->refs = 1;
    virObjectRefConnect(conn);
    st->conn = conn;
    st->flags = flags;
    return st;
}

void
virObjectRefStream(virStreamPtr st)
{
    g_atomic_int_inc(&st->refs);
}

void
virObjectUnrefStream(virStreamPtr st)
{
    if (!st || !g_atomic_int_dec_and_test(&st->refs))
        return;
    if (st->privateFree)
        st->privateFree(st->privateData);
    virObjectUnrefConnect(st->conn);
    g_free(st);
}
