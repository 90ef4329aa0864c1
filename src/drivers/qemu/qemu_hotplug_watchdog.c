/* qemu_hotplug_watchdog.c: the watchdog device of a running guest: its id, plugged in and out */

#define G_LOG_DOMAIN "virtkit.qemu.hotplugwatchdog"

#include "qemu_hotplug.h"

void
qemuHotplugAssignWatchdogAlias(virDomainDef *def)
{
    if (!def->watchdog)
        return;
    g_free(def->watchdog->alias);
    def->watchdog->alias = g_strdup("watchdog0");
}
