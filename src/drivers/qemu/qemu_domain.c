/* qemu_domain.c: the QEMU driver's per-domain private data, status and config files */

#define G_LOG_DOMAIN "virtkit.qemu.domain"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "domain_messages.h"
#include "qemu_domain.h"
#include "vircgroup.h"
#include "virerror.h"
#include "virfile.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

#define QEMU_STATUS_MAX_SIZE (16 * 1024 * 1024)
#define VIRTKIT_LIFECYCLE_NS "http://virtkit.invalid/xmlns/lifecycle/1"

static const char qemuDomainFileWarning[] =
    "<!--\n"
    "WARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\n"
    "OVERWRITTEN AND LOST. Changes to this xml configuration should be made using:\n"
    "  vksh edit %s\n"
    "or other application using the libvirt API.\n"
    "-->\n\n";

static void
qemuDomainObjPrivateFree(gpointer data)
{
    qemuDomainObjPrivate *priv = data;

    if (!priv)
        return;
    /* Stop/cleanup code releases the monitor, watches and pidfd first;
     * whatever is left here belongs to an object that was never stopped
     * (process teardown). */
    if (priv->pidfdWatch) {
        g_source_destroy(priv->pidfdWatch);
        g_source_unref(priv->pidfdWatch);
    }
    if (priv->killTimer) {
        g_source_destroy(priv->killTimer);
        g_source_unref(priv->killTimer);
    }
    if (priv->pidfd >= 0)
        close(priv->pidfd);
    g_free(priv->monitorPath);
    g_free(priv->libDir);
    g_free(priv->cmdRequestor);
    g_free(priv->vkStopRequestor);
    virCgroupFree(priv->cgroup);
    virPerfFree(priv->perf);
    g_free(priv->vcpuTids);
    if (priv->procFds)
        g_hash_table_unref(priv->procFds);
    if (priv->virtiofsds)
        g_hash_table_unref(priv->virtiofsds);
    qemuTPMProcFree(priv->swtpm);
    g_mutex_clear(&priv->statusLock);
    g_free(priv->unplugAlias);
    if (priv->unplugPending)
        g_ptr_array_unref(priv->unplugPending);
    if (priv->hotplugNodes)
        g_hash_table_unref(priv->hotplugNodes);
    if (priv->writableImages)
        g_ptr_array_unref(priv->writableImages);
    g_cond_clear(&priv->unplugCond);
    if (priv->blockjobs)
        g_hash_table_unref(priv->blockjobs);
    g_cond_clear(&priv->blockjobCond);
    if (priv->jobFigures)
        g_free(priv->jobFigures->completedJobErrmsg);
    g_free(priv->jobFigures);
    g_free(priv);
}

void
qemuDomainObjInitPrivate(virDomainObj *obj, qemuDriver *driver)
{
    qemuDomainObjPrivate *priv = g_new0(qemuDomainObjPrivate, 1);

    priv->driver = driver;
    priv->pidfd = -1;
    priv->graceOverrideSec = -1;
    priv->agentTimeout = -2; /* VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK */
    priv->logStopOffset = -1;
    priv->runningReason = VIR_DOMAIN_RUNNING_UNPAUSED;
    priv->pausedReason = VIR_DOMAIN_PAUSED_USER;
    g_mutex_init(&priv->statusLock);
    g_cond_init(&priv->unplugCond);
    g_cond_init(&priv->blockjobCond);
    obj->privateData = priv;
    obj->privateDataFree = qemuDomainObjPrivateFree;
}

unsigned int
qemuDomainGraceMs(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    if (priv->graceOverrideSec >= 0)
        return (unsigned int)priv->graceOverrideSec * 1000;
    return priv->driver->destroyGraceMs;
}

static xmlDocPtr
qemuDomainXMLRead(const char *xml, size_t len)
{
    return xmlReadMemory(xml, (int)len, "domain.xml", NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static int
qemuDomainGraceFromMetadata(xmlNodePtr domain)
{
    for (xmlNodePtr md = domain->children; md; md = md->next) {
        if (md->type != XML_ELEMENT_NODE || !xmlStrEqual(md->name, BAD_CAST "metadata"))
            continue;
        for (xmlNodePtr cur = md->children; cur; cur = cur->next) {
            g_autofree char *val = NULL;
            guint64 sec = 0;

            if (cur->type != XML_ELEMENT_NODE || !cur->ns ||
                !xmlStrEqual(cur->ns->href, BAD_CAST VIRTKIT_LIFECYCLE_NS) ||
                !xmlStrEqual(cur->name, BAD_CAST "lifecycle"))
                continue;
            if (!(val = (char *)xmlGetProp(cur, BAD_CAST "destroy-grace-period")))
                continue;
            if (!g_ascii_string_to_unsigned(val, 10, 0, 3600, &sec, NULL))
                return -1;
            return (int)sec;
        }
    }
    return -1;
}

int
qemuDomainParseGraceOverride(const char *xml)
{
    xmlDocPtr doc;
    xmlNodePtr root;
    int ret = -1;

    /* Most documents have no metadata: spare them a second XML parse. */
    if (!xml || !strstr(xml, "<metadata") || !(doc = qemuDomainXMLRead(xml, strlen(xml))))
        return -1;
    if ((root = xmlDocGetRootElement(doc)) && xmlStrEqual(root->name, BAD_CAST "domain"))
        ret = qemuDomainGraceFromMetadata(root);
    xmlFreeDoc(doc);
    return ret;
}

/* The formatted definition, with our <metadata> added before </domain>
 * when the definition has none of its own (the grace override is read from
 * the definition's <metadata>, which the formatter keeps verbatim). */
static char *
qemuDomainFormatWithMetadata(virDomainDef *def, unsigned int flags, int graceSec,
                             const char *indent)
{
    g_autofree char *xml = virDomainDefFormat(def, flags);
    GString *out;
    char *end;

    if (graceSec < 0 || def->metadata || !(end = g_strrstr(xml, "</domain>")))
        return g_steal_pointer(&xml);
    out = g_string_new_len(xml, end - xml);
    g_string_append_printf(out,
                           "%s  <metadata>\n"
                           "%s    <virtkit:lifecycle xmlns:virtkit='%s' "
                           "destroy-grace-period='%d'/>\n"
                           "%s  </metadata>\n",
                           indent, indent, VIRTKIT_LIFECYCLE_NS, graceSec, indent);
    g_string_append(out, end);
    return g_string_free(out, FALSE);
}

int
qemuDomainSaveConfig(qemuDriver *driver, virDomainDef *def, int graceOverrideSec)
{
    g_autofree char *path = g_strdup_printf("%s/%s.xml", driver->configDir, def->name);
    g_autofree char *xml = qemuDomainFormatWithMetadata(
        def, VIR_DOMAIN_DEF_FORMAT_INACTIVE | VIR_DOMAIN_DEF_FORMAT_SECURE,
        graceOverrideSec, "");
    g_autofree char *data = NULL;
    g_autofree char *warning = g_strdup_printf(qemuDomainFileWarning, def->name);

    data = g_strconcat(warning, xml, NULL);
    return virFileWriteAtomic(path, data, strlen(data), 0600);
}

/* The definition goes first, then its autostart link: a daemon killed in
 * between leaves an undefined domain and a link to nothing (removed at the
 * next start, and by the next define of that name), never a defined
 * domain that lost its autostart. */
int
qemuDomainRemoveConfig(qemuDriver *driver, const char *name)
{
    g_autofree char *path = g_strdup_printf("%s/%s.xml", driver->configDir, name);

    g_autofree char *link = g_strdup_printf("%s/%s.xml", driver->autostartDir, name);
    int err;

    if (virFileRemoveDurable(path) < 0)
        return -1;
    if ((err = virFileRemoveDurableQuiet(link)) != 0)
        g_debug("autostart link '%s' left behind: %s", link, g_strerror(err));
    return 0;
}

int
qemuDomainSetAutostartLink(qemuDriver *driver, const char *name, bool on)
{
    g_autofree char *link = g_strdup_printf("%s/%s.xml", driver->autostartDir, name);
    g_autofree char *target = g_strdup_printf("%s/%s.xml", driver->configDir, name);

    if (!on)
        return virFileRemoveDurable(link);
    if (virFileMakePath(driver->autostartDir, 0755) < 0)
        return -1;
    if (symlink(target, link) < 0 && errno != EEXIST) {
        virReportSystemError(errno, "Failed to create symlink '%s' to '%s'", link,
                             target);
        return -1;
    }
    return 0;
}

bool
qemuDomainHasAutostartLink(qemuDriver *driver, const char *name)
{
    g_autofree char *link = g_strdup_printf("%s/%s.xml", driver->autostartDir, name);
    g_autofree char *target = g_file_read_link(link, NULL);
    g_autofree char *want = g_strdup_printf("%s/%s.xml", driver->configDir, name);

    return target && g_str_equal(target, want);
}

/* The status document of @obj (locked). */
static char *
qemuDomainFormatStatus(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autofree char *warning = g_strdup_printf(qemuDomainFileWarning, obj->def->name);
    g_autofree char *domxml = virDomainDefFormat(
        obj->def, VIR_DOMAIN_DEF_FORMAT_SECURE | VIR_DOMAIN_DEF_FORMAT_STATUS);
    g_autofree char *escMon =
        g_markup_escape_text(priv->monitorPath ? priv->monitorPath : "", -1);
    g_autofree char *escLib = g_markup_escape_text(priv->libDir ? priv->libDir : "", -1);
    GString *out = g_string_new(warning);
    g_auto(GStrv) lines = NULL;

    g_string_append_printf(
        out, "<domstatus state='%s' reason='%s' pid='%lld' starttime='%llu'>\n",
        virDomainStateTypeToString(obj->state),
        virDomainStateReasonToString(obj->state, obj->reason), (long long)obj->pid,
        priv->starttime);
    /* as libvirt's: taints and deprecations first */
    virDomainObjFormatMessages(out, obj, 2);
    g_string_append_printf(out, "  <monitor path='%s' type='unix'/>\n", escMon);
    if (priv->fakeReboot)
        g_string_append(out, "  <fakereboot/>\n");
    g_string_append_printf(out, "  <libDir path='%s'/>\n", escLib);
    if (priv->graceOverrideSec >= 0)
        g_string_append_printf(out, "  <destroyGracePeriod seconds='%d'/>\n",
                               priv->graceOverrideSec);
    /* as libvirt's status file: always written */
    g_string_append_printf(out, "  <agentTimeout>%d</agentTimeout>\n",
                           priv->agentTimeout);
    lines = g_strsplit(domxml, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        if (*lines[i])
            g_string_append_printf(out, "  %s\n", lines[i]);
    }
    g_string_append(out, "</domstatus>\n");
    return g_string_free(out, FALSE);
}

/*
 * Status writes are ordered per domain: each request takes the next
 * sequence number under the object lock; the write itself happens under
 * priv->statusLock (not the object lock) and is skipped when a newer
 * request has already reached the disk. So an asynchronous write that
 * runs late never replaces newer content, nor resurrects a removed file.
 */
typedef struct {
    virDomainObj *obj;
    char *path;
    char *data; /* NULL: remove */
    guint64 seq;
} qemuDomainStatusWrite;

static int
qemuDomainStatusApply(qemuDriver *driver, qemuDomainStatusWrite *w)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(w->obj);
    int rc = 0;

    g_mutex_lock(&priv->statusLock);
    if (w->seq > priv->statusWritten) {
        if (w->data) {
            /* atomic, not durable: see qemuDomainSaveStatus */
            rc = virFileWriteAtomicFull(w->path, w->data, strlen(w->data), 0600, false);
        } else if (unlink(w->path) < 0 && errno != ENOENT) {
            virReportSystemError(errno, "cannot remove status file '%s'", w->path);
            rc = -1;
        }
        if (rc == 0)
            priv->statusWritten = w->seq;
    }
    g_mutex_unlock(&priv->statusLock);
    return rc;
}

static void
qemuDomainStatusWriteFree(gpointer data)
{
    qemuDomainStatusWrite *w = data;

    virDomainObjUnref(w->obj);
    g_free(w->path);
    g_free(w->data);
    g_free(w);
}

static qemuDomainStatusWrite *
qemuDomainStatusWriteNew(qemuDriver *driver, virDomainObj *obj, bool remove)
{
    qemuDomainStatusWrite *w = g_new0(qemuDomainStatusWrite, 1);

    w->obj = virDomainObjRef(obj);
    w->path = g_strdup_printf("%s/%s.xml", driver->stateDir, obj->def->name);
    w->data = remove ? NULL : qemuDomainFormatStatus(obj);
    w->seq = ++qemuDomainPriv(obj)->statusSeq;
    return w;
}

int
qemuDomainSaveStatusNoSync(qemuDriver *driver, virDomainObj *obj)
{
    qemuDomainStatusWrite *w = qemuDomainStatusWriteNew(driver, obj, false);
    int rc;

    rc = qemuDomainStatusApply(driver, w);
    qemuDomainStatusWriteFree(w);
    return rc;
}

int
qemuDomainSaveStatus(qemuDriver *driver, virDomainObj *obj)
{
    qemuDomainStatusWrite *w = qemuDomainStatusWriteNew(driver, obj, false);
    int rc;

    /* readers need not wait for the disk */
    virDomainObjUnlock(obj);
    rc = qemuDomainStatusApply(driver, w);
    virDomainObjLock(obj);
    qemuDomainStatusWriteFree(w);
    return rc;
}

static void
qemuDomainStatusWorker(qemuDriver *driver, gpointer data)
{
    if (qemuDomainStatusApply(driver, data) < 0)
        g_debug("asynchronous status write failed");
}

void
qemuDomainSaveStatusLater(qemuDriver *driver, virDomainObj *obj)
{
    qemuDriverRunWorker(driver, qemuDomainStatusWorker,
                        qemuDomainStatusWriteNew(driver, obj, false),
                        qemuDomainStatusWriteFree);
}

static void
qemuDomainSyncDirWorker(qemuDriver *driver, gpointer data)
{
    const char *dir = data;
    int err = virFileSyncDirQuiet(dir);

    if (err)
        g_debug("cannot sync directory '%s': %s", dir, g_strerror(err));
}

int
qemuDomainRemoveStatus(qemuDriver *driver, virDomainObj *obj)
{
    qemuDomainStatusWrite *w = qemuDomainStatusWriteNew(driver, obj, true);
    int rc = qemuDomainStatusApply(driver, w);

    qemuDomainStatusWriteFree(w);
    /* The directory is synced on a worker, off the stop path: should the
     * host crash before that, the file comes back, and the reconnect finds
     * its pid gone (SHUTOFF/CRASHED, nothing is signalled). */
    if (rc == 0)
        qemuDriverRunWorker(driver, qemuDomainSyncDirWorker, g_strdup(driver->stateDir),
                            g_free);
    return rc;
}

void
qemuDomainStatusFree(qemuDomainStatus *st)
{
    if (!st)
        return;
    g_free(st->monitorPath);
    g_free(st->libDir);
    if (st->deprecations)
        g_ptr_array_unref(st->deprecations);
    virDomainDefFree(st->def);
    g_free(st);
}

static char *
qemuDomainXMLChildProp(xmlNodePtr parent, const char *child, const char *prop)
{
    for (xmlNodePtr cur = parent->children; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE && xmlStrEqual(cur->name, BAD_CAST child))
            return prop ? (char *)xmlGetProp(cur, BAD_CAST prop) : g_strdup("");
    }
    return NULL;
}

qemuDomainStatus *
qemuDomainStatusParseFile(const char *path)
{
    g_autofree char *data = NULL;
    g_autoptr(qemuDomainStatus) st = g_new0(qemuDomainStatus, 1);
    ssize_t len;
    xmlDocPtr doc = NULL;
    xmlNodePtr root;
    xmlNodePtr domnode = NULL;
    xmlBufferPtr buf = NULL;
    g_autofree char *state = NULL;
    g_autofree char *reason = NULL;
    g_autofree char *pid = NULL;
    g_autofree char *starttime = NULL;
    g_autofree char *fake = NULL;
    g_autofree char *grace = NULL;
    gint64 pidval = 0;
    guint64 stval = 0;

    if ((len = virFileReadAll(path, QEMU_STATUS_MAX_SIZE, &data)) < 0)
        return NULL;
    if (!(doc = qemuDomainXMLRead(data, len)) || !(root = xmlDocGetRootElement(doc)) ||
        !xmlStrEqual(root->name, BAD_CAST "domstatus")) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "malformed status file '%s'", path);
        goto error;
    }
    state = (char *)xmlGetProp(root, BAD_CAST "state");
    reason = (char *)xmlGetProp(root, BAD_CAST "reason");
    pid = (char *)xmlGetProp(root, BAD_CAST "pid");
    starttime = (char *)xmlGetProp(root, BAD_CAST "starttime");
    if (!state || (st->state = virDomainStateTypeFromString(state)) < 0 || !reason ||
        (st->reason = virDomainStateReasonFromString(st->state, reason)) < 0 || !pid ||
        !g_ascii_string_to_signed(pid, 10, 0, G_MAXINT32, &pidval, NULL) ||
        (starttime &&
         !g_ascii_string_to_unsigned(starttime, 10, 0, G_MAXUINT64, &stval, NULL))) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "invalid state, reason or pid in status file '%s'", path);
        goto error;
    }
    st->pid = (pid_t)pidval;
    st->starttime = stval;
    st->monitorPath = qemuDomainXMLChildProp(root, "monitor", "path");
    st->libDir = qemuDomainXMLChildProp(root, "libDir", "path");
    fake = qemuDomainXMLChildProp(root, "fakereboot", NULL);
    st->fakeReboot = fake != NULL;
    st->graceOverrideSec = -1;
    if ((grace = qemuDomainXMLChildProp(root, "destroyGracePeriod", "seconds"))) {
        guint64 sec;

        if (g_ascii_string_to_unsigned(grace, 10, 0, 3600, &sec, NULL))
            st->graceOverrideSec = (int)sec;
    }

    for (xmlNodePtr cur = root->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(cur->name, BAD_CAST "domain")) {
            domnode = cur;
        } else if (xmlStrEqual(cur->name, BAD_CAST "agentTimeout")) {
            g_autofree char *text = (char *)xmlNodeGetContent(cur);
            gint64 sec;

            /* a value out of libvirt's range keeps the default */
            if (text && g_ascii_string_to_signed(g_strstrip(text), 10, -2, G_MAXINT32,
                                                 &sec, NULL)) {
                st->hasAgentTimeout = true;
                st->agentTimeout = (int)sec;
            }
        }
    }
    if (!domnode) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "no domain in status file '%s'", path);
        goto error;
    }
    if (virDomainMessagesParse(root, &st->taint, &st->deprecations) < 0)
        goto error;
    buf = xmlBufferCreate();
    xmlNodeDump(buf, doc, domnode, 0, 0);
    if (!(st->def = virDomainDefParseString((const char *)xmlBufferContent(buf),
                                            VIR_DOMAIN_DEF_PARSE_STATUS)))
        goto error;

    xmlBufferFree(buf);
    xmlFreeDoc(doc);
    return g_steal_pointer(&st);

error:
    if (buf)
        xmlBufferFree(buf);
    if (doc)
        xmlFreeDoc(doc);
    return NULL;
}

char *
qemuDomainLogTimestamp(void)
{
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();
    g_autofree char *base = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");

    return g_strdup_printf("%s.%03d+0000", base, g_date_time_get_microsecond(now) / 1000);
}

off_t
qemuDomainLogAppend(qemuDriver *driver, const char *name, const char *fmt, ...)
{
    g_autofree char *path = g_strdup_printf("%s/%s.log", driver->logDir, name);
    g_autofree char *ts = qemuDomainLogTimestamp();
    g_autofree char *text = NULL;
    g_autofree char *line = NULL;
    off_t at;
    va_list ap;
    int fd;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    line = g_strdup_printf("%s: %s\n", ts, text);
    if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) < 0) {
        g_debug("cannot open log '%s': %s", path, g_strerror(errno));
        return -1;
    }
    at = lseek(fd, 0, SEEK_END);
    if (write(fd, line, strlen(line)) < 0) {
        g_debug("cannot write log '%s': %s", path, g_strerror(errno));
        at = -1;
    }
    close(fd);
    return at;
}
