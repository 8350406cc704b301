/*
 * Fuzz target for the query checker (include/larch/query.h): the input,
 * up to its first NUL, as a search query through larch_query_prepare(),
 * and as a period through larch_query_parse_period().
 *
 * Checks: a query is either accepted (a non-empty UTF-8 rewrite that is
 * accepted again unchanged) or refused with LARCH_ERR_PARSE, a reason and
 * an offset inside the query; a period, when it is one, starts before it
 * ends.
 */
#include <string.h>
#include <glib.h>

#include "larch/query.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct larch_query_error err;
	char *q = g_strndup((const char *)data, size);
	char *out = NULL, *again = NULL;
	enum larch_status st;
	int64_t start, end;

	st = larch_query_prepare(q, &out, &err);
	if (st == LARCH_OK) {
		g_assert_nonnull(out);
		g_assert_cmpstr(out, !=, "");
		g_assert_true(g_utf8_validate(out, -1, NULL));
		/* The rewrite is what the store's parser gets; preparing it
		 * again must neither refuse nor change it, unless the rewrite
		 * (single dates become ranges) grew past the length cap,
		 * which only applies to what users send. */
		if (strlen(out) <= LARCH_QUERY_MAX) {
			g_assert_cmpint(larch_query_prepare(out, &again,
			    &err), ==, LARCH_OK);
			g_assert_cmpstr(again, ==, out);
			g_free(again);
		}
	} else {
		g_assert_cmpint(st, ==, LARCH_ERR_PARSE);
		g_assert_null(out);
		g_assert_nonnull(memchr(err.reason, '\0',
		    sizeof err.reason));
		g_assert_cmpstr(err.reason, !=, "");
		g_assert_true(g_utf8_validate(err.reason, -1, NULL));
		g_assert_cmpuint(err.offset, <=, strlen(q));
	}
	g_free(out);

	if (larch_query_parse_period((const char *)data, size, &start, &end))
		g_assert_cmpint(start, <=, end);
	g_free(q);
	return 0;
}
