/* fuzz-qmp.c: libFuzzer target, QMP greetings, replies and events as qemuMonitor parses them */

/*
 * Threads: the fuzzer's thread is the monitor's client (qemuMonitorOpen,
 * then one command per "->" line, then qemuMonitorClose); one "fake-qemu"
 * thread per input plays QEMU on the other end of a socketpair; the
 * monitor's own I/O thread (src/drivers/qemu/qemu_monitor.c) reads,
 * splits lines, parses the JSON and calls our callbacks, which only
 * count under @lock. The fake thread is joined before the input ends.
 *
 * Input: a conversation in the format of tests/data/qmp/NAME.txt (the seeds
 * are those recordings), one entry per line:
 *   <- TEXT      QEMU sends TEXT and a newline (any bytes but newline)
 *   <- RAW TEXT  QEMU sends TEXT without the newline
 *   <- BIG N     QEMU sends a JSON line of N bytes (N capped a little
 *                over QEMU_MONITOR_MAX_LINE)
 *   <- EOF       QEMU closes the connection
 *   -> {json}    QEMU waits for the client's next command (the first is
 *                the qmp_capabilities of qemuMonitorOpen); for the others
 *                the client calls the wrapper named by "execute"
 *                (query-status, query-chardev, quit, cont, stop, query-block
 *                through the <iotune> decoder, ...), or
 *                qemuMonitorCommandText with the line
 *   other lines  ignored (comments, "!!" directives of the replay test)
 * After the last entry QEMU closes the connection. A conversation that
 * lacks a reply or the greeting stalls only STALL_MS per command (QEMU
 * goes on when the client has sat that long in a call); at most
 * MAX_COMMANDS commands are issued.
 *
 * Checks, besides ASan/UBSan and leaks: every failed call reports an
 * error of domain QEMU with the monitor's codes; a successful
 * query-status gives a status, query-chardev a path; an event has a
 * name; the eof callback runs at most once; no callback runs after
 * qemuMonitorClose has returned.
 */

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "virtkit-config.h"
#include "domain_iotune.h"
#include "qemu_iotune.h"
#include "qemu_monitor.h"
#include "fuzz-common.h"

#define STEP_MS 300
#define STALL_MS 15
#define MAX_COMMANDS 64
#define BIG_MAX (QEMU_MONITOR_MAX_LINE + 4096)

static const int qemuDomains[] = { VIR_FROM_QEMU, -1 };

typedef enum {
    ENT_SEND,
    ENT_RAW,
    ENT_BIG,
    ENT_EOF,
    ENT_EXPECT
} EntryKind;

typedef struct {
    EntryKind kind;
    const char *text;
    size_t len;
} Entry;

typedef struct {
    GArray *entries; /* Entry (text points into the input copy) */
    int fd;          /* fake QEMU's end */

    GMutex lock;
    unsigned int events;
    unsigned int eofs;
    bool closed;      /* qemuMonitorClose has returned */
    bool inCall;      /* the client is in Open or a command */
    gint64 callStart; /* since when */
    bool done;        /* the client has issued its last command */
    bool lateCallback;
} Conv;

static void
parseConv(Conv *c, char *text, size_t size)
{
    char *p = text;
    char *end = text + size;
    size_t big = 0;
    unsigned int commands = 0;

    c->entries = g_array_new(FALSE, FALSE, sizeof(Entry));
    while (p < end) {
        char *nl = memchr(p, '\n', end - p);
        size_t len = (nl ? nl : end) - p;
        Entry e = { 0 };

        if (len >= 3 && memcmp(p, "<- ", 3) == 0) {
            const char *arg = p + 3;
            size_t alen = len - 3;

            if (alen == 3 && memcmp(arg, "EOF", 3) == 0) {
                e.kind = ENT_EOF;
            } else if (alen >= 4 && memcmp(arg, "RAW ", 4) == 0) {
                e.kind = ENT_RAW;
                e.text = arg + 4;
                e.len = alen - 4;
            } else if (alen >= 4 && memcmp(arg, "BIG ", 4) == 0) {
                g_autofree char *num = g_strndup(arg + 4, alen - 4);

                e.kind = ENT_BIG;
                e.len = MIN(g_ascii_strtoull(num, NULL, 10), BIG_MAX);
                if (big + e.len > BIG_MAX)
                    e.len = BIG_MAX - big;
                big += e.len;
            } else {
                e.kind = ENT_SEND;
                e.text = arg;
                e.len = alen;
            }
            g_array_append_val(c->entries, e);
        } else if (len >= 3 && memcmp(p, "-> ", 3) == 0 && ++commands <= MAX_COMMANDS) {
            e.kind = ENT_EXPECT;
            e.text = p + 3;
            e.len = len - 3;
            g_array_append_val(c->entries, e);
        }
        p += len + 1;
    }
}

static bool
writeAll(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= n;
    }
    return true;
}

/* Wait for the client's next command line. A conversation may lack the
 * reply the client waits for (or the greeting): once the client has sat
 * in its current call for STALL_MS with nothing sent, or has finished, QEMU
 * goes on without the command. False if the connection is gone. */
static bool
readCommand(Conv *c)
{
    gint64 safety = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
    char ch;

    for (;;) {
        struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
        gint64 now;
        bool giveUp;
        ssize_t n;
        int rc = poll(&pfd, 1, 2);

        if (rc < 0 && errno != EINTR)
            return false;
        if (rc > 0) {
            n = recv(c->fd, &ch, 1, 0);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return false;
            if (ch == '\n')
                return true;
            continue;
        }
        now = g_get_monotonic_time();
        g_mutex_lock(&c->lock);
        giveUp = c->done || (c->inCall && now - c->callStart > STALL_MS * 1000);
        g_mutex_unlock(&c->lock);
        if (giveUp || now > safety)
            return true;
    }
}

static gpointer
fakeQemu(gpointer opaque)
{
    Conv *c = opaque;

    for (guint i = 0; i < c->entries->len; i++) {
        Entry *e = &g_array_index(c->entries, Entry, i);
        bool ok = true;

        switch (e->kind) {
        case ENT_SEND:
            ok = writeAll(c->fd, e->text, e->len) && writeAll(c->fd, "\n", 1);
            break;
        case ENT_RAW:
            ok = writeAll(c->fd, e->text, e->len);
            break;
        case ENT_BIG: {
            g_autofree char *line = g_malloc(e->len + 1);

            memset(line, 'x', e->len);
            if (e->len >= 16) {
                memcpy(line, "{\"return\": \"", 12);
                memcpy(line + e->len - 2, "\"}", 2);
            }
            line[e->len] = '\n';
            ok = writeAll(c->fd, line, e->len + 1);
            break;
        }
        case ENT_EOF:
            ok = false;
            break;
        case ENT_EXPECT:
            ok = readCommand(c);
            break;
        }
        if (!ok)
            break;
    }
    shutdown(c->fd, SHUT_RDWR);
    return NULL;
}

static void
onEvent(qemuMonitor *mon, const char *name, struct json_object *data, gint64 timestamp_us,
        void *opaque)
{
    Conv *c = opaque;

    if (!name)
        FUZZ_FAIL("event without a name");
    if (data)
        (void)json_object_to_json_string(data);
    g_mutex_lock(&c->lock);
    c->events++;
    if (c->closed)
        c->lateCallback = true;
    g_mutex_unlock(&c->lock);
}

static void
onEOF(qemuMonitor *mon, bool error, const char *reason, void *opaque)
{
    Conv *c = opaque;

    if (!reason)
        FUZZ_FAIL("eof callback without a reason");
    g_mutex_lock(&c->lock);
    c->eofs++;
    if (c->closed)
        c->lateCallback = true;
    g_mutex_unlock(&c->lock);
}

static void
callBegin(Conv *c)
{
    g_mutex_lock(&c->lock);
    c->inCall = true;
    c->callStart = g_get_monotonic_time();
    g_mutex_unlock(&c->lock);
}

static void
callEnd(Conv *c)
{
    g_mutex_lock(&c->lock);
    c->inCall = false;
    g_mutex_unlock(&c->lock);
}

static void
checkFailure(const char *what)
{
    int code;

    fuzzCheckError(what, qemuDomains);
    code = virGetLastErrorCode();
    if (code != VIR_ERR_INTERNAL_ERROR && code != VIR_ERR_OPERATION_FAILED &&
        code != VIR_ERR_OPERATION_TIMEOUT)
        FUZZ_FAIL("%s: unexpected error code %d (%s)", what, code,
                  virGetLastErrorMessage());
}

/* query-block's answer through the <iotune> decoder (qemu_iotune.c) for
 * a virtio and a SATA disk: a limit read or libvirt's error of domain
 * QEMU (INTERNAL_ERROR, OPERATION_UNSUPPORTED), nothing else. */
static void
checkIoTune(json_object *block)
{
    static const char *const dsts[] = { "vda", "sda" };
    static const int buses[] = { VIR_DOMAIN_DISK_BUS_VIRTIO, VIR_DOMAIN_DISK_BUS_SATA };

    for (size_t i = 0; i < G_N_ELEMENTS(dsts); i++) {
        virDomainDiskDef disk = { .dst = (char *)dsts[i],
                                  .src = (char *)"/x",
                                  .bus = buses[i] };
        virDomainDef def = { 0 };
        virDomainBlockIoTuneInfo t = { 0 };
        int code;

        virResetLastError();
        if (qemuIoTuneFromBlock(block, &def, &disk, &t) == 0) {
            virDomainBlockIoTuneClear(&t);
            continue;
        }
        fuzzCheckError("query-block iotune", qemuDomains);
        code = virGetLastErrorCode();
        if (code != VIR_ERR_INTERNAL_ERROR && code != VIR_ERR_OPERATION_UNSUPPORTED)
            FUZZ_FAIL("query-block iotune: unexpected error code %d (%s)", code,
                      virGetLastErrorMessage());
    }
    virResetLastError();
}

/* Issue the command of one "->" line. */
static void
runCommand(Conv *c, qemuMonitor *mon, const Entry *e)
{
    g_autofree char *line = g_strndup(e->text, e->len);
    g_autoptr(json_object) cmd = json_tokener_parse(line);
    json_object *exec = NULL;
    const char *name;
    int rc;

    if (!cmd || !json_object_is_type(cmd, json_type_object) ||
        !json_object_object_get_ex(cmd, "execute", &exec) ||
        !json_object_is_type(exec, json_type_string))
        return;
    name = json_object_get_string(exec);
    virResetLastError();
    callBegin(c);
    if (g_str_equal(name, "query-status")) {
        g_autofree char *status = NULL;
        bool running = false;

        rc = qemuMonitorQueryStatus(mon, &status, &running);
        if (rc == 0 && !status)
            FUZZ_FAIL("query-status succeeded without a status");
    } else if (g_str_equal(name, "query-chardev")) {
        g_autofree char *path = NULL;

        rc = qemuMonitorGetPtyPath(mon, "charserial0", &path);
        if (rc == 0 && !path)
            FUZZ_FAIL("query-chardev succeeded without a path");
    } else if (g_str_equal(name, "quit")) {
        rc = qemuMonitorQuit(mon);
    } else if (g_str_equal(name, "cont")) {
        rc = qemuMonitorCont(mon);
    } else if (g_str_equal(name, "stop")) {
        rc = qemuMonitorStop(mon);
    } else if (g_str_equal(name, "system_powerdown")) {
        rc = qemuMonitorSystemPowerdown(mon);
    } else if (g_str_equal(name, "system_reset")) {
        rc = qemuMonitorSystemReset(mon);
    } else if (g_str_equal(name, "query-block")) {
        g_autoptr(json_object) block = NULL;

        rc = qemuMonitorCommand(mon, name, NULL, STEP_MS, &block);
        if (rc == 0)
            checkIoTune(block);
    } else if (g_str_equal(name, "set-action")) {
        rc = qemuMonitorSetAction(mon, "pause", "reset", NULL, "none");
    } else {
        g_autofree char *reply = NULL;

        rc = qemuMonitorCommandText(mon, line, STEP_MS, &reply);
        if (rc == 0 && !reply)
            FUZZ_FAIL("command succeeded without a reply");
    }
    callEnd(c);
    if (rc < 0)
        checkFailure(name);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    /* The wrappers use the default deadline (30 s); a stalled fake QEMU
     * must not cost that much. */
    qemuMonitorGetIOContext();
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const qemuMonitorCallbacks cb = { .event = onEvent, .eof = onEOF };
    g_autofree char *text = g_malloc(size + 1);
    Conv *c = g_new0(Conv, 1); /* on the heap: a late callback is a use-after-free */
    GThread *fake;
    qemuMonitor *mon;
    int sv[2];
    bool first = true;

    if (size)
        memcpy(text, data, size);
    parseConv(c, text, size);
    g_mutex_init(&c->lock);
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        FUZZ_FAIL("socketpair: %s", g_strerror(errno));
    c->fd = sv[1];
    fake = g_thread_new("fake-qemu", fakeQemu, c);

    virResetLastError();
    callBegin(c);
    mon = qemuMonitorOpen(sv[0], &cb, c, STEP_MS);
    callEnd(c);
    if (mon) {
        for (guint i = 0; i < c->entries->len; i++) {
            Entry *e = &g_array_index(c->entries, Entry, i);

            if (e->kind != ENT_EXPECT)
                continue;
            if (first) {
                first = false; /* qmp_capabilities, sent by Open */
                continue;
            }
            runCommand(c, mon, e);
        }
        g_mutex_lock(&c->lock);
        c->done = true;
        g_mutex_unlock(&c->lock);
        qemuMonitorClose(mon);
    } else {
        checkFailure("qemuMonitorOpen");
    }
    g_mutex_lock(&c->lock);
    c->done = true;
    c->closed = true;
    g_mutex_unlock(&c->lock);

    g_thread_join(fake);
    close(sv[1]);
    g_mutex_lock(&c->lock);
    if (c->eofs > 1)
        FUZZ_FAIL("eof callback ran %u times", c->eofs);
    if (c->lateCallback)
        FUZZ_FAIL("a callback ran after qemuMonitorClose returned");
    g_mutex_unlock(&c->lock);
    g_mutex_clear(&c->lock);
    g_array_unref(c->entries);
    g_free(c);
    return 0;
}
