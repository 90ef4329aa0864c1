/* libvirt-host-query.c: public entry points of the host queries (free memory, CPU map, sysinfo) */
#define G_LOG_DOMAIN "virtkit.api"

#include "libvirt_internal.h"

/* libvirt reports the connection-level entry points in VIR_FROM_NONE. */
#define VIR_FROM_THIS VIR_FROM_NONE

/**
 * virNodeGetFreeMemory:
 * @conn: a connection
 *
 * The host's free memory, in bytes: the test driver's cells (libvirt's
 * 3145728 on test:///default), the QEMU driver's /proc/meminfo MemFree.
 *
 * Returns the free memory in bytes, or 0 on error (0 is also what a host
 * with no free memory would say).
 */
unsigned long long
virNodeGetFreeMemory(virConnectPtr conn)
{
    unsigned long long ret;

    virResetLastError();
    virCheckConnectReturn(conn, 0);
    if (conn->driver->nodeGetFreeMemory) {
        if ((ret = conn->driver->nodeGetFreeMemory(conn)) == 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return 0;
}

/**
 * virNodeGetCellsFreeMemory:
 * @conn: a connection
 * @freeMems: where to store the free memory of each cell, in bytes
 * @startCell: the first NUMA cell
 * @maxCells: room in @freeMems
 *
 * The free memory of NUMA cells @startCell onwards, at most @maxCells.
 * A start past the last cell is VIR_ERR_INVALID_ARG ("Range exceeds
 * available cells" in the test driver, libvirt's "start cell N out of
 * range (0-M)" in the QEMU driver).
 *
 * Returns the number of cells filled, or -1 on error.
 */
int
virNodeGetCellsFreeMemory(virConnectPtr conn, unsigned long long *freeMems, int startCell,
                          int maxCells)
{
    VIR_ENTRY_CONNECT(-1);
    virCheckNonNullArgGoto(freeMems, error);
    if (maxCells <= 0) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "maxCells",
                               "maxCells in %s must be greater than zero", __func__);
        goto error;
    }
    virCheckNonNegativeArgGoto(startCell, error);
    VIR_ENTRY_CALL(driver, nodeGetCellsFreeMemory, conn, freeMems, startCell, maxCells);
}

/**
 * virConnectGetSysinfo:
 * @conn: a connection
 * @flags: 0
 *
 * The host's SMBIOS description as libvirt's <sysinfo type='smbios'> XML:
 * the test driver's fixed one; the QEMU driver's from dmidecode, or
 * VIR_ERR_CONFIG_UNSUPPORTED "Host SMBIOS information is not available"
 * where dmidecode cannot read it (as libvirt's).
 *
 * Returns the XML (free it), or NULL on error.
 */
char *
virConnectGetSysinfo(virConnectPtr conn, unsigned int flags)
{
    VIR_ENTRY_CONNECT(NULL);
    VIR_ENTRY_CALL_PTR(driver, connectGetSysinfo, conn, flags);
}
