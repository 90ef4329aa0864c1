/* virerror.h: internal error reporting (one report where a failure is detected) */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <libvirt/virterror.h>

/*
 * = Rules =
 *
 * 1. A failure is reported once, by the function that detects it, with
 *    virReportError / virReportSystemError, and the function returns -1,
 *    NULL or false. Its callers pass the failure up without reporting
 *    again (a second report would overwrite the first, precise one).
 * 2. A function that fails sets an error; one that succeeds leaves the
 *    thread's error alone. No output parameter is written on failure.
 * 3. Errors carry libvirt's code and domain numbers and libvirt's message
 *    template (virErrorMsgTemplate), so a remote caller sees exactly what a
 *    local one sees. A message is one phrase, no trailing period,
 *    identifiers quoted ('%s').
 * 4. Only the public entry points (src/libvirt) reset the thread's error
 *    on entry and dispatch it on failure (virDispatchError). Elsewhere, a
 *    failure that is tolerated is not reported in the first place: call a
 *    quiet variant (one that returns an errno or a bool and reports
 *    nothing) rather than report and then virResetLastError. Where code
 *    must call something that reports and then decides to go on, it saves
 *    and restores the caller's error (virErrorPreserveLast /
 *    virErrorRestore) or says in a comment why the reset is right.
 * 5. Library and driver code never logs above debug (g_debug): in
 *    embedded mode (qemu:///embed, test:///) it runs inside the user's
 *    program, whose stderr is not ours. What the host's operator must
 *    learn but no API caller can be told (a definition that no longer
 *    loads, a file that could not be given back) goes through VIR_NOTICE:
 *    debug unless the hosting program installed a sink
 *    (virNoticeSetHandler); virtkitd logs it as a warning. The daemon and
 *    the shell alone decide what the user sees.
 * 6. Internal invariants (a caller's bug, never bad input) are g_assert.
 *
 * Every .c file that reports errors defines VIR_FROM_THIS (a virErrorDomain)
 * before using these macros.
 *
 * virReportError(code, fmt, ...): records the thread's last error. fmt/args
 * form the *detail*; the message is libvirt's template for @code applied to
 * it ("internal error: %s", "Requested operation is not valid: %s", ...).
 * Pass NULL as fmt for codes whose bare message has no detail
 * (NO_NAME -> "missing name information", NO_DOMAIN -> "Domain not found").
 *
 * virReportSystemError(errnum, fmt, ...): VIR_ERR_SYSTEM_ERROR with the
 * message "<detail>: <strerror(errnum)>".
 */
void virReportErrorFull(int domain, int code, const char *funcname, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
void virReportSystemErrorFull(int domain, int errnum, const char *funcname,
                              const char *fmt, ...) G_GNUC_PRINTF(4, 5);

#define virReportError(code, ...) \
    virReportErrorFull(VIR_FROM_THIS, code, __func__, __VA_ARGS__)
#define virReportSystemError(errnum, ...) \
    virReportSystemErrorFull(VIR_FROM_THIS, errnum, __func__, __VA_ARGS__)

/* INVALID_ARG "unsupported flags (0x%x) in function <fn>" when @flags has a
 * bit outside @supported; returns @retval in that case. The message is used
 * as is, without the "invalid argument: " template prefix: libvirt raises
 * it through virReportInvalidArg, and clients see exactly
 * "unsupported flags (0x2) in function testDomainDestroyFlags". */
#define virCheckFlags(supported, retval)                                              \
    do {                                                                              \
        unsigned int _unsupp = flags & ~(unsigned int)(supported);                    \
        if (_unsupp) {                                                                \
            char _unsuppMsg[160];                                                     \
            g_snprintf(_unsuppMsg, sizeof(_unsuppMsg),                                \
                       "unsupported flags (0x%x) in function %s", _unsupp, __func__); \
            virSetErrorRaw(VIR_FROM_THIS, VIR_ERR_INVALID_ARG, VIR_ERR_ERROR,         \
                           _unsuppMsg, __func__, "flags", NULL, 0, 0);                \
            return retval;                                                            \
        }                                                                             \
    } while (0)

/* Record an already complete error (code, domain, message used verbatim);
 * used by the remote driver to hand on a daemon's error unchanged. */
void virSetErrorRaw(int domain, int code, int level, const char *message,
                    const char *str1, const char *str2, const char *str3, int int1,
                    int int2);

/* True if the calling thread has an error recorded. */
bool virErrorIsSet(void);

/* Save/restore the thread's error around code that may clobber it: after
 * virErrorRestore the thread's error is exactly what it was at
 * virErrorPreserveLast (none, if there was none), and errno too. */
void virErrorPreserveLast(virErrorPtr *saved);
void virErrorRestore(virErrorPtr *saved);

/* The libvirt template for @code, e.g. "internal error: %s"; never NULL. */
const char *virErrorMsgTemplate(int code, bool hasDetail);

/* The two halves of the public layer's virDispatchError (src/libvirt,
 * which owns the connection object): virErrorPrepareDispatch returns the
 * thread's last error, first filled with libvirt's "cause is unknown"
 * error if none was reported; virErrorCallHandler passes @err to @handler,
 * or when @handler is NULL to the one set by virSetErrorFunc, or when none
 * is set prints it to stderr as libvirt's default handler does. */
virErrorPtr virErrorPrepareDispatch(void);
void virErrorCallHandler(virErrorPtr err, virErrorFunc handler, void *userData);

/* Deep copy of an error (not public API in libvirt). */
int virCopyError(virErrorPtr from, virErrorPtr to);

/* Notices (rule 5): @message for the host's operator, from library code.
 * Logged at debug in log domain @logDomain unless a handler is set; the
 * handler (any thread) decides. Set it once, before threads start. */
typedef void (*virNoticeHandler)(const char *logDomain, const char *message);
void virNoticeSetHandler(virNoticeHandler handler);
void virNoticeLog(const char *logDomain, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
#define VIR_NOTICE(...) virNoticeLog(G_LOG_DOMAIN, __VA_ARGS__)
