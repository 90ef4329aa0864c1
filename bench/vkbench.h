/* vkbench.h: what vkbench's workload files share (vkbench.c holds the
 * helpers, the event thread and main; vkbench_console.c, vkbench_netguest.c
 * and vkbench_storage.c one workload family each). The same sources build
 * vkbench (libvirtkit) and vkbench-libvirt (Debian's libvirt): public API only. */
#ifndef VKBENCH_H
#define VKBENCH_H

#include <stdbool.h>

#include <libvirt/libvirt.h>

/* Every object a workload creates is named with this prefix. */
#define NAME_PREFIX "vkb-"

/* The test guest's kernel command line (see vkbench.c). */
const char *guestCmdline(void);
/* CLOCK_MONOTONIC in milliseconds. */
double nowMs(void);
/* One figure on stdout: "S <metric> <value>". */
void sample(const char *metric, double value);
/* The last libvirt error and @what on stderr, then exit status 1. */
void die(const char *what) __attribute__((noreturn));
/* Define @xml or die; the new domain (the caller frees it). */
virDomainPtr defineOrDie(virConnectPtr conn, const char *xml);
/* Undefine and free @dom, or die. */
void undefineOrDie(virDomainPtr dom);

/* The workloads of the other files (their comments say what each measures). */
void workloadConsole(virConnectPtr conn, const char *guestDir, double seconds, int keys);
void workloadNetGuest(virConnectPtr conn, const char *guestDir, const char *serialDir,
                      int reps, long long bytes, const char *serveTag);
void workloadNetTrigger(const char *nsPid, const char *txSerial, long long bytes);
void workloadNetPair(const char *nsA, const char *serialA, const char *tapA,
                     const char *nsB, const char *serialB, const char *tapB,
                     long long bytes);
void workloadStorage(virConnectPtr conn, const char *dir, const char *full,
                     const char *sparse, int nvols, int reps, const char *part);

#endif /* VKBENCH_H */
