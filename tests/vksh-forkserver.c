/* vksh-forkserver: vksh's own objects and main, started once, forking a
 * child per golden case (tests/vksh-golden.sh under ASan).
 *
 * Why: an ASan+UBSan vksh spends ~15 ms of CPU before main (the dynamic
 * loader relocating the instrumented libvirtkit.so, ASan registering its
 * globals), against ~3 ms for a whole case of the plain build; the golden
 * suite runs ~800 cases. A child forked after that work runs vksh's main
 * on the case's arguments, in the case's directory, with its environment
 * and its output files, exactly as an exec of vksh would from main on.
 *
 * This executable is linked from vksh's objects (main included) and this
 * file, which has no main: without VKSH_FORKSERVER in the environment the
 * constructor below returns and the program is vksh. With it, the
 * constructor reads requests on stdin and never returns:
 *   a request: fields, each ending in a NUL byte:
 *     DIR OUTDIR NENV (NAME=VALUE x NENV) NARGS (ARG x NARGS)
 *   for each: fork; the child changes to DIR, sets the variables, takes
 *   /dev/null as stdin and OUTDIR/stdout, OUTDIR/stderr as its output,
 *   and exits with main(NARGS, ARGS) (ARG 0 is the program's name); the
 *   parent waits and writes the exit status (as a shell reports it: 128 +
 *   signal for a child killed by one) to OUTDIR/status, one line.
 * Only this process's constructor runs before the fork: no thread, no
 * connection, nothing of vksh's is set up yet.
 */
#define G_LOG_DOMAIN "vksh.forkserver"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv);
/* LeakSanitizer's interface, in a sanitized build only */
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

/* Requests are read with read(2), not stdio: a child must not find them
 * in its stdin's buffer. */
static char inbuf[65536];
static size_t inlen;
static size_t inpos;

static int
readByte(void)
{
    if (inpos == inlen) {
        ssize_t n;

        do {
            n = read(0, inbuf, sizeof(inbuf));
        } while (n < 0 && errno == EINTR);
        if (n <= 0)
            return EOF;
        inlen = (size_t)n;
        inpos = 0;
    }
    return (unsigned char)inbuf[inpos++];
}

/* the next NUL-terminated field of stdin, or NULL at the end */
static char *
readField(void)
{
    size_t cap = 64;
    size_t len = 0;
    char *buf = malloc(cap);
    int c;

    if (!buf)
        abort();
    while ((c = readByte()) != EOF && c != '\0') {
        if (len + 1 >= cap) {
            cap *= 2;
            if (!(buf = realloc(buf, cap)))
                abort();
        }
        buf[len++] = (char)c;
    }
    if (c == EOF && len == 0) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

static long
readCount(void)
{
    char *f = readField();
    char *end;
    long n;

    if (!f) {
        fprintf(stderr, "vksh-forkserver: truncated request\n");
        exit(2);
    }
    n = strtol(f, &end, 10);
    if (*f == '\0' || *end != '\0' || n < 0 || n > 4096) {
        fprintf(stderr, "vksh-forkserver: bad count '%s'\n", f);
        exit(2);
    }
    free(f);
    return n;
}

static char *
readNeeded(void)
{
    char *f = readField();

    if (!f) {
        fprintf(stderr, "vksh-forkserver: truncated request\n");
        exit(2);
    }
    return f;
}

static void
openAs(const char *path, int flags, int fd)
{
    int f = open(path, flags, 0644);

    if (f < 0 || dup2(f, fd) < 0) {
        fprintf(stderr, "vksh-forkserver: %s: %s\n", path, strerror(errno));
        _exit(125);
    }
    close(f);
}

static void
serveOne(char *dir)
{
    char *outdir = readNeeded();
    long nenv = readCount();
    char **env = calloc((size_t)nenv + 1, sizeof(char *));
    long nargs;
    char **args;
    char path[4096];
    pid_t pid;
    int status;
    int rc;
    FILE *f;

    for (long i = 0; i < nenv; i++)
        env[i] = readNeeded();
    nargs = readCount();
    args = calloc((size_t)nargs + 1, sizeof(char *));
    for (long i = 0; i < nargs; i++)
        args[i] = readNeeded();
    if (nargs < 1) {
        fprintf(stderr, "vksh-forkserver: a request without a program name\n");
        exit(2);
    }

    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        fprintf(stderr, "vksh-forkserver: fork: %s\n", strerror(errno));
        exit(2);
    }
    if (pid == 0) {
        if (chdir(dir) < 0)
            _exit(125);
        for (long i = 0; i < nenv; i++) {
            char *eq = strchr(env[i], '=');

            if (!eq)
                _exit(125);
            *eq = '\0';
            if (setenv(env[i], eq + 1, 1) < 0)
                _exit(125);
        }
        openAs("/dev/null", O_RDONLY, 0);
        snprintf(path, sizeof(path), "%s/stdout", outdir);
        openAs(path, O_WRONLY | O_CREAT | O_TRUNC, 1);
        snprintf(path, sizeof(path), "%s/stderr", outdir);
        openAs(path, O_WRONLY | O_CREAT | O_TRUNC, 2);
        rc = main((int)nargs, args);
        /* vksh returns from main (no exit(), no atexit handler of its
         * own): what exit() would add is stdio's flush and, in a
         * sanitized build, LeakSanitizer's check (when detect_leaks is on;
         * its report and exit status 23 as at exit), not ASan undoing its
         * globals' red zones (~15% of a child's CPU) */
        fflush(NULL);
        if (__lsan_do_recoverable_leak_check && __lsan_do_recoverable_leak_check())
            _exit(23);
        _exit(rc);
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "vksh-forkserver: waitpid: %s\n", strerror(errno));
            exit(2);
        }
    }
    rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    snprintf(path, sizeof(path), "%s/status", outdir);
    if (!(f = fopen(path, "w")) || fprintf(f, "%d\n", rc) < 0 || fclose(f) != 0) {
        fprintf(stderr, "vksh-forkserver: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    for (long i = 0; i < nenv; i++)
        free(env[i]);
    for (long i = 0; i < nargs; i++)
        free(args[i]);
    free(env);
    free(args);
    free(outdir);
}

__attribute__((constructor)) static void
vkshForkServer(void)
{
    char *dir;

    if (!getenv("VKSH_FORKSERVER"))
        return;
    unsetenv("VKSH_FORKSERVER");
    while ((dir = readField())) {
        serveOne(dir);
        free(dir);
    }
    fflush(NULL);
    _exit(0);
}
