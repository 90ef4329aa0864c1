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
#include "object_event.h"
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

/* ---- events of the other programs -------------------------------------------
 * As for domains (remote_driver.c): one server-side registration per
 * (program, event ID), without a filter, shared by every local callback
 * of that event; the local state filters by object and dispatches from
 * the application's event loop. priv->regLock serializes (de)registration. */

typedef struct {
    int kind;    /* virObjectEventKind */
    int eventID; /* of that kind */
    int regProc; /* CONNECT_*_EVENT_REGISTER_ANY */
    int deregProc;
} remoteObjectEventSlot;

static const remoteObjectEventSlot remoteObjectEventSlots[REMOTE_OBJECT_EVENT_SLOTS] = {
    { VIR_EVENT_KIND_NETWORK, VIR_NETWORK_EVENT_ID_LIFECYCLE,
      REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY,
      REMOTE_PROC_CONNECT_NETWORK_EVENT_DEREGISTER_ANY },
    { VIR_EVENT_KIND_STORAGE_POOL, VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
      REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY,
      REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY },
    { VIR_EVENT_KIND_STORAGE_POOL, VIR_STORAGE_POOL_EVENT_ID_REFRESH,
      REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY,
      REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY },
    { VIR_EVENT_KIND_NODE_DEVICE, VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE,
      REMOTE_PROC_CONNECT_NODE_DEVICE_EVENT_REGISTER_ANY,
      REMOTE_PROC_CONNECT_NODE_DEVICE_EVENT_DEREGISTER_ANY },
    { VIR_EVENT_KIND_NODE_DEVICE, VIR_NODE_DEVICE_EVENT_ID_UPDATE,
      REMOTE_PROC_CONNECT_NODE_DEVICE_EVENT_REGISTER_ANY,
      REMOTE_PROC_CONNECT_NODE_DEVICE_EVENT_DEREGISTER_ANY },
    { VIR_EVENT_KIND_SECRET, VIR_SECRET_EVENT_ID_LIFECYCLE,
      REMOTE_PROC_CONNECT_SECRET_EVENT_REGISTER_ANY,
      REMOTE_PROC_CONNECT_SECRET_EVENT_DEREGISTER_ANY },
    { VIR_EVENT_KIND_SECRET, VIR_SECRET_EVENT_ID_VALUE_CHANGED,
      REMOTE_PROC_CONNECT_SECRET_EVENT_REGISTER_ANY,
      REMOTE_PROC_CONNECT_SECRET_EVENT_DEREGISTER_ANY },
};

/* The slot of (@kind, @eventID), -1 (INVALID_ARG reported) if none. */
static int
remoteObjectEventSlotOf(int kind, int eventID)
{
    for (int i = 0; i < REMOTE_OBJECT_EVENT_SLOTS; i++) {
        if (remoteObjectEventSlots[i].kind == kind &&
            remoteObjectEventSlots[i].eventID == eventID)
            return i;
    }
    virReportError(VIR_ERR_INVALID_ARG, "unknown event id %d", eventID);
    return -1;
}

/* Every REGISTER_ANY of these programs has the layout { eventID: int;
 * obj: KIND? } -> { callbackID: int }, every DEREGISTER_ANY { callbackID:
 * int }: the network ones' types serve for all. */
static int
remoteObjectEventServerAdd(virConnectPtr conn, remotePrivate *priv, int slot)
{
    const remoteObjectEventSlot *s = &remoteObjectEventSlots[slot];
    remote_connect_network_event_register_any_args args = { .eventID = s->eventID };
    remote_connect_network_event_register_any_ret ret = { 0 };

    if (priv->objLocalCount[slot]++ > 0)
        return 0;
    if (remoteCallProgram(conn, REMOTE_PROGRAM, s->regProc,
                          remote_connect_network_event_register_any_args_filter, &args,
                          remote_connect_network_event_register_any_ret_filter,
                          &ret) < 0) {
        priv->objLocalCount[slot]--;
        return -1;
    }
    priv->objRemoteID[slot] = ret.callbackID;
    return 0;
}

static int
remoteObjectEventServerRemove(virConnectPtr conn, remotePrivate *priv, int slot)
{
    const remoteObjectEventSlot *s = &remoteObjectEventSlots[slot];
    remote_connect_network_event_deregister_any_args args = {
        .callbackID = priv->objRemoteID[slot],
    };

    if (priv->objLocalCount[slot] <= 0 || --priv->objLocalCount[slot] > 0)
        return 0;
    return remoteCallProgram(conn, REMOTE_PROGRAM, s->deregProc,
                             remote_connect_network_event_deregister_any_args_filter,
                             &args, NULL, NULL);
}

/* Register locally with @reg (the kind's virXxxEventStateRegisterID
 * applied to @obj/@cb...) once the server side is there. */
typedef int (*remoteObjectEventLocalReg)(virConnectPtr conn, virObjectEventState *state,
                                         void *obj, int eventID, void (*cb)(void),
                                         void *opaque, virFreeCallback freecb);

static int
remoteObjectEventRegister(virConnectPtr conn, int kind, remoteObjectEventLocalReg reg,
                          void *obj, int eventID, void (*cb)(void), void *opaque,
                          virFreeCallback freecb)
{
    remotePrivate *priv = remotePriv(conn);
    int slot;
    int localID = -1;

    g_mutex_lock(&priv->regLock);
    if ((slot = remoteObjectEventSlotOf(kind, eventID)) < 0)
        goto cleanup;
    if (remoteObjectEventServerAdd(conn, priv, slot) < 0)
        goto cleanup;
    if ((localID = reg(conn, priv->events, obj, eventID, cb, opaque, freecb)) < 0) {
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        remoteObjectEventServerRemove(conn, priv, slot);
        virErrorRestore(&saved);
        goto cleanup;
    }
    if (!priv->objLocalToSlot)
        priv->objLocalToSlot = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_hash_table_insert(priv->objLocalToSlot, GINT_TO_POINTER(localID),
                        GINT_TO_POINTER(slot + 1));
cleanup:
    g_mutex_unlock(&priv->regLock);
    return localID;
}

static int
remoteObjectEventDeregister(virConnectPtr conn, int kind, int callbackID)
{
    remotePrivate *priv = remotePriv(conn);
    gpointer value = NULL;
    int rc = -1;
    int slot;

    g_mutex_lock(&priv->regLock);
    if (!priv->objLocalToSlot ||
        !g_hash_table_lookup_extended(priv->objLocalToSlot, GINT_TO_POINTER(callbackID),
                                      NULL, &value) ||
        remoteObjectEventSlots[GPOINTER_TO_INT(value) - 1].kind != kind) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "could not find event callback %d for deletion", callbackID);
        goto cleanup;
    }
    slot = GPOINTER_TO_INT(value) - 1;
    if (virObjectEventStateDeregisterKindID(conn, priv->events, kind, callbackID) < 0)
        goto cleanup;
    g_hash_table_remove(priv->objLocalToSlot, GINT_TO_POINTER(callbackID));
    rc = remoteObjectEventServerRemove(conn, priv, slot);
cleanup:
    g_mutex_unlock(&priv->regLock);
    return rc;
}

static int
remoteNetworkLocalReg(virConnectPtr conn, virObjectEventState *state, void *obj,
                      int eventID, void (*cb)(void), void *opaque, virFreeCallback freecb)
{
    return virNetworkEventStateRegisterID(conn, state, obj, eventID,
                                          (virConnectNetworkEventGenericCallback)cb,
                                          opaque, freecb);
}

static int
remoteStoragePoolLocalReg(virConnectPtr conn, virObjectEventState *state, void *obj,
                          int eventID, void (*cb)(void), void *opaque,
                          virFreeCallback freecb)
{
    return virStoragePoolEventStateRegisterID(
        conn, state, obj, eventID, (virConnectStoragePoolEventGenericCallback)cb, opaque,
        freecb);
}

static int
remoteNodeDeviceLocalReg(virConnectPtr conn, virObjectEventState *state, void *obj,
                         int eventID, void (*cb)(void), void *opaque,
                         virFreeCallback freecb)
{
    return virNodeDeviceEventStateRegisterID(conn, state, obj, eventID,
                                             (virConnectNodeDeviceEventGenericCallback)cb,
                                             opaque, freecb);
}

static int
remoteSecretLocalReg(virConnectPtr conn, virObjectEventState *state, void *obj,
                     int eventID, void (*cb)(void), void *opaque, virFreeCallback freecb)
{
    return virSecretEventStateRegisterID(conn, state, obj, eventID,
                                         (virConnectSecretEventGenericCallback)cb, opaque,
                                         freecb);
}

static int
remoteConnectNetworkEventRegisterAny(virConnectPtr conn, virNetworkPtr net, int eventID,
                                     virConnectNetworkEventGenericCallback cb,
                                     void *opaque, virFreeCallback freecb)
{
    return remoteObjectEventRegister(conn, VIR_EVENT_KIND_NETWORK, remoteNetworkLocalReg,
                                     net, eventID, (void (*)(void))cb, opaque, freecb);
}

static int
remoteConnectNetworkEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    return remoteObjectEventDeregister(conn, VIR_EVENT_KIND_NETWORK, callbackID);
}

static int
remoteConnectStoragePoolEventRegisterAny(virConnectPtr conn, virStoragePoolPtr pool,
                                         int eventID,
                                         virConnectStoragePoolEventGenericCallback cb,
                                         void *opaque, virFreeCallback freecb)
{
    return remoteObjectEventRegister(conn, VIR_EVENT_KIND_STORAGE_POOL,
                                     remoteStoragePoolLocalReg, pool, eventID,
                                     (void (*)(void))cb, opaque, freecb);
}

static int
remoteConnectStoragePoolEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    return remoteObjectEventDeregister(conn, VIR_EVENT_KIND_STORAGE_POOL, callbackID);
}

static int
remoteConnectNodeDeviceEventRegisterAny(virConnectPtr conn, virNodeDevicePtr dev,
                                        int eventID,
                                        virConnectNodeDeviceEventGenericCallback cb,
                                        void *opaque, virFreeCallback freecb)
{
    return remoteObjectEventRegister(conn, VIR_EVENT_KIND_NODE_DEVICE,
                                     remoteNodeDeviceLocalReg, dev, eventID,
                                     (void (*)(void))cb, opaque, freecb);
}

static int
remoteConnectNodeDeviceEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    return remoteObjectEventDeregister(conn, VIR_EVENT_KIND_NODE_DEVICE, callbackID);
}

static int
remoteConnectSecretEventRegisterAny(virConnectPtr conn, virSecretPtr secret, int eventID,
                                    virConnectSecretEventGenericCallback cb, void *opaque,
                                    virFreeCallback freecb)
{
    return remoteObjectEventRegister(conn, VIR_EVENT_KIND_SECRET, remoteSecretLocalReg,
                                     secret, eventID, (void (*)(void))cb, opaque, freecb);
}

static int
remoteConnectSecretEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    return remoteObjectEventDeregister(conn, VIR_EVENT_KIND_SECRET, callbackID);
}

/* Decode @msg into @ev (of @p's layout); false with @why on failure. */
#define REMOTE_DECODE(ev) virNetMessageDecodePayload(msg, p->argsFilter, &(ev), why)

bool
remoteObjectEvent(remotePrivate *priv, virNetMessage *msg, const remoteProcedure *p,
                  const char **why)
{
    virObjectEvent *event = NULL;

    switch (msg->header.proc) {
    case REMOTE_PROC_NETWORK_EVENT_LIFECYCLE: {
        remote_network_event_lifecycle_msg ev = { 0 };
        if (!REMOTE_DECODE(ev))
            return false;
        event =
            virNetworkEventLifecycleNew(ev.net.name, ev.net.uuid, ev.event, ev.detail);
        virXdrFree(p->argsFilter, &ev);
        break;
    }
    case REMOTE_PROC_STORAGE_POOL_EVENT_LIFECYCLE: {
        remote_storage_pool_event_lifecycle_msg ev = { 0 };
        if (!REMOTE_DECODE(ev))
            return false;
        event = virStoragePoolEventLifecycleNew(ev.pool.name, ev.pool.uuid, ev.event,
                                                ev.detail);
        virXdrFree(p->argsFilter, &ev);
        break;
    }
    case REMOTE_PROC_STORAGE_POOL_EVENT_REFRESH: {
        remote_storage_pool_event_refresh_msg ev = { 0 };
        if (!REMOTE_DECODE(ev))
            return false;
        event = virStoragePoolEventRefreshNew(ev.pool.name, ev.pool.uuid);
        virXdrFree(p->argsFilter, &ev);
        break;
    }
    case REMOTE_PROC_NODE_DEVICE_EVENT_LIFECYCLE: {
        remote_node_device_event_lifecycle_msg ev = { 0 };
        if (!REMOTE_DECODE(ev))
            return false;
        event = virNodeDeviceEventLifecycleNew(ev.dev.name, ev.event, ev.detail);
        virXdrFree(p->argsFilter, &ev);
        break;
    }
    case REMOTE_PROC_NODE_DEVICE_EVENT_UPDATE: {
        remote_node_device_event_update_msg ev = { 0 };
        if (!REMOTE_DECODE(ev))
            return false;
        event = virNodeDeviceEventUpdateNew(ev.dev.name);
        virXdrFree(p->argsFilter, &ev);
        break;
    }
    case REMOTE_PROC_SECRET_EVENT_LIFECYCLE: {
        remote_secret_event_lifecycle_msg ev = { 0 };
        if (!REMOTE_DECODE(ev))
            return false;
        event = virSecretEventLifecycleNew(ev.secret.uuid, ev.secret.usageType,
                                           ev.secret.usageID, ev.event, ev.detail);
        virXdrFree(p->argsFilter, &ev);
        break;
    }
    case REMOTE_PROC_SECRET_EVENT_VALUE_CHANGED: {
        remote_secret_event_value_changed_msg ev = { 0 };
        if (!REMOTE_DECODE(ev))
            return false;
        event = virSecretEventValueChangedNew(ev.secret.uuid, ev.secret.usageType,
                                              ev.secret.usageID);
        virXdrFree(p->argsFilter, &ev);
        break;
    }
    default:
        return false;
    }
    virObjectEventStateQueue(priv->events, event);
    return true;
}

/* ---- storage: the entry points whose wire form is not mechanical -------- */

static int
remoteStoragePoolGetInfo(virStoragePoolPtr pool, virStoragePoolInfoPtr info)
{
    remote_storage_pool_get_info_args args = { 0 };
    remote_storage_pool_get_info_ret ret = { 0 };

    remoteMakeStoragePool(&args.pool, pool);
    if (remoteCallStoragePoolGetInfo(pool->conn, &args, &ret) < 0)
        return -1;
    info->state = ret.state;
    info->capacity = ret.capacity;
    info->allocation = ret.allocation;
    info->available = ret.available;
    return 0;
}

static int
remoteStorageVolGetInfo(virStorageVolPtr vol, virStorageVolInfoPtr info)
{
    remote_storage_vol_get_info_args args = { 0 };
    remote_storage_vol_get_info_ret ret = { 0 };

    remoteMakeStorageVol(&args.vol, vol);
    if (remoteCallStorageVolGetInfo(vol->conn, &args, &ret) < 0)
        return -1;
    info->type = ret.type;
    info->capacity = ret.capacity;
    info->allocation = ret.allocation;
    return 0;
}

static int
remoteStorageVolGetInfoFlags(virStorageVolPtr vol, virStorageVolInfoPtr info,
                             unsigned int flags)
{
    remote_storage_vol_get_info_flags_args args = { .flags = flags };
    remote_storage_vol_get_info_flags_ret ret = { 0 };

    remoteMakeStorageVol(&args.vol, vol);
    if (remoteCallStorageVolGetInfoFlags(vol->conn, &args, &ret) < 0)
        return -1;
    info->type = ret.type;
    info->capacity = ret.capacity;
    info->allocation = ret.allocation;
    return 0;
}

static virStorageVolPtr
remoteStorageVolCreateXMLFrom(virStoragePoolPtr pool, const char *xml,
                              virStorageVolPtr clonevol, unsigned int flags)
{
    remote_storage_vol_create_xml_from_args args = { .xml = (char *)xml, .flags = flags };
    remote_storage_vol_create_xml_from_ret ret = { 0 };
    virStorageVolPtr vol;

    remoteMakeStoragePool(&args.pool, pool);
    remoteMakeStorageVol(&args.clonevol, clonevol);
    if (remoteCallStorageVolCreateXMLFrom(pool->conn, &args, &ret) < 0)
        return NULL;
    vol = remoteGetStorageVol(pool->conn, &ret.vol);
    virXdrFree(remote_storage_vol_create_xml_from_ret_filter, &ret);
    return vol;
}

static int
remoteStorageVolUpload(virStorageVolPtr vol, virStreamPtr st, unsigned long long offset,
                       unsigned long long length, unsigned int flags)
{
    remote_storage_vol_upload_args args = { .offset = offset,
                                            .length = length,
                                            .flags = flags };

    remoteMakeStorageVol(&args.vol, vol);
    return remoteStreamOpen(vol->conn, st, REMOTE_PROGRAM, REMOTE_PROC_STORAGE_VOL_UPLOAD,
                            (virXdrFilter)remote_storage_vol_upload_args_filter, &args,
                            NULL, NULL, flags & VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM);
}

static int
remoteStorageVolDownload(virStorageVolPtr vol, virStreamPtr st, unsigned long long offset,
                         unsigned long long length, unsigned int flags)
{
    remote_storage_vol_download_args args = { .offset = offset,
                                              .length = length,
                                              .flags = flags };

    remoteMakeStorageVol(&args.vol, vol);
    return remoteStreamOpen(vol->conn, st, REMOTE_PROGRAM,
                            REMOTE_PROC_STORAGE_VOL_DOWNLOAD,
                            (virXdrFilter)remote_storage_vol_download_args_filter, &args,
                            NULL, NULL, flags & VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM);
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
    .connectNetworkEventRegisterAny = remoteConnectNetworkEventRegisterAny,
    .connectNetworkEventDeregisterAny = remoteConnectNetworkEventDeregisterAny,
    .networkCreateXML = remoteNetworkCreateXML,
    .networkCreateXMLFlags = remoteNetworkCreateXMLFlags,
    .networkDefineXML = remoteNetworkDefineXML,
    .networkDefineXMLFlags = remoteNetworkDefineXMLFlags,
    .networkUndefine = remoteNetworkUndefine,
    .networkUpdate = remoteNetworkUpdate,
    .networkCreate = remoteNetworkCreate,
    .networkDestroy = remoteNetworkDestroy,
    .networkGetBridgeName = remoteNetworkGetBridgeName,
    .networkGetAutostart = remoteNetworkGetAutostart,
    .networkSetAutostart = remoteNetworkSetAutostart,
    .networkIsActive = remoteNetworkIsActive,
    .networkIsPersistent = remoteNetworkIsPersistent,
    .networkGetDHCPLeases = remoteNetworkGetDHCPLeases,
    .networkListAllPorts = remoteNetworkListAllPorts,
    .networkPortLookupByUUID = remoteNetworkPortLookupByUUID,
    .networkPortCreateXML = remoteNetworkPortCreateXML,
    .networkPortGetXMLDesc = remoteNetworkPortGetXMLDesc,
    .networkPortGetParameters = remoteNetworkPortGetParameters,
    .networkPortSetParameters = remoteNetworkPortSetParameters,
    .networkPortDelete = remoteNetworkPortDelete,
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
    .connectStoragePoolEventRegisterAny = remoteConnectStoragePoolEventRegisterAny,
    .connectStoragePoolEventDeregisterAny = remoteConnectStoragePoolEventDeregisterAny,
    /* storage engineer's block */
    .connectFindStoragePoolSources = remoteConnectFindStoragePoolSources,
    .storagePoolLookupByVolume = remoteStoragePoolLookupByVolume,
    .storagePoolLookupByTargetPath = remoteStoragePoolLookupByTargetPath,
    .connectGetStoragePoolCapabilities = remoteConnectGetStoragePoolCapabilities,
    .storagePoolCreateXML = remoteStoragePoolCreateXML,
    .storagePoolDefineXML = remoteStoragePoolDefineXML,
    .storagePoolBuild = remoteStoragePoolBuild,
    .storagePoolUndefine = remoteStoragePoolUndefine,
    .storagePoolCreate = remoteStoragePoolCreate,
    .storagePoolDestroy = remoteStoragePoolDestroy,
    .storagePoolDelete = remoteStoragePoolDelete,
    .storagePoolRefresh = remoteStoragePoolRefresh,
    .storagePoolGetInfo = remoteStoragePoolGetInfo,
    .storagePoolGetAutostart = remoteStoragePoolGetAutostart,
    .storagePoolSetAutostart = remoteStoragePoolSetAutostart,
    .storagePoolNumOfVolumes = remoteStoragePoolNumOfVolumes,
    .storagePoolListVolumes = remoteStoragePoolListVolumes,
    .storagePoolListAllVolumes = remoteStoragePoolListAllVolumes,
    .storagePoolIsActive = remoteStoragePoolIsActive,
    .storagePoolIsPersistent = remoteStoragePoolIsPersistent,
    .storageVolLookupByName = remoteStorageVolLookupByName,
    .storageVolLookupByKey = remoteStorageVolLookupByKey,
    .storageVolLookupByPath = remoteStorageVolLookupByPath,
    .storageVolCreateXML = remoteStorageVolCreateXML,
    .storageVolCreateXMLFrom = remoteStorageVolCreateXMLFrom,
    .storageVolDelete = remoteStorageVolDelete,
    .storageVolWipe = remoteStorageVolWipe,
    .storageVolWipePattern = remoteStorageVolWipePattern,
    .storageVolGetInfo = remoteStorageVolGetInfo,
    .storageVolGetInfoFlags = remoteStorageVolGetInfoFlags,
    .storageVolGetXMLDesc = remoteStorageVolGetXMLDesc,
    .storageVolGetPath = remoteStorageVolGetPath,
    .storageVolResize = remoteStorageVolResize,
    .storageVolUpload = remoteStorageVolUpload,
    .storageVolDownload = remoteStorageVolDownload,
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
    .nodeDeviceIsActive = remoteNodeDeviceIsActive,
    .nodeDeviceIsPersistent = remoteNodeDeviceIsPersistent,
    .nodeDeviceGetAutostart = remoteNodeDeviceGetAutostart,
    .nodeDeviceCreateXML = remoteNodeDeviceCreateXML,
    .nodeDeviceDestroy = remoteNodeDeviceDestroy,
    .nodeDeviceDefineXML = remoteNodeDeviceDefineXML,
    .nodeDeviceUndefine = remoteNodeDeviceUndefine,
    .nodeDeviceCreate = remoteNodeDeviceCreate,
    .nodeDeviceSetAutostart = remoteNodeDeviceSetAutostart,
    .connectNodeDeviceEventRegisterAny = remoteConnectNodeDeviceEventRegisterAny,
    .connectNodeDeviceEventDeregisterAny = remoteConnectNodeDeviceEventDeregisterAny,
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
    .connectSecretEventRegisterAny = remoteConnectSecretEventRegisterAny,
    .connectSecretEventDeregisterAny = remoteConnectSecretEventDeregisterAny,
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
    .interfaceIsActive = remoteInterfaceIsActive,
    .interfaceDefineXML = remoteInterfaceDefineXML,
    .interfaceUndefine = remoteInterfaceUndefine,
    .interfaceCreate = remoteInterfaceCreate,
    .interfaceDestroy = remoteInterfaceDestroy,
    .interfaceChangeBegin = remoteInterfaceChangeBegin,
    .interfaceChangeCommit = remoteInterfaceChangeCommit,
    .interfaceChangeRollback = remoteInterfaceChangeRollback,
};

const virNWFilterDriver remoteNWFilterDriver = {
    .name = "remote",
    .connectNumOfNWFilters = remoteConnectNumOfNWFilters,
    .connectListNWFilters = remoteConnectListNWFilters,
    .connectListAllNWFilters = remoteConnectListAllNWFilters,
    .nwfilterLookupByName = remoteNWFilterLookupByName,
    .nwfilterLookupByUUID = remoteNWFilterLookupByUUID,
    .nwfilterGetXMLDesc = remoteNWFilterGetXMLDesc,
    .nwfilterDefineXML = remoteNWFilterDefineXML,
    .nwfilterDefineXMLFlags = remoteNWFilterDefineXMLFlags,
    .nwfilterUndefine = remoteNWFilterUndefine,
    .connectListAllNWFilterBindings = remoteConnectListAllNWFilterBindings,
    .nwfilterBindingLookupByPortDev = remoteNWFilterBindingLookupByPortDev,
    .nwfilterBindingGetXMLDesc = remoteNWFilterBindingGetXMLDesc,
    .nwfilterBindingCreateXML = remoteNWFilterBindingCreateXML,
    .nwfilterBindingDelete = remoteNWFilterBindingDelete,
};
