/* netdev_bandwidth_conf.h: an <interface>'s <bandwidth> (libvirt 9.0's virNetDevBandwidth): parse, format, copy, compare */
#pragma once

#include <glib.h>
#include <libxml/tree.h>
#include <stdbool.h>

#include <libvirt/libvirt.h>

#include "domain_conf.h"
#include "virnetdevbandwidth.h"

/* virNetDevBandwidth and its rates: virnetdevbandwidth.h (util). */

void virNetDevBandwidthFree(virNetDevBandwidth *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetDevBandwidth, virNetDevBandwidthFree);

/* A deep copy of @src (NULL gives NULL). */
virNetDevBandwidth *virNetDevBandwidthCopy(const virNetDevBandwidth *src);

/* True when @a and @b set the same limits (NULL equals NULL). */
bool virNetDevBandwidthEqual(const virNetDevBandwidth *a, const virNetDevBandwidth *b);

/*
 * Parse <bandwidth> @node as libvirt's virNetDevBandwidthParse does:
 * *out is the result, or NULL when the element sets neither direction.
 * @allowFloor: whether <inbound floor> is allowed (interfaces of type
 * network). -1 with libvirt's error reported (error domain NONE, as
 * libvirt): XML_DETAIL "Only one child <inbound> element allowed",
 * "Missing mandatory average or floor attributes", "classID attribute not
 * supported on <bandwidth> in this usage context"; CONFIG_UNSUPPORTED
 * "could not convert bandwidth average value 'V'" (peak, burst, floor),
 * "'peak' and 'burst' require 'average' attribute", "floor attribute is
 * not supported for this config", "'floor' attribute allowed only in
 * <inbound> element". Unknown children are ignored, as libvirt does.
 */
int virNetDevBandwidthParse(xmlNodePtr node, bool allowFloor, virNetDevBandwidth **out);

/* Append @def as libvirt formats it, each line starting with @indent
 * spaces: <bandwidth>, then <inbound>/<outbound> for a direction with an
 * average or a floor (average, peak, floor, burst; zeros left out). Nothing
 * when @def is NULL. */
void virNetDevBandwidthFormat(const virNetDevBandwidth *def, GString *buf, int indent);

/* libvirt's virDomainNetFind: the interface of @def that @device names, by
 * MAC address when it reads as one, else by host-side name (<target
 * dev>); NULL with INVALID_ARG "'DEV' is not a known interface" (DOMAIN)
 * reported. */
virDomainNetDef *virDomainNetFindByDevice(const virDomainDef *def, const char *device);

/* The parameters of virDomainGet/SetInterfaceParameters, in libvirt's
 * order (NULL-terminated; all VIR_TYPED_PARAM_UINT). */
extern const char *const virDomainBandwidthParamNames[];
#define VIR_DOMAIN_BANDWIDTH_NPARAMS 7

/* The interface's limits after virDomainSetInterfaceParameters with
 * @params (already checked: known names, UINT) on limits @cur (may be
 * NULL), as libvirt computes them: a direction named by a parameter is
 * replaced by the parameters given for it, and dropped when they set no
 * average (nor, inbound, a floor); a direction not named keeps @cur's.
 * NULL when no direction is left. */
virNetDevBandwidth *virDomainNetBandwidthUpdate(const virNetDevBandwidth *cur,
                                                const virTypedParameter *params,
                                                int nparams);

/* Fill @params (room for @max) with @bw's limits in libvirt's order (0
 * for what is unset); returns how many. */
int virDomainNetBandwidthToParams(const virNetDevBandwidth *bw,
                                  virTypedParameterPtr params, int max);
