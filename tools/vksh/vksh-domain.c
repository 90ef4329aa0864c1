/* vksh-domain.c: domain management commands (define, start, destroy, dumpxml, ...) */

#define G_LOG_DOMAIN "vksh.domain"
#include <string.h>

#include "vksh.h"
#include "vksh-xml.h"

static const vkshOptDef optsDomainOnly[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { NULL, 0, 0, NULL },
};

/* True when @flags is not empty and the last call failed because the driver
 * does not know some flag (so a call without them may be tried). */
static bool
vkshFlagsRejected(unsigned int flags)
{
    int code = vkshLastErrorCode();

    return flags && (code == VIR_ERR_NO_SUPPORT || code == VIR_ERR_INVALID_ARG);
}

/* ---- define / undefine / create ------------------------------------------ */

static const vkshOptDef optsDefine[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "file containing an XML domain description" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL, 0, 0, NULL },
};

static bool
cmdDefine(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    unsigned int flags = 0;

    if (vkshOptString(ctl, cmd, "file", &file) <= 0)
        return false;
    if (vkshOptBool(cmd, "validate"))
        flags |= VIR_DOMAIN_DEFINE_VALIDATE;
    if (!(xml = vkshReadFile(ctl, file)))
        return false;

    if (flags)
        dom = virDomainDefineXMLFlags(ctl->conn, xml, flags);
    else
        dom = virDomainDefineXML(ctl->conn, xml);
    if (!dom) {
        vkshError(ctl, "Failed to define domain from %s", file);
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' defined from %s\n", virDomainGetName(dom), file);
    return true;
}

static const vkshOptDef optsUndefine[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "managed-save", VKSH_OT_BOOL, 0, "remove domain managed state file" },
    { "storage", VKSH_OT_STRING, 0,
      "remove associated storage volumes (comma separated list of targets or "
      "source paths) (see domblklist)" },
    { "remove-all-storage", VKSH_OT_BOOL, 0,
      "remove all associated storage volumes (use with caution)" },
    { "delete-storage-volume-snapshots", VKSH_OT_BOOL, 0,
      "delete snapshots associated with volume(s), requires --remove-all-storage "
      "(must be supported by storage driver)" },
    { "wipe-storage", VKSH_OT_BOOL, 0, "wipe data on the removed volumes" },
    { "snapshots-metadata", VKSH_OT_BOOL, 0,
      "remove all domain snapshot metadata (vm must be inactive)" },
    { "checkpoints-metadata", VKSH_OT_BOOL, 0,
      "remove all domain checkpoint metadata (vm must be inactive)" },
    { "nvram", VKSH_OT_BOOL, 0, "remove nvram file" },
    { "keep-nvram", VKSH_OT_BOOL, 0, "keep nvram file" },
    { "tpm", VKSH_OT_BOOL, 0, "remove TPM state" },
    { "keep-tpm", VKSH_OT_BOOL, 0, "keep TPM state" },
    { NULL, 0, 0, NULL },
};

static bool
cmdUndefine(vkshControl *ctl, const vkshCmd *cmd)
{
    static const struct {
        const char *opt;
        unsigned int flag;
    } flagOpts[] = {
        { "managed-save", VIR_DOMAIN_UNDEFINE_MANAGED_SAVE },
        { "snapshots-metadata", VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA },
        { "checkpoints-metadata", VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA },
        { "nvram", VIR_DOMAIN_UNDEFINE_NVRAM },
        { "keep-nvram", VIR_DOMAIN_UNDEFINE_KEEP_NVRAM },
        { "tpm", VIR_DOMAIN_UNDEFINE_TPM },
        { "keep-tpm", VIR_DOMAIN_UNDEFINE_KEEP_TPM },
    };
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;
    unsigned int flags = 0;
    int rc;

    if (!vkshOptExclusive(ctl, cmd, "nvram", "keep-nvram") ||
        !vkshOptExclusive(ctl, cmd, "tpm", "keep-tpm"))
        return false;
    if (vkshOptBool(cmd, "delete-storage-volume-snapshots") &&
        !vkshOptBool(cmd, "remove-all-storage")) {
        vkshError(ctl, "%s",
                  "Option --delete-storage-volume-snapshots requires "
                  "--remove-all-storage");
        return false;
    }
    if (vkshOptBool(cmd, "storage") || vkshOptBool(cmd, "remove-all-storage") ||
        vkshOptBool(cmd, "wipe-storage")) {
        /* Removing volumes needs the storage API, which virtkit lacks. */
        vkshError(ctl, "%s", "removing storage volumes is not supported by vksh");
        return false;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(flagOpts); i++) {
        if (vkshOptBool(cmd, flagOpts[i].opt))
            flags |= flagOpts[i].flag;
    }

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;

    if (flags)
        rc = virDomainUndefineFlags(dom, flags);
    else
        rc = virDomainUndefine(dom);
    if (rc < 0 && !(flags & VIR_DOMAIN_UNDEFINE_NVRAM) && vkshFlagsRejected(flags) &&
        !((flags & VIR_DOMAIN_UNDEFINE_MANAGED_SAVE) &&
          virDomainHasManagedSaveImage(dom, 0) > 0)) {
        /* A driver that rejects these flags keeps no such metadata or
         * state, so the plain undefine does what was asked (virsh falls
         * back the same way).  Removing NVRAM, or a managed save image
         * that exists, cannot be emulated: that error stands. */
        vkshResetError();
        rc = virDomainUndefine(dom);
    }
    if (rc < 0 && !(flags & VIR_DOMAIN_UNDEFINE_MANAGED_SAVE) &&
        virDomainHasManagedSaveImage(dom, 0) > 0) {
        /* virsh's fallback path: its own message, the driver's dropped */
        vkshResetError();
        vkshError(ctl, "%s",
                  "Refusing to undefine while domain managed save image exists");
        return false;
    }
    if (rc < 0) {
        vkshError(ctl, "Failed to undefine domain '%s'", name);
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' has been undefined\n", name);
    return true;
}

static const vkshOptDef optsCreate[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "file containing an XML domain description" },
    { "console", VKSH_OT_BOOL, 0, "attach to console after creation" },
    { "paused", VKSH_OT_BOOL, 0, "leave the guest paused after creation" },
    { "autodestroy", VKSH_OT_BOOL, 0,
      "automatically destroy the guest when virsh disconnects" },
    { "pass-fds", VKSH_OT_STRING, 0, "pass file descriptors N,M,... to the guest" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { "reset-nvram", VKSH_OT_BOOL, 0, "re-initialize NVRAM from its pristine template" },
    { NULL, 0, 0, NULL },
};

/* Options that need APIs virtkit does not offer (consoles, fd passing). */
static bool
vkshRejectUnsupported(vkshControl *ctl, const vkshCmd *cmd)
{
    if (vkshOptBool(cmd, "console")) {
        vkshError(ctl, "%s", "--console is not supported by vksh");
        return false;
    }
    if (vkshOptBool(cmd, "pass-fds")) {
        vkshError(ctl, "%s", "--pass-fds is not supported by vksh");
        return false;
    }
    return true;
}

static bool
cmdCreate(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    unsigned int flags = 0;

    if (vkshOptString(ctl, cmd, "file", &file) <= 0)
        return false;
    if (!vkshRejectUnsupported(ctl, cmd))
        return false;
    if (vkshOptBool(cmd, "paused"))
        flags |= VIR_DOMAIN_START_PAUSED;
    if (vkshOptBool(cmd, "autodestroy"))
        flags |= VIR_DOMAIN_START_AUTODESTROY;
    if (vkshOptBool(cmd, "validate"))
        flags |= VIR_DOMAIN_START_VALIDATE;
    if (vkshOptBool(cmd, "reset-nvram"))
        flags |= VIR_DOMAIN_START_RESET_NVRAM;
    if (!(xml = vkshReadFile(ctl, file)))
        return false;

    if (!(dom = virDomainCreateXML(ctl->conn, xml, flags))) {
        vkshError(ctl, "Failed to create domain from %s", file);
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' created from %s\n", virDomainGetName(dom), file);
    return true;
}

/* ---- start / stop ----------------------------------------------------------- */

static const vkshOptDef optsStart[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "name of the inactive domain" },
    { "console", VKSH_OT_BOOL, 0, "attach to console after creation" },
    { "paused", VKSH_OT_BOOL, 0, "leave the guest paused after creation" },
    { "autodestroy", VKSH_OT_BOOL, 0,
      "automatically destroy the guest when virsh disconnects" },
    { "bypass-cache", VKSH_OT_BOOL, 0, "avoid file system cache when loading" },
    { "force-boot", VKSH_OT_BOOL, 0, "force fresh boot by discarding any managed save" },
    { "pass-fds", VKSH_OT_STRING, 0, "pass file descriptors N,M,... to the guest" },
    { "reset-nvram", VKSH_OT_BOOL, 0, "re-initialize NVRAM from its pristine template" },
    { NULL, 0, 0, NULL },
};

static bool
cmdStart(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;
    unsigned int flags = 0;
    int rc;

    if (!(dom = vkshCommandOptDomainBy(ctl, cmd, "domain", &name,
                                       VKSH_BYNAME | VKSH_BYUUID)))
        return false;
    if (virDomainGetID(dom) != (unsigned int)-1) {
        vkshError(ctl, "%s", "Domain is already active");
        return false;
    }
    if (!vkshRejectUnsupported(ctl, cmd))
        return false;
    if (vkshOptBool(cmd, "paused"))
        flags |= VIR_DOMAIN_START_PAUSED;
    if (vkshOptBool(cmd, "autodestroy"))
        flags |= VIR_DOMAIN_START_AUTODESTROY;
    if (vkshOptBool(cmd, "bypass-cache"))
        flags |= VIR_DOMAIN_START_BYPASS_CACHE;
    if (vkshOptBool(cmd, "force-boot"))
        flags |= VIR_DOMAIN_START_FORCE_BOOT;
    if (vkshOptBool(cmd, "reset-nvram"))
        flags |= VIR_DOMAIN_START_RESET_NVRAM;

    rc = flags ? virDomainCreateWithFlags(dom, flags) : virDomainCreate(dom);
    if (rc < 0 && vkshFlagsRejected(flags & VIR_DOMAIN_START_FORCE_BOOT) &&
        virDomainHasManagedSaveImage(dom, 0) == 0) {
        /* Force boot only means "ignore the managed save image"; with
         * none, a driver that rejects the flag boots the same way. */
        vkshResetError();
        flags &= ~VIR_DOMAIN_START_FORCE_BOOT;
        rc = flags ? virDomainCreateWithFlags(dom, flags) : virDomainCreate(dom);
    }
    if (rc < 0) {
        vkshError(ctl, "Failed to start domain '%s'", virDomainGetName(dom));
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' started\n", virDomainGetName(dom));
    return true;
}

static const vkshOptDef optsShutdown[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "mode", VKSH_OT_STRING, 0, "shutdown mode: acpi|agent|initctl|signal|paravirt" },
    { NULL, 0, 0, NULL },
};

/* Turns "acpi,agent" into shutdown/reboot flag bits (the same values for
 * both APIs).  Returns false after reporting an unknown mode. */
static bool
vkshParseShutdownMode(vkshControl *ctl, const vkshCmd *cmd, unsigned int *flags)
{
    static const char *const modes[] = { "acpi", "agent", "initctl", "signal",
                                         "paravirt" };
    g_auto(GStrv) parts = NULL;
    const char *mode = NULL;
    int rc;

    *flags = 0;
    if ((rc = vkshOptString(ctl, cmd, "mode", &mode)) < 0)
        return false;
    if (rc == 0)
        return true;
    parts = g_strsplit(mode, ",", 0);
    for (size_t i = 0; parts[i]; i++) {
        size_t m;

        for (m = 0; m < G_N_ELEMENTS(modes); m++) {
            if (strcmp(parts[i], modes[m]) == 0)
                break;
        }
        if (m == G_N_ELEMENTS(modes)) {
            vkshError(ctl,
                      "Unknown mode %s value, expecting "
                      "'acpi', 'agent', 'initctl', 'signal', or 'paravirt'",
                      parts[i]);
            return false;
        }
        *flags |= 1U << m;
    }
    return true;
}

static bool
cmdShutdown(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;
    unsigned int flags;
    int rc;

    if (!vkshParseShutdownMode(ctl, cmd, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (flags)
        rc = virDomainShutdownFlags(dom, flags);
    else
        rc = virDomainShutdown(dom);
    if (rc < 0) {
        vkshError(ctl, "Failed to shutdown domain '%s'", name);
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' is being shutdown\n", name);
    return true;
}

static bool
cmdReboot(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;
    unsigned int flags;

    if (!vkshParseShutdownMode(ctl, cmd, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (virDomainReboot(dom, flags) < 0) {
        vkshError(ctl, "Failed to reboot domain '%s'", name);
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' is being rebooted\n", name);
    return true;
}

static bool
cmdReset(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (virDomainReset(dom, 0) < 0) {
        vkshError(ctl, "Failed to reset domain '%s'", name);
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' was reset\n", name);
    return true;
}

static const vkshOptDef optsDestroy[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "graceful", VKSH_OT_BOOL, 0, "terminate gracefully" },
    { "remove-logs", VKSH_OT_BOOL, 0, "remove domain logs" },
    { NULL, 0, 0, NULL },
};

static bool
cmdDestroy(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;
    unsigned int flags = 0;
    int rc;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (vkshOptBool(cmd, "graceful"))
        flags |= VIR_DOMAIN_DESTROY_GRACEFUL;
    if (vkshOptBool(cmd, "remove-logs"))
        flags |= VIR_DOMAIN_DESTROY_REMOVE_LOGS;
    if (flags)
        rc = virDomainDestroyFlags(dom, flags);
    else
        rc = virDomainDestroy(dom);
    if (rc < 0) {
        vkshError(ctl, "Failed to destroy domain '%s'", name);
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' destroyed\n", name);
    return true;
}

static bool
cmdSuspend(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (virDomainSuspend(dom) < 0) {
        vkshError(ctl, "Failed to suspend domain '%s'", name);
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' suspended\n", name);
    return true;
}

static bool
cmdResume(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (virDomainResume(dom) < 0) {
        vkshError(ctl, "Failed to resume domain '%s'", name);
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' resumed\n", name);
    return true;
}

static const vkshOptDef optsAutostart[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "disable", VKSH_OT_BOOL, 0, "disable autostarting" },
    { NULL, 0, 0, NULL },
};

static bool
cmdAutostart(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;
    bool disable = vkshOptBool(cmd, "disable");

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (virDomainSetAutostart(dom, !disable) < 0) {
        if (disable)
            vkshError(ctl, "Failed to unmark domain '%s' as autostarted", name);
        else
            vkshError(ctl, "Failed to mark domain '%s' as autostarted", name);
        return false;
    }
    if (disable)
        vkshPrintExtra(ctl, "Domain '%s' unmarked as autostarted\n", name);
    else
        vkshPrintExtra(ctl, "Domain '%s' marked as autostarted\n", name);
    return true;
}

/* ---- XML and identifiers ------------------------------------------------- */

static const vkshOptDef optsDumpxml[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "inactive", VKSH_OT_BOOL, 0, "show inactive defined XML" },
    { "security-info", VKSH_OT_BOOL, 0,
      "include security sensitive information in XML dump" },
    { "update-cpu", VKSH_OT_BOOL, 0, "update guest CPU according to host CPU" },
    { "migratable", VKSH_OT_BOOL, 0, "provide XML suitable for migrations" },
    { "xpath", VKSH_OT_STRING, 0, "xpath expression to filter the XML document" },
    { "wrap", VKSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL, 0, 0, NULL },
};

static bool
cmdDumpxml(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *xml = NULL;
    const char *xpath = NULL;
    unsigned int flags = 0;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptBool(cmd, "inactive"))
        flags |= VIR_DOMAIN_XML_INACTIVE;
    if (vkshOptBool(cmd, "security-info"))
        flags |= VIR_DOMAIN_XML_SECURE;
    if (vkshOptBool(cmd, "update-cpu"))
        flags |= VIR_DOMAIN_XML_UPDATE_CPU;
    if (vkshOptBool(cmd, "migratable"))
        flags |= VIR_DOMAIN_XML_MIGRATABLE;
    if (vkshOptString(ctl, cmd, "xpath", &xpath) < 0)
        return false;

    if (!(xml = virDomainGetXMLDesc(dom, flags)))
        return false;
    if (xpath || vkshOptBool(cmd, "wrap"))
        return vkshXMLPrintXPath(ctl, xml, xpath, vkshOptBool(cmd, "wrap"));
    vkshPrint(ctl, "%s", xml);
    return true;
}

static const vkshOptDef optsDomid[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name or uuid" },
    { NULL, 0, 0, NULL },
};

static bool
cmdDomid(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    unsigned int id;

    if (!(dom = vkshCommandOptDomainBy(ctl, cmd, "domain", NULL,
                                       VKSH_BYNAME | VKSH_BYUUID)))
        return false;
    id = virDomainGetID(dom);
    if (id == (unsigned int)-1)
        vkshPrint(ctl, "%s\n", "-");
    else
        vkshPrint(ctl, "%u\n", id);
    return true;
}

static const vkshOptDef optsDomname[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain id or uuid" },
    { NULL, 0, 0, NULL },
};

static bool
cmdDomname(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;

    if (!(dom =
              vkshCommandOptDomainBy(ctl, cmd, "domain", NULL, VKSH_BYID | VKSH_BYUUID)))
        return false;
    vkshPrint(ctl, "%s\n", virDomainGetName(dom));
    return true;
}

static const vkshOptDef optsDomxmlFromNative[] = {
    { "format", VKSH_OT_STRING, VKSH_OFLAG_REQ, "source config data format" },
    { "config", VKSH_OT_STRING, VKSH_OFLAG_REQ, "config data file to import from" },
    { NULL, 0, 0, NULL },
};

static bool
cmdDomxmlFromNative(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *format = NULL;
    const char *path = NULL;
    g_autofree char *config = NULL;
    g_autofree char *xml = NULL;

    if (vkshOptString(ctl, cmd, "format", &format) < 0 ||
        vkshOptString(ctl, cmd, "config", &path) < 0)
        return false;
    if (!(config = vkshReadFile(ctl, path)))
        return false;
    if (!(xml = virConnectDomainXMLFromNative(ctl->conn, format, config, 0)))
        return false;
    vkshPrint(ctl, "%s", xml);
    return true;
}

static const vkshOptDef optsDomxmlToNative[] = {
    { "format", VKSH_OT_STRING, VKSH_OFLAG_REQ, "target config data type format" },
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "domain name, id or uuid" },
    { "xml", VKSH_OT_STRING, 0, "xml data file to export from" },
    { NULL, 0, 0, NULL },
};

/* virsh's domxml-to-native: the XML of --domain (live) or of the --xml file. */
static bool
cmdDomxmlToNative(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *format = NULL;
    const char *path = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *native = NULL;

    if (!vkshOptExclusive(ctl, cmd, "domain", "xml") ||
        vkshOptString(ctl, cmd, "format", &format) < 0 ||
        vkshOptString(ctl, cmd, "xml", &path) < 0)
        return false;
    if (vkshOptRaw(cmd, "domain")) {
        g_autoptr(virDomain) dom =
            vkshCommandOptDomainBy(ctl, cmd, "domain", NULL, VKSH_BYALL);

        if (!dom || !(xml = virDomainGetXMLDesc(dom, 0)))
            return false;
    } else if (path) {
        if (!(xml = vkshReadFile(ctl, path)))
            return false;
    } else {
        vkshError(ctl, "%s", "need either domain or domain XML");
        return false;
    }
    if (!(native = virConnectDomainXMLToNative(ctl->conn, format, xml, 0)))
        return false;
    vkshPrint(ctl, "%s\n", native);
    return true;
}

static const vkshOptDef optsDomuuid[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain id or name" },
    { NULL, 0, 0, NULL },
};

static bool
cmdDomuuid(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (!(dom =
              vkshCommandOptDomainBy(ctl, cmd, "domain", NULL, VKSH_BYID | VKSH_BYNAME)))
        return false;
    if (virDomainGetUUIDString(dom, uuid) < 0) {
        vkshError(ctl, "%s", "failed to get domain UUID");
        return false;
    }
    vkshPrint(ctl, "%s\n", uuid);
    return true;
}

const vkshCmdDef vkshDomainCmds[] = {
    { "attach-device", vkshCmdAttachDevice, vkshOptsAttachDevice,
      "attach device from an XML file", "Attach device from an XML <file>.", 0 },
    { "attach-disk", vkshCmdAttachDisk, vkshOptsAttachDisk, "attach disk device",
      "Attach new disk device.", 0 },
    { "attach-interface", vkshCmdAttachInterface, vkshOptsAttachInterface,
      "attach network interface", "Attach new network interface.", 0 },
    { "autostart", cmdAutostart, optsAutostart, "autostart a domain",
      "Configure a domain to be automatically started at boot.", 0 },
    { "blkdeviotune", vkshCmdBlkdeviotune, vkshOptsBlkdeviotune,
      "Set or query a block device I/O tuning parameters.",
      "Set or query disk I/O parameters such as block throttling.", 0 },
    { "blkiotune", vkshCmdBlkiotune, vkshOptsBlkiotune, "Get or set blkio parameters",
      "Get or set the current blkio parameters for a guest domain.\n"
      "To get the blkio parameters use following command: \n\n"
      "virsh # blkiotune <domain>",
      0 },
    { "blockcommit", vkshCmdBlockcommit, vkshOptsBlockcommit,
      "Start a block commit operation.",
      "Commit changes from a snapshot down to its backing image.", 0 },
    { "blockcopy", vkshCmdBlockcopy, vkshOptsBlockcopy, "Start a block copy operation.",
      "Copy a disk backing image chain to dest.", 0 },
    { "blockjob", vkshCmdBlockjob, vkshOptsBlockjob, "Manage active block operations",
      "Query, adjust speed, or cancel active block operations.", 0 },
    { "blockpull", vkshCmdBlockpull, vkshOptsBlockpull,
      "Populate a disk from its backing image.",
      "Populate a disk from its backing image.", 0 },
    { "blockresize", vkshCmdBlockresize, vkshOptsBlockresize,
      "Resize block device of domain.", "Resize block device of domain.", 0 },
    { "change-media", vkshCmdChangeMedia, vkshOptsChangeMedia,
      "Change media of CD or floppy drive", "Change media of CD or floppy drive.", 0 },
    { "console", vkshCmdConsole, vkshOptsConsole, "connect to the guest console",
      "Connect the virtual serial console for the guest", 0 },
    { "cpu-stats", vkshCmdCpuStats, vkshOptsCpuStats, "show domain cpu statistics",
      "Display per-CPU and total statistics about the domain's CPUs", 0 },
    { "create", cmdCreate, optsCreate, "create a domain from an XML file",
      "Create a domain.", 0 },
    { "define", cmdDefine, optsDefine,
      "define (but don't start) a domain from an XML file", "Define a domain.", 0 },
    { "desc", vkshCmdDesc, vkshOptsDesc, "show or set domain's description or title",
      "Allows setting or modifying the description or title of a domain.", 0 },
    { "destroy", cmdDestroy, optsDestroy, "destroy (stop) a domain",
      "Forcefully stop a given domain, but leave its resources intact.", 0 },
    { "detach-device", vkshCmdDetachDevice, vkshOptsDetachDevice,
      "detach device from an XML file", "Detach device from an XML <file>", 0 },
    { "detach-device-alias", vkshCmdDetachDeviceAlias, vkshOptsDetachDeviceAlias,
      "detach device from an alias",
      "Detach device identified by the given alias from a domain", 0 },
    { "detach-disk", vkshCmdDetachDisk, vkshOptsDetachDisk, "detach disk device",
      "Detach disk device.", 0 },
    { "detach-interface", vkshCmdDetachInterface, vkshOptsDetachInterface,
      "detach network interface", "Detach network interface.", 0 },
    { "domdisplay", vkshCmdDomdisplay, vkshOptsDomdisplay,
      "domain display connection URI",
      "Output the IP address and port number for the graphical display.", 0 },
    { "domfsfreeze", vkshCmdDomfsfreeze, vkshOptsDomfsfreeze,
      "Freeze domain's mounted filesystems.", "Freeze domain's mounted filesystems.", 0 },
    { "domfsthaw", vkshCmdDomfsthaw, vkshOptsDomfsthaw,
      "Thaw domain's mounted filesystems.", "Thaw domain's mounted filesystems.", 0 },
    { "domfsinfo", vkshCmdDomfsinfo, vkshOptsDomfsinfo,
      "Get information of domain's mounted filesystems.",
      "Get information of domain's mounted filesystems.", 0 },
    { "domfstrim", vkshCmdDomfstrim, vkshOptsDomfstrim,
      "Invoke fstrim on domain's mounted filesystems.",
      "Invoke fstrim on domain's mounted filesystems.", 0 },
    { "domhostname", vkshCmdDomhostname, vkshOptsDomhostname,
      "print the domain's hostname", NULL, 0 },
    { "domid", cmdDomid, optsDomid, "convert a domain name or UUID to domain id", NULL,
      0 },
    { "domif-setlink", vkshCmdDomifSetlink, vkshOptsDomifSetlink,
      "set link state of a virtual interface",
      "Set link state of a domain's virtual interface. This command wraps usage of "
      "update-device command.",
      0 },
    { "domiftune", vkshCmdDomiftune, vkshOptsDomiftune,
      "get/set parameters of a virtual interface",
      "Get/set parameters of a domain's virtual interface.", 0 },
    { "domjobabort", vkshCmdDomjobabort, vkshOptsDomjobabort, "abort active domain job",
      "Aborts the currently running domain job", 0 },
    { "domjobinfo", vkshCmdDomjobinfo, vkshOptsDomjobinfo, "domain job information",
      "Returns information about jobs running on a domain.", 0 },
    { "domname", cmdDomname, optsDomname, "convert a domain id or UUID to domain name",
      NULL, 0 },
    { "domrename", vkshCmdDomrename, vkshOptsDomrename, "rename a domain",
      "Rename an inactive domain.", 0 },
    { "dompmsuspend", vkshCmdDompmsuspend, vkshOptsDompmsuspend,
      "suspend a domain gracefully using power management functions",
      "Suspends a running domain using guest OS's power management. (Note: This requires a "
      "guest agent configured and running in the guest OS).",
      0 },
    { "dompmwakeup", vkshCmdDompmwakeup, vkshOptsDompmwakeup,
      "wakeup a domain from pmsuspended state",
      "Wakeup a domain that was previously suspended by power management.", 0 },
    { "domuuid", cmdDomuuid, optsDomuuid, "convert a domain name or id to domain UUID",
      NULL, 0 },
    { "domxml-from-native", cmdDomxmlFromNative, optsDomxmlFromNative,
      "Convert native config to domain XML",
      "Convert native guest configuration format to domain XML format.", 0 },
    { "domxml-to-native", cmdDomxmlToNative, optsDomxmlToNative,
      "Convert domain XML to native config",
      "Convert domain XML config to a native guest configuration format.", 0 },
    { "dump", vkshCmdDump, vkshOptsDump,
      "dump the core of a domain to a file for analysis", "Core dump a domain.", 0 },
    { "dumpxml", cmdDumpxml, optsDumpxml, "domain information in XML",
      "Output the domain information as an XML dump to stdout.", 0 },
    { "edit", vkshCmdEdit, vkshOptsEdit, "edit XML configuration for a domain",
      "Edit the XML configuration for a domain.", 0 },
    { "inject-nmi", vkshCmdInjectNmi, vkshOptsInjectNmi, "Inject NMI to the guest",
      "Inject NMI to the guest domain.", 0 },
    { "send-key", vkshCmdSendKey, vkshOptsSendKey, "Send keycodes to the guest",
      "Send keycodes (integers or symbolic names) to the guest", 0 },
    { "send-process-signal", vkshCmdSendProcessSignal, vkshOptsSendProcessSignal,
      "Send signals to processes", "Send signals to processes in the guest", 0 },
    { "managedsave", vkshCmdManagedsave, vkshOptsManagedsave,
      "managed save of a domain state",
      "Save and destroy a running domain, so it can be restarted from\n"
      "the same state at a later time.  When the virsh 'start'\n"
      "command is next run for the domain, it will automatically\n"
      "be started from this saved state.",
      0 },
    { "managedsave-remove", vkshCmdManagedsaveRemove, vkshOptsManagedsaveRemove,
      "Remove managed save of a domain",
      "Remove an existing managed save state file from a domain", 0 },
    { "managedsave-edit", vkshCmdManagedsaveEdit, vkshOptsManagedsaveEdit,
      "edit XML for a domain's managed save state file",
      "Edit the domain XML associated with the managed save state file", 0 },
    { "managedsave-dumpxml", vkshCmdManagedsaveDumpxml, vkshOptsManagedsaveDumpxml,
      "Domain information of managed save state file in XML",
      "Dump XML of domain information for a managed save state file to stdout.", 0 },
    { "managedsave-define", vkshCmdManagedsaveDefine, vkshOptsManagedsaveDefine,
      "redefine the XML for a domain's managed save state file",
      "Replace the domain XML associated with a managed save state file", 0 },
    { "memtune", vkshCmdMemtune, vkshOptsMemtune, "Get or set memory parameters",
      "Get or set the current memory parameters for a guest domain.\n"
      "To get the memory parameters use following command: \n\n"
      "virsh # memtune <domain>",
      0 },
    { "metadata", vkshCmdMetadata, vkshOptsMetadata,
      "show or set domain's custom XML metadata",
      "Shows or modifies the XML metadata of a domain.", 0 },
    { "numatune", vkshCmdNumatune, vkshOptsNumatune, "Get or set numa parameters",
      "Get or set the current numa parameters for a guest domain.\n"
      "To get the numa parameters use following command: \n\n"
      "virsh # numatune <domain>",
      0 },
    { "perf", vkshCmdPerf, vkshOptsPerf, "Get or set perf event",
      "Get or set the current perf events for a guest domain.\n"
      "To get the perf events list use following command: \n\n"
      "virsh # perf <domain>",
      0 },
    { "qemu-monitor-command", vkshCmdQemuMonitorCommand, vkshOptsQemuMonitorCommand,
      "QEMU Monitor Command", "QEMU Monitor Command", 0 },
    { "qemu-monitor-event", vkshCmdQemuMonitorEvent, vkshOptsQemuMonitorEvent,
      "QEMU Monitor Events", "Listen for QEMU Monitor Events", 0 },
    { "qemu-agent-command", vkshCmdQemuAgentCommand, vkshOptsQemuAgentCommand,
      "QEMU Guest Agent Command",
      "Run an arbitrary qemu guest agent command; use at your own risk", 0 },
    { "guest-agent-timeout", vkshCmdGuestAgentTimeout, vkshOptsGuestAgentTimeout,
      "Set the guest agent timeout",
      "Set the number of seconds to wait for a response from the guest agent.", 0 },
    { "reboot", cmdReboot, optsShutdown, "reboot a domain",
      "Run a reboot command in the target domain.", 0 },
    { "reset", cmdReset, optsDomainOnly, "reset a domain",
      "Reset the target domain as if by power button", 0 },
    { "restore", vkshCmdRestore, vkshOptsRestore,
      "restore a domain from a saved state in a file", "Restore a domain.", 0 },
    { "resume", cmdResume, optsDomainOnly, "resume a domain",
      "Resume a previously suspended domain.", 0 },
    { "save", vkshCmdSave, vkshOptsSave, "save a domain state to a file",
      "Save the RAM state of a running domain.", 0 },
    { "save-image-define", vkshCmdSaveImageDefine, vkshOptsSaveImageDefine,
      "redefine the XML for a domain's saved state file",
      "Replace the domain XML associated with a saved state file", 0 },
    { "save-image-dumpxml", vkshCmdSaveImageDumpxml, vkshOptsSaveImageDumpxml,
      "saved state domain information in XML",
      "Dump XML of domain information for a saved state file to stdout.", 0 },
    { "save-image-edit", vkshCmdSaveImageEdit, vkshOptsSaveImageEdit,
      "edit XML for a domain's saved state file",
      "Edit the domain XML associated with a saved state file", 0 },
    { "schedinfo", vkshCmdSchedinfo, vkshOptsSchedinfo, "show/set scheduler parameters",
      "Show/Set scheduler parameters.", 0 },
    { "screenshot", vkshCmdScreenshot, vkshOptsScreenshot,
      "take a screenshot of a current domain console and store it into a file",
      "screenshot of a current domain console", 0 },
    { "set-lifecycle-action", vkshCmdSetLifecycleAction, vkshOptsSetLifecycleAction,
      "change lifecycle actions", "Change lifecycle actions for the guest domain.", 0 },
    { "set-user-password", vkshCmdSetUserPassword, vkshOptsSetUserPassword,
      "set the user password inside the domain",
      "changes the password of the specified user inside the domain", 0 },
    { "setmaxmem", vkshCmdSetmaxmem, vkshOptsSetmaxmem, "change maximum memory limit",
      "Change the maximum memory allocation limit in the guest domain.", 0 },
    { "setmem", vkshCmdSetmem, vkshOptsSetmem, "change memory allocation",
      "Change the current memory allocation in the guest domain.", 0 },
    { "setvcpus", vkshCmdSetvcpus, vkshOptsSetvcpus, "change number of virtual CPUs",
      "Change the number of virtual CPUs in the guest domain.", 0 },
    { "setvcpu", vkshCmdSetvcpu, vkshOptsSetvcpu,
      "attach/detach vcpu or groups of threads", "Add or remove vcpus", 0 },
    { "shutdown", cmdShutdown, optsShutdown, "gracefully shutdown a domain",
      "Run shutdown in the target domain.", 0 },
    { "start", cmdStart, optsStart, "start a (previously defined) inactive domain",
      "Start a domain, either from the last managedsave\n"
      "state, or via a fresh boot if no managedsave state\n"
      "is present.",
      0 },
    { "suspend", cmdSuspend, optsDomainOnly, "suspend a domain",
      "Suspend a running domain.", 0 },
    { "ttyconsole", vkshCmdTtyconsole, vkshOptsVncdisplay, "tty console",
      "Output the device for the TTY console.", 0 },
    { "undefine", cmdUndefine, optsUndefine, "undefine a domain",
      "Undefine an inactive domain, or convert persistent to transient.", 0 },
    { "update-device", vkshCmdUpdateDevice, vkshOptsUpdateDevice,
      "update device from an XML file", "Update device from an XML <file>.", 0 },
    { "update-memory-device", vkshCmdUpdateMemoryDevice, vkshOptsUpdateMemoryDevice,
      "update memory device of a domain", "Update values of a memory device of a domain",
      0 },
    { "vcpucount", vkshCmdVcpucount, vkshOptsVcpucount, "domain vcpu counts",
      "Returns the number of virtual CPUs used by the domain.", 0 },
    { "vcpuinfo", vkshCmdVcpuinfo, vkshOptsVcpuinfo, "detailed domain vcpu information",
      "Returns basic information about the domain virtual CPUs.", 0 },
    { "vcpupin", vkshCmdVcpupin, vkshOptsVcpupin, "control or query domain vcpu affinity",
      "Pin domain VCPUs to host physical CPUs.", 0 },
    { "emulatorpin", vkshCmdEmulatorpin, vkshOptsEmulatorpin,
      "control or query domain emulator affinity",
      "Pin domain emulator threads to host physical CPUs.", 0 },
    { "iothreadinfo", vkshCmdIothreadinfo, vkshOptsIothreadinfo, "view domain IOThreads",
      "Returns basic information about the domain IOThreads.", 0 },
    { "iothreadpin", vkshCmdIothreadpin, vkshOptsIothreadpin,
      "control domain IOThread affinity", "Pin domain IOThreads to host physical CPUs.",
      0 },
    { "iothreadadd", vkshCmdIothreadadd, vkshOptsIothreadadd,
      "add an IOThread to the guest domain", "Add an IOThread to the guest domain.", 0 },
    { "iothreadset", vkshCmdIothreadset, vkshOptsIothreadset,
      "modifies an existing IOThread of the guest domain",
      "Modifies an existing IOThread of the guest domain.", 0 },
    { "iothreaddel", vkshCmdIothreaddel, vkshOptsIothreaddel,
      "delete an IOThread from the guest domain",
      "Delete an IOThread from the guest domain.", 0 },
    { "vncdisplay", vkshCmdVncdisplay, vkshOptsVncdisplay, "vnc display",
      "Output the IP address and port number for the VNC display.", 0 },
    { "domblkthreshold", vkshCmdDomblkthreshold, vkshOptsDomblkthreshold,
      "set the threshold for block-threshold event for a given block device or it's "
      "backing chain element",
      "set threshold for block-threshold event for a block device", 0 },
    { "guestinfo", vkshCmdGuestinfo, vkshOptsGuestinfo,
      "query information about the guest (via agent)",
      "Use the guest agent to query various information from guest's point of view", 0 },
    { "guestvcpus", vkshCmdGuestvcpus, vkshOptsGuestvcpus,
      "query or modify state of vcpu in the guest (via agent)",
      "Use the guest agent to query or set cpu state from guest's point of view", 0 },
    { "get-user-sshkeys", vkshCmdGetUserSshkeys, vkshOptsGetUserSshkeys,
      "list authorized SSH keys for given user (via agent)",
      "Use the guest agent to query authorized SSH keys for given user", 0 },
    { "set-user-sshkeys", vkshCmdSetUserSshkeys, vkshOptsSetUserSshkeys,
      "manipulate authorized SSH keys file for given user (via agent)",
      "Append, reset or remove specified key from the authorized keys file for given user",
      0 },
    { "domdirtyrate-calc", vkshCmdDomdirtyrateCalc, vkshOptsDomdirtyrateCalc,
      "Calculate a vm's memory dirty rate",
      "Calculate memory dirty rate of a domain in order to decide whether it's proper to "
      "be migrated out or not.\nThe calculated dirty rate information is available by "
      "calling 'domstats --dirtyrate'.",
      VKSH_CMD_FLAG_DESC_RAW },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
