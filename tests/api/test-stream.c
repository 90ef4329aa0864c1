/* test-stream.c: the public virStream* API over the fd stream backend (a socketpair) */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include "datatypes.h"
#include "virfdstream.h"

#define URI "test:///default"

static void
quietErrors(void *opaque, virErrorPtr err)
{
}

static void
guardFired(int timer, void *opaque)
{
    *(bool *)opaque = true;
}

#define RUN_LOOP_UNTIL(cond)                                                 \
    do {                                                                     \
        bool _expired = false;                                               \
        int _guard = virEventAddTimeout(30000, guardFired, &_expired, NULL); \
        g_assert_cmpint(_guard, >, 0);                                       \
        while (!(cond) && !_expired)                                         \
            virEventRunDefaultImpl();                                        \
        virEventRemoveTimeout(_guard);                                       \
        g_assert_false(_expired);                                            \
    } while (0)

/* A stream on @conn attached to one end of a socketpair; *@peer the other. */
static virStreamPtr
pairStream(virConnectPtr conn, unsigned int flags, int *peer)
{
    int sv[2];
    virStreamPtr st;

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
    st = virStreamNew(conn, flags);
    g_assert_nonnull(st);
    g_assert_cmpint(virFDStreamOpen(st, sv[0]), ==, 0);
    *peer = sv[1];
    return st;
}

static void
testArgs(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    virStreamPtr st;
    virDomainPtr dom;
    char buf[4];

    g_assert_nonnull(conn);
    g_assert_null(virStreamNew(NULL, 0));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_CONN);

    g_assert_cmpint(virStreamSend(NULL, "x", 1), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_STREAM);
    g_assert_cmpint(virGetLastErrorDomain(), ==, VIR_FROM_STREAMS);
    g_assert_cmpint(virStreamFree(NULL), ==, -1);

    /* a stream no driver opened: nothing to move, abort is a no-op */
    st = virStreamNew(conn, 0);
    g_assert_nonnull(st);
    g_assert_cmpint(virStreamRecv(st, buf, sizeof(buf)), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_SUPPORT);
    g_assert_cmpint(virStreamSend(st, NULL, 1), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpint(virStreamAbort(st), ==, 0);

    /* the test driver has no console, as libvirt's */
    dom = virDomainLookupByName(conn, "test");
    g_assert_nonnull(dom);
    g_assert_cmpint(virDomainOpenConsole(dom, NULL, st, 0), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_SUPPORT);
    g_assert_cmpint(virDomainOpenConsole(dom, NULL, NULL, 0), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_STREAM);
    g_assert_cmpint(virStreamRef(st), ==, 0);
    g_assert_cmpint(virStreamFree(st), ==, 0);
    g_assert_cmpint(virStreamFree(st), ==, 0);
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
testBlocking(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    int peer;
    virStreamPtr st = pairStream(conn, 0, &peer);
    char buf[16] = { 0 };

    g_assert_cmpint(virStreamSend(st, "hello", 5), ==, 5);
    g_assert_cmpint(read(peer, buf, sizeof(buf)), ==, 5);
    g_assert_cmpmem(buf, 5, "hello", 5);
    g_assert_cmpint(write(peer, "world", 5), ==, 5);
    g_assert_cmpint(virStreamRecv(st, buf, sizeof(buf)), ==, 5);
    g_assert_cmpmem(buf, 5, "world", 5);
    close(peer);
    g_assert_cmpint(virStreamRecv(st, buf, sizeof(buf)), ==, 0); /* EOF */
    g_assert_cmpint(virStreamFinish(st), ==, 0);
    g_assert_cmpint(virStreamFinish(st), ==, -1); /* not open */
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_INVALID);
    virStreamFree(st);
    virConnectClose(conn);
}

typedef struct {
    GString *got;
    int events;
    int calls;
} EventData;

static void
onEvent(virStreamPtr st, int events, void *opaque)
{
    EventData *d = opaque;
    char buf[64];
    int n;

    d->calls++;
    d->events |= events;
    if (events & VIR_STREAM_EVENT_READABLE) {
        while ((n = virStreamRecv(st, buf, sizeof(buf))) > 0)
            g_string_append_len(d->got, buf, n);
        g_assert_true(n == -2 || n == 0);
        if (n == 0)
            virStreamEventRemoveCallback(st);
    }
}

static void
freeEventData(void *opaque)
{
    EventData *d = opaque;

    g_string_free(d->got, TRUE);
    g_free(d);
}

static void
testNonBlockingEvents(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    int peer;
    virStreamPtr st = pairStream(conn, VIR_STREAM_NONBLOCK, &peer);
    EventData *d = g_new0(EventData, 1);
    char buf[16];

    d->got = g_string_new(NULL);
    g_assert_cmpint(virStreamRecv(st, buf, sizeof(buf)), ==, -2); /* nothing yet */
    g_assert_cmpint(virStreamEventAddCallback(st, VIR_STREAM_EVENT_READABLE, onEvent, d,
                                              freeEventData),
                    ==, 0);
    g_assert_cmpint(
        virStreamEventAddCallback(st, VIR_STREAM_EVENT_READABLE, onEvent, d, NULL), ==,
        -1); /* one per stream */
    g_assert_cmpint(write(peer, "abc", 3), ==, 3);
    RUN_LOOP_UNTIL(d->got->len >= 3);
    g_assert_cmpstr(d->got->str, ==, "abc");
    /* not watching: data waits */
    g_assert_cmpint(virStreamEventUpdateCallback(st, 0), ==, 0);
    g_assert_cmpint(write(peer, "def", 3), ==, 3);
    virStreamEventUpdateCallback(st, VIR_STREAM_EVENT_READABLE);
    RUN_LOOP_UNTIL(d->got->len >= 6);
    g_assert_cmpstr(d->got->str, ==, "abcdef");
    g_assert_cmpint(virStreamEventRemoveCallback(st), ==, 0); /* frees d */
    g_assert_cmpint(virStreamEventRemoveCallback(st), ==, -1);
    g_assert_cmpint(virStreamAbort(st), ==, 0);
    g_assert_cmpint(virStreamAbort(st), ==, 0);
    close(peer);
    virStreamFree(st);
    virConnectClose(conn);
}

static void
testForceClose(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    int peer;
    virStreamPtr st = pairStream(conn, VIR_STREAM_NONBLOCK, &peer);
    EventData *d = g_new0(EventData, 1);
    char buf[4];

    d->got = g_string_new(NULL);
    g_assert_cmpint(virStreamEventAddCallback(st, VIR_STREAM_EVENT_READABLE, onEvent, d,
                                              freeEventData),
                    ==, 0);
    virFDStreamForceClose(st);
    RUN_LOOP_UNTIL(d->events & VIR_STREAM_EVENT_ERROR);
    /* its descriptor is closed: the peer sees the end */
    g_assert_cmpint(read(peer, buf, sizeof(buf)), ==, 0);
    g_assert_cmpint(virStreamRecv(st, buf, sizeof(buf)), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_FAILED);
    g_assert_cmpint(virStreamFinish(st), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_FAILED);
    close(peer);
    virStreamFree(st);
    virConnectClose(conn);
}

typedef struct {
    const char *src;
    size_t off;
    GString *sink;
} AllData;

static int
source(virStreamPtr st, char *data, size_t nbytes, void *opaque)
{
    AllData *a = opaque;
    size_t n = MIN(nbytes, MIN(strlen(a->src) - a->off, 7));

    memcpy(data, a->src + a->off, n);
    a->off += n;
    return n;
}

static int
sink(virStreamPtr st, const char *data, size_t nbytes, void *opaque)
{
    AllData *a = opaque;

    g_string_append_len(a->sink, data, nbytes);
    return nbytes;
}

static void
testAll(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    int peer;
    virStreamPtr st = pairStream(conn, 0, &peer);
    AllData a = { .src = "0123456789abcdefghij" };
    char buf[64] = { 0 };
    virStreamPtr nb;

    g_assert_cmpint(virStreamSendAll(st, source, &a), ==, 0);
    g_assert_cmpint(read(peer, buf, sizeof(buf)), ==, 20);
    g_assert_cmpstr(buf, ==, a.src);
    /* as libvirt 9.0 (and virsh vol-upload): the caller finishes */
    g_assert_cmpint(virStreamFinish(st), ==, 0);
    virStreamFree(st);
    close(peer);

    st = pairStream(conn, 0, &peer);
    a.sink = g_string_new(NULL);
    g_assert_cmpint(write(peer, "stream-data", 11), ==, 11);
    close(peer);
    g_assert_cmpint(virStreamRecvAll(st, sink, &a), ==, 0);
    g_assert_cmpstr(a.sink->str, ==, "stream-data");
    g_assert_cmpint(virStreamFinish(st), ==, 0);
    g_string_free(a.sink, TRUE);
    virStreamFree(st);

    nb = pairStream(conn, VIR_STREAM_NONBLOCK, &peer);
    g_assert_cmpint(virStreamSendAll(nb, source, &a), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_INVALID);
    virStreamAbort(nb);
    virStreamFree(nb);
    close(peer);
    virConnectClose(conn);
}

/* ---- sparse streams over files ------------------------------------------ */

#define SPARSE_SIZE (3 * 1024 * 1024)
#define SPARSE_DATA (8 * 1024)

/* A 3 MiB file: 8 KiB of 'A' at 0, 8 KiB of 'B' at 1 MiB, holes elsewhere
 * (the last one runs to the end). */
static char *
makeSparse(const char *dir, const char *name)
{
    char *path = g_build_filename(dir, name, NULL);
    char data[SPARSE_DATA];
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    g_assert_cmpint(fd, >=, 0);
    memset(data, 'A', sizeof(data));
    g_assert_cmpint(pwrite(fd, data, sizeof(data), 0), ==, sizeof(data));
    memset(data, 'B', sizeof(data));
    g_assert_cmpint(pwrite(fd, data, sizeof(data), 1024 * 1024), ==, sizeof(data));
    g_assert_cmpint(ftruncate(fd, SPARSE_SIZE), ==, 0);
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

/* Bytes the file system allocated for @path. */
static long long
allocated(const char *path)
{
    struct stat sb;

    g_assert_cmpint(stat(path, &sb), ==, 0);
    return (long long)sb.st_blocks * 512;
}

typedef struct {
    virStreamPtr dst;
    long long holes;
    long long data;
    int holeCount;
} SparseCopy;

static int
copyData(virStreamPtr st, const char *data, size_t nbytes, void *opaque)
{
    SparseCopy *c = opaque;
    size_t off = 0;

    while (off < nbytes) {
        int n = virStreamSend(c->dst, data + off, nbytes - off);

        if (n < 0)
            return -1;
        off += n;
    }
    c->data += nbytes;
    return nbytes;
}

static int
copyHole(virStreamPtr st, long long length, void *opaque)
{
    SparseCopy *c = opaque;

    c->holes += length;
    c->holeCount++;
    return virStreamSendHole(c->dst, length, 0);
}

static void
testSparseFile(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    g_autofree char *dir = g_dir_make_tmp("vkstream-XXXXXX", NULL);
    g_autofree char *src = makeSparse(dir, "src");
    g_autofree char *dst = g_build_filename(dir, "dst", NULL);
    g_autoptr(GBytes) want = readFile(src);
    g_autoptr(GBytes) got = NULL;
    virStreamPtr in = virStreamNew(conn, 0);
    SparseCopy c = { .dst = virStreamNew(conn, 0) };

    g_assert_cmpint(virFDStreamOpenFile(in, src, 0, 0, O_RDONLY, true), ==, 0);
    g_assert_cmpint(
        virFDStreamOpenFile(c.dst, dst, 0, 0, O_WRONLY | O_CREAT | O_TRUNC, true), ==, 0);
    g_assert_cmpint(virStreamSparseRecvAll(in, copyData, copyHole, &c), ==, 0);
    g_assert_cmpint(virStreamFinish(in), ==, 0);
    g_assert_cmpint(virStreamFinish(c.dst), ==, 0);
    /* three holes (between, after the data), the data as data */
    g_assert_cmpint(c.data, ==, 2 * SPARSE_DATA);
    g_assert_cmpint(c.holes, ==, SPARSE_SIZE - 2 * SPARSE_DATA);
    g_assert_cmpint(c.holeCount, ==, 2);
    got = readFile(dst);
    g_assert_true(g_bytes_equal(got, want));
    g_assert_cmpint(allocated(dst), <=, 64 * 1024);
    virStreamFree(in);
    virStreamFree(c.dst);

    /* A hole over old content reads as zeroes (punched, size kept). */
    {
        g_autofree char *old = g_strnfill(SPARSE_SIZE, 'X');
        g_autoptr(GBytes) after = NULL;
        virStreamPtr w = virStreamNew(conn, 0);

        g_assert_true(g_file_set_contents(dst, old, SPARSE_SIZE, NULL));
        g_assert_cmpint(virFDStreamOpenFile(w, dst, 0, 0, O_WRONLY, true), ==, 0);
        g_assert_cmpint(virStreamSend(w, "hi", 2), ==, 2);
        g_assert_cmpint(virStreamSendHole(w, 1024 * 1024, 0), ==, 0);
        g_assert_cmpint(virStreamSend(w, "yo", 2), ==, 2);
        g_assert_cmpint(virStreamSendHole(w, -1, 0), ==, -1);
        g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INTERNAL_ERROR);
        g_assert_cmpint(virStreamSendHole(w, 1, 1), ==, -1);
        g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
        g_assert_cmpint(virStreamFinish(w), ==, 0);
        virStreamFree(w);
        after = readFile(dst);
        g_assert_cmpint(g_bytes_get_size(after), ==, SPARSE_SIZE);
        g_assert_cmpint(memcmp(g_bytes_get_data(after, NULL), "hi", 2), ==, 0);
        for (size_t i = 2; i < 2 + 1024 * 1024; i++)
            g_assert_cmpint(((const char *)g_bytes_get_data(after, NULL))[i], ==, 0);
        g_assert_cmpint(
            memcmp((const char *)g_bytes_get_data(after, NULL) + 2 + 1024 * 1024, "yoX",
                   3),
            ==, 0);
    }

    /* RecvFlags stops at a hole; plain Recv reads it as zeroes. */
    {
        virStreamPtr r = virStreamNew(conn, 0);
        char buf[SPARSE_DATA * 2];
        long long len = -1;

        g_assert_cmpint(virFDStreamOpenFile(r, src, 0, 0, O_RDONLY, true), ==, 0);
        g_assert_cmpint(
            virStreamRecvFlags(r, buf, sizeof(buf), VIR_STREAM_RECV_STOP_AT_HOLE), ==,
            SPARSE_DATA);
        g_assert_cmpint(
            virStreamRecvFlags(r, buf, sizeof(buf), VIR_STREAM_RECV_STOP_AT_HOLE), ==,
            -3);
        g_assert_cmpint(virStreamRecvHole(r, &len, 0), ==, 0);
        g_assert_cmpint(len, ==, 1024 * 1024 - SPARSE_DATA);
        g_assert_cmpint(virStreamRecvFlags(r, buf, 4, VIR_STREAM_RECV_STOP_AT_HOLE), ==,
                        4);
        g_assert_cmpint(memcmp(buf, "BBBB", 4), ==, 0);
        g_assert_cmpint(virStreamRecvFlags(r, buf, 4, 2), ==, -1);
        g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
        g_assert_cmpint(virStreamRecvHole(r, NULL, 0), ==, -1);
        g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
        g_assert_cmpint(virStreamAbort(r), ==, 0);
        virStreamFree(r);
    }
    virConnectClose(conn);
    g_unlink(src);
    g_unlink(dst);
    g_rmdir(dir);
}

/* A file stream opened without holes refuses them; offset and length
 * bound the transfer. */
static void
testFileLimits(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    g_autofree char *dir = g_dir_make_tmp("vkstream-XXXXXX", NULL);
    g_autofree char *src = makeSparse(dir, "src");
    g_autofree char *dst = g_build_filename(dir, "dst", NULL);
    virStreamPtr st = virStreamNew(conn, 0);
    char buf[64 * 1024];
    long long len;
    virErrorPtr err;
    int n, total = 0;

    g_assert_cmpint(virFDStreamOpenFile(st, src, 4096, 8192, O_RDONLY, false), ==, 0);
    g_assert_cmpint(virStreamSendHole(st, 10, 0), ==, -1);
    err = virGetLastError();
    g_assert_cmpint(err->code, ==, VIR_ERR_OPERATION_INVALID);
    g_assert_cmpstr(
        err->message, ==,
        "Requested operation is not valid: Skipping is not supported with this "
        "stream");
    g_assert_cmpint(virStreamRecvHole(st, &len, 0), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_INVALID);
    while ((n = virStreamRecv(st, buf + total, sizeof(buf) - total)) > 0)
        total += n;
    g_assert_cmpint(n, ==, 0);
    g_assert_cmpint(total, ==, 8192);
    g_assert_cmpint(buf[0], ==, 'A');
    g_assert_cmpint(buf[4095], ==, 'A');
    g_assert_cmpint(buf[4096], ==, 0);
    g_assert_cmpint(virStreamFinish(st), ==, 0);
    virStreamFree(st);

    st = virStreamNew(conn, 0);
    g_assert_cmpint(virFDStreamOpenFile(st, dst, 0, 10, O_WRONLY | O_CREAT, false), ==,
                    0);
    g_assert_cmpint(virStreamSend(st, "0123456789abcdef", 16), ==, 10);
    g_assert_cmpint(virStreamSend(st, "x", 1), ==, -1);
    err = virGetLastError();
    g_assert_cmpint(err->code, ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_cmpint(err->int1, ==, ENOSPC);
    virStreamAbort(st);
    virStreamFree(st);

    st = virStreamNew(conn, 0);
    g_assert_cmpint(virFDStreamOpenFile(st, dst, 0, 0, O_RDWR, false), ==, -1);
    g_assert_cmpint(virFDStreamOpenFile(st, "/nonexistent/x", 0, 0, O_RDONLY, false), ==,
                    -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_SYSTEM_ERROR);
    virStreamFree(st);
    virConnectClose(conn);
    g_unlink(src);
    g_unlink(dst);
    g_rmdir(dir);
}

static int
failingSource(virStreamPtr st, char *data, size_t nbytes, void *opaque)
{
    errno = GPOINTER_TO_INT(opaque);
    return -1;
}

static int
holeSource(virStreamPtr st, int *inData, long long *length, void *opaque)
{
    *inData = 0;
    *length = 100;
    return 0;
}

static int
skipFails(virStreamPtr st, long long length, void *opaque)
{
    errno = EBADF;
    return -1;
}

/* libvirt 9.0's errors when a handler of the *All functions fails (seen
 * with Debian's libvirt: a system error naming the handler, errno or EIO). */
static void
testAllHandlerErrors(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    g_autofree char *dir = g_dir_make_tmp("vkstream-XXXXXX", NULL);
    g_autofree char *dst = g_build_filename(dir, "dst", NULL);
    virStreamPtr st = virStreamNew(conn, 0);
    virErrorPtr err;

    g_assert_cmpint(virStreamSendAll(st, failingSource, GINT_TO_POINTER(0)), ==, -1);
    err = virGetLastError();
    g_assert_cmpint(err->code, ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_cmpint(err->domain, ==, VIR_FROM_STREAMS);
    g_assert_cmpstr(err->message, ==, "send handler failed: Input/output error");
    g_assert_cmpint(virStreamSendAll(st, failingSource, GINT_TO_POINTER(ENOSPC)), ==, -1);
    g_assert_cmpstr(virGetLastError()->message, ==,
                    "send handler failed: No space left on device");
    g_assert_cmpint(virStreamSparseSendAll(st, failingSource, NULL, skipFails, NULL), ==,
                    -1);
    g_assert_cmpstr(virGetLastError()->message, ==,
                    "holeHandler in virStreamSparseSendAll must not be NULL");
    virStreamFree(st);

    st = virStreamNew(conn, 0);
    g_assert_cmpint(virFDStreamOpenFile(st, dst, 0, 0, O_WRONLY | O_CREAT, true), ==, 0);
    g_assert_cmpint(
        virStreamSparseSendAll(st, failingSource, holeSource, skipFails, NULL), ==, -1);
    g_assert_cmpstr(virGetLastError()->message, ==,
                    "send skipHandler failed: Bad file descriptor");
    /* aborted by the failure */
    g_assert_cmpint(virStreamSend(st, "x", 1), ==, -1);
    virStreamFree(st);
    virConnectClose(conn);
    g_unlink(dst);
    g_rmdir(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    virSetErrorFunc(NULL, quietErrors);
    g_assert_cmpint(virEventRegisterDefaultImpl(), ==, 0);
    g_test_add_func("/stream/args", testArgs);
    g_test_add_func("/stream/blocking", testBlocking);
    g_test_add_func("/stream/sparse-file", testSparseFile);
    g_test_add_func("/stream/file-limits", testFileLimits);
    g_test_add_func("/stream/all-handler-errors", testAllHandlerErrors);
    g_test_add_func("/stream/nonblocking-events", testNonBlockingEvents);
    g_test_add_func("/stream/force-close", testForceClose);
    g_test_add_func("/stream/send-recv-all", testAll);
    return g_test_run();
}
