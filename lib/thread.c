/*
 * The shape of conversations: JWZ threading and thread order; see
 * include/larch/thread.h.  Subject keys are in thread_subject.c, quote
 * links in thread_quotes.c, summaries in thread_summary.c.
 */
#include <string.h>

#include "larch/thread.h"

/* ---- linking ----------------------------------------------------------- */

/*
 * One id of the conversation.  Links only ever go from a container without
 * a parent to another container, so the containers form a forest at every
 * step, and a link closes a cycle exactly when both ends are already in
 * one tree: a union-find over the trees answers that in near-constant
 * time, which keeps a 5,000-message chain linear.
 */
struct container {
	const char *mid;	/* borrowed from a message */
	struct larch_msg *msg;	/* NULL for a ghost */
	int parent;		/* container index, -1 for none */
	int set;		/* union-find parent */
	int rank;
	int top;		/* at a set's representative: its tree's root */
	int depth;		/* -1 until computed */
};

/* What one message says about its place. */
struct entry {
	struct larch_msg *msg;
	int self;		/* its container */
	int irt;		/* In-Reply-To container, -1 for none */
	GArray *refs;		/* int: References containers, cleaned */
	GArray *cands;		/* int: who may be the parent, best first */
	int inferred;		/* the caller's subject link, -1 for none */
	int adopt;		/* the caller's parent in place of a ghost,
				 * -1 for none */
	bool duplicate;		/* a second message with an earlier's mid */
	bool linked;
};

struct linker {
	GArray *c;		/* struct container */
	GHashTable *index;	/* mid -> container index + 1 */
};

#define C(l, i) (&g_array_index((l)->c, struct container, (i)))

static int
container_of(struct linker *l, const char *mid)
{
	gpointer v = g_hash_table_lookup(l->index, mid);
	struct container c = { .mid = mid, .parent = -1, .depth = -1 };

	if (v != NULL)
		return GPOINTER_TO_INT(v) - 1;
	c.set = c.top = (int)l->c->len;
	g_array_append_val(l->c, c);
	g_hash_table_insert(l->index, (gpointer)mid,
	    GINT_TO_POINTER(c.set + 1));
	return c.set;
}

static int
find_set(struct linker *l, int x)
{
	while (C(l, x)->set != x) {
		C(l, x)->set = C(l, C(l, x)->set)->set;
		x = C(l, x)->set;
	}
	return x;
}

/* Makes parent the parent of child unless that closes a cycle. */
static bool
try_link(struct linker *l, int child, int parent)
{
	int a, b, top;

	if (child == parent || C(l, child)->parent >= 0)
		return false;
	a = find_set(l, child);
	b = find_set(l, parent);
	if (a == b)
		return false;
	top = C(l, b)->top;
	C(l, child)->parent = parent;
	if (C(l, a)->rank > C(l, b)->rank) {
		int t = a;

		a = b;
		b = t;
	}
	C(l, a)->set = b;
	if (C(l, a)->rank == C(l, b)->rank)
		C(l, b)->rank++;
	C(l, b)->top = top;
	return true;
}

static bool
usable_id(const char *id)
{
	return id != NULL && *id != '\0';
}

static bool
has_date(struct linker *l, int i)
{
	return C(l, i)->msg != NULL;
}

static int64_t
date_of(struct linker *l, int i)
{
	return C(l, i)->msg->date;
}

/*
 * Whether References lists the oldest id last: some clients write it
 * backwards.  Told by In-Reply-To standing first, or, without one, by the
 * dates of the listed messages that are present falling from first to last.
 */
static bool
refs_reversed(struct linker *l, const struct entry *e)
{
	const int *r = (const int *)(void *)e->refs->data;
	guint n = e->refs->len;
	int first = -1, last = -1;
	int64_t prev = 0;

	if (n < 2)
		return false;
	if (e->irt >= 0)
		return r[0] == e->irt && r[n - 1] != e->irt;
	for (guint i = 0; i < n; i++) {
		if (!has_date(l, r[i]))
			continue;
		if (first >= 0 && date_of(l, r[i]) > prev)
			return false;
		if (first < 0)
			first = r[i];
		last = r[i];
		prev = date_of(l, r[i]);
	}
	return first >= 0 && last != first && date_of(l, first) >
	    date_of(l, last);
}

/* Reads the message's ids into containers: References without repeats and
 * without itself, oldest first. */
static void
read_ids(struct linker *l, struct entry *e)
{
	struct larch_msg *m = e->msg;
	GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);

	e->irt = -1;
	e->inferred = -1;
	e->adopt = -1;
	if (usable_id(m->in_reply_to) && strcmp(m->in_reply_to, m->mid) != 0)
		e->irt = container_of(l, m->in_reply_to);
	for (guint i = 0; i < m->references->len; i++) {
		const char *id = m->references->pdata[i];
		int c;

		if (!usable_id(id) || strcmp(id, m->mid) == 0)
			continue;
		c = container_of(l, id);
		if (g_hash_table_contains(seen, GINT_TO_POINTER(c + 1)))
			continue;
		g_hash_table_add(seen, GINT_TO_POINTER(c + 1));
		g_array_append_val(e->refs, c);
	}
	g_hash_table_destroy(seen);
	if (refs_reversed(l, e)) {
		int *r = (int *)(void *)e->refs->data;

		for (guint i = 0, j = e->refs->len - 1; i < j; i++, j--) {
			int t = r[i];

			r[i] = r[j];
			r[j] = t;
		}
	}
	/* The parent is In-Reply-To, else the last reference; the rest
	 * are fallbacks for when those would close a cycle. */
	if (e->irt >= 0)
		g_array_append_val(e->cands, e->irt);
	for (guint i = e->refs->len; i-- > 0;) {
		int c = g_array_index(e->refs, int, i);

		if (c != e->irt)
			g_array_append_val(e->cands, c);
	}
	if (!m->inferred_parent || !usable_id(m->parent) ||
	    strcmp(m->parent, m->mid) == 0)
		return;
	if (e->irt < 0 && e->refs->len == 0) {
		e->inferred = container_of(l, m->parent);
	} else {
		/* Only a message of the set can stand in for a ghost: a
		 * lookup, so no container is made for the id. */
		gpointer v = g_hash_table_lookup(l->index, m->parent);

		if (v != NULL)
			e->adopt = GPOINTER_TO_INT(v) - 1;
	}
}

/* Whether entry e names container c (In-Reply-To or References). */
static bool
names(const struct entry *e, int c)
{
	if (e->irt == c)
		return true;
	for (guint i = 0; i < e->refs->len; i++)
		if (g_array_index(e->refs, int, i) == c)
			return true;
	return false;
}

/* For each container, how many messages name it as their parent. */
static guint *
count_naming(struct linker *l, GArray *order)
{
	guint *named = g_new0(guint, l->c->len);

	for (guint i = 0; i < order->len; i++) {
		const struct entry *e = &g_array_index(order, struct entry, i);

		if (e->cands->len > 0 && !e->duplicate)
			named[g_array_index(e->cands, int, 0)]++;
	}
	return named;
}

/*
 * The other replies to a ghost that replies were put under in its place
 * (their quotes showed it to be that message, which lost its id) go
 * there too, when all such replies agree and the message is no later
 * than the reply: a reply that quotes nothing shows nothing itself.
 */
static void
adopt_siblings(struct linker *l, GArray *order)
{
	/* ghost container -> stand-in + 1, or -1 when replies disagree */
	GHashTable *stand = g_hash_table_new(g_direct_hash, g_direct_equal);

	for (guint i = 0; i < order->len; i++) {
		const struct entry *e = &g_array_index(order, struct entry, i);
		gpointer ghost, was;

		if (e->adopt < 0)
			continue;
		ghost = GINT_TO_POINTER(g_array_index(e->cands, int, 1));
		was = g_hash_table_lookup(stand, ghost);
		if (was == NULL)
			g_hash_table_insert(stand, ghost,
			    GINT_TO_POINTER(e->adopt + 1));
		else if (GPOINTER_TO_INT(was) != e->adopt + 1)
			g_hash_table_insert(stand, ghost, GINT_TO_POINTER(-1));
	}
	for (guint i = 0; g_hash_table_size(stand) > 0 && i < order->len;
	    i++) {
		struct entry *e = &g_array_index(order, struct entry, i);
		int in;

		if (e->adopt >= 0 || e->duplicate || e->cands->len == 0)
			continue;
		in = GPOINTER_TO_INT(g_hash_table_lookup(stand,
		    GINT_TO_POINTER(g_array_index(e->cands, int, 0)))) - 1;
		if (in < 0 || in == e->self ||
		    C(l, in)->msg->date > e->msg->date)
			continue;
		e->adopt = in;
		g_array_prepend_val(e->cands, e->adopt);
	}
	g_hash_table_unref(stand);
}

/*
 * The caller's parent in place of a ghost (see larch_thread_link()) goes
 * first among a message's candidates while the parent its headers name is
 * a ghost.  When the caller's parent is one the message names itself (the
 * ghost is an id appended after the real parent), also only while no
 * other message names that ghost as its parent: a ghost with several
 * replies is a real missing message that holds them together.
 */
static void
adopt_parents(struct linker *l, GArray *order)
{
	guint *named = NULL;

	/* Counted before any message's candidates change. */
	for (guint i = 0; i < order->len && named == NULL; i++)
		if (g_array_index(order, struct entry, i).adopt >= 0)
			named = count_naming(l, order);
	for (guint i = 0; named != NULL && i < order->len; i++) {
		struct entry *e = &g_array_index(order, struct entry, i);
		int ghost = e->cands->len > 0 ?
		    g_array_index(e->cands, int, 0) : -1;
		bool holds = e->adopt >= 0 && !e->duplicate && ghost >= 0 &&
		    C(l, ghost)->msg == NULL && C(l, e->adopt)->msg != NULL;

		if (holds && names(e, e->adopt))
			holds = named[ghost] <= 1;
		if (holds)
			g_array_prepend_val(e->cands, e->adopt);
		else
			e->adopt = -1;
	}
	if (named != NULL)
		adopt_siblings(l, order);
	g_free(named);
}

static gint
entry_cmp(gconstpointer a, gconstpointer b)
{
	const struct entry *x = a, *y = b;

	if (x->msg->date != y->msg->date)
		return x->msg->date < y->msg->date ? -1 : 1;
	return strcmp(x->msg->mid, y->msg->mid);
}

/* Depth of container x; ghosts count as levels.  Iterative, so a long
 * chain cannot exhaust the stack. */
static int
depth_of(struct linker *l, int x, GArray *stack)
{
	int d;

	while (C(l, x)->depth < 0 && C(l, x)->parent >= 0) {
		g_array_append_val(stack, x);
		x = C(l, x)->parent;
	}
	if (C(l, x)->depth < 0)
		C(l, x)->depth = 0;
	d = C(l, x)->depth;
	while (stack->len > 0) {
		x = g_array_index(stack, int, stack->len - 1);
		g_array_set_size(stack, stack->len - 1);
		C(l, x)->depth = ++d;
	}
	return d;
}

/* Links ghosts along a message's References (and its In-Reply-To when
 * References leaves it out): each ghost's parent is the id before it. */
static void
link_ghost_chain(struct linker *l, const struct entry *e)
{
	guint n = e->refs->len;
	bool irt_listed = e->irt < 0;

	for (guint i = 0; i < n; i++) {
		int c = g_array_index(e->refs, int, i);

		if (c == e->irt)
			irt_listed = true;
		if (i > 0 && C(l, c)->msg == NULL)
			try_link(l, c, g_array_index(e->refs, int, i - 1));
	}
	if (!irt_listed && n > 0 && C(l, e->irt)->msg == NULL)
		try_link(l, e->irt, g_array_index(e->refs, int, n - 1));
}

/*
 * Own links first, in date order: those to an earlier message or a ghost,
 * then those to a later one (falling back along References when the best
 * one would close a cycle), then the caller's subject links (earlier
 * parents first again), then ghosts along References.  So when two
 * messages claim each other, the reply to the earlier one wins, and
 * whatever the input order, the result is the same.
 */
static void
link_all(struct linker *l, GArray *order)
{
	for (guint i = 0; i < order->len; i++) {
		struct entry *e = &g_array_index(order, struct entry, i);
		int c;

		if (e->duplicate || e->cands->len == 0)
			continue;
		c = g_array_index(e->cands, int, 0);
		if (!has_date(l, c) || date_of(l, c) <= e->msg->date)
			e->linked = try_link(l, e->self, c);
	}
	for (guint i = 0; i < order->len; i++) {
		struct entry *e = &g_array_index(order, struct entry, i);

		for (guint k = 0; !e->duplicate && !e->linked &&
		    k < e->cands->len; k++)
			e->linked = try_link(l, e->self,
			    g_array_index(e->cands, int, k));
	}
	for (guint k = 0; k < 2 * order->len; k++) {
		struct entry *e = &g_array_index(order, struct entry,
		    k % order->len);
		int c = e->inferred;
		bool later = c >= 0 && has_date(l, c) &&
		    date_of(l, c) > e->msg->date;

		if (e->duplicate || e->linked || c < 0 ||
		    (k < order->len && later))
			continue;
		e->linked = try_link(l, e->self, c);
	}
	for (guint i = 0; i < order->len; i++) {
		struct entry *e = &g_array_index(order, struct entry, i);

		if (!e->duplicate)
			link_ghost_chain(l, e);
	}
}

/* The root of the earliest-dated tree: a message root by its own date, a
 * ghost root by its earliest message (order is sorted by date). */
static const char *
first_root(struct linker *l, GArray *order)
{
	const char *best = NULL;
	int64_t best_date = 0;

	for (guint i = 0; i < order->len; i++) {
		struct entry *e = &g_array_index(order, struct entry, i);
		int top = C(l, find_set(l, e->self))->top;
		int64_t d = C(l, top)->msg != NULL ? C(l, top)->msg->date :
		    e->msg->date;

		if (best == NULL || d < best_date || (d == best_date &&
		    strcmp(C(l, top)->mid, best) < 0)) {
			best = C(l, top)->mid;
			best_date = d;
		}
	}
	return best;
}

char *
larch_thread_link(GPtrArray *msgs)
{
	struct linker l;
	GArray *order, *stack;
	char **parents;
	char *root;

	g_return_val_if_fail(msgs != NULL, NULL);
	if (msgs->len == 0)
		return NULL;
	l.c = g_array_sized_new(FALSE, FALSE, sizeof(struct container),
	    msgs->len * 2);
	l.index = g_hash_table_new(g_str_hash, g_str_equal);
	order = g_array_sized_new(FALSE, TRUE, sizeof(struct entry),
	    msgs->len);
	stack = g_array_new(FALSE, FALSE, sizeof(int));

	/* The first of several messages sharing a mid owns its container. */
	for (guint i = 0; i < msgs->len; i++) {
		struct entry e = { .msg = msgs->pdata[i] };

		g_return_val_if_fail(e.msg != NULL && e.msg->mid != NULL, NULL);
		e.self = container_of(&l, e.msg->mid);
		e.duplicate = C(&l, e.self)->msg != NULL;
		if (!e.duplicate)
			C(&l, e.self)->msg = e.msg;
		e.refs = g_array_new(FALSE, FALSE, sizeof(int));
		e.cands = g_array_new(FALSE, FALSE, sizeof(int));
		g_array_append_val(order, e);
	}
	for (guint i = 0; i < order->len; i++)
		read_ids(&l, &g_array_index(order, struct entry, i));
	g_array_sort(order, entry_cmp);
	adopt_parents(&l, order);
	link_all(&l, order);

	/* Results are copied out before any old msg->parent is freed: the
	 * containers borrow those strings. */
	parents = g_new0(char *, order->len);
	for (guint i = 0; i < order->len; i++) {
		struct entry *e = &g_array_index(order, struct entry, i);
		int p = C(&l, e->self)->parent;

		parents[i] = p >= 0 ? g_strdup(C(&l, p)->mid) : NULL;
		e->msg->depth = depth_of(&l, e->self, stack);
	}
	root = g_strdup(first_root(&l, order));
	for (guint i = 0; i < order->len; i++) {
		struct entry *e = &g_array_index(order, struct entry, i);

		g_free(e->msg->parent);
		e->msg->parent = parents[i];
		e->msg->inferred_parent = (e->inferred >= 0 && e->linked) ||
		    (e->adopt >= 0 && C(&l, e->self)->parent == e->adopt);
		g_array_unref(e->refs);
		g_array_unref(e->cands);
	}
	g_free(parents);
	g_array_unref(stack);
	g_array_unref(order);
	g_hash_table_destroy(l.index);
	g_array_unref(l.c);
	return root;
}

/* ---- thread order ------------------------------------------------------ */

static gint
oldest_first(gconstpointer a, gconstpointer b)
{
	const struct larch_msg *x = *(struct larch_msg *const *)a;
	const struct larch_msg *y = *(struct larch_msg *const *)b;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return strcmp(x->mid, y->mid);
}

/* A parent and its replies, oldest first.  A parent that is not among the
 * messages (a ghost) still holds its replies together. */
struct family {
	struct larch_msg *msg;	/* NULL for a ghost */
	GPtrArray *children;	/* struct larch_msg * */
};

static void
family_free(gpointer p)
{
	struct family *f = p;

	g_ptr_array_unref(f->children);
	g_free(f);
}

static struct family *
family_of(GHashTable *families, const char *mid)
{
	struct family *f = g_hash_table_lookup(families, mid);

	if (f == NULL) {
		f = g_new0(struct family, 1);
		f->children = g_ptr_array_new();
		g_hash_table_insert(families, (gpointer)mid, f);
	}
	return f;
}

/* Where a walk in thread order starts: a message without a parent, or a
 * ghost's replies. */
struct top {
	struct larch_msg *msg;
	struct family *ghost;
};

/* Appends msg and its descendants, depth first, to out; iterative so that
 * a chain of thousands cannot exhaust the stack. */
static void
walk(GHashTable *families, GHashTable *done, struct larch_msg *msg,
    GPtrArray *out)
{
	GPtrArray *stack = g_ptr_array_new();

	g_ptr_array_add(stack, msg);
	while (stack->len > 0) {
		struct larch_msg *m = g_ptr_array_steal_index(stack,
		    stack->len - 1);
		struct family *f;

		if (g_hash_table_contains(done, m))
			continue;
		g_hash_table_add(done, m);
		g_ptr_array_add(out, m);
		f = g_hash_table_lookup(families, m->mid);
		for (guint i = f != NULL ? f->children->len : 0; i-- > 0;)
			g_ptr_array_add(stack, f->children->pdata[i]);
	}
	g_ptr_array_unref(stack);
}

void
larch_thread_sort(GPtrArray *msgs)
{
	GHashTable *families, *done;
	GPtrArray *byage, *out;
	GArray *tops;

	g_return_if_fail(msgs != NULL);
	families = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	    family_free);
	done = g_hash_table_new(g_direct_hash, g_direct_equal);
	/* A copy would inherit msgs' free function; this one only borrows. */
	byage = g_ptr_array_sized_new(msgs->len);
	for (guint i = 0; i < msgs->len; i++)
		g_ptr_array_add(byage, msgs->pdata[i]);
	g_ptr_array_sort(byage, oldest_first);
	for (guint i = 0; i < byage->len; i++) {
		struct larch_msg *m = byage->pdata[i];
		struct family *f = family_of(families, m->mid);

		if (f->msg == NULL)
			f->msg = m;
		if (m->parent != NULL && strcmp(m->parent, m->mid) != 0)
			g_ptr_array_add(family_of(families,
			    m->parent)->children, m);
	}

	/* The tops: messages without a parent, and ghosts, each in the place
	 * of its oldest reply; in byage order the first seen is the oldest. */
	out = g_ptr_array_sized_new(msgs->len);
	tops = g_array_new(FALSE, FALSE, sizeof(struct top));
	for (guint i = 0; i < byage->len; i++) {
		struct larch_msg *m = byage->pdata[i];
		struct top t = { .msg = m };

		if (m->parent != NULL && strcmp(m->parent, m->mid) != 0) {
			t.msg = NULL;
			t.ghost = g_hash_table_lookup(families, m->parent);
			if (t.ghost->msg != NULL ||
			    g_hash_table_contains(done, t.ghost))
				continue;
			g_hash_table_add(done, t.ghost);
		}
		g_array_append_val(tops, t);
	}
	g_hash_table_remove_all(done);
	for (guint i = 0; i < tops->len; i++) {
		struct top *t = &g_array_index(tops, struct top, i);

		if (t->msg != NULL) {
			walk(families, done, t->msg, out);
			continue;
		}
		for (guint k = 0; k < t->ghost->children->len; k++)
			walk(families, done, t->ghost->children->pdata[k], out);
	}
	/* Messages caught in a cycle of parents are reached from no top. */
	for (guint i = 0; i < byage->len; i++)
		walk(families, done, byage->pdata[i], out);

	g_assert(out->len == msgs->len);
	/* memcpy must not see the NULL pdata of an empty array. */
	if (out->len > 0)
		memcpy(msgs->pdata, out->pdata, sizeof(gpointer) * out->len);
	g_ptr_array_unref(out);
	g_array_unref(tops);
	g_ptr_array_unref(byage);
	g_hash_table_destroy(done);
	g_hash_table_destroy(families);
}
