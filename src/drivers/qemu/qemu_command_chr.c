/* qemu_command_chr.c: the -chardev value of a serial, parallel port or console, as libvirt 9.0 builds it */

#define G_LOG_DOMAIN "virtkit.qemu.command"

#include "qemu_command.h"
#include "qemu_command_priv.h"
#include "domain_conf_priv.h"

/* ",reconnect=N": libvirt's qemuBuildChrChardevReconnectStr */
static void
chrReconnect(GString *buf, const virDomainChrDef *chr)
{
    if (chr->reconnect == 1)
        g_string_append_printf(buf, ",reconnect=%u", chr->reconnectTimeout);
    else if (chr->reconnect == 2)
        g_string_append(buf, ",reconnect=0");
}

static void
chrPath(GString *buf, const char *path)
{
    g_autofree char *esc = qemuEscapeComma(path ? path : "");

    g_string_append_printf(buf, ",path=%s", esc);
}

char *
qemuBuildChrChardevStr(const virDomainChrDef *chr, const char *alias, int fd,
                       const char *fdPath, const char *logFdPath)
{
    GString *buf = g_string_new(NULL);

    switch ((virDomainChrType)chr->type) {
    case VIR_DOMAIN_CHR_TYPE_PTY:
        g_string_append_printf(buf, "pty,id=char%s", alias);
        break;
    case VIR_DOMAIN_CHR_TYPE_FILE:
        g_string_append_printf(buf, "file,id=char%s", alias);
        chrPath(buf, fdPath ? fdPath : chr->path);
        /* a descriptor the daemon opened (truncated or not) is used as it
         * is (libvirt's append=on then) */
        if (fdPath || chr->append)
            g_string_append_printf(buf, ",append=%s",
                                   fdPath ? "on"
                                          : virDomainTristateSwitchName(chr->append));
        break;
    case VIR_DOMAIN_CHR_TYPE_DEV:
        /* QEMU's tty backend for a serial device, its parport backend for
         * a parallel port's (libvirt's choice) */
        g_string_append_printf(
            buf, "%s,id=char%s",
            chr->deviceType == VIR_DOMAIN_CHR_DEVICE_PARALLEL ? "parallel" : "serial",
            alias);
        chrPath(buf, chr->path);
        break;
    case VIR_DOMAIN_CHR_TYPE_UDP:
        /* libvirt writes the empty host and local address and port 0
         * when the definition names none */
        g_string_append_printf(
            buf, "udp,id=char%s,host=%s,port=%s,localaddr=%s,localport=%s", alias,
            chr->host ? chr->host : "", chr->service, chr->bindHost ? chr->bindHost : "",
            chr->bindService ? chr->bindService : "0");
        break;
    case VIR_DOMAIN_CHR_TYPE_TCP:
        g_string_append_printf(buf, "socket,id=char%s,host=%s,port=%s", alias, chr->host,
                               chr->service);
        if (chr->protocol == VIR_DOMAIN_CHR_TCP_PROTOCOL_TELNET)
            g_string_append(buf, ",telnet=on");
        if (chr->listen)
            g_string_append(buf, ",server=on,wait=off");
        chrReconnect(buf, chr);
        break;
    case VIR_DOMAIN_CHR_TYPE_UNIX:
        g_string_append_printf(buf, "socket,id=char%s", alias);
        if (fd >= 0)
            g_string_append_printf(buf, ",fd=%d", fd);
        else
            chrPath(buf, chr->path);
        if (chr->listen)
            g_string_append(buf, ",server=on,wait=off");
        chrReconnect(buf, chr);
        break;
    case VIR_DOMAIN_CHR_TYPE_NULL:
    case VIR_DOMAIN_CHR_TYPE_LAST:
        g_string_append_printf(buf, "null,id=char%s", alias);
        break;
    }
    /* <log>: after the backend's own options, as libvirt writes them */
    if (chr->logFile) {
        g_autofree char *esc = qemuEscapeComma(logFdPath ? logFdPath : chr->logFile);
        int append = logFdPath ? VIR_DOMAIN_TRISTATE_ON : chr->logAppend;

        g_string_append_printf(buf, ",logfile=%s", esc);
        if (append)
            g_string_append_printf(buf, ",logappend=%s",
                                   virDomainTristateSwitchName(append));
    }
    return g_string_free(buf, FALSE);
}
