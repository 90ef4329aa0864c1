/* test_driver_interface.c: the test driver's host interfaces (libvirt's test driver default eth1, define/start/stop, change transactions), its virInterfaceDriver table */

/*
 * Threads: a test driver's interfaces (testDriver.ifaces) and the copy a
 * transaction keeps (ifacesBackup) are read and changed only under
 * testDriver.lock, taken by every entry point below for its whole call.
 */
#define G_LOG_DOMAIN "virtkit.test.interface"

#include <string.h>

#include "driver.h"
#include "interface_conf.h"
#include "test_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

typedef struct {
    virInterfaceDef *def;
    bool active;
} testIface;

static void
testIfaceFree(gpointer p)
{
    testIface *iface = p;

    virInterfaceDefFree(iface->def);
    g_free(iface);
}

/* libvirt 9.0's test:///default interface. */
static const char testDefaultIface[] = "<interface type='ethernet' name='eth1'>\n"
                                       "  <start mode='onboot'/>\n"
                                       "  <mac address='aa:bb:cc:dd:ee:ff'/>\n"
                                       "  <mtu size='1492'/>\n"
                                       "  <protocol family='ipv4'>\n"
                                       "    <ip address='192.168.0.5' prefix='24'/>\n"
                                       "    <route gateway='192.168.0.1'/>\n"
                                       "  </protocol>\n"
                                       "</interface>\n";

void
testInterfaceLoadDefault(testDriver *driver)
{
    testIface *iface = g_new0(testIface, 1);

    driver->ifaces = g_ptr_array_new_with_free_func(testIfaceFree);
    iface->def = virInterfaceDefParseString(testDefaultIface);
    g_assert(iface->def);
    iface->active = true;
    g_ptr_array_add(driver->ifaces, iface);
}

void
testInterfaceFreeAll(testDriver *driver)
{
    g_clear_pointer(&driver->ifaces, g_ptr_array_unref);
    g_clear_pointer(&driver->ifacesBackup, g_ptr_array_unref);
}

/* The MAC a handle carries: an ethernet interface's, else none. */
static const char *
testIfaceMac(const testIface *iface)
{
    return iface->def->mac ? iface->def->mac : "";
}

/* The interface named @name (lock held), or NULL with libvirt's error. */
static testIface *
testIfaceFind(testDriver *driver, const char *name)
{
    for (guint i = 0; i < driver->ifaces->len; i++) {
        testIface *iface = g_ptr_array_index(driver->ifaces, i);

        if (g_str_equal(iface->def->name, name))
            return iface;
    }
    virReportError(VIR_ERR_NO_INTERFACE, "no interface with matching name '%s'", name);
    return NULL;
}

static int
testIfaceCount(virConnectPtr conn, bool active)
{
    testDriver *driver = conn->privateData;
    int n = 0;

    g_mutex_lock(&driver->lock);
    for (guint i = 0; i < driver->ifaces->len; i++)
        n += ((testIface *)g_ptr_array_index(driver->ifaces, i))->active == active;
    g_mutex_unlock(&driver->lock);
    return n;
}

static int
testIfaceNames(virConnectPtr conn, bool active, char **const names, int maxnames)
{
    testDriver *driver = conn->privateData;
    int n = 0;

    g_mutex_lock(&driver->lock);
    for (guint i = 0; i < driver->ifaces->len && n < maxnames; i++) {
        testIface *iface = g_ptr_array_index(driver->ifaces, i);

        if (iface->active == active)
            names[n++] = g_strdup(iface->def->name);
    }
    g_mutex_unlock(&driver->lock);
    return n;
}

static int
testConnectNumOfInterfaces(virConnectPtr conn)
{
    return testIfaceCount(conn, true);
}

static int
testConnectListInterfaces(virConnectPtr conn, char **const names, int maxnames)
{
    return testIfaceNames(conn, true, names, maxnames);
}

static int
testConnectNumOfDefinedInterfaces(virConnectPtr conn)
{
    return testIfaceCount(conn, false);
}

static int
testConnectListDefinedInterfaces(virConnectPtr conn, char **const names, int maxnames)
{
    return testIfaceNames(conn, false, names, maxnames);
}

static int
testConnectListAllInterfaces(virConnectPtr conn, virInterfacePtr **ifaces,
                             unsigned int flags)
{
    testDriver *driver = conn->privateData;
    g_autoptr(GPtrArray) out = g_ptr_array_new();

    virCheckFlags(
        VIR_CONNECT_LIST_INTERFACES_ACTIVE | VIR_CONNECT_LIST_INTERFACES_INACTIVE, -1);
    g_mutex_lock(&driver->lock);
    for (guint i = 0; i < driver->ifaces->len; i++) {
        testIface *iface = g_ptr_array_index(driver->ifaces, i);

        if ((flags & (VIR_CONNECT_LIST_INTERFACES_ACTIVE |
                      VIR_CONNECT_LIST_INTERFACES_INACTIVE)) &&
            !(((flags & VIR_CONNECT_LIST_INTERFACES_ACTIVE) && iface->active) ||
              ((flags & VIR_CONNECT_LIST_INTERFACES_INACTIVE) && !iface->active)))
            continue;
        g_ptr_array_add(
            out,
            ifaces ? virGetInterface(conn, iface->def->name, testIfaceMac(iface)) : NULL);
    }
    g_mutex_unlock(&driver->lock);
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
    testDriver *driver = conn->privateData;
    virInterfacePtr ret = NULL;
    testIface *iface;

    g_mutex_lock(&driver->lock);
    if ((iface = testIfaceFind(driver, name)))
        ret = virGetInterface(conn, iface->def->name, testIfaceMac(iface));
    g_mutex_unlock(&driver->lock);
    return ret;
}

static virInterfacePtr
testInterfaceLookupByMACString(virConnectPtr conn, const char *mac)
{
    testDriver *driver = conn->privateData;
    virInterfacePtr ret = NULL;

    g_mutex_lock(&driver->lock);
    for (guint i = 0; i < driver->ifaces->len && !ret; i++) {
        testIface *iface = g_ptr_array_index(driver->ifaces, i);

        if (iface->def->mac && g_ascii_strcasecmp(iface->def->mac, mac) == 0)
            ret = virGetInterface(conn, iface->def->name, testIfaceMac(iface));
    }
    g_mutex_unlock(&driver->lock);
    if (!ret)
        virReportError(VIR_ERR_NO_INTERFACE, "no interface with matching mac '%s'", mac);
    return ret;
}

static char *
testInterfaceGetXMLDesc(virInterfacePtr iface, unsigned int flags)
{
    testDriver *driver = iface->conn->privateData;
    char *ret = NULL;
    testIface *obj;

    virCheckFlags(0, NULL);
    g_mutex_lock(&driver->lock);
    if ((obj = testIfaceFind(driver, iface->name)))
        ret = virInterfaceDefFormat(obj->def);
    g_mutex_unlock(&driver->lock);
    return ret;
}

static int
testInterfaceIsActive(virInterfacePtr iface)
{
    testDriver *driver = iface->conn->privateData;
    int ret = -1;
    testIface *obj;

    g_mutex_lock(&driver->lock);
    if ((obj = testIfaceFind(driver, iface->name)))
        ret = obj->active;
    g_mutex_unlock(&driver->lock);
    return ret;
}

/* As libvirt's test driver: a definition of a known name replaces the
 * old one (keeping its state); a new one is inactive. The schema check
 * of VIR_INTERFACE_DEFINE_VALIDATE is not made (virtkit has no RNG). */
static virInterfacePtr
testInterfaceDefineXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    testDriver *driver = conn->privateData;
    g_autoptr(virInterfaceDef) def = NULL;
    virInterfacePtr ret;
    testIface *obj = NULL;

    virCheckFlags(VIR_INTERFACE_DEFINE_VALIDATE, NULL);
    if (!(def = virInterfaceDefParseString(xml)))
        return NULL;
    g_mutex_lock(&driver->lock);
    for (guint i = 0; i < driver->ifaces->len && !obj; i++) {
        testIface *cur = g_ptr_array_index(driver->ifaces, i);

        if (g_str_equal(cur->def->name, def->name))
            obj = cur;
    }
    if (obj) {
        virInterfaceDefFree(obj->def);
    } else {
        obj = g_new0(testIface, 1);
        g_ptr_array_add(driver->ifaces, obj);
    }
    obj->def = g_steal_pointer(&def);
    ret = virGetInterface(conn, obj->def->name, testIfaceMac(obj));
    g_mutex_unlock(&driver->lock);
    return ret;
}

static int
testInterfaceUndefine(virInterfacePtr iface)
{
    testDriver *driver = iface->conn->privateData;
    testIface *obj;
    int ret = -1;

    g_mutex_lock(&driver->lock);
    if ((obj = testIfaceFind(driver, iface->name))) {
        g_ptr_array_remove(driver->ifaces, obj);
        ret = 0;
    }
    g_mutex_unlock(&driver->lock);
    return ret;
}

static int
testInterfaceSetActive(virInterfacePtr iface, bool active)
{
    testDriver *driver = iface->conn->privateData;
    testIface *obj;
    int ret = -1;

    g_mutex_lock(&driver->lock);
    if ((obj = testIfaceFind(driver, iface->name))) {
        if (obj->active == active) {
            virReportError(VIR_ERR_OPERATION_INVALID, NULL);
        } else {
            obj->active = active;
            ret = 0;
        }
    }
    g_mutex_unlock(&driver->lock);
    return ret;
}

static int
testInterfaceCreate(virInterfacePtr iface, unsigned int flags)
{
    virCheckFlags(0, -1);
    return testInterfaceSetActive(iface, true);
}

static int
testInterfaceDestroy(virInterfacePtr iface, unsigned int flags)
{
    virCheckFlags(0, -1);
    return testInterfaceSetActive(iface, false);
}

static int
testInterfaceChangeBegin(virConnectPtr conn, unsigned int flags)
{
    testDriver *driver = conn->privateData;
    int ret = -1;

    virCheckFlags(0, -1);
    g_mutex_lock(&driver->lock);
    if (driver->ifacesBackup) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "there is another transaction running.");
    } else {
        driver->ifacesBackup = g_ptr_array_new_with_free_func(testIfaceFree);
        for (guint i = 0; i < driver->ifaces->len; i++) {
            testIface *cur = g_ptr_array_index(driver->ifaces, i);
            testIface *copy = g_new0(testIface, 1);

            copy->def = virInterfaceDefCopy(cur->def);
            g_assert(copy->def);
            /* libvirt copies the definitions only: after a rollback
             * every interface is inactive */
            copy->active = false;
            g_ptr_array_add(driver->ifacesBackup, copy);
        }
        ret = 0;
    }
    g_mutex_unlock(&driver->lock);
    return ret;
}

static int
testInterfaceChangeEnd(virConnectPtr conn, unsigned int flags, bool commit)
{
    testDriver *driver = conn->privateData;
    int ret = -1;

    virCheckFlags(0, -1);
    g_mutex_lock(&driver->lock);
    if (!driver->ifacesBackup) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       commit ? "no transaction running, nothing to be committed."
                              : "no transaction running, nothing to rollback.");
    } else {
        if (!commit) {
            g_ptr_array_unref(driver->ifaces);
            driver->ifaces = g_steal_pointer(&driver->ifacesBackup);
        }
        g_clear_pointer(&driver->ifacesBackup, g_ptr_array_unref);
        ret = 0;
    }
    g_mutex_unlock(&driver->lock);
    return ret;
}

static int
testInterfaceChangeCommit(virConnectPtr conn, unsigned int flags)
{
    return testInterfaceChangeEnd(conn, flags, true);
}

static int
testInterfaceChangeRollback(virConnectPtr conn, unsigned int flags)
{
    return testInterfaceChangeEnd(conn, flags, false);
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
    .interfaceDefineXML = testInterfaceDefineXML,
    .interfaceUndefine = testInterfaceUndefine,
    .interfaceCreate = testInterfaceCreate,
    .interfaceDestroy = testInterfaceDestroy,
    .interfaceChangeBegin = testInterfaceChangeBegin,
    .interfaceChangeCommit = testInterfaceChangeCommit,
    .interfaceChangeRollback = testInterfaceChangeRollback,
};
