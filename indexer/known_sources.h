/*
 * The sources the index had read when a run began, kept as a filter that
 * says which files are certainly new without asking the index.
 *
 * Why: for each file of a Maildir (one message a file) the thread that
 * writes the index looked its state up twice (read ahead or not, and
 * where to start reading), each a descent of Xapian's B-tree with its
 * block reads: 11 of a message's 22 `pread`s in a Maildir run on a new
 * index, where every answer is "never read".  That thread is what
 * limits a run.  The filter keeps 64 bits of each key's hash, read in one
 * pass over the keys at the start; a file whose bits are there (read
 * before, or a rare collision) is looked up as before.
 */
#ifndef LARCH_INDEXER_KNOWN_SOURCES_H
#define LARCH_INDEXER_KNOWN_SOURCES_H

#include <stdbool.h>

#include "larch/store.h"

struct larch_known_sources;

/* Reads the keys of every source state in store; NULL (and the reason in
 * *error) when they cannot be read, in which case callers look every
 * file up. */
struct larch_known_sources *larch_known_sources_load(
    struct larch_store *store, char **error);

/* Whether the file whose state key (larch_source_state_key()) is key may
 * have a state in the index: false only for a file that certainly has
 * none.  k NULL: true.  Callers pass the key, not the path, since they
 * need the key too and it costs a SHA-256 of the path. */
bool larch_known_sources_maybe(const struct larch_known_sources *k,
    const char *key);

/* Counts the file of state key key as known from now on: a file this run
 * started reading is looked up again if it comes again. */
void larch_known_sources_add(struct larch_known_sources *k, const char *key);

void larch_known_sources_free(struct larch_known_sources *k);

#endif
