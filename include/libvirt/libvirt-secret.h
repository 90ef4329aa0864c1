/* libvirt-secret.h: secrets (libvirt 9.0's names and numbers; included by libvirt.h) */
#ifndef LIBVIRT_SECRET_H
#define LIBVIRT_SECRET_H

#ifndef LIBVIRT_H
#error "include <libvirt/libvirt.h>, not this file"
#endif

/* Types, enums and flags: libvirt 9.0's, all of them. */

typedef struct _virSecret virSecret;

typedef virSecret *virSecretPtr;

typedef enum {
    VIR_SECRET_USAGE_TYPE_NONE = 0,
    VIR_SECRET_USAGE_TYPE_VOLUME = 1,
    VIR_SECRET_USAGE_TYPE_CEPH = 2,
    VIR_SECRET_USAGE_TYPE_ISCSI = 3,
    VIR_SECRET_USAGE_TYPE_TLS = 4,
    VIR_SECRET_USAGE_TYPE_VTPM = 5,
} virSecretUsageType;

typedef enum {
    VIR_CONNECT_LIST_SECRETS_EPHEMERAL = 1 << 0,
    VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL = 1 << 1,
    VIR_CONNECT_LIST_SECRETS_PRIVATE = 1 << 2,
    VIR_CONNECT_LIST_SECRETS_NO_PRIVATE = 1 << 3,
} virConnectListAllSecretsFlags;

typedef enum {
    VIR_SECRET_DEFINE_VALIDATE = 1 << 0,
} virSecretDefineFlags;

#define VIR_SECRET_EVENT_CALLBACK(cb) ((virConnectSecretEventGenericCallback)(cb))

typedef enum {
    VIR_SECRET_EVENT_ID_LIFECYCLE = 0,
    VIR_SECRET_EVENT_ID_VALUE_CHANGED = 1,
} virSecretEventID;

typedef void (*virConnectSecretEventGenericCallback)(virConnectPtr conn,
                                                     virSecretPtr secret, void *opaque);

typedef enum {
    VIR_SECRET_EVENT_DEFINED = 0,
    VIR_SECRET_EVENT_UNDEFINED = 1,
} virSecretEventLifecycleType;

typedef void (*virConnectSecretEventLifecycleCallback)(virConnectPtr conn,
                                                       virSecretPtr secret, int event,
                                                       int detail, void *opaque);


/* The entry points virtkit implements. */

virConnectPtr virSecretGetConnect(virSecretPtr secret);
int virConnectNumOfSecrets(virConnectPtr conn);
int virConnectListSecrets(virConnectPtr conn, char **uuids, int maxuuids);
int virConnectListAllSecrets(virConnectPtr conn, virSecretPtr **secrets,
                             unsigned int flags);
virSecretPtr virSecretLookupByUUID(virConnectPtr conn, const unsigned char *uuid);
virSecretPtr virSecretLookupByUUIDString(virConnectPtr conn, const char *uuid);
virSecretPtr virSecretLookupByUsage(virConnectPtr conn, int usageType,
                                    const char *usageID);
virSecretPtr virSecretDefineXML(virConnectPtr conn, const char *xml, unsigned int flags);
int virSecretGetUUID(virSecretPtr secret, unsigned char *buf);
int virSecretGetUUIDString(virSecretPtr secret, char *buf);
int virSecretGetUsageType(virSecretPtr secret);
const char *virSecretGetUsageID(virSecretPtr secret);
char *virSecretGetXMLDesc(virSecretPtr secret, unsigned int flags);
int virSecretSetValue(virSecretPtr secret, const unsigned char *value, size_t value_size,
                      unsigned int flags);
unsigned char *virSecretGetValue(virSecretPtr secret, size_t *value_size,
                                 unsigned int flags);
int virSecretUndefine(virSecretPtr secret);
int virSecretRef(virSecretPtr secret);
int virSecretFree(virSecretPtr secret);

int virConnectSecretEventRegisterAny(virConnectPtr conn, virSecretPtr secret, int eventID,
                                     virConnectSecretEventGenericCallback cb,
                                     void *opaque, virFreeCallback freecb);
int virConnectSecretEventDeregisterAny(virConnectPtr conn, int callbackID);

#endif /* LIBVIRT_SECRET_H */
