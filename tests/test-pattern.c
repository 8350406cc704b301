/* The pcre2 wrapper. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>
#include <glib.h>

#include "test-util.h"
#include "larch/pattern.h"
#include "../lib/quote_private.h"

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

/*
 * Anchored matches fail early on a byte no match can start with.  The
 * bytes come from pcre2 (first code unit or bitmap), or, for a pattern
 * that starts with ^, from the pattern without it.  Checked against
 * pcre2 itself, called directly, for every built-in quote rule and its
 * lossy variant, at every offset of random lines made of the pieces
 * rules look for and of characters that defeat a naive first-byte
 * check: k and s have a third case outside ASCII (the Kelvin sign, long
 * s), accented capitals share their first byte with other letters, and
 * broken UTF-8.
 */
static const char *const line_pieces[] = {
	">", "> ", ">>", " > ", "|", "| ", " ", "  ", "\t", "\n", "\n\n",
	"Jp> ", "SC>", "On ", "Le ", "Am ", "El ", "Op ", "wrote:", " wrote",
	"a \xc3\xa9" "crit :", "schrieb", "escribi\xc3\xb3:", "ha scritto:",
	"Mon, 6 May 2016 at 19:05, ", "Markus Kummer <markus@example.org>",
	"Hi ", "hi all,", "Hello", "Dear all,", "Dear Mariana,", "Good morning",
	"Thanks,", "Regards", "Best,", "Sent from my iPhone", "-- ", "--", "---",
	"_______________________________________________",
	"-----Original Message-----", "From: ", "Sent: ", "To: ", "Subject: ",
	"mailing list", "https://lists.example.org/", "To unsubscribe",
	"-------------- next part --------------", "[snip]", "[...]",
	"K", "k", "\xe2\x84\xaa", "S", "s", "\xc5\xbf", "\xc3\x89",
	"\xc3\xa9", "\xc3\x9f", "\xe1\xba\x9e", "\xe5\xa4\xa7\xe5\xae\xb6\xe5\xa5\xbd",
	"\xe5\x86\x99\xe9\x81\x93\xef\xbc\x9a", "\xe3\x81\x95\xe3\x82\x93",
	"\xff", "\xc3", "\x80", "?", "P.S.", "=", "Yahoo! Groups Links",
};

/* The patterns of the built-in rules file, continuation lines joined. */
static GPtrArray *
builtin_patterns(void)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	char **lines = g_strsplit(larch_quote_builtin_text, "\n", -1);
	GString *cur = NULL;

	for (char **l = lines; *l != NULL; l++) {
		char *line = g_strchomp(*l);

		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (g_ascii_isspace(line[0])) {
			g_assert_nonnull(cur);
			g_string_append(cur, g_strchug(line));
			continue;
		}
		if (cur != NULL)
			g_ptr_array_add(out, g_string_free(cur, FALSE));
		line += strcspn(line, " \t");
		cur = g_string_new(g_strchug(line));
	}
	if (cur != NULL)
		g_ptr_array_add(out, g_string_free(cur, FALSE));
	g_strfreev(lines);
	return out;
}

/* Whether offset at of s starts a valid UTF-8 character (or ends s). */
static bool
starts_char(const char *s, size_t len, size_t at)
{
	gunichar u;

	if (at == len)
		return true;
	u = g_utf8_get_char_validated(s + at, (gssize)(len - at));
	return u != (gunichar)-1 && u != (gunichar)-2;
}

static void
check_starts(const char *regex, GRand *rand, guint lines, guint *matched)
{
	uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF |
	    PCRE2_MULTILINE;
	struct larch_pattern *p = NULL;
	pcre2_code *ref;
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	GString *s = g_string_new(NULL);
	int errcode;
	PCRE2_SIZE erroffset;

	g_assert_cmpint(larch_pattern_new(regex, LARCH_PATTERN_UTF |
	    LARCH_PATTERN_MULTILINE, &p, NULL), ==, LARCH_OK);
	ref = pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED,
	    options, &errcode, &erroffset, NULL);
	g_assert_nonnull(ref);
	for (guint i = 0; i < lines; i++) {
		int n = g_rand_int_range(rand, 1, 9);

		g_string_truncate(s, 0);
		while (n-- > 0)
			g_string_append(s, line_pieces[g_rand_int_range(rand,
			    0, G_N_ELEMENTS(line_pieces))]);
		for (size_t at = 0; at <= s->len; at++) {
			struct larch_match m;
			bool got;
			int rc;

			/* Not at a character: pcre2 itself answers
			 * differently there when anchored by \G (an empty
			 * match) and by PCRE2_ANCHORED (it moves on).  The
			 * quote rules only ever see valid UTF-8. */
			if (!starts_char(s->str, s->len, at))
				continue;
			got = larch_pattern_matches_at(p, s->str, s->len,
			    at, &m);
			rc = pcre2_match(ref, (PCRE2_SPTR)s->str, s->len,
			    at, PCRE2_ANCHORED, md, NULL);

			/* pcre2 may move past a broken character first:
			 * that match is not at the offset. */
			if (rc >= 0 && pcre2_get_ovector_pointer(md)[0] != at)
				rc = PCRE2_ERROR_NOMATCH;

			if (got != (rc >= 0)) {
				char *shown = g_strescape(s->str, NULL);

				g_error("%s at %zu of \"%s\": %d, pcre2 %d",
				    regex, at, shown, got, rc);
			}
			if (got) {
				g_assert_cmpint(m.end[0], ==,
				    (long)pcre2_get_ovector_pointer(md)[1]);
				(*matched)++;
			}
		}
	}
	g_string_free(s, TRUE);
	pcre2_match_data_free(md);
	pcre2_code_free(ref);
	larch_pattern_free(p);
}

static void
test_start_bytes(void)
{
	GPtrArray *patterns = builtin_patterns();
	GRand *rand = g_rand_new_with_seed(20261123);
	guint matched = 0;
	guint lines = 2000 / test_sample_stride();
	static const char *const extra[] = {
		/* Caseless first letters with a third case, or none in
		 * ASCII; a ^ that must stay; options before the ^. */
		"(?i)kelvin", "(?i)^sunday", "(?i)^\xc3\xa9t\xc3\xa9", "^\xc3\x89",
		"(?i)^(?:ok|fine)", "^{x", "(?m)(?i)^on\\s", "^$", "^\\s*>",
		"(?=a)", "a?", "^(?:x|)y", "(?x)^ a b",
	};

	g_assert_cmpuint(patterns->len, >, 60);
	for (guint i = 0; i < G_N_ELEMENTS(extra); i++)
		check_starts(extra[i], rand, lines, &matched);
	for (guint i = 0; i < patterns->len; i++) {
		char *lossy = larch_quote_lossy_pattern(patterns->pdata[i],
		    false);

		check_starts(patterns->pdata[i], rand, lines, &matched);
		if (lossy != NULL)
			check_starts(lossy, rand, lines / 4 + 1, &matched);
		g_free(lossy);
	}
	/* The lines do match, so both answers were compared. */
	g_test_message("%u matches compared", matched);
	g_assert_cmpuint(matched, >, 10000 / test_sample_stride());
	g_rand_free(rand);
	g_ptr_array_unref(patterns);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pattern/find", test_find);
	g_test_add_func("/pattern/anchored", test_anchored);
	g_test_add_func("/pattern/bad-regex", test_bad_regex);
	g_test_add_func("/pattern/replace", test_replace);
	g_test_add_func("/pattern/start-bytes", test_start_bytes);
	return g_test_run();
}
