/* fuzz-common.h: helpers shared by the libFuzzer targets of tests/fuzz */
#pragma once

/*
 * Every target defines LLVMFuzzerTestOneInput (and may define
 * LLVMFuzzerInitialize). A failed check is a crash for libFuzzer: it
 * prints what was wrong and aborts, so the input is saved as a crash file.
 * Targets run single-threaded unless they say otherwise.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "virerror.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Abort with a message: libFuzzer records the input as a crash. */
#define FUZZ_FAIL(...)                                                       \
    do {                                                                     \
        fprintf(stderr, "fuzz check failed at %s:%d: ", __FILE__, __LINE__); \
        fprintf(stderr, __VA_ARGS__);                                        \
        fputc('\n', stderr);                                                 \
        abort();                                                             \
    } while (0)

#define FUZZ_CHECK(cond, ...)                                    \
    do {                                                         \
        if (!(cond))                                             \
            FUZZ_FAIL("check '" #cond "' failed: " __VA_ARGS__); \
    } while (0)

/* A refused input must leave a libvirt-style error: a known code, a
 * domain among @domains (terminated by -1), a message. */
static inline void
fuzzCheckError(const char *what, const int *domains)
{
    virErrorPtr err = virGetLastError();
    bool domainOk = false;

    if (!err)
        FUZZ_FAIL("%s failed without reporting an error", what);
    if (err->code <= VIR_ERR_OK || err->code > VIR_ERR_MULTIPLE_DOMAINS)
        FUZZ_FAIL("%s: error code %d out of range (%s)", what, err->code,
                  err->message ? err->message : "");
    for (const int *d = domains; *d >= 0; d++)
        domainOk |= err->domain == *d;
    if (!domainOk)
        FUZZ_FAIL("%s: unexpected error domain %d (code %d: %s)", what, err->domain,
                  err->code, err->message ? err->message : "");
    if (!err->message || !*err->message)
        FUZZ_FAIL("%s: error %d without a message", what, err->code);
}

/* The input as a NUL-terminated string (inputs with an embedded NUL are
 * cut there, as a C string API would see them). */
static inline char *
fuzzInputString(const uint8_t *data, size_t size)
{
    return g_strndup((const char *)data, size);
}
