/* test_driver_priv.h: the test driver's state, shared by its files */
#pragma once

#include "domain_obj.h"
#include "domain_event.h"
#include "network_conf.h"
#include "node_device_conf.h"
#include "storage_obj.h"
#include "virerror.h"

#include <virtkit/virtkit.h> /* vkDomainStop's types */

/*
 * As libvirt 9.0: every open of test:///PATH.xml gets its own private
 * testDriver; the connections open to test:///default at the same time
 * share one, reset when the last of them closes (test_driver.c).
 *
 * Locking:
 * - nodeInfo, capsXML and the pointers below are set while the connection
 *   opens and never change afterwards: read them without a lock.
 * - domains and eventState lock themselves; lookups and queries only take
 *   the list's read lock and one object's lock.
 * - lock serializes the compound "check, then add or remove" sequences of
 *   define, undefine and createXML so that two of them cannot interleave;
 *   lookups and state queries never take it.
 */
typedef struct {
    char *username;
    char *password; /* NULL: none asked for */
} testAuthUser;

typedef struct _testDriver testDriver;
struct _testDriver {
    virNodeInfo nodeInfo;
    char *capsXML;           /* capabilities document, built at open */
    testAuthUser *authUsers; /* <auth><user> of a node file */
    size_t nauthUsers;

    virDomainObjList *domains;
    virObjectEventState *eventState;
    virNetworkObjList *networks;  /* test_driver_network.c */
    virStoragePoolObjList *pools; /* test_driver_storage.c */
    /* test_driver_interface.c: host interfaces (testIface), and the copy
     * taken by virInterfaceChangeBegin (NULL: no transaction); under lock */
    GPtrArray *ifaces;
    GPtrArray *ifacesBackup;
    /* node devices, libvirt's defaults at open (test_driver_nodedev.c) */
    virNodeDeviceObjList *nodedevs;

    GMutex lock;
};

/* The namespace of test-driver-only elements in <domain> inside a <node>
 * file (<test:runstate>, <test:transient/>). */
/* libvirt test driver's virConnectGetMaxVcpus */
#ifndef TEST_MAX_VCPUS
#define TEST_MAX_VCPUS 32
#endif

#define TEST_DOMAIN_NAMESPACE "http://libvirt.org/schemas/domain/test/1.0"

/*
 * Per-domain driver data (virDomainObj.privateData, created on first use,
 * protected by the object lock).
 */
typedef struct {
    /* libvirt keeps a separate next-boot copy of the definition from the
     * moment a persistent domain starts (and from any define while it
     * runs) until it stops; whether a define counts as "Defined Updated"
     * depends on it. virtkit's objects only store that copy when it
     * differs, so this flag remembers that libvirt would have one. */
    bool hasNextDef;
    /* the guest clock of virDomainGetTime/SetTime (libvirt's test driver
     * starts every domain's at TEST_GUEST_CLOCK_SECONDS) */
    long long seconds;
    unsigned int nseconds;
    /* virDomainFSFreeze: libvirt's test guest has "/" and "/boot" */
    bool frozenRoot;
    bool frozenBoot;
    /* libvirt's test driver keeps IOThread polling values apart from the
     * definition (testIOThreadPoll): made for the IOThreads of a node
     * file's domains when the connection opens, added and removed by
     * AddIOThread/DelIOThread whatever their flags, changed by
     * SetIOThreadParams and reported by the "iothread" statistics */
    GArray *iothreads;
} testDomainObjPrivate;

typedef struct {
    unsigned int id;
    unsigned long long pollMaxNs;
    unsigned int pollGrow;
    unsigned int pollShrink;
} testIOThreadPoll;

/* libvirt's test driver: 1989-11-17 15:32:00 UTC */
#define TEST_GUEST_CLOCK_SECONDS 627319920LL

/* The private data of @obj (locked), allocated on first use. */
testDomainObjPrivate *testDomainObjGetPrivate(virDomainObj *obj);

/* ---- test_driver.c helpers shared with the other files ------------------ */

/* The object behind @dom, locked and referenced, or NULL with libvirt's
 * NO_DOMAIN "no domain with matching uuid 'U' (NAME)". */
virDomainObj *testDomObjFromDomain(virDomainPtr dom);
/* OPERATION_INVALID "domain is not running" (DOMAIN error domain). */
int testDomainObjCheckActive(virDomainObj *obj);
/* libvirt's virDomainObjGetOneDef for VIR_DOMAIN_AFFECT_* @flags; NULL
 * with an error reported. */
const virDomainDef *testDomainObjGetOneDef(virDomainObj *obj, unsigned int flags);
/* The driver behind @conn (lent). */
testDriver *testDriverOf(virConnectPtr conn);
/* Queue @event (may be NULL; taken) on the driver's event state; call with
 * no object locked. */
void testQueueEvent(testDriver *driver, virObjectEvent *event);
/* Debug line: @obj's (locked) state and reason after @what. */
void testLogTransition(virDomainObj *obj, const char *what);
/* Stop @obj (locked) with @reason and the matching STOPPED @detail; a
 * transient domain leaves the list. Returns the event to queue once the
 * object is unlocked. */
virObjectEvent *testDomainStop(testDriver *driver, virDomainObj *obj, virDomainPtr dom,
                               int reason, int detail);

/* ---- test_driver_sched.c: scheduler (libvirt's test driver's answers) -- */
char *testDomainGetSchedulerType(virDomainPtr dom, int *nparams);
int testDomainGetSchedulerParametersFlags(virDomainPtr dom, virTypedParameterPtr params,
                                          int *nparams, unsigned int flags);
int testDomainGetSchedulerParameters(virDomainPtr dom, virTypedParameterPtr params,
                                     int *nparams);
int testDomainSetSchedulerParametersFlags(virDomainPtr dom, virTypedParameterPtr params,
                                          int nparams, unsigned int flags);
int testDomainSetSchedulerParameters(virDomainPtr dom, virTypedParameterPtr params,
                                     int nparams);
/* ---- test_driver_vkstop.c: virtkit's vkDomainStop ---------------------- */
int testDomainVkStop(virDomainPtr dom, unsigned int deadlineMs, unsigned int policy,
                     vkStopReport *report, vkStopProgressFunc progress, void *opaque);

/* ---- test_driver_live.c: live changes (memory, NMI), memory peek ------- */
int testDomainSetMemoryFlags(virDomainPtr dom, unsigned long memory, unsigned int flags);
int testDomainInjectNMI(virDomainPtr dom, unsigned int flags);
/* libvirt's: the bytes @start, @start+1, ... of a running domain */
int testDomainMemoryPeek(virDomainPtr dom, unsigned long long start, size_t size,
                         void *buffer, unsigned int flags);
/* test_driver_power.c */
int testDomainSetLifecycleAction(virDomainPtr dom, unsigned int type, unsigned int action,
                                 unsigned int flags);
int testDomainSendProcessSignal(virDomainPtr dom, long long pid_value,
                                unsigned int signum, unsigned int flags);

/* ---- test_driver_change.c: definition changes (metadata, rename, vCPUs) */
int testDomainObjGetDefs(virDomainObj *obj, unsigned int flags, virDomainDef **live,
                         virDomainDef **persistent);
int testDomainSetMetadata(virDomainPtr dom, int type, const char *metadata,
                          const char *key, const char *uri, unsigned int flags);
char *testDomainGetMetadata(virDomainPtr dom, int type, const char *uri,
                            unsigned int flags);
int testDomainRename(virDomainPtr dom, const char *new_name, unsigned int flags);
/* ---- test_driver_save.c: save, restore, managed save (libvirt's image) -- */
int testDomainSaveFlags(virDomainPtr dom, const char *to, const char *dxml,
                        unsigned int flags);
int testDomainRestoreFlags(virConnectPtr conn, const char *from, const char *dxml,
                           unsigned int flags);
char *testDomainSaveImageGetXMLDesc(virConnectPtr conn, const char *file,
                                    unsigned int flags);
int testDomainSaveImageDefineXML(virConnectPtr conn, const char *file, const char *dxml,
                                 unsigned int flags);
int testDomainManagedSave(virDomainPtr dom, unsigned int flags);
int testDomainManagedSaveRemove(virDomainPtr dom, unsigned int flags);
int testDomainCoreDumpWithFormat(virDomainPtr dom, const char *to,
                                 unsigned int dumpformat, unsigned int flags);
int testDomainSetVcpusFlags(virDomainPtr dom, unsigned int nvcpus, unsigned int flags);

/* ---- test_driver_hostcpu.c: CPU facts as libvirt 9.0's test driver --- */
int testConnectGetCPUModelNames(virConnectPtr conn, const char *arch, char ***models,
                                unsigned int flags);
char *testConnectBaselineCPU(virConnectPtr conn, const char **xmlCPUs, unsigned int ncpus,
                             unsigned int flags);
/* test_cpu_map.c: the test driver's CPU map (built once; never NULL). */
struct _virCPUMap;
const struct _virCPUMap *testCPUMapGet(void);
int testDomainSendKey(virDomainPtr dom, unsigned int codeset, unsigned int holdtime,
                      unsigned int *keycodes, int nkeycodes, unsigned int flags);
int testDomainGetControlInfo(virDomainPtr dom, virDomainControlInfoPtr info,
                             unsigned int flags);
/* test_driver_display.c */
char *testDomainScreenshot(virDomainPtr dom, virStreamPtr st, unsigned int screen,
                           unsigned int flags);

/* ---- test_driver_agent.c: the guest agent's answers, libvirt 9.0's
 * test-driver values ------------------------------------------------------ */
char *testDomainGetHostname(virDomainPtr dom, unsigned int flags);
int testDomainGetTime(virDomainPtr dom, long long *seconds, unsigned int *nseconds,
                      unsigned int flags);
int testDomainSetTime(virDomainPtr dom, long long seconds, unsigned int nseconds,
                      unsigned int flags);
int testDomainFSFreeze(virDomainPtr dom, const char **mountpoints,
                       unsigned int nmountpoints, unsigned int flags);
int testDomainFSThaw(virDomainPtr dom, const char **mountpoints,
                     unsigned int nmountpoints, unsigned int flags);
int testDomainFSTrim(virDomainPtr dom, const char *mountPoint, unsigned long long minimum,
                     unsigned int flags);
/* libvirt 9.0's test driver has no virDomainGetGuestInfo,
 * AgentSetResponseTimeout or QemuAgentCommand (NO_SUPPORT) */
int testDomainGetFSInfo(virDomainPtr dom, virDomainFSInfoPtr **info, unsigned int flags);
int testDomainSetUserPassword(virDomainPtr dom, const char *user, const char *password,
                              unsigned int flags);

/* ---- test_driver_tune.c: IOThreads, as libvirt 9.0's test driver ----- */
/* The polling entries of @obj's IOThreads (a node file's domain, at open). */
void testDomainIOThreadsGenerate(virDomainObj *obj);
int testDomainGetIOThreadInfo(virDomainPtr dom, virDomainIOThreadInfoPtr **info,
                              unsigned int flags);
int testDomainPinIOThread(virDomainPtr dom, unsigned int iothread_id,
                          unsigned char *cpumap, int maplen, unsigned int flags);
int testDomainAddIOThread(virDomainPtr dom, unsigned int iothread_id, unsigned int flags);
int testDomainDelIOThread(virDomainPtr dom, unsigned int iothread_id, unsigned int flags);
int testDomainSetIOThreadParams(virDomainPtr dom, unsigned int iothread_id,
                                virTypedParameterPtr params, int nparams,
                                unsigned int flags);

/* ---- test_driver_stats.c: running guests' statistics, libvirt 9.0's
 * test-driver values (wall-clock based counters, fixed host figures) --- */
int testDomainMemoryStats(virDomainPtr dom, virDomainMemoryStatPtr stats,
                          unsigned int nr_stats, unsigned int flags);
int testDomainSetMemoryStatsPeriod(virDomainPtr dom, int period, unsigned int flags);
int testDomainBlockStats(virDomainPtr dom, const char *path,
                         virDomainBlockStatsPtr stats);
int testDomainInterfaceStats(virDomainPtr dom, const char *device,
                             virDomainInterfaceStatsPtr stats);
int testDomainGetVcpus(virDomainPtr dom, virVcpuInfoPtr info, int maxinfo,
                       unsigned char *cpumaps, int maplen);
int testDomainGetVcpuPinInfo(virDomainPtr dom, int ncpumaps, unsigned char *cpumaps,
                             int maplen, unsigned int flags);
int testDomainGetCPUStats(virDomainPtr dom, virTypedParameterPtr params,
                          unsigned int nparams, int start_cpu, unsigned int ncpus,
                          unsigned int flags);
int testDomainGetBlockInfo(virDomainPtr dom, const char *path, virDomainBlockInfoPtr info,
                           unsigned int flags);
/* test_driver_jobs.c */
int testDomainGetDiskErrors(virDomainPtr dom, virDomainDiskErrorPtr errors,
                            unsigned int maxerrors, unsigned int flags);
int testNodeGetCPUStats(virConnectPtr conn, int cpuNum, virNodeCPUStatsPtr params,
                        int *nparams, unsigned int flags);
int testNodeGetCPUMap(virConnectPtr conn, unsigned char **cpumap, unsigned int *online,
                      unsigned int flags);
int testConnectGetAllDomainStats(virConnectPtr conn, virDomainPtr *doms,
                                 unsigned int ndoms, unsigned int stats,
                                 virDomainStatsRecordPtr **retStats, unsigned int flags);

/* ---- test_driver_checkpoint.c: checkpoints (metadata only, as libvirt's) ---- */
virDomainCheckpointPtr testDomainCheckpointCreateXML(virDomainPtr dom, const char *xml,
                                                     unsigned int flags);
char *testDomainCheckpointGetXMLDesc(virDomainCheckpointPtr cp, unsigned int flags);
int testDomainListAllCheckpoints(virDomainPtr dom, virDomainCheckpointPtr **cps,
                                 unsigned int flags);
int testDomainCheckpointListAllChildren(virDomainCheckpointPtr cp,
                                        virDomainCheckpointPtr **cps, unsigned int flags);
virDomainCheckpointPtr
testDomainCheckpointLookupByName(virDomainPtr dom, const char *name, unsigned int flags);
virDomainCheckpointPtr testDomainCheckpointGetParent(virDomainCheckpointPtr cp,
                                                     unsigned int flags);
int testDomainCheckpointDelete(virDomainCheckpointPtr cp, unsigned int flags);
/* -1 with libvirt's error when @obj (locked) has checkpoints */
int testDomainCheckpointCheckSnapshot(virDomainObj *obj);

/* ---- test_driver_snapshot.c: snapshots (metadata only, as libvirt's) ---- */
virDomainSnapshotPtr testDomainSnapshotCreateXML(virDomainPtr dom, const char *xml,
                                                 unsigned int flags);
char *testDomainSnapshotGetXMLDesc(virDomainSnapshotPtr snap, unsigned int flags);
int testDomainSnapshotNum(virDomainPtr dom, unsigned int flags);
int testDomainSnapshotListNames(virDomainPtr dom, char **const names, int maxnames,
                                unsigned int flags);
int testDomainListAllSnapshots(virDomainPtr dom, virDomainSnapshotPtr **snaps,
                               unsigned int flags);
int testDomainSnapshotNumChildren(virDomainSnapshotPtr snap, unsigned int flags);
int testDomainSnapshotListChildrenNames(virDomainSnapshotPtr snap, char **const names,
                                        int maxnames, unsigned int flags);
int testDomainSnapshotListAllChildren(virDomainSnapshotPtr snap,
                                      virDomainSnapshotPtr **snaps, unsigned int flags);
virDomainSnapshotPtr testDomainSnapshotLookupByName(virDomainPtr dom, const char *name,
                                                    unsigned int flags);
int testDomainHasCurrentSnapshot(virDomainPtr dom, unsigned int flags);
virDomainSnapshotPtr testDomainSnapshotGetParent(virDomainSnapshotPtr snap,
                                                 unsigned int flags);
virDomainSnapshotPtr testDomainSnapshotCurrent(virDomainPtr dom, unsigned int flags);
int testDomainSnapshotIsCurrent(virDomainSnapshotPtr snap, unsigned int flags);
int testDomainSnapshotHasMetadata(virDomainSnapshotPtr snap, unsigned int flags);
int testDomainRevertToSnapshot(virDomainSnapshotPtr snap, unsigned int flags);
int testDomainSnapshotDelete(virDomainSnapshotPtr snap, unsigned int flags);
int testDomainSnapshotCheckUndefine(virDomainObj *obj, unsigned int flags);

/* ---- test_driver_conf.c ----------------------------------------------- */

/* Empty driver state (no domains, libvirt's default node info). Never fails. */
testDriver *testDriverNew(void);
/* Free everything; accepts NULL. Callers must have dropped all callbacks. */
void testDriverFree(testDriver *driver);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(testDriver, testDriverFree);

/* Fill @driver with libvirt's built-in configuration (test:///default).
 * Returns 0, or -1 with an error reported. */
int testDriverLoadDefault(testDriver *driver);

/* Fill @driver from a <node> file (test:///ABSOLUTE/PATH.xml). Returns 0,
 * or -1 with an error reported as libvirt reports it; on failure @driver
 * must be freed. */
int testDriverLoadFile(testDriver *driver, const char *path);

/* When the node file has <auth> users, ask @auth for a user name and
 * password and check them, as libvirt's test driver does. 0 or -1
 * (AUTH_FAILED or INVALID_ARG reported). */
int testDriverAuthenticate(testDriver *driver, virConnectAuthPtr auth);

/* The test driver's post-parse step for every definition it accepts:
 * arch defaults to i686, missing MACs are generated (52:54:00:xx:xx:xx),
 * interfaces without a target get "testnetN". Returns 0 or -1 (reported). */
int testDomainDefPostParse(virDomainDef *def);

/* virDomainGetMessages (test_driver_conf.c): what the load of a node file
 * recorded (libvirt's test driver taints only there). */
int testDomainGetMessages(virDomainPtr dom, char ***msgs, unsigned int flags);

/* Mark @obj (locked) running with a fresh id and @reason. */
void testDomainStartState(testDriver *driver, virDomainObj *obj, int reason);

/* Mark @obj (locked) shut off with @reason: the persistent definition (if a
 * newer one was defined while running) becomes current, the id becomes -1,
 * and @dom's cached id too when @dom is non-NULL. */
void testDomainShutdownState(virDomainObj *obj, virDomainPtr dom, int reason);

/* ---- test_driver_network.c -------------------------------------------- */

/* Add a running network from @xml / libvirt's default network
 * ('default', virbr0, 192.168.122.0/24). 0 or -1 (reported). */
/* test_driver_interface.c: libvirt's default eth1 (active) into @driver
 * (never fails); every test connection has it. */
void testInterfaceLoadDefault(testDriver *driver);
/* Free @driver's interfaces and any transaction copy. */
void testInterfaceFreeAll(testDriver *driver);
/* A new list of libvirt's test:///default node devices (test_driver_nodedev.c). */
virNodeDeviceObjList *testNodeDeviceLoadDefault(void);
int testNetworkLoadDef(testDriver *driver, const char *xml);
int testNetworkLoadDefault(testDriver *driver);
/* virDomainInterfaceAddresses with libvirt 9.0's test-driver answer: one
 * invented address per interface of a running domain, whatever the source
 * (test_driver_ifaddr.c). */
int testDomainInterfaceAddresses(virDomainPtr dom, virDomainInterfacePtr **ifaces,
                                 unsigned int source, unsigned int flags);
/* ---- test_driver_storage.c --------------------------------------------- */

/* Add libvirt's "default-pool" (active, persistent, at /default-pool) to
 * @driver (test:///default). 0 or -1 (reported). */
int testStorageLoadDefault(testDriver *driver);

/* ---- test_driver_tune.c: resource tuning (memtune, blkiotune, numatune, pins) */
/* test_driver_stats.c: host CPU count; fill @map from a pin list (NULL:
 * every host CPU), returning the last CPU set. */
int testHostCpus(virConnectPtr conn);
int testFillPin(unsigned char *map, int maplen, int hostcpus, const char *list);
int testDomainSetMemoryParameters(virDomainPtr dom, virTypedParameterPtr params,
                                  int nparams, unsigned int flags);
int testDomainGetMemoryParameters(virDomainPtr dom, virTypedParameterPtr params,
                                  int *nparams, unsigned int flags);
int testDomainSetBlockIoTune(virDomainPtr dom, const char *path,
                             virTypedParameterPtr params, int nparams,
                             unsigned int flags);
int testDomainGetBlockIoTune(virDomainPtr dom, const char *path,
                             virTypedParameterPtr params, int *nparams,
                             unsigned int flags);
int testDomainSetInterfaceParameters(virDomainPtr dom, const char *device,
                                     virTypedParameterPtr params, int nparams,
                                     unsigned int flags);
int testDomainGetInterfaceParameters(virDomainPtr dom, const char *device,
                                     virTypedParameterPtr params, int *nparams,
                                     unsigned int flags);
int testDomainSetBlkioParameters(virDomainPtr dom, virTypedParameterPtr params,
                                 int nparams, unsigned int flags);
int testDomainGetBlkioParameters(virDomainPtr dom, virTypedParameterPtr params,
                                 int *nparams, unsigned int flags);
int testDomainSetNumaParameters(virDomainPtr dom, virTypedParameterPtr params,
                                int nparams, unsigned int flags);
int testDomainGetNumaParameters(virDomainPtr dom, virTypedParameterPtr params,
                                int *nparams, unsigned int flags);
/* Linux perf events: libvirt 9.0's test driver keeps them in the
 * definition's <perf> only (test_driver_tune.c) */
int testDomainGetPerfEvents(virDomainPtr dom, virTypedParameterPtr *params, int *nparams,
                            unsigned int flags);
int testDomainSetPerfEvents(virDomainPtr dom, virTypedParameterPtr params, int nparams,
                            unsigned int flags);
int testDomainPinVcpu(virDomainPtr dom, unsigned int vcpu, unsigned char *cpumap,
                      int maplen);
int testDomainPinVcpuFlags(virDomainPtr dom, unsigned int vcpu, unsigned char *cpumap,
                           int maplen, unsigned int flags);
int testDomainPinEmulator(virDomainPtr dom, unsigned char *cpumap, int maplen,
                          unsigned int flags);
int testDomainGetEmulatorPinInfo(virDomainPtr dom, unsigned char *cpumaps, int maplen,
                                 unsigned int flags);
