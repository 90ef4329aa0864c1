/* host_secret.c: the secret driver of virtkitd: definitions and values on disk (mode 0600), events */

/*
 * Threads: every entry point may run on any worker. hostSecretLock guards
 * the whole state (the table of secrets, their definitions and values, the
 * state pointer itself); it is held across the small file writes that make
 * a change durable, so a change is on disk before anyone sees it, and
 * never across a call into user code. Events are queued after the lock is
 * dropped and dispatched from the event loop.
 *
 * Storage, as libvirt's: <dir>/<uuid>.xml (the definition) and
 * <dir>/<uuid>.base64 (the value), both mode 0600 in a 0700 directory,
 * each replaced atomically; ephemeral secrets are never written. A value
 * is never given out on a read-only connection (the public layer refuses
 * it) nor for a private secret.
 */
#define G_LOG_DOMAIN "virtkit.host.secret"

#include <errno.h>
#include <string.h>

#include "host_driver.h"
#include "object_event.h"
#include "secret_conf.h"
#include "virerror.h"
#include "virfile.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_SECRET

#define SECRET_VALUE_FILE_MAX (1024 * 1024)

typedef struct {
    virSecretDef *def;
    unsigned char *value; /* NULL: none set */
    size_t valueSize;
} hostSecret;

typedef struct {
    char *dir;
    GHashTable *secrets; /* uuid string -> hostSecret * */
    virObjectEventState *events;
} hostSecretState;

static GMutex hostSecretLock;
static hostSecretState *hostSecrets;

static void
hostSecretFree(hostSecret *s)
{
    if (!s)
        return;
    if (s->value)
        memset(s->value, 0, s->valueSize);
    g_free(s->value);
    virSecretDefFree(s->def);
    g_free(s);
}

static char *
hostSecretPath(const hostSecretState *st, const unsigned char *uuid, const char *suffix)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    g_autofree char *base = NULL;

    virUUIDFormat(uuid, uuidstr);
    base = g_strconcat(uuidstr, suffix, NULL);
    return g_build_filename(st->dir, base, NULL);
}

/* The state, or NULL with an error (the daemon is stopping). Lock held. */
static hostSecretState *
hostSecretState_(void)
{
    if (!hostSecrets)
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "secret state driver is not active");
    return hostSecrets;
}

static hostSecret *
hostSecretFind(hostSecretState *st, const unsigned char *uuid)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    virUUIDFormat(uuid, uuidstr);
    return g_hash_table_lookup(st->secrets, uuidstr);
}

static hostSecret *
hostSecretFindByUsage(hostSecretState *st, int usageType, const char *usageID)
{
    GHashTableIter it;
    hostSecret *s;

    if (usageType == VIR_SECRET_USAGE_TYPE_NONE)
        return NULL;
    g_hash_table_iter_init(&it, st->secrets);
    while (g_hash_table_iter_next(&it, NULL, (gpointer *)&s)) {
        if (s->def->usage_type == usageType && g_strcmp0(s->def->usage_id, usageID) == 0)
            return s;
    }
    return NULL;
}

/* The secret named by @secret, or NULL with NO_SECRET. Lock held. */
static hostSecret *
hostSecretFromHandle(hostSecretState *st, virSecretPtr secret)
{
    hostSecret *s = hostSecretFind(st, secret->uuid);

    if (!s) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        virUUIDFormat(secret->uuid, uuidstr);
        virReportError(VIR_ERR_NO_SECRET, "no secret with matching uuid '%s'", uuidstr);
    }
    return s;
}

static int
hostSecretSaveConfig(hostSecretState *st, const virSecretDef *def)
{
    g_autofree char *path = hostSecretPath(st, def->uuid, ".xml");
    g_autofree char *xml = virSecretDefFormat(def);

    return virFileWriteAtomic(path, xml, strlen(xml), 0600);
}

static int
hostSecretSaveValue(hostSecretState *st, const virSecretDef *def,
                    const unsigned char *value, size_t size)
{
    g_autofree char *path = hostSecretPath(st, def->uuid, ".base64");
    g_autofree char *b64 = g_base64_encode(value, size);
    int rc = virFileWriteAtomic(path, b64, strlen(b64), 0600);

    memset(b64, 0, strlen(b64));
    return rc;
}

static void
hostSecretRemoveFiles(hostSecretState *st, const unsigned char *uuid)
{
    g_autofree char *xml = hostSecretPath(st, uuid, ".xml");
    g_autofree char *value = hostSecretPath(st, uuid, ".base64");

    virFileRemoveDurableQuiet(xml);
    virFileRemoveDurableQuiet(value);
}

static virSecretPtr
hostSecretHandle(virConnectPtr conn, const hostSecret *s)
{
    return virGetSecret(conn, s->def->uuid, s->def->usage_type, s->def->usage_id);
}

/* ---- loading ----------------------------------------------------------- */

static int
hostSecretLoadOne(hostSecretState *st, const char *name)
{
    g_autofree char *path = g_build_filename(st->dir, name, NULL);
    g_autofree char *valuePath = NULL;
    g_autoptr(virSecretDef) def = NULL;
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    hostSecret *s;

    if (!(def = virSecretDefParseFile(path)))
        return -1;
    virUUIDFormat(def->uuid, uuidstr);
    if (strlen(name) != strlen(uuidstr) + 4 ||
        strncmp(name, uuidstr, strlen(uuidstr)) != 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "<uuid> does not match secret file name '%s'", name);
        return -1;
    }
    if (hostSecretFindByUsage(st, def->usage_type, def->usage_id)) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "a secret with UUID %s already defined for use with %s", uuidstr,
                       def->usage_id);
        return -1;
    }
    s = g_new0(hostSecret, 1);
    valuePath = hostSecretPath(st, def->uuid, ".base64");
    if (g_file_test(valuePath, G_FILE_TEST_EXISTS)) {
        g_autofree char *b64 = NULL;
        ssize_t len;

        if ((len = virFileReadAll(valuePath, SECRET_VALUE_FILE_MAX, &b64)) < 0) {
            g_free(s);
            return -1;
        }
        s->value = g_base64_decode(b64, &s->valueSize);
        memset(b64, 0, len);
    }
    s->def = g_steal_pointer(&def);
    g_hash_table_insert(st->secrets, g_strdup(uuidstr), s);
    return 0;
}

int
hostSecretStateInitialize(const char *dir)
{
    hostSecretState *st;
    g_autoptr(GDir) d = NULL;
    g_autoptr(GError) gerr = NULL;
    const char *name;

    if (virFileMakePath(dir, 0700) < 0)
        return -1;
    st = g_new0(hostSecretState, 1);
    st->dir = g_strdup(dir);
    st->secrets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify)hostSecretFree);
    st->events = virObjectEventStateNew();
    virFileRemoveAtomicLeftovers(dir, ".xml");
    virFileRemoveAtomicLeftovers(dir, ".base64");

    if (!(d = g_dir_open(dir, 0, &gerr))) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "cannot open directory '%s': %s", dir,
                       gerr->message);
        g_hash_table_unref(st->secrets);
        virObjectEventStateFree(st->events);
        g_free(st->dir);
        g_free(st);
        return -1;
    }
    /* As libvirt: a secret that cannot be read is reported and skipped;
     * the others are kept. */
    while ((name = g_dir_read_name(d))) {
        if (!g_str_has_suffix(name, ".xml") || name[0] == '.')
            continue;
        if (hostSecretLoadOne(st, name) < 0) {
            VIR_NOTICE("Error reading secret: %s", virGetLastErrorMessage());
            virResetLastError();
        }
    }
    g_mutex_lock(&hostSecretLock);
    hostSecrets = st;
    g_mutex_unlock(&hostSecretLock);
    return 0;
}

void
hostSecretStateCleanup(void)
{
    hostSecretState *st;

    g_mutex_lock(&hostSecretLock);
    st = g_steal_pointer(&hostSecrets);
    g_mutex_unlock(&hostSecretLock);
    if (!st)
        return;
    g_hash_table_unref(st->secrets);
    virObjectEventStateFree(st->events);
    g_free(st->dir);
    g_free(st);
}

/* ---- entry points -------------------------------------------------------- */

static gint
hostSecretCompare(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The UUID strings of the secrets matching @flags, sorted. Lock held. */
static GPtrArray *
hostSecretCollect(hostSecretState *st, unsigned int flags)
{
    GPtrArray *out = g_ptr_array_new();
    GHashTableIter it;
    const char *uuid;
    hostSecret *s;

    g_hash_table_iter_init(&it, st->secrets);
    while (g_hash_table_iter_next(&it, (gpointer *)&uuid, (gpointer *)&s)) {
        const virSecretDef *def = s->def;

        if ((flags & (VIR_CONNECT_LIST_SECRETS_EPHEMERAL |
                      VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL)) &&
            !(((flags & VIR_CONNECT_LIST_SECRETS_EPHEMERAL) && def->isephemeral) ||
              ((flags & VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL) && !def->isephemeral)))
            continue;
        if ((flags &
             (VIR_CONNECT_LIST_SECRETS_PRIVATE | VIR_CONNECT_LIST_SECRETS_NO_PRIVATE)) &&
            !(((flags & VIR_CONNECT_LIST_SECRETS_PRIVATE) && def->isprivate) ||
              ((flags & VIR_CONNECT_LIST_SECRETS_NO_PRIVATE) && !def->isprivate)))
            continue;
        g_ptr_array_add(out, (gpointer)uuid);
    }
    g_ptr_array_sort(out, hostSecretCompare);
    return out;
}

static int
hostConnectNumOfSecrets(virConnectPtr conn)
{
    hostSecretState *st;
    int n = -1;

    g_mutex_lock(&hostSecretLock);
    if ((st = hostSecretState_()))
        n = g_hash_table_size(st->secrets);
    g_mutex_unlock(&hostSecretLock);
    return n;
}

static int
hostConnectListSecrets(virConnectPtr conn, char **uuids, int maxuuids)
{
    g_autoptr(GPtrArray) all = NULL;
    hostSecretState *st;
    int n = 0;

    g_mutex_lock(&hostSecretLock);
    if (!(st = hostSecretState_())) {
        g_mutex_unlock(&hostSecretLock);
        return -1;
    }
    all = hostSecretCollect(st, 0);
    for (guint i = 0; i < all->len && n < maxuuids; i++)
        uuids[n++] = g_strdup(all->pdata[i]);
    g_mutex_unlock(&hostSecretLock);
    return n;
}

#define HOST_SECRET_LIST_FLAGS                                                    \
    (VIR_CONNECT_LIST_SECRETS_EPHEMERAL | VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL | \
     VIR_CONNECT_LIST_SECRETS_PRIVATE | VIR_CONNECT_LIST_SECRETS_NO_PRIVATE)

static int
hostConnectListAllSecrets(virConnectPtr conn, virSecretPtr **secrets, unsigned int flags)
{
    g_autoptr(GPtrArray) all = NULL;
    hostSecretState *st;
    int n;

    virCheckFlags(HOST_SECRET_LIST_FLAGS, -1);
    g_mutex_lock(&hostSecretLock);
    if (!(st = hostSecretState_())) {
        g_mutex_unlock(&hostSecretLock);
        return -1;
    }
    all = hostSecretCollect(st, flags);
    n = all->len;
    if (secrets) {
        *secrets = g_new0(virSecretPtr, n + 1);
        for (int i = 0; i < n; i++)
            (*secrets)[i] =
                hostSecretHandle(conn, g_hash_table_lookup(st->secrets, all->pdata[i]));
    }
    g_mutex_unlock(&hostSecretLock);
    return n;
}

static virSecretPtr
hostSecretLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    virSecretPtr ret = NULL;
    hostSecretState *st;
    hostSecret *s;

    g_mutex_lock(&hostSecretLock);
    if ((st = hostSecretState_())) {
        if ((s = hostSecretFind(st, uuid))) {
            ret = hostSecretHandle(conn, s);
        } else {
            char uuidstr[VIR_UUID_STRING_BUFLEN];

            virUUIDFormat(uuid, uuidstr);
            virReportError(VIR_ERR_NO_SECRET, "no secret with matching uuid '%s'",
                           uuidstr);
        }
    }
    g_mutex_unlock(&hostSecretLock);
    return ret;
}

static virSecretPtr
hostSecretLookupByUsage(virConnectPtr conn, int usageType, const char *usageID)
{
    virSecretPtr ret = NULL;
    hostSecretState *st;
    hostSecret *s;

    g_mutex_lock(&hostSecretLock);
    if ((st = hostSecretState_())) {
        if ((s = hostSecretFindByUsage(st, usageType, usageID)))
            ret = hostSecretHandle(conn, s);
        else
            virReportError(VIR_ERR_NO_SECRET, "no secret with matching usage '%s'",
                           usageID);
    }
    g_mutex_unlock(&hostSecretLock);
    return ret;
}

/* Define (@def taken) into @st, as libvirt's virSecretObjListAdd and
 * secretDefineXML: same UUID keeps the value; a usage of another secret,
 * a changed usage or dropping "private" are refused; the new definition
 * is on disk (or an ephemeral one's files gone) before it is visible.
 * Returns the secret, or NULL (error reported, nothing changed). Lock held. */
static hostSecret *
hostSecretDefine(hostSecretState *st, virSecretDef **defp)
{
    virSecretDef *def = *defp;
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    hostSecret *s;

    virUUIDFormat(def->uuid, uuidstr);
    if ((s = hostSecretFind(st, def->uuid))) {
        virSecretDef *old = s->def;

        if (g_strcmp0(old->usage_id, def->usage_id) != 0) {
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "a secret with UUID %s is already defined for use with %s",
                           uuidstr, old->usage_id);
            return NULL;
        }
        if (old->isprivate && !def->isprivate) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "cannot change private flag on existing secret");
            return NULL;
        }
        if (!def->isephemeral) {
            /* an ephemeral secret becoming persistent takes its value along */
            if (old->isephemeral && s->value &&
                hostSecretSaveValue(st, def, s->value, s->valueSize) < 0)
                return NULL;
            if (hostSecretSaveConfig(st, def) < 0) {
                if (old->isephemeral) {
                    g_autofree char *vpath = hostSecretPath(st, def->uuid, ".base64");

                    virFileRemoveDurableQuiet(vpath);
                }
                return NULL;
            }
        } else if (!old->isephemeral) {
            g_autofree char *xml = hostSecretPath(st, def->uuid, ".xml");
            g_autofree char *vpath = hostSecretPath(st, def->uuid, ".base64");

            if (virFileRemoveDurable(xml) < 0)
                return NULL;
            virFileRemoveDurableQuiet(vpath);
        }
        s->def = g_steal_pointer(defp);
        virSecretDefFree(old);
        return s;
    }

    if ((s = hostSecretFindByUsage(st, def->usage_type, def->usage_id))) {
        char other[VIR_UUID_STRING_BUFLEN];

        virUUIDFormat(s->def->uuid, other);
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "a secret with UUID %s already defined for use with %s", other,
                       def->usage_id);
        return NULL;
    }
    if (!def->isephemeral && hostSecretSaveConfig(st, def) < 0)
        return NULL;
    s = g_new0(hostSecret, 1);
    s->def = g_steal_pointer(defp);
    g_hash_table_insert(st->secrets, g_strdup(uuidstr), s);
    return s;
}

static virSecretPtr
hostSecretDefineXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    g_autoptr(virSecretDef) def = NULL;
    virObjectEvent *event = NULL;
    virObjectEventState *events = NULL;
    virSecretPtr ret = NULL;
    hostSecretState *st;
    hostSecret *s;

    /* VALIDATE: the parser's checks are the validation (no RNG schema) */
    virCheckFlags(VIR_SECRET_DEFINE_VALIDATE, NULL);
    if (!(def = virSecretDefParseString(xml)))
        return NULL;

    g_mutex_lock(&hostSecretLock);
    if ((st = hostSecretState_()) && (s = hostSecretDefine(st, &def))) {
        ret = hostSecretHandle(conn, s);
        event = virSecretEventLifecycleNew(s->def->uuid, s->def->usage_type,
                                           s->def->usage_id, VIR_SECRET_EVENT_DEFINED, 0);
        events = st->events;
    }
    g_mutex_unlock(&hostSecretLock);
    virObjectEventStateQueue(events, event);
    return ret;
}

static char *
hostSecretGetXMLDesc(virSecretPtr secret, unsigned int flags)
{
    hostSecretState *st;
    hostSecret *s;
    char *ret = NULL;

    virCheckFlags(0, NULL);
    g_mutex_lock(&hostSecretLock);
    if ((st = hostSecretState_()) && (s = hostSecretFromHandle(st, secret)))
        ret = virSecretDefFormat(s->def);
    g_mutex_unlock(&hostSecretLock);
    return ret;
}

static int
hostSecretSetValue(virSecretPtr secret, const unsigned char *value, size_t value_size,
                   unsigned int flags)
{
    virObjectEvent *event = NULL;
    virObjectEventState *events = NULL;
    hostSecretState *st;
    hostSecret *s;
    int ret = -1;

    virCheckFlags(0, -1);
    g_mutex_lock(&hostSecretLock);
    if (!(st = hostSecretState_()) || !(s = hostSecretFromHandle(st, secret)))
        goto cleanup;
    /* on disk first: a failed write leaves the old value everywhere */
    if (!s->def->isephemeral && hostSecretSaveValue(st, s->def, value, value_size) < 0)
        goto cleanup;
    if (s->value)
        memset(s->value, 0, s->valueSize);
    g_free(s->value);
    s->value = g_malloc(value_size ? value_size : 1);
    memcpy(s->value, value, value_size);
    s->valueSize = value_size;
    event =
        virSecretEventValueChangedNew(s->def->uuid, s->def->usage_type, s->def->usage_id);
    events = st->events;
    ret = 0;
cleanup:
    g_mutex_unlock(&hostSecretLock);
    virObjectEventStateQueue(events, event);
    return ret;
}

static unsigned char *
hostSecretGetValueFull(virSecretPtr secret, size_t *value_size, bool internal)
{
    unsigned char *ret = NULL;
    hostSecretState *st;
    hostSecret *s;

    g_mutex_lock(&hostSecretLock);
    if (!(st = hostSecretState_()) || !(s = hostSecretFromHandle(st, secret)))
        goto cleanup;
    if (s->def->isprivate && !internal) {
        virReportError(VIR_ERR_INVALID_SECRET, "%s", "secret is private");
        goto cleanup;
    }
    if (!s->value) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        virUUIDFormat(s->def->uuid, uuidstr);
        virReportError(VIR_ERR_NO_SECRET, "secret '%s' does not have a value", uuidstr);
        goto cleanup;
    }
    ret = g_malloc(s->valueSize ? s->valueSize : 1);
    memcpy(ret, s->value, s->valueSize);
    *value_size = s->valueSize;
cleanup:
    g_mutex_unlock(&hostSecretLock);
    return ret;
}

static unsigned char *
hostSecretGetValue(virSecretPtr secret, size_t *value_size, unsigned int flags)
{
    virCheckFlags(0, NULL);
    return hostSecretGetValueFull(secret, value_size, false);
}

/* A private secret's value too: for the QEMU driver only (driver.h). */
static unsigned char *
hostSecretGetValueInternal(virSecretPtr secret, size_t *value_size)
{
    return hostSecretGetValueFull(secret, value_size, true);
}

static int
hostSecretUndefine(virSecretPtr secret)
{
    virObjectEvent *event = NULL;
    virObjectEventState *events = NULL;
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    hostSecretState *st;
    hostSecret *s;
    int ret = -1;

    g_mutex_lock(&hostSecretLock);
    if (!(st = hostSecretState_()) || !(s = hostSecretFromHandle(st, secret)))
        goto cleanup;
    if (!s->def->isephemeral) {
        g_autofree char *xml = hostSecretPath(st, s->def->uuid, ".xml");

        /* the definition goes first: without it the value is never loaded */
        if (virFileRemoveDurable(xml) < 0)
            goto cleanup;
    }
    hostSecretRemoveFiles(st, s->def->uuid);
    event = virSecretEventLifecycleNew(s->def->uuid, s->def->usage_type, s->def->usage_id,
                                       VIR_SECRET_EVENT_UNDEFINED, 0);
    events = st->events;
    virUUIDFormat(s->def->uuid, uuidstr);
    g_hash_table_remove(st->secrets, uuidstr);
    ret = 0;
cleanup:
    g_mutex_unlock(&hostSecretLock);
    virObjectEventStateQueue(events, event);
    return ret;
}

static int
hostConnectSecretEventRegisterAny(virConnectPtr conn, virSecretPtr secret, int eventID,
                                  virConnectSecretEventGenericCallback cb, void *opaque,
                                  virFreeCallback freecb)
{
    virObjectEventState *events = NULL;

    g_mutex_lock(&hostSecretLock);
    if (hostSecretState_())
        events = hostSecrets->events;
    g_mutex_unlock(&hostSecretLock);
    if (!events)
        return -1;
    return virSecretEventStateRegisterID(conn, events, secret, eventID, cb, opaque,
                                         freecb);
}

static int
hostConnectSecretEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    virObjectEventState *events = NULL;

    g_mutex_lock(&hostSecretLock);
    if (hostSecretState_())
        events = hostSecrets->events;
    g_mutex_unlock(&hostSecretLock);
    if (!events)
        return -1;
    return virObjectEventStateDeregisterKindID(conn, events, VIR_EVENT_KIND_SECRET,
                                               callbackID);
}

const virSecretDriver hostSecretDriver = {
    .name = "secret",
    .connectNumOfSecrets = hostConnectNumOfSecrets,
    .connectListSecrets = hostConnectListSecrets,
    .connectListAllSecrets = hostConnectListAllSecrets,
    .secretLookupByUUID = hostSecretLookupByUUID,
    .secretLookupByUsage = hostSecretLookupByUsage,
    .secretDefineXML = hostSecretDefineXML,
    .secretGetXMLDesc = hostSecretGetXMLDesc,
    .secretSetValue = hostSecretSetValue,
    .secretGetValue = hostSecretGetValue,
    .secretGetValueInternal = hostSecretGetValueInternal,
    .secretUndefine = hostSecretUndefine,
    .connectSecretEventRegisterAny = hostConnectSecretEventRegisterAny,
    .connectSecretEventDeregisterAny = hostConnectSecretEventDeregisterAny,
};
