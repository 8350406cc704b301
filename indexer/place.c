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
 *
 * A reply whose parent is missing (a ghost) may show by its quotes that
 * it answers a message that is there: one that lost its id (sent without
 * a Message-ID, or with one another message carried too), or the one
 * above an id appended to its References.  Only such replies, and
 * messages that may have lost their id, make the lookups that find them;
 * see
 * docs/indexing.md, "Ghost parents".
 */
#include <string.h>

#include "larch/mid.h"
#include "larch/thread.h"
#include "threader_private.h"

GPtrArray *
threader_chain_of(const struct larch_msg *msg)
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

int
threader_named_parent(const struct larch_msg *msg, GPtrArray *chain)
{
	const char *want;

	if (chain->len == 0)
		return -1;
	want = msg->in_reply_to != NULL &&
	    strcmp(msg->in_reply_to, msg->mid) != 0 ?
	    msg->in_reply_to : chain->pdata[chain->len - 1];
	for (guint p = chain->len; p-- > 0;)
		if (strcmp(chain->pdata[p], want) == 0)
			return (int)p;
	return -1;
}

bool
threader_is_idless(const char *mid)
{
	return mid != NULL && g_str_has_suffix(mid, THREADER_IDLESS_SUFFIX);
}

enum larch_status
threader_same_subject_links(struct threader *t, const struct larch_msg *msg,
    bool every_list, int64_t from, int64_t to, const char *mid_suffix,
    bool or_shared_id,
    bool newest_first, unsigned max, larch_store_msg_fn fn, void *data)
{
	char *key = larch_thread_subject_key(msg->subject);
	enum larch_status st = LARCH_OK;

	if (key[0] != '\0' && (every_list || msg->list != NULL))
		st = larch_store_subject_links(t->store, every_list ? NULL :
		    msg->list, key, from, to, mid_suffix, or_shared_id,
		    newest_first, max, fn, data);
	g_free(key);
	return st;
}

/* What the placement learns about the ids a message names. */
struct sight {
	GHashTable *threads;		/* thread ids seen (owned keys) */
	bool needs_relink;
	const char *ghost;		/* the ghost whose referrers are read */
	guint replies;			/* referrers that name it as parent */
	bool adopted;			/* one of them has a parent found by
					 * quoted text */
};

/* Whether m names id as its parent (In-Reply-To, else the last
 * reference). */
static bool
names_as_parent(const struct larch_msg *m, const char *id)
{
	GPtrArray *chain = threader_chain_of(m);
	int p = threader_named_parent(m, chain);
	bool yes = p >= 0 && strcmp(chain->pdata[p], id) == 0;

	g_ptr_array_unref(chain);
	return yes;
}

/* Whether m names id (In-Reply-To or References). */
static bool
names_id(const struct larch_msg *m, const char *id)
{
	if (g_strcmp0(m->in_reply_to, id) == 0)
		return true;
	for (guint i = 0; i < m->references->len; i++)
		if (strcmp(m->references->pdata[i], id) == 0)
			return true;
	return false;
}

static void
see_thread(struct sight *s, const char *thread)
{
	if (thread != NULL && !g_hash_table_contains(s->threads, thread))
		g_hash_table_add(s->threads, g_strdup(thread));
}

static enum larch_status
see_referrer(const struct larch_msg *m, void *data)
{
	struct sight *s = data;

	see_thread(s, m->thread);
	if (s->ghost == NULL || !names_as_parent(m, s->ghost))
		return LARCH_OK;
	s->replies++;
	if (m->inferred_parent && m->parent != NULL)
		s->adopted = true;
	return LARCH_OK;
}

/* The nearest message at or above the parent a message names. */
struct near {
	char *mid;			/* NULL when the chain has none */
	guint at;			/* its place in the chain */
	int depth;
	guint named;			/* for a ghost parent: how many
					 * indexed messages name it as
					 * their parent */
};

/*
 * Depth of chain[p] from what the index knows: a message present keeps
 * its depth, a missing one (a ghost) sits one level below the id before it
 * in the chain, and the first id of a chain of ghosts is a root.  n, when
 * given, gets the message found.
 */
static enum larch_status
depth_in_chain(struct threader *t, GPtrArray *chain, guint p, int64_t date,
    struct sight *s, int *depth, struct near *n)
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
			if (n != NULL) {
				/* Of messages that shared the id, the one
				 * meant. */
				n->mid = g_strdup(m->mid);
				n->at = j;
				n->depth = m->depth;
			}
			larch_msg_free(m);
			return LARCH_OK;
		}
		/* A ghost: its other replies hold the thread together. */
		s->ghost = j == p && n != NULL ? chain->pdata[j] : NULL;
		s->replies = 0;
		s->adopted = false;
		st = larch_store_referrer_links(t->store, chain->pdata[j],
		    see_referrer, s);
		s->ghost = NULL;
		if (st != LARCH_OK)
			return st;
		if (j == p && n != NULL) {
			n->named = s->replies;
			/* Whether a reply put above this ghost still stands
			 * is for the whole thread to say. */
			if (s->adopted)
				s->needs_relink = true;
		}
	}
	*depth = (int)p;
	return LARCH_OK;
}

/* Replies indexed before this message: it must be relinked with them. */
struct early {
	struct threader *t;
	struct larch_msg *msg;
	const char *header;
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

/* Whether reply's quotes come from msg (a whole message), reading what
 * quote linking needs of reply. */
static bool
quotes_from(struct threader *t, const char *reply, const struct larch_msg *msg)
{
	GPtrArray *set = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)larch_msg_free);
	bool yes = threader_add_full(t, reply, set) == LARCH_OK &&
	    larch_thread_is_quoting(set->pdata[0], msg);

	g_ptr_array_unref(set);
	return yes;
}

/* Counts the replies of a ghost: the messages naming it as parent. */
struct replies {
	const char *ghost;
	guint n;
};

static enum larch_status
count_reply(const struct larch_msg *m, void *data)
{
	struct replies *r = data;

	r->n += names_as_parent(m, r->ghost);
	return LARCH_OK;
}

/*
 * An early reply that names this message just before the id it names as
 * its parent, an id of no indexed message that nothing else names (one
 * appended after the real parent), answers this message when its quotes
 * come from it.
 */
static enum larch_status
adopt_early_reply(struct early *e, const struct larch_msg *reply)
{
	GPtrArray *chain = threader_chain_of(reply);
	int p = threader_named_parent(reply, chain);
	struct larch_msg *ghost = NULL;
	enum larch_status st = LARCH_OK;
	struct replies named = { NULL, 0 };

	/* Not when a stand-in for the ghost was found (see
	 * find_adoptive()). */
	if (p < 1 || (guint)p + 1 != chain->len ||
	    strcmp(chain->pdata[p - 1], e->header) != 0 ||
	    g_strcmp0(reply->parent, chain->pdata[p]) != 0 ||
	    g_hash_table_contains(e->t->adopt, reply->mid))
		goto release;
	named.ghost = chain->pdata[p];
	st = threader_find_named(e->t, named.ghost, reply->date, &ghost);
	if (st == LARCH_OK && ghost == NULL)
		st = larch_store_referrer_links(e->t->store, named.ghost,
		    count_reply, &named);
	if (st == LARCH_OK && ghost == NULL && named.n == 1 &&
	    quotes_from(e->t, reply->mid, e->msg))
		g_hash_table_replace(e->t->adopt, g_strdup(reply->mid),
		    g_strdup(e->msg->mid));
release:
	larch_msg_free(ghost);
	g_ptr_array_unref(chain);
	return st;
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
	    means_first(reply->date, e->msg->date, other->date))) {
		see_thread(e->sight, reply->thread);
		e->sight->needs_relink = true;
		st = adopt_early_reply(e, reply);
	}
	larch_msg_free(other);
	return st;
}

/* Links the quotes of msg to its parent and grandparent, where nearly all
 * quotes come from, or for a message without a parent to the earlier
 * messages of its subject (see threader_add_quoted()); read, when not
 * NULL, is the parent or the message near a ghost parent, already read
 * (the set takes it). */
static enum larch_status
place_quotes(struct threader *t, struct larch_msg *msg, const char *near,
    struct larch_msg *read)
{
	GPtrArray *set = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)larch_msg_free);

	if (read != NULL) {
		g_ptr_array_add(set, read);
		if (g_strcmp0(read->mid, msg->parent) == 0)
			(void)threader_add_full(t, read->parent, set);
	} else if (msg->quotes->len > 0 && (near != NULL ||
	    msg->parent == NULL)) {
		/* The placement looked up the chain already: near is the
		 * parent or the nearest message above a ghost one; without
		 * a parent, the candidates are earlier same-subject ones. */
		threader_add_quoted(t, msg, near, set);
	}
	if (msg->quotes->len == 0 || set->len == 0)
		goto release;
	g_ptr_array_insert(set, 0, msg);
	larch_thread_link_quotes_of(set, msg);
	threader_link_further(t, msg, set);
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

/* Whether a message dated a with mid am is later than one dated b with
 * mid bm: of several messages that might be a ghost, a reply answers the
 * latest. */
static bool
is_later(int64_t a, const char *am, int64_t b, const char *bm)
{
	return a != b ? a > b : strcmp(am, bm) > 0;
}

/* Messages that may have lost their id (no Message-ID, or one another
 * message carried too) looked at for one reply: more than a subject ever
 * has in its window. */
#define LOST_MAX 64
/* Later messages of a subject looked at for one that may have lost its
 * id: a busy thread's two months, and a bound on the work. */
#define REPLIES_MAX 2048

/* Messages that may have lost their id, of one list and subject key,
 * latest first. */
struct lost {
	const char *self;
	const char *header;		/* the id self was sent with */
	int64_t before;
	GPtrArray *found;		/* struct larch_msg * (owned copies) */
};

static enum larch_status
collect_lost(const struct larch_msg *m, void *data)
{
	struct lost *c = data;
	struct larch_msg *copy;

	if (strcmp(m->mid, c->self) == 0 || m->date > c->before)
		return LARCH_OK;
	/* One that answers this message cannot be its parent. */
	if (names_id(m, c->header))
		return LARCH_OK;
	copy = larch_msg_new();
	copy->mid = g_strdup(m->mid);
	copy->date = m->date;
	copy->thread = g_strdup(m->thread);
	copy->depth = m->depth;
	g_ptr_array_add(c->found, copy);
	return LARCH_OK;
}

static gint
latest_first(gconstpointer a, gconstpointer b)
{
	const struct larch_msg *x = *(struct larch_msg *const *)a;
	const struct larch_msg *y = *(struct larch_msg *const *)b;

	return is_later(x->date, x->mid, y->date, y->mid) ? -1 :
	    is_later(y->date, y->mid, x->date, x->mid) ? 1 : 0;
}

/*
 * The parent of a message whose headers name a ghost, found by positive
 * evidence; *found is then the parent read whole (for its quotes) and
 * *links its place, else *found may be the message near the ghost, read
 * whole.  Either the message just above the ghost in its References, when
 * nothing else names the ghost as parent (an id appended after the real
 * parent), or the latest earlier message of its list that may have lost
 * its id (sent without a Message-ID, or with one another message carried
 * too), with its subject and within the subject-fallback window.  Both
 * must be what its depth-1 quotes come from.
 */
static enum larch_status
find_adoptive(struct threader *t, struct larch_msg *msg, guint p,
    const struct near *n, struct larch_msg **found, struct larch_msg **links)
{
	GPtrArray *set = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)larch_msg_free);
	char *header = threader_header_mid(msg->mid);
	struct lost c = { msg->mid, header, msg->date,
	    g_ptr_array_new_with_free_func((GDestroyNotify)larch_msg_free) };
	enum larch_status st = LARCH_OK;
	double best = 0;
	guint best_at = 0;

	*found = *links = NULL;
	if (msg->quotes->len == 0)
		goto release;
	/* A stand-in first: the message above the ghost may be what the
	 * stand-in quoted, and a later reply to the ghost undoes only the
	 * second kind of link. */
	if (threader_fallback_enabled(t, msg->list))
		st = threader_same_subject_links(t, msg, false,
		    msg->date - t->config->subject_window, msg->date,
		    THREADER_IDLESS_SUFFIX, true, true, LOST_MAX,
		    collect_lost, &c);
	/* The one the quotes come from most, the latest of equals: a
	 * later reply that shares a sentence with the quoted message, or
	 * quotes it too, matches only in part. */
	g_ptr_array_sort(c.found, latest_first);
	for (guint i = 0; st == LARCH_OK && i < c.found->len; i++) {
		struct larch_msg *m = c.found->pdata[i];
		double share;

		g_ptr_array_set_size(set, 0);
		if (threader_add_full(t, m->mid, set) != LARCH_OK ||
		    larch_msg_is_page_only(set->pdata[0]))
			continue;
		share = larch_thread_quoting_share(msg, set->pdata[0]);
		if (share <= best)
			continue;
		best = share;
		larch_msg_free(*found);
		*found = g_ptr_array_steal_index(set, 0);
		best_at = i;
	}
	if (*found != NULL) {
		*links = g_ptr_array_steal_index(c.found, best_at);
		goto release;
	}
	g_ptr_array_set_size(set, 0);
	if (st == LARCH_OK && n->mid != NULL && n->at + 1 == p &&
	    n->named == 0 && threader_add_full(t, n->mid, set) == LARCH_OK) {
		*found = g_ptr_array_steal_index(set, 0);
		if (larch_thread_is_quoting(msg, *found)) {
			*links = larch_msg_new();
			(*links)->mid = g_strdup(n->mid);
			(*links)->depth = n->depth;
		}
	}
release:
	g_free(header);
	g_ptr_array_unref(c.found);
	g_ptr_array_unref(set);
	return st;
}

/* Later messages of a message that may have lost its id that may answer
 * it. */
struct orphans {
	struct threader *t;
	struct larch_msg *msg;
	struct sight *sight;
};

/*
 * What reply is under in place of its ghost: the ghost itself, or an
 * earlier message that may have lost its id, found when reply was placed
 * or by another message placed since the last run; NULL when neither
 * (its headers' parent is there).
 */
static const char *
stand_in_of(struct orphans *o, const struct larch_msg *reply,
    const char *ghost)
{
	const char *now = g_hash_table_lookup(o->t->adopt, reply->mid);

	if (now != NULL)
		return now;
	if (strcmp(reply->parent, ghost) == 0)
		return ghost;
	return reply->inferred_parent ? reply->parent : NULL;
}

/*
 * Whether msg, which reply's quotes (quoting: reply read whole) come from
 * by share, would be a better stand-in for reply's ghost than now
 * (stand_in_of()).  Of two stand-ins the one reply quotes more wins, then
 * the later.
 */
static enum larch_status
is_better(struct orphans *o, const struct larch_msg *reply,
    const struct larch_msg *quoting, const char *now, const char *ghost,
    double share, bool *better)
{
	GPtrArray *set;
	enum larch_status st;

	/* Under the ghost still, or under one above the ghost that reply
	 * names itself: not a stand-in, and it gives way to one. */
	*better = true;
	if (strcmp(now, ghost) == 0 || names_id(reply, now))
		return LARCH_OK;
	set = g_ptr_array_new_with_free_func((GDestroyNotify)larch_msg_free);
	st = threader_add_full(o->t, now, set);
	if (st == LARCH_ERR_NOT_FOUND) {
		st = LARCH_OK;
	} else if (st == LARCH_OK) {
		const struct larch_msg *m = set->pdata[0];
		double share_now = larch_thread_quoting_share(quoting, m);

		*better = share > share_now || (share == share_now &&
		    is_later(o->msg->date, o->msg->mid, m->date, m->mid));
	}
	g_ptr_array_unref(set);
	return st;
}

/* Whether reply, under a ghost or under an earlier message that may have
 * lost its id, answers msg instead (see find_adoptive()). */
static enum larch_status
adopt_orphan(const struct larch_msg *reply, void *data)
{
	struct orphans *o = data;
	struct larch_msg *ghost = NULL;
	GPtrArray *chain = threader_chain_of(reply);
	GPtrArray *whole = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)larch_msg_free);
	int p = threader_named_parent(reply, chain);
	char *header = threader_header_mid(reply->mid);
	const char *now;
	enum larch_status st = LARCH_OK;
	double share;
	bool better = false;

	/* As find_adoptive() sees it: a reply naming its ghost last, that
	 * msg does not answer itself; the cheap checks first, as most
	 * replies of the subject fail them. */
	if (p < 0 || (guint)p + 1 != chain->len || reply->parent == NULL ||
	    strcmp(reply->mid, o->msg->mid) == 0 || names_id(o->msg, header) ||
	    (now = stand_in_of(o, reply, chain->pdata[p])) == NULL)
		goto release;
	st = threader_find_named(o->t, chain->pdata[p], reply->date, &ghost);
	if (st != LARCH_OK || ghost != NULL)
		goto release;
	/* Its quotes, which the record passed here lacks. */
	if (threader_add_full(o->t, reply->mid, whole) != LARCH_OK)
		goto release;
	share = larch_thread_quoting_share(whole->pdata[0], o->msg);
	if (share <= 0)
		goto release;
	st = is_better(o, reply, whole->pdata[0], now, chain->pdata[p], share,
	    &better);
	if (st != LARCH_OK || !better)
		goto release;
	g_hash_table_replace(o->t->adopt, g_strdup(reply->mid),
	    g_strdup(o->msg->mid));
	o->sight->needs_relink = true;
release:
	g_free(header);
	larch_msg_free(ghost);
	g_ptr_array_unref(whole);
	g_ptr_array_unref(chain);
	return st;
}

/* For a message that lost its id (see adopt_all_orphans()): the later
 * replies of its list and subject, within the subject-fallback window,
 * that it turns out to be the ghost parent of (placed before it, they
 * could not know). */
static enum larch_status
adopt_orphans(struct threader *t, struct larch_msg *msg, struct sight *s)
{
	struct orphans o = { t, msg, s };

	if (msg->new_text == NULL || !threader_fallback_enabled(t, msg->list))
		return LARCH_OK;
	return threader_same_subject_links(t, msg, false, msg->date,
	    msg->date + t->config->subject_window, NULL, false, false,
	    REPLIES_MAX, adopt_orphan, &o);
}

/*
 * The later replies that msg, or a message whose id it reuses, turns out
 * to answer.  A message sent without a Message-ID may be one, also under
 * the id Mailman's archiver gave it (unless it is known only from a
 * pipermail page, which shows no id: its mail copy may bring one later,
 * and a thread once joined through it would stay joined); so may one
 * whose id another message carried too, as the reused id may have
 * replaced its own: the second carrier makes the first one of them.
 */
static enum larch_status
adopt_all_orphans(struct threader *t, struct larch_msg *msg, struct sight *s)
{
	GPtrArray *others;
	char *header;
	enum larch_status st = LARCH_OK;

	if ((threader_is_idless(msg->mid) && msg->header_mid == NULL) ||
	    larch_mid_is_archive_assigned(msg->mid))
		return larch_msg_is_page_only(msg) ? LARCH_OK :
		    adopt_orphans(t, msg, s);
	header = threader_header_mid(msg->mid);
	if (strcmp(header, msg->mid) == 0) {
		g_free(header);
		return LARCH_OK;
	}
	others = g_ptr_array_new_with_free_func(g_free);
	st = adopt_orphans(t, msg, s);
	if (st == LARCH_OK)
		st = larch_store_header_links(t->store, header,
		    larch_store_collect_mid, others);
	for (guint i = 0; st == LARCH_OK && i < others->len; i++) {
		struct larch_msg *other = NULL;

		if (strcmp(others->pdata[i], msg->mid) == 0)
			continue;
		st = larch_store_get(t->store, others->pdata[i], &other);
		if (st == LARCH_OK)
			st = adopt_orphans(t, other, s);
		else if (st == LARCH_ERR_NOT_FOUND)
			st = LARCH_OK;
		larch_msg_free(other);
	}
	g_ptr_array_unref(others);
	g_free(header);
	return st;
}

enum larch_status
threader_place(struct threader *t, struct larch_msg *msg)
{
	struct sight s = { g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, NULL), false, NULL, 0, false };
	GPtrArray *chain = threader_chain_of(msg);
	char *header = threader_header_mid(msg->mid), *inferred = NULL;
	struct early e = { t, msg, header, &s };
	struct near n = { NULL, 0, 0, 0 };
	struct larch_msg *parent = NULL, *links = NULL;
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
		p = msg->inferred_parent ? 0 :
		    (guint)threader_named_parent(msg, chain);
		/* In-Reply-To first in a longer References: written
		 * backwards; the whole-thread linker sorts that out. */
		if (p + 1 < chain->len)
			s.needs_relink = true;
		st = depth_in_chain(t, chain, p, msg->date, &s, &depth, &n);
		if (n.mid != NULL && n.at == p)
			msg->parent = g_strdup(n.mid);
		else
			msg->parent = g_strdup(chain->pdata[p]);
		/* A ghost parent: the reply may show what it answers. */
		if (st == LARCH_OK && !msg->inferred_parent &&
		    p + 1 == chain->len && (n.mid == NULL || n.at != p))
			st = find_adoptive(t, msg, p, &n, &parent, &links);
		if (links != NULL) {
			g_free(msg->parent);
			msg->parent = g_strdup(links->mid);
			msg->inferred_parent = true;
			depth = links->depth;
			see_thread(&s, links->thread);
		}
		/* The root it names may hold another thread that this
		 * message now joins (broken References elsewhere); if it
		 * sits deeper than the parent, References were written
		 * newest first, which the whole-thread linker turns. */
		if (st == LARCH_OK && p > 0) {
			int root_depth = 0;

			st = depth_in_chain(t, chain, 0, msg->date, &s,
			    &root_depth, NULL);
			if (n.mid != NULL && n.at == p &&
			    root_depth > n.depth)
				s.needs_relink = true;
		}
	}
	if (st == LARCH_OK)
		st = larch_store_referrer_links(t->store, header,
		    see_early_reply, &e);
	if (st == LARCH_OK)
		st = adopt_all_orphans(t, msg, &s);
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
	st = place_quotes(t, msg, n.mid, parent);
	parent = NULL;
release:
	larch_msg_free(parent);
	larch_msg_free(links);
	g_free(n.mid);
	g_free(inferred);
	g_free(header);
	g_ptr_array_unref(chain);
	g_hash_table_unref(s.threads);
	return st;
}
