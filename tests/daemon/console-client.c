/* console-client.c: virDomainOpenConsole through libvirtkit's remote driver (test_console.py)
 *
 * Usage: console-client URI DOMAIN
 * 1. a non-blocking stream watched with an event callback (as virsh
 *    console does): read until GUEST-READY, then abort;
 * 2. a blocking stream on the console just released: type a line until
 *    the guest's tty echoes it back, then finish.
 * Prints "console-client: ok" and exits 0, or says what failed (exit 1).
 * Every wait has a deadline (60 s).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <glib.h>

static GString *got;
static bool failed;

static void
onEvent(virStreamPtr st, int events, void *opaque)
{
    char buf[4096];
    int n;

    if (events & (VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP))
        failed = true;
    while ((n = virStreamRecv(st, buf, sizeof(buf))) > 0)
        g_string_append_len(got, buf, n);
    if (n == -1 || n == 0)
        failed = true;
}

static void
deadline(int timer, void *opaque)
{
    *(bool *)opaque = true;
}

static int
fail(const char *what)
{
    fprintf(stderr, "console-client: %s: %s\n", what, virGetLastErrorMessage());
    return 1;
}

int
main(int argc, char **argv)
{
    virConnectPtr conn;
    virDomainPtr dom;
    virStreamPtr st;
    bool expired = false;
    gint64 end;
    int timer;

    if (argc != 3)
        return 2;
    got = g_string_new(NULL);
    virEventRegisterDefaultImpl();
    if (!(conn = virConnectOpen(argv[1])))
        return fail("open");
    if (!(dom = virDomainLookupByName(conn, argv[2])))
        return fail("lookup");

    st = virStreamNew(conn, VIR_STREAM_NONBLOCK);
    if (virDomainOpenConsole(dom, NULL, st, 0) < 0)
        return fail("open console");
    if (virStreamEventAddCallback(st, VIR_STREAM_EVENT_READABLE, onEvent, NULL, NULL) < 0)
        return fail("add callback");
    timer = virEventAddTimeout(60000, deadline, &expired, NULL);
    printf("console-client: attached\n");
    fflush(stdout);
    while (!expired && !failed && !strstr(got->str, "GUEST-READY"))
        virEventRunDefaultImpl();
    virEventRemoveTimeout(timer);
    if (!strstr(got->str, "GUEST-READY")) {
        fprintf(stderr, "console-client: no GUEST-READY (failed=%d): %s\n", failed,
                got->str);
        return 1;
    }
    virStreamEventRemoveCallback(st);
    if (virStreamAbort(st) < 0)
        return fail("abort");
    virStreamFree(st);

    /* the console is free again: a blocking stream, typed line echoed */
    st = virStreamNew(conn, 0);
    if (virDomainOpenConsole(dom, "serial0", st, 0) < 0)
        return fail("reopen console");
    g_string_truncate(got, 0);
    end = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
    while (!strstr(got->str, "vk-kit-echo") && g_get_monotonic_time() < end) {
        char buf[4096];
        int n;

        if (virStreamSend(st, "vk-kit-echo\r", 12) != 12)
            return fail("send");
        if ((n = virStreamRecv(st, buf, sizeof(buf))) <= 0)
            return fail("recv");
        g_string_append_len(got, buf, n);
    }
    if (!strstr(got->str, "vk-kit-echo")) {
        fprintf(stderr, "console-client: no echo: %s\n", got->str);
        return 1;
    }
    if (virStreamFinish(st) < 0)
        return fail("finish");
    virStreamFree(st);
    virDomainFree(dom);
    virConnectClose(conn);
    g_string_free(got, TRUE);
    printf("console-client: ok\n");
    return 0;
}
