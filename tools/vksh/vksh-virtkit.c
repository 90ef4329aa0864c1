/* vksh-virtkit.c: commands over virtkit's own API (virtkit.h): stop */

/*
 * Built into vksh only (not into vksh-libvirt, which links Debian's
 * libvirt). The progress callback of stop may run on the library's I/O
 * thread while the main thread waits in vkDomainStopWithProgress: it only
 * writes one line to stdout (stdio locks the stream).
 */

#define G_LOG_DOMAIN "vksh.virtkit"
#include <stdio.h>

#include <virtkit/virtkit.h>

#include "vksh.h"

static const vkshOptDef optsStop[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "timeout", VKSH_OT_INT, 0,
      "deadline of the whole stop in seconds (default: the domain's stop policy, or 60)" },
    { "kill", VKSH_OT_BOOL, 0, "SIGKILL at the deadline if the guest is still running" },
    { "no-agent", VKSH_OT_BOOL, 0, "do not ask the guest agent" },
    { "no-acpi", VKSH_OT_BOOL, 0, "do not press the ACPI power button" },
    { "no-clean-exit", VKSH_OT_BOOL, 0, "no SIGTERM step" },
    { "use-definition", VKSH_OT_BOOL, 0,
      "take the ladder from the domain's stop policy (<metadata>)" },
    { NULL, 0, 0, NULL },
};

static void
vkshStopProgress(virDomainPtr dom, const vkStopProgress *p, void *opaque)
{
    vkshControl *ctl = opaque;

    if (ctl->quiet)
        return;
    printf("[%6.2fs / %us] %s: %s: %s\n", p->elapsed_ms / 1000.0, p->deadline_ms / 1000,
           virDomainGetName(dom), vkStopStepName(p->step), p->what ? p->what : "");
    fflush(stdout);
}

static void
vkshStopPrintReport(vkshControl *ctl, const vkStopReport *r)
{
    for (int s = VK_STOP_STEP_AGENT; s < VK_STOP_STEP_LAST; s++) {
        const vkStopStepReport *st = &r->steps[s];

        vkshPrint(ctl, "  %-11s %-12s %7.2fs", vkStopStepName(s),
                  vkStopOutcomeName(st->outcome), st->elapsed_ms / 1000.0);
        if (st->attempts)
            vkshPrint(ctl, "  x%u", st->attempts);
        if (st->reason[0])
            vkshPrint(ctl, "  %s", st->reason);
        vkshPrint(ctl, "\n");
    }
}

static bool
cmdStop(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;
    unsigned int policy = 0;
    int timeout = 0;
    vkStopReport r;

    if (vkshOptInt(ctl, cmd, "timeout", &timeout) < 0)
        return false;
    if (timeout < 0 || timeout > 86400) {
        vkshError(ctl, "%s", "Invalid value for timeout (seconds, 0 to 86400)");
        return false;
    }
    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (vkshOptBool(cmd, "kill"))
        policy |= VK_STOP_ALLOW_KILL;
    if (vkshOptBool(cmd, "no-agent"))
        policy |= VK_STOP_SKIP_AGENT;
    if (vkshOptBool(cmd, "no-acpi"))
        policy |= VK_STOP_SKIP_ACPI;
    if (vkshOptBool(cmd, "no-clean-exit"))
        policy |= VK_STOP_SKIP_CLEAN_EXIT;
    if (vkshOptBool(cmd, "use-definition"))
        policy |= VK_STOP_USE_DEFINITION;

    if (vkDomainStopWithProgress(dom, (unsigned int)timeout * 1000, policy, &r,
                                 vkshStopProgress, ctl) < 0) {
        if (r.deadline_ms)
            vkshStopPrintReport(ctl, &r);
        vkshError(ctl, "Failed to stop domain '%s'", name);
        return false;
    }
    vkshPrint(ctl, "Domain '%s' stopped by %s in %.2fs (deadline %.0fs), flushed: %s\n",
              name, vkStopStepName(r.ended_by), r.total_ms / 1000.0,
              r.deadline_ms / 1000.0,
              r.flushed > 0    ? "yes"
              : r.flushed == 0 ? "no"
                               : "unknown");
    vkshStopPrintReport(ctl, &r);
    return true;
}

const vkshCmdDef vkshVirtkitCmds[] = {
    { "stop", cmdStop, optsStop, "stop a domain within a deadline, gently first",
      "Stop a domain within --timeout seconds: guest agent, ACPI power button "
      "(re-pressed), QEMU's clean exit (disks flushed), then SIGKILL only with --kill. "
      "Prints a progress line per step and which step ended the guest.",
      0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
