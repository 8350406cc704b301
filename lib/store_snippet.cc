/*
 * Query-dependent snippets: the part of a hit's text where the query's
 * words are, with those words marked.  Xapian's MSet::snippet() cannot
 * serve here: it finds stems only under the "Z" prefix of STEM_SOME
 * indexes (larch indexes bare stems, STEM_ALL), and it escapes HTML,
 * which a text protocol must not do.  So the text is walked word by word
 * here, each word folded and stemmed the way the indexer did it, and
 * compared with the query's terms.
 */
#include <set>
#include <string>
#include <vector>

#include "larch/fold.h"
#include "store_private.hh"
#include "store_snippet.hh"

static const char MARK[] = "**";
static const char ELLIPSIS[] = "\u2026";

/* The word of a text term, its prefix (upper-case ASCII letters)
 * dropped; "" for boolean terms (lists, ids, threads), whose values are
 * not words of the text. */
static std::string
term_word(const std::string &term)
{
	static const std::set<std::string> text_prefixes = { "", "S", "A",
	    "XTO", "XCC", "XFN", "XQ", "XSIG" };
	size_t i = 0;

	while (i < term.size() && term[i] >= 'A' && term[i] <= 'Z')
		i++;
	if (text_prefixes.count(term.substr(0, i)) == 0)
		return "";
	return term.substr(i);
}

static bool
is_cjk(gunichar c)
{
	return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
	    (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

/* Xapian's term generator keeps connector punctuation ('_') inside a
 * word: "talloc_free" is one term, so it is one word here too. */
static bool
is_ascii_word_char(char ch)
{
	return g_ascii_isalnum(ch) || ch == '_';
}

static bool
is_word_char(gunichar c)
{
	return g_unichar_isalnum(c) ||
	    g_unichar_type(c) == G_UNICODE_CONNECT_PUNCTUATION;
}

struct span {
	size_t start, end;	/* bytes of text */
};

/* What the query asks of a word's index form: to be one of words, or to
 * start with one of prefixes (its wildcards, "consult*"). */
struct wanted {
	std::set<std::string> words;
	std::vector<std::string> prefixes;

	bool has(const std::string &form) const
	{
		if (words.count(form))
			return true;
		for (auto &p : prefixes)
			if (form.compare(0, p.size(), p) == 0)
				return true;
		return false;
	}
};

/*
 * Characters Xapian's term generator keeps inside a word
 * (termgenerator_internal.cc, Xapian 1.4): between two word characters
 * an apostrophe or '&' ("don't", "AT&T"), between two digits '.', ','
 * or ';' ("1.2.3", "10,000").  The apostrophe is written as the term
 * has it ("don’t" is "don't"); 0 for a character that ends the word.
 */
static gunichar
infix(gunichar c, bool digits)
{
	if (digits)
		return c == '.' || c == ',' || c == ';' || c == 0x37e ||
		    c == 0x589 || c == 0x60d || c == 0x7f8 || c == 0x2044 ||
		    c == 0xfe10 || c == 0xfe13 || c == 0xfe14 ? c : 0;
	if (c == '\'' || c == '&' || c == 0xb7 || c == 0x5f4 || c == 0x2027)
		return c;
	return c == 0x2019 || c == 0x201b ? '\'' : 0;
}

/* What the indexer would make of a word: folded, lower-case, stemmed. */
static std::string
index_form(const Xapian::Stem &stem, const char *word, size_t len)
{
	gstr lower(g_utf8_strdown(word, (gssize)len), g_free);
	gstr folded(larch_fold(lower.get(), strlen(lower.get())), g_free);

	return stem(folded ? folded.get() : lower.get());
}

/*
 * Whether a word could stem to one of words: English stemming changes
 * endings only, so a stem begins with the word's first two letters.  A
 * word whose lower-cased ASCII start is not the start of any query word
 * is skipped without stemming, which spares almost every word of a text;
 * words starting with other characters are always stemmed, and every
 * word is when starts holds "" (a wildcard of one letter, "c*").
 */
static bool
may_match(const std::set<std::string> &starts, const char *w, size_t len)
{
	char key[2];

	/* "" sorts first: a look at the first element, not a search. */
	if ((!starts.empty() && starts.begin()->empty()) || len < 2 ||
	    (unsigned char)w[0] >= 0x80 ||
	    (unsigned char)w[1] >= 0x80)
		return true;
	key[0] = g_ascii_tolower(w[0]);
	key[1] = g_ascii_tolower(w[1]);
	return starts.count(std::string(key, 2)) > 0;
}

/* Bytes of text searched for matches: beyond them a snippet would start
 * too deep in a long message to be read anyway. */
static const size_t SCAN_MAX = 32 * 1024;

/* The character at p, before end; (gunichar)-1 or -2 when it is not
 * valid UTF-8 or is cut by end. */
static gunichar
char_at(const char *p, const char *end)
{
	if ((unsigned char)*p < 0x80)
		return (gunichar)(unsigned char)*p;
	return g_utf8_get_char_validated(p, end - p);
}

static bool
is_bad(gunichar c)
{
	return c == (gunichar)-1 || c == (gunichar)-2;
}

/* A character that goes on a word (not CJK, whose words are n-grams). */
static bool
continues_word(gunichar c)
{
	if (c < 0x80)
		return is_ascii_word_char((char)c);
	return !is_bad(c) && (is_word_char(c) || g_unichar_ismark(c)) &&
	    !is_cjk(c);
}

/*
 * The end of the word that starts at w (a word character, not CJK), read
 * as Xapian's term generator reads it (Xapian 1.4): initials "U.S.A."
 * are one word, "usa"; infixes (infix()) join words, so "don't", "AT&T",
 * "1.2.3" are one word each; up to three '+' or '#' end one ("C++",
 * "C#"), unless a word character follows ("fish+chips").  word gets the
 * word as the term generator sees it, before folding and stemming, or ""
 * for an article that larch_fold() drops ("l'" of "l'information").
 */
static const char *
word_end(const char *base, const char *w, const char *end,
    std::string &word)
{
	const char *p = w;
	gunichar prev = 0, c;

	word.clear();
	if (g_ascii_isupper(*p)) {
		const char *q = p;

		do
			word += g_ascii_tolower(*q++);
		while (q < end && *q == '.' && ++q < end &&
		    g_ascii_isupper(*q));
		if (word.size() > 1 && (q == end || !continues_word(char_at(q,
		    end))))
			return q;
		word.clear();
	}
	for (;;) {
		const char *run = p;

		while (p < end && continues_word(c = char_at(p, end))) {
			prev = c;
			p = g_utf8_next_char(p);
		}
		word.append(run, p - run);
		if (p >= end || is_bad(c = char_at(p, end)))
			return p;
		const char *n = g_utf8_next_char(p);
		gunichar next = n < end ? char_at(n, end) : (gunichar)-1;

		if (!continues_word(next))
			break;
		gunichar in = infix(c, g_unichar_isdigit(prev) &&
		    g_unichar_isdigit(next));
		if (in == 0)
			break;
		if (in == '\'' && larch_fold_elision(base, p - base,
		    end - base) > 0) {
			word.clear();
			return p;
		}
		char buf[6];
		word.append(buf, g_unichar_to_utf8(in, buf));
		p = n;
	}
	/* a suffix: p is on the character after the word */
	const char *q = p;
	while (q < end && (*q == '+' || *q == '#') && q - p < 3)
		q++;
	if (q > p && (q == end || (*q != '+' && *q != '#' &&
	    !continues_word(char_at(q, end)) && !is_cjk(char_at(q, end))))) {
		word.append(p, q - p);
		return q;
	}
	return p;
}

/* Byte spans of the words of text whose index form is wanted. */
static std::vector<span>
find_matches(const std::string &text, const wanted &want)
{
	thread_local Xapian::Stem stem("english");
	std::set<std::string> starts;
	std::vector<span> found;
	std::string word;
	const char *base = text.c_str(), *p = base;
	const char *end = base + MIN(text.size(), SCAN_MAX);

	/* The characters of the query's CJK bigrams: such a character
	 * alone is a unigram of a longer query word ("インターネット" gives
	 * "イ", "ン"...), not a match of its own wherever it stands. */
	std::set<std::string> in_bigram;

	for (auto &w : want.words) {
		starts.insert(w.size() >= 2 && (unsigned char)w[0] < 0x80 &&
		    (unsigned char)w[1] < 0x80 ? w.substr(0, 2) : w);
		const char *b = w.c_str(), *m = g_utf8_next_char(b);

		if (m < b + w.size() && is_cjk(g_utf8_get_char(b)) &&
		    g_utf8_next_char(m) == b + w.size()) {
			in_bigram.insert(std::string(b, m - b));
			in_bigram.insert(std::string(m, b + w.size() - m));
		}
	}
	for (auto &w : want.prefixes)
		starts.insert(w.size() >= 2 && (unsigned char)w[0] < 0x80 &&
		    (unsigned char)w[1] < 0x80 ? w.substr(0, 2) : "");

	while (p < end) {
		const char *w = p;
		gunichar c;

		/* ASCII, nearly all of most texts, without decoding. */
		if ((unsigned char)*p < 0x80 && !is_ascii_word_char(*p)) {
			p++;
			continue;
		}
		c = char_at(p, end);
		if (is_bad(c))
			break;
		if (is_cjk(c)) {
			/* n-grams: a character, or it and the next */
			const char *n1 = g_utf8_next_char(p);
			const char *n2 = n1 < end ? g_utf8_next_char(n1) : n1;

			std::string one(p, n1 - p);

			if (n2 <= end && n2 > n1 && want.has(std::string(p,
			    n2 - p)))
				found.push_back({ (size_t)(p - base),
				    (size_t)(n2 - base) });
			else if (want.has(one) && !in_bigram.count(one))
				found.push_back({ (size_t)(p - base),
				    (size_t)(n1 - base) });
			p = n1;
			continue;
		}
		if (!is_word_char(c)) {
			p = g_utf8_next_char(p);
			continue;
		}
		p = word_end(base, w, end, word);
		if (p == w)	/* not reached: w holds a word character */
			p = g_utf8_next_char(w);
		if (!word.empty() && may_match(starts, word.data(),
		    word.size()) && want.has(index_form(stem, word.data(),
		    word.size())))
			found.push_back({ (size_t)(w - base),
			    (size_t)(p - base) });
	}
	/* CJK bigrams overlap: "ガバ", "バナ", "ナン", "ンス" are one
	 * match, "ガバナンス". */
	std::vector<span> merged;
	for (auto &s : found)
		if (!merged.empty() && s.start < merged.back().end)
			merged.back().end = MAX(merged.back().end, s.end);
		else
			merged.push_back(s);
	return merged;
}

/* The window of about len bytes holding the most matches. */
static size_t
best_start(const std::vector<span> &m, size_t len)
{
	size_t best = 0, best_n = 0;

	for (size_t i = 0, j = 0; i < m.size(); i++) {
		while (j < m.size() && m[j].end <= m[i].start + len)
			j++;
		if (j - i > best_n) {
			best_n = j - i;
			best = i;
		}
	}
	return m.empty() ? 0 : m[best].start;
}

static bool
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* A byte inside a UTF-8 character, after its first. */
static bool
is_continuation(char ch)
{
	return ((unsigned char)ch & 0xC0) == 0x80;
}

/*
 * The words the wildcards of query start with ("consult" of "consult*"),
 * their field prefixes dropped as term_word() drops them.  Xapian's
 * get_terms_begin() lists no wildcard, and a Query has no accessor for
 * its pattern: the leaf's description, "Query(WILDCARD SYNONYM consult)"
 * (Xapian 1.4), is where it is.
 */
static void
add_wildcards(const Xapian::Query &query, std::vector<std::string> &out)
{
	if (query.get_type() == Xapian::Query::OP_WILDCARD) {
		static const char head[] = "Query(WILDCARD ";
		std::string d = query.get_description();
		size_t sp = d.find(' ', sizeof head - 1);

		if (d.compare(0, sizeof head - 1, head) != 0 ||
		    sp == std::string::npos || d.back() != ')')
			return;
		std::string w = term_word(d.substr(sp + 1,
		    d.size() - sp - 2));
		if (!w.empty())
			out.push_back(w);
		return;
	}
	for (size_t i = 0; i < query.get_num_subqueries(); i++)
		add_wildcards(query.get_subquery(i), out);
}

std::string
larch_store_snippet(const Xapian::Query &query, const std::string &text,
    size_t len)
{
	wanted want;
	std::vector<span> m;
	size_t start, stop, k = 0;
	std::string out;

	for (auto it = query.get_terms_begin(); it != query.get_terms_end();
	    ++it) {
		std::string w = term_word(*it);

		if (!w.empty())
			want.words.insert(w);
	}
	add_wildcards(query, want.prefixes);
	m = find_matches(text, want);
	start = best_start(m, len);
	/* Some words of context before the first match, more when the
	 * text ends before the budget does (a short text is shown whole),
	 * from a word start; in text without spaces (Chinese, Japanese)
	 * from a character start. */
	size_t from = start > len / 4 ? start - len / 4 : 0;
	if (from > 0 && text.size() < from + len)
		from = text.size() > len ? text.size() - len : 0;
	if (from > 0) {
		size_t s = from;

		while (s < start && !is_space(text[s]))
			s++;
		if (s == start) {
			s = from;
			while (s < start && is_continuation(text[s]))
				s++;
		}
		start = s;
	} else {
		start = 0;
	}
	stop = MIN(text.size(), start + len);
	while (stop < text.size() && stop > start &&
	    is_continuation(text[stop]))
		stop--;	/* not inside a character */
	if (stop < text.size()) {
		size_t s = stop;

		/* Back to a space, but not so far back that a paragraph
		 * without spaces is lost for the line break above it. */
		while (s > start + len / 2 && !is_space(text[s]))
			s--;
		if (is_space(text[s]))
			stop = s;
	}
	if (start > 0)
		out += ELLIPSIS;
	while (k < m.size() && m[k].start < start)
		k++;
	bool in_space = false;
	size_t marked_end = std::string::npos;
	for (size_t i = start; i < stop;) {
		if (k < m.size() && i == m[k].start && m[k].end <= stop) {
			/* Matches that touch (the n-grams of CJK text) are
			 * marked as one run, not "**互联****网**". */
			if (marked_end == i)
				out.resize(out.size() - (sizeof MARK - 1));
			else
				out += MARK;
			out.append(text, i, m[k].end - i);
			out += MARK;
			i = marked_end = m[k].end;
			k++;
			in_space = false;
			continue;
		}
		if (is_space(text[i])) {
			if (!in_space && !out.empty())
				out += ' ';
			in_space = true;
		} else {
			out += text[i];
			in_space = false;
		}
		i++;
	}
	while (!out.empty() && out.back() == ' ')
		out.pop_back();
	if (stop < text.size())
		out += ELLIPSIS;
	return out;
}
