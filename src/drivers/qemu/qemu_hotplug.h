/* qemu_hotplug.h: changing a running guest's hardware: monitor calls under a job, the device-removal wait */
#pragma once

#include "domain_conf.h"
#include "domain_obj.h"

struct json_object;

/* @cmd with @args (borrowed, may be NULL) on @obj's monitor, the object
 * unlocked while QEMU answers (locked, job held, on entry and return).
 * 0 (*reply the "return" member when @reply is not NULL), or -1 with an
 * error reported (also when the domain stopped meanwhile). */
int qemuHotplugMonitor(virDomainObj *obj, const char *cmd, struct json_object *args,
                       struct json_object **reply);

/* device_del @alias and wait for QEMU's DEVICE_DELETED (the guest's
 * answer). 1 when the device is gone, 0 when the wait ended without it
 * (the guest did not release it in time), -1 with an error reported when
 * QEMU refused. Object locked, job held. */
int qemuHotplugDeviceDel(virDomainObj *obj, const char *alias);

/* The monitor thread's DEVICE_DELETED for @alias / QOM @path (either may
 * be NULL; object locked): true when a qemuHotplugDeviceDel waits for
 * that device or one of its children (it is woken). */
bool qemuHotplugDeviceDeleted(virDomainObj *obj, const char *alias, const char *path);

/* A disk of @def by target name or source path (*idx its index when
 * @idx is not NULL), or NULL. */
virDomainDiskDef *qemuHotplugFindDisk(virDomainDef *def, const char *name, size_t *idx);
