/* qemu_stats_proc.h: what /proc says of a guest's QEMU (qemu_stats_proc.c) */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "domain_obj.h"

/* Each takes @obj locked, its QEMU's pid in obj->pid; tid 0 is the
 * process, another a thread of it. The outputs may be NULL. */

/* /proc/PID[/task/@tid]/stat: utime and stime (ns), the resident set
 * (KiB), the CPU last run on. false if the process or thread is gone. */
bool qemuStatsProcStat(virDomainObj *obj, pid_t tid, unsigned long long *user,
                       unsigned long long *sys, int *lastCpu, unsigned long long *rssKiB);
/* Time on CPU and waiting for it (ns) from schedstat; false if absent. */
bool qemuStatsSchedstat(virDomainObj *obj, pid_t tid, unsigned long long *run,
                        unsigned long long *wait);
/* The QEMU process' CPU time in ns (all its threads), user and system
 * time and resident set too; 0 when unknown. */
unsigned long long qemuStatsProcessCpuTime(virDomainObj *obj, unsigned long long *user,
                                           unsigned long long *sys,
                                           unsigned long long *rssKiB);
/* Resident set size of the QEMU process in KiB, 0 if unknown. */
unsigned long long qemuStatsRss(virDomainObj *obj);

/* The counters of a host interface in /proc/net/dev (host view). */
typedef struct {
    long long rx_bytes, rx_packets, rx_errs, rx_drop;
    long long tx_bytes, tx_packets, tx_errs, tx_drop;
} qemuNetCounters;

/* Host interface @ifname's counters into *@c; false if none. */
bool qemuStatsNetDev(const char *ifname, qemuNetCounters *c);
