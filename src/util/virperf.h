/* virperf.h: Linux perf event counters on a process (libvirt's virPerf, for <perf> and the "perf" statistics) */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

/* libvirt's virPerfEventType: the order and names are those of
 * VIR_PERF_PARAM_* and of <perf><event name=...>. */
typedef enum {
    VIR_PERF_EVENT_CMT,
    VIR_PERF_EVENT_MBMT,
    VIR_PERF_EVENT_MBML,
    VIR_PERF_EVENT_CPU_CYCLES,
    VIR_PERF_EVENT_INSTRUCTIONS,
    VIR_PERF_EVENT_CACHE_REFERENCES,
    VIR_PERF_EVENT_CACHE_MISSES,
    VIR_PERF_EVENT_BRANCH_INSTRUCTIONS,
    VIR_PERF_EVENT_BRANCH_MISSES,
    VIR_PERF_EVENT_BUS_CYCLES,
    VIR_PERF_EVENT_STALLED_CYCLES_FRONTEND,
    VIR_PERF_EVENT_STALLED_CYCLES_BACKEND,
    VIR_PERF_EVENT_REF_CPU_CYCLES,
    VIR_PERF_EVENT_CPU_CLOCK,
    VIR_PERF_EVENT_TASK_CLOCK,
    VIR_PERF_EVENT_PAGE_FAULTS,
    VIR_PERF_EVENT_CONTEXT_SWITCHES,
    VIR_PERF_EVENT_CPU_MIGRATIONS,
    VIR_PERF_EVENT_PAGE_FAULTS_MIN,
    VIR_PERF_EVENT_PAGE_FAULTS_MAJ,
    VIR_PERF_EVENT_ALIGNMENT_FAULTS,
    VIR_PERF_EVENT_EMULATION_FAULTS,
    VIR_PERF_EVENT_LAST
} virPerfEventType;

/* The event's name ("cpu_cycles"), NULL when @type is out of range. */
const char *virPerfEventTypeToString(int type);
/* The event named @name, -1 when there is none. */
int virPerfEventTypeFromString(const char *name);

/*
 * The counters of one process (a running guest's QEMU). Not thread-safe:
 * its owner serializes calls (the QEMU driver: the domain's object lock).
 */
typedef struct _virPerf virPerf;

virPerf *virPerfNew(void);
/* Closes every counter; accepts NULL. */
void virPerfFree(virPerf *perf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virPerf, virPerfFree);

/*
 * Counts @type for process @pid from now on: one counter on each of its
 * threads, each inherited by the threads that thread creates later (so a
 * counter opened before the process starts its threads covers them all).
 * Nothing to do when it is already enabled. Returns 0, or -1 with the
 * error reported (VIR_FROM_PERF, libvirt's texts: a resctrl event (cmt,
 * mbmt, mbml) the host has no intel_cqm PMU for is ARGUMENT_UNSUPPORTED
 * "unable to enable host cpu perf event for cmt"; an event the kernel
 * refuses is SYSTEM_ERROR "unable to open host cpu perf event for NAME"
 * with its errno) and nothing opened.
 */
int virPerfEventEnable(virPerf *perf, virPerfEventType type, pid_t pid);
/* Closes @type's counters; 0 (also when it was not enabled). */
int virPerfEventDisable(virPerf *perf, virPerfEventType type);
/* false for a NULL @perf */
bool virPerfEventIsEnabled(const virPerf *perf, virPerfEventType type);
/* The count so far, summed over the process's threads (resctrl events
 * scaled to bytes). 0, or -1 with a SYSTEM_ERROR when a read fails or
 * the event is not enabled. */
int virPerfReadEvent(virPerf *perf, virPerfEventType type, unsigned long long *value);
