/* typedparamtest.c: virTypedParameter arrays to and from remote_typed_param, against libvirt 9.0's bytes */
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "remote_protocol.h"
#include "remote_typedparam.h"
#include "virnetmessage.h"
#include "virtkit-config.h"
#include "virxdr.h"

#define FRAMES VIRTKIT_SRCDIR "/tests/data/rpc/libvirt-9.0-frames.txt"

static guint8 *
fromHex(const char *hex, size_t *len)
{
    size_t n = strlen(hex) / 2;
    guint8 *b = g_malloc(n ? n : 1);
    size_t i;

    for (i = 0; i < n; i++) {
        char h[3] = { hex[2 * i], hex[2 * i + 1], 0 };
        b[i] = g_ascii_strtoull(h, NULL, 16);
    }
    *len = n;
    return b;
}


/* The payload (after the 28-byte header) of the first frame of the
 * recording with direction @dir, procedure @proc and type @type. */
static guint8 *
libvirtPayload(char dir, int proc, int type, size_t *len)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    g_autofree char *prefix = g_strdup_printf("%c 536903814 %d %d 0 ", dir, proc, type);
    size_t i;

    g_assert_true(g_file_get_contents(FRAMES, &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    for (i = 0; lines[i]; i++) {
        if (g_str_has_prefix(lines[i], prefix)) {
            g_autofree guint8 *frame = fromHex(lines[i] + strlen(prefix), len);

            g_assert_cmpuint(*len, >=, 28);
            *len -= 28;
            return g_memdup2(frame + 28, *len ? *len : 1);
        }
    }
    g_error("no frame '%s' in %s", prefix, FRAMES);
    return NULL;
}


static void
assertError(int code, const char *message)
{
    virErrorPtr err = virGetLastError();

    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpint(err->domain, ==, VIR_FROM_NONE);
    g_assert_cmpstr(err->message, ==, message);
    virResetLastError();
}


/* Deserializes the remote array at *@val/@len (libvirt's model 2), checks
 * it with @check, serializes it back in its place: the caller re-encodes. */
static void
replaceThroughPublicForm(remote_typed_param **val, uint32_t *len, int limit,
                         void (*check)(virTypedParameterPtr, int))
{
    virTypedParameterPtr params = NULL;
    int nparams = 0;

    g_assert_cmpint(remoteTypedParamsDeserialize(*val, *len, limit, &params, &nparams),
                    ==, 0);
    g_assert_cmpint(nparams, ==, *len);
    check(params, nparams);
    remoteTypedParamsFreeRemote(*val, *len);
    *val = NULL;
    *len = 0;
    g_assert_cmpint(remoteTypedParamsSerialize(params, nparams, limit, val, len,
                                               VIR_TYPED_PARAM_STRING_OKAY),
                    ==, 0);
    g_assert_cmpint(*len, ==, nparams);
    remoteTypedParamsFree(params, nparams);
}


/* Encodes @obj with @filter and compares with @expect. */
static void
assertEncodes(virXdrFilter filter, void *obj, const guint8 *expect, size_t len)
{
    g_autofree guint8 *out = NULL;
    size_t outlen = 0;
    virXdr enc;

    virXdrInitEncode(&enc, VIR_NET_MESSAGE_MAX);
    g_assert_true(filter(&enc, obj));
    out = virXdrSteal(&enc, &outlen);
    g_assert_cmpmem(out, outlen, expect, len);
}


static void
checkWeight50(virTypedParameterPtr params, int n)
{
    unsigned int weight = 0;

    g_assert_cmpint(n, ==, 1);
    g_assert_cmpstr(params[0].field, ==, "weight");
    g_assert_cmpint(params[0].type, ==, VIR_TYPED_PARAM_UINT);
    weight = params[0].value.ui;
    g_assert_cmpuint(weight, ==, 50);
}


static void
checkWeight100(virTypedParameterPtr params, int n)
{
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpstr(params[0].field, ==, "weight");
    g_assert_cmpint(params[0].type, ==, VIR_TYPED_PARAM_UINT);
    g_assert_cmpuint(params[0].value.ui, ==, 100);
}


static void
checkMemtune(virTypedParameterPtr params, int n)
{
    static const char *const names[] = { "hard_limit", "soft_limit", "swap_hard_limit" };
    int i;

    g_assert_cmpint(n, ==, 3);
    for (i = 0; i < n; i++) {
        g_assert_cmpstr(params[i].field, ==, names[i]);
        g_assert_cmpint(params[i].type, ==, VIR_TYPED_PARAM_ULLONG);
        /* VIR_DOMAIN_MEMORY_PARAM_UNLIMITED */
        g_assert_cmpuint(params[i].value.ul, ==, 9007199254740991ULL);
    }
}


static void
checkStateStats(virTypedParameterPtr params, int n)
{
    g_assert_cmpint(n, ==, 2);
    g_assert_cmpstr(params[0].field, ==, "state.state");
    g_assert_cmpint(params[0].type, ==, VIR_TYPED_PARAM_INT);
    g_assert_cmpint(params[0].value.i, ==, 1); /* running */
    g_assert_cmpstr(params[1].field, ==, "state.reason");
    g_assert_cmpint(params[1].type, ==, VIR_TYPED_PARAM_INT);
    g_assert_cmpint(params[1].value.i, ==,
                    0); /* VIR_DOMAIN_RUNNING_UNKNOWN: libvirt test driver */
}


/* libvirtd's own frames (virsh schedinfo, schedinfo --set, memtune,
 * domstats) decode to the parameters virsh printed, and our serializer
 * gives back the same bytes. */
static void
testLibvirtFrames(void)
{
    size_t len;

    { /* 57 DOMAIN_GET_SCHEDULER_PARAMETERS reply: weight=50 */
        g_autofree guint8 *b = libvirtPayload('s', 57, 1, &len);
        remote_domain_get_scheduler_parameters_ret ret = { 0 };
        virXdr dec;

        virXdrInitDecode(&dec, b, len);
        g_assert_true(remote_domain_get_scheduler_parameters_ret_filter(&dec, &ret));
        replaceThroughPublicForm(&ret.params_val, &ret.params_len,
                                 REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX, checkWeight50);
        assertEncodes(remote_domain_get_scheduler_parameters_ret_filter, &ret, b, len);
        virXdrFree(remote_domain_get_scheduler_parameters_ret_filter, &ret);
    }
    { /* 58 DOMAIN_SET_SCHEDULER_PARAMETERS call: weight=100 */
        g_autofree guint8 *b = libvirtPayload('c', 58, 0, &len);
        remote_domain_set_scheduler_parameters_args args = { 0 };
        virXdr dec;

        virXdrInitDecode(&dec, b, len);
        g_assert_true(remote_domain_set_scheduler_parameters_args_filter(&dec, &args));
        replaceThroughPublicForm(&args.params_val, &args.params_len,
                                 REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX, checkWeight100);
        assertEncodes(remote_domain_set_scheduler_parameters_args_filter, &args, b, len);
        virXdrFree(remote_domain_set_scheduler_parameters_args_filter, &args);
    }
    { /* 198 DOMAIN_GET_MEMORY_PARAMETERS reply with 3 ullongs (the
         * recording's second reply; the first answers nparams=0) */
        g_autofree char *text = NULL;
        g_auto(GStrv) lines = NULL;
        g_autofree guint8 *b = NULL;
        remote_domain_get_memory_parameters_ret ret = { 0 };
        virXdr dec;
        size_t i;

        g_assert_true(g_file_get_contents(FRAMES, &text, NULL, NULL));
        lines = g_strsplit(text, "\n", -1);
        for (i = 0; lines[i] && !b; i++) {
            if (g_str_has_prefix(lines[i], "s 536903814 198 1 0 ") &&
                strlen(lines[i]) > 100) {
                g_autofree guint8 *frame =
                    fromHex(lines[i] + strlen("s 536903814 198 1 0 "), &len);

                len -= 28;
                b = g_memdup2(frame + 28, len);
            }
        }
        g_assert_nonnull(b);
        virXdrInitDecode(&dec, b, len);
        g_assert_true(remote_domain_get_memory_parameters_ret_filter(&dec, &ret));
        /* libvirtd fills nparams only when asked for the count (nparams=0) */
        g_assert_cmpint(ret.nparams, ==, 0);
        replaceThroughPublicForm(&ret.params_val, &ret.params_len,
                                 REMOTE_DOMAIN_MEMORY_PARAMETERS_MAX, checkMemtune);
        assertEncodes(remote_domain_get_memory_parameters_ret_filter, &ret, b, len);
        virXdrFree(remote_domain_get_memory_parameters_ret_filter, &ret);
    }
    { /* 344 CONNECT_GET_ALL_DOMAIN_STATS reply: state.state, state.reason */
        g_autofree guint8 *b = libvirtPayload('s', 344, 1, &len);
        remote_connect_get_all_domain_stats_ret ret = { 0 };
        virXdr dec;

        virXdrInitDecode(&dec, b, len);
        g_assert_true(remote_connect_get_all_domain_stats_ret_filter(&dec, &ret));
        g_assert_cmpuint(ret.retStats_len, ==, 1);
        replaceThroughPublicForm(
            &ret.retStats_val[0].params_val, &ret.retStats_val[0].params_len,
            REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX, checkStateStats);
        assertEncodes(remote_connect_get_all_domain_stats_ret_filter, &ret, b, len);
        virXdrFree(remote_connect_get_all_domain_stats_ret_filter, &ret);
    }
}


/* Every type, in the layout of remote_protocol.x: count, then per entry
 * the field (length, bytes padded to 4), the type, the value (int, uint,
 * bool: 4 bytes; hyper, uhyper, double: 8; string: length, bytes, pad). */
static const char allTypesHex[] = "00000007"
                                  "00000001"
                                  "69000000"
                                  "00000001"
                                  "fffffffe" /* i: int -2 */
                                  "00000001"
                                  "75000000"
                                  "00000002"
                                  "00000003" /* u: uint 3 */
                                  "00000001"
                                  "6c000000"
                                  "00000003"
                                  "fffffffffffffffc" /* l: llong -4 */
                                  "00000001"
                                  "55000000"
                                  "00000004"
                                  "0000000000000005" /* U: ullong 5 */
                                  "00000001"
                                  "64000000"
                                  "00000005"
                                  "3fe0000000000000" /* d: double 0.5 */
                                  "00000001"
                                  "62000000"
                                  "00000006"
                                  "00000001" /* b: boolean 1 */
                                  "00000001"
                                  "73000000"
                                  "00000007"
                                  "00000002"
                                  "78790000"; /* s: string "xy" */

static void
fillAllTypes(virTypedParameter *p)
{
    memset(p, 0, 7 * sizeof(*p));
    strcpy(p[0].field, "i");
    p[0].type = VIR_TYPED_PARAM_INT;
    p[0].value.i = -2;
    strcpy(p[1].field, "u");
    p[1].type = VIR_TYPED_PARAM_UINT;
    p[1].value.ui = 3;
    strcpy(p[2].field, "l");
    p[2].type = VIR_TYPED_PARAM_LLONG;
    p[2].value.l = -4;
    strcpy(p[3].field, "U");
    p[3].type = VIR_TYPED_PARAM_ULLONG;
    p[3].value.ul = 5;
    strcpy(p[4].field, "d");
    p[4].type = VIR_TYPED_PARAM_DOUBLE;
    p[4].value.d = 0.5;
    strcpy(p[5].field, "b");
    p[5].type = VIR_TYPED_PARAM_BOOLEAN;
    p[5].value.b = 1;
    strcpy(p[6].field, "s");
    p[6].type = VIR_TYPED_PARAM_STRING;
    p[6].value.s = (char *)"xy";
}


static void
testAllTypes(void)
{
    virTypedParameter in[7];
    remote_domain_get_scheduler_parameters_ret ret = { 0 };
    virTypedParameterPtr out = NULL;
    int nout = 0;
    size_t len;
    g_autofree guint8 *expect = fromHex(allTypesHex, &len);
    remote_domain_get_scheduler_parameters_ret back = { 0 };
    virXdr dec;
    int i;

    fillAllTypes(in);
    g_assert_cmpint(remoteTypedParamsSerialize(
                        in, 7, REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX, &ret.params_val,
                        &ret.params_len, VIR_TYPED_PARAM_STRING_OKAY),
                    ==, 0);
    g_assert_cmpuint(ret.params_len, ==, 7);
    /* strings are copies */
    g_assert_true(ret.params_val[6].value.remote_typed_param_value_u.s != in[6].value.s);
    assertEncodes(remote_domain_get_scheduler_parameters_ret_filter, &ret, expect, len);
    virXdrFree(remote_domain_get_scheduler_parameters_ret_filter, &ret);

    virXdrInitDecode(&dec, expect, len);
    g_assert_true(remote_domain_get_scheduler_parameters_ret_filter(&dec, &back));
    g_assert_cmpint(
        remoteTypedParamsDeserialize(back.params_val, back.params_len, 16, &out, &nout),
        ==, 0);
    virXdrFree(remote_domain_get_scheduler_parameters_ret_filter, &back);
    g_assert_cmpint(nout, ==, 7);
    for (i = 0; i < 7; i++) {
        g_assert_cmpstr(out[i].field, ==, in[i].field);
        g_assert_cmpint(out[i].type, ==, in[i].type);
    }
    g_assert_cmpint(out[0].value.i, ==, -2);
    g_assert_cmpuint(out[1].value.ui, ==, 3);
    g_assert_cmpint(out[2].value.l, ==, -4);
    g_assert_cmpuint(out[3].value.ul, ==, 5);
    g_assert_cmpfloat(out[4].value.d, ==, 0.5);
    g_assert_cmpint(out[5].value.b, ==, 1);
    g_assert_cmpstr(out[6].value.s, ==, "xy");
    remoteTypedParamsFree(out, nout);
}


/* Without VIR_TYPED_PARAM_STRING_OKAY strings are left out, and entries of
 * type 0 always (libvirt's daemon: old clients, sparse arrays). */
static void
testFiltered(void)
{
    virTypedParameter in[7];
    remote_typed_param *val = NULL;
    uint32_t len = 0;
    uint32_t i;

    fillAllTypes(in);
    in[0].type = 0;
    g_assert_cmpint(remoteTypedParamsSerialize(in, 7, 16, &val, &len, 0), ==, 0);
    g_assert_cmpuint(len, ==, 5);
    for (i = 0; i < len; i++) {
        g_assert_cmpstr(val[i].field, ==, in[i + 1].field);
        g_assert_cmpint(val[i].value.type, ==, in[i + 1].type);
    }
    remoteTypedParamsFreeRemote(val, len);

    /* nothing at all: a valid empty list */
    val = (remote_typed_param *)&len;
    g_assert_cmpint(remoteTypedParamsSerialize(NULL, 0, 16, &val, &len, 0), ==, 0);
    g_assert_null(val);
    g_assert_cmpuint(len, ==, 0);
}


/* libvirt's limits and texts; a failure leaves nothing allocated (ASan's
 * leak check) and the outputs untouched. */
static void
testRefusals(void)
{
    virTypedParameter in[17];
    remote_typed_param *val = NULL;
    uint32_t len = 77;
    remote_typed_param rp[3];
    virTypedParameterPtr out = NULL;
    virTypedParameter user[2];
    int nout = 0;
    int i;

    memset(in, 0, sizeof(in));
    for (i = 0; i < 17; i++) {
        g_snprintf(in[i].field, sizeof(in[i].field), "s%d", i);
        in[i].type = VIR_TYPED_PARAM_STRING;
        in[i].value.s = in[i].field;
    }
    g_assert_cmpint(remoteTypedParamsSerialize(in, 17,
                                               REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX,
                                               &val, &len, VIR_TYPED_PARAM_STRING_OKAY),
                    ==, -1);
    assertError(VIR_ERR_RPC, "too many parameters '17' for limit '16'");
    g_assert_null(val);
    g_assert_cmpuint(len, ==, 77);

    /* an unknown type after strings were copied: all freed */
    in[5].type = 9;
    g_assert_cmpint(
        remoteTypedParamsSerialize(in, 16, 16, &val, &len, VIR_TYPED_PARAM_STRING_OKAY),
        ==, -1);
    assertError(VIR_ERR_RPC, "unknown parameter type: 9");
    g_assert_null(val);
    g_assert_cmpuint(len, ==, 77);

    memset(rp, 0, sizeof(rp));
    rp[0].field = (char *)"a";
    rp[0].value.type = VIR_TYPED_PARAM_STRING;
    rp[0].value.remote_typed_param_value_u.s = (char *)"str";
    rp[1].field = (char *)"b";
    rp[1].value.type = VIR_TYPED_PARAM_INT;
    rp[2].field = (char *)"c";
    rp[2].value.type = 8;

    g_assert_cmpint(remoteTypedParamsDeserialize(rp, 3, 2, &out, &nout), ==, -1);
    assertError(VIR_ERR_RPC, "too many parameters '3' for limit '2'");
    g_assert_null(out);
    g_assert_cmpint(remoteTypedParamsDeserialize(rp, 3, 16, &out, &nout), ==, -1);
    assertError(VIR_ERR_RPC, "unknown parameter type: 8");
    g_assert_null(out);
    g_assert_cmpint(nout, ==, 0);

    /* the caller's array (libvirt's model 1) must hold them all */
    memset(user, 0, sizeof(user));
    out = user;
    nout = 1;
    g_assert_cmpint(remoteTypedParamsDeserialize(rp, 2, 16, &out, &nout), ==, -1);
    assertError(VIR_ERR_RPC, "too many parameters '2' for nparams '1'");
    g_assert_cmpint(nout, ==, 1);
    nout = 2;
    g_assert_cmpint(remoteTypedParamsDeserialize(rp, 2, 16, &out, &nout), ==, 0);
    g_assert_true(out == user);
    g_assert_cmpstr(user[0].value.s, ==, "str");
    g_assert_cmpint(user[1].type, ==, VIR_TYPED_PARAM_INT);
    g_free(user[0].value.s);
    /* a failure in the caller's array frees the strings copied so far */
    memset(user, 0, sizeof(user));
    nout = 2;
    g_assert_cmpint(remoteTypedParamsDeserialize(rp + 1, 2, 16, &out, &nout), ==, -1);
    virResetLastError();
    g_assert_cmpint(remoteTypedParamsDeserialize(rp, 3, 16, &out, &nout), ==, -1);
    assertError(VIR_ERR_RPC, "too many parameters '3' for nparams '2'");

    /* a field that does not fit VIR_TYPED_PARAM_FIELD_LENGTH */
    {
        g_autofree char *longField = g_strnfill(VIR_TYPED_PARAM_FIELD_LENGTH, 'f');
        g_autofree char *msg = g_strdup_printf("internal error: parameter %s too big for "
                                               "destination",
                                               longField);

        rp[2].field = longField;
        rp[2].value.type = VIR_TYPED_PARAM_INT;
        out = NULL;
        g_assert_cmpint(remoteTypedParamsDeserialize(rp, 3, 16, &out, &nout), ==, -1);
        assertError(VIR_ERR_INTERNAL_ERROR, msg);
        g_assert_null(out);
        longField[VIR_TYPED_PARAM_FIELD_LENGTH - 1] = '\0';
        g_assert_cmpint(remoteTypedParamsDeserialize(rp, 3, 16, &out, &nout), ==, 0);
        g_assert_cmpint(nout, ==, 3);
        g_assert_cmpstr(out[2].field, ==, longField);
        remoteTypedParamsFree(out, nout);
    }
}


/* The generated decoder already refuses an unknown type and a count over
 * the procedure's maximum, before allocating. */
static void
testDecoderLimits(void)
{
    static const char *const bad[] = {
        /* count 17 for params<16> */
        "00000011",
        /* type 8 */
        "00000001"
        "00000001"
        "69000000"
        "00000008"
        "00000000",
        /* type 0 */
        "00000001"
        "00000001"
        "69000000"
        "00000000"
        "00000000",
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        size_t len;
        g_autofree guint8 *b = fromHex(bad[i], &len);
        remote_domain_get_scheduler_parameters_ret ret = { 0 };
        virXdr dec;

        virXdrInitDecode(&dec, b, len);
        g_assert_false(remote_domain_get_scheduler_parameters_ret_filter(&dec, &ret));
        virXdrFree(remote_domain_get_scheduler_parameters_ret_filter, &ret);
    }
}


int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rpc/typedparam/libvirt-frames", testLibvirtFrames);
    g_test_add_func("/rpc/typedparam/all-types", testAllTypes);
    g_test_add_func("/rpc/typedparam/filtered", testFiltered);
    g_test_add_func("/rpc/typedparam/refusals", testRefusals);
    g_test_add_func("/rpc/typedparam/decoder-limits", testDecoderLimits);
    return g_test_run();
}
