/* libvirt-host-pages.c: public entry points of the host's huge page pools (free pages, pool sizes) */
#define G_LOG_DOMAIN "virtkit.api"
#include <limits.h>

#include "libvirt_internal.h"

/* libvirt's libvirt-host.c reports these in VIR_FROM_DOMAIN (seen from
 * python3-libvirt: "npages in virNodeGetFreePages must not be zero", 8/20). */
#define VIR_FROM_THIS VIR_FROM_DOMAIN

#define virCheckNonZeroArgGoto(arg, label)                                       \
    do {                                                                         \
        if ((arg) == 0) {                                                        \
            virAPIReportInvalidArg(VIR_FROM_THIS, __func__, #arg,                \
                                   "%s in %s must not be zero", #arg, __func__); \
            goto label;                                                          \
        }                                                                        \
    } while (0)

/**
 * virNodeGetFreePages:
 * @conn: a connection
 * @npages: the number of page sizes in @pages
 * @pages: the page sizes, in KiB
 * @startCell: the first NUMA cell, -1 for the whole host
 * @cellCount: how many cells from @startCell
 * @counts: where the free page counts go, @npages per cell, cell after cell
 *          (room for @npages * @cellCount)
 * @flags: 0
 *
 * The free pages of each size in NUMA cells @startCell onwards. The QEMU
 * driver reads the kernel's huge page pools (free_hugepages under
 * /sys/devices/system/node/node<N>/hugepages, /sys/kernel/mm/hugepages for
 * cell -1) and, for the system page size, the cell's free memory; cells
 * past the host's last are left out, a start past it is
 * VIR_ERR_INTERNAL_ERROR, a size the kernel has no pool of
 * VIR_ERR_OPERATION_FAILED. The test driver makes up counts (as libvirt's).
 *
 * Returns the number of entries filled in @counts (0 from the test
 * driver, as libvirt's), or -1 on error.
 */
int
virNodeGetFreePages(virConnectPtr conn, unsigned int npages, unsigned int *pages,
                    int startCell, unsigned int cellCount, unsigned long long *counts,
                    unsigned int flags)
{
    VIR_ENTRY_CONNECT(-1);
    virCheckNonZeroArgGoto(npages, error);
    virCheckNonNullArgGoto(pages, error);
    virCheckNonZeroArgGoto(cellCount, error);
    virCheckNonNullArgGoto(counts, error);
    if (cellCount > INT_MAX / npages) {
        virReportError(VIR_ERR_OVERFLOW, "%s", "size value too large");
        goto error;
    }
    VIR_ENTRY_CALL(driver, nodeGetFreePages, conn, npages, pages, startCell, cellCount,
                   counts, flags);
}

/**
 * virNodeAllocPages:
 * @conn: a read-write connection
 * @npages: the number of page sizes in @pageSizes and @pageCounts
 * @pageSizes: the page sizes, in KiB
 * @pageCounts: the pool size (or, without VIR_NODE_ALLOC_PAGES_SET, the
 *              pages to add) for each size
 * @startCell: the first NUMA cell, -1 for the whole host
 * @cellCount: how many cells from @startCell
 * @flags: VIR_NODE_ALLOC_PAGES_SET to set the pools' sizes rather than
 *         grow them
 *
 * Sizes the kernel's huge page pools (nr_hugepages), then reads each back:
 * a pool the kernel could not fill is VIR_ERR_OPERATION_FAILED ("Unable
 * to allocate N pages. Allocated only M") and the pools after it are left
 * alone. The system page size's pool cannot be sized
 * (VIR_ERR_OPERATION_UNSUPPORTED). Only the QEMU driver has it; the test
 * driver answers VIR_ERR_NO_SUPPORT (as libvirt's).
 *
 * Returns the number of pools handled, or -1 on error.
 */
int
virNodeAllocPages(virConnectPtr conn, unsigned int npages, unsigned int *pageSizes,
                  unsigned long long *pageCounts, int startCell, unsigned int cellCount,
                  unsigned int flags)
{
    VIR_ENTRY_CONNECT(-1);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonZeroArgGoto(npages, error);
    virCheckNonNullArgGoto(pageSizes, error);
    virCheckNonNullArgGoto(pageCounts, error);
    virCheckNonZeroArgGoto(cellCount, error);
    VIR_ENTRY_CALL(driver, nodeAllocPages, conn, npages, pageSizes, pageCounts, startCell,
                   cellCount, flags);
}
