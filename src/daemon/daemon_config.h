/* daemon_config.h: virtkitd settings: mode, directories, limits (command line) */
#pragma once

#include <glib.h>
#include <stdbool.h>

/*
 * Limits default to libvirtd.conf's defaults (libvirt 9.0):
 * max_clients 5000, max_client_requests 5,
 * min_workers 5, max_workers 20, prio_workers 5, keepalive_interval 5,
 * keepalive_count 5. (max_anonymous_clients, 20 in libvirt, limits clients
 * that have not finished authenticating: with auth "none" on UNIX sockets
 * every client is authenticated by its peer credentials at accept, so
 * there is no such state here.)
 */
#define VKD_DEFAULT_MAX_CLIENTS 5000
#define VKD_DEFAULT_MAX_CLIENT_REQUESTS 5
/* Not in libvirt (whose reply queue is unbounded): a client's unsent
 * output (replies and events) above which its calls are no longer read. */
#define VKD_DEFAULT_MAX_CLIENT_QUEUED_REPLIES 64
#define VKD_DEFAULT_MAX_CLIENT_REPLY_BYTES (2 * 1024 * 1024)
#define VKD_DEFAULT_MIN_WORKERS 5
#define VKD_DEFAULT_MAX_WORKERS 20
#define VKD_DEFAULT_PRIO_WORKERS 5
#define VKD_DEFAULT_KEEPALIVE_INTERVAL 5
#define VKD_DEFAULT_KEEPALIVE_COUNT 5

#define VKD_SOCK_RW "virtkit-sock"
#define VKD_SOCK_RO "virtkit-sock-ro"
#define VKD_LOCK_FILE "virtkitd.lock"

/* GError domain of the daemon's own startup errors (code always 0). */
#define VKD_ERROR (vkdError_quark())
GQuark vkdError_quark(void);

typedef struct _vkdConfig vkdConfig;
struct _vkdConfig {
    bool privileged;  /* system mode: qemu:///system */
    char *configDir;  /* persistent definitions */
    char *stateDir;   /* status files, lock file */
    char *runtimeDir; /* sockets, autostart marker */
    char *logDir;     /* guest logs */
    char *cacheDir;
    char *defaultUri; /* CONNECT_OPEN with an empty name */

    bool daemonize;
    unsigned int timeout; /* idle seconds before exit; 0 = never */
    bool verbose;

    unsigned int maxClients;
    unsigned int maxClientRequests;
    unsigned int maxClientQueuedReplies; /* 0 = unlimited */
    unsigned int maxClientReplyBytes;    /* 0 = unlimited */
    unsigned int minWorkers;
    unsigned int maxWorkers;
    unsigned int prioWorkers;
    int keepaliveInterval; /* seconds; <= 0 disables our PINGs */
    unsigned int keepaliveCount;
    /* How long events raised while the driver state was being loaded are
     * kept for replay to lifecycle callbacks registered later (seconds). */
    unsigned int startupEventKeep;
    /* The event journal (daemon_journal.h): records kept, sync interval. */
    unsigned int eventJournalMax;
    unsigned int eventJournalSyncMs;
    unsigned int eventJournalMaxAgeSec; /* 0: no age bound */
    /* Host shutdown (daemon_hostshutdown.h): what a stop on SIGTERM does to
     * the guests, the total deadline and how many guests at once. */
    int guestsOnStop; /* vkdGuestsOnStop */
    unsigned int hostShutdownTimeoutSec;
    unsigned int hostShutdownParallel;
};

typedef enum {
    VKD_GUESTS_ON_STOP_AUTO = 0, /* host shutdown when systemd is stopping the system */
    VKD_GUESTS_ON_STOP_KEEP,     /* guests keep running (adopted at the next start) */
    VKD_GUESTS_ON_STOP_HOST_SHUTDOWN, /* every guest's host-shutdown action */
} vkdGuestsOnStop;

/* Parse argv into a new config. Returns NULL with *error set on a bad
 * command line (the caller prints it and exits 2). --help/--version print
 * and exit from inside. */
vkdConfig *vkdConfigParse(int argc, char **argv, GError **error);
void vkdConfigFree(vkdConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkdConfig, vkdConfigFree)

/* Create every directory of @cfg (0700 for private ones, 0755 for runtime).
 * Returns 0, or -1 with *error set. */
int vkdConfigMakeDirs(const vkdConfig *cfg, GError **error);
