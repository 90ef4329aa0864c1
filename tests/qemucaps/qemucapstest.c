/* qemucapstest.c: probe the real qemu-system-x86_64 and check the cache and the answers */

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include "qemu_capabilities.h"
#include "qemu_validate.h"
#include "virerror.h"

static char *qemuBinary;

/* major*1000000+minor*1000+micro from "QEMU emulator version X.Y.Z ...". */
static unsigned long
versionFromCLI(const char *binary)
{
    g_autofree char *out = NULL;
    const char *argv[] = { binary, "--version", NULL };
    unsigned int maj = 0, min = 0, mic = 0;
    const char *p;

    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, NULL, NULL));
    g_assert_nonnull(p = strstr(out, "version "));
    g_assert_cmpint(sscanf(p + 8, "%u.%u.%u", &maj, &min, &mic), >=, 2);
    return maj * 1000000UL + min * 1000UL + mic;
}

static void
testProbe(void)
{
    g_autofree char *dir = g_dir_make_tmp("qemucaps-XXXXXX", NULL);
    g_autoptr(qemuCapsCache) cache = qemuCapsCacheNew(dir);
    g_autoptr(qemuCaps) caps = qemuCapsCacheLookup(cache, NULL);
    g_autoptr(qemuCaps) again = NULL;
    const char *q35;

    if (!caps)
        g_error("probe failed: %s", virGetLastErrorMessage());
    g_assert_cmpstr(qemuCapsGetBinary(caps), ==, qemuBinary);
    g_assert_cmpuint(qemuCapsGetVersion(caps), ==, versionFromCLI(qemuBinary));
    /* q35 is an alias of the newest pc-q35-X.Y, which is a machine itself. */
    g_assert_nonnull(q35 = qemuCapsGetCanonicalMachine(caps, "q35"));
    g_assert_true(g_str_has_prefix(q35, "pc-q35-"));
    g_assert_cmpstr(qemuCapsGetCanonicalMachine(caps, q35), ==, q35);
    g_assert_nonnull(qemuCapsGetCanonicalMachine(caps, NULL));
    g_assert_null(qemuCapsGetCanonicalMachine(caps, "no-such-machine"));
    g_assert_true(qemuCapsHasAccel(caps, "tcg"));
    g_assert_true(qemuCapsHasCommand(caps, "query-status"));
    g_assert_false(qemuCapsHasCommand(caps, "no-such-command"));
    /* The same cache answers from memory with the same object. */
    again = qemuCapsCacheLookup(cache, qemuBinary);
    g_assert_true(again == caps);
}

/* Replace the first `"key": <number>` in @text by @value. */
static char *
replaceNumber(const char *text, const char *key, const char *value)
{
    g_autofree char *needle = g_strdup_printf("\"%s\": ", key);
    const char *p = strstr(text, needle);
    const char *end;

    g_assert_nonnull(p);
    p += strlen(needle);
    end = p;
    while (g_ascii_isdigit(*end) || *end == '-')
        end++;
    return g_strdup_printf("%.*s%s%s", (int)(p - text), text, value, end);
}

/* A cache file whose identity matches is used as is (we tamper with its
 * version to prove it was read); one whose recorded identity differs from
 * the binary's is ignored and the binary probed again. */
static void
testCacheFile(void)
{
    g_autofree char *dir = g_dir_make_tmp("qemucaps-XXXXXX", NULL);
    g_autofree char *cdir = g_build_filename(dir, "capabilities", NULL);
    g_autofree char *text = NULL;
    g_autofree char *file = NULL;
    g_autofree char *tampered = NULL;
    g_autofree char *stale = NULL;
    unsigned long real = versionFromCLI(qemuBinary);
    g_autoptr(GDir) d = NULL;

    {
        g_autoptr(qemuCapsCache) cache = qemuCapsCacheNew(dir);
        g_autoptr(qemuCaps) caps = qemuCapsCacheLookup(cache, qemuBinary);

        if (!caps)
            g_error("probe failed: %s", virGetLastErrorMessage());
        g_assert_cmpuint(qemuCapsGetVersion(caps), ==, real);
    }
    g_assert_nonnull(d = g_dir_open(cdir, 0, NULL));
    file = g_build_filename(cdir, g_dir_read_name(d), NULL);
    g_assert_true(g_file_get_contents(file, &text, NULL, NULL));
    tampered = replaceNumber(text, "version", "99000001");
    g_assert_true(g_file_set_contents(file, tampered, -1, NULL));
    {
        g_autoptr(qemuCapsCache) cache = qemuCapsCacheNew(dir);
        g_autoptr(qemuCaps) caps = qemuCapsCacheLookup(cache, qemuBinary);

        g_assert_nonnull(caps);
        g_assert_cmpuint(qemuCapsGetVersion(caps), ==, 99000001);
    }
    stale = replaceNumber(tampered, "mtime", "12345");
    g_assert_true(g_file_set_contents(file, stale, -1, NULL));
    {
        g_autoptr(qemuCapsCache) cache = qemuCapsCacheNew(dir);
        g_autoptr(qemuCaps) caps = qemuCapsCacheLookup(cache, qemuBinary);

        g_assert_nonnull(caps);
        g_assert_cmpuint(qemuCapsGetVersion(caps), ==, real);
    }
    unlink(file);
    rmdir(cdir);
    rmdir(dir);
}

static void
testMissingBinary(void)
{
    g_autoptr(qemuCapsCache) cache = qemuCapsCacheNew(NULL);

    virResetLastError();
    g_assert_null(qemuCapsCacheLookup(cache, "/nonexistent/qemu-system-x86_64"));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INTERNAL_ERROR);
    g_assert_nonnull(strstr(virGetLastErrorMessage(),
                            "Cannot find QEMU binary /nonexistent/qemu-system-x86_64"));
}

/* KVM: whatever this host says, the verdict, the virt-type check and the
 * capabilities XML must agree; TCG ('qemu') always works. */
static void
testVirtTypes(void)
{
    g_autoptr(qemuCapsCache) cache = qemuCapsCacheNew(NULL);
    g_autoptr(qemuCaps) caps = qemuCapsCacheLookup(cache, NULL);
    g_autofree char *why = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *emu = NULL;
    bool kvm;

    g_assert_nonnull(caps);
    g_assert_cmpint(qemuCapsCheckVirtType(cache, caps, VIR_DOMAIN_VIRT_QEMU), ==, 0);
    kvm = qemuCapsKVMUsable(cache, caps, &why);
    g_test_message("KVM usable: %s%s%s", kvm ? "yes" : "no", why ? ": " : "",
                   why ? why : "");
    virResetLastError();
    if (kvm) {
        g_assert_cmpint(qemuCapsCheckVirtType(cache, caps, VIR_DOMAIN_VIRT_KVM), ==, 0);
    } else {
        g_assert_nonnull(why);
        g_assert_cmpint(qemuCapsCheckVirtType(cache, caps, VIR_DOMAIN_VIRT_KVM), ==, -1);
        g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_CONFIG_UNSUPPORTED);
        g_assert_nonnull(
            strstr(virGetLastErrorMessage(), "does not support virt type 'kvm'"));
        g_assert_nonnull(strstr(virGetLastErrorMessage(), why));
    }
    virResetLastError();
    g_assert_cmpint(qemuCapsCheckVirtType(cache, caps, VIR_DOMAIN_VIRT_XEN), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_CONFIG_UNSUPPORTED);

    xml = qemuCapsFormatCapabilitiesXML(cache, caps, NULL);
    emu = g_strdup_printf("<emulator>%s</emulator>", qemuBinary);
    g_assert_nonnull(strstr(xml, "<os_type>hvm</os_type>"));
    g_assert_nonnull(strstr(xml, emu));
    g_assert_nonnull(strstr(xml, "<domain type='qemu'/>"));
    g_assert_true((strstr(xml, "<domain type='kvm'/>") != NULL) == kvm);
    g_assert_nonnull(strstr(xml, ">q35</machine>"));
    g_assert_null(strstr(xml, "<arch name='i686'>"));
    g_assert_cmpstr(qemuCapsGetArch(caps), ==, "x86_64");
}

/* qemu-system-i386 (Debian's qemu-system-x86 installs it): an i686 guest
 * of its own in the capabilities, listed first, with its machines, PAE and
 * its default CPU model qemu32. */
static void
testI386(void)
{
    g_autoptr(qemuCapsCache) cache = qemuCapsCacheNew(NULL);
    g_autofree char *bin = qemuCapsBinaryForArch("i686");
    g_autoptr(qemuCaps) caps = qemuCapsCacheLookup(cache, NULL);
    g_autoptr(qemuCaps) caps32 = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *emu = NULL;
    const char *i686;
    const char *x86_64;

    g_assert_null(qemuCapsBinaryForArch("x86_64"));
    if (!bin) {
        g_test_skip("qemu-system-i386 not installed");
        return;
    }
    g_assert_nonnull(caps);
    g_assert_nonnull(caps32 = qemuCapsCacheLookup(cache, bin));
    g_assert_cmpstr(qemuCapsGetArch(caps32), ==, "i686");
    g_assert_cmpstr(qemuCapsGetMachineDefaultCPU(caps32, "q35"), ==, "qemu32");
    xml = qemuCapsFormatCapabilitiesXML(cache, caps, caps32);
    emu = g_strdup_printf("<emulator>%s</emulator>", bin);
    g_assert_nonnull(
        i686 = strstr(xml, "<arch name='i686'>\n      <wordsize>32</wordsize>"));
    g_assert_nonnull(
        x86_64 = strstr(xml, "<arch name='x86_64'>\n      <wordsize>64</wordsize>"));
    g_assert_true(i686 < x86_64);
    g_assert_nonnull(strstr(i686, emu));
    g_assert_true(strstr(i686, emu) < x86_64);
    g_assert_true(strstr(xml, "<pae/>\n      <nonpae/>") < x86_64);
}

static void
testPostParse(void)
{
    g_autoptr(qemuCapsCache) cache = qemuCapsCacheNew(NULL);
    g_autoptr(qemuCaps) caps = qemuCapsCacheLookup(cache, NULL);
    g_autoptr(virDomainDef) pdef = virDomainDefNew();

    g_assert_nonnull(caps);
    pdef->os.machine = g_strdup("q35");
    g_assert_cmpint(qemuCapsDomainDefPostParse(caps, pdef), ==, 0);
    g_assert_cmpstr(pdef->os.machine, ==, qemuCapsGetCanonicalMachine(caps, "q35"));
    g_assert_cmpstr(pdef->os.arch, ==, "x86_64");
    g_assert_cmpstr(pdef->emulator, ==, qemuBinary);
    /* no <cpu>: the machine's default model, as libvirt writes it in */
    g_assert_nonnull(pdef->cpu);
    g_assert_cmpstr(pdef->cpu->model, ==, "qemu64");
    g_assert_cmpint(pdef->cpu->fallback, ==, VIR_DOMAIN_CPU_FALLBACK_FORBID);
    g_assert_cmpint(pdef->cpu->check, ==, VIR_DOMAIN_CPU_CHECK_PARTIAL); /* not TCG */
    g_assert_nonnull(qemuCapsGetCPUModel(caps, "Westmere"));
    g_assert_null(qemuCapsGetCPUModel(caps, "Nonexistent"));
    g_free(pdef->os.machine);
    /* defaults only: what QEMU lacks is left for the validator to refuse */
    pdef->os.machine = g_strdup("bogus-machine");
    pdef->virtType = VIR_DOMAIN_VIRT_QEMU;
    g_assert_cmpint(qemuCapsDomainDefPostParse(caps, pdef), ==, 0);
    g_assert_cmpstr(pdef->os.machine, ==, "bogus-machine");
    virResetLastError();
    g_assert_cmpint(qemuValidateDomainDef(pdef, caps), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_CONFIG_UNSUPPORTED);
    g_assert_true(g_str_has_suffix(virGetLastErrorMessage(),
                                   "does not support machine type 'bogus-machine'"));
    g_free(pdef->os.arch);
    pdef->os.arch = g_strdup("aarch64");
    g_assert_cmpint(qemuCapsDomainDefPostParse(caps, pdef), ==, 0);
    g_assert_cmpint(qemuValidateDomainDef(pdef, caps), ==, -1);
    g_assert_cmpstr(
        virGetLastErrorMessage(), ==,
        "unsupported configuration: No guest options available for arch 'aarch64'");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemuBinary = g_find_program_in_path("qemu-system-x86_64");
    if (!qemuBinary) {
        g_test_skip("qemu-system-x86_64 not installed");
        return g_test_run();
    }
    g_test_add_func("/qemu/caps/probe", testProbe);
    g_test_add_func("/qemu/caps/cache-file", testCacheFile);
    g_test_add_func("/qemu/caps/missing-binary", testMissingBinary);
    g_test_add_func("/qemu/caps/virt-types", testVirtTypes);
    g_test_add_func("/qemu/caps/post-parse", testPostParse);
    g_test_add_func("/qemu/caps/i386", testI386);
    return g_test_run();
}
