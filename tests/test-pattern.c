/* The pcre2 wrapper. */
#include <string.h>
#include <glib.h>

#include "larch/pattern.h"

static const struct {
	const char *regex;
	unsigned flags;
	const char *subject;
	size_t start;
	gboolean found;
	long g0_start, g1_start, g1_end;
} find_rows[] = {
	{ "b(c)", 0, "abcd", 0, TRUE, 1, 2, 3 },
	{ "b(c)", 0, "abcd", 2, FALSE, -1, -1, -1 },
	{ "^x", LARCH_PATTERN_MULTILINE, "a\nx", 0, TRUE, 2, -1, -1 },
	{ "^x", 0, "a\nx", 0, FALSE, -1, -1, -1 },
	{ "CAFÉ", LARCH_PATTERN_UTF | LARCH_PATTERN_CASELESS, "un café",
	  0, TRUE, 3, -1, -1 },
	/* Invalid UTF-8 in the subject: no match, no error. */
	{ "caf", LARCH_PATTERN_UTF, "\xff\xfe caf", 0, TRUE, 3, -1, -1 },
	{ "(a)|(b)", 0, "b", 0, TRUE, 0, -1, -1 },
	{ "x", 0, "", 0, FALSE, -1, -1, -1 },
	{ "x", 0, "abc", 10, FALSE, -1, -1, -1 },
};

static void
test_find(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(find_rows); i++) {
		struct larch_pattern *p = NULL;
		struct larch_match m;
		gboolean found;

		g_assert_cmpint(larch_pattern_new(find_rows[i].regex,
		    find_rows[i].flags, &p, NULL), ==, LARCH_OK);
		found = larch_pattern_find(p, find_rows[i].subject,
		    strlen(find_rows[i].subject), find_rows[i].start, &m);
		g_assert_cmpint(found, ==, find_rows[i].found);
		if (found) {
			g_assert_cmpint(m.start[0], ==, find_rows[i].g0_start);
			g_assert_cmpint(m.start[1], ==, find_rows[i].g1_start);
			g_assert_cmpint(m.end[1], ==, find_rows[i].g1_end);
		}
		larch_pattern_free(p);
	}
}

static void
test_anchored(void)
{
	struct larch_pattern *p = NULL;

	g_assert_cmpint(larch_pattern_new("From ", 0, &p, NULL), ==,
	    LARCH_OK);
	g_assert_true(larch_pattern_matches_at(p, "xFrom a", 7, 1, NULL));
	g_assert_false(larch_pattern_matches_at(p, "xFrom a", 7, 0, NULL));
	larch_pattern_free(p);
}

static void
test_bad_regex(void)
{
	struct larch_pattern *p = NULL;
	char *err = NULL;

	g_assert_cmpint(larch_pattern_new("a(b", 0, &p, &err), ==,
	    LARCH_ERR_INVALID);
	g_assert_null(p);
	g_assert_nonnull(strstr(err, "offset 3"));
	g_free(err);
	larch_pattern_free(NULL);
}

static void
test_replace(void)
{
	struct larch_pattern *p = NULL;
	GString *big = g_string_new(NULL);
	size_t len;
	char *out;

	g_assert_cmpint(larch_pattern_new("(\\w+) at (\\w+)", 0, &p, NULL),
	    ==, LARCH_OK);
	out = larch_pattern_replace_all(p, "mail ann at example now", 23,
	    "$1@$2", &len);
	g_assert_cmpstr(out, ==, "mail ann@example now");
	g_assert_cmpuint(len, ==, strlen(out));
	g_free(out);
	/* Output much longer than the input: the buffer must grow. */
	larch_pattern_free(p);
	g_assert_cmpint(larch_pattern_new("x", 0, &p, NULL), ==, LARCH_OK);
	for (int i = 0; i < 10000; i++)
		g_string_append_c(big, 'x');
	out = larch_pattern_replace_all(p, big->str, big->len, "yyyyyyyy",
	    &len);
	g_assert_nonnull(out);
	g_assert_cmpuint(len, ==, 80000);
	g_free(out);
	larch_pattern_free(p);
	g_string_free(big, TRUE);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pattern/find", test_find);
	g_test_add_func("/pattern/anchored", test_anchored);
	g_test_add_func("/pattern/bad-regex", test_bad_regex);
	g_test_add_func("/pattern/replace", test_replace);
	return g_test_run();
}
