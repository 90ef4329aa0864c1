/* datatypes.h: the public virConnect and virDomain objects (reference counted) */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

typedef struct _virHypervisorDriver virHypervisorDriver;

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
