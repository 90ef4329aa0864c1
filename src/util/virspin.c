/* virspin.c: adaptive busy-polling before a blocking wait (virspin.h) */
#define G_LOG_DOMAIN "virtkit.util.spin"
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "virspin.h"

/* The machine-wide check, shared by every virSpin of the process: whoever
 * gets the lock refreshes it when it is older than VIR_SPIN_CHECK_MS; the
 * others use the last answer. */
static GMutex virSpinCheckLock;
static gint64 virSpinCheckedAt; /* monotonic us; under virSpinCheckLock */
static gint virSpinRoom;        /* atomic: the last answer */

/* Whether /proc/loadavg counts no more runnable threads (this one among
 * them) than this process may use CPUs. Unreadable: no spinning. */
static bool
virSpinReadRoom(void)
{
    char buf[128];
    const char *p;
    ssize_t n;
    int fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return false;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    /* "0.20 0.18 0.12 1/80 11206": the fourth field is running/total */
    p = buf;
    for (int field = 0; field < 3; field++) {
        if (!(p = strchr(p, ' ')))
            return false;
        p++;
    }
    return g_ascii_strtoll(p, NULL, 10) <= g_get_num_processors();
}

static bool
virSpinMachineHasRoom(void)
{
    static gsize off;

    if (g_once_init_enter(&off))
        g_once_init_leave(&off, g_getenv("VIRTKIT_NO_SPIN") ? 2 : 1);
    if (off == 2)
        return false;
    if (g_mutex_trylock(&virSpinCheckLock)) {
        gint64 now = g_get_monotonic_time();

        if (now - virSpinCheckedAt >= VIR_SPIN_CHECK_MS * 1000) {
            g_atomic_int_set(&virSpinRoom, virSpinReadRoom());
            virSpinCheckedAt = now;
        }
        g_mutex_unlock(&virSpinCheckLock);
    }
    return g_atomic_int_get(&virSpinRoom);
}

void
virSpinInit(virSpin *s)
{
    s->budgetUs = VIR_SPIN_MAX_US;
    s->sinceZero = 0;
}

gint64
virSpinBudget(virSpin *s)
{
    if (s->budgetUs == 0) {
        if (++s->sinceZero < VIR_SPIN_PROBE_EVERY)
            return 0;
        s->sinceZero = 0;
    }
    return virSpinMachineHasRoom() ? VIR_SPIN_MAX_US : 0;
}

void
virSpinDone(virSpin *s, bool caught)
{
    /* a probe that missed leaves the budget at 0 */
    s->budgetUs = caught ? VIR_SPIN_MAX_US : s->budgetUs / 2;
    if (s->budgetUs < 4)
        s->budgetUs = 0;
    s->sinceZero = 0;
}
