/* storage_encryption_conf.h: a disk's or a volume's <encryption> as libvirt 9.0 reads and writes it */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <libxml/tree.h>

/* <encryption format=...> (libvirt's virStorageEncryptionFormatType) */
typedef enum {
    VIR_STORAGE_ENCRYPTION_FORMAT_DEFAULT = 0,
    VIR_STORAGE_ENCRYPTION_FORMAT_QCOW,
    VIR_STORAGE_ENCRYPTION_FORMAT_LUKS,
    VIR_STORAGE_ENCRYPTION_FORMAT_LUKS2,
    VIR_STORAGE_ENCRYPTION_FORMAT_LAST
} virStorageEncryptionFormatType;

/* <encryption engine=...>: DEFAULT when absent (the QEMU driver fills in
 * QEMU for a domain's disk, as libvirt's post-parse) */
typedef enum {
    VIR_STORAGE_ENCRYPTION_ENGINE_DEFAULT = 0,
    VIR_STORAGE_ENCRYPTION_ENGINE_QEMU,
    VIR_STORAGE_ENCRYPTION_ENGINE_LIBRBD,
    VIR_STORAGE_ENCRYPTION_ENGINE_LAST
} virStorageEncryptionEngine;

/* One <secret type='passphrase' uuid=...|usage=.../> (the only type) */
typedef struct {
    bool useUUID; /* named by uuid, else by usage (a volume secret's path) */
    unsigned char uuid[16];
    char *usage;
} virStorageEncryptionSecret;

typedef struct {
    int format; /* virStorageEncryptionFormatType */
    int engine; /* virStorageEncryptionEngine */
    virStorageEncryptionSecret *secrets;
    size_t nsecrets;
    /* luks only: <cipher name size mode hash> (cipherName NULL: none) and
     * <ivgen name hash> */
    char *cipherName;
    unsigned int cipherSize;
    char *cipherMode;
    char *cipherHash;
    char *ivgenName;
    char *ivgenHash;
} virStorageEncryption;

extern const char
    *const virStorageEncryptionFormatNames[VIR_STORAGE_ENCRYPTION_FORMAT_LAST];

void virStorageEncryptionFree(virStorageEncryption *enc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virStorageEncryption, virStorageEncryptionFree);
/* A deep copy (NULL for NULL). */
virStorageEncryption *virStorageEncryptionCopy(const virStorageEncryption *enc);

/* The <encryption> element @node as libvirt's virStorageEncryptionParseNode
 * reads it: NULL with libvirt's error (code and domain) for a missing or
 * unknown format, engine or secret type, a secret without uuid or usage,
 * an incomplete <cipher> or <ivgen>. */
virStorageEncryption *virStorageEncryptionParse(xmlNodePtr node);

/* @enc as libvirt writes it, each line indented by @indent. */
void virStorageEncryptionFormat(GString *buf, int indent,
                                const virStorageEncryption *enc);
