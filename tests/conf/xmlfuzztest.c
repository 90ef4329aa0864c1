/* xmlfuzztest.c: truncated, mutated and garbage domain documents get a clean error or a valid def */

/*
 * Inputs are the xml2xml fixtures: every prefix of each document (each
 * distinct prefix once: most fixtures begin alike), then
 * seeded random byte mutations (flips, deletions, insertions of XML
 * punctuation) and pure garbage. Each parse must either fail with an
 * error recorded (a known code and domain) or return a def whose
 * canonical form parses again to the same text. Run under ASan/UBSan
 * by `make check`, this also catches memory errors on every path.
 * Seeded, so a failure reproduces: VK_FUZZ_SEED and VK_FUZZ_ITER.
 */

#include <string.h>

#include "virtkit-config.h"
#include "domain_conf.h"
#include "domain_status.h"
#include "virerror.h"
#include "../fuzz/domainxml-quirks.h"

static GPtrArray *inputs;
static guint64 parsed, refused;

static void
checkOne(const char *xml, size_t len)
{
    g_autofree char *copy = g_strndup(xml, len);
    g_autoptr(virDomainDef) def = NULL;

    virResetLastError();
    def = virDomainDefParseString(copy, VIR_DOMAIN_DEF_PARSE_INACTIVE);
    if (!def) {
        virErrorPtr err = virGetLastError();

        if (!err)
            g_test_message("no error for input: %s", copy);
        g_assert_nonnull(err);
        g_assert_cmpint(err->code, >, VIR_ERR_OK);
        g_assert_cmpint(err->code, <=, VIR_ERR_XML_INVALID_SCHEMA);
        /* DEVICE: libvirt's domain for a bad USB port address */
        g_assert_true(err->domain == VIR_FROM_DOMAIN || err->domain == VIR_FROM_XML ||
                      err->domain == VIR_FROM_NONE || err->domain == VIR_FROM_CPU ||
                      err->domain == VIR_FROM_DEVICE ||
                      /* a disk's <auth> and cookies, as libvirt */
                      err->domain == VIR_FROM_STORAGE);
        g_assert_nonnull(err->message);
        refused++;
    } else {
        /* SECURE: as the driver stores it (a VNC passwd is only formatted
         * with it) */
        g_autofree char *out = virDomainDefFormat(def, VIR_DOMAIN_DEF_FORMAT_INACTIVE |
                                                           VIR_DOMAIN_DEF_FORMAT_SECURE);
        g_autoptr(virDomainDef) again =
            virDomainDefParseString(out, VIR_DOMAIN_DEF_PARSE_INACTIVE);
        g_autofree char *out2 = NULL;

        if (!again)
            g_test_message("accepted input formats to unparsable XML:\n%s\n---\n%s", copy,
                           out);
        g_assert_nonnull(again);
        out2 = virDomainDefFormat(again, VIR_DOMAIN_DEF_FORMAT_INACTIVE |
                                             VIR_DOMAIN_DEF_FORMAT_SECURE);
        /* libvirt's own quirks aside, the canonical form is stable */
        if (!domainXMLNotFixedPoint(out))
            g_assert_cmpstr(out2, ==, out);
        parsed++;
    }
}

static int
compareStrings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every distinct proper prefix of the inputs, each once. Most fixtures
 * share their first lines (and some are equal), and checkOne depends on
 * nothing but its input, so a prefix another input already had proves
 * nothing new. Sorted, a document shares the most with the one before it:
 * its prefixes up to their common length were checked there, except that
 * document itself when it is a prefix of this one (cuts stop short of the
 * whole). */
static void
testTruncated(void)
{
    /* borrowed pointers: no free function (a copy would take inputs') */
    g_autoptr(GPtrArray) sorted = g_ptr_array_sized_new(inputs->len);
    const char *prev = NULL;
    guint64 checked = 0, shared = 0;

    for (guint i = 0; i < inputs->len; i++)
        g_ptr_array_add(sorted, g_ptr_array_index(inputs, i));
    g_ptr_array_sort(sorted, compareStrings);
    for (guint i = 0; i < sorted->len; i++) {
        const char *xml = g_ptr_array_index(sorted, i);
        size_t len = strlen(xml);
        size_t from = 0;

        if (prev) {
            size_t common = 0;
            size_t prevLen = strlen(prev);

            while (common < len && common < prevLen && xml[common] == prev[common])
                common++;
            from = MIN(common + 1, prevLen);
        }
        for (size_t cut = from; cut < len; cut++)
            checkOne(xml, cut);
        checked += len > from ? len - from : 0;
        shared += MIN(from, len);
        prev = xml;
    }
    g_test_message("truncated: %" G_GUINT64_FORMAT
                   " distinct prefixes (%" G_GUINT64_FORMAT
                   " shared with another input, checked there): %" G_GUINT64_FORMAT
                   " parsed, %" G_GUINT64_FORMAT " refused",
                   checked, shared, parsed, refused);
    g_assert_cmpuint(checked, >, 0);
    g_assert_cmpuint(refused, >, 0);
}

static void
testMutated(void)
{
    static const char punct[] = "<>/='\"&;!?[]- \n\x01\xff";
    const char *seedEnv = g_getenv("VK_FUZZ_SEED");
    const char *iterEnv = g_getenv("VK_FUZZ_ITER");
    guint32 seed = seedEnv ? (guint32)g_ascii_strtoull(seedEnv, NULL, 10) : 20261122;
    guint iters = iterEnv ? (guint)g_ascii_strtoull(iterEnv, NULL, 10) : 20000;
    g_autoptr(GRand) rand = g_rand_new_with_seed(seed);

    parsed = refused = 0;
    for (guint n = 0; n < iters; n++) {
        const char *src =
            g_ptr_array_index(inputs, g_rand_int_range(rand, 0, inputs->len));
        g_autoptr(GString) buf = g_string_new(src);
        int edits = g_rand_int_range(rand, 1, 5);

        for (int e = 0; e < edits && buf->len > 0; e++) {
            gsize pos = g_rand_int_range(rand, 0, buf->len);

            switch (g_rand_int_range(rand, 0, 4)) {
            case 0:
                buf->str[pos] = punct[g_rand_int_range(rand, 0, sizeof(punct) - 1)];
                break;
            case 1: {
                gsize cut = g_rand_int_range(rand, 1, 8);

                g_string_erase(buf, pos, MIN(cut, buf->len - pos));
                break;
            }
            case 2:
                g_string_insert_c(buf, pos,
                                  punct[g_rand_int_range(rand, 0, sizeof(punct) - 1)]);
                break;
            default:
                buf->str[pos] = (char)g_rand_int_range(rand, 1, 256);
                break;
            }
        }
        checkOne(buf->str, strlen(buf->str));
    }
    g_test_message("mutated (seed %u): %" G_GUINT64_FORMAT " parsed, %" G_GUINT64_FORMAT
                   " refused",
                   seed, parsed, refused);
    g_assert_cmpuint(parsed, >, 0);
    g_assert_cmpuint(refused, >, 0);
}

static void
testGarbage(void)
{
    g_autoptr(GRand) rand = g_rand_new_with_seed(7);

    for (int n = 0; n < 2000; n++) {
        char buf[256];
        int len = g_rand_int_range(rand, 0, sizeof(buf) - 1);

        for (int i = 0; i < len; i++)
            buf[i] = (char)g_rand_int_range(rand, 1, 256);
        buf[len] = '\0';
        checkOne(buf, len);
    }
}

/* Every prefix and seeded mutations of a status document: a clean error
 * or an object whose status formats back to a parsable document. */
static void
testStatus(void)
{
    const char *xml =
        "<domstatus state='running' reason='booted' pid='77'>\n"
        "  <monitor path='/x/monitor.sock' type='unix'/>\n"
        "  <domain type='qemu' id='4'>\n"
        "    <name>fz</name>\n"
        "    <memory unit='KiB'>1024</memory>\n"
        "    <os><type arch='x86_64'>hvm</type></os>\n"
        "    <devices><serial type='pty'><source path='/dev/pts/1'/></serial>\n"
        "      <disk type='block' device='disk'><source dev='/dev/loop3'/>\n"
        "        <mirror type='block' job='copy' ready='yes'><format type='qcow2'/>\n"
        "          <source dev='/dev/loop4'/></mirror><target dev='vda'/></disk>\n"
        "    </devices>\n"
        "  </domain>\n"
        "</domstatus>\n";
    size_t len = strlen(xml);
    g_autoptr(GRand) rand = g_rand_new_with_seed(99);
    guint ok = 0;

    for (size_t cut = 0; cut <= len + 2000; cut++) {
        g_autofree char *doc = NULL;
        virDomainObj *obj;

        if (cut <= len) {
            doc = g_strndup(xml, cut);
        } else {
            doc = g_strdup(xml);
            for (int e = 0; e < 3; e++)
                doc[g_rand_int_range(rand, 0, len)] =
                    (char)g_rand_int_range(rand, 1, 128);
        }
        virResetLastError();
        obj = virDomainStatusParseString(doc, NULL);
        if (obj) {
            g_autofree char *out = virDomainStatusFormat(obj, NULL);
            virDomainObj *again = virDomainStatusParseString(out, NULL);

            g_assert_nonnull(again);
            virDomainObjUnref(again);
            virDomainObjUnref(obj);
            ok++;
        } else {
            g_assert_nonnull(virGetLastError());
        }
    }
    g_assert_cmpuint(ok, >, 0);
}

int
main(int argc, char **argv)
{
    const char *dataDir = g_getenv("XML2XML_DATA_DIR");
    g_autoptr(GDir) dir = NULL;
    const char *entry;

    g_test_init(&argc, &argv, NULL);
    if (!dataDir)
        dataDir = VIRTKIT_SRCDIR "/tests/data/xml2xml";
    inputs = g_ptr_array_new_with_free_func(g_free);
    dir = g_dir_open(dataDir, 0, NULL);
    g_assert_nonnull(dir);
    while ((entry = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;
        char *text = NULL;

        if (!g_str_has_suffix(entry, ".xml"))
            continue;
        path = g_build_filename(dataDir, entry, NULL);
        if (g_file_get_contents(path, &text, NULL, NULL))
            g_ptr_array_add(inputs, text);
    }
    g_assert_cmpuint(inputs->len, >, 0);

    g_test_add_func("/conf/fuzz/truncated", testTruncated);
    g_test_add_func("/conf/fuzz/mutated", testMutated);
    g_test_add_func("/conf/fuzz/garbage", testGarbage);
    g_test_add_func("/conf/fuzz/status", testStatus);
    return g_test_run();
}
