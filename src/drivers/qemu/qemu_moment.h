/* qemu_moment.h: the QEMU driver's metadata files of snapshots and checkpoints (one directory of XML files per domain and kind) */
#pragma once

#include "moment_obj.h"
#include "qemu_driver_priv.h"

/*
 * A kind of moment as the QEMU driver stores it: <libDir>/<dir>/<domain>/
 * <moment>.xml, libvirt's layout. Every call takes the domain object
 * locked; the tree is the one at @listOffset in virDomainObj.
 */
typedef struct {
    const char *dir;        /* "snapshot", "checkpoint": also the noun of messages */
    size_t listOffset;      /* of the tree's pointer in virDomainObj */
    GDestroyNotify freeDef; /* the kind's def destructor (a new tree's) */
    /* @def's document as stored (new) */
    char *(*format)(virDomainObj *obj, const virDomainMomentDef *def);
    /* a stored document's def (new), *@current set when it says it is the
     * current one; NULL with the error reported */
    virDomainMomentDef *(*parse)(const char *xml, bool *current);
} qemuMomentKind;

/* The metadata directory of @domname's moments of @kind, and the file of
 * its moment @name (new paths). */
char *qemuMomentDir(qemuDriver *driver, const qemuMomentKind *kind, const char *domname);
char *qemuMomentFile(qemuDriver *driver, const qemuMomentKind *kind, const char *domname,
                     const char *name);

/* @obj's tree of @kind, created empty when it has none yet (lent). */
virDomainMomentObjList *qemuMomentList(const qemuMomentKind *kind, virDomainObj *obj);

/* Write @def's metadata file (atomically, the directory made when
 * missing); all of @obj's (current flag and parents change together).
 * 0, or -1 with the error reported. */
int qemuMomentWriteMetadata(qemuDriver *driver, const qemuMomentKind *kind,
                            virDomainObj *obj, const virDomainMomentDef *def);
int qemuMomentWriteAll(qemuDriver *driver, const qemuMomentKind *kind, virDomainObj *obj);

/* Remove the metadata file of @obj's moment @name (durably). 0, or -1
 * with the error reported. */
int qemuMomentRemoveMetadata(qemuDriver *driver, const qemuMomentKind *kind,
                             virDomainObj *obj, const char *name);

/*
 * Read @obj's metadata files of @kind into its tree (driver start). A
 * file that cannot be read or parsed, or names a moment already loaded,
 * is skipped and kept, its reason told to the host's operator
 * (VIR_NOTICE: virtkitd logs it as a warning); the others load. A file
 * that says it is current makes its moment current.
 */
void qemuMomentLoad(qemuDriver *driver, const qemuMomentKind *kind, virDomainObj *obj);

/*
 * libvirt's undefine rule for an inactive domain with moments: refused
 * (OPERATION_INVALID "cannot delete inactive domain with N <dir>s")
 * unless @removeMetadata (the kind's UNDEFINE_*_METADATA flag); then every
 * metadata file and the directory go and the tree is emptied. Nothing for
 * an active domain or one without moments. 0, or -1 with the error
 * reported. Job held.
 */
int qemuMomentCheckUndefine(qemuDriver *driver, const qemuMomentKind *kind,
                            virDomainObj *obj, bool removeMetadata);

/* Forget every moment of @obj's tree and remove its metadata files and
 * directory (a transient domain that goes away); failures are only
 * logged at debug level. */
void qemuMomentDiscardAll(qemuDriver *driver, const qemuMomentKind *kind,
                          virDomainObj *obj);
