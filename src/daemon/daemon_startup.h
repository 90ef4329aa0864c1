/* daemon_startup.h: driver state for virtkitd: init order, startup events, idle check */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>
#include "daemon_config.h"

/*
 * Initialize the QEMU driver state for @cfg (definitions, then status
 * files, then reconnect; see qemu_driver.h), then autostart once per boot
 * (marker <runtime>/qemu/autostarted, shared with the driver's contract),
 * and open the daemon's own connection to it, with a lifecycle callback
 * that records every event raised before and during the first
 * cfg->startupEventKeep seconds (the STOPPED/FAILED of a guest whose QEMU
 * died while the daemon was down, in particular). Main thread, before
 * clients are accepted. Returns 0, or -1 with *error set; nothing is
 * killed on failure.
 *
 * Directory mapping (libvirt's own layout, see docs in daemon README):
 *   definitions  cfg->configDir
 *   status files cfg->runtimeDir/qemu (+ "autostarted" marker: per boot)
 *   lib (monitor sockets) cfg->stateDir/qemu
 *   logs         cfg->logDir, cache cfg->cacheDir
 */
int vkdStartupInitDrivers(const vkdConfig *cfg, GError **error);

/* Close the daemon's connection and free the driver state. Running guests
 * keep running. */
void vkdStartupCleanupDrivers(void);

/* Number of active guests of the QEMU driver (for --timeout), -1 on error. */
int vkdStartupCountActive(void);

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
