/* vksh-objevent.c: net-event, pool-event, nodedev-event and secret-event, one engine for the object kinds' event commands, as virsh 9.0 */
#define G_LOG_DOMAIN "vksh.objevent"

#include <stdio.h>
#include <string.h>

#include "vksh.h"
#include "vksh-storage.h"

/* Every message and layout below is virsh 9.0's, byte for byte. */

typedef struct _vkshObjEventKind vkshObjEventKind;

typedef struct {
    vkshControl *ctl;
    const vkshObjEventKind *kind;
    int eventId;
    bool loop;
    bool timestamp;
    int count;
    vkshEventWait wait;
} vkshObjEventData;

/* What differs between the kinds. */
struct _vkshObjEventKind {
    const char *noun;             /* in "event 'X' for <noun> <name>" */
    const char *opt;              /* the filter option */
    const char *const *ids;       /* event IDs' names, NULL-terminated */
    const char *const *lifecycle; /* lifecycle event words, NULL-terminated */
    /* the object the filter option names (a new handle), NULL if not given
     * or not found; *@stop set when the command must end (virsh goes on
     * with every object after some failed lookups, and stops after others) */
    void *(*lookup)(vkshControl *ctl, const vkshCmd *cmd, bool *stop);
    void (*freeObj)(void *obj);
    /* registration of event @id for @obj (NULL: all) with the kind's
     * callback for it; the ID, or -1 */
    int (*reg)(virConnectPtr conn, void *obj, int id, vkshObjEventData *data);
    int (*dereg)(virConnectPtr conn, int callbackID);
};

static void
vkshObjEventPrint(vkshObjEventData *data, const char *name, int event)
{
    const vkshObjEventKind *kind = data->kind;
    g_autofree char *stamp = NULL;
    g_autofree char *what = NULL;

    if (data->wait.done || (!data->loop && data->count))
        return;
    if (data->timestamp) {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc();
        g_autofree char *t = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");

        stamp =
            g_strdup_printf("%s.%03d+0000: ", t, g_date_time_get_microsecond(now) / 1000);
    }
    if (event >= 0) {
        const char *word = "unknown";

        for (int i = 0; kind->lifecycle[i]; i++)
            if (i == event)
                word = kind->lifecycle[i];
        what = g_strdup_printf(": %s", word);
    }
    vkshPrint(data->ctl, "%sevent '%s' for %s %s%s\n", stamp ? stamp : "",
              kind->ids[data->eventId], kind->noun, name, what ? what : "");
    fflush(stdout);
    data->count++;
    if (!data->loop)
        data->wait.done = true;
}

/* ---- the kinds ----------------------------------------------------------- */

/* A secret's name in its events: its UUID (the event loop is one thread). */
static const char *
vkshSecretEventName(virSecretPtr secret)
{
    static char buf[VIR_UUID_STRING_BUFLEN];

    return virSecretGetUUIDString(secret, buf) < 0 ? "" : buf;
}

/* The typed callbacks of a kind: @Obj its handle type, @getName how its
 * name is printed. */
#define VKSH_OBJ_EVENT_CALLBACKS(prefix, Obj, getName)                                   \
    static void prefix##Lifecycle(virConnectPtr conn, Obj obj, int event, int detail,    \
                                  void *opaque)                                          \
    {                                                                                    \
        vkshObjEventPrint(opaque, getName(obj), event);                                  \
    }                                                                                    \
    G_GNUC_UNUSED static void prefix##Generic(virConnectPtr conn, Obj obj, void *opaque) \
    {                                                                                    \
        vkshObjEventPrint(opaque, getName(obj), -1);                                     \
    }

VKSH_OBJ_EVENT_CALLBACKS(vkshNetEvent, virNetworkPtr, virNetworkGetName)
VKSH_OBJ_EVENT_CALLBACKS(vkshPoolEvent, virStoragePoolPtr, virStoragePoolGetName)
VKSH_OBJ_EVENT_CALLBACKS(vkshNodedevEvent, virNodeDevicePtr, virNodeDeviceGetName)
VKSH_OBJ_EVENT_CALLBACKS(vkshSecretEvent, virSecretPtr, vkshSecretEventName)

static int
vkshNetEventReg(virConnectPtr conn, void *obj, int id, vkshObjEventData *data)
{
    return virConnectNetworkEventRegisterAny(
        conn, obj, id, VIR_NETWORK_EVENT_CALLBACK((void (*)(void))vkshNetEventLifecycle),
        data, NULL);
}

static int
vkshPoolEventReg(virConnectPtr conn, void *obj, int id, vkshObjEventData *data)
{
    return virConnectStoragePoolEventRegisterAny(
        conn, obj, id,
        id == VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE
            ? VIR_STORAGE_POOL_EVENT_CALLBACK((void (*)(void))vkshPoolEventLifecycle)
            : VIR_STORAGE_POOL_EVENT_CALLBACK(vkshPoolEventGeneric),
        data, NULL);
}

static int
vkshNodedevEventReg(virConnectPtr conn, void *obj, int id, vkshObjEventData *data)
{
    return virConnectNodeDeviceEventRegisterAny(
        conn, obj, id,
        id == VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE
            ? VIR_NODE_DEVICE_EVENT_CALLBACK((void (*)(void))vkshNodedevEventLifecycle)
            : VIR_NODE_DEVICE_EVENT_CALLBACK(vkshNodedevEventGeneric),
        data, NULL);
}

static int
vkshSecretEventReg(virConnectPtr conn, void *obj, int id, vkshObjEventData *data)
{
    return virConnectSecretEventRegisterAny(
        conn, obj, id,
        id == VIR_SECRET_EVENT_ID_LIFECYCLE
            ? VIR_SECRET_EVENT_CALLBACK((void (*)(void))vkshSecretEventLifecycle)
            : VIR_SECRET_EVENT_CALLBACK(vkshSecretEventGeneric),
        data, NULL);
}

/* net-event: the network by UUID or name; the command ends when it is not
 * found. */
static void *
vkshNetEventLookup(vkshControl *ctl, const vkshCmd *cmd, bool *stop)
{
    const char *n = NULL;
    virNetworkPtr net = NULL;

    if (!vkshOptRaw(cmd, "network"))
        return NULL;
    if (vkshOptString(ctl, cmd, "network", &n) <= 0) {
        *stop = true;
        return NULL;
    }
    if (strlen(n) == VIR_UUID_STRING_BUFLEN - 1)
        net = virNetworkLookupByUUIDString(ctl->conn, n);
    if (!net)
        net = virNetworkLookupByName(ctl->conn, n);
    if (!net) {
        vkshError(ctl, "failed to get network '%s'", n);
        *stop = true;
    }
    return net;
}

/* pool-event: virsh 9.0 reports a pool it cannot find, then waits for the
 * events of every pool. */
static void *
vkshPoolEventLookup(vkshControl *ctl, const vkshCmd *cmd, bool *stop)
{
    virStoragePoolPtr pool;

    if (!vkshOptRaw(cmd, "pool"))
        return NULL;
    pool = vkshCommandOptPoolBy(ctl, cmd, "pool", NULL);
    vkshResetError();
    return pool;
}

/* nodedev-event: "Could not find matching device", then the library's
 * reason; the command ends. */
static void *
vkshNodedevEventLookup(vkshControl *ctl, const vkshCmd *cmd, bool *stop)
{
    const char *n = NULL;
    virNodeDevicePtr dev;

    if (!vkshOptRaw(cmd, "device"))
        return NULL;
    if (vkshOptString(ctl, cmd, "device", &n) <= 0) {
        *stop = true;
        return NULL;
    }
    if (!(dev = virNodeDeviceLookupByName(ctl->conn, n))) {
        vkshError(ctl, "Could not find matching device '%s'", n);
        *stop = true;
    }
    return dev;
}

/* secret-event: as pool-event, a secret not found is reported and the
 * events of every secret are waited for. */
static void *
vkshSecretEventLookup(vkshControl *ctl, const vkshCmd *cmd, bool *stop)
{
    const char *uuid = NULL;
    virSecretPtr secret = NULL;

    if (!vkshOptRaw(cmd, "secret"))
        return NULL;
    if (vkshOptString(ctl, cmd, "secret", &uuid) <= 0) {
        *stop = true;
        return NULL;
    }
    if (!(secret = virSecretLookupByUUIDString(ctl->conn, uuid)))
        vkshError(ctl, "failed to get secret '%s'", uuid);
    vkshResetError();
    return secret;
}

static void
vkshNetFree(void *obj)
{
    virNetworkFree(obj);
}

static void
vkshPoolFree(void *obj)
{
    virStoragePoolFree(obj);
}

static void
vkshNodedevFree(void *obj)
{
    virNodeDeviceFree(obj);
}

static void
vkshSecretFree(void *obj)
{
    virSecretFree(obj);
}

const char *
vkshWordAt(const char *const *words, int i)
{
    for (int k = 0; words[k]; k++) {
        if (k == i)
            return words[k];
    }
    return NULL;
}

static const char *const lifecycleOnly[] = { "lifecycle", NULL };
const char *const vkshNetEventWords[] = { "Defined", "Undefined", "Started", "Stopped",
                                          NULL };
const char *const vkshPoolEventIds[] = { "lifecycle", "refresh", NULL };
const char *const vkshPoolEventWords[] = { "Defined", "Undefined", "Started", "Stopped",
                                           "Created", "Deleted",   NULL };
static const char *const nodedevIds[] = { "lifecycle", "update", NULL };
static const char *const nodedevWords[] = { "Created", "Deleted", "Defined", "Undefined",
                                            NULL };
static const char *const secretIds[] = { "lifecycle", "value-changed", NULL };
static const char *const secretWords[] = { "Defined", "Undefined", NULL };

static const vkshObjEventKind netKind = {
    .noun = "network",
    .opt = "network",
    .ids = lifecycleOnly,
    .lifecycle = vkshNetEventWords,
    .lookup = vkshNetEventLookup,
    .freeObj = vkshNetFree,
    .reg = vkshNetEventReg,
    .dereg = virConnectNetworkEventDeregisterAny,
};
static const vkshObjEventKind poolKind = {
    .noun = "storage pool",
    .opt = "pool",
    .ids = vkshPoolEventIds,
    .lifecycle = vkshPoolEventWords,
    .lookup = vkshPoolEventLookup,
    .freeObj = vkshPoolFree,
    .reg = vkshPoolEventReg,
    .dereg = virConnectStoragePoolEventDeregisterAny,
};
static const vkshObjEventKind nodedevKind = {
    .noun = "node device",
    .opt = "device",
    .ids = nodedevIds,
    .lifecycle = nodedevWords,
    .lookup = vkshNodedevEventLookup,
    .freeObj = vkshNodedevFree,
    .reg = vkshNodedevEventReg,
    .dereg = virConnectNodeDeviceEventDeregisterAny,
};
static const vkshObjEventKind secretKind = {
    .noun = "secret",
    .opt = "secret",
    .ids = secretIds,
    .lifecycle = secretWords,
    .lookup = vkshSecretEventLookup,
    .freeObj = vkshSecretFree,
    .reg = vkshSecretEventReg,
    .dereg = virConnectSecretEventDeregisterAny,
};

/* ---- the command ----------------------------------------------------------- */

/* As virsh's <kind>-event; Ctrl-C ends the wait, not vksh. */
static bool
vkshObjEventRun(vkshControl *ctl, const vkshCmd *cmd, const vkshObjEventKind *kind)
{
    vkshObjEventData data = { .ctl = ctl, .kind = kind };
    const char *eventName = NULL;
    void *obj = NULL;
    bool stop = false;
    int timeout = 0;
    int cb = -1;

    if (vkshOptBool(cmd, "list")) {
        for (int i = 0; kind->ids[i]; i++)
            vkshPrint(ctl, "%s\n", kind->ids[i]);
        return true;
    }
    if (vkshOptString(ctl, cmd, "event", &eventName) < 0)
        return false;
    if (!eventName) {
        vkshError(ctl, "%s", "either --list or --event <type> is required");
        return false;
    }
    for (data.eventId = 0; kind->ids[data.eventId]; data.eventId++)
        if (strcmp(eventName, kind->ids[data.eventId]) == 0)
            break;
    if (!kind->ids[data.eventId]) {
        vkshError(ctl, "unknown event type %s", eventName);
        return false;
    }
    data.loop = vkshOptBool(cmd, "loop");
    data.timestamp = vkshOptBool(cmd, "timestamp");
    if (vkshEventWaitTimeoutOpt(ctl, cmd, &timeout) < 0)
        return false;
    obj = kind->lookup(ctl, cmd, &stop);
    if (stop)
        return false;
    if ((cb = kind->reg(ctl->conn, obj, data.eventId, &data)) < 0)
        goto cleanup;
    if (!vkshEventWaitRun(ctl, &data.wait, timeout))
        goto cleanup;
    vkshPrint(ctl, "events received: %d\n", data.count);

cleanup:
    if (cb >= 0)
        kind->dereg(ctl->conn, cb);
    if (obj)
        kind->freeObj(obj);
    return data.count > 0;
}

#define VKSH_OBJ_EVENT_OPTS(name, opt, help)                                       \
    const vkshOptDef name[] = {                                                    \
        { opt, VKSH_OT_STRING, 0, help },                                          \
        { "event", VKSH_OT_STRING, 0, "which event type to wait for" },            \
        { "loop", VKSH_OT_BOOL, 0,                                                 \
          "loop until timeout or interrupt, rather than one-shot" },               \
        { "timeout", VKSH_OT_INT, 0, "timeout seconds" },                          \
        { "list", VKSH_OT_BOOL, 0, "list valid event types" },                     \
        { "timestamp", VKSH_OT_BOOL, 0, "show timestamp for each printed event" }, \
        { NULL, 0, 0, NULL },                                                      \
    };

VKSH_OBJ_EVENT_OPTS(vkshOptsNetEvent, "network", "filter by network name or uuid")
VKSH_OBJ_EVENT_OPTS(vkshOptsPoolEvent, "pool", "filter by storage pool name or uuid")
VKSH_OBJ_EVENT_OPTS(vkshOptsNodedevEvent, "device", "filter by node device name")
VKSH_OBJ_EVENT_OPTS(vkshOptsSecretEvent, "secret", "filter by secret name or uuid")

bool
vkshCmdNetEvent(vkshControl *ctl, const vkshCmd *cmd)
{
    return vkshObjEventRun(ctl, cmd, &netKind);
}

bool
vkshCmdPoolEvent(vkshControl *ctl, const vkshCmd *cmd)
{
    return vkshObjEventRun(ctl, cmd, &poolKind);
}

bool
vkshCmdNodedevEvent(vkshControl *ctl, const vkshCmd *cmd)
{
    return vkshObjEventRun(ctl, cmd, &nodedevKind);
}

bool
vkshCmdSecretEvent(vkshControl *ctl, const vkshCmd *cmd)
{
    return vkshObjEventRun(ctl, cmd, &secretKind);
}
