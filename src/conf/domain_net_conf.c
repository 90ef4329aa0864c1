/* domain_net_conf.c: <interface>: the element, its <driver>, <backend>, guest-side <ip>s and <portForward>s */

#define G_LOG_DOMAIN "virtkit.conf.net"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "netdev_bandwidth_conf.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* Interface types libvirt 9.0 knows that virtkit does not carry (refused by
 * name, not as unknown). */
static const char *const libvirtNetTypes[] = {
    "ethernet", "vhostuser", "server",  "client", "mcast", "udp", "bridge",
    "internal", "direct",    "hostdev", "null",   "vds",   NULL,
};

/* 0 when @str is an address of the family asked (@family: "ipv4", "ipv6",
 * anything else: either), read as libvirt's virSocketAddrParse reads it
 * (getaddrinfo, numeric only: "10.0.0" is 10.0.0.0), *ipv6 telling which
 * and *canon its canonical form (new string); -1 otherwise (nothing
 * reported). */
static int
netAddrParse(const char *str, const char *family, bool *ipv6, char **canon)
{
    struct addrinfo hints = { .ai_flags = AI_NUMERICHOST };
    struct addrinfo *res = NULL;
    char buf[INET6_ADDRSTRLEN];
    const void *raw;
    bool ok;

    if (g_strcmp0(family, "ipv4") == 0)
        hints.ai_family = AF_INET;
    else if (g_strcmp0(family, "ipv6") == 0)
        hints.ai_family = AF_INET6;
    else
        hints.ai_family = AF_UNSPEC;
    if (getaddrinfo(str, NULL, &hints, &res) != 0 || !res)
        return -1;
    *ipv6 = res->ai_family == AF_INET6;
    raw = *ipv6 ? (const void *)&((struct sockaddr_in6 *)res->ai_addr)->sin6_addr
                : (const void *)&((struct sockaddr_in *)res->ai_addr)->sin_addr;
    ok = inet_ntop(res->ai_family, raw, buf, sizeof(buf)) != NULL;
    freeaddrinfo(res);
    if (!ok)
        return -1;
    *canon = g_strdup(buf);
    return 0;
}

/* libvirt's virXMLPropUInt: absent leaves *val; bad text reported. */
static int
netPropUInt(xmlNodePtr node, const char *name, unsigned int *val)
{
    g_autofree char *str = virDomainXMLProp(node, name);
    unsigned long long v = 0;

    if (!str)
        return 0;
    if (virDomainParseULL(str, &v) < 0 || v > G_MAXUINT) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute '%s' in element '%s': '%s'. "
                           "Expected non-negative integer value",
                           name, (const char *)node->name, str);
        return -1;
    }
    *val = (unsigned int)v;
    return 0;
}

static int
netIPParse(virDomainNetDef *net, xmlNodePtr node)
{
    g_autofree char *address = virDomainXMLProp(node, "address");
    g_autofree char *family = virDomainXMLProp(node, "family");
    g_autofree char *prefix = virDomainXMLProp(node, "prefix");
    g_autofree char *canon = NULL;
    virDomainNetIPAddr ip = { 0 };

    if (!address) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "Missing required address in <ip>");
        return -1;
    }
    if (netAddrParse(address, family, &ip.ipv6, &canon) < 0) {
        virReportError(VIR_ERR_XML_ERROR, "Invalid address '%s' in <ip>", address);
        return -1;
    }
    g_free(address);
    address = g_steal_pointer(&canon);
    if (prefix) {
        unsigned long long v = 0;

        if (virDomainParseULL(prefix, &v) < 0 || v > (ip.ipv6 ? 128 : 32)) {
            virReportError(VIR_ERR_XML_ERROR, "Invalid prefix value '%s' in <ip>",
                           prefix);
            return -1;
        }
        ip.prefix = (unsigned int)v;
    }
    ip.address = g_steal_pointer(&address);
    net->ips = g_renew(virDomainNetIPAddr, net->ips, net->nips + 1);
    net->ips[net->nips++] = ip;
    return 0;
}

static void
portForwardClear(virDomainNetPortForward *pf)
{
    g_free(pf->address);
    g_free(pf->dev);
    g_free(pf->ranges);
}

static int
netPortForwardParse(virDomainNetDef *net, xmlNodePtr node)
{
    g_autofree char *proto = virDomainXMLProp(node, "proto");
    virDomainNetPortForward pf = { 0 };

    if (!proto) {
        virDomainXMLReportMissingAttr("proto", node);
        return -1;
    }
    if (g_str_equal(proto, "udp")) {
        pf.udp = true;
    } else if (!g_str_equal(proto, "tcp")) {
        virDomainXMLReportInvalidAttr("proto", node, proto);
        return -1;
    }
    pf.address = virDomainXMLProp(node, "address");
    pf.dev = virDomainXMLProp(node, "dev");
    if (pf.address) {
        bool v6;
        char *canon = NULL;

        if (netAddrParse(pf.address, NULL, &v6, &canon) < 0) {
            virReportError(VIR_ERR_XML_ERROR, "Invalid address '%s' in <portForward>",
                           pf.address);
            goto error;
        }
        g_free(pf.address);
        pf.address = canon;
    }
    for (xmlNodePtr r = node->children; r; r = r->next) {
        virDomainNetPortForwardRange range = { 0 };
        g_autofree char *start = NULL;
        g_autofree char *exclude = NULL;

        if (!virDomainXMLNodeIs(r, "range"))
            continue;
        start = virDomainXMLProp(r, "start");
        exclude = virDomainXMLProp(r, "exclude");
        if (netPropUInt(r, "start", &range.start) < 0 ||
            netPropUInt(r, "end", &range.end) < 0 || netPropUInt(r, "to", &range.to) < 0)
            goto error;
        if (exclude) {
            if (g_str_equal(exclude, "yes")) {
                range.exclude = 1;
            } else if (g_str_equal(exclude, "no")) {
                range.exclude = 2;
            } else {
                virDomainXMLReportInvalidAttr("exclude", r, exclude);
                goto error;
            }
        }
        if (!start) {
            if (range.end || range.to || exclude) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "The 'range' of a 'portForward' requires 'start' "
                               "attribute if 'end', 'to', or 'exclude' is specified");
                goto error;
            }
            continue;
        }
        pf.ranges = g_renew(virDomainNetPortForwardRange, pf.ranges, pf.nranges + 1);
        pf.ranges[pf.nranges++] = range;
    }
    net->portForwards =
        g_renew(virDomainNetPortForward, net->portForwards, net->nportForwards + 1);
    net->portForwards[net->nportForwards++] = pf;
    return 0;

error:
    portForwardClear(&pf);
    return -1;
}

int
virDomainNetUserParse(virDomainNetDef *net, xmlNodePtr node)
{
    xmlNodePtr backend = virDomainXMLChild(node, "backend");

    if (backend) {
        g_autofree char *type = virDomainXMLProp(backend, "type");

        if (type && g_str_equal(type, "passt") && net->type == VIR_DOMAIN_NET_TYPE_USER) {
            net->backendType = VIR_DOMAIN_NET_BACKEND_PASST;
        } else if (type && g_str_equal(type, "passt")) {
            /* libvirt 9.0's words for a passt backend it cannot take */
            virReportError(VIR_ERR_XML_ERROR,
                           "Invalid value for attribute 'type' in element 'backend': "
                           "'%s'.",
                           type);
            return -1;
        } else if (type) {
            virDomainXMLReportInvalidAttr("type", backend, type);
            return -1;
        }
        net->backendLogFile = virDomainXMLProp(backend, "logFile");
        if (net->backendLogFile && !*net->backendLogFile)
            g_clear_pointer(&net->backendLogFile, g_free);
        /* as libvirt: vhost kept for a virtio model only (the model is
         * read by now) */
        if ((net->backendTap = virDomainXMLProp(backend, "tap")))
            virDomainSanitizePath(net->backendTap);
        if (virDomainNetIsVirtioModel(net) &&
            (net->backendVhost = virDomainXMLProp(backend, "vhost")))
            virDomainSanitizePath(net->backendVhost);
    }
    if (net->backendType == VIR_DOMAIN_NET_BACKEND_PASST) {
        xmlNodePtr source = virDomainXMLChild(node, "source");

        net->sourceDev = source ? virDomainXMLProp(source, "dev") : NULL;
        if (net->sourceDev && !*net->sourceDev)
            g_clear_pointer(&net->sourceDev, g_free);
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (virDomainXMLNodeIs(c, "ip")) {
            if (netIPParse(net, c) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(c, "portForward")) {
            if (netPortForwardParse(net, c) < 0)
                return -1;
        }
    }
    return 0;
}

static void
netAttr(GString *buf, const char *name, const char *value)
{
    g_string_append_printf(buf, " %s='", name);
    virDomainXMLEscape(buf, value);
    g_string_append_c(buf, '\'');
}

void
virDomainNetUserFormat(GString *buf, int indent, const virDomainNetDef *net, char where)
{
    if (where == 's' && net->sourceDev) {
        g_string_append_printf(buf, "%*s<source", indent, "");
        netAttr(buf, "dev", net->sourceDev);
        g_string_append(buf, "/>\n");
    }
    if (where == 'i') {
        for (size_t i = 0; i < net->nips; i++) {
            const virDomainNetIPAddr *ip = &net->ips[i];

            g_string_append_printf(buf, "%*s<ip", indent, "");
            netAttr(buf, "address", ip->address);
            g_string_append_printf(buf, " family='%s'", ip->ipv6 ? "ipv6" : "ipv4");
            if (ip->prefix)
                g_string_append_printf(buf, " prefix='%u'", ip->prefix);
            g_string_append(buf, "/>\n");
        }
        for (size_t i = 0; i < net->nportForwards; i++) {
            const virDomainNetPortForward *pf = &net->portForwards[i];

            g_string_append_printf(buf, "%*s<portForward proto='%s'", indent, "",
                                   pf->udp ? "udp" : "tcp");
            if (pf->address)
                netAttr(buf, "address", pf->address);
            if (pf->dev)
                netAttr(buf, "dev", pf->dev);
            if (!pf->nranges) {
                g_string_append(buf, "/>\n");
                continue;
            }
            g_string_append(buf, ">\n");
            for (size_t r = 0; r < pf->nranges; r++) {
                const virDomainNetPortForwardRange *range = &pf->ranges[r];

                g_string_append_printf(buf, "%*s<range start='%u'", indent + 2, "",
                                       range->start);
                if (range->end)
                    g_string_append_printf(buf, " end='%u'", range->end);
                if (range->to)
                    g_string_append_printf(buf, " to='%u'", range->to);
                if (range->exclude)
                    g_string_append_printf(buf, " exclude='%s'",
                                           range->exclude == 1 ? "yes" : "no");
                g_string_append(buf, "/>\n");
            }
            g_string_append_printf(buf, "%*s</portForward>\n", indent, "");
        }
    }
    if (where == 'b' && (net->backendType || net->backendLogFile || net->backendTap ||
                         net->backendVhost)) {
        g_string_append_printf(buf, "%*s<backend", indent, "");
        if (net->backendType == VIR_DOMAIN_NET_BACKEND_PASST)
            g_string_append(buf, " type='passt'");
        if (net->backendTap)
            netAttr(buf, "tap", net->backendTap);
        if (net->backendVhost)
            netAttr(buf, "vhost", net->backendVhost);
        if (net->backendLogFile)
            netAttr(buf, "logFile", net->backendLogFile);
        g_string_append(buf, "/>\n");
    }
}

void
virDomainNetUserClear(virDomainNetDef *net)
{
    virDomainDeviceRomClear(&net->rom);
    g_clear_pointer(&net->backendLogFile, g_free);
    g_clear_pointer(&net->backendTap, g_free);
    g_clear_pointer(&net->backendVhost, g_free);
    g_clear_pointer(&net->sourceDev, g_free);
    g_clear_pointer(&net->passtSocket, g_free);
    for (size_t i = 0; i < net->nips; i++)
        g_free(net->ips[i].address);
    g_clear_pointer(&net->ips, g_free);
    net->nips = 0;
    for (size_t i = 0; i < net->nportForwards; i++)
        portForwardClear(&net->portForwards[i]);
    g_clear_pointer(&net->portForwards, g_free);
    net->nportForwards = 0;
}

void
virDomainNetUserCopy(virDomainNetDef *dst, const virDomainNetDef *src)
{
    virDomainDeviceRomCopy(&dst->rom, &src->rom);
    dst->backendType = src->backendType;
    dst->backendLogFile = g_strdup(src->backendLogFile);
    dst->backendTap = g_strdup(src->backendTap);
    dst->backendVhost = g_strdup(src->backendVhost);
    dst->sourceDev = g_strdup(src->sourceDev);
    dst->passtSocket = g_strdup(src->passtSocket);
    dst->nips = src->nips;
    dst->ips = src->nips ? g_new0(virDomainNetIPAddr, src->nips) : NULL;
    for (size_t i = 0; i < src->nips; i++) {
        dst->ips[i] = src->ips[i];
        dst->ips[i].address = g_strdup(src->ips[i].address);
    }
    dst->nportForwards = src->nportForwards;
    dst->portForwards =
        src->nportForwards ? g_new0(virDomainNetPortForward, src->nportForwards) : NULL;
    for (size_t i = 0; i < src->nportForwards; i++) {
        const virDomainNetPortForward *s = &src->portForwards[i];
        virDomainNetPortForward *d = &dst->portForwards[i];

        *d = *s;
        d->address = g_strdup(s->address);
        d->dev = g_strdup(s->dev);
        d->ranges =
            s->nranges ? g_memdup2(s->ranges, s->nranges * sizeof(*s->ranges)) : NULL;
    }
}

const char *const virDomainNetHostOffloadNames[VIR_DOMAIN_NET_HOST_LAST] = {
    "csum", "gso", "tso4", "tso6", "ecn", "ufo", "mrg_rxbuf",
};
const char *const virDomainNetGuestOffloadNames[VIR_DOMAIN_NET_GUEST_LAST] = {
    "csum", "tso4", "tso6", "ecn", "ufo",
};
static const char *const netDriverNames[] = { "default", "qemu", "vhost" };
static const char *const netTxModeNames[] = { "default", "iothread", "timer" };
static const char *const netSwitchNames[] = { "default", "on", "off" };

bool
virDomainNetIsVirtioModel(const virDomainNetDef *net)
{
    return g_strcmp0(net->model, "virtio") == 0 ||
           g_strcmp0(net->model, "virtio-transitional") == 0 ||
           g_strcmp0(net->model, "virtio-non-transitional") == 0;
}

/* libvirt's virXMLPropEnum / virXMLPropTristateSwitch: absent leaves *out
 * 0; the first name ("default", "absent") is not a value one may write */
static int
netPropEnum(xmlNodePtr node, const char *name, const char *const *names, int last,
            int *out)
{
    g_autofree char *str = virDomainXMLProp(node, name);
    int v;

    if (!str)
        return 0;
    if ((v = virDomainEnumFromString(names, last, str)) <= 0) {
        virDomainXMLReportInvalidAttr(name, node, str);
        return -1;
    }
    *out = v;
    return 0;
}

int
virDomainNetDriverParse(virDomainNetDef *net, xmlNodePtr node)
{
    xmlNodePtr driver = virDomainXMLChild(node, "driver");
    virDomainNetDriver d = { 0 };
    xmlNodePtr sub;

    /* libvirt reads the virtio options whatever the model (its validation
     * then refuses them off virtio), the rest for virtio models only */
    if (virDomainVirtioOptionsParse(driver, &net->virtio) < 0)
        return -1;
    if (!driver || !virDomainNetIsVirtioModel(net))
        return 0;
    if (netPropEnum(driver, "name", netDriverNames, G_N_ELEMENTS(netDriverNames),
                    &d.name) < 0 ||
        netPropEnum(driver, "txmode", netTxModeNames, G_N_ELEMENTS(netTxModeNames),
                    &d.txmode) < 0 ||
        netPropEnum(driver, "ioeventfd", netSwitchNames, 3, &d.ioeventfd) < 0 ||
        netPropEnum(driver, "event_idx", netSwitchNames, 3, &d.eventIdx) < 0 ||
        netPropUInt(driver, "queues", &d.queues) < 0 ||
        netPropUInt(driver, "rx_queue_size", &d.rxQueueSize) < 0 ||
        netPropUInt(driver, "tx_queue_size", &d.txQueueSize) < 0 ||
        netPropEnum(driver, "rss", netSwitchNames, 3, &d.rss) < 0 ||
        netPropEnum(driver, "rss_hash_report", netSwitchNames, 3, &d.rssHashReport) < 0)
        return -1;
    /* one queue pair is what every NIC has: libvirt keeps no '1' */
    if (d.queues == 1)
        d.queues = 0;
    if ((sub = virDomainXMLChild(driver, "host"))) {
        for (int i = 0; i < VIR_DOMAIN_NET_HOST_LAST; i++)
            if (netPropEnum(sub, virDomainNetHostOffloadNames[i], netSwitchNames, 3,
                            &d.host[i]) < 0)
                return -1;
    }
    if ((sub = virDomainXMLChild(driver, "guest"))) {
        for (int i = 0; i < VIR_DOMAIN_NET_GUEST_LAST; i++)
            if (netPropEnum(sub, virDomainNetGuestOffloadNames[i], netSwitchNames, 3,
                            &d.guest[i]) < 0)
                return -1;
    }
    net->driver = d;
    return 0;
}

static void
netSwitchAttr(GString *buf, const char *name, int v)
{
    if (v)
        g_string_append_printf(buf, " %s='%s'", name, netSwitchNames[v]);
}

void
virDomainNetDriverFormat(GString *buf, int indent, const virDomainNetDef *net)
{
    const virDomainNetDriver *d = &net->driver;
    g_autoptr(GString) attrs = g_string_new(NULL);
    g_autoptr(GString) host = g_string_new(NULL);
    g_autoptr(GString) guest = g_string_new(NULL);

    if (!virDomainNetIsVirtioModel(net)) {
        /* only a definition the validation refuses gets here with options */
        if (virDomainVirtioOptionsIsSet(&net->virtio)) {
            g_string_append_printf(buf, "%*s<driver", indent, "");
            virDomainVirtioOptionsFormat(buf, &net->virtio);
            g_string_append(buf, "/>\n");
        }
        return;
    }
    if (d->name)
        g_string_append_printf(attrs, " name='%s'", netDriverNames[d->name]);
    if (d->txmode)
        g_string_append_printf(attrs, " txmode='%s'", netTxModeNames[d->txmode]);
    netSwitchAttr(attrs, "ioeventfd", d->ioeventfd);
    netSwitchAttr(attrs, "event_idx", d->eventIdx);
    if (d->queues)
        g_string_append_printf(attrs, " queues='%u'", d->queues);
    if (d->rxQueueSize)
        g_string_append_printf(attrs, " rx_queue_size='%u'", d->rxQueueSize);
    if (d->txQueueSize)
        g_string_append_printf(attrs, " tx_queue_size='%u'", d->txQueueSize);
    netSwitchAttr(attrs, "rss", d->rss);
    netSwitchAttr(attrs, "rss_hash_report", d->rssHashReport);
    virDomainVirtioOptionsFormat(attrs, &net->virtio);
    for (int i = 0; i < VIR_DOMAIN_NET_HOST_LAST; i++)
        netSwitchAttr(host, virDomainNetHostOffloadNames[i], d->host[i]);
    for (int i = 0; i < VIR_DOMAIN_NET_GUEST_LAST; i++)
        netSwitchAttr(guest, virDomainNetGuestOffloadNames[i], d->guest[i]);
    if (!attrs->len && !host->len && !guest->len)
        return;
    g_string_append_printf(buf, "%*s<driver%s", indent, "", attrs->str);
    if (!host->len && !guest->len) {
        g_string_append(buf, "/>\n");
        return;
    }
    g_string_append(buf, ">\n");
    if (host->len)
        g_string_append_printf(buf, "%*s<host%s/>\n", indent + 2, "", host->str);
    if (guest->len)
        g_string_append_printf(buf, "%*s<guest%s/>\n", indent + 2, "", guest->str);
    g_string_append_printf(buf, "%*s</driver>\n", indent, "");
}

int
virDomainMACParse(const char *str, unsigned char *mac)
{
    const char *p = str;

    for (int i = 0; i < 6; i++) {
        char *end = NULL;
        unsigned long val;

        if (!g_ascii_isxdigit(*p))
            return -1;
        errno = 0;
        val = strtoul(p, &end, 16);
        if (errno || end == p || val > 0xff || end - p > 2)
            return -1;
        mac[i] = val;
        p = end;
        if (i < 5) {
            if (*p != ':')
                return -1;
            p++;
        }
    }
    return *p == '\0' ? 0 : -1;
}

/* libvirt's virDomainNetDefCoalesceParseXML: only the first
 * <rx><frames max> counts; an absent or empty one is no <coalesce> */
static int
netCoalesceParse(virDomainNetDef *net, xmlNodePtr coalesce)
{
    xmlNodePtr rx = coalesce ? virDomainXMLChild(coalesce, "rx") : NULL;
    xmlNodePtr frames = rx ? virDomainXMLChild(rx, "frames") : NULL;
    g_autofree char *max = frames ? virDomainXMLProp(frames, "max") : NULL;
    unsigned long long v = 0;

    if (!max || !*max)
        return 0;
    if (virDomainParseULL(max, &v) < 0) {
        virReportError(VIR_ERR_XML_DETAIL,
                       "cannot parse value '%s' for coalesce parameter", max);
        return -1;
    }
    if (v > G_MAXUINT32) {
        virReportError(VIR_ERR_OVERFLOW,
                       "value '%llu' is too big for coalesce parameter, maximum is '%u'",
                       v, (unsigned int)G_MAXUINT32);
        return -1;
    }
    net->hasCoalesce = true;
    net->coalesceRxFrames = (unsigned int)v;
    return 0;
}

int
virDomainNetParse(GPtrArray *nets, xmlNodePtr node, unsigned int flags)
{
    g_autoptr(virDomainNetDef) net = g_new0(virDomainNetDef, 1);
    g_autofree char *type = virDomainXMLProp(node, "type");
    xmlNodePtr mac = virDomainXMLChild(node, "mac");
    xmlNodePtr source = virDomainXMLChild(node, "source");
    xmlNodePtr model = virDomainXMLChild(node, "model");
    xmlNodePtr target = virDomainXMLChild(node, "target");
    xmlNodePtr link = virDomainXMLChild(node, "link");
    xmlNodePtr alias = virDomainXMLChild(node, "alias");

    if (type) {
        net->type = virDomainEnumFromString(virDomainNetTypeNames,
                                            VIR_DOMAIN_NET_TYPE_LAST, type);
        if (net->type < 0) {
            if (virDomainStrInList(libvirtNetTypes, type))
                virDomainReportUnsupportedValue("interface type", type);
            else
                virDomainXMLReportInvalidAttr("type", node, type);
            return -1;
        }
    }

    if (mac) {
        g_autofree char *addr = virDomainXMLProp(mac, "address");

        if (addr) {
            if (virDomainMACParse(addr, net->mac) < 0) {
                virReportError(VIR_ERR_XML_ERROR, "unable to parse mac address '%s'",
                               addr);
                return -1;
            }
            if (net->mac[0] & 1) {
                virReportError(VIR_ERR_XML_ERROR,
                               "expected unicast mac address, found multicast '%s'",
                               addr);
                return -1;
            }
            net->macSet = true;
        }
    }

    if (net->type == VIR_DOMAIN_NET_TYPE_NETWORK) {
        if (!source) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "interface type='network' requires a 'source' element");
            return -1;
        }
        if (!(net->network = virDomainXMLProp(source, "network"))) {
            virDomainXMLReportMissingAttr("network", source);
            return -1;
        }
        {
            g_autofree char *portid = virDomainXMLProp(source, "portid");

            if (portid) {
                if (virUUIDParse(portid, net->portid) < 0) {
                    virReportError(VIR_ERR_INTERNAL_ERROR, "Unable to parse port id '%s'",
                                   portid);
                    return -1;
                }
                net->hasPortid = true;
                /* the live XML's bridge of the port (libvirt's actual
                 * device); only with a port, as libvirt ignores it in a
                 * definition */
                net->bridge = virDomainXMLProp(source, "bridge");
            }
        }
    }

    if (net->type == VIR_DOMAIN_NET_TYPE_BRIDGE) {
        if (!source) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "interface type='bridge' requires a 'source' element");
            return -1;
        }
        if (!(net->bridge = virDomainXMLProp(source, "bridge"))) {
            virDomainXMLReportMissingAttr("bridge", source);
            return -1;
        }
    }

    if (net->type == VIR_DOMAIN_NET_TYPE_VDPA) {
        if (!source) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "interface type='vdpa' requires a 'source' element");
            return -1;
        }
        if (!(net->sourceDev = virDomainXMLProp(source, "dev"))) {
            virDomainXMLReportMissingAttr("dev", source);
            return -1;
        }
    }

    if (model) {
        net->model = virDomainXMLProp(model, "type");
        if (net->model && !*net->model)
            g_clear_pointer(&net->model, g_free);
    }

    if (target) {
        g_autofree char *managed = virDomainXMLProp(target, "managed");

        net->ifname = virDomainXMLProp(target, "dev");
        if (managed) {
            if (strcmp(managed, "yes") == 0) {
                net->managedTap = 1;
            } else if (strcmp(managed, "no") == 0) {
                net->managedTap = 2;
            } else {
                virDomainXMLReportInvalidAttr("managed", target, managed);
                return -1;
            }
        }
        if (net->ifname && !*net->ifname)
            g_clear_pointer(&net->ifname, g_free);
        /* Names the hypervisor generated belong to one run only. */
        if (net->ifname && (flags & VIR_DOMAIN_DEF_PARSE_INACTIVE) &&
            (g_str_has_prefix(net->ifname, "vnet") ||
             g_str_has_prefix(net->ifname, "macvtap") ||
             g_str_has_prefix(net->ifname, "macvlan")))
            g_clear_pointer(&net->ifname, g_free);
    }

    if (link) {
        g_autofree char *state = virDomainXMLProp(link, "state");

        if (state) {
            if (strcmp(state, "up") == 0) {
                net->linkState = 1;
            } else if (strcmp(state, "down") == 0) {
                net->linkState = 2;
            } else {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               "unknown interface link state '%s'", state);
                return -1;
            }
        }
    }
    /* the QEMU driver's device id, kept in the status file (live data) */
    if (alias && !(flags & VIR_DOMAIN_DEF_PARSE_INACTIVE)) {
        net->alias = virDomainXMLProp(alias, "name");
        if (net->alias && !*net->alias)
            g_clear_pointer(&net->alias, g_free);
    }

    if (virDomainDeviceAddressParse(node, &net->addr) < 0 ||
        virDomainDeviceRomParse(node, &net->rom) < 0 ||
        virDomainDeviceBootParse(node, &net->boot) < 0 ||
        virDomainNetDriverParse(net, node) < 0 || virDomainNetUserParse(net, node) < 0)
        return -1;
    /* libvirt's effectiveBootIndex starts as the device's own order */
    net->effectiveBootIndex = net->boot.order;
    {
        xmlNodePtr mtu = virDomainXMLChild(node, "mtu");
        g_autofree char *size = mtu ? virDomainXMLProp(mtu, "size") : NULL;
        unsigned long long v = 0;

        /* libvirt's virXPathUInt: an empty size is none */
        if (size && *size) {
            if (virDomainParseULL(size, &v) < 0 || v > G_MAXUINT) {
                virReportError(VIR_ERR_XML_ERROR, "%s", "malformed mtu size");
                return -1;
            }
            net->mtu = (unsigned int)v;
        }
    }
    {
        xmlNodePtr port = virDomainXMLChild(node, "port");
        g_autofree char *isolated = port ? virDomainXMLProp(port, "isolated") : NULL;

        if (isolated) {
            if (g_str_equal(isolated, "yes")) {
                net->isolatedPort = 1;
            } else if (g_str_equal(isolated, "no")) {
                net->isolatedPort = 2;
            } else {
                virDomainXMLReportInvalidAttr("isolated", port, isolated);
                return -1;
            }
        }
    }
    if (netCoalesceParse(net, virDomainXMLChild(node, "coalesce")) < 0)
        return -1;
    {
        /* libvirt's string(./script/@path): the first one, empty is none */
        xmlNodePtr script = virDomainXMLChild(node, "script");
        xmlNodePtr downscript = virDomainXMLChild(node, "downscript");

        net->script = script ? virDomainXMLProp(script, "path") : NULL;
        if (net->script && !*net->script)
            g_clear_pointer(&net->script, g_free);
        net->downscript = downscript ? virDomainXMLProp(downscript, "path") : NULL;
        if (net->downscript && !*net->downscript)
            g_clear_pointer(&net->downscript, g_free);
    }
    {
        /* floor only where a network can guarantee it */
        xmlNodePtr bw = virDomainXMLChild(node, "bandwidth");

        if (bw && virNetDevBandwidthParse(bw, net->type == VIR_DOMAIN_NET_TYPE_NETWORK,
                                          &net->bandwidth) < 0)
            return -1;
    }

    /* as libvirt: a <filterref> without filter= is nothing, and only these
     * interface types keep one */
    {
        xmlNodePtr fref = virDomainXMLChild(node, "filterref");
        g_autofree char *filter = fref ? virDomainXMLProp(fref, "filter") : NULL;

        if (filter && (net->type == VIR_DOMAIN_NET_TYPE_NETWORK ||
                       net->type == VIR_DOMAIN_NET_TYPE_BRIDGE ||
                       net->type == VIR_DOMAIN_NET_TYPE_ETHERNET)) {
            net->filterref = g_steal_pointer(&filter);
            net->filterparams = virNWFilterParamsParse(fref);
        }
    }

    g_ptr_array_add(nets, g_steal_pointer(&net));
    return 0;
}
