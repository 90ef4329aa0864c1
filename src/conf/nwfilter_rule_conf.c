/* nwfilter_rule_conf.c: a <rule>'s protocol element: the attributes of each
 * protocol, their values parsed and formatted (libvirt 9.0's kinds, checks
 * and layout) */
#define G_LOG_DOMAIN "virtkit.conf.nwfilter"

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "domain_conf_priv.h"
#include "nwfilter_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NWFILTER

#define NWF_MAX_COMMENT 256
#define NWF_IPSET_CHARS \
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-+ "

/* The value kinds an attribute may take, tried in this (bit) order, as
 * libvirt's parser tries them. */
enum {
    NWF_T_UINT16 = 1 << 0,
    NWF_T_UINT8 = 1 << 1,
    NWF_T_UINT16_HEX = 1 << 2,
    NWF_T_UINT8_HEX = 1 << 3,
    NWF_T_MACADDR = 1 << 4,
    NWF_T_MACMASK = 1 << 5,
    NWF_T_IPADDR = 1 << 6,
    NWF_T_IPMASK = 1 << 7,
    NWF_T_STRING = 1 << 8,
    NWF_T_IPV6ADDR = 1 << 9,
    NWF_T_IPV6MASK = 1 << 10,
    NWF_T_STRINGCOPY = 1 << 11,
    NWF_T_BOOLEAN = 1 << 12,
    NWF_T_UINT32 = 1 << 13,
    NWF_T_UINT32_HEX = 1 << 14,
    NWF_T_IPSETNAME = 1 << 15,
    NWF_T_IPSETFLAGS = 1 << 16,
    NWF_T_LAST = 1 << 17,
};

#define U8S (NWF_T_UINT8 | NWF_T_UINT8_HEX)
#define U16S (NWF_T_UINT16 | NWF_T_UINT16_HEX)
#define U32S (NWF_T_UINT32 | NWF_T_UINT32_HEX)

/* Checks beyond the kind, and the printing of the value for some. */
typedef enum {
    NWF_X_NONE = 0,
    NWF_X_MACPROTO,
    NWF_X_VLANID,
    NWF_X_VLANPROTO,
    NWF_X_ARPOPCODE,
    NWF_X_IPPROTO,
    NWF_X_DSCP,
    NWF_X_STATE,
    NWF_X_TCPFLAGS,
    NWF_X_IPSET,
    NWF_X_IPSETFLAGS,
} nwfSpecial;

typedef struct {
    const char *name;
    int field; /* virNWFilterField */
    unsigned int types;
    int special; /* nwfSpecial */
} nwfAttr;

#define ATTR_END      \
    {                 \
        NULL, 0, 0, 0 \
    }
#define MAC_ATTRS                                           \
    { "srcmacaddr", NWF_SRCMACADDR, NWF_T_MACADDR, 0 },     \
        { "srcmacmask", NWF_SRCMACMASK, NWF_T_MACMASK, 0 }, \
        { "dstmacaddr", NWF_DSTMACADDR, NWF_T_MACADDR, 0 }, \
    {                                                       \
        "dstmacmask", NWF_DSTMACMASK, NWF_T_MACMASK, 0      \
    }
#define COMMENT_ATTR                                \
    {                                               \
        "comment", NWF_COMMENT, NWF_T_STRINGCOPY, 0 \
    }
/* dstipto is an IPv4 address even in the IPv6 protocols, as in libvirt */
#define IP_ATTRS(ADDR, MASK)                                                          \
    { "srcmacaddr", NWF_SRCMACADDR, NWF_T_MACADDR, 0 },                               \
        { "srcipaddr", NWF_SRCIPADDR, ADDR, 0 },                                      \
        { "srcipmask", NWF_SRCIPMASK, MASK, 0 },                                      \
        { "dstipaddr", NWF_DSTIPADDR, ADDR, 0 },                                      \
        { "dstipmask", NWF_DSTIPMASK, MASK, 0 },                                      \
        { "srcipfrom", NWF_SRCIPFROM, ADDR, 0 }, { "srcipto", NWF_SRCIPTO, ADDR, 0 }, \
        { "dstipfrom", NWF_DSTIPFROM, ADDR, 0 },                                      \
        { "dstipto", NWF_DSTIPTO, NWF_T_IPADDR, 0 },                                  \
        { "dscp", NWF_DSCP, U8S, NWF_X_DSCP },                                        \
        { "connlimit-above", NWF_CONNLIMIT, NWF_T_UINT16, 0 },                        \
        { "state", NWF_STATE, NWF_T_STRING, NWF_X_STATE },                            \
        { "ipset", NWF_IPSET, NWF_T_IPSETNAME, NWF_X_IPSET },                         \
    {                                                                                 \
        "ipsetflags", NWF_IPSETFLAGS, NWF_T_IPSETFLAGS, NWF_X_IPSETFLAGS              \
    }
#define IP4_ATTRS IP_ATTRS(NWF_T_IPADDR, NWF_T_IPMASK)
#define IP6_ATTRS IP_ATTRS(NWF_T_IPV6ADDR, NWF_T_IPV6MASK)
#define PORT_ATTRS                                     \
    { "srcportstart", NWF_SRCPORTSTART, U16S, 0 },     \
        { "srcportend", NWF_SRCPORTEND, U16S, 0 },     \
        { "dstportstart", NWF_DSTPORTSTART, U16S, 0 }, \
    {                                                  \
        "dstportend", NWF_DSTPORTEND, U16S, 0          \
    }

static const nwfAttr macAttrs[] = {
    MAC_ATTRS,
    { "protocolid", NWF_PROTOCOLID, U16S | NWF_T_STRING, NWF_X_MACPROTO },
    COMMENT_ATTR,
    ATTR_END,
};

static const nwfAttr vlanAttrs[] = {
    MAC_ATTRS,
    { "vlanid", NWF_VLANID, U16S, NWF_X_VLANID },
    { "encap-protocol", NWF_ENCAP, U16S | NWF_T_STRING, NWF_X_VLANPROTO },
    COMMENT_ATTR,
    ATTR_END,
};

static const nwfAttr stpAttrs[] = {
    { "srcmacaddr", NWF_SRCMACADDR, NWF_T_MACADDR, 0 },
    { "srcmacmask", NWF_SRCMACMASK, NWF_T_MACMASK, 0 },
    { "type", NWF_STP_TYPE, U8S, 0 },
    { "flags", NWF_STP_FLAGS, U8S, 0 },
    { "root-priority", NWF_ROOTPRI, U16S, 0 },
    { "root-priority-hi", NWF_ROOTPRIHI, U16S, 0 },
    { "root-address", NWF_ROOTADDR, NWF_T_MACADDR, 0 },
    { "root-address-mask", NWF_ROOTADDRMASK, NWF_T_MACMASK, 0 },
    { "root-cost", NWF_ROOTCOST, U32S, 0 },
    { "root-cost-hi", NWF_ROOTCOSTHI, U32S, 0 },
    { "sender-priority", NWF_SNDRPRIO, U16S, 0 },
    { "sender-priority-hi", NWF_SNDRPRIOHI, U16S, 0 },
    { "sender-address", NWF_SNDRADDR, NWF_T_MACADDR, 0 },
    { "sender-address-mask", NWF_SNDRADDRMASK, NWF_T_MACMASK, 0 },
    { "port", NWF_PORT, U16S, 0 },
    { "port-hi", NWF_PORTHI, U16S, 0 },
    { "age", NWF_AGE, U16S, 0 },
    { "age-hi", NWF_AGEHI, U16S, 0 },
    { "max-age", NWF_MAXAGE, U16S, 0 },
    { "max-age-hi", NWF_MAXAGEHI, U16S, 0 },
    { "hello-time", NWF_HELLOTIME, U16S, 0 },
    { "hello-time-hi", NWF_HELLOTIMEHI, U16S, 0 },
    { "forward-delay", NWF_FWDDELAY, U16S, 0 },
    { "forward-delay-hi", NWF_FWDDELAYHI, U16S, 0 },
    COMMENT_ATTR,
    ATTR_END,
};

static const nwfAttr arpAttrs[] = {
    MAC_ATTRS,
    { "hwtype", NWF_HWTYPE, U16S, 0 },
    { "protocoltype", NWF_PROTOCOLTYPE, U16S, 0 },
    { "opcode", NWF_OPCODE, U16S | NWF_T_STRING, NWF_X_ARPOPCODE },
    { "arpsrcmacaddr", NWF_ARPSRCMACADDR, NWF_T_MACADDR, 0 },
    { "arpdstmacaddr", NWF_ARPDSTMACADDR, NWF_T_MACADDR, 0 },
    { "arpsrcipaddr", NWF_ARPSRCIPADDR, NWF_T_IPADDR, 0 },
    { "arpsrcipmask", NWF_ARPSRCIPMASK, NWF_T_IPMASK, 0 },
    { "arpdstipaddr", NWF_ARPDSTIPADDR, NWF_T_IPADDR, 0 },
    { "arpdstipmask", NWF_ARPDSTIPMASK, NWF_T_IPMASK, 0 },
    { "gratuitous", NWF_GRATUITOUS, NWF_T_BOOLEAN, 0 },
    COMMENT_ATTR,
    ATTR_END,
};

static const nwfAttr ipAttrs[] = {
    MAC_ATTRS,
    { "srcipaddr", NWF_SRCIPADDR, NWF_T_IPADDR, 0 },
    { "srcipmask", NWF_SRCIPMASK, NWF_T_IPMASK, 0 },
    { "dstipaddr", NWF_DSTIPADDR, NWF_T_IPADDR, 0 },
    { "dstipmask", NWF_DSTIPMASK, NWF_T_IPMASK, 0 },
    { "protocol", NWF_IPPROTOCOL, NWF_T_STRING | U8S, NWF_X_IPPROTO },
    PORT_ATTRS,
    { "dscp", NWF_DSCP, U8S, NWF_X_DSCP },
    COMMENT_ATTR,
    ATTR_END,
};

static const nwfAttr ipv6Attrs[] = {
    MAC_ATTRS,
    { "srcipaddr", NWF_SRCIPADDR, NWF_T_IPV6ADDR, 0 },
    { "srcipmask", NWF_SRCIPMASK, NWF_T_IPV6MASK, 0 },
    { "dstipaddr", NWF_DSTIPADDR, NWF_T_IPV6ADDR, 0 },
    { "dstipmask", NWF_DSTIPMASK, NWF_T_IPV6MASK, 0 },
    { "protocol", NWF_IPPROTOCOL, NWF_T_STRING | U8S, NWF_X_IPPROTO },
    PORT_ATTRS,
    { "type", NWF_TYPE, U8S, 0 },
    { "typeend", NWF_TYPEEND, U8S, 0 },
    { "code", NWF_CODE, U8S, 0 },
    { "codeend", NWF_CODEEND, U8S, 0 },
    COMMENT_ATTR,
    ATTR_END,
};

static const nwfAttr tcpAttrs[] = {
    IP4_ATTRS,
    PORT_ATTRS,
    { "option", NWF_TCPOPTION, U8S, 0 },
    { "flags", NWF_TCPFLAGS, NWF_T_STRING, NWF_X_TCPFLAGS },
    COMMENT_ATTR,
    ATTR_END,
};
static const nwfAttr udpAttrs[] = { IP4_ATTRS, PORT_ATTRS, COMMENT_ATTR, ATTR_END };
static const nwfAttr ip4OnlyAttrs[] = { IP4_ATTRS, COMMENT_ATTR, ATTR_END };
static const nwfAttr icmpAttrs[] = {
    IP4_ATTRS, { "type", NWF_TYPE, U8S, 0 }, { "code", NWF_CODE, U8S, 0 }, COMMENT_ATTR,
    ATTR_END,
};
static const nwfAttr tcp6Attrs[] = {
    IP6_ATTRS, PORT_ATTRS, { "option", NWF_TCPOPTION, U8S, 0 }, COMMENT_ATTR, ATTR_END,
};
static const nwfAttr udp6Attrs[] = { IP6_ATTRS, PORT_ATTRS, COMMENT_ATTR, ATTR_END };
static const nwfAttr ip6OnlyAttrs[] = { IP6_ATTRS, COMMENT_ATTR, ATTR_END };
static const nwfAttr icmp6Attrs[] = {
    IP6_ATTRS, { "type", NWF_TYPE, U8S, 0 }, { "code", NWF_CODE, U8S, 0 }, COMMENT_ATTR,
    ATTR_END,
};

/* The protocol elements, in the order libvirt looks them up and prints them. */
static const struct {
    const char *element;
    const nwfAttr *attrs;
    int protocol;
} nwfProtocols[] = {
    { "arp", arpAttrs, VIR_NWFILTER_RULE_PROTOCOL_ARP },
    { "rarp", arpAttrs, VIR_NWFILTER_RULE_PROTOCOL_RARP },
    { "mac", macAttrs, VIR_NWFILTER_RULE_PROTOCOL_MAC },
    { "vlan", vlanAttrs, VIR_NWFILTER_RULE_PROTOCOL_VLAN },
    { "stp", stpAttrs, VIR_NWFILTER_RULE_PROTOCOL_STP },
    { "ip", ipAttrs, VIR_NWFILTER_RULE_PROTOCOL_IP },
    { "ipv6", ipv6Attrs, VIR_NWFILTER_RULE_PROTOCOL_IPV6 },
    { "tcp", tcpAttrs, VIR_NWFILTER_RULE_PROTOCOL_TCP },
    { "udp", udpAttrs, VIR_NWFILTER_RULE_PROTOCOL_UDP },
    { "udplite", ip4OnlyAttrs, VIR_NWFILTER_RULE_PROTOCOL_UDPLITE },
    { "esp", ip4OnlyAttrs, VIR_NWFILTER_RULE_PROTOCOL_ESP },
    { "ah", ip4OnlyAttrs, VIR_NWFILTER_RULE_PROTOCOL_AH },
    { "sctp", udpAttrs, VIR_NWFILTER_RULE_PROTOCOL_SCTP },
    { "icmp", icmpAttrs, VIR_NWFILTER_RULE_PROTOCOL_ICMP },
    { "all", ip4OnlyAttrs, VIR_NWFILTER_RULE_PROTOCOL_ALL },
    { "igmp", ip4OnlyAttrs, VIR_NWFILTER_RULE_PROTOCOL_IGMP },
    { "tcp-ipv6", tcp6Attrs, VIR_NWFILTER_RULE_PROTOCOL_TCPoIPV6 },
    { "udp-ipv6", udp6Attrs, VIR_NWFILTER_RULE_PROTOCOL_UDPoIPV6 },
    { "udplite-ipv6", ip6OnlyAttrs, VIR_NWFILTER_RULE_PROTOCOL_UDPLITEoIPV6 },
    { "esp-ipv6", ip6OnlyAttrs, VIR_NWFILTER_RULE_PROTOCOL_ESPoIPV6 },
    { "ah-ipv6", ip6OnlyAttrs, VIR_NWFILTER_RULE_PROTOCOL_AHoIPV6 },
    { "sctp-ipv6", udp6Attrs, VIR_NWFILTER_RULE_PROTOCOL_SCTPoIPV6 },
    { "icmpv6", icmp6Attrs, VIR_NWFILTER_RULE_PROTOCOL_ICMPV6 },
    { "all-ipv6", ip6OnlyAttrs, VIR_NWFILTER_RULE_PROTOCOL_ALLoIPV6 },
};

typedef struct {
    int value;
    const char *name;
} nwfMap;

static const nwfMap macProtoMap[] = {
    { 0x0806, "arp" },  { 0x8035, "rarp" }, { 0x0800, "ipv4" },
    { 0x86dd, "ipv6" }, { 0x8100, "vlan" }, { 0, NULL },
};
static const nwfMap arpOpcodeMap[] = {
    { 1, "Request" },         { 2, "Reply" },
    { 3, "Request_Reverse" }, { 4, "Reply_Reverse" },
    { 5, "DRARP_Request" },   { 6, "DRARP_Reply" },
    { 7, "DRARP_Error" },     { 8, "InARP_Request" },
    { 9, "ARP_NAK" },         { 0, NULL },
};
static const nwfMap ipProtoMap[] = {
    { 6, "tcp" },  { 17, "udp" }, { 136, "udplite" }, { 50, "esp" },    { 51, "ah" },
    { 1, "icmp" }, { 2, "igmp" }, { 132, "sctp" },    { 58, "icmpv6" }, { 0, NULL },
};
static const nwfMap stateMap[] = {
    { NWF_STATE_NEW, "NEW" },         { NWF_STATE_ESTABLISHED, "ESTABLISHED" },
    { NWF_STATE_RELATED, "RELATED" }, { NWF_STATE_INVALID, "INVALID" },
    { NWF_STATE_NONE, "NONE" },       { 0, NULL },
};
static const nwfMap tcpFlagsMap[] = {
    { 0x1, "FIN" },  { 0x2, "SYN" },  { 0x4, "RST" },  { 0x8, "PSH" }, { 0x10, "ACK" },
    { 0x20, "URG" }, { 0x3f, "ALL" }, { 0x0, "NONE" }, { 0, NULL },
};

static const nwfMap *
mapByName(const nwfMap *map, const char *name)
{
    for (; map->name; map++) {
        if (g_ascii_strcasecmp(map->name, name) == 0)
            return map;
    }
    return NULL;
}

static const char *
mapName(const nwfMap *map, int value)
{
    for (; map->name; map++) {
        if (map->value == value)
            return map->name;
    }
    return NULL;
}

/* ---- values -------------------------------------------------------------- */

/* libvirt's virStrToLong_i (whole string). */
int
virNWFilterParseInt(const char *s, int *out)
{
    long val;
    char *end;

    errno = 0;
    val = strtol(s, &end, 10);
    if (errno || *end || end == s || (int)val != val)
        return -1;
    *out = val;
    return 0;
}

/* libvirt's virMacAddrParse: six 1-2 digit hex groups split by ':', then
 * the end of the string or a byte up to ' '. */
static int
parseMAC(const char *str, unsigned char *mac)
{
    for (int i = 0; i < 6; i++) {
        char *end;
        unsigned long v;

        if (!g_ascii_isxdigit(*str))
            return -1;
        errno = 0;
        v = strtoul(str, &end, 16);
        if (end - str < 1 || end - str > 2 || errno || v > 0xff)
            return -1;
        mac[i] = v;
        if (i == 5)
            return (unsigned char)*end <= ' ' ? 0 : -1;
        if (*end != ':')
            return -1;
        str = end + 1;
    }
    return -1;
}

/* A numeric address of @family, as libvirt reads one (getaddrinfo). */
static int
parseIP(const char *str, int family, struct sockaddr_storage *out)
{
    struct addrinfo hints = { .ai_flags = AI_NUMERICHOST, .ai_family = family };
    struct addrinfo *res = NULL;

    if (getaddrinfo(str, NULL, &hints, &res) != 0 || !res)
        return -1;
    if (res->ai_addrlen > sizeof(*out)) {
        freeaddrinfo(res);
        return -1;
    }
    memset(out, 0, sizeof(*out));
    memcpy(out, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    return 0;
}

/* The prefix length of a mask address, -1 if its ones are not contiguous. */
static int
maskBits(const struct sockaddr_storage *sa)
{
    const unsigned char *b;
    size_t len;
    int bits = 0;
    bool zero = false;

    if (sa->ss_family == AF_INET) {
        b = (const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr;
        len = 4;
    } else {
        b = (const unsigned char *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
        len = 16;
    }
    for (size_t i = 0; i < len * 8; i++) {
        bool one = b[i / 8] & (0x80 >> (i % 8));

        if (one && zero)
            return -1;
        if (one)
            bits++;
        else
            zero = true;
    }
    return bits;
}

/* A mask is ones then zeroes. */
static bool
validMACMask(const unsigned char *mac)
{
    bool zero = false;

    for (int i = 0; i < 48; i++) {
        bool one = mac[i / 8] & (0x80 >> (i % 8));

        if (one && zero)
            return false;
        if (!one)
            zero = true;
    }
    return true;
}

/* libvirt's parseStringItems: words of @map (case-insensitive, matched by
 * prefix) separated by @sep or spaces, OR-ed. */
static int
parseItems(const nwfMap *map, const char *input, int *flags, char sep)
{
    size_t i = 0;

    while (input[i]) {
        bool found = false;

        while (g_ascii_isspace(input[i]) || input[i] == sep)
            i++;
        if (!input[i])
            break;
        for (const nwfMap *m = map; m->name; m++) {
            size_t n = strlen(m->name);

            if (g_ascii_strncasecmp(input + i, m->name, n) == 0) {
                *flags |= m->value;
                i += n;
                found = true;
                break;
            }
        }
        if (!found)
            return -1;
    }
    return 0;
}

static void
printItems(GString *buf, const nwfMap *map, int flags)
{
    bool first = true;

    for (int bit = 1; bit && flags; bit <<= 1) {
        if (!(flags & bit))
            continue;
        for (const nwfMap *m = map; m->name; m++) {
            if (m->value == bit) {
                if (!first)
                    g_string_append_c(buf, ',');
                g_string_append(buf, m->name);
                first = false;
            }
        }
        flags &= ~bit;
    }
}

static void
printTCPFlags(GString *buf, int flags)
{
    if (flags == 0)
        g_string_append(buf, "NONE");
    else if (flags == 0x3f)
        g_string_append(buf, "ALL");
    else
        printItems(buf, tcpFlagsMap, flags);
}

/* The checks beyond the kind (libvirt's validators); @type is the kind the
 * value was read as, @num its number, @str its text. */
static bool
checkSpecial(int special, unsigned int type, unsigned int num, const char *str,
             virNWFilterItem *item)
{
    const nwfMap *m;

    switch ((nwfSpecial)special) {
    case NWF_X_NONE:
        return true;
    case NWF_X_MACPROTO:
    case NWF_X_VLANPROTO:
        if (type == NWF_T_STRING) {
            if (!(m = mapByName(macProtoMap, str)))
                return false;
            item->u.u16 = m->value;
            item->type = NWF_T_UINT16;
            return true;
        }
        if (num < (special == NWF_X_MACPROTO ? 0x600u : 0x3cu))
            return false;
        item->u.u16 = num;
        return true;
    case NWF_X_VLANID:
        return num <= 4095;
    case NWF_X_ARPOPCODE:
        if (type == NWF_T_STRING) {
            if (!(m = mapByName(arpOpcodeMap, str)))
                return false;
            item->u.u16 = m->value;
            item->type = NWF_T_UINT16;
        }
        return true;
    case NWF_X_IPPROTO:
        if (type == NWF_T_STRING) {
            if (!(m = mapByName(ipProtoMap, str)))
                return false;
            item->u.u8 = m->value;
            item->type = NWF_T_UINT8_HEX;
        }
        return true;
    case NWF_X_DSCP:
        return (uint8_t)num <= 63;
    case NWF_X_STATE: {
        int flags = 0;

        if (parseItems(stateMap, str, &flags, ',') < 0)
            return false;
        if (flags & NWF_STATE_NONE)
            flags = NWF_STATE_NONE;
        item->u.u16 = flags;
        item->type = NWF_T_UINT16;
        return true;
    }
    case NWF_X_TCPFLAGS: {
        const char *slash = strchr(str, '/');
        g_autofree char *mask = NULL;
        int maskv = 0;
        int flagsv = 0;

        if (!slash)
            return false;
        mask = g_strndup(str, slash - str);
        if (parseItems(tcpFlagsMap, mask, &maskv, ',') < 0 ||
            parseItems(tcpFlagsMap, slash + 1, &flagsv, ',') < 0)
            return false;
        item->u.tcpFlags.mask = maskv & 0x3f;
        item->u.tcpFlags.flags = flagsv & 0x3f;
        return true;
    }
    case NWF_X_IPSET:
        if (strlen(str) >= sizeof(item->u.ipset.name) ||
            str[strspn(str, NWF_IPSET_CHARS)] != '\0')
            return false;
        g_strlcpy(item->u.ipset.name, str, sizeof(item->u.ipset.name));
        return true;
    case NWF_X_IPSETFLAGS: {
        size_t i = 0;

        item->u.ipset.numFlags = 0;
        item->u.ipset.flags = 0;
        while (item->u.ipset.numFlags < 6) {
            if (g_ascii_strncasecmp(str + i, "src", 3) == 0)
                item->u.ipset.flags |= 1 << item->u.ipset.numFlags;
            else if (g_ascii_strncasecmp(str + i, "dst", 3) != 0)
                return false;
            item->u.ipset.numFlags++;
            i += 3;
            if (str[i] != ',')
                break;
            i++;
        }
        return str[i] == '\0';
    }
    }
    return false;
}

/* Reads @prop into @item as libvirt's virNWFilterRuleDetailsParse does: a
 * "$VAR" reference, else each kind of @attr in turn until one takes it,
 * then the special check. false: the value is illegal. */
static bool
parseValue(const nwfAttr *attr, const char *prop, unsigned int negFlag,
           virNWFilterItem *item)
{
    unsigned int remaining = attr->types;
    unsigned int kind = 1;
    unsigned int num = 0;
    bool found = false;
    bool failed = false;
    bool maskCheck = false;

    g_clear_pointer(&item->var.name, g_free);
    if (prop[0] == '$') {
        if (!virNWFilterVarAccessParse(prop + 1, &item->var))
            return false;
        item->flags = NWF_ITEM_EXISTS | NWF_ITEM_VAR | negFlag;
        item->type = 0;
        return true;
    }

    while (kind <= NWF_T_LAST && !found && !failed) {
        if (remaining & kind) {
            unsigned int v;
            int base = 10;

            remaining ^= kind;
            maskCheck = false;
            switch (kind) {
            case NWF_T_UINT8_HEX:
            case NWF_T_UINT16_HEX:
            case NWF_T_UINT32_HEX:
                base = 16;
                G_GNUC_FALLTHROUGH;
            case NWF_T_UINT8:
            case NWF_T_UINT16:
            case NWF_T_UINT32: {
                unsigned int max = (kind == NWF_T_UINT8 || kind == NWF_T_UINT8_HEX) ? 0xff
                                   : (kind == NWF_T_UINT16 || kind == NWF_T_UINT16_HEX)
                                       ? 0xffff
                                       : UINT_MAX;

                if (virNWFilterStrToUI(prop, NULL, base, &v) < 0 || v > max) {
                    failed = true;
                    break;
                }
                if (max == 0xff)
                    item->u.u8 = v;
                else if (max == 0xffff)
                    item->u.u16 = v;
                else
                    item->u.u32 = v;
                num = v;
                found = true;
                break;
            }
            case NWF_T_IPADDR:
            case NWF_T_IPV6ADDR:
                if (parseIP(prop, kind == NWF_T_IPADDR ? AF_INET : AF_INET6,
                            &item->u.ip) < 0)
                    failed = true;
                found = true;
                break;
            case NWF_T_IPMASK:
            case NWF_T_IPV6MASK: {
                unsigned int max = kind == NWF_T_IPMASK ? 32 : 128;
                struct sockaddr_storage sa;
                int bits;

                if (virNWFilterStrToUI(prop, NULL, 10, &v) == 0) {
                    if (v > max) {
                        failed = true;
                        break;
                    }
                    item->u.u8 = v;
                    num = v;
                    found = true;
                } else if (parseIP(prop, kind == NWF_T_IPMASK ? AF_INET : AF_INET6, &sa) <
                           0) {
                    failed = true;
                } else {
                    if ((bits = maskBits(&sa)) >= 0)
                        item->u.u8 = bits;
                    else
                        failed = true;
                    found = true;
                }
                break;
            }
            case NWF_T_MACADDR:
            case NWF_T_MACMASK:
                if (parseMAC(prop, item->u.mac) < 0)
                    failed = true;
                maskCheck = kind == NWF_T_MACMASK;
                found = true;
                break;
            case NWF_T_STRING:
            case NWF_T_IPSETNAME:
            case NWF_T_IPSETFLAGS:
                found = true;
                break;
            case NWF_T_STRINGCOPY:
                g_free(item->string);
                item->string = g_strndup(prop, NWF_MAX_COMMENT);
                found = true;
                break;
            case NWF_T_BOOLEAN:
                item->u.boolean = g_str_equal(prop, "true") || g_str_equal(prop, "1") ||
                                  g_str_equal(prop, "yes");
                num = item->u.boolean;
                found = true;
                break;
            }
        }
        if (failed && remaining) {
            failed = false;
            found = false;
        }
        if (!found && !failed)
            kind <<= 1;
    }

    if (!found || failed) {
        item->flags = 0;
        return false;
    }
    item->flags = NWF_ITEM_EXISTS | negFlag;
    item->type = kind;
    if (maskCheck && !validMACMask(item->u.mac)) {
        item->flags = 0;
        return false;
    }
    if (!checkSpecial(attr->special, kind, num, prop, item)) {
        item->flags = 0;
        return false;
    }
    return true;
}

bool
virNWFilterItemParseValue(int protocol, int field, const char *value,
                          virNWFilterItem *item)
{
    memset(item, 0, sizeof(*item));
    if (value[0] == '$')
        return false;
    for (size_t i = 0; i < G_N_ELEMENTS(nwfProtocols); i++) {
        if (nwfProtocols[i].protocol != protocol)
            continue;
        for (const nwfAttr *a = nwfProtocols[i].attrs; a->name; a++) {
            if (a->field == field) {
                bool ok = parseValue(a, value, 0, item);

                g_clear_pointer(&item->string, g_free);
                return ok;
            }
        }
    }
    return false;
}


void
virNWFilterReportSchema(const char *element, const char *extra, bool attr)
{
    if (attr)
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_INVALID_SCHEMA, __func__,
                           "Unable to validate doc against nwfilter.rng\n"
                           "Invalid attribute %s for element %s",
                           extra, element);
    else
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_INVALID_SCHEMA, __func__,
                           "Unable to validate doc against nwfilter.rng\n"
                           "Element %s has extra content: %s",
                           element, extra);
}

static bool
attrKnown(const nwfAttr *attrs, const char *name)
{
    if (g_str_equal(name, "match"))
        return true;
    for (; attrs->name; attrs++) {
        if (g_str_equal(attrs->name, name))
            return true;
    }
    return false;
}

/* The attributes of one protocol element into @rule. -1: an attribute was
 * illegal (the last one in table order is reported, as libvirt's). */
static int
parseDetails(xmlNodePtr node, virNWFilterRuleDef *rule, const nwfAttr *attrs,
             unsigned int flags)
{
    g_autofree char *match = virDomainXMLProp(node, "match");
    unsigned int neg = match && g_str_equal(match, "no") ? NWF_ITEM_NEG : 0;
    int ret = 0;

    if (flags & VIR_NWFILTER_PARSE_VALIDATE) {
        for (xmlAttrPtr a = node->properties; a; a = a->next) {
            if (!attrKnown(attrs, (const char *)a->name)) {
                virNWFilterReportSchema((const char *)node->name, (const char *)a->name,
                                        true);
                return -1;
            }
        }
    }
    for (const nwfAttr *attr = attrs; attr->name; attr++) {
        g_autofree char *prop = virDomainXMLProp(node, attr->name);

        if (!prop)
            continue;
        if (!parseValue(attr, prop, neg, &rule->items[attr->field])) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s has illegal value %s", attr->name,
                           prop);
            ret = -1;
        }
    }
    return ret;
}

/* ---- formatting ---------------------------------------------------------- */

static void
formatIP(GString *buf, const struct sockaddr_storage *sa)
{
    char host[NI_MAXHOST];
    socklen_t len = sa->ss_family == AF_INET ? sizeof(struct sockaddr_in)
                                             : sizeof(struct sockaddr_in6);

    if (getnameinfo((const struct sockaddr *)sa, len, host, sizeof(host), NULL, 0,
                    NI_NUMERICHOST) == 0)
        g_string_append(buf, host);
}

static void
formatValue(GString *buf, const nwfAttr *attr, const virNWFilterItem *item)
{
    const char *name;

    if (item->flags & NWF_ITEM_VAR) {
        g_string_append_c(buf, '$');
        virNWFilterVarAccessFormat(buf, &item->var);
        return;
    }
    switch ((nwfSpecial)attr->special) {
    case NWF_X_MACPROTO:
    case NWF_X_VLANPROTO:
        if ((name = mapName(macProtoMap, item->u.u16)))
            g_string_append(buf, name);
        else
            g_string_append_printf(buf, item->type == NWF_T_UINT16 ? "%d" : "0x%x",
                                   item->u.u16);
        return;
    case NWF_X_ARPOPCODE:
        if ((name = mapName(arpOpcodeMap, item->u.u16)))
            g_string_append(buf, name);
        else
            g_string_append_printf(buf, "%d", item->u.u16);
        return;
    case NWF_X_IPPROTO:
        if ((name = mapName(ipProtoMap, item->u.u8)))
            g_string_append(buf, name);
        else
            g_string_append_printf(buf, item->type == NWF_T_UINT8 ? "%d" : "0x%x",
                                   item->u.u8);
        return;
    case NWF_X_STATE:
        printItems(buf, stateMap, item->u.u16);
        return;
    case NWF_X_TCPFLAGS:
        printTCPFlags(buf, item->u.tcpFlags.mask);
        g_string_append_c(buf, '/');
        printTCPFlags(buf, item->u.tcpFlags.flags);
        return;
    case NWF_X_IPSET:
        virDomainXMLEscape(buf, item->u.ipset.name);
        return;
    case NWF_X_IPSETFLAGS:
        for (int i = 0; i < item->u.ipset.numFlags; i++)
            g_string_append_printf(buf, "%s%s", i ? "," : "",
                                   (item->u.ipset.flags & (1 << i)) ? "src" : "dst");
        return;
    case NWF_X_NONE:
    case NWF_X_VLANID:
    case NWF_X_DSCP:
        break;
    }
    switch (item->type) {
    case NWF_T_UINT8_HEX:
        g_string_append_printf(buf, "0x%x", item->u.u8);
        break;
    case NWF_T_UINT8:
    case NWF_T_IPMASK:
    case NWF_T_IPV6MASK:
        g_string_append_printf(buf, "%d", item->u.u8);
        break;
    case NWF_T_UINT16_HEX:
        g_string_append_printf(buf, "0x%x", item->u.u16);
        break;
    case NWF_T_UINT16:
        g_string_append_printf(buf, "%d", item->u.u16);
        break;
    case NWF_T_UINT32_HEX:
        g_string_append_printf(buf, "0x%x", item->u.u32);
        break;
    case NWF_T_UINT32:
        g_string_append_printf(buf, "%u", item->u.u32);
        break;
    case NWF_T_IPADDR:
    case NWF_T_IPV6ADDR:
        formatIP(buf, &item->u.ip);
        break;
    case NWF_T_MACADDR:
    case NWF_T_MACMASK:
        g_string_append_printf(buf, "%02x:%02x:%02x:%02x:%02x:%02x", item->u.mac[0],
                               item->u.mac[1], item->u.mac[2], item->u.mac[3],
                               item->u.mac[4], item->u.mac[5]);
        break;
    case NWF_T_STRINGCOPY:
        virDomainXMLEscape(buf, item->string ? item->string : "");
        break;
    case NWF_T_BOOLEAN:
        g_string_append(buf, item->u.boolean ? "true" : "false");
        break;
    }
}

/* One protocol element, split where negated and plain attributes alternate
 * (libvirt prints a new element there, and the attribute again). */
static void
formatDetails(GString *buf, const char *element, const nwfAttr *attrs,
              const virNWFilterRuleDef *rule)
{
    enum {
        SHOWN_NONE,
        SHOWN_YES,
        SHOWN_NO
    } shown = SHOWN_NONE;
    bool open = false;
    bool any = false;
    size_t i = 0;

    while (attrs[i].name) {
        const virNWFilterItem *item = &rule->items[attrs[i].field];

        if (!(item->flags & NWF_ITEM_EXISTS)) {
            i++;
            continue;
        }
        if (!open) {
            g_string_append_printf(buf, "    <%s", element);
            open = true;
            any = true;
        }
        if (item->flags & NWF_ITEM_NEG) {
            if (shown == SHOWN_NONE) {
                g_string_append(buf, " match='no'");
                shown = SHOWN_NO;
            } else if (shown == SHOWN_YES) {
                g_string_append(buf, "/>\n");
                open = false;
                shown = SHOWN_NONE;
                continue;
            }
        } else {
            if (shown == SHOWN_NO) {
                g_string_append(buf, "/>\n");
                open = false;
                shown = SHOWN_NONE;
                continue;
            }
            shown = SHOWN_YES;
        }
        g_string_append_printf(buf, " %s='", attrs[i].name);
        formatValue(buf, &attrs[i], item);
        g_string_append_c(buf, '\'');
        i++;
    }
    if (open)
        g_string_append(buf, "/>\n");
    if (!any)
        g_string_append_printf(buf, "    <%s/>\n", element);
}

int
virNWFilterProtocolFromElement(const char *element)
{
    for (size_t i = 0; i < G_N_ELEMENTS(nwfProtocols); i++) {
        if (g_str_equal(element, nwfProtocols[i].element))
            return nwfProtocols[i].protocol;
    }
    return -1;
}

static int
protocolIndex(int protocol)
{
    for (size_t i = 0; i < G_N_ELEMENTS(nwfProtocols); i++) {
        if (nwfProtocols[i].protocol == protocol)
            return i;
    }
    return -1;
}

int
virNWFilterRuleDetailsParse(xmlNodePtr node, virNWFilterRuleDef *rule, unsigned int flags)
{
    int i = protocolIndex(rule->protocol);

    if (i < 0)
        return 0;
    return parseDetails(node, rule, nwfProtocols[i].attrs, flags);
}

bool
virNWFilterRuleDetailsFormat(GString *buf, const virNWFilterRuleDef *rule)
{
    int i = protocolIndex(rule->protocol);

    if (i < 0)
        return false;
    formatDetails(buf, nwfProtocols[i].element, nwfProtocols[i].attrs, rule);
    return true;
}
