/* qemumonitortest.c: replay QMP conversations (tests/data/qmp/NAME.txt) against qemuMonitor */

/*
 * Threads: the test's main thread is the monitor's client (it opens the
 * monitor and issues the commands of the conversation, one at a time);
 * one "fake-qemu" thread per case plays QEMU on the other end of a
 * socketpair; the monitor's own I/O thread calls our callbacks, which
 * only append to lists under @lock.
 *
 * Conversation format (one entry per line):
 *   # ...            comment
 *   <- {json}        QEMU sends this line (an "id" recorded in a "->" line
 *                    is replaced by the id the client really used)
 *   <- EOF           QEMU closes the connection
 *   <- RAW text      QEMU sends text with no newline (truncated message)
 *   <- BIG n         QEMU sends one JSON line of n bytes
 *   -> {json}        the client sends this command ("execute" and
 *                    "arguments" must match; qmp_capabilities is sent by
 *                    qemuMonitorOpen, the others by the test)
 *   !! timeout MS    the last command above uses this deadline
 *   !! error N text  the last command above fails with code N, message containing text
 *   !! eof-error     the conversation ends with the eof callback reporting an error
 *   !! open-error N text  qemuMonitorOpen fails with code N
 * Expectations not written as "!!" are derived from the data: a "return"
 * reply means success with that value, an "error" reply means
 * INTERNAL_ERROR "unable to execute QEMU command '<cmd>': <desc>", and the
 * events delivered are exactly the parseable "<- event" lines sent before
 * any unparseable one, in order, with their data and timestamps.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include "virtkit-config.h"

#include "qemu_monitor.h"
#include "virerror.h"

#define SAFETY_CAP_US (60 * G_USEC_PER_SEC) /* only to end a hung test */

typedef enum {
    ENT_SEND,
    ENT_EXPECT,
    ENT_EOF,
    ENT_RAW,
    ENT_BIG
} EntryKind;

typedef struct {
    EntryKind kind;
    char *text;    /* line, raw text */
    size_t big;    /* ENT_BIG size */
    int timeoutMs; /* ENT_EXPECT: -1 default */
    int errCode;   /* ENT_EXPECT: expected failure code, 0 none */
    char *errText;
} Entry;

typedef struct {
    GPtrArray *entries; /* Entry * */
    bool eofError;
    int openErrCode;
    char *openErrText;

    int fd; /* fake QEMU's end */
    GThread *thread;
    char *serverError; /* first mismatch seen by the fake */
    GHashTable *ids;   /* recorded id -> id used by the client */

    GMutex lock;
    GCond cond;
    GPtrArray *events; /* "NAME|data|timestamp" */
    int eofCount;
    bool eofWasError;
} Case;

static void
entryFree(gpointer p)
{
    Entry *e = p;

    g_free(e->text);
    g_free(e->errText);
    g_free(e);
}

static Case *
caseLoad(const char *path)
{
    g_autofree char *data = NULL;
    g_auto(GStrv) lines = NULL;
    Case *c = g_new0(Case, 1);
    g_autoptr(GError) err = NULL;

    if (!g_file_get_contents(path, &data, NULL, &err))
        g_error("%s: %s", path, err->message);
    c->entries = g_ptr_array_new_with_free_func(entryFree);
    c->events = g_ptr_array_new_with_free_func(g_free);
    c->ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_mutex_init(&c->lock);
    g_cond_init(&c->cond);
    c->fd = -1;

    lines = g_strsplit(data, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        const char *l = lines[i];
        Entry *e;

        if (!*l || l[0] == '#')
            continue;
        if (g_str_has_prefix(l, "!! ")) {
            Entry *prev = NULL; /* directives apply to the last command */
            const char *arg = l + 3;

            for (guint j = c->entries->len; j > 0 && !prev; j--) {
                Entry *p = g_ptr_array_index(c->entries, j - 1);

                if (p->kind == ENT_EXPECT)
                    prev = p;
            }

            if (g_str_has_prefix(arg, "timeout ")) {
                g_assert_nonnull(prev);
                prev->timeoutMs = atoi(arg + 8);
            } else if (g_str_has_prefix(arg, "error ")) {
                char *sp;

                g_assert_nonnull(prev);
                prev->errCode = (int)strtol(arg + 6, &sp, 10);
                prev->errText = g_strdup(g_strstrip(sp));
            } else if (g_str_equal(arg, "eof-error")) {
                c->eofError = true;
            } else if (g_str_has_prefix(arg, "open-error ")) {
                char *sp;

                c->openErrCode = (int)strtol(arg + 11, &sp, 10);
                c->openErrText = g_strdup(g_strstrip(sp));
            } else {
                g_error("%s: unknown directive '%s'", path, l);
            }
            continue;
        }
        e = g_new0(Entry, 1);
        e->timeoutMs = -1;
        if (g_str_equal(l, "<- EOF")) {
            e->kind = ENT_EOF;
        } else if (g_str_has_prefix(l, "<- RAW ")) {
            e->kind = ENT_RAW;
            e->text = g_strdup(l + 7);
        } else if (g_str_has_prefix(l, "<- BIG ")) {
            e->kind = ENT_BIG;
            e->big = g_ascii_strtoull(l + 7, NULL, 10);
        } else if (g_str_has_prefix(l, "<- ")) {
            e->kind = ENT_SEND;
            e->text = g_strdup(l + 3);
        } else if (g_str_has_prefix(l, "-> ")) {
            e->kind = ENT_EXPECT;
            e->text = g_strdup(l + 3);
        } else {
            g_error("%s: cannot parse line '%s'", path, l);
        }
        g_ptr_array_add(c->entries, e);
    }
    return c;
}

static void
caseFree(Case *c)
{
    g_ptr_array_unref(c->entries);
    g_ptr_array_unref(c->events);
    g_hash_table_unref(c->ids);
    g_free(c->serverError);
    g_free(c->openErrText);
    g_mutex_clear(&c->lock);
    g_cond_clear(&c->cond);
    g_free(c);
}

static json_object *
parseObject(const char *text)
{
    json_object *o = json_tokener_parse(text);

    if (o && !json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

static const char *
objString(json_object *o, const char *key)
{
    json_object *v = NULL;

    if (!o || !json_object_object_get_ex(o, key, &v))
        return NULL;
    return json_object_get_string(v);
}

static bool
writeAll(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false; /* the client is gone: fine, stop */
        buf += n;
        len -= n;
    }
    return true;
}

/* Read one line from @fd into a new string; NULL at EOF. */
static char *
readLine(int fd, GString *buf)
{
    for (;;) {
        char *nl = memchr(buf->str, '\n', buf->len);
        char chunk[4096];
        ssize_t n;

        if (nl) {
            char *line = g_strndup(buf->str, nl - buf->str);

            g_string_erase(buf, 0, nl - buf->str + 1);
            return line;
        }
        n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return NULL;
        g_string_append_len(buf, chunk, n);
    }
}

static void
serverFail(Case *c, char *msg)
{
    g_mutex_lock(&c->lock);
    if (!c->serverError)
        c->serverError = msg;
    else
        g_free(msg);
    g_mutex_unlock(&c->lock);
}

static gpointer
fakeQemu(gpointer data)
{
    Case *c = data;
    g_autoptr(GString) rbuf = g_string_new(NULL);

    for (guint i = 0; i < c->entries->len; i++) {
        Entry *e = g_ptr_array_index(c->entries, i);

        switch (e->kind) {
        case ENT_SEND: {
            g_autoptr(json_object) o = parseObject(e->text);
            g_autofree char *line = NULL;
            const char *id = objString(o, "id");
            const char *real = id ? g_hash_table_lookup(c->ids, id) : NULL;

            if (real) {
                json_object_object_add(o, "id", json_object_new_string(real));
                line = g_strdup_printf(
                    "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_SPACED));
            } else {
                line = g_strdup_printf("%s\n", e->text);
            }
            if (!writeAll(c->fd, line, strlen(line)))
                goto done;
            break;
        }
        case ENT_RAW:
            if (!writeAll(c->fd, e->text, strlen(e->text)))
                goto done;
            break;
        case ENT_BIG: {
            g_autofree char *big = g_malloc(e->big + 1);

            memset(big, 'x', e->big);
            memcpy(big, "{\"return\": \"", 12);
            memcpy(big + e->big - 3, "\"}\n", 3);
            if (!writeAll(c->fd, big, e->big))
                goto done;
            break;
        }
        case ENT_EOF:
            goto done;
        case ENT_EXPECT: {
            g_autofree char *line = readLine(c->fd, rbuf);
            g_autoptr(json_object) want = parseObject(e->text);
            g_autoptr(json_object) got = NULL;
            json_object *wa = NULL;
            json_object *ga = NULL;

            if (!line) {
                serverFail(c, g_strdup_printf("client closed, expected %s", e->text));
                goto done;
            }
            got = parseObject(line);
            if (!got ||
                g_strcmp0(objString(got, "execute"), objString(want, "execute")) ||
                json_object_object_get_ex(want, "arguments", &wa) !=
                    json_object_object_get_ex(got, "arguments", &ga) ||
                (wa && !json_object_equal(wa, ga)) || !objString(got, "id")) {
                serverFail(c, g_strdup_printf("expected %s, got %s", e->text, line));
                goto done;
            }
            if (objString(want, "id"))
                g_hash_table_insert(c->ids, g_strdup(objString(want, "id")),
                                    g_strdup(objString(got, "id")));
            break;
        }
        }
    }
    /* Conversation over without EOF: stay until the client closes. */
    while (TRUE) {
        g_autofree char *line = readLine(c->fd, rbuf);

        if (!line)
            break;
        serverFail(c, g_strdup_printf("unexpected command after the end: %s", line));
    }
done:
    close(c->fd);
    return NULL;
}

static void
onEvent(qemuMonitor *mon, const char *name, json_object *data, gint64 ts, void *opaque)
{
    Case *c = opaque;

    g_mutex_lock(&c->lock);
    g_ptr_array_add(c->events, g_strdup_printf("%s|%s|%" G_GINT64_FORMAT, name,
                                               data ? json_object_to_json_string_ext(
                                                          data, JSON_C_TO_STRING_PLAIN)
                                                    : "",
                                               ts));
    g_mutex_unlock(&c->lock);
}

static void
onEOF(qemuMonitor *mon, bool error, const char *reason, void *opaque)
{
    Case *c = opaque;

    g_mutex_lock(&c->lock);
    c->eofCount++;
    c->eofWasError = error;
    g_cond_broadcast(&c->cond);
    g_mutex_unlock(&c->lock);
}

/* The recorded reply to the command at @idx: the next sent line carrying its
 * id (or, for commands without reply before EOF, NULL). */
static json_object *
findReply(Case *c, guint idx)
{
    Entry *cmd = g_ptr_array_index(c->entries, idx);
    g_autoptr(json_object) co = parseObject(cmd->text);
    const char *id = objString(co, "id");

    for (guint i = idx + 1; i < c->entries->len; i++) {
        Entry *e = g_ptr_array_index(c->entries, i);
        json_object *o;

        if (e->kind != ENT_SEND)
            continue;
        if (!(o = parseObject(e->text)))
            continue;
        /* A reply without an id answers the oldest command. */
        if ((!objString(o, "id") || g_strcmp0(objString(o, "id"), id) == 0) &&
            (json_object_object_get_ex(o, "return", NULL) ||
             json_object_object_get_ex(o, "error", NULL)))
            return o;
        json_object_put(o);
    }
    return NULL;
}

static void
checkFailure(int code, const char *text)
{
    virErrorPtr err = virGetLastError();

    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpint(err->domain, ==, VIR_FROM_QEMU);
    if (text && *text && !strstr(err->message, text))
        g_error("error message '%s' lacks '%s'", err->message, text);
}

/* Issue the command of entry @idx the way the driver would. */
static void
runCommand(Case *c, qemuMonitor *mon, guint idx)
{
    Entry *e = g_ptr_array_index(c->entries, idx);
    g_autoptr(json_object) cmd = parseObject(e->text);
    g_autoptr(json_object) reply = findReply(c, idx);
    const char *name = objString(cmd, "execute");
    json_object *args = NULL;
    json_object *want = NULL;
    json_object *qerr = NULL;
    g_autoptr(json_object) got = NULL;
    int rc;
    bool isQuit = g_str_equal(name, "quit");

    json_object_object_get_ex(cmd, "arguments", &args);
    virResetLastError();
    if (isQuit) {
        rc = qemuMonitorQuit(mon);
    } else if (g_str_equal(name, "query-status") && e->timeoutMs < 0) {
        g_autofree char *status = NULL;
        bool running = false;

        rc = qemuMonitorQueryStatus(mon, &status, &running);
        if (rc == 0) {
            json_object_object_get_ex(reply, "return", &want);
            g_assert_cmpstr(status, ==, objString(want, "status"));
            g_assert_cmpint(
                running, ==,
                json_object_get_boolean(json_object_object_get(want, "running")));
        }
    } else if (g_str_equal(name, "set-action") && e->timeoutMs < 0) {
        rc = qemuMonitorSetAction(mon, objString(args, "shutdown"),
                                  objString(args, "reboot"), objString(args, "watchdog"),
                                  objString(args, "panic"));
    } else if (g_str_equal(name, "cont") && e->timeoutMs < 0) {
        rc = qemuMonitorCont(mon);
    } else if (g_str_equal(name, "stop") && e->timeoutMs < 0) {
        rc = qemuMonitorStop(mon);
    } else if (g_str_equal(name, "system_powerdown") && e->timeoutMs < 0) {
        rc = qemuMonitorSystemPowerdown(mon);
    } else if (g_str_equal(name, "system_reset") && e->timeoutMs < 0) {
        rc = qemuMonitorSystemReset(mon);
    } else {
        rc = qemuMonitorCommand(mon, name, args, e->timeoutMs, &got);
        if (rc == 0 && reply) {
            json_object_object_get_ex(reply, "return", &want);
            g_assert_true(json_object_equal(want, got));
        }
    }

    if (e->errCode) {
        g_assert_cmpint(rc, ==, -1);
        checkFailure(e->errCode, e->errText);
    } else if (reply && json_object_object_get_ex(reply, "error", &qerr)) {
        g_autofree char *msg = g_strdup_printf("unable to execute QEMU command '%s': %s",
                                               name, objString(qerr, "desc"));

        g_assert_cmpint(rc, ==, -1);
        checkFailure(VIR_ERR_INTERNAL_ERROR, msg);
    } else if (reply || isQuit) {
        if (rc != 0)
            g_error("'%s' failed: %s", name, virGetLastErrorMessage());
    } else {
        g_error("conversation has no reply for '%s' and no '!! error'", name);
    }
}

static void
testConversation(gconstpointer data)
{
    const char *path = data;
    Case *c = caseLoad(path);
    g_autoptr(GPtrArray) wantEvents = g_ptr_array_new_with_free_func(g_free);
    qemuMonitorCallbacks cb = { .event = onEvent, .eof = onEOF };
    qemuMonitor *mon;
    unsigned long wantVersion = 0;
    bool hasEOF = false;
    int sv[2];

    for (guint i = 0; i < c->entries->len; i++)
        hasEOF |= ((Entry *)g_ptr_array_index(c->entries, i))->kind == ENT_EOF;

    /* Expected events and version, from the data. */
    for (guint i = 0; i < c->entries->len; i++) {
        Entry *e = g_ptr_array_index(c->entries, i);
        g_autoptr(json_object) o = NULL;
        json_object *ts = NULL;
        json_object *d = NULL;
        json_object *v = NULL;

        if (e->kind == ENT_RAW || e->kind == ENT_BIG)
            break;
        if (e->kind != ENT_SEND)
            continue;
        if (!(o = parseObject(e->text)))
            break; /* unparseable: the monitor dies here */
        if (json_object_object_get_ex(o, "QMP", &v) &&
            json_object_object_get_ex(v, "version", &v) &&
            json_object_object_get_ex(v, "qemu", &v))
            wantVersion =
                json_object_get_int(json_object_object_get(v, "major")) * 1000000UL +
                json_object_get_int(json_object_object_get(v, "minor")) * 1000UL +
                json_object_get_int(json_object_object_get(v, "micro"));
        if (!objString(o, "event"))
            continue;
        json_object_object_get_ex(o, "data", &d);
        json_object_object_get_ex(o, "timestamp", &ts);
        g_ptr_array_add(
            wantEvents,
            g_strdup_printf(
                "%s|%s|%" G_GINT64_FORMAT, objString(o, "event"),
                d ? json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN) : "",
                ts ? json_object_get_int64(json_object_object_get(ts, "seconds")) *
                             G_USEC_PER_SEC +
                         json_object_get_int64(json_object_object_get(ts, "microseconds"))
                   : (gint64)-1));
    }

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
    c->fd = sv[1];
    c->thread = g_thread_new("fake-qemu", fakeQemu, c);

    virResetLastError();
    mon = qemuMonitorOpen(sv[0], &cb, c, 10000);
    if (c->openErrCode) {
        g_assert_null(mon);
        checkFailure(c->openErrCode, c->openErrText);
        g_assert_cmpint(c->eofCount, ==, 0);
    } else {
        if (!mon)
            g_error("open failed: %s", virGetLastErrorMessage());
        g_assert_cmpuint(qemuMonitorGetVersion(mon), ==, wantVersion);

        for (guint i = 0; i < c->entries->len; i++) {
            Entry *e = g_ptr_array_index(c->entries, i);
            g_autoptr(json_object) o = NULL;

            if (e->kind != ENT_EXPECT)
                continue;
            o = parseObject(e->text);
            if (g_str_equal(objString(o, "execute"), "qmp_capabilities"))
                continue;
            runCommand(c, mon, i);
        }

        if (hasEOF || c->eofError) {
            gint64 cap = g_get_monotonic_time() + SAFETY_CAP_US;

            g_mutex_lock(&c->lock);
            while (c->eofCount == 0 && g_cond_wait_until(&c->cond, &c->lock, cap))
                ;
            g_assert_cmpint(c->eofCount, ==, 1);
            g_assert_cmpint(c->eofWasError, ==, c->eofError);
            g_mutex_unlock(&c->lock);
            g_assert_true(qemuMonitorIsDead(mon));
            /* Commands after the end fail at once. */
            virResetLastError();
            g_assert_cmpint(qemuMonitorCont(mon), ==, -1);
            g_assert_true(virGetLastError() != NULL);
        }
        qemuMonitorClose(mon);
        if (!hasEOF && !c->eofError)
            g_assert_cmpint(c->eofCount, ==, 0);
    }
    g_thread_join(c->thread);

    g_assert_null(c->serverError);
    g_assert_cmpuint(c->events->len, ==, wantEvents->len);
    for (guint i = 0; i < wantEvents->len; i++)
        g_assert_cmpstr(g_ptr_array_index(c->events, i), ==,
                        g_ptr_array_index(wantEvents, i));
    caseFree(c);
}

/* ---- behaviour beyond one conversation ------------------------------- */

#define GREETING                                                        \
    "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, " \
    "\"major\": 7}, \"package\": \"\"}, \"capabilities\": [\"oob\"]}}\n"

typedef struct {
    int fd;
    int answer; /* how many commands after qmp_capabilities to echo */
    GMutex lock;
    GCond cond;
    int received; /* commands read (after qmp_capabilities) */
} Echo;

/* Greets, answers qmp_capabilities, then echoes "arguments" back as the
 * return value of the first @answer commands; later ones are read but never
 * answered. Ends when the client closes. */
static gpointer
echoQemu(gpointer data)
{
    Echo *e = data;
    g_autoptr(GString) rbuf = g_string_new(NULL);
    char *line;
    bool caps = false;

    writeAll(e->fd, GREETING, strlen(GREETING));
    while ((line = readLine(e->fd, rbuf))) {
        g_autoptr(json_object) cmd = parseObject(line);
        g_autoptr(json_object) reply = json_object_new_object();
        json_object *args = NULL;
        const char *txt;

        g_free(line);
        g_assert_nonnull(cmd);
        if (caps) {
            g_mutex_lock(&e->lock);
            e->received++;
            g_cond_broadcast(&e->cond);
            if (e->received > e->answer) {
                g_mutex_unlock(&e->lock);
                continue;
            }
            g_mutex_unlock(&e->lock);
        }
        caps = true;
        json_object_object_get_ex(cmd, "arguments", &args);
        json_object_object_add(reply, "return",
                               args ? json_object_get(args) : json_object_new_object());
        json_object_object_add(reply, "id", json_object_new_string(objString(cmd, "id")));
        txt = json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN);
        if (!writeAll(e->fd, txt, strlen(txt)) || !writeAll(e->fd, "\n", 1))
            break;
    }
    close(e->fd);
    return NULL;
}

typedef struct {
    qemuMonitor *mon;
    int n;
    int ok;
} Sender;

static gpointer
sendNumbers(gpointer data)
{
    Sender *s = data;

    for (int i = 0; i < 50; i++) {
        g_autoptr(json_object) args = json_object_new_object();
        g_autoptr(json_object) reply = NULL;

        json_object_object_add(args, "n", json_object_new_int(s->n * 1000 + i));
        if (qemuMonitorCommand(s->mon, "echo", args, 30000, &reply) == 0 &&
            json_object_get_int(json_object_object_get(reply, "n")) == s->n * 1000 + i)
            s->ok++;
    }
    return NULL;
}

/* Several API threads at once: each gets its own reply. */
static void
testConcurrentCommands(void)
{
    Echo e = { .answer = G_MAXINT };
    Sender senders[8];
    GThread *threads[8];
    GThread *fake;
    qemuMonitor *mon;
    int sv[2];

    g_mutex_init(&e.lock);
    g_cond_init(&e.cond);
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
    e.fd = sv[1];
    fake = g_thread_new("echo-qemu", echoQemu, &e);
    g_assert_nonnull(mon = qemuMonitorOpen(sv[0], NULL, NULL, 10000));
    for (int i = 0; i < 8; i++) {
        senders[i] = (Sender){ .mon = mon, .n = i };
        threads[i] = g_thread_new("sender", sendNumbers, &senders[i]);
    }
    for (int i = 0; i < 8; i++) {
        g_thread_join(threads[i]);
        g_assert_cmpint(senders[i].ok, ==, 50);
    }
    /* The text form (qemu-monitor-command): the caller's id is replaced. */
    {
        g_autofree char *reply = NULL;
        g_autoptr(json_object) o = NULL;

        g_assert_cmpint(qemuMonitorCommandText(mon,
                                               "{\"execute\":\"echo\",\"arguments\":"
                                               "{\"n\":5},\"id\":\"mine\"}",
                                               30000, &reply),
                        ==, 0);
        g_assert_nonnull(o = parseObject(reply));
        g_assert_cmpint(json_object_get_int(json_object_object_get(
                            json_object_object_get(o, "return"), "n")),
                        ==, 5);
        g_assert_true(g_str_has_prefix(objString(o, "id"), "virtkit-"));
        virResetLastError();
        g_assert_cmpint(qemuMonitorCommandText(mon, "[1]", 30000, &reply), ==, -1);
        g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INTERNAL_ERROR);
    }
    qemuMonitorClose(mon);
    g_thread_join(fake);
    g_assert_cmpint(e.received, ==, 401);
    g_mutex_clear(&e.lock);
    g_cond_clear(&e.cond);
}

typedef struct {
    qemuMonitor *mon;
    int rc;
    int code;
} Waiter;

static gpointer
waitForever(gpointer data)
{
    Waiter *w = data;

    /* No deadline in practice: only the close can end this call. */
    w->rc = qemuMonitorCommand(w->mon, "query-status", NULL, G_MAXINT, NULL);
    w->code = virGetLastErrorCode();
    return NULL;
}

/* Close while another thread waits for a reply that never comes: the
 * waiter fails at once with OPERATION_FAILED and no callback runs. */
static void
testCloseWhileWaiting(void)
{
    Echo e = { .answer = 0 };
    Case c = { 0 };
    qemuMonitorCallbacks cb = { .event = onEvent, .eof = onEOF };
    Waiter w = { .rc = 1 };
    GThread *fake;
    GThread *waiter;
    int sv[2];

    g_mutex_init(&e.lock);
    g_cond_init(&e.cond);
    g_mutex_init(&c.lock);
    g_cond_init(&c.cond);
    c.events = g_ptr_array_new_with_free_func(g_free);
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
    e.fd = sv[1];
    fake = g_thread_new("echo-qemu", echoQemu, &e);
    g_assert_nonnull(w.mon = qemuMonitorOpen(sv[0], &cb, &c, 10000));
    waiter = g_thread_new("waiter", waitForever, &w);
    /* Once the fake has read the command, the waiter is surely waiting. */
    g_mutex_lock(&e.lock);
    while (e.received < 1)
        g_cond_wait(&e.cond, &e.lock);
    g_mutex_unlock(&e.lock);
    qemuMonitorClose(w.mon);
    g_thread_join(waiter);
    g_assert_cmpint(w.rc, ==, -1);
    g_assert_cmpint(w.code, ==, VIR_ERR_OPERATION_FAILED);
    g_thread_join(fake);
    g_assert_cmpint(c.eofCount, ==, 0);
    g_ptr_array_unref(c.events);
    g_mutex_clear(&c.lock);
    g_cond_clear(&c.cond);
    g_mutex_clear(&e.lock);
    g_cond_clear(&e.cond);
}

static void
eofCloses(qemuMonitor *mon, bool error, const char *reason, void *opaque)
{
    /* Closing from our own callback must not deadlock. */
    qemuMonitorClose(mon);
    onEOF(mon, error, reason, opaque);
}

typedef struct {
    int fd;
    Case *c;
    qemuMonitor *mon;
} Opener;

static gpointer
openInThread(gpointer data)
{
    Opener *o = data;
    qemuMonitorCallbacks cb = { .eof = eofCloses };

    o->mon = qemuMonitorOpen(o->fd, &cb, o->c, 10000);
    return NULL;
}

typedef struct {
    Opener *o;
    const qemuMonitorCallbacks *cb;
    void *opaque;
} OpenerCb;

static gpointer
openWithCallbacks(gpointer data)
{
    OpenerCb *oc = data;

    oc->o->mon = qemuMonitorOpen(oc->o->fd, oc->cb, oc->opaque, 10000);
    return NULL;
}

/* The eof callback may close the monitor itself. */
static void
testCloseFromCallback(void)
{
    Case c = { 0 };
    gint64 cap = g_get_monotonic_time() + SAFETY_CAP_US;
    g_autoptr(GString) rbuf = g_string_new(NULL);
    g_autofree char *line = NULL;
    g_autofree char *reply = NULL;
    g_autoptr(json_object) cmd = NULL;
    Opener o = { .c = &c };
    GThread *t;
    int sv[2];

    g_mutex_init(&c.lock);
    g_cond_init(&c.cond);
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
    o.fd = sv[0];
    g_assert_true(writeAll(sv[1], GREETING, strlen(GREETING)));
    t = g_thread_new("opener", openInThread, &o);
    g_assert_nonnull(line = readLine(sv[1], rbuf));
    g_assert_nonnull(cmd = parseObject(line));
    g_assert_cmpstr(objString(cmd, "execute"), ==, "qmp_capabilities");
    reply = g_strdup_printf("{\"return\": {}, \"id\": \"%s\"}\n", objString(cmd, "id"));
    g_assert_true(writeAll(sv[1], reply, strlen(reply)));
    g_thread_join(t);
    g_assert_nonnull(o.mon);
    close(sv[1]);
    g_mutex_lock(&c.lock);
    while (c.eofCount == 0 && g_cond_wait_until(&c.cond, &c.lock, cap))
        ;
    g_assert_cmpint(c.eofCount, ==, 1);
    g_assert_false(c.eofWasError);
    g_mutex_unlock(&c.lock);
    g_mutex_clear(&c.lock);
    g_cond_clear(&c.cond);
}

/* Found by tests/fuzz/fuzz-qmp: QEMU hangs up while the client closes the
 * monitor. The eof callback ran after qemuMonitorClose had returned (the
 * teardown marked the monitor torn down before calling it), so a caller
 * freeing its callback data after Close saw it used. Close must wait for a
 * running callback. The callback here is slow, to make the overlap certain. */
typedef struct {
    gint inCallback; /* atomic */
    gint entered;    /* atomic */
} SlowEOF;

static void
slowEOF(qemuMonitor *mon, bool error, const char *reason, void *opaque)
{
    SlowEOF *s = opaque;

    g_atomic_int_inc(&s->inCallback);
    g_atomic_int_set(&s->entered, 1);
    g_usleep(20 * 1000);
    g_atomic_int_dec_and_test(&s->inCallback);
}

static void
testCloseDuringEOFCallback(void)
{
    for (int round = 0; round < 20; round++) {
        SlowEOF s = { 0 };
        qemuMonitorCallbacks cb = { .eof = slowEOF };
        gint64 cap = g_get_monotonic_time() + SAFETY_CAP_US;
        g_autoptr(GString) rbuf = g_string_new(NULL);
        g_autofree char *line = NULL;
        g_autofree char *reply = NULL;
        g_autoptr(json_object) cmd = NULL;
        Opener o = { 0 };
        OpenerCb oc = { &o, &cb, &s };
        GThread *t;
        int sv[2];

        g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
        g_assert_true(writeAll(sv[1], GREETING, strlen(GREETING)));
        o.fd = sv[0];
        /* Open in a thread; this one plays QEMU. */
        t = g_thread_new("opener", openWithCallbacks, &oc);
        g_assert_nonnull(line = readLine(sv[1], rbuf));
        g_assert_nonnull(cmd = parseObject(line));
        reply =
            g_strdup_printf("{\"return\": {}, \"id\": \"%s\"}\n", objString(cmd, "id"));
        g_assert_true(writeAll(sv[1], reply, strlen(reply)));
        g_thread_join(t);
        g_assert_nonnull(o.mon);
        close(sv[1]); /* QEMU hangs up */
        while (!g_atomic_int_get(&s.entered) && g_get_monotonic_time() < cap)
            g_usleep(1000);
        g_assert_true(g_atomic_int_get(&s.entered));
        qemuMonitorClose(o.mon);
        /* After Close, no callback may still be running. */
        g_assert_cmpint(g_atomic_int_get(&s.inCallback), ==, 0);
    }
}

static gint
compareNames(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *datadir = VIRTKIT_SRCDIR "/tests/data/qmp";
    const char *name;

    g_test_init(&argc, &argv, NULL);

    dir = g_dir_open(datadir, 0, NULL);
    g_assert_nonnull(dir);
    while ((name = g_dir_read_name(dir))) {
        if (g_str_has_suffix(name, ".txt"))
            g_ptr_array_add(names, g_strdup(name));
    }
    g_ptr_array_sort(names, compareNames);
    g_assert_cmpuint(names->len, >, 0);
    for (guint i = 0; i < names->len; i++) {
        const char *n = g_ptr_array_index(names, i);
        g_autofree char *base = g_strndup(n, strlen(n) - 4);
        g_autofree char *tp = g_strdup_printf("/qemu/monitor/replay/%s", base);

        g_test_add_data_func_full(tp, g_build_filename(datadir, n, NULL),
                                  testConversation, g_free);
    }
    g_test_add_func("/qemu/monitor/concurrent-commands", testConcurrentCommands);
    g_test_add_func("/qemu/monitor/close-while-waiting", testCloseWhileWaiting);
    g_test_add_func("/qemu/monitor/close-from-callback", testCloseFromCallback);
    g_test_add_func("/qemu/monitor/close-during-eof-callback",
                    testCloseDuringEOFCallback);
    return g_test_run();
}
