/* network_host.h: what a virtual network is made of on the host: bridge, taps, nftables rules, dnsmasq */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "network_conf.h"
#include "virnetdev.h"

/*
 * Every helper here reports its failure (NETWORK error domain) and returns
 * -1; the removal helpers are quiet (they return 0 when there was nothing
 * to remove, and are safe to call on a half-made network). Bridges and
 * taps are made with `ip` (iproute2), rules with `nft`, both run with a
 * fixed argv (no shell). They act on the network namespace of the calling
 * process.
 */

/*
 * Refuse to start @def when one of its IPv4 subnets is already routed on
 * the host ("Network is already in use by interface IFACE", as libvirt's
 * networkCheckRouteCollision). 0 or -1.
 */
int networkCheckRouteCollision(const virNetworkDef *def);

/* Create the bridge of @def with its MAC, MTU, STP and delay, its
 * addresses, and bring it up. On failure nothing is left. 0 or -1. */
int networkBridgeCreate(const virNetworkDef *def);
/* Delete a bridge (quiet; 0 also when it does not exist). */
int networkBridgeDelete(const char *bridge);

/* The nftables table that holds all rules of the network on @bridge:
 * "virtkit_<bridge>" in family inet. */
char *networkFirewallTableName(const char *bridge);
/* Add @def's rules (nat/route/none; open gets none) in one nft
 * transaction: either all of them exist afterwards or none. 0 or -1. */
int networkFirewallAdd(const virNetworkDef *def);
/* Delete the table of @bridge as a unit (quiet). */
int networkFirewallRemove(const char *bridge);
/* True when the table of @bridge exists. */
bool networkFirewallExists(const char *bridge);

/* The dnsmasq configuration libvirt would write for @def, with the lease
 * file, hosts file and addn-hosts file at the given paths. NULL when @def
 * needs no dnsmasq (no IPv4 address and DNS disabled). */
char *networkDnsmasqConfig(const virNetworkDef *def, const char *leaseFile,
                           const char *hostsFile, const char *addnHostsFile);
/* The dhcp-hostsfile lines ("mac,ip,name" or "ip,name") and the addn-hosts
 * lines for @def. */
char *networkDnsmasqHostsFile(const virNetworkDef *def);
char *networkDnsmasqAddnHosts(const virNetworkDef *def);
