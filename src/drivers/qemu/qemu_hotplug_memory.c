/* qemu_hotplug_memory.c: memory devices (dimm, nvdimm, virtio-pmem, virtio-mem) plugged into and out of a guest and its definition */

/*
 * Threads: called from the entry points of qemu_hotplug.c with the domain
 * locked and its MODIFY job held; QMP is waited for with the object
 * unlocked (qemuHotplugMonitor). The device-removal wait is
 * qemuHotplugDeviceDel's; a removal that completes later comes through
 * qemu_hotplug_removal.c, also under a job.
 */

#define G_LOG_DOMAIN "virtkit.qemu.hotplugmem"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "domain_event.h"
#include "qemu_capabilities_glue.h"
#include "qemu_command_memory.h"
#include "qemu_domain_address.h"
#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_monitor.h"
#include "qemu_validate.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* libvirt's qemuDomainMemoryDeviceAlignSize on x86: 1 MiB */
static void
qemuHotplugMemoryAlign(virDomainMemoryDef *mem)
{
    mem->size = (mem->size + 1023) / 1024 * 1024;
}

static bool
qemuHotplugMemoryIsVirtio(const virDomainMemoryDef *mem)
{
    return mem->model == VIR_DOMAIN_MEMORY_MODEL_VIRTIO_PMEM ||
           mem->model == VIR_DOMAIN_MEMORY_MODEL_VIRTIO_MEM;
}

/* libvirt's virDomainMemoryFindByDefInternal: the address and alias when
 * @match gives them (@anyAddr: or any device without an address), then
 * the target, then the source the model has */
static ssize_t
qemuHotplugFindMemoryIn(const virDomainDef *def, const virDomainMemoryDef *match,
                        bool anyAddr)
{
    bool pci = match->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI &&
               !virDomainDeviceAddressIsEmptyPCI(&match->addr);

    for (size_t i = 0; i < def->nmems; i++) {
        const virDomainMemoryDef *m = def->mems[i];

        if (anyAddr) {
            if (m->dimmAddr || m->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE)
                continue;
        } else {
            if (match->dimmAddr && (!m->dimmAddr || m->dimmSlot != match->dimmSlot ||
                                    m->dimmBase != match->dimmBase))
                continue;
            if (pci &&
                (m->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI ||
                 m->addr.domain != match->addr.domain || m->addr.bus != match->addr.bus ||
                 m->addr.slot != match->addr.slot ||
                 m->addr.function != match->addr.function))
                continue;
        }
        if (match->alias && g_strcmp0(m->alias, match->alias) != 0)
            continue;
        if (m->model != match->model || m->targetNode != match->targetNode ||
            m->size != match->size || m->blocksize != match->blocksize ||
            m->requestedsize != match->requestedsize)
            continue;
        switch (match->model) {
        case VIR_DOMAIN_MEMORY_MODEL_DIMM:
        case VIR_DOMAIN_MEMORY_MODEL_VIRTIO_MEM:
            if (m->pagesize != match->pagesize ||
                g_strcmp0(m->sourceNodes, match->sourceNodes) != 0)
                continue;
            break;
        default:
            if (g_strcmp0(m->path, match->path) != 0)
                continue;
            break;
        }
        return (ssize_t)i;
    }
    return -1;
}

ssize_t
qemuHotplugFindMemoryAlias(const virDomainDef *def, const char *alias)
{
    for (size_t i = 0; i < def->nmems; i++) {
        if (g_strcmp0(def->mems[i]->alias, alias) == 0)
            return (ssize_t)i;
    }
    return -1;
}

/* Out of @def: the total (<memory>) and, as libvirt, the balloon target
 * follow */
static void
qemuHotplugMemoryRemove(virDomainDef *def, size_t idx)
{
    virDomainMemoryDef *mem = def->mems[idx];

    def->memory -= mem->size;
    def->currentMemory -= mem->size;
    memmove(def->mems + idx, def->mems + idx + 1,
            (def->nmems - idx - 1) * sizeof(*def->mems));
    def->nmems--;
    virDomainMemoryDefFree(mem);
}

static void
qemuHotplugMemoryInsert(virDomainDef *def, virDomainMemoryDef *mem)
{
    def->mems = g_renew(virDomainMemoryDef *, def->mems, def->nmems + 1);
    def->mems[def->nmems++] = mem;
    def->memory += mem->size;
    def->currentMemory += mem->size;
}

/* The checks libvirt makes of a <memory> to attach before the driver's:
 * the device against the guest's definition (virDomainMemoryDefValidate),
 * then virDomainDefCompatibleDevice's maxMemory rules */
static int
qemuHotplugMemoryCompatible(const virDomainDef *def, const virDomainMemoryDef *mem)
{
    if (virDomainMemoryDefValidate(mem, def) < 0)
        return -1;
    if (!def->maxMemory && !def->memorySlots) {
        /* (domain_conf.c's errors: VIR_FROM_DOMAIN) */
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, __func__, "%s",
                           "cannot use/hotplug a memory device when domain 'maxMemory' "
                           "is not defined");
        return -1;
    }
    if (def->memory + mem->size > def->maxMemory) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, __func__,
                           "Attaching memory device with size '%llu' would exceed "
                           "domain's maxMemory config size '%llu'",
                           mem->size, def->maxMemory);
        return -1;
    }
    return 0;
}

int
qemuHotplugAttachMemoryConfig(virDomainDef *def, virDomainDef *devDef)
{
    if (qemuHotplugMemoryCompatible(def, devDef->mems[0]) < 0)
        return -1;
    /* libvirt's qemuDomainAttachDeviceConfig: the slots counted, then the
     * device in with its size; the rest is post-parse (a dimm slot, a PCI
     * address), not validation: start checks the hotplug space */
    if (def->nmems == def->memorySlots) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "no free memory device slot available");
        return -1;
    }
    qemuHotplugMemoryInsert(def, g_steal_pointer(&devDef->mems[0]));
    devDef->nmems = 0;
    return qemuDomainAssignAddresses(def, def->os.machine);
}

int
qemuHotplugDetachMemoryConfig(virDomainDef *def, const virDomainDef *devDef)
{
    ssize_t idx;

    if ((idx = qemuHotplugFindMemoryIn(def, devDef->mems[0], false)) < 0 &&
        (idx = qemuHotplugFindMemoryIn(def, devDef->mems[0], true)) < 0) {
        virReportError(VIR_ERR_DEVICE_MISSING, "%s",
                       "matching memory device was not found");
        return -1;
    }
    qemuHotplugMemoryRemove(def, (size_t)idx);
    return 0;
}

/* "driver,key=value,..." of qemuBuildMemoryDeviceProps as device_add's
 * arguments: numbers where QEMU's properties are numbers */
static json_object *
qemuHotplugMemoryDeviceJSON(const char *dev)
{
    g_auto(GStrv) parts = g_strsplit(dev, ",", -1);
    json_object *args = json_object_new_object();

    json_object_object_add(args, "driver", json_object_new_string(parts[0]));
    for (size_t i = 1; parts[i]; i++) {
        char *eq = strchr(parts[i], '=');
        const char *v;

        if (!eq)
            continue;
        *eq = '\0';
        v = eq + 1;
        if (*v && strspn(v, "0123456789") == strlen(v) && strcmp(parts[i], "id") != 0)
            json_object_object_add(args, parts[i],
                                   json_object_new_int64(g_ascii_strtoll(v, NULL, 10)));
        else if (strcmp(v, "on") == 0 || strcmp(v, "off") == 0)
            /* the switches (prealloc, unarmed) are booleans in QMP */
            json_object_object_add(args, parts[i],
                                   json_object_new_boolean(*(v + 1) == 'n'));
        else
            json_object_object_add(args, parts[i], json_object_new_string(v));
    }
    return args;
}

/* libvirt's alias of a plugged memory device: a dimm's slot, else one
 * above the highest of the model's prefix */
static char *
qemuHotplugMemoryNewAlias(const virDomainDef *def, const virDomainMemoryDef *mem)
{
    g_autofree char *probe = NULL;
    size_t plen;
    int next = 0;

    if (mem->dimmAddr)
        return qemuMemoryDeviceAlias(def, mem);
    /* the prefix: the alias the model's first device would get */
    {
        virDomainMemoryDef tmp = { .model = mem->model };
        virDomainDef empty = { 0 };

        probe = qemuMemoryDeviceAlias(&empty, &tmp);
    }
    plen = strlen(probe) - 1; /* "virtiomem0" -> "virtiomem" */
    for (size_t i = 0; i < def->nmems; i++) {
        const char *a = def->mems[i]->alias;
        int n;

        if (a && strncmp(a, probe, plen) == 0 && sscanf(a + plen, "%d", &n) == 1 &&
            n >= next)
            next = n + 1;
    }
    return g_strdup_printf("%.*s%d", (int)plen, probe, next);
}

int
qemuHotplugAttachMemoryLive(qemuDriver *driver, virDomainObj *obj, virDomainDef *devDef)
{
    virDomainMemoryDef *mem = devDef->mems[0];
    g_autoptr(virDomainDef) check = NULL;
    g_autoptr(qemuPCIAddressSet) set = NULL;
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(json_object) object = NULL;
    g_autoptr(json_object) dev = NULL;
    g_autofree char *objId = NULL;
    virDomainMemoryDef *added;

    if (qemuHotplugMemoryCompatible(obj->def, mem) < 0)
        return -1;
    qemuHotplugMemoryAlign(mem);
    /* libvirt's qemuDomainDefValidateMemoryHotplug for the new device */
    if (qemuValidateMemoryDevice(obj->def, mem) < 0)
        return -1;
    /* the whole definition's rules with the device in (slots, hotplug
     * space, the NUMA node), on a copy; a dimm gets its slot there */
    check = virDomainDefCopy(obj->def);
    if (qemuHotplugMemoryIsVirtio(mem)) {
        unsigned int flags = qemuDomainPCIDeviceConnectFlags(
            obj->def, mem->model == VIR_DOMAIN_MEMORY_MODEL_VIRTIO_MEM
                          ? "virtio-mem-pci"
                          : "virtio-pmem-pci");

        if (!(set = qemuPCIAddressSetNew(obj->def, obj->def->os.machine)))
            return -1;
        if (mem->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI &&
            !virDomainDeviceAddressIsEmptyPCI(&mem->addr)) {
            if (qemuPCIAddressReserveLive(set, &mem->addr, flags) < 0)
                return -1;
        } else if (qemuPCIAddressReserveNext(set, flags, &mem->addr) < 0) {
            return -1;
        }
    }
    qemuHotplugMemoryInsert(check, virDomainMemoryDefCopy(mem));
    if (qemuGluePostParse(driver, check) < 0)
        return -1;
    added = check->mems[check->nmems - 1];
    mem->dimmAddr = added->dimmAddr;
    mem->dimmSlot = added->dimmSlot;
    g_free(mem->alias);
    mem->alias = qemuHotplugMemoryNewAlias(obj->def, mem);
    objId = g_strdup_printf("mem%s", mem->alias);

    if (qemuBuildMemoryDeviceProps(argv, obj->def, mem, NULL, -1) < 0)
        return -1;
    /* "-object" backend, "-device" device (no thread-context at hotplug) */
    if (!(object = json_tokener_parse(argv->pdata[1]))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "cannot build the memory backend");
        return -1;
    }
    dev = qemuHotplugMemoryDeviceJSON(argv->pdata[3]);
    /* in the definition before QEMU has it, as libvirt: the guest may
     * resize a virtio-mem device (MEMORY_DEVICE_SIZE_CHANGE) before
     * device_add's answer is read */
    qemuHotplugMemoryInsert(obj->def, g_steal_pointer(&devDef->mems[0]));
    devDef->nmems = 0;
    if (qemuHotplugMonitor(obj, "object-add", object, NULL) < 0 ||
        qemuHotplugMonitor(obj, "device_add", dev, NULL) < 0) {
        ssize_t idx = qemuHotplugFindMemoryAlias(obj->def, objId + 3);

        if (virDomainObjIsActive(obj))
            qemuHotplugMonitorQuiet(obj, "object-del", objId);
        if (idx >= 0)
            qemuHotplugMemoryRemove(obj->def, (size_t)idx);
        return -1;
    }
    /* best effort, as libvirt: the dimm's base, virtio-mem's <current> */
    {
        g_autoptr(json_object) devices = NULL;

        if (qemuHotplugMonitor(obj, "query-memory-devices", NULL, &devices) == 0)
            qemuHotplugMemoryApplyInfo(obj->def, devices);
        else
            virResetLastError();
    }
    qemuDomainSaveStatus(driver, obj);
    /* libvirt 9.0 names the backend's id in this event */
    virObjectEventStateQueue(driver->events,
                             virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
                                                     VIR_DOMAIN_EVENT_OBJ(obj), objId));
    return 0;
}

void
qemuHotplugMemoryApplyInfo(virDomainDef *def, json_object *devices)
{
    size_t n = devices && json_object_is_type(devices, json_type_array)
                   ? json_object_array_length(devices)
                   : 0;

    for (size_t i = 0; i < n; i++) {
        json_object *data = NULL;
        json_object *v = NULL;
        const char *id;
        ssize_t idx;
        virDomainMemoryDef *mem;

        if (!json_object_object_get_ex(json_object_array_get_idx(devices, i), "data",
                                       &data) ||
            !json_object_object_get_ex(data, "id", &v) ||
            !(id = json_object_get_string(v)) ||
            (idx = qemuHotplugFindMemoryAlias(def, id)) < 0)
            continue;
        mem = def->mems[idx];
        switch (mem->model) {
        case VIR_DOMAIN_MEMORY_MODEL_VIRTIO_MEM:
            if (json_object_object_get_ex(data, "size", &v))
                mem->currentsize =
                    ((unsigned long long)json_object_get_int64(v) + 1023) / 1024;
            break;
        case VIR_DOMAIN_MEMORY_MODEL_DIMM:
        case VIR_DOMAIN_MEMORY_MODEL_NVDIMM:
            mem->dimmAddr = true;
            if (json_object_object_get_ex(data, "slot", &v))
                mem->dimmSlot = (unsigned int)json_object_get_int64(v);
            if (json_object_object_get_ex(data, "addr", &v))
                mem->dimmBase = (unsigned long long)json_object_get_int64(v);
            break;
        default:
            break;
        }
    }
}

ssize_t
qemuHotplugFindMemoryLive(const virDomainDef *def, virDomainMemoryDef *match)
{
    ssize_t idx;

    qemuHotplugMemoryAlign(match);
    if ((idx = qemuHotplugFindMemoryIn(def, match, false)) < 0)
        virReportError(VIR_ERR_DEVICE_MISSING,
                       "model '%s' memory device not present in the domain configuration",
                       virDomainMemoryModelToString(match->model));
    return idx;
}

int
qemuHotplugDetachMemoryLive(qemuDriver *driver, virDomainObj *obj, size_t idx)
{
    g_autofree char *alias = g_strdup(obj->def->mems[idx]->alias);
    int rc;

    if ((rc = qemuHotplugDeviceDel(obj, alias)) < 0)
        return -1;
    if (rc == 1) {
        ssize_t now = qemuHotplugFindMemoryAlias(obj->def, alias);

        if (now >= 0)
            qemuHotplugRemoveMemoryLive(driver, obj, (size_t)now);
    }
    return 0;
}

void
qemuHotplugRemoveMemoryLive(qemuDriver *driver, virDomainObj *obj, size_t idx)
{
    g_autofree char *alias = g_strdup(obj->def->mems[idx]->alias);
    g_autofree char *objId = g_strdup_printf("mem%s", alias);

    if (virDomainObjIsActive(obj))
        qemuHotplugMonitorQuiet(obj, "object-del", objId);
    qemuHotplugMemoryRemove(obj->def, idx);
    virObjectEventStateQueue(driver->events,
                             virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
                                                     VIR_DOMAIN_EVENT_OBJ(obj), alias));
    if (virDomainObjIsActive(obj))
        qemuDomainSaveStatus(driver, obj);
}

/* ---- virDomainUpdateDeviceFlags: a virtio-mem device's requested size -- */

/* libvirt's virDomainMemoryFindByDeviceInfo: the device of @def at
 * @match's address (the same type, the same place) with its alias when
 * @match has one */
static ssize_t
qemuHotplugFindMemoryByInfo(const virDomainDef *def, const virDomainMemoryDef *match)
{
    for (size_t i = 0; i < def->nmems; i++) {
        const virDomainMemoryDef *m = def->mems[i];
        const virDomainDeviceAddress *a = &m->addr;
        const virDomainDeviceAddress *b = &match->addr;

        if (m->dimmAddr != match->dimmAddr)
            continue;
        if (m->dimmAddr) {
            if (m->dimmSlot != match->dimmSlot || m->dimmBase != match->dimmBase)
                continue;
        } else if (a->type != b->type ||
                   (a->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI &&
                    (a->domain != b->domain || a->bus != b->bus || a->slot != b->slot ||
                     a->function != b->function))) {
            continue;
        }
        if (match->alias && g_strcmp0(m->alias, match->alias) != 0)
            continue;
        return (ssize_t)i;
    }
    return -1;
}

/* libvirt's virDomainDefCompatibleDevice for an updated <memory> */
static int
qemuHotplugMemoryUpdateCompatible(const virDomainDef *def)
{
    if (!def->maxMemory && !def->memorySlots) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, __func__, "%s",
                           "cannot use/hotplug a memory device when domain 'maxMemory' "
                           "is not defined");
        return -1;
    }
    return 0;
}

int
qemuHotplugUpdateMemoryConfig(virDomainDef *def, virDomainDef *devDef)
{
    ssize_t idx = qemuHotplugFindMemoryByInfo(def, devDef->mems[0]);

    if (idx < 0) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "memory not found");
        return -1;
    }
    if (qemuHotplugMemoryUpdateCompatible(def) < 0)
        return -1;
    /* as libvirt: the device as given replaces the old one (its fields
     * are not compared, the totals are not touched) */
    virDomainMemoryDefFree(def->mems[idx]);
    def->mems[idx] = g_steal_pointer(&devDef->mems[0]);
    devDef->nmems = 0;
    return 0;
}

/* libvirt's qemuDomainChangeMemoryLiveValidateChange: only a virtio-mem
 * device's requested size may change on a running guest */
static int
qemuHotplugMemoryCheckChange(const virDomainMemoryDef *o, const virDomainMemoryDef *n)
{
    static const char *const discardNames[] = { "absent", "yes", "no" };

#define REFUSE(...)                                              \
    do {                                                         \
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, __VA_ARGS__); \
        return -1;                                               \
    } while (0)

    if (o->model != VIR_DOMAIN_MEMORY_MODEL_VIRTIO_MEM)
        REFUSE("cannot modify memory of model '%s'",
               virDomainMemoryModelToString(o->model));
    if (o->model != n->model)
        REFUSE("cannot modify memory model from '%s' to '%s'",
               virDomainMemoryModelToString(o->model),
               virDomainMemoryModelToString(n->model));
    if (o->access != n->access)
        REFUSE("cannot modify memory access from '%s' to '%s'",
               virDomainMemoryAccessToString(o->access),
               virDomainMemoryAccessToString(n->access));
    if (o->discard != n->discard)
        REFUSE("cannot modify memory discard from '%s' to '%s'", discardNames[o->discard],
               discardNames[n->discard]);
    if (g_strcmp0(o->sourceNodes, n->sourceNodes) != 0)
        REFUSE("%s", "cannot modify memory source nodes");
    if (o->pagesize != n->pagesize)
        REFUSE("cannot modify memory pagesize from '%llu' to '%llu'", o->pagesize,
               n->pagesize);
    if (g_strcmp0(o->path, n->path) != 0)
        REFUSE("cannot modify memory path from '%s' to '%s'",
               o->path ? o->path : "<null>", n->path ? n->path : "<null>");
    if (o->alignsize != n->alignsize)
        REFUSE("cannot modify memory align size from '%llu' to '%llu'", o->alignsize,
               n->alignsize);
    if (o->pmem != n->pmem)
        REFUSE("cannot modify memory pmem from '%d' to '%d'", o->pmem, n->pmem);
    if (o->targetNode != n->targetNode)
        REFUSE("cannot modify memory targetNode from '%d' to '%d'", o->targetNode,
               n->targetNode);
    if (o->size != n->size)
        REFUSE("cannot modify memory size from '%llu' to '%llu'", o->size, n->size);
    if (o->labelsize != n->labelsize)
        REFUSE("cannot modify memory label size from '%llu' to '%llu'", o->labelsize,
               n->labelsize);
    if (o->blocksize != n->blocksize)
        REFUSE("cannot modify memory block size from '%llu' to '%llu'", o->blocksize,
               n->blocksize);
    if (o->readonly != n->readonly)
        REFUSE("%s", "cannot modify memory pmem flag");
    if (o->hasUUID != n->hasUUID)
        REFUSE("%s", "cannot modify memory UUID");
#undef REFUSE
    return 0;
}

int
qemuHotplugUpdateMemoryLive(qemuDriver *driver, virDomainObj *obj,
                            const virDomainMemoryDef *mem)
{
    g_autoptr(json_object) args = NULL;
    g_autofree char *path = NULL;
    ssize_t idx = qemuHotplugFindMemoryByInfo(obj->def, mem);
    const char *alias;

    if (idx < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "memory '%s' not found",
                       mem->alias ? mem->alias : "(null)");
        return -1;
    }
    if (qemuHotplugMemoryUpdateCompatible(obj->def) < 0 ||
        qemuHotplugMemoryCheckChange(obj->def->mems[idx], mem) < 0)
        return -1;
    alias = obj->def->mems[idx]->alias;
    if (!alias) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "memory device has no alias");
        return -1;
    }
    path = g_strdup_printf("/machine/peripheral/%s", alias);
    args = json_object_new_object();
    json_object_object_add(args, "path", json_object_new_string(path));
    json_object_object_add(args, "property", json_object_new_string("requested-size"));
    json_object_object_add(args, "value",
                           json_object_new_uint64((uint64_t)mem->requestedsize * 1024));
    if (qemuHotplugMonitor(obj, "qom-set", args, NULL) < 0)
        return -1;
    /* the object was unlocked: the device is looked for again (a size
     * change event may have come meanwhile; <current> follows those) */
    if ((idx = qemuHotplugFindMemoryAlias(obj->def,
                                          path + strlen("/machine/peripheral/"))) >= 0)
        obj->def->mems[idx]->requestedsize = mem->requestedsize;
    qemuDomainSaveStatus(driver, obj);
    return 0;
}
