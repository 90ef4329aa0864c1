/* test-stream.c: the public virStream* API over the fd stream backend (a socketpair) */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
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
    virStreamFree(st);
    close(peer);

    st = pairStream(conn, 0, &peer);
    a.sink = g_string_new(NULL);
    g_assert_cmpint(write(peer, "stream-data", 11), ==, 11);
    close(peer);
    g_assert_cmpint(virStreamRecvAll(st, sink, &a), ==, 0);
    g_assert_cmpstr(a.sink->str, ==, "stream-data");
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

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    virSetErrorFunc(NULL, quietErrors);
    g_assert_cmpint(virEventRegisterDefaultImpl(), ==, 0);
    g_test_add_func("/stream/args", testArgs);
    g_test_add_func("/stream/blocking", testBlocking);
    g_test_add_func("/stream/nonblocking-events", testNonBlockingEvents);
    g_test_add_func("/stream/force-close", testForceClose);
    g_test_add_func("/stream/send-recv-all", testAll);
    return g_test_run();
}
