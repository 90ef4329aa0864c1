/* libvirt-domain-info.c: public entry points on what a domain runs under: its security labels, the messages recorded about it */
#define G_LOG_DOMAIN "virtkit.api"

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/*
 * Contracts below: the errors common to every entry point are listed at the
 * top of libvirt-domain.c (invalid connection or handle, NULL arguments,
 * VIR_ERR_NO_SUPPORT, remote errors).
 */

/**
 * virDomainGetSecurityLabelList:
 * @domain: a domain handle
 * @seclabels: where to store a new array of labels (free it with free())
 *
 * The security label of @domain's process under each security driver
 * active on its host, in the order of the drivers (the one
 * virDomainGetSecurityLabel and virNodeGetSecurityModel report first). An
 * inactive domain has none. The QEMU driver runs model "none" (an empty
 * label, not enforcing); in system mode, where QEMU runs as its own user
 * (qemu.conf user/group), the "dac" label follows: "+UID:+GID" of the
 * running process, not enforcing, as libvirt's DAC driver gives it. The
 * test driver lacks the call, as libvirt's.
 *
 * Returns the number of labels (then *@seclabels is a new array, or NULL
 * for 0), or -1 in case of error (the common ones), *@seclabels untouched.
 */
int
virDomainGetSecurityLabelList(virDomainPtr domain, virSecurityLabelPtr *seclabels)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckNonNullArgGoto(seclabels, error);

    VIR_ENTRY_CALL(driver, domainGetSecurityLabelList, domain, seclabels);
}


/**
 * virDomainGetMessages:
 * @domain: a domain handle
 * @msgs: where to store a new NULL-terminated array of strings (free each
 *        and the array with free())
 * @flags: bitwise-OR of virDomainMessageType; 0 for every kind
 *
 * What the driver recorded about @domain's current run that its user
 * should know, as libvirt's words (clients show them: virsh dominfo prints
 * them as "Messages:"): with VIR_DOMAIN_MESSAGE_TAINTING "tainted: <why>",
 * one per taint reason in libvirt's order of reasons (e.g. "tainted:
 * custom monitor control commands issued" after qemu-monitor-command);
 * then with VIR_DOMAIN_MESSAGE_DEPRECATION "deprecated configuration:
 * <what>" (e.g. "machine type 'pc-i440fx-1.4'", a machine or CPU model
 * QEMU marks deprecated), in the order found. Both are cleared when the
 * domain stops; an inactive domain has none. The test driver lacks the
 * call, as libvirt's.
 *
 * Returns the number of messages (then *@msgs is a new array, which may
 * be NULL for 0), or -1 in case of error: the common ones, VIR_ERR_INVALID_ARG for an
 * unknown flag.
 */
int
virDomainGetMessages(virDomainPtr domain, char ***msgs, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckNonNullArgGoto(msgs, error);

    VIR_ENTRY_CALL(driver, domainGetMessages, domain, msgs, flags);
}
