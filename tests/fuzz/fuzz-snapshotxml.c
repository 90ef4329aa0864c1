/* fuzz-snapshotxml.c: libFuzzer target, <domainsnapshot> XML parse + format + re-parse (src/conf) */

/*
 * Input: a <domainsnapshot> document (seeds: tests/data/fuzz/snapshotxml,
 * the shapes libvirt writes and users send). Every input goes through the
 * parser twice: as a new snapshot's request and as a redefinition (with
 * <active>, as the QEMU driver's metadata files). Checks, besides
 * ASan/UBSan:
 *  - a refused document leaves a libvirt error (code in range, domain
 *    DOMAIN_SNAPSHOT, XML, DOMAIN (the shared reader and the embedded
 *    <domain>) or NONE, a message);
 *  - an accepted redefinition formats to XML that parses again, and the
 *    format is a fixed point: format(parse(format(parse(x)))) ==
 *    format(parse(x)).
 */

#include <string.h>

#include "snapshot_conf.h"
#include "fuzz-common.h"

static const int snapDomains[] = { VIR_FROM_DOMAIN_SNAPSHOT, VIR_FROM_XML,
                                   VIR_FROM_DOMAIN, VIR_FROM_NONE, -1 };

static void
checkNew(const char *xml)
{
    g_autoptr(virDomainSnapshotDef) def = NULL;

    virResetLastError();
    if (!(def = virDomainSnapshotDefParseString(xml, 0, NULL))) {
        fuzzCheckError("snapshot parse", snapDomains);
        return;
    }
    FUZZ_CHECK(def->name != NULL, "a new snapshot without a name");
}

static void
checkRedefine(const char *xml)
{
    g_autoptr(virDomainSnapshotDef) def = NULL;
    g_autoptr(virDomainSnapshotDef) again = NULL;
    g_autofree char *out1 = NULL;
    g_autofree char *out2 = NULL;
    unsigned int flags =
        VIR_DOMAIN_SNAPSHOT_PARSE_REDEFINE | VIR_DOMAIN_SNAPSHOT_PARSE_INTERNAL;
    unsigned int fmt =
        VIR_DOMAIN_SNAPSHOT_FORMAT_SECURE | VIR_DOMAIN_SNAPSHOT_FORMAT_INTERNAL;
    bool current = false;
    bool current2 = false;

    virResetLastError();
    if (!(def = virDomainSnapshotDefParseString(xml, flags, &current))) {
        fuzzCheckError("snapshot redefine parse", snapDomains);
        return;
    }
    if (current)
        fmt |= VIR_DOMAIN_SNAPSHOT_FORMAT_CURRENT;
    out1 = virDomainSnapshotDefFormat("00000000-0000-0000-0000-000000000000", def, fmt);
    if (!(again = virDomainSnapshotDefParseString(out1, flags, &current2)))
        FUZZ_FAIL("formatted snapshot does not parse again: %s\n%s",
                  virGetLastErrorMessage(), out1);
    FUZZ_CHECK(current == current2, "<active> lost in the round trip");
    out2 = virDomainSnapshotDefFormat("00000000-0000-0000-0000-000000000000", again, fmt);
    FUZZ_CHECK(strcmp(out1, out2) == 0, "snapshot format not a fixed point:\n%s\n---\n%s",
               out1, out2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *xml = fuzzInputString(data, size);

    checkNew(xml);
    checkRedefine(xml);
    virResetLastError();
    return 0;
}
