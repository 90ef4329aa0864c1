/* viruuid.h: UUID generation, parsing and formatting */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

/* Fill @uuid with a random version-4 UUID. */
void virUUIDGenerate(unsigned char *uuid);
/* Parse "xxxxxxxx-xxxx-..." (also accepts no dashes, as libvirt); 0 or -1
 * (no error reported). */
int virUUIDParse(const char *str, unsigned char *uuid);
/* Format into @buf (VIR_UUID_STRING_BUFLEN bytes); returns buf. */
const char *virUUIDFormat(const unsigned char *uuid, char *buf);
