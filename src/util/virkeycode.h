/* virkeycode.h: keycodes of libvirt's codesets (virKeycodeSet) and their translation */
#pragma once

#include <glib.h>
#include <stdbool.h>

/*
 * libvirt translates keys with the tables it generates from keycodemapdb's
 * keymaps.csv: one row per linux key, holding that key's code in each
 * codeset (linux, xt, atset1, atset2, atset3, os_x, xt_kbd, usb, win32,
 * qnum), a codeset without a code for the key holding its filler (0; 0xff
 * in os_x). virtkit carries the same rows (virkeycodetable.h, written by
 * scripts/keycode-tables.py) and looks them up the same way, so every
 * codeset translates as libvirt's does, fillers included: a key is known
 * to a codeset when some row holds it, and translates to the other
 * codeset's code in the first such row.
 */

/* libvirt's codeset name ("linux", "os_x", ...) of @codeset; NULL past the
 * last one. */
const char *virKeycodeSetToString(unsigned int codeset);

/* libvirt's virKeycodeValueTranslate: @key of codeset @from in codeset
 * @to, or -1 (nothing reported) when no row holds @key or a codeset is
 * past the last one. */
int virKeycodeTranslate(unsigned int from, unsigned int to, unsigned int key);

/* Is @key a key of @codeset (some row holds it: what libvirt's test
 * driver accepts)? */
bool virKeycodeIsValid(unsigned int codeset, unsigned int key);

/* QEMU's key number ("qnum") of @key in @codeset as libvirt's QEMU driver
 * sends it (keys of the qnum codeset go as they are), or -1 when there is
 * no translation (nothing reported). */
int virKeycodeToQnum(unsigned int codeset, unsigned int key);

/* How many rows the table has (for tests). */
size_t virKeycodeRowCount(void);

/* The code of row @row in @codeset (for tests; @row below
 * virKeycodeRowCount(), @codeset a valid codeset). */
unsigned int virKeycodeRowValue(size_t row, unsigned int codeset);
