/* virnetdevbandwidth.h: traffic limits of a guest's tap with tc, as libvirt's virNetDevBandwidthSet lays them out */
#pragma once

#include <stdbool.h>

/* One direction's limits, kibibytes per second (burst: kibibytes); 0 is
 * "not set", as libvirt keeps them. */
typedef struct {
    unsigned long long average;
    unsigned long long peak;
    unsigned long long floor; /* inbound only */
    unsigned long long burst;
} virNetDevBandwidthRate;

/* The guest's point of view: @in is what the guest receives, @out what it
 * sends. A direction is NULL when not given. */
typedef struct {
    virNetDevBandwidthRate *in;
    virNetDevBandwidthRate *out;
} virNetDevBandwidth;

/*
 * Replace the limits on host interface @ifname with @bw (NULL or no
 * direction with an average: the limits are only removed). @swapped: the
 * guest sits on the other side of @ifname (a tap), so the guest's inbound
 * is shaped on the interface's egress and its outbound policed on its
 * ingress; otherwise the other way round. The layout is libvirt's:
 * egress "root handle 1: htb default 1", class 1:1 "htb rate AVGkbps
 * [ceil PEAKkbps] [burst BURSTkb] quantum Q", "sfq perturb 10" under it
 * and a fw filter; ingress an "ingress" qdisc with a u32 police filter
 * (rate AVGkbps, burst BURSTkb or the average, mtu 64kb, drop). Runs
 * /usr/sbin/tc in the calling process's network namespace. Needs root:
 * OPERATION_UNSUPPORTED "Network bandwidth tuning is not available in
 * session mode" otherwise. 0, or -1 with tc's failure reported
 * (INTERNAL_ERROR, error domain NONE); the limits may then be half set,
 * the caller clears them.
 */
int virNetDevBandwidthSet(const char *ifname, const virNetDevBandwidth *bw, bool swapped);

/* Remove any limits from @ifname (both qdiscs; quiet). */
void virNetDevBandwidthClear(const char *ifname);

/*
 * Make @qdisc ("noqueue") the root qdisc of @ifname, as libvirt does on
 * the taps it makes for guests without an inbound limit: a tap's default
 * pfifo_fast queues what the host sends to the guest in front of the
 * tap's own ring and takes its lock on every packet. 0, or -1 with tc's
 * failure reported.
 */
int virNetDevSetRootQDisc(const char *ifname, const char *qdisc);
