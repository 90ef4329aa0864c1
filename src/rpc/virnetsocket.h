/* virnetsocket.h: a connected UNIX stream socket carrying RPC frames (both sides) */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

#include "virnetmessage.h"

/*
 * A virNetSocket owns one non-blocking connected socket. It assembles
 * incoming bytes into frames (the length word is checked before the
 * frame buffer is allocated, so a hostile peer can make us allocate at
 * most one frame of VIR_NET_MESSAGE_MAX) and keeps a queue of outgoing
 * frames written as the socket accepts them.
 *
 * It is loop-agnostic: the owner polls the fd (readable always, writable
 * while virNetSocketHasOutput) and calls virNetSocketRead/Flush.
 * Threads: virNetSocketQueue, virNetSocketFlush and virNetSocketHasOutput
 * may be called from any thread (an internal mutex guards the queue and
 * serializes writes); virNetSocketRead from one thread at a time (the
 * owner serializes its readers). Nothing here blocks.
 */

typedef struct _virNetSocket virNetSocket;

/* Wrap @fd (ownership taken; set non-blocking and close-on-exec). */
virNetSocket *virNetSocketNew(int fd);
/* Connect to the UNIX socket @path. NULL with SYSTEM_ERROR reported
 * ("Failed to connect socket to '%s'") on failure. */
virNetSocket *virNetSocketNewConnectUnix(const char *path);
void virNetSocketFree(virNetSocket *sock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetSocket, virNetSocketFree);

int virNetSocketGetFD(virNetSocket *sock);

/*
 * Called with each complete frame read (ownership passes to the callback).
 * Return false to stop reading for now (e.g. too many requests in flight);
 * the remaining bytes stay buffered in the kernel.
 */
typedef bool (*virNetSocketFrameFunc)(virNetSocket *sock, virNetMessage *msg,
                                      void *opaque);

typedef enum {
    VIR_NET_SOCKET_OK = 0,    /* nothing more to read now */
    VIR_NET_SOCKET_EOF = 1,   /* the peer closed; error reported */
    VIR_NET_SOCKET_ERROR = 2, /* I/O error or invalid frame; error reported */
} virNetSocketStatus;

/*
 * Read what is available (up to @maxFrames frames, 0 = no limit) and hand
 * each complete frame to @cb. EOF reports SYSTEM_ERROR/RPC "End of file
 * while reading data: Input/output error"; a bad length word reports RPC
 * "packet NNN bytes received from server too large, want MMM" or
 * "packet too small"; a frame cut short by EOF is EOF.
 */
virNetSocketStatus virNetSocketRead(virNetSocket *sock, unsigned int maxFrames,
                                    virNetSocketFrameFunc cb, void *opaque);

/* Append @msg to the output queue (ownership taken). Thread-safe. */
void virNetSocketQueue(virNetSocket *sock, virNetMessage *msg);
/* Put @msg at the head of the queue (after a frame partly written). */
void virNetSocketQueueUrgent(virNetSocket *sock, virNetMessage *msg);
bool virNetSocketHasOutput(virNetSocket *sock);
/* Frames queued and not completely written, and their total length
 * (a frame partly written counts whole). Thread-safe. */
void virNetSocketQueued(virNetSocket *sock, unsigned int *frames, size_t *bytes);
/* Write as much queued output as the socket takes. 0, or -1 with
 * SYSTEM_ERROR "Cannot write data: <strerror>" reported. */
int virNetSocketFlush(virNetSocket *sock);
/* The same without reporting: 0, or the negative errno of a failed write
 * (for senders that leave error handling to the I/O thread). */
int virNetSocketTryFlush(virNetSocket *sock);

/* Peer credentials of a connected UNIX socket (SO_PEERCRED). 0, or -1 with
 * SYSTEM_ERROR reported. Any output pointer may be NULL. */
int virNetSocketGetPeerCred(int fd, pid_t *pid, uid_t *uid, gid_t *gid);

/*
 * Create a listening UNIX socket at @path with permissions @mode (a stale
 * socket file is replaced), non-blocking and close-on-exec. Returns the fd
 * or -1 with SYSTEM_ERROR reported.
 */
int virNetSocketListenUnix(const char *path, mode_t mode);
