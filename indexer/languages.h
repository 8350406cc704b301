/*
 * The stemmer of each list's words in an indexing run.  What the index
 * recorded wins over a default: a later run without the configuration
 * that set "french" (a file added by hand) keeps indexing in French,
 * where it used to record English for everything and leave the French
 * words unfindable.  A configuration that names another language than
 * the index holds is refused, since words already indexed cannot be
 * stemmed again.
 */
#ifndef LARCH_INDEXER_LANGUAGES_H
#define LARCH_INDEXER_LANGUAGES_H

#include <glib.h>

#include "config.h"
#include "larch/status.h"
#include "larch/store.h"

struct languages {
	char *fallback;		/* lists without their own */
	GHashTable *by_list;	/* list -> language */
};

/*
 * Settles each list's stemmer for this run from what store recorded and
 * the configuration c, and records it for searches (written with the
 * run's first commit, like the documents).  On failure *error gets the
 * reason (the caller frees it); out must be released either way.
 */
enum larch_status languages_settle(struct larch_store *store,
    const struct larch_config *c, struct languages *out, char **error);
/* The stemmer of list's messages; borrowed from l. */
const char *languages_of(const struct languages *l, const char *list);
void languages_release(struct languages *l);

#endif
