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
 * as a whole by larch_thread_link() (relink.c); only messages whose
 * thread, parent or depth changed are rewritten.  Reading link values
 * instead of records keeps this cheap, and doing it once per batch keeps
 * a busy thread from being relinked for every message.
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
	c->quote_text = larch_quote_text_ref(m->quote_text);
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

const char *
threader_key(struct threader *t, const char *kind, const char *id)
{
	char *k = g_strconcat(kind, id, NULL);
	const char *interned = g_string_chunk_insert_const(t->keys, k);

	g_free(k);
	if (!g_hash_table_contains(t->up, interned))
		g_hash_table_insert(t->up, (char *)interned, (char *)interned);
	return interned;
}

const char *
threader_root_of(struct threader *t, const char *k)
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
	const char *ra = threader_root_of(t, a), *rb = threader_root_of(t, b);

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

	join(a->t, a->self, m->thread != NULL ?
	    threader_key(a->t, "t:", m->thread) :
	    threader_key(a->t, "m:", m->mid));
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
	struct around a = { t, threader_key(t, "m:", mid) };
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
		struct around a = { t, threader_key(t, "m:", v) };

		st = join_mid(&a, k);
	}
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
 * where nearly all quotes come from, or for a message without a parent
 * among the latest earlier messages of its subject (place.c); only a
 * quote neither holds makes it read further up and across the thread
 * (threader_link_further()).
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
	larch_thread_link_quotes_of(set, m);
	threader_link_further(t, m, set);
	for (guint i = 0; i < m->quotes->len; i++)
		changed |= g_strcmp0(before->pdata[i], ((struct larch_quote *)
		    m->quotes->pdata[i])->source) != 0;
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
		st = threader_relink_all(t);
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
