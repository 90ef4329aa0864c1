#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <stdio.h>
#include <stdlib.h>
static void
quiet(void *u, virErrorPtr e)
{
}
int
main(int argc, char **argv)
{
    virSetErrorFunc(NULL, quiet);
    virConnectPtr c = virConnectOpen("test:///default");
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        char *buf = calloc(1, 1 << 20);
        fread(buf, 1, (1 << 20) - 1, f);
        fclose(f);
        unsigned int flags = getenv("VALIDATE") ? 1 : 0;
        virDomainPtr d = virDomainDefineXMLFlags(c, buf, flags);
        if (!d) {
            virErrorPtr e = virGetLastError();
            printf("%d\n%d\n%s\n", e->code, e->domain, e->message);
        } else {
            char *x = virDomainGetXMLDesc(d, VIR_DOMAIN_XML_INACTIVE);
            fputs(x, stdout);
            virDomainUndefine(d);
        }
    }
    return 0;
}
