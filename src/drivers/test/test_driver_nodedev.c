/* test_driver_nodedev.c: the test driver's node devices (libvirt's test driver defaults), its virNodeDeviceDriver table */

/*
 * Threads: each test driver state (test:///default while a connection is
 * open, as libvirt shares it) has its own list, libvirt's defaults at
 * open; nodedev-create adds a device and nodedev-destroy removes one. The
 * list has its own lock; a create or destroy holds the driver's lock so
 * that two of them cannot interleave.
 */
#define G_LOG_DOMAIN "virtkit.test.nodedev"

#include "driver.h"
#include "node_device_conf.h"
#include "node_device_def.h"
#include "object_event.h"
#include "test_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/* libvirt 9.0's test:///default node devices, as its test driver formats
 * them (recorded with virsh nodedev-dumpxml). */
static const struct {
    const char *name;
    const char *parent;
    const char *cap;
    const char *nested[2]; /* caps a filter also matches */
    const char *xml;
} testNodeDevices[] = {
    { "computer",
      NULL,
      "system",
      { NULL, NULL },
      "<device>\n"
      "  <name>computer</name>\n"
      "  <capability type='system'>\n"
      "    <hardware>\n"
      "      <vendor>Libvirt</vendor>\n"
      "      <version>Test driver</version>\n"
      "      <serial>123456</serial>\n"
      "      <uuid>11111111-2222-3333-4444-555555555555</uuid>\n"
      "    </hardware>\n"
      "    <firmware>\n"
      "      <vendor>Libvirt</vendor>\n"
      "      <version>Test Driver</version>\n"
      "      <release_date>01/22/2007</release_date>\n"
      "    </firmware>\n"
      "  </capability>\n"
      "</device>\n" },
    { "scsi_host1",
      "computer",
      "scsi_host",
      { "fc_host", "vports" },
      "<device>\n"
      "  <name>scsi_host1</name>\n"
      "  <parent>computer</parent>\n"
      "  <capability type='scsi_host'>\n"
      "    <host>1</host>\n"
      "    <unique_id>0</unique_id>\n"
      "    <capability type='fc_host'>\n"
      "      <wwnn>2000000012341234</wwnn>\n"
      "      <wwpn>1000000012341234</wwpn>\n"
      "      <fabric_wwn>2000000043214321</fabric_wwn>\n"
      "    </capability>\n"
      "    <capability type='vport_ops'>\n"
      "      <max_vports>0</max_vports>\n"
      "      <vports>0</vports>\n"
      "    </capability>\n"
      "  </capability>\n"
      "</device>\n" },
    { "scsi_host2",
      "computer",
      "scsi_host",
      { "fc_host", "vports" },
      "<device>\n"
      "  <name>scsi_host2</name>\n"
      "  <parent>computer</parent>\n"
      "  <capability type='scsi_host'>\n"
      "    <host>2</host>\n"
      "    <unique_id>1</unique_id>\n"
      "    <capability type='fc_host'>\n"
      "      <wwnn>2000000056785678</wwnn>\n"
      "      <wwpn>1000000056785678</wwpn>\n"
      "      <fabric_wwn>2000000087658765</fabric_wwn>\n"
      "    </capability>\n"
      "    <capability type='vport_ops'>\n"
      "      <max_vports>0</max_vports>\n"
      "      <vports>0</vports>\n"
      "    </capability>\n"
      "  </capability>\n"
      "</device>\n" },
    { "scsi_host11",
      "scsi_host1",
      "scsi_host",
      { "fc_host", NULL },
      "<device>\n"
      "  <name>scsi_host11</name>\n"
      "  <parent>scsi_host1</parent>\n"
      "  <capability type='scsi_host'>\n"
      "    <host>11</host>\n"
      "    <unique_id>10</unique_id>\n"
      "    <capability type='fc_host'>\n"
      "      <wwnn>2000000034563456</wwnn>\n"
      "      <wwpn>1000000034563456</wwpn>\n"
      "      <fabric_wwn>2000000043214321</fabric_wwn>\n"
      "    </capability>\n"
      "  </capability>\n"
      "</device>\n" },
};

virNodeDeviceObjList *
testNodeDeviceLoadDefault(void)
{
    virNodeDeviceObjList *list = virNodeDeviceObjListNew(VIR_FROM_TEST);

    for (size_t i = 0; i < G_N_ELEMENTS(testNodeDevices); i++) {
        virNodeDeviceObj *obj = virNodeDeviceObjNew(
            testNodeDevices[i].name, testNodeDevices[i].parent, testNodeDevices[i].xml);

        virNodeDeviceObjAddCap(obj, testNodeDevices[i].cap);
        for (size_t j = 0; j < G_N_ELEMENTS(testNodeDevices[i].nested); j++) {
            if (testNodeDevices[i].nested[j])
                virNodeDeviceObjAddMatchCap(obj, testNodeDevices[i].nested[j]);
        }
        virNodeDeviceObjListAdd(list, obj);
    }
    return list;
}

static virNodeDeviceObjList *
testNodeDevs(virConnectPtr conn)
{
    return ((testDriver *)conn->privateData)->nodedevs;
}

static int
testNodeNumOfDevices(virConnectPtr conn, const char *cap, unsigned int flags)
{
    virCheckFlags(0, -1);
    return virNodeDeviceObjListNumOfDevices(testNodeDevs(conn), cap);
}

static int
testNodeListDevices(virConnectPtr conn, const char *cap, char **const names, int maxnames,
                    unsigned int flags)
{
    virCheckFlags(0, -1);
    return virNodeDeviceObjListGetNames(testNodeDevs(conn), cap, names, maxnames);
}

/* every VIR_CONNECT_LIST_NODE_DEVICES_CAP_* bit; libvirt's test driver
 * refuses ACTIVE / INACTIVE (virsh nodedev-list fails there as with it) */
#define TEST_NODEDEV_FILTERS_CAP ((1u << 22) - 1)

static int
testConnectListAllNodeDevices(virConnectPtr conn, virNodeDevicePtr **devices,
                              unsigned int flags)
{
    virCheckFlags(TEST_NODEDEV_FILTERS_CAP, -1);
    return virNodeDeviceObjListExport(conn, testNodeDevs(conn), devices, flags);
}

static virNodeDevicePtr
testNodeDeviceLookupByName(virConnectPtr conn, const char *name)
{
    if (!virNodeDeviceObjListHas(testNodeDevs(conn), name))
        return NULL;
    return virGetNodeDevice(conn, name);
}

static char *
testNodeDeviceGetXMLDesc(virNodeDevicePtr dev, unsigned int flags)
{
    virCheckFlags(0, NULL);
    return virNodeDeviceObjListGetXML(testNodeDevs(dev->conn), dev->name);
}

static char *
testNodeDeviceGetParent(virNodeDevicePtr dev)
{
    return virNodeDeviceObjListGetParent(testNodeDevs(dev->conn), dev->name);
}

static int
testNodeDeviceNumOfCaps(virNodeDevicePtr dev)
{
    return virNodeDeviceObjListNumOfCaps(testNodeDevs(dev->conn), dev->name);
}

static int
testNodeDeviceListCaps(virNodeDevicePtr dev, char **const names, int maxnames)
{
    return virNodeDeviceObjListListCaps(testNodeDevs(dev->conn), dev->name, names,
                                        maxnames);
}

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

/* ---- create / destroy ------------------------------------------------------ */

/*
 * libvirt 9.0's test driver: a vHBA is "created" by copying scsi_host11
 * under the name scsi_host12 with the wwnn/wwpn asked for (the parent is
 * only checked); destroy removes a device whose parent exists, and when
 * the parent does not, returns success with nothing removed and no error
 * (as libvirt's test driver does). Define, undefine and start are not in
 * libvirt's test driver (NO_SUPPORT).
 */
static virNodeDevicePtr
testNodeDeviceCreateXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    testDriver *driver = conn->privateData;
    g_autoptr(virNodeDeviceDef) def = NULL;
    g_autoptr(virNodeDeviceDef) copy = NULL;
    g_autoptr(virNodeDeviceObj) model = NULL;
    g_autofree char *wwnn = NULL;
    g_autofree char *wwpn = NULL;
    g_autofree char *parent = NULL;
    g_autofree char *newXML = NULL;
    virNodeDeviceObj *obj;
    virNodeDevicePtr dev = NULL;

    virCheckFlags(VIR_NODE_DEVICE_CREATE_XML_VALIDATE, NULL);
    if (!(def = virNodeDeviceDefParseString(xml)))
        return NULL;
    g_mutex_lock(&driver->lock);
    if (virNodeDeviceDefGetWWNs(def, false, &wwnn, &wwpn) < 0 ||
        virNodeDeviceDefFindParentHost(driver->nodedevs, def, &parent) < 0)
        goto out;
    /* no scsi_host11 to copy: libvirt fails without saying why */
    if (!(model = virNodeDeviceObjListCopy(driver->nodedevs, "scsi_host11", true)) ||
        virNodeDeviceXMLGetFC(model->xml, &copy) <= 0)
        goto out;
    g_free(copy->name);
    copy->name = g_strdup("scsi_host12");
    g_free(copy->wwnn);
    copy->wwnn = g_strdup(wwnn);
    g_free(copy->wwpn);
    copy->wwpn = g_strdup(wwpn);
    newXML = virNodeDeviceDefFormatSCSIHost(copy);
    obj = virNodeDeviceObjNew(copy->name, model->parent, newXML);
    for (guint i = 0; i < model->caps->len; i++)
        g_ptr_array_add(obj->caps, g_strdup(model->caps->pdata[i]));
    for (guint i = 0; i < model->matchCaps->len; i++)
        g_ptr_array_add(obj->matchCaps, g_strdup(model->matchCaps->pdata[i]));
    virNodeDeviceObjListAdd(driver->nodedevs, obj);
    virObjectEventStateQueue(
        driver->eventState,
        virNodeDeviceEventLifecycleNew("scsi_host12", VIR_NODE_DEVICE_EVENT_CREATED, 0));
    dev = virGetNodeDevice(conn, "scsi_host12");
out:
    g_mutex_unlock(&driver->lock);
    return dev;
}

static int
testNodeDeviceDestroy(virNodeDevicePtr dev)
{
    testDriver *driver = dev->conn->privateData;
    g_autoptr(virNodeDeviceObj) obj = NULL;
    g_autoptr(virNodeDeviceObj) parent = NULL;

    g_mutex_lock(&driver->lock);
    if (!(obj = virNodeDeviceObjListCopy(driver->nodedevs, dev->name, false))) {
        g_mutex_unlock(&driver->lock);
        return -1;
    }
    if (obj->parent &&
        (parent = virNodeDeviceObjListCopy(driver->nodedevs, obj->parent, true))) {
        virObjectEventStateQueue(
            driver->eventState,
            virNodeDeviceEventLifecycleNew(dev->name, VIR_NODE_DEVICE_EVENT_DELETED, 0));
        virNodeDeviceObjListRemove(driver->nodedevs, dev->name);
    }
    g_mutex_unlock(&driver->lock);
    return 0;
}

const virNodeDeviceDriver testNodeDeviceDriver = {
    .name = "Test",
    .nodeNumOfDevices = testNodeNumOfDevices,
    .nodeListDevices = testNodeListDevices,
    .connectListAllNodeDevices = testConnectListAllNodeDevices,
    .nodeDeviceLookupByName = testNodeDeviceLookupByName,
    .nodeDeviceGetXMLDesc = testNodeDeviceGetXMLDesc,
    .nodeDeviceGetParent = testNodeDeviceGetParent,
    .nodeDeviceNumOfCaps = testNodeDeviceNumOfCaps,
    .nodeDeviceListCaps = testNodeDeviceListCaps,
    .connectNodeDeviceEventRegisterAny = testConnectNodeDeviceEventRegisterAny,
    .connectNodeDeviceEventDeregisterAny = testConnectNodeDeviceEventDeregisterAny,
    .nodeDeviceCreateXML = testNodeDeviceCreateXML,
    .nodeDeviceDestroy = testNodeDeviceDestroy,
};
