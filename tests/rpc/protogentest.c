/* protogentest.c: the generated protocol (protocol.vkp) against libvirt 9.0's own bytes and rules */
#include <string.h>

#include <libvirt/virterror.h>

#include "remote_protocol.h"
#include "virnetmessage.h"
#include "virtkit-config.h"
#include "virxdr.h"

#define FRAMES VIRTKIT_SRCDIR "/tests/data/rpc/libvirt-9.0-frames.txt"

/* Decode @len bytes at @buf with @filter into a fresh object of @size,
 * check that every byte was consumed, re-encode and compare. */
static bool
roundTrip(const guint8 *buf, size_t len, virXdrFilter filter, size_t size, GString *why)
{
    g_autofree void *obj = g_malloc0(MAX(size, 1));
    g_autofree guint8 *out = NULL;
    size_t outlen = 0;
    virXdr dec;
    virXdr enc;
    bool ok = false;

    virXdrInitDecode(&dec, buf, len);
    if (!filter(&dec, obj)) {
        g_string_printf(why, "decode: %s", dec.error);
        goto cleanup;
    }
    if (virXdrRemaining(&dec) != 0) {
        g_string_printf(why, "%zu bytes left over", virXdrRemaining(&dec));
        goto cleanup;
    }
    virXdrInitEncode(&enc, VIR_NET_MESSAGE_MAX);
    if (!filter(&enc, obj)) {
        g_string_printf(why, "encode: %s", enc.error);
        virXdrClear(&enc);
        goto cleanup;
    }
    out = virXdrSteal(&enc, &outlen);
    if (outlen != len || memcmp(out, buf, len) != 0) {
        g_string_printf(why, "re-encoded %zu bytes differ from the %zu received", outlen,
                        len);
        goto cleanup;
    }
    ok = true;
cleanup:
    virXdrFree(filter, obj);
    return ok;
}

static uint32_t
rd32(const guint8 *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* Every frame virsh and libvirtd exchanged decodes with our filters and
 * re-encodes to the same bytes. */
static void
testLibvirtFrames(void)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GHashTable) procs = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_autoptr(GString) why = g_string_new(NULL);
    size_t frames = 0;
    size_t errors = 0;
    size_t nosupport = 0;
    size_t i;

    g_assert_true(g_file_get_contents(FRAMES, &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    for (i = 0; lines[i]; i++) {
        g_auto(GStrv) f = NULL;
        g_autofree guint8 *bytes = NULL;
        size_t len;
        size_t j;
        uint32_t prog;
        int proc, type, status;
        const remoteProcedure *p;
        virXdrFilter filter;
        size_t size;

        if (!lines[i][0] || lines[i][0] == '#')
            continue;
        f = g_strsplit(lines[i], " ", -1);
        g_assert_cmpuint(g_strv_length(f), ==, 6);
        len = strlen(f[5]) / 2;
        bytes = g_malloc(len);
        for (j = 0; j < len; j++) {
            char hex[3] = { f[5][2 * j], f[5][2 * j + 1], 0 };
            bytes[j] = g_ascii_strtoull(hex, NULL, 16);
        }
        g_assert_cmpuint(len, >=, 28);
        g_assert_cmpuint(rd32(bytes), ==, len);
        prog = rd32(bytes + 4);
        proc = (int)rd32(bytes + 12);
        type = (int)rd32(bytes + 16);
        status = (int)rd32(bytes + 24);
        p = remoteProgramProcedure(remoteProgramLookup(prog, rd32(bytes + 8)), proc);
        if (!p)
            g_error("line %zu: prog 0x%x proc %d unknown", i + 1, prog, proc);

        if (type == VIR_NET_REPLY && status == VIR_NET_ERROR) {
            filter = remote_error_filter;
            size = sizeof(remote_error);
            errors++;
        } else if (type == VIR_NET_REPLY) {
            filter = p->retFilter;
            size = p->retSize;
        } else {
            g_assert_true(type == VIR_NET_CALL || type == VIR_NET_MESSAGE);
            g_assert_true((type == VIR_NET_MESSAGE) == !!(p->flags & REMOTE_PROC_EVENT));
            filter = p->argsFilter;
            size = p->argsSize;
        }
        if (filter == remote_error_filter) {
            /* libvirtd's own "not supported" answers name the public API and
             * its error domain: the description must say the same */
            static const char prefix[] =
                "this function is not supported by the connection driver: ";
            remote_error e = { 0 };
            virXdr dec;

            virXdrInitDecode(&dec, bytes + 28, len - 28);
            g_assert_true(remote_error_filter(&dec, &e));
            if (e.code == VIR_ERR_NO_SUPPORT && e.message &&
                g_str_has_prefix(e.message, prefix)) {
                if (g_strcmp0(p->api, e.message + strlen(prefix)) != 0 ||
                    p->errDomain != e.domain)
                    g_error("%s: libvirtd says %s (domain %d), the description %s (%d)",
                            p->name, e.message + strlen(prefix), e.domain, p->api,
                            p->errDomain);
                nosupport++;
            }
            virXdrFree(remote_error_filter, &e);
        }
        if (!filter) {
            /* void: libvirt sent nothing after the header */
            g_assert_cmpuint(len, ==, 28);
        } else if (!roundTrip(bytes + 28, len - 28, filter, size, why)) {
            g_error("line %zu (%s %s, type %d status %d): %s", i + 1, f[0], p->name, type,
                    status, why->str);
        }
        g_hash_table_add(procs, GINT_TO_POINTER(proc));
        frames++;
    }
    /* the recording covers ~120 procedures; a truncated file fails here */
    g_assert_cmpuint(frames, >=, 200);
    g_assert_cmpuint(errors, >=, 20);
    g_assert_cmpuint(nosupport, >=, 10);
    g_assert_cmpuint(g_hash_table_size(procs), >=, 100);
    if (g_test_verbose())
        g_printerr("%zu frames, %u procedures, %zu NO_SUPPORT answers checked\n", frames,
                   g_hash_table_size(procs), nosupport);
}

/* Known values to known bytes for the constructs the 56 hand-written
 * procedures never used: unions, optional structs, variable opaque. */
static void
testKnownBytes(void)
{
    remote_typed_param params[2] = {
        { .field = (char *)"a",
          .value = { .type = 7, .remote_typed_param_value_u.s = (char *)"xy" } },
        { .field = (char *)"cpu_shares",
          .value = { .type = 4,
                     .remote_typed_param_value_u.ul = 0x0102030405060708ULL } },
    };
    remote_domain_set_scheduler_parameters_flags_args a = {
        .dom = { .name = (char *)"d", .id = 3 },
        .params_len = 2,
        .params_val = params,
        .flags = 1,
    };
    static const guint8 want[] = {
        0, 0, 0, 1, 'd', 0,  0,   0,                                         /* name */
        0, 0, 0, 0, 0,   0,  0,   0,   0,   0,   0,   0,   0,   0,   0,   0, /* uuid */
        0, 0, 0, 3,                                                          /* id */
        0, 0, 0, 2, /* params_len */
        0, 0, 0, 1, 'a', 0,  0,   0,   0,   0,   0,   7,   0,   0,   0,   2,   'x', 'y',
        0, 0, 0, 0, 0,   10, 'c', 'p', 'u', '_', 's', 'h', 'a', 'r', 'e', 's', 0,   0,
        0, 0, 0, 4, 1,   2,  3,   4,   5,   6,   7,   8,   0,   0,   0,   1, /* flags */
    };
    g_autoptr(GString) why = g_string_new(NULL);
    g_autofree guint8 *out = NULL;
    size_t outlen;
    virXdr enc;
    virXdr dec;
    guint8 bad[sizeof(want)];
    remote_domain_set_scheduler_parameters_flags_args back = { 0 };
    remote_connect_domain_event_callback_register_any_args reg = { .eventID = 5 };
    remote_nonnull_domain dom = { .name = (char *)"x" };
    remote_domain_pin_vcpu_args pin = { .cpumap_len = 3,
                                        .cpumap_val = (guint8 *)"\x01\x02\x03" };
    guint8 big[8] = { 0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff };

    virXdrInitEncode(&enc, VIR_NET_MESSAGE_MAX);
    g_assert_true(remote_domain_set_scheduler_parameters_flags_args_filter(&enc, &a));
    out = virXdrSteal(&enc, &outlen);
    g_assert_cmpmem(out, outlen, want, sizeof(want));
    g_assert_true(roundTrip(want, sizeof(want),
                            remote_domain_set_scheduler_parameters_flags_args_filter,
                            sizeof(a), why));

    /* an unknown union arm is a decode failure, and what was decoded
     * before it is freed (ASan) */
    memcpy(bad, want, sizeof(want));
    bad[43] = 9; /* first param's type */
    virXdrInitDecode(&dec, bad, sizeof(bad));
    g_assert_false(remote_domain_set_scheduler_parameters_flags_args_filter(&dec, &back));
    g_assert_cmpstr(dec.error, ==, "unknown union discriminant");
    virXdrFree(remote_domain_set_scheduler_parameters_flags_args_filter, &back);

    /* more params than REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX (16) */
    memcpy(bad, want, sizeof(want));
    bad[31] = 17;
    virXdrInitDecode(&dec, bad, sizeof(bad));
    g_assert_false(remote_domain_set_scheduler_parameters_flags_args_filter(&dec, &back));
    g_assert_cmpstr(dec.error, ==, "array too long");
    virXdrFree(remote_domain_set_scheduler_parameters_flags_args_filter, &back);

    /* optional struct: absent, then present */
    virXdrInitEncode(&enc, 1024);
    g_assert_true(
        remote_connect_domain_event_callback_register_any_args_filter(&enc, &reg));
    g_assert_cmpuint(enc.len, ==, 8);
    g_assert_cmpuint(rd32(enc.buf + 4), ==, 0);
    virXdrClear(&enc);
    reg.dom = &dom;
    virXdrInitEncode(&enc, 1024);
    g_assert_true(
        remote_connect_domain_event_callback_register_any_args_filter(&enc, &reg));
    g_assert_cmpuint(enc.len, ==, 8 + 4 + 4 + 16 + 4);
    g_assert_cmpuint(rd32(enc.buf + 4), ==, 1);
    g_assert_true(roundTrip(enc.buf, enc.len,
                            remote_connect_domain_event_callback_register_any_args_filter,
                            sizeof(reg), why));
    virXdrClear(&enc);

    /* opaque<N>: count, bytes, padding; a count over the maximum is
     * refused before anything is allocated */
    pin.dom.name = (char *)"x";
    virXdrInitEncode(&enc, 1024);
    g_assert_true(remote_domain_pin_vcpu_args_filter(&enc, &pin));
    g_assert_cmpuint(enc.len, ==, 8 + 16 + 4 + 4 + 4 + 4);
    g_assert_cmpmem(enc.buf + 36, 4, "\x01\x02\x03\x00", 4);
    virXdrClear(&enc);
    {
        remote_domain_get_vcpus_ret r = { 0 };

        /* info<> empty, cpumaps claiming 2^31-1 bytes (> REMOTE_CPUMAPS_MAX) */
        virXdrInitDecode(&dec, big, sizeof(big));
        g_assert_false(remote_domain_get_vcpus_ret_filter(&dec, &r));
        g_assert_cmpstr(dec.error, ==, "opaque data too long");
        virXdrFree(remote_domain_get_vcpus_ret_filter, &r);
    }
}

/* The procedure table: every program, libvirt 9.0's read-only rules. */
static void
testTables(void)
{
    const remoteProgram *remote = remoteProgramLookup(0x20008086, 1);
    const remoteProgram *qemu = remoteProgramLookup(0x20008087, 1);
    const remoteProgram *keep = remoteProgramLookup(0x6b656570, 1);
    const remoteProcedure *p;
    int ro = 0, rw = 0, api = 0;
    int i;

    g_assert_nonnull(remote);
    g_assert_nonnull(qemu);
    g_assert_nonnull(keep);
    g_assert_null(remoteProgramLookup(0x20008086, 2));
    g_assert_null(remoteProgramLookup(0x00068000, 1));

    for (i = 1; i < REMOTE_PROC_LAST; i++) {
        p = remoteProgramProcedure(remote, i);
        g_assert_nonnull(p);
        if (p->flags & REMOTE_PROC_EVENT) {
            g_assert_null(p->retFilter);
            g_assert_null(p->api);
            continue;
        }
        if (p->api)
            api++;
        if (p->flags & REMOTE_PROC_READONLY_OK)
            ro++;
        else
            rw++;
    }
    g_assert_null(remoteProgramProcedure(remote, REMOTE_PROC_LAST));
    /* every call but AUTH_* (66..70) names its public API */
    g_assert_cmpint(api + 5 + 51, ==, REMOTE_PROC_LAST - 1);
    g_assert_cmpint(ro, >, 150);
    g_assert_cmpint(rw, >, 150);

    p = remoteProgramProcedure(remote, REMOTE_PROC_NETWORK_CREATE);
    g_assert_cmpstr(p->api, ==, "virNetworkCreate");
    g_assert_cmpint(p->errDomain, ==, VIR_FROM_NETWORK);
    g_assert_false(p->flags & REMOTE_PROC_READONLY_OK);
    p = remoteProgramProcedure(remote, REMOTE_PROC_DOMAIN_GET_XML_DESC);
    g_assert_true(p->flags & REMOTE_PROC_READONLY_OK);
    g_assert_cmpuint(p->roSecureMask, ==, 0x9); /* XML_SECURE | XML_MIGRATABLE */
    g_assert_cmpint(p->flagsOffset, ==, offsetof(remote_domain_get_xml_desc_args, flags));
    p = remoteProgramProcedure(remote, REMOTE_PROC_DOMAIN_GET_VCPUS_FLAGS);
    g_assert_cmpuint(p->roFlagsMask, ==, 0x8); /* VCPU_GUEST */
    p = remoteProgramProcedure(remote, REMOTE_PROC_STORAGE_VOL_DOWNLOAD);
    g_assert_true(p->flags & REMOTE_PROC_STREAM_READ);
    p = remoteProgramProcedure(remote, REMOTE_PROC_STORAGE_VOL_UPLOAD);
    g_assert_true(p->flags & REMOTE_PROC_STREAM_WRITE);
    p = remoteProgramProcedure(remote, REMOTE_PROC_DOMAIN_OPEN_CONSOLE);
    g_assert_true(p->flags & REMOTE_PROC_STREAM_READ);
    p = remoteProgramProcedure(remote, REMOTE_PROC_DOMAIN_CREATE_XML_WITH_FILES);
    g_assert_true(p->flags & REMOTE_PROC_FDS_IN);
    p = remoteProgramProcedure(remote, REMOTE_PROC_DOMAIN_OPEN_GRAPHICS_FD);
    g_assert_true(p->flags & REMOTE_PROC_FDS_OUT);
    p = remoteProgramProcedure(remote, REMOTE_PROC_DOMAIN_DESTROY);
    g_assert_true(p->flags & REMOTE_PROC_PRIORITY);

    p = remoteProgramProcedure(qemu, QEMU_PROC_DOMAIN_MONITOR_COMMAND);
    g_assert_nonnull(p);
    g_assert_cmpstr(p->name, ==, "DOMAIN_MONITOR_COMMAND");
    g_assert_cmpstr(p->api, ==, "virDomainQemuMonitorCommand");
    g_assert_false(p->flags & REMOTE_PROC_READONLY_OK);
    g_assert_true(p->argsFilter == qemu_domain_monitor_command_args_filter);
    p = remoteProgramProcedure(qemu, QEMU_PROC_DOMAIN_MONITOR_EVENT);
    g_assert_true(p->flags & REMOTE_PROC_EVENT);
    g_assert_nonnull(
        remoteProgramProcedure(qemu, QEMU_PROC_DOMAIN_MONITOR_COMMAND_WITH_FILES));
    g_assert_null(remoteProgramProcedure(qemu, 8));
    g_assert_cmpint(QEMU_PROC_LAST, ==, 8);

    p = remoteProgramProcedure(keep, KEEPALIVE_PROC_PING);
    g_assert_true(p && (p->flags & REMOTE_PROC_EVENT) && !p->argsFilter);
    g_assert_cmpint(KEEPALIVE_PROC_PONG, ==, VIR_NET_KEEPALIVE_PROC_PONG);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rpc/protogen/libvirt-frames", testLibvirtFrames);
    g_test_add_func("/rpc/protogen/known-bytes", testKnownBytes);
    g_test_add_func("/rpc/protogen/tables", testTables);
    return g_test_run();
}
