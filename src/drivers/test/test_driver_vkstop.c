/* test_driver_vkstop.c: virtkit's own vkDomainStop against the test driver's simulated guests */

/*
 * Threads: as test_driver.c; each entry point holds one object lock at a
 * time and changes nothing outside memory.
 */

#define G_LOG_DOMAIN "virtkit.test.driver"

#include "domain_stop_policy.h"
#include "driver.h"
#include "test_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/* ---- virtkit's own API: vkDomainStop ---------------------------------- */

static void
testVkStopNotify(virDomainPtr dom, vkStopProgressFunc progress, void *opaque, int step,
                 const char *what, unsigned int deadlineMs)
{
    vkStopProgress p = {
        .step = step, .attempt = 1, .deadline_ms = deadlineMs, .what = what
    };

    if (progress)
        progress(dom, &p, opaque);
}

/*
 * The stop ladder against the test driver's simulated guests (no process,
 * no time): the agent step is always skipped (no agent); a running guest
 * whose definition has <acpi/> powers off at the first press (STOPPED
 * SHUTDOWN, whatever on_poweroff says: a stop is a stop); a paused guest or
 * one without <acpi/> skips the press and ends at the clean-exit step
 * (STOPPED DESTROYED); both report flushed = 1 (nothing unflushed). With
 * SKIP_CLEAN_EXIT, ALLOW_KILL ends it at the kill step (flushed 0), and
 * without ALLOW_KILL the call fails with OPERATION_TIMEOUT and the guest
 * keeps running, as a QEMU guest that ignores every step does.
 */
int
testDomainVkStop(virDomainPtr dom, unsigned int deadlineMs, unsigned int policy,
                 vkStopReport *report, vkStopProgressFunc progress, void *opaque)
{
    testDriver *driver = testDriverOf(dom->conn);
    virDomainObj *obj;
    virObjectEvent *event = NULL;
    vkStopStepReport *st;
    int endedBy = VK_STOP_STEP_NONE;
    int ret = -1;

    unsigned int flags = policy; /* virCheckFlags names it so */

    virCheckFlags(VK_STOP_ALLOW_KILL | VK_STOP_SKIP_AGENT | VK_STOP_SKIP_ACPI |
                      VK_STOP_SKIP_CLEAN_EXIT | VK_STOP_USE_DEFINITION,
                  -1);

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjCheckActive(obj) < 0)
        goto cleanup;
    if (policy & VK_STOP_USE_DEFINITION) {
        virDomainStopPolicy sp;

        if (virDomainStopPolicyFromDef(obj->def, &sp) < 0)
            goto cleanup;
        if (deadlineMs == 0 && sp.deadlineSec > 0)
            deadlineMs = (unsigned int)sp.deadlineSec * 1000;
        if (sp.allowKill > 0)
            policy |= VK_STOP_ALLOW_KILL;
    }
    report->deadline_ms = deadlineMs ? deadlineMs : 60000;

    st = &report->steps[VK_STOP_STEP_AGENT];
    st->outcome = VK_STOP_OUTCOME_SKIPPED;
    g_strlcpy(st->reason,
              (policy & VK_STOP_SKIP_AGENT) ? "skipped by the policy"
                                            : "no guest agent in the test driver",
              sizeof(st->reason));

    st = &report->steps[VK_STOP_STEP_ACPI];
    st->outcome = VK_STOP_OUTCOME_SKIPPED;
    if (policy & VK_STOP_SKIP_ACPI) {
        g_strlcpy(st->reason, "skipped by the policy", sizeof(st->reason));
    } else if (!obj->def->acpi) {
        g_strlcpy(st->reason, "no <acpi/> in the definition", sizeof(st->reason));
    } else if (virDomainObjGetState(obj, NULL) != VIR_DOMAIN_RUNNING) {
        g_strlcpy(st->reason, "the guest is not running (paused)", sizeof(st->reason));
    } else {
        testVkStopNotify(dom, progress, opaque, VK_STOP_STEP_ACPI,
                         "ACPI power button pressed (1)", report->deadline_ms);
        st->outcome = VK_STOP_OUTCOME_ENDED;
        st->attempts = 1;
        g_strlcpy(st->reason, "the guest powered off after 1 press", sizeof(st->reason));
        endedBy = VK_STOP_STEP_ACPI;
        event = testDomainStop(driver, obj, dom, VIR_DOMAIN_SHUTOFF_SHUTDOWN,
                               VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    }

    st = &report->steps[VK_STOP_STEP_CLEAN_EXIT];
    if (endedBy == VK_STOP_STEP_NONE) {
        if (policy & VK_STOP_SKIP_CLEAN_EXIT) {
            st->outcome = VK_STOP_OUTCOME_SKIPPED;
            g_strlcpy(st->reason, "skipped by the policy", sizeof(st->reason));
        } else {
            testVkStopNotify(dom, progress, opaque, VK_STOP_STEP_CLEAN_EXIT, "clean exit",
                             report->deadline_ms);
            st->outcome = VK_STOP_OUTCOME_ENDED;
            st->attempts = 1;
            endedBy = VK_STOP_STEP_CLEAN_EXIT;
            event = testDomainStop(driver, obj, dom, VIR_DOMAIN_SHUTOFF_DESTROYED,
                                   VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
        }
    }

    st = &report->steps[VK_STOP_STEP_KILL];
    if (endedBy == VK_STOP_STEP_NONE) {
        if (!(policy & VK_STOP_ALLOW_KILL)) {
            st->outcome = VK_STOP_OUTCOME_SKIPPED;
            g_strlcpy(st->reason, "SIGKILL not allowed by the policy",
                      sizeof(st->reason));
            virReportError(VIR_ERR_OPERATION_TIMEOUT,
                           "domain '%s' still running after 0 ms: %s", obj->def->name,
                           st->reason);
            goto cleanup;
        }
        testVkStopNotify(dom, progress, opaque, VK_STOP_STEP_KILL, "SIGKILL",
                         report->deadline_ms);
        st->outcome = VK_STOP_OUTCOME_ENDED;
        st->attempts = 1;
        endedBy = VK_STOP_STEP_KILL;
        event = testDomainStop(driver, obj, dom, VIR_DOMAIN_SHUTOFF_DESTROYED,
                               VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    }

    report->ended_by = endedBy;
    report->flushed = endedBy == VK_STOP_STEP_KILL ? 0 : 1;
    testLogTransition(obj, "vkstop");
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    testQueueEvent(driver, event);
    return ret;
}
