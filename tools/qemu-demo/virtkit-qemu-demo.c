/* virtkit-qemu-demo.c: boots the test guest through qemu:///embed, shuts it down by ACPI, prints the events */

/*
 * Threads: the main thread drives the guest; one thread runs the default
 * event loop and prints each event as it is delivered (virsh's format),
 * signalling the main thread through a GAsyncQueue. All waits have
 * deadlines; nothing sleeps for a fixed time.
 */

#define G_LOG_DOMAIN "virtkit.demo"
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <glib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define DEADLINE_S 60

static GAsyncQueue *stopped;
static gint64 t0;

static const char *const typeNames[] = {
    "Defined", "Undefined", "Started", "Suspended", "Resumed", "Stopped", "Shutdown",
    "PMSuspended", "Crashed",
};
static const char *const detailNames[][9] = {
    { "Added", "Updated", "Renamed", "Snapshot" },
    { "Removed", "Renamed" },
    { "Booted", "Migrated", "Restored", "Snapshot", "Event wakeup" },
    { "Paused", "Migrated", "I/O Error", "Watchdog", "Restored", "Snapshot", "API error" },
    { "Unpaused", "Migrated", "Snapshot" },
    { "Shutdown", "Destroyed", "Crashed", "Migrated", "Saved", "Failed", "Snapshot" },
    { "Finished", "Finished after guest request", "Finished after host request" },
    { "Memory", "Disk" },
    { "Panicked", "Crashloaded" },
};

static int
lifecycleCb(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    const char *d = event >= 0 && event < 9 && detail >= 0 && detail < 9 ?
                    detailNames[event][detail] : NULL;

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

static bool
waitConsole(const char *path, const char *needle)
{
    gint64 deadline = g_get_monotonic_time() + DEADLINE_S * G_USEC_PER_SEC;
    int ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    bool found = false;

    if (ifd < 0 || inotify_add_watch(ifd, path, IN_MODIFY) < 0)
        return false;
    while (g_get_monotonic_time() < deadline) {
        g_autofree char *text = NULL;
        struct pollfd pfd = { .fd = ifd, .events = POLLIN };
        char buf[4096];

        if (g_file_get_contents(path, &text, NULL, NULL) && strstr(text, needle)) {
            found = true;
            break;
        }
        if (poll(&pfd, 1, (int)((deadline - g_get_monotonic_time()) / 1000) + 1) > 0)
            while (read(ifd, buf, sizeof(buf)) > 0)
                ;
    }
    close(ifd);
    return found;
}

static void
showState(virDomainPtr dom)
{
    const char *names[] = { "no state", "running", "idle", "paused", "in shutdown",
                            "shut off", "crashed", "pmsuspended" };
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
    g_autofree char *serial = NULL;
    virConnectPtr conn;
    virDomainPtr dom;
    unsigned long ver = 0;
    int cbid;

    if (argc != 3) {
        fprintf(stderr, "usage: %s ROOT GUESTDIR\n", argv[0]);
        return 2;
    }
    uri = g_strdup_printf("qemu:///embed?root=%s", argv[1]);
    serial = g_strdup_printf("%s/demo.serial", argv[1]);
    xml = g_strdup_printf("<domain type='qemu'>\n"
                          "  <name>demo</name>\n"
                          "  <memory unit='MiB'>256</memory>\n"
                          "  <vcpu>1</vcpu>\n"
                          "  <os>\n"
                          "    <type arch='x86_64' machine='q35'>hvm</type>\n"
                          "    <kernel>%s/vmlinuz</kernel>\n"
                          "    <initrd>%s/initrd.gz</initrd>\n"
                          "    <cmdline>console=ttyS0 quiet</cmdline>\n"
                          "  </os>\n"
                          "  <features><acpi/></features>\n"
                          "  <devices><serial type='file'><source path='%s'/></serial></devices>\n"
                          "</domain>\n", argv[2], argv[2], serial);

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
    cbid = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                     (virConnectDomainEventGenericCallback)(void (*)(void))
                                     lifecycleCb, NULL, NULL);

    t0 = g_get_monotonic_time();
    printf("== define and start the test guest (TCG)\n");
    if (!(dom = virDomainDefineXML(conn, xml)) || virDomainCreate(dom) < 0) {
        fprintf(stderr, "error: %s\n", virGetLastErrorMessage());
        return 1;
    }
    printf("  started in %.1f ms\n", (g_get_monotonic_time() - t0) / 1000.0);
    showState(dom);
    if (!waitConsole(serial, "GUEST-READY")) {
        fprintf(stderr, "error: the guest did not become ready\n");
        virDomainDestroy(dom);
        return 1;
    }
    printf("  guest console says GUEST-READY after %.1f ms\n",
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
    virConnectDomainEventDeregisterAny(conn, cbid);
    virDomainUndefine(dom);
    virDomainFree(dom);
    virConnectClose(conn);
    printf("== done\n");
    fflush(stdout);
    return 0;
}
