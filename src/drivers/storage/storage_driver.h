/* storage_driver.h: the storage driver's tables (state driver for virtkitd and embedding programs) */
#pragma once

#include "driver-state.h"
#include "driver.h"

/* The storage state driver: initialize loads the pools under
 * <config>/storage and <runtime>/storage, creates the `default` dir pool at
 * <state>/images the first time, and registers the storage driver for
 * qemu:/// connections of this process (virSetSharedStorageDriver). */
extern const virStateDriver storageStateDriver;

int storageStateInitialize(const virStateDriverRoots *roots);

/* The storage of a qemu:///embed?root=@root connection, in-process
 * (virEmbedStorageOpener, driver.h): @root's own state (ROOT/etc/storage,
 * ROOT/run/storage, the default pool at ROOT/lib/images, its autostart
 * pools started), made on first use and kept for the life of the
 * process, set as @conn's storage driver. 0, or -1 with an error. */
int storageEmbedOpen(virConnectPtr conn, const char *root);
void storageStateCleanup(void);
