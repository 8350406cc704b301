/*
 * Which messages a new message's quotes are compared with (see
 * threader_private.h): its parent and grandparent, where nearly all
 * quotes come from; what lies above a ghost parent; for a message that
 * starts a conversation, earlier ones of its subject; and, only for a
 * quote none of those holds, more of its thread.
 */
#include <string.h>

#include "larch/thread.h"
#include "threader_private.h"

/* The nearest message above chain[p] that the index holds, or NULL. */
static char *
nearest_above(struct threader *t, GPtrArray *chain, int p, int64_t date)
{
	char *mid = NULL;

	for (int j = p; j-- > 0 && mid == NULL;) {
		struct larch_msg *m = NULL;

		if (threader_find_named(t, chain->pdata[j], date, &m) !=
		    LARCH_OK)
			break;
		if (m != NULL)
			mid = g_strdup(m->mid);
		larch_msg_free(m);
	}
	return mid;
}

/* Earlier messages of a subject looked at for what a new conversation
 * quotes: a forward of a year-old message is still a forward. */
#define FORWARDED_MAX 32
#define FORWARDED_WINDOW (366 * 24 * 3600)

/*
 * A message that starts a conversation and quotes something forwards it
 * ("Fwd: Re: x" with the forwarded message under it) or lost the headers
 * of a reply: what it quotes is an earlier message of its list with its
 * subject (reply and forward prefixes and list tags aside), the latest
 * first.  A forward ("Fwd: [users] x" on the dev list) may bring a
 * message of another list: when its subject says so, the latest of every
 * list follow.  The matcher decides which one, if any, the text comes
 * from.  Unlike the subject fallback this links no parent, only quote
 * sources, so a list's subject_fallback switch does not turn it off.
 */
static void
add_same_subject(struct threader *t, const struct larch_msg *msg,
    GPtrArray *set)
{
	GPtrArray *mids;
	GHashTable *seen;

	if (msg->quotes->len == 0 || msg->list == NULL)
		return;
	mids = g_ptr_array_new_with_free_func(g_free);
	if (threader_same_subject_links(t, msg, false,
	    msg->date - FORWARDED_WINDOW, msg->date, NULL, false, true,
	    FORWARDED_MAX, larch_store_collect_mid, mids) != LARCH_OK)
		g_ptr_array_set_size(mids, 0);
	if (larch_thread_subject_is_forward(msg->subject) &&
	    threader_same_subject_links(t, msg, true,
	    msg->date - FORWARDED_WINDOW, msg->date, NULL, false, true,
	    FORWARDED_MAX, larch_store_collect_mid, mids) != LARCH_OK)
		g_ptr_array_set_size(mids, 0);
	seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_hash_table_add(seen, msg->mid);
	for (guint i = 0; i < mids->len; i++)
		if (g_hash_table_add(seen, mids->pdata[i]))
			(void)threader_add_full(t, mids->pdata[i], set);
	g_hash_table_destroy(seen);
	g_ptr_array_unref(mids);
}

void
threader_add_quoted(struct threader *t, const struct larch_msg *msg,
    const char *near, GPtrArray *set)
{
	GPtrArray *chain;
	char *above;
	int p;

	if (msg->parent == NULL) {
		add_same_subject(t, msg, set);
		return;
	}
	if ((near == NULL || strcmp(near, msg->parent) == 0) &&
	    threader_add_full(t, msg->parent, set) == LARCH_OK) {
		(void)threader_add_full(t, ((struct larch_msg *)
		    set->pdata[set->len - 1])->parent, set);
		return;
	}
	/* A ghost: its replies mostly quote what it quoted, the message
	 * above it, which quote linking finds as an earlier message. */
	if (near != NULL) {
		(void)threader_add_full(t, near, set);
		return;
	}
	chain = threader_chain_of(msg);
	for (p = (int)chain->len; p-- > 0;)
		if (strcmp(chain->pdata[p], msg->parent) == 0)
			break;
	above = p > 0 ? nearest_above(t, chain, p, msg->date) : NULL;
	if (above != NULL)
		(void)threader_add_full(t, above, set);
	g_free(above);
	g_ptr_array_unref(chain);
}

/* Whether some quote of msg has a source (sourced) or has none. */
static bool
some_quote(const struct larch_msg *msg, bool sourced)
{
	for (guint i = 0; i < msg->quotes->len; i++)
		if ((((struct larch_quote *)msg->quotes->pdata[i])->source !=
		    NULL) == sourced)
			return true;
	return false;
}

static struct larch_msg *
find_in_set(GPtrArray *set, const char *mid)
{
	for (guint i = 0; i < set->len; i++) {
		struct larch_msg *m = set->pdata[i];

		if (strcmp(m->mid, mid) == 0)
			return m;
	}
	return NULL;
}

/* A reply that quotes none of its ancestors may quote a message of
 * another branch; this bounds the reads, so that a long thread costs a
 * few, not hundreds. */
#define OTHERS_MAX 12

static void
add_ancestors(struct threader *t, const struct larch_msg *msg,
    GPtrArray *set)
{
	const char *p = msg->parent;

	for (int i = 0; p != NULL && i < THREADER_QUOTE_GENERATIONS; i++) {
		struct larch_msg *m = find_in_set(set, p);

		if (m == NULL) {
			if (threader_add_full(t, p, set) != LARCH_OK)
				break;
			m = set->pdata[set->len - 1];
		}
		p = m->parent;
	}
}

static void
add_others(struct threader *t, const struct larch_msg *msg, GPtrArray *set)
{
	GPtrArray *mids = g_ptr_array_new_with_free_func(g_free);
	guint added = 0;

	if (larch_store_thread_latest(t->store, msg->thread, msg->date,
	    OTHERS_MAX + set->len, larch_store_collect_mid, mids) ==
	    LARCH_OK)
		for (guint i = 0; i < mids->len && added < OTHERS_MAX; i++)
			if (strcmp(mids->pdata[i], msg->mid) != 0 &&
			    find_in_set(set, mids->pdata[i]) == NULL &&
			    threader_add_full(t, mids->pdata[i], set) ==
			    LARCH_OK)
				added++;
	g_ptr_array_unref(mids);
}

/*
 * Only a quote that the parent and grandparent do not hold sends the
 * linking further: up the thread (a reply deep in it quoting the
 * proposal at its root), then, for a reply that quotes none of its
 * ancestors, across it (a message of another branch).  A block left
 * over beside quotes of the ancestors is most often the rest of an
 * ancestor's own quoted chain, which no other branch should claim.
 */
void
threader_link_further(struct threader *t, struct larch_msg *msg,
    GPtrArray *set)
{
	guint had = set->len;

	if (!some_quote(msg, false))
		return;
	/* Each linking normalises every candidate's text again: none
	 * when nothing was added (a reply to the root has no more
	 * ancestors). */
	add_ancestors(t, msg, set);
	if (set->len > had)
		larch_thread_link_quotes_of(set, msg);
	if (msg->thread == NULL || some_quote(msg, true))
		return;
	had = set->len;
	add_others(t, msg, set);
	if (set->len > had)
		larch_thread_link_quotes_of(set, msg);
}
