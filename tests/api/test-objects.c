/* test-objects.c: the handles and secondary driver tables of the non-domain object kinds */
#include <string.h>

#include <libvirt/libvirt.h>
#include "datatypes.h"
#include "driver.h"

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
    /* a table without the entry */
    g_assert_nonnull(conn->storageDriver);
    g_assert_null(virStoragePoolLookupByName(conn, "default-pool"));
    assertError(VIR_ERR_NO_SUPPORT, VIR_FROM_STORAGE,
                "this function is not supported by the connection driver: "
                "virStoragePoolLookupByName");
    /* the UUID string is checked first, then the driver */
    g_assert_null(virNetworkLookupByUUIDString(conn, "not-a-uuid"));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_NETWORK, NULL);
    g_assert_null(
        virNetworkLookupByUUIDString(conn, "6695eb01-f6a4-8304-79aa-97f2502e193f"));
    assertError(VIR_ERR_NO_SUPPORT, VIR_FROM_NETWORK,
                "this function is not supported by the connection driver: "
                "virNetworkLookupByUUID");
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


int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    virSetErrorFunc(NULL, quietErrors);
    g_test_add_func("/objects/nosupport", testNoSupport);
    g_test_add_func("/objects/handles", testHandles);
    g_test_add_func("/objects/shared", testShared);
    return g_test_run();
}
