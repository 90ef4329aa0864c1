/* remote_dispatch_priv.h: shared between the remote_dispatch*.c files */
#pragma once

#include <libvirt/libvirt.h>
#include "datatypes.h"
#include "remote_dispatch.h"
#include "remote_protocol.h"

/* Domain handles made here are released without touching the thread's
 * last error (virDomainFree would reset it before it is sent). */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomain, virObjectUnrefDomain)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainSnapshot, virObjectUnrefDomainSnapshot)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainCheckpoint, virObjectUnrefDomainCheckpoint)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetwork, virObjectUnrefNetwork)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetworkPort, virObjectUnrefNetworkPort)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virStoragePool, virObjectUnrefStoragePool)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virStorageVol, virObjectUnrefStorageVol)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNodeDevice, virObjectUnrefNodeDevice)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virSecret, virObjectUnrefSecret)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virInterface, virObjectUnrefInterface)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNWFilter, virObjectUnrefNWFilter)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNWFilterBinding, virObjectUnrefNWFilterBinding)

/*
 * Per-client dispatch state. @lock protects every field; it is never held
 * across a call into the public API (those may wait on a guest).
 */
typedef struct _vkdDispatchClient vkdDispatchClient;
struct _vkdDispatchClient {
    GMutex lock;
    virConnectPtr conn; /* NULL until CONNECT_OPEN; then owned */
    bool readonly;      /* opened read-only */
    bool closed;        /* CONNECT_CLOSE or gone: no new open */
    GPtrArray *events;  /* vkdEventReg * (lent; owned by the driver) */
    bool closeCallback; /* 360 registered */
    GPtrArray *replays; /* startup events waiting for the client (event.c) */
    GPtrArray *streams; /* vkdStream * (one reference each; stream.c) */
};

/* One call being dispatched (worker thread). */
typedef struct _vkdCall vkdCall;
struct _vkdCall {
    virNetServerClient *client;
    vkdDispatchClient *dc;
    const virNetMessageHeader *hdr;
    /* The call's frame: a CALL_WITH_FDS's descriptors are taken with
     * virNetMessageTakeFD(call->msg, i) (those not taken are closed). */
    virNetMessage *msg;
    /* Descriptors the reply passes (REPLY_WITH_FDS; fds=out procedures):
     * set by the handler, owned by the call, closed if not sent. */
    int *replyFds;
    size_t nreplyFds;
    virConnectPtr conn; /* a reference, or NULL before OPEN */
    /* Run after a successful reply was queued (e.g. replaying events that
     * must follow the registration reply); @afterFree releases afterData. */
    void (*after)(vkdCall *call);
    void *afterData;
    GDestroyNotify afterFree;
    /* Set by a handler that encodes its reply from its own objects (the
     * wire form of the procedure's ret, ENCODE only) instead of filling
     * ret: the reply is @replyFilter applied to @replyObj; @replyObj is
     * released through afterFree/afterData. */
    virXdrFilter replyFilter;
    void *replyObj;
};

typedef int (*vkdHandler)(vkdCall *call, void *args, void *ret);

/* Handlers: 0 with @ret filled, or -1 with the error reported (public API
 * error, or virReportError from here). */
#define VKD_HANDLER(name) int name(vkdCall *call, void *args, void *ret)

/* Domain handle for a wire domain on @conn (no lookup: the driver reports
 * NO_DOMAIN when it is gone). */
virDomainPtr vkdDomainFromWire(virConnectPtr conn, const remote_nonnull_domain *d);
/* Fill @out from @dom (name copied). */
void vkdDomainToWire(remote_nonnull_domain *out, virDomainPtr dom);

/* The same pair for every other object kind (vkrpcgen_stubs.py OBJKINDS):
 * FromWire makes a new handle on @conn, ToWire copies into @out. */
virDomainCheckpointPtr
vkdDomainCheckpointFromWire(virConnectPtr conn,
                            const remote_nonnull_domain_checkpoint *w);
void vkdDomainCheckpointToWire(remote_nonnull_domain_checkpoint *out,
                               virDomainCheckpointPtr obj);
virDomainSnapshotPtr vkdDomainSnapshotFromWire(virConnectPtr conn,
                                               const remote_nonnull_domain_snapshot *w);
void vkdDomainSnapshotToWire(remote_nonnull_domain_snapshot *out,
                             virDomainSnapshotPtr obj);
virNetworkPtr vkdNetworkFromWire(virConnectPtr conn, const remote_nonnull_network *w);
void vkdNetworkToWire(remote_nonnull_network *out, virNetworkPtr obj);
virNetworkPortPtr vkdNetworkPortFromWire(virConnectPtr conn,
                                         const remote_nonnull_network_port *w);
void vkdNetworkPortToWire(remote_nonnull_network_port *out, virNetworkPortPtr obj);
virStoragePoolPtr vkdStoragePoolFromWire(virConnectPtr conn,
                                         const remote_nonnull_storage_pool *w);
void vkdStoragePoolToWire(remote_nonnull_storage_pool *out, virStoragePoolPtr obj);
virStorageVolPtr vkdStorageVolFromWire(virConnectPtr conn,
                                       const remote_nonnull_storage_vol *w);
void vkdStorageVolToWire(remote_nonnull_storage_vol *out, virStorageVolPtr obj);
virNodeDevicePtr vkdNodeDeviceFromWire(virConnectPtr conn,
                                       const remote_nonnull_node_device *w);
void vkdNodeDeviceToWire(remote_nonnull_node_device *out, virNodeDevicePtr obj);
virSecretPtr vkdSecretFromWire(virConnectPtr conn, const remote_nonnull_secret *w);
void vkdSecretToWire(remote_nonnull_secret *out, virSecretPtr obj);
virInterfacePtr vkdInterfaceFromWire(virConnectPtr conn,
                                     const remote_nonnull_interface *w);
void vkdInterfaceToWire(remote_nonnull_interface *out, virInterfacePtr obj);
virNWFilterPtr vkdNWFilterFromWire(virConnectPtr conn, const remote_nonnull_nwfilter *w);
void vkdNWFilterToWire(remote_nonnull_nwfilter *out, virNWFilterPtr obj);
virNWFilterBindingPtr
vkdNWFilterBindingFromWire(virConnectPtr conn, const remote_nonnull_nwfilter_binding *w);
void vkdNWFilterBindingToWire(remote_nonnull_nwfilter_binding *out,
                              virNWFilterBindingPtr obj);

extern const vkdConfig *vkdDispatchConfig;

/* remote_dispatch_event.c */
VKD_HANDLER(vkdDispatchEventRegisterAny);              /* 316 */
VKD_HANDLER(vkdDispatchEventDeregisterAny);            /* 317 */
VKD_HANDLER(vkdDispatchEventRegisterLegacy);           /* 167 */
VKD_HANDLER(vkdDispatchEventDeregisterLegacy);         /* 168 */
VKD_HANDLER(vkdDispatchEventRegisterLifecycle);        /* 105 */
VKD_HANDLER(vkdDispatchEventDeregisterLifecycle);      /* 106 */
VKD_HANDLER(vkdDispatchCloseCallbackRegister);         /* 360 */
VKD_HANDLER(vkdDispatchCloseCallbackUnregister);       /* 361 */
VKD_HANDLER(vkdDispatchNetworkEventRegisterAny);       /* 313 */
VKD_HANDLER(vkdDispatchNetworkEventDeregisterAny);     /* 314 */
VKD_HANDLER(vkdDispatchStoragePoolEventRegisterAny);   /* 368 */
VKD_HANDLER(vkdDispatchStoragePoolEventDeregisterAny); /* 369 */
VKD_HANDLER(vkdDispatchNodeDeviceEventRegisterAny);    /* 374 */
VKD_HANDLER(vkdDispatchNodeDeviceEventDeregisterAny);  /* 375 */
VKD_HANDLER(vkdDispatchSecretEventRegisterAny);        /* 380 */
VKD_HANDLER(vkdDispatchSecretEventDeregisterAny);      /* 381 */
/* Send (@send) or drop the startup events held for @dc's new
 * registrations (any thread). */
void vkdDispatchFlushReplays(vkdDispatchClient *dc, bool send);
/* Drop every registration of @dc on @conn (client closing). */
void vkdDispatchEventsDropAll(vkdDispatchClient *dc, virConnectPtr conn);

/* remote_dispatch_objects.c */
VKD_HANDLER(vkdDispatchNodeDeviceGetParent); /* 115 */
VKD_HANDLER(vkdDispatchSecretSetValue);      /* 144 */
VKD_HANDLER(vkdDispatchSecretGetValue);      /* 145 */

/* remote_dispatch_network.c */
VKD_HANDLER(vkdDispatchNetworkGetDHCPLeases);     /* 341 */
VKD_HANDLER(vkdDispatchDomainInterfaceAddresses); /* 353 */
VKD_HANDLER(vkdDispatchNetworkPortGetParameters); /* 407 */
VKD_HANDLER(vkdDispatchNetworkPortSetParameters); /* 408 */
/* remote_dispatch_storage.c */
VKD_HANDLER(vkdDispatchStoragePoolGetInfo);      /* 87 */
VKD_HANDLER(vkdDispatchStorageVolGetInfo);       /* 98 */
VKD_HANDLER(vkdDispatchStorageVolGetInfoFlags);  /* 378 */
VKD_HANDLER(vkdDispatchStorageVolCreateXMLFrom); /* 125 */
VKD_HANDLER(vkdDispatchStorageVolUpload);        /* 208 */
VKD_HANDLER(vkdDispatchStorageVolDownload);      /* 209 */

/* remote_dispatch_stream.c */
typedef struct _vkdStream vkdStream;
VKD_HANDLER(vkdDispatchDomainOpenConsole); /* 201 */
VKD_HANDLER(vkdDispatchDomainOpenChannel);
VKD_HANDLER(vkdDispatchDomainScreenshot);     /* 211 */
VKD_HANDLER(vkdDispatchDomainOpenGraphics);   /* 249 */
VKD_HANDLER(vkdDispatchDomainOpenGraphicsFD); /* 343 */
/* A stream for @call (its header gives the serial), carrying @st (owned);
 * added to the client's list. The caller holds one reference: give it to
 * vkdStreamRelease. vkdStreamStart (after the reply) starts the data. */
vkdStream *vkdStreamNew(vkdCall *call, virStreamPtr st);
/* The same; @allowSkip: a sparse transfer (holes both ways; the
 * procedure's SPARSE_STREAM flag). The source's stream driver gives
 * holes through its InData entry (virFDStreamOpenFile with sparse). */
vkdStream *vkdStreamNewFull(vkdCall *call, virStreamPtr st, bool allowSkip);
/* What a handler that opened @st (owned from now on) calls last before
 * returning 0: the stream is created and its data starts once the reply
 * is queued. E.g. a volume upload:
 *     virStreamNew(call->conn, VIR_STREAM_NONBLOCK), virStorageVolUpload(...),
 *     vkdStreamAttach(call, st, flags & VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM). */
void vkdStreamAttach(vkdCall *call, virStreamPtr st, bool allowSkip);
void vkdStreamStart(vkdStream *s);
void vkdStreamRelease(vkdStream *s);
/* Abort every stream of @dc (the client's close job). */
void vkdDispatchStreamsCloseAll(vkdDispatchClient *dc);

/* remote_dispatch_domain.c: one handler per domain procedure */
VKD_HANDLER(vkdDispatchCreateWithFlags);
VKD_HANDLER(vkdDispatchGetMaxMemory);
VKD_HANDLER(vkdDispatchGetSecurityLabel);
VKD_HANDLER(vkdDispatchDomainSaveParams);     /* 440 */
VKD_HANDLER(vkdDispatchDomainRestoreParams);  /* 441 */
VKD_HANDLER(vkdDispatchDomainBlockPeek);      /* 103 */
VKD_HANDLER(vkdDispatchDomainMemoryPeek);     /* 104 */
VKD_HANDLER(vkdDispatchGetSecurityLabelList); /* 278 */
VKD_HANDLER(vkdDispatchGetMessages);          /* 426 */

/* remote_dispatch_host.c */
VKD_HANDLER(vkdDispatchNodeGetFreeMemory);      /* 102 */
VKD_HANDLER(vkdDispatchNodeGetCellsFreeMemory); /* 101 */
VKD_HANDLER(vkdDispatchNodeGetFreePages);       /* 340 */
VKD_HANDLER(vkdDispatchNodeAllocPages);         /* 347 */
/* remote_dispatch_hostcpu.c */
VKD_HANDLER(vkdDispatchConnectGetCPUModelNames);      /* 312 */
VKD_HANDLER(vkdDispatchConnectBaselineCPU);           /* 162 */
VKD_HANDLER(vkdDispatchConnectBaselineHypervisorCPU); /* 394 */
VKD_HANDLER(vkdDispatchDomainSendKey);                /* 226 */
VKD_HANDLER(vkdDispatchNodeGetMemoryParameters);      /* 289 */
VKD_HANDLER(vkdDispatchNodeSetMemoryParameters);      /* 288 */

/* remote_dispatch_sched.c */
VKD_HANDLER(vkdDispatchGetSchedulerType);            /* 56 */
VKD_HANDLER(vkdDispatchGetSchedulerParameters);      /* 57 */
VKD_HANDLER(vkdDispatchSetSchedulerParameters);      /* 58 */
VKD_HANDLER(vkdDispatchSetSchedulerParametersFlags); /* 219 */
VKD_HANDLER(vkdDispatchGetSchedulerParametersFlags); /* 223 */
/* remote_dispatch_blockjob.c */
VKD_HANDLER(vkdDispatchDomainGetBlockJobInfo); /* 238 */
VKD_HANDLER(vkdDispatchDomainBlockCopy);       /* 345 */
/* remote_dispatch_tune.c */
VKD_HANDLER(vkdDispatchDomainPinVcpu);                /* 26 */
VKD_HANDLER(vkdDispatchDomainSetMemoryParameters);    /* 197 */
VKD_HANDLER(vkdDispatchDomainGetMemoryParameters);    /* 198 */
VKD_HANDLER(vkdDispatchDomainGetPerfEvents);          /* 365 */
VKD_HANDLER(vkdDispatchDomainSetPerfEvents);          /* 366 */
VKD_HANDLER(vkdDispatchDomainSetBlkioParameters);     /* 205 */
VKD_HANDLER(vkdDispatchDomainGetBlkioParameters);     /* 206 */
VKD_HANDLER(vkdDispatchDomainPinVcpuFlags);           /* 225 */
VKD_HANDLER(vkdDispatchDomainSetNumaParameters);      /* 254 */
VKD_HANDLER(vkdDispatchDomainGetNumaParameters);      /* 255 */
VKD_HANDLER(vkdDispatchDomainSetBlockIoTune);         /* 252 */
VKD_HANDLER(vkdDispatchDomainGetBlockIoTune);         /* 253 */
VKD_HANDLER(vkdDispatchDomainSetInterfaceParameters); /* 256 */
VKD_HANDLER(vkdDispatchDomainGetInterfaceParameters); /* 257 */
VKD_HANDLER(vkdDispatchDomainPinEmulator);            /* 279 */
VKD_HANDLER(vkdDispatchDomainGetEmulatorPinInfo);     /* 280 */
VKD_HANDLER(vkdDispatchDomainGetIOThreadInfo);        /* 351 */
VKD_HANDLER(vkdDispatchDomainPinIOThread);            /* 352 */
VKD_HANDLER(vkdDispatchDomainSetIOThreadParams);      /* 402 */

/* remote_dispatch_virtkit.c: the handler of VIRTKIT_PROGRAM's @proc, NULL
 * if none (answered VIR_ERR_NO_SUPPORT). */
vkdHandler vkdDispatchVirtkitLookup(int proc);

/* remote_dispatch_stats.c: guest and host statistics */
VKD_HANDLER(vkdDispatchDomainMemoryStats);     /* 159 */
VKD_HANDLER(vkdDispatchDomainBlockStats);      /* 64 */
VKD_HANDLER(vkdDispatchDomainBlockStatsFlags); /* 243 */
VKD_HANDLER(vkdDispatchDomainInterfaceStats);  /* 65 */
VKD_HANDLER(vkdDispatchDomainGetVcpus);        /* 20 */
VKD_HANDLER(vkdDispatchDomainGetVcpuPinInfo);  /* 230 */
VKD_HANDLER(vkdDispatchDomainGetCPUStats);     /* 262 */
VKD_HANDLER(vkdDispatchDomainGetBlockInfo);    /* 194 */
/* remote_dispatch_jobs.c */
VKD_HANDLER(vkdDispatchDomainGetDiskErrors); /* 263 */
/* remote_dispatch_event.c: QEMU program 4 and 5 */
VKD_HANDLER(vkdDispatchQemuMonitorEventRegister);
VKD_HANDLER(vkdDispatchQemuMonitorEventDeregister);
VKD_HANDLER(vkdDispatchDomainGetTime);              /* 337 */
VKD_HANDLER(vkdDispatchDomainFSFreeze);             /* 335 */
VKD_HANDLER(vkdDispatchDomainFSThaw);               /* 336 */
VKD_HANDLER(vkdDispatchDomainGetFSInfo);            /* 349 */
VKD_HANDLER(vkdDispatchDomainGetGuestInfo);         /* 418 */
VKD_HANDLER(vkdDispatchDomainGetGuestVcpus);        /* 371 */
VKD_HANDLER(vkdDispatchDomainAuthorizedSSHKeysGet); /* 424 */
VKD_HANDLER(vkdDispatchDomainAuthorizedSSHKeysSet); /* 425 */
VKD_HANDLER(vkdDispatchQemuDomainAgentCommand);     /* QEMU_PROGRAM 3 */
VKD_HANDLER(vkdDispatchDomainGetJobInfo);           /* 163 */
VKD_HANDLER(vkdDispatchDomainGetJobStats);          /* 298 */
VKD_HANDLER(vkdDispatchNodeGetCPUStats);            /* 227 */
VKD_HANDLER(vkdDispatchNodeGetMemoryStats);         /* 228 */
VKD_HANDLER(vkdDispatchNodeGetCPUMap);              /* 293 */
VKD_HANDLER(vkdDispatchConnectGetAllDomainStats);   /* 344 */
