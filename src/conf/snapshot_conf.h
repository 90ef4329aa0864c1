/* snapshot_conf.h: domain snapshot definitions (<domainsnapshot> XML) and a domain's snapshot tree */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "domain_conf.h"
#include "moment_conf.h"

/* Where a memory or disk snapshot lives (libvirt's names). */
typedef enum {
    VIR_DOMAIN_SNAPSHOT_LOCATION_DEFAULT = 0,
    VIR_DOMAIN_SNAPSHOT_LOCATION_NO,
    VIR_DOMAIN_SNAPSHOT_LOCATION_INTERNAL,
    VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL,
    VIR_DOMAIN_SNAPSHOT_LOCATION_MANUAL,
    VIR_DOMAIN_SNAPSHOT_LOCATION_LAST
} virDomainSnapshotLocation;

/* virDomainState's values plus "disk-snapshot". */
typedef enum {
    VIR_DOMAIN_SNAPSHOT_NOSTATE = 0,
    VIR_DOMAIN_SNAPSHOT_RUNNING,
    VIR_DOMAIN_SNAPSHOT_BLOCKED,
    VIR_DOMAIN_SNAPSHOT_PAUSED,
    VIR_DOMAIN_SNAPSHOT_SHUTDOWN,
    VIR_DOMAIN_SNAPSHOT_SHUTOFF,
    VIR_DOMAIN_SNAPSHOT_CRASHED,
    VIR_DOMAIN_SNAPSHOT_PMSUSPENDED,
    VIR_DOMAIN_SNAPSHOT_DISK_SNAPSHOT,
    VIR_DOMAIN_SNAPSHOT_LAST
} virDomainSnapshotState;

const char *virDomainSnapshotLocationToString(int loc);
const char *virDomainSnapshotStateToString(int state);

typedef struct {
    char *name;   /* the disk's target after virDomainSnapshotAlignDisks */
    int snapshot; /* virDomainSnapshotLocation */
    bool block;   /* type='block' (source dev=...) instead of 'file' */
    char *path;   /* external: the new overlay; NULL when not given */
    int format;   /* virStorageFormat of <driver type=...>; NONE if absent */
} virDomainSnapshotDiskDef;

typedef struct _virDomainSnapshotDef virDomainSnapshotDef;
struct _virDomainSnapshotDef {
    union { /* moment_conf.h */
        virDomainMomentDef moment;
        struct {
            VIR_DOMAIN_MOMENT_FIELDS;
        };
    };
    int state;        /* virDomainSnapshotState */
    int memory;       /* virDomainSnapshotLocation */
    char *memoryFile; /* external memory only */
    size_t ndisks;
    virDomainSnapshotDiskDef *disks;
    virDomainDef *dom; /* the definition when taken; may be NULL (old metadata) */
};

void virDomainSnapshotDefFree(virDomainSnapshotDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainSnapshotDef, virDomainSnapshotDefFree);

typedef enum {
    VIR_DOMAIN_SNAPSHOT_PARSE_REDEFINE = 1 << 0, /* metadata of an existing snapshot */
    VIR_DOMAIN_SNAPSHOT_PARSE_INTERNAL = 1 << 1, /* a metadata file: read <active> */
    VIR_DOMAIN_SNAPSHOT_PARSE_OFFLINE = 1 << 2,  /* the domain is shut off */
} virDomainSnapshotParseFlags;

/*
 * Parse a <domainsnapshot> document as libvirt 9.0 does: syntax errors
 * XML_DETAIL "(domain_snapshot):LINE: ..." (DOMAIN_SNAPSHOT), a wrong root
 * or bad attribute value XML_ERROR (XML), the memory/disk location rules
 * and, with REDEFINE, creationTime/state/name/<domain> required. Without
 * REDEFINE a missing name becomes the creation time (now) and
 * creationTime is set to now; state is left for the driver. With
 * INTERNAL, *@current is set from <active>. Returns a new def or NULL with
 * the error reported. Never touches anything but @xml.
 */
virDomainSnapshotDef *virDomainSnapshotDefParseString(const char *xml, unsigned int flags,
                                                      bool *current);

typedef enum {
    VIR_DOMAIN_SNAPSHOT_FORMAT_SECURE = 1 << 0,
    VIR_DOMAIN_SNAPSHOT_FORMAT_INTERNAL = 1 << 1, /* add <active> */
    VIR_DOMAIN_SNAPSHOT_FORMAT_CURRENT = 1 << 2,  /* <active>1</active> */
} virDomainSnapshotFormatFlags;

/* libvirt's layout; @uuidstr is formatted as <domain><uuid> when @def has
 * no domain. Never fails; a new string. */
char *virDomainSnapshotDefFormat(const char *uuidstr, const virDomainSnapshotDef *def,
                                 unsigned int flags);

/*
 * libvirt's virDomainSnapshotAlignDisks: one entry per disk of @def->dom
 * (or @domdef when @def has none), in the domain's order, named by
 * target; disks not mentioned get @defaultLoc (empty drives "no"); with
 * @uniform and an internal default, every disk must be internal (or no).
 * External disks without a path get "<source minus suffix>.<name>".
 * 0, or -1 with libvirt's CONFIG_UNSUPPORTED / INTERNAL_ERROR.
 */
int virDomainSnapshotAlignDisks(virDomainSnapshotDef *def, const virDomainDef *domdef,
                                int defaultLoc, bool uniform);

/* True when the memory or a disk of @def is external. */
bool virDomainSnapshotDefIsExternal(const virDomainSnapshotDef *def);

/* The snapshot tree of one domain and its queries: snapshot_obj.h. */

/* The filter flags a driver accepts for listing (libvirt's FILTERS_ALL). */
#define VIR_DOMAIN_SNAPSHOT_FILTERS_ALL                                         \
    (VIR_DOMAIN_SNAPSHOT_LIST_LEAVES | VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES |     \
     VIR_DOMAIN_SNAPSHOT_LIST_METADATA | VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA | \
     VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE | VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE |      \
     VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY | VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL |   \
     VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL)
