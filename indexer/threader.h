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

/* A message put since the last run. */
void threader_add(struct threader *threader, const char *mid);

/* Threads what was added; call before committing, so messages and their
 * threads are committed together. */
enum larch_status threader_run(struct threader *threader);

#endif
