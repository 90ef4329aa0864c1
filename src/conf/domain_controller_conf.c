/* domain_controller_conf.c: <controller> elements: parsing, libvirt's
 * insertion order and index assignment, the USB companion rules and the
 * controllers libvirt adds implicitly */

#define G_LOG_DOMAIN "virtkit.conf.device"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

static const char *const controllerTypeNames[VIR_DOMAIN_CONTROLLER_TYPE_LAST] = {
    "ide", "fdc", "scsi", "sata", "virtio-serial", "ccid", "usb", "pci", "xenbus", "isa",
};

/* libvirt 9.0's model names per controller type (NULL: no models). */
static const char *const *
controllerModels(int type)
{
    static const char *const ide[] = { "piix3", "piix4", "ich6", NULL };
    static const char *const scsi[] = {
        "auto",
        "buslogic",
        "lsilogic",
        "lsisas1068",
        "vmpvscsi",
        "ibmvscsi",
        "virtio-scsi",
        "lsisas1078",
        "virtio-transitional",
        "virtio-non-transitional",
        "ncr53c90",
        "am53c974",
        "dc390",
        NULL,
    };
    static const char *const vserial[] = { "virtio", "virtio-transitional",
                                           "virtio-non-transitional", NULL };
    static const char *const usb[] = {
        "piix3-uhci", "piix4-uhci", "ehci",           "ich9-ehci1", "ich9-uhci1",
        "ich9-uhci2", "ich9-uhci3", "vt82c686b-uhci", "pci-ohci",   "nec-xhci",
        "qusb1",      "qusb2",      "qemu-xhci",      "none",       NULL,
    };
    static const char *const pci[] = {
        "pci-root",
        "pcie-root",
        "pci-bridge",
        "dmi-to-pci-bridge",
        "pcie-root-port",
        "pcie-switch-upstream-port",
        "pcie-switch-downstream-port",
        "pci-expander-bus",
        "pcie-expander-bus",
        "pcie-to-pci-bridge",
        NULL,
    };
    static const char *const isa[] = { "isa", NULL };

    switch (type) {
    case VIR_DOMAIN_CONTROLLER_TYPE_IDE:
        return ide;
    case VIR_DOMAIN_CONTROLLER_TYPE_SCSI:
        return scsi;
    case VIR_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL:
        return vserial;
    case VIR_DOMAIN_CONTROLLER_TYPE_USB:
        return usb;
    case VIR_DOMAIN_CONTROLLER_TYPE_PCI:
        return pci;
    case VIR_DOMAIN_CONTROLLER_TYPE_ISA:
        return isa;
    default:
        return NULL;
    }
}

const char *
virDomainControllerTypeToString(int type)
{
    return virDomainEnumToString(controllerTypeNames, VIR_DOMAIN_CONTROLLER_TYPE_LAST,
                                 type);
}

/* A non-negative int attribute as libvirt's virXMLPropInt (-1 when absent). */
int
virDomainXMLPropNonNegInt(xmlNodePtr node, const char *name, int base, int *out)
{
    g_autofree char *str = virDomainXMLProp(node, name);
    char *end = NULL;
    long long val;

    *out = -1;
    if (!str)
        return 0;
    errno = 0;
    val = strtoll(str, &end, base);
    if (!*str || errno || *end || val > G_MAXINT || val < G_MININT) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute '%s' in element '%s': '%s'. "
                           "Expected integer value",
                           name, (const char *)node->name, str);
        return -1;
    }
    if (val < 0) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute '%s' in element '%s': '%s'. "
                           "Expected non-negative value",
                           name, (const char *)node->name, str);
        return -1;
    }
    *out = (int)val;
    return 0;
}

int
virDomainXMLPropUInt(xmlNodePtr node, const char *name, unsigned int *out)
{
    g_autofree char *str = virDomainXMLProp(node, name);
    unsigned long long val;

    if (!str)
        return 0;
    if (strchr(str, '-') || virDomainParseULL(str, &val) < 0 || val > G_MAXUINT) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute '%s' in element '%s': '%s'. "
                           "Expected non-negative integer value",
                           name, (const char *)node->name, str);
        return -1;
    }
    *out = (unsigned int)val;
    return 0;
}

/* true for the virtio models of a SCSI controller */
bool
virDomainControllerIsVirtioSCSI(const virDomainControllerDef *c)
{
    return c->type == VIR_DOMAIN_CONTROLLER_TYPE_SCSI && c->model &&
           (g_str_equal(c->model, "virtio-scsi") ||
            g_str_equal(c->model, "virtio-transitional") ||
            g_str_equal(c->model, "virtio-non-transitional"));
}

virDomainControllerDef *
virDomainControllerDefNew(int type)
{
    virDomainControllerDef *c = g_new0(virDomainControllerDef, 1);

    c->type = type;
    c->idx = -1;
    c->ports = c->targetChassis = c->targetPort = c->masterStartport = -1;
    c->targetChassisNr = c->targetBusNr = c->targetIndex = c->targetNode = -1;
    return c;
}

/* libvirt's PCI controller model names (<model name>), "none" first. */
static const char *const pciModelNames[] = {
    "none",
    "pci-bridge",
    "i82801b11-bridge",
    "ioh3420",
    "x3130-upstream",
    "xio3130-downstream",
    "pxb",
    "pxb-pcie",
    "pcie-root-port",
    "spapr-pci-host-bridge",
    "pcie-pci-bridge",
    NULL,
};

/* <model name> and the <target> attributes of a PCI controller, in
 * libvirt's order (chassisNr, chassis, port, busNr, hotplug, index). */
static int
parsePCIOptions(virDomainControllerDef *ctrl, xmlNodePtr model, xmlNodePtr target)
{
    g_autofree char *name = model ? virDomainXMLProp(model, "name") : NULL;
    g_autofree char *hotplug = NULL;

    if (name) {
        if (!virDomainStrInList(pciModelNames, name)) {
            virDomainXMLReportInvalidAttr("name", model, name);
            return -1;
        }
        if (!g_str_equal(name, "none"))
            ctrl->modelName = g_steal_pointer(&name);
    }
    if (!target)
        return 0;
    if (virDomainXMLPropNonNegInt(target, "chassisNr", 0, &ctrl->targetChassisNr) < 0 ||
        virDomainXMLPropNonNegInt(target, "chassis", 0, &ctrl->targetChassis) < 0 ||
        virDomainXMLPropNonNegInt(target, "port", 0, &ctrl->targetPort) < 0 ||
        virDomainXMLPropNonNegInt(target, "busNr", 0, &ctrl->targetBusNr) < 0)
        return -1;
    if ((hotplug = virDomainXMLProp(target, "hotplug"))) {
        if (g_str_equal(hotplug, "on")) {
            ctrl->targetHotplug = VIR_DOMAIN_TRISTATE_ON;
        } else if (g_str_equal(hotplug, "off")) {
            ctrl->targetHotplug = VIR_DOMAIN_TRISTATE_OFF;
        } else {
            virDomainXMLReportInvalidAttr("hotplug", target, hotplug);
            return -1;
        }
    }
    return virDomainXMLPropNonNegInt(target, "index", 0, &ctrl->targetIndex);
}

/* <target><node>: checked for every controller, kept for PCI ones (as
 * libvirt); empty is absent. */
/* A PCI root's <pcihole64 unit=...>: libvirt's scaled value (KiB without
 * a unit), kept in KiB rounded up; empty is absent. Other controllers'
 * are not read (libvirt's parser reads it for the roots only). */
static int
parsePCIHole64(virDomainControllerDef *ctrl, xmlNodePtr node)
{
    g_autofree char *text = node ? virDomainXMLNodeTextNonEmpty(node) : NULL;
    g_autofree char *unit = NULL;
    unsigned long long bytes;

    if (!text)
        return 0;
    if (virDomainParseULL(text, &bytes) < 0) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value '%s' for element or attribute '%s'", text,
                           "./pcihole64");
        return -1;
    }
    unit = virDomainXMLProp(node, "unit");
    if (virDomainScaleInteger(&bytes, unit && *unit ? unit : "KiB", G_MAXUINT64 - 1023) <
        0)
        return -1;
    ctrl->pcihole64 = true;
    ctrl->pcihole64Size = (bytes + 1023) / 1024;
    return 0;
}

static int
parseTargetNode(virDomainControllerDef *ctrl, xmlNodePtr target)
{
    xmlNodePtr node = target ? virDomainXMLChild(target, "node") : NULL;
    g_autofree char *text = virDomainXMLNodeTextNonEmpty(node);
    char *end = NULL;
    long long val;

    if (!text)
        return 0;
    errno = 0;
    val = strtoll(text, &end, 10);
    if (errno || end == text || *end || val < 0 || val > G_MAXINT) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "invalid NUMA node in target");
        return -1;
    }
    if (ctrl->type == VIR_DOMAIN_CONTROLLER_TYPE_PCI)
        ctrl->targetNode = (int)val;
    return 0;
}

virDomainControllerDef *
virDomainControllerParseXML(xmlNodePtr node)
{
    g_autoptr(virDomainControllerDef) ctrl = virDomainControllerDefNew(0);
    g_autofree char *type = virDomainXMLProp(node, "type");
    xmlNodePtr model = virDomainXMLChild(node, "model");
    xmlNodePtr target = virDomainXMLChild(node, "target");
    xmlNodePtr driver;

    if (type) {
        ctrl->type = virDomainEnumFromString(controllerTypeNames,
                                             VIR_DOMAIN_CONTROLLER_TYPE_LAST, type);
        if (ctrl->type < 0) {
            virDomainXMLReportInvalidAttr("type", node, type);
            return NULL;
        }
    }
    if (virDomainXMLPropNonNegInt(node, "index", 10, &ctrl->idx) < 0)
        return NULL;
    if ((ctrl->model = virDomainXMLProp(node, "model"))) {
        const char *const *models = controllerModels(ctrl->type);

        if (!models || !virDomainStrInList(models, ctrl->model)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Unknown model type '%s'",
                           ctrl->model);
            return NULL;
        }
    }
    if (virDomainXMLPropNonNegInt(node, "ports", 10, &ctrl->ports) < 0)
        return NULL;
    if (ctrl->type == VIR_DOMAIN_CONTROLLER_TYPE_USB) {
        xmlNodePtr master = virDomainXMLChild(node, "master");
        g_autofree char *sp = master ? virDomainXMLProp(master, "startport") : NULL;
        unsigned long long v;

        /* libvirt's virXMLPropUInt: a USB companion's first port on its
         * EHCI master; an empty <master/> is no master */
        if (sp) {
            if (virDomainParseULL(sp, &v) < 0 || v > G_MAXINT) {
                virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                                   "Invalid value for attribute 'startport' in element "
                                   "'master': '%s'. Expected non-negative integer value",
                                   sp);
                return NULL;
            }
            ctrl->masterStartport = (int)v;
        }
        /* libvirt's parser: an ICH9 companion given no <master> gets its
         * usual first port on the EHCI master (uhci1: 0, uhci2: 2, uhci3: 4) */
        if (!sp && ctrl->model && g_str_has_prefix(ctrl->model, "ich9-uhci") &&
            ctrl->model[9] >= '1' && ctrl->model[9] <= '3' && !ctrl->model[10])
            ctrl->masterStartport = (ctrl->model[9] - '1') * 2;
    }
    if (ctrl->type == VIR_DOMAIN_CONTROLLER_TYPE_PCI &&
        parsePCIOptions(ctrl, model, target) < 0)
        return NULL;
    if (ctrl->type == VIR_DOMAIN_CONTROLLER_TYPE_PCI && ctrl->model &&
        (g_str_equal(ctrl->model, "pci-root") || g_str_equal(ctrl->model, "pcie-root")) &&
        parsePCIHole64(ctrl, virDomainXMLChild(node, "pcihole64")) < 0)
        return NULL;
    if (parseTargetNode(ctrl, target) < 0)
        return NULL;
    if ((driver = virDomainXMLChild(node, "driver"))) {
        g_autofree char *ioeventfd = virDomainXMLProp(driver, "ioeventfd");

        /* libvirt's order: queues, cmd_per_lun, max_sectors, ioeventfd,
         * iothread (virXMLPropUInt: zero is "absent") */
        if (virDomainXMLPropUInt(driver, "queues", &ctrl->queues) < 0 ||
            virDomainXMLPropUInt(driver, "cmd_per_lun", &ctrl->cmdPerLun) < 0 ||
            virDomainXMLPropUInt(driver, "max_sectors", &ctrl->maxSectors) < 0)
            return NULL;
        if (ioeventfd) {
            if (g_str_equal(ioeventfd, "on")) {
                ctrl->ioeventfd = VIR_DOMAIN_TRISTATE_ON;
            } else if (g_str_equal(ioeventfd, "off")) {
                ctrl->ioeventfd = VIR_DOMAIN_TRISTATE_OFF;
            } else {
                virDomainXMLReportInvalidAttr("ioeventfd", driver, ioeventfd);
                return NULL;
            }
        }
        if (virDomainXMLPropUInt(driver, "iothread", &ctrl->iothread) < 0 ||
            virDomainVirtioOptionsParse(driver, &ctrl->virtio) < 0)
            return NULL;
        /* libvirt's post-parse (XML_ERROR) */
        if (ctrl->iothread && !virDomainControllerIsVirtioSCSI(ctrl)) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "'iothread' attribute only supported for virtio scsi "
                           "controllers");
            return NULL;
        }
    }
    if (virDomainDeviceAddressParse(node, &ctrl->addr) < 0)
        return NULL;
    return g_steal_pointer(&ctrl);
}

/*
 * libvirt's virDomainControllerInsertPreAlloced: looking back from the
 * end, a controller goes before every one of its type with a higher index
 * and, a USB master (no <master>), before a companion of its own index;
 * else after the last one of its type; else at the end. A controller
 * without an index goes after the last one of its type.
 */
void
virDomainControllerInsert(GPtrArray *ctrls, virDomainControllerDef *ctrl)
{
    int insertAt = -1;

    for (int i = (int)ctrls->len - 1; i >= 0; i--) {
        virDomainControllerDef *c = g_ptr_array_index(ctrls, i);

        if (c->type != ctrl->type)
            continue;
        if (ctrl->idx == -1) {
            insertAt = i + 1;
            break;
        }
        if (c->idx > ctrl->idx)
            insertAt = i;
        else if (ctrl->masterStartport < 0 && c->masterStartport >= 0 &&
                 c->idx == ctrl->idx)
            insertAt = i;
        else if (insertAt == -1)
            insertAt = i + 1;
    }
    if (insertAt < 0)
        g_ptr_array_add(ctrls, ctrl);
    else
        g_ptr_array_insert(ctrls, insertAt, ctrl);
}

/* libvirt's IS_USB2_CONTROLLER: the ICH9 EHCI and its UHCI companions */
static bool
isUSB2Controller(const virDomainControllerDef *c)
{
    static const char *const models[] = { "ich9-ehci1", "ich9-uhci1", "ich9-uhci2",
                                          "ich9-uhci3", NULL };

    return c->type == VIR_DOMAIN_CONTROLLER_TYPE_USB && c->model &&
           virDomainStrInList(models, c->model);
}

/* Controllers given without an index get the lowest one free for their
 * type, in their order (libvirt's virDomainAssignControllerIndexes); a
 * USB2 controller (ICH9 EHCI or UHCI) right after another USB2 one
 * joins its group (its index) unless the group has its model already. */
void
virDomainControllersAssignIndexes(GPtrArray *ctrls)
{
    for (guint i = 0; i < ctrls->len; i++) {
        virDomainControllerDef *ctrl = g_ptr_array_index(ctrls, i);
        int idx = 0;
        bool used = true;

        if (ctrl->idx >= 0)
            continue;
        if (i > 0 && isUSB2Controller(ctrl)) {
            const virDomainControllerDef *prev = NULL;

            for (guint j = i; j-- > 0 && !prev;) {
                const virDomainControllerDef *c = g_ptr_array_index(ctrls, j);

                if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_USB)
                    prev = c;
            }
            if (prev && !isUSB2Controller(prev))
                prev = NULL;
            for (guint j = 0; prev && j < ctrls->len; j++) {
                const virDomainControllerDef *c = g_ptr_array_index(ctrls, j);

                if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_USB && c->idx == prev->idx &&
                    g_strcmp0(c->model, ctrl->model) == 0)
                    prev = NULL;
            }
            if (prev) {
                ctrl->idx = prev->idx;
                continue;
            }
        }
        while (used) {
            used = false;
            for (guint j = 0; j < ctrls->len; j++) {
                virDomainControllerDef *c = g_ptr_array_index(ctrls, j);

                if (c->type == ctrl->type && c->idx == idx) {
                    used = true;
                    idx++;
                    break;
                }
            }
        }
        ctrl->idx = idx;
    }
    /* Placed again now that every index is known, so that the formatted
     * order is what parsing it gives (a fixed point; libvirt keeps the
     * index-less ones after the others of their type until the next parse). */
    {
        g_autoptr(GPtrArray) sorted = g_ptr_array_new_full(ctrls->len, NULL);

        for (guint i = 0; i < ctrls->len; i++)
            virDomainControllerInsert(sorted, g_ptr_array_index(ctrls, i));
        for (guint i = 0; i < ctrls->len; i++)
            ctrls->pdata[i] = sorted->pdata[i];
    }
}

/* libvirt's virDomainControllerDefValidate for a PCI controller: the
 * ranges of its index and <target> numbers (CONFIG_UNSUPPORTED). */
static int
checkPCIController(const virDomainControllerDef *c)
{
    static const struct {
        size_t offset;
        const char *name;
        int min;
        int max;
    } ranges[] = {
        { G_STRUCT_OFFSET(virDomainControllerDef, targetChassisNr), "chassisNr", 1, 255 },
        { G_STRUCT_OFFSET(virDomainControllerDef, targetChassis), "chassis", 0, 255 },
        { G_STRUCT_OFFSET(virDomainControllerDef, targetPort), "port", 0, 255 },
        { G_STRUCT_OFFSET(virDomainControllerDef, targetBusNr), "busNr", 1, 254 },
    };

    if (c->type != VIR_DOMAIN_CONTROLLER_TYPE_PCI)
        return 0;
    if ((g_strcmp0(c->model, "pci-root") == 0 || g_strcmp0(c->model, "pcie-root") == 0) &&
        c->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "pci-root and pcie-root controllers should not have an address");
        return -1;
    }
    if (c->idx > 255) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "PCI controller index %d too high, maximum is 255", c->idx);
        return -1;
    }
    if (c->targetIndex != -1) {
        if (c->targetIndex > 30) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "PCI controller target index '%d' out of range - must be 0-30",
                           c->targetIndex);
            return -1;
        }
        if ((c->idx == 0) != (c->targetIndex == 0)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "Only the PCI controller with index 0 can have target index "
                           "0, and vice versa");
            return -1;
        }
    }
    for (size_t r = 0; r < G_N_ELEMENTS(ranges); r++) {
        int v = G_STRUCT_MEMBER(int, c, ranges[r].offset);

        if (v != -1 && (v < ranges[r].min || v > ranges[r].max)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "PCI controller %s '%d' out of range - must be %d-%d",
                           ranges[r].name, v, ranges[r].min, ranges[r].max);
            return -1;
        }
    }
    if (c->targetNode >= 0 && c->idx == 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "The PCI controller with index=0 can't be associated with a NUMA "
                       "node");
        return -1;
    }
    return 0;
}

/* libvirt's post-parse checks of a domain's controllers (XML_ERROR,
 * CONFIG_UNSUPPORTED as libvirt reports them). */
int
virDomainControllersCheck(GPtrArray *ctrls)
{
    /* libvirt's virDomainDefRejectDuplicateControllers (post-parse) */
    for (guint i = 0; i < ctrls->len; i++) {
        const virDomainControllerDef *c = g_ptr_array_index(ctrls, i);

        if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_USB || c->idx < 0)
            continue;
        for (guint j = 0; j < i; j++) {
            const virDomainControllerDef *o = g_ptr_array_index(ctrls, j);

            if (o->type == c->type && o->idx == c->idx) {
                virReportError(VIR_ERR_XML_ERROR,
                               "Multiple '%s' controllers with index '%d'",
                               virDomainControllerTypeToString(c->type), c->idx);
                return -1;
            }
        }
    }
    /* libvirt's virDomainControllerDefValidate */
    for (guint i = 0; i < ctrls->len; i++) {
        if (checkPCIController(g_ptr_array_index(ctrls, i)) < 0)
            return -1;
    }
    return 0;
}

/*
 * libvirt's rules for a domain's USB controllers (virDomainDefControllersParse):
 * model='none' is the only one when present, and some USB controller is
 * not a companion (an ich9-uhciN, or any model given a <master>): which
 * master a companion plugs into is QEMU's business at start.
 * XML_DETAIL as libvirt reports them.
 */
int
virDomainControllersCheckUSB(GPtrArray *ctrls)
{
    guint nusb = 0;
    bool none = false;
    bool master = false;

    for (guint i = 0; i < ctrls->len; i++) {
        const virDomainControllerDef *c = g_ptr_array_index(ctrls, i);

        if (c->type != VIR_DOMAIN_CONTROLLER_TYPE_USB)
            continue;
        nusb++;
        none |= g_strcmp0(c->model, "none") == 0;
        master |= c->masterStartport < 0;
    }
    if (none && nusb > 1) {
        virReportError(
            VIR_ERR_XML_DETAIL, "%s",
            "Can't add another USB controller: USB is disabled for this domain");
        return -1;
    }
    if (nusb > 0 && !none && !master) {
        virReportError(VIR_ERR_XML_DETAIL, "%s", "No master USB controller specified");
        return -1;
    }
    return 0;
}

/* Controller 0 of @type when @needed and there is none (libvirt adds a
 * CCID controller for smartcards so). */
static void
addImplicitController(GPtrArray *ctrls, int type, bool needed)
{
    virDomainControllerDef *c;

    for (guint i = 0; i < ctrls->len && needed; i++)
        needed = ((virDomainControllerDef *)g_ptr_array_index(ctrls, i))->type != type;
    if (!needed)
        return;
    c = virDomainControllerDefNew(type);
    c->idx = 0;
    c->implicit = true;
    virDomainControllerInsert(ctrls, c);
}

/*
 * libvirt's virDomainDefAddImplicitControllers for what is carried: the
 * controller each IDE/SATA/SCSI/floppy disk sits on (index from its unit: 4,
 * 6, 7 or 2 units a controller), in libvirt's order (SCSI, FDC, IDE, SATA), and a
 * virtio-serial controller for virtio channels and consoles.
 */
void
virDomainControllersAddImplicit(virDomainDef *def, GPtrArray *ctrls)
{
    const struct {
        int bus;
        int type;
        int units;
    } map[] = {
        { VIR_DOMAIN_DISK_BUS_SCSI, VIR_DOMAIN_CONTROLLER_TYPE_SCSI, 7 },
        { VIR_DOMAIN_DISK_BUS_FDC, VIR_DOMAIN_CONTROLLER_TYPE_FDC, 2 },
        { VIR_DOMAIN_DISK_BUS_IDE, VIR_DOMAIN_CONTROLLER_TYPE_IDE, 4 },
        { VIR_DOMAIN_DISK_BUS_SATA, VIR_DOMAIN_CONTROLLER_TYPE_SATA, 6 },
    };
    bool vserial = def->nchannels > 0;

    for (size_t i = 0; i < def->nconsoles; i++) {
        if (def->consoles[i]->targetType == VIR_DOMAIN_CHR_TARGET_VIRTIO)
            vserial = true;
    }

    /* libvirt adds the SCSI controllers of the hostdevs' drive addresses
     * while it parses them (virDomainDefMaybeAddHostdevSCSIcontroller):
     * before the QEMU driver's default controllers, unlike the disks' */
    {
        int maxIdx = -1;

        for (size_t i = 0; i < def->nhostdevs; i++) {
            if (VIR_DOMAIN_HOSTDEV_IS_SCSI(def->hostdevs[i]) &&
                def->hostdevs[i]->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE &&
                !def->hostdevs[i]->driveAssigned)
                maxIdx = MAX(maxIdx, (int)MIN(def->hostdevs[i]->addr.controller, 63u));
        }
        for (int idx = 0; idx <= maxIdx; idx++) {
            bool found = false;

            for (guint i = 0; i < ctrls->len && !found; i++) {
                virDomainControllerDef *c = g_ptr_array_index(ctrls, i);

                found = c->type == VIR_DOMAIN_CONTROLLER_TYPE_SCSI && c->idx == idx;
            }
            if (!found) {
                virDomainControllerDef *c =
                    virDomainControllerDefNew(VIR_DOMAIN_CONTROLLER_TYPE_SCSI);

                c->idx = idx;
                virDomainControllerInsert(ctrls, c);
            }
        }
    }
    for (size_t m = 0; m < G_N_ELEMENTS(map); m++) {
        int maxIdx = -1;

        for (size_t i = 0; i < def->ndisks; i++) {
            const char *dst = def->disks[i]->dst;
            int idx = 0;

            if (def->disks[i]->bus != map[m].bus)
                continue;
            for (const char *p = dst + 2; *p && g_ascii_islower(*p); p++)
                idx = MIN(idx * 26 + (*p - 'a' + 1), 1 << 20);
            idx = (idx - 1) / map[m].units;
            /* a drive address names its controller (libvirt) */
            if (def->disks[i]->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE)
                idx = (int)MIN(def->disks[i]->addr.controller, 1u << 20);
            maxIdx = MAX(maxIdx, idx);
        }
        /* and those of the drive addresses the parser gave hostdevs */
        for (size_t i = 0; i < def->nhostdevs && map[m].bus == VIR_DOMAIN_DISK_BUS_SCSI;
             i++) {
            if (VIR_DOMAIN_HOSTDEV_IS_SCSI(def->hostdevs[i]) &&
                def->hostdevs[i]->driveAssigned)
                maxIdx = MAX(maxIdx, (int)MIN(def->hostdevs[i]->addr.controller, 63u));
        }
        for (int idx = 0; idx <= maxIdx && idx < 64; idx++) {
            bool found = false;

            for (guint i = 0; i < ctrls->len && !found; i++) {
                virDomainControllerDef *c = g_ptr_array_index(ctrls, i);

                found = c->type == map[m].type && c->idx == idx;
            }
            if (!found) {
                virDomainControllerDef *c = virDomainControllerDefNew(map[m].type);

                c->idx = idx;
                c->implicit = true;
                virDomainControllerInsert(ctrls, c);
            }
        }
    }
    for (guint i = 0; i < ctrls->len && vserial; i++) {
        virDomainControllerDef *c = g_ptr_array_index(ctrls, i);

        if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL)
            vserial = false;
    }
    if (vserial) {
        virDomainControllerDef *c =
            virDomainControllerDefNew(VIR_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL);

        c->idx = 0;
        c->implicit = true;
        virDomainControllerInsert(ctrls, c);
    }
    addImplicitController(ctrls, VIR_DOMAIN_CONTROLLER_TYPE_CCID, def->nsmartcards > 0);
}
