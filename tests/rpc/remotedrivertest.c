/* remotedrivertest.c: remote driver vs a scripted daemon: preamble, URIs, calls, errors, events */
/*
 * Threads: the scripted daemon (virNetServer) runs its own GMainContext in
 * serverThread; the application's event loop (virEventRunDefaultImpl on
 * the default context) runs in loopThread; the test body calls the driver
 * table directly from the main thread, as src/libvirt would. Observations
 * are recorded under Daemon.lock and waited for with deadlines.
 */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>

#include "datatypes.h"
#include "driver.h"
#include "remote_protocol.h"
#include "virerror.h"
#include "virnetserver.h"

#define DEADLINE_US (30 * G_USEC_PER_SEC)

static const guint8 tinyUUID[16] = {
    0xc7, 0xa5, 0xfd, 0xbd, 0xed, 0xaf, 0x9e, 0x08,
    0x4e, 0x4d, 0x65, 0x23, 0x41, 0x1a, 0x24, 0x4b,
};

typedef struct {
    GMainContext *ctx;
    GMainLoop *loop;
    GThread *thread;
    virNetServer *srv;
    char *dir;
    char *path;

    /* Script */
    int feature14;
    int feature15;
    int feature10;

    GMutex lock;
    GCond cond;
    GString *procs; /* "66,60(10),1,..." */
    char *openName;
    bool openNameSet;
    uint32_t openFlags;
    int tinyId;               /* -1 inactive */
    virNetServerClient *last; /* most recent client (ref) */
} Daemon;

static Daemon *daemon_;

static void
recordProc(Daemon *d, int proc, int arg)
{
    g_mutex_lock(&d->lock);
    if (d->procs->len)
        g_string_append_c(d->procs, ',');
    if (arg >= 0)
        g_string_append_printf(d->procs, "%d(%d)", proc, arg);
    else
        g_string_append_printf(d->procs, "%d", proc);
    g_cond_broadcast(&d->cond);
    g_mutex_unlock(&d->lock);
}

static void
fillTiny(Daemon *d, remote_nonnull_domain *dom)
{
    dom->name = (char *)"tiny";
    memcpy(dom->uuid, tinyUUID, 16);
    dom->id = d->tinyId;
}

static void
daemonDispatch(virNetServerClient *client, virNetMessage *msg, void *opaque)
{
    Daemon *d = opaque;
    const virNetMessageHeader *h = &msg->header;
    const remoteProcedure *p = remoteProcedureLookup(h->proc);
    g_autofree void *args = NULL;
    int arg0 = -1;

    if (h->prog == QEMU_PROGRAM && h->proc == QEMU_PROC_DOMAIN_MONITOR_COMMAND &&
        h->type == VIR_NET_CALL) {
        /* The QEMU program: answer "info status" as QEMU's HMP does. */
        qemu_domain_monitor_command_args a = { 0 };
        qemu_domain_monitor_command_ret r = { .result =
                                                  (char *)"VM status: running\r\n" };

        recordProc(d, 0x8087 * 1000 + h->proc, -1);
        g_assert_true(virNetMessageDecodePayload(
            msg, qemu_domain_monitor_command_args_filter, &a, NULL));
        if (g_str_equal(a.cmd, "info status") && a.flags == 1 &&
            g_str_equal(a.dom.name, "tiny"))
            virNetServerClientSendReply(client, h, qemu_domain_monitor_command_ret_filter,
                                        &r);
        else
            virNetServerClientSendErrorSimple(client, h, VIR_ERR_INTERNAL_ERROR,
                                              VIR_FROM_QEMU,
                                              "unexpected monitor command");
        virXdrFree(qemu_domain_monitor_command_args_filter, &a);
        virNetMessageFree(msg);
        return;
    }
    if (h->prog != REMOTE_PROGRAM || h->type != VIR_NET_CALL || !p) {
        recordProc(d, h->proc, -1);
        virNetServerClientSendErrorSimple(client, h, VIR_ERR_NO_SUPPORT, VIR_FROM_RPC,
                                          "unsupported");
        virNetMessageFree(msg);
        return;
    }
    args = g_malloc0(MAX(p->argsSize, 1));
    if (p->argsFilter && !virNetMessageDecodePayload(msg, p->argsFilter, args, NULL)) {
        virNetServerClientSendErrorSimple(client, h, VIR_ERR_RPC, VIR_FROM_RPC,
                                          "Unable to decode message payload");
        virNetMessageFree(msg);
        return;
    }
    if (h->proc == REMOTE_PROC_CONNECT_SUPPORTS_FEATURE ||
        h->proc == REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY ||
        h->proc == REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER_ANY ||
        h->proc == REMOTE_PROC_CONNECT_DOMAIN_EVENT_DEREGISTER_ANY ||
        h->proc == REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY)
        arg0 = *(int32_t *)args;
    recordProc(d, h->proc, arg0);

    g_mutex_lock(&d->lock);
    if (d->last)
        virNetServerClientUnref(d->last);
    d->last = virNetServerClientRef(client);
    g_mutex_unlock(&d->lock);

    switch (h->proc) {
    case REMOTE_PROC_AUTH_LIST: {
        int32_t none = REMOTE_AUTH_NONE;
        remote_auth_list_ret r = { .types_len = 1, .types_val = &none };
        virNetServerClientSendReply(client, h, remote_auth_list_ret_filter, &r);
        break;
    }
    case REMOTE_PROC_CONNECT_SUPPORTS_FEATURE: {
        remote_connect_supports_feature_ret r = { 0 };
        if (arg0 == 14)
            r.supported = d->feature14;
        else if (arg0 == 15)
            r.supported = d->feature15;
        else if (arg0 == 10)
            r.supported = d->feature10;
        virNetServerClientSendReply(client, h, remote_connect_supports_feature_ret_filter,
                                    &r);
        break;
    }
    case REMOTE_PROC_CONNECT_OPEN: {
        remote_connect_open_args *a = args;
        g_mutex_lock(&d->lock);
        g_free(d->openName);
        d->openName = g_strdup(a->name);
        d->openNameSet = a->name != NULL;
        d->openFlags = a->flags;
        g_mutex_unlock(&d->lock);
        virNetServerClientSendReply(client, h, NULL, NULL);
        break;
    }
    case REMOTE_PROC_CONNECT_CLOSE:
        virNetServerClientSendReply(client, h, NULL, NULL);
        virNetServerClientClose(client, true);
        break;
    case REMOTE_PROC_CONNECT_GET_TYPE: {
        remote_connect_get_type_ret r = { .type = (char *)"QEMU" };
        virNetServerClientSendReply(client, h, remote_connect_get_type_ret_filter, &r);
        break;
    }
    case REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME: {
        remote_domain_lookup_by_name_args *a = args;
        if (g_str_equal(a->name, "tiny")) {
            remote_domain_lookup_by_name_ret r;
            fillTiny(d, &r.dom);
            virNetServerClientSendReply(client, h,
                                        remote_domain_lookup_by_name_ret_filter, &r);
        } else {
            g_autofree char *m = g_strdup_printf(
                "Domain not found: no domain with matching name '%s'", a->name);
            virNetServerClientSendErrorSimple(client, h, VIR_ERR_NO_DOMAIN, VIR_FROM_QEMU,
                                              m);
        }
        break;
    }
    case REMOTE_PROC_DOMAIN_LOOKUP_BY_UUID: {
        remote_domain_lookup_by_uuid_ret r;
        fillTiny(d, &r.dom);
        virNetServerClientSendReply(client, h, remote_domain_lookup_by_uuid_ret_filter,
                                    &r);
        break;
    }
    case REMOTE_PROC_DOMAIN_CREATE:
        d->tinyId = 7;
        virNetServerClientSendReply(client, h, NULL, NULL);
        break;
    case REMOTE_PROC_DOMAIN_GET_STATE: {
        remote_domain_get_state_ret r = { .state = d->tinyId > 0 ? 1 : 5,
                                          .reason = d->tinyId > 0 ? 1 : 2 };
        virNetServerClientSendReply(client, h, remote_domain_get_state_ret_filter, &r);
        break;
    }
    case REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS: {
        remote_nonnull_domain dom;
        remote_connect_list_all_domains_ret r = { .domains_len = 1,
                                                  .domains_val = &dom,
                                                  .ret = 1 };
        fillTiny(d, &dom);
        if (!((remote_connect_list_all_domains_args *)args)->need_results)
            r.domains_len = 0;
        virNetServerClientSendReply(client, h, remote_connect_list_all_domains_ret_filter,
                                    &r);
        break;
    }
    case REMOTE_PROC_NODE_GET_INFO: {
        remote_node_get_info_ret r = { .memory = 1024,
                                       .cpus = 4,
                                       .mhz = 1000,
                                       .nodes = 1,
                                       .sockets = 1,
                                       .cores = 2,
                                       .threads = 2 };
        g_strlcpy(r.model, "x86_64", sizeof(r.model));
        virNetServerClientSendReply(client, h, remote_node_get_info_ret_filter, &r);
        break;
    }
    case REMOTE_PROC_NODE_GET_SECURITY_MODEL: {
        remote_node_get_security_model_ret r = {
            .model_len = 5,
            .model_val = (char *)"none",
            .doi_len = 2,
            .doi_val = (char *)"0",
        };
        virNetServerClientSendReply(client, h, remote_node_get_security_model_ret_filter,
                                    &r);
        break;
    }
    case REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY: {
        remote_connect_domain_event_callback_register_any_ret r = { .callbackID =
                                                                        100 + arg0 };
        virNetServerClientSendReply(
            client, h, remote_connect_domain_event_callback_register_any_ret_filter, &r);
        break;
    }
    case REMOTE_PROC_CONNECT_REGISTER_CLOSE_CALLBACK:
    case REMOTE_PROC_CONNECT_UNREGISTER_CLOSE_CALLBACK:
    case REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY:
    case REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER_ANY:
    case REMOTE_PROC_CONNECT_DOMAIN_EVENT_DEREGISTER_ANY:
        virNetServerClientSendReply(client, h, NULL, NULL);
        break;
    default:
        virNetServerClientSendErrorSimple(client, h, VIR_ERR_NO_SUPPORT, VIR_FROM_DOMAIN,
                                          "this function is not supported by the "
                                          "connection driver");
        break;
    }
    if (p->argsFilter)
        virXdrFree(p->argsFilter, args);
    virNetMessageFree(msg);
}

static gpointer
serverThread(gpointer opaque)
{
    Daemon *d = opaque;

    g_main_context_push_thread_default(d->ctx);
    g_main_loop_run(d->loop);
    g_main_context_pop_thread_default(d->ctx);
    return NULL;
}

static void
daemonSetUp(Daemon *d, gconstpointer data)
{
    virNetServerCallbacks cb = { .dispatch = daemonDispatch };

    memset(d, 0, sizeof(*d));
    daemon_ = d;
    g_mutex_init(&d->lock);
    g_cond_init(&d->cond);
    d->procs = g_string_new(NULL);
    d->tinyId = -1;
    d->feature14 = 1;
    d->feature15 = 1;
    d->feature10 = 1;
    d->dir = g_dir_make_tmp("vkremote-XXXXXX", NULL);
    d->path = g_build_filename(d->dir, "sock", NULL);
    d->ctx = g_main_context_new();
    d->loop = g_main_loop_new(d->ctx, FALSE);
    d->srv = virNetServerNew(d->ctx, &cb, d);
    virNetServerSetMaxRequests(d->srv, 0);
    g_assert_cmpint(virNetServerAddUnixListener(d->srv, d->path, 0600, false), ==, 0);
    d->thread = g_thread_new("daemon", serverThread, d);
}

static gboolean
daemonQuit(gpointer opaque)
{
    Daemon *d = opaque;

    virNetServerFree(g_steal_pointer(&d->srv));
    g_main_loop_quit(d->loop);
    return G_SOURCE_REMOVE;
}

/* Stop the daemon (closes every client). */
static void
daemonStop(Daemon *d)
{
    GSource *idle;

    if (!d->thread)
        return;
    idle = g_idle_source_new();
    g_source_set_callback(idle, daemonQuit, d, NULL);
    g_source_attach(idle, d->ctx);
    g_source_unref(idle);
    g_thread_join(g_steal_pointer(&d->thread));
}

static void
daemonTearDown(Daemon *d, gconstpointer data)
{
    daemonStop(d);
    virNetServerClientUnref(d->last);
    g_main_loop_unref(d->loop);
    g_main_context_unref(d->ctx);
    g_unlink(d->path);
    g_rmdir(d->dir);
    g_free(d->path);
    g_free(d->dir);
    g_free(d->openName);
    g_string_free(d->procs, TRUE);
}

static char *
procsTake(Daemon *d)
{
    char *s;

    g_mutex_lock(&d->lock);
    s = g_strdup(d->procs->str);
    g_string_truncate(d->procs, 0);
    g_mutex_unlock(&d->lock);
    return s;
}

static virConnectPtr
openConn(const char *uri, unsigned int flags)
{
    virConnectPtr conn = virGetConnect();

    conn->driver = &remoteHypervisorDriver;
    conn->uri = g_strdup(uri);
    conn->flags = flags;
    if (remoteHypervisorDriver.connectOpen(conn, uri, NULL, flags) !=
        VIR_DRV_OPEN_SUCCESS) {
        conn->driver = NULL;
        virObjectUnrefConnect(conn);
        return NULL;
    }
    return conn;
}

/* ---- tests --------------------------------------------------------------------- */

typedef struct {
    GMutex lock;
    GCond cond;
    int n;
    int event;
    int detail;
    int id;
    char *name;
    int closeReason;
    int closes;
} Seen;

static Seen seen;

static void
closeCb(virConnectPtr conn, int reason, void *opaque)
{
    g_mutex_lock(&seen.lock);
    seen.closes++;
    seen.closeReason = reason;
    g_cond_broadcast(&seen.cond);
    g_mutex_unlock(&seen.lock);
}

static void
testPreamble(Daemon *d, gconstpointer data)
{
    g_autofree char *uri = g_strdup_printf("test+unix:///default?socket=%s", d->path);
    virConnectPtr conn = openConn(uri, 0);
    g_autofree char *seq = NULL;
    int closes;

    g_assert_nonnull(conn);
    seq = procsTake(d);
    /* AUTH_LIST, FEATURE(10) (event loop registered), OPEN, FEATURE(14),
     * FEATURE(15), REGISTER_CLOSE_CALLBACK: facts §5.1. */
    g_assert_cmpstr(seq, ==, "66,60(10),1,60(14),60(15),360");
    g_assert_cmpstr(d->openName, ==, "test:///default");
    g_assert_cmpuint(d->openFlags, ==, 0x6);
    g_assert_cmpint(remoteHypervisorDriver.connectIsAlive(conn), ==, 1);
    g_assert_cmpint(
        remoteHypervisorDriver.connectRegisterCloseCallback(conn, closeCb, NULL, NULL),
        ==, 0);
    g_mutex_lock(&seen.lock);
    closes = seen.closes;
    g_mutex_unlock(&seen.lock);

    /* An orderly close: 361 then 2, and no close callback (the server's
     * hang-up after CONNECT_CLOSE is not a lost connection). */
    virObjectUnrefConnect(conn);
    g_free(seq);
    seq = procsTake(d);
    g_assert_cmpstr(seq, ==, "361,2");
    g_mutex_lock(&seen.lock);
    g_assert_cmpint(seen.closes, ==, closes);
    g_mutex_unlock(&seen.lock);
}

static void
testOpenNames(Daemon *d, gconstpointer data)
{
    struct {
        const char *fmt;
        unsigned int flags;
        const char *name;
        unsigned int wire;
    } cases[] = {
        { "qemu+unix:///system?socket=%s", 0, "qemu:///system", 0x0 },
        { "qemu+unix:///session?socket=%s", 0, "qemu:///session", 0x6 },
        { "qemu:///session?socket=%s", 0, "qemu:///session", 0x6 },
        { "qemu+unix:///session?socket=%s&foo=bar", 0, "qemu:///session?foo=bar", 0x6 },
        { "remote+unix:///?socket=%s", 0, "", 0x0 },
        { "qemu+unix:///session?socket=%s", VIR_CONNECT_RO, "qemu:///session", 0x7 },
    };
    size_t i;

    d->feature15 = 0;
    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *uri = g_strdup_printf(cases[i].fmt, d->path);
        virConnectPtr conn = openConn(uri, cases[i].flags);

        g_assert_nonnull(conn);
        g_assert_true(d->openNameSet);
        g_assert_cmpstr(d->openName, ==, cases[i].name);
        g_assert_cmpuint(d->openFlags, ==, cases[i].wire);
        virObjectUnrefConnect(conn);
    }
    g_free(procsTake(d));

    /* Not ours: other drivers' URIs are declined, bad ones refused. */
    {
        virConnectPtr conn = virGetConnect();
        g_assert_cmpint(
            remoteHypervisorDriver.connectOpen(conn, "test:///default", NULL, 0), ==,
            VIR_DRV_OPEN_DECLINED);
        g_assert_cmpint(
            remoteHypervisorDriver.connectOpen(conn, "qemu:///embed?root=/x", NULL, 0),
            ==, VIR_DRV_OPEN_DECLINED);
        /* Declined before flags are judged (another driver may know them). */
        g_assert_cmpint(
            remoteHypervisorDriver.connectOpen(conn, "xen:///system", NULL, 0x80), ==,
            VIR_DRV_OPEN_DECLINED);
        g_assert_cmpint(remoteHypervisorDriver.connectOpen(
                            conn, "qemu+unix://host/system?socket=/x", NULL, 0),
                        ==, VIR_DRV_OPEN_ERROR);
        g_assert_cmpint(
            remoteHypervisorDriver.connectOpen(conn, "qemu+ssh://host/system", NULL, 0),
            ==, VIR_DRV_OPEN_ERROR);
        virObjectUnrefConnect(conn);
    }
    /* No server: a clear error, no crash. */
    {
        g_autofree char *uri =
            g_strdup_printf("qemu+unix:///system?socket=%s.none", d->path);
        g_assert_null(openConn(uri, 0));
        g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_SYSTEM_ERROR);
    }
}

static void
testCalls(Daemon *d, gconstpointer data)
{
    g_autofree char *uri = g_strdup_printf("qemu+unix:///system?socket=%s", d->path);
    virConnectPtr conn = openConn(uri, 0);
    const virHypervisorDriver *drv = &remoteHypervisorDriver;
    virDomainPtr dom;
    virDomainPtr *doms = NULL;
    virErrorPtr err;
    virNodeInfo info;
    virSecurityModel sm;
    g_autofree char *seq = NULL;
    int state = 0;
    int reason = 0;

    g_assert_nonnull(conn);
    g_free(procsTake(d));

    g_assert_cmpstr(drv->connectGetType(conn), ==, "QEMU");
    g_assert_cmpstr(drv->connectGetType(conn), ==, "QEMU"); /* cached: one call */

    /* The daemon's error arrives unchanged. */
    virResetLastError();
    g_assert_null(drv->domainLookupByName(conn, "nope"));
    err = virGetLastError();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpint(err->domain, ==, VIR_FROM_QEMU);
    g_assert_cmpstr(err->message, ==,
                    "Domain not found: no domain with matching name 'nope'");

    dom = drv->domainLookupByName(conn, "tiny");
    g_assert_nonnull(dom);
    g_assert_cmpint(dom->id, ==, -1);
    g_assert_cmpmem(dom->uuid, 16, tinyUUID, 16);
    /* DOMAIN_CREATE returns void; the id comes from LOOKUP_BY_UUID. */
    g_assert_cmpint(drv->domainCreateWithFlags(dom, 0), ==, 0);
    g_assert_cmpint(dom->id, ==, 7);
    g_assert_cmpint(drv->domainGetState(dom, &state, &reason, 0), ==, 0);
    g_assert_cmpint(state, ==, 1);
    g_assert_cmpint(reason, ==, 1);

    /* An unsupported procedure reports the daemon's NO_SUPPORT. */
    g_assert_cmpint(drv->domainSuspend(dom), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_SUPPORT);

    g_assert_cmpint(drv->connectListAllDomains(conn, &doms, 3), ==, 1);
    g_assert_nonnull(doms[0]);
    g_assert_null(doms[1]);
    g_assert_cmpstr(doms[0]->name, ==, "tiny");
    g_assert_cmpint(doms[0]->id, ==, 7);
    virObjectUnrefDomain(doms[0]);
    g_free(doms);
    g_assert_cmpint(drv->connectListAllDomains(conn, NULL, 0), ==, 1);

    g_assert_cmpint(drv->nodeGetInfo(conn, &info), ==, 0);
    g_assert_cmpstr(info.model, ==, "x86_64");
    g_assert_cmpuint(info.cpus, ==, 4);
    g_assert_cmpuint(info.threads, ==, 2);
    g_assert_cmpint(drv->nodeGetSecurityModel(conn, &sm), ==, 0);
    g_assert_cmpstr(sm.model, ==, "none");
    g_assert_cmpstr(sm.doi, ==, "0");

    seq = procsTake(d);
    g_assert_cmpstr(seq, ==, "3,23,23,9,24,212,34,273,273,6,122");

    /* QEMU_PROGRAM through the generated entry point: the frame goes to
     * program 0x20008087, the reply comes back whole. */
    {
        g_autofree char *res = NULL;
        g_autofree char *qseq = NULL;

        g_assert_cmpint(drv->domainQemuMonitorCommand(dom, "info status", &res, 1), ==,
                        0);
        g_assert_cmpstr(res, ==, "VM status: running\r\n");
        qseq = procsTake(d);
        g_assert_cmpstr(qseq, ==, "32903001");
    }
    virObjectUnrefDomain(dom);
    virObjectUnrefConnect(conn);
}

static int
lifecycleCb(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    g_mutex_lock(&seen.lock);
    seen.n++;
    seen.event = event;
    seen.detail = detail;
    seen.id = dom->id;
    g_free(seen.name);
    seen.name = g_strdup(dom->name);
    g_cond_broadcast(&seen.cond);
    g_mutex_unlock(&seen.lock);
    return 0;
}

static bool
waitSeen(int *counter, int want)
{
    gint64 end = g_get_monotonic_time() + DEADLINE_US;
    bool ok;

    g_mutex_lock(&seen.lock);
    while (*counter < want) {
        if (!g_cond_wait_until(&seen.cond, &seen.lock, end))
            break;
    }
    ok = *counter >= want;
    g_mutex_unlock(&seen.lock);
    return ok;
}

static void
sendLifecycle(Daemon *d, bool callback)
{
    virNetServerClient *client;

    g_mutex_lock(&d->lock);
    client = virNetServerClientRef(d->last);
    g_mutex_unlock(&d->lock);
    if (callback) {
        remote_domain_event_callback_lifecycle_msg ev = { .callbackID = 100,
                                                          .msg.event = 2,
                                                          .msg.detail = 0 };
        fillTiny(d, &ev.msg.dom);
        ev.msg.dom.id = 3;
        virXdrFilter filter = remote_domain_event_callback_lifecycle_msg_filter;
        g_assert_cmpint(virNetServerClientSendEvent(
                            client, REMOTE_PROGRAM,
                            REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE, filter, &ev),
                        ==, 0);
    } else {
        remote_domain_event_lifecycle_msg ev = { .event = 5, .detail = 1 };
        fillTiny(d, &ev.dom);
        g_assert_cmpint(virNetServerClientSendEvent(
                            client, REMOTE_PROGRAM, REMOTE_PROC_DOMAIN_EVENT_LIFECYCLE,
                            remote_domain_event_lifecycle_msg_filter, &ev),
                        ==, 0);
    }
    virNetServerClientUnref(client);
}

static void
testEvents(Daemon *d, gconstpointer data)
{
    bool legacy = GPOINTER_TO_INT(data);
    g_autofree char *uri = g_strdup_printf("qemu+unix:///system?socket=%s", d->path);
    const virHypervisorDriver *drv = &remoteHypervisorDriver;
    virConnectPtr conn;
    g_autofree char *seq = NULL;
    int id;
    int base;

    d->feature14 = legacy ? 0 : 1;
    conn = openConn(uri, 0);
    g_assert_nonnull(conn);
    g_free(procsTake(d));

    id = drv->connectDomainEventRegisterAny(
        conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        (virConnectDomainEventGenericCallback)(void (*)(void))lifecycleCb, NULL, NULL);
    g_assert_cmpint(id, >=, 0);
    seq = procsTake(d);
    g_assert_cmpstr(seq, ==, legacy ? "167(0)" : "316(0)");

    g_mutex_lock(&seen.lock);
    base = seen.n;
    g_mutex_unlock(&seen.lock);
    sendLifecycle(d, !legacy);
    g_assert_true(waitSeen(&seen.n, base + 1));
    g_mutex_lock(&seen.lock);
    g_assert_cmpstr(seen.name, ==, "tiny");
    g_assert_cmpint(seen.event, ==, legacy ? 5 : 2);
    g_assert_cmpint(seen.detail, ==, legacy ? 1 : 0);
    g_assert_cmpint(seen.id, ==, legacy ? -1 : 3);
    g_mutex_unlock(&seen.lock);

    g_assert_cmpint(drv->connectDomainEventDeregisterAny(conn, id), ==, 0);
    g_free(seq);
    seq = procsTake(d);
    g_assert_cmpstr(seq, ==, legacy ? "168(0)" : "317(100)");
    g_assert_cmpint(drv->connectDomainEventDeregisterAny(conn, id), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    virObjectUnrefConnect(conn);
}

static int reboots;

static void
rebootCb(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    g_mutex_lock(&seen.lock);
    if (g_str_equal(dom->name, "tiny") && memcmp(dom->uuid, tinyUUID, 16) == 0)
        reboots++;
    g_cond_broadcast(&seen.cond);
    g_mutex_unlock(&seen.lock);
}

/* DOMAIN_EVENT_CALLBACK_REBOOT (319) reaches a REBOOT callback. */
static void
testRebootEvent(Daemon *d, gconstpointer data)
{
    g_autofree char *uri = g_strdup_printf("qemu+unix:///system?socket=%s", d->path);
    const virHypervisorDriver *drv = &remoteHypervisorDriver;
    virConnectPtr conn = openConn(uri, 0);
    remote_domain_event_callback_reboot_msg ev = { .callbackID = 101 };
    virNetServerClient *client;
    g_autofree char *seq = NULL;
    int id;

    g_assert_nonnull(conn);
    g_free(procsTake(d));
    id = drv->connectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_REBOOT,
                                            VIR_DOMAIN_EVENT_CALLBACK(rebootCb), NULL,
                                            NULL);
    g_assert_cmpint(id, >=, 0);
    seq = procsTake(d);
    g_assert_cmpstr(seq, ==, "316(1)");

    fillTiny(d, &ev.msg.dom);
    g_mutex_lock(&d->lock);
    client = virNetServerClientRef(d->last);
    g_mutex_unlock(&d->lock);
    g_assert_cmpint(virNetServerClientSendEvent(
                        client, REMOTE_PROGRAM, REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT,
                        remote_domain_event_callback_reboot_msg_filter, &ev),
                    ==, 0);
    virNetServerClientUnref(client);
    g_assert_true(waitSeen(&reboots, 1));
    g_assert_cmpint(drv->connectDomainEventDeregisterAny(conn, id), ==, 0);
    virObjectUnrefConnect(conn);
}

/* The daemon goes away: the connection reports dead, the close callback
 * fires with EOF, calls fail with libvirt's errors. */
static void
testDaemonDeath(Daemon *d, gconstpointer data)
{
    g_autofree char *uri = g_strdup_printf("qemu+unix:///system?socket=%s", d->path);
    const virHypervisorDriver *drv = &remoteHypervisorDriver;
    virConnectPtr conn = openConn(uri, 0);
    int base;

    g_assert_nonnull(conn);
    g_assert_cmpint(drv->connectRegisterCloseCallback(conn, closeCb, NULL, NULL), ==, 0);
    g_mutex_lock(&seen.lock);
    base = seen.closes;
    g_mutex_unlock(&seen.lock);

    daemonStop(d);
    g_assert_true(waitSeen(&seen.closes, base + 1));
    g_assert_cmpint(seen.closeReason, ==, VIR_CONNECT_CLOSE_REASON_EOF);
    g_assert_cmpint(drv->connectIsAlive(conn), ==, 0);
    g_assert_null(drv->domainLookupByName(conn, "tiny"));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INTERNAL_ERROR);
    g_assert_cmpint(virGetLastErrorDomain(), ==, VIR_FROM_RPC);
    virObjectUnrefConnect(conn);
}

static gpointer
loopThread(gpointer opaque)
{
    for (;;)
        virEventRunDefaultImpl();
    return NULL;
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_mutex_init(&seen.lock);
    g_cond_init(&seen.cond);
    g_assert_cmpint(virEventRegisterDefaultImpl(), ==, 0);
    g_thread_unref(g_thread_new("app-loop", loopThread, NULL));

#define ADD(path, fn, data) \
    g_test_add(path, Daemon, data, daemonSetUp, fn, daemonTearDown)
    ADD("/remote/driver/preamble", testPreamble, NULL);
    ADD("/remote/driver/open-names", testOpenNames, NULL);
    ADD("/remote/driver/calls", testCalls, NULL);
    ADD("/remote/driver/events-callback", testEvents, GINT_TO_POINTER(0));
    ADD("/remote/driver/events-legacy", testEvents, GINT_TO_POINTER(1));
    ADD("/remote/driver/reboot-event", testRebootEvent, NULL);
    ADD("/remote/driver/daemon-death", testDaemonDeath, NULL);
#undef ADD
    return g_test_run();
}
