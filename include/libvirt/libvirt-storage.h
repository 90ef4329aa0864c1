/* libvirt-storage.h: storage pools and volumes (libvirt 9.0's names and numbers; included by libvirt.h) */
#ifndef LIBVIRT_STORAGE_H
#define LIBVIRT_STORAGE_H

#ifndef LIBVIRT_H
#error "include <libvirt/libvirt.h>, not this file"
#endif

/* Types, enums and flags: libvirt 9.0's, all of them. */

typedef struct _virStoragePool virStoragePool;

typedef virStoragePool *virStoragePoolPtr;

typedef enum {
    VIR_STORAGE_POOL_INACTIVE = 0,
    VIR_STORAGE_POOL_BUILDING = 1,
    VIR_STORAGE_POOL_RUNNING = 2,
    VIR_STORAGE_POOL_DEGRADED = 3,
    VIR_STORAGE_POOL_INACCESSIBLE = 4,
} virStoragePoolState;

typedef enum {
    VIR_STORAGE_POOL_BUILD_NEW = 0,
    VIR_STORAGE_POOL_BUILD_REPAIR = (1 << 0),
    VIR_STORAGE_POOL_BUILD_RESIZE = (1 << 1),
    VIR_STORAGE_POOL_BUILD_NO_OVERWRITE = (1 << 2),
    VIR_STORAGE_POOL_BUILD_OVERWRITE = (1 << 3),
} virStoragePoolBuildFlags;

typedef enum {
    VIR_STORAGE_POOL_DELETE_NORMAL = 0,
    VIR_STORAGE_POOL_DELETE_ZEROED = 1 << 0,
} virStoragePoolDeleteFlags;

typedef enum {
    VIR_STORAGE_POOL_CREATE_NORMAL = 0,
    VIR_STORAGE_POOL_CREATE_WITH_BUILD = 1 << 0,
    VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE = 1 << 1,
    VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE = 1 << 2,
} virStoragePoolCreateFlags;

typedef struct _virStoragePoolInfo virStoragePoolInfo;

struct _virStoragePoolInfo {
    int state;
    unsigned long long capacity;
    unsigned long long allocation;
    unsigned long long available;
};

typedef virStoragePoolInfo *virStoragePoolInfoPtr;

typedef struct _virStorageVol virStorageVol;

typedef virStorageVol *virStorageVolPtr;

typedef enum {
    VIR_STORAGE_VOL_FILE = 0,
    VIR_STORAGE_VOL_BLOCK = 1,
    VIR_STORAGE_VOL_DIR = 2,
    VIR_STORAGE_VOL_NETWORK = 3,
    VIR_STORAGE_VOL_NETDIR = 4,
    VIR_STORAGE_VOL_PLOOP = 5,
} virStorageVolType;

typedef enum {
    VIR_STORAGE_VOL_DELETE_NORMAL = 0,
    VIR_STORAGE_VOL_DELETE_ZEROED = 1 << 0,
    VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS = 1 << 1,
} virStorageVolDeleteFlags;

typedef enum {
    VIR_STORAGE_VOL_WIPE_ALG_ZERO = 0,
    VIR_STORAGE_VOL_WIPE_ALG_NNSA = 1,
    VIR_STORAGE_VOL_WIPE_ALG_DOD = 2,
    VIR_STORAGE_VOL_WIPE_ALG_BSI = 3,
    VIR_STORAGE_VOL_WIPE_ALG_GUTMANN = 4,
    VIR_STORAGE_VOL_WIPE_ALG_SCHNEIER = 5,
    VIR_STORAGE_VOL_WIPE_ALG_PFITZNER7 = 6,
    VIR_STORAGE_VOL_WIPE_ALG_PFITZNER33 = 7,
    VIR_STORAGE_VOL_WIPE_ALG_RANDOM = 8,
    VIR_STORAGE_VOL_WIPE_ALG_TRIM = 9,
} virStorageVolWipeAlgorithm;

typedef enum {
    VIR_STORAGE_VOL_USE_ALLOCATION = 0,
    VIR_STORAGE_VOL_GET_PHYSICAL = 1 << 0,
} virStorageVolInfoFlags;

typedef struct _virStorageVolInfo virStorageVolInfo;

struct _virStorageVolInfo {
    int type;
    unsigned long long capacity;
    unsigned long long allocation;
};

typedef virStorageVolInfo *virStorageVolInfoPtr;

typedef enum {
    VIR_STORAGE_XML_INACTIVE = (1 << 0),
} virStorageXMLFlags;

typedef enum {
    VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE = 1 << 0,
    VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE = 1 << 1,
    VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT = 1 << 2,
    VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT = 1 << 3,
    VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART = 1 << 4,
    VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART = 1 << 5,
    VIR_CONNECT_LIST_STORAGE_POOLS_DIR = 1 << 6,
    VIR_CONNECT_LIST_STORAGE_POOLS_FS = 1 << 7,
    VIR_CONNECT_LIST_STORAGE_POOLS_NETFS = 1 << 8,
    VIR_CONNECT_LIST_STORAGE_POOLS_LOGICAL = 1 << 9,
    VIR_CONNECT_LIST_STORAGE_POOLS_DISK = 1 << 10,
    VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI = 1 << 11,
    VIR_CONNECT_LIST_STORAGE_POOLS_SCSI = 1 << 12,
    VIR_CONNECT_LIST_STORAGE_POOLS_MPATH = 1 << 13,
    VIR_CONNECT_LIST_STORAGE_POOLS_RBD = 1 << 14,
    VIR_CONNECT_LIST_STORAGE_POOLS_SHEEPDOG = 1 << 15,
    VIR_CONNECT_LIST_STORAGE_POOLS_GLUSTER = 1 << 16,
    VIR_CONNECT_LIST_STORAGE_POOLS_ZFS = 1 << 17,
    VIR_CONNECT_LIST_STORAGE_POOLS_VSTORAGE = 1 << 18,
    VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI_DIRECT = 1 << 19,
} virConnectListAllStoragePoolsFlags;

typedef enum {
    VIR_STORAGE_POOL_DEFINE_VALIDATE = 1 << 0,
} virStoragePoolDefineFlags;

typedef enum {
    VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA = 1 << 0,
    VIR_STORAGE_VOL_CREATE_REFLINK = 1 << 1,
    VIR_STORAGE_VOL_CREATE_VALIDATE = 1 << 2,
} virStorageVolCreateFlags;

typedef enum {
    VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM = 1 << 0,
} virStorageVolDownloadFlags;

typedef enum {
    VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM = 1 << 0,
} virStorageVolUploadFlags;

typedef enum {
    VIR_STORAGE_VOL_RESIZE_ALLOCATE = 1 << 0,
    VIR_STORAGE_VOL_RESIZE_DELTA = 1 << 1,
    VIR_STORAGE_VOL_RESIZE_SHRINK = 1 << 2,
} virStorageVolResizeFlags;

#define VIR_STORAGE_POOL_EVENT_CALLBACK(cb) \
    ((virConnectStoragePoolEventGenericCallback)(cb))

typedef enum {
    VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE = 0,
    VIR_STORAGE_POOL_EVENT_ID_REFRESH = 1,
} virStoragePoolEventID;

typedef void (*virConnectStoragePoolEventGenericCallback)(virConnectPtr conn,
                                                          virStoragePoolPtr pool,
                                                          void *opaque);

typedef enum {
    VIR_STORAGE_POOL_EVENT_DEFINED = 0,
    VIR_STORAGE_POOL_EVENT_UNDEFINED = 1,
    VIR_STORAGE_POOL_EVENT_STARTED = 2,
    VIR_STORAGE_POOL_EVENT_STOPPED = 3,
    VIR_STORAGE_POOL_EVENT_CREATED = 4,
    VIR_STORAGE_POOL_EVENT_DELETED = 5,
} virStoragePoolEventLifecycleType;

typedef void (*virConnectStoragePoolEventLifecycleCallback)(virConnectPtr conn,
                                                            virStoragePoolPtr pool,
                                                            int event, int detail,
                                                            void *opaque);


/* The entry points virtkit implements. */

virConnectPtr virStoragePoolGetConnect(virStoragePoolPtr pool);
int virConnectNumOfStoragePools(virConnectPtr conn);
int virConnectListStoragePools(virConnectPtr conn, char **const names, int maxnames);
int virConnectNumOfDefinedStoragePools(virConnectPtr conn);
int virConnectListDefinedStoragePools(virConnectPtr conn, char **const names,
                                      int maxnames);
int virConnectListAllStoragePools(virConnectPtr conn, virStoragePoolPtr **pools,
                                  unsigned int flags);
virStoragePoolPtr virStoragePoolLookupByName(virConnectPtr conn, const char *name);
virStoragePoolPtr virStoragePoolLookupByUUID(virConnectPtr conn,
                                             const unsigned char *uuid);
virStoragePoolPtr virStoragePoolLookupByUUIDString(virConnectPtr conn, const char *uuid);
char *virStoragePoolGetXMLDesc(virStoragePoolPtr pool, unsigned int flags);
int virStoragePoolRef(virStoragePoolPtr pool);
int virStoragePoolFree(virStoragePoolPtr pool);
const char *virStoragePoolGetName(virStoragePoolPtr pool);
int virStoragePoolGetUUID(virStoragePoolPtr pool, unsigned char *uuid);
int virStoragePoolGetUUIDString(virStoragePoolPtr pool, char *buf);

virConnectPtr virStorageVolGetConnect(virStorageVolPtr vol);
const char *virStorageVolGetName(virStorageVolPtr vol);
const char *virStorageVolGetKey(virStorageVolPtr vol);
int virStorageVolRef(virStorageVolPtr vol);
int virStorageVolFree(virStorageVolPtr vol);

/* storage pools and volumes: lifecycle, volumes, streams */
char *virConnectFindStoragePoolSources(virConnectPtr conn, const char *type,
                                       const char *srcSpec, unsigned int flags);
virStoragePoolPtr virStoragePoolLookupByVolume(virStorageVolPtr vol);
virStoragePoolPtr virStoragePoolLookupByTargetPath(virConnectPtr conn, const char *path);
char *virConnectGetStoragePoolCapabilities(virConnectPtr conn, unsigned int flags);
virStoragePoolPtr virStoragePoolCreateXML(virConnectPtr conn, const char *xmlDesc,
                                          unsigned int flags);
virStoragePoolPtr virStoragePoolDefineXML(virConnectPtr conn, const char *xml,
                                          unsigned int flags);
int virStoragePoolBuild(virStoragePoolPtr pool, unsigned int flags);
int virStoragePoolUndefine(virStoragePoolPtr pool);
int virStoragePoolCreate(virStoragePoolPtr pool, unsigned int flags);
int virStoragePoolDestroy(virStoragePoolPtr pool);
int virStoragePoolDelete(virStoragePoolPtr pool, unsigned int flags);
int virStoragePoolRefresh(virStoragePoolPtr pool, unsigned int flags);
int virStoragePoolGetInfo(virStoragePoolPtr pool, virStoragePoolInfoPtr info);
int virStoragePoolGetAutostart(virStoragePoolPtr pool, int *autostart);
int virStoragePoolSetAutostart(virStoragePoolPtr pool, int autostart);
int virStoragePoolNumOfVolumes(virStoragePoolPtr pool);
int virStoragePoolIsActive(virStoragePoolPtr pool);
int virStoragePoolIsPersistent(virStoragePoolPtr pool);
virStorageVolPtr virStorageVolLookupByName(virStoragePoolPtr pool, const char *name);
virStorageVolPtr virStorageVolLookupByKey(virConnectPtr conn, const char *key);
virStorageVolPtr virStorageVolLookupByPath(virConnectPtr conn, const char *path);
virStorageVolPtr virStorageVolCreateXML(virStoragePoolPtr pool, const char *xmlDesc,
                                        unsigned int flags);
virStorageVolPtr virStorageVolCreateXMLFrom(virStoragePoolPtr pool, const char *xmlDesc,
                                            virStorageVolPtr clonevol,
                                            unsigned int flags);
int virStorageVolDelete(virStorageVolPtr vol, unsigned int flags);
int virStorageVolWipe(virStorageVolPtr vol, unsigned int flags);
int virStorageVolWipePattern(virStorageVolPtr vol, unsigned int algorithm,
                             unsigned int flags);
int virStorageVolGetInfo(virStorageVolPtr vol, virStorageVolInfoPtr info);
int virStorageVolGetInfoFlags(virStorageVolPtr vol, virStorageVolInfoPtr info,
                              unsigned int flags);
char *virStorageVolGetXMLDesc(virStorageVolPtr vol, unsigned int flags);
char *virStorageVolGetPath(virStorageVolPtr vol);
int virStorageVolResize(virStorageVolPtr vol, unsigned long long capacity,
                        unsigned int flags);
int virStorageVolUpload(virStorageVolPtr vol, virStreamPtr stream,
                        unsigned long long offset, unsigned long long length,
                        unsigned int flags);
int virStorageVolDownload(virStorageVolPtr vol, virStreamPtr stream,
                          unsigned long long offset, unsigned long long length,
                          unsigned int flags);
int virStoragePoolListVolumes(virStoragePoolPtr pool, char **const names, int maxnames);
int virStoragePoolListAllVolumes(virStoragePoolPtr pool, virStorageVolPtr **vols,
                                 unsigned int flags);


int virConnectStoragePoolEventRegisterAny(virConnectPtr conn, virStoragePoolPtr pool,
                                          int eventID,
                                          virConnectStoragePoolEventGenericCallback cb,
                                          void *opaque, virFreeCallback freecb);
int virConnectStoragePoolEventDeregisterAny(virConnectPtr conn, int callbackID);

#endif /* LIBVIRT_STORAGE_H */
