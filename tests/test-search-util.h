/* Running a search in the unit tests of the query layer. */
#ifndef LARCH_TEST_SEARCH_UTIL_H
#define LARCH_TEST_SEARCH_UTIL_H

#include <string.h>
#include <glib.h>

#include "larch/search.h"
#include "larch/store.h"

static inline gint
test_compare_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The mids a search in store finds, joined by spaces, sorted when the
 * order is relevance (which is not the point of these tests); the
 * search's total into *total unless NULL (UINT64_MAX when the total is
 * only estimated).  A failed search ends the test.  Caller frees.
 */
static inline char *
test_search_mids(struct larch_store *store, const char *query,
    const struct larch_search_opts *o, uint64_t *total)
{
	struct larch_search_result *r = NULL;
	enum larch_status st = larch_store_search(store, query, o, &r);
	GPtrArray *mids = g_ptr_array_new();
	char *joined;

	if (st != LARCH_OK)
		g_error("search '%s': %s: %s", query, larch_status_str(st),
		    larch_store_error(store));
	for (unsigned i = 0; i < r->n_rows; i++)
		g_ptr_array_add(mids, r->rows[i].mid);
	if (o->sort == LARCH_SORT_RELEVANCE)
		g_ptr_array_sort(mids, test_compare_strings);
	g_ptr_array_add(mids, NULL);
	joined = g_strjoinv(" ", (char **)mids->pdata);
	if (total != NULL)
		*total = r->total_exact ? r->total : UINT64_MAX;
	g_ptr_array_free(mids, TRUE);
	larch_search_result_free(r);
	return joined;
}

#endif
