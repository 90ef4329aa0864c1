/* qemu_command_memory.c: guest memory on the QEMU command line (-m, memory backends, -numa, -overcommit), as libvirt 9.0 builds it */

#define G_LOG_DOMAIN "virtkit.qemu.command"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "qemu_command.h"
#include "qemu_command_memory.h"
#include "qemu_domain_address.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* libvirt's x86 memory size alignment (qemuDomainGetMemorySizeAlignment): 1 MiB */
#define QEMU_MEMORY_ALIGN_KIB 1024ULL

/* The size QEMU is given for @kib (KiB): rounded up to the alignment. */
static unsigned long long
alignKiB(unsigned long long kib)
{
    return (kib + QEMU_MEMORY_ALIGN_KIB - 1) / QEMU_MEMORY_ALIGN_KIB *
           QEMU_MEMORY_ALIGN_KIB;
}

bool
qemuMemoryNeedsDefaultBackend(const virDomainDef *def)
{
    const virDomainMemoryBackingDef *mb = &def->memBacking;

    if (def->nnumaCells)
        return false;
    return mb->nhugepages || mb->source || mb->access || mb->allocation ||
           mb->allocationThreads || mb->discard || mb->nosharepages || mb->locked ||
           def->numatune.set;
}

/* The host's hugetlbfs mount for pages of @kib KiB (0: the host's default
 * size), as libvirt's qemu.conf default finds them (/proc/mounts). A new
 * path or NULL with libvirt's INTERNAL_ERROR. */
static char *
hugepageMountGiven(const char *const *given, unsigned long long kib,
                   unsigned long long *sizeOut)
{
    for (size_t i = 0; given[i]; i++) {
        const char *eq = strrchr(given[i], '=');
        unsigned long long size = eq ? g_ascii_strtoull(eq + 1, NULL, 10) : 0;

        if (!eq || (kib && size != kib))
            continue;
        *sizeOut = size;
        return g_strndup(given[i], eq - given[i]);
    }
    if (!given[0])
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "hugetlbfs filesystem is not mounted or disabled by administrator "
                       "config");
    else
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Unable to find any usable hugetlbfs mount for %llu KiB", kib);
    return NULL;
}

static char *
hugepageMount(const qemuCommandOptions *opts, unsigned long long kib,
              unsigned long long *sizeOut)
{
    g_autofree char *mounts = NULL;
    g_autofree char *meminfo = NULL;
    g_auto(GStrv) lines = NULL;
    unsigned long long dflt = 0;
    char *first = NULL;
    unsigned long long firstSize = 0;
    bool any = false;

    if (opts->hugetlbfs)
        return hugepageMountGiven(opts->hugetlbfs, kib, sizeOut);
    if (g_file_get_contents("/proc/meminfo", &meminfo, NULL, NULL)) {
        const char *p = strstr(meminfo, "Hugepagesize:");

        if (p)
            dflt = g_ascii_strtoull(p + strlen("Hugepagesize:"), NULL, 10);
    }
    if (g_file_get_contents("/proc/mounts", &mounts, NULL, NULL))
        lines = g_strsplit(mounts, "\n", -1);
    for (size_t i = 0; lines && lines[i]; i++) {
        g_auto(GStrv) f = g_strsplit(lines[i], " ", 5);
        unsigned long long size = dflt;
        const char *ps;

        if (g_strv_length(f) < 4 || strcmp(f[2], "hugetlbfs") != 0)
            continue;
        if ((ps = strstr(f[3], "pagesize="))) {
            char *end = NULL;

            size = g_ascii_strtoull(ps + strlen("pagesize="), &end, 10);
            if (end && (*end == 'G' || *end == 'g'))
                size *= 1024 * 1024;
            else if (end && (*end == 'M' || *end == 'm'))
                size *= 1024;
            else if (end && (*end == 'K' || *end == 'k'))
                ;
            else
                size /= 1024;
        }
        any = true;
        if ((kib == 0 && size == dflt) || (kib && size == kib)) {
            g_free(first);
            *sizeOut = size;
            return g_strdup(f[1]);
        }
        if (!first) {
            first = g_strdup(f[1]);
            firstSize = size;
        }
    }
    if (!any) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "hugetlbfs filesystem is not mounted or disabled by administrator "
                       "config");
        return NULL;
    }
    if (kib == 0) {
        /* no mount of the default size: libvirt takes the first one */
        *sizeOut = firstSize;
        return first;
    }
    g_free(first);
    virReportError(VIR_ERR_INTERNAL_ERROR,
                   "Unable to find any usable hugetlbfs mount for %llu KiB", kib);
    return NULL;
}

/* libvirt's virNumaNodesetIsAvailable: CONFIG_UNSUPPORTED (domain NONE)
 * "NUMA node N is unavailable" for the first host node of @nodeset this
 * host lacks. */
static bool
hostNodesetAvailable(const char *nodeset)
{
    g_autofree unsigned char *map = NULL;
    size_t maplen = 0;

    if (!nodeset || !(map = virDomainCpulistParse(nodeset, 1024, &maplen)))
        return true;
    for (size_t b = 0; b < maplen * 8; b++) {
        g_autofree char *path = NULL;

        if (!(map[b / 8] & (1u << (b % 8))))
            continue;
        path = g_strdup_printf("/sys/devices/system/node/node%zu", b);
        if (access(path, F_OK) == 0)
            continue;
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_CONFIG_UNSUPPORTED, __func__,
                           "NUMA node %zu is unavailable", b);
        return false;
    }
    return true;
}

static const char *
numaPolicy(int mode)
{
    switch (mode) {
    case VIR_DOMAIN_NUMATUNE_MEM_PREFERRED:
        return "preferred";
    case VIR_DOMAIN_NUMATUNE_MEM_INTERLEAVE:
        return "interleave";
    case VIR_DOMAIN_NUMATUNE_MEM_RESTRICTIVE:
        return "restrictive";
    default:
        return "bind";
    }
}

/* '[0,2,3]' of a node list */
static void
appendNodeArray(GString *s, const char *nodeset)
{
    g_autofree unsigned char *map = NULL;
    size_t maplen = 0;
    bool first = true;

    g_string_append_c(s, '[');
    if (nodeset && (map = virDomainCpulistParse(nodeset, 1024, &maplen))) {
        for (size_t b = 0; b < maplen * 8; b++) {
            if (!(map[b / 8] & (1u << (b % 8))))
                continue;
            g_string_append_printf(s, "%s%zu", first ? "" : ",", b);
            first = false;
        }
    }
    g_string_append_c(s, ']');
}

bool
qemuMemoryBackendIsFile(const virDomainDef *def, gssize cell)
{
    const virDomainMemoryBackingDef *mb = &def->memBacking;
    int access = cell >= 0 ? def->numaCells[cell].memAccess : 0;
    bool hp = false;
    unsigned long long page = virDomainMemoryBackingPageSize(def, cell, &hp);
    long sys = sysconf(_SC_PAGESIZE) / 1024;

    if (hp && page == (unsigned long long)sys)
        hp = false;
    if (!access)
        access = mb->access;
    if (mb->source == VIR_DOMAIN_MEMORY_SOURCE_MEMFD)
        return false;
    return hp || access || mb->source == VIR_DOMAIN_MEMORY_SOURCE_FILE;
}

/* One backend (libvirt's qemuBuildMemoryBackendProps for a guest cell, or
 * for the machine's own RAM with @cell -1 and @alias "pc.ram"), and the
 * thread-context libvirt puts before it when it preallocates bound memory. */
static int
buildBackend(GPtrArray *a, const virDomainDef *def, gssize cell, const char *alias,
             unsigned long long kib, const qemuCommandOptions *opts, int memFd)
{
    const virDomainMemoryBackingDef *mb = &def->memBacking;
    const virDomainNumaCell *c = cell >= 0 ? &def->numaCells[cell] : NULL;
    g_autoptr(GString) s = g_string_new("{\"qom-type\":");
    g_autofree char *memPath = NULL;
    g_autofree char *tcAlias = NULL;
    int access = c && c->memAccess ? c->memAccess : mb->access;
    int discard =
        c && c->discard ? c->discard : (mb->discard ? VIR_DOMAIN_TRISTATE_ON : 0);
    const char *nodeset = NULL;
    int mode = VIR_DOMAIN_NUMATUNE_MEM_STRICT;
    bool hp = false;
    unsigned long long page = virDomainMemoryBackingPageSize(def, cell, &hp);
    long sys = sysconf(_SC_PAGESIZE) / 1024;
    bool prealloc = mb->allocation == VIR_DOMAIN_MEMORY_ALLOCATION_IMMEDIATE;
    bool system = cell < 0;

    if (hp && page == (unsigned long long)sys)
        hp = false;
    if (hp)
        prealloc = true;

    if (c && c->memnodeNodeset) {
        nodeset = c->memnodeNodeset;
        mode = c->memnodeMode;
    } else if (def->numatune.set && !def->numatune.autoPlace) {
        nodeset = def->numatune.nodeset;
        mode = def->numatune.mode;
    }
    if (nodeset && !hostNodesetAvailable(nodeset))
        return -1;

    if (mb->source == VIR_DOMAIN_MEMORY_SOURCE_MEMFD) {
        g_string_append(s, "\"memory-backend-memfd\",\"id\":");
        qemuMemoryJSONString(s, alias);
        if (hp) {
            if (page == 0) {
                g_autofree char *mnt = hugepageMount(opts, 0, &page);

                if (!mnt)
                    return -1;
            }
            g_string_append_printf(s, ",\"hugetlb\":true,\"hugetlbsize\":%llu",
                                   page << 10);
        }
    } else if (qemuMemoryBackendIsFile(def, cell)) {
        g_string_append(s, "\"memory-backend-file\",\"id\":");
        qemuMemoryJSONString(s, alias);
        if (hp) {
            unsigned long long found = 0;

            /* QEMU makes (and unlinks) its file in the mount */
            if (!(memPath = hugepageMount(opts, page, &found)))
                return -1;
        } else if (memFd >= 0) {
            /* a file the driver made for this run, owned by QEMU's user */
            memPath = g_strdup_printf("/proc/self/fd/%d", memFd);
        } else {
            memPath = g_strdup_printf(
                "%s/%s", opts->memoryDir ? opts->memoryDir : "/var/lib/virtkit/qemu/ram",
                alias);
        }
        g_string_append(s, ",\"mem-path\":");
        qemuMemoryJSONString(s, memPath);
        if (discard)
            g_string_append_printf(s, ",\"discard-data\":%s",
                                   discard == VIR_DOMAIN_TRISTATE_ON ? "true" : "false");
    } else {
        g_string_append(s, "\"memory-backend-ram\",\"id\":");
        qemuMemoryJSONString(s, alias);
    }
    if (mb->source == VIR_DOMAIN_MEMORY_SOURCE_MEMFD ||
        qemuMemoryBackendIsFile(def, cell)) {
        if (access)
            g_string_append_printf(s, ",\"share\":%s",
                                   access == VIR_DOMAIN_MEMORY_ACCESS_SHARED ? "true"
                                                                             : "false");
        /* the machine's own RAM keeps the ramblock id '-m' gives it */
        if (system)
            g_string_append(s, ",\"x-use-canonical-path-for-ramblock-id\":false");
    }
    if (prealloc)
        g_string_append(s, ",\"prealloc\":true");
    if (mb->allocationThreads)
        g_string_append_printf(s, ",\"prealloc-threads\":%u", mb->allocationThreads);
    g_string_append_printf(s, ",\"size\":%llu", kib * 1024);
    if (nodeset && mode != VIR_DOMAIN_NUMATUNE_MEM_RESTRICTIVE) {
        g_string_append(s, ",\"host-nodes\":");
        appendNodeArray(s, nodeset);
        g_string_append_printf(s, ",\"policy\":\"%s\"", numaPolicy(mode));
        if (prealloc) {
            g_autoptr(GString) tc = g_string_new(NULL);

            tcAlias = g_strdup_printf("tc-%s", alias);
            g_string_append_printf(tc,
                                   "{\"qom-type\":\"thread-context\",\"id\":\"%s\","
                                   "\"node-affinity\":",
                                   tcAlias);
            appendNodeArray(tc, nodeset);
            g_string_append_c(tc, '}');
            g_ptr_array_add(a, g_strdup("-object"));
            g_ptr_array_add(a, g_string_free(g_steal_pointer(&tc), FALSE));
            g_string_append_printf(s, ",\"prealloc-context\":\"%s\"", tcAlias);
        }
    }
    g_string_append_c(s, '}');
    g_ptr_array_add(a, g_strdup("-object"));
    g_ptr_array_add(a, g_string_free(g_steal_pointer(&s), FALSE));
    return 0;
}

void
qemuMemoryJSONString(GString *buf, const char *str)
{
    g_string_append_c(buf, '"');
    for (const unsigned char *p = (const unsigned char *)str; *p; p++) {
        if (*p == '"' || *p == '\\')
            g_string_append_printf(buf, "\\%c", *p);
        else if (*p < 0x20)
            g_string_append_printf(buf, "\\u%04x", *p);
        else
            g_string_append_c(buf, *p);
    }
    g_string_append_c(buf, '"');
}

unsigned long long
qemuMemoryInitialKiB(const virDomainDef *def)
{
    unsigned long long sum = 0;

    if (!def->nnumaCells)
        return def->memory;
    for (size_t i = 0; i < def->nnumaCells; i++)
        sum += alignKiB(def->numaCells[i].memory);
    return sum;
}

static int
memFdFor(const qemuCommandOptions *opts, size_t idx)
{
    return opts->fds.memFds && idx < opts->fds.nmemFds ? opts->fds.memFds[idx] : -1;
}

int
qemuBuildMemoryArgs(GPtrArray *a, const virDomainDef *def, const qemuCommandOptions *opts)
{
    g_ptr_array_add(a, g_strdup("-m"));
    if (def->maxMemory && def->memorySlots)
        g_ptr_array_add(a, g_strdup_printf("size=%lluk,slots=%u,maxmem=%lluk",
                                           qemuMemoryInitialKiB(def), def->memorySlots,
                                           alignKiB(def->maxMemory)));
    else
        g_ptr_array_add(a, g_strdup_printf("size=%lluk", qemuMemoryInitialKiB(def)));
    if (qemuMemoryNeedsDefaultBackend(def) &&
        buildBackend(a, def, -1, "pc.ram", def->memory, opts, memFdFor(opts, 0)) < 0)
        return -1;
    if (def->memBacking.locked) {
        g_ptr_array_add(a, g_strdup("-overcommit"));
        g_ptr_array_add(a, g_strdup("mem-lock=on"));
    }
    return 0;
}

int
qemuBuildNumaArgs(GPtrArray *a, const virDomainDef *def, const qemuCommandOptions *opts)
{
    if (!def->nnumaCells)
        return 0;
    /* libvirt checks every host node numatune names first */
    if (def->numatune.set && !hostNodesetAvailable(def->numatune.nodeset))
        return -1;
    for (size_t i = 0; i < def->nnumaCells; i++) {
        if (!hostNodesetAvailable(def->numaCells[i].memnodeNodeset))
            return -1;
    }
    for (size_t i = 0; i < def->nnumaCells; i++) {
        const virDomainNumaCell *c = &def->numaCells[i];
        g_autofree char *alias = g_strdup_printf("ram-node%zu", i);
        g_autoptr(GString) n = g_string_new(NULL);

        if (buildBackend(a, def, (gssize)i, alias, alignKiB(c->memory), opts,
                         memFdFor(opts, i)) < 0)
            return -1;
        g_string_append_printf(n, "node,nodeid=%zu", i);
        if (c->cpus) {
            /* QEMU's option syntax takes one range per cpus= */
            g_auto(GStrv) ranges = g_strsplit(c->cpus, ",", -1);

            for (size_t r = 0; ranges[r]; r++)
                g_string_append_printf(n, ",cpus=%s", ranges[r]);
        }
        g_string_append_printf(n, ",memdev=%s", alias);
        g_ptr_array_add(a, g_strdup("-numa"));
        g_ptr_array_add(a, g_string_free(g_steal_pointer(&n), FALSE));
    }
    if (virDomainNumaHasDistances(def)) {
        for (size_t i = 0; i < def->nnumaCells; i++) {
            for (size_t j = 0; j < def->nnumaCells; j++) {
                g_ptr_array_add(a, g_strdup("-numa"));
                g_ptr_array_add(a, g_strdup_printf("dist,src=%zu,dst=%zu,val=%u", i, j,
                                                   virDomainNumaDistance(def, i, j)));
            }
        }
    }
    return 0;
}

void
qemuAppendMemoryMachineProps(GString *machine, const virDomainDef *def)
{
    if (def->memBacking.nosharepages)
        g_string_append(machine, ",mem-merge=off");
    if (qemuMemoryHasNVDIMM(def))
        g_string_append(machine, ",nvdimm=on");
    if (qemuMemoryNeedsDefaultBackend(def))
        g_string_append(machine, ",memory-backend=pc.ram");
}

static bool memoryDeviceNeedsFile(const virDomainDef *def, const virDomainMemoryDef *mem);

size_t
qemuMemoryFileBackends(const virDomainDef *def, char ***aliases)
{
    g_autoptr(GPtrArray) out = g_ptr_array_new();
    bool hp = false;
    size_t n;

    if (def->nnumaCells) {
        for (size_t i = 0; i < def->nnumaCells; i++) {
            virDomainMemoryBackingPageSize(def, (gssize)i, &hp);
            g_ptr_array_add(out, qemuMemoryBackendIsFile(def, (gssize)i) && !hp
                                     ? g_strdup_printf("ram-node%zu", i)
                                     : NULL);
        }
    } else if (qemuMemoryNeedsDefaultBackend(def)) {
        virDomainMemoryBackingPageSize(def, -1, &hp);
        g_ptr_array_add(out, qemuMemoryBackendIsFile(def, -1) && !hp ? g_strdup("pc.ram")
                                                                     : NULL);
    }
    /* then the memory devices, in their order */
    for (size_t i = 0; i < def->nmems; i++)
        g_ptr_array_add(out, memoryDeviceNeedsFile(def, def->mems[i])
                                 ? qemuMemoryDeviceAlias(def, def->mems[i])
                                 : NULL);
    n = out->len;
    *aliases = n ? (char **)g_ptr_array_free(g_steal_pointer(&out), FALSE) : NULL;
    return n;
}

/* ---- memory devices (<devices><memory>) ---------------------------------- */

/* The id prefix libvirt gives a memory device's alias and backend. */
static const char *
memoryDevicePrefix(int model)
{
    switch (model) {
    case VIR_DOMAIN_MEMORY_MODEL_DIMM:
        return "dimm";
    case VIR_DOMAIN_MEMORY_MODEL_NVDIMM:
        return "nvdimm";
    case VIR_DOMAIN_MEMORY_MODEL_VIRTIO_PMEM:
        return "virtiopmem";
    case VIR_DOMAIN_MEMORY_MODEL_VIRTIO_MEM:
        return "virtiomem";
    default:
        return "mem";
    }
}

char *
qemuMemoryDeviceAlias(const virDomainDef *def, const virDomainMemoryDef *mem)
{
    const char *prefix = memoryDevicePrefix(mem->model);
    size_t idx = 0;

    /* one a hotplug gave it (the start clears them first) */
    if (mem->alias)
        return g_strdup(mem->alias);
    if (mem->dimmAddr)
        return g_strdup_printf("%s%u", prefix, mem->dimmSlot);
    for (size_t i = 0; i < def->nmems && def->mems[i] != mem; i++) {
        if (def->mems[i]->model == mem->model)
            idx++;
    }
    return g_strdup_printf("%s%zu", prefix, idx);
}

bool
qemuMemoryHasNVDIMM(const virDomainDef *def)
{
    for (size_t i = 0; i < def->nmems; i++) {
        if (def->mems[i]->model == VIR_DOMAIN_MEMORY_MODEL_NVDIMM)
            return true;
    }
    return false;
}

static unsigned long long
alignModuleKiB(unsigned long long kib)
{
    /* libvirt: memory modules are 2 MiB aligned on x86 */
    return (kib + 2047) / 2048 * 2048;
}

static void
appendPCIProps(GString *s, const virDomainDef *def, const virDomainDeviceAddress *addr)
{
    g_autofree char *bus = NULL;

    if (addr->type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI ||
        virDomainDeviceAddressIsEmptyPCI(addr))
        return;
    bus = qemuDomainPCIBusName(def, addr->bus);
    g_string_append_printf(s, ",bus=%s", bus);
    if (addr->function)
        g_string_append_printf(s, ",addr=0x%x.0x%x", addr->slot, addr->function);
    else
        g_string_append_printf(s, ",addr=0x%x", addr->slot);
}

/* What libvirt's qemuBuildMemoryBackendProps settles for a memory
 * device's backend, before it is written */
typedef struct {
    int access;  /* virDomainMemoryAccess */
    int discard; /* virDomainTristate */
    const char *nodeset;
    int mode;                /* virDomainNumatuneMemMode */
    unsigned long long page; /* KiB of its huge pages (0: the host's default) */
    bool hugepages;
    bool prealloc;
    int source; /* virDomainMemorySource of its backend: FILE, MEMFD or NONE (RAM) */
} memoryDeviceBacking;

static void
memoryDeviceBackingGet(const virDomainDef *def, const virDomainMemoryDef *mem,
                       memoryDeviceBacking *b)
{
    const virDomainMemoryBackingDef *mb = &def->memBacking;
    const virDomainNumaCell *c =
        mem->targetNode >= 0 && (size_t)mem->targetNode < def->nnumaCells
            ? &def->numaCells[mem->targetNode]
            : NULL;
    long sys = sysconf(_SC_PAGESIZE) / 1024;

    memset(b, 0, sizeof(*b));
    /* the device's own, else its guest cell's, else <memoryBacking>'s */
    b->access = mem->access ? mem->access : c && c->memAccess ? c->memAccess : mb->access;
    b->discard = mem->discard == 1   ? VIR_DOMAIN_TRISTATE_ON
                 : mem->discard == 2 ? VIR_DOMAIN_TRISTATE_OFF
                 : c && c->discard   ? c->discard
                 : mb->discard       ? VIR_DOMAIN_TRISTATE_ON
                                     : 0;
    b->mode = VIR_DOMAIN_NUMATUNE_MEM_STRICT;
    if (c && c->memnodeNodeset) {
        b->nodeset = c->memnodeNodeset;
        b->mode = c->memnodeMode;
    } else if (def->numatune.set && !def->numatune.autoPlace) {
        b->nodeset = def->numatune.nodeset;
        b->mode = def->numatune.mode;
    }
    if (mem->sourceNodes)
        b->nodeset = mem->sourceNodes;
    /* libvirt's qemuBuildMemoryGetPagesize: its <pagesize>, else the
     * <hugepages> page of its guest node, else the one for every node; the
     * system's page size means none */
    if (mem->pagesize) {
        b->page = mem->pagesize;
        b->hugepages = true;
    } else {
        b->page = virDomainMemoryBackingPageSize(def, mem->targetNode, &b->hugepages);
    }
    if (b->hugepages && b->page == (unsigned long long)sys) {
        b->page = 0;
        b->hugepages = false;
    }
    b->prealloc = mb->allocation == VIR_DOMAIN_MEMORY_ALLOCATION_IMMEDIATE;
    if (mem->path) {
        /* a real device (pmem) or virtio-pmem has nothing to preallocate */
        if (!mem->pmem && mem->model != VIR_DOMAIN_MEMORY_MODEL_VIRTIO_PMEM)
            b->prealloc = true;
    } else if (b->hugepages) {
        b->prealloc = true;
    }
    if (!mem->path && mb->source == VIR_DOMAIN_MEMORY_SOURCE_MEMFD)
        b->source = VIR_DOMAIN_MEMORY_SOURCE_MEMFD;
    else if (b->hugepages || mem->path || b->access ||
             mb->source == VIR_DOMAIN_MEMORY_SOURCE_FILE)
        b->source = VIR_DOMAIN_MEMORY_SOURCE_FILE;
}

/* A memory-backend-file in a file the driver makes (not the device's
 * own <path>, not hugetlbfs) */
static bool
memoryDeviceNeedsFile(const virDomainDef *def, const virDomainMemoryDef *mem)
{
    memoryDeviceBacking b;

    memoryDeviceBackingGet(def, mem, &b);
    return b.source == VIR_DOMAIN_MEMORY_SOURCE_FILE && !mem->path && !b.hugepages;
}

/* The "-object" of a memory device's backend (libvirt's
 * qemuBuildMemoryBackendProps with force, its key order), and the
 * thread-context libvirt puts before it when it preallocates on given
 * host nodes */
static int
buildDeviceBackend(GPtrArray *a, const virDomainDef *def, const virDomainMemoryDef *mem,
                   const char *memdev, const memoryDeviceBacking *b,
                   const qemuCommandOptions *opts, int memFd)
{
    g_autoptr(GString) s = g_string_new("{\"qom-type\":");
    g_autofree char *memPath = NULL;
    bool virtioMem = mem->model == VIR_DOMAIN_MEMORY_MODEL_VIRTIO_MEM;
    unsigned long long page = b->page;
    qemuCommandOptions none = { .hugetlbfs = NULL };
    bool hotplug = !opts;

    if (hotplug)
        opts = &none;
    if (b->nodeset && !hostNodesetAvailable(b->nodeset))
        return -1;
    switch (b->source) {
    case VIR_DOMAIN_MEMORY_SOURCE_MEMFD:
        g_string_append(s, "\"memory-backend-memfd\",\"id\":");
        qemuMemoryJSONString(s, memdev);
        if (b->hugepages) {
            if (page == 0) {
                g_autofree char *mnt = hugepageMount(opts, 0, &page);

                if (!mnt)
                    return -1;
            }
            g_string_append_printf(s, ",\"hugetlb\":true,\"hugetlbsize\":%llu",
                                   page << 10);
        }
        break;
    case VIR_DOMAIN_MEMORY_SOURCE_FILE:
        g_string_append(s, "\"memory-backend-file\",\"id\":");
        qemuMemoryJSONString(s, memdev);
        if (mem->path) {
            memPath = g_strdup(mem->path);
        } else if (b->hugepages) {
            unsigned long long found = 0;

            if (!(memPath = hugepageMount(opts, page, &found)))
                return -1;
        } else if (memFd >= 0) {
            memPath = g_strdup_printf("/proc/self/fd/%d", memFd);
        } else if (opts->memoryDir) {
            /* libvirt's memory backing directory: the device's alias */
            memPath = g_strdup_printf("%s/%s", opts->memoryDir, memdev + strlen("mem"));
        } else {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "hotplug of a memory device backed by a file of the driver's "
                           "is not supported by virtkit");
            return -1;
        }
        g_string_append(s, ",\"mem-path\":");
        qemuMemoryJSONString(s, memPath);
        if (!mem->path && b->discard)
            g_string_append_printf(s, ",\"discard-data\":%s",
                                   b->discard == VIR_DOMAIN_TRISTATE_ON ? "true"
                                                                        : "false");
        break;
    default:
        g_string_append(s, "\"memory-backend-ram\",\"id\":");
        qemuMemoryJSONString(s, memdev);
        break;
    }
    if (b->source != VIR_DOMAIN_MEMORY_SOURCE_NONE && b->access)
        g_string_append_printf(s, ",\"share\":%s",
                               b->access == VIR_DOMAIN_MEMORY_ACCESS_SHARED ? "true"
                                                                            : "false");
    if (virtioMem) {
        /* QEMU 7.2's virtio-mem-pci preallocates itself (its prealloc) */
        g_string_append(s, ",\"reserve\":false");
    } else {
        if (b->prealloc)
            g_string_append(s, ",\"prealloc\":true");
        if (def->memBacking.allocationThreads)
            g_string_append_printf(s, ",\"prealloc-threads\":%u",
                                   def->memBacking.allocationThreads);
    }
    g_string_append_printf(s, ",\"size\":%llu", alignModuleKiB(mem->size) * 1024);
    if (mem->alignsize)
        g_string_append_printf(s, ",\"align\":%llu", mem->alignsize * 1024);
    if (mem->pmem)
        g_string_append(s, ",\"pmem\":true");
    if (b->nodeset && b->mode != VIR_DOMAIN_NUMATUNE_MEM_RESTRICTIVE) {
        g_string_append(s, ",\"host-nodes\":");
        appendNodeArray(s, b->nodeset);
        g_string_append_printf(s, ",\"policy\":\"%s\"", numaPolicy(b->mode));
        /* at start only: at hotplug QEMU's sandbox (resourcecontrol=deny)
         * refuses the thread-context's CPU affinity */
        if (b->prealloc && !virtioMem && !hotplug) {
            g_autoptr(GString) tc = g_string_new(NULL);

            g_string_append_printf(tc,
                                   "{\"qom-type\":\"thread-context\",\"id\":\"tc-%s\","
                                   "\"node-affinity\":",
                                   memdev);
            appendNodeArray(tc, b->nodeset);
            g_string_append_c(tc, '}');
            g_ptr_array_add(a, g_strdup("-object"));
            g_ptr_array_add(a, g_string_free(g_steal_pointer(&tc), FALSE));
            g_string_append_printf(s, ",\"prealloc-context\":\"tc-%s\"", memdev);
        }
    }
    g_string_append_c(s, '}');
    g_ptr_array_add(a, g_strdup("-object"));
    g_ptr_array_add(a, g_string_free(g_steal_pointer(&s), FALSE));
    return 0;
}

int
qemuBuildMemoryDeviceProps(GPtrArray *a, const virDomainDef *def,
                           const virDomainMemoryDef *mem, const qemuCommandOptions *opts,
                           int memFd)
{
    g_autofree char *alias = qemuMemoryDeviceAlias(def, mem);
    g_autofree char *memdev = g_strdup_printf("mem%s", alias);
    g_autoptr(GString) dev = g_string_new(NULL);
    memoryDeviceBacking b;

    memoryDeviceBackingGet(def, mem, &b);
    if (buildDeviceBackend(a, def, mem, memdev, &b, opts, memFd) < 0)
        return -1;
    switch (mem->model) {
    case VIR_DOMAIN_MEMORY_MODEL_DIMM:
    case VIR_DOMAIN_MEMORY_MODEL_NVDIMM:
        g_string_append_printf(dev, "%s,node=%d",
                               mem->model == VIR_DOMAIN_MEMORY_MODEL_DIMM ? "pc-dimm"
                                                                          : "nvdimm",
                               mem->targetNode < 0 ? 0 : mem->targetNode);
        if (mem->labelsize)
            g_string_append_printf(dev, ",label-size=%llu", mem->labelsize * 1024);
        if (mem->readonly)
            g_string_append(dev, ",unarmed=on");
        g_string_append_printf(dev, ",memdev=%s,id=%s,slot=%u", memdev, alias,
                               mem->dimmSlot);
        if (mem->dimmBase)
            g_string_append_printf(dev, ",addr=%llu", mem->dimmBase);
        break;
    case VIR_DOMAIN_MEMORY_MODEL_VIRTIO_MEM:
        g_string_append_printf(dev, "virtio-mem-pci,node=%d,block-size=%llu",
                               mem->targetNode < 0 ? 0 : mem->targetNode,
                               mem->blocksize * 1024);
        /* libvirt leaves a zero requested size out (QEMU's default) */
        if (mem->requestedsize)
            g_string_append_printf(dev, ",requested-size=%llu",
                                   mem->requestedsize * 1024);
        g_string_append_printf(dev, ",memdev=%s", memdev);
        if (b.prealloc)
            g_string_append(dev, ",prealloc=on");
        g_string_append_printf(dev, ",id=%s", alias);
        appendPCIProps(dev, def, &mem->addr);
        break;
    case VIR_DOMAIN_MEMORY_MODEL_VIRTIO_PMEM:
        g_string_append_printf(dev, "virtio-pmem-pci,memdev=%s,id=%s", memdev, alias);
        appendPCIProps(dev, def, &mem->addr);
        break;
    default:
        return -1;
    }
    g_ptr_array_add(a, g_strdup("-device"));
    g_ptr_array_add(a, g_string_free(g_steal_pointer(&dev), FALSE));
    return 0;
}

int
qemuBuildMemoryDeviceArgs(GPtrArray *a, const virDomainDef *def,
                          const qemuCommandOptions *opts)
{
    /* the driver's files: after those of the cells (qemuMemoryFileBackends) */
    size_t base = def->nnumaCells                      ? def->nnumaCells
                  : qemuMemoryNeedsDefaultBackend(def) ? 1
                                                       : 0;

    for (size_t i = 0; i < def->nmems; i++) {
        if (qemuBuildMemoryDeviceProps(a, def, def->mems[i], opts,
                                       memFdFor(opts, base + i)) < 0)
            return -1;
    }
    return 0;
}
