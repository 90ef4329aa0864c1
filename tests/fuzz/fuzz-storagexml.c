/* fuzz-storagexml.c: libFuzzer target, storage pool and volume XML parse + format + re-parse (src/conf) */

/*
 * Input: a <pool> or <volume> document (the seeds are tests/data/storagexml).
 * Every input goes through both parsers (a volume for a dir pool, and for
 * a disk pool, whose volumes have partition formats). Checks,
 * besides ASan/UBSan:
 *  - a refused document leaves a libvirt error (code in range, domain
 *    STORAGE, XML or NONE, a message);
 *  - an accepted document formats to XML that parses again, and the
 *    canonical form is a fixed point: format(parse(format(parse(x)))) ==
 *    format(parse(x)) (a generated pool UUID is fixed by the first format).
 */

#include "storage_conf.h"
#include "fuzz-common.h"

static const int storageDomains[] = { VIR_FROM_STORAGE, VIR_FROM_XML, VIR_FROM_NONE, -1 };

static virStoragePoolDef *dirPool;
static virStoragePoolDef *diskPool;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    dirPool = virStoragePoolDefParseString(
        "<pool type='dir'><name>fuzz</name><target><path>/var/lib/fuzz</path></target></pool>");
    if (!dirPool)
        FUZZ_FAIL("the dir pool of the volume checks does not parse");
    diskPool = virStoragePoolDefParseString(
        "<pool type='disk'><name>fuzzdisk</name><source><device path='/dev/loop0'/>"
        "<format type='gpt'/></source><target><path>/dev</path></target></pool>");
    if (!diskPool)
        FUZZ_FAIL("the disk pool of the volume checks does not parse");
    return 0;
}

static void
checkPool(const char *xml)
{
    g_autoptr(virStoragePoolDef) def = NULL;
    g_autoptr(virStoragePoolDef) again = NULL;
    g_autofree char *out1 = NULL;
    g_autofree char *out2 = NULL;

    virResetLastError();
    if (!(def = virStoragePoolDefParseString(xml))) {
        fuzzCheckError("pool parse", storageDomains);
        return;
    }
    out1 = virStoragePoolDefFormat(def, 0);
    if (!(again = virStoragePoolDefParseString(out1)))
        FUZZ_FAIL("formatted pool does not parse again: %s\n%s", virGetLastErrorMessage(),
                  out1);
    out2 = virStoragePoolDefFormat(again, 0);
    FUZZ_CHECK(strcmp(out1, out2) == 0, "pool format not a fixed point:\n%s\n---\n%s",
               out1, out2);
}

static void
checkVol(const virStoragePoolDef *pool, const char *xml)
{
    g_autoptr(virStorageVolDef) def = NULL;
    g_autoptr(virStorageVolDef) again = NULL;
    g_autofree char *out1 = NULL;
    g_autofree char *out2 = NULL;

    virResetLastError();
    if (!(def = virStorageVolDefParseString(pool, xml, 0))) {
        fuzzCheckError("volume parse", storageDomains);
        return;
    }
    out1 = virStorageVolDefFormat(pool, def);
    if (!(again = virStorageVolDefParseString(pool, out1, 0)))
        FUZZ_FAIL("formatted volume does not parse again: %s\n%s",
                  virGetLastErrorMessage(), out1);
    out2 = virStorageVolDefFormat(pool, again);
    FUZZ_CHECK(strcmp(out1, out2) == 0, "volume format not a fixed point:\n%s\n---\n%s",
               out1, out2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *xml = fuzzInputString(data, size);

    checkPool(xml);
    checkVol(dirPool, xml);
    checkVol(diskPool, xml);
    virResetLastError();
    return 0;
}
