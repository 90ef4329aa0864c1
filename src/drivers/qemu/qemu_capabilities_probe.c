/* qemu_capabilities_probe.c: run a QEMU binary to learn its capabilities (QMP probe, KVM boot probe) */

/*
 * Thread protocol: called with the cache's lock held
 * (qemu_capabilities_cache.c), on the caller's thread; the probe QEMU's QMP
 * traffic runs on the monitor I/O thread (qemu_monitor.c) and every wait on
 * QEMU has a deadline. Each probe QEMU is reaped (killed first if needed)
 * before its function returns.
 */

#define G_LOG_DOMAIN "virtkit.qemu.caps.probe"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qemu_capabilities_priv.h"
#include "qemu_monitor.h"
#include "virerror.h"
#include "virfile.h"
#include "virprocess.h"
#include "virsecurity.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

static void
qemuCapsReap(pid_t pid, int pidfd, gint64 deadline)
{
    if (virProcessWaitPidfd(pidfd, deadline) != 1) {
        virProcessPidfdKill(pidfd, SIGKILL);
        virProcessWaitPidfd(pidfd, G_MAXINT64);
    }
    virProcessReapPidfd(pidfd, NULL);
    close(pidfd);
}

/* Start @binary with a QMP monitor we are connected to. Returns the
 * connected fd (and pid/pidfd), or -1 with an error reported. */
static int
qemuCapsSpawnQMP(const char *binary, const char *const *extra,
                 const virSecurityIdentity *runAs, pid_t *pid, int *pidfd)
{
    g_autofree char *dir = NULL;
    g_autofree char *sockpath = NULL;
    g_autofree char *chardev = NULL;
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) gerr = NULL;
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    virProcessSpawnOpts opts = { 0 };
    int lfd = -1;
    int cfd = -1;
    int ret = -1;

    if (!(dir = g_dir_make_tmp("virtkit-caps-XXXXXX", &gerr))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot create a probe directory: %s",
                       gerr->message);
        return -1;
    }
    sockpath = g_build_filename(dir, "qmp.sock", NULL);
    g_strlcpy(addr.sun_path, sockpath, sizeof(addr.sun_path));
    if ((lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
        bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 1) < 0) {
        virReportSystemError(errno, "%s", "cannot create the probe monitor socket");
        goto cleanup;
    }
    chardev = g_strdup_printf("socket,id=charmonitor,fd=%d,server=on,wait=off", lfd);
    g_ptr_array_add(argv, g_strdup(binary));
    for (size_t i = 0; extra[i]; i++)
        g_ptr_array_add(argv, g_strdup(extra[i]));
    g_ptr_array_add(argv, g_strdup("-chardev"));
    g_ptr_array_add(argv, g_steal_pointer(&chardev));
    g_ptr_array_add(argv, g_strdup("-mon"));
    g_ptr_array_add(argv, g_strdup("chardev=charmonitor,id=monitor,mode=control"));
    g_ptr_array_add(argv, NULL);

    opts.argv = (const char *const *)argv->pdata;
    opts.logfd = -1;
    opts.keepfds = &lfd;
    opts.nkeepfds = 1;
    opts.dieWithParent = true; /* a probe must not outlive a killed daemon */
    if (runAs)
        virSecurityIdentityApply(runAs, &opts);
    if (virProcessSpawn(&opts, pid, pidfd) < 0)
        goto cleanup;
    if ((cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
        connect(cfd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        virReportSystemError(errno, "%s", "cannot connect to the probe monitor socket");
        if (cfd >= 0)
            close(cfd);
        cfd = -1;
        qemuCapsReap(*pid, *pidfd, 0);
        goto cleanup;
    }
    ret = cfd;

cleanup:
    if (lfd >= 0)
        close(lfd);
    unlink(sockpath);
    rmdir(dir);
    return ret;
}

/* Does -sandbox take every option the command line uses? */
static bool
qemuCapsProbeSandbox(qemuMonitor *mon, int timeout_ms)
{
    static const char *const wanted[] = { "obsolete", "elevateprivileges", "spawn",
                                          "resourcecontrol", NULL };
    g_autoptr(json_object) args = json_object_new_object();
    g_autoptr(json_object) reply = NULL;
    g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);
    json_object *opt;
    json_object *params;

    json_object_object_add(args, "option", json_object_new_string("sandbox"));
    if (qemuMonitorCommand(mon, "query-command-line-options", args, timeout_ms, &reply) <
        0) {
        /* "invalid option name: sandbox": built without seccomp. A probe
         * answer, not a failure: the monitor has no quiet variant, so the
         * error it reported is dropped here (virerror.h rule 4). */
        g_debug("no -sandbox: %s", virGetLastErrorMessage());
        virResetLastError();
        return false;
    }
    if (!json_object_is_type(reply, json_type_array) ||
        json_object_array_length(reply) < 1 ||
        !(opt = json_object_array_get_idx(reply, 0)) ||
        !json_object_object_get_ex(opt, "parameters", &params) ||
        !json_object_is_type(params, json_type_array))
        return false;
    for (size_t i = 0; i < json_object_array_length(params); i++) {
        const char *n = qemuCapsJSONStr(json_object_array_get_idx(params, i), "name");

        if (n)
            g_hash_table_add(names, (gpointer)n);
    }
    for (size_t i = 0; wanted[i]; i++) {
        if (!g_hash_table_contains(names, wanted[i]))
            return false;
    }
    return true;
}

static gint
qemuCapsStrCmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * query-cpu-model-expansion type 'static' of model @name under TCG (what
 * libvirt asks of "max" for its host-model): QEMU's vendor string
 * ("AuthenticAMD") into *vendor and the boolean properties that are true
 * (QEMU's canonical feature names, sorted) into *features. -1 when QEMU
 * cannot expand it (not reported: the model is then only unexpanded).
 */
static int
qemuCapsProbeCPUExpansion(qemuMonitor *mon, const char *name, int timeout_ms,
                          char **vendor, char ***features, char ***names)
{
    g_autoptr(json_object) args = json_object_new_object();
    g_autoptr(json_object) reply = NULL;
    g_autoptr(GPtrArray) feats = g_ptr_array_new();
    g_autoptr(GPtrArray) all = g_ptr_array_new();
    json_object *model = json_object_new_object();
    json_object *m;
    json_object *props;

    json_object_object_add(model, "name", json_object_new_string(name));
    json_object_object_add(args, "type", json_object_new_string("static"));
    json_object_object_add(args, "model", model);
    if (qemuMonitorCommand(mon, "query-cpu-model-expansion", args, timeout_ms, &reply) <
        0) {
        /* a model QEMU cannot expand (virerror.h rule 4) */
        virResetLastError();
        return -1;
    }
    if (!json_object_object_get_ex(reply, "model", &m) ||
        !json_object_object_get_ex(m, "props", &props) ||
        !json_object_is_type(props, json_type_object))
        return -1;
    json_object_object_foreach(props, key, val)
    {
        if (json_object_is_type(val, json_type_boolean) && json_object_get_boolean(val))
            g_ptr_array_add(feats, g_strdup(key));
        if (json_object_is_type(val, json_type_boolean) && names)
            g_ptr_array_add(all, g_strdup(key));
    }
    g_ptr_array_sort(feats, qemuCapsStrCmp);
    g_ptr_array_add(feats, NULL);
    if (names) {
        g_ptr_array_sort(all, qemuCapsStrCmp);
        g_ptr_array_add(all, NULL);
        *names = (char **)g_ptr_array_free(g_steal_pointer(&all), FALSE);
    }
    *vendor = g_strdup(qemuCapsJSONStr(props, "vendor"));
    *features = (char **)g_ptr_array_free(g_steal_pointer(&feats), FALSE);
    return 0;
}

/* libvirt's CPU map name of QEMU's vendor string; NULL for others. */
static int
qemuCapsProbeQMP(qemuCaps *caps, qemuMonitor *mon, int timeout_ms)
{
    g_autoptr(json_object) ver = NULL;
    g_autoptr(json_object) machines = NULL;
    g_autoptr(json_object) cmds = NULL;
    g_autoptr(json_object) types = NULL;
    g_autoptr(json_object) cpuDefs = NULL;
    g_autoptr(json_object) args = json_object_new_object();
    json_object *q;

    if (qemuMonitorCommand(mon, "query-version", NULL, timeout_ms, &ver) < 0 ||
        qemuMonitorCommand(mon, "query-machines", NULL, timeout_ms, &machines) < 0 ||
        qemuMonitorCommand(mon, "query-commands", NULL, timeout_ms, &cmds) < 0)
        return -1;
    json_object_object_add(args, "implements", json_object_new_string("accel"));
    if (qemuMonitorCommand(mon, "qom-list-types", args, timeout_ms, &types) < 0 ||
        qemuMonitorCommand(mon, "query-cpu-definitions", NULL, timeout_ms, &cpuDefs) < 0)
        return -1;
    caps->sandbox = qemuCapsProbeSandbox(mon, timeout_ms);
    caps->sandboxKnown = true;

    if (!json_object_object_get_ex(ver, "qemu", &q) ||
        !json_object_is_type(machines, json_type_array) ||
        !json_object_is_type(cmds, json_type_array) ||
        !json_object_is_type(types, json_type_array) ||
        !json_object_is_type(cpuDefs, json_type_array)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "unexpected QMP probe replies from '%s'",
                       caps->binary);
        return -1;
    }
    {
        int maj = json_object_get_int(json_object_object_get(q, "major"));
        int min = json_object_get_int(json_object_object_get(q, "minor"));
        int mic = json_object_get_int(json_object_object_get(q, "micro"));

        caps->version = maj * 1000000UL + min * 1000UL + mic;
        caps->versionString = g_strdup_printf("%d.%d.%d", maj, min, mic);
        g_free(caps->package);
        caps->package = g_strdup(
            qemuCapsJSONStr(ver, "package") ? qemuCapsJSONStr(ver, "package") : "");
    }
    for (size_t i = 0; i < json_object_array_length(machines); i++) {
        json_object *mo = json_object_array_get_idx(machines, i);
        qemuCapsMachine *m;

        if (!qemuCapsJSONStr(mo, "name") ||
            g_str_equal(qemuCapsJSONStr(mo, "name"), "none"))
            continue;
        m = g_new0(qemuCapsMachine, 1);
        m->name = g_strdup(qemuCapsJSONStr(mo, "name"));
        m->alias = g_strdup(qemuCapsJSONStr(mo, "alias"));
        m->isDefault = json_object_get_boolean(json_object_object_get(mo, "is-default"));
        m->maxCpus = json_object_get_int(json_object_object_get(mo, "cpu-max"));
        m->deprecated = json_object_get_boolean(json_object_object_get(mo, "deprecated"));
        for (size_t j = 0; j < 2 && qemuCapsJSONStr(mo, "default-cpu-type"); j++) {
            static const char *const suffix[] = { "-x86_64-cpu", "-i386-cpu" };
            const char *t = qemuCapsJSONStr(mo, "default-cpu-type");

            if (g_str_has_suffix(t, suffix[j]))
                m->defaultCPU = g_strndup(t, strlen(t) - strlen(suffix[j]));
        }
        g_ptr_array_add(caps->machines, m);
    }
    caps->cpuModels = g_ptr_array_new_with_free_func(qemuCapsCPUModelFree);
    for (size_t i = 0; i < json_object_array_length(cpuDefs); i++) {
        json_object *co = json_object_array_get_idx(cpuDefs, i);
        json_object *unavail = NULL;
        qemuCapsCPUModel *m;

        if (!qemuCapsJSONStr(co, "name"))
            continue;
        m = g_new0(qemuCapsCPUModel, 1);
        m->name = g_strdup(qemuCapsJSONStr(co, "name"));
        m->aliasOf = g_strdup(qemuCapsJSONStr(co, "alias-of"));
        /* usable under TCG: nothing QEMU would have to drop */
        m->usable = json_object_object_get_ex(co, "unavailable-features", &unavail) &&
                    json_object_is_type(unavail, json_type_array) &&
                    json_object_array_length(unavail) == 0;
        m->blockers = qemuCapsStrvFromJSON(unavail);
        if (qemuCapsCPUModelIsNamed(m->name)) {
            g_autofree char *v = NULL;

            if (qemuCapsProbeCPUExpansion(mon, m->name, timeout_ms, &v, &m->features,
                                          NULL) == 0)
                m->vendor = g_strdup(qemuCapsCPUVendorName(v));
        }
        m->deprecated = json_object_get_boolean(json_object_object_get(co, "deprecated"));
        g_ptr_array_add(caps->cpuModels, m);
    }
    if (qemuCapsProbeCPUExpansion(mon, "max", timeout_ms, &caps->hostCPUVendor,
                                  &caps->hostCPUFeatures, &caps->cpuFeatureNames) < 0)
        g_debug("QEMU '%s' cannot expand CPU model max: host-model unavailable",
                caps->binary);
    caps->hostCPUKnown = true;
    for (size_t i = 0; i < json_object_array_length(cmds); i++) {
        const char *n = qemuCapsJSONStr(json_object_array_get_idx(cmds, i), "name");

        if (n)
            g_hash_table_add(caps->commands, g_strdup(n));
    }
    for (size_t i = 0; i < json_object_array_length(types); i++) {
        const char *n = qemuCapsJSONStr(json_object_array_get_idx(types, i), "name");

        if (n && g_str_has_suffix(n, "-accel"))
            g_hash_table_add(caps->accels, g_strndup(n, strlen(n) - strlen("-accel")));
    }
    return 0;
}

/* A probe QEMU that did not answer in time: add what the kernel says of
 * the process (its state and where it sleeps) to the timeout error, so a
 * report tells a stopped or blocked QEMU from a slow one (str2 is the
 * detail without the code's prefix, as virReportError sets it). Other
 * errors are left as they are. */
static void
qemuCapsTimeoutDetail(const char *binary, pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%lld/stat", (long long)pid);
    g_autofree char *wpath = g_strdup_printf("/proc/%lld/wchan", (long long)pid);
    g_autofree char *stat = NULL;
    g_autofree char *wchan = NULL;
    g_autofree char *msg = NULL;
    const char *close_paren;
    virErrorPtr err = virGetLastError();

    if (!err || err->code != VIR_ERR_OPERATION_TIMEOUT)
        return;
    if (!g_file_get_contents(path, &stat, NULL, NULL) ||
        !(close_paren = strrchr(stat, ')')) || close_paren[1] != ' ' || !close_paren[2])
        return;
    if (!g_file_get_contents(wpath, &wchan, NULL, NULL))
        wchan = g_strdup("?");
    msg = g_strdup_printf("%s (probing '%s': pid %lld in state %c, waiting in %s)",
                          err->str2 ? err->str2 : err->message, binary, (long long)pid,
                          close_paren[2], *wchan ? wchan : "-");
    virReportError(VIR_ERR_OPERATION_TIMEOUT, "%s", msg);
}

qemuCaps *
qemuCapsProbe(const char *binary, const qemuCapsIdentity *id,
              const virSecurityIdentity *runAs)
{
    static const char *const extra[] = {
        "-machine", "none", "-nodefaults", "-no-user-config", "-display", "none", "-S",
        "-accel",   "tcg",  NULL
    };
    gint64 deadline = g_get_monotonic_time() + QEMU_CAPS_PROBE_TIMEOUT_MS * 1000LL;
    g_autoptr(qemuCaps) caps = qemuCapsNew();
    qemuMonitor *mon;
    pid_t pid;
    int pidfd;
    int fd;
    int rc;

    caps->binary = g_strdup(binary);
    caps->inode = id->inode;
    caps->size = id->size;
    caps->mtimeNs = id->mtimeNs;
    caps->ctimeNs = id->ctimeNs;
    caps->runUid = runAs ? (gint64)runAs->uid : -1;
    caps->runGid = runAs ? (gint64)runAs->gid : -1;

    if ((fd = qemuCapsSpawnQMP(binary, extra, runAs, &pid, &pidfd)) < 0)
        return NULL;
    if (!(mon = qemuMonitorOpen(fd, NULL, NULL, QEMU_CAPS_PROBE_TIMEOUT_MS))) {
        qemuCapsTimeoutDetail(binary, pid);
        qemuCapsReap(pid, pidfd, 0);
        return NULL;
    }
    rc = qemuCapsProbeQMP(caps, mon, QEMU_CAPS_PROBE_TIMEOUT_MS);
    if (rc == 0)
        qemuMonitorQuit(mon);
    else
        qemuCapsTimeoutDetail(binary, pid);
    qemuMonitorClose(mon);
    qemuCapsReap(pid, pidfd, rc == 0 ? deadline : 0);
    if (rc < 0)
        return NULL;
    if (caps->machines->len == 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "QEMU binary '%s' reports no machine types", binary);
        return NULL;
    }
    g_debug("probed %s: version %lu, %u machines", binary, caps->version,
            caps->machines->len);
    return g_steal_pointer(&caps);
}

/* ---- KVM ------------------------------------------------------------ */

/*
 * The probe guest: a floppy-sized disk whose boot sector writes 1 to an
 * isa-debug-exit port (QEMU then exits with status (1 << 1) | 1 = 3). The
 * default firmware (SeaBIOS) runs first, so the probe executes real-mode
 * and protected-mode firmware code, PCI and timer setup under the
 * accelerator, not only one instruction at the reset vector.
 */
static const unsigned char qemuCapsProbeBootCode[] = {
    0xb0, 0x01, /* mov al, 1 */
    0xe6, 0xf4, /* out 0xf4, al */
    0xf4,       /* hlt */
    0xeb, 0xfe, /* jmp $ */
};

/* Run the probe guest under @accel with a deadline. Returns the elapsed
 * time in µs if it reached the exit port, or -1 (*why set). */
static gint64
qemuCapsRunProbeGuest(const char *binary, const char *image, const char *accel,
                      const virSecurityIdentity *runAs, gint64 timeout_us, char **why)
{
    g_autofree char *drive =
        g_strdup_printf("if=none,id=probe0,file=%s,format=raw", image);
    const char *argv[] = { binary,
                           "-machine",
                           "pc",
                           "-accel",
                           accel,
                           "-nodefaults",
                           "-no-user-config",
                           "-display",
                           "none",
                           "-m",
                           "16",
                           "-device",
                           "isa-debug-exit,iobase=0xf4,iosize=0x01",
                           "-drive",
                           drive,
                           "-device",
                           "ide-hd,drive=probe0",
                           NULL };
    virProcessSpawnOpts opts = { .argv = argv, .logfd = -1, .dieWithParent = true };
    gint64 start = g_get_monotonic_time();
    pid_t pid;
    int pidfd;
    int status = 0;
    int rc;

    if (runAs)
        virSecurityIdentityApply(runAs, &opts);
    if (virProcessSpawn(&opts, &pid, &pidfd) < 0) {
        *why = g_strdup_printf("cannot start '%s': %s", binary, virGetLastErrorMessage());
        virResetLastError();
        return -1;
    }
    rc = virProcessWaitPidfd(pidfd, start + timeout_us);
    if (rc != 1) {
        virProcessPidfdKill(pidfd, SIGKILL);
        virProcessWaitPidfd(pidfd, G_MAXINT64);
        virProcessReapPidfd(pidfd, NULL);
        close(pidfd);
        virResetLastError();
        *why = g_strdup_printf("a probe guest did not run under %s within %lld ms", accel,
                               (long long)(timeout_us / 1000));
        return -1;
    }
    virProcessReapPidfd(pidfd, &status);
    close(pidfd);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 3) {
        *why = g_strdup_printf("a probe guest under %s ended with status 0x%x, not by "
                               "running its code",
                               accel, status);
        return -1;
    }
    return g_get_monotonic_time() - start;
}

void
qemuCapsProbeKVM(qemuCaps *caps, const virSecurityIdentity *runAs)
{
    g_autofree char *dir = NULL;
    g_autofree char *image = NULL;
    g_autofree char *data = g_malloc0(512 * 2880);
    g_autofree char *why = NULL;
    gint64 tcg;
    gint64 kvm;
    gint64 budget;

    caps->kvmProbed = true;
    caps->kvmUsable = false;
    if (!qemuCapsHasAccel(caps, "kvm")) {
        caps->kvmWhy = g_strdup("QEMU was built without KVM");
        return;
    }
    if (access("/dev/kvm", R_OK | W_OK) < 0) {
        caps->kvmWhy = g_strdup_printf("/dev/kvm is not usable: %s", g_strerror(errno));
        return;
    }
    if (!(dir = g_dir_make_tmp("virtkit-kvmprobe-XXXXXX", NULL))) {
        caps->kvmWhy = g_strdup("cannot create a directory for the KVM probe");
        return;
    }
    image = g_build_filename(dir, "boot.img", NULL);
    memcpy(data, qemuCapsProbeBootCode, sizeof(qemuCapsProbeBootCode));
    data[510] = 0x55;
    data[511] = (char)0xaa;
    if (!g_file_set_contents(image, data, 512 * 2880, NULL)) {
        caps->kvmWhy = g_strdup("cannot write the KVM probe image");
        rmdir(dir);
        return;
    }
    /* the probe QEMU runs as the guests' user: its scratch files are its own */
    if (runAs && (chown(dir, runAs->uid, runAs->gid) < 0 ||
                  chown(image, runAs->uid, runAs->gid) < 0)) {
        caps->kvmWhy = g_strdup_printf("cannot hand the KVM probe image to uid %u: %s",
                                       (unsigned int)runAs->uid, g_strerror(errno));
        goto cleanup;
    }

    /* The same guest under TCG validates the probe and sets the yardstick:
     * a working KVM runs firmware faster than TCG; a broken one (as on
     * hosts where guests hang under KVM) is far slower or never finishes. */
    if ((tcg = qemuCapsRunProbeGuest(caps->binary, image, "tcg", runAs,
                                     QEMU_CAPS_PROBE_TIMEOUT_MS * 1000LL, &why)) < 0) {
        caps->kvmWhy = g_strdup_printf("the KVM probe itself failed (%s)", why);
        goto cleanup;
    }
    budget = MAX(2 * tcg + 500 * 1000, 1000 * 1000);
    budget = MIN(budget, QEMU_CAPS_KVM_PROBE_TIMEOUT_MS * 1000LL);
    if ((kvm = qemuCapsRunProbeGuest(caps->binary, image, "kvm", runAs, budget, &why)) <
        0) {
        caps->kvmWhy = g_strdup_printf("KVM is present but %s (TCG: %lld ms)", why,
                                       (long long)(tcg / 1000));
        goto cleanup;
    }
    caps->kvmUsable = true;
    g_debug("KVM probe: kvm %lld us, tcg %lld us", (long long)kvm, (long long)tcg);

cleanup:
    unlink(image);
    rmdir(dir);
}
