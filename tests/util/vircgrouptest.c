/* vircgrouptest.c: cgroup layout detection and guest groups on fake v1, v2 and hybrid trees */
#define G_LOG_DOMAIN "virtkit.test.cgroup"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "vircgroup.h"
#include "virerror.h"

typedef struct {
    char *root;
    char *mounts;
} Fake;

static void
put(const char *dir, const char *file, const char *content)
{
    g_autofree char *p = g_build_filename(dir, file, NULL);
    g_autofree char *d = g_path_get_dirname(p);

    g_assert_cmpint(g_mkdir_with_parents(d, 0755), ==, 0);
    g_assert_true(g_file_set_contents(p, content, -1, NULL));
}

static char *
get(const char *root, const char *file)
{
    g_autofree char *p = g_build_filename(root, file, NULL);
    char *s = NULL;

    if (!g_file_get_contents(p, &s, NULL, NULL))
        return NULL;
    return g_strchomp(s);
}

static bool
isDir(const char *root, const char *rel)
{
    g_autofree char *p = g_build_filename(root, rel, NULL);

    return g_file_test(p, G_FILE_TEST_IS_DIR);
}

/* The hybrid layout of this project's test machines: v1 cpu and cpuacct
 * mounted apart, cpuset, memory, blkio, freezer, and a controller-less
 * cgroup2 at unified. */
static void
fakeHybrid(Fake *f)
{
    g_autoptr(GString) m = g_string_new(NULL);
    const char *v1[] = {
        "cpu", "cpuacct", "cpuset", "memory", "blkio", "freezer", "pids"
    };

    f->root = g_dir_make_tmp("vkcgroup-XXXXXX", NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(v1); i++) {
        g_autofree char *dir = g_build_filename(f->root, v1[i], NULL);

        g_string_append_printf(m, "cgroup %s cgroup rw,nosuid,relatime,%s 0 0\n", dir,
                               v1[i]);
        g_mkdir_with_parents(dir, 0755);
    }
    g_string_append_printf(m, "cgroup2 %s/unified cgroup2 rw,relatime 0 0\n", f->root);
    g_string_append(m, "proc /proc proc rw 0 0\n");
    put(f->root, "unified/cgroup.controllers", "\n");
    put(f->root, "cpuset/cpuset.cpus", "0-3\n");
    put(f->root, "cpuset/cpuset.mems", "0\n");
    put(f->root, "blkio/blkio.throttle.io_serviced", "");
    f->mounts = g_build_filename(f->root, "mounts", NULL);
    put(f->root, "mounts", m->str);
}

static void
fakeV2(Fake *f)
{
    g_autofree char *m = NULL;

    f->root = g_dir_make_tmp("vkcgroup-XXXXXX", NULL);
    m = g_strdup_printf("cgroup2 %s/cg cgroup2 rw,nsdelegate 0 0\n", f->root);
    put(f->root, "cg/cgroup.controllers", "cpuset cpu io memory hugetlb pids\n");
    put(f->root, "cg/cgroup.subtree_control", "");
    f->mounts = g_build_filename(f->root, "mounts", NULL);
    put(f->root, "mounts", m);
}

static void
fakeFree(Fake *f)
{
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", f->root);

    g_assert_true(g_str_has_prefix(f->root, g_get_tmp_dir()));
    g_assert_cmpint(system(cmd), ==, 0);
    g_free(f->root);
    g_free(f->mounts);
}

static void
testLayoutHybrid(void)
{
    Fake f;
    g_autoptr(virCgroupLayout) l = NULL;

    fakeHybrid(&f);
    l = virCgroupLayoutDetect(f.mounts);
    g_assert_cmpstr(virCgroupLayoutName(l), ==, "hybrid");
    /* libvirt's rule: cpuacct from v2 as soon as a cgroup2 tree is mounted */
    g_assert_cmpint(virCgroupLayoutBackend(l, VIR_CGROUP_CONTROLLER_CPUACCT), ==,
                    VIR_CGROUP_BACKEND_V2);
    g_assert_cmpint(virCgroupLayoutBackend(l, VIR_CGROUP_CONTROLLER_CPU), ==,
                    VIR_CGROUP_BACKEND_V1);
    g_assert_cmpint(virCgroupLayoutBackend(l, VIR_CGROUP_CONTROLLER_MEMORY), ==,
                    VIR_CGROUP_BACKEND_V1);
    g_assert_cmpint(virCgroupLayoutBackend(l, VIR_CGROUP_CONTROLLER_CPUSET), ==,
                    VIR_CGROUP_BACKEND_V1);
    fakeFree(&f);
}

static void
testLayoutV2AndNone(void)
{
    Fake f;
    g_autoptr(virCgroupLayout) l = NULL;
    g_autoptr(virCgroupLayout) none = virCgroupLayoutDetect("/nonexistent/mounts");

    g_assert_cmpstr(virCgroupLayoutName(none), ==, "none");
    fakeV2(&f);
    l = virCgroupLayoutDetect(f.mounts);
    g_assert_cmpstr(virCgroupLayoutName(l), ==, "v2");
    for (int c = 0; c < VIR_CGROUP_CONTROLLER_LAST; c++) {
        g_assert_cmpint(virCgroupLayoutBackend(l, c), ==,
                        c == VIR_CGROUP_CONTROLLER_FREEZER ? VIR_CGROUP_BACKEND_NONE
                                                           : VIR_CGROUP_BACKEND_V2);
    }
    fakeFree(&f);
}

/* fake trees hold regular files, which rmdir refuses: empty them first */
static void
emptyGroupFiles(const char *dir)
{
    g_autofree char *cmd = g_strdup_printf("find '%s' -type f -delete", dir);

    g_assert_cmpint(system(cmd), ==, 0);
}

static void
testMachineHybrid(void)
{
    Fake f;
    g_autoptr(virCgroupLayout) l = NULL;
    g_autoptr(virCgroup) g = NULL;
    g_autoptr(virCgroup) vcpu = NULL;
    g_autofree char *procs = NULL;
    g_autofree char *cpus = NULL;
    unsigned long long shares = 0, kib = 0;
    const char *dir = "machine/qemu-3-vm.libvirt-qemu";

    fakeHybrid(&f);
    l = virCgroupLayoutDetect(f.mounts);
    g = virCgroupNewMachine(l, "/machine", "qemu-3-vm.libvirt-qemu", 4242, ~0u);
    g_assert_nonnull(g);
    g_assert_cmpstr(virCgroupGetPath(g), ==, "/machine/qemu-3-vm.libvirt-qemu");
    /* each hierarchy in use, the unused v1 pids one and cpuacct's v1 one not */
    for (const char *const *h = (const char *const[]){ "cpu", "cpuset", "memory", "blkio",
                                                       "freezer", "unified", NULL };
         *h; h++) {
        g_autofree char *rel = g_build_filename(*h, dir, NULL);
        g_autofree char *p = g_build_filename(*h, dir, "cgroup.procs", NULL);

        g_assert_true(isDir(f.root, rel));
        procs = get(f.root, p);
        g_assert_cmpstr(procs, ==, "4242");
        g_clear_pointer(&procs, g_free);
    }
    g_assert_false(isDir(f.root, "pids/machine"));
    g_assert_false(isDir(f.root, "cpuacct/machine"));
    /* v1 cpuset groups inherit cpus and mems */
    cpus = get(f.root, "cpuset/machine/qemu-3-vm.libvirt-qemu/cpuset.cpus");
    g_assert_cmpstr(cpus, ==, "0-3");

    /* thread groups: cpu, cpuset and the v2 tree only, threaded there */
    vcpu = virCgroupNewThread(g, "vcpu0", true);
    g_assert_nonnull(vcpu);
    g_assert_true(isDir(f.root, "cpu/machine/qemu-3-vm.libvirt-qemu/vcpu0"));
    g_assert_true(isDir(f.root, "cpuset/machine/qemu-3-vm.libvirt-qemu/vcpu0"));
    g_assert_true(isDir(f.root, "unified/machine/qemu-3-vm.libvirt-qemu/vcpu0"));
    g_assert_false(isDir(f.root, "memory/machine/qemu-3-vm.libvirt-qemu/vcpu0"));
    procs = get(f.root, "unified/machine/qemu-3-vm.libvirt-qemu/vcpu0/cgroup.type");
    g_assert_cmpstr(procs, ==, "threaded");
    g_clear_pointer(&procs, g_free);
    g_assert_cmpint(virCgroupAddThread(vcpu, 4243), ==, 0);
    procs = get(f.root, "cpu/machine/qemu-3-vm.libvirt-qemu/vcpu0/tasks");
    g_assert_cmpstr(procs, ==, "4243");
    g_clear_pointer(&procs, g_free);
    procs = get(f.root, "unified/machine/qemu-3-vm.libvirt-qemu/vcpu0/cgroup.threads");
    g_assert_cmpstr(procs, ==, "4243");
    g_clear_pointer(&procs, g_free);

    /* values land in v1 files */
    g_assert_cmpint(virCgroupSetCpuShares(g, 512), ==, 0);
    procs = get(f.root, "cpu/machine/qemu-3-vm.libvirt-qemu/cpu.shares");
    g_assert_cmpstr(procs, ==, "512");
    g_clear_pointer(&procs, g_free);
    g_assert_cmpint(virCgroupGetCpuShares(g, &shares), ==, 0);
    g_assert_cmpuint(shares, ==, 512);
    g_assert_cmpint(virCgroupSetCpuCfsQuota(vcpu, -5), ==, 0);
    procs = get(f.root, "cpu/machine/qemu-3-vm.libvirt-qemu/vcpu0/cpu.cfs_quota_us");
    g_assert_cmpstr(procs, ==, "-1");
    g_clear_pointer(&procs, g_free);
    g_assert_cmpint(virCgroupSetMemoryHardLimit(g, 300000), ==, 0);
    procs = get(f.root, "memory/machine/qemu-3-vm.libvirt-qemu/memory.limit_in_bytes");
    g_assert_cmpstr(procs, ==, "307200000");
    g_clear_pointer(&procs, g_free);
    put(f.root, "memory/machine/qemu-3-vm.libvirt-qemu/memory.soft_limit_in_bytes",
        "9223372036854771712\n");
    g_assert_cmpint(virCgroupGetMemorySoftLimit(g, &kib), ==, 0);
    g_assert_cmpuint(kib, ==, VIR_CGROUP_MEMORY_UNLIMITED);
    /* no weight file: libvirt's error, nothing written */
    g_assert_cmpint(virCgroupSetBlkioWeight(g, 500), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_INVALID);
    g_assert_null(get(f.root, "blkio/machine/qemu-3-vm.libvirt-qemu/blkio.weight"));
    /* cpuacct comes from v2 cpu.stat: totals, no per-CPU split */
    put(f.root, "unified/machine/qemu-3-vm.libvirt-qemu/cpu.stat",
        "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n");
    {
        unsigned long long ns = 0, u = 0, s = 0, *per = NULL;
        size_t n = 0;

        g_assert_cmpint(virCgroupGetCpuacctUsage(g, &ns), ==, 0);
        g_assert_cmpuint(ns, ==, 2500000);
        g_assert_cmpint(virCgroupGetCpuacctStat(g, &u, &s), ==, 0);
        g_assert_cmpuint(u, ==, 2000000);
        g_assert_cmpuint(s, ==, 500000);
        g_assert_cmpint(virCgroupGetCpuacctPercpuUsage(g, &per, &n), ==, -1);
        g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_UNSUPPORTED);
    }

    /* removal: the group and its thread groups, never the partition */
    {
        g_autofree char *all = g_build_filename(f.root, NULL);

        emptyGroupFiles(all);
    }
    /* one vCPU's group (an unplug), opened without creating it */
    {
        g_autoptr(virCgroup) again = virCgroupNewThread(g, "vcpu0", false);

        g_assert_cmpint(virCgroupRemoveThread(again), ==, 0);
        g_assert_false(isDir(f.root, "cpu/machine/qemu-3-vm.libvirt-qemu/vcpu0"));
        g_assert_false(isDir(f.root, "cpuset/machine/qemu-3-vm.libvirt-qemu/vcpu0"));
        g_assert_false(isDir(f.root, "unified/machine/qemu-3-vm.libvirt-qemu/vcpu0"));
        g_assert_true(isDir(f.root, "cpu/machine/qemu-3-vm.libvirt-qemu"));
        /* absent is fine */
        g_assert_cmpint(virCgroupRemoveThread(again), ==, 0);
    }
    g_assert_cmpint(virCgroupRemove(g), ==, 0);
    g_assert_false(isDir(f.root, "cpu/machine/qemu-3-vm.libvirt-qemu"));
    g_assert_false(isDir(f.root, "unified/machine/qemu-3-vm.libvirt-qemu"));
    g_assert_true(isDir(f.root, "cpu/machine"));
    fakeFree(&f);
}

static void
testMachineV2(void)
{
    Fake f;
    g_autoptr(virCgroupLayout) l = NULL;
    g_autoptr(virCgroup) g = NULL;
    g_autoptr(virCgroup) emu = NULL;
    g_autofree char *s = NULL;
    g_autofree char *gdir = NULL;
    long long quota = 0;
    unsigned long long period = 0, kib = 0;

    fakeV2(&f);
    l = virCgroupLayoutDetect(f.mounts);
    /* a group that exists already is used, and left there at removal */
    put(f.root, "cg/machine/qemu-1-old.libvirt-qemu/cgroup.procs", "");
    g = virCgroupNewMachine(l, "/machine", "qemu-1-old.libvirt-qemu", 77, ~0u);
    g_assert_nonnull(g);
    g_assert_cmpint(virCgroupRemove(g), ==, 0);
    g_assert_true(isDir(f.root, "cg/machine/qemu-1-old.libvirt-qemu"));
    g_clear_pointer(&g, virCgroupFree);

    g = virCgroupNewMachine(l, "/machine", "qemu-2-new.libvirt-qemu", 78, ~0u);
    g_assert_nonnull(g);
    /* the partition's parent was asked for a v2 controller */
    s = get(f.root, "cg/cgroup.subtree_control");
    g_assert_true(g_str_has_prefix(s, "+"));
    g_clear_pointer(&s, g_free);
    s = get(f.root, "cg/machine/qemu-2-new.libvirt-qemu/cgroup.procs");
    g_assert_cmpstr(s, ==, "78");
    g_clear_pointer(&s, g_free);

    /* cpu.max carries quota and period together */
    put(f.root, "cg/machine/qemu-2-new.libvirt-qemu/cpu.max", "max 100000\n");
    g_assert_cmpint(virCgroupSetCpuCfsPeriod(g, 20000), ==, 0);
    s = get(f.root, "cg/machine/qemu-2-new.libvirt-qemu/cpu.max");
    g_assert_cmpstr(s, ==, "max 20000");
    g_clear_pointer(&s, g_free);
    g_assert_cmpint(virCgroupSetCpuCfsQuota(g, 5000), ==, 0);
    put(f.root, "cg/machine/qemu-2-new.libvirt-qemu/cpu.max", "5000 20000\n");
    g_assert_cmpint(virCgroupGetCpuCfsQuota(g, &quota), ==, 0);
    g_assert_cmpint(quota, ==, 5000);
    g_assert_cmpint(virCgroupGetCpuCfsPeriod(g, &period), ==, 0);
    g_assert_cmpuint(period, ==, 20000);
    g_assert_cmpint(virCgroupSetCpuShares(g, 300), ==, 0);
    s = get(f.root, "cg/machine/qemu-2-new.libvirt-qemu/cpu.weight");
    g_assert_cmpstr(s, ==, "300");
    g_clear_pointer(&s, g_free);
    g_assert_cmpint(virCgroupSetMemoryHardLimit(g, VIR_CGROUP_MEMORY_UNLIMITED), ==, 0);
    s = get(f.root, "cg/machine/qemu-2-new.libvirt-qemu/memory.max");
    g_assert_cmpstr(s, ==, "max");
    g_clear_pointer(&s, g_free);
    g_assert_cmpint(virCgroupGetMemoryHardLimit(g, &kib), ==, 0);
    g_assert_cmpuint(kib, ==, VIR_CGROUP_MEMORY_UNLIMITED);
    g_assert_cmpint(virCgroupSetMemorySoftLimit(g, 1024), ==, 0);
    s = get(f.root, "cg/machine/qemu-2-new.libvirt-qemu/memory.high");
    g_assert_cmpstr(s, ==, "1048576");
    g_clear_pointer(&s, g_free);
    g_assert_cmpint(virCgroupSetMemoryHardLimit(g, VIR_CGROUP_MEMORY_UNLIMITED + 1), ==,
                    -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    put(f.root, "cg/machine/qemu-2-new.libvirt-qemu/io.weight", "default 100\n");
    g_assert_cmpint(virCgroupSetBlkioWeight(g, 500), ==, 0);
    s = get(f.root, "cg/machine/qemu-2-new.libvirt-qemu/io.weight");
    g_assert_cmpstr(s, ==, "default 500");
    g_clear_pointer(&s, g_free);

    /* a threaded emulator group takes the process' threads one by one */
    emu = virCgroupNewThread(g, "emulator", true);
    g_assert_nonnull(emu);
    s = get(f.root, "cg/machine/qemu-2-new.libvirt-qemu/emulator/cgroup.type");
    g_assert_cmpstr(s, ==, "threaded");
    g_clear_pointer(&s, g_free);
    g_assert_cmpint(virCgroupAddProcess(emu, getpid()), ==, 0);
    s = get(f.root, "cg/machine/qemu-2-new.libvirt-qemu/emulator/cgroup.threads");
    g_assert_nonnull(s);
    g_assert_cmpint(atoi(s), >, 0);
    g_clear_pointer(&s, g_free);

    gdir = g_build_filename(f.root, "cg/machine/qemu-2-new.libvirt-qemu", NULL);
    emptyGroupFiles(gdir);
    g_assert_cmpint(virCgroupRemove(g), ==, 0);
    g_assert_false(isDir(f.root, "cg/machine/qemu-2-new.libvirt-qemu"));
    g_assert_true(isDir(f.root, "cg/machine"));
    fakeFree(&f);
}

static void
testDetectNotOurs(void)
{
    Fake f;
    g_autoptr(virCgroupLayout) l = NULL;

    fakeHybrid(&f);
    l = virCgroupLayoutDetect(f.mounts);
    /* no such group: nothing adopted */
    g_assert_null(
        virCgroupDetectMachine(l, "/machine", "qemu-9-x.libvirt-qemu", getpid()));
    /* a group our pid is not in (by /proc/self/cgroup): not adopted */
    put(f.root, "cpu/machine/qemu-9-x.libvirt-qemu/cgroup.procs", "1\n");
    g_assert_null(
        virCgroupDetectMachine(l, "/machine", "qemu-9-x.libvirt-qemu", getpid()));
    fakeFree(&f);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/cgroup/layout-hybrid", testLayoutHybrid);
    g_test_add_func("/util/cgroup/layout-v2-none", testLayoutV2AndNone);
    g_test_add_func("/util/cgroup/machine-hybrid", testMachineHybrid);
    g_test_add_func("/util/cgroup/machine-v2", testMachineV2);
    g_test_add_func("/util/cgroup/detect-not-ours", testDetectNotOurs);
    return g_test_run();
}
