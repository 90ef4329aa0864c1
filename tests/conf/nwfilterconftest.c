/* nwfilterconftest.c: network filter XML against libvirtd 9.0's own output (tests/data/nwfilterxml) */

/*
 * Every case-NAME.xml in the directory is one case, with what libvirtd
 * 9.0 made of it (recorded by record.py there, never by this test):
 * case-NAME.out, what nwfilter-dumpxml printed after defining it, or
 * case-NAME.err, "code domain message" of the error it reported. A case
 * without <uuid> gets a random one: such .out files have it replaced by
 * the parsed one before comparing. Parsing the output again must give
 * it back, or case-NAME.reparse where libvirtd's does not either (a chain
 * priority of 0 is not printed and reads back as the chain's default; an
 * ipset is printed with ipsetflags, and the two together are dropped).
 */

#include <string.h>

#include "nwfilter_conf.h"
#include "virerror.h"
#include "viruuid.h"

static const char *dataDir;

static void
testCase(gconstpointer data)
{
    const char *name = data;
    g_autofree char *in = g_strdup_printf("%s/%s.xml", dataDir, name);
    g_autofree char *outPath = g_strdup_printf("%s/%s.out", dataDir, name);
    g_autofree char *errPath = g_strdup_printf("%s/%s.err", dataDir, name);
    g_autofree char *xml = NULL;
    g_autofree char *expected = NULL;
    g_autoptr(virNWFilterDef) def = NULL;

    g_assert_true(g_file_get_contents(in, &xml, NULL, NULL));
    virResetLastError();
    def = virNWFilterDefParseString(xml, 0);
    if (g_file_get_contents(errPath, &expected, NULL, NULL)) {
        virErrorPtr err = virGetLastError();
        g_autofree char *got = NULL;

        if (def) {
            g_autofree char *out = virNWFilterDefFormat(def);
            g_test_message("expected an error, parsed:\n%s", out);
        }
        g_assert_null(def);
        g_assert_nonnull(err);
        if (!err)
            return;
        got = g_strdup_printf("%d %d %s\n", err->code, err->domain, err->message);
        g_assert_cmpstr(got, ==, expected);
    } else {
        g_autofree char *out = NULL;
        g_autofree char *again = NULL;
        g_autoptr(virNWFilterDef) def2 = NULL;

        if (!def)
            g_test_message("parse failed: %s", virGetLastErrorMessage());
        g_assert_nonnull(def);
        if (!def)
            return;
        g_assert_true(g_file_get_contents(outPath, &expected, NULL, NULL));
        out = virNWFilterDefFormat(def);
        g_assert_cmpstr(out, ==, expected);
        def2 = virNWFilterDefParseString(out, 0);
        g_assert_nonnull(def2);
        if (!def2)
            return;
        again = virNWFilterDefFormat(def2);
        {
            g_autofree char *reparsePath =
                g_strdup_printf("%s/%s.reparse", dataDir, name);
            g_autofree char *reparse = NULL;

            if (g_file_get_contents(reparsePath, &reparse, NULL, NULL))
                g_assert_cmpstr(again, ==, reparse);
            else
                g_assert_cmpstr(again, ==, out);
        }
    }
}

/* A filter without <uuid> gets a fresh random one each time. */
static void
testUUIDGenerated(void)
{
    g_autoptr(virNWFilterDef) a = virNWFilterDefParseString("<filter name='a'/>", 0);
    g_autoptr(virNWFilterDef) b = virNWFilterDefParseString("<filter name='a'/>", 0);

    g_assert_nonnull(a);
    g_assert_nonnull(b);
    g_assert_false(a->uuidSpecified);
    g_assert_true(memcmp(a->uuid, b->uuid, VIR_UUID_BUFLEN) != 0);
}

/* VALIDATE refuses what the parser would skip. */
static void
testValidate(void)
{
    static const char *const bad[] = {
        "<filter name='a'><foo/></filter>",
        "<filter name='a'><rule action='drop' direction='in'><bar/></rule></filter>",
        "<filter name='a'><rule action='drop' direction='in'><tcp x='1'/></rule></filter>",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(virNWFilterDef) ok = virNWFilterDefParseString(bad[i], 0);
        g_autoptr(virNWFilterDef) refused = NULL;

        g_assert_nonnull(ok);
        virResetLastError();
        refused = virNWFilterDefParseString(bad[i], VIR_NWFILTER_PARSE_VALIDATE);
        g_assert_null(refused);
        g_assert_cmpint(virGetLastError()->code, ==, VIR_ERR_XML_INVALID_SCHEMA);
        g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_XML);
    }
}

int
main(int argc, char **argv)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *entry;

    g_test_init(&argc, &argv, NULL);
    dataDir = g_getenv("NWFILTERXML_DATA_DIR");
    g_assert_nonnull(dataDir);
    dir = g_dir_open(dataDir, 0, NULL);
    g_assert_nonnull(dir);
    while ((entry = g_dir_read_name(dir))) {
        if (g_str_has_prefix(entry, "case-") && g_str_has_suffix(entry, ".xml"))
            g_ptr_array_add(names, g_strndup(entry, strlen(entry) - 4));
    }
    g_ptr_array_sort(names, (GCompareFunc)g_ascii_strcasecmp);
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *path =
            g_strdup_printf("/nwfilter/xml/%s", (char *)names->pdata[i]);

        g_test_add_data_func(path, names->pdata[i], testCase);
    }
    g_test_add_func("/nwfilter/uuid-generated", testUUIDGenerated);
    g_test_add_func("/nwfilter/validate", testValidate);
    return g_test_run();
}
