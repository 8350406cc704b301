/* Tests for lib/mid.c: Message-ID normalisation and derived ids. */
#include <string.h>

#include <glib.h>

#include "larch/mid.h"

static const struct {
	const char *in;
	const char *want;	/* NULL: nothing usable */
} normalise_rows[] = {
	{ "<abc@example.com>", "abc@example.com" },
	{ "  <abc@Example.COM>  ", "abc@example.com" },
	{ "<ABC.Def@Example.COM>", "ABC.Def@example.com" },
	{ "abc@EXAMPLE.com", "abc@example.com" },
	{ "<abc@example.com> (added by postmaster)", "abc@example.com" },
	{ "(comment) <abc@example.com>", "abc@example.com" },
	{ "<abc\n @example.com>", "abc@example.com" },
	{ "<abc@exa\tmple.com>", "abc@example.com" },
	{ "<a@b> <c@d>", "a@b" },
	{ "<> <real@example.com>", "real@example.com" },
	{ "<>", NULL },
	{ "", NULL },
	{ "   ", NULL },
	{ "<<>>", NULL },
	{ "(only a comment)", NULL },
	{ "<--->", NULL },
	{ "<abc@example.com", "abc@example.com" },
	{ "<abc <def@example.com>", "def@example.com" },
	{ "<local-only>", "local-only" },
	{ "<user at example.com>", "user@example.com" },
	{ "<caf\xc3\xa9@example.com>", "caf\xc3\xa9@example.com" },
	{ "<bad\xff@example.com>", "bad\xef\xbf\xbd@example.com" },
	{ "<a\x01@b>", NULL },
};

static void
test_normalise(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(normalise_rows); i++) {
		char *got = larch_mid_normalise(normalise_rows[i].in);

		g_test_message("normalise row %zu", i);
		g_assert_cmpstr(got, ==, normalise_rows[i].want);
		if (got != NULL)
			g_assert_true(g_utf8_validate(got, -1, NULL));
		g_free(got);
	}
	g_assert_null(larch_mid_normalise(NULL));
}

static const struct {
	const char *in;
	const char *want;	/* ids joined with ' ' */
} list_rows[] = {
	{ "<a@x> <b@x> <c@x>", "a@x b@x c@x" },
	{ "<a@x>\n\t<b@x>", "a@x b@x" },
	{ "<a@x> <b@x> <a@x>", "a@x b@x" },
	{ "junk <a@x> \"more junk\" (c) <b@X>", "a@x b@x" },
	{ "<a@x>; from someone on Sunday at 21:57", "a@x" },
	{ "<a@x><b@x>", "a@x b@x" },
	{ "<> <a@x>", "a@x" },
	{ "Your message of Friday", "" },
	{ "a@x b@x", "a@x b@x" },
	{ "a@x, b@x, a@x", "a@x b@x" },
	{ "", "" },
	{ "<unterminated@x", "unterminated@x" },
	{ "<yes>", "" },
	{ "<yes> <a@x>", "a@x" },
	{ "<a at x> <b at y>", "a@x b@y" },
	{ "<local-only> a@x", "" },
};

static char *
joined(GPtrArray *ids)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < ids->len; i++) {
		if (i > 0)
			g_string_append_c(s, ' ');
		g_string_append(s, ids->pdata[i]);
	}
	return g_string_free(s, FALSE);
}

static void
test_parse_list(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(list_rows); i++) {
		GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
		char *got;

		larch_mid_parse_list(list_rows[i].in, ids);
		got = joined(ids);
		g_test_message("list row %zu", i);
		g_assert_cmpstr(got, ==, list_rows[i].want);
		g_free(got);
		g_ptr_array_unref(ids);
	}
}

static void
test_parse_list_appends(void)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
	char *got;

	g_ptr_array_add(ids, g_strdup("a@x"));
	larch_mid_parse_list("<b@x> <a@x> <c@x>", ids);
	larch_mid_parse_list(NULL, ids);
	got = joined(ids);
	g_assert_cmpstr(got, ==, "a@x b@x c@x");
	g_free(got);
	g_ptr_array_unref(ids);
}

static void
test_parse_list_huge(void)
{
	GString *h = g_string_new(NULL);
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);

	/* Many ids, many repeats: must stay fast and keep order. */
	for (int i = 0; i < 50000; i++)
		g_string_append_printf(h, "<id%d@x> ", i % 20000);
	larch_mid_parse_list(h->str, ids);
	g_assert_cmpuint(ids->len, ==, 20000);
	g_assert_cmpstr(ids->pdata[0], ==, "id0@x");
	g_assert_cmpstr(ids->pdata[19999], ==, "id19999@x");
	g_ptr_array_unref(ids);
	g_string_free(h, TRUE);
}

static void
test_from_content(void)
{
	char *a = larch_mid_from_content("abc", 3);
	char *b = larch_mid_from_content("abc", 3);
	char *c = larch_mid_from_content("abd", 3);
	char *e = larch_mid_from_content("", 0);

	g_assert_cmpstr(a, ==, b);
	g_assert_cmpstr(a, !=, c);
	g_assert_true(g_str_has_suffix(a, "@larch.invalid"));
	g_assert_cmpuint(strlen(a), ==, 32 + strlen("@larch.invalid"));
	g_assert_true(g_str_has_suffix(e, "@larch.invalid"));
	/* A derived id survives normalisation unchanged. */
	{
		char *n = larch_mid_normalise(a);

		g_assert_cmpstr(n, ==, a);
		g_free(n);
	}
	g_free(a);
	g_free(b);
	g_free(c);
	g_free(e);
}

static void
test_derive_duplicate(void)
{
	char *a = larch_mid_derive_duplicate("abc@x", "0123456789abcdef");
	char *b = larch_mid_derive_duplicate("abc@x", "0123456789abcdef");
	char *c = larch_mid_derive_duplicate("abc@x", "fedcba9876543210");
	char *d = larch_mid_derive_duplicate("abc@x", NULL);

	g_assert_cmpstr(a, ==, "abc@x.dup-0123456789abcdef");
	g_assert_cmpstr(a, ==, b);
	g_assert_cmpstr(a, !=, c);
	g_assert_true(g_str_has_prefix(d, "abc@x.dup-"));
	g_assert_cmpuint(strlen(d), ==, strlen("abc@x.dup-") + 16);
	g_free(a);
	g_free(b);
	g_free(c);
	g_free(d);
}

static void
test_archive_assigned(void)
{
	static const struct {
		const char *mid;
		bool assigned;
	} rows[] = {
		{ "mailman.100109.1237664194.dev@lists.example.org", true },
		{ "mailman.12.1463078423.4102.igfmaglist_intgovforum.org@"
		    "intgovforum.org", true },
		{ "mailman.1.2.x@y", true },
		{ "mailman.100109.dev@lists.example.org", false },
		{ "mailman.a.1237664194.dev@lists.example.org", false },
		{ "mailman.1.2.@host", false },
		{ "mailman.1.2.list@", false },
		{ "mailman.1.2.list", false },
		{ "xmailman.1.2.list@host", false },
		{ "1237664194.dev@lists.example.org", false },
		{ "", false },
		{ NULL, false },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_test_message("row %s", rows[i].mid ? rows[i].mid : "NULL");
		g_assert_cmpint(larch_mid_is_archive_assigned(rows[i].mid), ==,
		    rows[i].assigned);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mid/normalise", test_normalise);
	g_test_add_func("/mid/parse-list", test_parse_list);
	g_test_add_func("/mid/parse-list-appends", test_parse_list_appends);
	g_test_add_func("/mid/parse-list-huge", test_parse_list_huge);
	g_test_add_func("/mid/from-content", test_from_content);
	g_test_add_func("/mid/derive-duplicate", test_derive_duplicate);
	g_test_add_func("/mid/archive-assigned", test_archive_assigned);
	return g_test_run();
}
