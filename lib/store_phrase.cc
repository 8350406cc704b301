/*
 * Phrases in quoted text and signatures.  The index keeps those words
 * (XQ, XSIG) without positions in Xapian: the quoted text's were half of
 * the (term, message) pairs with positions that Xapian's writer inverted
 * (docs/PERFORMANCE.md, twentieth session), and each such pair is a
 * position list of its own in a B-tree ordered by term.  Their positions are kept instead in one value per message,
 * SLOT_QUOTE_POSITIONS, written in the parser threads and read here:
 *
 *   for each term, in byte order: 'Q' (XQ) or 'S' (XSIG), the varint
 *   length of the rest of the term and that rest, the varint length in
 *   bytes of its positions and the positions, each as a varint
 *   difference from the one before.
 *
 * A phrase or NEAR of XQ or XSIG words that the query parser made becomes
 * FILTER(AND of its words, a posting source): the source walks the
 * documents holding every word and keeps those whose value has the words
 * in place, with the window rules of Xapian 1.4's own phrase and NEAR
 * matching (matcher/phrasepostlist.cc, exactphrasepostlist.cc and
 * nearpostlist.cc).  A posting list matches under NOT and XOR and counts
 * exactly like any other, and the AND weighs the match as Xapian weighs a
 * phrase: by its words.
 */
#include <algorithm>
#include <string>
#include <vector>

#include "store_phrase.hh"
#include "store_varint.hh"
#include "store_private.hh"

/* Whether the index keeps term without positions. */
static bool
unpositioned(const std::string &term)
{
	return term.compare(0, 4, "XSIG") == 0 ||
	    term.compare(0, 2, "XQ") == 0;
}

/* A term's field in the value: 'Q' for XQ, 'S' for XSIG. */
static size_t
field_prefix(const std::string &term, char *field)
{
	bool sig = term.compare(0, 4, "XSIG") == 0;

	*field = sig ? 'S' : 'Q';
	return sig ? 4 : 2;
}

std::string
larch_store_encode_positions(const Xapian::Document &doc)
{
	std::string out, block;

	for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
		Xapian::termpos last = 0;
		char field;
		size_t plen = field_prefix(*t, &field);

		if (t.positionlist_count() == 0 || !unpositioned(*t))
			continue;
		block.clear();
		for (auto p = t.positionlist_begin();
		    p != t.positionlist_end(); ++p) {
			put_varint(block, *p - last);
			last = *p;
		}
		out += field;
		put_varint(out, (*t).size() - plen);
		out.append(*t, plen, std::string::npos);
		put_varint(out, block.size());
		out += block;
	}
	return out;
}

/* A term as the value keeps it: its field ('Q' or 'S') and the rest. */
struct value_term {
	char field;
	std::string rest;

	explicit value_term(const std::string &term)
	{
		rest = term.substr(field_prefix(term, &field));
	}
};

/* Compares a term of the value (field, rest of len bytes) with t in the
 * value's order, which is the terms' byte order. */
static int
compare_term(char field, const char *rest, size_t len, const value_term &t)
{
	size_t n = std::min(len, t.rest.size());

	if (field != t.field)
		return field == 'Q' ? -1 : 1;
	/* Words are short: a loop beats a call of memcmp(). */
	for (size_t i = 0; i < n; i++)
		if (rest[i] != t.rest[i])
			return (unsigned char)rest[i] <
			    (unsigned char)t.rest[i] ? -1 : 1;
	return len < t.rest.size() ? -1 : len > t.rest.size() ? 1 : 0;
}

/*
 * The positions of each of terms (sorted, unique) in an encoded value
 * into (*out)[i]; a term the value lacks has none.  The value's terms are
 * in the same order, so the scan stops after the last wanted one and
 * jumps over the others' positions.  False when the value is damaged.
 */
static bool
decode_positions(const std::string &value,
    const std::vector<value_term> &terms,
    std::vector<std::vector<Xapian::termpos>> *out)
{
	const char *p = value.data(), *end = p + value.size();
	size_t next = 0;

	out->resize(terms.size());
	for (auto &v : *out)
		v.clear();
	while (p < end && next < terms.size()) {
		uint64_t len, bytes, delta, pos = 0;
		const char *rest, *block;
		char field = *p++;
		int c = 1;

		if (!get_varint(&p, end, &len) || len > (uint64_t)(end - p))
			return false;
		rest = p;
		p += len;
		if (!get_varint(&p, end, &bytes) ||
		    bytes > (uint64_t)(end - p))
			return false;
		block = p;
		p += bytes;
		while (next < terms.size() && (c = compare_term(field, rest,
		    len, terms[next])) > 0)
			next++;
		if (c != 0)
			continue;
		for (const char *q = block; q < p;) {
			if (!get_varint(&q, p, &delta))
				return false;
			pos += delta;
			(*out)[next].push_back((Xapian::termpos)pos);
		}
		next++;
	}
	return true;
}

/* Whether the words (word i has the positions at[word_of[i]]) occur
 * in order with the last fewer than window positions after the first:
 * Xapian's phrase (window = the number of words: side by side). */
static bool
in_order(const std::vector<std::vector<Xapian::termpos>> &at,
    const std::vector<size_t> &word_of, Xapian::termcount window)
{
	for (Xapian::termpos first : at[word_of[0]]) {
		Xapian::termpos pos = first;

		for (size_t i = 1; i < word_of.size(); i++) {
			const auto &in = at[word_of[i]];
			auto next = std::upper_bound(in.begin(), in.end(), pos);

			/* A later first word cannot find a later word i. */
			if (next == in.end())
				return false;
			pos = *next;
		}
		if (pos - first < window)
			return true;
	}
	return false;
}

/* Whether each word occurs (a repeated word as often as it is repeated)
 * at distinct positions fewer than window apart: Xapian's NEAR. */
static bool
near(const std::vector<std::vector<Xapian::termpos>> &at,
    const std::vector<size_t> &word_of, Xapian::termcount window)
{
	std::vector<std::pair<Xapian::termpos, size_t>> all;
	std::vector<size_t> need(at.size(), 0), have(at.size(), 0);
	size_t missing = 0, lo = 0;

	for (size_t w : word_of)
		if (need[w]++ == 0)
			missing++;
	for (size_t w = 0; w < at.size(); w++)
		if (need[w] > 0)
			for (Xapian::termpos p : at[w])
				all.emplace_back(p, w);
	std::sort(all.begin(), all.end());
	/* A window over the sorted positions: grow it at the right, shrink
	 * it at the left while it spans window or more. */
	for (size_t hi = 0; hi < all.size(); hi++) {
		if (++have[all[hi].second] == need[all[hi].second])
			missing--;
		while (all[hi].first - all[lo].first >= window) {
			if (have[all[lo].second]-- == need[all[lo].second])
				missing++;
			lo++;
		}
		if (missing == 0)
			return true;
	}
	return false;
}

namespace {

/* The documents where a phrase or NEAR of unpositioned words holds. */
class quote_phrase_source : public Xapian::PostingSource {
public:
	quote_phrase_source(const std::vector<std::string> &words,
	    bool is_near, Xapian::termcount window)
	    : words(words), unique(words), is_near(is_near), window(window)
	{
		std::sort(unique.begin(), unique.end());
		unique.erase(std::unique(unique.begin(), unique.end()),
		    unique.end());
		for (const auto &w : words)
			word_of.push_back((size_t)(std::lower_bound(
			    unique.begin(), unique.end(), w) - unique.begin()));
		for (const auto &w : unique)
			wanted.emplace_back(w);
	}

	PostingSource *clone() const override
	{
		return new quote_phrase_source(words, is_near, window);
	}

	void init(const Xapian::Database &db_) override
	{
		db = db_;
		lists.clear();
		max = db.get_doccount();
		for (const auto &w : unique) {
			lists.push_back(db.postlist_begin(w));
			max = std::min(max, db.get_termfreq(w));
		}
		values = db.valuestream_begin(SLOT_QUOTE_POSITIONS);
		last = 0;
		on_match = false;
		ended = max == 0;
	}

	Xapian::doccount get_termfreq_min() const override { return 0; }
	/* Xapian's own guess for a phrase: half its words' AND. */
	Xapian::doccount get_termfreq_est() const override { return max / 2; }
	Xapian::doccount get_termfreq_max() const override { return max; }

	void next(double) override { advance(last + 1); }

	void skip_to(Xapian::docid did, double) override
	{
		if (ended || (on_match && did <= last))
			return;
		advance(std::max(did, last + 1));
	}

	bool check(Xapian::docid did, double) override
	{
		Xapian::docid at_least;

		if (ended || (on_match && did <= last))
			return true;
		if (!align(did, &at_least))
			return true;
		/* Not a match here: next() goes on after did. */
		last = did;
		on_match = at_least == did && holds(did);
		return on_match;
	}

	bool at_end() const override { return ended; }
	Xapian::docid get_docid() const override { return last; }

	std::string get_description() const override
	{
		std::string d = is_near ? "quote NEAR " : "quote PHRASE ";

		d += std::to_string(window);
		for (const auto &w : words)
			d += " " + w;
		return d;
	}

private:
	/* Moves every word's posting list to target or after; *at_least
	 * is target when all hold it, else a later document the first
	 * list past target holds.  False, and ended, when a list ran
	 * out. */
	bool align(Xapian::docid target, Xapian::docid *at_least)
	{
		*at_least = target;
		for (auto &l : lists) {
			l.skip_to(target);
			if (l == Xapian::PostingIterator()) {
				ended = true;
				return false;
			}
			if (*l != target) {
				*at_least = *l;
				return true;
			}
		}
		return true;
	}

	/* Moves to the first document from target on where the words
	 * hold. */
	void advance(Xapian::docid target)
	{
		Xapian::docid at_least;

		while (align(target, &at_least)) {
			if (at_least == target && holds(target)) {
				last = target;
				on_match = true;
				return;
			}
			target = std::max(at_least, target + 1);
		}
	}

	/* Whether the words are in place in document did. */
	bool holds(Xapian::docid did)
	{
		if (values == db.valuestream_end(SLOT_QUOTE_POSITIONS) ||
		    values.get_docid() > did)
			values = db.valuestream_begin(SLOT_QUOTE_POSITIONS);
		values.skip_to(did);
		if (values == db.valuestream_end(SLOT_QUOTE_POSITIONS) ||
		    values.get_docid() != did)
			return false;
		if (!decode_positions(*values, wanted, &at))
			throw Xapian::DatabaseCorruptError("document " +
			    std::to_string(did) + " holds bad quote positions");
		return is_near ? near(at, word_of, window) :
		    in_order(at, word_of, window);
	}

	std::vector<std::string> words, unique;	/* unique: sorted */
	std::vector<size_t> word_of;	/* each word's index in unique */
	std::vector<value_term> wanted;	/* unique as the value keeps them */
	/* Each unique word's positions in the document holds() looks at:
	 * kept to spare their allocations. */
	std::vector<std::vector<Xapian::termpos>> at;
	bool is_near;
	Xapian::termcount window;
	Xapian::Database db;
	std::vector<Xapian::PostingIterator> lists;
	Xapian::ValueIterator values;
	Xapian::doccount max = 0;
	Xapian::docid last = 0;
	bool on_match = false, ended = false;
};

}

/*
 * The window of a phrase or NEAR query: Xapian 1.4 does not give it back
 * but prints it in the description, "(a@1 PHRASE 2 b@2)".  Words hold no
 * blank, so the first " PHRASE " or " NEAR " is the operator's.
 */
static Xapian::termcount
window_of(const Xapian::Query &q, size_t words)
{
	std::string d = q.get_description();
	const char *op = q.get_type() == Xapian::Query::OP_NEAR ? " NEAR " :
	    " PHRASE ";
	size_t at = d.find(op);
	unsigned long n = 0;

	if (at != std::string::npos)
		n = strtoul(d.c_str() + at + strlen(op), nullptr, 10);
	return n >= words && n < 1000000 ? (Xapian::termcount)n :
	    (Xapian::termcount)words;
}

/* A phrase or NEAR of unpositioned words made what Xapian can match, or
 * false when q is not one. */
static bool
replace_phrase(const Xapian::Query &q, Xapian::Query *out)
{
	Xapian::Query::op op = q.get_type();
	std::vector<Xapian::Query> subs;
	std::vector<std::string> words;

	if (op != Xapian::Query::OP_PHRASE && op != Xapian::Query::OP_NEAR)
		return false;
	for (size_t i = 0; i < q.get_num_subqueries(); i++) {
		Xapian::Query sub = q.get_subquery(i);

		if (sub.get_type() != Xapian::Query::LEAF_TERM ||
		    sub.get_terms_begin() == sub.get_terms_end() ||
		    !unpositioned(*sub.get_terms_begin()))
			return false;
		words.push_back(*sub.get_terms_begin());
		subs.push_back(sub);
	}
	if (words.size() < 2)
		return false;
	*out = Xapian::Query(Xapian::Query::OP_FILTER,
	    Xapian::Query(Xapian::Query::OP_AND, subs.begin(), subs.end()),
	    Xapian::Query((new quote_phrase_source(words,
	    op == Xapian::Query::OP_NEAR, window_of(q, words.size())))
	    ->release()));
	return true;
}

/* q with each such phrase replaced; false when there is none. */
static bool
replace_phrases(const Xapian::Query &q, Xapian::Query *out)
{
	std::vector<Xapian::Query> subs;
	bool changed = false;
	Xapian::Query::op op = q.get_type();

	if (replace_phrase(q, out))
		return true;
	switch (op) {
	case Xapian::Query::OP_AND:
	case Xapian::Query::OP_OR:
	case Xapian::Query::OP_AND_NOT:
	case Xapian::Query::OP_XOR:
	case Xapian::Query::OP_AND_MAYBE:
	case Xapian::Query::OP_FILTER:
	case Xapian::Query::OP_SYNONYM:
	case Xapian::Query::OP_MAX:
		break;
	default:
		/* Leaves, and operators whose parameter Xapian does not
		 * give back (SCALE_WEIGHT, ELITE_SET): the query parser puts
		 * no phrase there. */
		return false;
	}
	for (size_t i = 0; i < q.get_num_subqueries(); i++) {
		Xapian::Query sub = q.get_subquery(i), done;

		if (replace_phrases(sub, &done)) {
			sub = done;
			changed = true;
		}
		subs.push_back(sub);
	}
	if (!changed)
		return false;
	*out = Xapian::Query(op, subs.begin(), subs.end());
	return true;
}

Xapian::Query
larch_store_phrase_query(const Xapian::Query &parsed)
{
	Xapian::Query out;

	return replace_phrases(parsed, &out) ? out : parsed;
}
