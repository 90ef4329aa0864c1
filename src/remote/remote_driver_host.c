/* remote_driver_host.c: the remote driver's host queries (free memory, NUMA cells, huge pages)
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

int
remoteNodeGetFreePages(virConnectPtr conn, unsigned int npages, unsigned int *pages,
                       int startCell, unsigned int cellCount, unsigned long long *counts,
                       unsigned int flags)
{
    remote_node_get_free_pages_args args = { .pages_len = npages,
                                             .pages_val = pages,
                                             .startCell = startCell,
                                             .cellCount = cellCount,
                                             .flags = flags };
    remote_node_get_free_pages_ret ret = { 0 };
    unsigned long long len = (unsigned long long)npages * cellCount;
    int n;

    if (len > REMOTE_NODE_MAX_CELLS) {
        virReportError(VIR_ERR_RPC, "too many NUMA cells: %llu > %d", len,
                       REMOTE_NODE_MAX_CELLS);
        return -1;
    }
    if (remoteCallNodeGetFreePages(conn, &args, &ret) < 0)
        return -1;
    if (ret.counts_len > len) {
        virReportError(VIR_ERR_RPC, "too many NUMA cells: %u > %llu", ret.counts_len,
                       len);
        virXdrFree(remote_node_get_free_pages_ret_filter, &ret);
        return -1;
    }
    for (uint32_t i = 0; i < ret.counts_len; i++)
        counts[i] = ret.counts_val[i];
    n = ret.counts_len;
    virXdrFree(remote_node_get_free_pages_ret_filter, &ret);
    return n;
}

int
remoteNodeAllocPages(virConnectPtr conn, unsigned int npages, unsigned int *pageSizes,
                     unsigned long long *pageCounts, int startCell,
                     unsigned int cellCount, unsigned int flags)
{
    g_autofree uint64_t *counts = NULL;
    remote_node_alloc_pages_args args = { .pageSizes_len = npages,
                                          .pageSizes_val = pageSizes,
                                          .pageCounts_len = npages,
                                          .startCell = startCell,
                                          .cellCount = cellCount,
                                          .flags = flags };
    remote_node_alloc_pages_ret ret = { 0 };

    if (npages > REMOTE_NODE_MAX_CELLS) {
        virReportError(VIR_ERR_RPC, "too many NUMA cells: %u > %d", npages,
                       REMOTE_NODE_MAX_CELLS);
        return -1;
    }
    counts = g_new0(uint64_t, npages);
    for (unsigned int i = 0; i < npages; i++)
        counts[i] = pageCounts[i];
    args.pageCounts_val = counts;
    if (remoteCallNodeAllocPages(conn, &args, &ret) < 0)
        return -1;
    return ret.ret;
}
