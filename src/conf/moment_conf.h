/* moment_conf.h: what snapshot and checkpoint definitions share (libvirt's "domain moments"): their common fields, the lookup of the disks their <disks> name */
#pragma once

#include <stddef.h>

#include "domain_conf.h"

/*
 * What every moment definition begins with. virDomainSnapshotDef and
 * virDomainCheckpointDef start with
 *     union { virDomainMomentDef moment; struct { VIR_DOMAIN_MOMENT_FIELDS; }; };
 * so that their fields read as def->name and the tree sees &def->moment.
 */
#define VIR_DOMAIN_MOMENT_FIELDS                  \
    char *name;                                   \
    char *description;     /* NULL when absent */ \
    char *parent_name;     /* NULL for a root */  \
    long long creationTime /* seconds since the epoch */

typedef struct {
    VIR_DOMAIN_MOMENT_FIELDS;
} virDomainMomentDef;

/*
 * libvirt's lookup of the @i-th disk a moment's <disks> names: the index
 * in @dom->disks of @name (a target, else a source path) that none of the
 * @i disks named before it took (@taken: their indexes). Returns it, or
 * -1 with CONFIG_UNSUPPORTED "no disk named 'X'" / "disk 'X' specified
 * twice" reported (in the caller's error domain, @errdom).
 */
int virDomainMomentDiskIndex(const virDomainDef *dom, const char *name,
                             const size_t *taken, size_t i, int errdom);
