/* qemu_driver.h: the QEMU driver's entry points for in-process hosts (virtkitd, embed) */
#pragma once

#include <stdbool.h>

#include "driver-state.h"

/*
 * Where one driver state keeps its files. Every directory is created
 * (mode 0700 for lib/state, 0755 otherwise) if missing. Layout:
 *   configDir/NAME.xml            persistent definitions (0600)
 *   configDir/autostart/NAME.xml  symlink to the definition (autostart on)
 *   configDir/qemu.conf           optional settings (destroy_grace_period = SECONDS,
 *                                 user/group = "name" or "+N", dynamic_ownership,
 *                                 seccomp_sandbox)
 *   stateDir/NAME.xml             status of each running domain (<domstatus>)
 *   libDir/domain-ID-NAME/        per-domain directory (0700): monitor.sock
 *   libDir/owners/UUID            original owners of the files handed to the
 *                                 QEMU user for a run (qemu_security.h)
 *   logDir/NAME.log               per-domain QEMU log, appended across runs
 *   cacheDir/                     capabilities cache
 */
typedef struct {
    const char *configDir;
    const char *stateDir;
    const char *libDir;
    const char *logDir;
    const char *cacheDir;
} qemuDriverPaths;

/*
 * For virtkitd: the QEMU driver's state-driver hooks (driver-state.h).
 * stateInitialize creates the process-wide driver state that serves
 * "qemu:///system" (privileged) or "qemu:///session", under
 * <config> (definitions, autostart links, qemu.conf), <runtime>/qemu
 * (status files, the once-per-boot autostart marker), <state>/qemu
 * (per-domain directories), <log>, <cache>. It loads every persistent
 * definition, then every status file; a recorded QEMU that is gone (or
 * whose pid now names another process: start time mismatch) is finished
 * there, synchronously, as SHUTOFF/CRASHED (transient ones removed), so no
 * caller ever sees it running; its STOPPED/FAILED event, and every other
 * event of the start, goes to the first event callback registered. Live
 * QEMUs are reconnected in parallel on worker threads, each holding its
 * domain's job and its own monitor deadline, so calls on that domain wait
 * for its reconnect and nothing else does. Until it has run, connectOpen
 * declines qemu:///system and qemu:///session so that the remote driver
 * handles them. stateAutostart starts, once per host boot, every inactive
 * guest marked autostart, in parallel. stateCleanup stops watching guests
 * and frees the state; running guests keep running (each QEMU is in its
 * own session) and are reconnected by the next initialization.
 */
extern const virStateDriver qemuStateDriver;
