/* qemu_conf.c: the QEMU driver's settings: qemu.conf and the user QEMU runs as */

#define G_LOG_DOMAIN "virtkit.qemu.conf"
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "qemu_conf.h"
#include "virerror.h"
#include "virfile.h"
#include "virsecurity.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

#define QEMU_CONF_MAX_SIZE (1024 * 1024)

int
qemuDriverConfigParse(qemuDriver *driver, const char *path, const char *text)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

    for (size_t i = 0; lines[i]; i++) {
        g_autofree char *line = g_strstrip(g_strdup(lines[i]));
        char *eq;
        char *key;
        char *val;

        if (!*line || *line == '#')
            continue;
        if (!(eq = strchr(line, '='))) {
            virReportError(VIR_ERR_CONF_SYNTAX, "%s:%zu: expected 'key = value'", path,
                           i + 1);
            return -1;
        }
        *eq = '\0';
        key = g_strstrip(line);
        val = g_strstrip(eq + 1);
        if (g_str_equal(key, "destroy_grace_period")) {
            guint64 sec;

            if (!g_ascii_string_to_unsigned(val, 10, 0, 3600, &sec, NULL)) {
                virReportError(
                    VIR_ERR_CONF_SYNTAX,
                    "%s:%zu: destroy_grace_period must be 0..3600 seconds, not '%s'",
                    path, i + 1, val);
                return -1;
            }
            driver->destroyGraceMs = (unsigned int)sec * 1000;
        } else if (g_str_equal(key, "user") || g_str_equal(key, "group")) {
            size_t len = strlen(val);
            char **dst = g_str_equal(key, "user") ? &driver->user : &driver->group;

            if (len < 2 || val[0] != '"' || val[len - 1] != '"' ||
                memchr(val + 1, '"', len - 2)) {
                virReportError(VIR_ERR_CONF_SYNTAX,
                               "%s:%zu: %s must be a quoted string, not '%s'", path,
                               i + 1, key, val);
                return -1;
            }
            g_free(*dst);
            *dst = g_strndup(val + 1, len - 2);
        } else if (g_str_equal(key, "dynamic_ownership") ||
                   g_str_equal(key, "seccomp_sandbox")) {
            guint64 on;

            if (!g_ascii_string_to_unsigned(val, 10, 0, 1, &on, NULL)) {
                virReportError(VIR_ERR_CONF_SYNTAX, "%s:%zu: %s must be 0 or 1, not '%s'",
                               path, i + 1, key, val);
                return -1;
            }
            if (g_str_equal(key, "dynamic_ownership"))
                driver->dynamicOwnership = on;
            else
                driver->seccompSandbox = on;
        } else if (g_str_equal(key, "remote_display_port_min") ||
                   g_str_equal(key, "remote_display_port_max") ||
                   g_str_equal(key, "remote_websocket_port_min") ||
                   g_str_equal(key, "remote_websocket_port_max")) {
            /* as libvirt: display ports from 5900, WebSocket ports from
             * 5700, none above 65535; min <= max is checked once all are
             * read (qemuDriverConfigParse's end) */
            bool ws = strstr(key, "websocket") != NULL;
            bool isMin = g_str_has_suffix(key, "_min");
            int floor = ws ? 5700 : 5900;
            guint64 port;

            if (!g_ascii_string_to_unsigned(val, 10, floor, 65535, &port, NULL)) {
                virReportError(
                    VIR_ERR_CONF_SYNTAX,
                    "%s:%zu: %s: port must be a number from %d to 65535, not '%s'", path,
                    i + 1, key, floor, val);
                return -1;
            }
            if (ws && isMin)
                driver->ports.websocketMin = (int)port;
            else if (ws)
                driver->ports.websocketMax = (int)port;
            else if (isMin)
                driver->ports.displayMin = (int)port;
            else
                driver->ports.displayMax = (int)port;
        } else if (g_str_equal(key, "cgroup_controllers")) {
            /* libvirt's list: [ "cpu", "memory", ... ]; [ ] uses none */
            static const char *const names[] = { "cpu",    "cpuacct", "cpuset",
                                                 "memory", "blkio",   "freezer" };
            size_t len = strlen(val);
            g_auto(GStrv) items = NULL;

            if (len < 2 || val[0] != '[' || val[len - 1] != ']') {
                virReportError(VIR_ERR_CONF_SYNTAX, "%s:%zu: %s must be a list, not '%s'",
                               path, i + 1, key, val);
                return -1;
            }
            driver->cgroupControllers = 0;
            val[len - 1] = '\0';
            items = g_strsplit(val + 1, ",", -1);
            for (size_t k = 0; items[k]; k++) {
                char *item = g_strstrip(items[k]);
                size_t ilen = strlen(item);

                if (!*item)
                    continue;
                if (ilen < 2 || item[0] != '"' || item[ilen - 1] != '"') {
                    virReportError(VIR_ERR_CONF_SYNTAX,
                                   "%s:%zu: %s items must be quoted strings", path, i + 1,
                                   key);
                    return -1;
                }
                item[ilen - 1] = '\0';
                for (size_t n = 0; n < G_N_ELEMENTS(names); n++) {
                    if (g_str_equal(item + 1, names[n]))
                        driver->cgroupControllers |= 1u << n;
                }
            }
        }
        /* Other keys: libvirt's qemu.conf has many; unknown ones are ignored. */
    }
    if (driver->ports.displayMin > driver->ports.displayMax) {
        virReportError(VIR_ERR_CONF_SYNTAX,
                       "%s: remote_display_port_min: min port must not be greater than "
                       "max port",
                       path);
        return -1;
    }
    if (driver->ports.websocketMin > driver->ports.websocketMax) {
        virReportError(VIR_ERR_CONF_SYNTAX,
                       "%s: remote_websocket_port_min: min port must not be greater than "
                       "max port",
                       path);
        return -1;
    }
    return 0;
}

/* Replace the lookup's error with one that says where @name came from. -1. */
static int
qemuDriverRunAsError(qemuDriver *driver, const char *what, const char *name,
                     bool configured)
{
    g_autofree char *conf =
        g_build_filename(driver->configDir ? driver->configDir : "", "qemu.conf", NULL);

    virResetLastError();
    if (configured)
        virReportError(VIR_ERR_INVALID_ARG, "Failed to parse %s '%s' (set in %s)", what,
                       name, conf);
    else
        virReportError(VIR_ERR_INVALID_ARG,
                       "Failed to parse %s '%s' (QEMU's default %s in system mode: "
                       "'make deps' or systemd-sysusers creates it)",
                       what, name, what);
    return -1;
}

int
qemuDriverResolveRunAs(qemuDriver *driver)
{
    const char *user = driver->user;
    const char *group = driver->group;
    uid_t uid = geteuid();
    gid_t gid = getegid();
    gid_t primary = gid;

    if (driver->embedded) {
        /* Embed mode (make demo, tests) runs QEMU as its caller unless told
         * otherwise (libvirt's embed mode as root takes the build-time
         * default user: the caller here need not have created one). Only
         * a root caller can be told otherwise. */
        if (!user && !group)
            return 0;
        if (geteuid() != 0) {
            g_debug("qemu.conf user/group ignored: embed mode as non-root");
            return 0;
        }
    } else if (!driver->privileged) {
        /* as libvirt: a session daemon cannot change who QEMU runs as */
        if (user || group)
            g_debug("qemu.conf user/group ignored in session mode");
        return 0;
    } else {
        user = user ? user : QEMU_USER_DEFAULT;
        group = group ? group : QEMU_GROUP_DEFAULT;
    }
    if (user && virSecurityParseUser(user, &uid, &primary) < 0)
        return qemuDriverRunAsError(driver, "user", user, driver->user != NULL);
    if (group && virSecurityParseGroup(group, &gid) < 0)
        return qemuDriverRunAsError(driver, "group", group, driver->group != NULL);
    if (!group && user) {
        if (primary == (gid_t)-1) {
            virReportError(VIR_ERR_INVALID_ARG,
                           "user '%s' has no primary group: set 'group' in qemu.conf",
                           user);
            return -1;
        }
        gid = primary;
    }
    driver->runAs = virSecurityIdentityNew(uid, gid);
    g_debug("QEMU runs as uid %u gid %u (%zu supplementary groups)", (unsigned int)uid,
            (unsigned int)gid, driver->runAs->ngroups);
    return 0;
}

int
qemuDriverLoadConfigFile(qemuDriver *driver)
{
    g_autofree char *path = g_build_filename(driver->configDir, "qemu.conf", NULL);
    g_autofree char *text = NULL;

    if (!g_file_test(path, G_FILE_TEST_EXISTS))
        return 0;
    if (virFileReadAll(path, QEMU_CONF_MAX_SIZE, &text) < 0)
        return -1;
    return qemuDriverConfigParse(driver, path, text);
}
