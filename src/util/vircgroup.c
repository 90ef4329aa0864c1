/* vircgroup.c: control groups (v1, v2, hybrid): layout detection, guest groups, controller values */

#define G_LOG_DOMAIN "virtkit.util.cgroup"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vircgroup.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_CGROUP

/* Largest control file read (cpuacct.usage_percpu on a big host). */
#define CGROUP_FILE_MAX (1024 * 1024)

static const char *const controllerNames[VIR_CGROUP_CONTROLLER_LAST] = {
    "cpu", "cpuacct", "cpuset", "memory", "blkio", "freezer",
};

/* The controllers a thread sub-group lives in (libvirt's virCgroupNewThread). */
#define THREAD_CONTROLLERS                                                       \
    ((1u << VIR_CGROUP_CONTROLLER_CPU) | (1u << VIR_CGROUP_CONTROLLER_CPUACCT) | \
     (1u << VIR_CGROUP_CONTROLLER_CPUSET))

struct _virCgroupLayout {
    char *v2Mount;                             /* NULL: no cgroup2 tree */
    char *v1Mount[VIR_CGROUP_CONTROLLER_LAST]; /* per v1 controller */
    int backend[VIR_CGROUP_CONTROLLER_LAST];   /* virCgroupBackend */
};

typedef struct {
    char *mount; /* the hierarchy's root directory */
    bool v2;
    bool created; /* this code made PATH there (only then is it removed) */
} virCgroupHier;

struct _virCgroup {
    char *path; /* "/machine/qemu-1-x.libvirt-qemu[/vcpu0]" */
    virCgroupHier hier[VIR_CGROUP_CONTROLLER_LAST + 1];
    size_t nhier;
    int ctrlHier[VIR_CGROUP_CONTROLLER_LAST]; /* index in hier, -1: none */
    bool thread;                              /* a thread sub-group */
};

const char *
virCgroupControllerName(int controller)
{
    if (controller < 0 || controller >= VIR_CGROUP_CONTROLLER_LAST)
        return NULL;
    return controllerNames[controller];
}

/* ---- layout ------------------------------------------------------------ */

void
virCgroupLayoutFree(virCgroupLayout *layout)
{
    if (!layout)
        return;
    g_free(layout->v2Mount);
    for (size_t i = 0; i < VIR_CGROUP_CONTROLLER_LAST; i++)
        g_free(layout->v1Mount[i]);
    g_free(layout);
}

/* /proc/mounts escapes blanks as \040 and friends. */
static char *
unescapeMountField(const char *s)
{
    GString *out = g_string_new(NULL);

    for (; *s; s++) {
        if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' && s[2] <= '7' &&
            s[3] >= '0' && s[3] <= '7') {
            g_string_append_c(
                out, (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0')));
            s += 3;
        } else {
            g_string_append_c(out, *s);
        }
    }
    return g_string_free(out, FALSE);
}

virCgroupLayout *
virCgroupLayoutDetect(const char *mountsFile)
{
    virCgroupLayout *layout = g_new0(virCgroupLayout, 1);
    g_autofree char *data = NULL;
    g_auto(GStrv) lines = NULL;
    g_autofree char *ctrlPath = NULL;
    g_autofree char *ctrls = NULL;

    if (!g_file_get_contents(mountsFile ? mountsFile : "/proc/self/mounts", &data, NULL,
                             NULL))
        return layout;
    lines = g_strsplit(data, "\n", -1);
    /* cgroup2 first: libvirt asks its v2 backend before the v1 one */
    for (size_t i = 0; lines[i]; i++) {
        g_auto(GStrv) f = g_strsplit_set(lines[i], " \t", -1);

        if (g_strv_length(f) >= 3 && strcmp(f[2], "cgroup2") == 0 && !layout->v2Mount)
            layout->v2Mount = unescapeMountField(f[1]);
    }
    if (layout->v2Mount) {
        ctrlPath = g_build_filename(layout->v2Mount, "cgroup.controllers", NULL);
        if (g_file_get_contents(ctrlPath, &ctrls, NULL, NULL)) {
            g_auto(GStrv) names = g_strsplit_set(g_strstrip(ctrls), " \n", -1);

            for (size_t i = 0; names[i]; i++) {
                if (strcmp(names[i], "cpu") == 0)
                    layout->backend[VIR_CGROUP_CONTROLLER_CPU] = VIR_CGROUP_BACKEND_V2;
                else if (strcmp(names[i], "cpuset") == 0)
                    layout->backend[VIR_CGROUP_CONTROLLER_CPUSET] = VIR_CGROUP_BACKEND_V2;
                else if (strcmp(names[i], "memory") == 0)
                    layout->backend[VIR_CGROUP_CONTROLLER_MEMORY] = VIR_CGROUP_BACKEND_V2;
                else if (strcmp(names[i], "io") == 0)
                    layout->backend[VIR_CGROUP_CONTROLLER_BLKIO] = VIR_CGROUP_BACKEND_V2;
            }
        }
        /* as libvirt's v2 backend: cpu.stat always exists */
        layout->backend[VIR_CGROUP_CONTROLLER_CPUACCT] = VIR_CGROUP_BACKEND_V2;
    }
    for (size_t i = 0; lines[i]; i++) {
        g_auto(GStrv) f = g_strsplit_set(lines[i], " \t", -1);
        g_auto(GStrv) opts = NULL;

        if (g_strv_length(f) < 4 || strcmp(f[2], "cgroup") != 0)
            continue;
        opts = g_strsplit(f[3], ",", -1);
        for (size_t o = 0; opts[o]; o++) {
            for (int c = 0; c < VIR_CGROUP_CONTROLLER_LAST; c++) {
                if (strcmp(opts[o], controllerNames[c]) != 0 ||
                    layout->backend[c] != VIR_CGROUP_BACKEND_NONE)
                    continue;
                layout->backend[c] = VIR_CGROUP_BACKEND_V1;
                layout->v1Mount[c] = unescapeMountField(f[1]);
            }
        }
    }
    g_debug("cgroup layout %s (v2 at %s)", virCgroupLayoutName(layout),
            layout->v2Mount ? layout->v2Mount : "-");
    return layout;
}

virCgroupBackend
virCgroupLayoutBackend(const virCgroupLayout *layout, int controller)
{
    if (!layout || controller < 0 || controller >= VIR_CGROUP_CONTROLLER_LAST)
        return VIR_CGROUP_BACKEND_NONE;
    return layout->backend[controller];
}

const char *
virCgroupLayoutName(const virCgroupLayout *layout)
{
    bool v1 = false;

    for (int c = 0; c < VIR_CGROUP_CONTROLLER_LAST; c++)
        v1 |= layout->backend[c] == VIR_CGROUP_BACKEND_V1;
    if (layout->v2Mount)
        return v1 ? "hybrid" : "v2";
    return v1 ? "v1" : "none";
}

/* ---- groups ------------------------------------------------------------ */

void
virCgroupFree(virCgroup *group)
{
    if (!group)
        return;
    for (size_t i = 0; i < group->nhier; i++)
        g_free(group->hier[i].mount);
    g_free(group->path);
    g_free(group);
}

/* The group's hierarchies for the controllers in @mask. */
static virCgroup *
cgroupNew(const virCgroupLayout *layout, const char *path, unsigned int mask)
{
    virCgroup *group = g_new0(virCgroup, 1);

    group->path = g_strdup(path);
    for (int c = 0; c < VIR_CGROUP_CONTROLLER_LAST; c++) {
        const char *mount = NULL;
        bool v2 = false;
        size_t h;

        group->ctrlHier[c] = -1;
        if (!(mask & (1u << c)))
            continue;
        if (layout->backend[c] == VIR_CGROUP_BACKEND_V1) {
            mount = layout->v1Mount[c];
        } else if (layout->backend[c] == VIR_CGROUP_BACKEND_V2) {
            mount = layout->v2Mount;
            v2 = true;
        } else {
            continue;
        }
        for (h = 0; h < group->nhier; h++) {
            if (strcmp(group->hier[h].mount, mount) == 0)
                break;
        }
        if (h == group->nhier) {
            group->hier[h].mount = g_strdup(mount);
            group->hier[h].v2 = v2;
            group->nhier++;
        }
        group->ctrlHier[c] = (int)h;
    }
    /* the v2 tree is used even without controllers (libvirt places there too) */
    if (layout->v2Mount) {
        size_t h;

        for (h = 0; h < group->nhier; h++) {
            if (group->hier[h].v2)
                break;
        }
        if (h == group->nhier) {
            group->hier[h].mount = g_strdup(layout->v2Mount);
            group->hier[h].v2 = true;
            group->nhier++;
        }
    }
    return group;
}

static char *
hierDir(const virCgroup *group, size_t h, const char *sub)
{
    return g_strdup_printf("%s%s%s%s", group->hier[h].mount, group->path, sub ? "/" : "",
                           sub ? sub : "");
}

static int
writeFile(const char *path, const char *value)
{
    /* O_CREAT changes nothing on a cgroup file system (its files exist or
     * cannot be made); it lets the unit tests run on a plain directory tree. */
    int fd = open(path, O_WRONLY | O_CLOEXEC | O_TRUNC | O_CREAT, 0644);
    size_t len = strlen(value);

    if (fd < 0) {
        virReportSystemError(errno, "Unable to write to '%s'", path);
        return -1;
    }
    if (write(fd, value, len) != (ssize_t)len) {
        int err = errno;

        close(fd);
        virReportSystemError(err, "Unable to write to '%s'", path);
        return -1;
    }
    if (close(fd) < 0) {
        virReportSystemError(errno, "Unable to write to '%s'", path);
        return -1;
    }
    return 0;
}

static int
readFile(const char *path, char **value)
{
    g_autofree char *data = g_malloc(CGROUP_FILE_MAX + 1);
    size_t len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        virReportSystemError(errno, "Unable to read from '%s'", path);
        return -1;
    }
    for (;;) {
        ssize_t n = read(fd, data + len, CGROUP_FILE_MAX - len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;

            close(fd);
            virReportSystemError(err, "Unable to read from '%s'", path);
            return -1;
        }
        if (n == 0 || (len += (size_t)n) == CGROUP_FILE_MAX)
            break;
    }
    close(fd);
    data[len] = '\0';
    g_strchomp(data);
    *value = g_strdup(data);
    return 0;
}

/* A control file that a plain directory (the unit tests' fake tree) lacks
 * reads as empty; every other failure is reported. */
static int
readOptional(const char *path, char **value)
{
    if (access(path, F_OK) < 0 && errno == ENOENT) {
        *value = g_strdup("");
        return 0;
    }
    return readFile(path, value);
}

/* Copy cpuset.cpus / cpuset.mems from the parent when empty (v1 only:
 * a v1 cpuset group starts empty and takes no task until they are set). */
static int
cpusetInherit(const char *dir)
{
    static const char *const keys[] = { "cpuset.cpus", "cpuset.mems" };
    g_autofree char *parent = g_path_get_dirname(dir);

    for (size_t k = 0; k < G_N_ELEMENTS(keys); k++) {
        g_autofree char *mine = g_build_filename(dir, keys[k], NULL);
        g_autofree char *theirs = g_build_filename(parent, keys[k], NULL);
        g_autofree char *cur = NULL;
        g_autofree char *val = NULL;

        if (readOptional(mine, &cur) < 0)
            return -1;
        if (*cur)
            continue;
        if (readFile(theirs, &val) < 0 || writeFile(mine, val) < 0)
            return -1;
    }
    return 0;
}

/* v2: enable the v2-served controllers among @mask in @dir's parent's
 * cgroup.subtree_control (one "+name" at a time, as libvirt). */
static int
v2EnableControllers(const virCgroupLayout *layout, const char *dir, unsigned int mask)
{
    static const char *const v2Names[VIR_CGROUP_CONTROLLER_LAST] = {
        [VIR_CGROUP_CONTROLLER_CPU] = "cpu",
        [VIR_CGROUP_CONTROLLER_CPUSET] = "cpuset",
        [VIR_CGROUP_CONTROLLER_MEMORY] = "memory",
        [VIR_CGROUP_CONTROLLER_BLKIO] = "io",
    };
    g_autofree char *parent = g_path_get_dirname(dir);
    g_autofree char *ctl = g_build_filename(parent, "cgroup.subtree_control", NULL);
    g_autofree char *cur = NULL;

    if (readOptional(ctl, &cur) < 0)
        return -1;
    for (int c = 0; c < VIR_CGROUP_CONTROLLER_LAST; c++) {
        g_autofree char *plus = NULL;
        g_auto(GStrv) have = NULL;

        if (!v2Names[c] || !(mask & (1u << c)) ||
            layout->backend[c] != VIR_CGROUP_BACKEND_V2)
            continue;
        have = g_strsplit(cur, " ", -1);
        if (g_strv_contains((const char *const *)have, v2Names[c]))
            continue;
        plus = g_strdup_printf("+%s", v2Names[c]);
        if (writeFile(ctl, plus) < 0)
            return -1;
    }
    return 0;
}

/* mkdir -p of @path below @mount; *created: the last component was made. */
static int
makeDir(const char *mount, const char *path, bool *created)
{
    g_auto(GStrv) parts = g_strsplit(path, "/", -1);
    g_autofree char *dir = g_strdup(mount);

    *created = false;
    for (size_t i = 0; parts[i]; i++) {
        char *next;

        if (!*parts[i])
            continue;
        next = g_build_filename(dir, parts[i], NULL);
        g_free(dir);
        dir = next;
        if (mkdir(dir, 0755) == 0) {
            *created = parts[i + 1] == NULL;
        } else if (errno != EEXIST) {
            virReportSystemError(errno, "Unable to create cgroup '%s'", dir);
            return -1;
        }
    }
    return 0;
}

static int
removeDir(const char *dir)
{
    for (int attempt = 0;; attempt++) {
        if (rmdir(dir) == 0 || errno == ENOENT)
            return 0;
        if (errno != EBUSY || attempt >= 4) {
            virReportSystemError(errno, "Unable to remove cgroup '%s'", dir);
            return -1;
        }
        g_usleep(200 * 1000);
    }
}

/* Undo what this group made (sub-directories first), quietly or not. */
static int
cgroupRemoveDirs(virCgroup *group)
{
    int ret = 0;

    for (size_t h = 0; h < group->nhier; h++) {
        g_autofree char *dir = hierDir(group, h, NULL);
        DIR *d;
        struct dirent *ent;

        if (!group->hier[h].created)
            continue;
        if ((d = opendir(dir))) {
            while ((ent = readdir(d))) {
                g_autofree char *sub = NULL;

                if (ent->d_type != DT_DIR || ent->d_name[0] == '.')
                    continue;
                sub = g_build_filename(dir, ent->d_name, NULL);
                if (removeDir(sub) < 0)
                    ret = -1;
            }
            closedir(d);
        }
        if (removeDir(dir) < 0)
            ret = -1;
        else
            group->hier[h].created = false;
    }
    return ret;
}

/* cgroupRemoveDirs after a failure: the caller's error (the cause) is the
 * one reported, not a removal's that follows from it (a group the process
 * already entered is busy). */
static void
cgroupRemoveDirsKeepError(virCgroup *group)
{
    virErrorPtr saved = NULL;

    virErrorPreserveLast(&saved);
    cgroupRemoveDirs(group);
    virErrorRestore(&saved);
}

int
virCgroupRemove(virCgroup *group)
{
    if (!group)
        return 0;
    return cgroupRemoveDirs(group);
}

int
virCgroupRemoveThread(virCgroup *group)
{
    int ret = 0;

    if (!group)
        return 0;
    for (size_t h = 0; h < group->nhier; h++) {
        g_autofree char *dir = hierDir(group, h, NULL);

        if (removeDir(dir) < 0)
            ret = -1;
        group->hier[h].created = false;
    }
    return ret;
}

static int
addTask(virCgroup *group, pid_t pid, bool thread)
{
    g_autofree char *val = g_strdup_printf("%d", (int)pid);

    for (size_t h = 0; h < group->nhier; h++) {
        g_autofree char *file = NULL;

        if (thread || (group->thread && group->hier[h].v2)) {
            /* v2 threaded groups take threads one by one */
            file = hierDir(group, h, group->hier[h].v2 ? "cgroup.threads" : "tasks");
        } else {
            file = hierDir(group, h, "cgroup.procs");
        }
        if (!thread && group->thread && group->hier[h].v2) {
            g_autofree char *taskDir = g_strdup_printf("/proc/%d/task", (int)pid);
            DIR *d = opendir(taskDir);
            struct dirent *ent;

            if (!d) {
                virReportSystemError(errno, "cannot list threads of process %d",
                                     (int)pid);
                return -1;
            }
            while ((ent = readdir(d))) {
                if (ent->d_name[0] == '.')
                    continue;
                if (writeFile(file, ent->d_name) < 0) {
                    closedir(d);
                    return -1;
                }
            }
            closedir(d);
            continue;
        }
        if (writeFile(file, val) < 0)
            return -1;
    }
    return 0;
}

int
virCgroupAddProcess(virCgroup *group, pid_t pid)
{
    return addTask(group, pid, false);
}

int
virCgroupAddThread(virCgroup *group, pid_t tid)
{
    return addTask(group, tid, true);
}

virCgroup *
virCgroupNewMachine(const virCgroupLayout *layout, const char *partition,
                    const char *name, pid_t pid, unsigned int controllers)
{
    g_autofree char *path = g_strdup_printf("%s/%s", partition, name);
    g_autoptr(virCgroup) group = cgroupNew(layout, path, controllers);

    if (group->nhier == 0) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "no cgroup controllers are mounted");
        return NULL;
    }
    for (size_t h = 0; h < group->nhier; h++) {
        g_autofree char *dir = hierDir(group, h, NULL);
        g_autofree char *partDir =
            g_strdup_printf("%s%s", group->hier[h].mount, partition);
        bool created = false;
        bool cpusetV1 = false;

        for (int c = 0; c < VIR_CGROUP_CONTROLLER_LAST; c++) {
            if (group->ctrlHier[c] == (int)h && c == VIR_CGROUP_CONTROLLER_CPUSET &&
                !group->hier[h].v2)
                cpusetV1 = true;
        }
        if (makeDir(group->hier[h].mount, partition, &created) < 0)
            goto error;
        if (group->hier[h].v2 && v2EnableControllers(layout, partDir, controllers) < 0)
            goto error;
        if (cpusetV1 && cpusetInherit(partDir) < 0)
            goto error;
        if (makeDir(group->hier[h].mount, path, &created) < 0)
            goto error;
        group->hier[h].created = created;
        if (group->hier[h].v2 && v2EnableControllers(layout, dir, controllers) < 0)
            goto error;
        if (cpusetV1 && cpusetInherit(dir) < 0)
            goto error;
    }
    if (virCgroupAddProcess(group, pid) < 0)
        goto error;
    g_debug("placed pid %d in cgroup %s (%zu hierarchies)", (int)pid, path, group->nhier);
    return g_steal_pointer(&group);

error:
    cgroupRemoveDirsKeepError(group);
    return NULL;
}

/* Whether /proc/@pid/cgroup puts @pid at @path or below in the hierarchy
 * mounted at @mount: v1 lines name the controllers, the v2 one is "0::". */
static bool
pidInGroup(const virCgroupLayout *layout, const virCgroupHier *hier, const char *path,
           pid_t pid)
{
    g_autofree char *file = g_strdup_printf("/proc/%d/cgroup", (int)pid);
    g_autofree char *data = NULL;
    g_auto(GStrv) lines = NULL;

    if (!g_file_get_contents(file, &data, NULL, NULL))
        return false;
    lines = g_strsplit(data, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        g_auto(GStrv) f = g_strsplit(lines[i], ":", 3);
        bool mine = false;
        size_t plen = strlen(path);

        if (g_strv_length(f) != 3)
            continue;
        if (hier->v2) {
            mine = strcmp(f[0], "0") == 0 && !*f[1];
        } else {
            g_auto(GStrv) ctrls = g_strsplit(f[1], ",", -1);

            for (size_t c = 0; ctrls[c] && !mine; c++) {
                for (int k = 0; k < VIR_CGROUP_CONTROLLER_LAST; k++) {
                    if (strcmp(ctrls[c], controllerNames[k]) == 0 &&
                        layout->backend[k] == VIR_CGROUP_BACKEND_V1 &&
                        strcmp(layout->v1Mount[k], hier->mount) == 0)
                        mine = true;
                }
            }
        }
        if (mine)
            return strncmp(f[2], path, plen) == 0 &&
                   (f[2][plen] == '\0' || f[2][plen] == '/');
    }
    return false;
}

virCgroup *
virCgroupDetectMachine(const virCgroupLayout *layout, const char *partition,
                       const char *name, pid_t pid)
{
    g_autofree char *path = g_strdup_printf("%s/%s", partition, name);
    g_autoptr(virCgroup) group = cgroupNew(layout, path, ~0u);
    size_t found = 0;

    for (size_t h = 0; h < group->nhier; h++) {
        g_autofree char *dir = hierDir(group, h, NULL);

        if (!g_file_test(dir, G_FILE_TEST_IS_DIR))
            continue;
        if (!pidInGroup(layout, &group->hier[h], path, pid)) {
            g_debug("pid %d is not in %s: not adopting its cgroup", (int)pid, dir);
            return NULL;
        }
        group->hier[h].created = true;
        found++;
    }
    if (found == 0)
        return NULL;
    return g_steal_pointer(&group);
}

virCgroup *
virCgroupNewThread(virCgroup *parent, const char *name, bool create)
{
    g_autoptr(virCgroup) group = g_new0(virCgroup, 1);

    group->path = g_strdup_printf("%s/%s", parent->path, name);
    group->thread = true;
    for (int c = 0; c < VIR_CGROUP_CONTROLLER_LAST; c++)
        group->ctrlHier[c] = -1;
    for (size_t h = 0; h < parent->nhier; h++) {
        bool wanted = parent->hier[h].v2;
        size_t n = group->nhier;

        for (int c = 0; c < VIR_CGROUP_CONTROLLER_LAST; c++) {
            if ((THREAD_CONTROLLERS & (1u << c)) && parent->ctrlHier[c] == (int)h)
                wanted = true;
        }
        if (!wanted)
            continue;
        group->hier[n].mount = g_strdup(parent->hier[h].mount);
        group->hier[n].v2 = parent->hier[h].v2;
        for (int c = 0; c < VIR_CGROUP_CONTROLLER_LAST; c++) {
            if ((THREAD_CONTROLLERS & (1u << c)) && parent->ctrlHier[c] == (int)h)
                group->ctrlHier[c] = (int)n;
        }
        group->nhier++;
    }
    if (!create)
        return g_steal_pointer(&group);
    for (size_t h = 0; h < group->nhier; h++) {
        g_autofree char *dir = hierDir(group, h, NULL);
        bool cpusetV1 =
            group->ctrlHier[VIR_CGROUP_CONTROLLER_CPUSET] == (int)h && !group->hier[h].v2;

        if (mkdir(dir, 0755) == 0)
            group->hier[h].created = true;
        else if (errno != EEXIST) {
            virReportSystemError(errno, "Unable to create cgroup '%s'", dir);
            goto error;
        }
        if (group->hier[h].v2) {
            g_autofree char *type = hierDir(group, h, "cgroup.type");
            g_autofree char *cur = NULL;

            if (readOptional(type, &cur) < 0)
                goto error;
            if (strcmp(cur, "threaded") != 0 && writeFile(type, "threaded") < 0)
                goto error;
        }
        if (cpusetV1 && cpusetInherit(dir) < 0)
            goto error;
    }
    return g_steal_pointer(&group);

error:
    cgroupRemoveDirsKeepError(group);
    return NULL;
}

bool
virCgroupHasController(const virCgroup *group, int controller)
{
    if (!group || controller < 0 || controller >= VIR_CGROUP_CONTROLLER_LAST)
        return false;
    return group->ctrlHier[controller] >= 0;
}

const char *
virCgroupGetPath(const virCgroup *group)
{
    return group->path;
}

char *
virCgroupGetControllerDir(const virCgroup *group, int controller)
{
    if (!virCgroupHasController(group, controller))
        return NULL;
    return hierDir(group, (size_t)group->ctrlHier[controller], NULL);
}

/* ---- values --------------------------------------------------------------- */

static int
controllerFile(virCgroup *group, int controller, const char *key, char **path)
{
    if (!virCgroupHasController(group, controller)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "cgroup %s controller is not mounted",
                       controllerNames[controller]);
        return -1;
    }
    *path = hierDir(group, (size_t)group->ctrlHier[controller], key);
    return 0;
}

static bool
isV2(virCgroup *group, int controller)
{
    return virCgroupHasController(group, controller) &&
           group->hier[group->ctrlHier[controller]].v2;
}

int
virCgroupSetValueStr(virCgroup *group, int controller, const char *key, const char *value)
{
    g_autofree char *path = NULL;

    if (controllerFile(group, controller, key, &path) < 0)
        return -1;
    g_debug("set %s = %s", path, value);
    return writeFile(path, value);
}

int
virCgroupGetValueStr(virCgroup *group, int controller, const char *key, char **value)
{
    g_autofree char *path = NULL;

    if (controllerFile(group, controller, key, &path) < 0)
        return -1;
    return readFile(path, value);
}

static int
setULL(virCgroup *group, int controller, const char *key, unsigned long long v)
{
    g_autofree char *s = g_strdup_printf("%llu", v);

    return virCgroupSetValueStr(group, controller, key, s);
}

static int
parseULL(const char *path, const char *s, unsigned long long *v)
{
    char *end = NULL;

    errno = 0;
    *v = strtoull(s, &end, 10);
    if (errno || end == s || (*end && *end != '\n')) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Unable to parse '%s' as an integer", s);
        g_debug("in %s", path);
        return -1;
    }
    return 0;
}

static int
getULL(virCgroup *group, int controller, const char *key, unsigned long long *v)
{
    g_autofree char *s = NULL;

    if (virCgroupGetValueStr(group, controller, key, &s) < 0)
        return -1;
    return parseULL(key, s, v);
}

int
virCgroupSetCpuShares(virCgroup *group, unsigned long long shares)
{
    return setULL(group, VIR_CGROUP_CONTROLLER_CPU,
                  isV2(group, VIR_CGROUP_CONTROLLER_CPU) ? "cpu.weight" : "cpu.shares",
                  shares);
}

int
virCgroupGetCpuShares(virCgroup *group, unsigned long long *shares)
{
    return getULL(group, VIR_CGROUP_CONTROLLER_CPU,
                  isV2(group, VIR_CGROUP_CONTROLLER_CPU) ? "cpu.weight" : "cpu.shares",
                  shares);
}

/* v2 cpu.max: "QUOTA|max PERIOD". */
static int
v2CpuMax(virCgroup *group, long long *quota, unsigned long long *period)
{
    g_autofree char *s = NULL;
    g_auto(GStrv) f = NULL;

    if (virCgroupGetValueStr(group, VIR_CGROUP_CONTROLLER_CPU, "cpu.max", &s) < 0)
        return -1;
    f = g_strsplit(s, " ", -1);
    if (g_strv_length(f) != 2) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Invalid value '%s' from 'cpu.max'", s);
        return -1;
    }
    if (quota) {
        if (strcmp(f[0], "max") == 0) {
            *quota = -1;
        } else {
            unsigned long long q;

            if (parseULL("cpu.max", f[0], &q) < 0)
                return -1;
            *quota = (long long)q;
        }
    }
    if (period && parseULL("cpu.max", f[1], period) < 0)
        return -1;
    return 0;
}

int
virCgroupSetCpuCfsPeriod(virCgroup *group, unsigned long long period)
{
    if (isV2(group, VIR_CGROUP_CONTROLLER_CPU)) {
        long long quota;
        g_autofree char *v = NULL;

        if (v2CpuMax(group, &quota, NULL) < 0)
            return -1;
        v = quota < 0 ? g_strdup_printf("max %llu", period)
                      : g_strdup_printf("%lld %llu", quota, period);
        return virCgroupSetValueStr(group, VIR_CGROUP_CONTROLLER_CPU, "cpu.max", v);
    }
    return setULL(group, VIR_CGROUP_CONTROLLER_CPU, "cpu.cfs_period_us", period);
}

int
virCgroupGetCpuCfsPeriod(virCgroup *group, unsigned long long *period)
{
    if (isV2(group, VIR_CGROUP_CONTROLLER_CPU))
        return v2CpuMax(group, NULL, period);
    return getULL(group, VIR_CGROUP_CONTROLLER_CPU, "cpu.cfs_period_us", period);
}

int
virCgroupSetCpuCfsQuota(virCgroup *group, long long quota)
{
    g_autofree char *v = NULL;

    if (isV2(group, VIR_CGROUP_CONTROLLER_CPU)) {
        v = quota < 0 ? g_strdup("max") : g_strdup_printf("%lld", quota);
        return virCgroupSetValueStr(group, VIR_CGROUP_CONTROLLER_CPU, "cpu.max", v);
    }
    v = g_strdup_printf("%lld", quota < 0 ? -1 : quota);
    return virCgroupSetValueStr(group, VIR_CGROUP_CONTROLLER_CPU, "cpu.cfs_quota_us", v);
}

int
virCgroupGetCpuCfsQuota(virCgroup *group, long long *quota)
{
    g_autofree char *s = NULL;

    if (isV2(group, VIR_CGROUP_CONTROLLER_CPU))
        return v2CpuMax(group, quota, NULL);
    if (virCgroupGetValueStr(group, VIR_CGROUP_CONTROLLER_CPU, "cpu.cfs_quota_us", &s) <
        0)
        return -1;
    *quota = strtoll(s, NULL, 10);
    return 0;
}

/* ---- memory ------------------------------------------------------------- */

/* A v1 limit at or above this many KiB is the kernel's "no limit"
 * (PAGE_COUNTER_MAX pages, 9223372036854771712 bytes on x86_64). */
#define V1_UNLIMITED_KIB (9223372036854771712ULL >> 10)

static int
setMemory(virCgroup *group, const char *v1key, const char *v2key, unsigned long long kib)
{
    g_autofree char *v = NULL;

    if (kib > VIR_CGROUP_MEMORY_UNLIMITED) {
        virReportError(VIR_ERR_INVALID_ARG, "Memory '%llu' must be less than '%llu'", kib,
                       VIR_CGROUP_MEMORY_UNLIMITED + 1);
        return -1;
    }
    if (isV2(group, VIR_CGROUP_CONTROLLER_MEMORY)) {
        v = kib == VIR_CGROUP_MEMORY_UNLIMITED ? g_strdup("max")
                                               : g_strdup_printf("%llu", kib << 10);
        return virCgroupSetValueStr(group, VIR_CGROUP_CONTROLLER_MEMORY, v2key, v);
    }
    v = kib == VIR_CGROUP_MEMORY_UNLIMITED ? g_strdup("-1")
                                           : g_strdup_printf("%llu", kib << 10);
    return virCgroupSetValueStr(group, VIR_CGROUP_CONTROLLER_MEMORY, v1key, v);
}

static int
getMemory(virCgroup *group, const char *v1key, const char *v2key, unsigned long long *kib)
{
    g_autofree char *s = NULL;
    unsigned long long bytes;
    bool v2 = isV2(group, VIR_CGROUP_CONTROLLER_MEMORY);
    const char *key = v2 ? v2key : v1key;

    if (virCgroupGetValueStr(group, VIR_CGROUP_CONTROLLER_MEMORY, key, &s) < 0)
        return -1;
    if (v2 && strcmp(s, "max") == 0) {
        *kib = VIR_CGROUP_MEMORY_UNLIMITED;
        return 0;
    }
    if (parseULL(key, s, &bytes) < 0)
        return -1;
    bytes >>= 10;
    *kib = (!v2 && bytes >= V1_UNLIMITED_KIB) ? VIR_CGROUP_MEMORY_UNLIMITED : bytes;
    return 0;
}

int
virCgroupSetMemoryHardLimit(virCgroup *group, unsigned long long kib)
{
    return setMemory(group, "memory.limit_in_bytes", "memory.max", kib);
}

int
virCgroupGetMemoryHardLimit(virCgroup *group, unsigned long long *kib)
{
    return getMemory(group, "memory.limit_in_bytes", "memory.max", kib);
}

int
virCgroupSetMemorySoftLimit(virCgroup *group, unsigned long long kib)
{
    return setMemory(group, "memory.soft_limit_in_bytes", "memory.high", kib);
}

int
virCgroupGetMemorySoftLimit(virCgroup *group, unsigned long long *kib)
{
    return getMemory(group, "memory.soft_limit_in_bytes", "memory.high", kib);
}

int
virCgroupSetMemSwapHardLimit(virCgroup *group, unsigned long long kib)
{
    return setMemory(group, "memory.memsw.limit_in_bytes", "memory.swap.max", kib);
}

int
virCgroupGetMemSwapHardLimit(virCgroup *group, unsigned long long *kib)
{
    return getMemory(group, "memory.memsw.limit_in_bytes", "memory.swap.max", kib);
}

bool
virCgroupHasMemSwap(virCgroup *group)
{
    g_autofree char *path = NULL;

    if (!virCgroupHasController(group, VIR_CGROUP_CONTROLLER_MEMORY))
        return false;
    path = hierDir(group, (size_t)group->ctrlHier[VIR_CGROUP_CONTROLLER_MEMORY],
                   isV2(group, VIR_CGROUP_CONTROLLER_MEMORY)
                       ? "memory.swap.max"
                       : "memory.memsw.limit_in_bytes");
    return access(path, F_OK) == 0;
}

/* ---- cpuset ----------------------------------------------------------------- */

int
virCgroupSetCpusetCpus(virCgroup *group, const char *cpus)
{
    return virCgroupSetValueStr(group, VIR_CGROUP_CONTROLLER_CPUSET, "cpuset.cpus", cpus);
}

int
virCgroupGetCpusetCpus(virCgroup *group, char **cpus)
{
    return virCgroupGetValueStr(group, VIR_CGROUP_CONTROLLER_CPUSET, "cpuset.cpus", cpus);
}

int
virCgroupSetCpusetMems(virCgroup *group, const char *mems)
{
    return virCgroupSetValueStr(group, VIR_CGROUP_CONTROLLER_CPUSET, "cpuset.mems", mems);
}

int
virCgroupGetCpusetMems(virCgroup *group, char **mems)
{
    return virCgroupGetValueStr(group, VIR_CGROUP_CONTROLLER_CPUSET, "cpuset.mems", mems);
}

/* ---- cpuacct ------------------------------------------------------------------ */

/* "KEY VALUE" lines (cpu.stat, cpuacct.stat). */
static bool
statField(const char *data, const char *key, unsigned long long *v)
{
    g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
    size_t klen = strlen(key);

    for (size_t i = 0; lines[i]; i++) {
        if (strncmp(lines[i], key, klen) == 0 && lines[i][klen] == ' ') {
            *v = strtoull(lines[i] + klen + 1, NULL, 10);
            return true;
        }
    }
    return false;
}

int
virCgroupGetCpuacctUsage(virCgroup *group, unsigned long long *ns)
{
    g_autofree char *s = NULL;
    unsigned long long usec;

    if (!isV2(group, VIR_CGROUP_CONTROLLER_CPUACCT))
        return getULL(group, VIR_CGROUP_CONTROLLER_CPUACCT, "cpuacct.usage", ns);
    if (virCgroupGetValueStr(group, VIR_CGROUP_CONTROLLER_CPUACCT, "cpu.stat", &s) < 0)
        return -1;
    if (!statField(s, "usage_usec", &usec)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "cannot parse cpu usage stat 'usage_usec'");
        return -1;
    }
    *ns = usec * 1000;
    return 0;
}

int
virCgroupGetCpuacctStat(virCgroup *group, unsigned long long *user,
                        unsigned long long *sys)
{
    g_autofree char *s = NULL;
    unsigned long long u, y;
    bool v2 = isV2(group, VIR_CGROUP_CONTROLLER_CPUACCT);
    long hz = sysconf(_SC_CLK_TCK);

    if (virCgroupGetValueStr(group, VIR_CGROUP_CONTROLLER_CPUACCT,
                             v2 ? "cpu.stat" : "cpuacct.stat", &s) < 0)
        return -1;
    if (!statField(s, v2 ? "user_usec" : "user", &u) ||
        !statField(s, v2 ? "system_usec" : "system", &y)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot parse cpu stats from '%s'", s);
        return -1;
    }
    if (v2) {
        *user = u * 1000;
        *sys = y * 1000;
    } else {
        unsigned long long scale =
            1000000000ULL / (unsigned long long)(hz > 0 ? hz : 100);

        *user = u * scale;
        *sys = y * scale;
    }
    return 0;
}

int
virCgroupGetCpuacctPercpuUsage(virCgroup *group, unsigned long long **ns, size_t *n)
{
    g_autofree char *s = NULL;
    g_auto(GStrv) f = NULL;
    g_autofree unsigned long long *vals = NULL;
    size_t count = 0;

    if (isV2(group, VIR_CGROUP_CONTROLLER_CPUACCT)) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                       "operation '%s' not supported for backend '%s'",
                       "getCpuacctPercpuUsage", "cgroup V2");
        return -1;
    }
    if (virCgroupGetValueStr(group, VIR_CGROUP_CONTROLLER_CPUACCT, "cpuacct.usage_percpu",
                             &s) < 0)
        return -1;
    f = g_strsplit(g_strstrip(s), " ", -1);
    vals = g_new0(unsigned long long, g_strv_length(f) + 1);
    for (size_t i = 0; f[i]; i++) {
        if (!*f[i])
            continue;
        vals[count++] = strtoull(f[i], NULL, 10);
    }
    *ns = g_steal_pointer(&vals);
    *n = count;
    return 0;
}

/* ---- blkio ----------------------------------------------------------------------- */

static const char *
blkioWeightKey(virCgroup *group)
{
    bool v2 = isV2(group, VIR_CGROUP_CONTROLLER_BLKIO);
    const char *bfq = v2 ? "io.bfq.weight" : "blkio.bfq.weight";
    const char *cfq = v2 ? "io.weight" : "blkio.weight";
    g_autofree char *p1 =
        hierDir(group, (size_t)group->ctrlHier[VIR_CGROUP_CONTROLLER_BLKIO], bfq);
    g_autofree char *p2 =
        hierDir(group, (size_t)group->ctrlHier[VIR_CGROUP_CONTROLLER_BLKIO], cfq);

    if (access(p1, F_OK) == 0)
        return bfq;
    if (access(p2, F_OK) == 0)
        return cfq;
    virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                   "blkio device weight is valid only for bfq or cfq scheduler");
    return NULL;
}

int
virCgroupSetBlkioWeight(virCgroup *group, unsigned int weight)
{
    const char *key;
    g_autofree char *v = NULL;

    if (!virCgroupHasController(group, VIR_CGROUP_CONTROLLER_BLKIO))
        return virCgroupSetValueStr(group, VIR_CGROUP_CONTROLLER_BLKIO, "blkio.weight",
                                    "");
    if (!(key = blkioWeightKey(group)))
        return -1;
    v = (isV2(group, VIR_CGROUP_CONTROLLER_BLKIO) && strcmp(key, "io.weight") == 0)
            ? g_strdup_printf("default %u", weight)
            : g_strdup_printf("%u", weight);
    return virCgroupSetValueStr(group, VIR_CGROUP_CONTROLLER_BLKIO, key, v);
}

int
virCgroupGetBlkioWeight(virCgroup *group, unsigned int *weight)
{
    const char *key;
    g_autofree char *s = NULL;
    const char *p;

    if (!virCgroupHasController(group, VIR_CGROUP_CONTROLLER_BLKIO))
        return virCgroupGetValueStr(group, VIR_CGROUP_CONTROLLER_BLKIO, "blkio.weight",
                                    &s);
    if (!(key = blkioWeightKey(group)))
        return -1;
    if (virCgroupGetValueStr(group, VIR_CGROUP_CONTROLLER_BLKIO, key, &s) < 0)
        return -1;
    p = strncmp(s, "default ", 8) == 0 ? s + 8 : s;
    *weight = (unsigned int)strtoul(p, NULL, 10);
    return 0;
}
