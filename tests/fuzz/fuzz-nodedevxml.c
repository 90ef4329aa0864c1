/* fuzz-nodedevxml.c: libFuzzer target, the <device> documents of nodedev-create / -define (src/conf) */

/*
 * Input: a <device> document (the seeds are tests/data/fuzz/nodedevxml:
 * the inputs of the vksh goldens nodedev-*). Checks, besides ASan/UBSan:
 *  - a refused document leaves a libvirt error (code in range, domain
 *    NODEDEV, XML, DOMAIN (the shared XML reader) or NONE, a message);
 *  - an accepted vHBA (scsi_host with fc_host) formats, as the test driver
 *    shows a created one, to XML that parses again to the same fields;
 *  - virNodeDeviceDefGetWWNs without generation either fails with an
 *    error or gives the document's wwnn/wwpn.
 */

#include <string.h>

#include "node_device_def.h"
#include "fuzz-common.h"

static const int nodedevDomains[] = { VIR_FROM_NODEDEV, VIR_FROM_XML, VIR_FROM_DOMAIN,
                                      VIR_FROM_NONE, -1 };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *xml = fuzzInputString(data, size);
    g_autoptr(virNodeDeviceDef) def = NULL;
    g_autoptr(virNodeDeviceDef) again = NULL;
    g_autofree char *out = NULL;
    g_autofree char *wwnn = NULL;
    g_autofree char *wwpn = NULL;

    virResetLastError();
    if (!(def = virNodeDeviceDefParseString(xml))) {
        fuzzCheckError("nodedev parse", nodedevDomains);
        return 0;
    }
    FUZZ_CHECK(def->name && def->capType, "accepted without name or capability");
    if (virNodeDeviceDefGetWWNs(def, false, &wwnn, &wwpn) < 0) {
        fuzzCheckError("nodedev wwns", nodedevDomains);
    } else {
        FUZZ_CHECK(strcmp(wwnn, def->wwnn) == 0 && strcmp(wwpn, def->wwpn) == 0,
                   "wwns changed");
    }
    if (g_strcmp0(def->capType, "scsi_host") == 0 && def->fcHost) {
        out = virNodeDeviceDefFormatSCSIHost(def);
        FUZZ_CHECK(virNodeDeviceXMLGetFC(out, &again) == 1,
                   "formatted vHBA does not parse again:\n%s", out);
        FUZZ_CHECK(g_strcmp0(def->name, again->name) == 0 &&
                       g_strcmp0(def->wwnn, again->wwnn) == 0 &&
                       g_strcmp0(def->wwpn, again->wwpn) == 0 &&
                       g_strcmp0(def->fabricWWN, again->fabricWWN) == 0,
                   "vHBA fields changed in a round trip:\n%s", out);
    }
    virResetLastError();
    return 0;
}
