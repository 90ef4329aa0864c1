/* qemu_domain.h: the QEMU driver's per-domain private data, status and config files */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

#include "domain_obj.h"
#include "qemu_conf.h"

/* QEMU's figures of an outgoing migration (query-migrate), in libvirt's
 * units: bytes, bytes/s, pages/s, ms. */
typedef struct {
    bool valid; /* QEMU answered at least once */
    unsigned long long ramTransferred, ramRemaining, ramTotal, ramBps;
    unsigned long long ramDuplicate, ramNormal, ramNormalBytes, ramDirtyRate;
    unsigned long long ramPageSize, ramIteration, ramPostcopyReqs;
    unsigned long long setupTime, expectedDowntime, downtime;
    bool downtimeSet; /* QEMU gave the completed migration's downtime */
} qemuMigrationStats;

/* The figures of a domain's background jobs (asyncJob in
 * qemuDomainObjPrivate): allocated by the first such job of the object's
 * life, as most domains never run one (10,000 defined domains carried
 * ~300 bytes each of these, always zero). */
typedef struct {
    /* the running job: its operation (virDomainJobOperation), its start
     * (g_get_real_time µs), when it paused the guest (0: it did not) and
     * QEMU's last figures of its migration */
    int asyncJobOperation;
    gint64 asyncJobStart;
    gint64 asyncJobStopped;
    qemuMigrationStats asyncJobStats;
    /* the last one that completed (valid while priv->completedJob) */
    int completedJobOperation;
    unsigned long long completedJobElapsedMs;
    qemuMigrationStats completedJobStats;
    /* a completed backup's (qemu_backup.c): bytes to copy and copied, its
     * end (VIR_DOMAIN_JOB_COMPLETED, FAILED or CANCELLED) and QEMU's first
     * error (owned, NULL: none) */
    bool completedJobBackup;
    unsigned long long completedBackupTotal, completedBackupProcessed;
    int completedJobStatus;
    char *completedJobErrmsg;
} qemuDomainJobFigures;

typedef struct _qemuMonitor qemuMonitor;
/* A running swtpm (qemu_tpm.c) */
typedef struct _qemuTPMProc qemuTPMProc;
/* Drop the domain's hold on @p (its exit watch ends too); NULL is fine. */
void qemuTPMProcFree(qemuTPMProc *p);

/*
 * Private data of a domain object (obj->privateData). Protected by the
 * object lock; @mon, @pidfd and the paths change only under a job (start,
 * stop), so a job holder may use them with the object unlocked.
 */
typedef struct {
    qemuDriver *driver; /* not owned */

    qemuMonitor *mon;             /* NULL when inactive */
    int pidfd;                    /* -1 when inactive */
    GSource *pidfdWatch;          /* on driver->ioContext */
    GSource *killTimer;           /* SIGKILL after the grace period (shutdown) */
    bool ownChild;                /* spawned here: reap it; adopted: watch only */
    unsigned long long starttime; /* /proc/PID/stat field 22 */
    char *monitorPath;
    char *libDir;
    guint64 runId; /* new for each start or reconnect */

    bool fakeReboot;     /* the next SHUTDOWN becomes a reset */
    bool pausedShutdown; /* SHUTDOWN seen during a fake reboot: hide STOP */
    /* QEMU's SHUTDOWN of this run came from a QMP system_reset (reason
     * host-qmp-system-reset: under on_reboot destroy the reset ends the
     * guest, and that event can reach us before the command's reply) */
    bool resetShutdown;
    int beingDestroyed; /* destroy calls in their kill phase */
    bool stopping;      /* qemuProcessStop running: ignore QMP events */
    bool exitSeen;      /* the process exited while being destroyed */
    /* Where qemuProcessStop's own "shutting down" line begins in the log
     * (-1: not written in this run): what QEMU wrote in a failed start
     * ends there. */
    off_t logStopOffset;
    int runningReason; /* reason for the next RESUME event */
    int pausedReason;  /* reason for the next STOP event */
    /* Who asked for the QMP command in flight from qemuProcessMonitorCommand
     * (@cmdPending: "cont", "stop", "system_reset"; NULL when none): the
     * RESUME/STOP/RESET event it causes is that caller's in virtkitd's
     * event journal, not the guest's. Owned; object lock. */
    const char *cmdPending;
    char *cmdRequestor;

    int graceOverrideSec; /* per-domain destroy grace, -1 when unset */
    /* virDomainAgentSetResponseTimeout: seconds the driver's agent calls
     * wait (libvirt's values; -2 block, the default). Object lock; kept
     * while the object exists, and in the status file of a running
     * domain (libvirt's <agentTimeout>) across daemon restarts. */
    int agentTimeout;
    /* QEMU's RESET events of this run (qemu_process.c; object lock): an
     * agent shutdown in reboot mode ends when it moves */
    guint resets;

    /* vkDomainStop (qemu_driver_stop.c) */
    int vkStopping;        /* stop ladders running: a guest power-off ends it,
                          * never a (fake) reboot */
    char *vkStopRequestor; /* the running ladder's caller (event journal):
                            * the STOPPED it causes is its own. Owned. */
    bool lastExitKnown;    /* lastExitStatus holds the last run's wait status */
    /* Unkillable QEMU (qemu_process.c): the process survived SIGKILL (stuck
     * in the kernel, state D). @stuckTimer on driver->ioContext sends SIGKILL
     * again now and then; the pidfd watch ends the domain (DESTROYED) when
     * the process finally goes. Cleared by qemuProcessStop. */
    bool stuck;
    gint64 stuckSinceMs; /* monotonic */
    GSource *stuckTimer;
    int lastExitStatus; /* wait(2) encoding, set when qemuProcessStop reaps */

    /* cgroups (qemu_cgroup.c): NULL when the guest has none */
    struct _virCgroup *cgroup;
    /* Linux perf counters on this QEMU (qemu_perf.c): NULL when none was
     * ever opened; closed by qemuProcessStop. Object lock. */
    struct _virPerf *perf;
    int *vcpuTids; /* thread id of vCPU i (query-cpus-fast), nvcpuTids long */
    size_t nvcpuTids;
    /* Statistics (qemu_driver_stats.c): true while this QEMU's balloon has
     * never had a guest statistics period (a QEMU this daemon started: its
     * command line sets none; cleared by virDomainSetMemoryStatsPeriod and
     * false after a reconnect): its guest-stats hold nothing, so
     * getAllDomainStats does not ask for them. Object lock. */
    bool balloonStatsIdle;
    /* Statistics: true while this QEMU has never been asked to measure its
     * dirty rate, so that query-dirty-rate would answer what a fresh QEMU
     * holds ("unstarted", no start time, no period, page-sampling: its
     * status never returns to "unstarted" once a measurement began). Set
     * when this daemon starts the QEMU, or when QEMU answered exactly that
     * after a reconnect; cleared before calc-dirty-rate or any command
     * passed through (virDomainQemuMonitorCommand) is sent. While set,
     * getAllDomainStats reports those figures without asking QEMU. Object
     * lock (and a job: the queries and the commands that clear it each
     * hold one). */
    bool dirtyRateUnstarted;
    /* /proc files of this QEMU the statistics read on every call, kept open
     * ((tid << 1 | kind) -> fd + 1, qemu_stats_proc.c; re-read with
     * pread): an open descriptor names the task, never a later one with its
     * pid. NULL until first used, freed (descriptors closed) by
     * qemuProcessStop. Object lock. */
    GHashTable *procFds;
    /* The virtiofsd of each virtiofs filesystem of this run (alias ->
     * record, qemu_virtiofs.c). NULL until one starts. Object lock. */
    GHashTable *virtiofsds;
    /* The swtpm of this run's emulator TPM (qemu_tpm.c), NULL when none
     * runs. Object lock. */
    qemuTPMProc *swtpm;
    /* Device removal (qemu_hotplug.c): a device_del waits on @unplugCond
     * (with the object lock) until QEMU's DEVICE_DELETED for @unplugAlias
     * sets @unplugDone (or DEVICE_UNPLUG_GUEST_ERROR @unplugRejected), or
     * its deadline. */
    char *unplugAlias;
    bool unplugDone;
    bool unplugRejected;
    /* The aliases (g_free) of devices whose device_del outlived its wait:
     * the removal completes when QEMU's DEVICE_DELETED comes. While one is
     * pending QEMU 7.2's loadvm never answers, so a snapshot revert starts
     * a new QEMU instead. NULL when none; emptied when QEMU stops. */
    GPtrArray *unplugPending;
    GCond unplugCond;
    /* Block node names of disk hotplug (qemu_hotplug_disk.c), valid for the run
     * @hotplugNodeRun names (another runId: unknown): @hotplugNodeNext the
     * N of the next libvirt-N-storage/-format a disk attach takes (0:
     * unknown, ask QEMU), @hotplugNodes the N each disk hotplugged in this
     * run got (qdev id -> qemuHotplugDiskNodes), so that its removal needs
     * no query-named-block-nodes. Object lock. */
    guint64 hotplugNodeRun;
    int hotplugNodeNext;
    GHashTable *hotplugNodes;

    /* Block jobs (qemu_blockjob.c): target dev -> qemuBlockJob of the
     * disk's job (created on first use); @blockjobCond is signalled with
     * the object lock when one concludes. Object lock. */
    GHashTable *blockjobs;
    GCond blockjobCond;

    /* Images below a disk's top that QEMU's user must be able to write for
     * a moment (g_free paths; NULL when none): a checkpoint deletion
     * reopens them writable to remove their bitmaps (qemu_checkpoint.c),
     * qemu_security.c hands them over for writing meanwhile. Object lock,
     * job held to change it. */
    GPtrArray *writableImages;

    /* The background job of a save, managed save or core dump while it
     * holds its MODIFY job (qemu_driver_save.c), which virDomainAbortJob
     * may cancel (qemu_driver_job.c): libvirt's name of the job for
     * errors ("domain save"), NULL when none runs; a memory-only dump
     * cannot be aborted; @asyncJobAborted once an abort was asked for.
     * Object lock. */
    const char *asyncJob;
    bool asyncJobMemoryOnly;
    bool asyncJobAborted;
    /* What GetJobInfo/GetJobStats show of it (qemu_driver_job.c), in
     * @jobFigures (NULL until the first background job; owned): the
     * running job's, then those of the last one that completed in this
     * object's life while @completedJob, until read without
     * KEEP_COMPLETED or the next start (libvirt's completed job). */
    qemuDomainJobFigures *jobFigures;
    bool completedJob;
    /* The running backup (qemu_backup.c), NULL when none: started under a
     * MODIFY job, it then runs in QEMU without one and ends on QEMU's
     * events. Its targets are in @writableImages meanwhile. Object lock. */
    struct _qemuBackup *backup;

    guint64 statusSeq;     /* last status write requested (object lock) */
    GMutex statusLock;     /* orders status writes; protects statusWritten */
    guint64 statusWritten; /* last status write that reached the disk */
} qemuDomainObjPrivate;

/* Install fresh private data on @obj (unlocked, new object). */
void qemuDomainObjInitPrivate(virDomainObj *obj, qemuDriver *driver);

static inline qemuDomainObjPrivate *
qemuDomainPriv(virDomainObj *obj)
{
    return obj->privateData;
}

/* Effective destroy grace period of @obj in ms (object locked). */
unsigned int qemuDomainGraceMs(virDomainObj *obj);

/*
 * Per-domain grace override: <metadata><virtkit:lifecycle
 * xmlns:virtkit='http://virtkit.invalid/xmlns/lifecycle/1'
 * destroy-grace-period='SECONDS'/></metadata> in the XML given to
 * define/create. Returns the seconds, -1 when absent or unparsable.
 */
int qemuDomainParseGraceOverride(const char *xml);

/* Write @obj's status file (<stateDir>/NAME.xml) atomically (a temporary
 * file renamed over it), never fsynced: it describes a running QEMU, which
 * a crash of the host ends too, so it only has to survive a crash or
 * SIGKILL of this process, and the kernel keeps the file for that (after a
 * host crash, a file that names a QEMU gone is reconnected as dead). Called
 * with the object locked and a job held; the lock is dropped during the
 * write. 0 or -1 with an error reported. */
int qemuDomainSaveStatus(qemuDriver *driver, virDomainObj *obj);
/* Write it keeping the object lock (the spawn gate in qemuProcessStart
 * needs the file before the child may exec). 0 or -1 with an error
 * reported. */
int qemuDomainSaveStatusNoSync(qemuDriver *driver, virDomainObj *obj);
/* Same, on a worker: the caller does not wait for the disk. A later
 * write or removal always wins over an earlier one. Object locked. */
void qemuDomainSaveStatusLater(qemuDriver *driver, virDomainObj *obj);
/* Remove it (the directory is synced on a worker, off the caller's path). */
int qemuDomainRemoveStatus(qemuDriver *driver, virDomainObj *obj);

/* Write the persistent definition (<configDir>/NAME.xml, 0600) atomically. */
int qemuDomainSaveConfig(qemuDriver *driver, virDomainDef *def, int graceOverrideSec);
int qemuDomainRemoveConfig(qemuDriver *driver, const char *name);

/* Autostart link <autostartDir>/NAME.xml -> <configDir>/NAME.xml. */
int qemuDomainSetAutostartLink(qemuDriver *driver, const char *name, bool on);
bool qemuDomainHasAutostartLink(qemuDriver *driver, const char *name);

/* A status file, parsed. */
typedef struct {
    int state;
    int reason;
    pid_t pid;
    unsigned long long starttime;
    char *monitorPath;
    char *libDir;
    bool fakeReboot;
    int graceOverrideSec;
    bool hasAgentTimeout; /* <agentTimeout> was there (older files lack it) */
    int agentTimeout;
    unsigned int taint;      /* <taint flag=.../> bits (domain_messages.h) */
    GPtrArray *deprecations; /* <deprecation> texts; NULL: none */
    virDomainDef *def;       /* the live definition */
} qemuDomainStatus;

void qemuDomainStatusFree(qemuDomainStatus *st);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemuDomainStatus, qemuDomainStatusFree);

/* Parse a status file. NULL with an error reported. */
qemuDomainStatus *qemuDomainStatusParseFile(const char *path);

/* Append "<timestamp>: <text>\n" to the domain's log. Best effort: the
 * log's size before the line (where the line begins), -1 when it could not
 * be written. */
off_t qemuDomainLogAppend(qemuDriver *driver, const char *name, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
/* Timestamp as libvirt's logs: "2026-11-22 01:42:43.616+0000". */
char *qemuDomainLogTimestamp(void);
