/* test_driver_network.c: the test driver's networks (libvirt's test driver defaults), its virNetworkDriver table */

#define G_LOG_DOMAIN "virtkit.test.network"

#include "driver.h"
#include "object_event.h"
#include "test_driver_priv.h"

/* Events: the connection's one event state (test_driver.c), all kinds. */
static int
testConnectNetworkEventRegisterAny(virConnectPtr conn, virNetworkPtr net, int eventID,
                                   virConnectNetworkEventGenericCallback cb, void *opaque,
                                   virFreeCallback freecb)
{
    testDriver *driver = conn->privateData;

    return virNetworkEventStateRegisterID(conn, driver->eventState, net, eventID, cb,
                                          opaque, freecb);
}

static int
testConnectNetworkEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    testDriver *driver = conn->privateData;

    return virObjectEventStateDeregisterKindID(conn, driver->eventState,
                                               VIR_EVENT_KIND_NETWORK, callbackID);
}

/* Entries are added as they are implemented; a missing one answers
 * VIR_ERR_NO_SUPPORT (driver.h). */
const virNetworkDriver testNetworkDriver = {
    .name = "Test",
    .connectNetworkEventRegisterAny = testConnectNetworkEventRegisterAny,
    .connectNetworkEventDeregisterAny = testConnectNetworkEventDeregisterAny,
};
