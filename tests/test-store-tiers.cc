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

#include "store-fixture.hh"
#include "store_tiers.hh"
#include "store_weight.hh"
#include "test-util.h"

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
