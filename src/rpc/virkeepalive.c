/* virkeepalive.c: keepalive state machine */
#define G_LOG_DOMAIN "virtkit.rpc.keepalive"
#include "virkeepalive.h"

void
virKeepAliveInit(virKeepAlive *ka)
{
    ka->interval = 0;
    ka->count = 0;
    ka->countdown = 0;
    ka->lastActivity = 0;
    ka->lastPing = 0;
}

void
virKeepAliveStart(virKeepAlive *ka, int interval, unsigned int count, gint64 now)
{
    if (interval <= 0) {
        virKeepAliveStop(ka);
        return;
    }
    ka->interval = interval;
    ka->count = count;
    ka->countdown = count;
    ka->lastActivity = now;
    ka->lastPing = 0;
}

void
virKeepAliveStop(virKeepAlive *ka)
{
    ka->interval = 0;
}

bool
virKeepAliveIsActive(const virKeepAlive *ka)
{
    return ka->interval > 0;
}

void
virKeepAliveNoteActivity(virKeepAlive *ka, gint64 now)
{
    ka->lastActivity = now;
    ka->countdown = ka->count;
    ka->lastPing = 0;
}

/* When the next action is due (monotonic us). */
static gint64
keepAliveDue(const virKeepAlive *ka)
{
    gint64 base = ka->lastPing ? ka->lastPing : ka->lastActivity;

    return base + (gint64)ka->interval * G_USEC_PER_SEC;
}

virKeepAliveAction
virKeepAliveCheck(virKeepAlive *ka, gint64 now)
{
    if (!virKeepAliveIsActive(ka))
        return VIR_KEEPALIVE_NONE;
    if (now < keepAliveDue(ka))
        return VIR_KEEPALIVE_NONE;
    if (ka->countdown == 0)
        return VIR_KEEPALIVE_DEAD;
    ka->countdown--;
    ka->lastPing = now;
    return VIR_KEEPALIVE_PING;
}

int
virKeepAliveTimeout(const virKeepAlive *ka, gint64 now)
{
    gint64 due;

    if (!virKeepAliveIsActive(ka))
        return -1;
    due = keepAliveDue(ka);
    if (due <= now)
        return 0;
    return (int)MIN((due - now + 999) / 1000, G_MAXINT);
}

virNetMessage *
virKeepAliveHandleMessage(virKeepAlive *ka, const virNetMessage *msg, gint64 now)
{
    virKeepAliveNoteActivity(ka, now);
    if (msg->header.type == VIR_NET_MESSAGE &&
        msg->header.proc == VIR_NET_KEEPALIVE_PROC_PING)
        return virNetMessageNewKeepAlive(VIR_NET_KEEPALIVE_PROC_PONG);
    return NULL;
}
