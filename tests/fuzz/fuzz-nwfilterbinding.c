/* fuzz-nwfilterbinding.c: libFuzzer target, network filter binding XML parse + format + re-parse, and its translation to nftables rules */

/*
 * Input: a <filterbinding> document (seeds: tests/data/fuzz/nwfilterbinding).
 * Checks, besides ASan/UBSan:
 *  - a refused document leaves a libvirt error (code in range, domain
 *    NWFILTER, XML, DOMAIN (the shared XML reader) or NONE, a message);
 *  - an accepted one formats to XML that parses again to the same text;
 *  - it is translated against libvirt's standard filters (the set a system
 *    daemon starts with) and vk-fuzz-l3 below (layer-3 rules whose ports,
 *    addresses and connection states come from the binding's parameters):
 *    a script, or an error as above (a parameter value no attribute takes,
 *    a missing filter or variable). The translator only writes text:
 *    nothing is run.
 */

/* The standard filters have no layer-3 rule: this one reaches the
 * translator's states and reverses with the binding's values. */
static const char fuzzL3Filter[] =
    "<filter name='vk-fuzz-l3' chain='root'>"
    "<rule action='accept' direction='out' priority='100'>"
    "<tcp dstportstart='$PORT' state='$STATE'/></rule>"
    "<rule action='accept' direction='inout' priority='110'>"
    "<udp srcipaddr='$IP' dstportstart='$PORT' state='$STATE'/></rule>"
    "<rule action='accept' direction='in' priority='120'><icmp/></rule>"
    "<rule action='accept' direction='out' priority='130' statematch='false'>"
    "<tcp-ipv6 srcmacaddr='$MAC' dstportstart='$PORT'/></rule>"
    "<rule action='drop' direction='inout' priority='500'><all/></rule>"
    "<filterref filter='clean-traffic'/>"
    "</filter>";

#include <string.h>

#include "nwfilter_binding_conf.h"
#include "nwfilter_driver.h"
#include "nwfilter_nft.h"
#include "fuzz-common.h"

static const int bindingDomains[] = { VIR_FROM_NWFILTER, VIR_FROM_XML, VIR_FROM_DOMAIN,
                                      VIR_FROM_NONE, -1 };

static GPtrArray *stock;

static const virNWFilterDef *
lookupStock(const char *name, void *opaque)
{
    for (guint i = 0; i < stock->len; i++) {
        const virNWFilterDef *def = stock->pdata[i];

        if (g_str_equal(def->name, name))
            return def;
    }
    return NULL;
}

static void
loadStock(void)
{
    if (stock)
        return;
    stock = g_ptr_array_new();
    for (size_t i = 0; nwfilterDefaults[i].name; i++) {
        virNWFilterDef *def = virNWFilterDefParseString(nwfilterDefaults[i].xml, 0);

        if (!def)
            FUZZ_FAIL("standard filter %s does not parse: %s", nwfilterDefaults[i].name,
                      virGetLastErrorMessage());
        g_ptr_array_add(stock, def);
    }
    {
        virNWFilterDef *def = virNWFilterDefParseString(fuzzL3Filter, 0);

        if (!def)
            FUZZ_FAIL("filter vk-fuzz-l3 does not parse: %s", virGetLastErrorMessage());
        g_ptr_array_add(stock, def);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *xml = fuzzInputString(data, size);
    g_autoptr(virNWFilterBindingDef) def = NULL;
    g_autoptr(virNWFilterBindingDef) again = NULL;
    g_autofree char *out1 = NULL;
    g_autofree char *out2 = NULL;
    g_autofree char *script = NULL;

    loadStock();
    virResetLastError();
    if (!(def = virNWFilterBindingDefParseString(xml, size > 0 && data[0] == ' '))) {
        fuzzCheckError("nwfilter binding parse", bindingDomains);
        return 0;
    }
    out1 = virNWFilterBindingDefFormat(def);
    if (!(again = virNWFilterBindingDefParseString(out1, false)))
        FUZZ_FAIL("formatted binding does not parse again: %s\n%s",
                  virGetLastErrorMessage(), out1);
    out2 = virNWFilterBindingDefFormat(again);
    FUZZ_CHECK(strcmp(out1, out2) == 0, "binding format not a fixed point:\n%s\n---\n%s",
               out1, out2);
    virResetLastError();
    if (!(script = nwfNftBuild(def, lookupStock, NULL)))
        fuzzCheckError("nwfilter binding translation", bindingDomains);
    else
        /* the shared connection-state table first, when a rule needs it */
        FUZZ_CHECK(strstr(script, "add table bridge virtkit_nwf_") == script ||
                       (g_str_has_prefix(script, "add table inet virtkit_nwf_ct\n") &&
                        strstr(script, "\nadd table bridge virtkit_nwf_")),
                   "script does not start with its table:\n%s", script);
    virResetLastError();
    return 0;
}
