/* checkpoint_conf.h: domain checkpoint definitions (<domaincheckpoint> XML) */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "domain_conf.h"
#include "moment_conf.h"

/* What a disk of a checkpoint gets (libvirt's names and numbers). */
typedef enum {
    VIR_DOMAIN_CHECKPOINT_TYPE_DEFAULT = 0,
    VIR_DOMAIN_CHECKPOINT_TYPE_NONE, /* "no" */
    VIR_DOMAIN_CHECKPOINT_TYPE_BITMAP,
    VIR_DOMAIN_CHECKPOINT_TYPE_LAST
} virDomainCheckpointType;

const char *virDomainCheckpointTypeToString(int type);

typedef struct {
    char *name;              /* the disk's target after virDomainCheckpointAlignDisks */
    int type;                /* virDomainCheckpointType */
    char *bitmap;            /* the dirty bitmap's name; NULL for "no" */
    unsigned long long size; /* bytes changed since the checkpoint (XML_SIZE) */
    bool sizeValid;
} virDomainCheckpointDiskDef;

typedef struct _virDomainCheckpointDef virDomainCheckpointDef;
struct _virDomainCheckpointDef {
    union { /* moment_conf.h */
        virDomainMomentDef moment;
        struct {
            VIR_DOMAIN_MOMENT_FIELDS;
        };
    };
    size_t ndisks;
    virDomainCheckpointDiskDef *disks;
    virDomainDef *dom; /* the definition when taken; NULL if unknown */
};

void virDomainCheckpointDefFree(virDomainCheckpointDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainCheckpointDef, virDomainCheckpointDefFree);

typedef enum {
    VIR_DOMAIN_CHECKPOINT_PARSE_REDEFINE = 1
                                           << 0, /* metadata of an existing checkpoint */
} virDomainCheckpointParseFlags;

/*
 * Parse a <domaincheckpoint> document as libvirt 9.0 does: syntax errors
 * XML_DETAIL "(domain_checkpoint):LINE: ..." (DOMAIN_CHECKPOINT); a wrong
 * root XML_ERROR "expecting root element of 'domaincheckpoint', not 'X'"
 * (XML); what libvirt's schema (domaincheckpoint.rng) refuses
 * XML_INVALID_SCHEMA (DOMAIN_CHECKPOINT) with libvirt's first line and
 * libxml2's detail for the common cases (an unknown element, a disk
 * attribute or value the schema does not allow). Without REDEFINE,
 * creationTime is now and a missing name becomes it; parent, creationTime
 * and <domain> are ignored. With REDEFINE the name ("a redefined checkpoint
 * must have a name", XML_ERROR) and creationTime ("missing creationTime
 * from existing checkpoint", INTERNAL_ERROR) are required and <domain> is
 * parsed. A disk without checkpoint= is a bitmap. Returns a new def or
 * NULL with the error reported; touches nothing else.
 */
virDomainCheckpointDef *virDomainCheckpointDefParseString(const char *xml,
                                                          unsigned int flags);

typedef enum {
    VIR_DOMAIN_CHECKPOINT_FORMAT_SECURE = 1 << 0,
    VIR_DOMAIN_CHECKPOINT_FORMAT_NO_DOMAIN = 1 << 1,
    VIR_DOMAIN_CHECKPOINT_FORMAT_SIZE = 1 << 2,
} virDomainCheckpointFormatFlags;

/* libvirt's layout (two-space indents, <domain> inactive). Never fails; a
 * new string. */
char *virDomainCheckpointDefFormat(const virDomainCheckpointDef *def, unsigned int flags);

/*
 * libvirt's virDomainCheckpointAlignDisks: one entry per disk of def->dom,
 * in the domain's order, named by target (a source path names its disk
 * too). Without <disks>, every disk with a writable source gets a bitmap;
 * with <disks>, a disk not named gets none; empty or read-only disks never
 * do. Bitmaps without a name take the checkpoint's. 0, or -1 with
 * libvirt's error (INTERNAL_ERROR "missing domain in checkpoint",
 * CONFIG_UNSUPPORTED "too many disk checkpoint requests for domain",
 * "domain must have at least one disk to perform checkpoints", "no disk
 * named 'X'", "disk 'X' specified twice", "disk 'X' is empty or
 * readonly"), def unchanged then.
 */
int virDomainCheckpointAlignDisks(virDomainCheckpointDef *def);
