/* moment_conf.h: what snapshot and checkpoint definitions share (libvirt's "domain moments"): the lookup of the disks their <disks> name */
#pragma once

#include <stddef.h>

#include "domain_conf.h"

/*
 * libvirt's lookup of the @i-th disk a moment's <disks> names: the index
 * in @dom->disks of @name (a target, else a source path) that none of the
 * @i disks named before it took (@taken: their indexes). Returns it, or
 * -1 with CONFIG_UNSUPPORTED "no disk named 'X'" / "disk 'X' specified
 * twice" reported (in the caller's error domain, @errdom).
 */
int virDomainMomentDiskIndex(const virDomainDef *dom, const char *name,
                             const size_t *taken, size_t i, int errdom);
