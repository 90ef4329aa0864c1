/* test-typedparams.c: the virTypedParams* helpers: ownership of strings, growth, failures that change nothing */
#include <string.h>

#include <glib.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

/* Their messages and codes are compared with Debian's libvirt 9.0 by the
 * compat test (tests/compat, testTypedParams); this test is about memory
 * (it runs under ASan+UBSan with leak detection) and the invariants. */

static void
quietErrors(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}


static void
assertError(int code, const char *message)
{
    virErrorPtr err = virGetLastError();

    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpint(err->domain, ==, VIR_FROM_NONE);
    g_assert_cmpstr(err->message, ==, message);
}


/* Every type round-trips; strings are copies owned by the array. */
static void
testAddGet(void)
{
    virTypedParameterPtr params = NULL;
    int n = 0, max = 0, i = 0, b = 0;
    unsigned int ui = 0;
    long long l = 0;
    unsigned long long ul = 0;
    double d = 0;
    const char *s = NULL;
    char buf[] = "original";

    g_assert_cmpint(virTypedParamsAddInt(&params, &n, &max, "i", -7), ==, 0);
    g_assert_cmpint(virTypedParamsAddUInt(&params, &n, &max, "ui", 4000000000U), ==, 0);
    g_assert_cmpint(virTypedParamsAddLLong(&params, &n, &max, "l", -5000000000LL), ==, 0);
    g_assert_cmpint(virTypedParamsAddULLong(&params, &n, &max, "ul", G_MAXUINT64), ==, 0);
    g_assert_cmpint(virTypedParamsAddDouble(&params, &n, &max, "d", 0.25), ==, 0);
    g_assert_cmpint(virTypedParamsAddBoolean(&params, &n, &max, "b", 42), ==, 0);
    g_assert_cmpint(virTypedParamsAddString(&params, &n, &max, "s", buf), ==, 0);
    g_assert_cmpint(n, ==, 7);
    g_assert_cmpint(max, >=, n);
    buf[0] = 'X';

    g_assert_cmpint(virTypedParamsGetInt(params, n, "i", &i), ==, 1);
    g_assert_cmpint(virTypedParamsGetUInt(params, n, "ui", &ui), ==, 1);
    g_assert_cmpint(virTypedParamsGetLLong(params, n, "l", &l), ==, 1);
    g_assert_cmpint(virTypedParamsGetULLong(params, n, "ul", &ul), ==, 1);
    g_assert_cmpint(virTypedParamsGetDouble(params, n, "d", &d), ==, 1);
    g_assert_cmpint(virTypedParamsGetBoolean(params, n, "b", &b), ==, 1);
    g_assert_cmpint(virTypedParamsGetString(params, n, "s", &s), ==, 1);
    g_assert_cmpint(i, ==, -7);
    g_assert_cmpuint(ui, ==, 4000000000U);
    g_assert_cmpint(l, ==, -5000000000LL);
    g_assert_cmpuint(ul, ==, G_MAXUINT64);
    g_assert_cmpfloat(d, ==, 0.25);
    g_assert_cmpint(b, ==, 1);
    g_assert_cmpint(params[5].value.b, ==, 1);
    g_assert_cmpstr(s, ==, "original");
    g_assert_true(s != buf);

    /* a type mismatch reports and leaves the output alone */
    i = 99;
    g_assert_cmpint(virTypedParamsGetInt(params, n, "s", &i), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, "invalid argument: Invalid type 'int' requested "
                                     "for parameter 's', actual type is 'string'");
    g_assert_cmpint(i, ==, 99);
    g_assert_cmpint(virTypedParamsGetInt(params, n, "nope", &i), ==, 0);
    g_assert_null(virGetLastError());
    g_assert_true(virTypedParamsGet(params, n, "d") == &params[4]);

    virTypedParamsClear(params, n);
    g_assert_null(params[6].value.s);
    g_assert_cmpint(params[0].value.i, ==, -7);
    virTypedParamsClear(params, n); /* twice: nothing left to free */
    virTypedParamsFree(params, n);
}


/* A refused parameter changes nothing but the allocation (as libvirt). */
static void
testRefused(void)
{
    virTypedParameterPtr params = NULL;
    int n = 0, max = 0;
    char name[VIR_TYPED_PARAM_FIELD_LENGTH + 1];

    memset(name, 'n', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    g_assert_cmpint(virTypedParamsAddString(&params, &n, &max, "keep", "v"), ==, 0);
    g_assert_cmpint(virTypedParamsAddString(&params, &n, &max, name, "leak?"), ==, -1);
    assertError(
        VIR_ERR_INTERNAL_ERROR,
        "internal error: Field name "
        "'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn' "
        "too long");
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpint(
        virTypedParamsAddFromString(&params, &n, &max, "i", VIR_TYPED_PARAM_INT, "1x"),
        ==, -1);
    assertError(VIR_ERR_INVALID_ARG, "invalid argument: Invalid value for field 'i': "
                                     "expected int");
    g_assert_cmpint(virTypedParamsAddFromString(&params, &n, &max, "t", 8, "x"), ==, -1);
    assertError(VIR_ERR_INTERNAL_ERROR, "internal error: unexpected type 8 for field t");
    g_assert_cmpint(
        virTypedParamsAddFromString(&params, &n, &max, "z", VIR_TYPED_PARAM_INT, NULL),
        ==, -1);
    assertError(VIR_ERR_INVALID_ARG, "invalid argument: NULL value for field 'z'");
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpint(virTypedParamsAddFromString(&params, &n, &max, "fs",
                                                VIR_TYPED_PARAM_STRING, "copied"),
                    ==, 0);
    g_assert_cmpstr(params[1].value.s, ==, "copied");
    virTypedParamsFree(params, n);
}


/* Growth: many adds, every string freed by one Free (leak detection). */
static void
testGrowth(void)
{
    virTypedParameterPtr params = NULL;
    int n = 0, max = 0;
    int i;
    const char *list[] = { "a", "b", NULL };
    const char *s = NULL;

    for (i = 0; i < 1000; i++) {
        g_autofree char *name = g_strdup_printf("p%d", i);
        g_autofree char *value = g_strdup_printf("v%d", i);

        g_assert_cmpint(virTypedParamsAddString(&params, &n, &max, name, value), ==, 0);
        g_assert_cmpint(max, >=, n);
    }
    g_assert_cmpint(n, ==, 1000);
    g_assert_cmpint(virTypedParamsAddStringList(&params, &n, &max, "p7", list), ==, 0);
    g_assert_cmpint(n, ==, 1002);
    /* the first of a repeated name wins */
    g_assert_cmpint(virTypedParamsGetString(params, n, "p7", &s), ==, 1);
    g_assert_cmpstr(s, ==, "v7");
    g_assert_cmpstr(params[1001].value.s, ==, "b");
    virTypedParamsFree(params, n);
    virTypedParamsFree(NULL, 5);
    virTypedParamsClear(NULL, 5);
}


int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    virInitialize();
    virSetErrorFunc(NULL, quietErrors);
    g_test_add_func("/api/typedparams/add-get", testAddGet);
    g_test_add_func("/api/typedparams/refused", testRefused);
    g_test_add_func("/api/typedparams/growth", testGrowth);
    return g_test_run();
}
