/* driver-state.h: the state-driver table: how a daemon starts, runs and stops the drivers it hosts */
#pragma once

#include <stdbool.h>

#include "datatypes.h"

/*
 * A driver that owns state across connections (definitions on disk,
 * running guests, networks, pools) exports one virStateDriver. The daemon
 * (src/daemon/daemon_startup.c) holds the list of them and calls, in order:
 *   1. stateInitialize of every driver, in the list's order, before any
 *      client is accepted: load definitions and status, reconnect to what
 *      still runs. Everything that happens to an object before the first
 *      event callback registers is kept for that callback (the events are
 *      in keep mode: virObjectEventStateKeepUntilListener);
 *   2. stateAutostart of every driver, in the same order (so networks and
 *      pools are up before the guests that use them), still before any
 *      client is accepted;
 *   3. stateReload on SIGHUP (optional);
 *   4. stateCleanup of every driver, in reverse order, after the last
 *      client is gone: release the state; what runs keeps running.
 * The daemon knows no driver's files or internals: each driver derives its
 * own folders from the roots below (the QEMU driver: <runtime>/qemu,
 * <state>/qemu, the config dir itself, ...). All hooks run on the daemon's
 * main thread; they may block (a driver bounds its own waits).
 */

typedef struct {
    bool privileged;        /* root daemon: qemu:///system and friends */
    const char *configDir;  /* persistent definitions (/etc/virtkit) */
    const char *stateDir;   /* persistent state (/var/lib/virtkit) */
    const char *runtimeDir; /* per-boot state (/run/virtkit), tmpfs */
    const char *logDir;     /* logs (/var/log/virtkit) */
    const char *cacheDir;   /* caches (/var/cache/virtkit) */
} virStateDriverRoots;

/* One object autostart tried to start: @error is NULL on success, else the
 * reason it failed. Called on the thread that started it. */
typedef void (*virStateAutostartReport)(const char *driver, const char *name,
                                        const virError *error, void *opaque);

typedef struct {
    const char *name; /* "QEMU", "storage", "network" */

    /* Create the driver's state under @roots. 0, or -1 with an error
     * reported (nothing is stopped or killed on failure). */
    int (*stateInitialize)(const virStateDriverRoots *roots);

    /* Start the objects marked autostart, once per host boot (the driver
     * keeps its own marker in the runtime dir), and return when each has
     * started or failed; @report hears of each. Never fails as a whole. */
    void (*stateAutostart)(virStateAutostartReport report, void *opaque);

    /* Re-read what the driver reads at start (NULL: nothing to re-read).
     * 0, or -1 with an error reported. */
    int (*stateReload)(void);

    /* Release the state made by stateInitialize. Objects keep running. */
    void (*stateCleanup)(void);

    /* How many objects are active (the daemon's --timeout exits only when
     * no driver has any). NULL counts as 0. */
    int (*stateActiveCount)(void);
} virStateDriver;
