/* qemu_command_graphics.c: graphics and video on the QEMU command line, and the display ports
 *
 * -vnc, -spice and -display as libvirt 9.0 gives them, the video devices,
 * and the automatic VNC/SPICE/WebSocket ports: a process-wide table of the
 * ports handed out (qemuVNCPortsLock) so that two starts never pick one
 * port between the bind check and QEMU's bind.
 */
#define G_LOG_DOMAIN "virtkit.qemu.command"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "qemu_command_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* Ports handed out by qemuDomainReserveVNCPorts and not released yet:
 * covers the window between choosing a port and QEMU binding it. */
static GMutex qemuVNCPortsLock;
static GHashTable *qemuVNCPorts;

static bool
qemuVNCPortBindable(const char *listen, int port)
{
    struct sockaddr_storage ss = { 0 };
    socklen_t len;
    int fd;
    bool ok;
    int one = 1;

    if (strchr(listen, ':')) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(port);
        if (inet_pton(AF_INET6, listen, &sin6->sin6_addr) != 1)
            return true; /* a name: QEMU resolves it and reports */
        len = sizeof(*sin6);
    } else {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        if (inet_pton(AF_INET, listen, &sin->sin_addr) != 1)
            return true;
        len = sizeof(*sin);
    }
    if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
        return false;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    ok = bind(fd, (struct sockaddr *)&ss, len) == 0;
    close(fd);
    return ok;
}

/* The lowest port of [@from, @to] nobody holds that binds on @listen. */
static int
qemuVNCPortFind(const char *listen, int from, int to)
{
    for (int port = from; port <= to; port++) {
        if (!g_hash_table_contains(qemuVNCPorts, GINT_TO_POINTER(port)) &&
            qemuVNCPortBindable(listen, port)) {
            g_hash_table_add(qemuVNCPorts, GINT_TO_POINTER(port));
            return port;
        }
    }
    return -1;
}

/* The port for a graphics listener on @listen: the first of @min..@max
 * when only @pretend-ing, else the lowest free one (reserved). */
static int
qemuVNCPortPick(const char *listen, int min, int max, bool pretend)
{
    return pretend ? min : qemuVNCPortFind(listen, min, max);
}

static int
qemuDomainAssignVNCPorts(virDomainDef *def, const qemuPortRanges *ranges, bool pretend)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&qemuVNCPortsLock);

    if (!qemuVNCPorts)
        qemuVNCPorts = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (size_t i = 0; i < def->ngraphics; i++) {
        virDomainGraphicsDef *g = def->graphics[i];
        bool spice = g->type == VIR_DOMAIN_GRAPHICS_TYPE_SPICE;

        if (g->listenType != VIR_DOMAIN_GRAPHICS_LISTEN_ADDRESS &&
            g->listenType != VIR_DOMAIN_GRAPHICS_LISTEN_NETWORK)
            continue;
        if (!g->listen)
            g->listen = g_strdup("127.0.0.1");
        if (g->autoport && (g->port = qemuVNCPortPick(g->listen, ranges->displayMin,
                                                      ranges->displayMax, pretend)) < 0) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "Unable to find an unused port for %s",
                           spice ? "SPICE" : "VNC");
            return -1;
        }
        /* no TLS: an automatic TLS port is not given one (libvirt without
         * spice_tls does the same) */
        if (spice && g->tlsPort < 0)
            g->tlsPort = 0;
        if (!spice && g->websocket == -1 &&
            (g->websocket = qemuVNCPortPick(g->listen, ranges->websocketMin,
                                            ranges->websocketMax, pretend)) < 0) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "Unable to find an unused port for VNC WebSocket");
            return -1;
        }
    }
    return 0;
}

int
qemuDomainReserveVNCPorts(virDomainDef *def, const qemuPortRanges *ranges)
{
    return qemuDomainAssignVNCPorts(def, ranges, false);
}

void
qemuDomainPretendVNCPorts(virDomainDef *def, const qemuPortRanges *ranges)
{
    (void)qemuDomainAssignVNCPorts(def, ranges, true);
}

void
qemuDomainReleaseVNCPorts(const virDomainDef *def)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&qemuVNCPortsLock);

    for (size_t i = 0; qemuVNCPorts && i < def->ngraphics; i++) {
        const virDomainGraphicsDef *g = def->graphics[i];

        if (g->listenType != VIR_DOMAIN_GRAPHICS_LISTEN_ADDRESS &&
            g->listenType != VIR_DOMAIN_GRAPHICS_LISTEN_NETWORK)
            continue;
        if (g->autoport && g->port > 0)
            g_hash_table_remove(qemuVNCPorts, GINT_TO_POINTER(g->port));
        if (g->websocketGenerated && g->websocket > 0)
            g_hash_table_remove(qemuVNCPorts, GINT_TO_POINTER(g->websocket));
    }
}

/* A path in a QEMU option value: commas doubled (QEMU's escape) */
static void
qemuAppendOptPath(GString *opt, const char *path)
{
    for (const char *p = path; *p; p++) {
        if (*p == ',')
            g_string_append_c(opt, ',');
        g_string_append_c(opt, *p);
    }
}

/* -vnc as libvirt 9.0 builds it for QEMU 7.2: ADDR:DISPLAY (the port was
 * chosen at start for autoport), vnc=unix:PATH or none, with websocket,
 * share policy, password=on (the password is set over QMP before the
 * guest runs: qemuProcessSetGraphicsPasswords) and the audio backend; -k
 * for a keymap. */
static void
qemuBuildGraphicsVNC(GPtrArray *a, const virDomainGraphicsDef *g, const char *audiodev)
{
    g_autoptr(GString) opt = g_string_new(NULL);

    if (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_NONE) {
        g_string_append(opt, "none");
    } else if (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_SOCKET) {
        g_string_append(opt, "vnc=unix:");
        qemuAppendOptPath(opt, g->socket);
    } else {
        const char *listen = g->listen ? g->listen : "127.0.0.1";
        bool v6 = strchr(listen, ':') != NULL;

        g_string_append_printf(opt, "%s%s%s:%d", v6 ? "[" : "", listen, v6 ? "]" : "",
                               g->port - 5900);
        if (g->websocket)
            g_string_append_printf(opt, ",websocket=%d", g->websocket);
    }
    if (g->sharePolicy)
        g_string_append_printf(opt, ",share=%s", g->sharePolicy);
    if (g->passwd)
        g_string_append(opt, ",password=on");
    g_string_append_printf(opt, ",audiodev=%s", audiodev);
    add(a, "-vnc");
    add(a, opt->str);
    if (g->keymap) {
        add(a, "-k");
        add(a, g->keymap);
    }
}

/* -spice as libvirt 9.0 builds it without TLS (the validator refused a
 * TLS port and secure modes): port, the listen (addr= or unix,addr=PATH),
 * disable-ticketing=on unless there is a password (set over QMP before
 * the guest runs), plaintext-channel=default for defaultMode insecure,
 * the option children, seamless-migration=on; -k for a keymap. */
static void
qemuBuildGraphicsSPICE(GPtrArray *a, const virDomainGraphicsDef *g)
{
    /* QEMU's option for each of virDomainGraphicsSpiceOption, and its
     * values by libvirt's index (NULL: libvirt's name) */
    static const char *const mouseValues[] = { NULL, "off", "on" };
    static const char *const disableValues[] = { NULL, NULL, "on" };
    static const struct {
        const char *opt;
        const char *const *values;
    } opts[VIR_DOMAIN_SPICE_OPTION_LAST] = {
        [VIR_DOMAIN_SPICE_IMAGE] = { "image-compression", NULL },
        [VIR_DOMAIN_SPICE_JPEG] = { "jpeg-wan-compression", NULL },
        [VIR_DOMAIN_SPICE_ZLIB] = { "zlib-glz-wan-compression", NULL },
        [VIR_DOMAIN_SPICE_PLAYBACK] = { "playback-compression", NULL },
        [VIR_DOMAIN_SPICE_STREAMING] = { "streaming-video", NULL },
        [VIR_DOMAIN_SPICE_MOUSE] = { "agent-mouse", mouseValues },
        [VIR_DOMAIN_SPICE_CLIPBOARD] = { "disable-copy-paste", disableValues },
        [VIR_DOMAIN_SPICE_FILETRANSFER] = { "disable-agent-file-xfer", disableValues },
        [VIR_DOMAIN_SPICE_GL] = { NULL, NULL },
    };
    g_autoptr(GString) opt = g_string_new(NULL);
    const int mouse = g->spice[VIR_DOMAIN_SPICE_MOUSE];

    /* libvirt's order: listen, mouse, ticketing, default channel mode,
     * then the other option children in their XML order */
    if (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_SOCKET) {
        g_string_append(opt, "unix,addr=");
        qemuAppendOptPath(opt, g->socket);
        g_string_append_c(opt, ',');
    } else {
        g_string_append_printf(opt, "port=%d,", MAX(g->port, 0));
        if (g->listenType != VIR_DOMAIN_GRAPHICS_LISTEN_NONE && g->listen)
            g_string_append_printf(opt, "addr=%s,", g->listen);
    }
    if (mouse)
        g_string_append_printf(opt, "agent-mouse=%s,",
                               opts[VIR_DOMAIN_SPICE_MOUSE].values[mouse]);
    if (!g->passwd)
        g_string_append(opt, "disable-ticketing=on,");
    if (g->defaultMode && g_str_equal(g->defaultMode, "insecure"))
        g_string_append(opt, "plaintext-channel=default,");
    for (int o = 0; o < VIR_DOMAIN_SPICE_OPTION_LAST; o++) {
        const char *const *names = virDomainGraphicsSpiceOptionValues(o, NULL, NULL);
        const char *val;

        if (!g->spice[o] || o == VIR_DOMAIN_SPICE_MOUSE || !opts[o].opt)
            continue;
        val = opts[o].values ? opts[o].values[g->spice[o]] : names[g->spice[o]];
        if (val)
            g_string_append_printf(opt, "%s=%s,", opts[o].opt, val);
    }
    g_string_append(opt, "seamless-migration=on");
    add(a, "-spice");
    add(a, opt->str);
    if (g->keymap) {
        add(a, "-k");
        add(a, g->keymap);
    }
}

/* The graphics: the audio backends first (<audio>; the post-parse gives
 * every domain one: 'spice' with SPICE graphics and no VNC, else 'none'),
 * then each display, SPICE and VNC taking the first backend. */
void
qemuBuildGraphics(GPtrArray *a, const virDomainDef *def)
{
    g_autofree char *audiodev = NULL;

    for (size_t i = 0; i < def->naudios; i++) {
        add(a, "-audiodev");
        g_ptr_array_add(a, qemuAudiodevProps(&def->audios[i]));
    }
    if (def->naudios > 0)
        audiodev = g_strdup_printf("audio%d", def->audios[0].id);
    else if (def->ngraphics > 0 &&
             (def->ngraphics > 1 || !qemuDomainHasEGLHeadless(def))) {
        /* a definition that skipped the post-parse */
        add(a, "-audiodev");
        add(a, "none,id=audio1");
        audiodev = g_strdup("audio1");
    }
    for (size_t i = 0; i < def->ngraphics; i++) {
        const virDomainGraphicsDef *g = def->graphics[i];

        if (g->type == VIR_DOMAIN_GRAPHICS_TYPE_SPICE) {
            qemuBuildGraphicsSPICE(a, g);
        } else if (g->type == VIR_DOMAIN_GRAPHICS_TYPE_EGL_HEADLESS) {
            g_autofree char *node = g->rendernode ? qemuEscapeComma(g->rendernode) : NULL;

            add(a, "-display");
            addf(a, "egl-headless%s%s", node ? ",rendernode=" : "", node ? node : "");
        } else if (g->audioId > 0) {
            g_autofree char *own = g_strdup_printf("audio%d", g->audioId);

            qemuBuildGraphicsVNC(a, g, own);
        } else {
            qemuBuildGraphicsVNC(a, g, audiodev);
        }
    }
}

void
qemuBuildVideos(GPtrArray *a, const virDomainDef *def)
{
    for (size_t i = 0; i < def->nvideos; i++) {
        const virDomainVideoDef *v = def->videos[i];
        g_autofree char *pci = qemuPCIAddrProps(def, &v->addr);

        if (g_str_equal(v->type, "none"))
            continue;
        add(a, "-device");
        if (g_str_equal(v->type, "virtio")) {
            /* libvirt's qemuDeviceVideoGetModel: the virgl devices for
             * accel3d='yes' (this QEMU lists them) */
            bool gl = v->accel3d == VIR_DOMAIN_TRISTATE_ON;
            g_autoptr(GString) dev =
                g_string_new(v->primary ? (gl ? "virtio-vga-gl" : "virtio-vga")
                                        : (gl ? "virtio-gpu-gl-pci" : "virtio-gpu-pci"));

            qemuVirtioOptionsKeyval(dev, &v->virtio);
            addf(a, "%s,id=video%zu,max_outputs=%d%s", dev->str, i, MAX(v->heads, 1),
                 pci);
        } else if (g_str_equal(v->type, "vga"))
            addf(a, "VGA,id=video%zu,vgamem_mb=%d%s", i, MAX(v->vram / 1024, 1), pci);
        else if (g_str_equal(v->type, "qxl"))
            addf(a,
                 "%s,id=video%zu,max_outputs=%d,ram_size=%lld,vram_size=%lld,"
                 "vram64_size_mb=%d,vgamem_mb=%d%s",
                 v->primary ? "qxl-vga" : "qxl", i, MAX(v->heads, 1),
                 (long long)v->ram * 1024, (long long)v->vram * 1024, v->vram64 / 1024,
                 v->vgamem / 1024, pci);
        else if (g_str_equal(v->type, "cirrus"))
            addf(a, "cirrus-vga,id=video%zu%s", i, pci);
        else
            addf(a, "bochs-display,id=video%zu,vgamem=%dk%s", i, v->vram, pci);
    }
}
