/* domainstatustest.c: unit tests of <domstatus> files (src/conf/domain_status.c) */

#include <string.h>
#include <glib/gstdio.h>

#include "domain_messages.h"
#include "domain_status.h"
#include "domain_conf_priv.h"
#include "virerror.h"

#define DOMAIN_XML                                                           \
    "<domain type='qemu' id='3'><name>st</name>"                             \
    "<uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid><memory>1024</memory>" \
    "<os><type arch='x86_64'>hvm</type></os><devices>"                       \
    "<serial type='pty'><source path='/dev/pts/5'/></serial></devices></domain>"

typedef struct {
    char *monitor;
    long long starttime;
} privData;

static void
privFree(gpointer p)
{
    privData *priv = p;

    g_free(priv->monitor);
    g_free(priv);
}

static void
privFormat(GString *buf, virDomainObj *obj, void *opaque)
{
    privData *priv = obj->privateData;

    g_assert_cmpstr(opaque, ==, "cookie");
    g_string_append_printf(buf, "  <monitor path='%s' type='unix'/>\n", priv->monitor);
    g_string_append_printf(buf, "  <starttime>%lld</starttime>\n", priv->starttime);
}

static int
privParse(xmlNodePtr root, virDomainObj *obj, void *opaque)
{
    privData *priv = g_new0(privData, 1);
    xmlNodePtr mon = virDomainXMLChild(root, "monitor");
    xmlNodePtr st = virDomainXMLChild(root, "starttime");

    g_assert_cmpstr(opaque, ==, "cookie");
    obj->privateData = priv;
    obj->privateDataFree = privFree;
    if (!mon || !(priv->monitor = virDomainXMLProp(mon, "path")) || !st) {
        virReportErrorFull(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, __func__, "%s",
                           "no monitor path");
        return -1;
    }
    priv->starttime = g_ascii_strtoll((const char *)st->children->content, NULL, 10);
    return 0;
}

static const virDomainStatusCallbacks callbacks = { privFormat, privParse, "cookie" };

static virDomainObj *
makeObj(void)
{
    virDomainObj *obj = virDomainObjNew();
    privData *priv = g_new0(privData, 1);

    obj->def = virDomainDefParseString(DOMAIN_XML, 0);
    g_assert_nonnull(obj->def);
    obj->state = VIR_DOMAIN_PAUSED;
    obj->reason = VIR_DOMAIN_PAUSED_USER;
    obj->pid = 4242;
    priv->monitor = g_strdup("/run/x/monitor.sock");
    priv->starttime = 123456789;
    obj->privateData = priv;
    obj->privateDataFree = privFree;
    return obj;
}

static void
testRoundTrip(void)
{
    virDomainObj *obj = makeObj();
    g_autofree char *xml = virDomainStatusFormat(obj, &callbacks);
    g_autofree char *again = NULL;
    virDomainObj *back;
    privData *priv;

    g_assert_true(g_str_has_prefix(xml,
                                   "<domstatus state='paused' reason='user' pid='4242'>\n"
                                   "  <monitor path='/run/x/monitor.sock' type='unix'/>\n"
                                   "  <starttime>123456789</starttime>\n"
                                   "  <domain type='qemu' id='3'>\n"
                                   "    <name>st</name>\n"));
    g_assert_nonnull(strstr(xml, "      <serial type='pty'>\n"
                                 "        <source path='/dev/pts/5'/>\n"));
    g_assert_true(g_str_has_suffix(xml, "  </domain>\n</domstatus>\n"));

    back = virDomainStatusParseString(xml, &callbacks);
    g_assert_nonnull(back);
    g_assert_cmpint(back->state, ==, VIR_DOMAIN_PAUSED);
    g_assert_cmpint(back->reason, ==, VIR_DOMAIN_PAUSED_USER);
    g_assert_cmpint(back->pid, ==, 4242);
    g_assert_cmpint(back->def->id, ==, 3);
    g_assert_false(back->persistent);
    priv = back->privateData;
    g_assert_cmpstr(priv->monitor, ==, "/run/x/monitor.sock");
    g_assert_cmpint(priv->starttime, ==, 123456789);
    g_assert_cmpstr(back->def->serials[0]->path, ==, "/dev/pts/5");
    again = virDomainStatusFormat(back, &callbacks);
    g_assert_cmpstr(again, ==, xml);
    virDomainObjUnref(back);
    virDomainObjUnref(obj);
}

static void
testSaveFile(void)
{
    g_autofree char *dir = g_dir_make_tmp("vkstatusXXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "st.xml", NULL);
    virDomainObj *obj = makeObj();
    virDomainObj *back;
    GStatBuf sb;

    obj->state = VIR_DOMAIN_RUNNING;
    obj->reason = VIR_DOMAIN_RUNNING_BOOTED;
    g_assert_cmpint(virDomainStatusSave(obj, path, &callbacks), ==, 0);
    g_assert_cmpint(g_stat(path, &sb), ==, 0);
    g_assert_cmpint(sb.st_mode & 0777, ==, 0600);
    {
        g_autofree char *text = NULL;

        g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
        g_assert_true(g_str_has_prefix(text, "<!--\nWARNING: THIS IS AN AUTO-GENERATED"));
        g_assert_nonnull(
            strstr(text, "-->\n\n<domstatus state='running' reason='booted'"));
    }
    back = virDomainStatusParseFile(path, &callbacks);
    g_assert_nonnull(back);
    g_assert_cmpint(back->state, ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(back->reason, ==, VIR_DOMAIN_RUNNING_BOOTED);
    virDomainObjUnref(back);
    virDomainObjUnref(obj);
    g_unlink(path);
    g_rmdir(dir);
}

static void
testConfigFiles(void)
{
    g_autofree char *dir = g_dir_make_tmp("vkconfigXXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "st.xml", NULL);
    g_autoptr(virDomainDef) def = virDomainDefParseString(DOMAIN_XML, 0);
    g_autoptr(virDomainDef) back = NULL;
    g_autoptr(virDomainDef) odd = NULL;
    g_autofree char *text = NULL;
    g_autofree char *header = NULL;
    g_autofree char *inactive = NULL;
    GStatBuf sb;

    g_assert_nonnull(def);
    g_assert_cmpint(virDomainDefSaveConfig(def, dir), ==, 0);
    g_assert_cmpint(g_stat(path, &sb), ==, 0);
    g_assert_cmpint(sb.st_mode & 0777, ==, 0600);
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    inactive = virDomainDefFormat(def, VIR_DOMAIN_DEF_FORMAT_INACTIVE);
    /* libvirt's exact prologue, then the inactive definition (no id, no pty) */
    g_assert_true(g_str_has_prefix(
        text,
        "<!--\n"
        "WARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\n"
        "OVERWRITTEN AND LOST. Changes to this xml configuration should be made using:\n"
        "  virsh edit st\n"
        "or other application using the libvirt API.\n"
        "-->\n\n<domain type='qemu'>\n"));
    g_assert_true(g_str_has_suffix(text, inactive));
    g_assert_null(strstr(text, "/dev/pts/5"));

    back = virDomainDefParseFile(path, VIR_DOMAIN_DEF_PARSE_INACTIVE);
    g_assert_nonnull(back);
    g_assert_cmpstr(back->name, ==, "st");
    g_assert_cmpint(back->id, ==, -1);

    /* a name a shell would split is replaced by the UUID */
    odd = virDomainDefCopy(def);
    g_free(odd->name);
    odd->name = g_strdup("a b;rm");
    header = virDomainFileHeader(odd);
    g_assert_nonnull(
        strstr(header, "  virsh edit c7a5fdbd-edaf-9455-926a-d65c16db1809\n"));

    g_assert_cmpint(virDomainDefDeleteConfig(dir, "st"), ==, 0);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_assert_cmpint(virDomainDefDeleteConfig(dir, "st"), ==, 0);

    /* an unwritable directory: an error, nothing left behind */
    virResetLastError();
    g_assert_cmpint(virDomainDefSaveConfig(def, "/nonexistent/dir"), ==, -1);
    g_assert_nonnull(virGetLastError());
    g_rmdir(dir);
}

static void
testNoCallbacks(void)
{
    virDomainObj *obj = makeObj();
    g_autofree char *xml = virDomainStatusFormat(obj, NULL);
    virDomainObj *back = virDomainStatusParseString(xml, NULL);

    g_assert_null(strstr(xml, "<monitor"));
    g_assert_nonnull(back);
    g_assert_null(back->privateData);
    virDomainObjUnref(back);
    virDomainObjUnref(obj);
}

/* Taints and deprecations: written as libvirt's status file has them,
 * read back, and worded as libvirt's virDomainGetMessages. */
static void
testMessages(void)
{
    virDomainObj *obj = makeObj();
    virDomainObj *back;
    g_autofree char *xml = NULL;
    char **msgs = NULL;
    int n;

    g_assert_true(virDomainObjTaint(obj, VIR_DOMAIN_TAINT_HIGH_PRIVILEGES));
    g_assert_true(virDomainObjTaint(obj, VIR_DOMAIN_TAINT_CUSTOM_MONITOR));
    g_assert_false(virDomainObjTaint(obj, VIR_DOMAIN_TAINT_CUSTOM_MONITOR));
    virDomainObjTaint(obj, VIR_DOMAIN_TAINT_DEPRECATED_CONFIG);
    virDomainObjDeprecation(obj, "machine type 'pc-i440fx-1.4' & <co>");
    xml = virDomainStatusFormat(obj, NULL);
    g_assert_nonnull(strstr(xml,
                            "  <taint flag='custom-monitor'/>\n"
                            "  <taint flag='high-privileges'/>\n"
                            "  <taint flag='deprecated-config'/>\n"
                            "  <deprecation>machine type &apos;pc-i440fx-1.4&apos; &amp; "
                            "&lt;co&gt;</deprecation>\n"));
    back = virDomainStatusParseString(xml, NULL);
    g_assert_nonnull(back);
    g_assert_cmpuint(back->taint, ==, obj->taint);
    n = virDomainObjGetMessages(back, &msgs, 0);
    g_assert_cmpint(n, ==, 4);
    g_assert_cmpstr(msgs[0], ==, "tainted: custom monitor control commands issued");
    g_assert_cmpstr(msgs[1], ==, "tainted: running with undesirable elevated privileges");
    g_assert_cmpstr(msgs[2], ==, "tainted: use of deprecated configuration settings");
    g_assert_cmpstr(msgs[3], ==,
                    "deprecated configuration: machine type 'pc-i440fx-1.4' & <co>");
    g_assert_null(msgs[4]);
    g_strfreev(msgs);
    n = virDomainObjGetMessages(back, &msgs, VIR_DOMAIN_MESSAGE_DEPRECATION);
    g_assert_cmpint(n, ==, 1);
    g_strfreev(msgs);
    virDomainObjClearMessages(back);
    n = virDomainObjGetMessages(back, &msgs, 0);
    g_assert_cmpint(n, ==, 0);
    g_assert_nonnull(msgs);
    g_assert_null(msgs[0]);
    g_strfreev(msgs);
    virDomainObjUnref(back);
    virDomainObjUnref(obj);
}

static void
testBad(void)
{
    static const struct {
        const char *xml;
        int code;
        const char *msg;
    } cases[] = {
        { "<domain/>", VIR_ERR_XML_ERROR,
          "XML error: expecting root element of 'domstatus', not 'domain'" },
        { "<domstatus reason='booted' pid='1'>" DOMAIN_XML "</domstatus>",
          VIR_ERR_INTERNAL_ERROR, "internal error: missing domain state" },
        { "<domstatus state='flying' pid='1'>" DOMAIN_XML "</domstatus>",
          VIR_ERR_INTERNAL_ERROR, "internal error: invalid domain state 'flying'" },
        { "<domstatus state='running' reason='destroyed' pid='1'>" DOMAIN_XML
          "</domstatus>",
          VIR_ERR_INTERNAL_ERROR,
          "internal error: invalid domain state reason 'destroyed'" },
        { "<domstatus state='running' reason='booted' pid='-4'>" DOMAIN_XML
          "</domstatus>",
          VIR_ERR_INTERNAL_ERROR, "internal error: invalid pid '-4'" },
        { "<domstatus state='running' reason='booted' pid='12x'>" DOMAIN_XML
          "</domstatus>",
          VIR_ERR_INTERNAL_ERROR, "internal error: invalid pid '12x'" },
        { "<domstatus state='running' reason='booted' pid='1'/>", VIR_ERR_INTERNAL_ERROR,
          "internal error: no domain config" },
        { "<domstatus state='running' reason='booted' pid='1'><domain type='qemu'/></domstatus>",
          VIR_ERR_NO_NAME, "missing name information" },
        { "<domstatus state='running' reason='booted' pid='1'>" DOMAIN_XML,
          VIR_ERR_XML_DETAIL, NULL },
        { "<domstatus state='running' reason='booted' pid='1'>"
          "<monitor/>" DOMAIN_XML "</domstatus>",
          VIR_ERR_INTERNAL_ERROR, "internal error: no monitor path" },
        { "<domstatus state='running' reason='booted' pid='1'>"
          "<taint flag='cosmic-rays'/>" DOMAIN_XML "</domstatus>",
          VIR_ERR_XML_ERROR,
          "XML error: Invalid value for attribute 'flag' in element 'taint': "
          "'cosmic-rays'." },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        virErrorPtr err;

        virResetLastError();
        g_assert_null(virDomainStatusParseString(cases[i].xml, &callbacks));
        err = virGetLastError();
        g_assert_nonnull(err);
        g_assert_cmpint(err->code, ==, cases[i].code);
        if (cases[i].msg)
            g_assert_cmpstr(err->message, ==, cases[i].msg);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/conf/status/round-trip", testRoundTrip);
    g_test_add_func("/conf/status/save-file", testSaveFile);
    g_test_add_func("/conf/status/no-callbacks", testNoCallbacks);
    g_test_add_func("/conf/status/config-files", testConfigFiles);
    g_test_add_func("/conf/status/messages", testMessages);
    g_test_add_func("/conf/status/bad", testBad);
    return g_test_run();
}
