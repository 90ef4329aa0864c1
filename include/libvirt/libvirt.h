/* libvirt.h: virtkit's libvirt-compatible public API (names and numbers as libvirt 9.0) */
#ifndef LIBVIRT_H
#define LIBVIRT_H

#include <stddef.h>
#include <libvirt/virterror.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The libvirt release whose API this header mirrors (9.0.0). */
#define LIBVIR_VERSION_NUMBER 9000000
#define LIBVIR_CHECK_VERSION(major, minor, micro) \
    ((major)*1000000 + (minor)*1000 + (micro) <= LIBVIR_VERSION_NUMBER)

#define VIR_UUID_BUFLEN 16
#define VIR_UUID_STRING_BUFLEN (36 + 1)
#define VIR_SECURITY_LABEL_BUFLEN (4096 + 1)
#define VIR_SECURITY_MODEL_BUFLEN (256 + 1)
#define VIR_SECURITY_DOI_BUFLEN (256 + 1)

typedef struct _virConnect virConnect;
typedef virConnect *virConnectPtr;
typedef struct _virDomain virDomain;
typedef virDomain *virDomainPtr;

typedef void (*virFreeCallback)(void *opaque);

/* ---- Connections ---------------------------------------------------- */

typedef enum {
    VIR_CONNECT_RO = (1 << 0),
    VIR_CONNECT_NO_ALIASES = (1 << 1),
} virConnectFlags;

typedef enum {
    VIR_CRED_USERNAME = 1,
    VIR_CRED_AUTHNAME = 2,
    VIR_CRED_LANGUAGE = 3,
    VIR_CRED_CNONCE = 4,
    VIR_CRED_PASSPHRASE = 5,
    VIR_CRED_ECHOPROMPT = 6,
    VIR_CRED_NOECHOPROMPT = 7,
    VIR_CRED_REALM = 8,
    VIR_CRED_EXTERNAL = 9,
} virConnectCredentialType;

struct _virConnectCredential {
    int type;
    const char *prompt;
    const char *challenge;
    const char *defresult;
    char *result;
    unsigned int resultlen;
};
typedef struct _virConnectCredential virConnectCredential;
typedef virConnectCredential *virConnectCredentialPtr;

typedef int (*virConnectAuthCallbackPtr)(virConnectCredentialPtr cred, unsigned int ncred,
                                         void *cbdata);

struct _virConnectAuth {
    int *credtype;
    unsigned int ncredtype;
    virConnectAuthCallbackPtr cb;
    void *cbdata;
};
typedef struct _virConnectAuth virConnectAuth;
typedef virConnectAuth *virConnectAuthPtr;

extern virConnectAuthPtr virConnectAuthPtrDefault;

typedef enum {
    VIR_CONNECT_CLOSE_REASON_ERROR = 0,
    VIR_CONNECT_CLOSE_REASON_EOF = 1,
    VIR_CONNECT_CLOSE_REASON_KEEPALIVE = 2,
    VIR_CONNECT_CLOSE_REASON_CLIENT = 3,
} virConnectCloseReason;

typedef void (*virConnectCloseFunc)(virConnectPtr conn, int reason, void *opaque);

int virInitialize(void);
int virGetVersion(unsigned long *libVer, const char *type, unsigned long *typeVer);

virConnectPtr virConnectOpen(const char *name);
virConnectPtr virConnectOpenReadOnly(const char *name);
virConnectPtr virConnectOpenAuth(const char *name, virConnectAuthPtr auth,
                                 unsigned int flags);
int virConnectRef(virConnectPtr conn);
int virConnectClose(virConnectPtr conn);
const char *virConnectGetType(virConnectPtr conn);
int virConnectGetVersion(virConnectPtr conn, unsigned long *hvVer);
int virConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer);
char *virConnectGetHostname(virConnectPtr conn);
char *virConnectGetURI(virConnectPtr conn);
char *virConnectGetCapabilities(virConnectPtr conn);
int virConnectGetMaxVcpus(virConnectPtr conn, const char *type);
int virConnectIsAlive(virConnectPtr conn);
int virConnectIsSecure(virConnectPtr conn);
int virConnectIsEncrypted(virConnectPtr conn);
int virConnectSetKeepAlive(virConnectPtr conn, int interval, unsigned int count);
int virConnectRegisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb,
                                    void *opaque, virFreeCallback freecb);
int virConnectUnregisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb);

/* ---- Typed parameters (libvirt-common.h) --------------------------------- */

typedef enum {
    VIR_TYPED_PARAM_INT = 1,
    VIR_TYPED_PARAM_UINT = 2,
    VIR_TYPED_PARAM_LLONG = 3,
    VIR_TYPED_PARAM_ULLONG = 4,
    VIR_TYPED_PARAM_DOUBLE = 5,
    VIR_TYPED_PARAM_BOOLEAN = 6,
    VIR_TYPED_PARAM_STRING = 7,
#ifdef VIR_ENUM_SENTINELS
    VIR_TYPED_PARAM_LAST
#endif
} virTypedParameterType;

typedef enum {
    /* 1 << 0 and 1 << 1 are virDomainModificationImpact's */
    VIR_TYPED_PARAM_STRING_OKAY = 1 << 2,
} virTypedParameterFlags;

#define VIR_TYPED_PARAM_FIELD_LENGTH 80

typedef struct _virTypedParameter virTypedParameter;
struct _virTypedParameter {
    char field[VIR_TYPED_PARAM_FIELD_LENGTH]; /* parameter name */
    int type;                                 /* parameter type, virTypedParameterType */
    union {
        int i;                     /* type is INT */
        unsigned int ui;           /* type is UINT */
        long long int l;           /* type is LLONG */
        unsigned long long int ul; /* type is ULLONG */
        double d;                  /* type is DOUBLE */
        char b;                    /* type is BOOLEAN */
        char *s;                   /* type is STRING, may not be NULL */
    } value;                       /* parameter value */
};
typedef virTypedParameter *virTypedParameterPtr;

virTypedParameterPtr virTypedParamsGet(virTypedParameterPtr params, int nparams,
                                       const char *name);
int virTypedParamsGetInt(virTypedParameterPtr params, int nparams, const char *name,
                         int *value);
int virTypedParamsGetUInt(virTypedParameterPtr params, int nparams, const char *name,
                          unsigned int *value);
int virTypedParamsGetLLong(virTypedParameterPtr params, int nparams, const char *name,
                           long long *value);
int virTypedParamsGetULLong(virTypedParameterPtr params, int nparams, const char *name,
                            unsigned long long *value);
int virTypedParamsGetDouble(virTypedParameterPtr params, int nparams, const char *name,
                            double *value);
int virTypedParamsGetBoolean(virTypedParameterPtr params, int nparams, const char *name,
                             int *value);
int virTypedParamsGetString(virTypedParameterPtr params, int nparams, const char *name,
                            const char **value);
int virTypedParamsAddInt(virTypedParameterPtr *params, int *nparams, int *maxparams,
                         const char *name, int value);
int virTypedParamsAddUInt(virTypedParameterPtr *params, int *nparams, int *maxparams,
                          const char *name, unsigned int value);
int virTypedParamsAddLLong(virTypedParameterPtr *params, int *nparams, int *maxparams,
                           const char *name, long long value);
int virTypedParamsAddULLong(virTypedParameterPtr *params, int *nparams, int *maxparams,
                            const char *name, unsigned long long value);
int virTypedParamsAddDouble(virTypedParameterPtr *params, int *nparams, int *maxparams,
                            const char *name, double value);
int virTypedParamsAddBoolean(virTypedParameterPtr *params, int *nparams, int *maxparams,
                             const char *name, int value);
int virTypedParamsAddString(virTypedParameterPtr *params, int *nparams, int *maxparams,
                            const char *name, const char *value);
int virTypedParamsAddStringList(virTypedParameterPtr *params, int *nparams,
                                int *maxparams, const char *name, const char **values);
int virTypedParamsAddFromString(virTypedParameterPtr *params, int *nparams,
                                int *maxparams, const char *name, int type,
                                const char *value);
void virTypedParamsClear(virTypedParameterPtr params, int nparams);
void virTypedParamsFree(virTypedParameterPtr params, int nparams);

/* ---- Node ------------------------------------------------------------ */

typedef struct _virNodeInfo virNodeInfo;
struct _virNodeInfo {
    char model[32];
    unsigned long memory; /* KiB */
    unsigned int cpus;
    unsigned int mhz;
    unsigned int nodes;
    unsigned int sockets;
    unsigned int cores;
    unsigned int threads;
};
typedef virNodeInfo *virNodeInfoPtr;

#define VIR_NODEINFO_MAXCPUS(nodeinfo) \
    ((nodeinfo).nodes * (nodeinfo).sockets * (nodeinfo).cores * (nodeinfo).threads)

int virNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info);

typedef struct _virSecurityModel virSecurityModel;
struct _virSecurityModel {
    char model[VIR_SECURITY_MODEL_BUFLEN];
    char doi[VIR_SECURITY_DOI_BUFLEN];
};
typedef virSecurityModel *virSecurityModelPtr;

typedef struct _virSecurityLabel virSecurityLabel;
struct _virSecurityLabel {
    char label[VIR_SECURITY_LABEL_BUFLEN];
    int enforcing;
};
typedef virSecurityLabel *virSecurityLabelPtr;

int virNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel);
unsigned long long virNodeGetFreeMemory(virConnectPtr conn);
int virNodeGetCellsFreeMemory(virConnectPtr conn, unsigned long long *freeMems,
                              int startCell, int maxCells);
char *virConnectGetSysinfo(virConnectPtr conn, unsigned int flags);
/* Huge page pools (libvirt-host-pages.c) */
int virNodeGetFreePages(virConnectPtr conn, unsigned int npages, unsigned int *pages,
                        int startCell, unsigned int cellCount, unsigned long long *counts,
                        unsigned int flags);
typedef enum {
    VIR_NODE_ALLOC_PAGES_ADD = 0,
    VIR_NODE_ALLOC_PAGES_SET = 1 << 0,
} virNodeAllocPagesFlags;
int virNodeAllocPages(virConnectPtr conn, unsigned int npages, unsigned int *pageSizes,
                      unsigned long long *pageCounts, int startCell,
                      unsigned int cellCount, unsigned int flags);
char *virConnectGetDomainCapabilities(virConnectPtr conn, const char *emulatorbin,
                                      const char *arch, const char *machine,
                                      const char *virttype, unsigned int flags);
#define VIR_NODE_MEMORY_SHARED_PAGES_TO_SCAN "shm_pages_to_scan"
#define VIR_NODE_MEMORY_SHARED_SLEEP_MILLISECS "shm_sleep_millisecs"
#define VIR_NODE_MEMORY_SHARED_PAGES_SHARED "shm_pages_shared"
#define VIR_NODE_MEMORY_SHARED_PAGES_SHARING "shm_pages_sharing"
#define VIR_NODE_MEMORY_SHARED_PAGES_UNSHARED "shm_pages_unshared"
#define VIR_NODE_MEMORY_SHARED_PAGES_VOLATILE "shm_pages_volatile"
#define VIR_NODE_MEMORY_SHARED_FULL_SCANS "shm_full_scans"
#define VIR_NODE_MEMORY_SHARED_MERGE_ACROSS_NODES "shm_merge_across_nodes"
int virNodeGetMemoryParameters(virConnectPtr conn, virTypedParameterPtr params,
                               int *nparams, unsigned int flags);
int virNodeSetMemoryParameters(virConnectPtr conn, virTypedParameterPtr params,
                               int nparams, unsigned int flags);
int virConnectGetCPUModelNames(virConnectPtr conn, const char *arch, char ***models,
                               unsigned int flags);

typedef enum {
    VIR_CPU_COMPARE_ERROR = -1,
    VIR_CPU_COMPARE_INCOMPATIBLE = 0,
    VIR_CPU_COMPARE_IDENTICAL = 1,
    VIR_CPU_COMPARE_SUPERSET = 2,
#ifdef VIR_ENUM_SENTINELS
    VIR_CPU_COMPARE_LAST
#endif
} virCPUCompareResult;

typedef enum {
    VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE = (1 << 0),
    VIR_CONNECT_COMPARE_CPU_VALIDATE_XML = (1 << 1),
} virConnectCompareCPUFlags;

typedef enum {
    VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES = (1 << 0),
    VIR_CONNECT_BASELINE_CPU_MIGRATABLE = (1 << 1),
} virConnectBaselineCPUFlags;

int virConnectCompareCPU(virConnectPtr conn, const char *xmlDesc, unsigned int flags);
int virConnectCompareHypervisorCPU(virConnectPtr conn, const char *emulator,
                                   const char *arch, const char *machine,
                                   const char *virttype, const char *xmlCPU,
                                   unsigned int flags);
char *virConnectBaselineCPU(virConnectPtr conn, const char **xmlCPUs, unsigned int ncpus,
                            unsigned int flags);
char *virConnectBaselineHypervisorCPU(virConnectPtr conn, const char *emulator,
                                      const char *arch, const char *machine,
                                      const char *virttype, const char **xmlCPUs,
                                      unsigned int ncpus, unsigned int flags);

/* ---- Domains: states, reasons ----------------------------------------- */

typedef enum {
    VIR_DOMAIN_NOSTATE = 0,
    VIR_DOMAIN_RUNNING = 1,
    VIR_DOMAIN_BLOCKED = 2,
    VIR_DOMAIN_PAUSED = 3,
    VIR_DOMAIN_SHUTDOWN = 4,
    VIR_DOMAIN_SHUTOFF = 5,
    VIR_DOMAIN_CRASHED = 6,
    VIR_DOMAIN_PMSUSPENDED = 7,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_LAST
#endif
} virDomainState;

typedef enum {
    VIR_DOMAIN_NOSTATE_UNKNOWN = 0,
} virDomainNostateReason;

typedef enum {
    VIR_DOMAIN_RUNNING_UNKNOWN = 0,
    VIR_DOMAIN_RUNNING_BOOTED = 1,
    VIR_DOMAIN_RUNNING_MIGRATED = 2,
    VIR_DOMAIN_RUNNING_RESTORED = 3,
    VIR_DOMAIN_RUNNING_FROM_SNAPSHOT = 4,
    VIR_DOMAIN_RUNNING_UNPAUSED = 5,
    VIR_DOMAIN_RUNNING_MIGRATION_CANCELED = 6,
    VIR_DOMAIN_RUNNING_SAVE_CANCELED = 7,
    VIR_DOMAIN_RUNNING_WAKEUP = 8,
    VIR_DOMAIN_RUNNING_CRASHED = 9,
    VIR_DOMAIN_RUNNING_POSTCOPY = 10,
    VIR_DOMAIN_RUNNING_POSTCOPY_FAILED = 11,
} virDomainRunningReason;

typedef enum {
    VIR_DOMAIN_BLOCKED_UNKNOWN = 0,
} virDomainBlockedReason;

typedef enum {
    VIR_DOMAIN_PAUSED_UNKNOWN = 0,
    VIR_DOMAIN_PAUSED_USER = 1,
    VIR_DOMAIN_PAUSED_MIGRATION = 2,
    VIR_DOMAIN_PAUSED_SAVE = 3,
    VIR_DOMAIN_PAUSED_DUMP = 4,
    VIR_DOMAIN_PAUSED_IOERROR = 5,
    VIR_DOMAIN_PAUSED_WATCHDOG = 6,
    VIR_DOMAIN_PAUSED_FROM_SNAPSHOT = 7,
    VIR_DOMAIN_PAUSED_SHUTTING_DOWN = 8,
    VIR_DOMAIN_PAUSED_SNAPSHOT = 9,
    VIR_DOMAIN_PAUSED_CRASHED = 10,
    VIR_DOMAIN_PAUSED_STARTING_UP = 11,
    VIR_DOMAIN_PAUSED_POSTCOPY = 12,
    VIR_DOMAIN_PAUSED_POSTCOPY_FAILED = 13,
} virDomainPausedReason;

typedef enum {
    VIR_DOMAIN_SHUTDOWN_UNKNOWN = 0,
    VIR_DOMAIN_SHUTDOWN_USER = 1,
} virDomainShutdownReason;

typedef enum {
    VIR_DOMAIN_SHUTOFF_UNKNOWN = 0,
    VIR_DOMAIN_SHUTOFF_SHUTDOWN = 1,
    VIR_DOMAIN_SHUTOFF_DESTROYED = 2,
    VIR_DOMAIN_SHUTOFF_CRASHED = 3,
    VIR_DOMAIN_SHUTOFF_MIGRATED = 4,
    VIR_DOMAIN_SHUTOFF_SAVED = 5,
    VIR_DOMAIN_SHUTOFF_FAILED = 6,
    VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT = 7,
    VIR_DOMAIN_SHUTOFF_DAEMON = 8,
} virDomainShutoffReason;

typedef enum {
    VIR_DOMAIN_CRASHED_UNKNOWN = 0,
    VIR_DOMAIN_CRASHED_PANICKED = 1,
} virDomainCrashedReason;

typedef enum {
    VIR_DOMAIN_PMSUSPENDED_UNKNOWN = 0,
} virDomainPMSuspendedReason;

typedef struct _virDomainInfo virDomainInfo;
struct _virDomainInfo {
    unsigned char state;  /* virDomainState */
    unsigned long maxMem; /* KiB */
    unsigned long memory; /* KiB */
    unsigned short nrVirtCpu;
    unsigned long long cpuTime; /* ns */
};
typedef virDomainInfo *virDomainInfoPtr;

/* ---- Domains: flags ------------------------------------------------ */

typedef enum {
    VIR_DOMAIN_NONE = 0,
    VIR_DOMAIN_START_PAUSED = 1 << 0,
    VIR_DOMAIN_START_AUTODESTROY = 1 << 1,
    VIR_DOMAIN_START_BYPASS_CACHE = 1 << 2,
    VIR_DOMAIN_START_FORCE_BOOT = 1 << 3,
    VIR_DOMAIN_START_VALIDATE = 1 << 4,
    VIR_DOMAIN_START_RESET_NVRAM = 1 << 5,
} virDomainCreateFlags;

typedef enum {
    VIR_DOMAIN_DESTROY_DEFAULT = 0,
    VIR_DOMAIN_DESTROY_GRACEFUL = 1 << 0,
    VIR_DOMAIN_DESTROY_REMOVE_LOGS = 1 << 1,
} virDomainDestroyFlagsValues;

typedef enum {
    VIR_DOMAIN_SHUTDOWN_DEFAULT = 0,
    VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN = (1 << 0),
    VIR_DOMAIN_SHUTDOWN_GUEST_AGENT = (1 << 1),
    VIR_DOMAIN_SHUTDOWN_INITCTL = (1 << 2),
    VIR_DOMAIN_SHUTDOWN_SIGNAL = (1 << 3),
    VIR_DOMAIN_SHUTDOWN_PARAVIRT = (1 << 4),
} virDomainShutdownFlagValues;

typedef enum {
    VIR_DOMAIN_REBOOT_DEFAULT = 0,
    VIR_DOMAIN_REBOOT_ACPI_POWER_BTN = (1 << 0),
    VIR_DOMAIN_REBOOT_GUEST_AGENT = (1 << 1),
    VIR_DOMAIN_REBOOT_INITCTL = (1 << 2),
    VIR_DOMAIN_REBOOT_SIGNAL = (1 << 3),
    VIR_DOMAIN_REBOOT_PARAVIRT = (1 << 4),
} virDomainRebootFlagValues;

typedef enum {
    VIR_DOMAIN_UNDEFINE_MANAGED_SAVE = (1 << 0),
    VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA = (1 << 1),
    VIR_DOMAIN_UNDEFINE_NVRAM = (1 << 2),
    VIR_DOMAIN_UNDEFINE_KEEP_NVRAM = (1 << 3),
    VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA = (1 << 4),
    VIR_DOMAIN_UNDEFINE_TPM = (1 << 5),
    VIR_DOMAIN_UNDEFINE_KEEP_TPM = (1 << 6),
} virDomainUndefineFlagsValues;

typedef enum {
    VIR_DOMAIN_DEFINE_VALIDATE = (1 << 0),
} virDomainDefineFlags;

typedef enum {
    VIR_DOMAIN_XML_SECURE = (1 << 0),
    VIR_DOMAIN_XML_INACTIVE = (1 << 1),
    VIR_DOMAIN_XML_UPDATE_CPU = (1 << 2),
    VIR_DOMAIN_XML_MIGRATABLE = (1 << 3),
} virDomainXMLFlags;

typedef enum {
    VIR_CONNECT_LIST_DOMAINS_ACTIVE = 1 << 0,
    VIR_CONNECT_LIST_DOMAINS_INACTIVE = 1 << 1,
    VIR_CONNECT_LIST_DOMAINS_PERSISTENT = 1 << 2,
    VIR_CONNECT_LIST_DOMAINS_TRANSIENT = 1 << 3,
    VIR_CONNECT_LIST_DOMAINS_RUNNING = 1 << 4,
    VIR_CONNECT_LIST_DOMAINS_PAUSED = 1 << 5,
    VIR_CONNECT_LIST_DOMAINS_SHUTOFF = 1 << 6,
    VIR_CONNECT_LIST_DOMAINS_OTHER = 1 << 7,
    VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE = 1 << 8,
    VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE = 1 << 9,
    VIR_CONNECT_LIST_DOMAINS_AUTOSTART = 1 << 10,
    VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART = 1 << 11,
    VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT = 1 << 12,
    VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT = 1 << 13,
    VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT = 1 << 14,
    VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT = 1 << 15,
} virConnectListAllDomainsFlags;

typedef enum {
    VIR_DOMAIN_VCPU_CURRENT = 0,
    VIR_DOMAIN_VCPU_LIVE = 1 << 0,
    VIR_DOMAIN_VCPU_CONFIG = 1 << 1,
    VIR_DOMAIN_VCPU_MAXIMUM = 1 << 2,
    VIR_DOMAIN_VCPU_GUEST = 1 << 3,
    VIR_DOMAIN_VCPU_HOTPLUGGABLE = 1 << 4,
} virDomainVcpuFlags;

typedef enum {
    VIR_DOMAIN_AFFECT_CURRENT = 0,
    VIR_DOMAIN_AFFECT_LIVE = 1 << 0,
    VIR_DOMAIN_AFFECT_CONFIG = 1 << 1,
} virDomainModificationImpact;

/* ---- Domains: functions -------------------------------------------- */

int virConnectNumOfDomains(virConnectPtr conn);
int virConnectListDomains(virConnectPtr conn, int *ids, int maxids);
int virConnectNumOfDefinedDomains(virConnectPtr conn);
int virConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames);
int virConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains,
                             unsigned int flags);

virDomainPtr virDomainLookupByID(virConnectPtr conn, int id);
virDomainPtr virDomainLookupByName(virConnectPtr conn, const char *name);
virDomainPtr virDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid);
virDomainPtr virDomainLookupByUUIDString(virConnectPtr conn, const char *uuid);

virDomainPtr virDomainDefineXML(virConnectPtr conn, const char *xml);
char *virConnectDomainXMLFromNative(virConnectPtr conn, const char *nativeFormat,
                                    const char *nativeConfig, unsigned int flags);
char *virConnectDomainXMLToNative(virConnectPtr conn, const char *nativeFormat,
                                  const char *domainXml, unsigned int flags);
virDomainPtr virDomainDefineXMLFlags(virConnectPtr conn, const char *xml,
                                     unsigned int flags);
int virDomainUndefine(virDomainPtr domain);
int virDomainUndefineFlags(virDomainPtr domain, unsigned int flags);
int virDomainCreate(virDomainPtr domain);
int virDomainCreateWithFlags(virDomainPtr domain, unsigned int flags);
virDomainPtr virDomainCreateXML(virConnectPtr conn, const char *xmlDesc,
                                unsigned int flags);
virDomainPtr virDomainCreateLinux(virConnectPtr conn, const char *xmlDesc,
                                  unsigned int flags);
int virDomainShutdown(virDomainPtr domain);
int virDomainShutdownFlags(virDomainPtr domain, unsigned int flags);
int virDomainReboot(virDomainPtr domain, unsigned int flags);
int virDomainReset(virDomainPtr domain, unsigned int flags);
int virDomainDestroy(virDomainPtr domain);
int virDomainDestroyFlags(virDomainPtr domain, unsigned int flags);
int virDomainSuspend(virDomainPtr domain);
int virDomainResume(virDomainPtr domain);
int virDomainGetState(virDomainPtr domain, int *state, int *reason, unsigned int flags);
int virDomainGetInfo(virDomainPtr domain, virDomainInfoPtr info);
char *virDomainGetXMLDesc(virDomainPtr domain, unsigned int flags);
const char *virDomainGetName(virDomainPtr domain);
unsigned int virDomainGetID(virDomainPtr domain);
int virDomainGetUUID(virDomainPtr domain, unsigned char *uuid);
int virDomainGetUUIDString(virDomainPtr domain, char *buf);
char *virDomainGetOSType(virDomainPtr domain);
unsigned long virDomainGetMaxMemory(virDomainPtr domain);
int virDomainGetMaxVcpus(virDomainPtr domain);
int virDomainGetVcpusFlags(virDomainPtr domain, unsigned int flags);
int virDomainIsActive(virDomainPtr dom);
int virDomainIsPersistent(virDomainPtr dom);
int virDomainIsUpdated(virDomainPtr dom);
int virDomainGetAutostart(virDomainPtr domain, int *autostart);
int virDomainSetAutostart(virDomainPtr domain, int autostart);
int virDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags);
int virDomainGetSecurityLabel(virDomainPtr domain, virSecurityLabelPtr seclabel);
int virDomainGetSecurityLabelList(virDomainPtr domain, virSecurityLabelPtr *seclabels);

typedef enum {
    VIR_DOMAIN_MESSAGE_DEPRECATION = (1 << 0),
    VIR_DOMAIN_MESSAGE_TAINTING = (1 << 1),
} virDomainMessageType;

int virDomainGetMessages(virDomainPtr domain, char ***msgs, unsigned int flags);

/* Scheduler parameters (libvirt-domain.h) */
#define VIR_DOMAIN_SCHEDULER_CPU_SHARES "cpu_shares"
#define VIR_DOMAIN_SCHEDULER_GLOBAL_PERIOD "global_period"
#define VIR_DOMAIN_SCHEDULER_GLOBAL_QUOTA "global_quota"
#define VIR_DOMAIN_SCHEDULER_VCPU_PERIOD "vcpu_period"
#define VIR_DOMAIN_SCHEDULER_VCPU_QUOTA "vcpu_quota"
#define VIR_DOMAIN_SCHEDULER_EMULATOR_PERIOD "emulator_period"
#define VIR_DOMAIN_SCHEDULER_EMULATOR_QUOTA "emulator_quota"
#define VIR_DOMAIN_SCHEDULER_IOTHREAD_PERIOD "iothread_period"
#define VIR_DOMAIN_SCHEDULER_IOTHREAD_QUOTA "iothread_quota"
#define VIR_DOMAIN_SCHEDULER_WEIGHT "weight"
#define VIR_DOMAIN_SCHEDULER_CAP "cap"
#define VIR_DOMAIN_SCHEDULER_RESERVATION "reservation"
#define VIR_DOMAIN_SCHEDULER_LIMIT "limit"
#define VIR_DOMAIN_SCHEDULER_SHARES "shares"

char *virDomainGetSchedulerType(virDomainPtr domain, int *nparams);
int virDomainGetSchedulerParameters(virDomainPtr domain, virTypedParameterPtr params,
                                    int *nparams);
int virDomainGetSchedulerParametersFlags(virDomainPtr domain, virTypedParameterPtr params,
                                         int *nparams, unsigned int flags);
int virDomainSetSchedulerParameters(virDomainPtr domain, virTypedParameterPtr params,
                                    int nparams);
int virDomainSetSchedulerParametersFlags(virDomainPtr domain, virTypedParameterPtr params,
                                         int nparams, unsigned int flags);
int virDomainRef(virDomainPtr domain);
int virDomainFree(virDomainPtr domain);
virConnectPtr virDomainGetConnect(virDomainPtr domain);

/* ---- Events: the event loop ---------------------------------------- */

typedef enum {
    VIR_EVENT_HANDLE_READABLE = (1 << 0),
    VIR_EVENT_HANDLE_WRITABLE = (1 << 1),
    VIR_EVENT_HANDLE_ERROR = (1 << 2),
    VIR_EVENT_HANDLE_HANGUP = (1 << 3),
} virEventHandleType;

typedef void (*virEventHandleCallback)(int watch, int fd, int events, void *opaque);
typedef void (*virEventTimeoutCallback)(int timer, void *opaque);

typedef int (*virEventAddHandleFunc)(int fd, int event, virEventHandleCallback cb,
                                     void *opaque, virFreeCallback ff);
typedef void (*virEventUpdateHandleFunc)(int watch, int event);
typedef int (*virEventRemoveHandleFunc)(int watch);
typedef int (*virEventAddTimeoutFunc)(int timeout, virEventTimeoutCallback cb,
                                      void *opaque, virFreeCallback ff);
typedef void (*virEventUpdateTimeoutFunc)(int timer, int timeout);
typedef int (*virEventRemoveTimeoutFunc)(int timer);

void virEventRegisterImpl(virEventAddHandleFunc addHandle,
                          virEventUpdateHandleFunc updateHandle,
                          virEventRemoveHandleFunc removeHandle,
                          virEventAddTimeoutFunc addTimeout,
                          virEventUpdateTimeoutFunc updateTimeout,
                          virEventRemoveTimeoutFunc removeTimeout);
int virEventRegisterDefaultImpl(void);
int virEventRunDefaultImpl(void);
int virEventAddHandle(int fd, int events, virEventHandleCallback cb, void *opaque,
                      virFreeCallback ff);
void virEventUpdateHandle(int watch, int events);
int virEventRemoveHandle(int watch);
int virEventAddTimeout(int frequency, virEventTimeoutCallback cb, void *opaque,
                       virFreeCallback ff);
void virEventUpdateTimeout(int timer, int frequency);
int virEventRemoveTimeout(int timer);

/* ---- Events: domain events ------------------------------------------ */

typedef enum {
    VIR_DOMAIN_EVENT_DEFINED = 0,
    VIR_DOMAIN_EVENT_UNDEFINED = 1,
    VIR_DOMAIN_EVENT_STARTED = 2,
    VIR_DOMAIN_EVENT_SUSPENDED = 3,
    VIR_DOMAIN_EVENT_RESUMED = 4,
    VIR_DOMAIN_EVENT_STOPPED = 5,
    VIR_DOMAIN_EVENT_SHUTDOWN = 6,
    VIR_DOMAIN_EVENT_PMSUSPENDED = 7,
    VIR_DOMAIN_EVENT_CRASHED = 8,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_LAST
#endif
} virDomainEventType;

typedef enum {
    VIR_DOMAIN_EVENT_DEFINED_ADDED = 0,
    VIR_DOMAIN_EVENT_DEFINED_UPDATED = 1,
    VIR_DOMAIN_EVENT_DEFINED_RENAMED = 2,
    VIR_DOMAIN_EVENT_DEFINED_FROM_SNAPSHOT = 3,
} virDomainEventDefinedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_UNDEFINED_REMOVED = 0,
    VIR_DOMAIN_EVENT_UNDEFINED_RENAMED = 1,
} virDomainEventUndefinedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_STARTED_BOOTED = 0,
    VIR_DOMAIN_EVENT_STARTED_MIGRATED = 1,
    VIR_DOMAIN_EVENT_STARTED_RESTORED = 2,
    VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT = 3,
    VIR_DOMAIN_EVENT_STARTED_WAKEUP = 4,
} virDomainEventStartedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_SUSPENDED_PAUSED = 0,
    VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED = 1,
    VIR_DOMAIN_EVENT_SUSPENDED_IOERROR = 2,
    VIR_DOMAIN_EVENT_SUSPENDED_WATCHDOG = 3,
    VIR_DOMAIN_EVENT_SUSPENDED_RESTORED = 4,
    VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT = 5,
    VIR_DOMAIN_EVENT_SUSPENDED_API_ERROR = 6,
    VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY = 7,
    VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED = 8,
} virDomainEventSuspendedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_RESUMED_UNPAUSED = 0,
    VIR_DOMAIN_EVENT_RESUMED_MIGRATED = 1,
    VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT = 2,
    VIR_DOMAIN_EVENT_RESUMED_POSTCOPY = 3,
    VIR_DOMAIN_EVENT_RESUMED_POSTCOPY_FAILED = 4,
} virDomainEventResumedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN = 0,
    VIR_DOMAIN_EVENT_STOPPED_DESTROYED = 1,
    VIR_DOMAIN_EVENT_STOPPED_CRASHED = 2,
    VIR_DOMAIN_EVENT_STOPPED_MIGRATED = 3,
    VIR_DOMAIN_EVENT_STOPPED_SAVED = 4,
    VIR_DOMAIN_EVENT_STOPPED_FAILED = 5,
    VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT = 6,
} virDomainEventStoppedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED = 0,
    VIR_DOMAIN_EVENT_SHUTDOWN_GUEST = 1,
    VIR_DOMAIN_EVENT_SHUTDOWN_HOST = 2,
} virDomainEventShutdownDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_PMSUSPENDED_MEMORY = 0,
    VIR_DOMAIN_EVENT_PMSUSPENDED_DISK = 1,
} virDomainEventPMSuspendedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_CRASHED_PANICKED = 0,
    VIR_DOMAIN_EVENT_CRASHED_CRASHLOADED = 1,
} virDomainEventCrashedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_ID_LIFECYCLE = 0,
    VIR_DOMAIN_EVENT_ID_REBOOT = 1,
    VIR_DOMAIN_EVENT_ID_RTC_CHANGE = 2,
    VIR_DOMAIN_EVENT_ID_WATCHDOG = 3,
    VIR_DOMAIN_EVENT_ID_IO_ERROR = 4,
    VIR_DOMAIN_EVENT_ID_GRAPHICS = 5,
    VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON = 6,
    VIR_DOMAIN_EVENT_ID_CONTROL_ERROR = 7,
    VIR_DOMAIN_EVENT_ID_BLOCK_JOB = 8,
    VIR_DOMAIN_EVENT_ID_DISK_CHANGE = 9,
    VIR_DOMAIN_EVENT_ID_TRAY_CHANGE = 10,
    VIR_DOMAIN_EVENT_ID_PMWAKEUP = 11,
    VIR_DOMAIN_EVENT_ID_PMSUSPEND = 12,
    VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE = 13,
    VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK = 14,
    VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED = 15,
    VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2 = 16,
    VIR_DOMAIN_EVENT_ID_TUNABLE = 17,
    VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE = 18,
    VIR_DOMAIN_EVENT_ID_DEVICE_ADDED = 19,
    VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION = 20,
    VIR_DOMAIN_EVENT_ID_JOB_COMPLETED = 21,
    VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED = 22,
    VIR_DOMAIN_EVENT_ID_METADATA_CHANGE = 23,
    VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD = 24,
    VIR_DOMAIN_EVENT_ID_MEMORY_FAILURE = 25,
    VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE = 26,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_ID_LAST
#endif
} virDomainEventID;

/* Legacy lifecycle callback (virConnectDomainEventRegister). */
typedef int (*virConnectDomainEventCallback)(virConnectPtr conn, virDomainPtr dom,
                                             int event, int detail, void *opaque);

typedef void (*virConnectDomainEventGenericCallback)(virConnectPtr conn, virDomainPtr dom,
                                                     void *opaque);
typedef void (*virConnectDomainEventRebootCallback)(virConnectPtr conn, virDomainPtr dom,
                                                    void *opaque);

/* The callbacks and enums of the other domain event IDs (libvirt 9.0). */
typedef void (*virConnectDomainEventRTCChangeCallback)(virConnectPtr conn,
                                                       virDomainPtr dom,
                                                       long long utcoffset, void *opaque);

typedef enum {
    VIR_DOMAIN_EVENT_WATCHDOG_NONE = 0,
    VIR_DOMAIN_EVENT_WATCHDOG_PAUSE,
    VIR_DOMAIN_EVENT_WATCHDOG_RESET,
    VIR_DOMAIN_EVENT_WATCHDOG_POWEROFF,
    VIR_DOMAIN_EVENT_WATCHDOG_SHUTDOWN,
    VIR_DOMAIN_EVENT_WATCHDOG_DEBUG,
    VIR_DOMAIN_EVENT_WATCHDOG_INJECTNMI,

#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_WATCHDOG_LAST
#endif
} virDomainEventWatchdogAction;

typedef void (*virConnectDomainEventWatchdogCallback)(virConnectPtr conn,
                                                      virDomainPtr dom, int action,
                                                      void *opaque);

typedef enum {
    VIR_DOMAIN_EVENT_IO_ERROR_NONE = 0,
    VIR_DOMAIN_EVENT_IO_ERROR_PAUSE,
    VIR_DOMAIN_EVENT_IO_ERROR_REPORT,

#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_IO_ERROR_LAST
#endif
} virDomainEventIOErrorAction;

typedef void (*virConnectDomainEventIOErrorCallback)(virConnectPtr conn, virDomainPtr dom,
                                                     const char *srcPath,
                                                     const char *devAlias, int action,
                                                     void *opaque);

typedef void (*virConnectDomainEventIOErrorReasonCallback)(
    virConnectPtr conn, virDomainPtr dom, const char *srcPath, const char *devAlias,
    int action, const char *reason, void *opaque);

typedef enum {
    VIR_DOMAIN_EVENT_GRAPHICS_CONNECT = 0,
    VIR_DOMAIN_EVENT_GRAPHICS_INITIALIZE,
    VIR_DOMAIN_EVENT_GRAPHICS_DISCONNECT,

#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_GRAPHICS_LAST
#endif
} virDomainEventGraphicsPhase;

typedef enum {
    VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_IPV4,
    VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_IPV6,
    VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_UNIX,

#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_LAST
#endif
} virDomainEventGraphicsAddressType;

struct _virDomainEventGraphicsAddress {
    int family;
    char *node;
    char *service;
};

typedef struct _virDomainEventGraphicsAddress virDomainEventGraphicsAddress;

typedef virDomainEventGraphicsAddress *virDomainEventGraphicsAddressPtr;

struct _virDomainEventGraphicsSubjectIdentity {
    char *type;
    char *name;
};

typedef struct _virDomainEventGraphicsSubjectIdentity
    virDomainEventGraphicsSubjectIdentity;

typedef virDomainEventGraphicsSubjectIdentity *virDomainEventGraphicsSubjectIdentityPtr;

struct _virDomainEventGraphicsSubject {
    int nidentity;
    virDomainEventGraphicsSubjectIdentityPtr identities;
};

typedef struct _virDomainEventGraphicsSubject virDomainEventGraphicsSubject;

typedef virDomainEventGraphicsSubject *virDomainEventGraphicsSubjectPtr;

typedef void (*virConnectDomainEventGraphicsCallback)(
    virConnectPtr conn, virDomainPtr dom, int phase,
    const virDomainEventGraphicsAddress *local,
    const virDomainEventGraphicsAddress *remote, const char *authScheme,
    const virDomainEventGraphicsSubject *subject, void *opaque);

typedef enum {
    VIR_DOMAIN_BLOCK_JOB_COMPLETED = 0,
    VIR_DOMAIN_BLOCK_JOB_FAILED = 1,
    VIR_DOMAIN_BLOCK_JOB_CANCELED = 2,
    VIR_DOMAIN_BLOCK_JOB_READY = 3,

#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_BLOCK_JOB_LAST
#endif
} virConnectDomainEventBlockJobStatus;

typedef void (*virConnectDomainEventBlockJobCallback)(virConnectPtr conn,
                                                      virDomainPtr dom, const char *disk,
                                                      int type, int status, void *opaque);

typedef enum {
    VIR_DOMAIN_EVENT_DISK_CHANGE_MISSING_ON_START = 0,
    VIR_DOMAIN_EVENT_DISK_DROP_MISSING_ON_START = 1,

#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_DISK_CHANGE_LAST
#endif
} virConnectDomainEventDiskChangeReason;

typedef void (*virConnectDomainEventDiskChangeCallback)(
    virConnectPtr conn, virDomainPtr dom, const char *oldSrcPath, const char *newSrcPath,
    const char *devAlias, int reason, void *opaque);

typedef enum {
    VIR_DOMAIN_EVENT_TRAY_CHANGE_OPEN = 0,
    VIR_DOMAIN_EVENT_TRAY_CHANGE_CLOSE,

#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_TRAY_CHANGE_LAST
#endif
} virDomainEventTrayChangeReason;

typedef void (*virConnectDomainEventTrayChangeCallback)(virConnectPtr conn,
                                                        virDomainPtr dom,
                                                        const char *devAlias, int reason,
                                                        void *opaque);

typedef void (*virConnectDomainEventPMWakeupCallback)(virConnectPtr conn,
                                                      virDomainPtr dom, int reason,
                                                      void *opaque);

typedef void (*virConnectDomainEventPMSuspendCallback)(virConnectPtr conn,
                                                       virDomainPtr dom, int reason,
                                                       void *opaque);

typedef void (*virConnectDomainEventBalloonChangeCallback)(virConnectPtr conn,
                                                           virDomainPtr dom,
                                                           unsigned long long actual,
                                                           void *opaque);

typedef void (*virConnectDomainEventPMSuspendDiskCallback)(virConnectPtr conn,
                                                           virDomainPtr dom, int reason,
                                                           void *opaque);

typedef void (*virConnectDomainEventDeviceRemovedCallback)(virConnectPtr conn,
                                                           virDomainPtr dom,
                                                           const char *devAlias,
                                                           void *opaque);

typedef void (*virConnectDomainEventDeviceAddedCallback)(virConnectPtr conn,
                                                         virDomainPtr dom,
                                                         const char *devAlias,
                                                         void *opaque);

typedef void (*virConnectDomainEventDeviceRemovalFailedCallback)(virConnectPtr conn,
                                                                 virDomainPtr dom,
                                                                 const char *devAlias,
                                                                 void *opaque);

typedef void (*virConnectDomainEventMetadataChangeCallback)(virConnectPtr conn,
                                                            virDomainPtr dom, int type,
                                                            const char *nsuri,
                                                            void *opaque);

typedef void (*virConnectDomainEventMigrationIterationCallback)(virConnectPtr conn,
                                                                virDomainPtr dom,
                                                                int iteration,
                                                                void *opaque);

typedef void (*virConnectDomainEventJobCompletedCallback)(virConnectPtr conn,
                                                          virDomainPtr dom,
                                                          virTypedParameterPtr params,
                                                          int nparams, void *opaque);

typedef void (*virConnectDomainEventTunableCallback)(virConnectPtr conn, virDomainPtr dom,
                                                     virTypedParameterPtr params,
                                                     int nparams, void *opaque);

/* the TUNABLE event of a disk's <iotune> change: the disk, then what changed */
#define VIR_DOMAIN_TUNABLE_BLKDEV_DISK "blkdeviotune.disk"
#define VIR_DOMAIN_TUNABLE_BLKDEV_TOTAL_BYTES_SEC "blkdeviotune.total_bytes_sec"
#define VIR_DOMAIN_TUNABLE_BLKDEV_READ_BYTES_SEC "blkdeviotune.read_bytes_sec"
#define VIR_DOMAIN_TUNABLE_BLKDEV_WRITE_BYTES_SEC "blkdeviotune.write_bytes_sec"
#define VIR_DOMAIN_TUNABLE_BLKDEV_TOTAL_IOPS_SEC "blkdeviotune.total_iops_sec"
#define VIR_DOMAIN_TUNABLE_BLKDEV_READ_IOPS_SEC "blkdeviotune.read_iops_sec"
#define VIR_DOMAIN_TUNABLE_BLKDEV_WRITE_IOPS_SEC "blkdeviotune.write_iops_sec"
#define VIR_DOMAIN_TUNABLE_BLKDEV_TOTAL_BYTES_SEC_MAX "blkdeviotune.total_bytes_sec_max"
#define VIR_DOMAIN_TUNABLE_BLKDEV_READ_BYTES_SEC_MAX "blkdeviotune.read_bytes_sec_max"
#define VIR_DOMAIN_TUNABLE_BLKDEV_WRITE_BYTES_SEC_MAX "blkdeviotune.write_bytes_sec_max"
#define VIR_DOMAIN_TUNABLE_BLKDEV_TOTAL_IOPS_SEC_MAX "blkdeviotune.total_iops_sec_max"
#define VIR_DOMAIN_TUNABLE_BLKDEV_READ_IOPS_SEC_MAX "blkdeviotune.read_iops_sec_max"
#define VIR_DOMAIN_TUNABLE_BLKDEV_WRITE_IOPS_SEC_MAX "blkdeviotune.write_iops_sec_max"
#define VIR_DOMAIN_TUNABLE_BLKDEV_SIZE_IOPS_SEC "blkdeviotune.size_iops_sec"
#define VIR_DOMAIN_TUNABLE_BLKDEV_GROUP_NAME "blkdeviotune.group_name"
#define VIR_DOMAIN_TUNABLE_BLKDEV_TOTAL_BYTES_SEC_MAX_LENGTH \
    "blkdeviotune.total_bytes_sec_max_length"
#define VIR_DOMAIN_TUNABLE_BLKDEV_READ_BYTES_SEC_MAX_LENGTH \
    "blkdeviotune.read_bytes_sec_max_length"
#define VIR_DOMAIN_TUNABLE_BLKDEV_WRITE_BYTES_SEC_MAX_LENGTH \
    "blkdeviotune.write_bytes_sec_max_length"
#define VIR_DOMAIN_TUNABLE_BLKDEV_TOTAL_IOPS_SEC_MAX_LENGTH \
    "blkdeviotune.total_iops_sec_max_length"
#define VIR_DOMAIN_TUNABLE_BLKDEV_READ_IOPS_SEC_MAX_LENGTH \
    "blkdeviotune.read_iops_sec_max_length"
#define VIR_DOMAIN_TUNABLE_BLKDEV_WRITE_IOPS_SEC_MAX_LENGTH \
    "blkdeviotune.write_iops_sec_max_length"

typedef enum {
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_CONNECTED = 1,
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_DISCONNECTED = 2,

#ifdef VIR_ENUM_SENTINELS
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_LAST
#endif
} virConnectDomainEventAgentLifecycleState;

typedef enum {
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_UNKNOWN = 0,
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_DOMAIN_STARTED = 1,
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_CHANNEL = 2,

#ifdef VIR_ENUM_SENTINELS
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_LAST
#endif
} virConnectDomainEventAgentLifecycleReason;

typedef void (*virConnectDomainEventAgentLifecycleCallback)(virConnectPtr conn,
                                                            virDomainPtr dom, int state,
                                                            int reason, void *opaque);

typedef void (*virConnectDomainEventBlockThresholdCallback)(
    virConnectPtr conn, virDomainPtr dom, const char *dev, const char *path,
    unsigned long long threshold, unsigned long long excess, void *opaque);

typedef void (*virConnectDomainEventMemoryFailureCallback)(virConnectPtr conn,
                                                           virDomainPtr dom,
                                                           int recipient, int action,
                                                           unsigned int flags,
                                                           void *opaque);

typedef void (*virConnectDomainEventMemoryDeviceSizeChangeCallback)(
    virConnectPtr conn, virDomainPtr dom, const char *alias, unsigned long long size,
    void *opaque);

typedef enum {
    VIR_DOMAIN_BLOCK_JOB_TYPE_UNKNOWN = 0,
    VIR_DOMAIN_BLOCK_JOB_TYPE_PULL = 1,
    VIR_DOMAIN_BLOCK_JOB_TYPE_COPY = 2,
    VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT = 3,
    VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT = 4,
    VIR_DOMAIN_BLOCK_JOB_TYPE_BACKUP = 5,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_BLOCK_JOB_TYPE_LAST
#endif
} virDomainBlockJobType;

typedef enum {
    VIR_DOMAIN_EVENT_MEMORY_FAILURE_RECIPIENT_HYPERVISOR = 0,
    VIR_DOMAIN_EVENT_MEMORY_FAILURE_RECIPIENT_GUEST = 1,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_MEMORY_FAILURE_RECIPIENT_LAST
#endif
} virDomainMemoryFailureRecipientType;

typedef enum {
    VIR_DOMAIN_EVENT_MEMORY_FAILURE_ACTION_IGNORE = 0,
    VIR_DOMAIN_EVENT_MEMORY_FAILURE_ACTION_INJECT = 1,
    VIR_DOMAIN_EVENT_MEMORY_FAILURE_ACTION_FATAL = 2,
    VIR_DOMAIN_EVENT_MEMORY_FAILURE_ACTION_RESET = 3,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_MEMORY_FAILURE_ACTION_LAST
#endif
} virDomainMemoryFailureActionType;

typedef enum {
    VIR_DOMAIN_MEMORY_FAILURE_ACTION_REQUIRED = (1 << 0),
    VIR_DOMAIN_MEMORY_FAILURE_RECURSIVE = (1 << 1),
} virDomainMemoryFailureFlags;

#define VIR_DOMAIN_EVENT_CALLBACK(cb) ((virConnectDomainEventGenericCallback)(cb))

int virConnectDomainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb,
                                  void *opaque, virFreeCallback freecb);
int virConnectDomainEventDeregister(virConnectPtr conn, virConnectDomainEventCallback cb);
int virConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                     virConnectDomainEventGenericCallback cb,
                                     void *opaque, virFreeCallback freecb);
int virConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID);


/* ---- Streams (libvirt-stream.h) ------------------------------------- */

typedef struct _virStream virStream;
typedef virStream *virStreamPtr;

typedef enum {
    VIR_STREAM_NONBLOCK = (1 << 0),
} virStreamFlags;

typedef enum {
    VIR_STREAM_EVENT_READABLE = (1 << 0),
    VIR_STREAM_EVENT_WRITABLE = (1 << 1),
    VIR_STREAM_EVENT_ERROR = (1 << 2),
    VIR_STREAM_EVENT_HANGUP = (1 << 3),
} virStreamEventType;

typedef void (*virStreamEventCallback)(virStreamPtr stream, int events, void *opaque);
typedef int (*virStreamSourceFunc)(virStreamPtr st, char *data, size_t nbytes,
                                   void *opaque);
typedef int (*virStreamSinkFunc)(virStreamPtr st, const char *data, size_t nbytes,
                                 void *opaque);

virStreamPtr virStreamNew(virConnectPtr conn, unsigned int flags);
int virStreamRef(virStreamPtr st);
int virStreamSend(virStreamPtr st, const char *data, size_t nbytes);
int virStreamRecv(virStreamPtr st, char *data, size_t nbytes);
int virStreamSendAll(virStreamPtr st, virStreamSourceFunc handler, void *opaque);
int virStreamRecvAll(virStreamPtr st, virStreamSinkFunc handler, void *opaque);
int virStreamEventAddCallback(virStreamPtr stream, int events, virStreamEventCallback cb,
                              void *opaque, virFreeCallback ff);
int virStreamEventUpdateCallback(virStreamPtr stream, int events);
int virStreamEventRemoveCallback(virStreamPtr stream);
int virStreamFinish(virStreamPtr st);
int virStreamAbort(virStreamPtr st);
int virStreamFree(virStreamPtr st);

/* Sparse streams (holes): libvirt 3.4's additions. */
typedef enum {
    VIR_STREAM_RECV_STOP_AT_HOLE = (1 << 0),
} virStreamRecvFlagsValues;

typedef int (*virStreamSourceHoleFunc)(virStreamPtr st, int *inData, long long *length,
                                       void *opaque);
typedef int (*virStreamSourceSkipFunc)(virStreamPtr st, long long length, void *opaque);
typedef int (*virStreamSinkHoleFunc)(virStreamPtr st, long long length, void *opaque);

int virStreamRecvFlags(virStreamPtr st, char *data, size_t nbytes, unsigned int flags);
int virStreamSendHole(virStreamPtr st, long long length, unsigned int flags);
int virStreamRecvHole(virStreamPtr st, long long *length, unsigned int flags);
int virStreamSparseSendAll(virStreamPtr st, virStreamSourceFunc handler,
                           virStreamSourceHoleFunc holeHandler,
                           virStreamSourceSkipFunc skipHandler, void *opaque);
int virStreamSparseRecvAll(virStreamPtr st, virStreamSinkFunc handler,
                           virStreamSinkHoleFunc holeHandler, void *opaque);

/* ---- Consoles -------------------------------------------------------- */

typedef enum {
    VIR_DOMAIN_CONSOLE_FORCE = (1 << 0),
    VIR_DOMAIN_CONSOLE_SAFE = (1 << 1),
} virDomainConsoleFlags;

int virDomainOpenConsole(virDomainPtr dom, const char *dev_name, virStreamPtr st,
                         unsigned int flags);

typedef enum {
    VIR_DOMAIN_CHANNEL_FORCE = (1 << 0), /* abort a (possibly) active channel stream */
} virDomainChannelFlags;

int virDomainOpenChannel(virDomainPtr dom, const char *name, virStreamPtr st,
                         unsigned int flags);

/* ---- The other object kinds, one header each as libvirt splits them ---- */

#include <libvirt/libvirt-network.h>
#include <libvirt/libvirt-storage.h>
#include <libvirt/libvirt-nodedev.h>
#include <libvirt/libvirt-secret.h>
#include <libvirt/libvirt-interface.h>
#include <libvirt/libvirt-nwfilter.h>
#include <libvirt/libvirt-domain-snapshot.h>
#include <libvirt/libvirt-domain-checkpoint.h>

/* ---- Running guests: statistics (libvirt 9.0's names and values) ------- */

typedef enum {
    VIR_DOMAIN_MEMORY_STAT_SWAP_IN = 0,
    VIR_DOMAIN_MEMORY_STAT_SWAP_OUT = 1,
    VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT = 2,
    VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT = 3,
    VIR_DOMAIN_MEMORY_STAT_UNUSED = 4,
    VIR_DOMAIN_MEMORY_STAT_AVAILABLE = 5,
    VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON = 6,
    VIR_DOMAIN_MEMORY_STAT_RSS = 7,
    VIR_DOMAIN_MEMORY_STAT_USABLE = 8,
    VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE = 9,
    VIR_DOMAIN_MEMORY_STAT_DISK_CACHES = 10,
    VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC = 11,
    VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL = 12,
    VIR_DOMAIN_MEMORY_STAT_NR = 13,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_MEMORY_STAT_LAST = VIR_DOMAIN_MEMORY_STAT_NR
#endif
} virDomainMemoryStatTags;

typedef struct _virDomainMemoryStat virDomainMemoryStatStruct;
struct _virDomainMemoryStat {
    int tag; /* virDomainMemoryStatTags */
    unsigned long long val;
};
typedef virDomainMemoryStatStruct *virDomainMemoryStatPtr;

int virDomainMemoryStats(virDomainPtr dom, virDomainMemoryStatPtr stats,
                         unsigned int nr_stats, unsigned int flags);
int virDomainSetMemoryStatsPeriod(virDomainPtr domain, int period, unsigned int flags);

typedef struct _virDomainBlockStats virDomainBlockStatsStruct;
struct _virDomainBlockStats {
    long long rd_req;
    long long rd_bytes;
    long long wr_req;
    long long wr_bytes;
    long long errs;
};
typedef virDomainBlockStatsStruct *virDomainBlockStatsPtr;

#define VIR_DOMAIN_BLOCK_STATS_FIELD_LENGTH VIR_TYPED_PARAM_FIELD_LENGTH
#define VIR_DOMAIN_BLOCK_STATS_READ_BYTES "rd_bytes"
#define VIR_DOMAIN_BLOCK_STATS_READ_REQ "rd_operations"
#define VIR_DOMAIN_BLOCK_STATS_READ_TOTAL_TIMES "rd_total_times"
#define VIR_DOMAIN_BLOCK_STATS_WRITE_BYTES "wr_bytes"
#define VIR_DOMAIN_BLOCK_STATS_WRITE_REQ "wr_operations"
#define VIR_DOMAIN_BLOCK_STATS_WRITE_TOTAL_TIMES "wr_total_times"
#define VIR_DOMAIN_BLOCK_STATS_FLUSH_REQ "flush_operations"
#define VIR_DOMAIN_BLOCK_STATS_FLUSH_TOTAL_TIMES "flush_total_times"
#define VIR_DOMAIN_BLOCK_STATS_ERRS "errs"

int virDomainBlockStats(virDomainPtr dom, const char *disk, virDomainBlockStatsPtr stats,
                        size_t size);
int virDomainBlockStatsFlags(virDomainPtr dom, const char *disk,
                             virTypedParameterPtr params, int *nparams,
                             unsigned int flags);

typedef struct _virDomainInterfaceStats virDomainInterfaceStatsStruct;
struct _virDomainInterfaceStats {
    long long rx_bytes;
    long long rx_packets;
    long long rx_errs;
    long long rx_drop;
    long long tx_bytes;
    long long tx_packets;
    long long tx_errs;
    long long tx_drop;
};
typedef virDomainInterfaceStatsStruct *virDomainInterfaceStatsPtr;

int virDomainInterfaceStats(virDomainPtr dom, const char *device,
                            virDomainInterfaceStatsPtr stats, size_t size);

/* Interface addresses (virsh domifaddr); virIPAddrType is in libvirt-network.h */
typedef enum {
    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE = 0,
    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT = 1,
    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP = 2,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LAST
#endif
} virDomainInterfaceAddressesSource;

typedef struct _virDomainInterfaceIPAddress virDomainIPAddress;
typedef virDomainIPAddress *virDomainIPAddressPtr;
struct _virDomainInterfaceIPAddress {
    int type;            /* virIPAddrType */
    char *addr;          /* IP address */
    unsigned int prefix; /* IP address prefix */
};

typedef struct _virDomainInterface virDomainInterface;
typedef virDomainInterface *virDomainInterfacePtr;
struct _virDomainInterface {
    char *name;                  /* interface name */
    char *hwaddr;                /* hardware address, may be NULL */
    unsigned int naddrs;         /* number of items in @addrs */
    virDomainIPAddressPtr addrs; /* array of IP addresses */
};

int virDomainInterfaceAddresses(virDomainPtr dom, virDomainInterfacePtr **ifaces,
                                unsigned int source, unsigned int flags);
void virDomainInterfaceFree(virDomainInterfacePtr iface);

typedef enum {
    VIR_VCPU_OFFLINE = 0,
    VIR_VCPU_RUNNING = 1,
    VIR_VCPU_BLOCKED = 2,
#ifdef VIR_ENUM_SENTINELS
    VIR_VCPU_LAST
#endif
} virVcpuState;

typedef struct _virVcpuInfo virVcpuInfo;
struct _virVcpuInfo {
    unsigned int number;        /* virtual CPU number */
    int state;                  /* virVcpuState */
    unsigned long long cpuTime; /* CPU time used, in nanoseconds */
    int cpu;                    /* real CPU number, or -1 if offline */
};
typedef virVcpuInfo *virVcpuInfoPtr;

#define VIR_USE_CPU(cpumap, cpu) ((cpumap)[(cpu) / 8] |= (1 << ((cpu) % 8)))
#define VIR_UNUSE_CPU(cpumap, cpu) ((cpumap)[(cpu) / 8] &= ~(1 << ((cpu) % 8)))
#define VIR_CPU_USED(cpumap, cpu) ((cpumap)[(cpu) / 8] & (1 << ((cpu) % 8)))
#define VIR_CPU_MAPLEN(cpu) (((cpu) + 7) / 8)
#define VIR_CPU_USABLE(cpumaps, maplen, vcpu, cpu) \
    VIR_CPU_USED(VIR_GET_CPUMAP(cpumaps, maplen, vcpu), cpu)
#define VIR_COPY_CPUMAP(cpumaps, maplen, vcpu, cpumap) \
    memcpy(cpumap, VIR_GET_CPUMAP(cpumaps, maplen, vcpu), maplen)
#define VIR_GET_CPUMAP(cpumaps, maplen, vcpu) (&((cpumaps)[(vcpu) * (maplen)]))

int virDomainGetVcpus(virDomainPtr domain, virVcpuInfoPtr info, int maxinfo,
                      unsigned char *cpumaps, int maplen);
int virDomainGetVcpuPinInfo(virDomainPtr domain, int ncpumaps, unsigned char *cpumaps,
                            int maplen, unsigned int flags);

/* Resource tuning (libvirt 9.0's names and values) */
int virDomainPinVcpu(virDomainPtr domain, unsigned int vcpu, unsigned char *cpumap,
                     int maplen);
int virDomainPinVcpuFlags(virDomainPtr domain, unsigned int vcpu, unsigned char *cpumap,
                          int maplen, unsigned int flags);
int virDomainPinEmulator(virDomainPtr domain, unsigned char *cpumap, int maplen,
                         unsigned int flags);
int virDomainGetEmulatorPinInfo(virDomainPtr domain, unsigned char *cpumaps, int maplen,
                                unsigned int flags);

/* IOThreads (libvirt 9.0's names and values) */
typedef struct _virDomainIOThreadInfo virDomainIOThreadInfo;
typedef virDomainIOThreadInfo *virDomainIOThreadInfoPtr;
struct _virDomainIOThreadInfo {
    unsigned int iothread_id; /* the IOThread's id */
    unsigned char *cpumap;    /* the host CPUs it may run on */
    int cpumaplen;            /* bytes of cpumap */
};
void virDomainIOThreadInfoFree(virDomainIOThreadInfoPtr info);
int virDomainGetIOThreadInfo(virDomainPtr domain, virDomainIOThreadInfoPtr **info,
                             unsigned int flags);
int virDomainPinIOThread(virDomainPtr domain, unsigned int iothread_id,
                         unsigned char *cpumap, int maplen, unsigned int flags);
int virDomainAddIOThread(virDomainPtr domain, unsigned int iothread_id,
                         unsigned int flags);
int virDomainDelIOThread(virDomainPtr domain, unsigned int iothread_id,
                         unsigned int flags);
#define VIR_DOMAIN_IOTHREAD_POLL_MAX_NS "poll_max_ns"
#define VIR_DOMAIN_IOTHREAD_POLL_GROW "poll_grow"
#define VIR_DOMAIN_IOTHREAD_POLL_SHRINK "poll_shrink"
#define VIR_DOMAIN_IOTHREAD_THREAD_POOL_MIN "thread_pool_min"
#define VIR_DOMAIN_IOTHREAD_THREAD_POOL_MAX "thread_pool_max"
int virDomainSetIOThreadParams(virDomainPtr domain, unsigned int iothread_id,
                               virTypedParameterPtr params, int nparams,
                               unsigned int flags);

#define VIR_DOMAIN_MEMORY_PARAM_UNLIMITED 9007199254740991LL /* = INT64_MAX >> 10 */
#define VIR_DOMAIN_MEMORY_HARD_LIMIT "hard_limit"
#define VIR_DOMAIN_MEMORY_SOFT_LIMIT "soft_limit"
#define VIR_DOMAIN_MEMORY_MIN_GUARANTEE "min_guarantee"
#define VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT "swap_hard_limit"
#define VIR_DOMAIN_MEMORY_FIELD_LENGTH VIR_TYPED_PARAM_FIELD_LENGTH
int virDomainSetMemoryParameters(virDomainPtr domain, virTypedParameterPtr params,
                                 int nparams, unsigned int flags);
int virDomainGetMemoryParameters(virDomainPtr domain, virTypedParameterPtr params,
                                 int *nparams, unsigned int flags);

/* Linux perf events of a domain (virDomainGetPerfEvents / SetPerfEvents:
 * VIR_TYPED_PARAM_BOOLEAN each; "perf.<name>" in the domain statistics) */
#define VIR_PERF_PARAM_CMT "cmt"
#define VIR_PERF_PARAM_MBMT "mbmt"
#define VIR_PERF_PARAM_MBML "mbml"
#define VIR_PERF_PARAM_CACHE_MISSES "cache_misses"
#define VIR_PERF_PARAM_CACHE_REFERENCES "cache_references"
#define VIR_PERF_PARAM_INSTRUCTIONS "instructions"
#define VIR_PERF_PARAM_CPU_CYCLES "cpu_cycles"
#define VIR_PERF_PARAM_BRANCH_INSTRUCTIONS "branch_instructions"
#define VIR_PERF_PARAM_BRANCH_MISSES "branch_misses"
#define VIR_PERF_PARAM_BUS_CYCLES "bus_cycles"
#define VIR_PERF_PARAM_STALLED_CYCLES_FRONTEND "stalled_cycles_frontend"
#define VIR_PERF_PARAM_STALLED_CYCLES_BACKEND "stalled_cycles_backend"
#define VIR_PERF_PARAM_REF_CPU_CYCLES "ref_cpu_cycles"
#define VIR_PERF_PARAM_CPU_CLOCK "cpu_clock"
#define VIR_PERF_PARAM_TASK_CLOCK "task_clock"
#define VIR_PERF_PARAM_PAGE_FAULTS "page_faults"
#define VIR_PERF_PARAM_CONTEXT_SWITCHES "context_switches"
#define VIR_PERF_PARAM_CPU_MIGRATIONS "cpu_migrations"
#define VIR_PERF_PARAM_PAGE_FAULTS_MIN "page_faults_min"
#define VIR_PERF_PARAM_PAGE_FAULTS_MAJ "page_faults_maj"
#define VIR_PERF_PARAM_ALIGNMENT_FAULTS "alignment_faults"
#define VIR_PERF_PARAM_EMULATION_FAULTS "emulation_faults"
int virDomainGetPerfEvents(virDomainPtr dom, virTypedParameterPtr *params, int *nparams,
                           unsigned int flags);
int virDomainSetPerfEvents(virDomainPtr dom, virTypedParameterPtr params, int nparams,
                           unsigned int flags);

#define VIR_DOMAIN_BLKIO_WEIGHT "weight"
#define VIR_DOMAIN_BLKIO_DEVICE_WEIGHT "device_weight"
#define VIR_DOMAIN_BLKIO_DEVICE_READ_IOPS "device_read_iops_sec"
#define VIR_DOMAIN_BLKIO_DEVICE_WRITE_IOPS "device_write_iops_sec"
#define VIR_DOMAIN_BLKIO_DEVICE_READ_BPS "device_read_bytes_sec"
#define VIR_DOMAIN_BLKIO_DEVICE_WRITE_BPS "device_write_bytes_sec"
#define VIR_DOMAIN_BLKIO_FIELD_LENGTH VIR_TYPED_PARAM_FIELD_LENGTH
int virDomainSetBlkioParameters(virDomainPtr domain, virTypedParameterPtr params,
                                int nparams, unsigned int flags);
int virDomainGetBlkioParameters(virDomainPtr domain, virTypedParameterPtr params,
                                int *nparams, unsigned int flags);

/* a disk's <iotune>: bytes/s, I/O operations/s, bursts, the burst lengths
 * (seconds), all ULLONG; the group name a STRING */
#define VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC "total_bytes_sec"
#define VIR_DOMAIN_BLOCK_IOTUNE_READ_BYTES_SEC "read_bytes_sec"
#define VIR_DOMAIN_BLOCK_IOTUNE_WRITE_BYTES_SEC "write_bytes_sec"
#define VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC "total_iops_sec"
#define VIR_DOMAIN_BLOCK_IOTUNE_READ_IOPS_SEC "read_iops_sec"
#define VIR_DOMAIN_BLOCK_IOTUNE_WRITE_IOPS_SEC "write_iops_sec"
#define VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC_MAX "total_bytes_sec_max"
#define VIR_DOMAIN_BLOCK_IOTUNE_READ_BYTES_SEC_MAX "read_bytes_sec_max"
#define VIR_DOMAIN_BLOCK_IOTUNE_WRITE_BYTES_SEC_MAX "write_bytes_sec_max"
#define VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC_MAX "total_iops_sec_max"
#define VIR_DOMAIN_BLOCK_IOTUNE_READ_IOPS_SEC_MAX "read_iops_sec_max"
#define VIR_DOMAIN_BLOCK_IOTUNE_WRITE_IOPS_SEC_MAX "write_iops_sec_max"
#define VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC_MAX_LENGTH "total_bytes_sec_max_length"
#define VIR_DOMAIN_BLOCK_IOTUNE_READ_BYTES_SEC_MAX_LENGTH "read_bytes_sec_max_length"
#define VIR_DOMAIN_BLOCK_IOTUNE_WRITE_BYTES_SEC_MAX_LENGTH "write_bytes_sec_max_length"
#define VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC_MAX_LENGTH "total_iops_sec_max_length"
#define VIR_DOMAIN_BLOCK_IOTUNE_READ_IOPS_SEC_MAX_LENGTH "read_iops_sec_max_length"
#define VIR_DOMAIN_BLOCK_IOTUNE_WRITE_IOPS_SEC_MAX_LENGTH "write_iops_sec_max_length"
#define VIR_DOMAIN_BLOCK_IOTUNE_SIZE_IOPS_SEC "size_iops_sec"
#define VIR_DOMAIN_BLOCK_IOTUNE_GROUP_NAME "group_name"
int virDomainSetBlockIoTune(virDomainPtr dom, const char *disk,
                            virTypedParameterPtr params, int nparams, unsigned int flags);
int virDomainGetBlockIoTune(virDomainPtr dom, const char *disk,
                            virTypedParameterPtr params, int *nparams,
                            unsigned int flags);

/* an interface's <bandwidth> (kibibytes/s; bursts kibibytes), all UINT */
#define VIR_DOMAIN_BANDWIDTH_IN_AVERAGE "inbound.average"
#define VIR_DOMAIN_BANDWIDTH_IN_PEAK "inbound.peak"
#define VIR_DOMAIN_BANDWIDTH_IN_BURST "inbound.burst"
#define VIR_DOMAIN_BANDWIDTH_IN_FLOOR "inbound.floor"
#define VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE "outbound.average"
#define VIR_DOMAIN_BANDWIDTH_OUT_PEAK "outbound.peak"
#define VIR_DOMAIN_BANDWIDTH_OUT_BURST "outbound.burst"
int virDomainSetInterfaceParameters(virDomainPtr dom, const char *device,
                                    virTypedParameterPtr params, int nparams,
                                    unsigned int flags);
int virDomainGetInterfaceParameters(virDomainPtr dom, const char *device,
                                    virTypedParameterPtr params, int *nparams,
                                    unsigned int flags);

typedef enum {
    VIR_DOMAIN_NUMATUNE_MEM_STRICT = 0,
    VIR_DOMAIN_NUMATUNE_MEM_PREFERRED = 1,
    VIR_DOMAIN_NUMATUNE_MEM_INTERLEAVE = 2,
    VIR_DOMAIN_NUMATUNE_MEM_RESTRICTIVE = 3,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_NUMATUNE_MEM_LAST
#endif
} virDomainNumatuneMemMode;
#define VIR_DOMAIN_NUMA_NODESET "numa_nodeset"
#define VIR_DOMAIN_NUMA_MODE "numa_mode"
int virDomainSetNumaParameters(virDomainPtr domain, virTypedParameterPtr params,
                               int nparams, unsigned int flags);
int virDomainGetNumaParameters(virDomainPtr domain, virTypedParameterPtr params,
                               int *nparams, unsigned int flags);

#define VIR_DOMAIN_CPU_STATS_CPUTIME "cpu_time"
#define VIR_DOMAIN_CPU_STATS_USERTIME "user_time"
#define VIR_DOMAIN_CPU_STATS_SYSTEMTIME "system_time"
#define VIR_DOMAIN_CPU_STATS_VCPUTIME "vcpu_time"

int virDomainGetCPUStats(virDomainPtr domain, virTypedParameterPtr params,
                         unsigned int nparams, int start_cpu, unsigned int ncpus,
                         unsigned int flags);

typedef struct _virDomainBlockInfo virDomainBlockInfo;
struct _virDomainBlockInfo {
    unsigned long long capacity;   /* logical size in bytes of the image */
    unsigned long long allocation; /* highest allocated extent in bytes */
    unsigned long long physical;   /* physical size in bytes of the container */
};
typedef virDomainBlockInfo *virDomainBlockInfoPtr;

int virDomainGetBlockInfo(virDomainPtr dom, const char *disk, virDomainBlockInfoPtr info,
                          unsigned int flags);

typedef enum {
    VIR_DOMAIN_JOB_NONE = 0,
    VIR_DOMAIN_JOB_BOUNDED = 1,
    VIR_DOMAIN_JOB_UNBOUNDED = 2,
    VIR_DOMAIN_JOB_COMPLETED = 3,
    VIR_DOMAIN_JOB_FAILED = 4,
    VIR_DOMAIN_JOB_CANCELLED = 5,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_JOB_LAST
#endif
} virDomainJobType;

typedef struct _virDomainJobInfo virDomainJobInfo;
struct _virDomainJobInfo {
    int type; /* virDomainJobType */
    unsigned long long timeElapsed;
    unsigned long long timeRemaining;
    unsigned long long dataTotal;
    unsigned long long dataProcessed;
    unsigned long long dataRemaining;
    unsigned long long memTotal;
    unsigned long long memProcessed;
    unsigned long long memRemaining;
    unsigned long long fileTotal;
    unsigned long long fileProcessed;
    unsigned long long fileRemaining;
};
typedef virDomainJobInfo *virDomainJobInfoPtr;

typedef enum {
    VIR_DOMAIN_JOB_STATS_COMPLETED = 1 << 0,
    VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED = 1 << 1,
} virDomainGetJobStatsFlags;

#define VIR_DOMAIN_JOB_OPERATION "operation"
#define VIR_DOMAIN_JOB_TIME_ELAPSED "time_elapsed"
#define VIR_DOMAIN_JOB_TIME_REMAINING "time_remaining"
#define VIR_DOMAIN_JOB_DATA_TOTAL "data_total"
#define VIR_DOMAIN_JOB_DATA_PROCESSED "data_processed"
#define VIR_DOMAIN_JOB_DATA_REMAINING "data_remaining"
#define VIR_DOMAIN_JOB_MEMORY_TOTAL "memory_total"
#define VIR_DOMAIN_JOB_MEMORY_PROCESSED "memory_processed"
#define VIR_DOMAIN_JOB_MEMORY_REMAINING "memory_remaining"
#define VIR_DOMAIN_JOB_DISK_TOTAL "disk_total"
#define VIR_DOMAIN_JOB_DISK_PROCESSED "disk_processed"
#define VIR_DOMAIN_JOB_DISK_REMAINING "disk_remaining"
#define VIR_DOMAIN_JOB_MEMORY_CONSTANT "memory_constant"
#define VIR_DOMAIN_JOB_MEMORY_NORMAL "memory_normal"
#define VIR_DOMAIN_JOB_MEMORY_NORMAL_BYTES "memory_normal_bytes"
#define VIR_DOMAIN_JOB_MEMORY_BPS "memory_bps"
#define VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE "memory_dirty_rate"
#define VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE "memory_page_size"
#define VIR_DOMAIN_JOB_MEMORY_ITERATION "memory_iteration"
#define VIR_DOMAIN_JOB_MEMORY_POSTCOPY_REQS "memory_postcopy_requests"
#define VIR_DOMAIN_JOB_DOWNTIME "downtime"
#define VIR_DOMAIN_JOB_SETUP_TIME "setup_time"
#define VIR_DOMAIN_JOB_DISK_TEMP_USED "disk_temp_used"
#define VIR_DOMAIN_JOB_DISK_TEMP_TOTAL "disk_temp_total"
#define VIR_DOMAIN_JOB_SUCCESS "success"
#define VIR_DOMAIN_JOB_ERRMSG "errmsg"

typedef enum {
    VIR_DOMAIN_JOB_OPERATION_UNKNOWN = 0,
    VIR_DOMAIN_JOB_OPERATION_START = 1,
    VIR_DOMAIN_JOB_OPERATION_SAVE = 2,
    VIR_DOMAIN_JOB_OPERATION_RESTORE = 3,
    VIR_DOMAIN_JOB_OPERATION_MIGRATION_IN = 4,
    VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT = 5,
    VIR_DOMAIN_JOB_OPERATION_SNAPSHOT = 6,
    VIR_DOMAIN_JOB_OPERATION_SNAPSHOT_REVERT = 7,
    VIR_DOMAIN_JOB_OPERATION_DUMP = 8,
    VIR_DOMAIN_JOB_OPERATION_BACKUP = 9,
    VIR_DOMAIN_JOB_OPERATION_SNAPSHOT_DELETE = 10,
    VIR_DOMAIN_JOB_OPERATION_LAST
} virDomainJobOperation;

typedef enum {
    VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL = (1 << 0), /* reuse the caller's files */
} virDomainBackupBeginFlags;

/* A backup job of a running domain's disks (a domain job: GetJobInfo shows
 * it, AbortJob ends it). */
int virDomainBackupBegin(virDomainPtr domain, const char *backupXML,
                         const char *checkpointXML, unsigned int flags);
char *virDomainBackupGetXMLDesc(virDomainPtr domain, unsigned int flags);

int virDomainGetJobInfo(virDomainPtr dom, virDomainJobInfoPtr info);
int virDomainGetJobStats(virDomainPtr domain, int *type, virTypedParameterPtr *params,
                         int *nparams, unsigned int flags);

typedef enum {
    VIR_DOMAIN_ABORT_JOB_POSTCOPY = 1 << 0, /* interrupt post-copy migration */
} virDomainAbortJobFlagsValues;

/* Aborts the domain's running background job (save, managed save, core
 * dump, migration). */
int virDomainAbortJob(virDomainPtr dom);
int virDomainAbortJobFlags(virDomainPtr dom, unsigned int flags);

typedef enum {
    VIR_DOMAIN_DISK_ERROR_NONE = 0,     /* no error */
    VIR_DOMAIN_DISK_ERROR_UNSPEC = 1,   /* unspecified I/O error */
    VIR_DOMAIN_DISK_ERROR_NO_SPACE = 2, /* no space left on the device */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_DISK_ERROR_LAST
#endif
} virDomainDiskErrorCode;

typedef struct _virDomainDiskError virDomainDiskError;
typedef virDomainDiskError *virDomainDiskErrorPtr;
struct _virDomainDiskError {
    char *disk; /* disk target (free() it) */
    int error;  /* virDomainDiskErrorCode */
};

/* The disks that hit an I/O error, at most @maxerrors of them; with
 * @errors NULL and @maxerrors 0 the size @errors needs. */
int virDomainGetDiskErrors(virDomainPtr dom, virDomainDiskErrorPtr errors,
                           unsigned int maxerrors, unsigned int flags);

#define VIR_NODE_CPU_STATS_FIELD_LENGTH 80
#define VIR_NODE_CPU_STATS_ALL_CPUS (-1)
#define VIR_NODE_CPU_STATS_KERNEL "kernel"
#define VIR_NODE_CPU_STATS_USER "user"
#define VIR_NODE_CPU_STATS_IDLE "idle"
#define VIR_NODE_CPU_STATS_IOWAIT "iowait"
#define VIR_NODE_CPU_STATS_INTR "intr"
#define VIR_NODE_CPU_STATS_UTILIZATION "utilization"

typedef struct _virNodeCPUStats virNodeCPUStats;
struct _virNodeCPUStats {
    char field[VIR_NODE_CPU_STATS_FIELD_LENGTH];
    unsigned long long value;
};
typedef virNodeCPUStats *virNodeCPUStatsPtr;

#define VIR_NODE_MEMORY_STATS_FIELD_LENGTH 80
#define VIR_NODE_MEMORY_STATS_ALL_CELLS (-1)
#define VIR_NODE_MEMORY_STATS_TOTAL "total"
#define VIR_NODE_MEMORY_STATS_FREE "free"
#define VIR_NODE_MEMORY_STATS_BUFFERS "buffers"
#define VIR_NODE_MEMORY_STATS_CACHED "cached"

typedef struct _virNodeMemoryStats virNodeMemoryStats;
struct _virNodeMemoryStats {
    char field[VIR_NODE_MEMORY_STATS_FIELD_LENGTH];
    unsigned long long value;
};
typedef virNodeMemoryStats *virNodeMemoryStatsPtr;

int virNodeGetCPUStats(virConnectPtr conn, int cpuNum, virNodeCPUStatsPtr params,
                       int *nparams, unsigned int flags);
int virNodeGetMemoryStats(virConnectPtr conn, int cellNum, virNodeMemoryStatsPtr params,
                          int *nparams, unsigned int flags);
int virNodeGetCPUMap(virConnectPtr conn, unsigned char **cpumap, unsigned int *online,
                     unsigned int flags);

typedef enum {
    VIR_DOMAIN_STATS_STATE = (1 << 0),
    VIR_DOMAIN_STATS_CPU_TOTAL = (1 << 1),
    VIR_DOMAIN_STATS_BALLOON = (1 << 2),
    VIR_DOMAIN_STATS_VCPU = (1 << 3),
    VIR_DOMAIN_STATS_INTERFACE = (1 << 4),
    VIR_DOMAIN_STATS_BLOCK = (1 << 5),
    VIR_DOMAIN_STATS_PERF = (1 << 6),
    VIR_DOMAIN_STATS_IOTHREAD = (1 << 7),
    VIR_DOMAIN_STATS_MEMORY = (1 << 8),
    VIR_DOMAIN_STATS_DIRTYRATE = (1 << 9),
    VIR_DOMAIN_STATS_VM = (1 << 10),
} virDomainStatsTypes;

/* The "dirtyrate.calc_status" of virConnectGetAllDomainStats. */
typedef enum {
    VIR_DOMAIN_DIRTYRATE_UNSTARTED = 0, /* no calculation was started */
    VIR_DOMAIN_DIRTYRATE_MEASURING = 1, /* a calculation is running */
    VIR_DOMAIN_DIRTYRATE_MEASURED = 2,  /* the last calculation finished */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_DIRTYRATE_LAST
#endif
} virDomainDirtyRateStatus;

typedef enum {
    VIR_DOMAIN_DIRTYRATE_MODE_PAGE_SAMPLING = 0,     /* sampled pages (default) */
    VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP = 1 << 0, /* the dirty log */
    VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING = 1 << 1,   /* KVM's dirty ring, per vCPU */
} virDomainDirtyRateCalcFlags;

int virDomainStartDirtyRateCalc(virDomainPtr domain, int seconds, unsigned int flags);

typedef enum {
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE = VIR_CONNECT_LIST_DOMAINS_ACTIVE,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE = VIR_CONNECT_LIST_DOMAINS_INACTIVE,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT = VIR_CONNECT_LIST_DOMAINS_PERSISTENT,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT = VIR_CONNECT_LIST_DOMAINS_TRANSIENT,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING = VIR_CONNECT_LIST_DOMAINS_RUNNING,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED = VIR_CONNECT_LIST_DOMAINS_PAUSED,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF = VIR_CONNECT_LIST_DOMAINS_SHUTOFF,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_OTHER = VIR_CONNECT_LIST_DOMAINS_OTHER,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT = 1 << 29,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING = 1 << 30,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS = 1U << 31,
} virConnectGetAllDomainStatsFlags;

typedef struct _virDomainStatsRecord virDomainStatsRecord;
typedef virDomainStatsRecord *virDomainStatsRecordPtr;
struct _virDomainStatsRecord {
    virDomainPtr dom;
    virTypedParameterPtr params;
    int nparams;
};

int virConnectGetAllDomainStats(virConnectPtr conn, unsigned int stats,
                                virDomainStatsRecordPtr **retStats, unsigned int flags);
int virDomainListGetStats(virDomainPtr *doms, unsigned int stats,
                          virDomainStatsRecordPtr **retStats, unsigned int flags);
void virDomainStatsRecordListFree(virDomainStatsRecordPtr *stats);

/* ---- Running guests: live changes -------------------------------------- */

typedef enum {
    VIR_DOMAIN_MEM_CURRENT = VIR_DOMAIN_AFFECT_CURRENT,
    VIR_DOMAIN_MEM_LIVE = VIR_DOMAIN_AFFECT_LIVE,
    VIR_DOMAIN_MEM_CONFIG = VIR_DOMAIN_AFFECT_CONFIG,
    VIR_DOMAIN_MEM_MAXIMUM = (1 << 2),
} virDomainMemoryModFlags;

int virDomainSetMaxMemory(virDomainPtr domain, unsigned long memory);
int virDomainSetMemory(virDomainPtr domain, unsigned long memory);
int virDomainSetMemoryFlags(virDomainPtr domain, unsigned long memory,
                            unsigned int flags);
int virDomainInjectNMI(virDomainPtr domain, unsigned int flags);
/* Lifecycle actions (libvirt-domain-power.c) */
typedef enum {
    VIR_DOMAIN_LIFECYCLE_POWEROFF = 0,
    VIR_DOMAIN_LIFECYCLE_REBOOT = 1,
    VIR_DOMAIN_LIFECYCLE_CRASH = 2,
    VIR_DOMAIN_LIFECYCLE_LAST
} virDomainLifecycle;
typedef enum {
    VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY = 0,
    VIR_DOMAIN_LIFECYCLE_ACTION_RESTART = 1,
    VIR_DOMAIN_LIFECYCLE_ACTION_RESTART_RENAME = 2,
    VIR_DOMAIN_LIFECYCLE_ACTION_PRESERVE = 3,
    VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_DESTROY = 4,
    VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART = 5,
    VIR_DOMAIN_LIFECYCLE_ACTION_LAST
} virDomainLifecycleAction;
int virDomainSetLifecycleAction(virDomainPtr domain, unsigned int type,
                                unsigned int action, unsigned int flags);
/* Power management of the guest and the host (libvirt-domain-power.c) */
typedef enum {
    VIR_NODE_SUSPEND_TARGET_MEM = 0,
    VIR_NODE_SUSPEND_TARGET_DISK = 1,
    VIR_NODE_SUSPEND_TARGET_HYBRID = 2,
    VIR_NODE_SUSPEND_TARGET_LAST
} virNodeSuspendTarget;
int virDomainPMSuspendForDuration(virDomainPtr domain, unsigned int target,
                                  unsigned long long duration, unsigned int flags);
int virDomainPMWakeup(virDomainPtr domain, unsigned int flags);
int virNodeSuspendForDuration(virConnectPtr conn, unsigned int target,
                              unsigned long long duration, unsigned int flags);
/* Signals to the guest's processes (libvirt-domain-power.c): Linux's
 * numbers, 32.. the real-time ones */
typedef enum {
    VIR_DOMAIN_PROCESS_SIGNAL_NOP = 0,
    VIR_DOMAIN_PROCESS_SIGNAL_HUP = 1,
    VIR_DOMAIN_PROCESS_SIGNAL_INT = 2,
    VIR_DOMAIN_PROCESS_SIGNAL_QUIT = 3,
    VIR_DOMAIN_PROCESS_SIGNAL_ILL = 4,
    VIR_DOMAIN_PROCESS_SIGNAL_TRAP = 5,
    VIR_DOMAIN_PROCESS_SIGNAL_ABRT = 6,
    VIR_DOMAIN_PROCESS_SIGNAL_BUS = 7,
    VIR_DOMAIN_PROCESS_SIGNAL_FPE = 8,
    VIR_DOMAIN_PROCESS_SIGNAL_KILL = 9,
    VIR_DOMAIN_PROCESS_SIGNAL_USR1 = 10,
    VIR_DOMAIN_PROCESS_SIGNAL_SEGV = 11,
    VIR_DOMAIN_PROCESS_SIGNAL_USR2 = 12,
    VIR_DOMAIN_PROCESS_SIGNAL_PIPE = 13,
    VIR_DOMAIN_PROCESS_SIGNAL_ALRM = 14,
    VIR_DOMAIN_PROCESS_SIGNAL_TERM = 15,
    VIR_DOMAIN_PROCESS_SIGNAL_STKFLT = 16,
    VIR_DOMAIN_PROCESS_SIGNAL_CHLD = 17,
    VIR_DOMAIN_PROCESS_SIGNAL_CONT = 18,
    VIR_DOMAIN_PROCESS_SIGNAL_STOP = 19,
    VIR_DOMAIN_PROCESS_SIGNAL_TSTP = 20,
    VIR_DOMAIN_PROCESS_SIGNAL_TTIN = 21,
    VIR_DOMAIN_PROCESS_SIGNAL_TTOU = 22,
    VIR_DOMAIN_PROCESS_SIGNAL_URG = 23,
    VIR_DOMAIN_PROCESS_SIGNAL_XCPU = 24,
    VIR_DOMAIN_PROCESS_SIGNAL_XFSZ = 25,
    VIR_DOMAIN_PROCESS_SIGNAL_VTALRM = 26,
    VIR_DOMAIN_PROCESS_SIGNAL_PROF = 27,
    VIR_DOMAIN_PROCESS_SIGNAL_WINCH = 28,
    VIR_DOMAIN_PROCESS_SIGNAL_POLL = 29,
    VIR_DOMAIN_PROCESS_SIGNAL_PWR = 30,
    VIR_DOMAIN_PROCESS_SIGNAL_SYS = 31,
    VIR_DOMAIN_PROCESS_SIGNAL_RT0 = 32,
    VIR_DOMAIN_PROCESS_SIGNAL_RT1 = 33,
    VIR_DOMAIN_PROCESS_SIGNAL_RT2 = 34,
    VIR_DOMAIN_PROCESS_SIGNAL_RT3 = 35,
    VIR_DOMAIN_PROCESS_SIGNAL_RT4 = 36,
    VIR_DOMAIN_PROCESS_SIGNAL_RT5 = 37,
    VIR_DOMAIN_PROCESS_SIGNAL_RT6 = 38,
    VIR_DOMAIN_PROCESS_SIGNAL_RT7 = 39,
    VIR_DOMAIN_PROCESS_SIGNAL_RT8 = 40,
    VIR_DOMAIN_PROCESS_SIGNAL_RT9 = 41,
    VIR_DOMAIN_PROCESS_SIGNAL_RT10 = 42,
    VIR_DOMAIN_PROCESS_SIGNAL_RT11 = 43,
    VIR_DOMAIN_PROCESS_SIGNAL_RT12 = 44,
    VIR_DOMAIN_PROCESS_SIGNAL_RT13 = 45,
    VIR_DOMAIN_PROCESS_SIGNAL_RT14 = 46,
    VIR_DOMAIN_PROCESS_SIGNAL_RT15 = 47,
    VIR_DOMAIN_PROCESS_SIGNAL_RT16 = 48,
    VIR_DOMAIN_PROCESS_SIGNAL_RT17 = 49,
    VIR_DOMAIN_PROCESS_SIGNAL_RT18 = 50,
    VIR_DOMAIN_PROCESS_SIGNAL_RT19 = 51,
    VIR_DOMAIN_PROCESS_SIGNAL_RT20 = 52,
    VIR_DOMAIN_PROCESS_SIGNAL_RT21 = 53,
    VIR_DOMAIN_PROCESS_SIGNAL_RT22 = 54,
    VIR_DOMAIN_PROCESS_SIGNAL_RT23 = 55,
    VIR_DOMAIN_PROCESS_SIGNAL_RT24 = 56,
    VIR_DOMAIN_PROCESS_SIGNAL_RT25 = 57,
    VIR_DOMAIN_PROCESS_SIGNAL_RT26 = 58,
    VIR_DOMAIN_PROCESS_SIGNAL_RT27 = 59,
    VIR_DOMAIN_PROCESS_SIGNAL_RT28 = 60,
    VIR_DOMAIN_PROCESS_SIGNAL_RT29 = 61,
    VIR_DOMAIN_PROCESS_SIGNAL_RT30 = 62,
    VIR_DOMAIN_PROCESS_SIGNAL_RT31 = 63,
    VIR_DOMAIN_PROCESS_SIGNAL_RT32 = 64,
    VIR_DOMAIN_PROCESS_SIGNAL_LAST
} virDomainProcessSignal;
int virDomainSendProcessSignal(virDomainPtr domain, long long pid_value,
                               unsigned int signum, unsigned int flags);
/* Guest agent calls (libvirt-domain-agent.c) */
typedef enum {
    VIR_DOMAIN_GET_HOSTNAME_LEASE = (1 << 0),
    VIR_DOMAIN_GET_HOSTNAME_AGENT = (1 << 1),
} virDomainGetHostnameFlags;
char *virDomainGetHostname(virDomainPtr domain, unsigned int flags);
typedef enum {
    VIR_DOMAIN_TIME_SYNC = (1 << 0),
} virDomainSetTimeFlags;
int virDomainGetTime(virDomainPtr dom, long long *seconds, unsigned int *nseconds,
                     unsigned int flags);
int virDomainSetTime(virDomainPtr dom, long long seconds, unsigned int nseconds,
                     unsigned int flags);
int virDomainFSFreeze(virDomainPtr dom, const char **mountpoints,
                      unsigned int nmountpoints, unsigned int flags);
int virDomainFSThaw(virDomainPtr dom, const char **mountpoints, unsigned int nmountpoints,
                    unsigned int flags);
int virDomainFSTrim(virDomainPtr dom, const char *mountPoint, unsigned long long minimum,
                    unsigned int flags);
/* virDomainGetFSInfo: one mounted filesystem of the guest; @devAlias are
 * the targets (vda) of the disks it sits on */
typedef struct _virDomainFSInfo virDomainFSInfo;
typedef virDomainFSInfo *virDomainFSInfoPtr;
struct _virDomainFSInfo {
    char *mountpoint;
    char *name;
    char *fstype;
    size_t ndevAlias;
    char **devAlias;
};
void virDomainFSInfoFree(virDomainFSInfoPtr info);
int virDomainGetFSInfo(virDomainPtr dom, virDomainFSInfoPtr **info, unsigned int flags);
typedef enum {
    VIR_DOMAIN_GUEST_INFO_USERS = (1 << 0),
    VIR_DOMAIN_GUEST_INFO_OS = (1 << 1),
    VIR_DOMAIN_GUEST_INFO_TIMEZONE = (1 << 2),
    VIR_DOMAIN_GUEST_INFO_HOSTNAME = (1 << 3),
    VIR_DOMAIN_GUEST_INFO_FILESYSTEM = (1 << 4),
    VIR_DOMAIN_GUEST_INFO_DISKS = (1 << 5),
    VIR_DOMAIN_GUEST_INFO_INTERFACES = (1 << 6),
} virDomainGuestInfoTypes;
int virDomainGetGuestInfo(virDomainPtr domain, unsigned int types,
                          virTypedParameterPtr *params, int *nparams, unsigned int flags);
typedef enum {
    VIR_DOMAIN_PASSWORD_ENCRYPTED = 1 << 0, /* the password is already encrypted */
} virDomainSetUserPasswordFlags;
int virDomainSetUserPassword(virDomainPtr dom, const char *user, const char *password,
                             unsigned int flags);
typedef enum {
    VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK = -2,
    VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_DEFAULT = -1,
    VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_NOWAIT = 0,
} virDomainAgentResponseTimeoutValues;
int virDomainAgentSetResponseTimeout(virDomainPtr domain, int timeout,
                                     unsigned int flags);
int virDomainGetGuestVcpus(virDomainPtr domain, virTypedParameterPtr *params,
                           unsigned int *nparams, unsigned int flags);
int virDomainSetGuestVcpus(virDomainPtr domain, const char *cpumap, int state,
                           unsigned int flags);
typedef enum {
    /* don't truncate file, just append */
    VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND = (1 << 0),
    /* remove keys, instead of adding them */
    VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE = (1 << 1),
} virDomainAuthorizedSSHKeysSetFlags;
int virDomainAuthorizedSSHKeysGet(virDomainPtr domain, const char *user, char ***keys,
                                  unsigned int flags);
int virDomainAuthorizedSSHKeysSet(virDomainPtr domain, const char *user,
                                  const char **keys, unsigned int nkeys,
                                  unsigned int flags);
/* A BLOCK_THRESHOLD event when the guest writes past @threshold bytes of @dev. */
int virDomainSetBlockThreshold(virDomainPtr domain, const char *dev,
                               unsigned long long threshold, unsigned int flags);

typedef enum {
    VIR_KEYCODE_SET_LINUX = 0,
    VIR_KEYCODE_SET_XT = 1,
    VIR_KEYCODE_SET_ATSET1 = 2,
    VIR_KEYCODE_SET_ATSET2 = 3,
    VIR_KEYCODE_SET_ATSET3 = 4,
    VIR_KEYCODE_SET_OSX = 5,
    VIR_KEYCODE_SET_XT_KBD = 6,
    VIR_KEYCODE_SET_USB = 7,
    VIR_KEYCODE_SET_WIN32 = 8,
    VIR_KEYCODE_SET_QNUM = 9,
#ifdef VIR_ENUM_SENTINELS
    VIR_KEYCODE_SET_LAST
#endif
} virKeycodeSet;
#define VIR_KEYCODE_SET_RFB VIR_KEYCODE_SET_QNUM
#define VIR_DOMAIN_SEND_KEY_MAX_KEYS 16
int virDomainSendKey(virDomainPtr domain, unsigned int codeset, unsigned int holdtime,
                     unsigned int *keycodes, int nkeycodes, unsigned int flags);
char *virDomainScreenshot(virDomainPtr domain, virStreamPtr stream, unsigned int screen,
                          unsigned int flags);

typedef enum {
    VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH = (1 << 0),
} virDomainOpenGraphicsFlags;
int virDomainOpenGraphics(virDomainPtr dom, unsigned int idx, int fd, unsigned int flags);
int virDomainOpenGraphicsFD(virDomainPtr dom, unsigned int idx, unsigned int flags);

typedef enum {
    VIR_DOMAIN_CONTROL_OK = 0,
    VIR_DOMAIN_CONTROL_JOB = 1,
    VIR_DOMAIN_CONTROL_OCCUPIED = 2,
    VIR_DOMAIN_CONTROL_ERROR = 3,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_CONTROL_LAST
#endif
} virDomainControlState;

typedef enum {
    VIR_DOMAIN_CONTROL_ERROR_REASON_NONE = 0,
    VIR_DOMAIN_CONTROL_ERROR_REASON_UNKNOWN = 1,
    VIR_DOMAIN_CONTROL_ERROR_REASON_MONITOR = 2,
    VIR_DOMAIN_CONTROL_ERROR_REASON_INTERNAL = 3,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_CONTROL_ERROR_REASON_LAST
#endif
} virDomainControlErrorReason;

typedef struct _virDomainControlInfo virDomainControlInfo;
struct _virDomainControlInfo {
    unsigned int state;           /* virDomainControlState */
    unsigned int details;         /* state-specific details */
    unsigned long long stateTime; /* ms in the current state */
};
typedef virDomainControlInfo *virDomainControlInfoPtr;
int virDomainGetControlInfo(virDomainPtr domain, virDomainControlInfoPtr info,
                            unsigned int flags);

/* ---- Changing a guest: metadata, rename, devices, vCPUs, block size ---- */

typedef enum {
    VIR_DOMAIN_METADATA_DESCRIPTION = 0,
    VIR_DOMAIN_METADATA_TITLE = 1,
    VIR_DOMAIN_METADATA_ELEMENT = 2,
} virDomainMetadataType;

int virDomainSetMetadata(virDomainPtr domain, int type, const char *metadata,
                         const char *key, const char *uri, unsigned int flags);
char *virDomainGetMetadata(virDomainPtr domain, int type, const char *uri,
                           unsigned int flags);
int virDomainRename(virDomainPtr dom, const char *new_name, unsigned int flags);

int virDomainSetVcpus(virDomainPtr domain, unsigned int nvcpus);
int virDomainSetVcpusFlags(virDomainPtr domain, unsigned int nvcpus, unsigned int flags);
int virDomainSetVcpu(virDomainPtr domain, const char *vcpumap, int state,
                     unsigned int flags);

typedef enum {
    VIR_DOMAIN_BLOCK_RESIZE_BYTES = 1 << 0,
} virDomainBlockResizeFlags;

int virDomainBlockResize(virDomainPtr dom, const char *disk, unsigned long long size,
                         unsigned int flags);

/* Block jobs (libvirt 9.0's numbers and names) */
typedef enum {
    VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC = 1 << 0,
    VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT = 1 << 1,
} virDomainBlockJobAbortFlags;

int virDomainBlockJobAbort(virDomainPtr dom, const char *disk, unsigned int flags);

typedef enum {
    VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES = 1 << 0,
} virDomainBlockJobInfoFlags;

typedef unsigned long long virDomainBlockJobCursor;

typedef struct _virDomainBlockJobInfo virDomainBlockJobInfo;
struct _virDomainBlockJobInfo {
    int type;                /* virDomainBlockJobType */
    unsigned long bandwidth; /* MiB/s, or bytes/s with BANDWIDTH_BYTES */
    virDomainBlockJobCursor cur;
    virDomainBlockJobCursor end;
};
typedef virDomainBlockJobInfo *virDomainBlockJobInfoPtr;

int virDomainGetBlockJobInfo(virDomainPtr dom, const char *disk,
                             virDomainBlockJobInfoPtr info, unsigned int flags);

typedef enum {
    VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES = 1 << 0,
} virDomainBlockJobSetSpeedFlags;

int virDomainBlockJobSetSpeed(virDomainPtr dom, const char *disk, unsigned long bandwidth,
                              unsigned int flags);

typedef enum {
    VIR_DOMAIN_BLOCK_PULL_BANDWIDTH_BYTES = 1 << 6,
} virDomainBlockPullFlags;

int virDomainBlockPull(virDomainPtr dom, const char *disk, unsigned long bandwidth,
                       unsigned int flags);

typedef enum {
    VIR_DOMAIN_BLOCK_REBASE_SHALLOW = 1 << 0,
    VIR_DOMAIN_BLOCK_REBASE_REUSE_EXT = 1 << 1,
    VIR_DOMAIN_BLOCK_REBASE_COPY_RAW = 1 << 2,
    VIR_DOMAIN_BLOCK_REBASE_COPY = 1 << 3,
    VIR_DOMAIN_BLOCK_REBASE_RELATIVE = 1 << 4,
    VIR_DOMAIN_BLOCK_REBASE_COPY_DEV = 1 << 5,
    VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES = 1 << 6,
} virDomainBlockRebaseFlags;

int virDomainBlockRebase(virDomainPtr dom, const char *disk, const char *base,
                         unsigned long bandwidth, unsigned int flags);

typedef enum {
    VIR_DOMAIN_BLOCK_COPY_SHALLOW = 1 << 0,
    VIR_DOMAIN_BLOCK_COPY_REUSE_EXT = 1 << 1,
    VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB = 1 << 2,
    VIR_DOMAIN_BLOCK_COPY_SYNCHRONOUS_WRITES = 1 << 3,
} virDomainBlockCopyFlags;

#define VIR_DOMAIN_BLOCK_COPY_BANDWIDTH "bandwidth"
#define VIR_DOMAIN_BLOCK_COPY_GRANULARITY "granularity"
#define VIR_DOMAIN_BLOCK_COPY_BUF_SIZE "buf-size"

int virDomainBlockCopy(virDomainPtr dom, const char *disk, const char *destxml,
                       virTypedParameterPtr params, int nparams, unsigned int flags);

typedef enum {
    VIR_DOMAIN_BLOCK_COMMIT_SHALLOW = 1 << 0,
    VIR_DOMAIN_BLOCK_COMMIT_DELETE = 1 << 1,
    VIR_DOMAIN_BLOCK_COMMIT_ACTIVE = 1 << 2,
    VIR_DOMAIN_BLOCK_COMMIT_RELATIVE = 1 << 3,
    VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES = 1 << 4,
} virDomainBlockCommitFlags;

int virDomainBlockCommit(virDomainPtr dom, const char *disk, const char *base,
                         const char *top, unsigned long bandwidth, unsigned int flags);

typedef enum {
    VIR_DOMAIN_DEVICE_MODIFY_CURRENT = VIR_DOMAIN_AFFECT_CURRENT,
    VIR_DOMAIN_DEVICE_MODIFY_LIVE = VIR_DOMAIN_AFFECT_LIVE,
    VIR_DOMAIN_DEVICE_MODIFY_CONFIG = VIR_DOMAIN_AFFECT_CONFIG,
    VIR_DOMAIN_DEVICE_MODIFY_FORCE = (1 << 2),
} virDomainDeviceModifyFlags;

int virDomainAttachDevice(virDomainPtr domain, const char *xml);
int virDomainAttachDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags);
int virDomainDetachDevice(virDomainPtr domain, const char *xml);
int virDomainDetachDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags);
int virDomainDetachDeviceAlias(virDomainPtr domain, const char *alias,
                               unsigned int flags);
int virDomainUpdateDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags);

/* ---- Save, restore, managed save ---------------------------------------- */

typedef enum {
    VIR_DOMAIN_SAVE_BYPASS_CACHE = 1 << 0, /* avoid file system cache pollution */
    VIR_DOMAIN_SAVE_RUNNING = 1 << 1,      /* favor running over paused */
    VIR_DOMAIN_SAVE_PAUSED = 1 << 2,       /* favor paused over running */
    VIR_DOMAIN_SAVE_RESET_NVRAM = 1 << 3,  /* re-initialize NVRAM from template */
} virDomainSaveRestoreFlags;

typedef enum {
    VIR_DOMAIN_SAVE_IMAGE_XML_SECURE =
        (1 << 0), /* dump security sensitive information too */
} virDomainSaveImageXMLFlags;

int virDomainSave(virDomainPtr domain, const char *to);
int virDomainSaveFlags(virDomainPtr domain, const char *to, const char *dxml,
                       unsigned int flags);
int virDomainRestore(virConnectPtr conn, const char *from);
int virDomainRestoreFlags(virConnectPtr conn, const char *from, const char *dxml,
                          unsigned int flags);

/* The typed parameters of virDomainSaveParams / virDomainRestoreParams */
#define VIR_DOMAIN_SAVE_PARAM_FILE "file" /* string: the image's path */
#define VIR_DOMAIN_SAVE_PARAM_DXML "dxml" /* string: a replacement domain XML */

int virDomainSaveParams(virDomainPtr domain, virTypedParameterPtr params, int nparams,
                        unsigned int flags);
int virDomainRestoreParams(virConnectPtr conn, virTypedParameterPtr params, int nparams,
                           unsigned int flags);

/* ---- Peeks: bytes of a disk's image, of guest memory ---------------------- */

typedef enum {
    VIR_MEMORY_VIRTUAL = 1 << 0,  /* addresses are virtual addresses */
    VIR_MEMORY_PHYSICAL = 1 << 1, /* addresses are physical addresses */
} virDomainMemoryFlags;

int virDomainBlockPeek(virDomainPtr dom, const char *disk, unsigned long long offset,
                       size_t size, void *buffer, unsigned int flags);
int virDomainMemoryPeek(virDomainPtr dom, unsigned long long start, size_t size,
                        void *buffer, unsigned int flags);
char *virDomainSaveImageGetXMLDesc(virConnectPtr conn, const char *file,
                                   unsigned int flags);
int virDomainSaveImageDefineXML(virConnectPtr conn, const char *file, const char *dxml,
                                unsigned int flags);
int virDomainManagedSave(virDomainPtr dom, unsigned int flags);
int virDomainManagedSaveRemove(virDomainPtr dom, unsigned int flags);
char *virDomainManagedSaveGetXMLDesc(virDomainPtr domain, unsigned int flags);
int virDomainManagedSaveDefineXML(virDomainPtr domain, const char *dxml,
                                  unsigned int flags);

typedef enum {
    VIR_DUMP_CRASH = (1 << 0),        /* crash after dump */
    VIR_DUMP_LIVE = (1 << 1),         /* live dump */
    VIR_DUMP_BYPASS_CACHE = (1 << 2), /* avoid file system cache pollution */
    VIR_DUMP_RESET = (1 << 3),        /* reset domain after dump finishes */
    VIR_DUMP_MEMORY_ONLY = (1 << 4),  /* use dump-guest-memory */
} virDomainCoreDumpFlags;

typedef enum {
    VIR_DOMAIN_CORE_DUMP_FORMAT_RAW = 0,
    VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_ZLIB = 1,
    VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_LZO = 2,
    VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_SNAPPY = 3,
    VIR_DOMAIN_CORE_DUMP_FORMAT_WIN_DMP = 4,
} virDomainCoreDumpFormat;

int virDomainCoreDump(virDomainPtr domain, const char *to, unsigned int flags);
int virDomainCoreDumpWithFormat(virDomainPtr domain, const char *to,
                                unsigned int dumpformat, unsigned int flags);

#ifdef __cplusplus
}
#endif

#endif /* LIBVIRT_H */
