/* qemu_command_priv.h: what the qemu_command*.c files share to build one command line
 *
 * Not for the rest of the driver: qemu_command.h is the interface.
 */
#pragma once

#include <stdarg.h>

#include "qemu_command.h"

/* Appends a copy of @s (add) or the formatted text (addf) to the argv. */
static inline void
add(GPtrArray *a, const char *s)
{
    g_ptr_array_add(a, g_strdup(s));
}

static inline void G_GNUC_PRINTF(2, 3) addf(GPtrArray *a, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_ptr_array_add(a, g_strdup_vprintf(fmt, ap));
    va_end(ap);
}

/* qemu_command_disk.c: disk @disk's -blockdev nodes (its own image as
 * node @n, 0 for none; the layers below from *@backingNext on) and its
 * -device, with the network secrets @ds (NULL: none). 0 or -1 (error
 * reported). */
int qemuBuildDisk(GPtrArray *a, const virDomainDef *def, const virDomainDiskDef *disk,
                  size_t n, size_t *backingNext, const qemuDiskSecret *ds);

/* QEMU's comma escaping for option values (commas doubled); caller frees. */
char *qemuEscapeComma(const char *s);

/* libvirt's ",bus=pci.N[,multifunction=on],addr=0xS[.0xF]" for a device's
 * PCI address; "" when it has none (QEMU then picks a slot). Caller frees. */
char *qemuPCIAddrProps(const virDomainDef *def, const virDomainDeviceAddress *addr);

/* qemu_command_net.c: JSON string @str (quotes included) appended to @buf. */
void qemuJSONString(GString *buf, const char *str);

/* qemu_command_hostdev.c: each hostdev of @def (after the redirdevs, as
 * libvirt): vfio-pci, usb-host (its bus/device resolved at start),
 * scsi-generic behind a -blockdev host_device of its /dev/sgN (node names
 * from *@nextNode on), vhost-scsi-pci with opts->fds.vhostFds[I], an mdev's
 * vfio-pci; ids hostdevI unless the definition keeps an alias. -1 with
 * libvirt's error (a PCI backend QEMU has not, host data missing). */
int qemuBuildHostdevs(GPtrArray *a, const virDomainDef *def,
                      const qemuCommandOptions *opts, size_t *nextNode);
/* The port= of a USB device: "2", or "1.3" behind the hub at port 1; a
 * device without an address gets @fallback. Caller frees. */
char *qemuUSBPortString(const virDomainDeviceAddress *addr, unsigned int fallback);

/* qemu_command_input.c: the -device (USB, virtio, virtio-input-host) and
 * -object input-linux of @def's inputs (PS/2 ones are the machine's own):
 * libvirt's inputN ids, USB ports from 1. */
void qemuBuildInputs(GPtrArray *a, const virDomainDef *def);

/* qemu_command_graphics.c: -vnc / -spice / -display (with their -audiodev
 * and -object secret where needed) for @def's graphics, and its video
 * devices, as libvirt 9.0 writes them. */
void qemuBuildGraphics(GPtrArray *a, const virDomainDef *def);
void qemuBuildVideos(GPtrArray *a, const virDomainDef *def);

/* qemu_command_net.c: -netdev and -device for each interface of @def
 * (after the disks and filesystems); -1 with libvirt's error for an
 * interface that cannot start as it is (qemuValidateNetForStart). */
int qemuBuildNets(GPtrArray *a, const virDomainDef *def);

/* qemu_command_backing.c: the -blockdev pair of each image below @disk
 * (qemuDiskLayers), bottom first, libvirt-N-storage / libvirt-N-format
 * from *@next on (advanced past them); *@first: the nearest one's N (0:
 * none), *@terminated: the disk's own format node gets "backing":null.
 * @cacheJSON: the disk's cache members or NULL. 0, or -1 with libvirt's
 * error (a layer below a format without backing, a network layer with
 * authentication). */
int qemuBuildDiskBacking(GPtrArray *a, const virDomainDiskDef *disk,
                         const char *cacheJSON, size_t *next, size_t *first,
                         bool *terminated);
