/* remote_driver_change.c: remote driver entry points that change a guest's definition (rename) */
/*
 * Threads: each entry point is one blocking call from the API thread (see
 * remote_driver.c for the connection's thread protocol).
 */
#define G_LOG_DOMAIN "virtkit.remote"

#include "remote_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

/* libvirt's remote driver also gives the caller's handle the new name;
 * virtkit's handles keep their name in the same allocation (datatypes.h),
 * so the handle keeps the old one, as with libvirt's own test and QEMU
 * drivers in-process: it still finds the domain by UUID. */
int
remoteDomainRename(virDomainPtr dom, const char *new_name, unsigned int flags)
{
    remote_domain_rename_args args = { .new_name = (char *)new_name, .flags = flags };
    remote_domain_rename_ret ret = { 0 };

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainRename(dom->conn, &args, &ret) < 0)
        return -1;
    return ret.retcode;
}
