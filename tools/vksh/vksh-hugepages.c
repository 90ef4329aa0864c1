/* vksh-hugepages.c: freepages, allocpages (the host's huge page pools, as virsh 9.0) */

#define G_LOG_DOMAIN "vksh.hugepages"
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "vksh.h"

/* Every output below is virsh 9.0's (tools/virsh-host.c), byte for byte. */

/* The "size" (or "id") attributes of the nodes at @xpath of the host's
 * capabilities, as numbers; NULL after virsh's message. */
static GArray *
vkshCapsNumbers(vkshControl *ctl, const char *caps, const char *xpath, const char *attr,
                bool *parsed)
{
    g_autoptr(GArray) out = g_array_new(FALSE, FALSE, sizeof(long long));
    xmlDocPtr doc;
    xmlXPathContextPtr xc;
    xmlXPathObjectPtr obj;
    bool ok = true;

    *parsed = false;
    if (!(doc = xmlReadMemory(caps, strlen(caps), "capabilities", NULL,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)))
        return NULL;
    *parsed = true;
    xc = xmlXPathNewContext(doc);
    obj = xmlXPathEvalExpression(BAD_CAST xpath, xc);
    for (int i = 0; obj && obj->nodesetval && i < obj->nodesetval->nodeNr; i++) {
        xmlChar *v = xmlGetProp(obj->nodesetval->nodeTab[i], BAD_CAST attr);
        char *end = NULL;
        long long n = 0;

        errno = 0;
        if (v)
            n = strtoll((const char *)v, &end, 10);
        if (!v || !*v || *end || errno || n < INT_MIN || n > UINT_MAX) {
            if (strcmp(attr, "size") == 0)
                vkshError(ctl, "unable to parse page size: %s", v ? (char *)v : "(null)");
            else
                vkshError(ctl, "unable to parse numa node id: %s",
                          v ? (char *)v : "(null)");
            ok = false;
        }
        xmlFree(v);
        if (!ok)
            break;
        g_array_append_val(out, n);
    }
    xmlXPathFreeObject(obj);
    xmlXPathFreeContext(xc);
    xmlFreeDoc(doc);
    return ok ? g_steal_pointer(&out) : NULL;
}

static gint
vkshPageSizeCmp(gconstpointer a, gconstpointer b)
{
    unsigned int x = *(const unsigned int *)a;
    unsigned int y = *(const unsigned int *)b;

    return x < y ? -1 : x > y;
}

const vkshOptDef vkshOptsFreepages[] = {
    { "cellno", VKSH_OT_INT, 0, "NUMA cell number" },
    { "pagesize", VKSH_OT_INT, 0, "page size (in kibibytes)" },
    { "all", VKSH_OT_BOOL, 0, "show free pages for all NUMA cells" },
    { NULL, 0, 0, NULL },
};

/* Free pages of every size of every cell (--all), or of one size in one
 * cell (-1: the whole host). virsh 9.0 prints the counts as signed and
 * whatever the driver filled (the test driver fills them and says 0). */
static bool
vkshFreepagesAll(vkshControl *ctl, bool pagesz, unsigned int kibibytes)
{
    g_autofree char *caps = virConnectGetCapabilities(ctl->conn);
    g_autoptr(GArray) sizes = NULL;
    g_autoptr(GArray) cells = NULL;
    g_autofree unsigned int *pagesize = NULL;
    g_autofree unsigned long long *counts = NULL;
    unsigned int npages = 0;
    bool parsed;

    if (!caps) {
        vkshError(ctl, "%s", "unable to get node capabilities");
        return false;
    }
    if (!pagesz) {
        if (!(sizes = vkshCapsNumbers(ctl, caps, "/capabilities/host/cpu/pages", "size",
                                      &parsed))) {
            if (!parsed)
                vkshError(ctl, "%s", "unable to parse node capabilities");
            return false;
        }
        if (sizes->len == 0) {
            /* drivers that list the sizes only under the cells */
            g_clear_pointer(&sizes, g_array_unref);
            if (!(sizes = vkshCapsNumbers(ctl, caps,
                                          "/capabilities/host/topology/cells/cell/pages",
                                          "size", &parsed)))
                return false;
            if (sizes->len == 0) {
                vkshError(ctl, "%s",
                          "could not get information about supported page sizes");
                return false;
            }
        }
        pagesize = g_new0(unsigned int, sizes->len);
        for (guint i = 0; i < sizes->len; i++)
            pagesize[i] = (unsigned int)g_array_index(sizes, long long, i);
        qsort(pagesize, sizes->len, sizeof(*pagesize),
              (int (*)(const void *, const void *))vkshPageSizeCmp);
        for (guint i = 0; i < sizes->len; i++) {
            if (npages == 0 || pagesize[npages - 1] != pagesize[i])
                pagesize[npages++] = pagesize[i];
        }
    } else {
        pagesize = g_new0(unsigned int, 1);
        pagesize[0] = kibibytes;
        npages = 1;
    }
    counts = g_new0(unsigned long long, npages);
    if (!(cells = vkshCapsNumbers(ctl, caps, "/capabilities/host/topology/cells/cell",
                                  "id", &parsed))) {
        if (!parsed)
            vkshError(ctl, "%s", "unable to parse node capabilities");
        return false;
    }
    for (guint i = 0; i < cells->len; i++) {
        int cell = (int)g_array_index(cells, long long, i);

        if (virNodeGetFreePages(ctl->conn, npages, pagesize, cell, 1, counts, 0) < 0)
            return false;
        vkshPrint(ctl, "Node %d:\n", cell);
        for (unsigned int j = 0; j < npages; j++)
            vkshPrint(ctl, "%uKiB: %lld\n", pagesize[j], (long long)counts[j]);
        vkshPrint(ctl, "%c", '\n');
    }
    return true;
}

bool
vkshCmdFreepages(vkshControl *ctl, const vkshCmd *cmd)
{
    bool all = vkshOptBool(cmd, "all");
    bool cellno = vkshOptRaw(cmd, "cellno") != NULL;
    bool pagesz = vkshOptRaw(cmd, "pagesize") != NULL;
    unsigned long long bytes = 0;
    unsigned int kibibytes;
    unsigned int pagesize[1];
    unsigned long long counts[1] = { 0 };
    int cell = 0;

    if (!vkshOptExclusive(ctl, cmd, "all", "cellno"))
        return false;
    if (vkshOptScaled(ctl, cmd, "pagesize", 1024, UINT_MAX, &bytes) < 0)
        return false;
    kibibytes = (unsigned int)((bytes + 1023) / 1024);
    if (all)
        return vkshFreepagesAll(ctl, pagesz, kibibytes);
    if (!cellno) {
        vkshError(ctl, "%s", "missing cellno argument");
        return false;
    }
    if (vkshOptInt(ctl, cmd, "cellno", &cell) < 0)
        return false;
    if (cell < -1) {
        vkshError(ctl, "%s", "cell number must be non-negative integer or -1");
        return false;
    }
    if (!pagesz) {
        vkshError(ctl, "%s", "missing pagesize argument");
        return false;
    }
    pagesize[0] = kibibytes;
    if (virNodeGetFreePages(ctl->conn, 1, pagesize, cell, 1, counts, 0) < 0)
        return false;
    vkshPrint(ctl, "%uKiB: %lld\n", pagesize[0], (long long)counts[0]);
    return true;
}

const vkshOptDef vkshOptsAllocpages[] = {
    { "pagesize", VKSH_OT_INT, VKSH_OFLAG_REQ, "page size (in kibibytes)" },
    { "pagecount", VKSH_OT_INT, VKSH_OFLAG_REQ, "page count" },
    { "cellno", VKSH_OT_INT, 0, "NUMA cell number" },
    { "add", VKSH_OT_BOOL, 0, "instead of setting new pool size add pages to it" },
    { "all", VKSH_OT_BOOL, 0, "set on all NUMA cells" },
    { NULL, 0, 0, NULL },
};

/* virsh's vshCommandOptULongLong: digits only (no sign), whole word. */
static int
vkshOptULongLong(vkshControl *ctl, const vkshCmd *cmd, const char *name,
                 unsigned long long *value)
{
    const char *v = vkshOptRaw(cmd, name);
    const char *s = v;
    char *end = NULL;

    if (!v)
        return 0;
    while (g_ascii_isspace(*s))
        s++;
    errno = 0;
    if (*s == '-' || !*v || ((*value = strtoull(v, &end, 10)), errno) || *end) {
        vkshError(ctl, "Numeric value '%s' for <%s> option is malformed or out of range",
                  v, name);
        return -1;
    }
    return 1;
}

bool
vkshCmdAllocpages(vkshControl *ctl, const vkshCmd *cmd)
{
    bool add = vkshOptBool(cmd, "add");
    bool all = vkshOptBool(cmd, "all");
    bool cellno = vkshOptRaw(cmd, "cellno") != NULL;
    unsigned int flags = add ? VIR_NODE_ALLOC_PAGES_ADD : VIR_NODE_ALLOC_PAGES_SET;
    unsigned int pageSizes[1];
    unsigned long long pageCounts[1] = { 0 };
    unsigned long long bytes = 0;
    int startCell = -1;

    if (!vkshOptExclusive(ctl, cmd, "all", "cellno"))
        return false;
    if (cellno && vkshOptInt(ctl, cmd, "cellno", &startCell) < 0)
        return false;
    if (vkshOptScaled(ctl, cmd, "pagesize", 1024, UINT_MAX * 1024ULL, &bytes) < 0)
        return false;
    pageSizes[0] = (unsigned int)((bytes + 1023) / 1024);
    if (vkshOptULongLong(ctl, cmd, "pagecount", &pageCounts[0]) < 0)
        return false;

    if (all) {
        g_autofree char *caps = virConnectGetCapabilities(ctl->conn);
        g_autoptr(GArray) cells = NULL;
        bool parsed;

        if (!caps) {
            vkshError(ctl, "%s", "unable to get node capabilities");
            return false;
        }
        if (!(cells = vkshCapsNumbers(ctl, caps, "/capabilities/host/topology/cells/cell",
                                      "id", &parsed))) {
            if (!parsed)
                vkshError(ctl, "%s", "unable to get node capabilities");
            return false;
        }
        for (guint i = 0; i < cells->len; i++) {
            long long id = g_array_index(cells, long long, i);

            if (id < 0) {
                vkshError(ctl, "%s", "conversion from string failed");
                return false;
            }
            if (virNodeAllocPages(ctl->conn, 1, pageSizes, pageCounts, (int)id, 1,
                                  flags) < 0)
                return false;
        }
        return true;
    }
    return virNodeAllocPages(ctl->conn, 1, pageSizes, pageCounts, startCell, 1, flags) >=
           0;
}
