/* qemu_block_net.h: the -blockdev protocol node of a network disk */
#pragma once

#include "domain_conf.h"

/* The ids of the -object secret a disk's protocol node names (NULL: none). */
typedef struct {
    const char *authAlias;   /* <auth>'s password / key */
    const char *cookieAlias; /* http(s) cookies */
} qemuBlockNetSecrets;

/*
 * The start of the protocol node of network disk @disk (disk->net set), as
 * libvirt 9.0 writes it: "{"driver":"nbd","server":{...},"export":"x"" and
 * so on, without the node-name and the closing brace (the caller adds
 * them). @sec may be NULL. Returns a new string, or NULL with libvirt's
 * error reported (a protocol that takes one host given several, a host
 * transport the protocol cannot use, an NFS user or group not found).
 */
char *qemuBlockNetStorageProps(const virDomainDiskDef *disk,
                               const qemuBlockNetSecrets *sec);
