/* compat.c: a client of the public API only; prints a transcript that must be identical
 * whether built against libvirt (pkg-config libvirt) or against virtkit (pkg-config virtkit) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define URI "test:///default"

static const char *newDomainXML = "<domain type='test'>"
                                  "<name>compat1</name>"
                                  "<uuid>3c1e1b7a-1a5c-4c35-9a55-0b4b9d3f0c11</uuid>"
                                  "<memory unit='MiB'>64</memory>"
                                  "<vcpu>2</vcpu>"
                                  "<os><type>hvm</type></os>"
                                  "<on_poweroff>destroy</on_poweroff>"
                                  "<on_reboot>restart</on_reboot>"
                                  "</domain>";

static const char *transientXML = "<domain type='test'>"
                                  "<name>compat2</name>"
                                  "<uuid>7d2f0c44-5b1e-4f0a-8c3d-2e9a6b1c4d22</uuid>"
                                  "<memory>1024</memory>"
                                  "<os><type>hvm</type></os>"
                                  "</domain>";

static void
quietErrors(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}


/* Print the outcome of a call: its result, then the last error if any. */
static void
report(const char *what, long long rc)
{
    virErrorPtr err = virGetLastError();

    if (err && err->code != VIR_ERR_OK)
        printf("%s: rc=%lld error code=%d domain=%d level=%d message='%s'\n", what, rc,
               err->code, err->domain, err->level,
               err->message ? err->message : "(null)");
    else
        printf("%s: rc=%lld ok\n", what, rc);
}


/* Same, for errors whose message holds a pointer value: omit the text. */
static void
reportNoMessage(const char *what, long long rc)
{
    virErrorPtr err = virGetLastError();

    if (err && err->code != VIR_ERR_OK)
        printf("%s: rc=%lld error code=%d domain=%d\n", what, rc, err->code, err->domain);
    else
        printf("%s: rc=%lld ok\n", what, rc);
}


static int
compareStrings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}


static int
compareInts(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}


static void
printDomain(virDomainPtr dom)
{
    char uuid[VIR_UUID_STRING_BUFLEN];
    int state = -1, reason = -1, autostart = -1;
    virDomainInfo info;
    char *ostype;

    virDomainGetUUIDString(dom, uuid);
    printf("  domain name=%s id=%d uuid=%s\n", virDomainGetName(dom),
           (int)virDomainGetID(dom), uuid);
    if (virDomainGetState(dom, &state, &reason, 0) == 0)
        printf("  state=%d reason=%d\n", state, reason);
    else
        report("  getState", -1);
    if (virDomainGetInfo(dom, &info) == 0)
        printf("  info state=%d maxMem=%lu memory=%lu vcpus=%u\n", info.state,
               info.maxMem, info.memory, info.nrVirtCpu);
    else
        report("  getInfo", -1);
    ostype = virDomainGetOSType(dom);
    printf("  ostype=%s maxmem=%lu active=%d persistent=%d", ostype ? ostype : "(null)",
           virDomainGetMaxMemory(dom), virDomainIsActive(dom),
           virDomainIsPersistent(dom));
    free(ostype);
    if (virDomainGetAutostart(dom, &autostart) == 0)
        printf(" autostart=%d\n", autostart);
    else
        printf(" autostart=error\n");
}


static void
printList(virConnectPtr conn, const char *label, unsigned int flags)
{
    virDomainPtr *doms = NULL;
    char **names;
    int n = virConnectListAllDomains(conn, &doms, flags);

    if (n < 0) {
        report(label, n);
        return;
    }
    names = calloc(n + 1, sizeof(char *));
    for (int i = 0; i < n; i++)
        names[i] = strdup(virDomainGetName(doms[i]));
    qsort(names, n, sizeof(char *), compareStrings);
    printf("%s (flags 0x%x): %d:", label, flags, n);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
    free(names);
    for (int i = 0; i < n; i++)
        virDomainFree(doms[i]);
    free(doms);
}


static void
printLegacyLists(virConnectPtr conn)
{
    int ids[16];
    char *names[16];
    int n;

    n = virConnectNumOfDomains(conn);
    printf("numOfDomains=%d", n);
    n = virConnectListDomains(conn, ids, 16);
    qsort(ids, n > 0 ? n : 0, sizeof(int), compareInts);
    printf(" ids=[");
    for (int i = 0; i < n; i++)
        printf("%s%d", i ? "," : "", ids[i]);
    printf("]");
    n = virConnectNumOfDefinedDomains(conn);
    printf(" numOfDefined=%d", n);
    n = virConnectListDefinedDomains(conn, names, 16);
    qsort(names, n > 0 ? n : 0, sizeof(char *), compareStrings);
    printf(" defined=[");
    for (int i = 0; i < n; i++) {
        printf("%s%s", i ? "," : "", names[i]);
        free(names[i]);
    }
    printf("]\n");
}


/* ---- Events ------------------------------------------------------------ */

static int eventsSeen;
static int freesSeen;

static int
legacyCallback(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    (void)conn;
    printf("  event legacy[%s] %s: %d/%d\n", (const char *)opaque, virDomainGetName(dom),
           event, detail);
    eventsSeen++;
    return 0;
}


static void
lifecycleCallback(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                  void *opaque)
{
    (void)conn;
    printf("  event lifecycle[%s] %s id=%d: %d/%d\n", (const char *)opaque,
           virDomainGetName(dom), (int)virDomainGetID(dom), event, detail);
    eventsSeen++;
}


static void
rebootCallback(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    (void)conn;
    printf("  event reboot[%s] %s\n", (const char *)opaque, virDomainGetName(dom));
    eventsSeen++;
}


static void
freeCallback(void *opaque)
{
    printf("  freecb %s\n", (const char *)opaque);
    freesSeen++;
}


static void
deadlineCallback(int timer, void *opaque)
{
    (void)timer;
    *(int *)opaque = 1;
}


/* Run the default loop until @expected events arrived or 10 s passed (the
 * deadline only guards against a hang; the transcript says which). */
static void
pumpEvents(int expected)
{
    int expired = 0;
    int timer = virEventAddTimeout(10000, deadlineCallback, &expired, NULL);

    while (eventsSeen < expected && !expired)
        virEventRunDefaultImpl();
    virEventRemoveTimeout(timer);
    printf("  events so far: %d%s\n", eventsSeen, expired ? " (deadline reached)" : "");
}


static void
testEvents(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virDomainPtr other;
    int idAll, idDom, idReboot, rc;

    printf("== events\n");
    rc = virConnectDomainEventRegister(conn, legacyCallback, "L", freeCallback);
    report("register legacy", rc);
    rc = virConnectDomainEventRegister(conn, legacyCallback, "L2", freeCallback);
    report("register legacy again", rc);
    idAll = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                             VIR_DOMAIN_EVENT_CALLBACK(lifecycleCallback),
                                             "all", freeCallback);
    report("registerAny lifecycle all", idAll);
    idDom = virConnectDomainEventRegisterAny(conn, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                             VIR_DOMAIN_EVENT_CALLBACK(lifecycleCallback),
                                             "test-only", freeCallback);
    report("registerAny lifecycle test-only", idDom);
    idReboot = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_REBOOT,
                                                VIR_DOMAIN_EVENT_CALLBACK(rebootCallback),
                                                "reboot", freeCallback);
    report("registerAny reboot", idReboot);
    rc = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                          VIR_DOMAIN_EVENT_CALLBACK(lifecycleCallback),
                                          "all", NULL);
    report("registerAny same callback again", rc);

    /* Nothing is delivered inside the calls: only when the loop runs. */
    report("suspend", virDomainSuspend(dom));
    report("resume", virDomainResume(dom));
    printf("  events before running the loop: %d\n", eventsSeen);
    pumpEvents(6);

    other = virDomainDefineXML(conn, newDomainXML);
    report("define compat1", other ? 0 : -1);
    report("start compat1", virDomainCreate(other));
    report("reboot compat1", virDomainReboot(other, 0));
    report("destroy compat1", virDomainDestroy(other));
    report("undefine compat1", virDomainUndefine(other));
    virDomainFree(other);
    pumpEvents(6 + 8);

    rc = virConnectDomainEventDeregisterAny(conn, idDom);
    report("deregisterAny test-only", rc);
    rc = virConnectDomainEventDeregisterAny(conn, idDom);
    report("deregisterAny test-only again", rc);
    rc = virConnectDomainEventDeregister(conn, legacyCallback);
    report("deregister legacy", rc);
    rc = virConnectDomainEventDeregister(conn, legacyCallback);
    reportNoMessage("deregister legacy again", rc);

    report("destroy test", virDomainDestroy(dom));
    report("start test", virDomainCreate(dom));
    pumpEvents(14 + 2);

    report("deregisterAny all", virConnectDomainEventDeregisterAny(conn, idAll));
    report("deregisterAny reboot", virConnectDomainEventDeregisterAny(conn, idReboot));
    printf("  freecbs seen: %d\n", freesSeen);
    virDomainFree(dom);
    report("close", virConnectClose(conn));
}


/* ---- Lifecycle ----------------------------------------------------------- */

static void
testLifecycle(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    virDomainPtr dom, trans, again;
    char *xml;

    printf("== lifecycle\n");
    dom = virDomainDefineXML(conn, newDomainXML);
    report("define", dom ? 0 : -1);
    printDomain(dom);
    printList(conn, "list all", 0);
    printLegacyLists(conn);

    xml = virDomainGetXMLDesc(dom, 0);
    printf("xml (inactive domain):\n%s", xml ? xml : "(null)\n");
    free(xml);

    report("start", virDomainCreate(dom));
    printDomain(dom);
    again = virDomainLookupByName(conn, "compat1");
    printf("lookup after start:\n");
    printDomain(again);
    virDomainFree(again);
    report("suspend", virDomainSuspend(dom));
    printDomain(dom);
    report("suspend again", virDomainSuspend(dom));
    report("resume", virDomainResume(dom));
    report("resume again", virDomainResume(dom));
    printDomain(dom);
    report("create while running", virDomainCreate(dom));
    report("reboot", virDomainReboot(dom, 0));
    printDomain(dom);
    report("reset", virDomainReset(dom, 0));
    report("shutdown", virDomainShutdown(dom));
    printDomain(dom);
    report("shutdown inactive", virDomainShutdown(dom));
    report("suspend inactive", virDomainSuspend(dom));
    report("destroy inactive", virDomainDestroy(dom));
    report("start again", virDomainCreate(dom));
    printDomain(dom);
    report("destroy graceful", virDomainDestroyFlags(dom, VIR_DOMAIN_DESTROY_GRACEFUL));
    printDomain(dom);
    report("set autostart", virDomainSetAutostart(dom, 1));
    printDomain(dom);
    printList(conn, "list autostart", VIR_CONNECT_LIST_DOMAINS_AUTOSTART);
    printList(conn, "list active", VIR_CONNECT_LIST_DOMAINS_ACTIVE);
    printList(conn, "list inactive", VIR_CONNECT_LIST_DOMAINS_INACTIVE);
    printList(conn, "list running|shutoff",
              VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_SHUTOFF);
    report("undefine", virDomainUndefine(dom));
    report("undefine again", virDomainUndefine(dom));
    virDomainFree(dom);

    trans = virDomainCreateXML(conn, transientXML, 0);
    report("createXML transient", trans ? 0 : -1);
    printDomain(trans);
    printList(conn, "list transient", VIR_CONNECT_LIST_DOMAINS_TRANSIENT);
    report("undefine transient", virDomainUndefine(trans));
    report("destroy transient", virDomainDestroy(trans));
    again = virDomainLookupByName(conn, "compat2");
    report("lookup destroyed transient", again ? 0 : -1);
    virDomainFree(trans);
    printList(conn, "list all at end", 0);
    report("close", virConnectClose(conn));
}


/* ---- Connection, host, lookups ------------------------------------------- */

static void
testConnection(void)
{
    virConnectPtr conn, ro;
    virDomainPtr dom, byId, byUUID, byStr;
    unsigned char uuid[VIR_UUID_BUFLEN];
    unsigned long ver = 0;
    virNodeInfo node;
    char *s;

    printf("== connection\n");
    report("virGetVersion", virGetVersion(&ver, NULL, NULL));
    printf("libVer=%lu\n", ver);
    conn = virConnectOpen(URI);
    report("open", conn ? 0 : -1);
    printf("type=%s\n", virConnectGetType(conn));
    s = virConnectGetURI(conn);
    printf("uri=%s\n", s);
    free(s);
    report("getLibVersion", virConnectGetLibVersion(conn, &ver));
    printf("libVer=%lu\n", ver);
    report("getVersion", virConnectGetVersion(conn, &ver));
    printf("hvVer=%lu\n", ver);
    printf("alive=%d secure=%d encrypted=%d maxvcpus=%d\n", virConnectIsAlive(conn),
           virConnectIsSecure(conn), virConnectIsEncrypted(conn),
           virConnectGetMaxVcpus(conn, NULL));
    report("nodeGetInfo", virNodeGetInfo(conn, &node));
    printf(
        "node model=%s memory=%lu cpus=%u mhz=%u nodes=%u sockets=%u cores=%u threads=%u\n",
        node.model, node.memory, node.cpus, node.mhz, node.nodes, node.sockets,
        node.cores, node.threads);
    printList(conn, "list all", 0);
    printLegacyLists(conn);
    {
        virSecurityModel model;

        report("nodeGetSecurityModel", virNodeGetSecurityModel(conn, &model));
        printf("secmodel model='%s' doi='%s'\n", model.model, model.doi);
    }
    s = virConnectGetCapabilities(conn);
    printf("capabilities:\n%s", s ? s : "(null)\n");
    free(s);

    dom = virDomainLookupByName(conn, "test");
    report("lookupByName test", dom ? 0 : -1);
    printDomain(dom);
    {
        virSecurityLabel label;

        report("getSecurityLabel", virDomainGetSecurityLabel(dom, &label));
        printf("seclabel label='%s' enforcing=%d\n", label.label, label.enforcing);
    }
    printf("maxVcpus=%d vcpusFlags(0)=%d vcpusFlags(MAXIMUM|CONFIG)=%d updated=%d "
           "managedSave=%d\n",
           virDomainGetMaxVcpus(dom), virDomainGetVcpusFlags(dom, 0),
           virDomainGetVcpusFlags(dom, VIR_DOMAIN_VCPU_MAXIMUM | VIR_DOMAIN_VCPU_CONFIG),
           virDomainIsUpdated(dom), virDomainHasManagedSaveImage(dom, 0));
    s = virDomainGetXMLDesc(dom, 0);
    printf("xml:\n%s", s ? s : "(null)\n");
    free(s);
    s = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    printf("xml inactive:\n%s", s ? s : "(null)\n");
    free(s);
    byId = virDomainLookupByID(conn, 1);
    report("lookupByID 1", byId ? 0 : -1);
    virDomainGetUUID(dom, uuid);
    byUUID = virDomainLookupByUUID(conn, uuid);
    report("lookupByUUID", byUUID ? 0 : -1);
    byStr = virDomainLookupByUUIDString(conn, "6695eb01-f6a4-8304-79aa-97f2502e193f");
    report("lookupByUUIDString", byStr ? 0 : -1);
    printf("same names: %s %s %s\n", virDomainGetName(byId), virDomainGetName(byUUID),
           virDomainGetName(byStr));
    printf("getConnect same: %d\n", virDomainGetConnect(dom) == conn);
    report("domainRef", virDomainRef(dom));
    report("domainFree", virDomainFree(dom));
    report("domainFree", virDomainFree(dom));
    virDomainFree(byId);
    virDomainFree(byUUID);
    virDomainFree(byStr);

    report("connectRef", virConnectRef(conn));
    report("close (one reference left)", virConnectClose(conn));

    printf("== read-only\n");
    ro = virConnectOpenReadOnly(URI);
    dom = virDomainLookupByName(ro, "test");
    report("ro lookup", dom ? 0 : -1);
    report("ro destroy", virDomainDestroy(dom));
    report("ro suspend", virDomainSuspend(dom));
    report("ro shutdown", virDomainShutdown(dom));
    report("ro set autostart", virDomainSetAutostart(dom, 1));
    report("ro define", virDomainDefineXML(ro, newDomainXML) ? 0 : -1);
    report("ro createXML", virDomainCreateXML(ro, transientXML, 0) ? 0 : -1);
    report("ro undefine", virDomainUndefine(dom));
    s = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_SECURE);
    report("ro xml secure", s ? 0 : -1);
    free(s);
    printDomain(dom);
    virDomainFree(dom);
    report("ro close", virConnectClose(ro));

    report("close (last reference)", virConnectClose(conn));
}


/* ---- Errors ------------------------------------------------------------- */

static void
testErrors(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    int ids[4], state;
    unsigned long ver;

    printf("== errors\n");
    report("open no scheme", virConnectOpen("nosuchscheme") ? 0 : -1);
    report("open test:///nonexistent.xml",
           virConnectOpen("test:///nonexistent-compat.xml") ? 0 : -1);
    report("close NULL", virConnectClose(NULL));
    report("ref NULL", virConnectRef(NULL));
    report("getType NULL", virConnectGetType(NULL) ? 0 : -1);
    report("getVersion NULL conn", virConnectGetVersion(NULL, &ver));
    report("getVersion NULL arg", virConnectGetVersion(conn, NULL));
    report("getLibVersion NULL arg", virConnectGetLibVersion(conn, NULL));
    report("nodeGetInfo NULL arg", virNodeGetInfo(conn, NULL));
    report("numOfDomains NULL", virConnectNumOfDomains(NULL));
    report("listDomains NULL ids", virConnectListDomains(conn, NULL, 4));
    report("listDomains negative", virConnectListDomains(conn, ids, -1));
    report("listDefined NULL names", virConnectListDefinedDomains(conn, NULL, 2));
    report("listAll NULL conn", virConnectListAllDomains(NULL, NULL, 0));
    report("listAll bad flags", virConnectListAllDomains(conn, NULL, 1u << 20));
    report("lookupByName NULL", virDomainLookupByName(conn, NULL) ? 0 : -1);
    report("lookupByName nosuch", virDomainLookupByName(conn, "nosuch") ? 0 : -1);
    report("lookupByID -1", virDomainLookupByID(conn, -1) ? 0 : -1);
    report("lookupByID 99", virDomainLookupByID(conn, 99) ? 0 : -1);
    report("lookupByUUID NULL", virDomainLookupByUUID(conn, NULL) ? 0 : -1);
    report("lookupByUUIDString garbage",
           virDomainLookupByUUIDString(conn, "not-a-uuid") ? 0 : -1);
    report("lookupByUUIDString unknown",
           virDomainLookupByUUIDString(conn, "00000000-0000-0000-0000-000000000001")
               ? 0
               : -1);
    report("lookupByUUIDString NULL", virDomainLookupByUUIDString(conn, NULL) ? 0 : -1);
    report("defineXML NULL", virDomainDefineXML(conn, NULL) ? 0 : -1);
    report("defineXML malformed", virDomainDefineXML(conn, "<domain") ? 0 : -1);
    report("defineXML no name",
           virDomainDefineXML(conn, "<domain type='test'><memory>1024</memory>"
                                    "<os><type>hvm</type></os></domain>")
               ? 0
               : -1);
    report("defineXML wrong root", virDomainDefineXML(conn, "<foo/>") ? 0 : -1);
    report("defineXML bad flags",
           virDomainDefineXMLFlags(conn, newDomainXML, 1u << 7) ? 0 : -1);
    report("createXML NULL", virDomainCreateXML(conn, NULL, 0) ? 0 : -1);
    report("getName NULL", virDomainGetName(NULL) ? 0 : -1);
    report("getID NULL", (int)virDomainGetID(NULL));
    report("getUUIDString NULL dom", virDomainGetUUIDString(NULL, NULL));
    report("getUUIDString NULL buf", virDomainGetUUIDString(dom, NULL));
    report("getUUID NULL buf", virDomainGetUUID(dom, NULL));
    report("getState NULL state", virDomainGetState(dom, NULL, NULL, 0));
    report("getState bad flags", virDomainGetState(dom, &state, NULL, 1));
    report("getInfo NULL", virDomainGetInfo(dom, NULL));
    report("getAutostart NULL", virDomainGetAutostart(dom, NULL));
    report("destroy NULL", virDomainDestroy(NULL));
    report("destroy bad flags", virDomainDestroyFlags(dom, 1u << 4));
    report("shutdown bad flags", virDomainShutdownFlags(dom, 1u << 9));
    report("reboot bad flags", virDomainReboot(dom, 1u << 9));
    report("create bad flags", virDomainCreateWithFlags(dom, 1u << 9));
    report("undefine bad flags", virDomainUndefineFlags(dom, 1u << 12));
    report("xml bad flags", virDomainGetXMLDesc(dom, 1u << 12) ? 0 : -1);
    report("free NULL", virDomainFree(NULL));
    report("ref NULL dom", virDomainRef(NULL));
    report("getConnect NULL", virDomainGetConnect(NULL) ? 0 : -1);
    report("registerAny NULL cb",
           virConnectDomainEventRegisterAny(conn, NULL, 0, NULL, NULL, NULL));
    report("registerAny eventID -1",
           virConnectDomainEventRegisterAny(
               conn, NULL, -1, VIR_DOMAIN_EVENT_CALLBACK(rebootCallback), NULL, NULL));
    report("registerAny eventID 1000",
           virConnectDomainEventRegisterAny(
               conn, NULL, 1000, VIR_DOMAIN_EVENT_CALLBACK(rebootCallback), NULL, NULL));
    report("deregisterAny -1", virConnectDomainEventDeregisterAny(conn, -1));
    report("deregisterAny unknown", virConnectDomainEventDeregisterAny(conn, 4242));
    report("register legacy NULL", virConnectDomainEventRegister(conn, NULL, NULL, NULL));
    {
        /* libvirt's test driver: no messages for the built-in domain (an
         * empty array); no label list (NO_SUPPORT, output untouched) */
        char **msgs = NULL;
        virSecurityLabelPtr labels = NULL;

        report("messages", virDomainGetMessages(dom, &msgs, 0));
        report("messages NULL", virDomainGetMessages(dom, NULL, 0));
        report("messages bad flags", virDomainGetMessages(dom, &msgs, 1u << 7));
        printf("msgs %s\n", msgs ? (msgs[0] ? "non-empty" : "empty") : "NULL");
        free(msgs);
        report("security label list", virDomainGetSecurityLabelList(dom, &labels));
        report("security label list NULL", virDomainGetSecurityLabelList(dom, NULL));
        printf("labels %s\n", labels ? "set" : "NULL");
    }
    report("state unchanged by bad calls", virDomainGetState(dom, &state, NULL, 0));
    printf("state=%d\n", state);
    virResetLastError();
    report("after virResetLastError", 0);
    printf("lastErrorMessage='%s'\n", virGetLastErrorMessage());
    virDomainFree(dom);
    virConnectClose(conn);
}


/* Before any event loop implementation is registered. */
static void
testNoEventLoop(void)
{
    virConnectPtr conn = virConnectOpen(URI);

    printf("== no event loop\n");
    report("register legacy",
           virConnectDomainEventRegister(conn, legacyCallback, "x", NULL));
    report("registerAny", virConnectDomainEventRegisterAny(
                              conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                              VIR_DOMAIN_EVENT_CALLBACK(lifecycleCallback), "x", NULL));
    report("close", virConnectClose(conn));
}


/* Print the parameters of a typed-parameter array, one per line. */
static void
printTypedParams(const char *what, virTypedParameterPtr params, int n, int max)
{
    int i;

    printf("%s: n=%d max=%d\n", what, n, max);
    for (i = 0; i < n; i++) {
        virTypedParameterPtr p = &params[i];

        printf("  [%d] '%s' type=%d ", i, p->field, p->type);
        switch (p->type) {
        case VIR_TYPED_PARAM_INT:
            printf("%d\n", p->value.i);
            break;
        case VIR_TYPED_PARAM_UINT:
            printf("%u\n", p->value.ui);
            break;
        case VIR_TYPED_PARAM_LLONG:
            printf("%lld\n", p->value.l);
            break;
        case VIR_TYPED_PARAM_ULLONG:
            printf("%llu\n", p->value.ul);
            break;
        case VIR_TYPED_PARAM_DOUBLE:
            printf("%.17g\n", p->value.d);
            break;
        case VIR_TYPED_PARAM_BOOLEAN:
            printf("%d\n", p->value.b);
            break;
        case VIR_TYPED_PARAM_STRING:
            printf("'%s'\n", p->value.s);
            break;
        default:
            printf("?\n");
            break;
        }
    }
}


/* The virTypedParams* helpers: values, growth of the array, errors. */
static void
testTypedParams(void)
{
    virTypedParameterPtr params = NULL;
    int n = 0, max = 0, i = 0, b = 0;
    unsigned int ui = 0;
    long long l = 0;
    unsigned long long ul = 0;
    double d = 0;
    const char *s = NULL;
    char name[200];
    const char *list[] = { "a", "b", "c", NULL };
    const char *empty[] = { NULL };
    static const struct {
        int type;
        const char *name;
        const char *value;
    } fromString[] = {
        { 1, "fi", "12" },
        { 1, "fi2", "12x" },
        { 1, "fi3", "" },
        { 1, "fi4", "99999999999" },
        { 1, "fi5", " 12" },
        { 1, "fi6", "12 " },
        { 1, "fi7", "0x10" },
        { 1, "fi8", "-2147483648" },
        { 1, "fi9", "2147483648" },
        { 2, "fu", "-1" },
        { 2, "fu2", "4294967296" },
        { 2, "fu3", "-4294967295" },
        { 2, "fu4", "-4294967296" },
        { 3, "fl", "-5" },
        { 3, "fl2", "x" },
        { 3, "fl3", "9223372036854775808" },
        { 3, "fl4", "010" },
        { 4, "ful", "-1" },
        { 4, "ful2", "18446744073709551616" },
        { 4, "ful3", " -1" },
        { 5, "fd", "1.5" },
        { 5, "fd2", "1.5x" },
        { 5, "fd3", "1e400" },
        { 5, "fd4", "1e-400" },
        { 5, "fd5", "inf" },
        { 5, "fd6", "" },
        { 5, "fd7", " 0x1p3" },
        { 6, "fb", "TRUE" },
        { 6, "fb2", "0" },
        { 6, "fb3", "yes" },
        { 6, "fb4", "1 " },
        { 6, "fb5", "False" },
        { 7, "fs", "hello" },
        { 7, "fs2", "" },
        { 8, "f8", "x" },
        { 0, "f0", "x" },
        { -1, "fm", "x" },
        { 1, "fnull", NULL },
        { 1, "x", "3" },
    };
    virTypedParameter odd[2] = { { "w", 99, { .i = 1 } }, { "z", 0, { .i = 1 } } };
    size_t k;

    report("tp add int x", virTypedParamsAddInt(&params, &n, &max, "x", 5));
    report("tp add int x again", virTypedParamsAddInt(&params, &n, &max, "x", 6));
    report("tp add string x", virTypedParamsAddString(&params, &n, &max, "x", "s"));
    report("tp add uint", virTypedParamsAddUInt(&params, &n, &max, "u", 4000000000U));
    report("tp add llong", virTypedParamsAddLLong(&params, &n, &max, "l", -5000000000LL));
    report("tp add ullong",
           virTypedParamsAddULLong(&params, &n, &max, "ul", 18000000000000000000ULL));
    report("tp add double", virTypedParamsAddDouble(&params, &n, &max, "d", 0.1));
    report("tp add boolean 7", virTypedParamsAddBoolean(&params, &n, &max, "b", 7));
    report("tp add string NULL",
           virTypedParamsAddString(&params, &n, &max, "nulls", NULL));
    memset(name, 'a', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    report("tp add long name", virTypedParamsAddInt(&params, &n, &max, name, 1));
    name[VIR_TYPED_PARAM_FIELD_LENGTH] = '\0';
    report("tp add name of 80", virTypedParamsAddInt(&params, &n, &max, name, 1));
    name[VIR_TYPED_PARAM_FIELD_LENGTH - 1] = '\0';
    report("tp add name of 79", virTypedParamsAddInt(&params, &n, &max, name, 1));
    report("tp add list", virTypedParamsAddStringList(&params, &n, &max, "li", list));
    report("tp add list again",
           virTypedParamsAddStringList(&params, &n, &max, "li", list));
    report("tp add list NULL",
           virTypedParamsAddStringList(&params, &n, &max, "li", NULL));
    report("tp add list empty",
           virTypedParamsAddStringList(&params, &n, &max, "li", empty));
    printTypedParams("tp after adds", params, n, max);

    report("tp get int x", virTypedParamsGetInt(params, n, "x", &i));
    printf("  x=%d\n", i);
    report("tp get int x NULL value", virTypedParamsGetInt(params, n, "x", NULL));
    report("tp get string x", virTypedParamsGetString(params, n, "x", &s));
    report("tp get uint x", virTypedParamsGetUInt(params, n, "x", &ui));
    report("tp get llong x", virTypedParamsGetLLong(params, n, "x", &l));
    report("tp get ullong x", virTypedParamsGetULLong(params, n, "x", &ul));
    report("tp get double x", virTypedParamsGetDouble(params, n, "x", &d));
    report("tp get boolean x", virTypedParamsGetBoolean(params, n, "x", &b));
    report("tp get int missing", virTypedParamsGetInt(params, n, "missing", &i));
    report("tp get int NULL name", virTypedParamsGetInt(params, n, NULL, &i));
    report("tp get int NULL params", virTypedParamsGetInt(NULL, 3, "x", &i));
    report("tp get uint", virTypedParamsGetUInt(params, n, "u", &ui));
    report("tp get llong", virTypedParamsGetLLong(params, n, "l", &l));
    report("tp get ullong", virTypedParamsGetULLong(params, n, "ul", &ul));
    report("tp get double", virTypedParamsGetDouble(params, n, "d", &d));
    report("tp get boolean", virTypedParamsGetBoolean(params, n, "b", &b));
    report("tp get string", virTypedParamsGetString(params, n, "li", &s));
    printf("  u=%u l=%lld ul=%llu d=%.17g b=%d li='%s'\n", ui, l, ul, d, b, s);
    report("tp get string NULL", virTypedParamsGetString(params, n, "nulls", &s));
    printf("  nulls='%s'\n", s);
    printf("tp Get 'd': %s\n",
           virTypedParamsGet(params, n, "d") == &params[6] ? "found" : "wrong");
    virResetLastError();
    printf("tp Get 'zz': %s\n", virTypedParamsGet(params, n, "zz") ? "found" : "NULL");
    report("tp Get leaves the error", 0);
    report("tp get int of type 99", virTypedParamsGetInt(odd, 2, "w", &i));
    report("tp get string of type 0", virTypedParamsGetString(odd, 2, "z", &s));
    virTypedParamsClear(params, n);
    printf("tp cleared: x string %s\n", params[2].value.s ? "kept" : "NULL");
    virTypedParamsFree(params, n);
    virTypedParamsFree(NULL, 3);
    virTypedParamsClear(NULL, 3);

    params = NULL;
    n = max = 0;
    for (k = 0; k < sizeof(fromString) / sizeof(fromString[0]); k++) {
        char what[128];

        snprintf(what, sizeof(what), "tp from string %d %s '%s'", fromString[k].type,
                 fromString[k].name, fromString[k].value ? fromString[k].value : "NULL");
        report(what,
               virTypedParamsAddFromString(&params, &n, &max, fromString[k].name,
                                           fromString[k].type, fromString[k].value));
    }
    printTypedParams("tp after from string", params, n, max);
    virTypedParamsFree(params, n);
}


/* Running guests on test:///default (issue 15): statistics and memory
 * calls, their fixed figures and argument errors, compared with libvirt's.
 * Wall-clock counters are printed only as "> 0". */
static void
testRunningGuest(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    virConnectPtr ro = virConnectOpenReadOnly(URI);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virDomainPtr rodom = virDomainLookupByName(ro, "test");
    virDomainPtr doms[2] = { dom, NULL };
    virDomainMemoryStatStruct ms[VIR_DOMAIN_MEMORY_STAT_NR];
    virDomainBlockStatsStruct bs;
    virDomainInterfaceStatsStruct is;
    virDomainBlockInfo bi;
    virDomainJobInfo ji;
    virVcpuInfo vi[4];
    unsigned char maps[4];
    virNodeCPUStats ns[8];
    virDomainStatsRecordPtr *recs = NULL;
    virTypedParameter cpu[8];
    int n;

    n = virDomainMemoryStats(dom, ms, VIR_DOMAIN_MEMORY_STAT_NR, 0);
    report("memstats", n);
    for (int i = 0; i < n; i++)
        printf("  tag %d = %llu\n", ms[i].tag, ms[i].val);
    report("memstats 2", virDomainMemoryStats(dom, ms, 2, 0));
    report("memstats NULL", virDomainMemoryStats(dom, NULL, 2, 0));
    report("memstats flags", virDomainMemoryStats(dom, ms, 2, 1));
    report("memstats period -1", virDomainSetMemoryStatsPeriod(dom, -1, 0));
    report("memstats period ro", virDomainSetMemoryStatsPeriod(rodom, 5, 0));
    report("blockstats", virDomainBlockStats(dom, "vda", &bs, sizeof(bs)));
    printf("  rd_req>0 %d errs>0 %d\n", bs.rd_req > 0, bs.errs > 0);
    report("blockstats bad", virDomainBlockStats(dom, "hdz", &bs, sizeof(bs)));
    report("blockstats summary", virDomainBlockStats(dom, "", &bs, sizeof(bs)));
    report("blockstats size", virDomainBlockStats(dom, "vda", &bs, sizeof(bs) + 8));
    report("blockstats NULL", virDomainBlockStats(dom, NULL, &bs, sizeof(bs)));
    n = 0;
    report("blockstatsflags", virDomainBlockStatsFlags(dom, "vda", NULL, &n, 0));
    report("ifstats", virDomainInterfaceStats(dom, "testnet0", &is, sizeof(is)));
    report("ifstats mac",
           virDomainInterfaceStats(dom, "aa:bb:cc:dd:ee:ff", &is, sizeof(is)));
    report("ifstats bad", virDomainInterfaceStats(dom, "vnet7", &is, sizeof(is)));
    n = virDomainGetVcpus(dom, vi, 4, maps, 1);
    report("vcpus", n);
    for (int i = 0; i < n; i++)
        printf("  vcpu %u state %d cpu %d map 0x%02x\n", vi[i].number, vi[i].state,
               vi[i].cpu, maps[i]);
    report("vcpus maplen 0", virDomainGetVcpus(dom, vi, 4, maps, 0));
    report("vcpus maxinfo 0", virDomainGetVcpus(dom, vi, 0, NULL, 0));
    report("pininfo", virDomainGetVcpuPinInfo(dom, 4, maps, 1, 0));
    report("pininfo live|config", virDomainGetVcpuPinInfo(dom, 4, maps, 1, 3));
    report("cpustats count", virDomainGetCPUStats(dom, NULL, 0, 0, 0, 0));
    report("cpustats total", virDomainGetCPUStats(dom, cpu, 8, -1, 1, 0));
    printTypedParams("  cpustats total", cpu, 3, 8);
    report("cpustats bad ncpus", virDomainGetCPUStats(dom, cpu, 2, -1, 2, 0));
    report("cpustats start 9", virDomainGetCPUStats(dom, cpu, 2, 9, 1, 0));
    report("blockinfo", virDomainGetBlockInfo(dom, "vda", &bi, 0));
    printf("  %llu %llu %llu\n", bi.capacity, bi.allocation, bi.physical);
    report("blockinfo bad", virDomainGetBlockInfo(dom, "hdz", &bi, 0));
    report("jobinfo", virDomainGetJobInfo(dom, &ji));
    n = 0;
    report("nodecpustats count", virNodeGetCPUStats(conn, -1, NULL, &n, 0));
    printf("  n=%d\n", n);
    n = 8;
    report("nodecpustats", virNodeGetCPUStats(conn, -1, ns, &n, 0));
    for (int i = 0; i < n; i++)
        printf("  %s=%llu\n", ns[i].field, ns[i].value);
    report("nodecpustats cpu -2", virNodeGetCPUStats(conn, -2, ns, &n, 0));
    n = 0;
    report("nodememstats", virNodeGetMemoryStats(conn, -1, NULL, &n, 0));
    report("cpumap", virNodeGetCPUMap(conn, NULL, NULL, 0));
    n = virConnectGetAllDomainStats(conn, 0, &recs, 0);
    report("allstats", n);
    for (int i = 0; i < n; i++)
        printTypedParams("  allstats", recs[i]->params, recs[i]->nparams,
                         recs[i]->nparams);
    virDomainStatsRecordListFree(recs);
    recs = NULL;
    report("allstats enforce",
           virConnectGetAllDomainStats(conn, VIR_DOMAIN_STATS_BALLOON, &recs,
                                       VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS));
    report("liststats", virDomainListGetStats(doms, VIR_DOMAIN_STATS_STATE, &recs, 0));
    virDomainStatsRecordListFree(recs);
    recs = NULL;
    doms[0] = NULL;
    report("liststats empty", virDomainListGetStats(doms, 0, &recs, 0));
    report("setmem", virDomainSetMemory(dom, 1000000));
    report("setmem 0", virDomainSetMemory(dom, 0));
    report("setmem above max", virDomainSetMemoryFlags(dom, 99999999, 0));
    report("setmem live|config", virDomainSetMemoryFlags(dom, 1000, 3));
    report("setmaxmem live", virDomainSetMaxMemory(dom, 1000000));
    report("setmem ro", virDomainSetMemory(rodom, 1000000));
    report("nmi", virDomainInjectNMI(dom, 0));
    report("nmi flags", virDomainInjectNMI(dom, 1));

    virDomainFree(rodom);
    virDomainFree(dom);
    virConnectClose(ro);
    virConnectClose(conn);
}


/* Scheduler parameters on test:///default: the type, weight=50, what a
 * set accepts (and does not keep), argument errors. */
static void
testScheduler(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    virConnectPtr ro = virConnectOpenReadOnly(URI);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virDomainPtr rodom = virDomainLookupByName(ro, "test");
    virTypedParameter params[4];
    virTypedParameter set[2];
    char *type;
    int n = -7;

    type = virDomainGetSchedulerType(dom, &n);
    report("sched type", type ? 0 : -1);
    printf("  type=%s nparams=%d\n", type ? type : "(null)", n);
    free(type);
    type = virDomainGetSchedulerType(dom, NULL);
    report("sched type NULL nparams", type ? 0 : -1);
    free(type);
    report("sched type NULL domain", virDomainGetSchedulerType(NULL, &n) ? 0 : -1);

    memset(params, 0, sizeof(params));
    n = 4;
    report("sched get", virDomainGetSchedulerParameters(dom, params, &n));
    printTypedParams("  sched get", params, n, 4);
    n = 0;
    report("sched get nparams 0", virDomainGetSchedulerParameters(dom, params, &n));
    n = -1;
    report("sched get nparams -1", virDomainGetSchedulerParameters(dom, params, &n));
    n = 4;
    report("sched get NULL params", virDomainGetSchedulerParameters(dom, NULL, &n));
    report("sched get NULL nparams", virDomainGetSchedulerParameters(dom, params, NULL));
    n = 1;
    report("sched get on read-only", virDomainGetSchedulerParameters(rodom, params, &n));
    n = 4;
    report("sched get flags 0", virDomainGetSchedulerParametersFlags(dom, params, &n, 0));
    report("sched get flags live",
           virDomainGetSchedulerParametersFlags(dom, params, &n, 1));
    report("sched get flags live|config",
           virDomainGetSchedulerParametersFlags(dom, params, &n, 3));
    n = 0;
    report("sched get flags nparams 0",
           virDomainGetSchedulerParametersFlags(dom, params, &n, 3));

    memset(set, 0, sizeof(set));
    strcpy(set[0].field, "weight");
    set[0].type = VIR_TYPED_PARAM_UINT;
    set[0].value.ui = 100;
    report("sched set weight=100", virDomainSetSchedulerParameters(dom, set, 1));
    n = 4;
    report("sched get after set", virDomainGetSchedulerParameters(dom, params, &n));
    printTypedParams("  sched get after set", params, n, 4);
    report("sched set none", virDomainSetSchedulerParameters(dom, set, 0));
    report("sched set nparams -1", virDomainSetSchedulerParameters(dom, set, -1));
    report("sched set NULL params", virDomainSetSchedulerParameters(dom, NULL, 1));
    report("sched set read-only", virDomainSetSchedulerParameters(rodom, set, 1));
    report("sched set flags 0", virDomainSetSchedulerParametersFlags(dom, set, 1, 0));
    report("sched set flags live", virDomainSetSchedulerParametersFlags(dom, set, 1, 1));
    report("sched set flags live|config",
           virDomainSetSchedulerParametersFlags(dom, set, 1, 3));
    set[1] = set[0];
    report("sched set weight twice", virDomainSetSchedulerParameters(dom, set, 2));
    strcpy(set[1].field, "cap");
    report("sched set cap", virDomainSetSchedulerParameters(dom, set, 2));
    set[0].type = VIR_TYPED_PARAM_INT;
    report("sched set weight int", virDomainSetSchedulerParameters(dom, set, 1));
    set[0].type = 42;
    report("sched set weight type 42", virDomainSetSchedulerParameters(dom, set, 1));
    set[0].type = VIR_TYPED_PARAM_STRING;
    set[0].value.s = NULL;
    report("sched set NULL string", virDomainSetSchedulerParameters(dom, set, 1));
    set[0].value.s = (char *)"x";
    report("sched set string", virDomainSetSchedulerParameters(dom, set, 1));
    memset(set[0].field, 'w', sizeof(set[0].field));
    set[0].type = VIR_TYPED_PARAM_UINT;
    report("sched set unterminated field", virDomainSetSchedulerParameters(dom, set, 1));

    virDomainFree(rodom);
    virDomainFree(dom);
    virConnectClose(ro);
    virConnectClose(conn);
}


int
main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    virInitialize();
    virSetErrorFunc(NULL, quietErrors);
    testNoEventLoop();
    testTypedParams();
    testScheduler();
    testRunningGuest();
    if (virEventRegisterDefaultImpl() < 0) {
        fprintf(stderr, "cannot register the default event loop\n");
        return 1;
    }
    testConnection();
    testLifecycle();
    testErrors();
    testEvents();
    return 0;
}
