/* remote_driver_host.c: the remote driver's host queries (free memory, NUMA cells)
 *
 * Threads: each entry point is one blocking call from the API thread (see
 * remote_driver.c). virConnectGetSysinfo is generated (remote_client.c).
 */
#define G_LOG_DOMAIN "virtkit.remote"
#include <string.h>

#include "remote_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

unsigned long long
remoteNodeGetFreeMemory(virConnectPtr conn)
{
    remote_node_get_free_memory_ret ret = { 0 };

    if (remoteCallNodeGetFreeMemory(conn, &ret) < 0)
        return 0;
    return ret.freeMem;
}

int
remoteNodeGetCellsFreeMemory(virConnectPtr conn, unsigned long long *freeMems,
                             int startCell, int maxCells)
{
    remote_node_get_cells_free_memory_args args = { .startCell = startCell,
                                                    .maxcells = maxCells };
    remote_node_get_cells_free_memory_ret ret = { 0 };
    int n;

    if (maxCells > REMOTE_NODE_MAX_CELLS) {
        virReportError(VIR_ERR_RPC, "too many NUMA cells: %d > %d", maxCells,
                       REMOTE_NODE_MAX_CELLS);
        return -1;
    }
    if (remoteCallNodeGetCellsFreeMemory(conn, &args, &ret) < 0)
        return -1;
    if (ret.cells_len > (uint32_t)maxCells) {
        virReportError(VIR_ERR_RPC, "too many NUMA cells: %u > %d", ret.cells_len,
                       maxCells);
        virXdrFree(remote_node_get_cells_free_memory_ret_filter, &ret);
        return -1;
    }
    for (uint32_t i = 0; i < ret.cells_len; i++)
        freeMems[i] = ret.cells_val[i];
    n = ret.cells_len;
    virXdrFree(remote_node_get_cells_free_memory_ret_filter, &ret);
    return n;
}
