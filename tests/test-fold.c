/*
 * Unit tests for lib/fold.c: accent folding as the indexer and the query
 * layer do it.  larch_fold() normalises only the non-ASCII runs of a
 * text; it must give what normalising the whole text gives, which
 * whole_fold() below does the plain way.
 */
#include <string.h>

#include <glib.h>

#include "larch/fold.h"

static const struct {
	const char *name, *in, *out;	/* out NULL: no folding needed */
} rows[] = {
	{ "plain ASCII needs none", "The IGF meets in May.", NULL },
	{ "an acute accent", "café", "cafe" },
	{ "accents among ASCII words", "Dear Zoé, the café in Genève is shut.",
	  "Dear Zoe, the cafe in Geneve is shut." },
	{ "decomposed (NFD) accent", "cafe\xcc\x81 ok", "cafe ok" },
	{ "a mark after a long ASCII run",
	  "a line of plain ASCII text that runs on and on and on e\xcc\x81",
	  "a line of plain ASCII text that runs on and on and on e" },
	{ "full width", "\xef\xbc\xa9\xef\xbc\xa7\xef\xbc\xa6 2016", "IGF 2016" },
	{ "sharp s and oe", "Straße, œuvre, Œuvre", "Strasse, oeuvre, OEuvre" },
	{ "final sigma", "λόγος", "λογοσ" },
	{ "Hangul stays whole", "회의 OK", "회의 OK" },
	{ "Hangul jamo compose", "\xe1\x84\x92\xe1\x85\xa1 x", "하 x" },
	{ "a no-break space is a space", "a\xc2\xa0" "b", "a b" },
	{ "Cyrillic short i", "й и", "и и" },
	{ "French elision, ASCII", "l'information", "information" },
	{ "elision after an accent", "é l’été", "e ete" },
	{ "invalid UTF-8 is left alone", "caf\xc3 x", NULL },
};

static void
test_fold_rows(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		char *got = larch_fold(rows[i].in, strlen(rows[i].in));

		g_test_message("fold: %s", rows[i].name);
		g_assert_cmpstr(got, ==, rows[i].out);
		g_free(got);
	}
}

/* The letters NFKD leaves apart (as lib/fold.c lists them). */
static char *
whole_letters(char *s)
{
	static const char *const from[] = { "\xc3\x9f", "\xe1\xba\x9e",
	    "\xc5\x93", "\xc5\x92", "\xcf\x82" };
	static const char *const to[] = { "ss", "ss", "oe", "OE",
	    "\xcf\x83" };

	for (size_t i = 0; i < G_N_ELEMENTS(from); i++) {
		char **parts = g_strsplit(s, from[i], -1);

		g_free(s);
		s = g_strjoinv(to[i], parts);
		g_strfreev(parts);
	}
	return s;
}

/* The whole text normalised at once: what larch_fold() did before it
 * normalised runs. */
static char *
whole_fold(const char *text, size_t len)
{
	char *nfkd, *nfc;
	GString *kept = g_string_new(NULL);

	nfkd = g_utf8_normalize(text, (gssize)len, G_NORMALIZE_NFKD);
	for (const char *p = nfkd; *p != '\0'; p = g_utf8_next_char(p))
		if (g_unichar_type(g_utf8_get_char(p)) !=
		    G_UNICODE_NON_SPACING_MARK)
			g_string_append_len(kept, p,
			    g_utf8_next_char(p) - p);
	g_free(nfkd);
	nfc = whole_letters(g_utf8_normalize(kept->str, -1,
	    G_NORMALIZE_NFC));
	g_string_free(kept, TRUE);
	larch_fold_drop_elisions(nfc, strlen(nfc), NULL);
	return nfc;
}

/* Random texts of pieces that compose, decompose, reorder and elide,
 * with ASCII runs short and long around them. */
static void
test_fold_like_whole(void)
{
	static const char *const pieces[] = {
		"a", "e", "o", "n", "s", "l", "qu", " ", ".", "'", "\xe2\x80\x99",
		"\xcc\x81", "\xcc\x88", "\xcc\xa7", "\xcc\x83", "\xe0\xa4\x83",
		"\xcd\x85", "é", "ñ", "ß", "œ", "Œ", "ς", "Σ", "\xef\xbc\xa1",
		"\xef\xac\x81", "한", "\xe1\x84\x92", "\xe1\x85\xa1",
		"\xe1\x86\xa8", "й", "中", "\xf0\x9f\x98\x80", "\xc2\xa0",
		"\xe2\x84\xab", "\xc7\x84", "x1", "abcdefghijklmnopqrstuvwxyz0123",
	};
	GRand *rand = g_rand_new_with_seed(20261123);

	for (int n = 0; n < 20000; n++) {
		GString *text = g_string_new(NULL);
		int count = g_rand_int_range(rand, 0, 40);
		char *got, *want;

		for (int k = 0; k < count; k++)
			g_string_append(text, pieces[g_rand_int_range(rand, 0,
			    G_N_ELEMENTS(pieces))]);
		got = larch_fold(text->str, text->len);
		want = whole_fold(text->str, text->len);
		if (got == NULL)	/* nothing to fold: ASCII */
			g_assert_cmpstr(text->str, ==, want);
		else
			g_assert_cmpstr(got, ==, want);
		g_free(got);
		g_free(want);
		g_string_free(text, TRUE);
	}
	g_rand_free(rand);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/fold/rows", test_fold_rows);
	g_test_add_func("/fold/like-whole", test_fold_like_whole);
	return g_test_run();
}
