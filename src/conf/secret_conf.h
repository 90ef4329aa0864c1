/* secret_conf.h: the <secret> XML definition (libvirt 9.0's parse checks, messages and layout) */
#pragma once

#include <stdbool.h>

#include <libvirt/libvirt.h>

typedef struct {
    bool isephemeral; /* kept in memory only */
    bool isprivate;   /* the value is never given out */
    unsigned char uuid[VIR_UUID_BUFLEN];
    char *description; /* NULL: none */
    int usage_type;    /* virSecretUsageType */
    char *usage_id;    /* NULL for VIR_SECRET_USAGE_TYPE_NONE */
} virSecretDef;

void virSecretDefFree(virSecretDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virSecretDef, virSecretDefFree)

/* Parse a <secret> document: a missing <uuid> gets a random one. NULL with
 * libvirt's error (domain VIR_FROM_SECRET): XML_DETAIL for a document that
 * does not parse, XML_ERROR for another root or a bad ephemeral/private,
 * INTERNAL_ERROR "malformed uuid element", CONFIG_UNSUPPORTED "unknown
 * secret usage type X", INTERNAL_ERROR "<kind> usage specified, but ... is
 * missing". */
virSecretDef *virSecretDefParseString(const char *xml);
/* The same from a file (at most 10 MiB); its name is the XML "URL". */
virSecretDef *virSecretDefParseFile(const char *path);

/* The document as libvirt writes it (never fails). */
char *virSecretDefFormat(const virSecretDef *def);

/* "none", "volume", "ceph", "iscsi", "tls", "vtpm"; NULL if out of range. */
const char *virSecretUsageTypeToString(int type);
/* The usage type named @str, or -1. */
int virSecretUsageTypeFromString(const char *str);
