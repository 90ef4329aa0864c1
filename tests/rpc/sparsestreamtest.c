/* sparsestreamtest.c: sparse streams on the wire, libvirtkit's remote client against virtkitd's stream code
 *
 * The daemon side is virtkitd's own src/daemon/remote_dispatch_stream.c
 * (compiled in), hosted by a virNetServer whose dispatch hook plays the
 * storage driver: STORAGE_VOL_DOWNLOAD / STORAGE_VOL_UPLOAD open an fd
 * stream on a file of the test's folder named by the volume, sparse when
 * the call's flags say VIR_STORAGE_VOL_*_SPARSE_STREAM (1). The client
 * side is the remote driver's stream (remoteStreamOpen), driven through
 * the public virStream* API. Bad hole frames are written on a raw socket.
 *
 * Threads: the server and the daemon's stream pump run on the default
 * GMainContext, iterated by loopThread (virEventRunDefaultImpl), as on
 * virtkitd's main thread; the test body is the application, on the main
 * thread, using blocking streams. Every wait has a deadline.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>

#include "datatypes.h"
#include "driver.h"
#include "remote_dispatch_priv.h"
#include "remote_driver_priv.h"
#include "remote_protocol.h"
#include "virerror.h"
#include "virfdstream.h"
#include "virnetserver.h"

#define SIZE (3 * 1024 * 1024)
#define DATA (8 * 1024)

/* remote_dispatch_stream.c's console handler needs it; never called here */
virDomainPtr
vkdDomainFromWire(virConnectPtr conn, const remote_nonnull_domain *d)
{
    g_assert_not_reached();
    return NULL;
}

static struct {
    virNetServer *srv;
    char *dir;
    char *path;
    virConnectPtr conn; /* the daemon's (test driver) */
    gint clients;       /* open clients (atomic) */
} daemon_;

static void
dcFree(void *opaque)
{
    vkdDispatchClient *dc = opaque;

    g_ptr_array_unref(dc->streams);
    g_mutex_clear(&dc->lock);
    g_free(dc);
}

static bool
onNewClient(virNetServer *srv, virNetServerClient *client, void *opaque)
{
    vkdDispatchClient *dc = g_new0(vkdDispatchClient, 1);

    g_mutex_init(&dc->lock);
    dc->streams = g_ptr_array_new();
    virNetServerClientSetPrivateData(client, dc, dcFree);
    g_atomic_int_inc(&daemon_.clients);
    return true;
}

static void
onCloseClient(virNetServerClient *client, void *opaque)
{
    vkdDispatchStreamsCloseAll(virNetServerClientGetPrivateData(client));
    g_atomic_int_dec_and_test(&daemon_.clients);
}

/* The storage driver's part of a volume transfer. */
static void
volTransfer(virNetServerClient *client, virNetMessage *msg, bool upload, const char *name,
            uint64_t offset, uint64_t length, uint32_t flags)
{
    g_autofree char *file = g_build_filename(daemon_.dir, name, NULL);
    vkdCall call = {
        .client = client,
        .dc = virNetServerClientGetPrivateData(client),
        .hdr = &msg->header,
        .conn = daemon_.conn,
    };
    virStreamPtr st = virStreamNew(daemon_.conn, VIR_STREAM_NONBLOCK);
    int oflags = upload ? O_WRONLY | O_CREAT | O_TRUNC : O_RDONLY;
    vkdStream *s;

    if (g_str_equal(name, "unasked-hole")) {
        /* a daemon that sends a hole on a stream not opened sparse */
        virStreamFree(st);
        virNetServerClientSendReply(client, &msg->header, NULL, NULL);
        virNetServerClientSendMessage(client, virNetMessageNewHole(&msg->header, 4096));
        return;
    }
    if (virFDStreamOpenFile(st, file, offset, length, oflags, flags & 1) < 0) {
        virErrorPtr e = virGetLastError();

        virNetServerClientSendErrorSimple(client, &msg->header, e->code, e->domain,
                                          e->message);
        virStreamFree(st);
        virResetLastError();
        return;
    }
    s = vkdStreamNewFull(&call, st, flags & 1);
    virNetServerClientSendReply(client, &msg->header, NULL, NULL);
    vkdStreamStart(s);
    vkdStreamRelease(s);
}

static void
daemonDispatch(virNetServerClient *client, virNetMessage *msg, void *opaque)
{
    const virNetMessageHeader *h = &msg->header;

    if (h->type == VIR_NET_STREAM || h->type == VIR_NET_STREAM_HOLE) {
        vkdDispatchStreamFrame(client, msg);
        return;
    }
    switch (h->proc) {
    case REMOTE_PROC_AUTH_LIST: {
        int32_t none = REMOTE_AUTH_NONE;
        remote_auth_list_ret r = { .types_len = 1, .types_val = &none };

        virNetServerClientSendReply(client, h, remote_auth_list_ret_filter, &r);
        break;
    }
    case REMOTE_PROC_CONNECT_SUPPORTS_FEATURE: {
        remote_connect_supports_feature_ret r = { 0 };

        virNetServerClientSendReply(client, h, remote_connect_supports_feature_ret_filter,
                                    &r);
        break;
    }
    case REMOTE_PROC_CONNECT_CLOSE:
        virNetServerClientSendReply(client, h, NULL, NULL);
        virNetServerClientClose(client, true);
        break;
    case REMOTE_PROC_STORAGE_VOL_DOWNLOAD: {
        remote_storage_vol_download_args a = { 0 };

        g_assert_true(virNetMessageDecodePayload(
            msg, (virXdrFilter)remote_storage_vol_download_args_filter, &a, NULL));
        volTransfer(client, msg, false, a.vol.name, a.offset, a.length, a.flags);
        virXdrFree((virXdrFilter)remote_storage_vol_download_args_filter, &a);
        break;
    }
    case REMOTE_PROC_STORAGE_VOL_UPLOAD: {
        remote_storage_vol_upload_args a = { 0 };

        g_assert_true(virNetMessageDecodePayload(
            msg, (virXdrFilter)remote_storage_vol_upload_args_filter, &a, NULL));
        volTransfer(client, msg, true, a.vol.name, a.offset, a.length, a.flags);
        virXdrFree((virXdrFilter)remote_storage_vol_upload_args_filter, &a);
        break;
    }
    default: /* CONNECT_OPEN and the rest of the client's preamble */
        virNetServerClientSendReply(client, h, NULL, NULL);
        break;
    }
    virNetMessageFree(msg);
}

static void
quietErrors(void *opaque, virErrorPtr err)
{
}

static gpointer
loopThread(gpointer opaque)
{
    for (;;)
        virEventRunDefaultImpl();
    return NULL;
}

static virConnectPtr
openConn(void)
{
    g_autofree char *uri =
        g_strdup_printf("test+unix:///default?socket=%s", daemon_.path);
    virConnectPtr conn = virGetConnect();

    conn->driver = &remoteHypervisorDriver;
    conn->uri = g_strdup(uri);
    g_assert_cmpint(remoteHypervisorDriver.connectOpen(conn, uri, NULL, 0), ==,
                    VIR_DRV_OPEN_SUCCESS);
    return conn;
}

static void
closeConn(virConnectPtr conn)
{
    remoteHypervisorDriver.connectClose(conn);
    conn->driver = NULL;
    virObjectUnrefConnect(conn);
}

/* Open @st on @conn as a volume download/upload of file @name. */
static int
openVol(virConnectPtr conn, virStreamPtr st, bool upload, const char *name,
        unsigned int flags)
{
    remote_storage_vol_upload_args a = { 0 };

    /* upload and download args share one layout */
    a.vol.pool = (char *)"pool";
    a.vol.name = (char *)name;
    a.vol.key = (char *)name;
    a.flags = flags;
    return remoteStreamOpen(
        conn, st, REMOTE_PROGRAM,
        upload ? REMOTE_PROC_STORAGE_VOL_UPLOAD : REMOTE_PROC_STORAGE_VOL_DOWNLOAD,
        (virXdrFilter)remote_storage_vol_upload_args_filter, &a, NULL, NULL, flags & 1);
}

/* 8 KiB of 'A' at 0, 8 KiB of 'B' at 1 MiB, holes elsewhere up to 3 MiB. */
static char *
makeSparse(const char *name)
{
    char *path = g_build_filename(daemon_.dir, name, NULL);
    char data[DATA];
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    g_assert_cmpint(fd, >=, 0);
    memset(data, 'A', sizeof(data));
    g_assert_cmpint(pwrite(fd, data, sizeof(data), 0), ==, sizeof(data));
    memset(data, 'B', sizeof(data));
    g_assert_cmpint(pwrite(fd, data, sizeof(data), 1024 * 1024), ==, sizeof(data));
    g_assert_cmpint(ftruncate(fd, SIZE), ==, 0);
    close(fd);
    return path;
}

static GBytes *
readFile(const char *path)
{
    gchar *data = NULL;
    gsize len = 0;

    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    return g_bytes_new_take(data, len);
}

typedef struct {
    GByteArray *out; /* what the sink saw, holes as zeroes */
    long long holes;
    int holeCount;
    int fd; /* the upload's source */
} Sink;

static int
sinkData(virStreamPtr st, const char *data, size_t nbytes, void *opaque)
{
    Sink *k = opaque;

    g_byte_array_append(k->out, (const guint8 *)data, nbytes);
    return nbytes;
}

static int
sinkHole(virStreamPtr st, long long length, void *opaque)
{
    Sink *k = opaque;
    g_autofree guint8 *zero = g_malloc0(length);

    g_byte_array_append(k->out, zero, length);
    k->holes += length;
    k->holeCount++;
    return 0;
}

static void
testDownload(void)
{
    g_autofree char *src = makeSparse("down");
    g_autoptr(GBytes) want = readFile(src);
    virConnectPtr conn = openConn();
    virStreamPtr st = virStreamNew(conn, 0);
    Sink k = { .out = g_byte_array_new() };

    /* sparse: the holes travel as STREAM_HOLE frames */
    g_assert_cmpint(openVol(conn, st, false, "down", 1), ==, 0);
    g_assert_cmpint(virStreamSparseRecvAll(st, sinkData, sinkHole, &k), ==, 0);
    g_assert_cmpint(virStreamFinish(st), ==, 0);
    virStreamFree(st);
    g_assert_cmpint(k.out->len, ==, SIZE);
    g_assert_cmpint(memcmp(k.out->data, g_bytes_get_data(want, NULL), SIZE), ==, 0);
    g_assert_cmpint(k.holes, ==, SIZE - 2 * DATA);
    g_assert_cmpint(k.holeCount, ==, 2);
    g_byte_array_set_size(k.out, 0);
    k.holes = 0;
    k.holeCount = 0;

    /* sparse stream read with plain Recv: holes read as zeroes */
    st = virStreamNew(conn, 0);
    g_assert_cmpint(openVol(conn, st, false, "down", 1), ==, 0);
    g_assert_cmpint(virStreamRecvAll(st, sinkData, &k), ==, 0);
    g_assert_cmpint(virStreamFinish(st), ==, 0);
    virStreamFree(st);
    g_assert_cmpint(k.out->len, ==, SIZE);
    g_assert_cmpint(memcmp(k.out->data, g_bytes_get_data(want, NULL), SIZE), ==, 0);
    g_byte_array_set_size(k.out, 0);

    /* not sparse: every byte as data, no hole on the wire (the client
     * would fail on one), and the client refuses to take holes */
    st = virStreamNew(conn, 0);
    g_assert_cmpint(openVol(conn, st, false, "down", 0), ==, 0);
    g_assert_cmpint(virStreamSparseRecvAll(st, sinkData, sinkHole, &k), ==, 0);
    g_assert_cmpint(k.holeCount, ==, 0);
    g_assert_cmpint(k.out->len, ==, SIZE);
    g_assert_cmpint(memcmp(k.out->data, g_bytes_get_data(want, NULL), SIZE), ==, 0);
    {
        long long len;

        g_assert_cmpint(virStreamRecvHole(st, &len, 0), ==, -1);
        g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_INVALID);
        g_assert_cmpint(virGetLastErrorDomain(), ==, VIR_FROM_RPC);
        g_assert_cmpstr(virGetLastError()->message, ==,
                        "Requested operation is not valid: Holes are not supported with "
                        "this stream");
    }
    g_assert_cmpint(virStreamFinish(st), ==, 0);
    virStreamFree(st);

    /* a daemon that sends a hole on a stream not opened sparse: the
     * stream fails as libvirt's client fails it, the connection lives */
    st = virStreamNew(conn, 0);
    g_assert_cmpint(openVol(conn, st, false, "unasked-hole", 0), ==, 0);
    g_assert_cmpint(virStreamRecvAll(st, sinkData, &k), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_RPC);
    g_assert_cmpstr(virGetLastError()->message, ==, "Unexpected stream hole");
    virStreamFree(st);
    st = virStreamNew(conn, 0);
    g_assert_cmpint(openVol(conn, st, false, "no-such-file", 1), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_SYSTEM_ERROR);
    virStreamFree(st);

    g_byte_array_unref(k.out);
    closeConn(conn);
    g_unlink(src);
}

static int
srcData(virStreamPtr st, char *data, size_t nbytes, void *opaque)
{
    Sink *k = opaque;

    return read(k->fd, data, nbytes);
}

static int
srcHole(virStreamPtr st, int *inData, long long *length, void *opaque)
{
    Sink *k = opaque;
    off_t cur = lseek(k->fd, 0, SEEK_CUR);
    off_t data = lseek(k->fd, cur, SEEK_DATA);
    off_t end;

    if (data < 0 && errno == ENXIO) {
        end = lseek(k->fd, 0, SEEK_END);
        *inData = 0;
        *length = end - cur;
    } else if (data == cur) {
        *inData = 1;
        *length = lseek(k->fd, cur, SEEK_HOLE) - cur;
    } else {
        *inData = 0;
        *length = data - cur;
    }
    lseek(k->fd, cur, SEEK_SET);
    return 0;
}

static int
srcSkip(virStreamPtr st, long long length, void *opaque)
{
    Sink *k = opaque;

    k->holes += length;
    k->holeCount++;
    return lseek(k->fd, length, SEEK_CUR) < 0 ? -1 : 0;
}

static void
testUpload(void)
{
    g_autofree char *src = makeSparse("up-src");
    g_autofree char *dst = g_build_filename(daemon_.dir, "up-dst", NULL);
    g_autoptr(GBytes) want = readFile(src);
    g_autoptr(GBytes) got = NULL;
    virConnectPtr conn = openConn();
    virStreamPtr st = virStreamNew(conn, 0);
    Sink k = { .fd = open(src, O_RDONLY) };
    struct stat sb;

    g_assert_cmpint(k.fd, >=, 0);
    g_assert_cmpint(openVol(conn, st, true, "up-dst", 1), ==, 0);
    g_assert_cmpint(virStreamSparseSendAll(st, srcData, srcHole, srcSkip, &k), ==, 0);
    /* finish returns once the daemon wrote everything before it */
    g_assert_cmpint(virStreamFinish(st), ==, 0);
    virStreamFree(st);
    close(k.fd);
    g_assert_cmpint(k.holeCount, ==, 2);
    got = readFile(dst);
    g_assert_true(g_bytes_equal(got, want));
    g_assert_cmpint(stat(dst, &sb), ==, 0);
    g_assert_cmpint((long long)sb.st_blocks * 512, <=, 64 * 1024);

    /* a stream not opened sparse does not send holes */
    st = virStreamNew(conn, 0);
    g_assert_cmpint(openVol(conn, st, true, "up-dst", 0), ==, 0);
    g_assert_cmpint(virStreamSendHole(st, 4096, 0), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_INVALID);
    g_assert_cmpstr(
        virGetLastError()->message, ==,
        "Requested operation is not valid: Skipping is not supported with this "
        "stream");
    g_assert_cmpint(virStreamSendHole(st, -1, 0), ==, -1);
    g_assert_cmpint(virStreamSend(st, "plain", 5), ==, 5);
    g_assert_cmpint(virStreamFinish(st), ==, 0);
    virStreamFree(st);
    g_clear_pointer(&got, g_bytes_unref);
    got = readFile(dst);
    g_assert_cmpint(g_bytes_get_size(got), ==, 5);

    closeConn(conn);
    g_unlink(src);
    g_unlink(dst);
}

/* ---- hostile frames on a raw socket ---------------------------------------- */

static int
rawConnect(void)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct timeval tv = { .tv_sec = 30 };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_strlcpy(sa.sun_path, daemon_.path, sizeof(sa.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    g_assert_cmpint(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), ==, 0);
    return fd;
}

static void
rawSend(int fd, virNetMessage *msg)
{
    g_assert_cmpint(write(fd, msg->buf, msg->len), ==, (ssize_t)msg->len);
    virNetMessageFree(msg);
}

/* Read one frame's header: its type and status; -1 at EOF. */
static int
rawRead(int fd, int *status)
{
    guint8 buf[65536 + 64];
    g_autoptr(virNetMessage) msg = NULL;
    size_t got = 0, len;

    while (got < 4) {
        ssize_t n = read(fd, buf + got, 4 - got);

        if (n == 0)
            return -1;
        g_assert_cmpint(n, >, 0);
        got += n;
    }
    len = virNetMessageDecodeLength(buf);
    g_assert_cmpint(len, >, 0);
    g_assert_cmpint(len, <=, sizeof(buf));
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);

        g_assert_cmpint(n, >, 0);
        got += n;
    }
    msg = virNetMessageFromFrame(g_memdup2(buf, len), len);
    g_assert_nonnull(msg);
    *status = msg->header.status;
    return msg->header.type;
}

/* Open a volume transfer by hand; returns its header (for stream frames). */
static virNetMessageHeader
rawOpen(int fd, const char *name, bool upload, unsigned int flags)
{
    remote_storage_vol_upload_args a = {
        .vol = { .pool = (char *)"pool", .name = (char *)name, .key = (char *)name },
        .flags = flags,
    };
    virNetMessageHeader h = {
        .prog = REMOTE_PROGRAM,
        .vers = 1,
        .proc =
            upload ? REMOTE_PROC_STORAGE_VOL_UPLOAD : REMOTE_PROC_STORAGE_VOL_DOWNLOAD,
        .type = VIR_NET_CALL,
        .serial = 7,
        .status = VIR_NET_OK,
    };
    int status = -1;

    rawSend(fd, virNetMessageEncode(
                    &h, (virXdrFilter)remote_storage_vol_upload_args_filter, &a, NULL));
    g_assert_cmpint(rawRead(fd, &status), ==, VIR_NET_REPLY);
    g_assert_cmpint(status, ==, VIR_NET_OK);
    return h;
}

/* Expect the daemon to close the connection (frames it sent first are
 * skipped), and to serve a new one afterwards. */
static void
expectClosed(int fd)
{
    int status;
    virConnectPtr conn;

    while (rawRead(fd, &status) >= 0)
        ;
    close(fd);
    conn = openConn();
    closeConn(conn);
}

static void
testHostile(void)
{
    g_autofree char *src = makeSparse("hostile");
    g_autofree char *dst = g_build_filename(daemon_.dir, "hostile-dst", NULL);
    virNetMessageHeader h;
    virNetStreamHole hole = { .length = 4096 };
    guint8 shortHole[8] = { 0 };
    int fd;

    /* a hole on a stream that was not opened sparse */
    fd = rawConnect();
    h = rawOpen(fd, "hostile-dst", true, 0);
    rawSend(fd, virNetMessageNewHole(&h, 4096));
    expectClosed(fd);

    /* a hole of 8 bytes instead of 12 */
    fd = rawConnect();
    h = rawOpen(fd, "hostile-dst", true, 1);
    h.type = VIR_NET_STREAM_HOLE;
    h.status = VIR_NET_CONTINUE;
    rawSend(fd, virNetMessageNewRaw(&h, shortHole, sizeof(shortHole)));
    expectClosed(fd);

    /* a negative hole, and one with flags */
    fd = rawConnect();
    h = rawOpen(fd, "hostile-dst", true, 1);
    h.type = VIR_NET_STREAM_HOLE;
    h.status = VIR_NET_CONTINUE;
    hole.length = -4096;
    rawSend(fd, virNetMessageEncode(&h, virnet_stream_hole_filter, &hole, NULL));
    expectClosed(fd);
    fd = rawConnect();
    h = rawOpen(fd, "hostile-dst", true, 1);
    h.type = VIR_NET_STREAM_HOLE;
    h.status = VIR_NET_CONTINUE;
    hole.length = 4096;
    hole.flags = 1;
    rawSend(fd, virNetMessageEncode(&h, virnet_stream_hole_filter, &hole, NULL));
    expectClosed(fd);

    /* a good hole then finish: OK confirmed, the file has the hole */
    fd = rawConnect();
    h = rawOpen(fd, "hostile-dst", true, 1);
    rawSend(fd, virNetMessageNewHole(&h, 1 << 20));
    h.type = VIR_NET_STREAM;
    h.status = VIR_NET_OK;
    rawSend(fd, virNetMessageNewRaw(&h, NULL, 0));
    {
        int status = -1;
        struct stat sb;

        g_assert_cmpint(rawRead(fd, &status), ==, VIR_NET_STREAM);
        g_assert_cmpint(status, ==, VIR_NET_OK);
        g_assert_cmpint(stat(dst, &sb), ==, 0);
        g_assert_cmpint(sb.st_size, ==, 1 << 20);
        g_assert_cmpint(sb.st_blocks, ==, 0);
    }
    close(fd);
    g_unlink(src);
    g_unlink(dst);
}

int
main(int argc, char **argv)
{
    virNetServerCallbacks cb = {
        .newClient = onNewClient,
        .dispatch = daemonDispatch,
        .closeClient = onCloseClient,
    };
    int ret;

    g_test_init(&argc, &argv, NULL);
    virSetErrorFunc(NULL, quietErrors);
    g_assert_cmpint(virEventRegisterDefaultImpl(), ==, 0);
    daemon_.dir = g_dir_make_tmp("vksparse-XXXXXX", NULL);
    daemon_.path = g_build_filename(daemon_.dir, "sock", NULL);
    daemon_.conn = virConnectOpen("test:///default");
    g_assert_nonnull(daemon_.conn);
    daemon_.srv = virNetServerNew(g_main_context_default(), &cb, NULL);
    virNetServerSetMaxRequests(daemon_.srv, 0);
    g_assert_cmpint(virNetServerAddUnixListener(daemon_.srv, daemon_.path, 0600, false),
                    ==, 0);
    g_thread_unref(g_thread_new("daemon-loop", loopThread, NULL));

    g_test_add_func("/rpc/sparse/download", testDownload);
    g_test_add_func("/rpc/sparse/upload", testUpload);
    g_test_add_func("/rpc/sparse/hostile", testHostile);
    ret = g_test_run();
    g_unlink(daemon_.path);
    g_rmdir(daemon_.dir);
    return ret;
}
