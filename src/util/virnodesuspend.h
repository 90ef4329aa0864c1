/* virnodesuspend.h: suspending the host for a while, as libvirt does with pm-utils */
#pragma once

#include <glib.h>

/*
 * libvirt's virNodeSuspend: @target is a virNodeSuspendTarget (0 mem,
 * 1 disk, 2 hybrid). The host's support is asked of pm-is-supported
 * (--suspend, --hibernate, --suspend-hybrid; absent: nothing supported);
 * @duration (seconds, at least 60) is armed with rtcwake, then the pm-utils
 * command runs on a thread of its own a few seconds later, so the caller
 * answers first. 0, or -1 with libvirt's errors (VIR_FROM_NONE):
 * ARGUMENT_UNSUPPORTED "Suspend-to-RAM" / "Suspend-to-Disk" /
 * "Hybrid-Suspend", INVALID_ARG "Invalid suspend target" / "Too small
 * suspend duration", OPERATION_INVALID while one is under way, an unknown
 * flag "in function virNodeSuspend". Thread-safe.
 */
int virNodeSuspend(unsigned int target, unsigned long long duration, unsigned int flags);
