/* libvirt-domain-change.c: public entry points that change a guest's definition or devices (metadata, rename, vCPUs, block size) */
#define G_LOG_DOMAIN "virtkit.api"

#include <string.h>

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/*
 * Contracts below, as libvirt 9.0's libvirt-domain.c: the common checks
 * (invalid domain VIR_ERR_INVALID_DOMAIN, a driver without the call
 * VIR_ERR_NO_SUPPORT), read-only connections refused (OPERATION_DENIED)
 * except for the queries, every failure dispatched once.
 */

/* libvirt's VIR_EXCLUSIVE_FLAGS_GOTO / VIR_REQUIRE_FLAG_GOTO texts */
static int
checkExclusive(const char *funcname, unsigned int flags, unsigned int a, const char *an,
               unsigned int b, const char *bn)
{
    if ((flags & a) && (flags & b)) {
        virAPIReportInvalidArg(VIR_FROM_THIS, funcname, "flags",
                               "Flags '%s' and '%s' are mutually exclusive", an, bn);
        return -1;
    }
    return 0;
}

/**
 * virDomainSetMetadata:
 * @domain: a domain handle
 * @type: a virDomainMetadataType
 * @metadata: the new text (DESCRIPTION, TITLE: NULL or "" removes it) or
 *            one XML element (ELEMENT: NULL removes the namespace's)
 * @key: the XML prefix for ELEMENT (an NCName), NULL otherwise
 * @uri: the XML namespace for ELEMENT, NULL otherwise
 * @flags: bitwise-OR of virDomainModificationImpact
 *
 * Sets @domain's description, title or an application's element under
 * <metadata> (every element of namespace @uri is replaced), in the live
 * definition (VIR_DOMAIN_AFFECT_LIVE, the domain must run), the
 * persistent one (VIR_DOMAIN_AFFECT_CONFIG), or both; CURRENT (0) means
 * the live one of a running domain, else the persistent one. A
 * VIR_DOMAIN_EVENT_ID_METADATA_CHANGE event follows a change.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG
 * for a title with a newline, @key/@uri given (or missing) against
 * @type, an unknown @type; VIR_ERR_XML_DETAIL for @metadata that does
 * not parse, VIR_ERR_INTERNAL_ERROR for a @key that is no XML prefix,
 * VIR_ERR_OPERATION_INVALID for LIVE on an inactive domain or CONFIG on
 * a transient one. Nothing changes on failure.
 */
int
virDomainSetMetadata(virDomainPtr domain, int type, const char *metadata, const char *key,
                     const char *uri, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);

    switch (type) {
    case VIR_DOMAIN_METADATA_TITLE:
        if (metadata && strchr(metadata, '\n')) {
            virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "metadata", "%s",
                                   "metadata title can't contain newlines");
            goto error;
        }
        G_GNUC_FALLTHROUGH;
    case VIR_DOMAIN_METADATA_DESCRIPTION:
        if (uri) {
            virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "uri",
                                   "%s in %s must be NULL", "uri", __func__);
            goto error;
        }
        if (key) {
            virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "key",
                                   "%s in %s must be NULL", "key", __func__);
            goto error;
        }
        break;
    case VIR_DOMAIN_METADATA_ELEMENT:
        virCheckNonNullArgGoto(uri, error);
        if (metadata)
            virCheckNonNullArgGoto(key, error);
        break;
    default:
        /* for future expansion: the driver refuses what it does not know */
        break;
    }

    VIR_ENTRY_CALL_ZERO(driver, domainSetMetadata, domain, type, metadata, key, uri,
                        flags);
}

/**
 * virDomainGetMetadata:
 * @domain: a domain handle
 * @type: a virDomainMetadataType
 * @uri: the XML namespace for ELEMENT, NULL otherwise
 * @flags: VIR_DOMAIN_AFFECT_LIVE or VIR_DOMAIN_AFFECT_CONFIG (not both),
 *         or 0 for the current definition
 *
 * Returns @domain's description, title, or its <metadata> element of
 * namespace @uri formatted without that namespace, as a new string the
 * caller frees; NULL on error: the common ones, VIR_ERR_INVALID_ARG for
 * both flags, @uri given (or missing) against @type, an unknown @type;
 * VIR_ERR_NO_DOMAIN_METADATA when there is none; OPERATION_INVALID for
 * LIVE on an inactive domain. Allowed on read-only connections.
 */
char *
virDomainGetMetadata(virDomainPtr domain, int type, const char *uri, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, NULL), domain->conn);
    if (checkExclusive(__func__, flags, VIR_DOMAIN_AFFECT_LIVE, "VIR_DOMAIN_AFFECT_LIVE",
                       VIR_DOMAIN_AFFECT_CONFIG, "VIR_DOMAIN_AFFECT_CONFIG") < 0)
        goto error;
    switch (type) {
    case VIR_DOMAIN_METADATA_TITLE:
    case VIR_DOMAIN_METADATA_DESCRIPTION:
        if (uri) {
            virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "uri",
                                   "%s in %s must be NULL", "uri", __func__);
            goto error;
        }
        break;
    case VIR_DOMAIN_METADATA_ELEMENT:
        virCheckNonNullArgGoto(uri, error);
        break;
    default:
        break;
    }

    VIR_ENTRY_CALL_PTR(driver, domainGetMetadata, domain, type, uri, flags);
}

/**
 * virDomainRename:
 * @dom: a domain handle
 * @new_name: the new name
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Renames the inactive persistent domain @dom (its definition is stored
 * under the new name; the UUID stays). Emits UNDEFINED/RENAMED for the
 * old name, then DEFINED/RENAMED for the new one.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL or empty @new_name, OPERATION_DENIED on
 * a read-only connection, VIR_ERR_OPERATION_INVALID for an active or
 * transient domain, the same name, or a name another domain has,
 * VIR_ERR_XML_ERROR for a name with '/'. Nothing changes on failure.
 */
int
virDomainRename(virDomainPtr dom, const char *new_name, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    virCheckNonNullArgGoto(new_name, error);
    if (!*new_name) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "new_name",
                               "string %s in %s must not be empty", "new_name", __func__);
        goto error;
    }
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_ZERO(driver, domainRename, dom, new_name, flags);
}

static int
setVcpus(const char *funcname, virDomainPtr domain, unsigned int nvcpus,
         unsigned int flags)
{
    virConnectPtr conn = domain->conn;

    if (conn->flags & VIR_CONNECT_RO) {
        virReportError(VIR_ERR_OPERATION_DENIED, "read only access prevents %s",
                       funcname);
        goto error;
    }
    if ((flags & VIR_DOMAIN_VCPU_MAXIMUM) && !(flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        virAPIReportInvalidArg(VIR_FROM_THIS, funcname, "flags",
                               "Flag '%s' is required by flag '%s'",
                               "VIR_DOMAIN_AFFECT_CONFIG", "VIR_DOMAIN_VCPU_MAXIMUM");
        goto error;
    }
    if (checkExclusive(funcname, flags, VIR_DOMAIN_VCPU_GUEST, "VIR_DOMAIN_VCPU_GUEST",
                       VIR_DOMAIN_AFFECT_CONFIG, "VIR_DOMAIN_AFFECT_CONFIG") < 0)
        goto error;
    if (nvcpus == 0) {
        virAPIReportInvalidArg(VIR_FROM_THIS, funcname, "nvcpus",
                               "%s in %s must not be zero", "nvcpus", funcname);
        goto error;
    }
    if (conn->driver->domainSetVcpusFlags) {
        if (conn->driver->domainSetVcpusFlags(domain, nvcpus, flags) < 0)
            goto error;
        return 0;
    }
    virReportError(VIR_ERR_NO_SUPPORT, "%s", funcname);
error:
    virDispatchError(conn);
    return -1;
}

/**
 * virDomainSetVcpus:
 * @domain: a domain handle
 * @nvcpus: the new number of vCPUs
 *
 * Changes the number of vCPUs of the running @domain (hotplug or unplug
 * up to its maximum), as virDomainSetVcpusFlags(@domain, @nvcpus,
 * VIR_DOMAIN_AFFECT_LIVE).
 *
 * Returns 0 in case of success and -1 in case of error: those of
 * virDomainSetVcpusFlags.
 */
int
virDomainSetVcpus(virDomainPtr domain, unsigned int nvcpus)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return setVcpus(__func__, domain, nvcpus, VIR_DOMAIN_AFFECT_LIVE);
}

/**
 * virDomainSetVcpusFlags:
 * @domain: a domain handle
 * @nvcpus: the new number of vCPUs
 * @flags: bitwise-OR of virDomainVcpuFlags
 *
 * Changes the current number of vCPUs of the running guest
 * (VIR_DOMAIN_AFFECT_LIVE: hotplug, or with VIR_DOMAIN_VCPU_GUEST the
 * guest agent's online vCPUs) and/or of the persistent definition
 * (VIR_DOMAIN_AFFECT_CONFIG: <vcpu current=...>); with
 * VIR_DOMAIN_VCPU_MAXIMUM (needs CONFIG) the maximum of the definition.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG for 0,
 * MAXIMUM without CONFIG, GUEST with CONFIG, more than the maximum;
 * OPERATION_INVALID for LIVE on an inactive domain, OPERATION_UNSUPPORTED
 * where the hypervisor cannot hotplug, AGENT_UNRESPONSIVE for GUEST
 * without an agent.
 */
int
virDomainSetVcpusFlags(virDomainPtr domain, unsigned int nvcpus, unsigned int flags)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return setVcpus(__func__, domain, nvcpus, flags);
}

/**
 * virDomainSetVcpu:
 * @domain: a domain handle
 * @vcpumap: the vCPU ids to change, a cpu list ("2", "1-3,^2")
 * @state: 1 to enable them, 0 to disable them
 * @flags: bitwise-OR of virDomainModificationImpact
 *
 * Enables or disables individual vCPUs in the hypervisor: live (the
 * running guest's vCPU is plugged or unplugged; one at a time, the way
 * the hypervisor plugs them) and/or in the persistent definition (its
 * <vcpus> element: each vCPU enabled or not, and hotpluggable). vCPU 0
 * cannot be changed; the vCPUs online at boot that are not hotpluggable
 * cannot be unplugged.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG for a
 * NULL or malformed @vcpumap, an empty one, a vCPU beyond the maximum or
 * already in the requested state, a @state other than 0 or 1;
 * OPERATION_UNSUPPORTED for more than one vCPU live; OPERATION_INVALID for
 * LIVE on an inactive domain; OPERATION_TIMEOUT when the guest does not
 * let an unplugged vCPU go.
 */
int
virDomainSetVcpu(virDomainPtr domain, const char *vcpumap, int state, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(vcpumap, error);

    VIR_ENTRY_CALL_ZERO(driver, domainSetVcpu, domain, vcpumap, state, flags);
}

/**
 * virDomainBlockResize:
 * @dom: a domain handle
 * @disk: the disk's target name ("vda") or its source path
 * @size: the new size, in KiB (bytes with VIR_DOMAIN_BLOCK_RESIZE_BYTES)
 * @flags: bitwise-OR of virDomainBlockResizeFlags
 *
 * Grows (or shrinks) the image behind a disk of the running @dom: the
 * guest sees the new capacity.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG for a
 * NULL @disk or a disk the domain lacks, OPERATION_INVALID for an
 * inactive domain.
 */
int
virDomainBlockResize(virDomainPtr dom, const char *disk, unsigned long long size,
                     unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(disk, error);

    VIR_ENTRY_CALL_ZERO(driver, domainBlockResize, dom, disk, size, flags);
}

/* The body of the attach/detach calls: libvirt's checks, then the driver's
 * Flags entry (the calls without flags are AFFECT_LIVE, as libvirt's
 * drivers implement them). */
static int
deviceCall(const char *funcname, virDomainPtr domain, const char *xml, unsigned int flags,
           int (*call)(virDomainPtr, const char *, unsigned int))
{
    virConnectPtr conn = domain->conn;

    if (!xml) {
        virAPIReportInvalidArg(VIR_FROM_THIS, funcname, "xml",
                               "%s in %s must not be NULL", "xml", funcname);
        goto error;
    }
    if (conn->flags & VIR_CONNECT_RO) {
        virReportError(VIR_ERR_OPERATION_DENIED, "read only access prevents %s",
                       funcname);
        goto error;
    }
    if (call) {
        if (call(domain, xml, flags) < 0)
            goto error;
        return 0;
    }
    virReportError(VIR_ERR_NO_SUPPORT, "%s", funcname);
error:
    virDispatchError(conn);
    return -1;
}

/**
 * virDomainAttachDevice:
 * @domain: a domain handle
 * @xml: the device's XML (<disk>, <interface>, ...)
 *
 * Hotplugs a device into the running @domain, as
 * virDomainAttachDeviceFlags(@domain, @xml, VIR_DOMAIN_AFFECT_LIVE).
 *
 * Returns 0 in case of success and -1 in case of error: those of
 * virDomainAttachDeviceFlags.
 */
int
virDomainAttachDevice(virDomainPtr domain, const char *xml)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return deviceCall(__func__, domain, xml, VIR_DOMAIN_AFFECT_LIVE,
                      domain->conn->driver->domainAttachDeviceFlags);
}

/**
 * virDomainAttachDeviceFlags:
 * @domain: a domain handle
 * @xml: the device's XML (<disk>, <interface>, ...)
 * @flags: bitwise-OR of virDomainDeviceModifyFlags
 *
 * Adds a device to the running guest (VIR_DOMAIN_AFFECT_LIVE: QEMU gets it
 * and the guest sees it; a DEVICE_ADDED event follows) and/or to the
 * persistent definition (VIR_DOMAIN_AFFECT_CONFIG); CURRENT (0) means the
 * running guest when there is one, else the definition. Both or neither:
 * a failed hotplug leaves the definition and QEMU as they were.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @xml, OPERATION_DENIED on a read-only
 * connection, the XML errors of the domain parser, OPERATION_INVALID for
 * LIVE on an inactive domain or CONFIG on a transient one, a target that
 * exists already; OPERATION_UNSUPPORTED for a device (or bus) that cannot
 * be hotplugged; QEMU's refusal as OPERATION_FAILED / INTERNAL_ERROR.
 */
int
virDomainAttachDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return deviceCall(__func__, domain, xml, flags,
                      domain->conn->driver->domainAttachDeviceFlags);
}

/**
 * virDomainDetachDevice:
 * @domain: a domain handle
 * @xml: the device's XML (enough of it to name it, e.g. its <target>)
 *
 * Unplugs a device from the running @domain, as
 * virDomainDetachDeviceFlags(@domain, @xml, VIR_DOMAIN_AFFECT_LIVE).
 *
 * Returns 0 in case of success and -1 in case of error: those of
 * virDomainDetachDeviceFlags.
 */
int
virDomainDetachDevice(virDomainPtr domain, const char *xml)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return deviceCall(__func__, domain, xml, VIR_DOMAIN_AFFECT_LIVE,
                      domain->conn->driver->domainDetachDeviceFlags);
}

/**
 * virDomainDetachDeviceFlags:
 * @domain: a domain handle
 * @xml: the device's XML (enough of it to name it, e.g. its <target>)
 * @flags: bitwise-OR of virDomainDeviceModifyFlags
 *
 * Removes a device from the running guest (VIR_DOMAIN_AFFECT_LIVE: the
 * guest is asked to release it, QEMU's DEVICE_DELETED is waited for, then
 * its block nodes go and a DEVICE_REMOVED event follows) and/or from the
 * persistent definition (VIR_DOMAIN_AFFECT_CONFIG).
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @xml, OPERATION_DENIED on a read-only
 * connection, VIR_ERR_DEVICE_MISSING for a device the domain lacks,
 * OPERATION_INVALID for LIVE on an inactive domain, OPERATION_TIMEOUT when
 * the guest does not release the device.
 */
int
virDomainDetachDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return deviceCall(__func__, domain, xml, flags,
                      domain->conn->driver->domainDetachDeviceFlags);
}

/**
 * virDomainUpdateDeviceFlags:
 * @domain: a domain handle
 * @xml: the device's new XML (<disk> or <interface>, naming an existing
 *       one: a disk by its target, an interface by its MAC)
 * @flags: bitwise-OR of virDomainDeviceModifyFlags
 *
 * Changes a device of the running guest (VIR_DOMAIN_AFFECT_LIVE) and/or of
 * the persistent definition (VIR_DOMAIN_AFFECT_CONFIG): a CD-ROM's medium
 * (inserted, changed or ejected; VIR_DOMAIN_DEVICE_MODIFY_FORCE opens a
 * tray the guest has locked), an interface's link state or its network or
 * bridge. In the definition the device is replaced as given.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @xml, OPERATION_DENIED on a read-only
 * connection, the XML errors of the domain parser, OPERATION_INVALID for
 * LIVE on an inactive domain; a device the domain lacks (DEVICE_MISSING
 * for an interface, INVALID_ARG "target X doesn't exist." for a disk of
 * the definition); OPERATION_UNSUPPORTED for what cannot change on a
 * running guest ("disk source can be changed only in removable drives",
 * "cannot modify network device model from A to B", ...).
 */
int
virDomainUpdateDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return deviceCall(__func__, domain, xml, flags,
                      domain->conn->driver->domainUpdateDeviceFlags);
}

/**
 * virDomainDetachDeviceAlias:
 * @domain: a domain handle
 * @alias: the device's alias ("virtio-disk1", as the live XML shows)
 * @flags: bitwise-OR of virDomainDeviceModifyFlags
 *
 * As virDomainDetachDeviceFlags, the device named by its alias.
 *
 * Returns 0 in case of success and -1 in case of error: those of
 * virDomainDetachDeviceFlags (VIR_ERR_DEVICE_MISSING "no device found with
 * alias ...").
 */
int
virDomainDetachDeviceAlias(virDomainPtr domain, const char *alias, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckNonNullArgGoto(alias, error);
    virCheckReadOnlyGoto(conn, error);
    VIR_ENTRY_CALL_ZERO(driver, domainDetachDeviceAlias, domain, alias, flags);
}
