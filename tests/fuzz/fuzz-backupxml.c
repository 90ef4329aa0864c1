/* fuzz-backupxml.c: libFuzzer target, <domainbackup> XML parse + align + format + re-parse (src/conf) */

/*
 * Input: a <domainbackup> document (seeds: tests/data/fuzz/backupxml, the
 * shapes libvirt's documentation and virsh users send). Each input is
 * parsed, then aligned to a fixed three-disk domain as the QEMU driver
 * does. Checks, besides ASan/UBSan:
 *  - a refused document or alignment leaves a libvirt error (code in
 *    range, domain DOMAIN or XML, a message); a refused alignment leaves
 *    the def as it was (its format unchanged);
 *  - an accepted document formats to XML that parses again into the same
 *    format (a fixed point), before and after the alignment; after it,
 *    every disk of the domain is listed once and every disk backed up has
 *    a target.
 */

#include <string.h>

#include "backup_conf.h"
#include "fuzz-common.h"

static const int backupDomains[] = { VIR_FROM_DOMAIN, VIR_FROM_XML, VIR_FROM_NONE, -1 };

static const char *domXML =
    "<domain type='qemu'><name>f</name><uuid>00000000-0000-0000-0000-000000000001</uuid>"
    "<memory>65536</memory><os><type arch='x86_64'>hvm</type></os><devices>"
    "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
    "<source file='/a.qcow2'/><target dev='vda' bus='virtio'/></disk>"
    "<disk type='block' device='disk'><driver name='qemu' type='raw'/>"
    "<source dev='/dev/b'/><target dev='vdb' bus='virtio'/></disk>"
    "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>"
    "</devices></domain>";

static void
roundTrip(const virDomainBackupDef *def)
{
    g_autoptr(virDomainBackupDef) again = NULL;
    g_autofree char *out1 = virDomainBackupDefFormat(def);
    g_autofree char *out2 = NULL;

    if (!(again = virDomainBackupDefParseString(out1)))
        FUZZ_FAIL("formatted backup does not parse again: %s\n%s",
                  virGetLastErrorMessage(), out1);
    out2 = virDomainBackupDefFormat(again);
    FUZZ_CHECK(strcmp(out1, out2) == 0, "backup format not a fixed point:\n%s\n---\n%s",
               out1, out2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *xml = fuzzInputString(data, size);
    g_autoptr(virDomainBackupDef) def = NULL;
    g_autoptr(virDomainDef) dom = NULL;
    g_autofree char *before = NULL;

    virResetLastError();
    if (!(def = virDomainBackupDefParseString(xml))) {
        fuzzCheckError("backup parse", backupDomains);
        return 0;
    }
    roundTrip(def);
    if (!(dom = virDomainDefParseString(domXML, VIR_DOMAIN_DEF_PARSE_INACTIVE)))
        FUZZ_FAIL("the fixed domain does not parse: %s", virGetLastErrorMessage());
    before = virDomainBackupDefFormat(def);
    if (virDomainBackupAlignDisks(def, dom, "fuzz") < 0) {
        g_autofree char *after = virDomainBackupDefFormat(def);

        fuzzCheckError("backup align", backupDomains);
        FUZZ_CHECK(strcmp(before, after) == 0, "a refused alignment changed the def");
        virResetLastError();
        return 0;
    }
    FUZZ_CHECK(def->ndisks == 3, "aligned to %zu disks, not the domain's 3", def->ndisks);
    for (size_t i = 0; i < def->ndisks; i++) {
        for (size_t j = 0; j < i; j++)
            FUZZ_CHECK(strcmp(def->disks[i].name, def->disks[j].name) != 0,
                       "disk '%s' listed twice", def->disks[i].name);
        FUZZ_CHECK(!def->disks[i].backup || def->disks[i].storePath,
                   "disk '%s' backed up without a target", def->disks[i].name);
        FUZZ_CHECK(def->disks[i].backupmode != VIR_DOMAIN_BACKUP_DISK_BACKUP_MODE_DEFAULT,
                   "disk '%s' without a mode after alignment", def->disks[i].name);
    }
    roundTrip(def);
    virResetLastError();
    return 0;
}
