/* domain_conf_dev.h: the device definitions of a domain (disks, interfaces, serial and console devices, filesystems, controllers, input, graphics, audio, sound, video), with their enums and helpers; domain_conf.h includes it */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <libvirt/libvirt.h>

#include "virnetdevbandwidth.h"
#include "nwfilter_params.h"
#include "storage_file_format.h"
#include "storage_encryption_conf.h"

/*
 * Field owners as in domain_conf.h: src/conf parses and formats every
 * field, drivers read them and fill in their defaults. Strings are owned
 * by the definition (g_free).
 */

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

/* libvirt's <rom enabled bar file> of a PCI device (interface, hostdev):
 * enabled and bar are virDomainTristate (yes/no, on/off; 0 absent), file
 * may be "" (libvirt keeps <rom file=''/>, QEMU's romfile= with no ROM).
 * Held by value; all zero/NULL when the device has no <rom>. */
typedef struct {
    int enabled;
    int bar;
    char *file;
} virDomainDeviceRom;

/* libvirt's per-device <boot order='N' loadparm='...'/> (disks, interfaces,
 * hostdevs, redirdevs, virtiofs filesystems): order 0 when absent;
 * loadparm in upper case as libvirt keeps it (an s390 machine's boot
 * selector, nothing for x86), NULL when absent. Held by value. */
typedef struct {
    unsigned int order;
    char *loadparm;
} virDomainDeviceBoot;

/* true when @rom holds something (libvirt's "ROM tuning") */
bool virDomainDeviceRomIsSet(const virDomainDeviceRom *rom);

/* true when @v names any option */
bool virDomainVirtioOptionsIsSet(const virDomainVirtioOptions *v);

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

/* <driver error_policy rerror_policy>: what QEMU does on an I/O error */
typedef enum {
    VIR_DOMAIN_DISK_ERROR_POLICY_DEFAULT = 0,
    VIR_DOMAIN_DISK_ERROR_POLICY_STOP,
    VIR_DOMAIN_DISK_ERROR_POLICY_REPORT,
    VIR_DOMAIN_DISK_ERROR_POLICY_IGNORE,
    VIR_DOMAIN_DISK_ERROR_POLICY_ENOSPACE, /* writes only */
    VIR_DOMAIN_DISK_ERROR_POLICY_LAST
} virDomainDiskErrorPolicy;

/* <geometry trans>: the BIOS translation of an IDE disk's geometry */
typedef enum {
    VIR_DOMAIN_DISK_TRANS_DEFAULT = 0,
    VIR_DOMAIN_DISK_TRANS_NONE,
    VIR_DOMAIN_DISK_TRANS_AUTO,
    VIR_DOMAIN_DISK_TRANS_LBA,
    VIR_DOMAIN_DISK_TRANS_LAST
} virDomainDiskGeometryTrans;

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

/* One layer of a disk's backing chain: libvirt's <backingStore type=...
 * index=...> with its <format type=...> and <source> (a virStorageSource
 * below the disk's own). A user-given chain is kept in the definition and
 * formatted back; the QEMU driver opens each layer as its own -blockdev
 * node. At start the live copy gets the chain QEMU opens (the given one,
 * then what the images' headers name below it: detected, never written to
 * an inactive definition) with each layer's node index, as libvirt writes
 * it in the live XML. */
typedef struct _virDomainDiskBackingDef virDomainDiskBackingDef;
struct _virDomainDiskBackingDef {
    bool terminator; /* <backingStore/>: nothing below (the rest unused) */
    int type;        /* virDomainDiskType: FILE, BLOCK or NETWORK */
    int format;      /* virStorageFileFormat (libvirt's list, > 0) */
    char *path;      /* <source file=...> or <source dev=...> */
    /* type network: its source and the <auth> inside it (NULL otherwise) */
    virDomainDiskNetSource *net;
    virStorageAuthDef *auth;
    unsigned int index;               /* index='N' (live only; 0: none) */
    bool detected;                    /* read from the image at start, not given */
    virDomainDiskBackingDef *backing; /* the layer below; NULL: not given */
};

/* libvirt's virStorageFileFormat names, "none" first */

extern const char *const virStorageFileFormatNames[VIR_STORAGE_FILE_LAST];

void virDomainDiskBackingDefFree(virDomainDiskBackingDef *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainDiskBackingDef, virDomainDiskBackingDefFree);
virDomainDiskBackingDef *virDomainDiskBackingDefCopy(const virDomainDiskBackingDef *b);

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
    /* <encryption> of the image (NULL: none): inside <source>, or a child
     * of <disk> itself with encryptionInDisk (libvirt's older placement,
     * written back where it was given) */
    virStorageEncryption *encryption;
    bool encryptionInDisk;
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
    int removable;   /* virDomainTristate switch (<target removable>): USB disks only */
    int errorPolicy; /* virDomainDiskErrorPolicy (<driver error_policy>) */
    int rerrorPolicy; /* virDomainDiskErrorPolicy (<driver rerror_policy>): never ENOSPACE */
    unsigned int queues;    /* <driver queues>: virtio-blk's num-queues (0: none) */
    unsigned int queueSize; /* <driver queue_size>: virtio-blk's queue-size (0: none) */
    /* <geometry cyls heads secs trans>: kept only with all three counts
     * (libvirt formats it then only); trans a virDomainDiskGeometryTrans */
    unsigned int geomCyls;
    unsigned int geomHeads;
    unsigned int geomSecs;
    int geomTrans;
    /* <blockio logical_block_size physical_block_size> (0: not given) */
    unsigned int logicalBlockSize;
    unsigned int physicalBlockSize;
    bool shareable; /* <shareable/>: QEMU's share-rw */
    /* <driver><metadata_cache><max_size>: qcow2's cache-size in bytes
     * (0: not given) */
    unsigned long long metadataCacheMaxSize;
    virDomainVirtioOptions virtio; /* <driver iommu ats packed page_per_vq> */
    /* <backingStore>: NULL when not given (the chain is read from the
     * images at start); its layers below. srcIndex: the live index='N' of
     * <source> (the node QEMU opened it as; 0: none) */
    virDomainDiskBackingDef *backing;
    unsigned int srcIndex;
    virDomainDeviceAddress addr; /* <address>; type NONE when absent */
    virDomainDeviceBoot boot;    /* <boot order loadparm> */
    /* never formatted: the bootindex QEMU gets (as libvirt's
     * effectiveBootIndex): the parser sets it to boot.order, the QEMU
     * driver's qemuDomainPrepareBootOrder from <os><boot> at start */
    unsigned int effectiveBootIndex;
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
    VIR_DOMAIN_NET_TYPE_VDPA,     /* a vhost-vdpa device (<source dev>) */
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

/* <features><kvm>'s children: libvirt 9.0's virDomainKVM, its names and
 * order (also the formatting order) */
typedef enum {
    VIR_DOMAIN_KVM_HIDDEN = 0,
    VIR_DOMAIN_KVM_DEDICATED,
    VIR_DOMAIN_KVM_POLLCONTROL,
    VIR_DOMAIN_KVM_PVIPI,
    VIR_DOMAIN_KVM_DIRTY_RING,
    VIR_DOMAIN_KVM_LAST
} virDomainKVMFeature;

extern const char *const virDomainKVMFeatureNames[VIR_DOMAIN_KVM_LAST];

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
    /* <source dev>: passt's host interface, or a vdpa interface's
     * vhost-vdpa character device (required there) */
    /* <backend tap vhost> (any type; sanitized paths): the tun device the
     * driver opens a tap on instead of /dev/net/tun, and the vhost-net
     * device (kept for virtio models only, as libvirt; opened for KVM
     * guests only, so never here); NULL when not given */
    char *backendTap;
    char *backendVhost;
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
    /* <rom enabled bar file> */
    virDomainDeviceRom rom;
    virDomainDeviceBoot boot; /* <boot order loadparm> */
    /* never formatted: the bootindex QEMU gets (as libvirt's
     * effectiveBootIndex): the parser sets it to boot.order, the QEMU
     * driver's qemuDomainPrepareBootOrder from <os><boot> at start */
    unsigned int effectiveBootIndex;
    /* <mtu size>: the MTU of the tap the QEMU driver makes and virtio-net's
     * host_mtu; 0 when absent (size='0' too, as libvirt) */
    unsigned int mtu;
    /* <port isolated>: 0 absent, 1 yes, 2 no; 'yes' (types network and
     * bridge only) isolates the tap's bridge port (BR_ISOLATED) */
    int isolatedPort;
    /* <coalesce><rx><frames max>: the tap's rx-frames (ethtool's
     * coalescing; types network and bridge). hasCoalesce: the element was
     * given with a max (even 0); in a live definition the value the
     * kernel took. Formatted only when non-zero, as libvirt. */
    bool hasCoalesce;
    unsigned int coalesceRxFrames;
    /* <script path> and <downscript path> (NULL when absent or empty): kept
     * for every type, as libvirt; the QEMU driver runs them for type
     * ethernet only (the tap's name as argument: script once the tap is
     * up, downscript once it is gone) and refuses a script elsewhere */
    char *script;
    char *downscript;
    /* runtime only, never formatted nor copied: the QEMU driver made this
     * ethernet interface's tap in this daemon's life and owes it its
     * downscript */
    bool downscriptDue;
} virDomainNetDef;

typedef enum {
    VIR_DOMAIN_CHR_DEVICE_SERIAL = 0,
    VIR_DOMAIN_CHR_DEVICE_CONSOLE,
    VIR_DOMAIN_CHR_DEVICE_PARALLEL, /* <parallel>: no target type, a port */
    VIR_DOMAIN_CHR_DEVICE_LAST
} virDomainChrDeviceType;

typedef enum {
    VIR_DOMAIN_CHR_TYPE_NULL = 0,
    VIR_DOMAIN_CHR_TYPE_PTY,
    VIR_DOMAIN_CHR_TYPE_FILE,
    VIR_DOMAIN_CHR_TYPE_DEV, /* a host device: /dev/ttyS*, /dev/parport* */
    VIR_DOMAIN_CHR_TYPE_TCP,
    VIR_DOMAIN_CHR_TYPE_UDP,
    VIR_DOMAIN_CHR_TYPE_UNIX,
    VIR_DOMAIN_CHR_TYPE_LAST
} virDomainChrType;

/* <protocol type> of a tcp character device (libvirt's order) */
typedef enum {
    VIR_DOMAIN_CHR_TCP_PROTOCOL_RAW = 0,
    VIR_DOMAIN_CHR_TCP_PROTOCOL_TELNET,
    VIR_DOMAIN_CHR_TCP_PROTOCOL_TELNETS,
    VIR_DOMAIN_CHR_TCP_PROTOCOL_TLS,
    VIR_DOMAIN_CHR_TCP_PROTOCOL_LAST
} virDomainChrTcpProtocol;

typedef enum {
    VIR_DOMAIN_CHR_TARGET_NONE = 0,   /* not given */
    VIR_DOMAIN_CHR_TARGET_ISA_SERIAL, /* serial: "isa-serial" */
    VIR_DOMAIN_CHR_TARGET_SERIAL,     /* console: "serial" */
    VIR_DOMAIN_CHR_TARGET_VIRTIO,     /* console: "virtio" */
    VIR_DOMAIN_CHR_TARGET_LAST
} virDomainChrTargetType;

typedef struct {
    int deviceType; /* virDomainChrDeviceType */
    int type;       /* virDomainChrType */
    char *path;     /* file, dev, unix: <source path>; pty: the pty (live only) */
    /* tcp, unix: <source mode='bind'> (else connect, libvirt's default) */
    bool listen;
    /* tcp: <source host service>; udp: those of <source mode='connect'> */
    char *host;
    char *service;
    /* udp: <source mode='bind' host service> (libvirt reads one source of
     * each mode, the first) */
    char *bindHost;
    char *bindService;
    int protocol; /* tcp: virDomainChrTcpProtocol */
    /* tcp, unix: <source><reconnect enabled timeout>: 0 absent, 1 yes,
     * 2 no (libvirt's tristate) */
    int reconnect;
    unsigned int reconnectTimeout;
    /* file: <source append='on|off'> (virDomainTristate) */
    int append;
    /* <log file append>: QEMU copies what the device sends into logFile
     * (NULL: no log), appending or truncating it first (logAppend,
     * virDomainTristate) */
    char *logFile;
    int logAppend;
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
    virDomainDeviceBoot boot;      /* <boot order loadparm>: virtiofs only */
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
    int autodeflate;               /* autodeflate='on|off': virDomainTristate */
    int freePageReporting;         /* freePageReporting='on|off': virDomainTristate */
    int period;                    /* <stats period>: seconds, 0 when absent (libvirt
                                    * reads a negative one as 0) */
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
    /* pci-root / pcie-root: <pcihole64 unit='KiB'> (libvirt reads it
     * for the roots only), the size in KiB */
    bool pcihole64;
    unsigned long long pcihole64Size;
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
    bool unixSocket; /* type='unix' (else 'pty', 'spicevmc' or 'qemu-vdagent') */
    bool spicevmc;   /* type='spicevmc': SPICE's agent channel (no source) */
    /* type='qemu-vdagent': QEMU's own SPICE agent (no host side), its
     * <source><clipboard copypaste> (0 absent, 1 yes, 2 no) and <mouse
     * mode> (0 default, 1 server, 2 client), libvirt's numbers */
    bool vdagent;
    int vdagentClipboard;
    int vdagentMouse;
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

/* <rng model='virtio'><rate bytes period/><backend model='random'>PATH</backend></rng>
 * (or <backend model='builtin'/>) */
typedef struct {
    char *model;                   /* "virtio" (or its transitional variants) */
    bool builtin;                  /* <backend model='builtin'/>: QEMU's own source */
    char *backend;                 /* random: the random device; NULL when builtin */
    unsigned int rate;             /* <rate bytes>: 0 when absent */
    unsigned int period;           /* <rate period> (ms): 0 when absent */
    virDomainVirtioOptions virtio; /* <driver iommu ats packed page_per_vq> */
    virDomainDeviceAddress addr;
    /* live only: the QEMU driver's device id (<alias name='rng0'/>; the
     * backend object is "obj" + alias), kept in the status file */
    char *alias;
} virDomainRNGDef;

typedef enum {
    VIR_DOMAIN_INPUT_TYPE_MOUSE = 0,
    VIR_DOMAIN_INPUT_TYPE_TABLET,
    VIR_DOMAIN_INPUT_TYPE_KBD,         /* "keyboard" */
    VIR_DOMAIN_INPUT_TYPE_PASSTHROUGH, /* a host evdev given to a virtio-input-host */
    VIR_DOMAIN_INPUT_TYPE_EVDEV,       /* a host evdev QEMU reads (input-linux) */
    VIR_DOMAIN_INPUT_TYPE_LAST
} virDomainInputType;

typedef enum {
    VIR_DOMAIN_INPUT_BUS_PS2 = 0,
    VIR_DOMAIN_INPUT_BUS_USB,
    VIR_DOMAIN_INPUT_BUS_VIRTIO,
    VIR_DOMAIN_INPUT_BUS_NONE, /* evdev's: no bus='...' written */
    VIR_DOMAIN_INPUT_BUS_LAST
} virDomainInputBus;

typedef enum {
    VIR_DOMAIN_INPUT_MODEL_DEFAULT = 0,
    VIR_DOMAIN_INPUT_MODEL_VIRTIO,
    VIR_DOMAIN_INPUT_MODEL_VIRTIO_TRANSITIONAL,
    VIR_DOMAIN_INPUT_MODEL_VIRTIO_NON_TRANSITIONAL,
    VIR_DOMAIN_INPUT_MODEL_LAST
} virDomainInputModel;

typedef enum {
    VIR_DOMAIN_INPUT_GRAB_DEFAULT = 0,
    VIR_DOMAIN_INPUT_GRAB_ALL,
    VIR_DOMAIN_INPUT_GRAB_LAST
} virDomainInputGrab;

typedef enum {
    VIR_DOMAIN_INPUT_GRAB_TOGGLE_DEFAULT = 0,
    VIR_DOMAIN_INPUT_GRAB_TOGGLE_CTRL_CTRL,
    VIR_DOMAIN_INPUT_GRAB_TOGGLE_ALT_ALT,
    VIR_DOMAIN_INPUT_GRAB_TOGGLE_SHIFT_SHIFT,
    VIR_DOMAIN_INPUT_GRAB_TOGGLE_META_META,
    VIR_DOMAIN_INPUT_GRAB_TOGGLE_SCROLLLOCK,
    VIR_DOMAIN_INPUT_GRAB_TOGGLE_CTRL_SCROLLLOCK,
    VIR_DOMAIN_INPUT_GRAB_TOGGLE_LAST
} virDomainInputGrabToggle;

/* <input type bus model> with its <source evdev|dev grab grabToggle repeat>.
 * Held by value in def->inputs: a copy of an element must copy evdev
 * (virDomainInputDefCopyInto), dropping one must clear it
 * (virDomainInputDefClear). */
typedef struct {
    int type;  /* virDomainInputType */
    int bus;   /* virDomainInputBus (libvirt's default: usb for a tablet, virtio for
                * passthrough, none for evdev, else ps2) */
    int model; /* virDomainInputModel */
    /* passthrough: <source evdev>; evdev: <source dev> (owned, NULL when absent) */
    char *evdev;
    int grab;                      /* evdev: virDomainInputGrab */
    int grabToggle;                /* evdev: virDomainInputGrabToggle */
    int repeat;                    /* evdev: virDomainTristate */
    virDomainVirtioOptions virtio; /* <driver iommu ats packed page_per_vq> */
    virDomainDeviceAddress addr;   /* virtio: PCI; usb: usb; NONE when absent */
    /* live only: the QEMU driver's device id (<alias name='input0'/>), kept
     * in the status file; "" when none */
    char alias[16];
} virDomainInputDef;

/* Release what @in owns (its evdev path), leaving it zeroed; NULL is fine. */
void virDomainInputDefClear(virDomainInputDef *in);
/* Copy @src into @dst (uninitialized), evdev duplicated. */
void virDomainInputDefCopyInto(virDomainInputDef *dst, const virDomainInputDef *src);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(virDomainInputDef, virDomainInputDefClear);

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
    virDomainDeviceBoot boot;    /* <boot order loadparm> */
} virDomainRedirdevDef;

void virDomainRedirdevDefFree(virDomainRedirdevDef *r);

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

typedef enum {
    VIR_DOMAIN_VIDEO_BACKEND_DEFAULT = 0,
    VIR_DOMAIN_VIDEO_BACKEND_QEMU,      /* <driver name='qemu'/> */
    VIR_DOMAIN_VIDEO_BACKEND_VHOSTUSER, /* <driver name='vhostuser'/>: vhost-user-gpu */
    VIR_DOMAIN_VIDEO_BACKEND_LAST
} virDomainVideoBackend;

/* <video><driver name/><model type vram heads primary><acceleration/></model></video> */
typedef struct {
    char *type;       /* "virtio", "vga", "cirrus", "bochs", "none", ... */
    int backend;      /* virDomainVideoBackend */
    int accel3d;      /* <acceleration accel3d='yes|no'>: virDomainTristate */
    int accel2d;      /* <acceleration accel2d='yes|no'>: virDomainTristate */
    char *rendernode; /* <acceleration rendernode> (owned; vhostuser only) */
    int vram;         /* KiB; 0 when not applicable (libvirt's defaults filled in) */
    int ram;          /* qxl: KiB (a power of two), else 0 */
    int vram64;       /* qxl: KiB, 0 when not given */
    int vgamem;       /* qxl: KiB, else 0 */
    int heads;        /* 0: not given (only 'none' keeps it so) */
    bool primary;     /* the first video device */
    virDomainVirtioOptions virtio; /* <driver iommu ats packed page_per_vq> */
    virDomainDeviceAddress addr;
} virDomainVideoDef;

/* <hostdev> (domain_hostdev_conf.c): a host device given to the guest,
 * libvirt 9.0's virDomainHostdevDef. mode='subsystem' of type usb, pci,
 * scsi (a host SCSI LUN by adapter and address), scsi_host (vhost-scsi by
 * wwpn) or mdev (a mediated device by UUID); mode='capabilities' (storage,
 * misc, net: containers only, which the QEMU driver refuses). */
typedef enum {
    VIR_DOMAIN_HOSTDEV_MODE_SUBSYS = 0,
    VIR_DOMAIN_HOSTDEV_MODE_CAPABILITIES,
    VIR_DOMAIN_HOSTDEV_MODE_LAST
} virDomainHostdevMode;

typedef enum {
    VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_USB = 0,
    VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_PCI,
    VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI,
    VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI_HOST,
    VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_MDEV,
    VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_LAST
} virDomainHostdevSubsysType;

typedef enum {
    VIR_DOMAIN_HOSTDEV_CAPS_TYPE_STORAGE = 0,
    VIR_DOMAIN_HOSTDEV_CAPS_TYPE_MISC,
    VIR_DOMAIN_HOSTDEV_CAPS_TYPE_NET,
    VIR_DOMAIN_HOSTDEV_CAPS_TYPE_LAST
} virDomainHostdevCapsType;

typedef enum {
    VIR_DOMAIN_HOSTDEV_PCI_BACKEND_DEFAULT = 0, /* the QEMU driver makes it vfio */
    VIR_DOMAIN_HOSTDEV_PCI_BACKEND_KVM,
    VIR_DOMAIN_HOSTDEV_PCI_BACKEND_VFIO,
    VIR_DOMAIN_HOSTDEV_PCI_BACKEND_XEN,
    VIR_DOMAIN_HOSTDEV_PCI_BACKEND_LAST
} virDomainHostdevPCIBackend;

typedef enum {
    VIR_DOMAIN_HOSTDEV_MDEV_MODEL_VFIO_PCI = 0,
    VIR_DOMAIN_HOSTDEV_MDEV_MODEL_VFIO_CCW,
    VIR_DOMAIN_HOSTDEV_MDEV_MODEL_VFIO_AP,
    VIR_DOMAIN_HOSTDEV_MDEV_MODEL_LAST
} virDomainHostdevMdevModel;

typedef enum {
    VIR_DOMAIN_HOSTDEV_USB_GUEST_RESET_DEFAULT = 0,
    VIR_DOMAIN_HOSTDEV_USB_GUEST_RESET_OFF,
    VIR_DOMAIN_HOSTDEV_USB_GUEST_RESET_UNINITIALIZED,
    VIR_DOMAIN_HOSTDEV_USB_GUEST_RESET_ON,
    VIR_DOMAIN_HOSTDEV_USB_GUEST_RESET_LAST
} virDomainHostdevUSBGuestReset;

typedef enum {
    VIR_DOMAIN_HOSTDEV_SGIO_DEFAULT = 0,
    VIR_DOMAIN_HOSTDEV_SGIO_FILTERED,
    VIR_DOMAIN_HOSTDEV_SGIO_UNFILTERED,
    VIR_DOMAIN_HOSTDEV_SGIO_LAST
} virDomainHostdevSGIO;

typedef enum {
    VIR_DOMAIN_HOSTDEV_VHOST_MODEL_DEFAULT = 0,
    VIR_DOMAIN_HOSTDEV_VHOST_MODEL_VIRTIO,
    VIR_DOMAIN_HOSTDEV_VHOST_MODEL_VIRTIO_TRANSITIONAL,
    VIR_DOMAIN_HOSTDEV_VHOST_MODEL_VIRTIO_NON_TRANSITIONAL,
    VIR_DOMAIN_HOSTDEV_VHOST_MODEL_LAST
} virDomainHostdevVhostModel;

typedef struct {
    int mode; /* virDomainHostdevMode */
    int type; /* virDomainHostdevSubsysType, or virDomainHostdevCapsType */
    bool managed;
    /* pci */
    int pciBackend;     /* virDomainHostdevPCIBackend (<driver name>) */
    int writeFiltering; /* virDomainTristate (<source writeFiltering>) */
    unsigned int pciDomain, pciBus, pciSlot, pciFunction; /* <source><address> */
    /* usb: <vendor>/<product> (vendor 0: not given), <address bus device> */
    unsigned int usbVendor, usbProduct, usbBus, usbDevice;
    int startupPolicy; /* 0 default, 1 mandatory, 2 requisite, 3 optional */
    int guestReset;    /* virDomainHostdevUSBGuestReset */
    /* scsi: <adapter name>, <address bus target unit> */
    char *scsiAdapter;
    unsigned int scsiBus, scsiTarget;
    unsigned long long scsiUnit;
    int sgio;  /* virDomainHostdevSGIO */
    int rawio; /* virDomainTristate (yes/no) */
    bool readonly;
    bool shareable;
    /* scsi_host: <source protocol='vhost' wwpn> */
    int vhostModel; /* virDomainHostdevVhostModel */
    char *wwpn;
    /* mdev */
    int mdevModel; /* virDomainHostdevMdevModel */
    int display;   /* virDomainTristate (on/off) */
    int ramfb;     /* virDomainTristate (on/off) */
    char mdevUUID[VIR_UUID_STRING_BUFLEN];
    /* capabilities: <source><block>/<char>/<interface> text */
    char *capsSource;

    /* the guest side: <boot order>, <rom enabled bar file>, <address>
     * (or <address type='unassigned'/>: a PCI device QEMU is not given),
     * the QEMU driver's alias (hostdevN, live only) */
    virDomainDeviceBoot boot;
    virDomainDeviceRom rom;
    bool unassigned;
    virDomainDeviceAddress addr;
    char *alias;
    /* live only, set by the QEMU driver at start (not formatted): the
     * host's /dev/sgN of a scsi hostdev */
    char *sgDev;
    /* set by the parser: the drive address was assigned, not given */
    bool driveAssigned;
} virDomainHostdevDef;

const char *virDomainHostdevSubsysTypeToString(int type);
const char *virDomainHostdevMdevModelToString(int model);
void virDomainHostdevDefFree(virDomainHostdevDef *hostdev);
virDomainHostdevDef *virDomainHostdevDefCopy(const virDomainHostdevDef *src);
/* libvirt's virDomainHostdevMatch: the same host device (the source only) */
bool virDomainHostdevMatch(const virDomainHostdevDef *a, const virDomainHostdevDef *b);
/* A hostdev of type scsi on the host adapter (not iSCSI) */
#define VIR_DOMAIN_HOSTDEV_IS_SCSI(h)               \
    ((h)->mode == VIR_DOMAIN_HOSTDEV_MODE_SUBSYS && \
     (h)->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI)
