/* vksh-monitor.c: domain monitoring commands: list, dominfo, domstate */

#define G_LOG_DOMAIN "vksh.monitor"
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vksh.h"
#include "vksh-xml.h"

/* ---- state strings ------------------------------------------------------- */

const char *
vkshDomainStateToString(int state)
{
    static const char *const names[] = {
        "no state",    "running",  "idle",    "paused",
        "in shutdown", "shut off", "crashed", "pmsuspended",
    };

    if (state < 0 || state >= (int)G_N_ELEMENTS(names))
        return "no state";
    return names[state];
}

const char *
vkshDomainStateReasonToString(int state, int reason)
{
    static const char *const running[] = {
        "unknown",       "booted",   "migrated",           "restored",
        "from snapshot", "unpaused", "migration canceled", "save canceled",
        "event wakeup",  "crashed",  "post-copy",          "post-copy failed",
    };
    static const char *const paused[] = {
        "unknown",       "user",
        "migrating",     "saving",
        "dumping",       "I/O error",
        "watchdog",      "from snapshot",
        "shutting down", "creating snapshot",
        "crashed",       "starting up",
        "post-copy",     "post-copy failed",
    };
    static const char *const shutdown[] = { "unknown", "user" };
    static const char *const shutoff[] = {
        "unknown", "shutdown", "destroyed",     "crashed", "migrated",
        "saved",   "failed",   "from snapshot", "daemon",
    };
    static const char *const crashed[] = { "unknown", "panicked" };
    const char *const *table = NULL;
    size_t n = 0;

    switch (state) {
    case VIR_DOMAIN_RUNNING:
        table = running;
        n = G_N_ELEMENTS(running);
        break;
    case VIR_DOMAIN_PAUSED:
        table = paused;
        n = G_N_ELEMENTS(paused);
        break;
    case VIR_DOMAIN_SHUTDOWN:
        table = shutdown;
        n = G_N_ELEMENTS(shutdown);
        break;
    case VIR_DOMAIN_SHUTOFF:
        table = shutoff;
        n = G_N_ELEMENTS(shutoff);
        break;
    case VIR_DOMAIN_CRASHED:
        table = crashed;
        n = G_N_ELEMENTS(crashed);
        break;
    default:
        break;
    }
    if (reason < 0 || (size_t)reason >= n)
        return "unknown";
    return table[reason];
}

/* ---- tables --------------------------------------------------------------- */

/* virsh's table layout: each cell is a space and its text; every column
 * but the last is padded to its width plus two; the divider has width + 3
 * dashes per column.  Without a header (-q) widths come from the rows. */
void
vkshTablePrint(vkshControl *ctl, GPtrArray *rows, size_t ncols, bool header)
{
    g_autofree size_t *widths = g_new0(size_t, ncols);

    for (size_t r = header ? 0 : 1; r < rows->len; r++) {
        char **row = g_ptr_array_index(rows, r);

        for (size_t c = 0; c < ncols; c++)
            widths[c] = MAX(widths[c], g_utf8_strlen(row[c], -1));
    }
    for (size_t r = header ? 0 : 1; r < rows->len; r++) {
        char **row = g_ptr_array_index(rows, r);
        g_autoptr(GString) line = g_string_new(NULL);

        for (size_t c = 0; c < ncols; c++) {
            g_string_append_printf(line, " %s", row[c]);
            if (c + 1 < ncols) {
                for (size_t pad = g_utf8_strlen(row[c], -1); pad < widths[c] + 2; pad++)
                    g_string_append_c(line, ' ');
            }
        }
        vkshPrint(ctl, "%s\n", line->str);
        if (r == 0) {
            size_t dashes = 0;

            for (size_t c = 0; c < ncols; c++)
                dashes += widths[c] + 3;
            for (size_t d = 0; d < dashes; d++)
                vkshPrint(ctl, "-");
            vkshPrint(ctl, "\n");
        }
    }
}

/* ---- list ---------------------------------------------------------------- */

static const vkshOptDef optsList[] = {
    { "inactive", VKSH_OT_BOOL, 0, "list inactive domains" },
    { "all", VKSH_OT_BOOL, 0, "list inactive & active domains" },
    { "transient", VKSH_OT_BOOL, 0, "list transient domains" },
    { "persistent", VKSH_OT_BOOL, 0, "list persistent domains" },
    { "with-snapshot", VKSH_OT_BOOL, 0, "list domains with existing snapshot" },
    { "without-snapshot", VKSH_OT_BOOL, 0, "list domains without a snapshot" },
    { "with-checkpoint", VKSH_OT_BOOL, 0, "list domains with existing checkpoint" },
    { "without-checkpoint", VKSH_OT_BOOL, 0, "list domains without a checkpoint" },
    { "state-running", VKSH_OT_BOOL, 0, "list domains in running state" },
    { "state-paused", VKSH_OT_BOOL, 0, "list domains in paused state" },
    { "state-shutoff", VKSH_OT_BOOL, 0, "list domains in shutoff state" },
    { "state-other", VKSH_OT_BOOL, 0, "list domains in other states" },
    { "autostart", VKSH_OT_BOOL, 0, "list domains with autostart enabled" },
    { "no-autostart", VKSH_OT_BOOL, 0, "list domains with autostart disabled" },
    { "with-managed-save", VKSH_OT_BOOL, 0, "list domains with managed save state" },
    { "without-managed-save", VKSH_OT_BOOL, 0, "list domains without managed save" },
    { "uuid", VKSH_OT_BOOL, 0, "list uuid's only" },
    { "name", VKSH_OT_BOOL, 0, "list domain names only" },
    { "id", VKSH_OT_BOOL, 0, "list domain IDs only" },
    { "table", VKSH_OT_BOOL, 0, "list table (default)" },
    { "managed-save", VKSH_OT_BOOL, 0, "mark inactive domains with managed save state" },
    { "title", VKSH_OT_BOOL, 0, "show domain title" },
    { NULL, 0, 0, NULL },
};

/* Active domains first, by id; then inactive ones, by name. */
static int
vkshDomainSorter(const void *a, const void *b)
{
    virDomainPtr da = *(virDomainPtr const *)a;
    virDomainPtr db = *(virDomainPtr const *)b;
    unsigned int ia = virDomainGetID(da);
    unsigned int ib = virDomainGetID(db);
    unsigned int inactive = (unsigned int)-1;

    if (ia != inactive && ib != inactive)
        return ia < ib ? -1 : ia > ib;
    if (ia != inactive)
        return -1;
    if (ib != inactive)
        return 1;
    return strcasecmp(virDomainGetName(da), virDomainGetName(db));
}

static void
vkshDomainListFree(virDomainPtr *doms, int n)
{
    for (int i = 0; doms && i < n; i++)
        virDomainFree(doms[i]);
    free(doms);
}

static bool
cmdList(vkshControl *ctl, const vkshCmd *cmd)
{
    static const struct {
        const char *opt;
        unsigned int flag;
    } filters[] = {
        { "persistent", VIR_CONNECT_LIST_DOMAINS_PERSISTENT },
        { "transient", VIR_CONNECT_LIST_DOMAINS_TRANSIENT },
        { "with-snapshot", VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT },
        { "without-snapshot", VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT },
        { "with-checkpoint", VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT },
        { "without-checkpoint", VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT },
        { "state-running", VIR_CONNECT_LIST_DOMAINS_RUNNING },
        { "state-paused", VIR_CONNECT_LIST_DOMAINS_PAUSED },
        { "state-shutoff", VIR_CONNECT_LIST_DOMAINS_SHUTOFF },
        { "state-other", VIR_CONNECT_LIST_DOMAINS_OTHER },
        { "autostart", VIR_CONNECT_LIST_DOMAINS_AUTOSTART },
        { "no-autostart", VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART },
        { "with-managed-save", VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE },
        { "without-managed-save", VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE },
    };
    bool optUUID = vkshOptBool(cmd, "uuid");
    bool optName = vkshOptBool(cmd, "name");
    bool optID = vkshOptBool(cmd, "id");
    bool optTable = vkshOptBool(cmd, "table");
    bool optTitle = vkshOptBool(cmd, "title");
    bool optManagedSave = vkshOptBool(cmd, "managed-save");
    unsigned int flags = VIR_CONNECT_LIST_DOMAINS_ACTIVE;
    virDomainPtr *doms = NULL;
    int ndoms;
    bool ok = false;

    if (vkshOptBool(cmd, "inactive"))
        flags = VIR_CONNECT_LIST_DOMAINS_INACTIVE;
    if (vkshOptBool(cmd, "all"))
        flags = VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE;
    for (size_t i = 0; i < G_N_ELEMENTS(filters); i++) {
        if (vkshOptBool(cmd, filters[i].opt))
            flags |= filters[i].flag;
    }

    if (!vkshOptExclusive(ctl, cmd, "table", "name") ||
        !vkshOptExclusive(ctl, cmd, "table", "uuid") ||
        !vkshOptExclusive(ctl, cmd, "table", "id"))
        return false;
    if (!optUUID && !optName && !optID)
        optTable = true;

    if ((ndoms = virConnectListAllDomains(ctl->conn, &doms, flags)) < 0) {
        vkshError(ctl, "%s", "Failed to list domains");
        return false;
    }
    qsort(doms, ndoms, sizeof(*doms), vkshDomainSorter);

    if (optTable) {
        g_autoptr(GPtrArray) rows =
            g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
        size_t ncols = optTitle ? 4 : 3;

        g_ptr_array_add(rows, g_strdupv((char *[]){ "Id", "Name", "State",
                                                    optTitle ? "Title" : NULL, NULL }));
        for (int i = 0; i < ndoms; i++) {
            unsigned int id = virDomainGetID(doms[i]);
            const char *state;
            int st, reason;
            char **row = g_new0(char *, 5);

            if (virDomainGetState(doms[i], &st, &reason, 0) < 0)
                state = vkshDomainStateToString(VIR_DOMAIN_NOSTATE);
            else if (optManagedSave && st == VIR_DOMAIN_SHUTOFF &&
                     virDomainHasManagedSaveImage(doms[i], 0) > 0)
                state = "saved";
            else
                state = vkshDomainStateToString(st);

            row[0] = id == (unsigned int)-1 ? g_strdup("-") : g_strdup_printf("%u", id);
            row[1] = g_strdup(virDomainGetName(doms[i]));
            row[2] = g_strdup(state);
            if (optTitle) {
                row[3] = vkshDomainGetTitle(doms[i], false);
                if (!row[3]) {
                    g_ptr_array_add(rows, row);
                    goto cleanup;
                }
            }
            g_ptr_array_add(rows, row);
        }
        vkshTablePrint(ctl, rows, ncols, !ctl->quiet);
    } else {
        for (int i = 0; i < ndoms; i++) {
            unsigned int id = virDomainGetID(doms[i]);
            g_autoptr(GString) line = g_string_new(NULL);
            char uuid[VIR_UUID_STRING_BUFLEN];

            /* --id alone lists only domains that have one. */
            if (optID && !optUUID && !optName && id == (unsigned int)-1)
                continue;
            if (optUUID) {
                if (virDomainGetUUIDString(doms[i], uuid) < 0) {
                    vkshError(ctl, "%s", "Failed to get domain's UUID");
                    goto cleanup;
                }
                g_string_append(line, uuid);
            }
            if (optID) {
                if (line->len)
                    g_string_append_c(line, ' ');
                if (id == (unsigned int)-1)
                    g_string_append_c(line, '-');
                else
                    g_string_append_printf(line, "%u", id);
            }
            if (optName) {
                if (line->len)
                    g_string_append_c(line, ' ');
                g_string_append(line, virDomainGetName(doms[i]));
            }
            vkshPrint(ctl, "%s\n", line->str);
        }
    }
    ok = true;

cleanup:
    vkshDomainListFree(doms, ndoms);
    return ok;
}

/* ---- dominfo, domstate ----------------------------------------------------- */

static const vkshOptDef optsDominfo[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { NULL, 0, 0, NULL },
};

static bool
cmdDominfo(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *ostype = NULL;
    virDomainInfo info;
    virSecurityModel secmodel;
    char uuid[VIR_UUID_STRING_BUFLEN];
    unsigned int id;
    int persistent, autostart, managed;
    char **messages = NULL;
    bool ok = true;
    int n;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;

    id = virDomainGetID(dom);
    if (id == (unsigned int)-1)
        vkshPrint(ctl, "%-15s %s\n", "Id:", "-");
    else
        vkshPrint(ctl, "%-15s %u\n", "Id:", id);
    vkshPrint(ctl, "%-15s %s\n", "Name:", virDomainGetName(dom));
    if (virDomainGetUUIDString(dom, uuid) == 0)
        vkshPrint(ctl, "%-15s %s\n", "UUID:", uuid);
    if ((ostype = virDomainGetOSType(dom)))
        vkshPrint(ctl, "%-15s %s\n", "OS Type:", ostype);

    if (virDomainGetInfo(dom, &info) == 0) {
        vkshPrint(ctl, "%-15s %s\n", "State:", vkshDomainStateToString(info.state));
        vkshPrint(ctl, "%-15s %d\n", "CPU(s):", info.nrVirtCpu);
        if (info.cpuTime != 0)
            vkshPrint(ctl, "%-15s %.1lfs\n", "CPU time:", info.cpuTime / 1000000000.0);
        if (info.maxMem != UINT_MAX)
            vkshPrint(ctl, "%-15s %lu KiB\n", "Max memory:", info.maxMem);
        else
            vkshPrint(ctl, "%-15s %s\n", "Max memory:", "no limit");
        vkshPrint(ctl, "%-15s %lu KiB\n", "Used memory:", info.memory);
    } else {
        ok = false;
    }

    persistent = virDomainIsPersistent(dom);
    if (persistent < 0)
        vkshPrint(ctl, "%-15s %s\n", "Persistent:", "unknown");
    else
        vkshPrint(ctl, "%-15s %s\n", "Persistent:", persistent ? "yes" : "no");
    if (virDomainGetAutostart(dom, &autostart) == 0)
        vkshPrint(ctl, "%-15s %s\n", "Autostart:", autostart ? "enable" : "disable");
    managed = virDomainHasManagedSaveImage(dom, 0);
    if (managed < 0)
        vkshPrint(ctl, "%-15s %s\n", "Managed save:", "unknown");
    else
        vkshPrint(ctl, "%-15s %s\n", "Managed save:", managed ? "yes" : "no");

    memset(&secmodel, 0, sizeof(secmodel));
    if (virNodeGetSecurityModel(ctl->conn, &secmodel) < 0) {
        if (vkshLastErrorCode() != VIR_ERR_NO_SUPPORT)
            return false;
        vkshResetError();
    } else if (secmodel.model[0] != '\0') {
        virSecurityLabel label;

        vkshPrint(ctl, "%-15s %s\n", "Security model:", secmodel.model);
        vkshPrint(ctl, "%-15s %s\n", "Security DOI:", secmodel.doi);
        memset(&label, 0, sizeof(label));
        if (virDomainGetSecurityLabel(dom, &label) < 0)
            return false;
        if (label.label[0] != '\0')
            vkshPrint(ctl, "%-15s %s (%s)\n", "Security label:", label.label,
                      label.enforcing ? "enforcing" : "permissive");
    }

    /* as virsh: taints and deprecations, when the driver has the call */
    n = virDomainGetMessages(dom, &messages, 0);
    for (int i = 0; i < n; i++)
        vkshPrint(ctl, "%-15s %s\n", i == 0 ? "Messages:" : "", messages[i]);
    if (n < 0)
        vkshResetError();
    for (int i = 0; messages && messages[i]; i++)
        free(messages[i]);
    free(messages);
    return ok;
}

static const vkshOptDef optsDomstate[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "reason", VKSH_OT_BOOL, 0, "also print reason for the state" },
    { NULL, 0, 0, NULL },
};

static bool
cmdDomstate(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    int state, reason;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (virDomainGetState(dom, &state, &reason, 0) < 0)
        return false;
    if (vkshOptBool(cmd, "reason"))
        vkshPrint(ctl, "%s (%s)\n", vkshDomainStateToString(state),
                  vkshDomainStateReasonToString(state, reason));
    else
        vkshPrint(ctl, "%s\n", vkshDomainStateToString(state));
    return true;
}

const vkshCmdDef vkshMonitorCmds[] = {
    { "domblkerror", vkshCmdDomblkerror, vkshOptsDomblkerror,
      "Show errors on block devices", "Show block device errors", 0 },
    { "domblkinfo", vkshCmdDomblkinfo, vkshOptsDomblkinfo,
      "domain block device size information", "Get block device size info for a domain.",
      0 },
    { "domblklist", vkshCmdDomblklist, vkshOptsDomblklist, "list all domain blocks",
      "Get the summary of block devices for a domain.", 0 },
    { "domblkstat", vkshCmdDomblkstat, vkshOptsDomblkstat,
      "get device block stats for a domain",
      "Get device block stats for a running domain. See man page or use --human for "
      "explanation of fields",
      0 },
    { "domcontrol", vkshCmdDomcontrol, vkshOptsDomcontrol,
      "domain control interface state",
      "Returns state of a control interface to the domain.", 0 },
    { "domif-getlink", vkshCmdDomifGetlink, vkshOptsDomifGetlink,
      "get link state of a virtual interface",
      "Get link state of a domain's virtual interface.", 0 },
    { "domifaddr", vkshCmdDomifaddr, vkshOptsDomifaddr,
      "Get network interfaces' addresses for a running domain",
      "Get network interfaces' addresses for a running domain", 0 },
    { "domiflist", vkshCmdDomiflist, vkshOptsDomiflist,
      "list all domain virtual interfaces",
      "Get the summary of virtual interfaces for a domain.", 0 },
    { "domifstat", vkshCmdDomifstat, vkshOptsDomifstat,
      "get network interface stats for a domain",
      "Get network interface stats for a running domain.", 0 },
    { "dominfo", cmdDominfo, optsDominfo, "domain information",
      "Returns basic information about the domain.", 0 },
    { "dommemstat", vkshCmdDommemstat, vkshOptsDommemstat,
      "get memory statistics for a domain", "Get memory statistics for a running domain.",
      0 },
    { "domstate", cmdDomstate, optsDomstate, "domain state",
      "Returns state about a domain.", 0 },
    { "domstats", vkshCmdDomstats, vkshOptsDomstats,
      "get statistics about one or multiple domains",
      "Gets statistics about one or more (or all) domains", 0 },
    { "domtime", vkshCmdDomtime, vkshOptsDomtime, "domain time",
      "Gets or sets the domain's system time", 0 },
    { "list", cmdList, optsList, "list domains", "Returns list of domains.", 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
