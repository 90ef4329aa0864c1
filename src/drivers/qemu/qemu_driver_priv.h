/* qemu_driver_priv.h: helpers shared by the QEMU driver's entry-point files */
#pragma once

#include "driver.h"
#include "qemu_conf.h"
#include "qemu_domain.h"
#include "qemu_driver.h"
#include "virtypedparamlist.h"

struct json_object;

/* The registry of process-wide states (qemu_driver_conn.c). Initialize:
 * create the state of virtkitd (one per process; 0, or -1 with an error
 * reported, nothing killed on failure). Cleanup: release it (guests keep
 * running; no connection may be open on it). Ref: that state with a new
 * reference (release with qemuDriverUnref), or NULL before Initialize. */
int qemuDriverStateInitialize(const qemuDriverPaths *paths, bool privileged);
void qemuDriverStateCleanup(void);
qemuDriver *qemuDriverStateRef(void);

/* Autostart one guest (qemu_driver_lifecycle.c): start it unless it runs
 * already or is no longer marked autostart. 0, or -1 with an error
 * reported (NO_DOMAIN if it is gone). */
int qemuDomainAutostart(qemuDriver *driver, const unsigned char *uuid, const char *name);

/* The driver state behind an open connection. */
static inline qemuDriver *
qemuDriverOf(virConnectPtr conn)
{
    return conn->privateData;
}

/* The object behind @dom, locked with a reference (release with
 * virDomainObjEndAPI), or NULL with NO_DOMAIN reported (domain QEMU). */
virDomainObj *qemuDomainObjFromDomain(virDomainPtr dom);

/* OPERATION_INVALID "domain is not running" in the DOMAIN error domain
 * (libvirt's virDomainObjCheckActive) when @obj is inactive. */
int qemuDomainObjCheckActive(virDomainObj *obj);

/* A new public handle for @obj (locked). */
virDomainPtr qemuDomainHandle(virConnectPtr conn, virDomainObj *obj);

/* Entry points, by file. */
/* qemu_driver_conn.c */
virDrvOpenStatus qemuConnectOpen(virConnectPtr conn, const char *uri,
                                 virConnectAuthPtr auth, unsigned int flags);
int qemuConnectClose(virConnectPtr conn);
const char *qemuConnectGetType(virConnectPtr conn);
int qemuConnectGetVersion(virConnectPtr conn, unsigned long *hvVer);
int qemuConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer);
char *qemuConnectGetHostname(virConnectPtr conn);
char *qemuConnectGetURI(virConnectPtr conn);
char *qemuConnectGetCapabilities(virConnectPtr conn);
int qemuConnectGetMaxVcpus(virConnectPtr conn, const char *type);
int qemuConnectIsAlive(virConnectPtr conn);
int qemuConnectIsSecure(virConnectPtr conn);
int qemuConnectIsEncrypted(virConnectPtr conn);
int qemuNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info);
/* qemu_driver_host.c: host queries */
unsigned long long qemuNodeGetFreeMemory(virConnectPtr conn);
int qemuNodeGetCellsFreeMemory(virConnectPtr conn, unsigned long long *freeMems,
                               int startCell, int maxCells);
char *qemuConnectGetSysinfo(virConnectPtr conn, unsigned int flags);
/* qemu_driver_hugepages.c: huge page pools */
int qemuNodeGetFreePages(virConnectPtr conn, unsigned int npages, unsigned int *pages,
                         int startCell, unsigned int cellCount,
                         unsigned long long *counts, unsigned int flags);
int qemuNodeAllocPages(virConnectPtr conn, unsigned int npages, unsigned int *pageSizes,
                       unsigned long long *pageCounts, int startCell,
                       unsigned int cellCount, unsigned int flags);
/* qemu_driver_hostcpu.c: host and CPU facts */
/* qemu_driver_native.c: "qemu-argv", the command line of a start of
 * @domainXml (the QEMU driver reads no native format back). */
char *qemuConnectDomainXMLToNative(virConnectPtr conn, const char *nativeFormat,
                                   const char *domainXml, unsigned int flags);
char *qemuConnectGetDomainCapabilities(virConnectPtr conn, const char *emulatorbin,
                                       const char *arch, const char *machine,
                                       const char *virttype, unsigned int flags);
/* KVM_CAP_MAX_VCPUS of /dev/kvm (else KVM_CAP_NR_VCPUS, else 4), as
 * libvirt's virHostCPUGetKVMMaxVCPUs; -1 with "Unable to open /dev/kvm". */
int qemuHostKVMMaxVcpus(void);
/* The first CPU's "cpu MHz" of /proc/cpuinfo, truncated (libvirt's
 * nodeinfo frequency); 0 when not given. */
unsigned int qemuHostCPUMHz(void);
int qemuDomainSendKey(virDomainPtr dom, unsigned int codeset, unsigned int holdtime,
                      unsigned int *keycodes, int nkeycodes, unsigned int flags);
/* qemu_driver_agent.c: the guest agent's calls */
char *qemuDomainGetHostname(virDomainPtr dom, unsigned int flags);
int qemuDomainGetTime(virDomainPtr dom, long long *seconds, unsigned int *nseconds,
                      unsigned int flags);
int qemuDomainSetTime(virDomainPtr dom, long long seconds, unsigned int nseconds,
                      unsigned int flags);
/* the guest agent's interfaces (virDomainInterfaceAddresses, source agent):
 * the count and *ifaces, or -1 */
int qemuDomainAgentInterfaces(virDomainPtr dom, virDomainInterfacePtr **ifaces);
int qemuDomainGetFSInfo(virDomainPtr dom, virDomainFSInfoPtr **info, unsigned int flags);
int qemuDomainSetUserPassword(virDomainPtr dom, const char *user, const char *password,
                              unsigned int flags);
int qemuDomainAgentSetResponseTimeout(virDomainPtr dom, int timeout, unsigned int flags);
/* Shutdown or reboot through the guest agent (guest-shutdown, as libvirt's
 * qemuDomainShutdownFlagsAgent / RebootAgent), waiting for the guest to go
 * down or reset: 0, -1 (reported), or -2 unreported when !@forced and the
 * guest has no connected agent (the caller uses ACPI). */
int qemuDomainShutdownAgent(virDomainPtr dom, bool reboot, bool forced);
char *qemuDomainQemuAgentCommand(virDomainPtr dom, const char *cmd, int timeout,
                                 unsigned int flags);
int qemuDomainGetGuestInfo(virDomainPtr dom, unsigned int types,
                           virTypedParameterPtr *params, int *nparams,
                           unsigned int flags);
int qemuDomainGetGuestVcpus(virDomainPtr dom, virTypedParameterPtr *params,
                            unsigned int *nparams, unsigned int flags);
int qemuDomainSetGuestVcpus(virDomainPtr dom, const char *cpumap, int state,
                            unsigned int flags);
int qemuDomainAuthorizedSSHKeysGet(virDomainPtr dom, const char *user, char ***keys,
                                   unsigned int flags);
int qemuDomainAuthorizedSSHKeysSet(virDomainPtr dom, const char *user, const char **keys,
                                   unsigned int nkeys, unsigned int flags);
int qemuDomainFSFreeze(virDomainPtr dom, const char **mountpoints,
                       unsigned int nmountpoints, unsigned int flags);
int qemuDomainFSThaw(virDomainPtr dom, const char **mountpoints,
                     unsigned int nmountpoints, unsigned int flags);
int qemuDomainFSTrim(virDomainPtr dom, const char *mountPoint, unsigned long long minimum,
                     unsigned int flags);
int qemuDomainGetControlInfo(virDomainPtr dom, virDomainControlInfoPtr info,
                             unsigned int flags);
/* qemu_driver_iothread.c: IOThreads */
int qemuDomainGetIOThreadInfo(virDomainPtr dom, virDomainIOThreadInfoPtr **info,
                              unsigned int flags);
int qemuDomainPinIOThread(virDomainPtr dom, unsigned int iothread_id,
                          unsigned char *cpumap, int maplen, unsigned int flags);
int qemuDomainAddIOThread(virDomainPtr dom, unsigned int iothread_id, unsigned int flags);
int qemuDomainDelIOThread(virDomainPtr dom, unsigned int iothread_id, unsigned int flags);
int qemuDomainSetIOThreadParams(virDomainPtr dom, unsigned int iothread_id,
                                virTypedParameterPtr params, int nparams,
                                unsigned int flags);
/* The "iothread" statistics group from a query-iothreads @reply (NULL:
 * the query failed, nothing added), as libvirt's qemuDomainGetStatsIOThread. */
void qemuStatsIOThreadGroup(virTypedParamList *list, struct json_object *reply);
/* qemu_driver_display.c */
char *qemuDomainScreenshot(virDomainPtr dom, virStreamPtr st, unsigned int screen,
                           unsigned int flags);
int qemuDomainOpenGraphics(virDomainPtr dom, unsigned int idx, int fd,
                           unsigned int flags);
int qemuDomainOpenGraphicsFD(virDomainPtr dom, unsigned int idx, unsigned int flags);
int qemuNodeGetMemoryParameters(virConnectPtr conn, virTypedParameterPtr params,
                                int *nparams, unsigned int flags);
int qemuNodeSetMemoryParameters(virConnectPtr conn, virTypedParameterPtr params,
                                int nparams, unsigned int flags);
int qemuConnectGetCPUModelNames(virConnectPtr conn, const char *arch, char ***models,
                                unsigned int flags);
int qemuConnectCompareCPU(virConnectPtr conn, const char *xmlDesc, unsigned int flags);
int qemuConnectCompareHypervisorCPU(virConnectPtr conn, const char *emulator,
                                    const char *arch, const char *machine,
                                    const char *virttype, const char *xmlCPU,
                                    unsigned int flags);
char *qemuConnectBaselineCPU(virConnectPtr conn, const char **xmlCPUs, unsigned int ncpus,
                             unsigned int flags);
char *qemuConnectBaselineHypervisorCPU(virConnectPtr conn, const char *emulator,
                                       const char *arch, const char *machine,
                                       const char *virttype, const char **xmlCPUs,
                                       unsigned int ncpus, unsigned int flags);
int qemuNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel);
int qemuConnectNumOfDomains(virConnectPtr conn);
int qemuConnectListDomains(virConnectPtr conn, int *ids, int maxids);
int qemuConnectNumOfDefinedDomains(virConnectPtr conn);
int qemuConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames);
int qemuConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains,
                              unsigned int flags);
virDomainPtr qemuDomainLookupByID(virConnectPtr conn, int id);
virDomainPtr qemuDomainLookupByName(virConnectPtr conn, const char *name);
virDomainPtr qemuDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid);
int qemuConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                      virConnectDomainEventGenericCallback cb,
                                      void *opaque, virFreeCallback freecb);
int qemuConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID);
int qemuConnectDomainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb,
                                   void *opaque, virFreeCallback freecb);
int qemuConnectDomainEventDeregister(virConnectPtr conn,
                                     virConnectDomainEventCallback cb);

/* qemu_driver_lifecycle.c. QueueLifecycle: queue a lifecycle event of
 * @obj (locked). ParseForDriver: parse @xml for this driver (generic
 * parse, the driver's post-parse and refusals); *graceSec gets the
 * per-domain grace override; NULL with an error reported. */
void qemuDriverQueueLifecycle(qemuDriver *driver, virDomainObj *obj, int type,
                              int detail);
virDomainDef *qemuDomainDefParseForDriver(qemuDriver *driver, const char *xml,
                                          unsigned int parseFlags, int *graceSec);

/* qemu_driver_save.c: save, restore, managed save. ManagedSavePath: the
 * managed save image of domain @name (new string). ManagedSaveLoad: set
 * obj->hasManagedSave from the file (a virDomainObjListForEach callback;
 * @opaque is the driver). ManagedSaveStart: for a start of @obj (locked,
 * MODIFY job, inactive), restore from its managed save image if it has
 * one (*restored true, the image then deleted, events queued); 0 with
 * *restored false when there is none; -1 with an error reported. */
char *qemuDomainManagedSavePath(qemuDriver *driver, const char *name);
/* QEMU's migration stream of @obj (locked, job held, active; the lock is
 * dropped meanwhile) written to @fd (borrowed) until QEMU reports it
 * completed; a running guest is left paused by QEMU at the end. 0, or -1
 * with an error reported (the caller cancels the migration and cleans up). */
int qemuSaveMigrateToFd(virDomainObj *obj, int fd);
void qemuDomainManagedSaveLoad(virDomainObj *obj, void *opaque);
int qemuDomainManagedSaveStart(qemuDriver *driver, virDomainObj *obj, unsigned int flags,
                               bool *restored);
int qemuDomainSaveFlags(virDomainPtr dom, const char *to, const char *dxml,
                        unsigned int flags);
int qemuDomainRestoreFlags(virConnectPtr conn, const char *from, const char *dxml,
                           unsigned int flags);
/* SaveParams / RestoreParams: the parameters checked (libvirt's
 * virTypedParamsValidate errors), then as SaveFlags (ManagedSave without
 * VIR_DOMAIN_SAVE_PARAM_FILE) / RestoreFlags (INVALID_ARG without it). */
int qemuDomainSaveParams(virDomainPtr dom, virTypedParameterPtr params, int nparams,
                         unsigned int flags);
int qemuDomainRestoreParams(virConnectPtr conn, virTypedParameterPtr params, int nparams,
                            unsigned int flags);
/* qemu_driver_peek.c: BlockPeek reads @size bytes at @offset of the raw
 * image of the disk named @path (target or source; the domain may be off);
 * MemoryPeek reads guest memory of the running domain through QMP memsave
 * (VIR_MEMORY_VIRTUAL) or pmemsave (VIR_MEMORY_PHYSICAL). @buffer is
 * written only on success. 0, or -1 with libvirt 9.0's errors. */
int qemuDomainBlockPeek(virDomainPtr dom, const char *path, unsigned long long offset,
                        size_t size, void *buffer, unsigned int flags);
int qemuDomainMemoryPeek(virDomainPtr dom, unsigned long long offset, size_t size,
                         void *buffer, unsigned int flags);
char *qemuDomainSaveImageGetXMLDesc(virConnectPtr conn, const char *file,
                                    unsigned int flags);
int qemuDomainSaveImageDefineXML(virConnectPtr conn, const char *file, const char *dxml,
                                 unsigned int flags);
int qemuDomainManagedSave(virDomainPtr dom, unsigned int flags);
int qemuDomainManagedSaveRemove(virDomainPtr dom, unsigned int flags);
char *qemuDomainManagedSaveGetXMLDesc(virDomainPtr dom, unsigned int flags);
int qemuDomainManagedSaveDefineXML(virDomainPtr dom, const char *dxml,
                                   unsigned int flags);
/* A watchdog with action 'dump' fired (QEMU paused the guest): on a
 * worker, under the MODIFY job, its memory is dumped into <libDir>/dump
 * and the guest resumed, as libvirt's auto_dump_path. Object locked. */
void qemuDomainWatchdogDumpLater(qemuDriver *driver, virDomainObj *obj);
int qemuDomainCoreDumpWithFormat(virDomainPtr dom, const char *to,
                                 unsigned int dumpformat, unsigned int flags);

/* qemu_driver_lifecycle.c */
virDomainPtr qemuDomainDefineXMLFlags(virConnectPtr conn, const char *xml,
                                      unsigned int flags);
int qemuDomainUndefineFlags(virDomainPtr dom, unsigned int flags);
int qemuDomainCreateWithFlags(virDomainPtr dom, unsigned int flags);
virDomainPtr qemuDomainCreateXML(virConnectPtr conn, const char *xml, unsigned int flags);
int qemuDomainShutdownFlags(virDomainPtr dom, unsigned int flags);
int qemuDomainReboot(virDomainPtr dom, unsigned int flags);
int qemuDomainReset(virDomainPtr dom, unsigned int flags);
int qemuDomainDestroyFlags(virDomainPtr dom, unsigned int flags);
int qemuDomainSuspend(virDomainPtr dom);
int qemuDomainResume(virDomainPtr dom);
int qemuDomainSetAutostart(virDomainPtr dom, int autostart);

/* qemu_driver_ifaddr.c */
int qemuDomainInterfaceAddresses(virDomainPtr dom, virDomainInterfacePtr **ifaces,
                                 unsigned int source, unsigned int flags);
/* qemu_driver_stop.c: vkDomainStop */
int qemuDomainVkStop(virDomainPtr dom, unsigned int deadlineMs, unsigned int policy,
                     vkStopReport *report, vkStopProgressFunc progress, void *opaque);
/* qemu_driver_info.c */
int qemuDomainGetState(virDomainPtr dom, int *state, int *reason, unsigned int flags);
/* qemu_driver_monitor.c: virDomainQemuMonitorCommand */
/* qemu_driver_console.c */
int qemuDomainOpenConsole(virDomainPtr dom, const char *dev_name, virStreamPtr st,
                          unsigned int flags);
/* A stream to the unix channel @name (its alias or its virtio port name;
 * NULL: the first channel) of the running @dom, one stream per channel
 * (VIR_DOMAIN_CHANNEL_FORCE takes it over). libvirt 9.0's errors. */
int qemuDomainOpenChannel(virDomainPtr dom, const char *name, virStreamPtr st,
                          unsigned int flags);
int qemuDomainQemuMonitorCommand(virDomainPtr dom, const char *cmd, char **result,
                                 unsigned int flags);
int qemuConnectDomainQemuMonitorEventRegister(virConnectPtr conn, virDomainPtr dom,
                                              const char *event,
                                              virConnectDomainQemuMonitorEventCallback cb,
                                              void *opaque, virFreeCallback freecb,
                                              unsigned int flags);
int qemuConnectDomainQemuMonitorEventDeregister(virConnectPtr conn, int callbackID);
int qemuDomainGetInfo(virDomainPtr dom, virDomainInfoPtr info);
char *qemuDomainGetXMLDesc(virDomainPtr dom, unsigned int flags);
char *qemuDomainGetOSType(virDomainPtr dom);
unsigned long long qemuDomainGetMaxMemory(virDomainPtr dom);
int qemuDomainGetVcpusFlags(virDomainPtr dom, unsigned int flags);
int qemuDomainIsActive(virDomainPtr dom);
int qemuDomainIsPersistent(virDomainPtr dom);
int qemuDomainIsUpdated(virDomainPtr dom);
int qemuDomainGetAutostart(virDomainPtr dom, int *autostart);
int qemuDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags);
int qemuDomainGetSecurityLabel(virDomainPtr dom, virSecurityLabelPtr seclabel);
int qemuDomainGetSecurityLabelList(virDomainPtr dom, virSecurityLabelPtr *seclabels);
int qemuDomainGetMessages(virDomainPtr dom, char ***msgs, unsigned int flags);

/* qemu_driver_stats.c: guest and host statistics */
int qemuDomainMemoryStats(virDomainPtr dom, virDomainMemoryStatPtr stats,
                          unsigned int nr_stats, unsigned int flags);
int qemuDomainSetMemoryStatsPeriod(virDomainPtr dom, int period, unsigned int flags);
/* After a reconnect (@obj locked, job held; unlocked around one QMP
 * command): asks QEMU whether a balloon statistics period was set before
 * the daemon restarted; if none, statistics calls skip the guest's own
 * balloon figures (qom-get guest-stats) as after a start. Without that,
 * every statistics call asked each reconnected guest (20 guests: 9-18 ms
 * a call at load 20, where guests started by the daemon answer in
 * 0.15 ms). Failures are tolerated: the calls keep asking. */
void qemuStatsRefreshBalloonIdle(virDomainObj *obj);
int qemuDomainBlockStats(virDomainPtr dom, const char *path,
                         virDomainBlockStatsPtr stats);
int qemuDomainBlockStatsFlags(virDomainPtr dom, const char *path,
                              virTypedParameterPtr params, int *nparams,
                              unsigned int flags);
int qemuDomainInterfaceStats(virDomainPtr dom, const char *device,
                             virDomainInterfaceStatsPtr stats);
int qemuDomainGetVcpus(virDomainPtr dom, virVcpuInfoPtr info, int maxinfo,
                       unsigned char *cpumaps, int maplen);
int qemuDomainGetVcpuPinInfo(virDomainPtr dom, int ncpumaps, unsigned char *cpumaps,
                             int maplen, unsigned int flags);
int qemuDomainGetCPUStats(virDomainPtr dom, virTypedParameterPtr params,
                          unsigned int nparams, int start_cpu, unsigned int ncpus,
                          unsigned int flags);
int qemuDomainGetBlockInfo(virDomainPtr dom, const char *path, virDomainBlockInfoPtr info,
                           unsigned int flags);
int qemuDomainGetJobInfo(virDomainPtr dom, virDomainJobInfoPtr info);
int qemuDomainGetJobStats(virDomainPtr dom, int *type, virTypedParameterPtr *params,
                          int *nparams, unsigned int flags);
/* Whether the query-block / query-blockstats entry @entry (a json_object)
 * belongs to the device of qdev id @id (qemu_driver_stats.c). */
struct json_object;
bool qemuStatsQdevIs(struct json_object *entry, const char *id);
/* qemu_driver_job.c */
int qemuDomainGetDiskErrors(virDomainPtr dom, virDomainDiskErrorPtr errors,
                            unsigned int maxerrors, unsigned int flags);
int qemuDomainAbortJob(virDomainPtr dom);
int qemuDomainAbortJobFlags(virDomainPtr dom, unsigned int flags);
int qemuNodeGetCPUStats(virConnectPtr conn, int cpuNum, virNodeCPUStatsPtr params,
                        int *nparams, unsigned int flags);
int qemuNodeGetMemoryStats(virConnectPtr conn, int cellNum, virNodeMemoryStatsPtr params,
                           int *nparams, unsigned int flags);
/* The host's CPUs: how many (highest present + 1), and a map of the online
 * ones (g_free; may be NULL). -1 with an error reported
 * (qemu_driver_hoststats.c). */
int qemuHostCpus(unsigned char **online, unsigned int *nonline);
int qemuNodeGetCPUMap(virConnectPtr conn, unsigned char **cpumap, unsigned int *online,
                      unsigned int flags);
int qemuConnectGetAllDomainStats(virConnectPtr conn, virDomainPtr *doms,
                                 unsigned int ndoms, unsigned int stats,
                                 virDomainStatsRecordPtr **retStats, unsigned int flags);

/* qemu_driver_dirtyrate.c: memory dirty rate. qemuStatsDirtyRateRecord
 * adds the "dirtyrate.*" parameters of @reply (query-dirty-rate's
 * "return", may be NULL: nothing added) to @list, or with @unstarted those
 * of a QEMU that never measured (priv->dirtyRateUnstarted; @reply unused).
 * qemuStatsDirtyRateIsUnstarted: whether @reply (may be NULL) is exactly
 * what such a QEMU answers. */
int qemuDomainStartDirtyRateCalc(virDomainPtr dom, int seconds, unsigned int flags);
struct json_object;
void qemuStatsDirtyRateRecord(virTypedParamList *list, struct json_object *reply,
                              bool unstarted);
bool qemuStatsDirtyRateIsUnstarted(struct json_object *reply);

/* qemu_driver_live.c: live changes (balloon, NMI) */
int qemuDomainSetMemoryFlags(virDomainPtr dom, unsigned long memory, unsigned int flags);
/* The QMP @command without arguments on @dom's running QEMU, in a modify
 * job (OPERATION_INVALID when @dom is not running); for the public calls
 * that are only that (inject-nmi, system_wakeup). 0, or -1 after
 * reporting. */
int qemuDomainMonitorCommandJob(virDomainPtr dom, const char *command);
int qemuDomainInjectNMI(virDomainPtr dom, unsigned int flags);
/* qemu_driver_power.c: lifecycle actions */
int qemuDomainSetLifecycleAction(virDomainPtr dom, unsigned int type, unsigned int action,
                                 unsigned int flags);
int qemuDomainPMSuspendForDuration(virDomainPtr dom, unsigned int target,
                                   unsigned long long duration, unsigned int flags);
int qemuDomainPMWakeup(virDomainPtr dom, unsigned int flags);
int qemuNodeSuspendForDuration(virConnectPtr conn, unsigned int target,
                               unsigned long long duration, unsigned int flags);

/* qemu_driver_change.c: definition changes (metadata, rename) */
int qemuDomainObjGetDefs(virDomainObj *obj, unsigned int flags, virDomainDef **live,
                         virDomainDef **persistent);
int qemuDomainSetMetadata(virDomainPtr dom, int type, const char *metadata,
                          const char *key, const char *uri, unsigned int flags);
char *qemuDomainGetMetadata(virDomainPtr dom, int type, const char *uri,
                            unsigned int flags);
int qemuDomainRename(virDomainPtr dom, const char *new_name, unsigned int flags);
/* qemu_perf.c: Linux perf events */
int qemuDomainGetPerfEvents(virDomainPtr dom, virTypedParameterPtr *params, int *nparams,
                            unsigned int flags);
int qemuDomainSetPerfEvents(virDomainPtr dom, virTypedParameterPtr params, int nparams,
                            unsigned int flags);
/* qemu_driver_tune.c: resource tuning through cgroups */
int qemuTuneGetDefs(virDomainObj *obj, unsigned int flags, virDomainDef **live,
                    virDomainDef **persistent);
char *qemuDomainGetSchedulerType(virDomainPtr dom, int *nparams);
int qemuDomainGetSchedulerParameters(virDomainPtr dom, virTypedParameterPtr params,
                                     int *nparams);
int qemuDomainGetSchedulerParametersFlags(virDomainPtr dom, virTypedParameterPtr params,
                                          int *nparams, unsigned int flags);
int qemuDomainSetSchedulerParameters(virDomainPtr dom, virTypedParameterPtr params,
                                     int nparams);
int qemuDomainSetSchedulerParametersFlags(virDomainPtr dom, virTypedParameterPtr params,
                                          int nparams, unsigned int flags);

/* qemu_hotplug.c: running guests' hardware (vCPUs, block size) */
int qemuDomainSetVcpusFlags(virDomainPtr dom, unsigned int nvcpus, unsigned int flags);
int qemuDomainSetVcpu(virDomainPtr dom, const char *cpumap, int state,
                      unsigned int flags);
int qemuDomainBlockResize(virDomainPtr dom, const char *path, unsigned long long size,
                          unsigned int flags);
int qemuDomainSetBlockThreshold(virDomainPtr dom, const char *dev,
                                unsigned long long threshold, unsigned int flags);

/* qemu_driver_iotune.c: a disk's <iotune> (block_set_io_throttle) */
int qemuDomainSetBlockIoTune(virDomainPtr dom, const char *disk,
                             virTypedParameterPtr params, int nparams,
                             unsigned int flags);
int qemuDomainGetBlockIoTune(virDomainPtr dom, const char *disk,
                             virTypedParameterPtr params, int *nparams,
                             unsigned int flags);
/* qemu_driver_iftune.c: an interface's <bandwidth> (tc on its tap) */
int qemuDomainSetInterfaceParameters(virDomainPtr dom, const char *device,
                                     virTypedParameterPtr params, int nparams,
                                     unsigned int flags);
int qemuDomainGetInterfaceParameters(virDomainPtr dom, const char *device,
                                     virTypedParameterPtr params, int *nparams,
                                     unsigned int flags);
/* qemu_driver_tune.c: memtune, blkiotune, numatune, pins */
int qemuDomainSetMemoryParameters(virDomainPtr dom, virTypedParameterPtr params,
                                  int nparams, unsigned int flags);
int qemuDomainGetMemoryParameters(virDomainPtr dom, virTypedParameterPtr params,
                                  int *nparams, unsigned int flags);
int qemuDomainSetBlkioParameters(virDomainPtr dom, virTypedParameterPtr params,
                                 int nparams, unsigned int flags);
int qemuDomainGetBlkioParameters(virDomainPtr dom, virTypedParameterPtr params,
                                 int *nparams, unsigned int flags);
int qemuDomainSetNumaParameters(virDomainPtr dom, virTypedParameterPtr params,
                                int nparams, unsigned int flags);
int qemuDomainGetNumaParameters(virDomainPtr dom, virTypedParameterPtr params,
                                int *nparams, unsigned int flags);
int qemuDomainPinVcpu(virDomainPtr dom, unsigned int vcpu, unsigned char *cpumap,
                      int maplen);
int qemuDomainPinVcpuFlags(virDomainPtr dom, unsigned int vcpu, unsigned char *cpumap,
                           int maplen, unsigned int flags);
int qemuDomainPinEmulator(virDomainPtr dom, unsigned char *cpumap, int maplen,
                          unsigned int flags);
int qemuDomainGetEmulatorPinInfo(virDomainPtr dom, unsigned char *cpumaps, int maplen,
                                 unsigned int flags);
/* @map (@maplen bytes): vCPU @vcpu's pin in @def, else every online host CPU. */
int qemuTuneVcpuPinMap(const virDomainDef *def, unsigned int vcpu, unsigned char *map,
                       int maplen);
int qemuDomainAttachDeviceFlags(virDomainPtr dom, const char *xml, unsigned int flags);
int qemuDomainDetachDeviceFlags(virDomainPtr dom, const char *xml, unsigned int flags);
int qemuDomainDetachDeviceAlias(virDomainPtr dom, const char *alias, unsigned int flags);
/* qemu_hotplug_update.c */
int qemuDomainUpdateDeviceFlags(virDomainPtr dom, const char *xml, unsigned int flags);

/* qemu_checkpoint.c: domain checkpoints (persistent dirty bitmaps). Load:
 * the metadata of one domain at driver start (a virDomainObjListForEach
 * callback, @opaque the driver). CheckUndefine: libvirt's rule for an
 * inactive domain with checkpoints (refused without
 * VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA, else their metadata goes);
 * object locked, job held. */
void qemuCheckpointLoad(virDomainObj *obj, void *opaque);
int qemuCheckpointCheckUndefine(qemuDriver *driver, virDomainObj *obj,
                                unsigned int flags);
/* Rename: the checkpoint metadata directory of @oldName becomes
 * @newName's (none: nothing to do). 0, or -1 with the error reported. */
int qemuCheckpointRenameMetadata(qemuDriver *driver, const char *oldName,
                                 const char *newName);
/* The checkpoints' bitmaps across a block job's change of the chain, as
 * libvirt 9.0's qemuBlockGetBitmapMergeActions: for each bitmap of the
 * image @top whose chain is valid (it starts at @top and is in
 * consecutive images, each persistent, recording and consistent), the
 * same-named bitmaps of the images from @top down to @stop (excluded;
 * NULL: the whole chain) are merged into @target's bitmap of that name,
 * added first when missing; one transaction. Each of @top, @stop and
 * @target is a node name or the path of an image (its format node). Used
 * for a copy about to pivot (qemuBlockBitmapsHandleBlockcopy: @top the
 * disk's top, @target the copy), an active commit about to pivot and an
 * inactive commit about to finalize (qemuBlockBitmapsHandleCommitFinish:
 * @target the base, also @stop), a pull about to finalize (@target the
 * disk's top). Nothing when the domain has no checkpoint. Object locked,
 * job held; 0, or -1 with an error reported. */
int qemuCheckpointMergeBitmaps(virDomainObj *obj, const char *top, const char *stop,
                               const char *target);
/* An external snapshot of a running guest keeps counting for its
 * checkpoints, as libvirt 9.0's: for each recording persistent bitmap of
 * the disk @dd's current top, a block-dirty-bitmap-add of the same name
 * on the new @overlay node appended to the snapshot's transaction
 * @actions. Object locked, job held; 0, or -1 with an error reported. */
struct json_object;
int qemuCheckpointPropagateBitmaps(virDomainObj *obj, const virDomainDiskDef *dd,
                                   const char *overlay, struct json_object *actions);
virDomainCheckpointPtr qemuDomainCheckpointCreateXML(virDomainPtr dom, const char *xml,
                                                     unsigned int flags);
char *qemuDomainCheckpointGetXMLDesc(virDomainCheckpointPtr cp, unsigned int flags);
int qemuDomainListAllCheckpoints(virDomainPtr dom, virDomainCheckpointPtr **cps,
                                 unsigned int flags);
int qemuDomainCheckpointListAllChildren(virDomainCheckpointPtr cp,
                                        virDomainCheckpointPtr **cps, unsigned int flags);
virDomainCheckpointPtr
qemuDomainCheckpointLookupByName(virDomainPtr dom, const char *name, unsigned int flags);
virDomainCheckpointPtr qemuDomainCheckpointGetParent(virDomainCheckpointPtr cp,
                                                     unsigned int flags);
int qemuDomainCheckpointDelete(virDomainCheckpointPtr cp, unsigned int flags);
/* For backups (qemu_checkpoint.c; object locked, MODIFY job held, the
 * lock dropped while QEMU answers). qemuCheckpointExists: @name is one of
 * @obj's checkpoints. qemuCheckpointBackupBitmap: appends to @actions (a
 * transaction's) the temporary bitmap @bitmap on @dd's top image holding
 * every write since @checkpoint (its bitmaps in the disk's chain merged);
 * -1 with libvirt's CHECKPOINT_INCONSISTENT "missing or broken bitmap"
 * when the chain lacks it. qemuCheckpointBackupPrepare: parses and checks
 * the new checkpoint @xml as virDomainCheckpointCreateXML does and appends
 * its bitmaps to @actions; *@def is the checkpoint to record with
 * qemuCheckpointBackupCommit once the transaction succeeded (which takes
 * it and writes its metadata). 0, or -1 with the error reported. */
struct _virDomainCheckpointDef;
bool qemuCheckpointExists(virDomainObj *obj, const char *name);
int qemuCheckpointBackupBitmap(virDomainObj *obj, const virDomainDiskDef *dd,
                               const char *checkpoint, const char *bitmap,
                               struct json_object *actions);
int qemuCheckpointBackupPrepare(virDomainObj *obj, const char *xml,
                                struct _virDomainCheckpointDef **def,
                                struct json_object *actions);
int qemuCheckpointBackupCommit(qemuDriver *driver, virDomainObj *obj,
                               struct _virDomainCheckpointDef **def);

/* qemu_snapshot.c: domain snapshots (internal qcow2 snapshots). Load: the
 * metadata of one domain at driver start (virDomainObjListForEach
 * callback, @opaque the driver). CheckUndefine: libvirt's rule for an
 * inactive domain with snapshots (refused without
 * VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA, else the metadata is removed);
 * @obj locked, job held; 0 or -1 with an error reported. */
void qemuSnapshotLoad(virDomainObj *obj, void *opaque);
int qemuSnapshotCheckUndefine(qemuDriver *driver, virDomainObj *obj, unsigned int flags);
/* Forget every snapshot of @obj (locked) and remove its metadata files
 * (a transient domain that goes away); failures are only logged. */
void qemuSnapshotDiscardAllMetadata(qemuDriver *driver, virDomainObj *obj);
virDomainSnapshotPtr qemuDomainSnapshotCreateXML(virDomainPtr dom, const char *xml,
                                                 unsigned int flags);
char *qemuDomainSnapshotGetXMLDesc(virDomainSnapshotPtr snap, unsigned int flags);
int qemuDomainSnapshotNum(virDomainPtr dom, unsigned int flags);
int qemuDomainSnapshotListNames(virDomainPtr dom, char **const names, int maxnames,
                                unsigned int flags);
int qemuDomainListAllSnapshots(virDomainPtr dom, virDomainSnapshotPtr **snaps,
                               unsigned int flags);
int qemuDomainSnapshotNumChildren(virDomainSnapshotPtr snap, unsigned int flags);
int qemuDomainSnapshotListChildrenNames(virDomainSnapshotPtr snap, char **const names,
                                        int maxnames, unsigned int flags);
int qemuDomainSnapshotListAllChildren(virDomainSnapshotPtr snap,
                                      virDomainSnapshotPtr **snaps, unsigned int flags);
virDomainSnapshotPtr qemuDomainSnapshotLookupByName(virDomainPtr dom, const char *name,
                                                    unsigned int flags);
int qemuDomainHasCurrentSnapshot(virDomainPtr dom, unsigned int flags);
virDomainSnapshotPtr qemuDomainSnapshotGetParent(virDomainSnapshotPtr snap,
                                                 unsigned int flags);
virDomainSnapshotPtr qemuDomainSnapshotCurrent(virDomainPtr dom, unsigned int flags);
int qemuDomainSnapshotIsCurrent(virDomainSnapshotPtr snap, unsigned int flags);
int qemuDomainSnapshotHasMetadata(virDomainSnapshotPtr snap, unsigned int flags);
int qemuDomainRevertToSnapshot(virDomainSnapshotPtr snap, unsigned int flags);
int qemuDomainSnapshotDelete(virDomainSnapshotPtr snap, unsigned int flags);

/* qemu_driver_hostdev.c */
int qemuNodeDeviceDettach(virNodeDevicePtr dev);
int qemuNodeDeviceDetachFlags(virNodeDevicePtr dev, const char *driverName,
                              unsigned int flags);
int qemuNodeDeviceReAttach(virNodeDevicePtr dev);
int qemuNodeDeviceReset(virNodeDevicePtr dev);
