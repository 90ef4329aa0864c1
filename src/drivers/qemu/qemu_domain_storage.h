/* qemu_domain_storage.h: a domain's storage-pool volumes resolved at start */
#pragma once

#include "domain_conf.h"

/*
 * For each <disk type='volume'> of @def (the live copy of a domain being
 * started), the volume's path from the storage driver serving this
 * process (with @embedRoot, that qemu:///embed root's), put in disk->src (the command line, ownership and security
 * code then see a file; the definition still formats pool and volume).
 * 0, or -1 with libvirt's error: NO_STORAGE_POOL / NO_STORAGE_VOL (domain
 * STORAGE) as the storage driver reports them, CONFIG_UNSUPPORTED "storage
 * pool 'P' containing volume 'V' is not active" (domain DOMAIN).
 */
int qemuDomainPrepareVolumeDisks(virDomainDef *def, const char *embedRoot);

/*
 * Refuses (OPERATION_INVALID, naming the disk and its file) a @def whose
 * disk files carry the storage driver's unfinished-upload mark
 * (VIR_STORAGE_UPLOAD_XATTR, storage_conf.h): the file holds the first
 * part of an upload that was cut, or one still running. A finished upload
 * whose sync has not been seen to end ("syncing", of this boot) is synced
 * here and its mark removed, then the disk is accepted. Called by
 * qemuDomainPrepareVolumeDisks, after the volumes got their paths. 0 if
 * none is refused.
 */
int qemuDomainCheckUploadMarks(const virDomainDef *def);

/*
 * At start, on the live definition @def: libvirt's check that each local
 * layer of a given <backingStore> chain exists (SYSTEM_ERROR in the
 * storage domain, "Cannot access storage file ... (as uid:@uid,
 * gid:@gid)"), then each disk's chain as QEMU will open it
 * (qemuDiskLayers) written into the disk: <source index>, the given
 * layers with their index, the layers read from the images (and the end
 * of the chain) as detected ones, which an inactive definition never
 * shows. 0, or -1 with the error reported and @def unchanged.
 */
int qemuDomainPrepareDiskChains(virDomainDef *def, unsigned int uid, unsigned int gid);

/* libvirt's qemuDomainPrepareDiskCachemode for the live definition @def: a
 * <shareable/> disk others may write (not read-only) without a cache mode
 * gets cache='none', so that no host page cache stands between the guests
 * sharing it. */
void qemuDomainPrepareDiskCachemodes(virDomainDef *def);

/* true when @disk's <backingStore> names a layer (given by the user, not
 * read from the images at start) */
bool qemuDiskHasGivenChain(const virDomainDiskDef *disk);
