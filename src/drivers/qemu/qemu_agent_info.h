/* qemu_agent_info.h: what the guest agent says about the guest (filesystems, disks, users, OS, interfaces), read from its replies */
#pragma once

#include <json-c/json.h>
#include <libvirt/libvirt.h>

#include "domain_conf.h"
#include "virtypedparamlist.h"

/*
 * Pure readers of the "return" members of qemu-ga's replies, as libvirt
 * 9.0's qemu_agent.c reads them (its required members and error texts:
 * VIR_ERR_INTERNAL_ERROR in VIR_FROM_QEMU). No I/O, no locks: the fuzz
 * target fuzz-agent feeds them any JSON.
 */

/* The address of one disk of guest-get-fsinfo / guest-get-disks. */
typedef struct {
    char *serial;  /* may be NULL */
    char *busType; /* "virtio", "scsi", ...; may be NULL */
    char *devnode; /* "/dev/vda"; may be NULL */
    unsigned int bus, target, unit;
    bool hasPci;
    unsigned int pciDomain, pciBus, pciSlot, pciFunction;
} qemuAgentDiskAddr;

typedef struct {
    char *mountpoint;
    char *name;
    char *fstype;
    long long usedBytes;  /* -1: the agent did not say */
    long long totalBytes; /* -1: the agent did not say */
    size_t ndisks;
    qemuAgentDiskAddr *disks;
} qemuAgentFSInfo;

void qemuAgentFSInfoFree(qemuAgentFSInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemuAgentFSInfo, qemuAgentFSInfoFree);

/* guest-get-fsinfo's return: *@info a new array of the entries, in mount
 * order (the agent lists them last mounted first), NULL for none.
 * Returns their number, -1 (reported, nothing allocated) on a malformed
 * reply. */
int qemuAgentFSInfoParse(json_object *reply, qemuAgentFSInfo ***info);
void qemuAgentFSInfoListFree(qemuAgentFSInfo **info, int n);

/* The disk of @def at the agent's address @addr (a PCI device of that
 * address, or a drive on the SCSI controller at it with the same bus,
 * target and unit), as libvirt's virDomainDiskByAddress; NULL if none. */
const virDomainDiskDef *qemuAgentDiskFind(const virDomainDef *def,
                                          const qemuAgentDiskAddr *addr);

/* The public form of @fs: devAlias are the targets of @def's disks it sits
 * on (disks the definition does not have are left out). New; free with
 * virDomainFSInfoFreeInternal. */
virDomainFSInfoPtr qemuAgentFSInfoToPublic(const qemuAgentFSInfo *fs,
                                           const virDomainDef *def);

/* The typed parameters of virDomainGetGuestInfo, appended to @list: */
/* "fs.count", "fs.N.*" of @info[0..@n) */
void qemuAgentFSInfoParams(qemuAgentFSInfo **info, int n, const virDomainDef *def,
                           virTypedParamList *list);
/* guest-get-users: "user.count", "user.N.name", ".domain", ".login-time" */
int qemuAgentUsersParams(json_object *reply, virTypedParamList *list);
/* guest-get-osinfo: "os.*" for the members the agent gives */
int qemuAgentOSInfoParams(json_object *reply, virTypedParamList *list);
/* guest-get-timezone: "timezone.name" (if given), "timezone.offset" */
int qemuAgentTimezoneParams(json_object *reply, virTypedParamList *list);
/* guest-get-disks: "disk.count", "disk.N.*" */
int qemuAgentDisksParams(json_object *reply, const virDomainDef *def,
                         virTypedParamList *list);
/* "if.count", "if.N.*" of @ifaces[0..@n) */
void qemuAgentInterfacesParams(virDomainInterfacePtr *ifaces, int n,
                               virTypedParamList *list);

/* guest-network-get-interfaces' return as libvirt's qemuAgentGetInterfaces
 * reads it: one entry per interface (name required; an alias "eth0:1"
 * folded into "eth0"), its MAC and addresses. *@ifaces a new array (free
 * entries with virDomainInterfaceFreeInternal). Returns the count or -1
 * (reported, nothing allocated). */
int qemuAgentInterfacesParse(json_object *reply, virDomainInterfacePtr **ifaces);

/* One vCPU as guest-get-vcpus lists it; @modified marks those a
 * guest-set-vcpus is to change. */
typedef struct {
    unsigned int id;
    bool online;
    bool offlinable;
    bool modified;
} qemuAgentCPUInfo;

/* libvirt's QEMU_GUEST_VCPU_MAX_ID: vCPU ids the driver handles are below. */
#define QEMU_GUEST_VCPU_MAX_ID 4096

/* guest-get-vcpus' return as libvirt reads it (logical-id, online and
 * can-offline required): *@info a new array (NULL for none). Returns the
 * count, -1 (reported, nothing allocated) on a malformed reply. */
int qemuAgentVcpusParse(json_object *reply, qemuAgentCPUInfo **info);
/* virDomainGetGuestVcpus' "vcpus", "online", "offlinable" cpu lists of
 * @info[0..@n), appended to @list; -1 (reported, nothing added) for an id
 * of QEMU_GUEST_VCPU_MAX_ID or more. */
int qemuAgentVcpusParams(const qemuAgentCPUInfo *info, int n, virTypedParamList *list);

/* guest-ssh-get-authorized-keys' return ({"keys": [strings]}): *@keys a
 * new NULL-terminated list. Returns its length, -1 (reported, nothing
 * allocated) when the reply has no such list. */
int qemuAgentSSHKeysParse(json_object *reply, char ***keys);
