/* qemu_command_scsi.c: SCSI controllers and the scsi-hd / scsi-cd devices, and the
 * properties every disk device ends with (block sizes, wwn, rotation rate, vendor,
 * product, geometry, serial, error policies), as libvirt 9.0 gives them to QEMU */

#define G_LOG_DOMAIN "virtkit.qemu.command"

#include <stdlib.h>
#include <string.h>

#include "domain_conf_priv.h"
#include "qemu_command_priv.h"
#include "qemu_domain_address.h"
#include "qemu_monitor.h"

const virDomainControllerDef *
qemuSCSIController(const virDomainDef *def, unsigned int idx)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const virDomainControllerDef *c = def->controllers[i];

        if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_SCSI && c->idx == (int)idx)
            return c;
    }
    return NULL;
}

const char *
qemuSCSIControllerDevice(const char *model)
{
    static const char *const map[][2] = {
        { "virtio-scsi", "virtio-scsi-pci" },
        { "virtio-transitional", "virtio-scsi-pci-transitional" },
        { "virtio-non-transitional", "virtio-scsi-pci-non-transitional" },
        { "lsilogic", "lsi" },
        { "lsisas1068", "mptsas1068" },
        { "lsisas1078", "megasas" },
        { "vmpvscsi", "pvscsi" },
        { "am53c974", "am53c974" },
    };

    for (size_t i = 0; model && i < G_N_ELEMENTS(map); i++) {
        if (g_str_equal(map[i][0], model))
            return map[i][1];
    }
    return NULL;
}

/* QEMU's name of the first PCI bus level of @addr ("pci.0", "pcie.0"):
 * the same as the command line's address properties */
static void
addPCIAddress(json_object *props, const virDomainDef *def,
              const virDomainDeviceAddress *addr)
{
    g_autofree char *bus = NULL;
    g_autofree char *slot = NULL;

    if (addr->type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI ||
        virDomainDeviceAddressIsEmptyPCI(addr))
        return;
    bus = qemuDomainPCIBusName(def, addr->bus);
    json_object_object_add(props, "bus", json_object_new_string(bus));
    if (addr->multifunction == 1)
        json_object_object_add(props, "multifunction", json_object_new_boolean(1));
    slot = addr->function ? g_strdup_printf("0x%x.0x%x", addr->slot, addr->function)
                          : g_strdup_printf("0x%x", addr->slot);
    json_object_object_add(props, "addr", json_object_new_string(slot));
}

json_object *
qemuSCSIControllerProps(const virDomainDef *def, const virDomainControllerDef *c)
{
    json_object *props = json_object_new_object();
    g_autofree char *id = g_strdup_printf("scsi%d", c->idx);

    json_object_object_add(props, "driver",
                           json_object_new_string(qemuSCSIControllerDevice(c->model)));
    if (virDomainControllerIsVirtioSCSI(c))
        qemuVirtioOptionsProps(props, &c->virtio);
    /* libvirt's order: iothread, id, num_queues, cmd_per_lun, max_sectors,
     * ioeventfd, then the address */
    if (virDomainControllerIsVirtioSCSI(c) && c->iothread) {
        g_autofree char *t = g_strdup_printf("iothread%u", c->iothread);

        json_object_object_add(props, "iothread", json_object_new_string(t));
    }
    json_object_object_add(props, "id", json_object_new_string(id));
    if (c->queues)
        json_object_object_add(props, "num_queues", json_object_new_int64(c->queues));
    if (c->cmdPerLun)
        json_object_object_add(props, "cmd_per_lun", json_object_new_int64(c->cmdPerLun));
    if (c->maxSectors)
        json_object_object_add(props, "max_sectors",
                               json_object_new_int64(c->maxSectors));
    if (c->ioeventfd)
        json_object_object_add(
            props, "ioeventfd",
            json_object_new_boolean(c->ioeventfd == VIR_DOMAIN_TRISTATE_ON));
    addPCIAddress(props, def, &c->addr);
    return props;
}

char *
qemuDevicePropsKeyval(json_object *props)
{
    g_autoptr(GString) s = g_string_new(NULL);
    json_object *drv = NULL;

    if (json_object_object_get_ex(props, "driver", &drv))
        g_string_append(s, json_object_get_string(drv));
    json_object_object_foreach(props, key, val)
    {
        if (g_str_equal(key, "driver"))
            continue;
        if (s->len)
            g_string_append_c(s, ',');
        g_string_append_printf(s, "%s=", key);
        switch (json_object_get_type(val)) {
        case json_type_boolean:
            g_string_append(s, json_object_get_boolean(val) ? "on" : "off");
            break;
        case json_type_string: {
            g_autofree char *esc = qemuEscapeComma(json_object_get_string(val));

            g_string_append(s, esc);
            break;
        }
        default:
            g_string_append(s, json_object_to_json_string(val));
            break;
        }
    }
    return g_strdup(s->str);
}

void
qemuBuildSCSIControllers(GPtrArray *a, const virDomainDef *def)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const virDomainControllerDef *c = def->controllers[i];
        g_autoptr(json_object) props = NULL;

        if (c->type != VIR_DOMAIN_CONTROLLER_TYPE_SCSI ||
            !qemuSCSIControllerDevice(c->model))
            continue;
        props = qemuSCSIControllerProps(def, c);
        add(a, "-device");
        g_ptr_array_add(a, qemuDevicePropsKeyval(props));
    }
}

char *
qemuSCSIDiskAlias(const virDomainDef *def, const virDomainDiskDef *disk)
{
    const virDomainDeviceAddress *ad = &disk->addr;
    const virDomainControllerDef *c = qemuSCSIController(def, ad->controller);

    if (c && g_strcmp0(c->model, "lsilogic") == 0)
        return g_strdup_printf("scsi%u-%u-%u", ad->controller, ad->bus, ad->unit);
    return g_strdup_printf("scsi%u-%u-%u-%u", ad->controller, ad->bus, ad->target,
                           ad->unit);
}

/* libvirt's qemuBuildDiskGetErrorPolicy: "enospace" is QEMU's "enospc"
 * and never a read policy; a read policy not given follows the write one */
static void
qemuDiskErrorPolicyProps(json_object *props, const virDomainDiskDef *disk)
{
    const char *w =
        disk->errorPolicy ? virDomainDiskErrorPolicyNames[disk->errorPolicy] : NULL;
    const char *r =
        disk->rerrorPolicy ? virDomainDiskErrorPolicyNames[disk->rerrorPolicy] : NULL;

    if (disk->errorPolicy == VIR_DOMAIN_DISK_ERROR_POLICY_ENOSPACE)
        w = "enospc";
    else if (!r)
        r = w;
    if (w)
        json_object_object_add(props, "werror", json_object_new_string(w));
    if (r)
        json_object_object_add(props, "rerror", json_object_new_string(r));
}

void
qemuDiskIdentityProps(json_object *props, const virDomainDiskDef *disk, int writeCache)
{
    if (disk->logicalBlockSize)
        json_object_object_add(props, "logical_block_size",
                               json_object_new_int64(disk->logicalBlockSize));
    if (disk->physicalBlockSize)
        json_object_object_add(props, "physical_block_size",
                               json_object_new_int64(disk->physicalBlockSize));
    if (disk->wwn) {
        guint64 w = g_ascii_strtoull(disk->wwn, NULL, 16);

        json_object_object_add(props, "wwn", json_object_new_uint64(w));
    }
    if (disk->rotationRate)
        json_object_object_add(props, "rotation_rate",
                               json_object_new_int64(disk->rotationRate));
    if (disk->vendor)
        json_object_object_add(props, "vendor", json_object_new_string(disk->vendor));
    if (disk->product)
        json_object_object_add(props, "product", json_object_new_string(disk->product));
    if (writeCache)
        json_object_object_add(props, "write-cache",
                               json_object_new_string(writeCache > 0 ? "on" : "off"));
    /* each count given (libvirt writes only a whole <geometry> back) */
    if (disk->geomCyls)
        json_object_object_add(props, "cyls", json_object_new_int64(disk->geomCyls));
    if (disk->geomHeads)
        json_object_object_add(props, "heads", json_object_new_int64(disk->geomHeads));
    if (disk->geomSecs)
        json_object_object_add(props, "secs", json_object_new_int64(disk->geomSecs));
    if (disk->geomTrans)
        json_object_object_add(
            props, "bios-chs-trans",
            json_object_new_string(virDomainDiskGeometryTransNames[disk->geomTrans]));
    if (disk->serial) {
        /* libvirt escapes a serial's blanks with a backslash */
        g_autoptr(GString) s = g_string_new(NULL);

        for (const char *p = disk->serial; *p; p++) {
            if (*p == ' ')
                g_string_append_c(s, '\\');
            g_string_append_c(s, *p);
        }
        json_object_object_add(props, "serial", json_object_new_string(s->str));
    }
    qemuDiskErrorPolicyProps(props, disk);
}

json_object *
qemuSCSIDiskProps(const virDomainDef *def, const virDomainDiskDef *disk,
                  const char *drive, int writeCache)
{
    const virDomainDeviceAddress *ad = &disk->addr;
    const virDomainControllerDef *c = qemuSCSIController(def, ad->controller);
    json_object *props = json_object_new_object();
    g_autofree char *alias = qemuSCSIDiskAlias(def, disk);
    g_autofree char *bus = NULL;
    g_autofree char *deviceId = NULL;
    bool lsiStyle =
        c && (g_str_equal(c->model, "lsilogic") || g_str_equal(c->model, "am53c974"));

    json_object_object_add(
        props, "driver",
        json_object_new_string(disk->device == VIR_DOMAIN_DISK_DEVICE_CDROM ? "scsi-cd"
                                                                            : "scsi-hd"));
    if (lsiStyle) {
        bus = g_strdup_printf("scsi%u.%u", ad->controller, ad->bus);
        json_object_object_add(props, "bus", json_object_new_string(bus));
        json_object_object_add(props, "scsi-id", json_object_new_int64(ad->unit));
    } else {
        bus = g_strdup_printf("scsi%u.0", ad->controller);
        json_object_object_add(props, "bus", json_object_new_string(bus));
        json_object_object_add(props, "channel", json_object_new_int64(ad->bus));
        json_object_object_add(props, "scsi-id", json_object_new_int64(ad->target));
        json_object_object_add(props, "lun", json_object_new_int64(ad->unit));
    }
    /* the Vital Product Data device id QEMU used to take from -drive:
     * the serial, else the old drive's name */
    deviceId = disk->serial ? g_strdup(disk->serial) : g_strdup_printf("drive-%s", alias);
    json_object_object_add(props, "device_id", json_object_new_string(deviceId));
    if (disk->shareable)
        json_object_object_add(props, "share-rw", json_object_new_boolean(1));
    if (drive)
        json_object_object_add(props, "drive", json_object_new_string(drive));
    json_object_object_add(props, "id", json_object_new_string(alias));
    qemuDiskBootIndexProp(props, disk);
    qemuDiskIdentityProps(props, disk, writeCache);
    return props;
}
