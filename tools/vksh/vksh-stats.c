/* vksh-stats.c: statistics commands: domstats, dommemstat, domblkstat, domifstat, domblkinfo, vcpuinfo, domjobinfo, nodecpustats, nodememstats */
#define G_LOG_DOMAIN "vksh.stats"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "vksh.h"

/* Every output below is virsh 9.0's (tools/virsh-domain-monitor.c,
 * virsh-domain.c, virsh-host.c), byte for byte. */

/* ---- domstats ------------------------------------------------------------ */

const vkshOptDef vkshOptsDomstats[] = {
    { "state", VKSH_OT_BOOL, 0, "report domain state" },
    { "cpu-total", VKSH_OT_BOOL, 0, "report domain physical cpu usage" },
    { "balloon", VKSH_OT_BOOL, 0, "report domain balloon statistics" },
    { "vcpu", VKSH_OT_BOOL, 0, "report domain virtual cpu information" },
    { "interface", VKSH_OT_BOOL, 0, "report domain network interface information" },
    { "block", VKSH_OT_BOOL, 0, "report domain block device statistics" },
    { "perf", VKSH_OT_BOOL, 0, "report domain perf event statistics" },
    { "iothread", VKSH_OT_BOOL, 0, "report domain IOThread information" },
    { "memory", VKSH_OT_BOOL, 0, "report domain memory usage" },
    { "dirtyrate", VKSH_OT_BOOL, 0, "report domain dirty rate information" },
    { "vm", VKSH_OT_BOOL, 0, "report hypervisor-specific statistics" },
    { "list-active", VKSH_OT_BOOL, 0, "list only active domains" },
    { "list-inactive", VKSH_OT_BOOL, 0, "list only inactive domains" },
    { "list-persistent", VKSH_OT_BOOL, 0, "list only persistent domains" },
    { "list-transient", VKSH_OT_BOOL, 0, "list only transient domains" },
    { "list-running", VKSH_OT_BOOL, 0, "list only running domains" },
    { "list-paused", VKSH_OT_BOOL, 0, "list only paused domains" },
    { "list-shutoff", VKSH_OT_BOOL, 0, "list only shutoff domains" },
    { "list-other", VKSH_OT_BOOL, 0, "list only domains in other states" },
    { "raw", VKSH_OT_BOOL, 0, "do not pretty-print the fields" },
    { "enforce", VKSH_OT_BOOL, 0, "enforce requested stats parameters" },
    { "backing", VKSH_OT_BOOL, 0, "add backing chain information to block stats" },
    { "nowait", VKSH_OT_BOOL, 0, "report only stats that are accessible instantly" },
    { "domain", VKSH_OT_ARGV, 0, "list of domains to get stats for" },
    { NULL, 0, 0, NULL },
};

/* A domain named by @n (id, UUID or name), or NULL after virsh's
 * "failed to get domain 'N'". */
static virDomainPtr
vkshLookupDomain(vkshControl *ctl, const char *n)
{
    virDomainPtr dom = NULL;
    char *end = NULL;
    long id;

    errno = 0;
    id = strtol(n, &end, 10);
    if (*n && !*end && errno == 0 && id >= 0 && id <= G_MAXINT)
        dom = virDomainLookupByID(ctl->conn, id);
    if (!dom && strlen(n) == VIR_UUID_STRING_BUFLEN - 1)
        dom = virDomainLookupByUUIDString(ctl->conn, n);
    if (!dom)
        dom = virDomainLookupByName(ctl->conn, n);
    vkshResetError();
    if (!dom)
        vkshError(ctl, "failed to get domain '%s'", n);
    return dom;
}

bool
vkshCmdDomstats(vkshControl *ctl, const vkshCmd *cmd)
{
    static const struct {
        const char *opt;
        unsigned int bit;
    } groups[] = {
        { "state", VIR_DOMAIN_STATS_STATE },
        { "cpu-total", VIR_DOMAIN_STATS_CPU_TOTAL },
        { "balloon", VIR_DOMAIN_STATS_BALLOON },
        { "vcpu", VIR_DOMAIN_STATS_VCPU },
        { "interface", VIR_DOMAIN_STATS_INTERFACE },
        { "block", VIR_DOMAIN_STATS_BLOCK },
        { "perf", VIR_DOMAIN_STATS_PERF },
        { "iothread", VIR_DOMAIN_STATS_IOTHREAD },
        { "memory", VIR_DOMAIN_STATS_MEMORY },
        { "dirtyrate", VIR_DOMAIN_STATS_DIRTYRATE },
        { "vm", VIR_DOMAIN_STATS_VM },
    },
      filters[] = {
          { "list-active", VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE },
          { "list-inactive", VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE },
          { "list-persistent", VIR_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT },
          { "list-transient", VIR_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT },
          { "list-running", VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING },
          { "list-paused", VIR_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED },
          { "list-shutoff", VIR_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF },
          { "list-other", VIR_CONNECT_GET_ALL_DOMAINS_STATS_OTHER },
          { "enforce", VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS },
          { "backing", VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING },
          { "nowait", VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT },
      };
    unsigned int stats = 0, flags = 0;
    bool raw = vkshOptBool(cmd, "raw");
    virDomainStatsRecordPtr *records = NULL;
    virDomainPtr *doms = NULL;
    size_t ndoms = 0;
    bool ok = false;
    int n;

    for (size_t i = 0; i < G_N_ELEMENTS(groups); i++) {
        if (vkshOptBool(cmd, groups[i].opt))
            stats |= groups[i].bit;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(filters); i++) {
        if (vkshOptBool(cmd, filters[i].opt))
            flags |= filters[i].bit;
    }

    if (cmd->argv && cmd->argv->len > 0) {
        doms = g_new0(virDomainPtr, cmd->argv->len + 1);
        for (guint i = 0; i < cmd->argv->len; i++) {
            if (!(doms[ndoms] = vkshLookupDomain(ctl, g_ptr_array_index(cmd->argv, i))))
                goto cleanup;
            ndoms++;
        }
        n = virDomainListGetStats(doms, stats, &records, flags);
    } else {
        n = virConnectGetAllDomainStats(ctl->conn, stats, &records, flags);
    }
    if (n < 0)
        goto cleanup;

    /* records are separated by a blank line (the shell ends the last) */
    for (virDomainStatsRecordPtr *rec = records; *rec; rec++) {
        if (rec != records)
            vkshPrint(ctl, "\n");
        vkshPrint(ctl, "Domain: '%s'\n", virDomainGetName((*rec)->dom));
        for (int i = 0; i < (*rec)->nparams; i++) {
            g_autofree char *value = vkshTypedParamValue(&(*rec)->params[i], raw);

            vkshPrint(ctl, "  %s=%s\n", (*rec)->params[i].field, value);
        }
    }
    ok = true;

cleanup:
    virDomainStatsRecordListFree(records);
    for (size_t i = 0; i < ndoms; i++)
        virDomainFree(doms[i]);
    g_free(doms);
    return ok;
}

/* ---- dommemstat ------------------------------------------------------------ */

const vkshOptDef vkshOptsDommemstat[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "period", VKSH_OT_INT, 0, "period in seconds to set collection" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdDommemstat(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;
    virDomainMemoryStatStruct stats[VIR_DOMAIN_MEMORY_STAT_NR];
    unsigned int flags = VIR_DOMAIN_AFFECT_CURRENT;
    int period = -1;
    int rv, n;

    if (!vkshOptExclusive(ctl, cmd, "current", "live") ||
        !vkshOptExclusive(ctl, cmd, "current", "config"))
        return false;
    if (vkshOptBool(cmd, "config"))
        flags |= VIR_DOMAIN_AFFECT_CONFIG;
    if (vkshOptBool(cmd, "live"))
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;

    if ((rv = vkshOptInt(ctl, cmd, "period", &period)) < 0)
        return false;
    if (rv > 0) {
        if (period < 0) {
            vkshError(ctl, "Invalid collection period value '%d'", period);
            return false;
        }
        if (virDomainSetMemoryStatsPeriod(dom, period, flags) < 0) {
            vkshError(ctl, "%s", "Unable to change balloon collection period.");
            return false;
        }
        return true;
    }

    if ((n = virDomainMemoryStats(dom, stats, VIR_DOMAIN_MEMORY_STAT_NR, 0)) < 0) {
        vkshError(ctl, "Failed to get memory statistics for domain %s", name);
        return false;
    }
    for (int i = 0; i < n; i++) {
        static const char *const tags[] = {
            [VIR_DOMAIN_MEMORY_STAT_SWAP_IN] = "swap_in",
            [VIR_DOMAIN_MEMORY_STAT_SWAP_OUT] = "swap_out",
            [VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT] = "major_fault",
            [VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT] = "minor_fault",
            [VIR_DOMAIN_MEMORY_STAT_UNUSED] = "unused",
            [VIR_DOMAIN_MEMORY_STAT_AVAILABLE] = "available",
            [VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON] = "actual",
            [VIR_DOMAIN_MEMORY_STAT_RSS] = "rss",
            [VIR_DOMAIN_MEMORY_STAT_USABLE] = "usable",
            [VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE] = "last_update",
            [VIR_DOMAIN_MEMORY_STAT_DISK_CACHES] = "disk_caches",
            [VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC] = "hugetlb_pgalloc",
            [VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL] = "hugetlb_pgfail",
        };

        /* virsh prints the value even for a tag it does not know */
        if (stats[i].tag >= 0 && stats[i].tag < (int)G_N_ELEMENTS(tags))
            vkshPrint(ctl, "%s ", tags[stats[i].tag]);
        vkshPrint(ctl, "%llu\n", stats[i].val);
    }
    return true;
}

/* ---- domblkstat ------------------------------------------------------------ */

const vkshOptDef vkshOptsDomblkstat[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "device", VKSH_OT_STRING, 0, "block device" },
    { "human", VKSH_OT_BOOL, 0, "print a more human readable output" },
    { NULL, 0, 0, NULL },
};

static const struct {
    const char *field;
    const char *legacy;
    const char *human;
} vkshBlkstatOutput[] = {
    { VIR_DOMAIN_BLOCK_STATS_READ_REQ, "rd_req", "number of read operations:" },
    { VIR_DOMAIN_BLOCK_STATS_READ_BYTES, "rd_bytes", "number of bytes read:" },
    { VIR_DOMAIN_BLOCK_STATS_WRITE_REQ, "wr_req", "number of write operations:" },
    { VIR_DOMAIN_BLOCK_STATS_WRITE_BYTES, "wr_bytes", "number of bytes written:" },
    { VIR_DOMAIN_BLOCK_STATS_ERRS, "errs", "error count:" },
    { VIR_DOMAIN_BLOCK_STATS_FLUSH_REQ, NULL, "number of flush operations:" },
    { VIR_DOMAIN_BLOCK_STATS_READ_TOTAL_TIMES, NULL, "total duration of reads (ns):" },
    { VIR_DOMAIN_BLOCK_STATS_WRITE_TOTAL_TIMES, NULL, "total duration of writes (ns):" },
    { VIR_DOMAIN_BLOCK_STATS_FLUSH_TOTAL_TIMES, NULL, "total duration of flushes (ns):" },
};

bool
vkshCmdDomblkstat(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL, *device = NULL;
    bool human = vkshOptBool(cmd, "human");
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    bool ok = false;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (vkshOptString(ctl, cmd, "device", &device) < 0)
        return false;
    if (!device)
        device = "";

    if (virDomainBlockStatsFlags(dom, device, NULL, &nparams, 0) < 0) {
        virDomainBlockStatsStruct st;
        long long vals[5];

        /* the older call, when the driver lacks the newer one */
        if (vkshLastErrorCode() != VIR_ERR_NO_SUPPORT)
            return false;
        vkshResetError();
        if (virDomainBlockStats(dom, device, &st, sizeof(st)) < 0) {
            vkshError(ctl, "Failed to get block stats %s %s", name, device);
            return false;
        }
        if (human) {
            vkshPrint(ctl, "Device: %s\n", device);
            device = "";
        }
        vals[0] = st.rd_req;
        vals[1] = st.rd_bytes;
        vals[2] = st.wr_req;
        vals[3] = st.wr_bytes;
        vals[4] = st.errs;
        for (int i = 0; i < 5; i++) {
            if (vals[i] >= 0)
                vkshPrint(ctl, "%s %-*s %lld\n", device, human ? 31 : 0,
                          human ? vkshBlkstatOutput[i].human
                                : vkshBlkstatOutput[i].legacy,
                          vals[i]);
        }
        return true;
    }

    params = g_new0(virTypedParameter, MAX(nparams, 1));
    if (virDomainBlockStatsFlags(dom, device, params, &nparams, 0) < 0) {
        vkshError(ctl, "Failed to get block stats for domain '%s' device '%s'", name,
                  device);
        goto cleanup;
    }
    if (human) {
        vkshPrint(ctl, "Device: %s\n", device);
        device = "";
    }
    /* the known fields first, in virsh's order, then the others */
    for (size_t i = 0; i < G_N_ELEMENTS(vkshBlkstatOutput); i++) {
        virTypedParameterPtr par = NULL;
        g_autofree char *value = NULL;
        const char *label;

        for (int j = 0; j < nparams; j++) {
            if (g_str_equal(params[j].field, vkshBlkstatOutput[i].field)) {
                par = &params[j];
                break;
            }
        }
        if (!par)
            continue;
        value = vkshTypedParamValue(par, false);
        par->field[0] = '\0';
        label = human ? vkshBlkstatOutput[i].human : vkshBlkstatOutput[i].legacy;
        if (!label)
            label = vkshBlkstatOutput[i].field;
        vkshPrint(ctl, "%s %-*s %s\n", device, human ? 31 : 0, label, value);
    }
    for (int i = 0; i < nparams; i++) {
        g_autofree char *value = NULL;

        if (!params[i].field[0])
            continue;
        value = vkshTypedParamValue(&params[i], false);
        vkshPrint(ctl, "%s %s %s\n", device, params[i].field, value);
    }
    ok = true;

cleanup:
    virTypedParamsFree(params, nparams);
    return ok;
}

/* ---- domifstat ------------------------------------------------------------- */

const vkshOptDef vkshOptsDomifstat[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "interface", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "interface device specified by name or MAC Address" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdDomifstat(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL, *device = NULL;
    virDomainInterfaceStatsStruct st;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (vkshOptString(ctl, cmd, "interface", &device) <= 0)
        return false;
    if (virDomainInterfaceStats(dom, device, &st, sizeof(st)) < 0) {
        vkshError(ctl, "Failed to get interface stats %s %s", name, device);
        return false;
    }
#define IFSTAT(f)                                             \
    do {                                                      \
        if (st.f >= 0)                                        \
            vkshPrint(ctl, "%s " #f " %lld\n", device, st.f); \
    } while (0)
    IFSTAT(rx_bytes);
    IFSTAT(rx_packets);
    IFSTAT(rx_errs);
    IFSTAT(rx_drop);
    IFSTAT(tx_bytes);
    IFSTAT(tx_packets);
    IFSTAT(tx_errs);
    IFSTAT(tx_drop);
#undef IFSTAT
    return true;
}

/* ---- domblkinfo ------------------------------------------------------------ */

const vkshOptDef vkshOptsDomblkinfo[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "device", VKSH_OT_STRING, 0, "block device" },
    { "human", VKSH_OT_BOOL, 0, "Human readable output" },
    { "all", VKSH_OT_BOOL, 0, "display all block devices info" },
    { NULL, 0, 0, NULL },
};

/* virsh's vshPrettyCapacity. */
static double
vkshPrettyCapacity(unsigned long long val, const char **unit)
{
    double limit = 1024;

    if (val < limit) {
        *unit = "B";
        return val;
    }
    limit *= 1024;
    if (val < limit) {
        *unit = "KiB";
        return val / 1024.0;
    }
    limit *= 1024;
    if (val < limit) {
        *unit = "MiB";
        return val / (1024.0 * 1024.0);
    }
    limit *= 1024;
    if (val < limit) {
        *unit = "GiB";
        return val / (1024.0 * 1024.0 * 1024.0);
    }
    limit *= 1024;
    if (val < limit) {
        *unit = "TiB";
        return val / (1024.0 * 1024.0 * 1024.0 * 1024.0);
    }
    limit *= 1024;
    if (val < limit) {
        *unit = "PiB";
        return val / (1024.0 * 1024.0 * 1024.0 * 1024.0 * 1024.0);
    }
    *unit = "EiB";
    return val / (1024.0 * 1024.0 * 1024.0 * 1024.0 * 1024.0 * 1024.0);
}

static void
vkshBlkinfoLine(vkshControl *ctl, const char *label, unsigned long long v, bool human)
{
    if (human) {
        const char *unit;
        double d = vkshPrettyCapacity(v, &unit);

        vkshPrint(ctl, "%-15s %-.3lf %s\n", label, d, unit);
    } else {
        vkshPrint(ctl, "%-15s %llu\n", label, v);
    }
}

/* One cell of the --all table: virsh's cmdDomblkinfoGet. */
static char *
vkshBlkinfoCell(unsigned long long v, bool allZero, bool human)
{
    if (allZero)
        return g_strdup("-");
    if (human) {
        const char *unit;
        double d = vkshPrettyCapacity(v, &unit);

        return g_strdup_printf("%.3lf %s", d, unit);
    }
    return g_strdup_printf("%llu", v);
}

/* --all: one row per <disk> of the live XML (an empty CD-ROM shows "-"). */
static bool
vkshDomblkinfoAll(vkshControl *ctl, virDomainPtr dom, bool human)
{
    g_autofree char *xml = virDomainGetXMLDesc(dom, 0);
    g_autoptr(GPtrArray) rows =
        g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    xmlDocPtr doc;
    xmlNodePtr devices = NULL;
    bool ok = true;

    if (!xml)
        return false;
    if (!(doc = xmlReadMemory(xml, (int)strlen(xml), "domain.xml", NULL,
                              XML_PARSE_NONET))) {
        vkshError(ctl, "%s", "failed to parse the domain XML");
        return false;
    }
    for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST "devices"))
            devices = n;
    }
    g_ptr_array_add(rows, g_strdupv((char *[]){ "Target", "Capacity", "Allocation",
                                                "Physical", NULL }));
    for (xmlNodePtr disk = devices ? devices->children : NULL; disk && ok;
         disk = disk->next) {
        g_autofree char *target = NULL;
        bool hasSource = false;
        virDomainBlockInfo info = { 0 };
        bool zero;
        char **row;

        if (disk->type != XML_ELEMENT_NODE || !xmlStrEqual(disk->name, BAD_CAST "disk"))
            continue;
        for (xmlNodePtr c = disk->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            if (xmlStrEqual(c->name, BAD_CAST "source"))
                hasSource = true;
            if (xmlStrEqual(c->name, BAD_CAST "target") && !target) {
                xmlChar *dev = xmlGetProp(c, BAD_CAST "dev");

                target = g_strdup(dev ? (const char *)dev : "");
                xmlFree(dev);
            }
        }
        if (hasSource && virDomainGetBlockInfo(dom, target, &info, 0) < 0) {
            ok = false;
            break;
        }
        zero = !info.capacity && !info.allocation && !info.physical;
        row = g_new0(char *, 5);
        row[0] = g_strdup(target ? target : "");
        row[1] = vkshBlkinfoCell(info.capacity, zero, human);
        row[2] = vkshBlkinfoCell(info.allocation, zero, human);
        row[3] = vkshBlkinfoCell(info.physical, zero, human);
        g_ptr_array_add(rows, row);
    }
    xmlFreeDoc(doc);
    if (ok)
        vkshTablePrint(ctl, rows, 4, !ctl->quiet);
    return ok;
}

bool
vkshCmdDomblkinfo(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *device = NULL;
    bool human = vkshOptBool(cmd, "human");
    bool all = vkshOptBool(cmd, "all");
    virDomainBlockInfo info;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "device", &device) < 0)
        return false;
    if (all && device) {
        vkshError(ctl, "%s", "Options --all and --device are mutually exclusive");
        return false;
    }
    if (all)
        return vkshDomblkinfoAll(ctl, dom, human);
    if (!device) {
        vkshError(ctl, "%s", "command 'domblkinfo' requires <device> option");
        return false;
    }
    if (virDomainGetBlockInfo(dom, device, &info, 0) < 0)
        return false;
    vkshBlkinfoLine(ctl, "Capacity:", info.capacity, human);
    vkshBlkinfoLine(ctl, "Allocation:", info.allocation, human);
    vkshBlkinfoLine(ctl, "Physical:", info.physical, human);
    return true;
}

/* ---- vcpuinfo -------------------------------------------------------------- */

const vkshOptDef vkshOptsVcpuinfo[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "pretty", VKSH_OT_BOOL, 0, "return human readable output" },
    { NULL, 0, 0, NULL },
};

/* virsh's virshNodeGetCPUCount: the CPU map's size, else the node info's. */
static int
vkshNodeCpuCount(virConnectPtr conn)
{
    virNodeInfo ni;
    int n;

    if ((n = virNodeGetCPUMap(conn, NULL, NULL, 0)) >= 0)
        return n;
    vkshResetError();
    if (virNodeGetInfo(conn, &ni) == 0)
        return (int)(ni.nodes * ni.sockets * ni.cores * ni.threads);
    return -1;
}

/* libvirt's virBitmapDataFormat: "0-3,6". */
static char *
vkshCpumapFormat(const unsigned char *map, int maxcpu)
{
    GString *s = g_string_new(NULL);

    for (int c = 0; c < maxcpu; c++) {
        int start = c;

        if (!VIR_CPU_USED(map, c))
            continue;
        while (c + 1 < maxcpu && VIR_CPU_USED(map, c + 1))
            c++;
        if (s->len)
            g_string_append_c(s, ',');
        if (c == start)
            g_string_append_printf(s, "%d", start);
        else
            g_string_append_printf(s, "%d-%d", start, c);
    }
    return g_string_free(s, FALSE);
}

static void
vkshPrintAffinity(vkshControl *ctl, const unsigned char *map, int maxcpu, bool pretty)
{
    if (pretty) {
        g_autofree char *str = vkshCpumapFormat(map, maxcpu);

        vkshPrint(ctl, "%-15s %s (out of %d)", "CPU Affinity:", str, maxcpu);
    } else {
        vkshPrint(ctl, "%-15s ", "CPU Affinity:");
        for (int c = 0; c < maxcpu; c++)
            vkshPrint(ctl, "%c", VIR_CPU_USED(map, c) ? 'y' : '-');
    }
    vkshPrint(ctl, "\n");
}

static const char *
vkshVcpuStateToString(int state)
{
    switch (state) {
    case VIR_VCPU_OFFLINE:
        return "offline";
    case VIR_VCPU_BLOCKED:
        return "idle";
    case VIR_VCPU_RUNNING:
        return "running";
    default:
        return "no state";
    }
}

bool
vkshCmdVcpuinfo(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree virVcpuInfo *cpuinfo = NULL;
    g_autofree unsigned char *cpumaps = NULL;
    bool pretty = vkshOptBool(cmd, "pretty");
    virDomainInfo info;
    int maxcpu, maplen, ncpus;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if ((maxcpu = vkshNodeCpuCount(ctl->conn)) < 0)
        return false;
    if (virDomainGetInfo(dom, &info) != 0)
        return false;

    cpuinfo = g_new0(virVcpuInfo, MAX(info.nrVirtCpu, 1));
    maplen = VIR_CPU_MAPLEN(maxcpu);
    cpumaps = g_new0(unsigned char, (size_t)MAX(info.nrVirtCpu, 1) * maplen);

    if ((ncpus = virDomainGetVcpus(dom, cpuinfo, info.nrVirtCpu, cpumaps, maplen)) < 0) {
        if (info.state != VIR_DOMAIN_SHUTOFF)
            return false;
        vkshResetError();
        /* an inactive domain: its pinning only */
        g_clear_pointer(&cpuinfo, g_free);
        if ((ncpus = virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_CONFIG)) < 0)
            return false;
        if ((ncpus = virDomainGetVcpuPinInfo(dom, ncpus, cpumaps, maplen,
                                             VIR_DOMAIN_AFFECT_CONFIG)) < 0)
            return false;
    }

    for (int n = 0; n < ncpus; n++) {
        if (cpuinfo) {
            vkshPrint(ctl, "%-15s %d\n", "VCPU:", cpuinfo[n].number);
            vkshPrint(ctl, "%-15s %d\n", "CPU:", cpuinfo[n].cpu);
            vkshPrint(ctl, "%-15s %s\n",
                      "State:", vkshVcpuStateToString(cpuinfo[n].state));
            if (cpuinfo[n].cpuTime != 0)
                vkshPrint(ctl, "%-15s %.1lfs\n",
                          "CPU time:", cpuinfo[n].cpuTime / 1000000000.0);
        } else {
            vkshPrint(ctl, "%-15s %d\n", "VCPU:", n);
            vkshPrint(ctl, "%-15s %s\n", "CPU:", "N/A");
            vkshPrint(ctl, "%-15s %s\n", "State:", "N/A");
            vkshPrint(ctl, "%-15s %s\n", "CPU time", "N/A");
        }
        vkshPrintAffinity(ctl, VIR_GET_CPUMAP(cpumaps, maplen, n), maxcpu, pretty);
        if (n < ncpus - 1)
            vkshPrint(ctl, "\n");
    }
    return true;
}

/* ---- domjobinfo ------------------------------------------------------------ */

const vkshOptDef vkshOptsDomjobinfo[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "completed", VKSH_OT_BOOL, 0, "return statistics of a recently completed job" },
    { "keep-completed", VKSH_OT_BOOL, 0,
      "don't destroy statistics of a recently completed job when reading" },
    { "anystats", VKSH_OT_BOOL, 0,
      "print statistics for any kind of job (even failed ones)" },
    { "rawstats", VKSH_OT_BOOL, 0, "print the raw data returned by libvirt" },
    { NULL, 0, 0, NULL },
};

static const char *
vkshJobTypeToString(int type)
{
    static const char *const names[] = { "None",      "Bounded", "Unbounded",
                                         "Completed", "Failed",  "Cancelled" };

    return type >= 0 && type < (int)G_N_ELEMENTS(names) ? names[type] : "unknown";
}

bool
vkshCmdDomjobinfo(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    virDomainJobInfo info;
    unsigned int flags = 0;
    bool rawstats = vkshOptBool(cmd, "rawstats");
    bool anystats = vkshOptBool(cmd, "anystats");
    bool ok = false;
    int rc;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptBool(cmd, "completed"))
        flags |= VIR_DOMAIN_JOB_STATS_COMPLETED;
    if (vkshOptBool(cmd, "keep-completed"))
        flags |= VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED;

    memset(&info, 0, sizeof(info));
    rc = virDomainGetJobStats(dom, &info.type, &params, &nparams, flags);
    if (rc == 0) {
        unsigned long long v;

#define GETULL(name, member)                                         \
    do {                                                             \
        if (virTypedParamsGetULLong(params, nparams, name, &v) == 1) \
            info.member = v;                                         \
    } while (0)
        GETULL(VIR_DOMAIN_JOB_TIME_ELAPSED, timeElapsed);
        GETULL(VIR_DOMAIN_JOB_TIME_REMAINING, timeRemaining);
        GETULL(VIR_DOMAIN_JOB_DATA_TOTAL, dataTotal);
        GETULL(VIR_DOMAIN_JOB_DATA_PROCESSED, dataProcessed);
        GETULL(VIR_DOMAIN_JOB_DATA_REMAINING, dataRemaining);
        GETULL(VIR_DOMAIN_JOB_MEMORY_TOTAL, memTotal);
        GETULL(VIR_DOMAIN_JOB_MEMORY_PROCESSED, memProcessed);
        GETULL(VIR_DOMAIN_JOB_MEMORY_REMAINING, memRemaining);
        GETULL(VIR_DOMAIN_JOB_DISK_TOTAL, fileTotal);
        GETULL(VIR_DOMAIN_JOB_DISK_PROCESSED, fileProcessed);
        GETULL(VIR_DOMAIN_JOB_DISK_REMAINING, fileRemaining);
#undef GETULL
    } else if (vkshLastErrorCode() == VIR_ERR_NO_SUPPORT) {
        if (flags != 0 || rawstats) {
            vkshError(ctl, "%s",
                      "Optional flags or --rawstats are not supported by the daemon");
            goto cleanup;
        }
        vkshResetError();
        rc = virDomainGetJobInfo(dom, &info);
    }
    if (rc < 0)
        goto cleanup;

    if (rawstats) {
        vkshPrint(ctl, "Job type: %d\n\n", info.type);
        for (int i = 0; i < nparams; i++) {
            g_autofree char *value = vkshTypedParamValue(&params[i], true);

            vkshPrint(ctl, "%s: %s\n", params[i].field, value);
        }
        ok = true;
        goto cleanup;
    }

    vkshPrint(ctl, "%-17s %-12s\n", "Job type:", vkshJobTypeToString(info.type));
    if (info.type == VIR_DOMAIN_JOB_NONE ||
        (!anystats && info.type != VIR_DOMAIN_JOB_BOUNDED &&
         info.type != VIR_DOMAIN_JOB_UNBOUNDED &&
         info.type != VIR_DOMAIN_JOB_COMPLETED)) {
        ok = true;
        goto cleanup;
    }
    {
        static const char *const ops[] = {
            "Unknown",
            "Start",
            "Save",
            "Restore",
            "Incoming migration",
            "Outgoing migration",
            "Snapshot",
            "Snapshot revert",
            "Dump",
            "Backup",
            "Snapshot delete",
        };
        int op;

        if (virTypedParamsGetInt(params, nparams, VIR_DOMAIN_JOB_OPERATION, &op) == 1)
            vkshPrint(ctl, "%-17s %-12s\n", "Operation:",
                      op >= 0 && op < (int)G_N_ELEMENTS(ops) ? ops[op] : "Unknown");
    }
    vkshPrint(ctl, "%-17s %-12llu ms\n", "Time elapsed:", info.timeElapsed);
    if (info.type == VIR_DOMAIN_JOB_BOUNDED)
        vkshPrint(ctl, "%-17s %-12llu ms\n", "Time remaining:", info.timeRemaining);
    if (info.dataTotal || info.dataRemaining || info.dataProcessed) {
        const char *unit;
        double d;

        d = vkshPrettyCapacity(info.dataProcessed, &unit);
        vkshPrint(ctl, "%-17s %-.3lf %s\n", "Data processed:", d, unit);
        d = vkshPrettyCapacity(info.dataRemaining, &unit);
        vkshPrint(ctl, "%-17s %-.3lf %s\n", "Data remaining:", d, unit);
        d = vkshPrettyCapacity(info.dataTotal, &unit);
        vkshPrint(ctl, "%-17s %-.3lf %s\n", "Data total:", d, unit);
    }
    if (info.memTotal || info.memRemaining || info.memProcessed) {
        const char *unit;
        double d;

        d = vkshPrettyCapacity(info.memProcessed, &unit);
        vkshPrint(ctl, "%-17s %-.3lf %s\n", "Memory processed:", d, unit);
        d = vkshPrettyCapacity(info.memRemaining, &unit);
        vkshPrint(ctl, "%-17s %-.3lf %s\n", "Memory remaining:", d, unit);
        d = vkshPrettyCapacity(info.memTotal, &unit);
        vkshPrint(ctl, "%-17s %-.3lf %s\n", "Memory total:", d, unit);
    }
    /* the migration's memory figures, as virsh prints them */
    {
        unsigned long long v;
        const char *unit;
        double d;

        if (virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_MEMORY_BPS, &v) ==
                1 &&
            v) {
            d = vkshPrettyCapacity(v, &unit);
            vkshPrint(ctl, "%-17s %-.3lf %s/s\n", "Memory bandwidth:", d, unit);
        }
        if (virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE,
                                    &v) == 1)
            vkshPrint(ctl, "%-17s %-12llu pages/s\n", "Dirty rate:", v);
        if (virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE,
                                    &v) == 1)
            vkshPrint(ctl, "%-17s %-12llu bytes\n", "Page size:", v);
        if (virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_MEMORY_ITERATION,
                                    &v) == 1)
            vkshPrint(ctl, "%-17s %-12llu\n", "Iteration:", v);
        if (virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_MEMORY_POSTCOPY_REQS,
                                    &v) == 1)
            vkshPrint(ctl, "%-17s %-12llu\n", "Postcopy requests:", v);
        /* a backup's (or a migration's disks') figures */
        if (info.fileTotal || info.fileRemaining || info.fileProcessed) {
            d = vkshPrettyCapacity(info.fileProcessed, &unit);
            vkshPrint(ctl, "%-17s %-.3lf %s\n", "File processed:", d, unit);
            d = vkshPrettyCapacity(info.fileRemaining, &unit);
            vkshPrint(ctl, "%-17s %-.3lf %s\n", "File remaining:", d, unit);
            d = vkshPrettyCapacity(info.fileTotal, &unit);
            vkshPrint(ctl, "%-17s %-.3lf %s\n", "File total:", d, unit);
        }
        if (virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_MEMORY_CONSTANT,
                                    &v) == 1)
            vkshPrint(ctl, "%-17s %-12llu\n", "Constant pages:", v);
        if (virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_MEMORY_NORMAL, &v) ==
            1)
            vkshPrint(ctl, "%-17s %-12llu\n", "Normal pages:", v);
        if (virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_MEMORY_NORMAL_BYTES,
                                    &v) == 1) {
            d = vkshPrettyCapacity(v, &unit);
            vkshPrint(ctl, "%-17s %-.3lf %s\n", "Normal data:", d, unit);
        }
        if (virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_DOWNTIME, &v) == 1)
            vkshPrint(ctl, "%-17s %-12llu ms\n",
                      info.type == VIR_DOMAIN_JOB_COMPLETED ? "Total downtime:"
                                                            : "Expected downtime:",
                      v);
        if (virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_SETUP_TIME, &v) == 1)
            vkshPrint(ctl, "%-17s %-12llu ms\n", "Setup time:", v);
        if (virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_DISK_TEMP_USED, &v) ==
            1) {
            d = vkshPrettyCapacity(v, &unit);
            vkshPrint(ctl, "%-17s %-.3lf %s\n", "Temporary disk space use:", d, unit);
        }
        if (virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_DISK_TEMP_TOTAL,
                                    &v) == 1) {
            d = vkshPrettyCapacity(v, &unit);
            vkshPrint(ctl, "%-17s %-.3lf %s\n", "Temporary disk space total:", d, unit);
        }
    }
    {
        const char *msg = NULL;

        if (virTypedParamsGetString(params, nparams, VIR_DOMAIN_JOB_ERRMSG, &msg) == 1)
            vkshPrint(ctl, "%-17s %s\n", "Error message:", msg);
    }
    ok = true;

cleanup:
    virTypedParamsFree(params, nparams);
    return ok;
}

/* ---- nodecpustats, nodememstats ------------------------------------------- */

const vkshOptDef vkshOptsNodecpustats[] = {
    { "cpu", VKSH_OT_INT, 0, "prints specified cpu statistics only." },
    { "percent", VKSH_OT_BOOL, 0, "prints by percentage during 1 second." },
    { NULL, 0, 0, NULL },
};

enum {
    VKSH_CPU_USER,
    VKSH_CPU_SYSTEM,
    VKSH_CPU_IDLE,
    VKSH_CPU_IOWAIT,
    VKSH_CPU_USAGE,
    VKSH_CPU_LAST
};

bool
vkshCmdNodecpustats(vkshControl *ctl, const vkshCmd *cmd)
{
    static const char *const fields[VKSH_CPU_LAST] = {
        VIR_NODE_CPU_STATS_USER,        VIR_NODE_CPU_STATS_KERNEL,
        VIR_NODE_CPU_STATS_IDLE,        VIR_NODE_CPU_STATS_IOWAIT,
        VIR_NODE_CPU_STATS_UTILIZATION,
    };
    static const char *const labels[VKSH_CPU_LAST] = {
        "user:", "system:", "idle:", "iowait:", "usage:",
    };
    bool percent = vkshOptBool(cmd, "percent");
    g_autofree virNodeCPUStats *params = NULL;
    unsigned long long vals[2][VKSH_CPU_LAST] = { { 0 } };
    bool present[VKSH_CPU_LAST] = { false };
    int cpuNum = VIR_NODE_CPU_STATS_ALL_CPUS;
    int nparams = 0;

    if (vkshOptInt(ctl, cmd, "cpu", &cpuNum) < 0)
        return false;
    if (virNodeGetCPUStats(ctl->conn, cpuNum, NULL, &nparams, 0) != 0) {
        vkshError(ctl, "%s", "Unable to get number of cpu stats");
        return false;
    }
    if (nparams == 0)
        return true;
    params = g_new0(virNodeCPUStats, nparams);

    for (int s = 0; s < 2; s++) {
        int n = nparams;

        if (virNodeGetCPUStats(ctl->conn, cpuNum, params, &n, 0) != 0) {
            vkshError(ctl, "%s", "Unable to get node cpu stats");
            return false;
        }
        for (int j = 0; j < n; j++) {
            int f;

            for (f = 0; f < VKSH_CPU_LAST; f++) {
                if (g_str_equal(params[j].field, fields[f]))
                    break;
            }
            if (f == VKSH_CPU_LAST)
                continue;
            if (!percent) {
                if (f != VKSH_CPU_USAGE)
                    vkshPrint(ctl, "%-15s %20llu\n", labels[f], params[j].value);
            } else {
                vals[s][f] = params[j].value;
                present[f] = true;
            }
        }
        if (present[VKSH_CPU_USAGE] || !percent)
            break;
        g_usleep(G_USEC_PER_SEC);
    }
    if (!percent)
        return true;

    if (present[VKSH_CPU_USAGE]) {
        vkshPrint(ctl, "%-15s %5.1lf%%\n", "usage:", (double)vals[0][VKSH_CPU_USAGE]);
        vkshPrint(ctl, "%-15s %5.1lf%%\n",
                  "idle:", 100 - (double)vals[0][VKSH_CPU_USAGE]);
    } else {
        double total = 0, usage;

        for (int f = 0; f < VKSH_CPU_USAGE; f++)
            total += vals[1][f] - vals[0][f];
        usage = (vals[1][VKSH_CPU_USER] - vals[0][VKSH_CPU_USER] +
                 vals[1][VKSH_CPU_SYSTEM] - vals[0][VKSH_CPU_SYSTEM]) /
                total * 100;
        vkshPrint(ctl, "%-15s %5.1lf%%\n", "usage:", usage);
        for (int f = 0; f < VKSH_CPU_USAGE; f++)
            vkshPrint(ctl, "%-15s %5.1lf%%\n", labels[f],
                      (vals[1][f] - vals[0][f]) / total * 100);
    }
    return true;
}

const vkshOptDef vkshOptsNodememstats[] = {
    { "cell", VKSH_OT_INT, 0, "prints specified cell statistics only." },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdNodememstats(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autofree virNodeMemoryStats *params = NULL;
    int cellNum = VIR_NODE_MEMORY_STATS_ALL_CELLS;
    int nparams = 0;

    if (vkshOptInt(ctl, cmd, "cell", &cellNum) < 0)
        return false;
    if (virNodeGetMemoryStats(ctl->conn, cellNum, NULL, &nparams, 0) != 0) {
        vkshError(ctl, "%s", "Unable to get number of memory stats");
        return false;
    }
    if (nparams == 0)
        return true;
    params = g_new0(virNodeMemoryStats, nparams);
    if (virNodeGetMemoryStats(ctl->conn, cellNum, params, &nparams, 0) != 0) {
        vkshError(ctl, "%s", "Unable to get memory stats");
        return false;
    }
    for (int i = 0; i < nparams; i++)
        vkshPrint(ctl, "%-7s %20llu KiB\n", params[i].field, params[i].value);
    return true;
}

/* ---- cpu-stats --------------------------------------------------------------- */

const vkshOptDef vkshOptsCpuStats[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "total", VKSH_OT_BOOL, 0, "Show total statistics only" },
    { "start", VKSH_OT_INT, 0, "Show statistics from this CPU" },
    { "count", VKSH_OT_INT, 0, "Number of shown CPUs at most" },
    { NULL, 0, 0, NULL },
};

/* One statistic: times in seconds with nanoseconds, the rest as is. */
static void
vkshCpuStatPrint(vkshControl *ctl, const virTypedParameter *p, bool isTotal)
{
    bool isTime = g_str_equal(p->field, VIR_DOMAIN_CPU_STATS_CPUTIME) ||
                  (isTotal ? g_str_equal(p->field, VIR_DOMAIN_CPU_STATS_USERTIME) ||
                                 g_str_equal(p->field, VIR_DOMAIN_CPU_STATS_SYSTEMTIME)
                           : g_str_equal(p->field, VIR_DOMAIN_CPU_STATS_VCPUTIME));

    if (isTime && p->type == VIR_TYPED_PARAM_ULLONG) {
        vkshPrint(ctl, "\t%-12s %9llu.%09llu seconds\n", p->field,
                  p->value.ul / 1000000000ULL, p->value.ul % 1000000000ULL);
    } else {
        g_autofree char *s = vkshTypedParamValue(p, false);

        vkshPrint(ctl, "\t%-12s %s\n", p->field, s);
    }
}

bool
vkshCmdCpuStats(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    virTypedParameterPtr params = NULL;
    bool showTotal = vkshOptBool(cmd, "total"), showPerCpu = false;
    int cpu = 0, count = -1, rv, maxId, nparams = 0, n;
    bool ok = false;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if ((rv = vkshOptInt(ctl, cmd, "start", &cpu)) < 0)
        return false;
    if (rv > 0) {
        if (cpu < 0) {
            vkshError(ctl, "%s", "Invalid value for start CPU");
            return false;
        }
        showPerCpu = true;
    }
    if ((rv = vkshOptInt(ctl, cmd, "count", &count)) < 0)
        return false;
    if (rv > 0) {
        if (count < 0) {
            vkshError(ctl, "%s", "Invalid value for number of CPUs to show");
            return false;
        }
        showPerCpu = true;
    }
    /* neither --total nor a range: both */
    if (!showTotal && !showPerCpu)
        showTotal = showPerCpu = true;

    if (showPerCpu) {
        if ((maxId = virDomainGetCPUStats(dom, NULL, 0, 0, 0, 0)) < 0)
            goto failed;
        if (cpu >= maxId) {
            vkshError(ctl, "Start CPU %d is out of range (min: 0, max: %d)", cpu,
                      maxId - 1);
            goto cleanup;
        }
        if (count < 0 || count > maxId - cpu)
            count = maxId - cpu;
        if ((nparams = virDomainGetCPUStats(dom, NULL, 0, cpu, 1, 0)) < 0)
            goto failed;
        if (nparams > 0 && count > 0) {
            params = g_new0(virTypedParameter, (size_t)nparams * MIN(count, 128));
            while (count) {
                int ncpus = MIN(count, 128);

                if (virDomainGetCPUStats(dom, params, nparams, cpu, ncpus, 0) < 0)
                    goto failed;
                for (int i = 0; i < ncpus; i++) {
                    /* a CPU the domain has no figures for */
                    if (params[i * nparams].type == 0)
                        continue;
                    vkshPrint(ctl, "CPU%d:\n", cpu + i);
                    for (int j = 0; j < nparams; j++)
                        vkshCpuStatPrint(ctl, &params[i * nparams + j], false);
                }
                virTypedParamsClear(params, nparams * ncpus);
                cpu += ncpus;
                count -= ncpus;
            }
            g_clear_pointer(&params, g_free);
        }
    }
    if (!showTotal) {
        ok = true;
        goto cleanup;
    }

    if ((nparams = virDomainGetCPUStats(dom, NULL, 0, -1, 1, 0)) < 0)
        goto failed;
    params = g_new0(virTypedParameter, MAX(nparams, 1));
    if ((n = virDomainGetCPUStats(dom, params, nparams, -1, 1, 0)) < 0)
        goto failed;
    vkshPrint(ctl, "Total:\n");
    for (int i = 0; i < n; i++)
        vkshCpuStatPrint(ctl, &params[i], true);
    virTypedParamsFree(params, nparams);
    params = NULL;
    ok = true;
    goto cleanup;

failed:
    vkshError(ctl, "Failed to retrieve CPU statistics for domain '%s'",
              virDomainGetName(dom));
cleanup:
    g_free(params);
    return ok;
}
