/* vksh-domif.c: a domain's network interfaces: domiflist, attach-interface, detach-interface, as virsh 9.0 */
#define G_LOG_DOMAIN "vksh.domif"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "vksh.h"

/* Every output below is virsh 9.0's (tools/virsh-domain-monitor.c,
 * tools/virsh-domain.c), byte for byte. */

const vkshOptDef vkshOptsDomiflist[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "inactive", VKSH_OT_BOOL, 0, "get inactive rather than running configuration" },
    { NULL, 0, 0, NULL },
};

/* The value of attribute @name of the first child element @elem of @node,
 * or of the first of @names (NULL-terminated) it has; a new string or NULL. */
static char *
domifChildProp(xmlNodePtr node, const char *elem, const char *const *names)
{
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || !xmlStrEqual(c->name, BAD_CAST elem))
            continue;
        for (xmlAttrPtr a = c->properties; a; a = a->next) {
            for (size_t i = 0; names[i]; i++) {
                xmlChar *v;
                char *ret;

                if (!xmlStrEqual(a->name, BAD_CAST names[i]))
                    continue;
                v = xmlGetProp(c, a->name);
                ret = g_strdup(v ? (const char *)v : "");
                xmlFree(v);
                return ret;
            }
        }
        return NULL;
    }
    return NULL;
}

bool
vkshCmdDomiflist(vkshControl *ctl, const vkshCmd *cmd)
{
    static const char *const sourceAttrs[] = { "bridge", "dev",  "network",
                                               "name",   "path", NULL };
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *domxml = NULL;
    g_autoptr(GPtrArray) rows =
        g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
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
    g_ptr_array_add(rows, g_strdupv((char *[]){ "Interface", "Type", "Source", "Model",
                                                "MAC", NULL }));
    for (xmlNodePtr devs = root ? root->children : NULL; devs; devs = devs->next) {
        if (devs->type != XML_ELEMENT_NODE ||
            !xmlStrEqual(devs->name, BAD_CAST "devices"))
            continue;
        for (xmlNodePtr d = devs->children; d; d = d->next) {
            char *cells[5];
            xmlChar *type;

            if (d->type != XML_ELEMENT_NODE ||
                !xmlStrEqual(d->name, BAD_CAST "interface"))
                continue;
            type = xmlGetProp(d, BAD_CAST "type");
            cells[0] = domifChildProp(d, "target", (const char *[]){ "dev", NULL });
            cells[1] = g_strdup(type ? (const char *)type : "");
            cells[2] = domifChildProp(d, "source", sourceAttrs);
            cells[3] = domifChildProp(d, "model", (const char *[]){ "type", NULL });
            cells[4] = domifChildProp(d, "mac", (const char *[]){ "address", NULL });
            xmlFree(type);
            for (size_t i = 0; i < G_N_ELEMENTS(cells); i++) {
                if (!cells[i] || !*cells[i]) {
                    g_free(cells[i]);
                    cells[i] = g_strdup("-");
                }
            }
            g_ptr_array_add(rows, g_strdupv((char *[]){ cells[0], cells[1], cells[2],
                                                        cells[3], cells[4], NULL }));
            for (size_t i = 0; i < G_N_ELEMENTS(cells); i++)
                g_free(cells[i]);
        }
    }
    xmlFreeDoc(doc);
    vkshTablePrint(ctl, rows, 5, !ctl->quiet);
    return true;
}

/* ---- attach-interface / detach-interface ------------------------------------------ */

const vkshOptDef vkshOptsAttachInterface[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "type", VKSH_OT_STRING, VKSH_OFLAG_REQ, "network interface type" },
    { "source", VKSH_OT_STRING, VKSH_OFLAG_REQ, "source of network interface" },
    { "target", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "target network name" },
    { "mac", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "MAC address" },
    { "script", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "script used to bridge network interface" },
    { "model", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "model type" },
    { "alias", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "custom alias name of interface device" },
    { "inbound", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "control domain's incoming traffics" },
    { "outbound", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "control domain's outgoing traffics" },
    VKSH_IMPACT_OPTS,
    { "print-xml", VKSH_OT_BOOL, 0,
      "print XML document rather than attach the interface" },
    { "managed", VKSH_OT_BOOL, 0,
      "libvirt will automatically detach/attach the device from/to host" },
    { "source-mode", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "mode attribute of <source/> element" },
    { NULL, 0, 0, NULL },
};

const vkshOptDef vkshOptsDetachInterface[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "type", VKSH_OT_STRING, VKSH_OFLAG_REQ, "network interface type" },
    { "mac", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "MAC address" },
    VKSH_IMPACT_OPTS,
    { "print-xml", VKSH_OT_BOOL, 0,
      "print XML document rather than detach the interface" },
    { NULL, 0, 0, NULL },
};

/* The device commands' impact options (vkshDeviceImpact); *useFlags:
 * whether the Flags variant of the API is the one to call. */
static bool
domifImpact(vkshControl *ctl, const vkshCmd *cmd, unsigned int *flags, bool *useFlags)
{
    bool current;

    if (!vkshDeviceImpact(ctl, cmd, flags, &current, true))
        return false;
    *useFlags = *flags || current;
    return true;
}

/* virsh's rate string "average,peak,burst,floor" of option @dir as one
 * <inbound>/<outbound> element appended to @buf; false after reporting. */
static bool
domifRate(vkshControl *ctl, const vkshCmd *cmd, const char *dir, GString *buf)
{
    static const char *const fields[] = { "average", "peak", "burst", "floor" };
    guint64 v[4] = { 0 };
    const char *str = NULL;
    g_auto(GStrv) parts = NULL;

    if (vkshOptString(ctl, cmd, dir, &str) <= 0)
        return vkshOptRaw(cmd, dir) == NULL;
    parts = g_strsplit(str, ",", -1);
    if (g_strv_length(parts) > 4) {
        vkshError(ctl, "Rate string '%s' has too many fields", str);
        return false;
    }
    for (size_t i = 0; parts[i]; i++) {
        char *end = NULL;

        if (!*parts[i])
            continue;
        errno = 0;
        v[i] = g_ascii_strtoull(parts[i], &end, 10);
        if (errno || *end || parts[i][0] == '-') {
            vkshError(ctl, "field '%s' is malformed", fields[i]);
            return false;
        }
    }
    if (strcmp(dir, "inbound") == 0 && !v[0] && !v[3]) {
        vkshError(ctl, "%s", "either inbound average or floor is mandatory");
        return false;
    }
    if (strcmp(dir, "outbound") == 0) {
        if (!v[0]) {
            vkshError(ctl, "%s", "outbound average is mandatory");
            return false;
        }
        if (v[3]) {
            vkshError(ctl, "%s", "outbound floor is unsupported yet");
            return false;
        }
    }
    g_string_append_printf(buf, "    <%s", dir);
    for (size_t i = 0; i < 4; i++) {
        if (v[i])
            g_string_append_printf(buf, " %s='%" G_GUINT64_FORMAT "'", fields[i], v[i]);
    }
    g_string_append(buf, "/>\n");
    return true;
}

/* The <source> of @type for @source; false after reporting. */
static bool
domifSource(vkshControl *ctl, const char *type, const char *source, const char *mode,
            GString *xml)
{
    unsigned int dom, bus, slot, fn;
    char end;

    if (strcmp(type, "network") == 0 || strcmp(type, "bridge") == 0) {
        g_string_append_printf(xml, "  <source %s='%s'/>\n", type, source);
    } else if (strcmp(type, "direct") == 0) {
        g_string_append_printf(xml, "  <source dev='%s'/>\n", source);
    } else if (strcmp(type, "vhostuser") == 0) {
        if (!mode) {
            vkshError(ctl, "%s", "source-mode is mandatory");
            return false;
        }
        g_string_append_printf(xml, "  <source type='unix' path='%s' mode='%s'/>\n",
                               source, mode);
    } else if (strcmp(type, "hostdev") == 0) {
        if (sscanf(source, "%x:%x:%x.%x%c", &dom, &bus, &slot, &fn, &end) != 4) {
            vkshError(ctl, "cannot parse pci address '%s' for network interface", source);
            return false;
        }
        g_string_append_printf(
            xml,
            "  <source>\n    <address type='pci' domain='0x%04x' "
            "bus='0x%02x' slot='0x%02x' function='0x%x'/>\n  </source>\n",
            dom, bus, slot, fn);
    } else {
        vkshError(ctl, "No support for %s in command 'attach-interface'", type);
        return false;
    }
    return true;
}

/* libvirt 9.0's interface types (virDomainNetType) */
static const char *const netTypes[] = { "user",     "ethernet", "vhostuser", "server",
                                        "client",   "mcast",    "network",   "bridge",
                                        "internal", "direct",   "hostdev",   "udp",
                                        "vdpa",     "null",     "vds",       NULL };

bool
vkshCmdAttachInterface(vkshControl *ctl, const vkshCmd *cmd)
{
    /* option, then the element and attribute it fills */
    static const char *const elems[][2] = {
        { "target", "target dev" },  { "mac", "mac address" },
        { "script", "script path" }, { "model", "model type" },
        { "alias", "alias name" },
    };
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(GString) xml = g_string_new(NULL);
    g_autoptr(GString) bw = g_string_new(NULL);
    const char *type = NULL, *source = NULL, *mode = NULL;
    unsigned int flags;
    bool useFlags;
    int rv;

    if (!domifImpact(ctl, cmd, &flags, &useFlags))
        return false;
    if (vkshOptString(ctl, cmd, "type", &type) <= 0 ||
        vkshOptString(ctl, cmd, "source", &source) <= 0 ||
        vkshOptString(ctl, cmd, "source-mode", &mode) < 0)
        return false;
    if (mode && strcmp(mode, "server") != 0 && strcmp(mode, "client") != 0) {
        vkshError(ctl, "Invalid source mode: %s", mode);
        return false;
    }
    if (!g_strv_contains(netTypes, type)) {
        vkshError(ctl, "No support for %s in command 'attach-interface'", type);
        return false;
    }
    if (!domifRate(ctl, cmd, "inbound", bw) || !domifRate(ctl, cmd, "outbound", bw))
        return false;
    g_string_append_printf(xml, "<interface type='%s'%s>\n", type,
                           vkshOptBool(cmd, "managed") ? " managed='yes'" : "");
    if (!domifSource(ctl, type, source, mode, xml))
        return false;
    for (size_t i = 0; i < G_N_ELEMENTS(elems); i++) {
        const char *v = NULL;

        if (vkshOptString(ctl, cmd, elems[i][0], &v) < 0)
            return false;
        if (v)
            g_string_append_printf(xml, "  <%s='%s'/>\n", elems[i][1], v);
    }
    if (bw->len)
        g_string_append_printf(xml, "  <bandwidth>\n%s  </bandwidth>\n", bw->str);
    g_string_append(xml, "</interface>\n");
    if (vkshOptBool(cmd, "print-xml")) {
        vkshPrint(ctl, "%s", xml->str);
        return true;
    }
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptBool(cmd, "persistent") && virDomainIsActive(dom) == 1)
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    rv = useFlags ? virDomainAttachDeviceFlags(dom, xml->str, flags)
                  : virDomainAttachDevice(dom, xml->str);
    if (rv < 0) {
        vkshError(ctl, "%s", "Failed to attach interface");
        return false;
    }
    vkshPrint(ctl, "%s", "Interface attached successfully\n");
    return true;
}

/* The one <interface> of @root's <devices> of @type (and @mac): a new
 * serialization of it, or NULL after reporting. */
static char *
domifFind(vkshControl *ctl, xmlDocPtr doc, const char *type, const char *mac)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr found = NULL;
    int count = 0;
    xmlBufferPtr out;
    char *ret;

    for (xmlNodePtr devs = root ? root->children : NULL; devs; devs = devs->next) {
        if (devs->type != XML_ELEMENT_NODE ||
            !xmlStrEqual(devs->name, BAD_CAST "devices"))
            continue;
        for (xmlNodePtr d = devs->children; d; d = d->next) {
            xmlChar *t;
            bool match;

            if (d->type != XML_ELEMENT_NODE ||
                !xmlStrEqual(d->name, BAD_CAST "interface"))
                continue;
            t = xmlGetProp(d, BAD_CAST "type");
            match = t && strcmp((const char *)t, type) == 0;
            xmlFree(t);
            if (match && mac) {
                g_autofree char *addr =
                    domifChildProp(d, "mac", (const char *[]){ "address", NULL });

                match = addr && g_ascii_strcasecmp(addr, mac) == 0;
            }
            if (match && count++ == 0)
                found = d;
        }
    }
    if (!found) {
        if (mac)
            vkshError(ctl, "No interface with MAC address %s was found", mac);
        else
            vkshError(ctl, "No interface found whose type is %s", type);
        return NULL;
    }
    if (count > 1) {
        vkshError(
            ctl,
            "Domain has %d interfaces. Please specify which one to detach using --mac",
            count);
        return NULL;
    }
    out = xmlBufferCreate();
    xmlNodeDump(out, doc, found, 0, 0);
    ret = g_strdup((const char *)xmlBufferContent(out));
    xmlBufferFree(out);
    return ret;
}

bool
vkshCmdDetachInterface(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *domxml = NULL;
    g_autofree char *ifxml = NULL;
    const char *type = NULL, *mac = NULL;
    unsigned int flags;
    bool useFlags;
    xmlDocPtr doc;
    int rv;

    if (!domifImpact(ctl, cmd, &flags, &useFlags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "type", &type) <= 0 ||
        vkshOptString(ctl, cmd, "mac", &mac) < 0)
        return false;
    if (vkshOptBool(cmd, "persistent") && virDomainIsActive(dom) == 1)
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    if (!(domxml = virDomainGetXMLDesc(
              dom, (flags & VIR_DOMAIN_AFFECT_CONFIG) ? VIR_DOMAIN_XML_INACTIVE : 0)))
        goto failed;
    if (!(doc = xmlReadMemory(domxml, (int)strlen(domxml), "domain.xml", NULL,
                              XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR)))
        goto failed;
    ifxml = domifFind(ctl, doc, type, mac);
    xmlFreeDoc(doc);
    if (!ifxml)
        goto failed;
    if (vkshOptBool(cmd, "print-xml")) {
        vkshPrint(ctl, "%s", ifxml);
        return true;
    }
    rv = useFlags ? virDomainDetachDeviceFlags(dom, ifxml, flags)
                  : virDomainDetachDevice(dom, ifxml);
    if (rv < 0)
        goto failed;
    vkshPrint(ctl, "%s", "Interface detached successfully\n");
    return true;

failed:
    vkshError(ctl, "%s", "Failed to detach interface");
    return false;
}

/* ---- vncdisplay / ttyconsole: read from the live XML ------------------------------ */

const vkshOptDef vkshOptsVncdisplay[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { NULL, 0, 0, NULL },
};

/* Attribute @attr of the first element @elem of <devices> in @dom's live XML
 * whose attribute "type" is @type (any when NULL): a new string, or NULL
 * (*failed set when the XML could not be read). */
static char *
domifDeviceAttr(virDomainPtr dom, const char *elem, const char *type, const char *attr,
                bool *failed)
{
    g_autofree char *domxml = virDomainGetXMLDesc(dom, 0);
    xmlDocPtr doc;
    xmlNodePtr root;
    char *ret = NULL;

    *failed = !domxml;
    if (!domxml ||
        !(doc = xmlReadMemory(domxml, (int)strlen(domxml), "domain.xml", NULL,
                              XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR)))
        return NULL;
    root = xmlDocGetRootElement(doc);
    for (xmlNodePtr devs = root ? root->children : NULL; devs && !ret;
         devs = devs->next) {
        if (devs->type != XML_ELEMENT_NODE ||
            !xmlStrEqual(devs->name, BAD_CAST "devices"))
            continue;
        for (xmlNodePtr d = devs->children; d && !ret; d = d->next) {
            xmlChar *t, *v;

            if (d->type != XML_ELEMENT_NODE || !xmlStrEqual(d->name, BAD_CAST elem))
                continue;
            t = xmlGetProp(d, BAD_CAST "type");
            if (!type || (t && strcmp((const char *)t, type) == 0)) {
                if ((v = xmlGetProp(d, BAD_CAST attr)))
                    ret = g_strdup((const char *)v);
                xmlFree(v);
                xmlFree(t);
                break;
            }
            xmlFree(t);
        }
    }
    xmlFreeDoc(doc);
    return ret;
}

bool
vkshCmdVncdisplay(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *port = NULL;
    g_autofree char *listen = NULL;
    bool failed;
    char *end = NULL;
    long p;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (virDomainIsActive(dom) != 1) {
        vkshError(ctl, "%s", "Domain is not running");
        return false;
    }
    port = domifDeviceAttr(dom, "graphics", "vnc", "port", &failed);
    if (failed)
        return false;
    /* as virsh: only a missing or unreadable port fails (-1 prints :-5901) */
    if (!port || (p = strtol(port, &end, 10), *end || end == port)) {
        vkshError(ctl, "%s", "Failed to get VNC port. Is this domain using VNC?");
        return false;
    }
    listen = domifDeviceAttr(dom, "graphics", "vnc", "listen", &failed);
    if (!listen || strcmp(listen, "0.0.0.0") == 0 || strcmp(listen, "::") == 0)
        vkshPrint(ctl, ":%ld\n", p - 5900);
    else
        vkshPrint(ctl, "%s:%ld\n", listen, p - 5900);
    return true;
}

bool
vkshCmdTtyconsole(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *tty = NULL;
    bool failed;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    /* as virsh: no console tty fails without a message */
    if (!(tty = domifDeviceAttr(dom, "console", NULL, "tty", &failed)))
        return false;
    vkshPrint(ctl, "%s\n", tty);
    return true;
}
