/* virfdstream.h: a virStream backend over one file descriptor (consoles) */
#pragma once

#include <stdbool.h>
#include <libvirt/libvirt.h>

/* Attach @fd (ownership taken, closed on failure too) to @st, which must
 * not be open yet. The descriptor is made non-blocking; Send/Recv return
 * -2 on a VIR_STREAM_NONBLOCK stream when they would block, and wait
 * otherwise. 0 or -1 (error reported). */
int virFDStreamOpen(virStreamPtr st, int fd);
/* Open the pty slave @path read-write, make it raw (no echo, no line
 * discipline) and attach it. EIO from the pty (its master closed: QEMU
 * exited) reads as end of stream. 0 or -1 (error reported). */
int virFDStreamOpenPTY(virStreamPtr st, const char *path);

/* Called once when the stream's descriptor is closed (finish, abort,
 * forced close, or the stream freed; @st is NULL in the last case).
 * Drivers use it to forget a console's owner. */
typedef void (*virFDStreamCloseFunc)(virStreamPtr st, void *opaque);
void virFDStreamSetCloseCallback(virStreamPtr st, virFDStreamCloseFunc cb, void *opaque);

bool virFDStreamIsFDStream(virStreamPtr st);

/* Close @st under its user (another client took the console over with
 * VIR_DOMAIN_CONSOLE_FORCE): the descriptor is closed at once, a
 * registered event callback gets VIR_STREAM_EVENT_ERROR from its event
 * loop, and later Send/Recv/Finish fail with VIR_ERR_OPERATION_FAILED.
 * Any thread. */
void virFDStreamForceClose(virStreamPtr st);
