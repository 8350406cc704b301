/*
 * Tests for daemon/render.c: the text and JSON rows larchd writes.  The
 * wire form of a row is docs/protocol.md section 5; clients split it at
 * TABs and CRLF, so what must never leak into a field is checked here
 * byte by byte.
 */
#include <string.h>

#include "render.h"
#include "test-util.h"

/* What append (render_field() or larch_json_quote()) makes of s, alone. */
static char *
appended(void (*append)(GString *, const char *), const char *s)
{
	GString *out = g_string_new(NULL);

	append(out, s);
	return g_string_free(out, FALSE);
}

static void
test_field(void)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{ "", "" },
		{ "plain", "plain" },
		{ "a\tb", "a b" },
		{ "line\r\nbreak\n", "line  break " },
		{ "\t\t", "  " },
		{ "Jörg 日本語", "Jörg 日本語" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		char *got = appended(render_field, rows[i].in);

		g_assert_cmpstr(got, ==, rows[i].want);
		g_free(got);
	}
	g_autofree char *null = appended(render_field, NULL);
	g_assert_cmpstr(null, ==, "");
}

static void
test_json_quote(void)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{ "", "\"\"" },
		{ "plain text", "\"plain text\"" },
		{ "say \"hi\"\\", "\"say \\\"hi\\\"\\\\\"" },
		{ "a\nb\rc\td", "\"a\\nb\\rc\\td\"" },
		{ "\x01x\x1f\x7f", "\"\\u0001x\\u001f\\u007f\"" },
		/* U+2028 and U+2029 escaped; other characters starting with
		 * the byte 0xe2 (€, ✓) kept. */
		{ "a\xe2\x80\xa8" "b\xe2\x80\xa9", "\"a\\u2028b\\u2029\"" },
		{ "€ ✓ \xe2\x80\x94", "\"€ ✓ \xe2\x80\x94\"" },
		{ "\xe2\x82\xac", "\"€\"" },
		/* Invalid UTF-8 is replaced, never passed on. */
		{ "a\xff" "b", "\"a\xef\xbf\xbd" "b\"" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		char *got = appended(larch_json_quote, rows[i].in);

		g_assert_cmpstr(got, ==, rows[i].want);
		g_free(got);
	}
}

static struct larch_search_row
sample_row(char *mid)
{
	static char thread[] = "t1", parent[] = "", list[] = "dev",
	    from[] = "ann@example.org", name[] = "Ann\tSmith",
	    subject[] = "Re: tabs\tand\r\nbreaks", summary[] = "I agree.",
	    snippet[] = "";
	struct larch_search_row row = {
		.mid = mid, .thread = thread, .parent = parent, .list = list,
		.from = from, .from_name = name, .subject = subject,
		.summary = summary, .snippet = snippet,
		.date = 1464289500, .depth = 2, .score = -1, .messages = 3,
	};

	return row;
}

static void
test_text_row(void)
{
	char mid[] = "a@example.org", dotted[] = ".b@example.org";
	struct larch_search_row row = sample_row(mid);
	GString *out = g_string_new(NULL);

	render_row(out, &row, LARCH_PROTO_FORMAT_TEXT, RENDER_ROW_SEARCH);
	g_assert_cmpstr(out->str, ==, "a@example.org\tt1\t"
	    "2016-05-26T19:05:00Z\tdev\tann@example.org\tAnn Smith\t"
	    "Re: tabs and  breaks\tI agree.\r\n");
	/* A line starting with a dot is dot-stuffed. */
	g_string_truncate(out, 0);
	row.mid = dotted;
	render_row(out, &row, LARCH_PROTO_FORMAT_TEXT, RENDER_ROW_SEARCH);
	g_assert_true(g_str_has_prefix(out->str, "..b@example.org\tt1\t"));
	/* Thread rows start with the depth, so nothing is stuffed. */
	g_string_truncate(out, 0);
	render_row(out, &row, LARCH_PROTO_FORMAT_TEXT, RENDER_ROW_THREAD);
	g_assert_true(g_str_has_prefix(out->str, "2\t.b@example.org\tt1\t"));
	g_assert_true(g_str_has_suffix(out->str, "\tI agree.\r\n"));
	/* One line: its only line feed ends it. */
	g_assert_true(strchr(out->str, '\n') == out->str + out->len - 1);
	g_string_free(out, TRUE);
}

static void
test_json_row(void)
{
	char mid[] = "a@example.org";
	struct larch_search_row row = sample_row(mid);
	GString *out = g_string_new(NULL);

	render_row(out, &row, LARCH_PROTO_FORMAT_JSON, RENDER_ROW_SEARCH);
	g_assert_true(g_str_has_suffix(out->str, "}\r\n"));
	g_assert_nonnull(strstr(out->str,
	    "\"date\":\"2016-05-26T19:05:00Z\""));
	g_assert_nonnull(strstr(out->str,
	    "\"subject\":\"Re: tabs\\tand\\r\\nbreaks\""));
	g_assert_nonnull(strstr(out->str, "\"messages\":3"));
	g_assert_null(strstr(out->str, "\"score\""));
	g_string_free(out, TRUE);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/render/field", test_field);
	g_test_add_func("/render/json-quote", test_json_quote);
	g_test_add_func("/render/text-row", test_text_row);
	g_test_add_func("/render/json-row", test_json_row);
	return g_test_run();
}
