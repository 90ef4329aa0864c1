/* daemon_startup.c: QEMU driver state for virtkitd and the startup event record
 *
 * Thread protocol: init and cleanup run on the main thread before clients
 * are accepted / after they are gone. The lifecycle callback runs on the
 * main context (the event loop implementation). vkdStartupEventsGet may be
 * called from workers: the record is protected by vkdStartupLock.
 *
 * Why a record: a guest whose QEMU died while the daemon was down is turned
 * SHUTOFF/CRASHED with a STOPPED/FAILED event during the driver's
 * reconnect, which runs before any client can be connected (no client may
 * see the guest "running"). Those events would reach nobody. So the daemon
 * holds its own connection from the moment the driver state exists,
 * records the lifecycle events raised during startup, and replays them to
 * every lifecycle callback a client registers within startupEventKeep
 * seconds after the start (right after the registration reply, before any
 * live event). After the window the record is dropped.
 */
#define G_LOG_DOMAIN "virtkitd.startup"
#include <string.h>

#include "daemon_startup.h"
#include "qemu_driver.h"

static GMutex vkdStartupLock;
static GPtrArray *vkdStartupEvents;     /* vkdStartupEvent *; NULL once expired */
static bool vkdStartupRecording;
static virConnectPtr vkdStartupConn;
static int vkdStartupCallback = -1;
static guint vkdStartupExpireTimer;
static bool vkdStartupDriverUp;

static void
vkdStartupEventFree(gpointer p)
{
    vkdStartupEvent *ev = p;

    g_free(ev->name);
    g_free(ev);
}

static int
vkdStartupOnLifecycle(virConnectPtr conn, virDomainPtr dom, int event,
                      int detail, void *opaque)
{
    vkdStartupEvent *ev;

    g_mutex_lock(&vkdStartupLock);
    if (vkdStartupEvents && vkdStartupRecording) {
        ev = g_new0(vkdStartupEvent, 1);
        ev->name = g_strdup(virDomainGetName(dom));
        virDomainGetUUID(dom, ev->uuid);
        ev->id = (int)virDomainGetID(dom);
        ev->event = event;
        ev->detail = detail;
        g_ptr_array_add(vkdStartupEvents, ev);
        g_message("startup event for '%s': %d/%d (kept for replay)",
                  ev->name, event, detail);
    }
    g_mutex_unlock(&vkdStartupLock);
    return 0;
}

static gboolean
vkdStartupExpire(gpointer opaque)
{
    g_mutex_lock(&vkdStartupLock);
    g_clear_pointer(&vkdStartupEvents, g_ptr_array_unref);
    g_mutex_unlock(&vkdStartupLock);
    vkdStartupExpireTimer = 0;
    return G_SOURCE_REMOVE;
}

/* Recording stops once the event loop has dispatched what the driver
 * queued during initialization: everything after that is live and reaches
 * registered clients directly. */
static gboolean
vkdStartupStopRecording(gpointer opaque)
{
    g_mutex_lock(&vkdStartupLock);
    vkdStartupRecording = false;
    g_mutex_unlock(&vkdStartupLock);
    return G_SOURCE_REMOVE;
}

int
vkdStartupInitDrivers(const vkdConfig *cfg, GError **error)
{
    g_autofree char *qemuState = g_build_filename(cfg->runtimeDir, "qemu", NULL);
    g_autofree char *qemuLib = g_build_filename(cfg->stateDir, "qemu", NULL);
    qemuDriverPaths paths = {
        .configDir = cfg->configDir,
        .stateDir = qemuState,
        .libDir = qemuLib,
        .logDir = cfg->logDir,
        .cacheDir = cfg->cacheDir,
    };
    const char *uri = cfg->privileged ? "qemu:///system" : "qemu:///session";

    g_mutex_lock(&vkdStartupLock);
    vkdStartupEvents = g_ptr_array_new_with_free_func(vkdStartupEventFree);
    vkdStartupRecording = true;
    g_mutex_unlock(&vkdStartupLock);

    if (qemuDriverStateInitialize(&paths, cfg->privileged) < 0) {
        const virError *e = virGetLastError();
        g_set_error(error, VKD_ERROR, 0,
                    "cannot initialize the QEMU driver: %s",
                    e && e->message ? e->message : "unknown error");
        return -1;
    }
    vkdStartupDriverUp = true;

    if (!(vkdStartupConn = virConnectOpen(uri))) {
        const virError *e = virGetLastError();
        g_set_error(error, VKD_ERROR, 0,
                    "cannot open '%s': %s", uri,
                    e && e->message ? e->message : "unknown error");
        return -1;
    }
    vkdStartupCallback =
        virConnectDomainEventRegisterAny(vkdStartupConn, NULL,
                                         VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                         (virConnectDomainEventGenericCallback)(void (*)(void))vkdStartupOnLifecycle,
                                         NULL, NULL);
    if (vkdStartupCallback < 0) {
        const virError *e = virGetLastError();
        g_warning("startup events will not be replayed: %s",
                  e && e->message ? e->message : "unknown error");
    }
    /* Low priority: runs after the event timer has dispatched the queue. */
    g_idle_add_full(G_PRIORITY_LOW, vkdStartupStopRecording, NULL, NULL);
    vkdStartupExpireTimer = g_timeout_add_seconds(MAX(cfg->startupEventKeep, 1),
                                                  vkdStartupExpire, NULL);
    return 0;
}

void
vkdStartupCleanupDrivers(void)
{
    if (vkdStartupExpireTimer) {
        g_source_remove(vkdStartupExpireTimer);
        vkdStartupExpireTimer = 0;
    }
    if (vkdStartupConn) {
        if (vkdStartupCallback >= 0)
            virConnectDomainEventDeregisterAny(vkdStartupConn, vkdStartupCallback);
        virConnectClose(vkdStartupConn);
        vkdStartupConn = NULL;
    }
    g_mutex_lock(&vkdStartupLock);
    g_clear_pointer(&vkdStartupEvents, g_ptr_array_unref);
    g_mutex_unlock(&vkdStartupLock);
    if (vkdStartupDriverUp) {
        qemuDriverStateCleanup();
        vkdStartupDriverUp = false;
    }
}

int
vkdStartupCountActive(void)
{
    if (!vkdStartupConn)
        return -1;
    return virConnectNumOfDomains(vkdStartupConn);
}

GPtrArray *
vkdStartupEventsGet(void)
{
    GPtrArray *copy = g_ptr_array_new_with_free_func(vkdStartupEventFree);

    g_mutex_lock(&vkdStartupLock);
    for (guint i = 0; vkdStartupEvents && i < vkdStartupEvents->len; i++) {
        vkdStartupEvent *src = g_ptr_array_index(vkdStartupEvents, i);
        vkdStartupEvent *ev = g_memdup2(src, sizeof(*src));

        ev->name = g_strdup(src->name);
        g_ptr_array_add(copy, ev);
    }
    g_mutex_unlock(&vkdStartupLock);
    return copy;
}
