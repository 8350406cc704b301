/*
 * Tests for lib/store_hot.cc and lib/store_hot_match.cc: a page found
 * from postings held in memory is Xapian's whole-query answer (the same
 * documents in the same order, weights to rounding, percentages, and an
 * exact total), over one shard and two, with terms held or read from the
 * shard; and queries of other shapes are refused.  C++, since both are
 * private to the store shim.
 */
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <glib.h>

#include "store-fixture.hh"
#include "store_hot.hh"
#include "store_weight.hh"
#include "test-util.h"

/* Shapes only the held postings answer, and what they refuse. */
static std::vector<Xapian::Query>
more_queries(void)
{
	std::vector<Xapian::Query> q;

	q.push_back(op(Xapian::Query::OP_OR, { term("memory"), term("leak"),
	    term("policy") }));
	q.push_back(op(Xapian::Query::OP_OR, { op(Xapian::Query::OP_AND,
	    { term("memory"), term("leak") }), term("draft") }));
	q.push_back(op(Xapian::Query::OP_AND, { op(Xapian::Query::OP_OR,
	    { term("release"), term("policy") }), term("agenda") }));
	q.push_back(op(Xapian::Query::OP_AND_NOT, { op(Xapian::Query::OP_OR,
	    { term("memory"), term("forum") }), op(Xapian::Query::OP_AND,
	    { term("leak"), term("Lthird") }) }));
	q.push_back(op(Xapian::Query::OP_AND_MAYBE, { term("minutes"),
	    op(Xapian::Query::OP_AND, { term("memory"), term("draft") }) }));
	q.push_back(op(Xapian::Query::OP_AND, { phrase({ "memory", "leak" }),
	    phrase({ "the", "of" }) }));
	q.push_back(op(Xapian::Query::OP_AND, { term("café"), term("会議") }));
	q.push_back(term("nowhere"));
	q.push_back(op(Xapian::Query::OP_OR, { term("nowhere"),
	    term("agenda") }));
	return q;
}

/* Must be refused: not a tree of terms and phrases, a phrase a match
 * need not hold, a repeated term, every document, nothing weighed, too
 * many weighed terms, a weighed term at wdf 0. */
static std::vector<Xapian::Query>
refused_queries(void)
{
	std::vector<Xapian::Query> q;
	std::vector<Xapian::Query> many;

	q.push_back(op(Xapian::Query::OP_XOR, { term("memory"),
	    term("leak") }));
	q.push_back(op(Xapian::Query::OP_NEAR, { term("memory"),
	    term("leak") }));
	q.push_back(op(Xapian::Query::OP_OR, { phrase({ "memory", "leak" }),
	    term("agenda") }));
	q.push_back(op(Xapian::Query::OP_AND, { term("memory"),
	    term("memory") }));
	q.push_back(Xapian::Query::MatchAll);
	q.push_back(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
	    term("Lthird"), 0));
	q.push_back(Xapian::Query(Xapian::Query::OP_WILDCARD, "mem"));
	/* A boolean term (wdf 0) weighed. */
	q.push_back(op(Xapian::Query::OP_FILTER, { term("XAsomeone"),
	    term("Lthird") }));
	for (int i = 0; i < 9; i++)
		many.push_back(term(WORDS[i]));
	q.push_back(op(Xapian::Query::OP_OR, many));
	return q;
}

static Xapian::doccount
exact_count(const Xapian::Database &db, const Xapian::Query &q)
{
	Xapian::Enquire e(db);

	e.set_query(q);
	e.set_weighting_scheme(Xapian::BoolWeight());
	return e.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
}

static bool
has_phrase(const Xapian::Query &q)
{
	return q.get_description().find("PHRASE") != std::string::npos;
}

struct tally {
	unsigned answered = 0, refused = 0, phrases = 0, rows = 0;
};

/* The held answer to q, when given, against Xapian's. */
static void
compare(const Xapian::Database &all, const std::vector<Xapian::Database> &sh,
    const std::vector<std::shared_ptr<const larch_hot>> &hot,
    const Xapian::Query &q, Xapian::doccount want, tally *t)
{
	std::vector<larch_hot_hit> hits;
	uint64_t total = 0;
	bool counted = false;

	if (!larch_hot_page(all, sh, hot, q, want, &hits, &total, &counted)) {
		t->refused++;
		return;
	}
	t->answered++;
	if (has_phrase(q))
		t->phrases++;
	Xapian::MSet w = whole(all, q, larch_bm25(), want);

	g_assert_cmpuint(hits.size(), ==, w.size());
	for (Xapian::doccount i = 0; i < w.size(); i++) {
		if (hits[i].did != *w[i])
			g_error("%s, want %u: row %u is %u (%.17g), Xapian's "
			    "%u (%.17g)", q.get_description().c_str(), want,
			    i, hits[i].did, hits[i].weight, *w[i],
			    w[i].get_weight());
		if (std::fabs(hits[i].weight - w[i].get_weight()) >
		    1e-12 * w[i].get_weight())
			g_error("%s, want %u: row %u weighs %.17g, Xapian's "
			    "%.17g", q.get_description().c_str(), want, i,
			    hits[i].weight, w[i].get_weight());
		g_assert_cmpint(hits[i].percent, ==, w[i].get_percent());
		t->rows++;
	}
	g_assert_cmpuint(total, >=, hits.size());
	if (!has_phrase(q)) {
		g_assert_true(counted);
		g_assert_cmpuint(total, ==, exact_count(all, q));
	}
}

static std::vector<Xapian::Query>
answerable(void)
{
	std::vector<Xapian::Query> q = queries();

	q.resize(q.size() - REFUSED);
	for (auto &m : more_queries())
		q.push_back(m);
	return q;
}

/* Each shard's copy, min_tf: hold most terms (0: none held). */
static std::vector<std::shared_ptr<const larch_hot>>
held(const std::vector<Xapian::Database> &shards, Xapian::doccount min_tf)
{
	std::vector<std::shared_ptr<const larch_hot>> hot;
	std::atomic<bool> stop{false};

	for (auto &s : shards) {
		hot.push_back(min_tf == 0 ? nullptr :
		    larch_hot_build(s, UINT64_MAX, min_tf, stop));
		if (min_tf != 0)
			g_assert_nonnull(hot.back().get());
	}
	return hot;
}

static void
run_all(const Xapian::Database &all, const std::vector<Xapian::Database> &sh,
    Xapian::doccount min_tf, tally *t)
{
	auto hot = held(sh, min_tf);

	for (auto &q : answerable())
		for (Xapian::doccount want : { 1u, 10u, 21u, 60u })
			compare(all, sh, hot, q, want, t);
}

/* One shard, every term held that can be, or none. */
static void
test_one_shard(void)
{
	guint32 seeds = test_sample_stride() > 1 ? 1 : 3;
	tally t;

	for (guint32 seed = 1; seed <= seeds; seed++) {
		std::string path = make_db(seed, 4000);
		Xapian::Database db(path);

		run_all(db, { db }, 1, &t);
		run_all(db, { db }, 0, &t);
		remove_db(path);
	}
	if (g_test_verbose())
		printf("# held answered %u searches (%u with phrases, %u "
		    "rows), refused %u\n", t.answered, t.phrases, t.rows,
		    t.refused);
	/* Every shape above is answered, all but some phrases. */
	g_assert_cmpuint(t.answered, >, 2 * 4 * seeds *
	    (answerable().size() - 6));
	g_assert_cmpuint(t.phrases, >, 20 * seeds);
	g_assert_cmpuint(t.rows, >, 5000 * seeds);
}

/* Two shards: Xapian interleaves their docids. */
static void
test_two_shards(void)
{
	std::string a = make_db(11, 2500), b = make_db(12, 1500);
	Xapian::Database da(a), db(b), all;
	tally t;

	all.add_database(da);
	all.add_database(db);
	run_all(all, { da, db }, 1, &t);
	/* One held, one read. */
	auto hot = held({ da, db }, 1);
	hot[1] = nullptr;
	for (auto &q : answerable())
		compare(all, { da, db }, hot, q, 30, &t);
	g_assert_cmpuint(t.answered, >, answerable().size() * 4);
	remove_db(a);
	remove_db(b);
}

static void
test_refused(void)
{
	std::string path = make_db(5, 500);
	Xapian::Database db(path);
	auto hot = held({ db }, 1);

	for (auto &q : refused_queries()) {
		std::vector<larch_hot_hit> hits;
		uint64_t total;
		bool counted;

		if (larch_hot_page(db, { db }, hot, q, 10, &hits, &total,
		    &counted))
			g_error("answered %s", q.get_description().c_str());
	}
	remove_db(path);
}

/* A copy too large for its budget, or stopped, is not made; terms under
 * min_tf, and tier terms, are not held. */
static void
test_build(void)
{
	std::string path = make_db(6, 2000);
	Xapian::Database db(path);
	std::atomic<bool> stop{false};

	g_assert_null(larch_hot_build(db, 1000, 1, stop).get());
	auto h = larch_hot_build(db, UINT64_MAX, 500, stop);
	g_assert_nonnull(h.get());
	g_assert_cmpuint(h->last, ==, 2000);
	for (auto &t : h->terms) {
		g_assert_cmpuint(db.get_termfreq(t.first), >=, 500);
		g_assert_cmpuint(t.second.tf, ==, db.get_termfreq(t.first));
		g_assert_true(t.first.compare(0, 2, "XW") != 0);
	}
	g_assert_true(h->terms.count("memory") == 1);
	/* Every held bit and wdf is the index's. */
	const larch_hot_term &m = h->terms.at("memory");
	size_t twice = 0;
	for (auto p = db.postlist_begin("memory");
	    p != db.postlist_end("memory"); ++p) {
		g_assert_true(m.bits[*p / 64] >> (*p % 64) & 1);
		if (p.get_wdf() >= 2) {
			g_assert_cmpuint(m.twice[twice].first, ==, *p);
			g_assert_cmpuint(m.twice[twice++].second, ==,
			    p.get_wdf());
		}
	}
	g_assert_cmpuint(twice, ==, m.twice.size());
	stop = true;
	g_assert_null(larch_hot_build(db, UINT64_MAX, 1, stop).get());
	remove_db(path);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, nullptr);
	g_test_add_func("/hot/build", test_build);
	g_test_add_func("/hot/one-shard", test_one_shard);
	g_test_add_func("/hot/two-shards", test_two_shards);
	g_test_add_func("/hot/refused", test_refused);
	return g_test_run();
}
