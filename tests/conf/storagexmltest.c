/* storagexmltest.c: data-driven storage pool and volume XML round trip (tests/data/storagexml) */

/*
 * Every pool-NAME.xml / vol-NAME.xml in the directory (other than
 * *.out.xml) is one case; volumes are parsed for the pool in
 * vol-pool.xml (a dir pool) or, for vol-fs-NAME.xml, pool-fs.xml (for
 * vol-disk-NAME.xml, pool-disk.xml):
 * - with NAME.out.xml: parsing must succeed and formatting must give that
 *   file exactly; parsing that output again must give it again;
 * - with NAME.err: parsing must fail with that error: the code, the
 *   domain, then the message (libvirt 9.0's, recorded with Debian's
 *   python3-libvirt on test:///default where that driver parses it).
 * TEST_REGENERATE=1 rewrites the expected files from the current output.
 */

#define G_LOG_DOMAIN "virtkit.test.storagexml"

#include <string.h>
#include <glib/gstdio.h>

#include "storage_conf.h"
#include "virerror.h"

static const char *dataDir;
static bool regenerate;

static char *
formatError(void)
{
    virErrorPtr err = virGetLastError();

    if (!err)
        return g_strdup("(no error reported)\n");
    return g_strdup_printf("%d\n%d\n%s\n", err->code, err->domain,
                           err->message ? err->message : "(null)");
}

static char *
readData(const char *name)
{
    g_autofree char *path = g_build_filename(dataDir, name, NULL);
    char *data = NULL;

    if (!g_file_get_contents(path, &data, NULL, NULL))
        return NULL;
    return data;
}

static void
writeData(const char *name, const char *data)
{
    g_autofree char *path = g_build_filename(dataDir, name, NULL);

    g_assert_true(g_file_set_contents(path, data, -1, NULL));
}

/* Parse @xml as the case wants; NULL on failure (error set). */
static char *
parseFormat(const char *name, const char *xml)
{
    if (g_str_has_prefix(name, "pool-")) {
        g_autoptr(virStoragePoolDef) def = virStoragePoolDefParseString(xml);

        return def ? virStoragePoolDefFormat(def, 0) : NULL;
    } else {
        const char *poolFile = g_str_has_prefix(name, "vol-fs-")     ? "pool-fs.xml"
                               : g_str_has_prefix(name, "vol-disk-") ? "pool-disk.xml"
                                                                     : "pool-dir.xml";
        g_autofree char *poolXML = readData(poolFile);
        g_autoptr(virStoragePoolDef) pool = NULL;
        g_autoptr(virStorageVolDef) def = NULL;

        g_assert_nonnull(poolXML);
        pool = virStoragePoolDefParseString(poolXML);
        g_assert_nonnull(pool);
        def = virStorageVolDefParseString(pool, xml, 0);
        return def ? virStorageVolDefFormat(pool, def) : NULL;
    }
}

static void
testCase(gconstpointer data)
{
    const char *name = data; /* NAME, without .xml */
    g_autofree char *inFile = g_strdup_printf("%s.xml", name);
    g_autofree char *outFile = g_strdup_printf("%s.out.xml", name);
    g_autofree char *errFile = g_strdup_printf("%s.err", name);
    g_autofree char *input = readData(inFile);
    g_autofree char *errPath = g_build_filename(dataDir, errFile, NULL);
    bool wantError = g_file_test(errPath, G_FILE_TEST_EXISTS);
    g_autofree char *out = NULL;

    g_assert_nonnull(input);
    virResetLastError();
    out = parseFormat(name, input);
    if (wantError || (!out && regenerate)) {
        g_autofree char *got = NULL;
        g_autofree char *expected = NULL;

        g_assert_null(out);
        got = formatError();
        if (regenerate)
            writeData(errFile, got);
        expected = readData(errFile);
        g_assert_cmpstr(got, ==, expected);
        return;
    }
    if (!out)
        g_error("%s: %s", name, virGetLastErrorMessage());
    if (regenerate)
        writeData(outFile, out);
    {
        g_autofree char *expected = readData(outFile);
        g_autofree char *again = NULL;

        g_assert_nonnull(expected);
        g_assert_cmpstr(out, ==, expected);
        /* generated UUIDs differ from run to run: only stable inputs */
        again = parseFormat(name, out);
        g_assert_nonnull(again);
        g_assert_cmpstr(again, ==, out);
    }
}

int
main(int argc, char **argv)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *ent;

    g_test_init(&argc, &argv, NULL);
    dataDir = g_getenv("STORAGEXML_DATA_DIR");
    if (!dataDir)
        dataDir = "tests/data/storagexml";
    regenerate = g_strcmp0(g_getenv("TEST_REGENERATE"), "1") == 0;

    dir = g_dir_open(dataDir, 0, NULL);
    g_assert_nonnull(dir);
    while ((ent = g_dir_read_name(dir))) {
        if (!g_str_has_suffix(ent, ".xml") || g_str_has_suffix(ent, ".out.xml"))
            continue;
        if (!g_str_has_prefix(ent, "pool-") && !g_str_has_prefix(ent, "vol-"))
            continue;
        g_ptr_array_add(names, g_strndup(ent, strlen(ent) - 4));
    }
    g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
    g_assert_cmpuint(names->len, >, 10);
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *path =
            g_strdup_printf("/storage/xml/%s", (char *)g_ptr_array_index(names, i));

        g_test_add_data_func(path, g_ptr_array_index(names, i), testCase);
    }
    return g_test_run();
}
