/* bridge_driver_priv.h: the network driver's state and its operations on network objects */
#pragma once

#include <stdbool.h>
#include <time.h>

#include "datatypes.h"
#include "network_conf.h"
#include "virerror.h"

/*
 * Files (libvirt's layout under virtkit's roots):
 *   <config>/networks/NAME.xml            persistent definitions
 *   <config>/networks/autostart/NAME.xml  symlinks of autostarted ones
 *   <runtime>/network/NAME.xml            status of an active network: a
 *       header comment with its phase ("starting" until the bridge, rules
 *       and dnsmasq all exist, then "running") and the live definition
 *   <runtime>/network/NAME.conf, NAME.pid dnsmasq's config and pid file
 *   <state>/dnsmasq/NAME.leases, .hostsfile, .addnhosts
 * A status file is written before anything is made on the host, so a
 * daemon killed mid-start leaves a "starting" status that the next start
 * uses to remove what was made; a "running" one is adopted (bridge,
 * rules and dnsmasq are kept, dnsmasq restarted only when it died).
 */

/* libvirt's virNetworkEventLifecycleType values */
enum {
    NETWORK_EVENT_DEFINED = 0,
    NETWORK_EVENT_UNDEFINED = 1,
    NETWORK_EVENT_STARTED = 2,
    NETWORK_EVENT_STOPPED = 3,
};

/* Called with the object locked, after the change. */
typedef void (*networkEventFunc)(virNetworkObj *obj, int event, int detail, void *opaque);

typedef struct _networkDriver networkDriver;
struct _networkDriver {
    bool privileged;
    char *configDir;    /* <config>/networks */
    char *autostartDir; /* <config>/networks/autostart */
    char *runDir;       /* <runtime>/network */
    char *dnsmasqDir;   /* <state>/dnsmasq */
    virNetworkObjList *networks;

    networkEventFunc eventFunc; /* set once, before any call */
    void *eventOpaque;
};

/*
 * Create the driver's state under the roots: make the folders, load every
 * persistent definition, read the status of the active ones and adopt or
 * clean them up. With @defineDefault and no <config>/networks folder yet
 * (a first start), defines libvirt's 'default' NAT network (autostart)
 * on 192.168.122.0/24, or the first 192.168.N.0/24 not routed on the host.
 * Returns the driver, or NULL with an error reported.
 */
networkDriver *networkDriverNew(const char *configRoot, const char *stateRoot,
                                const char *runtimeRoot, bool privileged,
                                bool defineDefault);
/* Release the state; networks keep running. Accepts NULL. */
void networkDriverFree(networkDriver *driver);

/* Start the inactive autostart networks; failures are noticed (VIR_NOTICE)
 * and reported to @report when non-NULL. */
void networkDriverAutostart(networkDriver *driver,
                            void (*report)(const char *name, const virError *err,
                                           void *opaque),
                            void *opaque);
int networkDriverActiveCount(networkDriver *driver);

/* Define (persist) a network from @xml: the object, locked and
 * referenced, or NULL with the error reported. *@updated tells whether a
 * definition existed. */
virNetworkObj *networkDriverDefine(networkDriver *driver, const char *xml, bool validate,
                                   bool *updated);
/* Create and start a transient network. Locked and referenced, or NULL. */
virNetworkObj *networkDriverCreateXML(networkDriver *driver, const char *xml);
/* Operations on a locked object; 0 or -1 with the error reported. */
int networkDriverUndefine(networkDriver *driver, virNetworkObj *obj);
int networkDriverStart(networkDriver *driver, virNetworkObj *obj);
int networkDriverDestroy(networkDriver *driver, virNetworkObj *obj);
int networkDriverSetAutostart(networkDriver *driver, virNetworkObj *obj, bool autostart);
/* libvirt's virNetworkUpdate on @obj (locked). */
int networkDriverUpdate(networkDriver *driver, virNetworkObj *obj, unsigned int command,
                        unsigned int section, int parentIndex, const char *xml,
                        unsigned int flags);

typedef struct {
    long long expirytime;
    char *mac;
    char *ipaddr;
    unsigned int prefix;
    char *hostname; /* or NULL */
    char *clientid; /* or NULL */
} networkLease;
void networkLeaseFree(networkLease *lease);
/* The current leases of @obj (locked) from dnsmasq's lease file, those of
 * @mac only when non-NULL; expired ones left out. An array of
 * networkLease (freeing them), or NULL with an error reported. */
GPtrArray *networkDriverGetLeases(networkDriver *driver, virNetworkObj *obj,
                                  const char *mac);

/* NO_NETWORK "no network with matching name 'N'" / "... uuid 'U'" as libvirt. */
void networkReportNoNetworkName(const char *name);
void networkReportNoNetworkUUID(const unsigned char *uuid, const char *name);

/* ---- network ports (bridge_driver_port.c) ----------------------------- */

/* The driver the entry points serve (bridge_driver_api.c). */
networkDriver *networkDriverInstance(void);

/* Read the ports of @obj (locked, just adopted as running) back from its
 * runtime folder; unreadable ones are noticed and skipped. */
void networkPortsLoad(networkDriver *driver, virNetworkObj *obj);
/* Forget the ports of @obj (locked) / remove the port files of network
 * @name (quiet). */
void networkPortsClear(virNetworkObj *obj);
void networkPortsRemoveAll(networkDriver *driver, const char *name);

/* The virNetworkDriver entries (driver.h states the contract). */
int networkListAllPorts(virNetworkPtr net, virNetworkPortPtr **ports, unsigned int flags);
virNetworkPortPtr networkPortLookupByUUID(virNetworkPtr net, const unsigned char *uuid);
virNetworkPortPtr networkPortCreateXML(virNetworkPtr net, const char *xml,
                                       unsigned int flags);
char *networkPortGetXMLDesc(virNetworkPortPtr port, unsigned int flags);
int networkPortGetParameters(virNetworkPortPtr port, virTypedParameterPtr *params,
                             int *nparams, unsigned int flags);
int networkPortSetParameters(virNetworkPortPtr port, virTypedParameterPtr params,
                             int nparams, unsigned int flags);
int networkPortDelete(virNetworkPortPtr port, unsigned int flags);
