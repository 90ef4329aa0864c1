/* test_driver_nodedev.c: the test driver's node devices (libvirt's test driver defaults), its virNodeDeviceDriver table */

#define G_LOG_DOMAIN "virtkit.test.nodedev"

#include "driver.h"
#include "test_driver_priv.h"

/* Entries are added as they are implemented; a missing one answers
 * VIR_ERR_NO_SUPPORT (driver.h). */
const virNodeDeviceDriver testNodeDeviceDriver = {
    .name = "Test",
};
