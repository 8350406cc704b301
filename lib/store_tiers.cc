/*
 * Tier terms, and the searches they make short.
 *
 * A search by relevance wants the best 20 of maybe 10,000 matches, and
 * Xapian weighs every one of them: an AND cannot stop early, since its
 * bound on a match's weight is the sum of its words' bounds, which the
 * best matches come near.  That weighing was most of a two-word search
 * (docs/PERFORMANCE.md, Queries).  But with b = 0 a word's weight grows
 * only with its wdf, and in mail most matches hold each word once.
 *
 * So each word held twice or more in a document also has a tier term,
 * XW + word, at the same wdf: a short posting list (in the 100k bench
 * corpus 13% of `memory`'s, 6% of `leak`'s, a quarter of all word
 * postings, 2% of the index).  A query made of words and phrases under AND, OR and AND_MAYBE,
 * with filters or exclusions on the side (FILTER, AND_NOT), is run first
 * as the AND of its words' tier terms, each weighed with its word's
 * statistics (LARCH_TIER_WQF in store_weight.hh), under the same
 * filters: that finds, with their exact weights, the query's matches
 * that hold every word twice or more (such a document matches an OR as
 * it matches an AND, and weighs the sum of its words' weights in both).
 * Any other match holds some word i once or not at all, so it weighs at
 * most w_i(1) plus the other words' largest weights (from the largest
 * wdf in their tier lists).  When the last of the matches
 * asked for weighs more than that bound for every i, no other match can
 * come before it, and the tier run's answer is the whole query's: the
 * same documents, weights, order (ties go to the lower docid in both)
 * and percentages.  Otherwise the caller runs the whole query.
 *
 * A phrase is its words' tier terms in the tier query; the matches are
 * then taken in order of weight and kept when their positions hold each
 * phrase (the words at consecutive positions, in order: Xapian's exact
 * phrase, which is what a quoted phrase in a query is), until the page
 * is full.  Reading positions costs about 2 µs a word and document, so
 * only those candidates are read, not every one that Xapian would read
 * while the page fills up.
 */
#include <algorithm>
#include <set>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "store_tiers.hh"
#include "store_weight.hh"

/* Xapian refuses terms over 245 bytes; a word that long has no tier. */
static const size_t MAX_TERM = 245;

/* More words than this are not tried: the bound, each word but one at
 * its largest weight, is then far above any match, and a long query (a
 * client may send 8 KiB of words) would read that many tier lists for
 * it, outside Xapian's time limit. */
static const size_t MAX_WORDS = 16;

/* Tier lists longer than this are not read through for their largest
 * wdf: the database's bound on every wdf serves instead. */
static const Xapian::doccount SCAN_LIMIT = 20000;

/* Whether term is a word a default search matches (no prefix), and then
 * *tier its tier term. */
static bool
tier_of(const std::string &term, std::string *tier)
{
	if (term.empty() || (term[0] >= 'A' && term[0] <= 'Z') ||
	    term.size() + sizeof LARCH_TIER_PREFIX - 1 > MAX_TERM)
		return false;
	*tier = LARCH_TIER_PREFIX + term;
	return true;
}

void
larch_store_add_tier_terms(Xapian::Document &doc)
{
	std::vector<std::pair<std::string, Xapian::termcount>> tiers;
	std::string tier;

	for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
		if (t.get_wdf() >= 2 && tier_of(*t, &tier))
			tiers.emplace_back(tier, t.get_wdf());
	for (auto &t : tiers)
		doc.add_term(t.first, t.second);
}

bool
larch_exact_phrase(const Xapian::Query &q)
{
	std::vector<Xapian::Query> parts;

	for (size_t i = 0; i < q.get_num_subqueries(); i++) {
		parts.push_back(q.get_subquery(i));
		if (parts.back().get_type() != Xapian::Query::LEAF_TERM)
			return false;
	}
	return Xapian::Query(Xapian::Query::OP_PHRASE, parts.begin(),
	    parts.end(), parts.size()).get_description() ==
	    q.get_description();
}

bool
larch_holds_phrases(const Xapian::Database &db, Xapian::docid did,
    const std::vector<std::vector<std::string>> &phrases)
{
	for (auto &ph : phrases) {
		std::vector<std::vector<Xapian::termpos>> at;
		bool found = false;

		for (auto &w : ph)
			at.emplace_back(db.positionlist_begin(did, w),
			    db.positionlist_end(did, w));
		for (Xapian::termpos p : at[0]) {
			size_t i = 1;

			while (i < at.size() && std::binary_search(
			    at[i].begin(), at[i].end(), p + i))
				i++;
			if ((found = i == at.size()))
				break;
		}
		if (!found)
			return false;
	}
	return true;
}

namespace {

/* One weighed word of the query. */
struct tier_word {
	std::string tier;
	double termweight;
};

/* Rewrites a query onto tier terms, or says it cannot. */
struct tier_planner {
	const Xapian::Database &db;
	larch_tier_wdf *known;		/* or NULL */
	std::vector<tier_word> words;
	std::set<std::string> seen;
	/* The phrases that every match must hold, each its words. */
	std::vector<std::vector<std::string>> phrases;
	bool failed = false;
	/* The most a match outside the tiers weighs, once worked out
	 * (above_bound()). */
	double bound = -1;

	tier_planner(const Xapian::Database &d, larch_tier_wdf *k)
	    : db(d), known(k) {}

	/* Adds the weighed word term; false for a prefixed, overlong or
	 * repeated one (a repeat weighs with the sum of its wqfs), or one
	 * word too many. */
	bool add(const std::string &term)
	{
		std::string tier;

		if (words.size() == MAX_WORDS || !tier_of(term, &tier) ||
		    !seen.insert(term).second)
			return false;
		words.push_back({ tier, larch_bm25_termweight(
		    db.get_doccount(), db.get_termfreq(term), 1, 1.0) });
		return true;
	}

	Xapian::Query fail(const Xapian::Query &q)
	{
		failed = true;
		return q;
	}

	/*
	 * The tier query of q.  Under OR, and in the optional part of
	 * AND_MAYBE, a document may match without that part, so a part
	 * that excludes documents holding every word (a phrase, FILTER,
	 * AND_NOT) would leave out matches the bound does not cover: there
	 * only words, AND, OR and AND_MAYBE are taken.
	 */
	Xapian::Query plan(const Xapian::Query &q, bool required)
	{
		std::vector<Xapian::Query> parts;
		size_t n = q.get_num_subqueries();
		Xapian::Query::op type = q.get_type();

		switch (type) {
		case Xapian::Query::LEAF_TERM:
			if (!add(*q.get_terms_begin()))
				return fail(q);
			return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
			    Xapian::Query(words.back().tier, LARCH_TIER_WQF),
			    words.back().termweight);
		case Xapian::Query::OP_PHRASE:
			if (!required || !larch_exact_phrase(q))
				return fail(q);
			phrases.emplace_back();
			for (size_t i = 0; i < n; i++)
				phrases.back().push_back(
				    *q.get_subquery(i).get_terms_begin());
			/* Its words, all of them. */
			[[fallthrough]];
		case Xapian::Query::OP_AND:
		case Xapian::Query::OP_OR:
		case Xapian::Query::OP_AND_MAYBE:
			/* All of them: a document that holds every word
			 * matches OR and AND_MAYBE as it matches AND, and
			 * weighs the same, the sum of its words' weights. */
			for (size_t i = 0; i < n; i++)
				parts.push_back(plan(q.get_subquery(i),
				    required && (type != Xapian::Query::OP_OR &&
				    (i == 0 ||
				    type != Xapian::Query::OP_AND_MAYBE))));
			return Xapian::Query(Xapian::Query::OP_AND,
			    parts.begin(), parts.end());
		case Xapian::Query::OP_FILTER:
		case Xapian::Query::OP_AND_NOT:
			if (!required)
				return fail(q);
			/* Only the first part is weighed. */
			parts.push_back(plan(q.get_subquery(0), true));
			for (size_t i = 1; i < n; i++)
				parts.push_back(q.get_subquery(i));
			return Xapian::Query(type, parts.begin(), parts.end());
		default:
			return fail(q);
		}
	}

	/* The largest wdf of a word: that of its tier list (1 when empty;
	 * a long list is not read through, the database's bound on it
	 * serves), from *known when it was read before. */
	Xapian::termcount largest_wdf(const tier_word &w) const
	{
		Xapian::termcount most = 1;

		if (known != nullptr) {
			auto k = known->find(w.tier);

			if (k != known->end())
				return k->second;
		}
		if (db.get_termfreq(w.tier) > SCAN_LIMIT)
			most = std::max(most, db.get_wdf_upper_bound(w.tier));
		else
			for (auto p = db.postlist_begin(w.tier);
			    p != db.postlist_end(w.tier); ++p)
				most = std::max(most, p.get_wdf());
		if (known != nullptr)
			known->emplace(w.tier, most);
		return most;
	}

	/* Whether weight w is above every match outside the tiers: one
	 * word at wdf 1, the others at their largest.  The weights are sums
	 * of doubles added in another order than the bound's: a relative
	 * margin far above their rounding errors. */
	bool above_bound(double w)
	{
		if (bound < 0 && words.size() == 1)
			bound = larch_bm25_at(words[0].termweight, 1);
		if (bound < 0) {
			std::vector<double> top;
			double sum = 0;

			for (auto &t : words) {
				top.push_back(larch_bm25_at(t.termweight,
				    largest_wdf(t)));
				sum += top.back();
			}
			for (size_t i = 0; i < words.size(); i++)
				bound = std::max(bound, sum - top[i] +
				    larch_bm25_at(words[i].termweight, 1));
		}
		return w > bound + bound * 1e-9;
	}

};

/* Accepts the documents of a set. */
struct among : public Xapian::MatchDecider {
	std::unordered_set<Xapian::docid> ids;

	bool operator()(const Xapian::Document &doc) const override
	{
		return ids.count(doc.get_docid()) != 0;
	}
};

}

/* An Enquire of query by relevance, as store_search.cc configures it. */
static Xapian::Enquire
enquire(const Xapian::Database &db, const Xapian::Query &query,
    double time_limit)
{
	Xapian::Enquire e(db);

	e.set_query(query);
	e.set_weighting_scheme(larch_bm25());
	if (time_limit > 0)
		e.set_time_limit(time_limit);
	return e;
}

bool
larch_store_tiered_mset(const Xapian::Database &db, const Xapian::Query &query,
    Xapian::doccount want, double time_limit, larch_tier_wdf *largest_wdf,
    Xapian::MSet *out, std::vector<Xapian::doccount> *rows)
{
	rows->clear();
	if (want == 0 || want > db.get_doccount())
		return false;
	tier_planner planner(db, largest_wdf);
	Xapian::Query tiered = planner.plan(query, true);

	if (planner.failed || planner.words.empty())
		return false;
	Xapian::Enquire e = enquire(db, tiered, time_limit);
	among kept;

	/* Matches in order of weight, kept when they hold the phrases,
	 * until want are kept: every one must weigh more than the bound.
	 * Most candidates hold their phrases, so a little more than want
	 * are asked for first. */
	Xapian::doccount next = 0;	/* the first match not yet read */
	Xapian::doccount asked = want;
	if (!planner.phrases.empty())
		asked += want / 4 + 4;
	for (;; asked *= 4) {
		*out = e.get_mset(0, asked);
		if (out->size() < want)
			return false;
		for (; next < out->size() && rows->size() < want; next++) {
			if (!planner.above_bound((*out)[next].get_weight()))
				return false;
			if (!larch_holds_phrases(db, *(*out)[next],
			    planner.phrases))
				continue;
			rows->push_back(next);
			kept.ids.insert(*(*out)[next]);
		}
		if (rows->size() == want)
			break;
		if (out->size() < asked)
			return false;
	}
	/* Xapian's percentages are relative to the best match: when that
	 * one lacked a phrase, the kept ones are weighed again alone. */
	if (rows->front() != 0) {
		*out = e.get_mset(0, want, 0, nullptr, &kept);
		for (Xapian::doccount i = 0; i < want; i++)
			(*rows)[i] = i;
		return out->size() == want;
	}
	return true;
}
