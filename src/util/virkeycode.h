/* virkeycode.h: keycodes of libvirt's codesets (virKeycodeSet) and their QEMU key numbers */
#pragma once

#include <glib.h>
#include <stdbool.h>

/*
 * libvirt translates keys with the tables of keycodemapdb; virtkit carries
 * the part QEMU's send-key needs from the codesets people use: linux
 * (the evdev KEY_* numbers), xt and atset1 (PC scancodes, 0xe0XX for the
 * extended ones) and qnum/rfb (QEMU's own numbers: set 1 with the 0xe0
 * prefix folded into bit 7) and usb (HID keyboard usages, through their
 * linux keys). Keys of the other codesets (atset2, atset3, os_x, xt_kbd,
 * win32), and the few linux keys without a PC scancode here, have no
 * translation: libvirt's error "cannot translate keycode".
 */

/* libvirt's codeset name ("linux", "os_x", ...) of @codeset; NULL past the
 * last one. */
const char *virKeycodeSetToString(unsigned int codeset);

/* Is @key a key of @codeset as far as virtkit can tell (within the
 * codeset's range; exact for linux, xt, atset1 and qnum)? */
bool virKeycodeIsValid(unsigned int codeset, unsigned int key);

/* QEMU's key number ("qnum") of @key in @codeset, or -1 when there is no
 * translation (nothing reported). */
int virKeycodeToQnum(unsigned int codeset, unsigned int key);
