/* virxdr.h: XDR (RFC 4506) encoding and decoding over a bounded growable buffer */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * One virXdr is a stream in one direction. Each type has one "filter"
 * function that encodes, decodes or frees an object depending on the
 * stream's op (the classic XDR idiom), so a struct's layout is written
 * once. Filters return false on failure; the stream remembers the first
 * failure (virXdrFailed/virXdrError) and every later call fails at once,
 * so a filter may chain calls with && and check once.
 *
 * Limits are enforced BEFORE anything is allocated while decoding:
 * a string longer than its maximum or than the bytes left in the buffer,
 * an array count above its maximum (counts >= 2^31, "negative", always
 * are) or larger than the bytes left could hold, is a decode failure.
 * Encoding fails when the output would exceed the stream's maximum size.
 *
 * Decoded objects own their memory (g_malloc); free them with
 * virXdrFree(filter, obj), which is the FREE op and accepts partially
 * decoded objects (a failed decode leaves a consistent, freeable object).
 */

typedef enum {
    VIR_XDR_ENCODE,
    VIR_XDR_DECODE,
    VIR_XDR_FREE,
} virXdrOp;

typedef struct _virXdr virXdr;
struct _virXdr {
    virXdrOp op;
    guint8 *buf;       /* ENCODE: owned, grows; DECODE: borrowed */
    size_t len;        /* ENCODE: bytes written; DECODE: bytes available */
    size_t cap;        /* ENCODE: allocated size */
    size_t pos;        /* DECODE: read position */
    size_t max;        /* ENCODE: hard limit on len */
    const char *error; /* first failure (static text), NULL if none */
};

typedef bool (*virXdrFilter)(virXdr *xdr, void *obj);

/* Largest string the protocol carries (REMOTE_STRING_MAX). */
#define VIR_XDR_STRING_MAX 4194304

/* Set up a stream. ENCODE starts empty, grows on demand up to @max bytes.
 * DECODE reads @len bytes at @data (borrowed; must outlive the stream). */
void virXdrInitEncode(virXdr *xdr, size_t max);
void virXdrInitDecode(virXdr *xdr, const void *data, size_t len);
/* Release an ENCODE stream's buffer (no-op for DECODE). */
void virXdrClear(virXdr *xdr);
/* Hand over the encoded bytes (caller frees); the stream becomes empty. */
guint8 *virXdrSteal(virXdr *xdr, size_t *len);

bool virXdrFailed(const virXdr *xdr);
/* Record a failure (first one wins); returns false. */
bool virXdrSetError(virXdr *xdr, const char *why);
/* Bytes left to decode. */
size_t virXdrRemaining(const virXdr *xdr);
/* Encode: reserve @n zero bytes (e.g. a header filled in later); returns
 * the offset, or (size_t)-1 on overflow. */
size_t virXdrReserve(virXdr *xdr, size_t n);

/* Run @filter in FREE mode on @obj (NULL-safe); leaves @obj zeroed. */
void virXdrFree(virXdrFilter filter, void *obj);

/* Primitives. */
bool virXdrInt(virXdr *xdr, int32_t *v);
bool virXdrUInt(virXdr *xdr, uint32_t *v);
bool virXdrHyper(virXdr *xdr, int64_t *v);
bool virXdrUHyper(virXdr *xdr, uint64_t *v);
bool virXdrDouble(virXdr *xdr, double *v);
/* bool in XDR is an int restricted to 0/1. */
bool virXdrBool(virXdr *xdr, int32_t *v);
/* int on the wire, native int in memory (for struct fields typed int). */
bool virXdrNativeInt(virXdr *xdr, int *v);
bool virXdrNativeUInt(virXdr *xdr, unsigned int *v);

/* string<max>, never NULL: u32 length, bytes, zero padding. Decoded
 * strings are NUL-terminated; an embedded NUL is a decode failure. */
bool virXdrString(virXdr *xdr, char **s, uint32_t max);
/* Optional string (remote_string): u32 0/1 then a string. */
bool virXdrOptString(virXdr *xdr, char **s, uint32_t max);
/* opaque[n]: n raw bytes, zero padded to a multiple of 4. */
bool virXdrOpaqueFixed(virXdr *xdr, guint8 *p, size_t n);
/* opaque<max> (variable): u32 count, the bytes, zero padding. *p is
 * g_malloc'd on decode (NULL when count is 0). */
bool virXdrOpaqueVar(virXdr *xdr, guint8 **p, uint32_t *count, uint32_t max);
/* char[n] (fixed): each char is a 4-byte XDR int. */
bool virXdrCharFixed(virXdr *xdr, char *p, size_t n);
/* char<max> (variable): u32 count, then count 4-byte ints. *p is g_malloc'd
 * with count + 1 bytes (NUL-terminated) on decode. */
bool virXdrCharVar(virXdr *xdr, char **p, uint32_t *count, uint32_t max);

/* T x<max>: u32 count, then each element through @elem. @elems is a
 * pointer to the array pointer; @elemSize the C size of one element;
 * @minWire the smallest wire size of one element (>= 4) for the
 * "cannot possibly fit" check. */
bool virXdrArray(virXdr *xdr, void **elems, uint32_t *count, uint32_t max,
                 size_t elemSize, size_t minWire, virXdrFilter elem);

/* Element filters for arrays of primitives (obj points at the element). */
bool virXdrIntElem(virXdr *xdr, void *obj);    /* int32_t / int */
bool virXdrStringElem(virXdr *xdr, void *obj); /* char *, string<4194304> */

/* Optional pointer (T *x): u32 0/1, then the object through @filter.
 * On decode the object is g_malloc0(size). */
bool virXdrPointer(virXdr *xdr, void **obj, size_t size, virXdrFilter filter);
