/* nwfilter_nft.c: a network filter binding as nftables rules: the filter tree expanded, variables substituted, one bridge table */
#define G_LOG_DOMAIN "virtkit.nwfilter.nft"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "nwfilter_nft.h"
#include "virerror.h"
#include "virnetdev.h"

#define VIR_FROM_THIS VIR_FROM_NWFILTER

#define NFT_PATH "/usr/sbin/nft"
#define NWF_TABLE_PREFIX "virtkit_nwf_"
/* how deep filter references are followed (the driver refuses loops) */
#define NWF_NFT_MAX_DEPTH 64
/* rule instances one binding may make (each variable combination is one) */
#define NWF_NFT_MAX_RULES 4096

enum {
    DIR_TO_GUEST = 0,
    DIR_FROM_GUEST = 1
};

/* Connection states reach the bridge family through the packet's mark:
 * the bridge family has no conntrack of its own (that needs the
 * nf_conntrack_bridge module), while bridged IPv4/IPv6 packets are
 * tracked by br_netfilter's pass through the inet hooks (sysctl
 * net.bridge.bridge-nf-call-iptables, as libvirt's iptables rules need
 * it). The shared inet table NWF_CT_TABLE copies each packet's state and
 * direction into five bits of its mark (prerouting and output, after
 * conntrack, priority -150); the layer-3 chains then match those bits.
 * Only these bits are written: the rest of the mark stays its owner's. */
#define NWF_CT_TABLE "virtkit_nwf_ct"
#define NWF_CT_NEW 0x01000000u
#define NWF_CT_ESTABLISHED 0x02000000u
#define NWF_CT_RELATED 0x04000000u
#define NWF_CT_INVALID 0x08000000u
#define NWF_CT_REPLY 0x10000000u
#define NWF_CT_BITS 0x1f000000u

typedef struct {
    int prio;
    guint seq;
    char *text;
} nftRule;

typedef struct {
    char *name; /* the filter chain name: "root", "mac", "arp-ip", ... */
    int prio;
    guint seq;
    GPtrArray *rules[2]; /* of nftRule *, by DIR_* */
} nftChain;

typedef struct {
    const virNWFilterBindingDef *binding;
    nwfNftLookupFunc lookup;
    void *opaque;
    bool collectOnly;      /* first pass: only find missing variables */
    GTree *missing;        /* char * -> NULL: variables not available */
    GPtrArray *chains;     /* of nftChain *; [0] is root */
    GPtrArray *l3rules[2]; /* of nftRule * */
    guint seq;
    guint count;
    bool usesCt; /* a rule matches a connection state */
} nftBuild;

static void
nftRuleFree(gpointer p)
{
    nftRule *r = p;

    g_free(r->text);
    g_free(r);
}

static void
nftChainFree(gpointer p)
{
    nftChain *c = p;

    g_free(c->name);
    g_ptr_array_unref(c->rules[0]);
    g_ptr_array_unref(c->rules[1]);
    g_free(c);
}

static nftChain *
chainGet(nftBuild *b, const char *name, int prio)
{
    nftChain *c;

    for (guint i = 0; i < b->chains->len; i++) {
        c = b->chains->pdata[i];
        if (g_str_equal(c->name, name))
            return c;
    }
    c = g_new0(nftChain, 1);
    c->name = g_strdup(name);
    c->prio = prio;
    c->seq = b->seq++;
    c->rules[0] = g_ptr_array_new_with_free_func(nftRuleFree);
    c->rules[1] = g_ptr_array_new_with_free_func(nftRuleFree);
    g_ptr_array_add(b->chains, c);
    return c;
}

/* ---- variables ----------------------------------------------------------- */

/* name -> GPtrArray of char * (owned) */
static GHashTable *
varsNew(void)
{
    return g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                 (GDestroyNotify)g_ptr_array_unref);
}

static gboolean
varsPutOne(gpointer key, gpointer value, gpointer data)
{
    GPtrArray *values = value;
    GPtrArray *copy = g_ptr_array_new_with_free_func(g_free);

    for (guint i = 0; i < values->len; i++)
        g_ptr_array_add(copy, g_strdup(values->pdata[i]));
    g_hash_table_replace(data, g_strdup(key), copy);
    return FALSE;
}

static void
varsPutParams(GHashTable *vars, const virNWFilterParams *params)
{
    if (params)
        g_tree_foreach(params->table, varsPutOne, vars);
}

static void
varsPutAll(GHashTable *dst, GHashTable *src)
{
    GHashTableIter it;
    gpointer k, v;

    g_hash_table_iter_init(&it, src);
    while (g_hash_table_iter_next(&it, &k, &v))
        varsPutOne(k, v, dst);
}

/* ---- value formatting ---------------------------------------------------- */

static bool
has(const virNWFilterItem *it, int f)
{
    return it[f].flags & NWF_ITEM_EXISTS;
}

static const char *
op(const virNWFilterItem *it, int f)
{
    return (it[f].flags & NWF_ITEM_NEG) ? "!= " : "";
}

static void
fmtMAC(GString *s, const unsigned char *m)
{
    g_string_append_printf(s, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
                           m[4], m[5]);
}

static void
fmtIP(GString *s, const struct sockaddr_storage *sa, int prefix)
{
    char buf[INET6_ADDRSTRLEN] = "";

    if (sa->ss_family == AF_INET) {
        struct in_addr a = ((const struct sockaddr_in *)sa)->sin_addr;

        if (prefix >= 0 && prefix < 32)
            a.s_addr &= htonl(prefix == 0 ? 0 : 0xffffffffu << (32 - prefix));
        inet_ntop(AF_INET, &a, buf, sizeof(buf));
        g_string_append(s, buf);
        if (prefix >= 0 && prefix < 32)
            g_string_append_printf(s, "/%d", prefix);
    } else {
        struct in6_addr a = ((const struct sockaddr_in6 *)sa)->sin6_addr;

        if (prefix >= 0 && prefix < 128) {
            for (int i = 0; i < 16; i++) {
                int bits = prefix - i * 8;

                if (bits <= 0)
                    a.s6_addr[i] = 0;
                else if (bits < 8)
                    a.s6_addr[i] &= (uint8_t)(0xff << (8 - bits));
            }
        }
        inet_ntop(AF_INET6, &a, buf, sizeof(buf));
        g_string_append(s, buf);
        if (prefix >= 0 && prefix < 128)
            g_string_append_printf(s, "/%d", prefix);
    }
}

/* "KEY [!= ]MAC" or with a mask "KEY & MASK ==|!= MAC&MASK" (@mask -1:
 * none) */
static void
emitMAC(GString *s, const char *key, const virNWFilterItem *it, int addr, int mask)
{
    unsigned char v[6];

    if (!has(it, addr))
        return;
    memcpy(v, it[addr].u.mac, 6);
    if (mask >= 0 && has(it, mask)) {
        for (int i = 0; i < 6; i++)
            v[i] &= it[mask].u.mac[i];
        g_string_append_printf(s, "%s & ", key);
        fmtMAC(s, it[mask].u.mac);
        g_string_append(s, (it[addr].flags & NWF_ITEM_NEG) ? " != " : " == ");
    } else {
        g_string_append_printf(s, "%s %s", key, op(it, addr));
    }
    fmtMAC(s, v);
    g_string_append_c(s, ' ');
}

static void
emitIP(GString *s, const char *key, const virNWFilterItem *it, int addr, int mask)
{
    if (!has(it, addr))
        return;
    g_string_append_printf(s, "%s %s", key, op(it, addr));
    fmtIP(s, &it[addr].u.ip, has(it, mask) ? it[mask].u.u8 : -1);
    g_string_append_c(s, ' ');
}

static void
emitIPRange(GString *s, const char *key, const virNWFilterItem *it, int from, int to)
{
    if (!has(it, from))
        return;
    g_string_append_printf(s, "%s %s", key, op(it, from));
    fmtIP(s, &it[from].u.ip, -1);
    if (has(it, to)) {
        g_string_append_c(s, '-');
        fmtIP(s, &it[to].u.ip, -1);
    }
    g_string_append_c(s, ' ');
}

/* a number field, or a range with @end (-1: none) */
static void
emitNum(GString *s, const char *key, const virNWFilterItem *it, int start, int end,
        bool u8)
{
    if (!has(it, start))
        return;
    g_string_append_printf(s, "%s %s%u", key, op(it, start),
                           u8 ? it[start].u.u8 : it[start].u.u16);
    if (end >= 0 && has(it, end))
        g_string_append_printf(s, "-%u", u8 ? it[end].u.u8 : it[end].u.u16);
    g_string_append_c(s, ' ');
}

/* ARP header fields by raw offset from the network header (bits). */
static void
emitRawMAC(GString *s, int offset, const virNWFilterItem *it, int f)
{
    const unsigned char *m = it[f].u.mac;

    if (!has(it, f))
        return;
    g_string_append_printf(s, "@nh,%d,48 %s0x%02x%02x%02x%02x%02x%02x ", offset,
                           op(it, f), m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void
emitRawIP(GString *s, int offset, const virNWFilterItem *it, int f, int mask)
{
    uint32_t v;
    uint32_t m = 0xffffffffu;

    if (!has(it, f))
        return;
    v = ntohl(((const struct sockaddr_in *)&it[f].u.ip)->sin_addr.s_addr);
    if (has(it, mask) && it[mask].u.u8 < 32)
        m = it[mask].u.u8 == 0 ? 0 : 0xffffffffu << (32 - it[mask].u.u8);
    if (m != 0xffffffffu)
        g_string_append_printf(s, "@nh,%d,32 & 0x%08x %s 0x%08x ", offset, m,
                               (it[f].flags & NWF_ITEM_NEG) ? "!=" : "==", v & m);
    else
        g_string_append_printf(s, "@nh,%d,32 %s0x%08x ", offset, op(it, f), v);
}

static void
emitRaw16(GString *s, int offset, const virNWFilterItem *it, int f)
{
    if (has(it, f))
        g_string_append_printf(s, "@nh,%d,16 %s0x%04x ", offset, op(it, f), it[f].u.u16);
}

/* ---- one rule ------------------------------------------------------------ */

static int
unsupported(const char *what)
{
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                   "network filter rules with %s are not supported by virtkit", what);
    return -1;
}

static bool
isL3(int protocol)
{
    switch ((virNWFilterRuleProtocol)protocol) {
    case VIR_NWFILTER_RULE_PROTOCOL_NONE:
    case VIR_NWFILTER_RULE_PROTOCOL_MAC:
    case VIR_NWFILTER_RULE_PROTOCOL_VLAN:
    case VIR_NWFILTER_RULE_PROTOCOL_STP:
    case VIR_NWFILTER_RULE_PROTOCOL_ARP:
    case VIR_NWFILTER_RULE_PROTOCOL_RARP:
    case VIR_NWFILTER_RULE_PROTOCOL_IP:
    case VIR_NWFILTER_RULE_PROTOCOL_IPV6:
    case VIR_NWFILTER_RULE_PROTOCOL_LAST:
        return false;
    default:
        return true;
    }
}

/* The IP protocol number of an L3 rule (-1: any) and whether it is IPv6. */
static int
l3Proto(int protocol, bool *v6)
{
    *v6 = protocol >= VIR_NWFILTER_RULE_PROTOCOL_TCPoIPV6;
    switch ((virNWFilterRuleProtocol)protocol) {
    case VIR_NWFILTER_RULE_PROTOCOL_TCP:
    case VIR_NWFILTER_RULE_PROTOCOL_TCPoIPV6:
        return 6;
    case VIR_NWFILTER_RULE_PROTOCOL_UDP:
    case VIR_NWFILTER_RULE_PROTOCOL_UDPoIPV6:
        return 17;
    case VIR_NWFILTER_RULE_PROTOCOL_SCTP:
    case VIR_NWFILTER_RULE_PROTOCOL_SCTPoIPV6:
        return 132;
    case VIR_NWFILTER_RULE_PROTOCOL_UDPLITE:
    case VIR_NWFILTER_RULE_PROTOCOL_UDPLITEoIPV6:
        return 136;
    case VIR_NWFILTER_RULE_PROTOCOL_ESP:
    case VIR_NWFILTER_RULE_PROTOCOL_ESPoIPV6:
        return 50;
    case VIR_NWFILTER_RULE_PROTOCOL_AH:
    case VIR_NWFILTER_RULE_PROTOCOL_AHoIPV6:
        return 51;
    case VIR_NWFILTER_RULE_PROTOCOL_ICMP:
        return 1;
    case VIR_NWFILTER_RULE_PROTOCOL_ICMPV6:
        return 58;
    case VIR_NWFILTER_RULE_PROTOCOL_IGMP:
        return 2;
    default:
        return -1;
    }
}

/* The field that plays @f's part in the reverse direction. */
static int
swapField(int f, bool swap)
{
    static const int pairs[][2] = {
        { NWF_SRCMACADDR, NWF_DSTMACADDR },       { NWF_SRCMACMASK, NWF_DSTMACMASK },
        { NWF_SRCIPADDR, NWF_DSTIPADDR },         { NWF_SRCIPMASK, NWF_DSTIPMASK },
        { NWF_SRCIPFROM, NWF_DSTIPFROM },         { NWF_SRCIPTO, NWF_DSTIPTO },
        { NWF_SRCPORTSTART, NWF_DSTPORTSTART },   { NWF_SRCPORTEND, NWF_DSTPORTEND },
        { NWF_ARPSRCMACADDR, NWF_ARPDSTMACADDR }, { NWF_ARPSRCIPADDR, NWF_ARPDSTIPADDR },
        { NWF_ARPSRCIPMASK, NWF_ARPDSTIPMASK },
    };

    if (!swap)
        return f;
    for (size_t i = 0; i < G_N_ELEMENTS(pairs); i++) {
        if (pairs[i][0] == f)
            return pairs[i][1];
        if (pairs[i][1] == f)
            return pairs[i][0];
    }
    return f;
}

/* The match of one rule instance (@it: values substituted) as nft
 * expressions, src/dst exchanged with @swap. NULL with an error for what
 * is not translated. */
static char *
ruleMatch(const virNWFilterRuleDef *rule, const virNWFilterItem *it, bool swap)
{
    g_autoptr(GString) s = g_string_new(NULL);
#define F(f) swapField(f, swap)
    int p = rule->protocol;
    bool v6 = false;
    int proto;

    if (has(it, NWF_STATE) && !isL3(p))
        return unsupported("connection states outside layer 3"), NULL;
    if (has(it, NWF_CONNLIMIT))
        return unsupported("connlimit-above"), NULL;
    if (has(it, NWF_IPSET))
        return unsupported("ipset"), NULL;
    if (has(it, NWF_TCPOPTION))
        return unsupported("tcp option"), NULL;

    switch ((virNWFilterRuleProtocol)p) {
    case VIR_NWFILTER_RULE_PROTOCOL_NONE:
        break;
    case VIR_NWFILTER_RULE_PROTOCOL_VLAN:
        return unsupported("vlan"), NULL;
    case VIR_NWFILTER_RULE_PROTOCOL_STP:
        return unsupported("stp"), NULL;
    case VIR_NWFILTER_RULE_PROTOCOL_MAC:
        emitMAC(s, "ether saddr", it, F(NWF_SRCMACADDR), F(NWF_SRCMACMASK));
        emitMAC(s, "ether daddr", it, F(NWF_DSTMACADDR), F(NWF_DSTMACMASK));
        if (has(it, NWF_PROTOCOLID))
            g_string_append_printf(s, "ether type %s0x%04x ", op(it, NWF_PROTOCOLID),
                                   it[NWF_PROTOCOLID].u.u16);
        break;
    case VIR_NWFILTER_RULE_PROTOCOL_ARP:
    case VIR_NWFILTER_RULE_PROTOCOL_RARP:
        if (has(it, NWF_GRATUITOUS))
            return unsupported("gratuitous"), NULL;
        g_string_append(s, p == VIR_NWFILTER_RULE_PROTOCOL_ARP ? "ether type arp "
                                                               : "ether type 0x8035 ");
        emitMAC(s, "ether saddr", it, F(NWF_SRCMACADDR), F(NWF_SRCMACMASK));
        emitMAC(s, "ether daddr", it, F(NWF_DSTMACADDR), F(NWF_DSTMACMASK));
        emitRaw16(s, 0, it, NWF_HWTYPE);
        emitRaw16(s, 16, it, NWF_PROTOCOLTYPE);
        emitRaw16(s, 48, it, NWF_OPCODE);
        emitRawMAC(s, 64, it, F(NWF_ARPSRCMACADDR));
        emitRawIP(s, 112, it, F(NWF_ARPSRCIPADDR), F(NWF_ARPSRCIPMASK));
        emitRawMAC(s, 144, it, F(NWF_ARPDSTMACADDR));
        emitRawIP(s, 192, it, F(NWF_ARPDSTIPADDR), F(NWF_ARPDSTIPMASK));
        break;
    case VIR_NWFILTER_RULE_PROTOCOL_IP:
    case VIR_NWFILTER_RULE_PROTOCOL_IPV6:
        v6 = p == VIR_NWFILTER_RULE_PROTOCOL_IPV6;
        g_string_append(s, v6 ? "ether type ip6 " : "ether type ip ");
        emitMAC(s, "ether saddr", it, F(NWF_SRCMACADDR), F(NWF_SRCMACMASK));
        emitMAC(s, "ether daddr", it, F(NWF_DSTMACADDR), F(NWF_DSTMACMASK));
        emitIP(s, v6 ? "ip6 saddr" : "ip saddr", it, F(NWF_SRCIPADDR), F(NWF_SRCIPMASK));
        emitIP(s, v6 ? "ip6 daddr" : "ip daddr", it, F(NWF_DSTIPADDR), F(NWF_DSTIPMASK));
        if (has(it, NWF_IPPROTOCOL))
            g_string_append_printf(s, "meta l4proto %s%u ", op(it, NWF_IPPROTOCOL),
                                   it[NWF_IPPROTOCOL].u.u8);
        emitNum(s, "th sport", it, F(NWF_SRCPORTSTART), F(NWF_SRCPORTEND), false);
        emitNum(s, "th dport", it, F(NWF_DSTPORTSTART), F(NWF_DSTPORTEND), false);
        if (!v6)
            emitNum(s, "ip dscp", it, NWF_DSCP, -1, true);
        if (v6) {
            emitNum(s, "icmpv6 type", it, NWF_TYPE, NWF_TYPEEND, true);
            emitNum(s, "icmpv6 code", it, NWF_CODE, NWF_CODEEND, true);
        }
        break;
    default:
        proto = l3Proto(p, &v6);
        g_string_append(s, v6 ? "ether type ip6 " : "ether type ip ");
        if (proto >= 0)
            g_string_append_printf(s, "meta l4proto %d ", proto);
        /* as libvirt's iptables rules: the source MAC is only looked at
         * in the guest's own direction (the caller drops the reverse) */
        if (!swap)
            emitMAC(s, "ether saddr", it, NWF_SRCMACADDR, -1);
        emitIP(s, v6 ? "ip6 saddr" : "ip saddr", it, F(NWF_SRCIPADDR), F(NWF_SRCIPMASK));
        emitIP(s, v6 ? "ip6 daddr" : "ip daddr", it, F(NWF_DSTIPADDR), F(NWF_DSTIPMASK));
        emitIPRange(s, v6 ? "ip6 saddr" : "ip saddr", it, F(NWF_SRCIPFROM),
                    F(NWF_SRCIPTO));
        emitIPRange(s, v6 ? "ip6 daddr" : "ip daddr", it, F(NWF_DSTIPFROM),
                    F(NWF_DSTIPTO));
        if (!v6)
            emitNum(s, "ip dscp", it, NWF_DSCP, -1, true);
        if (proto == 6 || proto == 17 || proto == 132 || proto == 136) {
            emitNum(s, "th sport", it, F(NWF_SRCPORTSTART), F(NWF_SRCPORTEND), false);
            emitNum(s, "th dport", it, F(NWF_DSTPORTSTART), F(NWF_DSTPORTEND), false);
        }
        if (proto == 6 && has(it, NWF_TCPFLAGS))
            g_string_append_printf(s, "tcp flags & 0x%02x %s 0x%02x ",
                                   it[NWF_TCPFLAGS].u.tcpFlags.mask,
                                   (it[NWF_TCPFLAGS].flags & NWF_ITEM_NEG) ? "!=" : "==",
                                   it[NWF_TCPFLAGS].u.tcpFlags.flags);
        if (proto == 1 || proto == 58) {
            emitNum(s, proto == 1 ? "icmp type" : "icmpv6 type", it, NWF_TYPE, -1, true);
            emitNum(s, proto == 1 ? "icmp code" : "icmpv6 code", it, NWF_CODE, -1, true);
        }
        break;
    }
#undef F
    return g_string_free(g_steal_pointer(&s), FALSE);
}

static const char *
verdict(int action, bool l3, int dir)
{
    switch (action) {
    case VIR_NWFILTER_RULE_ACTION_ACCEPT:
        return "accept";
    case VIR_NWFILTER_RULE_ACTION_REJECT:
        /* the bridge family rejects only on the way in (prerouting); as
         * libvirt's ebtables rules, a layer-2 reject drops */
        return l3 && dir == DIR_FROM_GUEST ? "reject" : "drop";
    case VIR_NWFILTER_RULE_ACTION_RETURN:
        return "return";
    case VIR_NWFILTER_RULE_ACTION_CONTINUE:
        return "continue";
    default:
        return "drop";
    }
}

static void
addRule(nftBuild *b, GPtrArray *list, int prio, char *match, const char *verdictStr)
{
    nftRule *r = g_new0(nftRule, 1);

    r->prio = prio;
    r->seq = b->seq++;
    r->text = g_strdup_printf("%scounter %s", match, verdictStr);
    g_ptr_array_add(list, r);
}

/* The match of connection states @states (NWF_STATE_* bits, NONE: none)
 * and, with @dir 1 or 2, of the packet's direction in its connection
 * (original, reply), as marks set by the NWF_CT_TABLE table; "" when
 * nothing is matched. @neg: the states are negated. */
static char *
ctMatch(nftBuild *b, unsigned int states, bool neg, int dir)
{
    unsigned int bits = 0;

    if (states & NWF_STATE_NEW)
        bits |= NWF_CT_NEW;
    if (states & NWF_STATE_ESTABLISHED)
        bits |= NWF_CT_ESTABLISHED;
    if (states & NWF_STATE_RELATED)
        bits |= NWF_CT_RELATED;
    if (states & NWF_STATE_INVALID)
        bits |= NWF_CT_INVALID;
    if (!bits)
        return g_strdup("");
    b->usesCt = true;
    return g_strdup_printf("meta mark & 0x%08x %s 0 %s", bits, neg ? "==" : "!=",
                           dir == 1   ? "meta mark & 0x10000000 == 0 "
                           : dir == 2 ? "meta mark & 0x10000000 != 0 "
                                      : "");
}

/* One instance of @rule (values substituted) into its chains. */
static int
ruleEmit(nftBuild *b, nftChain *chain, const virNWFilterRuleDef *rule,
         const virNWFilterItem *it)
{
    bool l3 = isL3(rule->protocol);
    struct {
        int dir;
        bool swap;
        unsigned int states;
        int ctdir;
    } inst[2];
    int n = 0;
    bool neg = false;

    if (++b->count > NWF_NFT_MAX_RULES) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "network filter makes more than %d rules", NWF_NFT_MAX_RULES);
        return -1;
    }
    if (!l3) {
        /* libvirt's ebtables: the guest's direction as written; inout
         * also the reverse, with source and destination exchanged */
        if (rule->direction != VIR_NWFILTER_RULE_DIRECTION_IN)
            inst[n++] = (typeof(inst[0])){ DIR_FROM_GUEST, false, 0, 0 };
        if (rule->direction == VIR_NWFILTER_RULE_DIRECTION_IN)
            inst[n++] = (typeof(inst[0])){ DIR_TO_GUEST, false, 0, 0 };
        else if (rule->direction == VIR_NWFILTER_RULE_DIRECTION_INOUT)
            inst[n++] = (typeof(inst[0])){ DIR_TO_GUEST, true, 0, 0 };
    } else {
        /* libvirt 9.0's iptables rules: the rule's direction as written
         * (inout: towards the guest) and the reverse, source and
         * destination exchanged. With a state attribute both match those
         * states and the reverse is made only for inout (NONE: no state
         * matched); without one an accept rule that is not inout and not
         * statematch='false' matches NEW,ESTABLISHED in the connection's
         * original direction and its reverse ESTABLISHED replies */
        bool toGuest = rule->direction != VIR_NWFILTER_RULE_DIRECTION_OUT;
        bool inout = rule->direction == VIR_NWFILTER_RULE_DIRECTION_INOUT;
        int d0 = toGuest ? DIR_TO_GUEST : DIR_FROM_GUEST;
        int d1 = toGuest ? DIR_FROM_GUEST : DIR_TO_GUEST;

        if (has(it, NWF_STATE)) {
            unsigned int st = it[NWF_STATE].u.u16;

            neg = (it[NWF_STATE].flags & NWF_ITEM_NEG) != 0;
            inst[n++] = (typeof(inst[0])){ d0, false, st, 0 };
            if (inout)
                inst[n++] = (typeof(inst[0])){ d1, true, st, 0 };
        } else if (rule->action == VIR_NWFILTER_RULE_ACTION_ACCEPT && !inout &&
                   !rule->noStateMatch) {
            inst[n++] =
                (typeof(inst[0])){ d0, false, NWF_STATE_NEW | NWF_STATE_ESTABLISHED, 1 };
            inst[n++] = (typeof(inst[0])){ d1, true, NWF_STATE_ESTABLISHED, 2 };
        } else {
            inst[n++] = (typeof(inst[0])){ d0, false, 0, 0 };
            inst[n++] = (typeof(inst[0])){ d1, true, 0, 0 };
        }
    }
    for (int i = 0; i < n; i++) {
        g_autofree char *match = NULL;
        g_autofree char *ct = NULL;
        g_autofree char *all = NULL;

        if (!(match = ruleMatch(rule, it, inst[i].swap)))
            return -1;
        ct = ctMatch(b, inst[i].states, neg, inst[i].ctdir);
        all = g_strconcat(match, ct, NULL);
        addRule(b, l3 ? b->l3rules[inst[i].dir] : chain->rules[inst[i].dir],
                rule->priority, all, verdict(rule->action, l3, inst[i].dir));
    }
    return 0;
}

typedef struct {
    char *key;        /* "NAME" or "@N" */
    GPtrArray *names; /* variables iterated together (borrowed strings) */
    guint len;
    guint pos;
} iterGroup;

static void
iterGroupFree(gpointer p)
{
    iterGroup *g = p;

    g_free(g->key);
    g_ptr_array_unref(g->names);
    g_free(g);
}

static void
recordMissing(nftBuild *b, const virNWFilterVarAccess *va)
{
    g_autoptr(GString) s = g_string_new(NULL);

    virNWFilterVarAccessFormat(s, va);
    g_tree_replace(b->missing, g_string_free(g_steal_pointer(&s), FALSE), NULL);
}

/* The value of @va in the current combination of @groups. */
static const char *
varValue(GHashTable *vars, GPtrArray *groups, const virNWFilterVarAccess *va)
{
    GPtrArray *values = g_hash_table_lookup(vars, va->name);

    if (va->type == VIR_NWFILTER_VAR_ACCESS_ELEMENT)
        return values->pdata[va->number];
    for (guint i = 0; i < groups->len; i++) {
        iterGroup *g = groups->pdata[i];

        for (guint j = 0; j < g->names->len; j++) {
            if (g_str_equal(g->names->pdata[j], va->name) &&
                ((va->number == 0 && g->key[0] != '@') ||
                 (va->number != 0 && g->key[0] == '@' &&
                  strtoul(g->key + 1, NULL, 10) == va->number)))
                return values->pdata[g->pos];
        }
    }
    return NULL;
}

/* Every combination of the variables @rule uses, each emitted. */
static int
ruleInstantiate(nftBuild *b, nftChain *chain, const virNWFilterRuleDef *rule,
                GHashTable *vars)
{
    g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func(iterGroupFree);
    g_autofree virNWFilterItem *it = NULL;
    bool missing = false;

    for (int f = 0; f < NWF_FIELD_LAST; f++) {
        const virNWFilterItem *item = &rule->items[f];
        GPtrArray *values;
        g_autofree char *key = NULL;
        iterGroup *g = NULL;

        if (!(item->flags & NWF_ITEM_VAR))
            continue;
        values = g_hash_table_lookup(vars, item->var.name);
        if (!values || values->len == 0 ||
            (item->var.type == VIR_NWFILTER_VAR_ACCESS_ELEMENT &&
             item->var.number >= values->len)) {
            recordMissing(b, &item->var);
            missing = true;
            continue;
        }
        if (item->var.type == VIR_NWFILTER_VAR_ACCESS_ELEMENT)
            continue;
        key = item->var.number == 0 ? g_strdup(item->var.name)
                                    : g_strdup_printf("@%u", item->var.number);
        for (guint i = 0; i < groups->len && !g; i++) {
            if (g_str_equal(((iterGroup *)groups->pdata[i])->key, key))
                g = groups->pdata[i];
        }
        if (!g) {
            g = g_new0(iterGroup, 1);
            g->key = g_steal_pointer(&key);
            g->names = g_ptr_array_new();
            g->len = values->len;
            g_ptr_array_add(groups, g);
        } else if (g->len != values->len) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "Cardinality of list items must be the same for processing "
                           "them in parallel");
            return -1;
        }
        g_ptr_array_add(g->names, item->var.name);
    }
    if (missing || b->collectOnly)
        return 0;

    it = g_new0(virNWFilterItem, NWF_FIELD_LAST);
    for (;;) {
        guint i;

        for (int f = 0; f < NWF_FIELD_LAST; f++) {
            const virNWFilterItem *item = &rule->items[f];
            const char *value;

            it[f] = *item;
            if (!(item->flags & NWF_ITEM_VAR))
                continue;
            value = varValue(vars, groups, &item->var);
            if (!value || !virNWFilterItemParseValue(rule->protocol, f, value, &it[f])) {
                virReportError(VIR_ERR_INVALID_ARG,
                               "value '%s' of variable '%s' cannot be used in this rule",
                               value ? value : "", item->var.name);
                return -1;
            }
            it[f].flags |= item->flags & NWF_ITEM_NEG;
        }
        if (ruleEmit(b, chain, rule, it) < 0)
            return -1;
        /* the next combination */
        for (i = 0; i < groups->len; i++) {
            iterGroup *g = groups->pdata[i];

            if (++g->pos < g->len)
                break;
            g->pos = 0;
        }
        if (i == groups->len)
            break;
    }
    return 0;
}

/* Depth first through @def and the filters it references, as libvirt:
 * a referenced filter sees its <filterref> parameters, overridden by the
 * values of the referring level. */
static int
filterWalk(nftBuild *b, const virNWFilterDef *def, GHashTable *vars, int depth)
{
    nftChain *chain;

    if (depth > NWF_NFT_MAX_DEPTH) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "filter '%s' references filters too deeply", def->name);
        return -1;
    }
    chain = chainGet(b, def->chain, def->chainPriority);
    for (guint i = 0; i < def->entries->len; i++) {
        const virNWFilterEntry *e = def->entries->pdata[i];

        if (e->rule) {
            if (ruleInstantiate(b, chain, e->rule, vars) < 0)
                return -1;
        } else {
            const virNWFilterDef *child = b->lookup(e->filterref, b->opaque);
            g_autoptr(GHashTable) sub = NULL;

            if (!child) {
                virReportError(VIR_ERR_INTERNAL_ERROR,
                               "referenced filter '%s' is missing", e->filterref);
                return -1;
            }
            sub = varsNew();
            varsPutParams(sub, e->params);
            varsPutAll(sub, vars);
            if (filterWalk(b, child, sub, depth + 1) < 0)
                return -1;
        }
    }
    return 0;
}

/* ---- the script ---------------------------------------------------------- */

char *
nwfNftTableName(const char *portdev)
{
    GString *s = g_string_new(NWF_TABLE_PREFIX);

    for (const char *p = portdev; *p; p++) {
        if (g_ascii_isalnum(*p))
            g_string_append_c(s, *p);
        else
            g_string_append_printf(s, "_%02x", (unsigned char)*p);
    }
    return g_string_free(s, FALSE);
}

static gint
ruleCompare(gconstpointer a, gconstpointer b)
{
    const nftRule *ra = *(nftRule *const *)a;
    const nftRule *rb = *(nftRule *const *)b;

    if (ra->prio != rb->prio)
        return ra->prio < rb->prio ? -1 : 1;
    return ra->seq < rb->seq ? -1 : ra->seq > rb->seq;
}

/* The frames a filter chain sees, by the prefix of its name. */
static const char *
chainCondition(const char *name)
{
    static const struct {
        const char *prefix;
        const char *cond;
    } conds[] = {
        { "mac", "" },
        { "vlan", "ether type 8021q " },
        { "stp", "ether daddr 01:80:c2:00:00:00 " },
        { "arp", "ether type arp " },
        { "rarp", "ether type 0x8035 " },
        { "ipv4", "ether type ip " },
        { "ipv6", "ether type ip6 " },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(conds); i++) {
        if (g_str_has_prefix(name, conds[i].prefix))
            return conds[i].cond;
    }
    return "";
}

static bool
portdevValid(const char *name)
{
    size_t len = strlen(name);

    return len > 0 && len < 16 &&
           name[strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                             "0123456789_.:-")] == '\0';
}

/* The shared table that copies connection states into marks (see
 * NWF_CT_TABLE): made if missing, its rules replaced, in the binding's
 * own transaction; every binding that needs it writes the same. */
static void
ctTableWrite(GString *s)
{
    static const char *const hooks[] = { "pre", "prerouting", "out", "output" };
    static const struct {
        const char *state;
        unsigned int bit;
    } bits[] = {
        { "ct state new", NWF_CT_NEW },
        { "ct state established", NWF_CT_ESTABLISHED },
        { "ct state related", NWF_CT_RELATED },
        { "ct state invalid", NWF_CT_INVALID },
        { "ct direction reply", NWF_CT_REPLY },
    };

    g_string_append(s, "add table inet " NWF_CT_TABLE "\n");
    for (size_t h = 0; h < G_N_ELEMENTS(hooks); h += 2) {
        g_string_append_printf(s,
                               "add chain inet " NWF_CT_TABLE " %s { type filter hook %s "
                               "priority -150; policy accept; }\n"
                               "flush chain inet " NWF_CT_TABLE " %s\n"
                               "add rule inet " NWF_CT_TABLE
                               " %s meta mark set meta mark & 0x%08x\n",
                               hooks[h], hooks[h + 1], hooks[h], hooks[h], ~NWF_CT_BITS);
        for (size_t i = 0; i < G_N_ELEMENTS(bits); i++)
            g_string_append_printf(s,
                                   "add rule inet " NWF_CT_TABLE
                                   " %s %s meta mark set meta mark | 0x%08x\n",
                                   hooks[h], bits[i].state, bits[i].bit);
    }
}

bool
nwfNftScriptUsesCt(const char *script)
{
    return script && strstr(script, "add table inet " NWF_CT_TABLE "\n") != NULL;
}

void
nwfNftRemoveCt(void)
{
    const char *argv[] = { NFT_PATH, "delete", "table", "inet", NWF_CT_TABLE, NULL };

    virNetDevRunQuiet(argv);
}

static char *
scriptWrite(nftBuild *b)
{
    const char *dev = b->binding->portdevname;
    g_autofree char *table = nwfNftTableName(dev);
    GString *s = g_string_new(NULL);
    nftChain *root = b->chains->pdata[0];
    static const char *const dirName[] = { "in", "out" };

    if (b->usesCt)
        ctTableWrite(s);
    g_string_append_printf(s, "add table bridge %s\ndelete table bridge %s\n", table,
                           table);
    g_string_append_printf(s, "add table bridge %s\n", table);
    g_string_append_printf(s,
                           "add chain bridge %s l2_in { type filter hook postrouting "
                           "priority -200; policy accept; }\n"
                           "add chain bridge %s l2_out { type filter hook prerouting "
                           "priority -200; policy accept; }\n"
                           "add chain bridge %s l3_in { type filter hook postrouting "
                           "priority 0; policy accept; }\n"
                           "add chain bridge %s l3_out { type filter hook prerouting "
                           "priority 100; policy accept; }\n",
                           table, table, table, table);
    for (int d = 0; d < 2; d++) {
        g_autoptr(GPtrArray) rootRules = g_ptr_array_new();
        g_autoptr(GPtrArray) jumps = g_ptr_array_new_with_free_func(nftRuleFree);

        for (guint i = 0; i < b->chains->len; i++)
            g_string_append_printf(s, "add chain bridge %s %s_%u\n", table, dirName[d],
                                   i);
        g_string_append_printf(s, "add chain bridge %s l3%s_rules\n", table, dirName[d]);
        g_string_append_printf(s, "add rule bridge %s l2_%s %s \"%s\" jump %s_0\n", table,
                               dirName[d], d == DIR_TO_GUEST ? "oifname" : "iifname", dev,
                               dirName[d]);
        g_string_append_printf(
            s, "add rule bridge %s l3_%s %s \"%s\" jump l3%s_rules\n", table, dirName[d],
            d == DIR_TO_GUEST ? "oifname" : "iifname", dev, dirName[d]);
        /* the root chain: its rules and the jumps into the other chains,
         * by priority */
        for (guint i = 0; i < root->rules[d]->len; i++)
            g_ptr_array_add(rootRules, root->rules[d]->pdata[i]);
        for (guint i = 1; i < b->chains->len; i++) {
            nftChain *c = b->chains->pdata[i];
            nftRule *jump;

            if (c->rules[d]->len == 0)
                continue;
            jump = g_new0(nftRule, 1);
            jump->prio = c->prio;
            jump->seq = c->seq;
            jump->text =
                g_strdup_printf("%sjump %s_%u", chainCondition(c->name), dirName[d], i);
            g_ptr_array_add(jumps, jump);
            g_ptr_array_add(rootRules, jump);
        }
        g_ptr_array_sort(rootRules, ruleCompare);
        for (guint i = 0; i < rootRules->len; i++) {
            nftRule *r = rootRules->pdata[i];

            g_string_append_printf(s, "add rule bridge %s %s_0 %s\n", table, dirName[d],
                                   r->text);
        }
        for (guint i = 1; i < b->chains->len; i++) {
            nftChain *c = b->chains->pdata[i];

            g_ptr_array_sort(c->rules[d], ruleCompare);
            for (guint j = 0; j < c->rules[d]->len; j++)
                g_string_append_printf(s, "add rule bridge %s %s_%u %s\n", table,
                                       dirName[d], i,
                                       ((nftRule *)c->rules[d]->pdata[j])->text);
        }
        g_ptr_array_sort(b->l3rules[d], ruleCompare);
        for (guint j = 0; j < b->l3rules[d]->len; j++)
            g_string_append_printf(s, "add rule bridge %s l3%s_rules %s\n", table,
                                   dirName[d],
                                   ((nftRule *)b->l3rules[d]->pdata[j])->text);
    }
    return g_string_free(s, FALSE);
}

static gboolean
missingJoin(gpointer key, gpointer value, gpointer data)
{
    GString *s = data;

    if (s->len)
        g_string_append(s, ", ");
    g_string_append(s, key);
    return FALSE;
}

/* libvirt's verdict on missing variables: IP alone is learnt (not here),
 * or, with CTRL_IP_LEARNING=none, reported; others are reported (IP not
 * among them, as libvirt prints them). */
static int
reportMissing(nftBuild *b, const virNWFilterDef *top)
{
    GPtrArray *lv = g_tree_lookup(b->binding->filterparams->table, "CTRL_IP_LEARNING");
    const char *learning = lv && lv->len ? lv->pdata[0] : "any";
    g_autoptr(GString) names = g_string_new(NULL);

    if (g_tree_nnodes(b->missing) == 0)
        return 0;
    if (g_tree_nnodes(b->missing) == 1 &&
        g_tree_lookup_extended(b->missing, "IP", NULL, NULL)) {
        if (g_ascii_strcasecmp(learning, "none") == 0) {
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "Cannot instantiate filter due to unresolvable variables or "
                           "unavailable list elements: %s",
                           "IP");
            return -1;
        }
        if (g_ascii_strcasecmp(learning, "dhcp") == 0 ||
            g_ascii_strcasecmp(learning, "any") == 0) {
            virReportError(
                VIR_ERR_CONFIG_UNSUPPORTED,
                "filter '%s' needs the guest's IP address: learning it "
                "(CTRL_IP_LEARNING='%s') is not supported by virtkit; give the "
                "filter an 'IP' parameter",
                top->name, learning);
            return -1;
        }
        virReportError(VIR_ERR_PARSE_FAILED, "filter '%s' learning value '%s' invalid.",
                       top->name, learning);
        return -1;
    }
    g_tree_remove(b->missing, "IP");
    g_tree_foreach(b->missing, missingJoin, names);
    virReportError(VIR_ERR_INTERNAL_ERROR,
                   "Cannot instantiate filter due to unresolvable variables or "
                   "unavailable list elements: %s",
                   names->str);
    return -1;
}

static gint
missingCompare(gconstpointer a, gconstpointer b, gpointer unused)
{
    return strcmp(a, b);
}

static void
buildReset(nftBuild *b)
{
    g_clear_pointer(&b->chains, g_ptr_array_unref);
    g_clear_pointer(&b->l3rules[0], g_ptr_array_unref);
    g_clear_pointer(&b->l3rules[1], g_ptr_array_unref);
    b->chains = g_ptr_array_new_with_free_func(nftChainFree);
    b->l3rules[0] = g_ptr_array_new_with_free_func(nftRuleFree);
    b->l3rules[1] = g_ptr_array_new_with_free_func(nftRuleFree);
    b->seq = 0;
    b->count = 0;
    b->usesCt = false;
}

char *
nwfNftBuild(const virNWFilterBindingDef *binding, nwfNftLookupFunc lookup, void *opaque)
{
    nftBuild b = { .binding = binding, .lookup = lookup, .opaque = opaque };
    g_autoptr(GHashTable) vars = varsNew();
    const virNWFilterDef *top;
    char *script = NULL;

    if (!portdevValid(binding->portdevname)) {
        virReportError(VIR_ERR_INVALID_ARG, "invalid port device name '%s'",
                       binding->portdevname);
        return NULL;
    }
    if (!(top = lookup(binding->filter, opaque))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "referenced filter '%s' is missing",
                       binding->filter);
        return NULL;
    }
    varsPutParams(vars, binding->filterparams);
    if (!g_hash_table_contains(vars, "MAC")) {
        GPtrArray *mac = g_ptr_array_new_with_free_func(g_free);
        const unsigned char *m = binding->mac;

        g_ptr_array_add(mac, g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1],
                                             m[2], m[3], m[4], m[5]));
        g_hash_table_insert(vars, g_strdup("MAC"), mac);
    }
    b.missing = g_tree_new_full(missingCompare, NULL, g_free, NULL);

    /* first the variables (libvirt reports those before anything else) */
    b.collectOnly = true;
    buildReset(&b);
    chainGet(&b, "root", 0);
    if (filterWalk(&b, top, vars, 0) < 0 || reportMissing(&b, top) < 0)
        goto cleanup;
    b.collectOnly = false;
    buildReset(&b);
    chainGet(&b, "root", 0);
    if (filterWalk(&b, top, vars, 0) < 0)
        goto cleanup;
    script = scriptWrite(&b);

cleanup:
    g_tree_unref(b.missing);
    g_clear_pointer(&b.chains, g_ptr_array_unref);
    g_clear_pointer(&b.l3rules[0], g_ptr_array_unref);
    g_clear_pointer(&b.l3rules[1], g_ptr_array_unref);
    return script;
}

/* ---- running nft --------------------------------------------------------- */

int
nwfNftApply(const char *script)
{
    const char *argv[] = { NFT_PATH, "-f", "-", NULL };

    g_debug("nft script:\n%s", script);
    return virNetDevRunCommand(argv, script);
}

void
nwfNftRemoveTable(const char *name)
{
    const char *argv[] = { NFT_PATH, "delete", "table", "bridge", name, NULL };

    virNetDevRunQuiet(argv);
}

GPtrArray *
nwfNftListTables(bool *ctPresent)
{
    const char *argv[] = { NFT_PATH, "list", "tables", NULL };
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    int status = 0;

    *ctPresent = false;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                      &text, NULL, &status, NULL) ||
        !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        /* unknown: the shared table is looked after as if it were there */
        *ctPresent = true;
        return out;
    }
    lines = g_strsplit(text, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        const char *name = lines[i];

        if (g_str_equal(name, "table inet " NWF_CT_TABLE))
            *ctPresent = true;
        if (!g_str_has_prefix(name, "table bridge "))
            continue;
        name += strlen("table bridge ");
        if (g_str_has_prefix(name, NWF_TABLE_PREFIX))
            g_ptr_array_add(out, g_strdup(name));
    }
    return out;
}

void
nwfNftRemove(const char *portdev)
{
    g_autofree char *table = nwfNftTableName(portdev);

    nwfNftRemoveTable(table);
}
