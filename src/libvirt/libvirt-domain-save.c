/* libvirt-domain-save.c: public entry points that save a guest's state to a file and bring it back (save, restore, managed save), and core dumps */
#define G_LOG_DOMAIN "virtkit.api"

#include <string.h>

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/*
 * Contracts below, as libvirt 9.0's libvirt-domain.c: the common checks
 * (invalid connection or domain, a driver without the call
 * VIR_ERR_NO_SUPPORT), read-only connections refused (OPERATION_DENIED),
 * every failure dispatched once. File names are made absolute here, in
 * the caller's process, because the save or restore runs in another one
 * (virtkitd, or QEMU) with another working directory.
 */

/* @path made absolute against the caller's working directory (new string). */
static char *
absPath(const char *path)
{
    g_autofree char *cwd = NULL;

    if (g_path_is_absolute(path))
        return g_strdup(path);
    cwd = g_get_current_dir();
    return g_build_filename(cwd, path, NULL);
}

static int
checkReadOnly(virConnectPtr conn, const char *funcname)
{
    if (conn->flags & VIR_CONNECT_RO) {
        virReportError(VIR_ERR_OPERATION_DENIED, "read only access prevents %s",
                       funcname);
        return -1;
    }
    return 0;
}

static int
checkRunningPaused(const char *funcname, unsigned int flags)
{
    if ((flags & VIR_DOMAIN_SAVE_RUNNING) && (flags & VIR_DOMAIN_SAVE_PAUSED)) {
        virAPIReportInvalidArg(VIR_FROM_THIS, funcname, "flags",
                               "Flags '%s' and '%s' are mutually exclusive",
                               "VIR_DOMAIN_SAVE_RUNNING", "VIR_DOMAIN_SAVE_PAUSED");
        return -1;
    }
    return 0;
}

static int
checkNonNull(const char *funcname, const char *argname, const void *arg)
{
    if (!arg) {
        virAPIReportInvalidArg(VIR_FROM_THIS, funcname, argname,
                               "%s in %s must not be NULL", argname, funcname);
        return -1;
    }
    return 0;
}

/* The body of virDomainSave and virDomainSaveFlags. */
static int
saveFlags(const char *funcname, virDomainPtr domain, const char *to, const char *dxml,
          unsigned int flags)
{
    virConnectPtr conn = domain->conn;
    g_autofree char *absTo = NULL;

    if (checkReadOnly(conn, funcname) < 0 || checkNonNull(funcname, "to", to) < 0 ||
        checkRunningPaused(funcname, flags) < 0)
        goto error;
    if (conn->driver->domainSaveFlags) {
        absTo = absPath(to);
        if (conn->driver->domainSaveFlags(domain, absTo, dxml, flags) < 0)
            goto error;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}

/**
 * virDomainSave:
 * @domain: a domain handle
 * @to: path of the file to write (made absolute against the caller's
 *      working directory)
 *
 * Saves the memory and device state of the running @domain to @to and
 * stops it (shut off, reason saved; a STOPPED/SAVED event). The file
 * begins with libvirt's save-image header and the domain XML
 * (virDomainSaveImageGetXMLDesc reads it); virDomainRestore resumes the
 * guest where it was. A failed save leaves the guest running and no file.
 * As virDomainSaveFlags(@domain, @to, NULL, 0).
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG
 * for a NULL @to, VIR_ERR_OPERATION_INVALID when @domain is not running,
 * VIR_ERR_SYSTEM_ERROR when the file cannot be written.
 */
int
virDomainSave(virDomainPtr domain, const char *to)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return saveFlags(__func__, domain, to, NULL, 0);
}

/**
 * virDomainSaveFlags:
 * @domain: a domain handle
 * @to: path of the file to write (made absolute against the caller's
 *      working directory)
 * @dxml: an optional domain XML to store in the image instead of the
 *        current one (same guest ABI), or NULL
 * @flags: bitwise-OR of virDomainSaveRestoreFlags
 *
 * As virDomainSave; VIR_DOMAIN_SAVE_RUNNING / VIR_DOMAIN_SAVE_PAUSED
 * record in the image whether a restore resumes the guest or leaves it
 * paused (default: the state it had when saved); the two are mutually
 * exclusive. Drivers refuse the flags and @dxml they cannot honour
 * (libvirt's test driver takes none).
 *
 * Returns 0 in case of success and -1 in case of error (as virDomainSave,
 * and VIR_ERR_INVALID_ARG for both RUNNING and PAUSED or an unsupported
 * flag).
 */
int
virDomainSaveFlags(virDomainPtr domain, const char *to, const char *dxml,
                   unsigned int flags)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return saveFlags(__func__, domain, to, dxml, flags);
}

/* The body of virDomainRestore and virDomainRestoreFlags. */
static int
restoreFlags(const char *funcname, virConnectPtr conn, const char *from, const char *dxml,
             unsigned int flags)
{
    g_autofree char *absFrom = NULL;

    if (checkReadOnly(conn, funcname) < 0 || checkNonNull(funcname, "from", from) < 0 ||
        checkRunningPaused(funcname, flags) < 0)
        goto error;
    if (conn->driver->domainRestoreFlags) {
        absFrom = absPath(from);
        if (conn->driver->domainRestoreFlags(conn, absFrom, dxml, flags) < 0)
            goto error;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}

/**
 * virDomainRestore:
 * @conn: a connection
 * @from: path of a save image written by virDomainSave
 *
 * Starts the domain saved in @from again where it was (running, reason
 * restored; a STARTED/RESTORED event), or paused if it was paused when
 * saved. The image stays (libvirt never deletes a save file it was
 * given). As virDomainRestoreFlags(@conn, @from, NULL, 0).
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG
 * for a NULL @from, VIR_ERR_SYSTEM_ERROR for an unreadable file,
 * VIR_ERR_OPERATION_FAILED or VIR_ERR_INTERNAL_ERROR for a file that is
 * not a save image, VIR_ERR_OPERATION_INVALID when the domain runs.
 */
int
virDomainRestore(virConnectPtr conn, const char *from)
{
    virResetLastError();
    virCheckConnectReturn(conn, -1);
    return restoreFlags(__func__, conn, from, NULL, 0);
}

/**
 * virDomainRestoreFlags:
 * @conn: a connection
 * @from: path of a save image
 * @dxml: an optional domain XML to start the guest with instead of the
 *        stored one (same guest ABI: only host-side details may change),
 *        or NULL
 * @flags: bitwise-OR of virDomainSaveRestoreFlags
 *
 * As virDomainRestore; VIR_DOMAIN_SAVE_RUNNING / VIR_DOMAIN_SAVE_PAUSED
 * override the state recorded in the image (mutually exclusive).
 *
 * Returns 0 in case of success and -1 in case of error (as
 * virDomainRestore, and VIR_ERR_INVALID_ARG for both RUNNING and PAUSED
 * or an unsupported flag).
 */
int
virDomainRestoreFlags(virConnectPtr conn, const char *from, const char *dxml,
                      unsigned int flags)
{
    virResetLastError();
    virCheckConnectReturn(conn, -1);
    return restoreFlags(__func__, conn, from, dxml, flags);
}

/* A shallow copy of @params (@nparams) whose VIR_DOMAIN_SAVE_PARAM_FILE
 * string, if any, is made absolute: *@abs owns that string, the array
 * (g_free only) borrows every other value. NULL for no parameters. */
static virTypedParameterPtr
absFileParam(virTypedParameterPtr params, int nparams, char **abs)
{
    virTypedParameterPtr copy;

    *abs = NULL;
    if (nparams <= 0)
        return NULL;
    copy = g_new(virTypedParameter, nparams);
    memcpy(copy, params, sizeof(*params) * nparams);
    for (int i = 0; i < nparams; i++) {
        if (!*abs && copy[i].type == VIR_TYPED_PARAM_STRING && copy[i].value.s &&
            strcmp(copy[i].field, VIR_DOMAIN_SAVE_PARAM_FILE) == 0) {
            *abs = absPath(copy[i].value.s);
            copy[i].value.s = *abs;
        }
    }
    return copy;
}

/**
 * virDomainSaveParams:
 * @domain: a domain handle
 * @params: @nparams typed parameters: VIR_DOMAIN_SAVE_PARAM_FILE (string,
 *          the image to write, made absolute against the caller's working
 *          directory), VIR_DOMAIN_SAVE_PARAM_DXML (string, a replacement
 *          domain XML with the same guest ABI); may be NULL when @nparams
 *          is 0
 * @nparams: the number of @params
 * @flags: bitwise-OR of virDomainSaveRestoreFlags
 *
 * virDomainSaveFlags with its arguments as typed parameters. Without
 * VIR_DOMAIN_SAVE_PARAM_FILE it is a managed save (virDomainManagedSave,
 * with the replacement XML if given), as libvirt's QEMU driver does.
 * Parameters are checked before anything happens: an unknown one, one
 * of the wrong type or one given twice changes nothing. libvirt's test
 * driver does not have this call.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones
 * (VIR_ERR_NO_SUPPORT for a driver without it), VIR_ERR_OPERATION_DENIED
 * on a read-only connection, VIR_ERR_INVALID_ARG for both RUNNING and
 * PAUSED, a NULL @params with @nparams > 0, a negative @nparams, a
 * parameter of the wrong type or given twice, VIR_ERR_ARGUMENT_UNSUPPORTED
 * for an unknown parameter, and virDomainSaveFlags' (or
 * virDomainManagedSave's) errors.
 */
int
virDomainSaveParams(virDomainPtr domain, virTypedParameterPtr params, int nparams,
                    unsigned int flags)
{
    g_autofree char *abs = NULL;
    g_autofree virTypedParameterPtr copy = NULL;

    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    if (checkReadOnly(conn, __func__) < 0 || checkRunningPaused(__func__, flags) < 0)
        goto error;
    virCheckNonNegativeArgGoto(nparams, error);
    virCheckNonNullArrayArgGoto(params, nparams, error);
    if (conn->driver->domainSaveParams)
        copy = absFileParam(params, nparams, &abs);
    VIR_ENTRY_CALL_ZERO(driver, domainSaveParams, domain, copy, nparams, flags);
}

/**
 * virDomainRestoreParams:
 * @conn: a connection
 * @params: @nparams typed parameters: VIR_DOMAIN_SAVE_PARAM_FILE (string,
 *          the save image, made absolute against the caller's working
 *          directory; required), VIR_DOMAIN_SAVE_PARAM_DXML (string, a
 *          replacement domain XML with the same guest ABI); may be NULL
 *          when @nparams is 0
 * @nparams: the number of @params
 * @flags: bitwise-OR of virDomainSaveRestoreFlags
 *
 * virDomainRestoreFlags with its arguments as typed parameters; the
 * parameters are checked before anything happens. libvirt's test driver
 * does not have this call.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones
 * (VIR_ERR_NO_SUPPORT for a driver without it), VIR_ERR_OPERATION_DENIED
 * on a read-only connection, VIR_ERR_INVALID_ARG for both RUNNING and
 * PAUSED, a NULL @params with @nparams > 0, a negative @nparams, no
 * VIR_DOMAIN_SAVE_PARAM_FILE ("missing path to restore from"), a
 * parameter of the wrong type or given twice, VIR_ERR_ARGUMENT_UNSUPPORTED
 * for an unknown parameter, and virDomainRestoreFlags' errors.
 */
int
virDomainRestoreParams(virConnectPtr conn, virTypedParameterPtr params, int nparams,
                       unsigned int flags)
{
    g_autofree char *abs = NULL;
    g_autofree virTypedParameterPtr copy = NULL;

    VIR_ENTRY_CONNECT(-1);
    if (checkReadOnly(conn, __func__) < 0 || checkRunningPaused(__func__, flags) < 0)
        goto error;
    virCheckNonNegativeArgGoto(nparams, error);
    virCheckNonNullArrayArgGoto(params, nparams, error);
    if (conn->driver->domainRestoreParams)
        copy = absFileParam(params, nparams, &abs);
    VIR_ENTRY_CALL_ZERO(driver, domainRestoreParams, conn, copy, nparams, flags);
}

/**
 * virDomainSaveImageGetXMLDesc:
 * @conn: a connection
 * @file: path of a save image
 * @flags: bitwise-OR of virDomainSaveImageXMLFlags
 *
 * The domain XML stored in the save image @file.
 * VIR_DOMAIN_SAVE_IMAGE_XML_SECURE (refused on a read-only connection)
 * includes security-sensitive details.
 *
 * Returns a new string the caller frees, or NULL in case of error: the
 * common ones, VIR_ERR_OPERATION_DENIED, VIR_ERR_INVALID_ARG for a NULL
 * @file, VIR_ERR_SYSTEM_ERROR for an unreadable file, an error for a file
 * that is not a save image.
 */
char *
virDomainSaveImageGetXMLDesc(virConnectPtr conn, const char *file, unsigned int flags)
{
    g_autofree char *absFile = NULL;
    char *ret;

    virResetLastError();
    virCheckConnectReturn(conn, NULL);
    if (checkNonNull(__func__, "file", file) < 0)
        goto error;
    if ((conn->flags & VIR_CONNECT_RO) && (flags & VIR_DOMAIN_SAVE_IMAGE_XML_SECURE)) {
        virReportError(VIR_ERR_OPERATION_DENIED, "%s",
                       "virDomainSaveImageGetXMLDesc with secure flag");
        goto error;
    }
    if (conn->driver->domainSaveImageGetXMLDesc) {
        absFile = absPath(file);
        if (!(ret = conn->driver->domainSaveImageGetXMLDesc(conn, absFile, flags)))
            goto error;
        return ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return NULL;
}

/**
 * virDomainSaveImageDefineXML:
 * @conn: a connection
 * @file: path of a save image
 * @dxml: the domain XML to store in it instead (same guest ABI)
 * @flags: bitwise-OR of virDomainSaveRestoreFlags (RUNNING or PAUSED:
 *         change the state a restore ends in)
 *
 * Replaces the domain XML stored in the save image @file; the memory
 * state is not touched. The image is rewritten whole through a temporary
 * file, so a failure leaves the old image as it was.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED, VIR_ERR_INVALID_ARG for a NULL argument or
 * both RUNNING and PAUSED, an XML error for a bad @dxml,
 * VIR_ERR_CONFIG_UNSUPPORTED for a different guest.
 */
int
virDomainSaveImageDefineXML(virConnectPtr conn, const char *file, const char *dxml,
                            unsigned int flags)
{
    g_autofree char *absFile = NULL;

    virResetLastError();
    virCheckConnectReturn(conn, -1);
    if (checkReadOnly(conn, __func__) < 0 || checkNonNull(__func__, "file", file) < 0 ||
        checkNonNull(__func__, "dxml", dxml) < 0 ||
        checkRunningPaused(__func__, flags) < 0)
        goto error;
    if (conn->driver->domainSaveImageDefineXML) {
        absFile = absPath(file);
        if (conn->driver->domainSaveImageDefineXML(conn, absFile, dxml, flags) < 0)
            goto error;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}

/**
 * virDomainManagedSave:
 * @dom: a running, persistent domain
 * @flags: bitwise-OR of virDomainSaveRestoreFlags
 *
 * Saves @dom's state to a file the driver manages (one per domain) and
 * stops it (shut off, reason saved; STOPPED/SAVED). The next
 * virDomainCreate restores from that image instead of booting, and then
 * removes it. virDomainHasManagedSaveImage tells whether one exists.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED, VIR_ERR_INVALID_ARG for both RUNNING and
 * PAUSED, VIR_ERR_OPERATION_INVALID when @dom is not running or is
 * transient.
 */
int
virDomainManagedSave(virDomainPtr dom, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    if (checkReadOnly(conn, __func__) < 0 || checkRunningPaused(__func__, flags) < 0)
        goto error;
    VIR_ENTRY_CALL_ZERO(driver, domainManagedSave, dom, flags);
}

/**
 * virDomainManagedSaveRemove:
 * @dom: a domain handle
 * @flags: 0
 *
 * Deletes @dom's managed save image, if any (the next start boots).
 *
 * Returns 0 in case of success (also when there was none) and -1 in case
 * of error: the common ones, VIR_ERR_OPERATION_DENIED.
 */
int
virDomainManagedSaveRemove(virDomainPtr dom, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    if (checkReadOnly(conn, __func__) < 0)
        goto error;
    VIR_ENTRY_CALL_ZERO(driver, domainManagedSaveRemove, dom, flags);
}

/**
 * virDomainManagedSaveGetXMLDesc:
 * @domain: a domain handle
 * @flags: bitwise-OR of virDomainSaveImageXMLFlags
 *
 * The domain XML stored in @domain's managed save image.
 *
 * Returns a new string the caller frees, or NULL in case of error: the
 * common ones, VIR_ERR_OPERATION_DENIED for the secure flag on a
 * read-only connection, VIR_ERR_OPERATION_INVALID when @domain has no
 * managed save image.
 */
char *
virDomainManagedSaveGetXMLDesc(virDomainPtr domain, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, NULL), domain->conn);
    if ((conn->flags & VIR_CONNECT_RO) && (flags & VIR_DOMAIN_SAVE_IMAGE_XML_SECURE)) {
        virReportError(VIR_ERR_OPERATION_DENIED, "%s",
                       "virDomainManagedSaveGetXMLDesc with secure flag");
        goto error;
    }
    VIR_ENTRY_CALL_PTR(driver, domainManagedSaveGetXMLDesc, domain, flags);
}

/**
 * virDomainManagedSaveDefineXML:
 * @domain: a domain handle
 * @dxml: the domain XML to store in the managed save image (same guest ABI)
 * @flags: bitwise-OR of virDomainSaveRestoreFlags
 *
 * As virDomainSaveImageDefineXML on @domain's managed save image.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED, VIR_ERR_INVALID_ARG for both RUNNING and
 * PAUSED, VIR_ERR_OPERATION_INVALID when there is no managed save image.
 */
int
virDomainManagedSaveDefineXML(virDomainPtr domain, const char *dxml, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    if (checkReadOnly(conn, __func__) < 0 || checkRunningPaused(__func__, flags) < 0)
        goto error;
    VIR_ENTRY_CALL_ZERO(driver, domainManagedSaveDefineXML, domain, dxml, flags);
}

/* The body of the two dump calls: libvirt's checks, then the driver. */
static int
coreDump(const char *funcname, virDomainPtr domain, const char *to,
         unsigned int dumpformat, unsigned int flags)
{
    virConnectPtr conn = domain->conn;
    g_autofree char *absTo = NULL;
    static const struct {
        unsigned int a, b;
        const char *na, *nb;
    } exclusive[] = {
        { VIR_DUMP_CRASH, VIR_DUMP_LIVE, "VIR_DUMP_CRASH", "VIR_DUMP_LIVE" },
        { VIR_DUMP_CRASH, VIR_DUMP_RESET, "VIR_DUMP_CRASH", "VIR_DUMP_RESET" },
        { VIR_DUMP_LIVE, VIR_DUMP_RESET, "VIR_DUMP_LIVE", "VIR_DUMP_RESET" },
    };

    if (checkReadOnly(conn, funcname) < 0 || checkNonNull(funcname, "to", to) < 0)
        goto error;
    for (size_t i = 0; i < G_N_ELEMENTS(exclusive); i++) {
        if ((flags & exclusive[i].a) && (flags & exclusive[i].b)) {
            virAPIReportInvalidArg(VIR_FROM_THIS, funcname, "flags",
                                   "Flags '%s' and '%s' are mutually exclusive",
                                   exclusive[i].na, exclusive[i].nb);
            goto error;
        }
    }
    if (conn->driver->domainCoreDumpWithFormat) {
        absTo = absPath(to);
        if (conn->driver->domainCoreDumpWithFormat(domain, absTo, dumpformat, flags) < 0)
            goto error;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}

/**
 * virDomainCoreDump:
 * @domain: a domain handle
 * @to: path of the file to write (made absolute against the caller's
 *      working directory)
 * @flags: bitwise-OR of virDomainCoreDumpFlags
 *
 * Dumps the running @domain for analysis. With VIR_DUMP_MEMORY_ONLY the
 * file is an ELF core of the guest's memory (QEMU's dump-guest-memory,
 * what crash(8) reads); without it, QEMU's whole device state (a
 * migration stream, as libvirt writes it). The guest is paused meanwhile
 * unless VIR_DUMP_LIVE; afterwards it runs on, is stopped as crashed
 * (VIR_DUMP_CRASH: SHUTOFF/CRASHED, STOPPED/CRASHED) or is reset
 * (VIR_DUMP_RESET). The file appears only whole. As
 * virDomainCoreDumpWithFormat(@domain, @to, VIR_DOMAIN_CORE_DUMP_FORMAT_RAW, @flags).
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG
 * for a NULL @to or two of CRASH, LIVE and RESET together,
 * VIR_ERR_OPERATION_INVALID when @domain is not running.
 */
int
virDomainCoreDump(virDomainPtr domain, const char *to, unsigned int flags)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return coreDump(__func__, domain, to, VIR_DOMAIN_CORE_DUMP_FORMAT_RAW, flags);
}

/**
 * virDomainCoreDumpWithFormat:
 * @domain: a domain handle
 * @to: path of the file to write
 * @dumpformat: a virDomainCoreDumpFormat: RAW (an ELF core with
 *              VIR_DUMP_MEMORY_ONLY), or one of QEMU's kdump-compressed
 *              formats or win-dmp, which need VIR_DUMP_MEMORY_ONLY
 * @flags: bitwise-OR of virDomainCoreDumpFlags
 *
 * As virDomainCoreDump, in the format asked for.
 *
 * Returns 0 in case of success and -1 in case of error (as
 * virDomainCoreDump; VIR_ERR_OPERATION_UNSUPPORTED for a format without
 * VIR_DUMP_MEMORY_ONLY or one the hypervisor cannot write).
 */
int
virDomainCoreDumpWithFormat(virDomainPtr domain, const char *to, unsigned int dumpformat,
                            unsigned int flags)
{
    virResetLastError();
    virCheckDomainReturn(domain, -1);
    return coreDump(__func__, domain, to, dumpformat, flags);
}
