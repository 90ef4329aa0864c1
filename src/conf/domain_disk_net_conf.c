/* domain_disk_net_conf.c: a network disk's <source protocol=...> and a disk's <auth>,
 * parsed, checked and formatted as libvirt 9.0 does */

#define G_LOG_DOMAIN "virtkit.conf.disknet"

#include <string.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

static const char *const protocolNames[VIR_STORAGE_NET_PROTOCOL_LAST] = {
    "none",  "nbd", "rbd",  "sheepdog", "gluster", "iscsi", "http",
    "https", "ftp", "ftps", "tftp",     "ssh",     "vxhs",  "nfs",
};
static const char *const transportNames[VIR_STORAGE_NET_HOST_TRANS_LAST] = {
    "tcp",
    "unix",
    "rdma",
};
static const char *const authTypeNames[] = { "none", "chap", "ceph", NULL };
/* libvirt's virSecretUsageType names */
static const char *const secretUsageNames[] = {
    "none", "volume", "ceph", "iscsi", "tls", "vtpm", NULL,
};
static const char *const boolNames[VIR_DOMAIN_TRISTATE_LAST] = { "absent", "yes", "no" };

const char *
virStorageNetProtocolToString(int protocol)
{
    return virDomainEnumToString(protocolNames, VIR_STORAGE_NET_PROTOCOL_LAST, protocol);
}

/* libvirt's virStorageSourceNetworkDefaultPort */
static unsigned int
defaultPort(int protocol)
{
    switch (protocol) {
    case VIR_STORAGE_NET_PROTOCOL_HTTP:
        return 80;
    case VIR_STORAGE_NET_PROTOCOL_HTTPS:
        return 443;
    case VIR_STORAGE_NET_PROTOCOL_FTP:
        return 21;
    case VIR_STORAGE_NET_PROTOCOL_FTPS:
        return 990;
    case VIR_STORAGE_NET_PROTOCOL_TFTP:
        return 69;
    case VIR_STORAGE_NET_PROTOCOL_SHEEPDOG:
        return 7000;
    case VIR_STORAGE_NET_PROTOCOL_NBD:
        return 10809;
    case VIR_STORAGE_NET_PROTOCOL_SSH:
        return 22;
    case VIR_STORAGE_NET_PROTOCOL_ISCSI:
        return 3260;
    case VIR_STORAGE_NET_PROTOCOL_GLUSTER:
        return 24007;
    case VIR_STORAGE_NET_PROTOCOL_VXHS:
        return 9999;
    default: /* rbd: none; nfs: no port at all */
        return 0;
    }
}

void
virStorageAuthDefFree(virStorageAuthDef *auth)
{
    if (!auth)
        return;
    g_free(auth->username);
    g_free(auth->secretType);
    g_free(auth->usage);
    g_free(auth);
}

virStorageAuthDef *
virStorageAuthDefCopy(const virStorageAuthDef *auth)
{
    virStorageAuthDef *dst;

    if (!auth)
        return NULL;
    dst = g_new0(virStorageAuthDef, 1);
    *dst = *auth;
    dst->username = g_strdup(auth->username);
    dst->secretType = g_strdup(auth->secretType);
    dst->usage = g_strdup(auth->usage);
    return dst;
}

void
virDomainDiskNetSourceFree(virDomainDiskNetSource *net)
{
    if (!net)
        return;
    g_free(net->name);
    g_free(net->query);
    g_free(net->tlsHostname);
    for (size_t i = 0; i < net->nhosts; i++) {
        g_free(net->hosts[i].name);
        g_free(net->hosts[i].socket);
    }
    g_free(net->hosts);
    g_free(net->nfsUser);
    g_free(net->nfsGroup);
    g_free(net->snapshot);
    g_free(net->configFile);
    g_free(net->iqn);
    for (size_t i = 0; i < net->ncookies; i++) {
        g_free(net->cookies[i].name);
        g_free(net->cookies[i].value);
    }
    g_free(net->cookies);
    g_free(net);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainDiskNetSource, virDomainDiskNetSourceFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virStorageAuthDef, virStorageAuthDefFree);

virDomainDiskNetSource *
virDomainDiskNetSourceCopy(const virDomainDiskNetSource *src)
{
    virDomainDiskNetSource *dst;

    if (!src)
        return NULL;
    dst = g_new0(virDomainDiskNetSource, 1);
    *dst = *src;
    dst->name = g_strdup(src->name);
    dst->query = g_strdup(src->query);
    dst->tlsHostname = g_strdup(src->tlsHostname);
    dst->hosts = src->nhosts ? g_new0(virStorageNetHostDef, src->nhosts) : NULL;
    for (size_t i = 0; i < src->nhosts; i++) {
        dst->hosts[i] = src->hosts[i];
        dst->hosts[i].name = g_strdup(src->hosts[i].name);
        dst->hosts[i].socket = g_strdup(src->hosts[i].socket);
    }
    dst->nfsUser = g_strdup(src->nfsUser);
    dst->nfsGroup = g_strdup(src->nfsGroup);
    dst->snapshot = g_strdup(src->snapshot);
    dst->configFile = g_strdup(src->configFile);
    dst->iqn = g_strdup(src->iqn);
    dst->cookies = src->ncookies ? g_new0(virStorageNetCookieDef, src->ncookies) : NULL;
    for (size_t i = 0; i < src->ncookies; i++) {
        dst->cookies[i].name = g_strdup(src->cookies[i].name);
        dst->cookies[i].value = g_strdup(src->cookies[i].value);
    }
    return dst;
}

bool
virDomainDiskHasMedia(const virDomainDiskDef *disk)
{
    return disk->src || disk->srcPool || disk->net;
}

/* libvirt's virXMLPropTristateBool: "yes" / "no" */
static int
parseYesNo(xmlNodePtr node, const char *attr, int *out)
{
    g_autofree char *val = virDomainXMLProp(node, attr);

    if (!val)
        return 0;
    if (g_str_equal(val, "yes")) {
        *out = VIR_DOMAIN_TRISTATE_ON;
    } else if (g_str_equal(val, "no")) {
        *out = VIR_DOMAIN_TRISTATE_OFF;
    } else {
        virDomainXMLReportInvalidAttr(attr, node, val);
        return -1;
    }
    return 0;
}

int
virDomainDiskAuthParse(xmlNodePtr node, virStorageAuthDef **out)
{
    g_autoptr(virStorageAuthDef) auth = g_new0(virStorageAuthDef, 1);
    g_autofree char *type = virDomainXMLProp(node, "type");
    g_autofree char *uuid = NULL;
    xmlNodePtr secret;

    if (!(auth->username = virDomainXMLProp(node, "username"))) {
        virReportErrorFull(VIR_FROM_STORAGE, VIR_ERR_XML_ERROR, __func__, "%s",
                           "missing username for auth");
        return -1;
    }
    if (type) {
        int t = -1;

        for (int i = 0; authTypeNames[i]; i++) {
            if (g_str_equal(authTypeNames[i], type))
                t = i;
        }
        if (t < 0) {
            virReportErrorFull(VIR_FROM_STORAGE, VIR_ERR_CONFIG_UNSUPPORTED, __func__,
                               "unknown auth type '%s'", type);
            return -1;
        }
        auth->authType = t;
    }
    if (!(secret = virDomainXMLChild(node, "secret"))) {
        virReportErrorFull(VIR_FROM_STORAGE, VIR_ERR_XML_ERROR, __func__, "%s",
                           "Missing <secret> element in auth");
        return -1;
    }
    auth->secretType = virDomainXMLProp(secret, "type");
    uuid = virDomainXMLProp(secret, "uuid");
    auth->usage = virDomainXMLProp(secret, "usage");
    if (!uuid && !auth->usage) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_XML_ERROR, __func__, "%s",
                           "missing secret uuid or usage attribute");
        return -1;
    }
    if (uuid && auth->usage) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_XML_ERROR, __func__, "%s",
                           "either secret uuid or usage expected");
        return -1;
    }
    if (uuid) {
        if (virUUIDParse(uuid, auth->uuid) < 0) {
            virReportErrorFull(VIR_FROM_NONE, VIR_ERR_XML_ERROR, __func__,
                               "invalid secret uuid '%s'", uuid);
            return -1;
        }
        auth->useUUID = true;
    }
    *out = g_steal_pointer(&auth);
    return 0;
}

/* libvirt's port parsing (virStringParsePort): INVALID_ARG, domain NONE */
static int
parsePort(const char *str, unsigned int *port)
{
    unsigned long long p;

    if (virDomainParseULL(str, &p) < 0 || p > G_MAXUINT) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __func__,
                           "failed to parse port number '%s'", str);
        return -1;
    }
    if (p > G_MAXUINT16) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __func__,
                           "port '%s' out of range", str);
        return -1;
    }
    *port = (unsigned int)p;
    return 0;
}

static int
parseHost(xmlNodePtr node, virStorageNetHostDef *host)
{
    g_autofree char *transport = virDomainXMLProp(node, "transport");
    g_autofree char *port = NULL;

    if (transport) {
        host->transport = virDomainEnumFromString(
            transportNames, VIR_STORAGE_NET_HOST_TRANS_LAST, transport);
        if (host->transport < 0) {
            host->transport = 0;
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "unknown protocol transport type '%s'", transport);
            return -1;
        }
    }
    host->socket = virDomainXMLProp(node, "socket");
    if (host->transport == VIR_STORAGE_NET_HOST_TRANS_UNIX && !host->socket) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing socket for unix transport");
        return -1;
    }
    if (host->transport != VIR_STORAGE_NET_HOST_TRANS_UNIX && host->socket) {
        virReportError(VIR_ERR_XML_ERROR,
                       "transport '%s' does not support socket attribute",
                       transport ? transport : "(null)");
        return -1;
    }
    if (host->transport != VIR_STORAGE_NET_HOST_TRANS_UNIX) {
        if (!(host->name = virDomainXMLProp(node, "name"))) {
            virReportError(VIR_ERR_XML_ERROR, "%s", "missing name for host");
            return -1;
        }
        if ((port = virDomainXMLProp(node, "port")) && parsePort(port, &host->port) < 0)
            return -1;
    }
    return 0;
}

/* libvirt's cookie checks (RFC 6265 characters, optional quotes; domain
 * STORAGE, as libvirt's storage source code reports them) */
static int
checkCookie(const virStorageNetCookieDef *c)
{
    static const char valueBad[] = "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0A\x0B\x0C\x0D"
                                   "\x0E\x0F\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1A"
                                   "\x1B\x1C\x1D\x1E\x1F \",;\\";
    static const char nameBad[] = "()<>@:/[]?={}";
    g_autofree char *val = g_strdup(c->value);
    const char *check = val;
    size_t len = strlen(val);

    if (!*c->name) {
        virReportErrorFull(VIR_FROM_STORAGE, VIR_ERR_XML_ERROR, __func__, "%s",
                           "cookie name must not be empty");
        return -1;
    }
    if (strpbrk(c->name, valueBad) || strpbrk(c->name, nameBad)) {
        virReportErrorFull(VIR_FROM_STORAGE, VIR_ERR_XML_ERROR, __func__,
                           "cookie name '%s' contains invalid characters", c->name);
        return -1;
    }
    if (len > 0 && val[0] == '"') {
        if (val[len - 1] != '"') {
            virReportErrorFull(VIR_FROM_STORAGE, VIR_ERR_XML_ERROR, __func__,
                               "value of cookie '%s' contains invalid characters",
                               c->name);
            return -1;
        }
        val[len - 1] = '\0';
        check++;
    }
    if (strpbrk(check, valueBad)) {
        virReportErrorFull(VIR_FROM_STORAGE, VIR_ERR_XML_ERROR, __func__,
                           "value of cookie '%s' contains invalid characters", c->name);
        return -1;
    }
    return 0;
}

static int
parseCookies(xmlNodePtr node, virDomainDiskNetSource *net)
{
    size_t n = 0;

    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (virDomainXMLNodeIs(c, "cookie"))
            n++;
    }
    net->cookies = n ? g_new0(virStorageNetCookieDef, n) : NULL;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        virStorageNetCookieDef *cookie;

        if (!virDomainXMLNodeIs(c, "cookie"))
            continue;
        cookie = &net->cookies[net->ncookies++];
        if (!(cookie->name = virDomainXMLProp(c, "name"))) {
            virReportError(VIR_ERR_XML_ERROR, "%s", "missing cookie name");
            return -1;
        }
        cookie->value = virDomainXMLNodeText(c);
        if (!cookie->value)
            cookie->value = g_strdup("");
    }
    for (size_t i = 0; i < net->ncookies; i++) {
        if (checkCookie(&net->cookies[i]) < 0)
            return -1;
        for (size_t j = i + 1; j < net->ncookies; j++) {
            if (g_str_equal(net->cookies[i].name, net->cookies[j].name)) {
                virReportErrorFull(VIR_FROM_STORAGE, VIR_ERR_XML_ERROR, __func__,
                                   "duplicate cookie '%s'", net->cookies[i].name);
                return -1;
            }
        }
    }
    return 0;
}

static bool
isHTTP(int protocol)
{
    return protocol == VIR_STORAGE_NET_PROTOCOL_HTTP ||
           protocol == VIR_STORAGE_NET_PROTOCOL_HTTPS;
}

static bool
isCurl(int protocol)
{
    return isHTTP(protocol) || protocol == VIR_STORAGE_NET_PROTOCOL_FTP ||
           protocol == VIR_STORAGE_NET_PROTOCOL_FTPS;
}

int
virDomainDiskNetSourceParse(xmlNodePtr source, virDomainDiskDef *disk)
{
    g_autoptr(virDomainDiskNetSource) net = g_new0(virDomainDiskNetSource, 1);
    g_autofree char *protocol = virDomainXMLProp(source, "protocol");
    xmlNodePtr node;
    size_t nhosts = 0;

    if (!protocol) {
        virDomainXMLReportMissingAttr("protocol", source);
        return -1;
    }
    net->protocol =
        virDomainEnumFromString(protocolNames, VIR_STORAGE_NET_PROTOCOL_LAST, protocol);
    if (net->protocol <= VIR_STORAGE_NET_PROTOCOL_NONE) {
        net->protocol = 0;
        virDomainXMLReportInvalidAttr("protocol", source, protocol);
        return -1;
    }
    net->name = virDomainXMLProp(source, "name");
    if (!net->name && net->protocol != VIR_STORAGE_NET_PROTOCOL_NBD) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing name for disk source");
        return -1;
    }
    if (parseYesNo(source, "tls", &net->tls) < 0)
        return -1;
    net->tlsHostname = virDomainXMLProp(source, "tlsHostname");
    /* gluster and rbd carry "volume/image" (libvirt splits it) */
    if (net->name && (net->protocol == VIR_STORAGE_NET_PROTOCOL_GLUSTER ||
                      net->protocol == VIR_STORAGE_NET_PROTOCOL_RBD)) {
        const char *slash = strchr(net->name, '/');

        if (!slash || slash == net->name) {
            virReportError(VIR_ERR_XML_ERROR,
                           "can't split path '%s' into pool name and image name",
                           net->name);
            return -1;
        }
    }
    if ((node = virDomainXMLChild(source, "snapshot")))
        net->snapshot = virDomainXMLProp(node, "name");
    if ((node = virDomainXMLChild(source, "config")))
        net->configFile = virDomainXMLProp(node, "file");
    if (isHTTP(net->protocol))
        net->query = virDomainXMLProp(source, "query");

    for (xmlNodePtr c = source->children; c; c = c->next) {
        if (virDomainXMLNodeIs(c, "host"))
            nhosts++;
    }
    if (nhosts) {
        net->hosts = g_new0(virStorageNetHostDef, nhosts);
        for (xmlNodePtr c = source->children; c; c = c->next) {
            if (!virDomainXMLNodeIs(c, "host"))
                continue;
            if (parseHost(c, &net->hosts[net->nhosts++]) < 0)
                return -1;
        }
    }
    if (net->protocol == VIR_STORAGE_NET_PROTOCOL_NFS &&
        (node = virDomainXMLChild(source, "identity"))) {
        net->nfsUser = virDomainXMLProp(node, "user");
        net->nfsGroup = virDomainXMLProp(node, "group");
    }
    for (size_t i = 0; i < net->nhosts; i++) {
        if (net->hosts[i].transport == VIR_STORAGE_NET_HOST_TRANS_TCP &&
            net->hosts[i].port == 0)
            net->hosts[i].port = defaultPort(net->protocol);
    }
    if ((node = virDomainXMLChild(source, "initiator")) &&
        (node = virDomainXMLChild(node, "iqn")))
        net->iqn = virDomainXMLProp(node, "name");
    if ((net->protocol == VIR_STORAGE_NET_PROTOCOL_HTTPS ||
         net->protocol == VIR_STORAGE_NET_PROTOCOL_FTPS) &&
        (node = virDomainXMLChild(source, "ssl")) &&
        parseYesNo(node, "verify", &net->sslverify) < 0)
        return -1;
    if (isHTTP(net->protocol) && (node = virDomainXMLChild(source, "cookies")) &&
        parseCookies(node, net) < 0)
        return -1;
    if (isCurl(net->protocol)) {
        xmlNodePtr ra = virDomainXMLChild(source, "readahead");
        xmlNodePtr to = virDomainXMLChild(source, "timeout");
        g_autofree char *size = ra ? virDomainXMLProp(ra, "size") : NULL;
        g_autofree char *secs = to ? virDomainXMLProp(to, "seconds") : NULL;

        if ((size && virDomainParseULL(size, &net->readahead) < 0) ||
            (secs && virDomainParseULL(secs, &net->timeout) < 0)) {
            virReportError(VIR_ERR_XML_ERROR, "%s", "invalid readahead size or timeout");
            return -1;
        }
    }
    if ((node = virDomainXMLChild(source, "auth"))) {
        if (virDomainDiskAuthParse(node, &disk->auth) < 0)
            return -1;
        disk->authInSource = true;
    }
    disk->net = g_steal_pointer(&net);
    return 0;
}

int
virDomainDiskNetSourceValidate(const virDomainDiskDef *disk)
{
    const virStorageAuthDef *auth = disk->auth;
    int usage = -1;

    if (!disk->net || !auth)
        return 0;
    switch (disk->net->protocol) {
    case VIR_STORAGE_NET_PROTOCOL_ISCSI:
    case VIR_STORAGE_NET_PROTOCOL_HTTP:
    case VIR_STORAGE_NET_PROTOCOL_HTTPS:
    case VIR_STORAGE_NET_PROTOCOL_FTP:
    case VIR_STORAGE_NET_PROTOCOL_FTPS:
    case VIR_STORAGE_NET_PROTOCOL_SSH:
    case VIR_STORAGE_NET_PROTOCOL_RBD:
        break;
    default:
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "authentication is not supported for protocol '%s'",
                       protocolNames[disk->net->protocol]);
        return -1;
    }
    for (int i = 0; auth->secretType && secretUsageNames[i]; i++) {
        if (g_str_equal(secretUsageNames[i], auth->secretType))
            usage = i;
    }
    if (usage < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown secret type '%s'",
                       auth->secretType ? auth->secretType : "<null>");
        return -1;
    }
    if ((disk->net->protocol == VIR_STORAGE_NET_PROTOCOL_ISCSI &&
         !g_str_equal(auth->secretType, "iscsi")) ||
        (disk->net->protocol == VIR_STORAGE_NET_PROTOCOL_RBD &&
         !g_str_equal(auth->secretType, "ceph"))) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "invalid secret type '%s'",
                       auth->secretType);
        return -1;
    }
    return 0;
}

static void
indentTo(GString *buf, int indent)
{
    for (int i = 0; i < indent; i++)
        g_string_append_c(buf, ' ');
}

static void
attr(GString *buf, const char *name, const char *value)
{
    if (!value)
        return;
    g_string_append_printf(buf, " %s='", name);
    virDomainXMLEscape(buf, value);
    g_string_append_c(buf, '\'');
}

void
virDomainDiskAuthFormat(GString *buf, int indent, const virStorageAuthDef *auth)
{
    indentTo(buf, indent);
    g_string_append(buf, "<auth");
    if (auth->authType > 0)
        g_string_append_printf(buf, " type='%s'", authTypeNames[auth->authType]);
    attr(buf, "username", auth->username);
    g_string_append(buf, ">\n");
    indentTo(buf, indent + 2);
    g_string_append(buf, "<secret");
    attr(buf, "type", auth->secretType);
    if (auth->useUUID) {
        char uuid[VIR_UUID_STRING_BUFLEN];

        virUUIDFormat(auth->uuid, uuid);
        attr(buf, "uuid", uuid);
    } else {
        attr(buf, "usage", auth->usage);
    }
    g_string_append(buf, "/>\n");
    indentTo(buf, indent);
    g_string_append(buf, "</auth>\n");
}

void
virDomainDiskNetSourceFormat(GString *buf, int indent, const virDomainDiskDef *disk,
                             unsigned int flags)
{
    const virDomainDiskNetSource *net = disk->net;
    int in = indent + 2;
    size_t start;

    indentTo(buf, indent);
    g_string_append_printf(buf, "<source protocol='%s'", protocolNames[net->protocol]);
    attr(buf, "name", net->name);
    attr(buf, "query", net->query);
    if (net->tls)
        g_string_append_printf(buf, " tls='%s'", boolNames[net->tls]);
    attr(buf, "tlsHostname", net->tlsHostname);
    g_string_append(buf, ">\n");
    start = buf->len;
    for (size_t i = 0; i < net->nhosts; i++) {
        const virStorageNetHostDef *h = &net->hosts[i];

        indentTo(buf, in);
        g_string_append(buf, "<host");
        attr(buf, "name", h->name);
        if (h->port)
            g_string_append_printf(buf, " port='%u'", h->port);
        if (h->transport)
            g_string_append_printf(buf, " transport='%s'", transportNames[h->transport]);
        attr(buf, "socket", h->socket);
        g_string_append(buf, "/>\n");
    }
    if (net->protocol == VIR_STORAGE_NET_PROTOCOL_NFS &&
        (net->nfsUser || net->nfsGroup)) {
        indentTo(buf, in);
        g_string_append(buf, "<identity");
        attr(buf, "user", net->nfsUser);
        attr(buf, "group", net->nfsGroup);
        g_string_append(buf, "/>\n");
    }
    if (net->snapshot) {
        indentTo(buf, in);
        g_string_append(buf, "<snapshot");
        attr(buf, "name", net->snapshot);
        g_string_append(buf, "/>\n");
    }
    if (net->configFile) {
        indentTo(buf, in);
        g_string_append(buf, "<config");
        attr(buf, "file", net->configFile);
        g_string_append(buf, "/>\n");
    }
    if (net->iqn) {
        indentTo(buf, in);
        g_string_append(buf, "<initiator>\n");
        indentTo(buf, in + 2);
        g_string_append(buf, "<iqn");
        attr(buf, "name", net->iqn);
        g_string_append(buf, "/>\n");
        indentTo(buf, in);
        g_string_append(buf, "</initiator>\n");
    }
    if (net->sslverify) {
        indentTo(buf, in);
        g_string_append_printf(buf, "<ssl verify='%s'/>\n", boolNames[net->sslverify]);
    }
    /* cookies are secrets: only with VIR_DOMAIN_XML_SECURE, as libvirt */
    if (net->ncookies && (flags & VIR_DOMAIN_DEF_FORMAT_SECURE)) {
        indentTo(buf, in);
        g_string_append(buf, "<cookies>\n");
        for (size_t i = 0; i < net->ncookies; i++) {
            indentTo(buf, in + 2);
            g_string_append(buf, "<cookie");
            attr(buf, "name", net->cookies[i].name);
            g_string_append_c(buf, '>');
            virDomainXMLEscape(buf, net->cookies[i].value);
            g_string_append(buf, "</cookie>\n");
        }
        indentTo(buf, in);
        g_string_append(buf, "</cookies>\n");
    }
    if (net->readahead) {
        indentTo(buf, in);
        g_string_append_printf(buf, "<readahead size='%llu'/>\n", net->readahead);
    }
    if (net->timeout) {
        indentTo(buf, in);
        g_string_append_printf(buf, "<timeout seconds='%llu'/>\n", net->timeout);
    }
    if (disk->auth && disk->authInSource)
        virDomainDiskAuthFormat(buf, in, disk->auth);
    if (disk->encryption && !disk->encryptionInDisk)
        virStorageEncryptionFormat(buf, in, disk->encryption);
    if (buf->len == start) {
        /* no child: libvirt writes <source .../> */
        g_string_truncate(buf, start - 2);
        g_string_append(buf, "/>\n");
    } else {
        indentTo(buf, indent);
        g_string_append(buf, "</source>\n");
    }
}
