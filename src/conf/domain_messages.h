/* domain_messages.h: taints and deprecations recorded on a running domain, and the messages virDomainGetMessages gives for them */
#pragma once

#include <libxml/tree.h>

#include "domain_obj.h"

/* libvirt 9.0's taint reasons, in its order (the bit numbers of
 * virDomainObj.taint and of the status file's <taint flag='...'/>). */
typedef enum {
    VIR_DOMAIN_TAINT_CUSTOM_ARGV,               /* <qemu:commandline> */
    VIR_DOMAIN_TAINT_CUSTOM_MONITOR,            /* qemu-monitor-command */
    VIR_DOMAIN_TAINT_HIGH_PRIVILEGES,           /* QEMU runs as root */
    VIR_DOMAIN_TAINT_SHELL_SCRIPTS,             /* <interface><script> */
    VIR_DOMAIN_TAINT_DISK_PROBING,              /* disk format probing */
    VIR_DOMAIN_TAINT_EXTERNAL_LAUNCH,           /* attached, not started */
    VIR_DOMAIN_TAINT_HOST_CPU,                  /* host-passthrough migrated in */
    VIR_DOMAIN_TAINT_HOOK,                      /* a hook script ran */
    VIR_DOMAIN_TAINT_CDROM_PASSTHROUGH,         /* a host cdrom */
    VIR_DOMAIN_TAINT_CUSTOM_DTB,                /* <os><dtb> */
    VIR_DOMAIN_TAINT_CUSTOM_GA_COMMAND,         /* qemu-agent-command */
    VIR_DOMAIN_TAINT_CUSTOM_HYPERVISOR_FEATURE, /* capability overrides */
    VIR_DOMAIN_TAINT_DEPRECATED_CONFIG,         /* a deprecated machine/CPU */
    VIR_DOMAIN_TAINT_CUSTOM_DEVICE,             /* <qemu:override> */

    VIR_DOMAIN_TAINT_LAST
} virDomainTaintFlags;

/* "custom-argv", ... (the log's and the status file's name); NULL if out
 * of range. */
const char *virDomainTaintTypeToString(int taint);
int virDomainTaintTypeFromString(const char *name);

/* Set @taint on @obj (locked). True if it was not set before. */
bool virDomainObjTaint(virDomainObj *obj, virDomainTaintFlags taint);

/* Record a deprecated piece of @obj's (locked) configuration, e.g.
 * "machine type 'pc-i440fx-1.4'" (copied). */
void virDomainObjDeprecation(virDomainObj *obj, const char *msg);

/* Forget both (the run ended). @obj locked. */
void virDomainObjClearMessages(virDomainObj *obj);

/* libvirt's virDomainGetMessages texts for @obj (locked), for @flags (a
 * virDomainMessageType mask, 0 for all; the caller checked it): "tainted:
 * <reason's text>" per taint in bit order, then "deprecated
 * configuration: <what>" per deprecation. *@msgs gets a new
 * NULL-terminated array; returns the count. */
int virDomainObjGetMessages(virDomainObj *obj, char ***msgs, unsigned int flags);

/* The status file's children for both: "<taint flag='NAME'/>" lines, then
 * "<deprecation>TEXT</deprecation>" lines (escaped), each indented by
 * @indent spaces. */
void virDomainObjFormatMessages(GString *buf, const virDomainObj *obj, int indent);

/* Read them back from the children of <domstatus> @root: taint bits are
 * added to *@taint, texts appended to *@deprecations (created when NULL).
 * An unknown taint name is libvirt's XML_ERROR "Invalid value for
 * attribute 'flag' in element 'taint': 'NAME'."; then -1 (what was read
 * stays for the caller to free), else 0. */
int virDomainMessagesParse(xmlNodePtr root, unsigned int *taint,
                           GPtrArray **deprecations);
