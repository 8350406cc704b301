/*
 * Threading in the indexer: at each commit, the messages added since the
 * last one are joined to the threads they belong to (merging threads that
 * a late message connects), linked JWZ-style, and their quotes linked to
 * the messages they quote.  Thread ids stay as threads grow: a merge keeps
 * the id of the larger thread.
 */
#ifndef LARCH_INDEXER_THREADER_H
#define LARCH_INDEXER_THREADER_H

#include "config.h"
#include "larch/status.h"
#include "larch/store.h"

struct threader;

struct threader *threader_new(struct larch_store *store,
    const struct larch_config *config);
void threader_free(struct threader *threader);

/*
 * Before a new message is stored: sets its thread, parent, depth,
 * inferred_parent and quote sources from what the index holds, so they
 * are stored with it.  A message that joins threads or whose replies came
 * first is also remembered for threader_run(), as are older replies that
 * it shows to answer it rather than the ghost their headers name.
 */
enum larch_status threader_place(struct threader *threader,
    struct larch_msg *msg);

/* Keeps msg (the threader takes it) as one of the recent messages whose
 * replies will look for their quotes in it. */
void threader_remember(struct threader *threader, struct larch_msg *msg);

/* A message put since the last run that needs its whole thread
 * relinked. */
void threader_add(struct threader *threader, const char *mid);

/* Forgets mid, whose message was deleted since it was placed: the next
 * run must not look for it. */
void threader_forget(struct threader *threader, const char *mid);

/* Relinks the threads of what was added; call before committing, so
 * messages and their threads are committed together. */
enum larch_status threader_run(struct threader *threader);

#endif
