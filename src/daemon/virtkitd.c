/* virtkitd.c: the virtkit daemon: startup order, main loop, orderly exit
 *
 * Thread protocol: the main thread owns GLib's default main context and
 * runs everything that must never block there: accept, frame reads and
 * writes, keepalive, signals, event fan-out (libvirt's default event loop
 * implementation, registered with virEventRegisterDefaultImpl, runs on the
 * same context), the idle timer. Decoded calls run on the worker pools
 * (daemon_pool.c); the driver runs its own monitor threads. Startup is
 * strictly sequential on the main thread: directories, locks, sockets
 * bound (listening, nothing accepted: clients wait in the backlog), driver
 * state (definitions, status files, reconnect, autostart), then the
 * sockets accept.
 * The main context's poll spins a few microseconds before it sleeps
 * (vkdPoll, virspin.h): a client calling in a loop sends its next call
 * while it does, which then needs no wakeup of the main thread.
 */
#define G_LOG_DOMAIN "virtkitd"
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib-unix.h>

#include <libvirt/libvirt.h>
#include "daemon_config.h"
#include "daemon_hostshutdown.h"
#include "daemon_journal.h"
#include "domain_event.h"
#include "daemon_process.h"
#include "daemon_server.h"
#include "daemon_startup.h"
#include "qemu_driver.h"
#include "virerror.h"
#include "virspin.h"
#include "virtkit-config.h"

typedef struct {
    vkdConfig *cfg;
    int *listenFds; /* from systemd, -1 once handed over */
    char **listenNames;
    int nlistenFds;
    GMainLoop *loop;
    vkdServer *server;
    gint64 idleSince; /* monotonic µs; 0 while busy */
    int exitStatus;
} vkdDaemon;

/* The main thread's busy-polling budget, and the server whose calls it
 * serves (set once it accepts; main thread only). */
static virSpin vkdPollSpin;
static vkdServer *vkdPollServer;

/* GLib's poll for the main context: when nothing is ready yet and the
 * loop would sleep, poll without blocking for the spin budget first.
 * Not while a worker runs a call: its reply comes from that worker, which
 * may need the very CPU the spin would hold. */
static gint
vkdPoll(GPollFD *fds, guint nfds, gint timeout)
{
    gint64 budget =
        timeout != 0 && vkdPollServer && !vkdServerHasCallsInFlight(vkdPollServer)
            ? virSpinBudget(&vkdPollSpin)
            : 0;
    gint64 start, spinEnd;
    gint n;

    if (budget == 0)
        return g_poll(fds, nfds, timeout);
    /* ready at once: that says nothing about spinning */
    if ((n = g_poll(fds, nfds, 0)) != 0)
        return n;
    start = g_get_monotonic_time();
    if (timeout > 0)
        budget = MIN(budget, (gint64)timeout * 1000);
    spinEnd = start + budget;
    while (g_get_monotonic_time() < spinEnd) {
        if ((n = g_poll(fds, nfds, 0)) != 0) {
            virSpinDone(&vkdPollSpin, n > 0);
            return n;
        }
    }
    virSpinDone(&vkdPollSpin, false);
    if (timeout > 0)
        timeout = MAX(0, timeout - (gint)((g_get_monotonic_time() - start) / 1000));
    return g_poll(fds, nfds, timeout);
}

static gboolean
vkdOnQuitSignal(gpointer opaque)
{
    vkdDaemon *d = opaque;

    g_message("signal received: stop accepting, finish calls in flight, exit");
    g_main_loop_quit(d->loop);
    return G_SOURCE_CONTINUE;
}

static gboolean
vkdOnHangup(gpointer opaque)
{
    /* Nothing to reload: every setting comes from the command line. */
    return G_SOURCE_CONTINUE;
}

/* --timeout: called every second on the main context. The guest count
 * is read by the server from its last snapshot (never a driver call here). */
static gboolean
vkdIdleCheck(gpointer opaque)
{
    vkdDaemon *d = opaque;
    gint64 now = g_get_monotonic_time();

    if (!vkdServerIsIdle(d->server)) {
        d->idleSince = 0;
        return G_SOURCE_CONTINUE;
    }
    if (d->idleSince == 0)
        d->idleSince = now;
    if (now - d->idleSince >= (gint64)d->cfg->timeout * G_USEC_PER_SEC) {
        g_message("idle for %u s with no running guests: exiting", d->cfg->timeout);
        g_main_loop_quit(d->loop);
        return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
}

/* sd_notify("READY=1") when started by systemd with Type=notify. */
static void
vkdNotifyReady(void)
{
    const char *path = g_getenv("NOTIFY_SOCKET");
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    static const char msg[] = "READY=1";
    socklen_t len;
    int fd;

    if (!path || (path[0] != '/' && path[0] != '@') ||
        strlen(path) >= sizeof(addr.sun_path))
        return;
    memcpy(addr.sun_path, path, strlen(path));
    if (addr.sun_path[0] == '@')
        addr.sun_path[0] = '\0';
    len = offsetof(struct sockaddr_un, sun_path) + strlen(path);
    fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    if (sendto(fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL, (struct sockaddr *)&addr, len) < 0)
        g_debug("sd_notify failed: %s", g_strerror(errno));
    close(fd);
    g_unsetenv("NOTIFY_SOCKET");
}

/* Errors of API calls made for clients go back to the clients; the
 * library's default handler would print each of them on stderr. */
static void
vkdOnLibraryError(void *opaque, virErrorPtr err)
{
    g_debug("API error %d/%d: %s", err->code, err->domain,
            err->message ? err->message : "");
}

static int
vkdRun(vkdDaemon *d)
{
    vkdConfig *cfg = d->cfg;
    g_autoptr(GError) err = NULL;
    vkdServerSockets socks = { .fds = { -1, -1 } };
    int stateLock = -1, runtimeLock = -1;
    guint sigTerm, sigInt, sigHup, idleTimer = 0;
    bool calm;
    int ret = 1;

    if (vkdConfigMakeDirs(cfg, &err) < 0)
        goto fail;
    if (cfg->daemonize && vkdDetach(&err) < 0)
        goto fail;
    if ((stateLock = vkdLockDir(cfg->stateDir, &err)) < 0)
        goto fail;
    if (strcmp(cfg->stateDir, cfg->runtimeDir) != 0 &&
        (runtimeLock = vkdLockDir(cfg->runtimeDir, &err)) < 0)
        goto fail;
    /* Our sockets listen from now on (unless systemd holds them), and are
     * accepted on once the drivers are up: a client that comes during the
     * start waits for its answer instead of retrying. */
    if (d->nlistenFds == 0 && vkdServerBind(cfg, &socks, &err) < 0)
        goto fail;

    virSpinInit(&vkdPollSpin);
    g_main_context_set_poll_func(NULL, vkdPoll);
    d->loop = g_main_loop_new(NULL, FALSE);
    sigTerm = g_unix_signal_add(SIGTERM, vkdOnQuitSignal, d);
    sigInt = g_unix_signal_add(SIGINT, vkdOnQuitSignal, d);
    sigHup = g_unix_signal_add(SIGHUP, vkdOnHangup, d);

    virSetErrorFunc(NULL, vkdOnLibraryError);
    if (virEventRegisterDefaultImpl() < 0) {
        g_set_error_literal(&err, VKD_ERROR, 0,
                            "cannot register the event loop implementation");
        goto fail_signals;
    }

    /* The event journal first: what the drivers' start finds is numbered
     * and kept too (requestor "daemon"). */
    if (cfg->eventJournalMax > 0 &&
        vkdJournalInit(cfg->stateDir, cfg->eventJournalMax, cfg->eventJournalMaxAgeSec,
                       cfg->eventJournalSyncMs, &err) < 0)
        goto fail_signals;
    virObjectEventSetRequestor("daemon");

    /* Driver state before the first client: definitions, status files,
     * reconnect, autostart. Events it raises are kept for replay. */
    if (vkdStartupInitDrivers(cfg, &err) < 0)
        goto fail_signals;
    /* guests the last host shutdown saved come back as they were */
    vkdHostShutdownRestore(vkdStartupGetConn(), cfg);
    virObjectEventSetRequestor(NULL);

    /* the journal's load ran beside the drivers' start: clients come
     * after it (what it found is in the log by then) */
    if (cfg->eventJournalMax > 0)
        vkdJournalWaitLoaded();

    if (!(d->server = vkdServerNew(cfg, &err)))
        goto fail_drivers;
    if (vkdServerListen(d->server, d->listenFds, d->listenNames, d->nlistenFds, &socks,
                        &err) < 0)
        goto fail_server;
    vkdPollServer = d->server;

    g_message("virtkitd %s ready: %s mode, sockets in %s, default URI %s",
              VIRTKIT_VERSION, cfg->privileged ? "system" : "session", cfg->runtimeDir,
              cfg->defaultUri);
    vkdDetachDone(0);
    vkdNotifyReady();

    if (cfg->timeout > 0)
        idleTimer = g_timeout_add_seconds(1, vkdIdleCheck, d);

    g_main_loop_run(d->loop);

    if (idleTimer)
        g_source_remove(idleTimer);
    /* Orderly exit: no new clients, no new calls; the calls in flight run
     * to completion and their replies are written. */
    calm = vkdServerShutdown(d->server);
    /* The host is going down (or we were told to act as if): each guest's
     * host-shutdown action, before the drivers let go of them. */
    if (vkdHostShutdownWanted(cfg) && !vkdHostShutdownRun(vkdStartupGetConn(), cfg))
        calm = false; /* a guest's save or stop still runs in the driver */
    if (!calm) {
        /* A call is stuck in the driver: freeing the driver state under it
         * could crash; the guests are separate processes and keep running
         * whatever we do, so leave now. */
        g_warning("exiting with calls still running in the driver");
        _exit(EXIT_SUCCESS);
    }
    ret = 0;

fail_server:
    vkdPollServer = NULL;
    g_clear_pointer(&d->server, vkdServerFree);
fail_drivers:
    vkdStartupCleanupDrivers();
fail_signals:
    vkdJournalShutdown();
    g_source_remove(sigTerm);
    g_source_remove(sigInt);
    g_source_remove(sigHup);
    /* GLib restores the default action with the last source: a second
     * SIGTERM now would kill us half-way through the teardown. We are
     * exiting already; SIGKILL remains for the impatient. */
    signal(SIGTERM, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    g_clear_pointer(&d->loop, g_main_loop_unref);
fail:
    vkdServerSocketsClear(&socks);
    if (err) {
        fprintf(stderr, "virtkitd: %s\n", err->message);
        vkdDetachDone(1);
    }
    if (runtimeLock >= 0)
        close(runtimeLock);
    if (stateLock >= 0)
        close(stateLock);
    return ret;
}

/* What the drivers must tell the operator (virerror.h, rule 5): the
 * daemon shows it as a warning, in the driver's log domain. */
static void
vkdNotice(const char *logDomain, const char *message)
{
    g_log_structured(logDomain ? logDomain : "virtkitd", G_LOG_LEVEL_WARNING, "MESSAGE",
                     "%s", message);
}

int
main(int argc, char **argv)
{
    g_autoptr(GError) err = NULL;
    vkdDaemon d = { 0 };
    int ret;

    /* Before anything opens a descriptor (they start at 3). */
    d.nlistenFds = vkdListenFds(&d.listenFds, &d.listenNames);
    signal(SIGPIPE, SIG_IGN);
    umask(022);
    /* glibc's malloc arenas are left at their default (8 per CPU). Capping
     * them at two saved ~4 MiB resident with 10,000 defined (39.0 -> 35.5
     * MiB) but made the startup parse threads share them: cold start to the
     * first answered list went from ~90 to ~155 ms (make bench, and three
     * A/B starts each on a quiet machine). */
    /* A stream's frames (256 KiB of data each, issue 11) come from the heap,
     * not a fresh mmap each: below glibc's default mmap threshold (128 KiB,
     * raised only by its dynamic rule, which the trims undo) every frame was
     * new pages, faulted in by the socket read (9-12 % of an upload's daemon
     * time in perf record). The trim threshold is twice an upload's 8 MiB
     * queue (virfdstream.c), so the heap top it frees is kept for the next
     * frames; the explicit malloc_trim after a big parse is unaffected.
     * vksh vol-upload of 1 GiB, daemon task-clock, 5 A/B rounds at
     * load ~13 (the same binary, these values as GLIBC_TUNABLES): median
     * 600 -> 396 ms, wall 1.74 -> 1.03 s. */
    mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 16 * 1024 * 1024);
    virNoticeSetHandler(vkdNotice);

    if (!(d.cfg = vkdConfigParse(argc, argv, &err))) {
        fprintf(stderr, "virtkitd: %s\n", err->message);
        return 2;
    }
    if (d.cfg->verbose)
        g_setenv("G_MESSAGES_DEBUG", "all", FALSE);

    ret = vkdRun(&d);
    for (int i = 0; i < d.nlistenFds; i++) {
        if (d.listenFds[i] >= 0)
            close(d.listenFds[i]);
    }
    g_free(d.listenFds);
    g_strfreev(d.listenNames);
    vkdConfigFree(d.cfg);
    return ret == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
