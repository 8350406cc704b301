/*
 * A page of matches from postings held in memory (store_hot.cc), without
 * Xapian's matcher.
 *
 * The query is a tree of terms under AND, OR, AND_MAYBE, AND_NOT,
 * FILTER and exact phrases (a phrase only where every match must hold
 * it).  Its matches are one bitmap, made word by word from the terms'
 * bitmaps: for 100,000 documents that is 1,563 words an operator.
 *
 * Weights (larch_bm25, b = 0) depend only on the weighed terms' wdfs.  A
 * match that holds some weighed term twice or more is in that term's
 * short list of wdfs: those matches are weighed one by one.  Every other
 * match holds each of its weighed terms once, so its weight is set by
 * which of them it holds, its pattern: with w weighed terms there are at
 * most 2^w weights, and the matches of a pattern tie, ascending docids
 * first, as in Xapian.  So the page is the merge, by weight and then
 * docid, of the first kind (only as many sorted as the page needs) and
 * of the patterns in order of weight, each read from the bitmaps only as
 * far as the page needs.
 *
 * A phrase is matched as the AND of its words, and each match is then
 * kept when its positions hold the phrase, in that merged order, until
 * the page is full.
 *
 * The weights are the sums Xapian makes, though not always added in
 * Xapian's order: they may differ from its in the last bit, and so may
 * the order of two matches of the same weight in exact arithmetic.
 * Percentages follow Xapian's rule (MSet::convert_to_percent()): the
 * share of the weighed terms the best match holds, over its weight.
 */
#include <algorithm>
#include <cfloat>
#include <set>

#include "store_hot.hh"
#include "store_tiers.hh"
#include "store_weight.hh"

namespace {

/* More weighed terms than this are not answered here: 2^MAX_WEIGHED
 * patterns. */
static const size_t MAX_WEIGHED = 8;

/* A term not held is read from its shard when in this many documents of
 * it or fewer; a commoner one (held copies too small, or being built)
 * makes the query go to Xapian. */
static const Xapian::doccount READ_MAX = 5000;

/* Matches checked for phrases, beyond the page: a phrase its words seldom
 * make is left to Xapian. */
static const Xapian::doccount PHRASE_CHECKS = 200;

typedef std::vector<uint64_t> bitmap;

struct node {
	Xapian::Query::op op = Xapian::Query::LEAF_TERM;
	std::vector<node> kids;
	size_t leaf = 0;	/* LEAF_TERM: its index in plan::leaves */
};

/* wdfs below this have their weights worked out once per query */
static const Xapian::termcount MEMO = 16;

struct leaf {
	std::string term;
	int slot;		/* among the weighed terms; -1: a filter's */
	double termweight;
	double at[MEMO];	/* the weight at wdf i */

	/* The weights, for a term in tf of docs documents. */
	void weigh(Xapian::doccount docs, Xapian::doccount tf)
	{
		termweight = larch_bm25_termweight(docs, tf, 1, 1.0);
		for (Xapian::termcount w = 0; w < MEMO; w++)
			at[w] = larch_bm25_at(termweight, w);
	}

	double weight(Xapian::termcount wdf) const
	{
		return wdf < MEMO ? at[wdf] : larch_bm25_at(termweight, wdf);
	}
};

/* The query as a tree over its terms. */
struct plan {
	std::vector<leaf> leaves;
	size_t weighed = 0;
	std::set<std::string> seen;
	std::vector<std::vector<std::string>> phrases;
	bool failed = false;
	/* Whether the root is flat(): its weights are plain sums. */
	bool sums = false;

	/*
	 * Whether a match of n weighs the sum of the weighed terms it
	 * holds: no weighed term held in a part of n that does not match
	 * (the first word of AND(a, b) under OR in a document without b).
	 * Then score_of() can be a sum.
	 */
	static bool flat(const node &n)
	{
		switch (n.op) {
		case Xapian::Query::LEAF_TERM:
			return true;
		case Xapian::Query::OP_OR:
		case Xapian::Query::OP_AND_MAYBE:
			for (size_t i = 0; i < n.kids.size(); i++)
				if (n.kids[i].op != Xapian::Query::LEAF_TERM &&
				    !(i == 0 &&
				    n.op == Xapian::Query::OP_AND_MAYBE &&
				    flat(n.kids[i])))
					return false;
			return true;
		case Xapian::Query::OP_AND_NOT:
		case Xapian::Query::OP_FILTER:
			return flat(n.kids[0]);
		default:	/* AND, PHRASE */
			for (auto &k : n.kids)
				if (!flat(k))
					return false;
			return true;
		}
	}

	/* The tree of q.  weigh: q's terms are weighed (not a filter's);
	 * required: every match holds q (only there can a phrase be
	 * checked afterwards). */
	node make(const Xapian::Query &q, bool weigh, bool required)
	{
		node n;
		size_t k = q.get_num_subqueries();

		n.op = q.get_type();
		switch (n.op) {
		case Xapian::Query::LEAF_TERM: {
			std::string t = *q.get_terms_begin();

			/* A repeated term weighs with the sum of its
			 * wqfs; "" is every document. */
			if (t.empty() || !seen.insert(t).second ||
			    (weigh && weighed == MAX_WEIGHED)) {
				failed = true;
				return n;
			}
			n.leaf = leaves.size();
			leaves.push_back({ t, weigh ? (int)weighed++ : -1, 0,
			    {} });
			return n;
		}
		case Xapian::Query::OP_PHRASE:
			if (!required || !larch_exact_phrase(q)) {
				failed = true;
				return n;
			}
			phrases.emplace_back();
			for (size_t i = 0; i < k; i++)
				phrases.back().push_back(
				    *q.get_subquery(i).get_terms_begin());
			break;
		case Xapian::Query::OP_AND:
		case Xapian::Query::OP_OR:
		case Xapian::Query::OP_AND_MAYBE:
		case Xapian::Query::OP_AND_NOT:
		case Xapian::Query::OP_FILTER:
			break;
		default:
			failed = true;
			return n;
		}
		for (size_t i = 0; i < k && !failed; i++) {
			bool first = i == 0;
			bool filter = !first &&
			    (n.op == Xapian::Query::OP_AND_NOT ||
			    n.op == Xapian::Query::OP_FILTER);

			n.kids.push_back(make(q.get_subquery(i),
			    weigh && !filter, required && !filter &&
			    n.op != Xapian::Query::OP_OR &&
			    (first || n.op != Xapian::Query::OP_AND_MAYBE)));
		}
		return n;
	}
};

/* A weight, and how many weighed terms made it (Xapian's matching
 * subqueries). */
struct score {
	bool match = false;
	double weight = 0;
	unsigned terms = 0;
};

/*
 * The score of a document under n, given each weighed term's wdf in it
 * (0: not held).  Filters' terms are taken as passing: the document is
 * a match already.
 */
score
score_of(const node &n, const plan &p, const Xapian::termcount *wdf)
{
	score s;

	switch (n.op) {
	case Xapian::Query::LEAF_TERM: {
		const leaf &l = p.leaves[n.leaf];

		if (l.slot < 0) {
			s.match = true;
			return s;
		}
		if ((s.match = wdf[l.slot] > 0)) {
			s.weight = l.weight(wdf[l.slot]);
			s.terms = 1;
		}
		return s;
	}
	case Xapian::Query::OP_OR:
		for (auto &k : n.kids) {
			score c = score_of(k, p, wdf);

			if (c.match) {
				s.match = true;
				s.weight += c.weight;
				s.terms += c.terms;
			}
		}
		return s;
	case Xapian::Query::OP_AND_MAYBE:
		s = score_of(n.kids[0], p, wdf);
		for (size_t i = 1; s.match && i < n.kids.size(); i++) {
			score c = score_of(n.kids[i], p, wdf);

			if (c.match) {
				s.weight += c.weight;
				s.terms += c.terms;
			}
		}
		return s;
	case Xapian::Query::OP_AND_NOT:
	case Xapian::Query::OP_FILTER:
		return score_of(n.kids[0], p, wdf);
	default:	/* AND, PHRASE */
		s.match = true;
		for (auto &k : n.kids) {
			score c = score_of(k, p, wdf);

			if (!c.match)
				return score();
			s.weight += c.weight;
			s.terms += c.terms;
		}
		return s;
	}
}

/* One match in a shard. */
struct item {
	double weight;
	Xapian::docid did;	/* the shard's */
};

/* Xapian's order: weight down, then docid up. */
inline bool
before(const item &a, const item &b)
{
	return a.weight > b.weight || (a.weight == b.weight && a.did < b.did);
}

struct in_order {
	bool operator()(const item &a, const item &b) const
	{
		return before(a, b);
	}
};

/* The patterns of weighed terms held once that weigh w. */
struct group {
	double weight;
	std::vector<unsigned> patterns;
	size_t word = 0;	/* the bitmap word read next */
	uint64_t pending = 0;	/* matches of word - 1 not yet taken */
};

/* One shard's matches in order, made as they are asked for. */
struct shard_matches {
	const plan &p;
	const node &root;
	const larch_hot *hot;
	const Xapian::Database &db;
	std::vector<const larch_hot_term *> terms;	/* by leaf */
	std::vector<larch_hot_term> read;		/* not held */
	size_t words = 0;
	bitmap matches, tiered;	/* tiered: matches holding a term twice */
	/* The tiered matches, weighed; in order up to sorted. */
	std::vector<item> ranked;
	size_t taken = 0, sorted = 0;
	Xapian::doccount want;
	std::vector<group> groups;
	size_t g = 0;		/* the group read now */
	bool have_next = false;
	item next;

	shard_matches(const plan &pl, const node &r, const larch_hot *h,
	    const Xapian::Database &d, Xapian::doccount w)
	    : p(pl), root(r), hot(h), db(d), want(w) {}

	/* The terms' postings; false when one is neither held nor rare,
	 * or is weighed and held at wdf 0. */
	bool bind()
	{
		Xapian::docid last = hot != nullptr ? hot->last :
		    db.get_lastdocid();

		words = (size_t)last / 64 + 1;
		read.reserve(p.leaves.size());
		for (auto &l : p.leaves) {
			if (hot != nullptr) {
				auto it = hot->terms.find(l.term);

				if (it != hot->terms.end()) {
					if (it->second.zero && l.slot >= 0)
						return false;
					terms.push_back(&it->second);
					continue;
				}
			}
			if (db.get_termfreq(l.term) > READ_MAX)
				return false;
			read.emplace_back();
			larch_hot_term &t = read.back();
			/* Past last: committed since the copy was read.  A
			 * boolean term weighed: its wdf is 0. */
			if (!larch_hot_read(db, l.term, last, &t) ||
			    (t.zero && l.slot >= 0))
				return false;
			terms.push_back(&t);
		}
		return true;
	}

	void eval(const node &n, bitmap *out) const
	{
		if (n.op == Xapian::Query::LEAF_TERM) {
			*out = terms[n.leaf]->bits;
			return;
		}
		eval(n.kids[0], out);
		if (n.op == Xapian::Query::OP_AND_MAYBE)
			return;
		bitmap b;
		for (size_t i = 1; i < n.kids.size(); i++) {
			eval(n.kids[i], &b);
			for (size_t w = 0; w < words; w++) {
				if (n.op == Xapian::Query::OP_OR)
					(*out)[w] |= b[w];
				else if (n.op == Xapian::Query::OP_AND_NOT)
					(*out)[w] &= ~b[w];
				else
					(*out)[w] &= b[w];
			}
		}
	}

	bool holds(size_t leaf, Xapian::docid d) const
	{
		return terms[leaf]->bits[d / 64] >> (d % 64) & 1;
	}

	/* The wdfs of the weighed terms in document d, looked up. */
	void wdfs_of(Xapian::docid d, Xapian::termcount *wdf) const
	{
		for (size_t i = 0; i < p.leaves.size(); i++) {
			int s = p.leaves[i].slot;

			if (s < 0)
				continue;
			wdf[s] = holds(i, d);
			auto &tw = terms[i]->twice;
			auto at = std::lower_bound(tw.begin(), tw.end(),
			    larch_hot_wdf(d, 0));
			if (at != tw.end() && at->first == d)
				wdf[s] = at->second;
		}
	}

	/* The matches holding a weighed term twice, weighed: each term's
	 * list of wdfs is read once, in docid order. */
	void weigh_tiered()
	{
		std::vector<size_t> at(p.leaves.size(), 0);
		Xapian::termcount wdf[MAX_WEIGHED];
		size_t most = 0;

		tiered.assign(words, 0);
		for (size_t i = 0; i < p.leaves.size(); i++)
			if (p.leaves[i].slot >= 0) {
				for (auto &e : terms[i]->twice)
					tiered[e.first / 64] |=
					    UINT64_C(1) << (e.first % 64);
				most += terms[i]->twice.size();
			}
		ranked.reserve(most);
		for (size_t w = 0; w < words; w++) {
			uint64_t bits = (tiered[w] &= matches[w]);

			for (; bits != 0; bits &= bits - 1) {
				Xapian::docid d = (Xapian::docid)(w * 64 +
				    (size_t)__builtin_ctzll(bits));
				double sum = 0;

				for (size_t i = 0; i < p.leaves.size(); i++) {
					const leaf &l = p.leaves[i];
					auto &tw = terms[i]->twice;

					if (l.slot < 0)
						continue;
					while (at[i] < tw.size() &&
					    tw[at[i]].first < d)
						at[i]++;
					wdf[l.slot] = at[i] < tw.size() &&
					    tw[at[i]].first == d ?
					    tw[at[i]].second : holds(i, d);
					sum += l.weight(wdf[l.slot]);
				}
				ranked.push_back({ p.sums ? sum :
				    score_of(root, p, wdf).weight, d });
			}
		}
	}

	/* The tiered match after taken ones; false when none is left.
	 * They are put in order a page at a time. */
	bool ranked_next(item *out)
	{
		if (taken == ranked.size())
			return false;
		if (taken == sorted) {
			size_t n = std::min(ranked.size() - sorted,
			    std::max<size_t>(want, sorted));
			auto from = ranked.begin() + (ptrdiff_t)sorted;
			auto to = from + (ptrdiff_t)n;

			std::nth_element(from, to - 1, ranked.end(),
			    in_order());
			std::sort(from, to, in_order());
			sorted += n;
		}
		*out = ranked[taken];
		return true;
	}

	/* The patterns of terms held once that can match, by weight. */
	void make_groups()
	{
		size_t n = p.weighed;
		Xapian::termcount wdf[MAX_WEIGHED];

		for (unsigned pat = 0; pat < (1u << n); pat++) {
			for (size_t s = 0; s < n; s++)
				wdf[s] = pat >> s & 1;
			score sc = score_of(root, p, wdf);

			if (!sc.match)
				continue;
			auto it = std::find_if(groups.begin(), groups.end(),
			    [&](const group &gr) {
				return gr.weight == sc.weight;
			});
			if (it == groups.end()) {
				groups.push_back({ sc.weight, {}, 0, 0 });
				it = groups.end() - 1;
			}
			it->patterns.push_back(pat);
		}
		std::sort(groups.begin(), groups.end(),
		    [](const group &a, const group &b) {
			return a.weight > b.weight;
		});
	}

	/* The next match of group gr, by docid; false when none is
	 * left. */
	bool group_next(group &gr, Xapian::docid *d)
	{
		while (gr.pending == 0) {
			if (gr.word == words)
				return false;
			size_t w = gr.word++;
			uint64_t any = matches[w] & ~tiered[w];

			for (unsigned pat : gr.patterns) {
				uint64_t x = any;

				for (size_t i = 0; x != 0 &&
				    i < p.leaves.size(); i++) {
					int s = p.leaves[i].slot;

					if (s >= 0)
						x &= (pat >> s & 1) ?
						    terms[i]->bits[w] :
						    ~terms[i]->bits[w];
				}
				gr.pending |= x;
			}
		}
		*d = (Xapian::docid)((gr.word - 1) * 64 +
		    (size_t)__builtin_ctzll(gr.pending));
		gr.pending &= gr.pending - 1;
		return true;
	}

	/* The first match not yet taken; false when none is left. */
	bool peek(item *out)
	{
		while (!have_next && g < groups.size()) {
			Xapian::docid d;

			if (group_next(groups[g], &d)) {
				next = { groups[g].weight, d };
				have_next = true;
			} else {
				g++;
			}
		}
		item r;
		if (ranked_next(&r) && (!have_next || before(r, next))) {
			*out = r;
			return true;
		}
		if (!have_next)
			return false;
		*out = next;
		return true;
	}

	/* Takes the match peek() gave. */
	void take(const item &it)
	{
		if (taken < sorted && ranked[taken].did == it.did &&
		    ranked[taken].weight == it.weight) {
			taken++;
		} else {
			have_next = false;
		}
	}
};

/* How many bits of b are set.  Built for CPUs with and without a
 * popcnt instruction; the loader picks. */
__attribute__((target_clones("popcnt", "default"))) uint64_t
bits_set(const bitmap &b)
{
	uint64_t n = 0;

	for (uint64_t w : b)
		n += (uint64_t)__builtin_popcountll(w);
	return n;
}

/* Xapian's percentage of weight w: MSet::convert_to_percent(). */
int
percent(double w, double factor)
{
	if (factor == 0)
		return 100;
	int pc = (int)(w * factor + 100.0 * DBL_EPSILON);

	pc = std::min(std::max(pc, 0), 100);
	return pc == 0 && w > 0 ? 1 : pc;
}

}

bool
larch_hot_page(const Xapian::Database &all,
    const std::vector<Xapian::Database> &shards,
    const std::vector<std::shared_ptr<const larch_hot>> &hot,
    const Xapian::Query &query, Xapian::doccount want,
    std::vector<larch_hot_hit> *out, uint64_t *total, bool *counted)
{
	out->clear();
	if (want == 0 || shards.empty() || shards.size() != hot.size())
		return false;
	plan p;
	node root = p.make(query, true, true);

	if (p.failed || p.weighed == 0)
		return false;
	p.sums = plan::flat(root);
	std::vector<std::unique_ptr<shard_matches>> m;
	uint64_t count = 0;

	*counted = false;
	for (size_t i = 0; i < shards.size(); i++) {
		m.emplace_back(new shard_matches(p, root, hot[i].get(),
		    shards[i], want));
		if (!m.back()->bind())
			return false;
	}
	/* Weighed with the combined database's statistics, as Xapian
	 * does: its term frequency is the shards' sum. */
	for (size_t i = 0; i < p.leaves.size(); i++) {
		Xapian::doccount tf = 0;

		for (auto &sm : m)
			tf += sm->terms[i]->tf;
		p.leaves[i].weigh(all.get_doccount(), tf);
	}
	for (auto &sm_ : m) {
		shard_matches &sm = *sm_;

		sm.eval(root, &sm.matches);
		count += bits_set(sm.matches);
		sm.weigh_tiered();
		sm.make_groups();
	}

	/* The shards' matches merged, Xapian's docids interleaving them;
	 * phrases checked on the way. */
	size_t n = shards.size();
	unsigned best_terms = 0;	/* the weighed terms the first holds */
	Xapian::doccount checked = 0;
	while (out->size() < want) {
		size_t best = n;
		item top = { 0, 0 }, it;

		for (size_t i = 0; i < n; i++) {
			if (!m[i]->peek(&it))
				continue;
			it.did = (it.did - 1) * (Xapian::docid)n +
			    (Xapian::docid)i + 1;
			if (best == n || before(it, top)) {
				best = i;
				top = it;
			}
		}
		if (best == n)
			break;
		Xapian::docid local = (top.did - 1) / (Xapian::docid)n + 1;
		m[best]->take({ top.weight, local });
		if (!p.phrases.empty()) {
			if (++checked > want + PHRASE_CHECKS)
				return false;
			if (!larch_holds_phrases(shards[best], local,
			    p.phrases))
				continue;
		}
		if (out->empty()) {
			Xapian::termcount wdf[MAX_WEIGHED];

			m[best]->wdfs_of(local, wdf);
			best_terms = score_of(root, p, wdf).terms;
		}
		out->push_back({ top.did, top.weight, 0 });
	}
	if (!out->empty() && out->front().weight > 0) {
		double scale = best_terms / double(p.weighed);

		scale /= out->front().weight;
		for (auto &h : *out)
			h.percent = percent(h.weight, scale * 100.0);
	}
	/* With phrases, count is the words' matches, not the phrases'. */
	*counted = p.phrases.empty();
	*total = count;
	return true;
}
