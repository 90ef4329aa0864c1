/* vksh-secret.c: secret commands (secret-define, secret-list, secret-set-value, ...) as virsh 9.0 */

#define G_LOG_DOMAIN "vksh.secret"
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vksh.h"
#include "vksh-xml.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virSecret, virSecretFree)

static void
vkshSecretRelease(gpointer secret)
{
    virSecretFree(secret);
}

/* The secret named by option "secret" (a UUID), or NULL after reporting
 * "failed to get secret 'X'" (the library's reason follows). */
static virSecretPtr
vkshCommandOptSecret(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *uuid = NULL;
    virSecretPtr secret;

    if (vkshOptString(ctl, cmd, "secret", &uuid) <= 0)
        return NULL;
    if (!(secret = virSecretLookupByUUIDString(ctl->conn, uuid)))
        vkshError(ctl, "failed to get secret '%s'", uuid);
    return secret;
}

static const vkshOptDef optsSecretOnly[] = {
    { "secret", VKSH_OT_STRING, VKSH_OFLAG_REQ, "secret UUID" },
    { NULL, 0, 0, NULL },
};

/* ---- secret-define ------------------------------------------------------- */

static const vkshOptDef optsSecretDefine[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "file containing secret attributes in XML" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL, 0, 0, NULL },
};

static bool
cmdSecretDefine(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virSecret) secret = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];
    unsigned int flags = 0;

    if (vkshOptString(ctl, cmd, "file", &file) <= 0)
        return false;
    if (vkshOptBool(cmd, "validate"))
        flags |= VIR_SECRET_DEFINE_VALIDATE;
    if (!(xml = vkshReadFile(ctl, file)))
        return false;
    if (!(secret = virSecretDefineXML(ctl->conn, xml, flags))) {
        vkshError(ctl, "Failed to set attributes from %s", file);
        return false;
    }
    if (virSecretGetUUIDString(secret, uuid) < 0) {
        vkshError(ctl, "%s", "Failed to get UUID of created secret");
        return false;
    }
    vkshPrintExtra(ctl, "Secret %s created\n", uuid);
    return true;
}

/* ---- secret-dumpxml ------------------------------------------------------ */

static const vkshOptDef optsSecretDumpxml[] = {
    { "secret", VKSH_OT_STRING, VKSH_OFLAG_REQ, "secret UUID" },
    { "xpath", VKSH_OT_STRING, 0, "xpath expression to filter the XML document" },
    { "wrap", VKSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL, 0, 0, NULL },
};

static bool
cmdSecretDumpxml(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virSecret) secret = NULL;
    g_autofree char *xml = NULL;
    const char *xpath = NULL;

    if (!(secret = vkshCommandOptSecret(ctl, cmd)))
        return false;
    if (vkshOptString(ctl, cmd, "xpath", &xpath) < 0)
        return false;
    if (!(xml = virSecretGetXMLDesc(secret, 0)))
        return false;
    if (xpath || vkshOptBool(cmd, "wrap"))
        return vkshXMLPrintXPath(ctl, xml, xpath, vkshOptBool(cmd, "wrap"));
    vkshPrint(ctl, "%s", xml);
    return true;
}

/* ---- secret-set-value / secret-get-value ---------------------------------- */

static const vkshOptDef optsSecretSetValue[] = {
    { "secret", VKSH_OT_STRING, VKSH_OFLAG_REQ, "secret UUID" },
    { "file", VKSH_OT_STRING, 0, "read secret from file" },
    { "plain", VKSH_OT_BOOL, 0,
      "read the secret from file without converting from base64" },
    { "interactive", VKSH_OT_BOOL, 0, "read the secret from the terminal" },
    { "base64", VKSH_OT_STRING, 0, "base64-encoded secret value" },
    { NULL, 0, 0, NULL },
};

/* virsh reads at most 1024 bytes of a secret file (virFileReadAll). */
#define VKSH_SECRET_FILE_MAX 1024

static bool
cmdSecretSetValue(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virSecret) secret = NULL;
    g_autofree char *fileBuf = NULL;
    g_autofree unsigned char *value = NULL;
    const char *base64 = NULL;
    const char *file = NULL;
    bool plain = vkshOptBool(cmd, "plain");
    bool interactive = vkshOptBool(cmd, "interactive");
    gsize size = 0;
    gsize fileLen = 0;

    if (!vkshOptExclusive(ctl, cmd, "file", "base64") ||
        !vkshOptExclusive(ctl, cmd, "plain", "base64") ||
        !vkshOptExclusive(ctl, cmd, "interactive", "base64") ||
        !vkshOptExclusive(ctl, cmd, "interactive", "plain") ||
        !vkshOptExclusive(ctl, cmd, "interactive", "file"))
        return false;
    if (!(secret = vkshCommandOptSecret(ctl, cmd)))
        return false;
    if (vkshOptString(ctl, cmd, "base64", &base64) < 0 ||
        vkshOptString(ctl, cmd, "file", &file) < 0)
        return false;
    if (!base64 && !file && !interactive) {
        vkshError(ctl, "%s", "Input secret value is missing");
        return false;
    }
    if (base64)
        vkshError(ctl, "%s",
                  "Passing secret value as command-line argument is insecure!");
    if (file) {
        g_autoptr(GError) err = NULL;

        if (!g_file_get_contents(file, &fileBuf, &fileLen, &err)) {
            int code = err->domain == G_FILE_ERROR ? err->code : G_FILE_ERROR_FAILED;

            vkshError(ctl, "Failed to open file '%s': %s", file,
                      code == G_FILE_ERROR_NOENT   ? g_strerror(ENOENT)
                      : code == G_FILE_ERROR_ACCES ? g_strerror(EACCES)
                      : code == G_FILE_ERROR_ISDIR ? g_strerror(EISDIR)
                                                   : err->message);
            return false;
        }
        if (fileLen > VKSH_SECRET_FILE_MAX) {
            vkshError(ctl, "File '%s' is too large", file);
            return false;
        }
        base64 = fileBuf;
    }
    if (interactive) {
        /* virsh asks on the terminal; without one there is nothing to read */
        vkshError(ctl, "%s", "Failed to read secret");
        return false;
    }
    if (plain) {
        value = (unsigned char *)g_steal_pointer(&fileBuf);
        size = fileLen;
    } else {
        value = g_base64_decode(base64, &size);
    }
    if (virSecretSetValue(secret, value ? value : (const unsigned char *)"", size, 0) <
        0) {
        if (value)
            memset(value, 0, size);
        vkshError(ctl, "%s", "Failed to set secret value");
        return false;
    }
    if (value)
        memset(value, 0, size);
    vkshPrintExtra(ctl, "%s", "Secret value set\n");
    return true;
}

static const vkshOptDef optsSecretGetValue[] = {
    { "secret", VKSH_OT_STRING, VKSH_OFLAG_REQ, "secret UUID" },
    { "plain", VKSH_OT_BOOL, 0, "get value without converting to base64" },
    { NULL, 0, 0, NULL },
};

static bool
cmdSecretGetValue(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virSecret) secret = NULL;
    unsigned char *value;
    size_t size = 0;
    bool ok = true;

    if (!(secret = vkshCommandOptSecret(ctl, cmd)))
        return false;
    if (!(value = virSecretGetValue(secret, &size, 0)))
        return false;
    if (vkshOptBool(cmd, "plain")) {
        fflush(stdout);
        if (fwrite(value, 1, size, stdout) != size) {
            vkshError(ctl, "%s", "failed to write secret");
            ok = false;
        }
    } else {
        g_autofree char *b64 = g_base64_encode(value, size);

        vkshPrint(ctl, "%s", b64);
        memset(b64, 0, strlen(b64));
    }
    memset(value, 0, size);
    free(value);
    return ok;
}

/* ---- secret-undefine ------------------------------------------------------ */

static bool
cmdSecretUndefine(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virSecret) secret = NULL;
    const char *uuid = NULL;

    if (!(secret = vkshCommandOptSecret(ctl, cmd)))
        return false;
    vkshOptString(ctl, cmd, "secret", &uuid);
    if (virSecretUndefine(secret) < 0) {
        vkshError(ctl, "Failed to delete secret %s", uuid);
        return false;
    }
    vkshPrintExtra(ctl, "Secret %s deleted\n", uuid);
    return true;
}

/* ---- secret-list ------------------------------------------------------------ */

static const vkshOptDef optsSecretList[] = {
    { "ephemeral", VKSH_OT_BOOL, 0, "list ephemeral secrets" },
    { "no-ephemeral", VKSH_OT_BOOL, 0, "list non-ephemeral secrets" },
    { "private", VKSH_OT_BOOL, 0, "list private secrets" },
    { "no-private", VKSH_OT_BOOL, 0, "list non-private secrets" },
    { NULL, 0, 0, NULL },
};

static int
vkshSecretSorter(gconstpointer a, gconstpointer b)
{
    virSecretPtr sa = *(virSecretPtr const *)a;
    virSecretPtr sb = *(virSecretPtr const *)b;
    char ua[VIR_UUID_STRING_BUFLEN];
    char ub[VIR_UUID_STRING_BUFLEN];

    virSecretGetUUIDString(sa, ua);
    virSecretGetUUIDString(sb, ub);
    return strcmp(ua, ub);
}

/* The secrets matching @flags, as virsh collects them: ListAll, else (only
 * without flags) the count, the UUIDs and a lookup of each. NULL after
 * reporting. */
static GPtrArray *
vkshSecretCollect(vkshControl *ctl, unsigned int flags)
{
    g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(vkshSecretRelease);
    virSecretPtr *all = NULL;
    g_autofree char **uuids = NULL;
    int n;

    if ((n = virConnectListAllSecrets(ctl->conn, &all, flags)) >= 0) {
        for (int i = 0; i < n; i++)
            g_ptr_array_add(list, all[i]);
        free(all);
        goto sort;
    }
    if (vkshLastErrorCode() != VIR_ERR_NO_SUPPORT) {
        vkshError(ctl, "%s", "Failed to list node secrets");
        return NULL;
    }
    vkshResetError();
    if (flags) {
        vkshError(ctl, "%s", "Filtering is not supported by this libvirt");
        return NULL;
    }
    if ((n = virConnectNumOfSecrets(ctl->conn)) < 0) {
        vkshError(ctl, "%s", "Failed to count secrets");
        return NULL;
    }
    if (n == 0)
        return g_steal_pointer(&list);
    uuids = g_new0(char *, n);
    if ((n = virConnectListSecrets(ctl->conn, uuids, n)) < 0) {
        vkshError(ctl, "%s", "Failed to list secrets");
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        virSecretPtr s = virSecretLookupByUUIDString(ctl->conn, uuids[i]);

        if (s)
            g_ptr_array_add(list, s);
        free(uuids[i]);
    }
sort:
    g_ptr_array_sort(list, vkshSecretSorter);
    return g_steal_pointer(&list);
}

static bool
cmdSecretList(vkshControl *ctl, const vkshCmd *cmd)
{
    static const char *const usageTypes[] = { "none",  "volume", "ceph",
                                              "iscsi", "tls",    "vtpm" };
    g_autoptr(GPtrArray) list = NULL;
    g_autoptr(GPtrArray) rows =
        g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    unsigned int flags = 0;

    if (vkshOptBool(cmd, "ephemeral"))
        flags |= VIR_CONNECT_LIST_SECRETS_EPHEMERAL;
    if (vkshOptBool(cmd, "no-ephemeral"))
        flags |= VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL;
    if (vkshOptBool(cmd, "private"))
        flags |= VIR_CONNECT_LIST_SECRETS_PRIVATE;
    if (vkshOptBool(cmd, "no-private"))
        flags |= VIR_CONNECT_LIST_SECRETS_NO_PRIVATE;
    if (!(list = vkshSecretCollect(ctl, flags)))
        return false;

    g_ptr_array_add(rows, g_strdupv((char *[]){ "UUID", "Usage", NULL }));
    for (guint i = 0; i < list->len; i++) {
        virSecretPtr s = list->pdata[i];
        int type = virSecretGetUsageType(s);
        char uuid[VIR_UUID_STRING_BUFLEN];
        char **row = g_new0(char *, 3);

        if (virSecretGetUUIDString(s, uuid) < 0)
            return false;
        row[0] = g_strdup(uuid);
        if (type > VIR_SECRET_USAGE_TYPE_NONE && type < (int)G_N_ELEMENTS(usageTypes))
            row[1] = g_strdup_printf("%s %s", usageTypes[type], virSecretGetUsageID(s));
        else
            row[1] = g_strdup("Unused");
        g_ptr_array_add(rows, row);
    }
    vkshTablePrint(ctl, rows, 2, !ctl->quiet);
    return true;
}

const vkshCmdDef vkshSecretCmds[] = {
    { "secret-define", cmdSecretDefine, optsSecretDefine,
      "define or modify a secret from an XML file", "Define or modify a secret.", 0 },
    { "secret-dumpxml", cmdSecretDumpxml, optsSecretDumpxml, "secret attributes in XML",
      "Output attributes of a secret as an XML dump to stdout.", 0 },
    { "secret-event", vkshCmdSecretEvent, vkshOptsSecretEvent, "Secret Events",
      "List event types, or wait for secret events to occur", 0 },
    { "secret-get-value", cmdSecretGetValue, optsSecretGetValue, "Output a secret value",
      "Output a secret value to stdout.", 0 },
    { "secret-list", cmdSecretList, optsSecretList, "list secrets",
      "Returns a list of secrets", 0 },
    { "secret-set-value", cmdSecretSetValue, optsSecretSetValue, "set a secret value",
      "Set a secret value.", 0 },
    { "secret-undefine", cmdSecretUndefine, optsSecretOnly, "undefine a secret",
      "Undefine a secret.", 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
