/* test_driver_storage.c: the test driver's storage pools and volumes (libvirt's test driver defaults), its virStorageDriver table */

#define G_LOG_DOMAIN "virtkit.test.storage"

#include "driver.h"
#include "object_event.h"
#include "test_driver_priv.h"

/* Events: the connection's one event state (test_driver.c), all kinds. */
static int
testConnectStoragePoolEventRegisterAny(virConnectPtr conn, virStoragePoolPtr pool,
                                       int eventID,
                                       virConnectStoragePoolEventGenericCallback cb,
                                       void *opaque, virFreeCallback freecb)
{
    testDriver *driver = conn->privateData;

    return virStoragePoolEventStateRegisterID(conn, driver->eventState, pool, eventID, cb,
                                              opaque, freecb);
}

static int
testConnectStoragePoolEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    testDriver *driver = conn->privateData;

    return virObjectEventStateDeregisterKindID(conn, driver->eventState,
                                               VIR_EVENT_KIND_STORAGE_POOL, callbackID);
}

/* Entries are added as they are implemented; a missing one answers
 * VIR_ERR_NO_SUPPORT (driver.h). */
const virStorageDriver testStorageDriver = {
    .name = "Test",
    .connectStoragePoolEventRegisterAny = testConnectStoragePoolEventRegisterAny,
    .connectStoragePoolEventDeregisterAny = testConnectStoragePoolEventDeregisterAny,
};
