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
 * The secrets of @def's network disks (<auth>, http cookies), as libvirt's
 * QEMU driver prepares them at start: 32 random bytes written to
 * @dir/master-key.aes (0600, given to @runAs when not NULL), each value
 * looked up in the secret driver serving this process (by uuid, or by
 * usage: ceph for rbd, iscsi for the rest; a private secret too) and
 * encrypted under that key with a random IV. *@out is NULL when no disk
 * has any. 0, or -1 with the secret driver's error (NO_SECRET, ...) or
 * CONFIG_UNSUPPORTED when no secret driver serves this process; nothing
 * left on disk then.
 */
int qemuDomainSecretsPrepare(const virDomainDef *def, const char *dir,
                             const virSecurityIdentity *runAs, qemuDomainSecrets **out);

/* Remove the master key file (QEMU has read it once its monitor is up). */
void qemuDomainSecretsRemoveKey(const qemuDomainSecrets *secrets);

/* AES-256-CBC of @data (PKCS#7 padding) under @key (32 bytes) with @iv (16
 * bytes), base64; NULL with INTERNAL_ERROR when the cipher fails. */
char *qemuSecretEncrypt(const unsigned char *key, const unsigned char *iv,
                        const unsigned char *data, size_t len);
