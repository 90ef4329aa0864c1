/* qemu_secret.h: a network disk's secrets handed to QEMU as libvirt does */
#pragma once

#include "domain_conf.h"
#include "virsecurity.h"

/* One disk's secrets, AES-256-CBC under the domain's master key, base64
 * (NULL: none). */
typedef struct {
    char *authCipher; /* <auth>'s secret value */
    char *authIV;
    char *cookieCipher; /* "name=value; ..." of its http cookies */
    char *cookieIV;
    char *encCipher; /* <encryption>'s passphrase (the first secret's value) */
    char *encIV;
} qemuDiskSecret;

/* A start's secrets: the master key file QEMU reads (-object secret
 * id=masterKey0) and disks[I] for disk I of the definition. */
typedef struct {
    char *masterKeyPath;
    qemuDiskSecret *disks;
    size_t ndisks;
} qemuDomainSecrets;

void qemuDomainSecretsFree(qemuDomainSecrets *secrets);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemuDomainSecrets, qemuDomainSecretsFree);

/*
 * The secrets of @def's disks (a network disk's <auth> and http cookies,
 * an image's <encryption> passphrase), as libvirt's QEMU driver prepares
 * them at start: 32 random bytes written to @dir/master-key.aes (0600,
 * given to @runAs when not NULL), each value looked up in the secret
 * driver serving this process (by uuid, or by usage: ceph for rbd, iscsi
 * for the rest of <auth>, volume for <encryption>; a private secret too)
 * and encrypted under that key with a random IV. *@out is NULL when no
 * disk has any. 0, or -1 with the secret driver's error (NO_SECRET, ...),
 * libvirt's INVALID_ARG for a secret of another usage type, or
 * CONFIG_UNSUPPORTED when no secret driver serves this process; nothing
 * left on disk then.
 */
int qemuDomainSecretsPrepare(const virDomainDef *def, const char *dir,
                             const virSecurityIdentity *runAs, qemuDomainSecrets **out);

/* Remove the master key file (QEMU has read it once its monitor is up). */
void qemuDomainSecretsRemoveKey(const qemuDomainSecrets *secrets);

/* A hotplugged @disk's <encryption> passphrase (looked up as at start)
 * written to a new 0600 file in @dir (given to @runAs when not NULL), for
 * QEMU to read with object-add {qom-type secret, format raw, file}: the
 * value never travels in a monitor command, each of which is logged at
 * debug level. Returns the file's path (the caller removes the file once
 * QEMU has read it), or NULL with the secret driver's error and no file
 * left. */
char *qemuDiskEncryptionSecretFile(const virDomainDiskDef *disk, const char *dir,
                                   const virSecurityIdentity *runAs);

/* Whether @disk hands QEMU an <encryption> passphrase: an image (not an
 * empty drive) encrypted by QEMU's engine naming a secret. */
bool qemuDiskHasEncryptionSecret(const virDomainDiskDef *disk);

/* AES-256-CBC of @data (PKCS#7 padding) under @key (32 bytes) with @iv (16
 * bytes), base64; NULL with INTERNAL_ERROR when the cipher fails. */
char *qemuSecretEncrypt(const unsigned char *key, const unsigned char *iv,
                        const unsigned char *data, size_t len);
