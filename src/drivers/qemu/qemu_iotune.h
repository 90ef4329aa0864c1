/* qemu_iotune.h: a disk's <iotune> in QEMU: the driver's rules, block_set_io_throttle's arguments, query-block's answer, the limits applied at start, hotplug and media change */
#pragma once

#include <stdbool.h>

#include "domain_conf.h"
#include "domain_obj.h"

struct json_object;

/* libvirt 9.0's qemuValidateDomainDeviceDefDiskBlkdeviotune for @disk of
 * @def (a definition being defined, started or grown by a hotplug):
 * CONFIG_UNSUPPORTED "group_name can be configured only together with
 * settings", "different iotunes for disks A and B" (two disks of one
 * group with other numbers), ARGUMENT_UNSUPPORTED "block I/O throttle
 * limit must be no more than 1000000000000000 using QEMU"; domain QEMU.
 * 0 or -1. */
int qemuIoTuneValidate(const virDomainDef *def, const virDomainDiskDef *disk);

/* Whether @disk has anything for QEMU's throttling (libvirt's
 * qemuDiskConfigBlkdeviotuneEnabled: a number or a group name). */
bool qemuIoTuneEnabled(const virDomainDiskDef *disk);

/* The id block_set_io_throttle takes for @disk (libvirt's qomName of a
 * -blockdev disk): the QOM path of virtio-blk's backend
 * "/machine/peripheral/ALIAS/virtio-backend", of a USB disk's
 * ".../ALIAS/ALIAS.0/legacy[0]", else the device id. */
char *qemuIoTuneDeviceId(const virDomainDef *def, const virDomainDiskDef *disk);

/* block_set_io_throttle's arguments for @disk of @def with limits @t, as libvirt
 * 9.0 sends them: "id", the twelve limits and bursts and iops_size always,
 * "group" when named, each *_max_length only when not 0. */
struct json_object *qemuIoTuneThrottleArgs(const virDomainDef *def,
                                           const virDomainDiskDef *disk,
                                           const virDomainBlockIoTuneInfo *t);

/* The limits QEMU has for @disk of @def in query-block's answer @block (libvirt's
 * qemuMonitorJSONBlockIoThrottleInfo) into *@out (zeroed first; its group
 * name is the caller's to free): INTERNAL_ERROR "cannot find throttling
 * info for device 'ID'" or "block_io_throttle inserted entry was not in
 * expected format" (no medium), OPERATION_UNSUPPORTED "block_io_throttle
 * field 'F' missing in qemu's output"; domain QEMU. 0 or -1. */
int qemuIoTuneFromBlock(struct json_object *block, const virDomainDef *def,
                        const virDomainDiskDef *disk, virDomainBlockIoTuneInfo *out);

/* block_set_io_throttle of @t on @disk of the running @obj (object locked,
 * job held; qemuHotplugMonitor). 0, or -1 with QEMU's refusal. */
int qemuIoTuneApply(virDomainObj *obj, const virDomainDiskDef *disk,
                    const virDomainBlockIoTuneInfo *t);

/* At start, before the vCPUs run: each disk with a medium and an <iotune>
 * gets its limits (libvirt's qemuProcessSetupDiskThrottling). 0, or -1
 * with QEMU's refusal (the start fails). */
int qemuIoTuneSetupAll(virDomainObj *obj);

/* libvirt's qemuDomainDiskChangeSupported for <iotune>: an update-device
 * of a disk may not name other limits or another group than the live
 * disk has (OPERATION_UNSUPPORTED "cannot modify field 'blkdeviotune
 * total_bytes_sec' of the disk"); a field @newDisk leaves at 0 is not
 * compared. 0 or -1. */
int qemuIoTuneCheckUnchanged(const virDomainDiskDef *newDisk,
                             const virDomainDiskDef *disk);
