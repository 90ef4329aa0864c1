/* domain_event_guest.c: the domain events drivers raise from running guests (QEMU's events) and from device and definition changes: their constructors */
#define G_LOG_DOMAIN "virtkit.conf.event"

#include <string.h>

#include "domain_event.h"
#include "domain_event_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NONE

/* ---- events the drivers raise from running guests (QEMU events) ---------- */

static virObjectEvent *
virDomainEventNewStr(int eventID, int id, const char *name, const unsigned char *uuid,
                     const char *s0, const char *s1, const char *s2)
{
    virObjectEvent *event = virDomainEventNew(eventID, id, name, uuid);

    event->str[0] = g_strdup(s0);
    event->str[1] = g_strdup(s1);
    event->str[2] = g_strdup(s2);
    return event;
}


static void
virDomainEventCopyParams(virObjectEvent *event, const virTypedParameter *params,
                         int nparams)
{
    if (nparams <= 0)
        return;
    event->params = g_new0(virTypedParameter, nparams);
    event->nparams = nparams;
    for (int i = 0; i < nparams; i++) {
        event->params[i] = params[i];
        if (params[i].type == VIR_TYPED_PARAM_STRING)
            event->params[i].value.s = g_strdup(params[i].value.s);
    }
}


virObjectEvent *
virDomainEventRTCChangeNew(int id, const char *name, const unsigned char *uuid,
                           long long offset)
{
    virObjectEvent *event =
        virDomainEventNew(VIR_DOMAIN_EVENT_ID_RTC_CHANGE, id, name, uuid);

    event->big[0] = (unsigned long long)offset;
    return event;
}


virObjectEvent *
virDomainEventWatchdogNew(int id, const char *name, const unsigned char *uuid, int action)
{
    virObjectEvent *event =
        virDomainEventNew(VIR_DOMAIN_EVENT_ID_WATCHDOG, id, name, uuid);

    event->num[0] = action;
    return event;
}


virObjectEvent *
virDomainEventIOErrorNew(int id, const char *name, const unsigned char *uuid,
                         const char *srcPath, const char *devAlias, int action,
                         const char *reason)
{
    virObjectEvent *event = virDomainEventNewStr(
        reason ? VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON : VIR_DOMAIN_EVENT_ID_IO_ERROR, id,
        name, uuid, srcPath ? srcPath : "", devAlias ? devAlias : "", reason);

    event->num[0] = action;
    return event;
}


virObjectEvent *
virDomainEventGraphicsNew(int id, const char *name, const unsigned char *uuid, int phase,
                          const virDomainEventGraphicsAddress *local,
                          const virDomainEventGraphicsAddress *remote,
                          const char *authScheme,
                          const virDomainEventGraphicsSubject *subject)
{
    virObjectEvent *event =
        virDomainEventNewStr(VIR_DOMAIN_EVENT_ID_GRAPHICS, id, name, uuid,
                             authScheme ? authScheme : "", NULL, NULL);

    event->num[0] = phase;
    event->local.family = local->family;
    event->local.node = g_strdup(local->node ? local->node : "");
    event->local.service = g_strdup(local->service ? local->service : "");
    event->remote.family = remote->family;
    event->remote.node = g_strdup(remote->node ? remote->node : "");
    event->remote.service = g_strdup(remote->service ? remote->service : "");
    if (subject && subject->nidentity > 0) {
        event->subject.nidentity = subject->nidentity;
        event->subject.identities =
            g_new0(virDomainEventGraphicsSubjectIdentity, subject->nidentity);
        for (int i = 0; i < subject->nidentity; i++) {
            event->subject.identities[i].type = g_strdup(subject->identities[i].type);
            event->subject.identities[i].name = g_strdup(subject->identities[i].name);
        }
    }
    return event;
}


virObjectEvent *
virDomainEventControlErrorNew(int id, const char *name, const unsigned char *uuid)
{
    return virDomainEventNew(VIR_DOMAIN_EVENT_ID_CONTROL_ERROR, id, name, uuid);
}


virObjectEvent *
virDomainEventBlockJobNew(int eventID, int id, const char *name,
                          const unsigned char *uuid, const char *disk, int type,
                          int status)
{
    virObjectEvent *event =
        virDomainEventNewStr(eventID, id, name, uuid, disk ? disk : "", NULL, NULL);

    event->num[0] = type;
    event->num[1] = status;
    return event;
}


virObjectEvent *
virDomainEventPMNew(int eventID, int id, const char *name, const unsigned char *uuid,
                    int reason)
{
    virObjectEvent *event = virDomainEventNew(eventID, id, name, uuid);

    event->num[0] = reason;
    return event;
}


virObjectEvent *
virDomainEventBalloonChangeNew(int id, const char *name, const unsigned char *uuid,
                               unsigned long long actual)
{
    virObjectEvent *event =
        virDomainEventNew(VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE, id, name, uuid);

    event->big[0] = actual;
    return event;
}


virObjectEvent *
virDomainEventTunableNew(int id, const char *name, const unsigned char *uuid,
                         const virTypedParameter *params, int nparams)
{
    virObjectEvent *event =
        virDomainEventNew(VIR_DOMAIN_EVENT_ID_TUNABLE, id, name, uuid);

    virDomainEventCopyParams(event, params, nparams);
    return event;
}


virObjectEvent *
virDomainEventAgentLifecycleNew(int id, const char *name, const unsigned char *uuid,
                                int state, int reason)
{
    virObjectEvent *event =
        virDomainEventNew(VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE, id, name, uuid);

    event->num[0] = state;
    event->num[1] = reason;
    return event;
}


virObjectEvent *
virDomainEventMigrationIterationNew(int id, const char *name, const unsigned char *uuid,
                                    int iteration)
{
    virObjectEvent *event =
        virDomainEventNew(VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION, id, name, uuid);

    event->num[0] = iteration;
    return event;
}


virObjectEvent *
virDomainEventJobCompletedNew(int id, const char *name, const unsigned char *uuid,
                              const virTypedParameter *params, int nparams)
{
    virObjectEvent *event =
        virDomainEventNew(VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, id, name, uuid);

    virDomainEventCopyParams(event, params, nparams);
    return event;
}


virObjectEvent *
virDomainEventBlockThresholdNew(int id, const char *name, const unsigned char *uuid,
                                const char *dev, const char *path,
                                unsigned long long threshold, unsigned long long excess)
{
    virObjectEvent *event = virDomainEventNewStr(VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD, id,
                                                 name, uuid, dev ? dev : "", path, NULL);

    event->big[0] = threshold;
    event->big[1] = excess;
    return event;
}


virObjectEvent *
virDomainEventMemoryFailureNew(int id, const char *name, const unsigned char *uuid,
                               int recipient, int action, unsigned int flags)
{
    virObjectEvent *event =
        virDomainEventNew(VIR_DOMAIN_EVENT_ID_MEMORY_FAILURE, id, name, uuid);

    event->num[0] = recipient;
    event->num[1] = action;
    event->num[2] = (int)flags;
    return event;
}


virObjectEvent *
virDomainEventMemoryDeviceSizeChangeNew(int id, const char *name,
                                        const unsigned char *uuid, const char *alias,
                                        unsigned long long size)
{
    virObjectEvent *event =
        virDomainEventNewStr(VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE, id, name,
                             uuid, alias ? alias : "", NULL, NULL);

    event->big[0] = size;
    return event;
}


/* ---- events of device and definition changes (hotplug paths) ------------- */

virObjectEvent *
virDomainEventDiskChangeNew(int id, const char *name, const unsigned char *uuid,
                            const char *oldSrcPath, const char *newSrcPath,
                            const char *devAlias, int reason)
{
    virObjectEvent *event =
        virDomainEventNewStr(VIR_DOMAIN_EVENT_ID_DISK_CHANGE, id, name, uuid, oldSrcPath,
                             newSrcPath, devAlias ? devAlias : "");

    event->num[0] = reason;
    return event;
}


virObjectEvent *
virDomainEventTrayChangeNew(int id, const char *name, const unsigned char *uuid,
                            const char *devAlias, int reason)
{
    virObjectEvent *event =
        virDomainEventNewStr(VIR_DOMAIN_EVENT_ID_TRAY_CHANGE, id, name, uuid,
                             devAlias ? devAlias : "", NULL, NULL);

    event->num[0] = reason;
    return event;
}


virObjectEvent *
virDomainEventDeviceNew(int eventID, int id, const char *name, const unsigned char *uuid,
                        const char *devAlias)
{
    return virDomainEventNewStr(eventID, id, name, uuid, devAlias ? devAlias : "", NULL,
                                NULL);
}


virObjectEvent *
virDomainEventMetadataChangeNew(int id, const char *name, const unsigned char *uuid,
                                int type, const char *nsuri)
{
    virObjectEvent *event = virDomainEventNewStr(VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, id,
                                                 name, uuid, nsuri, NULL, NULL);

    event->num[0] = type;
    return event;
}
