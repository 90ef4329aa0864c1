/* qemu_boot.h: the boot order QEMU gets (bootindex), as libvirt 9.0 assigns it at start */
#pragma once

#include "domain_conf.h"

/*
 * libvirt's qemuProcessPrepareDeviceBootorder, on the live definition @def
 * of a domain being started (or shown by domxml-to-native): with
 * <os><boot dev=...> entries, the first disk, the first cdrom and the
 * first floppy of def->disks, and the first interface, get the position
 * (from 1) of their kind's entry as effectiveBootIndex; every other disk
 * and interface gets 0. Without <os><boot>, nothing changes: each keeps
 * its own <boot order> (the parser's effectiveBootIndex; the two never
 * meet, post-parse refuses both at once). The command line writes
 * effectiveBootIndex as the device's bootindex (a floppy's on its
 * controller, bootindexA/B).
 */
void qemuDomainPrepareBootOrder(virDomainDef *def);
