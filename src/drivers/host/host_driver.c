/* host_driver.c: the host-resources state driver: start, register the tables, stop */
#define G_LOG_DOMAIN "virtkit.host.driver"

#include "host_driver.h"

static int
hostStateInitialize(const virStateDriverRoots *roots)
{
    g_autofree char *secrets = g_build_filename(roots->configDir, "secrets", NULL);

    if (hostSecretStateInitialize(secrets) < 0)
        return -1;
    if (hostNodeDevStateInitialize(g_getenv("VIRTKIT_SYSFS")) < 0) {
        hostSecretStateCleanup();
        return -1;
    }
    virSetSharedSecretDriver(&hostSecretDriver);
    virSetSharedNodeDeviceDriver(&hostNodeDeviceDriver);
    virSetSharedInterfaceDriver(&hostInterfaceDriver);
    return 0;
}

static void
hostStateCleanup(void)
{
    /* connections opened later get no table; those open keep theirs,
     * whose entries fail cleanly once the state is gone */
    virSetSharedSecretDriver(NULL);
    virSetSharedNodeDeviceDriver(NULL);
    virSetSharedInterfaceDriver(NULL);
    hostSecretStateCleanup();
    hostNodeDevStateCleanup();
}

const virStateDriver hostStateDriver = {
    .name = "host",
    .stateInitialize = hostStateInitialize,
    .stateCleanup = hostStateCleanup,
};
