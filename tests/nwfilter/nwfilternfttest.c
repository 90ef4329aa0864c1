/* nwfilternfttest.c: network filter bindings translated to nftables scripts (tests/data/nwfilternft) */

/*
 * Every NAME.xml in the directory is a <filterbinding>, translated
 * against libvirt's standard filters (the set a system daemon starts
 * with) and the filters of the filters folder there (*.xml); NAME.nft is the script
 * expected (TEST_REGENERATE=1 rewrites it: review the diff), or NAME.err
 * "code domain message" of the error expected. The translator only
 * writes text: nothing is run, no root needed.
 */
#define G_LOG_DOMAIN "virtkit.tests.nwfilternft"

#include <string.h>

#include "nwfilter_binding_conf.h"
#include "nwfilter_conf.h"
#include "nwfilter_driver.h"
#include "nwfilter_nft.h"
#include "virerror.h"

#include <glib/gstdio.h>

static const char *dataDir;
static GPtrArray *filters; /* of virNWFilterDef * */

static const virNWFilterDef *
lookup(const char *name, void *opaque)
{
    for (guint i = 0; i < filters->len; i++) {
        const virNWFilterDef *def = filters->pdata[i];

        if (g_str_equal(def->name, name))
            return def;
    }
    return NULL;
}

static void
testCase(gconstpointer data)
{
    const char *name = data;
    g_autofree char *in = g_strdup_printf("%s/%s.xml", dataDir, name);
    g_autofree char *nftPath = g_strdup_printf("%s/%s.nft", dataDir, name);
    g_autofree char *errPath = g_strdup_printf("%s/%s.err", dataDir, name);
    g_autoptr(virNWFilterBindingDef) b = NULL;
    g_autofree char *script = NULL;
    g_autofree char *got = NULL;
    g_autofree char *expected = NULL;
    bool errCase = g_file_test(errPath, G_FILE_TEST_EXISTS);

    virResetLastError();
    b = virNWFilterBindingDefParseFile(in);
    if (!b)
        g_test_message("parse: %s", virGetLastErrorMessage());
    g_assert_nonnull(b);
    if (!b)
        return;
    if ((script = nwfNftBuild(b, lookup, NULL))) {
        got = g_strdup(script);
    } else {
        virErrorPtr err = virGetLastError();

        g_assert_nonnull(err);
        got = g_strdup_printf("%d %d %s\n", err->code, err->domain, err->message);
    }
    if (g_getenv("TEST_REGENERATE")) {
        g_assert_true(g_file_set_contents(script ? nftPath : errPath, got, -1, NULL));
        if (script && errCase)
            g_remove(errPath);
        return;
    }
    g_assert_true(
        g_file_get_contents(errCase ? errPath : nftPath, &expected, NULL, NULL));
    if (errCase)
        g_assert_null(script);
    g_assert_cmpstr(got, ==, expected);
}

static gint
compareNames(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
main(int argc, char **argv)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *fdir = NULL;
    g_autoptr(GDir) d = NULL;
    const char *entry;

    g_test_init(&argc, &argv, NULL);
    dataDir = g_getenv("NWFILTERNFT_DATA_DIR");
    g_assert_nonnull(dataDir);
    filters = g_ptr_array_new_with_free_func((GDestroyNotify)virNWFilterDefFree);
    for (size_t i = 0; nwfilterDefaults[i].name; i++) {
        virNWFilterDef *def = virNWFilterDefParseString(nwfilterDefaults[i].xml, 0);

        g_assert_nonnull(def);
        g_ptr_array_add(filters, def);
    }
    fdir = g_build_filename(dataDir, "filters", NULL);
    d = g_dir_open(fdir, 0, NULL);
    while (d && (entry = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(fdir, entry, NULL);
        virNWFilterDef *def;

        if (!g_str_has_suffix(entry, ".xml"))
            continue;
        def = virNWFilterDefParseFile(path);
        if (!def)
            g_error("%s: %s", path, virGetLastErrorMessage());
        g_ptr_array_add(filters, def);
    }
    g_clear_pointer(&d, g_dir_close);
    d = g_dir_open(dataDir, 0, NULL);
    g_assert_nonnull(d);
    while ((entry = g_dir_read_name(d))) {
        if (g_str_has_suffix(entry, ".xml"))
            g_ptr_array_add(names, g_strndup(entry, strlen(entry) - 4));
    }
    g_ptr_array_sort(names, compareNames);
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *path =
            g_strdup_printf("/nwfilter/nft/%s", (const char *)names->pdata[i]);

        g_test_add_data_func(path, names->pdata[i], testCase);
    }
    return g_test_run();
}
