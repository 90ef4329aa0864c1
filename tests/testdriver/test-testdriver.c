/* test-testdriver.c: the test driver through the public API, checked against libvirt 9.0's behaviour */

#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define TEST_UUID "6695eb01-f6a4-8304-79aa-97f2502e193f"

static const char *dataDir = TESTDRIVER_DATADIR;

static void
quietErrorHandler(void *userData, virErrorPtr err)
{
}

/* The thread's last error is exactly (@code, @domain, @message). */
#define assertError(code_, domain_, message_)         \
    do {                                              \
        virErrorPtr _e = virGetLastError();           \
        g_assert_nonnull(_e);                         \
        g_assert_cmpint(_e->code, ==, (code_));       \
        g_assert_cmpint(_e->domain, ==, (domain_));   \
        g_assert_cmpstr(_e->message, ==, (message_)); \
    } while (0)

static char *
readFixture(const char *name)
{
    g_autofree char *path = g_build_filename(dataDir, name, NULL);
    char *data = NULL;
    g_autoptr(GError) err = NULL;

    if (!g_file_get_contents(path, &data, NULL, &err))
        g_error("cannot read fixture %s: %s", path, err->message);
    return data;
}

static virConnectPtr
openDefault(void)
{
    virConnectPtr conn = virConnectOpen("test:///default");

    g_assert_nonnull(conn);
    return conn;
}

static virDomainPtr
lookup(virConnectPtr conn, const char *name)
{
    virDomainPtr dom = virDomainLookupByName(conn, name);

    g_assert_nonnull(dom);
    return dom;
}

static void
assertState(virDomainPtr dom, int state, int reason)
{
    int s = -1;
    int r = -1;

    g_assert_cmpint(virDomainGetState(dom, &s, &r, 0), ==, 0);
    g_assert_cmpint(s, ==, state);
    g_assert_cmpint(r, ==, reason);
}

static char *
minimalXML(const char *name, const char *extra)
{
    return g_strdup_printf("<domain type='test'><name>%s</name><memory>1024</memory>"
                           "<os><type>hvm</type></os>%s</domain>",
                           name, extra ? extra : "");
}

static virDomainPtr
defineMinimal(virConnectPtr conn, const char *name, const char *extra)
{
    g_autofree char *xml = minimalXML(name, extra);
    virDomainPtr dom = virDomainDefineXML(conn, xml);

    g_assert_nonnull(dom);
    return dom;
}

/* ---- Connection ------------------------------------------------------- */

static void
testConnectDefault(void)
{
    virConnectPtr conn = openDefault();
    unsigned long ver = 0;
    virNodeInfo info;
    virSecurityModel secmodel;
    g_autofree char *caps = NULL;
    g_autofree char *expectCaps = readFixture("capabilities-default.xml");
    g_autofree char *uri = NULL;
    g_autofree char *hostname = NULL;
    char shortname[256] = "";

    g_assert_cmpstr(virConnectGetType(conn), ==, "TEST");
    g_assert_cmpint(virConnectGetVersion(conn, &ver), ==, 0);
    g_assert_cmpuint(ver, ==, 2);
    g_assert_cmpint(virConnectGetLibVersion(conn, &ver), ==, 0);
    g_assert_cmpuint(ver, ==, 9000000);
    uri = virConnectGetURI(conn);
    g_assert_cmpstr(uri, ==, "test:///default");
    g_assert_cmpint(virConnectIsAlive(conn), ==, 1);
    g_assert_cmpint(virConnectIsSecure(conn), ==, 1);
    g_assert_cmpint(virConnectIsEncrypted(conn), ==, 0);
    g_assert_cmpint(virConnectGetMaxVcpus(conn, NULL), ==, 32);

    hostname = virConnectGetHostname(conn);
    g_assert_nonnull(hostname);
    g_assert_cmpint(gethostname(shortname, sizeof(shortname) - 1), ==, 0);
    /* Either the short name or a fully qualified name that starts with it. */
    g_assert_true(g_str_has_prefix(hostname, shortname));

    g_assert_cmpint(virNodeGetInfo(conn, &info), ==, 0);
    g_assert_cmpstr(info.model, ==, "i686");
    g_assert_cmpuint(info.memory, ==, 3145728);
    g_assert_cmpuint(info.cpus, ==, 16);
    g_assert_cmpuint(info.mhz, ==, 1400);
    g_assert_cmpuint(info.nodes, ==, 2);
    g_assert_cmpuint(info.sockets, ==, 2);
    g_assert_cmpuint(info.cores, ==, 2);
    g_assert_cmpuint(info.threads, ==, 2);

    g_assert_cmpint(virNodeGetSecurityModel(conn, &secmodel), ==, 0);
    g_assert_cmpstr(secmodel.model, ==, "testSecurity");
    g_assert_cmpstr(secmodel.doi, ==, "");

    caps = virConnectGetCapabilities(conn);
    g_assert_cmpstr(caps, ==, expectCaps);

    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

/* Connections open to test:///default at the same time share one state,
 * reset when the last one closes (libvirt 9.0, in-process: observed with
 * python3-libvirt, two libvirt.open('test:///default')). */
static void
testConnectSharedState(void)
{
    virConnectPtr a = openDefault();
    virConnectPtr b = openDefault();
    virDomainPtr da = lookup(a, "test");
    virDomainPtr db = lookup(b, "test");
    virDomainPtr extra = defineMinimal(a, "only-in-a", NULL);
    virDomainPtr seen;

    g_assert_cmpint(virDomainDestroy(da), ==, 0);
    assertState(da, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED);
    assertState(db, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED);
    seen = lookup(b, "only-in-a");
    virDomainFree(seen);

    virDomainFree(extra);
    virDomainFree(da);
    virDomainFree(db);
    virConnectClose(a);
    /* b still holds the state */
    seen = lookup(b, "only-in-a");
    virDomainFree(seen);
    virConnectClose(b);

    /* A new connection after the last one closed starts from the
     * built-in config again. */
    a = openDefault();
    g_assert_null(virDomainLookupByName(a, "only-in-a"));
    assertError(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "Domain not found");
    da = lookup(a, "test");
    assertState(da, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNKNOWN);
    virDomainFree(da);
    virConnectClose(a);
}

static void
testConnectBadURI(void)
{
    g_assert_null(virConnectOpen("test:///"));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                "invalid argument: testOpen: supply a path or use test:///default");
}

static void
testConnectReadOnly(void)
{
    virConnectPtr conn = virConnectOpenReadOnly("test:///default");
    virDomainPtr dom;

    g_assert_nonnull(conn);
    dom = lookup(conn, "test");
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNKNOWN);
    virDomainFree(dom);
    virConnectClose(conn);
}

/* ---- The built-in domain and lookups ---------------------------------- */

static void
testDefaultDomain(void)
{
    virConnectPtr conn = openDefault();
    virDomainPtr dom = lookup(conn, "test");
    virDomainInfo info;
    virSecurityLabel label;
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    g_autofree char *live = NULL;
    g_autofree char *inactive = NULL;
    g_autofree char *expectLive = readFixture("test-live.xml");
    g_autofree char *expectInactive = readFixture("test-inactive.xml");
    g_autofree char *ostype = NULL;
    int autostart = -1;
    unsigned long long before;
    unsigned long long after;

    g_assert_cmpstr(virDomainGetName(dom), ==, "test");
    g_assert_cmpuint(virDomainGetID(dom), ==, 1);
    g_assert_cmpint(virDomainGetUUIDString(dom, uuidstr), ==, 0);
    g_assert_cmpstr(uuidstr, ==, TEST_UUID);
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNKNOWN);

    before = (unsigned long long)g_get_real_time() * 1000;
    g_assert_cmpint(virDomainGetInfo(dom, &info), ==, 0);
    after = (unsigned long long)g_get_real_time() * 1000;
    g_assert_cmpint(info.state, ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpuint(info.maxMem, ==, 8388608);
    g_assert_cmpuint(info.memory, ==, 2097152);
    g_assert_cmpuint(info.nrVirtCpu, ==, 2);
    /* libvirt's test driver reports the wall clock as CPU time. */
    g_assert_cmpuint(info.cpuTime, >=, before);
    g_assert_cmpuint(info.cpuTime, <=, after);

    ostype = virDomainGetOSType(dom);
    g_assert_cmpstr(ostype, ==, "linux");
    g_assert_cmpuint(virDomainGetMaxMemory(dom), ==, 8388608);
    g_assert_cmpint(virDomainGetVcpusFlags(dom, 0), ==, 2);
    g_assert_cmpint(virDomainIsActive(dom), ==, 1);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 1);
    g_assert_cmpint(virDomainIsUpdated(dom), ==, 0);
    g_assert_cmpint(virDomainGetAutostart(dom, &autostart), ==, 0);
    g_assert_cmpint(autostart, ==, 0);
    g_assert_cmpint(virDomainHasManagedSaveImage(dom, 0), ==, 0);

    g_assert_cmpint(virDomainGetSecurityLabel(dom, &label), ==, 0);
    g_assert_cmpstr(label.label, ==, "libvirt-test");
    g_assert_cmpint(label.enforcing, ==, 1);

    live = virDomainGetXMLDesc(dom, 0);
    g_assert_cmpstr(live, ==, expectLive);
    inactive = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    g_assert_cmpstr(inactive, ==, expectInactive);

    g_assert_null(virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_UPDATE_CPU));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                "unsupported flags (0x4) in function testDomainGetXMLDesc");

    /* Shut off: no label, still a CPU time. */
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint(virDomainGetSecurityLabel(dom, &label), ==, 0);
    g_assert_cmpstr(label.label, ==, "");
    g_assert_cmpint(label.enforcing, ==, 0);
    g_assert_cmpint(virDomainGetInfo(dom, &info), ==, 0);
    g_assert_cmpint(info.state, ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpuint(info.cpuTime, >=, after);
    g_clear_pointer(&live, g_free);
    live = virDomainGetXMLDesc(dom, 0);
    g_assert_cmpstr(live, ==, expectInactive);

    virDomainFree(dom);
    virConnectClose(conn);
}

static void
testLookups(void)
{
    virConnectPtr conn = openDefault();
    virDomainPtr dom;
    unsigned char uuid[VIR_UUID_BUFLEN];

    dom = virDomainLookupByID(conn, 1);
    g_assert_nonnull(dom);
    g_assert_cmpstr(virDomainGetName(dom), ==, "test");
    g_assert_cmpint(virDomainGetUUID(dom, uuid), ==, 0);
    virDomainFree(dom);

    dom = virDomainLookupByUUID(conn, uuid);
    g_assert_nonnull(dom);
    g_assert_cmpuint(virDomainGetID(dom), ==, 1);
    virDomainFree(dom);

    dom = virDomainLookupByUUIDString(conn, TEST_UUID);
    g_assert_nonnull(dom);
    g_assert_cmpstr(virDomainGetName(dom), ==, "test");
    virDomainFree(dom);

    g_assert_null(virDomainLookupByName(conn, "nosuch"));
    assertError(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "Domain not found");
    g_assert_null(virDomainLookupByID(conn, 99));
    assertError(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "Domain not found");
    g_assert_null(
        virDomainLookupByUUIDString(conn, "6695eb01-f6a4-8304-79aa-97f2502e1930"));
    assertError(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "Domain not found");

    /* An inactive domain has no id to be found by. */
    dom = lookup(conn, "test");
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint((int)virDomainGetID(dom), ==, -1);
    g_assert_null(virDomainLookupByID(conn, 1));
    assertError(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "Domain not found");
    virDomainFree(dom);

    virConnectClose(conn);
}

/* ---- Lifecycle -------------------------------------------------------- */

static void
testLifecycleTransitions(void)
{
    virConnectPtr conn = openDefault();
    virDomainPtr dom = lookup(conn, "test");

    g_assert_cmpint(virDomainCreate(dom), ==, -1);
    assertError(VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                "internal error: Domain 'test' is already running");

    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    assertState(dom, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
    g_assert_cmpint(virDomainSuspend(dom), ==, -1);
    assertError(VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                "internal error: domain 'test' not running");
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
    g_assert_cmpint(virDomainResume(dom), ==, -1);
    assertError(VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                "internal error: domain 'test' not paused");

    /* reboot and reset keep it running with the same id. */
    g_assert_cmpint(virDomainReboot(dom, 0), ==, 0);
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpint(virDomainReset(dom, 0), ==, 0);
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpuint(virDomainGetID(dom), ==, 1);

    /* Shutdown of a paused domain works (on_poweroff destroy). */
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    g_assert_cmpint(virDomainShutdown(dom), ==, 0);
    assertState(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    g_assert_cmpint((int)virDomainGetID(dom), ==, -1);
    g_assert_cmpint(virDomainIsActive(dom), ==, 0);

    /* Everything that needs a running domain. */
    g_assert_cmpint(virDomainShutdown(dom), ==, -1);
    assertError(VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                "internal error: domain 'test' not running");
    g_assert_cmpint(virDomainSuspend(dom), ==, -1);
    assertError(VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                "internal error: domain 'test' not running");
    g_assert_cmpint(virDomainResume(dom), ==, -1);
    assertError(VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                "internal error: domain 'test' not paused");
    g_assert_cmpint(virDomainDestroy(dom), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                "Requested operation is not valid: domain is not running");
    g_assert_cmpint(virDomainReboot(dom, 0), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                "Requested operation is not valid: domain is not running");
    g_assert_cmpint(virDomainReset(dom, 0), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                "Requested operation is not valid: domain is not running");
    assertState(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN);

    /* Start gets a fresh id. */
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpuint(virDomainGetID(dom), ==, 2);
    g_assert_cmpint(virDomainDestroyFlags(dom, VIR_DOMAIN_DESTROY_GRACEFUL), ==, 0);
    assertState(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED);
    g_assert_cmpint(virDomainCreateWithFlags(dom, 0), ==, 0);
    g_assert_cmpuint(virDomainGetID(dom), ==, 3);

    virDomainFree(dom);
    virConnectClose(conn);
}

static void
testLifecycleBadFlags(void)
{
    virConnectPtr conn = openDefault();
    virDomainPtr dom = lookup(conn, "test");
    int state;

    g_assert_cmpint(virDomainDestroyFlags(dom, VIR_DOMAIN_DESTROY_REMOVE_LOGS), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                "unsupported flags (0x2) in function testDomainDestroyFlags");
    g_assert_cmpint(virDomainShutdownFlags(dom, VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN), ==,
                    -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                "unsupported flags (0x1) in function testDomainShutdownFlags");
    g_assert_cmpint(virDomainReboot(dom, 0x40), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                "unsupported flags (0x40) in function testDomainReboot");
    g_assert_cmpint(virDomainReset(dom, 1), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                "unsupported flags (0x1) in function testDomainReset");
    g_assert_cmpint(virDomainGetState(dom, &state, NULL, 1), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                "unsupported flags (0x1) in function testDomainGetState");
    g_assert_cmpint(virDomainGetVcpusFlags(dom, VIR_DOMAIN_VCPU_GUEST), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                "unsupported flags (0x8) in function testDomainGetVcpusFlags");
    g_assert_cmpint(virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_NVRAM), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                "unsupported flags (0x4) in function testDomainUndefineFlags");
    /* The guest flags of reboot are all accepted. */
    g_assert_cmpint(virDomainReboot(dom, VIR_DOMAIN_REBOOT_PARAVIRT), ==, 0);

    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint(virDomainCreateWithFlags(dom, VIR_DOMAIN_START_PAUSED), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                "unsupported flags (0x1) in function testDomainCreateWithFlags");
    g_assert_cmpint(virDomainCreateWithFlags(dom, VIR_DOMAIN_START_AUTODESTROY), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                "unsupported flags (0x2) in function testDomainCreateWithFlags");
    /* None of the refused calls changed anything. */
    assertState(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED);

    virDomainFree(dom);
    virConnectClose(conn);
}

/* on_poweroff / on_reboot are applied instantly. */
static void
testLifecycleActions(void)
{
    virConnectPtr conn = openDefault();
    virDomainPtr restart = defineMinimal(conn, "restart",
                                         "<on_poweroff>restart</on_poweroff>"
                                         "<on_reboot>destroy</on_reboot>");
    virDomainPtr preserve = defineMinimal(conn, "preserve",
                                          "<on_poweroff>preserve</on_poweroff>"
                                          "<on_reboot>preserve</on_reboot>");

    g_assert_cmpint(virDomainCreate(restart), ==, 0);
    g_assert_cmpint(virDomainShutdown(restart), ==, 0);
    assertState(restart, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpint(virDomainSuspend(restart), ==, 0);
    g_assert_cmpint(virDomainShutdown(restart), ==, 0);
    assertState(restart, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpint(virDomainReboot(restart, 0), ==, 0);
    assertState(restart, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    g_assert_cmpint((int)virDomainGetID(restart), ==, -1);

    g_assert_cmpint(virDomainCreate(preserve), ==, 0);
    g_assert_cmpint(virDomainSuspend(preserve), ==, 0);
    g_assert_cmpint(virDomainReboot(preserve, 0), ==, 0);
    assertState(preserve, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN);

    virDomainFree(restart);
    virDomainFree(preserve);
    virConnectClose(conn);
}

/* ---- Define, undefine, create ----------------------------------------- */

static void
testDefineUndefine(void)
{
    virConnectPtr conn = openDefault();
    g_autofree char *xml = minimalXML("t2", NULL);
    g_autofree char *dumped = NULL;
    g_autofree char *msg = NULL;
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    virDomainPtr dom;
    virDomainPtr again;

    g_assert_cmpint(virConnectNumOfDefinedDomains(conn), ==, 0);
    dom = virDomainDefineXMLFlags(conn, xml, VIR_DOMAIN_DEFINE_VALIDATE);
    g_assert_nonnull(dom);
    g_assert_cmpint((int)virDomainGetID(dom), ==, -1);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 1);
    assertState(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_UNKNOWN);
    g_assert_cmpint(virConnectNumOfDefinedDomains(conn), ==, 1);

    /* The test driver's defaults: arch i686, boot from disk. */
    dumped = virDomainGetXMLDesc(dom, 0);
    g_assert_nonnull(strstr(dumped, "<type arch='i686'>hvm</type>"));
    g_assert_nonnull(strstr(dumped, "<boot dev='hd'/>"));
    g_assert_null(strstr(dumped, " id='"));

    /* Same name, fresh random uuid. */
    g_assert_cmpint(virDomainGetUUIDString(dom, uuidstr), ==, 0);
    g_assert_null(virDomainDefineXML(conn, xml));
    msg = g_strdup_printf("operation failed: domain 't2' already exists with uuid %s",
                          uuidstr);
    assertError(VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN, msg);

    /* Same uuid, other name. */
    g_assert_null(virDomainDefineXML(
        conn, "<domain type='test'><name>zz</name><uuid>" TEST_UUID "</uuid>"
              "<memory>1024</memory><os><type>hvm</type></os></domain>"));
    assertError(
        VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN,
        "operation failed: domain 'test' is already defined with uuid " TEST_UUID);

    g_assert_null(virDomainDefineXMLFlags(conn, xml, 2));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                "unsupported flags (0x2) in function testDomainDefineXMLFlags");

    g_assert_null(virDomainDefineXML(
        conn, "<domain type='test'><name>a\nb</name><memory>1024</memory>"
              "<os><type>hvm</type></os></domain>"));
    assertError(VIR_ERR_XML_DETAIL, VIR_FROM_XML, "invalid char in name: \n");

    /* Bad documents change nothing. */
    g_assert_null(virDomainDefineXML(conn, "<domain type='test'><name>x</name"));
    g_assert_cmpint(virGetLastError()->code, ==, VIR_ERR_XML_DETAIL);
    g_assert_null(virDomainDefineXML(
        conn,
        "<domain type='test'><memory>1024</memory><os><type>hvm</type></os></domain>"));
    assertError(VIR_ERR_NO_NAME, VIR_FROM_DOMAIN, "missing name information");
    g_assert_null(virDomainDefineXML(conn, "<foo/>"));
    assertError(VIR_ERR_XML_ERROR, VIR_FROM_XML,
                "XML error: expecting root element of 'domain', not 'foo'");
    g_assert_cmpint(virConnectNumOfDefinedDomains(conn), ==, 1);
    g_assert_cmpint(virConnectNumOfDomains(conn), ==, 1);

    /* Undefine of an inactive domain removes it; the old handle then
     * names a domain that is gone. */
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    g_assert_null(virDomainLookupByName(conn, "t2"));
    g_assert_cmpint(virDomainCreate(dom), ==, -1);
    g_clear_pointer(&msg, g_free);
    msg = g_strdup_printf("Domain not found: no domain with matching uuid '%s' (t2)",
                          uuidstr);
    assertError(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, msg);
    virDomainFree(dom);

    /* Undefine of a running domain makes it transient; stopping removes it. */
    dom = lookup(conn, "test");
    g_assert_cmpint(virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE), ==, 0);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 0);
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNKNOWN);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_null(virDomainLookupByName(conn, "test"));
    g_assert_cmpint(virDomainIsActive(dom), ==, -1);
    assertError(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST,
                "Domain not found: no domain with matching uuid '" TEST_UUID "' (test)");
    virDomainFree(dom);

    /* Defining it again brings it back, shut off. */
    again = virDomainDefineXML(
        conn, "<domain type='test'><name>test</name><uuid>" TEST_UUID "</uuid>"
              "<memory>1024</memory><os><type>hvm</type></os></domain>");
    g_assert_nonnull(again);
    assertState(again, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_UNKNOWN);
    virDomainFree(again);

    virConnectClose(conn);
}

/* Redefining a running domain changes only its next-boot definition. */
static void
testRedefineRunning(void)
{
    virConnectPtr conn = openDefault();
    virDomainPtr dom = lookup(conn, "test");
    virDomainPtr re;
    g_autofree char *expectLive = readFixture("test-live.xml");
    g_autofree char *live = NULL;
    g_autofree char *inactive = NULL;
    g_autofree char *after = NULL;

    re = virDomainDefineXML(
        conn, "<domain type='test'><name>test</name><uuid>" TEST_UUID "</uuid>"
              "<memory>1024</memory><os><type>hvm</type></os></domain>");
    g_assert_nonnull(re);
    g_assert_cmpuint(virDomainGetID(re), ==, 1);

    live = virDomainGetXMLDesc(dom, 0);
    g_assert_cmpstr(live, ==, expectLive);
    inactive = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    g_assert_nonnull(strstr(inactive, "<memory unit='KiB'>1024</memory>"));

    /* Once stopped, the new definition is the current one. */
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    after = virDomainGetXMLDesc(dom, 0);
    g_assert_cmpstr(after, ==, inactive);
    g_assert_cmpuint(virDomainGetMaxMemory(dom), ==, 1024);

    virDomainFree(re);
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
testCreateTransient(void)
{
    virConnectPtr conn = openDefault();
    g_autofree char *xml = minimalXML("tr", NULL);
    g_autofree char *uuidMsg = NULL;
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    virDomainPtr dom;
    virDomainPtr persistent;
    int autostart = -1;

    dom = virDomainCreateXML(conn, xml, 0);
    g_assert_nonnull(dom);
    g_assert_cmpuint(virDomainGetID(dom), ==, 2);
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 0);
    g_assert_cmpint(virDomainGetUUIDString(dom, uuidstr), ==, 0);

    /* Autostart is recorded even for a transient domain (as libvirt). */
    g_assert_cmpint(virDomainSetAutostart(dom, 1), ==, 0);
    g_assert_cmpint(virDomainGetAutostart(dom, &autostart), ==, 0);
    g_assert_cmpint(autostart, ==, 1);

    /* CONFIG on a transient domain has nothing to read. */
    g_assert_cmpint(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_CONFIG), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                "Requested operation is not valid: transient domains do not have "
                "any persistent config");

    g_assert_null(virDomainCreateXML(conn, xml, 0));
    uuidMsg = g_strdup_printf("operation failed: domain 'tr' already exists with uuid %s",
                              uuidstr);
    assertError(VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN, uuidMsg);

    g_assert_null(virDomainCreateXML(conn, xml, VIR_DOMAIN_START_PAUSED));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                "unsupported flags (0x1) in function testDomainCreateXML");

    g_assert_null(virDomainCreateXML(
        conn,
        "<domain type='test'><name>test</name><uuid>" TEST_UUID "</uuid>"
        "<memory>1024</memory><os><type>hvm</type></os></domain>",
        0));
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                "Requested operation is not valid: domain 'test' is already active");

    /* Shutdown of a transient domain removes it. */
    g_assert_cmpint(virDomainShutdown(dom), ==, 0);
    g_assert_null(virDomainLookupByName(conn, "tr"));
    virDomainFree(dom);

    /* createXML of a defined, shut off domain starts it. */
    persistent = lookup(conn, "test");
    g_assert_cmpint(virDomainDestroy(persistent), ==, 0);
    dom = virDomainCreateXML(conn,
                             "<domain type='test'><name>test</name><uuid>" TEST_UUID
                             "</uuid>"
                             "<memory>4096</memory><os><type>hvm</type></os></domain>",
                             VIR_DOMAIN_START_VALIDATE);
    g_assert_nonnull(dom);
    assertState(persistent, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpint(virDomainIsPersistent(persistent), ==, 1);
    g_assert_cmpuint(virDomainGetMaxMemory(persistent), ==, 4096);
    /* The persistent definition outlives the live one. */
    g_assert_cmpint(virDomainDestroy(persistent), ==, 0);
    g_assert_cmpuint(virDomainGetMaxMemory(persistent), ==, 8388608);
    virDomainFree(dom);
    virDomainFree(persistent);

    virConnectClose(conn);
}

static void
testVcpusFlags(void)
{
    virConnectPtr conn = openDefault();
    virDomainPtr dom = lookup(conn, "test");

    g_assert_cmpint(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE), ==, 2);
    g_assert_cmpint(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_CONFIG), ==, 2);
    g_assert_cmpint(virDomainGetVcpusFlags(dom, VIR_DOMAIN_VCPU_MAXIMUM), ==, 2);
    g_assert_cmpint(
        virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG),
        ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                "invalid argument: Flags 'VIR_DOMAIN_AFFECT_LIVE' and "
                "'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                "Requested operation is not valid: domain is not running");
    g_assert_cmpint(virDomainGetVcpusFlags(dom, 0), ==, 2);

    virDomainFree(dom);
    virConnectClose(conn);
}

/* ---- Events ----------------------------------------------------------- */

typedef struct {
    GString *log; /* "name:type:detail " per event */
    int count;
} eventLog;

static int
lifecycleCallback(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                  void *opaque)
{
    eventLog *log = opaque;

    g_string_append_printf(log->log, "%s:%d:%d ", virDomainGetName(dom), event, detail);
    log->count++;
    return 0;
}

static void
deadlineReached(int timer, void *opaque)
{
    *(int *)opaque += 1;
}

/* Run the default event loop until @log holds @count events; a deadline
 * turns a missing event into a failure instead of a hang. */
static void
waitEvents(eventLog *log, int count)
{
    int expired = 0;
    int timer = virEventAddTimeout(10 * 1000, deadlineReached, &expired, NULL);

    g_assert_cmpint(timer, >=, 0);
    while (!expired && log->count < count)
        g_assert_cmpint(virEventRunDefaultImpl(), ==, 0);
    virEventRemoveTimeout(timer);
    g_assert_cmpint(log->count, ==, count);
}

/* Let the loop dispatch whatever is already queued: a zero-delay timer
 * added now fires after the dispatch timers armed earlier. */
static void
drainEvents(void)
{
    int fired = 0;
    int timer = virEventAddTimeout(0, deadlineReached, &fired, NULL);

    g_assert_cmpint(timer, >=, 0);
    while (fired < 2)
        g_assert_cmpint(virEventRunDefaultImpl(), ==, 0);
    virEventRemoveTimeout(timer);
}

static void
testEventsLifecycle(void)
{
    virConnectPtr conn = openDefault();
    eventLog log = { g_string_new(NULL), 0 };
    eventLog domLog = { g_string_new(NULL), 0 };
    virDomainPtr test = lookup(conn, "test");
    virDomainPtr dom;
    virDomainPtr tr;
    g_autofree char *xml = minimalXML("ev", NULL);
    g_autofree char *trxml = minimalXML("evtr", NULL);
    int id;
    int domId;

    id = virConnectDomainEventRegisterAny(
        conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        VIR_DOMAIN_EVENT_CALLBACK((void (*)(void))lifecycleCallback), &log, NULL);
    g_assert_cmpint(id, >=, 0);
    domId = virConnectDomainEventRegisterAny(
        conn, test, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        VIR_DOMAIN_EVENT_CALLBACK((void (*)(void))lifecycleCallback), &domLog, NULL);
    g_assert_cmpint(domId, >=, 0);
    g_assert_cmpint(domId, !=, id);

    dom = virDomainDefineXML(conn, xml); /* Defined Added */
    g_assert_nonnull(dom);
    g_assert_cmpint(virDomainCreate(dom), ==, 0);    /* Started Booted */
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);   /* Suspended Paused */
    g_assert_cmpint(virDomainResume(dom), ==, 0);    /* Resumed Unpaused */
    g_assert_cmpint(virDomainReboot(dom, 0), ==, 0); /* nothing */
    g_assert_cmpint(virDomainReset(dom, 0), ==, 0);  /* nothing */
    g_assert_cmpint(virDomainShutdown(dom), ==, 0);  /* Stopped Shutdown */
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);  /* Undefined Removed */
    tr = virDomainCreateXML(conn, trxml, 0);         /* Started Booted */
    g_assert_nonnull(tr);
    g_assert_cmpint(virDomainDestroy(tr), ==, 0);   /* Stopped Destroyed */
    g_assert_cmpint(virDomainDestroy(test), ==, 0); /* Stopped Destroyed */
    virDomainFree(virDomainDefineXML(
        conn, /* Defined Updated */
        "<domain type='test'><name>test</name><uuid>" TEST_UUID "</uuid>"
        "<memory>1024</memory><os><type>hvm</type></os></domain>"));

    /* Nothing is delivered from inside the API calls themselves. */
    g_assert_cmpint(log.count, ==, 0);

    waitEvents(&log, 10);
    g_assert_cmpstr(log.log->str, ==,
                    "ev:0:0 ev:2:0 ev:3:0 ev:4:0 ev:5:0 ev:1:0 "
                    "evtr:2:0 evtr:5:1 test:5:1 test:0:1 ");
    waitEvents(&domLog, 2);
    g_assert_cmpstr(domLog.log->str, ==, "test:5:1 test:0:1 ");

    /* After deregistering, nothing more arrives. */
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, id), ==, 0);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, domId), ==, 0);
    g_assert_cmpint(virDomainCreate(test), ==, 0);
    drainEvents();
    g_assert_cmpint(log.count, ==, 10);
    g_assert_cmpint(domLog.count, ==, 2);

    virDomainFree(test);
    virDomainFree(dom);
    virDomainFree(tr);
    virConnectClose(conn);
    g_string_free(log.log, TRUE);
    g_string_free(domLog.log, TRUE);
}

/* Which defines count as "Updated": libvirt's rules, including a running
 * transient domain made persistent ("Added"). */
static void
testEventsDefineDetails(void)
{
    virConnectPtr conn = openDefault();
    eventLog log = { g_string_new(NULL), 0 };
    const char *xml = "<domain type='test'><name>tr</name>"
                      "<uuid>11111111-2222-3333-4444-555555555555</uuid>"
                      "<memory>1024</memory><os><type>hvm</type></os></domain>";
    virDomainPtr dom;
    int id;

    id = virConnectDomainEventRegisterAny(
        conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        VIR_DOMAIN_EVENT_CALLBACK((void (*)(void))lifecycleCallback), &log, NULL);
    g_assert_cmpint(id, >=, 0);
    dom = virDomainCreateXML(conn, xml, 0); /* Started Booted */
    g_assert_nonnull(dom);
    virDomainFree(virDomainDefineXML(conn, xml)); /* Defined Added */
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 1);
    g_assert_cmpint(virDomainUndefine(dom), ==, 0); /* Undefined Removed */
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 0);
    g_assert_cmpint(virDomainIsActive(dom), ==, 1);
    virDomainFree(virDomainDefineXML(conn, xml));  /* Defined Updated */
    g_assert_cmpint(virDomainDestroy(dom), ==, 0); /* Stopped Destroyed */
    virDomainFree(virDomainDefineXML(conn, xml));  /* Defined Updated */
    assertState(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED);

    waitEvents(&log, 6);
    g_assert_cmpstr(log.log->str, ==, "tr:2:0 tr:0:0 tr:1:0 tr:0:1 tr:5:1 tr:0:1 ");
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, id), ==, 0);

    virDomainFree(dom);
    virConnectClose(conn);
    g_string_free(log.log, TRUE);
}

static int
legacyCallback(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    return lifecycleCallback(conn, dom, event, detail, opaque);
}

static void
testEventsLegacy(void)
{
    virConnectPtr conn = openDefault();
    eventLog log = { g_string_new(NULL), 0 };
    virDomainPtr test = lookup(conn, "test");

    g_assert_cmpint(virConnectDomainEventRegister(conn, legacyCallback, &log, NULL), ==,
                    0);
    g_assert_cmpint(virDomainSuspend(test), ==, 0);
    g_assert_cmpint(virDomainDestroy(test), ==, 0);
    waitEvents(&log, 2);
    g_assert_cmpstr(log.log->str, ==, "test:3:0 test:5:1 ");
    g_assert_cmpint(virConnectDomainEventDeregister(conn, legacyCallback), ==, 0);

    virDomainFree(test);
    virConnectClose(conn);
    g_string_free(log.log, TRUE);
}

/* ---- Listing ---------------------------------------------------------- */

static gint
compareStrPtr(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

/* Sorted, space-separated names of what virConnectListAllDomains(@flags)
 * returns; the count must match. */
static char *
listNames(virConnectPtr conn, unsigned int flags)
{
    virDomainPtr *doms = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    int n = virConnectListAllDomains(conn, &doms, flags);
    int i;
    char *ret;

    g_assert_cmpint(n, >=, 0);
    for (i = 0; i < n; i++)
        g_ptr_array_add(names, (char *)virDomainGetName(doms[i]));
    g_ptr_array_sort(names, compareStrPtr);
    g_ptr_array_add(names, NULL);
    ret = g_strjoinv(" ", (char **)names->pdata);
    for (i = 0; i < n; i++)
        virDomainFree(doms[i]);
    g_free(doms);
    g_assert_cmpint(virConnectListAllDomains(conn, NULL, flags), ==, n);
    return ret;
}

#define assertList(conn, flags, expect)                 \
    do {                                                \
        g_autofree char *_got = listNames(conn, flags); \
        g_assert_cmpstr(_got, ==, expect);              \
    } while (0)

static void
testListAllFilters(void)
{
    virConnectPtr conn = openDefault();
    virDomainPtr d;
    g_autofree char *trxml = minimalXML("trans", NULL);
    int ids[8];
    char *names[8];
    int n;
    int i;

    /* test: running persistent; off: shut off persistent autostart;
     * paused: paused persistent; trans: running transient. */
    d = defineMinimal(conn, "off", NULL);
    g_assert_cmpint(virDomainSetAutostart(d, 1), ==, 0);
    virDomainFree(d);
    d = defineMinimal(conn, "paused", NULL);
    g_assert_cmpint(virDomainCreate(d), ==, 0);
    g_assert_cmpint(virDomainSuspend(d), ==, 0);
    virDomainFree(d);
    d = virDomainCreateXML(conn, trxml, 0);
    g_assert_nonnull(d);
    virDomainFree(d);

    assertList(conn, 0, "off paused test trans");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_ACTIVE, "paused test trans");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_INACTIVE, "off");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE,
               "off paused test trans");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_PERSISTENT, "off paused test");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_TRANSIENT, "trans");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_RUNNING, "test trans");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_PAUSED, "paused");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_SHUTOFF, "off");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_OTHER, "");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_PAUSED | VIR_CONNECT_LIST_DOMAINS_SHUTOFF,
               "off paused");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_AUTOSTART, "off");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART, "paused test trans");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE, "");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE, "off paused test trans");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT, "");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT, "off paused test trans");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT, "");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT, "off paused test trans");
    /* Groups combine with AND. */
    assertList(conn,
               VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_PERSISTENT,
               "paused test");
    assertList(conn,
               VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_TRANSIENT,
               "trans");
    assertList(conn,
               VIR_CONNECT_LIST_DOMAINS_INACTIVE | VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART,
               "");

    g_assert_cmpint(virConnectListAllDomains(conn, NULL, 0x10000), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                "unsupported flags (0x10000) in function testConnectListAllDomains");

    g_assert_cmpint(virConnectNumOfDomains(conn), ==, 3);
    n = virConnectListDomains(conn, ids, G_N_ELEMENTS(ids));
    g_assert_cmpint(n, ==, 3);
    for (i = 0; i < n; i++)
        g_assert_true(ids[i] == 1 || ids[i] == 2 || ids[i] == 3);
    g_assert_cmpint(ids[0] + ids[1] + ids[2], ==, 6);
    g_assert_cmpint(virConnectNumOfDefinedDomains(conn), ==, 1);
    n = virConnectListDefinedDomains(conn, names, G_N_ELEMENTS(names));
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpstr(names[0], ==, "off");
    free(names[0]);
    /* A short buffer gets as many as fit. */
    g_assert_cmpint(virConnectListDomains(conn, ids, 2), ==, 2);
    g_assert_cmpint(virConnectListDefinedDomains(conn, names, 0), ==, 0);

    virConnectClose(conn);
}

/* ---- Threads ---------------------------------------------------------- */

typedef struct {
    virConnectPtr conn;
    int index;
    int failures;
} threadJob;

/* One thread: its own domain through every transition, interleaved with
 * lookups and listings of what the other threads are changing. */
static gpointer
lifecycleThread(gpointer opaque)
{
    threadJob *job = opaque;
    g_autofree char *name = g_strdup_printf("thr%d", job->index);
    g_autofree char *xml = minimalXML(name, NULL);
    int i;

    for (i = 0; i < 200; i++) {
        virDomainPtr dom = virDomainDefineXML(job->conn, xml);
        virDomainPtr other;
        virDomainPtr *doms = NULL;
        int n;
        int j;

        if (!dom) {
            job->failures++;
            continue;
        }
        if (virDomainCreate(dom) < 0 || virDomainSuspend(dom) < 0 ||
            virDomainResume(dom) < 0 || virDomainReboot(dom, 0) < 0 ||
            virDomainDestroy(dom) < 0 || virDomainUndefine(dom) < 0)
            job->failures++;
        virDomainFree(dom);

        if (!(other = virDomainLookupByName(job->conn, "test")))
            job->failures++;
        else
            virDomainFree(other);
        if ((n = virConnectListAllDomains(job->conn, &doms, 0)) < 1)
            job->failures++;
        for (j = 0; j < n; j++)
            virDomainFree(doms[j]);
        free(doms);
    }
    return NULL;
}

static void
testThreads(void)
{
    virConnectPtr conn = openDefault();
    threadJob jobs[4];
    GThread *threads[G_N_ELEMENTS(jobs)];
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(jobs); i++) {
        jobs[i] = (threadJob){ conn, (int)i, 0 };
        threads[i] = g_thread_new("lifecycle", lifecycleThread, &jobs[i]);
    }
    for (i = 0; i < G_N_ELEMENTS(jobs); i++) {
        g_thread_join(threads[i]);
        g_assert_cmpint(jobs[i].failures, ==, 0);
    }
    /* Every thread cleaned up after itself. */
    assertList(conn, 0, "test");
    virConnectClose(conn);
}

/* ---- test:///PATH.xml ------------------------------------------------- */

static void
testFileGood(void)
{
    g_autofree char *uri = g_strdup_printf("test://%s/node-good.xml", dataDir);
    g_autofree char *expectCaps = readFixture("capabilities-file.xml");
    g_autofree char *caps = NULL;
    g_autofree char *xml = NULL;
    virConnectPtr conn = virConnectOpen(uri);
    virNodeInfo info;
    virDomainPtr dom;
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    g_assert_nonnull(conn);
    g_assert_cmpint(virNodeGetInfo(conn, &info), ==, 0);
    g_assert_cmpstr(info.model, ==, "ia64");
    g_assert_cmpuint(info.memory, ==, 8192000);
    g_assert_cmpuint(info.cpus, ==, 50);
    g_assert_cmpuint(info.mhz, ==, 6000);
    g_assert_cmpuint(info.nodes, ==, 4);
    g_assert_cmpuint(info.sockets, ==, 4);
    g_assert_cmpuint(info.cores, ==, 4);
    g_assert_cmpuint(info.threads, ==, 2);
    caps = virConnectGetCapabilities(conn);
    g_assert_cmpstr(caps, ==, expectCaps);

    assertList(conn, 0, "fv0 inl off paused");

    /* Domains get ids in document order; the file's states have reason 0. */
    dom = lookup(conn, "fv0");
    g_assert_cmpuint(virDomainGetID(dom), ==, 1);
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNKNOWN);
    g_assert_cmpint(virDomainGetUUIDString(dom, uuidstr), ==, 0);
    g_assert_cmpstr(uuidstr, ==, "4dea22b3-1d52-d8f3-2516-782e98ab3fa0");
    g_assert_cmpuint(virDomainGetMaxMemory(dom), ==, 261072);
    virDomainFree(dom);

    dom = lookup(conn, "inl");
    g_assert_cmpuint(virDomainGetID(dom), ==, 2);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 1);
    xml = virDomainGetXMLDesc(dom, 0);
    g_assert_nonnull(strstr(xml, "<target dev='testnet0'/>"));
    g_assert_nonnull(strstr(xml, "<mac address='52:54:00:11:22:33'/>"));
    virDomainFree(dom);

    dom = lookup(conn, "off");
    g_assert_cmpint((int)virDomainGetID(dom), ==, -1);
    assertState(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_UNKNOWN);
    virDomainFree(dom);

    dom = lookup(conn, "paused");
    g_assert_cmpuint(virDomainGetID(dom), ==, 3);
    assertState(dom, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_UNKNOWN);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 0);
    /* A transient domain from the file is removed when it stops. */
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_null(virDomainLookupByName(conn, "paused"));
    virDomainFree(dom);

    virConnectClose(conn);
}

static void
testFileMissing(void)
{
    g_autofree char *uri = g_strdup_printf("test://%s/no-such-node.xml", dataDir);
    g_autofree char *msg = g_strdup_printf("XML error: failed to parse xml document "
                                           "'%s/no-such-node.xml'",
                                           dataDir);

    g_assert_null(virConnectOpen(uri));
    assertError(VIR_ERR_XML_ERROR, VIR_FROM_TEST, msg);
}

/* One bad node file: opening it fails exactly as the recorded .err says. */
static void
testFileBad(gconstpointer data)
{
    const char *name = data;
    g_autofree char *dir = g_build_filename(dataDir, "badnode", NULL);
    g_autofree char *errPath = g_strdup_printf("%s/%s.err", dir, name);
    g_autofree char *uri = g_strdup_printf("test://%s/%s.xml", dir, name);
    g_autofree char *expect = NULL;
    g_auto(GStrv) parts = NULL;
    g_autoptr(GString) msg = NULL;
    int code;
    int domain;

    g_assert_true(g_file_get_contents(errPath, &expect, NULL, NULL));
    parts = g_strsplit(expect, "\n", 2);
    g_assert_cmpint(sscanf(parts[0], "%d %d", &code, &domain), ==, 2);
    msg = g_string_new(parts[1]);
    g_string_replace(msg, "@DIR@", dir, 0);
    if (msg->len && msg->str[msg->len - 1] == '\n')
        g_string_truncate(msg, msg->len - 1);

    g_assert_null(virConnectOpen(uri));
    assertError(code, domain, msg->str);
}

typedef struct {
    const char *user;
    const char *password;
    GString *asked; /* "type:prompt:challenge|" per credential */
} authAnswers;

static int
authCallback(virConnectCredentialPtr cred, unsigned int ncred, void *cbdata)
{
    authAnswers *answers = cbdata;
    unsigned int i;

    for (i = 0; i < ncred; i++) {
        const char *value = NULL;

        g_string_append_printf(answers->asked, "%d:%s:%s|", cred[i].type, cred[i].prompt,
                               cred[i].challenge);
        if (cred[i].type == VIR_CRED_AUTHNAME)
            value = answers->user;
        else if (cred[i].type == VIR_CRED_PASSPHRASE)
            value = answers->password;
        if (!value)
            return -1;
        cred[i].result = strdup(value);
        cred[i].resultlen = strlen(value);
    }
    return 0;
}

/* Open the <auth> node file answering with @user / @password; returns the
 * connection (or NULL) and what was asked in @asked. */
static virConnectPtr
openWithAuth(const char *user, const char *password, int *credtypes,
             unsigned int ncredtypes, char **asked)
{
    g_autofree char *uri = g_strdup_printf("test://%s/node-auth.xml", dataDir);
    authAnswers answers = { user, password, g_string_new(NULL) };
    virConnectAuth auth = { credtypes, ncredtypes, authCallback, &answers };
    virConnectPtr conn = virConnectOpenAuth(uri, &auth, 0);

    *asked = g_string_free(answers.asked, FALSE);
    return conn;
}

static void
testFileAuth(void)
{
    g_autofree char *uri = g_strdup_printf("test://%s/node-auth.xml", dataDir);
    int both[] = { VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE };
    int nameOnly[] = { VIR_CRED_AUTHNAME };
    virConnectPtr conn;
    char *asked = NULL;

    conn = openWithAuth("alice", "pw", both, 2, &asked);
    g_assert_nonnull(conn);
    g_assert_cmpstr(asked, ==,
                    "2:Enter username for localhost:localhost|"
                    "5:Enter alice's password for localhost:localhost|");
    virConnectClose(conn);
    g_free(asked);

    /* A user without a password is not asked for one. */
    conn = openWithAuth("bob", NULL, both, 2, &asked);
    g_assert_nonnull(conn);
    g_assert_cmpstr(asked, ==, "2:Enter username for localhost:localhost|");
    virConnectClose(conn);
    g_free(asked);

    g_assert_null(openWithAuth("alice", "bad", both, 2, &asked));
    assertError(VIR_ERR_AUTH_FAILED, VIR_FROM_TEST,
                "authentication failed: authentication failed, see test XML for "
                "the correct username/password");
    g_free(asked);

    /* An unknown user is still asked for a password, then refused. */
    g_assert_null(openWithAuth("eve", "x", both, 2, &asked));
    g_assert_cmpstr(asked, ==,
                    "2:Enter username for localhost:localhost|"
                    "5:Enter eve's password for localhost:localhost|");
    assertError(VIR_ERR_AUTH_FAILED, VIR_FROM_TEST,
                "authentication failed: authentication failed, see test XML for "
                "the correct username/password");
    g_free(asked);

    g_assert_null(openWithAuth("alice", "pw", nameOnly, 1, &asked));
    assertError(VIR_ERR_AUTH_FAILED, VIR_FROM_AUTH,
                "authentication failed: Missing VIR_CRED_PASSPHRASE or "
                "VIR_CRED_NOECHOPROMPT credential type");
    g_free(asked);

    g_assert_null(openWithAuth(NULL, NULL, both, 2, &asked));
    assertError(VIR_ERR_AUTH_FAILED, VIR_FROM_AUTH,
                "authentication failed: Username request failed");
    g_free(asked);

    g_assert_null(virConnectOpen(uri));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_AUTH,
                "invalid argument: Missing authentication credentials");
}

int
main(int argc, char **argv)
{
    g_autoptr(GDir) dir = NULL;
    g_autofree char *badDir = NULL;
    const char *entry;
    g_autoptr(GPtrArray) badNames = g_ptr_array_new_with_free_func(g_free);
    guint i;

    g_test_init(&argc, &argv, NULL);
    virSetErrorFunc(NULL, quietErrorHandler);
    if (virEventRegisterDefaultImpl() < 0)
        g_error("cannot register the default event loop");

    g_test_add_func("/testdriver/connect/default", testConnectDefault);
    g_test_add_func("/testdriver/connect/shared-state", testConnectSharedState);
    g_test_add_func("/testdriver/connect/bad-uri", testConnectBadURI);
    g_test_add_func("/testdriver/connect/read-only", testConnectReadOnly);
    g_test_add_func("/testdriver/domain/default", testDefaultDomain);
    g_test_add_func("/testdriver/domain/lookups", testLookups);
    g_test_add_func("/testdriver/lifecycle/transitions", testLifecycleTransitions);
    g_test_add_func("/testdriver/lifecycle/bad-flags", testLifecycleBadFlags);
    g_test_add_func("/testdriver/lifecycle/actions", testLifecycleActions);
    g_test_add_func("/testdriver/define/undefine", testDefineUndefine);
    g_test_add_func("/testdriver/define/redefine-running", testRedefineRunning);
    g_test_add_func("/testdriver/create/transient", testCreateTransient);
    g_test_add_func("/testdriver/domain/vcpus-flags", testVcpusFlags);
    g_test_add_func("/testdriver/events/lifecycle", testEventsLifecycle);
    g_test_add_func("/testdriver/events/define-details", testEventsDefineDetails);
    g_test_add_func("/testdriver/events/legacy", testEventsLegacy);
    g_test_add_func("/testdriver/list/filters", testListAllFilters);
    g_test_add_func("/testdriver/threads", testThreads);
    g_test_add_func("/testdriver/file/good", testFileGood);
    g_test_add_func("/testdriver/file/missing", testFileMissing);
    g_test_add_func("/testdriver/file/auth", testFileAuth);

    badDir = g_build_filename(dataDir, "badnode", NULL);
    if (!(dir = g_dir_open(badDir, 0, NULL)))
        g_error("cannot list %s", badDir);
    while ((entry = g_dir_read_name(dir))) {
        if (g_str_has_suffix(entry, ".err"))
            g_ptr_array_add(badNames, g_strndup(entry, strlen(entry) - 4));
    }
    g_ptr_array_sort(badNames, compareStrPtr);
    for (i = 0; i < badNames->len; i++) {
        g_autofree char *path =
            g_strdup_printf("/testdriver/file/bad/%s", (char *)badNames->pdata[i]);

        g_test_add_data_func(path, badNames->pdata[i], testFileBad);
    }

    return g_test_run();
}
