/* qemu_backup.h: disk backups of running guests (push mode) as a domain job */
#pragma once

#include <stdbool.h>

#include "driver.h"
#include "qemu_domain.h"
#include "virtypedparamlist.h"

typedef struct _qemuBackup qemuBackup;

/* Entry points of the driver table (qemu_backup.c), libvirt 9.0's
 * semantics; see the file's header for the threads. */
int qemuDomainBackupBegin(virDomainPtr dom, const char *backupXML,
                          const char *checkpointXML, unsigned int flags);
char *qemuDomainBackupGetXMLDesc(virDomainPtr dom, unsigned int flags);

/* QEMU's BLOCK_JOB_COMPLETED (@status COMPLETED, @error QEMU's message
 * or NULL) or BLOCK_JOB_CANCELLED (CANCELED) of job @name, with its
 * @offset of @len bytes. Monitor I/O thread, object locked, never waits.
 * false when @name is not a copy of the running backup. */
bool qemuBackupHandleEvent(qemuDriver *driver, virDomainObj *obj, const char *name,
                           int status, const char *error, unsigned long long offset,
                           unsigned long long len);

/* virDomainAbortJob of a domain whose backup runs (priv->backup set):
 * asks QEMU to cancel every copy and returns; QEMU's events end it.
 * Object locked. 0 (the commands are not waited for). */
int qemuBackupAbort(virDomainObj *obj);

/* From qemuProcessStop: QEMU is gone, the running backup (if any) ends as
 * cancelled (its targets removed, JOB_COMPLETED raised). Object locked. */
void qemuBackupProcessStopped(qemuDriver *driver, virDomainObj *obj);

/* GetJobStats of the running backup (@completed false: QEMU's progress,
 * a QUERY job taken for the question) or of the last completed one: the
 * parameters appended to @list, the bytes to copy and copied in
 * *@dataTotal / *@dataProcessed. Returns the job's virDomainJobType
 * (NONE when the backup ended meanwhile). Object locked. */
int qemuBackupJobStats(virDomainObj *obj, bool completed, virTypedParamList *list,
                       unsigned long long *dataTotal, unsigned long long *dataProcessed);
