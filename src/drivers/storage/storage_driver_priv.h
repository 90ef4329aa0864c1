/* storage_driver_priv.h: the storage driver's state, shared by its pool and volume entry points */
#pragma once

#include "datatypes.h"
#include "driver.h"
#include "object_event.h"
#include "storage_backend.h"

/*
 * Thread protocol: the entry points run on any thread (the daemon's
 * workers, an embedding program's threads). The driver state below is
 * set up once by storageStateInitialize (before any call) and freed by
 * storageStateCleanup (after the last); the pool list and each pool object
 * carry their own locks (storage_obj.h). Building a volume (qemu-img, a
 * large allocation) runs with the pool unlocked: the volume is marked
 * building and the pool's asyncjobs counted, which refuses its deletion
 * and the pool's destroy, refresh and undefine meanwhile.
 */
typedef struct {
    bool privileged;
    char *configDir;    /* <config>/storage: persistent definitions */
    char *autostartDir; /* <config>/storage/autostart */
    char *stateDir;     /* <runtime>/storage: status of running pools */
    char *imagesDir;    /* the default pool's folder */
    virStoragePoolObjList *pools;
    virObjectEventState *eventState; /* pool lifecycle and refresh events */
} virStorageDriverState;

/* virtkitd's state (the process's shared storage driver). */
extern virStorageDriverState *storageDriver;

/* The state serving @conn: its qemu:///embed root's
 * (conn->storagePrivateData), else virtkitd's. Embed states live as long
 * as the process. */
virStorageDriverState *storageDriverOf(virConnectPtr conn);

/* The pool of @pool (a handle), locked and referenced, or NULL with
 * NO_STORAGE_POOL "no storage pool with matching uuid '...' (name)". */
virStoragePoolObj *storagePoolObjFromPool(virStoragePoolPtr pool);
/* The active pool named @name, locked and referenced; NULL with
 * NO_STORAGE_POOL or OPERATION_INVALID "storage pool 'x' is not active". */
virStoragePoolObj *storagePoolObjActiveByName(virStorageDriverState *drv,
                                              const char *name);

/* Queue a lifecycle event (VIR_STORAGE_POOL_EVENT_*) of @def's pool. */
void storagePoolEventLifecycle(virStorageDriverState *drv, const virStoragePoolDef *def,
                               int type);

/* Volume entry points (storage_driver_vol.c). */
int storagePoolNumOfVolumes(virStoragePoolPtr pool);
int storagePoolListVolumes(virStoragePoolPtr pool, char **const names, int maxnames);
int storagePoolListAllVolumes(virStoragePoolPtr pool, virStorageVolPtr **vols,
                              unsigned int flags);
virStorageVolPtr storageVolLookupByName(virStoragePoolPtr pool, const char *name);
virStorageVolPtr storageVolLookupByKey(virConnectPtr conn, const char *key);
virStorageVolPtr storageVolLookupByPath(virConnectPtr conn, const char *path);
virStoragePoolPtr storagePoolLookupByVolume(virStorageVolPtr vol);
virStorageVolPtr storageVolCreateXML(virStoragePoolPtr pool, const char *xml,
                                     unsigned int flags);
virStorageVolPtr storageVolCreateXMLFrom(virStoragePoolPtr pool, const char *xml,
                                         virStorageVolPtr clonevol, unsigned int flags);
/* Waits until no finished upload of a file under @dir is still being put
 * on the disk in the background (its sync holds the file open: a pool
 * whose stop unmounts @dir waits for it). */
void storageVolUploadSyncWait(const char *dir);
int storageVolDelete(virStorageVolPtr vol, unsigned int flags);
int storageVolWipe(virStorageVolPtr vol, unsigned int flags);
int storageVolWipePattern(virStorageVolPtr vol, unsigned int algorithm,
                          unsigned int flags);
int storageVolGetInfo(virStorageVolPtr vol, virStorageVolInfoPtr info);
int storageVolGetInfoFlags(virStorageVolPtr vol, virStorageVolInfoPtr info,
                           unsigned int flags);
char *storageVolGetXMLDesc(virStorageVolPtr vol, unsigned int flags);
char *storageVolGetPath(virStorageVolPtr vol);
int storageVolResize(virStorageVolPtr vol, unsigned long long capacity,
                     unsigned int flags);
/* Attach @st to the volume's file (virFDStreamOpenFile); the volume is in
 * use until the stream closes. */
int storageVolUpload(virStorageVolPtr vol, virStreamPtr st, unsigned long long offset,
                     unsigned long long length, unsigned int flags);
int storageVolDownload(virStorageVolPtr vol, virStreamPtr st, unsigned long long offset,
                       unsigned long long length, unsigned int flags);
