/* network_port_conf.h: libvirt 9.0's <networkport> XML (a guest interface's place on a virtual network) */
#pragma once

#include <glib.h>
#include <stdbool.h>

/*
 * What virtkit carries of libvirt's virNetworkPortDef: uuid, owner,
 * group, MAC, bandwidth (inbound/outbound average, peak, burst; floor is
 * refused: it needs QoS on the network, which virtkit does not make),
 * rxfilters, and plugs of type none, network and bridge. <virtualport>,
 * <vlan> and the direct / hostdev-pci plugs are refused with
 * CONFIG_UNSUPPORTED rather than dropped. Errors: libvirt's texts, NETWORK
 * error domain (XML syntax and enum values as libvirt: domain XML).
 */

typedef enum {
    VIR_NETWORK_PORT_PLUG_TYPE_NONE = 0,
    VIR_NETWORK_PORT_PLUG_TYPE_NETWORK,
    VIR_NETWORK_PORT_PLUG_TYPE_BRIDGE,
    VIR_NETWORK_PORT_PLUG_TYPE_DIRECT,
    VIR_NETWORK_PORT_PLUG_TYPE_HOSTDEV_PCI,
    VIR_NETWORK_PORT_PLUG_TYPE_LAST
} virNetworkPortPlugType;

typedef struct {
    unsigned long long average; /* kbytes/s; 0 = absent */
    unsigned long long peak;
    unsigned long long burst;
} virNetworkPortRate;

typedef struct _virNetworkPortDef virNetworkPortDef;
struct _virNetworkPortDef {
    unsigned char uuid[16];
    char *ownername;
    unsigned char owneruuid[16];
    char *group; /* or NULL */
    unsigned char mac[6];

    bool hasBandwidth; /* a <bandwidth> element (possibly empty) */
    bool hasIn;
    virNetworkPortRate in;
    bool hasOut;
    virNetworkPortRate out;

    int trustGuestRxFilters; /* 0 absent, 1 yes, 2 no */

    int plugtype;        /* virNetworkPortPlugType */
    char *bridge;        /* plug network / bridge */
    int macTableManager; /* 0 absent, 1 kernel, 2 libvirt */
};

virNetworkPortDef *virNetworkPortDefNew(void);
void virNetworkPortDefFree(virNetworkPortDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetworkPortDef, virNetworkPortDefFree);

/* Parse a <networkport> document. NULL with libvirt's error reported:
 * INTERNAL_ERROR "network port has no uuid" / "no owner" / "no owner name" /
 * "no owner UUID" / "no mac", "Unable to parse UUID 'U'" / "MAC 'M'",
 * XML_ERROR for a wrong root or an unknown plug type, CONFIG_UNSUPPORTED
 * for what virtkit does not carry. */
virNetworkPortDef *virNetworkPortDefParseString(const char *xml);
virNetworkPortDef *virNetworkPortDefParseFile(const char *path);

/* Format as libvirt 9.0's virNetworkPortDefFormat. Never NULL. */
char *virNetworkPortDefFormat(const virNetworkPortDef *def);

/* Write @def to <dir>/<uuid>.xml atomically / remove it. 0 or -1. */
int virNetworkPortDefSaveStatus(const char *dir, const virNetworkPortDef *def);
int virNetworkPortDefDeleteStatus(const char *dir, const unsigned char *uuid);
