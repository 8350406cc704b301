/*
 * Phrases in quoted text and signatures (lib/store_phrase.cc).  The index
 * keeps those words without positions, so a phrase or NEAR search with
 * quotes is checked against each candidate's record: these cases must
 * match exactly what a positional index would, under NOT, XOR, wildcards,
 * in CJK text, in a list stemmed in another language, and in counts.
 */
#include <string.h>

#include "larch/search.h"
#include "larch/store.h"
#include "test-search-util.h"
#include "test-util.h"

static char *tmp_dir;
static struct larch_store *reader;

struct fixture {
	const char *mid;
	const char *list;
	const char *new_text;
	const char *attribution;
	const char *quote;
	const char *signature;
};

static const struct fixture msgs[] = {
	{ "q1@x", "mag", "Fine by me.", "On Monday, Ann Smith wrote:",
	    "The rough consensus was reached in Paris.", NULL },
	{ "q2@x", "mag", "Not quite.", NULL,
	    "Consensus was rough at the end of the day.", NULL },
	{ "q3@x", "mag", "See you there.", NULL, NULL,
	    "Jane Roe\nRough Consensus Institute" },
	{ "q4@x", "mag", "The rough consensus holds.", NULL, NULL, NULL },
	{ "q5@x", "mag", "我们同意。", NULL,
	    "互联网治理论坛的最佳实践，讨论AI伦理问题", NULL },
	{ "q6@x", "fr", "D'accord.", NULL, "Les chevaux sont arrivés hier.",
	    NULL },
};

static struct larch_msg *
build_msg(const struct fixture *f)
{
	struct larch_msg *m = larch_msg_new();

	m->mid = g_strdup(f->mid);
	m->header_mid = g_strdup(f->mid);
	m->list = g_strdup(f->list);
	m->date = 1500000000;
	m->from_addr = g_strdup("someone@example.org");
	m->subject = g_strdup("Consensus");
	m->body = g_strdup(f->new_text);
	m->new_text = g_strdup(f->new_text);
	m->summary = g_strdup(f->new_text);
	m->signature = g_strdup(f->signature);
	if (f->quote != NULL)
		larch_msg_add_quote(m, f->quote, 1, NULL)->attribution =
		    g_strdup(f->attribution);
	m->thread = g_strdup(f->mid);
	return m;
}

static void
build_index(void)
{
	GError *err = NULL;
	struct larch_store *w = NULL;
	char *dir;

	tmp_dir = g_dir_make_tmp("larch-quote-phrase-XXXXXX", &err);
	g_assert_no_error(err);
	dir = g_build_filename(tmp_dir, "index", NULL);
	g_assert_cmpint(larch_store_open(dir, LARCH_STORE_WRITE, &w), ==,
	    LARCH_OK);
	g_assert_cmpint(larch_store_set_language(w, "fr", "french"), ==,
	    LARCH_OK);
	for (size_t i = 0; i < G_N_ELEMENTS(msgs); i++) {
		struct larch_msg *m = build_msg(&msgs[i]);
		struct larch_store_doc *doc = NULL;

		g_assert_cmpint(larch_store_doc_new_in(m,
		    strcmp(m->list, "fr") == 0 ? "french" : NULL, &doc), ==,
		    LARCH_OK);
		g_assert_cmpint(larch_store_put(w, doc), ==, LARCH_OK);
		larch_msg_free(m);
	}
	g_assert_cmpint(larch_store_commit(w), ==, LARCH_OK);
	larch_store_close(w);
	g_assert_cmpint(larch_store_open(dir, LARCH_STORE_READ, &reader), ==,
	    LARCH_OK);
	g_free(dir);
}

/* The sorted mids a search finds, joined by spaces; its total is
 * asked exact and must be their number.  Caller frees. */
static char *
found(const char *query, bool quotes)
{
	struct larch_search_opts o = { .limit = 1000, .quotes = quotes,
	    .exact = true };
	uint64_t total, n = 0;
	char *joined = test_search_mids(reader, query, &o, &total);

	for (const char *p = joined; *p != '\0'; p++)
		n += p == joined || *p == ' ';
	g_assert_cmpuint(total, ==, n);
	return joined;
}

static const struct {
	const char *query;
	const char *want;
	bool quotes;
} cases[] = {
	/* in new text only without quotes; in quotes, attributions and
	 * signatures too with them */
	{ "\"rough consensus\"", "q4@x", false },
	{ "\"rough consensus\"", "q1@x q3@x q4@x", true },
	{ "rough consensus", "q1@x q2@x q3@x q4@x", true },
	{ "\"ann smith wrote\"", "q1@x", true },
	{ "\"smith ann wrote\"", "", true },
	{ "\"rough consensus institute\"", "q3@x", true },
	/* the words, but not side by side or not in this order */
	{ "\"consensus rough\"", "", true },
	{ "\"consensus was rough\"", "q2@x", true },
	{ "\"the end of the day\"", "q2@x", true },
	{ "\"end the day\"", "", true },
	/* NEAR within its window only */
	{ "consensus NEAR/5 paris", "q1@x", true },
	{ "consensus NEAR/2 paris", "", true },
	{ "rough NEAR/1 end", "", true },
	{ "rough NEAR/3 end", "q2@x", true },
	/* a phrase that takes matches away */
	{ "\"rough consensus\" -\"in paris\"", "q3@x q4@x", true },
	{ "rough -\"consensus was rough\"", "q1@x q3@x q4@x", true },
	{ "rough -\"was rough consensus\"", "q1@x q2@x q3@x q4@x", true },
	{ "NOT \"rough consensus\"", "q2@x q5@x q6@x", true },
	{ "\"rough consensus\" XOR paris", "q3@x q4@x", true },
	{ "\"rough consensus\" AND reach*", "q1@x", true },
	{ "(\"rough consensus\" OR \"the day\") AND NOT holds",
	    "q1@x q2@x q3@x", true },
	/* CJK characters side by side, and not */
	{ "\"治理论坛\"", "q5@x", true },
	{ "\"论坛治理\"", "", true },
	{ "\"AI伦理\"", "q5@x", true },
	{ "\"伦理AI\"", "", true },
	{ "\"治理论坛\"", "", false },
	/* a list stemmed in French: the quote is indexed again in French */
	{ "\"cheval sont arrivé\"", "q6@x", true },
	{ "\"sont chevaux\"", "", true },
};

static void
test_phrases(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *got = found(cases[i].query, cases[i].quotes);

		if (strcmp(got, cases[i].want) != 0)
			g_error("'%s'%s found '%s', want '%s'", cases[i].query,
			    cases[i].quotes ? " (quotes)" : "", got,
			    cases[i].want);
		g_free(got);
	}
}

/* COUNT, also of threads, counts only the matches that pass the check. */
static void
test_counts(void)
{
	struct larch_search_opts o = { .limit = 10, .quotes = true };
	uint64_t n = 0;

	g_assert_cmpint(larch_store_search_count(reader,
	    "\"rough consensus\"", &o, &n), ==, LARCH_OK);
	g_assert_cmpuint(n, ==, 3);
	g_assert_cmpint(larch_store_search_count(reader,
	    "\"consensus rough\"", &o, &n), ==, LARCH_OK);
	g_assert_cmpuint(n, ==, 0);
	o.threads = true;
	g_assert_cmpint(larch_store_search_count(reader,
	    "\"rough consensus\"", &o, &n), ==, LARCH_OK);
	g_assert_cmpuint(n, ==, 3);
}

/*
 * Against Xapian's own phrase matching: random texts from four words,
 * each once as new text (Xapian's positions) and once as a quote (the
 * value), and random phrases, ADJ and NEAR of them.  With --quotes a
 * query must find both messages of a text or neither.
 */
#define RANDOM_TEXTS 60

static void
test_like_xapian(void)
{
	static const char *const words[] = { "alpha", "bravo", "charlie",
	    "delta" };
	static const char *const ops[] = { "\"%s %s\"", "\"%s %s %s\"",
	    "%s NEAR/%d %s", "%s ADJ/%d %s", "%s NEAR/%d %s NEAR/%d %s" };
	GRand *rand = g_rand_new_with_seed(20261122);
	struct larch_store *w = NULL, *saved = reader;
	char *dir = g_build_filename(tmp_dir, "random", NULL);
	unsigned compared = 0, matched = 0;

	g_assert_cmpint(larch_store_open(dir, LARCH_STORE_WRITE, &w), ==,
	    LARCH_OK);
	for (int i = 0; i < RANDOM_TEXTS; i++) {
		GString *text = g_string_new(NULL);
		int n = g_rand_int_range(rand, 2, 14);

		for (int k = 0; k < n; k++)
			g_string_append_printf(text, "%s%s", k ? " " : "",
			    words[g_rand_int_range(rand, 0, 4)]);
		for (int as_quote = 0; as_quote < 2; as_quote++) {
			char mid[32];
			struct fixture f = { mid, "mag", as_quote ? "x" :
			    text->str, NULL, as_quote ? text->str : NULL,
			    NULL };
			struct larch_msg *m;
			struct larch_store_doc *doc = NULL;

			g_snprintf(mid, sizeof(mid), "%c%d@x",
			    as_quote ? 'q' : 'n', i);
			m = build_msg(&f);
			g_assert_cmpint(larch_store_doc_new(m, &doc), ==,
			    LARCH_OK);
			g_assert_cmpint(larch_store_put(w, doc), ==, LARCH_OK);
			larch_msg_free(m);
		}
		g_string_free(text, TRUE);
	}
	g_assert_cmpint(larch_store_commit(w), ==, LARCH_OK);
	larch_store_close(w);
	g_assert_cmpint(larch_store_open(dir, LARCH_STORE_READ, &reader), ==,
	    LARCH_OK);
	for (int i = 0; i < 300; i++) {
		const char *a = words[g_rand_int_range(rand, 0, 4)];
		const char *b = words[g_rand_int_range(rand, 0, 4)];
		const char *c = words[g_rand_int_range(rand, 0, 4)];
		int op = g_rand_int_range(rand, 0, G_N_ELEMENTS(ops));
		int k = g_rand_int_range(rand, 1, 6);
		char *query = op == 0 ? g_strdup_printf(ops[op], a, b) :
		    op == 1 ? g_strdup_printf(ops[op], a, b, c) :
		    op == 4 ? g_strdup_printf(ops[op], a, k, b, k, c) :
		    g_strdup_printf(ops[op], a, k, b);
		char *got = found(query, true);
		char **mids = g_strsplit(got, " ", -1);

		for (int t = 0; t < RANDOM_TEXTS; t++) {
			char n[32], q[32];
			bool has_n, has_q;

			g_snprintf(n, sizeof(n), "n%d@x", t);
			g_snprintf(q, sizeof(q), "q%d@x", t);
			has_n = g_strv_contains((const char *const *)mids, n);
			has_q = g_strv_contains((const char *const *)mids, q);
			if (has_n != has_q)
				g_error("'%s': text %d matched %s only", query,
				    t, has_n ? "as new text" : "as a quote");
			compared++;
			matched += has_n;
		}
		g_strfreev(mids);
		g_free(got);
		g_free(query);
	}
	/* Both outcomes were seen often enough to mean something. */
	g_assert_cmpuint(matched, >, compared / 10);
	g_assert_cmpuint(matched, <, compared - compared / 10);
	larch_store_close(reader);
	reader = saved;
	g_rand_free(rand);
	g_free(dir);
}

int
main(int argc, char **argv)
{
	int status;

	g_test_init(&argc, &argv, NULL);
	build_index();
	g_test_add_func("/quote-phrase/phrases", test_phrases);
	g_test_add_func("/quote-phrase/counts", test_counts);
	g_test_add_func("/quote-phrase/like-xapian", test_like_xapian);
	status = g_test_run();
	larch_store_close(reader);
	test_rm_rf(tmp_dir);
	g_free(tmp_dir);
	return status;
}
