/* transporttest.c: virNetClient vs virNetServer on UNIX sockets: calls, keepalive, bad peers */
/*
 * Threads: the server's GMainContext runs in its own thread (serverThread);
 * test bodies run on the main thread and, for the concurrency test, on
 * caller threads. Server-side observations (closed clients, dispatched
 * frames) are recorded under Fixture.lock and waited for with a deadline.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>

#include "remote_protocol.h"

/* Payloads of the test program: any generated layout will do. */
typedef remote_connect_supports_feature_args testIntMsg; /* { int feature } */
#define testIntMsg_filter remote_connect_supports_feature_args_filter
typedef remote_domain_lookup_by_name_args testStringMsg; /* { string name } */
#define testStringMsg_filter remote_domain_lookup_by_name_args_filter
#include "virerror.h"
#include "virnetclient.h"
#include "virnetserver.h"

#define TEST_PROG 0x11223344
#define PROC_ECHO 1   /* args string -> ret string */
#define PROC_FAIL 2   /* -> error 42/10 */
#define PROC_SLOW 3   /* int -> int, answered later from a worker */
#define PROC_SILENT 4 /* never answered (dead peer tests) */
#define PROC_CLOSE 5  /* reply, then close with flush */
#define PROC_FDS 6    /* CALL_WITH_FDS -> REPLY_WITH_FDS giving them back */

/* Deadline for anything we wait on; generous, never asserted as a time. */
#define DEADLINE_US (30 * G_USEC_PER_SEC)

typedef struct {
    GMainContext *ctx;
    GMainLoop *loop;
    GThread *thread;
    virNetServer *srv;
    char *dir;
    char *path;

    GMutex lock;
    GCond cond;
    int nclosed;
    int ndispatched;
    int nreplyFrames; /* REPLY-type frames that reached dispatch (must stay 0) */
    int nforeign;     /* frames of unknown programs handed to dispatch */
    GThreadPool *workers;
    uint32_t lastPeerUid;
    int kaInterval; /* start server keepalive on new clients if > 0 */
    unsigned int kaCount;
} Fixture;

typedef struct {
    virNetServerClient *client;
    virNetMessage *msg;
} Job;

static void
slowWorker(gpointer data, gpointer user)
{
    Job *job = data;
    testIntMsg in = { 0 };
    testIntMsg out;

    g_assert_true(virNetMessageDecodePayload(job->msg, testIntMsg_filter, &in, NULL));
    /* Random delay so replies come back out of order. */
    g_usleep(g_random_int_range(0, 2000));
    out.feature = in.feature * 2 + 1;
    virNetServerClientSendReply(job->client, &job->msg->header, testIntMsg_filter, &out);
    virNetMessageFree(job->msg);
    virNetServerClientUnref(job->client);
    g_free(job);
}

static void
testDispatch(virNetServerClient *client, virNetMessage *msg, void *opaque)
{
    Fixture *f = opaque;

    g_mutex_lock(&f->lock);
    f->ndispatched++;
    if (msg->header.type == VIR_NET_REPLY)
        f->nreplyFrames++;
    if (msg->header.prog != TEST_PROG)
        f->nforeign++;
    g_cond_broadcast(&f->cond);
    g_mutex_unlock(&f->lock);

    if (msg->header.prog != TEST_PROG) {
        virNetServerClientSendErrorSimple(client, &msg->header, VIR_ERR_RPC, VIR_FROM_RPC,
                                          "Cannot find program");
        virNetMessageFree(msg);
        return;
    }

    if (msg->header.type == VIR_NET_CALL_WITH_FDS && msg->header.proc == PROC_FDS) {
        /* Give the descriptors back, reversed, with their count. */
        testIntMsg out = { .feature = msg->nfds };
        int fds[VIR_NET_MESSAGE_NUM_FDS_MAX];
        size_t i, n = msg->nfds;

        for (i = 0; i < n; i++)
            fds[n - 1 - i] = virNetMessageTakeFD(msg, i);
        virNetServerClientSendReplyWithFDs(client, &msg->header, testIntMsg_filter, &out,
                                           fds, n);
        virNetMessageFree(msg);
        return;
    }
    if (msg->header.type == VIR_NET_CALL_WITH_FDS) {
        /* Answer with the number of descriptors that arrived open. */
        testIntMsg out = { 0 };
        size_t i;
        for (i = 0; i < msg->nfds; i++) {
            if (fcntl(msg->fds[i], F_GETFD) >= 0)
                out.feature++;
        }
        virNetServerClientSendReply(client, &msg->header, testIntMsg_filter, &out);
        virNetMessageFree(msg);
        return;
    }

    switch (msg->header.proc) {
    case PROC_ECHO: {
        testStringMsg in = { 0 };
        if (!virNetMessageDecodePayload(msg, testStringMsg_filter, &in, NULL)) {
            virNetServerClientSendErrorSimple(client, &msg->header, VIR_ERR_RPC,
                                              VIR_FROM_RPC,
                                              "Unable to decode message payload");
            break;
        }
        virNetServerClientSendReply(client, &msg->header, testStringMsg_filter, &in);
        virXdrFree(testStringMsg_filter, &in);
        break;
    }
    case PROC_FAIL:
        virNetServerClientSendErrorSimple(
            client, &msg->header, VIR_ERR_NO_DOMAIN, VIR_FROM_QEMU,
            "Domain not found: no domain with matching name 'x'");
        break;
    case PROC_SLOW: {
        Job *job = g_new0(Job, 1);
        job->client = virNetServerClientRef(client);
        job->msg = g_steal_pointer(&msg);
        g_thread_pool_push(f->workers, job, NULL);
        break;
    }
    case PROC_SILENT:
        virNetServerClientRequestDone(client);
        break;
    case PROC_CLOSE:
        virNetServerClientSendReply(client, &msg->header, NULL, NULL);
        virNetServerClientClose(client, true);
        break;
    default:
        virNetServerClientSendErrorSimple(client, &msg->header, VIR_ERR_NO_SUPPORT,
                                          VIR_FROM_RPC, "unsupported");
        break;
    }
    virNetMessageFree(msg);
}

static bool
testNewClient(virNetServer *srv, virNetServerClient *client, void *opaque)
{
    Fixture *f = opaque;

    g_mutex_lock(&f->lock);
    f->lastPeerUid = virNetServerClientGetPeerUid(client);
    if (f->kaInterval > 0)
        virNetServerClientStartKeepAlive(client, f->kaInterval, f->kaCount);
    g_mutex_unlock(&f->lock);
    return true;
}

static void
testCloseClient(virNetServerClient *client, void *opaque)
{
    Fixture *f = opaque;

    g_mutex_lock(&f->lock);
    f->nclosed++;
    g_cond_broadcast(&f->cond);
    g_mutex_unlock(&f->lock);
}

static gpointer
serverThread(gpointer opaque)
{
    Fixture *f = opaque;

    g_main_context_push_thread_default(f->ctx);
    g_main_loop_run(f->loop);
    g_main_context_pop_thread_default(f->ctx);
    return NULL;
}

static void
fixtureSetUp(Fixture *f, gconstpointer data)
{
    virNetServerCallbacks cb = {
        .newClient = testNewClient,
        .dispatch = testDispatch,
        .closeClient = testCloseClient,
    };

    memset(f, 0, sizeof(*f));
    g_mutex_init(&f->lock);
    g_cond_init(&f->cond);
    f->dir = g_dir_make_tmp("vkrpc-XXXXXX", NULL);
    g_assert_nonnull(f->dir);
    f->path = g_build_filename(f->dir, "sock", NULL);
    f->ctx = g_main_context_new();
    f->loop = g_main_loop_new(f->ctx, FALSE);
    f->workers = g_thread_pool_new(slowWorker, f, 4, FALSE, NULL);
    f->srv = virNetServerNew(f->ctx, &cb, f);
    g_assert_cmpint(virNetServerAddUnixListener(f->srv, f->path, 0600, false), ==, 0);
    f->thread = g_thread_new("server", serverThread, f);
}

static gboolean
quitLoop(gpointer opaque)
{
    Fixture *f = opaque;

    virNetServerFree(g_steal_pointer(&f->srv));
    g_main_loop_quit(f->loop);
    return G_SOURCE_REMOVE;
}

static void
fixtureTearDown(Fixture *f, gconstpointer data)
{
    GSource *idle = g_idle_source_new();

    g_thread_pool_free(f->workers, FALSE, TRUE);
    g_source_set_callback(idle, quitLoop, f, NULL);
    g_source_attach(idle, f->ctx);
    g_source_unref(idle);
    g_thread_join(f->thread);
    g_main_loop_unref(f->loop);
    g_main_context_unref(f->ctx);
    g_unlink(f->path);
    g_rmdir(f->dir);
    g_free(f->path);
    g_free(f->dir);
    g_mutex_clear(&f->lock);
    g_cond_clear(&f->cond);
}

/* Wait until *counter >= want (under f->lock) or the deadline passes. */
static bool
waitCounter(Fixture *f, int *counter, int want)
{
    gint64 end = g_get_monotonic_time() + DEADLINE_US;
    bool ok;

    g_mutex_lock(&f->lock);
    while (*counter < want) {
        if (!g_cond_wait_until(&f->cond, &f->lock, end))
            break;
    }
    ok = *counter >= want;
    g_mutex_unlock(&f->lock);
    return ok;
}

static int
rawConnect(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_assert_cmpint(fd, >=, 0);
    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    return fd;
}

static void
writeAll(int fd, const void *buf, size_t len)
{
    const guint8 *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        g_assert_cmpint(n, >, 0);
        p += n;
        len -= n;
    }
}

/* Read one whole frame from a blocking fd; NULL on EOF. */
static virNetMessage *
readFrame(int fd)
{
    guint8 lenbuf[4];
    size_t have = 0;
    size_t len;
    guint8 *buf;

    while (have < 4) {
        ssize_t n = read(fd, lenbuf + have, 4 - have);
        if (n <= 0)
            return NULL;
        have += n;
    }
    len = virNetMessageDecodeLength(lenbuf);
    g_assert_cmpuint(len, >=, VIR_NET_MESSAGE_MIN_FRAME);
    if (len < VIR_NET_MESSAGE_MIN_FRAME)
        return NULL;
    buf = g_malloc(len);
    memcpy(buf, lenbuf, 4);
    while (have < len) {
        ssize_t n = read(fd, buf + have, len - have);
        if (n <= 0) {
            g_free(buf);
            return NULL;
        }
        have += n;
    }
    return virNetMessageFromFrame(buf, len);
}

/* ---- tests ------------------------------------------------------------------ */

/* Send @fd as one 1-byte message carrying it (libvirt's way). */
static void
sendFD(int sock, int fd)
{
    char byte = 0;
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

    memset(ctl.buf, 0, sizeof(ctl.buf));
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    g_assert_cmpint(sendmsg(sock, &mh, 0), ==, 1);
}

/* CALL_WITH_FDS: the count after the header, the frame, then one carrier
 * byte per descriptor. The server hands the descriptors over and the
 * stream stays in step for the next call. */
static void
testServerReceivesFDs(Fixture *f, gconstpointer data)
{
    int fd = rawConnect(f->path);
    int p[2];
    virNetMessageHeader h = {
        .prog = TEST_PROG,
        .vers = 1,
        .proc = PROC_ECHO,
        .type = VIR_NET_CALL_WITH_FDS,
        .serial = 1,
    };
    testIntMsg two = { .feature = 2 };
    g_autoptr(virNetMessage) c = virNetMessageEncode(&h, testIntMsg_filter, &two, NULL);
    g_autoptr(virNetMessage) r = NULL;
    g_autoptr(virNetMessage) r2 = NULL;
    testIntMsg out = { 0 };
    testStringMsg in = { .name = (char *)"after fds" };
    testStringMsg echoed = { 0 };
    virNetMessageHeader h2 = {
        .prog = TEST_PROG,
        .vers = 1,
        .proc = PROC_ECHO,
        .type = VIR_NET_CALL,
        .serial = 2,
    };
    g_autoptr(virNetMessage) c2 =
        virNetMessageEncode(&h2, testStringMsg_filter, &in, NULL);

    g_assert_cmpint(pipe(p), ==, 0);
    /* The payload starts with the count (2), as libvirt's client sends. */
    writeAll(fd, c->buf, c->len);
    sendFD(fd, p[0]);
    sendFD(fd, p[1]);
    writeAll(fd, c2->buf, c2->len);

    r = readFrame(fd);
    g_assert_nonnull(r);
    g_assert_cmpuint(r->header.serial, ==, 1);
    g_assert_cmpint(r->header.status, ==, VIR_NET_OK);
    g_assert_true(virNetMessageDecodePayload(r, testIntMsg_filter, &out, NULL));
    g_assert_cmpint(out.feature, ==, 2);

    r2 = readFrame(fd);
    g_assert_nonnull(r2);
    g_assert_cmpuint(r2->header.serial, ==, 2);
    g_assert_true(virNetMessageDecodePayload(r2, testStringMsg_filter, &echoed, NULL));
    g_assert_cmpstr(echoed.name, ==, "after fds");
    virXdrFree(testStringMsg_filter, &echoed);
    close(p[0]);
    close(p[1]);
    close(fd);
}

/* More than 32 descriptors announced: refused, client dropped. */
static void
testServerTooManyFDs(Fixture *f, gconstpointer data)
{
    int fd = rawConnect(f->path);
    virNetMessageHeader h = {
        .prog = TEST_PROG,
        .vers = 1,
        .proc = PROC_ECHO,
        .type = VIR_NET_CALL_WITH_FDS,
    };
    testIntMsg n = { .feature = 33 };
    g_autoptr(virNetMessage) c = virNetMessageEncode(&h, testIntMsg_filter, &n, NULL);

    writeAll(fd, c->buf, c->len);
    g_assert_null(readFrame(fd));
    g_assert_true(waitCounter(f, &f->nclosed, 1));
    close(fd);
}

/* Descriptors open in this process (client and server are both here). */
static int
countFDs(void)
{
    g_autoptr(GDir) d = g_dir_open("/proc/self/fd", 0, NULL);
    int n = 0;

    g_assert_nonnull(d);
    while (g_dir_read_name(d))
        n++;
    return n;
}

/* Wait (with the deadline) until this process has @want descriptors open:
 * the server closes a dropped client's socket on its own thread. */
static bool
waitFDs(int want)
{
    gint64 end = g_get_monotonic_time() + DEADLINE_US;

    while (countFDs() != want) {
        if (g_get_monotonic_time() > end)
            return false;
        g_usleep(1000);
    }
    return true;
}

/* fd passing both ways through virNetClient and virNetServer: the call
 * passes two pipe ends, the reply (REPLY_WITH_FDS) passes them back, the
 * returned ends are the same pipe; nothing leaks; the stream stays in
 * step; too many descriptors are refused before anything is sent. */
static void
testFDRoundTrip(Fixture *f, gconstpointer data)
{
    g_autoptr(virNetClient) client = virNetClientNewUnix(f->path);
    testIntMsg in = { .feature = 0 };
    testIntMsg out = { 0 };
    testStringMsg sin = { .name = (char *)"after" };
    testStringMsg sout = { 0 };
    int p[2], before;
    int *back = NULL;
    size_t nback = 0;
    int many[VIR_NET_MESSAGE_NUM_FDS_MAX + 1];
    char buf[8] = { 0 };

    g_assert_nonnull(client);
    /* a first call: the server has accepted the connection */
    g_assert_cmpint(virNetClientCall(client, TEST_PROG, PROC_ECHO, testStringMsg_filter,
                                     &sin, testStringMsg_filter, &sout),
                    ==, 0);
    virXdrFree(testStringMsg_filter, &sout);
    before = countFDs();
    for (int round = 0; round < 3; round++) {
        g_assert_cmpint(pipe(p), ==, 0);
        g_assert_cmpint(virNetClientCallFDs(client, TEST_PROG, PROC_FDS, p, 2,
                                            testIntMsg_filter, &in, &back, &nback,
                                            testIntMsg_filter, &out),
                        ==, 0);
        g_assert_cmpint(out.feature, ==, 2);
        g_assert_cmpuint(nback, ==, 2);
        /* reversed: back[0] is the write end, back[1] the read end */
        g_assert_cmpint(write(back[0], "fd!", 3), ==, 3);
        g_assert_cmpint(read(back[1], buf, sizeof(buf)), ==, 3);
        g_assert_cmpstr(buf, ==, "fd!");
        close(back[0]);
        close(back[1]);
        g_clear_pointer(&back, g_free);
    }
    /* a plain call right after: the carrier bytes were all consumed */
    g_assert_cmpint(virNetClientCall(client, TEST_PROG, PROC_ECHO, testStringMsg_filter,
                                     &sin, testStringMsg_filter, &sout),
                    ==, 0);
    g_assert_cmpstr(sout.name, ==, "after");
    virXdrFree(testStringMsg_filter, &sout);
    g_assert_cmpint(countFDs(), ==, before);

    /* 33 descriptors: refused here, every one closed */
    for (size_t i = 0; i < G_N_ELEMENTS(many); i++)
        many[i] = dup(0);
    g_assert_cmpint(virNetClientCallFDs(client, TEST_PROG, PROC_FDS, many,
                                        G_N_ELEMENTS(many), testIntMsg_filter, &in, &back,
                                        &nback, testIntMsg_filter, &out),
                    ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_RPC);
    g_assert_null(back);
    g_assert_cmpint(countFDs(), ==, before);
    g_assert_true(virNetClientIsOpen(client));
}

/* A CALL_WITH_FDS whose second carrier byte brings no descriptor breaks
 * the protocol: the client is closed and the descriptor that did arrive
 * is closed too. A descriptor sent along a plain frame is dropped. */
static void
testServerMissingFD(Fixture *f, gconstpointer data)
{
    int before = countFDs();
    int fd = rawConnect(f->path);
    int p[2];
    virNetMessageHeader h = {
        .prog = TEST_PROG,
        .vers = 1,
        .proc = PROC_ECHO,
        .type = VIR_NET_CALL_WITH_FDS,
        .serial = 1,
    };
    testIntMsg two = { .feature = 2 };
    g_autoptr(virNetMessage) c = virNetMessageEncode(&h, testIntMsg_filter, &two, NULL);
    char zero = 0;

    g_assert_cmpint(pipe(p), ==, 0);
    writeAll(fd, c->buf, c->len);
    sendFD(fd, p[0]);
    writeAll(fd, &zero, 1); /* a carrier byte without its descriptor */
    g_assert_null(readFrame(fd));
    g_assert_true(waitCounter(f, &f->nclosed, 1));
    close(fd);
    close(p[0]);
    close(p[1]);
    g_assert_true(waitFDs(before));
}

static void
testCallReply(Fixture *f, gconstpointer data)
{
    g_autoptr(virNetClient) client = virNetClientNewUnix(f->path);
    testStringMsg in = { .name = (char *)"hello, world" };
    testStringMsg out = { 0 };

    g_assert_nonnull(client);
    g_assert_cmpint(virNetClientCall(client, TEST_PROG, PROC_ECHO, testStringMsg_filter,
                                     &in, testStringMsg_filter, &out),
                    ==, 0);
    g_assert_cmpstr(out.name, ==, "hello, world");
    virXdrFree(testStringMsg_filter, &out);
    g_assert_true(virNetClientIsOpen(client));
    g_mutex_lock(&f->lock);
    g_assert_cmpuint(f->lastPeerUid, ==, getuid());
    g_mutex_unlock(&f->lock);
}

static void
testErrorPassthrough(Fixture *f, gconstpointer data)
{
    g_autoptr(virNetClient) client = virNetClientNewUnix(f->path);
    virErrorPtr err;

    g_assert_nonnull(client);
    virResetLastError();
    g_assert_cmpint(
        virNetClientCall(client, TEST_PROG, PROC_FAIL, NULL, NULL, NULL, NULL), ==, -1);
    err = virGetLastError();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpint(err->domain, ==, VIR_FROM_QEMU);
    g_assert_cmpstr(err->message, ==,
                    "Domain not found: no domain with matching name 'x'");

    /* An unknown procedure gets the server's answer, the link stays up. */
    g_assert_cmpint(virNetClientCall(client, TEST_PROG, 77, NULL, NULL, NULL, NULL), ==,
                    -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_SUPPORT);
    g_assert_true(virNetClientIsOpen(client));
}

typedef struct {
    virNetClient *client;
    int base;
    int failures;
} CallerData;

static gpointer
callerThread(gpointer opaque)
{
    CallerData *d = opaque;
    int i;

    for (i = 0; i < 50; i++) {
        testIntMsg in = { .feature = d->base + i };
        testIntMsg out = { 0 };
        if (virNetClientCall(d->client, TEST_PROG, PROC_SLOW, testIntMsg_filter, &in,
                             testIntMsg_filter, &out) < 0 ||
            out.feature != in.feature * 2 + 1)
            d->failures++;
    }
    return NULL;
}

static void
testConcurrentCallers(Fixture *f, gconstpointer data)
{
    g_autoptr(virNetClient) client = virNetClientNewUnix(f->path);
    CallerData d[8];
    GThread *t[8];
    int i;

    g_assert_nonnull(client);
    for (i = 0; i < 8; i++) {
        d[i] = (CallerData){ .client = client, .base = i * 1000 };
        t[i] = g_thread_new("caller", callerThread, &d[i]);
    }
    for (i = 0; i < 8; i++) {
        g_thread_join(t[i]);
        g_assert_cmpint(d[i].failures, ==, 0);
    }
    g_mutex_lock(&f->lock);
    g_assert_cmpint(f->ndispatched, ==, 8 * 50);
    g_mutex_unlock(&f->lock);
}

static void
testServerAnswersPing(Fixture *f, gconstpointer data)
{
    int fd = rawConnect(f->path);
    g_autoptr(virNetMessage) ping =
        virNetMessageNewKeepAlive(VIR_NET_KEEPALIVE_PROC_PING);
    g_autoptr(virNetMessage) pong = NULL;

    writeAll(fd, ping->buf, ping->len);
    pong = readFrame(fd);
    g_assert_nonnull(pong);
    g_assert_cmpuint(pong->len, ==, 28);
    g_assert_cmpuint(pong->header.prog, ==, VIR_NET_KEEPALIVE_PROGRAM);
    g_assert_cmpint(pong->header.proc, ==, VIR_NET_KEEPALIVE_PROC_PONG);
    g_assert_cmpint(pong->header.type, ==, VIR_NET_MESSAGE);
    g_assert_cmpuint(pong->header.serial, ==, 0);
    close(fd);
    g_assert_true(waitCounter(f, &f->nclosed, 1));
    /* Keepalive frames never reach the dispatcher. */
    g_assert_cmpint(f->ndispatched, ==, 0);
}

/* Server-side keepalive: a peer that never answers receives @count PINGs
 * and is then dropped (after about interval * (count + 1) seconds). */
static void
testServerKeepAliveTimeout(Fixture *f, gconstpointer data)
{
    int fd;
    int pings = 0;
    int others = 0;
    virNetMessage *m;

    g_mutex_lock(&f->lock);
    f->kaInterval = 1;
    f->kaCount = 2;
    g_mutex_unlock(&f->lock);

    fd = rawConnect(f->path);
    while ((m = readFrame(fd))) {
        if (virNetMessageIsKeepAlive(&m->header) &&
            m->header.proc == VIR_NET_KEEPALIVE_PROC_PING &&
            m->header.type == VIR_NET_MESSAGE)
            pings++;
        else
            others++;
        virNetMessageFree(m);
        if (pings > 10)
            break;
    }
    /* readFrame returned NULL: the server hung up on us. */
    g_assert_cmpint(pings, ==, 2);
    g_assert_cmpint(others, ==, 0);
    g_assert_true(waitCounter(f, &f->nclosed, 1));
    close(fd);
}

static void
testClientAnswersPing(void)
{
    int sv[2];
    g_autoptr(virNetClient) client = NULL;
    g_autoptr(virNetMessage) ping =
        virNetMessageNewKeepAlive(VIR_NET_KEEPALIVE_PROC_PING);
    g_autoptr(virNetMessage) pong = NULL;

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
    client = virNetClientNew(virNetSocketNew(sv[0]));
    writeAll(sv[1], ping->buf, ping->len);
    pong = readFrame(sv[1]);
    g_assert_nonnull(pong);
    g_assert_cmpint(pong->header.proc, ==, VIR_NET_KEEPALIVE_PROC_PONG);
    g_assert_true(virNetClientIsOpen(client));
    close(sv[1]);
}

typedef struct {
    GMutex lock;
    GCond cond;
    int reason;
    int calls;
    int rc;
    int code;
    int domain;
    char *message;
    bool callDone;
} CloseWatch;

static void
closeWatchFn(virNetClient *client, int reason, void *opaque)
{
    CloseWatch *w = opaque;

    g_mutex_lock(&w->lock);
    w->reason = reason;
    w->calls++;
    g_cond_broadcast(&w->cond);
    g_mutex_unlock(&w->lock);
}

typedef struct {
    virNetClient *client;
    CloseWatch *w;
    int proc;
} PendingCall;

static gpointer
pendingCallThread(gpointer opaque)
{
    PendingCall *p = opaque;
    int rc = virNetClientCall(p->client, TEST_PROG, p->proc, NULL, NULL, NULL, NULL);
    virErrorPtr e = virGetLastError();

    g_mutex_lock(&p->w->lock);
    p->w->rc = rc;
    p->w->code = e ? e->code : 0;
    p->w->domain = e ? e->domain : 0;
    p->w->message = g_strdup(e ? e->message : NULL);
    p->w->callDone = true;
    g_cond_broadcast(&p->w->cond);
    g_mutex_unlock(&p->w->lock);
    return NULL;
}

/* A client on sv[0] of a new socketpair (the test plays the daemon on
 * sv[1]) with @w as its close handler, and a thread making @p's call. */
static GThread *
pendingCallStart(int sv[2], virNetClient **client, CloseWatch *w, PendingCall *p)
{
    g_mutex_init(&w->lock);
    g_cond_init(&w->cond);
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
    *client = virNetClientNew(virNetSocketNew(sv[0]));
    virNetClientSetCloseHandler(*client, closeWatchFn, w);
    p->client = *client;
    p->w = w;
    return g_thread_new("pending", pendingCallThread, p);
}

static bool
waitWatch(CloseWatch *w, bool *flag, int *count)
{
    gint64 end = g_get_monotonic_time() + DEADLINE_US;
    bool ok;

    g_mutex_lock(&w->lock);
    while (!(flag ? *flag : *count > 0)) {
        if (!g_cond_wait_until(&w->cond, &w->lock, end))
            break;
    }
    ok = flag ? *flag : *count > 0;
    g_mutex_unlock(&w->lock);
    return ok;
}

/* The daemon dies with a call pending: the call fails with libvirt's EOF
 * error, the close handler says EOF, later calls say the socket is closed. */
static void
testDeadPeer(void)
{
    int sv[2];
    g_autoptr(virNetClient) client = NULL;
    CloseWatch w = { 0 };
    PendingCall p = { .proc = PROC_SILENT };
    g_autoptr(virNetMessage) call = NULL;
    GThread *t = pendingCallStart(sv, &client, &w, &p);

    /* The call reaches the "daemon", which then dies without answering. */
    call = readFrame(sv[1]);
    g_assert_nonnull(call);
    g_assert_cmpint(call->header.type, ==, VIR_NET_CALL);
    g_assert_cmpuint(call->header.serial, ==, 0);
    g_assert_cmpint(call->header.proc, ==, PROC_SILENT);
    close(sv[1]);

    g_thread_join(t);
    g_assert_true(waitWatch(&w, NULL, &w.calls));
    g_assert_cmpint(w.rc, ==, -1);
    g_assert_cmpint(w.code, ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_cmpint(w.domain, ==, VIR_FROM_RPC);
    g_assert_cmpstr(w.message, ==, "End of file while reading data: Input/output error");
    g_assert_cmpint(w.reason, ==, VIR_CONNECT_CLOSE_REASON_EOF);
    g_assert_cmpint(w.calls, ==, 1);
    g_assert_false(virNetClientIsOpen(client));

    g_assert_cmpint(
        virNetClientCall(client, TEST_PROG, PROC_ECHO, NULL, NULL, NULL, NULL), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INTERNAL_ERROR);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "internal error: client socket is closed");
    g_free(w.message);
}

/* Our own keepalive against a peer that never answers: closed with reason
 * KEEPALIVE after PINGs went out; the pending call fails. */
static void
testClientKeepAliveTimeout(void)
{
    int sv[2];
    g_autoptr(virNetClient) client = NULL;
    CloseWatch w = { 0 };
    PendingCall p = { .w = &w, .proc = PROC_SILENT };
    GThread *t;
    int pings = 0;
    virNetMessage *m;

    g_mutex_init(&w.lock);
    g_cond_init(&w.cond);
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
    client = virNetClientNew(virNetSocketNew(sv[0]));
    virNetClientSetCloseHandler(client, closeWatchFn, &w);
    virNetClientStartKeepAlive(client, 1, 1);
    p.client = client;
    t = g_thread_new("pending", pendingCallThread, &p);

    /* Read (and ignore) everything until the client hangs up. */
    while ((m = readFrame(sv[1]))) {
        if (virNetMessageIsKeepAlive(&m->header) &&
            m->header.proc == VIR_NET_KEEPALIVE_PROC_PING)
            pings++;
        virNetMessageFree(m);
        if (pings > 10)
            break;
    }
    g_thread_join(t);
    g_assert_cmpint(pings, ==, 1);
    g_assert_true(waitWatch(&w, NULL, &w.calls));
    g_assert_cmpint(w.reason, ==, VIR_CONNECT_CLOSE_REASON_KEEPALIVE);
    g_assert_cmpint(w.rc, ==, -1);
    g_assert_cmpstr(w.message, ==,
                    "internal error: connection closed due to keepalive timeout");
    close(sv[1]);
    g_free(w.message);
}

typedef struct {
    GMutex lock;
    GCond cond;
    int events;
    int lastProc;
    bool onCaller; /* the handler ran on the calling thread (must not) */
    GThread *caller;
} EventWatch;

static void
eventWatchFn(virNetClient *client, virNetMessage *msg, void *opaque)
{
    EventWatch *w = opaque;

    g_mutex_lock(&w->lock);
    w->events++;
    w->lastProc = msg->header.proc;
    if (g_thread_self() == w->caller)
        w->onCaller = true;
    g_cond_broadcast(&w->cond);
    g_mutex_unlock(&w->lock);
    virNetMessageFree(msg);
}

typedef struct {
    virNetClient *client;
    EventWatch *w;
    int rc;
} EchoCall;

static gpointer
echoCallThread(gpointer opaque)
{
    EchoCall *c = opaque;

    g_mutex_lock(&c->w->lock);
    c->w->caller = g_thread_self();
    g_mutex_unlock(&c->w->lock);
    c->rc = virNetClientCall(c->client, TEST_PROG, PROC_ECHO, NULL, NULL, NULL, NULL);
    return NULL;
}

/* While the only caller reads its own reply, the peer sends a PING and an
 * event before the reply: the PING is answered and the event handled,
 * both by the I/O thread and while the call is still waiting; then the
 * reply ends the call. */
static void
testClientFramesDuringCall(void)
{
    int sv[2];
    g_autoptr(virNetClient) client = NULL;
    g_autoptr(virNetMessage) call = NULL;
    g_autoptr(virNetMessage) ping =
        virNetMessageNewKeepAlive(VIR_NET_KEEPALIVE_PROC_PING);
    g_autoptr(virNetMessage) pong = NULL;
    g_autoptr(virNetMessage) event = NULL;
    g_autoptr(virNetMessage) reply = NULL;
    virNetMessageHeader eh = {
        .prog = TEST_PROG,
        .vers = 1,
        .proc = 77,
        .type = VIR_NET_MESSAGE,
        .serial = 0,
        .status = VIR_NET_OK,
    };
    EventWatch w = { 0 };
    EchoCall c = { .w = &w };
    gint64 end = g_get_monotonic_time() + DEADLINE_US;
    GThread *t;

    g_mutex_init(&w.lock);
    g_cond_init(&w.cond);
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
    client = virNetClientNew(virNetSocketNew(sv[0]));
    virNetClientSetEventHandler(client, eventWatchFn, &w);
    c.client = client;
    t = g_thread_new("caller", echoCallThread, &c);

    call = readFrame(sv[1]);
    g_assert_nonnull(call);
    g_assert_cmpint(call->header.proc, ==, PROC_ECHO);

    writeAll(sv[1], ping->buf, ping->len);
    pong = readFrame(sv[1]);
    g_assert_nonnull(pong);
    g_assert_cmpint(pong->header.proc, ==, VIR_NET_KEEPALIVE_PROC_PONG);

    event = virNetMessageEncode(&eh, NULL, NULL, NULL);
    g_assert_nonnull(event);
    writeAll(sv[1], event->buf, event->len);
    g_mutex_lock(&w.lock);
    while (w.events == 0 && g_cond_wait_until(&w.cond, &w.lock, end))
        ;
    g_assert_cmpint(w.events, ==, 1);
    g_assert_cmpint(w.lastProc, ==, 77);
    g_assert_false(w.onCaller);
    g_mutex_unlock(&w.lock);

    reply = virNetMessageEncode(&(virNetMessageHeader){ .prog = TEST_PROG,
                                                        .vers = 1,
                                                        .proc = PROC_ECHO,
                                                        .type = VIR_NET_REPLY,
                                                        .serial = call->header.serial,
                                                        .status = VIR_NET_OK },
                                NULL, NULL, NULL);
    writeAll(sv[1], reply->buf, reply->len);
    g_thread_join(t);
    g_assert_cmpint(c.rc, ==, 0);
    g_assert_true(virNetClientIsOpen(client));
    close(sv[1]);
}

/* A reply slower than the direct reader's deadline (1 s in virnetclient.c):
 * the caller gives the socket back to the I/O thread and waits; a PING and
 * the reply that arrive after that are read by the I/O thread, and the
 * call ends with its reply. */
static void
testClientSlowReply(void)
{
    int sv[2];
    g_autoptr(virNetClient) client = NULL;
    g_autoptr(virNetMessage) call = NULL;
    g_autoptr(virNetMessage) ping =
        virNetMessageNewKeepAlive(VIR_NET_KEEPALIVE_PROC_PING);
    g_autoptr(virNetMessage) pong = NULL;
    g_autoptr(virNetMessage) reply = NULL;
    EventWatch w = { 0 };
    EchoCall c = { .w = &w };
    GThread *t;

    g_mutex_init(&w.lock);
    g_cond_init(&w.cond);
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
    client = virNetClientNew(virNetSocketNew(sv[0]));
    c.client = client;
    t = g_thread_new("caller", echoCallThread, &c);

    call = readFrame(sv[1]);
    g_assert_nonnull(call);
    /* past the direct reader's deadline (the behaviour under test is
     * about time, so this waits a fixed time on purpose) */
    g_usleep(1500 * 1000);
    writeAll(sv[1], ping->buf, ping->len);
    pong = readFrame(sv[1]);
    g_assert_nonnull(pong);
    g_assert_cmpint(pong->header.proc, ==, VIR_NET_KEEPALIVE_PROC_PONG);

    reply = virNetMessageEncode(&(virNetMessageHeader){ .prog = TEST_PROG,
                                                        .vers = 1,
                                                        .proc = PROC_ECHO,
                                                        .type = VIR_NET_REPLY,
                                                        .serial = call->header.serial,
                                                        .status = VIR_NET_OK },
                                NULL, NULL, NULL);
    writeAll(sv[1], reply->buf, reply->len);
    g_thread_join(t);
    g_assert_cmpint(c.rc, ==, 0);
    g_assert_true(virNetClientIsOpen(client));
    /* the next call is alone again and reads its own reply */
    t = g_thread_new("caller", echoCallThread, &c);
    g_clear_pointer(&call, virNetMessageFree);
    call = readFrame(sv[1]);
    g_assert_nonnull(call);
    g_clear_pointer(&reply, virNetMessageFree);
    reply = virNetMessageEncode(&(virNetMessageHeader){ .prog = TEST_PROG,
                                                        .vers = 1,
                                                        .proc = PROC_ECHO,
                                                        .type = VIR_NET_REPLY,
                                                        .serial = call->header.serial,
                                                        .status = VIR_NET_OK },
                                NULL, NULL, NULL);
    writeAll(sv[1], reply->buf, reply->len);
    g_thread_join(t);
    g_assert_cmpint(c.rc, ==, 0);
    close(sv[1]);
}

/* A broken frame arriving while the only caller reads its own reply: the
 * call fails with the frame's error, the client closes with reason ERROR. */
static void
testClientHostileFrameDuringCall(void)
{
    int sv[2];
    g_autoptr(virNetClient) client = NULL;
    g_autoptr(virNetMessage) call = NULL;
    CloseWatch w = { 0 };
    PendingCall p = { .proc = PROC_SILENT };
    guint8 bad[4] = { 0x7f, 0xff, 0xff, 0xff };
    GThread *t = pendingCallStart(sv, &client, &w, &p);

    call = readFrame(sv[1]);
    g_assert_nonnull(call);
    writeAll(sv[1], bad, sizeof(bad));

    g_thread_join(t);
    g_assert_true(waitWatch(&w, NULL, &w.calls));
    g_assert_cmpint(w.rc, ==, -1);
    g_assert_cmpint(w.code, ==, VIR_ERR_RPC);
    g_assert_nonnull(strstr(w.message, "packet"));
    g_assert_cmpint(w.reason, ==, VIR_CONNECT_CLOSE_REASON_ERROR);
    g_assert_false(virNetClientIsOpen(client));
    close(sv[1]);
    g_free(w.message);
}

/* A server frame announcing more than 32 MiB closes the client cleanly. */
static void
testClientHostileFrame(void)
{
    int sv[2];
    g_autoptr(virNetClient) client = NULL;
    CloseWatch w = { 0 };
    guint8 bad[4] = { 0x7f, 0xff, 0xff, 0xff };

    g_mutex_init(&w.lock);
    g_cond_init(&w.cond);
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
    client = virNetClientNew(virNetSocketNew(sv[0]));
    virNetClientSetCloseHandler(client, closeWatchFn, &w);
    writeAll(sv[1], bad, sizeof(bad));
    g_assert_true(waitWatch(&w, NULL, &w.calls));
    g_assert_cmpint(w.reason, ==, VIR_CONNECT_CLOSE_REASON_ERROR);
    g_assert_false(virNetClientIsOpen(client));
    close(sv[1]);
}

/* Hostile input to the server: each bad client is dropped, nobody else is
 * disturbed, and replies from clients are never dispatched. */
static void
testServerHostile(Fixture *f, gconstpointer data)
{
    g_autoptr(virNetClient) good = virNetClientNewUnix(f->path);
    testStringMsg in = { .name = (char *)"still here" };
    testStringMsg out = { 0 };
    guint8 frame[40];
    int fd;
    int closed = 0;

    g_assert_nonnull(good);

    /* 1. oversize length word (0x7fffffff) */
    fd = rawConnect(f->path);
    memcpy(frame, "\x7f\xff\xff\xff", 4);
    writeAll(fd, frame, 4);
    g_assert_true(waitCounter(f, &f->nclosed, ++closed));
    g_assert_null(readFrame(fd)); /* the server hung up */
    close(fd);

    /* 2. length below the header size */
    fd = rawConnect(f->path);
    memcpy(frame, "\x00\x00\x00\x08garbage!", 12);
    writeAll(fd, frame, 12);
    g_assert_true(waitCounter(f, &f->nclosed, ++closed));
    close(fd);

    /* 3. just over VIR_NET_MESSAGE_MAX */
    fd = rawConnect(f->path);
    memcpy(frame, "\x02\x00\x00\x05", 4);
    writeAll(fd, frame, 4);
    g_assert_true(waitCounter(f, &f->nclosed, ++closed));
    close(fd);

    /* 4. half a frame, then disconnect */
    fd = rawConnect(f->path);
    memset(frame, 0, sizeof(frame));
    memcpy(frame, "\x00\x00\x01\x00", 4); /* claims 256 bytes */
    writeAll(fd, frame, 20);
    close(fd);
    g_assert_true(waitCounter(f, &f->nclosed, ++closed));

    /* 5. a REPLY frame from a client: ignored, no answer, link kept; then an
     *    unknown program goes to the dispatcher (which answers it). */
    fd = rawConnect(f->path);
    {
        virNetMessageHeader h = {
            .prog = TEST_PROG,
            .vers = 1,
            .proc = PROC_ECHO,
            .type = VIR_NET_REPLY,
            .serial = 5,
        };
        virNetMessageHeader h2 = {
            .prog = 0x12345,
            .vers = 1,
            .proc = 1,
            .type = VIR_NET_CALL,
            .serial = 6,
        };
        g_autoptr(virNetMessage) r = virNetMessageEncode(&h, NULL, NULL, NULL);
        g_autoptr(virNetMessage) c = virNetMessageEncode(&h2, NULL, NULL, NULL);
        g_autoptr(virNetMessage) ans = NULL;
        writeAll(fd, r->buf, r->len);
        writeAll(fd, c->buf, c->len);
        ans = readFrame(fd);
        g_assert_nonnull(ans);
        /* The first answer is for serial 6: the REPLY got none. */
        g_assert_cmpuint(ans->header.serial, ==, 6);
        g_assert_cmpint(ans->header.status, ==, VIR_NET_ERROR);
    }
    close(fd);
    g_assert_true(waitCounter(f, &f->nclosed, ++closed));
    g_mutex_lock(&f->lock);
    g_assert_cmpint(f->nreplyFrames, ==, 0);
    g_assert_cmpint(f->nforeign, ==, 1);
    g_mutex_unlock(&f->lock);

    /* The well-behaved client was served throughout. */
    g_assert_cmpint(virNetClientCall(good, TEST_PROG, PROC_ECHO, testStringMsg_filter,
                                     &in, testStringMsg_filter, &out),
                    ==, 0);
    g_assert_cmpstr(out.name, ==, "still here");
    virXdrFree(testStringMsg_filter, &out);
    g_assert_cmpuint(virNetServerClientCount(f->srv), ==, 1);
}

/* CONNECT_CLOSE pattern: the reply is written before the server closes. */
static void
testServerCloseAfterReply(Fixture *f, gconstpointer data)
{
    g_autoptr(virNetClient) client = virNetClientNewUnix(f->path);
    CloseWatch w = { 0 };

    g_mutex_init(&w.lock);
    g_cond_init(&w.cond);
    virNetClientSetCloseHandler(client, closeWatchFn, &w);
    g_assert_cmpint(
        virNetClientCall(client, TEST_PROG, PROC_CLOSE, NULL, NULL, NULL, NULL), ==, 0);
    g_assert_true(waitWatch(&w, NULL, &w.calls));
    g_assert_cmpint(w.reason, ==, VIR_CONNECT_CLOSE_REASON_EOF);
    g_assert_true(waitCounter(f, &f->nclosed, 1));
}

/* Flow control: with a request limit of 1, a second CALL is not read
 * until the first is answered, and nothing is lost. */
static void
testServerFlowControl(Fixture *f, gconstpointer data)
{
    int fd;
    int i;
    virNetMessageHeader h = {
        .prog = TEST_PROG,
        .vers = 1,
        .proc = PROC_SLOW,
        .type = VIR_NET_CALL,
    };

    virNetServerSetMaxRequests(f->srv, 1);
    fd = rawConnect(f->path);
    for (i = 0; i < 20; i++) {
        testIntMsg in = { .feature = i };
        g_autoptr(virNetMessage) c = NULL;
        h.serial = i;
        c = virNetMessageEncode(&h, testIntMsg_filter, &in, NULL);
        writeAll(fd, c->buf, c->len);
    }
    for (i = 0; i < 20; i++) {
        g_autoptr(virNetMessage) r = readFrame(fd);
        testIntMsg out = { 0 };
        g_assert_nonnull(r);
        /* One at a time, so replies come back in order. */
        g_assert_cmpuint(r->header.serial, ==, i);
        g_assert_true(virNetMessageDecodePayload(r, testIntMsg_filter, &out, NULL));
        g_assert_cmpint(out.feature, ==, 2 * i + 1);
    }
    close(fd);
}

/* An application may drop its connection from the close callback (the
 * I/O thread): the client is freed there without a self-join. */
static void
freeFromHandler(virNetClient *client, int reason, void *opaque)
{
    CloseWatch *w = opaque;

    virNetClientFree(client);
    g_mutex_lock(&w->lock);
    w->reason = reason;
    w->calls++;
    g_cond_broadcast(&w->cond);
    g_mutex_unlock(&w->lock);
}

static void
testClientFreeInCloseHandler(void)
{
    int sv[2];
    virNetClient *client;
    CloseWatch w = { 0 };

    g_mutex_init(&w.lock);
    g_cond_init(&w.cond);
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
    client = virNetClientNew(virNetSocketNew(sv[0]));
    virNetClientSetCloseHandler(client, freeFromHandler, &w);
    close(sv[1]);
    g_assert_true(waitWatch(&w, NULL, &w.calls));
    g_assert_cmpint(w.reason, ==, VIR_CONNECT_CLOSE_REASON_EOF);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixtureSetUp, fn, fixtureTearDown)
    ADD("/rpc/transport/call-reply", testCallReply);
    ADD("/rpc/transport/error-passthrough", testErrorPassthrough);
    ADD("/rpc/transport/concurrent-callers", testConcurrentCallers);
    ADD("/rpc/transport/server-answers-ping", testServerAnswersPing);
    ADD("/rpc/transport/server-hostile", testServerHostile);
    ADD("/rpc/transport/server-close-after-reply", testServerCloseAfterReply);
    ADD("/rpc/transport/server-flow-control", testServerFlowControl);
    ADD("/rpc/transport/server-keepalive", testServerKeepAliveTimeout);
    ADD("/rpc/transport/server-receives-fds", testServerReceivesFDs);
    ADD("/rpc/transport/server-too-many-fds", testServerTooManyFDs);
    ADD("/rpc/transport/fd-round-trip", testFDRoundTrip);
    ADD("/rpc/transport/server-missing-fd", testServerMissingFD);
#undef ADD
    g_test_add_func("/rpc/transport/client-answers-ping", testClientAnswersPing);
    g_test_add_func("/rpc/transport/client-slow-reply", testClientSlowReply);
    g_test_add_func("/rpc/transport/client-dead-peer", testDeadPeer);
    g_test_add_func("/rpc/transport/client-keepalive-timeout",
                    testClientKeepAliveTimeout);
    g_test_add_func("/rpc/transport/client-hostile-frame", testClientHostileFrame);
    g_test_add_func("/rpc/transport/client-frames-during-call",
                    testClientFramesDuringCall);
    g_test_add_func("/rpc/transport/client-hostile-frame-during-call",
                    testClientHostileFrameDuringCall);
    g_test_add_func("/rpc/transport/client-free-in-close-handler",
                    testClientFreeInCloseHandler);
    return g_test_run();
}
