/* fuzz-checkpointxml.c: libFuzzer target, <domaincheckpoint> XML parse + align + format + re-parse (src/conf) */

/*
 * Input: a <domaincheckpoint> document (seeds: tests/data/fuzz/checkpointxml,
 * the shapes libvirt writes and users send). Every input goes through the
 * parser twice: as a new checkpoint's request (then aligned to a fixed
 * two-disk domain, as a driver does) and as a redefinition. Checks,
 * besides ASan/UBSan:
 *  - a refused document leaves a libvirt error (code in range, domain
 *    DOMAIN_CHECKPOINT, XML, DOMAIN (the shared reader and the embedded
 *    <domain>) or NONE, a message); a refused alignment leaves the def's
 *    disks as they were;
 *  - an accepted document formats to XML that parses again as a
 *    redefinition, and the format is a fixed point.
 */

#include <string.h>

#include "checkpoint_conf.h"
#include "fuzz-common.h"

static const int cpDomains[] = { VIR_FROM_DOMAIN_CHECKPOINT, VIR_FROM_XML,
                                 VIR_FROM_DOMAIN, VIR_FROM_NONE, -1 };

static const char *domXML =
    "<domain type='qemu'><name>f</name><uuid>00000000-0000-0000-0000-000000000001</uuid>"
    "<memory>65536</memory><os><type arch='x86_64'>hvm</type></os><devices>"
    "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
    "<source file='/a.qcow2'/><target dev='vda' bus='virtio'/></disk>"
    "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>"
    "</devices></domain>";

static void
roundTrip(const virDomainCheckpointDef *def)
{
    g_autoptr(virDomainCheckpointDef) again = NULL;
    g_autofree char *out1 = virDomainCheckpointDefFormat(def, 0);
    g_autofree char *out2 = NULL;

    if (!def->creationTime)
        return; /* a redefinition of it would be refused, as libvirt's */
    if (!(again = virDomainCheckpointDefParseString(
              out1, VIR_DOMAIN_CHECKPOINT_PARSE_REDEFINE)))
        FUZZ_FAIL("formatted checkpoint does not parse again: %s\n%s",
                  virGetLastErrorMessage(), out1);
    out2 = virDomainCheckpointDefFormat(again, 0);
    FUZZ_CHECK(strcmp(out1, out2) == 0,
               "checkpoint format not a fixed point:\n%s\n---\n%s", out1, out2);
}

static void
checkNew(const char *xml)
{
    g_autoptr(virDomainCheckpointDef) def = NULL;
    size_t ndisks;

    virResetLastError();
    if (!(def = virDomainCheckpointDefParseString(xml, 0))) {
        fuzzCheckError("checkpoint parse", cpDomains);
        return;
    }
    FUZZ_CHECK(def->name != NULL, "a new checkpoint without a name");
    if (!(def->dom = virDomainDefParseString(domXML, VIR_DOMAIN_DEF_PARSE_INACTIVE)))
        FUZZ_FAIL("the fixed domain does not parse: %s", virGetLastErrorMessage());
    ndisks = def->ndisks;
    if (virDomainCheckpointAlignDisks(def) < 0) {
        fuzzCheckError("checkpoint align", cpDomains);
        FUZZ_CHECK(def->ndisks == ndisks, "a refused alignment changed the disks");
        return;
    }
    FUZZ_CHECK(def->ndisks == 2, "aligned to %zu disks, not the domain's 2", def->ndisks);
    FUZZ_CHECK(def->disks[1].type == VIR_DOMAIN_CHECKPOINT_TYPE_NONE,
               "a bitmap on an empty read-only cdrom");
    roundTrip(def);
}

static void
checkRedefine(const char *xml)
{
    g_autoptr(virDomainCheckpointDef) def = NULL;

    virResetLastError();
    if (!(def = virDomainCheckpointDefParseString(
              xml, VIR_DOMAIN_CHECKPOINT_PARSE_REDEFINE))) {
        fuzzCheckError("checkpoint redefine parse", cpDomains);
        return;
    }
    roundTrip(def);
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
