/* nwfilter_conf.h: the <filter> XML of network filters (libvirt 9.0's parse checks, defaults, messages and layout) */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include <libvirt/libvirt.h>

#include "nwfilter_params.h"

/*
 * A filter is a name, a UUID, a chain (and its priority) and an ordered
 * list of entries, each a <rule> or a <filterref>. A rule matches one
 * protocol (or none); its attributes are "items" in a flat table indexed
 * by virNWFilterField, since a rule only ever uses one protocol's fields.
 * What is kept is what libvirt 9.0 keeps: values are normalised as libvirt
 * does (masks as prefix lengths, names for known numbers, hex kept as hex),
 * a match='no' spreads over fields as libvirt's fix-up rules say, and the
 * formatter splits an element where negated and plain fields alternate,
 * exactly as libvirtd's nwfilter-dumpxml prints it.
 */

typedef enum {
    VIR_NWFILTER_RULE_PROTOCOL_NONE = 0,
    VIR_NWFILTER_RULE_PROTOCOL_MAC,
    VIR_NWFILTER_RULE_PROTOCOL_VLAN,
    VIR_NWFILTER_RULE_PROTOCOL_STP,
    VIR_NWFILTER_RULE_PROTOCOL_ARP,
    VIR_NWFILTER_RULE_PROTOCOL_RARP,
    VIR_NWFILTER_RULE_PROTOCOL_IP,
    VIR_NWFILTER_RULE_PROTOCOL_IPV6,
    VIR_NWFILTER_RULE_PROTOCOL_TCP,
    VIR_NWFILTER_RULE_PROTOCOL_ICMP,
    VIR_NWFILTER_RULE_PROTOCOL_IGMP,
    VIR_NWFILTER_RULE_PROTOCOL_UDP,
    VIR_NWFILTER_RULE_PROTOCOL_UDPLITE,
    VIR_NWFILTER_RULE_PROTOCOL_ESP,
    VIR_NWFILTER_RULE_PROTOCOL_AH,
    VIR_NWFILTER_RULE_PROTOCOL_SCTP,
    VIR_NWFILTER_RULE_PROTOCOL_ALL,
    VIR_NWFILTER_RULE_PROTOCOL_TCPoIPV6,
    VIR_NWFILTER_RULE_PROTOCOL_ICMPV6,
    VIR_NWFILTER_RULE_PROTOCOL_UDPoIPV6,
    VIR_NWFILTER_RULE_PROTOCOL_UDPLITEoIPV6,
    VIR_NWFILTER_RULE_PROTOCOL_ESPoIPV6,
    VIR_NWFILTER_RULE_PROTOCOL_AHoIPV6,
    VIR_NWFILTER_RULE_PROTOCOL_SCTPoIPV6,
    VIR_NWFILTER_RULE_PROTOCOL_ALLoIPV6,
    VIR_NWFILTER_RULE_PROTOCOL_LAST
} virNWFilterRuleProtocol;

/* Every attribute a protocol element can carry, each once. */
typedef enum {
    NWF_SRCMACADDR = 0,
    NWF_SRCMACMASK,
    NWF_DSTMACADDR,
    NWF_DSTMACMASK,
    NWF_PROTOCOLID, /* mac */
    NWF_VLANID,
    NWF_ENCAP,
    NWF_STP_TYPE,
    NWF_STP_FLAGS,
    NWF_ROOTPRI,
    NWF_ROOTPRIHI,
    NWF_ROOTADDR,
    NWF_ROOTADDRMASK,
    NWF_ROOTCOST,
    NWF_ROOTCOSTHI,
    NWF_SNDRPRIO,
    NWF_SNDRPRIOHI,
    NWF_SNDRADDR,
    NWF_SNDRADDRMASK,
    NWF_PORT,
    NWF_PORTHI,
    NWF_AGE,
    NWF_AGEHI,
    NWF_MAXAGE,
    NWF_MAXAGEHI,
    NWF_HELLOTIME,
    NWF_HELLOTIMEHI,
    NWF_FWDDELAY,
    NWF_FWDDELAYHI,
    NWF_HWTYPE,
    NWF_PROTOCOLTYPE,
    NWF_OPCODE,
    NWF_ARPSRCMACADDR,
    NWF_ARPDSTMACADDR,
    NWF_ARPSRCIPADDR,
    NWF_ARPSRCIPMASK,
    NWF_ARPDSTIPADDR,
    NWF_ARPDSTIPMASK,
    NWF_GRATUITOUS,
    NWF_SRCIPADDR,
    NWF_SRCIPMASK,
    NWF_DSTIPADDR,
    NWF_DSTIPMASK,
    NWF_IPPROTOCOL, /* ip, ipv6 */
    NWF_SRCIPFROM,
    NWF_SRCIPTO,
    NWF_DSTIPFROM,
    NWF_DSTIPTO,
    NWF_DSCP,
    NWF_CONNLIMIT,
    NWF_STATE,
    NWF_IPSET,
    NWF_IPSETFLAGS,
    NWF_SRCPORTSTART,
    NWF_SRCPORTEND,
    NWF_DSTPORTSTART,
    NWF_DSTPORTEND,
    NWF_TYPE, /* icmp, icmpv6, ipv6 */
    NWF_TYPEEND,
    NWF_CODE,
    NWF_CODEEND,
    NWF_TCPOPTION,
    NWF_TCPFLAGS,
    NWF_COMMENT,
    NWF_FIELD_LAST
} virNWFilterField;

enum {
    NWF_ITEM_EXISTS = 1 << 0,
    NWF_ITEM_NEG = 1 << 1,
    NWF_ITEM_VAR = 1 << 2,
};

/* The value of a "state" item (u.u16): libvirt's connection states; NONE
 * alone when given (no state matched). */
enum {
    NWF_STATE_NEW = 1 << 1,
    NWF_STATE_ESTABLISHED = 1 << 2,
    NWF_STATE_RELATED = 1 << 3,
    NWF_STATE_INVALID = 1 << 4,
    NWF_STATE_NONE = 1 << 5,
};

typedef struct {
    unsigned int flags;       /* NWF_ITEM_* */
    unsigned int type;        /* the value kind it was read as (a NWF_T_* bit) */
    virNWFilterVarAccess var; /* NWF_ITEM_VAR */
    union {
        uint8_t u8;
        uint16_t u16;
        uint32_t u32;
        bool boolean;
        unsigned char mac[6];
        struct sockaddr_storage ip;
        struct {
            uint8_t mask;
            uint8_t flags;
        } tcpFlags;
        struct {
            char name[32];
            uint8_t numFlags;
            uint8_t flags;
        } ipset;
    } u;
    char *string; /* comment */
} virNWFilterItem;

/* the values of virNWFilterRuleDef's action and direction */
enum {
    VIR_NWFILTER_RULE_ACTION_DROP = 0,
    VIR_NWFILTER_RULE_ACTION_ACCEPT,
    VIR_NWFILTER_RULE_ACTION_REJECT,
    VIR_NWFILTER_RULE_ACTION_RETURN,
    VIR_NWFILTER_RULE_ACTION_CONTINUE,
};
enum {
    VIR_NWFILTER_RULE_DIRECTION_IN = 0, /* towards the guest */
    VIR_NWFILTER_RULE_DIRECTION_OUT,    /* from the guest */
    VIR_NWFILTER_RULE_DIRECTION_INOUT,
};

typedef struct {
    int priority; /* -1000..1000, 500 by default */
    bool noStateMatch;
    int action;    /* drop, accept, reject, return, continue */
    int direction; /* in, out, inout */
    int protocol;  /* virNWFilterRuleProtocol */
    virNWFilterItem items[NWF_FIELD_LAST];
} virNWFilterRuleDef;

typedef struct {
    virNWFilterRuleDef *rule; /* one of these two */
    char *filterref;
    virNWFilterParams *params; /* with filterref */
} virNWFilterEntry;

typedef struct {
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    bool uuidSpecified;
    char *chain;        /* "root", or a name starting "mac", "ipv4", ... */
    int chainPriority;  /* 0: not printed */
    GPtrArray *entries; /* of virNWFilterEntry * */
} virNWFilterDef;

void virNWFilterDefFree(virNWFilterDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNWFilterDef, virNWFilterDefFree)

/* VIR_NWFILTER_DEFINE_VALIDATE: also refuse what libvirt's schema refuses
 * that the parser skips (unknown elements of <filter> and <rule>, unknown
 * attributes of a protocol element), with XML_INVALID_SCHEMA. */
#define VIR_NWFILTER_PARSE_VALIDATE (1U << 0)

/* Parse a <filter> document as libvirtd does. NULL with libvirt's error,
 * in domain VIR_FROM_NWFILTER unless said: XML_DETAIL for a document
 * that does not parse; XML_ERROR (domain XML) for another root element;
 * INTERNAL_ERROR "filter has no name", "rule node requires action
 * attribute", "X has illegal value V", "IP rule with port specification
 * requires ..."; INVALID_ARG for a bad chain or chain priority;
 * CONFIG_UNSUPPORTED for an unknown action or direction; XML_ERROR
 * "malformed uuid element". A missing <uuid> gets a random one. */
virNWFilterDef *virNWFilterDefParseString(const char *xml, unsigned int flags);
/* The same from a file (its path is the XML "URL" in errors). */
virNWFilterDef *virNWFilterDefParseFile(const char *path);

/* The document as libvirtd formats it (never fails). */
char *virNWFilterDefFormat(const virNWFilterDef *def);

/* Read @value (a variable's value: never "$...") as the attribute @field
 * of a @protocol element would be read, into @item (whose string is left
 * NULL). false if that attribute would refuse it. */
bool virNWFilterItemParseValue(int protocol, int field, const char *value,
                               virNWFilterItem *item);
