/* test-snapshot.c: the domain snapshot API on the test driver (libvirt 9.0's test-driver semantics) */
#include <glib.h>
#include <string.h>

#include <libvirt/libvirt.h>

#define URI "test:///default"

static void
quietErrors(void *opaque, virErrorPtr err)
{
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

static virDomainSnapshotPtr
create(virDomainPtr dom, const char *name, unsigned int flags)
{
    g_autofree char *xml =
        g_strdup_printf("<domainsnapshot><name>%s</name></domainsnapshot>", name);

    return virDomainSnapshotCreateXML(dom, xml, flags);
}

/* Argument and flag checks of the public layer, and the handle accessors */
static void
testArgs(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virDomainSnapshotPtr snap;
    char *names[2];

    g_assert_null(virDomainSnapshotCreateXML(dom, NULL, 0));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN_SNAPSHOT, NULL);
    g_assert_null(create(dom, "x", VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN_SNAPSHOT,
                "Flag 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE' is required "
                "by flag 'VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT'");
    g_assert_null(create(
        dom, "x", VIR_DOMAIN_SNAPSHOT_CREATE_HALT | VIR_DOMAIN_SNAPSHOT_CREATE_LIVE));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN_SNAPSHOT, NULL);
    /* the test driver takes no NO_METADATA, DISK_ONLY nor REUSE_EXT (as libvirt's) */
    g_assert_null(create(dom, "x", VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                "unsupported flags (0x4) in function testDomainSnapshotCreateXML");
    g_assert_cmpint(virDomainSnapshotNum(dom, 0), ==, 0);

    snap = create(dom, "a", 0);
    g_assert_nonnull(snap);
    g_assert_cmpstr(virDomainSnapshotGetName(snap), ==, "a");
    g_assert_true(virDomainSnapshotGetDomain(snap) == dom);
    g_assert_true(virDomainSnapshotGetConnect(snap) == conn);
    g_assert_cmpint(virDomainSnapshotListNames(dom, NULL, 1, 0), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN_SNAPSHOT, NULL);
    g_assert_cmpint(virDomainSnapshotListNames(dom, names, -1, 0), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN_SNAPSHOT, NULL);
    g_assert_cmpint(
        virDomainRevertToSnapshot(snap, VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING |
                                            VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED),
        ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN_SNAPSHOT, NULL);
    g_assert_cmpint(
        virDomainSnapshotDelete(snap, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                                          VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY),
        ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN_SNAPSHOT, NULL);
    g_assert_cmpint(virDomainSnapshotRef(snap), ==, 0);
    g_assert_cmpint(virDomainSnapshotFree(snap), ==, 0);
    g_assert_cmpint(virDomainSnapshotFree(snap), ==, 0);
    g_assert_null(virDomainSnapshotGetName(NULL));
    assertError(VIR_ERR_INVALID_DOMAIN_SNAPSHOT, VIR_FROM_DOMAIN_SNAPSHOT, NULL);
    g_assert_cmpint(virDomainSnapshotFree(NULL), ==, -1);

    /* bad XML changes nothing */
    g_assert_null(virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>b</name>", 0));
    assertError(VIR_ERR_XML_DETAIL, VIR_FROM_DOMAIN_SNAPSHOT, NULL);
    g_assert_null(virDomainSnapshotCreateXML(
        dom,
        "<domainsnapshot><name>b</name><disks><disk name='vdz'/></disks></domainsnapshot>",
        0));
    assertError(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN_SNAPSHOT,
                "unsupported configuration: no disk named 'vdz'");
    g_assert_null(create(dom, "a", 0));
    assertError(VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN,
                "operation failed: domain moment a already exists");
    g_assert_cmpint(virDomainSnapshotNum(dom, 0), ==, 1);

    virDomainFree(dom);
    virConnectClose(conn);
}

/* The tree: parents, children, filters, listing, current, delete */
static void
testTree(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virDomainSnapshotPtr a = create(dom, "a", 0);
    virDomainSnapshotPtr b = create(dom, "b", 0);
    virDomainSnapshotPtr c;
    virDomainSnapshotPtr p;
    virDomainSnapshotPtr *list = NULL;
    char *names[8] = { NULL };
    int n;

    g_assert_cmpint(virDomainRevertToSnapshot(a, 0), ==, 0);
    c = create(dom, "c", 0); /* a -> {b, c} */
    g_assert_cmpint(virDomainSnapshotNumChildren(a, 0), ==, 2);
    g_assert_cmpint(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_ROOTS), ==, 1);
    g_assert_cmpint(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_LEAVES), ==, 2);
    g_assert_cmpint(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES), ==, 1);
    g_assert_cmpint(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA), ==,
                    0);
    g_assert_cmpint(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE), ==, 0);
    g_assert_cmpint(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE), ==, 3);
    g_assert_cmpint(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL), ==, 0);
    /* a caller's array smaller than the list */
    n = virDomainSnapshotListNames(dom, names, 2, 0);
    g_assert_cmpint(n, ==, 2);
    for (int i = 0; i < n; i++)
        g_free(names[i]);
    /* topological: parents first */
    n = virDomainListAllSnapshots(dom, &list, VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL);
    g_assert_cmpint(n, ==, 3);
    g_assert_cmpstr(virDomainSnapshotGetName(list[0]), ==, "a");
    g_assert_null(list[3]);
    for (int i = 0; i < n; i++)
        virDomainSnapshotFree(list[i]);
    g_free(list);
    g_assert_cmpint(virDomainListAllSnapshots(dom, NULL, 0), ==, 3);

    p = virDomainSnapshotGetParent(c, 0);
    g_assert_cmpstr(virDomainSnapshotGetName(p), ==, "a");
    virDomainSnapshotFree(p);
    g_assert_null(virDomainSnapshotGetParent(a, 0));
    assertError(VIR_ERR_NO_DOMAIN_SNAPSHOT, VIR_FROM_TEST,
                "Domain snapshot not found: snapshot 'a' does not have a parent");
    g_assert_cmpint(virDomainSnapshotIsCurrent(c, 0), ==, 1);
    g_assert_cmpint(virDomainSnapshotIsCurrent(a, 0), ==, 0);
    g_assert_cmpint(virDomainSnapshotHasMetadata(a, 0), ==, 1);

    /* deleting a moves its children to the root; the current stays */
    g_assert_cmpint(virDomainSnapshotDelete(a, 0), ==, 0);
    g_assert_cmpint(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_ROOTS), ==, 2);
    g_assert_cmpint(virDomainSnapshotIsCurrent(a, 0), ==, -1);
    assertError(VIR_ERR_NO_DOMAIN_SNAPSHOT, VIR_FROM_TEST,
                "Domain snapshot not found: no domain snapshot with matching name 'a'");
    /* deleting the current one without a parent leaves none */
    g_assert_cmpint(virDomainSnapshotDelete(c, 0), ==, 0);
    g_assert_cmpint(virDomainHasCurrentSnapshot(dom, 0), ==, 0);
    g_assert_null(virDomainSnapshotCurrent(dom, 0));
    assertError(VIR_ERR_NO_DOMAIN_SNAPSHOT, VIR_FROM_TEST,
                "Domain snapshot not found: the domain does not have a current snapshot");

    virDomainSnapshotFree(a);
    virDomainSnapshotFree(b);
    virDomainSnapshotFree(c);
    virDomainFree(dom);
    virConnectClose(conn);
}

typedef struct {
    int events[8][2];
    int n;
} lifecycleLog;

static int
onLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    lifecycleLog *log = opaque;

    if (log->n < 8) {
        log->events[log->n][0] = event;
        log->events[log->n][1] = detail;
        log->n++;
    }
    return 0;
}

static void
waitEvents(lifecycleLog *log, int n)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    while (log->n < n && g_get_monotonic_time() < deadline)
        virEventRunDefaultImpl();
    g_assert_cmpint(log->n, ==, n);
}

/* Reverts: the state changes and events of libvirt's test driver; HALT;
 * undefine with snapshots */
static void
testRevert(void)
{
    virConnectPtr conn;
    virDomainPtr dom;
    virDomainSnapshotPtr run;
    virDomainSnapshotPtr paused;
    virDomainSnapshotPtr off;
    lifecycleLog log = { { { 0 } }, 0 };
    int state;
    int reason;
    int id;

    virEventRegisterDefaultImpl();
    conn = virConnectOpen(URI);
    dom = virDomainLookupByName(conn, "test");
    id = virConnectDomainEventRegisterAny(conn, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                          VIR_DOMAIN_EVENT_CALLBACK(onLifecycle), &log,
                                          NULL);
    g_assert_cmpint(id, >=, 0);

    run = create(dom, "run", 0);
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    paused = create(dom, "paused", 0);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    off = create(dom, "off", 0);
    waitEvents(&log, 2);
    log.n = 0;

    /* shut off -> running snapshot: started */
    g_assert_cmpint(virDomainRevertToSnapshot(run, 0), ==, 0);
    g_assert_cmpint(virDomainGetState(dom, &state, &reason, 0), ==, 0);
    g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_FROM_SNAPSHOT);
    waitEvents(&log, 1);
    g_assert_cmpint(log.events[0][0], ==, VIR_DOMAIN_EVENT_STARTED);
    g_assert_cmpint(log.events[0][1], ==, VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT);
    log.n = 0;

    /* running -> paused snapshot: stopped, started, suspended */
    g_assert_cmpint(virDomainRevertToSnapshot(paused, 0), ==, 0);
    g_assert_cmpint(virDomainGetState(dom, &state, &reason, 0), ==, 0);
    g_assert_cmpint(state, ==, VIR_DOMAIN_PAUSED);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_PAUSED_FROM_SNAPSHOT);
    waitEvents(&log, 3);
    g_assert_cmpint(log.events[0][0], ==, VIR_DOMAIN_EVENT_STOPPED);
    g_assert_cmpint(log.events[2][0], ==, VIR_DOMAIN_EVENT_SUSPENDED);
    g_assert_cmpint(log.events[2][1], ==, VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT);
    log.n = 0;

    /* --running on a paused snapshot */
    g_assert_cmpint(virDomainRevertToSnapshot(paused, VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING),
                    ==, 0);
    g_assert_cmpint(virDomainGetState(dom, &state, &reason, 0), ==, 0);
    g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);

    /* an inactive snapshot while running: stopped */
    g_assert_cmpint(virDomainRevertToSnapshot(off, 0), ==, 0);
    g_assert_cmpint(virDomainGetState(dom, &state, &reason, 0), ==, 0);
    g_assert_cmpint(state, ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
    g_assert_cmpint(virDomainIsActive(dom), ==, 0);

    /* HALT stops the guest after the snapshot */
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    virDomainSnapshotFree(create(dom, "halted", VIR_DOMAIN_SNAPSHOT_CREATE_HALT));
    g_assert_cmpint(virDomainIsActive(dom), ==, 0);

    /* an inactive domain with snapshots is not undefined without the flag */
    g_assert_cmpint(virDomainUndefine(dom), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_TEST,
                "Requested operation is not valid: cannot delete inactive domain with 4 "
                "snapshots");
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 1);
    g_assert_cmpint(virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA),
                    ==, 0);

    virConnectDomainEventDeregisterAny(conn, id);
    virDomainSnapshotFree(run);
    virDomainSnapshotFree(paused);
    virDomainSnapshotFree(off);
    virDomainFree(dom);
    virConnectClose(conn);
}

static virDomainCheckpointPtr
createCheckpoint(virDomainPtr dom, const char *name)
{
    g_autofree char *xml =
        g_strdup_printf("<domaincheckpoint><name>%s</name></domaincheckpoint>", name);

    return virDomainCheckpointCreateXML(dom, xml, 0);
}

static int
countCheckpoints(virDomainPtr dom, unsigned int flags, char **first)
{
    virDomainCheckpointPtr *list = NULL;
    int n = virDomainListAllCheckpoints(dom, &list, flags);

    for (int i = 0; i < n; i++) {
        if (i == 0 && first)
            *first = g_strdup(virDomainCheckpointGetName(list[i]));
        virDomainCheckpointFree(list[i]);
    }
    free(list);
    return n;
}

/* Checkpoints: the public layer's own checks, then libvirt 9.0's test
 * driver semantics (seen with python3-libvirt on test:///default) */
static void
testCheckpoint(void)
{
    virConnectPtr conn = virConnectOpen(URI);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virDomainCheckpointPtr a, b, r, n, p;
    virDomainPtr *doms = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *first = NULL;

    g_assert_null(virDomainCheckpointCreateXML(dom, NULL, 0));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN_CHECKPOINT, NULL);
    g_assert_null(virDomainCheckpointCreateXML(
        dom, "<domaincheckpoint/>", VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN_CHECKPOINT,
                "Flag 'VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE' is required by flag "
                "'VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE'");
    g_assert_null(virDomainCheckpointCreateXML(dom, "<domaincheckpoint/>",
                                               VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE |
                                                   VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN_CHECKPOINT, NULL);
    g_assert_null(virDomainCheckpointGetName(NULL));
    assertError(VIR_ERR_INVALID_DOMAIN_CHECKPOINT, VIR_FROM_DOMAIN_CHECKPOINT, NULL);
    g_assert_cmpint(virDomainCheckpointDelete(NULL, 0), ==, -1);
    assertError(VIR_ERR_INVALID_DOMAIN_CHECKPOINT, VIR_FROM_DOMAIN_CHECKPOINT, NULL);

    a = createCheckpoint(dom, "a");
    b = createCheckpoint(dom, "b");
    g_assert_nonnull(a);
    g_assert_nonnull(b);
    g_assert_null(createCheckpoint(dom, "a"));
    assertError(VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN,
                "operation failed: domain moment a already exists");
    g_assert_cmpint(countCheckpoints(dom, 0, NULL), ==, 2);
    g_assert_cmpint(countCheckpoints(dom, VIR_DOMAIN_CHECKPOINT_LIST_ROOTS, &first), ==,
                    1);
    g_assert_cmpstr(first, ==, "a");
    g_clear_pointer(&first, g_free);
    g_assert_cmpint(countCheckpoints(dom, VIR_DOMAIN_CHECKPOINT_LIST_LEAVES, &first), ==,
                    1);
    g_assert_cmpstr(first, ==, "b");
    g_assert_cmpint(countCheckpoints(dom, 1 << 10, NULL), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                "unsupported flags (0x400) in function testDomainListAllCheckpoints");
    p = virDomainCheckpointGetParent(b, 0);
    g_assert_cmpstr(virDomainCheckpointGetName(p), ==, "a");
    virDomainCheckpointFree(p);
    g_assert_null(virDomainCheckpointGetParent(a, 0));
    assertError(VIR_ERR_NO_DOMAIN_CHECKPOINT, VIR_FROM_TEST,
                "Domain checkpoint not found: checkpoint 'a' does not have a parent");
    g_assert_null(virDomainCheckpointLookupByName(dom, "zz", 0));
    assertError(
        VIR_ERR_NO_DOMAIN_CHECKPOINT, VIR_FROM_TEST,
        "Domain checkpoint not found: no domain checkpoint with matching name 'zz'");
    xml = virDomainCheckpointGetXMLDesc(b, VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN);
    g_assert_nonnull(strstr(xml, "<disk name='vda' checkpoint='bitmap' bitmap='b'/>"));
    g_assert_null(strstr(xml, "<domain "));
    g_assert_cmpint(
        virConnectListAllDomains(conn, &doms, VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT),
        ==, 1);
    virDomainFree(doms[0]);
    free(doms);

    /* no snapshot beside a checkpoint, and the reverse */
    g_assert_null(create(dom, "s", 0));
    assertError(
        VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_TEST,
        "Operation not supported: cannot create snapshot while checkpoint exists");

    /* deleting a root makes its child a root */
    g_assert_cmpint(virDomainCheckpointDelete(a, 0), ==, 0);
    g_assert_null(virDomainCheckpointGetParent(b, 0));
    assertError(VIR_ERR_NO_DOMAIN_CHECKPOINT, VIR_FROM_TEST, NULL);

    /* a redefined child of the newest becomes the parent of the next */
    r = virDomainCheckpointCreateXML(dom,
                                     "<domaincheckpoint><name>r</name><parent><name>b"
                                     "</name></parent><creationTime>1</creationTime>"
                                     "</domaincheckpoint>",
                                     VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE);
    g_assert_nonnull(r);
    g_assert_null(virDomainCheckpointCreateXML(
        dom,
        "<domaincheckpoint><name>q</name><parent><name>nope</name></parent>"
        "<creationTime>1</creationTime></domaincheckpoint>",
        VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                "invalid argument: parent nope for moment q not found");
    n = createCheckpoint(dom, "n");
    p = virDomainCheckpointGetParent(n, 0);
    g_assert_cmpstr(virDomainCheckpointGetName(p), ==, "r");
    virDomainCheckpointFree(p);

    g_assert_cmpint(
        virDomainCheckpointDelete(b, VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN |
                                         VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY),
        ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN_CHECKPOINT, NULL);
    g_assert_cmpint(countCheckpoints(dom, 0, NULL), ==, 3);
    g_assert_cmpint(
        virDomainCheckpointDelete(b, VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY), ==, 0);
    g_assert_cmpint(countCheckpoints(dom, 0, NULL), ==, 1);
    g_assert_cmpint(virDomainCheckpointDelete(b, VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN),
                    ==, 0);
    g_assert_cmpint(countCheckpoints(dom, 0, NULL), ==, 0);

    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_null(createCheckpoint(dom, "off"));
    assertError(VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_TEST,
                "Operation not supported: cannot create checkpoint for inactive domain");

    virDomainCheckpointFree(a);
    virDomainCheckpointFree(b);
    virDomainCheckpointFree(r);
    virDomainCheckpointFree(n);
    virDomainFree(dom);
    virConnectClose(conn);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    virSetErrorFunc(NULL, quietErrors);
    g_test_add_func("/snapshot/args", testArgs);
    g_test_add_func("/snapshot/tree", testTree);
    g_test_add_func("/snapshot/revert", testRevert);
    g_test_add_func("/checkpoint/tree", testCheckpoint);
    return g_test_run();
}
