/* vksh-help.c: the shell's own commands: help, echo, cd, pwd, connect, quit, exit */

#define G_LOG_DOMAIN "vksh.help"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vksh.h"

/* The option as the SYNOPSIS shows it. */
static char *
vkshOptSynopsis(const vkshOptDef *opt)
{
    const char *arg = opt->type == VKSH_OT_INT ? "<number>" : "<string>";

    if (opt->type == VKSH_OT_ARGV && (opt->flags & VKSH_OFLAG_ARGV_SHOWNAME) &&
        (opt->flags & VKSH_OFLAG_REQ))
        return g_strdup_printf("{[--%s] <string>}...", opt->name);
    if (opt->type == VKSH_OT_ARGV && (opt->flags & VKSH_OFLAG_ARGV_SHOWNAME))
        return g_strdup_printf("[[--%s] <string>]...", opt->name);
    if (opt->type == VKSH_OT_ARGV)
        return g_strdup_printf("[<%s>]...", opt->name);
    if (opt->flags & VKSH_OFLAG_REQ)
        return g_strdup_printf("<%s>", opt->name);
    if (opt->type == VKSH_OT_BOOL)
        return g_strdup_printf("[--%s]", opt->name);
    return g_strdup_printf("[--%s %s]", opt->name, arg);
}

/* The option as the OPTIONS section names it. */
static char *
vkshOptLabel(const vkshOptDef *opt)
{
    const char *arg = opt->type == VKSH_OT_INT ? "<number>" : "<string>";

    if (opt->type == VKSH_OT_ARGV && (opt->flags & VKSH_OFLAG_ARGV_SHOWNAME))
        return g_strdup_printf("[--%s] <string>", opt->name);
    if (opt->type == VKSH_OT_ARGV)
        return g_strdup_printf("<%s>", opt->name);
    if (opt->type == VKSH_OT_BOOL)
        return g_strdup_printf("--%s", opt->name);
    if (opt->flags & VKSH_OFLAG_REQ)
        return g_strdup_printf("[--%s] %s", opt->name, arg);
    return g_strdup_printf("--%s %s", opt->name, arg);
}

static void
vkshCmdDefHelp(vkshControl *ctl, const vkshCmdDef *def)
{
    vkshPrint(ctl, "  NAME\n    %s - %s\n\n  SYNOPSIS\n    %s", def->name, def->help,
              def->name);
    for (const vkshOptDef *opt = def->opts; opt && opt->name; opt++) {
        g_autofree char *syn = NULL;

        if (opt->type == VKSH_OT_ALIAS)
            continue;
        syn = vkshOptSynopsis(opt);

        vkshPrint(ctl, " %s", syn);
    }
    vkshPrint(ctl, "\n\n");

    if (def->desc && (def->flags & VKSH_CMD_FLAG_DESC_RAW)) {
        vkshPrint(ctl, "  DESCRIPTION\n    %s\n\n", def->desc);
    } else if (def->desc) {
        g_auto(GStrv) lines = g_strsplit(def->desc, "\n", 0);

        vkshPrint(ctl, "  DESCRIPTION\n");
        for (size_t i = 0; lines[i]; i++)
            vkshPrint(ctl, *lines[i] ? "    %s\n" : "%s\n",
                      lines[i]); /* virsh: "\n    " */
        vkshPrint(ctl, "\n");
    }

    if (def->opts && def->opts[0].name) {
        vkshPrint(ctl, "  OPTIONS\n");
        for (const vkshOptDef *opt = def->opts; opt->name; opt++) {
            g_autofree char *label = NULL;

            if (opt->type == VKSH_OT_ALIAS)
                continue;
            label = vkshOptLabel(opt);

            vkshPrint(ctl, "    %-15s  %s\n", label, opt->help);
        }
        vkshPrint(ctl, "\n");
    }
}

static void
vkshGroupHelp(vkshControl *ctl, const vkshCmdGroup *grp)
{
    vkshPrint(ctl, " %s (help keyword '%s'):\n", grp->name, grp->keyword);
    for (const vkshCmdDef *def = grp->cmds; def->name; def++)
        vkshPrint(ctl, "    %-30s %s\n", def->name, def->help);
}

static const vkshOptDef optsHelp[] = {
    { "command", VKSH_OT_STRING, 0,
      "Prints global help, command specific help, or help for a group of related commands" },
    { NULL, 0, 0, NULL },
};

static bool
cmdHelp(vkshControl *ctl, const vkshCmd *cmd)
{
    const vkshCmdDef *def;
    const char *name = NULL;

    /* An empty name asks for the global help, as with virsh. */
    name = vkshOptRaw(cmd, "command");
    if (!name || !*name) {
        vkshPrint(ctl, "Grouped commands:\n\n");
        for (const vkshCmdGroup *grp = vkshGroups; grp->name; grp++) {
            vkshGroupHelp(ctl, grp);
            vkshPrint(ctl, "\n");
        }
        return true;
    }
    if ((def = vkshCmdDefLookup(name))) {
        vkshCmdDefHelp(ctl, def);
        return true;
    }
    for (const vkshCmdGroup *grp = vkshGroups; grp->name; grp++) {
        if (strcmp(grp->keyword, name) == 0) {
            vkshGroupHelp(ctl, grp);
            return true;
        }
    }
    vkshError(ctl, "command or command group '%s' doesn't exist", name);
    return false;
}

static bool
cmdQuit(vkshControl *ctl, const vkshCmd *cmd)
{
    ctl->quit = true;
    return true;
}

static const vkshOptDef optsEcho[] = {
    { "shell", VKSH_OT_BOOL, 0, "escape for shell use" },
    { "xml", VKSH_OT_BOOL, 0, "escape for XML use" },
    { "split", VKSH_OT_BOOL, 0,
      "split each argument on ','; ',,' is an escape sequence" },
    { "err", VKSH_OT_BOOL, 0, "output to stderr" },
    { "string", VKSH_OT_ARGV, 0, "arguments to echo" },
    { NULL, 0, 0, NULL },
};

/* Appends @word to @buf, quoted for a POSIX shell when @shell (single
 * quotes, only when needed) or escaped for XML when @xml. */
static void
vkshEchoAppend(GString *buf, const char *word, bool shell, bool xml)
{
    if (shell) {
        if (*word && !strpbrk(word, "\r\t\n !\"#$&'()*;<>?[\\]^`{|}~")) {
            g_string_append(buf, word);
            return;
        }
        g_string_append_c(buf, '\'');
        for (const char *p = word; *p; p++) {
            if (*p == '\'')
                g_string_append(buf, "'\\''");
            else
                g_string_append_c(buf, *p);
        }
        g_string_append_c(buf, '\'');
    } else if (xml) {
        g_autofree char *escaped = g_markup_escape_text(word, -1);

        /* GLib writes &#39; for an apostrophe; XML users expect &apos;. */
        for (const char *p = escaped; *p; p++) {
            if (g_str_has_prefix(p, "&#39;")) {
                g_string_append(buf, "&apos;");
                p += strlen("&#39;") - 1;
            } else {
                g_string_append_c(buf, *p);
            }
        }
    } else {
        g_string_append(buf, word);
    }
}

/* Prints its arguments separated by spaces, with no newline of its own (the
 * line ends with the empty line every command is followed by). */
static bool
cmdEcho(vkshControl *ctl, const vkshCmd *cmd)
{
    bool shell = vkshOptBool(cmd, "shell");
    bool xml = vkshOptBool(cmd, "xml");
    bool split = vkshOptBool(cmd, "split");
    g_autoptr(GString) buf = g_string_new(NULL);

    if (!vkshOptExclusive(ctl, cmd, "shell", "xml"))
        return false;
    for (size_t i = 0; cmd->argv && i < cmd->argv->len; i++) {
        const char *arg = g_ptr_array_index(cmd->argv, i);

        if (i > 0)
            g_string_append_c(buf, ' ');
        if (!split) {
            vkshEchoAppend(buf, arg, shell, xml);
            continue;
        }
        /* Each ','-separated piece on its own line; ",," is a comma. */
        {
            g_autoptr(GString) piece = g_string_new(NULL);

            for (const char *p = arg;; p++) {
                if (*p == ',' && p[1] == ',') {
                    g_string_append_c(piece, ',');
                    p++;
                } else if (*p == ',' || !*p) {
                    vkshEchoAppend(buf, piece->str, shell, xml);
                    g_string_append_c(buf, '\n');
                    g_string_truncate(piece, 0);
                    if (!*p)
                        break;
                } else {
                    g_string_append_c(piece, *p);
                }
            }
        }
    }
    if (vkshOptBool(cmd, "err"))
        vkshError(ctl, "%s", buf->str);
    else
        vkshPrint(ctl, "%s", buf->str);
    return true;
}

static bool
cmdPwd(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autofree char *cwd = g_get_current_dir();

    vkshPrint(ctl, "%s\n", cwd);
    return true;
}

static const vkshOptDef optsCd[] = {
    { "dir", VKSH_OT_STRING, 0, "directory to switch to (default: home or else root)" },
    { NULL, 0, 0, NULL },
};

static bool
cmdCd(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *dir = NULL;
    int rc;

    if (!ctl->interactive) {
        vkshError(ctl, "%s", "cd: command valid only in interactive mode");
        return false;
    }
    if ((rc = vkshOptString(ctl, cmd, "dir", &dir)) < 0)
        return false;
    if (rc == 0)
        dir = g_getenv("HOME");
    if (!dir)
        dir = "/";
    if (chdir(dir) < 0) {
        vkshError(ctl, "cd: %s: %s", g_strerror(errno), dir);
        return false;
    }
    return true;
}

static const vkshOptDef optsConnect[] = {
    { "name", VKSH_OT_STRING, 0, "hypervisor connection URI" },
    { "readonly", VKSH_OT_BOOL, 0, "read-only connection" },
    { NULL, 0, 0, NULL },
};

/* Closes the connection and opens @name (or the current URI again).  On
 * failure there is no connection; the next command reconnects to the
 * previous URI. */
static bool
cmdConnect(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *name = NULL;
    g_autofree char *olduri = NULL;

    if (vkshOptString(ctl, cmd, "name", &name) < 0)
        return false;
    if (ctl->conn) {
        virConnectClose(ctl->conn);
        ctl->conn = NULL;
    }
    ctl->readonly = vkshOptBool(cmd, "readonly");
    if (name) {
        olduri = g_steal_pointer(&ctl->uri);
        ctl->uri = g_strdup(name);
    }
    if (!vkshConnect(ctl)) {
        if (name) {
            g_free(ctl->uri);
            ctl->uri = g_steal_pointer(&olduri);
        }
        return false;
    }
    return true;
}

const vkshCmdDef vkshSelfCmds[] = {
    { "cd", cmdCd, optsCd, "change the current directory",
      "Change the current directory.", VKSH_CMD_FLAG_NOCONNECT },
    { "echo", cmdEcho, optsEcho, "echo arguments. Used for internal testing.",
      "Echo back arguments, possibly with quoting. Used for internal testing.",
      VKSH_CMD_FLAG_NOCONNECT },
    { "exit", cmdQuit, NULL, "quit this interactive terminal", NULL,
      VKSH_CMD_FLAG_NOCONNECT },
    { "help", cmdHelp, optsHelp, "print help",
      "Prints global help, command specific help, or help for a\n"
      "group of related commands",
      VKSH_CMD_FLAG_IGNORE_REST | VKSH_CMD_FLAG_NOCONNECT },
    { "pwd", cmdPwd, NULL, "print the current directory", "Print the current directory.",
      VKSH_CMD_FLAG_NOCONNECT },
    { "quit", cmdQuit, NULL, "quit this interactive terminal", NULL,
      VKSH_CMD_FLAG_NOCONNECT },
    { "connect", cmdConnect, optsConnect, "(re)connect to hypervisor",
      "Connect to local hypervisor. This is built-in command after shell start up.",
      VKSH_CMD_FLAG_NOCONNECT },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
