/* libvirt-domain-live.c: public entry points that change a guest while it runs (memory balloon, NMI) */
#define G_LOG_DOMAIN "virtkit.api"

#include <limits.h>

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/*
 * Contracts below, as libvirt 9.0's libvirt-domain.c: the common checks
 * (invalid domain VIR_ERR_INVALID_DOMAIN, a driver without the call
 * VIR_ERR_NO_SUPPORT), read-only connections refused (OPERATION_DENIED),
 * every failure dispatched once.
 */

/* libvirt's checks of a memory size: not zero, and below
 * virMemoryMaxValue(true) (LLONG_MAX bytes) in KiB. */
static int
checkMemory(const char *funcname, unsigned long memory)
{
    if (memory == 0) {
        virAPIReportInvalidArg(VIR_FROM_THIS, funcname, "memory",
                               "memory in %s must not be zero", funcname);
        return -1;
    }
    if ((unsigned long long)memory >= (unsigned long long)LLONG_MAX / 1024) {
        virReportError(VIR_ERR_OVERFLOW, "input too large: %lu", memory);
        return -1;
    }
    return 0;
}

/* The body of the three memory calls. */
static int
setMemory(const char *funcname, virDomainPtr domain, unsigned long memory,
          unsigned int flags)
{
    virConnectPtr conn = domain->conn;

    if (conn->flags & VIR_CONNECT_RO) {
        virReportError(VIR_ERR_OPERATION_DENIED, "read only access prevents %s",
                       funcname);
        goto error;
    }
    if (checkMemory(funcname, memory) < 0)
        goto error;
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        virAPIReportInvalidArg(VIR_FROM_THIS, funcname, "flags",
                               "Flags '%s' and '%s' are mutually exclusive",
                               "VIR_DOMAIN_AFFECT_LIVE", "VIR_DOMAIN_AFFECT_CONFIG");
        goto error;
    }
    if (conn->driver->domainSetMemoryFlags) {
        if (conn->driver->domainSetMemoryFlags(domain, memory, flags) < 0)
            goto error;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}

/**
 * virDomainSetMaxMemory:
 * @domain: a domain handle
 * @memory: the new maximum memory in KiB
 *
 * Changes the maximum memory of @domain's persistent definition (the
 * running guest's cannot change); a current allocation above it is
 * lowered to it. As virDomainSetMemoryFlags(@domain, @memory,
 * VIR_DOMAIN_MEM_MAXIMUM).
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG
 * for 0, VIR_ERR_OVERFLOW for a size beyond LLONG_MAX bytes,
 * VIR_ERR_OPERATION_INVALID "cannot resize the maximum memory on an
 * active domain".
 */
int
virDomainSetMaxMemory(virDomainPtr domain, unsigned long memory)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return setMemory(__func__, domain, memory, VIR_DOMAIN_MEM_MAXIMUM);
}

/**
 * virDomainSetMemory:
 * @domain: a domain handle
 * @memory: the new memory allocation in KiB
 *
 * Changes the memory of the running @domain through its balloon: the
 * guest's balloon driver gives memory back to the host down to @memory
 * (or takes it back up to the maximum). As virDomainSetMemoryFlags(
 * @domain, @memory, VIR_DOMAIN_AFFECT_LIVE).
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG
 * for 0 or "cannot set memory higher than max memory", VIR_ERR_OVERFLOW,
 * VIR_ERR_OPERATION_INVALID for an inactive domain.
 */
int
virDomainSetMemory(virDomainPtr domain, unsigned long memory)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return setMemory(__func__, domain, memory, VIR_DOMAIN_AFFECT_LIVE);
}

/**
 * virDomainSetMemoryFlags:
 * @domain: a domain handle
 * @memory: the new memory in KiB
 * @flags: bitwise-OR of virDomainMemoryModFlags
 *
 * Changes @domain's current memory (the balloon target) or, with
 * VIR_DOMAIN_MEM_MAXIMUM, its maximum, in the running guest
 * (VIR_DOMAIN_AFFECT_LIVE) and/or the persistent definition
 * (VIR_DOMAIN_AFFECT_CONFIG); VIR_DOMAIN_AFFECT_CURRENT (0) means the
 * running guest when there is one, else the definition.
 *
 * Returns 0 in case of success and -1 in case of error: those of
 * virDomainSetMemory and virDomainSetMaxMemory, VIR_ERR_INVALID_ARG for
 * both LIVE and CONFIG or a flag the driver does not know.
 */
int
virDomainSetMemoryFlags(virDomainPtr domain, unsigned long memory, unsigned int flags)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return setMemory(__func__, domain, memory, flags);
}

/**
 * virDomainInjectNMI:
 * @domain: a domain handle
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Sends a non-maskable interrupt to the running guest (QMP inject-nmi);
 * a Linux guest logs it, or panics when told to.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection,
 * VIR_ERR_OPERATION_INVALID for an inactive domain.
 */
int
virDomainInjectNMI(virDomainPtr domain, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_ZERO(driver, domainInjectNMI, domain, flags);
}
