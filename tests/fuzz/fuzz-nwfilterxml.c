/* fuzz-nwfilterxml.c: libFuzzer target, network filter <filter> XML parse + format + re-parse (src/conf) */

/*
 * Input: a <filter> document (the seeds are tests/data/fuzz/nwfilterxml:
 * the recorded cases of tests/data/nwfilterxml). It is parsed as is and
 * with VALIDATE. Checks, besides ASan/UBSan:
 *  - a refused document leaves a libvirt error (code in range, domain
 *    NWFILTER, XML, DOMAIN (the shared XML reader) or NONE, a message);
 *  - an accepted document formats to XML that parses again; libvirt's
 *    format is not a fixed point after one round (a chain priority of 0 is
 *    not printed, an ipset comes back with ipsetflags and is then dropped),
 *    so the check is that the second round is: format(parse(o2)) == o2
 *    where o2 = format(parse(format(parse(x)))).
 */

#include <string.h>

#include "nwfilter_conf.h"
#include "fuzz-common.h"

static const int nwfilterDomains[] = { VIR_FROM_NWFILTER, VIR_FROM_XML, VIR_FROM_DOMAIN,
                                       VIR_FROM_NONE, -1 };

static char *
roundTrip(const char *xml, const char *what)
{
    g_autoptr(virNWFilterDef) def = virNWFilterDefParseString(xml, 0);

    if (!def)
        FUZZ_FAIL("formatted filter (%s) does not parse again: %s\n%s", what,
                  virGetLastErrorMessage(), xml);
    return virNWFilterDefFormat(def);
}

static void
check(const char *xml, unsigned int flags)
{
    g_autoptr(virNWFilterDef) def = NULL;
    g_autofree char *out1 = NULL;
    g_autofree char *out2 = NULL;
    g_autofree char *out3 = NULL;

    virResetLastError();
    if (!(def = virNWFilterDefParseString(xml, flags))) {
        fuzzCheckError("nwfilter parse", nwfilterDomains);
        return;
    }
    out1 = virNWFilterDefFormat(def);
    out2 = roundTrip(out1, "first");
    out3 = roundTrip(out2, "second");
    FUZZ_CHECK(strcmp(out2, out3) == 0, "nwfilter format not a fixed point:\n%s\n---\n%s",
               out2, out3);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *xml = fuzzInputString(data, size);

    check(xml, 0);
    check(xml, VIR_NWFILTER_PARSE_VALIDATE);
    virResetLastError();
    return 0;
}
