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
char *
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

/* ---- setvcpus / vcpucount ------------------------------------------------ */

/* virsh's vshCommandOptUInt (no wrap): 1 and *value, 0 absent, -1 reported */
static int
vkshOptUInt(vkshControl *ctl, const vkshCmd *cmd, const char *name, unsigned int *value)
{
    const char *v = vkshOptRaw(cmd, name);
    char *end = NULL;
    unsigned long long n;

    if (!v)
        return 0;
    errno = 0;
    n = strtoull(v, &end, 10);
    if (!*v || *end || errno || n > UINT_MAX || strchr(v, '-')) {
        vkshError(ctl, "Numeric value '%s' for <%s> option is malformed or out of range",
                  v, name);
        return -1;
    }
    *value = (unsigned int)n;
    return 1;
}

const vkshOptDef vkshOptsSetvcpus[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "count", VKSH_OT_INT, VKSH_OFLAG_REQ, "number of virtual CPUs" },
    { "maximum", VKSH_OT_BOOL, 0, "set maximum limit on next boot" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { "guest", VKSH_OT_BOOL, 0, "modify cpu state in the guest" },
    { "hotpluggable", VKSH_OT_BOOL, 0, "make added vcpus hot(un)pluggable" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdSetvcpus(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    bool current = vkshOptBool(cmd, "current");
    unsigned int count = 0;
    unsigned int flags;

    if (!vkshChangeImpact(ctl, cmd, &flags) ||
        !vkshOptExclusive(ctl, cmd, "guest", "config"))
        return false;
    if (vkshOptBool(cmd, "maximum") && !vkshOptBool(cmd, "config")) {
        vkshError(ctl, "Option --%s is required by option --%s", "config", "maximum");
        return false;
    }
    if (vkshOptBool(cmd, "guest"))
        flags |= VIR_DOMAIN_VCPU_GUEST;
    if (vkshOptBool(cmd, "maximum"))
        flags |= VIR_DOMAIN_VCPU_MAXIMUM;
    if (vkshOptBool(cmd, "hotpluggable"))
        flags |= VIR_DOMAIN_VCPU_HOTPLUGGABLE;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptUInt(ctl, cmd, "count", &count) < 0)
        return false;
    if (count == 0) {
        vkshError(ctl, "%s", "Can't set 0 processors for a VM");
        return false;
    }
    /* none of the options: the old call */
    if (!current && flags == 0)
        return virDomainSetVcpus(dom, count) == 0;
    return virDomainSetVcpusFlags(dom, count, flags) == 0;
}

const vkshOptDef vkshOptsSetvcpu[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "vcpulist", VKSH_OT_STRING, VKSH_OFLAG_REQ, "ids of vcpus to manipulate" },
    { "enable", VKSH_OT_BOOL, 0, "enable cpus specified by cpumap" },
    { "disable", VKSH_OT_BOOL, 0, "disable cpus specified by cpumap" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdSetvcpu(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    bool enable = vkshOptBool(cmd, "enable");
    const char *vcpulist = NULL;
    unsigned int flags;

    if (!vkshOptExclusive(ctl, cmd, "enable", "disable") ||
        !vkshChangeImpact(ctl, cmd, &flags))
        return false;
    if (!enable && !vkshOptBool(cmd, "disable")) {
        vkshError(ctl, "%s", "one of --enable, --disable is required");
        return false;
    }
    if (vkshOptString(ctl, cmd, "vcpulist", &vcpulist) < 0)
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    return virDomainSetVcpu(dom, vcpulist, enable ? 1 : 0, flags) == 0;
}

const vkshOptDef vkshOptsVcpucount[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "maximum", VKSH_OT_BOOL, 0, "get maximum count of vcpus" },
    { "active", VKSH_OT_BOOL, 0, "get number of currently active vcpus" },
    { "live", VKSH_OT_BOOL, 0, "get value from running domain" },
    { "config", VKSH_OT_BOOL, 0, "get value to be used on next boot" },
    { "current", VKSH_OT_BOOL, 0, "get value according to current domain state" },
    { "guest", VKSH_OT_BOOL, 0,
      "retrieve vcpu count from the guest instead of the hypervisor" },
    { NULL, 0, 0, NULL },
};

/* virsh's virshCPUCountCollect: -2 when @checkState finds the state does
 * not apply; the old calls when the new one is not supported or refuses
 * the flags; -1 on failure with the library error kept for the report. */
static int
vkshCPUCountCollect(vkshControl *ctl, virDomainPtr dom, unsigned int flags,
                    bool checkState)
{
    int ret;
    int code;

    if (checkState &&
        (((flags & VIR_DOMAIN_AFFECT_LIVE) && virDomainIsActive(dom) < 1) ||
         ((flags & VIR_DOMAIN_AFFECT_CONFIG) && virDomainIsPersistent(dom) < 1)))
        return -2;
    if ((ret = virDomainGetVcpusFlags(dom, flags)) >= 0)
        return ret;
    code = vkshLastErrorCode();
    if (code != VIR_ERR_NO_SUPPORT && code != VIR_ERR_INVALID_ARG)
        return -1;
    if (flags & VIR_DOMAIN_VCPU_GUEST) {
        vkshError(ctl, "%s", "Failed to retrieve vCPU count from the guest");
        return -1;
    }
    /* --current needs the new call: the state is not known here */
    if (!(flags & (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)))
        return -1;
    vkshResetError();
    ret = -1;
    if (flags & VIR_DOMAIN_AFFECT_LIVE) {
        virDomainInfo info;

        if (flags & VIR_DOMAIN_VCPU_MAXIMUM)
            ret = virDomainGetMaxVcpus(dom);
        else if (virDomainGetInfo(dom, &info) == 0)
            ret = info.nrVirtCpu;
    } else {
        g_autofree char *xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
        const char *v = xml ? strstr(xml, "<vcpu") : NULL;
        const char *cur = v ? strstr(v, "current='") : NULL;
        const char *end = v ? strchr(v, '>') : NULL;

        if (v && end) {
            if (!(flags & VIR_DOMAIN_VCPU_MAXIMUM) && cur && cur < end)
                ret = atoi(cur + strlen("current='"));
            else
                ret = atoi(end + 1);
        }
    }
    return ret;
}

bool
vkshCmdVcpucount(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    bool maximum = vkshOptBool(cmd, "maximum");
    bool active = vkshOptBool(cmd, "active");
    bool config = vkshOptBool(cmd, "config");
    bool live = vkshOptBool(cmd, "live");
    bool current = vkshOptBool(cmd, "current");
    bool guest = vkshOptBool(cmd, "guest");
    bool all = !maximum && !active && !current && !config && !live && !guest;
    unsigned int flags = VIR_DOMAIN_AFFECT_CURRENT;

    /* virsh's compatibility: --current alone used to mean "not --maximum" */
    if (!maximum && !active && current)
        current = false;
    if (current && live) {
        vkshError(ctl, "Options --%s and --%s are mutually exclusive", "current", "live");
        return false;
    }
    if (current && config) {
        vkshError(ctl, "Options --%s and --%s are mutually exclusive", "current",
                  "config");
        return false;
    }
    if (!vkshOptExclusive(ctl, cmd, "live", "config") ||
        !vkshOptExclusive(ctl, cmd, "active", "maximum") ||
        !vkshOptExclusive(ctl, cmd, "guest", "config"))
        return false;
    if (live)
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    if (config)
        flags |= VIR_DOMAIN_AFFECT_CONFIG;
    if (maximum)
        flags |= VIR_DOMAIN_VCPU_MAXIMUM;
    if (guest)
        flags |= VIR_DOMAIN_VCPU_GUEST;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;

    if (all) {
        int confMax = vkshCPUCountCollect(
            ctl, dom, VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_VCPU_MAXIMUM, true);
        int confCur = vkshCPUCountCollect(ctl, dom, VIR_DOMAIN_AFFECT_CONFIG, true);
        int liveMax = vkshCPUCountCollect(
            ctl, dom, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_VCPU_MAXIMUM, true);
        int liveCur = vkshCPUCountCollect(ctl, dom, VIR_DOMAIN_AFFECT_LIVE, true);

        if (confMax == -1 || confCur == -1 || liveMax == -1 || liveCur == -1)
            return false;
        if (confMax > 0)
            vkshPrint(ctl, "%-12s %-12s %3d\n", "maximum", "config", confMax);
        if (liveMax > 0)
            vkshPrint(ctl, "%-12s %-12s %3d\n", "maximum", "live", liveMax);
        if (confCur > 0)
            vkshPrint(ctl, "%-12s %-12s %3d\n", "current", "config", confCur);
        if (liveCur > 0)
            vkshPrint(ctl, "%-12s %-12s %3d\n", "current", "live", liveCur);
    } else {
        int count = vkshCPUCountCollect(ctl, dom, flags, false);

        if (count < 0)
            return false;
        vkshPrint(ctl, "%d\n", count);
    }
    return true;
}

/* ---- blockresize --------------------------------------------------------- */

/* virsh's vshCommandOptScaledInt(ctl, cmd, "size", &bytes, 1024,
 * ULLONG_MAX): libvirt's virScaleInteger suffixes; false after virsh's
 * messages. */
static bool
vkshOptSizeBytes(vkshControl *ctl, const vkshCmd *cmd, unsigned long long *bytes)
{
    const char *str = vkshOptRaw(cmd, "size");
    unsigned long long value, scale = 1024;
    char *end = NULL;

    if (!str)
        return false;
    errno = 0;
    if (*str == '-' || !g_ascii_isdigit(*str) ||
        ((value = strtoull(str, &end, 10)), errno != 0))
        goto malformed;
    if (*end) {
        unsigned long long base = 1024;
        int power;
        const char *units = "bkmgtpe";
        const char *u = strchr(units, g_ascii_tolower(end[0]));

        if (end[1] && g_ascii_strcasecmp(end + 1, "iB") == 0)
            base = 1024;
        else if (end[1] && g_ascii_tolower(end[1]) == 'b' && !end[2])
            base = 1000;
        else if (end[1])
            u = NULL;
        if (!u || !end[0] || (*u == 'b' && end[1])) {
            vkshError(
                ctl,
                "Scaled numeric value '%s' for <size> option is malformed or out of "
                "range",
                str);
            vkshError(ctl, "invalid argument: unknown suffix '%s'", end);
            return false;
        }
        power = (int)(u - units);
        scale = 1;
        while (power--)
            scale *= base;
    }
    if (value && value > ULLONG_MAX / scale)
        goto malformed;
    *bytes = value * scale;
    return true;

malformed:
    vkshError(ctl,
              "Scaled numeric value '%s' for <size> option is malformed or out of range",
              str);
    return false;
}

const vkshOptDef vkshOptsBlockresize[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "path", VKSH_OT_STRING, VKSH_OFLAG_REQ, "Fully-qualified path of block device" },
    { "size", VKSH_OT_INT, VKSH_OFLAG_REQ,
      "New size of the block device, as scaled integer (default KiB)" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdBlockresize(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *path = NULL;
    unsigned long long size = 0;
    unsigned int flags = 0;

    if (vkshOptString(ctl, cmd, "path", &path) < 0)
        return false;
    if (!vkshOptSizeBytes(ctl, cmd, &size))
        return false;
    /* virsh prefers the older KiB interface */
    if (size % 1024 == 0)
        size /= 1024;
    else
        flags |= VIR_DOMAIN_BLOCK_RESIZE_BYTES;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (virDomainBlockResize(dom, path, size, flags) < 0) {
        vkshError(ctl, "Failed to resize block device '%s'", path);
        return false;
    }
    vkshPrintExtra(ctl, "Block device '%s' is resized", path);
    return true;
}
