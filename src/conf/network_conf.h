/* network_conf.h: virtual network definitions (libvirt 9.0's <network> XML), their objects and list */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>
#include <netinet/in.h>

/*
 * The parser keeps what libvirt 9.0 keeps for the forward modes virtkit
 * runs (none, nat, route, open, bridge) and formats it back as libvirt's
 * virNetworkDefFormat does (element order, attribute order, its quirks
 * such as "<ip ...>\n  </ip>" for an address without children). Elements
 * libvirt knows but virtkit does not carry (portgroup, bandwidth, vlan,
 * route, tftp, ...) are refused with CONFIG_UNSUPPORTED rather than
 * silently dropped; unknown elements are ignored as libvirt ignores them.
 * Errors are reported in the NETWORK error domain.
 */

typedef enum {
    VIR_NETWORK_FORWARD_NONE = 0,
    VIR_NETWORK_FORWARD_NAT,
    VIR_NETWORK_FORWARD_ROUTE,
    VIR_NETWORK_FORWARD_OPEN,
    VIR_NETWORK_FORWARD_BRIDGE,
    VIR_NETWORK_FORWARD_PRIVATE,
    VIR_NETWORK_FORWARD_VEPA,
    VIR_NETWORK_FORWARD_PASSTHROUGH,
    VIR_NETWORK_FORWARD_HOSTDEV,
    VIR_NETWORK_FORWARD_LAST
} virNetworkForwardType;

const char *virNetworkForwardTypeToString(int type);

/* libvirt's tristate attributes: absent, 'yes', 'no'. */
typedef enum {
    VIR_NETWORK_TRISTATE_ABSENT = 0,
    VIR_NETWORK_TRISTATE_YES,
    VIR_NETWORK_TRISTATE_NO,
} virNetworkTristate;

/* An address of either family (host byte order is never used). */
typedef struct {
    int family; /* AF_INET, AF_INET6, or 0 when unset */
    union {
        struct in_addr v4;
        struct in6_addr v6;
    } a;
} virNetworkAddr;

/* Parse / format an address; parse returns 0 or -1 (nothing reported). */
int virNetworkAddrParse(const char *str, virNetworkAddr *addr);
char *virNetworkAddrFormat(const virNetworkAddr *addr);

typedef struct {
    char *start; /* as written */
    char *end;
    virNetworkAddr startAddr;
    virNetworkAddr endAddr;
} virNetworkDHCPRangeDef;

typedef struct {
    char *mac;  /* normalized lower case, or NULL */
    char *id;   /* DHCPv6 id, or NULL */
    char *name; /* or NULL */
    char *ip;   /* as written, or NULL */
} virNetworkDHCPHostDef;

typedef struct {
    char *family;  /* the attribute as given ("ipv4", "ipv6") or NULL */
    char *address; /* as written */
    char *netmask; /* as written, or NULL */
    int prefix;    /* -1 when not given */
    int localPtr;  /* virNetworkTristate */
    virNetworkAddr addr;
    unsigned int effectivePrefix; /* from prefix or netmask or the class */

    bool dhcp;         /* a <dhcp> element was present */
    GPtrArray *ranges; /* virNetworkDHCPRangeDef */
    GPtrArray *hosts;  /* virNetworkDHCPHostDef */
} virNetworkIPDef;

typedef struct {
    char *ip;
    GPtrArray *hostnames; /* char * */
} virNetworkDNSHostDef;

typedef struct {
    char *domain; /* or NULL */
    char *addr;   /* or NULL */
} virNetworkDNSForwarderDef;

typedef struct {
    int enable;            /* virNetworkTristate */
    int forwardPlainNames; /* virNetworkTristate */
    GPtrArray *forwarders; /* virNetworkDNSForwarderDef */
    GPtrArray *hosts;      /* virNetworkDNSHostDef */
} virNetworkDNSDef;

typedef struct _virNetworkDef virNetworkDef;
struct _virNetworkDef {
    char *name;
    unsigned char uuid[16];
    int connections; /* live: guest interfaces on it (formatted unless INACTIVE) */
    int ipv6nogw;    /* virNetworkTristate: the ipv6 attribute */
    int trustGuestRxFilters;

    int forwardType;    /* virNetworkForwardType */
    char *forwardDev;   /* <forward dev=''> */
    char *natAddrStart; /* <nat><address start end/> */
    char *natAddrEnd;
    unsigned int natPortStart; /* <nat><port start end/>, 0 when absent */
    unsigned int natPortEnd;

    char *bridge; /* bridge name (may be a "virbr%d" template until defaults run) */
    char *bridgeZone;
    int stp; /* virNetworkTristate; formatted as on unless NO */
    long delay;
    unsigned int mtu;
    unsigned char mac[6];
    bool macSpecified;
    char *domain;
    int domainLocalOnly; /* virNetworkTristate */

    virNetworkDNSDef dns;
    bool dnsPresent;

    GPtrArray *ips; /* virNetworkIPDef */
};

virNetworkDef *virNetworkDefNew(void);
void virNetworkDefFree(virNetworkDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetworkDef, virNetworkDefFree);

/* Deep copy through the XML (the definition's one true form). Never NULL
 * for a definition that came from the parser. */
virNetworkDef *virNetworkDefCopy(const virNetworkDef *def);

/*
 * Parse a <network> document: libvirt's syntax checks and the checks of
 * virNetworkDefParseXML (names, uuid, MACs, ranges inside their subnet and
 * not reversed, DHCP hosts, forward mode with the elements it needs).
 * A UUID is generated when none is given. Returns NULL with the error
 * reported (NETWORK domain).
 */
virNetworkDef *virNetworkDefParseString(const char *xml);
virNetworkDef *virNetworkDefParseFile(const char *path);

/* The network driver's checks at define and start (libvirt's
 * networkValidate), which the test driver does not make: bridge-like
 * modes take no <ip>, <dns>, <domain> nor <mac>, and a bridge name or a
 * forward dev, not both. 0, or -1 with CONFIG_UNSUPPORTED reported. */
int virNetworkDefValidate(const virNetworkDef *def);

/* VIR_NETWORK_XML_INACTIVE (1): leave out the live-only parts. */
#define VIR_NETWORK_DEF_FORMAT_INACTIVE (1 << 0)
/* Format as libvirt 9.0 does. Never NULL. */
char *virNetworkDefFormat(const virNetworkDef *def, unsigned int flags);

/* True for the modes where the daemon makes the bridge itself (none, nat,
 * route, open). */
bool virNetworkDefIsVirtual(const virNetworkDef *def);

/* The first IPv4 address definition, or NULL. */
virNetworkIPDef *virNetworkDefGetIPv4(const virNetworkDef *def);

/* The network part of @ip (its address masked by its prefix) into @net. */
void virNetworkIPDefSubnet(const virNetworkIPDef *ip, virNetworkAddr *net);

/* True when the subnets of @a and @b overlap. */
bool virNetworkIPDefOverlap(const virNetworkIPDef *a, const virNetworkIPDef *b);

/* The netmask of @ip as dotted quad (IPv4 only). */
char *virNetworkIPDefNetmask(const virNetworkIPDef *ip);

/* "52:54:00:xx:xx:xx" with random bytes. */
void virNetworkGenerateMAC(unsigned char *mac);
void virNetworkFormatMAC(const unsigned char *mac, char *buf /* 18 bytes */);

/* ---- objects and the list ---------------------------------------------- */

/*
 * Locking: each object has its own mutex, held for short field reads and
 * writes. State-changing operations (start, stop, define over a running
 * network) also hold the object's @busy flag for their whole duration,
 * waiting on @cond; they drop the mutex while running helpers (ip, nft,
 * dnsmasq), so lookups never wait on a child process. The list has its
 * own mutex; lock order: list, then object.
 */
typedef struct _virNetworkObj virNetworkObj;
struct _virNetworkObj {
    GMutex lock;
    GCond cond;
    gint refs; /* atomic */
    bool busy; /* a state change is in progress */

    virNetworkDef *def;    /* current (live when active) */
    virNetworkDef *newDef; /* persistent definition while active, or NULL */
    bool active;
    bool persistent;
    bool autostart;
    bool removed;

    pid_t dnsmasqPid; /* 0 when none */
    GPtrArray *taps;  /* char *: tap names of guest interfaces using it */

    void *privateData;
    GDestroyNotify privateDataFree;
};

virNetworkObj *virNetworkObjRef(virNetworkObj *obj);
void virNetworkObjUnref(virNetworkObj *obj);
void virNetworkObjLock(virNetworkObj *obj);
void virNetworkObjUnlock(virNetworkObj *obj);
/* Unlock and unref *objptr if non-NULL; set it to NULL. */
void virNetworkObjEndAPI(virNetworkObj **objptr);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetworkObj, virNetworkObjUnref);

/* Wait (object locked) until no state change runs, then mark one running;
 * virNetworkObjEndBusy ends it and wakes waiters. */
void virNetworkObjBeginBusy(virNetworkObj *obj);
void virNetworkObjEndBusy(virNetworkObj *obj);

/* The definition to persist: newDef when active and set, else def. */
virNetworkDef *virNetworkObjGetPersistentDef(virNetworkObj *obj);

typedef struct _virNetworkObjList virNetworkObjList;
virNetworkObjList *virNetworkObjListNew(void);
void virNetworkObjListFree(virNetworkObjList *list);

/* Lookups return the object locked and referenced (release with
 * virNetworkObjEndAPI), or NULL without reporting. */
virNetworkObj *virNetworkObjListFindByName(virNetworkObjList *list, const char *name);
virNetworkObj *virNetworkObjListFindByUUID(virNetworkObjList *list,
                                           const unsigned char *uuid);

/*
 * Add @def (taking it) as libvirt's virNetworkObjAssignDef: a network of
 * the same name must have the same UUID (else OPERATION_FAILED "network
 * 'N' already exists with uuid U"), a different name with the same UUID is
 * refused ("network 'N' is already defined with uuid U"); with @live an
 * existing active network is refused ("network is already active as 'N'").
 * A new object is added; an existing one gets @def as its definition
 * (newDef while it runs). @live false marks it persistent. Returns the
 * object locked and referenced, or NULL with the error reported (@def then
 * still belongs to the caller, so pass it with g_steal_pointer only on
 * success: on failure *defptr is left as it was).
 */
virNetworkObj *virNetworkObjListAdd(virNetworkObjList *list, virNetworkDef **defptr,
                                    bool live);

/* Remove @obj (locked) from the list. */
void virNetworkObjListRemove(virNetworkObjList *list, virNetworkObj *obj);

/* A snapshot of all objects, each referenced (unlocked): free the array
 * with g_ptr_array_unref (its free function drops the references). */
GPtrArray *virNetworkObjListCollect(virNetworkObjList *list);

/* True when another network (not named @exceptName) uses bridge @bridge. */
bool virNetworkObjListBridgeInUse(virNetworkObjList *list, const char *bridge,
                                  const char *exceptName);

/* libvirt's virConnectListAllNetworks filter flags (the same values as
 * VIR_CONNECT_LIST_NETWORKS_*) on one object (locked). */
enum {
    VIR_NETWORK_OBJ_LIST_INACTIVE = 1 << 0,
    VIR_NETWORK_OBJ_LIST_ACTIVE = 1 << 1,
    VIR_NETWORK_OBJ_LIST_PERSISTENT = 1 << 2,
    VIR_NETWORK_OBJ_LIST_TRANSIENT = 1 << 3,
    VIR_NETWORK_OBJ_LIST_AUTOSTART = 1 << 4,
    VIR_NETWORK_OBJ_LIST_NO_AUTOSTART = 1 << 5,
};
bool virNetworkObjMatchFlags(virNetworkObj *obj, unsigned int flags);

/*
 * Give @def a bridge name when it has none or a template with "%d" (first
 * "virbrN" not used by another network in @list nor present as a host
 * interface) and a MAC when none was given, as libvirt's network driver
 * does at define. Modes other than none/nat/route/open are left alone.
 * Returns 0, or -1 with the error reported ("bridge name 'B' already in
 * use." when a given name is taken by another network).
 */
int virNetworkObjListSetDefaults(virNetworkObjList *list, virNetworkDef *def,
                                 bool checkHost);

/* For the drivers' entry points: the count / names of the active (or
 * inactive) networks, and libvirt's virConnectListAllNetworks (handles on
 * @conn, filtered by @flags; with @nets NULL only the count). */
typedef struct _virConnect *virNetworkConnPtr;
typedef struct _virNetwork **virNetworkHandleList;
int virNetworkObjListCount(virNetworkObjList *list, bool active);
int virNetworkObjListGetNames(virNetworkObjList *list, bool active, char **const names,
                              int maxnames);
int virNetworkObjListExport(virNetworkConnPtr conn, virNetworkObjList *list,
                            virNetworkHandleList *nets, unsigned int flags);

/* ---- persistence ------------------------------------------------------ */

/* Write @def as <dir>/<name>.xml atomically (durable). 0 or -1. */
int virNetworkDefSaveConfig(const char *dir, const virNetworkDef *def);
/* Remove <dir>/<name>.xml (durable). 0 or -1. */
int virNetworkDefDeleteConfig(const char *dir, const char *name);

/* ---- virNetworkUpdate ------------------------------------------------- */

/* libvirt's virNetworkUpdateCommand / virNetworkUpdateSection values */
enum {
    VIR_NETWORK_DEF_UPDATE_MODIFY = 1,
    VIR_NETWORK_DEF_UPDATE_DELETE = 2,
    VIR_NETWORK_DEF_UPDATE_ADD_LAST = 3,
    VIR_NETWORK_DEF_UPDATE_ADD_FIRST = 4,
};
enum {
    VIR_NETWORK_DEF_SECTION_IP_DHCP_HOST = 4,
    VIR_NETWORK_DEF_SECTION_IP_DHCP_RANGE = 5,
    VIR_NETWORK_DEF_SECTION_DNS_HOST = 10,
    VIR_NETWORK_DEF_SECTION_LAST = 13,
};

/*
 * Apply one virNetworkUpdate @command on @section with the element @xml
 * to @def, as libvirt 9.0's virNetworkDefUpdateSection for the sections
 * virtkit carries (ip-dhcp-host, ip-dhcp-range, dns-host); others answer
 * NO_SUPPORT "can't update 'S' section of network 'N'". @parentIndex
 * selects the <ip> (-1: the first IPv4 one). 0, or -1 with libvirt's
 * error reported and @def unchanged.
 */
int virNetworkDefUpdateSection(virNetworkDef *def, unsigned int command,
                               unsigned int section, int parentIndex, const char *xml);
