/* vksh-save.c: save, restore, save-image-* and managedsave* commands, as virsh 9.0 */
#define G_LOG_DOMAIN "vksh.save"

#include <string.h>

#include "vksh.h"
#include "vksh-xml.h"

/* Every output below is virsh 9.0's (tools/virsh-domain.c), byte for byte.
 * --verbose (progress of a save job) is accepted; the progress line is not
 * drawn. */

static unsigned int
saveFlagsFromOpts(const vkshCmd *cmd)
{
    unsigned int flags = 0;
    bool hasBypass = false;

    for (const vkshOptDef *opt = cmd->def->opts; opt->name; opt++)
        hasBypass |= strcmp(opt->name, "bypass-cache") == 0;
    if (hasBypass && vkshOptBool(cmd, "bypass-cache"))
        flags |= VIR_DOMAIN_SAVE_BYPASS_CACHE;
    if (vkshOptBool(cmd, "running"))
        flags |= VIR_DOMAIN_SAVE_RUNNING;
    if (vkshOptBool(cmd, "paused"))
        flags |= VIR_DOMAIN_SAVE_PAUSED;
    return flags;
}

/* The text of the --xml file, if given. false after reporting. */
static bool
readXmlOpt(vkshControl *ctl, const vkshCmd *cmd, char **xml)
{
    const char *path = NULL;

    *xml = NULL;
    if (vkshOptString(ctl, cmd, "xml", &path) < 0)
        return false;
    if (path && !(*xml = vkshReadFile(ctl, path)))
        return false;
    return true;
}

const vkshOptDef vkshOptsSave[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ, "where to save the data" },
    { "bypass-cache", VKSH_OT_BOOL, 0, "avoid file system cache when saving" },
    { "xml", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "filename containing updated XML for the target" },
    { "running", VKSH_OT_BOOL, 0, "set domain to be running on restore" },
    { "paused", VKSH_OT_BOOL, 0, "set domain to be paused on restore" },
    { "verbose", VKSH_OT_BOOL, 0, "display the progress of save" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdSave(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *xml = NULL;
    const char *name = NULL;
    const char *to = NULL;
    unsigned int flags = saveFlagsFromOpts(cmd);
    int rc;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (vkshOptString(ctl, cmd, "file", &to) < 0)
        return false;
    if (!readXmlOpt(ctl, cmd, &xml))
        return false;
    if (flags || xml)
        rc = virDomainSaveFlags(dom, to, xml, flags);
    else
        rc = virDomainSave(dom, to);
    if (rc < 0) {
        vkshError(ctl, "Failed to save domain '%s' to %s", name, to);
        return false;
    }
    vkshPrintExtra(ctl, "\nDomain '%s' saved to %s\n", name, to);
    return true;
}

const vkshOptDef vkshOptsRestore[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ, "the state to restore" },
    { "bypass-cache", VKSH_OT_BOOL, 0, "avoid file system cache when restoring" },
    { "xml", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "filename containing updated XML for the target" },
    { "running", VKSH_OT_BOOL, 0, "restore domain into running state" },
    { "paused", VKSH_OT_BOOL, 0, "restore domain into paused state" },
    { "reset-nvram", VKSH_OT_BOOL, 0, "re-initialize NVRAM from its pristine template" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdRestore(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autofree char *xml = NULL;
    const char *from = NULL;
    unsigned int flags = saveFlagsFromOpts(cmd);
    int rc;

    if (vkshOptString(ctl, cmd, "file", &from) < 0)
        return false;
    if (vkshOptBool(cmd, "reset-nvram"))
        flags |= VIR_DOMAIN_SAVE_RESET_NVRAM;
    if (!readXmlOpt(ctl, cmd, &xml))
        return false;
    if (flags || xml)
        rc = virDomainRestoreFlags(ctl->conn, from, xml, flags);
    else
        rc = virDomainRestore(ctl->conn, from);
    if (rc < 0) {
        vkshError(ctl, "Failed to restore domain from %s", from);
        return false;
    }
    vkshPrintExtra(ctl, "Domain restored from %s\n", from);
    return true;
}

const vkshOptDef vkshOptsSaveImageDumpxml[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ, "saved state file to read" },
    { "security-info", VKSH_OT_BOOL, 0,
      "include security sensitive information in XML dump" },
    { "xpath", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "xpath expression to filter the XML document" },
    { "wrap", VKSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdSaveImageDumpxml(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autofree char *xml = NULL;
    const char *file = NULL;
    unsigned int flags = 0;

    if (vkshOptBool(cmd, "security-info"))
        flags |= VIR_DOMAIN_SAVE_IMAGE_XML_SECURE;
    if (vkshOptString(ctl, cmd, "file", &file) < 0)
        return false;
    if (!(xml = virDomainSaveImageGetXMLDesc(ctl->conn, file, flags)))
        return false;
    return vkshDumpXML(ctl, cmd, xml);
}

const vkshOptDef vkshOptsSaveImageDefine[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ, "saved state file to modify" },
    { "xml", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "filename containing updated XML for the target" },
    { "running", VKSH_OT_BOOL, 0, "set domain to be running on restore" },
    { "paused", VKSH_OT_BOOL, 0, "set domain to be paused on restore" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdSaveImageDefine(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autofree char *xml = NULL;
    const char *file = NULL;
    unsigned int flags = saveFlagsFromOpts(cmd);

    if (vkshOptString(ctl, cmd, "file", &file) < 0)
        return false;
    if (!readXmlOpt(ctl, cmd, &xml) || !xml)
        return false;
    if (virDomainSaveImageDefineXML(ctl->conn, file, xml, flags) < 0) {
        vkshError(ctl, "Failed to update %s", file);
        return false;
    }
    vkshPrintExtra(ctl, "State file %s updated.\n", file);
    return true;
}

const vkshOptDef vkshOptsManagedsave[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "bypass-cache", VKSH_OT_BOOL, 0, "avoid file system cache when saving" },
    { "running", VKSH_OT_BOOL, 0, "set domain to be running on next start" },
    { "paused", VKSH_OT_BOOL, 0, "set domain to be paused on next start" },
    { "verbose", VKSH_OT_BOOL, 0, "display the progress of save" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdManagedsave(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (virDomainManagedSave(dom, saveFlagsFromOpts(cmd)) < 0) {
        vkshError(ctl, "Failed to save domain '%s' state", name);
        return false;
    }
    vkshPrintExtra(ctl, "\nDomain '%s' state saved by libvirt\n", name);
    return true;
}

const vkshOptDef vkshOptsManagedsaveRemove[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdManagedsaveRemove(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;
    int has;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if ((has = virDomainHasManagedSaveImage(dom, 0)) < 0) {
        vkshError(ctl, "%s", "Failed to check for domain managed save image");
        return false;
    }
    if (!has) {
        vkshPrintExtra(ctl, "Domain '%s' has no manage save image; removal skipped",
                       name);
        return true;
    }
    if (virDomainManagedSaveRemove(dom, 0) < 0) {
        vkshError(ctl, "Failed to remove managed save image for domain '%s'", name);
        return false;
    }
    vkshPrintExtra(ctl, "Removed managedsave image for domain '%s'", name);
    return true;
}

const vkshOptDef vkshOptsManagedsaveDumpxml[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "security-info", VKSH_OT_BOOL, 0,
      "include security sensitive information in XML dump" },
    { "xpath", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "xpath expression to filter the XML document" },
    { "wrap", VKSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdManagedsaveDumpxml(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *xml = NULL;
    unsigned int flags = 0;

    if (vkshOptBool(cmd, "security-info"))
        flags |= VIR_DOMAIN_SAVE_IMAGE_XML_SECURE;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!(xml = virDomainManagedSaveGetXMLDesc(dom, flags)))
        return false;
    return vkshDumpXML(ctl, cmd, xml);
}

const vkshOptDef vkshOptsManagedsaveDefine[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "xml", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "filename containing updated XML for the target" },
    { "running", VKSH_OT_BOOL, 0, "set domain to be running on start" },
    { "paused", VKSH_OT_BOOL, 0, "set domain to be paused on start" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdManagedsaveDefine(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *xml = NULL;
    const char *name = NULL;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (!readXmlOpt(ctl, cmd, &xml) || !xml)
        return false;
    if (virDomainManagedSaveDefineXML(dom, xml, saveFlagsFromOpts(cmd)) < 0) {
        vkshError(ctl, "Failed to update %s XML configuration", name);
        return false;
    }
    vkshPrintExtra(ctl, "Managed save state file of domain '%s' updated.\n", name);
    return true;
}

const vkshOptDef vkshOptsDump[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ, "where to dump the core" },
    { "live", VKSH_OT_BOOL, 0, "perform a live core dump if supported" },
    { "crash", VKSH_OT_BOOL, 0, "crash the domain after core dump" },
    { "bypass-cache", VKSH_OT_BOOL, 0, "avoid file system cache when dumping" },
    { "reset", VKSH_OT_BOOL, 0, "reset the domain after core dump" },
    { "verbose", VKSH_OT_BOOL, 0, "display the progress of dump" },
    { "memory-only", VKSH_OT_BOOL, 0, "dump domain's memory only" },
    { "format", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "specify the format of memory-only dump" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdDump(vkshControl *ctl, const vkshCmd *cmd)
{
    static const struct {
        const char *name;
        unsigned int format;
    } formats[] = {
        { "kdump-zlib", VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_ZLIB },
        { "kdump-lzo", VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_LZO },
        { "kdump-snappy", VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_SNAPPY },
        { "win-dmp", VIR_DOMAIN_CORE_DUMP_FORMAT_WIN_DMP },
        { "elf", VIR_DOMAIN_CORE_DUMP_FORMAT_RAW },
    };
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;
    const char *to = NULL;
    const char *format = NULL;
    unsigned int dumpformat = VIR_DOMAIN_CORE_DUMP_FORMAT_RAW;
    unsigned int flags = 0;
    int rc;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (vkshOptString(ctl, cmd, "file", &to) < 0)
        return false;
    if (vkshOptBool(cmd, "live"))
        flags |= VIR_DUMP_LIVE;
    if (vkshOptBool(cmd, "crash"))
        flags |= VIR_DUMP_CRASH;
    if (vkshOptBool(cmd, "bypass-cache"))
        flags |= VIR_DUMP_BYPASS_CACHE;
    if (vkshOptBool(cmd, "reset"))
        flags |= VIR_DUMP_RESET;
    if (vkshOptBool(cmd, "memory-only"))
        flags |= VIR_DUMP_MEMORY_ONLY;
    if (vkshOptString(ctl, cmd, "format", &format) < 0)
        return false;
    if (format) {
        size_t i;

        if (!(flags & VIR_DUMP_MEMORY_ONLY)) {
            vkshError(ctl, "%s", "--format only works with --memory-only");
            return false;
        }
        for (i = 0; i < G_N_ELEMENTS(formats); i++) {
            if (strcmp(format, formats[i].name) == 0)
                break;
        }
        if (i == G_N_ELEMENTS(formats)) {
            vkshError(ctl,
                      "format '%s' is not supported, expecting 'kdump-zlib', "
                      "'kdump-lzo', 'kdump-snappy', 'win-dmp' or 'elf'",
                      format);
            return false;
        }
        dumpformat = formats[i].format;
    }
    if (dumpformat != VIR_DOMAIN_CORE_DUMP_FORMAT_RAW)
        rc = virDomainCoreDumpWithFormat(dom, to, dumpformat, flags);
    else
        rc = virDomainCoreDump(dom, to, flags);
    if (rc < 0) {
        vkshError(ctl, "Failed to core dump domain '%s' to %s", name, to);
        return false;
    }
    vkshPrintExtra(ctl, "\nDomain '%s' dumped to %s\n", name, to);
    return true;
}
