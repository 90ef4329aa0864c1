/* nwfilter_nft.h: a network filter binding as nftables rules (the translator and the table it owns) */
#pragma once

#include "nwfilter_binding_conf.h"
#include "nwfilter_conf.h"

/*
 * One binding is one table of the bridge family, "virtkit_nwf_<portdev>"
 * (characters other than letters and digits as '_'), made and replaced in
 * one `nft -f` transaction and deleted as a unit: the daemon never touches
 * a table it did not create. Its base chains see the frames the guest
 * sends (prerouting, iifname = the tap) and those it receives
 * (postrouting, oifname = the tap):
 *
 *   - the layer-2 chains (priority -200) hold libvirt's ebtables rules:
 *     rules without a protocol and mac, arp, rarp, ip, ipv6 ones. A
 *     filter's chain ("mac", "arp-ip", "ipv4", ...) is a chain of its
 *     own, entered from the root chain for its frames (ether type), at
 *     the filter's chain priority among the root's rules;
 *   - the layer-3 chains (postrouting priority 0; prerouting priority
 *     100, after br_netfilter's pass through the inet hooks) hold
 *     libvirt's iptables rules: tcp, udp, sctp, udplite, esp, ah, icmp,
 *     igmp, all and their -ipv6 forms, in one chain per direction sorted
 *     by priority. Connection states (a rule's state attribute, and the
 *     NEW,ESTABLISHED / ESTABLISHED-reply pair libvirt gives an accept
 *     rule by default) are matched on bits of the packet's mark that the
 *     shared inet table "virtkit_nwf_ct" sets from conntrack; a binding
 *     that matches states makes that table too (nwfNftScriptUsesCt).
 *
 * Rules are sorted by priority within a chain (ties in document order).
 * The guest's $MAC is the binding's MAC unless a parameter gives it.
 */

/* The definition of the filter called @name, or NULL (borrowed). */
typedef const virNWFilterDef *(*nwfNftLookupFunc)(const char *name, void *opaque);

/* The nft script that (re)makes the table of @binding with its filter
 * tree expanded: it creates the table if missing, deletes it and creates
 * it anew, all in one transaction. NULL with libvirt's error when the
 * tree cannot be instantiated: INTERNAL_ERROR "referenced filter '%s' is
 * missing", "Cannot instantiate filter due to unresolvable variables or
 * unavailable list elements: %s", PARSE_FAILED "filter '%s' learning
 * value '%s' invalid."; CONFIG_UNSUPPORTED for what virtkit does not
 * translate (IP address learning, vlan and stp rules, connlimit, ipset,
 * tcp options, gratuitous ARP); INVALID_ARG for a
 * variable value its attribute refuses. Pure: runs nothing. */
char *nwfNftBuild(const virNWFilterBindingDef *binding, nwfNftLookupFunc lookup,
                  void *opaque);

/* The table's name for tap @portdev (newly allocated). */
char *nwfNftTableName(const char *portdev);

/* Run @script with nft. 0, or -1 with nft's message reported. */
int nwfNftApply(const char *script);
/* Delete the table of @portdev if it exists (quiet). */
void nwfNftRemove(const char *portdev);
/* The names of the bridge tables that are virtkit's binding tables, and
 * in *@ctPresent whether the shared connection-state table exists (true
 * when nft could not list). One nft run. */
GPtrArray *nwfNftListTables(bool *ctPresent);
/* Delete table @name of the bridge family (quiet). */
void nwfNftRemoveTable(const char *name);

/* Whether @script (nwfNftBuild's) makes the shared connection-state
 * table: a binding that matches states. */
bool nwfNftScriptUsesCt(const char *script);
/* Delete the shared connection-state table if it exists (quiet): when no
 * binding's script uses it any more. */
void nwfNftRemoveCt(void);
