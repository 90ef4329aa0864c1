/* virkeycodetest.c: unit tests for src/util/virkeycode (libvirt's send-key codesets) */
#include <libvirt/libvirt.h>

#include "virkeycode.h"

#define KEYCODE_SETS (VIR_KEYCODE_SET_QNUM + 1)

/* A key pressed as it is written in each codeset, and the linux key it is
 * (from keycodemapdb's keymaps.csv, typed here by hand: the tables are
 * generated from the same file, these rows are the check). */
typedef struct {
    unsigned int codeset;
    unsigned int key;
    int linux_key; /* -1: no row holds @key */
    int qnum;      /* what the QEMU driver sends, -1: "cannot translate" */
} keyCase;

static const keyCase cases[] = {
    /* linux: the evdev numbers themselves */
    { VIR_KEYCODE_SET_LINUX, 30, 30, 0x1e },  /* KEY_A */
    { VIR_KEYCODE_SET_LINUX, 97, 97, 0x9d },  /* KEY_RIGHTCTRL */
    { VIR_KEYCODE_SET_LINUX, 99, 99, 0x54 },  /* KEY_SYSRQ */
    { VIR_KEYCODE_SET_LINUX, 0x2ff, -1, -1 }, /* KEY_MAX: in no row */
    /* xt and atset1: PC set 1 scancodes, 0xe0XX for the extended keys */
    { VIR_KEYCODE_SET_XT, 0x1e, 30, 0x1e },
    { VIR_KEYCODE_SET_XT, 0xe01d, 97, 0x9d },
    { VIR_KEYCODE_SET_ATSET1, 0x1e, 30, 0x1e },
    { VIR_KEYCODE_SET_ATSET1, 0xe05b, 125, 0xdb }, /* left meta */
    { VIR_KEYCODE_SET_ATSET1, 0xe046, 119, 0xc6 }, /* pause */
    { VIR_KEYCODE_SET_ATSET1, 0xf2, -1, -1 },      /* libvirt 9.0 refuses it */
    { VIR_KEYCODE_SET_ATSET1, 0x72, 122, 0x72 },   /* hangeul, 9.0's value */
    /* atset2: set 2 scancodes */
    { VIR_KEYCODE_SET_ATSET2, 0x1c, 30, 0x1e },
    { VIR_KEYCODE_SET_ATSET2, 0xe014, 97, 0x9d },
    { VIR_KEYCODE_SET_ATSET2, 0x7f, 99, 0x54 },
    { VIR_KEYCODE_SET_ATSET2, 0xe11f, -1, -1 },
    /* atset3: set 3 scancodes */
    { VIR_KEYCODE_SET_ATSET3, 0x1c, 30, 0x1e },
    { VIR_KEYCODE_SET_ATSET3, 0x58, 97, 0x9d },
    { VIR_KEYCODE_SET_ATSET3, 0x57, 99, 0x54 },
    { VIR_KEYCODE_SET_ATSET3, 0x1ff, -1, -1 },
    /* os_x: virtual key codes; 0 is ANSI_A, 0xff the filler of the keys it
     * lacks, the first of which is KEY_RESERVED (qnum 0) */
    { VIR_KEYCODE_SET_OSX, 0x00, 30, 0x1e },
    { VIR_KEYCODE_SET_OSX, 0x3a, 56, 0x38 },  /* Option: left alt */
    { VIR_KEYCODE_SET_OSX, 0x37, 125, 0xdb }, /* Command: left meta */
    { VIR_KEYCODE_SET_OSX, 0xff, 0, 0 },
    { VIR_KEYCODE_SET_OSX, 0x200, -1, -1 },
    /* xt_kbd: set 1 with the 0xe0 prefix as bit 8 */
    { VIR_KEYCODE_SET_XT_KBD, 0x1e, 30, 0x1e },
    { VIR_KEYCODE_SET_XT_KBD, 0x11d, 97, 0x9d },
    { VIR_KEYCODE_SET_XT_KBD, 0xe01d, -1, -1 },
    /* usb: HID keyboard usages */
    { VIR_KEYCODE_SET_USB, 0x04, 30, 0x1e },
    { VIR_KEYCODE_SET_USB, 0xe4, 97, 0x9d },
    { VIR_KEYCODE_SET_USB, 0x46, 99, 0x54 },
    { VIR_KEYCODE_SET_USB, 9999, -1, -1 },
    /* win32: virtual-key codes; VK_MENU is left alt (the first row) */
    { VIR_KEYCODE_SET_WIN32, 0x41, 30, 0x1e }, /* VK_A */
    { VIR_KEYCODE_SET_WIN32, 0x12, 56, 0x38 }, /* VK_MENU */
    { VIR_KEYCODE_SET_WIN32, 0x2c, 99, 0x54 }, /* VK_SNAPSHOT */
    { VIR_KEYCODE_SET_WIN32, 0x3a, -1, -1 },
    /* qnum: QEMU's numbers go as they are, known or not */
    { VIR_KEYCODE_SET_QNUM, 0x1e, 30, 0x1e },
    { VIR_KEYCODE_SET_QNUM, 0x9d, 97, 0x9d },
    { VIR_KEYCODE_SET_QNUM, 0x1ff, -1, 0x1ff },
};

static void
testCases(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const keyCase *c = &cases[i];

        g_test_message("%s 0x%x", virKeycodeSetToString(c->codeset), c->key);
        g_assert_cmpint(virKeycodeTranslate(c->codeset, VIR_KEYCODE_SET_LINUX, c->key),
                        ==, c->linux_key);
        g_assert_cmpint(virKeycodeIsValid(c->codeset, c->key), ==, c->linux_key >= 0);
        g_assert_cmpint(virKeycodeToQnum(c->codeset, c->key), ==, c->qnum);
        /* and back from linux */
        if (c->linux_key > 0)
            g_assert_cmpint(virKeycodeTranslate(VIR_KEYCODE_SET_LINUX, c->codeset,
                                                (unsigned int)c->linux_key),
                            ==, c->key);
    }
}

/* Every key of every codeset goes to linux and back unchanged, and the
 * derived codesets are what they are derived from. */
static void
testRoundTrip(void)
{
    size_t rows = virKeycodeRowCount();

    g_assert_cmpuint(rows, >, 400);
    for (unsigned int cs = 0; cs < KEYCODE_SETS; cs++) {
        size_t distinct = 0;

        for (size_t r = 0; r < rows; r++) {
            unsigned int key = virKeycodeRowValue(r, cs);
            int lk = virKeycodeTranslate(cs, VIR_KEYCODE_SET_LINUX, key);

            g_assert_cmpint(lk, >=, 0);
            g_assert_cmpint(
                virKeycodeTranslate(VIR_KEYCODE_SET_LINUX, cs, (unsigned int)lk), ==,
                key);
            if ((unsigned int)lk == virKeycodeRowValue(r, VIR_KEYCODE_SET_LINUX))
                distinct++;
        }
        g_test_message("%s: %zu keys", virKeycodeSetToString(cs), distinct);
        /* each codeset knows a good part of the keyboard */
        g_assert_cmpuint(distinct, >, 100);
    }
    for (size_t r = 0; r < rows; r++) {
        unsigned int at1 = virKeycodeRowValue(r, VIR_KEYCODE_SET_ATSET1);
        unsigned int low = at1 & 0x7f;

        g_assert_cmpuint(virKeycodeRowValue(r, VIR_KEYCODE_SET_XT), ==, at1);
        g_assert_cmpuint(virKeycodeRowValue(r, VIR_KEYCODE_SET_QNUM), ==,
                         at1 > 0x7f ? (0x80 | low) : at1);
        g_assert_cmpuint(virKeycodeRowValue(r, VIR_KEYCODE_SET_XT_KBD), ==,
                         at1 > 0x7f ? (0x100 | low) : at1);
        /* linux keys ascend, one row each */
        if (r)
            g_assert_cmpuint(virKeycodeRowValue(r, VIR_KEYCODE_SET_LINUX), >,
                             virKeycodeRowValue(r - 1, VIR_KEYCODE_SET_LINUX));
    }
}

static void
testNames(void)
{
    static const char *const names[] = {
        "linux", "xt",     "atset1", "atset2", "atset3",
        "os_x",  "xt_kbd", "usb",    "win32",  "qnum",
    };

    for (unsigned int cs = 0; cs < KEYCODE_SETS; cs++)
        g_assert_cmpstr(virKeycodeSetToString(cs), ==, names[cs]);
    g_assert_null(virKeycodeSetToString(KEYCODE_SETS));
    g_assert_cmpint(virKeycodeTranslate(KEYCODE_SETS, 0, 30), ==, -1);
    g_assert_cmpint(virKeycodeTranslate(0, KEYCODE_SETS, 30), ==, -1);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/keycode/cases", testCases);
    g_test_add_func("/util/keycode/round-trip", testRoundTrip);
    g_test_add_func("/util/keycode/names", testNames);
    return g_test_run();
}
