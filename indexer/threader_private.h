/*
 * Private to the threader (threader.c: relinking at commits; place.c:
 * placing each new message as it is written).
 */
#ifndef LARCH_INDEXER_THREADER_PRIVATE_H
#define LARCH_INDEXER_THREADER_PRIVATE_H

#include "threader.h"

struct threader {
	struct larch_store *store;
	const struct larch_config *config;
	GPtrArray *added;		/* char *: mids new in this batch */
	GPtrArray *moved;		/* char *: older mids whose parent
					 * changed: their quotes may now
					 * find a source */

	/* The messages written last, kept for the quote linking of their
	 * replies, which mostly come soon after: reading them back from the
	 * index would mean inflating and parsing their records. */
	GHashTable *recent;		/* mid -> struct larch_msg * (owned) */
	GQueue *recent_order;		/* char *: mids, oldest first */

	/* Per run: union-find over "t:<thread>" and "m:<mid>" keys. */
	GStringChunk *keys;
	GHashTable *up;			/* key -> key */
	GHashTable *inferred;		/* mid -> subject-fallback parent */
};

/* The message a reply dated `before` means by id: of several messages
 * that carried one Message-ID, the latest not newer than the reply.
 * *out is a link message (caller frees) or NULL when none is indexed. */
enum larch_status threader_find_named(struct threader *t, const char *id,
    int64_t before, struct larch_msg **out);

/* The Message-ID a message was sent with (without a ".dup-" suffix). */
char *threader_header_mid(const char *mid);

/* The subject-fallback parent of a message with no reference headers, or
 * *parent NULL. */
enum larch_status threader_subject_parent(struct threader *t,
    const char *list, const char *subject, const char *mid, int64_t date,
    char **parent);

/* Appends what quote linking needs of mid to set: a recent message's copy
 * (no sources, body or headers: never write it back) or the record;
 * LARCH_ERR_NOT_FOUND if none. */
enum larch_status threader_add_full(struct threader *t, const char *mid,
    GPtrArray *set);

#endif
