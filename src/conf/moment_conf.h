/* moment_conf.h: what snapshot and checkpoint definitions share (libvirt's "domain moments"): their common fields, their parse, the lookup of the disks their <disks> name */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

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

/* Frees what @moment's fields own (not @moment itself). */
void virDomainMomentDefClear(virDomainMomentDef *moment);

/*
 * The fields every moment document has, from its root element @root into
 * @moment (empty): <name> (an empty one is none), <description>; when
 * @redefine, <creationTime> and <parent><name>, else the time now and, with
 * no name, that time as the name. -1 with XML_ERROR "a redefined @kind must
 * have a name" or INTERNAL_ERROR "missing creationTime from existing
 * @kind" reported in @errdom (libvirt's texts); what was set stays in
 * @moment for its owner to free.
 */
int virDomainMomentParseHeader(xmlNodePtr root, virDomainMomentDef *moment, bool redefine,
                               const char *kind, int errdom);

/*
 * virDomainXMLReadDoc for a moment document (@url names it in messages);
 * a syntax error is reported in @errdom, as libvirt reports a snapshot's
 * or a checkpoint's. The doc (xmlFreeDoc) or NULL.
 */
xmlDocPtr virDomainMomentReadDoc(const char *xml, const char *url, int errdom);
