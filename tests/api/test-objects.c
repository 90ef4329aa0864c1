/* test-objects.c: the handles and secondary driver tables of the non-domain object kinds */
#include <string.h>

#include <libvirt/libvirt.h>
#include "datatypes.h"
#include "driver.h"
#include "object_event.h"

#define URI "test:///default"

static void
quietErrors(void *opaque, virErrorPtr err)
{
}


static void
assertError(int code, int domain, const char *message)
{
    virErrorPtr err = virGetLastError();

    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpint(err->domain, ==, domain);
    if (message)
        g_assert_cmpstr(err->message, ==, message);
}


/* A kind without a table (test driver: secrets and nwfilters, as libvirt's)
 * or without the entry answers NO_SUPPORT with libvirt's message, in the
 * kind's error domain. */
static void
testNoSupport(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    unsigned char uuid[VIR_UUID_BUFLEN] = { 1 };
    virSecretPtr *secrets = (virSecretPtr *)&conn; /* must be reset to NULL */

    g_assert_nonnull(conn);
    g_assert_null(conn->secretDriver);
    g_assert_cmpint(virConnectNumOfSecrets(conn), ==, -1);
    assertError(VIR_ERR_NO_SUPPORT, VIR_FROM_SECRET,
                "this function is not supported by the connection driver: "
                "virConnectNumOfSecrets");
    g_assert_cmpint(virConnectListAllSecrets(conn, &secrets, 0), ==, -1);
    g_assert_null(secrets);
    g_assert_null(virSecretLookupByUUID(conn, uuid));
    assertError(VIR_ERR_NO_SUPPORT, VIR_FROM_SECRET,
                "this function is not supported by the connection driver: "
                "virSecretLookupByUUID");
    g_assert_null(virNWFilterLookupByName(conn, "clean-traffic"));
    assertError(VIR_ERR_NO_SUPPORT, VIR_FROM_NWFILTER,
                "this function is not supported by the connection driver: "
                "virNWFilterLookupByName");
    /* a table without the entry: the test driver resizes no volume (as
     * libvirt's) */
    g_assert_nonnull(conn->storageDriver);
    {
        virStoragePoolPtr pool = virStoragePoolLookupByName(conn, "default-pool");
        virStorageVolPtr vol;

        g_assert_nonnull(pool);
        vol = virStorageVolCreateXML(
            pool, "<volume><name>nosup</name><capacity>1</capacity></volume>", 0);
        g_assert_nonnull(vol);
        g_assert_cmpint(virStorageVolResize(vol, 2, 0), ==, -1);
        assertError(VIR_ERR_NO_SUPPORT, VIR_FROM_STORAGE,
                    "this function is not supported by the connection driver: "
                    "virStorageVolResize");
        g_assert_cmpint(virStorageVolDelete(vol, 0), ==, 0);
        virStorageVolFree(vol);
        virStoragePoolFree(pool);
    }
    /* the UUID string is checked first, then the driver */
    g_assert_null(virNetworkLookupByUUIDString(conn, "not-a-uuid"));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_NETWORK, NULL);
    g_assert_null(
        virNetworkLookupByUUIDString(conn, "6695eb01-f6a4-8304-79aa-97f2502e193f"));
    /* libvirt's test driver reports it in its own domain (seen through
     * libvirtd 9.0: tests/data/daemon/sysvirt-objects.golden) */
    assertError(VIR_ERR_NO_NETWORK, VIR_FROM_TEST,
                "Network not found: no network with matching uuid "
                "'6695eb01-f6a4-8304-79aa-97f2502e193f'");
    /* read-only refusals come before the driver */
    virConnectClose(conn);
    conn = virConnectOpenReadOnly(URI);
    g_assert_null(virSecretDefineXML(conn, "<secret/>", 0));
    assertError(VIR_ERR_OPERATION_DENIED, VIR_FROM_SECRET,
                "operation forbidden: read only access prevents virSecretDefineXML");
    virConnectClose(conn);
}


/* Handles hold their connection; accessors read the handle; Free drops
 * one reference; bad handles get the kind's INVALID_* code. */
static void
testHandles(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    unsigned char uuid[VIR_UUID_BUFLEN];
    unsigned char got[VIR_UUID_BUFLEN];
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    virNetworkPtr net;
    virNetworkPortPtr port;
    virSecretPtr secret;
    virStorageVolPtr vol;
    virNodeDevicePtr dev;
    virInterfacePtr iface;
    virNWFilterBindingPtr binding;

    for (size_t i = 0; i < sizeof(uuid); i++)
        uuid[i] = i * 17;
    g_assert_cmpint(conn->refs, ==, 1);
    net = virGetNetwork(conn, "default", uuid);
    port = virGetNetworkPort(net, uuid);
    secret = virGetSecret(conn, uuid, VIR_SECRET_USAGE_TYPE_VOLUME, "/var/lib/x.img");
    vol = virGetStorageVol(conn, "pool", "vol", "/pool/vol", NULL, NULL);
    dev = virGetNodeDevice(conn, "computer");
    iface = virGetInterface(conn, "eth1", "aa:bb:cc:dd:ee:ff");
    binding = virGetNWFilterBinding(conn, "vnet0", "clean-traffic");
    g_assert_cmpint(conn->refs, ==, 7); /* the port holds the network, not conn */

    g_assert_cmpstr(virNetworkGetName(net), ==, "default");
    g_assert_cmpint(virNetworkGetUUID(net, got), ==, 0);
    g_assert_cmpmem(got, sizeof(got), uuid, sizeof(uuid));
    g_assert_cmpint(virNetworkGetUUIDString(net, uuidstr), ==, 0);
    g_assert_cmpstr(uuidstr, ==, "00112233-4455-6677-8899-aabbccddeeff");
    g_assert_true(virNetworkGetConnect(net) == conn);
    g_assert_true(virNetworkPortGetNetwork(port) == net);
    g_assert_cmpint(virNetworkPortGetUUIDString(port, uuidstr), ==, 0);
    g_assert_cmpint(virSecretGetUsageType(secret), ==, VIR_SECRET_USAGE_TYPE_VOLUME);
    g_assert_cmpstr(virSecretGetUsageID(secret), ==, "/var/lib/x.img");
    g_assert_cmpstr(virStorageVolGetKey(vol), ==, "/pool/vol");
    g_assert_cmpstr(virNodeDeviceGetName(dev), ==, "computer");
    g_assert_cmpstr(virInterfaceGetMACString(iface), ==, "aa:bb:cc:dd:ee:ff");
    g_assert_cmpstr(virNWFilterBindingGetFilterName(binding), ==, "clean-traffic");
    g_assert_cmpint(virNetworkGetUUID(net, NULL), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_NETWORK, NULL);

    g_assert_cmpint(virNetworkRef(net), ==, 0);
    g_assert_cmpint(virNetworkFree(net), ==, 0);
    g_assert_cmpint(virNetworkFree(net), ==, 0); /* the port still holds it */
    g_assert_cmpstr(virNetworkGetName(virNetworkPortGetNetwork(port)), ==, "default");
    g_assert_cmpint(virNetworkPortFree(port), ==, 0);
    g_assert_cmpint(virSecretFree(secret), ==, 0);
    g_assert_cmpint(virStorageVolFree(vol), ==, 0);
    g_assert_cmpint(virNodeDeviceFree(dev), ==, 0);
    g_assert_cmpint(virInterfaceFree(iface), ==, 0);
    g_assert_cmpint(virNWFilterBindingFree(binding), ==, 0);
    g_assert_cmpint(conn->refs, ==, 1);

    g_assert_cmpint(virSecretFree(NULL), ==, -1);
    assertError(VIR_ERR_INVALID_SECRET, VIR_FROM_SECRET, "Invalid secret: virSecretFree");
    g_assert_null(virStoragePoolGetName(NULL));
    assertError(VIR_ERR_INVALID_STORAGE_POOL, VIR_FROM_STORAGE, NULL);
    g_assert_null(virNodeDeviceGetParent(NULL));
    assertError(VIR_ERR_INVALID_NODE_DEVICE, VIR_FROM_NODEDEV, NULL);
    g_assert_cmpint(virConnectNumOfNetworks(NULL), ==, -1);
    assertError(VIR_ERR_INVALID_CONN, VIR_FROM_NETWORK, NULL);
    virConnectClose(conn);
}


/* Shared drivers: registered tables serve qemu:/// connections opened
 * afterwards; withdrawn with NULL. */
static int
fakeNumOfSecrets(virConnectPtr conn)
{
    return 42;
}

static const virSecretDriver fakeSecretDriver = {
    .name = "fake",
    .connectNumOfSecrets = fakeNumOfSecrets,
};

static void
testShared(void)
{
    g_assert_null(virGetSharedSecretDriver());
    virSetSharedSecretDriver(&fakeSecretDriver);
    g_assert_true(virGetSharedSecretDriver() == &fakeSecretDriver);
    virSetSharedSecretDriver(NULL);
    g_assert_null(virGetSharedSecretDriver());
}


/* Events of the other kinds on one state: each callback sees only its
 * kind, event ID and (when filtered) object, with a handle of it. */
typedef struct {
    int lifecycle;
    int refresh;
    int secretValue;
    char last[64];
    int lastEvent;
} eventSeen;

static void
onNetLifecycle(virConnectPtr conn, virNetworkPtr net, int event, int detail, void *opaque)
{
    eventSeen *seen = opaque;

    seen->lifecycle++;
    seen->lastEvent = event;
    g_strlcpy(seen->last, virNetworkGetName(net), sizeof(seen->last));
}

static void
onPoolRefresh(virConnectPtr conn, virStoragePoolPtr pool, void *opaque)
{
    eventSeen *seen = opaque;

    seen->refresh++;
    g_strlcpy(seen->last, virStoragePoolGetName(pool), sizeof(seen->last));
}

static void
onDevLifecycle(virConnectPtr conn, virNodeDevicePtr dev, int event, int detail,
               void *opaque)
{
    eventSeen *seen = opaque;

    seen->lifecycle++;
    seen->lastEvent = event;
    g_strlcpy(seen->last, virNodeDeviceGetName(dev), sizeof(seen->last));
}

static void
onSecretValue(virConnectPtr conn, virSecretPtr secret, void *opaque)
{
    eventSeen *seen = opaque;

    seen->secretValue++;
    g_strlcpy(seen->last, virSecretGetUsageID(secret), sizeof(seen->last));
}

static void
testEvents(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    virObjectEventState *state = virObjectEventStateNew();
    unsigned char uuid1[VIR_UUID_BUFLEN] = { 1 };
    unsigned char uuid2[VIR_UUID_BUFLEN] = { 2 };
    virNetworkPtr net1 = virGetNetwork(conn, "net1", uuid1);
    virNodeDevicePtr dev = virGetNodeDevice(conn, "pci_0000_00_1f_2");
    eventSeen netAll = { 0 }, netOne = { 0 }, pool = { 0 }, devOne = { 0 }, sec = { 0 };
    int idAll, idOne, idPool, idDev, idSec;

    idAll = virNetworkEventStateRegisterID(
        conn, state, NULL, VIR_NETWORK_EVENT_ID_LIFECYCLE,
        VIR_NETWORK_EVENT_CALLBACK(onNetLifecycle), &netAll, NULL);
    idOne = virNetworkEventStateRegisterID(
        conn, state, net1, VIR_NETWORK_EVENT_ID_LIFECYCLE,
        VIR_NETWORK_EVENT_CALLBACK(onNetLifecycle), &netOne, NULL);
    idPool = virStoragePoolEventStateRegisterID(
        conn, state, NULL, VIR_STORAGE_POOL_EVENT_ID_REFRESH,
        VIR_STORAGE_POOL_EVENT_CALLBACK(onPoolRefresh), &pool, NULL);
    idDev = virNodeDeviceEventStateRegisterID(
        conn, state, dev, VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE,
        VIR_NODE_DEVICE_EVENT_CALLBACK(onDevLifecycle), &devOne, NULL);
    idSec = virSecretEventStateRegisterID(
        conn, state, NULL, VIR_SECRET_EVENT_ID_VALUE_CHANGED,
        VIR_SECRET_EVENT_CALLBACK(onSecretValue), &sec, NULL);
    g_assert_cmpint(idAll, >=, 0);
    g_assert_cmpint(idOne, >, idAll);
    g_assert_cmpint(idPool, >, idOne);
    g_assert_cmpint(idDev, >, idPool);
    g_assert_cmpint(idSec, >, idDev);
    /* out of range, and a duplicate */
    g_assert_cmpint(virNetworkEventStateRegisterID(
                        conn, state, NULL, 1, VIR_NETWORK_EVENT_CALLBACK(onNetLifecycle),
                        &netAll, NULL),
                    ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_NONE,
                "invalid argument: unknown event id 1");
    g_assert_cmpint(virNetworkEventStateRegisterID(
                        conn, state, net1, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                        VIR_NETWORK_EVENT_CALLBACK(onNetLifecycle), &netOne, NULL),
                    ==, -1);

    virObjectEventStateQueue(
        state, virNetworkEventLifecycleNew("net1", uuid1, VIR_NETWORK_EVENT_STARTED, 0));
    virObjectEventStateQueue(
        state, virNetworkEventLifecycleNew("net2", uuid2, VIR_NETWORK_EVENT_STOPPED, 0));
    virObjectEventStateQueue(
        state, virStoragePoolEventLifecycleNew("pool", uuid1,
                                               VIR_STORAGE_POOL_EVENT_STARTED, 0));
    virObjectEventStateQueue(state, virStoragePoolEventRefreshNew("pool", uuid1));
    virObjectEventStateQueue(state, virNodeDeviceEventLifecycleNew(
                                        "net_eth0", VIR_NODE_DEVICE_EVENT_CREATED, 0));
    virObjectEventStateQueue(
        state, virNodeDeviceEventLifecycleNew("pci_0000_00_1f_2",
                                              VIR_NODE_DEVICE_EVENT_DELETED, 0));
    virObjectEventStateQueue(
        state, virSecretEventLifecycleNew(uuid1, VIR_SECRET_USAGE_TYPE_CEPH,
                                          "ceph-client", VIR_SECRET_EVENT_DEFINED, 0));
    virObjectEventStateQueue(
        state,
        virSecretEventValueChangedNew(uuid1, VIR_SECRET_USAGE_TYPE_CEPH, "ceph-client"));
    /* a domain event reaches none of them */
    virObjectEventStateQueue(state, virDomainEventLifecycleNew(1, "net1", uuid1, 0, 0));
    virObjectEventStateFlush(state);

    g_assert_cmpint(netAll.lifecycle, ==, 2);
    g_assert_cmpstr(netAll.last, ==, "net2");
    g_assert_cmpint(netOne.lifecycle, ==, 1);
    g_assert_cmpstr(netOne.last, ==, "net1");
    g_assert_cmpint(netOne.lastEvent, ==, VIR_NETWORK_EVENT_STARTED);
    g_assert_cmpint(pool.refresh, ==, 1);
    g_assert_cmpstr(pool.last, ==, "pool");
    g_assert_cmpint(devOne.lifecycle, ==, 1);
    g_assert_cmpint(devOne.lastEvent, ==, VIR_NODE_DEVICE_EVENT_DELETED);
    g_assert_cmpint(sec.secretValue, ==, 1);
    g_assert_cmpstr(sec.last, ==, "ceph-client");

    /* a network callback ID is not a secret's, nor a domain's */
    g_assert_cmpint(
        virObjectEventStateDeregisterKindID(conn, state, VIR_EVENT_KIND_SECRET, idAll),
        ==, -1);
    g_assert_cmpint(virObjectEventStateDeregisterID(conn, state, idAll), ==, -1);
    g_assert_cmpint(
        virObjectEventStateDeregisterKindID(conn, state, VIR_EVENT_KIND_NETWORK, idAll),
        ==, 0);
    virObjectEventStateQueue(
        state, virNetworkEventLifecycleNew("net1", uuid1, VIR_NETWORK_EVENT_STOPPED, 0));
    virObjectEventStateFlush(state);
    g_assert_cmpint(netAll.lifecycle, ==, 2);
    g_assert_cmpint(netOne.lifecycle, ==, 2);

    virObjectUnrefNetwork(net1);
    virObjectUnrefNodeDevice(dev);
    virObjectEventStateDeregisterConn(state, conn);
    virObjectEventStateFree(state);
    virConnectClose(conn);
}


/* The test driver's tables accept the event programs libvirt's test
 * driver has (network, pool, node device); secrets have no driver. */
static void
testDriverEvents(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    eventSeen seen = { 0 };
    int id;

    id = virConnectNetworkEventRegisterAny(conn, NULL, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                           VIR_NETWORK_EVENT_CALLBACK(onNetLifecycle),
                                           &seen, NULL);
    g_assert_cmpint(id, >=, 0);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, id), ==, -1);
    g_assert_cmpint(virConnectStoragePoolEventDeregisterAny(conn, id), ==, -1);
    g_assert_cmpint(virConnectNetworkEventDeregisterAny(conn, id), ==, 0);
    g_assert_cmpint(
        virConnectNetworkEventRegisterAny(
            conn, NULL, 1, VIR_NETWORK_EVENT_CALLBACK(onNetLifecycle), &seen, NULL),
        ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_NETWORK,
                "eventID in virConnectNetworkEventRegisterAny must be "
                "less than 1");
    id = virConnectNodeDeviceEventRegisterAny(
        conn, NULL, VIR_NODE_DEVICE_EVENT_ID_UPDATE,
        VIR_NODE_DEVICE_EVENT_CALLBACK(onPoolRefresh), &seen, NULL);
    g_assert_cmpint(id, >=, 0);
    g_assert_cmpint(virConnectNodeDeviceEventDeregisterAny(conn, id), ==, 0);
    g_assert_cmpint(virConnectSecretEventRegisterAny(
                        conn, NULL, VIR_SECRET_EVENT_ID_LIFECYCLE,
                        VIR_SECRET_EVENT_CALLBACK(onSecretValue), &seen, NULL),
                    ==, -1);
    assertError(VIR_ERR_NO_SUPPORT, VIR_FROM_SECRET, NULL);
    virConnectClose(conn);
}


int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    virEventRegisterDefaultImpl();
    virSetErrorFunc(NULL, quietErrors);
    g_test_add_func("/objects/nosupport", testNoSupport);
    g_test_add_func("/objects/handles", testHandles);
    g_test_add_func("/objects/shared", testShared);
    g_test_add_func("/objects/events", testEvents);
    g_test_add_func("/objects/driver-events", testDriverEvents);
    return g_test_run();
}
