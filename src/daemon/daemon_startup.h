/* daemon_startup.h: driver state for virtkitd: init order, startup events, idle check */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>
#include "daemon_config.h"

/*
 * Initialize every driver the daemon hosts (driver-state.h: each derives
 * its folders from @cfg's roots; the QEMU driver: definitions, status
 * files, reconnect, see qemu_driver.h), open the daemon's own connection
 * with a lifecycle callback, the first one registered, which records
 * every event of the start and of the first moments (the STOPPED/FAILED
 * of a guest whose QEMU died while the daemon was down, in particular),
 * then autostart once per boot. Main thread, before clients are accepted.
 * Returns 0, or -1 with *error set; nothing is killed on failure.
 */
int vkdStartupInitDrivers(const vkdConfig *cfg, GError **error);

/* Close the daemon's connection and free the driver state. Running guests
 * keep running. */
void vkdStartupCleanupDrivers(void);

/* Number of active objects of every driver (for --timeout). */
int vkdStartupCountActive(void);

/* The daemon's own connection to its hypervisor driver (NULL before
 * vkdStartupInitDrivers, after vkdStartupCleanupDrivers); lent. */
virConnectPtr vkdStartupGetConn(void);

/* One recorded startup lifecycle event. */
typedef struct {
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    int id;
    int event;
    int detail;
} vkdStartupEvent;

/* A copy of the events recorded at startup, if the retention window is
 * still open (else an empty array). Free with g_ptr_array_unref. Thread-safe. */
GPtrArray *vkdStartupEventsGet(void);
