/* xml2argvtest.c: domain XML -> QEMU argv goldens (tests/data/xml2argv/NAME.xml -> NAME.args | NAME.err) */

/*
 * Each NAME.xml is parsed, given the driver defaults (qemuCapsDomainDefPostParse)
 * and turned into an argv against the capabilities recorded from the real
 * QEMU here (tests/data/xml2argv/caps.json, written by TEST_REGENERATE=1 from
 * a fresh probe). Success must match NAME.args (one argument per line);
 * failure must match NAME.err (the error message); the definition as the
 * driver keeps it (defaults and PCI addresses filled in) must match
 * NAME.def.xml. TEST_REGENERATE=1
 * rewrites both. /qemu/command/real/NAME then starts the real QEMU with that
 * argv (sources and paths swapped for scratch files, network disks too) and
 * checks it reaches the QMP prelaunch state, so the goldens are command
 * lines QEMU accepts (except where NAME.noreal says why this machine's QEMU
 * cannot run it).
 */

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include "virtkit-config.h"
#include "domain_conf.h"
#include "qemu_capabilities.h"
#include "qemu_command.h"
#include "qemu_boot.h"
#include "qemu_domain_storage.h"
#include "qemu_iotune.h"
#include "qemu_monitor.h"
#include "domain_iotune.h"
#include "qemu_secret.h"
#include "virerror.h"
#include "qemu_firmware.h"
#include "virprocess.h"

#define DATADIR VIRTKIT_SRCDIR "/tests/data/xml2argv"

/* How long a real start may take to answer the monitor, a command, or to
 * exit after quit. Generous: what is checked is that QEMU accepts the argv,
 * not how fast. A locked, preallocated guest (membacking-anon: mem-lock=on
 * locks every later mapping too, TCG's 1 GiB code buffer among them) needs
 * ~5.6 s of system CPU before its monitor answers: 85 s of wall time at
 * load ~30 on 2 CPUs, more than the 30 s this was; the CI of stop 23
 * aborted in xml2argv. */
#define REAL_START_TIMEOUT_MS (300 * 1000)

/* The automatic graphics ports of the real starts: a window of this run's
 * own (set in main), as a test daemon's qemu.conf gives it (vkdtest.py),
 * so that the parts running side by side, and other tests' QEMUs, do not
 * race for the same port between the bind check and QEMU's bind. */
static qemuPortRanges testPorts = QEMU_PORT_RANGES_DEFAULT;

static qemuCaps *caps;
/* qemu-system-i386's, for the fixtures of i686 guests (caps-i386.json) */
static qemuCaps *caps32;

/* The capabilities a definition is built against, as the driver picks
 * the binary: its <emulator>, else qemu-system-i386 for an i686 guest
 * (qemuCapsBinaryForArch), else qemu-system-x86_64. */
static qemuCaps *
capsFor(const virDomainDef *def)
{
    if (!def || !caps32)
        return caps;
    if (def->emulator)
        return g_str_has_suffix(def->emulator, "-i386") ? caps32 : caps;
    return g_strcmp0(def->os.arch, "i686") == 0 ? caps32 : caps;
}
static bool regenerate;

/* Debian 12's ovmf descriptors, copied: autoselection is tested against a
 * fixed set (the real start needs ovmf installed, as deps.sh does). */
static const char *const firmwareDirs[] = { DATADIR "/firmware", NULL };

/* What qemuProcessGraphicsSetupListen does at start: a socket without a
 * path gets TYPE.sock in @dir (every socket does with @all: the real start
 * makes them in its scratch directory), a network listen @netAddr (the
 * default network's address; the real start listens on 127.0.0.1). */
static void
graphicsSetupListenFull(virDomainDef *def, const char *dir, const char *netAddr, bool all)
{
    for (size_t i = 0; i < def->ngraphics; i++) {
        virDomainGraphicsDef *g = def->graphics[i];

        if (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_NETWORK) {
            g_free(g->listen);
            g->listen = g_strdup(netAddr);
        } else if (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_SOCKET &&
                   (!g->socket || all)) {
            g_free(g->socket);
            g->socket = all ? g_strdup_printf("%s/graphics%zu.sock", dir, i)
                            : g_strdup_printf("%s/%s.sock", dir,
                                              virDomainGraphicsTypeToString(g->type));
            g->socketGenerated = true;
        }
    }
}

static void
graphicsSetupListen(virDomainDef *def, const char *dir, const char *netAddr)
{
    graphicsSetupListenFull(def, dir, netAddr, false);
}

/* Parse, post-parse, build. Returns argv or NULL with *err set. */
/* What qemuDomainSecretsPrepare gives, made repeatable for the goldens:
 * key bytes 0..31, IV bytes 0..15, every <auth> secret's and every
 * <encryption> passphrase's value "virtkit-test-secret"; the cookies as
 * the driver joins them. With @writeKey the key file is written too (a
 * real start reads it). */
static qemuDomainSecrets *
fakeSecretsFull(const virDomainDef *def, const char *dir, bool writeKey)
{
    unsigned char key[32];
    unsigned char iv[16];
    const char *value = "virtkit-test-secret";
    qemuDomainSecrets *s = g_new0(qemuDomainSecrets, 1);

    for (size_t i = 0; i < sizeof(key); i++)
        key[i] = (unsigned char)i;
    for (size_t i = 0; i < sizeof(iv); i++)
        iv[i] = (unsigned char)i;
    s->masterKeyPath = g_strdup_printf("%s/master-key.aes", dir);
    s->ndisks = def->ndisks;
    s->disks = g_new0(qemuDiskSecret, def->ndisks);
    if (writeKey)
        g_assert_true(
            g_file_set_contents(s->masterKeyPath, (const char *)key, sizeof(key), NULL));
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *d = def->disks[i];

        if (qemuDiskHasEncryptionSecret(d)) {
            s->disks[i].encCipher =
                qemuSecretEncrypt(key, iv, (const unsigned char *)value, strlen(value));
            s->disks[i].encIV = g_base64_encode(iv, sizeof(iv));
        }
        if (!d->net)
            continue;
        if (d->auth) {
            s->disks[i].authCipher =
                qemuSecretEncrypt(key, iv, (const unsigned char *)value, strlen(value));
            s->disks[i].authIV = g_base64_encode(iv, sizeof(iv));
        }
        if (d->net->ncookies) {
            g_autoptr(GString) c = g_string_new(NULL);

            for (size_t j = 0; j < d->net->ncookies; j++)
                g_string_append_printf(c, "%s%s=%s", j ? "; " : "",
                                       d->net->cookies[j].name, d->net->cookies[j].value);
            s->disks[i].cookieCipher =
                qemuSecretEncrypt(key, iv, (const unsigned char *)c->str, c->len);
            s->disks[i].cookieIV = g_base64_encode(iv, sizeof(iv));
        }
    }
    return s;
}

static qemuDomainSecrets *
fakeSecrets(const virDomainDef *def, const char *dir)
{
    return fakeSecretsFull(def, dir, false);
}

/* Whether the start of @def hands QEMU secrets (the driver's test) */
static bool
hasSecrets(const virDomainDef *def)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *d = def->disks[i];

        if ((d->net && (d->auth || d->net->ncookies)) || qemuDiskHasEncryptionSecret(d))
            return true;
    }
    return false;
}

static char **
buildArgv(const char *xml, int monfd, char **err, virDomainDef **defOut)
{
    g_autoptr(qemuDomainSecrets) secrets = NULL;
    g_autoptr(virDomainDef) def = NULL;
    qemuCommandOptions opts = { .monitorFd = monfd };
    char **argv = NULL;

    virResetLastError();
    /* no hugetlbfs mounted: the goldens do not depend on the host */
    static const char *const noHugetlbfs[] = { NULL };

    opts.hugetlbfs = noHugetlbfs;
    /* as the QEMU driver's define: NUMA cells give <memory> */
    if ((def = virDomainDefParseString(xml, VIR_DOMAIN_DEF_PARSE_ABI_UPDATE)) &&
        qemuCapsDomainDefPostParse(capsFor(def), def) == 0 &&
        qemuFirmwareFillDomain(def, firmwareDirs, "/var/lib/virtkit/qemu/nvram") == 0) {
        g_autofree char *dir =
            g_strdup_printf("/var/lib/virtkit/qemu/domain-1-%s", def->name);

        qemuDomainPrepareChannelPaths(def, dir);
        graphicsSetupListen(def, dir, "192.168.122.1");
        /* what qemuDomainReserveVNCPorts gives on an idle host */
        for (size_t i = 0; i < def->ngraphics; i++) {
            virDomainGraphicsDef *g = def->graphics[i];

            if (g->listenType != VIR_DOMAIN_GRAPHICS_LISTEN_ADDRESS &&
                g->listenType != VIR_DOMAIN_GRAPHICS_LISTEN_NETWORK)
                continue;
            if (g->autoport)
                g->port = 5900 + (int)i;
            if (g->websocket == -1)
                g->websocket = 5700 + (int)i;
            if (!g->listen)
                g->listen = g_strdup("127.0.0.1");
        }
        opts.kvm = def->virtType == VIR_DOMAIN_VIRT_KVM;
        opts.sandbox = qemuCapsHasSandbox(caps);
        opts.memoryDir = dir;
        opts.libDir = dir;
        if (hasSecrets(def))
            opts.secrets = secrets = fakeSecrets(def, dir);
        {
            /* the host side of hostdevs, which this machine has none of, as
             * libvirt's own tests pretend it (on a copy: the definition is
             * the inactive one): a SCSI hostdev's /dev/sg0, vhost-scsi's
             * descriptor 3, a USB device by vendor/product at bus 1 device 2 */
            g_autoptr(virDomainDef) live = virDomainDefCopy(def);
            g_autofree int *vhostFds = g_new0(int, live->nhostdevs + 1);

            for (size_t i = 0; i < live->nhostdevs; i++) {
                virDomainHostdevDef *h = live->hostdevs[i];

                vhostFds[i] = 3;
                /* what the start makes of the default PCI backend */
                if (h->mode == VIR_DOMAIN_HOSTDEV_MODE_SUBSYS &&
                    h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_PCI &&
                    h->pciBackend == VIR_DOMAIN_HOSTDEV_PCI_BACKEND_DEFAULT)
                    h->pciBackend = VIR_DOMAIN_HOSTDEV_PCI_BACKEND_VFIO;
                if (VIR_DOMAIN_HOSTDEV_IS_SCSI(h))
                    h->sgDev = g_strdup("/dev/sg0");
                if (h->mode == VIR_DOMAIN_HOSTDEV_MODE_SUBSYS &&
                    h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_USB && !h->usbBus &&
                    !h->usbDevice) {
                    h->usbBus = 1;
                    h->usbDevice = 2;
                }
            }
            opts.fds.vhostFds = vhostFds;
            opts.fds.nvhostFds = live->nhostdevs;
            qemuDomainPrepareDiskCachemodes(live);
            qemuDomainPrepareBootOrder(live);
            argv = qemuBuildCommandLine(live, capsFor(def), &opts);
        }
    }
    if (!argv) {
        g_assert_nonnull(virGetLastError());
        *err = g_strdup_printf("%s\n", virGetLastErrorMessage());
    }
    if (defOut)
        *defOut = g_steal_pointer(&def);
    return argv;
}

static void
compareOrWrite(const char *path, const char *actual)
{
    g_autofree char *expected = NULL;

    if (regenerate) {
        g_assert_true(g_file_set_contents(path, actual, -1, NULL));
        return;
    }
    if (!g_file_get_contents(path, &expected, NULL, NULL))
        g_error("missing golden %s (run with TEST_REGENERATE=1); got:\n%s", path, actual);
    g_assert_cmpstr(actual, ==, expected);
}

static gint
compareLines(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

/* The lines of @text, sorted (the same devices and addresses, whatever
 * the order). */
static char *
sortedLines(const char *text)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

    qsort(lines, g_strv_length(lines), sizeof(char *), compareLines);
    return g_strjoinv("\n", lines);
}

/* @text with the port of each virtio console's <target> dropped. */
static char *
withoutVirtioConsolePorts(const char *text)
{
    g_autoptr(GRegex) re =
        g_regex_new("(<target type='virtio') port='[0-9]+'/>", 0, 0, NULL);

    return g_regex_replace(re, text, -1, 0, "\\1/>", 0, NULL);
}

/* Defining what define wrote changes nothing: the same devices and
 * addresses (a parse may reorder controllers by index, as libvirt's does),
 * and from then on the very same text. One exception is libvirt's own:
 * it numbers the consoles it parses by position before adding serial 0's
 * console in front, so a virtio console defined beside a serial port gets
 * port 0 the first time and port 1 when what define wrote is defined
 * again (libvirtd 9.0 does so); its ports settle at the second define. */
static void
checkRedefineStable(const char *name, const char *deftext)
{
    g_autoptr(virDomainDef) again = virDomainDefParseString(deftext, 0);
    g_autoptr(virDomainDef) third = NULL;
    g_autofree char *text2 = NULL;
    g_autofree char *text3 = NULL;
    g_autofree char *masked1 = withoutVirtioConsolePorts(deftext);
    g_autofree char *masked2 = NULL;
    g_autofree char *sorted1 = sortedLines(masked1);
    g_autofree char *sorted2 = NULL;

    if (!again || qemuCapsDomainDefPostParse(capsFor(again), again) < 0)
        g_error("%s: redefining its definition failed: %s", name,
                virGetLastErrorMessage());
    text2 = virDomainDefFormat(again, VIR_DOMAIN_DEF_FORMAT_INACTIVE);
    masked2 = withoutVirtioConsolePorts(text2);
    sorted2 = sortedLines(masked2);
    g_assert_cmpstr(sorted2, ==, sorted1);
    g_assert_nonnull(third = virDomainDefParseString(text2, 0));
    g_assert_cmpint(qemuCapsDomainDefPostParse(capsFor(third), third), ==, 0);
    text3 = virDomainDefFormat(third, VIR_DOMAIN_DEF_FORMAT_INACTIVE);
    g_assert_cmpstr(text3, ==, text2);
}

static void
testGolden(gconstpointer data)
{
    const char *name = data;
    g_autofree char *xmlpath = g_strdup_printf("%s/%s.xml", DATADIR, name);
    g_autofree char *argspath = g_strdup_printf("%s/%s.args", DATADIR, name);
    g_autofree char *errpath = g_strdup_printf("%s/%s.err", DATADIR, name);
    g_autofree char *xml = NULL;
    g_autofree char *err = NULL;
    g_auto(GStrv) argv = NULL;
    g_autoptr(virDomainDef) def = NULL;

    g_assert_true(g_file_get_contents(xmlpath, &xml, NULL, NULL));
    argv = buildArgv(xml, 3, &err, &def);
    if (argv) {
        g_autofree char *joined = g_strjoinv("\n", argv);
        g_autofree char *text = g_strconcat(joined, "\n", NULL);
        /* the definition as define writes it (defaults, PCI addresses) */
        g_autofree char *defpath = g_strdup_printf("%s/%s.def.xml", DATADIR, name);
        g_autofree char *deftext =
            virDomainDefFormat(def, VIR_DOMAIN_DEF_FORMAT_INACTIVE);

        if (!regenerate && g_file_test(errpath, G_FILE_TEST_EXISTS))
            g_error("%s: expected an error, got an argv:\n%s", name, text);
        if (regenerate)
            unlink(errpath);
        compareOrWrite(argspath, text);
        compareOrWrite(defpath, deftext);
        checkRedefineStable(name, deftext);
    } else {
        if (!regenerate && g_file_test(argspath, G_FILE_TEST_EXISTS))
            g_error("%s: expected an argv, got: %s", name, err);
        if (regenerate)
            unlink(argspath);
        compareOrWrite(errpath, err);
    }
}

/* Point every file the def names at scratch files in @dir. */
static void
useScratchFiles(virDomainDef *def, const char *dir, const char *guest)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        virDomainDiskDef *d = def->disks[i];
        g_autofree char *img = NULL;
        const char *fmt = d->format == VIR_STORAGE_FORMAT_QCOW2 ? "qcow2" : "raw";
        const char *argv[] = { "qemu-img", "create", "-q", "-f", fmt, NULL, "16M", NULL };
        /* an encrypted image: LUKS under fakeSecrets' passphrase (a few
         * PBKDF iterations: the real start only opens it) */
        const char *luksArgv[] = {
            "qemu-img",
            "create",
            "-q",
            "--object",
            "secret,id=sec0,data=virtkit-test-secret",
            "-f",
            d->format == VIR_STORAGE_FORMAT_QCOW2 ? "qcow2" : "luks",
            "-o",
            d->format == VIR_STORAGE_FORMAT_QCOW2
                ? "encrypt.format=luks,encrypt.key-secret=sec0,encrypt.iter-time=10"
                : "key-secret=sec0,iter-time=10",
            NULL,
            "16M",
            NULL,
        };
        bool luks = qemuDiskHasEncryptionSecret(d);
        int status = -1;

        /* a network disk's server is not here: the golden holds its
         * protocol node; the real start reads a scratch file instead
         * (the daemon suites start QEMU against a real NBD server) */
        if (d->net) {
            virDomainDiskNetSourceFree(g_steal_pointer(&d->net));
            d->type = VIR_DOMAIN_DISK_TYPE_FILE;
            d->src = g_strdup("net");
        }
        if (!d->src)
            continue;
        if (d->type == VIR_DOMAIN_DISK_TYPE_BLOCK &&
            d->format != VIR_STORAGE_FORMAT_QCOW2) {
            /* a device QEMU's host_device driver opens (a character
             * device will do for it), empty and harmless */
            g_free(d->src);
            d->src = g_strdup("/dev/null");
            continue;
        }
        img = g_strdup_printf("%s/disk%zu.img", dir, i);
        argv[5] = img;
        luksArgv[9] = img;
        /* QEMU's PBKDF benchmark fails now and then on a loaded host
         * ("Unable to get accurate CPU usage"): a LUKS image is tried
         * three times */
        for (int tries = luks ? 3 : 1; tries > 0; tries--) {
            g_assert_true(g_spawn_sync(NULL, luks ? (char **)luksArgv : (char **)argv,
                                       NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                                       &status, NULL));
            if (g_spawn_check_wait_status(status, NULL))
                break;
        }
        g_assert_true(g_spawn_check_wait_status(status, NULL));
        g_free(d->src);
        d->src = g_steal_pointer(&img);
        /* a given backing chain: a scratch image of its format per local
         * layer (the -blockdev nodes name each one's backing, the headers
         * need none) */
        {
            unsigned int j = 0;

            for (virDomainDiskBackingDef *b = d->backing; b && !b->terminator;
                 b = b->backing, j++) {
                if (b->type != VIR_DOMAIN_DISK_TYPE_FILE || !b->path)
                    continue;
                img = g_strdup_printf("%s/disk%zu-%u.img", dir, i, j);
                argv[4] = b->format == VIR_STORAGE_FILE_QCOW2  ? "qcow2"
                          : b->format == VIR_STORAGE_FILE_VMDK ? "vmdk"
                          : b->format == VIR_STORAGE_FILE_QED  ? "qed"
                                                               : "raw";
                argv[5] = img;
                g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH,
                                           NULL, NULL, NULL, NULL, &status, NULL));
                g_assert_true(g_spawn_check_wait_status(status, NULL));
                g_free(b->path);
                b->path = g_steal_pointer(&img);
            }
        }
    }
    /* an nvdimm's / virtio-pmem's backing file: QEMU makes it there */
    for (size_t i = 0; i < def->nmems; i++) {
        if (def->mems[i]->path) {
            g_free(def->mems[i]->path);
            def->mems[i]->path = g_strdup_printf("%s/mem%zu", dir, i);
        }
    }
    for (size_t i = 0; i < def->nserials; i++) {
        if (def->serials[i]->type == VIR_DOMAIN_CHR_TYPE_FILE) {
            g_free(def->serials[i]->path);
            def->serials[i]->path = g_strdup_printf("%s/serial%zu.log", dir, i);
        }
    }
    for (size_t i = 0; i < def->nparallels; i++) {
        if (def->parallels[i]->type == VIR_DOMAIN_CHR_TYPE_FILE) {
            g_free(def->parallels[i]->path);
            def->parallels[i]->path = g_strdup_printf("%s/parallel%zu.log", dir, i);
        }
    }
    for (size_t i = 0; i < def->nconsoles; i++) {
        virDomainChrDef *con = def->consoles[i];

        if (con->type == VIR_DOMAIN_CHR_TYPE_FILE &&
            con->targetType == VIR_DOMAIN_CHR_TARGET_VIRTIO) {
            g_free(con->path);
            con->path = g_strdup_printf("%s/console%zu.log", dir, i);
        }
    }
    for (size_t i = 0; i < def->nchannels; i++) {
        if (def->channels[i]->path) {
            g_free(def->channels[i]->path);
            def->channels[i]->path = g_strdup_printf("%s/chan%zu.sock", dir, i);
        }
    }
    /* a file audio backend writes its WAV where it says (QEMU's
     * "qemu.wav" in its working directory without a path) */
    for (size_t i = 0; i < def->naudios; i++) {
        if (g_str_equal(def->audios[i].type, "file")) {
            g_free(def->audios[i].path);
            def->audios[i].path = g_strdup_printf("%s/audio%zu.wav", dir, i);
        }
    }
    if (def->os.nvram && !g_str_has_prefix(def->os.nvram, dir)) {
        g_free(def->os.nvram);
        def->os.nvram = g_strdup_printf("%s/nvram.fd", dir);
    }
    if (def->os.kernel) {
        g_free(def->os.kernel);
        def->os.kernel = g_strdup_printf("%s/vmlinuz", guest);
    }
    if (def->os.initrd) {
        g_free(def->os.initrd);
        def->os.initrd = g_strdup_printf("%s/initrd.gz", guest);
    }
}

/* The host sides of the serials and consoles for a real start, in @dir:
 * a unix socket moves there (one in connect mode gets a listener here,
 * whose fd goes to @peers), a tcp one in connect mode connects to a
 * listener here (its fd to @peers) and one in bind mode takes a port of
 * the kernel's, a udp one binds a port of the kernel's, a host tty device
 * is a pty of ours (its master to @peers), a <log> file moves there.
 * QEMU connects at start, so each listener has a connection waiting once
 * the monitor answers. */
static void
chrScratch(virDomainChrDef *chr, const char *dir, const char *what, size_t i,
           GArray *peers)
{
    int fd = -1;

    if (chr->logFile) {
        g_free(chr->logFile);
        chr->logFile = g_strdup_printf("%s/%s%zu-log.txt", dir, what, i);
    }

    switch ((virDomainChrType)chr->type) {
    case VIR_DOMAIN_CHR_TYPE_UNIX: {
        struct sockaddr_un addr = { .sun_family = AF_UNIX };

        g_free(chr->path);
        chr->path = g_strdup_printf("%s/%s%zu.sock", dir, what, i);
        if (chr->listen)
            return;
        g_strlcpy(addr.sun_path, chr->path, sizeof(addr.sun_path));
        g_assert_cmpint(fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), >=, 0);
        g_assert_cmpint(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
        g_assert_cmpint(listen(fd, 1), ==, 0);
        break;
    }
    case VIR_DOMAIN_CHR_TYPE_TCP: {
        struct sockaddr_in in = { .sin_family = AF_INET };
        socklen_t len = sizeof(in);

        g_free(chr->host);
        chr->host = g_strdup("127.0.0.1");
        g_free(chr->service);
        if (chr->listen) {
            chr->service = g_strdup("0");
            return;
        }
        in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        g_assert_cmpint(fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), >=, 0);
        g_assert_cmpint(bind(fd, (struct sockaddr *)&in, sizeof(in)), ==, 0);
        g_assert_cmpint(listen(fd, 1), ==, 0);
        g_assert_cmpint(getsockname(fd, (struct sockaddr *)&in, &len), ==, 0);
        chr->service = g_strdup_printf("%u", ntohs(in.sin_port));
        break;
    }
    case VIR_DOMAIN_CHR_TYPE_UDP:
        if (chr->bindService) {
            g_free(chr->bindService);
            chr->bindService = g_strdup("0");
        }
        return;
    case VIR_DOMAIN_CHR_TYPE_DEV:
        g_assert_cmpint(fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC), >=, 0);
        g_assert_cmpint(grantpt(fd), ==, 0);
        g_assert_cmpint(unlockpt(fd), ==, 0);
        g_free(chr->path);
        chr->path = g_strdup(ptsname(fd));
        /* not a listener: nothing to accept */
        fd = -fd - 2;
        break;
    case VIR_DOMAIN_CHR_TYPE_NULL:
    case VIR_DOMAIN_CHR_TYPE_PTY:
    case VIR_DOMAIN_CHR_TYPE_FILE:
    case VIR_DOMAIN_CHR_TYPE_LAST:
        return;
    }
    g_array_append_val(peers, fd);
}

/* testGuestDir: the test guest's folder (NULL if it cannot be built),
 * asked of scripts/build-test-guest.sh once per run: the script costs ~20 ms
 * of CPU a call (apt's list checksum, the init script's hash), and this
 * suite starts ~230 argvs. Lent; lives as long as the process. */
static const char *
testGuestDir(void)
{
    static char *dir;
    static bool asked;
    g_autofree char *out = NULL;
    const char *argv[] = { VIRTKIT_SRCDIR "/scripts/build-test-guest.sh", NULL };
    int status = -1;

    if (asked)
        return dir;
    asked = true;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                      &out, NULL, &status, NULL) ||
        !g_spawn_check_wait_status(status, NULL))
        return NULL;
    dir = g_strdup(g_strstrip(out));
    return dir;
}

#define VIRTIOFSD "/usr/lib/qemu/virtiofsd"

/* What the start does for the virtiofs shares (qemu_virtiofs.c): a
 * virtiofsd per share behind the socket QEMU connects to (DIR/fsN-fs.sock;
 * a <source socket> is moved into DIR too), sharing @dir itself. Their
 * pidfds in @pidfds (room for def->nfss), their number returned. */
static size_t
startVirtiofsds(virDomainDef *def, const char *dir, int *pidfds)
{
    size_t n = 0;

    for (size_t i = 0; i < def->nfss; i++) {
        virDomainFSDef *fs = def->fss[i];
        g_autofree char *path = NULL;
        g_autofree char *fdArg = NULL;
        g_autofree char *srcArg = g_strdup_printf("source=%s", dir);
        struct sockaddr_un addr = { .sun_family = AF_UNIX };
        virProcessSpawnOpts sp = { 0 };
        pid_t pid;
        int fd;

        if (fs->fsdriver != VIR_DOMAIN_FS_DRIVER_VIRTIOFS)
            continue;
        if (fs->sock) {
            g_free(fs->sock);
            fs->sock = g_strdup_printf("%s/ext%zu.sock", dir, i);
            path = g_strdup(fs->sock);
        } else {
            path = g_strdup_printf("%s/fs%zu-fs.sock", dir, i);
        }
        g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
        g_assert_cmpint(fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), >=, 0);
        g_assert_cmpint(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
        g_assert_cmpint(listen(fd, 1), ==, 0);
        fdArg = g_strdup_printf("--fd=%d", fd);
        {
            const char *argv[] = { VIRTIOFSD, fdArg, "-o", srcArg, NULL };

            sp.argv = argv;
            sp.logfd = -1;
            sp.keepfds = &fd;
            sp.nkeepfds = 1;
            sp.dieWithParent = true;
            g_assert_cmpint(virProcessSpawn(&sp, &pid, &pidfds[n]), ==, 0);
        }
        close(fd);
        n++;
    }
    return n;
}

static void
testReal(gconstpointer data)
{
    const char *name = data;
    g_autofree char *xmlpath = g_strdup_printf("%s/%s.xml", DATADIR, name);
    g_autofree char *xml = NULL;
    g_autofree char *err = NULL;
    g_autofree char *dir = g_dir_make_tmp("xml2argv-XXXXXX", NULL);
    g_autofree char *sock = g_build_filename(dir, "mon.sock", NULL);
    const char *guest = testGuestDir();
    g_autofree char *status = NULL;
    g_autoptr(virDomainDef) def = NULL;
    g_auto(GStrv) argv = NULL;
    g_autoptr(qemuDomainSecrets) secrets = NULL;
    qemuCommandOptions opts = { 0 };
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    /* the far ends of the character devices (chrScratch) */
    g_autoptr(GArray) peers = g_array_new(FALSE, FALSE, sizeof(int));
    virProcessSpawnOpts sp = { 0 };
    qemuMonitor *mon;
    pid_t pid;
    int pidfd;
    g_autofree int *vfsPidfds = NULL;
    size_t nvfs = 0;
    int lfd;
    int cfd;
    bool running = true;

    {
        g_autofree char *errpath = g_strdup_printf("%s/%s.err", DATADIR, name);

        g_autofree char *norealpath = g_strdup_printf("%s/%s.noreal", DATADIR, name);
        g_autofree char *why = NULL;

        if (g_file_test(errpath, G_FILE_TEST_EXISTS)) {
            g_test_skip("golden is an error");
            rmdir(dir);
            return;
        }
        /* NAME.noreal: this QEMU lacks what the argv needs (e.g. Debian's
         * PulseAudio backend is in qemu-system-gui); the file says what */
        if (g_file_get_contents(norealpath, &why, NULL, NULL)) {
            g_test_skip(g_strstrip(why));
            rmdir(dir);
            return;
        }
    }
    if (!guest) {
        g_test_skip("test guest not available");
        rmdir(dir);
        return;
    }
    g_assert_true(g_file_get_contents(xmlpath, &xml, NULL, NULL));
    g_assert_nonnull(def = virDomainDefParseString(xml, VIR_DOMAIN_DEF_PARSE_ABI_UPDATE));
    g_assert_cmpint(qemuCapsDomainDefPostParse(capsFor(def), def), ==, 0);
    g_assert_cmpint(qemuFirmwareFillDomain(def, firmwareDirs, dir), ==, 0);
    qemuDomainPrepareBootOrder(def);
    useScratchFiles(def, dir, guest);
    for (size_t i = 0; i < def->nserials; i++)
        chrScratch(def->serials[i], dir, "serial", i, peers);
    for (size_t i = 0; i < def->nparallels; i++)
        chrScratch(def->parallels[i], dir, "parallel", i, peers);
    for (size_t i = 0; i < def->nconsoles; i++) {
        if (def->consoles[i]->targetType == VIR_DOMAIN_CHR_TARGET_VIRTIO)
            chrScratch(def->consoles[i], dir, "console", i, peers);
    }
    g_assert_cmpint(qemuFirmwarePrepareNVRAM(def), ==, 0);
    qemuDomainPrepareChannelPaths(def, dir);
    graphicsSetupListenFull(def, dir, "127.0.0.1", true);
    g_assert_cmpint(qemuDomainReserveVNCPorts(def, &testPorts), ==, 0);
    vfsPidfds = g_new0(int, def->nfss + 1);
    for (size_t i = 0; i < def->nfss; i++) {
        if (def->fss[i]->fsdriver != VIR_DOMAIN_FS_DRIVER_VIRTIOFS)
            continue;
        /* virtiofsd's sandbox needs root, as under libvirt's system mode */
        if (geteuid() != 0 || access(VIRTIOFSD, X_OK) != 0) {
            g_test_skip("virtiofsd needs root and " VIRTIOFSD);
            qemuDomainReleaseVNCPorts(def);
            rmdir(dir);
            return;
        }
    }
    nvfs = startVirtiofsds(def, dir, vfsPidfds);
    opts.libDir = dir;

    g_strlcpy(addr.sun_path, sock, sizeof(addr.sun_path));
    g_assert_cmpint(lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), >=, 0);
    g_assert_cmpint(bind(lfd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    g_assert_cmpint(listen(lfd, 1), ==, 0);
    opts.monitorFd = lfd;
    opts.sandbox = qemuCapsHasSandbox(caps);
    /* file-backed guest memory: QEMU makes its files in the scratch dir */
    opts.memoryDir = dir;
    /* an encrypted image's passphrase, under a master key QEMU reads */
    if (hasSecrets(def))
        opts.secrets = secrets = fakeSecretsFull(def, dir, true);
    if (!(argv = qemuBuildCommandLine(def, capsFor(def), &opts)))
        g_error("%s: %s", name, virGetLastErrorMessage());
    sp.argv = (const char *const *)argv;
    sp.logfd = -1;
    sp.keepfds = &lfd;
    sp.nkeepfds = 1;
    g_assert_cmpint(virProcessSpawn(&sp, &pid, &pidfd), ==, 0);
    close(lfd);
    g_assert_cmpint(cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), >=, 0);
    g_assert_cmpint(connect(cfd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    mon = qemuMonitorOpen(cfd, NULL, NULL, REAL_START_TIMEOUT_MS);
    if (!mon) {
        virProcessPidfdKill(pidfd, SIGKILL);
        virProcessWaitPidfd(pidfd, G_MAXINT64);
        virProcessReapPidfd(pidfd, NULL);
        g_error("%s: QEMU refused the command line: %s", name, virGetLastErrorMessage());
    }
    g_assert_cmpint(qemuMonitorQueryStatus(mon, &status, &running), ==, 0);
    g_assert_cmpstr(status, ==, "prelaunch");
    g_assert_false(running);
    /* pty serials: QEMU made a pty and the monitor finds it by alias. */
    for (size_t i = 0; i < def->nserials; i++) {
        g_autofree char *alias = g_strdup_printf("charserial%zu", i);
        g_autofree char *pty = NULL;

        if (def->serials[i]->type != VIR_DOMAIN_CHR_TYPE_PTY)
            continue;
        g_assert_cmpint(qemuMonitorGetPtyPath(mon, alias, &pty), ==, 0);
        g_assert_true(g_str_has_prefix(pty, "/dev/pts/"));
    }
    /* QEMU opened each <log> at start (made it, or kept it to append) */
    for (size_t i = 0; i < def->nserials + def->nconsoles; i++) {
        const virDomainChrDef *chr =
            i < def->nserials ? def->serials[i] : def->consoles[i - def->nserials];

        if (chr->logFile &&
            (i < def->nserials || chr->targetType == VIR_DOMAIN_CHR_TARGET_VIRTIO))
            g_assert_true(g_file_test(chr->logFile, G_FILE_TEST_IS_REGULAR));
    }
    /* an encrypted image: QEMU opened it with the passphrase it was given
     * (a wrong one fails the start above) and says so in query-block */
    for (size_t i = 0; i < def->ndisks; i++) {
        g_autoptr(json_object) block = NULL;
        g_autofree char *id = qemuDiskAlias(def, def->disks[i]);
        /* a virtio disk's is its backend's QOM path */
        g_autofree char *path = g_strdup_printf("/machine/peripheral/%s/", id);
        bool found = false;

        if (!qemuDiskHasEncryptionSecret(def->disks[i]))
            continue;
        g_assert_cmpint(
            qemuMonitorCommand(mon, "query-block", NULL, REAL_START_TIMEOUT_MS, &block),
            ==, 0);
        for (size_t j = 0; j < json_object_array_length(block); j++) {
            json_object *b = json_object_array_get_idx(block, j);
            json_object *qdev = NULL;
            json_object *inserted = NULL;
            json_object *enc = NULL;

            if (!json_object_object_get_ex(b, "qdev", &qdev) ||
                (!g_str_equal(json_object_get_string(qdev), id) &&
                 !g_str_has_prefix(json_object_get_string(qdev), path)))
                continue;
            found = true;
            g_assert_true(json_object_object_get_ex(b, "inserted", &inserted));
            g_assert_true(json_object_object_get_ex(inserted, "encrypted", &enc));
            g_assert_true(json_object_get_boolean(enc));
        }
        if (!found)
            g_error("%s: no block device %s in query-block", name, id);
    }
    /* a socket QEMU connects to at start has its connection waiting */
    for (guint i = 0; i < peers->len; i++) {
        int fd = g_array_index(peers, int, i);
        int conn;

        if (fd < 0)
            continue;
        conn = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (conn < 0)
            g_error("%s: QEMU did not connect to character device %u: %s", name, i,
                    g_strerror(errno));
        close(conn);
    }
    /* <iotune>: the limits the driver gives after start (qemu_iotune.c),
     * taken by this QEMU and read back from query-block as set; a burst's
     * unset length is QEMU's 1, a disk outside a group is in one named
     * after its device */
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *disk = def->disks[i];
        g_autoptr(json_object) args = NULL;
        g_autoptr(json_object) block = NULL;
        g_autofree char *id = NULL;
        virDomainBlockIoTuneInfo want = { 0 };
        virDomainBlockIoTuneInfo got = { 0 };

        if ((!disk->src && !disk->net) || !qemuIoTuneEnabled(disk))
            continue;
        args = qemuIoTuneThrottleArgs(def, disk, &disk->iotune);
        if (qemuMonitorCommand(mon, "block_set_io_throttle", args, REAL_START_TIMEOUT_MS,
                               NULL) < 0)
            g_error("%s: %s: %s", name, disk->dst, virGetLastErrorMessage());
        g_assert_cmpint(
            qemuMonitorCommand(mon, "query-block", NULL, REAL_START_TIMEOUT_MS, &block),
            ==, 0);
        g_assert_cmpint(qemuIoTuneFromBlock(block, def, disk, &got), ==, 0);
        virDomainBlockIoTuneCopy(&disk->iotune, &want);
        for (size_t k = 0; k < VIR_DOMAIN_IOTUNE_BASE_LAST; k++) {
            if (want.max[k] && !want.maxLen[k])
                want.maxLen[k] = 1;
        }
        if (!virDomainBlockIoTuneEqual(&got, &want))
            g_error("%s: %s: QEMU has other limits: %s", name, disk->dst,
                    json_object_to_json_string(block));
        id = qemuIoTuneDeviceId(def, disk);
        g_assert_cmpstr(got.groupName, ==, want.groupName ? want.groupName : id);
        virDomainBlockIoTuneClear(&got);
        virDomainBlockIoTuneClear(&want);
    }
    /* <pcihole64>: QEMU's host bridge has the size given (in bytes) */
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const virDomainControllerDef *c = def->controllers[i];
        g_autoptr(json_object) args = NULL;
        g_autoptr(json_object) got = NULL;
        bool q35;

        if (c->type != VIR_DOMAIN_CONTROLLER_TYPE_PCI || !c->pcihole64)
            continue;
        q35 = g_str_equal(c->model, "pcie-root");
        args = json_object_new_object();
        json_object_object_add(
            args, "path",
            json_object_new_string(q35 ? "/machine/q35" : "/machine/i440fx"));
        json_object_object_add(args, "property",
                               json_object_new_string("pci-hole64-size"));
        if (qemuMonitorCommand(mon, "qom-get", args, REAL_START_TIMEOUT_MS, &got) < 0)
            g_error("%s: qom-get: %s", name, virGetLastErrorMessage());
        g_assert_cmpuint((guint64)json_object_get_int64(got), ==,
                         c->pcihole64Size * 1024);
    }
    /* a given backing chain: each layer's storage node opened its image
     * and each format node's "backing" child in QEMU's block graph is the
     * next layer's (none below a terminated chain) */
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *disk = def->disks[i];
        g_autoptr(json_object) nodes = NULL;
        g_autoptr(json_object) graph = NULL;
        json_object *gnodes = NULL;
        json_object *gedges = NULL;
        bool terminated;
        g_autoptr(GPtrArray) layers = NULL;
        size_t top = qemuDiskNodeIndex(def, disk);

        if (!disk->backing || !top)
            continue;
        layers = qemuDiskLayers(disk, &terminated);
        g_assert_cmpint(qemuMonitorCommand(mon, "query-named-block-nodes", NULL,
                                           REAL_START_TIMEOUT_MS, &nodes),
                        ==, 0);
        g_assert_cmpint(qemuMonitorCommand(mon, "x-debug-query-block-graph", NULL,
                                           REAL_START_TIMEOUT_MS, &graph),
                        ==, 0);
        g_assert_true(json_object_object_get_ex(graph, "nodes", &gnodes));
        g_assert_true(json_object_object_get_ex(graph, "edges", &gedges));
        for (guint j = 0; j <= layers->len; j++) {
            g_autofree char *storage = g_strdup_printf("libvirt-%zu-storage", top + j);
            g_autofree char *fmt = g_strdup_printf("libvirt-%zu-format", top + j);
            const char *file =
                j ? ((qemuDiskLayer *)layers->pdata[j - 1])->path : disk->src;
            const char *below = NULL;
            gint64 fmtId = -1;
            bool found = false;

            for (size_t k = 0; k < json_object_array_length(nodes); k++) {
                json_object *n = json_object_array_get_idx(nodes, k);
                json_object *v = NULL;

                if (!json_object_object_get_ex(n, "node-name", &v) ||
                    g_strcmp0(json_object_get_string(v), storage) != 0)
                    continue;
                found = true;
                g_assert_true(json_object_object_get_ex(n, "file", &v));
                g_assert_cmpstr(json_object_get_string(v), ==, file);
            }
            if (!found)
                g_error("%s: %s: no node %s", name, disk->dst, storage);
            for (size_t k = 0; k < json_object_array_length(gnodes); k++) {
                json_object *n = json_object_array_get_idx(gnodes, k);
                json_object *v = NULL;

                if (json_object_object_get_ex(n, "name", &v) &&
                    g_strcmp0(json_object_get_string(v), fmt) == 0 &&
                    json_object_object_get_ex(n, "id", &v))
                    fmtId = json_object_get_int64(v);
            }
            g_assert_cmpint(fmtId, >=, 0);
            for (size_t k = 0; k < json_object_array_length(gedges); k++) {
                json_object *e = json_object_array_get_idx(gedges, k);
                json_object *v = NULL;
                json_object *c = NULL;

                if (!json_object_object_get_ex(e, "parent", &v) ||
                    json_object_get_int64(v) != fmtId ||
                    !json_object_object_get_ex(e, "name", &v) ||
                    g_strcmp0(json_object_get_string(v), "backing") != 0 ||
                    !json_object_object_get_ex(e, "child", &c))
                    continue;
                for (size_t m = 0; m < json_object_array_length(gnodes); m++) {
                    json_object *n = json_object_array_get_idx(gnodes, m);

                    if (json_object_object_get_ex(n, "id", &v) &&
                        json_object_get_int64(v) == json_object_get_int64(c) &&
                        json_object_object_get_ex(n, "name", &v))
                        below = json_object_get_string(v);
                }
            }
            if (j < layers->len) {
                g_autofree char *want =
                    g_strdup_printf("libvirt-%zu-format", top + j + 1);

                g_assert_cmpstr(below, ==, want);
            } else if (terminated) {
                g_assert_null(below);
            }
        }
    }
    g_assert_cmpint(qemuMonitorQuit(mon), ==, 0);
    qemuDomainReleaseVNCPorts(def);
    qemuMonitorClose(mon);
    g_assert_cmpint(virProcessWaitPidfd(pidfd, g_get_monotonic_time() +
                                                   REAL_START_TIMEOUT_MS * (gint64)1000),
                    ==, 1);
    virProcessReapPidfd(pidfd, NULL);
    close(pidfd);
    for (guint i = 0; i < peers->len; i++) {
        int fd = g_array_index(peers, int, i);

        close(fd < 0 ? -fd - 2 : fd);
    }
    /* QEMU gone: its virtiofsds end with their vhost-user connection, or
     * now */
    for (size_t i = 0; i < nvfs; i++) {
        virProcessPidfdKill(vfsPidfds[i], SIGTERM);
        g_assert_cmpint(virProcessWaitPidfd(vfsPidfds[i],
                                            g_get_monotonic_time() + 30 * G_USEC_PER_SEC),
                        ==, 1);
        virProcessReapPidfd(vfsPidfds[i], NULL);
        close(vfsPidfds[i]);
    }
    {
        g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
        const char *f;

        while ((f = g_dir_read_name(d))) {
            g_autofree char *p = g_build_filename(dir, f, NULL);

            unlink(p);
        }
    }
    rmdir(dir);
}

/* @file under DATADIR, rewritten from a fresh probe of @binary (NULL:
 * qemu-system-x86_64) with TEST_REGENERATE=1. NULL when @optional and
 * neither the file nor the binary exists. */
static qemuCaps *
loadCapsFile(const char *file, const char *binary, bool optional)
{
    g_autofree char *path = g_build_filename(DATADIR, file, NULL);
    qemuCaps *c;

    if (regenerate && (binary || !optional)) {
        g_autofree char *dir = g_dir_make_tmp("xml2argv-caps-XXXXXX", NULL);
        g_autoptr(qemuCapsCache) cache = qemuCapsCacheNew(dir);
        g_autoptr(qemuCaps) fresh = qemuCapsCacheLookup(cache, binary);
        g_autofree char *cdir = g_build_filename(dir, "capabilities", NULL);
        g_autoptr(GDir) d = g_dir_open(cdir, 0, NULL);
        g_autofree char *src = NULL;
        g_autofree char *text = NULL;

        g_assert_nonnull(fresh);
        g_assert_nonnull(d);
        src = g_build_filename(cdir, g_dir_read_name(d), NULL);
        g_assert_true(g_file_get_contents(src, &text, NULL, NULL));
        g_assert_true(g_file_set_contents(path, text, -1, NULL));
        unlink(src);
        rmdir(cdir);
        rmdir(dir);
    }
    if (optional && !g_file_test(path, G_FILE_TEST_EXISTS))
        return NULL;
    if (!(c = qemuCapsLoadFile(path)))
        g_error("%s", virGetLastErrorMessage());
    return c;
}

static void
loadCaps(void)
{
    g_autofree char *bin32 = qemuCapsBinaryForArch("i686");

    caps = loadCapsFile("caps.json", NULL, false);
    caps32 = loadCapsFile("caps-i386.json", bin32, true);
}

static gint
compareNames(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    bool haveQemu;
    bool noReal = false;
    const char *n;
    unsigned int part = 1;
    unsigned int nparts = 1;

    /* --part=K/N: only every Nth fixture, from the Kth (meson runs the
     * parts side by side: tests/xml2argv/meson.build); default all.
     * --no-real: the goldens only, no QEMU started (the sanitizer build:
     * the argv it would start is the plain build's, started there). */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-real") == 0) {
            noReal = true;
            memmove(&argv[i], &argv[i + 1], (argc - i) * sizeof(char *));
            argc--;
            i--;
        } else if (sscanf(argv[i], "--part=%u/%u", &part, &nparts) == 2) {
            g_assert_true(nparts > 0 && part >= 1 && part <= nparts);
            memmove(&argv[i], &argv[i + 1], (argc - i) * sizeof(char *));
            argc--;
            i--;
        }
    }
    g_test_init(&argc, &argv, NULL);
    {
        int base = 20 * (int)((unsigned int)getpid() % 1400);

        testPorts.displayMin = 5900 + base;
        testPorts.displayMax = testPorts.displayMin + 19;
        testPorts.websocketMin = 35900 + base;
        testPorts.websocketMax = testPorts.websocketMin + 19;
    }
    regenerate = g_getenv("TEST_REGENERATE") != NULL;
    {
        g_autofree char *qemu = g_find_program_in_path("qemu-system-x86_64");

        haveQemu = qemu != NULL && !noReal;
    }
    loadCaps();

    g_assert_nonnull(dir = g_dir_open(DATADIR, 0, NULL));
    while ((n = g_dir_read_name(dir))) {
        if (g_str_has_suffix(n, ".xml") && !g_str_has_suffix(n, ".def.xml"))
            g_ptr_array_add(names, g_strndup(n, strlen(n) - 4));
    }
    g_ptr_array_sort(names, compareNames);
    g_assert_cmpuint(names->len, >, 0);
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *tp = NULL;

        if (i % nparts != part - 1)
            continue;
        tp = g_strdup_printf("/qemu/command/golden/%s", name);
        g_autofree char *args = g_strdup_printf("%s/%s.args", DATADIR, name);

        g_test_add_data_func(tp, name, testGolden);
        /* Goldens that are argvs are also started for real. */
        if (haveQemu && (g_file_test(args, G_FILE_TEST_EXISTS) || regenerate)) {
            g_autofree char *rp = g_strdup_printf("/qemu/command/real/%s", name);

            g_test_add_data_func(rp, name, testReal);
        }
    }
    return g_test_run();
}
