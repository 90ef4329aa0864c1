/* qemu_driver_hugepages.c: the QEMU driver's huge page pools (virNodeGetFreePages, virNodeAllocPages)
 *
 * What libvirt 9.0's virhostmem.c and virnuma.c do, read from and written
 * to this host's sysfs: a NUMA cell's pool of a size is
 * /sys/devices/system/node/node<N>/hugepages/hugepages-<size>kB/, the
 * whole host's (cell -1) /sys/kernel/mm/hugepages/hugepages-<size>kB/
 * (free_hugepages, nr_hugepages). The system page size has no pool: its
 * free pages are the cell's (or /proc/meminfo's) MemFree, and it cannot
 * be sized. Errors as libvirt's, in its domains (virnuma.c's in
 * VIR_FROM_NONE). No state: any thread; two callers sizing one pool race
 * as two libvirtd clients do (the kernel keeps the last write).
 */
#define G_LOG_DOMAIN "virtkit.qemu.hugepages"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qemu_capabilities.h"
#include "qemu_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

#define QEMU_NODE_DIR "/sys/devices/system/node"
#define QEMU_HUGEPAGES_DIR "/sys/kernel/mm/hugepages"

/* The highest NUMA node id of the host, 0 without NUMA nodes (libvirt's
 * virNumaGetMaxNode as its drivers use it). */
static int
qemuHugepagesLastCell(void)
{
    g_autoptr(GDir) dir = g_dir_open(QEMU_NODE_DIR, 0, NULL);
    const char *name;
    int last = 0;

    while (dir && (name = g_dir_read_name(dir))) {
        char *end = NULL;
        long id;

        if (!g_str_has_prefix(name, "node") || !g_ascii_isdigit(name[4]))
            continue;
        id = strtol(name + 4, &end, 10);
        if (*end == '\0' && id > last && id < G_MAXINT)
            last = (int)id;
    }
    return last;
}

static unsigned int
qemuHugepagesSystemSize(void)
{
    return (unsigned int)(sysconf(_SC_PAGESIZE) / 1024);
}

/* The path of @file of cell @node's pool of @size KiB pages; NULL with
 * libvirt's error (VIR_ERR_OPERATION_FAILED) when the host has no such
 * pool or no such cell. */
static char *
qemuHugepagesPath(int node, unsigned int size, const char *file)
{
    g_autofree char *path = NULL;

    if (node == -1)
        path = g_strdup_printf(QEMU_HUGEPAGES_DIR "/hugepages-%ukB/%s", size, file);
    else
        path = g_strdup_printf(QEMU_NODE_DIR "/node%d/hugepages/hugepages-%ukB/%s", node,
                               size, file);
    if (g_file_test(path, G_FILE_TEST_EXISTS))
        return g_steal_pointer(&path);
    if (node != -1) {
        g_autofree char *nodedir = g_strdup_printf(QEMU_NODE_DIR "/node%d", node);

        if (node < 0 || !g_file_test(nodedir, G_FILE_TEST_IS_DIR))
            virReportErrorFull(VIR_FROM_NONE, VIR_ERR_OPERATION_FAILED, __func__,
                               "NUMA node %d is not available", node);
        else
            virReportErrorFull(VIR_FROM_NONE, VIR_ERR_OPERATION_FAILED, __func__,
                               "page size %u is not available on node %d", size, node);
    } else {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_OPERATION_FAILED, __func__,
                           "page size %u is not available", size);
    }
    return NULL;
}

/* The number in a sysfs file ("123\n"); false with an error reported. */
static bool
qemuHugepagesRead(const char *path, unsigned long long *value)
{
    g_autofree char *text = NULL;
    g_autoptr(GError) err = NULL;
    char *end = NULL;

    if (!g_file_get_contents(path, &text, NULL, &err)) {
        virReportSystemErrorFull(VIR_FROM_NONE,
                                 err->code == G_FILE_ERROR_ACCES ? EACCES : EIO, __func__,
                                 "Failed to open file '%s'", path);
        return false;
    }
    errno = 0;
    *value = g_ascii_strtoull(text, &end, 10);
    if (errno || end == text || *end != '\n') {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_OPERATION_FAILED, __func__,
                           "invalid number '%s' in '%s'", text, path);
        return false;
    }
    return true;
}

/* Free pages of @size KiB in cell @node (-1: the host). */
static int
qemuHugepagesFree(int node, unsigned int size, unsigned long long *count)
{
    g_autofree char *path = NULL;

    if (size == qemuHugepagesSystemSize()) {
        g_autofree char *meminfo = NULL;
        g_autofree char *text = NULL;
        const char *p;

        if (node < -1) {
            /* libvirt's numa_node_size64 fails there without an error
             * set: its clients see the generic one */
            virSetErrorRaw(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, VIR_ERR_ERROR,
                           "An error occurred, but the cause is unknown", __func__, NULL,
                           NULL, 0, 0);
            return -1;
        }
        meminfo = node == -1 ? g_strdup("/proc/meminfo")
                             : g_strdup_printf(QEMU_NODE_DIR "/node%d/meminfo", node);
        if (!g_file_get_contents(meminfo, &text, NULL, NULL) ||
            !(p = strstr(text, "MemFree:"))) {
            virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __func__,
                               "Failed to query NUMA free memory for node: %d", node);
            return -1;
        }
        *count = g_ascii_strtoull(p + strlen("MemFree:"), NULL, 10) / size;
        return 0;
    }
    if (!(path = qemuHugepagesPath(node, size, "free_hugepages")))
        return -1;
    return qemuHugepagesRead(path, count) ? 0 : -1;
}

/* Sets (or with @add grows by @count) the pool of @size KiB pages of
 * cell @node, then reads back what the kernel managed. */
static int
qemuHugepagesSetPool(int node, unsigned int size, unsigned long long count, bool add)
{
    g_autofree char *path = NULL;
    g_autofree char *text = NULL;
    unsigned long long now;
    int fd;

    if (size == qemuHugepagesSystemSize()) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_OPERATION_UNSUPPORTED, __func__, "%s",
                           "system pages pool can't be modified");
        return -1;
    }
    if (!(path = qemuHugepagesPath(node, size, "nr_hugepages")) ||
        !qemuHugepagesRead(path, &now))
        return -1;
    if (add) {
        if (count == 0)
            return 0;
        count += now;
    }
    if (now == count)
        return 0;
    text = g_strdup_printf("%llu", count);
    g_debug("writing %s to %s (was %llu)", text, path, now);
    if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0 ||
        write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
        int saved = errno;

        if (fd >= 0)
            close(fd);
        virReportSystemErrorFull(VIR_FROM_NONE, saved, __func__, "Unable to write to: %s",
                                 path);
        return -1;
    }
    if (close(fd) < 0) {
        virReportSystemErrorFull(VIR_FROM_NONE, errno, __func__, "Unable to write to: %s",
                                 path);
        return -1;
    }
    if (!qemuHugepagesRead(path, &now))
        return -1;
    if (now != count) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_OPERATION_FAILED, __func__,
                           "Unable to allocate %llu pages. Allocated only %llu", count,
                           now);
        return -1;
    }
    return 0;
}

/* The cells @startCell .. its last one of the host, at most @cellCount;
 * -1 with libvirt's error when @startCell is past the host's last. */
static int
qemuHugepagesCellRange(int startCell, unsigned int cellCount, int *lastCell)
{
    int last = qemuHugepagesLastCell();

    if (startCell > last) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __func__,
                           "start cell %d out of range (0-%d)", startCell, last);
        return -1;
    }
    *lastCell = (long long)startCell + cellCount - 1 < last
                    ? startCell + (int)cellCount - 1
                    : last;
    return 0;
}

int
qemuNodeGetFreePages(virConnectPtr conn G_GNUC_UNUSED, unsigned int npages,
                     unsigned int *pages, int startCell, unsigned int cellCount,
                     unsigned long long *counts, unsigned int flags)
{
    int lastCell;
    int n = 0;

    virCheckFlags(0, -1);
    if (qemuHugepagesCellRange(startCell, cellCount, &lastCell) < 0)
        return -1;
    for (int cell = startCell; cell <= lastCell; cell++) {
        for (unsigned int i = 0; i < npages; i++) {
            unsigned long long count;

            if (qemuHugepagesFree(cell, pages[i], &count) < 0)
                return -1;
            counts[n++] = count;
        }
    }
    if (n == 0) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_OPERATION_FAILED, __func__, "%s",
                           "no suitable info found");
        return -1;
    }
    return n;
}

int
qemuNodeAllocPages(virConnectPtr conn G_GNUC_UNUSED, unsigned int npages,
                   unsigned int *pageSizes, unsigned long long *pageCounts, int startCell,
                   unsigned int cellCount, unsigned int flags)
{
    bool add = !(flags & VIR_NODE_ALLOC_PAGES_SET);
    int lastCell;
    int n = 0;

    virCheckFlags(VIR_NODE_ALLOC_PAGES_SET, -1);
    if (qemuHugepagesCellRange(startCell, cellCount, &lastCell) < 0)
        return -1;
    for (int cell = startCell; cell <= lastCell; cell++) {
        for (unsigned int i = 0; i < npages; i++) {
            if (qemuHugepagesSetPool(cell, pageSizes[i], pageCounts[i], add) < 0)
                return -1;
            n++;
        }
    }
    return n;
}

/* ---- the capabilities' page sizes and NUMA cells ------------------------- */

static gint
qemuHugepagesCmp(gconstpointer a, gconstpointer b)
{
    unsigned int x = *(const unsigned int *)a;
    unsigned int y = *(const unsigned int *)b;

    return x < y ? -1 : x > y;
}

/* The host's huge page sizes in KiB, ascending. */
static GArray *
qemuHugepagesSizes(void)
{
    g_autoptr(GArray) sizes = g_array_new(FALSE, FALSE, sizeof(unsigned int));
    g_autoptr(GDir) dir = g_dir_open(QEMU_HUGEPAGES_DIR, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        unsigned int size;
        char *end = NULL;

        if (!g_str_has_prefix(name, "hugepages-"))
            continue;
        size = (unsigned int)strtoul(name + strlen("hugepages-"), &end, 10);
        if (size && g_strcmp0(end, "kB") == 0)
            g_array_append_val(sizes, size);
    }
    g_array_sort(sizes, (GCompareFunc)qemuHugepagesCmp);
    return g_steal_pointer(&sizes);
}

/* A sysfs file's text without its newline ("" when unreadable). */
static char *
qemuHugepagesReadText(const char *path)
{
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return g_strdup("");
    g_strchomp(text);
    return text;
}

/* The numbers of a sysfs list ("0-3,8"). */
static GArray *
qemuHugepagesParseList(const char *text)
{
    g_autoptr(GArray) out = g_array_new(FALSE, FALSE, sizeof(int));
    g_auto(GStrv) parts = g_strsplit(text, ",", -1);

    for (char **p = parts; *p && **p; p++) {
        char *end = NULL;
        int a = (int)strtol(*p, &end, 10);
        int b = *end == '-' ? (int)strtol(end + 1, NULL, 10) : a;

        for (int i = a; i <= b && i - a < 65536; i++)
            g_array_append_val(out, i);
    }
    return g_steal_pointer(&out);
}

void
qemuHugepagesFormatCPUPages(GString *x)
{
    g_autoptr(GArray) sizes = qemuHugepagesSizes();

    g_string_append_printf(x, "      <pages unit='KiB' size='%u'/>\n",
                           qemuHugepagesSystemSize());
    for (guint i = 0; i < sizes->len; i++)
        g_string_append_printf(x, "      <pages unit='KiB' size='%u'/>\n",
                               g_array_index(sizes, unsigned int, i));
}

void
qemuHugepagesFormatTopology(GString *x)
{
    g_autoptr(GArray) sizes = qemuHugepagesSizes();
    g_autoptr(GArray) nodes = g_array_new(FALSE, FALSE, sizeof(int));
    int last = qemuHugepagesLastCell();

    for (int n = 0; n <= last; n++) {
        g_autofree char *dir = g_strdup_printf(QEMU_NODE_DIR "/node%d", n);

        if (g_file_test(dir, G_FILE_TEST_IS_DIR))
            g_array_append_val(nodes, n);
    }
    if (nodes->len == 0)
        return;
    g_string_append_printf(x, "    <topology>\n      <cells num='%u'>\n", nodes->len);
    for (guint i = 0; i < nodes->len; i++) {
        int n = g_array_index(nodes, int, i);
        g_autofree char *meminfo = g_strdup_printf(QEMU_NODE_DIR "/node%d/meminfo", n);
        g_autofree char *text = qemuHugepagesReadText(meminfo);
        g_autofree char *dist = NULL;
        g_autofree char *cpulist = NULL;
        g_autoptr(GArray) cpus = NULL;
        g_auto(GStrv) dists = NULL;
        const char *p = strstr(text, "MemTotal:");
        unsigned long long total =
            p ? g_ascii_strtoull(p + strlen("MemTotal:"), NULL, 10) : 0;
        unsigned long long huge = 0;
        guint j;

        g_string_append_printf(x, "        <cell id='%d'>\n", n);
        g_string_append_printf(x, "          <memory unit='KiB'>%llu</memory>\n", total);
        for (j = 0; j < sizes->len; j++) {
            unsigned int size = g_array_index(sizes, unsigned int, j);
            g_autofree char *nr = g_strdup_printf(
                QEMU_NODE_DIR "/node%d/hugepages/hugepages-%ukB/nr_hugepages", n, size);
            g_autofree char *v = qemuHugepagesReadText(nr);

            huge += g_ascii_strtoull(v, NULL, 10) * size;
        }
        g_string_append_printf(x, "          <pages unit='KiB' size='%u'>%llu</pages>\n",
                               qemuHugepagesSystemSize(),
                               (total > huge ? total - huge : 0) /
                                   qemuHugepagesSystemSize());
        for (j = 0; j < sizes->len; j++) {
            unsigned int size = g_array_index(sizes, unsigned int, j);
            g_autofree char *nr = g_strdup_printf(
                QEMU_NODE_DIR "/node%d/hugepages/hugepages-%ukB/nr_hugepages", n, size);
            g_autofree char *v = qemuHugepagesReadText(nr);

            g_string_append_printf(
                x, "          <pages unit='KiB' size='%u'>%llu</pages>\n", size,
                (unsigned long long)g_ascii_strtoull(v, NULL, 10));
        }
        g_free(cpulist);
        cpulist = g_strdup_printf(QEMU_NODE_DIR "/node%d/distance", n);
        dist = qemuHugepagesReadText(cpulist);
        g_free(cpulist);
        dists = g_strsplit_set(dist, " \t", -1);
        g_string_append(x, "          <distances>\n");
        for (j = 0; dists[j] && j < nodes->len; j++) {
            if (!*dists[j])
                continue;
            g_string_append_printf(x, "            <sibling id='%d' value='%s'/>\n",
                                   g_array_index(nodes, int, j), dists[j]);
        }
        g_string_append(x, "          </distances>\n");
        cpulist = g_strdup_printf(QEMU_NODE_DIR "/node%d/cpulist", n);
        g_free(text);
        text = qemuHugepagesReadText(cpulist);
        cpus = qemuHugepagesParseList(text);
        g_string_append_printf(x, "          <cpus num='%u'>\n", cpus->len);
        for (j = 0; j < cpus->len; j++) {
            int c = g_array_index(cpus, int, j);
            const char *files[] = { "physical_package_id", "die_id", "core_id",
                                    "thread_siblings_list" };
            char *vals[4] = { NULL };

            for (int k = 0; k < 4; k++) {
                g_autofree char *path = g_strdup_printf(
                    "/sys/devices/system/cpu/cpu%d/topology/%s", c, files[k]);

                vals[k] = qemuHugepagesReadText(path);
            }
            g_string_append_printf(x,
                                   "            <cpu id='%d' socket_id='%s' die_id='%s' "
                                   "core_id='%s' siblings='%s'/>\n",
                                   c, vals[0], vals[1], vals[2], vals[3]);
            for (int k = 0; k < 4; k++)
                g_free(vals[k]);
        }
        g_string_append(x, "          </cpus>\n        </cell>\n");
    }
    g_string_append(x, "      </cells>\n    </topology>\n");
}
