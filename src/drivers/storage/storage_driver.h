/* storage_driver.h: the storage driver's tables (state driver for virtkitd and embedding programs) */
#pragma once

#include "driver-state.h"

/* The storage state driver: initialize loads the pools under
 * <config>/storage and <runtime>/storage, creates the `default` dir pool at
 * <state>/images the first time, and registers the storage driver for
 * qemu:/// connections of this process (virSetSharedStorageDriver). */
extern const virStateDriver storageStateDriver;

int storageStateInitialize(const virStateDriverRoots *roots);
void storageStateCleanup(void);
