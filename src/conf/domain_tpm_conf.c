/* domain_tpm_conf.c: the <tpm> devices of <devices> (libvirt 9.0's models and backends) */

#define G_LOG_DOMAIN "virtkit.conf.tpm"

#include <string.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* libvirt 9.0's virDomainTPMModel, virDomainTPMBackend, virDomainTPMVersion
 * and virDomainTPMPcrBank names */
static const char *const modelNames[VIR_DOMAIN_TPM_MODEL_LAST] = {
    "default", "tpm-tis", "tpm-crb", "tpm-spapr", "spapr-tpm-proxy",
};
static const char *const typeNames[VIR_DOMAIN_TPM_TYPE_LAST] = {
    "passthrough",
    "emulator",
    "external",
};
static const char *const versionNames[VIR_DOMAIN_TPM_VERSION_LAST] = { "default", "1.2",
                                                                       "2.0" };
static const char *const bankNames[VIR_DOMAIN_TPM_PCR_BANK_LAST] = { "sha1", "sha256",
                                                                     "sha384", "sha512" };
/* libvirt's character device type names (an external backend's <source type>) */
static const char *const chrTypeNames[] = {
    "null", "vc",   "pty",      "dev",       "file", "pipe",         "stdio", "udp",
    "tcp",  "unix", "spicevmc", "spiceport", "nmdm", "qemu-vdagent", "dbus",  NULL,
};

const char *
virDomainTPMModelToString(int model)
{
    return virDomainEnumToString(modelNames, VIR_DOMAIN_TPM_MODEL_LAST, model);
}

const char *
virDomainTPMBackendTypeToString(int type)
{
    return virDomainEnumToString(typeNames, VIR_DOMAIN_TPM_TYPE_LAST, type);
}

const char *
virDomainTPMVersionToString(int version)
{
    return virDomainEnumToString(versionNames, VIR_DOMAIN_TPM_VERSION_LAST, version);
}

const char *
virDomainTPMPcrBankToString(int bank)
{
    return virDomainEnumToString(bankNames, VIR_DOMAIN_TPM_PCR_BANK_LAST, bank);
}

void
virDomainTPMDefFree(virDomainTPMDef *tpm)
{
    if (!tpm)
        return;
    g_free(tpm->path);
    g_free(tpm->sourceType);
    g_free(tpm->alias);
    g_free(tpm);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainTPMDef, virDomainTPMDefFree);

virDomainTPMDef *
virDomainTPMDefCopy(const virDomainTPMDef *tpm)
{
    virDomainTPMDef *copy;

    if (!tpm)
        return NULL;
    copy = g_memdup2(tpm, sizeof(*tpm));
    copy->path = g_strdup(tpm->path);
    copy->sourceType = g_strdup(tpm->sourceType);
    copy->alias = g_strdup(tpm->alias);
    return copy;
}

static const virDomainXMLAttrRule tpmAttrs[] = {
    { "", (const char *const[]){ "model", NULL } },
    { "backend", (const char *const[]){ "type", "version", "persistent_state", NULL } },
    { "backend/device", (const char *const[]){ "path", NULL } },
    { "backend/encryption", (const char *const[]){ "secret", NULL } },
    { "backend/source", (const char *const[]){ "type", "mode", "path", NULL } },
    { NULL, NULL },
};
static const char *const tpmChildren[] = {
    "backend",
    "backend/",
    "backend/device",
    "backend/encryption",
    "backend/active_pcr_banks",
    "backend/source",
    "address",
    NULL,
};

/* libvirt's virXMLPropEnum with VIR_XML_PROP_NONZERO: 0 (absent: *@out
 * left), 1, or -1 with its XML error */
static int
tpmPropEnum(xmlNodePtr node, const char *name, const char *const *names, int last,
            bool required, int *out)
{
    g_autofree char *str = virDomainXMLProp(node, name);
    int v;

    if (!str) {
        if (!required)
            return 0;
        virDomainXMLReportMissingAttr(name, node);
        return -1;
    }
    if ((v = virDomainEnumFromString(names, last, str)) < 0 || (v == 0 && !required)) {
        virDomainXMLReportInvalidAttr(name, node, str);
        return -1;
    }
    *out = v;
    return 1;
}

/* The first element child of @node named @name on any of @node's element
 * children called @parent (libvirt's "string(./PARENT/NAME/@ATTR)" reads
 * the first such node in document order) */
static xmlNodePtr
tpmFirstGrandChild(xmlNodePtr node, const char *parent, const char *name)
{
    for (xmlNodePtr p = node->children; p; p = p->next) {
        if (p->type != XML_ELEMENT_NODE || !virDomainXMLNodeIs(p, parent))
            continue;
        for (xmlNodePtr c = p->children; c; c = c->next) {
            if (c->type == XML_ELEMENT_NODE && virDomainXMLNodeIs(c, name))
                return c;
        }
    }
    return NULL;
}

/* libvirt's virXPathString: an empty value is none */
static char *
tpmNonEmptyProp(xmlNodePtr node, const char *name)
{
    char *v = node ? virDomainXMLProp(node, name) : NULL;

    if (v && !*v)
        g_clear_pointer(&v, g_free);
    return v;
}

static int
tpmParseEmulator(virDomainTPMDef *tpm, xmlNodePtr node, xmlNodePtr backend)
{
    g_autofree char *secret = NULL;
    g_autofree char *persistent = NULL;

    if (tpmPropEnum(backend, "version", versionNames, VIR_DOMAIN_TPM_VERSION_LAST, false,
                    &tpm->version) < 0)
        return -1;
    secret = tpmNonEmptyProp(tpmFirstGrandChild(node, "backend", "encryption"), "secret");
    if (secret) {
        if (virUUIDParse(secret, tpm->secretUUID) < 0) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "Unable to parse secret uuid '%s'",
                           secret);
            return -1;
        }
        tpm->hasSecret = true;
    }
    if ((persistent = virDomainXMLProp(backend, "persistent_state"))) {
        if (g_str_equal(persistent, "yes")) {
            tpm->persistentState = true;
        } else if (!g_str_equal(persistent, "no")) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "Invalid persistent_state value, either 'yes' or 'no'");
            return -1;
        }
    }
    /* every element below every <active_pcr_banks> of every <backend> */
    for (xmlNodePtr b = node->children; b; b = b->next) {
        if (b->type != XML_ELEMENT_NODE || !virDomainXMLNodeIs(b, "backend"))
            continue;
        for (xmlNodePtr a = b->children; a; a = a->next) {
            if (a->type != XML_ELEMENT_NODE || !virDomainXMLNodeIs(a, "active_pcr_banks"))
                continue;
            for (xmlNodePtr c = a->children; c; c = c->next) {
                int bank;

                if (c->type != XML_ELEMENT_NODE)
                    continue;
                if ((bank =
                         virDomainEnumFromString(bankNames, VIR_DOMAIN_TPM_PCR_BANK_LAST,
                                                 (const char *)c->name)) < 0) {
                    virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                                   "Unsupported PCR banks '%s'", (const char *)c->name);
                    return -1;
                }
                tpm->pcrBanks |= 1u << bank;
            }
        }
    }
    return 0;
}

static int
tpmParseExternal(virDomainTPMDef *tpm, xmlNodePtr backend)
{
    xmlNodePtr source = virDomainXMLChild(backend, "source");
    g_autofree char *mode = NULL;

    if (!(tpm->sourceType = tpmNonEmptyProp(
              tpmFirstGrandChild(backend->parent, "backend", "source"), "type"))) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing external TPM backend type");
        return -1;
    }
    if (!virDomainStrInList(chrTypeNames, tpm->sourceType)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "unknown backend type '%s' for external TPM", tpm->sourceType);
        return -1;
    }
    /* libvirt's unix character device source: mode connect (default) or
     * bind, and the path; other types keep nothing it formats */
    if (!source || !g_str_equal(tpm->sourceType, "unix"))
        return 0;
    if ((mode = virDomainXMLProp(source, "mode"))) {
        if (g_str_equal(mode, "bind")) {
            tpm->sourceListen = true;
        } else if (!g_str_equal(mode, "connect")) {
            virDomainXMLReportInvalidAttr("mode", source, mode);
            return -1;
        }
    }
    tpm->path = virDomainXMLProp(source, "path");
    return 0;
}

int
virDomainTPMParseXML(GPtrArray **tpms, xmlNodePtr node, GPtrArray *unknown,
                     unsigned int flags, bool *failed)
{
    g_autoptr(virDomainTPMDef) tpm = g_new0(virDomainTPMDef, 1);
    xmlNodePtr backend = NULL;
    size_t nbackends = 0;

    if (tpmPropEnum(node, "model", modelNames, VIR_DOMAIN_TPM_MODEL_LAST, false,
                    &tpm->model) < 0)
        return -1;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && virDomainXMLNodeIs(c, "backend")) {
            if (!backend)
                backend = c;
            nbackends++;
        }
    }
    if (nbackends > 1) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "only one TPM backend is supported");
        return -1;
    }
    if (!backend) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing TPM device backend");
        return -1;
    }
    if (tpmPropEnum(backend, "type", typeNames, VIR_DOMAIN_TPM_TYPE_LAST, true,
                    &tpm->type) < 0)
        return -1;
    switch (tpm->type) {
    case VIR_DOMAIN_TPM_TYPE_PASSTHROUGH:
        tpm->path =
            tpmNonEmptyProp(tpmFirstGrandChild(node, "backend", "device"), "path");
        if (!tpm->path)
            tpm->path = g_strdup("/dev/tpm0");
        break;
    case VIR_DOMAIN_TPM_TYPE_EMULATOR:
        if (tpmParseEmulator(tpm, node, backend) < 0)
            return -1;
        break;
    case VIR_DOMAIN_TPM_TYPE_EXTERNAL:
        if (tpmParseExternal(tpm, backend) < 0)
            return -1;
        break;
    }
    if (virDomainDeviceAddressParse(node, &tpm->addr) < 0)
        return -1;
    if (!(flags & VIR_DOMAIN_DEF_PARSE_INACTIVE)) {
        xmlNodePtr alias = virDomainXMLChild(node, "alias");

        if (alias && (tpm->alias = virDomainXMLProp(alias, "name")) && !*tpm->alias)
            g_clear_pointer(&tpm->alias, g_free);
    }
    if (virDomainDeviceCheckChildren(node, tpmChildren, unknown, flags, failed) < 0 ||
        virDomainDeviceCheckAttrs(node, tpmAttrs, unknown, flags, failed) < 0)
        return -1;
    if (!*tpms)
        *tpms = g_ptr_array_new_with_free_func((GDestroyNotify)virDomainTPMDefFree);
    g_ptr_array_add(*tpms, g_steal_pointer(&tpm));
    return 0;
}

int
virDomainTPMsValidate(const virDomainDef *def, bool filled)
{
    for (size_t i = 0; i < def->ntpms; i++) {
        const virDomainTPMDef *tpm = def->tpms[i];

        switch (tpm->type) {
        case VIR_DOMAIN_TPM_TYPE_EMULATOR:
            if (tpm->pcrBanks && tpm->version != VIR_DOMAIN_TPM_VERSION_2_0 &&
                (filled || tpm->version != VIR_DOMAIN_TPM_VERSION_DEFAULT)) {
                virReportError(VIR_ERR_XML_ERROR,
                               "<active_pcr_banks/> requires TPM version '%s'", "2.0");
                return -1;
            }
            break;
        case VIR_DOMAIN_TPM_TYPE_EXTERNAL:
            if (!g_str_equal(tpm->sourceType, "unix")) {
                virReportError(
                    VIR_ERR_XML_ERROR, "%s",
                    "only source type 'unix' is supported for external TPM device");
                return -1;
            }
            if (tpm->sourceListen) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "only 'client' mode is supported for external TPM device");
                return -1;
            }
            if (!tpm->path) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "missing socket path for external TPM device");
                return -1;
            }
            break;
        }
    }
    return 0;
}

void
virDomainTPMFormat(GString *buf, int indent, const virDomainTPMDef *tpm,
                   unsigned int flags)
{
    bool alias = tpm->alias && !(flags & VIR_DOMAIN_DEF_FORMAT_INACTIVE);
    bool children = false;
    int in = indent + 4;

    g_string_append_printf(buf, "%*s<tpm", indent, "");
    if (tpm->model)
        g_string_append_printf(buf, " model='%s'", modelNames[tpm->model]);
    g_string_append_printf(buf, ">\n%*s<backend type='%s'", indent + 2, "",
                           typeNames[tpm->type]);
    switch (tpm->type) {
    case VIR_DOMAIN_TPM_TYPE_PASSTHROUGH:
        g_string_append(buf, ">\n");
        children = true;
        if (tpm->path) {
            g_string_append_printf(buf, "%*s", in, "");
            virDomainXMLEscapeBetween(buf, "<device path='", tpm->path, "'/>\n");
        }
        break;
    case VIR_DOMAIN_TPM_TYPE_EMULATOR:
        if (tpm->version)
            g_string_append_printf(buf, " version='%s'", versionNames[tpm->version]);
        if (tpm->persistentState)
            g_string_append(buf, " persistent_state='yes'");
        if (!tpm->hasSecret && !tpm->pcrBanks)
            break;
        g_string_append(buf, ">\n");
        children = true;
        if (tpm->hasSecret) {
            char uuid[VIR_UUID_STRING_BUFLEN];

            g_string_append_printf(buf, "%*s<encryption secret='%s'/>\n", in, "",
                                   virUUIDFormat(tpm->secretUUID, uuid));
        }
        if (tpm->pcrBanks) {
            g_string_append_printf(buf, "%*s<active_pcr_banks>\n", in, "");
            for (int b = 0; b < VIR_DOMAIN_TPM_PCR_BANK_LAST; b++) {
                if (tpm->pcrBanks & (1u << b))
                    g_string_append_printf(buf, "%*s<%s/>\n", in + 2, "", bankNames[b]);
            }
            g_string_append_printf(buf, "%*s</active_pcr_banks>\n", in, "");
        }
        break;
    case VIR_DOMAIN_TPM_TYPE_EXTERNAL:
        if (!tpm->sourceType || !g_str_equal(tpm->sourceType, "unix"))
            break;
        g_string_append(buf, ">\n");
        children = true;
        g_string_append_printf(buf, "%*s<source type='unix' mode='connect'", in, "");
        if (tpm->path)
            virDomainXMLEscapeBetween(buf, " path='", tpm->path, "'");
        g_string_append(buf, "/>\n");
        break;
    }
    if (children)
        g_string_append_printf(buf, "%*s</backend>\n", indent + 2, "");
    else
        g_string_append(buf, "/>\n");
    if (alias) {
        g_string_append_printf(buf, "%*s<alias name='", indent + 2, "");
        virDomainXMLEscape(buf, tpm->alias);
        g_string_append(buf, "'/>\n");
    }
    virDomainDeviceAddressFormat(buf, indent + 2, &tpm->addr);
    g_string_append_printf(buf, "%*s</tpm>\n", indent, "");
}
