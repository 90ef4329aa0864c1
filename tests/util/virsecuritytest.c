/* virsecuritytest.c: unit tests for src/util/virsecurity (users, access as another user) and
 * spawning a child under another identity without capabilities (virprocess) */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "virerror.h"
#include "virprocess.h"
#include "virsecurity.h"

#define NOBODY 65534

static void
test_parse_user(void)
{
    uid_t uid = 1;
    gid_t gid = 1;

    g_assert_cmpint(virSecurityParseUser("root", &uid, &gid), ==, 0);
    g_assert_cmpuint(uid, ==, 0);
    g_assert_cmpuint(gid, ==, 0);
    g_assert_cmpint(virSecurityParseUser("+4242", &uid, &gid), ==, 0);
    g_assert_cmpuint(uid, ==, 4242);
    g_assert_cmpuint(gid, ==, (gid_t)-1); /* no passwd entry */
    g_assert_cmpint(virSecurityParseUser("+0", &uid, &gid), ==, 0);
    g_assert_cmpuint(uid, ==, 0);
    g_assert_cmpuint(gid, ==, 0); /* root's entry */

    uid = 77;
    g_assert_cmpint(virSecurityParseUser("vk-no-such-user", &uid, &gid), ==, -1);
    g_assert_cmpuint(uid, ==, 77); /* untouched on failure */
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "invalid argument: Failed to parse user 'vk-no-such-user'");
    for (const char *const *bad =
             (const char *const[]){ "", "+", "+-1", "+12x", "+4294967295", NULL };
         *bad; bad++) {
        g_assert_cmpint(virSecurityParseUser(*bad, &uid, &gid), ==, -1);
        g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    }
    virResetLastError();
}

static void
test_parse_group(void)
{
    gid_t gid = 1;

    g_assert_cmpint(virSecurityParseGroup("root", &gid), ==, 0);
    g_assert_cmpuint(gid, ==, 0);
    g_assert_cmpint(virSecurityParseGroup("+31337", &gid), ==, 0);
    g_assert_cmpuint(gid, ==, 31337);
    g_assert_cmpint(virSecurityParseGroup("vk-no-such-group", &gid), ==, -1);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "invalid argument: Failed to parse group 'vk-no-such-group'");
    virResetLastError();
}

static void
test_identity(void)
{
    g_autoptr(virSecurityIdentity) root = virSecurityIdentityNew(0, 0);
    g_autoptr(virSecurityIdentity) none = virSecurityIdentityNew(4242, 4243);
    bool hasZero = false;

    /* root's supplementary groups include its primary group */
    g_assert_cmpuint(root->ngroups, >=, 1);
    for (size_t i = 0; i < root->ngroups; i++)
        hasZero |= root->groups[i] == 0;
    g_assert_true(hasZero);
    /* a uid without passwd entry gets no supplementary group at all */
    g_assert_cmpuint(none->uid, ==, 4242);
    g_assert_cmpuint(none->gid, ==, 4243);
    g_assert_cmpuint(none->ngroups, ==, 0);
    g_assert_null(none->groups);
}

static void
test_access_as(void)
{
    g_autofree char *dir = g_dir_make_tmp("vksec-XXXXXX", NULL);
    g_autofree char *priv = g_build_filename(dir, "private", NULL);
    g_autofree char *hidden = g_build_filename(priv, "f", NULL);
    g_autofree char *ro = g_build_filename(dir, "ro", NULL);
    g_autofree char *rw = g_build_filename(dir, "rw", NULL);
    g_autofree char *missing = g_build_filename(dir, "missing", NULL);
    g_autoptr(virSecurityIdentity) id = virSecurityIdentityNew(NOBODY, NOBODY);
    const char *paths[] = { hidden, ro, rw, missing, "/" };
    int reach[5];
    char *blocker[5];
    bool readable[5];
    bool writable[5];

    if (geteuid() != 0) {
        g_test_skip("needs root");
        return;
    }
    g_assert_nonnull(dir);
    g_assert_cmpint(chmod(dir, 0711), ==, 0);
    g_assert_cmpint(g_mkdir(priv, 0700), ==, 0);
    g_assert_true(g_file_set_contents(hidden, "x", 1, NULL));
    g_assert_true(g_file_set_contents(ro, "x", 1, NULL));
    g_assert_cmpint(chmod(ro, 0644), ==, 0);
    g_assert_true(g_file_set_contents(rw, "x", 1, NULL));
    g_assert_cmpint(chmod(rw, 0600), ==, 0);
    g_assert_cmpint(chown(rw, NOBODY, NOBODY), ==, 0);

    g_assert_cmpint(
        virSecurityCheckAccessAs(id, paths, 5, reach, blocker, readable, writable), ==,
        0);
    g_assert_cmpint(reach[0], ==, EACCES);
    g_assert_cmpstr(blocker[0], ==, priv);
    g_assert_cmpint(reach[1], ==, 0);
    g_assert_true(readable[1]);
    g_assert_false(writable[1]);
    g_assert_cmpint(reach[2], ==, 0);
    g_assert_true(readable[2] && writable[2]);
    g_assert_cmpint(reach[3], ==, ENOENT);
    g_assert_null(blocker[3]);
    g_assert_cmpint(reach[4], ==, 0);
    for (size_t i = 0; i < 5; i++)
        g_free(blocker[i]);
    /* the identity was the checking thread's alone: this one is still
     * root with its capabilities */
    g_assert_cmpint(geteuid(), ==, 0);
    g_assert_cmpint(access(hidden, R_OK), ==, 0);

    unlink(hidden);
    rmdir(priv);
    unlink(ro);
    unlink(rw);
    rmdir(dir);
}

/* The value of "Key:" in a /proc/PID/status text. */
static char *
statusField(const char *text, const char *key)
{
    g_autofree char *k = g_strdup_printf("\n%s:", key);
    const char *p = strstr(text, k);
    const char *end;

    g_assert_nonnull(p);
    p += strlen(k);
    end = strchr(p, '\n');
    return g_strstrip(g_strndup(p, end - p));
}

static void
test_spawn_as_user(void)
{
    g_autofree char *dir = g_dir_make_tmp("vksec-XXXXXX", NULL);
    g_autofree char *out = g_build_filename(dir, "status", NULL);
    g_autofree char *text = NULL;
    gid_t groups[] = { 4244 };
    const char *argv[] = { "/bin/cat", "/proc/self/status", NULL };
    virProcessSpawnOpts opts = { .argv = argv,
                                 .setIds = true,
                                 .uid = NOBODY,
                                 .gid = 4243,
                                 .groups = groups,
                                 .ngroups = 1,
                                 .clearCaps = true,
                                 .cwd = dir,
                                 .dieWithParent = true };
    const char *caps[] = { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb" };
    pid_t pid;
    int pidfd;
    int status = -1;

    if (geteuid() != 0) {
        g_test_skip("needs root");
        return;
    }
    /* the child runs in a directory it cannot enter itself (0700 root) */
    g_assert_cmpint(opts.logfd = open(out, O_WRONLY | O_CREAT | O_CLOEXEC, 0600), >=, 0);
    g_assert_cmpint(virProcessSpawn(&opts, &pid, &pidfd), ==, 0);
    close(opts.logfd);
    g_assert_cmpint(virProcessWaitPidfd(pidfd, G_MAXINT64), ==, 1);
    g_assert_cmpint(virProcessReapPidfd(pidfd, &status), ==, 1);
    close(pidfd);
    g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    g_assert_true(g_file_get_contents(out, &text, NULL, NULL));

    {
        g_autofree char *uids = statusField(text, "Uid");
        g_autofree char *gids = statusField(text, "Gid");
        g_autofree char *grps = statusField(text, "Groups");
        g_autofree char *nnp = statusField(text, "NoNewPrivs");

        g_assert_cmpstr(uids, ==, "65534\t65534\t65534\t65534");
        g_assert_cmpstr(gids, ==, "4243\t4243\t4243\t4243");
        g_assert_cmpstr(grps, ==, "4244");
        g_assert_cmpstr(nnp, ==, "1");
    }
    for (size_t i = 0; i < G_N_ELEMENTS(caps); i++) {
        g_autofree char *v = statusField(text, caps[i]);

        g_assert_cmpuint(g_ascii_strtoull(v, NULL, 16), ==, 0);
    }
    unlink(out);
    rmdir(dir);
}

static void
test_spawn_bad_identity(void)
{
    const char *argv[] = { "/bin/true", NULL };
    /* more groups than the kernel takes (EINVAL), or no right to change
     * (EPERM, as non-root): the child reports the identity step, not exec */
    g_autofree gid_t *groups = g_new0(gid_t, 70000);
    virProcessSpawnOpts opts = { .argv = argv,
                                 .logfd = -1,
                                 .setIds = true,
                                 .uid = NOBODY,
                                 .gid = NOBODY,
                                 .groups = groups,
                                 .ngroups = 70000 };
    pid_t pid = 0;
    int pidfd = -1;

    g_assert_cmpint(virProcessSpawn(&opts, &pid, &pidfd), ==, -1);
    g_assert_cmpint(pidfd, ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_nonnull(strstr(virGetLastErrorMessage(),
                            "cannot run '/bin/true' as uid 65534 gid 65534: "));
    virResetLastError();
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/security/parse-user", test_parse_user);
    g_test_add_func("/util/security/parse-group", test_parse_group);
    g_test_add_func("/util/security/identity", test_identity);
    g_test_add_func("/util/security/access-as", test_access_as);
    g_test_add_func("/util/process/spawn-as-user", test_spawn_as_user);
    g_test_add_func("/util/process/spawn-bad-identity", test_spawn_bad_identity);
    return g_test_run();
}
