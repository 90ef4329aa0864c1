/* remote_driver_event.c: the domain event messages other than lifecycle/reboot, decoded into queued events */
/*
 * Runs on the connection's RPC I/O thread (remoteEvent): it only decodes
 * and queues into priv->events, which is thread-safe; the callbacks run
 * later from the application's event loop. The legacy messages (a
 * registration through 167) and the callback forms (316) carry the same
 * fields; both become the same event. A message that does not decode is
 * dropped (the caller logs it).
 */
#define G_LOG_DOMAIN "virtkit.remote.event"
#include <string.h>

#include "remote_driver_priv.h"
#include "remote_typedparam.h"

#define REMOTE_DECODE(ev) virNetMessageDecodePayload(msg, p->argsFilter, &(ev), why)
#define REMOTE_DOM(d) (d).id, (d).name, (d).uuid

static virObjectEvent *
remoteGraphicsEventNew(const remote_domain_event_graphics_msg *m)
{
    virDomainEventGraphicsAddress local = {
        .family = m->local.family,
        .node = m->local.node,
        .service = m->local.service,
    };
    virDomainEventGraphicsAddress remote = {
        .family = m->remote.family,
        .node = m->remote.node,
        .service = m->remote.service,
    };
    g_autofree virDomainEventGraphicsSubjectIdentity *ids = NULL;
    virDomainEventGraphicsSubject subject = { 0 };

    if (m->subject_len > 0) {
        ids = g_new0(virDomainEventGraphicsSubjectIdentity, m->subject_len);
        for (uint32_t i = 0; i < m->subject_len; i++) {
            ids[i].type = m->subject_val[i].type;
            ids[i].name = m->subject_val[i].name;
        }
    }
    subject.nidentity = (int)m->subject_len;
    subject.identities = ids;
    return virDomainEventGraphicsNew(REMOTE_DOM(m->dom), m->phase, &local, &remote,
                                     m->authScheme, &subject);
}

/* TUNABLE / JOB_COMPLETED; NULL (logged) when the parameters are bad. */
static virObjectEvent *
remoteParamsEventNew(bool tunable, const remote_nonnull_domain *d,
                     const remote_typed_param *val, uint32_t len)
{
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    virObjectEvent *event;

    if (remoteTypedParamsDeserialize(val, len,
                                     tunable ? REMOTE_DOMAIN_EVENT_TUNABLE_MAX
                                             : REMOTE_DOMAIN_JOB_STATS_MAX,
                                     &params, &nparams) < 0) {
        g_debug("dropping event of '%s': %s", d->name, virGetLastErrorMessage());
        virResetLastError();
        return NULL;
    }
    if (tunable)
        event = virDomainEventTunableNew(REMOTE_DOM(*d), params, nparams);
    else
        event = virDomainEventJobCompletedNew(REMOTE_DOM(*d), params, nparams);
    remoteTypedParamsFree(params, nparams);
    return event;
}

/* One case per message: decode into @T, build the event with @expr (which
 * reads "ev"), free. */
#define REMOTE_EVENT_CASE(PROC, T, expr) \
    case PROC: {                         \
        T ev = { 0 };                    \
        if (!REMOTE_DECODE(ev))          \
            return false;                \
        event = (expr);                  \
        virXdrFree(p->argsFilter, &ev);  \
        break;                           \
    }

/* Legacy message @lower (no callbackID) and its callback form (the same
 * fields in .msg). */
#define REMOTE_EVENT_PAIR(NAME, lower, expr_of_m)                               \
    REMOTE_EVENT_CASE(REMOTE_PROC_DOMAIN_EVENT_##NAME,                          \
                      remote_domain_event_##lower##_msg, ({                     \
                          const remote_domain_event_##lower##_msg *m = &ev;     \
                          (expr_of_m);                                          \
                      }))                                                       \
    REMOTE_EVENT_CASE(REMOTE_PROC_DOMAIN_EVENT_CALLBACK_##NAME,                 \
                      remote_domain_event_callback_##lower##_msg, ({            \
                          const remote_domain_event_##lower##_msg *m = &ev.msg; \
                          (expr_of_m);                                          \
                      }))

bool
remoteDomainEvent(remotePrivate *priv, virNetMessage *msg, const remoteProcedure *p,
                  const char **why)
{
    virObjectEvent *event = NULL;

    switch (msg->header.proc) {
        REMOTE_EVENT_PAIR(RTC_CHANGE, rtc_change,
                          virDomainEventRTCChangeNew(REMOTE_DOM(m->dom), m->offset))
        REMOTE_EVENT_PAIR(WATCHDOG, watchdog,
                          virDomainEventWatchdogNew(REMOTE_DOM(m->dom), m->action))
        REMOTE_EVENT_PAIR(IO_ERROR, io_error,
                          virDomainEventIOErrorNew(REMOTE_DOM(m->dom), m->srcPath,
                                                   m->devAlias, m->action, NULL))
        REMOTE_EVENT_PAIR(IO_ERROR_REASON, io_error_reason,
                          virDomainEventIOErrorNew(REMOTE_DOM(m->dom), m->srcPath,
                                                   m->devAlias, m->action, m->reason))
        REMOTE_EVENT_PAIR(GRAPHICS, graphics, remoteGraphicsEventNew(m))
        REMOTE_EVENT_PAIR(CONTROL_ERROR, control_error,
                          virDomainEventControlErrorNew(REMOTE_DOM(m->dom)))
        REMOTE_EVENT_PAIR(BLOCK_JOB, block_job,
                          virDomainEventBlockJobNew(VIR_DOMAIN_EVENT_ID_BLOCK_JOB,
                                                    REMOTE_DOM(m->dom), m->path, m->type,
                                                    m->status))
        REMOTE_EVENT_PAIR(DISK_CHANGE, disk_change,
                          virDomainEventDiskChangeNew(REMOTE_DOM(m->dom), m->oldSrcPath,
                                                      m->newSrcPath, m->devAlias,
                                                      m->reason))
        REMOTE_EVENT_PAIR(
            TRAY_CHANGE, tray_change,
            virDomainEventTrayChangeNew(REMOTE_DOM(m->dom), m->devAlias, m->reason))
        REMOTE_EVENT_PAIR(BALLOON_CHANGE, balloon_change,
                          virDomainEventBalloonChangeNew(REMOTE_DOM(m->dom), m->actual))
        REMOTE_EVENT_PAIR(DEVICE_REMOVED, device_removed,
                          virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
                                                  REMOTE_DOM(m->dom), m->devAlias))
        /* The PM messages: the reason only in the callback form. */
        REMOTE_EVENT_CASE(
            REMOTE_PROC_DOMAIN_EVENT_PMWAKEUP, remote_domain_event_pmwakeup_msg,
            virDomainEventPMNew(VIR_DOMAIN_EVENT_ID_PMWAKEUP, REMOTE_DOM(ev.dom), 0))
        REMOTE_EVENT_CASE(REMOTE_PROC_DOMAIN_EVENT_CALLBACK_PMWAKEUP,
                          remote_domain_event_callback_pmwakeup_msg,
                          virDomainEventPMNew(VIR_DOMAIN_EVENT_ID_PMWAKEUP,
                                              REMOTE_DOM(ev.msg.dom), ev.reason))
        REMOTE_EVENT_CASE(
            REMOTE_PROC_DOMAIN_EVENT_PMSUSPEND, remote_domain_event_pmsuspend_msg,
            virDomainEventPMNew(VIR_DOMAIN_EVENT_ID_PMSUSPEND, REMOTE_DOM(ev.dom), 0))
        REMOTE_EVENT_CASE(REMOTE_PROC_DOMAIN_EVENT_CALLBACK_PMSUSPEND,
                          remote_domain_event_callback_pmsuspend_msg,
                          virDomainEventPMNew(VIR_DOMAIN_EVENT_ID_PMSUSPEND,
                                              REMOTE_DOM(ev.msg.dom), ev.reason))
        REMOTE_EVENT_CASE(REMOTE_PROC_DOMAIN_EVENT_PMSUSPEND_DISK,
                          remote_domain_event_pmsuspend_disk_msg,
                          virDomainEventPMNew(VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK,
                                              REMOTE_DOM(ev.dom), 0))
        REMOTE_EVENT_CASE(REMOTE_PROC_DOMAIN_EVENT_CALLBACK_PMSUSPEND_DISK,
                          remote_domain_event_callback_pmsuspend_disk_msg,
                          virDomainEventPMNew(VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK,
                                              REMOTE_DOM(ev.msg.dom), ev.reason))
        /* The IDs that only have a callback form. */
        REMOTE_EVENT_CASE(
            REMOTE_PROC_DOMAIN_EVENT_BLOCK_JOB_2, remote_domain_event_block_job_2_msg,
            virDomainEventBlockJobNew(VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2, REMOTE_DOM(ev.dom),
                                      ev.dst, ev.type, ev.status))
        REMOTE_EVENT_CASE(
            REMOTE_PROC_DOMAIN_EVENT_CALLBACK_TUNABLE,
            remote_domain_event_callback_tunable_msg,
            remoteParamsEventNew(true, &ev.dom, ev.params_val, ev.params_len))
        REMOTE_EVENT_CASE(
            REMOTE_PROC_DOMAIN_EVENT_CALLBACK_AGENT_LIFECYCLE,
            remote_domain_event_callback_agent_lifecycle_msg,
            virDomainEventAgentLifecycleNew(REMOTE_DOM(ev.dom), ev.state, ev.reason))
        REMOTE_EVENT_CASE(REMOTE_PROC_DOMAIN_EVENT_CALLBACK_DEVICE_ADDED,
                          remote_domain_event_callback_device_added_msg,
                          virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
                                                  REMOTE_DOM(ev.dom), ev.devAlias))
        REMOTE_EVENT_CASE(
            REMOTE_PROC_DOMAIN_EVENT_CALLBACK_MIGRATION_ITERATION,
            remote_domain_event_callback_migration_iteration_msg,
            virDomainEventMigrationIterationNew(REMOTE_DOM(ev.dom), ev.iteration))
        REMOTE_EVENT_CASE(
            REMOTE_PROC_DOMAIN_EVENT_CALLBACK_JOB_COMPLETED,
            remote_domain_event_callback_job_completed_msg,
            remoteParamsEventNew(false, &ev.dom, ev.params_val, ev.params_len))
        REMOTE_EVENT_CASE(
            REMOTE_PROC_DOMAIN_EVENT_CALLBACK_DEVICE_REMOVAL_FAILED,
            remote_domain_event_callback_device_removal_failed_msg,
            virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED,
                                    REMOTE_DOM(ev.dom), ev.devAlias))
        REMOTE_EVENT_CASE(
            REMOTE_PROC_DOMAIN_EVENT_CALLBACK_METADATA_CHANGE,
            remote_domain_event_callback_metadata_change_msg,
            virDomainEventMetadataChangeNew(REMOTE_DOM(ev.dom), ev.type, ev.nsuri))
        REMOTE_EVENT_CASE(REMOTE_PROC_DOMAIN_EVENT_BLOCK_THRESHOLD,
                          remote_domain_event_block_threshold_msg,
                          virDomainEventBlockThresholdNew(REMOTE_DOM(ev.dom), ev.dev,
                                                          ev.path, ev.threshold,
                                                          ev.excess))
        REMOTE_EVENT_CASE(REMOTE_PROC_DOMAIN_EVENT_MEMORY_FAILURE,
                          remote_domain_event_memory_failure_msg,
                          virDomainEventMemoryFailureNew(REMOTE_DOM(ev.dom), ev.recipient,
                                                         ev.action, ev.flags))
        REMOTE_EVENT_CASE(REMOTE_PROC_DOMAIN_EVENT_MEMORY_DEVICE_SIZE_CHANGE,
                          remote_domain_event_memory_device_size_change_msg,
                          virDomainEventMemoryDeviceSizeChangeNew(REMOTE_DOM(ev.dom),
                                                                  ev.alias, ev.size))
    default:
        return false;
    }
    if (!event) {
        *why = "bad parameters";
        return false;
    }
    virObjectEventStateQueue(priv->events, event);
    return true;
}
