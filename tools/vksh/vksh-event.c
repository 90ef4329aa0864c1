/* vksh-event.c: the event command: wait for domain events and print them as virsh does */

#define G_LOG_DOMAIN "vksh.event"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
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

const char *
vkshDomainEventName(int id)
{
    if (id < 0 || id >= (int)G_N_ELEMENTS(vkshEventNames))
        return NULL;
    return vkshEventNames[id];
}

const char *
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

const char *
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
    vkshEventWait wait;
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
        data->wait.done = true;
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

/* virsh 9.0's line for an event: the optional timestamp, then the text. */
static void G_GNUC_PRINTF(2, 3) vkshEventPrintf(vkshEventData *data, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *text = NULL;

    if (vkshEventIgnored(data))
        return;
    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vkshEventPrintPrefix(data);
    vkshPrint(data->ctl, "%s", text);
    vkshEventCounted(data);
}

static const char *
vkshEventEnum(const char *const *names, size_t n, int value, const char *unknown)
{
    if (value < 0 || (size_t)value >= n)
        return unknown;
    return names[value];
}
#define VKSH_ENUM(names, value, unknown) \
    vkshEventEnum(names, G_N_ELEMENTS(names), value, unknown)

/* The data of one registration: the shared state and the event's name. */
typedef struct {
    vkshEventData *data;
    int eventID;
} vkshEventReg;

static void
vkshEventGenericPrint(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    vkshEventReg *reg = opaque;

    vkshEventPrintf(reg->data, "event '%s' for domain '%s'\n",
                    vkshEventNames[reg->eventID], virDomainGetName(dom));
}

static void
vkshEventRTCChangePrint(virConnectPtr conn, virDomainPtr dom, long long utcoffset,
                        void *opaque)
{
    vkshEventReg *reg = opaque;

    vkshEventPrintf(reg->data, "event 'rtc-change' for domain '%s': %lld\n",
                    virDomainGetName(dom), utcoffset);
}

static void
vkshEventWatchdogPrint(virConnectPtr conn, virDomainPtr dom, int action, void *opaque)
{
    static const char *const names[] = { "none",     "pause", "reset",     "poweroff",
                                         "shutdown", "debug", "inject-nmi" };
    vkshEventReg *reg = opaque;

    vkshEventPrintf(reg->data, "event 'watchdog' for domain '%s': %s\n",
                    virDomainGetName(dom), VKSH_ENUM(names, action, "unknown"));
}

static const char *const vkshIOErrorActions[] = { "none", "pause", "report" };

static void
vkshEventIOErrorPrint(virConnectPtr conn, virDomainPtr dom, const char *srcPath,
                      const char *devAlias, int action, void *opaque)
{
    vkshEventReg *reg = opaque;

    vkshEventPrintf(reg->data, "event 'io-error' for domain '%s': %s (%s) %s\n",
                    virDomainGetName(dom), srcPath, devAlias,
                    VKSH_ENUM(vkshIOErrorActions, action, "unknown"));
}

static void
vkshEventIOErrorReasonPrint(virConnectPtr conn, virDomainPtr dom, const char *srcPath,
                            const char *devAlias, int action, const char *reason,
                            void *opaque)
{
    vkshEventReg *reg = opaque;

    vkshEventPrintf(reg->data,
                    "event 'io-error-reason' for domain '%s': %s (%s) %s due to %s\n",
                    virDomainGetName(dom), srcPath, devAlias,
                    VKSH_ENUM(vkshIOErrorActions, action, "unknown"), reason);
}

static void
vkshEventGraphicsPrint(virConnectPtr conn, virDomainPtr dom, int phase,
                       const virDomainEventGraphicsAddress *local,
                       const virDomainEventGraphicsAddress *remote,
                       const char *authScheme,
                       const virDomainEventGraphicsSubject *subject, void *opaque)
{
    static const char *const phases[] = { "connect", "initialize", "disconnect" };
    static const char *const families[] = { "IPv4", "IPv6", "unix" };
    vkshEventReg *reg = opaque;
    g_autoptr(GString) buf = g_string_new(NULL);

    g_string_append_printf(buf,
                           "event 'graphics' for domain '%s': %s local[%s %s %s] "
                           "remote[%s %s %s] %s\n",
                           virDomainGetName(dom), VKSH_ENUM(phases, phase, "unknown"),
                           VKSH_ENUM(families, local->family, "unknown"), local->node,
                           local->service, VKSH_ENUM(families, remote->family, "unknown"),
                           remote->node, remote->service, authScheme);
    for (int i = 0; i < subject->nidentity; i++)
        g_string_append_printf(buf, "\t%s=%s\n", subject->identities[i].type,
                               subject->identities[i].name);
    vkshEventPrintf(reg->data, "%s", buf->str);
}

static void
vkshEventBlockJobPrint(virConnectPtr conn, virDomainPtr dom, const char *disk, int type,
                       int status, void *opaque)
{
    static const char *const types[] = { "Unknown job",         "Block Pull",
                                         "Block Copy",          "Block Commit",
                                         "Active Block Commit", "Backup" };
    static const char *const statuses[] = { "completed", "failed", "canceled", "ready" };
    vkshEventReg *reg = opaque;

    vkshEventPrintf(reg->data, "event '%s' for domain '%s': %s for %s %s\n",
                    vkshEventNames[reg->eventID], virDomainGetName(dom),
                    VKSH_ENUM(types, type, "Unknown job"), disk,
                    VKSH_ENUM(statuses, status, "unknown"));
}

static void
vkshEventDiskChangePrint(virConnectPtr conn, virDomainPtr dom, const char *oldSrc,
                         const char *newSrc, const char *alias, int reason, void *opaque)
{
    static const char *const reasons[] = { "changed", "dropped" };
    vkshEventReg *reg = opaque;

    vkshEventPrintf(reg->data,
                    "event 'disk-change' for domain '%s' disk %s: %s -> %s: %s\n",
                    virDomainGetName(dom), alias, oldSrc ? oldSrc : "<null>",
                    newSrc ? newSrc : "<null>", VKSH_ENUM(reasons, reason, "unknown"));
}

static void
vkshEventTrayChangePrint(virConnectPtr conn, virDomainPtr dom, const char *alias,
                         int reason, void *opaque)
{
    static const char *const reasons[] = { "opened", "closed" };
    vkshEventReg *reg = opaque;

    vkshEventPrintf(reg->data, "event 'tray-change' for domain '%s' disk %s: %s\n",
                    virDomainGetName(dom), alias, VKSH_ENUM(reasons, reason, "unknown"));
}

static void
vkshEventPMChangePrint(virConnectPtr conn, virDomainPtr dom, int reason, void *opaque)
{
    /* virsh: no reasons are defined, a generic line */
    vkshEventGenericPrint(conn, dom, opaque);
}

static void
vkshEventBalloonChangePrint(virConnectPtr conn, virDomainPtr dom,
                            unsigned long long actual, void *opaque)
{
    vkshEventReg *reg = opaque;

    vkshEventPrintf(reg->data, "event 'balloon-change' for domain '%s': %lluKiB\n",
                    virDomainGetName(dom), actual);
}

/* device-removed, device-added, device-removal-failed */
static void
vkshEventDevicePrint(virConnectPtr conn, virDomainPtr dom, const char *alias,
                     void *opaque)
{
    vkshEventReg *reg = opaque;

    vkshEventPrintf(reg->data, "event '%s' for domain '%s': %s\n",
                    vkshEventNames[reg->eventID], virDomainGetName(dom), alias);
}

/* tunable, job-completed */
static void
vkshEventParamsPrint(virConnectPtr conn, virDomainPtr dom, virTypedParameterPtr params,
                     int nparams, void *opaque)
{
    vkshEventReg *reg = opaque;
    g_autoptr(GString) buf = g_string_new(NULL);

    g_string_append_printf(buf, "event '%s' for domain '%s':\n",
                           vkshEventNames[reg->eventID], virDomainGetName(dom));
    for (int i = 0; i < nparams; i++) {
        g_autofree char *value = vkshTypedParamValue(&params[i], true);

        if (value)
            g_string_append_printf(buf, "\t%s: %s\n", params[i].field, value);
    }
    vkshEventPrintf(reg->data, "%s", buf->str);
}

static void
vkshEventAgentLifecyclePrint(virConnectPtr conn, virDomainPtr dom, int state, int reason,
                             void *opaque)
{
    static const char *const states[] = { "unknown", "connected", "disconnected" };
    static const char *const reasons[] = { "unknown", "domain started", "channel event" };
    vkshEventReg *reg = opaque;

    vkshEventPrintf(reg->data,
                    "event 'agent-lifecycle' for domain '%s': state: '%s' reason: '%s'\n",
                    virDomainGetName(dom), VKSH_ENUM(states, state, "unsupported value"),
                    VKSH_ENUM(reasons, reason, "unsupported value"));
}

static void
vkshEventMigrationIterationPrint(virConnectPtr conn, virDomainPtr dom, int iteration,
                                 void *opaque)
{
    vkshEventReg *reg = opaque;

    vkshEventPrintf(reg->data,
                    "event 'migration-iteration' for domain '%s': iteration: '%d'\n",
                    virDomainGetName(dom), iteration);
}

static void
vkshEventMetadataChangePrint(virConnectPtr conn, virDomainPtr dom, int type,
                             const char *nsuri, void *opaque)
{
    static const char *const types[] = { "description", "title", "element" };
    vkshEventReg *reg = opaque;

    vkshEventPrintf(reg->data,
                    "event 'metadata-change' for domain '%s': type %s, uri %s\n",
                    virDomainGetName(dom), VKSH_ENUM(types, type, "unsupported value"),
                    nsuri ? nsuri : "<null>");
}

static void
vkshEventBlockThresholdPrint(virConnectPtr conn, virDomainPtr dom, const char *dev,
                             const char *path, unsigned long long threshold,
                             unsigned long long excess, void *opaque)
{
    vkshEventReg *reg = opaque;

    vkshEventPrintf(
        reg->data, "event 'block-threshold' for domain '%s': dev: %s(%s) %llu %llu\n",
        virDomainGetName(dom), dev, path ? path : "<null>", threshold, excess);
}

static void
vkshEventMemoryFailurePrint(virConnectPtr conn, virDomainPtr dom, int recipient,
                            int action, unsigned int flags, void *opaque)
{
    static const char *const recipients[] = { "hypervisor", "guest" };
    static const char *const actions[] = { "ignore", "inject", "fatal", "reset" };
    vkshEventReg *reg = opaque;

    vkshEventPrintf(reg->data,
                    "event 'memory-failure' for domain '%s':\nrecipient: %s\naction: %s\n"
                    "flags:\n\taction required: %d\n\trecursive: %d\n",
                    virDomainGetName(dom),
                    VKSH_ENUM(recipients, recipient, "unsupported value"),
                    VKSH_ENUM(actions, action, "unsupported value"),
                    !!(flags & VIR_DOMAIN_MEMORY_FAILURE_ACTION_REQUIRED),
                    !!(flags & VIR_DOMAIN_MEMORY_FAILURE_RECURSIVE));
}

static void
vkshEventMemoryDeviceSizeChangePrint(virConnectPtr conn, virDomainPtr dom,
                                     const char *alias, unsigned long long size,
                                     void *opaque)
{
    vkshEventReg *reg = opaque;

    vkshEventPrintf(reg->data,
                    "event 'memory-device-size-change' for domain '%s':\nalias: %s\n"
                    "size: %llu\n",
                    virDomainGetName(dom), alias, size);
}

/* The printer of each event ID (lifecycle apart: its opaque is the data). */
static void (*const vkshEventPrinters[])(void) = {
    [VIR_DOMAIN_EVENT_ID_REBOOT] = (void (*)(void))vkshEventGenericPrint,
    [VIR_DOMAIN_EVENT_ID_RTC_CHANGE] = (void (*)(void))vkshEventRTCChangePrint,
    [VIR_DOMAIN_EVENT_ID_WATCHDOG] = (void (*)(void))vkshEventWatchdogPrint,
    [VIR_DOMAIN_EVENT_ID_IO_ERROR] = (void (*)(void))vkshEventIOErrorPrint,
    [VIR_DOMAIN_EVENT_ID_GRAPHICS] = (void (*)(void))vkshEventGraphicsPrint,
    [VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON] = (void (*)(void))vkshEventIOErrorReasonPrint,
    [VIR_DOMAIN_EVENT_ID_CONTROL_ERROR] = (void (*)(void))vkshEventGenericPrint,
    [VIR_DOMAIN_EVENT_ID_BLOCK_JOB] = (void (*)(void))vkshEventBlockJobPrint,
    [VIR_DOMAIN_EVENT_ID_DISK_CHANGE] = (void (*)(void))vkshEventDiskChangePrint,
    [VIR_DOMAIN_EVENT_ID_TRAY_CHANGE] = (void (*)(void))vkshEventTrayChangePrint,
    [VIR_DOMAIN_EVENT_ID_PMWAKEUP] = (void (*)(void))vkshEventPMChangePrint,
    [VIR_DOMAIN_EVENT_ID_PMSUSPEND] = (void (*)(void))vkshEventPMChangePrint,
    [VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE] = (void (*)(void))vkshEventBalloonChangePrint,
    [VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK] = (void (*)(void))vkshEventPMChangePrint,
    [VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED] = (void (*)(void))vkshEventDevicePrint,
    [VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2] = (void (*)(void))vkshEventBlockJobPrint,
    [VIR_DOMAIN_EVENT_ID_TUNABLE] = (void (*)(void))vkshEventParamsPrint,
    [VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE] = (void (*)(void))vkshEventAgentLifecyclePrint,
    [VIR_DOMAIN_EVENT_ID_DEVICE_ADDED] = (void (*)(void))vkshEventDevicePrint,
    [VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION] = (void (*)(void))
        vkshEventMigrationIterationPrint,
    [VIR_DOMAIN_EVENT_ID_JOB_COMPLETED] = (void (*)(void))vkshEventParamsPrint,
    [VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED] = (void (*)(void))vkshEventDevicePrint,
    [VIR_DOMAIN_EVENT_ID_METADATA_CHANGE] = (void (*)(void))vkshEventMetadataChangePrint,
    [VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD] = (void (*)(void))vkshEventBlockThresholdPrint,
    [VIR_DOMAIN_EVENT_ID_MEMORY_FAILURE] = (void (*)(void))vkshEventMemoryFailurePrint,
    [VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE] = (void (*)(void))
        vkshEventMemoryDeviceSizeChangePrint,
};
G_STATIC_ASSERT(G_N_ELEMENTS(vkshEventPrinters) == G_N_ELEMENTS(vkshEventNames));

/* ---- waiting for events: shared by event, qemu-monitor-event and the
 * object event commands, as virsh's vshEventStart/vshEventWait ----------- */

static int vkshEventWaitPipe[2] = { -1, -1 };

static void
vkshEventWaitSigint(int sig)
{
    int saved = errno;
    char c = 0;

    if (write(vkshEventWaitPipe[1], &c, 1) < 0) {
        /* The pipe is full: a wake-up is already pending. */
    }
    errno = saved;
}

static void
vkshEventWaitSigintRead(int watch, int fd, int events, void *opaque)
{
    vkshEventWait *wait = opaque;
    char buf[16];

    while (read(fd, buf, sizeof(buf)) > 0) {
    }
    wait->interrupted = true;
    wait->done = true;
}

static void
vkshEventWaitTimeout(int timer, void *opaque)
{
    vkshEventWait *wait = opaque;

    wait->timedout = true;
    wait->done = true;
}

int
vkshEventWaitTimeoutOpt(vkshControl *ctl, const vkshCmd *cmd, int *timeout)
{
    int rc;

    *timeout = 0;
    if ((rc = vkshOptInt(ctl, cmd, "timeout", timeout)) < 0)
        return -1;
    if (rc > 0 && (*timeout <= 0 || *timeout > G_MAXINT / 1000)) {
        vkshError(ctl, "Numeric value '%s' for <%s> option is malformed or out of range",
                  vkshOptRaw(cmd, "timeout"), "timeout");
        return -1;
    }
    return 0;
}

bool
vkshEventWaitRun(vkshControl *ctl, vkshEventWait *wait, int timeout)
{
    struct sigaction sa, oldsa;
    int timer = -1;
    int watch = -1;
    bool ok = false;

    if (timeout > 0 && (timer = virEventAddTimeout(timeout * 1000, vkshEventWaitTimeout,
                                                   wait, NULL)) < 0)
        goto cleanup;
    if (vkshEventWaitPipe[0] < 0 &&
        !g_unix_open_pipe(vkshEventWaitPipe, FD_CLOEXEC, NULL)) {
        vkshError(ctl, "%s", "cannot create the signal pipe");
        goto cleanup;
    }
    fcntl(vkshEventWaitPipe[0], F_SETFL, O_NONBLOCK);
    fcntl(vkshEventWaitPipe[1], F_SETFL, O_NONBLOCK);
    if ((watch = virEventAddHandle(vkshEventWaitPipe[0], VIR_EVENT_HANDLE_READABLE,
                                   vkshEventWaitSigintRead, wait, NULL)) < 0)
        goto cleanup;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = vkshEventWaitSigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &oldsa);
    while (!wait->done) {
        if (virEventRunDefaultImpl() < 0)
            break;
    }
    sigaction(SIGINT, &oldsa, NULL);

    if (wait->interrupted)
        vkshPrint(ctl, "%s", "event loop interrupted\n");
    else if (wait->timedout)
        vkshPrint(ctl, "%s", "event loop timed out\n");
    ok = true;

cleanup:
    if (watch >= 0)
        virEventRemoveHandle(watch);
    if (timer >= 0)
        virEventRemoveTimeout(timer);
    return ok;
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
    bool wanted[G_N_ELEMENTS(vkshEventNames)] = { false };
    int callbacks[G_N_ELEMENTS(vkshEventNames)];
    vkshEventReg regs[G_N_ELEMENTS(vkshEventNames)];
    int timeout = 0;
    bool ok = false;

    for (size_t i = 0; i < G_N_ELEMENTS(callbacks); i++)
        callbacks[i] = -1;

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
        wanted[i] = true;
    } else {
        for (size_t i = 0; i < G_N_ELEMENTS(wanted); i++)
            wanted[i] = true;
    }

    data.loop = vkshOptBool(cmd, "loop");
    data.timestamp = vkshOptBool(cmd, "timestamp");
    if (vkshEventWaitTimeoutOpt(ctl, cmd, &timeout) < 0)
        return false;

    if (vkshOptBool(cmd, "domain")) {
        if (!(dom = vkshCommandOptDomainBy(ctl, cmd, "domain", NULL, VKSH_BYALL)))
            return false;
    }

    /* virsh registers in event ID order */
    for (size_t i = 0; i < G_N_ELEMENTS(wanted); i++) {
        virConnectDomainEventGenericCallback cb;
        void *opaque;

        if (!wanted[i])
            continue;
        regs[i].data = &data;
        regs[i].eventID = (int)i;
        if (i == VIR_DOMAIN_EVENT_ID_LIFECYCLE) {
            cb = VKSH_EVENT_CALLBACK(vkshEventLifecyclePrint);
            opaque = &data;
        } else {
            cb = VIR_DOMAIN_EVENT_CALLBACK(vkshEventPrinters[i]);
            opaque = &regs[i];
        }
        if ((callbacks[i] = virConnectDomainEventRegisterAny(ctl->conn, dom, (int)i, cb,
                                                             opaque, NULL)) < 0)
            goto cleanup;
    }

    if (!vkshEventWaitRun(ctl, &data.wait, timeout))
        goto cleanup;
    vkshPrint(ctl, "events received: %d\n", data.count);
    ok = data.count > 0;

cleanup:
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
