/* netdev_bandwidth_conf.c: an <interface>'s <bandwidth>: libvirt's rules for parsing and formatting it */

#define G_LOG_DOMAIN "virtkit.conf.bandwidth"

#include <string.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "netdev_bandwidth_conf.h"
#include "virerror.h"

/* libvirt reports these without a domain of its own */
#define VIR_FROM_THIS VIR_FROM_NONE

void
virNetDevBandwidthFree(virNetDevBandwidth *def)
{
    if (!def)
        return;
    g_free(def->in);
    g_free(def->out);
    g_free(def);
}

virNetDevBandwidth *
virNetDevBandwidthCopy(const virNetDevBandwidth *src)
{
    virNetDevBandwidth *dst;

    if (!src)
        return NULL;
    dst = g_new0(virNetDevBandwidth, 1);
    if (src->in)
        dst->in = g_memdup2(src->in, sizeof(*src->in));
    if (src->out)
        dst->out = g_memdup2(src->out, sizeof(*src->out));
    return dst;
}

static bool
rateEqual(const virNetDevBandwidthRate *a, const virNetDevBandwidthRate *b)
{
    if (!a || !b)
        return a == b;
    return a->average == b->average && a->peak == b->peak && a->floor == b->floor &&
           a->burst == b->burst;
}

bool
virNetDevBandwidthEqual(const virNetDevBandwidth *a, const virNetDevBandwidth *b)
{
    if (!a || !b)
        return a == b;
    return rateEqual(a->in, b->in) && rateEqual(a->out, b->out);
}

/* One number attribute of a rate; 0 when absent, -1 reported when bad. */
static int
rateValue(const char *name, const char *str, unsigned long long *val)
{
    if (str && virDomainParseULL(str, val) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "could not convert bandwidth %s value '%s'", name, str);
        return -1;
    }
    return 0;
}

static int
parseRate(xmlNodePtr node, virNetDevBandwidthRate *rate)
{
    g_autofree char *average = virDomainXMLProp(node, "average");
    g_autofree char *peak = virDomainXMLProp(node, "peak");
    g_autofree char *burst = virDomainXMLProp(node, "burst");
    g_autofree char *floor = virDomainXMLProp(node, "floor");

    if (average) {
        if (rateValue("average", average, &rate->average) < 0)
            return -1;
    } else if (!floor) {
        virReportError(VIR_ERR_XML_DETAIL, "%s",
                       "Missing mandatory average or floor attributes");
        return -1;
    }
    if ((peak || burst) && !average) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "'peak' and 'burst' require 'average' attribute");
        return -1;
    }
    if (rateValue("peak", peak, &rate->peak) < 0 ||
        rateValue("burst", burst, &rate->burst) < 0 ||
        rateValue("floor", floor, &rate->floor) < 0)
        return -1;
    return 0;
}

int
virNetDevBandwidthParse(xmlNodePtr node, bool allowFloor, virNetDevBandwidth **out)
{
    g_autoptr(virNetDevBandwidth) def = g_new0(virNetDevBandwidth, 1);
    g_autofree char *classID = virDomainXMLProp(node, "classID");
    xmlNodePtr in = NULL;
    xmlNodePtr outb = NULL;

    /* only a network's own status carries a class */
    if (classID) {
        virReportError(VIR_ERR_XML_DETAIL, "%s",
                       "classID attribute not supported on <bandwidth> in this usage "
                       "context");
        return -1;
    }
    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (virDomainXMLNodeIs(cur, "inbound")) {
            if (in) {
                virReportError(VIR_ERR_XML_DETAIL, "%s",
                               "Only one child <inbound> element allowed");
                return -1;
            }
            in = cur;
        } else if (virDomainXMLNodeIs(cur, "outbound")) {
            if (outb) {
                virReportError(VIR_ERR_XML_DETAIL, "%s",
                               "Only one child <outbound> element allowed");
                return -1;
            }
            outb = cur;
        }
    }
    if (in) {
        def->in = g_new0(virNetDevBandwidthRate, 1);
        if (parseRate(in, def->in) < 0)
            return -1;
        if (def->in->floor && !allowFloor) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "floor attribute is not supported for this config");
            return -1;
        }
    }
    if (outb) {
        def->out = g_new0(virNetDevBandwidthRate, 1);
        if (parseRate(outb, def->out) < 0)
            return -1;
        if (def->out->floor) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "'floor' attribute allowed only in <inbound> element");
            return -1;
        }
    }
    *out = def->in || def->out ? g_steal_pointer(&def) : NULL;
    return 0;
}

static void
formatRate(const virNetDevBandwidthRate *rate, GString *buf, int indent, const char *elem)
{
    if (!rate || !(rate->average || rate->floor))
        return;
    g_string_append_printf(buf, "%*s<%s", indent, "", elem);
    if (rate->average)
        g_string_append_printf(buf, " average='%llu'", rate->average);
    if (rate->peak)
        g_string_append_printf(buf, " peak='%llu'", rate->peak);
    if (rate->floor)
        g_string_append_printf(buf, " floor='%llu'", rate->floor);
    if (rate->burst)
        g_string_append_printf(buf, " burst='%llu'", rate->burst);
    g_string_append(buf, "/>\n");
}

void
virNetDevBandwidthFormat(const virNetDevBandwidth *def, GString *buf, int indent)
{
    if (!def)
        return;
    g_string_append_printf(buf, "%*s<bandwidth>\n", indent, "");
    formatRate(def->in, buf, indent + 2, "inbound");
    formatRate(def->out, buf, indent + 2, "outbound");
    g_string_append_printf(buf, "%*s</bandwidth>\n", indent, "");
}

virDomainNetDef *
virDomainNetFindByDevice(const virDomainDef *def, const char *device)
{
    unsigned char mac[6];

    if (virDomainMACParse(device, mac) == 0) {
        for (size_t i = 0; i < def->nnets; i++) {
            if (def->nets[i]->macSet && memcmp(def->nets[i]->mac, mac, sizeof(mac)) == 0)
                return def->nets[i];
        }
    } else {
        for (size_t i = 0; i < def->nnets; i++) {
            if (g_strcmp0(def->nets[i]->ifname, device) == 0)
                return def->nets[i];
        }
    }
    virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, __func__,
                       "'%s' is not a known interface", device);
    return NULL;
}

const char *const virDomainBandwidthParamNames[] = {
    VIR_DOMAIN_BANDWIDTH_IN_AVERAGE,  VIR_DOMAIN_BANDWIDTH_IN_PEAK,
    VIR_DOMAIN_BANDWIDTH_IN_BURST,    VIR_DOMAIN_BANDWIDTH_IN_FLOOR,
    VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE, VIR_DOMAIN_BANDWIDTH_OUT_PEAK,
    VIR_DOMAIN_BANDWIDTH_OUT_BURST,   NULL,
};

virNetDevBandwidth *
virDomainNetBandwidthUpdate(const virNetDevBandwidth *cur,
                            const virTypedParameter *params, int nparams)
{
    virNetDevBandwidthRate in = { 0 };
    virNetDevBandwidthRate out = { 0 };
    bool inNamed = false;
    bool outNamed = false;
    g_autoptr(virNetDevBandwidth) bw = g_new0(virNetDevBandwidth, 1);

    for (int i = 0; i < nparams; i++) {
        const char *f = params[i].field;
        unsigned long long v = params[i].value.ui;

        if (strcmp(f, VIR_DOMAIN_BANDWIDTH_IN_AVERAGE) == 0)
            in.average = v, inNamed = true;
        else if (strcmp(f, VIR_DOMAIN_BANDWIDTH_IN_PEAK) == 0)
            in.peak = v, inNamed = true;
        else if (strcmp(f, VIR_DOMAIN_BANDWIDTH_IN_BURST) == 0)
            in.burst = v, inNamed = true;
        else if (strcmp(f, VIR_DOMAIN_BANDWIDTH_IN_FLOOR) == 0)
            in.floor = v, inNamed = true;
        else if (strcmp(f, VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE) == 0)
            out.average = v, outNamed = true;
        else if (strcmp(f, VIR_DOMAIN_BANDWIDTH_OUT_PEAK) == 0)
            out.peak = v, outNamed = true;
        else if (strcmp(f, VIR_DOMAIN_BANDWIDTH_OUT_BURST) == 0)
            out.burst = v, outNamed = true;
    }
    /* an average (or a floor) is what makes a direction */
    if (inNamed) {
        if (in.average || in.floor)
            bw->in = g_memdup2(&in, sizeof(in));
    } else if (cur && cur->in) {
        bw->in = g_memdup2(cur->in, sizeof(*cur->in));
    }
    if (outNamed) {
        if (out.average)
            bw->out = g_memdup2(&out, sizeof(out));
    } else if (cur && cur->out) {
        bw->out = g_memdup2(cur->out, sizeof(*cur->out));
    }
    return bw->in || bw->out ? g_steal_pointer(&bw) : NULL;
}

static void
setUInt(virTypedParameterPtr p, const char *name, unsigned long long v)
{
    memset(p, 0, sizeof(*p));
    g_strlcpy(p->field, name, sizeof(p->field));
    p->type = VIR_TYPED_PARAM_UINT;
    p->value.ui = (unsigned int)v;
}

int
virDomainNetBandwidthToParams(const virNetDevBandwidth *bw, virTypedParameterPtr params,
                              int max)
{
    const virNetDevBandwidthRate *in = bw ? bw->in : NULL;
    const virNetDevBandwidthRate *out = bw ? bw->out : NULL;
    unsigned long long v[VIR_DOMAIN_BANDWIDTH_NPARAMS] = {
        in ? in->average : 0, in ? in->peak : 0,      in ? in->burst : 0,
        in ? in->floor : 0,   out ? out->average : 0, out ? out->peak : 0,
        out ? out->burst : 0,
    };
    int n = 0;

    for (; n < max && n < VIR_DOMAIN_BANDWIDTH_NPARAMS; n++)
        setUInt(&params[n], virDomainBandwidthParamNames[n], v[n]);
    return n;
}
