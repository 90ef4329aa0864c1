/* virnetdev.h: host network interfaces: running ip, existence, taps for guests */
#pragma once

#include <stdbool.h>

/*
 * Helpers shared by the network driver (bridges) and the QEMU driver
 * (guest taps). They run iproute2's `ip` with a fixed argv (no shell) and
 * act on the network namespace of the calling process. Errors are
 * reported in no domain (as libvirt's virnetdev helpers).
 */

/* Run @argv (argv[0] an absolute path) with @input on stdin (may be NULL).
 * 0, or -1 with "Child process (ARGV) unexpected exit status N: STDERR"
 * reported (INTERNAL_ERROR) as libvirt's virCommand does. */
int virNetDevRunCommand(const char *const *argv, const char *input);

/* The same for a program that daemonizes (its parent exits once the
 * daemon is ready): its stderr goes to a file, not a pipe the daemon
 * would keep open. */
int virNetDevRunDaemonizing(const char *const *argv);

/* True when a host interface of that name exists. */
bool virNetDevExists(const char *name);

/* The MTU of interface @ifname (an ioctl: the caller's network namespace),
 * or -1 with libvirt's "Cannot get interface MTU on '...'" reported. */
int virNetDevGetMTU(const char *ifname);

/* Set the MTU of @ifname: 0, or -1 with "Cannot set interface MTU on
 * '...'" reported (the kernel's errno). */
int virNetDevSetMTU(const char *ifname, unsigned int mtu);

/* Make a tap named after @templ ("vnet%d": the first free one; or a fixed
 * name), owned by root, with @mac (the guest's MAC with its first byte
 * made 0xfe, as libvirt does), @mtu (0: the bridge's, or the kernel's
 * default without a bridge), plugged into
 * @bridge (may be NULL; @isolated: an isolated port of it) and up; @multiQueue: a multiqueue tap (each
 * further queue opened with virNetDevTapOpen(name, true)). @tunpath: the
 * tun device to open (NULL: /dev/net/tun; libvirt's <backend tap>).
 * Returns the fd of the tap (the caller hands it to QEMU) and *@ifname,
 * or -1. */
int virNetDevTapCreate(const char *templ, const char *bridge, const unsigned char *mac,
                       unsigned int mtu, bool isolated, bool multiQueue,
                       const char *tunpath, char **ifname);

/* Isolate bridge port @ifname (BR_ISOLATED: it forwards to and from
 * non-isolated ports only) or not. 0, or -1 with ip's error reported. */
int virNetDevBridgePortSetIsolated(const char *ifname, bool isolated);

/* Set the rx-frames coalescing of @ifname to *@rxFrames (NULL: 0), every
 * other coalescing setting 0 (libvirt's virNetDevSetCoalesce), and write
 * back into *@rxFrames what the device took. 0, or -1 with "Cannot set
 * coalesce info on '...'" reported (EOPNOTSUPP where the device has no
 * coalescing). */
int virNetDevSetCoalesce(const char *ifname, unsigned int *rxFrames);
/* libvirt's virNetDevRunEthernetScript: run @script with @ifname as its
 * only argument and libvirt's environment (LC_ALL=C; PATH, HOME ... passed
 * on), waiting for it. 0, or -1 with libvirt's "Child process (...)
 * unexpected exit status N: STDERR" reported (INTERNAL_ERROR, no domain). */
int virNetDevRunEthernetScript(const char *script, const char *ifname);

/* Delete a tap (quiet). */
int virNetDevTapDelete(const char *ifname);

/* virNetDevRunCommand for clean-up: nothing reported, true on success. */
bool virNetDevRunQuiet(const char *const *argv);

/* Open the existing tap @ifname (one someone else made and manages,
 * libvirt's <target dev='T' managed='no'/>, or one more queue of a
 * multiqueue tap: @multiQueue) through @tunpath (NULL: /dev/net/tun):
 * nothing about it changes. The fd, or -1 (ENODEV when it does not
 * exist). */
int virNetDevTapOpen(const char *ifname, bool multiQueue, const char *tunpath);

/* Plug @ifname into @bridge (NULL: out of any bridge). 0, or -1 with
 * virNetDevRunCommand's error. */
int virNetDevSetMaster(const char *ifname, const char *bridge);
