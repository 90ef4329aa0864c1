/* virsecurity.c: users and groups a child runs as, and what that identity can reach */

/*
 * Threads: no state of its own; any thread. virSecurityCheckAccessAs runs
 * its checks on a short-lived thread of its own that takes the identity
 * with raw system calls (which change that thread's credentials only) and
 * waits for it to end.
 */

#define G_LOG_DOMAIN "virtkit.util.security"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "virsecurity.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NONE

void
virSecurityIdentityFree(virSecurityIdentity *id)
{
    if (!id)
        return;
    g_free(id->groups);
    g_free(id);
}

/* "+N" -> N (0 .. 2^32-2); false if @spec is not of that form. */
static bool
virSecurityParseNumeric(const char *spec, guint32 *out)
{
    guint64 v;

    if (spec[0] != '+' || !g_ascii_isdigit(spec[1]))
        return false;
    if (!g_ascii_string_to_unsigned(spec + 1, 10, 0, G_MAXUINT32 - 1, &v, NULL))
        return false;
    *out = (guint32)v;
    return true;
}

int
virSecurityParseUser(const char *spec, uid_t *uid, gid_t *gid)
{
    struct passwd pw;
    struct passwd *res = NULL;
    g_autofree char *buf = NULL;
    size_t buflen = 16384;
    guint32 num;
    int rc;

    if (spec && virSecurityParseNumeric(spec, &num)) {
        buf = g_malloc(buflen);
        *uid = (uid_t)num;
        *gid = getpwuid_r(*uid, &pw, buf, buflen, &res) == 0 && res ? res->pw_gid
                                                                    : (gid_t)-1;
        return 0;
    }
    if (spec && *spec) {
        for (;;) {
            buf = g_realloc(buf, buflen);
            rc = getpwnam_r(spec, &pw, buf, buflen, &res);
            if (rc != ERANGE || buflen > 1024 * 1024)
                break;
            buflen *= 2;
        }
        if (rc == 0 && res) {
            *uid = res->pw_uid;
            *gid = res->pw_gid;
            return 0;
        }
    }
    virReportError(VIR_ERR_INVALID_ARG, "Failed to parse user '%s'", spec ? spec : "");
    return -1;
}

int
virSecurityParseGroup(const char *spec, gid_t *gid)
{
    struct group gr;
    struct group *res = NULL;
    g_autofree char *buf = NULL;
    size_t buflen = 16384;
    guint32 num;
    int rc;

    if (spec && virSecurityParseNumeric(spec, &num)) {
        *gid = (gid_t)num;
        return 0;
    }
    if (spec && *spec) {
        for (;;) {
            buf = g_realloc(buf, buflen);
            rc = getgrnam_r(spec, &gr, buf, buflen, &res);
            if (rc != ERANGE || buflen > 1024 * 1024)
                break;
            buflen *= 2;
        }
        if (rc == 0 && res) {
            *gid = res->gr_gid;
            return 0;
        }
    }
    virReportError(VIR_ERR_INVALID_ARG, "Failed to parse group '%s'", spec ? spec : "");
    return -1;
}

virSecurityIdentity *
virSecurityIdentityNew(uid_t uid, gid_t gid)
{
    virSecurityIdentity *id = g_new0(virSecurityIdentity, 1);
    struct passwd pw;
    struct passwd *res = NULL;
    g_autofree char *buf = g_malloc(16384);

    id->uid = uid;
    id->gid = gid;
    if (getpwuid_r(uid, &pw, buf, 16384, &res) == 0 && res) {
        int n = 16;

        for (;;) {
            int got = n;

            id->groups = g_renew(gid_t, id->groups, n);
            if (getgrouplist(res->pw_name, gid, id->groups, &got) >= 0) {
                id->ngroups = (size_t)got;
                break;
            }
            if (got <= n || n > 65536) {
                id->ngroups = 0;
                break;
            }
            n = got;
        }
    }
    if (id->ngroups == 0)
        g_clear_pointer(&id->groups, g_free);
    return id;
}

void
virSecurityIdentityApply(const virSecurityIdentity *id, virProcessSpawnOpts *opts)
{
    opts->setIds = true;
    opts->uid = id->uid;
    opts->gid = id->gid;
    opts->groups = id->groups;
    opts->ngroups = id->ngroups;
    opts->clearCaps = true;
}

typedef struct {
    int reach;
    int blocker; /* index into the path's directories, -1: none */
    int readable;
    int writable;
} virSecurityAccessResult;

/* The directories above absolute @path, outermost first ("/", "/a", ...). */
static GPtrArray *
virSecurityParentDirs(const char *path)
{
    GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
    const char *p;

    if (path[0] != '/')
        return dirs;
    g_ptr_array_add(dirs, g_strdup("/"));
    for (p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
        if (p[1] == '\0')
            break;
        g_ptr_array_add(dirs, g_strndup(path, p - path));
    }
    return dirs;
}

typedef struct {
    const virSecurityIdentity *id;
    const char *const *paths;
    size_t n;
    GPtrArray *const *dirs;
    virSecurityAccessResult *res;
    bool ok; /* the identity was taken */
} virSecurityAccessJob;

/* A thread of its own takes @job->id (raw system calls: the credentials of
 * this thread only, where glibc's wrappers would change every thread's;
 * its capabilities go with its uids) and answers for every path; the
 * thread ends with it. Was a forked child: a fork of the daemon (its page
 * tables copied, the child scheduled, reaped) on every disk hotplug. */
static gpointer
virSecurityAccessThread(gpointer opaque)
{
    virSecurityAccessJob *job = opaque;
    const virSecurityIdentity *id = job->id;

    if (syscall(SYS_setgroups, id->ngroups, id->groups) < 0 ||
        syscall(SYS_setresgid, id->gid, id->gid, id->gid) < 0 ||
        syscall(SYS_setresuid, id->uid, id->uid, id->uid) < 0)
        return NULL;
    job->ok = true;
    for (size_t i = 0; i < job->n; i++) {
        virSecurityAccessResult r = { 0, -1, 0, 0 };
        const char *path = job->paths[i];

        if (faccessat(AT_FDCWD, path, F_OK, 0) < 0) {
            r.reach = errno;
            if (errno == EACCES) {
                for (guint j = 0; j < job->dirs[i]->len; j++) {
                    if (faccessat(AT_FDCWD, g_ptr_array_index(job->dirs[i], j), X_OK, 0) <
                        0) {
                        r.blocker = (int)j;
                        break;
                    }
                }
            }
        } else {
            r.readable = faccessat(AT_FDCWD, path, R_OK, 0) == 0;
            r.writable = faccessat(AT_FDCWD, path, W_OK, 0) == 0;
        }
        job->res[i] = r;
    }
    return NULL;
}

int
virSecurityCheckAccessAs(const virSecurityIdentity *id, const char *const *paths,
                         size_t n, int *reach, char **blocker, bool *readable,
                         bool *writable)
{
    g_autoptr(GPtrArray) all =
        g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    g_autofree virSecurityAccessResult *res = g_new0(virSecurityAccessResult, MAX(n, 1));
    virSecurityAccessJob job = { id, paths, n, NULL, res, false };
    GThread *thread;
    g_autoptr(GError) err = NULL;

    for (size_t i = 0; i < n; i++)
        g_ptr_array_add(all, virSecurityParentDirs(paths[i]));
    job.dirs = (GPtrArray *const *)all->pdata;
    if (!(thread = g_thread_try_new("vk-access", virSecurityAccessThread, &job, &err))) {
        virReportSystemError(EAGAIN, "cannot start an access check: %s", err->message);
        return -1;
    }
    g_thread_join(thread);
    if (!job.ok) {
        virReportSystemError(EPERM, "cannot check file access as uid %u gid %u",
                             (unsigned int)id->uid, (unsigned int)id->gid);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        GPtrArray *dirs = g_ptr_array_index(all, i);

        reach[i] = res[i].reach;
        blocker[i] = res[i].blocker >= 0 && (guint)res[i].blocker < dirs->len
                         ? g_strdup(g_ptr_array_index(dirs, res[i].blocker))
                         : NULL;
        readable[i] = res[i].readable;
        writable[i] = res[i].writable;
    }
    return 0;
}
