/* vksh-display.c: domdisplay (the URI of a running domain's graphical display) and screenshot, as virsh 9.0's */

#define G_LOG_DOMAIN "vksh.display"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "vksh.h"

const vkshOptDef vkshOptsDomdisplay[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "include-password", VKSH_OT_BOOL, 0,
      "includes the password into the connection URI if available" },
    { "type", VKSH_OT_STRING, 0,
      "select particular graphical display (e.g. \"vnc\", \"spice\", \"rdp\", \"dbus\")" },
    { "all", VKSH_OT_BOOL, 0, "show all possible graphical displays" },
    { NULL, 0, 0, NULL },
};

static char *
xpathString(xmlXPathContextPtr ctxt, const char *expr)
{
    xmlXPathObjectPtr obj = xmlXPathEval((const xmlChar *)expr, ctxt);
    char *ret = NULL;

    if (obj && obj->type == XPATH_STRING && obj->stringval && obj->stringval[0])
        ret = g_strdup((const char *)obj->stringval);
    xmlXPathFreeObject(obj);
    return ret;
}

/* string(/domain/devices/graphics[@type='SCHEME']/WHAT): the value of the
 * first such display that has it, NULL if none (or empty). */
static char *
graphicsValue(xmlXPathContextPtr ctxt, const char *scheme, const char *what)
{
    g_autofree char *xp =
        g_strdup_printf("string(/domain/devices/graphics[@type='%s']/%s)", scheme, what);

    return xpathString(ctxt, xp);
}

/* 0.0.0.0 and :: say nothing about where to connect (virsh drops them). */
static bool
isWildcard(const char *addr)
{
    struct in_addr a4;
    struct in6_addr a6;

    if (inet_pton(AF_INET, addr, &a4) == 1)
        return a4.s_addr == INADDR_ANY;
    if (inet_pton(AF_INET6, addr, &a6) == 1)
        return IN6_IS_ADDR_UNSPECIFIED(&a6);
    return false;
}

/*
 * As virsh: for each scheme (vnc, spice, rdp) with a port, TLS port or
 * socket in the live XML, SCHEME[+unix]://[:PASSWD@](HOST|SOCKET)[:PORT]
 * [?tls-port=N][&password=P] (a VNC port shown as its display number, the
 * password in the user part for VNC, as a parameter for SPICE);
 * the first one only unless --all (each then followed by a new line; the
 * shell adds one after every command).
 */
bool
vkshCmdDomdisplay(vkshControl *ctl, const vkshCmd *cmd)
{
    static const char *const schemes[] = { "vnc", "spice", "rdp", NULL };
    virDomainPtr dom;
    const char *type = NULL;
    bool all = vkshOptBool(cmd, "all");
    unsigned int flags = 0;
    g_autofree char *xml = NULL;
    xmlDocPtr doc = NULL;
    xmlXPathContextPtr ctxt = NULL;
    bool ok = false;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "type", &type) < 0)
        goto cleanup;
    if (virDomainIsActive(dom) != 1) {
        vkshError(ctl, "%s", "Domain is not running");
        goto cleanup;
    }
    if (vkshOptBool(cmd, "include-password"))
        flags |= VIR_DOMAIN_XML_SECURE;
    if (!(xml = virDomainGetXMLDesc(dom, flags)))
        goto cleanup;
    if (!(doc =
              xmlReadMemory(xml, (int)strlen(xml), "domain.xml", NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)) ||
        !(ctxt = xmlXPathNewContext(doc)))
        goto cleanup;

    for (size_t i = 0; schemes[i]; i++) {
        g_autofree char *portStr = NULL;
        g_autofree char *tlsStr = NULL;
        g_autofree char *sockpath = NULL;
        g_autofree char *listen = NULL;
        g_autofree char *passwd = NULL;
        g_autoptr(GString) uri = NULL;
        long long port = 0;
        long long tlsPort = 0;
        bool params = false;

        if (type && strcmp(type, schemes[i]) != 0)
            continue;
        /* as virsh: each value from the first display of the scheme that
         * has it */
        if ((portStr = graphicsValue(ctxt, schemes[i], "@port")))
            port = g_ascii_strtoll(portStr, NULL, 10);
        if ((tlsStr = graphicsValue(ctxt, schemes[i], "@tlsPort")))
            tlsPort = g_ascii_strtoll(tlsStr, NULL, 10);
        sockpath = graphicsValue(ctxt, schemes[i], "listen/@socket");
        if (port == 0 && tlsPort == 0 && !sockpath)
            continue;
        if (!(listen = graphicsValue(ctxt, schemes[i], "listen/@address")))
            listen = graphicsValue(ctxt, schemes[i], "@listen");
        if (listen && isWildcard(listen))
            g_clear_pointer(&listen, g_free);
        if (flags & VIR_DOMAIN_XML_SECURE)
            passwd = graphicsValue(ctxt, schemes[i], "@passwd");

        uri = g_string_new(NULL);
        g_string_append_printf(uri, "%s%s://", schemes[i], sockpath ? "+unix" : "");
        if (passwd && strcmp(schemes[i], "vnc") == 0)
            g_string_append_printf(uri, ":%s@", passwd);
        if (sockpath)
            g_string_append(uri, sockpath);
        else if (!listen)
            g_string_append(uri, "localhost");
        else if (strchr(listen, ':'))
            g_string_append_printf(uri, "[%s]", listen);
        else
            g_string_append(uri, listen);
        if (port) {
            if (strcmp(schemes[i], "vnc") == 0)
                port -= 5900;
            g_string_append_printf(uri, ":%lld", port);
        }
        if (tlsPort) {
            g_string_append_printf(uri, "%stls-port=%lld", params ? "&" : "?", tlsPort);
            params = true;
        }
        if (passwd && strcmp(schemes[i], "spice") == 0) {
            g_string_append_printf(uri, "%spassword=%s", params ? "&" : "?", passwd);
            params = true;
        }
        vkshPrint(ctl, "%s", uri->str);
        ok = true;
        if (!all)
            break;
        vkshPrint(ctl, "\n");
    }
    if (!ok) {
        if (type)
            vkshError(ctl, "No graphical display with type '%s' found", type);
        else
            vkshError(ctl, "%s", "No graphical display found");
    }

cleanup:
    xmlXPathFreeContext(ctxt);
    if (doc)
        xmlFreeDoc(doc);
    virDomainFree(dom);
    return ok;
}

const vkshOptDef vkshOptsScreenshot[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "file", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "where to store the screenshot" },
    { "screen", VKSH_OT_INT, VKSH_OFLAG_NAMED, "ID of a screen to take screenshot of" },
    { NULL, 0, 0, NULL },
};

static int
screenshotSink(virStreamPtr st, const char *bytes, size_t nbytes, void *opaque)
{
    int *fd = opaque;
    size_t done = 0;

    (void)st;
    while (done < nbytes) {
        ssize_t n = write(*fd, bytes + done, nbytes - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        done += (size_t)n;
    }
    return (int)nbytes;
}

/* virsh's --screen: an unsigned int, no sign */
static int
screenshotOptScreen(vkshControl *ctl, const vkshCmd *cmd, unsigned int *screen)
{
    const char *v = vkshOptRaw(cmd, "screen");
    char *end = NULL;
    guint64 n;

    if (!v)
        return 0;
    errno = 0;
    n = g_ascii_strtoull(v, &end, 10);
    if (!*v || *end || errno || n > G_MAXUINT || strchr(v, '-')) {
        vkshError(ctl,
                  "Numeric value '%s' for <screen> option is malformed or out of range",
                  v);
        return -1;
    }
    *screen = (unsigned int)n;
    return 1;
}

/* virsh's name for an unnamed screenshot: DOMAIN-YYYY-MM-DD-HH:MM:SS.EXT
 * (local time), the extension from the MIME type. */
static char *
screenshotFileName(virDomainPtr dom, const char *mime)
{
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    g_autofree char *stamp = g_date_time_format(now, "%Y-%m-%d-%H:%M:%S");
    const char *ext = "";

    if (strcmp(mime, "image/x-portable-pixmap") == 0)
        ext = ".ppm";
    else if (strcmp(mime, "image/png") == 0)
        ext = ".png";
    return g_strdup_printf("%s-%s%s", virDomainGetName(dom), stamp, ext);
}

/*
 * As virsh: the image is written to --file (created or truncated) or to a
 * generated name in the current directory; a file this command created is
 * removed when the transfer fails.
 */
bool
vkshCmdScreenshot(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autofree char *mime = NULL;
    g_autofree char *generated = NULL;
    const char *file = NULL;
    const char *name = NULL;
    unsigned int screen = 0;
    virDomainPtr dom;
    virStreamPtr st = NULL;
    bool created = false;
    bool ok = false;
    int fd = -1;

    if (vkshOptString(ctl, cmd, "file", &file) < 0 ||
        screenshotOptScreen(ctl, cmd, &screen) < 0)
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (!(st = virStreamNew(ctl->conn, 0)))
        goto cleanup;
    if (!(mime = virDomainScreenshot(dom, st, screen, 0))) {
        vkshError(ctl, "could not take a screenshot of %s", name);
        goto cleanup;
    }
    if (!file)
        file = generated = screenshotFileName(dom, mime);
    if ((fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0) {
        vkshError(ctl, "cannot create file %s", file);
        goto cleanup;
    }
    created = true;
    if (virStreamRecvAll(st, screenshotSink, &fd) < 0) {
        vkshError(ctl, "could not receive data from domain %s", name);
        goto cleanup;
    }
    if (close(fd) < 0) {
        fd = -1;
        vkshError(ctl, "cannot close file %s", file);
        goto cleanup;
    }
    fd = -1;
    if (virStreamFinish(st) < 0) {
        vkshError(ctl, "cannot close stream on domain %s", name);
        goto cleanup;
    }
    vkshPrintExtra(ctl, "Screenshot saved to %s, with type of %s", file, mime);
    ok = true;

cleanup:
    if (fd >= 0)
        close(fd);
    if (!ok && created)
        unlink(file);
    if (st) {
        if (!ok)
            virStreamAbort(st);
        virStreamFree(st);
    }
    virDomainFree(dom);
    return ok;
}
