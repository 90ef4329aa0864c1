/* vksh-edit.c: virsh's edit loop, shared by every *-edit command, and edit, managedsave-edit, save-image-edit */
#define G_LOG_DOMAIN "vksh.edit"

#include <string.h>

#include "vksh.h"

/* virsh 9.0's edit loop (tools/vsh-edit template) without a terminal: the
 * document goes through the editor once; an unchanged one is not defined
 * again, a document changed meanwhile by another user is refused, and a
 * refused definition is "Failed." (no "Try again?" question without a
 * terminal: the caller's "edited" line follows, as in virsh). */
int
vkshEditRun(vkshControl *ctl, const vkshEditOps *ops, void *opaque, char **name)
{
    g_autofree char *doc = NULL;
    g_autofree char *edited = NULL;
    g_autofree char *reread = NULL;

    *name = NULL;
    if (!(doc = ops->getXML(opaque)))
        return -1;
    if (!(edited = vkshEditText(ctl, doc)))
        return -1;
    if (strcmp(doc, edited) == 0)
        return 0;
    if (!(reread = ops->getXML(opaque)))
        return -1;
    if (strcmp(doc, reread) != 0) {
        vkshError(ctl, "%s", "The XML configuration was changed by another user.");
        return -1;
    }
    if (!ops->define(opaque, edited, name)) {
        vkshError(ctl, "%s", "Failed.");
        vkshResetError();
    }
    return 1;
}

/* ---- edit ----------------------------------------------------------------------- */

typedef struct {
    virConnectPtr conn;
    virDomainPtr dom;
    unsigned int flags; /* of the definition */
    const char *file;   /* save-image-edit */
    bool managed;       /* managedsave-edit */
} vkshEditDomain;

static char *
editDomainGet(void *opaque)
{
    vkshEditDomain *e = opaque;

    if (e->file)
        return virDomainSaveImageGetXMLDesc(e->conn, e->file,
                                            VIR_DOMAIN_SAVE_IMAGE_XML_SECURE);
    if (e->managed)
        return virDomainManagedSaveGetXMLDesc(e->dom, VIR_DOMAIN_SAVE_IMAGE_XML_SECURE);
    return virDomainGetXMLDesc(e->dom, VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE);
}

static bool
editDomainDefine(void *opaque, const char *xml, char **name)
{
    vkshEditDomain *e = opaque;
    virDomainPtr dom;

    if (e->file)
        return virDomainSaveImageDefineXML(e->conn, e->file, xml, e->flags) == 0;
    if (e->managed)
        return virDomainManagedSaveDefineXML(e->dom, xml, e->flags) == 0;
    if (!(dom = virDomainDefineXMLFlags(e->conn, xml, e->flags)))
        return false;
    *name = g_strdup(virDomainGetName(dom));
    virDomainFree(dom);
    return true;
}

static const vkshEditOps editDomainOps = { editDomainGet, editDomainDefine };

const vkshOptDef vkshOptsEdit[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "skip-validate", VKSH_OT_BOOL, 0, "skip validation of the XML against the schema" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdEdit(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *name = NULL;
    vkshEditDomain e = { ctl->conn, NULL, VIR_DOMAIN_DEFINE_VALIDATE, NULL, false };
    int rc;

    if (vkshOptBool(cmd, "skip-validate"))
        e.flags = 0;
    if (!(e.dom = dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if ((rc = vkshEditRun(ctl, &editDomainOps, &e, &name)) < 0)
        return false;
    if (rc == 0)
        vkshPrintExtra(ctl, "Domain '%s' XML configuration not changed.\n",
                       virDomainGetName(dom));
    else
        vkshPrintExtra(ctl, "Domain '%s' XML configuration edited.\n",
                       name ? name : "(null)");
    return true;
}

static unsigned int
editSaveFlags(vkshControl *ctl, const vkshCmd *cmd, bool *ok)
{
    unsigned int flags = 0;

    *ok = vkshOptExclusive(ctl, cmd, "running", "paused");
    if (vkshOptBool(cmd, "running"))
        flags |= VIR_DOMAIN_SAVE_RUNNING;
    if (vkshOptBool(cmd, "paused"))
        flags |= VIR_DOMAIN_SAVE_PAUSED;
    return flags;
}

const vkshOptDef vkshOptsManagedsaveEdit[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "running", VKSH_OT_BOOL, 0, "set domain to be running on start" },
    { "paused", VKSH_OT_BOOL, 0, "set domain to be paused on start" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdManagedsaveEdit(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *name = NULL;
    vkshEditDomain e = { ctl->conn, NULL, 0, NULL, true };
    bool ok;
    int rc;

    e.flags = editSaveFlags(ctl, cmd, &ok);
    if (!ok || !(e.dom = dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if ((rc = vkshEditRun(ctl, &editDomainOps, &e, &name)) < 0)
        return false;
    if (rc == 0)
        vkshPrint(ctl,
                  "Managed save image of domain '%s' XML configuration not changed.\n",
                  virDomainGetName(dom));
    else
        vkshPrint(ctl, "Managed save image of Domain '%s' XML configuration edited.\n",
                  virDomainGetName(dom));
    return true;
}

const vkshOptDef vkshOptsSaveImageEdit[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ, "saved state file to edit" },
    { "running", VKSH_OT_BOOL, 0, "set domain to be running on restore" },
    { "paused", VKSH_OT_BOOL, 0, "set domain to be paused on restore" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdSaveImageEdit(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autofree char *name = NULL;
    vkshEditDomain e = { ctl->conn, NULL, 0, NULL, false };
    bool ok;
    int rc;

    e.flags = editSaveFlags(ctl, cmd, &ok);
    if (!ok || vkshOptString(ctl, cmd, "file", &e.file) <= 0)
        return false;
    if ((rc = vkshEditRun(ctl, &editDomainOps, &e, &name)) < 0)
        return false;
    if (rc == 0)
        vkshPrint(ctl, "Saved image %s XML configuration not changed.\n", e.file);
    else
        vkshPrint(ctl, "State file %s edited.\n", e.file);
    return true;
}
