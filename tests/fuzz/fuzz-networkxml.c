/* fuzz-networkxml.c: libFuzzer target, <network>, <networkport> and host <interface> XML parse + format + re-parse (src/conf) */

/*
 * Input: a <network>, <networkport> or host <interface> document (the
 * seeds are tests/data/fuzz/networkxml: libvirt's shapes of them). Every
 * input goes through the three parsers (an <interface> with a bad <mtu
 * size> is refused without an error, as libvirt 9.0 refuses it). Checks, besides ASan/UBSan:
 *  - a refused document leaves a libvirt error (code in range, domain
 *    NETWORK, XML, DOMAIN (the shared XML reader) or NONE, a message);
 *  - an accepted document formats to XML that parses again, and the
 *    canonical form is a fixed point: format(parse(format(parse(x)))) ==
 *    format(parse(x)) (a generated network UUID is fixed by the first
 *    format).
 */

#include <string.h>

#include "interface_conf.h"
#include "network_conf.h"
#include "network_port_conf.h"
#include "fuzz-common.h"

static const int networkDomains[] = { VIR_FROM_NETWORK, VIR_FROM_XML, VIR_FROM_DOMAIN,
                                      VIR_FROM_NONE, -1 };
static const int interfaceDomains[] = { VIR_FROM_INTERFACE, VIR_FROM_XML, VIR_FROM_DOMAIN,
                                        VIR_FROM_NONE, -1 };

static void
checkNetwork(const char *xml)
{
    g_autoptr(virNetworkDef) def = NULL;
    g_autoptr(virNetworkDef) again = NULL;
    g_autofree char *out1 = NULL;
    g_autofree char *out2 = NULL;

    virResetLastError();
    if (!(def = virNetworkDefParseString(xml))) {
        fuzzCheckError("network parse", networkDomains);
        return;
    }
    out1 = virNetworkDefFormat(def, 0);
    if (!(again = virNetworkDefParseString(out1)))
        FUZZ_FAIL("formatted network does not parse again: %s\n%s",
                  virGetLastErrorMessage(), out1);
    out2 = virNetworkDefFormat(again, 0);
    FUZZ_CHECK(strcmp(out1, out2) == 0, "network format not a fixed point:\n%s\n---\n%s",
               out1, out2);
}

static void
checkPort(const char *xml)
{
    g_autoptr(virNetworkPortDef) def = NULL;
    g_autoptr(virNetworkPortDef) again = NULL;
    g_autofree char *out1 = NULL;
    g_autofree char *out2 = NULL;

    virResetLastError();
    if (!(def = virNetworkPortDefParseString(xml))) {
        fuzzCheckError("network port parse", networkDomains);
        return;
    }
    out1 = virNetworkPortDefFormat(def);
    if (!(again = virNetworkPortDefParseString(out1)))
        FUZZ_FAIL("formatted network port does not parse again: %s\n%s",
                  virGetLastErrorMessage(), out1);
    out2 = virNetworkPortDefFormat(again);
    FUZZ_CHECK(strcmp(out1, out2) == 0,
               "network port format not a fixed point:\n%s\n---\n%s", out1, out2);
}

static void
checkInterface(const char *xml)
{
    g_autoptr(virInterfaceDef) def = NULL;
    g_autoptr(virInterfaceDef) again = NULL;
    g_autofree char *out1 = NULL;
    g_autofree char *out2 = NULL;

    virResetLastError();
    if (!(def = virInterfaceDefParseString(xml))) {
        if (!virGetLastError() && strstr(xml, "mtu"))
            return; /* libvirt's silent refusal of a bad <mtu size> */
        fuzzCheckError("interface parse", interfaceDomains);
        return;
    }
    out1 = virInterfaceDefFormat(def);
    if (!(again = virInterfaceDefParseString(out1)))
        FUZZ_FAIL("formatted interface does not parse again: %s\n%s",
                  virGetLastErrorMessage(), out1);
    out2 = virInterfaceDefFormat(again);
    FUZZ_CHECK(strcmp(out1, out2) == 0,
               "interface format not a fixed point:\n%s\n---\n%s", out1, out2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *xml = fuzzInputString(data, size);

    checkNetwork(xml);
    checkPort(xml);
    checkInterface(xml);
    virResetLastError();
    return 0;
}
