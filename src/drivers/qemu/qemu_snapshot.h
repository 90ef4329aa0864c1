/* qemu_snapshot.h: what qemu_snapshot.c and qemu_snapshot_external.c share */
#pragma once

#include "qemu_driver_priv.h"

/* Run qemu-img with @args (NULL-terminated, without the program). 0, or
 * -1 with libvirt's virCommandRun message. */
int qemuSnapshotQemuImg(const char *const *args);

/* The disk of @dom named @target (lent), or NULL. */
virDomainDiskDef *qemuSnapshotDomainDisk(const virDomainDef *dom, const char *target);

/* Pause running @obj for a snapshot: its state PAUSED/@reason first (so
 * the STOP event of this pause is not taken for the user's), then QEMU's
 * "stop"; when that fails the state is RUNNING/UNPAUSED again (if the
 * domain still runs). Object locked, job held. 0, or -1 with the error
 * reported. */
int qemuSnapshotPause(virDomainObj *obj, virDomainPausedReason reason);

/* libvirt's errors for QUIESCE on a guest whose agent is not connected /
 * not configured, where no agent is asked (an internal snapshot). */
void qemuSnapshotReportNoAgent(const virDomainDef *def);
/* As libvirt's qemuSnapshotFSFreeze / FSThaw (QUIESCE of snapshots and
 * checkpoints): guest-fsfreeze-freeze or -thaw on running @obj's agent
 * (caller's job, object locked; the domain's agent timeout): the number of
 * filesystems, or -1 (reported: the agent's errors). */
int qemuSnapshotFSFreezeThaw(virDomainObj *obj, bool freeze);

/*
 * External snapshots (qemu_snapshot_external.c), as libvirt 9.0's QEMU
 * driver. Object locked, MODIFY job held, @def aligned (one entry per
 * disk) with def->dom the definition before the snapshot.
 *
 * Prepare: libvirt's checks of the new files (format qcow2; without
 * REUSE_EXT an existing file other than a block device is refused; with
 * it the file must exist) and that something is selected. 0 or -1.
 *
 * Take: shut off: "qemu-img create" of a qcow2 overlay per external disk
 * backed by the current image (not with REUSE_EXT). Running: with
 * external memory, the vCPUs paused (not with LIVE) and QEMU's migration
 * stream written to def->memoryFile in libvirt's save image layout; then
 * every external disk's overlay opened (blockdev-add) and made the top of
 * its disk in one QMP transaction (blockdev-snapshot: all or none). The
 * live and persistent definitions then name the overlays. The guest runs
 * on as before, or is stopped with HALT (*halted set, STOPPED/FROM_SNAPSHOT
 * queued). On failure the new files are removed and QEMU's nodes deleted:
 * nothing changed.
 */
int qemuSnapshotPrepareExternal(virDomainObj *obj, virDomainSnapshotDef *def,
                                unsigned int flags);
int qemuSnapshotTakeExternal(qemuDriver *driver, virDomainObj *obj,
                             virDomainSnapshotDef *def, unsigned int flags, bool *halted);

/*
 * Delete the data of the external leaf snapshot @def as libvirt 9.0 does:
 * each of its overlays is committed into the image below and removed, and
 * the definition names that image again. Shut off: qemu-img commit, the
 * overlay must still be its disk's top. Running: a block commit job per
 * disk (active with a pivot when the overlay is the top), refused while
 * another block job runs; every disk is checked before anything changes.
 */
int qemuSnapshotDiscardExternal(qemuDriver *driver, virDomainObj *obj,
                                virDomainSnapshotDef *def);
