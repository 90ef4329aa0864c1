/* vksh-change.c: commands that change a guest's definition: desc, metadata, domrename, setvcpus, vcpucount, blockresize */
#define G_LOG_DOMAIN "vksh.change"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vksh.h"

/* Every output below is virsh 9.0's (tools/virsh-domain.c), byte for byte. */

/* --config/--live/--current as virsh: current excludes both others. */
static bool
vkshChangeImpact(vkshControl *ctl, const vkshCmd *cmd, unsigned int *flags)
{
    if (!vkshOptExclusive(ctl, cmd, "current", "live") ||
        !vkshOptExclusive(ctl, cmd, "current", "config"))
        return false;
    *flags = VIR_DOMAIN_AFFECT_CURRENT;
    if (vkshOptBool(cmd, "config"))
        *flags |= VIR_DOMAIN_AFFECT_CONFIG;
    if (vkshOptBool(cmd, "live"))
        *flags |= VIR_DOMAIN_AFFECT_LIVE;
    return true;
}

/* ---- desc ---------------------------------------------------------------- */

const vkshOptDef vkshOptsDesc[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "live", VKSH_OT_BOOL, 0, "modify/get running state" },
    { "config", VKSH_OT_BOOL, 0, "modify/get persistent configuration" },
    { "current", VKSH_OT_BOOL, 0, "modify/get current state configuration" },
    { "title", VKSH_OT_BOOL, 0, "modify/get the title instead of description" },
    { "edit", VKSH_OT_BOOL, 0, "open an editor to modify the description" },
    { "new-desc", VKSH_OT_ARGV, VKSH_OFLAG_ARGV_SHOWNAME, "message" },
    { NULL, 0, 0, NULL },
};

/* virsh's virshGetDomainDescription: "" when there is none. */
static char *
vkshGetDescription(virDomainPtr dom, bool title, unsigned int flags)
{
    char *desc = virDomainGetMetadata(
        dom, title ? VIR_DOMAIN_METADATA_TITLE : VIR_DOMAIN_METADATA_DESCRIPTION, NULL,
        flags);

    if (desc)
        return desc;
    if (vkshLastErrorCode() == VIR_ERR_NO_DOMAIN_METADATA) {
        vkshResetError();
        return g_strdup("");
    }
    return NULL;
}

/* virsh's edit helpers: @text in a temporary file, $VISUAL / $EDITOR / vi
 * run on it through the shell, the result read back. NULL after an error. */
static char *
vkshEditText(vkshControl *ctl, const char *text)
{
    const char *editor = g_getenv("VISUAL");
    g_autofree char *path = NULL;
    g_autofree char *quoted = NULL;
    g_autofree char *cmdline = NULL;
    g_autoptr(GError) err = NULL;
    char *edited = NULL;
    int fd;
    int status = 0;

    if (!editor || !*editor)
        editor = g_getenv("EDITOR");
    if (!editor || !*editor)
        editor = "vi";
    if ((fd = g_file_open_tmp("virshXXXXXX.xml", &path, &err)) < 0) {
        vkshError(ctl, "failed to create temporary file: %s", err->message);
        return NULL;
    }
    close(fd);
    if (!g_file_set_contents(path, text, -1, &err)) {
        vkshError(ctl, "failed to write to temporary file: %s", err->message);
        goto cleanup;
    }
    quoted = g_shell_quote(path);
    cmdline = g_strdup_printf("%s %s", editor, quoted);
    if (!g_spawn_sync(NULL, (char *[]){ "sh", "-c", cmdline, NULL }, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL,
                      NULL, NULL, &status, &err)) {
        vkshError(ctl, "internal error: Child process (%s) unexpected exit status 127",
                  cmdline);
        goto cleanup;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFEXITED(status))
            vkshError(ctl,
                      "internal error: Child process (%s %s) unexpected exit status %d",
                      editor, path, WEXITSTATUS(status));
        else
            vkshError(ctl,
                      "internal error: Child process (%s %s) unexpected fatal signal %d",
                      editor, path, WTERMSIG(status));
        goto cleanup;
    }
    if (!g_file_get_contents(path, &edited, NULL, &err))
        vkshError(ctl, "%s: failed to read temporary file", path);

cleanup:
    unlink(path);
    return edited;
}

bool
vkshCmdDesc(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    bool title = vkshOptBool(cmd, "title");
    bool edit = vkshOptBool(cmd, "edit");
    unsigned int flags;
    unsigned int queryflags = 0;
    g_autofree char *descArg = NULL;
    int type = title ? VIR_DOMAIN_METADATA_TITLE : VIR_DOMAIN_METADATA_DESCRIPTION;

    if (!vkshChangeImpact(ctl, cmd, &flags))
        return false;
    if (flags & VIR_DOMAIN_AFFECT_CONFIG)
        queryflags |= VIR_DOMAIN_XML_INACTIVE;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;

    if (cmd->argv && cmd->argv->len > 0) {
        GString *buf = g_string_new(NULL);

        for (guint i = 0; i < cmd->argv->len; i++)
            g_string_append_printf(buf, "%s ",
                                   (const char *)g_ptr_array_index(cmd->argv, i));
        /* virBufferTrim(&buf, " "): every trailing space */
        while (buf->len && buf->str[buf->len - 1] == ' ')
            g_string_truncate(buf, buf->len - 1);
        descArg = g_string_free(buf, FALSE);
    }

    if (edit || descArg) {
        g_autofree char *descDom = NULL;

        if (!(descDom = vkshGetDescription(dom, title, queryflags)))
            return false;
        if (!descArg)
            descArg = g_strdup(descDom);
        if (edit) {
            g_autofree char *edited = vkshEditText(ctl, descArg);
            char *nl;

            if (!edited)
                return false;
            /* some editors enforce a final newline: not for a title */
            if (title && (nl = strrchr(edited, '\n')) && nl[1] == '\0')
                *nl = '\0';
            if (strcmp(edited, descDom) == 0) {
                vkshPrintExtra(ctl, "%s",
                               title ? "Domain title not changed\n"
                                     : "Domain description not changed\n");
                return true;
            }
            g_free(descArg);
            descArg = g_steal_pointer(&edited);
        }
        if (virDomainSetMetadata(dom, type, descArg, NULL, NULL, flags) < 0) {
            vkshError(ctl, "%s",
                      title ? "Failed to set new domain title"
                            : "Failed to set new domain description");
            return false;
        }
        vkshPrintExtra(ctl, "%s",
                       title ? "Domain title updated successfully"
                             : "Domain description updated successfully");
    } else {
        g_autofree char *desc = vkshGetDescription(dom, title, queryflags);

        if (!desc)
            return false;
        if (*desc)
            vkshPrint(ctl, "%s", desc);
        else
            vkshPrintExtra(
                ctl, title ? "No title for domain: %s" : "No description for domain: %s",
                virDomainGetName(dom));
    }
    return true;
}

/* ---- metadata ------------------------------------------------------------ */

const vkshOptDef vkshOptsMetadata[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "uri", VKSH_OT_STRING, VKSH_OFLAG_REQ, "URI of the namespace" },
    { "live", VKSH_OT_BOOL, 0, "modify/get running state" },
    { "config", VKSH_OT_BOOL, 0, "modify/get persistent configuration" },
    { "current", VKSH_OT_BOOL, 0, "modify/get current state configuration" },
    { "edit", VKSH_OT_BOOL, 0, "use an editor to change the metadata" },
    { "key", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "key to be used as a namespace identifier" },
    { "set", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "new metadata to set" },
    { "remove", VKSH_OT_BOOL, 0, "remove the metadata corresponding to an uri" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdMetadata(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    bool edit = vkshOptBool(cmd, "edit");
    bool rem = vkshOptBool(cmd, "remove");
    const char *set = NULL;
    const char *uri = NULL;
    const char *key = NULL;
    unsigned int flags;

    if (!vkshChangeImpact(ctl, cmd, &flags) ||
        !vkshOptExclusive(ctl, cmd, "edit", "set") ||
        !vkshOptExclusive(ctl, cmd, "remove", "set") ||
        !vkshOptExclusive(ctl, cmd, "remove", "edit"))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "uri", &uri) < 0 ||
        vkshOptString(ctl, cmd, "key", &key) < 0 ||
        vkshOptString(ctl, cmd, "set", &set) < 0)
        return false;
    if ((set || edit) && !key) {
        vkshError(ctl, "%s", "namespace key is required when modifying metadata");
        return false;
    }

    if (set || rem) {
        if (virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, set, key, uri, flags) <
            0)
            return false;
        vkshPrintExtra(ctl, "%s\n", rem ? "Metadata removed" : "Metadata modified");
    } else if (edit) {
        g_autofree char *current = NULL;
        g_autofree char *edited = NULL;

        current = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, uri, flags);
        if (!current) {
            if (vkshLastErrorCode() != VIR_ERR_NO_DOMAIN_METADATA)
                return false;
            vkshResetError();
            current = g_strdup("\n");
        }
        if (!(edited = vkshEditText(ctl, current)))
            return false;
        if (strcmp(edited, current) == 0) {
            vkshPrintExtra(ctl, "%s", "Metadata not changed");
            return true;
        }
        /* virsh's edit loop: a refused document is "Failed." (no question
         * asked without a terminal), and the command still reports a change */
        if (virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, edited, key, uri,
                                 flags) < 0) {
            vkshResetError();
            vkshError(ctl, "%s", "Failed.");
        }
        vkshPrintExtra(ctl, "%s\n", "Metadata modified");
    } else {
        g_autofree char *data =
            virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, uri, flags);

        if (!data)
            return false;
        vkshPrint(ctl, "%s\n", data);
    }
    return true;
}

/* ---- domrename ----------------------------------------------------------- */

const vkshOptDef vkshOptsDomrename[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name or uuid" },
    { "new-name", VKSH_OT_STRING, VKSH_OFLAG_REQ, "new domain name" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdDomrename(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *newName = NULL;

    if (!(dom = vkshCommandOptDomainBy(ctl, cmd, "domain", NULL,
                                       VKSH_BYUUID | VKSH_BYNAME)))
        return false;
    if (vkshOptString(ctl, cmd, "new-name", &newName) < 0)
        return false;
    if (virDomainRename(dom, newName, 0) < 0)
        return false;
    vkshPrintExtra(ctl, "%s\n", "Domain successfully renamed");
    return true;
}
