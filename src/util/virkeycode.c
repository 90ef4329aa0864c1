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
    }
    return -1;
}
