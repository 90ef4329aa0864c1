/* virkeycode.c: keycodes of libvirt's codesets and their translation */
#define G_LOG_DOMAIN "virtkit.util.keycode"

#include "virkeycode.h"

#include "virkeycodetable.h"

#define KEYCODE_SET_QNUM 9
#define KEYCODE_SET_LAST G_N_ELEMENTS(virKeycodeTable[0])

static const char *const codesetNames[] = {
    "linux", "xt", "atset1", "atset2", "atset3", "os_x", "xt_kbd", "usb", "win32", "qnum",
};

G_STATIC_ASSERT(G_N_ELEMENTS(codesetNames) == KEYCODE_SET_LAST);

const char *
virKeycodeSetToString(unsigned int codeset)
{
    return codeset < KEYCODE_SET_LAST ? codesetNames[codeset] : NULL;
}

int
virKeycodeTranslate(unsigned int from, unsigned int to, unsigned int key)
{
    if (from >= KEYCODE_SET_LAST || to >= KEYCODE_SET_LAST)
        return -1;
    /* the first row holding the key, fillers included, as libvirt */
    for (size_t i = 0; i < G_N_ELEMENTS(virKeycodeTable); i++) {
        if (virKeycodeTable[i][from] == key)
            return virKeycodeTable[i][to];
    }
    return -1;
}

bool
virKeycodeIsValid(unsigned int codeset, unsigned int key)
{
    return virKeycodeTranslate(codeset, codeset, key) >= 0;
}

int
virKeycodeToQnum(unsigned int codeset, unsigned int key)
{
    if (codeset == KEYCODE_SET_QNUM)
        return key <= G_MAXINT ? (int)key : -1;
    return virKeycodeTranslate(codeset, KEYCODE_SET_QNUM, key);
}

size_t
virKeycodeRowCount(void)
{
    return G_N_ELEMENTS(virKeycodeTable);
}

unsigned int
virKeycodeRowValue(size_t row, unsigned int codeset)
{
    g_assert(row < G_N_ELEMENTS(virKeycodeTable) && codeset < KEYCODE_SET_LAST);
    return virKeycodeTable[row][codeset];
}
