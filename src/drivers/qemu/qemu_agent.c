/* qemu_agent.c: the QEMU guest agent protocol (guest-sync-delimited, commands, libvirt's errors) */

/*
 * Threads: no thread of its own. The caller's API thread holds a job on
 * the domain object, which serializes every use of the agent socket (QEMU's
 * chardev server takes one client at a time); the object lock is dropped
 * while the thread waits on the monitor or the agent.
 *
 * One connection per command: connect to the channel's socket, sync
 * (guest-sync-delimited: the reply comes after a 0xFF byte, so that stale
 * output of an earlier client is skipped), the command, its reply, close.
 * Whether an agent listens at all is QEMU's word (query-chardev
 * frontend-open of the port), asked before connecting, so that a guest
 * without an agent answers at once instead of after a timeout.
 */

#define G_LOG_DOMAIN "virtkit.qemu.agent"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "qemu_agent.h"
#include "qemu_domain.h"
#include "qemu_monitor.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

bool
qemuAgentFindChannel(const virDomainDef *def, char **path, char **label)
{
    for (size_t i = 0; i < def->nchannels; i++) {
        const virDomainChannelDef *c = def->channels[i];

        if (g_strcmp0(c->targetName, QEMU_AGENT_CHANNEL_NAME) == 0 && c->unixSocket &&
            !c->connect && c->path) {
            *path = g_strdup(c->path);
            *label = c->alias ? g_strdup_printf("char%s", c->alias)
                              : g_strdup_printf("charchannel%zu", i);
            return true;
        }
    }
    return false;
}

int
qemuAgentPortOpen(virDomainObj *obj, const char *label, int timeoutMs)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    qemuMonitor *mon = priv->mon;
    json_object *reply = NULL;
    int open = -1;
    int rc;

    if (!mon) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return -1;
    }
    virDomainObjUnlock(obj);
    rc = qemuMonitorCommand(mon, "query-chardev", NULL, timeoutMs, &reply);
    virDomainObjLock(obj);
    if (rc < 0)
        return -1;
    for (size_t i = 0; json_object_is_type(reply, json_type_array) &&
                       i < json_object_array_length(reply);
         i++) {
        json_object *c = json_object_array_get_idx(reply, i);
        json_object *l = NULL, *o = NULL;

        if (json_object_object_get_ex(c, "label", &l) &&
            g_strcmp0(json_object_get_string(l), label) == 0 &&
            json_object_object_get_ex(c, "frontend-open", &o))
            open = json_object_get_boolean(o) ? 1 : 0;
    }
    json_object_put(reply);
    if (open < 0)
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "QEMU does not know the agent's chardev '%s'", label);
    return open;
}

int
qemuAgentConnect(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path))
        return -1;
    memcpy(addr.sun_path, path, strlen(path));
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Wait for input on @fd until @until (monotonic us; -1: no limit) and
 * append it to @buf: 1 read, 0 timed out, -1 end of file or error. */
static int
qemuAgentFill(int fd, GString *buf, gint64 until)
{
    char chunk[4096];
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    ssize_t n;
    int rc;

    for (;;) {
        int ms = -1;

        if (until >= 0) {
            gint64 left = (until - g_get_monotonic_time()) / 1000;

            if (left <= 0)
                return 0;
            ms = (int)MIN(left, G_MAXINT);
        }
        rc = poll(&pfd, 1, ms);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc <= 0)
            return rc == 0 ? 0 : -1;
        break;
    }
    if ((n = read(fd, chunk, sizeof(chunk))) <= 0)
        return -1;
    g_string_append_len(buf, chunk, n);
    return 1;
}

/* The next complete line of @buf (a JSON object per line), removed from
 * it, or NULL. 0xFF bytes (the sync delimiter) are dropped. */
static char *
qemuAgentNextLine(GString *buf)
{
    const char *nl = memchr(buf->str, '\n', buf->len);
    GString *line;

    if (!nl)
        return NULL;
    line = g_string_new_len(buf->str, nl - buf->str);
    g_string_erase(buf, 0, nl - buf->str + 1);
    for (gsize i = 0; i < line->len;) {
        if ((unsigned char)line->str[i] == 0xff)
            g_string_erase(line, i, 1);
        else
            i++;
    }
    return g_string_free(line, FALSE);
}

static int
qemuAgentWrite(int fd, const char *s)
{
    size_t len = strlen(s);

    while (len > 0) {
        ssize_t n = send(fd, s, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        s += n;
        len -= n;
    }
    return 0;
}

int
qemuAgentTakeReply(GString *buf, guint64 syncId, json_object **answer)
{
    char *line;

    *answer = NULL;
    while ((line = qemuAgentNextLine(buf))) {
        json_object *o = json_tokener_parse(line);
        json_object *r = NULL;

        g_free(line);
        if (!o || !json_object_is_type(o, json_type_object)) {
            json_object_put(o);
            continue;
        }
        if (syncId) {
            bool match = json_object_object_get_ex(o, "return", &r) &&
                         json_object_is_type(r, json_type_int) &&
                         (guint64)json_object_get_uint64(r) == syncId;

            json_object_put(o);
            if (match)
                return 1;
            /* anything else is an earlier client's leftover: skipped */
            continue;
        }
        if (json_object_object_get_ex(o, "return", NULL) ||
            json_object_object_get_ex(o, "error", NULL)) {
            *answer = o;
            return 1;
        }
        json_object_put(o);
    }
    if (buf->len > QEMU_AGENT_MAX_LINE) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "QEMU guest agent reply longer than %d bytes",
                       QEMU_AGENT_MAX_LINE);
        return -1;
    }
    return 0;
}

int
qemuAgentSync(int fd, GString *buf, gint64 until)
{
    guint64 id = ((guint64)g_random_int() << 20) | (g_random_int() & 0xfffff);
    g_autofree char *cmd = g_strdup_printf(
        "{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":%" G_GUINT64_FORMAT
        "}}\n",
        id);

    if (qemuAgentWrite(fd, cmd) < 0)
        return -1;
    for (;;) {
        json_object *unused = NULL;
        int rc = qemuAgentTakeReply(buf, id, &unused);

        if (rc != 0) {
            virResetLastError();
            return rc > 0 ? 0 : -1;
        }
        if (qemuAgentFill(fd, buf, until) <= 0)
            return -1;
    }
}

/* Whether running @obj (unlocked) has left RUNNING or been reset since
 * the RESET count @resets. */
static bool
qemuAgentGuestWentDown(virDomainObj *obj, guint resets)
{
    bool down;

    virDomainObjLock(obj);
    down = !virDomainObjIsActive(obj) || obj->state != VIR_DOMAIN_RUNNING ||
           qemuDomainPriv(obj)->resets != resets;
    virDomainObjUnlock(obj);
    return down;
}

/*
 * The exchange behind every command: @text (one JSON line) sent on
 * running @obj's agent after guest-sync-delimited, the first reply with
 * "return" or "error" awaited for @timeoutMs; *@answer the whole reply
 * (new reference). With @noReply the command is one the agent never
 * answers when it succeeds (guest-shutdown): the wait ends without an
 * error when the guest shuts down or resets (QEMU's SHUTDOWN or RESET,
 * seen by qemu_process.c) or closes the channel, with AGENT_UNRESPONSIVE
 * at the deadline; an error answer is still taken. Errors as qemuAgentCommand's. Caller holds
 * a job on @obj, locked; the lock is dropped while waiting.
 */
static int
qemuAgentExchange(virDomainObj *obj, const char *text, int timeoutMs, bool noReply,
                  json_object **answer)
{
    g_autofree char *path = NULL;
    g_autofree char *label = NULL;
    g_autoptr(GString) buf = g_string_new(NULL);
    int open;
    bool sent = false;
    guint resets = qemuDomainPriv(obj)->resets;
    int fd = -1;
    int rc = 0;

    *answer = NULL;
    if (!virDomainObjIsActive(obj)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return -1;
    }
    if (!qemuAgentFindChannel(obj->def, &path, &label)) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                       "QEMU guest agent is not configured");
        return -1;
    }
    if ((open = qemuAgentPortOpen(obj, label, QEMU_AGENT_SYNC_TIMEOUT_MS)) < 0)
        return -1;
    if (open == 0 || !virDomainObjIsActive(obj)) {
        virReportError(VIR_ERR_AGENT_UNRESPONSIVE, "%s",
                       "QEMU guest agent is not connected");
        return -1;
    }

    virDomainObjUnlock(obj);
    if ((fd = qemuAgentConnect(path)) < 0 ||
        qemuAgentSync(
            fd, buf, g_get_monotonic_time() + QEMU_AGENT_SYNC_TIMEOUT_MS * (gint64)1000) <
            0) {
        rc = -2;
    } else if (qemuAgentWrite(fd, text) < 0) {
        rc = -2;
    } else {
        gint64 until = timeoutMs == QEMU_AGENT_TIMEOUT_BLOCK
                           ? -1
                           : g_get_monotonic_time() + MAX(timeoutMs, 0) * (gint64)1000;

        sent = true;
        for (;;) {
            gint64 step = until;

            if ((rc = qemuAgentTakeReply(buf, 0, answer)) != 0) {
                if (rc < 0)
                    rc = -4; /* reported */
                break;
            }
            /* a command the agent does not answer when it works: the
             * guest's SHUTDOWN or RESET (qemu_process.c, object lock) is
             * looked for every 100 ms */
            if (noReply) {
                gint64 next = g_get_monotonic_time() + 100000;

                step = until < 0 ? next : MIN(until, next);
            }
            if ((rc = qemuAgentFill(fd, buf, step)) < 0) {
                rc = -3;
                break;
            }
            if (rc == 0 && noReply && qemuAgentGuestWentDown(obj, resets)) {
                rc = -5;
                break;
            }
            if (rc == 0 && until >= 0 && g_get_monotonic_time() >= until) {
                rc = -2;
                break;
            }
            rc = 0;
        }
    }
    if (fd >= 0)
        close(fd);
    virDomainObjLock(obj);

    if (*answer)
        return 0;
    if (rc == -4)
        return -1;
    if (noReply && sent && (rc == -3 || rc == -5))
        return 0; /* the guest went down (or closed the channel) */
    if (rc == -3)
        virReportError(VIR_ERR_AGENT_UNRESPONSIVE, "%s",
                       "QEMU guest agent is not connected");
    else
        virReportError(VIR_ERR_AGENT_UNRESPONSIVE, "%s",
                       "Guest agent not available for now");
    return -1;
}

/* An agent's error answer @answer to @execute reported as libvirt's
 * qemuAgentCheckError: -2 unreported for a missing command when
 * !@reportUnsupported, else -1. */
static int
qemuAgentReportError(json_object *answer, const char *execute, bool reportUnsupported)
{
    json_object *err = NULL, *desc = NULL, *klass = NULL;
    const char *k;

    json_object_object_get_ex(answer, "error", &err);
    k = json_object_object_get_ex(err, "class", &klass) ? json_object_get_string(klass)
                                                        : NULL;
    if (!reportUnsupported &&
        (g_strcmp0(k, "CommandNotFound") == 0 || g_strcmp0(k, "CommandDisabled") == 0))
        return -2; /* the caller skips what this agent lacks */
    if (json_object_object_get_ex(err, "desc", &desc))
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "unable to execute QEMU agent command '%s': %s",
                       execute ? execute : "(null)", json_object_get_string(desc));
    else
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "unable to execute QEMU agent command '%s'",
                       execute ? execute : "(null)");
    return -1;
}

static char *
qemuAgentCommandText(const char *execute, json_object *args)
{
    json_object *cmd = json_object_new_object();
    char *text;

    json_object_object_add(cmd, "execute", json_object_new_string(execute));
    if (args)
        json_object_object_add(cmd, "arguments", args);
    text = g_strdup_printf("%s\n",
                           json_object_to_json_string_ext(cmd, JSON_C_TO_STRING_PLAIN));
    json_object_put(cmd);
    return text;
}

int
qemuAgentCommand(virDomainObj *obj, const char *execute, json_object *args, int timeoutMs,
                 json_object **reply)
{
    return qemuAgentCommandFull(obj, execute, args, timeoutMs, reply, true);
}

int
qemuAgentCommandFull(virDomainObj *obj, const char *execute, json_object *args,
                     int timeoutMs, json_object **reply, bool reportUnsupported)
{
    g_autofree char *text = qemuAgentCommandText(execute, args);
    json_object *answer = NULL;
    json_object *ret_ = NULL;
    int ret;

    if (reply)
        *reply = NULL;
    if (qemuAgentExchange(obj, text, timeoutMs, false, &answer) < 0)
        return -1;
    if (json_object_object_get_ex(answer, "error", NULL)) {
        ret = qemuAgentReportError(answer, execute, reportUnsupported);
    } else {
        json_object_object_get_ex(answer, "return", &ret_);
        if (reply)
            *reply = json_object_get(ret_);
        ret = 0;
    }
    json_object_put(answer);
    return ret;
}

int
qemuAgentCommandNoReply(virDomainObj *obj, const char *execute, json_object *args,
                        int timeoutMs)
{
    g_autofree char *text = qemuAgentCommandText(execute, args);
    json_object *answer = NULL;
    int ret = 0;

    if (qemuAgentExchange(obj, text, timeoutMs, true, &answer) < 0)
        return -1;
    if (answer && json_object_object_get_ex(answer, "error", NULL))
        ret = qemuAgentReportError(answer, execute, true);
    json_object_put(answer);
    return ret;
}

char *
qemuAgentCommandRaw(virDomainObj *obj, const char *cmd, int timeoutMs)
{
    g_autofree char *text = NULL;
    json_object *parsed;
    json_object *answer = NULL;
    json_object *execute = NULL;
    g_autofree char *name = NULL;
    enum json_tokener_error jerr = json_tokener_success;
    char *result = NULL;

    if (!(parsed = json_tokener_parse_verbose(cmd, &jerr))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot parse json %s: %s", cmd,
                       json_tokener_error_desc(jerr));
        return NULL;
    }
    if (json_object_object_get_ex(parsed, "execute", &execute) &&
        json_object_is_type(execute, json_type_string))
        name = g_strdup(json_object_get_string(execute));
    /* one line on the channel, whatever the caller's layout */
    text = g_strdup_printf(
        "%s\n", json_object_to_json_string_ext(parsed, JSON_C_TO_STRING_PLAIN));
    json_object_put(parsed);
    if (qemuAgentExchange(obj, text, timeoutMs, false, &answer) < 0)
        return NULL;
    if (json_object_object_get_ex(answer, "error", NULL))
        qemuAgentReportError(answer, name, true);
    else
        result = g_strdup(json_object_to_json_string_ext(
            answer, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(answer);
    return result;
}

int
qemuAgentTimeoutMs(int seconds)
{
    if (seconds <= QEMU_AGENT_TIMEOUT_BLOCK)
        return QEMU_AGENT_TIMEOUT_BLOCK;
    if (seconds == -1)
        return QEMU_AGENT_SYNC_TIMEOUT_MS; /* libvirt's QEMU_AGENT_WAIT_TIME */
    return seconds > G_MAXINT / 1000 ? G_MAXINT : seconds * 1000;
}
