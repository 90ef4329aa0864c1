/* datatypes.h: the public objects (virConnect, virDomain, virNetwork, virStoragePool, ...; reference counted) */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

typedef struct _virHypervisorDriver virHypervisorDriver;
typedef struct _virNetworkDriver virNetworkDriver;
typedef struct _virStorageDriver virStorageDriver;
typedef struct _virNodeDeviceDriver virNodeDeviceDriver;
typedef struct _virSecretDriver virSecretDriver;
typedef struct _virInterfaceDriver virInterfaceDriver;
typedef struct _virNWFilterDriver virNWFilterDriver;

/*
 * virConnect: one open connection. Fields other than refs, err and the
 * close callback are set once by virConnectOpen* and read-only afterwards,
 * so drivers may read them without locking.
 */
struct _virConnect {
    gint refs; /* atomic */
    const virHypervisorDriver *driver;
    void *privateData;  /* owned by the driver; freed by connectClose */
    char *uri;          /* the URI as the user gave it (or the default) */
    unsigned int flags; /* VIR_CONNECT_RO ... */

    /* The secondary drivers (driver.h), chosen by virConnectOpen* with the
     * hypervisor driver; NULL where the connection has none (each public
     * call of that kind then fails with VIR_ERR_NO_SUPPORT). Those of the
     * remote driver share @privateData; the others keep their own state. */
    const virNetworkDriver *networkDriver;
    const virStorageDriver *storageDriver;
    const virNodeDeviceDriver *nodeDeviceDriver;
    const virSecretDriver *secretDriver;
    const virInterfaceDriver *interfaceDriver;
    const virNWFilterDriver *nwfilterDriver;
    /* The storage driver's state for this connection when it is not the
     * process's shared one (a qemu:///embed root's: driver.h,
     * virEmbedStorageOpen); NULL otherwise. Not owned. */
    void *storagePrivateData;

    GMutex lock;  /* protects err, handler, closeCb* */
    virError err; /* last error of this connection */
    virErrorFunc handler;
    void *userData;

    virConnectCloseFunc closeCb;
    void *closeOpaque;
    virFreeCallback closeFreeCb;
};

/* virDomain: a handle naming a domain; holds a reference on its connection. */
struct _virDomain {
    gint refs; /* atomic */
    virConnectPtr conn;
    char *name; /* stored in the same allocation; never reassign */
    unsigned char uuid[VIR_UUID_BUFLEN];
    int id; /* -1 when inactive */
};

/*
 * The handles of the other object kinds, as libvirt's datatypes.h has
 * them: each names its object (by name, UUID, key, ...; the driver looks
 * the object up again on each call and reports NO_<KIND> when it is gone),
 * holds a reference on its connection (a network port on its network), and
 * is freed with its last reference. The identifying fields are set once at
 * creation and never change, so they are read without locking.
 */
struct _virNetwork {
    gint refs; /* atomic */
    virConnectPtr conn;
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
};

struct _virNetworkPort {
    gint refs;         /* atomic */
    virNetworkPtr net; /* a reference */
    unsigned char uuid[VIR_UUID_BUFLEN];
};

struct _virStoragePool {
    gint refs; /* atomic */
    virConnectPtr conn;
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    void *privateData; /* the driver's, freed with @privateDataFreeFunc */
    virFreeCallback privateDataFreeFunc;
};

struct _virStorageVol {
    gint refs; /* atomic */
    virConnectPtr conn;
    char *pool; /* the pool's name */
    char *name;
    char *key; /* unique on the host (libvirt: usually the path) */
    void *privateData;
    virFreeCallback privateDataFreeFunc;
};

struct _virNodeDevice {
    gint refs; /* atomic */
    virConnectPtr conn;
    char *name;
    char *parentName; /* NULL until known; set once (atomically) */
};

struct _virSecret {
    gint refs; /* atomic */
    virConnectPtr conn;
    unsigned char uuid[VIR_UUID_BUFLEN];
    int usageType; /* virSecretUsageType */
    char *usageID; /* "" for VIR_SECRET_USAGE_TYPE_NONE */
};

struct _virInterface {
    gint refs; /* atomic */
    virConnectPtr conn;
    char *name;
    char *mac; /* "" when the interface has none */
};

struct _virNWFilter {
    gint refs; /* atomic */
    virConnectPtr conn;
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
};

/* A snapshot names itself and its domain (a reference on the domain
 * handle, hence on the connection). */
struct _virDomainSnapshot {
    gint refs; /* atomic */
    virDomainPtr domain;
    char *name;
};

/* A checkpoint names itself and its domain (a reference on the domain
 * handle, hence on the connection). */
struct _virDomainCheckpoint {
    gint refs; /* atomic */
    virDomainPtr domain;
    char *name;
};

struct _virNWFilterBinding {
    gint refs; /* atomic */
    virConnectPtr conn;
    char *portdev;
    char *filtername;
};

/* New handles with one reference (taking one on @conn, or on @net); the
 * strings are copied. They never fail for valid arguments (NULL strings
 * are a programming error). virObjectUnref* drops a reference and frees
 * the handle with the last one; NULL is ignored. */
virNetworkPtr virGetNetwork(virConnectPtr conn, const char *name,
                            const unsigned char *uuid);
virNetworkPortPtr virGetNetworkPort(virNetworkPtr net, const unsigned char *uuid);
virStoragePoolPtr virGetStoragePool(virConnectPtr conn, const char *name,
                                    const unsigned char *uuid, void *privateData,
                                    virFreeCallback freeFunc);
virStorageVolPtr virGetStorageVol(virConnectPtr conn, const char *pool, const char *name,
                                  const char *key, void *privateData,
                                  virFreeCallback freeFunc);
virNodeDevicePtr virGetNodeDevice(virConnectPtr conn, const char *name);
virSecretPtr virGetSecret(virConnectPtr conn, const unsigned char *uuid, int usageType,
                          const char *usageID);
virInterfacePtr virGetInterface(virConnectPtr conn, const char *name, const char *mac);
virNWFilterPtr virGetNWFilter(virConnectPtr conn, const char *name,
                              const unsigned char *uuid);
virNWFilterBindingPtr virGetNWFilterBinding(virConnectPtr conn, const char *portdev,
                                            const char *filtername);

virDomainSnapshotPtr virGetDomainSnapshot(virDomainPtr domain, const char *name);
void virObjectUnrefDomainSnapshot(virDomainSnapshotPtr obj);
virDomainCheckpointPtr virGetDomainCheckpoint(virDomainPtr domain, const char *name);
void virObjectUnrefDomainCheckpoint(virDomainCheckpointPtr obj);
void virObjectUnrefNetwork(virNetworkPtr obj);
void virObjectUnrefNetworkPort(virNetworkPortPtr obj);
void virObjectUnrefStoragePool(virStoragePoolPtr obj);
void virObjectUnrefStorageVol(virStorageVolPtr obj);
void virObjectUnrefNodeDevice(virNodeDevicePtr obj);
void virObjectUnrefSecret(virSecretPtr obj);
void virObjectUnrefInterface(virInterfacePtr obj);
void virObjectUnrefNWFilter(virNWFilterPtr obj);
void virObjectUnrefNWFilterBinding(virNWFilterBindingPtr obj);

/* Take a reference on any of the handles above (their first member is
 * the reference count). */
#define virObjectRefHandle(obj) g_atomic_int_inc(&(obj)->refs)

/*
 * virStream: a handle for a data stream (console, upload, download). The
 * backend that moves the bytes is attached by the driver call that opens
 * it (virDomainOpenConsole): @driver and @privateData. Until then every
 * stream operation fails. @driver entries follow the public contract of
 * the matching virStream* function (Send/Recv return -2 for "would block"
 * on a VIR_STREAM_NONBLOCK stream); @privateFree releases @privateData
 * with the last reference.
 */
typedef struct _virStreamDriver virStreamDriver;
struct _virStreamDriver {
    int (*streamSend)(virStreamPtr st, const char *data, size_t nbytes);
    int (*streamRecv)(virStreamPtr st, char *data, size_t nbytes);
    int (*streamEventAddCallback)(virStreamPtr st, int events, virStreamEventCallback cb,
                                  void *opaque, virFreeCallback ff);
    int (*streamEventUpdateCallback)(virStreamPtr st, int events);
    int (*streamEventRemoveCallback)(virStreamPtr st);
    int (*streamFinish)(virStreamPtr st);
    int (*streamAbort)(virStreamPtr st);
    /* Sparse streams (NULL: the stream has no holes, NO_SUPPORT). RecvFlags
     * returns -3 at a hole with VIR_STREAM_RECV_STOP_AT_HOLE; RecvHole takes
     * the hole that stopped it (0 and *length = 0 when there is none);
     * InData (virStreamInData) tells whether the source's position is in
     * data or a hole and how long that section is (hole of 0 = the end). */
    int (*streamRecvFlags)(virStreamPtr st, char *data, size_t nbytes,
                           unsigned int flags);
    int (*streamSendHole)(virStreamPtr st, long long length, unsigned int flags);
    int (*streamRecvHole)(virStreamPtr st, long long *length, unsigned int flags);
    int (*streamInData)(virStreamPtr st, int *inData, long long *length);
};

struct _virStream {
    gint refs;                     /* atomic */
    virConnectPtr conn;            /* a reference */
    unsigned int flags;            /* virStreamFlags */
    const virStreamDriver *driver; /* NULL until a driver opened it */
    void *privateData;
    void (*privateFree)(void *privateData);
};

/* New stream with one reference (takes a reference on @conn). */
virStreamPtr virGetStream(virConnectPtr conn, unsigned int flags);
void virObjectRefStream(virStreamPtr st);
void virObjectUnrefStream(virStreamPtr st);

/* New connection object with one reference; driver fields are filled in by
 * the caller. Never fails. */
virConnectPtr virGetConnect(void);

/* New domain handle with one reference (takes a reference on @conn).
 * @name is copied. Never fails for valid arguments. */
virDomainPtr virGetDomain(virConnectPtr conn, const char *name, const unsigned char *uuid,
                          int id);

/* Take/drop a reference; dropping the last one frees the object. */
void virObjectRefConnect(virConnectPtr conn);
void virObjectUnrefConnect(virConnectPtr conn);
void virObjectUnrefDomain(virDomainPtr dom);

/* Fire the connection's close callback (if any) with @reason, once. */
void virConnectCloseCallbackFire(virConnectPtr conn, int reason);

/* Called by public entry points on failure: copies the thread error to
 * @conn's last error (if conn) and calls @conn's error handler, else the
 * one set by virSetErrorFunc, else the default one (prints to stderr). */
void virDispatchError(virConnectPtr conn);

/* Free one virDomainInterface (virDomainInterfaceAddresses' elements) and
 * its strings and addresses; NULL accepted. The public
 * virDomainInterfaceFree is this; drivers use it on their error paths. */
void virDomainInterfaceFreeInternal(virDomainInterfacePtr iface);
/* virDomainFSInfoFree for the drivers: @info, its strings and aliases; NULL is
 * accepted. */
void virDomainFSInfoFreeInternal(virDomainFSInfoPtr info);
/* virDomainIOThreadInfoFree for the drivers: @info and its map; NULL is
 * accepted. IOThreadInfoListFree: the first @n elements of @list, then
 * @list (NULL accepted). */
void virDomainIOThreadInfoFreeInternal(virDomainIOThreadInfoPtr info);
void virDomainIOThreadInfoListFree(virDomainIOThreadInfoPtr *list, size_t n);
