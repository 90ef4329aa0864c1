/* test_driver_network.c: the test driver's networks (libvirt's test driver defaults), its virNetworkDriver table */

#define G_LOG_DOMAIN "virtkit.test.network"

#include "driver.h"
#include "test_driver_priv.h"

/* Entries are added as they are implemented; a missing one answers
 * VIR_ERR_NO_SUPPORT (driver.h). */
const virNetworkDriver testNetworkDriver = {
    .name = "Test",
};
