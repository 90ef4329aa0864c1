/* qemu_command.h: a domain definition becomes a QEMU command line */
#pragma once

#include "qemu_secret.h"

#include <glib.h>
#include <json-c/json.h>
#include <stdbool.h>

#include "domain_conf.h"
#include "qemu_capabilities.h"

/* Device naming shared with the validator (qemu_validate.c). */
bool qemuMachineIsQ35(const char *machine);
bool qemuMachineIsI440FX(const char *machine);
/* The bus a disk really uses: given, or derived from its target name as
 * libvirt does (vd -> virtio, hd -> ide, sd -> scsi). */
int qemuDiskBus(const virDomainDiskDef *disk);
/* The device id (qdev id) QEMU knows @disk by, as the command line and
 * hotplug name it: "virtio-disk0", "sata0-0-2", "ide0-1-0". Caller frees. */
char *qemuDiskAlias(const virDomainDef *def, const virDomainDiskDef *disk);

/* qemu_command_scsi.c. The SCSI controller of index @idx of @def (lent),
 * or NULL. */
const virDomainControllerDef *qemuSCSIController(const virDomainDef *def,
                                                 unsigned int idx);
/* QEMU's device for a SCSI controller model ("lsilogic" -> "lsi"), NULL
 * for the models this driver does not run. */
const char *qemuSCSIControllerDevice(const char *model);
/* The device_add properties of SCSI controller @c of @def (its model
 * runs here), in libvirt's order, its PCI address last. Caller unrefs. */
json_object *qemuSCSIControllerProps(const virDomainDef *def,
                                     const virDomainControllerDef *c);
/* @props (a "driver" member first) as QEMU's -device key=value text,
 * booleans on/off, commas in strings doubled. Caller frees. */
char *qemuDevicePropsKeyval(json_object *props);
/* -device for each SCSI controller of @def, in its order. */
void qemuBuildSCSIControllers(GPtrArray *a, const virDomainDef *def);
/* libvirt's alias of SCSI disk @disk at its drive address: "scsiC-B-U" on
 * an lsilogic controller, "scsiC-B-T-U" elsewhere. Caller frees. */
char *qemuSCSIDiskAlias(const virDomainDef *def, const virDomainDiskDef *disk);
/* A disk device's "bootindex" (its effectiveBootIndex, when set; never
 * for a floppy, whose controller carries it): right after its id. */
void qemuDiskBootIndexProp(json_object *props, const virDomainDiskDef *disk);
/* The properties every disk device takes after its id and bootindex, libvirt's order:
 * logical/physical_block_size, wwn, rotation_rate, vendor, product,
 * write-cache (@writeCache 1 on, -1 off, 0 none), cyls/heads/secs/
 * bios-chs-trans, serial, werror/rerror. */
void qemuDiskIdentityProps(json_object *props, const virDomainDiskDef *disk,
                           int writeCache);
/* The usb-storage device of USB disk @disk (a disk or a cdrom) on block
 * node @drive (NULL: an empty cdrom), at its USB address when it has one,
 * libvirt 9.0's properties in its order. Caller unrefs. */
json_object *qemuUSBDiskProps(const virDomainDiskDef *disk, const char *drive,
                              int writeCache);
/* The scsi-hd / scsi-cd device of @disk (its drive address assigned, its
 * controller in @def) on block node @drive (NULL: an empty cdrom).
 * Caller unrefs. */
json_object *qemuSCSIDiskProps(const virDomainDef *def, const virDomainDiskDef *disk,
                               const char *drive, int writeCache);

/* One image below a disk's own (qemuDiskLayers) */
/* The host-side descriptors of the serials (entries 0-3) and the parallel
 * ports (from QEMU_PARALLEL_FD_BASE) a start hands QEMU (serialFds) */
#define QEMU_PARALLEL_FD_BASE 4
#define QEMU_MAX_CHR_FDS (QEMU_PARALLEL_FD_BASE + 3)

typedef struct {
    int type;                             /* virDomainDiskType: FILE, BLOCK or NETWORK */
    int format;                           /* virStorageFileFormat */
    char *path;                           /* a local layer's file or device */
    const virDomainDiskBackingDef *given; /* the <backingStore> it comes from;
                                           * NULL when read from an image */
    bool detected;
} qemuDiskLayer;

/* The images QEMU opens below @disk's own, nearest first: its given
 * <backingStore> layers (libvirt's user-given chain), then, below the
 * last given one not terminated (or below the disk itself without a
 * given chain), the qcow2 chain its headers name. *@terminated: the
 * chain ends with nothing below the last (a "backing":null for QEMU).
 * Returns a new array of qemuDiskLayer (empty: none). */
GPtrArray *qemuDiskLayers(const virDomainDiskDef *disk, bool *terminated);

/* The N of the block nodes libvirt-N-storage / libvirt-N-format that the
 * command line gives the image of @disk (of @def): as libvirt 9.0, each
 * disk with a source in order takes one N for its own image and one for
 * each image below it (qemuDiskLayers; read from the headers now where no
 * chain is given: a chain changed since the start gives another answer).
 * 0 when @disk has no source or is not in @def. */
size_t qemuDiskNodeIndex(const virDomainDef *def, const virDomainDiskDef *disk);
/* The -blockdev protocol driver of an image of virDomainDiskType @type:
 * "host_device" for a host block device, "file" otherwise (libvirt's). */
const char *qemuDiskStorageDriver(int type);
/* "sdc" -> 2, "vdaa" -> 26; -1 if not a disk name. */
int qemuDiskIndex(const char *dst);
/* The device id of interface @idx of a definition: its alias (given at
 * start or hotplug, qemu_interface.c), else "netIDX"; its netdev is
 * "host" + that. Caller frees. */
char *qemuNetAlias(const virDomainNetDef *net, size_t idx);
/* QEMU's device for a sound model ("ich6" -> "intel-hda", ...); NULL for
 * the models the QEMU driver does not run. */
const char *qemuSoundDevice(const char *model);
/* QEMU's device for an RNG model ("virtio-rng-pci", ...). */
const char *qemuRNGModel(const virDomainRNGDef *rng);
/* QEMU's device for an interface model, or NULL if there is none. */
const char *qemuNetModel(const virDomainNetDef *net);
/* libvirt's virtio options of a device (<driver iommu ats packed
 * page_per_vq>) as QEMU's iommu_platform, ats, packed, page-per-vq, in that
 * order, which libvirt puts right after the device's driver name: appended
 * to @dev as ",NAME=on|off" (Keyval), or added to @props (Props). The same
 * at start and hotplug. */
/* QEMU's device for a virtio-bus input (virtio-mouse-pci, ...,
 * virtio-input-host-pci for passthrough); NULL for evdev's, which has none */
const char *qemuInputVirtioDevice(const virDomainInputDef *in);
void qemuVirtioOptionsKeyval(GString *dev, const virDomainVirtioOptions *v);
void qemuVirtioOptionsProps(json_object *props, const virDomainVirtioOptions *v);
/* The virtio-net properties of @net's <driver> in libvirt 9.0's order
 * (the virtio options, tx, ioeventfd, event_idx, the offloads, mq and vectors, queue sizes,
 * rss, hash), the same at start and hotplug: @props (room for
 * QEMU_NET_DEV_PROPS_MAX) filled, their number returned (0 for another
 * model). Names and strings are static. */
#define QEMU_NET_DEV_PROPS_MAX 32
typedef struct {
    const char *name;
    char type; /* 'b' a boolean (num 1 on, 0 off), 'u' num, 's' str */
    unsigned int num;
    const char *str;
} qemuNetDevProp;
size_t qemuNetDeviceProps(const virDomainNetDef *net, qemuNetDevProp *props);
/* A PCI device's <rom> as libvirt 9.0's qemuBuildRomProps gives it (after
 * the address): "romfile=" alone when disabled, else rombar=0|1 and
 * romfile=FILE; appended to a -device keyval @dev (",k=v", commas of the
 * file doubled) or added to device_add's @props. Nothing for no <rom>. */
void qemuRomKeyval(GString *dev, const virDomainDeviceRom *rom);
void qemuRomProps(json_object *props, const virDomainDeviceRom *rom);
/* qemu_command_panic.c: -device pvpanic[,ioport=N] for each ISA panic
 * device of @def, appended to @argv (libvirt puts them after -sandbox);
 * whether @def has a panic of model hyperv (-cpu ...,hv-crash). */
void qemuBuildPanics(GPtrArray *argv, const virDomainDef *def);
bool qemuDomainHasHypervPanic(const virDomainDef *def);
/* qemu_command_cpu.c: the value of -cpu for @def (model, features, timers,
 * paravirt, Hyper-V and KVM properties), as libvirt 9.0 builds it; NULL
 * with an error when a host-model CPU cannot be expanded. Caller frees. */
char *qemuBuildCpuCommandArg(const virDomainDef *def, const qemuCaps *caps);
/* Whether @def has an egl-headless display (libvirt's -display egl-headless
 * then replaces -display none). */
bool qemuDomainHasEGLHeadless(const virDomainDef *def);
/* The -audiodev value of @audio ("alsa,id=audio1,in.dev=...", libvirt
 * 9.0's properties in QEMU's key=value form); caller frees
 * (qemu_command_audio.c). */
char *qemuAudiodevProps(const virDomainAudioDef *audio);
/* QEMU's watchdog action for libvirt's (-watchdog-action, set-action):
 * 'dump' is 'pause' (the driver dumps on the event). */
const char *qemuWatchdogAction(int action);
/* The watchdog's -device properties ("i6300esb,id=watchdog0,bus=...");
 * caller frees. */
char *qemuWatchdogDeviceProps(const virDomainDef *def, const virDomainWatchdogDef *wd);

/* The -chardev value of serial or console @chr, QEMU id "char" + @alias,
 * as libvirt 9.0's qemuBuildChardevStr writes it: @fd is a descriptor (in
 * QEMU) of a unix bind socket already listening, @fdPath the path QEMU
 * opens a 'file' at instead of its own, @logFdPath the one it opens the
 * <log> file at (NULL, -1: none). Caller frees (qemu_command_chr.c). */
char *qemuBuildChrChardevStr(const virDomainChrDef *chr, const char *alias, int fd,
                             const char *fdPath, const char *logFdPath);

/* The descriptors a start opened for QEMU, each in QEMU's numbering:
 * they end up in its argv as "fd=N" or "-add-fd". */
typedef struct {
    /* Serial I (parallel port J: entry QEMU_PARALLEL_FD_BASE + J) of type
     * 'file' already opened for QEMU at fd serialFds[I]
     * (in QEMU): passed as "-add-fd set=I+1,fd=N" and opened by QEMU as
     * /dev/fdset/I+1, so QEMU needs no access to the file's directory;
     * of type 'unix' in bind mode, already listening there ("-chardev
     * socket,fd=N,server=on,wait=off", as libvirt passes it). NULL, or -1
     * for an entry: QEMU opens or binds the path itself. */
    const int *serialFds;
    size_t nserialFds;
    /* The <log> files already opened for QEMU (truncated unless
     * append='on'), as libvirt hands them over from virtlogd: serial I's
     * at logFds[I] (I < QEMU_MAX_SERIAL_FDS), virtio console I's at
     * logFds[QEMU_MAX_SERIAL_FDS + I]; passed as "-add-fd set=N" and
     * opened as /dev/fdset/N. NULL, or -1 for an entry: QEMU opens the
     * log's path itself. */
    const int *logFds;
    size_t nlogFds;
    /* Channel I of type 'unix' in bind mode already listening at
     * channelFds[I] (in QEMU), as libvirt passes them: "-chardev
     * socket,fd=N,server=on,wait=off", so QEMU needs no access to the
     * socket's directory. NULL, or -1 for an entry: QEMU binds the path. */
    const int *channelFds;
    size_t nchannelFds;
    /* File-backed guest memory (qemu_command_memory.h): memFds[I] is the
     * file of backend I (cell I, or 0 for pc.ram) made for this run and
     * passed to QEMU (mem-path=/proc/self/fd/N); -1 or absent: QEMU makes
     * memoryDir/ALIAS itself (NULL: /var/lib/virtkit/qemu/ram). */
    const int *memFds;
    size_t nmemFds;
    /* The /dev/vhost-scsi descriptor (in QEMU) of hostdev I of type
     * scsi_host: vhostFds[I]; NULL or -1: none (the argv cannot be built) */
    const int *vhostFds;
    size_t nvhostFds;
} qemuCommandFds;

typedef struct {
    int monitorFd; /* fd number (in QEMU) of the listening QMP socket */
    /* or, when not NULL, the path QEMU binds it at (a command line only
     * shown, virConnectDomainXMLToNative) */
    const char *monitorPath;
    bool kvm;           /* accelerate with KVM (the caller has checked it); else TCG */
    bool sandbox;       /* -sandbox on,obsolete=deny,elevateprivileges=deny,spawn=deny,
                         * resourcecontrol=deny (the caller checked qemuCapsHasSandbox) */
    qemuCommandFds fds; /* zeroed: QEMU opens and binds every path itself */
    /* The network disks' secrets (qemu_secret.h): -object secret
     * id=masterKey0 reading its key file, and per disk the encrypted
     * values its protocol node names. NULL: a disk with <auth> or http
     * cookies cannot start (CONFIG_UNSUPPORTED). */
    const qemuDomainSecrets *secrets;
    const char *memoryDir;
    /* The domain's per-run directory (priv->libDir): the virtiofsd sockets
     * (qemu_virtiofs.h) are there. NULL: /var/lib/virtkit/qemu/domain-ID-NAME. */
    const char *libDir;
    /* The hugetlbfs mounts to use, "MOUNTPOINT=PAGESIZE_KIB" entries
     * (NULL-terminated; the first is the default size's); NULL: the
     * host's (/proc/mounts, /proc/meminfo). Tests pin them. */
    const char *const *hugetlbfs;
} qemuCommandOptions;

/* The members of a disk's format node that name its driver, as libvirt
 * writes them after the common ones: ',"driver":"raw"' or "qcow2", a
 * raw LUKS image's ',"driver":"luks","key-secret":SECRETID', a qcow2
 * one's ',"driver":"qcow2","encrypt":{"format":"luks","key-secret":...}'.
 * @secretId: the secret object holding the passphrase (NULL: none, then
 * a raw LUKS image is libvirt's INTERNAL_ERROR, NULL returned). */
char *qemuDiskFormatEncryptionProps(const virDomainDiskDef *disk, const char *secretId);

/* Appends @argv to @buf as a shell would read it back: the arguments
 * separated by @sep, each one with characters the shell treats specially
 * (or empty) in single quotes. */
void qemuArgvFormat(GString *buf, const char *const *argv, const char *sep);

/* The serials whose host sides (and logs) the daemon may open for QEMU:
 * the ISA serial ports. */
#define QEMU_MAX_SERIAL_FDS 4
/* The virtio consoles whose logs the daemon may open for QEMU. */
#define QEMU_MAX_CONSOLE_LOG_FDS 4
/* fdset N of the log of entry I of qemuCommandOptions' logFds */
#define QEMU_LOG_FDSET(i) (11 + (i))

/* At most this many channels per domain (virtio-serial ports 1..N). */
#define QEMU_MAX_CHANNELS 8

/* Give each unix channel without a path one in @dir (the domain's per-run
 * directory): DIR/TARGETNAME, or DIR/channelI without a name; marked as
 * generated (live data, not formatted in the inactive XML). */
void qemuDomainPrepareChannelPaths(virDomainDef *def, const char *dir);

/* Where automatic graphics ports come from: qemu.conf's
 * remote_display_port_min/max (VNC and SPICE; libvirt's default 5900 to
 * 65535) and remote_websocket_port_min/max (5700 to 65535). */
typedef struct {
    int displayMin;
    int displayMax;
    int websocketMin;
    int websocketMax;
} qemuPortRanges;

#define QEMU_PORT_RANGES_DEFAULT \
    {                            \
        5900, 65535, 5700, 65535 \
    }

/* Ports for @def's autoport graphics (the live copy), as libvirt's port
 * allocator: the lowest port of @ranges that no other start of this
 * process holds and that can be bound on the listen address (127.0.0.1
 * unless given, and then written in). Held until qemuDomainReleaseVNCPorts.
 * 0, or -1 with INTERNAL_ERROR "Unable to find an unused port for VNC". */
int qemuDomainReserveVNCPorts(virDomainDef *def, const qemuPortRanges *ranges);
/* As qemuDomainReserveVNCPorts for a command line only shown
 * (virConnectDomainXMLToNative): the first port of each range, nothing
 * reserved or bound. */
void qemuDomainPretendVNCPorts(virDomainDef *def, const qemuPortRanges *ranges);
void qemuDomainReleaseVNCPorts(const virDomainDef *def);

/*
 * The argv (argv[0] = the emulator, NULL-terminated) to start @def paused
 * (-S) with -no-shutdown, the monitor on opts->monitorFd, and every device
 * of @def. @def should have been through qemuCapsDomainDefPostParse (an
 * unexpanded machine alias is expanded here too). Validates first
 * (qemuValidateDomainDef, qemu_validate.h). Returns a new GStrv or NULL with an
 * error reported.
 *
 * Names QEMU will know the devices by (for QMP): disks "libvirt-N-format"
 * (N from 1, in def order) behind device ids "virtio-diskI"/"sata0-0-I";
 * serial I chardev "charserialI" and virtio console I "charconsoleI" ("char"
 * + the device's alias when the definition keeps one: a hotplugged one);
 * net I netdev "hostnetI", device "netI";
 * balloon "balloon0". A pty serial's path is learnt with
 * qemuMonitorGetPtyPath(mon, "charserialI") after start.
 */
char **qemuBuildCommandLine(const virDomainDef *def, const qemuCaps *caps,
                            const qemuCommandOptions *opts);

/* The QEMU device of 9p share @fs: virtio-9p-pci or its (non-)transitional
 * variant, as its model says. */
const char *qemuFSDeviceModel(const virDomainFSDef *fs);
