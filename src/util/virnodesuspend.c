/* virnodesuspend.c: suspending the host for a while, as libvirt does with pm-utils */
#define G_LOG_DOMAIN "virtkit.util.nodesuspend"

/*
 * Threads: any thread may call virNodeSuspend; lock guards inProgress.
 * The suspend itself runs on a thread started here that clears
 * inProgress when the host is back (the pm-utils command returns).
 */

#include <stdio.h>

#include "virerror.h"
#include "virnodesuspend.h"

#define VIR_FROM_THIS VIR_FROM_NONE

/* libvirt's MIN_TIME_REQ_FOR_SUSPEND and SUSPEND_DELAY */
#define NODE_SUSPEND_MIN_SECONDS 60
#define NODE_SUSPEND_DELAY_US (10 * G_USEC_PER_SEC)

static GMutex lock;
static bool inProgress;

static const struct {
    const char *probe; /* pm-is-supported's option */
    const char *name;  /* libvirt's word in the error */
    const char *cmd;   /* what suspends */
} targets[] = {
    { "--suspend", "Suspend-to-RAM", "pm-suspend" },
    { "--hibernate", "Suspend-to-Disk", "pm-hibernate" },
    { "--suspend-hybrid", "Hybrid-Suspend", "pm-suspend-hybrid" },
};

/* Runs @argv (searched in PATH); true when it exited with status 0. */
static bool
virNodeSuspendRun(const char *const *argv)
{
    g_autoptr(GError) err = NULL;
    int status = -1;

    if (!g_spawn_sync(NULL, (char **)argv, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                          G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, NULL, NULL, &status, &err))
        return false;
    return g_spawn_check_wait_status(status, NULL);
}

static gpointer
virNodeSuspendThread(gpointer data)
{
    const char *argv[] = { data, NULL };

    g_usleep(NODE_SUSPEND_DELAY_US);
    virNodeSuspendRun(argv);
    g_mutex_lock(&lock);
    inProgress = false;
    g_mutex_unlock(&lock);
    return NULL;
}

int
virNodeSuspend(unsigned int target, unsigned long long duration, unsigned int flags)
{
    char secs[32];
    const char *probe[] = { "pm-is-supported", NULL, NULL };
    const char *rtcwake[] = { "rtcwake", "-m", "no", "-s", secs, NULL };
    int ret = -1;

    virCheckFlags(0, -1);

    g_mutex_lock(&lock);
    if (inProgress) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "Suspend operation already in progress");
        goto cleanup;
    }
    if (target >= G_N_ELEMENTS(targets)) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "Invalid suspend target");
        goto cleanup;
    }
    probe[1] = targets[target].probe;
    if (!virNodeSuspendRun(probe)) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s", targets[target].name);
        goto cleanup;
    }
    if (duration < NODE_SUSPEND_MIN_SECONDS) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "Too small suspend duration");
        goto cleanup;
    }
    g_snprintf(secs, sizeof(secs), "%llu", duration);
    if (!virNodeSuspendRun(rtcwake)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "Failed to set node wakeup");
        goto cleanup;
    }
    inProgress = true;
    g_thread_unref(g_thread_new("node-suspend", virNodeSuspendThread,
                                (gpointer)targets[target].cmd));
    ret = 0;

cleanup:
    g_mutex_unlock(&lock);
    return ret;
}
