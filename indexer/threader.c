/*
 * Threading at each commit; see threader.h.
 *
 * The messages added since the last commit are joined with the threads
 * they touch: the threads of the messages they name (In-Reply-To,
 * References, or a subject-fallback parent), of the messages that name
 * the same ids (siblings under a missing parent), of the messages that
 * name them (replies that arrived first) and of the older replies that a
 * new message showed to answer it instead of a ghost (see place.c).  Each
 * group of touched threads and new messages becomes one thread, relinked
 * as a whole by larch_thread_link(); only messages whose thread, parent
 * or depth changed are rewritten.  Reading link values instead of records keeps
 * this cheap, and doing it once per batch keeps a busy thread from being
 * relinked for every message.
 */
#include <string.h>

#include "larch/log.h"
#include "larch/thread.h"
#include "threader_private.h"


struct threader *
threader_new(struct larch_store *store, const struct larch_config *config)
{
	struct threader *t = g_new0(struct threader, 1);

	t->store = store;
	t->config = config;
	t->added = g_ptr_array_new_with_free_func(g_free);
	t->moved = g_ptr_array_new_with_free_func(g_free);
	t->recent = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	    (GDestroyNotify)larch_msg_free);
	t->recent_order = g_queue_new();
	t->adopt = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    g_free);
	return t;
}

void
threader_free(struct threader *t)
{
	if (t == NULL)
		return;
	g_ptr_array_unref(t->added);
	g_ptr_array_unref(t->moved);
	g_hash_table_unref(t->recent);
	g_queue_free_full(t->recent_order, g_free);
	g_hash_table_unref(t->adopt);
	g_free(t);
}

/* About a day of a busy list; a few MB of text. */
#define RECENT_MAX 2048

void
threader_remember(struct threader *t, struct larch_msg *msg)
{
	/* Only what quote linking reads is kept. */
	g_clear_pointer(&msg->body, g_free);
	g_ptr_array_set_size(msg->attachments, 0);
	g_ptr_array_set_size(msg->references, 0);
	/* A mid is queued once: a later message under it replaces the
	 * kept one in place. */
	if (!g_hash_table_contains(t->recent, msg->mid))
		g_queue_push_tail(t->recent_order, g_strdup(msg->mid));
	g_hash_table_replace(t->recent, msg->mid, msg);
	while (g_queue_get_length(t->recent_order) > RECENT_MAX) {
		char *old = g_queue_pop_head(t->recent_order);

		g_hash_table_remove(t->recent, old);
		g_free(old);
	}
}

/* A copy of what quote linking reads of a recent message. */
static struct larch_msg *
copy_recent(const struct larch_msg *m)
{
	struct larch_msg *c = larch_msg_new();

	c->mid = g_strdup(m->mid);
	c->header_mid = g_strdup(m->header_mid);
	c->date = m->date;
	c->parent = g_strdup(m->parent);
	c->new_text = g_strdup(m->new_text);
	c->signature = g_strdup(m->signature);
	c->footer = g_strdup(m->footer);
	/* Whether it is known only from a web page (no id on the page). */
	for (guint i = 0; i < m->sources->len; i++) {
		const struct larch_source *s = m->sources->pdata[i];

		larch_msg_add_source(c, s->file, s->offset, s->length,
		    s->format);
	}
	for (guint i = 0; i < m->quotes->len; i++) {
		const struct larch_quote *q = m->quotes->pdata[i];

		larch_msg_add_quote(c, q->text, q->depth, q->source);
	}
	return c;
}

void
threader_add(struct threader *t, const char *mid)
{
	g_ptr_array_add(t->added, g_strdup(mid));
}

static void
remove_mid(GPtrArray *mids, const char *mid)
{
	for (guint i = mids->len; i > 0; i--)
		if (strcmp(mids->pdata[i - 1], mid) == 0)
			g_ptr_array_remove_index(mids, i - 1);
}

static gboolean
adopts(gpointer key, gpointer value, gpointer mid)
{
	(void)key;
	return strcmp(value, mid) == 0;
}

void
threader_forget(struct threader *t, const char *mid)
{
	remove_mid(t->added, mid);
	remove_mid(t->moved, mid);
	g_hash_table_remove(t->adopt, mid);
	g_hash_table_foreach_remove(t->adopt, adopts, (gpointer)mid);
	/* Its key stays queued; removing a missing entry later is fine. */
	g_hash_table_remove(t->recent, mid);
}

static const char *
key(struct threader *t, const char *kind, const char *id)
{
	char *k = g_strconcat(kind, id, NULL);
	const char *interned = g_string_chunk_insert_const(t->keys, k);

	g_free(k);
	if (!g_hash_table_contains(t->up, interned))
		g_hash_table_insert(t->up, (char *)interned, (char *)interned);
	return interned;
}

static const char *
root_of(struct threader *t, const char *k)
{
	const char *up;

	while ((up = g_hash_table_lookup(t->up, k)) != k) {
		const char *upper = g_hash_table_lookup(t->up, up);

		g_hash_table_insert(t->up, (char *)k, (char *)upper);
		k = up;
	}
	return k;
}

static void
join(struct threader *t, const char *a, const char *b)
{
	const char *ra = root_of(t, a), *rb = root_of(t, b);

	if (ra != rb)
		g_hash_table_insert(t->up, (char *)ra, (char *)rb);
}

/* A message found while looking around a new one joins its group: by its
 * thread when it has one, else (new in this batch) by itself. */
struct around {
	struct threader *t;
	const char *self;		/* the new message's key */
};

static enum larch_status
join_found(const struct larch_msg *m, void *data)
{
	struct around *a = data;

	join(a->t, a->self, m->thread != NULL ? key(a->t, "t:", m->thread) :
	    key(a->t, "m:", m->mid));
	return LARCH_OK;
}

/* join_found() for the indexed message mid; none is not an error. */
static enum larch_status
join_mid(struct around *a, const char *mid)
{
	struct larch_msg *m = NULL;
	enum larch_status st = larch_store_get_links(a->t->store, mid, &m);

	if (st == LARCH_OK)
		st = join_found(m, a);
	larch_msg_free(m);
	return st == LARCH_ERR_NOT_FOUND ? LARCH_OK : st;
}

bool
threader_fallback_enabled(const struct threader *t, const char *list)
{
	const struct larch_config_list *l = NULL;

	if (list == NULL)
		return false;
	for (guint i = 0; i < t->config->lists->len; i++)
		if (strcmp(((struct larch_config_list *)
		    t->config->lists->pdata[i])->name, list) == 0)
			l = t->config->lists->pdata[i];
	if (l != NULL && l->subject_fallback >= 0)
		return l->subject_fallback;
	return t->config->subject_fallback;
}

/* For a message with no reference headers: the latest earlier message of
 * its list with the same subject, when the subject says it is a reply. */
enum larch_status
threader_subject_parent(struct threader *t, const char *list,
    const char *subject, const char *mid, int64_t date, char **parent)
{
	enum larch_status st = LARCH_OK;
	char *k;

	*parent = NULL;
	if (list == NULL || !threader_fallback_enabled(t, list) ||
	    !larch_thread_subject_is_reply(subject))
		return LARCH_OK;
	k = larch_thread_subject_key(subject);
	if (k[0] != '\0')
		st = larch_store_latest_by_subject(t->store, list, k, mid,
		    date - t->config->subject_window, date, parent);
	g_free(k);
	return st;
}

static enum larch_status
find_by_subject(struct threader *t, const char *mid, char **parent)
{
	struct larch_msg *full = NULL;
	enum larch_status st;

	*parent = NULL;
	st = larch_store_get(t->store, mid, &full);
	if (st != LARCH_OK)
		return st;
	st = threader_subject_parent(t, full->list, full->subject, mid,
	    full->date, parent);
	larch_msg_free(full);
	return st;
}

struct candidates {
	int64_t before;			/* the replying message's date */
	struct larch_msg *best;
};

/* Of several messages that carried one Message-ID, a reply means the
 * latest that is not newer than itself (else the oldest). */
static enum larch_status
pick_candidate(const struct larch_msg *m, void *data)
{
	struct candidates *c = data;
	const struct larch_msg *b = c->best;
	bool better;

	if (b == NULL)
		better = true;
	else if (m->date <= c->before)
		better = b->date > c->before || m->date > b->date;
	else
		better = b->date > c->before && m->date < b->date;
	if (!better)
		return LARCH_OK;
	larch_msg_free(c->best);
	c->best = larch_msg_new();
	c->best->mid = g_strdup(m->mid);
	c->best->thread = g_strdup(m->thread);
	c->best->parent = g_strdup(m->parent);
	c->best->depth = m->depth;
	c->best->date = m->date;
	return LARCH_OK;
}

/* The message a reply dated `before` means by id, or *out NULL. */
enum larch_status
threader_find_named(struct threader *t, const char *id, int64_t before,
    struct larch_msg **out)
{
	struct candidates c = { before, NULL };
	enum larch_status st;

	*out = NULL;
	st = larch_store_header_links(t->store, id, pick_candidate, &c);
	if (st != LARCH_OK) {
		larch_msg_free(c.best);
		return st;
	}
	if (c.best != NULL) {
		*out = c.best;
		return LARCH_OK;
	}
	st = larch_store_get_links(t->store, id, out);
	return st == LARCH_ERR_NOT_FOUND ? LARCH_OK : st;
}

/* The Message-ID a message was sent with: its mid without the suffix
 * that larch_mid_derive_duplicate() adds. */
char *
threader_header_mid(const char *mid)
{
	const char *dup = g_strrstr(mid, ".dup-");

	if (dup != NULL && strlen(dup + 5) == 16)
		return g_strndup(mid, dup - mid);
	return g_strdup(mid);
}

/* Replies that arrived before the message they answer join its thread,
 * unless they mean another message that carried the same id. */
struct replies {
	struct threader *t;
	struct around *around;
	const char *header;		/* the id the replies name */
	const char *mid;		/* the message being threaded */
};

static enum larch_status
join_reply(const struct larch_msg *reply, void *data)
{
	struct replies *r = data;
	struct larch_msg *meant = NULL;
	enum larch_status st;

	st = threader_find_named(r->t, r->header, reply->date, &meant);
	if (st == LARCH_OK && meant != NULL &&
	    strcmp(meant->mid, r->mid) == 0)
		st = join_found(reply, r->around);
	larch_msg_free(meant);
	return st;
}

static enum larch_status
look_around(struct threader *t, const char *mid)
{
	struct larch_msg *links = NULL, *named = NULL;
	struct around a = { t, key(t, "m:", mid) };
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
	enum larch_status st;
	char *parent = NULL;

	st = larch_store_get_links(t->store, mid, &links);
	if (st != LARCH_OK)
		goto release;
	if (links->in_reply_to != NULL)
		g_ptr_array_add(ids, g_strdup(links->in_reply_to));
	for (guint i = 0; i < links->references->len; i++)
		g_ptr_array_add(ids, g_strdup(links->references->pdata[i]));
	if (ids->len == 0) {
		st = find_by_subject(t, mid, &parent);
		if (st != LARCH_OK)
			goto release;
		if (parent != NULL) {
			g_hash_table_insert(t->inferred, g_strdup(mid),
			    g_strdup(parent));
			g_ptr_array_add(ids, parent);
		}
	}
	for (guint i = 0; st == LARCH_OK && i < ids->len; i++) {
		const char *id = ids->pdata[i];

		st = threader_find_named(t, id, links->date, &named);
		if (st == LARCH_OK && named != NULL)
			st = join_found(named, &a);
		/* A missing message (a ghost) still holds the messages that
		 * name it together.  A present one already joined them to
		 * its thread; asking again would also join the replies of
		 * a different message that reused its id. */
		else if (st == LARCH_OK)
			st = larch_store_referrer_links(t->store, id,
			    join_found, &a);
		larch_msg_free(named);
		named = NULL;
	}
	/* A parent found by quoted text in place of a ghost (placing it
	 * or a run before) is not among the ids it names. */
	if (st == LARCH_OK && links->inferred_parent && ids->len > 0 &&
	    links->parent != NULL)
		st = join_mid(&a, links->parent);
	if (st == LARCH_OK) {
		char *header = threader_header_mid(mid);
		struct replies r = { t, &a, header, mid };

		st = larch_store_referrer_links(t->store, header, join_reply,
		    &r);
		g_free(header);
	}
release:
	larch_msg_free(links);
	g_ptr_array_unref(ids);
	return st;
}

/* A message that placing another showed to answer it, not the ghost its
 * headers name, is relinked with it. */
static enum larch_status
join_adopted(struct threader *t)
{
	GHashTableIter it;
	gpointer k, v;
	enum larch_status st = LARCH_OK;

	g_hash_table_iter_init(&it, t->adopt);
	while (st == LARCH_OK && g_hash_table_iter_next(&it, &k, &v)) {
		struct around a = { t, key(t, "m:", v) };

		st = join_mid(&a, k);
	}
	return st;
}

/* One group: existing threads and new messages that become one thread. */
struct group {
	GPtrArray *threads;		/* const char *: existing ids */
	GPtrArray *mids;		/* const char *: messages with none */
	GHashTable *seen;		/* keys already placed */
};

static void
group_free(gpointer p)
{
	struct group *g = p;

	g_ptr_array_unref(g->threads);
	g_ptr_array_unref(g->mids);
	g_hash_table_unref(g->seen);
	g_free(g);
}

/* The id the group keeps: that of its largest existing thread (fewest
 * messages change), else one made from its first new message. */
static enum larch_status
choose_id(struct threader *t, const struct group *g, char **id)
{
	uint64_t best = 0, n;
	const char *keep = NULL;
	enum larch_status st;

	for (guint i = 0; i < g->threads->len; i++) {
		const char *tid = g->threads->pdata[i];

		st = larch_store_thread_size(t->store, tid, &n);
		if (st != LARCH_OK)
			return st;
		if (keep == NULL || n > best ||
		    (n == best && strcmp(tid, keep) < 0)) {
			keep = tid;
			best = n;
		}
	}
	if (keep != NULL) {
		*id = g_strdup(keep);
	} else {
		char *hex = g_compute_checksum_for_string(G_CHECKSUM_SHA256,
		    g->mids->pdata[0], -1);

		*id = g_strdup_printf("t%.12s", hex);
		g_free(hex);
	}
	return LARCH_OK;
}

struct members {
	GHashTable *by_mid;		/* mid -> struct larch_msg * */
	GPtrArray *order;		/* struct larch_msg *, owned */
};

static enum larch_status
add_member(const struct larch_msg *m, void *data)
{
	struct members *ms = data;
	struct larch_msg *copy;

	if (g_hash_table_contains(ms->by_mid, m->mid))
		return LARCH_OK;
	/* Link messages are lent: keep a copy of the fields that count. */
	copy = larch_msg_new();
	copy->mid = g_strdup(m->mid);
	copy->date = m->date;
	copy->in_reply_to = g_strdup(m->in_reply_to);
	for (guint i = 0; i < m->references->len; i++)
		g_ptr_array_add(copy->references,
		    g_strdup(m->references->pdata[i]));
	copy->thread = g_strdup(m->thread);
	copy->parent = g_strdup(m->parent);
	copy->depth = m->depth;
	copy->inferred_parent = m->inferred_parent;
	g_ptr_array_add(ms->order, copy);
	g_hash_table_insert(ms->by_mid, copy->mid, copy);
	return LARCH_OK;
}

static bool
same_str(const char *a, const char *b)
{
	return g_strcmp0(a, b) == 0;
}

/* Writes the thread fields of one message whose links changed. */
static enum larch_status
store_links(struct threader *t, const struct larch_msg *m)
{
	struct larch_msg *full = NULL;
	enum larch_status st = larch_store_get(t->store, m->mid, &full);

	/* Its parent may change: read it from the index from now on. */
	g_hash_table_remove(t->recent, m->mid);
	if (st != LARCH_OK)
		return st;
	g_free(full->thread);
	full->thread = g_strdup(m->thread);
	g_free(full->parent);
	full->parent = g_strdup(m->parent);
	full->depth = m->depth;
	full->inferred_parent = m->inferred_parent;
	st = larch_store_put_record(t->store, full);
	larch_msg_free(full);
	return st;
}

/* Replaces id, when a later message reused it, by the mid of the one a
 * message dated `date` means. */
static enum larch_status
resolve_id(struct threader *t, GHashTable *reused, char **id, int64_t date)
{
	struct larch_msg *meant = NULL;
	enum larch_status st;

	if (*id == NULL || !g_hash_table_contains(reused, *id))
		return LARCH_OK;
	st = threader_find_named(t, *id, date, &meant);
	if (st == LARCH_OK && meant != NULL) {
		g_free(*id);
		*id = g_strdup(meant->mid);
	}
	larch_msg_free(meant);
	return st;
}

/*
 * When members carry a derived id (a different message reused an id), the
 * ids their replies name are made to point at the message each reply
 * means, as placing them did; the linker then compares plain mids.  Only
 * the in-memory link copies change, never a stored header.
 */
static enum larch_status
resolve_reused_ids(struct threader *t, GPtrArray *members)
{
	GHashTable *reused = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, NULL);
	enum larch_status st = LARCH_OK;

	for (guint i = 0; i < members->len; i++) {
		const struct larch_msg *m = members->pdata[i];
		char *header = threader_header_mid(m->mid);

		if (strcmp(header, m->mid) != 0)
			g_hash_table_add(reused, header);
		else
			g_free(header);
	}
	for (guint i = 0; st == LARCH_OK && g_hash_table_size(reused) > 0 &&
	    i < members->len; i++) {
		struct larch_msg *m = members->pdata[i];

		st = resolve_id(t, reused, &m->in_reply_to, m->date);
		for (guint j = 0; st == LARCH_OK && j < m->references->len;
		    j++)
			st = resolve_id(t, reused,
			    (char **)&m->references->pdata[j], m->date);
	}
	g_hash_table_unref(reused);
	return st;
}

/* Whether m names (In-Reply-To or References) one of the mids in set. */
static bool
names_any(const struct larch_msg *m, GHashTable *set)
{
	if (m->in_reply_to != NULL &&
	    g_hash_table_contains(set, m->in_reply_to))
		return true;
	for (guint i = 0; i < m->references->len; i++)
		if (g_hash_table_contains(set, m->references->pdata[i]))
			return true;
	return false;
}

static enum larch_status
relink_group(struct threader *t, const struct group *g)
{
	struct members ms = { g_hash_table_new(g_str_hash, g_str_equal),
	    g_ptr_array_new_with_free_func((GDestroyNotify)larch_msg_free) };
	GPtrArray *before = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)larch_msg_free);
	GHashTable *fresh = g_hash_table_new(g_str_hash, g_str_equal);
	enum larch_status st;
	char *id = NULL, *root;

	st = choose_id(t, g, &id);
	for (guint i = 0; st == LARCH_OK && i < g->threads->len; i++)
		st = larch_store_thread_links(t->store, g->threads->pdata[i],
		    add_member, &ms);
	for (guint i = 0; st == LARCH_OK && i < g->mids->len; i++) {
		struct larch_msg *m = NULL;

		st = larch_store_get_links(t->store, g->mids->pdata[i], &m);
		if (st == LARCH_OK)
			st = add_member(m, &ms);
		larch_msg_free(m);
	}
	if (st == LARCH_OK)
		st = resolve_reused_ids(t, ms.order);
	if (st != LARCH_OK)
		goto release;

	/* Remember what each member had, then link them all anew. */
	for (guint i = 0; i < ms.order->len; i++) {
		struct larch_msg *m = ms.order->pdata[i];
		struct larch_msg *was = larch_msg_new();
		const char *p = g_hash_table_lookup(t->inferred, m->mid);

		if (p == NULL)
			p = g_hash_table_lookup(t->adopt, m->mid);

		was->thread = g_strdup(m->thread);
		was->parent = g_strdup(m->parent);
		was->depth = m->depth;
		was->inferred_parent = m->inferred_parent;
		g_ptr_array_add(before, was);
		if (p != NULL) {
			g_free(m->parent);
			m->parent = g_strdup(p);
			m->inferred_parent = true;
		}
	}
	root = larch_thread_link(ms.order);
	g_free(root);
	for (guint i = 0; i < g->mids->len; i++)
		g_hash_table_add(fresh, g->mids->pdata[i]);

	for (guint i = 0; st == LARCH_OK && i < ms.order->len; i++) {
		struct larch_msg *m = ms.order->pdata[i];
		const struct larch_msg *was = before->pdata[i];

		g_free(m->thread);
		m->thread = g_strdup(id);
		/* An older message whose parent just arrived (or changed)
		 * may now find the source of its quotes; under a ghost, so
		 * may one that names a message that just arrived. */
		if (was->thread != NULL && m->parent != NULL &&
		    (!same_str(m->parent, was->parent) ||
		    g_hash_table_contains(fresh, m->parent) ||
		    (!g_hash_table_contains(ms.by_mid, m->parent) &&
		    names_any(m, fresh))))
			g_ptr_array_add(t->moved, g_strdup(m->mid));
		if (same_str(m->thread, was->thread) &&
		    same_str(m->parent, was->parent) &&
		    m->depth == was->depth &&
		    m->inferred_parent == was->inferred_parent)
			continue;
		st = store_links(t, m);
	}
release:
	g_free(id);
	g_hash_table_unref(fresh);
	g_ptr_array_unref(before);
	g_ptr_array_unref(ms.order);
	g_hash_table_unref(ms.by_mid);
	return st;
}

/* Puts key k ("t:" thread or "m:" message) into its root's group once. */
static void
add_to_group(struct threader *t, GHashTable *groups, GPtrArray *order,
    const char *k)
{
	const char *r = root_of(t, k);
	struct group *g = g_hash_table_lookup(groups, r);

	if (g == NULL) {
		g = g_new0(struct group, 1);
		g->threads = g_ptr_array_new();
		g->mids = g_ptr_array_new();
		g->seen = g_hash_table_new(g_direct_hash, g_direct_equal);
		g_hash_table_insert(groups, (char *)r, g);
		g_ptr_array_add(order, g);
	}
	if (!g_hash_table_add(g->seen, (char *)k))
		return;
	g_ptr_array_add(strncmp(k, "t:", 2) == 0 ? g->threads : g->mids,
	    (char *)k + 2);
}

static enum larch_status
relink_all(struct threader *t)
{
	GHashTable *groups = g_hash_table_new_full(g_direct_hash,
	    g_direct_equal, NULL, group_free);
	GPtrArray *order = g_ptr_array_new();
	GHashTableIter it;
	gpointer k;
	enum larch_status st = LARCH_OK;

	/* New messages first, in batch order, so the id made for a new
	 * thread comes from its first message; then every other key. */
	for (guint i = 0; i < t->added->len; i++)
		add_to_group(t, groups, order, key(t, "m:",
		    t->added->pdata[i]));
	g_hash_table_iter_init(&it, t->up);
	while (g_hash_table_iter_next(&it, &k, NULL))
		add_to_group(t, groups, order, k);
	for (guint i = 0; st == LARCH_OK && i < order->len; i++) {
		struct group *g = order->pdata[i];

		st = relink_group(t, g);
	}
	g_ptr_array_unref(order);
	g_hash_table_unref(groups);
	return st;
}

enum larch_status
threader_add_full(struct threader *t, const char *mid, GPtrArray *set)
{
	struct larch_msg *m = NULL;
	enum larch_status st;

	if (mid == NULL)
		return LARCH_ERR_NOT_FOUND;
	m = g_hash_table_lookup(t->recent, mid);
	if (m != NULL) {
		g_ptr_array_add(set, copy_recent(m));
		return LARCH_OK;
	}
	st = larch_store_get(t->store, mid, &m);
	if (st == LARCH_OK)
		g_ptr_array_add(set, m);
	return st;
}

/*
 * Finds what each new message quotes among its parent and grandparent,
 * where nearly all quotes come from; a quote of an older message is left
 * without a source rather than reading the whole thread for every reply.
 */
static enum larch_status
link_quotes(struct threader *t, const char *mid)
{
	GPtrArray *set = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)larch_msg_free);
	struct larch_msg *m;
	GPtrArray *before = g_ptr_array_new_with_free_func(g_free);
	enum larch_status st;
	bool changed = false;

	/* The whole record, not a recent message's copy: it is written
	 * back. */
	st = larch_store_get(t->store, mid, &m);
	if (st != LARCH_OK)
		goto release;
	g_ptr_array_add(set, m);
	if (m->quotes->len == 0)
		goto release;
	threader_add_quoted(t, m, NULL, set);
	for (guint i = 0; i < m->quotes->len; i++)
		g_ptr_array_add(before, g_strdup(((struct larch_quote *)
		    m->quotes->pdata[i])->source));
	larch_thread_link_quotes(set);
	for (guint i = 0; i < m->quotes->len; i++)
		changed |= !same_str(before->pdata[i], ((struct larch_quote *)
		    m->quotes->pdata[i])->source);
	if (changed)
		st = larch_store_put_record(t->store, m);
release:
	g_ptr_array_unref(before);
	g_ptr_array_unref(set);
	return st == LARCH_ERR_NOT_FOUND ? LARCH_OK : st;
}

enum larch_status
threader_run(struct threader *t)
{
	enum larch_status st = LARCH_OK;

	if (t->added->len == 0)
		return LARCH_OK;
	t->keys = g_string_chunk_new(16 * 1024);
	t->up = g_hash_table_new(g_direct_hash, g_direct_equal);
	t->inferred = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    g_free);
	for (guint i = 0; st == LARCH_OK && i < t->added->len; i++)
		st = look_around(t, t->added->pdata[i]);
	if (st == LARCH_OK)
		st = join_adopted(t);
	if (st == LARCH_OK)
		st = relink_all(t);
	for (guint i = 0; st == LARCH_OK && i < t->added->len; i++)
		st = link_quotes(t, t->added->pdata[i]);
	for (guint i = 0; st == LARCH_OK && i < t->moved->len; i++)
		st = link_quotes(t, t->moved->pdata[i]);
	g_ptr_array_set_size(t->moved, 0);
	g_hash_table_remove_all(t->adopt);
	g_hash_table_unref(t->inferred);
	g_hash_table_unref(t->up);
	g_string_chunk_free(t->keys);
	g_ptr_array_set_size(t->added, 0);
	return st;
}
