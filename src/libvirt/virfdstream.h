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
/* Open @path for a file transfer (volume upload/download) and attach it:
 * @oflags O_RDONLY (the stream reads: download) or O_WRONLY (writes:
 * upload; O_CREAT/O_TRUNC allowed, mode 0600), never O_RDWR; the
 * transfer starts at @offset and covers at most @length bytes (0: to the
 * end; reads past it are the end, writes past it fail with ENOSPC). With
 * @sparse the stream takes holes (virStreamSendHole: the upload creates
 * them, punching over old content; the download skips them) and gives
 * them (virStreamRecvFlags with VIR_STREAM_RECV_STOP_AT_HOLE, the
 * driver's InData: SEEK_DATA/SEEK_HOLE); otherwise holes are refused
 * ("Skipping is not supported with this stream"). 0 or -1 (reported). */
int virFDStreamOpenFile(virStreamPtr st, const char *path, unsigned long long offset,
                        unsigned long long length, int oflags, bool sparse);

/* Called once when the stream's descriptor is closed (finish, abort,
 * forced close, or the stream freed; @st is NULL in the last case).
 * @finished: it was closed by virStreamFinish, with no error before (the
 * transfer is complete); false for every other end. Drivers use it to
 * forget a console's owner, and to make an upload durable or mark it
 * interrupted. */
typedef void (*virFDStreamCloseFunc)(virStreamPtr st, bool finished, void *opaque);
void virFDStreamSetCloseCallback(virStreamPtr st, virFDStreamCloseFunc cb, void *opaque);

bool virFDStreamIsFDStream(virStreamPtr st);

/* An upload's bytes handed over without a copy (the daemon's received
 * stream frames): @data, @nbytes of them inside @owner, is queued for the
 * writer thread of a file upload (virFDStreamOpenFile, O_WRONLY) as it is,
 * and @owner is released with @ownerFree once written or dropped, from the
 * writer's thread or the caller's. -3 when @st has no writer thread (not a
 * file upload, closed) or its length would cut the bytes: @owner stays the
 * caller's, who sends with virStreamSend instead. Otherwise as
 * virStreamSend on a blocking stream (waits while the queue is full):
 * @nbytes, or -1 with an error set; @owner is taken in both cases. */
int virFDStreamSendOwned(virStreamPtr st, const char *data, size_t nbytes, gpointer owner,
                         GDestroyNotify ownerFree);

/* Close @st under its user (another client took the console over with
 * VIR_DOMAIN_CONSOLE_FORCE): the descriptor is closed at once, a
 * registered event callback gets VIR_STREAM_EVENT_ERROR from its event
 * loop, and later Send/Recv/Finish fail with VIR_ERR_OPERATION_FAILED.
 * Any thread. */
void virFDStreamForceClose(virStreamPtr st);
