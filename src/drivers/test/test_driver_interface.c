/* test_driver_interface.c: the test driver's host interfaces (libvirt's test driver defaults), its virInterfaceDriver table */

#define G_LOG_DOMAIN "virtkit.test.interface"

#include "driver.h"
#include "test_driver_priv.h"

/* Entries are added as they are implemented; a missing one answers
 * VIR_ERR_NO_SUPPORT (driver.h). */
const virInterfaceDriver testInterfaceDriver = {
    .name = "Test",
};
