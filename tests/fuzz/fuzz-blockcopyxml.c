/* fuzz-blockcopyxml.c: libFuzzer target, the destination <disk> of virDomainBlockCopy (src/conf) */

/*
 * Input: a <disk> document (seeds: tests/data/fuzz/blockcopyxml, what
 * virsh blockcopy builds and what users give with --xml). Checks, besides
 * ASan/UBSan: a refused document leaves a libvirt error (code in range,
 * domain DOMAIN, XML or NONE, a message); an accepted one names a
 * non-empty path and a known format.
 */

#include <string.h>

#include "domain_conf.h"
#include "fuzz-common.h"

static const int destDomains[] = { VIR_FROM_DOMAIN, VIR_FROM_XML, VIR_FROM_NONE, -1 };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *xml = fuzzInputString(data, size);
    g_autoptr(virDomainBlockCopyDest) dest = NULL;

    virResetLastError();
    if (!(dest = virDomainBlockCopyDestParse(xml))) {
        fuzzCheckError("block copy destination parse", destDomains);
        return 0;
    }
    FUZZ_CHECK(dest->path && *dest->path, "a destination without a path");
    FUZZ_CHECK(dest->format >= VIR_STORAGE_FORMAT_NONE &&
                   dest->format < VIR_STORAGE_FORMAT_LAST,
               "format %d out of range", dest->format);
    virResetLastError();
    return 0;
}
