/* qemu_block_net.c: the -blockdev protocol node of a network disk (nbd, http(s), ftp(s),
 * iscsi, rbd, gluster, nfs, ssh), in libvirt 9.0's member order */

#define G_LOG_DOMAIN "virtkit.qemu.blocknet"

#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "qemu_block_net.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* ,"NAME":"escaped value" */
static void
jsonStr(GString *buf, const char *name, const char *value)
{
    g_autofree char *esc = NULL;

    if (!value)
        return;
    esc = g_strescape(value, NULL);
    g_string_append_printf(buf, ",\"%s\":\"%s\"", name, esc);
}

/* QEMU's SocketAddress of @h: inet host + port (a string), or unix path */
static void
socketAddress(GString *buf, const virStorageNetHostDef *h)
{
    g_autofree char *name = NULL;

    if (h->transport == VIR_STORAGE_NET_HOST_TRANS_UNIX) {
        g_autofree char *path = g_strescape(h->socket, NULL);

        g_string_append_printf(buf, "{\"type\":\"unix\",\"path\":\"%s\"}", path);
        return;
    }
    name = g_strescape(h->name, NULL);
    g_string_append_printf(buf, "{\"type\":\"inet\",\"host\":\"%s\",\"port\":\"%u\"}",
                           name, h->port);
}

/* QEMU's InetSocketAddressBase: host + port (a string) */
static void
inetAddress(GString *buf, const virStorageNetHostDef *h)
{
    g_autofree char *name = g_strescape(h->name, NULL);

    g_string_append_printf(buf, "{\"host\":\"%s\",\"port\":\"%u\"}", name, h->port);
}

static int
oneHost(const virDomainDiskNetSource *net)
{
    if (net->nhosts != 1) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s protocol accepts only one host",
                       virStorageNetProtocolToString(net->protocol));
        return -1;
    }
    return 0;
}

static int
tcpOnly(const virStorageNetHostDef *h)
{
    if (h->transport != VIR_STORAGE_NET_HOST_TRANS_TCP) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "only TCP protocol can be converted to InetSocketAddress");
        return -1;
    }
    return 0;
}

/* libvirt's URI of a curl source: SCHEME://HOST:PORT/NAME?QUERY */
static char *
curlURL(const virDomainDiskNetSource *net)
{
    const virStorageNetHostDef *h = &net->hosts[0];
    const char *scheme = virStorageNetProtocolToString(net->protocol);
    g_autoptr(GString) url = g_string_new(NULL);
    bool v6 = h->name && strchr(h->name, ':');

    if (h->transport != VIR_STORAGE_NET_HOST_TRANS_TCP) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "transport '%s' is not supported for protocol '%s'",
                       h->transport == VIR_STORAGE_NET_HOST_TRANS_UNIX ? "unix" : "rdma",
                       scheme);
        return NULL;
    }
    g_string_append_printf(url, "%s://%s%s%s:%u", scheme, v6 ? "[" : "", h->name,
                           v6 ? "]" : "", h->port);
    if (net->name)
        g_string_append_printf(url, "%s%s", net->name[0] == '/' ? "" : "/", net->name);
    if (net->query)
        g_string_append_printf(url, "?%s", net->query);
    return g_string_free(g_steal_pointer(&url), FALSE);
}

/* libvirt's virGetUserID / virGetGroupID: "+N" is a number, else a name */
static int
nfsID(const char *str, bool group, long *out)
{
    if (str[0] == '+') {
        char *end = NULL;
        long v = strtol(str + 1, &end, 10);

        if (end && !*end && end != str + 1 && v >= 0) {
            *out = v;
            return 0;
        }
    } else if (group) {
        struct group *g = getgrnam(str);

        if (g) {
            *out = (long)g->gr_gid;
            return 0;
        }
    } else {
        struct passwd *p = getpwnam(str);

        if (p) {
            *out = (long)p->pw_uid;
            return 0;
        }
    }
    virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __func__,
                       group ? "Failed to parse group '%s'" : "Failed to parse user '%s'",
                       str);
    return -1;
}

char *
qemuBlockNetStorageProps(const virDomainDiskDef *disk, const qemuBlockNetSecrets *sec)
{
    const virDomainDiskNetSource *net = disk->net;
    g_autoptr(GString) p = g_string_new(NULL);
    const char *proto = virStorageNetProtocolToString(net->protocol);

    /* what a start refuses (libvirt checks these when it starts too) */
    if (net->protocol == VIR_STORAGE_NET_PROTOCOL_VXHS) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "VxHS protocol is not supported with this QEMU binary");
        return NULL;
    }
    if (net->tls == VIR_DOMAIN_TRISTATE_ON) {
        if (net->protocol == VIR_STORAGE_NET_PROTOCOL_NBD)
            /* libvirt takes the certificates from qemu.conf's nbd_tls_x509_cert_dir,
             * which virtkit does not have */
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "TLS transport for disk protocol 'nbd' is not supported by "
                           "virtkit");
        else
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "TLS transport is not supported for disk protocol '%s'",
                           proto);
        return NULL;
    }
    if ((disk->auth && (!sec || !sec->authAlias)) ||
        (net->ncookies && (!sec || !sec->cookieAlias))) {
        /* only a start prepares them (qemu_secret.h): a command line only
         * shown (domxml-to-native) has none to show */
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "disk '%s': the secrets of <auth> and of http cookies are handed "
                       "to QEMU only when the domain starts",
                       disk->dst);
        return NULL;
    }

    switch (net->protocol) {
    case VIR_STORAGE_NET_PROTOCOL_NBD:
        if (oneHost(net) < 0)
            return NULL;
        g_string_append(p, "{\"driver\":\"nbd\",\"server\":");
        socketAddress(p, &net->hosts[0]);
        jsonStr(p, "export", net->name);
        break;
    case VIR_STORAGE_NET_PROTOCOL_HTTP:
    case VIR_STORAGE_NET_PROTOCOL_HTTPS:
    case VIR_STORAGE_NET_PROTOCOL_FTP:
    case VIR_STORAGE_NET_PROTOCOL_FTPS: {
        g_autofree char *url = NULL;

        if (oneHost(net) < 0 || !(url = curlURL(net)))
            return NULL;
        g_string_append_printf(p, "{\"driver\":\"%s\"", proto);
        jsonStr(p, "url", url);
        if (disk->auth) {
            jsonStr(p, "username", disk->auth->username);
            jsonStr(p, "password-secret", sec ? sec->authAlias : NULL);
        }
        if (net->sslverify)
            g_string_append_printf(p, ",\"sslverify\":%s",
                                   net->sslverify == VIR_DOMAIN_TRISTATE_ON ? "true"
                                                                            : "false");
        jsonStr(p, "cookie-secret", sec ? sec->cookieAlias : NULL);
        if (net->timeout)
            g_string_append_printf(p, ",\"timeout\":%llu", net->timeout);
        if (net->readahead)
            g_string_append_printf(p, ",\"readahead\":%llu", net->readahead);
        break;
    }
    case VIR_STORAGE_NET_PROTOCOL_ISCSI: {
        g_autofree char *target = g_strdup(net->name);
        char *slash = strchr(target, '/');
        unsigned long long lun = 0;
        const virStorageNetHostDef *h;
        struct in6_addr a6;
        g_autofree char *portal = NULL;

        if (net->nhosts < 1) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "iscsi protocol needs a host");
            return NULL;
        }
        h = &net->hosts[0];
        if (slash) {
            char *end = NULL;

            *slash = '\0';
            lun = strtoull(slash + 1, &end, 10);
            if (!end || *end || end == slash + 1 || lun > G_MAXUINT) {
                virReportError(VIR_ERR_INTERNAL_ERROR,
                               "cannot parse target for lunStr '%s'", target);
                return NULL;
            }
        }
        if (tcpOnly(h) < 0)
            return NULL;
        if (inet_pton(AF_INET6, h->name, &a6) == 1)
            portal = g_strdup_printf("[%s]:%u", h->name, h->port);
        else
            portal = g_strdup_printf("%s:%u", h->name, h->port);
        g_string_append(p, "{\"driver\":\"iscsi\"");
        jsonStr(p, "portal", portal);
        jsonStr(p, "target", target);
        g_string_append_printf(p, ",\"lun\":%llu,\"transport\":\"tcp\"", lun);
        if (disk->auth) {
            jsonStr(p, "user", disk->auth->username);
            jsonStr(p, "password-secret", sec ? sec->authAlias : NULL);
        }
        jsonStr(p, "initiator-name", net->iqn);
        break;
    }
    case VIR_STORAGE_NET_PROTOCOL_RBD: {
        const char *slash = strchr(net->name, '/');
        g_autofree char *pool = g_strndup(net->name, slash - net->name);

        g_string_append(p, "{\"driver\":\"rbd\"");
        jsonStr(p, "pool", pool);
        jsonStr(p, "image", slash + 1);
        jsonStr(p, "snapshot", net->snapshot);
        jsonStr(p, "conf", net->configFile);
        if (net->nhosts) {
            g_string_append(p, ",\"server\":[");
            for (size_t i = 0; i < net->nhosts; i++) {
                if (tcpOnly(&net->hosts[i]) < 0)
                    return NULL;
                if (i)
                    g_string_append_c(p, ',');
                inetAddress(p, &net->hosts[i]);
            }
            g_string_append_c(p, ']');
        }
        if (disk->auth) {
            jsonStr(p, "user", disk->auth->username);
            g_string_append(p, ",\"auth-client-required\":[\"cephx\",\"none\"]");
            jsonStr(p, "key-secret", sec ? sec->authAlias : NULL);
        }
        break;
    }
    case VIR_STORAGE_NET_PROTOCOL_GLUSTER: {
        const char *slash = strchr(net->name, '/');
        g_autofree char *volume = g_strndup(net->name, slash - net->name);

        g_string_append(p, "{\"driver\":\"gluster\"");
        jsonStr(p, "volume", volume);
        jsonStr(p, "path", slash + 1);
        g_string_append(p, ",\"server\":[");
        for (size_t i = 0; i < net->nhosts; i++) {
            if (i)
                g_string_append_c(p, ',');
            socketAddress(p, &net->hosts[i]);
        }
        /* libvirt's qemu.conf gluster_debug_level default */
        g_string_append(p, "],\"debug\":4");
        break;
    }
    case VIR_STORAGE_NET_PROTOCOL_NFS: {
        g_autofree char *host = g_strescape(net->hosts[0].name, NULL);
        long id;

        g_string_append_printf(p,
                               "{\"driver\":\"nfs\",\"server\":{\"host\":\"%s\","
                               "\"type\":\"inet\"}",
                               host);
        jsonStr(p, "path", net->name);
        if (net->nfsUser) {
            if (nfsID(net->nfsUser, false, &id) < 0)
                return NULL;
            g_string_append_printf(p, ",\"user\":%ld", id);
        }
        if (net->nfsGroup) {
            if (nfsID(net->nfsGroup, true, &id) < 0)
                return NULL;
            g_string_append_printf(p, ",\"group\":%ld", id);
        }
        break;
    }
    case VIR_STORAGE_NET_PROTOCOL_SSH:
        if (oneHost(net) < 0 || tcpOnly(&net->hosts[0]) < 0)
            return NULL;
        g_string_append(p, "{\"driver\":\"ssh\"");
        jsonStr(p, "path", net->name);
        g_string_append(p, ",\"server\":");
        inetAddress(p, &net->hosts[0]);
        jsonStr(p, "user", disk->auth ? disk->auth->username : NULL);
        break;
    default:
        /* the validator refused the rest (tftp, vxhs, sheepdog) */
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "'%s' protocol is not supported with this QEMU binary", proto);
        return NULL;
    }
    return g_string_free(g_steal_pointer(&p), FALSE);
}
