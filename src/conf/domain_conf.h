/* domain_conf.h: the domain definition (virDomainDef) and its XML parser/formatter */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <libvirt/libvirt.h>

#include "domain_conf_dev.h" /* the device definitions */
#include "domain_cpu_conf.h"
#include "virnetdevbandwidth.h"
#include "virperf.h"
#include "nwfilter_params.h"

/*
 * Field owners: src/conf parses and formats every field. Drivers read
 * them, and fill in defaults through their own post-parse step (e.g. the
 * QEMU driver expands machine 'q35' to 'pc-q35-7.2' and sets the emulator).
 * New fields may be added; existing ones keep their meaning.
 * Memory is always in KiB. Strings are owned by the def (g_free).
 */

typedef enum {
    VIR_DOMAIN_VIRT_NONE = 0,
    VIR_DOMAIN_VIRT_QEMU,
    VIR_DOMAIN_VIRT_KQEMU,
    VIR_DOMAIN_VIRT_KVM,
    VIR_DOMAIN_VIRT_XEN,
    VIR_DOMAIN_VIRT_LXC,
    VIR_DOMAIN_VIRT_UML,
    VIR_DOMAIN_VIRT_OPENVZ,
    VIR_DOMAIN_VIRT_TEST,
    VIR_DOMAIN_VIRT_VMWARE,
    VIR_DOMAIN_VIRT_HYPERV,
    VIR_DOMAIN_VIRT_VBOX,
    VIR_DOMAIN_VIRT_PHYP,
    VIR_DOMAIN_VIRT_PARALLELS,
    VIR_DOMAIN_VIRT_BHYVE,
    VIR_DOMAIN_VIRT_VZ,
    VIR_DOMAIN_VIRT_LAST
} virDomainVirtType;

/* virDomainLifecycleAction: the public enum (libvirt.h) */

typedef enum {
    VIR_DOMAIN_BOOT_FLOPPY = 0,
    VIR_DOMAIN_BOOT_CDROM,
    VIR_DOMAIN_BOOT_DISK, /* "hd" */
    VIR_DOMAIN_BOOT_NET,
    VIR_DOMAIN_BOOT_LAST
} virDomainBootOrder;

typedef enum {
    VIR_DOMAIN_CLOCK_OFFSET_UTC = 0,
    VIR_DOMAIN_CLOCK_OFFSET_LOCALTIME,
    VIR_DOMAIN_CLOCK_OFFSET_LAST
} virDomainClockOffsetType;

/* libvirt's virTristateSwitch / virTristateBool: absent, on (yes), off (no). */
typedef enum {
    VIR_DOMAIN_TRISTATE_ABSENT = 0,
    VIR_DOMAIN_TRISTATE_ON,  /* "on" / "yes" */
    VIR_DOMAIN_TRISTATE_OFF, /* "off" / "no" */
    VIR_DOMAIN_TRISTATE_LAST
} virDomainTristate;

typedef enum {
    VIR_DOMAIN_OS_FIRMWARE_NONE = 0, /* no firmware= attribute */
    VIR_DOMAIN_OS_FIRMWARE_BIOS,
    VIR_DOMAIN_OS_FIRMWARE_EFI,
    VIR_DOMAIN_OS_FIRMWARE_LAST
} virDomainOsFirmware;

typedef enum {
    VIR_DOMAIN_LOADER_TYPE_NONE = 0,
    VIR_DOMAIN_LOADER_TYPE_ROM,
    VIR_DOMAIN_LOADER_TYPE_PFLASH,
    VIR_DOMAIN_LOADER_TYPE_LAST
} virDomainLoaderType;

typedef enum {
    VIR_DOMAIN_TIMER_NAME_PLATFORM = 0,
    VIR_DOMAIN_TIMER_NAME_PIT,
    VIR_DOMAIN_TIMER_NAME_RTC,
    VIR_DOMAIN_TIMER_NAME_HPET,
    VIR_DOMAIN_TIMER_NAME_TSC,
    VIR_DOMAIN_TIMER_NAME_KVMCLOCK,
    VIR_DOMAIN_TIMER_NAME_HYPERVCLOCK,
    VIR_DOMAIN_TIMER_NAME_ARMVTIMER,
    VIR_DOMAIN_TIMER_NAME_LAST
} virDomainTimerName;

typedef enum {
    VIR_DOMAIN_TIMER_TICKPOLICY_NONE = 0,
    VIR_DOMAIN_TIMER_TICKPOLICY_DELAY,
    VIR_DOMAIN_TIMER_TICKPOLICY_CATCHUP,
    VIR_DOMAIN_TIMER_TICKPOLICY_MERGE,
    VIR_DOMAIN_TIMER_TICKPOLICY_DISCARD,
    VIR_DOMAIN_TIMER_TICKPOLICY_LAST
} virDomainTimerTickpolicy;

typedef enum {
    VIR_DOMAIN_TIMER_TRACK_NONE = 0,
    VIR_DOMAIN_TIMER_TRACK_BOOT,
    VIR_DOMAIN_TIMER_TRACK_GUEST,
    VIR_DOMAIN_TIMER_TRACK_WALL,
    VIR_DOMAIN_TIMER_TRACK_REALTIME,
    VIR_DOMAIN_TIMER_TRACK_LAST
} virDomainTimerTrack;

/* <clock><timer name=... present=... tickpolicy=... track=.../> */
typedef struct {
    int name;       /* virDomainTimerName */
    int present;    /* virDomainTristate */
    int tickpolicy; /* virDomainTimerTickpolicy */
    int track;      /* virDomainTimerTrack */
} virDomainTimerDef;

/* <cputune>, <memtune>, <resource> (domain_tune.c). Unset values: 0 for
 * periods and quotas, sharesSpecified false, NULL pins; memory limits
 * VIR_DOMAIN_TUNE_UNLIMITED (libvirt's VIR_DOMAIN_MEMORY_PARAM_UNLIMITED). */
#define VIR_DOMAIN_TUNE_UNLIMITED 9007199254740991ULL
typedef struct {
    unsigned long long shares;
    bool sharesSpecified;
    unsigned long long period;
    long long quota;
    unsigned long long globalPeriod;
    long long globalQuota;
    unsigned long long emulatorPeriod;
    long long emulatorQuota;
    unsigned long long iothreadPeriod;
    long long iothreadQuota;
    char **vcpupin; /* [vcpu] normalized cpu list ("0-1,3") or NULL; nvcpupin long */
    size_t nvcpupin;
    char *emulatorpin; /* NULL: none */
    /* <vcpu cpuset=...> (kept here with the pins it defaults): the
     * normalized cpu list of every vCPU and the emulator not pinned
     * otherwise; NULL: none */
    char *vcpuCpuset;
} virDomainCputuneDef;

/* One IOThread (libvirt's virDomainIOThreadIDDef): <iothread id=...
 * thread_pool_min=... thread_pool_max=...> and its <cputune><iothreadpin>. */
typedef struct {
    unsigned int id; /* >= 1, unique in a definition */
    int poolMin;     /* -1 if absent */
    int poolMax;     /* -1 if absent, else >= 1 */
    bool autofill;   /* made from the <iothreads> count, not written */
    char *cpuset;    /* <iothreadpin cpuset=...> normalized; NULL: not pinned */
    int tid;         /* live: the thread's id in QEMU (query-iothreads); 0 unknown */
} virDomainIOThreadDef;

/* <blkiotune> */
typedef struct {
    char *path;
    unsigned int weight;
    unsigned int riops; /* read_iops_sec */
    unsigned int wiops;
    unsigned long long rbps; /* read_bytes_sec */
    unsigned long long wbps;
} virDomainBlkioDeviceDef;

typedef struct {
    unsigned int weight; /* 0: unset */
    virDomainBlkioDeviceDef *devices;
    size_t ndevices;
} virDomainBlkiotuneDef;

/* one <idmap> entry: ids start.. of the container are target.. outside */
typedef struct {
    unsigned int start;
    unsigned int target;
    unsigned int count;
} virDomainIdMapEntry;

/* <numatune><memory mode placement nodeset/> */
typedef struct {
    bool set;       /* the element is present */
    int mode;       /* virDomainNumatuneMemMode (0 strict) */
    bool autoPlace; /* placement='auto' */
    char *nodeset;  /* normalized list, NULL with placement auto */
} virDomainNumatuneDef;

/* Guest NUMA (<cpu><numa>), <memoryBacking>, <maxMemory> and
 * <numatune><memnode>: domain_numa_conf.c. Values as libvirt 9.0 keeps them. */
typedef enum {
    VIR_DOMAIN_MEMORY_ACCESS_DEFAULT = 0,
    VIR_DOMAIN_MEMORY_ACCESS_SHARED,
    VIR_DOMAIN_MEMORY_ACCESS_PRIVATE,
    VIR_DOMAIN_MEMORY_ACCESS_LAST
} virDomainMemoryAccess;

typedef enum {
    VIR_DOMAIN_MEMORY_SOURCE_NONE = 0,
    VIR_DOMAIN_MEMORY_SOURCE_FILE,
    VIR_DOMAIN_MEMORY_SOURCE_ANONYMOUS,
    VIR_DOMAIN_MEMORY_SOURCE_MEMFD,
    VIR_DOMAIN_MEMORY_SOURCE_LAST
} virDomainMemorySource;

typedef enum {
    VIR_DOMAIN_MEMORY_ALLOCATION_NONE = 0,
    VIR_DOMAIN_MEMORY_ALLOCATION_IMMEDIATE,
    VIR_DOMAIN_MEMORY_ALLOCATION_ONDEMAND,
    VIR_DOMAIN_MEMORY_ALLOCATION_LAST
} virDomainMemoryAllocation;

/* One guest NUMA cell; its id is its index in def->numaCells. */
typedef struct {
    char *cpus;                /* normalized vCPU list; NULL: no vCPUs */
    unsigned long long memory; /* KiB */
    int memAccess;             /* virDomainMemoryAccess */
    int discard;               /* virDomainTristate (yes = ON, no = OFF) */
    /* <distances>: [ncells] sibling values (0: not given, libvirt's
     * default 10 local / 20 remote); NULL when the cell has none */
    unsigned int *distances;
    /* <numatune><memnode cellid=ID mode nodeset>: NULL nodeset when absent */
    char *memnodeNodeset;
    int memnodeMode; /* virDomainNumatuneMemMode */
} virDomainNumaCell;

/* <memoryBacking><hugepages><page size unit nodeset/> */
typedef struct {
    unsigned long long size; /* KiB; 0: <hugepages/> without a <page> */
    char *nodeset;           /* normalized guest cell list; NULL: every cell */
} virDomainHugePage;

typedef struct {
    virDomainHugePage *hugepages; /* nhugepages 0: no <hugepages> */
    size_t nhugepages;
    bool nosharepages;
    bool locked;
    int source;                     /* virDomainMemorySource */
    int access;                     /* virDomainMemoryAccess */
    int allocation;                 /* virDomainMemoryAllocation */
    unsigned int allocationThreads; /* 0: not given */
    bool discard;
} virDomainMemoryBackingDef;

typedef struct {
    unsigned long long hardLimit; /* KiB */
    unsigned long long softLimit;
    unsigned long long swapHardLimit;
    unsigned long long minGuarantee; /* 0: unset */
} virDomainMemtuneDef;

/* <watchdog model action> (domain_watchdog_conf.c): libvirt 9.0 carries
 * one per domain; its models and actions, in libvirt's order */
typedef enum {
    VIR_DOMAIN_WATCHDOG_MODEL_I6300ESB = 0,
    VIR_DOMAIN_WATCHDOG_MODEL_IB700,
    VIR_DOMAIN_WATCHDOG_MODEL_DIAG288,
    VIR_DOMAIN_WATCHDOG_MODEL_LAST
} virDomainWatchdogModel;

typedef enum {
    VIR_DOMAIN_WATCHDOG_ACTION_RESET = 0, /* the default */
    VIR_DOMAIN_WATCHDOG_ACTION_SHUTDOWN,
    VIR_DOMAIN_WATCHDOG_ACTION_POWEROFF,
    VIR_DOMAIN_WATCHDOG_ACTION_PAUSE,
    VIR_DOMAIN_WATCHDOG_ACTION_DUMP,
    VIR_DOMAIN_WATCHDOG_ACTION_NONE,
    VIR_DOMAIN_WATCHDOG_ACTION_INJECTNMI,
    VIR_DOMAIN_WATCHDOG_ACTION_LAST
} virDomainWatchdogAction;

typedef struct {
    int model;                   /* virDomainWatchdogModel */
    int action;                  /* virDomainWatchdogAction */
    virDomainDeviceAddress addr; /* i6300esb: pci; NONE when absent */
    /* live only: the QEMU driver's device id (<alias name='watchdog0'/>),
     * kept in the status file; NULL otherwise */
    char *alias;
} virDomainWatchdogDef;

/* <iommu model> (domain_iommu_conf.c): libvirt 9.0 carries one per
 * domain; its models, in libvirt's order */
typedef enum {
    VIR_DOMAIN_IOMMU_MODEL_INTEL = 0,
    VIR_DOMAIN_IOMMU_MODEL_SMMUV3,
    VIR_DOMAIN_IOMMU_MODEL_VIRTIO,
    VIR_DOMAIN_IOMMU_MODEL_LAST
} virDomainIOMMUModel;

typedef struct {
    int model;                   /* virDomainIOMMUModel */
    int intremap;                /* <driver intremap=...>: virDomainTristate switch */
    int cachingMode;             /* caching_mode= */
    int eim;                     /* eim= */
    int iotlb;                   /* iotlb= */
    unsigned int awBits;         /* aw_bits= (0: not given) */
    virDomainDeviceAddress addr; /* virtio only (a PCI device); NONE otherwise */
    char *alias;                 /* live only: <alias name=...> */
} virDomainIOMMUDef;

const char *virDomainIOMMUModelToString(int model);
void virDomainIOMMUDefFree(virDomainIOMMUDef *iommu);
virDomainIOMMUDef *virDomainIOMMUDefCopy(const virDomainIOMMUDef *iommu);

/* <features><ioapic driver=...>: libvirt's virDomainIOAPIC */
typedef enum {
    VIR_DOMAIN_IOAPIC_NONE = 0, /* no <ioapic>, or one without a driver */
    VIR_DOMAIN_IOAPIC_QEMU,
    VIR_DOMAIN_IOAPIC_KVM,
    VIR_DOMAIN_IOAPIC_LAST
} virDomainIOAPIC;

/* <panic model> (domain_panic_conf.c): libvirt 9.0's models; 'default'
 * is what a driver's post-parse replaces (the QEMU driver: isa on x86) */
typedef enum {
    VIR_DOMAIN_PANIC_MODEL_DEFAULT = 0,
    VIR_DOMAIN_PANIC_MODEL_ISA,
    VIR_DOMAIN_PANIC_MODEL_PSERIES,
    VIR_DOMAIN_PANIC_MODEL_HYPERV,
    VIR_DOMAIN_PANIC_MODEL_S390,
    VIR_DOMAIN_PANIC_MODEL_LAST
} virDomainPanicModel;

typedef struct {
    int model;                   /* virDomainPanicModel */
    virDomainDeviceAddress addr; /* isa: <address type='isa' iobase>; NONE when absent */
} virDomainPanicDef;

const char *virDomainPanicModelToString(int model);
void virDomainPanicDefFree(virDomainPanicDef *panic);

/* <tpm> (domain_tpm_conf.c): libvirt 9.0's models, backends, versions and
 * PCR banks, in its order; model and version 'default' are what a driver's
 * post-parse replaces (the QEMU driver: tpm-tis; 2.0 for tpm-crb, else 1.2) */
typedef enum {
    VIR_DOMAIN_TPM_MODEL_DEFAULT = 0,
    VIR_DOMAIN_TPM_MODEL_TIS,
    VIR_DOMAIN_TPM_MODEL_CRB,
    VIR_DOMAIN_TPM_MODEL_SPAPR,
    VIR_DOMAIN_TPM_MODEL_SPAPR_PROXY,
    VIR_DOMAIN_TPM_MODEL_LAST
} virDomainTPMModel;

typedef enum {
    VIR_DOMAIN_TPM_TYPE_PASSTHROUGH = 0,
    VIR_DOMAIN_TPM_TYPE_EMULATOR,
    VIR_DOMAIN_TPM_TYPE_EXTERNAL,
    VIR_DOMAIN_TPM_TYPE_LAST
} virDomainTPMBackendType;

typedef enum {
    VIR_DOMAIN_TPM_VERSION_DEFAULT = 0,
    VIR_DOMAIN_TPM_VERSION_1_2,
    VIR_DOMAIN_TPM_VERSION_2_0,
    VIR_DOMAIN_TPM_VERSION_LAST
} virDomainTPMVersion;

typedef enum {
    VIR_DOMAIN_TPM_PCR_BANK_SHA1 = 0,
    VIR_DOMAIN_TPM_PCR_BANK_SHA256,
    VIR_DOMAIN_TPM_PCR_BANK_SHA384,
    VIR_DOMAIN_TPM_PCR_BANK_SHA512,
    VIR_DOMAIN_TPM_PCR_BANK_LAST
} virDomainTPMPcrBank;

typedef struct {
    int model;   /* virDomainTPMModel */
    int type;    /* virDomainTPMBackendType */
    int version; /* virDomainTPMVersion (emulator) */
    /* passthrough: <device path> (libvirt's default /dev/tpm0); external:
     * <source path> (NULL when absent) */
    char *path;
    /* external: <source type> as libvirt's chardev type names ("unix" is
     * the only one it runs), and mode='bind' */
    char *sourceType;
    bool sourceListen;
    unsigned char secretUUID[VIR_UUID_BUFLEN]; /* <encryption secret> */
    bool hasSecret;
    bool persistentState;  /* persistent_state='yes' */
    unsigned int pcrBanks; /* bit per virDomainTPMPcrBank; 0: no <active_pcr_banks> */
    virDomainDeviceAddress addr;
    /* live only: the QEMU driver's device id (<alias name='tpm0'/>) */
    char *alias;
} virDomainTPMDef;

const char *virDomainTPMModelToString(int model);
const char *virDomainTPMBackendTypeToString(int type);
const char *virDomainTPMVersionToString(int version);
const char *virDomainTPMPcrBankToString(int bank);
void virDomainTPMDefFree(virDomainTPMDef *tpm);
virDomainTPMDef *virDomainTPMDefCopy(const virDomainTPMDef *tpm);

const char *virDomainWatchdogModelToString(int model);
const char *virDomainWatchdogActionToString(int action);
void virDomainWatchdogDefFree(virDomainWatchdogDef *wd);
virDomainWatchdogDef *virDomainWatchdogDefCopy(const virDomainWatchdogDef *wd);

/* <memory model=...> of <devices> (domain_memory_conf.c): libvirt 9.0's
 * memory devices (sgx-epc is refused by name: no SGX here). Sizes in KiB. */
typedef enum {
    VIR_DOMAIN_MEMORY_MODEL_NONE = 0,
    VIR_DOMAIN_MEMORY_MODEL_DIMM,
    VIR_DOMAIN_MEMORY_MODEL_NVDIMM,
    VIR_DOMAIN_MEMORY_MODEL_VIRTIO_PMEM,
    VIR_DOMAIN_MEMORY_MODEL_VIRTIO_MEM,
    VIR_DOMAIN_MEMORY_MODEL_LAST
} virDomainMemoryModel;

typedef struct {
    int model;   /* virDomainMemoryModel */
    int access;  /* virDomainMemoryAccess; DEFAULT: not given */
    int discard; /* 0: not given, 1: yes, 2: no */
    /* <source> */
    char *sourceNodes;           /* <nodemask>, normalized list; NULL: none */
    unsigned long long pagesize; /* 0: not given */
    char *path;                  /* nvdimm, virtio-pmem */
    unsigned long long alignsize;
    bool pmem;
    /* <target> */
    int targetNode; /* -1: not given */
    unsigned long long size;
    unsigned long long labelsize; /* nvdimm */
    bool readonly;                /* nvdimm */
    bool hasUUID;                 /* nvdimm <uuid> given (refused off ppc64) */
    unsigned long long blocksize; /* virtio-mem */
    unsigned long long requestedsize;
    unsigned long long currentsize; /* live only, never parsed */
    /* <address>: type dimm (slot, base; dimmAddr) or a PCI/other one (addr) */
    bool dimmAddr;
    unsigned int dimmSlot;
    unsigned long long dimmBase; /* 0: not given */
    virDomainDeviceAddress addr;
    char *alias; /* live only (dimm0, virtiomem0 ...) */
} virDomainMemoryDef;

const char *virDomainMemoryModelToString(int model);
void virDomainMemoryDefFree(virDomainMemoryDef *mem);
virDomainMemoryDef *virDomainMemoryDefCopy(const virDomainMemoryDef *mem);

typedef struct {
    int virtType; /* virDomainVirtType (<domain type=...>) */
    int id;       /* -1 when inactive; formatted as id='N' when >= 0
                             * and VIR_DOMAIN_DEF_FORMAT_INACTIVE is not set */
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    /* <genid>: the VM generation id (QEMU's vmgenid device); an empty
     * element gets one generated at parse, and the QEMU driver gives a
     * restored guest a new one (libvirt's VIR_QEMU_PROCESS_START_GEN_VMID) */
    bool genidRequested;
    unsigned char genid[VIR_UUID_BUFLEN];
    char *title;
    char *description;
    /* <metadata>: a copy of the element in a document of its own (libxml2's
     * xmlDoc), formatted back verbatim, namespaces included; NULL if absent.
     * Only src/conf reads it (libvirt keeps it as application data). */
    struct _xmlDoc *metadata;

    unsigned long long memory;        /* <memory>, KiB */
    unsigned long long currentMemory; /* <currentMemory>, KiB (= memory if absent) */
    unsigned int vcpus;               /* <vcpu>, >= 1: the maximum */
    unsigned int vcpusCurrent;        /* <vcpu current=...>: online ones; 0: all */
    /* <vcpu placement='auto'> (set too when only <numatune> asks for auto
     * placement and nothing pins, as libvirt 9.0 does) */
    bool vcpuPlacementAuto;
    /* <vcpus>: each vCPU's state, NULL without (domain_vcpu_conf.h) */
    struct _virDomainVcpuState *vcpuStates;
    virDomainCpuDef *cpu; /* <cpu>; NULL if absent (domain_cpu_conf.h) */
    virDomainCputuneDef cputune;
    virDomainMemtuneDef mem;
    virDomainBlkiotuneDef blkio;
    virDomainNumatuneDef numatune;
    /* <cpu><numa> cells (ncells 0: none), <memoryBacking>, <maxMemory
     * slots> (0 / 0 when absent): domain_numa_conf.c */
    virDomainNumaCell *numaCells;
    size_t nnumaCells;
    virDomainMemoryBackingDef memBacking;
    unsigned long long maxMemory; /* KiB */
    unsigned int memorySlots;
    char *resourcePartition; /* <resource><partition>; NULL if absent */
    /* <iothreads>, <iothreadids>, <cputune><iothreadpin>, <defaultiothread>:
     * domain_iothread_conf.c */
    virDomainIOThreadDef **iothreads;
    size_t niothreads;
    int defaultPoolMin; /* <defaultiothread thread_pool_min=...>; -1 if absent */
    int defaultPoolMax; /* ... thread_pool_max; -1 if absent */

    struct {
        char *type;    /* "hvm" */
        char *arch;    /* e.g. "x86_64"; NULL if absent */
        char *machine; /* e.g. "q35" or "pc-q35-7.2"; NULL if absent */
        char *kernel;
        char *initrd;
        char *cmdline;
        int bootDevs[VIR_DOMAIN_BOOT_LAST]; /* virDomainBootOrder, in order */
        size_t nBootDevs;
        int firmware;        /* virDomainOsFirmware (<os firmware=...>) */
        int fwSecureBoot;    /* <firmware><feature name='secure-boot' enabled=.../> */
        int fwEnrolledKeys;  /* ... name='enrolled-keys' (virDomainTristate both) */
        char *loader;        /* <loader>PATH</loader>; NULL if absent or empty */
        int loaderReadonly;  /* virDomainTristate (readonly='yes|no') */
        int loaderSecure;    /* virDomainTristate (secure='yes|no') */
        int loaderType;      /* virDomainLoaderType */
        int loaderStateless; /* virDomainTristate (stateless='yes|no'): yes, no NVRAM */
        char *nvram;         /* <nvram>PATH</nvram> */
        char *nvramTemplate; /* <nvram template=...> */
        bool nvramTypeFile;  /* <nvram type='file'><source file=PATH/> (libvirt's
                              * new style; written back so) */
        int bootMenu;        /* <bootmenu enable=...>: virDomainTristate (bool) */
        unsigned int bootMenuTimeout; /* <bootmenu timeout=...> (ms), when ...Set */
        bool bootMenuTimeoutSet;
    } os;

    /* <idmap><uid start target count/>...<gid .../></idmap>, each list
     * sorted by start (libvirt's); kept and formatted for every domain type,
     * unused by the QEMU driver */
    virDomainIdMapEntry *uidmap;
    size_t nuidmap;
    virDomainIdMapEntry *gidmap;
    size_t ngidmap;

    bool acpi;                   /* <features><acpi/> */
    bool apic;                   /* <features><apic/> */
    int apicEoi;                 /* <apic eoi=...>: virDomainTristate switch */
    int pvspinlock;              /* <pvspinlock state=...>: virDomainTristate switch
                                  * (<pvspinlock/>: on) */
    bool pae;                    /* <features><pae/> (no effect on QEMU's command line) */
    int vmport;                  /* <features><vmport state=.../>: virDomainTristate */
    int smm;                     /* <features><smm state=.../> (<smm/>: on) */
    unsigned long long tsegSize; /* <smm state='on'><tseg unit=...>: bytes, when... */
    bool tsegSpecified;          /* ... a size was given */
    int vmcoreinfo; /* <features><vmcoreinfo state=.../> (<vmcoreinfo/>: on) */
    int ioapic;     /* <features><ioapic driver=...>: virDomainIOAPIC */
    int hyperv;     /* <features><hyperv mode=...>: virDomainHyperVMode */
    int hypervFeatures[VIR_DOMAIN_HYPERV_LAST]; /* each one's state: virDomainTristate */
    unsigned int hypervSpinlocks;               /* <spinlocks retries=...> (when on) */
    int hypervStimerDirect;                     /* <stimer><direct state=...> (when on) */
    char *hypervVendorId;                       /* <vendor_id value=...> (when on) */
    bool kvm; /* <features><kvm> given (libvirt writes it back even empty) */
    int kvmFeatures[VIR_DOMAIN_KVM_LAST]; /* each child's state: virDomainTristate */
    unsigned int kvmDirtyRingSize;        /* <dirty-ring size=...> (when on) */
    int clockOffset;                      /* virDomainClockOffsetType */
    virDomainTimerDef *timers;            /* <clock><timer>, in document order */
    size_t ntimers;
    int pmS3; /* <pm><suspend-to-mem enabled=.../>: virDomainTristate */
    int pmS4; /* <pm><suspend-to-disk enabled=.../> */
    /* <perf><event name=... enabled=.../>: virDomainTristate, by virPerfEventType */
    int perfEvents[VIR_PERF_EVENT_LAST];

    int onPoweroff; /* virDomainLifecycleAction, default DESTROY */
    int onReboot;   /* default RESTART */
    int onCrash;    /* default DESTROY */

    char *emulator; /* <devices><emulator>; NULL if absent */

    virDomainDiskDef **disks;
    size_t ndisks;
    virDomainNetDef **nets;
    size_t nnets;
    virDomainFSDef **fss; /* <filesystem>, formatted after the controllers */
    size_t nfss;
    virDomainChrDef **serials;
    size_t nserials;
    virDomainChrDef **consoles;
    size_t nconsoles;
    virDomainChrDef **parallels; /* <parallel>, formatted after the serials */
    size_t nparallels;
    virDomainMemballoonDef *memballoon;   /* NULL if absent */
    virDomainControllerDef **controllers; /* grouped by type, by index (libvirt) */
    size_t ncontrollers;
    virDomainChannelDef **channels;
    size_t nchannels;
    virDomainRNGDef **rngs;
    size_t nrngs;
    virDomainInputDef *inputs;
    size_t ninputs;
    virDomainGraphicsDef **graphics;
    size_t ngraphics;
    virDomainVideoDef **videos;
    size_t nvideos;
    virDomainAudioDef *audios; /* by position; formatted after graphics */
    size_t naudios;
    virDomainSoundDef **sounds; /* formatted between graphics and audio */
    size_t nsounds;
    virDomainRedirdevDef **redirdevs;
    size_t nredirdevs;
    virDomainSmartcardDef **smartcards;
    size_t nsmartcards;
    virDomainHubDef **hubs; /* formatted after the redirdevs */
    size_t nhubs;
    virDomainWatchdogDef *watchdog; /* NULL if absent; formatted after the hubs */
    virDomainTPMDef **tpms;         /* formatted after the inputs (at most 2) */
    size_t ntpms;
    virDomainIOMMUDef *iommu;   /* NULL if absent; formatted after the memory devices */
    virDomainPanicDef **panics; /* formatted after the rngs */
    size_t npanics;
    virDomainHostdevDef **hostdevs; /* formatted after the videos */
    size_t nhostdevs;
    virDomainMemoryDef **mems; /* <memory> devices, formatted after the rngs */
    size_t nmems;

    /* Element names under <domain> or <devices> the parser does not know
     * (e.g. "devices/graphics"), and attributes of known elements it does
     * not carry as "PATH@ATTR" (e.g. "devices/disk/driver@iothread"):
     * kept so that a driver can refuse what it
     * cannot honour instead of silently dropping it. NULL-terminated.
     * Also "features/X", "os/X", "clock/X" and device children such as
     * "devices/disk/serial" (<alias> is ignored as live data). NULL when
     * there are none; at most 64 distinct names are kept. */
    char **unknownElements;
} virDomainDef;

/* domain_iothread_conf.c. Find: the IOThread @id of @def or NULL. Add:
 * a new one with @id (no settings) appended to @def, which owns it;
 * the caller checks @id is unused. Clear frees them all; Copy gives @dst
 * copies of @src's (dst's own are not freed). */
#define VIR_DOMAIN_IOTHREADS_MAX 16384
virDomainIOThreadDef *virDomainIOThreadFind(const virDomainDef *def, unsigned int id);
virDomainIOThreadDef *virDomainIOThreadAdd(virDomainDef *def, unsigned int id);
void virDomainIOThreadDefFree(virDomainIOThreadDef *t);
void virDomainIOThreadsClear(virDomainDef *def);
void virDomainIOThreadsCopy(virDomainDef *dst, const virDomainDef *src);
/* Del: removes IOThread @id (its pin goes with it); false if @def has
 * none. The drivers' checks before adding or removing one, libvirt's
 * (INVALID_ARG): AddCheck "an IOThread is already using iothread_id
 * '%u'"; DelCheck "cannot find IOThread '%u' in iothreadids list", or
 * the disk or controller that uses it. 0 or -1 with the error. */
bool virDomainIOThreadDel(virDomainDef *def, unsigned int id);
int virDomainIOThreadAddCheck(const virDomainDef *def, unsigned int id);
int virDomainIOThreadDelCheck(const virDomainDef *def, unsigned int id);
/* libvirt's virBitmapToData of an IOThread's CPUs: its pin, else @def's
 * <vcpu cpuset>, else the cpu list @all; a new map up to the last CPU set
 * (one byte when none) in *@maplen bytes. CpumapTrim: the same of a map
 * (@bits, @len bytes). */
unsigned char *virDomainIOThreadCpumap(const virDomainDef *def,
                                       const virDomainIOThreadDef *t, const char *all,
                                       int *maplen);
unsigned char *virDomainCpumapTrim(const unsigned char *bits, size_t len, int *maplen);
/* <memory> totals: the sum of the devices' sizes (KiB) */
unsigned long long virDomainMemoryDevicesTotal(const virDomainDef *def);

/* domain_tune.c: libvirt's cpu list syntax ("0-3,^2,5") over at most
 * @maxbits bits into a new byte map (bit N of byte N/8) of @maplen bytes;
 * NULL with INVALID_ARG "Failed to parse bitmap '%s'" reported. */
unsigned char *virDomainCpulistParse(const char *str, size_t maxbits, size_t *maplen);
/* The normalized list ("0-1,3") of a byte map; "" when empty. */
char *virDomainCpulistFormat(const unsigned char *map, size_t maplen);
/* Replace @dst's tuning (cputune, memtune, resource) by a copy of @src's;
 * Clear frees @def's (pins, partition). */
void virDomainTuneCopy(virDomainDef *dst, const virDomainDef *src);
void virDomainTuneClear(virDomainDef *def);
/* libvirt's blkio device strings ("path,value[,path,value...]") of
 * parameter @type (VIR_DOMAIN_BLKIO_DEVICE_*): parse into a new array
 * (INVALID_ARG "unable to parse blkio device ..." / "invalid value ..."),
 * merge into @b as libvirt does (a device with every value 0 is not
 * added; an existing one has that value replaced), format back. */
int virDomainBlkioDevicesParseStr(const char *str, const char *type,
                                  virDomainBlkioDeviceDef **devs, size_t *n);
void virDomainBlkioDevicesFree(virDomainBlkioDeviceDef *devs, size_t n);
void virDomainBlkioDevicesMerge(virDomainBlkiotuneDef *b,
                                const virDomainBlkioDeviceDef *devs, size_t n,
                                const char *type);
char *virDomainBlkioDevicesFormatStr(const virDomainBlkiotuneDef *b, const char *type);
/* numa_mode / numa_nodeset of already type-checked @params: *mode -1 when
 * absent, *nodeset a new normalized list or NULL; libvirt's errors. */
int virDomainNumatuneCheckParams(virTypedParameterPtr params, int nparams, int *mode,
                                 char **nodeset);
/* libvirt's virDomainNumatuneSet with static placement: CONFIG_UNSUPPORTED
 * when no nodeset results, @def unchanged then. */
int virDomainNumatuneApply(virDomainDef *def, int mode, const char *nodeset);
/* "strict", "preferred", "interleave", "restrictive"; NULL out of range. */
const char *virDomainNumatuneModeToString(int mode);
/* Set vCPU @vcpu's pin (a normalized list, NULL: none). */
void virDomainDefSetVcpuPin(virDomainDef *def, unsigned int vcpu, const char *cpulist);
/* Add @disk (ownership taken) where libvirt's virDomainDiskInsert puts it:
 * before the first disk of its bus with a higher target index, else after
 * the last disk of its bus, else at the end (the parser's order too). */
void virDomainDiskInsert(virDomainDef *def, virDomainDiskDef *disk);
/* libvirt's virDomainDefGetVcpus: the vCPUs online (at boot, or now in a
 * live definition); virDomainDefGetVcpusMax is def->vcpus. */
static inline unsigned int
virDomainDefGetVcpus(const virDomainDef *def)
{
    return def->vcpusCurrent && def->vcpusCurrent < def->vcpus ? def->vcpusCurrent
                                                               : def->vcpus;
}

/* The cpu list vCPU @i runs on (its <vcpupin>, else <vcpu cpuset>) and
 * the emulator's (<emulatorpin>, else <vcpu cpuset>); NULL: any. */
static inline const char *
virDomainDefGetVcpuPin(const virDomainDef *def, size_t i)
{
    if (i < def->cputune.nvcpupin && def->cputune.vcpupin[i])
        return def->cputune.vcpupin[i];
    return def->cputune.vcpuCpuset;
}

static inline const char *
virDomainDefGetEmulatorPin(const virDomainDef *def)
{
    return def->cputune.emulatorpin ? def->cputune.emulatorpin : def->cputune.vcpuCpuset;
}

/* libvirt's virDomainDefSetVcpus / SetVcpusMax (domain_vcpu_conf.c):
 * current set to @n (at most the maximum, checked by the caller), with
 * <vcpus> states vCPUs 0..n-1 online; a new maximum below the current
 * count lowers it. */
void virDomainDefSetVcpus(virDomainDef *def, unsigned int n);
void virDomainDefSetVcpusMax(virDomainDef *def, unsigned int max);

/* libvirt's check that no two disks of a bus share a drive address:
 * CONFIG_UNSUPPORTED "Found duplicate drive address for disk with target
 * name ..." (run at parse, and by a driver after it assigns addresses). */
int virDomainDefCheckDriveAddresses(const virDomainDef *def);
/* libvirt's domain rule that no two virtiofs filesystems share a target:
 * CONFIG_UNSUPPORTED "filesystem target '%s' specified twice" (a driver
 * runs it after its device rules, as libvirt's order has it). */
int virDomainFSCheckTargets(const virDomainDef *def);

/* libvirt's virDomainDefRejectDuplicatePanics (run after a driver's
 * post-parse too): XML_ERROR "Multiple panic devices with model '%s'". */
int virDomainPanicsCheckDuplicates(const virDomainDef *def);
/* libvirt's virDomainTPMDevValidate for every TPM of @def: <active_pcr_banks>
 * only with version 2.0, an external backend only as a unix client with a
 * path; XML_ERROR then, -1. libvirt runs it after the driver's post-parse:
 * the parser runs it with @filled false (an unset version passes), a
 * driver again with @filled true once its defaults are in (the test
 * driver fills none: an unset version is not 2.0 there either). */
int virDomainTPMsValidate(const virDomainDef *def, bool filled);

/* domain_hostdev_conf.c: libvirt's define-time rules for <hostdev> (address
 * types, the same host device twice: XML_ERROR "Hostdev already exists in
 * the domain configuration", one mdev with ramfb, two SCSI hostdevs or a
 * SCSI hostdev and a SCSI disk on one drive address); run once drive
 * addresses are assigned. CheckDriveAddresses is the last part alone. */
int virDomainHostdevsValidate(const virDomainDef *def);
int virDomainHostdevsCheckDriveAddresses(const virDomainDef *def);
/* libvirt's post-parse of the hostdevs (a SCSI disk's target name on a
 * SCSI hostdev's address, drive addresses for SCSI hostdevs given none, an
 * mdev's address type), then virDomainHostdevsValidate. Run by the parser
 * once the disks are in @def, before the implicit controllers. */
int virDomainHostdevsPostParse(virDomainDef *def);

/* An empty definition with libvirt's defaults (id -1, one vCPU, ...). */
virDomainDef *virDomainDefNew(void);
void virDomainDefFree(virDomainDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainDef, virDomainDefFree);
void virDomainDiskDefFree(virDomainDiskDef *disk);
/* domain_disk_net_conf.c: a network disk's source and a disk's <auth>
 * (Free accepts NULL; Copy of NULL is NULL) */
void virDomainDiskNetSourceFree(virDomainDiskNetSource *net);
virDomainDiskNetSource *virDomainDiskNetSourceCopy(const virDomainDiskNetSource *src);
void virStorageAuthDefFree(virStorageAuthDef *auth);
virStorageAuthDef *virStorageAuthDefCopy(const virStorageAuthDef *auth);
/* True when @disk names a medium: a path, a pool volume or a network
 * source (an empty cdrom or floppy names none). */
bool virDomainDiskHasMedia(const virDomainDiskDef *disk);
void virDomainNetDefFree(virDomainNetDef *net);
/* True for libvirt's virtio NIC models (virtio, virtio-transitional,
 * virtio-non-transitional): the ones whose <driver> is read. */
bool virDomainNetIsVirtioModel(const virDomainNetDef *net);
void virDomainChrDefFree(virDomainChrDef *chr);
void virDomainControllerDefFree(virDomainControllerDef *ctrl);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainControllerDef, virDomainControllerDefFree);
void virDomainChannelDefFree(virDomainChannelDef *chan);
void virDomainRNGDefFree(virDomainRNGDef *rng);
void virDomainSoundDefFree(virDomainSoundDef *sound);
const char *virDomainSoundCodecTypeToString(int type);
const char *virDomainControllerTypeToString(int type);
/* A new controller of @type, every optional number absent (-1). */
virDomainControllerDef *virDomainControllerDefNew(int type);
const char *virDomainInputTypeToString(int type);
/* a character device's type: "pty", "unix" ... */
const char *virDomainChrTypeToString(int type);
const char *virDomainInputBusToString(int bus);
const char *virDomainInputModelToString(int model);
const char *virDomainVideoBackendToString(int backend);
const char *virDomainInputGrabToString(int grab);
const char *virDomainInputGrabToggleToString(int toggle);

/* The destination of a block copy (virDomainBlockCopy's @destxml: a
 * <disk type='file|block'> with <source file|dev=...> and an optional
 * <driver type=...>). domain_blockcopy_conf.c. */
typedef struct {
    bool block; /* type='block' (<source dev=...>) */
    char *path;
    int format; /* virStorageFormat; NONE when not given */
} virDomainBlockCopyDest;

/* A new destination, or NULL with XML_ERROR / XML_DETAIL /
 * CONFIG_UNSUPPORTED reported (domain DOMAIN). */
virDomainBlockCopyDest *virDomainBlockCopyDestParse(const char *xml);
void virDomainBlockCopyDestFree(virDomainBlockCopyDest *dest);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainBlockCopyDest, virDomainBlockCopyDestFree);

/* libvirt's virDomainMemoryDefValidate of @mem for a guest defined as
 * @def (its target node among @def's NUMA cells, the model's rules): 0,
 * or -1 with libvirt's error. */
int virDomainMemoryDefValidate(const virDomainMemoryDef *mem, const virDomainDef *def);

typedef enum {
    VIR_DOMAIN_DEF_PARSE_INACTIVE = 1 << 0, /* ignore id='N' and live-only data */
    VIR_DOMAIN_DEF_PARSE_VALIDATE = 1 << 1, /* strict: unknown elements are errors */
    /* a status file: the driver's own live data (<listen autoGenerated='yes'>) */
    VIR_DOMAIN_DEF_PARSE_STATUS = 1 << 2,
    /* libvirt's PARSE_ABI_UPDATE (the QEMU driver's define and create):
     * a guest with NUMA cells gets their sum as its <memory> */
    VIR_DOMAIN_DEF_PARSE_ABI_UPDATE = 1 << 3,
    /* a hotplug request's wrapper: its <memory> device is validated
     * against the guest's definition (virDomainMemoryDefValidate), not
     * the wrapper's */
    VIR_DOMAIN_DEF_PARSE_SKIP_MEMDEV_VALIDATE = 1 << 4,
} virDomainDefParseFlags;

/* Largest XML document accepted (bytes); larger ones give XML_ERROR. */
#define VIR_DOMAIN_XML_MAX_SIZE (10 * 1024 * 1024)

/*
 * Parse a domain document. Returns a new def, or NULL with the error
 * reported exactly as libvirt reports it: malformed XML -> XML_DETAIL
 * "(domain_definition):LINE: MSG\nTEXT\n----^"; wrong root -> XML_ERROR;
 * no name -> NO_NAME; bad lifecycle action -> CONFIG_UNSUPPORTED / INTERNAL_ERROR
 * as libvirt. A missing uuid is generated at random. Entities are never
 * expanded and no network access happens.
 */
virDomainDef *virDomainDefParseString(const char *xml, unsigned int flags);

/* Same, for a file (used for status/config loading). */
virDomainDef *virDomainDefParseFile(const char *path, unsigned int flags);

typedef enum {
    VIR_DOMAIN_DEF_FORMAT_INACTIVE = 1 << 0, /* no id='N', no live-only data */
    VIR_DOMAIN_DEF_FORMAT_SECURE = 1 << 1,
    /* for a status file: also the driver's own live data, as libvirt's
     * VIR_DOMAIN_DEF_FORMAT_STATUS (<listen autoGenerated='yes'>) */
    VIR_DOMAIN_DEF_FORMAT_STATUS = 1 << 2,
} virDomainDefFormatFlags;

/* Format in libvirt's canonical layout (2-space indent, trailing newline).
 * Returns a new string; never fails. */
char *virDomainDefFormat(const virDomainDef *def, unsigned int flags);

/* Deep copy via format+parse-free path; never fails. */
virDomainDef *virDomainDefCopy(const virDomainDef *def);
/* libvirt's virDomainDefCompatibleDevice boot rules for a device with @boot
 * joining @def (replacing the device whose boot is @old, or NULL): an order
 * with <os><boot> in @def ("per-device boot elements cannot be used
 * together with os/boot elements"), or one another device of @def has
 * ("boot order N is already used by another device"), CONFIG_UNSUPPORTED.
 * 0 when @boot has no order. */
int virDomainDefCheckDeviceBoot(const virDomainDef *def, const virDomainDeviceBoot *boot,
                                const virDomainDeviceBoot *old);

/*
 * virDomainSetMetadata / GetMetadata on one definition, as libvirt 9.0:
 * @type VIR_DOMAIN_METADATA_DESCRIPTION / TITLE (NULL or "" removes),
 * ELEMENT: @metadata (one element, XML_DETAIL "(metadata_xml):..." when it
 * does not parse) goes under <metadata> in namespace @uri with prefix @key
 * (INTERNAL_ERROR "failed to validate prefix..." when @key is not an
 * NCName), replacing every element of that namespace; NULL removes them.
 * Set: 0 or -1 with the error reported, @def unchanged on failure.
 * Get: a new string (an element without its namespace, as
 * virXMLExtractNamespaceXML), or NULL with NO_DOMAIN_METADATA
 * "Requested metadata element is not present".
 */
int virDomainDefSetMetadata(virDomainDef *def, int type, const char *metadata,
                            const char *key, const char *uri);
char *virDomainDefGetMetadata(const virDomainDef *def, int type, const char *uri);

/* domain_numa_conf.c: the sum of the NUMA cells' memory (KiB, 0 without
 * cells); the vCPUs of cell @i as a byte map of at least @nvcpus bits
 * (NULL when it has none); libvirt's distance between cells (10 local, 20
 * remote unless given); "shared" / "private" / "file" ... names. */
unsigned long long virDomainNumaTotalMemory(const virDomainDef *def);
bool virDomainNumaHasDistances(const virDomainDef *def);
unsigned int virDomainNumaDistance(const virDomainDef *def, size_t i, size_t j);
const char *virDomainMemoryAccessToString(int access);
const char *virDomainMemorySourceToString(int source);
/* The hugepage size (KiB) that backs guest cell @cell (-1: the memory of
 * a guest without cells): the <page> whose nodeset holds it, else the
 * one without a nodeset; 0 when none applies. *@set tells whether a
 * <hugepages> applies at all (a size 0 means the host's default size). */
unsigned long long virDomainMemoryBackingPageSize(const virDomainDef *def, gssize cell,
                                                  bool *set);

/* Enum <-> string helpers (NULL / -1 when out of range / unknown). */
const char *virDomainVirtTypeToString(int type);
int virDomainVirtTypeFromString(const char *str);
const char *virDomainLifecycleActionToString(int action);
const char *virDomainDiskIoToString(int io);
const char *virDomainTristateSwitchToString(int state); /* "on" / "off" */
const char *virDomainTimerNameToString(int name);
const char *virDomainTimerTickpolicyToString(int policy);
const char *virDomainDiskDiscardToString(int discard);
const char *virDomainDiskDetectZeroesToString(int mode);
int virDomainLifecycleActionFromString(const char *str);
/* libvirt's virDomainDefLifecycleActionAllowed: false with CONFIG_UNSUPPORTED
 * for a coredump action on poweroff or reboot; @type and @action in range. */
bool virDomainDefLifecycleActionAllowed(unsigned int type, unsigned int action);
/* Sets <on_poweroff>/<on_reboot>/<on_crash> (@type a virDomainLifecycle). */
void virDomainDefSetLifecycleAction(virDomainDef *def, unsigned int type,
                                    unsigned int action);
