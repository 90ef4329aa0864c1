/* qemu_conf.h: the QEMU driver state (qemuDriver), its settings (qemu_conf.c) and its life (qemu_driver_state.c) */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "domain_obj.h"
#include "domain_event.h"
#include "qemu_command.h"
#include "qemu_driver.h"
#include "virsecurity.h"

/* Default destroy grace period (SIGTERM to SIGKILL), as libvirt's 10 s. */
#define QEMU_DESTROY_GRACE_DEFAULT_MS 10000
/* The user and group QEMU runs as in system mode (created at install). */
#define QEMU_USER_DEFAULT "virtkit-qemu"
#define QEMU_GROUP_DEFAULT "virtkit-qemu"
/* After SIGKILL, how long to wait for the process to disappear. */
#define QEMU_KILL_WAIT_MS 5000
/* How long an API call waits for another job on the same domain. */
#define QEMU_JOB_WAIT_MS 30000
/* Deadline of one QMP command (a hung QEMU fails the call, nothing else). */
#define QEMU_MONITOR_TIMEOUT_MS 30000
/* Deadline to see QEMU's greeting and answer qmp_capabilities at start. */
#define QEMU_MONITOR_START_TIMEOUT_MS 30000
/* Deadline for QEMU to load a saved state (restore), and how often its
 * progress is polled. */
#define QEMU_INCOMING_TIMEOUT_MS 600000
#define QEMU_INCOMING_POLL_US 20000

typedef struct _qemuDriver qemuDriver;

/*
 * One driver state (one root). Threads (see qemu_driver_state.c for the
 * full protocol): API threads; one "qemu-event" thread running @ioContext
 * (pidfd watches, SIGKILL timers; never blocks, takes object locks only
 * briefly); the @workers pool runs exit handling and fake reboots (takes
 * domain jobs, may wait). Fields below are set at creation and read-only
 * afterwards except where noted.
 */
struct _qemuDriver {
    gint refs;
    bool privileged;
    bool embedded;
    char *uri;  /* "qemu:///embed?root=..." / "qemu:///system" */
    char *root; /* embed root, else NULL */

    char *configDir;
    char *autostartDir;
    char *stateDir;
    char *libDir;
    char *logDir;
    char *cacheDir;

    unsigned int destroyGraceMs; /* qemu.conf destroy_grace_period */
    char *user;                  /* qemu.conf user ("name" or "+uid"), NULL: default */
    char *group;                 /* qemu.conf group, NULL: default */
    bool dynamicOwnership;       /* qemu.conf dynamic_ownership (default on) */
    bool seccompSandbox;         /* qemu.conf seccomp_sandbox (default on) */
    /* qemu.conf cgroup_controllers: bit per virCgroupController to use
     * (default all; "[ ]" none: guests get no cgroup, as libvirt) */
    unsigned int cgroupControllers;
    /* qemu.conf remote_display_port_min/max, remote_websocket_port_min/max */
    qemuPortRanges ports;
    /* Who QEMU (and the capabilities probe) runs as; NULL: as ourselves.
     * System mode: user/group, by default virtkit-qemu. Session mode:
     * always NULL. Embed mode: NULL unless qemu.conf sets user or group
     * and the caller is root. */
    virSecurityIdentity *runAs;
    GMutex securityLock; /* orders ownership records (qemu_security.c) */

    virDomainObjList *domains;   /* own lock */
    virObjectEventState *events; /* own lock */

    GMainContext *ioContext;
    GMainLoop *ioLoop;
    GThread *ioThread;
    GThreadPool *workers;

    /* Definitions loaded as name and UUID only (virDomainObj.pendingDir),
     * validated by these threads after start (parsed and thrown away: a
     * call that needs one parses it); @parseStop ends them early. */
    GPtrArray *parseThreads;
    GPtrArray *parsePending; /* virDomainObj * (references) */
    gint parseNext;          /* atomic: next index in parsePending */
    gint parseStop;          /* atomic */
    gint parseRunning;       /* atomic: threads not finished */
    gint64 parseStart;

    GMutex capsLock; /* protects caps */
    void *caps;      /* qemuCaps * of the default emulator, lazily probed */
};

/* Create the state for @paths: directories, qemu.conf, threads, domain
 * loading and reconnect. NULL with an error reported. */
qemuDriver *qemuDriverNew(const qemuDriverPaths *paths, bool privileged, bool embedded,
                          const char *uri);
qemuDriver *qemuDriverRef(qemuDriver *driver);
/* @obj (locked, inactive) was loaded as name and UUID only and its
 * definition does not parse: log it (with the thread's error, which
 * stays) and drop it from the list, as a bad file is skipped at load. */
void qemuDriverDropUnparsable(qemuDriver *driver, virDomainObj *obj);
void qemuDriverUnref(qemuDriver *driver);

/* Parse qemu.conf text: "key = value" lines, '#' comments. Known keys:
 * destroy_grace_period (seconds, 0..3600), user and group (quoted strings,
 * "name" or "+N" as libvirt), dynamic_ownership and seccomp_sandbox (0 or
 * 1). Unknown keys are ignored as libvirt does; a bad value is
 * CONF_SYNTAX. Names are resolved later (qemuDriverResolveRunAs). 0 or -1. */
int qemuDriverConfigParse(qemuDriver *driver, const char *path, const char *text);

/* Read <configDir>/qemu.conf into @driver if it exists (qemuDriverConfigParse).
 * 0, or -1 with an error reported. */
int qemuDriverLoadConfigFile(qemuDriver *driver);

/* Set driver->runAs from the configuration (see the field). -1 with
 * INVALID_ARG "Failed to parse user 'NAME'" (or group) when a configured
 * or default name does not exist. */
int qemuDriverResolveRunAs(qemuDriver *driver);

/* Run @func(@data) on the driver's worker pool (never blocks). */
typedef void (*qemuDriverJobFunc)(qemuDriver *driver, gpointer data);
void qemuDriverRunWorker(qemuDriver *driver, qemuDriverJobFunc func, gpointer data,
                         GDestroyNotify freefunc);
