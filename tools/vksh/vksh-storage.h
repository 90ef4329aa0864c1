/* vksh-storage.h: helpers shared by the pool and volume commands (vksh-pool.c, vksh-volume.c) */
#pragma once

#include "vksh.h"

extern const vkshCmdDef vkshPoolCmds[];
extern const vkshCmdDef vkshVolumeCmds[];

/* virsh's vshPrettyCapacity: @val scaled to B..EiB (binary), *unit set. */
double vkshPrettyCapacity(unsigned long long val, const char **unit);
/* "%.2f %s" of the above, allocated. */
char *vkshPrettyString(unsigned long long val);

/* virsh's vshTable layout (the header row first; -q drops it). */
void vkshStorageTablePrint(vkshControl *ctl, GPtrArray *rows, size_t ncols);

/* The pool named (UUID, then name) by option @optname; NULL after
 * "failed to get pool 'X'". *name (optional) gets the string given. */
virStoragePoolPtr vkshCommandOptPoolBy(vkshControl *ctl, const vkshCmd *cmd,
                                       const char *optname, const char **name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virStoragePool, virStoragePoolFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virStorageVol, virStorageVolFree)
