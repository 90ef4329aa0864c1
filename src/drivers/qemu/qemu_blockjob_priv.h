/* qemu_blockjob_priv.h: what qemu_blockjob.c (the jobs' table, events and starts) and qemu_blockjob_control.c (abort, pivot, info, speed, commit wait, reconnect) share */
#pragma once

#include "qemu_driver_priv.h"

/* how long a synchronous abort or pivot waits for QEMU to end the job */
#define QEMU_BLOCKJOB_WAIT_MS 60000

typedef struct {
    char *disk; /* target dev */
    char *name; /* QEMU's job id */
    int type;   /* virDomainBlockJobType */
    bool ready;
    bool concluded;
    int status;   /* once concluded: virConnectDomainEventBlockJobStatus */
    int request;  /* virDomainDiskMirrorState: ABORT or PIVOT asked */
    char *oldSrc; /* the image the guest used when the job started */
    char *topNode;
    char *newSrc; /* copy: destination; active commit: base */
    int newFormat;
    int newType;         /* virDomainDiskType of newSrc: FILE or BLOCK */
    char *mirrorStorage; /* copy: the destination's nodes */
    char *mirrorFormatNode;
    GPtrArray *deleteFiles; /* commit with DELETE: images to remove after */
    bool shallow;           /* copy: SHALLOW (the bitmaps of its top only) */
    char *commitTop;        /* inactive commit: the top image of the range */
    char *base;             /* pull: the image it stops at (NULL: all) */
    bool pending;           /* commit, pull: BLOCK_JOB_PENDING, finalize due */
    guint64 runId;
} qemuBlockJob;

/* Helpers of qemu_blockjob.c (each's contract is its comment there). */
int qemuBlockJobBandwidth(unsigned long long bandwidth, bool bytes,
                          unsigned long long *out);
qemuBlockJob *qemuBlockJobByName(virDomainObj *obj, const char *name);
const char *qemuBlockJobChainAt(virDomainDiskDef *disk, GPtrArray *chain, guint idx);
void qemuBlockJobClearMirror(virDomainDiskDef *disk);
int qemuBlockJobCommit(qemuDriver *driver, virDomainObj *obj, const char *path,
                       const char *base, const char *top, unsigned long long speed,
                       unsigned int flags, char **name);
virDomainDiskDef *qemuBlockJobDiskByTarget(virDomainDef *def, const char *dst);
void qemuBlockJobFinalize(virDomainObj *obj, const char *name);
virDomainDiskDef *qemuBlockJobFindDisk(virDomainObj *obj, const char *path);
qemuBlockJob *qemuBlockJobNew(virDomainObj *obj, virDomainDiskDef *disk, int type,
                              const char *topNode);
qemuBlockJob *qemuBlockJobOfDisk(virDomainObj *obj, const char *dst);
int qemuBlockJobPathType(const char *path);
int qemuBlockJobProbeFormat(const char *path);
void qemuBlockJobQueueFinalize(qemuDriver *driver, virDomainObj *obj, qemuBlockJob *job);
GHashTable *qemuBlockJobTable(virDomainObj *obj);
const char *qemuBlockJobTypeName(int type);
