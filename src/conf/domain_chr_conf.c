/* domain_chr_conf.c: a serial or console's host side (<source>, <protocol>) as libvirt 9.0 reads and writes it */

#define G_LOG_DOMAIN "virtkit.conf.chr"
#include <string.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

const char *
virDomainChrTypeToString(int type)
{
    return virDomainEnumToString(virDomainChrTypeNames, VIR_DOMAIN_CHR_TYPE_LAST, type);
}

/* <source mode>: "connect" (libvirt's default) or "bind"; 0, 1 or -1 */
static int
chrSourceMode(xmlNodePtr source, bool *bind)
{
    g_autofree char *mode = virDomainXMLProp(source, "mode");

    *bind = false;
    if (!mode || g_str_equal(mode, "connect"))
        return 0;
    if (g_str_equal(mode, "bind")) {
        *bind = true;
        return 0;
    }
    virDomainXMLReportInvalidAttr("mode", source, mode);
    return -1;
}

/* <reconnect enabled='yes|no' timeout='N'/> of a tcp or unix source */
static int
chrReconnectParse(virDomainChrDef *chr, xmlNodePtr source)
{
    xmlNodePtr node = virDomainXMLChild(source, "reconnect");
    g_autofree char *enabled = NULL;
    g_autofree char *timeout = NULL;
    unsigned long long val;

    if (!node || !(enabled = virDomainXMLProp(node, "enabled")))
        return 0;
    if (g_str_equal(enabled, "yes")) {
        chr->reconnect = 1;
    } else if (g_str_equal(enabled, "no")) {
        chr->reconnect = 2;
        return 0;
    } else {
        virDomainXMLReportInvalidAttr("enabled", node, enabled);
        return -1;
    }
    if (!(timeout = virDomainXMLProp(node, "timeout"))) {
        virDomainXMLReportMissingAttr("timeout", node);
        return -1;
    }
    if (virDomainParseULL(timeout, &val) < 0 || val > G_MAXUINT) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute '%s' in element '%s': '%s'. "
                           "Expected non-negative integer value",
                           "timeout", "reconnect", timeout);
        return -1;
    }
    chr->reconnectTimeout = (unsigned int)val;
    return 0;
}

/* one <source> of a udp device: the first of each mode counts */
static int
chrUdpSourceParse(virDomainChrDef *chr, xmlNodePtr source)
{
    bool bind;

    if (chrSourceMode(source, &bind) < 0)
        return -1;
    if (!bind && !chr->host && !chr->service) {
        chr->host = virDomainXMLProp(source, "host");
        chr->service = virDomainXMLProp(source, "service");
    } else if (bind && !chr->bindHost && !chr->bindService) {
        chr->bindHost = virDomainXMLProp(source, "host");
        chr->bindService = virDomainXMLProp(source, "service");
    }
    return 0;
}

int
virDomainChrSourceParse(virDomainChrDef *chr, xmlNodePtr node, unsigned int flags)
{
    xmlNodePtr sources[3] = { NULL, NULL, NULL };
    xmlNodePtr protocol = NULL;
    xmlNodePtr log = NULL;
    size_t nsources = 0;
    size_t nprotocols = 0;
    size_t nlogs = 0;

    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (virDomainXMLNodeIs(cur, "source")) {
            if (nsources < G_N_ELEMENTS(sources))
                sources[nsources] = cur;
            nsources++;
        } else if (virDomainXMLNodeIs(cur, "protocol")) {
            protocol = cur;
            nprotocols++;
        } else if (virDomainXMLNodeIs(cur, "log")) {
            log = cur;
            nlogs++;
        }
    }
    if (nsources > 1 && chr->type != VIR_DOMAIN_CHR_TYPE_UDP) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "only one source element is allowed for character device");
        return -1;
    }
    if (nsources > 2) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "only two source elements are allowed for character device");
        return -1;
    }
    if (nsources) {
        xmlNodePtr source = sources[0];

        switch ((virDomainChrType)chr->type) {
        case VIR_DOMAIN_CHR_TYPE_FILE:
        case VIR_DOMAIN_CHR_TYPE_DEV:
            /* present but empty is kept, as libvirt keeps it */
            chr->path = virDomainXMLProp(source, "path");
            if (chr->type == VIR_DOMAIN_CHR_TYPE_FILE &&
                virDomainXMLPropSwitch(source, "append", &chr->append) < 0)
                return -1;
            break;
        case VIR_DOMAIN_CHR_TYPE_PTY:
            /* the allocated pty is live-only data */
            if (!(flags & VIR_DOMAIN_DEF_PARSE_INACTIVE)) {
                chr->path = virDomainXMLProp(source, "path");
                if (chr->path && !*chr->path)
                    g_clear_pointer(&chr->path, g_free);
            }
            break;
        case VIR_DOMAIN_CHR_TYPE_UNIX:
            if (chrSourceMode(source, &chr->listen) < 0)
                return -1;
            chr->path = virDomainXMLProp(source, "path");
            if (chrReconnectParse(chr, source) < 0)
                return -1;
            break;
        case VIR_DOMAIN_CHR_TYPE_TCP:
            if (chrSourceMode(source, &chr->listen) < 0)
                return -1;
            chr->host = virDomainXMLProp(source, "host");
            chr->service = virDomainXMLProp(source, "service");
            if (chrReconnectParse(chr, source) < 0)
                return -1;
            break;
        case VIR_DOMAIN_CHR_TYPE_UDP:
            for (size_t i = 0; i < nsources; i++) {
                if (chrUdpSourceParse(chr, sources[i]) < 0)
                    return -1;
            }
            break;
        case VIR_DOMAIN_CHR_TYPE_NULL:
        case VIR_DOMAIN_CHR_TYPE_LAST:
            break;
        }
    }
    /* libvirt reads the log after the sources, then the protocol */
    if (nlogs > 1) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "only one log element is allowed for character device");
        return -1;
    }
    if (log) {
        chr->logFile = virDomainXMLProp(log, "file");
        if (virDomainXMLPropSwitch(log, "append", &chr->logAppend) < 0)
            return -1;
    }
    if (nprotocols > 1) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "only one protocol element is allowed for character device");
        return -1;
    }
    if (protocol && chr->type == VIR_DOMAIN_CHR_TYPE_TCP) {
        g_autofree char *type = virDomainXMLProp(protocol, "type");

        if (type) {
            int val = virDomainEnumFromString(virDomainChrTcpProtocolNames,
                                              VIR_DOMAIN_CHR_TCP_PROTOCOL_LAST, type);

            if (val < 0) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Unknown protocol '%s'", type);
                return -1;
            }
            chr->protocol = val;
        }
    }
    return 0;
}

int
virDomainChrSourceValidate(const virDomainChrDef *chr)
{
    switch ((virDomainChrType)chr->type) {
    case VIR_DOMAIN_CHR_TYPE_FILE:
    case VIR_DOMAIN_CHR_TYPE_DEV:
    case VIR_DOMAIN_CHR_TYPE_UNIX:
        if (!chr->path) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "Missing source path attribute for char device");
            return -1;
        }
        break;
    case VIR_DOMAIN_CHR_TYPE_TCP:
        if (!chr->host) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "Missing source host attribute for char device");
            return -1;
        }
        if (!chr->service) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "Missing source service attribute for char device");
            return -1;
        }
        break;
    case VIR_DOMAIN_CHR_TYPE_UDP:
        if (!chr->service) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "Missing source service attribute for char device");
            return -1;
        }
        break;
    case VIR_DOMAIN_CHR_TYPE_NULL:
    case VIR_DOMAIN_CHR_TYPE_PTY:
    case VIR_DOMAIN_CHR_TYPE_LAST:
        break;
    }
    if ((chr->type == VIR_DOMAIN_CHR_TYPE_TCP || chr->type == VIR_DOMAIN_CHR_TYPE_UNIX) &&
        chr->listen && chr->reconnect) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "chardev reconnect is possible only for connect mode");
        return -1;
    }
    return 0;
}

static void
chrAttr(GString *buf, const char *name, const char *value)
{
    if (!value)
        return;
    g_string_append_printf(buf, " %s='", name);
    virDomainXMLEscape(buf, value);
    g_string_append_c(buf, '\'');
}

static void
chrIndent(GString *buf, int indent)
{
    for (int i = 0; i < indent; i++)
        g_string_append_c(buf, ' ');
}

/* <reconnect>, one level below @indent; nothing when absent */
static void
chrReconnectFormat(GString *buf, int indent, const virDomainChrDef *chr)
{
    if (!chr->reconnect)
        return;
    chrIndent(buf, indent + 2);
    if (chr->reconnect == 1)
        g_string_append_printf(buf, "<reconnect enabled='yes' timeout='%u'/>\n",
                               chr->reconnectTimeout);
    else
        g_string_append(buf, "<reconnect enabled='no'/>\n");
}

void
virDomainChrSourceFormat(GString *buf, int indent, const virDomainChrDef *chr, bool live)
{
    switch ((virDomainChrType)chr->type) {
    case VIR_DOMAIN_CHR_TYPE_PTY:
        if (!live || !chr->path)
            break;
        G_GNUC_FALLTHROUGH;
    case VIR_DOMAIN_CHR_TYPE_FILE:
    case VIR_DOMAIN_CHR_TYPE_DEV:
        chrIndent(buf, indent);
        g_string_append(buf, "<source");
        chrAttr(buf, "path", chr->path);
        if (chr->type == VIR_DOMAIN_CHR_TYPE_FILE && chr->append)
            chrAttr(buf, "append", virDomainTristateSwitchName(chr->append));
        g_string_append(buf, "/>\n");
        break;
    case VIR_DOMAIN_CHR_TYPE_UDP:
        if (chr->bindHost || chr->bindService) {
            chrIndent(buf, indent);
            g_string_append(buf, "<source mode='bind'");
            chrAttr(buf, "host", chr->bindHost);
            chrAttr(buf, "service", chr->bindService);
            g_string_append(buf, "/>\n");
        }
        if (chr->host || chr->service) {
            chrIndent(buf, indent);
            g_string_append(buf, "<source mode='connect'");
            chrAttr(buf, "host", chr->host);
            chrAttr(buf, "service", chr->service);
            g_string_append(buf, "/>\n");
        }
        break;
    case VIR_DOMAIN_CHR_TYPE_TCP:
        chrIndent(buf, indent);
        g_string_append_printf(buf, "<source mode='%s'",
                               chr->listen ? "bind" : "connect");
        chrAttr(buf, "host", chr->host);
        chrAttr(buf, "service", chr->service);
        if (chr->reconnect) {
            g_string_append(buf, ">\n");
            chrReconnectFormat(buf, indent, chr);
            chrIndent(buf, indent);
            g_string_append(buf, "</source>\n");
        } else {
            g_string_append(buf, "/>\n");
        }
        chrIndent(buf, indent);
        g_string_append_printf(buf, "<protocol type='%s'/>\n",
                               virDomainChrTcpProtocolNames[chr->protocol]);
        break;
    case VIR_DOMAIN_CHR_TYPE_UNIX:
        if (!chr->path)
            break;
        chrIndent(buf, indent);
        g_string_append_printf(buf, "<source mode='%s'",
                               chr->listen ? "bind" : "connect");
        chrAttr(buf, "path", chr->path);
        if (chr->reconnect) {
            g_string_append(buf, ">\n");
            chrReconnectFormat(buf, indent, chr);
            chrIndent(buf, indent);
            g_string_append(buf, "</source>\n");
        } else {
            g_string_append(buf, "/>\n");
        }
        break;
    case VIR_DOMAIN_CHR_TYPE_NULL:
    case VIR_DOMAIN_CHR_TYPE_LAST:
        break;
    }
    /* after the source and the protocol, as libvirt writes it */
    if (chr->logFile) {
        chrIndent(buf, indent);
        g_string_append(buf, "<log");
        chrAttr(buf, "file", chr->logFile);
        if (chr->logAppend)
            chrAttr(buf, "append", virDomainTristateSwitchName(chr->logAppend));
        g_string_append(buf, "/>\n");
    }
}
