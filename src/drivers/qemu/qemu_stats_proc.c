/* qemu_stats_proc.c: what /proc says of a guest's QEMU process and threads (CPU times, resident set, last CPU) and of a host interface's counters */

/*
 * Threads: no thread of its own; called by the statistics entry points
 * (qemu_driver_stats.c, qemu_driver_hoststats.c) with the object locked.
 * Reads /proc only, never QEMU: nothing here waits.
 */

#define G_LOG_DOMAIN "virtkit.qemu.stats"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "qemu_driver_priv.h"
#include "qemu_stats_proc.h"

static void
qemuStatsProcFdClose(gpointer fd)
{
    close(GPOINTER_TO_INT(fd) - 1);
}

/* The /proc files read here, per QEMU thread (tid 0: the process) */
enum {
    QEMU_STATS_PROC_STAT,
    QEMU_STATS_PROC_SCHEDSTAT,
};

/* The text of /proc/PID[/task/@tid]/stat or .../schedstat (@kind) of
 * @obj's QEMU into @buf (NUL-terminated), in one read: the files read
 * here are far shorter than @size. false if absent (the process or thread
 * is gone). The file stays open in priv->procFds (keyed by thread and
 * kind, so a call formats no path) for the next call: each statistics
 * call reads a few files per guest, and opening them was most of its cost
 * (the path walk through /proc). Object locked. */
static bool
qemuStatsReadProc(virDomainObj *obj, pid_t tid, int kind, char *buf, size_t size)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    gpointer key = GSIZE_TO_POINTER(((gsize)tid << 1) | (gsize)kind);
    const char *file = kind == QEMU_STATS_PROC_STAT ? "stat" : "schedstat";
    gpointer v = NULL;
    int fd;
    ssize_t n;

    if (obj->pid <= 0)
        return false;
    if (!priv->procFds)
        priv->procFds = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                              qemuStatsProcFdClose);
    if (g_hash_table_lookup_extended(priv->procFds, key, NULL, &v)) {
        fd = GPOINTER_TO_INT(v) - 1;
    } else {
        char path[64];

        if (tid > 0)
            g_snprintf(path, sizeof(path), "/proc/%d/task/%d/%s", (int)obj->pid, (int)tid,
                       file);
        else
            g_snprintf(path, sizeof(path), "/proc/%d/%s", (int)obj->pid, file);
        if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
            return false;
        g_hash_table_insert(priv->procFds, key, GINT_TO_POINTER(fd + 1));
    }
    do {
        n = pread(fd, buf, size - 1, 0);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) {
        /* a thread gone (vCPU unplugged): forget it */
        g_hash_table_remove(priv->procFds, key);
        return false;
    }
    buf[n] = '\0';
    return true;
}

/* The unsigned decimal at *@p, *@p moved past it; false if none. */
static bool
qemuStatsParseULL(const char **p, unsigned long long *v)
{
    const char *s = *p;
    unsigned long long r = 0;

    if (*s < '0' || *s > '9')
        return false;
    while (*s >= '0' && *s <= '9')
        r = r * 10 + (unsigned long long)(*s++ - '0');
    *p = s;
    *v = r;
    return true;
}

/* What /proc/@pid[/task/@tid]/stat says: utime and stime (ns), the
 * resident set (KiB), the CPU last run on; each output may be NULL. false
 * if the process or thread is gone. */
bool
qemuStatsProcStat(virDomainObj *obj, pid_t tid, unsigned long long *user,
                  unsigned long long *sys, int *lastCpu, unsigned long long *rssKiB)
{
    static gsize once;
    static long tck;
    static long pageSize;
    char data[1024];
    unsigned long long field[40] = { 0 };
    const char *p;
    int nf = 3;

    if (g_once_init_enter(&once)) {
        tck = sysconf(_SC_CLK_TCK);
        pageSize = sysconf(_SC_PAGESIZE);
        g_once_init_leave(&once, 1);
    }
    if (tck <= 0 || pageSize <= 0 ||
        !qemuStatsReadProc(obj, tid, QEMU_STATS_PROC_STAT, data, sizeof(data)) ||
        !(p = strrchr(data, ')')))
        return false;
    /* after ')': field 3 (the state letter), then numbers; utime 14,
     * stime 15, rss 24 (pages), processor 39 are parsed, the others (some
     * may be negative) skipped */
    p++;
    while (*p == ' ')
        p++;
    if (*p)
        p++;
    while (nf < 39) {
        while (*p == ' ')
            p++;
        if (!*p || *p == '\n')
            break;
        nf++;
        if (nf == 14 || nf == 15 || nf == 24 || nf == 39) {
            if (!qemuStatsParseULL(&p, &field[nf]))
                return false;
        } else {
            while (*p && *p != ' ' && *p != '\n')
                p++;
        }
    }
    if (nf < 15)
        return false;
    if (user)
        *user = field[14] * (1000000000ULL / (unsigned long long)tck);
    if (sys)
        *sys = field[15] * (1000000000ULL / (unsigned long long)tck);
    if (lastCpu)
        *lastCpu = nf >= 39 ? (int)field[39] : -1;
    if (rssKiB)
        *rssKiB = nf >= 24 ? field[24] * (unsigned long long)pageSize / 1024 : 0;
    return true;
}

/* Time on CPU and waiting for it (ns) from schedstat; false if absent. */
bool
qemuStatsSchedstat(virDomainObj *obj, pid_t tid, unsigned long long *run,
                   unsigned long long *wait)
{
    char data[256];
    const char *p = data;
    unsigned long long r, w = 0;

    if (!qemuStatsReadProc(obj, tid, QEMU_STATS_PROC_SCHEDSTAT, data, sizeof(data)) ||
        !qemuStatsParseULL(&p, &r) || *p != ' ')
        return false;
    p++;
    qemuStatsParseULL(&p, &w);
    if (run)
        *run = r;
    if (wait)
        *wait = w;
    return true;
}

/* The QEMU process' CPU time in ns (all its threads), and its resident set
 * in KiB (@rssKiB may be NULL). */
unsigned long long
qemuStatsProcessCpuTime(virDomainObj *obj, unsigned long long *user,
                        unsigned long long *sys, unsigned long long *rssKiB)
{
    unsigned long long u = 0, s = 0;

    /* /proc/PID/schedstat is the main thread's only: the process' time is
     * utime + stime (clock-tick resolution) */
    qemuStatsProcStat(obj, 0, &u, &s, NULL, rssKiB);
    if (user)
        *user = u;
    if (sys)
        *sys = s;
    return u + s;
}

/* Resident set size of @pid in KiB, 0 if unknown (libvirt's: the rss of
 * /proc/PID/stat). */
unsigned long long
qemuStatsRss(virDomainObj *obj)
{
    unsigned long long rss = 0;

    qemuStatsProcStat(obj, 0, NULL, NULL, NULL, &rss);
    return rss;
}

/* The counters of host interface @ifname in /proc/net/dev (host view). */
bool
qemuStatsNetDev(const char *ifname, qemuNetCounters *c)
{
    g_autofree char *data = NULL;
    g_auto(GStrv) lines = NULL;

    if (!ifname || !g_file_get_contents("/proc/net/dev", &data, NULL, NULL))
        return false;
    lines = g_strsplit(data, "\n", -1);
    for (char **l = lines; *l; l++) {
        char *colon = strchr(*l, ':');
        g_autofree char *name = NULL;

        if (!colon)
            continue;
        name = g_strstrip(g_strndup(*l, colon - *l));
        if (!g_str_equal(name, ifname))
            continue;
        /* rx: bytes packets errs drop fifo frame compressed multicast; tx: bytes
         * packets errs drop ... */
        return sscanf(colon + 1,
                      "%lld %lld %lld %lld %*d %*d %*d %*d %lld %lld %lld %lld",
                      &c->rx_bytes, &c->rx_packets, &c->rx_errs, &c->rx_drop,
                      &c->tx_bytes, &c->tx_packets, &c->tx_errs, &c->tx_drop) == 8;
    }
    return false;
}
