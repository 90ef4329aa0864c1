/* daemon_journal.h: virtkitd's event journal: every event numbered, kept on disk, replayed to subscribers */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "remote_protocol.h"
#include "virnetserver.h"

/*
 * Every event queued into a journaled driver state (QEMU domains, networks,
 * storage pools: virObjectEventStateSetJournaled) gets the next sequence
 * number of the journal's epoch and is kept, newest last, up to @maxEvents
 * records: in memory and in <stateDir>/events/journal (appended without an
 * fsync per event; a sync thread calls fdatasync at most every @syncMs). A
 * daemon restart loads the file, so numbering goes on and a client resumes
 * across it. After a host crash the seqs that may have been sent but not
 * synced are told by a journaled gap record (daemon_journal.c, "Losses");
 * the epoch stays.
 * Subscriptions (virtkit's CONNECT_EVENT_SUBSCRIBE) get every kept record
 * after the seq they name, then the live ones, exactly once and in order:
 * replay and live sending happen under one lock.
 */

/* Install the hook (before the drivers start, so that what their start
 * finds is journaled too) and have the journal's thread load or create
 * the file; every entry point waits for that load. Keeps the newest
 * @maxEvents, none older than @maxAgeSec (0: no age bound; the newest is
 * always kept). A journal the last run did not close is checked for
 * losses (daemon_journal.c: "Losses"). 0 or -1 with @error set (the
 * journal's file or folder cannot be written). */
int vkdJournalInit(const char *stateDir, unsigned int maxEvents, unsigned int maxAgeSec,
                   unsigned int syncMs, GError **error);
/* Sync, remove the hook, free. */
void vkdJournalShutdown(void);
/* Until the journal's file is loaded (vkdJournalInit hands that to the
 * journal's thread, so that the drivers start meanwhile). Any thread. */
void vkdJournalWaitLoaded(void);

/* Subscribe @client's @callbackID (the client's own number, unique per
 * client) to everything after @since (VIRTKIT_EVENT_SINCE_NOW: only live
 * ones; 0: everything kept) in @epoch (0: whatever the journal's). @gapOk:
 * a gap record instead of an error when events after @since are no longer
 * kept. @snapshot (records, borrowed; may be NULL) is sent first, then the
 * replay, as EVENT messages at once. Returns 0 with *@epochOut, *@first (oldest
 * kept seq) and *@head (newest issued seq), or -1 with a libvirt error
 * reported: VIR_ERR_OPERATION_INVALID for lost events (the message says
 * which and to re-list), VIR_ERR_INVALID_ARG for a seq never issued or a
 * callback ID already in use. */
int vkdJournalSubscribe(virNetServerClient *client, int callbackID, guint64 epoch,
                        guint64 since, bool gapOk, GPtrArray *snapshot, guint64 *epochOut,
                        guint64 *first, guint64 *head);
/* The newest seq issued (0: none yet). */
guint64 vkdJournalHead(void);
/* A snapshot record (seq 0, event ID VIRTKIT_EVENT_ID_SNAPSHOT, requestor
 * "daemon"): object @kind @name/@uuid/@id, num = @n0, @n1 (a domain's
 * state and reason; a network's or pool's active and persistent), big[0] =
 * @at, the seq the snapshot stands at. Free with vkdJournalRecordFree. */
virtkit_event_record *vkdJournalSnapshotRecord(int kind, const char *name,
                                               const unsigned char *uuid, int id, int n0,
                                               int n1, guint64 at);
void vkdJournalRecordFree(gpointer rec);
/* -1 with VIR_ERR_INVALID_ARG if @client has no such subscription. */
int vkdJournalUnsubscribe(virNetServerClient *client, int callbackID);
/* Drop every subscription of a client that went away. */
void vkdJournalDropClient(virNetServerClient *client);

#define VIRTKIT_EVENT_SINCE_NOW G_MAXUINT64
#define VIRTKIT_EVENT_ID_GAP (-1)
#define VIRTKIT_EVENT_ID_SNAPSHOT (-2)
