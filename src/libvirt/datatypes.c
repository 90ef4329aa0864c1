/* datatypes.c: the virConnect and virDomain handles: reference counts, per-connection errors */

#define G_LOG_DOMAIN "virtkit.api.objects"
#include <stdlib.h>
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

/* ---- the other object kinds ------------------------------------------------ */

/* Every handle starts with its reference count; @conn is referenced. */
#define VIR_HANDLE_NEW(type, c)     \
    ({                              \
        type *_h = g_new0(type, 1); \
        _h->refs = 1;               \
        virObjectRefConnect(c);     \
        _h->conn = (c);             \
        _h;                         \
    })

/* Drop a reference; true when it was the last (the caller frees). */
#define VIR_HANDLE_UNREF(obj) ((obj) && g_atomic_int_dec_and_test(&(obj)->refs))

virNetworkPtr
virGetNetwork(virConnectPtr conn, const char *name, const unsigned char *uuid)
{
    virNetworkPtr net = VIR_HANDLE_NEW(virNetwork, conn);

    net->name = g_strdup(name);
    memcpy(net->uuid, uuid, VIR_UUID_BUFLEN);
    return net;
}

void
virObjectUnrefNetwork(virNetworkPtr obj)
{
    if (!VIR_HANDLE_UNREF(obj))
        return;
    virObjectUnrefConnect(obj->conn);
    g_free(obj->name);
    g_free(obj);
}

virNetworkPortPtr
virGetNetworkPort(virNetworkPtr net, const unsigned char *uuid)
{
    virNetworkPortPtr port = g_new0(virNetworkPort, 1);

    port->refs = 1;
    virObjectRefHandle(net);
    port->net = net;
    memcpy(port->uuid, uuid, VIR_UUID_BUFLEN);
    return port;
}

void
virObjectUnrefNetworkPort(virNetworkPortPtr obj)
{
    if (!VIR_HANDLE_UNREF(obj))
        return;
    virObjectUnrefNetwork(obj->net);
    g_free(obj);
}

virDomainSnapshotPtr
virGetDomainSnapshot(virDomainPtr domain, const char *name)
{
    virDomainSnapshotPtr snap = g_new0(virDomainSnapshot, 1);

    snap->refs = 1;
    virObjectRefHandle(domain);
    snap->domain = domain;
    snap->name = g_strdup(name);
    return snap;
}

void
virObjectUnrefDomainSnapshot(virDomainSnapshotPtr obj)
{
    if (!VIR_HANDLE_UNREF(obj))
        return;
    virObjectUnrefDomain(obj->domain);
    g_free(obj->name);
    g_free(obj);
}

virDomainCheckpointPtr
virGetDomainCheckpoint(virDomainPtr domain, const char *name)
{
    virDomainCheckpointPtr cp = g_new0(virDomainCheckpoint, 1);

    cp->refs = 1;
    virObjectRefHandle(domain);
    cp->domain = domain;
    cp->name = g_strdup(name);
    return cp;
}

void
virObjectUnrefDomainCheckpoint(virDomainCheckpointPtr obj)
{
    if (!VIR_HANDLE_UNREF(obj))
        return;
    virObjectUnrefDomain(obj->domain);
    g_free(obj->name);
    g_free(obj);
}

virStoragePoolPtr
virGetStoragePool(virConnectPtr conn, const char *name, const unsigned char *uuid,
                  void *privateData, virFreeCallback freeFunc)
{
    virStoragePoolPtr pool = VIR_HANDLE_NEW(virStoragePool, conn);

    pool->name = g_strdup(name);
    memcpy(pool->uuid, uuid, VIR_UUID_BUFLEN);
    pool->privateData = privateData;
    pool->privateDataFreeFunc = freeFunc;
    return pool;
}

void
virObjectUnrefStoragePool(virStoragePoolPtr obj)
{
    if (!VIR_HANDLE_UNREF(obj))
        return;
    if (obj->privateDataFreeFunc)
        obj->privateDataFreeFunc(obj->privateData);
    virObjectUnrefConnect(obj->conn);
    g_free(obj->name);
    g_free(obj);
}

virStorageVolPtr
virGetStorageVol(virConnectPtr conn, const char *pool, const char *name, const char *key,
                 void *privateData, virFreeCallback freeFunc)
{
    virStorageVolPtr vol = VIR_HANDLE_NEW(virStorageVol, conn);

    vol->pool = g_strdup(pool);
    vol->name = g_strdup(name);
    vol->key = g_strdup(key);
    vol->privateData = privateData;
    vol->privateDataFreeFunc = freeFunc;
    return vol;
}

void
virObjectUnrefStorageVol(virStorageVolPtr obj)
{
    if (!VIR_HANDLE_UNREF(obj))
        return;
    if (obj->privateDataFreeFunc)
        obj->privateDataFreeFunc(obj->privateData);
    virObjectUnrefConnect(obj->conn);
    g_free(obj->pool);
    g_free(obj->name);
    g_free(obj->key);
    g_free(obj);
}

virNodeDevicePtr
virGetNodeDevice(virConnectPtr conn, const char *name)
{
    virNodeDevicePtr dev = VIR_HANDLE_NEW(virNodeDevice, conn);

    dev->name = g_strdup(name);
    return dev;
}

void
virObjectUnrefNodeDevice(virNodeDevicePtr obj)
{
    if (!VIR_HANDLE_UNREF(obj))
        return;
    virObjectUnrefConnect(obj->conn);
    g_free(obj->name);
    g_free(obj->parentName);
    g_free(obj);
}

virSecretPtr
virGetSecret(virConnectPtr conn, const unsigned char *uuid, int usageType,
             const char *usageID)
{
    virSecretPtr secret = VIR_HANDLE_NEW(virSecret, conn);

    memcpy(secret->uuid, uuid, VIR_UUID_BUFLEN);
    secret->usageType = usageType;
    secret->usageID = g_strdup(usageID ? usageID : "");
    return secret;
}

void
virObjectUnrefSecret(virSecretPtr obj)
{
    if (!VIR_HANDLE_UNREF(obj))
        return;
    virObjectUnrefConnect(obj->conn);
    g_free(obj->usageID);
    g_free(obj);
}

virInterfacePtr
virGetInterface(virConnectPtr conn, const char *name, const char *mac)
{
    virInterfacePtr iface = VIR_HANDLE_NEW(virInterface, conn);

    iface->name = g_strdup(name);
    iface->mac = g_strdup(mac ? mac : "");
    return iface;
}

void
virObjectUnrefInterface(virInterfacePtr obj)
{
    if (!VIR_HANDLE_UNREF(obj))
        return;
    virObjectUnrefConnect(obj->conn);
    g_free(obj->name);
    g_free(obj->mac);
    g_free(obj);
}

virNWFilterPtr
virGetNWFilter(virConnectPtr conn, const char *name, const unsigned char *uuid)
{
    virNWFilterPtr filter = VIR_HANDLE_NEW(virNWFilter, conn);

    filter->name = g_strdup(name);
    memcpy(filter->uuid, uuid, VIR_UUID_BUFLEN);
    return filter;
}

void
virObjectUnrefNWFilter(virNWFilterPtr obj)
{
    if (!VIR_HANDLE_UNREF(obj))
        return;
    virObjectUnrefConnect(obj->conn);
    g_free(obj->name);
    g_free(obj);
}

virNWFilterBindingPtr
virGetNWFilterBinding(virConnectPtr conn, const char *portdev, const char *filtername)
{
    virNWFilterBindingPtr binding = VIR_HANDLE_NEW(virNWFilterBinding, conn);

    binding->portdev = g_strdup(portdev);
    binding->filtername = g_strdup(filtername);
    return binding;
}

void
virObjectUnrefNWFilterBinding(virNWFilterBindingPtr obj)
{
    if (!VIR_HANDLE_UNREF(obj))
        return;
    virObjectUnrefConnect(obj->conn);
    g_free(obj->portdev);
    g_free(obj->filtername);
    g_free(obj);
}

/* ---- the shared secondary drivers (driver.h) --------------------------------- */

static const virNetworkDriver *virSharedNetworkDriver;
static const virStorageDriver *virSharedStorageDriver;
static const virNodeDeviceDriver *virSharedNodeDeviceDriver;
static const virSecretDriver *virSharedSecretDriver;
static const virInterfaceDriver *virSharedInterfaceDriver;
static const virNWFilterDriver *virSharedNWFilterDriver;

#define VIR_SHARED_DRIVER(Kind, type, var)              \
    void virSetShared##Kind##Driver(const type *driver) \
    {                                                   \
        g_atomic_pointer_set(&var, driver);             \
    }                                                   \
    const type *virGetShared##Kind##Driver(void)        \
    {                                                   \
        return g_atomic_pointer_get(&var);              \
    }

VIR_SHARED_DRIVER(Network, virNetworkDriver, virSharedNetworkDriver)
VIR_SHARED_DRIVER(Storage, virStorageDriver, virSharedStorageDriver)
VIR_SHARED_DRIVER(NodeDevice, virNodeDeviceDriver, virSharedNodeDeviceDriver)
VIR_SHARED_DRIVER(Secret, virSecretDriver, virSharedSecretDriver)
VIR_SHARED_DRIVER(Interface, virInterfaceDriver, virSharedInterfaceDriver)
VIR_SHARED_DRIVER(NWFilter, virNWFilterDriver, virSharedNWFilterDriver)

static virEmbedStorageOpenFunc virEmbedStorageOpener;

void
virSetEmbedStorageOpener(virEmbedStorageOpenFunc opener)
{
    g_atomic_pointer_set(&virEmbedStorageOpener, opener);
}

int
virEmbedStorageOpen(virConnectPtr conn, const char *root)
{
    virEmbedStorageOpenFunc opener = g_atomic_pointer_get(&virEmbedStorageOpener);

    if (!opener) {
        virReportErrorFull(VIR_FROM_STORAGE, VIR_ERR_NO_SUPPORT, __func__, "%s",
                           "no storage driver in this program for qemu:///embed");
        return -1;
    }
    return opener(conn, root);
}

void
virDomainInterfaceFreeInternal(virDomainInterfacePtr iface)
{
    if (!iface)
        return;
    free(iface->name);
    free(iface->hwaddr);
    for (unsigned int i = 0; i < iface->naddrs; i++)
        free(iface->addrs[i].addr);
    free(iface->addrs);
    free(iface);
}

void
virDomainIOThreadInfoFreeInternal(virDomainIOThreadInfoPtr info)
{
    if (!info)
        return;
    free(info->cpumap);
    free(info);
}

void
virDomainIOThreadInfoListFree(virDomainIOThreadInfoPtr *list, size_t n)
{
    if (!list)
        return;
    for (size_t i = 0; i < n; i++)
        virDomainIOThreadInfoFreeInternal(list[i]);
    free(list);
}

void
virDomainFSInfoFreeInternal(virDomainFSInfoPtr info)
{
    if (!info)
        return;
    free(info->mountpoint);
    free(info->name);
    free(info->fstype);
    for (size_t i = 0; i < info->ndevAlias; i++)
        free(info->devAlias[i]);
    free(info->devAlias);
    free(info);
}
