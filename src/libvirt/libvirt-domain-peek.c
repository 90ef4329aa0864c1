/* libvirt-domain-peek.c: public entry points that read raw bytes of a guest: of a disk's image, of its memory */
#define G_LOG_DOMAIN "virtkit.api"

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/*
 * Contracts below, as libvirt 9.0's libvirt-domain.c. Over the remote
 * protocol a peek carries at most REMOTE_DOMAIN_BLOCK_PEEK_BUFFER_MAX /
 * REMOTE_DOMAIN_MEMORY_PEEK_BUFFER_MAX bytes (4 MiB each): a larger @size
 * is refused by the client (VIR_ERR_RPC) before anything is sent.
 */

/**
 * virDomainBlockPeek:
 * @dom: a domain handle
 * @disk: the disk: its target ("vda") or its source path, as the domain
 *        XML names them
 * @offset: byte offset into the disk's image
 * @size: how many bytes to read
 * @buffer: the caller's buffer of at least @size bytes (may be NULL when
 *          @size is 0)
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Reads @size bytes at @offset of the image behind @disk, as the host
 * sees the file (guest writes still in QEMU's caches may not be there).
 * The QEMU driver reads only raw images of local files or block
 * devices, running or not; its read needs a @size above 0. libvirt's test
 * driver does not have this call. @buffer is written only on success.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones
 * (VIR_ERR_NO_SUPPORT for a driver without it), VIR_ERR_OPERATION_DENIED
 * on a read-only connection, VIR_ERR_INVALID_ARG for a NULL or empty
 * @disk, a NULL @buffer with @size > 0, a disk the domain does not have
 * ("disk '%s' not found in domain") or a range past the image's end
 * ("'%s' starting from %llu has only %zd bytes available"),
 * VIR_ERR_OPERATION_UNSUPPORTED for an image that is not raw,
 * VIR_ERR_SYSTEM_ERROR when the image cannot be opened or read,
 * VIR_ERR_RPC for a @size above the remote protocol's limit.
 */
int
virDomainBlockPeek(virDomainPtr dom, const char *disk, unsigned long long offset,
                   size_t size, void *buffer, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(disk, error);
    if (!*disk) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "disk",
                               "string %s in %s must not be empty", "disk", __func__);
        goto error;
    }
    if (size > 0)
        virCheckNonNullArgGoto(buffer, error);
    VIR_ENTRY_CALL(driver, domainBlockPeek, dom, disk, offset, size, buffer, flags);
}

/**
 * virDomainMemoryPeek:
 * @dom: a domain handle
 * @start: the guest address of the first byte
 * @size: how many bytes to read
 * @buffer: the caller's buffer of at least @size bytes (may be NULL when
 *          @size is 0)
 * @flags: exactly one of VIR_MEMORY_VIRTUAL (@start is a virtual address
 *         of the guest's first vCPU, translated by its current page
 *         tables) and VIR_MEMORY_PHYSICAL (a guest physical address)
 *
 * Reads @size bytes of the running guest's memory (the QEMU driver asks
 * QEMU, memsave or pmemsave, through a temporary file it removes).
 * libvirt's test driver fills @buffer with the bytes @start, @start+1, ...
 * (modulo 256). @buffer is written only on success.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones
 * (VIR_ERR_NO_SUPPORT for a driver without it), VIR_ERR_OPERATION_DENIED
 * on a read-only connection, VIR_ERR_INVALID_ARG for both flags, neither
 * ("flags parameter must be VIR_MEMORY_VIRTUAL or VIR_MEMORY_PHYSICAL"),
 * an unknown flag or a NULL @buffer with @size > 0,
 * VIR_ERR_OPERATION_INVALID when @dom is not running,
 * VIR_ERR_INTERNAL_ERROR with QEMU's message for an address it cannot
 * read, VIR_ERR_RPC for a @size above the remote protocol's limit.
 */
int
virDomainMemoryPeek(virDomainPtr dom, unsigned long long start, size_t size, void *buffer,
                    unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    virCheckReadOnlyGoto(conn, error);
    if ((flags & VIR_MEMORY_VIRTUAL) && (flags & VIR_MEMORY_PHYSICAL)) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "flags",
                               "Flags '%s' and '%s' are mutually exclusive",
                               "VIR_MEMORY_VIRTUAL", "VIR_MEMORY_PHYSICAL");
        goto error;
    }
    if (size > 0)
        virCheckNonNullArgGoto(buffer, error);
    VIR_ENTRY_CALL(driver, domainMemoryPeek, dom, start, size, buffer, flags);
}
