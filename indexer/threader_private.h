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

	/* Older messages that a message placed since the last run showed
	 * to answer it rather than the ghost their headers name; the run
	 * relinks them under it. */
	GHashTable *adopt;		/* mid -> parent mid (owned) */

	/* Per run: union-find over "t:<thread>" and "m:<mid>" keys. */
	GStringChunk *keys;
	GHashTable *up;			/* key -> key */
	GHashTable *inferred;		/* mid -> subject-fallback parent */
};

/* Per run: the union-find key of a thread ("t:") or message ("m:") id,
 * interned in t->keys, and the root of its group. */
const char *threader_key(struct threader *t, const char *kind,
    const char *id);
const char *threader_root_of(struct threader *t, const char *k);

/* Relinks every group the run's union-find holds as one thread (relink.c). */
enum larch_status threader_relink_all(struct threader *t);

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

/* larch_store_subject_links() over msg's list (or every list) and its
 * subject as threading compares it; nothing when the subject leaves no
 * key or msg has no list. */
enum larch_status threader_same_subject_links(struct threader *t,
    const struct larch_msg *msg, bool every_list, int64_t from, int64_t to,
    const char *mid_suffix, bool or_shared_id, bool newest_first,
    unsigned max, larch_store_msg_fn fn, void *data);

/* Whether the subject fallback is on for list (NULL: no). */
bool threader_fallback_enabled(const struct threader *t, const char *list);

/* The ids msg names, oldest first, without itself or repeats: its
 * References, then In-Reply-To when References leaves it out.  The
 * array borrows msg's strings. */
GPtrArray *threader_chain_of(const struct larch_msg *msg);

/* Where in chain (threader_chain_of(msg)) the id msg names as its parent
 * is: In-Reply-To, else the last reference; -1 for none. */
int threader_named_parent(const struct larch_msg *msg, GPtrArray *chain);

/* How the mid larch_mid_from_content() makes for a message without a
 * Message-ID ends. */
#define THREADER_IDLESS_SUFFIX "@larch.invalid"

/* Whether mid was made for a message without a Message-ID. */
bool threader_is_idless(const char *mid);

/* Appends what quote linking needs of mid to set: a recent message's copy
 * (no sources, body or headers: never write it back) or the record;
 * LARCH_ERR_NOT_FOUND if none. */
enum larch_status threader_add_full(struct threader *t, const char *mid,
    GPtrArray *set);

/* Appends to set the messages msg's quotes most likely come from: its
 * parent and grandparent, or when the parent is a ghost, the nearest
 * message above it in msg's References; for a message without a parent,
 * the latest earlier ones of its list and subject (what a forward
 * forwards).  near, when not NULL, is what the caller found already: the
 * parent, or that nearest message. */
void threader_add_quoted(struct threader *t, const struct larch_msg *msg,
    const char *near, GPtrArray *set);

/* How many generations above a message its quotes are looked for in:
 * a reply deep in a thread may quote the proposal at its root. */
#define THREADER_QUOTE_GENERATIONS 8

/* Links msg's quotes (msg is set's first message) again with more of its
 * thread in set when the parent and grandparent did not hold them all:
 * older ancestors, then, for a reply that quotes none of them, a bounded
 * number of the thread's latest earlier messages. */
void threader_link_further(struct threader *t, struct larch_msg *msg,
    GPtrArray *set);

#endif
