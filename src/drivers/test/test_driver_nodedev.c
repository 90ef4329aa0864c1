/* test_driver_nodedev.c: the test driver's node devices (libvirt's test driver defaults), its virNodeDeviceDriver table */

#define G_LOG_DOMAIN "virtkit.test.nodedev"

#include "driver.h"
#include "object_event.h"
#include "test_driver_priv.h"

/* Events: the connection's one event state (test_driver.c), all kinds. */
static int
testConnectNodeDeviceEventRegisterAny(virConnectPtr conn, virNodeDevicePtr dev,
                                      int eventID,
                                      virConnectNodeDeviceEventGenericCallback cb,
                                      void *opaque, virFreeCallback freecb)
{
    testDriver *driver = conn->privateData;

    return virNodeDeviceEventStateRegisterID(conn, driver->eventState, dev, eventID, cb,
                                             opaque, freecb);
}

static int
testConnectNodeDeviceEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    testDriver *driver = conn->privateData;

    return virObjectEventStateDeregisterKindID(conn, driver->eventState,
                                               VIR_EVENT_KIND_NODE_DEVICE, callbackID);
}

/* Entries are added as they are implemented; a missing one answers
 * VIR_ERR_NO_SUPPORT (driver.h). */
const virNodeDeviceDriver testNodeDeviceDriver = {
    .name = "Test",
    .connectNodeDeviceEventRegisterAny = testConnectNodeDeviceEventRegisterAny,
    .connectNodeDeviceEventDeregisterAny = testConnectNodeDeviceEventDeregisterAny,
};
