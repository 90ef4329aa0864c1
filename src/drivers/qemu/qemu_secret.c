/* qemu_secret.c: a network disk's secrets handed to QEMU as libvirt does (a master key
 * file, each value AES-256-CBC under it: never on the command line in clear) */

#define G_LOG_DOMAIN "virtkit.qemu.secret"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "datatypes.h"
#include "driver.h"
#include "qemu_secret.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

#define QEMU_MASTER_KEY_LEN 32
#define QEMU_AES_IV_LEN 16

void
qemuDomainSecretsFree(qemuDomainSecrets *secrets)
{
    if (!secrets)
        return;
    for (size_t i = 0; i < secrets->ndisks; i++) {
        g_free(secrets->disks[i].authCipher);
        g_free(secrets->disks[i].authIV);
        g_free(secrets->disks[i].cookieCipher);
        g_free(secrets->disks[i].cookieIV);
        g_free(secrets->disks[i].encCipher);
        g_free(secrets->disks[i].encIV);
    }
    g_free(secrets->disks);
    g_free(secrets->masterKeyPath);
    g_free(secrets);
}

static int
randomBytes(unsigned char *buf, size_t len)
{
    size_t got = 0;

    while (got < len) {
        ssize_t n = getrandom(buf + got, len - got, 0);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            virReportSystemError(errno, "%s", "cannot get random bytes");
            return -1;
        }
        got += (size_t)n;
    }
    return 0;
}

/* gnutls is loaded only when a guest with secrets starts: linked, it and its
 * libraries (p11-kit, nettle, hogweed, tasn1, idn2, unistring) cost every
 * daemon ~2 MiB of RSS (make bench's "daemon RSS" rows). */
static struct {
    int (*cipherInit)(gnutls_cipher_hd_t *h, gnutls_cipher_algorithm_t c,
                      const gnutls_datum_t *key, const gnutls_datum_t *iv);
    int (*cipherEncrypt)(gnutls_cipher_hd_t h, void *text, size_t len);
    void (*cipherDeinit)(gnutls_cipher_hd_t h);
    const char *(*strerror)(int error);
} qemuGnutls;

static gpointer
qemuGnutlsLoad(gpointer unused G_GNUC_UNUSED)
{
    void *lib = dlopen("libgnutls.so.30", RTLD_NOW | RTLD_LOCAL);

    if (!lib)
        return NULL;
    qemuGnutls.cipherInit = dlsym(lib, "gnutls_cipher_init");
    qemuGnutls.cipherEncrypt = dlsym(lib, "gnutls_cipher_encrypt");
    qemuGnutls.cipherDeinit = dlsym(lib, "gnutls_cipher_deinit");
    qemuGnutls.strerror = dlsym(lib, "gnutls_strerror");
    if (!qemuGnutls.cipherInit || !qemuGnutls.cipherEncrypt || !qemuGnutls.cipherDeinit ||
        !qemuGnutls.strerror)
        return NULL;
    return lib; /* never closed: the functions stay in use */
}

/* The gnutls functions above, loaded once; false with an error reported. */
static bool
qemuGnutlsReady(void)
{
    static GOnce once = G_ONCE_INIT;

    if (!g_once(&once, qemuGnutlsLoad, NULL)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot load gnutls for the secrets: %s",
                       "libgnutls.so.30 missing or incomplete");
        return false;
    }
    return true;
}

char *
qemuSecretEncrypt(const unsigned char *key, const unsigned char *iv,
                  const unsigned char *data, size_t len)
{
    size_t pad = QEMU_AES_IV_LEN - len % QEMU_AES_IV_LEN;
    size_t total = len + pad;
    g_autofree unsigned char *buf = g_malloc(total);
    gnutls_cipher_hd_t h;
    gnutls_datum_t k = { (unsigned char *)key, QEMU_MASTER_KEY_LEN };
    gnutls_datum_t v = { (unsigned char *)iv, QEMU_AES_IV_LEN };
    char *ret;
    int rc;

    if (!qemuGnutlsReady())
        return NULL;
    memcpy(buf, data, len);
    memset(buf + len, (int)pad, pad);
    if ((rc = qemuGnutls.cipherInit(&h, GNUTLS_CIPHER_AES_256_CBC, &k, &v)) < 0) {
        explicit_bzero(buf, total);
        virReportError(VIR_ERR_INTERNAL_ERROR, "failed to initialize cipher: '%s'",
                       qemuGnutls.strerror(rc));
        return NULL;
    }
    rc = qemuGnutls.cipherEncrypt(h, buf, total);
    qemuGnutls.cipherDeinit(h);
    if (rc < 0) {
        explicit_bzero(buf, total);
        virReportError(VIR_ERR_INTERNAL_ERROR, "failed to encrypt the data: '%s'",
                       qemuGnutls.strerror(rc));
        return NULL;
    }
    ret = g_base64_encode(buf, total);
    return ret;
}

/* @data under @key with a new IV into *cipher / *iv. */
static int
encryptValue(const unsigned char *key, const unsigned char *data, size_t len,
             char **cipher, char **ivOut)
{
    unsigned char iv[QEMU_AES_IV_LEN];

    if (randomBytes(iv, sizeof(iv)) < 0 ||
        !(*cipher = qemuSecretEncrypt(key, iv, data, len)))
        return -1;
    *ivOut = g_base64_encode(iv, sizeof(iv));
    return 0;
}

static const char *const usageNames[] = {
    "none", "volume", "ceph", "iscsi", "tls", "vtpm"
};

static const char *
usageName(int usage)
{
    return usage >= 0 && usage < (int)G_N_ELEMENTS(usageNames) ? usageNames[usage] : "?";
}

/* The value of the secret named by @uuid or (@useUUID false) @usage, of
 * usage type @usageType, from the secret driver serving this process
 * (libvirt's virSecretGetSecretString with its internal-call flag). @what
 * names the element for the error when there is no secret driver. */
static unsigned char *
secretValue(const virDomainDiskDef *disk, const char *what, bool useUUID,
            const unsigned char *uuid, const char *usage, int usageType, size_t *len)
{
    const virSecretDriver *sd = virGetSharedSecretDriver();
    virConnectPtr conn = NULL;
    virSecretPtr sec = NULL;
    unsigned char *value = NULL;

    if (!sd || !sd->secretLookupByUUID || !sd->secretLookupByUsage ||
        !sd->secretGetValueInternal) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "disk '%s': its %s needs a secret driver (virtkitd's)", disk->dst,
                       what);
        return NULL;
    }
    conn = virGetConnect();
    conn->secretDriver = sd;
    if (useUUID)
        sec = sd->secretLookupByUUID(conn, uuid);
    else
        sec = sd->secretLookupByUsage(conn, usageType, usage);
    if (sec && sec->usageType != VIR_SECRET_USAGE_TYPE_NONE &&
        sec->usageType != usageType) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        /* libvirt formats the lookup's uuid, whichever way it looked */
        virUUIDFormat(useUUID ? uuid : sec->uuid, uuidstr);
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __func__,
                           "secret with uuid %s is of type '%s' not expected '%s' type",
                           uuidstr, usageName(sec->usageType), usageName(usageType));
    } else if (sec) {
        value = sd->secretGetValueInternal(sec, len);
    }
    if (sec)
        virObjectUnrefSecret(sec);
    virObjectUnrefConnect(conn);
    return value;
}

/* The value of @auth's secret */
static unsigned char *
authValue(const virDomainDiskDef *disk, size_t *len)
{
    const virStorageAuthDef *auth = disk->auth;
    int usage = disk->net->protocol == VIR_STORAGE_NET_PROTOCOL_RBD
                    ? VIR_SECRET_USAGE_TYPE_CEPH
                    : VIR_SECRET_USAGE_TYPE_ISCSI;

    return secretValue(disk, "<auth>", auth->useUUID, auth->uuid, auth->usage, usage,
                       len);
}

bool
qemuDiskHasEncryptionSecret(const virDomainDiskDef *disk)
{
    const virStorageEncryption *enc = disk->encryption;

    return enc && enc->nsecrets > 0 &&
           enc->engine != VIR_STORAGE_ENCRYPTION_ENGINE_LIBRBD &&
           virDomainDiskHasMedia(disk);
}

char *
qemuDiskEncryptionSecretFile(const virDomainDiskDef *disk, const char *dir,
                             const virSecurityIdentity *runAs)
{
    const virStorageEncryptionSecret *es = &disk->encryption->secrets[0];
    g_autofree char *path = g_build_filename(dir, "encryption-XXXXXX", NULL);
    size_t len = 0;
    unsigned char *value = secretValue(disk, "<encryption>", es->useUUID, es->uuid,
                                       es->usage, VIR_SECRET_USAGE_TYPE_VOLUME, &len);
    bool ok;
    int fd;

    if (!value)
        return NULL;
    if ((fd = g_mkstemp_full(path, O_WRONLY | O_CLOEXEC, 0600)) < 0) {
        virReportSystemError(errno, "failed to open secret file for write '%s'", path);
        explicit_bzero(value, len);
        g_free(value);
        return NULL;
    }
    ok = write(fd, value, len) == (ssize_t)len &&
         (!runAs || fchown(fd, runAs->uid, runAs->gid) == 0);
    if (!ok)
        virReportSystemError(errno, "failed to write secret file '%s'", path);
    close(fd);
    explicit_bzero(value, len);
    g_free(value);
    if (!ok) {
        unlink(path);
        return NULL;
    }
    return g_steal_pointer(&path);
}

int
qemuDomainSecretsPrepare(const virDomainDef *def, const char *dir,
                         const virSecurityIdentity *runAs, qemuDomainSecrets **out)
{
    g_autoptr(qemuDomainSecrets) s = NULL;
    unsigned char key[QEMU_MASTER_KEY_LEN];
    bool any = false;
    int fd = -1;

    *out = NULL;
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *d = def->disks[i];

        if ((d->net && (d->auth || d->net->ncookies)) || qemuDiskHasEncryptionSecret(d))
            any = true;
    }
    if (!any)
        return 0;
    s = g_new0(qemuDomainSecrets, 1);
    s->ndisks = def->ndisks;
    s->disks = g_new0(qemuDiskSecret, def->ndisks);
    if (randomBytes(key, sizeof(key)) < 0)
        return -1;
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *d = def->disks[i];
        qemuDiskSecret *ds = &s->disks[i];

        if (qemuDiskHasEncryptionSecret(d)) {
            const virStorageEncryptionSecret *es = &d->encryption->secrets[0];
            size_t len = 0;
            unsigned char *value =
                secretValue(d, "<encryption>", es->useUUID, es->uuid, es->usage,
                            VIR_SECRET_USAGE_TYPE_VOLUME, &len);
            int rc;

            if (!value)
                goto error;
            rc = encryptValue(key, value, len, &ds->encCipher, &ds->encIV);
            explicit_bzero(value, len);
            g_free(value);
            if (rc < 0)
                goto error;
        }
        if (!d->net)
            continue;
        if (d->auth) {
            size_t len = 0;
            unsigned char *value = authValue(d, &len);
            int rc;

            if (!value)
                goto error;
            rc = encryptValue(key, value, len, &ds->authCipher, &ds->authIV);
            explicit_bzero(value, len);
            g_free(value);
            if (rc < 0)
                goto error;
        }
        if (d->net->ncookies) {
            g_autoptr(GString) c = g_string_new(NULL);
            int rc;

            /* libvirt's qemuBlockStorageSourceGetCookieString */
            for (size_t j = 0; j < d->net->ncookies; j++)
                g_string_append_printf(c, "%s%s=%s", j ? "; " : "",
                                       d->net->cookies[j].name, d->net->cookies[j].value);
            rc = encryptValue(key, (const unsigned char *)c->str, c->len,
                              &ds->cookieCipher, &ds->cookieIV);
            explicit_bzero(c->str, c->len);
            if (rc < 0)
                goto error;
        }
    }
    s->masterKeyPath = g_build_filename(dir, "master-key.aes", NULL);
    if ((fd = open(s->masterKeyPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) <
        0) {
        virReportSystemError(errno,
                             "failed to open domain master key file for write '%s'",
                             s->masterKeyPath);
        goto error;
    }
    if (write(fd, key, sizeof(key)) != (ssize_t)sizeof(key) ||
        (runAs && fchown(fd, runAs->uid, runAs->gid) < 0)) {
        virReportSystemError(errno, "failed to write domain master key file '%s'",
                             s->masterKeyPath);
        close(fd);
        unlink(s->masterKeyPath);
        goto error;
    }
    close(fd);
    explicit_bzero(key, sizeof(key));
    *out = g_steal_pointer(&s);
    return 0;

error:
    explicit_bzero(key, sizeof(key));
    return -1;
}

void
qemuDomainSecretsRemoveKey(const qemuDomainSecrets *secrets)
{
    if (secrets && secrets->masterKeyPath)
        unlink(secrets->masterKeyPath);
}
