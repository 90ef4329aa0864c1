/* vksh-media.c: device update commands: update-device, update-memory-device, change-media, domif-setlink, domif-getlink */
#define G_LOG_DOMAIN "vksh.media"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "vksh.h"

/* Every output below is virsh 9.0's (tools/virsh-domain.c), byte for byte:
 * the device XML is taken from the domain's XML, changed as virsh changes
 * it and handed to virDomainUpdateDeviceFlags (--print-xml shows it). */

/* The domain's XML parsed, or NULL (the library's error is reported). */
static xmlDocPtr
vkshMediaDomainXML(vkshControl *ctl, virDomainPtr dom, unsigned int xmlflags)
{
    g_autofree char *xml = virDomainGetXMLDesc(dom, xmlflags);
    xmlDocPtr doc;

    if (!xml)
        return NULL;
    doc = xmlReadMemory(xml, (int)strlen(xml), "domain.xml", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
    if (!doc)
        vkshError(ctl, "%s", "Failed to parse domain XML");
    return doc;
}

/* The first element child of @node named @name, or NULL. */
static xmlNodePtr
vkshMediaChild(xmlNodePtr node, const char *name)
{
    for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST name))
            return c;
    }
    return NULL;
}

/* Whether attribute @attr of @node equals @value (case-insensitively when
 * @nocase). */
static bool
vkshMediaPropIs(xmlNodePtr node, const char *attr, const char *value, bool nocase)
{
    xmlChar *v = node ? xmlGetProp(node, BAD_CAST attr) : NULL;
    bool ret = v && (nocase ? g_ascii_strcasecmp((const char *)v, value) == 0
                            : strcmp((const char *)v, value) == 0);

    xmlFree(v);
    return ret;
}

static char *
vkshMediaDump(xmlDocPtr doc, xmlNodePtr node)
{
    xmlBufferPtr buf = xmlBufferCreate();
    char *ret = NULL;

    if (xmlNodeDump(buf, doc, node, 0, 0) >= 0)
        ret = g_strdup((const char *)xmlBufferContent(buf));
    xmlBufferFree(buf);
    return ret;
}

/* Whether @s is a MAC address (virsh's virMacAddrParse). */
static bool
vkshMediaIsMAC(const char *s)
{
    for (int i = 0; i < 6; i++) {
        const char *start = s;
        unsigned long v = 0;

        while (g_ascii_isxdigit(*s)) {
            v = v * 16 + (unsigned long)g_ascii_xdigit_value(*s);
            if (v > 0xff)
                return false;
            s++;
        }
        if (s == start)
            return false;
        if (i < 5) {
            if (*s != ':')
                return false;
            s++;
        }
    }
    return *s == '\0';
}

/* The <interface> of @doc whose <mac address> (when @iface is a MAC) or
 * <target dev> is @iface, or NULL. */
static xmlNodePtr
vkshMediaFindInterface(xmlDocPtr doc, const char *iface, bool *isMAC)
{
    xmlNodePtr devs = vkshMediaChild(xmlDocGetRootElement(doc), "devices");
    const char *elem, *attr;

    *isMAC = vkshMediaIsMAC(iface);
    elem = *isMAC ? "mac" : "target";
    attr = *isMAC ? "address" : "dev";
    for (xmlNodePtr d = devs ? devs->children : NULL; d; d = d->next) {
        if (d->type != XML_ELEMENT_NODE || !xmlStrEqual(d->name, BAD_CAST "interface"))
            continue;
        if (vkshMediaPropIs(vkshMediaChild(d, elem), attr, iface, true))
            return d;
    }
    return NULL;
}

/* ---- update-device ------------------------------------------------------- */

const vkshOptDef vkshOptsUpdateDevice[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ, "XML file" },
    { "persistent", VKSH_OT_BOOL, 0, "make live change persistent" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { "force", VKSH_OT_BOOL, 0, "force device update" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdUpdateDevice(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *buffer = NULL;
    const char *from = NULL;
    unsigned int flags = VIR_DOMAIN_AFFECT_CURRENT;

    if (!vkshOptExclusive(ctl, cmd, "persistent", "current") ||
        !vkshOptExclusive(ctl, cmd, "current", "live") ||
        !vkshOptExclusive(ctl, cmd, "current", "config"))
        return false;
    if (vkshOptBool(cmd, "config") || vkshOptBool(cmd, "persistent"))
        flags |= VIR_DOMAIN_AFFECT_CONFIG;
    if (vkshOptBool(cmd, "live"))
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "file", &from) <= 0)
        return false;
    if (vkshOptBool(cmd, "persistent") && virDomainIsActive(dom) == 1)
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    if (!(buffer = vkshReadFile(ctl, from)))
        return false;
    if (vkshOptBool(cmd, "force"))
        flags |= VIR_DOMAIN_DEVICE_MODIFY_FORCE;
    if (virDomainUpdateDeviceFlags(dom, buffer, flags) < 0) {
        vkshError(ctl, "Failed to update device from %s", from);
        return false;
    }
    vkshPrintExtra(ctl, "%s", "Device updated successfully\n");
    return true;
}

/* ---- update-memory-device ----------------------------------------------- */

const vkshOptDef vkshOptsUpdateMemoryDevice[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { "print-xml", VKSH_OT_BOOL, 0,
      "print updated memory device XML instead of executing the change" },
    { "alias", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "memory device alias" },
    { "node", VKSH_OT_INT, VKSH_OFLAG_NAMED, "memory device target node" },
    { "requested-size", VKSH_OT_INT, VKSH_OFLAG_NAMED,
      "new value of <requested/> size, as scaled integer (default KiB)" },
    { NULL, 0, 0, NULL },
};

/* virsh's vshCommandOptUInt: 1 and *@value when given, 0 when absent, -1
 * (reported) when not a non-negative number that fits */
static int
vkshMediaOptUInt(vkshControl *ctl, const vkshCmd *cmd, const char *name,
                 unsigned int *value)
{
    const char *v = vkshOptRaw(cmd, name);
    char *end = NULL;
    unsigned long long n;

    if (!v)
        return 0;
    errno = 0;
    n = strtoull(v, &end, 10);
    if (end == v || *end || errno || n > G_MAXUINT || memchr(v, '-', (size_t)(end - v))) {
        vkshError(ctl, "Numeric value '%s' for <%s> option is malformed or out of range",
                  v, name);
        return -1;
    }
    *value = (unsigned int)n;
    return 1;
}

/* virsh's virshGetUpdatedMemoryXML: the one <memory> of the domain's XML
 * (inactive for --config) selected by --node, --alias or being alone,
 * with --requested-size written into its <requested> (KiB, rounded up);
 * NULL after reporting */
static char *
vkshMemoryDeviceXML(vkshControl *ctl, const vkshCmd *cmd, virDomainPtr dom,
                    unsigned int flags)
{
    g_autofree char *xpath = NULL;
    const char *alias = NULL;
    unsigned int node = 0;
    xmlDocPtr doc;
    xmlXPathContextPtr xctxt = NULL;
    xmlXPathObjectPtr obj = NULL;
    xmlNodePtr mem;
    char *ret = NULL;
    int n;

    if (!(doc = vkshMediaDomainXML(
              ctl, dom, flags & VIR_DOMAIN_AFFECT_CONFIG ? VIR_DOMAIN_XML_INACTIVE : 0)))
        return NULL;
    if (vkshOptString(ctl, cmd, "alias", &alias) < 0 ||
        vkshMediaOptUInt(ctl, cmd, "node", &node) < 0)
        goto cleanup;
    if (vkshOptRaw(cmd, "node"))
        xpath = g_strdup_printf("/domain/devices/memory[./target/node='%u']", node);
    else if (alias)
        xpath = g_strdup_printf("/domain/devices/memory[./alias/@name='%s']", alias);
    else
        xpath = g_strdup("/domain/devices/memory");
    xctxt = xmlXPathNewContext(doc);
    /* a malformed expression (a quote in the alias): libxml2 explains it
     * on stderr and virsh counts no device */
    obj = xmlXPathEval((const xmlChar *)xpath, xctxt);
    n = obj && obj->type == XPATH_NODESET && obj->nodesetval ? obj->nodesetval->nodeNr
                                                             : 0;
    if (n == 0) {
        vkshError(ctl, "%s", "no memory device found");
        goto cleanup;
    }
    if (n > 1) {
        vkshError(ctl, "%s",
                  "multiple memory devices found, use --alias or --node to select one");
        goto cleanup;
    }
    mem = obj->nodesetval->nodeTab[0];
    if (vkshOptRaw(cmd, "requested-size")) {
        unsigned long long bytes = 0;
        xmlNodePtr req;
        char kib[32];

        if (vkshOptScaled(ctl, cmd, "requested-size", 1024, G_MAXUINT64, &bytes) < 0)
            goto cleanup;
        if (!(req = vkshMediaChild(vkshMediaChild(mem, "target"), "requested"))) {
            vkshError(ctl, "%s", "virtio-mem device is missing <requested/>");
            goto cleanup;
        }
        g_snprintf(kib, sizeof(kib), "%llu", bytes / 1024 + (bytes % 1024 != 0));
        xmlNodeSetContent(req, BAD_CAST kib);
    }
    {
        xmlBufferPtr buf = xmlBufferCreate();

        if (xmlNodeDump(buf, doc, mem, 0, 1) > 0)
            ret = g_strdup((const char *)xmlBufferContent(buf));
        else
            vkshError(ctl, "%s", "internal error: failed to convert the XML node tree");
        xmlBufferFree(buf);
    }

cleanup:
    xmlXPathFreeObject(obj);
    xmlXPathFreeContext(xctxt);
    xmlFreeDoc(doc);
    return ret;
}

bool
vkshCmdUpdateMemoryDevice(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *xml = NULL;
    unsigned int flags = VIR_DOMAIN_AFFECT_CURRENT;

    if (!vkshOptExclusive(ctl, cmd, "current", "live") ||
        !vkshOptExclusive(ctl, cmd, "current", "config") ||
        !vkshOptExclusive(ctl, cmd, "node", "alias"))
        return false;
    if (vkshOptBool(cmd, "config"))
        flags |= VIR_DOMAIN_AFFECT_CONFIG;
    if (vkshOptBool(cmd, "live"))
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!(xml = vkshMemoryDeviceXML(ctl, cmd, dom, flags)))
        return false;
    if (vkshOptBool(cmd, "print-xml")) {
        vkshPrint(ctl, "%s", xml);
        return true;
    }
    /* virsh says nothing on success, only the library's error */
    return virDomainUpdateDeviceFlags(dom, xml, flags) == 0;
}

/* ---- change-media ------------------------------------------------------- */

const vkshOptDef vkshOptsChangeMedia[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "path", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "Fully-qualified path or target of disk device" },
    { "source", VKSH_OT_STRING, 0, "source of the media" },
    { "eject", VKSH_OT_BOOL, 0, "Eject the media" },
    { "insert", VKSH_OT_BOOL, 0, "Insert the media" },
    { "update", VKSH_OT_BOOL, 0, "Update the media" },
    { "current", VKSH_OT_BOOL, 0,
      "can be either or both of --live and --config, depends on implementation "
      "hypervisor driver" },
    { "live", VKSH_OT_BOOL, 0, "alter live configuration of running domain" },
    { "config", VKSH_OT_BOOL, 0,
      "alter persistent configuration, effect observed on next boot" },
    { "force", VKSH_OT_BOOL, 0, "force media changing" },
    { "print-xml", VKSH_OT_BOOL, 0, "print XML document rather than change media" },
    { "block", VKSH_OT_BOOL, 0, "source media is a block device" },
    { NULL, 0, 0, NULL },
};

typedef enum {
    VKSH_MEDIA_EJECT,
    VKSH_MEDIA_INSERT,
    VKSH_MEDIA_UPDATE,
} vkshMediaAction;

/* virsh's virshFindDisk(..., CHANGEABLE): the cdrom or floppy <disk> whose
 * source or target is @path. */
static xmlNodePtr
vkshMediaFindDisk(xmlDocPtr doc, const char *path)
{
    xmlNodePtr devs = vkshMediaChild(xmlDocGetRootElement(doc), "devices");

    for (xmlNodePtr d = devs ? devs->children : NULL; d; d = d->next) {
        xmlNodePtr src;
        static const char *const attrs[] = { "file", "dev", "dir", "name" };

        if (d->type != XML_ELEMENT_NODE || !xmlStrEqual(d->name, BAD_CAST "disk"))
            continue;
        if (!vkshMediaPropIs(d, "device", "cdrom", false) &&
            !vkshMediaPropIs(d, "device", "floppy", false))
            continue;
        if (vkshMediaPropIs(vkshMediaChild(d, "target"), "dev", path, false))
            return d;
        if ((src = vkshMediaChild(d, "source"))) {
            for (size_t i = 0; i < G_N_ELEMENTS(attrs); i++) {
                if (vkshMediaPropIs(src, attrs[i], path, false))
                    return d;
            }
        }
    }
    return NULL;
}

/* virsh's virshUpdateDiskXML: @disk changed in place. false after
 * reporting. */
static bool
vkshMediaUpdateDisk(vkshControl *ctl, xmlNodePtr disk, const char *source, bool block,
                    const char *path, vkshMediaAction action)
{
    xmlNodePtr src = vkshMediaChild(disk, "source");
    xmlNodePtr target = vkshMediaChild(disk, "target");

    if (action == VKSH_MEDIA_EJECT) {
        if (!src) {
            vkshError(ctl, "The disk device '%s' doesn't have media", path);
            return false;
        }
        source = NULL;
        block = false;
    } else if (!source) {
        vkshError(ctl, "%s", "New disk media source was not specified");
        return false;
    }
    if (action == VKSH_MEDIA_INSERT && src) {
        vkshError(ctl, "The disk device '%s' already has media", path);
        return false;
    }
    if (src) {
        xmlUnlinkNode(src);
        xmlFreeNode(src);
    }
    xmlSetProp(disk, BAD_CAST "type", BAD_CAST(block ? "block" : "file"));
    if (source) {
        xmlNodePtr node = xmlNewNode(NULL, BAD_CAST "source");

        xmlNewProp(node, BAD_CAST(block ? "dev" : "file"), BAD_CAST source);
        if (target) {
            /* before <target>, indented as it is */
            xmlNodePtr indent = target->prev && target->prev->type == XML_TEXT_NODE
                                    ? xmlCopyNode(target->prev, 1)
                                    : NULL;

            xmlAddPrevSibling(target, node);
            if (indent)
                xmlAddPrevSibling(target, indent);
        } else {
            xmlAddChild(disk, node);
        }
    }
    return true;
}

bool
vkshCmdChangeMedia(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *source = NULL, *path = NULL;
    bool eject = vkshOptBool(cmd, "eject");
    bool insert = vkshOptBool(cmd, "insert");
    bool update = vkshOptBool(cmd, "update");
    vkshMediaAction action;
    const char *what;
    const char *success;
    unsigned int flags = VIR_DOMAIN_AFFECT_CURRENT;
    xmlDocPtr doc = NULL;
    xmlNodePtr disk;
    g_autofree char *xml = NULL;
    bool ret = false;

    if (!vkshOptExclusive(ctl, cmd, "eject", "insert") ||
        !vkshOptExclusive(ctl, cmd, "eject", "update") ||
        !vkshOptExclusive(ctl, cmd, "insert", "update") ||
        !vkshOptExclusive(ctl, cmd, "eject", "block"))
        return false;
    if (vkshOptString(ctl, cmd, "source", &source) < 0)
        return false;
    /* virsh: an update without a source is an eject */
    if (update && !source) {
        update = false;
        eject = true;
    }
    if (eject) {
        action = VKSH_MEDIA_EJECT;
        what = "eject";
        success = "Successfully ejected media.";
    } else if (insert) {
        action = VKSH_MEDIA_INSERT;
        what = "insert";
        success = "Successfully inserted media.";
    } else {
        action = VKSH_MEDIA_UPDATE;
        what = "update";
        success = "Successfully updated media.";
    }
    if (!vkshOptExclusive(ctl, cmd, "current", "live") ||
        !vkshOptExclusive(ctl, cmd, "current", "config"))
        return false;
    if (vkshOptBool(cmd, "config"))
        flags |= VIR_DOMAIN_AFFECT_CONFIG;
    if (vkshOptBool(cmd, "live"))
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    if (vkshOptBool(cmd, "force"))
        flags |= VIR_DOMAIN_DEVICE_MODIFY_FORCE;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "path", &path) <= 0)
        return false;
    if (!(doc = vkshMediaDomainXML(
              ctl, dom,
              (flags & VIR_DOMAIN_AFFECT_CONFIG) ? VIR_DOMAIN_XML_INACTIVE : 0)))
        return false;
    if (!(disk = vkshMediaFindDisk(doc, path))) {
        vkshError(ctl, "No disk found whose source path or target is %s", path);
        goto cleanup;
    }
    if (!vkshMediaUpdateDisk(ctl, disk, source, vkshOptBool(cmd, "block"), path, action))
        goto cleanup;
    if (!(xml = vkshMediaDump(doc, disk)))
        goto cleanup;
    if (vkshOptBool(cmd, "print-xml")) {
        vkshPrint(ctl, "%s", xml);
    } else {
        if (virDomainUpdateDeviceFlags(dom, xml, flags) != 0) {
            vkshError(ctl, "Failed to complete action %s on media", what);
            goto cleanup;
        }
        vkshPrintExtra(ctl, "%s", success);
    }
    ret = true;

cleanup:
    xmlFreeDoc(doc);
    return ret;
}

/* ---- domif-setlink / domif-getlink ---------------------------------------- */

const vkshOptDef vkshOptsDomifSetlink[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "interface", VKSH_OT_STRING, VKSH_OFLAG_REQ, "interface device (MAC Address)" },
    { "state", VKSH_OT_STRING, VKSH_OFLAG_REQ, "new state of the device" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "print-xml", VKSH_OT_BOOL, 0,
      "print XML document rather than set the interface link state" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdDomifSetlink(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *iface = NULL, *state = NULL;
    bool config = vkshOptBool(cmd, "config");
    unsigned int flags;
    xmlDocPtr doc = NULL;
    xmlNodePtr node, link;
    g_autofree char *xml = NULL;
    bool isMAC;
    bool ret = false;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "interface", &iface) <= 0 ||
        vkshOptString(ctl, cmd, "state", &state) <= 0)
        return false;
    if (strcmp(state, "up") != 0 && strcmp(state, "down") != 0) {
        vkshError(ctl, "invalid link state '%s'", state);
        return false;
    }
    flags = config ? VIR_DOMAIN_AFFECT_CONFIG : VIR_DOMAIN_AFFECT_LIVE;
    if (virDomainIsActive(dom) == 0)
        flags = VIR_DOMAIN_AFFECT_CONFIG;
    if (!(doc = vkshMediaDomainXML(ctl, dom, config ? VIR_DOMAIN_XML_INACTIVE : 0)))
        return false;
    if (!(node = vkshMediaFindInterface(doc, iface, &isMAC))) {
        vkshError(ctl, "interface '%s' not found", iface);
        goto cleanup;
    }
    if ((link = vkshMediaChild(node, "link")))
        xmlSetProp(link, BAD_CAST "state", BAD_CAST state);
    else if (!(link = xmlNewChild(node, NULL, BAD_CAST "link", NULL)) ||
             !xmlNewProp(link, BAD_CAST "state", BAD_CAST state))
        goto cleanup;
    if (!(xml = vkshMediaDump(doc, node)))
        goto cleanup;
    if (vkshOptBool(cmd, "print-xml")) {
        vkshPrint(ctl, "%s", xml);
    } else {
        if (virDomainUpdateDeviceFlags(dom, xml, flags) < 0) {
            vkshError(ctl, "%s", "Failed to update interface link state");
            goto cleanup;
        }
        vkshPrint(ctl, "%s", "Device updated successfully\n");
    }
    ret = true;

cleanup:
    xmlFreeDoc(doc);
    return ret;
}

const vkshOptDef vkshOptsDomifGetlink[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "interface", VKSH_OT_STRING, VKSH_OFLAG_REQ, "interface device (MAC Address)" },
    { "config", VKSH_OT_BOOL, 0, "Get persistent interface state" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdDomifGetlink(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *iface = NULL;
    xmlDocPtr doc = NULL;
    xmlNodePtr node;
    xmlChar *state = NULL;
    bool isMAC;
    bool ret = false;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "interface", &iface) <= 0)
        return false;
    if (!(doc = vkshMediaDomainXML(
              ctl, dom, vkshOptBool(cmd, "config") ? VIR_DOMAIN_XML_INACTIVE : 0)))
        return false;
    if (!(node = vkshMediaFindInterface(doc, iface, &isMAC))) {
        vkshError(ctl, "Interface (%s: %s) not found.", isMAC ? "mac" : "dev", iface);
        goto cleanup;
    }
    node = vkshMediaChild(node, "link");
    state = node ? xmlGetProp(node, BAD_CAST "state") : NULL;
    vkshPrint(ctl, "%s %s", iface, state ? (const char *)state : "up");
    ret = true;

cleanup:
    xmlFree(state);
    xmlFreeDoc(doc);
    return ret;
}
