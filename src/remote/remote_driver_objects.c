/* remote_driver_objects.c: the remote driver's tables for networks, storage, node devices, secrets, interfaces, nwfilters */
/*
 * Threads: as remote_driver_domain.c, each entry point is one blocking call
 * from the API thread. Almost every entry is generated from protocol.vkp
 * (gen=both: remote_client.c); the few whose wire form is not mechanical
 * are written here.
 */
#define G_LOG_DOMAIN "virtkit.remote"
#include <string.h>

#include "driver.h"
#include "remote_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

/* ---- hand-written entry points ------------------------------------------- */

static char *
remoteNodeDeviceGetParent(virNodeDevicePtr dev)
{
    remote_node_device_get_parent_args args = { .name = dev->name };
    remote_node_device_get_parent_ret ret = { 0 };
    char *parent;

    if (remoteCallNodeDeviceGetParent(dev->conn, &args, &ret) < 0)
        return NULL;
    if (!ret.parentName) {
        /* what libvirt's node device driver says of a device without one */
        virReportErrorFull(VIR_FROM_NODEDEV, VIR_ERR_INTERNAL_ERROR, __func__, "%s",
                           "no parent for this device");
        return NULL;
    }
    parent = g_steal_pointer(&ret.parentName);
    virXdrFree(remote_node_device_get_parent_ret_filter, &ret);
    return parent;
}

static int
remoteSecretSetValue(virSecretPtr secret, const unsigned char *value, size_t value_size,
                     unsigned int flags)
{
    remote_secret_set_value_args args = { .flags = flags };

    if (value_size > REMOTE_SECRET_VALUE_MAX) {
        virReportError(VIR_ERR_RPC, "secret value of %zu bytes exceeds the limit %d",
                       value_size, REMOTE_SECRET_VALUE_MAX);
        return -1;
    }
    remoteMakeSecret(&args.secret, secret);
    args.value_len = value_size;
    args.value_val = (uint8_t *)value;
    return remoteCallSecretSetValue(secret->conn, &args);
}

static unsigned char *
remoteSecretGetValue(virSecretPtr secret, size_t *value_size, unsigned int flags)
{
    remote_secret_get_value_args args = { .flags = flags };
    remote_secret_get_value_ret ret = { 0 };
    unsigned char *value;

    remoteMakeSecret(&args.secret, secret);
    if (remoteCallSecretGetValue(secret->conn, &args, &ret) < 0)
        return NULL;
    *value_size = ret.value_len;
    /* never NULL on success, even for an empty value */
    value = g_malloc0(ret.value_len + 1);
    if (ret.value_len)
        memcpy(value, ret.value_val, ret.value_len);
    virXdrFree(remote_secret_get_value_ret_filter, &ret);
    return value;
}

/* ---- the tables ------------------------------------------------------------ */

const virNetworkDriver remoteNetworkDriver = {
    .name = "remote",
    .connectNumOfNetworks = remoteConnectNumOfNetworks,
    .connectListNetworks = remoteConnectListNetworks,
    .connectNumOfDefinedNetworks = remoteConnectNumOfDefinedNetworks,
    .connectListDefinedNetworks = remoteConnectListDefinedNetworks,
    .connectListAllNetworks = remoteConnectListAllNetworks,
    .networkLookupByUUID = remoteNetworkLookupByUUID,
    .networkLookupByName = remoteNetworkLookupByName,
    .networkGetXMLDesc = remoteNetworkGetXMLDesc,
};

const virStorageDriver remoteStorageDriver = {
    .name = "remote",
    .connectNumOfStoragePools = remoteConnectNumOfStoragePools,
    .connectListStoragePools = remoteConnectListStoragePools,
    .connectNumOfDefinedStoragePools = remoteConnectNumOfDefinedStoragePools,
    .connectListDefinedStoragePools = remoteConnectListDefinedStoragePools,
    .connectListAllStoragePools = remoteConnectListAllStoragePools,
    .storagePoolLookupByName = remoteStoragePoolLookupByName,
    .storagePoolLookupByUUID = remoteStoragePoolLookupByUUID,
    .storagePoolGetXMLDesc = remoteStoragePoolGetXMLDesc,
};

const virNodeDeviceDriver remoteNodeDeviceDriver = {
    .name = "remote",
    .nodeNumOfDevices = remoteNodeNumOfDevices,
    .nodeListDevices = remoteNodeListDevices,
    .connectListAllNodeDevices = remoteConnectListAllNodeDevices,
    .nodeDeviceLookupByName = remoteNodeDeviceLookupByName,
    .nodeDeviceGetXMLDesc = remoteNodeDeviceGetXMLDesc,
    .nodeDeviceGetParent = remoteNodeDeviceGetParent,
    .nodeDeviceNumOfCaps = remoteNodeDeviceNumOfCaps,
    .nodeDeviceListCaps = remoteNodeDeviceListCaps,
};

const virSecretDriver remoteSecretDriver = {
    .name = "remote",
    .connectNumOfSecrets = remoteConnectNumOfSecrets,
    .connectListSecrets = remoteConnectListSecrets,
    .connectListAllSecrets = remoteConnectListAllSecrets,
    .secretLookupByUUID = remoteSecretLookupByUUID,
    .secretLookupByUsage = remoteSecretLookupByUsage,
    .secretDefineXML = remoteSecretDefineXML,
    .secretGetXMLDesc = remoteSecretGetXMLDesc,
    .secretSetValue = remoteSecretSetValue,
    .secretGetValue = remoteSecretGetValue,
    .secretUndefine = remoteSecretUndefine,
};

const virInterfaceDriver remoteInterfaceDriver = {
    .name = "remote",
    .connectNumOfInterfaces = remoteConnectNumOfInterfaces,
    .connectListInterfaces = remoteConnectListInterfaces,
    .connectNumOfDefinedInterfaces = remoteConnectNumOfDefinedInterfaces,
    .connectListDefinedInterfaces = remoteConnectListDefinedInterfaces,
    .connectListAllInterfaces = remoteConnectListAllInterfaces,
    .interfaceLookupByName = remoteInterfaceLookupByName,
    .interfaceLookupByMACString = remoteInterfaceLookupByMACString,
    .interfaceGetXMLDesc = remoteInterfaceGetXMLDesc,
};

const virNWFilterDriver remoteNWFilterDriver = {
    .name = "remote",
    .connectNumOfNWFilters = remoteConnectNumOfNWFilters,
    .connectListNWFilters = remoteConnectListNWFilters,
    .connectListAllNWFilters = remoteConnectListAllNWFilters,
    .nwfilterLookupByName = remoteNWFilterLookupByName,
    .nwfilterLookupByUUID = remoteNWFilterLookupByUUID,
    .nwfilterGetXMLDesc = remoteNWFilterGetXMLDesc,
};
