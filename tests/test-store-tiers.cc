/*
 * Tests for lib/store_weight.cc and lib/store_tiers.cc: larch's BM25
 * gives Xapian's BM25Weight(1, 0, 1, 0, 0.5) weights to the last bit,
 * and a search answered from tier terms is the whole query's answer
 * (documents, order, weights, percentages) whenever it claims to be.
 * C++, since both are private to the store shim.
 */
#include <cstdio>
#include <string>
#include <vector>

#include <glib.h>
#include <glib/gstdio.h>

#include "store_tiers.hh"
#include "store_weight.hh"
#include "test-util.h"

static const char *const WORDS[] = { "memory", "leak", "release",
	"candidate", "parser", "charset", "policy", "forum", "draft", "agenda",
	"meeting", "minutes", "proposal", "会議", "café", "the", "of", "to" };

/* A database of mail-like documents: words drawn with a skew (the first
 * words often), some repeated in place, some in fixed pairs, so that
 * wdfs of 1 to 10 and phrases occur; a boolean term on every third. */
static std::string
make_db(guint32 seed, unsigned docs)
{
	gchar *dir = g_dir_make_tmp("larch-tiers-XXXXXX", nullptr);
	std::string path = std::string(dir) + "/db";
	Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
	Xapian::TermGenerator tg;
	GRand *r = g_rand_new_with_seed(seed);

	g_free(dir);
	tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
	for (unsigned d = 0; d < docs; d++) {
		Xapian::Document doc;
		std::string text;
		int len = g_rand_int_range(r, 3, 60);

		for (int i = 0; i < len; i++) {
			int a = g_rand_int_range(r, 0, G_N_ELEMENTS(WORDS));
			int b = g_rand_int_range(r, 0, a + 1);

			text += WORDS[b];
			text += g_rand_int_range(r, 0, 4) == 0 ?
			    " memory leak " : " ";
		}
		tg.set_document(doc);
		tg.index_text(text);
		if (d % 3 == 0)
			doc.add_boolean_term("Lthird");
		doc.add_boolean_term("XAsomeone");	/* a prefixed word */
		larch_store_add_tier_terms(doc);
		db.add_document(doc);
	}
	db.commit();
	g_rand_free(r);
	return path;
}

static void
remove_db(const std::string &path)
{
	gchar *dir = g_path_get_dirname(path.c_str());
	gchar *cmd = g_strdup_printf("rm -rf '%s'", dir);

	g_assert_cmpint(system(cmd), ==, 0);
	g_free(cmd);
	g_free(dir);
}

static Xapian::Query
term(const char *w)
{
	return Xapian::Query(w);
}

static Xapian::Query
op(Xapian::Query::op o, const std::vector<Xapian::Query> &parts)
{
	return Xapian::Query(o, parts.begin(), parts.end());
}

static Xapian::Query
phrase(const std::vector<const char *> &words)
{
	std::vector<Xapian::Query> parts;
	Xapian::termpos pos = 1;

	for (const char *w : words)
		parts.emplace_back(w, 1, pos++);
	return Xapian::Query(Xapian::Query::OP_PHRASE, parts.begin(),
	    parts.end(), parts.size());
}

/* Queries of every shape the tiers answer, and some they must refuse. */
static std::vector<Xapian::Query>
queries(void)
{
	std::vector<Xapian::Query> q;

	for (const char *w : WORDS)
		q.push_back(term(w));
	q.push_back(op(Xapian::Query::OP_AND, { term("memory"), term("leak") }));
	q.push_back(op(Xapian::Query::OP_AND, { term("release"),
	    term("candidate"), term("parser") }));
	q.push_back(op(Xapian::Query::OP_AND, { term("policy"), term("the") }));
	q.push_back(phrase({ "memory", "leak" }));
	q.push_back(phrase({ "leak", "memory" }));
	/* Words often in the same documents, seldom side by side: most
	 * candidates lack the phrase, the best one too. */
	q.push_back(phrase({ "the", "of" }));
	q.push_back(phrase({ "of", "the" }));
	q.push_back(phrase({ "leak", "the" }));
	q.push_back(phrase({ "memory", "leak", "the" }));
	q.push_back(op(Xapian::Query::OP_AND, { phrase({ "memory", "leak" }),
	    term("release") }));
	q.push_back(op(Xapian::Query::OP_AND_NOT, { term("memory"),
	    term("parser") }));
	q.push_back(op(Xapian::Query::OP_FILTER, { op(Xapian::Query::OP_AND,
	    { term("memory"), term("release") }), term("Lthird") }));
	q.push_back(op(Xapian::Query::OP_FILTER, { term("policy"),
	    term("XAsomeone") }));
	q.push_back(op(Xapian::Query::OP_OR, { term("memory"), term("leak") }));
	q.push_back(op(Xapian::Query::OP_AND, { op(Xapian::Query::OP_OR,
	    { term("release"), term("draft") }), term("memory") }));
	q.push_back(op(Xapian::Query::OP_AND_MAYBE, { term("policy"),
	    term("forum") }));
	/* Refused: XOR, conditions that may exclude a document holding
	 * every word where it matches without them (a phrase, AND_NOT and
	 * FILTER under OR or in AND_MAYBE's optional part), a prefixed word
	 * weighed, a repeated word, NEAR, too many words.  REFUSED below
	 * counts them. */
	q.push_back(op(Xapian::Query::OP_XOR, { term("memory"),
	    term("leak") }));
	q.push_back(op(Xapian::Query::OP_OR, { phrase({ "memory", "leak" }),
	    term("agenda") }));
	q.push_back(op(Xapian::Query::OP_OR, { op(Xapian::Query::OP_AND_NOT,
	    { term("memory"), term("Lthird") }), term("leak") }));
	q.push_back(op(Xapian::Query::OP_AND_MAYBE, { term("memory"),
	    op(Xapian::Query::OP_FILTER, { term("leak"),
	    term("Lthird") }) }));
	q.push_back(term("XAsomeone"));
	q.push_back(op(Xapian::Query::OP_AND, { term("memory"),
	    term("memory") }));
	q.push_back(op(Xapian::Query::OP_NEAR, { term("memory"),
	    term("leak") }));
	std::vector<Xapian::Query> many;	/* more than 16 words */
	for (const char *w : WORDS)
		many.push_back(term(w));
	q.push_back(op(Xapian::Query::OP_OR, many));
	return q;
}

/* The last queries() are of shapes the tiers must refuse. */
static const size_t REFUSED = 8;

static Xapian::MSet
whole(const Xapian::Database &db, const Xapian::Query &q,
    const Xapian::Weight &w, Xapian::doccount want)
{
	Xapian::Enquire e(db);

	e.set_query(q);
	e.set_weighting_scheme(w);
	return e.get_mset(0, want);
}

/* larch_bm25 against Xapian's BM25Weight: equal doubles. */
static void
test_weights(void)
{
	std::string path = make_db(7, 3000);
	Xapian::Database db(path);
	unsigned compared = 0;

	for (auto &q : queries()) {
		Xapian::MSet a = whole(db, q, larch_bm25(), 200);
		Xapian::MSet b = whole(db, q,
		    Xapian::BM25Weight(1, 0, 1, 0, 0.5), 200);

		g_assert_cmpuint(a.size(), ==, b.size());
		for (Xapian::doccount i = 0; i < a.size(); i++) {
			g_assert_cmpuint(*a[i], ==, *b[i]);
			g_assert_true(a[i].get_weight() == b[i].get_weight());
			g_assert_cmpint(a[i].get_percent(), ==,
			    b[i].get_percent());
			compared++;
		}
		g_assert_true(a.get_max_possible() == b.get_max_possible());
	}
	g_assert_cmpuint(compared, >, 2000);
	remove_db(path);
}

/* Tier terms: every unprefixed word at wdf 2 or more, at that wdf. */
static void
test_tier_terms(void)
{
	Xapian::Document doc;

	doc.add_term("memory", 3);
	doc.add_term("leak", 1);
	doc.add_term("Sdraft", 2);	/* prefixed: none */
	doc.add_term("forum", 2);
	doc.add_term(std::string(244, 'x'), 2);	/* too long for XW */
	larch_store_add_tier_terms(doc);

	std::vector<std::pair<std::string, Xapian::termcount>> got;
	for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
		if ((*t).compare(0, 2, "XW") == 0)
			got.emplace_back(*t, t.get_wdf());
	g_assert_cmpuint(got.size(), ==, 2);
	g_assert_true(got[0].first == "XWforum" && got[0].second == 2);
	g_assert_true(got[1].first == "XWmemory" && got[1].second == 3);
}

/* Whenever the tiers answer, the answer is the whole query's. */
static void
test_tiered_answers(void)
{
	unsigned answered = 0, refused = 0, phrases = 0;

	/* One database under valgrind (LARCH_TEST_SAMPLE), three else. */
	guint32 seeds = test_sample_stride() > 1 ? 1 : 3;

	for (guint32 seed = 1; seed <= seeds; seed++) {
		std::string path = make_db(seed, 4000);
		Xapian::Database db(path);
		auto qs = queries();
		larch_tier_wdf known;

		for (size_t n = 0; n < qs.size(); n++) {
			for (Xapian::doccount want : { 1u, 10u, 21u, 60u }) {
				Xapian::MSet t, w = whole(db, qs[n],
				    larch_bm25(), want);
				std::vector<Xapian::doccount> rows;

				if (!larch_store_tiered_mset(db, qs[n], want, 0,
				    want == 10 ? &known : nullptr, &t, &rows)) {
					refused++;
					continue;
				}
				g_assert_cmpuint(n, <, qs.size() - REFUSED);
				answered++;
				if (qs[n].get_description().find("PHRASE") !=
				    std::string::npos)
					phrases++;
				g_assert_cmpuint(rows.size(), ==, w.size());
				for (Xapian::doccount i = 0; i < w.size(); i++) {
					auto r = t[rows[i]];

					g_assert_cmpuint(*r, ==, *w[i]);
					g_assert_true(r.get_weight() ==
					    w[i].get_weight());
					g_assert_cmpint(r.get_percent(), ==,
					    w[i].get_percent());
				}
			}
		}
		remove_db(path);
	}
	if (g_test_verbose())
		printf("# tiers answered %u searches (%u with phrases), "
		    "refused %u\n", answered, phrases, refused);
	/* Both ways occur: these tests see both paths. */
	g_assert_cmpuint(answered, >, 30 * seeds);
	g_assert_cmpuint(phrases, >, 5 * seeds);
	g_assert_cmpuint(refused, >, 10 * seeds);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, nullptr);
	g_test_add_func("/tiers/bm25-weights", test_weights);
	g_test_add_func("/tiers/tier-terms", test_tier_terms);
	g_test_add_func("/tiers/tiered-answers", test_tiered_answers);
	return g_test_run();
}
