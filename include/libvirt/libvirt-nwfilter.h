/* libvirt-nwfilter.h: network filters and their bindings (libvirt 9.0's names and numbers; included by libvirt.h) */
#ifndef LIBVIRT_NWFILTER_H
#define LIBVIRT_NWFILTER_H

#ifndef LIBVIRT_H
#error "include <libvirt/libvirt.h>, not this file"
#endif

/* Types, enums and flags: libvirt 9.0's, all of them. */

typedef struct _virNWFilter virNWFilter;

typedef virNWFilter *virNWFilterPtr;

typedef struct _virNWFilterBinding virNWFilterBinding;

typedef virNWFilterBinding *virNWFilterBindingPtr;

typedef enum {
    VIR_NWFILTER_DEFINE_VALIDATE = 1 << 0,
} virNWFilterDefineFlags;

typedef enum {
    VIR_NWFILTER_BINDING_CREATE_VALIDATE = 1 << 0,
} virNWFilterBindingCreateFlags;


/* The entry points virtkit implements. */

int virConnectNumOfNWFilters(virConnectPtr conn);
int virConnectListNWFilters(virConnectPtr conn, char **const names, int maxnames);
int virConnectListAllNWFilters(virConnectPtr conn, virNWFilterPtr **filters,
                               unsigned int flags);
virNWFilterPtr virNWFilterLookupByName(virConnectPtr conn, const char *name);
virNWFilterPtr virNWFilterLookupByUUID(virConnectPtr conn, const unsigned char *uuid);
virNWFilterPtr virNWFilterLookupByUUIDString(virConnectPtr conn, const char *uuid);
char *virNWFilterGetXMLDesc(virNWFilterPtr nwfilter, unsigned int flags);
int virNWFilterRef(virNWFilterPtr nwfilter);
int virNWFilterFree(virNWFilterPtr nwfilter);
const char *virNWFilterGetName(virNWFilterPtr nwfilter);
int virNWFilterGetUUID(virNWFilterPtr nwfilter, unsigned char *uuid);
int virNWFilterGetUUIDString(virNWFilterPtr nwfilter, char *buf);
virNWFilterPtr virNWFilterDefineXML(virConnectPtr conn, const char *xmlDesc);
virNWFilterPtr virNWFilterDefineXMLFlags(virConnectPtr conn, const char *xmlDesc,
                                         unsigned int flags);
int virNWFilterUndefine(virNWFilterPtr nwfilter);

const char *virNWFilterBindingGetPortDev(virNWFilterBindingPtr binding);
const char *virNWFilterBindingGetFilterName(virNWFilterBindingPtr binding);
int virNWFilterBindingRef(virNWFilterBindingPtr binding);
int virNWFilterBindingFree(virNWFilterBindingPtr binding);
int virConnectListAllNWFilterBindings(virConnectPtr conn,
                                      virNWFilterBindingPtr **bindings,
                                      unsigned int flags);
virNWFilterBindingPtr virNWFilterBindingLookupByPortDev(virConnectPtr conn,
                                                        const char *portdev);
char *virNWFilterBindingGetXMLDesc(virNWFilterBindingPtr binding, unsigned int flags);
virNWFilterBindingPtr virNWFilterBindingCreateXML(virConnectPtr conn, const char *xml,
                                                  unsigned int flags);
int virNWFilterBindingDelete(virNWFilterBindingPtr binding);

#endif /* LIBVIRT_NWFILTER_H */
