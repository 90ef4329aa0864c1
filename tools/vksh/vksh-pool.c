/* vksh-pool.c: storage pool commands (pool-*, find-storage-pool-sources*), virsh 9.0's output */

#define G_LOG_DOMAIN "vksh.pool"

#include <string.h>

#include "vksh.h"
#include "vksh-xml.h"
#include "vksh-storage.h"

/* ---- shared with vksh-volume.c ------------------------------------------- */

double
vkshPrettyCapacity(unsigned long long val, const char **unit)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    double v = val;
    size_t i = 0;

    while (v >= 1024 && i + 1 < G_N_ELEMENTS(units)) {
        v /= 1024;
        i++;
    }
    *unit = units[i];
    return v;
}

char *
vkshPrettyString(unsigned long long val)
{
    const char *unit;
    double v = vkshPrettyCapacity(val, &unit);

    return g_strdup_printf("%.2f %s", v, unit);
}

void
vkshStorageTablePrint(vkshControl *ctl, GPtrArray *rows, size_t ncols)
{
    g_autofree size_t *widths = g_new0(size_t, ncols);
    bool header = !ctl->quiet;

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

virStoragePoolPtr
vkshCommandOptPoolBy(vkshControl *ctl, const vkshCmd *cmd, const char *optname,
                     const char **name)
{
    virStoragePoolPtr pool = NULL;
    const char *n = NULL;

    if (vkshOptString(ctl, cmd, optname, &n) <= 0)
        return NULL;
    if (strlen(n) == VIR_UUID_STRING_BUFLEN - 1)
        pool = virStoragePoolLookupByUUIDString(ctl->conn, n);
    if (!pool)
        pool = virStoragePoolLookupByName(ctl->conn, n);
    if (!pool)
        vkshError(ctl, "failed to get pool '%s'", n);
    if (name)
        *name = n;
    return pool;
}

static const char *
poolStateToString(int state)
{
    switch (state) {
    case VIR_STORAGE_POOL_INACTIVE:
        return "inactive";
    case VIR_STORAGE_POOL_BUILDING:
        return "building";
    case VIR_STORAGE_POOL_RUNNING:
        return "running";
    case VIR_STORAGE_POOL_DEGRADED:
        return "degraded";
    case VIR_STORAGE_POOL_INACCESSIBLE:
        return "inaccessible";
    }
    return "unknown";
}

/* ---- define / create from a file ----------------------------------------- */

static const vkshOptDef optsPoolFile[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ, "file containing an XML pool description" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL, 0, 0, NULL },
};

static bool
cmdPoolDefine(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStoragePool) pool = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;

    if (vkshOptString(ctl, cmd, "file", &file) <= 0)
        return false;
    if (!(xml = vkshReadFile(ctl, file)))
        return false;
    if (!(pool = virStoragePoolDefineXML(
              ctl->conn, xml,
              vkshOptBool(cmd, "validate") ? VIR_STORAGE_POOL_DEFINE_VALIDATE : 0))) {
        vkshError(ctl, "Failed to define pool from %s", file);
        return false;
    }
    vkshPrintExtra(ctl, "Pool %s defined from %s\n", virStoragePoolGetName(pool), file);
    return true;
}

static const vkshOptDef optsPoolCreate[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ, "file containing an XML pool description" },
    { "build", VKSH_OT_BOOL, 0, "build the pool as normal" },
    { "no-overwrite", VKSH_OT_BOOL, 0,
      "build the pool without overwriting the existing pool data" },
    { "overwrite", VKSH_OT_BOOL, 0, "overwrite any existing data" },
    { NULL, 0, 0, NULL },
};

static unsigned int
poolBuildFlags(vkshControl *ctl, const vkshCmd *cmd, bool *ok)
{
    unsigned int flags = 0;

    *ok = vkshOptExclusive(ctl, cmd, "overwrite", "no-overwrite");
    if (vkshOptBool(cmd, "build"))
        flags |= VIR_STORAGE_POOL_CREATE_WITH_BUILD;
    if (vkshOptBool(cmd, "overwrite"))
        flags |= VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE;
    if (vkshOptBool(cmd, "no-overwrite"))
        flags |= VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE;
    return flags;
}

static bool
cmdPoolCreate(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStoragePool) pool = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    unsigned int flags;
    bool ok;

    flags = poolBuildFlags(ctl, cmd, &ok);
    if (!ok || vkshOptString(ctl, cmd, "file", &file) <= 0)
        return false;
    if (!(xml = vkshReadFile(ctl, file)))
        return false;
    if (!(pool = virStoragePoolCreateXML(ctl->conn, xml, flags))) {
        vkshError(ctl, "Failed to create pool from %s", file);
        return false;
    }
    vkshPrintExtra(ctl, "Pool %s created from %s\n", virStoragePoolGetName(pool), file);
    return true;
}

/* ---- define-as / create-as ---------------------------------------------- */

static const vkshOptDef optsPoolAs[] = {
    { "name", VKSH_OT_STRING, VKSH_OFLAG_REQ, "name of the pool" },
    { "type", VKSH_OT_STRING, VKSH_OFLAG_REQ, "type of the pool" },
    { "source-host", VKSH_OT_STRING, 0, "source-host for underlying storage" },
    { "source-path", VKSH_OT_STRING, 0, "source path for underlying storage" },
    { "source-dev", VKSH_OT_STRING, 0, "source device for underlying storage" },
    { "source-name", VKSH_OT_STRING, 0, "source name for underlying storage" },
    { "target", VKSH_OT_STRING, 0, "target for underlying storage" },
    { "source-format", VKSH_OT_STRING, 0, "format for underlying storage" },
    { "print-xml", VKSH_OT_BOOL, 0, "print XML document, but don't define/create" },
    { "build", VKSH_OT_BOOL, 0, "build the pool as normal" },
    { "no-overwrite", VKSH_OT_BOOL, 0,
      "build the pool without overwriting the existing pool data" },
    { "overwrite", VKSH_OT_BOOL, 0, "overwrite any existing data" },
    { NULL, 0, 0, NULL },
};

static void
xmlEscapeAppend(GString *buf, const char *s)
{
    g_autofree char *e = g_markup_escape_text(s, -1);

    g_string_append(buf, e);
}

/* virsh's virshBuildPoolXML, for the options above */
static char *
poolBuildXML(vkshControl *ctl, const vkshCmd *cmd, const char **name)
{
    const char *type = NULL, *host = NULL, *path = NULL, *dev = NULL, *srcName = NULL,
               *target = NULL, *format = NULL;
    GString *buf;

    if (vkshOptString(ctl, cmd, "name", name) <= 0 ||
        vkshOptString(ctl, cmd, "type", &type) <= 0 ||
        vkshOptString(ctl, cmd, "source-host", &host) < 0 ||
        vkshOptString(ctl, cmd, "source-path", &path) < 0 ||
        vkshOptString(ctl, cmd, "source-dev", &dev) < 0 ||
        vkshOptString(ctl, cmd, "source-name", &srcName) < 0 ||
        vkshOptString(ctl, cmd, "target", &target) < 0 ||
        vkshOptString(ctl, cmd, "source-format", &format) < 0)
        return NULL;

    buf = g_string_new("<pool type='");
    xmlEscapeAppend(buf, type);
    g_string_append(buf, "'>\n  <name>");
    xmlEscapeAppend(buf, *name);
    g_string_append(buf, "</name>\n");
    if (host || path || dev || format || srcName) {
        g_string_append(buf, "  <source>\n");
        if (host) {
            g_string_append(buf, "    <host name='");
            xmlEscapeAppend(buf, host);
            g_string_append(buf, "'/>\n");
        }
        if (path) {
            g_string_append(buf, "    <dir path='");
            xmlEscapeAppend(buf, path);
            g_string_append(buf, "'/>\n");
        }
        if (dev) {
            g_string_append(buf, "    <device path='");
            xmlEscapeAppend(buf, dev);
            g_string_append(buf, "'/>\n");
        }
        if (format) {
            g_string_append(buf, "    <format type='");
            xmlEscapeAppend(buf, format);
            g_string_append(buf, "'/>\n");
        }
        if (srcName) {
            g_string_append(buf, "    <name>");
            xmlEscapeAppend(buf, srcName);
            g_string_append(buf, "</name>\n");
        }
        g_string_append(buf, "  </source>\n");
    }
    if (target) {
        g_string_append(buf, "  <target>\n    <path>");
        xmlEscapeAppend(buf, target);
        g_string_append(buf, "</path>\n  </target>\n");
    }
    g_string_append(buf, "</pool>\n");
    return g_string_free(buf, FALSE);
}

static bool
cmdPoolDefineAs(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStoragePool) pool = NULL;
    g_autofree char *xml = NULL;
    const char *name = NULL;

    if (!(xml = poolBuildXML(ctl, cmd, &name)))
        return false;
    if (vkshOptBool(cmd, "print-xml")) {
        vkshPrint(ctl, "%s", xml);
        return true;
    }
    if (!(pool = virStoragePoolDefineXML(ctl->conn, xml, 0))) {
        vkshError(ctl, "Failed to define pool %s", name);
        return false;
    }
    vkshPrintExtra(ctl, "Pool %s defined\n", name);
    return true;
}

static bool
cmdPoolCreateAs(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStoragePool) pool = NULL;
    g_autofree char *xml = NULL;
    const char *name = NULL;
    unsigned int flags;
    bool ok;

    flags = poolBuildFlags(ctl, cmd, &ok);
    if (!ok || !(xml = poolBuildXML(ctl, cmd, &name)))
        return false;
    if (vkshOptBool(cmd, "print-xml")) {
        vkshPrint(ctl, "%s", xml);
        return true;
    }
    if (!(pool = virStoragePoolCreateXML(ctl->conn, xml, flags))) {
        vkshError(ctl, "Failed to create pool %s", name);
        return false;
    }
    vkshPrintExtra(ctl, "Pool %s created\n", name);
    return true;
}

/* ---- simple actions on one pool ------------------------------------------ */

static const vkshOptDef optsPool[] = {
    { "pool", VKSH_OT_STRING, VKSH_OFLAG_REQ, "pool name or uuid" },
    { NULL, 0, 0, NULL },
};

static const vkshOptDef optsPoolStart[] = {
    { "pool", VKSH_OT_STRING, VKSH_OFLAG_REQ, "name or uuid of the inactive pool" },
    { "build", VKSH_OT_BOOL, 0, "build the pool as normal" },
    { "no-overwrite", VKSH_OT_BOOL, 0,
      "build the pool without overwriting the existing pool data" },
    { "overwrite", VKSH_OT_BOOL, 0, "overwrite any existing data" },
    { NULL, 0, 0, NULL },
};

static bool
cmdPoolStart(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStoragePool) pool = NULL;
    const char *name = NULL;
    unsigned int flags;
    bool ok;

    flags = poolBuildFlags(ctl, cmd, &ok);
    if (!ok || !(pool = vkshCommandOptPoolBy(ctl, cmd, "pool", &name)))
        return false;
    if (virStoragePoolCreate(pool, flags) < 0) {
        vkshError(ctl, "Failed to start pool %s", name);
        return false;
    }
    vkshPrintExtra(ctl, "Pool %s started\n", name);
    return true;
}

static bool
cmdPoolDestroy(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStoragePool) pool = NULL;
    const char *name = NULL;

    if (!(pool = vkshCommandOptPoolBy(ctl, cmd, "pool", &name)))
        return false;
    if (virStoragePoolDestroy(pool) < 0) {
        vkshError(ctl, "Failed to destroy pool %s", name);
        return false;
    }
    vkshPrintExtra(ctl, "Pool %s destroyed\n", name);
    return true;
}

static bool
cmdPoolUndefine(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStoragePool) pool = NULL;
    const char *name = NULL;

    if (!(pool = vkshCommandOptPoolBy(ctl, cmd, "pool", &name)))
        return false;
    if (virStoragePoolUndefine(pool) < 0) {
        vkshError(ctl, "Failed to undefine pool %s", name);
        return false;
    }
    vkshPrintExtra(ctl, "Pool %s has been undefined\n", name);
    return true;
}

static const vkshOptDef optsPoolBuild[] = {
    { "pool", VKSH_OT_STRING, VKSH_OFLAG_REQ, "pool name or uuid" },
    { "no-overwrite", VKSH_OT_BOOL, 0, "do not overwrite any existing data" },
    { "overwrite", VKSH_OT_BOOL, 0, "overwrite any existing data" },
    { NULL, 0, 0, NULL },
};

static bool
cmdPoolBuild(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStoragePool) pool = NULL;
    const char *name = NULL;
    unsigned int flags = 0;

    if (!vkshOptExclusive(ctl, cmd, "overwrite", "no-overwrite"))
        return false;
    if (vkshOptBool(cmd, "no-overwrite"))
        flags |= VIR_STORAGE_POOL_BUILD_NO_OVERWRITE;
    if (vkshOptBool(cmd, "overwrite"))
        flags |= VIR_STORAGE_POOL_BUILD_OVERWRITE;
    if (!(pool = vkshCommandOptPoolBy(ctl, cmd, "pool", &name)))
        return false;
    if (virStoragePoolBuild(pool, flags) < 0) {
        vkshError(ctl, "Failed to build pool %s", name);
        return false;
    }
    vkshPrintExtra(ctl, "Pool %s built\n", name);
    return true;
}

static bool
cmdPoolDelete(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStoragePool) pool = NULL;
    const char *name = NULL;

    if (!(pool = vkshCommandOptPoolBy(ctl, cmd, "pool", &name)))
        return false;
    if (virStoragePoolDelete(pool, 0) < 0) {
        vkshError(ctl, "Failed to delete pool %s", name);
        return false;
    }
    vkshPrintExtra(ctl, "Pool %s deleted\n", name);
    return true;
}

static bool
cmdPoolRefresh(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStoragePool) pool = NULL;
    const char *name = NULL;

    if (!(pool = vkshCommandOptPoolBy(ctl, cmd, "pool", &name)))
        return false;
    if (virStoragePoolRefresh(pool, 0) < 0) {
        vkshError(ctl, "Failed to refresh pool %s", name);
        return false;
    }
    vkshPrintExtra(ctl, "Pool %s refreshed\n", name);
    return true;
}

static const vkshOptDef optsPoolAutostart[] = {
    { "pool", VKSH_OT_STRING, VKSH_OFLAG_REQ, "pool name or uuid" },
    { "disable", VKSH_OT_BOOL, 0, "disable autostarting" },
    { NULL, 0, 0, NULL },
};

static bool
cmdPoolAutostart(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStoragePool) pool = NULL;
    const char *name = NULL;
    bool disable = vkshOptBool(cmd, "disable");

    if (!(pool = vkshCommandOptPoolBy(ctl, cmd, "pool", &name)))
        return false;
    if (virStoragePoolSetAutostart(pool, !disable) < 0) {
        if (disable)
            vkshError(ctl, "failed to unmark pool %s as autostarted", name);
        else
            vkshError(ctl, "failed to mark pool %s as autostarted", name);
        return false;
    }
    if (disable)
        vkshPrintExtra(ctl, "Pool %s unmarked as autostarted\n", name);
    else
        vkshPrintExtra(ctl, "Pool %s marked as autostarted\n", name);
    return true;
}

static const vkshOptDef optsPoolDumpxml[] = {
    { "pool", VKSH_OT_STRING, VKSH_OFLAG_REQ, "pool name or uuid" },
    { "inactive", VKSH_OT_BOOL, 0, "show inactive defined XML" },
    { "xpath", VKSH_OT_STRING, 0, "xpath expression to filter the XML document" },
    { "wrap", VKSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL, 0, 0, NULL },
};

static bool
cmdPoolDumpxml(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStoragePool) pool = NULL;
    g_autofree char *xml = NULL;

    if (!(pool = vkshCommandOptPoolBy(ctl, cmd, "pool", NULL)))
        return false;
    if (!(xml = virStoragePoolGetXMLDesc(
              pool, vkshOptBool(cmd, "inactive") ? VIR_STORAGE_XML_INACTIVE : 0)))
        return false;
    return vkshDumpXML(ctl, cmd, xml);
}

static const vkshOptDef optsPoolInfo[] = {
    { "pool", VKSH_OT_STRING, VKSH_OFLAG_REQ, "pool name or uuid" },
    { "bytes", VKSH_OT_BOOL, 0, "Reture pool info in bytes" },
    { NULL, 0, 0, NULL },
};

static bool
cmdPoolInfo(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStoragePool) pool = NULL;
    virStoragePoolInfo info;
    char uuid[VIR_UUID_STRING_BUFLEN];
    int autostart = 0, persistent;
    bool bytes = vkshOptBool(cmd, "bytes");

    if (!(pool = vkshCommandOptPoolBy(ctl, cmd, "pool", NULL)))
        return false;
    vkshPrint(ctl, "%-15s %s\n", "Name:", virStoragePoolGetName(pool));
    if (virStoragePoolGetUUIDString(pool, uuid) == 0)
        vkshPrint(ctl, "%-15s %s\n", "UUID:", uuid);
    if (virStoragePoolGetInfo(pool, &info) < 0)
        return false;
    vkshPrint(ctl, "%-15s %s\n", "State:", poolStateToString(info.state));
    persistent = virStoragePoolIsPersistent(pool);
    vkshPrint(ctl, "%-15s %s\n", "Persistent:",
              persistent < 0 ? "unknown"
              : persistent   ? "yes"
                             : "no");
    if (virStoragePoolGetAutostart(pool, &autostart) < 0)
        vkshPrint(ctl, "%-15s %s\n", "Autostart:", "no autostart");
    else
        vkshPrint(ctl, "%-15s %s\n", "Autostart:", autostart ? "yes" : "no");
    if (info.state == VIR_STORAGE_POOL_RUNNING ||
        info.state == VIR_STORAGE_POOL_DEGRADED) {
        if (bytes) {
            vkshPrint(ctl, "%-15s %llu\n", "Capacity:", info.capacity);
            vkshPrint(ctl, "%-15s %llu\n", "Allocation:", info.allocation);
            vkshPrint(ctl, "%-15s %llu\n", "Available:", info.available);
        } else {
            g_autofree char *c = vkshPrettyString(info.capacity);
            g_autofree char *a = vkshPrettyString(info.allocation);
            g_autofree char *v = vkshPrettyString(info.available);

            vkshPrint(ctl, "%-15s %s\n", "Capacity:", c);
            vkshPrint(ctl, "%-15s %s\n", "Allocation:", a);
            vkshPrint(ctl, "%-15s %s\n", "Available:", v);
        }
    }
    return true;
}

static const vkshOptDef optsPoolName[] = {
    { "pool", VKSH_OT_STRING, VKSH_OFLAG_REQ, "pool uuid" },
    { NULL, 0, 0, NULL },
};

static bool
cmdPoolName(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStoragePool) pool = NULL;
    const char *n = NULL;

    if (vkshOptString(ctl, cmd, "pool", &n) <= 0)
        return false;
    if (!(pool = virStoragePoolLookupByUUIDString(ctl->conn, n))) {
        vkshError(ctl, "failed to get pool '%s'", n);
        return false;
    }
    vkshPrint(ctl, "%s\n", virStoragePoolGetName(pool));
    return true;
}

static const vkshOptDef optsPoolUuid[] = {
    { "pool", VKSH_OT_STRING, VKSH_OFLAG_REQ, "pool name" },
    { NULL, 0, 0, NULL },
};

static bool
cmdPoolUuid(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStoragePool) pool = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (!(pool = vkshCommandOptPoolBy(ctl, cmd, "pool", NULL)))
        return false;
    if (virStoragePoolGetUUIDString(pool, uuid) < 0) {
        vkshError(ctl, "%s", "failed to get pool UUID");
        return false;
    }
    vkshPrint(ctl, "%s\n", uuid);
    return true;
}

/* ---- pool-list ------------------------------------------------------------ */

static const vkshOptDef optsPoolList[] = {
    { "inactive", VKSH_OT_BOOL, 0, "list inactive pools" },
    { "all", VKSH_OT_BOOL, 0, "list inactive & active pools" },
    { "transient", VKSH_OT_BOOL, 0, "list transient pools" },
    { "persistent", VKSH_OT_BOOL, 0, "list persistent pools" },
    { "autostart", VKSH_OT_BOOL, 0, "list pools with autostart enabled" },
    { "no-autostart", VKSH_OT_BOOL, 0, "list pools with autostart disabled" },
    { "type", VKSH_OT_STRING, 0, "only list pool of specified type(s) (if supported)" },
    { "details", VKSH_OT_BOOL, 0, "display extended details for pools" },
    { "uuid", VKSH_OT_BOOL, 0, "list UUID of active pools only" },
    { "name", VKSH_OT_BOOL, 0, "list name of active pools only" },
    { NULL, 0, 0, NULL },
};

static const char *const poolTypes[] = {
    "dir",   "fs",  "netfs",    "logical", "disk", "iscsi",    "scsi",
    "mpath", "rbd", "sheepdog", "gluster", "zfs",  "vstorage", "iscsi-direct",
};

static void
rowFree(gpointer p)
{
    g_strfreev(p);
}


static int
vkshPoolSorter(const void *a, const void *b)
{
    virStoragePoolPtr pa = *(virStoragePoolPtr const *)a;
    virStoragePoolPtr pb = *(virStoragePoolPtr const *)b;

    return g_ascii_strcasecmp(virStoragePoolGetName(pa), virStoragePoolGetName(pb));
}

static bool
cmdPoolList(vkshControl *ctl, const vkshCmd *cmd)
{
    unsigned int flags = VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE;
    virStoragePoolPtr *pools = NULL;
    const char *type = NULL;
    bool details = vkshOptBool(cmd, "details");
    bool optName = vkshOptBool(cmd, "name");
    bool optUUID = vkshOptBool(cmd, "uuid");
    g_autoptr(GPtrArray) rows = NULL;
    int n;

    if (vkshOptBool(cmd, "inactive"))
        flags = VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE;
    if (vkshOptBool(cmd, "all"))
        flags = VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE |
                VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE;
    if (vkshOptBool(cmd, "autostart"))
        flags |= VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART;
    if (vkshOptBool(cmd, "no-autostart"))
        flags |= VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART;
    if (vkshOptBool(cmd, "persistent"))
        flags |= VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT;
    if (vkshOptBool(cmd, "transient"))
        flags |= VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT;
    if (vkshOptString(ctl, cmd, "type", &type) < 0)
        return false;
    if (type) {
        g_auto(GStrv) types = g_strsplit(type, ",", -1);

        for (char **t = types; *t; t++) {
            size_t i;

            for (i = 0; i < G_N_ELEMENTS(poolTypes); i++) {
                if (strcmp(*t, poolTypes[i]) == 0)
                    break;
            }
            if (i == G_N_ELEMENTS(poolTypes)) {
                vkshError(ctl, "Invalid pool type '%s'", *t);
                return false;
            }
            flags |= VIR_CONNECT_LIST_STORAGE_POOLS_DIR << i;
        }
    }
    if (details && (optName || optUUID)) {
        vkshError(ctl, "%s", "--details and --name/--uuid are mutually exclusive");
        return false;
    }

    if ((n = virConnectListAllStoragePools(ctl->conn, &pools, flags)) < 0) {
        vkshError(ctl, "%s", "Failed to list pools");
        return false;
    }
    /* virsh sorts by name, case-insensitively, whatever the driver's order */
    if (n > 1)
        qsort(pools, n, sizeof(*pools), vkshPoolSorter);

    if (optName || optUUID) {
        for (int i = 0; i < n; i++) {
            char uuid[VIR_UUID_STRING_BUFLEN];

            if (optUUID && optName) {
                virStoragePoolGetUUIDString(pools[i], uuid);
                vkshPrint(ctl, "%s  %s\n", uuid, virStoragePoolGetName(pools[i]));
            } else if (optUUID) {
                virStoragePoolGetUUIDString(pools[i], uuid);
                vkshPrint(ctl, "%s\n", uuid);
            } else {
                vkshPrint(ctl, "%-20s\n", virStoragePoolGetName(pools[i]));
            }
        }
        goto done;
    }

    rows = g_ptr_array_new_with_free_func(rowFree);
    if (details)
        g_ptr_array_add(
            rows, g_strdupv((char *[]){ "Name", "State", "Autostart", "Persistent",
                                        "Capacity", "Allocation", "Available", NULL }));
    else
        g_ptr_array_add(rows,
                        g_strdupv((char *[]){ "Name", "State", "Autostart", NULL }));
    for (int i = 0; i < n; i++) {
        virStoragePoolInfo info;
        int autostart = 0, persistent;
        const char *as;
        char **row = g_new0(char *, 8);

        as = virStoragePoolGetAutostart(pools[i], &autostart) < 0 ? "no autostart"
             : autostart                                          ? "yes"
                                                                  : "no";
        row[0] = g_strdup(virStoragePoolGetName(pools[i]));
        if (virStoragePoolGetInfo(pools[i], &info) < 0) {
            row[1] = g_strdup("unknown");
            row[2] = g_strdup(as);
            if (details) {
                row[3] = g_strdup("unknown");
                row[4] = g_strdup("unknown");
                row[5] = g_strdup("unknown");
                row[6] = g_strdup("unknown");
            }
        } else if (details) {
            persistent = virStoragePoolIsPersistent(pools[i]);
            row[1] = g_strdup(poolStateToString(info.state));
            row[2] = g_strdup(as);
            row[3] = g_strdup(persistent < 0 ? "unknown" : persistent ? "yes" : "no");
            if (info.state == VIR_STORAGE_POOL_RUNNING ||
                info.state == VIR_STORAGE_POOL_DEGRADED) {
                row[4] = vkshPrettyString(info.capacity);
                row[5] = vkshPrettyString(info.allocation);
                row[6] = vkshPrettyString(info.available);
            } else {
                row[4] = g_strdup("-");
                row[5] = g_strdup("-");
                row[6] = g_strdup("-");
            }
        } else {
            row[1] = g_strdup(virStoragePoolIsActive(pools[i]) ? "active" : "inactive");
            row[2] = g_strdup(as);
        }
        g_ptr_array_add(rows, row);
    }
    vkshStorageTablePrint(ctl, rows, details ? 7 : 3);

done:
    for (int i = 0; i < n; i++)
        virStoragePoolFree(pools[i]);
    g_free(pools);
    return true;
}

/* ---- find-storage-pool-sources ------------------------------------------- */

static const vkshOptDef optsFindSourcesAs[] = {
    { "type", VKSH_OT_STRING, VKSH_OFLAG_REQ, "type of storage pool sources to find" },
    { "host", VKSH_OT_STRING, 0, "optional host to query" },
    { "port", VKSH_OT_STRING, 0, "optional port to query" },
    { "initiator", VKSH_OT_STRING, 0, "optional initiator IQN to use for query" },
    { NULL, 0, 0, NULL },
};

static bool
cmdFindSourcesAs(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *type = NULL, *host = NULL, *port = NULL, *initiator = NULL;
    g_autofree char *spec = NULL;
    g_autofree char *list = NULL;

    if (vkshOptString(ctl, cmd, "type", &type) <= 0 ||
        vkshOptString(ctl, cmd, "host", &host) < 0 ||
        vkshOptString(ctl, cmd, "port", &port) < 0 ||
        vkshOptString(ctl, cmd, "initiator", &initiator) < 0)
        return false;
    if (host) {
        GString *buf = g_string_new("<source>\n  <host name='");

        g_string_append(buf, host);
        g_string_append_c(buf, '\'');
        if (port)
            g_string_append_printf(buf, " port='%s'", port);
        g_string_append(buf, "/>\n");
        if (initiator)
            g_string_append_printf(buf,
                                   "  <initiator>\n    <iqn name='%s'/>\n"
                                   "  </initiator>\n",
                                   initiator);
        g_string_append(buf, "</source>\n");
        spec = g_string_free(buf, FALSE);
    }
    if (!(list = virConnectFindStoragePoolSources(ctl->conn, type, spec, 0))) {
        vkshError(ctl, "Failed to find any %s pool sources", type);
        return false;
    }
    vkshPrint(ctl, "%s", list);
    return true;
}

static const vkshOptDef optsFindSources[] = {
    { "type", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "type of storage pool sources to discover" },
    { "srcSpec", VKSH_OT_STRING, 0, "optional file of source xml to query for pools" },
    { NULL, 0, 0, NULL },
};

static bool
cmdFindSources(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *type = NULL, *file = NULL;
    g_autofree char *spec = NULL;
    g_autofree char *list = NULL;

    if (vkshOptString(ctl, cmd, "type", &type) <= 0 ||
        vkshOptString(ctl, cmd, "srcSpec", &file) < 0)
        return false;
    if (file && !(spec = vkshReadFile(ctl, file)))
        return false;
    if (!(list = virConnectFindStoragePoolSources(ctl->conn, type, spec, 0))) {
        vkshError(ctl, "Failed to find any %s pool sources", type);
        return false;
    }
    vkshPrint(ctl, "%s", list);
    return true;
}

static const vkshOptDef optsPoolCaps[] = {
    { NULL, 0, 0, NULL },
};

static bool
cmdPoolCapabilities(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autofree char *caps = NULL;

    if (!(caps = virConnectGetStoragePoolCapabilities(ctl->conn, 0))) {
        vkshError(ctl, "%s", "failed to get storage pool capabilities");
        return false;
    }
    vkshPrint(ctl, "%s\n", caps);
    return true;
}

/* ---- pool-edit: virsh's edit loop (vksh-edit.c) ----------------------------------- */

static char *
poolEditGet(void *opaque)
{
    char *xml = virStoragePoolGetXMLDesc(opaque, VIR_STORAGE_XML_INACTIVE);

    /* as virsh: a server that refuses the flag is asked again without it */
    if (!xml && vkshLastErrorCode() == VIR_ERR_INVALID_ARG) {
        vkshResetError();
        xml = virStoragePoolGetXMLDesc(opaque, 0);
    }
    return xml;
}

static bool
poolEditDefine(void *opaque, const char *xml, char **name)
{
    virStoragePoolPtr pool =
        virStoragePoolDefineXML(virStoragePoolGetConnect(opaque), xml, 0);

    if (!pool)
        return false;
    *name = g_strdup(virStoragePoolGetName(pool));
    virStoragePoolFree(pool);
    return true;
}

static bool
cmdPoolEdit(vkshControl *ctl, const vkshCmd *cmd)
{
    static const vkshEditOps ops = { poolEditGet, poolEditDefine };
    g_autoptr(virStoragePool) pool = NULL;
    g_autofree char *name = NULL;
    int rc;

    if (!(pool = vkshCommandOptPoolBy(ctl, cmd, "pool", NULL)))
        return false;
    if ((rc = vkshEditRun(ctl, &ops, pool, &name)) < 0)
        return false;
    if (rc == 0)
        vkshPrintExtra(ctl, "Pool %s XML configuration not changed.\n",
                       virStoragePoolGetName(pool));
    else
        vkshPrintExtra(ctl, "Pool %s XML configuration edited.\n",
                       name ? name : "(null)");
    return true;
}

const vkshCmdDef vkshPoolCmds[] = {
    { "find-storage-pool-sources-as", cmdFindSourcesAs, optsFindSourcesAs,
      "find potential storage pool sources", "Returns XML <sources> document.", 0 },
    { "find-storage-pool-sources", cmdFindSources, optsFindSources,
      "discover potential storage pool sources", "Returns XML <sources> document.", 0 },
    { "pool-autostart", cmdPoolAutostart, optsPoolAutostart, "autostart a pool",
      "Configure a pool to be automatically started at boot.", 0 },
    { "pool-build", cmdPoolBuild, optsPoolBuild, "build a pool", "Build a given pool.",
      0 },
    { "pool-create-as", cmdPoolCreateAs, optsPoolAs, "create a pool from a set of args",
      "Create a pool.", 0 },
    { "pool-create", cmdPoolCreate, optsPoolCreate, "create a pool from an XML file",
      "Create a pool.", 0 },
    { "pool-define-as", cmdPoolDefineAs, optsPoolAs, "define a pool from a set of args",
      "Define a pool.", 0 },
    { "pool-define", cmdPoolDefine, optsPoolFile,
      "define an inactive persistent storage pool or modify an existing persistent one "
      "from an XML file",
      "Define or modify a persistent storage pool.", 0 },
    { "pool-delete", cmdPoolDelete, optsPool, "delete a pool", "Delete a given pool.",
      0 },
    { "pool-destroy", cmdPoolDestroy, optsPool, "destroy (stop) a pool",
      "Forcefully stop a given pool. Raw data in the pool is untouched", 0 },
    { "pool-dumpxml", cmdPoolDumpxml, optsPoolDumpxml, "pool information in XML",
      "Output the pool information as an XML dump to stdout.", 0 },
    { "pool-edit", cmdPoolEdit, optsPool, "edit XML configuration for a storage pool",
      "Edit the XML configuration for a storage pool.", 0 },
    { "pool-info", cmdPoolInfo, optsPoolInfo, "storage pool information",
      "Returns basic information about the storage pool.", 0 },
    { "pool-list", cmdPoolList, optsPoolList, "list pools", "Returns list of pools.", 0 },
    { "pool-name", cmdPoolName, optsPoolName, "convert a pool UUID to pool name", "", 0 },
    { "pool-refresh", cmdPoolRefresh, optsPool, "refresh a pool", "Refresh a given pool.",
      0 },
    { "pool-start", cmdPoolStart, optsPoolStart,
      "start a (previously defined) inactive pool", "Start a pool.", 0 },
    { "pool-undefine", cmdPoolUndefine, optsPool, "undefine an inactive pool",
      "Undefine the configuration for an inactive pool.", 0 },
    { "pool-uuid", cmdPoolUuid, optsPoolUuid, "convert a pool name to pool UUID", "", 0 },
    { "pool-event", vkshCmdPoolEvent, vkshOptsPoolEvent, "Storage Pool Events",
      "List event types, or wait for storage pool events to occur", 0 },
    { "pool-capabilities", cmdPoolCapabilities, optsPoolCaps, "storage pool capabilities",
      "Returns capabilities of storage pool support.", 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
