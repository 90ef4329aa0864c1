/* remote_dispatch_host.c: the host queries with a non-mechanical shape (free memory, NUMA cells, huge pages)
 *
 * Thread protocol: see remote_dispatch.c (workers, each call with its own
 * reference to the client's connection). CONNECT_GET_SYSINFO is generated.
 */
#define G_LOG_DOMAIN "virtkitd.dispatch"
#include "remote_dispatch_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VKD_HANDLER(vkdDispatchNodeGetFreeMemory)
{
    remote_node_get_free_memory_ret *r = ret;

    (void)args;
    /* 0 is the API's error value, as libvirtd reads it */
    return (r->freeMem = virNodeGetFreeMemory(call->conn)) == 0 ? -1 : 0;
}

VKD_HANDLER(vkdDispatchNodeGetCellsFreeMemory)
{
    remote_node_get_cells_free_memory_args *a = args;
    remote_node_get_cells_free_memory_ret *r = ret;
    g_autofree unsigned long long *cells = NULL;
    int n;

    if (a->maxcells > REMOTE_NODE_MAX_CELLS) {
        virReportError(VIR_ERR_RPC, "%s", "maxCells > REMOTE_NODE_MAX_CELLS");
        return -1;
    }
    cells = g_new0(unsigned long long, MAX(a->maxcells, 1));
    if ((n = virNodeGetCellsFreeMemory(call->conn, cells, a->startCell, a->maxcells)) < 0)
        return -1;
    r->cells_len = n;
    r->cells_val = g_new0(uint64_t, MAX(n, 1));
    for (int i = 0; i < n; i++)
        r->cells_val[i] = cells[i];
    return 0;
}

/* 340: the counts of pages x cells; as libvirtd, more than the reply can
 * carry is refused before asking the driver. */
VKD_HANDLER(vkdDispatchNodeGetFreePages)
{
    remote_node_get_free_pages_args *a = args;
    remote_node_get_free_pages_ret *r = ret;
    g_autofree unsigned long long *counts = NULL;
    unsigned long long len = (unsigned long long)a->pages_len * a->cellCount;
    int n;

    if (len > REMOTE_NODE_MAX_CELLS) {
        virReportError(VIR_ERR_RPC, "%s", "the result won't fit");
        return -1;
    }
    counts = g_new0(unsigned long long, MAX(len, 1));
    /* libvirtd takes 0 (the test driver's answer) for a failure with no
     * error set: "Library function returned error but did not set virError" */
    if ((n = virNodeGetFreePages(call->conn, a->pages_len, a->pages_val, a->startCell,
                                 a->cellCount, counts, a->flags)) <= 0)
        return -1;
    r->counts_len = n;
    r->counts_val = g_new0(uint64_t, MAX(n, 1));
    for (int i = 0; i < n; i++)
        r->counts_val[i] = counts[i];
    return 0;
}

/* 347: one count per page size (the description's arrays are independent). */
VKD_HANDLER(vkdDispatchNodeAllocPages)
{
    remote_node_alloc_pages_args *a = args;
    remote_node_alloc_pages_ret *r = ret;
    g_autofree unsigned long long *pageCounts = NULL;
    int n;

    if (a->pageSizes_len != a->pageCounts_len) {
        virReportError(VIR_ERR_RPC, "%s", "pageSizes and pageCounts differ in length");
        return -1;
    }
    pageCounts = g_new0(unsigned long long, MAX(a->pageCounts_len, 1));
    for (uint32_t i = 0; i < a->pageCounts_len; i++)
        pageCounts[i] = a->pageCounts_val[i];
    if ((n = virNodeAllocPages(call->conn, a->pageSizes_len, a->pageSizes_val, pageCounts,
                               a->startCell, a->cellCount, a->flags)) < 0)
        return -1;
    r->ret = n;
    return 0;
}
