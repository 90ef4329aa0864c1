/* remote_driver_priv.h: state and helpers shared by the remote driver files */
#pragma once

#include <libvirt/libvirt-qemu.h>
#include "datatypes.h"
#include <virtkit/virtkit.h>
#include "domain_event.h"
#include "remote_client.h"
#include "remote_protocol.h"
#include "virnetclient.h"

#define REMOTE_EVENT_ID_COUNT (VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE + 1)
/* Event slots of the other programs (remote_driver_objects.c): network
 * lifecycle; pool lifecycle, refresh; node device lifecycle, update;
 * secret lifecycle, value changed. */
#define REMOTE_OBJECT_EVENT_SLOTS 7

typedef struct _remotePrivate remotePrivate;
struct _remotePrivate {
    virNetClient *client;
    virObjectEventState *events;
    virConnectPtr conn; /* weak: the connection owns us */

    bool featureKeepAlive;        /* server said 1 to feature 10 */
    bool featureCallbacks;        /* feature 14: 316/317/318 */
    bool featureCloseCallback;    /* feature 15: 360/361 */
    bool closeCallbackRegistered; /* 360 succeeded */

    GMutex lock;
    char *type; /* cached CONNECT_GET_TYPE */

    GMutex regLock;
    /* Per eventID: local callbacks registered, and the server-side
     * registration they share (callbackID from 316, or legacy 167). */
    int localCount[REMOTE_EVENT_ID_COUNT];
    int remoteID[REMOTE_EVENT_ID_COUNT];
    int legacyCount;          /* virConnectDomainEventRegister users */
    GHashTable *localToEvent; /* local callbackID -> eventID + 1 */
    /* The same for the other event programs, per slot; NULL until used. */
    int objLocalCount[REMOTE_OBJECT_EVENT_SLOTS];
    int objRemoteID[REMOTE_OBJECT_EVENT_SLOTS];
    GHashTable *objLocalToSlot; /* local callbackID -> slot + 1 */
    GHashTable *streams;        /* serial -> remoteStream (lent; under lock) */
};

/* Helpers (remote_driver.c). Calls go through the generated typed stubs
 * (remote_client.h, remoteCall<Procedure>). remoteMakeDomain borrows
 * @dom's fields into a wire struct; remoteGetDomain makes a new handle. */
remotePrivate *remotePriv(virConnectPtr conn);
void remoteMakeDomain(remote_nonnull_domain *out, virDomainPtr dom);
virDomainPtr remoteGetDomain(virConnectPtr conn, const remote_nonnull_domain *d);
/* The same pair for every other object kind the generated entry points
 * carry (vkrpcgen_stubs.py OBJKINDS): remoteMake<Kind> borrows, remoteGet<Kind>
 * makes a new handle on @conn. */
void remoteMakeDomainCheckpoint(remote_nonnull_domain_checkpoint *out,
                                virDomainCheckpointPtr obj);
virDomainCheckpointPtr
remoteGetDomainCheckpoint(virConnectPtr conn, const remote_nonnull_domain_checkpoint *w);
void remoteMakeDomainSnapshot(remote_nonnull_domain_snapshot *out,
                              virDomainSnapshotPtr obj);
virDomainSnapshotPtr remoteGetDomainSnapshot(virConnectPtr conn,
                                             const remote_nonnull_domain_snapshot *w);
void remoteMakeNetwork(remote_nonnull_network *out, virNetworkPtr obj);
virNetworkPtr remoteGetNetwork(virConnectPtr conn, const remote_nonnull_network *w);
void remoteMakeNetworkPort(remote_nonnull_network_port *out, virNetworkPortPtr obj);
virNetworkPortPtr remoteGetNetworkPort(virConnectPtr conn,
                                       const remote_nonnull_network_port *w);
void remoteMakeStoragePool(remote_nonnull_storage_pool *out, virStoragePoolPtr obj);
virStoragePoolPtr remoteGetStoragePool(virConnectPtr conn,
                                       const remote_nonnull_storage_pool *w);
void remoteMakeStorageVol(remote_nonnull_storage_vol *out, virStorageVolPtr obj);
virStorageVolPtr remoteGetStorageVol(virConnectPtr conn,
                                     const remote_nonnull_storage_vol *w);
void remoteMakeNodeDevice(remote_nonnull_node_device *out, virNodeDevicePtr obj);
virNodeDevicePtr remoteGetNodeDevice(virConnectPtr conn,
                                     const remote_nonnull_node_device *w);
void remoteMakeSecret(remote_nonnull_secret *out, virSecretPtr obj);
virSecretPtr remoteGetSecret(virConnectPtr conn, const remote_nonnull_secret *w);
void remoteMakeInterface(remote_nonnull_interface *out, virInterfacePtr obj);
virInterfacePtr remoteGetInterface(virConnectPtr conn, const remote_nonnull_interface *w);
void remoteMakeNWFilter(remote_nonnull_nwfilter *out, virNWFilterPtr obj);
virNWFilterPtr remoteGetNWFilter(virConnectPtr conn, const remote_nonnull_nwfilter *w);
void remoteMakeNWFilterBinding(remote_nonnull_nwfilter_binding *out,
                               virNWFilterBindingPtr obj);
virNWFilterBindingPtr remoteGetNWFilterBinding(virConnectPtr conn,
                                               const remote_nonnull_nwfilter_binding *w);

/* Copy a counted char array (NUL possibly counted) into a fixed buffer;
 * RPC error if it does not fit. */
int remoteCopyChars(char *dst, size_t dstlen, const char *src, uint32_t len,
                    const char *what);

/* Host queries (remote_driver_host.c). */
unsigned long long remoteNodeGetFreeMemory(virConnectPtr conn);
int remoteNodeGetMemoryParameters(virConnectPtr conn, virTypedParameterPtr params,
                                  int *nparams, unsigned int flags);
int remoteNodeSetMemoryParameters(virConnectPtr conn, virTypedParameterPtr params,
                                  int nparams, unsigned int flags);
int remoteDomainSendKey(virDomainPtr dom, unsigned int codeset, unsigned int holdtime,
                        unsigned int *keycodes, int nkeycodes, unsigned int flags);
int remoteConnectGetCPUModelNames(virConnectPtr conn, const char *arch, char ***models,
                                  unsigned int flags);
char *remoteConnectBaselineCPU(virConnectPtr conn, const char **xmlCPUs,
                               unsigned int ncpus, unsigned int flags);
char *remoteConnectBaselineHypervisorCPU(virConnectPtr conn, const char *emulator,
                                         const char *arch, const char *machine,
                                         const char *virttype, const char **xmlCPUs,
                                         unsigned int ncpus, unsigned int flags);
int remoteNodeGetCellsFreeMemory(virConnectPtr conn, unsigned long long *freeMems,
                                 int startCell, int maxCells);
int remoteNodeGetFreePages(virConnectPtr conn, unsigned int npages, unsigned int *pages,
                           int startCell, unsigned int cellCount,
                           unsigned long long *counts, unsigned int flags);
int remoteNodeAllocPages(virConnectPtr conn, unsigned int npages, unsigned int *pageSizes,
                         unsigned long long *pageCounts, int startCell,
                         unsigned int cellCount, unsigned int flags);

/* Listing and domain entry points (remote_driver_domain.c). */
virDomainPtr remoteDomainDefineXMLFlags(virConnectPtr conn, const char *xml,
                                        unsigned int flags);
int remoteDomainCreateWithFlags(virDomainPtr dom, unsigned int flags);
int remoteDomainShutdownFlags(virDomainPtr dom, unsigned int flags);
int remoteDomainDestroyFlags(virDomainPtr dom, unsigned int flags);
unsigned long long remoteDomainGetMaxMemory(virDomainPtr dom);
int remoteDomainGetSecurityLabel(virDomainPtr dom, virSecurityLabelPtr seclabel);
int remoteDomainSaveParams(virDomainPtr dom, virTypedParameterPtr params, int nparams,
                           unsigned int flags);
int remoteDomainRestoreParams(virConnectPtr conn, virTypedParameterPtr params,
                              int nparams, unsigned int flags);
int remoteDomainBlockPeek(virDomainPtr dom, const char *path, unsigned long long offset,
                          size_t size, void *buffer, unsigned int flags);
int remoteDomainMemoryPeek(virDomainPtr dom, unsigned long long start, size_t size,
                           void *buffer, unsigned int flags);
int remoteDomainGetSecurityLabelList(virDomainPtr dom, virSecurityLabelPtr *seclabels);
int remoteDomainGetMessages(virDomainPtr dom, char ***msgs, unsigned int flags);

/* Events of the other programs (remote_driver_objects.c), from the I/O
 * thread: true if @msg (procedure @p) was one of theirs (queued, or
 * dropped with @why set when it does not decode). */
/* The domain events other than lifecycle and reboot (remote_driver_event.c):
 * true if @msg was one (decoded and queued); false otherwise, or with @why
 * when it did not decode. */
bool remoteDomainEvent(remotePrivate *priv, virNetMessage *msg, const remoteProcedure *p,
                       const char **why);
bool remoteObjectEvent(remotePrivate *priv, virNetMessage *msg, const remoteProcedure *p,
                       const char **why);

/* Streams (remote_driver_stream.c). */
int remoteDomainOpenConsole(virDomainPtr dom, const char *dev_name, virStreamPtr st,
                            unsigned int flags);
int remoteDomainOpenChannel(virDomainPtr dom, const char *name, virStreamPtr st,
                            unsigned int flags);
char *remoteDomainScreenshot(virDomainPtr dom, virStreamPtr st, unsigned int screen,
                             unsigned int flags);
int remoteDomainOpenGraphics(virDomainPtr dom, unsigned int idx, int fd,
                             unsigned int flags);
int remoteDomainOpenGraphicsFD(virDomainPtr dom, unsigned int idx, unsigned int flags);
/* Open @st over the stream-carrying call @prog/@proc (args, optional
 * reply as virNetClientCall): the stream is registered under the call's
 * serial before the call, so data may follow the reply at once. @sparse:
 * the transfer carries holes both ways (the procedure's SPARSE_STREAM
 * flag, e.g. VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM). 0, or -1 with the
 * error reported and @st left unopened. */
int remoteStreamOpen(virConnectPtr conn, virStreamPtr st, uint32_t prog, int proc,
                     virXdrFilter argsFilter, const void *args, virXdrFilter retFilter,
                     void *ret, bool sparse);
void remoteStreamFrame(virNetClient *client, virNetMessage *msg, void *opaque);
void remoteStreamsClosed(remotePrivate *priv);

/* remote_driver_sched.c */
char *remoteDomainGetSchedulerType(virDomainPtr dom, int *nparams);
int remoteDomainGetSchedulerParameters(virDomainPtr dom, virTypedParameterPtr params,
                                       int *nparams);
int remoteDomainGetSchedulerParametersFlags(virDomainPtr dom, virTypedParameterPtr params,
                                            int *nparams, unsigned int flags);
int remoteDomainSetSchedulerParameters(virDomainPtr dom, virTypedParameterPtr params,
                                       int nparams);
int remoteDomainSetSchedulerParametersFlags(virDomainPtr dom, virTypedParameterPtr params,
                                            int nparams, unsigned int flags);

/* remote_driver_blockjob.c */
int remoteDomainGetBlockJobInfo(virDomainPtr dom, const char *disk,
                                virDomainBlockJobInfoPtr info, unsigned int flags);
int remoteDomainBlockJobSetSpeed(virDomainPtr dom, const char *disk,
                                 unsigned long bandwidth, unsigned int flags);
int remoteDomainBlockPull(virDomainPtr dom, const char *disk, unsigned long bandwidth,
                          unsigned int flags);
int remoteDomainBlockRebase(virDomainPtr dom, const char *disk, const char *base,
                            unsigned long bandwidth, unsigned int flags);
int remoteDomainBlockCommit(virDomainPtr dom, const char *disk, const char *base,
                            const char *top, unsigned long bandwidth, unsigned int flags);
int remoteDomainBlockCopy(virDomainPtr dom, const char *disk, const char *destxml,
                          virTypedParameterPtr params, int nparams, unsigned int flags);

/* remote_driver_network.c */
int remoteNetworkPortGetParameters(virNetworkPortPtr port, virTypedParameterPtr *params,
                                   int *nparams, unsigned int flags);
int remoteNetworkPortSetParameters(virNetworkPortPtr port, virTypedParameterPtr params,
                                   int nparams, unsigned int flags);
int remoteDomainInterfaceAddresses(virDomainPtr dom, virDomainInterfacePtr **ifaces,
                                   unsigned int source, unsigned int flags);
int remoteNetworkGetDHCPLeases(virNetworkPtr net, const char *mac,
                               virNetworkDHCPLeasePtr **leases, unsigned int flags);

/* virtkit's own API over its program (remote_driver_virtkit.c). */
int remoteVkDomainStop(virDomainPtr dom, unsigned int deadlineMs, unsigned int policy,
                       vkStopReport *report, vkStopProgressFunc progress, void *opaque);
/* A MESSAGE of VIRTKIT_PROGRAM (I/O thread; @msg stays the caller's). */
void remoteVirtkitEvent(remotePrivate *priv, virNetMessage *msg);
int remoteVkConnectEventSubscribe(virConnectPtr conn, unsigned long long epoch,
                                  unsigned long long since, unsigned int flags,
                                  vkEventFunc cb, void *opaque, virFreeCallback freecb);
int remoteVkConnectEventUnsubscribe(virConnectPtr conn, int callbackID);

/* remote_driver_change.c */
int remoteDomainRename(virDomainPtr dom, const char *new_name, unsigned int flags);

/* remote_driver_stats.c: guest and host statistics */
int remoteDomainSetMemoryFlags(virDomainPtr dom, unsigned long memory,
                               unsigned int flags);
int remoteDomainMemoryStats(virDomainPtr dom, virDomainMemoryStatPtr stats,
                            unsigned int nr_stats, unsigned int flags);
int remoteDomainBlockStats(virDomainPtr dom, const char *path,
                           virDomainBlockStatsPtr stats);
int remoteDomainBlockStatsFlags(virDomainPtr dom, const char *path,
                                virTypedParameterPtr params, int *nparams,
                                unsigned int flags);
int remoteDomainInterfaceStats(virDomainPtr dom, const char *device,
                               virDomainInterfaceStatsPtr stats);
int remoteDomainGetVcpus(virDomainPtr dom, virVcpuInfoPtr info, int maxinfo,
                         unsigned char *cpumaps, int maplen);
/* remote_driver_tune.c */
int remoteDomainGetPerfEvents(virDomainPtr dom, virTypedParameterPtr *params,
                              int *nparams, unsigned int flags);
int remoteDomainSetPerfEvents(virDomainPtr dom, virTypedParameterPtr params, int nparams,
                              unsigned int flags);
int remoteDomainGetMemoryParameters(virDomainPtr dom, virTypedParameterPtr params,
                                    int *nparams, unsigned int flags);
int remoteDomainSetMemoryParameters(virDomainPtr dom, virTypedParameterPtr params,
                                    int nparams, unsigned int flags);
int remoteDomainSetBlockIoTune(virDomainPtr dom, const char *disk,
                               virTypedParameterPtr params, int nparams,
                               unsigned int flags);
int remoteDomainGetBlockIoTune(virDomainPtr dom, const char *disk,
                               virTypedParameterPtr params, int *nparams,
                               unsigned int flags);
int remoteDomainGetInterfaceParameters(virDomainPtr dom, const char *device,
                                       virTypedParameterPtr params, int *nparams,
                                       unsigned int flags);
int remoteDomainSetInterfaceParameters(virDomainPtr dom, const char *device,
                                       virTypedParameterPtr params, int nparams,
                                       unsigned int flags);
int remoteDomainGetBlkioParameters(virDomainPtr dom, virTypedParameterPtr params,
                                   int *nparams, unsigned int flags);
int remoteDomainSetBlkioParameters(virDomainPtr dom, virTypedParameterPtr params,
                                   int nparams, unsigned int flags);
int remoteDomainGetNumaParameters(virDomainPtr dom, virTypedParameterPtr params,
                                  int *nparams, unsigned int flags);
int remoteDomainSetNumaParameters(virDomainPtr dom, virTypedParameterPtr params,
                                  int nparams, unsigned int flags);
int remoteDomainPinVcpu(virDomainPtr dom, unsigned int vcpu, unsigned char *cpumap,
                        int maplen);
int remoteDomainPinVcpuFlags(virDomainPtr dom, unsigned int vcpu, unsigned char *cpumap,
                             int maplen, unsigned int flags);
int remoteDomainPinEmulator(virDomainPtr dom, unsigned char *cpumap, int maplen,
                            unsigned int flags);
int remoteDomainGetEmulatorPinInfo(virDomainPtr dom, unsigned char *cpumaps, int maplen,
                                   unsigned int flags);
int remoteDomainGetIOThreadInfo(virDomainPtr dom, virDomainIOThreadInfoPtr **info,
                                unsigned int flags);
int remoteDomainPinIOThread(virDomainPtr dom, unsigned int iothread_id,
                            unsigned char *cpumap, int maplen, unsigned int flags);
int remoteDomainSetIOThreadParams(virDomainPtr dom, unsigned int iothread_id,
                                  virTypedParameterPtr params, int nparams,
                                  unsigned int flags);
int remoteDomainGetVcpuPinInfo(virDomainPtr dom, int ncpumaps, unsigned char *cpumaps,
                               int maplen, unsigned int flags);
int remoteDomainGetCPUStats(virDomainPtr dom, virTypedParameterPtr params,
                            unsigned int nparams, int start_cpu, unsigned int ncpus,
                            unsigned int flags);
int remoteDomainGetTime(virDomainPtr dom, long long *seconds, unsigned int *nseconds,
                        unsigned int flags);
int remoteDomainFSFreeze(virDomainPtr dom, const char **mountpoints,
                         unsigned int nmountpoints, unsigned int flags);
int remoteDomainFSThaw(virDomainPtr dom, const char **mountpoints,
                       unsigned int nmountpoints, unsigned int flags);
int remoteDomainGetFSInfo(virDomainPtr dom, virDomainFSInfoPtr **info,
                          unsigned int flags);
int remoteDomainGetGuestInfo(virDomainPtr dom, unsigned int types,
                             virTypedParameterPtr *params, int *nparams,
                             unsigned int flags);
int remoteDomainGetGuestVcpus(virDomainPtr dom, virTypedParameterPtr *params,
                              unsigned int *nparams, unsigned int flags);
int remoteDomainAuthorizedSSHKeysGet(virDomainPtr dom, const char *user, char ***keys,
                                     unsigned int flags);
int remoteDomainAuthorizedSSHKeysSet(virDomainPtr dom, const char *user,
                                     const char **keys, unsigned int nkeys,
                                     unsigned int flags);
char *remoteDomainQemuAgentCommand(virDomainPtr dom, const char *cmd, int timeout,
                                   unsigned int flags);
int remoteDomainGetBlockInfo(virDomainPtr dom, const char *path,
                             virDomainBlockInfoPtr info, unsigned int flags);
/* remote_driver_jobs.c */
int remoteDomainGetDiskErrors(virDomainPtr dom, virDomainDiskErrorPtr errors,
                              unsigned int maxerrors, unsigned int flags);
/* remote_driver_qemu.c: libvirt-qemu's monitor events; remoteQemuEvent
 * takes a QEMU program MESSAGE on the I/O thread */
int remoteConnectDomainQemuMonitorEventRegister(
    virConnectPtr conn, virDomainPtr dom, const char *event,
    virConnectDomainQemuMonitorEventCallback cb, void *opaque, virFreeCallback freecb,
    unsigned int flags);
int remoteConnectDomainQemuMonitorEventDeregister(virConnectPtr conn, int callbackID);
void remoteQemuEvent(remotePrivate *priv, virNetMessage *msg);
int remoteDomainGetJobInfo(virDomainPtr dom, virDomainJobInfoPtr info);
int remoteDomainGetJobStats(virDomainPtr dom, int *type, virTypedParameterPtr *params,
                            int *nparams, unsigned int flags);
int remoteNodeGetCPUStats(virConnectPtr conn, int cpuNum, virNodeCPUStatsPtr params,
                          int *nparams, unsigned int flags);
int remoteNodeGetMemoryStats(virConnectPtr conn, int cellNum,
                             virNodeMemoryStatsPtr params, int *nparams,
                             unsigned int flags);
int remoteNodeGetCPUMap(virConnectPtr conn, unsigned char **cpumap, unsigned int *online,
                        unsigned int flags);
int remoteConnectGetAllDomainStats(virConnectPtr conn, virDomainPtr *doms,
                                   unsigned int ndoms, unsigned int stats,
                                   virDomainStatsRecordPtr **retStats,
                                   unsigned int flags);
