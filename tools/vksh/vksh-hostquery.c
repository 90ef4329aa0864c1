/* vksh-hostquery.c: freecell, nodecpumap, sysinfo (host queries, as virsh 9.0) */

#define G_LOG_DOMAIN "vksh.hostquery"
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "vksh.h"

const vkshOptDef vkshOptsFreecell[] = {
    { "cellno", VKSH_OT_INT, 0, "NUMA cell number" },
    { "all", VKSH_OT_BOOL, 0, "show free memory for all NUMA cells" },
    { NULL, 0, 0, NULL },
};

/* The ids of the NUMA cells the capabilities XML lists; NULL after an error. */
static GArray *
vkshCapsCells(vkshControl *ctl)
{
    g_autofree char *caps = virConnectGetCapabilities(ctl->conn);
    g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(unsigned long));
    xmlDocPtr doc;
    xmlXPathContextPtr xc;
    xmlXPathObjectPtr obj;
    bool ok = true;

    if (!caps) {
        vkshError(ctl, "%s", "unable to get node capabilities");
        return NULL;
    }
    if (!(doc =
              xmlReadMemory(caps, strlen(caps), "capabilities", NULL, XML_PARSE_NONET))) {
        vkshError(ctl, "%s", "could not get information about NUMA topology");
        return NULL;
    }
    xc = xmlXPathNewContext(doc);
    obj = xmlXPathEvalExpression(BAD_CAST "/capabilities/host/topology/cells/cell", xc);
    for (int i = 0; obj && obj->nodesetval && i < obj->nodesetval->nodeNr; i++) {
        xmlChar *v = xmlGetProp(obj->nodesetval->nodeTab[i], BAD_CAST "id");
        char *end = NULL;
        unsigned long id = v ? strtoul((const char *)v, &end, 10) : 0;

        if (!v || !*v || *end) {
            vkshError(ctl, "%s", "conversion from string failed");
            ok = false;
        }
        xmlFree(v);
        if (!ok)
            break;
        g_array_append_val(ids, id);
    }
    xmlXPathFreeObject(obj);
    xmlXPathFreeContext(xc);
    xmlFreeDoc(doc);
    return ok ? g_steal_pointer(&ids) : NULL;
}

bool
vkshCmdFreecell(vkshControl *ctl, const vkshCmd *cmd)
{
    bool all = vkshOptBool(cmd, "all");
    bool cellno = vkshOptRaw(cmd, "cellno") != NULL;
    unsigned long long memory = 0;
    int cell = -1;

    if (!vkshOptExclusive(ctl, cmd, "all", "cellno"))
        return false;
    if (cellno && vkshOptInt(ctl, cmd, "cellno", &cell) < 0)
        return false;

    if (all) {
        g_autoptr(GArray) ids = vkshCapsCells(ctl);
        g_autofree unsigned long long *freeMem = NULL;

        if (!ids)
            return false;
        freeMem = g_new0(unsigned long long, MAX(ids->len, 1));
        for (guint i = 0; i < ids->len; i++) {
            unsigned long id = g_array_index(ids, unsigned long, i);

            if (virNodeGetCellsFreeMemory(ctl->conn, &freeMem[i], id, 1) != 1) {
                vkshError(ctl, "failed to get free memory for NUMA node number: %lu", id);
                return false;
            }
        }
        for (guint i = 0; i < ids->len; i++) {
            vkshPrint(ctl, "%5lu: %10llu KiB\n", g_array_index(ids, unsigned long, i),
                      freeMem[i] / 1024);
            memory += freeMem[i];
        }
        vkshPrintExtra(ctl, "--------------------\n");
        vkshPrintExtra(ctl, "%5s: %10llu KiB\n", "Total", memory / 1024);
        return true;
    }
    if (cellno) {
        if (virNodeGetCellsFreeMemory(ctl->conn, &memory, cell, 1) != 1)
            return false;
        vkshPrint(ctl, "%d: %llu KiB\n", cell, memory / 1024);
        return true;
    }
    if ((memory = virNodeGetFreeMemory(ctl->conn)) == 0)
        return false;
    vkshPrint(ctl, "%s: %llu KiB\n", "Total", memory / 1024);
    return true;
}

const vkshOptDef vkshOptsNodecpumap[] = {
    { "pretty", VKSH_OT_BOOL, 0, "return human readable output" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdNodecpumap(vkshControl *ctl, const vkshCmd *cmd)
{
    unsigned char *map = NULL;
    unsigned int online = 0;
    int n;

    if ((n = virNodeGetCPUMap(ctl->conn, &map, &online, 0)) < 0) {
        vkshError(ctl, "%s", "Unable to get cpu map");
        return false;
    }
    vkshPrint(ctl, "%-15s %d\n", "CPUs present:", n);
    vkshPrint(ctl, "%-15s %d\n", "CPUs online:", online);
    vkshPrint(ctl, "%-15s ", "CPU map:");
    if (vkshOptBool(cmd, "pretty")) {
        /* virBitmapDataFormat: ranges of set bits, "0-3,5" */
        g_autoptr(GString) s = g_string_new(NULL);

        for (int c = 0; c < n; c++) {
            int start = c;

            if (!(map[c / 8] & (1 << (c % 8))))
                continue;
            while (c + 1 < n && (map[(c + 1) / 8] & (1 << ((c + 1) % 8))))
                c++;
            if (s->len)
                g_string_append_c(s, ',');
            if (c > start)
                g_string_append_printf(s, "%d-%d", start, c);
            else
                g_string_append_printf(s, "%d", start);
        }
        vkshPrint(ctl, "%s", s->str);
    } else {
        for (int c = 0; c < n; c++)
            vkshPrint(ctl, "%c", (map[c / 8] & (1 << (c % 8))) ? 'y' : '-');
    }
    vkshPrint(ctl, "\n");
    free(map);
    return true;
}

bool
vkshCmdSysinfo(vkshControl *ctl, const vkshCmd *cmd G_GNUC_UNUSED)
{
    g_autofree char *xml = virConnectGetSysinfo(ctl->conn, 0);

    if (!xml) {
        vkshError(ctl, "%s", "failed to get sysinfo");
        return false;
    }
    vkshPrint(ctl, "%s", xml);
    return true;
}
