/* test_driver_storage.c: the test driver's storage pools and volumes (libvirt's test driver defaults), its virStorageDriver table */

#define G_LOG_DOMAIN "virtkit.test.storage"

#include "driver.h"
#include "test_driver_priv.h"

/* Entries are added as they are implemented; a missing one answers
 * VIR_ERR_NO_SUPPORT (driver.h). */
const virStorageDriver testStorageDriver = {
    .name = "Test",
};
