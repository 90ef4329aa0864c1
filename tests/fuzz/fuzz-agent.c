/* fuzz-agent.c: libFuzzer target, what a guest agent sends back as qemu_agent.c splits and reads it */

/*
 * Input: the bytes a guest agent wrote on its channel (the seeds are
 * replies of Debian's qemu-ga 7.2: tests/data/fuzz/agent/), fed to
 * qemuAgentTakeReply in pieces as the socket would deliver them, once as a
 * guest-sync answer (id 1234: its syncing read) and once as a command's
 * reply.
 *
 * Checks, besides ASan/UBSan and leaks: a reply taken is an object with
 * "return" or "error"; a refusal (a line over QEMU_AGENT_MAX_LINE) leaves
 * a libvirt-style error; the buffer only ever shrinks from the front.
 * Each reply's "return" is then read by every reader of qemu_agent_info.c
 * (filesystems, disks, users, OS, time zone, interfaces, vCPUs, SSH keys) against a
 * definition with a virtio disk and a SCSI disk: a refusal leaves a
 * libvirt-style error and adds no parameter, a success only well-formed
 * ones.
 */

#include "qemu_agent.h"
#include "qemu_agent_info.h"
#include "datatypes.h"
#include "fuzz-common.h"

static const int agentDomains[] = { VIR_FROM_QEMU, -1 };

/* vda: virtio at 0000:00:04.0; sda: drive 0:0:0:1 on the SCSI controller
 * at 0000:00:05.0 */
static virDomainDef *
fuzzAgentDef(void)
{
    static virDomainDiskDef vda = {
        .dst = (char *)"vda",
        .addr = { .type = VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI, .slot = 4 },
    };
    static virDomainDiskDef sda = {
        .dst = (char *)"sda",
        .addr = { .type = VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE, .unit = 1 },
    };
    static virDomainControllerDef scsi = {
        .type = VIR_DOMAIN_CONTROLLER_TYPE_SCSI,
        .addr = { .type = VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI, .slot = 5 },
    };
    static virDomainDiskDef *disks[] = { &vda, &sda };
    static virDomainControllerDef *controllers[] = { &scsi };
    static virDomainDef def;

    def.disks = disks;
    def.ndisks = G_N_ELEMENTS(disks);
    def.controllers = controllers;
    def.ncontrollers = G_N_ELEMENTS(controllers);
    return &def;
}

/* every parameter a reader added has a field and, for strings, a value */
static void
fuzzAgentCheckParams(virTypedParamList *list, size_t before, bool ok, const char *what)
{
    if (!ok) {
        FUZZ_CHECK(list->npar == before, "%s added parameters and failed", what);
        fuzzCheckError(what, agentDomains);
        return;
    }
    for (size_t i = before; i < list->npar; i++) {
        FUZZ_CHECK(list->par[i].field[0] != '\0', "%s: a parameter without a name", what);
        if (list->par[i].type == VIR_TYPED_PARAM_STRING)
            FUZZ_CHECK(list->par[i].value.s != NULL, "%s: a NULL string", what);
    }
}

static void
fuzzAgentRead(json_object *reply)
{
    const virDomainDef *def = fuzzAgentDef();
    g_autoptr(virTypedParamList) list = virTypedParamListNew();
    qemuAgentFSInfo **fs = NULL;
    virDomainInterfacePtr *ifaces = NULL;
    size_t before;
    int n;

    virResetLastError();
    n = qemuAgentFSInfoParse(reply, &fs);
    if (n < 0) {
        fuzzCheckError("guest-get-fsinfo", agentDomains);
        FUZZ_CHECK(fs == NULL, "a refused fsinfo left a list");
    }
    for (int i = 0; i < n; i++) {
        virDomainFSInfoPtr pub = qemuAgentFSInfoToPublic(fs[i], def);

        FUZZ_CHECK(pub->ndevAlias <= fs[i]->ndisks, "more aliases than disks");
        virDomainFSInfoFreeInternal(pub);
    }
    if (n > 0) {
        before = list->npar;
        qemuAgentFSInfoParams(fs, n, def, list);
        fuzzAgentCheckParams(list, before, true, "fs params");
    }
    qemuAgentFSInfoListFree(fs, n);

#define READ(what, call)                                       \
    do {                                                       \
        virResetLastError();                                   \
        before = list->npar;                                   \
        fuzzAgentCheckParams(list, before, (call) == 0, what); \
    } while (0)
    READ("guest-get-users", qemuAgentUsersParams(reply, list));
    READ("guest-get-osinfo", qemuAgentOSInfoParams(reply, list));
    READ("guest-get-timezone", qemuAgentTimezoneParams(reply, list));
    READ("guest-get-disks", qemuAgentDisksParams(reply, def, list));
#undef READ

    virResetLastError();
    {
        g_autofree qemuAgentCPUInfo *cpus = NULL;

        if ((n = qemuAgentVcpusParse(reply, &cpus)) < 0) {
            fuzzCheckError("guest-get-vcpus", agentDomains);
            FUZZ_CHECK(cpus == NULL, "a refused guest-get-vcpus left a list");
        } else {
            virResetLastError();
            before = list->npar;
            fuzzAgentCheckParams(list, before, qemuAgentVcpusParams(cpus, n, list) == 0,
                                 "vcpus params");
        }
    }
    virResetLastError();
    {
        g_auto(GStrv) keys = NULL;

        if ((n = qemuAgentSSHKeysParse(reply, &keys)) < 0) {
            fuzzCheckError("guest-ssh-get-authorized-keys", agentDomains);
            FUZZ_CHECK(keys == NULL, "a refused key list left a list");
        } else {
            FUZZ_CHECK(keys && g_strv_length(keys) == (guint)n,
                       "a key list of another length");
        }
    }
    virResetLastError();
    if ((n = qemuAgentInterfacesParse(reply, &ifaces)) < 0) {
        fuzzCheckError("guest-network-get-interfaces", agentDomains);
    } else {
        before = list->npar;
        qemuAgentInterfacesParams(ifaces, n, list);
        fuzzAgentCheckParams(list, before, true, "if params");
        for (int i = 0; i < n; i++)
            virDomainInterfaceFreeInternal(ifaces[i]);
        g_free(ifaces);
    }
}

static void
fuzzAgentFeed(const uint8_t *data, size_t size, guint64 syncId)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    size_t off = 0;

    while (off < size) {
        /* a piece of 1..509 bytes, as reads of different sizes */
        size_t n = MIN(size - off, (size_t)(data[off] % 509) + 1);
        json_object *answer = NULL;
        int rc;

        g_string_append_len(buf, (const char *)data + off, n);
        off += n;
        virResetLastError();
        while ((rc = qemuAgentTakeReply(buf, syncId, &answer)) == 1) {
            if (syncId) {
                FUZZ_CHECK(answer == NULL, "a sync that returns an answer");
            } else {
                json_object *r = NULL;

                FUZZ_CHECK(json_object_is_type(answer, json_type_object) &&
                               (json_object_object_get_ex(answer, "return", NULL) ||
                                json_object_object_get_ex(answer, "error", NULL)),
                           "a reply without return or error");
                if (json_object_object_get_ex(answer, "return", &r))
                    fuzzAgentRead(r);
                json_object_put(answer);
                answer = NULL;
            }
        }
        if (rc < 0) {
            fuzzCheckError("an over-long reply", agentDomains);
            return;
        }
        FUZZ_CHECK(answer == NULL, "an answer left on 0");
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzzAgentFeed(data, size, 1234);
    fuzzAgentFeed(data, size, 0);
    return 0;
}
