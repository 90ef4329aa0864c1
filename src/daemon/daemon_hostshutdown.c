/* daemon_hostshutdown.c: host shutdown: each running guest's host-shutdown action, and the restore of saved guests at the next start */

/*
 * Threads: vkdHostShutdownRun runs on the main thread once the main loop
 * has stopped (no client is served any more). For each priority level it
 * starts up to cfg->hostShutdownParallel threads ("vkd-hostdown") that take
 * the level's guests one by one from a shared index and handle each
 * through the public API on the daemon's own connection; the main thread
 * waits on hs.cond until the level is done or the total deadline passed.
 * Everything shared (the index, counts, the saved names) is under hs.lock;
 * a run is reference counted so that a thread still busy past the deadline
 * (a save stuck on a hung QEMU) frees nothing the main thread has freed.
 * vkdHostShutdownRestore runs on the main thread at start, before clients.
 */
#define G_LOG_DOMAIN "virtkitd.hostshutdown"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <virtkit/virtkit.h>

#include "daemon_hostshutdown.h"
#include "domain_conf.h"
#include "domain_event.h"
#include "domain_stop_policy.h"
#include "virerror.h"
#include "virfile.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

#define VKD_HOST_SHUTDOWN_SAVED "host-shutdown-saved"
/* Each guest's ladder ends by the total deadline; a call may take a moment
 * more to finish (QEMU reaped, status written): waited for this long. */
#define VKD_HOST_SHUTDOWN_GRACE_US (5 * G_USEC_PER_SEC)

typedef struct {
    virDomainPtr dom;
    char *name;
    int action; /* virDomainHostShutdownAction */
    int priority;
    unsigned int deadlineSec; /* the definition's stop deadline, 0 if none */
    unsigned int parallel;    /* the definition's cap for its level, 0 if none */
} vkdHostGuest;

typedef struct {
    gint refs;
    GMutex lock;
    GCond cond;
    GPtrArray *guests; /* vkdHostGuest *, sorted */
    guint next;        /* next index to take in [levelStart, levelEnd) */
    guint levelEnd;
    guint busy;       /* threads working on this level */
    gint64 end;       /* monotonic deadline of the whole shutdown */
    GPtrArray *saved; /* char *: names saved */
} vkdHostRun;

static void
vkdHostGuestFree(gpointer p)
{
    vkdHostGuest *g = p;

    if (!g)
        return;
    if (g->dom)
        virDomainFree(g->dom);
    g_free(g->name);
    g_free(g);
}

static void
vkdHostRunUnref(vkdHostRun *run)
{
    if (!g_atomic_int_dec_and_test(&run->refs))
        return;
    g_ptr_array_unref(run->guests);
    g_ptr_array_unref(run->saved);
    g_mutex_clear(&run->lock);
    g_cond_clear(&run->cond);
    g_free(run);
}

bool
vkdHostShutdownWanted(const vkdConfig *cfg)
{
    g_autofree char *out = NULL;
    /* bounded: systemd is busy at shutdown */
    const char *argv[] = { "timeout", "5", "systemctl", "is-system-running", NULL };

    if (cfg->guestsOnStop == VKD_GUESTS_ON_STOP_HOST_SHUTDOWN)
        return true;
    if (cfg->guestsOnStop == VKD_GUESTS_ON_STOP_KEEP || !cfg->privileged ||
        access("/run/systemd/system", F_OK) < 0)
        return false;
    /* systemd's manager state is "stopping" once shutdown.target is queued */
    if (!g_spawn_sync(NULL, (char **)argv, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                      NULL, NULL, NULL) ||
        !out)
        return false;
    return g_str_has_prefix(out, "stopping");
}

static unsigned int
vkdHostLeftMs(const vkdHostRun *run)
{
    gint64 left = (run->end - g_get_monotonic_time()) / 1000;

    return left > 0 ? (unsigned int)MIN(left, G_MAXUINT) : 0;
}

/* The guest's stop ladder, within what is left of the deadline. 0 or -1. */
static int
vkdHostStopGuest(vkdHostRun *run, vkdHostGuest *g, const char **how)
{
    vkStopReport report = { 0 };
    unsigned int left = vkdHostLeftMs(run);
    unsigned int deadline = left;

    if (g->deadlineSec > 0)
        deadline = MIN(deadline, g->deadlineSec * 1000);
    if (deadline == 0) {
        virReportError(VIR_ERR_OPERATION_TIMEOUT, "%s",
                       "the host shutdown's deadline has passed");
        return -1;
    }
    if (vkDomainStop(g->dom, deadline, VK_STOP_USE_DEFINITION, &report) < 0)
        return -1;
    *how = vkStopStepName(report.ended_by);
    return 0;
}

static void
vkdHostHandle(vkdHostRun *run, vkdHostGuest *g)
{
    gint64 t0 = g_get_monotonic_time();
    const char *action = virDomainHostShutdownActionToString(g->action);
    const char *how = NULL;
    bool saved = false;
    int rc = -1;

    switch (g->action) {
    case VIR_DOMAIN_HOST_SHUTDOWN_SAVE:
        rc = virDomainManagedSave(g->dom, 0);
        if (rc == 0) {
            saved = true;
            how = "managed save";
            break;
        }
        g_warning("host shutdown: cannot save '%s' (%s): stopping it instead", g->name,
                  virGetLastErrorMessage());
        virResetLastError();
        rc = vkdHostStopGuest(run, g, &how);
        break;
    case VIR_DOMAIN_HOST_SHUTDOWN_SHUTDOWN:
        rc = vkdHostStopGuest(run, g, &how);
        break;
    case VIR_DOMAIN_HOST_SHUTDOWN_DESTROY:
        rc = virDomainDestroy(g->dom);
        how = "destroy";
        break;
    default:
        return;
    }
    if (rc < 0) {
        g_warning("host shutdown: '%s' (%s) still running after %lld ms: %s", g->name,
                  action, (long long)(g_get_monotonic_time() - t0) / 1000,
                  virGetLastErrorMessage());
        virResetLastError();
        return;
    }
    g_message("host shutdown: '%s' (%s, priority %d) done in %lld ms: %s", g->name,
              action, g->priority, (long long)(g_get_monotonic_time() - t0) / 1000, how);
    if (saved) {
        g_mutex_lock(&run->lock);
        g_ptr_array_add(run->saved, g_strdup(g->name));
        g_mutex_unlock(&run->lock);
    }
}

static gpointer
vkdHostThread(gpointer opaque)
{
    vkdHostRun *run = opaque;

    virObjectEventSetRequestor("host");
    g_mutex_lock(&run->lock);
    while (run->next < run->levelEnd && vkdHostLeftMs(run) > 0) {
        vkdHostGuest *g = g_ptr_array_index(run->guests, run->next++);

        g_mutex_unlock(&run->lock);
        vkdHostHandle(run, g);
        g_mutex_lock(&run->lock);
    }
    run->busy--;
    g_cond_broadcast(&run->cond);
    g_mutex_unlock(&run->lock);
    virObjectEventSetRequestor(NULL);
    vkdHostRunUnref(run);
    return NULL;
}

static gint
vkdHostGuestCompare(gconstpointer a, gconstpointer b)
{
    const vkdHostGuest *x = *(vkdHostGuest *const *)a;
    const vkdHostGuest *y = *(vkdHostGuest *const *)b;

    if (x->priority != y->priority)
        return x->priority > y->priority ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* The running guests with an action other than none, sorted. */
static GPtrArray *
vkdHostCollect(virConnectPtr conn)
{
    GPtrArray *guests = g_ptr_array_new_with_free_func(vkdHostGuestFree);
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, VIR_CONNECT_LIST_DOMAINS_ACTIVE);

    if (n < 0) {
        g_warning("host shutdown: cannot list the running guests: %s",
                  virGetLastErrorMessage());
        virResetLastError();
        return guests;
    }
    for (int i = 0; i < n; i++) {
        g_autofree char *xml = virDomainGetXMLDesc(doms[i], 0);
        g_autoptr(virDomainDef) def = xml ? virDomainDefParseString(xml, 0) : NULL;
        virDomainStopPolicy pol;
        vkdHostGuest *g;

        if (!def || virDomainStopPolicyFromDef(def, &pol) < 0) {
            g_warning("host shutdown: no policy for '%s' (%s): left running",
                      virDomainGetName(doms[i]), virGetLastErrorMessage());
            virResetLastError();
            virDomainFree(doms[i]);
            continue;
        }
        if (pol.hostShutdown == VIR_DOMAIN_HOST_SHUTDOWN_UNSET ||
            pol.hostShutdown == VIR_DOMAIN_HOST_SHUTDOWN_NONE) {
            g_message("host shutdown: '%s' left running (action none)", def->name);
            virDomainFree(doms[i]);
            continue;
        }
        g = g_new0(vkdHostGuest, 1);
        g->dom = doms[i];
        g->name = g_strdup(def->name);
        g->action = pol.hostShutdown;
        g->priority = pol.hasPriority ? pol.priority : 0;
        g->deadlineSec = pol.deadlineSec > 0 ? (unsigned int)pol.deadlineSec : 0;
        g->parallel =
            pol.hostShutdownParallel > 0 ? (unsigned int)pol.hostShutdownParallel : 0;
        g_ptr_array_add(guests, g);
    }
    g_free(doms);
    g_ptr_array_sort(guests, vkdHostGuestCompare);
    return guests;
}

static void
vkdHostWriteSaved(const vkdConfig *cfg, GPtrArray *saved)
{
    g_autofree char *path =
        g_build_filename(cfg->stateDir, VKD_HOST_SHUTDOWN_SAVED, NULL);
    g_autoptr(GString) text = g_string_new(NULL);

    if (saved->len == 0)
        return;
    for (guint i = 0; i < saved->len; i++)
        g_string_append_printf(text, "%s\n", (char *)g_ptr_array_index(saved, i));
    if (virFileWriteAtomic(path, text->str, text->len, 0600) < 0) {
        g_warning("host shutdown: cannot record the saved guests in '%s': %s", path,
                  virGetLastErrorMessage());
        virResetLastError();
    }
}

bool
vkdHostShutdownRun(virConnectPtr conn, const vkdConfig *cfg)
{
    vkdHostRun *run = g_new0(vkdHostRun, 1);
    gint64 t0 = g_get_monotonic_time();
    guint start = 0;
    bool late = false;
    bool calm;

    run->refs = 1;
    g_mutex_init(&run->lock);
    g_cond_init(&run->cond);
    run->guests = vkdHostCollect(conn);
    run->saved = g_ptr_array_new_with_free_func(g_free);
    run->end = t0 + (gint64)cfg->hostShutdownTimeoutSec * G_USEC_PER_SEC;
    g_message("host shutdown: %u guests to handle within %u s, %u at once",
              run->guests->len, cfg->hostShutdownTimeoutSec, cfg->hostShutdownParallel);

    g_mutex_lock(&run->lock);
    while (start < run->guests->len && !late) {
        int prio = ((vkdHostGuest *)g_ptr_array_index(run->guests, start))->priority;
        guint end = start;
        guint threads = cfg->hostShutdownParallel;

        /* the level: same priority; its guests may ask for fewer at once */
        while (end < run->guests->len) {
            vkdHostGuest *g = g_ptr_array_index(run->guests, end);

            if (g->priority != prio)
                break;
            if (g->parallel > 0)
                threads = MIN(threads, g->parallel);
            end++;
        }
        run->next = start;
        run->levelEnd = end;
        threads = MIN(end - start, threads);
        g_message("host shutdown: priority %d, %u guests, %u at once", prio, end - start,
                  threads);
        for (guint i = 0; i < threads; i++) {
            g_atomic_int_inc(&run->refs);
            run->busy++;
            g_thread_unref(g_thread_new("vkd-hostdown", vkdHostThread, run));
        }
        while (run->busy > 0) {
            if (!g_cond_wait_until(&run->cond, &run->lock,
                                   run->end + VKD_HOST_SHUTDOWN_GRACE_US)) {
                late = true;
                break;
            }
        }
        start = end;
    }
    if (late || run->next < run->guests->len)
        g_warning("host shutdown: the deadline of %u s passed; guests not handled yet "
                  "are left running",
                  cfg->hostShutdownTimeoutSec);
    vkdHostWriteSaved(cfg, run->saved);
    calm = run->busy == 0;
    g_mutex_unlock(&run->lock);
    g_message("host shutdown: over in %lld ms",
              (long long)(g_get_monotonic_time() - t0) / 1000);
    vkdHostRunUnref(run);
    return calm;
}

void
vkdHostShutdownRestore(virConnectPtr conn, const vkdConfig *cfg)
{
    g_autofree char *path =
        g_build_filename(cfg->stateDir, VKD_HOST_SHUTDOWN_SAVED, NULL);
    g_autofree char *text = NULL;
    g_auto(GStrv) names = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return;
    names = g_strsplit(text, "\n", -1);
    virObjectEventSetRequestor("host");
    for (size_t i = 0; names[i]; i++) {
        virDomainPtr dom;
        gint64 t0 = g_get_monotonic_time();

        if (!names[i][0])
            continue;
        if (!(dom = virDomainLookupByName(conn, names[i]))) {
            g_warning("host shutdown: saved guest '%s' is gone: %s", names[i],
                      virGetLastErrorMessage());
            virResetLastError();
            continue;
        }
        /* started since (autostart) or its image removed: nothing to do */
        if (virDomainIsActive(dom) == 0 && virDomainHasManagedSaveImage(dom, 0) == 1) {
            if (virDomainCreate(dom) < 0) {
                g_warning("host shutdown: cannot restore '%s': %s", names[i],
                          virGetLastErrorMessage());
                virResetLastError();
            } else {
                g_message("host shutdown: '%s' restored in %lld ms", names[i],
                          (long long)(g_get_monotonic_time() - t0) / 1000);
            }
        }
        virResetLastError();
        virDomainFree(dom);
    }
    virObjectEventSetRequestor(NULL);
    if (unlink(path) < 0 && errno != ENOENT)
        g_warning("cannot remove '%s': %s", path, g_strerror(errno));
}
