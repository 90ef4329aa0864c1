/* qemu_hotplug.h: changing a running guest's hardware: monitor calls under a job, the device-removal wait (qemu_hotplug_removal.c), per-device attach and detach */
#pragma once

#include <sys/types.h>

#include "domain_conf.h"
#include "domain_obj.h"
#include "qemu_conf.h"

struct json_object;

/* @cmd with @args (borrowed, may be NULL) on @obj's monitor, the object
 * unlocked while QEMU answers (locked, job held, on entry and return).
 * 0 (*reply the "return" member when @reply is not NULL), or -1 with an
 * error reported (also when the domain stopped meanwhile). */
int qemuHotplugMonitor(virDomainObj *obj, const char *cmd, struct json_object *args,
                       struct json_object **reply);

/* Best effort, to undo or clean up: @cmd {"id": @id} on @obj's monitor as
 * qemuHotplugMonitor runs it; a failure is logged at debug level and the
 * thread's last error is left as it was (the caller's first error stays
 * the one reported). */
void qemuHotplugMonitorQuiet(virDomainObj *obj, const char *cmd, const char *id);

/* The @n commands @cmds with @args (borrowed, each may be NULL) written to
 * @obj's monitor at once and their replies awaited (qemuHotplugMonitor's
 * locking and deadline). @done[i] tells whether command i succeeded. 0
 * when all did; -1 with the first failure's error reported otherwise (the
 * caller undoes what @done says was done). */
int qemuHotplugMonitorBatch(virDomainObj *obj, const char *const *cmds,
                            struct json_object *const *args, size_t n, bool *done);

/* libvirt's device removal: device_del @alias, then wait up to 5 s
 * (libvirt's QEMU_UNPLUG_TIMEOUT) for QEMU's DEVICE_DELETED. 1 when the
 * device is gone (the caller completes its removal); 0 when the guest has
 * not released it yet: the removal is then pending and completes, as in
 * libvirt, when DEVICE_DELETED comes (qemuHotplugDeviceDeletedEvent:
 * the device leaves the live definition, DEVICE_REMOVED is queued); -1
 * with an error reported when QEMU refused, the guest rejected the unplug
 * (OPERATION_FAILED "unplug of device was rejected by the guest") or the
 * domain stopped. Object locked, job held. */
int qemuHotplugDeviceDel(virDomainObj *obj, const char *alias);

/* The monitor thread's DEVICE_DELETED for @alias / QOM @path (either may
 * be NULL; object locked, never waits): wakes the qemuHotplugDeviceDel
 * waiting for that device (or a child of it); otherwise (a removal that
 * outlived its wait, or one the guest made) the device's removal from
 * the live definition runs on a worker under a job, as libvirt's
 * processDeviceDeletedEvent. */
void qemuHotplugDeviceDeletedEvent(qemuDriver *driver, virDomainObj *obj,
                                   const char *alias, const char *path);

/* The monitor thread's DEVICE_UNPLUG_GUEST_ERROR (object locked): the
 * waiting qemuHotplugDeviceDel fails, the pending removal is dropped, and
 * DEVICE_REMOVAL_FAILED is queued for the device. */
void qemuHotplugDeviceUnplugError(qemuDriver *driver, virDomainObj *obj,
                                  const char *alias, const char *path);

/* True when a device removal of @obj's QEMU waits for its DEVICE_DELETED
 * (object locked). */
bool qemuHotplugRemovalPending(virDomainObj *obj);

/* Disk @idx of the live definition, gone from QEMU's guest side: its
 * block nodes removed, out of the definition, the image given back, the
 * status saved, DEVICE_REMOVED queued (qemu_hotplug_disk.c). Object locked,
 * job held. */
void qemuHotplugRemoveDiskLive(qemuDriver *driver, virDomainObj *obj, size_t idx);

/* After a vCPU's DEVICE_DELETED nobody waited for: the live vCPU count
 * is QEMU's again, the vCPU threads' cgroups follow, status saved
 * (qemu_hotplug_vcpu.c). 0 or -1. Object locked, job held. */
int qemuHotplugRemoveVcpu(qemuDriver *driver, virDomainObj *obj);
/* While a domain starts (paused, monitor up, start job held): the online
 * hotpluggable vCPUs of its <vcpus> states plugged with device_add, in
 * their order (libvirt's qemuProcessSetupHotpluggableVcpus), the live
 * states' order set from the online ones. 0 or -1. */
int qemuHotplugVcpusAtStart(virDomainObj *obj);

/* A disk of @def by target name or source path (*idx its index when
 * @idx is not NULL), or NULL. */
virDomainDiskDef *qemuHotplugFindDisk(virDomainDef *def, const char *name, size_t *idx);

/* A device's XML parsed inside a wrapper definition (the definition holding
 * the one <disk> or <interface>; *what "disk" or "net"), or NULL with the
 * parser's error; OPERATION_UNSUPPORTED "@action of device 'X' is not
 * supported" for other elements. */
virDomainDef *qemuHotplugParseDevice(const char *xml, const char *action,
                                     const char **what);
/* The same; @live (the change affects the running guest): a <memory>
 * device is read as libvirt reads it for a live change, with its alias.
 * A <memory> may be updated, no other element than <disk>/<interface>. */
virDomainDef *qemuHotplugParseDeviceLive(const char *xml, const char *action,
                                         const char **what, bool live);
/* The persistent definition an attach, detach or update changed
 * (*@newPersistent, not NULL) saved, then made @obj's: its next-boot
 * definition while it runs, its definition when it does not (*@newPersistent
 * then NULL); kept by the caller for a running transient domain. 0, or -1
 * with the save's error and nothing changed. */
int qemuHotplugCommitPersistent(qemuDriver *driver, virDomainObj *obj,
                                virDomainDef **newPersistent);
/* The N of unused node names libvirt-N-storage/-format, or -1 (error). */
int qemuHotplugNextNode(virDomainObj *obj);
/* blockdev-del @node, quiet. */
void qemuHotplugBlockdevDel(virDomainObj *obj, const char *node);

/* ---- disks (qemu_hotplug_disk.c); object locked, job held ------------- */

/* @disk into @def's disks at libvirt's place (with its bus's, by target);
 * @def owns it. */
void qemuHotplugAppendDisk(virDomainDef *def, virDomainDiskDef *disk);
/* Disk @idx out of @def's list, handed to the caller. */
virDomainDiskDef *qemuHotplugStealDisk(virDomainDef *def, size_t idx);
/* What can be hotplugged live at all (device and bus): 0, or -1 with
 * OPERATION_UNSUPPORTED as libvirt's messages. */
int qemuHotplugCheckDiskLive(const virDomainDiskDef *disk);
/* Hotplug *@diskp (the caller's until it is in the live definition: then
 * *@diskp is NULL) into @obj: its image handed to QEMU's user, the two
 * block nodes, the virtio-blk device on a free root port. 0, or -1 with
 * nothing left behind in QEMU or in the definition. */
int qemuHotplugAttachDiskLive(qemuDriver *driver, virDomainObj *obj,
                              virDomainDiskDef **diskp);
/* Unplug disk @idx of the live definition (qemuHotplugDeviceDel), then
 * qemuHotplugRemoveDiskLive; 0 also when the removal is pending. */
int qemuHotplugDetachDiskLive(qemuDriver *driver, virDomainObj *obj, size_t idx);

/* ---- interfaces (qemu_hotplug_net.c); object locked, job held --------- */

/* CONFIG_UNSUPPORTED when the model has no QEMU device here. */
int qemuHotplugCheckNet(const virDomainNetDef *net);
/* A random 52:54:00 MAC for @net unless it has one (libvirt's). */
void qemuHotplugNetGenerateMAC(virDomainNetDef *net);
/* Plug *@netp into the running guest: its tap (and network port) as at
 * start, a free PCI slot, getfd + netdev_add + device_add, its link set
 * down when the XML says so; on success it is in the live definition
 * (alias "netN", address, target dev), *netp is NULL, the status saved
 * and DEVICE_ADDED queued. On failure nothing is left in QEMU or on the
 * host; *netp stays the caller's. */
int qemuHotplugAttachNetLive(qemuDriver *driver, virDomainObj *obj,
                             virDomainNetDef **netp);
/* Unplug interface @idx of the live definition (qemuHotplugDeviceDel);
 * once QEMU let it go, qemuHotplugRemoveNetLive. 0 also when the removal
 * is pending (the guest has not released it yet), -1 on error. */
int qemuHotplugDetachNetLive(qemuDriver *driver, virDomainObj *obj, size_t idx);
/* Interface @idx, already gone from QEMU's guest side: netdev_del, its tap
 * and port removed, out of the live definition, status saved,
 * DEVICE_REMOVED queued. */
void qemuHotplugRemoveNetLive(qemuDriver *driver, virDomainObj *obj, size_t idx);
/* libvirt's virDomainNetFindIdx: the index of the interface of @def with
 * @match's MAC (any when it has none); -1 with DEVICE_MISSING "no device
 * matching MAC address M found", -2 with OPERATION_FAILED when several
 * match. */
ssize_t qemuHotplugFindNet(const virDomainDef *def, const virDomainNetDef *match);
/* The interface of @def whose device id is @alias, or -1 (nothing reported). */
ssize_t qemuHotplugFindNetAlias(const virDomainDef *def, const char *alias);
/* After start (before the vCPUs run): set_link down for each interface
 * whose <link state='down'/>. 0 or -1. */
int qemuHotplugSetLinkStates(virDomainObj *obj);
/* libvirt's qemuDomainChangeNet for interface @idx of the running guest:
 * what cannot change live is refused with libvirt's error (MAC, model,
 * tap name, PCI address, type); the link state is set (set_link); a
 * new network or bridge of the same kind moves the tap. 0 or -1. */
int qemuHotplugUpdateNetLive(qemuDriver *driver, virDomainObj *obj, size_t idx,
                             virDomainNetDef *newNet);

/* ---- memory devices (qemu_hotplug_memory.c); object locked, job held -- */

/* The memory device of @def whose device id is @alias, or -1 (nothing
 * reported). */
ssize_t qemuHotplugFindMemoryAlias(const virDomainDef *def, const char *alias);
/* libvirt's qemuDomainAttachDeviceConfig for <memory>: CONFIG_UNSUPPORTED
 * "no free memory device slot available" when every slot is taken; else
 * devDef's device moves into @def (<memory> and <currentMemory> grow by
 * its size) and gets its dimm slot or PCI address. 0 or -1. */
int qemuHotplugAttachMemoryConfig(virDomainDef *def, virDomainDef *devDef);
/* libvirt's virDomainMemoryFindInactiveByDef + removal (the totals
 * shrink): 0, or -1 with DEVICE_MISSING "matching memory device was not
 * found". */
int qemuHotplugDetachMemoryConfig(virDomainDef *def, const virDomainDef *devDef);
/* libvirt's qemuDomainAttachMemory: devDef's device (its size rounded up
 * to 1 MiB) checked against the running guest's rules (maxMemory, slots,
 * hotplug space, NUMA node), given a dimm slot or a free PCI slot, alias
 * dimmS / virtiomemN, then object-add of its backend "mem" + alias and
 * device_add; on success it moves into the live definition (totals grow),
 * the status is saved and DEVICE_ADDED is queued with the backend's id as
 * libvirt 9.0 does. 0, or -1 with nothing changed. */
int qemuHotplugAttachMemoryLive(qemuDriver *driver, virDomainObj *obj,
                                virDomainDef *devDef);
/* libvirt's qemuDomainUpdateMemoryDeviceInfo from query-memory-devices'
 * reply @devices: a dimm/nvdimm's slot and base, a virtio-mem device's
 * <current> (KiB, rounded up). */
void qemuHotplugMemoryApplyInfo(virDomainDef *def, struct json_object *devices);
/* libvirt's qemuDomainDetachPrepMemory: @match's size aligned, then the
 * index in @def, or -1 with DEVICE_MISSING "model 'M' memory device not
 * present in the domain configuration". */
ssize_t qemuHotplugFindMemoryLive(const virDomainDef *def, virDomainMemoryDef *match);
/* Unplug memory device @idx (qemuHotplugDeviceDel: a dimm needs the
 * guest's ACPI eject), then qemuHotplugRemoveMemoryLive. */
int qemuHotplugDetachMemoryLive(qemuDriver *driver, virDomainObj *obj, size_t idx);
/* Memory device @idx, gone from the guest: object-del of its backend, out
 * of the live definition (totals shrink), DEVICE_REMOVED, status saved. */
void qemuHotplugRemoveMemoryLive(qemuDriver *driver, virDomainObj *obj, size_t idx);

/* libvirt's qemuDomainUpdateDeviceConfig for <memory>: the device of
 * @def at the address (and alias) of devDef's is replaced by it, or
 * INVALID_ARG "memory not found". 0 or -1. */
int qemuHotplugUpdateMemoryConfig(virDomainDef *def, virDomainDef *devDef);
/* libvirt's qemuDomainChangeMemoryLive: the device of the running guest
 * at @mem's address and alias (CONFIG_UNSUPPORTED "memory 'A' not found"),
 * only a virtio-mem device's requested size changed (libvirt's error for
 * any other field), qom-set of its requested-size, then <requested> in
 * the live definition and the status saved; <current> follows QEMU's
 * MEMORY_DEVICE_SIZE_CHANGE. 0, or -1 with nothing changed. */
int qemuHotplugUpdateMemoryLive(qemuDriver *driver, virDomainObj *obj,
                                const virDomainMemoryDef *mem);

/* ---- virtiofs shares (qemu_hotplug_fs.c); object locked, job held ---- */
/* libvirt's virDomainFSDefFind (the target, the alias if given): the index
 * or -1 (nothing reported). */
ssize_t qemuHotplugFindFS(const virDomainDef *def, const virDomainFSDef *match);
/* The share of @def whose device id is @alias, or -1 (nothing reported). */
ssize_t qemuHotplugFindFSAlias(const virDomainDef *def, const char *alias);
/* Free share @idx of @def and close the gap; append @fs (taken). */
void qemuHotplugRemoveFS(virDomainDef *def, size_t idx);
void qemuHotplugAppendFS(virDomainDef *def, virDomainFSDef *fs);
/* Plug virtiofs share *@fsp in (libvirt's qemuDomainAttachFSDevice): the
 * next PCI slot and fsN, its virtiofsd started, chardev-add of
 * chr-vu-fsN, device_add of vhost-user-fs-pci; the share joins the live
 * definition (*@fsp set to NULL), DEVICE_ADDED queued. Another driver:
 * OPERATION_UNSUPPORTED "only virtiofs filesystems can be hotplugged". -1
 * with nothing left (virtiofsd stopped, chardev removed). */
int qemuHotplugAttachFSLive(qemuDriver *driver, virDomainObj *obj, virDomainFSDef **fsp);
/* Unplug share @idx (qemuHotplugDeviceDel), then qemuHotplugRemoveFSLive
 * once QEMU released it. 0 or -1 with an error. */
int qemuHotplugDetachFSLive(qemuDriver *driver, virDomainObj *obj, size_t idx);
/* Share @idx, gone from the guest: chardev-remove, its virtiofsd stopped,
 * out of the live definition, DEVICE_REMOVED queued, status saved. */
void qemuHotplugRemoveFSLive(qemuDriver *driver, virDomainObj *obj, size_t idx);

/* ---- virtio RNG devices (qemu_hotplug_rng.c); object locked, job held -- */

/* At start, on the live definition: each RNG's device id "rngI". */
void qemuHotplugAssignRNGAliases(virDomainDef *def);
/* libvirt's virDomainRNGFind (model, source, the PCI address if given):
 * the index, or -1 with DEVICE_MISSING: libvirt's "model 'random' RNG
 * device not present in domain configuration" for the running guest
 * (@live), "no matching RNG device was found" for the definition. */
ssize_t qemuHotplugFindRNG(const virDomainDef *def, const virDomainRNGDef *match,
                           bool live);
/* The RNG of @def whose device id is @alias, or -1 (nothing reported). */
ssize_t qemuHotplugFindRNGAlias(const virDomainDef *def, const char *alias);
/* Free RNG @idx of @def and close the gap. */
void qemuHotplugRemoveRNG(virDomainDef *def, size_t idx);
/* Plug *@rngp: a free PCI slot, object-add rng-random + device_add; on
 * success it is in the live definition (alias "rngN", address), *rngp is
 * NULL, the status saved, DEVICE_ADDED queued; on failure nothing is left
 * in QEMU. */
int qemuHotplugAttachRNGLive(qemuDriver *driver, virDomainObj *obj,
                             virDomainRNGDef **rngp);
/* Unplug RNG @idx (qemuHotplugDeviceDel), then qemuHotplugRemoveRNGLive;
 * 0 also when the removal is pending. */
int qemuHotplugDetachRNGLive(qemuDriver *driver, virDomainObj *obj, size_t idx);
/* RNG @idx, gone from QEMU's guest side: object-del, out of the live
 * definition, status saved, DEVICE_REMOVED queued. */
void qemuHotplugRemoveRNGLive(qemuDriver *driver, virDomainObj *obj, size_t idx);

/* ---- input devices (qemu_hotplug_input.c); object locked, job held ----- */

/* At start, on the live definition: each input's device id "inputI". */
void qemuHotplugAssignInputAliases(virDomainDef *def);
/* libvirt's virDomainInputDefFind (type, bus, the address if given): the
 * index, or -1 with DEVICE_MISSING "matching input device not found". */
ssize_t qemuHotplugFindInput(const virDomainDef *def, const virDomainInputDef *match);
/* The input of @def whose device id is @alias, or -1 (nothing reported). */
ssize_t qemuHotplugFindInputAlias(const virDomainDef *def, const char *alias);
/* Input @idx out of @def (what it owns released) / a copy of *@in (its
 * evdev path duplicated) appended to @def. */
void qemuHotplugRemoveInput(virDomainDef *def, size_t idx);
void qemuHotplugAppendInput(virDomainDef *def, const virDomainInputDef *in);
/* libvirt's refusal of PS/2 inputs (OPERATION_UNSUPPORTED "input device on
 * bus 'ps2' cannot be hot plugged." / "... cannot be detached"), and of
 * evdev ones (bus 'none') at attach. */
int qemuHotplugCheckInputLive(const virDomainInputDef *in, bool attach);
/* The host side of @def's passthrough and evdev inputs, as libvirt finds
 * it at start and attach: an evdev without a path is its INTERNAL_ERROR
 * (from building the object), an evdev path that cannot be stat()ed its
 * cgroup SYSTEM_ERROR "Path '...' is not accessible: ..." (a passthrough
 * one without a path too). */
int qemuHotplugCheckInputSources(const virDomainDef *def);
/* Plug @in (virtio: a free PCI slot; USB: the first free port of usb.0):
 * device_add; on success a copy is in the live definition (alias "inputN",
 * address), the status saved, DEVICE_ADDED queued. */
int qemuHotplugAttachInputLive(qemuDriver *driver, virDomainObj *obj,
                               virDomainInputDef *in);
/* Unplug input @idx (qemuHotplugDeviceDel), then qemuHotplugRemoveInputLive;
 * 0 also when the removal is pending. */
int qemuHotplugDetachInputLive(qemuDriver *driver, virDomainObj *obj, size_t idx);
/* Input @idx, gone from QEMU: out of the live definition, status saved,
 * DEVICE_REMOVED queued. */
void qemuHotplugRemoveInputLive(qemuDriver *driver, virDomainObj *obj, size_t idx);

/* ---- virtio-serial channels (qemu_hotplug_chr.c); object locked, job held */

/* At start, on the live definition: each channel's device id "channelI". */
void qemuHotplugAssignChannelAliases(virDomainDef *def);
/* Channel @idx's device id: its alias, else "channelI" written to @buf
 * (a definition from before aliases were kept). */
const char *qemuHotplugChannelAlias(const virDomainDef *def, size_t idx, char *buf,
                                    size_t size);
/* The channel of @def whose device id is @alias, or -1 (nothing reported). */
ssize_t qemuHotplugFindChannelAlias(const virDomainDef *def, const char *alias);
/* libvirt's virDomainChrFind for a channel (source type, path and mode,
 * target name): the index, or -1 with DEVICE_MISSING "chr type 'channel'
 * device not present in domain configuration". */
ssize_t qemuHotplugFindChannel(const virDomainDef *def, const virDomainChannelDef *match);
/* Channel @idx out of @def (freed) / @chan appended to @def (owned by it). */
void qemuHotplugRemoveChannel(virDomainDef *def, size_t idx);
void qemuHotplugAppendChannel(virDomainDef *def, virDomainChannelDef *chan);
/* True when @def has virtio-serial controller @idx (any when @idx < 0). */
bool qemuHotplugHasVirtioSerial(const virDomainDef *def, int idx);
/* Plug *@chanp into the running guest as libvirt does: a virtio-serial
 * controller must be there (INTERNAL_ERROR "no virtio-serial controllers
 * are available", libvirt's domain), an equal channel must not
 * (OPERATION_INVALID "chardev already exists"); a bind socket without a
 * path gets one in the run's directory, is bound here and handed over by
 * getfd; chardev-add + device_add virtserialport on the lowest free port.
 * On success it is in the live definition (alias "channelN", address, a
 * pty's path), *chanp is NULL, DEVICE_ADDED queued, the status saved; on
 * failure nothing is left in QEMU or on the host, *chanp stays the
 * caller's. The agent channel's VSERPORT_CHANGE then raises
 * AGENT_LIFECYCLE as for one present at start. */
int qemuHotplugAttachChannelLive(qemuDriver *driver, virDomainObj *obj,
                                 virDomainChannelDef **chanp);
/* Unplug channel @idx (qemuHotplugDeviceDel), then
 * qemuHotplugRemoveChannelLive; 0 also when the removal is pending. */
int qemuHotplugDetachChannelLive(qemuDriver *driver, virDomainObj *obj, size_t idx);
/* Channel @idx, gone from QEMU's guest side: chardev-remove, the socket
 * file the driver named removed, out of the live definition,
 * DEVICE_REMOVED queued, the status saved. */
void qemuHotplugRemoveChannelLive(qemuDriver *driver, virDomainObj *obj, size_t idx);

/* ---- serials and consoles (qemu_hotplug_chr.c); object locked, job held -- */

/* @chr's device id in @def: its alias, else "serialI" / "consoleI" by its
 * position, written to @buf. */
const char *qemuHotplugChrAlias(const virDomainDef *def, const virDomainChrDef *chr,
                                char *buf, size_t size);
/* The serial (*console false) or console (true) of @def whose device id is
 * @alias (never the serial console mirroring serial 0), or -1 (nothing
 * reported). */
ssize_t qemuHotplugFindChrAlias(const virDomainDef *def, const char *alias,
                                bool *console);
/* libvirt's virDomainChrFind of @match (kind, target type and port, source
 * type and path) in @def, the index; -1 with libvirt's error: @live
 * DEVICE_MISSING "chr type 'serial' device not present in domain
 * configuration" (the serial console never matches), else INVALID_ARG
 * "device not present in domain configuration". */
ssize_t qemuHotplugFindChr(const virDomainDef *def, const virDomainChrDef *match,
                           bool live);
/* What the domain parser does not keep of a device's XML @xml: the
 * target port it gives (-1 when none: the parser numbers consoles by
 * position) into @chr->targetPort, and a pty's source path. Returns the
 * port. */
int qemuHotplugChrFromXML(const char *xml, virDomainChrDef *chr);
/* A port for @chr when it has none (libvirt's: one above every port of its
 * kind in @def; @live: the serial console does not count). */
void qemuHotplugChrAssignPort(const virDomainDef *def, virDomainChrDef *chr, bool live);
/* Persistent attach of *@chrp to @def (owned by it then, *chrp NULL):
 * OPERATION_UNSUPPORTED for a serial console, OPERATION_INVALID "chardev
 * already exists" for an equal one; the first serial brings its serial
 * console. 0 or -1. */
int qemuHotplugAttachChrConfig(virDomainDef *def, virDomainChrDef **chrp);
/* Persistent detach of @match from @def (qemuHotplugFindChr, not live);
 * OPERATION_INVALID for the serial console; serial 0 takes its serial
 * console along. 0 or -1. */
int qemuHotplugDetachChrConfig(virDomainDef *def, const virDomainChrDef *match);
/* Plug *@chrp into the running guest: a virtio console (chardev-add +
 * device_add virtconsole on the virtio-serial bus, alias "consoleN") or a
 * serial (isa-serial: QEMU refuses the hotplug, as with libvirt).
 * CONFIG_UNSUPPORTED "unsupported console target type serial",
 * OPERATION_INVALID "chardev already exists". On success it is in the
 * live definition (alias, port, a pty's path), *chrp NULL, DEVICE_ADDED
 * queued, status saved; on failure nothing is left in QEMU and *chrp stays
 * the caller's. */
int qemuHotplugAttachChrLive(qemuDriver *driver, virDomainObj *obj,
                             virDomainChrDef **chrp);
/* Unplug serial/console @idx (qemuHotplugDeviceDel), then
 * qemuHotplugRemoveChrLive; 0 also when the removal is pending. */
int qemuHotplugDetachChrLive(qemuDriver *driver, virDomainObj *obj, bool console,
                             size_t idx);
/* Serial/console @idx, gone from QEMU's guest side: chardev-remove, out of
 * the live definition (the others keep their ids as aliases),
 * DEVICE_REMOVED queued, status saved. */
void qemuHotplugRemoveChrLive(qemuDriver *driver, virDomainObj *obj, bool console,
                              size_t idx);

/* libvirt's virDomainControllerInsert into @def (owned by it then): after
 * the last controller of its type with a lower index. */
void qemuHotplugInsertController(virDomainDef *def, virDomainControllerDef *ctrl);

/* ---- host devices (qemu_hotplug_hostdev.c); object locked, job held ---- */
/* The index of @def's hostdev that is the same host device as @match, or
 * -1 (libvirt's virDomainHostdevFind). Remove frees the one at @idx. */
ssize_t qemuHotplugFindHostdev(const virDomainDef *def, const virDomainHostdevDef *match);
void qemuHotplugRemoveHostdev(virDomainDef *def, size_t idx);
/* The hostdev of @mine (a parsed device) into @persistent, which takes it:
 * OPERATION_INVALID "device is already in the domain configuration" for
 * the same host device twice; a SCSI one gets its drive address and
 * controller as libvirt gives them. 0 or -1 (the caller's post-parse
 * follows). */
int qemuHotplugAttachHostdevConfig(virDomainDef *persistent, virDomainDef *mine);
/* A live attach of @mine's hostdev: the driver's rules on the running
 * definition, then the host checked as at start; -1 always, with
 * libvirt's error for what the host lacks (OPERATION_UNSUPPORTED where it
 * has the device: virtkit plugs no host device). Nothing changes. */
int qemuHotplugAttachHostdevLive(qemuDriver *driver, virDomainObj *obj,
                                 virDomainDef *mine);
/* A live detach of hostdev @h from @live: DEVICE_MISSING with libvirt's
 * message for its kind; -1 always. */
int qemuHotplugDetachHostdevLive(const virDomainDef *live, const virDomainHostdevDef *h);

/* ---- the watchdog (qemu_hotplug_watchdog.c); object locked, job held ---- */

/* At start, on the live definition: the watchdog's device id "watchdog0". */
void qemuHotplugAssignWatchdogAlias(virDomainDef *def);
/* Whether @alias is the device id of @def's watchdog. */
bool qemuHotplugIsWatchdogAlias(const virDomainDef *def, const char *alias);
/* libvirt's checks before a live detach of @match (NULL: by alias) from
 * @def: DEVICE_MISSING "watchdog device not present in domain
 * configuration" / "model 'M' watchdog device not present in domain
 * configuration" (model, action and address must be the domain's),
 * OPERATION_UNSUPPORTED for a model other than i6300esb. 0 or -1. */
int qemuHotplugCheckWatchdogDetach(const virDomainDef *def,
                                   const virDomainWatchdogDef *match);
/* Plug *@wdp into the running guest as libvirt 9.0 does (set-action with
 * QEMU's action, then device_add of i6300esb in a free or the given PCI
 * slot): OPERATION_INVALID "domain already has a watchdog",
 * OPERATION_UNSUPPORTED for other models. On success it is the live
 * definition's (alias watchdog0), *wdp NULL, status saved, DEVICE_ADDED
 * queued; on failure *wdp stays the caller's. */
int qemuHotplugAttachWatchdogLive(qemuDriver *driver, virDomainObj *obj,
                                  virDomainWatchdogDef **wdp);
/* device_del of the live watchdog; once QEMU let it go,
 * qemuHotplugRemoveWatchdogLive. 0 also while pending, -1 on error. */
int qemuHotplugDetachWatchdogLive(qemuDriver *driver, virDomainObj *obj);
/* The watchdog out of the live definition, DEVICE_REMOVED queued, status
 * saved. */
void qemuHotplugRemoveWatchdogLive(qemuDriver *driver, virDomainObj *obj);

/* qemu_hotplug_scsi.c. Ready SCSI @disk (not yet in @obj's live
 * definition) for hotplug: its drive address, from its target name as at
 * define when it has none (libvirt's); refused when a disk has it
 * (OPERATION_INVALID); each SCSI controller from 0 to its own present,
 * a missing one plugged in (device_add, libvirt's default model at the
 * first free PCI slot: INTERNAL_ERROR "No more available PCI slots" on a
 * q35 guest without a conventional PCI bus, as libvirt) and added to the
 * live definition, where it stays even if the disk fails after. 0, or -1
 * with the error. Object locked, job held. */
int qemuHotplugSCSIPrepare(virDomainObj *obj, virDomainDiskDef *disk);
/* The drive address of SCSI @disk for hotplug into @def (assigned from its
 * target name when it has none), refused with libvirt's errors when
 * another disk has it or it is no drive address. */
int qemuHotplugSCSIAddress(const virDomainDef *def, virDomainDiskDef *disk);
