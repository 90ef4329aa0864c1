/* virnetmessage.h: one RPC frame (length word, 24-byte header, XDR payload) and the error body */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "virxdr.h"
#include "virnetprotocol.h"

/*
 * Wire format (libvirt's, all big-endian):
 *   u32 length (whole frame, counting itself)
 *   u32 prog, u32 vers, s32 proc, s32 type, u32 serial, s32 status
 *   payload
 * A frame whose length is below 28 or whose length - 4 exceeds
 * VIR_NET_MESSAGE_MAX is refused before any buffer is allocated.
 */

#define VIR_NET_MESSAGE_LEN_MAX 4 /* the length word */
#define VIR_NET_MESSAGE_HEADER_MAX 24
#define VIR_NET_MESSAGE_MAX 33554432 /* 32 MiB, without the length word */
#define VIR_NET_MESSAGE_PAYLOAD_MAX (VIR_NET_MESSAGE_MAX - VIR_NET_MESSAGE_HEADER_MAX)
#define VIR_NET_MESSAGE_INITIAL 65536
#define VIR_NET_MESSAGE_MIN_FRAME (VIR_NET_MESSAGE_LEN_MAX + VIR_NET_MESSAGE_HEADER_MAX)
#define VIR_NET_MESSAGE_NUM_FDS_MAX 32

/* Programs. */
#define VIR_NET_REMOTE_PROGRAM 0x20008086
#define VIR_NET_QEMU_PROGRAM 0x20008087
#define VIR_NET_LXC_PROGRAM 0x00068000
#define VIR_NET_KEEPALIVE_PROGRAM 0x6b656570
#define VIR_NET_PROGRAM_VERSION 1

/* Keepalive procedures (program VIR_NET_KEEPALIVE_PROGRAM, type MESSAGE). */
#define VIR_NET_KEEPALIVE_PROC_PING 1
#define VIR_NET_KEEPALIVE_PROC_PONG 2

typedef enum {
    VIR_NET_CALL = 0,
    VIR_NET_REPLY = 1,
    VIR_NET_MESSAGE = 2,
    VIR_NET_STREAM = 3,
    VIR_NET_CALL_WITH_FDS = 4,
    VIR_NET_REPLY_WITH_FDS = 5,
    VIR_NET_STREAM_HOLE = 6,
    VIR_NET_TYPE_LAST
} virNetMessageType;

typedef enum {
    VIR_NET_OK = 0,
    VIR_NET_ERROR = 1,
    VIR_NET_CONTINUE = 2,
    VIR_NET_STATUS_LAST
} virNetMessageStatus;

typedef struct _virNetMessageHeader virNetMessageHeader;
struct _virNetMessageHeader {
    uint32_t prog;
    uint32_t vers;
    int32_t proc;
    int32_t type; /* virNetMessageType */
    uint32_t serial;
    int32_t status; /* virNetMessageStatus */
};

/*
 * A complete frame. @buf holds all @len bytes (length word included);
 * the payload is buf[28 .. len). Messages are not shared between
 * threads except by handing them over whole.
 */
typedef struct _virNetMessage virNetMessage;
struct _virNetMessage {
    virNetMessageHeader header;
    guint8 *buf;
    size_t len;
    /* Descriptors received with a *_WITH_FDS frame (owned: closed by
     * virNetMessageFree unless taken with virNetMessageTakeFD). */
    int *fds;
    size_t nfds;
    /* Called once by virNetMessageFree (after the frame was written, or
     * when it is dropped: a closed client), from whichever thread frees
     * it. Stream data uses it for flow control. */
    void (*doneCb)(virNetMessage *msg, void *opaque);
    void *doneOpaque;
};

void virNetMessageFree(virNetMessage *msg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetMessage, virNetMessageFree);

/* Payload of @msg (borrowed) and its size. */
const guint8 *virNetMessagePayload(const virNetMessage *msg);
size_t virNetMessagePayloadLen(const virNetMessage *msg);

/*
 * Build a frame: @hdr, then @obj encoded by @filter (NULL filter = empty
 * payload). Returns NULL when the frame would exceed VIR_NET_MESSAGE_MAX
 * or the object cannot be encoded (e.g. a NULL nonnull string); @why (if
 * non-NULL) then gets a static reason. Never reports errors.
 */
virNetMessage *virNetMessageEncode(const virNetMessageHeader *hdr, virXdrFilter filter,
                                   const void *obj, const char **why);

/*
 * Build a *_WITH_FDS frame (@hdr's type CALL_WITH_FDS or REPLY_WITH_FDS):
 * the descriptor count, then @obj encoded by @filter. The @nfds
 * descriptors of @fds are taken: the frame owns them (virNetMessageFree
 * closes them, after the socket passed them on); on failure (NULL, @why
 * set as for virNetMessageEncode, or more than VIR_NET_MESSAGE_NUM_FDS_MAX)
 * they are closed here.
 */
virNetMessage *virNetMessageEncodeWithFDs(const virNetMessageHeader *hdr,
                                          virXdrFilter filter, const void *obj, int *fds,
                                          size_t nfds, const char **why);

/* Build a frame whose payload is @len raw bytes of @data (stream data:
 * STREAM frames carry bytes, not XDR). NULL if @len is over
 * VIR_NET_MESSAGE_PAYLOAD_MAX. */
virNetMessage *virNetMessageNewRaw(const virNetMessageHeader *hdr, const void *data,
                                   size_t len);

/* Take descriptor @i (ownership passes; -1 if absent or already taken). */
int virNetMessageTakeFD(virNetMessage *msg, size_t i);

/*
 * For *_WITH_FDS frames: the descriptor count that precedes the args/ret
 * (an XDR u32). Returns -1 if the payload is too short or the count is
 * over VIR_NET_MESSAGE_NUM_FDS_MAX; 0 for other frame types.
 */
int virNetMessageDecodeNumFDs(const virNetMessage *msg);

/*
 * Decode the payload of @msg into @obj (zero-initialized by the caller)
 * with @filter; for *_WITH_FDS frames the descriptor count is skipped.
 * Returns false on a malformed payload (@obj is then freed back to zero);
 * @why gets a static reason. Trailing bytes are ignored,
 * as libvirt does.
 */
bool virNetMessageDecodePayload(const virNetMessage *msg, virXdrFilter filter, void *obj,
                                const char **why);

/* Parse the length word of a frame (4 bytes at @p). Returns the total
 * frame length, or 0 if it is outside [28, 4 + VIR_NET_MESSAGE_MAX]. */
size_t virNetMessageDecodeLength(const guint8 *p);

/* Wrap a whole frame (@buf of @len bytes, ownership taken) after checking
 * its length word and header. Returns NULL (and frees @buf) if invalid. */
virNetMessage *virNetMessageFromFrame(guint8 *buf, size_t len);

/* A reply/event header echoing @call: same prog, vers, proc, serial. */
void virNetMessageHeaderReply(virNetMessageHeader *out, const virNetMessageHeader *call,
                              int status);

/*
 * The error body (virNetMessageError == remote_error): the layout libvirtd
 * sends with every REPLY of status ERROR and with server-side stream errors.
 * @dom and @net are optional structs that libvirtd always sends absent; we
 * decode and skip them if present. The type and its filter,
 * virnet_error_filter, are generated from virnetprotocol.vkp.
 */
typedef virnet_error virNetMessageError;

/* Free the fields (not the struct). NULL-safe. */
void virNetMessageErrorClear(virNetMessageError *err);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(virNetMessageError, virNetMessageErrorClear);

/*
 * Fill @err the way libvirtd does: message = @message, level = 2 (ERROR),
 * str1 = "%s", str2 = @message, int1 = int2 = -1, dom/net absent.
 * @message is copied.
 */
void virNetMessageErrorSet(virNetMessageError *err, int code, int domain,
                           const char *message);

/* A REPLY frame with status ERROR answering @call. Never NULL. */
virNetMessage *virNetMessageEncodeError(const virNetMessageHeader *call,
                                        const virNetMessageError *err);
/* Shorthand: code/domain/message. */
virNetMessage *virNetMessageEncodeErrorSimple(const virNetMessageHeader *call, int code,
                                              int domain, const char *message);

/*
 * The body of a STREAM_HOLE frame (virnetprotocol.x's virNetStreamHole,
 * generated from virnetprotocol.vkp):
 * @length bytes of the stream are a hole; @flags 0. Exactly 12 bytes.
 */
typedef virnet_stream_hole virNetStreamHole; /* filter: virnet_stream_hole_filter */

/* Decode a STREAM_HOLE frame's body: false (with a static reason in @why)
 * unless the payload is exactly one virNetStreamHole with a length >= 0
 * and flags 0, the only holes libvirt sends. */
bool virNetMessageDecodeHole(const virNetMessage *msg, virNetStreamHole *hole,
                             const char **why);
/* A STREAM_HOLE frame (status CONTINUE, as libvirt sends them) of the
 * stream opened by the call @hdr describes (prog, vers, proc, serial). */
virNetMessage *virNetMessageNewHole(const virNetMessageHeader *hdr, int64_t length);

/* Keepalive frames (serial 0, type MESSAGE, empty payload, 28 bytes). */
virNetMessage *virNetMessageNewKeepAlive(int proc);
bool virNetMessageIsKeepAlive(const virNetMessageHeader *hdr);

const char *virNetMessageTypeToString(int type);
const char *virNetMessageStatusToString(int status);
