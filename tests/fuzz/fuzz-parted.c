/* fuzz-parted.c: libFuzzer target, parted(8)'s printout of a partition table, parsed (the disk backend) */

/*
 * Input: the output of `parted -s DEV unit B print free` or `unit chs
 * print` (the seeds are tests/data/fuzz/parted). Checks, besides
 * ASan/UBSan: a table that parses has its size and label, and every
 * partition or free extent lies within the device, start before end; a
 * geometry that parses has no zero field.
 */

#include "storage_parted.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *text = fuzzInputString(data, size);
    g_autoptr(virStoragePartTable) t = virStoragePartTableParse(text);

    if (t) {
        FUZZ_CHECK(t->label != NULL, "a table without a label");
        for (guint i = 0; i < t->parts->len; i++) {
            const virStoragePart *p = &g_array_index(t->parts, virStoragePart, i);

            FUZZ_CHECK(p->start < p->end && p->end <= t->size,
                       "extent %llu-%llu outside a device of %llu bytes", p->start,
                       p->end, t->size);
            FUZZ_CHECK((p->kind == VIR_STORAGE_PART_FREE) == (p->num == 0),
                       "a numbered free extent or an unnumbered partition");
        }
    }
    {
        virStoragePartTable g = { 0 };

        if (virStoragePartTableParseGeometry(&g, text))
            FUZZ_CHECK(g.cylinders && g.heads && g.sectors, "a zero geometry field");
    }
    return 0;
}
