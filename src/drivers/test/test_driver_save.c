/* test_driver_save.c: the test driver's save, restore and managed save, with libvirt 9.0's test-driver semantics */
#define G_LOG_DOMAIN "virtkit.test.save"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_driver_priv.h"
#include "virfile.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/*
 * libvirt's test driver keeps no memory to save: its image is the magic
 * "TestGuestMagic" with its NUL (15 bytes), the XML length as a native
 * int, then the live domain XML (formatted with secrets). Such a file
 * written by Debian's libvirt restores here and the other way round. The
 * managed save is only a flag on the domain (libvirt keeps no file for
 * it either). Unlike libvirt, an image is written to a temporary file in
 * the same directory and renamed into place, so a failed write never
 * leaves a half image nor destroys an older file of that name.
 */
#define TEST_SAVE_MAGIC "TestGuestMagic"
#define TEST_SAVE_MAX_XML 8192 /* libvirt's limit when reading */

static void
testSaveQueueEvent(testDriver *driver, virObjectEvent *event)
{
    if (event)
        virObjectEventStateQueue(driver->eventState, event);
}

static int
testSaveWriteAll(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= n;
    }
    return 0;
}

/* Write the image of @def to @path (replaced atomically). 0, or -1 with
 * libvirt's messages. */
static int
testDomainSaveImageWrite(const char *path, const virDomainDef *def)
{
    g_autofree char *xml = virDomainDefFormat(def, VIR_DOMAIN_DEF_FORMAT_SECURE);
    g_autofree char *prefix = NULL;
    g_autofree char *tmp = NULL;
    int fd;
    int len;

    if (!xml)
        return -1;
    prefix = g_strdup_printf("%s.vksave-", path);
    if ((fd = virFileMakeTempPrivate(prefix, O_WRONLY, (uid_t)-1, (gid_t)-1, &tmp)) < 0) {
        virReportSystemError(errno, "saving domain '%s' to '%s': open failed", def->name,
                             path);
        return -1;
    }
    len = strlen(xml);
    if (testSaveWriteAll(fd, TEST_SAVE_MAGIC, sizeof(TEST_SAVE_MAGIC)) < 0 ||
        testSaveWriteAll(fd, &len, sizeof(len)) < 0 ||
        testSaveWriteAll(fd, xml, len) < 0 || fsync(fd) < 0) {
        virReportSystemError(errno, "saving domain '%s' to '%s': write failed", def->name,
                             path);
        close(fd);
        unlink(tmp);
        return -1;
    }
    if (close(fd) < 0 || rename(tmp, path) < 0) {
        virReportSystemError(errno, "saving domain '%s' to '%s': write failed", def->name,
                             path);
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* The definition stored in the image @path. NULL with libvirt's messages. */
static virDomainDef *
testDomainSaveImageRead(const char *path)
{
    char magic[sizeof(TEST_SAVE_MAGIC)];
    g_autofree char *xml = NULL;
    virDomainDef *def;
    int len;
    int fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        virReportSystemError(errno, "cannot read domain image '%s'", path);
        return NULL;
    }
    if (read(fd, magic, sizeof(magic)) != (ssize_t)sizeof(magic)) {
        virReportSystemError(errno, "incomplete save header in '%s'", path);
        goto error;
    }
    if (memcmp(magic, TEST_SAVE_MAGIC, sizeof(magic)) != 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "mismatched header magic");
        goto error;
    }
    if (read(fd, &len, sizeof(len)) != (ssize_t)sizeof(len)) {
        virReportSystemError(errno, "failed to read metadata length in '%s'", path);
        goto error;
    }
    if (len < 1 || len > TEST_SAVE_MAX_XML) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "length of metadata out of range");
        goto error;
    }
    xml = g_new0(char, len + 1);
    if (read(fd, xml, len) != len) {
        virReportSystemError(errno, "incomplete metadata in '%s'", path);
        goto error;
    }
    close(fd);
    if (!(def = virDomainDefParseString(xml, VIR_DOMAIN_DEF_PARSE_INACTIVE)))
        return NULL;
    if (testDomainDefPostParse(def) < 0) {
        virDomainDefFree(def);
        return NULL;
    }
    return def;

error:
    close(fd);
    return NULL;
}

int
testDomainSaveFlags(virDomainPtr dom, const char *to, const char *dxml,
                    unsigned int flags)
{
    testDriver *driver = dom->conn->privateData;
    virDomainObj *obj;
    virObjectEvent *event = NULL;
    int ret = -1;

    virCheckFlags(0, -1);
    if (dxml) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                       "xml modification unsupported");
        return -1;
    }

    g_mutex_lock(&driver->lock);
    if (!(obj = testDomObjFromDomain(dom)))
        goto cleanup;
    if (testDomainObjCheckActive(obj) < 0 || testDomainSaveImageWrite(to, obj->def) < 0)
        goto cleanup;

    testDomainShutdownState(obj, dom, VIR_DOMAIN_SHUTOFF_SAVED);
    event = virDomainEventLifecycleNewFromObj(obj, VIR_DOMAIN_EVENT_STOPPED,
                                              VIR_DOMAIN_EVENT_STOPPED_SAVED);
    if (!obj->persistent)
        virDomainObjListRemove(driver->domains, obj);
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    g_mutex_unlock(&driver->lock);
    testSaveQueueEvent(driver, event);
    return ret;
}

int
testDomainRestoreFlags(virConnectPtr conn, const char *from, const char *dxml,
                       unsigned int flags)
{
    testDriver *driver = conn->privateData;
    g_autoptr(virDomainDef) def = NULL;
    g_autoptr(virDomainDef) oldDef = NULL;
    virDomainObj *obj;
    virObjectEvent *event;

    virCheckFlags(0, -1);
    if (dxml) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                       "xml modification unsupported");
        return -1;
    }
    if (!(def = testDomainSaveImageRead(from)))
        return -1;

    g_mutex_lock(&driver->lock);
    if (!(obj = virDomainObjListAdd(driver->domains, &def,
                                    VIR_DOMAIN_OBJ_LIST_ADD_LIVE |
                                        VIR_DOMAIN_OBJ_LIST_ADD_CHECK_LIVE,
                                    &oldDef))) {
        g_mutex_unlock(&driver->lock);
        return -1;
    }
    /* The persistent definition of a defined domain comes back when the
     * restored guest stops (libvirt's live assignment). */
    if (oldDef && obj->persistent && !obj->newDef)
        obj->newDef = g_steal_pointer(&oldDef);
    testDomainStartState(driver, obj, VIR_DOMAIN_RUNNING_RESTORED);
    event = virDomainEventLifecycleNewFromObj(obj, VIR_DOMAIN_EVENT_STARTED,
                                              VIR_DOMAIN_EVENT_STARTED_RESTORED);
    virDomainObjEndAPI(&obj);
    g_mutex_unlock(&driver->lock);

    testSaveQueueEvent(driver, event);
    return 0;
}

char *
testDomainSaveImageGetXMLDesc(virConnectPtr conn G_GNUC_UNUSED, const char *file,
                              unsigned int flags)
{
    g_autoptr(virDomainDef) def = NULL;

    virCheckFlags(VIR_DOMAIN_SAVE_IMAGE_XML_SECURE, NULL);

    if (!(def = testDomainSaveImageRead(file)))
        return NULL;
    return virDomainDefFormat(def, VIR_DOMAIN_DEF_FORMAT_SECURE);
}

int
testDomainSaveImageDefineXML(virConnectPtr conn G_GNUC_UNUSED, const char *file,
                             const char *dxml, unsigned int flags)
{
    g_autoptr(virDomainDef) def = NULL;
    g_autoptr(virDomainDef) newdef = NULL;

    virCheckFlags(VIR_DOMAIN_SAVE_RUNNING | VIR_DOMAIN_SAVE_PAUSED, -1);

    if (!(def = testDomainSaveImageRead(file)))
        return -1;
    if (!(newdef = virDomainDefParseString(dxml, VIR_DOMAIN_DEF_PARSE_INACTIVE)) ||
        testDomainDefPostParse(newdef) < 0)
        return -1;
    return testDomainSaveImageWrite(file, newdef);
}

int
testDomainManagedSave(virDomainPtr dom, unsigned int flags)
{
    testDriver *driver = dom->conn->privateData;
    virDomainObj *obj;
    virObjectEvent *event = NULL;

    virCheckFlags(VIR_DOMAIN_SAVE_BYPASS_CACHE | VIR_DOMAIN_SAVE_RUNNING |
                      VIR_DOMAIN_SAVE_PAUSED,
                  -1);

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjCheckActive(obj) < 0)
        goto cleanup;
    if (!obj->persistent) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot do managed save for transient domain");
        goto cleanup;
    }
    testDomainShutdownState(obj, dom, VIR_DOMAIN_SHUTOFF_SAVED);
    event = virDomainEventLifecycleNewFromObj(obj, VIR_DOMAIN_EVENT_STOPPED,
                                              VIR_DOMAIN_EVENT_STOPPED_SAVED);
    obj->hasManagedSave = true;

cleanup:
    virDomainObjEndAPI(&obj);
    testSaveQueueEvent(driver, event);
    return event ? 0 : -1;
}

int
testDomainManagedSaveRemove(virDomainPtr dom, unsigned int flags)
{
    virDomainObj *obj;

    virCheckFlags(0, -1);

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    obj->hasManagedSave = false;
    virDomainObjEndAPI(&obj);
    return 0;
}

/* libvirt's test driver writes only its magic as the "core" (and, unlike
 * a save, straight into the file, as libvirt does: the content is not a
 * guest's data). */
int
testDomainCoreDumpWithFormat(virDomainPtr dom, const char *to, unsigned int dumpformat,
                             unsigned int flags)
{
    testDriver *driver = dom->conn->privateData;
    virDomainObj *obj;
    virObjectEvent *event = NULL;
    int ret = -1;
    int fd = -1;

    virCheckFlags(VIR_DUMP_CRASH, -1);

    g_mutex_lock(&driver->lock);
    if (!(obj = testDomObjFromDomain(dom)))
        goto cleanup;
    if (testDomainObjCheckActive(obj) < 0)
        goto cleanup;
    if ((fd = open(to, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, S_IRUSR | S_IWUSR)) <
        0) {
        virReportSystemError(errno, "domain '%s' coredump: failed to open %s", dom->name,
                             to);
        goto cleanup;
    }
    if (testSaveWriteAll(fd, TEST_SAVE_MAGIC, sizeof(TEST_SAVE_MAGIC)) < 0) {
        virReportSystemError(errno, "domain '%s' coredump: failed to write header to %s",
                             dom->name, to);
        goto cleanup;
    }
    if (close(fd) < 0) {
        fd = -1;
        virReportSystemError(errno, "domain '%s' coredump: write failed: %s", dom->name,
                             to);
        goto cleanup;
    }
    fd = -1;
    if (dumpformat != VIR_DOMAIN_CORE_DUMP_FORMAT_RAW) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "kdump-compressed format is not supported here");
        goto cleanup;
    }
    if (flags & VIR_DUMP_CRASH) {
        testDomainShutdownState(obj, dom, VIR_DOMAIN_SHUTOFF_CRASHED);
        event = virDomainEventLifecycleNewFromObj(obj, VIR_DOMAIN_EVENT_STOPPED,
                                                  VIR_DOMAIN_EVENT_STOPPED_CRASHED);
        if (!obj->persistent)
            virDomainObjListRemove(driver->domains, obj);
    }
    ret = 0;

cleanup:
    if (fd >= 0)
        close(fd);
    virDomainObjEndAPI(&obj);
    g_mutex_unlock(&driver->lock);
    testSaveQueueEvent(driver, event);
    return ret;
}
