/* fuzz-domainxml.c: libFuzzer target, domain XML parse + format + re-parse (src/conf) */

/*
 * Input: a domain XML document (the seeds are tests/data/xml2xml).
 * Checks, besides ASan/UBSan:
 *  - a refused document leaves a libvirt error (code in range, domain
 *    DOMAIN, XML or NONE, a message), as tests/conf/xmlfuzztest does;
 *  - an accepted document formats to XML that parses again, and the
 *    canonical form is a fixed point from the second round on:
 *    format(parse(format(parse(x)))) == format(parse(x)) except for
 *    libvirt's own quirks (domainxml-quirks.h), and the third round always
 *    equals the second;
 *  - the same document parsed with VALIDATE is either refused or gives
 *    the same canonical form (validation only adds refusals);
 *  - the live (non-INACTIVE) parse and format round trip likewise, and
 *    the live parse accepts nothing the inactive parse refuses.
 */

#include "virtkit-config.h"
#include "domain_conf.h"
#include "fuzz-common.h"
#include "domainxml-quirks.h"

#include <libxml/xmlerror.h>

/* DEVICE: libvirt's domain for a bad USB port address; STORAGE: a
 * network disk's <auth> and cookies */
static const int xmlDomains[] = { VIR_FROM_DOMAIN,
                                  VIR_FROM_XML,
                                  VIR_FROM_NONE,
                                  VIR_FROM_CPU,
                                  VIR_FROM_DEVICE,
                                  VIR_FROM_STORAGE,
                                  -1 };

/* Blank the (first) <@tag>...</@tag> of a formatted document in place. */
static void
maskElement(char *xml, const char *tag)
{
    g_autofree char *open = g_strdup_printf("<%s>", tag);
    g_autofree char *close = g_strdup_printf("</%s>", tag);
    char *p = strstr(xml, open);
    char *end = p ? strstr(p, close) : NULL;

    if (p && end)
        memset(p, ' ', end - p);
}

/* One chain: parse with @pflags, format with @fflags, twice more. Returns
 * the first canonical form (or NULL if refused). */
static char *
roundTrip(const char *xml, unsigned int pflags, unsigned int fflags, const char *what)
{
    g_autoptr(virDomainDef) def = NULL;
    g_autoptr(virDomainDef) def2 = NULL;
    g_autoptr(virDomainDef) def3 = NULL;
    g_autofree char *out1 = NULL;
    g_autofree char *out2 = NULL;
    g_autofree char *out3 = NULL;

    virResetLastError();
    if (!(def = virDomainDefParseString(xml, pflags))) {
        fuzzCheckError(what, xmlDomains);
        return NULL;
    }
    out1 = virDomainDefFormat(def, fflags);
    virResetLastError();
    if (!(def2 = virDomainDefParseString(out1, pflags)))
        FUZZ_FAIL("%s: accepted input formats to XML that is refused (%s):\n%s", what,
                  virGetLastErrorMessage(), out1);
    out2 = virDomainDefFormat(def2, fflags);
    if (!(def3 = virDomainDefParseString(out2, pflags)))
        FUZZ_FAIL("%s: second round refused (%s):\n%s", what, virGetLastErrorMessage(),
                  out2);
    out3 = virDomainDefFormat(def3, fflags);
    if (strcmp(out2, out3) != 0)
        FUZZ_FAIL("%s: canonical form not stable:\n%s\n---\n%s", what, out2, out3);
    if (strcmp(out1, out2) != 0 && !domainXMLNotFixedPoint(out1))
        FUZZ_FAIL("%s: format(parse(format(x))) != format(x):\n%s\n---\n%s", what, out1,
                  out2);
    return g_steal_pointer(&out1);
}

static void
quietXMLError(void *ctx, const char *msg, ...)
{
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    /* libxml2 prints some errors (encoding) through its generic handler
     * even with XML_PARSE_NOERROR: keep the fuzzer's output readable. */
    xmlSetGenericErrorFunc(NULL, quietXMLError);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *xml = NULL;
    g_autofree char *inactive = NULL;
    g_autofree char *live = NULL;
    g_autoptr(virDomainDef) strict = NULL;

    if (size > 256 * 1024)
        return 0; /* bigger documents only slow the search down */
    xml = fuzzInputString(data, size);

    /* SECURE: as the driver stores definitions (a VNC passwd is only
     * formatted with it, and passwdValidTo means nothing without one) */
    inactive = roundTrip(xml, VIR_DOMAIN_DEF_PARSE_INACTIVE,
                         VIR_DOMAIN_DEF_FORMAT_INACTIVE | VIR_DOMAIN_DEF_FORMAT_SECURE,
                         "inactive");
    live = roundTrip(xml, 0, VIR_DOMAIN_DEF_FORMAT_SECURE, "live");
    /* The live parse reads more (id, live-only data) and may refuse more
     * (an id='abc' is refused there, ignored by the inactive parse), never
     * less. */
    if (live && !inactive)
        FUZZ_FAIL("the live parse accepts a document the inactive parse refuses");

    virResetLastError();
    strict = virDomainDefParseString(xml, VIR_DOMAIN_DEF_PARSE_INACTIVE |
                                              VIR_DOMAIN_DEF_PARSE_VALIDATE);
    if (strict) {
        g_autofree char *out = virDomainDefFormat(
            strict, VIR_DOMAIN_DEF_FORMAT_INACTIVE | VIR_DOMAIN_DEF_FORMAT_SECURE);

        if (!inactive)
            FUZZ_FAIL("VALIDATE accepts a document the plain parse refuses");
        /* A missing UUID, like an empty <genid/>, is generated at random
         * per parse (as libvirt): compare without them. */
        maskElement(out, "uuid");
        maskElement(inactive, "uuid");
        maskElement(out, "genid");
        maskElement(inactive, "genid");
        if (strcmp(out, inactive) != 0)
            FUZZ_FAIL("VALIDATE parse formats differently:\n%s\n---\n%s", out, inactive);
    } else {
        fuzzCheckError("validate", xmlDomains);
    }
    return 0;
}
