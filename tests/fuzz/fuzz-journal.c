/* fuzz-journal.c: libFuzzer target, virtkitd's event journal files as its start reads them */

/*
 * Input: byte 0 says what else is there (bit 0: a journal.closed marker,
 * bits 1-3: the count bound less 1), byte 1 the length N of the
 * journal.seq text that follows, then N bytes of it, then the journal file
 * itself. The files are written into a fresh folder and virtkitd's journal
 * is opened on it (vkdJournalInit: load, cut a torn tail, recover after an
 * unclean stop, reserve, prune), then closed (vkdJournalShutdown) and
 * opened again. Checked: the first open succeeds (a damaged file starts a
 * new epoch or is cut, it never stops the daemon); its newest seq is far
 * from the end of the range (numbering cannot wrap); the second open, after
 * a clean close, finds the same newest seq (a restart never numbers back,
 * never loses what the first open kept); the second open has nothing to
 * recover (journal.closed was written).
 * Runs the journal's sync thread (as the daemon does) for each open.
 */

#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "daemon_journal.h"
#include "fuzz-common.h"

static char *fuzzRoot;

static void
quietLog(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
}

static void removeTree(const char *dir);

static void
removeRoot(void)
{
    removeTree(fuzzRoot);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *base = g_file_test("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : NULL;
    g_autofree char *tmpl =
        g_build_filename(base ? base : g_get_tmp_dir(), "vkfuzz-journal-XXXXXX", NULL);

    fuzzRoot = g_mkdtemp(g_steal_pointer(&tmpl));
    if (!fuzzRoot)
        FUZZ_FAIL("cannot make a temporary folder");
    atexit(removeRoot);
    /* the journal's warnings about damaged files are expected here */
    g_log_set_handler("virtkitd.journal", G_LOG_LEVEL_MASK, quietLog, NULL);
    return 0;
}

static void
writeFile(const char *dir, const char *name, const uint8_t *data, size_t size)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_autoptr(GError) err = NULL;

    if (!g_file_set_contents(path, (const char *)data, (gssize)size, &err))
        FUZZ_FAIL("cannot write '%s': %s", path, err->message);
}

static void
removeTree(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, name, NULL);

        if (g_file_test(path, G_FILE_TEST_IS_DIR))
            removeTree(path);
        else
            g_unlink(path);
    }
    g_rmdir(dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *state = g_build_filename(fuzzRoot, "state", NULL);
    g_autofree char *events = g_build_filename(state, "events", NULL);
    g_autofree char *closed = g_build_filename(events, "journal.closed", NULL);
    g_autoptr(GError) err = NULL;
    unsigned int maxEvents;
    guint64 head1, head2;
    size_t seqLen;

    if (size < 2)
        return 0;
    maxEvents = 1 + ((data[0] >> 1) & 7);
    seqLen = MIN((size_t)data[1], size - 2);
    removeTree(state);
    if (g_mkdir_with_parents(events, 0700) < 0)
        FUZZ_FAIL("cannot make '%s'", events);
    writeFile(events, "journal.seq", data + 2, seqLen);
    writeFile(events, "journal", data + 2 + seqLen, size - 2 - seqLen);
    if (data[0] & 1)
        writeFile(events, "journal.closed", (const uint8_t *)"", 0);

    if (vkdJournalInit(state, maxEvents, 0, 1000, &err) < 0)
        FUZZ_FAIL("the journal did not open: %s", err->message);
    head1 = vkdJournalHead();
    FUZZ_CHECK(head1 <= G_MAXUINT64 / 2 + (G_GUINT64_CONSTANT(1) << 33), "head %llu",
               (unsigned long long)head1);
    vkdJournalShutdown();
    FUZZ_CHECK(g_file_test(closed, G_FILE_TEST_EXISTS),
               "no journal.closed after a close");

    if (vkdJournalInit(state, maxEvents, 0, 1000, &err) < 0)
        FUZZ_FAIL("the journal did not open again: %s", err->message);
    head2 = vkdJournalHead();
    vkdJournalShutdown();
    FUZZ_CHECK(head2 == head1, "newest seq %llu after a clean restart, %llu before",
               (unsigned long long)head2, (unsigned long long)head1);
    virResetLastError();
    return 0;
}
