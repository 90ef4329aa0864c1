/* vksh-backup.c: backup-begin, backup-dumpxml (virsh 9.0's "Backup" group) */
#define G_LOG_DOMAIN "vksh.backup"

#include "vksh.h"
#include "vksh-xml.h"

/* Every output below is virsh 9.0's (tools/virsh-backup.c), byte for byte. */

static const vkshOptDef optsBackupBegin[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "backupxml", VKSH_OT_STRING, 0, "domain backup XML" },
    { "checkpointxml", VKSH_OT_STRING, 0, "domain checkpoint XML" },
    { "reuse-external", VKSH_OT_BOOL, 0, "reuse files provided by caller" },
    { NULL, 0, 0, NULL },
};

static bool
cmdBackupBegin(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *backupXML = NULL;
    g_autofree char *checkpointXML = NULL;
    const char *backupFrom = NULL;
    const char *checkFrom = NULL;
    unsigned int flags = 0;

    if (vkshOptBool(cmd, "reuse-external"))
        flags |= VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "backupxml", &backupFrom) < 0)
        return false;
    /* without a document: libvirt's defaults (every disk, full, push) */
    if (!backupFrom)
        backupXML = g_strdup("<domainbackup/>");
    else if (!(backupXML = vkshReadFile(ctl, backupFrom)))
        return false;
    if (vkshOptString(ctl, cmd, "checkpointxml", &checkFrom) < 0)
        return false;
    if (checkFrom && !(checkpointXML = vkshReadFile(ctl, checkFrom)))
        return false;
    if (virDomainBackupBegin(dom, backupXML, checkpointXML, flags) < 0)
        return false;
    vkshPrint(ctl, "Backup started\n");
    return true;
}

static const vkshOptDef optsBackupDumpxml[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "xpath", VKSH_OT_STRING, 0, "xpath expression to filter the XML document" },
    { "wrap", VKSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL, 0, 0, NULL },
};

static bool
cmdBackupDumpxml(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *xml = NULL;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!(xml = virDomainBackupGetXMLDesc(dom, 0)))
        return false;
    return vkshDumpXML(ctl, cmd, xml);
}

const vkshCmdDef vkshBackupCmds[] = {
    { "backup-begin", cmdBackupBegin, optsBackupBegin,
      "Start a disk backup of a live domain",
      "Use XML to start a full or incremental disk backup of a live domain, optionally "
      "creating a checkpoint",
      0 },
    { "backup-dumpxml", cmdBackupDumpxml, optsBackupDumpxml,
      "Dump XML for an ongoing domain block backup job", "Backup Dump XML", 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
