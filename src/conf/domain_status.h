/* domain_status.h: the <domstatus> runtime state document, and persistent config files */
#pragma once

#include <libxml/tree.h>
#include "domain_obj.h"

/*
 * Layout (libvirt's, facts/lifecycle.md §8):
 *
 *   <domstatus state='running' reason='booted' pid='1234'>
 *     <taint flag='custom-monitor'/>...<deprecation>...</deprecation>...
 *                       (domain_messages.h)
 *     ...driver-private children (the format callback)...
 *     <domain type='qemu' id='1'>...the live definition...</domain>
 *   </domstatus>
 *
 * state and reason are the internal names (virDomainStateTypeToString,
 * virDomainStateReasonToString).
 */
typedef struct {
    /* Append the driver's children to @buf, each line starting with two
     * spaces, for @obj (locked). Optional. */
    void (*format)(GString *buf, virDomainObj *obj, void *opaque);
    /* Read the driver's children from the <domstatus> element @root into
     * @obj (new, unlocked, not yet visible to anyone; obj->privateData is
     * NULL). Return 0, or -1 with an error reported (the status is then
     * refused). Optional. */
    int (*parse)(xmlNodePtr root, virDomainObj *obj, void *opaque);
    void *opaque;
} virDomainStatusCallbacks;

/* The status document of @obj (locked): its state, reason and pid, the
 * driver's children, then obj->def formatted live. Never fails. */
char *virDomainStatusFormat(virDomainObj *obj, const virDomainStatusCallbacks *cb);

/*
 * Parse a status document into a new object (one reference, unlocked):
 * def is the live definition (id kept), state/reason/pid as recorded,
 * persistent false. NULL with the error reported on any bad input:
 * XML_ERROR "expecting root element of 'domstatus', not 'x'",
 * INTERNAL_ERROR for a missing/unknown state, reason or bad pid, or the
 * domain parser's own errors.
 */
virDomainObj *virDomainStatusParseString(const char *xml,
                                         const virDomainStatusCallbacks *cb);
virDomainObj *virDomainStatusParseFile(const char *path,
                                       const virDomainStatusCallbacks *cb);

/* Write the status of @obj (locked) to @path atomically and durably
 * (virFileWriteAtomic, mode 0600). 0, or -1 with an error reported. */
int virDomainStatusSave(virDomainObj *obj, const char *path,
                        const virDomainStatusCallbacks *cb);

/* ---- files ----------------------------------------------------------- */

/*
 * libvirt's warning comment that starts every config and status file:
 * "<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE. ...\n  virsh edit NAME\n
 * or other application using the libvirt API.\n-->\n\n". NAME is the
 * domain name when it is shell-safe, else its UUID. Returns a new string.
 */
char *virDomainFileHeader(const virDomainDef *def);

/* DIR/NAME.xml (new string). */
char *virDomainConfigFile(const char *dir, const char *name);

/* Write the inactive XML of @def, after the warning header, to
 * DIR/NAME.xml atomically and durably (mode 0600). The directory must
 * exist. 0, or -1 with an error reported; the old file is then intact. */
int virDomainDefSaveConfig(const virDomainDef *def, const char *dir);

/* Remove DIR/NAME.xml durably; a missing file is not an error. 0 or -1. */
int virDomainDefDeleteConfig(const char *dir, const char *name);
