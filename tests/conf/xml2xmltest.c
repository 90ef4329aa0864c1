/* xml2xmltest.c: data-driven domain XML round trip (tests/data/xml2xml) */

/*
 * Every NAME.xml in the directory (other than *.out.xml) is one case:
 * - with NAME.out.xml: parsing must succeed and formatting must give that
 *   file exactly; formatting it again must be stable (a fixed point);
 * - with NAME.err: parsing must fail with that error, the file holding
 *   the code, the domain, then the message (which may span lines).
 * Names ending in "-live" are parsed and formatted as live definitions
 * (ids, pty paths); "-validate" ones are parsed with PARSE_VALIDATE.
 * NAME.not-fixed-point (holding the reason) exempts a case whose output,
 * like libvirt's, changes when parsed again.
 * TEST_REGENERATE=1 rewrites the expected files from the current output.
 */

#include <string.h>
#include <glib/gstdio.h>

#include "virtkit-config.h"
#include "domain_conf.h"
#include "virerror.h"

static const char *dataDir;
static bool regenerate;

typedef struct {
    char *name;
    char *input;
    char *outPath;
    char *errPath;
    char *unstablePath;
} xmlCase;

static void
caseFree(gpointer data)
{
    xmlCase *c = data;

    g_free(c->name);
    g_free(c->input);
    g_free(c->outPath);
    g_free(c->errPath);
    g_free(c->unstablePath);
    g_free(c);
}

static char *
formatError(void)
{
    virErrorPtr err = virGetLastError();

    if (!err)
        return g_strdup("(no error reported)\n");
    return g_strdup_printf("%d\n%d\n%s\n", err->code, err->domain,
                           err->message ? err->message : "(null)");
}

static void
writeExpected(const char *path, const char *data)
{
    g_autoptr(GError) error = NULL;

    if (!g_file_set_contents(path, data, -1, &error))
        g_error("cannot write %s: %s", path, error->message);
}

static void
testCase(gconstpointer data)
{
    const xmlCase *c = data;
    g_autofree char *xml = NULL;
    g_autofree char *expected = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(virDomainDef) def = NULL;
    bool live = g_str_has_suffix(c->name, "-live");
    unsigned int parseFlags = live ? 0 : VIR_DOMAIN_DEF_PARSE_INACTIVE;
    unsigned int formatFlags = live ? 0 : VIR_DOMAIN_DEF_FORMAT_INACTIVE;
    bool wantError = g_file_test(c->errPath, G_FILE_TEST_EXISTS);

    if (g_str_has_suffix(c->name, "-validate"))
        parseFlags |= VIR_DOMAIN_DEF_PARSE_VALIDATE;

    g_assert_true(g_file_get_contents(c->input, &xml, NULL, &error));
    virResetLastError();
    def = virDomainDefParseString(xml, parseFlags);

    if (regenerate) {
        if (def) {
            g_autofree char *out = virDomainDefFormat(def, formatFlags);
            writeExpected(c->outPath, out);
            g_unlink(c->errPath);
        } else {
            g_autofree char *err = formatError();
            writeExpected(c->errPath, err);
            g_unlink(c->outPath);
        }
        return;
    }

    if (wantError) {
        g_autofree char *got = NULL;

        g_assert_true(g_file_get_contents(c->errPath, &expected, NULL, &error));
        if (def) {
            g_autofree char *out = virDomainDefFormat(def, formatFlags);
            g_test_message("expected an error, parsed:\n%s", out);
        }
        g_assert_null(def);
        got = formatError();
        g_assert_cmpstr(got, ==, expected);
    } else {
        g_autofree char *out = NULL;
        g_autofree char *again = NULL;
        g_autoptr(virDomainDef) def2 = NULL;

        if (!def)
            g_test_message("parse failed: %s", virGetLastErrorMessage());
        g_assert_nonnull(def);
        if (!def)
            return;
        g_assert_true(g_file_get_contents(c->outPath, &expected, NULL, &error));
        out = virDomainDefFormat(def, formatFlags);
        g_assert_cmpstr(out, ==, expected);

        /* the canonical form is a fixed point, except where libvirt's own
         * output is not (NAME.not-fixed-point says why) */
        if (g_file_test(c->unstablePath, G_FILE_TEST_EXISTS))
            return;
        def2 = virDomainDefParseString(out, parseFlags);
        g_assert_nonnull(def2);
        if (!def2)
            return;
        again = virDomainDefFormat(def2, formatFlags);
        g_assert_cmpstr(again, ==, out);
    }
}

int
main(int argc, char **argv)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func(caseFree);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *entry;
    int ret;

    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    dataDir = g_getenv("XML2XML_DATA_DIR");
    if (!dataDir)
        dataDir = VIRTKIT_SRCDIR "/tests/data/xml2xml";
    regenerate = g_strcmp0(g_getenv("TEST_REGENERATE"), "1") == 0;

    if (!(dir = g_dir_open(dataDir, 0, &error)))
        g_error("cannot open %s: %s", dataDir, error->message);
    while ((entry = g_dir_read_name(dir))) {
        if (g_str_has_suffix(entry, ".xml") && !g_str_has_suffix(entry, ".out.xml"))
            g_ptr_array_add(names, g_strndup(entry, strlen(entry) - 4));
    }
    g_ptr_array_sort(names, (GCompareFunc)g_ascii_strcasecmp);
    g_assert_cmpuint(names->len, >, 0);

    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        xmlCase *c = g_new0(xmlCase, 1);
        g_autofree char *path = NULL;

        c->name = g_strdup(name);
        c->input = g_strdup_printf("%s/%s.xml", dataDir, name);
        c->outPath = g_strdup_printf("%s/%s.out.xml", dataDir, name);
        c->errPath = g_strdup_printf("%s/%s.err", dataDir, name);
        c->unstablePath = g_strdup_printf("%s/%s.not-fixed-point", dataDir, name);
        if (!regenerate && !g_file_test(c->outPath, G_FILE_TEST_EXISTS) &&
            !g_file_test(c->errPath, G_FILE_TEST_EXISTS))
            g_error("case %s has neither %s.out.xml nor %s.err", name, name, name);
        g_ptr_array_add(cases, c);
        path = g_strdup_printf("/conf/xml2xml/%s", name);
        g_test_add_data_func(path, c, testCase);
    }

    ret = g_test_run();
    return ret;
}
