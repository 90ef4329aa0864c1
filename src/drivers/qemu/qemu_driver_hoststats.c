/* qemu_driver_hoststats.c: QEMU driver entry points for the host's statistics (CPU times, memory, the CPU map; /proc and sysfs) */

/*
 * Threads: any API thread; nothing is locked, every call reads the kernel's
 * files afresh. Split from qemu_driver_stats.c (the guests' statistics).
 */

#define G_LOG_DOMAIN "virtkit.qemu.stats"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu_driver_priv.h"
#include "virerror.h"
#include "virtypedparamlist.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* The host's CPUs: how many (highest present + 1), and a map of the online
 * ones (g_free; may be NULL). */
int
qemuHostCpus(unsigned char **online, unsigned int *nonline)
{
    g_autofree char *present = NULL;
    g_autofree char *on = NULL;
    int max = -1;
    unsigned int count = 0;
    g_auto(GStrv) ranges = NULL;
    unsigned char *map;

    if (!g_file_get_contents("/sys/devices/system/cpu/present", &present, NULL, NULL)) {
        max = (int)sysconf(_SC_NPROCESSORS_CONF) - 1;
    } else {
        const char *last = strrchr(g_strstrip(present), '-');
        const char *comma = strrchr(present, ',');

        if (comma && (!last || comma > last))
            last = comma;
        max = atoi(last ? last + 1 : present);
    }
    if (max < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "cannot count the host's CPUs");
        return -1;
    }
    map = g_new0(unsigned char, VIR_CPU_MAPLEN(max + 1));
    if (g_file_get_contents("/sys/devices/system/cpu/online", &on, NULL, NULL))
        ranges = g_strsplit(g_strstrip(on), ",", -1);
    for (char **r = ranges; r && *r; r++) {
        int a, b;

        if (sscanf(*r, "%d-%d", &a, &b) != 2)
            b = a = atoi(*r);
        for (int c = a; c <= b && c <= max; c++) {
            VIR_USE_CPU(map, c);
            count++;
        }
    }
    if (!ranges) {
        for (int c = 0; c <= max; c++)
            VIR_USE_CPU(map, c);
        count = max + 1;
    }
    if (online)
        *online = map;
    else
        g_free(map);
    if (nonline)
        *nonline = count;
    return max + 1;
}

/* ---- the host ---------------------------------------------------------------- */

int
qemuNodeGetCPUStats(virConnectPtr conn G_GNUC_UNUSED, int cpuNum,
                    virNodeCPUStatsPtr params, int *nparams, unsigned int flags)
{
    g_autofree char *data = NULL;
    g_auto(GStrv) lines = NULL;
    g_autofree char *want = cpuNum == VIR_NODE_CPU_STATS_ALL_CPUS
                                ? g_strdup("cpu")
                                : g_strdup_printf("cpu%d", cpuNum);
    unsigned long long tick;
    long tck = sysconf(_SC_CLK_TCK);

    virCheckFlags(0, -1);
    if (*nparams == 0) {
        *nparams = 4;
        return 0;
    }
    if (!g_file_get_contents("/proc/stat", &data, NULL, NULL) || tck <= 0) {
        virReportSystemError(errno, "%s", "cannot read /proc/stat");
        return -1;
    }
    tick = 1000000000ULL / (unsigned long long)tck;
    lines = g_strsplit(data, "\n", -1);
    for (char **l = lines; *l; l++) {
        static const char *const names[4] = { VIR_NODE_CPU_STATS_KERNEL,
                                              VIR_NODE_CPU_STATS_USER,
                                              VIR_NODE_CPU_STATS_IDLE,
                                              VIR_NODE_CPU_STATS_IOWAIT };
        unsigned long long usr, ni, sys, idle, iowait, irq, softirq, v[4];
        int i;

        if (!g_str_has_prefix(*l, want) || (*l)[strlen(want)] != ' ')
            continue;
        if (sscanf(*l + strlen(want), "%llu %llu %llu %llu %llu %llu %llu", &usr, &ni,
                   &sys, &idle, &iowait, &irq, &softirq) != 7)
            break;
        /* libvirt's: kernel = system + irq + softirq, user = user + nice */
        v[0] = (sys + irq + softirq) * tick;
        v[1] = (usr + ni) * tick;
        v[2] = idle * tick;
        v[3] = iowait * tick;
        for (i = 0; i < 4 && i < *nparams; i++) {
            memset(&params[i], 0, sizeof(params[i]));
            g_strlcpy(params[i].field, names[i], sizeof(params[i].field));
            params[i].value = v[i];
        }
        *nparams = i;
        return 0;
    }
    virReportError(VIR_ERR_INVALID_ARG, "Invalid cpuNum in %s", "qemuNodeGetCPUStats");
    return -1;
}

int
qemuNodeGetMemoryStats(virConnectPtr conn G_GNUC_UNUSED, int cellNum,
                       virNodeMemoryStatsPtr params, int *nparams, unsigned int flags)
{
    static const struct {
        const char *key;
        const char *field;
    } table[] = {
        { "MemTotal:", VIR_NODE_MEMORY_STATS_TOTAL },
        { "MemFree:", VIR_NODE_MEMORY_STATS_FREE },
        { "Buffers:", VIR_NODE_MEMORY_STATS_BUFFERS },
        { "Cached:", VIR_NODE_MEMORY_STATS_CACHED },
    };
    g_autofree char *path = NULL;
    g_autofree char *data = NULL;
    g_auto(GStrv) lines = NULL;
    int n = 0;

    virCheckFlags(0, -1);
    if (cellNum == VIR_NODE_MEMORY_STATS_ALL_CELLS) {
        path = g_strdup("/proc/meminfo");
    } else {
        path = g_strdup_printf("/sys/devices/system/node/node%d/meminfo", cellNum);
        if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
            virReportError(VIR_ERR_INVALID_ARG, "%s", "Invalid cell number");
            return -1;
        }
    }
    if (*nparams == 0) {
        /* a cell's meminfo has no Buffers nor Cached line */
        *nparams = cellNum == VIR_NODE_MEMORY_STATS_ALL_CELLS ? 4 : 2;
        return 0;
    }
    if (!g_file_get_contents(path, &data, NULL, NULL)) {
        virReportSystemError(errno, "cannot read %s", path);
        return -1;
    }
    lines = g_strsplit(data, "\n", -1);
    for (size_t t = 0; t < G_N_ELEMENTS(table) && n < *nparams; t++) {
        for (char **l = lines; *l; l++) {
            const char *p = *l;
            unsigned long long v;

            /* "Node 0 MemTotal:  123 kB" in a cell's file */
            if (g_str_has_prefix(p, "Node ")) {
                p = strchr(p + 5, ' ');
                if (!p)
                    continue;
                p++;
            }
            if (!g_str_has_prefix(p, table[t].key))
                continue;
            if (sscanf(p + strlen(table[t].key), "%llu", &v) != 1)
                continue;
            memset(&params[n], 0, sizeof(params[n]));
            g_strlcpy(params[n].field, table[t].field, sizeof(params[n].field));
            params[n].value = v;
            n++;
            break;
        }
    }
    *nparams = n;
    return 0;
}

int
qemuNodeGetCPUMap(virConnectPtr conn G_GNUC_UNUSED, unsigned char **cpumap,
                  unsigned int *online, unsigned int flags)
{
    virCheckFlags(0, -1);
    return qemuHostCpus(cpumap, online);
}
