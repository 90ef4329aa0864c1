/* qemu_iothread.h: a guest's IOThreads in QEMU (-object iothread, main-loop) */
#pragma once

#include <glib.h>

#include "domain_conf.h"

/*
 * As libvirt 9.0 with QEMU 7.2: after -smp, one
 * -object {"qom-type":"iothread","id":"iothreadN"} per IOThread in the
 * definition's order, with "thread-pool-min"/"thread-pool-max" when set,
 * then a {"qom-type":"main-loop","id":"main-loop",...} object when
 * <defaultiothread> sets a pool size. A virtio disk on an IOThread gets
 * iothread=iothreadN on its -device (qemu_command.c).
 */
void qemuBuildIOThreadArgs(GPtrArray *a, const virDomainDef *def);

/* The QOM id of IOThread @id ("iothreadN"); the caller frees it. */
char *qemuIOThreadAlias(unsigned int id);
