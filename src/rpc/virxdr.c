/* virxdr.c: XDR primitives with limits checked before any allocation */
#define G_LOG_DOMAIN "virtkit.rpc.xdr"
#include <string.h>

#include "virxdr.h"

#define XDR_UNIT 4

static inline size_t
xdrPad(size_t n)
{
    return (XDR_UNIT - (n % XDR_UNIT)) % XDR_UNIT;
}

void
virXdrInitEncode(virXdr *xdr, size_t max)
{
    memset(xdr, 0, sizeof(*xdr));
    xdr->op = VIR_XDR_ENCODE;
    xdr->max = max;
}

void
virXdrInitDecode(virXdr *xdr, const void *data, size_t len)
{
    memset(xdr, 0, sizeof(*xdr));
    xdr->op = VIR_XDR_DECODE;
    xdr->buf = (guint8 *)data;
    xdr->len = len;
}

void
virXdrClear(virXdr *xdr)
{
    if (xdr->op == VIR_XDR_ENCODE)
        g_clear_pointer(&xdr->buf, g_free);
    xdr->len = xdr->cap = xdr->pos = 0;
}

guint8 *
virXdrSteal(virXdr *xdr, size_t *len)
{
    guint8 *ret = g_steal_pointer(&xdr->buf);

    *len = xdr->len;
    xdr->len = xdr->cap = 0;
    return ret;
}

bool
virXdrFailed(const virXdr *xdr)
{
    return xdr->error != NULL;
}

bool
virXdrSetError(virXdr *xdr, const char *why)
{
    if (!xdr->error)
        xdr->error = why;
    return false;
}

size_t
virXdrRemaining(const virXdr *xdr)
{
    return xdr->op == VIR_XDR_DECODE ? xdr->len - xdr->pos : 0;
}

/* Make room for @n more bytes in an encoder; false if over the limit. */
static bool
xdrGrow(virXdr *xdr, size_t n)
{
    size_t want;

    if (n > xdr->max || xdr->len > xdr->max - n)
        return virXdrSetError(xdr, "message too large");
    want = xdr->len + n;
    if (want > xdr->cap) {
        size_t cap = xdr->cap ? xdr->cap : 256;
        while (cap < want)
            cap *= 2;
        if (cap > xdr->max)
            cap = xdr->max;
        xdr->buf = g_realloc(xdr->buf, cap);
        xdr->cap = cap;
    }
    return true;
}

static bool
xdrPut(virXdr *xdr, const void *p, size_t n)
{
    size_t pad = xdrPad(n);

    if (!xdrGrow(xdr, n + pad))
        return false;
    if (n)
        memcpy(xdr->buf + xdr->len, p, n);
    memset(xdr->buf + xdr->len + n, 0, pad);
    xdr->len += n + pad;
    return true;
}

static bool
xdrGet(virXdr *xdr, void *p, size_t n)
{
    size_t pad = xdrPad(n);

    if (n + pad > virXdrRemaining(xdr))
        return virXdrSetError(xdr, "truncated payload");
    if (n)
        memcpy(p, xdr->buf + xdr->pos, n);
    xdr->pos += n + pad;
    return true;
}

size_t
virXdrReserve(virXdr *xdr, size_t n)
{
    size_t off = xdr->len;

    if (xdr->error || !xdrGrow(xdr, n))
        return (size_t)-1;
    memset(xdr->buf + off, 0, n);
    xdr->len += n;
    return off;
}

void
virXdrFree(virXdrFilter filter, void *obj)
{
    virXdr xdr = { .op = VIR_XDR_FREE };

    if (obj)
        filter(&xdr, obj);
}

bool
virXdrUInt(virXdr *xdr, uint32_t *v)
{
    guint8 b[4];

    if (xdr->error)
        return false;
    switch (xdr->op) {
    case VIR_XDR_ENCODE:
        b[0] = *v >> 24;
        b[1] = *v >> 16;
        b[2] = *v >> 8;
        b[3] = *v;
        return xdrPut(xdr, b, 4);
    case VIR_XDR_DECODE:
        if (!xdrGet(xdr, b, 4))
            return false;
        *v = ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) |
             b[3];
        return true;
    case VIR_XDR_FREE:
        return true;
    }
    return false;
}

bool
virXdrInt(virXdr *xdr, int32_t *v)
{
    uint32_t u = (uint32_t)*v;

    if (!virXdrUInt(xdr, &u))
        return false;
    if (xdr->op == VIR_XDR_DECODE)
        *v = (int32_t)u;
    return true;
}

bool
virXdrNativeInt(virXdr *xdr, int *v)
{
    int32_t i = *v;

    if (!virXdrInt(xdr, &i))
        return false;
    if (xdr->op == VIR_XDR_DECODE)
        *v = i;
    return true;
}

bool
virXdrNativeUInt(virXdr *xdr, unsigned int *v)
{
    uint32_t u = *v;

    if (!virXdrUInt(xdr, &u))
        return false;
    if (xdr->op == VIR_XDR_DECODE)
        *v = u;
    return true;
}

bool
virXdrBool(virXdr *xdr, int32_t *v)
{
    if (xdr->op == VIR_XDR_ENCODE && *v != 0)
        *v = 1;
    if (!virXdrInt(xdr, v))
        return false;
    if (xdr->op == VIR_XDR_DECODE && *v != 0 && *v != 1)
        return virXdrSetError(xdr, "invalid bool");
    return true;
}

bool
virXdrUHyper(virXdr *xdr, uint64_t *v)
{
    uint32_t hi = *v >> 32, lo = (uint32_t)*v;

    if (!virXdrUInt(xdr, &hi) || !virXdrUInt(xdr, &lo))
        return false;
    if (xdr->op == VIR_XDR_DECODE)
        *v = ((uint64_t)hi << 32) | lo;
    return true;
}

bool
virXdrHyper(virXdr *xdr, int64_t *v)
{
    uint64_t u = (uint64_t)*v;

    if (!virXdrUHyper(xdr, &u))
        return false;
    if (xdr->op == VIR_XDR_DECODE)
        *v = (int64_t)u;
    return true;
}

bool
virXdrDouble(virXdr *xdr, double *v)
{
    uint64_t u;

    memcpy(&u, v, sizeof(u));
    if (!virXdrUHyper(xdr, &u))
        return false;
    if (xdr->op == VIR_XDR_DECODE)
        memcpy(v, &u, sizeof(u));
    return true;
}

bool
virXdrString(virXdr *xdr, char **s, uint32_t max)
{
    uint32_t n;
    g_autofree char *str = NULL;

    if (xdr->op == VIR_XDR_FREE) {
        g_clear_pointer(s, g_free);
        return true;
    }
    if (xdr->error)
        return false;
    if (xdr->op == VIR_XDR_ENCODE) {
        size_t l;
        if (!*s)
            return virXdrSetError(xdr, "NULL string");
        l = strlen(*s);
        if (l > max)
            return virXdrSetError(xdr, "string too long");
        n = l;
        return virXdrUInt(xdr, &n) && xdrPut(xdr, *s, n);
    }

    if (!virXdrUInt(xdr, &n))
        return false;
    if (n > max)
        return virXdrSetError(xdr, "string too long");
    if ((size_t)n + xdrPad(n) > virXdrRemaining(xdr))
        return virXdrSetError(xdr, "truncated payload");
    if (memchr(xdr->buf + xdr->pos, '\0', n))
        return virXdrSetError(xdr, "string contains NUL");
    str = g_malloc((size_t)n + 1);
    if (!xdrGet(xdr, str, n))
        return false;
    str[n] = '\0';
    g_free(*s);
    *s = g_steal_pointer(&str);
    return true;
}

bool
virXdrOptString(virXdr *xdr, char **s, uint32_t max)
{
    uint32_t present = *s != NULL;

    if (xdr->op == VIR_XDR_FREE) {
        g_clear_pointer(s, g_free);
        return true;
    }
    if (!virXdrUInt(xdr, &present))
        return false;
    if (xdr->op == VIR_XDR_DECODE && present > 1)
        return virXdrSetError(xdr, "invalid optional flag");
    if (!present) {
        if (xdr->op == VIR_XDR_DECODE)
            g_clear_pointer(s, g_free);
        return true;
    }
    return virXdrString(xdr, s, max);
}

bool
virXdrOpaqueFixed(virXdr *xdr, guint8 *p, size_t n)
{
    if (xdr->error)
        return false;
    switch (xdr->op) {
    case VIR_XDR_ENCODE:
        return xdrPut(xdr, p, n);
    case VIR_XDR_DECODE:
        return xdrGet(xdr, p, n);
    case VIR_XDR_FREE:
        return true;
    }
    return false;
}

bool
virXdrOpaqueVar(virXdr *xdr, guint8 **p, uint32_t *count, uint32_t max)
{
    g_autofree guint8 *buf = NULL;
    uint32_t n = *count;

    if (xdr->op == VIR_XDR_FREE) {
        g_clear_pointer(p, g_free);
        *count = 0;
        return true;
    }
    if (xdr->error)
        return false;
    if (xdr->op == VIR_XDR_ENCODE) {
        if (n > max)
            return virXdrSetError(xdr, "opaque data too long");
        if (n && !*p)
            return virXdrSetError(xdr, "NULL opaque data");
        return virXdrUInt(xdr, &n) && xdrPut(xdr, *p, n);
    }

    if (!virXdrUInt(xdr, &n))
        return false;
    if (n > max)
        return virXdrSetError(xdr, "opaque data too long");
    if ((size_t)n + xdrPad(n) > virXdrRemaining(xdr))
        return virXdrSetError(xdr, "truncated payload");
    if (n) {
        buf = g_malloc(n);
        if (!xdrGet(xdr, buf, n))
            return false;
    }
    g_free(*p);
    *p = g_steal_pointer(&buf);
    *count = n;
    return true;
}

bool
virXdrCharFixed(virXdr *xdr, char *p, size_t n)
{
    size_t i;

    if (xdr->op == VIR_XDR_FREE)
        return true;
    if (xdr->op == VIR_XDR_DECODE && n * 4 > virXdrRemaining(xdr))
        return virXdrSetError(xdr, "truncated payload");
    for (i = 0; i < n; i++) {
        int32_t c = (signed char)p[i];
        if (!virXdrInt(xdr, &c))
            return false;
        if (xdr->op == VIR_XDR_DECODE)
            p[i] = (char)c;
    }
    return true;
}

bool
virXdrCharVar(virXdr *xdr, char **p, uint32_t *count, uint32_t max)
{
    g_autofree char *buf = NULL;
    uint32_t n = *count;
    uint32_t i;

    if (xdr->op == VIR_XDR_FREE) {
        g_clear_pointer(p, g_free);
        *count = 0;
        return true;
    }
    if (xdr->op == VIR_XDR_ENCODE) {
        if (n > max)
            return virXdrSetError(xdr, "char array too long");
        if (n && !*p)
            return virXdrSetError(xdr, "NULL char array");
        if (!virXdrUInt(xdr, &n))
            return false;
        for (i = 0; i < n; i++) {
            int32_t c = (signed char)(*p)[i];
            if (!virXdrInt(xdr, &c))
                return false;
        }
        return true;
    }

    if (!virXdrUInt(xdr, &n))
        return false;
    if (n > max)
        return virXdrSetError(xdr, "char array too long");
    if ((size_t)n * 4 > virXdrRemaining(xdr))
        return virXdrSetError(xdr, "truncated payload");
    buf = g_malloc0((size_t)n + 1);
    for (i = 0; i < n; i++) {
        int32_t c;
        if (!virXdrInt(xdr, &c))
            return false;
        buf[i] = (char)c;
    }
    g_free(*p);
    *p = g_steal_pointer(&buf);
    *count = n;
    return true;
}

bool
virXdrArray(virXdr *xdr, void **elems, uint32_t *count, uint32_t max, size_t elemSize,
            size_t minWire, virXdrFilter elem)
{
    uint32_t n = *count;
    uint32_t i;
    guint8 *arr;

    g_assert(minWire >= 4);

    if (xdr->op == VIR_XDR_FREE) {
        arr = *elems;
        for (i = 0; arr && i < n; i++)
            elem(xdr, arr + (size_t)i * elemSize);
        g_clear_pointer(elems, g_free);
        *count = 0;
        return true;
    }
    if (xdr->op == VIR_XDR_ENCODE) {
        if (n > max)
            return virXdrSetError(xdr, "array too long");
        if (!virXdrUInt(xdr, &n))
            return false;
        arr = *elems;
        for (i = 0; i < n; i++) {
            if (!elem(xdr, arr + (size_t)i * elemSize))
                return false;
        }
        return true;
    }

    if (!virXdrUInt(xdr, &n))
        return false;
    if (n > max)
        return virXdrSetError(xdr, "array too long");
    if ((size_t)n * minWire > virXdrRemaining(xdr))
        return virXdrSetError(xdr, "truncated payload");
    arr = n ? g_malloc0_n(n, elemSize) : NULL;
    /* Publish at once so a failure part way leaves a freeable object:
     * the count covers every element, the untouched ones are zeroed. */
    *elems = arr;
    *count = n;
    for (i = 0; i < n; i++) {
        if (!elem(xdr, arr + (size_t)i * elemSize))
            return false;
    }
    return true;
}

bool
virXdrPointer(virXdr *xdr, void **obj, size_t size, virXdrFilter filter)
{
    uint32_t present = *obj != NULL;

    if (xdr->op == VIR_XDR_FREE) {
        if (*obj)
            filter(xdr, *obj);
        g_clear_pointer(obj, g_free);
        return true;
    }
    if (!virXdrUInt(xdr, &present))
        return false;
    if (xdr->op == VIR_XDR_DECODE) {
        if (present > 1)
            return virXdrSetError(xdr, "invalid optional flag");
        if (*obj) {
            virXdr f = { .op = VIR_XDR_FREE };
            filter(&f, *obj);
            g_clear_pointer(obj, g_free);
        }
        if (!present)
            return true;
        *obj = g_malloc0(size);
    }
    if (!present)
        return true;
    return filter(xdr, *obj);
}

bool
virXdrIntElem(virXdr *xdr, void *obj)
{
    return virXdrInt(xdr, obj);
}

bool
virXdrStringElem(virXdr *xdr, void *obj)
{
    return virXdrString(xdr, obj, VIR_XDR_STRING_MAX);
}
