/* vksh-event.c: the event command: wait for domain events and print them as virsh does */

#define G_LOG_DOMAIN "vksh.event"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>

#include "vksh.h"

/*
 * Runs the library's default event loop in the main thread until the wanted
 * events arrived, the timeout fired or SIGINT came in.  SIGINT reaches the
 * loop through a pipe watched by the loop itself, so no state is touched
 * from the signal handler but the pipe.
 */

/* virsh's event names, in virDomainEventID order. */
static const char *const vkshEventNames[] = {
    "lifecycle",
    "reboot",
    "rtc-change",
    "watchdog",
    "io-error",
    "graphics",
    "io-error-reason",
    "control-error",
    "block-job",
    "disk-change",
    "tray-change",
    "pm-wakeup",
    "pm-suspend",
    "balloon-change",
    "pm-suspend-disk",
    "device-removed",
    "block-job-2",
    "tunable",
    "agent-lifecycle",
    "device-added",
    "migration-iteration",
    "job-completed",
    "device-removal-failed",
    "metadata-change",
    "block-threshold",
    "memory-failure",
    "memory-device-size-change",
};

static const char *
vkshEventTypeToString(int event)
{
    static const char *const names[] = {
        "Defined", "Undefined", "Started",     "Suspended", "Resumed",
        "Stopped", "Shutdown",  "PMSuspended", "Crashed",
    };

    if (event < 0 || event >= (int)G_N_ELEMENTS(names))
        return "unknown";
    return names[event];
}

static const char *
vkshEventDetailToString(int event, int detail)
{
    static const char *const defined[] = { "Added", "Updated", "Renamed", "Snapshot" };
    static const char *const undefined[] = { "Removed", "Renamed" };
    static const char *const started[] = {
        "Booted", "Migrated", "Restored", "Snapshot", "Event wakeup",
    };
    static const char *const suspended[] = {
        "Paused",   "Migrated",  "I/O Error", "Watchdog",        "Restored",
        "Snapshot", "API error", "Post-copy", "Post-copy Error",
    };
    static const char *const resumed[] = {
        "Unpaused", "Migrated", "Snapshot", "Post-copy", "Post-copy Error",
    };
    static const char *const stopped[] = {
        "Shutdown", "Destroyed", "Crashed", "Migrated", "Saved", "Failed", "Snapshot",
    };
    static const char *const shutdown[] = {
        "Finished",
        "Finished after guest request",
        "Finished after host request",
    };
    static const char *const pmsuspended[] = { "Memory", "Disk" };
    static const char *const crashed[] = { "Panicked", "Crashloaded" };
    static const struct {
        const char *const *names;
        size_t n;
    } tables[] = {
        { defined, G_N_ELEMENTS(defined) },   { undefined, G_N_ELEMENTS(undefined) },
        { started, G_N_ELEMENTS(started) },   { suspended, G_N_ELEMENTS(suspended) },
        { resumed, G_N_ELEMENTS(resumed) },   { stopped, G_N_ELEMENTS(stopped) },
        { shutdown, G_N_ELEMENTS(shutdown) }, { pmsuspended, G_N_ELEMENTS(pmsuspended) },
        { crashed, G_N_ELEMENTS(crashed) },
    };

    if (event < 0 || event >= (int)G_N_ELEMENTS(tables) || detail < 0 ||
        (size_t)detail >= tables[event].n)
        return "unknown";
    return tables[event].names[detail];
}

/* libvirt's VIR_DOMAIN_EVENT_CALLBACK casts between function types, which
 * -Wcast-function-type rejects unless the header is a system header; going
 * through void (*)(void) states the intent. */
#define VKSH_EVENT_CALLBACK(cb) VIR_DOMAIN_EVENT_CALLBACK((void (*)(void))(cb))

typedef struct {
    vkshControl *ctl;
    bool loop;
    bool timestamp;
    int count;
    bool done;
    bool timedout;
    bool interrupted;
} vkshEventData;

static void
vkshEventPrintPrefix(vkshEventData *data)
{
    g_autoptr(GDateTime) now = NULL;
    g_autofree char *stamp = NULL;

    if (!data->timestamp)
        return;
    now = g_date_time_new_now_utc();
    stamp = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");
    vkshPrint(data->ctl, "%s.%03d+0000: ", stamp,
              g_date_time_get_microsecond(now) / 1000);
}

/* Without --loop only the first event counts, even when several arrive in
 * one turn of the loop. */
static bool
vkshEventIgnored(vkshEventData *data)
{
    return !data->loop && data->count > 0;
}

static void
vkshEventCounted(vkshEventData *data)
{
    fflush(stdout);
    data->count++;
    if (!data->loop)
        data->done = true;
}

static int
vkshEventLifecyclePrint(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                        void *opaque)
{
    vkshEventData *data = opaque;

    if (vkshEventIgnored(data))
        return 0;
    vkshEventPrintPrefix(data);
    vkshPrint(data->ctl, "event 'lifecycle' for domain '%s': %s %s\n",
              virDomainGetName(dom), vkshEventTypeToString(event),
              vkshEventDetailToString(event, detail));
    vkshEventCounted(data);
    return 0;
}

static void
vkshEventRebootPrint(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    vkshEventData *data = opaque;

    if (vkshEventIgnored(data))
        return;
    vkshEventPrintPrefix(data);
    vkshPrint(data->ctl, "event 'reboot' for domain '%s'\n", virDomainGetName(dom));
    vkshEventCounted(data);
}

static void
vkshEventTimeout(int timer, void *opaque)
{
    vkshEventData *data = opaque;

    data->timedout = true;
    data->done = true;
}

static int vkshEventSigPipe[2] = { -1, -1 };

static void
vkshEventSigint(int sig)
{
    int saved = errno;
    char c = 0;

    if (write(vkshEventSigPipe[1], &c, 1) < 0) {
        /* The pipe is full: a wake-up is already pending. */
    }
    errno = saved;
}

static void
vkshEventSigintRead(int watch, int fd, int events, void *opaque)
{
    vkshEventData *data = opaque;
    char buf[16];

    while (read(fd, buf, sizeof(buf)) > 0) {
    }
    data->interrupted = true;
    data->done = true;
}

static const vkshOptDef optsEvent[] = {
    { "domain", VKSH_OT_STRING, 0, "filter by domain name, id or uuid" },
    { "event", VKSH_OT_STRING, 0, "which event type to wait for" },
    { "all", VKSH_OT_BOOL, 0, "wait for all events instead of just one type" },
    { "loop", VKSH_OT_BOOL, 0, "loop until timeout or interrupt, rather than one-shot" },
    { "timeout", VKSH_OT_INT, 0, "timeout seconds" },
    { "list", VKSH_OT_BOOL, 0, "list valid event types" },
    { "timestamp", VKSH_OT_BOOL, 0, "show timestamp for each printed event" },
    { NULL, 0, 0, NULL },
};

static bool
cmdEvent(vkshControl *ctl, const vkshCmd *cmd)
{
    vkshEventData data = { .ctl = ctl };
    g_autoptr(virDomain) dom = NULL;
    const char *eventName = NULL;
    bool all = vkshOptBool(cmd, "all");
    bool wanted[2] = { false, false }; /* lifecycle, reboot */
    int callbacks[2] = { -1, -1 };
    int timeout = 0;
    int timer = -1;
    int watch = -1;
    struct sigaction sa, oldsa;
    bool ok = false;
    int rc;

    if (!vkshOptExclusive(ctl, cmd, "all", "event") ||
        !vkshOptExclusive(ctl, cmd, "list", "all") ||
        !vkshOptExclusive(ctl, cmd, "list", "event"))
        return false;

    if (vkshOptBool(cmd, "list")) {
        for (size_t i = 0; i < G_N_ELEMENTS(vkshEventNames); i++)
            vkshPrint(ctl, "%s\n", vkshEventNames[i]);
        return true;
    }

    if (vkshOptString(ctl, cmd, "event", &eventName) < 0)
        return false;
    if (!eventName && !all) {
        vkshError(ctl, "%s", "one of --list, --all, or --event <type> is required");
        return false;
    }
    if (eventName) {
        size_t i;

        for (i = 0; i < G_N_ELEMENTS(vkshEventNames); i++) {
            if (strcmp(eventName, vkshEventNames[i]) == 0)
                break;
        }
        if (i == G_N_ELEMENTS(vkshEventNames)) {
            vkshError(ctl, "unknown event type %s", eventName);
            return false;
        }
        if (i >= G_N_ELEMENTS(wanted)) {
            vkshError(ctl, "event type %s is not supported by vksh", eventName);
            return false;
        }
        wanted[i] = true;
    } else {
        wanted[0] = wanted[1] = true;
    }

    data.loop = vkshOptBool(cmd, "loop");
    data.timestamp = vkshOptBool(cmd, "timestamp");
    if ((rc = vkshOptInt(ctl, cmd, "timeout", &timeout)) < 0)
        return false;
    if (rc > 0 && (timeout <= 0 || timeout > G_MAXINT / 1000)) {
        vkshError(ctl, "Numeric value '%s' for <%s> option is malformed or out of range",
                  vkshOptRaw(cmd, "timeout"), "timeout");
        return false;
    }

    if (vkshOptBool(cmd, "domain")) {
        if (!(dom = vkshCommandOptDomainBy(ctl, cmd, "domain", NULL, VKSH_BYALL)))
            return false;
    }

    if (wanted[0] && (callbacks[0] = virConnectDomainEventRegisterAny(
                          ctl->conn, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                          VKSH_EVENT_CALLBACK(vkshEventLifecyclePrint), &data, NULL)) < 0)
        goto cleanup;
    if (wanted[1] && (callbacks[1] = virConnectDomainEventRegisterAny(
                          ctl->conn, dom, VIR_DOMAIN_EVENT_ID_REBOOT,
                          VKSH_EVENT_CALLBACK(vkshEventRebootPrint), &data, NULL)) < 0)
        goto cleanup;

    if (timeout > 0 &&
        (timer = virEventAddTimeout(timeout * 1000, vkshEventTimeout, &data, NULL)) < 0)
        goto cleanup;

    if (vkshEventSigPipe[0] < 0 &&
        !g_unix_open_pipe(vkshEventSigPipe, FD_CLOEXEC, NULL)) {
        vkshError(ctl, "%s", "cannot create the signal pipe");
        goto cleanup;
    }
    fcntl(vkshEventSigPipe[0], F_SETFL, O_NONBLOCK);
    fcntl(vkshEventSigPipe[1], F_SETFL, O_NONBLOCK);
    if ((watch = virEventAddHandle(vkshEventSigPipe[0], VIR_EVENT_HANDLE_READABLE,
                                   vkshEventSigintRead, &data, NULL)) < 0)
        goto cleanup;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = vkshEventSigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &oldsa);

    while (!data.done) {
        if (virEventRunDefaultImpl() < 0)
            break;
    }
    sigaction(SIGINT, &oldsa, NULL);

    if (data.interrupted)
        vkshPrint(ctl, "%s", "event loop interrupted\n");
    else if (data.timedout)
        vkshPrint(ctl, "%s", "event loop timed out\n");
    vkshPrint(ctl, "events received: %d\n", data.count);
    ok = data.count > 0;

cleanup:
    if (watch >= 0)
        virEventRemoveHandle(watch);
    if (timer >= 0)
        virEventRemoveTimeout(timer);
    for (size_t i = 0; i < G_N_ELEMENTS(callbacks); i++) {
        if (callbacks[i] >= 0)
            virConnectDomainEventDeregisterAny(ctl->conn, callbacks[i]);
    }
    return ok;
}

const vkshCmdDef vkshEventCmds[] = {
    { "event", cmdEvent, optsEvent, "Domain Events",
      "List event types, or wait for domain events to occur", 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
