/* networkconftest.c: network XML against libvirt 9.0's own output (tests/data/netxml) and the network object list */

/*
 * Every case-NAME.xml in the directory is one case, with what libvirt
 * 9.0's test driver made of it (recorded by record.py there, never by
 * this test): case-NAME.out, the XML it formats back, or case-NAME.err,
 * "code domain message" of the error it reports. The output must also be
 * a fixed point of parse + format.
 */

#include <string.h>
#include <sys/socket.h>

#include "virtkit-config.h"
#include "network_conf.h"
#include "virerror.h"

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
    g_autoptr(virNetworkDef) def = NULL;

    g_assert_true(g_file_get_contents(in, &xml, NULL, NULL));
    virResetLastError();
    def = virNetworkDefParseString(xml);
    if (g_file_get_contents(errPath, &expected, NULL, NULL)) {
        virErrorPtr err = virGetLastError();
        g_autofree char *got = NULL;

        if (def) {
            g_autofree char *out = virNetworkDefFormat(def, 0);
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
        g_autoptr(virNetworkDef) def2 = NULL;

        if (!def)
            g_test_message("parse failed: %s", virGetLastErrorMessage());
        g_assert_nonnull(def);
        if (!def)
            return;
        g_assert_true(g_file_get_contents(outPath, &expected, NULL, NULL));
        out = virNetworkDefFormat(def, 0);
        g_assert_cmpstr(out, ==, expected);
        def2 = virNetworkDefParseString(out);
        g_assert_nonnull(def2);
        if (!def2)
            return;
        again = virNetworkDefFormat(def2, 0);
        g_assert_cmpstr(again, ==, out);
    }
}

static virNetworkDef *
parse(const char *xml)
{
    virNetworkDef *def = virNetworkDefParseString(xml);

    g_assert_nonnull(def);
    return def;
}

/* Same name, other UUID; same UUID, other name; bridge defaults. */
static void
testList(void)
{
    virNetworkObjList *list = virNetworkObjListNew();
    g_autoptr(virNetworkDef) a = parse("<network><name>a</name>"
                                       "<uuid>11111111-1111-4111-8111-111111111111</uuid>"
                                       "<bridge name='virbr0'/></network>");
    g_autoptr(virNetworkDef) a2 =
        parse("<network><name>a</name>"
              "<uuid>22222222-1111-4111-8111-111111111111</uuid>"
              "</network>");
    g_autoptr(virNetworkDef) b = parse("<network><name>b</name>"
                                       "<uuid>11111111-1111-4111-8111-111111111111</uuid>"
                                       "</network>");
    g_autoptr(virNetworkDef) c = parse("<network><name>c</name>"
                                       "<uuid>33333333-1111-4111-8111-111111111111</uuid>"
                                       "<bridge name='virbr0'/></network>");
    g_autoptr(virNetworkDef) d = parse("<network><name>d</name>"
                                       "<uuid>44444444-1111-4111-8111-111111111111</uuid>"
                                       "<bridge name='vkt%dx'/></network>");
    virNetworkObj *obj;
    g_autoptr(GPtrArray) all = NULL;

    g_assert_cmpint(virNetworkObjListSetDefaults(list, a, false), ==, 0);
    g_assert_true(a->macSpecified);
    obj = virNetworkObjListAdd(list, &a, false);
    g_assert_nonnull(obj);
    g_assert_null(a);
    g_assert_true(obj->persistent);
    virNetworkObjEndAPI(&obj);

    virResetLastError();
    g_assert_null(virNetworkObjListAdd(list, &a2, false));
    g_assert_nonnull(a2);
    g_assert_cmpint(virGetLastError()->code, ==, VIR_ERR_OPERATION_FAILED);
    g_assert_null(virNetworkObjListAdd(list, &b, false));
    g_assert_nonnull(b);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "operation failed: network 'a' is already defined with uuid "
                    "11111111-1111-4111-8111-111111111111");

    g_assert_cmpint(virNetworkObjListSetDefaults(list, c, false), ==, -1);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "internal error: bridge name 'virbr0' already in use.");
    g_clear_pointer(&c->bridge, g_free);
    g_assert_cmpint(virNetworkObjListSetDefaults(list, c, false), ==, 0);
    g_assert_cmpstr(c->bridge, ==, "virbr1");
    g_assert_cmpint(virNetworkObjListSetDefaults(list, d, false), ==, 0);
    g_assert_cmpstr(d->bridge, ==, "vkt0x");

    obj = virNetworkObjListFindByName(list, "a");
    g_assert_nonnull(obj);
    g_assert_true(virNetworkObjMatchFlags(obj, VIR_NETWORK_OBJ_LIST_INACTIVE));
    g_assert_false(virNetworkObjMatchFlags(obj, VIR_NETWORK_OBJ_LIST_ACTIVE));
    g_assert_false(virNetworkObjMatchFlags(obj, VIR_NETWORK_OBJ_LIST_TRANSIENT));
    virNetworkObjListRemove(list, obj);
    virNetworkObjEndAPI(&obj);
    g_assert_null(virNetworkObjListFindByName(list, "a"));
    all = virNetworkObjListCollect(list);
    g_assert_cmpuint(all->len, ==, 0);
    virNetworkObjListFree(list);
}

static void
testOverlap(void)
{
    g_autoptr(virNetworkDef) a = parse("<network><name>a</name>"
                                       "<ip address='192.168.122.1' prefix='24'/>"
                                       "<ip family='ipv6' address='fd00::1' prefix='64'/>"
                                       "</network>");
    g_autoptr(virNetworkDef) b = parse("<network><name>b</name>"
                                       "<ip address='192.168.0.1' netmask='255.255.0.0'/>"
                                       "</network>");
    g_autoptr(virNetworkDef) c = parse("<network><name>c</name>"
                                       "<ip address='192.168.123.1' prefix='24'/>"
                                       "</network>");
    virNetworkIPDef *ia = g_ptr_array_index(a->ips, 0);
    virNetworkIPDef *ia6 = g_ptr_array_index(a->ips, 1);
    virNetworkIPDef *ib = g_ptr_array_index(b->ips, 0);
    virNetworkIPDef *ic = g_ptr_array_index(c->ips, 0);
    g_autofree char *mask = virNetworkIPDefNetmask(ia);

    g_assert_true(virNetworkIPDefOverlap(ia, ib));
    g_assert_true(virNetworkIPDefOverlap(ic, ib));
    g_assert_false(virNetworkIPDefOverlap(ia, ic));
    g_assert_false(virNetworkIPDefOverlap(ia6, ib));
    g_assert_cmpstr(mask, ==, "255.255.255.0");
    g_assert_true(virNetworkDefGetIPv4(a) == ia);
    g_assert_cmpint(ia6->addr.family, ==, AF_INET6);
}

static void
testValidate(void)
{
    g_autoptr(virNetworkDef) a = parse("<network><name>e4</name><forward mode='bridge'/>"
                                       "<bridge name='br0'/>"
                                       "<ip address='10.1.0.1' prefix='16'/></network>");

    g_assert_cmpint(virNetworkDefValidate(a), ==, -1);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "unsupported configuration: Unsupported <ip> element in network e4 "
                    "with forward mode='bridge'");
}

int
main(int argc, char **argv)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *entry;

    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    dataDir = g_getenv("NETXML_DATA_DIR");
    if (!dataDir)
        dataDir = VIRTKIT_SRCDIR "/tests/data/netxml";
    if (!(dir = g_dir_open(dataDir, 0, NULL)))
        g_error("cannot open %s", dataDir);
    while ((entry = g_dir_read_name(dir))) {
        if (g_str_has_prefix(entry, "case-") && g_str_has_suffix(entry, ".xml"))
            g_ptr_array_add(names, g_strndup(entry, strlen(entry) - 4));
    }
    g_ptr_array_sort(names, (GCompareFunc)g_ascii_strcasecmp);
    g_assert_cmpuint(names->len, >, 0);
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *path = g_strdup_printf("/conf/netxml/%s", name);
        g_test_add_data_func(path, name, testCase);
    }
    g_test_add_func("/conf/netobj/list", testList);
    g_test_add_func("/conf/netobj/overlap", testOverlap);
    g_test_add_func("/conf/netobj/validate", testValidate);
    return g_test_run();
}
