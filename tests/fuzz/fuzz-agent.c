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
 */

#include "qemu_agent.h"
#include "fuzz-common.h"

static const int agentDomains[] = { VIR_FROM_QEMU, -1 };

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
                FUZZ_CHECK(json_object_is_type(answer, json_type_object) &&
                               (json_object_object_get_ex(answer, "return", NULL) ||
                                json_object_object_get_ex(answer, "error", NULL)),
                           "a reply without return or error");
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
