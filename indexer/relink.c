/*
 * The relinking at each commit (see threader.c): every group of threads
 * and new messages that the batch joined becomes one thread, its id
 * chosen, its members read from their link values, larch_thread_link()
 * run over them, and only the messages whose thread, parent or depth
 * changed written back.
 */
#include <string.h>

#include "larch/log.h"
#include "larch/thread.h"
#include "threader_private.h"

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

/* Whether one of the generations of m's ancestors that its nested quotes
 * can reach (see threader_link_further()) is among the fresh messages. */
static bool
fresh_above(GHashTable *by_mid, GHashTable *fresh, const struct larch_msg *m)
{
	const char *p = m->parent;

	for (int i = 0; p != NULL && i < THREADER_QUOTE_GENERATIONS; i++) {
		const struct larch_msg *up;

		if (g_hash_table_contains(fresh, p))
			return true;
		up = g_hash_table_lookup(by_mid, p);
		p = up != NULL ? up->parent : NULL;
	}
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
		/* An older message whose parent or another ancestor just
		 * arrived (or whose parent changed) may now find the source
		 * of its quotes; under a ghost, so may one that names a
		 * message that just arrived. */
		if (was->thread != NULL && m->parent != NULL &&
		    (!same_str(m->parent, was->parent) ||
		    fresh_above(ms.by_mid, fresh, m) ||
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
	const char *r = threader_root_of(t, k);
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

enum larch_status
threader_relink_all(struct threader *t)
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
		add_to_group(t, groups, order, threader_key(t, "m:",
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
