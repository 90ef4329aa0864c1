/* fuzz-status.c: libFuzzer target, status files (<domstatus>) as both readers parse them */

/*
 * Input: a status file. Two readers see it, as at daemon start:
 *  - virDomainStatusParseString (src/conf/domain_status.c, the daemon's
 *    generic reader): a refused file leaves a libvirt error; an accepted
 *    one formats (virDomainStatusFormat) to a document that parses again
 *    to the same state, reason, pid and definition, and that canonical
 *    form is a fixed point (the second round equals the first except
 *    for the documented virtio-console renumbering, the third always);
 *  - qemuDomainStatusParseFile (the QEMU driver's reader of its own
 *    status files), on the same bytes through a memfd: a refused file
 *    leaves an error; an accepted one has a valid state/reason, a pid in
 *    [0, INT32_MAX] and a live definition that formats and parses again.
 */

#include <sys/mman.h>
#include <unistd.h>

#include "virtkit-config.h"
#include "domain_conf.h"
#include "domain_status.h"
#include "qemu_domain.h"
#include "fuzz-common.h"

#include <libxml/xmlerror.h>

static const int statusDomains[] = { VIR_FROM_DOMAIN, VIR_FROM_XML, VIR_FROM_NONE, -1 };
static const int qemuDomains[] = { VIR_FROM_DOMAIN, VIR_FROM_XML, VIR_FROM_NONE,
                                   VIR_FROM_QEMU, -1 };

static char *
formatLocked(virDomainObj *obj)
{
    char *out;

    virDomainObjLock(obj);
    out = virDomainStatusFormat(obj, NULL);
    virDomainObjUnlock(obj);
    return out;
}

static bool
hasVirtioConsole(const char *xml)
{
    const char *p = xml;

    while ((p = strstr(p, "<console "))) {
        const char *end = strstr(p, "</console>");
        const char *v = strstr(p, "<target type='virtio'");

        if (v && (!end || v < end))
            return true;
        p++;
    }
    return false;
}

static void
checkGeneric(const char *xml)
{
    virDomainObj *obj;
    virDomainObj *obj2;
    virDomainObj *obj3;
    g_autofree char *out1 = NULL;
    g_autofree char *out2 = NULL;
    g_autofree char *out3 = NULL;

    virResetLastError();
    if (!(obj = virDomainStatusParseString(xml, NULL))) {
        fuzzCheckError("status parse", statusDomains);
        return;
    }
    out1 = formatLocked(obj);
    virResetLastError();
    if (!(obj2 = virDomainStatusParseString(out1, NULL)))
        FUZZ_FAIL("accepted status formats to a refused document (%s):\n%s",
                  virGetLastErrorMessage(), out1);
    if (obj2->state != obj->state || obj2->reason != obj->reason || obj2->pid != obj->pid)
        FUZZ_FAIL("state/reason/pid %d/%d/%lld came back as %d/%d/%lld:\n%s", obj->state,
                  obj->reason, (long long)obj->pid, obj2->state, obj2->reason,
                  (long long)obj2->pid, out1);
    out2 = formatLocked(obj2);
    if (!(obj3 = virDomainStatusParseString(out2, NULL)))
        FUZZ_FAIL("second round refused (%s):\n%s", virGetLastErrorMessage(), out2);
    out3 = formatLocked(obj3);
    if (strcmp(out2, out3) != 0)
        FUZZ_FAIL("status canonical form not stable:\n%s\n---\n%s", out2, out3);
    if (strcmp(out1, out2) != 0 && !hasVirtioConsole(out1))
        FUZZ_FAIL("format(parse(format(x))) != format(x):\n%s\n---\n%s", out1, out2);
    virDomainObjUnref(obj);
    virDomainObjUnref(obj2);
    virDomainObjUnref(obj3);
}

static void
checkQemu(const uint8_t *data, size_t size)
{
    g_autoptr(qemuDomainStatus) st = NULL;
    g_autofree char *path = NULL;
    int fd = memfd_create("fuzz-status", MFD_CLOEXEC);
    size_t off = 0;

    if (fd < 0)
        FUZZ_FAIL("memfd_create: %s", g_strerror(errno));
    while (off < size) {
        ssize_t n = write(fd, data + off, size - off);

        if (n <= 0)
            FUZZ_FAIL("write to memfd: %s", g_strerror(errno));
        off += n;
    }
    path = g_strdup_printf("/proc/self/fd/%d", fd);
    virResetLastError();
    st = qemuDomainStatusParseFile(path);
    close(fd);
    if (!st) {
        fuzzCheckError("qemu status parse", qemuDomains);
        return;
    }
    if (!virDomainStateTypeToString(st->state) ||
        !virDomainStateReasonToString(st->state, st->reason))
        FUZZ_FAIL("qemu status: state %d reason %d accepted", st->state, st->reason);
    if (st->pid < 0)
        FUZZ_FAIL("qemu status: pid %lld accepted", (long long)st->pid);
    if (st->graceOverrideSec < -1 || st->graceOverrideSec > 3600)
        FUZZ_FAIL("qemu status: grace %d accepted", st->graceOverrideSec);
    if (!st->def)
        FUZZ_FAIL("qemu status accepted without a definition");
    {
        g_autofree char *out = virDomainDefFormat(st->def, 0);
        g_autoptr(virDomainDef) again = virDomainDefParseString(out, 0);

        if (!again)
            FUZZ_FAIL("qemu status definition formats to refused XML (%s):\n%s",
                      virGetLastErrorMessage(), out);
    }
}

static void
quietXMLError(void *ctx, const char *msg, ...)
{
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    /* libxml2 prints some errors (encoding) through its generic handler
     * even with XML_PARSE_NOERROR: keep the fuzzer's output readable. */
    xmlSetGenericErrorFunc(NULL, quietXMLError);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *xml = NULL;

    if (size > 256 * 1024)
        return 0;
    xml = fuzzInputString(data, size);
    checkGeneric(xml);
    checkQemu(data, size);
    return 0;
}
