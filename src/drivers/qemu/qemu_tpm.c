/* qemu_tpm.c: <tpm> devices: their rules, command line, and the swtpm behind an emulator one */
/*
 * Threads: see qemu_tpm.h (API threads with the domain locked and a job
 * held; bounded waits on swtpm_setup and swtpm only; the exit watch on the
 * driver's ioContext touches only its own record).
 */

#define G_LOG_DOMAIN "virtkit.qemu.tpm"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gstdio.h>

#include "datatypes.h"
#include "driver.h"
#include "qemu_domain.h"
#include "qemu_process.h"
#include "qemu_tpm.h"
#include "secret_conf.h"
#include "virerror.h"
#include "virprocess.h"
#include "virsecurity.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* swtpm_setup makes an EK (RSA 2048) and two certificates: ~2.5 s here,
 * far longer on a loaded host */
#define TPM_SETUP_WAIT_US (120 * G_USEC_PER_SEC)
/* libvirt waits 1 s for the socket; a loaded host needs more */
#define TPM_SOCKET_WAIT_US (30 * G_USEC_PER_SEC)
#define TPM_SOCKET_POLL_US (10 * 1000)
/* after QEMU is gone swtpm ends by itself (--terminate) */
#define TPM_EXIT_WAIT_US (2 * G_USEC_PER_SEC)
#define TPM_TERM_WAIT_US (5 * G_USEC_PER_SEC)

/* ---- rules ---------------------------------------------------------- */

void
qemuTPMDefPostParse(virDomainDef *def)
{
    for (size_t i = 0; i < def->ntpms; i++) {
        virDomainTPMDef *tpm = def->tpms[i];

        if (tpm->model == VIR_DOMAIN_TPM_MODEL_DEFAULT)
            tpm->model = VIR_DOMAIN_TPM_MODEL_TIS;
        /* TPM 1.2 and 2.0 are not compatible: a version is chosen here */
        if (tpm->type == VIR_DOMAIN_TPM_TYPE_EMULATOR &&
            tpm->version == VIR_DOMAIN_TPM_VERSION_DEFAULT)
            tpm->version = tpm->model == VIR_DOMAIN_TPM_MODEL_CRB ||
                                   tpm->model == VIR_DOMAIN_TPM_MODEL_SPAPR
                               ? VIR_DOMAIN_TPM_VERSION_2_0
                               : VIR_DOMAIN_TPM_VERSION_1_2;
    }
}

static int swtpmVersions = -1; /* bit per virDomainTPMVersion; -1: not probed */
static GMutex swtpmLock;

static bool
swtpmToolsPresent(void)
{
    static const char *const tools[] = { "swtpm", "swtpm_setup", "swtpm_ioctl" };

    for (size_t i = 0; i < G_N_ELEMENTS(tools); i++) {
        g_autofree char *p = g_find_program_in_path(tools[i]);

        if (!p)
            return false;
    }
    return true;
}

bool
qemuTPMHasSwtpm(void)
{
    return swtpmToolsPresent();
}

bool
qemuTPMSwtpmHasVersion(int version)
{
    int v;

    g_mutex_lock(&swtpmLock);
    if (swtpmVersions < 0) {
        g_autofree char *setup = g_find_program_in_path("swtpm_setup");
        g_autofree char *out = NULL;
        const char *argv[] = { setup, "--print-capabilities", NULL };

        swtpmVersions = 0;
        if (setup &&
            g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                         NULL, &out, NULL, NULL, NULL) &&
            out) {
            if (strstr(out, "\"tpm-1.2\""))
                swtpmVersions |= 1 << VIR_DOMAIN_TPM_VERSION_1_2;
            if (strstr(out, "\"tpm-2.0\""))
                swtpmVersions |= 1 << VIR_DOMAIN_TPM_VERSION_2_0;
        }
    }
    v = swtpmVersions;
    g_mutex_unlock(&swtpmLock);
    return (v & (1 << version)) != 0;
}

int
qemuTPMValidate(const virDomainDef *def, const char *emulator)
{
    bool regular = false;
    bool proxy = false;
    bool swtpm = def->ntpms && swtpmToolsPresent();

    /* the domain-wide rule first (libvirt's domain validate callback) */
    for (size_t i = 0; i < def->ntpms; i++) {
        bool *seen =
            def->tpms[i]->model == VIR_DOMAIN_TPM_MODEL_SPAPR_PROXY ? &proxy : &regular;

        if (*seen) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           proxy && seen == &proxy
                               ? "only a single TPM Proxy device is supported"
                               : "only a single TPM non-proxy device is supported");
            return -1;
        }
        *seen = true;
    }
    for (size_t i = 0; i < def->ntpms; i++) {
        const virDomainTPMDef *tpm = def->tpms[i];
        const char *model = virDomainTPMModelToString(tpm->model);

        if (tpm->type == VIR_DOMAIN_TPM_TYPE_EMULATOR) {
            if (!swtpm || !qemuTPMSwtpmHasVersion(tpm->version)) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               "TPM version '%s' is not supported",
                               virDomainTPMVersionToString(tpm->version));
                return -1;
            }
            if (tpm->version == VIR_DOMAIN_TPM_VERSION_1_2) {
                if (tpm->model == VIR_DOMAIN_TPM_MODEL_CRB) {
                    virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                                   "Unsupported interface '%s' for TPM 1.2", model);
                    return -1;
                }
                if (tpm->model == VIR_DOMAIN_TPM_MODEL_SPAPR) {
                    virReportError(
                        VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                        "TPM 1.2 is not supported with the SPAPR device model");
                    return -1;
                }
            }
        }
        if (tpm->type != VIR_DOMAIN_TPM_TYPE_PASSTHROUGH && !swtpm) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "The QEMU executable %s does not support TPM backend type %s",
                           emulator, virDomainTPMBackendTypeToString(tpm->type));
            return -1;
        }
        /* qemu-system-x86_64 and -i386 have tpm-tis and tpm-crb only */
        if (tpm->model != VIR_DOMAIN_TPM_MODEL_TIS &&
            tpm->model != VIR_DOMAIN_TPM_MODEL_CRB) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "The QEMU executable %s does not support TPM model %s",
                           emulator, model);
            return -1;
        }
        /* libvirt's generic device rules come after the driver's */
        if (tpm->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "TPM devices do not support an address on x86 (virtkit)");
            return -1;
        }
    }
    return virDomainTPMsValidate(def, true);
}

/* ---- command line ------------------------------------------------------ */

char *
qemuTPMSocketPath(const char *libDir, const virDomainTPMDef *tpm)
{
    return g_strdup_printf("%s/%s-swtpm.sock", libDir, tpm->alias ? tpm->alias : "tpm0");
}

/* libvirt's qemuBuildTPMOpenBackendFDs, up to the point this machine
 * reaches (no host TPM): the cancel path's name, then the device */
static int
tpmPassthroughCheck(const virDomainTPMDef *tpm)
{
    int fd;

    if (!strrchr(tpm->path, '/')) {
        virReportErrorFull(VIR_FROM_TPM, VIR_ERR_INTERNAL_ERROR, __func__,
                           "TPM device path %s is invalid", tpm->path);
        return -1;
    }
    if ((fd = open(tpm->path, O_RDWR | O_CLOEXEC)) < 0) {
        virReportSystemError(errno, "Could not open TPM device %s", tpm->path);
        return -1;
    }
    close(fd);
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                   "passing the host TPM %s through is not supported by virtkit",
                   tpm->path);
    return -1;
}

int
qemuBuildTPMs(GPtrArray *a, const virDomainDef *def, const char *libDir)
{
    for (size_t i = 0; i < def->ntpms; i++) {
        const virDomainTPMDef *tpm = def->tpms[i];
        g_autofree char *alias =
            tpm->alias ? g_strdup(tpm->alias) : g_strdup_printf("tpm%zu", i);
        g_autofree char *sock = NULL;

        switch (tpm->type) {
        case VIR_DOMAIN_TPM_TYPE_PASSTHROUGH:
            if (tpmPassthroughCheck(tpm) < 0)
                return -1;
            break;
        case VIR_DOMAIN_TPM_TYPE_EMULATOR:
            sock = g_strdup_printf("%s/%s-swtpm.sock", libDir, alias);
            break;
        case VIR_DOMAIN_TPM_TYPE_EXTERNAL:
            sock = g_strdup(tpm->path);
            break;
        }
        g_ptr_array_add(a, g_strdup("-chardev"));
        {
            GString *s = g_string_new("socket,id=chrtpm,path=");

            for (const char *p = sock; *p; p++) {
                if (*p == ',')
                    g_string_append_c(s, ',');
                g_string_append_c(s, *p);
            }
            g_ptr_array_add(a, g_string_free(s, FALSE));
        }
        g_ptr_array_add(a, g_strdup("-tpmdev"));
        g_ptr_array_add(a, g_strdup_printf("emulator,id=tpm-%s,chardev=chrtpm", alias));
        g_ptr_array_add(a, g_strdup("-device"));
        g_ptr_array_add(a, g_strdup_printf("%s,tpmdev=tpm-%s,id=%s",
                                           virDomainTPMModelToString(tpm->model), alias,
                                           alias));
    }
    return 0;
}

/* ---- paths ------------------------------------------------------------- */

/* <daemon state dir>: the parent of the driver's lib dir (/var/lib/virtkit) */
static char *
tpmBaseDir(qemuDriver *driver)
{
    return g_path_get_dirname(driver->libDir);
}

char *
qemuTPMStorageDir(qemuDriver *driver, const unsigned char *uuid)
{
    g_autofree char *base = tpmBaseDir(driver);
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    return g_build_filename(base, "swtpm", virUUIDFormat(uuid, uuidstr), NULL);
}

static char *
tpmStatePath(qemuDriver *driver, const virDomainDef *def, const virDomainTPMDef *tpm)
{
    g_autofree char *dir = qemuTPMStorageDir(driver, def->uuid);

    return g_build_filename(
        dir, tpm->version == VIR_DOMAIN_TPM_VERSION_2_0 ? "tpm2" : "tpm1.2", NULL);
}

static char *
tpmConfigHome(qemuDriver *driver)
{
    g_autofree char *base = tpmBaseDir(driver);

    return g_build_filename(base, "swtpm-localca", NULL);
}

static char *
tpmLogPath(qemuDriver *driver, const virDomainDef *def)
{
    return g_strdup_printf("%s/%s-swtpm.log", driver->logDir, def->name);
}

static char *
tpmPidPath(qemuDriver *driver, const virDomainDef *def)
{
    /* libvirt's short name: "<id>-<first 20 bytes of the name>" */
    return g_strdup_printf("%s/%d-%.20s-swtpm.pid", driver->stateDir, def->id, def->name);
}

static virDomainTPMDef *
tpmEmulator(const virDomainDef *def)
{
    for (size_t i = 0; i < def->ntpms; i++) {
        if (def->tpms[i]->type == VIR_DOMAIN_TPM_TYPE_EMULATOR)
            return def->tpms[i];
    }
    return NULL;
}

/* ---- the swtpm record -------------------------------------------------- */

struct _qemuTPMProc {
    gint refs;
    pid_t pid;
    int pidfd;
    bool child; /* spawned by this daemon (else adopted after a restart) */
    char *what; /* "swtpm 123 of domain 'g'" */
    GSource *watch;
};

static qemuTPMProc *
tpmProcRef(qemuTPMProc *p)
{
    g_atomic_int_inc(&p->refs);
    return p;
}

static void
tpmProcUnref(gpointer data)
{
    qemuTPMProc *p = data;

    if (!p || !g_atomic_int_dec_and_test(&p->refs))
        return;
    if (p->pidfd >= 0)
        close(p->pidfd);
    g_free(p->what);
    g_free(p);
}

void
qemuTPMProcFree(qemuTPMProc *p)
{
    if (!p)
        return;
    if (p->watch) {
        g_source_destroy(p->watch);
        g_source_unref(g_steal_pointer(&p->watch));
    }
    tpmProcUnref(p);
}

static gboolean
tpmExited(gint fd G_GNUC_UNUSED, GIOCondition cond G_GNUC_UNUSED, gpointer data)
{
    qemuTPMProc *p = data;
    int status = 0;

    /* a stop may have reaped it first (ECHILD then): nothing to say */
    if (p->child && virProcessReapPidfd(p->pidfd, &status) == 1 &&
        !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
        VIR_NOTICE("%s ended: %s %d", p->what,
                   WIFSIGNALED(status) ? "signal" : "exit status",
                   WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    else
        g_debug("%s ended", p->what);
    return G_SOURCE_REMOVE;
}

static void
tpmWatch(qemuDriver *driver, qemuTPMProc *p)
{
    p->watch = g_unix_fd_source_new(p->pidfd, G_IO_IN);
    g_source_set_callback(p->watch, G_SOURCE_FUNC(tpmExited), tpmProcRef(p),
                          tpmProcUnref);
    g_source_attach(p->watch, driver->ioContext);
}

/* End @p: a moment for it to end by itself (QEMU gone), SIGTERM, SIGKILL
 * if it lingers; reaped when ours. */
static void
tpmProcKill(qemuTPMProc *p)
{
    if (p->watch) {
        g_source_destroy(p->watch);
        g_source_unref(g_steal_pointer(&p->watch));
    }
    if (!virProcessPidfdHasExited(p->pidfd) &&
        virProcessWaitPidfd(p->pidfd, g_get_monotonic_time() + TPM_EXIT_WAIT_US) == 0) {
        virProcessPidfdKill(p->pidfd, SIGTERM);
        if (virProcessWaitPidfd(p->pidfd, g_get_monotonic_time() + TPM_TERM_WAIT_US) ==
            0) {
            virProcessPidfdKill(p->pidfd, SIGKILL);
            if (virProcessWaitPidfd(p->pidfd,
                                    g_get_monotonic_time() + TPM_TERM_WAIT_US) == 0)
                VIR_NOTICE("%s did not exit after SIGKILL", p->what);
        }
    }
    if (p->child)
        virProcessReapPidfd(p->pidfd, NULL);
}

/* ---- helpers ----------------------------------------------------------- */

/* The environment of swtpm_setup: its configuration (and its local CA's)
 * under @configHome instead of the invoking user's home */
static char **
tpmSetupEnv(const char *configHome)
{
    char **env = g_new0(char *, 4);

    env[0] =
        g_strdup("PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin");
    env[1] = g_strdup_printf("XDG_CONFIG_HOME=%s", configHome);
    env[2] = g_strdup_printf("HOME=%s", configHome);
    return env;
}

/* A pipe whose read end holds @len bytes of @data (a secret is far below
 * the pipe's capacity); the read end, or -1 with an error */
static int
tpmSecretPipe(const unsigned char *data, size_t len)
{
    int fds[2];

    if (pipe2(fds, O_CLOEXEC) < 0) {
        virReportSystemError(errno, "%s", "cannot create a pipe");
        return -1;
    }
    if (len > 4096 || write(fds[1], data, len) != (ssize_t)len) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "cannot hand the TPM secret over");
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    close(fds[1]);
    return fds[0];
}

/* The value of the vTPM secret @uuid (libvirt's virSecretGetSecretString
 * with VIR_SECRET_USAGE_TYPE_VTPM); NULL with the secret driver's error */
static unsigned char *
tpmSecretValue(const unsigned char *uuid, size_t *len)
{
    const virSecretDriver *sd = virGetSharedSecretDriver();
    virConnectPtr conn;
    virSecretPtr sec;
    unsigned char *value = NULL;

    if (!sd || !sd->secretLookupByUUID || !sd->secretGetValueInternal) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "an encrypted TPM state needs a secret driver (virtkitd's)");
        return NULL;
    }
    conn = virGetConnect();
    conn->secretDriver = sd;
    if ((sec = sd->secretLookupByUUID(conn, uuid))) {
        if (sec->usageType != VIR_SECRET_USAGE_TYPE_NONE &&
            sec->usageType != VIR_SECRET_USAGE_TYPE_VTPM) {
            char uuidstr[VIR_UUID_STRING_BUFLEN];

            virReportErrorFull(
                VIR_FROM_SECRET, VIR_ERR_INVALID_ARG, __func__,
                "secret with uuid %s is of type '%s' not expected '%s' type",
                virUUIDFormat(uuid, uuidstr), virSecretUsageTypeToString(sec->usageType),
                "vtpm");
        } else {
            value = sd->secretGetValueInternal(sec, len);
        }
        virObjectUnrefSecret(sec);
    }
    virObjectUnrefConnect(conn);
    return value;
}

/* Run @argv (as the QEMU user when there is one) with @keep inherited,
 * output appended to @logPath (by descriptor: swtpm_setup logs to its
 * output without --logfile, and our log directory is not the QEMU
 * user's), and wait for it. 0 when it exited 0;
 * otherwise -1 with libvirt's "Could not run ..." error. */
static int
tpmRunSetup(qemuDriver *driver, const char *const *argv, const int *keep, size_t nkeep,
            const char *logPath, const char *what)
{
    g_auto(GStrv) env = NULL;
    g_autofree char *configHome = tpmConfigHome(driver);
    virProcessSpawnOpts opts = { 0 };
    int status = -1;
    pid_t pid;
    int pidfd;
    int logfd;
    int rc;

    if ((logfd = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0) {
        virReportSystemError(errno, "failed to create logfile %s", logPath);
        return -1;
    }
    env = tpmSetupEnv(configHome);
    opts.argv = argv;
    opts.envp = (const char *const *)env;
    opts.cwd = "/";
    opts.logfd = logfd;
    opts.keepfds = keep;
    opts.nkeepfds = nkeep;
    opts.newSession = true;
    opts.clearCaps = true;
    if (driver->runAs)
        virSecurityIdentityApply(driver->runAs, &opts);
    rc = virProcessSpawn(&opts, &pid, &pidfd);
    close(logfd);
    if (rc < 0)
        return -1;
    if (virProcessWaitPidfd(pidfd, g_get_monotonic_time() + TPM_SETUP_WAIT_US) != 1)
        virProcessPidfdKill(pidfd, SIGKILL);
    while (virProcessReapPidfd(pidfd, &status) == 0)
        virProcessWaitPidfd(pidfd, g_get_monotonic_time() + TPM_TERM_WAIT_US);
    close(pidfd);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    virReportError(
        VIR_ERR_INTERNAL_ERROR,
        "Could not run '%s'%s. exitstatus: %d; Check error log '%s' for details.",
        argv[0], what, WIFEXITED(status) ? WEXITSTATUS(status) : -1, logPath);
    return -1;
}

/* mkdir -p @path (@mode) owned by the QEMU user when there is one */
static int
tpmMakeDir(qemuDriver *driver, const char *path, int mode)
{
    if (g_mkdir_with_parents(path, mode) < 0) {
        virReportSystemError(errno, "Could not create TPM directory %s", path);
        return -1;
    }
    if (driver->runAs && chown(path, driver->runAs->uid, driver->runAs->gid) < 0) {
        virReportSystemError(errno, "Could not chown on TPM directory %s", path);
        return -1;
    }
    return 0;
}

static void
tpmRemoveTree(const char *path)
{
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *child = g_build_filename(path, name, NULL);

        if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
            !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
            tpmRemoveTree(child);
        else
            g_unlink(child);
    }
    g_rmdir(path);
}

/* swtpm_setup's configuration files and local CA, once */
static int
tpmEnsureConfig(qemuDriver *driver, const char *setup, const char *logPath)
{
    g_autofree char *home = tpmConfigHome(driver);
    g_autofree char *conf = g_build_filename(home, "swtpm_setup.conf", NULL);
    const char *argv[] = { setup, "--create-config-files", "skip-if-exist", NULL };

    if (g_file_test(conf, G_FILE_TEST_EXISTS))
        return 0;
    if (tpmMakeDir(driver, home, 0700) < 0)
        return -1;
    return tpmRunSetup(driver, argv, NULL, 0, logPath, " to create config files");
}

/* ---- start / stop ------------------------------------------------------ */

/* Manufacture (when new) and reconfigure the state of @tpm. */
static int
tpmPrepareState(qemuDriver *driver, virDomainObj *obj, virDomainTPMDef *tpm,
                const char *setup, const char *statePath, const char *logPath,
                const unsigned char *secret, size_t secretLen, bool *created)
{
    g_autofree char *storage = qemuTPMStorageDir(driver, obj->def->uuid);
    g_autofree char *base = g_path_get_dirname(storage);
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    g_autofree char *vmid = NULL;
    g_autofree char *banks = NULL;
    g_autoptr(GPtrArray) argv = NULL;
    int keep[1];
    int fd = -1;
    int rc;

    *created = !g_file_test(statePath, G_FILE_TEST_IS_DIR);
    /* others may enter the base (libvirt's 0711), not the domain's state */
    if (g_mkdir_with_parents(base, 0711) < 0) {
        virReportSystemError(errno, "Could not create TPM directory %s", base);
        return -1;
    }
    if (tpmMakeDir(driver, storage, 0711) < 0 || tpmMakeDir(driver, statePath, 0700) < 0)
        return -1;
    if (*created) {
        if (tpmEnsureConfig(driver, setup, logPath) < 0)
            return -1;
        argv = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(argv, g_strdup(setup));
        if (tpm->version == VIR_DOMAIN_TPM_VERSION_2_0)
            g_ptr_array_add(argv, g_strdup("--tpm2"));
        if (secret) {
            if ((fd = tpmSecretPipe(secret, secretLen)) < 0)
                return -1;
            g_ptr_array_add(argv, g_strdup("--pwdfile-fd"));
            g_ptr_array_add(argv, g_strdup_printf("%d", fd));
            g_ptr_array_add(argv, g_strdup("--cipher"));
            g_ptr_array_add(argv, g_strdup("aes-256-cbc"));
        }
        vmid = g_strdup_printf("%s:%s", obj->def->name,
                               virUUIDFormat(obj->def->uuid, uuidstr));
        g_ptr_array_add(argv, g_strdup("--tpm-state"));
        g_ptr_array_add(argv, g_strdup(statePath));
        g_ptr_array_add(argv, g_strdup("--vmid"));
        g_ptr_array_add(argv, g_strdup(vmid));
        g_ptr_array_add(argv, g_strdup("--createek"));
        g_ptr_array_add(argv, g_strdup("--create-ek-cert"));
        g_ptr_array_add(argv, g_strdup("--create-platform-cert"));
        g_ptr_array_add(argv, g_strdup("--lock-nvram"));
        g_ptr_array_add(argv, g_strdup("--not-overwrite"));
        g_ptr_array_add(argv, NULL);
        keep[0] = fd;
        rc = tpmRunSetup(driver, (const char *const *)argv->pdata, keep, fd >= 0 ? 1 : 0,
                         logPath, "");
        if (fd >= 0)
            close(fd);
        if (rc < 0)
            return -1;
    }
    if (tpm->version != VIR_DOMAIN_TPM_VERSION_2_0 || !tpm->pcrBanks)
        return 0;
    /* libvirt's qemuTPMEmulatorReconfigure: the active PCR banks */
    {
        g_autoptr(GString) b = g_string_new(NULL);

        for (int i = 0; i < VIR_DOMAIN_TPM_PCR_BANK_LAST; i++) {
            if (tpm->pcrBanks & (1u << i))
                g_string_append_printf(b, "%s%s", b->len ? "," : "",
                                       virDomainTPMPcrBankToString(i));
        }
        banks = g_string_free(g_steal_pointer(&b), FALSE);
    }
    g_clear_pointer(&argv, g_ptr_array_unref);
    argv = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(argv, g_strdup(setup));
    g_ptr_array_add(argv, g_strdup("--tpm2"));
    if (secret) {
        if ((fd = tpmSecretPipe(secret, secretLen)) < 0)
            return -1;
        g_ptr_array_add(argv, g_strdup("--pwdfile-fd"));
        g_ptr_array_add(argv, g_strdup_printf("%d", fd));
        g_ptr_array_add(argv, g_strdup("--cipher"));
        g_ptr_array_add(argv, g_strdup("aes-256-cbc"));
    }
    g_ptr_array_add(argv, g_strdup("--tpm-state"));
    g_ptr_array_add(argv, g_strdup(statePath));
    g_ptr_array_add(argv, g_strdup("--pcr-banks"));
    g_ptr_array_add(argv, g_strdup(banks));
    g_ptr_array_add(argv, g_strdup("--reconfigure"));
    g_ptr_array_add(argv, NULL);
    keep[0] = fd;
    rc = tpmRunSetup(driver, (const char *const *)argv->pdata, keep, fd >= 0 ? 1 : 0,
                     logPath, " --reconfigure");
    if (fd >= 0)
        close(fd);
    return rc;
}

/* Wait until swtpm's socket @path exists, it exits, or the deadline. */
static int
tpmWaitSocket(int pidfd, const char *path, const char *logPath, off_t logStart)
{
    gint64 deadline = g_get_monotonic_time() + TPM_SOCKET_WAIT_US;

    for (;;) {
        if (g_file_test(path, G_FILE_TEST_EXISTS))
            return 0;
        if (virProcessPidfdHasExited(pidfd)) {
            g_autofree char *text = NULL;
            gsize len = 0;

            if (g_file_get_contents(logPath, &text, &len, NULL) && (gsize)logStart < len)
                virReportError(VIR_ERR_OPERATION_FAILED, "swtpm died and reported: %s",
                               g_strstrip(text + logStart));
            else
                virReportSystemError(ESRCH, "%s", "swtpm died unexpectedly");
            return -1;
        }
        if (g_get_monotonic_time() >= deadline) {
            virReportError(VIR_ERR_OPERATION_TIMEOUT, "%s",
                           "swtpm socket did not show up");
            return -1;
        }
        virProcessWaitPidfd(pidfd, g_get_monotonic_time() + TPM_SOCKET_POLL_US);
    }
}

static int
tpmStart(qemuDriver *driver, virDomainObj *obj, virDomainTPMDef *tpm)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autofree char *swtpm = g_find_program_in_path("swtpm");
    g_autofree char *setup = g_find_program_in_path("swtpm_setup");
    g_autofree char *statePath = tpmStatePath(driver, obj->def, tpm);
    g_autofree char *logPath = tpmLogPath(driver, obj->def);
    g_autofree char *pidPath = tpmPidPath(driver, obj->def);
    g_autofree char *sock = NULL;
    g_autofree char *pidText = NULL;
    g_autofree unsigned char *secret = NULL;
    g_autoptr(GPtrArray) argv = NULL;
    g_autofree char *cmd = NULL;
    virProcessSpawnOpts opts = { 0 };
    size_t secretLen = 0;
    bool created = false;
    int keep[3] = { -1, -1, -1 };
    size_t nkeep = 0;
    qemuTPMProc *p;
    pid_t pid = 0;
    int pidfd = -1;
    int logfd = -1;
    off_t logStart;
    int rc;

    if (!swtpm || !setup) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Unable to find '%s' binary in $PATH",
                       swtpm ? "swtpm_setup" : "swtpm");
        return -1;
    }
    if (!priv->libDir || !tpm->alias) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "swtpm needs a running domain");
        return -1;
    }
    if (tpm->hasSecret && !(secret = tpmSecretValue(tpm->secretUUID, &secretLen)))
        return -1;
    /* the log swtpm_setup and swtpm write through the descriptors we give */
    if ((logfd = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0) {
        virReportSystemError(errno, "failed to create logfile %s", logPath);
        goto error;
    }
    if (tpmPrepareState(driver, obj, tpm, setup, statePath, logPath, secret, secretLen,
                        &created) < 0)
        goto error;
    /* the run directory: swtpm makes its socket there, QEMU connects */
    if (driver->runAs &&
        chown(priv->libDir, driver->runAs->uid, driver->runAs->gid) < 0) {
        virReportSystemError(errno, "cannot change the owner of '%s'", priv->libDir);
        goto error;
    }
    sock = qemuTPMSocketPath(priv->libDir, tpm);
    g_unlink(sock);
    argv = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(argv, g_strdup(swtpm));
    g_ptr_array_add(argv, g_strdup("socket"));
    g_ptr_array_add(argv, g_strdup("--ctrl"));
    g_ptr_array_add(argv, g_strdup_printf("type=unixio,path=%s,mode=0600", sock));
    g_ptr_array_add(argv, g_strdup("--tpmstate"));
    g_ptr_array_add(argv, g_strdup_printf("dir=%s,mode=0600", statePath));
    /* the log by descriptor (our log directory is not the QEMU user's;
     * swtpm refuses 0 to 2 there) */
    g_ptr_array_add(argv, g_strdup("--log"));
    g_ptr_array_add(argv, g_strdup_printf("fd=%d", logfd));
    g_ptr_array_add(argv, g_strdup("--terminate"));
    if (tpm->version == VIR_DOMAIN_TPM_VERSION_2_0)
        g_ptr_array_add(argv, g_strdup("--tpm2"));
    if (secret) {
        if ((keep[0] = tpmSecretPipe(secret, secretLen)) < 0 ||
            (keep[1] = tpmSecretPipe(secret, secretLen)) < 0)
            goto error;
        nkeep = 2;
        g_ptr_array_add(argv, g_strdup("--key"));
        g_ptr_array_add(argv, g_strdup_printf("pwdfd=%d,mode=aes-256-cbc", keep[0]));
        g_ptr_array_add(argv, g_strdup("--migration-key"));
        g_ptr_array_add(argv, g_strdup_printf("pwdfd=%d,mode=aes-256-cbc", keep[1]));
    }
    g_ptr_array_add(argv, NULL);
    keep[nkeep++] = logfd;
    cmd = g_strjoinv(" ", (char **)argv->pdata);
    qemuDomainLogAppend(driver, obj->def->name, "TPM Emulator: %s", cmd);
    logStart = lseek(logfd, 0, SEEK_END);

    opts.argv = (const char *const *)argv->pdata;
    opts.cwd = "/";
    opts.logfd = logfd;
    opts.keepfds = keep;
    opts.nkeepfds = nkeep;
    opts.newSession = true;
    opts.clearCaps = true;
    if (driver->runAs)
        virSecurityIdentityApply(driver->runAs, &opts);
    rc = virProcessSpawn(&opts, &pid, &pidfd);
    for (size_t i = 0; i < G_N_ELEMENTS(keep); i++) {
        if (keep[i] >= 0 && keep[i] != logfd)
            close(keep[i]);
        keep[i] = -1;
    }
    if (secret)
        explicit_bzero(secret, secretLen);
    if (rc < 0)
        goto error;
    close(logfd);
    logfd = -1;

    p = g_new0(qemuTPMProc, 1);
    p->refs = 1;
    p->pid = pid;
    p->pidfd = pidfd;
    p->child = true;
    p->what =
        g_strdup_printf("swtpm %lld of domain '%s'", (long long)pid, obj->def->name);
    qemuTPMProcFree(priv->swtpm);
    priv->swtpm = p;
    pidText = g_strdup_printf("%lld\n", (long long)pid);
    if (!g_file_set_contents(pidPath, pidText, -1, NULL)) {
        virReportSystemError(errno, "Unable to write swtpm pidfile '%s'", pidPath);
        goto error;
    }
    if (tpmWaitSocket(pidfd, sock, logPath, logStart < 0 ? 0 : logStart) < 0)
        goto error;
    tpmWatch(driver, p);
    g_debug("%s: socket %s", p->what, sock);
    return 0;

error : {
    virErrorPtr saved = NULL;

    virErrorPreserveLast(&saved);
    for (size_t i = 0; i < G_N_ELEMENTS(keep); i++) {
        if (keep[i] >= 0 && keep[i] != logfd)
            close(keep[i]);
    }
    if (logfd >= 0)
        close(logfd);
    if (secret)
        explicit_bzero(secret, secretLen);
    qemuTPMStopAll(driver, obj);
    if (created) {
        g_autofree char *storage = qemuTPMStorageDir(driver, obj->def->uuid);

        tpmRemoveTree(storage);
    }
    virErrorRestore(&saved);
}
    return -1;
}

int
qemuTPMStartAll(qemuDriver *driver, virDomainObj *obj)
{
    for (size_t i = 0; i < obj->def->ntpms; i++) {
        virDomainTPMDef *tpm = obj->def->tpms[i];

        if (!tpm->alias)
            tpm->alias = g_strdup_printf("tpm%zu", i);
        if (tpm->type == VIR_DOMAIN_TPM_TYPE_EMULATOR && tpmStart(driver, obj, tpm) < 0)
            return -1;
    }
    return 0;
}

void
qemuTPMStopAll(qemuDriver *driver, virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    virDomainTPMDef *tpm = tpmEmulator(obj->def);
    virErrorPtr saved = NULL;

    if (!tpm && !priv->swtpm)
        return;
    virErrorPreserveLast(&saved);
    if (priv->swtpm) {
        tpmProcKill(priv->swtpm);
        g_clear_pointer(&priv->swtpm, qemuTPMProcFree);
    }
    if (obj->def->id >= 0) {
        g_autofree char *pidPath = tpmPidPath(driver, obj->def);

        g_unlink(pidPath);
    }
    if (tpm && priv->libDir) {
        g_autofree char *sock = qemuTPMSocketPath(priv->libDir, tpm);

        g_unlink(sock);
    }
    /* libvirt removes an undefined (transient) domain with flags 0 */
    if (tpm && !obj->persistent)
        qemuTPMCleanupStorage(driver, obj->def, 0);
    virErrorRestore(&saved);
}

/* Is @pid a swtpm on @statePath? (A reused pid is not.) */
static bool
tpmPidIsOurs(pid_t pid, const char *statePath)
{
    g_autofree char *procPath = g_strdup_printf("/proc/%lld/cmdline", (long long)pid);
    g_autofree char *cmdline = NULL;
    g_autofree char *want = g_strdup_printf("dir=%s,mode=0600", statePath);
    gsize len = 0;

    if (!g_file_get_contents(procPath, &cmdline, &len, NULL) || len == 0 ||
        !g_str_has_suffix(cmdline, "swtpm"))
        return false;
    for (gsize off = 0; off < len;) {
        const char *arg = cmdline + off;

        if (g_str_equal(arg, want))
            return true;
        off += strlen(arg) + 1;
    }
    return false;
}

void
qemuTPMReconnect(qemuDriver *driver, virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    virDomainTPMDef *tpm = tpmEmulator(obj->def);
    g_autofree char *pidPath = NULL;
    g_autofree char *statePath = NULL;
    g_autofree char *text = NULL;
    qemuTPMProc *p;
    long pid = 0;
    int pidfd;

    if (!tpm)
        return;
    pidPath = tpmPidPath(driver, obj->def);
    statePath = tpmStatePath(driver, obj->def, tpm);
    if (g_file_get_contents(pidPath, &text, NULL, NULL))
        pid = strtol(text, NULL, 10);
    if (pid <= 1 || !tpmPidIsOurs((pid_t)pid, statePath) ||
        (pidfd = virProcessPidfdOpen((pid_t)pid)) < 0) {
        VIR_NOTICE("swtpm of domain '%s' is not running: its TPM is gone from the guest",
                   obj->def->name);
        return;
    }
    p = g_new0(qemuTPMProc, 1);
    p->refs = 1;
    p->pid = (pid_t)pid;
    p->pidfd = pidfd;
    p->child = false;
    p->what = g_strdup_printf("swtpm %ld of domain '%s'", pid, obj->def->name);
    qemuTPMProcFree(priv->swtpm);
    priv->swtpm = p;
    tpmWatch(driver, p);
    g_debug("adopted %s", p->what);
}

pid_t
qemuTPMGetPid(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    if (!priv->swtpm || virProcessPidfdHasExited(priv->swtpm->pidfd))
        return 0;
    return priv->swtpm->pid;
}

void
qemuTPMCleanupStorage(qemuDriver *driver, const virDomainDef *def, unsigned int flags)
{
    const virDomainTPMDef *tpm = tpmEmulator(def);
    g_autofree char *storage = NULL;

    if (!tpm)
        return;
    /* libvirt's qemuTPMEmulatorCleanupHost */
    if ((tpm->persistentState && (flags & VIR_DOMAIN_UNDEFINE_TPM)) ||
        (!tpm->persistentState && !(flags & VIR_DOMAIN_UNDEFINE_KEEP_TPM))) {
        storage = qemuTPMStorageDir(driver, def->uuid);
        tpmRemoveTree(storage);
    }
}
