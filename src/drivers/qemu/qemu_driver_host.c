/* qemu_driver_host.c: the QEMU driver's host queries (free memory, NUMA cells, CPU map, SMBIOS)
 *
 * What libvirt 9.0's QEMU driver answers, read from this host: free memory
 * per NUMA cell from /sys/devices/system/node/node<N>/meminfo (MemFree;
 * without NUMA nodes, /proc/meminfo's as one cell), SMBIOS from dmidecode.
 * (The CPU map is qemu_driver_stats.c's.) No state:
 * any thread.
 */
#define G_LOG_DOMAIN "virtkit.qemu.host"
#include <stdlib.h>
#include <string.h>

#include "qemu_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

#define QEMU_NODE_DIR "/sys/devices/system/node"

/* "MemFree:  123 kB" of a meminfo file (a node's lines start "Node N "). */
static bool
qemuHostMemFree(const char *path, unsigned long long *bytes)
{
    g_autofree char *text = NULL;
    const char *p;

    if (!g_file_get_contents(path, &text, NULL, NULL) || !(p = strstr(text, "MemFree:")))
        return false;
    *bytes = g_ascii_strtoull(p + strlen("MemFree:"), NULL, 10) * 1024;
    return true;
}

/* Free memory of every NUMA cell, in order; one cell from /proc/meminfo
 * on a host without NUMA nodes. NULL with an error reported. */
static GArray *
qemuHostCellsFree(void)
{
    g_autoptr(GArray) cells = g_array_new(FALSE, FALSE, sizeof(unsigned long long));

    for (int n = 0;; n++) {
        g_autofree char *path = g_strdup_printf(QEMU_NODE_DIR "/node%d/meminfo", n);
        unsigned long long v;

        if (!g_file_test(path, G_FILE_TEST_EXISTS))
            break;
        if (!qemuHostMemFree(path, &v)) {
            virReportSystemError(EIO, "cannot read %s", path);
            return NULL;
        }
        g_array_append_val(cells, v);
    }
    if (cells->len == 0) {
        unsigned long long v;

        if (!qemuHostMemFree("/proc/meminfo", &v)) {
            virReportSystemError(EIO, "%s", "cannot read /proc/meminfo");
            return NULL;
        }
        g_array_append_val(cells, v);
    }
    return g_steal_pointer(&cells);
}

unsigned long long
qemuNodeGetFreeMemory(virConnectPtr conn G_GNUC_UNUSED)
{
    g_autoptr(GArray) cells = qemuHostCellsFree();
    unsigned long long sum = 0;

    if (!cells)
        return 0;
    for (guint i = 0; i < cells->len; i++)
        sum += g_array_index(cells, unsigned long long, i);
    return sum;
}

int
qemuNodeGetCellsFreeMemory(virConnectPtr conn G_GNUC_UNUSED, unsigned long long *freeMems,
                           int startCell, int maxCells)
{
    g_autoptr(GArray) cells = qemuHostCellsFree();
    int n = 0;

    if (!cells)
        return -1;
    if (startCell >= (int)cells->len) {
        /* libvirt's virhostmem.c reports it without a driver domain */
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __func__,
                           "start cell %d out of range (0-%d)", startCell,
                           (int)cells->len - 1);
        return -1;
    }
    for (int i = startCell; i < (int)cells->len && n < maxCells; i++)
        freeMems[n++] = g_array_index(cells, unsigned long long, i);
    return n;
}

/* ---- SMBIOS (libvirt's virSysinfoRead for x86: dmidecode) ---------------- */

typedef struct {
    const char *section;  /* dmidecode's heading */
    const char *element;  /* libvirt's element */
    const char *keys[16]; /* pairs: dmidecode key, libvirt entry name */
} qemuSysinfoSection;

static const qemuSysinfoSection qemuSysinfoSections[] = {
    { "BIOS Information",
      "bios",
      { "Vendor", "vendor", "Version", "version", "Release Date", "date", "BIOS Revision",
        "release", NULL } },
    { "System Information",
      "system",
      { "Manufacturer", "manufacturer", "Product Name", "product", "Version", "version",
        "Serial Number", "serial", "UUID", "uuid", "SKU Number", "sku", "Family",
        "family", NULL } },
};

/* The entries of one dmidecode section (text after its heading). */
static void
qemuSysinfoFormatSection(GString *out, const qemuSysinfoSection *sec, const char *text)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    bool any = false;

    for (int k = 0; sec->keys[k]; k += 2) {
        for (char **l = lines + 1; *l && **l == '\t'; l++) {
            g_autofree char *key = g_strdup_printf("\t%s: ", sec->keys[k]);
            g_autofree char *val = NULL;

            if (!g_str_has_prefix(*l, key))
                continue;
            val = g_markup_escape_text(*l + strlen(key), -1);
            if (!any)
                g_string_append_printf(out, "  <%s>\n", sec->element);
            any = true;
            g_string_append_printf(out, "    <entry name='%s'>%s</entry>\n",
                                   sec->keys[k + 1], val);
            break;
        }
    }
    if (any)
        g_string_append_printf(out, "  </%s>\n", sec->element);
}

char *
qemuConnectGetSysinfo(virConnectPtr conn G_GNUC_UNUSED, unsigned int flags)
{
    const char *argv[] = { "dmidecode", "-q", "-t", "0,1,2,3,4,11,17", NULL };
    g_autofree char *out = NULL;
    g_autoptr(GString) xml = NULL;
    gint status = -1;

    virCheckFlags(0, NULL);
    if (!g_spawn_sync(NULL, (char **)argv, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                      NULL, &status, NULL) ||
        !g_spawn_check_wait_status(status, NULL) || !out || !*out) {
        /* libvirt reads it at start and says this when it could not */
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "Host SMBIOS information is not available");
        return NULL;
    }
    xml = g_string_new("<sysinfo type='smbios'>\n");
    for (size_t i = 0; i < G_N_ELEMENTS(qemuSysinfoSections); i++) {
        const char *at = strstr(out, qemuSysinfoSections[i].section);

        if (at)
            qemuSysinfoFormatSection(xml, &qemuSysinfoSections[i], at);
    }
    g_string_append(xml, "</sysinfo>\n");
    return g_string_free(g_steal_pointer(&xml), FALSE);
}
