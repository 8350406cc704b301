/*
 * A database of mail-like documents and queries of every shape, for the
 * tests of searches that avoid Xapian's whole match (test-store-tiers.cc,
 * test-store-hot.cc), which compare their answers with Xapian's.
 */
#ifndef LARCH_TEST_STORE_FIXTURE_HH
#define LARCH_TEST_STORE_FIXTURE_HH

#include <cstdlib>
#include <string>
#include <vector>

#include <glib.h>
#include <xapian.h>

#include "store_tiers.hh"

static const char *const WORDS[] = { "memory", "leak", "release",
	"candidate", "parser", "charset", "policy", "forum", "draft", "agenda",
	"meeting", "minutes", "proposal", "会議", "café", "the", "of", "to" };

/* A database of mail-like documents: words drawn with a skew (the first
 * words often), some repeated in place, some in fixed pairs, so that
 * wdfs of 1 to 10 and phrases occur; a boolean term on every third. */
static inline std::string
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

static inline void
remove_db(const std::string &path)
{
	gchar *dir = g_path_get_dirname(path.c_str());
	gchar *cmd = g_strdup_printf("rm -rf '%s'", dir);

	g_assert_cmpint(system(cmd), ==, 0);
	g_free(cmd);
	g_free(dir);
}

static inline Xapian::Query
term(const char *w)
{
	return Xapian::Query(w);
}

static inline Xapian::Query
op(Xapian::Query::op o, const std::vector<Xapian::Query> &parts)
{
	return Xapian::Query(o, parts.begin(), parts.end());
}

static inline Xapian::Query
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
static inline std::vector<Xapian::Query>
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

static inline Xapian::MSet
whole(const Xapian::Database &db, const Xapian::Query &q,
    const Xapian::Weight &w, Xapian::doccount want)
{
	Xapian::Enquire e(db);

	e.set_query(q);
	e.set_weighting_scheme(w);
	return e.get_mset(0, want);
}

#endif
