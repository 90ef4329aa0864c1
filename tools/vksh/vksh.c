/* vksh.c: the vksh shell: global options, command parsing, connection and dispatch */

#define G_LOG_DOMAIN "vksh"
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vksh.h"
#include "vksh-storage.h"

/*
 * Single-threaded: the main thread parses every command of the invocation
 * first (a syntax error runs nothing), connects, then runs the commands in
 * order.  The exit status is that of the last command, as with virsh.
 */

const vkshCmdGroup vkshGroups[] = {
    { "Domain Management", "domain", vkshDomainCmds },
    { "Domain Monitoring", "monitor", vkshMonitorCmds },
    { "Domain Events", "events", vkshEventCmds },
    { "Host and Hypervisor", "host", vkshHostCmds },
    { "Checkpoint", "checkpoint", vkshCheckpointCmds },
    { "Interface", "interface", vkshInterfaceCmds },
    { "Network Filter", "filter", vkshNWFilterCmds },
    { "Networking", "network", vkshNetworkCmds },
    { "Node Device", "nodedev", vkshNodedevCmds },
    { "Secret", "secret", vkshSecretCmds },
    { "Snapshot", "snapshot", vkshSnapshotCmds },
    { "Backup", "backup", vkshBackupCmds },
    { "Storage Pool", "pool", vkshPoolCmds },
    { "Storage Volume", "volume", vkshVolumeCmds },
    { "Virsh itself", "virsh", vkshSelfCmds },
#ifdef VKSH_WITH_VIRTKIT
    { "virtkit Extensions", "virtkit", vkshVirtkitCmds },
    { "virtkit Event Journal", "journal", vkshJournalCmds },
#endif
    { NULL, NULL, NULL },
};

/* ---- output ------------------------------------------------------------ */

void
vkshPrint(vkshControl *ctl, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
}

void
vkshPrintExtra(vkshControl *ctl, const char *fmt, ...)
{
    va_list ap;

    if (ctl->quiet)
        return;
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
}

void
vkshError(vkshControl *ctl, const char *fmt, ...)
{
    va_list ap;

    /* Keep stdout and stderr in the order they were written. */
    fflush(stdout);
    fputs("error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
}

/* The library's last error, saved when it is raised: an API call resets
 * the thread's last error on entry, so the one that made a command fail
 * would be gone after the command's cleanup (virDomainFree).  libvirt would
 * also print every error on stderr if no handler were set. */
static struct {
    int code;
    char *message;
} vkshSavedError;

static void
vkshErrorHandler(void *opaque, virErrorPtr err)
{
    g_free(vkshSavedError.message);
    vkshSavedError.code = err ? err->code : VIR_ERR_OK;
    vkshSavedError.message = err && err->message ? g_strdup(err->message) : NULL;
}

void
vkshResetError(void)
{
    virResetLastError();
    g_clear_pointer(&vkshSavedError.message, g_free);
    vkshSavedError.code = VIR_ERR_OK;
}

int
vkshLastErrorCode(void)
{
    return vkshSavedError.code;
}

/* Prints the library's last error, if any, and clears it. */
void
vkshReportLibError(vkshControl *ctl)
{
    if (vkshSavedError.code == VIR_ERR_OK)
        return;
    vkshError(ctl, "%s",
              vkshSavedError.message ? vkshSavedError.message : "unknown error");
    vkshResetError();
}

/* ---- command table lookup ---------------------------------------------- */

const vkshCmdDef *
vkshCmdDefLookup(const char *name)
{
    for (const vkshCmdGroup *grp = vkshGroups; grp->name; grp++) {
        for (const vkshCmdDef *def = grp->cmds; def->name; def++) {
            if (strcmp(def->name, name) == 0)
                return def;
        }
    }
    return NULL;
}

static int
vkshOptIndex(const vkshCmdDef *def, const char *name)
{
    for (int i = 0; def->opts && def->opts[i].name; i++) {
        if (strcmp(def->opts[i].name, name) == 0)
            return i;
    }
    return -1;
}

static size_t
vkshOptCount(const vkshCmdDef *def)
{
    size_t n = 0;

    while (def->opts && def->opts[n].name)
        n++;
    return n;
}

/* ---- option accessors -------------------------------------------------- */

char *
vkshTypedParamValue(const virTypedParameter *p, bool raw)
{
    switch (p->type) {
    case VIR_TYPED_PARAM_INT:
        return g_strdup_printf("%d", p->value.i);
    case VIR_TYPED_PARAM_UINT:
        return g_strdup_printf("%u", p->value.ui);
    case VIR_TYPED_PARAM_LLONG:
        return g_strdup_printf("%lld", p->value.l);
    case VIR_TYPED_PARAM_ULLONG:
        return g_strdup_printf("%llu", p->value.ul);
    case VIR_TYPED_PARAM_DOUBLE:
        return g_strdup_printf(raw ? "%g" : "%f", p->value.d);
    case VIR_TYPED_PARAM_BOOLEAN:
        if (raw)
            return g_strdup_printf("%d", p->value.b);
        return g_strdup(p->value.b ? "yes" : "no");
    case VIR_TYPED_PARAM_STRING:
        return g_strdup(p->value.s);
    default:
        return g_strdup_printf("unimplemented parameter type %d", p->type);
    }
}

bool
vkshScaleSuffix(const char *suffix, unsigned long long dflt, unsigned long long *scale)
{
    static const char units[] = "kmgtpe";
    const char *unit;
    unsigned long long base;

    if (!*suffix) {
        *scale = dflt;
        return true;
    }
    if (g_ascii_strcasecmp(suffix, "b") == 0 || g_ascii_strcasecmp(suffix, "byte") == 0 ||
        g_ascii_strcasecmp(suffix, "bytes") == 0) {
        *scale = 1;
        return true;
    }
    if (!(unit = strchr(units, g_ascii_tolower(suffix[0]))))
        return false;
    if (!suffix[1] || g_ascii_strcasecmp(suffix + 1, "iB") == 0)
        base = 1024;
    else if (g_ascii_tolower(suffix[1]) == 'b' && !suffix[2])
        base = 1000;
    else
        return false;
    *scale = 1;
    for (const char *u = units; u <= unit; u++)
        *scale *= base;
    return true;
}

const char *
vkshOptRaw(const vkshCmd *cmd, const char *name)
{
    int i = vkshOptIndex(cmd->def, name);

    g_assert(i >= 0);
    return cmd->values[i];
}

bool
vkshOptBool(const vkshCmd *cmd, const char *name)
{
    return vkshOptRaw(cmd, name) != NULL;
}

int
vkshOptString(vkshControl *ctl, const vkshCmd *cmd, const char *name, const char **value)
{
    const char *v = vkshOptRaw(cmd, name);

    if (!v)
        return 0;
    if (!*v) {
        vkshError(ctl, "Failed to get option '%s': Option argument is empty", name);
        return -1;
    }
    *value = v;
    return 1;
}

int
vkshOptInt(vkshControl *ctl, const vkshCmd *cmd, const char *name, int *value)
{
    const char *v = vkshOptRaw(cmd, name);
    char *end = NULL;
    long n;

    if (!v)
        return 0;
    errno = 0;
    n = strtol(v, &end, 10);
    if (!*v || *end || errno || n < G_MININT || n > G_MAXINT) {
        vkshError(ctl, "Numeric value '%s' for <%s> option is malformed or out of range",
                  v, name);
        return -1;
    }
    *value = n;
    return 1;
}

bool
vkshOptExclusive(vkshControl *ctl, const vkshCmd *cmd, const char *a, const char *b)
{
    if (vkshOptRaw(cmd, a) && vkshOptRaw(cmd, b)) {
        vkshError(ctl, "Options --%s and --%s are mutually exclusive", a, b);
        return false;
    }
    return true;
}

/* ---- domain lookup ------------------------------------------------------- */

virDomainPtr
vkshCommandOptDomainBy(vkshControl *ctl, const vkshCmd *cmd, const char *optname,
                       const char **name, unsigned int by)
{
    const char *n = NULL;
    virDomainPtr dom = NULL;

    if (vkshOptString(ctl, cmd, optname, &n) <= 0)
        return NULL;
    if (name)
        *name = n;

    if (by & VKSH_BYID) {
        char *end = NULL;
        long id;

        errno = 0;
        id = strtol(n, &end, 10);
        if (*n && !*end && errno == 0 && id >= 0 && id <= G_MAXINT)
            dom = virDomainLookupByID(ctl->conn, id);
    }
    if (!dom && (by & VKSH_BYUUID) && strlen(n) == VIR_UUID_STRING_BUFLEN - 1)
        dom = virDomainLookupByUUIDString(ctl->conn, n);
    if (!dom && (by & VKSH_BYNAME))
        dom = virDomainLookupByName(ctl->conn, n);

    /* Only vksh's own message is shown for a failed lookup. */
    vkshResetError();
    if (!dom)
        vkshError(ctl, "failed to get domain '%s'", n);
    return dom;
}

virDomainPtr
vkshCommandOptDomain(vkshControl *ctl, const vkshCmd *cmd, const char **name)
{
    return vkshCommandOptDomainBy(ctl, cmd, "domain", name, VKSH_BYALL);
}

char *
vkshReadFile(vkshControl *ctl, const char *path)
{
    g_autoptr(GError) err = NULL;
    char *contents = NULL;

    if (!g_file_get_contents(path, &contents, NULL, &err)) {
        int code = err->domain == G_FILE_ERROR ? err->code : G_FILE_ERROR_FAILED;
        /* virsh reports the errno text; GLib's message has extra words. */
        const char *reason = code == G_FILE_ERROR_NOENT   ? g_strerror(ENOENT)
                             : code == G_FILE_ERROR_ACCES ? g_strerror(EACCES)
                             : code == G_FILE_ERROR_ISDIR ? g_strerror(EISDIR)
                                                          : err->message;
        vkshError(ctl, "Failed to open file '%s': %s", path, reason);
        return NULL;
    }
    return contents;
}

/* ---- output helpers shared by commands ----------------------------------- */

/* virsh's vshTreePrintInternal, line for line. */
void
vkshTreePrint(vkshControl *ctl, const char *const *names, const char *const *parents,
              int n, int devid, int lastdev, bool root, GString *indent)
{
    int nextlastdev = -1;

    vkshPrint(ctl, "%s%s%s\n", indent->str, root ? "" : "+- ", names[devid]);
    if (!root) {
        g_string_append_c(indent, devid == lastdev ? ' ' : '|');
        g_string_append_c(indent, ' ');
    }
    for (int i = 0; i < n; i++) {
        if (parents[i] && g_str_equal(parents[i], names[devid]))
            nextlastdev = i;
    }
    if (nextlastdev != -1)
        vkshPrint(ctl, "%s  |\n", indent->str);
    g_string_append(indent, "  ");
    for (int i = 0; i < n; i++) {
        if (parents[i] && g_str_equal(parents[i], names[devid]))
            vkshTreePrint(ctl, names, parents, n, i, nextlastdev, false, indent);
    }
    g_string_truncate(indent, indent->len - 2);
    if (nextlastdev == -1 && devid == lastdev)
        vkshPrint(ctl, "%s\n", indent->str);
    if (!root)
        g_string_truncate(indent, indent->len - 2);
}

char **
vkshStringToArray(const char *str)
{
    GPtrArray *out = g_ptr_array_new();
    GString *cur = g_string_new(NULL);

    for (const char *p = str; *p; p++) {
        if (*p == ',') {
            if (p[1] == ',') {
                g_string_append_c(cur, ',');
                p++;
                continue;
            }
            g_ptr_array_add(out, g_string_free(cur, FALSE));
            cur = g_string_new(NULL);
            continue;
        }
        g_string_append_c(cur, *p);
    }
    g_ptr_array_add(out, g_string_free(cur, FALSE));
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

/* ---- parsing -------------------------------------------------------------- */

static void
vkshCmdFree(vkshCmd *cmd)
{
    while (cmd) {
        vkshCmd *next = cmd->next;

        if (cmd->values) {
            for (size_t i = 0; i < vkshOptCount(cmd->def); i++)
                g_free(cmd->values[i]);
            g_free(cmd->values);
        }
        if (cmd->argv)
            g_ptr_array_unref(cmd->argv);
        g_free(cmd);
        cmd = next;
    }
}

/* Parses one command from its tokens (name first).  Returns NULL after
 * reporting the error. */
static vkshCmd *
vkshCmdParse(vkshControl *ctl, char **tokens, size_t ntokens)
{
    const vkshCmdDef *def = vkshCmdDefLookup(tokens[0]);
    vkshCmd *cmd = NULL;
    size_t nopts;
    bool data_only = false;
    bool missing = false;

    if (!def) {
        vkshError(ctl, "unknown command: '%s'", tokens[0]);
        return NULL;
    }
    nopts = vkshOptCount(def);
    cmd = g_new0(vkshCmd, 1);
    cmd->def = def;
    cmd->values = g_new0(char *, nopts + 1);

    for (size_t t = 1; t < ntokens; t++) {
        const char *tok = tokens[t];

        if ((def->flags & VKSH_CMD_FLAG_IGNORE_REST) && nopts > 0 && cmd->values[0])
            break;

        if (!data_only && strcmp(tok, "--") == 0) {
            data_only = true;
            continue;
        }
        if (!data_only && tok[0] == '-' && tok[1] == '-') {
            g_autofree char *name = g_strdup(tok + 2);
            char *eq = strchr(name, '=');
            const char *value = NULL;
            int i;

            if (eq) {
                *eq = '\0';
                value = eq + 1;
            }
            i = vkshOptIndex(def, name);
            if (i >= 0 && def->opts[i].type == VKSH_OT_ALIAS)
                i = vkshOptIndex(def, def->opts[i].help);
            if (i < 0) {
                vkshError(ctl, "command '%s' doesn't support option --%s", def->name,
                          name);
                goto error;
            }
            if (def->opts[i].type == VKSH_OT_ARGV) {
                /* virsh: a named argv option takes one word each time and
                 * may be repeated (schedinfo --set a=1 --set b=2) */
                if (!eq) {
                    if (t + 1 >= ntokens) {
                        vkshError(ctl, "expected syntax: --%s <string>", name);
                        goto error;
                    }
                    value = tokens[++t];
                }
                if (!cmd->argv)
                    cmd->argv = g_ptr_array_new_with_free_func(g_free);
                g_ptr_array_add(cmd->argv, g_strdup(value));
                g_free(cmd->values[i]);
                cmd->values[i] = g_strdup(value);
                continue;
            }
            if (def->opts[i].type == VKSH_OT_BOOL) {
                if (eq) {
                    vkshError(ctl, "invalid '=' after option --%s", name);
                    goto error;
                }
                value = "";
            } else if (!eq) {
                if (t + 1 >= ntokens) {
                    vkshError(ctl, "expected syntax: --%s <%s>", name,
                              def->opts[i].type == VKSH_OT_INT ? "number" : "string");
                    goto error;
                }
                value = tokens[++t];
            }
            if (cmd->values[i]) {
                vkshError(ctl, "option --%s already seen", name);
                goto error;
            }
            cmd->values[i] = g_strdup(value);
            continue;
        }

        /* Data fills the next option, in table order, that takes a value and
         * was not given yet. */
        {
            size_t i;

            for (i = 0; i < nopts; i++) {
                if (def->opts[i].type != VKSH_OT_BOOL &&
                    def->opts[i].type != VKSH_OT_ALIAS &&
                    !(def->opts[i].flags & VKSH_OFLAG_NAMED) &&
                    (def->opts[i].type == VKSH_OT_ARGV || !cmd->values[i]))
                    break;
            }
            if (i == nopts) {
                vkshError(ctl, "unexpected data '%s'", tok);
                goto error;
            }
            if (def->opts[i].type == VKSH_OT_ARGV) {
                if (!cmd->argv)
                    cmd->argv = g_ptr_array_new_with_free_func(g_free);
                g_ptr_array_add(cmd->argv, g_strdup(tok));
                g_free(cmd->values[i]);
            }
            cmd->values[i] = g_strdup(tok);
        }
    }

    /* as virsh, every missing option is named before the command fails */
    for (size_t i = 0; i < nopts; i++) {
        if ((def->opts[i].flags & VKSH_OFLAG_REQ) && !cmd->values[i]) {
            /* virsh names a missing number by its option (blockresize:
             * "requires --size option"), a missing word in brackets */
            if (def->opts[i].type == VKSH_OT_INT)
                vkshError(ctl, "command '%s' requires --%s option", def->name,
                          def->opts[i].name);
            else
                vkshError(ctl, "command '%s' requires <%s> option", def->name,
                          def->opts[i].name);
            missing = true;
        }
    }
    if (missing)
        goto error;
    return cmd;

error:
    vkshCmdFree(cmd);
    return NULL;
}

/* Appends a parsed command built from @tokens to *tail.  false on error. */
static bool
vkshCmdAppend(vkshControl *ctl, GPtrArray *tokens, vkshCmd ***tail)
{
    vkshCmd *cmd;

    if (tokens->len == 0)
        return true;
    cmd = vkshCmdParse(ctl, (char **)tokens->pdata, tokens->len);
    g_ptr_array_set_size(tokens, 0);
    if (!cmd)
        return false;
    **tail = cmd;
    *tail = &cmd->next;
    return true;
}

/* Splits a command string into commands: words separated by blanks, commands
 * by ';' or newline; '…' and "…" quote, a backslash escapes the next
 * character, '#' at the start of a word comments out the rest of the line. */
static bool
vkshCmdStringParse(vkshControl *ctl, const char *str, vkshCmd **cmds)
{
    g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func(g_free);
    vkshCmd *head = NULL;
    vkshCmd **tail = &head;
    const char *p = str;

    *cmds = NULL;
    for (;;) {
        g_autoptr(GString) word = NULL;

        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#') {
            while (*p && *p != '\n')
                p++;
        }
        if (!*p || *p == ';' || *p == '\n') {
            if (!vkshCmdAppend(ctl, tokens, &tail))
                goto error;
            if (!*p)
                break;
            p++;
            continue;
        }

        word = g_string_new(NULL);
        while (*p && *p != ' ' && *p != '\t' && *p != ';' && *p != '\n') {
            if (*p == '\'' || *p == '"') {
                char quote = *p++;

                while (*p && *p != quote) {
                    if (quote == '"' && *p == '\\' && p[1])
                        p++;
                    g_string_append_c(word, *p++);
                }
                if (!*p) {
                    vkshError(ctl, "missing %c", quote);
                    goto error;
                }
                p++;
            } else if (*p == '\\' && p[1]) {
                g_string_append_c(word, p[1]);
                p += 2;
            } else {
                g_string_append_c(word, *p++);
            }
        }
        g_ptr_array_add(tokens, g_string_free(g_steal_pointer(&word), FALSE));
    }
    *cmds = head;
    return true;

error:
    vkshCmdFree(head);
    return false;
}

/* argv form: every argument is one word of a single command. */
static bool
vkshCmdArgvParse(vkshControl *ctl, int argc, char **argv, vkshCmd **cmds)
{
    g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func(g_free);
    vkshCmd *head = NULL;
    vkshCmd **tail = &head;

    for (int i = 0; i < argc; i++)
        g_ptr_array_add(tokens, g_strdup(argv[i]));
    if (!vkshCmdAppend(ctl, tokens, &tail))
        return false;
    *cmds = head;
    return true;
}

/* ---- running -------------------------------------------------------------- */

bool
vkshConnect(vkshControl *ctl)
{
    if (ctl->conn)
        return true;
    if (ctl->readonly)
        ctl->conn = virConnectOpenReadOnly(ctl->uri);
    else
        ctl->conn = virConnectOpen(ctl->uri);
    if (!ctl->conn) {
        vkshError(ctl, "%s", "failed to connect to the hypervisor");
        vkshReportLibError(ctl);
        return false;
    }
    return true;
}

/* Runs the commands in order; returns the success of the last one. */
static bool
vkshCmdsRun(vkshControl *ctl, const vkshCmd *cmds)
{
    bool ok = true;

    for (const vkshCmd *cmd = cmds; cmd; cmd = cmd->next) {
        vkshResetError();
        if (!ctl->conn && !(cmd->def->flags & VKSH_CMD_FLAG_NOCONNECT))
            ok = vkshConnect(ctl) && cmd->def->handler(ctl, cmd);
        else
            ok = cmd->def->handler(ctl, cmd);
        if (ctl->quit)
            break;
        if (!ok)
            vkshReportLibError(ctl);
        if (!ctl->quiet)
            vkshPrint(ctl, "\n");
        fflush(stdout);
    }
    return ok;
}

/* Reads commands from stdin, one line at a time, until EOF or quit. */
static bool
vkshInteractive(vkshControl *ctl)
{
    bool tty = isatty(STDIN_FILENO);
    g_autofree char *line = NULL;
    size_t linesize = 0;
    bool ok = true;

    if (tty && !ctl->quiet) {
        vkshPrint(ctl, "Welcome to vksh, the virtkit interactive terminal.\n\n"
                       "Type:  'help' for help with commands\n"
                       "       'quit' to quit\n\n");
    }
    while (!ctl->quit) {
        vkshCmd *cmds = NULL;

        if (tty) {
            vkshPrint(ctl, "vksh # ");
            fflush(stdout);
        }
        if (getline(&line, &linesize, stdin) < 0)
            break;
        if (!vkshCmdStringParse(ctl, line, &cmds)) {
            ok = false;
            continue;
        }
        if (cmds)
            ok = vkshCmdsRun(ctl, cmds);
        vkshCmdFree(cmds);
    }
    if (tty)
        vkshPrint(ctl, "\n");
    return ok;
}

/* ---- global options ---------------------------------------------------- */

static void
vkshUsage(void)
{
    fputs("\n"
          "vksh [options]... [<command_string>]\n"
          "vksh [options]... <command> [args...]\n"
          "\n"
          "  options:\n"
          "    -c | --connect=URI      hypervisor connection URI\n"
          "    -h | --help             this help\n"
          "    -q | --quiet            quiet mode\n"
          "    -r | --readonly         connect readonly\n"
          "    -v                      short version\n"
          "    -V                      long version\n"
          "         --version[=TYPE]   version, TYPE is short or long (default short)\n"
          "  commands (non interactive mode):\n"
          "\n",
          stdout);
    for (const vkshCmdGroup *grp = vkshGroups; grp->name; grp++) {
        printf(" %s (help keyword '%s')\n", grp->name, grp->keyword);
        for (const vkshCmdDef *def = grp->cmds; def->name; def++)
            printf("    %-30s %s\n", def->name, def->help);
        fputs("\n", stdout);
    }
    fputs("\n"
          "  (specify help <group> for details about the commands in the group)\n"
          "\n"
          "  (specify help <command> for details about the command)\n"
          "\n",
          stdout);
}

static void
vkshVersion(bool longform)
{
    unsigned long ver = LIBVIR_VERSION_NUMBER;

    if (!longform) {
        printf("%lu.%lu.%lu\n", ver / 1000000, ver / 1000 % 1000, ver % 1000);
        return;
    }
    printf("vksh command line tool of virtkit, compatible with libvirt %lu.%lu.%lu\n",
           ver / 1000000, ver / 1000 % 1000, ver % 1000);
}

int
main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "connect", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { "quiet", no_argument, NULL, 'q' },
        { "readonly", no_argument, NULL, 'r' },
        { "version", optional_argument, NULL, 'v' },
        { NULL, 0, NULL, 0 },
    };
    vkshControl ctl = { 0 };
    g_autofree char *uri = NULL;
    vkshCmd *cmds = NULL;
    const char *env;
    bool ok;
    int c;

    /* -c, then VIRTKIT_DEFAULT_URI, then LIBVIRT_DEFAULT_URI, then the
     * library's own default (NULL). */
    if ((env = g_getenv("VIRTKIT_DEFAULT_URI")) && *env)
        uri = g_strdup(env);
    else if ((env = g_getenv("LIBVIRT_DEFAULT_URI")) && *env)
        uri = g_strdup(env);

    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:c:hqrvV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            g_free(uri);
            uri = g_strdup(optarg);
            break;
        case 'h':
            vkshUsage();
            return EXIT_SUCCESS;
        case 'q':
            ctl.quiet = true;
            break;
        case 'r':
            ctl.readonly = true;
            break;
        case 'v':
            if (optarg && strcmp(optarg, "long") == 0) {
                vkshVersion(true);
            } else if (!optarg || strcmp(optarg, "short") == 0) {
                vkshVersion(false);
            } else {
                vkshError(&ctl, "unknown version type '%s'", optarg);
                return EXIT_FAILURE;
            }
            return EXIT_SUCCESS;
        case 'V':
            vkshVersion(true);
            return EXIT_SUCCESS;
        case ':':
            for (const struct option *o = longopts; o->name; o++) {
                if (o->val == optopt) {
                    vkshError(&ctl, "option '-%c'/'--%s' requires an argument", optopt,
                              o->name);
                    return EXIT_FAILURE;
                }
            }
            vkshError(&ctl, "option '%s' requires an argument", argv[optind - 1]);
            return EXIT_FAILURE;
        default:
            if (optopt)
                vkshError(&ctl, "unsupported option '-%c'. See --help.", optopt);
            else
                vkshError(&ctl, "unsupported option '%s'. See --help.", argv[optind - 1]);
            return EXIT_FAILURE;
        }
    }

    virSetErrorFunc(NULL, vkshErrorHandler);
    if (virEventRegisterDefaultImpl() < 0) {
        vkshReportLibError(&ctl);
        return EXIT_FAILURE;
    }
    ctl.uri = g_steal_pointer(&uri);

    if (optind == argc) {
        ctl.interactive = true;
        ok = vkshConnect(&ctl) && vkshInteractive(&ctl);
    } else {
        if (optind + 1 == argc) {
            /* One argument is a command string, which may hold several
             * commands; an empty one is a failure, as with virsh. */
            ok = *argv[optind] && vkshCmdStringParse(&ctl, argv[optind], &cmds);
        } else {
            ok = vkshCmdArgvParse(&ctl, argc - optind, argv + optind, &cmds);
        }
        if (ok && cmds) {
            ok = vkshConnect(&ctl) && vkshCmdsRun(&ctl, cmds);
        }
        vkshCmdFree(cmds);
    }

    fflush(stdout);
    if (ctl.conn)
        virConnectClose(ctl.conn);
    vkshResetError();
    g_free(ctl.uri);
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
