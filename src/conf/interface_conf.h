/* interface_conf.h: the host <interface> XML definition (libvirt 9.0's parse checks, messages and layout) */
#pragma once

#include <stdbool.h>

#include <glib.h>

typedef enum {
    VIR_INTERFACE_TYPE_ETHERNET,
    VIR_INTERFACE_TYPE_BRIDGE,
    VIR_INTERFACE_TYPE_BOND,
    VIR_INTERFACE_TYPE_VLAN,
    VIR_INTERFACE_TYPE_LAST
} virInterfaceType;

/* <ip address prefix> inside <protocol> (an <ip> without address is kept
 * and never formatted, as libvirt does). */
typedef struct {
    char *address; /* NULL: none */
    int prefix;    /* 0: none */
} virInterfaceIPDef;

/* <protocol family='ipv4|ipv6'> */
typedef struct {
    char *family;
    bool dhcp;
    int peerdns;    /* -1 absent, 0 no, 1 yes */
    bool autoconf;  /* ipv6 only */
    GPtrArray *ips; /* of virInterfaceIPDef */
    char *gateway;  /* the first <route gateway>; NULL: none */
} virInterfaceProtocolDef;

typedef struct _virInterfaceDef virInterfaceDef;
struct _virInterfaceDef {
    virInterfaceType type;
    char *name;
    /* top level only: */
    int startmode;     /* 0 unspecified, 1 none, 2 onboot, 3 hotplug */
    unsigned int mtu;  /* 0: none */
    GPtrArray *protos; /* of virInterfaceProtocolDef */
    /* <link> (not for bridges): speed 0 and state 0 mean none */
    unsigned int linkSpeed;
    int linkState; /* index in "", unknown, notpresent, down, lowerlayerdown,
                      testing, dormant, up */
    char *mac;     /* ethernet */
    /* bridge */
    int stp; /* -1 absent, 0 off, 1 on */
    char *delay;
    /* bond: mode 0 none, 1 balance-rr, 2 active-backup, 3 balance-xor,
     * 4 broadcast, 5 802.3ad, 6 balance-tlb, 7 balance-alb; monit 0 none,
     * 1 miimon, 2 arpmon; carrier 0 none, 1 ioctl, 2 netif; validate 0
     * none, 1 active, 2 backup, 3 all */
    int bondMode;
    int monit;
    int frequency;
    int downdelay;
    int updelay;
    int carrier;
    int interval;
    char *target;
    int validate;
    GPtrArray *itfs; /* bridge and bond members, of virInterfaceDef */
    /* vlan */
    char *tag;
    char *devName;
};

void virInterfaceDefFree(virInterfaceDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virInterfaceDef, virInterfaceDefFree)

/* Parse an <interface> document as libvirt 9.0 does. NULL with libvirt's
 * error: XML_DETAIL (domain INTERFACE) for a document that does not parse,
 * XML_ERROR (domain INTERFACE) for another root element, "interface has
 * no name", "interface has unsupported type 'T'" (a member type its parent
 * does not take), a bad <start mode>, <mtu size>, protocol family, bond
 * mode/monitor, a missing <bridge>/<bond>/<vlan> element or vlan tag or
 * device; XML_ERROR (domain XML) for a bad or missing type, prefix,
 * peerdns or link attribute. */
virInterfaceDef *virInterfaceDefParseString(const char *xml);

/* The document as libvirt formats it (never fails). */
char *virInterfaceDefFormat(const virInterfaceDef *def);

/* A deep copy (through the XML, as libvirt copies a list of them). */
virInterfaceDef *virInterfaceDefCopy(const virInterfaceDef *def);
