/*
 * Blanking the mids of hidden messages; see privacy.h.
 *
 * Owner: the daemon engineer.
 */
#include <string.h>

#include "larch/thread.h"
#include "privacy.h"
#include "workers.h"

bool
privacy_is_hidden_mid(const struct job *job, struct larch_store *store,
    const char *mid)
{
	struct larch_msg *m = NULL;
	bool hidden;

	if (job->hidden == NULL || mid == NULL || mid[0] == '\0')
		return false;
	if (larch_store_get(store, mid, &m) != LARCH_OK)
		return false;
	hidden = larch_search_is_hidden(m, (const char *const *)job->hidden);
	larch_msg_free(m);
	return hidden;
}

/*
 * How many messages a client may see above a message whose parent is
 * parent, when parent is not among the messages it was shown before:
 * the visible ones up to the first hidden one, or up to a ghost (a
 * message the index never read, which counts as the root it stands in
 * for; nothing tells what was above it).  The index's own depth counts
 * hidden ancestors too and would tell that they exist.  limit (that
 * depth) bounds the walk.
 */
static int
depth_above(const struct job *job, struct larch_store *store,
    const char *parent, int limit)
{
	char *mid = g_strdup(parent);
	int n = 0;

	while (mid != NULL && mid[0] != '\0' && n < limit) {
		struct larch_msg *m = NULL;
		bool hidden;

		if (larch_store_get(store, mid, &m) != LARCH_OK) {
			n++;
			break;
		}
		hidden = larch_search_is_hidden(m,
		    (const char *const *)job->hidden);
		g_free(mid);
		mid = hidden ? NULL : g_strdup(m->parent);
		larch_msg_free(m);
		if (hidden)
			break;
		n++;
	}
	g_free(mid);
	return n;
}

/* The depth of a message whose parent is parent (NULL or "" for none),
 * given the depths of the messages shown before it. */
static int
visible_depth(const struct job *job, struct larch_store *store,
    GHashTable *depths, const char *parent, int depth)
{
	gpointer d;

	if (parent == NULL || parent[0] == '\0')
		return 0;
	if (g_hash_table_lookup_extended(depths, parent, NULL, &d))
		return GPOINTER_TO_INT(d) + 1;
	return depth_above(job, store, parent, depth);
}

void
privacy_fix_rows(const struct job *job, struct larch_store *store,
    struct larch_search_result *res)
{
	GHashTable *depths;

	if (job->hidden == NULL)
		return;
	depths = g_hash_table_new(g_str_hash, g_str_equal);
	for (unsigned i = 0; i < res->n_rows; i++) {
		struct larch_search_row *row = &res->rows[i];

		/* The walk above reads the parent first: nothing visible
		 * above a message that has one means a hidden parent. */
		row->depth = visible_depth(job, store, depths, row->parent,
		    MAX(row->depth, 1));
		if (row->depth == 0)
			row->parent[0] = '\0';
		g_hash_table_insert(depths, row->mid,
		    GINT_TO_POINTER(row->depth));
	}
	g_hash_table_unref(depths);
}

void
privacy_fix_msgs(const struct job *job, struct larch_store *store,
    GPtrArray *msgs)
{
	GHashTable *visible, *depths;

	if (job->hidden == NULL) {
		larch_thread_sort(msgs);
		return;
	}
	visible = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < msgs->len; i++) {
		struct larch_msg *m = msgs->pdata[i];

		g_hash_table_add(visible, m->mid);
	}
	for (guint i = 0; i < msgs->len; i++) {
		struct larch_msg *m = msgs->pdata[i];

		if (m->parent != NULL &&
		    !g_hash_table_contains(visible, m->parent) &&
		    privacy_is_hidden_mid(job, store, m->parent))
			g_clear_pointer(&m->parent, g_free);
	}
	larch_thread_sort(msgs);
	depths = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < msgs->len; i++) {
		struct larch_msg *m = msgs->pdata[i];

		m->depth = visible_depth(job, store, depths, m->parent,
		    m->depth);
		g_hash_table_insert(depths, m->mid, GINT_TO_POINTER(m->depth));
	}
	g_hash_table_unref(depths);
	g_hash_table_unref(visible);
}
