/* libvirt-interface.h: host network interfaces (libvirt 9.0's names and numbers; included by libvirt.h) */
#ifndef LIBVIRT_INTERFACE_H
#define LIBVIRT_INTERFACE_H

#ifndef LIBVIRT_H
#error "include <libvirt/libvirt.h>, not this file"
#endif

/* Types, enums and flags: libvirt 9.0's, all of them. */

typedef struct _virInterface virInterface;

typedef virInterface *virInterfacePtr;

typedef enum {
    VIR_CONNECT_LIST_INTERFACES_INACTIVE = 1 << 0,
    VIR_CONNECT_LIST_INTERFACES_ACTIVE = 1 << 1,
} virConnectListAllInterfacesFlags;

typedef enum {
    VIR_INTERFACE_XML_INACTIVE = 1 << 0
} virInterfaceXMLFlags;

typedef enum {
    VIR_INTERFACE_DEFINE_VALIDATE = 1 << 0,
} virInterfaceDefineFlags;


/* The entry points virtkit implements. */

virConnectPtr virInterfaceGetConnect(virInterfacePtr iface);
int virConnectNumOfInterfaces(virConnectPtr conn);
int virConnectListInterfaces(virConnectPtr conn, char **const names, int maxnames);
int virConnectNumOfDefinedInterfaces(virConnectPtr conn);
int virConnectListDefinedInterfaces(virConnectPtr conn, char **const names, int maxnames);
int virConnectListAllInterfaces(virConnectPtr conn, virInterfacePtr **ifaces,
                                unsigned int flags);
virInterfacePtr virInterfaceLookupByName(virConnectPtr conn, const char *name);
virInterfacePtr virInterfaceLookupByMACString(virConnectPtr conn, const char *mac);
const char *virInterfaceGetName(virInterfacePtr iface);
const char *virInterfaceGetMACString(virInterfacePtr iface);
char *virInterfaceGetXMLDesc(virInterfacePtr iface, unsigned int flags);
int virInterfaceIsActive(virInterfacePtr iface);
virInterfacePtr virInterfaceDefineXML(virConnectPtr conn, const char *xmlDesc,
                                      unsigned int flags);
int virInterfaceUndefine(virInterfacePtr iface);
int virInterfaceCreate(virInterfacePtr iface, unsigned int flags);
int virInterfaceDestroy(virInterfacePtr iface, unsigned int flags);
int virInterfaceChangeBegin(virConnectPtr conn, unsigned int flags);
int virInterfaceChangeCommit(virConnectPtr conn, unsigned int flags);
int virInterfaceChangeRollback(virConnectPtr conn, unsigned int flags);
int virInterfaceRef(virInterfacePtr iface);
int virInterfaceFree(virInterfacePtr iface);

#endif /* LIBVIRT_INTERFACE_H */
