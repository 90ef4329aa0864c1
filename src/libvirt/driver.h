/* driver.h: the hypervisor driver table every driver (test, qemu, remote) fills in */
#pragma once

#include "datatypes.h"
#include <libvirt/libvirt-qemu.h>
#include <virtkit/virtkit.h>

typedef enum {
    VIR_DRV_OPEN_SUCCESS = 0,
    VIR_DRV_OPEN_DECLINED = -2, /* not my URI: try the next driver */
    VIR_DRV_OPEN_ERROR = -1,    /* my URI, but it failed (error reported) */
} virDrvOpenStatus;

/*
 * The contract for every entry: the public layer (src/libvirt) has already
 * reset the thread's last error and checked that pointers are non-NULL and
 * the connection/domain valid; read-only connections are already refused
 * for mutating calls. Flags are NOT checked by the public layer: each driver
 * calls virCheckFlags with what it supports (libvirt's messages name the
 * driver function). On failure the driver reports the error itself and
 * returns -1 / NULL. virDomainPtr arguments identify the domain by UUID
 * (and name); a driver looks its object up by UUID and reports NO_DOMAIN
 * when it is gone.
 */
struct _virHypervisorDriver {
    const char *name; /* "Test", "QEMU", "remote" */

    /* @uri is the parsed URI (never NULL; when the user passed NULL the
     * public layer resolved the default first). Return VIR_DRV_OPEN_*. */
    virDrvOpenStatus (*connectOpen)(virConnectPtr conn, const char *uri,
                                    virConnectAuthPtr auth, unsigned int flags);
    int (*connectClose)(virConnectPtr conn);
    const char *(*connectGetType)(virConnectPtr conn);
    int (*connectGetVersion)(virConnectPtr conn, unsigned long *hvVer);
    int (*connectGetLibVersion)(virConnectPtr conn, unsigned long *libVer);
    char *(*connectGetHostname)(virConnectPtr conn);
    char *(*connectGetURI)(virConnectPtr conn);
    char *(*connectGetCapabilities)(virConnectPtr conn);
    int (*connectGetMaxVcpus)(virConnectPtr conn, const char *type);
    int (*connectIsAlive)(virConnectPtr conn);
    int (*connectIsSecure)(virConnectPtr conn);
    int (*connectIsEncrypted)(virConnectPtr conn);
    int (*connectSetKeepAlive)(virConnectPtr conn, int interval, unsigned int count);
    int (*connectRegisterCloseCallback)(virConnectPtr conn, virConnectCloseFunc cb,
                                        void *opaque, virFreeCallback freecb);
    int (*connectUnregisterCloseCallback)(virConnectPtr conn, virConnectCloseFunc cb);
    int (*nodeGetInfo)(virConnectPtr conn, virNodeInfoPtr info);
    int (*nodeGetSecurityModel)(virConnectPtr conn, virSecurityModelPtr secmodel);
    /* Host queries (libvirt-host-query.c): free memory in bytes (0 on
     * error), per NUMA cell; the host's SMBIOS description as XML. (The CPU
     * map is nodeGetCPUMap, with the statistics.) */
    unsigned long long (*nodeGetFreeMemory)(virConnectPtr conn);
    int (*nodeGetCellsFreeMemory)(virConnectPtr conn, unsigned long long *freeMems,
                                  int startCell, int maxCells);
    char *(*connectGetSysinfo)(virConnectPtr conn, unsigned int flags);
    /* Huge page pools (libvirt-host-pages.c): free pages of each size per
     * cell (the count of @counts filled) and the pools' sizes set or grown
     * (the count of pools changed), or -1. */
    int (*nodeGetFreePages)(virConnectPtr conn, unsigned int npages, unsigned int *pages,
                            int startCell, unsigned int cellCount,
                            unsigned long long *counts, unsigned int flags);
    int (*nodeAllocPages)(virConnectPtr conn, unsigned int npages,
                          unsigned int *pageSizes, unsigned long long *pageCounts,
                          int startCell, unsigned int cellCount, unsigned int flags);
    /* Host and CPU facts (libvirt-host-cpu.c): domain capabilities XML. */
    char *(*connectGetDomainCapabilities)(virConnectPtr conn, const char *emulatorbin,
                                          const char *arch, const char *machine,
                                          const char *virttype, unsigned int flags);
    /* CPU model names of an architecture (a NULL-terminated list when
     * @models is not NULL); the count or -1. */
    int (*connectGetCPUModelNames)(virConnectPtr conn, const char *arch, char ***models,
                                   unsigned int flags);
    /* CPU compare and baseline over a CPU map (cpu_map.h): the
     * virCPUCompareResult or -1; the baseline CPU's XML or NULL. */
    int (*connectCompareCPU)(virConnectPtr conn, const char *xmlDesc, unsigned int flags);
    int (*connectCompareHypervisorCPU)(virConnectPtr conn, const char *emulator,
                                       const char *arch, const char *machine,
                                       const char *virttype, const char *xmlCPU,
                                       unsigned int flags);
    char *(*connectBaselineCPU)(virConnectPtr conn, const char **xmlCPUs,
                                unsigned int ncpus, unsigned int flags);
    char *(*connectBaselineHypervisorCPU)(virConnectPtr conn, const char *emulator,
                                          const char *arch, const char *machine,
                                          const char *virttype, const char **xmlCPUs,
                                          unsigned int ncpus, unsigned int flags);
    /* KSM tunables and figures (VIR_NODE_MEMORY_SHARED_*). */
    int (*nodeGetMemoryParameters)(virConnectPtr conn, virTypedParameterPtr params,
                                   int *nparams, unsigned int flags);
    int (*nodeSetMemoryParameters)(virConnectPtr conn, virTypedParameterPtr params,
                                   int nparams, unsigned int flags);

    int (*connectNumOfDomains)(virConnectPtr conn);
    int (*connectListDomains)(virConnectPtr conn, int *ids, int maxids);
    int (*connectNumOfDefinedDomains)(virConnectPtr conn);
    int (*connectListDefinedDomains)(virConnectPtr conn, char **const names,
                                     int maxnames);
    int (*connectListAllDomains)(virConnectPtr conn, virDomainPtr **domains,
                                 unsigned int flags);

    virDomainPtr (*domainLookupByID)(virConnectPtr conn, int id);
    virDomainPtr (*domainLookupByName)(virConnectPtr conn, const char *name);
    virDomainPtr (*domainLookupByUUID)(virConnectPtr conn, const unsigned char *uuid);

    /* @domainXml in a hypervisor's own format (QEMU: "qemu-argv", the
     * command line the driver would run), and back; new strings or NULL. */
    char *(*connectDomainXMLFromNative)(virConnectPtr conn, const char *nativeFormat,
                                        const char *nativeConfig, unsigned int flags);
    char *(*connectDomainXMLToNative)(virConnectPtr conn, const char *nativeFormat,
                                      const char *domainXml, unsigned int flags);
    virDomainPtr (*domainDefineXMLFlags)(virConnectPtr conn, const char *xml,
                                         unsigned int flags);
    int (*domainUndefineFlags)(virDomainPtr dom, unsigned int flags);
    int (*domainCreateWithFlags)(virDomainPtr dom, unsigned int flags);
    virDomainPtr (*domainCreateXML)(virConnectPtr conn, const char *xml,
                                    unsigned int flags);
    int (*domainShutdownFlags)(virDomainPtr dom, unsigned int flags);
    int (*domainReboot)(virDomainPtr dom, unsigned int flags);
    int (*domainReset)(virDomainPtr dom, unsigned int flags);
    int (*domainDestroyFlags)(virDomainPtr dom, unsigned int flags);
    int (*domainSuspend)(virDomainPtr dom);
    int (*domainResume)(virDomainPtr dom);
    int (*domainGetState)(virDomainPtr dom, int *state, int *reason, unsigned int flags);
    int (*domainGetInfo)(virDomainPtr dom, virDomainInfoPtr info);
    char *(*domainGetXMLDesc)(virDomainPtr dom, unsigned int flags);
    char *(*domainGetOSType)(virDomainPtr dom);
    unsigned long long (*domainGetMaxMemory)(virDomainPtr dom); /* 0 = error */
    int (*domainGetVcpusFlags)(virDomainPtr dom, unsigned int flags);
    int (*domainIsActive)(virDomainPtr dom);
    int (*domainIsPersistent)(virDomainPtr dom);
    int (*domainIsUpdated)(virDomainPtr dom);
    int (*domainGetAutostart)(virDomainPtr dom, int *autostart);
    int (*domainSetAutostart)(virDomainPtr dom, int autostart);
    int (*domainHasManagedSaveImage)(virDomainPtr dom, unsigned int flags);
    int (*domainGetSecurityLabel)(virDomainPtr dom, virSecurityLabelPtr seclabel);
    /* *@seclabels: a new array (NULL for 0 labels), the count returned. */
    int (*domainGetSecurityLabelList)(virDomainPtr dom, virSecurityLabelPtr *seclabels);
    /* *@msgs: a new NULL-terminated array (NULL for 0), the count returned. */
    int (*domainGetMessages)(virDomainPtr dom, char ***msgs, unsigned int flags);
    /* Scheduler: @nparams may be NULL for the type; Get* fill at most
     * *@nparams entries of @params (the public layer checked it is > 0)
     * and set *@nparams to the count; the Flags variants get
     * VIR_TYPED_PARAM_STRING_OKAY added by the public layer. */
    char *(*domainGetSchedulerType)(virDomainPtr dom, int *nparams);
    int (*domainGetSchedulerParameters)(virDomainPtr dom, virTypedParameterPtr params,
                                        int *nparams);
    int (*domainGetSchedulerParametersFlags)(virDomainPtr dom,
                                             virTypedParameterPtr params, int *nparams,
                                             unsigned int flags);
    int (*domainSetSchedulerParameters)(virDomainPtr dom, virTypedParameterPtr params,
                                        int nparams);
    int (*domainSetSchedulerParametersFlags)(virDomainPtr dom,
                                             virTypedParameterPtr params, int nparams,
                                             unsigned int flags);
    /* Attach @st (a new stream of @dom's connection) to the console. */
    int (*domainOpenConsole)(virDomainPtr dom, const char *dev_name, virStreamPtr st,
                             unsigned int flags);
    /* The same for a <channel> (by alias or virtio port name). */
    int (*domainOpenChannel)(virDomainPtr dom, const char *name, virStreamPtr st,
                             unsigned int flags);
    /* libvirt-qemu.h */
    /* libvirt-qemu's monitor events: @dom and @event may be NULL */
    int (*connectDomainQemuMonitorEventRegister)(
        virConnectPtr conn, virDomainPtr dom, const char *event,
        virConnectDomainQemuMonitorEventCallback cb, void *opaque, virFreeCallback freecb,
        unsigned int flags);
    int (*connectDomainQemuMonitorEventDeregister)(virConnectPtr conn, int callbackID);
    int (*domainQemuMonitorCommand)(virDomainPtr dom, const char *cmd, char **result,
                                    unsigned int flags);


    /* Running guests: statistics (libvirt-domain-stats.c states the
     * public contracts). Fixed-size outputs (block, interface, job info,
     * block info) are the public layer's zeroed temporaries. GetAllDomain
     * Stats: @doms NULL (@ndoms 0) for every domain the list filters of
     * @flags select; *@retStats a new NULL-terminated g_new array of
     * g_new records (virDomainStatsRecordListFree frees them). */
    int (*domainMemoryStats)(virDomainPtr dom, virDomainMemoryStatPtr stats,
                             unsigned int nr_stats, unsigned int flags);
    int (*domainSetMemoryStatsPeriod)(virDomainPtr dom, int period, unsigned int flags);
    int (*domainBlockStats)(virDomainPtr dom, const char *path,
                            virDomainBlockStatsPtr stats);
    int (*domainBlockStatsFlags)(virDomainPtr dom, const char *path,
                                 virTypedParameterPtr params, int *nparams,
                                 unsigned int flags);
    int (*domainInterfaceStats)(virDomainPtr dom, const char *device,
                                virDomainInterfaceStatsPtr stats);
    int (*domainGetVcpus)(virDomainPtr dom, virVcpuInfoPtr info, int maxinfo,
                          unsigned char *cpumaps, int maplen);
    int (*domainGetVcpuPinInfo)(virDomainPtr dom, int ncpumaps, unsigned char *cpumaps,
                                int maplen, unsigned int flags);
    int (*domainGetCPUStats)(virDomainPtr dom, virTypedParameterPtr params,
                             unsigned int nparams, int start_cpu, unsigned int ncpus,
                             unsigned int flags);
    /* Resource tuning (memtune, blkiotune, numatune, pinning). Get*Parameters:
     * *nparams 0 asks for the count; else fill at most *nparams and set
     * it to the number filled. Pins take a cpumap of @maplen bytes. */
    int (*domainSetMemoryParameters)(virDomainPtr dom, virTypedParameterPtr params,
                                     int nparams, unsigned int flags);
    int (*domainGetMemoryParameters)(virDomainPtr dom, virTypedParameterPtr params,
                                     int *nparams, unsigned int flags);
    /* Linux perf events: Get returns a new array of every event's state */
    int (*domainGetPerfEvents)(virDomainPtr dom, virTypedParameterPtr *params,
                               int *nparams, unsigned int flags);
    int (*domainSetPerfEvents)(virDomainPtr dom, virTypedParameterPtr params, int nparams,
                               unsigned int flags);
    int (*domainSetBlkioParameters)(virDomainPtr dom, virTypedParameterPtr params,
                                    int nparams, unsigned int flags);
    int (*domainGetBlkioParameters)(virDomainPtr dom, virTypedParameterPtr params,
                                    int *nparams, unsigned int flags);
    /* a disk's <iotune> (blkdeviotune); @disk may be NULL when *nparams is 0 */
    int (*domainSetBlockIoTune)(virDomainPtr dom, const char *disk,
                                virTypedParameterPtr params, int nparams,
                                unsigned int flags);
    int (*domainGetBlockIoTune)(virDomainPtr dom, const char *disk,
                                virTypedParameterPtr params, int *nparams,
                                unsigned int flags);
    /* interface bandwidth (beyond) */
    int (*domainSetInterfaceParameters)(virDomainPtr dom, const char *device,
                                        virTypedParameterPtr params, int nparams,
                                        unsigned int flags);
    int (*domainGetInterfaceParameters)(virDomainPtr dom, const char *device,
                                        virTypedParameterPtr params, int *nparams,
                                        unsigned int flags);
    int (*domainSetNumaParameters)(virDomainPtr dom, virTypedParameterPtr params,
                                   int nparams, unsigned int flags);
    int (*domainGetNumaParameters)(virDomainPtr dom, virTypedParameterPtr params,
                                   int *nparams, unsigned int flags);
    int (*domainPinVcpu)(virDomainPtr dom, unsigned int vcpu, unsigned char *cpumap,
                         int maplen);
    int (*domainPinVcpuFlags)(virDomainPtr dom, unsigned int vcpu, unsigned char *cpumap,
                              int maplen, unsigned int flags);
    int (*domainPinEmulator)(virDomainPtr dom, unsigned char *cpumap, int maplen,
                             unsigned int flags);
    int (*domainGetEmulatorPinInfo)(virDomainPtr dom, unsigned char *cpumaps, int maplen,
                                    unsigned int flags);
    int (*domainGetIOThreadInfo)(virDomainPtr dom, virDomainIOThreadInfoPtr **info,
                                 unsigned int flags);
    int (*domainPinIOThread)(virDomainPtr dom, unsigned int iothread_id,
                             unsigned char *cpumap, int maplen, unsigned int flags);
    int (*domainAddIOThread)(virDomainPtr dom, unsigned int iothread_id,
                             unsigned int flags);
    int (*domainDelIOThread)(virDomainPtr dom, unsigned int iothread_id,
                             unsigned int flags);
    int (*domainSetIOThreadParams)(virDomainPtr dom, unsigned int iothread_id,
                                   virTypedParameterPtr params, int nparams,
                                   unsigned int flags);
    int (*domainGetBlockInfo)(virDomainPtr dom, const char *path,
                              virDomainBlockInfoPtr info, unsigned int flags);
    int (*domainGetJobInfo)(virDomainPtr dom, virDomainJobInfoPtr info);
    int (*domainGetJobStats)(virDomainPtr dom, int *type, virTypedParameterPtr *params,
                             int *nparams, unsigned int flags);
    int (*nodeGetCPUStats)(virConnectPtr conn, int cpuNum, virNodeCPUStatsPtr params,
                           int *nparams, unsigned int flags);
    int (*nodeGetMemoryStats)(virConnectPtr conn, int cellNum,
                              virNodeMemoryStatsPtr params, int *nparams,
                              unsigned int flags);
    int (*nodeGetCPUMap)(virConnectPtr conn, unsigned char **cpumap, unsigned int *online,
                         unsigned int flags);
    /* starts a dirty-rate measurement; its result is the "dirtyrate"
     * group of connectGetAllDomainStats */
    int (*domainStartDirtyRateCalc)(virDomainPtr dom, int seconds, unsigned int flags);
    int (*connectGetAllDomainStats)(virConnectPtr conn, virDomainPtr *doms,
                                    unsigned int ndoms, unsigned int stats,
                                    virDomainStatsRecordPtr **retStats,
                                    unsigned int flags);

    /* Save, restore, managed save (libvirt-domain-save.c). Paths arrive
     * absolute when the caller is libvirtkit (the public layer resolved
     * them in the caller's process; a remote libvirt client sends them as
     * given); @dxml may be NULL. */
    int (*domainSaveFlags)(virDomainPtr dom, const char *to, const char *dxml,
                           unsigned int flags);
    int (*domainRestoreFlags)(virConnectPtr conn, const char *from, const char *dxml,
                              unsigned int flags);
    /* The same with typed parameters (VIR_DOMAIN_SAVE_PARAM_*), as the
     * caller gave them: the driver validates them. */
    int (*domainSaveParams)(virDomainPtr dom, virTypedParameterPtr params, int nparams,
                            unsigned int flags);
    int (*domainRestoreParams)(virConnectPtr conn, virTypedParameterPtr params,
                               int nparams, unsigned int flags);
    /* Peeks (libvirt-domain-peek.c): @size bytes at @offset of a disk's
     * image or of guest memory into the caller's @buffer (written only on
     * success; NULL when @size is 0). */
    int (*domainBlockPeek)(virDomainPtr dom, const char *disk, unsigned long long offset,
                           size_t size, void *buffer, unsigned int flags);
    int (*domainMemoryPeek)(virDomainPtr dom, unsigned long long start, size_t size,
                            void *buffer, unsigned int flags);
    char *(*domainSaveImageGetXMLDesc)(virConnectPtr conn, const char *file,
                                       unsigned int flags);
    int (*domainSaveImageDefineXML)(virConnectPtr conn, const char *file,
                                    const char *dxml, unsigned int flags);
    int (*domainManagedSave)(virDomainPtr dom, unsigned int flags);
    int (*domainManagedSaveRemove)(virDomainPtr dom, unsigned int flags);
    char *(*domainManagedSaveGetXMLDesc)(virDomainPtr dom, unsigned int flags);
    int (*domainManagedSaveDefineXML)(virDomainPtr dom, const char *dxml,
                                      unsigned int flags);
    /* virDomainCoreDump is this with VIR_DOMAIN_CORE_DUMP_FORMAT_RAW */
    int (*domainCoreDumpWithFormat)(virDomainPtr dom, const char *to,
                                    unsigned int dumpformat, unsigned int flags);
    /* Running guests: live changes (libvirt-domain-live.c). SetMemory and
     * SetMaxMemory reach the driver as SetMemoryFlags with
     * VIR_DOMAIN_AFFECT_LIVE / VIR_DOMAIN_MEM_MAXIMUM, as libvirt's drivers
     * implement them. */
    int (*domainSetMemoryFlags)(virDomainPtr dom, unsigned long memory,
                                unsigned int flags);
    int (*domainInjectNMI)(virDomainPtr dom, unsigned int flags);
    /* Power and lifecycle actions (libvirt-domain-power.c) */
    int (*domainSetLifecycleAction)(virDomainPtr dom, unsigned int type,
                                    unsigned int action, unsigned int flags);
    int (*domainPMSuspendForDuration)(virDomainPtr dom, unsigned int target,
                                      unsigned long long duration, unsigned int flags);
    int (*domainPMWakeup)(virDomainPtr dom, unsigned int flags);
    int (*nodeSuspendForDuration)(virConnectPtr conn, unsigned int target,
                                  unsigned long long duration, unsigned int flags);
    int (*domainSendProcessSignal)(virDomainPtr dom, long long pid_value,
                                   unsigned int signum, unsigned int flags);
    /* Guest agent calls (libvirt-domain-agent.c) */
    char *(*domainGetHostname)(virDomainPtr dom, unsigned int flags);
    int (*domainGetTime)(virDomainPtr dom, long long *seconds, unsigned int *nseconds,
                         unsigned int flags);
    int (*domainSetTime)(virDomainPtr dom, long long seconds, unsigned int nseconds,
                         unsigned int flags);
    int (*domainFSFreeze)(virDomainPtr dom, const char **mountpoints,
                          unsigned int nmountpoints, unsigned int flags);
    int (*domainFSThaw)(virDomainPtr dom, const char **mountpoints,
                        unsigned int nmountpoints, unsigned int flags);
    int (*domainFSTrim)(virDomainPtr dom, const char *mountPoint,
                        unsigned long long minimum, unsigned int flags);
    int (*domainGetFSInfo)(virDomainPtr dom, virDomainFSInfoPtr **info,
                           unsigned int flags);
    int (*domainGetGuestInfo)(virDomainPtr dom, unsigned int types,
                              virTypedParameterPtr *params, int *nparams,
                              unsigned int flags);
    int (*domainSetUserPassword)(virDomainPtr dom, const char *user, const char *password,
                                 unsigned int flags);
    int (*domainAgentSetResponseTimeout)(virDomainPtr dom, int timeout,
                                         unsigned int flags);
    char *(*domainQemuAgentCommand)(virDomainPtr dom, const char *cmd, int timeout,
                                    unsigned int flags);
    int (*domainGetGuestVcpus)(virDomainPtr dom, virTypedParameterPtr *params,
                               unsigned int *nparams, unsigned int flags);
    int (*domainSetGuestVcpus)(virDomainPtr dom, const char *cpumap, int state,
                               unsigned int flags);
    int (*domainAuthorizedSSHKeysGet)(virDomainPtr dom, const char *user, char ***keys,
                                      unsigned int flags);
    int (*domainAuthorizedSSHKeysSet)(virDomainPtr dom, const char *user,
                                      const char **keys, unsigned int nkeys,
                                      unsigned int flags);
    /* Guest utilities (libvirt-domain-guest.c): keys pressed on the
     * guest's keyboard, the state of the hypervisor's control channel. */
    int (*domainSendKey)(virDomainPtr dom, unsigned int codeset, unsigned int holdtime,
                         unsigned int *keycodes, int nkeycodes, unsigned int flags);
    int (*domainGetControlInfo)(virDomainPtr dom, virDomainControlInfoPtr info,
                                unsigned int flags);
    /* Attach @st (a new stream of @dom's connection, checked by the public
     * layer) to an image of screen @screen; returns the image's MIME type
     * (g_malloc'd) or NULL. */
    char *(*domainScreenshot)(virDomainPtr dom, virStreamPtr st, unsigned int screen,
                              unsigned int flags);
    /* A client of graphics backend @idx: OpenGraphics hands QEMU a
     * duplicate of @fd (a socket; the caller keeps @fd), OpenGraphicsFD
     * returns our end of a new socket pair (the caller's to close). */
    int (*domainOpenGraphics)(virDomainPtr dom, unsigned int idx, int fd,
                              unsigned int flags);
    int (*domainOpenGraphicsFD)(virDomainPtr dom, unsigned int idx, unsigned int flags);
    /* Changing a guest (libvirt-domain-change.c): metadata, rename, vCPUs,
     * block size. The public layer has checked the read-only rule, the
     * NULL/non-NULL rules of @key/@uri and LIVE|CONFIG exclusivity where
     * libvirt's does; SetVcpus reaches the driver as SetVcpusFlags(LIVE). */
    int (*domainSetMetadata)(virDomainPtr dom, int type, const char *metadata,
                             const char *key, const char *uri, unsigned int flags);
    char *(*domainGetMetadata)(virDomainPtr dom, int type, const char *uri,
                               unsigned int flags);
    int (*domainRename)(virDomainPtr dom, const char *new_name, unsigned int flags);
    int (*domainSetVcpusFlags)(virDomainPtr dom, unsigned int nvcpus, unsigned int flags);
    int (*domainSetVcpu)(virDomainPtr dom, const char *vcpumap, int state,
                         unsigned int flags);
    int (*domainBlockResize)(virDomainPtr dom, const char *disk, unsigned long long size,
                             unsigned int flags);
    /* AttachDevice/DetachDevice reach the driver as the Flags entries with
     * VIR_DOMAIN_AFFECT_LIVE; @xml is non-NULL. */
    int (*domainAttachDeviceFlags)(virDomainPtr dom, const char *xml, unsigned int flags);
    int (*domainDetachDeviceFlags)(virDomainPtr dom, const char *xml, unsigned int flags);
    int (*domainDetachDeviceAlias)(virDomainPtr dom, const char *alias,
                                   unsigned int flags);
    /* @xml non-NULL; the connection is not read-only */
    int (*domainUpdateDeviceFlags)(virDomainPtr dom, const char *xml, unsigned int flags);

    /* Interface addresses (libvirt-domain-ifaddr.c): *@ifaces set to an
     * array of the count returned (an empty array may be NULL); @source
     * is any value (the driver refuses unknown ones). */
    int (*domainInterfaceAddresses)(virDomainPtr dom, virDomainInterfacePtr **ifaces,
                                    unsigned int source, unsigned int flags);
    /* Snapshots (libvirt-domain-snapshot.c). Handles name a snapshot
     * (snapshot->name) of snapshot->domain; drivers look it up again and
     * report NO_DOMAIN_SNAPSHOT when it is gone. The public layer has
     * checked the read-only rule and libvirt's mutually exclusive flags. */
    virDomainSnapshotPtr (*domainSnapshotCreateXML)(virDomainPtr dom, const char *xml,
                                                    unsigned int flags);
    char *(*domainSnapshotGetXMLDesc)(virDomainSnapshotPtr snap, unsigned int flags);
    int (*domainSnapshotNum)(virDomainPtr dom, unsigned int flags);
    int (*domainSnapshotListNames)(virDomainPtr dom, char **const names, int maxnames,
                                   unsigned int flags);
    int (*domainListAllSnapshots)(virDomainPtr dom, virDomainSnapshotPtr **snaps,
                                  unsigned int flags);
    int (*domainSnapshotNumChildren)(virDomainSnapshotPtr snap, unsigned int flags);
    int (*domainSnapshotListChildrenNames)(virDomainSnapshotPtr snap, char **const names,
                                           int maxnames, unsigned int flags);
    int (*domainSnapshotListAllChildren)(virDomainSnapshotPtr snap,
                                         virDomainSnapshotPtr **snaps,
                                         unsigned int flags);
    virDomainSnapshotPtr (*domainSnapshotLookupByName)(virDomainPtr dom, const char *name,
                                                       unsigned int flags);
    int (*domainHasCurrentSnapshot)(virDomainPtr dom, unsigned int flags);
    virDomainSnapshotPtr (*domainSnapshotGetParent)(virDomainSnapshotPtr snap,
                                                    unsigned int flags);
    virDomainSnapshotPtr (*domainSnapshotCurrent)(virDomainPtr dom, unsigned int flags);
    int (*domainSnapshotIsCurrent)(virDomainSnapshotPtr snap, unsigned int flags);
    int (*domainSnapshotHasMetadata)(virDomainSnapshotPtr snap, unsigned int flags);
    int (*domainRevertToSnapshot)(virDomainSnapshotPtr snap, unsigned int flags);
    int (*domainSnapshotDelete)(virDomainSnapshotPtr snap, unsigned int flags);
    /* Checkpoints (libvirt-domain-checkpoint.c); handles as snapshots'. */
    virDomainCheckpointPtr (*domainCheckpointCreateXML)(virDomainPtr dom, const char *xml,
                                                        unsigned int flags);
    char *(*domainCheckpointGetXMLDesc)(virDomainCheckpointPtr cp, unsigned int flags);
    int (*domainListAllCheckpoints)(virDomainPtr dom, virDomainCheckpointPtr **cps,
                                    unsigned int flags);
    int (*domainCheckpointListAllChildren)(virDomainCheckpointPtr cp,
                                           virDomainCheckpointPtr **cps,
                                           unsigned int flags);
    virDomainCheckpointPtr (*domainCheckpointLookupByName)(virDomainPtr dom,
                                                           const char *name,
                                                           unsigned int flags);
    virDomainCheckpointPtr (*domainCheckpointGetParent)(virDomainCheckpointPtr cp,
                                                        unsigned int flags);
    int (*domainCheckpointDelete)(virDomainCheckpointPtr cp, unsigned int flags);
    /* Backups (libvirt-domain-backup.c): @backupXML non-NULL */
    int (*domainBackupBegin)(virDomainPtr dom, const char *backupXML,
                             const char *checkpointXML, unsigned int flags);
    char *(*domainBackupGetXMLDesc)(virDomainPtr dom, unsigned int flags);

    /* Domain jobs (libvirt-domain-job.c, objects engineer). AbortJob is
     * AbortJobFlags with 0 (the remote driver keeps both procedures). */
    int (*domainAbortJob)(virDomainPtr dom);
    int (*domainAbortJobFlags)(virDomainPtr dom, unsigned int flags);
    /* @errors is NULL only with @maxerrors 0 (then: how many to allocate) */
    int (*domainGetDiskErrors)(virDomainPtr dom, virDomainDiskErrorPtr errors,
                               unsigned int maxerrors, unsigned int flags);

    /* events (beyond) */
    int (*domainSetBlockThreshold)(virDomainPtr dom, const char *dev,
                                   unsigned long long threshold, unsigned int flags);

    /* block jobs (libvirt-domain-blockjob.c): @disk is non-NULL, and so
     * are @info and @destxml; @params has @nparams >= 0 entries */
    int (*domainBlockJobAbort)(virDomainPtr dom, const char *disk, unsigned int flags);
    int (*domainGetBlockJobInfo)(virDomainPtr dom, const char *disk,
                                 virDomainBlockJobInfoPtr info, unsigned int flags);
    int (*domainBlockJobSetSpeed)(virDomainPtr dom, const char *disk,
                                  unsigned long bandwidth, unsigned int flags);
    int (*domainBlockPull)(virDomainPtr dom, const char *disk, unsigned long bandwidth,
                           unsigned int flags);
    int (*domainBlockRebase)(virDomainPtr dom, const char *disk, const char *base,
                             unsigned long bandwidth, unsigned int flags);
    int (*domainBlockCopy)(virDomainPtr dom, const char *disk, const char *destxml,
                           virTypedParameterPtr params, int nparams, unsigned int flags);
    int (*domainBlockCommit)(virDomainPtr dom, const char *disk, const char *base,
                             const char *top, unsigned long bandwidth,
                             unsigned int flags);

    /* Events. Legacy register/deregister are implemented by the public
     * layer on top of the Any variants with eventID LIFECYCLE and a
     * "legacy" marker (see object_event.h). */
    int (*connectDomainEventRegisterAny)(virConnectPtr conn, virDomainPtr dom,
                                         int eventID,
                                         virConnectDomainEventGenericCallback cb,
                                         void *opaque, virFreeCallback freecb);
    int (*connectDomainEventDeregisterAny)(virConnectPtr conn, int callbackID);
    int (*connectDomainEventRegister)(virConnectPtr conn,
                                      virConnectDomainEventCallback cb, void *opaque,
                                      virFreeCallback freecb);
    int (*connectDomainEventDeregister)(virConnectPtr conn,
                                        virConnectDomainEventCallback cb);
    /* virtkit's own API (include/virtkit/virtkit.h). vkDomainStop: the
     * public layer zeroed *@report; @progress may be NULL. */
    int (*vkDomainStop)(virDomainPtr dom, unsigned int deadlineMs, unsigned int policy,
                        vkStopReport *report, vkStopProgressFunc progress, void *opaque);
    /* resumable events: only virtkitd keeps the journal (remote driver) */
    int (*vkConnectEventSubscribe)(virConnectPtr conn, unsigned long long epoch,
                                   unsigned long long since, unsigned int flags,
                                   vkEventFunc cb, void *opaque, virFreeCallback freecb);
    int (*vkConnectEventUnsubscribe)(virConnectPtr conn, int callbackID);

    /* Host PCI device assignment: virNodeDevice* calls libvirt routes to
     * the hypervisor driver; @dev is a handle of the node device driver. */
    int (*nodeDeviceDettach)(virNodeDevicePtr dev);
    int (*nodeDeviceDetachFlags)(virNodeDevicePtr dev, const char *driverName,
                                 unsigned int flags);
    int (*nodeDeviceReAttach)(virNodeDevicePtr dev);
    int (*nodeDeviceReset)(virNodeDevicePtr dev);
};

/*
 * The secondary drivers, one table per object kind, as libvirt's
 * driver-network.h, driver-storage.h, ... The same contract as the
 * hypervisor table above: the public layer has checked the handles,
 * non-NULL arguments and the read-only rule; the driver checks flags and
 * reports its own errors. A NULL table or entry makes the public call
 * fail with VIR_ERR_NO_SUPPORT ("this function is not supported by the
 * connection driver: virFoo"). Each owner adds the entries of its family
 * here, in its own block, as it implements them.
 *
 * Event registration entries take the generic callback of their kind and
 * an optional handle to filter on; they return a callbackID or -1.
 *
 * virConnectOpen picks the tables with the hypervisor driver:
 *   test:///...   the test driver's own (testNetworkDriver, ...);
 *   remote URIs   the remote driver's, which forward over the wire;
 *   qemu:///...   the shared ones: the drivers serving this process
 *                 (virtkitd, or an embedding program) register themselves
 *                 from their state initialization with virSetShared*Driver.
 *                 A kind with no registered driver stays NULL.
 */
struct _virNetworkDriver {
    const char *name;
    int (*connectNumOfNetworks)(virConnectPtr conn);
    int (*connectListNetworks)(virConnectPtr conn, char **const names, int maxnames);
    int (*connectNumOfDefinedNetworks)(virConnectPtr conn);
    int (*connectListDefinedNetworks)(virConnectPtr conn, char **const names,
                                      int maxnames);
    int (*connectListAllNetworks)(virConnectPtr conn, virNetworkPtr **nets,
                                  unsigned int flags);
    virNetworkPtr (*networkLookupByUUID)(virConnectPtr conn, const unsigned char *uuid);
    virNetworkPtr (*networkLookupByName)(virConnectPtr conn, const char *name);
    char *(*networkGetXMLDesc)(virNetworkPtr net, unsigned int flags);
    int (*connectNetworkEventRegisterAny)(virConnectPtr conn, virNetworkPtr net,
                                          int eventID,
                                          virConnectNetworkEventGenericCallback cb,
                                          void *opaque, virFreeCallback freecb);
    int (*connectNetworkEventDeregisterAny)(virConnectPtr conn, int callbackID);
    /* lifecycle and configuration (the network engineer's block) */
    virNetworkPtr (*networkCreateXML)(virConnectPtr conn, const char *xml);
    virNetworkPtr (*networkCreateXMLFlags)(virConnectPtr conn, const char *xml,
                                           unsigned int flags);
    virNetworkPtr (*networkDefineXML)(virConnectPtr conn, const char *xml);
    virNetworkPtr (*networkDefineXMLFlags)(virConnectPtr conn, const char *xml,
                                           unsigned int flags);
    int (*networkUndefine)(virNetworkPtr net);
    /* @command and @section in the right order (libvirt's public layer
     * swaps them for drivers lacking NETWORK_UPDATE_HAS_CORRECT_ORDER;
     * every virtkit driver has it) */
    int (*networkUpdate)(virNetworkPtr net, unsigned int command, unsigned int section,
                         int parentIndex, const char *xml, unsigned int flags);
    int (*networkCreate)(virNetworkPtr net);
    int (*networkDestroy)(virNetworkPtr net);
    char *(*networkGetBridgeName)(virNetworkPtr net);
    int (*networkGetAutostart)(virNetworkPtr net, int *autostart);
    int (*networkSetAutostart)(virNetworkPtr net, int autostart);
    int (*networkIsActive)(virNetworkPtr net);
    int (*networkIsPersistent)(virNetworkPtr net);
    /* *@leases: a NULL-free array of the count returned, or untouched when
     * @leases is NULL (count only) */
    int (*networkGetDHCPLeases)(virNetworkPtr net, const char *mac,
                                virNetworkDHCPLeasePtr **leases, unsigned int flags);
    /* Network ports (libvirt-network-port.c). ListAllPorts: with @ports
     * NULL only the count. GetParameters allocates *@params (the caller
     * frees it with virTypedParamsFree). */
    int (*networkListAllPorts)(virNetworkPtr net, virNetworkPortPtr **ports,
                               unsigned int flags);
    virNetworkPortPtr (*networkPortLookupByUUID)(virNetworkPtr net,
                                                 const unsigned char *uuid);
    virNetworkPortPtr (*networkPortCreateXML)(virNetworkPtr net, const char *xml,
                                              unsigned int flags);
    char *(*networkPortGetXMLDesc)(virNetworkPortPtr port, unsigned int flags);
    int (*networkPortGetParameters)(virNetworkPortPtr port, virTypedParameterPtr *params,
                                    int *nparams, unsigned int flags);
    int (*networkPortSetParameters)(virNetworkPortPtr port, virTypedParameterPtr params,
                                    int nparams, unsigned int flags);
    int (*networkPortDelete)(virNetworkPortPtr port, unsigned int flags);
};

struct _virStorageDriver {
    const char *name;
    int (*connectNumOfStoragePools)(virConnectPtr conn);
    int (*connectListStoragePools)(virConnectPtr conn, char **const names, int maxnames);
    int (*connectNumOfDefinedStoragePools)(virConnectPtr conn);
    int (*connectListDefinedStoragePools)(virConnectPtr conn, char **const names,
                                          int maxnames);
    int (*connectListAllStoragePools)(virConnectPtr conn, virStoragePoolPtr **pools,
                                      unsigned int flags);
    virStoragePoolPtr (*storagePoolLookupByName)(virConnectPtr conn, const char *name);
    virStoragePoolPtr (*storagePoolLookupByUUID)(virConnectPtr conn,
                                                 const unsigned char *uuid);
    char *(*storagePoolGetXMLDesc)(virStoragePoolPtr pool, unsigned int flags);
    int (*connectStoragePoolEventRegisterAny)(
        virConnectPtr conn, virStoragePoolPtr pool, int eventID,
        virConnectStoragePoolEventGenericCallback cb, void *opaque,
        virFreeCallback freecb);
    int (*connectStoragePoolEventDeregisterAny)(virConnectPtr conn, int callbackID);
    /* storage engineer's block: the rest of the family. Volume handles
     * name their pool (vol->pool) and volume (vol->name); a driver finds
     * them again by those. Upload/Download attach the stream as
     * domainOpenConsole does. */
    char *(*connectFindStoragePoolSources)(virConnectPtr conn, const char *type,
                                           const char *srcSpec, unsigned int flags);
    virStoragePoolPtr (*storagePoolLookupByVolume)(virStorageVolPtr vol);
    virStoragePoolPtr (*storagePoolCreateXML)(virConnectPtr conn, const char *xmlDesc,
                                              unsigned int flags);
    virStoragePoolPtr (*storagePoolDefineXML)(virConnectPtr conn, const char *xml,
                                              unsigned int flags);
    int (*storagePoolBuild)(virStoragePoolPtr pool, unsigned int flags);
    int (*storagePoolUndefine)(virStoragePoolPtr pool);
    int (*storagePoolCreate)(virStoragePoolPtr pool, unsigned int flags);
    int (*storagePoolDestroy)(virStoragePoolPtr pool);
    int (*storagePoolDelete)(virStoragePoolPtr pool, unsigned int flags);
    int (*storagePoolRefresh)(virStoragePoolPtr pool, unsigned int flags);
    int (*storagePoolGetInfo)(virStoragePoolPtr pool, virStoragePoolInfoPtr info);
    int (*storagePoolGetAutostart)(virStoragePoolPtr pool, int *autostart);
    int (*storagePoolSetAutostart)(virStoragePoolPtr pool, int autostart);
    int (*storagePoolNumOfVolumes)(virStoragePoolPtr pool);
    int (*storagePoolListVolumes)(virStoragePoolPtr pool, char **const names,
                                  int maxnames);
    int (*storagePoolListAllVolumes)(virStoragePoolPtr pool, virStorageVolPtr **vols,
                                     unsigned int flags);
    int (*storagePoolIsActive)(virStoragePoolPtr pool);
    int (*storagePoolIsPersistent)(virStoragePoolPtr pool);
    virStorageVolPtr (*storageVolLookupByName)(virStoragePoolPtr pool, const char *name);
    virStorageVolPtr (*storageVolLookupByKey)(virConnectPtr conn, const char *key);
    virStorageVolPtr (*storageVolLookupByPath)(virConnectPtr conn, const char *path);
    virStorageVolPtr (*storageVolCreateXML)(virStoragePoolPtr pool, const char *xmlDesc,
                                            unsigned int flags);
    virStorageVolPtr (*storageVolCreateXMLFrom)(virStoragePoolPtr pool,
                                                const char *xmlDesc,
                                                virStorageVolPtr clonevol,
                                                unsigned int flags);
    int (*storageVolDelete)(virStorageVolPtr vol, unsigned int flags);
    int (*storageVolWipe)(virStorageVolPtr vol, unsigned int flags);
    int (*storageVolWipePattern)(virStorageVolPtr vol, unsigned int algorithm,
                                 unsigned int flags);
    int (*storageVolGetInfo)(virStorageVolPtr vol, virStorageVolInfoPtr info);
    int (*storageVolGetInfoFlags)(virStorageVolPtr vol, virStorageVolInfoPtr info,
                                  unsigned int flags);
    char *(*storageVolGetXMLDesc)(virStorageVolPtr vol, unsigned int flags);
    char *(*storageVolGetPath)(virStorageVolPtr vol);
    int (*storageVolResize)(virStorageVolPtr vol, unsigned long long capacity,
                            unsigned int flags);
    int (*storageVolUpload)(virStorageVolPtr vol, virStreamPtr stream,
                            unsigned long long offset, unsigned long long length,
                            unsigned int flags);
    int (*storageVolDownload)(virStorageVolPtr vol, virStreamPtr stream,
                              unsigned long long offset, unsigned long long length,
                              unsigned int flags);
    virStoragePoolPtr (*storagePoolLookupByTargetPath)(virConnectPtr conn,
                                                       const char *path);
    char *(*connectGetStoragePoolCapabilities)(virConnectPtr conn, unsigned int flags);
};

struct _virNodeDeviceDriver {
    const char *name;
    int (*nodeNumOfDevices)(virConnectPtr conn, const char *cap, unsigned int flags);
    int (*nodeListDevices)(virConnectPtr conn, const char *cap, char **const names,
                           int maxnames, unsigned int flags);
    int (*connectListAllNodeDevices)(virConnectPtr conn, virNodeDevicePtr **devices,
                                     unsigned int flags);
    virNodeDevicePtr (*nodeDeviceLookupByName)(virConnectPtr conn, const char *name);
    char *(*nodeDeviceGetXMLDesc)(virNodeDevicePtr dev, unsigned int flags);
    /* The parent's name (allocated), or NULL with an error for none. */
    char *(*nodeDeviceGetParent)(virNodeDevicePtr dev);
    int (*nodeDeviceNumOfCaps)(virNodeDevicePtr dev);
    int (*nodeDeviceListCaps)(virNodeDevicePtr dev, char **const names, int maxnames);
    int (*nodeDeviceIsActive)(virNodeDevicePtr dev);
    int (*nodeDeviceIsPersistent)(virNodeDevicePtr dev);
    int (*nodeDeviceGetAutostart)(virNodeDevicePtr dev, int *autostart);
    int (*connectNodeDeviceEventRegisterAny)(virConnectPtr conn, virNodeDevicePtr dev,
                                             int eventID,
                                             virConnectNodeDeviceEventGenericCallback cb,
                                             void *opaque, virFreeCallback freecb);
    int (*connectNodeDeviceEventDeregisterAny)(virConnectPtr conn, int callbackID);
    /* create / destroy (network engineer) */
    virNodeDevicePtr (*nodeDeviceCreateXML)(virConnectPtr conn, const char *xml,
                                            unsigned int flags);
    int (*nodeDeviceDestroy)(virNodeDevicePtr dev);
    virNodeDevicePtr (*nodeDeviceDefineXML)(virConnectPtr conn, const char *xml,
                                            unsigned int flags);
    int (*nodeDeviceUndefine)(virNodeDevicePtr dev, unsigned int flags);
    int (*nodeDeviceCreate)(virNodeDevicePtr dev, unsigned int flags);
    int (*nodeDeviceSetAutostart)(virNodeDevicePtr dev, int autostart);
};

struct _virSecretDriver {
    const char *name;
    int (*connectNumOfSecrets)(virConnectPtr conn);
    int (*connectListSecrets)(virConnectPtr conn, char **uuids, int maxuuids);
    int (*connectListAllSecrets)(virConnectPtr conn, virSecretPtr **secrets,
                                 unsigned int flags);
    virSecretPtr (*secretLookupByUUID)(virConnectPtr conn, const unsigned char *uuid);
    virSecretPtr (*secretLookupByUsage)(virConnectPtr conn, int usageType,
                                        const char *usageID);
    virSecretPtr (*secretDefineXML)(virConnectPtr conn, const char *xml,
                                    unsigned int flags);
    char *(*secretGetXMLDesc)(virSecretPtr secret, unsigned int flags);
    int (*secretSetValue)(virSecretPtr secret, const unsigned char *value,
                          size_t value_size, unsigned int flags);
    /* The value (allocated; *@value_size its length), or NULL with an error. */
    unsigned char *(*secretGetValue)(virSecretPtr secret, size_t *value_size,
                                     unsigned int flags);
    int (*secretUndefine)(virSecretPtr secret);
    int (*connectSecretEventRegisterAny)(virConnectPtr conn, virSecretPtr secret,
                                         int eventID,
                                         virConnectSecretEventGenericCallback cb,
                                         void *opaque, virFreeCallback freecb);
    int (*connectSecretEventDeregisterAny)(virConnectPtr conn, int callbackID);
    /* Internal callers only (a hypervisor driver handing a disk's secret to
     * QEMU, as libvirt's VIR_SECRET_GET_VALUE_INTERNAL_CALL): the value even
     * of a private secret. No public entry point or wire procedure reaches
     * it; the remote driver leaves it NULL. */
    unsigned char *(*secretGetValueInternal)(virSecretPtr secret, size_t *value_size);
};

struct _virInterfaceDriver {
    const char *name;
    int (*connectNumOfInterfaces)(virConnectPtr conn);
    int (*connectListInterfaces)(virConnectPtr conn, char **const names, int maxnames);
    int (*connectNumOfDefinedInterfaces)(virConnectPtr conn);
    int (*connectListDefinedInterfaces)(virConnectPtr conn, char **const names,
                                        int maxnames);
    int (*connectListAllInterfaces)(virConnectPtr conn, virInterfacePtr **ifaces,
                                    unsigned int flags);
    virInterfacePtr (*interfaceLookupByName)(virConnectPtr conn, const char *name);
    virInterfacePtr (*interfaceLookupByMACString)(virConnectPtr conn, const char *mac);
    char *(*interfaceGetXMLDesc)(virInterfacePtr iface, unsigned int flags);
    int (*interfaceIsActive)(virInterfacePtr iface);
    /* definitions and transactions (the test driver; libvirt's udev
     * backend, as virtkitd's host driver, has none) */
    virInterfacePtr (*interfaceDefineXML)(virConnectPtr conn, const char *xml,
                                          unsigned int flags);
    int (*interfaceUndefine)(virInterfacePtr iface);
    int (*interfaceCreate)(virInterfacePtr iface, unsigned int flags);
    int (*interfaceDestroy)(virInterfacePtr iface, unsigned int flags);
    int (*interfaceChangeBegin)(virConnectPtr conn, unsigned int flags);
    int (*interfaceChangeCommit)(virConnectPtr conn, unsigned int flags);
    int (*interfaceChangeRollback)(virConnectPtr conn, unsigned int flags);
};

struct _virNWFilterDriver {
    const char *name;
    int (*connectNumOfNWFilters)(virConnectPtr conn);
    int (*connectListNWFilters)(virConnectPtr conn, char **const names, int maxnames);
    int (*connectListAllNWFilters)(virConnectPtr conn, virNWFilterPtr **filters,
                                   unsigned int flags);
    virNWFilterPtr (*nwfilterLookupByName)(virConnectPtr conn, const char *name);
    virNWFilterPtr (*nwfilterLookupByUUID)(virConnectPtr conn, const unsigned char *uuid);
    char *(*nwfilterGetXMLDesc)(virNWFilterPtr nwfilter, unsigned int flags);
    /* definition, undefinition and bindings (src/drivers/nwfilter) */
    virNWFilterPtr (*nwfilterDefineXML)(virConnectPtr conn, const char *xml);
    virNWFilterPtr (*nwfilterDefineXMLFlags)(virConnectPtr conn, const char *xml,
                                             unsigned int flags);
    int (*nwfilterUndefine)(virNWFilterPtr nwfilter);
    int (*connectListAllNWFilterBindings)(virConnectPtr conn,
                                          virNWFilterBindingPtr **bindings,
                                          unsigned int flags);
    virNWFilterBindingPtr (*nwfilterBindingLookupByPortDev)(virConnectPtr conn,
                                                            const char *portdev);
    char *(*nwfilterBindingGetXMLDesc)(virNWFilterBindingPtr binding, unsigned int flags);
    virNWFilterBindingPtr (*nwfilterBindingCreateXML)(virConnectPtr conn, const char *xml,
                                                      unsigned int flags);
    int (*nwfilterBindingDelete)(virNWFilterBindingPtr binding);
};

/* Register (or with NULL, withdraw) the driver serving qemu:/// connections
 * of this process for one kind (libvirt's virSetSharedNetworkDriver, ...).
 * Called from a driver's stateInitialize / stateCleanup; connections
 * opened before keep what they had. Thread-safe. */
void virSetSharedNetworkDriver(const virNetworkDriver *driver);
void virSetSharedStorageDriver(const virStorageDriver *driver);
void virSetSharedNodeDeviceDriver(const virNodeDeviceDriver *driver);
void virSetSharedSecretDriver(const virSecretDriver *driver);
void virSetSharedInterfaceDriver(const virInterfaceDriver *driver);
void virSetSharedNWFilterDriver(const virNWFilterDriver *driver);
const virNetworkDriver *virGetSharedNetworkDriver(void);
const virStorageDriver *virGetSharedStorageDriver(void);
const virNodeDeviceDriver *virGetSharedNodeDeviceDriver(void);
const virSecretDriver *virGetSharedSecretDriver(void);
const virInterfaceDriver *virGetSharedInterfaceDriver(void);
const virNWFilterDriver *virGetSharedNWFilterDriver(void);

/* Storage for qemu:///embed?root=ROOT connections (the storage driver
 * in-process, its files under ROOT: ROOT/etc/storage, ROOT/run/storage,
 * the default pool at ROOT/lib/images). virEmbedStorageOpen fills
 * @conn->storageDriver and @conn->storagePrivateData with @root's storage
 * state, made on first use and kept for the life of the process; 0, or -1
 * with an error reported (also when no opener is registered: the storage
 * driver is not part of this program). The opener is registered once by
 * src/libvirt (virSetEmbedStorageOpener). Thread-safe. */
typedef int (*virEmbedStorageOpenFunc)(virConnectPtr conn, const char *root);
void virSetEmbedStorageOpener(virEmbedStorageOpenFunc opener);
int virEmbedStorageOpen(virConnectPtr conn, const char *root);

/* The test driver's secondary tables (src/drivers/test/test_driver_<kind>.c;
 * one with no entries answers NO_SUPPORT for everything of its kind). */
extern const virNetworkDriver testNetworkDriver;
extern const virStorageDriver testStorageDriver;
extern const virNodeDeviceDriver testNodeDeviceDriver;
extern const virInterfaceDriver testInterfaceDriver;
/* (libvirt's test driver has no secret or nwfilter driver: NO_SUPPORT.) */

/* The remote driver's (src/remote/remote_driver_objects.c). */
extern const virNetworkDriver remoteNetworkDriver;
extern const virStorageDriver remoteStorageDriver;
extern const virNodeDeviceDriver remoteNodeDeviceDriver;
extern const virSecretDriver remoteSecretDriver;
extern const virInterfaceDriver remoteInterfaceDriver;
extern const virNWFilterDriver remoteNWFilterDriver;

/* The drivers linked into libvirtkit, tried in this order by virConnectOpen. */
extern const virHypervisorDriver testHypervisorDriver;
extern const virHypervisorDriver qemuHypervisorDriver;
extern const virHypervisorDriver remoteHypervisorDriver;
