/* domain_graphics_conf.c: parsing of the display devices of <devices> (input, graphics, audio, video) */

#define G_LOG_DOMAIN "virtkit.conf.graphics"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

static const char *const inputTypeNames[VIR_DOMAIN_INPUT_TYPE_LAST] = {
    "mouse", "tablet", "keyboard", "passthrough", "evdev",
};
static const char *const inputBusNames[VIR_DOMAIN_INPUT_BUS_LAST] = { "ps2", "usb",
                                                                      "virtio", "none" };
static const char *const inputModelNames[VIR_DOMAIN_INPUT_MODEL_LAST] = {
    "default",
    "virtio",
    "virtio-transitional",
    "virtio-non-transitional",
};
static const char *const inputGrabNames[VIR_DOMAIN_INPUT_GRAB_LAST] = { "default",
                                                                        "all" };
static const char *const inputGrabToggleNames[VIR_DOMAIN_INPUT_GRAB_TOGGLE_LAST] = {
    "default",   "ctrl-ctrl",  "alt-alt",         "shift-shift",
    "meta-meta", "scrolllock", "ctrl-scrolllock",
};

const char *
virDomainInputTypeToString(int type)
{
    return virDomainEnumToString(inputTypeNames, VIR_DOMAIN_INPUT_TYPE_LAST, type);
}

const char *
virDomainInputBusToString(int bus)
{
    return virDomainEnumToString(inputBusNames, VIR_DOMAIN_INPUT_BUS_LAST, bus);
}

const char *
virDomainInputModelToString(int model)
{
    return virDomainEnumToString(inputModelNames, VIR_DOMAIN_INPUT_MODEL_LAST, model);
}

const char *
virDomainInputGrabToString(int grab)
{
    return virDomainEnumToString(inputGrabNames, VIR_DOMAIN_INPUT_GRAB_LAST, grab);
}

const char *
virDomainInputGrabToggleToString(int toggle)
{
    return virDomainEnumToString(inputGrabToggleNames, VIR_DOMAIN_INPUT_GRAB_TOGGLE_LAST,
                                 toggle);
}

void
virDomainInputDefClear(virDomainInputDef *in)
{
    if (!in)
        return;
    g_free(in->evdev);
    memset(in, 0, sizeof(*in));
}

void
virDomainInputDefCopyInto(virDomainInputDef *dst, const virDomainInputDef *src)
{
    *dst = *src;
    dst->evdev = g_strdup(src->evdev);
}

static void
inputArrayClear(gpointer data)
{
    virDomainInputDefClear(data);
}

/* libvirt's virXMLPropEnum with VIR_XML_PROP_NONZERO: absent leaves 0 */
static int
inputPropEnum(xmlNodePtr node, const char *name, const char *const *names, int last,
              int *out)
{
    g_autofree char *str = virDomainXMLProp(node, name);
    int val;

    if (!str)
        return 0;
    if ((val = virDomainEnumFromString(names, last, str)) <= 0) {
        virDomainXMLReportInvalidAttr(name, node, str);
        return -1;
    }
    *out = val;
    return 0;
}

/* libvirt's virDomainInputDefParseXML and the input rules of its
 * virDomainInputDefValidate (checked here, at parse time) */
static int
parseInputSource(virDomainInputDef *in, xmlNodePtr node)
{
    xmlNodePtr source = virDomainXMLChild(node, "source");

    if (!source)
        return 0;
    if (in->type == VIR_DOMAIN_INPUT_TYPE_PASSTHROUGH)
        in->evdev = virDomainXMLProp(source, "evdev");
    else if (in->type == VIR_DOMAIN_INPUT_TYPE_EVDEV)
        in->evdev = virDomainXMLProp(source, "dev");
    else
        return 0;
    if (!in->evdev) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "Missing evdev path for input device");
        return -1;
    }
    virDomainSanitizePath(in->evdev);
    if (in->type != VIR_DOMAIN_INPUT_TYPE_EVDEV)
        return 0;
    if (inputPropEnum(source, "grab", inputGrabNames, VIR_DOMAIN_INPUT_GRAB_LAST,
                      &in->grab) < 0 ||
        inputPropEnum(source, "grabToggle", inputGrabToggleNames,
                      VIR_DOMAIN_INPUT_GRAB_TOGGLE_LAST, &in->grabToggle) < 0 ||
        virDomainXMLPropSwitch(source, "repeat", &in->repeat) < 0)
        return -1;
    return 0;
}

static void
graphicsFree(gpointer data)
{
    virDomainGraphicsDefFree(data);
}

static void
videoFree(gpointer data)
{
    virDomainVideoDef *v = data;

    g_free(v->type);
    g_free(v->rendernode);
    g_free(v);
}

static int
parseInput(GArray *inputs, xmlNodePtr node, unsigned int flags)
{
    g_auto(virDomainInputDef) in = { 0 };
    g_autofree char *type = virDomainXMLProp(node, "type");
    g_autofree char *bus = virDomainXMLProp(node, "bus");
    g_autofree char *model = virDomainXMLProp(node, "model");

    if (!type) {
        virDomainXMLReportMissingAttr("type", node);
        return -1;
    }
    if ((in.type = virDomainEnumFromString(inputTypeNames, VIR_DOMAIN_INPUT_TYPE_LAST,
                                           type)) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown input device type '%s'",
                       type);
        return -1;
    }
    if (model && (in.model = virDomainEnumFromString(
                      inputModelNames, VIR_DOMAIN_INPUT_MODEL_LAST, model)) <= 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown input model '%s'", model);
        return -1;
    }
    if (bus) {
        if ((in.bus = virDomainEnumFromString(inputBusNames, VIR_DOMAIN_INPUT_BUS_LAST,
                                              bus)) < 0) {
            if (g_str_equal(bus, "xen") || g_str_equal(bus, "parallels"))
                virDomainReportUnsupportedValue("input bus", bus);
            else
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown input bus type '%s'",
                               bus);
            return -1;
        }
    } else if (in.type == VIR_DOMAIN_INPUT_TYPE_MOUSE ||
               in.type == VIR_DOMAIN_INPUT_TYPE_KBD) {
        in.bus = VIR_DOMAIN_INPUT_BUS_PS2;
    } else if (in.type == VIR_DOMAIN_INPUT_TYPE_PASSTHROUGH) {
        in.bus = VIR_DOMAIN_INPUT_BUS_VIRTIO;
    } else if (in.type == VIR_DOMAIN_INPUT_TYPE_EVDEV) {
        in.bus = VIR_DOMAIN_INPUT_BUS_NONE;
    } else {
        in.bus = VIR_DOMAIN_INPUT_BUS_USB;
    }
    if (!(flags & VIR_DOMAIN_DEF_PARSE_INACTIVE)) {
        xmlNodePtr alias = virDomainXMLChild(node, "alias");
        g_autofree char *name = alias ? virDomainXMLProp(alias, "name") : NULL;

        /* (longer ones are not a QEMU driver's: ignored as live data) */
        if (name && strlen(name) < sizeof(in.alias))
            g_strlcpy(in.alias, name, sizeof(in.alias));
    }
    if (virDomainDeviceAddressParse(node, &in.addr) < 0 ||
        parseInputSource(&in, node) < 0 ||
        virDomainVirtioOptionsParse(virDomainXMLChild(node, "driver"), &in.virtio) < 0)
        return -1;

    /* virDomainInputDefValidate */
    if (in.bus == VIR_DOMAIN_INPUT_BUS_PS2 && in.type != VIR_DOMAIN_INPUT_TYPE_MOUSE &&
        in.type != VIR_DOMAIN_INPUT_TYPE_KBD) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "ps2 bus does not support %s input device",
                       type);
        return -1;
    }
    if (in.type == VIR_DOMAIN_INPUT_TYPE_PASSTHROUGH &&
        in.bus != VIR_DOMAIN_INPUT_BUS_VIRTIO) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "only bus 'virtio' is supported for 'passthrough' input devices");
        return -1;
    }
    if (in.type == VIR_DOMAIN_INPUT_TYPE_EVDEV && in.bus != VIR_DOMAIN_INPUT_BUS_NONE) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "input evdev doesn't support bus element");
        return -1;
    }
    if (in.model && in.bus != VIR_DOMAIN_INPUT_BUS_VIRTIO) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "only bus 'virtio' is supported for input model '%s'", model);
        return -1;
    }
    g_array_append_val(inputs, in);
    memset(&in, 0, sizeof(in)); /* the array owns evdev now */
    return 0;
}

static const char *const graphicsTypeNames[VIR_DOMAIN_GRAPHICS_TYPE_LAST] = {
    "vnc",
    "spice",
    "egl-headless",
};

const char *
virDomainGraphicsTypeToString(int type)
{
    return virDomainEnumToString(graphicsTypeNames, VIR_DOMAIN_GRAPHICS_TYPE_LAST, type);
}

/* libvirt's names for the SPICE option children, index 0 standing for
 * "absent" (libvirt's *_DEFAULT) */
static const struct {
    const char *element;
    const char *attr;
    const char *const values[8];
} spiceOptions[VIR_DOMAIN_SPICE_OPTION_LAST] = {
    [VIR_DOMAIN_SPICE_IMAGE] = { "image",
                                 "compression",
                                 { "", "auto_glz", "auto_lz", "quic", "glz", "lz", "off",
                                   NULL } },
    [VIR_DOMAIN_SPICE_JPEG] = { "jpeg",
                                "compression",
                                { "", "auto", "never", "always", NULL } },
    [VIR_DOMAIN_SPICE_ZLIB] = { "zlib",
                                "compression",
                                { "", "auto", "never", "always", NULL } },
    [VIR_DOMAIN_SPICE_PLAYBACK] = { "playback",
                                    "compression",
                                    { "", "on", "off", NULL } },
    [VIR_DOMAIN_SPICE_STREAMING] = { "streaming",
                                     "mode",
                                     { "", "filter", "all", "off", NULL } },
    [VIR_DOMAIN_SPICE_MOUSE] = { "mouse", "mode", { "", "server", "client", NULL } },
    [VIR_DOMAIN_SPICE_CLIPBOARD] = { "clipboard",
                                     "copypaste",
                                     { "", "yes", "no", NULL } },
    [VIR_DOMAIN_SPICE_FILETRANSFER] = { "filetransfer",
                                        "enable",
                                        { "", "yes", "no", NULL } },
    [VIR_DOMAIN_SPICE_GL] = { "gl", "enable", { "", "yes", "no", NULL } },
};

const char *const *
virDomainGraphicsSpiceOptionValues(int opt, const char **element, const char **attr)
{
    if (opt < 0 || opt >= VIR_DOMAIN_SPICE_OPTION_LAST)
        return NULL;
    if (element)
        *element = spiceOptions[opt].element;
    if (attr)
        *attr = spiceOptions[opt].attr;
    return spiceOptions[opt].values;
}

void
virDomainGraphicsDefFree(virDomainGraphicsDef *g)
{
    if (!g)
        return;
    g_free(g->listen);
    g_free(g->socket);
    g_free(g->network);
    g_free(g->keymap);
    g_free(g->sharePolicy);
    g_free(g->passwd);
    g_free(g->passwdValidTo);
    g_free(g->connected);
    g_free(g->defaultMode);
    g_free(g->rendernode);
    g_free(g);
}

virDomainGraphicsDef *
virDomainGraphicsDefCopy(const virDomainGraphicsDef *src)
{
    virDomainGraphicsDef *g = g_memdup2(src, sizeof(*src));

    g->listen = g_strdup(src->listen);
    g->socket = g_strdup(src->socket);
    g->network = g_strdup(src->network);
    g->keymap = g_strdup(src->keymap);
    g->sharePolicy = g_strdup(src->sharePolicy);
    g->passwd = g_strdup(src->passwd);
    g->passwdValidTo = g_strdup(src->passwdValidTo);
    g->connected = g_strdup(src->connected);
    g->defaultMode = g_strdup(src->defaultMode);
    g->rendernode = g_strdup(src->rendernode);
    return g;
}

/* libvirt's int attributes (virXMLPropInt): its message on a bad value */
static int
parseGraphicsInt(xmlNodePtr node, const char *name, const char *str, int *val)
{
    long long v;
    char *end = NULL;

    errno = 0;
    v = g_ascii_strtoll(str, &end, 10);
    if (!*str || *end || errno || v < G_MININT || v > G_MAXINT) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute '%s' in element '%s': '%s'. "
                           "Expected integer value",
                           name, (const char *)node->name, str);
        return -1;
    }
    *val = (int)v;
    return 0;
}

/* The first <listen> child decides (libvirt keeps the rest, but QEMU's
 * servers listen on one): its type, and its address, socket or network.
 * *@found tells whether there was one. A network listen's address is live
 * data (the network's, found at start). */
static int
parseGraphicsListen(xmlNodePtr node, virDomainGraphicsDef *g, char **address,
                    unsigned int flags, bool *found)
{
    *found = false;
    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        g_autofree char *ltype = NULL;

        if (!virDomainXMLNodeIs(cur, "listen"))
            continue;
        *found = true;
        ltype = virDomainXMLProp(cur, "type");
        if (ltype && g_str_equal(ltype, "address")) {
            *address = virDomainXMLProp(cur, "address");
        } else if (ltype && g_str_equal(ltype, "none")) {
            g->listenType = VIR_DOMAIN_GRAPHICS_LISTEN_NONE;
        } else if (ltype && g_str_equal(ltype, "socket")) {
            g->listenType = VIR_DOMAIN_GRAPHICS_LISTEN_SOCKET;
            g->socket = virDomainXMLProp(cur, "socket");
            if (g->socket && !*g->socket)
                g_clear_pointer(&g->socket, g_free);
            /* the driver's own record (status files only, as libvirt) */
            if (g->socket && (flags & VIR_DOMAIN_DEF_PARSE_STATUS)) {
                g_autofree char *gen = virDomainXMLProp(cur, "autoGenerated");

                g->socketGenerated = g_strcmp0(gen, "yes") == 0;
            }
        } else if (ltype && g_str_equal(ltype, "network")) {
            g->listenType = VIR_DOMAIN_GRAPHICS_LISTEN_NETWORK;
            g->network = virDomainXMLProp(cur, "network");
            if (!g->network || !*g->network) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "'network' attribute is required for listen type "
                               "'network'");
                return -1;
            }
            if (!(flags & VIR_DOMAIN_DEF_PARSE_INACTIVE))
                *address = virDomainXMLProp(cur, "address");
        } else {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "graphics listen type must be specified");
            return -1;
        }
        return 0;
    }
    return 0;
}

static int
parseGraphicsAuth(xmlNodePtr node, virDomainGraphicsDef *g)
{
    static const char *const connectedNames[] = { "fail", "disconnect", "keep", NULL };
    g_autofree char *validTo = virDomainXMLProp(node, "passwdValidTo");
    g_autofree char *connected = virDomainXMLProp(node, "connected");

    g->passwd = virDomainXMLProp(node, "passwd");
    if (!g->passwd)
        return 0;
    if (validTo) {
        struct tm tm = { 0 };
        char *end = strptime(validTo, "%Y-%m-%dT%H:%M:%S", &tm);
        char buf[32];

        if (!end || *end) {
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "cannot parse password validity time '%s', expect "
                           "YYYY-MM-DDTHH:MM:SS",
                           validTo);
            return -1;
        }
        /* normalized as libvirt formats it back (from a time_t, UTC) */
        {
            time_t t = timegm(&tm);
            struct tm out;

            gmtime_r(&t, &out);
            strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &out);
        }
        g->passwdValidTo = g_strdup(buf);
    }
    if (connected) {
        if (!virDomainStrInList(connectedNames, connected)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown connected value %s",
                           connected);
            return -1;
        }
        g->connected = g_steal_pointer(&connected);
    }
    return 0;
}

/* The VNC attributes: port, autoport, websocket, sharePolicy */
/* VNC's <audio id=.../> (the first one; libvirt's virXMLPropUInt, required
 * and non-zero) */
static int
parseGraphicsAudio(xmlNodePtr node, virDomainGraphicsDef *g)
{
    xmlNodePtr audio = virDomainXMLChild(node, "audio");
    g_autofree char *id = audio ? virDomainXMLProp(audio, "id") : NULL;
    unsigned long long val;

    if (!audio)
        return 0;
    if (!id) {
        virDomainXMLReportMissingAttr("id", audio);
        return -1;
    }
    if (strchr(id, '-') || virDomainParseULL(id, &val) < 0 || val > G_MAXUINT) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute 'id' in element 'audio': '%s'. "
                           "Expected non-negative integer value",
                           id);
        return -1;
    }
    if (val == 0) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__, "%s",
                           "Invalid value for attribute 'id' in element 'audio': Zero is "
                           "not permitted");
        return -1;
    }
    g->audioId = val > G_MAXINT ? G_MAXINT : (int)val;
    return 0;
}

static int
parseGraphicsVNC(xmlNodePtr node, virDomainGraphicsDef *g, unsigned int flags)
{
    static const char *const sharePolicies[] = { "allow-exclusive", "force-shared",
                                                 "ignore", NULL };
    g_autofree char *port = virDomainXMLProp(node, "port");
    g_autofree char *autoport = virDomainXMLProp(node, "autoport");
    g_autofree char *websocket = virDomainXMLProp(node, "websocket");
    g_autofree char *share = virDomainXMLProp(node, "sharePolicy");

    if (port) {
        long long val;
        char *end = NULL;

        val = g_ascii_strtoll(port, &end, 10);
        if (!*port || *end || val < -1 || val > 65535) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "cannot parse vnc port %s", port);
            return -1;
        }
        g->port = (int)val;
    }
    if (autoport && g_str_equal(autoport, "yes"))
        g->autoport = true;
    else if (autoport && !g_str_equal(autoport, "no")) {
        virDomainXMLReportInvalidAttr("autoport", node, autoport);
        return -1;
    }
    /* libvirt: a port of -1 (or 0) means autoport; an inactive definition
     * forgets an autoport's port */
    if (g->port == -1 || g->port == 0) {
        g->autoport = true;
        g->port = -1;
    }
    if (g->autoport && (flags & VIR_DOMAIN_DEF_PARSE_INACTIVE))
        g->port = -1;
    if (websocket) {
        if (parseGraphicsInt(node, "websocket", websocket, &g->websocket) < 0)
            return -1;
        if (g->websocket == -1)
            g->websocketGenerated = true;
        else if (g->websocket < -1) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "vnc WebSocket port must be in range [5700,65535], not %d",
                           g->websocket);
            return -1;
        }
    }
    if (share) {
        if (!virDomainStrInList(sharePolicies, share)) {
            virDomainXMLReportInvalidAttr("sharePolicy", node, share);
            return -1;
        }
        g->sharePolicy = g_steal_pointer(&share);
    }
    return parseGraphicsAudio(node, g);
}

/* The SPICE attributes (port, tlsPort, autoport, defaultMode) and option
 * children, as libvirt's virDomainGraphicsDefParseXMLSpice reads them */
static int
parseGraphicsSpice(xmlNodePtr node, virDomainGraphicsDef *g, unsigned int flags)
{
    static const char *const modes[] = { "any", "secure", "insecure", NULL };
    g_autofree char *port = virDomainXMLProp(node, "port");
    g_autofree char *tlsPort = virDomainXMLProp(node, "tlsPort");
    g_autofree char *autoport = virDomainXMLProp(node, "autoport");
    g_autofree char *mode = virDomainXMLProp(node, "defaultMode");

    g->port = 0;
    if ((port && parseGraphicsInt(node, "port", port, &g->port) < 0) ||
        (tlsPort && parseGraphicsInt(node, "tlsPort", tlsPort, &g->tlsPort) < 0))
        return -1;
    if (autoport && g_str_equal(autoport, "yes"))
        g->autoport = true;
    else if (autoport && !g_str_equal(autoport, "no")) {
        virDomainXMLReportInvalidAttr("autoport", node, autoport);
        return -1;
    }
    /* the legacy way of asking for autoport */
    if (g->port == -1 && g->tlsPort == -1)
        g->autoport = true;
    if (g->autoport && (flags & VIR_DOMAIN_DEF_PARSE_INACTIVE)) {
        g->port = 0;
        g->tlsPort = 0;
    }
    if (mode) {
        if (!virDomainStrInList(modes, mode)) {
            virDomainXMLReportInvalidAttr("defaultMode", node, mode);
            return -1;
        }
        if (!g_str_equal(mode, "any"))
            g->defaultMode = g_steal_pointer(&mode);
    }
    for (int opt = 0; opt < VIR_DOMAIN_SPICE_OPTION_LAST; opt++) {
        xmlNodePtr child = virDomainXMLChild(node, spiceOptions[opt].element);
        g_autofree char *val = NULL;
        int idx;

        if (!child)
            continue;
        if (!(val = virDomainXMLProp(child, spiceOptions[opt].attr))) {
            virDomainXMLReportMissingAttr(spiceOptions[opt].attr, child);
            return -1;
        }
        for (idx = 1; spiceOptions[opt].values[idx]; idx++) {
            if (g_str_equal(val, spiceOptions[opt].values[idx]))
                break;
        }
        if (!spiceOptions[opt].values[idx]) {
            virDomainXMLReportInvalidAttr(spiceOptions[opt].attr, child, val);
            return -1;
        }
        g->spice[opt] = idx;
    }
    if (g->spice[VIR_DOMAIN_SPICE_GL] == VIR_DOMAIN_TRISTATE_ON) {
        /* no render node is handed to QEMU (and TCG guests gain nothing) */
        virDomainReportUnsupportedValue("spice gl enable", "yes");
        return -1;
    }
    return 0;
}

static virDomainGraphicsDef *
parseGraphics(xmlNodePtr node, unsigned int flags)
{
    g_autofree char *type = virDomainXMLProp(node, "type");
    g_autofree char *socketAttr = virDomainXMLProp(node, "socket");
    g_autofree char *listenAttr = virDomainXMLProp(node, "listen");
    g_autofree char *listen = NULL;
    virDomainGraphicsDef *g;
    bool haveListen = false;
    int gtype;

    if (!type) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing graphics device type");
        return NULL;
    }
    if ((gtype = virDomainEnumFromString(graphicsTypeNames, VIR_DOMAIN_GRAPHICS_TYPE_LAST,
                                         type)) < 0) {
        static const char *const known[] = { "sdl", "rdp", "desktop", "dbus", NULL };
        if (virDomainStrInList(known, type))
            virDomainReportUnsupportedValue("graphics type", type);
        else
            virDomainXMLReportInvalidAttr("type", node, type);
        return NULL;
    }
    g = g_new0(virDomainGraphicsDef, 1);
    g->type = gtype;
    g->port = -1;
    if (gtype == VIR_DOMAIN_GRAPHICS_TYPE_EGL_HEADLESS) {
        /* libvirt reads only the first <gl>'s rendernode (no listen) */
        xmlNodePtr gl = virDomainXMLChild(node, "gl");

        g->listenType = VIR_DOMAIN_GRAPHICS_LISTEN_NONE;
        g->port = 0;
        if (gl)
            g->rendernode = virDomainXMLProp(gl, "rendernode");
        return g;
    }
    if (parseGraphicsListen(node, g, &listen, flags, &haveListen) < 0)
        goto error;
    if (listen && !*listen)
        g_clear_pointer(&listen, g_free);
    if (listenAttr && !*listenAttr)
        g_clear_pointer(&listenAttr, g_free);
    if (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_ADDRESS && listenAttr && listen &&
        !g_str_equal(listen, listenAttr)) {
        virReportError(VIR_ERR_XML_ERROR,
                       "graphics 'listen' attribute '%s' must match 'address' attribute "
                       "of first listen element (found '%s')",
                       listenAttr, listen);
        goto error;
    }
    if (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_ADDRESS)
        g->listen = listen ? g_steal_pointer(&listen) : g_steal_pointer(&listenAttr);
    else if (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_NETWORK)
        g->listen = g_steal_pointer(&listen);
    if (socketAttr && *socketAttr && gtype == VIR_DOMAIN_GRAPHICS_TYPE_VNC) {
        if (!haveListen) {
            /* the attribute alone stands for <listen type='socket'> */
            g->listenType = VIR_DOMAIN_GRAPHICS_LISTEN_SOCKET;
            g->socket = g_steal_pointer(&socketAttr);
        } else if (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_SOCKET && g->socket &&
                   !g_str_equal(g->socket, socketAttr)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "graphics 'socket' attribute '%s' must match 'socket' "
                           "attribute of first listen element (found '%s')",
                           socketAttr, g->socket);
            goto error;
        }
    }
    if (gtype == VIR_DOMAIN_GRAPHICS_TYPE_VNC) {
        if (parseGraphicsVNC(node, g, flags) < 0)
            goto error;
    } else {
        if (parseGraphicsSpice(node, g, flags) < 0)
            goto error;
        /* libvirt's default listen for SPICE: an address when a port is
         * asked for, else none */
        if (!haveListen && !g->listen && !g->port && !g->tlsPort && !g->autoport)
            g->listenType = VIR_DOMAIN_GRAPHICS_LISTEN_NONE;
    }
    g->keymap = virDomainXMLProp(node, "keymap");
    if (parseGraphicsAuth(node, g) < 0)
        goto error;
    return g;

error:
    virDomainGraphicsDefFree(g);
    return NULL;
}

static const char *const videoBackendNames[VIR_DOMAIN_VIDEO_BACKEND_LAST] = {
    "default",
    "qemu",
    "vhostuser",
};

const char *
virDomainVideoBackendToString(int backend)
{
    return virDomainEnumToString(videoBackendNames, VIR_DOMAIN_VIDEO_BACKEND_LAST,
                                 backend);
}

/* libvirt's virTristateBool attribute (yes/no): 0 absent, -1 reported */
static int
videoPropBool(xmlNodePtr node, const char *name, int *out)
{
    g_autofree char *str = virDomainXMLProp(node, name);

    if (!str)
        return 0;
    if (g_str_equal(str, "yes")) {
        *out = VIR_DOMAIN_TRISTATE_ON;
    } else if (g_str_equal(str, "no")) {
        *out = VIR_DOMAIN_TRISTATE_OFF;
    } else {
        virDomainXMLReportInvalidAttr(name, node, str);
        return -1;
    }
    return 0;
}

/* <driver name> and <model><acceleration>, with the rules of libvirt's
 * virDomainVideoDefParseXML and virDomainVideoDefValidate */
static int
parseVideoDriverAccel(virDomainVideoDef *v, xmlNodePtr node, xmlNodePtr model)
{
    xmlNodePtr driver = virDomainXMLChild(node, "driver");
    xmlNodePtr accel = model ? virDomainXMLChild(model, "acceleration") : NULL;

    if (accel) {
        g_autofree char *rendernode = virDomainXMLProp(accel, "rendernode");

        if (videoPropBool(accel, "accel3d", &v->accel3d) < 0 ||
            videoPropBool(accel, "accel2d", &v->accel2d) < 0)
            return -1;
        if (!rendernode && !v->accel3d && !v->accel2d) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "missing values for acceleration");
            return -1;
        }
        if (rendernode)
            virDomainSanitizePath(rendernode);
        v->rendernode = g_steal_pointer(&rendernode);
    }
    if (driver) {
        g_autofree char *name = virDomainXMLProp(driver, "name");

        if (name && (v->backend = virDomainEnumFromString(
                         videoBackendNames, VIR_DOMAIN_VIDEO_BACKEND_LAST, name)) <= 0) {
            virDomainXMLReportInvalidAttr("name", driver, name);
            return -1;
        }
    }
    if (v->backend == VIR_DOMAIN_VIDEO_BACKEND_VHOSTUSER &&
        !g_str_equal(v->type, "virtio")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "'vhostuser' driver is only supported with 'virtio' device");
        return -1;
    }
    if (v->backend != VIR_DOMAIN_VIDEO_BACKEND_VHOSTUSER && v->rendernode) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "unsupported rendernode accel attribute without 'vhostuser'");
        return -1;
    }
    return 0;
}

static virDomainVideoDef *
parseVideo(xmlNodePtr node, size_t nvideos)
{
    static const char *const carried[] = { "vga",  "cirrus", "bochs", "virtio",
                                           "none", "qxl",    NULL };
    static const char *const known[] = { "vmvga", "xen",   "vbox", "parallels",
                                         "gop",   "ramfb", NULL };
    xmlNodePtr model = virDomainXMLChild(node, "model");
    g_autofree char *type = model ? virDomainXMLProp(model, "type") : NULL;
    g_autofree char *vram = model ? virDomainXMLProp(model, "vram") : NULL;
    g_autofree char *heads = model ? virDomainXMLProp(model, "heads") : NULL;
    g_autofree char *primary = model ? virDomainXMLProp(model, "primary") : NULL;
    g_autofree char *ram = model ? virDomainXMLProp(model, "ram") : NULL;
    g_autofree char *vram64 = model ? virDomainXMLProp(model, "vram64") : NULL;
    g_autofree char *vgamem = model ? virDomainXMLProp(model, "vgamem") : NULL;
    virDomainVideoDef *v;
    unsigned long long val;

    if (!type) {
        /* libvirt's QEMU default for x86 */
        type = g_strdup("vga");
    }
    if (!virDomainStrInList(carried, type)) {
        if (virDomainStrInList(known, type))
            virDomainReportUnsupportedValue("video model", type);
        else
            virReportError(VIR_ERR_INTERNAL_ERROR, "unknown video model '%s'", type);
        return NULL;
    }
    v = g_new0(virDomainVideoDef, 1);
    v->type = g_steal_pointer(&type);
    if (vram) {
        if (virDomainParseULL(vram, &val) < 0 || val > G_MAXINT) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "cannot parse video vram '%s'", vram);
            goto error;
        }
        v->vram = (int)val;
    } else if (g_str_equal(v->type, "qxl")) {
        v->vram = 65536; /* libvirt's QXL defaults */
    } else if (!g_str_equal(v->type, "virtio") && !g_str_equal(v->type, "none")) {
        v->vram = 16384; /* libvirt's virDomainVideoDefaultRAM */
    }
    if (g_str_equal(v->type, "qxl")) {
        const struct {
            const char *name;
            const char *str;
            int *val;
            int def;
        } sizes[] = {
            { "ram", ram, &v->ram, 65536 },
            { "vram64", vram64, &v->vram64, 0 },
            { "vgamem", vgamem, &v->vgamem, 0 }, /* the QEMU driver's default */
        };

        for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
            if (!sizes[i].str) {
                *sizes[i].val = sizes[i].def;
                continue;
            }
            if (virDomainParseULL(sizes[i].str, &val) < 0 || val > G_MAXINT / 2) {
                virReportError(VIR_ERR_INTERNAL_ERROR, "cannot parse video %s '%s'",
                               sizes[i].name, sizes[i].str);
                goto error;
            }
            /* 0 is "not given", as in libvirt (it formats as absent) */
            *sizes[i].val = val ? (int)val : sizes[i].def;
        }
        /* QEMU's QXL takes a power of two for its RAM bar (libvirt rounds up) */
        if (v->ram > 0)
            v->ram = (int)(1u << g_bit_storage((guint)v->ram - 1));
    }
    if (heads) {
        if (virDomainParseULL(heads, &val) < 0 || val > G_MAXINT) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "cannot parse video heads '%s'",
                           heads);
            goto error;
        }
        if (val == 0) {
            /* libvirt reads heads with VIR_XML_PROP_NONZERO; 0 would also
             * format as "absent" and come back as the default 1 */
            virReportError(VIR_ERR_XML_ERROR,
                           "Invalid value for attribute 'heads' in element 'model': "
                           "'%s'. Expected non-zero integer value",
                           heads);
            goto error;
        }
        v->heads = (int)val;
    } else if (!g_str_equal(v->type, "none")) {
        v->heads = 1;
    }
    v->primary = (primary && g_str_equal(primary, "yes")) || nvideos == 0;
    if (g_str_equal(v->type, "none") && nvideos > 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "a 'none' video type must be the only video device defined for "
                       "the domain");
        goto error;
    }
    if (virDomainDeviceAddressParse(node, &v->addr) < 0 ||
        virDomainVirtioOptionsParse(virDomainXMLChild(node, "driver"), &v->virtio) < 0 ||
        parseVideoDriverAccel(v, node, model) < 0)
        goto error;
    return v;

error:
    g_free(v->type);
    g_free(v->rendernode);
    g_free(v);
    return NULL;
}

/* The attributes and children each parser carries (the rest is recorded as
 * unknown, see virDomainDeviceCheckAttrs). */
static const virDomainXMLAttrRule inputAttrs[] = {
    { "", (const char *const[]){ "type", "bus", "model", NULL } },
    { "driver", virDomainVirtioOptionsAttrs },
    { "source",
      (const char *const[]){ "evdev", "dev", "grab", "grabToggle", "repeat", NULL } },
    { NULL, NULL },
};
static const virDomainXMLAttrRule graphicsAttrs[] = {
    { "",
      (const char *const[]){ "type", "port", "autoport", "listen", "websocket", "keymap",
                             "sharePolicy", "passwd", "passwdValidTo", "connected",
                             "socket", "tlsPort", "defaultMode", NULL } },
    { "listen", (const char *const[]){ "type", "address", "socket", "network",
                                       "autoGenerated", NULL } },
    { "image", (const char *const[]){ "compression", NULL } },
    { "jpeg", (const char *const[]){ "compression", NULL } },
    { "zlib", (const char *const[]){ "compression", NULL } },
    { "playback", (const char *const[]){ "compression", NULL } },
    { "streaming", (const char *const[]){ "mode", NULL } },
    { "mouse", (const char *const[]){ "mode", NULL } },
    { "clipboard", (const char *const[]){ "copypaste", NULL } },
    { "filetransfer", (const char *const[]){ "enable", NULL } },
    { "gl", (const char *const[]){ "enable", NULL } },
    { "audio", (const char *const[]){ "id", NULL } },
    { NULL, NULL },
};
static const virDomainXMLAttrRule eglAttrs[] = {
    { "", (const char *const[]){ "type", NULL } },
    { "gl", (const char *const[]){ "rendernode", NULL } },
    { NULL, NULL },
};
static const virDomainXMLAttrRule videoAttrs[] = {
    { "model", (const char *const[]){ "type", "vram", "heads", "primary", "ram", "vram64",
                                      "vgamem", NULL } },
    /* vgaconf (bhyve's) is not carried */
    { "driver",
      (const char *const[]){ "name", "iommu", "ats", "packed", "page_per_vq", NULL } },
    { "model/acceleration",
      (const char *const[]){ "accel3d", "accel2d", "rendernode", NULL } },
    { NULL, NULL },
};

static const char *const inputChildren[] = { "driver",  "driver/", "source",
                                             "source/", "address", NULL };
static const char *const vncChildren[] = { "listen", "audio", NULL };
static const char *const eglChildren[] = { "gl", NULL };
static const char *const spiceChildren[] = { "listen", "image",     "jpeg",
                                             "zlib",   "playback",  "streaming",
                                             "mouse",  "clipboard", "filetransfer",
                                             "gl",     NULL };
/* <model>'s <resolution> is not carried */
static const char *const videoChildren[] = {
    "driver",  "driver/", "model", "model/", "model/acceleration", "model/acceleration/",
    "address", NULL
};

int
virDomainInputParseXML(GArray **inputs, xmlNodePtr node, GPtrArray *unknown,
                       unsigned int flags, bool *failed)
{
    if (!*inputs) {
        *inputs = g_array_new(FALSE, TRUE, sizeof(virDomainInputDef));
        g_array_set_clear_func(*inputs, inputArrayClear);
    }
    if (parseInput(*inputs, node, flags) < 0 ||
        virDomainDeviceCheckChildren(node, inputChildren, unknown, flags, failed) < 0 ||
        virDomainDeviceCheckAttrs(node, inputAttrs, unknown, flags, failed) < 0)
        return -1;
    return 0;
}

int
virDomainGraphicsParseXML(GPtrArray **graphics, xmlNodePtr node, GPtrArray *unknown,
                          unsigned int flags, bool *failed)
{
    virDomainGraphicsDef *g;

    if (!(g = parseGraphics(node, flags)))
        return -1;
    if (!*graphics)
        *graphics = g_ptr_array_new_with_free_func(graphicsFree);
    g_ptr_array_add(*graphics, g);
    if (g->type == VIR_DOMAIN_GRAPHICS_TYPE_EGL_HEADLESS)
        return virDomainDeviceCheckChildren(node, eglChildren, unknown, flags, failed) <
                           0 ||
                       virDomainDeviceCheckAttrs(node, eglAttrs, unknown, flags, failed) <
                           0
                   ? -1
                   : 0;
    if (virDomainDeviceCheckChildren(
            node, g->type == VIR_DOMAIN_GRAPHICS_TYPE_SPICE ? spiceChildren : vncChildren,
            unknown, flags, failed) < 0 ||
        virDomainDeviceCheckAttrs(node, graphicsAttrs, unknown, flags, failed) < 0)
        return -1;
    return 0;
}

int
virDomainVideoParseXML(GPtrArray **videos, xmlNodePtr node, GPtrArray *unknown,
                       unsigned int flags, bool *failed)
{
    virDomainVideoDef *v;

    if (!(v = parseVideo(node, *videos ? (*videos)->len : 0)))
        return -1;
    if (!*videos)
        *videos = g_ptr_array_new_with_free_func(videoFree);
    g_ptr_array_add(*videos, v);
    if (virDomainDeviceCheckChildren(node, videoChildren, unknown, flags, failed) < 0 ||
        virDomainDeviceCheckAttrs(node, videoAttrs, unknown, flags, failed) < 0)
        return -1;
    return 0;
}

void
virDomainDisplayDevicesSteal(virDomainDef *def, GArray **inputs, GPtrArray **graphics,
                             GArray **audios, GPtrArray **videos)
{
    if (*inputs) {
        def->ninputs = (*inputs)->len;
        def->inputs =
            (virDomainInputDef *)virDomainArrayStealExact(g_steal_pointer(inputs));
    }
    if (*graphics) {
        def->ngraphics = (*graphics)->len;
        g_ptr_array_add(*graphics, NULL);
        def->graphics = (virDomainGraphicsDef **)virDomainPtrArrayStealExact(
            g_steal_pointer(graphics));
    }
    if (*audios) {
        def->naudios = (*audios)->len;
        g_array_set_clear_func(*audios, NULL);
        def->audios =
            (virDomainAudioDef *)virDomainArrayStealExact(g_steal_pointer(audios));
    }
    /* libvirt adds a video device for graphics (cirrus, its default here) */
    if (def->ngraphics > 0 && !*videos) {
        virDomainVideoDef *v = g_new0(virDomainVideoDef, 1);

        v->type = g_strdup("cirrus");
        v->vram = 16384;
        v->heads = 1;
        v->primary = true;
        *videos = g_ptr_array_new_with_free_func(videoFree);
        g_ptr_array_add(*videos, v);
    }
    if (*videos) {
        def->nvideos = (*videos)->len;
        g_ptr_array_add(*videos, NULL);
        def->videos =
            (virDomainVideoDef **)virDomainPtrArrayStealExact(g_steal_pointer(videos));
    }
}
