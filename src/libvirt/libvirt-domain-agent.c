/* libvirt-domain-agent.c: public entry points answered by the guest agent (hostname, guest clock) */
#define G_LOG_DOMAIN "virtkit.api"

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/*
 * Contracts below, as libvirt 9.0's libvirt-domain.c: the common checks
 * (invalid domain VIR_ERR_INVALID_DOMAIN, a driver without the call
 * VIR_ERR_NO_SUPPORT), read-only connections refused (OPERATION_DENIED),
 * every failure dispatched once. The QEMU driver asks the guest agent
 * (VIR_ERR_AGENT_UNRESPONSIVE when none answers), the test driver answers
 * libvirt's test-driver values.
 */

/**
 * virDomainGetHostname:
 * @domain: a domain handle
 * @flags: VIR_DOMAIN_GET_HOSTNAME_AGENT (the default) or _LEASE
 *
 * The guest's host name, as its guest agent reports it.
 *
 * Returns a string the caller frees, or NULL on error.
 */
char *
virDomainGetHostname(virDomainPtr domain, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, NULL), domain->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_PTR(driver, domainGetHostname, domain, flags);
}

/**
 * virDomainGetTime:
 * @dom: a domain handle
 * @seconds: the guest's clock, whole seconds since the Epoch
 * @nseconds: its nanoseconds
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Reads the running guest's clock through its agent (guest-get-time).
 *
 * Returns 0 on success, -1 on error.
 */
int
virDomainGetTime(virDomainPtr dom, long long *seconds, unsigned int *nseconds,
                 unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_ZERO(driver, domainGetTime, dom, seconds, nseconds, flags);
}

/**
 * virDomainSetTime:
 * @dom: a domain handle
 * @seconds: the time to set, whole seconds since the Epoch
 * @nseconds: its nanoseconds
 * @flags: VIR_DOMAIN_TIME_SYNC: the guest reads its RTC instead (the
 *         time given is then ignored)
 *
 * Sets the running guest's clock through its agent (guest-set-time).
 *
 * Returns 0 on success, -1 on error.
 */
int
virDomainSetTime(virDomainPtr dom, long long seconds, unsigned int nseconds,
                 unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_ZERO(driver, domainSetTime, dom, seconds, nseconds, flags);
}

/**
 * virDomainFSFreeze:
 * @dom: a domain handle
 * @mountpoints: the guest's mount points to freeze, or NULL for all
 * @nmountpoints: how many
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Freezes the guest's filesystems through its agent (guest-fsfreeze-freeze,
 * or -freeze-list with @mountpoints): writes block until virDomainFSThaw.
 *
 * Returns the number of filesystems frozen, -1 on error.
 */
int
virDomainFSFreeze(virDomainPtr dom, const char **mountpoints, unsigned int nmountpoints,
                  unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArrayArgGoto(mountpoints, nmountpoints, error);

    VIR_ENTRY_CALL(driver, domainFSFreeze, dom, mountpoints, nmountpoints, flags);
}

/**
 * virDomainFSThaw:
 * @dom: a domain handle
 * @mountpoints: must be NULL for the QEMU driver (the agent thaws all)
 * @nmountpoints: how many
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Thaws the filesystems virDomainFSFreeze froze (guest-fsfreeze-thaw).
 *
 * Returns the number of filesystems thawed, -1 on error.
 */
int
virDomainFSThaw(virDomainPtr dom, const char **mountpoints, unsigned int nmountpoints,
                unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArrayArgGoto(mountpoints, nmountpoints, error);

    VIR_ENTRY_CALL(driver, domainFSThaw, dom, mountpoints, nmountpoints, flags);
}

/**
 * virDomainFSTrim:
 * @dom: a domain handle
 * @mountPoint: must be NULL for the QEMU driver (the agent trims all)
 * @minimum: free ranges shorter than this (bytes) may be left untrimmed
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Discards the unused blocks of the guest's filesystems (guest-fstrim).
 *
 * Returns 0 on success, -1 on error.
 */
int
virDomainFSTrim(virDomainPtr dom, const char *mountPoint, unsigned long long minimum,
                unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_ZERO(driver, domainFSTrim, dom, mountPoint, minimum, flags);
}

/**
 * virDomainGetFSInfo:
 * @dom: a domain handle
 * @info: where the array of filesystems is stored
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * The guest's mounted filesystems as its agent lists them
 * (guest-get-fsinfo), in mount order: mount point, device name, type and
 * the targets (vda) of the domain's disks each sits on. Free each entry
 * with virDomainFSInfoFree and the array with free().
 *
 * Returns the number of entries in *@info (nothing allocated for 0), -1 on
 * error: the common ones, VIR_ERR_INVALID_ARG for a NULL @info,
 * VIR_ERR_OPERATION_DENIED on a read-only connection,
 * VIR_ERR_OPERATION_INVALID when the domain is not running,
 * VIR_ERR_AGENT_UNRESPONSIVE / ARGUMENT_UNSUPPORTED when no agent answers.
 */
int
virDomainGetFSInfo(virDomainPtr dom, virDomainFSInfoPtr **info, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(info, error);
    *info = NULL;

    VIR_ENTRY_CALL(driver, domainGetFSInfo, dom, info, flags);
}

/**
 * virDomainFSInfoFree:
 * @info: an entry of virDomainGetFSInfo, or NULL
 *
 * Frees @info and its strings. NULL is accepted.
 */
void
virDomainFSInfoFree(virDomainFSInfoPtr info)
{
    virDomainFSInfoFreeInternal(info);
}

/**
 * virDomainGetGuestInfo:
 * @domain: a domain handle
 * @types: VIR_DOMAIN_GUEST_INFO_* bits to ask for, 0 for all the driver has
 * @params: where the new array of typed parameters is stored
 * @nparams: where its length is stored
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * What the guest agent knows about the guest, as libvirt's typed
 * parameters: "user.count", "user.N.name", "user.N.login-time" (ms);
 * "os.id", "os.name", "os.pretty-name", "os.version", "os.version-id",
 * "os.kernel-release", "os.kernel-version", "os.machine"; "timezone.name",
 * "timezone.offset"; "fs.count", "fs.N.mountpoint", ".name", ".fstype",
 * ".total-bytes", ".used-bytes", ".disk.count", ".disk.M.alias",
 * ".disk.M.serial", ".disk.M.device"; "disk.count", "disk.N.name",
 * ".partition", ".dependency.count", ".dependency.M.name", ".serial",
 * ".alias", ".guest_alias"; "hostname"; "if.count", "if.N.name",
 * ".hwaddr", ".addr.count", ".addr.M.type", ".addr.M.addr",
 * ".addr.M.prefix". With @types 0 a category the agent does not implement
 * is left out; asked for by name it is an error. Free the array with
 * virTypedParamsFree.
 *
 * Returns 0 on success, -1 on error: the common ones, VIR_ERR_INVALID_ARG
 * for NULL @params/@nparams or a type the driver does not know,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, the agent's errors.
 */
int
virDomainGetGuestInfo(virDomainPtr domain, unsigned int types,
                      virTypedParameterPtr *params, int *nparams, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(params, error);
    virCheckNonNullArgGoto(nparams, error);

    VIR_ENTRY_CALL_ZERO(driver, domainGetGuestInfo, domain, types, params, nparams,
                        flags);
}

/**
 * virDomainSetUserPassword:
 * @dom: a domain handle
 * @user: the guest account
 * @password: its new password, plain text (or already encrypted with
 *            VIR_DOMAIN_PASSWORD_ENCRYPTED)
 * @flags: VIR_DOMAIN_PASSWORD_ENCRYPTED
 *
 * Sets the password of @user inside the running guest through its agent
 * (guest-set-user-password).
 *
 * Returns 0 on success, -1 on error: the common ones, VIR_ERR_INVALID_ARG
 * for a NULL @user or @password, VIR_ERR_OPERATION_DENIED on a read-only
 * connection, VIR_ERR_OPERATION_INVALID when the domain is not running,
 * the agent's errors.
 */
int
virDomainSetUserPassword(virDomainPtr dom, const char *user, const char *password,
                         unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(user, error);
    virCheckNonNullArgGoto(password, error);

    VIR_ENTRY_CALL_ZERO(driver, domainSetUserPassword, dom, user, password, flags);
}

/**
 * virDomainAgentSetResponseTimeout:
 * @domain: a domain handle
 * @timeout: seconds the driver waits for the agent's replies, or
 *           VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK (no limit, the default),
 *           _DEFAULT (5 s), _NOWAIT (no wait)
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Sets how long the driver's own agent calls (virDomainGetTime,
 * virDomainGetGuestInfo, ...) wait for the agent, for as long as the domain
 * object exists (running or not).
 *
 * Returns 0 on success, -1 on error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG
 * for a @timeout below VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK.
 */
int
virDomainAgentSetResponseTimeout(virDomainPtr domain, int timeout, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_ZERO(driver, domainAgentSetResponseTimeout, domain, timeout, flags);
}

/**
 * virDomainGetGuestVcpus:
 * @domain: a domain handle
 * @params: where the new array of typed parameters is stored
 * @nparams: where its length is stored
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * The guest's own view of its vCPUs, from its agent (guest-get-vcpus), as
 * three string parameters holding cpu lists ("0-3,5"): "vcpus" the ids the
 * guest knows, "online" those it runs, "offlinable" those it could take
 * offline. Free the array with virTypedParamsFree.
 *
 * Returns 0 on success, -1 on error: the common ones, VIR_ERR_INVALID_ARG
 * for NULL @params/@nparams, VIR_ERR_OPERATION_DENIED on a read-only
 * connection, VIR_ERR_OPERATION_INVALID when the domain is not running,
 * the agent's errors (VIR_ERR_AGENT_UNRESPONSIVE, ARGUMENT_UNSUPPORTED
 * when no agent is configured).
 */
int
virDomainGetGuestVcpus(virDomainPtr domain, virTypedParameterPtr *params,
                       unsigned int *nparams, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(params, error);
    virCheckNonNullArgGoto(nparams, error);

    VIR_ENTRY_CALL_ZERO(driver, domainGetGuestVcpus, domain, params, nparams, flags);
}

/**
 * virDomainSetGuestVcpus:
 * @domain: a domain handle
 * @cpumap: the vCPU ids to change, a cpu list ("1", "1-3,^2"; '^' removes
 *          an id added before it, left to right)
 * @state: 1 to bring them online, 0 to take them offline
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * Brings vCPUs of the running guest online or offline from inside, through
 * its agent (guest-set-vcpus); the others keep their state and the
 * hypervisor's vCPU count does not change. Every id must be one the guest
 * knows, and one taken offline must be offlinable (Linux keeps vCPU 0).
 *
 * Returns 0 on success, -1 on error: the common ones, VIR_ERR_INVALID_ARG
 * for a NULL or malformed @cpumap, a @state other than 0 or 1, or an id the
 * guest does not have; VIR_ERR_OPERATION_UNSUPPORTED for a vCPU the guest
 * cannot take offline; VIR_ERR_OPERATION_DENIED on a read-only connection;
 * the agent's errors.
 */
int
virDomainSetGuestVcpus(virDomainPtr domain, const char *cpumap, int state,
                       unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(cpumap, error);

    VIR_ENTRY_CALL_ZERO(driver, domainSetGuestVcpus, domain, cpumap, state, flags);
}

/**
 * virDomainAuthorizedSSHKeysGet:
 * @domain: a domain handle
 * @user: the guest account whose keys are listed
 * @keys: where the new NULL-terminated list of keys is stored
 * @flags: extra flags; not used yet, so callers should always pass 0
 *
 * The public SSH keys in @user's ~/.ssh/authorized_keys inside the
 * running guest, through its agent (guest-ssh-get-authorized-keys), one
 * string per key (OpenSSH format, not interpreted). Free each string and
 * the list with free().
 *
 * Returns the number of keys in *@keys, -1 on error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @user or @keys, VIR_ERR_OPERATION_DENIED on
 * a read-only connection, VIR_ERR_OPERATION_INVALID when the domain is not
 * running, the agent's errors (an unknown user, a missing file).
 */
int
virDomainAuthorizedSSHKeysGet(virDomainPtr domain, const char *user, char ***keys,
                              unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckNonNullArgGoto(user, error);
    virCheckNonNullArgGoto(keys, error);
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL(driver, domainAuthorizedSSHKeysGet, domain, user, keys, flags);
}

/**
 * virDomainAuthorizedSSHKeysSet:
 * @domain: a domain handle
 * @user: the guest account whose authorized keys change
 * @keys: the keys (OpenSSH format, not interpreted)
 * @nkeys: how many of them
 * @flags: VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND or _REMOVE, or 0
 *
 * Changes @user's ~/.ssh/authorized_keys inside the running guest through
 * its agent: with 0 the file is replaced by @keys (emptied with none), with
 * _APPEND @keys are added to it, with _REMOVE they are taken out of it (a
 * key it does not hold is not an error).
 *
 * Returns 0 on success, -1 on error: the common ones, VIR_ERR_INVALID_ARG
 * for a NULL @user, a NULL @keys with _APPEND or _REMOVE, or both flags;
 * VIR_ERR_OPERATION_DENIED on a read-only connection; the agent's errors.
 */
int
virDomainAuthorizedSSHKeysSet(virDomainPtr domain, const char *user, const char **keys,
                              unsigned int nkeys, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckNonNullArgGoto(user, error);
    if (flags & (VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND |
                 VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE))
        virCheckNonNullArgGoto(keys, error);
    if (virAPIExclusiveFlags(VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND,
                             VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE) < 0)
        goto error;
    virCheckReadOnlyGoto(conn, error);

    VIR_ENTRY_CALL_ZERO(driver, domainAuthorizedSSHKeysSet, domain, user, keys, nkeys,
                        flags);
}
