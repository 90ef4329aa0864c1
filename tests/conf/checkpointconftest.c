/* checkpointconftest.c: <domaincheckpoint> XML against libvirt 9.0's own output (tests/data/checkpointxml) */

/*
 * Every case-NAME.xml in the directory is one case, with what libvirt
 * 9.0's test driver made of it on its domain 'test' (domain.xml there),
 * recorded by record.py there, never by this test: case-NAME.out, the
 * XML it formats back (no <domain>; a new checkpoint's creationTime left
 * out), or case-NAME.err, "code domain message" of its error. A name with
 * "redef" is parsed as a redefinition; any other as a new checkpoint,
 * then aligned to domain.xml's disks. The output must also be a fixed
 * point of (redefine) parse + format.
 */

#include <string.h>

#include "checkpoint_conf.h"
#include "virerror.h"

static const char *dataDir;

static char *
formatNoTime(const virDomainCheckpointDef *def, bool redefine)
{
    g_autofree char *out =
        virDomainCheckpointDefFormat(def, VIR_DOMAIN_CHECKPOINT_FORMAT_NO_DOMAIN);
    g_autoptr(GString) kept = g_string_new(NULL);
    g_auto(GStrv) lines = NULL;

    if (redefine)
        return g_steal_pointer(&out);
    lines = g_strsplit(out, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        if (g_str_has_prefix(lines[i], "  <creationTime>"))
            continue;
        g_string_append(kept, lines[i]);
        if (lines[i + 1])
            g_string_append_c(kept, '\n');
    }
    return g_string_free(g_steal_pointer(&kept), FALSE);
}

static void
testCase(gconstpointer data)
{
    const char *name = data;
    g_autofree char *in = g_strdup_printf("%s/%s.xml", dataDir, name);
    g_autofree char *outPath = g_strdup_printf("%s/%s.out", dataDir, name);
    g_autofree char *errPath = g_strdup_printf("%s/%s.err", dataDir, name);
    g_autofree char *domPath = g_strdup_printf("%s/domain.xml", dataDir);
    g_autofree char *xml = NULL;
    g_autofree char *expected = NULL;
    g_autoptr(virDomainCheckpointDef) def = NULL;
    bool redefine = strstr(name, "redef") != NULL;
    int rc = 0;

    g_assert_true(g_file_get_contents(in, &xml, NULL, NULL));
    virResetLastError();
    def = virDomainCheckpointDefParseString(
        xml, redefine ? VIR_DOMAIN_CHECKPOINT_PARSE_REDEFINE : 0);
    if (def && !redefine) {
        g_assert_nonnull(def->name);
        g_assert_cmpint(def->creationTime, >, 0);
        def->dom = virDomainDefParseFile(domPath, VIR_DOMAIN_DEF_PARSE_INACTIVE);
        g_assert_nonnull(def->dom);
        rc = virDomainCheckpointAlignDisks(def);
    }
    if (g_file_get_contents(errPath, &expected, NULL, NULL)) {
        virErrorPtr err = virGetLastError();
        g_autofree char *got = NULL;

        g_assert_true(!def || rc < 0);
        g_assert_nonnull(err);
        if (!err)
            return;
        got = g_strdup_printf("%d %d %s\n", err->code, err->domain, err->message);
        g_assert_cmpstr(got, ==, expected);
    } else {
        g_autofree char *out = NULL;
        g_autofree char *full = NULL;
        g_autofree char *again = NULL;
        g_autoptr(virDomainCheckpointDef) def2 = NULL;

        if (!def || rc < 0)
            g_test_message("failed: %s", virGetLastErrorMessage());
        g_assert_nonnull(def);
        g_assert_cmpint(rc, ==, 0);
        g_assert_true(g_file_get_contents(outPath, &expected, NULL, NULL));
        out = formatNoTime(def, redefine);
        g_assert_cmpstr(out, ==, expected);

        /* the whole document (with <domain>) redefines to itself */
        full = virDomainCheckpointDefFormat(def, 0);
        def2 =
            virDomainCheckpointDefParseString(full, VIR_DOMAIN_CHECKPOINT_PARSE_REDEFINE);
        if (!def2)
            g_test_message("%s\n%s", virGetLastErrorMessage(), full);
        g_assert_nonnull(def2);
        again = virDomainCheckpointDefFormat(def2, 0);
        g_assert_cmpstr(again, ==, full);
    }
}

static void
testAlignKeepsDefOnError(void)
{
    g_autofree char *domPath = g_strdup_printf("%s/domain.xml", dataDir);
    g_autoptr(virDomainCheckpointDef) def = virDomainCheckpointDefParseString(
        "<domaincheckpoint><name>a</name><disks><disk name='vda' checkpoint='no'/>"
        "<disk name='vda'/></disks></domaincheckpoint>",
        0);

    g_assert_nonnull(def);
    def->dom = virDomainDefParseFile(domPath, VIR_DOMAIN_DEF_PARSE_INACTIVE);
    g_assert_nonnull(def->dom);
    /* the test domain has one disk: two requests are too many */
    g_assert_cmpint(virDomainCheckpointAlignDisks(def), ==, -1);
    g_assert_cmpint(def->ndisks, ==, 2);
    g_assert_cmpstr(def->disks[1].name, ==, "vda");
}

static int
cmpNames(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *ent;

    g_test_init(&argc, &argv, NULL);
    dataDir = g_getenv("CHECKPOINTXML_DATA_DIR");
    g_assert_nonnull(dataDir);
    dir = g_dir_open(dataDir, 0, NULL);
    g_assert_nonnull(dir);
    while ((ent = g_dir_read_name(dir)))
        if (g_str_has_prefix(ent, "case-") && g_str_has_suffix(ent, ".xml"))
            g_ptr_array_add(names, g_strndup(ent, strlen(ent) - 4));
    g_ptr_array_sort(names, (GCompareFunc)cmpNames);
    g_assert_cmpuint(names->len, >, 10);
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *path =
            g_strdup_printf("/conf/checkpoint/%s", (char *)names->pdata[i]);

        g_test_add_data_func(path, names->pdata[i], testCase);
    }
    g_test_add_func("/conf/checkpoint/align-error-changes-nothing",
                    testAlignKeepsDefOnError);
    return g_test_run();
}
