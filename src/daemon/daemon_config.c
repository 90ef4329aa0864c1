/* daemon_config.c: virtkitd command line and directory layout */
#define G_LOG_DOMAIN "virtkitd.config"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon_config.h"
#include "virtkit-config.h"


G_DEFINE_QUARK(virtkitd - error, vkdError)

void
vkdConfigFree(vkdConfig *cfg)
{
    if (!cfg)
        return;
    g_free(cfg->configDir);
    g_free(cfg->stateDir);
    g_free(cfg->runtimeDir);
    g_free(cfg->logDir);
    g_free(cfg->cacheDir);
    g_free(cfg->defaultUri);
    g_free(cfg);
}

/* Absolute, normalized; a relative path is taken from the current directory
 * (before --daemon changes it). */
static char *
vkdAbsPath(const char *path)
{
    return g_canonicalize_filename(path, NULL);
}

static gboolean
vkdPrintVersion(const char *name, const char *value, gpointer data, GError **error)
{
    printf("virtkitd (virtkit) %s\n", VIRTKIT_VERSION);
    exit(EXIT_SUCCESS);
}

vkdConfig *
vkdConfigParse(int argc, char **argv, GError **error)
{
    g_autoptr(vkdConfig) cfg = g_new0(vkdConfig, 1);
    gboolean optSystem = FALSE, optSession = FALSE, optDaemon = FALSE, optVerbose = FALSE;
    g_autofree char *optConfig = NULL, *optState = NULL, *optRuntime = NULL;
    g_autofree char *optLog = NULL, *optCache = NULL, *optUri = NULL;
    int optTimeout = 0;
    int maxClients = VKD_DEFAULT_MAX_CLIENTS;
    int maxReq = VKD_DEFAULT_MAX_CLIENT_REQUESTS;
    int maxQueued = VKD_DEFAULT_MAX_CLIENT_QUEUED_REPLIES;
    int maxReplyBytes = VKD_DEFAULT_MAX_CLIENT_REPLY_BYTES;
    int minWorkers = VKD_DEFAULT_MIN_WORKERS;
    int maxWorkers = VKD_DEFAULT_MAX_WORKERS;
    int prioWorkers = VKD_DEFAULT_PRIO_WORKERS;
    int kaInterval = VKD_DEFAULT_KEEPALIVE_INTERVAL;
    int kaCount = VKD_DEFAULT_KEEPALIVE_COUNT;
    int eventKeep = 120;
    int journalMax = 10000;
    int journalSyncMs = 200;
    int journalMaxAge = 7 * 24 * 3600;
    g_autofree char *guestsOnStop = NULL;
    int hsTimeout = 300;
    int hsParallel = 2;
    GOptionEntry entries[] = {
        { "system", 0, 0, G_OPTION_ARG_NONE, &optSystem,
          "System mode (qemu:///system; default when run as root)", NULL },
        { "session", 0, 0, G_OPTION_ARG_NONE, &optSession,
          "Session mode (qemu:///session; default for other users)", NULL },
        { "config-dir", 0, 0, G_OPTION_ARG_FILENAME, &optConfig,
          "Persistent definitions (system: /etc/virtkit)", "DIR" },
        { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &optState,
          "Status files and lock (system: /var/lib/virtkit)", "DIR" },
        { "runtime-dir", 0, 0, G_OPTION_ARG_FILENAME, &optRuntime,
          "Sockets and autostart marker (system: /run/virtkit)", "DIR" },
        { "log-dir", 0, 0, G_OPTION_ARG_FILENAME, &optLog,
          "Guest logs (system: /var/log/virtkit)", "DIR" },
        { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &optCache,
          "Cache (system: /var/cache/virtkit)", "DIR" },
        { "default-uri", 0, 0, G_OPTION_ARG_STRING, &optUri,
          "URI opened when a client sends an empty name", "URI" },
        { "daemon", 'd', 0, G_OPTION_ARG_NONE, &optDaemon,
          "Detach once the sockets are listening", NULL },
        { "timeout", 't', 0, G_OPTION_ARG_INT, &optTimeout,
          "Exit after SECS idle with no clients and no running guests", "SECS" },
        { "verbose", 'v', 0, G_OPTION_ARG_NONE, &optVerbose, "Log more", NULL },
        { "max-clients", 0, 0, G_OPTION_ARG_INT, &maxClients, "Default 5000", "N" },
        { "max-client-requests", 0, 0, G_OPTION_ARG_INT, &maxReq,
          "Calls in flight per client, default 5", "N" },
        { "max-client-queued-replies", 0, 0, G_OPTION_ARG_INT, &maxQueued,
          "Unsent replies and events per client before its calls are no longer "
          "read, default 64 (0: no limit)",
          "N" },
        { "max-client-reply-bytes", 0, 0, G_OPTION_ARG_INT, &maxReplyBytes,
          "The same in bytes, default 2097152 (0: no limit)", "BYTES" },
        { "min-workers", 0, 0, G_OPTION_ARG_INT, &minWorkers, "Default 5", "N" },
        { "max-workers", 0, 0, G_OPTION_ARG_INT, &maxWorkers, "Default 20", "N" },
        { "prio-workers", 0, 0, G_OPTION_ARG_INT, &prioWorkers, "Default 5", "N" },
        { "keepalive-interval", 0, 0, G_OPTION_ARG_INT, &kaInterval,
          "Seconds; -1 disables our PINGs; default 5", "SECS" },
        { "keepalive-count", 0, 0, G_OPTION_ARG_INT, &kaCount, "Default 5", "N" },
        { "startup-event-keep", 0, 0, G_OPTION_ARG_INT, &eventKeep,
          "Seconds events found at startup are replayed to new listeners, default 120",
          "SECS" },
        { "event-journal-max", 0, 0, G_OPTION_ARG_INT, &journalMax,
          "Events the journal keeps for resuming clients, default 10000; 0: no journal",
          "N" },
        { "event-journal-sync-ms", 0, 0, G_OPTION_ARG_INT, &journalSyncMs,
          "Longest time a journaled event waits for fdatasync, default 200", "MS" },
        { "event-journal-max-age", 0, 0, G_OPTION_ARG_INT, &journalMaxAge,
          "Seconds the journal keeps an event, default 604800 (7 days); 0: no age "
          "limit",
          "SECS" },
        { "guests-on-stop", 0, 0, G_OPTION_ARG_STRING, &guestsOnStop,
          "What stopping the daemon does to running guests: keep, host-shutdown "
          "(each guest's host-shutdown action), auto (host-shutdown when the system is "
          "shutting down, else keep; default)",
          "WHAT" },
        { "host-shutdown-timeout", 0, 0, G_OPTION_ARG_INT, &hsTimeout,
          "Total deadline of a host shutdown in seconds, default 300", "SECS" },
        { "host-shutdown-parallel", 0, 0, G_OPTION_ARG_INT, &hsParallel,
          "Guests handled at once in a host shutdown, default 2", "N" },
        { "version", 'V', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK,
          (gpointer)vkdPrintVersion, "Print the version", NULL },
        { NULL }
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("- the virtkit daemon");

    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!g_option_context_parse(ctx, &argc, &argv, error))
        return NULL;
    if (argc > 1) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                    "unexpected argument '%s'", argv[1]);
        return NULL;
    }
    if (optSystem && optSession) {
        g_set_error_literal(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                            "--system and --session are exclusive");
        return NULL;
    }
    if (optTimeout < 0 || maxClients < 1 || maxReq < 1 || maxWorkers < 1 ||
        prioWorkers < 1 || minWorkers < 0 || kaCount < 0 || eventKeep < 0 ||
        maxQueued < 0 || maxReplyBytes < 0 || journalMax < 0 || journalSyncMs < 1 ||
        journalMaxAge < 0 || hsTimeout < 1 || hsParallel < 1) {
        g_set_error_literal(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                            "limits must be positive");
        return NULL;
    }

    if (guestsOnStop && !g_str_equal(guestsOnStop, "auto") &&
        !g_str_equal(guestsOnStop, "keep") &&
        !g_str_equal(guestsOnStop, "host-shutdown")) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--guests-on-stop must be keep, host-shutdown or auto, not '%s'",
                    guestsOnStop);
        return NULL;
    }

    cfg->privileged = optSystem || (!optSession && geteuid() == 0);
    if (cfg->privileged) {
        cfg->configDir = g_strdup("/etc/virtkit");
        cfg->stateDir = g_strdup("/var/lib/virtkit");
        cfg->runtimeDir = g_strdup("/run/virtkit");
        cfg->logDir = g_strdup("/var/log/virtkit");
        cfg->cacheDir = g_strdup("/var/cache/virtkit");
        cfg->defaultUri = g_strdup("qemu:///system");
    } else {
        cfg->configDir = g_build_filename(g_get_user_config_dir(), "virtkit", NULL);
        cfg->stateDir = g_build_filename(g_get_user_data_dir(), "virtkit", NULL);
        cfg->runtimeDir = g_build_filename(g_get_user_runtime_dir(), "virtkit", NULL);
        cfg->logDir = g_build_filename(g_get_user_cache_dir(), "virtkit", "log", NULL);
        cfg->cacheDir = g_build_filename(g_get_user_cache_dir(), "virtkit", NULL);
        cfg->defaultUri = g_strdup("qemu:///session");
    }
#define VKD_OVERRIDE(opt, field)      \
    if (opt) {                        \
        g_free(cfg->field);           \
        cfg->field = vkdAbsPath(opt); \
    }
    VKD_OVERRIDE(optConfig, configDir);
    VKD_OVERRIDE(optState, stateDir);
    VKD_OVERRIDE(optRuntime, runtimeDir);
    VKD_OVERRIDE(optLog, logDir);
    VKD_OVERRIDE(optCache, cacheDir);
#undef VKD_OVERRIDE
    if (optUri) {
        g_free(cfg->defaultUri);
        cfg->defaultUri = g_steal_pointer(&optUri);
    }

    cfg->daemonize = optDaemon;
    cfg->timeout = optTimeout;
    cfg->verbose = optVerbose;
    cfg->maxClients = maxClients;
    cfg->maxClientRequests = maxReq;
    cfg->maxClientQueuedReplies = maxQueued;
    cfg->maxClientReplyBytes = maxReplyBytes;
    cfg->minWorkers = MIN(minWorkers, maxWorkers);
    cfg->maxWorkers = maxWorkers;
    cfg->prioWorkers = prioWorkers;
    cfg->keepaliveInterval = kaInterval;
    cfg->keepaliveCount = kaCount;
    cfg->startupEventKeep = eventKeep;
    cfg->eventJournalMax = journalMax;
    cfg->eventJournalSyncMs = journalSyncMs;
    cfg->eventJournalMaxAgeSec = journalMaxAge;
    cfg->guestsOnStop =
        !guestsOnStop || g_str_equal(guestsOnStop, "auto") ? VKD_GUESTS_ON_STOP_AUTO
        : g_str_equal(guestsOnStop, "keep")                ? VKD_GUESTS_ON_STOP_KEEP
                                            : VKD_GUESTS_ON_STOP_HOST_SHUTDOWN;
    cfg->hostShutdownTimeoutSec = hsTimeout;
    cfg->hostShutdownParallel = hsParallel;
    return g_steal_pointer(&cfg);
}

int
vkdConfigMakeDirs(const vkdConfig *cfg, GError **error)
{
    struct {
        const char *dir;
        int mode;
    } dirs[] = {
        /* state: searchable (not listable) by QEMU's user, who must reach
         * the default pool's <state>/images (0711) as libvirt's does
         * /var/lib/libvirt/images; the drivers' own folders below are 0700 */
        { cfg->configDir, 0700 }, { cfg->stateDir, 0711 }, { cfg->runtimeDir, 0755 },
        { cfg->logDir, 0700 },    { cfg->cacheDir, 0700 },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++) {
        if (g_mkdir_with_parents(dirs[i].dir, dirs[i].mode) < 0) {
            int err = errno;
            g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err),
                        "cannot create directory '%s': %s", dirs[i].dir, g_strerror(err));
            return -1;
        }
    }
    return 0;
}
