/* qemu_hotplug.c: QEMU driver entry points that attach and detach a guest's devices (live and persistent), block size */

/*
 * Threads: each entry point holds the domain's MODIFY job; QMP is waited
 * for with the object unlocked (qemuHotplugMonitor: the job keeps the
 * monitor valid). A detach's wait for the guest to let the device go, and
 * the completion of removals that outlive it, are qemu_hotplug_removal.c's
 * (qemuHotplugDeviceDel).
 */

#define G_LOG_DOMAIN "virtkit.qemu.hotplug"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "domain_event.h"
#include "qemu_capabilities_glue.h"
#include "qemu_blockjob.h"
#include "qemu_cgroup.h"
#include "qemu_command.h"
#include "qemu_domain_address.h"
#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_iotune.h"
#include "qemu_block_net.h"
#include "qemu_monitor.h"
#include "qemu_security.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

int
qemuHotplugMonitor(virDomainObj *obj, const char *cmd, json_object *args,
                   json_object **reply)
{
    qemuMonitor *mon = qemuDomainPriv(obj)->mon;
    int rc;

    if (!mon) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "QEMU monitor is not connected");
        return -1;
    }
    virDomainObjUnlock(obj);
    rc = qemuMonitorCommand(mon, cmd, args, QEMU_MONITOR_TIMEOUT_MS, reply);
    virDomainObjLock(obj);
    if (rc == 0 && !virDomainObjIsActive(obj)) {
        if (reply)
            g_clear_pointer(reply, json_object_put);
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "domain is no longer running");
        return -1;
    }
    return rc;
}

void
qemuHotplugMonitorQuiet(virDomainObj *obj, const char *cmd, const char *id)
{
    g_autoptr(json_object) args = json_object_new_object();
    virErrorPtr saved = NULL;

    virErrorPreserveLast(&saved);
    json_object_object_add(args, "id", json_object_new_string(id));
    if (qemuHotplugMonitor(obj, cmd, args, NULL) < 0)
        g_debug("%s %s: %s", cmd, id, virGetLastErrorMessage());
    virErrorRestore(&saved);
}

int
qemuHotplugMonitorBatch(virDomainObj *obj, const char *const *cmds,
                        json_object *const *args, size_t n, bool *done)
{
    qemuMonitor *mon = qemuDomainPriv(obj)->mon;
    g_autofree qemuMonitorPending **pending = g_new0(qemuMonitorPending *, n);
    virErrorPtr first = NULL;
    int ret = 0;

    for (size_t i = 0; i < n; i++)
        done[i] = false;
    if (!mon) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "QEMU monitor is not connected");
        return -1;
    }
    virDomainObjUnlock(obj);
    /* all written at once: QEMU runs them in order in one pass of its main
     * loop, where one at a time paid a wake-up of QEMU and of this thread
     * for each */
    for (size_t i = 0; i < n; i++)
        pending[i] = qemuMonitorSubmit(mon, cmds[i], args[i]);
    for (size_t i = 0; i < n; i++) {
        if (qemuMonitorAwait(g_steal_pointer(&pending[i]), QEMU_MONITOR_TIMEOUT_MS,
                             NULL) == 0) {
            done[i] = true;
            continue;
        }
        /* the first failure is the one reported; the later ones (most
         * often its consequences: a node that is not there) are not */
        if (ret == 0)
            virErrorPreserveLast(&first);
        ret = -1;
    }
    virDomainObjLock(obj);
    if (first) {
        virErrorRestore(&first);
    } else if (ret == 0 && !virDomainObjIsActive(obj)) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "domain is no longer running");
        ret = -1;
    }
    return ret;
}

int
qemuHotplugCommitPersistent(qemuDriver *driver, virDomainObj *obj,
                            virDomainDef **newPersistent)
{
    if (qemuDomainSaveConfig(driver, *newPersistent,
                             qemuDomainPriv(obj)->graceOverrideSec) < 0)
        return -1;
    if (obj->newDef) {
        virDomainDefFree(obj->newDef);
        obj->newDef = g_steal_pointer(newPersistent);
    } else if (!virDomainObjIsActive(obj)) {
        virDomainDefFree(obj->def);
        obj->def = g_steal_pointer(newPersistent);
    }
    return 0;
}

/* ---- block size ---------------------------------------------------------- */

/* libvirt's virDomainDiskByName: a target name ("vda") or a source path. */
virDomainDiskDef *
qemuHotplugFindDisk(virDomainDef *def, const char *name, size_t *idx)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        virDomainDiskDef *disk = def->disks[i];

        if (g_strcmp0(disk->dst, name) == 0 ||
            (disk->src && g_strcmp0(disk->src, name) == 0)) {
            if (idx)
                *idx = i;
            return disk;
        }
    }
    return NULL;
}

/* The format node QEMU has for @path (query-block's "inserted"), or NULL. */
static char *
qemuHotplugNodeOfFile(json_object *block, const char *path)
{
    size_t n =
        json_object_is_type(block, json_type_array) ? json_object_array_length(block) : 0;

    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(block, i);
        json_object *ins = NULL, *file = NULL, *nn = NULL;

        if (json_object_object_get_ex(e, "inserted", &ins) &&
            json_object_object_get_ex(ins, "file", &file) &&
            g_strcmp0(json_object_get_string(file), path) == 0 &&
            json_object_object_get_ex(ins, "node-name", &nn))
            return g_strdup(json_object_get_string(nn));
    }
    return NULL;
}

int
qemuDomainBlockResize(virDomainPtr dom, const char *path, unsigned long long size,
                      unsigned int flags)
{
    virDomainObj *obj;
    virDomainDiskDef *disk;
    g_autoptr(json_object) block = NULL;
    g_autoptr(json_object) args = NULL;
    g_autofree char *node = NULL;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_BLOCK_RESIZE_BYTES, -1);
    /* libvirt's units are KiB; QEMU's bytes */
    if (!(flags & VIR_DOMAIN_BLOCK_RESIZE_BYTES)) {
        if (size > G_MAXUINT64 / 1024) {
            virReportError(VIR_ERR_OVERFLOW, "size must be less than %llu",
                           (unsigned long long)(G_MAXUINT64 / 1024));
            return -1;
        }
        size *= 1024;
    }
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) < 0)
        goto endjob;
    if (!(disk = qemuHotplugFindDisk(obj->def, path, NULL))) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "disk '%s' was not found in the domain config", path);
        goto endjob;
    }
    /* qcow2 is sized in 512-byte sectors: round up as libvirt does */
    if (disk->format == VIR_STORAGE_FORMAT_QCOW2)
        size = (size + 511) / 512 * 512;
    if (!disk->src || disk->readonly || disk->device == VIR_DOMAIN_DISK_DEVICE_CDROM) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                       "can't resize empty or readonly disk '%s'", disk->dst);
        goto endjob;
    }
    if (qemuHotplugMonitor(obj, "query-block", NULL, &block) < 0)
        goto endjob;
    if (!(node = qemuHotplugNodeOfFile(block, disk->src))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot find the block node of disk '%s'",
                       disk->dst);
        goto endjob;
    }
    args = json_object_new_object();
    json_object_object_add(args, "node-name", json_object_new_string(node));
    json_object_object_add(args, "size", json_object_new_int64((int64_t)size));
    if (qemuHotplugMonitor(obj, "block_resize", args, NULL) < 0)
        goto endjob;
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- devices: interfaces; disks (virtio-blk) are qemu_hotplug_disk.c's ----- */

static void
qemuHotplugAppendNet(virDomainDef *def, virDomainNetDef *net)
{
    def->nets = g_renew(virDomainNetDef *, def->nets, def->nnets + 1);
    def->nets[def->nnets++] = net;
}

/* True when the root element of @xml carries attribute @attr. */
static bool
qemuHotplugRootHasAttr(const char *xml, const char *attr)
{
    const char *p = xml;
    g_autofree char *tag = NULL;
    g_autofree char *needle = g_strdup_printf("%s=", attr);
    const char *end;

    while ((p = strchr(p, '<')) && (p[1] == '?' || p[1] == '!')) {
        if (!(end = strstr(p, p[1] == '?' ? "?>" : "-->")))
            return false;
        p = end + 2;
    }
    if (!p || !(end = strchr(p, '>')))
        return false;
    tag = g_strndup(p, end - p);
    for (const char *q = strstr(tag, needle); q; q = strstr(q + 1, needle)) {
        if (g_ascii_isspace(q[-1]))
            return true;
    }
    return false;
}

/* libvirt's virDomainControllerInsert into @def (owned by it then): after
 * the last controller of its type with a lower index. */
void
qemuHotplugInsertController(virDomainDef *def, virDomainControllerDef *ctrl)
{
    size_t at = def->ncontrollers;
    bool sameType = false;

    for (size_t i = def->ncontrollers; i > 0; i--) {
        virDomainControllerDef *c = def->controllers[i - 1];

        if (c->type != ctrl->type)
            continue;
        if (c->idx > ctrl->idx) {
            at = i - 1;
            sameType = true;
        } else {
            if (!sameType)
                at = i;
            break;
        }
    }
    def->controllers =
        g_renew(virDomainControllerDef *, def->controllers, def->ncontrollers + 2);
    memmove(def->controllers + at + 1, def->controllers + at,
            (def->ncontrollers - at) * sizeof(*def->controllers));
    def->controllers[at] = ctrl;
    def->controllers[++def->ncontrollers] = NULL;
}

/* The controller of @def of @type and index @idx, or -1. */
static ssize_t
qemuHotplugFindController(const virDomainDef *def, int type, int idx)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        if (def->controllers[i]->type == type && def->controllers[i]->idx == idx)
            return (ssize_t)i;
    }
    return -1;
}

/* A controller from @xml (parsed into @mine) for persistent definition
 * @def: the lowest free index of its type when the XML names none;
 * OPERATION_INVALID "controller index='N' already exists" for a taken
 * one. Inserted into @def. */
static int
qemuHotplugAttachControllerConfig(virDomainDef *def, virDomainDef *mine, const char *xml)
{
    virDomainControllerDef *ctrl = mine->controllers[0];

    if (!qemuHotplugRootHasAttr(xml, "index")) {
        ctrl->idx = 0;
        while (qemuHotplugFindController(def, ctrl->type, ctrl->idx) >= 0)
            ctrl->idx++;
    } else if (qemuHotplugFindController(def, ctrl->type, ctrl->idx) >= 0) {
        virReportError(VIR_ERR_OPERATION_INVALID, "controller index='%d' already exists",
                       ctrl->idx);
        return -1;
    }
    mine->controllers[0] = NULL;
    mine->ncontrollers = 0;
    qemuHotplugInsertController(def, ctrl);
    return 0;
}

/* libvirt's alias of a controller (as its live XML names it), or NULL. */
static char *
qemuHotplugControllerAlias(const virDomainControllerDef *c)
{
    switch (c->type) {
    case VIR_DOMAIN_CONTROLLER_TYPE_USB:
        return c->idx ? g_strdup_printf("usb%d", c->idx) : g_strdup("usb");
    case VIR_DOMAIN_CONTROLLER_TYPE_PCI:
        return c->idx ? g_strdup_printf("pci.%d", c->idx) : NULL;
    case VIR_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL:
        return g_strdup_printf("virtio-serial%d", c->idx);
    case VIR_DOMAIN_CONTROLLER_TYPE_SATA:
        return c->idx ? NULL : g_strdup("ide");
    default:
        return NULL;
    }
}

/* libvirt's answer to a live controller attach or detach: only SCSI
 * controllers are hotplugged, and virtkit runs none. */
static int
qemuHotplugRefuseControllerLive(const virDomainControllerDef *c, bool attach)
{
    if (c->type != VIR_DOMAIN_CONTROLLER_TYPE_SCSI) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                       attach ? "'%s' controller cannot be hot plugged."
                              : "'%s' controller cannot be hot unplugged.",
                       virDomainControllerTypeToString(c->type));
        return -1;
    }
    return 0;
}

/* The serial or console of a parsed device XML (@what "serial" or
 * "console"), taken out of @mine, with what the parser does not keep of
 * @xml (the port it gives, a pty's path). */
static virDomainChrDef *
qemuHotplugStealChr(virDomainDef *mine, const char *what, const char *xml)
{
    bool console = strcmp(what, "console") == 0;
    virDomainChrDef **list = console ? mine->consoles : mine->serials;
    size_t *n = console ? &mine->nconsoles : &mine->nserials;
    virDomainChrDef *chr = list[*n - 1];

    list[*n - 1] = NULL;
    (*n)--;
    qemuHotplugChrFromXML(xml, chr);
    return chr;
}

/* The <boot> of the one device of @dev (a parsed attach request), NULL
 * for a device that has none */
static const virDomainDeviceBoot *
qemuHotplugDeviceBoot(const virDomainDef *dev)
{
    if (dev->ndisks == 1)
        return &dev->disks[0]->boot;
    if (dev->nnets == 1)
        return &dev->nets[0]->boot;
    if (dev->nhostdevs == 1)
        return &dev->hostdevs[0]->boot;
    if (dev->nfss == 1)
        return &dev->fss[0]->boot;
    return NULL;
}

int
qemuDomainAttachDeviceFlags(virDomainPtr dom, const char *xml, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    virDomainDef *live;
    virDomainDef *persistent;
    g_autoptr(virDomainDef) devDef = NULL;
    g_autoptr(virDomainDef) newPersistent = NULL;
    const char *what = NULL;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjGetDefs(obj, flags, &live, &persistent) < 0)
        goto endjob;
    if (!(devDef = qemuHotplugParseDevice(xml, live ? "live attach" : "persistent attach",
                                          &what)))
        goto endjob;
    /* libvirt's virDomainDefCompatibleDevice boot rules, the persistent
     * definition's first */
    {
        const virDomainDeviceBoot *boot = qemuHotplugDeviceBoot(devDef);

        if (boot &&
            ((persistent && virDomainDefCheckDeviceBoot(persistent, boot, NULL) < 0) ||
             (live && virDomainDefCheckDeviceBoot(live, boot, NULL) < 0)))
            goto endjob;
    }

    /* the persistent change is made on a copy and written after the live
     * one succeeded */
    if (persistent) {
        /* a device of its own for each definition: the XML parsed again */
        g_autoptr(virDomainDef) mine = NULL;

        if (!(mine = qemuHotplugParseDevice(xml, "persistent attach", &what)))
            goto endjob;
        newPersistent = virDomainDefCopy(persistent);
        if (strcmp(what, "net") == 0) {
            /* one MAC for the definition and the running guest */
            qemuHotplugNetGenerateMAC(devDef->nets[0]);
            memcpy(mine->nets[0]->mac, devDef->nets[0]->mac, sizeof(mine->nets[0]->mac));
            mine->nets[0]->macSet = true;
        }
        if (strcmp(what, "input") == 0) {
            qemuHotplugAppendInput(newPersistent, &mine->inputs[0]);
        } else if (strcmp(what, "channel") == 0) {
            /* libvirt's qemuDomainChrPreInsert: an equal one is refused;
             * the virtio-serial controller the parser gave the device
             * comes along when the definition has none */
            for (size_t i = 0; i < newPersistent->nchannels; i++) {
                const virDomainChannelDef *o = newPersistent->channels[i];
                const virDomainChannelDef *c = mine->channels[0];

                if (o->unixSocket == c->unixSocket && o->spicevmc == c->spicevmc &&
                    o->vdagent == c->vdagent && o->connect == c->connect &&
                    g_strcmp0(o->path, c->path) == 0 &&
                    g_strcmp0(o->targetName, c->targetName) == 0) {
                    virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                                   "chardev already exists");
                    goto endjob;
                }
            }
            if (!qemuHotplugHasVirtioSerial(newPersistent, -1)) {
                for (size_t i = 0; i < mine->ncontrollers; i++) {
                    if (mine->controllers[i]->type ==
                        VIR_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL) {
                        qemuHotplugInsertController(newPersistent, mine->controllers[i]);
                        memmove(mine->controllers + i, mine->controllers + i + 1,
                                (mine->ncontrollers - i) * sizeof(*mine->controllers));
                        mine->ncontrollers--;
                        break;
                    }
                }
            }
            qemuHotplugAppendChannel(newPersistent, mine->channels[0]);
            mine->channels[0] = NULL;
            mine->nchannels = 0;
        } else if (strcmp(what, "serial") == 0 || strcmp(what, "console") == 0) {
            virDomainChrDef *chr = qemuHotplugStealChr(mine, what, xml);

            if (qemuHotplugAttachChrConfig(newPersistent, &chr) < 0) {
                virDomainChrDefFree(chr);
                goto endjob;
            }
            /* a virtio console's virtio-serial controller comes along when
             * the definition has none (libvirt's post-parse adds it) */
            if (strcmp(what, "console") == 0 &&
                !qemuHotplugHasVirtioSerial(newPersistent, -1)) {
                for (size_t i = 0; i < mine->ncontrollers; i++) {
                    if (mine->controllers[i]->type ==
                        VIR_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL) {
                        qemuHotplugInsertController(newPersistent, mine->controllers[i]);
                        memmove(mine->controllers + i, mine->controllers + i + 1,
                                (mine->ncontrollers - i) * sizeof(*mine->controllers));
                        mine->ncontrollers--;
                        break;
                    }
                }
            }
        } else if (strcmp(what, "controller") == 0) {
            if (qemuHotplugAttachControllerConfig(newPersistent, mine, xml) < 0)
                goto endjob;
        } else if (strcmp(what, "watchdog") == 0) {
            /* libvirt 9.0 carries one */
            if (newPersistent->watchdog) {
                virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                               "domain already has a watchdog");
                goto endjob;
            }
            newPersistent->watchdog = g_steal_pointer(&mine->watchdog);
        } else if (strcmp(what, "memory") == 0) {
            if (qemuHotplugAttachMemoryConfig(newPersistent, mine) < 0)
                goto endjob;
        } else if (strcmp(what, "hostdev") == 0) {
            if (qemuHotplugAttachHostdevConfig(newPersistent, mine) < 0)
                goto endjob;
        } else if (strcmp(what, "fs") == 0) {
            if (qemuHotplugFindFS(newPersistent,
                                  &(virDomainFSDef){ .dst = mine->fss[0]->dst }) >= 0) {
                virReportError(VIR_ERR_OPERATION_INVALID, "%s", "Target already exists");
                goto endjob;
            }
            qemuHotplugAppendFS(newPersistent, mine->fss[0]);
            mine->fss[0] = NULL;
            mine->nfss = 0;
        } else if (strcmp(what, "rng") == 0) {
            newPersistent->rngs =
                g_renew(virDomainRNGDef *, newPersistent->rngs, newPersistent->nrngs + 2);
            newPersistent->rngs[newPersistent->nrngs++] = mine->rngs[0];
            newPersistent->rngs[newPersistent->nrngs] = NULL;
            mine->rngs[0] = NULL;
            mine->nrngs = 0;
        } else if (strcmp(what, "disk") == 0) {
            if (qemuHotplugFindDisk(newPersistent, mine->disks[0]->dst, NULL)) {
                virReportError(VIR_ERR_OPERATION_INVALID, "target %s already exists",
                               mine->disks[0]->dst);
                goto endjob;
            }
            qemuHotplugAppendDisk(newPersistent, qemuHotplugStealDisk(mine, 0));
        } else {
            qemuHotplugAppendNet(newPersistent, mine->nets[0]);
            mine->nets[0] = NULL;
            mine->nnets = 0;
        }
        if (strcmp(what, "memory") != 0 && qemuGluePostParse(driver, newPersistent) < 0)
            goto endjob;
    }
    if (live && strcmp(what, "memory") == 0) {
        if (qemuHotplugAttachMemoryLive(driver, obj, devDef) < 0)
            goto endjob;
    } else if (live && strcmp(what, "hostdev") == 0) {
        if (qemuHotplugAttachHostdevLive(driver, obj, devDef) < 0)
            goto endjob;
    } else if (live && strcmp(what, "controller") == 0) {
        g_autoptr(virDomainDef) check = virDomainDefCopy(live);

        if (qemuHotplugRefuseControllerLive(devDef->controllers[0], true) < 0)
            goto endjob;
        /* a SCSI controller: the driver's rules say what they say of one */
        qemuHotplugInsertController(check, devDef->controllers[0]);
        devDef->controllers[0] = NULL;
        devDef->ncontrollers = 0;
        if (qemuGluePostParse(driver, check) < 0)
            goto endjob;
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "'scsi' controller cannot be hot plugged.");
        goto endjob;
    } else if (live && strcmp(what, "input") == 0) {
        g_autoptr(virDomainDef) check = virDomainDefCopy(live);

        if (qemuHotplugCheckInputLive(&devDef->inputs[0], true) < 0)
            goto endjob;
        /* the driver's rules for the new device, on the whole definition */
        qemuHotplugAppendInput(check, &devDef->inputs[0]);
        if (qemuGluePostParse(driver, check) < 0 ||
            qemuHotplugAttachInputLive(driver, obj, &devDef->inputs[0]) < 0)
            goto endjob;
    } else if (live && strcmp(what, "watchdog") == 0) {
        g_autoptr(virDomainDef) check = virDomainDefCopy(live);
        virDomainWatchdogDef *wd;

        /* the driver's rules for the new device come first, as libvirt */
        virDomainWatchdogDefFree(check->watchdog);
        check->watchdog = virDomainWatchdogDefCopy(devDef->watchdog);
        if (qemuGluePostParse(driver, check) < 0)
            goto endjob;
        wd = g_steal_pointer(&devDef->watchdog);
        if (qemuHotplugAttachWatchdogLive(driver, obj, &wd) < 0) {
            virDomainWatchdogDefFree(wd);
            goto endjob;
        }
    } else if (live && (strcmp(what, "serial") == 0 || strcmp(what, "console") == 0)) {
        virDomainChrDef *chr = qemuHotplugStealChr(devDef, what, xml);

        if (qemuHotplugAttachChrLive(driver, obj, &chr) < 0) {
            virDomainChrDefFree(chr);
            goto endjob;
        }
    } else if (live && strcmp(what, "channel") == 0) {
        virDomainChannelDef *chan = devDef->channels[0];

        devDef->channels[0] = NULL;
        devDef->nchannels = 0;
        if (qemuHotplugAttachChannelLive(driver, obj, &chan) < 0) {
            virDomainChannelDefFree(chan);
            goto endjob;
        }
    } else if (live && strcmp(what, "fs") == 0) {
        g_autoptr(virDomainDef) check = virDomainDefCopy(live);
        virDomainFSDef *fs = devDef->fss[0];

        if (fs->fsdriver != VIR_DOMAIN_FS_DRIVER_VIRTIOFS) {
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                           "only virtiofs filesystems can be hotplugged");
            goto endjob;
        }
        /* the driver's rules for the new share (shared memory), on the
         * whole definition */
        qemuHotplugAppendFS(check, virDomainFSDefCopy(fs));
        if (qemuGluePostParse(driver, check) < 0)
            goto endjob;
        devDef->fss[0] = NULL;
        devDef->nfss = 0;
        if (qemuHotplugAttachFSLive(driver, obj, &fs) < 0) {
            virDomainFSDefFree(fs);
            goto endjob;
        }
    } else if (live && strcmp(what, "rng") == 0) {
        virDomainRNGDef *rng = devDef->rngs[0];

        devDef->rngs[0] = NULL;
        devDef->nrngs = 0;
        if (qemuHotplugAttachRNGLive(driver, obj, &rng) < 0) {
            virDomainRNGDefFree(rng);
            goto endjob;
        }
    } else if (live && strcmp(what, "net") == 0) {
        g_autoptr(virDomainDef) check = virDomainDefCopy(live);
        g_autoptr(virDomainDef) mine = qemuHotplugParseDevice(xml, "live attach", &what);
        virDomainNetDef *net;

        if (!mine || qemuHotplugCheckNet(mine->nets[0]) < 0)
            goto endjob;
        /* the driver's rules for the new device, on the whole definition */
        qemuHotplugAppendNet(check, mine->nets[0]);
        mine->nets[0] = NULL;
        mine->nnets = 0;
        if (qemuGluePostParse(driver, check) < 0)
            goto endjob;
        net = devDef->nets[0];
        devDef->nets[0] = NULL;
        devDef->nnets = 0;
        if (qemuHotplugAttachNetLive(driver, obj, &net) < 0) {
            virDomainNetDefFree(net);
            goto endjob;
        }
    } else if (live) {
        {
            g_autoptr(virDomainDef) check = virDomainDefCopy(live);
            g_autoptr(virDomainDef) mine =
                qemuHotplugParseDevice(xml, "live attach", &what);

            size_t dup;

            if (!mine || qemuHotplugCheckDiskLive(mine->disks[0]) < 0)
                goto endjob;
            /* libvirt's virDomainDefCheckDuplicateDiskInfo, before the rest */
            if (qemuHotplugFindDisk(live, mine->disks[0]->dst, &dup) &&
                g_strcmp0(live->disks[dup]->dst, mine->disks[0]->dst) == 0) {
                virReportError(VIR_ERR_XML_ERROR,
                               "target '%s' duplicated for disk sources '%s' and '%s'",
                               mine->disks[0]->dst,
                               live->disks[dup]->src ? live->disks[dup]->src : "",
                               mine->disks[0]->src ? mine->disks[0]->src : "");
                goto endjob;
            }
            if (qemuDiskBus(mine->disks[0]) == VIR_DOMAIN_DISK_BUS_SCSI &&
                qemuHotplugSCSIAddress(live, mine->disks[0]) < 0)
                goto endjob;
            /* the driver's rules for the new device, on the whole definition */
            qemuHotplugAppendDisk(check, qemuHotplugStealDisk(mine, 0));
            if (qemuGluePostParse(driver, check) < 0)
                goto endjob;
        }
        {
            virDomainDiskDef *disk = qemuHotplugStealDisk(devDef, 0);
            virDomainDiskDef *attached = disk;
            g_autofree char *alias = NULL;

            if (qemuHotplugAttachDiskLive(driver, obj, &disk) < 0) {
                virDomainDiskDefFree(disk);
                goto endjob;
            }
            /* (a SCSI disk's alias follows its drive address and controller) */
            alias = qemuDiskAlias(obj->def, attached);
            virObjectEventStateQueue(
                driver->events,
                virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
                                        VIR_DOMAIN_EVENT_OBJ(obj), alias));
        }
    }
    if (newPersistent && qemuHotplugCommitPersistent(driver, obj, &newPersistent) < 0)
        goto endjob;
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* The disk or interface @devDef names in @def: its index, or -1. */
static ssize_t
qemuHotplugFindInDef(virDomainDef *def, virDomainDef *devDef, const char *what)
{
    if (strcmp(what, "disk") == 0) {
        size_t idx;

        return qemuHotplugFindDisk(def, devDef->disks[0]->dst, &idx) ? (ssize_t)idx : -1;
    }
    for (size_t i = 0; i < def->nnets; i++) {
        if (memcmp(def->nets[i]->mac, devDef->nets[0]->mac, sizeof(def->nets[i]->mac)) ==
            0)
            return (ssize_t)i;
    }
    return -1;
}

static int
qemuHotplugDetach(virDomainPtr dom, virDomainDef *devDef, const char *what,
                  virDomainChrDef *chrMatch, const char *alias, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    virDomainDef *live;
    virDomainDef *persistent;
    g_autoptr(virDomainDef) newPersistent = NULL;
    ssize_t idx;
    int ret = -1;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjGetDefs(obj, flags, &live, &persistent) < 0)
        goto endjob;
    /* libvirt parses the device of a detach against the running guest's
     * definition (else the persistent one): a serial or console without a
     * port gets the one above theirs, for both definitions */
    if (chrMatch)
        qemuHotplugChrAssignPort(obj->def, chrMatch, virDomainObjIsActive(obj));

    if (persistent) {
        newPersistent = virDomainDefCopy(persistent);
        if (devDef && strcmp(what, "net") == 0) {
            if ((idx = qemuHotplugFindNet(newPersistent, devDef->nets[0])) < 0)
                goto endjob;
        } else if (devDef && strcmp(what, "rng") == 0) {
            if ((idx = qemuHotplugFindRNG(newPersistent, devDef->rngs[0], false)) < 0)
                goto endjob;
        } else if (devDef && strcmp(what, "fs") == 0) {
            /* libvirt's virDomainFSIndexByName: the target only */
            if ((idx = qemuHotplugFindFS(
                     newPersistent, &(virDomainFSDef){ .dst = devDef->fss[0]->dst })) <
                0) {
                virReportError(VIR_ERR_DEVICE_MISSING, "%s",
                               "no matching filesystem device was found");
                goto endjob;
            }
        } else if (devDef && strcmp(what, "memory") == 0) {
            if (qemuHotplugDetachMemoryConfig(newPersistent, devDef) < 0)
                goto endjob;
            idx = 0;
        } else if (devDef && strcmp(what, "input") == 0) {
            if ((idx = qemuHotplugFindInput(newPersistent, &devDef->inputs[0])) < 0)
                goto endjob;
        } else if (devDef && strcmp(what, "channel") == 0) {
            if ((idx = qemuHotplugFindChannel(newPersistent, devDef->channels[0])) < 0)
                goto endjob;
        } else if (devDef &&
                   (strcmp(what, "serial") == 0 || strcmp(what, "console") == 0)) {
            if (qemuHotplugDetachChrConfig(newPersistent, chrMatch) < 0)
                goto endjob;
            idx = 0;
        } else if (devDef && strcmp(what, "hostdev") == 0) {
            if ((idx = qemuHotplugFindHostdev(newPersistent, devDef->hostdevs[0])) < 0) {
                virReportError(VIR_ERR_DEVICE_MISSING, "%s",
                               "device not present in domain configuration");
                goto endjob;
            }
        } else if (devDef && strcmp(what, "watchdog") == 0) {
            /* libvirt 9.0 takes the definition's one, whichever it is */
            if (!newPersistent->watchdog) {
                virReportError(VIR_ERR_DEVICE_MISSING, "%s", "domain has no watchdog");
                goto endjob;
            }
            idx = 0;
        } else if (devDef && strcmp(what, "controller") == 0) {
            if ((idx = qemuHotplugFindController(newPersistent,
                                                 devDef->controllers[0]->type,
                                                 devDef->controllers[0]->idx)) < 0) {
                virReportError(VIR_ERR_DEVICE_MISSING, "%s",
                               "device not present in domain configuration");
                goto endjob;
            }
        } else {
            idx = devDef ? qemuHotplugFindInDef(newPersistent, devDef, what) : -1;
        }
        if (idx < 0) {
            if (alias)
                virReportError(VIR_ERR_INTERNAL_ERROR, "no device found with alias %s",
                               alias);
            else if (strcmp(what, "disk") == 0)
                virReportError(VIR_ERR_DEVICE_MISSING, "no target device %s",
                               devDef->disks[0]->dst);
            else
                virReportError(VIR_ERR_DEVICE_MISSING, "%s",
                               "matching network device not found");
            goto endjob;
        }
        if (strcmp(what, "disk") == 0) {
            virDomainDiskDefFree(qemuHotplugStealDisk(newPersistent, (size_t)idx));
        } else if (strcmp(what, "rng") == 0) {
            qemuHotplugRemoveRNG(newPersistent, (size_t)idx);
        } else if (strcmp(what, "fs") == 0) {
            qemuHotplugRemoveFS(newPersistent, (size_t)idx);
        } else if (strcmp(what, "input") == 0) {
            qemuHotplugRemoveInput(newPersistent, (size_t)idx);
        } else if (strcmp(what, "channel") == 0) {
            qemuHotplugRemoveChannel(newPersistent, (size_t)idx);
        } else if (strcmp(what, "serial") == 0 || strcmp(what, "console") == 0 ||
                   strcmp(what, "memory") == 0) {
            /* (removed above) */
        } else if (strcmp(what, "watchdog") == 0) {
            g_clear_pointer(&newPersistent->watchdog, virDomainWatchdogDefFree);
        } else if (strcmp(what, "hostdev") == 0) {
            qemuHotplugRemoveHostdev(newPersistent, (size_t)idx);
        } else if (strcmp(what, "controller") == 0) {
            virDomainControllerDefFree(newPersistent->controllers[idx]);
            memmove(newPersistent->controllers + idx,
                    newPersistent->controllers + idx + 1,
                    (newPersistent->ncontrollers - idx) *
                        sizeof(*newPersistent->controllers));
            newPersistent->ncontrollers--;
        } else {
            virDomainNetDefFree(newPersistent->nets[idx]);
            memmove(newPersistent->nets + idx, newPersistent->nets + idx + 1,
                    (newPersistent->nnets - idx - 1) * sizeof(*newPersistent->nets));
            newPersistent->nnets--;
        }
    }
    if (live) {
        bool isNet = devDef && strcmp(what, "net") == 0;
        bool isRNG = devDef && strcmp(what, "rng") == 0;
        bool isFS = devDef && strcmp(what, "fs") == 0;
        bool isMem = devDef && strcmp(what, "memory") == 0;
        bool isInput = devDef && strcmp(what, "input") == 0;
        bool isChannel = devDef && strcmp(what, "channel") == 0;
        bool isWatchdog = devDef && strcmp(what, "watchdog") == 0;
        bool isChr = chrMatch != NULL;
        bool isConsole = isChr && strcmp(what, "console") == 0;

        if (alias) {
            idx = -1;
            for (size_t i = 0; i < live->ndisks && idx < 0; i++) {
                g_autofree char *a = qemuDiskAlias(live, live->disks[i]);

                if (strcmp(a, alias) == 0)
                    idx = (ssize_t)i;
            }
            if (idx < 0 && (idx = qemuHotplugFindNetAlias(live, alias)) >= 0)
                isNet = true;
            if (idx < 0 && (idx = qemuHotplugFindRNGAlias(live, alias)) >= 0)
                isRNG = true;
            if (idx < 0 && (idx = qemuHotplugFindFSAlias(live, alias)) >= 0)
                isFS = true;
            if (idx < 0 && (idx = qemuHotplugFindMemoryAlias(live, alias)) >= 0)
                isMem = true;
            if (idx < 0 && (idx = qemuHotplugFindInputAlias(live, alias)) >= 0)
                isInput = true;
            if (idx < 0 && (idx = qemuHotplugFindChannelAlias(live, alias)) >= 0)
                isChannel = true;
            if (idx < 0 && (idx = qemuHotplugFindChrAlias(live, alias, &isConsole)) >= 0)
                isChr = true;
            if (idx < 0 && qemuHotplugIsWatchdogAlias(live, alias)) {
                if (qemuHotplugCheckWatchdogDetach(live, NULL) < 0)
                    goto endjob;
                idx = 0;
                isWatchdog = true;
            }
            for (size_t i = 0; idx < 0 && i < live->ncontrollers; i++) {
                g_autofree char *a = qemuHotplugControllerAlias(live->controllers[i]);

                if (a && strcmp(a, alias) == 0) {
                    virReportError(
                        VIR_ERR_OPERATION_UNSUPPORTED,
                        "'%s' controller cannot be hot unplugged.",
                        virDomainControllerTypeToString(live->controllers[i]->type));
                    goto endjob;
                }
            }
            if (idx < 0) {
                virReportError(VIR_ERR_INTERNAL_ERROR, "no device found with alias %s",
                               alias);
                goto endjob;
            }
        } else if (isNet) {
            if ((idx = qemuHotplugFindNet(live, devDef->nets[0])) < 0)
                goto endjob;
        } else if (isRNG) {
            if ((idx = qemuHotplugFindRNG(live, devDef->rngs[0], true)) < 0)
                goto endjob;
        } else if (isFS) {
            if ((idx = qemuHotplugFindFS(live, devDef->fss[0])) < 0) {
                virReportError(VIR_ERR_DEVICE_MISSING, "%s",
                               "matching filesystem not found");
                goto endjob;
            }
        } else if (isMem) {
            if ((idx = qemuHotplugFindMemoryLive(live, devDef->mems[0])) < 0)
                goto endjob;
        } else if (isInput) {
            if ((idx = qemuHotplugFindInput(live, &devDef->inputs[0])) < 0)
                goto endjob;
        } else if (isChannel) {
            if ((idx = qemuHotplugFindChannel(live, devDef->channels[0])) < 0)
                goto endjob;
        } else if (isChr) {
            if ((idx = qemuHotplugFindChr(live, chrMatch, true)) < 0)
                goto endjob;
        } else if (isWatchdog) {
            if (qemuHotplugCheckWatchdogDetach(live, devDef->watchdog) < 0)
                goto endjob;
            idx = 0;
        } else if (devDef && strcmp(what, "hostdev") == 0) {
            qemuHotplugDetachHostdevLive(live, devDef->hostdevs[0]);
            goto endjob;
        } else if (strcmp(what, "controller") == 0) {
            const virDomainControllerDef *c = devDef->controllers[0];

            /* libvirt refuses the type before it looks for the device */
            if (qemuHotplugRefuseControllerLive(c, false) < 0)
                goto endjob;
            if (qemuHotplugFindController(live, c->type, c->idx) < 0) {
                virReportError(VIR_ERR_DEVICE_MISSING, "controller %s:%d not found",
                               virDomainControllerTypeToString(c->type), c->idx);
                goto endjob;
            }
            /* (virtkit runs no SCSI controller: not reached) */
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                           "'%s' controller cannot be hot unplugged.",
                           virDomainControllerTypeToString(c->type));
            goto endjob;
        } else if ((idx = qemuHotplugFindInDef(live, devDef, what)) < 0) {
            virReportError(VIR_ERR_DEVICE_MISSING, "disk %s not found",
                           devDef->disks[0]->dst);
            goto endjob;
        }
        if (isWatchdog ? qemuHotplugDetachWatchdogLive(driver, obj) < 0
            : isChr    ? qemuHotplugDetachChrLive(driver, obj, isConsole, (size_t)idx) < 0
            : isChannel ? qemuHotplugDetachChannelLive(driver, obj, (size_t)idx) < 0
            : isInput   ? qemuHotplugDetachInputLive(driver, obj, (size_t)idx) < 0
            : isRNG     ? qemuHotplugDetachRNGLive(driver, obj, (size_t)idx) < 0
            : isFS      ? qemuHotplugDetachFSLive(driver, obj, (size_t)idx) < 0
            : isMem     ? qemuHotplugDetachMemoryLive(driver, obj, (size_t)idx) < 0
            : isNet     ? qemuHotplugDetachNetLive(driver, obj, (size_t)idx) < 0
                        : qemuHotplugDetachDiskLive(driver, obj, (size_t)idx) < 0)
            goto endjob;
    }
    if (newPersistent && qemuHotplugCommitPersistent(driver, obj, &newPersistent) < 0)
        goto endjob;
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainDetachDeviceFlags(virDomainPtr dom, const char *xml, unsigned int flags)
{
    g_autoptr(virDomainDef) devDef = NULL;
    const char *what = NULL;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (!(devDef = qemuHotplugParseDevice(xml,
                                          (flags & VIR_DOMAIN_AFFECT_CONFIG) &&
                                                  !(flags & VIR_DOMAIN_AFFECT_LIVE)
                                              ? "persistent detach"
                                              : "live detach",
                                          &what)))
        return -1;
    /* a controller named without an index matches none (libvirt's
     * "controller scsi:-1 not found") */
    if (strcmp(what, "controller") == 0 && !qemuHotplugRootHasAttr(xml, "index"))
        devDef->controllers[0]->idx = -1;
    if (strcmp(what, "serial") == 0 || strcmp(what, "console") == 0) {
        virDomainChrDef *chr = qemuHotplugStealChr(devDef, what, xml);
        int ret;

        ret = qemuHotplugDetach(dom, devDef, what, chr, NULL, flags);
        virDomainChrDefFree(chr);
        return ret;
    }
    return qemuHotplugDetach(dom, devDef, what, NULL, NULL, flags);
}

int
qemuDomainDetachDeviceAlias(virDomainPtr dom, const char *alias, unsigned int flags)
{
    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    return qemuHotplugDetach(dom, NULL, "disk", NULL, alias, flags);
}
