/* domain_status.c: <domstatus> runtime state files and persistent config files */

#define G_LOG_DOMAIN "virtkit.conf.status"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domain_status.h"
#include "domain_messages.h"
#include "domain_conf_priv.h"
#include "virerror.h"
#include "virfile.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

char *
virDomainStatusFormat(virDomainObj *obj, const virDomainStatusCallbacks *cb)
{
    GString *buf = g_string_sized_new(2048);
    const char *state = virDomainStateTypeToString(obj->state);
    const char *reason = virDomainStateReasonToString(obj->state, obj->reason);

    g_string_append_printf(buf, "<domstatus state='%s' reason='%s' pid='%lld'>\n",
                           state ? state : "nostate", reason ? reason : "unknown",
                           (long long)obj->pid);
    virDomainObjFormatMessages(buf, obj, 2);
    if (cb && cb->format)
        cb->format(buf, obj, cb->opaque);
    virDomainDefFormatBuf(buf, obj->def, VIR_DOMAIN_DEF_FORMAT_STATUS, 2);
    g_string_append(buf, "</domstatus>\n");
    return g_string_free(buf, FALSE);
}

static virDomainObj *
statusParseDoc(xmlDocPtr doc, const virDomainStatusCallbacks *cb)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr domain;
    g_autofree char *state = NULL;
    g_autofree char *reason = NULL;
    g_autofree char *pid = NULL;
    virDomainObj *obj = NULL;
    virDomainDef *def;
    int st, rs;
    long long pidval = 0;

    if (!root || strcmp((const char *)root->name, "domstatus") != 0) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "expecting root element of 'domstatus', not '%s'",
                           root ? (const char *)root->name : "");
        return NULL;
    }

    state = virDomainXMLProp(root, "state");
    reason = virDomainXMLProp(root, "reason");
    if (!state) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing domain state");
        return NULL;
    }
    if ((st = virDomainStateTypeFromString(state)) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "invalid domain state '%s'", state);
        return NULL;
    }
    rs = 0;
    if (reason && (rs = virDomainStateReasonFromString(st, reason)) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "invalid domain state reason '%s'",
                       reason);
        return NULL;
    }
    if ((pid = virDomainXMLProp(root, "pid"))) {
        char *end = NULL;

        errno = 0;
        pidval = strtoll(pid, &end, 10);
        if (!*pid || errno || *end || pidval < 0 || pidval > G_MAXINT32) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "invalid pid '%s'", pid);
            return NULL;
        }
    }

    if (!(domain = virDomainXMLChild(root, "domain"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "no domain config");
        return NULL;
    }
    if (!(def = virDomainDefParseNode(domain, VIR_DOMAIN_DEF_PARSE_STATUS)))
        return NULL;

    obj = virDomainObjNew();
    obj->def = def;
    obj->state = st;
    obj->reason = rs;
    obj->pid = (pid_t)pidval;
    if (virDomainMessagesParse(root, &obj->taint, &obj->deprecations) < 0 ||
        (cb && cb->parse && cb->parse(root, obj, cb->opaque) < 0)) {
        virDomainObjUnref(obj);
        return NULL;
    }
    return obj;
}

virDomainObj *
virDomainStatusParseString(const char *xml, const virDomainStatusCallbacks *cb)
{
    xmlDocPtr doc;
    virDomainObj *obj;

    if (!(doc = virDomainXMLReadDoc(xml, strlen(xml), "(domain_status)")))
        return NULL;
    obj = statusParseDoc(doc, cb);
    xmlFreeDoc(doc);
    return obj;
}

virDomainObj *
virDomainStatusParseFile(const char *path, const virDomainStatusCallbacks *cb)
{
    g_autofree char *buf = NULL;
    ssize_t len;
    xmlDocPtr doc;
    virDomainObj *obj;

    if ((len = virFileReadAll(path, VIR_DOMAIN_XML_MAX_SIZE, &buf)) < 0)
        return NULL;
    if (!(doc = virDomainXMLReadDoc(buf, len, path)))
        return NULL;
    obj = statusParseDoc(doc, cb);
    xmlFreeDoc(doc);
    return obj;
}

int
virDomainStatusSave(virDomainObj *obj, const char *path,
                    const virDomainStatusCallbacks *cb)
{
    g_autofree char *header = virDomainFileHeader(obj->def);
    g_autofree char *xml = virDomainStatusFormat(obj, cb);
    g_autofree char *data = g_strconcat(header, xml, NULL);

    return virFileWriteAtomic(path, data, strlen(data), 0600);
}

/* libvirt's virXMLPickShellSafeComment: the name unless a shell would
 * read it as more than one plain word. */
static bool
shellSafe(const char *str)
{
    return str && *str && *str != '-' && !strpbrk(str, "\r\t\n !\"#$&'()*;<>?[\\]^`{|}~");
}

char *
virDomainFileHeader(const virDomainDef *def)
{
    char uuid[VIR_UUID_STRING_BUFLEN];
    const char *name = shellSafe(def->name) ? def->name : virUUIDFormat(def->uuid, uuid);

    return g_strdup_printf(
        "<!--\n"
        "WARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\n"
        "OVERWRITTEN AND LOST. Changes to this xml configuration should be made using:\n"
        "  virsh edit %s\n"
        "or other application using the libvirt API.\n"
        "-->\n\n",
        name);
}

char *
virDomainConfigFile(const char *dir, const char *name)
{
    return g_strdup_printf("%s/%s.xml", dir, name);
}

int
virDomainDefSaveConfig(const virDomainDef *def, const char *dir)
{
    g_autofree char *path = virDomainConfigFile(dir, def->name);
    g_autofree char *header = virDomainFileHeader(def);
    g_autofree char *xml = virDomainDefFormat(def, VIR_DOMAIN_DEF_FORMAT_INACTIVE);
    g_autofree char *data = g_strconcat(header, xml, NULL);

    return virFileWriteAtomic(path, data, strlen(data), 0600);
}

int
virDomainDefDeleteConfig(const char *dir, const char *name)
{
    g_autofree char *path = virDomainConfigFile(dir, name);

    return virFileRemoveDurable(path);
}
