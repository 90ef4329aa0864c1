/* remote_dispatch_host.c: the host queries with a non-mechanical shape (free memory, NUMA cells)
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
