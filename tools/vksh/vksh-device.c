/* vksh-device.c: device hotplug commands: attach-device, detach-device, detach-device-alias, attach-disk, detach-disk */
#define G_LOG_DOMAIN "vksh.device"

#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "vksh.h"

/* Every output below is virsh 9.0's (tools/virsh-domain.c), byte for byte. */

/* --persistent/--config/--live/--current as virsh's device commands:
 * *current true when --current was given. */
bool
vkshDeviceImpact(vkshControl *ctl, const vkshCmd *cmd, unsigned int *flags, bool *current,
                 bool withPersistent)
{
    if ((withPersistent && !vkshOptExclusive(ctl, cmd, "persistent", "current")) ||
        !vkshOptExclusive(ctl, cmd, "current", "live") ||
        !vkshOptExclusive(ctl, cmd, "current", "config"))
        return false;
    *current = vkshOptBool(cmd, "current");
    *flags = VIR_DOMAIN_AFFECT_CURRENT;
    if (vkshOptBool(cmd, "config") || (withPersistent && vkshOptBool(cmd, "persistent")))
        *flags |= VIR_DOMAIN_AFFECT_CONFIG;
    if (vkshOptBool(cmd, "live"))
        *flags |= VIR_DOMAIN_AFFECT_LIVE;
    return true;
}

/* ---- attach-device / detach-device ---------------------------------------- */

const vkshOptDef vkshOptsAttachDevice[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ, "XML file" },
    VKSH_IMPACT_OPTS,
    { NULL, 0, 0, NULL },
};

static bool
vkshDeviceFromFile(vkshControl *ctl, const vkshCmd *cmd, bool attach)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *buffer = NULL;
    const char *from = NULL;
    unsigned int flags;
    bool current;
    int rv;

    if (!vkshDeviceImpact(ctl, cmd, &flags, &current, true))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptBool(cmd, "persistent") && virDomainIsActive(dom) == 1)
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    if (vkshOptString(ctl, cmd, "file", &from) <= 0)
        return false;
    if (!(buffer = vkshReadFile(ctl, from)))
        return false;
    if (flags || current)
        rv = attach ? virDomainAttachDeviceFlags(dom, buffer, flags)
                    : virDomainDetachDeviceFlags(dom, buffer, flags);
    else
        rv = attach ? virDomainAttachDevice(dom, buffer)
                    : virDomainDetachDevice(dom, buffer);
    if (rv < 0) {
        vkshError(ctl,
                  attach ? "Failed to attach device from %s"
                         : "Failed to detach device from %s",
                  from);
        return false;
    }
    vkshPrintExtra(ctl, "%s",
                   attach ? "Device attached successfully\n"
                          : "Device detached successfully\n");
    return true;
}

bool
vkshCmdAttachDevice(vkshControl *ctl, const vkshCmd *cmd)
{
    return vkshDeviceFromFile(ctl, cmd, true);
}

const vkshOptDef vkshOptsDetachDevice[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ, "XML file" },
    VKSH_IMPACT_OPTS,
    { NULL, 0, 0, NULL },
};

bool
vkshCmdDetachDevice(vkshControl *ctl, const vkshCmd *cmd)
{
    return vkshDeviceFromFile(ctl, cmd, false);
}

/* ---- detach-device-alias --------------------------------------------------- */

const vkshOptDef vkshOptsDetachDeviceAlias[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "alias", VKSH_OT_STRING, VKSH_OFLAG_REQ, "device alias" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdDetachDeviceAlias(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *alias = NULL;
    unsigned int flags;
    bool current;

    if (!vkshDeviceImpact(ctl, cmd, &flags, &current, false))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "alias", &alias) <= 0)
        return false;
    if (virDomainDetachDeviceAlias(dom, alias, flags) < 0) {
        vkshError(ctl, "Failed to detach device with alias %s", alias);
        return false;
    }
    vkshPrintExtra(ctl, "%s", "Device detach request sent successfully\n");
    return true;
}

/* ---- attach-disk / detach-disk ------------------------------------------ */

const vkshOptDef vkshOptsAttachDisk[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "source", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "source of disk device or name of network disk" },
    { "target", VKSH_OT_STRING, VKSH_OFLAG_REQ, "target of disk device" },
    { "targetbus", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "target bus of disk device" },
    { "driver", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "driver of disk device" },
    { "subdriver", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "subdriver of disk device" },
    { "cache", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "cache mode of disk device" },
    { "io", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "io policy of disk device" },
    { "type", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "target device type" },
    { "mode", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "mode of device reading and writing" },
    { "sourcetype", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "type of source (block|file|network)" },
    { "serial", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "serial of disk device" },
    { "alias", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "custom alias name of disk device" },
    { "print-xml", VKSH_OT_BOOL, 0, "print XML document rather than attach the disk" },
    VKSH_IMPACT_OPTS,
    { NULL, 0, 0, NULL },
};

static void
vkshXMLEscapeAttr(GString *buf, const char *s)
{
    g_autofree char *esc = g_markup_escape_text(s, -1);

    g_string_append(buf, esc);
}

bool
vkshCmdAttachDisk(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(GString) xml = g_string_new(NULL);
    const char *source = NULL, *target = NULL, *driver = NULL, *subdriver = NULL;
    const char *type = NULL, *mode = NULL, *cache = NULL, *io = NULL, *stype = NULL;
    const char *serial = NULL, *alias = NULL, *targetbus = NULL;
    unsigned int flags;
    bool current;
    bool block = false;
    struct stat sb;
    int rv;

    if (!vkshDeviceImpact(ctl, cmd, &flags, &current, true))
        return false;
    if (vkshOptString(ctl, cmd, "source", &source) <= 0 ||
        vkshOptString(ctl, cmd, "target", &target) <= 0 ||
        vkshOptString(ctl, cmd, "driver", &driver) < 0 ||
        vkshOptString(ctl, cmd, "subdriver", &subdriver) < 0 ||
        vkshOptString(ctl, cmd, "type", &type) < 0 ||
        vkshOptString(ctl, cmd, "mode", &mode) < 0 ||
        vkshOptString(ctl, cmd, "cache", &cache) < 0 ||
        vkshOptString(ctl, cmd, "io", &io) < 0 ||
        vkshOptString(ctl, cmd, "sourcetype", &stype) < 0 ||
        vkshOptString(ctl, cmd, "serial", &serial) < 0 ||
        vkshOptString(ctl, cmd, "alias", &alias) < 0 ||
        vkshOptString(ctl, cmd, "targetbus", &targetbus) < 0)
        return false;
    if (stype) {
        if (strcmp(stype, "block") == 0)
            block = true;
        else if (strcmp(stype, "file") != 0) {
            vkshError(ctl, "Unknown source type: '%s'", stype);
            return false;
        }
    } else {
        block = stat(source, &sb) == 0 && S_ISBLK(sb.st_mode);
    }
    if (mode && strcmp(mode, "readonly") != 0 && strcmp(mode, "shareable") != 0) {
        vkshError(ctl, "No support for %s in command 'attach-disk'", mode);
        return false;
    }

    g_string_append_printf(xml, "<disk type='%s'", block ? "block" : "file");
    if (type) {
        g_string_append(xml, " device='");
        vkshXMLEscapeAttr(xml, type);
        g_string_append(xml, "'");
    }
    g_string_append(xml, ">\n");
    if (driver || subdriver || cache || io) {
        g_string_append(xml, "  <driver");
        if (driver) {
            g_string_append(xml, " name='");
            vkshXMLEscapeAttr(xml, driver);
            g_string_append(xml, "'");
        }
        if (subdriver) {
            g_string_append(xml, " type='");
            vkshXMLEscapeAttr(xml, subdriver);
            g_string_append(xml, "'");
        }
        if (cache) {
            g_string_append(xml, " cache='");
            vkshXMLEscapeAttr(xml, cache);
            g_string_append(xml, "'");
        }
        if (io) {
            g_string_append(xml, " io='");
            vkshXMLEscapeAttr(xml, io);
            g_string_append(xml, "'");
        }
        g_string_append(xml, "/>\n");
    }
    g_string_append_printf(xml, "  <source %s='", block ? "dev" : "file");
    vkshXMLEscapeAttr(xml, source);
    g_string_append(xml, "'/>\n  <target dev='");
    vkshXMLEscapeAttr(xml, target);
    g_string_append(xml, "'");
    if (targetbus) {
        g_string_append(xml, " bus='");
        vkshXMLEscapeAttr(xml, targetbus);
        g_string_append(xml, "'");
    }
    g_string_append(xml, "/>\n");
    if (mode) {
        g_string_append_printf(xml, "  <%s/>\n", mode);
    }
    if (serial) {
        g_string_append(xml, "  <serial>");
        vkshXMLEscapeAttr(xml, serial);
        g_string_append(xml, "</serial>\n");
    }
    if (alias) {
        g_string_append(xml, "  <alias name='");
        vkshXMLEscapeAttr(xml, alias);
        g_string_append(xml, "'/>\n");
    }
    g_string_append(xml, "</disk>\n");

    if (vkshOptBool(cmd, "print-xml")) {
        vkshPrint(ctl, "%s", xml->str);
        return true;
    }
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptBool(cmd, "persistent") && virDomainIsActive(dom) == 1)
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    if (flags || current)
        rv = virDomainAttachDeviceFlags(dom, xml->str, flags);
    else
        rv = virDomainAttachDevice(dom, xml->str);
    if (rv < 0) {
        vkshError(ctl, "%s", "Failed to attach disk");
        return false;
    }
    vkshPrintExtra(ctl, "%s", "Disk attached successfully\n");
    return true;
}

const vkshOptDef vkshOptsDetachDisk[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "target", VKSH_OT_STRING, VKSH_OFLAG_REQ, "target of disk device" },
    VKSH_IMPACT_OPTS,
    { "print-xml", VKSH_OT_BOOL, 0, "print XML document rather than detach the disk" },
    { NULL, 0, 0, NULL },
};

/* virsh's virshFindDisk: the <disk> whose source or target is @name. */
static char *
vkshFindDiskXML(const char *domxml, const char *name)
{
    xmlDocPtr doc =
        xmlReadMemory(domxml, (int)strlen(domxml), "domain.xml", NULL,
                      XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    char *ret = NULL;

    for (xmlNodePtr devs = root ? root->children : NULL; devs && !ret;
         devs = devs->next) {
        if (devs->type != XML_ELEMENT_NODE ||
            !xmlStrEqual(devs->name, BAD_CAST "devices"))
            continue;
        for (xmlNodePtr d = devs->children; d && !ret; d = d->next) {
            bool match = false;

            if (d->type != XML_ELEMENT_NODE || !xmlStrEqual(d->name, BAD_CAST "disk"))
                continue;
            for (xmlNodePtr c = d->children; c && !match; c = c->next) {
                static const char *const attrs[] = { "file", "dev", "dir", "name" };

                if (c->type != XML_ELEMENT_NODE)
                    continue;
                if (xmlStrEqual(c->name, BAD_CAST "source")) {
                    for (size_t i = 0; i < G_N_ELEMENTS(attrs) && !match; i++) {
                        xmlChar *v = xmlGetProp(c, BAD_CAST attrs[i]);

                        match = v && strcmp((const char *)v, name) == 0;
                        xmlFree(v);
                    }
                } else if (xmlStrEqual(c->name, BAD_CAST "target")) {
                    xmlChar *v = xmlGetProp(c, BAD_CAST "dev");

                    match = v && strcmp((const char *)v, name) == 0;
                    xmlFree(v);
                }
            }
            if (match) {
                xmlBufferPtr buf = xmlBufferCreate();

                if (xmlNodeDump(buf, doc, d, 0, 0) >= 0)
                    ret = g_strdup((const char *)xmlBufferContent(buf));
                xmlBufferFree(buf);
            }
        }
    }
    xmlFreeDoc(doc);
    return ret;
}

bool
vkshCmdDetachDisk(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *domxml = NULL;
    g_autofree char *diskxml = NULL;
    const char *target = NULL;
    unsigned int flags;
    bool current;
    int rv;

    if (!vkshDeviceImpact(ctl, cmd, &flags, &current, true))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "target", &target) <= 0)
        return false;
    if (vkshOptBool(cmd, "persistent") && virDomainIsActive(dom) == 1)
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    if (!(domxml = virDomainGetXMLDesc(
              dom, flags == VIR_DOMAIN_AFFECT_CONFIG ? VIR_DOMAIN_XML_INACTIVE : 0)))
        return false;
    if (!(diskxml = vkshFindDiskXML(domxml, target))) {
        vkshError(ctl, "No disk found whose source path or target is %s", target);
        return false;
    }
    if (vkshOptBool(cmd, "print-xml")) {
        vkshPrint(ctl, "%s", diskxml);
        return true;
    }
    if (flags || current)
        rv = virDomainDetachDeviceFlags(dom, diskxml, flags);
    else
        rv = virDomainDetachDevice(dom, diskxml);
    if (rv < 0) {
        vkshError(ctl, "%s", "Failed to detach disk");
        return false;
    }
    vkshPrintExtra(ctl, "%s", "Disk detached successfully\n");
    return true;
}

/* ---- domblklist ---------------------------------------------------------- */

const vkshOptDef vkshOptsDomblklist[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "inactive", VKSH_OT_BOOL, 0, "get inactive rather than running configuration" },
    { "details", VKSH_OT_BOOL, 0, "additionally display the type and device value" },
    { NULL, 0, 0, NULL },
};

static char *
vkshXMLProp(xmlNodePtr node, const char *name)
{
    xmlChar *v = xmlGetProp(node, BAD_CAST name);
    char *ret = v ? g_strdup((const char *)v) : NULL;

    xmlFree(v);
    return ret;
}

bool
vkshCmdDomblklist(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *domxml = NULL;
    g_autoptr(GPtrArray) rows =
        g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    bool details = vkshOptBool(cmd, "details");
    xmlDocPtr doc;
    xmlNodePtr root;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!(domxml = virDomainGetXMLDesc(
              dom, vkshOptBool(cmd, "inactive") ? VIR_DOMAIN_XML_INACTIVE : 0)))
        return false;
    if (!(doc = xmlReadMemory(domxml, (int)strlen(domxml), "domain.xml", NULL,
                              XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR)))
        return false;
    root = xmlDocGetRootElement(doc);
    if (details)
        g_ptr_array_add(
            rows, g_strdupv((char *[]){ "Type", "Device", "Target", "Source", NULL }));
    else
        g_ptr_array_add(rows, g_strdupv((char *[]){ "Target", "Source", NULL }));
    for (xmlNodePtr devs = root ? root->children : NULL; devs; devs = devs->next) {
        if (devs->type != XML_ELEMENT_NODE ||
            !xmlStrEqual(devs->name, BAD_CAST "devices"))
            continue;
        for (xmlNodePtr d = devs->children; d; d = d->next) {
            g_autofree char *target = NULL;
            g_autofree char *source = NULL;
            char **row;

            if (d->type != XML_ELEMENT_NODE || !xmlStrEqual(d->name, BAD_CAST "disk"))
                continue;
            for (xmlNodePtr c = d->children; c; c = c->next) {
                static const char *const attrs[] = { "file", "dev", "dir", "name",
                                                     "volume" };

                if (c->type != XML_ELEMENT_NODE)
                    continue;
                if (xmlStrEqual(c->name, BAD_CAST "target") && !target) {
                    target = vkshXMLProp(c, "dev");
                } else if (xmlStrEqual(c->name, BAD_CAST "source") && !source) {
                    for (size_t i = 0; i < G_N_ELEMENTS(attrs) && !source; i++)
                        source = vkshXMLProp(c, attrs[i]);
                    if (source && xmlHasProp(c, BAD_CAST "pool")) {
                        g_autofree char *pool = vkshXMLProp(c, "pool");
                        char *both = g_strdup_printf("%s/%s", pool, source);

                        g_free(source);
                        source = both;
                    }
                }
            }
            if (!target) {
                vkshError(ctl, "%s", "unable to query block list");
                xmlFreeDoc(doc);
                return false;
            }
            if (details) {
                g_autofree char *type = vkshXMLProp(d, "type");
                g_autofree char *device = vkshXMLProp(d, "device");

                row = g_new0(char *, 5);
                row[0] = g_strdup(type ? type : "");
                row[1] = g_strdup(device ? device : "disk");
                row[2] = g_steal_pointer(&target);
                row[3] = g_strdup(source ? source : "-");
            } else {
                row = g_new0(char *, 3);
                row[0] = g_steal_pointer(&target);
                row[1] = g_strdup(source ? source : "-");
            }
            g_ptr_array_add(rows, row);
        }
    }
    xmlFreeDoc(doc);
    vkshTablePrint(ctl, rows, details ? 4 : 2, !ctl->quiet);
    return true;
}
