/* test-vkstop.c: vkDomainStop (virtkit.h) against the test driver: the ladder's semantics there, argument errors */
#include <stdbool.h>
#include <string.h>

#include <glib.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <virtkit/virtkit.h>

/* The test driver's ladder is documented above testDomainVkStop
 * (src/drivers/test/test_driver.c) and in docs/virtkit-api.md. */

static void
quietErrors(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

static void
assertError(int code, int domain, const char *message)
{
    virErrorPtr err = virGetLastError();

    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpint(err->domain, ==, domain);
    if (message)
        g_assert_cmpstr(err->message, ==, message);
}

static void
assertState(virDomainPtr dom, int state, int reason)
{
    int s = -1, r = -1;

    g_assert_cmpint(virDomainGetState(dom, &s, &r, 0), ==, 0);
    g_assert_cmpint(s, ==, state);
    g_assert_cmpint(r, ==, reason);
}

/* A running transient test guest, with or without <acpi/>. */
static virDomainPtr
startGuest(virConnectPtr conn, const char *name, bool acpi)
{
    g_autofree char *xml =
        g_strdup_printf("<domain type='test'><name>%s</name><memory>1024</memory>"
                        "<os><type>hvm</type></os>%s</domain>",
                        name, acpi ? "<features><acpi/></features>" : "");
    virDomainPtr dom = virDomainCreateXML(conn, xml, 0);

    g_assert_nonnull(dom);
    return dom;
}

typedef struct {
    int steps[8];
    unsigned int n;
} Seen;

static void
progressCb(virDomainPtr dom, const vkStopProgress *p, void *opaque)
{
    Seen *seen = opaque;

    g_assert_nonnull(dom);
    g_assert_nonnull(p->what);
    if (seen->n < G_N_ELEMENTS(seen->steps))
        seen->steps[seen->n++] = p->step;
}

static void
testAcpi(void)
{
    virConnectPtr conn = virConnectOpen("test:///default");
    virDomainPtr dom = startGuest(conn, "vka", true);
    vkStopReport r;
    Seen seen = { { 0 }, 0 };

    g_assert_cmpint(vkDomainStopWithProgress(dom, 5000, 0, &r, progressCb, &seen), ==, 0);
    g_assert_cmpint(r.ended_by, ==, VK_STOP_STEP_ACPI);
    g_assert_cmpint(r.flushed, ==, 1);
    g_assert_cmpuint(r.deadline_ms, ==, 5000);
    g_assert_cmpint(r.steps[VK_STOP_STEP_AGENT].outcome, ==, VK_STOP_OUTCOME_SKIPPED);
    g_assert_cmpstr(r.steps[VK_STOP_STEP_AGENT].reason, ==,
                    "no guest agent in the test driver");
    g_assert_cmpint(r.steps[VK_STOP_STEP_ACPI].outcome, ==, VK_STOP_OUTCOME_ENDED);
    g_assert_cmpuint(r.steps[VK_STOP_STEP_ACPI].attempts, ==, 1);
    g_assert_cmpint(r.steps[VK_STOP_STEP_CLEAN_EXIT].outcome, ==,
                    VK_STOP_OUTCOME_NOT_REACHED);
    g_assert_cmpint(r.steps[VK_STOP_STEP_KILL].outcome, ==, VK_STOP_OUTCOME_NOT_REACHED);
    g_assert_cmpuint(seen.n, ==, 1);
    g_assert_cmpint(seen.steps[0], ==, VK_STOP_STEP_ACPI);
    /* transient: gone */
    g_assert_null(virDomainLookupByName(conn, "vka"));
    g_assert_cmpstr(vkStopStepName(r.ended_by), ==, "acpi");
    g_assert_cmpstr(vkStopOutcomeName(VK_STOP_OUTCOME_SKIPPED), ==, "skipped");
    g_assert_cmpstr(vkStopStepName(99), ==, "unknown");
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
testNoAcpiAndPaused(void)
{
    virConnectPtr conn = virConnectOpen("test:///default");
    virDomainPtr dom = startGuest(conn, "vkn", false);
    virDomainPtr dom2 = startGuest(conn, "vkp", true);
    g_autofree char *xml = NULL;
    virDomainPtr pers;
    vkStopReport r;

    g_assert_cmpint(vkDomainStop(dom, 0, 0, &r), ==, 0);
    g_assert_cmpuint(r.deadline_ms, ==, 60000);
    g_assert_cmpint(r.ended_by, ==, VK_STOP_STEP_CLEAN_EXIT);
    g_assert_cmpint(r.steps[VK_STOP_STEP_ACPI].outcome, ==, VK_STOP_OUTCOME_SKIPPED);
    g_assert_cmpstr(r.steps[VK_STOP_STEP_ACPI].reason, ==,
                    "no <acpi/> in the definition");
    g_assert_cmpint(r.flushed, ==, 1);

    g_assert_cmpint(virDomainSuspend(dom2), ==, 0);
    g_assert_cmpint(vkDomainStop(dom2, 1000, VK_STOP_SKIP_AGENT, &r), ==, 0);
    g_assert_cmpstr(r.steps[VK_STOP_STEP_AGENT].reason, ==, "skipped by the policy");
    g_assert_cmpstr(r.steps[VK_STOP_STEP_ACPI].reason, ==,
                    "the guest is not running (paused)");
    g_assert_cmpint(r.ended_by, ==, VK_STOP_STEP_CLEAN_EXIT);

    /* persistent: shut off with the step's reason */
    xml = g_strdup("<domain type='test'><name>vkq</name><memory>1024</memory>"
                   "<os><type>hvm</type></os><features><acpi/></features></domain>");
    pers = virDomainDefineXML(conn, xml);
    g_assert_nonnull(pers);
    g_assert_cmpint(virDomainCreate(pers), ==, 0);
    g_assert_cmpint(vkDomainStop(pers, 1000, 0, &r), ==, 0);
    assertState(pers, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    g_assert_cmpint(virDomainCreate(pers), ==, 0);
    g_assert_cmpint(vkDomainStop(pers, 1000, VK_STOP_SKIP_ACPI, &r), ==, 0);
    assertState(pers, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED);

    /* not running */
    g_assert_cmpint(vkDomainStop(pers, 1000, 0, &r), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                "Requested operation is not valid: domain is not running");
    g_assert_cmpint(r.ended_by, ==, VK_STOP_STEP_NONE);
    g_assert_cmpint(virDomainUndefine(pers), ==, 0);
    virDomainFree(pers);
    virDomainFree(dom);
    virDomainFree(dom2);
    virConnectClose(conn);
}

static void
testNoKill(void)
{
    virConnectPtr conn = virConnectOpen("test:///default");
    virDomainPtr dom = startGuest(conn, "vkk", true);
    vkStopReport r;

    /* every gentle step refused, no SIGKILL: an error, the guest runs on */
    g_assert_cmpint(
        vkDomainStop(dom, 1000, VK_STOP_SKIP_ACPI | VK_STOP_SKIP_CLEAN_EXIT, &r), ==, -1);
    assertError(VIR_ERR_OPERATION_TIMEOUT, VIR_FROM_TEST,
                "Timed out during operation: domain 'vkk' still running after 0 ms: "
                "SIGKILL not allowed by the policy");
    g_assert_cmpint(r.ended_by, ==, VK_STOP_STEP_NONE);
    g_assert_cmpint(r.steps[VK_STOP_STEP_KILL].outcome, ==, VK_STOP_OUTCOME_SKIPPED);
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);

    g_assert_cmpint(
        vkDomainStop(dom, 1000,
                     VK_STOP_SKIP_ACPI | VK_STOP_SKIP_CLEAN_EXIT | VK_STOP_ALLOW_KILL,
                     &r),
        ==, 0);
    g_assert_cmpint(r.ended_by, ==, VK_STOP_STEP_KILL);
    g_assert_cmpint(r.flushed, ==, 0);
    g_assert_null(virDomainLookupByName(conn, "vkk"));
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
testArgErrors(void)
{
    virConnectPtr conn = virConnectOpen("test:///default");
    virConnectPtr ro = virConnectOpenReadOnly("test:///default");
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virDomainPtr domRo = virDomainLookupByName(ro, "test");
    vkStopReport r;
    int state = -1, reason = -1;

    g_assert_nonnull(dom);
    g_assert_cmpint(virDomainGetState(dom, &state, &reason, 0), ==, 0);
    g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(vkDomainStop(dom, 1000, 0, NULL), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                "report in vkDomainStopWithProgress must not be NULL");
    g_assert_cmpint(vkDomainStop(dom, 1000, 1u << 20, &r), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                "unsupported flags (0x100000) in function testDomainVkStop");
    g_assert_cmpint(vkDomainStop(domRo, 1000, 0, &r), ==, -1);
    assertError(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN, NULL);
    g_assert_cmpint(vkDomainStop(NULL, 1000, 0, &r), ==, -1);
    assertError(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, NULL);
    /* nothing changed */
    assertState(dom, state, reason);
    virDomainFree(dom);
    virDomainFree(domRo);
    virConnectClose(ro);
    virConnectClose(conn);
}

#define POLICY_XML                                                                 \
    "<domain type='test'><name>vkpol</name><memory>1024</memory>"                  \
    "<os><type>hvm</type></os><features><acpi/></features><metadata>"              \
    "<virtkit:lifecycle xmlns:virtkit='http://virtkit.invalid/xmlns/lifecycle/1' " \
    "destroy-grace-period='12'>"                                                   \
    "<virtkit:stop deadline='30' acpi-share='50' acpi-interval='3' kill='%s'/>"    \
    "<virtkit:host-shutdown action='save' priority='7' parallel='%s'/>"            \
    "</virtkit:lifecycle></metadata></domain>"

/* The stop policy in <metadata>: kept by dumpxml, used with
 * VK_STOP_USE_DEFINITION, refused at define when invalid. */
static void
testDefinitionPolicy(void)
{
    virConnectPtr conn = virConnectOpen("test:///default");
    g_autofree char *xml = g_strdup_printf(POLICY_XML, "yes", "3");
    g_autofree char *dump = NULL;
    virDomainPtr dom = virDomainDefineXML(conn, xml);
    vkStopReport r;

    g_assert_nonnull(dom);
    dump = virDomainGetXMLDesc(dom, 0);
    /* the grace override too (issue 13: dumpxml used to drop it) */
    g_assert_nonnull(strstr(dump, "destroy-grace-period=\"12\""));
    g_assert_nonnull(strstr(dump, "<virtkit:stop deadline=\"30\" acpi-share=\"50\" "
                                  "acpi-interval=\"3\" kill=\"yes\"/>"));
    g_assert_nonnull(strstr(
        dump, "<virtkit:host-shutdown action=\"save\" priority=\"7\" parallel=\"3\"/>"));
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    /* the definition's deadline and kill=yes: every gentle step refused,
     * SIGKILL allowed by the definition alone */
    g_assert_cmpint(
        vkDomainStop(dom, 0,
                     VK_STOP_USE_DEFINITION | VK_STOP_SKIP_ACPI | VK_STOP_SKIP_CLEAN_EXIT,
                     &r),
        ==, 0);
    g_assert_cmpuint(r.deadline_ms, ==, 30000);
    g_assert_cmpint(r.ended_by, ==, VK_STOP_STEP_KILL);
    /* without USE_DEFINITION the call's own policy applies */
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpint(vkDomainStop(dom, 0, VK_STOP_SKIP_ACPI | VK_STOP_SKIP_CLEAN_EXIT, &r),
                    ==, -1);
    g_assert_cmpuint(r.deadline_ms, ==, 60000);
    g_assert_cmpint(vkDomainStop(dom, 2000, VK_STOP_USE_DEFINITION, &r), ==, 0);
    g_assert_cmpuint(r.deadline_ms, ==, 2000); /* the call's deadline wins */
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    virDomainFree(dom);

    /* invalid: refused, nothing defined */
    g_free(xml);
    xml = g_strdup_printf(POLICY_XML, "maybe", "3");
    g_assert_null(virDomainDefineXML(conn, xml));
    assertError(VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
                "XML error: invalid value 'maybe' of virtkit:stop attribute 'kill' "
                "(yes or no)");
    g_free(xml);
    xml = g_strdup_printf(POLICY_XML, "yes", "0");
    g_assert_null(virDomainDefineXML(conn, xml));
    assertError(VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
                "XML error: invalid value '0' of virtkit:host-shutdown attribute "
                "'parallel' (1 to 64)");
    g_assert_null(virDomainLookupByName(conn, "vkpol"));
    g_assert_null(virDomainCreateXML(conn, xml, 0));
    g_assert_null(virDomainLookupByName(conn, "vkpol"));
    g_free(xml);
    xml =
        g_strdup("<domain type='test'><name>vkpol</name><memory>1024</memory>"
                 "<os><type>hvm</type></os><metadata><virtkit:lifecycle "
                 "xmlns:virtkit='http://virtkit.invalid/xmlns/lifecycle/1'>"
                 "<virtkit:stop deadline='0'/></virtkit:lifecycle></metadata></domain>");
    g_assert_null(virDomainDefineXML(conn, xml));
    assertError(VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
                "XML error: invalid value '0' of virtkit:stop attribute 'deadline' "
                "(1 to 86400)");
    virConnectClose(conn);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    virSetErrorFunc(NULL, quietErrors);
    g_test_add_func("/vkstop/test/acpi", testAcpi);
    g_test_add_func("/vkstop/test/no-acpi-and-paused", testNoAcpiAndPaused);
    g_test_add_func("/vkstop/test/no-kill", testNoKill);
    g_test_add_func("/vkstop/test/arg-errors", testArgErrors);
    g_test_add_func("/vkstop/test/definition-policy", testDefinitionPolicy);
    return g_test_run();
}
