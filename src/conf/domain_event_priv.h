/* domain_event_priv.h: what an event is made of, for the files that build events (domain_event.c, domain_event_guest.c) */
#pragma once

#include "domain_event.h"
#include "object_event.h"

struct _virObjectEvent {
    int kind;    /* virObjectEventKind */
    int eventID; /* of its kind: VIR_DOMAIN_EVENT_ID_LIFECYCLE, ... */
    int id;      /* domains */
    char *name;  /* the object's name (secrets: NULL) */
    unsigned char uuid[VIR_UUID_BUFLEN]; /* (node devices: zero) */
    int usageType;                       /* secrets */
    char *usageID;                       /* secrets */
    int type;                            /* lifecycle only */
    int detail;
    /* The other domain events' arguments, in their callback's order (see
     * virObjectEventCallbackCall): strings, ints, 64-bit numbers. */
    char *str[3];
    int num[3];
    unsigned long long big[2];
    virTypedParameterPtr params; /* TUNABLE, JOB_COMPLETED */
    int nparams;
    virDomainEventGraphicsAddress local; /* GRAPHICS */
    virDomainEventGraphicsAddress remote;
    virDomainEventGraphicsSubject subject;
};

/* A new domain event @eventID of domain @id, @name, @uuid (copied); its
 * other fields zero. The caller owns it (virObjectEventFree). */
virObjectEvent *virDomainEventNew(int eventID, int id, const char *name,
                                  const unsigned char *uuid);
