/* qemu_perf.h: Linux perf event counters on a guest's QEMU (<perf>, virDomainGet/SetPerfEvents, the "perf" statistics) */
#pragma once

#include "qemu_domain.h"
#include "virtypedparamlist.h"

/* At start, before QEMU execs (its only thread then: every thread it
 * creates inherits the counters): opens the events the live definition
 * enables, as libvirt's qemuProcessEnablePerf. 0, or -1 with libvirt's
 * error (the start fails). Object locked. */
int qemuPerfStart(virDomainObj *obj);

/* After a daemon restart: reopens the live definition's events on every
 * thread of the running QEMU (counting starts again from 0); an event
 * that cannot be opened any more is marked disabled in the live
 * definition, as libvirt's qemuDomainPerfRestart. Object locked. */
void qemuPerfReconnect(virDomainObj *obj);

/* Closes every counter (QEMU stopped). Object locked. */
void qemuPerfStop(virDomainObj *obj);

/* The "perf" statistics group: perf.<event> for every open counter
 * (nothing for a guest without any). A counter that cannot be read is
 * left out (debug log). Object locked. */
void qemuPerfStatsAdd(virDomainObj *obj, virTypedParamList *list);
