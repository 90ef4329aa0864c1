/* vksh-qemu.c: qemu-monitor-command, qemu-monitor-event (virsh 9.0's commands of the libvirt-qemu API) */
#define G_LOG_DOMAIN "vksh.qemu"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <json-c/json.h>
#include <libvirt/libvirt-qemu.h>

#include "vksh.h"

/* Every output below is virsh 9.0's (tools/virsh-domain.c), byte for byte. */

/* The words of @cmd's argv from position @from, joined by spaces (trailing
 * spaces trimmed, as virsh's); NULL when there are none. */
static char *
vkshQemuJoinArgv(const vkshCmd *cmd, guint from)
{
    g_autoptr(GString) s = g_string_new(NULL);

    if (!cmd->argv || from >= cmd->argv->len)
        return NULL;
    for (guint i = from; i < cmd->argv->len; i++)
        g_string_append_printf(s, "%s ", (const char *)g_ptr_array_index(cmd->argv, i));
    while (s->len && s->str[s->len - 1] == ' ')
        g_string_truncate(s, s->len - 1);
    return g_string_free(g_steal_pointer(&s), FALSE);
}

static json_object *
vkshQemuParseObject(const char *text)
{
    json_object *o = text ? json_tokener_parse(text) : NULL;

    if (o && !json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

/*
 * virsh's QMP wrapper: a JSON object is sent as it is; otherwise the first
 * word is the command's name and the rest its arguments, either a JSON
 * object or members to put in one ("a":1,"b":2). NULL after virsh's error.
 */
static char *
vkshQemuWrapQMP(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autofree char *full = vkshQemuJoinArgv(cmd, 0);
    g_autofree char *rest = vkshQemuJoinArgv(cmd, 1);
    json_object *o = vkshQemuParseObject(full);
    json_object *command;
    json_object *arguments = NULL;
    char *text;

    if (o) {
        json_object_put(o);
        return g_steal_pointer(&full);
    }
    if (rest && !(arguments = vkshQemuParseObject(rest))) {
        g_autofree char *wrapped = g_strdup_printf("{%s}", rest);

        if (!(arguments = vkshQemuParseObject(wrapped))) {
            vkshError(ctl, "failed to wrap arguments '%s' into a QMP command wrapper",
                      rest);
            return NULL;
        }
    }
    command = json_object_new_object();
    json_object_object_add(command, "execute",
                           json_object_new_string(g_ptr_array_index(cmd->argv, 0)));
    if (arguments)
        json_object_object_add(command, "arguments", arguments);
    text = g_strdup(json_object_to_json_string_ext(
        command, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(command);
    return text;
}

/* virsh's --pass-fds N,M,...: 0 when none, -1 after virsh's error. */
static int
vkshQemuPassFds(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *str = NULL;
    g_auto(GStrv) fds = NULL;
    int rc;

    if ((rc = vkshOptString(ctl, cmd, "pass-fds", &str)) <= 0)
        return rc;
    fds = g_strsplit(str, ",", -1);
    for (size_t i = 0; fds[i]; i++) {
        char *end = NULL;
        long v;

        errno = 0;
        v = strtol(fds[i], &end, 10);
        if (!*fds[i] || *end || errno || v < 0 || v > INT_MAX) {
            vkshError(ctl, "Unable to parse FD number '%s'", fds[i]);
            return -1;
        }
    }
    return 1;
}

/* libvirt's pretty JSON (virJSONValueToString(..., true)): two spaces a
 * level, "key": value, and an empty object or array as "{", an empty
 * line, then its closing brace at the level's indentation. */
static void
vkshQemuPretty(GString *out, json_object *v, int depth)
{
    bool isObject = json_object_is_type(v, json_type_object);
    size_t n = 0, i = 0;

    if (!isObject && !json_object_is_type(v, json_type_array)) {
        g_string_append(out,
                        json_object_to_json_string_ext(
                            v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
        return;
    }
    g_string_append(out, isObject ? "{\n" : "[\n");
    if (isObject) {
        json_object_object_foreach(v, key, val)
        {
            json_object *k = json_object_new_string(key);

            g_string_append_printf(
                out, "%s%*s%s: ", i++ ? ",\n" : "", 2 * (depth + 1), "",
                json_object_to_json_string_ext(k, JSON_C_TO_STRING_NOSLASHESCAPE));
            json_object_put(k);
            vkshQemuPretty(out, val, depth + 1);
        }
        n = i;
    } else {
        n = json_object_array_length(v);
        for (i = 0; i < n; i++) {
            g_string_append_printf(out, "%s%*s", i ? ",\n" : "", 2 * (depth + 1), "");
            vkshQemuPretty(out, json_object_array_get_idx(v, i), depth + 1);
        }
    }
    g_string_append_printf(out, "\n%*s%s", 2 * depth, "", isObject ? "}" : "]");
}

const vkshOptDef vkshOptsQemuMonitorCommand[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "hmp", VKSH_OT_BOOL, 0, "command is in human monitor protocol" },
    { "pretty", VKSH_OT_BOOL, 0, "pretty-print any qemu monitor protocol output" },
    { "return-value", VKSH_OT_BOOL, 0,
      "extract the value of the 'return' key from the returned string" },
    { "pass-fds", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "pass file descriptors N,M,... along with the command" },
    { "cmd", VKSH_OT_ARGV, VKSH_OFLAG_REQ | VKSH_OFLAG_ARGV_SHOWNAME, "command" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdQemuMonitorCommand(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *text = NULL;
    g_autofree char *result = NULL;
    bool hmp = vkshOptBool(cmd, "hmp");
    bool pretty = vkshOptBool(cmd, "pretty");
    bool returnValue = vkshOptBool(cmd, "return-value");
    json_object *reply = NULL;
    json_object *shown;
    g_autofree char *out = NULL;
    int fds;

    if (!vkshOptExclusive(ctl, cmd, "hmp", "pretty") ||
        !vkshOptExclusive(ctl, cmd, "hmp", "return-value"))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if ((fds = vkshQemuPassFds(ctl, cmd)) < 0)
        return false;
    if (hmp)
        text = vkshQemuJoinArgv(cmd, 0);
    else if (!(text = vkshQemuWrapQMP(ctl, cmd)))
        return false;
    if (fds > 0) {
        /* passing descriptors needs virDomainQemuMonitorCommandWithFiles,
         * which this library does not have */
        vkshError(ctl, "this function is not supported by the connection driver: %s",
                  "virDomainQemuMonitorCommandWithFiles");
        return false;
    }
    if (virDomainQemuMonitorCommand(dom, text, &result,
                                    hmp ? VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP : 0) < 0)
        return false;
    if (!pretty && !returnValue) {
        vkshPrint(ctl, "%s\n", result);
        return true;
    }
    if (!(reply = json_tokener_parse(result))) {
        if (returnValue) {
            vkshError(ctl, "%s", "failed to parse JSON reply from QEMU");
            return false;
        }
        /* not JSON: shown as it came (virsh's pretty printer leaves it) */
        vkshPrint(ctl, "%s\n", result);
        return true;
    }
    shown = reply;
    if (returnValue && (!json_object_is_type(reply, json_type_object) ||
                        !json_object_object_get_ex(reply, "return", &shown))) {
        vkshError(ctl, "%s", "'return' member missing");
        json_object_put(reply);
        return false;
    }
    if (pretty) {
        g_autoptr(GString) buf = g_string_new(NULL);

        vkshQemuPretty(buf, shown, 0);
        out = g_string_free(g_steal_pointer(&buf), FALSE);
    } else {
        out = g_strdup(json_object_to_json_string_ext(
            shown, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    }
    json_object_put(reply);
    g_strstrip(out);
    vkshPrint(ctl, "%s", out);
    return true;
}

/* ---- qemu-monitor-event ----------------------------------------------------- */

typedef struct {
    vkshControl *ctl;
    bool loop;
    bool pretty;
    bool timestamp;
    int count;
    vkshEventWait wait;
} vkshQemuEventData;

/* virsh's virshEventQemuPrint: one line per event, the details pretty
 * with --pretty; without --loop only the first event counts. */
static void
vkshQemuEventPrint(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, const char *event,
                   long long seconds, unsigned int micros, const char *details,
                   void *opaque)
{
    vkshQemuEventData *data = opaque;
    g_autofree char *pretty = NULL;

    if (!data->loop && data->count)
        return;
    if (data->pretty && details) {
        json_object *o = json_tokener_parse(details);

        if (o) {
            g_autoptr(GString) buf = g_string_new(NULL);

            /* libvirt's pretty text ends with a newline */
            vkshQemuPretty(buf, o, 0);
            g_string_append_c(buf, '\n');
            json_object_put(o);
            pretty = g_string_free(g_steal_pointer(&buf), FALSE);
            details = pretty;
        }
    }
    if (data->timestamp) {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc();
        g_autofree char *stamp = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");

        vkshPrint(data->ctl, "%s.%03d+0000: event %s for domain '%s': %s\n", stamp,
                  g_date_time_get_microsecond(now) / 1000, event, virDomainGetName(dom),
                  details ? details : "<null>");
    } else {
        vkshPrint(data->ctl, "event %s at %lld.%06u for domain '%s': %s\n", event,
                  seconds, micros, virDomainGetName(dom), details ? details : "<null>");
    }
    fflush(stdout);
    data->count++;
    if (!data->loop)
        data->wait.done = true;
}

const vkshOptDef vkshOptsQemuMonitorEvent[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "filter by domain name, id or uuid" },
    { "event", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "filter by event name" },
    { "pretty", VKSH_OT_BOOL, 0, "pretty-print any JSON output" },
    { "loop", VKSH_OT_BOOL, 0, "loop until timeout or interrupt, rather than one-shot" },
    { "timeout", VKSH_OT_INT, VKSH_OFLAG_NAMED, "timeout seconds" },
    { "regex", VKSH_OT_BOOL, 0, "treat event as a regex rather than literal filter" },
    { "no-case", VKSH_OT_BOOL, 0, "treat event case-insensitively" },
    { "timestamp", VKSH_OT_BOOL, 0, "show timestamp for each printed event" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdQemuMonitorEvent(vkshControl *ctl, const vkshCmd *cmd)
{
    vkshQemuEventData data = { .ctl = ctl };
    g_autoptr(virDomain) dom = NULL;
    const char *event = NULL;
    unsigned int flags = 0;
    int timeout = 0;
    int callbackID = -1;
    bool ok = false;

    if (vkshOptBool(cmd, "regex"))
        flags |= VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_REGEX;
    if (vkshOptBool(cmd, "no-case"))
        flags |= VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_NOCASE;
    data.loop = vkshOptBool(cmd, "loop");
    data.pretty = vkshOptBool(cmd, "pretty");
    data.timestamp = vkshOptBool(cmd, "timestamp");
    if (vkshEventWaitTimeoutOpt(ctl, cmd, &timeout) < 0)
        return false;
    if (vkshOptString(ctl, cmd, "event", &event) < 0)
        return false;
    if (vkshOptRaw(cmd, "domain") &&
        !(dom = vkshCommandOptDomainBy(ctl, cmd, "domain", NULL, VKSH_BYALL)))
        return false;

    if ((callbackID = virConnectDomainQemuMonitorEventRegister(
             ctl->conn, dom, event, vkshQemuEventPrint, &data, NULL, flags)) < 0)
        goto cleanup;

    if (!vkshEventWaitRun(ctl, &data.wait, timeout))
        goto cleanup;
    vkshPrint(ctl, "events received: %d\n", data.count);
    ok = data.count > 0;

cleanup:
    if (callbackID >= 0)
        virConnectDomainQemuMonitorEventDeregister(ctl->conn, callbackID);
    return ok;
}
