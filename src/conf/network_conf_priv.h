/* network_conf_priv.h: helpers shared by the network XML parser, its address
 * helpers (network_addr.c) and virNetworkUpdate (network_update.c) */
#pragma once

#include <libxml/tree.h>
#include "network_conf.h"

/* Mask @addr to @prefix bits in place. */
void virNetworkAddrMask(virNetworkAddr *addr, unsigned int prefix);

/* memcmp order of two addresses of the same family. */
int virNetworkAddrCompare(const virNetworkAddr *a, const virNetworkAddr *b);

/* Prefix length of a netmask, or -1 when it is not contiguous. */
int virNetworkNetmaskPrefix(const virNetworkAddr *mask);

/* Parse one <range> of @ip into *@out (owned by the caller); 0, or -1 reported. */
int virNetworkDHCPRangeParse(xmlNodePtr node, virNetworkIPDef *ip, const char *netName,
                             virNetworkDHCPRangeDef **out);

/* Parse one DHCP <host> of @ip into *@out (owned by the caller); @partial
 * allows the incomplete entries a delete names; 0, or -1 reported. */
int virNetworkDHCPHostParse(xmlNodePtr node, virNetworkIPDef *ip, const char *netName,
                            bool partial, virNetworkDHCPHostDef **out);

/* Parse a <dns> element into @def; 0, or -1 reported. */
int virNetworkDNSParse(xmlNodePtr node, virNetworkDef *def);

/* Move the last error (reported by the shared XML reader in the DOMAIN
 * domain) into the NETWORK domain, as libvirt reports it. */
void virNetworkXMLRewrapError(void);

void virNetworkDHCPRangeFree(gpointer p);
void virNetworkDHCPHostFree(gpointer p);
