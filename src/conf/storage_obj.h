/* storage_obj.h: storage pool objects (definition, state, volumes), their list and files */
#pragma once

#include "storage_conf.h"

/*
 * Locking: each pool object has a mutex (obj->lock) protecting every field
 * and its volumes. The list has its own mutex; lookups return the object
 * locked and with a new reference: release both with
 * virStoragePoolObjEndAPI(&obj). Lock order: list, then object. A long
 * operation (building a volume, a stream) marks the volume (vol->building,
 * vol->inUse) and the pool (asyncjobs) and drops the object lock while it
 * works; destroy/delete/undefine/refresh refuse while asyncjobs > 0.
 */
typedef struct _virStoragePoolObj virStoragePoolObj;
struct _virStoragePoolObj {
    GMutex lock;
    gint refs; /* atomic */

    virStoragePoolDef *def;    /* current (live when active) */
    virStoragePoolDef *newDef; /* persistent def while active, if redefined */
    char *configFile;          /* NULL for a transient pool */
    char *autostartLink;

    bool active;
    bool persistent;
    bool autostart;
    bool starting;
    bool removing;
    unsigned int asyncjobs;

    GPtrArray *vols; /* virStorageVolDef *, owned */
};

typedef struct _virStoragePoolObjList virStoragePoolObjList;

virStoragePoolObjList *virStoragePoolObjListNew(void);
void virStoragePoolObjListFree(virStoragePoolObjList *list);

void virStoragePoolObjRef(virStoragePoolObj *obj);
void virStoragePoolObjUnref(virStoragePoolObj *obj);
/* Unlock and unref *@obj, set it to NULL; accepts NULL. */
void virStoragePoolObjEndAPI(virStoragePoolObj **obj);

/* Locked, referenced; NULL if none (nothing reported). */
virStoragePoolObj *virStoragePoolObjFindByName(virStoragePoolObjList *list,
                                               const char *name);
virStoragePoolObj *virStoragePoolObjFindByUUID(virStoragePoolObjList *list,
                                               const unsigned char *uuid);
/* The first pool, locked and referenced, for which @match(obj, opaque)
 * (called with the object locked) is true. */
virStoragePoolObj *virStoragePoolObjListSearch(virStoragePoolObjList *list,
                                               bool (*match)(virStoragePoolObj *obj,
                                                             void *opaque),
                                               void *opaque);

/*
 * Add @def (taking it on success) as libvirt's virStoragePoolObjListAdd:
 * a pool of the same name with another UUID, or the same UUID with another
 * name, is refused (OPERATION_FAILED "pool 'x' is already defined with
 * uuid ..." / "pool 'x' already exists with uuid ..."); an active pool
 * is refused with OPERATION_INVALID unless @allowActive (then @def becomes
 * its newDef); a pool of the same name and UUID gets @def as its
 * definition (or newDef when active). Another pool with the same target
 * path, or the same source device, is refused (OPERATION_FAILED "Storage
 * source conflict with pool: 'x'"). @transient: for a create. Returns the
 * object locked and referenced, or NULL with the error reported (@def
 * still the caller's).
 */
virStoragePoolObj *virStoragePoolObjListAdd(virStoragePoolObjList *list,
                                            virStoragePoolDef **def, bool allowActive,
                                            bool transient);
/* Remove @obj (locked by the caller) from the list. */
void virStoragePoolObjListRemove(virStoragePoolObjList *list, virStoragePoolObj *obj);

/* All pools matching the public VIR_CONNECT_LIST_STORAGE_POOLS_* @flags
 * (0: all), referenced (not locked), in name order. Free with
 * virStoragePoolObjListFreeArray. */
GPtrArray *virStoragePoolObjListExport(virStoragePoolObjList *list, unsigned int flags);
void virStoragePoolObjListFreeArray(GPtrArray *objs);
/* How many pools match @active (names @names of at most @max, if not NULL:
 * copies, in name order). */
int virStoragePoolObjListNames(virStoragePoolObjList *list, bool active, char **names,
                               int max);
int virStoragePoolObjListCount(virStoragePoolObjList *list, bool active);

/* Volumes of a locked pool. */
virStorageVolDef *virStoragePoolObjFindVolByName(virStoragePoolObj *obj,
                                                 const char *name);
virStorageVolDef *virStoragePoolObjFindVolByKey(virStoragePoolObj *obj, const char *key);
virStorageVolDef *virStoragePoolObjFindVolByPath(virStoragePoolObj *obj,
                                                 const char *path);
/* The first active pool of @list holding a volume with @key (with @path
 * when @key is NULL), locked and referenced, and that volume in *@vol;
 * NULL if none (nothing reported: each driver words it). */
virStoragePoolObj *virStoragePoolObjListFindVol(virStoragePoolObjList *list,
                                                const char *key, const char *path,
                                                virStorageVolDef **vol);
/* Takes @vol. */
void virStoragePoolObjAddVol(virStoragePoolObj *obj, virStorageVolDef *vol);
/* Removes and frees @vol. */
void virStoragePoolObjRemoveVol(virStoragePoolObj *obj, virStorageVolDef *vol);
void virStoragePoolObjClearVols(virStoragePoolObj *obj);

/* The definition a restart would use: newDef if any, else def. */
virStoragePoolDef *virStoragePoolObjPersistentDef(virStoragePoolObj *obj);

/* ---- files ---- */

/*
 * Write @obj's persistent definition to <configDir>/<name>.xml
 * atomically (a crash leaves the old file or the new one, never a torn
 * one); sets obj->configFile / autostartLink. 0 or -1 (error reported).
 */
int virStoragePoolObjSaveConfig(virStoragePoolObj *obj, const char *configDir,
                                const char *autostartDir);
/* Remove the definition and the autostart link. 0 or -1. */
int virStoragePoolObjDeleteConfig(virStoragePoolObj *obj);
/* Create or remove the autostart link. 0 or -1 (error reported). */
int virStoragePoolObjSetAutostartLink(virStoragePoolObj *obj, bool autostart);

/* Runtime status file <stateDir>/<name>.xml of an active pool (its live
 * definition): written when the pool starts, removed when it stops; a
 * daemon restart finds which pools were running from them. */
int virStoragePoolObjSaveStatus(virStoragePoolObj *obj, const char *stateDir);
void virStoragePoolObjDeleteStatus(virStoragePoolObj *obj, const char *stateDir);

/*
 * Load every <configDir>/NAME.xml (a definition that does not parse, or whose
 * name differs from its file's, is skipped with a VIR_NOTICE), marking
 * autostart from <autostartDir>; then each <stateDir>/NAME.xml: a pool that
 * was running (made transient if it has no config). Returns how many
 * were loaded, or -1 if a folder could not be read.
 */
int virStoragePoolObjListLoadAll(virStoragePoolObjList *list, const char *configDir,
                                 const char *autostartDir, const char *stateDir);
