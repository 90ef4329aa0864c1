/* virnetmessage.c: frame encoding/decoding and the remote_error body */
#define G_LOG_DOMAIN "virtkit.rpc.message"
#include <string.h>
#include <unistd.h>

#include "virnetmessage.h"

void
virNetMessageFree(virNetMessage *msg)
{
    size_t i;

    if (!msg)
        return;
    if (msg->doneCb)
        msg->doneCb(msg, msg->doneOpaque);
    for (i = 0; i < msg->nfds; i++) {
        if (msg->fds[i] >= 0)
            close(msg->fds[i]);
    }
    g_free(msg->fds);
    g_free(msg->buf);
    g_free(msg);
}

int
virNetMessageTakeFD(virNetMessage *msg, size_t i)
{
    int fd;

    if (i >= msg->nfds)
        return -1;
    fd = msg->fds[i];
    msg->fds[i] = -1;
    return fd;
}

static bool
messageHasFDs(const virNetMessage *msg)
{
    return msg->header.type == VIR_NET_CALL_WITH_FDS ||
           msg->header.type == VIR_NET_REPLY_WITH_FDS;
}

int
virNetMessageDecodeNumFDs(const virNetMessage *msg)
{
    const guint8 *p = virNetMessagePayload(msg);
    uint32_t n;

    if (!messageHasFDs(msg))
        return 0;
    if (virNetMessagePayloadLen(msg) < 4)
        return -1;
    n = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
    if (n > VIR_NET_MESSAGE_NUM_FDS_MAX)
        return -1;
    return (int)n;
}

const guint8 *
virNetMessagePayload(const virNetMessage *msg)
{
    return msg->buf + VIR_NET_MESSAGE_MIN_FRAME;
}

size_t
virNetMessagePayloadLen(const virNetMessage *msg)
{
    return msg->len - VIR_NET_MESSAGE_MIN_FRAME;
}

static void
putU32(guint8 *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

static uint32_t
getU32(const guint8 *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

virNetMessage *
virNetMessageEncode(const virNetMessageHeader *hdr, virXdrFilter filter, const void *obj,
                    const char **why)
{
    virXdr xdr;
    virNetMessage *msg;
    size_t off;

    virXdrInitEncode(&xdr, VIR_NET_MESSAGE_LEN_MAX + VIR_NET_MESSAGE_MAX);
    off = virXdrReserve(&xdr, VIR_NET_MESSAGE_MIN_FRAME);
    g_assert(off == 0);
    /* Filters take a non-const pointer because the same code decodes;
     * in ENCODE mode they only read. */
    if (filter && !filter(&xdr, (void *)obj)) {
        if (why)
            *why = xdr.error;
        virXdrClear(&xdr);
        return NULL;
    }

    msg = g_new0(virNetMessage, 1);
    msg->header = *hdr;
    msg->buf = virXdrSteal(&xdr, &msg->len);
    putU32(msg->buf, msg->len);
    putU32(msg->buf + 4, hdr->prog);
    putU32(msg->buf + 8, hdr->vers);
    putU32(msg->buf + 12, (uint32_t)hdr->proc);
    putU32(msg->buf + 16, (uint32_t)hdr->type);
    putU32(msg->buf + 20, hdr->serial);
    putU32(msg->buf + 24, (uint32_t)hdr->status);
    return msg;
}

virNetMessage *
virNetMessageEncodeWithFDs(const virNetMessageHeader *hdr, virXdrFilter filter,
                           const void *obj, int *fds, size_t nfds, const char **why)
{
    virXdr xdr;
    virNetMessage *msg;
    uint32_t count = nfds;
    size_t i;

    g_assert(hdr->type == VIR_NET_CALL_WITH_FDS || hdr->type == VIR_NET_REPLY_WITH_FDS);
    if (nfds > VIR_NET_MESSAGE_NUM_FDS_MAX) {
        if (why)
            *why = "too many file descriptors";
        goto error;
    }
    virXdrInitEncode(&xdr, VIR_NET_MESSAGE_LEN_MAX + VIR_NET_MESSAGE_MAX);
    virXdrReserve(&xdr, VIR_NET_MESSAGE_MIN_FRAME);
    if (!virXdrUInt(&xdr, &count) || (filter && !filter(&xdr, (void *)obj))) {
        if (why)
            *why = xdr.error;
        virXdrClear(&xdr);
        goto error;
    }
    msg = g_new0(virNetMessage, 1);
    msg->header = *hdr;
    msg->buf = virXdrSteal(&xdr, &msg->len);
    putU32(msg->buf, msg->len);
    putU32(msg->buf + 4, hdr->prog);
    putU32(msg->buf + 8, hdr->vers);
    putU32(msg->buf + 12, (uint32_t)hdr->proc);
    putU32(msg->buf + 16, (uint32_t)hdr->type);
    putU32(msg->buf + 20, hdr->serial);
    putU32(msg->buf + 24, (uint32_t)hdr->status);
    msg->fds = g_new(int, MAX(nfds, 1));
    memcpy(msg->fds, fds, nfds * sizeof(int));
    msg->nfds = nfds;
    return msg;

error:
    for (i = 0; i < nfds; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
    }
    return NULL;
}

virNetMessage *
virNetMessageNewRaw(const virNetMessageHeader *hdr, const void *data, size_t len)
{
    virNetMessage *msg;

    if (len > VIR_NET_MESSAGE_PAYLOAD_MAX)
        return NULL;
    msg = g_new0(virNetMessage, 1);
    msg->header = *hdr;
    msg->len = VIR_NET_MESSAGE_MIN_FRAME + len;
    msg->buf = g_malloc(msg->len);
    putU32(msg->buf, msg->len);
    putU32(msg->buf + 4, hdr->prog);
    putU32(msg->buf + 8, hdr->vers);
    putU32(msg->buf + 12, (uint32_t)hdr->proc);
    putU32(msg->buf + 16, (uint32_t)hdr->type);
    putU32(msg->buf + 20, hdr->serial);
    putU32(msg->buf + 24, (uint32_t)hdr->status);
    if (len)
        memcpy(msg->buf + VIR_NET_MESSAGE_MIN_FRAME, data, len);
    return msg;
}

bool
virNetMessageDecodePayload(const virNetMessage *msg, virXdrFilter filter, void *obj,
                           const char **why)
{
    virXdr xdr;

    size_t skip = messageHasFDs(msg) ? 4 : 0;

    if (virNetMessagePayloadLen(msg) < skip) {
        if (why)
            *why = "truncated payload";
        return false;
    }
    virXdrInitDecode(&xdr, virNetMessagePayload(msg) + skip,
                     virNetMessagePayloadLen(msg) - skip);
    if (!filter(&xdr, obj) || virXdrFailed(&xdr)) {
        if (why)
            *why = xdr.error ? xdr.error : "malformed payload";
        virXdrFree(filter, obj);
        return false;
    }
    return true;
}

size_t
virNetMessageDecodeLength(const guint8 *p)
{
    uint32_t len = getU32(p);

    if (len < VIR_NET_MESSAGE_MIN_FRAME ||
        len - VIR_NET_MESSAGE_LEN_MAX > VIR_NET_MESSAGE_MAX)
        return 0;
    return len;
}

virNetMessage *
virNetMessageFromFrame(guint8 *buf, size_t len)
{
    virNetMessage *msg;

    if (len < VIR_NET_MESSAGE_MIN_FRAME || virNetMessageDecodeLength(buf) != len) {
        g_free(buf);
        return NULL;
    }
    msg = g_new0(virNetMessage, 1);
    msg->buf = buf;
    msg->len = len;
    msg->header.prog = getU32(buf + 4);
    msg->header.vers = getU32(buf + 8);
    msg->header.proc = (int32_t)getU32(buf + 12);
    msg->header.type = (int32_t)getU32(buf + 16);
    msg->header.serial = getU32(buf + 20);
    msg->header.status = (int32_t)getU32(buf + 24);
    return msg;
}

void
virNetMessageHeaderReply(virNetMessageHeader *out, const virNetMessageHeader *call,
                         int status)
{
    out->prog = call->prog;
    out->vers = call->vers;
    out->proc = call->proc;
    out->type = VIR_NET_REPLY;
    out->serial = call->serial;
    out->status = status;
}

void
virNetMessageErrorClear(virNetMessageError *err)
{
    if (!err)
        return;
    virXdrFree(virnet_error_filter, err);
    memset(err, 0, sizeof(*err));
}

void
virNetMessageErrorSet(virNetMessageError *err, int code, int domain, const char *message)
{
    memset(err, 0, sizeof(*err));
    err->code = code;
    err->domain = domain;
    err->level = 2;
    err->message = g_strdup(message ? message : "");
    err->str1 = g_strdup("%s");
    err->str2 = g_strdup(err->message);
    err->int1 = -1;
    err->int2 = -1;
}

virNetMessage *
virNetMessageEncodeError(const virNetMessageHeader *call, const virNetMessageError *err)
{
    virNetMessageHeader hdr;
    virNetMessage *msg;
    const char *why = NULL;

    virNetMessageHeaderReply(&hdr, call, VIR_NET_ERROR);
    msg = virNetMessageEncode(&hdr, virnet_error_filter, err, &why);
    if (!msg) {
        /* Only an absurdly long message can fail: send a short one. */
        g_auto(virNetMessageError) small = { 0 };
        virNetMessageErrorSet(&small, err->code, err->domain,
                              "error message too large to send");
        msg = virNetMessageEncode(&hdr, virnet_error_filter, &small, NULL);
        g_assert(msg);
    }
    return msg;
}

virNetMessage *
virNetMessageEncodeErrorSimple(const virNetMessageHeader *call, int code, int domain,
                               const char *message)
{
    g_auto(virNetMessageError) err = { 0 };

    virNetMessageErrorSet(&err, code, domain, message);
    return virNetMessageEncodeError(call, &err);
}

virNetMessage *
virNetMessageNewKeepAlive(int proc)
{
    virNetMessageHeader hdr = {
        .prog = VIR_NET_KEEPALIVE_PROGRAM,
        .vers = VIR_NET_PROGRAM_VERSION,
        .proc = proc,
        .type = VIR_NET_MESSAGE,
        .serial = 0,
        .status = VIR_NET_OK,
    };
    virNetMessage *msg = virNetMessageEncode(&hdr, NULL, NULL, NULL);

    g_assert(msg);
    return msg;
}

bool
virNetMessageIsKeepAlive(const virNetMessageHeader *hdr)
{
    return hdr->prog == VIR_NET_KEEPALIVE_PROGRAM;
}

const char *
virNetMessageTypeToString(int type)
{
    static const char *const names[] = {
        "CALL",          "REPLY",          "MESSAGE",     "STREAM",
        "CALL_WITH_FDS", "REPLY_WITH_FDS", "STREAM_HOLE",
    };

    if (type < 0 || type >= VIR_NET_TYPE_LAST)
        return "UNKNOWN";
    return names[type];
}

const char *
virNetMessageStatusToString(int status)
{
    static const char *const names[] = { "OK", "ERROR", "CONTINUE" };

    if (status < 0 || status >= VIR_NET_STATUS_LAST)
        return "UNKNOWN";
    return names[status];
}

bool
virNetMessageDecodeHole(const virNetMessage *msg, virNetStreamHole *hole,
                        const char **why)
{
    const char *reason = NULL;

    memset(hole, 0, sizeof(*hole));
    if (virNetMessagePayloadLen(msg) != 12)
        reason = "stream hole payload is not 12 bytes";
    else if (!virNetMessageDecodePayload(msg, virnet_stream_hole_filter, hole, &reason))
        ;
    else if (hole->length < 0)
        reason = "negative stream hole length";
    else if (hole->flags != 0)
        reason = "stream hole flags not zero";
    if (reason && why)
        *why = reason;
    return !reason;
}

virNetMessage *
virNetMessageNewHole(const virNetMessageHeader *hdr, int64_t length)
{
    virNetMessageHeader h = *hdr;
    virNetStreamHole hole = { .length = length, .flags = 0 };
    virNetMessage *msg;

    h.type = VIR_NET_STREAM_HOLE;
    h.status = VIR_NET_CONTINUE;
    msg = virNetMessageEncode(&h, virnet_stream_hole_filter, &hole, NULL);
    g_assert(msg); /* 12 bytes always fit */
    return msg;
}
