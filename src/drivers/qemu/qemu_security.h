/* qemu_security.h: hand a guest's files to the QEMU user for a run, and give them back */
#pragma once

#include <glib.h>

#include "domain_obj.h"
#include "qemu_conf.h"

/*
 * When QEMU runs as another user (driver->runAs), the files it opens by
 * name are: each disk's image, the images of a qcow2 backing chain, the
 * kernel, the initrd and an egl-headless display's render node. (The
 * monitor socket and file serials are opened by us and passed as
 * descriptors; the log is QEMU's stdout; a pty is created by QEMU itself
 * under its own uid.)
 *
 * Policy, as libvirt's dynamic_ownership with one deliberate difference:
 * - every directory above each file must be searchable by the QEMU user,
 *   checked as that user, else the start fails with SYSTEM_ERROR
 *   "Cannot access storage file '%s' (as uid:%u, gid:%u)..." (kernel and
 *   initrd: "Cannot access kernel/initrd ..."), nothing changed;
 * - a writable disk is chowned to the QEMU user for the run (as libvirt);
 * - read-only files (kernel, initrd, backing images, readonly disks and
 *   cdroms) are chowned only when the QEMU user cannot already read them
 *   (libvirt chowns them anyway; leaving a world-readable kernel shared
 *   by many guests untouched is both safer and cheaper);
 * - with dynamic_ownership = 0 nothing is chowned and a file the user
 *   cannot read (or write, for a writable disk) fails the start.
 *
 * Memory of the original owner: before any chown, the original uid, gid
 * and mode of every file are written durably to a record file,
 * "<libDir>/owners/<uuid>", one per running domain; the record is removed
 * when the domain stops (a running domain whose hot-plugged disks all went
 * back keeps it, empty, for the next one's line to be appended with a
 * single sync; a line a crash cut short is dropped when read, its chown
 * never happened). A file shared by several running domains
 * is chowned once and given back when the last record naming it goes (the
 * original owner is copied from the first record). A file whose owner was
 * changed by someone else during the run is left as it is. The records
 * live in the persistent lib dir, so a daemon crash, or a host reboot,
 * still leads to the files being given back: at start, after the
 * reconnect, every record of a domain that is not running is replayed.
 *
 * Threads: any thread; driver->securityLock orders all record work.
 */

/* Before spawning QEMU for @obj (object locked, job held, live def).
 * 0, or -1 with an error reported and nothing left changed. */
int qemuSecurityPrepareDomain(qemuDriver *driver, virDomainObj *obj);

/* The same for a running domain whose files changed (a disk plugged or
 * unplugged): only what is new is handed over (its line appended to the
 * record durably first, or the record rewritten when something also goes
 * back), what the domain no longer uses is given back, and
 * nothing is written when nothing changed; what it holds already is left
 * as it is (qemuSecurityPrepareDomain gives everything back and hands it
 * over again: two durable record writes and every chown twice per
 * hotplug, most of the attach's time on this host's disk). Object locked,
 * job held. 0, or -1 with an error reported. */
int qemuSecurityUpdateDomain(qemuDriver *driver, virDomainObj *obj);

/* Once QEMU of the domain @uuid is gone: give back what its record holds
 * and remove the record. Best effort (failures are logged); a domain
 * without a record is a no-op. */
void qemuSecurityRestoreDomain(qemuDriver *driver, const unsigned char *uuid);

/* At driver start, after the reconnect: replay the records of every domain
 * that is not running. */
void qemuSecurityRestoreStale(qemuDriver *driver);

/*
 * The images of the qcow2 backing chain below @path (format @format, a
 * virStorageFormat), nearest first, as absolute paths, read from the
 * qcow2 headers (backing file name, and its format from the header
 * extension or by probing its magic). Backing names that are not local
 * files ("json:", "nbd:", ...) end the chain. At most 32 levels; a loop
 * ends it too. Never fails: an unreadable header ends the chain (QEMU
 * reports it).
 */
GPtrArray *qemuSecurityBackingChain(const char *path, int format);

/* qemuSecurityBackingChain, with each image's format (virStorageFormat,
 * QCOW2 or RAW: an int each, nearest first) in *@formats (new, owned by
 * the caller; NULL: not wanted). */
/* True only when @path is a qcow2 image whose header names no backing
 * file (false too when it cannot be read). */
bool qemuSecurityQcow2HasNoBacking(const char *path);

GPtrArray *qemuSecurityBackingChainFormats(const char *path, int format,
                                           GArray **formats);
