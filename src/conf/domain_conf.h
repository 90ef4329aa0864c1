/* domain_conf.h: the domain definition (virDomainDef) and its XML parser/formatter */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <libvirt/libvirt.h>

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

/* libvirt's virtio options: <driver iommu ats packed page_per_vq> of a
 * virtio device (disk, interface, controller, filesystem, input,
 * memballoon, rng, video), each a virDomainTristate switch (0: absent).
 * Held by value; all zero when the device names none. */
typedef struct {
    int iommu;
    int ats;
    int packed;
    int pagePerVq;
} virDomainVirtioOptions;

/* true when @v names any option */
bool virDomainVirtioOptionsIsSet(const virDomainVirtioOptions *v);

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

typedef enum {
    VIR_DOMAIN_DISK_TYPE_FILE = 0,
    VIR_DOMAIN_DISK_TYPE_VOLUME,  /* <source pool volume>: a storage pool's volume */
    VIR_DOMAIN_DISK_TYPE_BLOCK,   /* <source dev>: a host block device (src) */
    VIR_DOMAIN_DISK_TYPE_NETWORK, /* <source protocol=...>: disk->net (src NULL) */
    VIR_DOMAIN_DISK_TYPE_LAST
} virDomainDiskType;

typedef enum {
    VIR_DOMAIN_DISK_DEVICE_DISK = 0,
    VIR_DOMAIN_DISK_DEVICE_CDROM,
    VIR_DOMAIN_DISK_DEVICE_FLOPPY, /* bus fdc, targets fda/fdb */
    VIR_DOMAIN_DISK_DEVICE_LAST
} virDomainDiskDevice;

typedef enum {
    VIR_DOMAIN_DISK_BUS_NONE = 0, /* not given: derived from the target name */
    VIR_DOMAIN_DISK_BUS_IDE,
    VIR_DOMAIN_DISK_BUS_SCSI,
    VIR_DOMAIN_DISK_BUS_VIRTIO,
    VIR_DOMAIN_DISK_BUS_USB,
    VIR_DOMAIN_DISK_BUS_SATA,
    VIR_DOMAIN_DISK_BUS_FDC, /* the ISA floppy controller (floppy only) */
    VIR_DOMAIN_DISK_BUS_LAST
} virDomainDiskBus;

typedef enum {
    VIR_STORAGE_FORMAT_NONE = 0, /* no <driver type=...> */
    VIR_STORAGE_FORMAT_RAW,
    VIR_STORAGE_FORMAT_QCOW2,
    VIR_STORAGE_FORMAT_LAST
} virStorageFormat;

typedef enum {
    VIR_DOMAIN_DISK_CACHE_DEFAULT = 0,
    VIR_DOMAIN_DISK_CACHE_NONE,
    VIR_DOMAIN_DISK_CACHE_WRITETHRU, /* "writethrough" */
    VIR_DOMAIN_DISK_CACHE_WRITEBACK,
    VIR_DOMAIN_DISK_CACHE_DIRECTSYNC,
    VIR_DOMAIN_DISK_CACHE_UNSAFE,
    VIR_DOMAIN_DISK_CACHE_LAST
} virDomainDiskCache;

typedef enum {
    VIR_DOMAIN_DISK_IO_DEFAULT = 0,
    VIR_DOMAIN_DISK_IO_NATIVE,
    VIR_DOMAIN_DISK_IO_THREADS,
    VIR_DOMAIN_DISK_IO_URING, /* "io_uring" */
    VIR_DOMAIN_DISK_IO_LAST
} virDomainDiskIo;

typedef enum {
    VIR_DOMAIN_DISK_DISCARD_DEFAULT = 0,
    VIR_DOMAIN_DISK_DISCARD_UNMAP,
    VIR_DOMAIN_DISK_DISCARD_IGNORE,
    VIR_DOMAIN_DISK_DISCARD_LAST
} virDomainDiskDiscard;

typedef enum {
    VIR_DOMAIN_DISK_DETECT_ZEROES_DEFAULT = 0,
    VIR_DOMAIN_DISK_DETECT_ZEROES_OFF,
    VIR_DOMAIN_DISK_DETECT_ZEROES_ON,
    VIR_DOMAIN_DISK_DETECT_ZEROES_UNMAP,
    VIR_DOMAIN_DISK_DETECT_ZEROES_LAST
} virDomainDiskDetectZeroes;

/*
 * A device's guest address: the <address> last child of a device element,
 * of one of libvirt's types. PCI: <address type='pci' domain='0x0000'
 * bus='0x01' slot='0x00' function='0x0' multifunction='on'/>; libvirt
 * formats domain with 4 hex digits, bus and slot with 2, function with 1,
 * whatever width the input used. An all-zero PCI address means "assign
 * one" (libvirt's rule); the QEMU driver assigns every PCI address at
 * define time (qemu_domain_address.h) and writes it into the definition.
 * drive: controller bus target unit; virtio-serial: controller bus port;
 * ccid: controller slot; usb: bus port ("1" or "1.2", up to 4 levels);
 * isa: iobase irq.
 */
typedef enum {
    VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE = 0, /* no <address> */
    VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI,
    VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE,
    VIR_DOMAIN_DEVICE_ADDRESS_TYPE_VIRTIO_SERIAL,
    VIR_DOMAIN_DEVICE_ADDRESS_TYPE_CCID,
    VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB,
    VIR_DOMAIN_DEVICE_ADDRESS_TYPE_ISA,
    VIR_DOMAIN_DEVICE_ADDRESS_TYPE_LAST
} virDomainDeviceAddressType;

#define VIR_DOMAIN_USB_PORT_LEVELS 4

typedef struct {
    int type; /* virDomainDeviceAddressType */
    /* pci */
    unsigned int domain;
    unsigned int bus;  /* also drive, virtio-serial, usb */
    unsigned int slot; /* also ccid */
    unsigned int function;
    int multifunction; /* 0: not given, 1: 'on', 2: 'off' (added by src/conf) */
    /* drive, virtio-serial, ccid */
    unsigned int controller;
    unsigned int target; /* drive */
    unsigned int unit;   /* drive */
    unsigned int port;   /* virtio-serial */
    /* usb: port levels, 0-terminated (port='1.2' -> {1, 2, 0, 0}) */
    unsigned int usbPort[VIR_DOMAIN_USB_PORT_LEVELS];
    /* isa; 0 when not given */
    unsigned int iobase;
    unsigned int irq;
} virDomainDeviceAddress;

/* True for a PCI address with every field zero: "assign one". */
bool virDomainDeviceAddressIsEmptyPCI(const virDomainDeviceAddress *addr);
/* "0000:00:1f.2" (libvirt's virDomainPCIAddressAsString); caller frees. */
char *virDomainPCIAddressAsString(const virDomainDeviceAddress *addr);
const char *virDomainDeviceAddressTypeToString(int type);

/* A network disk's <source protocol=...> (libvirt's virStorageSource of
 * type network), parsed and formatted by domain_disk_net_conf.c. */
typedef enum {
    VIR_STORAGE_NET_PROTOCOL_NONE = 0,
    VIR_STORAGE_NET_PROTOCOL_NBD,
    VIR_STORAGE_NET_PROTOCOL_RBD,
    VIR_STORAGE_NET_PROTOCOL_SHEEPDOG,
    VIR_STORAGE_NET_PROTOCOL_GLUSTER,
    VIR_STORAGE_NET_PROTOCOL_ISCSI,
    VIR_STORAGE_NET_PROTOCOL_HTTP,
    VIR_STORAGE_NET_PROTOCOL_HTTPS,
    VIR_STORAGE_NET_PROTOCOL_FTP,
    VIR_STORAGE_NET_PROTOCOL_FTPS,
    VIR_STORAGE_NET_PROTOCOL_TFTP,
    VIR_STORAGE_NET_PROTOCOL_SSH,
    VIR_STORAGE_NET_PROTOCOL_VXHS,
    VIR_STORAGE_NET_PROTOCOL_NFS,
    VIR_STORAGE_NET_PROTOCOL_LAST
} virStorageNetProtocol;

typedef enum {
    VIR_STORAGE_NET_HOST_TRANS_TCP = 0,
    VIR_STORAGE_NET_HOST_TRANS_UNIX,
    VIR_STORAGE_NET_HOST_TRANS_RDMA,
    VIR_STORAGE_NET_HOST_TRANS_LAST
} virStorageNetHostTransport;

/* <host name port transport socket>: port 0 when none (the protocol's
 * default is filled in at parse for tcp, as libvirt does) */
typedef struct {
    char *name;
    unsigned int port;
    int transport; /* virStorageNetHostTransport */
    char *socket;
} virStorageNetHostDef;

/* <auth username [type]><secret type uuid|usage/></auth> */
typedef struct {
    char *username;
    int authType;     /* 0 none, 1 chap, 2 ceph (<auth type=...>) */
    char *secretType; /* <secret type=...> as written ("iscsi", "ceph", ...) */
    bool useUUID;     /* the secret is named by uuid, else by usage */
    unsigned char uuid[16];
    char *usage;
} virStorageAuthDef;

typedef struct {
    char *name;
    char *value;
} virStorageNetCookieDef;

typedef struct {
    int protocol; /* virStorageNetProtocol */
    char *name;   /* name=...: export, path, iqn/lun or "pool/image" as written */
    char *query;  /* http(s) only */
    int tls;      /* virDomainTristate (yes/no) */
    char *tlsHostname;
    virStorageNetHostDef *hosts;
    size_t nhosts;
    char *nfsUser; /* nfs <identity user group> */
    char *nfsGroup;
    char *snapshot;   /* <snapshot name> */
    char *configFile; /* <config file> */
    char *iqn;        /* <initiator><iqn name> */
    int sslverify;    /* virDomainTristate (<ssl verify='yes|no'>) */
    virStorageNetCookieDef *cookies;
    size_t ncookies;
    unsigned long long readahead; /* bytes; 0 when absent */
    unsigned long long timeout;   /* seconds; 0 when absent */
} virDomainDiskNetSource;

const char *virStorageNetProtocolToString(int protocol);

/* A disk's <iotune> (libvirt's virDomainBlockIoTuneInfo): 0 = unset.
 * The order of the fields is libvirt's format order (base limits, the
 * _max bursts, size_iops_sec, group_name, the _max_length). */
typedef enum {
    VIR_DOMAIN_IOTUNE_TOTAL_BYTES_SEC,
    VIR_DOMAIN_IOTUNE_READ_BYTES_SEC,
    VIR_DOMAIN_IOTUNE_WRITE_BYTES_SEC,
    VIR_DOMAIN_IOTUNE_TOTAL_IOPS_SEC,
    VIR_DOMAIN_IOTUNE_READ_IOPS_SEC,
    VIR_DOMAIN_IOTUNE_WRITE_IOPS_SEC,
    VIR_DOMAIN_IOTUNE_BASE_LAST,
} virDomainIoTuneLimit;

typedef struct {
    unsigned long long base[VIR_DOMAIN_IOTUNE_BASE_LAST];   /* *_sec */
    unsigned long long max[VIR_DOMAIN_IOTUNE_BASE_LAST];    /* *_sec_max */
    unsigned long long maxLen[VIR_DOMAIN_IOTUNE_BASE_LAST]; /* *_sec_max_length */
    unsigned long long sizeIops;                            /* size_iops_sec */
    char *groupName;                                        /* NULL: none */
} virDomainBlockIoTuneInfo;

/* libvirt's names of the base limits ("total_bytes_sec" ...) */
extern const char *const virDomainIoTuneNames[VIR_DOMAIN_IOTUNE_BASE_LAST];
/* true when @t sets anything (libvirt formats <iotune> only then) */
bool virDomainBlockIoTuneIsSet(const virDomainBlockIoTuneInfo *t);

typedef struct {
    int type;         /* virDomainDiskType */
    int device;       /* virDomainDiskDevice */
    char *driverName; /* <driver name=...>, usually "qemu"; may be NULL */
    int format;       /* virStorageFormat */
    int cache;        /* virDomainDiskCache */
    int io;           /* virDomainDiskIo (<driver io=...>) */
    int discard;      /* virDomainDiskDiscard (<driver discard=...>) */
    int detectZeroes; /* virDomainDiskDetectZeroes (<driver detect_zeroes=...>) */
    int ioeventfd;    /* virDomainTristate switch (<driver ioeventfd='on|off'>): virtio */
    int eventIdx;     /* virDomainTristate switch (<driver event_idx='on|off'>): virtio */
    unsigned int iothread; /* <driver iothread=...>: an IOThread's id; 0: none */
    char *src;             /* <source file=...>; NULL for an empty cdrom. type volume:
                       * NULL until the QEMU driver resolves the volume at
                       * start (the live copy only; never formatted) */
    char *srcPool;         /* type volume: <source pool=... volume=...> */
    char *srcVolume;
    /* type network: its source (never NULL then), and the <auth> of the
     * disk (authInSource: written inside <source>, else before it, as
     * given) */
    virDomainDiskNetSource *net;
    virStorageAuthDef *auth;
    bool authInSource;
    char *dst; /* <target dev=...>, e.g. "vda" */
    int bus;   /* virDomainDiskBus */
    bool readonly;
    virDomainBlockIoTuneInfo iotune; /* <iotune> */
    /* <serial>, <wwn>, <vendor>, <product> as written (NULL when absent or
     * empty, as libvirt reads them); <target rotation_rate> (0: none) */
    char *serial;
    char *wwn;
    char *vendor;
    char *product;
    unsigned int rotationRate;
    virDomainVirtioOptions virtio; /* <driver iommu ats packed page_per_vq> */
    virDomainDeviceAddress addr;   /* <address>; type NONE when absent */
    /* Live only (status file, live XML): the block job that mirrors this
     * disk, libvirt's <mirror job=... ready=...> after <source>: a copy
     * (mirrorSrc: its destination file) or an active commit (mirrorSrc:
     * the base it commits into; an inactive commit keeps its base here
     * too, never formatted). mirrorJob is a virDomainBlockJobType
     * (0: no mirror), mirrorReady a virDomainDiskMirrorState. */
    int mirrorJob;
    char *mirrorSrc;
    int mirrorFormat; /* virStorageFormat */
    int mirrorReady;
    int mirrorType; /* virDomainDiskType of mirrorSrc: FILE or BLOCK */
} virDomainDiskDef;

/* <mirror ready=...>: absent while the job copies, 'yes' once the copy
 * is in step, 'abort' / 'pivot' while such a request is in progress. */
typedef enum {
    VIR_DOMAIN_DISK_MIRROR_STATE_NONE = 0,
    VIR_DOMAIN_DISK_MIRROR_STATE_READY,
    VIR_DOMAIN_DISK_MIRROR_STATE_ABORT,
    VIR_DOMAIN_DISK_MIRROR_STATE_PIVOT,
    VIR_DOMAIN_DISK_MIRROR_STATE_LAST
} virDomainDiskMirrorState;

typedef enum {
    VIR_DOMAIN_NET_TYPE_USER = 0,
    VIR_DOMAIN_NET_TYPE_NETWORK,
    VIR_DOMAIN_NET_TYPE_BRIDGE,   /* a tap on an existing host bridge */
    VIR_DOMAIN_NET_TYPE_ETHERNET, /* a tap (given or created), plugged nowhere */
    VIR_DOMAIN_NET_TYPE_LAST
} virDomainNetType;

/* <interface type='user'>: <backend type=...> (libvirt's virDomainNetBackendType) */
typedef enum {
    VIR_DOMAIN_NET_BACKEND_DEFAULT = 0, /* QEMU's own user networking (slirp) */
    VIR_DOMAIN_NET_BACKEND_PASST,       /* the passt daemon */
    VIR_DOMAIN_NET_BACKEND_LAST
} virDomainNetBackendType;

/* <ip address=... family=... prefix=...> of a user interface (its guest side) */
typedef struct {
    char *address;       /* as given, checked against its family */
    bool ipv6;           /* the address's family */
    unsigned int prefix; /* 0: not given */
} virDomainNetIPAddr;

/* <portForward proto address dev> and its <range start end to exclude>s
 * (passt). A port of 0 means "not given" (start is mandatory). */
typedef struct {
    unsigned int start;
    unsigned int end;
    unsigned int to;
    int exclude; /* 0 not given, 1 yes, 2 no */
} virDomainNetPortForwardRange;

typedef struct {
    bool udp;      /* proto='udp' (else 'tcp') */
    char *address; /* may be NULL */
    char *dev;     /* may be NULL */
    virDomainNetPortForwardRange *ranges;
    size_t nranges;
} virDomainNetPortForward;

/* <features><hyperv>'s enlightenments: libvirt 9.0's virDomainHyperv,
 * its names and order (also the formatting order) */
typedef enum {
    VIR_DOMAIN_HYPERV_RELAXED = 0,
    VIR_DOMAIN_HYPERV_VAPIC,
    VIR_DOMAIN_HYPERV_SPINLOCKS,
    VIR_DOMAIN_HYPERV_VPINDEX,
    VIR_DOMAIN_HYPERV_RUNTIME,
    VIR_DOMAIN_HYPERV_SYNIC,
    VIR_DOMAIN_HYPERV_STIMER,
    VIR_DOMAIN_HYPERV_RESET,
    VIR_DOMAIN_HYPERV_VENDOR_ID,
    VIR_DOMAIN_HYPERV_FREQUENCIES,
    VIR_DOMAIN_HYPERV_REENLIGHTENMENT,
    VIR_DOMAIN_HYPERV_TLBFLUSH,
    VIR_DOMAIN_HYPERV_IPI,
    VIR_DOMAIN_HYPERV_EVMCS,
    VIR_DOMAIN_HYPERV_AVIC,
    VIR_DOMAIN_HYPERV_LAST
} virDomainHyperv;

extern const char *const virDomainHypervNames[VIR_DOMAIN_HYPERV_LAST];

/* <hyperv mode=...>: libvirt's virDomainHyperVMode */
typedef enum {
    VIR_DOMAIN_HYPERV_MODE_NONE = 0, /* no <hyperv> */
    VIR_DOMAIN_HYPERV_MODE_CUSTOM,
    VIR_DOMAIN_HYPERV_MODE_PASSTHROUGH,
    VIR_DOMAIN_HYPERV_MODE_LAST
} virDomainHyperVMode;

/* <interface><driver>'s offloads: <host ...> and <guest ...> (libvirt's
 * names in this order, which is also its formatting order) */
typedef enum {
    VIR_DOMAIN_NET_HOST_CSUM = 0,
    VIR_DOMAIN_NET_HOST_GSO,
    VIR_DOMAIN_NET_HOST_TSO4,
    VIR_DOMAIN_NET_HOST_TSO6,
    VIR_DOMAIN_NET_HOST_ECN,
    VIR_DOMAIN_NET_HOST_UFO,
    VIR_DOMAIN_NET_HOST_MRG_RXBUF,
    VIR_DOMAIN_NET_HOST_LAST
} virDomainNetHostOffload;

typedef enum {
    VIR_DOMAIN_NET_GUEST_CSUM = 0,
    VIR_DOMAIN_NET_GUEST_TSO4,
    VIR_DOMAIN_NET_GUEST_TSO6,
    VIR_DOMAIN_NET_GUEST_ECN,
    VIR_DOMAIN_NET_GUEST_UFO,
    VIR_DOMAIN_NET_GUEST_LAST
} virDomainNetGuestOffload;

extern const char *const virDomainNetHostOffloadNames[VIR_DOMAIN_NET_HOST_LAST];
extern const char *const virDomainNetGuestOffloadNames[VIR_DOMAIN_NET_GUEST_LAST];

/* <interface><driver> of a virtio model (libvirt 9.0 reads it for no other
 * model: there it is dropped). Plain values, 0 when not given. */
typedef struct {
    int name;      /* 1 'qemu', 2 'vhost' (libvirt's virDomainNetDriverType) */
    int txmode;    /* 1 'iothread', 2 'timer' */
    int ioeventfd; /* virDomainTristateSwitch, as the next ones */
    int eventIdx;
    unsigned int queues; /* 0: one queue pair (queues='1' is kept as 0, as libvirt) */
    unsigned int rxQueueSize;
    unsigned int txQueueSize;
    int rss;
    int rssHashReport;
    int host[VIR_DOMAIN_NET_HOST_LAST];
    int guest[VIR_DOMAIN_NET_GUEST_LAST];
} virDomainNetDriver;

typedef struct {
    int type; /* virDomainNetType */
    unsigned char mac[6];
    bool macSet;    /* false: none given (the driver generates one) */
    char *network;  /* <source network=...> for type network */
    char *bridge;   /* <source bridge=...> for type bridge */
    int managedTap; /* <target managed=...>: 0 absent, 1 yes, 2 no */
    /* Runtime only, never formatted: the tap QEMU gets as descriptors, one
     * per queue (set by the QEMU driver just before it starts QEMU or
     * plugs the interface in; NULL/0 otherwise, and in a copy) */
    int *tapfds;
    size_t ntapfds;
    char *model;                   /* <model type=...>, e.g. "virtio"; may be NULL */
    char *ifname;                  /* <target dev=...>; may be NULL */
    virDomainVirtioOptions virtio; /* <driver iommu ats packed page_per_vq> */
    virDomainDeviceAddress addr;   /* <address>; type NONE when absent */
    /* type network, live: the network port the QEMU driver made for this
     * interface (<source portid=...>, formatted unless INACTIVE) */
    bool hasPortid;
    unsigned char portid[16];
    /* <link state=...>: 0 not given, 1 up, 2 down (QEMU's set_link) */
    int linkState;
    /* live only: the device id QEMU knows it by (<alias name=...>: "net0";
     * the netdev is "host" + alias), set by the QEMU driver at start or
     * hotplug, kept in the status file; NULL otherwise */
    char *alias;
    /* <filterref filter=...> and its <parameter>s (kept for network,
     * bridge and ethernet interfaces, dropped for others, as libvirt);
     * virtkit applies no filter: the QEMU driver refuses to start a guest
     * with one. NULL when absent. */
    char *filterref;
    virNWFilterParams *filterparams;
    /* type user (domain_net_conf.c): <backend type logFile>, passt's
     * <source dev>, the guest side's <ip>s and passt's <portForward>s */
    int backendType; /* virDomainNetBackendType */
    char *backendLogFile;
    char *sourceDev;
    virDomainNetIPAddr *ips;
    size_t nips;
    virDomainNetPortForward *portForwards;
    size_t nportForwards;
    /* runtime only, never formatted: passt's socket for this run (set by
     * the QEMU driver at start, hotplug and reconnect) */
    char *passtSocket;
    /* <bandwidth> (netdev_bandwidth_conf.h); NULL when it sets nothing */
    virNetDevBandwidth *bandwidth;
    /* <driver> (domain_net_conf.c); all 0 when absent or not virtio */
    virDomainNetDriver driver;
} virDomainNetDef;

typedef enum {
    VIR_DOMAIN_CHR_DEVICE_SERIAL = 0,
    VIR_DOMAIN_CHR_DEVICE_CONSOLE,
    VIR_DOMAIN_CHR_DEVICE_LAST
} virDomainChrDeviceType;

typedef enum {
    VIR_DOMAIN_CHR_TYPE_NULL = 0,
    VIR_DOMAIN_CHR_TYPE_PTY,
    VIR_DOMAIN_CHR_TYPE_FILE,
    VIR_DOMAIN_CHR_TYPE_LAST
} virDomainChrType;

typedef enum {
    VIR_DOMAIN_CHR_TARGET_NONE = 0,   /* not given */
    VIR_DOMAIN_CHR_TARGET_ISA_SERIAL, /* serial: "isa-serial" */
    VIR_DOMAIN_CHR_TARGET_SERIAL,     /* console: "serial" */
    VIR_DOMAIN_CHR_TARGET_VIRTIO,     /* console: "virtio" */
    VIR_DOMAIN_CHR_TARGET_LAST
} virDomainChrTargetType;

typedef struct {
    int deviceType;    /* virDomainChrDeviceType */
    int type;          /* virDomainChrType */
    char *path;        /* file: <source path>; pty: the pty (live only) */
    int targetType;    /* virDomainChrTargetType */
    int targetPort;    /* -1 when not given */
    char *targetModel; /* <model name=...> under the target; may be NULL */
    /* live only: the QEMU driver's device id (<alias name='serial0'/>,
     * 'console1'; the chardev is "char" + alias), set at start (serialI,
     * consoleI by position, as libvirt; the live XML shows a serial
     * console with its serial's) and for a device plugged in while the
     * guest runs, kept in the status file; NULL: the id follows the
     * position */
    char *alias;
} virDomainChrDef;

/* <filesystem>: libvirt 9.0's virDomainFSType and friends, its numbers */
typedef enum {
    VIR_DOMAIN_FS_TYPE_MOUNT = 0,
    VIR_DOMAIN_FS_TYPE_BLOCK,
    VIR_DOMAIN_FS_TYPE_FILE,
    VIR_DOMAIN_FS_TYPE_TEMPLATE,
    VIR_DOMAIN_FS_TYPE_RAM,
    VIR_DOMAIN_FS_TYPE_BIND,
    VIR_DOMAIN_FS_TYPE_VOLUME, /* refused by the parser (not carried) */
    VIR_DOMAIN_FS_TYPE_LAST
} virDomainFSType;

typedef enum {
    VIR_DOMAIN_FS_DRIVER_DEFAULT = 0,
    VIR_DOMAIN_FS_DRIVER_PATH,
    VIR_DOMAIN_FS_DRIVER_HANDLE,
    VIR_DOMAIN_FS_DRIVER_LOOP,
    VIR_DOMAIN_FS_DRIVER_NBD,
    VIR_DOMAIN_FS_DRIVER_PLOOP,
    VIR_DOMAIN_FS_DRIVER_VIRTIOFS,
    VIR_DOMAIN_FS_DRIVER_LAST
} virDomainFSDriverType;

typedef enum {
    VIR_DOMAIN_FS_ACCESS_DEFAULT = 0,
    VIR_DOMAIN_FS_ACCESS_PASSTHROUGH,
    VIR_DOMAIN_FS_ACCESS_MAPPED,
    VIR_DOMAIN_FS_ACCESS_SQUASH,
    VIR_DOMAIN_FS_ACCESS_LAST
} virDomainFSAccessMode;

typedef enum {
    VIR_DOMAIN_FS_WRPOLICY_DEFAULT = 0,
    VIR_DOMAIN_FS_WRPOLICY_IMMEDIATE,
    VIR_DOMAIN_FS_WRPOLICY_LAST
} virDomainFSWrpolicy;

typedef enum {
    VIR_DOMAIN_FS_MODEL_DEFAULT = 0,
    VIR_DOMAIN_FS_MODEL_VIRTIO,
    VIR_DOMAIN_FS_MODEL_VIRTIO_TRANSITIONAL,
    VIR_DOMAIN_FS_MODEL_VIRTIO_NON_TRANSITIONAL,
    VIR_DOMAIN_FS_MODEL_LAST
} virDomainFSModel;

typedef enum {
    VIR_DOMAIN_FS_MULTIDEVS_DEFAULT = 0,
    VIR_DOMAIN_FS_MULTIDEVS_REMAP,
    VIR_DOMAIN_FS_MULTIDEVS_FORBID,
    VIR_DOMAIN_FS_MULTIDEVS_WARN,
    VIR_DOMAIN_FS_MULTIDEVS_LAST
} virDomainFSMultidevs;

typedef enum {
    VIR_DOMAIN_FS_CACHE_DEFAULT = 0,
    VIR_DOMAIN_FS_CACHE_NONE,
    VIR_DOMAIN_FS_CACHE_ALWAYS,
    VIR_DOMAIN_FS_CACHE_LAST
} virDomainFSCacheMode;

typedef enum {
    VIR_DOMAIN_FS_SANDBOX_DEFAULT = 0,
    VIR_DOMAIN_FS_SANDBOX_NAMESPACE,
    VIR_DOMAIN_FS_SANDBOX_CHROOT,
    VIR_DOMAIN_FS_SANDBOX_LAST
} virDomainFSSandboxMode;

/* <filesystem type accessmode model multidevs fmode dmode> with <driver>,
 * virtiofs's <binary>, <source>, <target dir>, <readonly/>, <address> and
 * the space limits (domain_fs_conf.c). */
typedef struct {
    int type;           /* virDomainFSType */
    int fsdriver;       /* virDomainFSDriverType (<driver type>) */
    int accessmode;     /* virDomainFSAccessMode (passthrough filled in) */
    int wrpolicy;       /* virDomainFSWrpolicy */
    int model;          /* virDomainFSModel */
    int multidevs;      /* virDomainFSMultidevs */
    unsigned int fmode; /* 0: absent */
    unsigned int dmode;
    char *format;                 /* <driver format>; NULL if absent */
    unsigned long long queueSize; /* virtiofs <driver queue>; 0: absent */
    char *src;                    /* <source dir|file|dev|name> */
    char *sock;                   /* <source socket>: an external virtiofsd */
    unsigned long long usage;     /* ram: bytes */
    char *dst;                    /* <target dir>: 9p's mount tag */
    bool readonly;
    char *binary;                      /* virtiofs <binary path> */
    int xattr;                         /* virDomainTristate, <binary xattr> */
    int posixLock;                     /* <binary><lock posix> */
    int flock;                         /* <binary><lock flock> */
    int cache;                         /* virDomainFSCacheMode */
    int sandbox;                       /* virDomainFSSandboxMode */
    int threadPoolSize;                /* <binary><thread_pool size>; -1: absent */
    unsigned long long spaceHardLimit; /* bytes; 0: absent */
    unsigned long long spaceSoftLimit;
    virDomainVirtioOptions virtio; /* <driver iommu ats packed page_per_vq> */
    virDomainDeviceAddress addr;
    /* live only: the QEMU driver's device id (<alias name='fs0'/>), kept
     * in the status file */
    char *alias;
} virDomainFSDef;

const char *virDomainFSTypeToString(int type);
const char *virDomainFSDriverToString(int driver);
void virDomainFSDefFree(virDomainFSDef *fs);
virDomainFSDef *virDomainFSDefCopy(const virDomainFSDef *fs);

typedef enum {
    VIR_DOMAIN_MEMBALLOON_MODEL_VIRTIO = 0,
    VIR_DOMAIN_MEMBALLOON_MODEL_NONE,
    VIR_DOMAIN_MEMBALLOON_MODEL_LAST
} virDomainMemballoonModel;

typedef struct {
    int model;                     /* virDomainMemballoonModel */
    virDomainVirtioOptions virtio; /* <driver iommu ats packed page_per_vq> */
    virDomainDeviceAddress addr;   /* <address>; type NONE when absent */
} virDomainMemballoonDef;

typedef enum {
    VIR_DOMAIN_CONTROLLER_TYPE_IDE = 0,
    VIR_DOMAIN_CONTROLLER_TYPE_FDC,
    VIR_DOMAIN_CONTROLLER_TYPE_SCSI,
    VIR_DOMAIN_CONTROLLER_TYPE_SATA,
    VIR_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL,
    VIR_DOMAIN_CONTROLLER_TYPE_CCID,
    VIR_DOMAIN_CONTROLLER_TYPE_USB,
    VIR_DOMAIN_CONTROLLER_TYPE_PCI,
    VIR_DOMAIN_CONTROLLER_TYPE_XENBUS,
    VIR_DOMAIN_CONTROLLER_TYPE_ISA,
    VIR_DOMAIN_CONTROLLER_TYPE_LAST
} virDomainControllerType;

/* <controller type index model ports>, <model name>, <target chassis port>,
 * <address> (libvirt's names; which models a driver runs is its to say). */
typedef struct {
    int type;              /* virDomainControllerType */
    int idx;               /* index; assigned in document order when absent */
    char *model;           /* model=...; NULL if absent */
    int ports;             /* ports=...; -1 if absent */
    char *modelName;       /* <model name=...> (pci controllers, one of
                            * libvirt's names); NULL if absent or 'none' */
    int targetChassis;     /* <target chassis=...>; -1 if absent */
    int targetPort;        /* <target port=...>; -1 if absent */
    int targetChassisNr;   /* pci-bridge: <target chassisNr=...>; -1 if absent */
    int targetBusNr;       /* pci[e]-expander-bus: <target busNr=...>; -1 if absent */
    int targetIndex;       /* <target index=...> (pSeries PHBs); -1 if absent */
    int targetHotplug;     /* <target hotplug=...>: virDomainTristate switch */
    int targetNode;        /* pci[e]-expander-bus: <target><node>; -1 if absent */
    int masterStartport;   /* usb companions: <master startport=...>; -1 if absent */
    unsigned int iothread; /* virtio-scsi: <driver iothread=...>; 0: none */
    /* virtio-scsi: <driver queues cmd_per_lun max_sectors ioeventfd>
     * (0: absent; ioeventfd a virDomainTristate switch) */
    unsigned int queues;
    unsigned int cmdPerLun;
    unsigned int maxSectors;
    int ioeventfd;
    bool implicit; /* added by the parser for a device (never formatted): a
                          * driver's own defaults go before it, as in libvirt */
    virDomainVirtioOptions virtio; /* <driver iommu ats packed page_per_vq> */
    virDomainDeviceAddress addr;
} virDomainControllerDef;

/* true for a SCSI controller of model virtio-scsi, virtio-transitional or
 * virtio-non-transitional */
bool virDomainControllerIsVirtioSCSI(const virDomainControllerDef *c);

/* <channel>: a unix (or pty) host side and a virtio-serial port. */
typedef struct {
    bool unixSocket;    /* type='unix' (else 'pty', or 'spicevmc' when spicevmc) */
    bool spicevmc;      /* type='spicevmc': SPICE's agent channel (no source) */
    char *path;         /* unix: <source path>; NULL: generated per run */
    bool connect;       /* unix: <source mode='connect'> (else bind) */
    bool pathGenerated; /* the path is the driver's (live data) */
    char *targetName;   /* <target type='virtio' name=...> */
    int vsController;   /* <address type='virtio-serial' controller bus port>; */
    int vsBus;          /*   -1 each when absent */
    int vsPort;
    /* live only: the QEMU driver's device id (<alias name='channel0'/>; the
     * chardev is "char" + alias), kept in the status file; NULL if none */
    char *alias;
} virDomainChannelDef;

/* <rng model='virtio'><backend model='random'>PATH</backend></rng> */
typedef struct {
    char *model;                   /* "virtio" (or its transitional variants) */
    char *backend;                 /* the random device; NULL: QEMU's default */
    virDomainVirtioOptions virtio; /* <driver iommu ats packed page_per_vq> */
    virDomainDeviceAddress addr;
    /* live only: the QEMU driver's device id (<alias name='rng0'/>; the
     * backend object is "obj" + alias), kept in the status file */
    char *alias;
} virDomainRNGDef;

typedef enum {
    VIR_DOMAIN_INPUT_TYPE_MOUSE = 0,
    VIR_DOMAIN_INPUT_TYPE_TABLET,
    VIR_DOMAIN_INPUT_TYPE_KBD, /* "keyboard" */
    VIR_DOMAIN_INPUT_TYPE_LAST
} virDomainInputType;

typedef enum {
    VIR_DOMAIN_INPUT_BUS_PS2 = 0,
    VIR_DOMAIN_INPUT_BUS_USB,
    VIR_DOMAIN_INPUT_BUS_VIRTIO,
    VIR_DOMAIN_INPUT_BUS_LAST
} virDomainInputBus;

/* <input type bus/> */
typedef struct {
    int type; /* virDomainInputType */
    int bus;  /* virDomainInputBus (libvirt's default: usb for a tablet, else ps2) */
    virDomainVirtioOptions virtio; /* <driver iommu ats packed page_per_vq> */
    virDomainDeviceAddress addr;   /* virtio: PCI; usb: usb; NONE when absent */
    /* live only: the QEMU driver's device id (<alias name='input0'/>), kept
     * in the status file; "" when none (a fixed array: inputs are copied
     * by value) */
    char alias[16];
} virDomainInputDef;

typedef enum {
    VIR_DOMAIN_GRAPHICS_TYPE_VNC = 0,
    VIR_DOMAIN_GRAPHICS_TYPE_SPICE,
    VIR_DOMAIN_GRAPHICS_TYPE_EGL_HEADLESS, /* no listen, port or password */
    VIR_DOMAIN_GRAPHICS_TYPE_LAST
} virDomainGraphicsType;

typedef enum {
    VIR_DOMAIN_GRAPHICS_LISTEN_ADDRESS = 0,
    VIR_DOMAIN_GRAPHICS_LISTEN_NONE,
    VIR_DOMAIN_GRAPHICS_LISTEN_SOCKET,
    VIR_DOMAIN_GRAPHICS_LISTEN_NETWORK,
    VIR_DOMAIN_GRAPHICS_LISTEN_LAST
} virDomainGraphicsListenType;

/* SPICE's option children, each an index into its libvirt name table
 * (virDomainGraphicsSpice*Names), 0 when absent. */
typedef enum {
    VIR_DOMAIN_SPICE_IMAGE =
        0,                     /* <image compression>: auto_glz glz auto_lz quic lz off */
    VIR_DOMAIN_SPICE_JPEG,     /* <jpeg compression>: auto never always */
    VIR_DOMAIN_SPICE_ZLIB,     /* <zlib compression>: auto never always */
    VIR_DOMAIN_SPICE_PLAYBACK, /* <playback compression>: on off */
    VIR_DOMAIN_SPICE_STREAMING,    /* <streaming mode>: filter all off */
    VIR_DOMAIN_SPICE_MOUSE,        /* <mouse mode>: server client */
    VIR_DOMAIN_SPICE_CLIPBOARD,    /* <clipboard copypaste>: yes no */
    VIR_DOMAIN_SPICE_FILETRANSFER, /* <filetransfer enable>: yes no */
    VIR_DOMAIN_SPICE_GL,           /* <gl enable>: yes no (yes is refused) */
    VIR_DOMAIN_SPICE_OPTION_LAST
} virDomainGraphicsSpiceOption;

/* libvirt's value names of SPICE option @opt (NULL-terminated, index 0 is
 * "absent" and never matches); the XML element and attribute it lives in. */
const char *const *virDomainGraphicsSpiceOptionValues(int opt, const char **element,
                                                      const char **attr);

/* <graphics type='vnc|spice' port autoport websocket listen keymap
 * sharePolicy passwd passwdValidTo connected tlsPort defaultMode socket>
 * with its first <listen type='address|none|socket|network'> */
typedef struct {
    int type;                /* virDomainGraphicsType */
    int port;                /* -1: chosen at start (autoport); spice: 0 none */
    bool autoport;           /* autoport='yes' (also when port is -1) */
    int listenType;          /* virDomainGraphicsListenType */
    char *listen;            /* the listen address; NULL: the driver's default
                              * (network: the network's, filled at start) */
    char *socket;            /* listen type socket: its path (NULL: made at start) */
    bool socketGenerated;    /* live: the path was made at start */
    char *network;           /* listen type network: the network's name */
    int websocket;           /* 0: none; -1: chosen at start */
    bool websocketGenerated; /* websocket='-1' given: an inactive def keeps -1 */
    char *keymap;
    char *sharePolicy;   /* allow-exclusive, force-shared, ignore */
    char *passwd;        /* formatted only with VIR_DOMAIN_DEF_FORMAT_SECURE */
    char *passwdValidTo; /* "YYYY-MM-DDTHH:MM:SS" (UTC), as given */
    char *connected;     /* keep, disconnect, fail */
    /* spice only */
    int tlsPort;                             /* 0: none; -1: chosen at start */
    char *defaultMode;                       /* secure, insecure; NULL: any */
    int spice[VIR_DOMAIN_SPICE_OPTION_LAST]; /* virDomainGraphicsSpiceOption values */
    /* vnc only: <audio id=.../>, the backend its clients hear; 0: the first */
    int audioId;
    /* egl-headless only: <gl rendernode=...>; NULL: the QEMU driver picks
     * the host's first /dev/dri/renderD* at start (live data then) */
    char *rendernode;
} virDomainGraphicsDef;

const char *virDomainGraphicsTypeToString(int type);

void virDomainGraphicsDefFree(virDomainGraphicsDef *g);
virDomainGraphicsDef *virDomainGraphicsDefCopy(const virDomainGraphicsDef *g);

/* <audio>'s <input> or <output> (domain_audio_conf.c): libvirt 9.0's
 * common attributes and <settings>, then the backend's own; 0 / NULL:
 * not given. <settings> is kept only with fixedSettings='yes'. */
typedef struct {
    int mixingEngine;          /* virDomainTristate (yes/no) */
    int fixedSettings;         /* virDomainTristate (yes/no) */
    unsigned int voices;       /* non-zero when given */
    unsigned int bufferLength; /* ms */
    unsigned int frequency;    /* <settings frequency channels format> */
    unsigned int channels;
    int format;               /* virDomainAudioFormat index; 0: none */
    char *dev;                /* alsa, oss */
    unsigned int bufferCount; /* coreaudio, oss, sdl */
    int tryPoll;              /* oss: virDomainTristate (yes/no) */
    char *serverName;         /* jack */
    char *clientName;         /* jack */
    char *connectPorts;       /* jack */
    int exactName;            /* jack: virDomainTristate (yes/no) */
    char *name;               /* pulseaudio */
    char *streamName;         /* pulseaudio */
    unsigned int latency;     /* pulseaudio */
} virDomainAudioIODef;

/* <audio id type timerPeriod ...> (libvirt 9.0's backends: none alsa
 * coreaudio jack oss pulseaudio sdl spice file dbus; the QEMU driver adds
 * id 1 of type 'none' for a VNC display when there is none). Copied by
 * value in arrays: virDomainAudioDefClear / virDomainAudioDefCopyTo. */
typedef struct {
    int id;                   /* 1.. */
    char *type;               /* one of libvirt's type names */
    unsigned int timerPeriod; /* 0: not given */
    virDomainAudioIODef input;
    virDomainAudioIODef output;
    int ossTryMMap;   /* oss: virDomainTristate (yes/no) */
    int ossExclusive; /* oss: virDomainTristate (yes/no) */
    bool ossDspPolicySet;
    int ossDspPolicy; /* >= 0 */
    char *serverName; /* pulseaudio */
    int sdlDriver;    /* sdl: index in esd alsa arts pulseaudio (1..); 0 none */
    char *path;       /* file */
} virDomainAudioDef;

void virDomainAudioDefClear(virDomainAudioDef *a);
/* A deep copy of @src into @dst (whose old content is not freed). */
void virDomainAudioDefCopyTo(virDomainAudioDef *dst, const virDomainAudioDef *src);
/* libvirt's names of <settings format>, <audio driver> (sdl); NULL out of range */
const char *virDomainAudioFormatToString(int format);
const char *virDomainAudioSDLDriverToString(int driver);

/* <sound model=...> with its <codec type=...>s and <audio id=.../>
 * (domain_spice_conf.c): libvirt's models; codecs only for ich6/ich9/ich7
 * (none given: QEMU's hda-duplex) */
typedef enum {
    VIR_DOMAIN_SOUND_CODEC_DUPLEX = 0,
    VIR_DOMAIN_SOUND_CODEC_MICRO,
    VIR_DOMAIN_SOUND_CODEC_OUTPUT,
    VIR_DOMAIN_SOUND_CODEC_LAST
} virDomainSoundCodecType;

typedef struct {
    char *model; /* "ich6", "ich9", "ac97", "es1370", "sb16", "usb", ... */
    int *codecs; /* virDomainSoundCodecType, in document order */
    size_t ncodecs;
    int audioId;                 /* <audio id=.../>: the backend; 0 when not given */
    virDomainDeviceAddress addr; /* pci, or usb for model 'usb' */
} virDomainSoundDef;

/* <redirdev bus='usb' type='spicevmc'/>: USB redirection over SPICE (the
 * only kind virtkit carries; others are refused by the parser) */
typedef struct {
    virDomainDeviceAddress addr; /* usb */
} virDomainRedirdevDef;

/* <hub type='usb'/>: a USB hub (QEMU's usb-hub, 8 ports); the QEMU driver
 * adds them, as libvirt does, when USB devices outnumber the ports */
typedef struct {
    virDomainDeviceAddress addr; /* usb */
} virDomainHubDef;

#define VIR_DOMAIN_USB_HUB_PORTS 8

/* <smartcard mode='passthrough' type='spicevmc'/>: a CCID card whose
 * reader is the SPICE client's (the only kind virtkit carries) */
typedef struct {
    virDomainDeviceAddress addr; /* ccid controller/slot */
} virDomainSmartcardDef;

/* <video><model type vram heads primary/></video> */
typedef struct {
    char *type;   /* "virtio", "vga", "cirrus", "bochs", "none", ... */
    int vram;     /* KiB; 0 when not applicable (libvirt's defaults filled in) */
    int ram;      /* qxl: KiB (a power of two), else 0 */
    int vram64;   /* qxl: KiB, 0 when not given */
    int vgamem;   /* qxl: KiB, else 0 */
    int heads;    /* 0: not given (only 'none' keeps it so) */
    bool primary; /* the first video device */
    virDomainVirtioOptions virtio; /* <driver iommu ats packed page_per_vq> */
    virDomainDeviceAddress addr;
} virDomainVideoDef;

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
        char *nvram;         /* <nvram>PATH</nvram> */
        char *nvramTemplate; /* <nvram template=...> */
        bool nvramTypeFile;  /* <nvram type='file'><source file=PATH/> (libvirt's
                              * new style; written back so) */
        int bootMenu;        /* <bootmenu enable=...>: virDomainTristate (bool) */
        unsigned int bootMenuTimeout; /* <bootmenu timeout=...> (ms), when ...Set */
        bool bootMenuTimeoutSet;
    } os;

    bool acpi;                   /* <features><acpi/> */
    bool apic;                   /* <features><apic/> */
    bool pae;                    /* <features><pae/> (no effect on QEMU's command line) */
    int vmport;                  /* <features><vmport state=.../>: virDomainTristate */
    int smm;                     /* <features><smm state=.../> (<smm/>: on) */
    unsigned long long tsegSize; /* <smm state='on'><tseg unit=...>: bytes, when... */
    bool tsegSpecified;          /* ... a size was given */
    int vmcoreinfo; /* <features><vmcoreinfo state=.../> (<vmcoreinfo/>: on) */
    int hyperv;     /* <features><hyperv mode=...>: virDomainHyperVMode */
    int hypervFeatures[VIR_DOMAIN_HYPERV_LAST]; /* each one's state: virDomainTristate */
    unsigned int hypervSpinlocks;               /* <spinlocks retries=...> (when on) */
    int hypervStimerDirect;                     /* <stimer><direct state=...> (when on) */
    char *hypervVendorId;                       /* <vendor_id value=...> (when on) */
    int clockOffset;                            /* virDomainClockOffsetType */
    virDomainTimerDef *timers;                  /* <clock><timer>, in document order */
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
    virDomainPanicDef **panics;     /* formatted after the rngs */
    size_t npanics;
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
const char *virDomainInputBusToString(int bus);

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
