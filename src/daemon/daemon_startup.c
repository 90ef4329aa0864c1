/* daemon_startup.c: QEMU driver state for virtkitd and the startup event record
 *
 * Thread protocol: init and cleanup run on the main thread before clients
 * are accepted / after they are gone. The lifecycle callback runs on the
 * main context (the event loop implementation). vkdStartupEventsGet may be
 * called from workers: the record is protected by vkdStartupLock.
 *
 * Why a record: a guest whose QEMU died while the daemon was down is turned
 * SHUTOFF/CRASHED during the driver's reconnect, which runs inside
 * qemuDriverStateInitialize, before any client can be connected (so that
 * no client is ever told the guest runs). The STOPPED event the driver
 * raises then has no listener and is dropped (domain_event.c keeps no
 * events for later listeners). So the daemon:
 *  1. reads the status files before the driver starts (which guests were
 *     running when the last daemon went away);
 *  2. after the driver's initialization, registers its own lifecycle
 *     callback (recording what asynchronous reconnect work raises from
 *     then on) and compares: a guest recorded running that the driver now
 *     reports inactive or gone gets STOPPED with the detail matching the
 *     driver's shutoff reason (FAILED for a crash), unless an event for it
 *     was already recorded;
 *  3. replays that record to every lifecycle callback a client registers
 *     within startupEventKeep seconds after the start, right after the
 *     registration reply. After the window the record is dropped.
 * The driver alone decides what happened to each guest; the daemon only
 * observes the outcome through the public API.
 */
#define G_LOG_DOMAIN "virtkitd.startup"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "daemon_startup.h"
#include "datatypes.h"
#include "domain_status.h"
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

        if (memcmp(ev->uuid, uuid, VIR_UUID_BUFLEN) == 0 &&
            ev->event == event && ev->detail == detail)
            return true;
    }
    return false;
}

static int
vkdStartupOnLifecycle(virConnectPtr conn, virDomainPtr dom, int event,
                      int detail, void *opaque)
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

/* A guest the status files say was running when the last daemon stopped. */
typedef struct {
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    int id;
} vkdStartupPrior;

static void
vkdStartupPriorFree(gpointer p)
{
    vkdStartupPrior *pr = p;

    g_free(pr->name);
    g_free(pr);
}

/* Step 1: read-only scan of the status files (never modified here). */
static GPtrArray *
vkdStartupScanStatus(const char *stateDir)
{
    GPtrArray *prior = g_ptr_array_new_with_free_func(vkdStartupPriorFree);
    g_autoptr(GDir) dir = g_dir_open(stateDir, 0, NULL);
    const char *ent;

    while (dir && (ent = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;
        virDomainObj *obj;
        vkdStartupPrior *pr;

        if (!g_str_has_suffix(ent, ".xml"))
            continue;
        path = g_build_filename(stateDir, ent, NULL);
        if (!(obj = virDomainStatusParseFile(path, NULL))) {
            virResetLastError();
            continue;
        }
        if (obj->state != VIR_DOMAIN_SHUTOFF) {
            pr = g_new0(vkdStartupPrior, 1);
            pr->name = g_strdup(obj->def->name);
            memcpy(pr->uuid, obj->def->uuid, VIR_UUID_BUFLEN);
            pr->id = obj->def->id;
            g_ptr_array_add(prior, pr);
        }
        virDomainObjUnref(obj);
    }
    return prior;
}

static int
vkdStartupStoppedDetail(int reason)
{
    switch (reason) {
    case VIR_DOMAIN_SHUTOFF_SHUTDOWN:
        return VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN;
    case VIR_DOMAIN_SHUTOFF_DESTROYED:
        return VIR_DOMAIN_EVENT_STOPPED_DESTROYED;
    default:
        /* crashed, failed, unknown: the guest died without being asked */
        return VIR_DOMAIN_EVENT_STOPPED_FAILED;
    }
}

static bool
vkdStartupHasEventFor(const unsigned char *uuid)
{
    for (guint i = 0; vkdStartupEvents && i < vkdStartupEvents->len; i++) {
        vkdStartupEvent *ev = g_ptr_array_index(vkdStartupEvents, i);

        if (memcmp(ev->uuid, uuid, VIR_UUID_BUFLEN) == 0)
            return true;
    }
    return false;
}

/* Step 2: guests that were running and are not any more. */
static void
vkdStartupCompare(GPtrArray *prior)
{
    for (guint i = 0; i < prior->len; i++) {
        vkdStartupPrior *pr = g_ptr_array_index(prior, i);
        virDomainPtr dom = virDomainLookupByUUID(vkdStartupConn, pr->uuid);
        int state = VIR_DOMAIN_SHUTOFF, reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
        vkdStartupEvent *ev;

        if (dom) {
            if (virDomainGetState(dom, &state, &reason, 0) < 0)
                state = VIR_DOMAIN_NOSTATE;     /* cannot tell: say nothing */
            virDomainFree(dom);
        } else {
            virResetLastError();
            reason = VIR_DOMAIN_SHUTOFF_FAILED;     /* transient, removed */
        }
        if (state != VIR_DOMAIN_SHUTOFF)
            continue;

        g_mutex_lock(&vkdStartupLock);
        if (vkdStartupEvents && !vkdStartupHasEventFor(pr->uuid)) {
            ev = g_new0(vkdStartupEvent, 1);
            ev->name = g_strdup(pr->name);
            memcpy(ev->uuid, pr->uuid, VIR_UUID_BUFLEN);
            ev->id = -1;
            ev->event = VIR_DOMAIN_EVENT_STOPPED;
            ev->detail = vkdStartupStoppedDetail(reason);
            g_ptr_array_add(vkdStartupEvents, ev);
            g_message("guest '%s' stopped while the daemon was down (shut off, "
                      "reason %d): STOPPED/%d kept for replay", pr->name, reason,
                      ev->detail);
        }
        g_mutex_unlock(&vkdStartupLock);
    }
}

/* Autostart, once per host boot: the marker lives in the runtime
 * directory (tmpfs), next to the status files, at the path the QEMU driver
 * documents for it (qemu_driver.h), so whichever of the driver or the
 * daemon gets there first does it, and only once. Each guest starts on its
 * own thread; all are waited for before clients are accepted, so no client
 * sees a half-started guest. A failure is logged, like libvirt's. */
static gpointer
vkdStartupAutostartOne(gpointer opaque)
{
    virDomainPtr dom = opaque;

    if (virDomainCreate(dom) < 0)
        g_warning("Failed to autostart VM '%s': %s", virDomainGetName(dom),
                  virGetLastErrorMessage());
    else
        g_message("autostarted '%s'", virDomainGetName(dom));
    virDomainFree(dom);
    return NULL;
}

static void
vkdStartupAutostart(const char *qemuState)
{
    g_autofree char *marker = g_build_filename(qemuState, VKD_AUTOSTART_MARKER, NULL);
    g_autoptr(GPtrArray) threads = g_ptr_array_new();
    virDomainPtr *doms = NULL;
    int fd, n;

    fd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno != EEXIST)
            g_warning("cannot create '%s': %s: autostart skipped", marker,
                      g_strerror(errno));
        return;     /* EEXIST: done already during this boot */
    }
    close(fd);

    if ((n = virConnectListAllDomains(vkdStartupConn, &doms,
                                      VIR_CONNECT_LIST_DOMAINS_INACTIVE)) < 0) {
        g_warning("autostart: cannot list domains: %s", virGetLastErrorMessage());
        return;
    }
    for (int i = 0; i < n; i++) {
        int autostart = 0;

        if (virDomainGetAutostart(doms[i], &autostart) == 0 && autostart)
            g_ptr_array_add(threads, g_thread_new("autostart",
                                                  vkdStartupAutostartOne, doms[i]));
        else
            virDomainFree(doms[i]);
    }
    g_free(doms);
    for (guint i = 0; i < threads->len; i++)
        g_thread_join(g_ptr_array_index(threads, i));
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

    g_autoptr(GPtrArray) prior = vkdStartupScanStatus(qemuState);

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
    vkdStartupCompare(prior);
    vkdStartupAutostart(qemuState);
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
