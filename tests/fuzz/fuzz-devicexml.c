/* fuzz-devicexml.c: libFuzzer target, the device XML of AttachDevice / DetachDevice / UpdateDevice (QEMU driver) */

/*
 * Input: one device element (seeds: tests/data/fuzz/devicexml, the disks,
 * interfaces, channels, serials and consoles the hotplug suites attach).
 * qemuHotplugParseDevice parses it as an attach, a detach and an update
 * would; a serial or console then goes through qemuHotplugChrFromXML (the
 * target port and pty path read from the raw XML) and the port a live and a
 * persistent attach would give it. Checks, besides ASan/UBSan: a refused
 * document leaves a libvirt error (code in range, domain QEMU, DOMAIN, XML
 * or NONE, a message); an accepted one holds the one device it names, and
 * a serial or console gets a port of its own.
 */

#include <string.h>

#include "domain_conf.h"
#include "fuzz-common.h"
#include "qemu_hotplug.h"

static const int deviceDomains[] = { VIR_FROM_QEMU, VIR_FROM_DOMAIN, VIR_FROM_XML,
                                     VIR_FROM_NONE, VIR_FROM_DEVICE, -1 };

static void
checkOne(const char *xml, const char *action)
{
    g_autoptr(virDomainDef) def = NULL;
    const char *what = NULL;

    virResetLastError();
    if (!(def = qemuHotplugParseDevice(xml, action, &what))) {
        fuzzCheckError(action, deviceDomains);
        return;
    }
    FUZZ_CHECK(what != NULL, "no device kind");
    if (strcmp(what, "serial") == 0 || strcmp(what, "console") == 0) {
        bool console = strcmp(what, "console") == 0;
        virDomainChrDef *chr =
            console ? def->consoles[def->nconsoles - 1] : def->serials[def->nserials - 1];
        int given = qemuHotplugChrFromXML(xml, chr);

        FUZZ_CHECK(given == chr->targetPort, "port %d read, %d kept", given,
                   chr->targetPort);
        /* against the wrapper definition itself: one above its ports */
        qemuHotplugChrAssignPort(def, chr, true);
        FUZZ_CHECK(chr->targetPort >= 0, "no port assigned");
        chr->targetPort = -1;
        qemuHotplugChrAssignPort(def, chr, false);
        FUZZ_CHECK(chr->targetPort >= 0, "no persistent port assigned");
    }
    virResetLastError();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *xml = fuzzInputString(data, size);

    checkOne(xml, "live attach");
    checkOne(xml, "persistent detach");
    checkOne(xml, "live update");
    return 0;
}
