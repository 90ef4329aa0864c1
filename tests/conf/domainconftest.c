/* domainconftest.c: unit tests of the domain definition API (src/conf/domain_conf.c) */

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "domain_conf.h"
#include "virerror.h"
#include "viruuid.h"

#define MINIMAL                                               \
    "<domain type='qemu'><name>t</name><memory>1024</memory>" \
    "<os><type arch='x86_64'>hvm</type></os>%s</domain>"

static virDomainDef *
parseFmt(const char *extra, unsigned int flags)
{
    g_autofree char *xml = g_strdup_printf(MINIMAL, extra);

    virResetLastError();
    return virDomainDefParseString(xml, flags);
}

static void
assertError(int code, int domain, const char *substr)
{
    virErrorPtr err = virGetLastError();

    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpint(err->domain, ==, domain);
    if (substr)
        g_assert_nonnull(strstr(err->message, substr));
}

static void
testUUIDGenerated(void)
{
    g_autoptr(virDomainDef) a = parseFmt("", 0);
    g_autoptr(virDomainDef) b = parseFmt("", 0);
    unsigned char zero[VIR_UUID_BUFLEN] = { 0 };
    char str[VIR_UUID_STRING_BUFLEN];
    g_autofree char *xml = NULL;

    g_assert_nonnull(a);
    g_assert_nonnull(b);
    g_assert_cmpmem(a->uuid, 16, a->uuid, 16);
    g_assert_true(memcmp(a->uuid, zero, 16) != 0);
    g_assert_true(memcmp(a->uuid, b->uuid, 16) != 0);
    xml = virDomainDefFormat(a, VIR_DOMAIN_DEF_FORMAT_INACTIVE);
    g_assert_nonnull(strstr(xml, virUUIDFormat(a->uuid, str)));
}

static void
testDefaults(void)
{
    g_autoptr(virDomainDef) def = parseFmt("", VIR_DOMAIN_DEF_PARSE_INACTIVE);

    g_assert_nonnull(def);
    g_assert_cmpint(def->id, ==, -1);
    g_assert_cmpint(def->virtType, ==, VIR_DOMAIN_VIRT_QEMU);
    g_assert_cmpuint(def->memory, ==, 1024);
    g_assert_cmpuint(def->currentMemory, ==, 1024);
    g_assert_cmpuint(def->vcpus, ==, 1);
    g_assert_cmpint(def->onPoweroff, ==, VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY);
    g_assert_cmpint(def->onReboot, ==, VIR_DOMAIN_LIFECYCLE_ACTION_RESTART);
    g_assert_cmpint(def->onCrash, ==, VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY);
    g_assert_cmpuint(def->os.nBootDevs, ==, 1);
    g_assert_cmpint(def->os.bootDevs[0], ==, VIR_DOMAIN_BOOT_DISK);
    g_assert_null(def->unknownElements);
    g_assert_null(def->memballoon);
    g_assert_cmpuint(def->nserials + def->nconsoles + def->ndisks + def->nnets, ==, 0);
}

static void
testIdLiveOnly(void)
{
    const char *xml = "<domain type='qemu' id='5'><name>t</name><memory>1024</memory>"
                      "<os><type>hvm</type></os></domain>";
    g_autoptr(virDomainDef) live = virDomainDefParseString(xml, 0);
    g_autoptr(virDomainDef) inactive =
        virDomainDefParseString(xml, VIR_DOMAIN_DEF_PARSE_INACTIVE);
    g_autofree char *liveXML = NULL;
    g_autofree char *inactiveXML = NULL;

    g_assert_nonnull(live);
    g_assert_nonnull(inactive);
    g_assert_cmpint(live->id, ==, 5);
    g_assert_cmpint(inactive->id, ==, -1);
    liveXML = virDomainDefFormat(live, 0);
    inactiveXML = virDomainDefFormat(live, VIR_DOMAIN_DEF_FORMAT_INACTIVE);
    g_assert_true(g_str_has_prefix(liveXML, "<domain type='qemu' id='5'>\n"));
    g_assert_true(g_str_has_prefix(inactiveXML, "<domain type='qemu'>\n"));
}

static void
testDevicesParsed(void)
{
    g_autoptr(virDomainDef) def = parseFmt(
        "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
        "<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='none'/>"
        "<source file='/a.qcow2'/><target dev='vda' bus='virtio'/></disk>"
        "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/></disk>"
        "<interface type='network'><mac address='52:54:00:aa:bb:cc'/>"
        "<source network='default'/><model type='virtio'/></interface>"
        "<interface type='user'/>"
        "<serial type='file'><source path='/s.log'/></serial>"
        "<memballoon model='none'/></devices>",
        VIR_DOMAIN_DEF_PARSE_INACTIVE);
    static const unsigned char mac[6] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc };

    g_assert_nonnull(def);
    g_assert_cmpstr(def->emulator, ==, "/usr/bin/qemu-system-x86_64");
    g_assert_cmpuint(def->ndisks, ==, 2);
    g_assert_cmpint(def->disks[0]->format, ==, VIR_STORAGE_FORMAT_QCOW2);
    g_assert_cmpint(def->disks[0]->cache, ==, VIR_DOMAIN_DISK_CACHE_NONE);
    g_assert_cmpint(def->disks[0]->bus, ==, VIR_DOMAIN_DISK_BUS_VIRTIO);
    g_assert_cmpstr(def->disks[0]->driverName, ==, "qemu");
    g_assert_false(def->disks[0]->readonly);
    g_assert_cmpint(def->disks[1]->device, ==, VIR_DOMAIN_DISK_DEVICE_CDROM);
    g_assert_null(def->disks[1]->src);
    g_assert_true(def->disks[1]->readonly);
    g_assert_cmpint(def->disks[1]->bus, ==, VIR_DOMAIN_DISK_BUS_SATA);
    g_assert_cmpuint(def->nnets, ==, 2);
    g_assert_true(def->nets[0]->macSet);
    g_assert_cmpmem(def->nets[0]->mac, 6, mac, 6);
    g_assert_cmpstr(def->nets[0]->network, ==, "default");
    g_assert_cmpstr(def->nets[0]->model, ==, "virtio");
    g_assert_false(def->nets[1]->macSet);
    g_assert_cmpint(def->nets[1]->type, ==, VIR_DOMAIN_NET_TYPE_USER);
    g_assert_cmpuint(def->nserials, ==, 1);
    g_assert_cmpint(def->serials[0]->targetPort, ==, 0);
    g_assert_cmpstr(def->serials[0]->path, ==, "/s.log");
    /* the console mirrors serial 0 */
    g_assert_cmpuint(def->nconsoles, ==, 1);
    g_assert_cmpint(def->consoles[0]->type, ==, VIR_DOMAIN_CHR_TYPE_FILE);
    g_assert_cmpint(def->consoles[0]->targetType, ==, VIR_DOMAIN_CHR_TARGET_SERIAL);
    g_assert_cmpstr(def->consoles[0]->path, ==, "/s.log");
    g_assert_nonnull(def->memballoon);
    g_assert_cmpint(def->memballoon->model, ==, VIR_DOMAIN_MEMBALLOON_MODEL_NONE);
}

static void
testCopy(void)
{
    g_autoptr(virDomainDef) def =
        parseFmt("<title>t1</title><devices><disk type='file'><source file='/a'/>"
                 "<target dev='vda'/><address type='pci' slot='3'/></disk>"
                 "<interface type='user'><model type='e1000'/></interface>"
                 "<serial type='pty'/><memballoon model='virtio'/><vsock/></devices>",
                 0);
    g_autoptr(virDomainDef) copy = NULL;
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;
    g_autofree char *c = NULL;

    g_assert_nonnull(def);
    copy = virDomainDefCopy(def);
    a = virDomainDefFormat(def, 0);
    b = virDomainDefFormat(copy, 0);
    g_assert_cmpstr(a, ==, b);
    g_assert_cmpstr(copy->unknownElements[0], ==, "devices/vsock");
    g_assert_true(copy->disks[0] != def->disks[0]);
    g_assert_true(copy->disks[0]->src != def->disks[0]->src);

    /* the copy is independent */
    g_free(copy->disks[0]->src);
    copy->disks[0]->src = g_strdup("/changed");
    copy->memballoon->model = VIR_DOMAIN_MEMBALLOON_MODEL_NONE;
    c = virDomainDefFormat(def, 0);
    g_assert_cmpstr(a, ==, c);
}

/* <metadata> survives a copy, independent of the original, and the
 * attributes not carried are listed as PATH@ATTR. */
static void
testMetadataAndAttrs(void)
{
    g_autoptr(virDomainDef) def =
        parseFmt("<metadata><a:x xmlns:a='urn:a' k='v'><a:y/></a:x></metadata>"
                 "<devices><disk type='file' snapshot='no'><driver copy_on_read='on' "
                 "io='threads'/><source file='/a'/><target dev='vda'/></disk></devices>",
                 0);
    g_autoptr(virDomainDef) copy = NULL;
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;

    g_assert_nonnull(def);
    g_assert_nonnull(def->metadata);
    copy = virDomainDefCopy(def);
    g_assert_true(copy->metadata != def->metadata);
    virDomainDefFree(g_steal_pointer(&def));
    a = virDomainDefFormat(copy, VIR_DOMAIN_DEF_FORMAT_INACTIVE);
    g_assert_nonnull(strstr(a, "  <metadata>\n    <a:x xmlns:a=\"urn:a\" k=\"v\">\n"
                               "      <a:y/>\n    </a:x>\n  </metadata>\n"));
    g_assert_cmpint(copy->disks[0]->io, ==, VIR_DOMAIN_DISK_IO_THREADS);
    g_assert_true(g_strv_contains((const char *const *)copy->unknownElements,
                                  "devices/disk@snapshot"));
    g_assert_true(g_strv_contains((const char *const *)copy->unknownElements,
                                  "devices/disk/driver@copy_on_read"));
    g_assert_cmpuint(g_strv_length(copy->unknownElements), ==, 2);
    def = virDomainDefParseString(a, VIR_DOMAIN_DEF_PARSE_INACTIVE);
    g_assert_nonnull(def);
    b = virDomainDefFormat(def, VIR_DOMAIN_DEF_FORMAT_INACTIVE);
    g_assert_cmpstr(a, ==, b);
}

static void
testUnknownElements(void)
{
    g_autoptr(virDomainDef) def = parseFmt(
        "<cpu mode='host-model'><maxphysaddr mode='passthrough'/></cpu>"
        "<features><pmu/><acpi/></features>"
        "<devices><vsock model='virtio'/><vsock/><shmem/>"
        "<video><model type='virtio'><resolution x='800' y='600'/></model></video>"
        "</devices>"
        "<os><loader>/x</loader></os>",
        0);

    g_assert_nonnull(def);
    g_assert_nonnull(def->unknownElements);
    g_assert_true(
        g_strv_contains((const char *const *)def->unknownElements, "cpu/maxphysaddr"));
    g_assert_true(
        g_strv_contains((const char *const *)def->unknownElements, "features/pmu"));
    g_assert_true(
        g_strv_contains((const char *const *)def->unknownElements, "devices/vsock"));
    g_assert_true(
        g_strv_contains((const char *const *)def->unknownElements, "devices/shmem"));
    /* a child of a device's child the parser does not carry: refused, not
     * dropped (was dropped silently) */
    g_assert_true(g_strv_contains((const char *const *)def->unknownElements,
                                  "devices/video/model/resolution"));
    /* vsock appears once though given twice; the second <os> is ignored
     * as libvirt ignores it */
    g_assert_cmpuint(g_strv_length(def->unknownElements), ==, 5);
    g_assert_true(def->acpi);
}

/* Children of a device's children the parser does not carry, and a user
 * alias in an inactive definition: recorded (the QEMU driver refuses
 * them), never dropped (libvirt's disk-source-pool-mode and user-aliases-usb
 * inputs lost them; disk-metadata-cache's is carried now) */
static void
testUnknownGrandChildren(void)
{
    const char *devs =
        "<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
        "<source file='/x'><seclabel model='selinux' relabel='yes'/>"
        "<slices><slice type='storage' offset='0' size='512'/></slices></source>"
        "<target dev='vda' bus='virtio'/></disk>"
        "<controller type='usb' model='qemu-xhci'><alias name='ua-usb1'/></controller>"
        "<rng model='virtio'><alias name='rng0'/><backend model='random'>/dev/urandom"
        "</backend></rng></devices>";
    g_autoptr(virDomainDef) def = parseFmt(devs, VIR_DOMAIN_DEF_PARSE_INACTIVE);
    g_autoptr(virDomainDef) live = parseFmt(devs, 0);
    const char *const want[] = { "devices/disk/source/slices",
                                 "devices/disk/source/seclabel",
                                 "devices/controller/alias", NULL };

    g_assert_nonnull(def);
    for (size_t i = 0; want[i]; i++)
        g_assert_true(
            g_strv_contains((const char *const *)def->unknownElements, want[i]));
    /* the rng's alias is live data, ignored when inactive as in libvirt */
    g_assert_cmpuint(g_strv_length(def->unknownElements), ==, 3);
    /* a live (status) parse takes aliases as they are */
    g_assert_nonnull(live);
    g_assert_false(g_strv_contains((const char *const *)live->unknownElements,
                                   "devices/controller/alias"));
}

static void
testValidate(void)
{
    g_autoptr(virDomainDef) def =
        parseFmt("<devices><vsock/></devices>", VIR_DOMAIN_DEF_PARSE_VALIDATE);
    g_autoptr(virDomainDef) ok = NULL;

    g_assert_null(def);
    assertError(VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML,
                "Element devices has extra content: vsock");
    ok = parseFmt("<devices><serial/></devices>", VIR_DOMAIN_DEF_PARSE_VALIDATE);
    g_assert_nonnull(ok);
}

static void
testSizeCap(void)
{
    gsize len = VIR_DOMAIN_XML_MAX_SIZE + 1;
    g_autofree char *xml = g_malloc(len + 1);
    g_autoptr(virDomainDef) def = NULL;
    const char *head = "<domain type='qemu'><name>t</name><description>";

    memset(xml, 'x', len);
    memcpy(xml, head, strlen(head));
    xml[len] = '\0';
    virResetLastError();
    def = virDomainDefParseString(xml, 0);
    g_assert_null(def);
    assertError(VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "exceeds the limit");
}

static void
testBillionLaughs(void)
{
    GString *xml =
        g_string_new("<?xml version='1.0'?><!DOCTYPE domain [<!ENTITY l0 'lol'>");
    g_autoptr(virDomainDef) def = NULL;
    gint64 start;

    for (int i = 1; i < 10; i++)
        g_string_append_printf(xml,
                               "<!ENTITY l%d '&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;"
                               "&l%d;&l%d;&l%d;'>",
                               i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
                               i - 1, i - 1);
    g_string_append(xml, "]><domain type='qemu'><name>t</name><memory>1024</memory>"
                         "<os><type>hvm</type></os><title>&l9;</title>"
                         "<description a='&l9;'>&l9;</description></domain>");
    start = g_get_monotonic_time();
    virResetLastError();
    def = virDomainDefParseString(xml->str, 0);
    g_string_free(xml, TRUE);
    /* no amplification: answered quickly, and nothing expanded */
    g_assert_cmpint(g_get_monotonic_time() - start, <, 2 * G_USEC_PER_SEC);
    if (def) {
        g_assert_true(def->title == NULL || !strstr(def->title, "lol"));
        g_assert_true(def->description == NULL || !strstr(def->description, "lol"));
    } else {
        g_assert_true(virGetLastError() != NULL);
    }
}

static void
testExternalEntity(void)
{
    g_autofree char *dir = g_dir_make_tmp("vkconfXXXXXX", NULL);
    g_autofree char *secret = g_build_filename(dir, "secret", NULL);
    g_autofree char *xml = NULL;
    g_autoptr(virDomainDef) def = NULL;
    g_autofree char *out = NULL;

    g_assert_true(g_file_set_contents(secret, "TOPSECRET", -1, NULL));
    xml = g_strdup_printf("<!DOCTYPE domain [<!ENTITY s SYSTEM 'file://%s'>]>"
                          "<domain type='qemu'><name>t&s;</name><memory>1024</memory>"
                          "<os><type>hvm</type></os><description>&s;</description>"
                          "</domain>",
                          secret);
    virResetLastError();
    def = virDomainDefParseString(xml, 0);
    if (def) {
        out = virDomainDefFormat(def, 0);
        g_assert_null(strstr(out, "TOPSECRET"));
    }
    g_unlink(secret);
    g_rmdir(dir);
}

static void
testParseFile(void)
{
    g_autofree char *dir = g_dir_make_tmp("vkconfXXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "d.xml", NULL);
    g_autofree char *xml = g_strdup_printf(MINIMAL, "");
    g_autofree char *missing = g_build_filename(dir, "missing.xml", NULL);
    g_autoptr(virDomainDef) def = NULL;
    g_autoptr(virDomainDef) none = NULL;
    g_autoptr(virDomainDef) bad = NULL;

    g_assert_true(g_file_set_contents(path, xml, -1, NULL));
    def = virDomainDefParseFile(path, 0);
    g_assert_nonnull(def);
    g_assert_cmpstr(def->name, ==, "t");

    virResetLastError();
    none = virDomainDefParseFile(missing, 0);
    g_assert_null(none);
    assertError(VIR_ERR_SYSTEM_ERROR, VIR_FROM_NONE, NULL);

    /* a file's parse errors name the file */
    g_assert_true(g_file_set_contents(path, "<domain", -1, NULL));
    virResetLastError();
    bad = virDomainDefParseFile(path, 0);
    g_assert_null(bad);
    assertError(VIR_ERR_XML_DETAIL, VIR_FROM_DOMAIN, path);

    g_unlink(path);
    g_rmdir(dir);
}

static void
testEnums(void)
{
    for (int i = 0; i < VIR_DOMAIN_VIRT_LAST; i++)
        g_assert_cmpint(virDomainVirtTypeFromString(virDomainVirtTypeToString(i)), ==, i);
    for (int i = 0; i < VIR_DOMAIN_LIFECYCLE_ACTION_LAST; i++)
        g_assert_cmpint(
            virDomainLifecycleActionFromString(virDomainLifecycleActionToString(i)), ==,
            i);
    g_assert_cmpstr(virDomainVirtTypeToString(VIR_DOMAIN_VIRT_KVM), ==, "kvm");
    g_assert_cmpstr(
        virDomainLifecycleActionToString(VIR_DOMAIN_LIFECYCLE_ACTION_RESTART_RENAME), ==,
        "rename-restart");
    g_assert_null(virDomainVirtTypeToString(VIR_DOMAIN_VIRT_LAST));
    g_assert_null(virDomainVirtTypeToString(-1));
    g_assert_cmpint(virDomainVirtTypeFromString("nope"), ==, -1);
    g_assert_cmpint(virDomainLifecycleActionFromString(NULL), ==, -1);
}

static void
testNullAndFree(void)
{
    virResetLastError();
    g_assert_null(virDomainDefParseString(NULL, 0));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, NULL);
    virDomainDefFree(NULL);
    virDomainDiskDefFree(NULL);
    virDomainNetDefFree(NULL);
    virDomainChrDefFree(NULL);
}

static void
testLiveChr(void)
{
    g_autoptr(virDomainDef) def = parseFmt(
        "<devices><serial type='pty'><source path='/dev/pts/9'/></serial></devices>", 0);
    g_autoptr(virDomainDef) inactive = parseFmt(
        "<devices><serial type='pty'><source path='/dev/pts/9'/></serial></devices>",
        VIR_DOMAIN_DEF_PARSE_INACTIVE);
    g_autofree char *live = NULL;
    g_autofree char *cold = NULL;

    g_assert_nonnull(def);
    g_assert_nonnull(inactive);
    g_assert_cmpstr(def->serials[0]->path, ==, "/dev/pts/9");
    g_assert_null(inactive->serials[0]->path);
    live = virDomainDefFormat(def, 0);
    cold = virDomainDefFormat(def, VIR_DOMAIN_DEF_FORMAT_INACTIVE);
    g_assert_nonnull(strstr(live, "<source path='/dev/pts/9'/>"));
    g_assert_null(strstr(cold, "/dev/pts/9"));
}

/* Documents near the size cap with very many devices or unknown names
 * parse in linear time (no quadratic duplicate checks or array growth):
 * a regression shows as this test running into the suite's timeout
 * (no wall-clock assertion here, so a loaded machine cannot fail it). */
static void
testLargeDocuments(void)
{
    g_autoptr(GString) xml = g_string_new("<domain type='qemu'><name>t</name>"
                                          "<memory>1024</memory><os><type>hvm</type>"
                                          "</os><devices>");
    g_autoptr(virDomainDef) def = NULL;
    g_autoptr(virDomainDef) many = NULL;
    gint64 start;
    int ndisks = 60000;

    for (int i = 0; i < ndisks; i++) {
        char name[8];
        int v = i;

        /* vda, vdb, ..., vdaa: names libvirt accepts */
        for (int j = 0; j < 4; j++) {
            name[3 - j] = 'a' + v % 26;
            v /= 26;
        }
        name[4] = '\0';
        g_string_append_printf(xml,
                               "<disk type='file' device='disk'><source file='/d'/>"
                               "<target dev='vd%s'/></disk>",
                               name);
    }
    g_string_append(xml, "</devices></domain>");
    g_assert_cmpuint(xml->len, <, VIR_DOMAIN_XML_MAX_SIZE);
    start = g_get_monotonic_time();
    def = virDomainDefParseString(xml->str, 0);
    g_assert_nonnull(def);
    g_assert_cmpuint(def->ndisks, ==, ndisks);
    g_test_message("%d disks parsed in %.3f s", ndisks,
                   (g_get_monotonic_time() - start) / 1e6);

    g_string_assign(xml, "<domain type='qemu'><name>t</name><memory>1024</memory>"
                         "<os><type>hvm</type></os><devices>");
    for (int i = 0; i < 100000; i++)
        g_string_append_printf(xml, "<u%d/>", i);
    g_string_append(xml, "</devices></domain>");
    start = g_get_monotonic_time();
    many = virDomainDefParseString(xml->str, 0);
    g_assert_nonnull(many);
    g_assert_cmpuint(g_strv_length(many->unknownElements), ==, 64);
    g_assert_cmpstr(many->unknownElements[0], ==, "devices/u0");
    g_test_message("100000 unknown elements parsed in %.3f s",
                   (g_get_monotonic_time() - start) / 1e6);
}

/* Parsers in several threads: each thread sees only its own errors (the
 * libxml2 error hook is per parser context, the last error per thread). */
static gpointer
parseLoop(gpointer opaque)
{
    int id = GPOINTER_TO_INT(opaque);

    for (int i = 0; i < 300; i++) {
        g_autofree char *good = g_strdup_printf(MINIMAL, "<title>thread</title>");
        g_autofree char *bad =
            g_strdup_printf("<domain type='qemu'>\n<name>t%d</name <x/>\n</domain>", id);
        g_autoptr(virDomainDef) def = NULL;
        virErrorPtr err;

        virResetLastError();
        def = virDomainDefParseString(good, 0);
        if (!def || virGetLastError())
            return GINT_TO_POINTER(1);
        virDomainDefFree(g_steal_pointer(&def));
        def = virDomainDefParseString(bad, 0);
        err = virGetLastError();
        if (def || !err || err->code != VIR_ERR_XML_DETAIL)
            return GINT_TO_POINTER(2);
        /* the context line is this thread's own document */
        {
            g_autofree char *want = g_strdup_printf("<name>t%d</name", id);

            if (!strstr(err->message, want))
                return GINT_TO_POINTER(3);
        }
    }
    return NULL;
}

static void
testThreads(void)
{
    GThread *threads[4];

    for (int i = 0; i < 4; i++)
        threads[i] = g_thread_new("parse", parseLoop, GINT_TO_POINTER(i));
    for (int i = 0; i < 4; i++)
        g_assert_cmpint(GPOINTER_TO_INT(g_thread_join(threads[i])), ==, 0);
}

/* a hot-plugged disk lands where libvirt's virDomainDiskInsert puts it */
static void
testDiskInsert(void)
{
    static const char *const adds[][2] = {
        { "vdc", "virtio" }, { "sdb", "sata" },   { "vda", "virtio" },
        { "sdaa", "sata" },  { "vdb", "virtio" }, { "sda", "sata" },
    };
    static const char *const want[] = {
        "vda", "vdb", "vdc", "vde", "sda", "sdb", "sdaa"
    };
    g_autoptr(virDomainDef) def =
        parseFmt("<devices><disk type='file' device='disk'><source file='/e'/>"
                 "<target dev='vde' bus='virtio'/></disk></devices>",
                 0);

    g_assert_nonnull(def);
    for (size_t i = 0; i < G_N_ELEMENTS(adds); i++) {
        g_autofree char *disk =
            g_strdup_printf("<devices><disk type='file' device='disk'><source file='/x'/>"
                            "<target dev='%s' bus='%s'/></disk></devices>",
                            adds[i][0], adds[i][1]);
        g_autoptr(virDomainDef) d = parseFmt(disk, 0);

        g_assert_nonnull(d);
        virDomainDiskInsert(def, d->disks[0]);
        d->disks[0] = NULL;
        d->ndisks = 0;
    }
    g_assert_cmpuint(def->ndisks, ==, G_N_ELEMENTS(want));
    for (size_t i = 0; i < G_N_ELEMENTS(want); i++)
        g_assert_cmpstr(def->disks[i]->dst, ==, want[i]);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/conf/def/uuid-generated", testUUIDGenerated);
    g_test_add_func("/conf/def/defaults", testDefaults);
    g_test_add_func("/conf/def/id-live-only", testIdLiveOnly);
    g_test_add_func("/conf/def/devices", testDevicesParsed);
    g_test_add_func("/conf/def/copy", testCopy);
    g_test_add_func("/conf/def/unknown-elements", testUnknownElements);
    g_test_add_func("/conf/def/unknown-grandchildren", testUnknownGrandChildren);
    g_test_add_func("/conf/def/metadata-attrs", testMetadataAndAttrs);
    g_test_add_func("/conf/def/validate", testValidate);
    g_test_add_func("/conf/def/size-cap", testSizeCap);
    g_test_add_func("/conf/def/billion-laughs", testBillionLaughs);
    g_test_add_func("/conf/def/external-entity", testExternalEntity);
    g_test_add_func("/conf/def/parse-file", testParseFile);
    g_test_add_func("/conf/def/enums", testEnums);
    g_test_add_func("/conf/def/null-and-free", testNullAndFree);
    g_test_add_func("/conf/def/live-chr", testLiveChr);
    g_test_add_func("/conf/def/threads", testThreads);
    g_test_add_func("/conf/def/large-documents", testLargeDocuments);
    g_test_add_func("/conf/def/disk-insert", testDiskInsert);
    return g_test_run();
}
