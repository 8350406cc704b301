/*
 * Placing a new message in its thread as it is written; see threader.h.
 *
 * Most messages answer a message already indexed (or a missing one whose
 * other replies are), so their thread, parent and depth follow from a few
 * lookups and are stored with the document itself: rewriting a document
 * later to add its thread term would make Xapian re-read and re-invert
 * all its terms.  The cases that need the whole thread, a message that
 * joins two threads or whose replies came first, are placed as well as
 * they can be and relinked as a whole at the next commit.
 */
#include <string.h>

#include "larch/thread.h"
#include "threader_private.h"

/* What the placement learns about the ids a message names. */
struct sight {
	GHashTable *threads;		/* thread ids seen (owned keys) */
	bool needs_relink;
};

static void
see_thread(struct sight *s, const char *thread)
{
	if (thread != NULL && !g_hash_table_contains(s->threads, thread))
		g_hash_table_add(s->threads, g_strdup(thread));
}

static enum larch_status
see_referrer(const struct larch_msg *m, void *data)
{
	see_thread(data, m->thread);
	return LARCH_OK;
}

/* The ids the message names, oldest first, without itself or repeats:
 * its References, then In-Reply-To when References leaves it out. */
static GPtrArray *
chain_of(const struct larch_msg *msg)
{
	GPtrArray *chain = g_ptr_array_new();
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; i < msg->references->len; i++) {
		char *id = msg->references->pdata[i];

		if (strcmp(id, msg->mid) != 0 && g_hash_table_add(seen, id))
			g_ptr_array_add(chain, id);
	}
	if (msg->in_reply_to != NULL &&
	    strcmp(msg->in_reply_to, msg->mid) != 0 &&
	    !g_hash_table_contains(seen, msg->in_reply_to))
		g_ptr_array_add(chain, msg->in_reply_to);
	g_hash_table_unref(seen);
	return chain;
}

/*
 * Depth of chain[p] from what the index knows: a message present keeps
 * its depth, a missing one (a ghost) sits one level below the id before it
 * in the chain, and the first id of a chain of ghosts is a root.
 */
static enum larch_status
depth_in_chain(struct threader *t, GPtrArray *chain, guint p, int64_t date,
    struct sight *s, int *depth, char **meant)
{
	for (guint j = p + 1; j-- > 0;) {
		struct larch_msg *m = NULL;
		enum larch_status st;

		st = threader_find_named(t, chain->pdata[j], date, &m);
		if (st != LARCH_OK)
			return st;
		if (m != NULL) {
			see_thread(s, m->thread);
			*depth = m->depth + (int)(p - j);
			/* Of messages that shared the id, the one meant. */
			if (j == p && meant != NULL)
				*meant = g_strdup(m->mid);
			larch_msg_free(m);
			return LARCH_OK;
		}
		/* A ghost: its other replies hold the thread together. */
		st = larch_store_referrer_links(t->store, chain->pdata[j],
		    see_referrer, s);
		if (st != LARCH_OK)
			return st;
	}
	*depth = (int)p;
	return LARCH_OK;
}

/* Replies indexed before this message: it must be relinked with them. */
struct early {
	struct threader *t;
	const char *header;
	int64_t date;
	struct sight *sight;
};

/* Whether a reply dated `at` means a message dated a rather than one dated
 * b that carried the same id: the latest not newer than the reply, else
 * the oldest (as threader_find_named() picks). */
static bool
means_first(int64_t at, int64_t a, int64_t b)
{
	if (a <= at)
		return b > at || a > b;
	return b > at && a < b;
}

static enum larch_status
see_early_reply(const struct larch_msg *reply, void *data)
{
	struct early *e = data;
	struct larch_msg *other = NULL;
	enum larch_status st;

	/* This message is not stored yet: the one found, if any, is
	 * another that carried the same id. */
	st = threader_find_named(e->t, e->header, reply->date, &other);
	if (st == LARCH_OK && (other == NULL ||
	    means_first(reply->date, e->date, other->date))) {
		see_thread(e->sight, reply->thread);
		e->sight->needs_relink = true;
	}
	larch_msg_free(other);
	return st;
}

/* Links the quotes of msg to its parent and grandparent, where nearly all
 * quotes come from. */
static enum larch_status
place_quotes(struct threader *t, struct larch_msg *msg)
{
	GPtrArray *set = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)larch_msg_free);

	if (msg->quotes->len == 0 || msg->parent == NULL)
		goto release;
	if (threader_add_full(t, msg->parent, set) == LARCH_OK)
		(void)threader_add_full(t, ((struct larch_msg *)
		    set->pdata[0])->parent, set);
	g_ptr_array_insert(set, 0, msg);
	larch_thread_link_quotes_of(set, msg);
	/* msg is only lent to the set. */
	g_ptr_array_steal_index(set, 0);
release:
	g_ptr_array_unref(set);
	return LARCH_OK;
}

static char *
largest_thread(struct threader *t, GHashTable *threads)
{
	GHashTableIter it;
	gpointer k;
	const char *best = NULL;
	uint64_t most = 0, n;

	g_hash_table_iter_init(&it, threads);
	while (g_hash_table_iter_next(&it, &k, NULL)) {
		if (larch_store_thread_size(t->store, k, &n) != LARCH_OK)
			n = 0;
		if (best == NULL || n > most ||
		    (n == most && strcmp(k, best) < 0)) {
			best = k;
			most = n;
		}
	}
	return g_strdup(best);
}

enum larch_status
threader_place(struct threader *t, struct larch_msg *msg)
{
	struct sight s = { g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, NULL), false };
	GPtrArray *chain = chain_of(msg);
	char *header = threader_header_mid(msg->mid), *inferred = NULL;
	struct early e = { t, header, msg->date, &s };
	enum larch_status st = LARCH_OK;
	guint p = 0;
	int depth = -1;

	g_clear_pointer(&msg->parent, g_free);
	msg->inferred_parent = false;
	if (chain->len == 0) {
		st = threader_subject_parent(t, msg->list, msg->subject,
		    msg->mid, msg->date, &inferred);
		if (st == LARCH_OK && inferred != NULL) {
			g_ptr_array_add(chain, inferred);
			msg->inferred_parent = true;
		}
	}
	if (st == LARCH_OK && chain->len > 0) {
		/* In-Reply-To is the parent, else the last reference. */
		const char *want = msg->in_reply_to != NULL &&
		    strcmp(msg->in_reply_to, msg->mid) != 0 ?
		    msg->in_reply_to : chain->pdata[chain->len - 1];

		for (p = chain->len; p-- > 0;)
			if (strcmp(chain->pdata[p], want) == 0)
				break;
		/* In-Reply-To first in a longer References: written
		 * backwards; the whole-thread linker sorts that out. */
		if (p + 1 < chain->len)
			s.needs_relink = true;
		st = depth_in_chain(t, chain, p, msg->date, &s, &depth,
		    &msg->parent);
		if (msg->parent == NULL)
			msg->parent = g_strdup(chain->pdata[p]);
		/* The root it names may hold another thread that this
		 * message now joins (broken References elsewhere). */
		if (st == LARCH_OK && p > 0)
			st = depth_in_chain(t, chain, 0, msg->date, &s,
			    &(int){ 0 }, NULL);
	}
	if (st == LARCH_OK)
		st = larch_store_referrer_links(t->store, header,
		    see_early_reply, &e);
	if (st != LARCH_OK)
		goto release;

	msg->depth = depth + 1;
	g_free(msg->thread);
	if (g_hash_table_size(s.threads) == 0) {
		char *hex = g_compute_checksum_for_string(G_CHECKSUM_SHA256,
		    msg->mid, -1);

		msg->thread = g_strdup_printf("t%.12s", hex);
		g_free(hex);
	} else {
		msg->thread = largest_thread(t, s.threads);
	}
	if (g_hash_table_size(s.threads) > 1)
		s.needs_relink = true;
	if (s.needs_relink)
		threader_add(t, msg->mid);
	st = place_quotes(t, msg);
release:
	g_free(inferred);
	g_free(header);
	g_ptr_array_unref(chain);
	g_hash_table_unref(s.threads);
	return st;
}
