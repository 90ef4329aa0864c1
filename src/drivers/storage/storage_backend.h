/* storage_backend.h: what a storage backend (dir, fs) does to pools and volumes on the host */
#pragma once

#include "storage_obj.h"

/*
 * Every hook is called with the pool object locked unless it says
 * otherwise; on failure it reports the error (domain STORAGE) and
 * returns -1, leaving the host as it was where it can (a volume it
 * failed to build is removed).
 */
typedef struct {
    int type; /* virStoragePoolTypeInternal */
    /* Volumes change the pool's layout (disk: a partition table): the
     * whole pool is refreshed after a volume is created or deleted. */
    bool refreshPoolAfterVolChange;

    /* Make the pool's target exist (dir: mkdir; fs: mkfs with the
     * VIR_STORAGE_POOL_BUILD_* @flags). */
    int (*buildPool)(virStoragePoolObj *obj, unsigned int flags);
    /* Whether the pool's storage is there (an active pool after a daemon
     * restart whose target vanished is stopped). */
    bool (*checkPool)(virStoragePoolObj *obj);
    int (*startPool)(virStoragePoolObj *obj);
    /* Rebuild obj->vols and the pool's capacity figures. */
    int (*refreshPool)(virStoragePoolObj *obj);
    int (*stopPool)(virStoragePoolObj *obj);
    int (*deletePool)(virStoragePoolObj *obj, unsigned int flags);

    /* Fill @vol's path, key and type for a volume about to be created;
     * refuses names that would leave the pool. Touches nothing on disk. */
    int (*createVol)(virStoragePoolObj *obj, virStorageVolDef *vol);
    /* Create @vol's file (pool unlocked: @vol is a copy owned by the
     * caller); @inputvol, if not NULL, is copied into it (clone/convert).
     * VIR_STORAGE_VOL_CREATE_* @flags. */
    int (*buildVol)(const virStoragePoolDef *pool, virStorageVolDef *vol,
                    const virStorageVolDef *inputvol, unsigned int flags);
    /* Re-read @vol's capacity, allocation, format... from the host. */
    int (*refreshVol)(virStoragePoolObj *obj, virStorageVolDef *vol);
    int (*deleteVol)(virStoragePoolObj *obj, virStorageVolDef *vol, unsigned int flags);
    /* Pool unlocked; @vol a copy. */
    int (*resizeVol)(virStorageVolDef *vol, unsigned long long capacity,
                     unsigned int flags);
    int (*wipeVol)(virStorageVolDef *vol, unsigned int algorithm, unsigned int flags);
    /* virConnectFindStoragePoolSources; NULL: the type cannot discover
     * (NO_SUPPORT). 0 with *@xml the <sources> document. */
    int (*findPoolSources)(const char *srcSpec, char **xml);
} virStorageBackend;

/* The backend for pools of @type, or NULL with libvirt's "missing backend
 * for pool type N (name)" reported. */
const virStorageBackend *virStorageBackendForType(int type);

extern const virStorageBackend virStorageBackendDirectory;
extern const virStorageBackend virStorageBackendFileSystem;
extern const virStorageBackend virStorageBackendDisk;
extern const virStorageBackend virStorageBackendLogical;

/* The wipe of a volume that is a local file or block device (the dir
 * backend's: zeros, scrub's patterns), for the other backends. */
int virStorageBackendWipeLocal(virStorageVolDef *vol, unsigned int algorithm,
                               unsigned int flags);
