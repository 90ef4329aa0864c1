/* virnetclient.h: RPC client: blocking calls over one socket, served by an I/O thread */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "virnetmessage.h"
#include "virnetsocket.h"

/*
 * One virNetClient per connection. A dedicated I/O thread reads frames,
 * hands each REPLY to the caller waiting on its serial, answers keepalive
 * PINGs, sends our own PINGs once started, and passes asynchronous MESSAGE
 * frames (events) to the event handler. Any number of threads may call at
 * once; serials start at 0 and grow by one per call.
 *
 * When the peer goes away (EOF, I/O error, hostile frame, keepalive
 * timeout) the client is closed: every waiting call fails with the error
 * that closed it (e.g. SYSTEM_ERROR/RPC "End of file while reading data:
 * Input/output error"), later calls fail with INTERNAL_ERROR/RPC "client
 * socket is closed", and the close handler runs once on the I/O thread
 * with a VIR_CONNECT_CLOSE_REASON_* value; the I/O thread touches nothing
 * after the close handler returns, so that handler may free the client.
 */

typedef struct _virNetClient virNetClient;

/* A MESSAGE frame that is not keepalive; ownership of @msg passes. I/O
 * thread; must not block on a call on this client. */
typedef void (*virNetClientEventFunc)(virNetClient *client, virNetMessage *msg,
                                      void *opaque);
/* The connection died (not called for virNetClientClose). I/O thread. */
typedef void (*virNetClientCloseFunc)(virNetClient *client, int reason, void *opaque);

/* Start a client on a connected socket (ownership taken). Never NULL. */
virNetClient *virNetClientNew(virNetSocket *sock);
/* Connect to @path and start. NULL with an error reported. */
virNetClient *virNetClientNewUnix(const char *path);

/* Set handlers; call before the first frame can arrive matters (i.e.
 * right after New). */
void virNetClientSetEventHandler(virNetClient *client, virNetClientEventFunc fn,
                                 void *opaque);
void virNetClientSetCloseHandler(virNetClient *client, virNetClientCloseFunc fn,
                                 void *opaque);

/*
 * Send a CALL of @prog/@proc with @args (NULL filter = void) and wait for
 * its REPLY. On OK the payload is decoded into @ret (zeroed by the caller)
 * with @retFilter (NULL = void). Returns 0; or -1 with the thread's error
 * set: the daemon's remote_error verbatim (virSetErrorRaw), or an RPC
 * error for a broken connection or an undecodable reply.
 */
int virNetClientCall(virNetClient *client, uint32_t prog, int proc,
                     virXdrFilter argsFilter, const void *args, virXdrFilter retFilter,
                     void *ret);

/*
 * virNetClientCall passing descriptors (libvirt's fd passing, feature 8):
 * with @nfdsIn > 0 the call is a CALL_WITH_FDS carrying @fdsIn (taken:
 * closed once passed, or on any failure; at most 32). A REPLY_WITH_FDS
 * hands its descriptors to *@fdsOut (a new array of *@nfdsOut, the
 * caller's to close and free; NULL/0 when the reply carries none). On
 * failure nothing is left in *@fdsOut.
 */
int virNetClientCallFDs(virNetClient *client, uint32_t prog, int proc, int *fdsIn,
                        size_t nfdsIn, virXdrFilter argsFilter, const void *args,
                        int **fdsOut, size_t *nfdsOut, virXdrFilter retFilter, void *ret);

/* Streams: STREAM frames from the server go to @fn on the I/O thread
 * (ownership of the frame passes; without a handler they are dropped). A
 * stream is bound to the serial of the call that opens it: take one with
 * virNetClientNewSerial, register the stream under it, then make the call
 * with virNetClientCallSerial (data may follow the reply at once). */
void virNetClientSetStreamHandler(virNetClient *client, virNetClientEventFunc fn,
                                  void *opaque);
uint32_t virNetClientNewSerial(virNetClient *client);
int virNetClientCallSerial(virNetClient *client, uint32_t serial, uint32_t prog, int proc,
                           virXdrFilter argsFilter, const void *args,
                           virXdrFilter retFilter, void *ret);
/* Queue one STREAM frame (@status CONTINUE with data, OK = finish, ERROR =
 * abort); never waits. 0, or -1 (closed connection: error reported). */
int virNetClientSendStream(virNetClient *client, uint32_t prog, int proc, uint32_t serial,
                           int status, const void *data, size_t len);
/* Queue a STREAM_HOLE frame of @length bytes for the stream on @serial;
 * never waits. 0, or -1 (closed connection: error reported). STREAM_HOLE
 * frames from the server go to the stream handler too. */
int virNetClientSendStreamHole(virNetClient *client, uint32_t prog, int proc,
                               uint32_t serial, int64_t length);
/* A stream sender's flow control: wait until less than @bytes of output
 * are queued on the socket (the I/O thread writes them as the peer
 * reads). 0 when there is room; 1 if @nonblock and there is none; -1 if
 * the connection is closed (error reported). */
int virNetClientWaitOutputBelow(virNetClient *client, size_t bytes, bool nonblock);
bool virNetClientIsOpen(virNetClient *client);

/* Send our own PINGs after @interval s of silence; close after @count
 * unanswered. @interval <= 0 stops. */
void virNetClientStartKeepAlive(virNetClient *client, int interval, unsigned int count);

/* Close the connection (pending calls fail, no close handler), stop the
 * I/O thread. May be called from the close handler (the application
 * closing its connection from its close callback), not from the event
 * handler. Idempotent. */
void virNetClientClose(virNetClient *client);
/* Close and free. NULL-safe. */
void virNetClientFree(virNetClient *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetClient, virNetClientFree);
