/* test-api.c: the public entry points: argument errors, error functions, references, URIs */
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include <libvirt/libvirt.h>
#include "datatypes.h"

#define URI "test:///default"
#define TEST_UUID "6695eb01-f6a4-8304-79aa-97f2502e193f"

static void
quietErrors(void *opaque, virErrorPtr err)
{
    int *count = opaque;

    if (count)
        (*count)++;
}


static void
assertError(int code, int domain, const char *message)
{
    virErrorPtr err = virGetLastError();

    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpint(err->domain, ==, domain);
    g_assert_cmpint(err->level, ==, VIR_ERR_ERROR);
    if (message)
        g_assert_cmpstr(err->message, ==, message);
}


static void
assertNoError(void)
{
    virErrorPtr err = virGetLastError();

    g_assert_true(err == NULL || err->code == VIR_ERR_OK);
}


static virConnectPtr
openTest(void)
{
    virConnectPtr conn = virConnectOpen(URI);

    g_assert_nonnull(conn);
    return conn;
}


static void
testNullConnection(void)
{
    unsigned long ver = 0;

    g_assert_cmpint(virConnectClose(NULL), ==, -1);
    assertError(VIR_ERR_INVALID_CONN, VIR_FROM_NONE,
                "invalid connection pointer in virConnectClose");
    g_assert_null(virConnectGetType(NULL));
    assertError(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN,
                "invalid connection pointer in virConnectGetType");
    g_assert_cmpint(virConnectGetVersion(NULL, &ver), ==, -1);
    assertError(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN,
                "invalid connection pointer in virConnectGetVersion");
    g_assert_cmpuint(ver, ==, 0);
    g_assert_null(virDomainLookupByName(NULL, "test"));
    assertError(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN,
                "invalid connection pointer in virDomainLookupByName");
    g_assert_cmpint(virConnectListAllDomains(NULL, NULL, 0), ==, -1);
    assertError(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN,
                "invalid connection pointer in virConnectListAllDomains");
    g_assert_cmpint(virConnectDomainEventDeregisterAny(NULL, 0), ==, -1);
    assertError(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN,
                "invalid connection pointer in virConnectDomainEventDeregisterAny");
}


static void
testNullDomain(void)
{
    char buf[VIR_UUID_STRING_BUFLEN] = "unchanged";

    g_assert_null(virDomainGetName(NULL));
    assertError(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM,
                "invalid domain pointer in virDomainGetName");
    g_assert_cmpuint(virDomainGetID(NULL), ==, (unsigned int)-1);
    assertError(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM,
                "invalid domain pointer in virDomainGetID");
    g_assert_cmpint(virDomainGetUUIDString(NULL, buf), ==, -1);
    g_assert_cmpstr(buf, ==, "unchanged");
    g_assert_cmpint(virDomainDestroy(NULL), ==, -1);
    assertError(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM,
                "invalid domain pointer in virDomainDestroy");
    g_assert_cmpint(virDomainFree(NULL), ==, -1);
    assertError(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM,
                "invalid domain pointer in virDomainFree");
    g_assert_null(virDomainGetConnect(NULL));
}


static void
testArguments(void)
{
    virConnectPtr conn = openTest();
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virErrorPtr err;
    int ids[2];
    int state = 42;

    g_assert_null(virDomainLookupByName(conn, NULL));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                "name in virDomainLookupByName must not be NULL");
    err = virGetLastError();
    g_assert_cmpstr(err->str1, ==, "virDomainLookupByName");
    g_assert_cmpstr(err->str2, ==, "name");

    g_assert_cmpint(virConnectListDomains(conn, NULL, 2), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                "ids in virConnectListDomains must not be NULL");
    g_assert_cmpint(virConnectListDomains(conn, ids, -1), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                "maxids in virConnectListDomains must be zero or greater");
    /* a NULL array is fine when its size is 0 */
    g_assert_cmpint(virConnectListDomains(conn, NULL, 0), ==, 0);
    assertNoError();

    g_assert_null(virDomainLookupByID(conn, -1));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                "id in virDomainLookupByID must be zero or greater");
    g_assert_null(virDomainLookupByUUIDString(conn, "6695eb01-zzzz"));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, "Invalid UUID");
    g_assert_null(virDomainDefineXML(conn, NULL));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                "xml in virDomainDefineXML must not be NULL");
    g_assert_null(virDomainDefineXMLFlags(conn, NULL, 0));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                "xml in virDomainDefineXMLFlags must not be NULL");
    g_assert_null(virDomainCreateLinux(conn, NULL, 0));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                "xmlDesc in virDomainCreateXML must not be NULL");

    g_assert_cmpint(virDomainGetState(dom, NULL, NULL, 0), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                "state in virDomainGetState must not be NULL");
    g_assert_cmpint(virDomainGetState(dom, &state, NULL, 0), ==, 0);
    g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);
    assertNoError();

    g_assert_cmpint(virConnectDomainEventRegisterAny(
                        conn, NULL, 27, (virConnectDomainEventGenericCallback)quietErrors,
                        NULL, NULL),
                    ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, "eventID must be less than 27");
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, -5), ==, -1);
    assertError(
        VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
        "callbackID in virConnectDomainEventDeregisterAny must be zero or greater");

    /* a handle of another connection is refused */
    {
        virConnectPtr other = openTest();

        g_assert_cmpint(virConnectDomainEventRegisterAny(
                            other, dom, 0,
                            (virConnectDomainEventGenericCallback)quietErrors, NULL,
                            NULL),
                        ==, -1);
        assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                    "domain 'test' must match connection");
        g_assert_cmpint(virConnectClose(other), ==, 0);
    }

    /* none of the above changed anything */
    g_assert_cmpint(virDomainIsActive(dom), ==, 1);
    g_assert_cmpint(virConnectNumOfDomains(conn), ==, 1);
    virDomainFree(dom);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}


static void
testReadOnly(void)
{
    virConnectPtr conn = virConnectOpenReadOnly(URI);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    int state = 0;
    char *xml;

    g_assert_nonnull(dom);
    g_assert_cmpint(virDomainDestroy(dom), ==, -1);
    assertError(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
                "operation forbidden: read only access prevents virDomainDestroy");
    g_assert_cmpint(virDomainDestroyFlags(dom, 0), ==, -1);
    assertError(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
                "operation forbidden: read only access prevents virDomainDestroyFlags");
    g_assert_cmpint(virDomainSuspend(dom), ==, -1);
    assertError(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
                "operation forbidden: read only access prevents virDomainSuspend");
    g_assert_null(virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_SECURE));
    assertError(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
                "operation forbidden: virDomainGetXMLDesc with secure flag");
    /* reads work and the domain was not touched */
    xml = virDomainGetXMLDesc(dom, 0);
    g_assert_nonnull(xml);
    g_free(xml);
    g_assert_cmpint(virDomainGetState(dom, &state, NULL, 0), ==, 0);
    g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);
    virDomainFree(dom);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}


static void
testErrorFunctions(void)
{
    virConnectPtr conn = openTest();
    virError copy;
    virErrorPtr saved;
    int handled = 0;

    g_assert_null(virDomainLookupByName(conn, "nosuch"));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpint(virGetLastErrorDomain(), ==, VIR_FROM_TEST);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "Domain not found");

    /* the connection remembers its last error too */
    g_assert_nonnull(virConnGetLastError(conn));
    g_assert_cmpint(virConnGetLastError(conn)->code, ==, VIR_ERR_NO_DOMAIN);

    memset(&copy, 0, sizeof(copy));
    g_assert_cmpint(virCopyLastError(&copy), ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpstr(copy.message, ==, "Domain not found");
    virResetError(&copy);

    saved = virSaveLastError();
    g_assert_nonnull(saved);
    /* a successful call resets the thread's error */
    g_assert_nonnull(virConnectGetType(conn));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OK);
    g_assert_cmpint(saved->code, ==, VIR_ERR_NO_DOMAIN);
    virFreeError(saved);

    /* the handler sees each failure exactly once */
    virSetErrorFunc(&handled, quietErrors);
    g_assert_null(virDomainLookupByName(conn, "nosuch"));
    g_assert_null(virDomainLookupByName(conn, NULL));
    g_assert_cmpint(virConnectClose(NULL), ==, -1);
    g_assert_cmpint(handled, ==, 3);
    virSetErrorFunc(NULL, quietErrors);

    g_assert_cmpint(virConnectClose(conn), ==, 0);
}


static void
testReferences(void)
{
    virConnectPtr conn = openTest();
    virDomainPtr dom;

    g_assert_cmpint(virConnectRef(conn), ==, 0);
    g_assert_cmpint(virConnectClose(conn), ==, 1);

    /* a domain handle keeps its connection alive */
    dom = virDomainLookupByName(conn, "test");
    g_assert_nonnull(dom);
    g_assert_cmpint(virConnectClose(conn), ==, 1);
    g_assert_true(virDomainGetConnect(dom) == conn);
    g_assert_cmpstr(virConnectGetType(conn), ==, "TEST");
    g_assert_cmpint(virDomainRef(dom), ==, 0);
    g_assert_cmpint(virDomainFree(dom), ==, 0);
    g_assert_cmpstr(virDomainGetName(dom), ==, "test");
    g_assert_cmpint(virDomainFree(dom), ==, 0); /* last: closes conn too */
}


static void
testHandles(void)
{
    virConnectPtr conn = openTest();
    virDomainPtr dom = virDomainLookupByUUIDString(conn, TEST_UUID);
    virDomainPtr again;
    unsigned char uuid[VIR_UUID_BUFLEN];
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    g_assert_nonnull(dom);
    g_assert_cmpstr(virDomainGetName(dom), ==, "test");
    g_assert_cmpuint(virDomainGetID(dom), ==, 1);
    g_assert_cmpint(virDomainGetUUIDString(dom, uuidstr), ==, 0);
    g_assert_cmpstr(uuidstr, ==, TEST_UUID);
    g_assert_cmpint(virDomainGetUUID(dom, uuid), ==, 0);
    again = virDomainLookupByUUID(conn, uuid);
    g_assert_nonnull(again);
    g_assert_cmpstr(virDomainGetName(again), ==, "test");
    virDomainFree(again);

    /* libvirt accepts a UUID without dashes too */
    again = virDomainLookupByUUIDString(conn, "6695eb01f6a4830479aa97f2502e193f");
    g_assert_nonnull(again);
    virDomainFree(again);

    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    again = virDomainLookupByName(conn, "test");
    g_assert_cmpuint(virDomainGetID(again), ==, (unsigned int)-1);
    g_assert_cmpint(virDomainIsActive(again), ==, 0);
    virDomainFree(again);
    virDomainFree(dom);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}


static void
testURIs(void)
{
    virConnectPtr conn;
    char *uri;

    g_assert_null(virConnectOpen("nosuchdriver:///x"));
    assertError(VIR_ERR_NO_CONNECT, VIR_FROM_NONE,
                "no connection driver available for nosuchdriver:///x");
    g_assert_null(virConnectOpen("plainword"));
    assertError(
        VIR_ERR_NO_CONNECT, VIR_FROM_NONE,
        "no connection driver available for URI 'plainword' does not include a driver name");

    /* NULL: VIRTKIT_DEFAULT_URI wins over LIBVIRT_DEFAULT_URI */
    g_setenv("VIRTKIT_DEFAULT_URI", URI, TRUE);
    g_setenv("LIBVIRT_DEFAULT_URI", "nosuchdriver:///y", TRUE);
    conn = virConnectOpen(NULL);
    g_assert_nonnull(conn);
    uri = virConnectGetURI(conn);
    g_assert_cmpstr(uri, ==, URI);
    g_free(uri);
    g_assert_cmpint(virConnectClose(conn), ==, 0);

    g_unsetenv("VIRTKIT_DEFAULT_URI");
    g_assert_null(virConnectOpen(""));
    assertError(VIR_ERR_NO_CONNECT, VIR_FROM_NONE,
                "no connection driver available for nosuchdriver:///y");
    g_setenv("LIBVIRT_DEFAULT_URI", URI, TRUE);
    conn = virConnectOpenReadOnly(NULL);
    g_assert_nonnull(conn);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
    g_unsetenv("LIBVIRT_DEFAULT_URI");
}


static void
testVersions(void)
{
    virConnectPtr conn = openTest();
    unsigned long lib = 0, type = 0;

    g_assert_cmpint(virGetVersion(&lib, NULL, &type), ==, 0);
    g_assert_cmpuint(lib, ==, 9000000);
    g_assert_cmpuint(type, ==, 9000000);
    g_assert_cmpint(virGetVersion(NULL, NULL, NULL), ==, -1);
    lib = 0;
    g_assert_cmpint(virConnectGetLibVersion(conn, &lib), ==, 0);
    g_assert_cmpuint(lib, ==, LIBVIR_VERSION_NUMBER);
    g_assert_cmpint(virConnectSetKeepAlive(conn, 5, 3), ==, -1);
    assertError(VIR_ERR_NO_SUPPORT, VIR_FROM_DOMAIN,
                "this function is not supported by the connection driver: "
                "virConnectSetKeepAlive");
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}


/* Calls libvirt 9.0's test driver lacks (SaveParams, RestoreParams,
 * BlockPeek, OpenChannel): NO_SUPPORT there, after the entry point's own
 * checks (read-only, exclusive flags, arguments); and its MemoryPeek. */
static void
testTestDriverLacks(void)
{
    virConnectPtr conn = openTest();
    virConnectPtr ro = virConnectOpenReadOnly(URI);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virDomainPtr rodom = virDomainLookupByName(ro, "test");
    virTypedParameter file = { .field = VIR_DOMAIN_SAVE_PARAM_FILE,
                               .type = VIR_TYPED_PARAM_STRING,
                               .value.s = (char *)"/nonexistent/x.img" };
    virStreamPtr st = virStreamNew(conn, 0);
    unsigned char buf[8];

    g_assert_nonnull(dom);
    g_assert_cmpint(virDomainSaveParams(dom, &file, 1, 0), ==, -1);
    assertError(VIR_ERR_NO_SUPPORT, VIR_FROM_DOMAIN,
                "this function is not supported by the connection driver: "
                "virDomainSaveParams");
    g_assert_cmpint(virDomainRestoreParams(conn, &file, 1, 0), ==, -1);
    assertError(VIR_ERR_NO_SUPPORT, VIR_FROM_DOMAIN,
                "this function is not supported by the connection driver: "
                "virDomainRestoreParams");
    g_assert_cmpint(virDomainSaveParams(dom, &file, 1,
                                        VIR_DOMAIN_SAVE_RUNNING | VIR_DOMAIN_SAVE_PAUSED),
                    ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, NULL);
    g_assert_cmpint(virDomainRestoreParams(conn, NULL, 1, 0), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, NULL);
    g_assert_cmpint(virDomainSaveParams(rodom, &file, 1, 0), ==, -1);
    assertError(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN, NULL);
    g_assert_cmpint(virDomainBlockPeek(dom, "vda", 0, sizeof(buf), buf, 0), ==, -1);
    assertError(VIR_ERR_NO_SUPPORT, VIR_FROM_DOMAIN,
                "this function is not supported by the connection driver: "
                "virDomainBlockPeek");
    g_assert_cmpint(virDomainBlockPeek(dom, "", 0, sizeof(buf), buf, 0), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                "string disk in virDomainBlockPeek must not be empty");
    g_assert_cmpint(virDomainBlockPeek(dom, "vda", 0, 1, NULL, 0), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, NULL);
    g_assert_cmpint(virDomainBlockPeek(rodom, "vda", 0, sizeof(buf), buf, 0), ==, -1);
    assertError(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN, NULL);
    g_assert_cmpint(virDomainOpenChannel(dom, NULL, st, 0), ==, -1);
    assertError(VIR_ERR_NO_SUPPORT, VIR_FROM_DOMAIN,
                "this function is not supported by the connection driver: "
                "virDomainOpenChannel");

    /* MemoryPeek is there: the bytes count up from the address */
    memset(buf, 0, sizeof(buf));
    g_assert_cmpint(
        virDomainMemoryPeek(dom, 0x1fe, sizeof(buf), buf, VIR_MEMORY_PHYSICAL), ==, 0);
    g_assert_cmpint(buf[0], ==, 0xfe);
    g_assert_cmpint(buf[1], ==, 0xff);
    g_assert_cmpint(buf[2], ==, 0x00);
    g_assert_cmpint(buf[sizeof(buf) - 1], ==, (0xfe + sizeof(buf) - 1) & 0xff);
    g_assert_cmpint(virDomainMemoryPeek(dom, 0, 0, NULL, VIR_MEMORY_VIRTUAL), ==, 0);
    g_assert_cmpint(virDomainMemoryPeek(dom, 0, sizeof(buf), buf, 0), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                "invalid argument: flags parameter must be VIR_MEMORY_VIRTUAL or "
                "VIR_MEMORY_PHYSICAL");
    g_assert_cmpint(virDomainMemoryPeek(dom, 0, sizeof(buf), buf,
                                        VIR_MEMORY_VIRTUAL | VIR_MEMORY_PHYSICAL),
                    ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                "Flags 'VIR_MEMORY_VIRTUAL' and 'VIR_MEMORY_PHYSICAL' are mutually "
                "exclusive");
    g_assert_cmpint(virDomainMemoryPeek(dom, 0, sizeof(buf), buf, 4), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, NULL);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    memset(buf, 0, sizeof(buf));
    g_assert_cmpint(virDomainMemoryPeek(dom, 0, sizeof(buf), buf, VIR_MEMORY_VIRTUAL), ==,
                    -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                "Requested operation is not valid: domain is not running");
    g_assert_cmpint(buf[1], ==, 0);
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpint(virDomainIsActive(dom), ==, 1);
    virStreamFree(st);
    virDomainFree(rodom);
    virDomainFree(dom);
    g_assert_cmpint(virConnectClose(ro), ==, 0);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}


static void
removeTree(const char *path)
{
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
    const char *ent;

    while (dir && (ent = g_dir_read_name(dir))) {
        g_autofree char *child = g_build_filename(path, ent, NULL);

        if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
            !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
            removeTree(child);
        else
            g_unlink(child);
    }
    g_rmdir(path);
}


/* Names "." and ".." and any starting with '.' are refused at define by
 * the test driver and the QEMU driver alike (they would be hidden files
 * clashing with the temporary files of atomic writes), changing nothing. */
static void
checkDotNames(virConnectPtr conn, const char *configDir)
{
    const char *names[] = { ".", "..", ".hidden", "..x" };
    int before = virConnectNumOfDefinedDomains(conn);

    g_assert_cmpint(before, >=, 0);
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        g_autofree char *xml = g_strdup_printf(
            "<domain type='%s'><name>%s</name><memory>65536</memory>"
            "<os><type arch='x86_64' machine='pc'>hvm</type></os></domain>",
            configDir ? "qemu" : "test", names[i]);
        g_autofree char *msg =
            g_strdup_printf("XML error: name %s cannot start with '.'", names[i]);

        g_assert_null(virDomainDefineXML(conn, xml));
        assertError(VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, msg);
        g_assert_null(virDomainLookupByName(conn, names[i]));
    }
    g_assert_cmpint(virConnectNumOfDefinedDomains(conn), ==, before);
    if (configDir) {
        g_autoptr(GDir) dir = g_dir_open(configDir, 0, NULL);
        const char *ent;

        /* nothing written, not even a temporary file */
        while (dir && (ent = g_dir_read_name(dir)))
            g_assert_false(g_str_has_prefix(ent, "."));
    }
}


static void
testDotNamesRefused(void)
{
    virConnectPtr conn = openTest();
    g_autofree char *root = g_dir_make_tmp("vkapi-XXXXXX", NULL);
    g_autofree char *uri = g_strdup_printf("qemu:///embed?root=%s", root);
    g_autofree char *configDir = g_build_filename(root, "etc", NULL);

    checkDotNames(conn, NULL);
    g_assert_cmpint(virConnectClose(conn), ==, 0);

    g_assert_nonnull(root);
    conn = virConnectOpen(uri);
    g_assert_nonnull(conn);
    checkDotNames(conn, configDir);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
    removeTree(root);
}


/* A driver judges the flags only of a URI it accepts: flags the test driver
 * refuses (as libvirt's does) must not stop the QEMU driver's URI. */
static void
testOpenFlags(void)
{
    g_autofree char *root = g_dir_make_tmp("vkapi-XXXXXX", NULL);
    g_autofree char *uri = g_strdup_printf("qemu:///embed?root=%s", root);
    virConnectPtr conn;

    g_assert_null(virConnectOpenAuth(URI, NULL, VIR_CONNECT_NO_ALIASES));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                "unsupported flags (0x2) in function testConnectOpen");

    g_assert_null(virConnectOpenAuth("nosuchdriver:///x", NULL, VIR_CONNECT_NO_ALIASES));
    assertError(VIR_ERR_NO_CONNECT, VIR_FROM_NONE,
                "no connection driver available for nosuchdriver:///x");

    g_assert_nonnull(root);
    conn = virConnectOpenAuth(uri, NULL, VIR_CONNECT_NO_ALIASES);
    g_assert_nonnull(conn);
    assertNoError();
    g_assert_cmpint(virConnectClose(conn), ==, 0);
    removeTree(root);
}

/* The host queries through the public API on test:///default: libvirt
 * 9.0's test driver answers, and the entry points' own argument checks. */
static void
testHostQueries(void)
{
    virConnectPtr conn = virConnectOpen("test:///default");
    unsigned long long cells[4] = { 0 };
    unsigned char *map = NULL;
    unsigned int online = 0;
    char *xml;

    g_assert_nonnull(conn);
    g_assert_cmpuint(virNodeGetFreeMemory(conn), ==, 3145728);
    g_assert_cmpint(virNodeGetCellsFreeMemory(conn, cells, 0, 4), ==, 2);
    g_assert_cmpuint(cells[0], ==, 2097152);
    g_assert_cmpuint(cells[1], ==, 4194304);
    g_assert_cmpint(virNodeGetCellsFreeMemory(conn, cells, 0, 0), ==, -1);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "maxCells in virNodeGetCellsFreeMemory must be greater than zero");
    g_assert_cmpint(virNodeGetCellsFreeMemory(conn, NULL, 0, 1), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpint(virNodeGetCellsFreeMemory(conn, cells, 2, 1), ==, -1);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "invalid argument: Range exceeds available cells");
    g_assert_cmpint(virNodeGetCPUMap(conn, &map, &online, 0), ==, 8);
    g_assert_cmpuint(online, ==, 3);
    g_assert_cmpuint(map[0], ==, 0x15);
    free(map);
    g_assert_cmpint(virNodeGetCPUMap(conn, NULL, NULL, 0), ==, 8);
    g_assert_cmpint(virNodeGetCPUMap(conn, NULL, NULL, 1), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    xml = virConnectGetSysinfo(conn, 0);
    g_assert_nonnull(xml);
    g_assert_true(g_str_has_prefix(xml, "<sysinfo type='smbios'>\n  <bios>\n"));
    free(xml);
    g_assert_null(virConnectGetSysinfo(conn, 1));
    g_assert_cmpuint(virNodeGetFreeMemory(NULL), ==, 0);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_CONN);
    virConnectClose(conn);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    virSetErrorFunc(NULL, quietErrors);

    g_test_add_func("/api/error/null-connection", testNullConnection);
    g_test_add_func("/api/error/null-domain", testNullDomain);
    g_test_add_func("/api/error/arguments", testArguments);
    g_test_add_func("/api/error/read-only", testReadOnly);
    g_test_add_func("/api/error/functions", testErrorFunctions);
    g_test_add_func("/api/host-queries", testHostQueries);
    g_test_add_func("/api/ref/connection-and-domain", testReferences);
    g_test_add_func("/api/domain/handles", testHandles);
    g_test_add_func("/api/connect/uris", testURIs);
    g_test_add_func("/api/connect/versions", testVersions);
    g_test_add_func("/api/domain/test-driver-lacks", testTestDriverLacks);
    g_test_add_func("/api/connect/open-flags", testOpenFlags);
    g_test_add_func("/api/domain/dot-names-refused", testDotNamesRefused);
    return g_test_run();
}
