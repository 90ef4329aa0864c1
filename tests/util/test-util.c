/* test-util.c: unit tests for src/util (errors, UUIDs, atomic and private temporary files) */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "virerror.h"
#include "virspin.h"
#include "viruuid.h"
#include "virfile.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

static void
test_error_template(void)
{
    virResetLastError();
    g_assert_null(virGetLastError());
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "no error");

    virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
    g_assert_nonnull(virGetLastError());
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_INVALID);
    g_assert_cmpint(virGetLastErrorDomain(), ==, VIR_FROM_QEMU);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "Requested operation is not valid: domain is not running");
    g_assert_cmpstr(virGetLastError()->str2, ==, "domain is not running");
    g_assert_cmpint(virGetLastError()->int1, ==, -1);
    g_assert_cmpint(virGetLastError()->level, ==, VIR_ERR_ERROR);

    /* No detail: the bare message. */
    virReportError(VIR_ERR_NO_DOMAIN, NULL);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "Domain not found");
    virReportError(VIR_ERR_NO_NAME, NULL);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "missing name information");

    /* A detail holding '%' must not be reinterpreted as a format. */
    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "100%s sure");
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "internal error: 100%s sure");

    virResetLastError();
    g_assert_null(virGetLastError());
}

static void
test_error_system(void)
{
    virReportSystemError(EBUSY, "Failed to terminate process %d with SIGTERM", 1234);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_cmpstr(
        virGetLastErrorMessage(), ==,
        "Failed to terminate process 1234 with SIGTERM: Device or resource busy");
    g_assert_cmpint(virGetLastError()->int1, ==, EBUSY);
    virResetLastError();
}

static int
check_flags_helper(unsigned int flags)
{
    virCheckFlags(0x1, -1);
    return 0;
}

static void
test_error_flags(void)
{
    g_assert_cmpint(check_flags_helper(0x1), ==, 0);
    g_assert_null(virGetLastError());
    g_assert_cmpint(check_flags_helper(0x7), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "unsupported flags (0x6) in function check_flags_helper");
    virResetLastError();
}

static gpointer
error_thread(gpointer data)
{
    /* A fresh thread starts with no error, whatever the main thread holds. */
    gboolean clean = virGetLastError() == NULL;

    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "thread");
    return GINT_TO_POINTER(clean);
}

static void
test_error_thread_local(void)
{
    GThread *t;

    virReportError(VIR_ERR_NO_SUPPORT, "%s", "main");
    t = g_thread_new("err", error_thread, NULL);
    g_assert_true(GPOINTER_TO_INT(g_thread_join(t)));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_SUPPORT);
    virResetLastError();
}

static void
test_error_copy_preserve(void)
{
    virError copy;
    virErrorPtr saved = NULL;

    virReportError(VIR_ERR_XML_ERROR, "%s", "bad");
    g_assert_cmpint(virCopyLastError(&copy), ==, VIR_ERR_XML_ERROR);
    g_assert_cmpstr(copy.message, ==, "XML error: bad");
    virResetError(&copy);

    virErrorPreserveLast(&saved);
    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "cleanup noise");
    virErrorRestore(&saved);
    g_assert_null(saved);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "XML error: bad");

    virSetErrorRaw(VIR_FROM_REMOTE, VIR_ERR_RPC, VIR_ERR_ERROR, "raw text", "%s",
                   "raw text", NULL, -1, -1);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "raw text");
    g_assert_cmpint(virGetLastErrorDomain(), ==, VIR_FROM_REMOTE);
    virResetLastError();

    /* none before: none after, whatever was reported in between */
    virErrorPreserveLast(&saved);
    g_assert_null(saved);
    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "cleanup noise");
    errno = EBADF;
    virErrorRestore(&saved);
    g_assert_false(virErrorIsSet());
    g_assert_cmpint(errno, ==, EBADF);
}

static void
test_uuid(void)
{
    unsigned char u[VIR_UUID_BUFLEN], v[VIR_UUID_BUFLEN];
    char buf[VIR_UUID_STRING_BUFLEN];

    g_assert_cmpint(virUUIDParse("6695eb01-f6a4-8304-79aa-97f2502e193f", u), ==, 0);
    g_assert_cmpstr(virUUIDFormat(u, buf), ==, "6695eb01-f6a4-8304-79aa-97f2502e193f");
    g_assert_cmpint(virUUIDParse("6695EB01F6A4830479AA97F2502E193F", v), ==, 0);
    g_assert_cmpmem(u, sizeof(u), v, sizeof(v));

    g_assert_cmpint(virUUIDParse("6695eb01-f6a4-8304-79aa-97f2502e193", u), ==, -1);
    g_assert_cmpint(virUUIDParse("6695eb01-f6a4-8304-79aa-97f2502e193fx", u), ==, -1);
    g_assert_cmpint(virUUIDParse("zz95eb01-f6a4-8304-79aa-97f2502e193f", u), ==, -1);
    g_assert_cmpint(virUUIDParse("", u), ==, -1);

    virUUIDGenerate(u);
    virUUIDGenerate(v);
    g_assert_true(memcmp(u, v, sizeof(u)) != 0);
    g_assert_cmpint(u[6] >> 4, ==, 4);
    g_assert_cmpint(u[8] & 0xc0, ==, 0x80);
}

static void
test_file_atomic(void)
{
    g_autofree char *dir = g_dir_make_tmp("vkutil-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "dom.xml", NULL);
    g_autofree char *data = NULL;
    struct stat sb;
    GDir *d;
    const char *ent;
    int n = 0;

    g_assert_cmpint(virFileWriteAtomic(path, "first", 5, 0600), ==, 0);
    g_assert_cmpint(virFileWriteAtomic(path, "second!", 7, 0600), ==, 0);
    g_assert_cmpint(virFileReadAll(path, 1024, &data), ==, 7);
    g_assert_cmpstr(data, ==, "second!");
    g_assert_cmpint(stat(path, &sb), ==, 0);
    g_assert_cmpint(sb.st_mode & 0777, ==, 0600);

    /* No temporary file is left behind. */
    d = g_dir_open(dir, 0, NULL);
    while ((ent = g_dir_read_name(d)))
        n++;
    g_dir_close(d);
    g_assert_cmpint(n, ==, 1);

    /* Over the limit: an error, nothing returned. */
    g_clear_pointer(&data, g_free);
    g_assert_cmpint(virFileReadAll(path, 3, &data), ==, -1);
    g_assert_null(data);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);

    /* the directory sync alone: quiet, errno values */
    g_assert_cmpint(virFileSyncDirQuiet(dir), ==, 0);
    g_assert_cmpint(virFileSyncDirQuiet(path), ==, ENOTDIR);
    g_assert_cmpint(virFileSyncDirQuiet("/nonexistent/vkutil"), ==, ENOENT);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);

    g_assert_cmpint(virFileRemoveDurable(path), ==, 0);
    g_assert_cmpint(virFileRemoveDurable(path), ==, 0);
    g_assert_cmpint(virFileReadAll(path, 1024, &data), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_SYSTEM_ERROR);
    virResetLastError();
    g_assert_cmpint(rmdir(dir), ==, 0);
}

static int
countEntries(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    int n = 0;

    g_assert_nonnull(d);
    while (g_dir_read_name(d))
        n++;
    g_dir_close(d);
    return n;
}

/* A private scratch file: a new name after the prefix, 0600, close-on-exec,
 * the caller's owner; on failure errno, no name, no file, no error. */
static void
test_file_temp_private(void)
{
    g_autofree char *dir = g_dir_make_tmp("vkutil-XXXXXX", NULL);
    g_autofree char *prefix = g_build_filename(dir, "qemu.mem.", NULL);
    g_autofree char *missing = g_build_filename(dir, "nodir", "x.", NULL);
    g_autofree char *path = NULL;
    g_autofree char *path2 = NULL;
    struct stat sb;
    char buf[4] = { 0 };
    int fd;
    int fd2;

    fd = virFileMakeTempPrivate(prefix, O_RDWR, getuid(), getgid(), &path);
    g_assert_cmpint(fd, >=, 0);
    g_assert_true(g_str_has_prefix(path, prefix));
    g_assert_cmpuint(strlen(path), ==, strlen(prefix) + 6);
    g_assert_cmpint(fstat(fd, &sb), ==, 0);
    g_assert_cmpint(sb.st_mode & 0700, ==, 0600);
    g_assert_cmpint(sb.st_mode & 0077, ==, 0);
    g_assert_cmpint(sb.st_uid, ==, getuid());
    g_assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    g_assert_cmpint(write(fd, "abc", 3), ==, 3);
    g_assert_cmpint(pread(fd, buf, 3, 0), ==, 3);
    g_assert_cmpstr(buf, ==, "abc");

    /* a second one gets another name; no owner asked: none changed */
    fd2 = virFileMakeTempPrivate(prefix, O_WRONLY, (uid_t)-1, (gid_t)-1, &path2);
    g_assert_cmpint(fd2, >=, 0);
    g_assert_cmpstr(path2, !=, path);
    g_assert_cmpint(fcntl(fd2, F_GETFL) & O_ACCMODE, ==, O_WRONLY);
    g_assert_cmpint(countEntries(dir), ==, 2);
    close(fd);
    close(fd2);
    g_assert_cmpint(unlink(path), ==, 0);
    g_assert_cmpint(unlink(path2), ==, 0);

    /* cannot be created: errno, *path untouched, nothing reported */
    virResetLastError();
    g_clear_pointer(&path, g_free);
    errno = 0;
    g_assert_cmpint(virFileMakeTempPrivate(missing, O_RDWR, (uid_t)-1, (gid_t)-1, &path),
                    ==, -1);
    g_assert_cmpint(errno, ==, ENOENT);
    g_assert_null(path);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OK);

    /* cannot be given away (not root): the file it created is gone */
    if (geteuid() != 0) {
        errno = 0;
        g_assert_cmpint(virFileMakeTempPrivate(prefix, O_RDWR, 0, 0, &path), ==, -1);
        g_assert_cmpint(errno, ==, EPERM);
        g_assert_null(path);
        g_assert_cmpint(countEntries(dir), ==, 0);
    }
    g_assert_cmpint(rmdir(dir), ==, 0);
}

/* What a writer killed between mkstemp and rename leaves is removed; the
 * definitions, and names that merely look alike, are not. */
static void
test_file_atomic_leftovers(void)
{
    g_autofree char *dir = g_dir_make_tmp("vkutil-XXXXXX", NULL);
    const char *keep[] = { "dom.xml",          ".dom.xml",       ".dom.xml.AB12",
                           ".dom.json.AB12CD", "dom.xml.AB12CD", ".dom.xml.AB-2CD",
                           "..xml.zzzzzz",     "autostarted" };
    const char *drop[] = { ".dom.xml.AB12CD", ".a b.xml.000000", ".x.xml.zzzzzz" };
    GDir *d;
    int n = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(keep); i++) {
        g_autofree char *p = g_build_filename(dir, keep[i], NULL);
        g_assert_true(g_file_set_contents(p, "x", 1, NULL));
    }
    for (size_t i = 0; i < G_N_ELEMENTS(drop); i++) {
        g_autofree char *p = g_build_filename(dir, drop[i], NULL);
        g_assert_true(g_file_set_contents(p, "x", 1, NULL));
    }
    g_assert_cmpint(virFileRemoveAtomicLeftovers(dir, ".xml"), ==, G_N_ELEMENTS(drop));
    g_assert_cmpint(virFileRemoveAtomicLeftovers(dir, ".xml"), ==, 0);
    for (size_t i = 0; i < G_N_ELEMENTS(keep); i++) {
        g_autofree char *p = g_build_filename(dir, keep[i], NULL);
        g_assert_true(g_file_test(p, G_FILE_TEST_EXISTS));
        g_assert_cmpint(unlink(p), ==, 0);
        n++;
    }
    d = g_dir_open(dir, 0, NULL);
    g_assert_null(g_dir_read_name(d));
    g_dir_close(d);
    g_assert_cmpint(n, ==, G_N_ELEMENTS(keep));
    g_assert_cmpint(virFileRemoveAtomicLeftovers("/nonexistent/vkutil", ".xml"), ==, 0);
    g_assert_cmpint(rmdir(dir), ==, 0);
}

/* virspin.h's budget: halved by each spin that missed, 0 below 4 us, full
 * again after a catch; at 0, only every VIR_SPIN_PROBE_EVERY-th wait may
 * spin (whether it does depends on the machine's load, not checked). */
static void
test_spin_policy(void)
{
    virSpin s;

    virSpinInit(&s);
    g_assert_cmpint(s.budgetUs, ==, VIR_SPIN_MAX_US);
    virSpinDone(&s, false);
    g_assert_cmpint(s.budgetUs, ==, VIR_SPIN_MAX_US / 2);
    virSpinDone(&s, true);
    g_assert_cmpint(s.budgetUs, ==, VIR_SPIN_MAX_US);
    for (int i = 0; i < 8 && s.budgetUs > 0; i++)
        virSpinDone(&s, false);
    g_assert_cmpint(s.budgetUs, ==, 0);
    for (int i = 1; i < VIR_SPIN_PROBE_EVERY; i++)
        g_assert_cmpint(virSpinBudget(&s), ==, 0);
    g_assert_cmpint(s.sinceZero, ==, VIR_SPIN_PROBE_EVERY - 1);
    /* the probe: MAX or 0 by the load, and the count starts again */
    g_assert_true(virSpinBudget(&s) % VIR_SPIN_MAX_US == 0);
    g_assert_cmpint(s.sinceZero, ==, 0);
    /* a probe that missed leaves it at 0, one that caught restores it */
    virSpinDone(&s, false);
    g_assert_cmpint(s.budgetUs, ==, 0);
    virSpinDone(&s, true);
    g_assert_cmpint(s.budgetUs, ==, VIR_SPIN_MAX_US);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/error/template", test_error_template);
    g_test_add_func("/util/error/system", test_error_system);
    g_test_add_func("/util/error/flags", test_error_flags);
    g_test_add_func("/util/error/thread-local", test_error_thread_local);
    g_test_add_func("/util/error/copy-preserve", test_error_copy_preserve);
    g_test_add_func("/util/uuid", test_uuid);
    g_test_add_func("/util/spin/policy", test_spin_policy);
    g_test_add_func("/util/file/atomic", test_file_atomic);
    g_test_add_func("/util/file/atomic-leftovers", test_file_atomic_leftovers);
    g_test_add_func("/util/file/temp-private", test_file_temp_private);
    return g_test_run();
}
