/* domainobjbench.c: lookup and export throughput of the domain list (meson benchmark, not a test) */

#include <stdio.h>
#include <string.h>

#include "domain_obj.h"
#include "datatypes.h"

#define NDOMAINS 10000
#define NLOOKUPS 2000000

int
main(void)
{
    virDomainObjList *list = virDomainObjListNew();
    virConnectPtr conn = virGetConnect();
    char **names = g_new0(char *, NDOMAINS + 1);
    unsigned char(*uuids)[VIR_UUID_BUFLEN] = g_malloc0((gsize)NDOMAINS * VIR_UUID_BUFLEN);
    gint64 start, elapsed;
    long found = 0;

    for (int i = 0; i < NDOMAINS; i++) {
        g_autofree char *xml = NULL;
        virDomainDef *def;
        virDomainObj *obj;

        names[i] = g_strdup_printf("bench-domain-%05d", i);
        xml = g_strdup_printf("<domain type='test'><name>%s</name><memory>1024</memory>"
                              "<os><type>hvm</type></os></domain>",
                              names[i]);
        def = virDomainDefParseString(xml, VIR_DOMAIN_DEF_PARSE_INACTIVE);
        memcpy(uuids[i], def->uuid, VIR_UUID_BUFLEN);
        obj = virDomainObjListAdd(list, &def, 0, NULL);
        if (i % 2)
            obj->def->id = virDomainObjListNextID(list);
        virDomainObjEndAPI(&obj);
    }

    start = g_get_monotonic_time();
    for (int i = 0; i < NLOOKUPS; i++) {
        virDomainObj *obj =
            virDomainObjListFindByName(list, names[((unsigned int)i * 7919u) % NDOMAINS]);

        found += obj != NULL;
        virDomainObjEndAPI(&obj);
    }
    elapsed = g_get_monotonic_time() - start;
    printf("FindByName: %d lookups over %d domains in %.3f s = %.2f M/s\n", NLOOKUPS,
           NDOMAINS, elapsed / 1e6, NLOOKUPS / (double)elapsed);

    start = g_get_monotonic_time();
    for (int i = 0; i < NLOOKUPS; i++) {
        virDomainObj *obj =
            virDomainObjListFindByUUID(list, uuids[((unsigned int)i * 7919u) % NDOMAINS]);

        found += obj != NULL;
        virDomainObjEndAPI(&obj);
    }
    elapsed = g_get_monotonic_time() - start;
    printf("FindByUUID: %.2f M/s\n", NLOOKUPS / (double)elapsed);

    start = g_get_monotonic_time();
    for (int i = 0; i < NLOOKUPS; i++) {
        virDomainObj *obj = virDomainObjListFindByID(list, 1 + ((unsigned int)i * 7919u) %
                                                                   (NDOMAINS / 2));

        found += obj != NULL;
        virDomainObjEndAPI(&obj);
    }
    elapsed = g_get_monotonic_time() - start;
    printf("FindByID: %.2f M/s\n", NLOOKUPS / (double)elapsed);

    start = g_get_monotonic_time();
    for (int r = 0; r < 100; r++) {
        virDomainPtr *doms = NULL;
        int n = virDomainObjListExport(list, conn, &doms, 0);

        for (int i = 0; i < n; i++)
            virObjectUnrefDomain(doms[i]);
        g_free(doms);
    }
    elapsed = g_get_monotonic_time() - start;
    printf("Export of %d: %.3f ms each\n", NDOMAINS, elapsed / 100 / 1e3);

    if (found != 3L * NLOOKUPS)
        return 1;
    g_strfreev(names);
    g_free(uuids);
    virObjectUnrefConnect(conn);
    virDomainObjListFree(list);
    return 0;
}
