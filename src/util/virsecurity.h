/* virsecurity.h: users and groups a child runs as, and what that identity can reach */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

#include "virprocess.h"

/*
 * An identity to run a program as: uid, gid and the supplementary groups
 * of the user (getgrouplist), or none when the uid has no passwd entry.
 */
typedef struct {
    uid_t uid;
    gid_t gid;
    gid_t *groups;
    size_t ngroups;
} virSecurityIdentity;

void virSecurityIdentityFree(virSecurityIdentity *id);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virSecurityIdentity, virSecurityIdentityFree);

/*
 * Parse libvirt's qemu.conf syntax for a user: "name" (looked up in the
 * passwd database) or "+N" (a numeric uid, no lookup). Returns 0 and
 * *uid (and *gid, the user's primary group, or (gid_t)-1 for "+N"
 * without a passwd entry); -1 with INVALID_ARG "Failed to parse user
 * '%s'" when the name does not exist or the number is not one.
 */
int virSecurityParseUser(const char *spec, uid_t *uid, gid_t *gid);

/* The same for a group: "name" (group database) or "+N". -1 with
 * INVALID_ARG "Failed to parse group '%s'". */
int virSecurityParseGroup(const char *spec, gid_t *gid);

/*
 * The identity for @uid and @gid: the supplementary groups are those of
 * the passwd entry of @uid (getgrouplist, including @gid), none if it has
 * no entry. Never fails.
 */
virSecurityIdentity *virSecurityIdentityNew(uid_t uid, gid_t gid);

/* Make @opts spawn as @id with no capabilities (the pointers in @opts
 * borrow from @id). */
void virSecurityIdentityApply(const virSecurityIdentity *id, virProcessSpawnOpts *opts);

/*
 * Check, as @id really would see them, @n paths: for each, that every
 * directory above it grants search permission, that it exists, and
 * whether it is readable and writable. Done on a short-lived thread that
 * takes the identity (so ACLs, group lists and root-squashing file systems
 * answer as they would for QEMU). Results are per path:
 *   reach[i]: 0, or the errno of reaching it (EACCES, ENOENT, ...);
 *   blocker[i]: when the reach failed with EACCES, the first directory
 *     above the path that the identity cannot search (new string), else NULL;
 *   readable[i], writable[i].
 * The caller passes arrays of @n elements. 0, or -1 with a SYSTEM_ERROR
 * reported when the check itself could not run.
 */
int virSecurityCheckAccessAs(const virSecurityIdentity *id, const char *const *paths,
                             size_t n, int *reach, char **blocker, bool *readable,
                             bool *writable);
