/* fuzz-rpc.c: libFuzzer target, the daemon's frame reader and the XDR decoding of every procedure's arguments */

/*
 * Input: the bytes a client sends to virtkitd on one connection (the
 * seeds are real virsh sessions and one frame per procedure of the
 * codec table, tests/data/fuzz/rpc/). They go through a socketpair into
 * the real frame reader (virNetSocketRead: length word checked before
 * allocation, header, *_WITH_FDS count), and each frame is routed as
 * virnetserver.c and the daemon route it (daemon_server.c
 * vkdServerOnFrame, remote_dispatch.c vkdDispatchRun), up to the
 * decoding of the arguments:
 *   keepalive program -> virKeepAliveHandleMessage (PONG built and dropped)
 *   REPLY             -> ignored by the daemon; decoded here with the
 *                        procedure's ret filter, as the remote driver
 *                        decodes a daemon's replies (client view)
 *   MESSAGE of an event procedure -> decoded as the remote driver
 *                        decodes events (client view); else ignored
 *   CALL_WITH_FDS     -> as a CALL (the daemon dispatches it; the
 *                        descriptors stay with the frame); the harness
 *                        sends each carrier byte after such a frame (count
 *                        <= 32) with a real descriptor (SCM_RIGHTS, a dup
 *                        of /dev/null), as libvirt's client does, so the
 *                        reader's fd path is fuzzed: every descriptor must
 *                        arrive open and none may be left open afterwards
 *   REPLY_WITH_FDS    -> the same carriers; decoded as a REPLY (client view)
 *   STREAM            -> raw data for the daemon; with status ERROR decoded
 *                        as the remote driver decodes a daemon's stream error
 *   STREAM_HOLE       -> virNetMessageDecodeHole, as the daemon (a sparse
 *                        upload) and the remote driver (a sparse download)
 *                        decode it; a malformed hole (not 12 bytes,
 *                        negative, flags) closes the connection: reading
 *                        stops; a good one re-encodes to the same frame
 *   CALL, wrong program/version/status -> the error reply is encoded
 *   CALL, no codec (remoteProcedureLookup) or an event -> NO_SUPPORT reply
 *   CALL -> virNetMessageDecodePayload(argsFilter); failure: the error
 *           reply is encoded and the connection is dropped (reading stops)
 * Only the lookup API (remoteProcedureLookup / remoteProcedureName) is
 * used, so a generated codec table replaces the hand-written one freely.
 *
 * CONNECT_GET_ALL_DOMAIN_STATS replies also go through the remote
 * driver's direct decoder (remoteTypedParamsDecode), compared with the
 * generated filter plus remoteTypedParamsDeserialize (checkStatsDecode).
 *
 * The typed parameters of the procedures that have a consumer
 * (scheduler 57/223 replies: remote driver; 58/219 calls: daemon) also go
 * through remoteTypedParamsDeserialize, both of libvirt's models.
 *
 * Checks, besides ASan/UBSan and leaks: a reader that gives up reports
 * an error; every decoded object encodes again (virNetMessageEncode),
 * the encoding decodes to an object that encodes to the same bytes, and
 * its length is exactly what the first decode consumed.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "virtkit-config.h"
#include "virnetmessage.h"
#include "virnetsocket.h"
#include "virkeepalive.h"
#include "remote_protocol.h"
#include "remote_typedparam.h"
#include "fuzz-common.h"

static const int rpcDomains[] = { VIR_FROM_RPC, VIR_FROM_NONE, -1 };

typedef struct {
    virKeepAlive ka;
    bool dropped; /* the daemon would have closed the client */
    unsigned int frames;
} FuzzConn;

/* Bytes of @xdr-decoding @payload with @filter, or (size_t)-1 if it fails. */
static size_t
consumed(virXdrFilter filter, size_t size, const guint8 *payload, size_t len)
{
    g_autofree void *obj = g_malloc0(size ? size : 1);
    virXdr xdr;
    size_t pos = (size_t)-1;

    virXdrInitDecode(&xdr, payload, len);
    if (filter(&xdr, obj) && !virXdrFailed(&xdr))
        pos = xdr.pos;
    virXdrFree(filter, obj);
    return pos;
}

/* @obj was decoded from @msg with @filter: it must encode, decode again
 * and encode to the same bytes. */
static void
checkRoundTrip(const virNetMessage *msg, virXdrFilter filter, size_t size, void *obj,
               const char *what)
{
    virNetMessageHeader hdr = msg->header;
    g_autoptr(virNetMessage) enc1 = NULL;
    g_autoptr(virNetMessage) enc2 = NULL;
    g_autofree void *obj2 = g_malloc0(size ? size : 1);
    const char *why = NULL;
    size_t skip =
        (hdr.type == VIR_NET_CALL_WITH_FDS || hdr.type == VIR_NET_REPLY_WITH_FDS) ? 4 : 0;
    size_t used;

    hdr.type = hdr.type == VIR_NET_REPLY_WITH_FDS  ? VIR_NET_REPLY
               : hdr.type == VIR_NET_CALL_WITH_FDS ? VIR_NET_CALL
                                                   : hdr.type;
    if (!(enc1 = virNetMessageEncode(&hdr, filter, obj, &why)))
        FUZZ_FAIL("%s proc %d: decoded object does not encode: %s", what, hdr.proc,
                  why ? why : "?");
    if (!virNetMessageDecodePayload(enc1, filter, obj2, &why))
        FUZZ_FAIL("%s proc %d: re-encoded payload does not decode: %s", what, hdr.proc,
                  why ? why : "?");
    if (!(enc2 = virNetMessageEncode(&hdr, filter, obj2, &why)))
        FUZZ_FAIL("%s proc %d: second encode failed: %s", what, hdr.proc,
                  why ? why : "?");
    virXdrFree(filter, obj2);
    if (enc1->len != enc2->len || memcmp(enc1->buf, enc2->buf, enc1->len) != 0)
        FUZZ_FAIL("%s proc %d: encode(decode(encode(x))) differs from encode(x) "
                  "(%zu vs %zu bytes)",
                  what, hdr.proc, enc1->len, enc2->len);
    used = consumed(filter, size, virNetMessagePayload(msg) + skip,
                    virNetMessagePayloadLen(msg) - skip);
    if (used != virNetMessagePayloadLen(enc1))
        FUZZ_FAIL("%s proc %d: decoding consumed %zu bytes, encoding wrote %zu", what,
                  hdr.proc, used, virNetMessagePayloadLen(enc1));
}

/* Where a decoded object of @proc holds typed parameters consumed by
 * remote_typedparam.c, and with which limit. */
#define TP(proc, isRet, type)                                  \
    {                                                          \
        REMOTE_PROC_##proc, isRet, offsetof(type, params_len), \
            offsetof(type, params_val)                         \
    }
static const struct {
    int proc;
    bool isRet;
    size_t lenOff;
    size_t valOff;
} typedParamsAt[] = {
    TP(DOMAIN_GET_SCHEDULER_PARAMETERS, true, remote_domain_get_scheduler_parameters_ret),
    TP(DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS, true,
       remote_domain_get_scheduler_parameters_flags_ret),
    TP(DOMAIN_SET_SCHEDULER_PARAMETERS, false,
       remote_domain_set_scheduler_parameters_args),
    TP(DOMAIN_SET_SCHEDULER_PARAMETERS_FLAGS, false,
       remote_domain_set_scheduler_parameters_flags_args),
};
#undef TP

/* The typed parameters in @obj (decoded as @what of @proc), if any, into
 * virTypedParameters: a new array (the daemon's model) and the caller's
 * array of 2 (the remote driver's, for a client that asked for 2). A
 * refusal leaves a libvirt-style error and nothing allocated; a success
 * gives as many entries as the wire had, with terminated fields. */
static void
checkTypedParams(int proc, const char *what, const void *obj)
{
    bool isRet = strcmp(what, "ret") == 0;
    size_t i;

    if (!isRet && strcmp(what, "args") != 0)
        return;
    for (i = 0; i < G_N_ELEMENTS(typedParamsAt); i++) {
        const guint8 *base = obj;
        uint32_t len;
        const remote_typed_param *val;
        virTypedParameterPtr params = NULL;
        virTypedParameter user[2];
        int nparams = 0;
        int j;

        if (typedParamsAt[i].proc != proc || typedParamsAt[i].isRet != isRet)
            continue;
        memcpy(&len, base + typedParamsAt[i].lenOff, sizeof(len));
        memcpy(&val, base + typedParamsAt[i].valOff, sizeof(val));

        virResetLastError();
        if (remoteTypedParamsDeserialize(val, len, REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX,
                                         &params, &nparams) == 0) {
            FUZZ_CHECK((uint32_t)nparams == len, "%d typed params from %u", nparams, len);
            for (j = 0; j < nparams; j++)
                FUZZ_CHECK(memchr(params[j].field, 0, sizeof(params[j].field)) != NULL,
                           "unterminated field");
            remoteTypedParamsFree(params, nparams);
        } else {
            fuzzCheckError("typed params (new array)", rpcDomains);
            FUZZ_CHECK(params == NULL && nparams == 0, "refusal left an array");
        }

        memset(user, 0, sizeof(user));
        params = user;
        nparams = G_N_ELEMENTS(user);
        virResetLastError();
        if (remoteTypedParamsDeserialize(val, len, REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX,
                                         &params, &nparams) == 0) {
            FUZZ_CHECK(params == user && (uint32_t)nparams == len && len <= 2,
                       "%d typed params into the caller's 2", nparams);
            for (j = 0; j < nparams; j++) {
                if (user[j].type == VIR_TYPED_PARAM_STRING)
                    g_free(user[j].value.s);
            }
        } else {
            fuzzCheckError("typed params (caller's array)", rpcDomains);
            /* the strings copied before the refusal were freed */
            for (j = 0; j < (int)G_N_ELEMENTS(user); j++)
                FUZZ_CHECK(user[j].type != VIR_TYPED_PARAM_STRING || !user[j].value.s,
                           "string left in the caller's array after a refusal");
        }
    }
}

/* Decode @msg's payload with @filter; round-trip it if it decodes.
 * Returns whether it decoded. */
static bool
decodeAndCheck(const virNetMessage *msg, virXdrFilter filter, size_t size,
               const char *what)
{
    g_autofree void *obj = NULL;
    const char *why = NULL;

    if (!filter)
        return true;
    obj = g_malloc0(size ? size : 1);
    if (!virNetMessageDecodePayload(msg, filter, obj, &why)) {
        if (!why)
            FUZZ_FAIL("%s proc %d: decode failed without a reason", what,
                      msg->header.proc);
        return false;
    }
    checkRoundTrip(msg, filter, size, obj, what);
    checkTypedParams(msg->header.proc, what, obj);
    virXdrFree(filter, obj);
    return true;
}

/* The daemon's error reply: encoded and dropped. */
static void
sendError(const virNetMessageHeader *hdr, int code, const char *text)
{
    g_autoptr(virNetMessage) reply =
        virNetMessageEncodeErrorSimple(hdr, code, VIR_FROM_RPC, text);

    FUZZ_CHECK(reply && reply->header.type == VIR_NET_REPLY &&
                   reply->header.status == VIR_NET_ERROR,
               "error reply");
}

static void
onCall(FuzzConn *conn, const virNetMessage *msg)
{
    const virNetMessageHeader *hdr = &msg->header;
    const remoteProcedure *codec;
    g_autofree char *text = NULL;

    if (hdr->prog != VIR_NET_REMOTE_PROGRAM || hdr->vers != VIR_NET_PROGRAM_VERSION) {
        text = g_strdup_printf("Cannot find program %u version %u", hdr->prog, hdr->vers);
        sendError(hdr, VIR_ERR_RPC, text);
        return;
    }
    if (hdr->status != VIR_NET_OK) {
        text = g_strdup_printf("Unexpected message status %d", hdr->status);
        sendError(hdr, VIR_ERR_RPC, text);
        return;
    }
    codec = remoteProcedureLookup(hdr->proc);
    if (!codec || codec->isEvent) {
        const char *name = remoteProcedureName(hdr->proc);

        text = g_strdup_printf("this function is not supported by the connection "
                               "driver: %s",
                               name ? name : "unknown procedure");
        sendError(hdr, VIR_ERR_NO_SUPPORT, text);
        return;
    }
    FUZZ_CHECK(codec->proc == hdr->proc, "lookup(%d) gave proc %d", hdr->proc,
               codec->proc);
    if (!decodeAndCheck(msg, codec->argsFilter, codec->argsSize, "args")) {
        sendError(hdr, VIR_ERR_RPC, "Unable to decode message payload");
        conn->dropped = true;
    }
}

/* The remote driver decodes CONNECT_GET_ALL_DOMAIN_STATS replies straight
 * into virTypedParameters (remoteTypedParamsDecode, remote_driver_stats.c's
 * record loop, mirrored here without a connection): it must accept exactly
 * what the generated filter accepts, consume the same bytes, and give what
 * the generated filter plus remoteTypedParamsDeserialize give, the
 * too-long field included. */
static void
checkStatsDecode(const virNetMessage *msg)
{
    remote_connect_get_all_domain_stats_ret ret = { 0 };
    size_t skip = msg->header.type == VIR_NET_REPLY_WITH_FDS ? 4 : 0;
    const char *why = NULL;
    bool genOk = virNetMessageDecodePayload(
        msg, remote_connect_get_all_domain_stats_ret_filter, &ret, &why);
    size_t genUsed = genOk ? consumed(remote_connect_get_all_domain_stats_ret_filter,
                                      sizeof(ret), virNetMessagePayload(msg) + skip,
                                      virNetMessagePayloadLen(msg) - skip)
                           : 0;
    virXdr xdr;
    uint32_t n = 0, i = 0;
    bool ok;

    if (virNetMessagePayloadLen(msg) < skip)
        return;
    virXdrInitDecode(&xdr, virNetMessagePayload(msg) + skip,
                     virNetMessagePayloadLen(msg) - skip);
    ok = virXdrUInt(&xdr, &n);
    if (ok && n > REMOTE_DOMAIN_LIST_MAX)
        ok = virXdrSetError(&xdr, "array too long");
    if (ok && (size_t)n * 28 > virXdrRemaining(&xdr))
        ok = virXdrSetError(&xdr, "truncated payload");
    for (i = 0; ok && i < n; i++) {
        remote_nonnull_domain d = { 0 };
        virTypedParameterPtr params = NULL;
        int nparams = 0;
        g_autofree char *recBig = NULL; /* this record's first long field */

        ok = remote_nonnull_domain_filter(&xdr, &d);
        if (ok && genOk)
            FUZZ_CHECK(strcmp(d.name, ret.retStats_val[i].dom.name) == 0 &&
                           d.id == ret.retStats_val[i].dom.id,
                       "stats record %u: domain differs", i);
        virXdrFree(remote_nonnull_domain_filter, &d);
        if (ok)
            ok = remoteTypedParamsDecode(&xdr, REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX,
                                         &params, &nparams, &recBig);
        if (ok && genOk) {
            const remote_domain_stats_record *r = &ret.retStats_val[i];
            virTypedParameterPtr ref = NULL;
            int nref = 0;
            int rc;

            virResetLastError();
            rc = remoteTypedParamsDeserialize(r->params_val, r->params_len,
                                              REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX,
                                              &ref, &nref);
            /* Deserialize refuses a record exactly when it has a long field */
            if (rc < 0) {
                fuzzCheckError("stats typed params", rpcDomains);
                FUZZ_CHECK(recBig != NULL,
                           "stats record %u: Deserialize refused, the "
                           "direct decoder saw no long field",
                           i);
            } else {
                FUZZ_CHECK(!recBig,
                           "stats record %u: a long field only the direct "
                           "decoder saw",
                           i);
                FUZZ_CHECK(nref == nparams, "stats record %u: %d vs %d params", i,
                           nparams, nref);
                for (int j = 0; j < nparams; j++) {
                    FUZZ_CHECK(params[j].type == ref[j].type &&
                                   strcmp(params[j].field, ref[j].field) == 0,
                               "stats record %u param %d: type or field differs", i, j);
                    if (ref[j].type == VIR_TYPED_PARAM_STRING)
                        FUZZ_CHECK(strcmp(params[j].value.s, ref[j].value.s) == 0,
                                   "stats record %u param %d: string differs", i, j);
                    else
                        FUZZ_CHECK(memcmp(&params[j].value, &ref[j].value,
                                          sizeof(ref[j].value)) == 0,
                                   "stats record %u param %d: value differs", i, j);
                }
            }
            remoteTypedParamsFree(ref, nref);
        }
        remoteTypedParamsFree(params, nparams);
    }
    if (ok && virXdrFailed(&xdr))
        ok = false;
    FUZZ_CHECK(ok == genOk, "stats reply: direct decoder %s, generated filter %s (%s)",
               ok ? "accepts" : "refuses", genOk ? "accepts" : "refuses",
               xdr.error ? xdr.error : (why ? why : "-"));
    FUZZ_CHECK(!ok || xdr.pos == genUsed,
               "stats reply: direct decoder used %zu bytes, "
               "generated %zu",
               xdr.pos, genUsed);
    if (genOk)
        virXdrFree(remote_connect_get_all_domain_stats_ret_filter, &ret);
}

/* Client view: what the remote driver decodes from a daemon. */
static void
onReplyOrEvent(const virNetMessage *msg)
{
    const virNetMessageHeader *hdr = &msg->header;
    const remoteProcedure *codec;

    if (hdr->prog != VIR_NET_REMOTE_PROGRAM || hdr->vers != VIR_NET_PROGRAM_VERSION)
        return;
    if (!(codec = remoteProcedureLookup(hdr->proc)))
        return;
    if (hdr->type == VIR_NET_MESSAGE) {
        if (codec->isEvent)
            decodeAndCheck(msg, codec->argsFilter, codec->argsSize, "event");
    } else if (hdr->status == VIR_NET_ERROR) {
        decodeAndCheck(msg, virnet_error_filter, sizeof(virNetMessageError), "error");
    } else if (hdr->status == VIR_NET_OK && !codec->isEvent) {
        decodeAndCheck(msg, codec->retFilter, codec->retSize, "ret");
        if (hdr->proc == REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS)
            checkStatsDecode(msg);
    }
}

/* A *_WITH_FDS frame came with as many open descriptors as it announced. */
static void
checkFDs(const virNetMessage *msg)
{
    int n = virNetMessageDecodeNumFDs(msg);

    FUZZ_CHECK(n >= 0 && (size_t)n == msg->nfds, "frame announces %d fds, %zu came", n,
               msg->nfds);
    for (size_t i = 0; i < msg->nfds; i++)
        FUZZ_CHECK(fcntl(msg->fds[i], F_GETFD) >= 0, "fd %zu of the frame is not open",
                   i);
}

static bool
onFrame(virNetSocket *sock, virNetMessage *msg, void *opaque)
{
    FuzzConn *conn = opaque;
    const virNetMessageHeader *hdr = &msg->header;

    conn->frames++;
    FUZZ_CHECK(msg->len >= VIR_NET_MESSAGE_MIN_FRAME &&
                   msg->len <= VIR_NET_MESSAGE_LEN_MAX + VIR_NET_MESSAGE_MAX,
               "frame of %zu bytes delivered", msg->len);
    virKeepAliveNoteActivity(&conn->ka, g_get_monotonic_time());
    if (virNetMessageIsKeepAlive(hdr)) {
        g_autoptr(virNetMessage) pong =
            virKeepAliveHandleMessage(&conn->ka, msg, g_get_monotonic_time());

        if (pong)
            FUZZ_CHECK(pong->len == VIR_NET_MESSAGE_MIN_FRAME, "PONG");
    } else {
        switch (hdr->type) {
        case VIR_NET_CALL:
            onCall(conn, msg);
            break;
        case VIR_NET_CALL_WITH_FDS:
            checkFDs(msg);
            onCall(conn, msg);
            break;
        case VIR_NET_REPLY_WITH_FDS:
            checkFDs(msg);
            onReplyOrEvent(msg);
            break;
        case VIR_NET_REPLY:
        case VIR_NET_MESSAGE:
            onReplyOrEvent(msg);
            break;
        case VIR_NET_STREAM:
            /* Daemon view: raw bytes routed by serial, nothing decoded.
             * Client view: a daemon's stream error carries a remote_error. */
            if (hdr->status == VIR_NET_ERROR)
                decodeAndCheck(msg, virnet_error_filter, sizeof(virNetMessageError),
                               "stream error");
            break;
        case VIR_NET_STREAM_HOLE: {
            virNetStreamHole hole;
            const char *why = NULL;

            if (!virNetMessageDecodeHole(msg, &hole, &why)) {
                FUZZ_CHECK(why != NULL, "a refused hole says why");
                conn->dropped = true; /* a protocol break: the client is closed */
            } else {
                g_autoptr(virNetMessage) again = virNetMessageNewHole(hdr, hole.length);

                FUZZ_CHECK(hole.length >= 0 && hole.flags == 0, "hole accepted as valid");
                FUZZ_CHECK(again->len == msg->len &&
                               memcmp(virNetMessagePayload(again),
                                      virNetMessagePayload(msg), 12) == 0,
                           "hole re-encodes to the same bytes");
            }
            break;
        }
        default:
            break;
        }
    }
    virNetMessageFree(msg);
    return !conn->dropped;
}

/* Read what the socket has; false once the reader stopped for good. */
static bool
readSome(virNetSocket *sock, FuzzConn *conn, bool atEOF)
{
    virNetSocketStatus st;

    virResetLastError();
    st = virNetSocketRead(sock, 0, onFrame, conn);
    if (conn->dropped)
        return false;
    if (st == VIR_NET_SOCKET_OK) {
        return true;
    }
    /* EOF or a bad frame: an error is reported, the client is dropped. */
    fuzzCheckError(st == VIR_NET_SOCKET_EOF ? "socket EOF" : "socket error", rpcDomains);
    if (st == VIR_NET_SOCKET_EOF && !atEOF)
        FUZZ_FAIL("EOF reported while the peer is still open");
    return false;
}

/* ---- seed writer ----------------------------------------------------------
 * FUZZ_RPC_WRITE_SEEDS=DIR fuzz-rpc: for every procedure the codec table
 * knows (remoteProcedureLookup over 1..1023), write one frame whose payload
 * its filter decodes exactly (consuming every byte): the CALL with its
 * arguments, the REPLY with its return value, or the event MESSAGE. The
 * payload is the first of a few common shapes that fits, else the first
 * string of up to 9 atoms that does; a procedure none fits is listed on
 * stderr. Then exit. */

static void
putAtom(virXdr *xdr, char atom, unsigned int *n)
{
    static const guint8 uuid[16] = { 0xc7, 0xa5, 0xfd, 0xbd, 0xed, 0xaf, 0x94, 0x55,
                                     0x92, 0x6a, 0xd6, 0x5c, 0x16, 0xdb, 0x18, 0x09 };
    char *name = (char *)"fuzz";
    int32_t one = 1, zero = 0, v = (int32_t)(*n)++ % 3;
    int64_t h = 1048576;

    switch (atom) {
    case 'S':
        virXdrString(xdr, &name, VIR_XDR_STRING_MAX);
        break;
    case 'U':
        virXdrOpaqueFixed(xdr, (guint8 *)uuid, 16);
        break;
    case 'I':
        virXdrInt(xdr, &v);
        break;
    case 'Z':
        virXdrInt(xdr, &zero);
        break;
    case '1':
        virXdrInt(xdr, &one);
        break;
    case 'H':
        virXdrHyper(xdr, &h);
        break;
    case 'D': /* remote_nonnull_domain */
        putAtom(xdr, 'S', n);
        putAtom(xdr, 'U', n);
        putAtom(xdr, 'I', n);
        break;
    case 'O': /* optional string, present */
        putAtom(xdr, '1', n);
        putAtom(xdr, 'S', n);
        break;
    case 'M': /* char model[32], one XDR int per char */
        for (int i = 0; i < 32; i++)
            putAtom(xdr, i < 6 ? '1' : 'Z', n);
        break;
    case 'P': /* optional domain, present */
        putAtom(xdr, '1', n);
        putAtom(xdr, 'D', n);
        break;
    }
}

/* The payload @shape stands for, if @filter decodes it exactly. */
static guint8 *
shapeFits(virXdrFilter filter, size_t size, const char *shape, size_t *len)
{
    virXdr xdr;
    guint8 *payload;
    unsigned int n = 0;

    virXdrInitEncode(&xdr, 1 << 20);
    for (const char *a = shape; *a; a++)
        putAtom(&xdr, *a, &n);
    payload = virXdrSteal(&xdr, len);
    if (!payload)
        payload = g_malloc0(1); /* empty: still "found" */
    if (filter ? consumed(filter, size, payload, *len) == *len : *len == 0)
        return payload;
    g_free(payload);
    return NULL;
}

/* Depth-first over atom strings of exactly @depth atoms (Z I S U H: int 0,
 * int, string, uuid, hyper; a domain is S U I, an absent optional or an
 * empty list Z). */
static guint8 *
shapeSearch(virXdrFilter filter, size_t size, char *shape, int pos, int depth,
            size_t *len)
{
    static const char atoms[] = "ZISUH";

    if (pos == depth) {
        shape[pos] = '\0';
        return shapeFits(filter, size, shape, len);
    }
    for (const char *a = atoms; *a; a++) {
        guint8 *found;

        shape[pos] = *a;
        if ((found = shapeSearch(filter, size, shape, pos + 1, depth, len)))
            return found;
    }
    return NULL;
}

static bool
writeSeed(const char *dir, const remoteProcedure *p, const char *kind,
          virNetMessageType type, virXdrFilter filter, size_t size)
{
    static const char *const shapes[] = {
        "",       "I",     "Z",       "II",      "IZ",         "III",         "S",
        "SI",     "SII",   "O",       "OI",      "ZI",         "ZZ",          "D",
        "DI",     "DZ",    "DII",     "DIZ",     "DZZ",        "DIII",        "DZZZ",
        "DS",     "DSI",   "DSZ",     "DSII",    "DIS",        "DISI",        "DH",
        "DHI",    "DHZ",   "DU",      "DOI",     "DOZ",        "U",           "UI",
        "IP",     "IZ",    "ID",      "IDI",     "IDII",       "SZ",          "SZI",
        "OZ",     "ZOZ",   "H",       "HI",      "ZZZZ",       "IIII",        "SS",
        "SSI",    "DSSI",  "DSSZ",    "DSOZ",    "DOSZ",       "MHIIIIII",    "DZZZZ",
        "DZZZZZ", "DZHZH", "DZZZHZH", "DZZZZZH", "DIISSISSSZ", "IDIISSISSSZ",
    };
    virNetMessageHeader hdr = {
        .prog = VIR_NET_REMOTE_PROGRAM,
        .vers = VIR_NET_PROGRAM_VERSION,
        .proc = p->proc,
        .type = type,
        .serial = 7,
        .status = VIR_NET_OK,
    };
    g_autoptr(virNetMessage) msg = NULL;
    g_autofree guint8 *payload = NULL;
    g_autofree guint8 *frame = NULL;
    g_autofree char *path = NULL;
    size_t len = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(shapes) && !payload; i++)
        payload = shapeFits(filter, size, shapes[i], &len);
    /* Else a search: up to 9 atoms (under 2.5 million candidates). */
    for (int depth = 1; depth <= 9 && !payload && filter; depth++) {
        char shape[16];

        payload = shapeSearch(filter, size, shape, 0, depth, &len);
    }
    if (!payload) {
        fprintf(stderr, "no payload shape fits %s %d %s\n", kind, p->proc, p->name);
        return false;
    }
    /* The frame: header + this payload. */
    if (!(msg = virNetMessageEncode(&hdr, NULL, NULL, NULL)))
        return false;
    frame = g_malloc(msg->len + len);
    memcpy(frame, msg->buf, msg->len);
    if (len)
        memcpy(frame + msg->len, payload, len);
    frame[0] = (msg->len + len) >> 24;
    frame[1] = (msg->len + len) >> 16;
    frame[2] = (msg->len + len) >> 8;
    frame[3] = (msg->len + len);
    path = g_strdup_printf("%s/gen-%03d-%s-%s", dir, p->proc, kind, p->name);
    if (!g_file_set_contents(path, (const char *)frame, msg->len + len, NULL))
        FUZZ_FAIL("cannot write %s", path);
    return true;
}

static void
writeSeeds(const char *dir)
{
    unsigned int written = 0, missed = 0;

    for (int proc = 1; proc < 1024; proc++) {
        const remoteProcedure *p = remoteProcedureLookup(proc);

        if (!p)
            continue;
        if (p->isEvent) {
            writeSeed(dir, p, "event", VIR_NET_MESSAGE, p->argsFilter, p->argsSize)
                ? written++
                : missed++;
            continue;
        }
        writeSeed(dir, p, "call", VIR_NET_CALL, p->argsFilter, p->argsSize) ? written++
                                                                            : missed++;
        writeSeed(dir, p, "reply", VIR_NET_REPLY, p->retFilter, p->retSize) ? written++
                                                                            : missed++;
    }
    fprintf(stderr,
            "%u seed frames written to %s, %u procedures without a fitting shape\n",
            written, dir, missed);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *dir = g_getenv("FUZZ_RPC_WRITE_SEEDS");

    if (dir) {
        writeSeeds(dir);
        exit(0);
    }
    return 0;
}

/* The frame that starts at @off: where it ends, and for a *_WITH_FDS
 * frame announcing n <= 32 descriptors, the n carrier bytes after it.
 * Input that does not parse as frames is sent as it is. */
static void
nextFrame(const uint8_t *data, size_t size, size_t off, size_t *frameEnd,
          size_t *carrierAt, size_t *carriers)
{
    uint32_t len, type, n;

    *frameEnd = size;
    *carriers = 0;
    *carrierAt = size;
    if (size - off < VIR_NET_MESSAGE_MIN_FRAME + 4)
        return;
    len = (uint32_t)data[off] << 24 | data[off + 1] << 16 | data[off + 2] << 8 |
          data[off + 3];
    if (len < VIR_NET_MESSAGE_MIN_FRAME || len > size - off)
        return;
    *frameEnd = off + len;
    *carrierAt = *frameEnd;
    type = (uint32_t)data[off + 16] << 24 | data[off + 17] << 16 | data[off + 18] << 8 |
           data[off + 19];
    if ((type != VIR_NET_CALL_WITH_FDS && type != VIR_NET_REPLY_WITH_FDS) ||
        len < VIR_NET_MESSAGE_MIN_FRAME + 4)
        return;
    n = (uint32_t)data[off + 28] << 24 | data[off + 29] << 16 | data[off + 30] << 8 |
        data[off + 31];
    if (n > VIR_NET_MESSAGE_NUM_FDS_MAX)
        return;
    *carriers = MIN(n, size - *frameEnd);
}

/* One carrier byte with a descriptor (a dup of /dev/null), as libvirt's
 * client passes fds. */
static int devnull = -1;

static ssize_t
sendCarrier(int sock, uint8_t byte)
{
    struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
    union {
        struct cmsghdr hdr;
        char buf[CMSG_SPACE(sizeof(int))];
    } ctl;
    struct msghdr mh = {
        .msg_iov = &iov,
        .msg_iovlen = 1,
        .msg_control = ctl.buf,
        .msg_controllen = sizeof(ctl.buf),
    };
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    ssize_t n;

    memset(&ctl, 0, sizeof(ctl));
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &devnull, sizeof(int));
    n = sendmsg(sock, &mh, MSG_NOSIGNAL);
    return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int sv[2];
    g_autoptr(virNetSocket) sock = NULL;
    FuzzConn conn = { 0 };
    size_t off = 0;
    bool alive = true;
    size_t frameEnd = 0, carrierAt = 0, carriers = 0;
    int lowestFree;

    if (devnull < 0 && (devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
        FUZZ_FAIL("/dev/null: %s", g_strerror(errno));
    lowestFree = dup(0);
    close(lowestFree);
    nextFrame(data, size, 0, &frameEnd, &carrierAt, &carriers);

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        FUZZ_FAIL("socketpair: %s", g_strerror(errno));
    if (fcntl(sv[1], F_SETFL, O_NONBLOCK) < 0)
        FUZZ_FAIL("fcntl: %s", g_strerror(errno));
    if (!(sock = virNetSocketNew(sv[0])))
        FUZZ_FAIL("virNetSocketNew");
    virKeepAliveInit(&conn.ka);

    /* Feed the input as fast as the socket takes it, reading in between;
     * the carrier bytes after a *_WITH_FDS frame go one by one, each with
     * a descriptor. */
    while (alive && off < size) {
        ssize_t n;

        if (off == carrierAt && carriers > 0) {
            n = sendCarrier(sv[1], data[off]);
            if (n > 0) {
                carrierAt++;
                carriers--;
            }
        } else {
            size_t want = size - off;

            if (off < frameEnd)
                want = frameEnd - off;
            n = send(sv[1], data + off, want, MSG_NOSIGNAL);
        }
        if (n > 0) {
            off += n;
            if (off >= frameEnd && carriers == 0 && carrierAt <= off)
                nextFrame(data, size, off, &frameEnd, &carrierAt, &carriers);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            break; /* the reader side is gone (dropped) */
        alive = readSome(sock, &conn, false);
    }
    close(sv[1]);
    while (alive)
        alive = readSome(sock, &conn, true);
    g_clear_pointer(&sock, virNetSocketFree);
    {
        /* every descriptor passed in was closed (the lowest free one is
         * the same as before the input) */
        int probe = dup(0);

        FUZZ_CHECK(probe == lowestFree, "a passed descriptor was left open (%d vs %d)",
                   probe, lowestFree);
        close(probe);
    }
    return 0;
}
