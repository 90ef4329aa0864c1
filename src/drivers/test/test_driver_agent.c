/* test_driver_agent.c: the test driver's guest agent calls (hostname, guest clock) with libvirt 9.0's answers */

/*
 * Threads: as test_driver.c; each entry point takes one object lock.
 *
 * libvirt's test driver has no agent: it answers a fixed host name and
 * keeps a per-domain clock (starting at 1989-11-17 15:32:00 UTC) that
 * virDomainSetTime replaces, whatever its flags.
 */

#define G_LOG_DOMAIN "virtkit.test.agent"

#include "driver.h"
#include "test_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

char *
testDomainGetHostname(virDomainPtr dom, unsigned int flags)
{
    virDomainObj *obj;
    char *ret = NULL;

    virCheckFlags(0, NULL);
    if (!(obj = testDomObjFromDomain(dom)))
        return NULL;
    if (testDomainObjCheckActive(obj) == 0)
        ret = g_strdup("testhost");
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainGetTime(virDomainPtr dom, long long *seconds, unsigned int *nseconds,
                  unsigned int flags)
{
    virDomainObj *obj;
    int ret = -1;

    virCheckFlags(0, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    /* libvirt asks for the running state here, not just an active one */
    if (obj->state != VIR_DOMAIN_RUNNING) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
    } else {
        testDomainObjPrivate *priv = testDomainObjGetPrivate(obj);

        *seconds = priv->seconds;
        *nseconds = priv->nseconds;
        ret = 0;
    }
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainSetTime(virDomainPtr dom, long long seconds, unsigned int nseconds,
                  unsigned int flags)
{
    virDomainObj *obj;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_TIME_SYNC, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjCheckActive(obj) == 0) {
        testDomainObjPrivate *priv = testDomainObjGetPrivate(obj);

        priv->seconds = seconds;
        priv->nseconds = nseconds;
        ret = 0;
    }
    virDomainObjEndAPI(&obj);
    return ret;
}

/* libvirt's test guest has two filesystems, "/" and "/boot": freezing or
 * thawing @mountpoints (all when none) counts those whose state changes; an
 * unknown mount point is refused before anything changes. */
static int
testDomainFSFreezeThaw(virDomainPtr dom, const char **mountpoints,
                       unsigned int nmountpoints, unsigned int flags, bool freeze)
{
    virDomainObj *obj;
    bool root = nmountpoints == 0, boot = nmountpoints == 0;
    int ret = -1;

    virCheckFlags(0, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjCheckActive(obj) < 0)
        goto cleanup;
    for (unsigned int i = 0; i < nmountpoints; i++) {
        if (g_str_equal(mountpoints[i], "/")) {
            root = true;
        } else if (g_str_equal(mountpoints[i], "/boot")) {
            boot = true;
        } else {
            virReportError(VIR_ERR_OPERATION_INVALID, "mount point not found: %s",
                           mountpoints[i]);
            goto cleanup;
        }
    }
    {
        testDomainObjPrivate *priv = testDomainObjGetPrivate(obj);

        ret = 0;
        if (root && priv->frozenRoot != freeze) {
            priv->frozenRoot = freeze;
            ret++;
        }
        if (boot && priv->frozenBoot != freeze) {
            priv->frozenBoot = freeze;
            ret++;
        }
    }

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainFSFreeze(virDomainPtr dom, const char **mountpoints, unsigned int nmountpoints,
                   unsigned int flags)
{
    return testDomainFSFreezeThaw(dom, mountpoints, nmountpoints, flags, true);
}

int
testDomainFSThaw(virDomainPtr dom, const char **mountpoints, unsigned int nmountpoints,
                 unsigned int flags)
{
    return testDomainFSFreezeThaw(dom, mountpoints, nmountpoints, flags, false);
}

int
testDomainFSTrim(virDomainPtr dom, const char *mountPoint, unsigned long long minimum,
                 unsigned int flags)
{
    virDomainObj *obj;
    int ret = -1;

    (void)minimum;
    virCheckFlags(0, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjCheckActive(obj) < 0)
        goto cleanup;
    if (mountPoint && !g_str_equal(mountPoint, "/") &&
        !g_str_equal(mountPoint, "/boot")) {
        virReportError(VIR_ERR_OPERATION_INVALID, "mount point not found: %s",
                       mountPoint);
        goto cleanup;
    }
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* libvirt's test driver: the first disk of device 'disk' (target T) holds
 * "/" on T1 and "/boot" on T2, both ext4; no such disk, no filesystem. */
int
testDomainGetFSInfo(virDomainPtr dom, virDomainFSInfoPtr **info, unsigned int flags)
{
    static const char *const mounts[] = { "/", "/boot" };
    virDomainObj *obj;
    int ret = -1;

    virCheckFlags(0, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjCheckActive(obj) < 0)
        goto cleanup;
    ret = 0;
    for (size_t i = 0; i < obj->def->ndisks; i++) {
        const virDomainDiskDef *disk = obj->def->disks[i];
        virDomainFSInfoPtr *list;

        if (disk->device != VIR_DOMAIN_DISK_DEVICE_DISK)
            continue;
        list = g_new0(virDomainFSInfoPtr, G_N_ELEMENTS(mounts));
        for (size_t j = 0; j < G_N_ELEMENTS(mounts); j++) {
            list[j] = g_new0(virDomainFSInfo, 1);
            list[j]->mountpoint = g_strdup(mounts[j]);
            list[j]->name = g_strdup_printf("%s%zu", disk->dst, j + 1);
            list[j]->fstype = g_strdup("ext4");
            list[j]->ndevAlias = 1;
            list[j]->devAlias = g_new0(char *, 1);
            list[j]->devAlias[0] = g_strdup(disk->dst);
        }
        *info = list;
        ret = G_N_ELEMENTS(mounts);
        break;
    }

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* libvirt's test driver: accepted on a running domain, nothing changes */
int
testDomainSetUserPassword(virDomainPtr dom, const char *user, const char *password,
                          unsigned int flags)
{
    virDomainObj *obj;
    int ret = -1;

    (void)user;
    (void)password;
    virCheckFlags(VIR_DOMAIN_PASSWORD_ENCRYPTED, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjCheckActive(obj) == 0)
        ret = 0;
    virDomainObjEndAPI(&obj);
    return ret;
}
