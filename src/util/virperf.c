/* virperf.c: Linux perf event counters on a process (libvirt's virPerf, for <perf> and the "perf" statistics) */
#define G_LOG_DOMAIN "virtkit.util.perf"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "virerror.h"
#include "virperf.h"

#define VIR_FROM_THIS VIR_FROM_PERF

static const char *const virPerfEventNames[VIR_PERF_EVENT_LAST] = {
    "cmt",
    "mbmt",
    "mbml",
    "cpu_cycles",
    "instructions",
    "cache_references",
    "cache_misses",
    "branch_instructions",
    "branch_misses",
    "bus_cycles",
    "stalled_cycles_frontend",
    "stalled_cycles_backend",
    "ref_cpu_cycles",
    "cpu_clock",
    "task_clock",
    "page_faults",
    "context_switches",
    "cpu_migrations",
    "page_faults_min",
    "page_faults_maj",
    "alignment_faults",
    "emulation_faults",
};

/* The kernel's name of each event: type and config of perf_event_attr.
 * The resctrl ones have the intel_cqm PMU's type, looked up when used. */
static const struct {
    uint32_t type;
    uint64_t config;
} virPerfEventAttrs[VIR_PERF_EVENT_LAST] = {
    [VIR_PERF_EVENT_CMT] = { 0, 1 },
    [VIR_PERF_EVENT_MBMT] = { 0, 2 },
    [VIR_PERF_EVENT_MBML] = { 0, 3 },
    [VIR_PERF_EVENT_CPU_CYCLES] = { PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
    [VIR_PERF_EVENT_INSTRUCTIONS] = { PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
    [VIR_PERF_EVENT_CACHE_REFERENCES] = { PERF_TYPE_HARDWARE,
                                          PERF_COUNT_HW_CACHE_REFERENCES },
    [VIR_PERF_EVENT_CACHE_MISSES] = { PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
    [VIR_PERF_EVENT_BRANCH_INSTRUCTIONS] = { PERF_TYPE_HARDWARE,
                                             PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
    [VIR_PERF_EVENT_BRANCH_MISSES] = { PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES },
    [VIR_PERF_EVENT_BUS_CYCLES] = { PERF_TYPE_HARDWARE, PERF_COUNT_HW_BUS_CYCLES },
    [VIR_PERF_EVENT_STALLED_CYCLES_FRONTEND] = { PERF_TYPE_HARDWARE,
                                                 PERF_COUNT_HW_STALLED_CYCLES_FRONTEND },
    [VIR_PERF_EVENT_STALLED_CYCLES_BACKEND] = { PERF_TYPE_HARDWARE,
                                                PERF_COUNT_HW_STALLED_CYCLES_BACKEND },
    [VIR_PERF_EVENT_REF_CPU_CYCLES] = { PERF_TYPE_HARDWARE,
                                        PERF_COUNT_HW_REF_CPU_CYCLES },
    [VIR_PERF_EVENT_CPU_CLOCK] = { PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK },
    [VIR_PERF_EVENT_TASK_CLOCK] = { PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
    [VIR_PERF_EVENT_PAGE_FAULTS] = { PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
    [VIR_PERF_EVENT_CONTEXT_SWITCHES] = { PERF_TYPE_SOFTWARE,
                                          PERF_COUNT_SW_CONTEXT_SWITCHES },
    [VIR_PERF_EVENT_CPU_MIGRATIONS] = { PERF_TYPE_SOFTWARE,
                                        PERF_COUNT_SW_CPU_MIGRATIONS },
    [VIR_PERF_EVENT_PAGE_FAULTS_MIN] = { PERF_TYPE_SOFTWARE,
                                         PERF_COUNT_SW_PAGE_FAULTS_MIN },
    [VIR_PERF_EVENT_PAGE_FAULTS_MAJ] = { PERF_TYPE_SOFTWARE,
                                         PERF_COUNT_SW_PAGE_FAULTS_MAJ },
    [VIR_PERF_EVENT_ALIGNMENT_FAULTS] = { PERF_TYPE_SOFTWARE,
                                          PERF_COUNT_SW_ALIGNMENT_FAULTS },
    [VIR_PERF_EVENT_EMULATION_FAULTS] = { PERF_TYPE_SOFTWARE,
                                          PERF_COUNT_SW_EMULATION_FAULTS },
};

/* One event: a counter per thread of the process, or none (disabled). */
typedef struct {
    GArray *fds; /* int; NULL when disabled */
    long scale;  /* resctrl: bytes per unit; 1 otherwise */
} virPerfCounter;

struct _virPerf {
    virPerfCounter events[VIR_PERF_EVENT_LAST];
};

const char *
virPerfEventTypeToString(int type)
{
    if (type < 0 || type >= VIR_PERF_EVENT_LAST)
        return NULL;
    return virPerfEventNames[type];
}

int
virPerfEventTypeFromString(const char *name)
{
    for (int i = 0; name && i < VIR_PERF_EVENT_LAST; i++) {
        if (strcmp(virPerfEventNames[i], name) == 0)
            return i;
    }
    return -1;
}

virPerf *
virPerfNew(void)
{
    return g_new0(virPerf, 1);
}

static void
virPerfCounterClose(virPerfCounter *c)
{
    if (!c->fds)
        return;
    for (guint i = 0; i < c->fds->len; i++)
        close(g_array_index(c->fds, int, i));
    g_array_unref(c->fds);
    c->fds = NULL;
}

void
virPerfFree(virPerf *perf)
{
    if (!perf)
        return;
    for (int i = 0; i < VIR_PERF_EVENT_LAST; i++)
        virPerfCounterClose(&perf->events[i]);
    g_free(perf);
}

/* A small non-negative integer from a sysfs file, -1 when it cannot be
 * read (the PMU is absent). */
static long
virPerfReadSysfsNumber(const char *path)
{
    g_autofree char *buf = NULL;
    char *end = NULL;
    long val;

    if (!g_file_get_contents(path, &buf, NULL, NULL))
        return -1;
    errno = 0;
    val = strtol(buf, &end, 10);
    if (errno || end == buf || val < 0)
        return -1;
    return val;
}

static int
virPerfOpenOne(const struct perf_event_attr *attr, pid_t tid)
{
    return (int)syscall(SYS_perf_event_open, attr, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

int
virPerfEventEnable(virPerf *perf, virPerfEventType type, pid_t pid)
{
    virPerfCounter *c = &perf->events[type];
    const char *name = virPerfEventNames[type];
    struct perf_event_attr attr;
    g_autofree char *taskDir = NULL;
    g_autoptr(GArray) fds = NULL;
    long scale = 1;
    DIR *dir;
    struct dirent *ent;
    int err = 0;

    if (c->fds)
        return 0;

    memset(&attr, 0, sizeof(attr));
    attr.size = sizeof(attr);
    attr.type = virPerfEventAttrs[type].type;
    attr.config = virPerfEventAttrs[type].config;
    attr.inherit = 1;

    if (type == VIR_PERF_EVENT_CMT || type == VIR_PERF_EVENT_MBMT ||
        type == VIR_PERF_EVENT_MBML) {
        long pmu = virPerfReadSysfsNumber("/sys/devices/intel_cqm/type");

        if (pmu <= 0) {
            virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED,
                           "unable to enable host cpu perf event for %s", name);
            return -1;
        }
        attr.type = (uint32_t)pmu;
        if (type == VIR_PERF_EVENT_CMT &&
            (scale = virPerfReadSysfsNumber(
                 "/sys/devices/intel_cqm/events/llc_occupancy.scale")) < 0) {
            virReportSystemError(EINVAL, "%s", "failed to get cmt scaling factor");
            return -1;
        }
    }

    /* Every thread there is now; those created later inherit from the
     * one that creates them. A thread that exits meanwhile is skipped. */
    fds = g_array_new(FALSE, FALSE, sizeof(int));
    taskDir = g_strdup_printf("/proc/%d/task", (int)pid);
    if (!(dir = opendir(taskDir))) {
        err = errno;
    } else {
        while ((ent = readdir(dir))) {
            char *end = NULL;
            long tid = strtol(ent->d_name, &end, 10);
            int fd;

            if (ent->d_name[0] == '.' || !end || *end || tid <= 0)
                continue;
            if ((fd = virPerfOpenOne(&attr, (pid_t)tid)) < 0) {
                if (errno == ESRCH && tid != pid)
                    continue;
                err = errno;
                break;
            }
            g_array_append_val(fds, fd);
        }
        closedir(dir);
        if (!err && fds->len == 0)
            err = ESRCH;
    }
    if (err) {
        for (guint i = 0; i < fds->len; i++)
            close(g_array_index(fds, int, i));
        virReportSystemError(err, "unable to open host cpu perf event for %s", name);
        return -1;
    }
    c->fds = g_steal_pointer(&fds);
    c->scale = scale;
    g_debug("perf event %s enabled on %u threads of %d", name, c->fds->len, (int)pid);
    return 0;
}

int
virPerfEventDisable(virPerf *perf, virPerfEventType type)
{
    virPerfCounterClose(&perf->events[type]);
    return 0;
}

bool
virPerfEventIsEnabled(const virPerf *perf, virPerfEventType type)
{
    return perf && type < VIR_PERF_EVENT_LAST && perf->events[type].fds;
}

int
virPerfReadEvent(virPerf *perf, virPerfEventType type, unsigned long long *value)
{
    virPerfCounter *c = &perf->events[type];
    unsigned long long sum = 0;

    if (!c->fds) {
        virReportSystemError(EINVAL, "perf event %s is not enabled",
                             virPerfEventNames[type]);
        return -1;
    }
    for (guint i = 0; i < c->fds->len; i++) {
        uint64_t v = 0;
        ssize_t n;

        do {
            n = read(g_array_index(c->fds, int, i), &v, sizeof(v));
        } while (n < 0 && errno == EINTR);
        if (n != (ssize_t)sizeof(v)) {
            virReportSystemError(n < 0 ? errno : EIO, "%s", "Unable to read cache data");
            return -1;
        }
        sum += v;
    }
    *value = sum * (unsigned long long)c->scale;
    return 0;
}
