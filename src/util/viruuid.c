/* viruuid.c: UUID generation, parsing and formatting */

#define G_LOG_DOMAIN "virtkit.util.uuid"
#include <string.h>
#include <sys/random.h>

#include "viruuid.h"

void
virUUIDGenerate(unsigned char *uuid)
{
    size_t got = 0;

    while (got < VIR_UUID_BUFLEN) {
        ssize_t n = getrandom(uuid + got, VIR_UUID_BUFLEN - got, 0);

        if (n < 0)
            continue; /* EINTR; getrandom never fails otherwise once seeded */
        got += n;
    }
    uuid[6] = (uuid[6] & 0x0f) | 0x40; /* version 4 */
    uuid[8] = (uuid[8] & 0x3f) | 0x80; /* RFC 4122 variant */
}


static int
virHexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}


int
virUUIDParse(const char *str, unsigned char *uuid)
{
    unsigned char tmp[VIR_UUID_BUFLEN];
    const char *p = str;
    size_t i = 0;

    if (!str)
        return -1;
    while (g_ascii_isspace(*p))
        p++;
    while (i < VIR_UUID_BUFLEN) {
        int hi, lo;

        if (*p == '-') {
            p++;
            continue;
        }
        hi = virHexValue(p[0]);
        if (hi < 0)
            return -1;
        lo = virHexValue(p[1]);
        if (lo < 0)
            return -1;
        tmp[i++] = (hi << 4) | lo;
        p += 2;
    }
    while (*p) {
        if (!g_ascii_isspace(*p))
            return -1;
        p++;
    }
    memcpy(uuid, tmp, VIR_UUID_BUFLEN);
    return 0;
}


const char *
virUUIDFormat(const unsigned char *uuid, char *buf)
{
    g_snprintf(buf, VIR_UUID_STRING_BUFLEN,
               "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
               uuid[0], uuid[1], uuid[2], uuid[3], uuid[4], uuid[5], uuid[6], uuid[7],
               uuid[8], uuid[9], uuid[10], uuid[11], uuid[12], uuid[13], uuid[14],
               uuid[15]);
    return buf;
}
