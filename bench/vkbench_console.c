/* vkbench_console.c: the console stream, throughput and keystroke round trip (workload console) */

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vkbench.h"

/* The test guest with its serial port on a pty, reached through
 * virDomainOpenConsole; @cmdline is the kernel's. */
static char *
consoleXml(const char *name, const char *guestDir, const char *cmdline)
{
    char *xml = NULL;

    if (asprintf(&xml,
                 "<domain type='qemu'><name>%s</name>"
                 "<memory unit='MiB'>256</memory><vcpu>1</vcpu>"
                 "<os><type arch='x86_64' machine='q35'>hvm</type>"
                 "<kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>"
                 "<cmdline>%s</cmdline></os>"
                 "<features><acpi/></features>"
                 "<on_poweroff>destroy</on_poweroff>"
                 "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
                 "<serial type='pty'><target port='0'/></serial>"
                 "<console type='pty'><target type='serial' port='0'/></console>"
                 "</devices></domain>",
                 name, guestDir, guestDir, cmdline) < 0)
        abort();
    return xml;
}

/* Starts @dom and opens its console as a blocking stream. */
static virStreamPtr
consoleStart(virConnectPtr conn, virDomainPtr dom)
{
    virStreamPtr st;

    if (virDomainCreate(dom) < 0)
        die("virDomainCreate (console guest)");
    st = virStreamNew(conn, 0);
    if (!st)
        die("virStreamNew");
    if (virDomainOpenConsole(dom, NULL, st, VIR_DOMAIN_CONSOLE_FORCE) < 0)
        die("virDomainOpenConsole");
    return st;
}

static void
consoleStop(virDomainPtr dom, virStreamPtr st)
{
    virStreamAbort(st);
    virStreamFree(st);
    if (virDomainDestroy(dom) < 0)
        die("virDomainDestroy (console guest)");
}

/* Reads @st until @needle (under 64 bytes) has gone by; it may straddle
 * two reads, so the tail of each read is kept in front of the next. */
static void
consoleReadUntil(virStreamPtr st, const char *needle)
{
    char buf[4096 + 64];
    size_t nlen = strlen(needle);
    size_t keep = 0;

    for (;;) {
        int got = virStreamRecv(st, buf + keep, 4096);
        size_t len;

        if (got <= 0)
            die("virStreamRecv (console)");
        len = keep + (size_t)got;
        for (size_t i = keep; i < len; i++) {
            if (buf[i] == '\0')
                buf[i] = ' ';
        }
        buf[len] = '\0';
        if (strstr(buf, needle))
            return;
        keep = len < nlen - 1 ? len : nlen - 1;
        memmove(buf, buf + len - keep, keep);
    }
}

/* console GUESTDIR SECONDS KEYS: the test guest's serial console through
 * virDomainOpenConsole and the daemon. Output throughput: a guest whose
 * kernel traces timer events to its console without pause (~75 KB/s under
 * TCG, the serial port's pace), read by this client for SECONDS from the
 * first trace line, in bytes per second. Keystroke round trip: on a quiet guest
 * past GUEST-READY, KEYS single keystrokes, each sent and read back as the
 * guest tty's echo. A stalled guest or daemon ends the run after 120 s. */
void
workloadConsole(virConnectPtr conn, const char *guestDir, double seconds, int keys)
{
    const char *name = NAME_PREFIX "console";
    char *xml;
    virDomainPtr dom;
    virStreamPtr st;
    char buf[65536];
    double t0;
    double total = 0;

    alarm(300); /* as the boot deadline above */
    xml = consoleXml(name, guestDir,
                     "console=ttyS0 no_timer_check nohz=off tp_printk trace_event="
                     "timer:hrtimer_expire_entry,timer:hrtimer_expire_exit,"
                     "timer:hrtimer_start");
    dom = defineOrDie(conn, xml);
    free(xml);
    st = consoleStart(conn, dom);
    consoleReadUntil(st, "hrtimer_expire_exit");
    t0 = nowMs();
    while (nowMs() - t0 < seconds * 1000) {
        int got = virStreamRecv(st, buf, sizeof(buf));

        if (got <= 0)
            die("virStreamRecv (console flood)");
        total += got;
    }
    sample("console_out_bytes_per_s", total * 1000 / (nowMs() - t0));
    consoleStop(dom, st);
    undefineOrDie(dom);

    xml = consoleXml(name, guestDir, guestCmdline());
    dom = defineOrDie(conn, xml);
    free(xml);
    st = consoleStart(conn, dom);
    consoleReadUntil(st, "GUEST-READY");
    for (int k = 0; k < keys; k++) {
        char key = (char)('a' + k % 26);
        char echo[2] = { key, '\0' };

        t0 = nowMs();
        if (virStreamSend(st, &key, 1) != 1)
            die("virStreamSend (keystroke)");
        consoleReadUntil(st, echo);
        sample("console_key_rtt", nowMs() - t0);
    }
    consoleStop(dom, st);
    undefineOrDie(dom);
    alarm(0);
}
