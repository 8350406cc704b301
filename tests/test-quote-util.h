/* Helpers shared by the quote splitter's unit tests. */
#ifndef LARCH_TEST_QUOTE_UTIL_H
#define LARCH_TEST_QUOTE_UTIL_H

#include <glib.h>

#include "larch/quote.h"

/* The kinds of a split's segments as one letter each ("N Q1 A Q2 S"),
 * quotes with their depth, so a table row states a whole split.  The
 * caller frees the result. */
static inline char *
test_quote_kind_codes(GPtrArray *segs)
{
	static const char codes[] = "NQAWSFX";
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < segs->len; i++) {
		const struct larch_segment *seg = segs->pdata[i];

		if (s->len > 0)
			g_string_append_c(s, ' ');
		g_string_append_c(s, codes[seg->kind]);
		if (seg->kind == LARCH_SEG_QUOTE)
			g_string_append_printf(s, "%d", seg->depth);
	}
	return g_string_free(s, FALSE);
}

/* A message with body, from a sender whose display name is from_name
 * (NULL for none), after larch_quote_apply() with the default rules and
 * summaries of 200 characters.  The caller frees it with
 * larch_msg_free(). */
static inline struct larch_msg *
test_quote_applied(const char *body, const char *from_name)
{
	struct larch_msg *m = larch_msg_new();

	m->body = g_strdup(body);
	m->from_name = g_strdup(from_name);
	larch_quote_apply(NULL, m, 200, NULL);
	return m;
}

#endif
