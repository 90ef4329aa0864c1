/* bridge_driver.h: what the network driver exports to its host (virtkitd's state-driver table) */
#pragma once

#include "driver-state.h"

/* The network driver's hooks: it registers its virNetworkDriver table for
 * the process's qemu:/// connections (virSetSharedNetworkDriver) when
 * initialized, withdraws it at cleanup. Listed before the QEMU driver so
 * that autostarted networks are up before the guests that use them. */
extern const virStateDriver networkStateDriver;
