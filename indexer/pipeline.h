/*
 * The indexing run: walks the given paths, splits each archive, parses
 * messages on worker threads and writes them to the store in archive
 * order, committing in batches together with each file's progress.
 */
#ifndef LARCH_INDEXER_PIPELINE_H
#define LARCH_INDEXER_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "config.h"
#include "larch/quote.h"
#include "larch/status.h"
#include "larch/store.h"

struct larch_index_opts {
	const struct larch_config *config;
	const char *list;	/* --list: names the list of every message */
	const char *index_dir;	/* left out when walking */
	bool progress;		/* a progress line on stderr */
	unsigned jobs;		/* parser threads, at least 1 */
	const struct larch_quote_rules *quote_rules;
};

struct larch_index_totals {
	uint64_t files;		/* archive files looked at */
	uint64_t unchanged;	/* of which unchanged since the last run */
	uint64_t not_mail;	/* of which not mail */
	uint64_t rewritten;	/* of which rewritten: read again */
	uint64_t failed;	/* of which could not be read to the end */
	uint64_t added;		/* new messages */
	uint64_t copies;	/* new copies of messages already indexed */
	uint64_t seen;		/* copies that were indexed already */
	uint64_t clashes;	/* ids reused by a different message */
	uint64_t skipped;	/* messages that could not be indexed */
	uint64_t removed;	/* messages gone from rewritten files */
	uint64_t vanished;	/* known source files that are gone */
	uint64_t bytes;		/* uncompressed bytes split */
};

/*
 * Indexes every archive below paths (char *).  Per-file and per-message
 * trouble is logged and counted; only a failure of the index itself (or
 * of all paths) returns an error, with *error set (caller g_free()s).
 */
enum larch_status larch_index_paths(struct larch_store *store,
    GPtrArray *paths, const struct larch_index_opts *opts,
    struct larch_index_totals *totals, char **error);

#endif
