/* domainxml-quirks.h: libvirt 9.0's domain XML whose formatted form is not a fixed point
 *
 * format(parse(format(parse(x)))) == format(parse(x)) holds for every
 * accepted document but these, where virtkit writes what libvirt writes
 * and libvirt's own output changes on a second pass (each has an xml2xml
 * case with a NAME.not-fixed-point file saying why):
 *  - a virtio console next to a serial one is renumbered once
 *    (console-serial-and-virtio);
 *  - an interface's <bandwidth> whose rates are all zero is written empty,
 *    and the next parse finds no rate and drops it (net-bandwidth-zero).
 * Used by the fuzz target (fuzz-domainxml.c) and tests/conf/xmlfuzztest.c.
 */
#pragma once

#include <stdbool.h>
#include <string.h>

/* Whether the formatted document @out has one of the quirks above. */
static inline bool
domainXMLNotFixedPoint(const char *out)
{
    const char *p = out;

    /* <console type=...> ... <target type='virtio' .../> ... </console> */
    while ((p = strstr(p, "<console "))) {
        const char *end = strstr(p, "</console>");
        const char *v = strstr(p, "<target type='virtio'");

        if (v && (!end || v < end))
            return true;
        p++;
    }
    for (p = out; (p = strstr(p, "<bandwidth>\n"));) {
        p += strlen("<bandwidth>\n");
        p += strspn(p, " ");
        if (strncmp(p, "</bandwidth>", strlen("</bandwidth>")) == 0)
            return true;
    }
    return false;
}
