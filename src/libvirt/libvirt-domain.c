/* libvirt-domain.c: public entry points for listing, looking up and driving domains */
#define G_LOG_DOMAIN "virtkit.api"

#include <string.h>

#include "libvirt_internal.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN


/*
 * Contracts below. Every entry point first resets the thread's last error.
 * Common to all of them: an invalid @conn fails with VIR_ERR_INVALID_CONN
 * (domain VIR_FROM_DOMAIN), an invalid domain handle with
 * VIR_ERR_INVALID_DOMAIN (VIR_FROM_DOM), a NULL required argument with
 * VIR_ERR_INVALID_ARG, a call the driver lacks with VIR_ERR_NO_SUPPORT,
 * a handle whose domain no longer exists with VIR_ERR_NO_DOMAIN, flags a
 * driver does not take with VIR_ERR_INVALID_ARG (domain of the driver:
 * VIR_FROM_TEST, VIR_FROM_QEMU); failures reach the error handlers once
 * (virDispatchError). Calls that change state fail on a read-only
 * connection with VIR_ERR_OPERATION_DENIED before reaching a driver.
 * Outputs are written only on success. QEMU driver calls that change a
 * domain take its job: VIR_ERR_OPERATION_TIMEOUT "cannot acquire state
 * change lock" after 30 s behind another such call, and QMP failures are
 * VIR_ERR_OPERATION_FAILED (no monitor), VIR_ERR_OPERATION_TIMEOUT, or
 * VIR_ERR_INTERNAL_ERROR "unable to execute QEMU command" with QEMU's
 * reason. On a remote connection the daemon's error comes back with
 * its code and domain; a broken transport is VIR_ERR_RPC.
 * Returned virDomainPtr handles are new references: release each with
 * virDomainFree. A handle names a domain (name, UUID, and its ID when it
 * was made); it does not follow the domain's state.
 */
/* ---- Listing ----------------------------------------------------------- */

/**
 * virConnectNumOfDomains:
 * @conn: a connection
 *
 * Counts the active (running, paused, ...) domains.
 *
 * Returns the count, or -1 in case of error (the common ones).
 */
int
virConnectNumOfDomains(virConnectPtr conn)
{
    VIR_ENTRY_CONNECT(-1);

    VIR_ENTRY_CALL(driver, connectNumOfDomains, conn);
}


/**
 * virConnectListDomains:
 * @conn: a connection
 * @ids: array of @maxids ints to fill (NULL only if @maxids is 0)
 * @maxids: size of @ids, zero or greater
 *
 * Stores the IDs of up to @maxids active domains, in the order the driver
 * holds them. Domains may start or stop between this and a count taken
 * earlier; virConnectListAllDomains avoids that race.
 *
 * Returns the number of IDs stored, or -1 in case of error: the common
 * ones, VIR_ERR_INVALID_ARG for a NULL @ids with @maxids > 0 or a
 * negative @maxids.
 */
int
virConnectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    VIR_ENTRY_CONNECT(-1);
    virCheckNonNullArrayArgGoto(ids, maxids, error);
    virCheckNonNegativeArgGoto(maxids, error);

    VIR_ENTRY_CALL(driver, connectListDomains, conn, ids, maxids);
}


/**
 * virConnectNumOfDefinedDomains:
 * @conn: a connection
 *
 * Counts the inactive (defined, shut off) domains.
 *
 * Returns the count, or -1 in case of error (the common ones).
 */
int
virConnectNumOfDefinedDomains(virConnectPtr conn)
{
    VIR_ENTRY_CONNECT(-1);

    VIR_ENTRY_CALL(driver, connectNumOfDefinedDomains, conn);
}


/**
 * virConnectListDefinedDomains:
 * @conn: a connection
 * @names: array of @maxnames pointers to fill (NULL only if @maxnames is 0)
 * @maxnames: size of @names, zero or greater
 *
 * Stores the names of up to @maxnames inactive domains. Each stored name
 * is newly allocated: the caller frees each with free(). Racy like
 * virConnectListDomains.
 *
 * Returns the number of names stored, or -1 in case of error: the common
 * ones, VIR_ERR_INVALID_ARG for a NULL @names with @maxnames > 0 or a
 * negative @maxnames.
 */
int
virConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    VIR_ENTRY_CONNECT(-1);
    virCheckNonNullArrayArgGoto(names, maxnames, error);
    virCheckNonNegativeArgGoto(maxnames, error);

    VIR_ENTRY_CALL(driver, connectListDefinedDomains, conn, names, maxnames);
}


/**
 * virConnectListAllDomains:
 * @conn: a connection
 * @domains: if not NULL, where to store a NULL-terminated array of new
 *           handles; set to NULL first, whatever the outcome
 * @flags: bitwise-OR of virConnectListAllDomainsFlags, 0 for all domains
 *
 * Lists the domains matching @flags in one consistent pass. The flags come
 * in groups (ACTIVE/INACTIVE, PERSISTENT/TRANSIENT, RUNNING/PAUSED/
 * SHUTOFF/OTHER, AUTOSTART/NO_AUTOSTART, MANAGEDSAVE/NO_MANAGEDSAVE,
 * HAS_SNAPSHOT/NO_SNAPSHOT, HAS_CHECKPOINT/NO_CHECKPOINT): a domain
 * matches a group if it matches any flag set in it, and must match every
 * group used. virtkit has no checkpoints, so HAS_CHECKPOINT alone
 * matches nothing.
 *
 * Returns the number of domains (and of handles in *@domains), or -1 in
 * case of error: the common ones, VIR_ERR_INVALID_ARG for unknown flag
 * bits. The caller releases each handle with virDomainFree and the array
 * with free().
 */
int
virConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    virResetLastError();
    if (domains)
        *domains = NULL;
    virCheckConnectReturn(conn, -1);

    VIR_ENTRY_CALL(driver, connectListAllDomains, conn, domains, flags);
}


/* ---- Lookups and creation (they return a new handle) ------------------- */

/**
 * virDomainLookupByID:
 * @conn: a connection
 * @id: the ID of an active domain, zero or greater
 *
 * Finds the active domain with this ID (IDs are given at start and not
 * reused while the process lives).
 *
 * Returns a new handle (release it with virDomainFree), or NULL in case of
 * error: the common ones, VIR_ERR_INVALID_ARG for a negative @id,
 * VIR_ERR_NO_DOMAIN if no active domain has this ID.
 */
virDomainPtr
virDomainLookupByID(virConnectPtr conn, int id)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckNonNegativeArgGoto(id, error);

    VIR_ENTRY_CALL_PTR(driver, domainLookupByID, conn, id);
}


/**
 * virDomainLookupByName:
 * @conn: a connection
 * @name: the domain's name (exact, case-sensitive)
 *
 * Finds the domain, active or not, with this name.
 *
 * Returns a new handle (release it with virDomainFree), or NULL in case of
 * error: the common ones, VIR_ERR_NO_DOMAIN if there is none.
 */
virDomainPtr
virDomainLookupByName(virConnectPtr conn, const char *name)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckNonNullArgGoto(name, error);

    VIR_ENTRY_CALL_PTR(driver, domainLookupByName, conn, name);
}


/**
 * virDomainLookupByUUID:
 * @conn: a connection
 * @uuid: the domain's UUID, VIR_UUID_BUFLEN (16) raw bytes
 *
 * Finds the domain, active or not, with this UUID.
 *
 * Returns a new handle (release it with virDomainFree), or NULL in case of
 * error: the common ones, VIR_ERR_NO_DOMAIN if there is none.
 */
virDomainPtr
virDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckNonNullArgGoto(uuid, error);

    VIR_ENTRY_CALL_PTR(driver, domainLookupByUUID, conn, uuid);
}


/**
 * virDomainLookupByUUIDString:
 * @conn: a connection
 * @uuidstr: the domain's UUID as 32 hex digits; dashes between digit
 *           pairs and surrounding white space are ignored
 *
 * As virDomainLookupByUUID, from the printable form.
 *
 * Returns a new handle (release it with virDomainFree), or NULL in case of
 * error: the common ones, VIR_ERR_INVALID_ARG "Invalid UUID" if @uuidstr
 * does not parse, VIR_ERR_NO_DOMAIN if there is no such domain.
 */
virDomainPtr
virDomainLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];
    virDomainPtr ret;

    virResetLastError();
    virCheckConnectReturn(conn, NULL);
    virCheckNonNullArgGoto(uuidstr, error);

    if (virUUIDParse(uuidstr, uuid) < 0) {
        /* libvirt 9.0's wording */
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "uuidstr", "%s", "Invalid UUID");
        goto error;
    }

    if (conn->driver->domainLookupByUUID) {
        if (!(ret = conn->driver->domainLookupByUUID(conn, uuid)))
            goto error;
        return ret;
    }
    virReportError(VIR_ERR_NO_SUPPORT, "%s", "virDomainLookupByUUID");
error:
    virDispatchError(conn);
    return NULL;
}


static virDomainPtr
virDomainDefineXMLInternal(virConnectPtr conn, const char *xml, unsigned int flags,
                           const char *funcname)
{
    virDomainPtr ret;

    if (conn->flags & VIR_CONNECT_RO) {
        virReportError(VIR_ERR_OPERATION_DENIED, "read only access prevents %s",
                       funcname);
        goto error;
    }
    if (!xml) {
        virAPIReportInvalidArg(VIR_FROM_THIS, funcname, "xml",
                               "xml in %s must not be NULL", funcname);
        goto error;
    }

    if (conn->driver->domainDefineXMLFlags) {
        if (!(ret = conn->driver->domainDefineXMLFlags(conn, xml, flags)))
            goto error;
        return ret;
    }
    virReportError(VIR_ERR_NO_SUPPORT, "%s", funcname);
error:
    virDispatchError(conn);
    return NULL;
}


/**
 * virDomainDefineXML:
 * @conn: a connection
 * @xml: a <domain> definition
 *
 * Defines a persistent domain, or replaces the persistent definition of
 * the domain with the same name and UUID; a running domain keeps running
 * its current definition and gets the new one at its next start. Queues
 * a DEFINED event (ADDED or UPDATED). Nothing starts. The QEMU driver
 * writes the definition to its config directory before it counts as
 * defined (a failed write changes nothing), and reads a per-domain
 * destroy grace period from its virtkit <metadata> (see virDomainDestroy).
 *
 * Returns a new handle (release it with virDomainFree), or NULL in case of
 * error: the common ones; XML errors (VIR_ERR_XML_ERROR, XML_DETAIL,
 * VIR_ERR_CONFIG_UNSUPPORTED for what the driver cannot run);
 * VIR_ERR_OPERATION_FAILED if the name or UUID belongs to another domain;
 * VIR_ERR_SYSTEM_ERROR if the QEMU driver cannot write it.
 */
virDomainPtr
virDomainDefineXML(virConnectPtr conn, const char *xml)
{
    virResetLastError();
    virCheckConnectReturn(conn, NULL);
    return virDomainDefineXMLInternal(conn, xml, 0, __func__);
}


/**
 * virDomainDefineXMLFlags:
 * @conn: a connection
 * @xml: a <domain> definition
 * @flags: 0 or VIR_DOMAIN_DEFINE_VALIDATE (check @xml against the schema)
 *
 * As virDomainDefineXML, with @flags.
 *
 * Returns a new handle (release it with virDomainFree), or NULL in case of
 * error (those of virDomainDefineXML; VIR_ERR_INVALID_ARG for other flags).
 */
virDomainPtr
virDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    virResetLastError();
    virCheckConnectReturn(conn, NULL);
    return virDomainDefineXMLInternal(conn, xml, flags, __func__);
}


/**
 * virConnectDomainXMLFromNative:
 * @conn: a connection
 * @nativeFormat: the format of @nativeConfig
 * @nativeConfig: a guest configuration in a hypervisor's own format
 * @flags: 0
 *
 * A <domain> definition from a hypervisor's own configuration format. No
 * driver of virtkit reads one (libvirt 9.0's QEMU driver dropped its
 * "qemu-argv" reader in 5.5.0): VIR_ERR_NO_SUPPORT. Refused on a read-only
 * connection (VIR_ERR_OPERATION_DENIED).
 *
 * Returns the XML (free it), or NULL on error.
 */
char *
virConnectDomainXMLFromNative(virConnectPtr conn, const char *nativeFormat,
                              const char *nativeConfig, unsigned int flags)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(nativeFormat, error);
    virCheckNonNullArgGoto(nativeConfig, error);
    VIR_ENTRY_CALL_PTR(driver, connectDomainXMLFromNative, conn, nativeFormat,
                       nativeConfig, flags);
}


/**
 * virConnectDomainXMLToNative:
 * @conn: a connection
 * @nativeFormat: the format wanted: "qemu-argv" for the QEMU driver
 * @domainXml: a <domain> definition
 * @flags: 0
 *
 * What the driver would run for @domainXml, in a hypervisor's own format.
 * The QEMU driver gives the environment and QEMU command line of a start
 * as one shell line (arguments with shell characters quoted), built as a
 * start builds it but without touching the host: the domain's directory
 * is that of id -1, graphics take the first port of their range, and
 * interfaces that need a tap the daemon creates show as a QEMU tap without
 * scripts (libvirt shows them as an ethernet tap). Nothing is defined,
 * started or written. The test driver has no native format
 * (VIR_ERR_NO_SUPPORT, as libvirt's).
 *
 * Returns the native configuration (free it), or NULL on error: the
 * common ones; VIR_ERR_OPERATION_DENIED on a read-only connection;
 * VIR_ERR_INVALID_ARG "unsupported config type X" for another format;
 * the XML errors of virDomainDefineXML and the start-time checks of the
 * QEMU driver (VIR_ERR_CONFIG_UNSUPPORTED, ...).
 */
char *
virConnectDomainXMLToNative(virConnectPtr conn, const char *nativeFormat,
                            const char *domainXml, unsigned int flags)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(nativeFormat, error);
    virCheckNonNullArgGoto(domainXml, error);
    VIR_ENTRY_CALL_PTR(driver, connectDomainXMLToNative, conn, nativeFormat, domainXml,
                       flags);
}


/**
 * virDomainCreateXML:
 * @conn: a connection
 * @xmlDesc: a <domain> definition
 * @flags: bitwise-OR of virDomainCreateFlags: VIR_DOMAIN_START_VALIDATE;
 *         the QEMU driver also takes VIR_DOMAIN_START_PAUSED
 *
 * Starts a transient domain from @xmlDesc (it is gone once it stops). If a
 * persistent domain with the same name and UUID is defined and shut off,
 * it runs with @xmlDesc instead and keeps its persistent definition for
 * later. Queues STARTED (BOOTED), then SUSPENDED (PAUSED) if started
 * paused. The test driver starts instantly; the QEMU driver returns once
 * QEMU runs and its monitor answers.
 *
 * Returns a new handle (release it with virDomainFree), or NULL in case of
 * error: the common ones; the XML errors of virDomainDefineXML;
 * VIR_ERR_OPERATION_INVALID if that domain is already active; a QEMU start
 * failure (VIR_ERR_SYSTEM_ERROR, VIR_ERR_OPERATION_FAILED, ...).
 */
virDomainPtr
virDomainCreateXML(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    VIR_ENTRY_CONNECT(NULL);
    virCheckNonNullArgGoto(xmlDesc, error);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_PTR(driver, domainCreateXML, conn, xmlDesc, flags);
}


/**
 * virDomainCreateLinux:
 * @conn: a connection
 * @xmlDesc: a <domain> definition
 * @flags: as virDomainCreateXML
 *
 * Deprecated alias of virDomainCreateXML; its errors name
 * virDomainCreateXML, as libvirt's do.
 *
 * Returns what virDomainCreateXML returns.
 */
virDomainPtr
virDomainCreateLinux(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    /* deprecated alias; libvirt reports its errors as virDomainCreateXML */
    return virDomainCreateXML(conn, xmlDesc, flags);
}


/* ---- State changes ----------------------------------------------------- */

/*
 * The mutating calls on a domain share one shape: check the handle, refuse
 * read-only connections, dispatch. @funcname names the public function in
 * errors (virDomainDestroy and virDomainDestroyFlags share a slot).
 */
typedef int (*virDomainFlagsSlot)(virDomainPtr dom, unsigned int flags);

static int
virDomainMutate(virDomainPtr domain, virDomainFlagsSlot slot, unsigned int flags,
                const char *funcname)
{
    virConnectPtr conn = domain->conn;

    if (conn->flags & VIR_CONNECT_RO) {
        virReportError(VIR_ERR_OPERATION_DENIED, "read only access prevents %s",
                       funcname);
        goto error;
    }
    if (!slot) {
        virReportError(VIR_ERR_NO_SUPPORT, "%s", funcname);
        goto error;
    }
    if (slot(domain, flags) < 0)
        goto error;
    return 0;

error:
    virDispatchError(conn);
    return -1;
}


/**
 * virDomainUndefine:
 * @domain: a domain handle
 *
 * Removes the persistent definition of @domain: an inactive domain is
 * gone; an active one keeps running as a transient domain. Queues
 * UNDEFINED (REMOVED). The QEMU driver deletes the config file and
 * autostart link.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones;
 * QEMU driver: VIR_ERR_OPERATION_INVALID for a transient domain (the test
 * driver accepts it and queues the event), VIR_ERR_SYSTEM_ERROR if the
 * file cannot be removed.
 */
int
virDomainUndefine(virDomainPtr domain)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain, domain->conn->driver->domainUndefineFlags, 0,
                           __func__);
}


/**
 * virDomainUndefineFlags:
 * @domain: a domain handle
 * @flags: bitwise-OR of virDomainUndefineFlagsValues. None of what they
 *         name (managed save, snapshot and checkpoint metadata, NVRAM,
 *         TPM state) exists in virtkit, so each accepted flag is trivially
 *         honoured: the test driver takes MANAGED_SAVE and
 *         SNAPSHOTS_METADATA, the QEMU driver also NVRAM, KEEP_NVRAM,
 *         CHECKPOINTS_METADATA, TPM, KEEP_TPM
 *
 * As virDomainUndefine, with @flags.
 *
 * Returns 0 in case of success and -1 in case of error (those of
 * virDomainUndefine).
 */
int
virDomainUndefineFlags(virDomainPtr domain, unsigned int flags)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain, domain->conn->driver->domainUndefineFlags, flags,
                           __func__);
}


/**
 * virDomainCreate:
 * @domain: a handle of a defined, inactive domain
 *
 * Starts @domain from its persistent definition and gives @domain its new
 * ID. Queues STARTED (BOOTED). The test driver starts instantly; the QEMU
 * driver returns once QEMU runs and its monitor answers.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones;
 * already active: VIR_ERR_OPERATION_INVALID (QEMU driver) or
 * VIR_ERR_INTERNAL_ERROR "Domain 'NAME' is already running" (test driver,
 * as libvirt's); a QEMU start failure (VIR_ERR_SYSTEM_ERROR,
 * VIR_ERR_OPERATION_FAILED, ...).
 */
int
virDomainCreate(virDomainPtr domain)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain, domain->conn->driver->domainCreateWithFlags, 0,
                           __func__);
}


/**
 * virDomainCreateWithFlags:
 * @domain: a handle of a defined, inactive domain
 * @flags: 0; the QEMU driver also takes VIR_DOMAIN_START_PAUSED (vCPUs
 *         stopped, queues SUSPENDED (PAUSED) after STARTED)
 *
 * As virDomainCreate, with @flags.
 *
 * Returns 0 in case of success and -1 in case of error (those of
 * virDomainCreate).
 */
int
virDomainCreateWithFlags(virDomainPtr domain, unsigned int flags)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain, domain->conn->driver->domainCreateWithFlags, flags,
                           __func__);
}


/**
 * virDomainShutdown:
 * @domain: a domain handle
 *
 * Asks the guest to power off. The test driver applies the domain's
 * on_poweroff action at once (restart: it stays running, no event;
 * otherwise shut off, queuing STOPPED (SHUTDOWN), and a transient domain
 * is gone). The QEMU driver presses the ACPI power button and returns: the
 * guest decides, and STOPPED (SHUTDOWN) comes when QEMU exits; with
 * on_poweroff restart the power-off becomes a reset. Nothing forces it
 * off (virDomainDestroy does).
 *
 * Returns 0 if the request was made and -1 in case of error: the common
 * ones; not running: VIR_ERR_OPERATION_INVALID (QEMU driver: unless the
 * vCPUs run, paused fails too) or VIR_ERR_INTERNAL_ERROR "domain 'NAME'
 * not running" (test driver, for a shut off domain).
 */
int
virDomainShutdown(virDomainPtr domain)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain, domain->conn->driver->domainShutdownFlags, 0,
                           __func__);
}


/**
 * virDomainShutdownFlags:
 * @domain: a domain handle
 * @flags: the test driver takes 0 only; the QEMU driver takes
 *         VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN and _GUEST_AGENT, but has
 *         no guest agent: GUEST_AGENT alone fails, with ACPI it uses ACPI
 *
 * As virDomainShutdown, with @flags.
 *
 * Returns 0 if the request was made and -1 in case of error: those of
 * virDomainShutdown, VIR_ERR_ARGUMENT_UNSUPPORTED "QEMU guest agent is not
 * configured" for GUEST_AGENT alone.
 */
int
virDomainShutdownFlags(virDomainPtr domain, unsigned int flags)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain, domain->conn->driver->domainShutdownFlags, flags,
                           __func__);
}


/**
 * virDomainReboot:
 * @domain: a domain handle
 * @flags: bitwise-OR of virDomainRebootFlagValues: the test driver takes
 *         ACPI_POWER_BTN, GUEST_AGENT, INITCTL, SIGNAL, PARAVIRT (all
 *         alike); the QEMU driver ACPI_POWER_BTN and GUEST_AGENT (as in
 *         virDomainShutdownFlags)
 *
 * Asks the guest to reboot. The test driver applies on_reboot at once
 * (restart: it stays running, no event; otherwise shut off with STOPPED
 * (SHUTDOWN)). The QEMU driver presses the ACPI power
 * button and returns; the guest's power-off then becomes a reset (REBOOT
 * event) unless on_reboot is destroy or preserve. Paused domains are
 * accepted.
 *
 * Returns 0 if the request was made and -1 in case of error: the common
 * ones, VIR_ERR_OPERATION_INVALID if @domain is not active,
 * VIR_ERR_ARGUMENT_UNSUPPORTED for GUEST_AGENT alone (QEMU driver).
 */
int
virDomainReboot(virDomainPtr domain, unsigned int flags)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain, domain->conn->driver->domainReboot, flags, __func__);
}


/**
 * virDomainReset:
 * @domain: a domain handle
 * @flags: 0
 *
 * Resets the guest at once, as the reset button does, without asking it.
 * The test driver only checks that @domain is active. The QEMU driver
 * sends system_reset; a crashed domain becomes paused (crashed).
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_INVALID if @domain is not active.
 */
int
virDomainReset(virDomainPtr domain, unsigned int flags)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain, domain->conn->driver->domainReset, flags, __func__);
}


/**
 * virDomainDestroy:
 * @domain: a domain handle
 *
 * Stops @domain now, without asking the guest. The test driver stops it
 * at once. The QEMU driver sends QEMU SIGTERM (QEMU flushes its disks and
 * exits) and waits for it up to the grace period (destroy_grace_period in
 * qemu.conf, default 10 s: README.md; or the domain's destroy-grace-period
 * <metadata>: qemu_domain.h), then sends SIGKILL and waits up to 5 s more.
 * It works while another call is stuck on a hung QEMU. Then
 * @domain's ID becomes -1, STOPPED (DESTROYED) is queued, and a transient
 * domain is gone.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones;
 * VIR_ERR_OPERATION_INVALID "domain is not running" (domain
 * VIR_FROM_DOMAIN) if @domain is not active; QEMU driver:
 * VIR_ERR_SYSTEM_ERROR if QEMU cannot be killed.
 */
int
virDomainDestroy(virDomainPtr domain)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain, domain->conn->driver->domainDestroyFlags, 0, __func__);
}


/**
 * virDomainDestroyFlags:
 * @domain: a domain handle
 * @flags: bitwise-OR of virDomainDestroyFlagsValues: the test driver takes
 *         GRACEFUL (no effect there); the QEMU driver GRACEFUL and
 *         REMOVE_LOGS (accepted; the log is kept)
 *
 * As virDomainDestroy. With VIR_DOMAIN_DESTROY_GRACEFUL the QEMU driver
 * never sends SIGKILL: if QEMU is still there after the grace period, the
 * call fails and the domain stays active (QEMU got SIGTERM and may still
 * exit); a stopped (SIGSTOP) QEMU is not even sent SIGTERM, so nothing is
 * left pending in it.
 *
 * Returns 0 in case of success and -1 in case of error: those of
 * virDomainDestroy; with GRACEFUL, VIR_ERR_SYSTEM_ERROR "Failed to
 * terminate process PID with SIGTERM" when QEMU outlived the grace period.
 */
int
virDomainDestroyFlags(virDomainPtr domain, unsigned int flags)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(domain, domain->conn->driver->domainDestroyFlags, flags,
                           __func__);
}


/* Suspend and resume take no flags; adapt them to virDomainMutate. */
static int
virDomainSuspendSlot(virDomainPtr domain, unsigned int flags)
{
    return domain->conn->driver->domainSuspend(domain);
}


static int
virDomainResumeSlot(virDomainPtr domain, unsigned int flags)
{
    return domain->conn->driver->domainResume(domain);
}


/**
 * virDomainSuspend:
 * @domain: a domain handle
 *
 * Pauses the guest's vCPUs; memory and devices stay. Queues SUSPENDED
 * (PAUSED). The QEMU driver sends QMP stop; an already paused domain is a
 * successful no-op there (as in libvirt's QEMU driver).
 *
 * Returns 0 in case of success and -1 in case of error: the common ones;
 * QEMU driver: VIR_ERR_OPERATION_INVALID if not active or shutting down;
 * test driver: VIR_ERR_INTERNAL_ERROR "domain 'NAME' not running" if shut
 * off or already paused.
 */
int
virDomainSuspend(virDomainPtr domain)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(
        domain, domain->conn->driver->domainSuspend ? virDomainSuspendSlot : NULL, 0,
        __func__);
}


/**
 * virDomainResume:
 * @domain: a handle of a paused domain
 *
 * Lets the vCPUs of a paused guest run again. Queues RESUMED (UNPAUSED).
 * The QEMU driver sends QMP cont.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones;
 * QEMU driver: VIR_ERR_OPERATION_INVALID if not active, already running
 * or shutting down; test driver: VIR_ERR_INTERNAL_ERROR "domain 'NAME'
 * not paused".
 */
int
virDomainResume(virDomainPtr domain)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return virDomainMutate(
        domain, domain->conn->driver->domainResume ? virDomainResumeSlot : NULL, 0,
        __func__);
}


/**
 * virDomainSetAutostart:
 * @domain: a domain handle
 * @autostart: nonzero to start @domain when the daemon starts, 0 not to
 *
 * Sets whether @domain starts with the daemon (virtkitd starts such QEMU
 * domains at its start). The QEMU driver keeps it as a link in its
 * autostart directory; the test driver only records it.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones;
 * QEMU driver: VIR_ERR_OPERATION_INVALID for a transient domain,
 * VIR_ERR_SYSTEM_ERROR if the link cannot be changed.
 */
int
virDomainSetAutostart(virDomainPtr domain, int autostart)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_ZERO(driver, domainSetAutostart, domain, autostart);
}


/* ---- Queries ----------------------------------------------------------- */

/**
 * virDomainGetState:
 * @domain: a domain handle
 * @state: where to store a virDomainState
 * @reason: if not NULL, where to store the reason (the virDomain*Reason
 *          enum of that state)
 * @flags: 0
 *
 * The current state of @domain and why it is in it.
 *
 * Returns 0 in case of success and -1 in case of error (the common ones).
 */
int
virDomainGetState(virDomainPtr domain, int *state, int *reason, unsigned int flags)
{
    virConnectPtr conn;

    virResetLastError();
    virCheckDomainReturn(domain, -1);
    conn = domain->conn;
    virCheckNonNullArgGoto(state, error);

    if (conn->driver->domainGetState) {
        int st = 0;
        int rs = 0;

        if (conn->driver->domainGetState(domain, &st, &rs, flags) < 0)
            goto error;
        *state = st;
        if (reason)
            *reason = rs;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}


/**
 * virDomainGetInfo:
 * @domain: a domain handle
 * @info: where to store state, maxMem and memory (KiB), nrVirtCpu, cpuTime
 *
 * A summary of @domain. cpuTime (ns) is, for the QEMU driver, the QEMU
 * process's user + system time (0 when inactive); the test driver reports
 * the wall clock, as libvirt's does.
 *
 * Returns 0 in case of success and -1 in case of error (the common ones).
 */
int
virDomainGetInfo(virDomainPtr domain, virDomainInfoPtr info)
{
    virConnectPtr conn;

    virResetLastError();
    virCheckDomainReturn(domain, -1);
    conn = domain->conn;
    virCheckNonNullArgGoto(info, error);

    if (conn->driver->domainGetInfo) {
        virDomainInfo tmp;

        memset(&tmp, 0, sizeof(tmp));
        if (conn->driver->domainGetInfo(domain, &tmp) < 0)
            goto error;
        *info = tmp;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}


/**
 * virDomainGetXMLDesc:
 * @domain: a domain handle
 * @flags: bitwise-OR of virDomainXMLFlags: VIR_DOMAIN_XML_INACTIVE (the
 *         definition for the next start), VIR_DOMAIN_XML_SECURE (refused
 *         on read-only connections; virtkit's definitions hold no secrets,
 *         so it changes nothing); the test driver also takes MIGRATABLE
 *
 * The XML of @domain: the running definition of an active domain, else
 * the persistent one (the QEMU driver gives the persistent one whenever
 * the domain is inactive).
 *
 * Returns a newly allocated string the caller frees with free(), or NULL
 * in case of error: the common ones, VIR_ERR_OPERATION_DENIED for SECURE
 * on a read-only connection.
 */
char *
virDomainGetXMLDesc(virDomainPtr domain, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, NULL), domain->conn);

    if ((conn->flags & VIR_CONNECT_RO) && (flags & VIR_DOMAIN_XML_SECURE)) {
        virReportError(VIR_ERR_OPERATION_DENIED, "%s",
                       "virDomainGetXMLDesc with secure flag");
        goto error;
    }

    VIR_ENTRY_CALL_PTR(driver, domainGetXMLDesc, domain, flags);
}


/**
 * virDomainGetName:
 * @domain: a domain handle
 *
 * The name of @domain, from the handle (no driver call).
 *
 * Returns a string owned by @domain (do not free it; valid while the
 * handle lives), or NULL if @domain is invalid.
 */
VIR_HANDLE_GET(virDomainGetName, const char *, virDomainPtr, virCheckDomainReturn, name)


/**
 * virDomainGetID:
 * @domain: a domain handle
 *
 * The ID @domain had when the handle was made, as updated by
 * virDomainCreate* and virDomainDestroy* through this same handle; not
 * refreshed otherwise (look the domain up again for a fresh one).
 *
 * Returns the ID, or (unsigned int)-1 for an inactive domain or (with
 * VIR_ERR_INVALID_DOMAIN) an invalid handle.
 */
unsigned int
virDomainGetID(virDomainPtr domain)
{
    virResetLastError();
    virCheckDomainReturn(domain, (unsigned int)-1);
    return (unsigned int)domain->id;
}


/**
 * virDomainGetUUID:
 * @domain: a domain handle
 * @uuid: buffer of VIR_UUID_BUFLEN (16) bytes for the raw UUID
 *
 * The UUID of @domain, from the handle (no driver call).
 *
 * Returns 0 in case of success and -1 in case of error:
 * VIR_ERR_INVALID_DOMAIN, VIR_ERR_INVALID_ARG if @uuid is NULL.
 */
VIR_HANDLE_GET_UUID(virDomainGetUUID, virDomainPtr, virCheckDomainReturn, conn)


/**
 * virDomainGetUUIDString:
 * @domain: a domain handle
 * @buf: buffer of VIR_UUID_STRING_BUFLEN (37) bytes
 *
 * The UUID of @domain in its printable form (lowercase hex, dashes, NUL),
 * from the handle (no driver call).
 *
 * Returns 0 in case of success and -1 in case of error:
 * VIR_ERR_INVALID_DOMAIN, VIR_ERR_INVALID_ARG if @buf is NULL.
 */
VIR_HANDLE_GET_UUID_STRING(virDomainGetUUIDString, virDomainPtr, virCheckDomainReturn,
                           conn)


/**
 * virDomainGetOSType:
 * @domain: a domain handle
 *
 * The guest's OS type: the QEMU driver gives the definition's <os><type>
 * ("hvm"); the test driver always "linux", as libvirt's does, without
 * looking the domain up.
 *
 * Returns a newly allocated string the caller frees with free(), or NULL
 * in case of error (the common ones).
 */
char *
virDomainGetOSType(virDomainPtr domain)
{
    VIR_ENTRY(virCheckDomainReturn(domain, NULL), domain->conn);

    VIR_ENTRY_CALL_PTR(driver, domainGetOSType, domain);
}


/**
 * virDomainGetMaxMemory:
 * @domain: a domain handle
 *
 * The maximum memory of @domain's current definition, in KiB.
 *
 * Returns the size, or 0 in case of error: the common ones,
 * VIR_ERR_OVERFLOW if it does not fit an unsigned long.
 */
unsigned long
virDomainGetMaxMemory(virDomainPtr domain)
{
    virConnectPtr conn;
    unsigned long long ret;

    virResetLastError();
    virCheckDomainReturn(domain, 0);
    conn = domain->conn;

    if (conn->driver->domainGetMaxMemory) {
        if ((ret = conn->driver->domainGetMaxMemory(domain)) == 0)
            goto error;
        if ((unsigned long)ret != ret) {
            virReportError(VIR_ERR_OVERFLOW, "result too large: %llu", ret);
            goto error;
        }
        return (unsigned long)ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return 0;
}


/**
 * virDomainGetMaxVcpus:
 * @domain: a handle of an active domain
 *
 * The maximum vCPU count of the running domain, asked of the driver as
 * virDomainGetVcpusFlags(VIR_DOMAIN_VCPU_LIVE | VIR_DOMAIN_VCPU_MAXIMUM),
 * as libvirt does. virtkit definitions have no separate maximum: this is
 * <vcpu>.
 *
 * Returns the count, or -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_INVALID if @domain is not active.
 */
int
virDomainGetMaxVcpus(virDomainPtr domain)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);

    /* libvirt's drivers answer this as GetVcpusFlags(LIVE | MAXIMUM) */
    VIR_ENTRY_CALL(driver, domainGetVcpusFlags, domain,
                   VIR_DOMAIN_VCPU_LIVE | VIR_DOMAIN_VCPU_MAXIMUM);
}


/**
 * virDomainGetVcpusFlags:
 * @domain: a domain handle
 * @flags: bitwise-OR of VIR_DOMAIN_AFFECT_CURRENT (0), _LIVE or _CONFIG,
 *         and VIR_DOMAIN_VCPU_MAXIMUM (same answer: no separate maximum).
 *         VIR_DOMAIN_VCPU_GUEST is refused on a read-only connection and
 *         by both drivers (no guest agent)
 *
 * The vCPU count of @domain's running (LIVE) or persistent (CONFIG)
 * definition; CURRENT picks the running one of an active domain.
 *
 * Returns the count, or -1 in case of error: the common ones;
 * VIR_ERR_INVALID_ARG for LIVE with CONFIG; VIR_ERR_OPERATION_INVALID for
 * LIVE on an inactive domain (test driver: also CONFIG on a transient
 * one); VIR_ERR_OPERATION_DENIED for GUEST on a read-only connection.
 */
int
virDomainGetVcpusFlags(virDomainPtr domain, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);

    if ((flags & VIR_DOMAIN_VCPU_GUEST) && (conn->flags & VIR_CONNECT_RO)) {
        virReportError(VIR_ERR_OPERATION_DENIED, "read only access prevents %s",
                       __func__);
        goto error;
    }

    VIR_ENTRY_CALL(driver, domainGetVcpusFlags, domain, flags);
}


typedef int (*virDomainPredicateSlot)(virDomainPtr dom);

static int
virDomainPredicate(virDomainPtr domain, virDomainPredicateSlot slot, const char *funcname)
{
    int ret;

    if (!slot) {
        virReportError(VIR_ERR_NO_SUPPORT, "%s", funcname);
        goto error;
    }
    if ((ret = slot(domain)) < 0)
        goto error;
    return ret;

error:
    virDispatchError(domain->conn);
    return -1;
}


/**
 * virDomainIsActive:
 * @dom: a domain handle
 *
 * Whether @dom is active (running, paused, or in any state but shut off).
 *
 * Returns 1 if active, 0 if not, -1 in case of error (the common ones).
 */
int
virDomainIsActive(virDomainPtr dom)
{
    virResetLastError();
    virCheckDomainReturn(dom, -1);
    return virDomainPredicate(dom, dom->conn->driver->domainIsActive, __func__);
}


/**
 * virDomainIsPersistent:
 * @dom: a domain handle
 *
 * Whether @dom has a persistent definition (defined, not only created).
 *
 * Returns 1 if persistent, 0 if transient, -1 in case of error (the common
 * ones).
 */
int
virDomainIsPersistent(virDomainPtr dom)
{
    virResetLastError();
    virCheckDomainReturn(dom, -1);
    return virDomainPredicate(dom, dom->conn->driver->domainIsPersistent, __func__);
}


/**
 * virDomainIsUpdated:
 * @dom: a domain handle
 *
 * Whether the persistent definition of the running @dom differs from the
 * one it runs (a define since its start). The test driver always answers
 * 0, as libvirt's does, without looking the domain up.
 *
 * Returns 1 if updated, 0 if not, -1 in case of error (the common ones).
 */
int
virDomainIsUpdated(virDomainPtr dom)
{
    virResetLastError();
    virCheckDomainReturn(dom, -1);
    return virDomainPredicate(dom, dom->conn->driver->domainIsUpdated, __func__);
}


/**
 * virDomainGetAutostart:
 * @domain: a domain handle
 * @autostart: where to store 1 if @domain starts with the daemon, else 0
 *
 * See virDomainSetAutostart.
 *
 * Returns 0 in case of success and -1 in case of error (the common ones).
 */
int
virDomainGetAutostart(virDomainPtr domain, int *autostart)
{
    virConnectPtr conn;

    virResetLastError();
    virCheckDomainReturn(domain, -1);
    conn = domain->conn;
    virCheckNonNullArgGoto(autostart, error);

    if (conn->driver->domainGetAutostart) {
        int value = 0;

        if (conn->driver->domainGetAutostart(domain, &value) < 0)
            goto error;
        *autostart = value;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}


/**
 * virDomainHasManagedSaveImage:
 * @dom: a domain handle
 * @flags: 0
 *
 * Whether @dom has a managed save image: never in virtkit (no managed
 * save), but @dom must still exist.
 *
 * Returns 0, or -1 in case of error (the common ones).
 */
int
virDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);

    VIR_ENTRY_CALL(driver, domainHasManagedSaveImage, dom, flags);
}


/**
 * virDomainGetSecurityLabel:
 * @domain: a domain handle
 * @seclabel: where to store the label and whether it is enforced
 *
 * The security label of @domain's process. The QEMU driver confines
 * nothing (model "none"): an empty label, not enforcing. The test driver
 * gives "libvirt-test", enforcing, while active, as libvirt's does.
 *
 * Returns 0 in case of success and -1 in case of error (the common ones).
 */
int
virDomainGetSecurityLabel(virDomainPtr domain, virSecurityLabelPtr seclabel)
{
    virConnectPtr conn;

    virResetLastError();
    virCheckDomainReturn(domain, -1);
    conn = domain->conn;
    virCheckNonNullArgGoto(seclabel, error);

    if (conn->driver->domainGetSecurityLabel) {
        g_autofree virSecurityLabel *tmp = g_new0(virSecurityLabel, 1);

        if (conn->driver->domainGetSecurityLabel(domain, tmp) < 0)
            goto error;
        *seclabel = *tmp;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}


/* ---- Handles ----------------------------------------------------------- */

/**
 * virDomainRef:
 * @domain: a domain handle
 *
 * Takes one more reference to the handle, for a second owner; each is
 * released with virDomainFree. Thread-safe (atomic).
 *
 * Returns 0 in case of success, -1 if @domain is invalid.
 */
int
virDomainRef(virDomainPtr domain)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    g_atomic_int_inc(&domain->refs);
    return 0;
}


/**
 * virDomainFree:
 * @domain: a domain handle
 *
 * Releases one reference to the handle; the last one frees it and drops
 * the handle's reference on its connection. The domain itself is not
 * affected. Thread-safe (atomic).
 *
 * Returns 0 in case of success, -1 if @domain is invalid
 * (VIR_ERR_INVALID_DOMAIN).
 */
VIR_HANDLE_FREE(virDomainFree, virDomainPtr, virCheckDomainReturn, virObjectUnrefDomain)


/**
 * virDomainGetConnect:
 * @dom: a domain handle
 *
 * The connection @dom belongs to. No reference is taken: it stays valid
 * while @dom lives (the handle holds one); virConnectRef it to keep it
 * longer, and do not virConnectClose it otherwise.
 *
 * Returns the connection, or NULL if @dom is invalid.
 */
VIR_HANDLE_GET(virDomainGetConnect, virConnectPtr, virDomainPtr, virCheckDomainReturn,
               conn)
