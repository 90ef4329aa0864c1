/* embedstoragetest.c: the storage API of qemu:///embed connections, served in-process under the embed root */

/*
 * Threads: the main thread runs the cases; one thread runs the default
 * event loop (pool events are dispatched there and pushed onto an async
 * queue the cases pop with deadlines). The volume-disk case starts one
 * QEMU (TCG, no kernel: it sits in its firmware), destroys it and checks
 * its pid is gone.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt-qemu.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define EVENT_DEADLINE_US (30 * G_USEC_PER_SEC)

static GAsyncQueue *poolEvents;        /* "NAME EVENT" strings */
static volatile sig_atomic_t guestPid; /* the running QEMU, killed if a check aborts */

static void
abortHandler(int sig)
{
    if (guestPid > 0)
        kill(guestPid, SIGKILL);
    signal(SIGABRT, SIG_DFL);
    raise(SIGABRT);
}

/* The pid of embedded guest @name of @root, from its status file. */
static pid_t
guestPidOf(const char *root, const char *name)
{
    g_autofree char *file = g_strdup_printf("%s/run/%s.xml", root, name);
    g_autofree char *text = NULL;
    const char *p;

    g_assert_true(g_file_get_contents(file, &text, NULL, NULL));
    g_assert_nonnull((p = strstr(text, " pid='")));
    return (pid_t)g_ascii_strtoll(p + 6, NULL, 10);
}

static gpointer
eventLoopThread(gpointer data)
{
    for (;;)
        virEventRunDefaultImpl();
    return NULL;
}

static void
quietError(void *opaque, virErrorPtr err)
{
}

static char *
newRoot(void)
{
    g_autoptr(GError) err = NULL;
    char *root = g_dir_make_tmp("vkembst-XXXXXX", &err);

    g_assert_no_error(err);
    return root;
}

static void
removeTree(const char *path)
{
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", path);

    g_assert_cmpint(system(cmd), ==, 0);
}

static virConnectPtr
openEmbed(const char *root)
{
    g_autofree char *uri = g_strdup_printf("qemu:///embed?root=%s", root);
    virConnectPtr conn = virConnectOpen(uri);

    if (!conn)
        g_error("open %s: %s", uri, virGetLastErrorMessage());
    return conn;
}

/* The last error is @code in @domain; nothing else is checked. */
static void
assertError(int code, int domain)
{
    virErrorPtr err = virGetLastError();

    g_assert_nonnull(err);
    if (err->code != code || err->domain != domain)
        g_error("expected error %d/%d, got %d/%d: %s", code, domain, err->code,
                err->domain, err->message);
}

static void
poolEventCb(virConnectPtr conn, virStoragePoolPtr pool, int event, int detail,
            void *opaque)
{
    g_async_queue_push(poolEvents,
                       g_strdup_printf("%s %d", virStoragePoolGetName(pool), event));
}

static void
expectEvent(const char *name, int event)
{
    g_autofree char *want = g_strdup_printf("%s %d", name, event);
    g_autofree char *got = g_async_queue_timeout_pop(poolEvents, EVENT_DEADLINE_US);

    if (!got)
        g_error("no pool event '%s' within the deadline", want);
    g_assert_cmpstr(got, ==, want);
}

/* The default pool: defined, built at ROOT/lib/images, autostarted. */
static void
testDefaultPool(void)
{
    g_autofree char *root = newRoot();
    g_autofree char *images = g_build_filename(root, "lib", "images", NULL);
    g_autofree char *cfg = g_build_filename(root, "etc", "storage", "default.xml", NULL);
    virConnectPtr conn = openEmbed(root);
    virStoragePoolPtr *pools = NULL;
    virStoragePoolPtr pool;
    g_autofree char *xml = NULL;
    g_autofree char *want = g_strdup_printf("<path>%s</path>", images);
    int autostart = 0;
    int n;

    n = virConnectListAllStoragePools(conn, &pools, 0);
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpstr(virStoragePoolGetName(pools[0]), ==, "default");
    virStoragePoolFree(pools[0]);
    g_free(pools);
    pool = virStoragePoolLookupByName(conn, "default");
    g_assert_nonnull(pool);
    g_assert_cmpint(virStoragePoolIsActive(pool), ==, 1);
    g_assert_cmpint(virStoragePoolIsPersistent(pool), ==, 1);
    g_assert_cmpint(virStoragePoolGetAutostart(pool, &autostart), ==, 0);
    g_assert_cmpint(autostart, ==, 1);
    xml = virStoragePoolGetXMLDesc(pool, 0);
    g_assert_nonnull(strstr(xml, want));
    g_assert_true(g_file_test(images, G_FILE_TEST_IS_DIR));
    g_assert_true(g_file_test(cfg, G_FILE_TEST_IS_REGULAR));
    virStoragePoolFree(pool);
    virConnectClose(conn);
    removeTree(root);
}

/* Volumes: create (raw, qcow2 with a backing store), lookups, info,
 * clone, resize, wipe, upload/download, delete; bad input changes
 * nothing. */
static void
testVolumes(void)
{
    g_autofree char *root = newRoot();
    g_autofree char *images = g_build_filename(root, "lib", "images", NULL);
    g_autofree char *rawPath = g_build_filename(images, "a.raw", NULL);
    g_autofree char *escape = g_build_filename(root, "lib", "escape", NULL);
    g_autofree char *qcowXML = NULL;
    virConnectPtr conn = openEmbed(root);
    virStoragePoolPtr pool = virStoragePoolLookupByName(conn, "default");
    virStorageVolPtr raw, qcow, clone, found, bad;
    virStorageVolInfo info;
    g_autofree char *xml = NULL;
    g_autofree char *path = NULL;
    virStreamPtr st;
    char buf[4096];
    char back[4096];
    int got = 0;

    g_assert_nonnull(pool);
    raw = virStorageVolCreateXML(pool,
                                 "<volume><name>a.raw</name><capacity unit='MiB'>8"
                                 "</capacity><target><format type='raw'/></target>"
                                 "</volume>",
                                 0);
    g_assert_nonnull(raw);
    path = virStorageVolGetPath(raw);
    g_assert_cmpstr(path, ==, rawPath);
    g_assert_cmpstr(virStorageVolGetKey(raw), ==, rawPath);
    g_assert_cmpint(virStorageVolGetInfo(raw, &info), ==, 0);
    g_assert_cmpuint(info.capacity, ==, 8 << 20);
    g_assert_cmpint(info.type, ==, VIR_STORAGE_VOL_FILE);

    found = virStorageVolLookupByPath(conn, rawPath);
    g_assert_nonnull(found);
    g_assert_cmpstr(virStorageVolGetName(found), ==, "a.raw");
    virStorageVolFree(found);
    found = virStorageVolLookupByKey(conn, rawPath);
    g_assert_nonnull(found);
    virStorageVolFree(found);

    qcowXML =
        g_strdup_printf("<volume><name>b.qcow2</name><capacity unit='MiB'>8</capacity>"
                        "<target><format type='qcow2'/></target><backingStore><path>%s"
                        "</path><format type='raw'/></backingStore></volume>",
                        rawPath);
    qcow = virStorageVolCreateXML(pool, qcowXML, 0);
    g_assert_nonnull(qcow);
    xml = virStorageVolGetXMLDesc(qcow, 0);
    g_assert_nonnull(strstr(xml, "<format type='qcow2'/>"));
    g_assert_nonnull(strstr(xml, rawPath));

    /* upload into the raw volume, download it back */
    memset(buf, 'V', sizeof(buf));
    st = virStreamNew(conn, 0);
    g_assert_cmpint(virStorageVolUpload(raw, st, 0, sizeof(buf), 0), ==, 0);
    g_assert_cmpint(virStreamSend(st, buf, sizeof(buf)), ==, sizeof(buf));
    g_assert_cmpint(virStreamFinish(st), ==, 0);
    virStreamFree(st);
    st = virStreamNew(conn, 0);
    g_assert_cmpint(virStorageVolDownload(raw, st, 0, sizeof(back), 0), ==, 0);
    while (got < (int)sizeof(back)) {
        int n = virStreamRecv(st, back + got, sizeof(back) - got);

        g_assert_cmpint(n, >, 0);
        got += n;
    }
    g_assert_cmpint(virStreamFinish(st), ==, 0);
    virStreamFree(st);
    g_assert_cmpmem(buf, sizeof(buf), back, sizeof(back));

    /* clone into qcow2 (format conversion); the bytes follow */
    clone =
        virStorageVolCreateXMLFrom(pool,
                                   "<volume><name>c.qcow2</name><capacity>0</capacity>"
                                   "<target><format type='qcow2'/></target></volume>",
                                   raw, 0);
    g_assert_nonnull(clone);
    g_assert_cmpint(virStorageVolGetInfo(clone, &info), ==, 0);
    g_assert_cmpuint(info.capacity, ==, 8 << 20);

    /* resize: grow; shrink only with the flag */
    g_assert_cmpint(virStorageVolResize(raw, 16 << 20, 0), ==, 0);
    g_assert_cmpint(virStorageVolGetInfo(raw, &info), ==, 0);
    g_assert_cmpuint(info.capacity, ==, 16 << 20);
    g_assert_cmpint(virStorageVolResize(raw, 4 << 20, 0), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_STORAGE);
    g_assert_cmpint(virStorageVolGetInfo(raw, &info), ==, 0);
    g_assert_cmpuint(info.capacity, ==, 16 << 20);

    /* wipe: zeros where the upload was */
    g_assert_cmpint(virStorageVolWipe(raw, 0), ==, 0);
    {
        int fd = open(rawPath, O_RDONLY);

        g_assert_cmpint(fd, >=, 0);
        g_assert_cmpint(read(fd, back, sizeof(back)), ==, sizeof(back));
        close(fd);
        for (size_t i = 0; i < sizeof(back); i++)
            g_assert_cmpint(back[i], ==, 0);
    }

    /* bad input: libvirt's errors, nothing made */
    bad = virStorageVolCreateXML(pool,
                                 "<volume><name>../escape</name><capacity>1024</capacity>"
                                 "</volume>",
                                 0);
    g_assert_null(bad);
    g_assert_nonnull(virGetLastError());
    g_assert_false(g_file_test(escape, G_FILE_TEST_EXISTS));
    bad = virStorageVolCreateXML(pool,
                                 "<volume><name>a.raw</name><capacity>1024</capacity>"
                                 "</volume>",
                                 0);
    g_assert_null(bad);
    assertError(VIR_ERR_STORAGE_VOL_EXIST, VIR_FROM_STORAGE);
    g_assert_null(virStorageVolLookupByPath(conn, "/nonexistent/x.img"));
    assertError(VIR_ERR_NO_STORAGE_VOL, VIR_FROM_STORAGE);
    g_assert_cmpint(virStoragePoolNumOfVolumes(pool), ==, 3);

    /* delete; the file goes and lookups fail */
    g_assert_cmpint(virStorageVolDelete(clone, 0), ==, 0);
    g_assert_cmpint(virStorageVolDelete(qcow, 0), ==, 0);
    g_assert_cmpint(virStorageVolDelete(raw, 0), ==, 0);
    g_assert_false(g_file_test(rawPath, G_FILE_TEST_EXISTS));
    g_assert_null(virStorageVolLookupByPath(conn, rawPath));
    assertError(VIR_ERR_NO_STORAGE_VOL, VIR_FROM_STORAGE);
    g_assert_cmpint(virStoragePoolNumOfVolumes(pool), ==, 0);

    virStorageVolFree(clone);
    virStorageVolFree(qcow);
    virStorageVolFree(raw);
    virStoragePoolFree(pool);
    virConnectClose(conn);
    removeTree(root);
}

/* A dir pool's lifecycle with its events; definitions persist under
 * ROOT/etc/storage; two roots in one process are separate. */
static void
testPoolLifecycle(void)
{
    g_autofree char *root = newRoot();
    g_autofree char *other = newRoot();
    g_autofree char *dir = g_build_filename(root, "pooldir", NULL);
    g_autofree char *cfg = g_build_filename(root, "etc", "storage", "p1.xml", NULL);
    g_autofree char *xml = g_strdup_printf(
        "<pool type='dir'><name>p1</name><target><path>%s</path></target></pool>", dir);
    virConnectPtr conn = openEmbed(root);
    virConnectPtr conn2 = openEmbed(other);
    virStoragePoolPtr pool;
    int cb;

    cb = virConnectStoragePoolEventRegisterAny(
        conn, NULL, VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
        VIR_STORAGE_POOL_EVENT_CALLBACK(poolEventCb), NULL, NULL);
    g_assert_cmpint(cb, >=, 0);

    pool = virStoragePoolDefineXML(conn, xml, 0);
    g_assert_nonnull(pool);
    expectEvent("p1", VIR_STORAGE_POOL_EVENT_DEFINED);
    g_assert_true(g_file_test(cfg, G_FILE_TEST_IS_REGULAR));
    g_assert_cmpint(virStoragePoolBuild(pool, 0), ==, 0);
    expectEvent("p1", VIR_STORAGE_POOL_EVENT_CREATED);
    g_assert_true(g_file_test(dir, G_FILE_TEST_IS_DIR));
    g_assert_cmpint(virStoragePoolCreate(pool, 0), ==, 0);
    expectEvent("p1", VIR_STORAGE_POOL_EVENT_STARTED);
    g_assert_cmpint(virStoragePoolIsActive(pool), ==, 1);
    g_assert_cmpint(virStoragePoolCreate(pool, 0), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_STORAGE);

    /* the other root knows nothing of it */
    g_assert_null(virStoragePoolLookupByName(conn2, "p1"));
    assertError(VIR_ERR_NO_STORAGE_POOL, VIR_FROM_STORAGE);
    g_assert_cmpint(virConnectNumOfStoragePools(conn2), ==, 1);

    /* a second connection to the same root sees it */
    {
        virConnectPtr again = openEmbed(root);
        virStoragePoolPtr p = virStoragePoolLookupByName(again, "p1");

        g_assert_nonnull(p);
        g_assert_cmpint(virStoragePoolIsActive(p), ==, 1);
        virStoragePoolFree(p);
        virConnectClose(again);
    }

    g_assert_cmpint(virStoragePoolDestroy(pool), ==, 0);
    expectEvent("p1", VIR_STORAGE_POOL_EVENT_STOPPED);
    g_assert_cmpint(virStoragePoolDelete(pool, 0), ==, 0);
    expectEvent("p1", VIR_STORAGE_POOL_EVENT_DELETED);
    g_assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));
    g_assert_cmpint(virStoragePoolUndefine(pool), ==, 0);
    expectEvent("p1", VIR_STORAGE_POOL_EVENT_UNDEFINED);
    g_assert_false(g_file_test(cfg, G_FILE_TEST_EXISTS));

    /* bad pool XML changes nothing */
    g_assert_null(
        virStoragePoolDefineXML(conn, "<pool type='nosuch'><name>x</name></pool>", 0));
    g_assert_nonnull(virGetLastError());
    g_assert_cmpint(virConnectNumOfDefinedStoragePools(conn), ==, 0);
    g_assert_cmpint(virConnectNumOfStoragePools(conn), ==, 1);

    g_assert_cmpint(virConnectStoragePoolEventDeregisterAny(conn, cb), ==, 0);
    virStoragePoolFree(pool);
    virConnectClose(conn2);
    virConnectClose(conn);
    removeTree(root);
    removeTree(other);
}

/* <disk type='volume'> of an embedded guest resolves through its root's
 * storage: QEMU opens the volume's file. */
static void
testVolumeDisk(void)
{
    g_autofree char *root = newRoot();
    g_autofree char *images = g_build_filename(root, "lib", "images", NULL);
    g_autofree char *volPath = g_build_filename(images, "disk.qcow2", NULL);
    virConnectPtr conn = openEmbed(root);
    virStoragePoolPtr pool = virStoragePoolLookupByName(conn, "default");
    virStorageVolPtr vol;
    virDomainPtr dom;
    g_autofree char *escaped = NULL;
    char *reply = NULL;
    pid_t pid;

    vol = virStorageVolCreateXML(pool,
                                 "<volume><name>disk.qcow2</name><capacity unit='MiB'>16"
                                 "</capacity><target><format type='qcow2'/></target>"
                                 "</volume>",
                                 0);
    g_assert_nonnull(vol);
    dom = virDomainDefineXML(conn, "<domain type='qemu'><name>embvol</name>"
                                   "<memory unit='MiB'>64</memory>"
                                   "<os><type arch='x86_64'>hvm</type></os><devices>"
                                   "<disk type='volume' device='disk'>"
                                   "<driver name='qemu' type='qcow2'/>"
                                   "<source pool='default' volume='disk.qcow2'/>"
                                   "<target dev='vda' bus='virtio'/></disk>"
                                   "</devices></domain>");
    if (!dom)
        g_error("define: %s", virGetLastErrorMessage());
    if (virDomainCreate(dom) < 0)
        g_error("start: %s", virGetLastErrorMessage());
    guestPid = pid = guestPidOf(root, "embvol");
    g_assert_cmpint(kill(pid, 0), ==, 0);
    g_assert_cmpint(
        virDomainQemuMonitorCommand(dom, "{\"execute\":\"query-block\"}", &reply, 0), ==,
        0);
    /* QMP writes '/' as '\/' */
    {
        g_auto(GStrv) parts = g_strsplit(volPath, "/", -1);

        escaped = g_strjoinv("\\/", parts);
    }
    if (!strstr(reply, escaped))
        g_error("QEMU has not opened %s: %s", volPath, reply);
    free(reply);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint(kill(pid, 0), ==, -1); /* reaped by the driver */
    guestPid = 0;

    /* a volume that is not there: libvirt's error, nothing starts */
    g_assert_cmpint(virStorageVolDelete(vol, 0), ==, 0);
    g_assert_cmpint(virDomainCreate(dom), ==, -1);
    assertError(VIR_ERR_NO_STORAGE_VOL, VIR_FROM_STORAGE);
    g_assert_cmpint(virDomainIsActive(dom), ==, 0);
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);

    virDomainFree(dom);
    virStorageVolFree(vol);
    virStoragePoolFree(pool);
    virConnectClose(conn);
    removeTree(root);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /* the QEMU driver warns (taint) on qemu-monitor-command, which the
     * volume-disk case uses to ask QEMU what it opened */
    g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
    virSetErrorFunc(NULL, quietError);
    signal(SIGABRT, abortHandler);
    virEventRegisterDefaultImpl();
    g_thread_unref(g_thread_new("events", eventLoopThread, NULL));
    poolEvents = g_async_queue_new_full(g_free);

    g_test_add_func("/embed/storage/default-pool", testDefaultPool);
    g_test_add_func("/embed/storage/volumes", testVolumes);
    g_test_add_func("/embed/storage/pool-lifecycle", testPoolLifecycle);
    g_test_add_func("/embed/storage/volume-disk", testVolumeDisk);
    return g_test_run();
}
