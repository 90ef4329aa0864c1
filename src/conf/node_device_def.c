/* node_device_def.c: parse the <device> documents of virNodeDeviceCreateXML / DefineXML */

#define G_LOG_DOMAIN "virtkit.conf.nodedevdef"

#include <string.h>
#include <libxml/tree.h>

#include "domain_conf_priv.h"
#include "node_device_conf.h"
#include "node_device_def.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NODEDEV

#define NODEDEV_XML_MAX_SIZE (1024 * 1024)

/* libvirt 9.0's virNodeDevCapType names: the types its parser accepts */
static const char *const nodeDevCapTypes[] = {
    "system",      "pci",        "usb_device", "usb",     "net",    "scsi_host",
    "scsi_target", "scsi",       "storage",    "fc_host", "vports", "scsi_generic",
    "drm",         "mdev_types", "mdev",       "ccw",     "css",    "vdpa",
    "ap_card",     "ap_queue",   "ap_matrix",  "vpd",
};

void
virNodeDeviceDefFree(virNodeDeviceDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->parent);
    g_free(def->parentWWNN);
    g_free(def->parentWWPN);
    g_free(def->parentFabricWWN);
    g_free(def->capType);
    g_free(def->wwnn);
    g_free(def->wwpn);
    g_free(def->fabricWWN);
    g_free(def->host);
    g_free(def->uniqueId);
    g_free(def->mdevType);
    g_free(def->mdevUUID);
    g_free(def);
}

static bool
isCapType(const char *type)
{
    for (size_t i = 0; i < G_N_ELEMENTS(nodeDevCapTypes); i++) {
        if (strcmp(nodeDevCapTypes[i], type) == 0)
            return true;
    }
    return false;
}

/* The type of capability element @node: NULL with libvirt's XML-domain
 * error when it is missing or unknown. */
static char *
capTypeOf(xmlNodePtr node)
{
    g_autofree char *type = virDomainXMLProp(node, "type");

    if (!type) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Missing required attribute 'type' in element 'capability'");
        return NULL;
    }
    if (!isCapType(type)) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute 'type' in element 'capability': "
                           "'%s'.",
                           type);
        return NULL;
    }
    return g_steal_pointer(&type);
}

static char *
childText(xmlNodePtr parent, const char *name)
{
    xmlNodePtr n = virDomainXMLChild(parent, name);

    return n ? virDomainXMLNodeTextNonEmpty(n) : NULL;
}

static int
parseSCSIHost(xmlNodePtr cap, virNodeDeviceDef *def)
{
    def->host = childText(cap, "host");
    def->uniqueId = childText(cap, "unique_id");
    for (xmlNodePtr n = cap->children; n; n = n->next) {
        g_autofree char *type = NULL;

        if (n->type != XML_ELEMENT_NODE || !virDomainXMLNodeIs(n, "capability"))
            continue;
        type = virDomainXMLProp(n, "type");
        if (g_strcmp0(type, "fc_host") == 0) {
            def->fcHost = true;
            g_free(def->wwnn);
            g_free(def->wwpn);
            g_free(def->fabricWWN);
            def->wwnn = childText(n, "wwnn");
            def->wwpn = childText(n, "wwpn");
            def->fabricWWN = childText(n, "fabric_wwn");
        } else if (g_strcmp0(type, "vport_ops") == 0) {
            def->vportOps = true;
        } else {
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "unknown SCSI host capability type '%s' for '%s'",
                           type ? type : "(null)", def->name);
            return -1;
        }
    }
    return 0;
}

static int
parseCap(xmlNodePtr cap, const char *type, virNodeDeviceDef *def)
{
    if (strcmp(type, "scsi_host") == 0)
        return parseSCSIHost(cap, def);
    if (strcmp(type, "mdev") == 0) {
        xmlNodePtr t = virDomainXMLChild(cap, "type");

        if (!t || !(def->mdevType = virDomainXMLProp(t, "id"))) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "missing type id attribute for '%s'", def->name);
            return -1;
        }
        def->mdevUUID = childText(cap, "uuid");
        return 0;
    }
    if (strcmp(type, "system") == 0) {
        xmlNodePtr hw = virDomainXMLChild(cap, "hardware");
        g_autofree char *uuid = hw ? childText(hw, "uuid") : NULL;

        if (!uuid) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "no system UUID supplied for '%s'",
                           def->name);
            return -1;
        }
    }
    return 0;
}

static int
parseParent(xmlNodePtr node, virNodeDeviceDef *def)
{
    def->parentWWNN = virDomainXMLProp(node, "wwnn");
    def->parentWWPN = virDomainXMLProp(node, "wwpn");
    def->parentFabricWWN = virDomainXMLProp(node, "fabric_wwn");
    if (def->parentWWNN && !def->parentWWPN) {
        virReportError(VIR_ERR_XML_ERROR,
                       "when providing parent wwnn='%s', the wwpn must also be provided",
                       def->parentWWNN);
        return -1;
    }
    if (def->parentWWPN && !def->parentWWNN) {
        virReportError(VIR_ERR_XML_ERROR,
                       "when providing parent wwpn='%s', the wwnn must also be provided",
                       def->parentWWPN);
        return -1;
    }
    def->parent = virDomainXMLNodeTextNonEmpty(node);
    return 0;
}

static virNodeDeviceDef *
parseRoot(xmlNodePtr root)
{
    g_autoptr(virNodeDeviceDef) def = g_new0(virNodeDeviceDef, 1);
    xmlNodePtr n;

    if (!root || !virDomainXMLNodeIs(root, "device")) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "expecting root element of 'device', not '%s'",
                           root ? (const char *)root->name : "");
        return NULL;
    }
    /* libvirt names the device it is about to create "new device" */
    if (!(def->name = childText(root, "name")))
        def->name = g_strdup("new device");
    if ((n = virDomainXMLChild(root, "parent")) && parseParent(n, def) < 0)
        return NULL;
    for (n = root->children; n; n = n->next) {
        g_autofree char *type = NULL;

        if (n->type != XML_ELEMENT_NODE || !virDomainXMLNodeIs(n, "capability"))
            continue;
        if (!(type = capTypeOf(n)))
            return NULL;
        if (!def->capType) {
            if (parseCap(n, type, def) < 0)
                return NULL;
            def->capType = g_steal_pointer(&type);
        }
    }
    if (!def->capType) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "no device capabilities for '%s'",
                       def->name);
        return NULL;
    }
    return g_steal_pointer(&def);
}

/* The shared reader reports in the DOMAIN error domain; libvirt reports a
 * node device document's syntax errors in NODEDEV. */
static void
rewrapError(void)
{
    virErrorPtr saved = NULL;

    virErrorPreserveLast(&saved);
    if (saved) {
        virSetErrorRaw(VIR_FROM_NODEDEV, saved->code, saved->level, saved->message,
                       saved->str1, saved->str2, saved->str3, saved->int1, saved->int2);
        virFreeError(saved);
    }
}

virNodeDeviceDef *
virNodeDeviceDefParseString(const char *xml)
{
    size_t len = strlen(xml);
    xmlDocPtr doc;
    virNodeDeviceDef *def;

    if (len > NODEDEV_XML_MAX_SIZE) {
        virReportError(VIR_ERR_XML_ERROR,
                       "document of %zu bytes exceeds the limit of %d bytes", len,
                       NODEDEV_XML_MAX_SIZE);
        return NULL;
    }
    if (!(doc = virDomainXMLReadDoc(xml, len, "(node_device_definition)"))) {
        rewrapError();
        return NULL;
    }
    def = parseRoot(xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    return def;
}

static void
element(GString *buf, const char *indent, const char *tag, const char *text)
{
    if (!text)
        return;
    g_string_append_printf(buf, "%s<%s>", indent, tag);
    virDomainXMLEscape(buf, text);
    g_string_append_printf(buf, "</%s>\n", tag);
}

char *
virNodeDeviceDefFormatSCSIHost(const virNodeDeviceDef *def)
{
    GString *buf = g_string_new("<device>\n");

    element(buf, "  ", "name", def->name);
    element(buf, "  ", "parent", def->parent);
    g_string_append(buf, "  <capability type='scsi_host'>\n");
    element(buf, "    ", "host", def->host);
    element(buf, "    ", "unique_id", def->uniqueId);
    g_string_append(buf, "    <capability type='fc_host'>\n");
    element(buf, "      ", "wwnn", def->wwnn);
    element(buf, "      ", "wwpn", def->wwpn);
    element(buf, "      ", "fabric_wwn", def->fabricWWN);
    g_string_append(buf, "    </capability>\n");
    if (def->vportOps)
        g_string_append(buf, "    <capability type='vport_ops'>\n"
                             "      <max_vports>0</max_vports>\n"
                             "      <vports>0</vports>\n"
                             "    </capability>\n");
    g_string_append(buf, "  </capability>\n</device>\n");
    return g_string_free(buf, FALSE);
}

int
virNodeDeviceXMLGetFC(const char *xml, virNodeDeviceDef **out)
{
    virErrorPtr saved = NULL;
    g_autoptr(virNodeDeviceDef) def = NULL;

    virErrorPreserveLast(&saved);
    def = virNodeDeviceDefParseString(xml);
    virErrorRestore(&saved);
    if (!def)
        return -1;
    if (g_strcmp0(def->capType, "scsi_host") != 0 || !def->fcHost)
        return 0;
    *out = g_steal_pointer(&def);
    return 1;
}

/* ---- vHBA helpers shared by the drivers ----------------------------------- */

static char *
generateWWN(void)
{
    /* libvirt's virRandomGenerateWWN for QEMU: NAA 5, QEMU's OUI 001a4a */
    return g_strdup_printf("5001a4a%09" G_GINT64_MODIFIER "x",
                           (gint64)(g_random_double() * (double)0xfffffffffLL));
}

int
virNodeDeviceDefGetWWNs(const virNodeDeviceDef *def, bool generate, char **wwnn,
                        char **wwpn)
{
    g_autofree char *nn = NULL;
    g_autofree char *pn = NULL;

    if (g_strcmp0(def->capType, "scsi_host") != 0 || !def->fcHost) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "Device is not a fibre channel HBA");
        return -1;
    }
    if (!(nn = g_strdup(def->wwnn)) && !(generate && (nn = generateWWN()))) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "no WWNN supplied for '%s', and auto-generation failed",
                       def->name);
        return -1;
    }
    if (!(pn = g_strdup(def->wwpn)) && !(generate && (pn = generateWWN()))) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "no WWPN supplied for '%s', and auto-generation failed",
                       def->name);
        return -1;
    }
    *wwnn = g_steal_pointer(&nn);
    *wwpn = g_steal_pointer(&pn);
    return 0;
}

/* 0 if @obj can host vports, else -1 reported as libvirt does. */
static int
checkVportCapable(const virNodeDeviceObj *obj)
{
    if (!virNodeDeviceObjHasCap(obj, "vports")) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Parent device %s is not capable of vport operations", obj->name);
        return -1;
    }
    return 0;
}

/* The first device of @all that is an FC HBA with vport_ops whose
 * wwnn/wwpn (or fabric_wwn when @fabric) match, or NULL. */
static const virNodeDeviceObj *
findByWWN(GPtrArray *all, const char *wwnn, const char *wwpn, const char *fabric)
{
    for (guint i = 0; i < all->len; i++) {
        const virNodeDeviceObj *obj = all->pdata[i];
        g_autoptr(virNodeDeviceDef) fc = NULL;

        if (!virNodeDeviceObjHasCap(obj, "vports") || !obj->xml ||
            virNodeDeviceXMLGetFC(obj->xml, &fc) <= 0)
            continue;
        if (fabric ? g_strcmp0(fc->fabricWWN, fabric) == 0
                   : (g_strcmp0(fc->wwnn, wwnn) == 0 && g_strcmp0(fc->wwpn, wwpn) == 0))
            return obj;
    }
    return NULL;
}

int
virNodeDeviceDefFindParentHost(virNodeDeviceObjList *list, const virNodeDeviceDef *def,
                               char **parent)
{
    g_autoptr(GPtrArray) all = virNodeDeviceObjListCopyAll(list);
    const virNodeDeviceObj *found = NULL;

    if (def->parent) {
        for (guint i = 0; i < all->len && !found; i++) {
            const virNodeDeviceObj *obj = all->pdata[i];

            if (strcmp(obj->name, def->parent) == 0)
                found = obj;
        }
    } else if (def->parentWWNN && def->parentWWPN) {
        found = findByWWN(all, def->parentWWNN, def->parentWWPN, NULL);
    } else if (def->parentFabricWWN) {
        found = findByWWN(all, NULL, NULL, def->parentFabricWWN);
    } else {
        for (guint i = 0; i < all->len && !found; i++) {
            const virNodeDeviceObj *obj = all->pdata[i];

            if (virNodeDeviceObjHasCap(obj, "vports"))
                found = obj;
        }
        if (!found) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "Could not find any vport capable device");
            return -1;
        }
    }
    if (!found) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Could not find parent device for '%s'",
                       def->name);
        return -1;
    }
    if (checkVportCapable(found) < 0)
        return -1;
    *parent = g_strdup(found->name);
    return 0;
}
