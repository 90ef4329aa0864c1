/* storage_encryption_conf.c: a disk's or a volume's <encryption> as libvirt 9.0 reads and writes it */

#define G_LOG_DOMAIN "virtkit.conf.encryption"

#include <string.h>

#include "storage_encryption_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_STORAGE

const char *const virStorageEncryptionFormatNames[VIR_STORAGE_ENCRYPTION_FORMAT_LAST] = {
    "default",
    "qcow",
    "luks",
    "luks2",
};
static const char *const engineNames[VIR_STORAGE_ENCRYPTION_ENGINE_LAST] = {
    "default",
    "qemu",
    "librbd",
};

void
virStorageEncryptionFree(virStorageEncryption *enc)
{
    if (!enc)
        return;
    for (size_t i = 0; i < enc->nsecrets; i++)
        g_free(enc->secrets[i].usage);
    g_free(enc->secrets);
    g_free(enc->cipherName);
    g_free(enc->cipherMode);
    g_free(enc->cipherHash);
    g_free(enc->ivgenName);
    g_free(enc->ivgenHash);
    g_free(enc);
}

virStorageEncryption *
virStorageEncryptionCopy(const virStorageEncryption *enc)
{
    virStorageEncryption *c;

    if (!enc)
        return NULL;
    c = g_new0(virStorageEncryption, 1);
    c->format = enc->format;
    c->engine = enc->engine;
    c->nsecrets = enc->nsecrets;
    c->secrets = g_new0(virStorageEncryptionSecret, enc->nsecrets + 1);
    for (size_t i = 0; i < enc->nsecrets; i++) {
        c->secrets[i] = enc->secrets[i];
        c->secrets[i].usage = g_strdup(enc->secrets[i].usage);
    }
    c->cipherName = g_strdup(enc->cipherName);
    c->cipherSize = enc->cipherSize;
    c->cipherMode = g_strdup(enc->cipherMode);
    c->cipherHash = g_strdup(enc->cipherHash);
    c->ivgenName = g_strdup(enc->ivgenName);
    c->ivgenHash = g_strdup(enc->ivgenHash);
    return c;
}

static int
enumFromString(const char *const *names, int last, const char *str)
{
    for (int i = 0; i < last; i++) {
        if (g_str_equal(names[i], str))
            return i;
    }
    return -1;
}

/* <secret type uuid|usage>: libvirt's virStorageEncryptionSecretParse, the
 * lookup part with virSecretLookupParseSecret's errors (domain NONE) */
static int
parseSecret(xmlNodePtr node, virStorageEncryptionSecret *sec)
{
    g_autofree char *type = virDomainXMLProp(node, "type");
    g_autofree char *uuid = NULL;

    if (!type) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "unknown volume encryption secret type");
        return -1;
    }
    if (!g_str_equal(type, "passphrase")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "unknown volume encryption secret type %s", type);
        return -1;
    }
    uuid = virDomainXMLProp(node, "uuid");
    sec->usage = virDomainXMLProp(node, "usage");
    if (!uuid && !sec->usage) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_XML_ERROR, __func__, "%s",
                           "missing secret uuid or usage attribute");
        return -1;
    }
    if (uuid && sec->usage) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_XML_ERROR, __func__, "%s",
                           "either secret uuid or usage expected");
        return -1;
    }
    if (uuid) {
        if (virUUIDParse(uuid, sec->uuid) < 0) {
            virReportErrorFull(VIR_FROM_NONE, VIR_ERR_XML_ERROR, __func__,
                               "invalid secret uuid '%s'", uuid);
            return -1;
        }
        sec->useUUID = true;
    }
    return 0;
}

/* <cipher> and <ivgen> of a luks encryption */
static int
parseLuksInfo(xmlNodePtr node, virStorageEncryption *enc)
{
    xmlNodePtr cipher = virDomainXMLChild(node, "cipher");
    xmlNodePtr ivgen = virDomainXMLChild(node, "ivgen");

    if (cipher) {
        g_autofree char *size = NULL;

        if (!(enc->cipherName = virDomainXMLProp(cipher, "name"))) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "cipher info missing 'name' attribute");
            return -1;
        }
        if (!(size = virDomainXMLProp(cipher, "size"))) {
            virDomainXMLReportMissingAttr("size", cipher);
            return -1;
        }
        if (virDomainXMLPropUInt(cipher, "size", &enc->cipherSize) < 0)
            return -1;
        enc->cipherMode = virDomainXMLProp(cipher, "mode");
        enc->cipherHash = virDomainXMLProp(cipher, "hash");
    }
    if (ivgen) {
        if (!enc->cipherName) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "ivgen element found, but cipher is missing");
            return -1;
        }
        if (!(enc->ivgenName = virDomainXMLProp(ivgen, "name"))) {
            virReportError(VIR_ERR_XML_ERROR, "%s", "missing ivgen info name string");
            return -1;
        }
        enc->ivgenHash = virDomainXMLProp(ivgen, "hash");
    }
    return 0;
}

virStorageEncryption *
virStorageEncryptionParse(xmlNodePtr node)
{
    g_autoptr(virStorageEncryption) enc = g_new0(virStorageEncryption, 1);
    g_autofree char *format = virDomainXMLProp(node, "format");
    g_autofree char *engine = virDomainXMLProp(node, "engine");
    size_t n = 0;

    if (!format) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "unknown volume encryption format");
        return NULL;
    }
    if ((enc->format = enumFromString(virStorageEncryptionFormatNames,
                                      VIR_STORAGE_ENCRYPTION_FORMAT_LAST, format)) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "unknown volume encryption format type %s", format);
        return NULL;
    }
    /* libvirt's virXMLPropEnum with NONZERO: "default" may not be written */
    if (engine && (enc->engine = enumFromString(
                       engineNames, VIR_STORAGE_ENCRYPTION_ENGINE_LAST, engine)) <= 0) {
        enc->engine = 0;
        virDomainXMLReportInvalidAttr("engine", node, engine);
        return NULL;
    }
    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        if (virDomainXMLNodeIs(cur, "secret"))
            n++;
    }
    enc->secrets = g_new0(virStorageEncryptionSecret, n + 1);
    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        if (!virDomainXMLNodeIs(cur, "secret"))
            continue;
        if (parseSecret(cur, &enc->secrets[enc->nsecrets++]) < 0)
            return NULL;
    }
    if (enc->format == VIR_STORAGE_ENCRYPTION_FORMAT_LUKS && parseLuksInfo(node, enc) < 0)
        return NULL;
    return g_steal_pointer(&enc);
}

static void
indentTo(GString *buf, int indent)
{
    for (int i = 0; i < indent; i++)
        g_string_append_c(buf, ' ');
}

/* " NAME='VALUE'" escaped, nothing for NULL */
static void
attr(GString *buf, const char *name, const char *value)
{
    if (!value)
        return;
    g_string_append_printf(buf, " %s='", name);
    virDomainXMLEscape(buf, value);
    g_string_append_c(buf, '\'');
}

void
virStorageEncryptionFormat(GString *buf, int indent, const virStorageEncryption *enc)
{
    indentTo(buf, indent);
    g_string_append_printf(buf, "<encryption format='%s'",
                           virStorageEncryptionFormatNames[enc->format]);
    if (enc->engine != VIR_STORAGE_ENCRYPTION_ENGINE_DEFAULT)
        g_string_append_printf(buf, " engine='%s'", engineNames[enc->engine]);
    g_string_append(buf, ">\n");
    for (size_t i = 0; i < enc->nsecrets; i++) {
        const virStorageEncryptionSecret *s = &enc->secrets[i];

        indentTo(buf, indent + 2);
        g_string_append(buf, "<secret type='passphrase'");
        if (s->useUUID) {
            char uuid[VIR_UUID_STRING_BUFLEN];

            g_string_append_printf(buf, " uuid='%s'", virUUIDFormat(s->uuid, uuid));
        } else {
            attr(buf, "usage", s->usage);
        }
        g_string_append(buf, "/>\n");
    }
    if (enc->format == VIR_STORAGE_ENCRYPTION_FORMAT_LUKS && enc->cipherName) {
        indentTo(buf, indent + 2);
        g_string_append(buf, "<cipher");
        attr(buf, "name", enc->cipherName);
        g_string_append_printf(buf, " size='%u'", enc->cipherSize);
        attr(buf, "mode", enc->cipherMode);
        attr(buf, "hash", enc->cipherHash);
        g_string_append(buf, "/>\n");
        if (enc->ivgenName) {
            indentTo(buf, indent + 2);
            g_string_append(buf, "<ivgen");
            attr(buf, "name", enc->ivgenName);
            attr(buf, "hash", enc->ivgenHash);
            g_string_append(buf, "/>\n");
        }
    }
    indentTo(buf, indent);
    g_string_append(buf, "</encryption>\n");
}
