/* virkeepalive.h: keepalive bookkeeping (libvirt's PING/PONG rules), loop-agnostic */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "virnetmessage.h"

/*
 * Rules (same on both sides): any frame received resets the silence timer
 * and the countdown. After @interval seconds of silence we send a PING and
 * count down; each further @interval without traffic sends another; when
 * @count PINGs went unanswered the peer is dead (about interval * (count + 1)
 * seconds of silence). A received PING is answered with a PONG at once
 * (whether or not our own keepalive is started).
 *
 * Not thread-safe by itself: the owner calls it from its I/O thread/loop.
 * Times are g_get_monotonic_time() microseconds.
 */

typedef struct _virKeepAlive virKeepAlive;
struct _virKeepAlive {
    int interval; /* seconds; <= 0 means disabled */
    unsigned int count;
    unsigned int countdown; /* PINGs left before we declare death */
    gint64 lastActivity;
    gint64 lastPing;
};

typedef enum {
    VIR_KEEPALIVE_NONE, /* nothing to do */
    VIR_KEEPALIVE_PING, /* send a PING now */
    VIR_KEEPALIVE_DEAD, /* too many unanswered PINGs: close */
} virKeepAliveAction;

void virKeepAliveInit(virKeepAlive *ka);
/* Start (or change) sending PINGs. @interval <= 0 stops. */
void virKeepAliveStart(virKeepAlive *ka, int interval, unsigned int count, gint64 now);
void virKeepAliveStop(virKeepAlive *ka);
bool virKeepAliveIsActive(const virKeepAlive *ka);

/* Note that a frame arrived. */
void virKeepAliveNoteActivity(virKeepAlive *ka, gint64 now);

/* What to do at @now. A PING result also records the PING as sent. */
virKeepAliveAction virKeepAliveCheck(virKeepAlive *ka, gint64 now);

/* Milliseconds until virKeepAliveCheck could return something other than
 * NONE (>= 0), or -1 when inactive. */
int virKeepAliveTimeout(const virKeepAlive *ka, gint64 now);

/*
 * Handle a received keepalive frame (caller has checked the program).
 * Returns a PONG to send for a PING, NULL otherwise (PONG or unknown proc).
 */
virNetMessage *virKeepAliveHandleMessage(virKeepAlive *ka, const virNetMessage *msg,
                                         gint64 now);
