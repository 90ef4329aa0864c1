/* qemu_blockjob.h: block jobs of running guests (copy, commit, pull) */
#pragma once

#include <stdbool.h>

#include "driver.h"
#include "qemu_domain.h"

struct json_object;

/* Entry points of the driver table (qemu_blockjob.c), libvirt 9.0's
 * semantics; see the file's header for the threads. */
int qemuDomainBlockCopy(virDomainPtr dom, const char *path, const char *destxml,
                        virTypedParameterPtr params, int nparams, unsigned int flags);
int qemuDomainBlockRebase(virDomainPtr dom, const char *path, const char *base,
                          unsigned long bandwidth, unsigned int flags);
int qemuDomainBlockPull(virDomainPtr dom, const char *path, unsigned long bandwidth,
                        unsigned int flags);
int qemuDomainBlockCommit(virDomainPtr dom, const char *path, const char *base,
                          const char *top, unsigned long bandwidth, unsigned int flags);
int qemuDomainBlockJobAbort(virDomainPtr dom, const char *path, unsigned int flags);
int qemuDomainGetBlockJobInfo(virDomainPtr dom, const char *path,
                              virDomainBlockJobInfoPtr info, unsigned int flags);
int qemuDomainBlockJobSetSpeed(virDomainPtr dom, const char *path,
                               unsigned long bandwidth, unsigned int flags);

/* QEMU's BLOCK_JOB_READY / _COMPLETED / _CANCELLED of job @name
 * (@qemuStatus: READY, COMPLETED or CANCELED; @failed: a COMPLETED with
 * an error). Monitor I/O thread, object locked, never waits. Returns
 * false when the job is not one of this driver's (the caller reports it
 * as it is). */
bool qemuBlockJobHandleEvent(qemuDriver *driver, virDomainObj *obj, const char *name,
                             int qemuStatus, bool failed);

/* Whether a block job runs on any disk of @obj. Object locked. */
bool qemuBlockJobAnyActive(virDomainObj *obj);

/* The top format node of @disk in @obj's QEMU (query-block, by the disk's
 * qdev id) into *@node (caller frees), and its virtual size into *@size
 * unless @size is NULL. -1 after reporting. */
int qemuBlockJobDiskNode(virDomainObj *obj, const virDomainDiskDef *disk, char **node,
                         unsigned long long *size);

/* Commit the image @top of the disk @dst of the running @obj into the
 * image just below it and wait for the end, as libvirt 9.0's deletion of
 * an external snapshot does: an active commit (@top is the disk's top)
 * pivots to that image, an inactive one finalizes; the committed image
 * is removed (DELETE); the live and persistent definitions follow, the
 * checkpoints' bitmaps are merged and BLOCK_JOB events sent as for the
 * public calls. Object locked, MODIFY job held (released while waiting).
 * Waits as long as QEMU makes progress; after 60 s without
 * any the job is cancelled (nothing changed) and OPERATION_TIMEOUT given.
 * 0, or -1 with an error reported (libvirt's for a bad @top). */
int qemuBlockJobCommitWait(qemuDriver *driver, virDomainObj *obj, const char *dst,
                           const char *top);

/* QEMU's BLOCK_JOB_PENDING of job @name (an inactive commit or a pull,
 * started with auto-finalize off): a worker merges the checkpoints'
 * bitmaps and finalizes it. Monitor I/O thread, object locked, never
 * waits. Returns false when the job is not one of this driver's. */
bool qemuBlockJobHandlePending(qemuDriver *driver, virDomainObj *obj, const char *name);

/* Reconnect: adopt the jobs QEMU still runs (@jobs: query-block-jobs'
 * answer), named as this driver names them, with the <mirror> the status
 * file kept, the range of an inactive commit or a pull from the job's
 * name; one held before its graph change (pending) is finalized by a
 * worker; a <mirror> without a job is dropped. Object locked. */
void qemuBlockJobReconnect(qemuDriver *driver, virDomainObj *obj,
                           struct json_object *jobs);

/* blockdev-del of the libvirt-N nodes whose image no disk of @obj uses
 * any more (after a pivot, a commit or pull, an unplug of a disk with a
 * backing chain). Object locked, MODIFY job held; quiet. */
void qemuBlockJobDropStaleNodes(virDomainObj *obj);
