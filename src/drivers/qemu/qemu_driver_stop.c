/* qemu_driver_stop.c: vkDomainStop: the stop ladder (agent, ACPI, clean exit, SIGKILL) inside one deadline */

/*
 * Threads: runs on the caller's thread, the domain object locked only
 * between waits. No job is held across the ladder (the guest's own
 * power-off must be able to finish through the exit worker, which takes a
 * DESTROY job): a MODIFY job is taken for each ACPI press only, bounded by
 * the time left. From the clean-exit step on, priv->beingDestroyed is held
 * as destroy holds it (QEMU's reactions to SIGTERM are ignored, the exit
 * worker leaves the domain to us) and the domain is finished here with a
 * DESTROY job, as qemuDomainDestroyFlags does. priv->vkStopping keeps a
 * guest power-off from becoming a (fake) reboot meanwhile. The progress
 * callback runs with the object unlocked.
 */

#define G_LOG_DOMAIN "virtkit.qemu.stop"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "domain_stop_policy.h"
#include "qemu_agent.h"
#include "qemu_driver_priv.h"
#include "qemu_monitor.h"
#include "qemu_process.h"
#include "virerror.h"
#include "virprocess.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* Defaults of the ladder when neither the call nor the definition says. */
#define QEMU_STOP_DEADLINE_DEFAULT_MS 60000
#define QEMU_STOP_ACPI_SHARE_DEFAULT 60 /* percent of the deadline */
#define QEMU_STOP_ACPI_INTERVAL_DEFAULT_MS 2000
/* A single ACPI press waits at most this long for QEMU's reply. */
#define QEMU_STOP_PRESS_TIMEOUT_MS 5000
/* Kept for SIGKILL and the process's death at the end of the deadline. */
#define QEMU_STOP_KILL_RESERVE_MS 1000
/* How often a stopped (SIGSTOP) QEMU is looked at again. */
#define QEMU_STOP_POLL_MS 100
/* The guest agent: QEMU's word on whether the guest opened its port, then
 * a guest-sync answered within libvirt's agent wait (QEMU_AGENT_SYNC_TIMEOUT_MS,
 * 5 s) and never beyond the step's share of the deadline: an agent that
 * opened its port and does not answer costs that much, an absent one only
 * the query. A shorter wait (1 s) gave up on live agents of guests slowed
 * by a busy host. */
#define QEMU_STOP_AGENT_QUERY_MS 1000
#define QEMU_STOP_AGENT_SYNC_MS QEMU_AGENT_SYNC_TIMEOUT_MS
/* A refusal of guest-shutdown comes back within this (success has no reply). */
#define QEMU_STOP_AGENT_REFUSAL_MS 200

typedef struct {
    virDomainObj *obj; /* locked except while waiting or reporting */
    virDomainPtr dom;
    vkStopReport *report;
    vkStopProgressFunc progress;
    void *opaque;
    gint64 start; /* monotonic, us */
    gint64 end;   /* start + deadline */
    int pidfd;    /* our dup: valid even after a stop closes priv->pidfd */
    pid_t pid;
    guint64 runId;
    bool exited;
} qemuStopRun;

static unsigned long long
qemuStopElapsedMs(const qemuStopRun *run, gint64 since)
{
    gint64 now = g_get_monotonic_time();

    return now > since ? (unsigned long long)((now - since) / 1000) : 0;
}

static void qemuStopSetReason(vkStopStepReport *st, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

static void
qemuStopSetReason(vkStopStepReport *st, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_vsnprintf(st->reason, sizeof(st->reason), fmt, ap);
    va_end(ap);
}

/* Tell the caller (object unlocked meanwhile). */
static void
qemuStopNotify(qemuStopRun *run, int step, unsigned int attempt, const char *what)
{
    vkStopProgress p = {
        .step = step,
        .elapsed_ms = qemuStopElapsedMs(run, run->start),
        .attempt = attempt,
        .deadline_ms = run->report->deadline_ms,
        .what = what,
    };

    g_debug("stop '%s': %s (%llu ms)", run->obj->def->name, what, p.elapsed_ms);
    if (!run->progress)
        return;
    virDomainObjUnlock(run->obj);
    run->progress(run->dom, &p, run->opaque);
    virDomainObjLock(run->obj);
}

/* True once this run of QEMU is over (exited, or stopped by someone else). */
static bool
qemuStopRunOver(qemuStopRun *run)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(run->obj);

    if (run->exited)
        return true;
    if (priv->runId != run->runId || !virDomainObjIsActive(run->obj) ||
        virProcessPidfdHasExited(run->pidfd))
        run->exited = true;
    return run->exited;
}

/* Wait (unlocked) until QEMU exits or @until; true if it exited. */
static bool
qemuStopWait(qemuStopRun *run, gint64 until)
{
    int rc;

    if (qemuStopRunOver(run))
        return true;
    virDomainObjUnlock(run->obj);
    rc = virProcessWaitPidfd(run->pidfd, until);
    virDomainObjLock(run->obj);
    if (rc < 0)
        virResetLastError(); /* treated as "not yet"; the deadline still holds */
    return qemuStopRunOver(run);
}

static bool
qemuStopProcessIsStopped(pid_t pid)
{
    char pstate = 0;

    return virProcessGetStatInfo(pid, &pstate, NULL) == 0 &&
           (pstate == 'T' || pstate == 't');
}

/* One ACPI press under a MODIFY job taken within the time left before
 * @until. 0 pressed; -1 not pressed (the reason is in @st). */
static int
qemuStopPressButton(qemuStopRun *run, vkStopStepReport *st, gint64 until)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(run->obj);
    gint64 left = (until - g_get_monotonic_time()) / 1000;
    qemuMonitor *mon;
    int rc;

    if (left <= 0)
        return -1;
    if (virDomainObjBeginJob(run->obj, VIR_JOB_MODIFY, (unsigned int)left) < 0) {
        qemuStopSetReason(st, "press not sent: %s", virGetLastErrorMessage());
        virResetLastError();
        return -1;
    }
    if (qemuStopRunOver(run)) {
        virDomainObjEndJob(run->obj, VIR_JOB_MODIFY);
        return 0;
    }
    if (!(mon = priv->mon)) {
        qemuStopSetReason(st, "QEMU monitor is not connected");
        virDomainObjEndJob(run->obj, VIR_JOB_MODIFY);
        return -1;
    }
    /* a stop is a stop: the power-off must not turn into a reboot */
    priv->fakeReboot = false;
    left = MAX(1, (until - g_get_monotonic_time()) / 1000);
    virDomainObjUnlock(run->obj);
    rc = qemuMonitorCommand(mon, "system_powerdown", NULL,
                            (int)MIN(left, QEMU_STOP_PRESS_TIMEOUT_MS), NULL);
    virDomainObjLock(run->obj);
    virDomainObjEndJob(run->obj, VIR_JOB_MODIFY);
    if (rc < 0) {
        qemuStopSetReason(st, "press failed: %s", virGetLastErrorMessage());
        virResetLastError();
        return -1;
    }
    return 0;
}

/* Read from @fd into @buf until a line holds "return" with @want (a
 * guest-sync id, or NULL: any complete line), or @until. 1 found, 0 not. */
static int
qemuStopAgentRead(int fd, GString *buf, const char *want, gint64 until)
{
    for (;;) {
        char chunk[512];
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        gint64 left = (until - g_get_monotonic_time()) / 1000;
        ssize_t n;
        const char *nl;

        while ((nl = strchr(buf->str, '\n'))) {
            g_autofree char *line = g_strndup(buf->str, nl - buf->str);

            g_string_erase(buf, 0, nl - buf->str + 1);
            if (!want || (strstr(line, "\"return\"") && strstr(line, want))) {
                if (!want)
                    g_string_prepend(buf, line);
                return 1;
            }
        }
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
            return 0;
        if ((n = read(fd, chunk, sizeof(chunk) - 1)) <= 0)
            return 0;
        g_string_append_len(buf, chunk, n);
    }
}

/* Whether the guest has opened its agent port (QEMU's query-chardev
 * "frontend-open" of the channel's chardev): 1 open, 0 not, -1 unknown
 * (reason in @st). Under a QUERY job; object locked. */
static int
qemuStopAgentPortOpen(qemuStopRun *run, vkStopStepReport *st, const char *label,
                      gint64 until)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(run->obj);
    gint64 left = (until - g_get_monotonic_time()) / 1000;
    int open;

    if (left <= 0 ||
        virDomainObjBeginJob(run->obj, VIR_JOB_QUERY, (unsigned int)left) < 0) {
        qemuStopSetReason(st, "guest agent not asked: %s",
                          left <= 0 ? "no time left" : virGetLastErrorMessage());
        virResetLastError();
        return -1;
    }
    if (!priv->mon || qemuStopRunOver(run)) {
        virDomainObjEndJob(run->obj, VIR_JOB_QUERY);
        qemuStopSetReason(st, "QEMU monitor is not connected");
        return -1;
    }
    open = qemuAgentPortOpen(run->obj, label,
                             (int)MIN(MAX(left, 1), QEMU_STOP_AGENT_QUERY_MS));
    virDomainObjEndJob(run->obj, VIR_JOB_QUERY);
    if (open < 0) {
        qemuStopSetReason(st, "query-chardev failed: %s", virGetLastErrorMessage());
        virResetLastError();
    }
    return open;
}

/* The guest agent step: skipped at the cost of one query when the guest
 * has not opened its agent port; else guest-sync (bounded), guest-shutdown
 * and a wait for the power-off until @until. */
static void
qemuStopStepAgent(qemuStopRun *run, unsigned int policy, gint64 until)
{
    vkStopStepReport *st = &run->report->steps[VK_STOP_STEP_AGENT];
    gint64 stepStart = g_get_monotonic_time();
    g_autofree char *path = NULL;
    g_autofree char *label = NULL;
    g_autoptr(GString) buf = g_string_new(NULL);
    static const char shutdown[] =
        "{\"execute\":\"guest-shutdown\",\"arguments\":{\"mode\":\"powerdown\"}}\n";
    int fd = -1;
    int open;

    st->outcome = VK_STOP_OUTCOME_SKIPPED;
    if (policy & VK_STOP_SKIP_AGENT) {
        qemuStopSetReason(st, "skipped by the policy");
        return;
    }
    if (!qemuAgentFindChannel(run->obj->def, &path, &label)) {
        qemuStopSetReason(st, "no guest agent channel (%s, unix) in the definition",
                          QEMU_AGENT_CHANNEL_NAME);
        goto done;
    }
    if (run->obj->state != VIR_DOMAIN_RUNNING) {
        qemuStopSetReason(st, "the guest is not running: its agent cannot answer");
        goto done;
    }
    if (qemuStopProcessIsStopped(run->pid)) {
        qemuStopSetReason(st, "QEMU process %lld is stopped (SIGSTOP)",
                          (long long)run->pid);
        goto done;
    }
    if ((open = qemuStopAgentPortOpen(run, st, label, until)) <= 0) {
        if (open == 0)
            qemuStopSetReason(st, "no guest agent: the guest has not opened its port");
        goto done;
    }

    /* an agent listens: it must answer guest-sync in time */
    st->attempts = 1;
    virDomainObjUnlock(run->obj);
    fd = qemuAgentConnect(path);
    if (fd >= 0 &&
        qemuAgentSync(
            fd, buf,
            MIN(until, g_get_monotonic_time() + QEMU_STOP_AGENT_SYNC_MS * 1000)) == 0 &&
        write(fd, shutdown, strlen(shutdown)) == (ssize_t)strlen(shutdown)) {
        /* success has no reply; a refusal comes at once */
        if (qemuStopAgentRead(fd, buf, NULL,
                              g_get_monotonic_time() +
                                  QEMU_STOP_AGENT_REFUSAL_MS * 1000) == 1 &&
            strstr(buf->str, "\"error\"")) {
            g_strchomp(buf->str);
            qemuStopSetReason(st, "guest-shutdown refused: %.80s", buf->str);
            st->outcome = VK_STOP_OUTCOME_FAILED;
        }
    } else {
        qemuStopSetReason(st, "guest agent port open but no answer to guest-sync%s",
                          fd < 0 ? " (cannot connect)" : "");
        st->outcome = VK_STOP_OUTCOME_FAILED;
    }
    if (fd >= 0)
        close(fd);
    virDomainObjLock(run->obj);
    if (st->outcome == VK_STOP_OUTCOME_FAILED)
        goto done;
    qemuStopNotify(run, VK_STOP_STEP_AGENT, 1, "guest agent: guest-shutdown sent");
    if (qemuStopWait(run, until)) {
        st->outcome = VK_STOP_OUTCOME_ENDED;
        qemuStopSetReason(st, "the guest powered off through its agent");
    } else {
        st->outcome = VK_STOP_OUTCOME_SURVIVED;
        qemuStopSetReason(st, "no power-off after the agent's guest-shutdown");
    }

done:
    st->elapsed_ms = qemuStopElapsedMs(run, stepStart);
    if (st->outcome == VK_STOP_OUTCOME_SKIPPED)
        qemuStopNotify(run, VK_STOP_STEP_AGENT, 0, "guest agent: skipped");
}

static void
qemuStopStepAcpi(qemuStopRun *run, unsigned int policy, gint64 acpiEnd,
                 unsigned int intervalMs)
{
    vkStopStepReport *st = &run->report->steps[VK_STOP_STEP_ACPI];
    gint64 stepStart = g_get_monotonic_time();

    if (policy & VK_STOP_SKIP_ACPI) {
        st->outcome = VK_STOP_OUTCOME_SKIPPED;
        qemuStopSetReason(st, "skipped by the policy");
        return;
    }
    if (!run->obj->def->acpi) {
        st->outcome = VK_STOP_OUTCOME_SKIPPED;
        qemuStopSetReason(st, "no <acpi/> in the definition: the guest cannot see "
                              "a power button");
        return;
    }
    if (run->obj->state != VIR_DOMAIN_RUNNING) {
        st->outcome = VK_STOP_OUTCOME_SKIPPED;
        qemuStopSetReason(st, "the guest is %s: its vCPUs cannot see the button",
                          run->obj->state == VIR_DOMAIN_SHUTDOWN
                              ? "already shut down"
                              : "not running (paused)");
        return;
    }
    if (qemuStopProcessIsStopped(run->pid)) {
        st->outcome = VK_STOP_OUTCOME_SKIPPED;
        qemuStopSetReason(st, "QEMU process %lld is stopped (SIGSTOP)",
                          (long long)run->pid);
        return;
    }

    while (!qemuStopRunOver(run) && g_get_monotonic_time() < acpiEnd) {
        gint64 next;
        g_autofree char *what = NULL;

        if (qemuStopPressButton(run, st, acpiEnd) == 0) {
            st->attempts++;
            what = g_strdup_printf("ACPI power button pressed (%u)", st->attempts);
            qemuStopNotify(run, VK_STOP_STEP_ACPI, st->attempts, what);
        }
        next = MIN(g_get_monotonic_time() + (gint64)intervalMs * 1000, acpiEnd);
        if (qemuStopWait(run, next))
            break;
    }
    st->elapsed_ms = qemuStopElapsedMs(run, stepStart);
    if (run->exited) {
        st->outcome = VK_STOP_OUTCOME_ENDED;
        qemuStopSetReason(st, "the guest powered off after %u press%s", st->attempts,
                          st->attempts == 1 ? "" : "es");
    } else if (st->attempts == 0) {
        st->outcome = VK_STOP_OUTCOME_FAILED;
    } else {
        st->outcome = VK_STOP_OUTCOME_SURVIVED;
        qemuStopSetReason(st, "no power-off after %u press%s", st->attempts,
                          st->attempts == 1 ? "" : "es");
    }
}

static void
qemuStopStepCleanExit(qemuStopRun *run, unsigned int policy, gint64 until)
{
    vkStopStepReport *st = &run->report->steps[VK_STOP_STEP_CLEAN_EXIT];
    gint64 stepStart = g_get_monotonic_time();
    bool withheld = false;

    if (policy & VK_STOP_SKIP_CLEAN_EXIT) {
        st->outcome = VK_STOP_OUTCOME_SKIPPED;
        qemuStopSetReason(st, "skipped by the policy");
        return;
    }
    qemuStopNotify(run, VK_STOP_STEP_CLEAN_EXIT, 1,
                   "SIGTERM: QEMU stops the vCPUs, flushes and closes its disks");
    /* A stopped QEMU would act on SIGTERM whenever it is continued: the
     * signal waits until it runs again (as graceful destroy withholds it),
     * so a guest that survives the call keeps running. */
    while (!qemuStopRunOver(run) && g_get_monotonic_time() < until) {
        if (st->attempts == 0) {
            if (qemuStopProcessIsStopped(run->pid)) {
                withheld = true;
            } else if (virProcessPidfdKill(run->pidfd, SIGTERM) < 0 && errno != ESRCH) {
                st->outcome = VK_STOP_OUTCOME_FAILED;
                qemuStopSetReason(st, "SIGTERM to %lld failed: %s", (long long)run->pid,
                                  g_strerror(errno));
                break;
            } else {
                st->attempts = 1;
                withheld = false;
            }
        }
        if (qemuStopWait(run, st->attempts ? until
                                           : MIN(until, g_get_monotonic_time() +
                                                            QEMU_STOP_POLL_MS * 1000)))
            break;
    }
    st->elapsed_ms = qemuStopElapsedMs(run, stepStart);
    if (st->outcome == VK_STOP_OUTCOME_FAILED)
        return;
    if (run->exited) {
        st->outcome = VK_STOP_OUTCOME_ENDED;
        qemuStopSetReason(st, "QEMU exited on SIGTERM");
    } else {
        st->outcome = VK_STOP_OUTCOME_SURVIVED;
        if (withheld && st->attempts == 0)
            qemuStopSetReason(st,
                              "QEMU process %lld is stopped (SIGSTOP): SIGTERM withheld",
                              (long long)run->pid);
        else
            qemuStopSetReason(st, "QEMU still running after SIGTERM");
    }
}

static void
qemuStopStepKill(qemuStopRun *run, bool allowKill)
{
    vkStopStepReport *st = &run->report->steps[VK_STOP_STEP_KILL];
    gint64 stepStart = g_get_monotonic_time();

    if (!allowKill) {
        st->outcome = VK_STOP_OUTCOME_SKIPPED;
        qemuStopSetReason(st, "SIGKILL not allowed by the policy");
        return;
    }
    qemuStopNotify(run, VK_STOP_STEP_KILL, 1, "SIGKILL");
    st->attempts = 1;
    if (virProcessPidfdKill(run->pidfd, SIGKILL) < 0 && errno != ESRCH) {
        st->outcome = VK_STOP_OUTCOME_FAILED;
        qemuStopSetReason(st, "SIGKILL to %lld failed: %s", (long long)run->pid,
                          g_strerror(errno));
        return;
    }
    qemuStopWait(run, g_get_monotonic_time() + (gint64)QEMU_KILL_WAIT_MS * 1000);
    st->elapsed_ms = qemuStopElapsedMs(run, stepStart);
    if (run->exited) {
        st->outcome = VK_STOP_OUTCOME_ENDED;
    } else {
        st->outcome = VK_STOP_OUTCOME_FAILED;
        qemuStopSetReason(st,
                          "QEMU process %lld did not exit after SIGKILL: stuck in the "
                          "kernel, SIGKILL sent again in the background",
                          (long long)run->pid);
        if (run->obj->pid == run->pid && virDomainObjIsActive(run->obj))
            qemuProcessMarkStuck(run->obj);
    }
}

/* The ladder is over and QEMU has exited: make sure the domain is shut off
 * (its events queued) before returning, as destroy does. */
static void
qemuStopFinish(qemuDriver *driver, qemuStopRun *run, bool holdsDestroy, int endedBy)
{
    virDomainObj *obj = run->obj;
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    virObjectEvent *ev = NULL;
    bool guest = endedBy == VK_STOP_STEP_AGENT || endedBy == VK_STOP_STEP_ACPI;

    if (!holdsDestroy) {
        /* the guest powered off: the exit worker's path, run here at once
         * (whichever comes second finds the run over) */
        virDomainObjUnlock(obj);
        qemuProcessHandleExit(driver, obj, run->runId);
        virDomainObjLock(obj);
        /* The worker may be the one stopping it, with the lock dropped
         * inside qemuProcessStop (the run is already over for us): its
         * DESTROY job ends once the domain is shut off and QEMU reaped. */
        if (virDomainObjBeginJob(obj, VIR_JOB_DESTROY, QEMU_JOB_WAIT_MS) < 0) {
            g_debug("stop of '%s': not seen finished: %s", obj->def->name,
                    virGetLastErrorMessage());
            virResetLastError();
            return;
        }
        virDomainObjEndJob(obj, VIR_JOB_DESTROY);
        return;
    }
    if (virDomainObjBeginJob(obj, VIR_JOB_DESTROY, QEMU_JOB_WAIT_MS) < 0) {
        priv->beingDestroyed--;
        g_debug("stop of '%s': no job to finish it: %s", obj->def->name,
                virGetLastErrorMessage());
        virResetLastError();
        return;
    }
    priv->beingDestroyed--;
    if (priv->runId == run->runId && virDomainObjIsActive(obj)) {
        priv->fakeReboot = false;
        qemuProcessStop(driver, obj,
                        guest ? VIR_DOMAIN_SHUTOFF_SHUTDOWN
                              : VIR_DOMAIN_SHUTOFF_DESTROYED);
        ev =
            virDomainEventLifecycleNewFromObj(obj, VIR_DOMAIN_EVENT_STOPPED,
                                              guest ? VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN
                                                    : VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
        run->dom->id = -1;
    }
    virDomainObjEndJob(obj, VIR_JOB_DESTROY);
    qemuDomainRemoveInactive(driver, obj);
    virObjectEventStateQueue(driver->events, ev);
}

int
qemuDomainVkStop(virDomainPtr dom, unsigned int deadlineMs, unsigned int policy,
                 vkStopReport *report, vkStopProgressFunc progress, void *opaque)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    qemuDomainObjPrivate *priv;
    qemuStopRun run = {
        .dom = dom, .report = report, .progress = progress, .opaque = opaque, .pidfd = -1
    };
    unsigned int acpiShare = QEMU_STOP_ACPI_SHARE_DEFAULT;
    unsigned int intervalMs = QEMU_STOP_ACPI_INTERVAL_DEFAULT_MS;
    bool allowKill;
    bool holdsDestroy = false;
    gint64 killReserve;
    int ret = -1;

    unsigned int flags = policy; /* virCheckFlags names it so */

    virCheckFlags(VK_STOP_ALLOW_KILL | VK_STOP_SKIP_AGENT | VK_STOP_SKIP_ACPI |
                      VK_STOP_SKIP_CLEAN_EXIT | VK_STOP_USE_DEFINITION,
                  -1);

    if (!(run.obj = qemuDomainObjFromDomain(dom)))
        return -1;
    priv = qemuDomainPriv(run.obj);
    if (qemuDomainObjCheckActive(run.obj) < 0 || qemuProcessCheckStuck(run.obj))
        goto cleanup;
    if (priv->pidfd < 0) {
        /* a start that has not spawned yet holds the job: wait for it */
        if (virDomainObjBeginJob(run.obj, VIR_JOB_DESTROY, QEMU_JOB_WAIT_MS) < 0)
            goto cleanup;
        virDomainObjEndJob(run.obj, VIR_JOB_DESTROY);
        if (qemuDomainObjCheckActive(run.obj) < 0)
            goto cleanup;
        if (priv->pidfd < 0) {
            virReportError(VIR_ERR_OPERATION_FAILED, "%s", "QEMU process is not known");
            goto cleanup;
        }
    }

    allowKill = policy & VK_STOP_ALLOW_KILL;
    if (policy & VK_STOP_USE_DEFINITION) {
        virDomainStopPolicy sp;

        if (virDomainStopPolicyFromDef(run.obj->def, &sp) < 0)
            goto cleanup;
        if (deadlineMs == 0 && sp.deadlineSec > 0)
            deadlineMs = (unsigned int)sp.deadlineSec * 1000;
        if (sp.acpiShare >= 0)
            acpiShare = (unsigned int)sp.acpiShare;
        if (sp.acpiIntervalSec > 0)
            intervalMs = (unsigned int)sp.acpiIntervalSec * 1000;
        if (sp.allowKill > 0)
            allowKill = true;
    }
    if (deadlineMs == 0)
        deadlineMs = QEMU_STOP_DEADLINE_DEFAULT_MS;
    report->deadline_ms = deadlineMs;

    if ((run.pidfd = dup(priv->pidfd)) < 0) {
        virReportSystemError(errno, "%s", "cannot duplicate pidfd");
        goto cleanup;
    }
    run.pid = run.obj->pid;
    run.runId = priv->runId;
    run.start = g_get_monotonic_time();
    run.end = run.start + (gint64)deadlineMs * 1000;
    killReserve = allowKill ? MIN((gint64)QEMU_STOP_KILL_RESERVE_MS * 1000,
                                  (gint64)deadlineMs * 100)
                            : 0;
    if (priv->vkStopping++ == 0) {
        g_free(priv->vkStopRequestor);
        priv->vkStopRequestor = g_strdup(virObjectEventGetRequestor());
    }

    /* 1. agent, when the guest has one listening: half the graceful share */
    qemuStopStepAgent(&run, policy,
                      run.start + (gint64)deadlineMs * 1000 / 200 * acpiShare);

    /* 2. ACPI, re-pressed, for its share of the deadline */
    if (!qemuStopRunOver(&run))
        qemuStopStepAcpi(&run, policy,
                         run.start + (gint64)deadlineMs * 1000 / 100 * acpiShare,
                         intervalMs);

    /* 3. and 4.: the host ends QEMU; its reactions are ours to handle */
    if (!qemuStopRunOver(&run)) {
        priv->beingDestroyed++;
        holdsDestroy = true;
        qemuStopStepCleanExit(&run, policy, run.end - killReserve);
        if (!qemuStopRunOver(&run))
            qemuStopStepKill(&run, allowKill);
    }

    for (int s = VK_STOP_STEP_AGENT; s < VK_STOP_STEP_LAST; s++) {
        if (report->steps[s].outcome == VK_STOP_OUTCOME_ENDED)
            report->ended_by = s;
    }

    if (run.exited) {
        qemuStopFinish(driver, &run, holdsDestroy, report->ended_by);
        holdsDestroy = false;
        if (report->ended_by == VK_STOP_STEP_NONE) {
            /* it went between two steps (someone else's destroy, a crash) */
            report->flushed = -1;
        } else if (report->ended_by == VK_STOP_STEP_KILL) {
            report->flushed = 0;
        } else if (priv->lastExitKnown) {
            /* QEMU's clean path ends in exit(); SIGKILL (its own kill timer
             * included) shows as a signal */
            report->flushed = WIFEXITED(priv->lastExitStatus) ? 1 : 0;
        } else {
            report->flushed = -1; /* adopted after a restart: not our child */
        }
        ret = 0;
    } else {
        if (holdsDestroy) {
            priv->beingDestroyed--;
            holdsDestroy = false;
        }
        virReportError(VIR_ERR_OPERATION_TIMEOUT,
                       "domain '%s' still running after %llu ms: %s", run.obj->def->name,
                       qemuStopElapsedMs(&run, run.start),
                       report->steps[VK_STOP_STEP_KILL].reason[0]
                           ? report->steps[VK_STOP_STEP_KILL].reason
                           : "the stop ladder ran out");
    }
    if (--priv->vkStopping == 0)
        g_clear_pointer(&priv->vkStopRequestor, g_free);
    report->total_ms = qemuStopElapsedMs(&run, run.start);
    g_debug("stop '%s': ended by step %d in %llu ms, flushed %d", run.obj->def->name,
            report->ended_by, report->total_ms, report->flushed);

cleanup:
    if (run.pidfd >= 0)
        close(run.pidfd);
    virDomainObjEndAPI(&run.obj);
    return ret;
}
