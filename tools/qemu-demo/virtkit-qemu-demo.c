/* virtkit-qemu-demo.c: boots the test guest (disk, network, console) through qemu:///embed, shuts it down by ACPI, prints the events */

/*
 * Threads: the main thread drives the guest; one thread runs the default
 * event loop and prints each event as it is delivered (virsh's format),
 * signalling the main thread through a GAsyncQueue. The guest's serial
 * console is read through a console stream (virDomainOpenConsole) on the
 * main thread, in blocking reads that end when the guest has said what
 * is waited for or the stream ends. All waits have deadlines; nothing
 * sleeps for a fixed time.
 */

#define G_LOG_DOMAIN "virtkit.demo"
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define DEADLINE_S 60

static GAsyncQueue *stopped;
static gint64 t0;

static const char *const typeNames[] = {
    "Defined", "Undefined", "Started",     "Suspended", "Resumed",
    "Stopped", "Shutdown",  "PMSuspended", "Crashed",
};
static const char *const detailNames[][9] = {
    { "Added", "Updated", "Renamed", "Snapshot" },
    { "Removed", "Renamed" },
    { "Booted", "Migrated", "Restored", "Snapshot", "Event wakeup" },
    { "Paused", "Migrated", "I/O Error", "Watchdog", "Restored", "Snapshot",
      "API error" },
    { "Unpaused", "Migrated", "Snapshot" },
    { "Shutdown", "Destroyed", "Crashed", "Migrated", "Saved", "Failed", "Snapshot" },
    { "Finished", "Finished after guest request", "Finished after host request" },
    { "Memory", "Disk" },
    { "Panicked", "Crashloaded" },
};

static int
lifecycleCb(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    const char *d = event >= 0 && event < 9 && detail >= 0 && detail < 9
                        ? detailNames[event][detail]
                        : NULL;

    printf("  [+%6.1f ms] event 'lifecycle' for domain '%s': %s %s\n",
           (g_get_monotonic_time() - t0) / 1000.0, virDomainGetName(dom),
           event >= 0 && event < 9 ? typeNames[event] : "?", d ? d : "?");
    fflush(stdout);
    if (event == VIR_DOMAIN_EVENT_STOPPED)
        g_async_queue_push(stopped, GINT_TO_POINTER(1));
    return 0;
}

static gpointer
loop(gpointer data)
{
    for (;;)
        virEventRunDefaultImpl();
    return NULL;
}

typedef struct {
    virStreamPtr st;
    GString *seen; /* what the console printed so far */
} DemoConsole;

/* Read the console stream until @needle has been printed (true) or the
 * deadline passed or the stream ended (false). The alarm that bounds a
 * blocking read is the event loop's: a timer aborts the stream. */
static void
consoleDeadline(int timer, void *opaque)
{
    virStreamAbort(opaque);
}

static bool
waitConsole(DemoConsole *con, const char *needle)
{
    int timer = virEventAddTimeout(DEADLINE_S * 1000, consoleDeadline, con->st, NULL);
    bool found = strstr(con->seen->str, needle) != NULL;

    while (!found) {
        char buf[1024];
        int n = virStreamRecv(con->st, buf, sizeof(buf));

        if (n <= 0)
            break;
        g_string_append_len(con->seen, buf, n);
        found = strstr(con->seen->str, needle) != NULL;
    }
    virEventRemoveTimeout(timer);
    return found;
}

static void
showState(virDomainPtr dom)
{
    const char *names[] = { "no state",    "running",  "idle",    "paused",
                            "in shutdown", "shut off", "crashed", "pmsuspended" };
    int state = 0, reason = 0;

    if (virDomainGetState(dom, &state, &reason, 0) == 0)
        printf("  state of '%s': %s (reason %d)\n", virDomainGetName(dom),
               state >= 0 && state < 8 ? names[state] : "?", reason);
}

int
main(int argc, char **argv)
{
    g_autofree char *uri = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *disk = NULL;
    g_autofree char *qemuImg = NULL;
    g_autoptr(GString) seen = g_string_new(NULL);
    DemoConsole con = { .seen = seen };
    virConnectPtr conn;
    virDomainPtr dom;
    unsigned long ver = 0;
    int cbid;

    if (argc != 3) {
        fprintf(stderr, "usage: %s ROOT GUESTDIR\n", argv[0]);
        return 2;
    }
    uri = g_strdup_printf("qemu:///embed?root=%s", argv[1]);
    /* a qcow2 disk for the guest to write to (the test guest's init writes
     * a pattern at its start with virtkit.writedisk=1) */
    disk = g_strdup_printf("%s/demo-disk.qcow2", argv[1]);
    qemuImg = g_strdup_printf("qemu-img create -q -f qcow2 %s 64M", disk);
    if (system(qemuImg) != 0) {
        fprintf(stderr, "error: qemu-img could not create %s\n", disk);
        return 1;
    }
    xml = g_strdup_printf(
        "<domain type='qemu'>\n"
        "  <name>demo</name>\n"
        "  <memory unit='MiB'>256</memory>\n"
        "  <vcpu>1</vcpu>\n"
        "  <os>\n"
        "    <type arch='x86_64' machine='q35'>hvm</type>\n"
        "    <kernel>%s/vmlinuz</kernel>\n"
        "    <initrd>%s/initrd.gz</initrd>\n"
        "    <cmdline>console=ttyS0 no_timer_check quiet virtkit.writedisk=1</cmdline>\n"
        "  </os>\n"
        "  <features><acpi/></features>\n"
        "  <devices>\n"
        "    <disk type='file' device='disk'>\n"
        "      <driver name='qemu' type='qcow2'/>\n"
        "      <source file='%s'/>\n"
        "      <target dev='vda' bus='virtio'/>\n"
        "    </disk>\n"
        "    <interface type='user'><model type='virtio'/></interface>\n"
        "    <serial type='pty'/>\n"
        "    <console type='pty'/>\n"
        "  </devices>\n"
        "</domain>\n",
        argv[2], argv[2], disk);

    stopped = g_async_queue_new();
    if (virEventRegisterDefaultImpl() < 0)
        return 1;
    g_thread_unref(g_thread_new("event-loop", loop, NULL));

    printf("== open %s\n", uri);
    if (!(conn = virConnectOpen(uri))) {
        fprintf(stderr, "error: %s\n", virGetLastErrorMessage());
        return 1;
    }
    virConnectGetVersion(conn, &ver);
    printf("  hypervisor %s, version %lu\n", virConnectGetType(conn), ver);
    cbid = virConnectDomainEventRegisterAny(
        conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        (virConnectDomainEventGenericCallback)(void (*)(void))lifecycleCb, NULL, NULL);

    t0 = g_get_monotonic_time();
    printf(
        "== define and start the test guest (TCG): a qcow2 disk, a virtio NIC, a pty console\n");
    if (!(dom = virDomainDefineXML(conn, xml)) || virDomainCreate(dom) < 0) {
        fprintf(stderr, "error: %s\n", virGetLastErrorMessage());
        return 1;
    }
    printf("  started in %.1f ms\n", (g_get_monotonic_time() - t0) / 1000.0);
    showState(dom);
    printf("== the guest's console, through a stream (virDomainOpenConsole)\n");
    if (!(con.st = virStreamNew(conn, 0)) ||
        virDomainOpenConsole(dom, NULL, con.st, 0) < 0) {
        fprintf(stderr, "error: %s\n", virGetLastErrorMessage());
        virDomainDestroy(dom);
        return 1;
    }
    if (!waitConsole(&con, "GUEST-READY")) {
        fprintf(stderr, "error: the guest did not become ready; its console said:\n%s\n",
                seen->str);
        virDomainDestroy(dom);
        return 1;
    }
    printf("  guest console says %s and GUEST-READY after %.1f ms\n",
           strstr(seen->str, "GUEST-DISK-WRITTEN") ? "GUEST-DISK-WRITTEN (its disk works)"
                                                   : "no disk write",
           (g_get_monotonic_time() - t0) / 1000.0);

    printf("== ACPI shutdown\n");
    t0 = g_get_monotonic_time();
    if (virDomainShutdown(dom) < 0) {
        fprintf(stderr, "error: %s\n", virGetLastErrorMessage());
        virDomainDestroy(dom);
        return 1;
    }
    printf("  virDomainShutdown returned after %.1f ms\n",
           (g_get_monotonic_time() - t0) / 1000.0);
    if (!g_async_queue_timeout_pop(stopped, DEADLINE_S * G_USEC_PER_SEC)) {
        fprintf(stderr, "error: no STOPPED event\n");
        virDomainDestroy(dom);
        return 1;
    }
    showState(dom);
    {
        /* what the guest wrote is on the image once QEMU has flushed it */
        g_autofree char *out = g_strdup_printf("%s/demo-disk.head", argv[1]);
        g_autofree char *dd =
            g_strdup_printf("qemu-img dd -f qcow2 -O raw bs=4096 count=1 "
                            "if=%s of=%s",
                            disk, out);
        g_autofree char *head = NULL;

        if (system(dd) == 0 && g_file_get_contents(out, &head, NULL, NULL) &&
            g_str_has_prefix(head, "VIRTKIT-TEST-PATTERN"))
            printf("  the guest's writes are on %s (read back with qemu-img)\n", disk);
        else {
            fprintf(stderr, "error: the guest's writes are not on %s\n", disk);
            return 1;
        }
    }
    /* the stream ended with the guest */
    virStreamFinish(con.st);
    virStreamFree(con.st);
    virConnectDomainEventDeregisterAny(conn, cbid);
    virDomainUndefine(dom);
    virDomainFree(dom);
    virConnectClose(conn);
    printf("== done\n");
    fflush(stdout);
    return 0;
}
