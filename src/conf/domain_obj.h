/* domain_obj.h: a domain object (definition + runtime state) and the list that indexes them */
#pragma once

#include <sys/types.h>
#include "domain_conf.h"
#include "snapshot_conf.h"

/*
 * Locking: each virDomainObj has a short mutex (obj->lock) protecting all
 * its fields. Never hold it across a wait on QEMU or a client: to wait,
 * take a job (virDomainObjBeginJob), which drops the lock while waiting and
 * serializes state-changing operations per domain.
 * The list has its own rwlock; lookups return the object locked and with a
 * new reference; release both with virDomainObjEndAPI(&obj).
 * Lock order: list lock, then object lock (never the reverse).
 *
 * No-wait mode (a thread-local switch, virDomainObjListSetNoWait below):
 * the daemon's main thread answers lookups by name and UUID, GET_STATE,
 * IS_ACTIVE and IS_PERSISTENT itself, through the public API and the
 * driver, with this switch on. Every lookup on that thread then only
 * tries the locks; a NULL may mean "busy", not "no such domain", and
 * virDomainObjListWouldBlock() says which. So code reached from those
 * entry points must not wait on anything but the list and object locks
 * (no job, no file read, no QEMU), and may report NO_DOMAIN on a NULL:
 * the daemon checks WouldBlock first, throws such an answer away and
 * runs the call again on a worker, where waiting is allowed.
 */

typedef enum {
    VIR_JOB_NONE = 0,
    VIR_JOB_QUERY,   /* reads state from the hypervisor */
    VIR_JOB_DESTROY, /* destroy; may be taken while a MODIFY job waits on QEMU */
    VIR_JOB_MODIFY,  /* any state change */
    VIR_JOB_LAST
} virDomainJob;

typedef struct _virDomainObj virDomainObj;
struct _virDomainObj {
    GMutex lock;
    gint refs; /* atomic */

    virDomainDef *def; /* current definition (the live one when active) */
    virDomainDef
        *newDef; /* persistent definition while active, if it differs; else NULL */
    /* The folder of a definition indexed but not parsed yet (inactive
     * domains at daemon start), whose file is <pendingDir>/<name>.xml:
     * @def then holds only the name and UUID read from it. Anything
     * needing more calls virDomainObjParsePending first. Borrowed (the
     * driver's config folder, which outlives its objects): a path of its
     * own per object cost 10,000 defined ~0.6 MB. */
    const char *pendingDir;

    int state;  /* virDomainState */
    int reason; /* reason enum for @state */
    bool persistent;
    bool autostart;
    bool removing;       /* removed from the list; lookups no longer find it */
    bool hasManagedSave; /* a managed save image exists (the driver keeps it) */

    pid_t pid; /* hypervisor process, 0 when none */

    GCond jobCond; /* signalled when job ends */
    int job;       /* virDomainJob currently held */
    GThread *jobOwner;
    gint64 jobStartMs;     /* wall clock (ms) when the held job was granted */
    bool jobAllowDestroy;  /* the held job lets a DESTROY job run beside it */
    bool destroyJobActive; /* a DESTROY job runs beside the held job */

    size_t listIndex; /* src/conf only: position in the list (list lock) */

    /* The domain's snapshots and its checkpoints (moment_obj.h; typed in
     * snapshot_obj.h and checkpoint_obj.h), each NULL until its first
     * moment; freed with the object. Drivers keep their metadata files. */
    struct _virDomainMomentObjList *snapshots;
    struct _virDomainMomentObjList *checkpoints;

    /* What the driver recorded about the current run (domain_messages.h):
     * a bit per virDomainTaintFlags, and "deprecated configuration"
     * texts (NULL until the first); both cleared when the run ends. */
    unsigned int taint;
    GPtrArray *deprecations;

    void *privateData; /* driver-private, freed with privateDataFree */
    GDestroyNotify privateDataFree;
};

virDomainObj *virDomainObjNew(void); /* one reference, unlocked */
virDomainObj *virDomainObjRef(virDomainObj *obj);
void virDomainObjUnref(virDomainObj *obj); /* accepts NULL */
void virDomainObjLock(virDomainObj *obj);
void virDomainObjUnlock(virDomainObj *obj);
/* Unlock and unref *objptr (if non-NULL) and set it to NULL. */
void virDomainObjEndAPI(virDomainObj **objptr);

void virDomainObjSetState(virDomainObj *obj, int state, int reason);
int virDomainObjGetState(virDomainObj *obj, int *reason);
bool virDomainObjIsActive(virDomainObj *obj); /* def->id != -1 */

/* The file of @obj's pending definition (see pendingDir; caller frees),
 * or NULL when nothing is pending. @obj locked. */
char *virDomainObjPendingPath(virDomainObj *obj);

/* Replace the name-and-UUID placeholder of @obj (locked) with the
 * definition parsed from its pending file (no-op when nothing is pending). The parsed definition must
 * keep the placeholder's name and UUID. On failure (error reported) the
 * text stays pending and -1 is returned. */
int virDomainObjParsePending(virDomainObj *obj);
/* The second half of that, for a caller that parsed the file without
 * holding the lock: installs *parsed (taken) if the definition is still
 * pending (else drops it and returns 0). */
int virDomainObjSetParsed(virDomainObj *obj, virDomainDef **parsed);

/* The persistent definition: newDef if set, else def. */
virDomainDef *virDomainObjGetPersistentDef(virDomainObj *obj);

/*
 * Jobs. Called with obj locked; returns with obj locked. Waits (dropping
 * the lock) up to @timeout_ms for the current job to end; on timeout
 * reports OPERATION_TIMEOUT "cannot acquire state change lock" and returns -1.
 * A DESTROY job is granted even while a MODIFY job is held that has called
 * virDomainObjAllowDestroy (libvirt lets destroy preempt a stuck job).
 */
int virDomainObjBeginJob(virDomainObj *obj, int job, unsigned int timeout_ms);
void virDomainObjEndJob(virDomainObj *obj, int job);
/* Called (obj locked) by the holder of a job before it waits on the
 * hypervisor: from then until the job ends, a DESTROY job may be granted
 * beside it. A timeout_ms of 0 never waits. */
void virDomainObjAllowDestroy(virDomainObj *obj);

/* ---- The list ------------------------------------------------------- */

typedef struct _virDomainObjList virDomainObjList;

virDomainObjList *virDomainObjListNew(void);
void virDomainObjListFree(virDomainObjList *list);

typedef enum {
    VIR_DOMAIN_OBJ_LIST_ADD_LIVE = (1 << 0), /* the def is a live one (create) */
    VIR_DOMAIN_OBJ_LIST_ADD_CHECK_LIVE =
        (1 << 1), /* fail if the existing obj is active */
} virDomainObjListAddFlags;

/*
 * Add *def, or replace the definition of the existing domain with the same
 * name and UUID. Errors as libvirt: same name, other UUID -> OPERATION_FAILED
 * "domain 'N' already exists with uuid U"; same UUID, other name ->
 * OPERATION_FAILED "domain 'N' is already defined with uuid U"; CHECK_LIVE and
 * active -> OPERATION_INVALID "domain 'N' is already active".
 * On success takes ownership of *def (sets it to NULL), stores the replaced
 * definition (if any) in *oldDef when oldDef != NULL (caller frees), and
 * returns the object locked with a new reference. When the object is
 * active and not LIVE, the def becomes obj->newDef (the next-boot config).
 */
virDomainObj *virDomainObjListAdd(virDomainObjList *list, virDomainDef **def,
                                  unsigned int flags, virDomainDef **oldDef);

/*
 * Rename @obj (locked by the caller, stays locked; it is unlocked for a
 * moment to take the list lock first, so the caller re-checks its state in
 * @cb). Under the list's write lock: OPERATION_INVALID "Can't rename domain
 * to itself" / "domain with name 'N' already exists", else @cb(obj,
 * newName, opaque) does the renaming (sets obj->def->name, moves files) and
 * returns 0, or -1 with an error reported and nothing changed; the name
 * index follows. 0 or -1.
 */
typedef int (*virDomainObjListRenameFunc)(virDomainObj *obj, const char *newName,
                                          void *opaque);
int virDomainObjListRename(virDomainObjList *list, virDomainObj *obj, const char *newName,
                           virDomainObjListRenameFunc cb, void *opaque);

/* Remove @obj (locked by the caller, stays locked) from the list. */
void virDomainObjListRemove(virDomainObjList *list, virDomainObj *obj);

/* Lookups: the object locked with a new reference, or NULL (no error reported). */
virDomainObj *virDomainObjListFindByUUID(virDomainObjList *list,
                                         const unsigned char *uuid);
virDomainObj *virDomainObjListFindByName(virDomainObjList *list, const char *name);
virDomainObj *virDomainObjListFindByID(virDomainObjList *list, int id);

/*
 * No-wait lookups, for a thread that must never sleep on a lock (the
 * daemon's I/O thread answering cheap read-only calls itself). While
 * enabled on the calling thread, FindByUUID and FindByName only try the
 * list lock and the object lock, and FindByID never looks; when a lock is
 * busy, or the object's definition is still pending (parsing it reads a
 * file), they return NULL and virDomainObjListWouldBlock() turns true, so
 * the caller can throw the answer away and redo the call where waiting is
 * allowed. Enabling clears the flag. Thread-local.
 */
void virDomainObjListSetNoWait(bool enabled);
bool virDomainObjListWouldBlock(void);

/* Next domain id (1, 2, 3, ...; never reused while the list lives). */
int virDomainObjListNextID(virDomainObjList *list);
/* Make sure future ids are > @id (after reconnecting to a running domain). */
void virDomainObjListBumpID(virDomainObjList *list, int id);

int virDomainObjListNumOfDomains(virDomainObjList *list, bool active);
int virDomainObjListGetActiveIDs(virDomainObjList *list, int *ids, int maxids);
int virDomainObjListGetInactiveNames(virDomainObjList *list, char **const names,
                                     int maxnames);

/* True when @obj matches virConnectListAllDomains @flags (filter groups as libvirt). */
bool virDomainObjMatchFilter(virDomainObj *obj, unsigned int flags);

/*
 * virConnectListAllDomains: new virDomainPtr handles (virGetDomain) for the
 * matching objects, sorted by nothing in particular, NULL-terminated, in
 * *domains (if domains != NULL). Returns the count.
 */
int virDomainObjListExport(virDomainObjList *list, virConnectPtr conn,
                           virDomainPtr **domains, unsigned int flags);

/* Call @cb on every object (unlocked, with a reference held during the call). */
typedef void (*virDomainObjListIterator)(virDomainObj *obj, void *opaque);
void virDomainObjListForEach(virDomainObjList *list, virDomainObjListIterator cb,
                             void *opaque);

/* State <-> libvirt's internal strings, as in status XML and QEMU logs:
 * states "nostate" "running" "blocked" "paused" "shutdown" "shutoff"
 * "crashed" "pmsuspended"; reasons e.g. "booted", "destroyed", "from
 * snapshot" (facts/lifecycle.md §8). Not virsh's display strings ("shut
 * off"). NULL / -1 when out of range or unknown. */
const char *
virDomainStateTypeToString(int state); /* internal names: "running", "shutoff" */
const char *virDomainStateReasonToString(int state, int reason); /* internal names */
int virDomainStateTypeFromString(const char *str);
int virDomainStateReasonFromString(int state, const char *str);
