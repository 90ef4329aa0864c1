/* vksh-console.c: console (a domain's serial console on the terminal, as virsh 9.0)
 *
 * Thread protocol: the command's thread reads the terminal (raw mode) and
 * sends what is typed to a blocking stream; a reader thread receives the
 * guest's output and writes it to standard output, then says it is done
 * through a pipe the command's thread polls with the terminal. Ctrl-]
 * (virsh's escape character) or the end of the stream ends the session;
 * the stream is aborted, which wakes the reader, and the terminal's
 * settings are restored before the command returns.
 */

#define G_LOG_DOMAIN "vksh.console"
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "vksh.h"

#define VKSH_CONSOLE_ESCAPE 0x1d /* ^] */

typedef struct {
    virStreamPtr st;
    int donePipe[2]; /* the reader writes one byte when it stops */
    gint detaching;  /* atomic: we abort the stream, its error is ours */
    bool failed;     /* the stream ended with an error (vksh's error handler
                      * saved it when the reader's call failed) */
} vkshConsole;

/* Write all of @buf to @fd. */
static bool
vkshWriteAll(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= n;
    }
    return true;
}

static gpointer
vkshConsoleReader(gpointer opaque)
{
    vkshConsole *con = opaque;
    char buf[4096];
    char done = 0;

    while (true) {
        int n = virStreamRecv(con->st, buf, sizeof(buf));

        if (n == 0)
            break; /* the guest's side ended (it stopped) */
        if (n < 0) {
            if (!g_atomic_int_get(&con->detaching))
                con->failed = true;
            break;
        }
        if (!vkshWriteAll(STDOUT_FILENO, buf, n))
            break;
    }
    if (write(con->donePipe[1], &done, 1) < 0)
        g_debug("console: cannot signal the end: %s", g_strerror(errno));
    return NULL;
}

/* Move bytes from the terminal to the stream until Ctrl-] or the reader
 * stops. true when the user detached or the stream ended normally. */
static bool
vkshConsolePump(vkshConsole *con)
{
    struct pollfd pfd[2] = {
        { .fd = STDIN_FILENO, .events = POLLIN },
        { .fd = con->donePipe[0], .events = POLLIN },
    };
    char buf[1024];

    while (true) {
        ssize_t n;
        char *esc;

        if (poll(pfd, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        if (pfd[1].revents)
            return true; /* the reader stopped: its outcome is read after the join */
        if (!pfd[0].revents)
            continue;
        if ((n = read(STDIN_FILENO, buf, sizeof(buf))) < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return true; /* the terminal went away */
        esc = memchr(buf, VKSH_CONSOLE_ESCAPE, n);
        if (esc)
            n = esc - buf;
        for (ssize_t off = 0; off < n;) {
            int sent = virStreamSend(con->st, buf + off, n - off);

            if (sent < 0)
                return false;
            off += sent;
        }
        if (esc)
            return true;
    }
}

/* The console session on @dom; false after reporting an error. */
static bool
vkshRunConsole(vkshControl *ctl, virDomainPtr dom, const char *devname,
               unsigned int flags)
{
    vkshConsole con = { .donePipe = { -1, -1 } };
    struct termios saved, raw;
    bool haveTTY = tcgetattr(STDIN_FILENO, &saved) == 0;
    GThread *reader = NULL;
    bool ok = false;

    if (haveTTY) {
        raw = saved;
        cfmakeraw(&raw);
        if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) < 0) {
            vkshError(ctl, "%s", "unable to set tty attributes");
            return false;
        }
    }
    if (pipe(con.donePipe) < 0) {
        vkshError(ctl, "cannot create a pipe: %s", g_strerror(errno));
        goto cleanup;
    }
    if (!(con.st = virStreamNew(ctl->conn, 0)))
        goto cleanup;
    if (virDomainOpenConsole(dom, devname, con.st, flags) < 0)
        goto cleanup;
    reader = g_thread_new("vksh-console", vkshConsoleReader, &con);
    ok = vkshConsolePump(&con);
    /* wakes the reader when it still waits for the guest */
    g_atomic_int_set(&con.detaching, 1);
    virStreamAbort(con.st);
    g_thread_join(reader);
    if (con.failed)
        ok = false;

cleanup:
    if (haveTTY)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    if (con.st)
        virStreamFree(con.st);
    for (int i = 0; i < 2; i++) {
        if (con.donePipe[i] >= 0)
            close(con.donePipe[i]);
    }
    return ok;
}

const vkshOptDef vkshOptsConsole[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "devname", VKSH_OT_STRING, 0, "character device name" },
    { "force", VKSH_OT_BOOL, 0,
      "force console connection (disconnect already connected sessions)" },
    { "safe", VKSH_OT_BOOL, 0, "only connect if safe console handling is supported" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdConsole(vkshControl *ctl, const vkshCmd *cmd)
{
    virDomainPtr dom;
    const char *devname = NULL;
    unsigned int flags = 0;
    int state = 0, reason = 0;
    bool ok = false;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "devname", &devname) < 0)
        goto cleanup;
    if (vkshOptBool(cmd, "force"))
        flags |= VIR_DOMAIN_CONSOLE_FORCE;
    if (vkshOptBool(cmd, "safe"))
        flags |= VIR_DOMAIN_CONSOLE_SAFE;

    if (virDomainGetState(dom, &state, &reason, 0) < 0) {
        vkshError(ctl, "%s", "Unable to get domain status");
        goto cleanup;
    }
    if (state == VIR_DOMAIN_SHUTOFF) {
        vkshError(ctl, "%s", "The domain is not running");
        goto cleanup;
    }
    if (!isatty(STDIN_FILENO)) {
        vkshError(ctl, "%s", "Cannot run interactive console without a controlling TTY");
        goto cleanup;
    }
    vkshPrintExtra(ctl, "Connected to domain '%s'\n", virDomainGetName(dom));
    vkshPrintExtra(ctl, "Escape character is ^] (Ctrl + ])\n");
    fflush(stdout);
    ok = vkshRunConsole(ctl, dom, devname, flags);

cleanup:
    virDomainFree(dom);
    return ok;
}
