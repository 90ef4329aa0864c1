/* virkeycode.c: keycodes of libvirt's codesets and their QEMU key numbers */
#define G_LOG_DOMAIN "virtkit.util.keycode"

#include "virkeycode.h"

enum {
    CS_LINUX = 0,
    CS_XT,
    CS_ATSET1,
    CS_ATSET2,
    CS_ATSET3,
    CS_OSX,
    CS_XT_KBD,
    CS_USB,
    CS_WIN32,
    CS_QNUM,
    CS_LAST
};

static const char *const codesetNames[CS_LAST] = {
    "linux", "xt", "atset1", "atset2", "atset3", "os_x", "xt_kbd", "usb", "win32", "qnum",
};

/* Linux keys past the PC's first 88 (whose numbers are their set 1
 * scancodes) and their qnum, as keycodemapdb maps them. */
static const struct {
    unsigned int linux_key;
    unsigned int qnum;
} linuxExtra[] = {
    { 85, 0x76 },  /* ZENKAKUHANKAKU */
    { 86, 0x56 },  /* 102ND */
    { 87, 0x57 },  /* F11 */
    { 88, 0x58 },  /* F12 */
    { 89, 0x73 },  /* RO */
    { 90, 0x78 },  /* KATAKANA */
    { 91, 0x77 },  /* HIRAGANA */
    { 92, 0x79 },  /* HENKAN */
    { 93, 0x70 },  /* KATAKANAHIRAGANA */
    { 94, 0x7b },  /* MUHENKAN */
    { 95, 0x5c },  /* KPJPCOMMA */
    { 96, 0x9c },  /* KPENTER */
    { 97, 0x9d },  /* RIGHTCTRL */
    { 98, 0xb5 },  /* KPSLASH */
    { 99, 0x54 },  /* SYSRQ */
    { 100, 0xb8 }, /* RIGHTALT */
    { 102, 0xc7 }, /* HOME */
    { 103, 0xc8 }, /* UP */
    { 104, 0xc9 }, /* PAGEUP */
    { 105, 0xcb }, /* LEFT */
    { 106, 0xcd }, /* RIGHT */
    { 107, 0xcf }, /* END */
    { 108, 0xd0 }, /* DOWN */
    { 109, 0xd1 }, /* PAGEDOWN */
    { 110, 0xd2 }, /* INSERT */
    { 111, 0xd3 }, /* DELETE */
    { 113, 0xa0 }, /* MUTE */
    { 114, 0xae }, /* VOLUMEDOWN */
    { 115, 0xb0 }, /* VOLUMEUP */
    { 116, 0xde }, /* POWER */
    { 117, 0x59 }, /* KPEQUAL */
    { 119, 0xc6 }, /* PAUSE */
    { 121, 0x7e }, /* KPCOMMA */
    { 124, 0x7d }, /* YEN */
    { 125, 0xdb }, /* LEFTMETA */
    { 126, 0xdc }, /* RIGHTMETA */
    { 127, 0xdd }, /* COMPOSE */
    { 142, 0xdf }, /* SLEEP */
    { 143, 0xe3 }, /* WAKEUP */
};

/* USB HID keyboard usages (page 7) and their linux keys, as Linux's HID
 * driver maps them (hid-input's table; keycodemapdb has the same pairs).
 * Usages without a linux key QEMU can press are left out. */
static const struct {
    unsigned int usage;
    unsigned int linux_key;
} usbKeys[] = {
    { 0x04, 30 },  /* a */
    { 0x05, 48 },  /* b */
    { 0x06, 46 },  /* c */
    { 0x07, 32 },  /* d */
    { 0x08, 18 },  /* e */
    { 0x09, 33 },  /* f */
    { 0x0a, 34 },  /* g */
    { 0x0b, 35 },  /* h */
    { 0x0c, 23 },  /* i */
    { 0x0d, 36 },  /* j */
    { 0x0e, 37 },  /* k */
    { 0x0f, 38 },  /* l */
    { 0x10, 50 },  /* m */
    { 0x11, 49 },  /* n */
    { 0x12, 24 },  /* o */
    { 0x13, 25 },  /* p */
    { 0x14, 16 },  /* q */
    { 0x15, 19 },  /* r */
    { 0x16, 31 },  /* s */
    { 0x17, 20 },  /* t */
    { 0x18, 22 },  /* u */
    { 0x19, 47 },  /* v */
    { 0x1a, 17 },  /* w */
    { 0x1b, 45 },  /* x */
    { 0x1c, 21 },  /* y */
    { 0x1d, 44 },  /* z */
    { 0x1e, 2 },   /* 1 */
    { 0x1f, 3 },   /* 2 */
    { 0x20, 4 },   /* 3 */
    { 0x21, 5 },   /* 4 */
    { 0x22, 6 },   /* 5 */
    { 0x23, 7 },   /* 6 */
    { 0x24, 8 },   /* 7 */
    { 0x25, 9 },   /* 8 */
    { 0x26, 10 },  /* 9 */
    { 0x27, 11 },  /* 0 */
    { 0x28, 28 },  /* enter */
    { 0x29, 1 },   /* esc */
    { 0x2a, 14 },  /* backspace */
    { 0x2b, 15 },  /* tab */
    { 0x2c, 57 },  /* space */
    { 0x2d, 12 },  /* minus */
    { 0x2e, 13 },  /* equal */
    { 0x2f, 26 },  /* left brace */
    { 0x30, 27 },  /* right brace */
    { 0x31, 43 },  /* backslash */
    { 0x32, 43 },  /* non-US hash */
    { 0x33, 39 },  /* semicolon */
    { 0x34, 40 },  /* apostrophe */
    { 0x35, 41 },  /* grave */
    { 0x36, 51 },  /* comma */
    { 0x37, 52 },  /* dot */
    { 0x38, 53 },  /* slash */
    { 0x39, 58 },  /* caps lock */
    { 0x3a, 59 },  /* F1 */
    { 0x3b, 60 },  /* F2 */
    { 0x3c, 61 },  /* F3 */
    { 0x3d, 62 },  /* F4 */
    { 0x3e, 63 },  /* F5 */
    { 0x3f, 64 },  /* F6 */
    { 0x40, 65 },  /* F7 */
    { 0x41, 66 },  /* F8 */
    { 0x42, 67 },  /* F9 */
    { 0x43, 68 },  /* F10 */
    { 0x44, 87 },  /* F11 */
    { 0x45, 88 },  /* F12 */
    { 0x46, 99 },  /* print screen (sysrq) */
    { 0x47, 70 },  /* scroll lock */
    { 0x48, 119 }, /* pause */
    { 0x49, 110 }, /* insert */
    { 0x4a, 102 }, /* home */
    { 0x4b, 104 }, /* page up */
    { 0x4c, 111 }, /* delete */
    { 0x4d, 107 }, /* end */
    { 0x4e, 109 }, /* page down */
    { 0x4f, 106 }, /* right */
    { 0x50, 105 }, /* left */
    { 0x51, 108 }, /* down */
    { 0x52, 103 }, /* up */
    { 0x53, 69 },  /* num lock */
    { 0x54, 98 },  /* keypad / */
    { 0x55, 55 },  /* keypad * */
    { 0x56, 74 },  /* keypad - */
    { 0x57, 78 },  /* keypad + */
    { 0x58, 96 },  /* keypad enter */
    { 0x59, 79 },  /* keypad 1 */
    { 0x5a, 80 },  /* keypad 2 */
    { 0x5b, 81 },  /* keypad 3 */
    { 0x5c, 75 },  /* keypad 4 */
    { 0x5d, 76 },  /* keypad 5 */
    { 0x5e, 77 },  /* keypad 6 */
    { 0x5f, 71 },  /* keypad 7 */
    { 0x60, 72 },  /* keypad 8 */
    { 0x61, 73 },  /* keypad 9 */
    { 0x62, 82 },  /* keypad 0 */
    { 0x63, 83 },  /* keypad . */
    { 0x64, 86 },  /* non-US backslash (102nd) */
    { 0x65, 127 }, /* application (compose) */
    { 0x66, 116 }, /* power */
    { 0x67, 117 }, /* keypad = */
    { 0xe0, 29 },  /* left ctrl */
    { 0xe1, 42 },  /* left shift */
    { 0xe2, 56 },  /* left alt */
    { 0xe3, 125 }, /* left GUI */
    { 0xe4, 97 },  /* right ctrl */
    { 0xe5, 54 },  /* right shift */
    { 0xe6, 100 }, /* right alt */
    { 0xe7, 126 }, /* right GUI */
};

const char *
virKeycodeSetToString(unsigned int codeset)
{
    return codeset < CS_LAST ? codesetNames[codeset] : NULL;
}

bool
virKeycodeIsValid(unsigned int codeset, unsigned int key)
{
    switch (codeset) {
    case CS_LINUX:
        return key <= 0x2ff; /* KEY_RESERVED (0) to KEY_MAX */
    case CS_XT:
    case CS_OSX:
        return key > 0 && key < 0x80;
    case CS_ATSET1:
        return (key > 0 && key < 0x80) || (key >= 0xe001 && key < 0xe080);
    case CS_ATSET2:
        return (key > 0 && key < 0x100) || (key >= 0xe001 && key < 0xe100);
    case CS_ATSET3:
    case CS_XT_KBD:
    case CS_USB:
    case CS_WIN32:
    case CS_QNUM:
        return key > 0 && key < 0x100;
    }
    return false;
}

int
virKeycodeToQnum(unsigned int codeset, unsigned int key)
{
    if (!virKeycodeIsValid(codeset, key) || key == 0)
        return -1;
    switch (codeset) {
    case CS_LINUX:
        if (key < 85)
            return (int)key;
        for (size_t i = 0; i < G_N_ELEMENTS(linuxExtra); i++) {
            if (linuxExtra[i].linux_key == key)
                return (int)linuxExtra[i].qnum;
        }
        return -1;
    case CS_XT:
    case CS_QNUM:
        return (int)key;
    case CS_ATSET1:
        return key >= 0xe000 ? (int)(0x80 | (key & 0x7f)) : (int)key;
    case CS_USB:
        for (size_t i = 0; i < G_N_ELEMENTS(usbKeys); i++) {
            if (usbKeys[i].usage == key)
                return virKeycodeToQnum(CS_LINUX, usbKeys[i].linux_key);
        }
        return -1;
    }
    return -1;
}
