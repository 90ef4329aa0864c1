/* bench-testdriver.c: lookup and listing speed of the in-process test driver through the public API */

/*
 * Targets (issue 2): virDomainLookupByName over 10,000 defined domains at
 * one million or more per second on one core; virConnectListAllDomains of
 * 10,000 domains in under 2 ms. Single-threaded; prints the figures and
 * whether each target is met (a benchmark, not a test: it exits 0 either
 * way, and 1 only when the API itself fails).
 * Usage: bench-testdriver [NDOMAINS] [URI]
 */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <glib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static double
nowSeconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
cpuSeconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
compareDouble(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
    int ndomains = argc > 1 ? atoi(argv[1]) : 10000;
    const char *uri = argc > 2 ? argv[2] : "test:///default";
    virConnectPtr conn;
    char **names;
    double start;
    double cpuStart;
    double elapsed;
    double cpu;
    double lookupRate;
    double listTimes[50];
    double listCpu[50];
    double listMedian;
    double listMin;
    double listCpuMedian;
    long lookups = 0;
    long target;
    int i;
    int n;

    if (ndomains <= 0) {
        fprintf(stderr, "usage: %s [NDOMAINS] [URI]\n", argv[0]);
        return 2;
    }
    if (!(conn = virConnectOpen(uri))) {
        fprintf(stderr, "cannot open %s: %s\n", uri, virGetLastErrorMessage());
        return 1;
    }

    names = g_new0(char *, ndomains);
    start = nowSeconds();
    for (i = 0; i < ndomains; i++) {
        g_autofree char *xml = NULL;
        virDomainPtr dom;

        names[i] = g_strdup_printf("bench-%05d", i);
        xml = g_strdup_printf("<domain type='test'><name>%s</name><memory>1024</memory>"
                              "<os><type>hvm</type></os></domain>",
                              names[i]);
        if (!(dom = virDomainDefineXML(conn, xml))) {
            fprintf(stderr, "define %s: %s\n", names[i], virGetLastErrorMessage());
            return 1;
        }
        virDomainFree(dom);
    }
    printf("defined %d domains in %.3f s\n", ndomains, nowSeconds() - start);

    /* Lookup by name, cycling through every domain; about one second. */
    target = 2000000;
    start = nowSeconds();
    cpuStart = cpuSeconds();
    do {
        long k;

        for (k = 0; k < 100000; k++) {
            virDomainPtr dom = virDomainLookupByName(conn, names[lookups % ndomains]);

            if (!dom) {
                fprintf(stderr, "lookup failed: %s\n", virGetLastErrorMessage());
                return 1;
            }
            virDomainFree(dom);
            lookups++;
        }
    } while (lookups < target || nowSeconds() - start < 1.0);
    elapsed = nowSeconds() - start;
    cpu = cpuSeconds() - cpuStart;
    lookupRate = lookups / cpu;
    printf("virDomainLookupByName: %ld lookups in %.3f s wall, %.3f s CPU: "
           "%.0f lookups/s per core (%.0f ns each)  target >= 1000000/s: %s\n",
           lookups, elapsed, cpu, lookupRate, 1e9 / lookupRate,
           lookupRate >= 1e6 ? "met" : "NOT MET");

    /* ListAllDomains of every domain, repeated; report the median. */
    for (i = 0; i < (int)G_N_ELEMENTS(listTimes); i++) {
        virDomainPtr *doms = NULL;
        int j;

        start = nowSeconds();
        cpuStart = cpuSeconds();
        n = virConnectListAllDomains(conn, &doms, 0);
        listTimes[i] = nowSeconds() - start;
        listCpu[i] = cpuSeconds() - cpuStart;
        if (n != ndomains + 1) {
            fprintf(stderr, "listed %d domains, expected %d\n", n, ndomains + 1);
            return 1;
        }
        for (j = 0; j < n; j++)
            virDomainFree(doms[j]);
        free(doms);
    }
    qsort(listTimes, G_N_ELEMENTS(listTimes), sizeof(double), compareDouble);
    qsort(listCpu, G_N_ELEMENTS(listCpu), sizeof(double), compareDouble);
    listMin = listTimes[0];
    listMedian = listTimes[G_N_ELEMENTS(listTimes) / 2];
    listCpuMedian = listCpu[G_N_ELEMENTS(listCpu) / 2];
    printf("virConnectListAllDomains: %d domains: wall median %.3f ms, best %.3f ms; "
           "CPU median %.3f ms (%d runs)  target < 2 ms: %s\n",
           n, listMedian * 1e3, listMin * 1e3, listCpuMedian * 1e3,
           (int)G_N_ELEMENTS(listTimes), listCpuMedian < 2e-3 ? "met" : "NOT MET");

    for (i = 0; i < ndomains; i++)
        g_free(names[i]);
    g_free(names);
    virConnectClose(conn);
    return 0;
}
