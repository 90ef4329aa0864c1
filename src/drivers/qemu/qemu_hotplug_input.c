/* qemu_hotplug_input.c: input devices (virtio and USB) plugged into and out of a running guest */

/*
 * Threads: called from the entry points of qemu_hotplug.c with the domain
 * locked and its MODIFY job held; QMP is waited for with the object
 * unlocked (qemuHotplugMonitor), the job keeping the monitor valid. The
 * device-removal wait is qemuHotplugDeviceDel's.
 */

#define G_LOG_DOMAIN "virtkit.qemu.hotpluginput"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "domain_event.h"
#include "qemu_command.h"
#include "qemu_domain_address.h"
#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_monitor.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* QEMU's device for an input of @type on USB / virtio (virDomainInputType) */
static const char *const qemuInputUSBDev[] = { "usb-mouse", "usb-tablet", "usb-kbd" };

void
qemuHotplugAssignInputAliases(virDomainDef *def)
{
    for (size_t i = 0; i < def->ninputs; i++)
        g_snprintf(def->inputs[i].alias, sizeof(def->inputs[i].alias), "input%zu", i);
}

static void
qemuHotplugInputAlias(const virDomainDef *def, size_t idx, char *buf, size_t len)
{
    if (def->inputs[idx].alias[0])
        g_strlcpy(buf, def->inputs[idx].alias, len);
    else
        g_snprintf(buf, len, "input%zu", idx);
}

ssize_t
qemuHotplugFindInputAlias(const virDomainDef *def, const char *alias)
{
    for (size_t i = 0; i < def->ninputs; i++) {
        char a[16];

        qemuHotplugInputAlias(def, i, a, sizeof(a));
        if (strcmp(a, alias) == 0)
            return (ssize_t)i;
    }
    return -1;
}

static bool
qemuHotplugAddrEqual(const virDomainDeviceAddress *a, const virDomainDeviceAddress *b)
{
    if (a->type != b->type)
        return false;
    if (a->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI)
        return a->domain == b->domain && a->bus == b->bus && a->slot == b->slot &&
               a->function == b->function;
    if (a->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB)
        return a->bus == b->bus &&
               memcmp(a->usbPort, b->usbPort, sizeof(a->usbPort)) == 0;
    return true;
}

ssize_t
qemuHotplugFindInput(const virDomainDef *def, const virDomainInputDef *match)
{
    /* libvirt's virDomainInputDefFind: type, bus, and the address if given */
    for (size_t i = 0; i < def->ninputs; i++) {
        const virDomainInputDef *in = &def->inputs[i];

        if (in->type != match->type || in->bus != match->bus)
            continue;
        if (match->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE &&
            !qemuHotplugAddrEqual(&in->addr, &match->addr))
            continue;
        return (ssize_t)i;
    }
    virReportError(VIR_ERR_DEVICE_MISSING, "%s", "matching input device not found");
    return -1;
}

void
qemuHotplugRemoveInput(virDomainDef *def, size_t idx)
{
    virDomainInputDefClear(&def->inputs[idx]);
    memmove(def->inputs + idx, def->inputs + idx + 1,
            (def->ninputs - idx - 1) * sizeof(*def->inputs));
    def->ninputs--;
}

void
qemuHotplugAppendInput(virDomainDef *def, const virDomainInputDef *in)
{
    def->inputs = g_renew(virDomainInputDef, def->inputs, def->ninputs + 1);
    virDomainInputDefCopyInto(&def->inputs[def->ninputs++], in);
}

/* The lowest USB port of controller 0 no input of @def uses (ports from 1). */
static unsigned int
qemuHotplugFreeUSBPort(const virDomainDef *def)
{
    unsigned int port = 1;

    for (bool used = true; used;) {
        used = false;
        for (size_t i = 0; i < def->ninputs; i++) {
            const virDomainDeviceAddress *a = &def->inputs[i].addr;

            if (a->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB && a->bus == 0 &&
                a->usbPort[0] == port && a->usbPort[1] == 0) {
                used = true;
                port++;
                break;
            }
        }
    }
    return port;
}

int
qemuHotplugCheckInputLive(const virDomainInputDef *in, bool attach)
{
    if (in->bus == VIR_DOMAIN_INPUT_BUS_PS2 ||
        (attach && in->bus == VIR_DOMAIN_INPUT_BUS_NONE)) {
        if (attach)
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                           "input device on bus '%s' cannot be hot plugged.",
                           virDomainInputBusToString(in->bus));
        else
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                           "input device on bus 'ps2' cannot be detached");
        return -1;
    }
    return 0;
}

/* libvirt's qemuSetupInputCgroup: the evdev must be there (stat) */
static int
qemuHotplugCheckInputPath(const virDomainInputDef *in)
{
    struct stat sb;

    if (in->type != VIR_DOMAIN_INPUT_TYPE_PASSTHROUGH &&
        in->type != VIR_DOMAIN_INPUT_TYPE_EVDEV)
        return 0;
    if (!in->evdev) {
        /* libvirt stat()s NULL and says so */
        virReportSystemErrorFull(VIR_FROM_CGROUP, EFAULT, __func__,
                                 "Path '%s' is not accessible", "(null)");
        return -1;
    }
    if (stat(in->evdev, &sb) < 0) {
        virReportSystemErrorFull(VIR_FROM_CGROUP, errno, __func__,
                                 "Path '%s' is not accessible", in->evdev);
        return -1;
    }
    return 0;
}

int
qemuHotplugCheckInputSources(const virDomainDef *def)
{
    /* libvirt builds the command line (where an evdev object without its
     * path fails) before it sets up the cgroup (where paths are checked) */
    for (size_t i = 0; i < def->ninputs; i++) {
        const virDomainInputDef *in = &def->inputs[i];

        if (in->type == VIR_DOMAIN_INPUT_TYPE_EVDEV && !in->evdev) {
            virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __func__,
                               "argument key 'evdev' must not have null value");
            return -1;
        }
    }
    for (size_t i = 0; i < def->ninputs; i++) {
        if (qemuHotplugCheckInputPath(&def->inputs[i]) < 0)
            return -1;
    }
    return 0;
}

int
qemuHotplugAttachInputLive(qemuDriver *driver, virDomainObj *obj, virDomainInputDef *in)
{
    g_autoptr(json_object) dev = json_object_new_object();
    virDomainDeviceAddress addr = { 0 };
    char alias[16];
    int next = 0;

    if (qemuHotplugCheckInputLive(in, true) < 0)
        return -1;
    /* libvirt's alias: inputN, one above the highest */
    for (size_t i = 0; i < obj->def->ninputs; i++) {
        char a[16];
        int n;

        qemuHotplugInputAlias(obj->def, i, a, sizeof(a));
        if (sscanf(a, "input%d", &n) == 1 && n >= next)
            next = n + 1;
    }
    g_snprintf(alias, sizeof(alias), "input%d", next);

    if (in->bus == VIR_DOMAIN_INPUT_BUS_USB) {
        g_autofree char *port = NULL;

        if (in->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB && in->addr.usbPort[0]) {
            addr = in->addr;
        } else if (!qemuDomainUSBFreePort(obj->def, &addr)) {
            /* controller ports not known: the lowest no input uses */
            addr.type = VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB;
            addr.usbPort[0] = qemuHotplugFreeUSBPort(obj->def);
        }
        {
            g_autoptr(GString) p = g_string_new(NULL);

            for (int i = 0; i < VIR_DOMAIN_USB_PORT_LEVELS && addr.usbPort[i]; i++)
                g_string_append_printf(p, "%s%u", i ? "." : "", addr.usbPort[i]);
            port = g_string_free(g_steal_pointer(&p), FALSE);
        }
        json_object_object_add(dev, "driver",
                               json_object_new_string(qemuInputUSBDev[in->type]));
        json_object_object_add(dev, "id", json_object_new_string(alias));
        json_object_object_add(dev, "bus", json_object_new_string("usb.0"));
        json_object_object_add(dev, "port", json_object_new_string(port));
    } else {
        const char *model = qemuInputVirtioDevice(in);
        g_autoptr(qemuPCIAddressSet) set = NULL;
        g_autofree char *bus = NULL;
        g_autofree char *slot = NULL;

        if (!(set = qemuPCIAddressSetNew(obj->def, obj->def->os.machine)))
            return -1;
        if (in->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI &&
            !virDomainDeviceAddressIsEmptyPCI(&in->addr)) {
            if (qemuPCIAddressReserveLive(
                    set, &in->addr, qemuDomainPCIDeviceConnectFlags(obj->def, model)) < 0)
                return -1;
            addr = in->addr;
        } else if (qemuPCIAddressReserveNext(
                       set, qemuDomainPCIDeviceConnectFlags(obj->def, model), &addr) <
                   0) {
            return -1;
        }
        bus = qemuDomainPCIBusName(obj->def, addr.bus);
        slot = g_strdup_printf("0x%x", addr.slot);
        json_object_object_add(dev, "driver", json_object_new_string(model));
        qemuVirtioOptionsProps(dev, &in->virtio);
        json_object_object_add(dev, "id", json_object_new_string(alias));
        if (in->type == VIR_DOMAIN_INPUT_TYPE_PASSTHROUGH)
            json_object_object_add(dev, "evdev", json_object_new_string(in->evdev));
        json_object_object_add(dev, "bus", json_object_new_string(bus));
        json_object_object_add(dev, "addr", json_object_new_string(slot));
    }
    if (qemuHotplugCheckInputPath(in) < 0 ||
        qemuHotplugMonitor(obj, "device_add", dev, NULL) < 0)
        return -1;

    in->addr = addr;
    g_strlcpy(in->alias, alias, sizeof(in->alias));
    qemuHotplugAppendInput(obj->def, in);
    qemuDomainSaveStatus(driver, obj);
    virObjectEventStateQueue(driver->events,
                             virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
                                                     VIR_DOMAIN_EVENT_OBJ(obj), alias));
    return 0;
}

void
qemuHotplugRemoveInputLive(qemuDriver *driver, virDomainObj *obj, size_t idx)
{
    char alias[16];

    qemuHotplugInputAlias(obj->def, idx, alias, sizeof(alias));
    qemuHotplugRemoveInput(obj->def, idx);
    /* the device is gone: told before the status reaches the disk, as
     * libvirt (qemuDomainRemove*Device queue it, then save) */
    virObjectEventStateQueue(driver->events,
                             virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
                                                     VIR_DOMAIN_EVENT_OBJ(obj), alias));
    if (virDomainObjIsActive(obj))
        qemuDomainSaveStatus(driver, obj);
}

int
qemuHotplugDetachInputLive(qemuDriver *driver, virDomainObj *obj, size_t idx)
{
    char alias[16];
    int rc;

    if (qemuHotplugCheckInputLive(&obj->def->inputs[idx], false) < 0)
        return -1;
    qemuHotplugInputAlias(obj->def, idx, alias, sizeof(alias));
    if ((rc = qemuHotplugDeviceDel(obj, alias)) < 0)
        return -1;
    if (rc == 1) {
        /* the definition may have changed while QEMU answered */
        ssize_t now = qemuHotplugFindInputAlias(obj->def, alias);

        if (now >= 0)
            qemuHotplugRemoveInputLive(driver, obj, (size_t)now);
    }
    return 0;
}
