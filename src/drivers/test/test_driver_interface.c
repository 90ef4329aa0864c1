/* test_driver_interface.c: the test driver's host interfaces (libvirt's test driver default eth1), its virInterfaceDriver table */

/*
 * Threads: the interfaces are the same for every test connection and never
 * change here (no iface-define), so they are constants.
 */
#define G_LOG_DOMAIN "virtkit.test.interface"

#include <string.h>

#include "driver.h"
#include "test_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/* libvirt 9.0's test:///default interface, as its test driver formats it. */
static const struct {
    const char *name;
    const char *mac;
    bool active;
    const char *xml;
} testInterfaces[] = {
    { "eth1", "aa:bb:cc:dd:ee:ff", true,
      "<interface type='ethernet' name='eth1'>\n"
      "  <start mode='onboot'/>\n"
      "  <mtu size='1492'/>\n"
      "  <protocol family='ipv4'>\n"
      "    <ip address='192.168.0.5' prefix='24'/>\n"
      "    <route gateway='192.168.0.1'/>\n"
      "  </protocol>\n"
      "  <mac address='aa:bb:cc:dd:ee:ff'/>\n"
      "</interface>\n" },
};

static int
testIfaceFind(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(testInterfaces); i++) {
        if (g_str_equal(testInterfaces[i].name, name))
            return i;
    }
    virReportError(VIR_ERR_NO_INTERFACE, "no interface with matching name '%s'", name);
    return -1;
}

static int
testIfaceCount(bool active)
{
    int n = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(testInterfaces); i++)
        n += testInterfaces[i].active == active;
    return n;
}

static int
testIfaceNames(bool active, char **const names, int maxnames)
{
    int n = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(testInterfaces) && n < maxnames; i++) {
        if (testInterfaces[i].active == active)
            names[n++] = g_strdup(testInterfaces[i].name);
    }
    return n;
}

static int
testConnectNumOfInterfaces(virConnectPtr conn)
{
    return testIfaceCount(true);
}

static int
testConnectListInterfaces(virConnectPtr conn, char **const names, int maxnames)
{
    return testIfaceNames(true, names, maxnames);
}

static int
testConnectNumOfDefinedInterfaces(virConnectPtr conn)
{
    return testIfaceCount(false);
}

static int
testConnectListDefinedInterfaces(virConnectPtr conn, char **const names, int maxnames)
{
    return testIfaceNames(false, names, maxnames);
}

static int
testConnectListAllInterfaces(virConnectPtr conn, virInterfacePtr **ifaces,
                             unsigned int flags)
{
    g_autoptr(GPtrArray) out = g_ptr_array_new();

    virCheckFlags(
        VIR_CONNECT_LIST_INTERFACES_ACTIVE | VIR_CONNECT_LIST_INTERFACES_INACTIVE, -1);
    for (size_t i = 0; i < G_N_ELEMENTS(testInterfaces); i++) {
        bool active = testInterfaces[i].active;

        if ((flags & (VIR_CONNECT_LIST_INTERFACES_ACTIVE |
                      VIR_CONNECT_LIST_INTERFACES_INACTIVE)) &&
            !(((flags & VIR_CONNECT_LIST_INTERFACES_ACTIVE) && active) ||
              ((flags & VIR_CONNECT_LIST_INTERFACES_INACTIVE) && !active)))
            continue;
        g_ptr_array_add(out, ifaces ? virGetInterface(conn, testInterfaces[i].name,
                                                      testInterfaces[i].mac)
                                    : NULL);
    }
    if (ifaces) {
        int n = out->len;

        g_ptr_array_add(out, NULL);
        *ifaces = (virInterfacePtr *)g_ptr_array_steal(out, NULL);
        return n;
    }
    return out->len;
}

static virInterfacePtr
testInterfaceLookupByName(virConnectPtr conn, const char *name)
{
    int i = testIfaceFind(name);

    return i < 0 ? NULL
                 : virGetInterface(conn, testInterfaces[i].name, testInterfaces[i].mac);
}

static virInterfacePtr
testInterfaceLookupByMACString(virConnectPtr conn, const char *mac)
{
    for (size_t i = 0; i < G_N_ELEMENTS(testInterfaces); i++) {
        if (g_ascii_strcasecmp(testInterfaces[i].mac, mac) == 0)
            return virGetInterface(conn, testInterfaces[i].name, testInterfaces[i].mac);
    }
    virReportError(VIR_ERR_NO_INTERFACE, "no interface with matching mac '%s'", mac);
    return NULL;
}

static char *
testInterfaceGetXMLDesc(virInterfacePtr iface, unsigned int flags)
{
    int i;

    virCheckFlags(0, NULL);
    if ((i = testIfaceFind(iface->name)) < 0)
        return NULL;
    return g_strdup(testInterfaces[i].xml);
}

static int
testInterfaceIsActive(virInterfacePtr iface)
{
    int i = testIfaceFind(iface->name);

    return i < 0 ? -1 : testInterfaces[i].active;
}

const virInterfaceDriver testInterfaceDriver = {
    .name = "Test",
    .connectNumOfInterfaces = testConnectNumOfInterfaces,
    .connectListInterfaces = testConnectListInterfaces,
    .connectNumOfDefinedInterfaces = testConnectNumOfDefinedInterfaces,
    .connectListDefinedInterfaces = testConnectListDefinedInterfaces,
    .connectListAllInterfaces = testConnectListAllInterfaces,
    .interfaceLookupByName = testInterfaceLookupByName,
    .interfaceLookupByMACString = testInterfaceLookupByMACString,
    .interfaceGetXMLDesc = testInterfaceGetXMLDesc,
    .interfaceIsActive = testInterfaceIsActive,
};
