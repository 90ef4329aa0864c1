/* vksh-help.c: the shell's own commands: help, quit, exit */
#include <string.h>

#include "vksh.h"

/* The option as the SYNOPSIS shows it. */
static char *
vkshOptSynopsis(const vkshOptDef *opt)
{
    const char *arg = opt->type == VKSH_OT_INT ? "<number>" : "<string>";

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

    if (opt->type == VKSH_OT_BOOL)
        return g_strdup_printf("--%s", opt->name);
    if (opt->flags & VKSH_OFLAG_REQ)
        return g_strdup_printf("[--%s] %s", opt->name, arg);
    return g_strdup_printf("--%s %s", opt->name, arg);
}

static void
vkshCmdDefHelp(vkshControl *ctl, const vkshCmdDef *def)
{
    vkshPrint(ctl, "  NAME\n    %s - %s\n\n  SYNOPSIS\n    %s", def->name, def->help, def->name);
    for (const vkshOptDef *opt = def->opts; opt && opt->name; opt++) {
        g_autofree char *syn = vkshOptSynopsis(opt);

        vkshPrint(ctl, " %s", syn);
    }
    vkshPrint(ctl, "\n\n");

    if (def->desc) {
        g_auto(GStrv) lines = g_strsplit(def->desc, "\n", 0);

        vkshPrint(ctl, "  DESCRIPTION\n");
        for (size_t i = 0; lines[i]; i++)
            vkshPrint(ctl, "    %s\n", lines[i]);
        vkshPrint(ctl, "\n");
    }

    if (def->opts && def->opts[0].name) {
        vkshPrint(ctl, "  OPTIONS\n");
        for (const vkshOptDef *opt = def->opts; opt->name; opt++) {
            g_autofree char *label = vkshOptLabel(opt);

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

const vkshCmdDef vkshSelfCmds[] = {
    { "exit", cmdQuit, NULL, "quit this interactive terminal", NULL, 0 },
    { "help", cmdHelp, optsHelp, "print help",
      "Prints global help, command specific help, or help for a\n"
      "group of related commands", VKSH_CMD_FLAG_IGNORE_REST },
    { "quit", cmdQuit, NULL, "quit this interactive terminal", NULL, 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
