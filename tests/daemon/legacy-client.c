/* legacy-client.c: virConnectDomainEventRegister through libvirtkit's remote driver (test_legacyevents.py)
 *
 * Usage: legacy-client URI
 * Registers two legacy lifecycle callbacks (and the first one again: the
 * error), defines and undefines domain "lc", waits until both callbacks
 * saw DEFINED and UNDEFINED, deregisters both (and the first again: the
 * error), and prints one line per fact:
 *   register2: rc=-1 code=8 domain=0
 *   cb1: lc 0/0 lc 1/0
 *   cb2: lc 0/0 lc 1/0
 *   deregister2: rc=-1 code=8
 * then "legacy-client: ok" (exit 0), or what failed (exit 1). Every wait
 * has a deadline (60 s).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <glib.h>

static const char *domXML = "<domain type='qemu'><name>lc</name>"
                            "<memory unit='KiB'>65536</memory>"
                            "<os><type arch='x86_64' machine='pc'>hvm</type></os>"
                            "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
                            "</devices></domain>";

static GString *seen[2];
static int count[2];

static int
onLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    int i = GPOINTER_TO_INT(opaque);

    (void)conn;
    if (strcmp(virDomainGetName(dom), "lc") != 0)
        return 0;
    g_string_append_printf(seen[i], " %s %d/%d", virDomainGetName(dom), event, detail);
    count[i]++;
    return 0;
}

/* The same body under another address: a second callback. */
static int
onLifecycle2(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    return onLifecycle(conn, dom, event, detail, opaque);
}

static void
deadline(int timer, void *opaque)
{
    (void)timer;
    *(bool *)opaque = true;
}

static void
quiet(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

int
main(int argc, char **argv)
{
    virConnectPtr conn;
    virDomainPtr dom;
    bool timedOut = false;
    int timer;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: legacy-client URI\n");
        return 1;
    }
    virSetErrorFunc(NULL, quiet);
    virEventRegisterDefaultImpl();
    if (!(conn = virConnectOpen(argv[1]))) {
        fprintf(stderr, "legacy-client: open: %s\n", virGetLastErrorMessage());
        return 1;
    }
    seen[0] = g_string_new(NULL);
    seen[1] = g_string_new(NULL);
    if (virConnectDomainEventRegister(conn, onLifecycle, GINT_TO_POINTER(0), NULL) < 0 ||
        virConnectDomainEventRegister(conn, onLifecycle2, GINT_TO_POINTER(1), NULL) < 0) {
        fprintf(stderr, "legacy-client: register: %s\n", virGetLastErrorMessage());
        return 1;
    }
    rc = virConnectDomainEventRegister(conn, onLifecycle, GINT_TO_POINTER(0), NULL);
    printf("register2: rc=%d code=%d domain=%d\n", rc, virGetLastErrorCode(),
           virGetLastErrorDomain());
    if (!(dom = virDomainDefineXML(conn, domXML)) || virDomainUndefine(dom) < 0) {
        fprintf(stderr, "legacy-client: define/undefine: %s\n", virGetLastErrorMessage());
        return 1;
    }
    virDomainFree(dom);
    timer = virEventAddTimeout(60000, deadline, &timedOut, NULL);
    while (!timedOut && (count[0] < 2 || count[1] < 2))
        virEventRunDefaultImpl();
    virEventRemoveTimeout(timer);
    printf("cb1:%s\ncb2:%s\n", seen[0]->str, seen[1]->str);
    if (virConnectDomainEventDeregister(conn, onLifecycle) < 0 ||
        virConnectDomainEventDeregister(conn, onLifecycle2) < 0) {
        fprintf(stderr, "legacy-client: deregister: %s\n", virGetLastErrorMessage());
        return 1;
    }
    rc = virConnectDomainEventDeregister(conn, onLifecycle);
    printf("deregister2: rc=%d code=%d\n", rc, virGetLastErrorCode());
    virConnectClose(conn);
    if (timedOut) {
        fprintf(stderr, "legacy-client: no events within 60 s\n");
        return 1;
    }
    printf("legacy-client: ok\n");
    return 0;
}
