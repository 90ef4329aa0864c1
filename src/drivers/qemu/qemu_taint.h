/* qemu_taint.h: the QEMU driver marks a domain tainted or using deprecated configuration, as libvirt 9.0 does */
#pragma once

#include "domain_messages.h"
#include "qemu_conf.h"

/*
 * Taint @obj (locked, active) with @taint: the first time (or every time
 * when @extra is given) the operator is told (VIR_NOTICE "Domain id=N
 * name='X' uuid=U is tainted: NAME[ (EXTRA)]") and the domain's log gets
 * "<timestamp>: Domain id=N is tainted: NAME[ (EXTRA)]", as libvirt's
 * qemuDomainObjTaintMsg. A VIR_DOMAIN_TAINT_DEPRECATED_CONFIG taint with
 * @extra also records @extra as a deprecation (virDomainGetMessages'
 * "deprecated configuration: EXTRA"). Never fails; the caller saves the
 * status when it wants the taint to survive a daemon restart.
 */
void qemuDomainObjTaintMsg(qemuDriver *driver, virDomainObj *obj,
                           virDomainTaintFlags taint, const char *extra);

/* qemuDomainObjTaintMsg without an extra text, then the status saved
 * (best effort), as libvirt's qemuDomainObjTaint. */
void qemuDomainObjTaint(qemuDriver *driver, virDomainObj *obj, virDomainTaintFlags taint);

/*
 * At start, once the log has the command line and before the status is
 * first written (@obj locked, start job held): the taints libvirt's
 * qemuDomainObjCheckTaint finds that apply to virtkit: high-privileges
 * (QEMU runs as uid or gid 0 by qemu.conf), a deprecated machine type or
 * CPU model (QEMU's query-machines / query-cpu-definitions 'deprecated'),
 * host-cpu (host-passthrough or maximum with an incoming state: restore).
 */
void qemuDomainObjCheckTaint(qemuDriver *driver, virDomainObj *obj, bool incoming);
