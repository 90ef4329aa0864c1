/* host_driver.h: the host-resources driver: secrets, node devices, host interfaces, nwfilters */
#pragma once

#include "driver-state.h"
#include "driver.h"

/*
 * One state driver (hostStateDriver, in virtkitd's list) serves the host's
 * resources to the qemu:/// connections of the daemon: on initialization
 * each family loads its state and registers its table with
 * virSetShared<Kind>Driver; cleanup withdraws the tables first.
 * Families: secrets (host_secret.c: <configDir>/secrets, values mode 0600),
 * node devices (host_nodedev.c: sysfs), host interfaces (host_interface.c:
 * the kernel's, read only).
 */
extern const virStateDriver hostStateDriver;

/* host_secret.c */
extern const virSecretDriver hostSecretDriver;
/* Load the secrets kept in @dir (created 0700 if missing). 0 or -1. */
int hostSecretStateInitialize(const char *dir);
void hostSecretStateCleanup(void);

/* host_nodedev.c */
extern const virNodeDeviceDriver hostNodeDeviceDriver;
/* Start serving the devices under @sysfsRoot (NULL: /sys). 0 or -1. */
int hostNodeDevStateInitialize(const char *sysfsRoot);
void hostNodeDevStateCleanup(void);

/* host_interface.c (stateless) */
extern const virInterfaceDriver hostInterfaceDriver;
