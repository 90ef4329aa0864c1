/* daemon_startup.c: the drivers virtkitd hosts (state-driver table), and the startup event record
 *
 * Thread protocol: init and cleanup run on the main thread before clients
 * are accepted / after they are gone. The lifecycle callback runs on the
 * main context (the event loop implementation). vkdStartupEventsGet may be
 * called from workers: the record is protected by vkdStartupLock.
 *
 * The daemon knows its drivers only through their virStateDriver tables
 * (driver-state.h): initialize all, autostart all, clean up all in
 * reverse order. It reads no driver's files.
 *
 * Why a record: a guest whose QEMU died while the daemon was down is turned
 * SHUTOFF/CRASHED during the driver's reconnect, inside stateInitialize,
 * before any client can be connected (so that no client is ever told the
 * guest runs). The driver keeps every event of its start for the first
 * callback registered (keep mode, domain_event.h), and that first callback
 * is the daemon's own, registered right after the drivers start. So the
 * daemon:
 *  1. records what that callback receives until the event loop has
 *     dispatched the start's events (and what asynchronous reconnect work
 *     raises meanwhile);
 *  2. replays that record to every lifecycle callback a client registers
 *     within startupEventKeep seconds after the start, right after the
 *     registration reply. After the window the record is dropped.
 * The driver alone decides what happened to each guest; the daemon only
 * passes on what it was told.
 */
#define G_LOG_DOMAIN "virtkitd.startup"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "daemon_startup.h"
#include "datatypes.h"
#include "driver-state.h"
#include "host_driver.h"
#include "nwfilter_driver.h"
#include "qemu_driver.h"
#include "bridge_driver.h"
#include "storage_driver.h"

/* The drivers this daemon hosts, in start order (storage and networks
 * will come before the hypervisor that uses them). */
static const virStateDriver *const vkdStateDrivers[] = {
    &networkStateDriver, /* networks up before the guests that use them */
    &hostStateDriver,    /* secrets, node devices, ...: before the guests that use them */
    &nwfilterStateDriver, /* network filter definitions */
    &storageStateDriver,  /* pools up before the guests that use them */
    &qemuStateDriver,
};

static GMutex vkdStartupLock;
static GPtrArray *vkdStartupEvents; /* vkdStartupEvent *; NULL once expired */
static bool vkdStartupRecording;
static virConnectPtr vkdStartupConn;
static int vkdStartupCallback = -1;
static guint vkdStartupExpireTimer;
static size_t vkdStartupDriversUp; /* how many of vkdStateDrivers */

static void
vkdStartupEventFree(gpointer p)
{
    vkdStartupEvent *ev = p;

    g_free(ev->name);
    g_free(ev);
}

/* An identical event already recorded (the comparison after the driver's
 * initialization may have found what the driver's own event says).
 * vkdStartupLock held. */
static bool
vkdStartupHasEvent(virDomainPtr dom, int event, int detail)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    virDomainGetUUID(dom, uuid);
    for (guint i = 0; i < vkdStartupEvents->len; i++) {
        vkdStartupEvent *ev = g_ptr_array_index(vkdStartupEvents, i);

        if (memcmp(ev->uuid, uuid, VIR_UUID_BUFLEN) == 0 && ev->event == event &&
            ev->detail == detail)
            return true;
    }
    return false;
}

static int
vkdStartupOnLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                      void *opaque)
{
    vkdStartupEvent *ev;

    g_mutex_lock(&vkdStartupLock);
    if (vkdStartupEvents && vkdStartupRecording &&
        !vkdStartupHasEvent(dom, event, detail)) {
        ev = g_new0(vkdStartupEvent, 1);
        ev->name = g_strdup(virDomainGetName(dom));
        virDomainGetUUID(dom, ev->uuid);
        ev->id = (int)virDomainGetID(dom);
        ev->event = event;
        ev->detail = detail;
        g_ptr_array_add(vkdStartupEvents, ev);
        g_message("startup event for '%s': %d/%d (kept for replay)", ev->name, event,
                  detail);
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

/* Autostart's report: failures are logged as libvirt logs them. */
static void
vkdStartupAutostartReport(const char *driver, const char *name, const virError *error,
                          void *opaque)
{
    if (!error)
        g_message("autostarted '%s'", name);
    else if (name)
        g_warning("Failed to autostart VM '%s': %s", name,
                  error->message ? error->message : "unknown error");
    else
        g_warning("%s driver: autostart: %s", driver,
                  error->message ? error->message : "unknown error");
}

int
vkdStartupInitDrivers(const vkdConfig *cfg, GError **error)
{
    virStateDriverRoots roots = {
        .privileged = cfg->privileged,
        .configDir = cfg->configDir,
        .stateDir = cfg->stateDir,
        .runtimeDir = cfg->runtimeDir,
        .logDir = cfg->logDir,
        .cacheDir = cfg->cacheDir,
    };
    const char *uri = cfg->privileged ? "qemu:///system" : "qemu:///session";

    g_mutex_lock(&vkdStartupLock);
    vkdStartupEvents = g_ptr_array_new_with_free_func(vkdStartupEventFree);
    vkdStartupRecording = true;
    g_mutex_unlock(&vkdStartupLock);

    for (size_t i = 0; i < G_N_ELEMENTS(vkdStateDrivers); i++) {
        if (vkdStateDrivers[i]->stateInitialize(&roots) < 0) {
            const virError *e = virGetLastError();
            g_set_error(error, VKD_ERROR, 0, "cannot initialize the %s driver: %s",
                        vkdStateDrivers[i]->name,
                        e && e->message ? e->message : "unknown error");
            return -1;
        }
        vkdStartupDriversUp = i + 1;
    }

    if (!(vkdStartupConn = virConnectOpen(uri))) {
        const virError *e = virGetLastError();
        g_set_error(error, VKD_ERROR, 0, "cannot open '%s': %s", uri,
                    e && e->message ? e->message : "unknown error");
        return -1;
    }
    /* The first listener: gets what the drivers kept from their start. */
    vkdStartupCallback = virConnectDomainEventRegisterAny(
        vkdStartupConn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        (virConnectDomainEventGenericCallback)(void (*)(void))vkdStartupOnLifecycle, NULL,
        NULL);
    if (vkdStartupCallback < 0) {
        const virError *e = virGetLastError();
        g_warning("startup events will not be replayed: %s",
                  e && e->message ? e->message : "unknown error");
    }
    /* Each guest started or failed before clients are accepted: no client
     * sees a half-started guest. */
    for (size_t i = 0; i < vkdStartupDriversUp; i++) {
        if (vkdStateDrivers[i]->stateAutostart)
            vkdStateDrivers[i]->stateAutostart(vkdStartupAutostartReport, NULL);
    }
    /* Low priority: runs after the event timer has dispatched the queue. */
    g_idle_add_full(G_PRIORITY_LOW, vkdStartupStopRecording, NULL, NULL);
    vkdStartupExpireTimer =
        g_timeout_add_seconds(MAX(cfg->startupEventKeep, 1), vkdStartupExpire, NULL);
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
    while (vkdStartupDriversUp > 0) {
        vkdStartupDriversUp--;
        vkdStateDrivers[vkdStartupDriversUp]->stateCleanup();
    }
}

virConnectPtr
vkdStartupGetConn(void)
{
    return vkdStartupConn;
}

int
vkdStartupCountActive(void)
{
    int count = 0;

    for (size_t i = 0; i < vkdStartupDriversUp; i++) {
        if (vkdStateDrivers[i]->stateActiveCount)
            count += vkdStateDrivers[i]->stateActiveCount();
    }
    return count;
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
