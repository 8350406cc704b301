/*
 * The query language of include/larch/search.h, read into a Xapian query:
 * the text is checked and rewritten by lib/query.c, then read by Xapian's
 * QueryParser configured here with the index's prefixes (see
 * store_terms.cc), its field processors and date ranges, one parser per
 * stemming language, and with the lists a connection may not see taken
 * out.  Part of the store shim; store_search.cc runs what this makes.
 */
#include <exception>
#include <string>
#include <vector>

#include "larch/mid.h"
#include "larch/query.h"
#include "store_dates.hh"
#include "store_language.hh"
#include "store_phrase.hh"
#include "store_private.hh"
#include "store_query.hh"

/* Wildcards expand to at most this many terms, the most frequent ones, so
 * "a*" costs a bounded amount. */
static const Xapian::termcount WILDCARD_MAX = 500;

std::string
larch_store_normalised_mid(const std::string &value)
{
	gstr mid(larch_mid_normalise(value.c_str()), g_free);

	return mid ? std::string(mid.get()) : value;
}

/*
 * What went wrong inside a field processor.  Xapian 1.4's QueryParser
 * does not survive an exception thrown from a FieldProcessor (its parser
 * stack is freed wrongly: "free(): invalid pointer", one query aborted
 * larchd), so every processor here catches everything, answers
 * MatchNothing and leaves the failure here; larch_store_parse_query()
 * turns it into a status once parse_query() has returned.
 */
struct parse_fault {
	/* An exception caught in a processor (a Xapian error, such as
	 * DatabaseModifiedError during a commit, or bad_alloc), rethrown
	 * outside the parser so with_retry() and guarded() treat it as
	 * they treat any other. */
	std::exception_ptr thrown;
	/* A value a processor refused, for LARCH_ERR_PARSE. */
	std::string reason;

	void refuse(const char *what, const std::string &value) noexcept
	{
		try {
			if (reason.empty())
				reason = std::string(what) + " '" + value + "'";
		} catch (...) {
			if (!thrown)
				thrown = std::current_exception();
		}
	}
};

/* A field processor that throws nothing: subclasses write query(). */
struct safe_field : public Xapian::FieldProcessor {
	parse_fault &fault;
	explicit safe_field(parse_fault &f) : fault(f) {}
	virtual Xapian::Query query(const std::string &value) = 0;
	Xapian::Query operator()(const std::string &value) noexcept override
	{
		try {
			return query(value);
		} catch (...) {
			if (!fault.thrown)
				fault.thrown = std::current_exception();
		}
		return Xapian::Query::MatchNothing;
	}
};

/* list:NAME, as bool_term() spells it (the ':' for upper-case values),
 * or when no list has that very name, any list of the index whose name
 * differs from it in case only (list:Policy-Forum is policy-forum).
 * Lists are few, one term each, but reading them all cost 40 us a
 * query: a name typed as the index has it skips that. */
struct list_field : public safe_field {
	Xapian::Database db;
	list_field(parse_fault &f, const Xapian::Database &d)
	    : safe_field(f), db(d) {}
	Xapian::Query query(const std::string &value) override
	{
		std::string exact = bool_term("L", value.c_str());
		std::vector<Xapian::Query> terms{ Xapian::Query(exact) };

		if (db.term_exists(exact))
			return terms[0];
		for (auto it = db.allterms_begin("L"); it !=
		    db.allterms_end("L"); ++it) {
			std::string name = term_value(*it, 1);

			if (name != value && g_ascii_strcasecmp(name.c_str(),
			    value.c_str()) == 0)
				terms.emplace_back(*it);
		}
		return Xapian::Query(Xapian::Query::OP_OR, terms.begin(),
		    terms.end());
	}
};

struct mid_field : public safe_field {
	using safe_field::safe_field;
	Xapian::Query query(const std::string &value) override
	{
		return Xapian::Query(bool_term("Q",
		    larch_store_normalised_mid(value).c_str()));
	}
};

/*
 * thread:ID takes a thread id or the id of any message in the thread,
 * but not of a message in a hidden list: the thread it would name is
 * shown only without it, and finding it would tell that the id exists.
 */
struct thread_field : public safe_field {
	Xapian::Database db;
	std::vector<std::string> hidden;	/* L terms */
	typedef std::unique_ptr<struct larch_msg, void (*)(struct larch_msg *)>
	    gstr_msg;
	thread_field(parse_fault &f, const Xapian::Database &d,
	    const char *const *h) : safe_field(f), db(d)
	{
		for (size_t i = 0; h != nullptr && h[i] != nullptr; i++)
			hidden.push_back(bool_term("L", h[i]));
	}
	bool is_hidden(const Xapian::Document &doc)
	{
		for (auto &l : hidden) {
			Xapian::TermIterator t = doc.termlist_begin();

			t.skip_to(l);
			if (t != doc.termlist_end() && *t == l)
				return true;
		}
		return false;
	}
	Xapian::Query query(const std::string &value) override
	{
		std::string mid = larch_store_normalised_mid(value);
		std::string g = bool_term("G", mid.c_str());
		std::string q = bool_term("Q", mid.c_str());
		Xapian::PostingIterator it;

		if (db.get_termfreq(g) > 0)
			return Xapian::Query(g);
		it = db.postlist_begin(q);
		if (it != db.postlist_end(q)) {
			Xapian::Document doc = db.get_document(*it);

			if (is_hidden(doc))
				return Xapian::Query(g);
			gstr_msg links(larch_store_links_of(doc),
			    larch_msg_free);

			if (links->thread != nullptr)
				return Xapian::Query(bool_term("G",
				    links->thread));
		}
		return Xapian::Query(g);
	}
};

/* Setup shared by every parser here: words ANDed, stems as the
 * TermGenerator makes them (STEM_ALL in the list's language, or no query
 * term could match), bounded wildcards. */
static void
configure_parser(Xapian::QueryParser &qp, const Xapian::Database &db,
    const std::string &language)
{
	qp.set_database(db);
	/* Words without an operator must all match, as in notmuch and web
	 * search engines: Xapian's default, OR, ranks but finds too much. */
	qp.set_default_op(Xapian::Query::OP_AND);
	qp.set_stemmer(Xapian::Stem(language));
	qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL);
	qp.set_max_expansion(WILDCARD_MAX,
	    Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
}

/* When value ("a@b", "<a@b>") is one address, *out is its term under
 * prefix, lower case as store_terms.cc indexes addresses. */
static bool
address_query(std::string value, const char *prefix, Xapian::Query *out)
{
	if (value.size() >= 2 && value.front() == '<' && value.back() == '>')
		value = value.substr(1, value.size() - 2);
	if (value.find('@') == std::string::npos ||
	    value.find_first_of(" \t<>,;\"()") != std::string::npos)
		return false;
	gstr lower(g_ascii_strdown(value.c_str(), -1), g_free);
	*out = Xapian::Query(bool_term(prefix, lower.get()));
	return true;
}

/*
 * to: and cc: take an address, matched whole (the XTA and XCA terms), or
 * words: they were indexed without positions (recipient lists are long
 * and phrases in them rare), so "to:\"Ann Smith\"", which the parser
 * would make a phrase, is instead the AND of the value's words as the
 * list's TermGenerator splits them.
 */
struct words_field : public safe_field {
	std::string prefix, addr_prefix, language;
	words_field(parse_fault &f, const char *p, const char *a,
	    const std::string &l)
	    : safe_field(f), prefix(p), addr_prefix(a), language(l) {}
	Xapian::Query query(const std::string &value) override
	{
		Xapian::TermGenerator tg =
		    larch_store_make_term_generator(language);
		Xapian::Document doc;
		std::vector<Xapian::Query> words;
		std::string v = value;
		Xapian::Query address;

		if (v.size() >= 2 && v.front() == '"' && v.back() == '"')
			v = v.substr(1, v.size() - 2);
		if (address_query(v, addr_prefix.c_str(), &address))
			return address;
		tg.set_document(doc);
		tg.index_text_without_positions(v, 1, prefix);
		for (auto it = doc.termlist_begin(); it != doc.termlist_end();
		    ++it)
			words.emplace_back(*it);
		if (words.empty())
			return Xapian::Query(Xapian::Query::MatchNothing);
		return Xapian::Query(Xapian::Query::OP_AND, words.begin(),
		    words.end());
	}
};

/* How many of an address's messages are read for the names it writes
 * under: enough for the names people use, bounded for a busy author. */
static const unsigned NAMES_FROM = 32;

/*
 * from: an address is the author's XA term, one posting list; anything
 * else is parsed as text of the author's name and address (A, with
 * positions: phrases and wildcards work).  An address as words would be
 * a phrase over positions, four times slower on 100k messages.
 *
 * Posts whose From the list rewrote keep only the list's address (XVIA,
 * see store_terms.cc): an address also finds those under the names its
 * own messages give (XAN), so that a munged archive still answers
 * "what did ann@example.org write".  Someone else of the same name, in
 * such posts, is found too.
 */
struct author_field : public safe_field {
	Xapian::Database db;
	std::string language;
	const char *const *hidden;	/* lent by the search's options */
	author_field(parse_fault &f, const Xapian::Database &d,
	    const std::string &l, const char *const *h)
	    : safe_field(f), db(d), language(l), hidden(h) {}
	/* The first NAMES_FROM messages of term, but none of a hidden
	 * list: their names would find public posts by a name that only
	 * private mail gives the address. */
	std::vector<Xapian::docid> own_messages(const std::string &term)
	{
		std::vector<Xapian::docid> ids;

		if (hidden == nullptr || hidden[0] == nullptr) {
			for (auto it = db.postlist_begin(term); it !=
			    db.postlist_end(term) && ids.size() < NAMES_FROM;
			    ++it)
				ids.push_back(*it);
			return ids;
		}
		Xapian::Enquire e(db);
		e.set_query(larch_store_without_hidden(Xapian::Query(term),
		    hidden));
		e.set_weighting_scheme(larch_store_unweighted());
		e.set_docid_order(Xapian::Enquire::ASCENDING);
		Xapian::MSet ms = e.get_mset(0, NAMES_FROM);
		for (auto it = ms.begin(); it != ms.end(); ++it)
			ids.push_back(*it);
		return ids;
	}
	Xapian::Query with_names(const Xapian::Query &address,
	    const std::string &term)
	{
		std::vector<Xapian::Query> names{ address };
		std::vector<std::string> seen;

		if (db.get_termfreq("XVIA") == 0)
			return address;
		for (Xapian::docid id : own_messages(term)) {
			Xapian::Document doc = db.get_document(id);
			std::string key = author_name_key(split_us(
			    doc.get_value(SLOT_RESULT), RESULT_FIELDS)
			    [RESULT_FROM_NAME].c_str());

			if (key.empty() || std::find(seen.begin(), seen.end(),
			    key) != seen.end())
				continue;
			seen.push_back(key);
			names.emplace_back(bool_term("XAN", key.c_str()));
		}
		return Xapian::Query(Xapian::Query::OP_OR, names.begin(),
		    names.end());
	}
	Xapian::Query query(const std::string &value) override
	{
		Xapian::QueryParser qp;
		Xapian::Query address;

		if (address_query(value, "XA", &address))
			return with_names(address,
			    *address.get_terms_begin());
		configure_parser(qp, db, language);
		qp.add_prefix("", "A");
		/* A processor is given a quoted value without its quotes:
		 * words that were quoted (a value holds a blank only so)
		 * are put back in quotes, or from:"ann smith" would be the
		 * words in any order, also "Smith Ann". */
		if (value.find_first_of(" \t") != std::string::npos)
			return qp.parse_query("\"" + value + "\"",
			    Xapian::QueryParser::FLAG_PHRASE |
			    Xapian::QueryParser::FLAG_CJK_NGRAM);
		return qp.parse_query(value, Xapian::QueryParser::FLAG_PHRASE |
		    Xapian::QueryParser::FLAG_WILDCARD |
		    Xapian::QueryParser::FLAG_CJK_NGRAM);
	}
};

struct is_field : public safe_field {
	using safe_field::safe_field;
	Xapian::Query query(const std::string &value) override
	{
		if (value == "root")
			return Xapian::Query("XROOT");
		return Xapian::Query(Xapian::Query::OP_AND_NOT,
		    Xapian::Query::MatchAll, Xapian::Query("XROOT"));
	}
};

struct has_field : public safe_field {
	using safe_field::safe_field;
	Xapian::Query query(const std::string &) override
	{
		return Xapian::Query("K");
	}
};

/*
 * date:A..B as date terms (store_dates.cc); query.c turned single
 * periods into ranges and checked every date, and either side may be
 * open.  A boolean field, not a Xapian RangeProcessor: Xapian 1.4 ORs a
 * range with a filter of the empty grouping written before it
 * ("is:root date:2023" found every root and everything of 2023).
 */
struct date_field : public safe_field {
	Xapian::Database db;
	date_field(parse_fault &f, const Xapian::Database &d)
	    : safe_field(f), db(d) {}
	Xapian::Query query(const std::string &value) override
	{
		int64_t s1 = INT64_MIN / 2, e1 = 0, s2 = 0, e2 = INT64_MAX / 2;
		size_t dots = value.find("..");
		std::string begin = value.substr(0, dots);
		std::string end = dots == std::string::npos ? value :
		    value.substr(dots + 2);

		if ((!begin.empty() && !larch_query_parse_period(begin.data(),
		    begin.size(), &s1, &e1)) || (!end.empty() &&
		    !larch_query_parse_period(end.data(), end.size(), &s2,
		    &e2)) || (begin.empty() && end.empty())) {
			/* query.c refuses these first; never throw here. */
			fault.refuse("bad date", value);
			return Xapian::Query::MatchNothing;
		}
		return larch_store_date_query(db, s1, e2);
	}
};

/*
 * The parser for one database.  Free words match the unprefixed terms:
 * new text, subject, author, recipients, attachment text and file names
 * (store_terms.cc indexes them there too); with quotes also quoted text
 * and signatures.
 */
static Xapian::QueryParser
make_parser(const Xapian::Database &db, bool quotes,
    const std::string &language, const char *const *hidden,
    parse_fault &fault)
{
	Xapian::QueryParser qp;
	static const std::string and_group, date_group("date");

	configure_parser(qp, db, language);
	qp.add_prefix("", "");
	/* "Also quoted text" means the whole message: signatures too. */
	if (quotes) {
		qp.add_prefix("", "XQ");
		qp.add_prefix("", "XSIG");
	}
	qp.add_boolean_prefix("from", (new author_field(fault, db,
	    language, hidden))->release(), &and_group);
	/* Boolean, because only boolean prefixes hand a field processor
	 * the whole value; recipients then filter rather than weigh.  The
	 * empty grouping ANDs repeats (to:ann to:bob: both), where list:,
	 * mid: and thread: repeated mean either. */
	qp.add_boolean_prefix("to", (new words_field(fault, "XTO",
	    "XTA", language))->release(), &and_group);
	qp.add_boolean_prefix("cc", (new words_field(fault, "XCC",
	    "XCA", language))->release(), &and_group);
	qp.add_prefix("subject", "S");
	qp.add_prefix("filename", "XFN");
	qp.add_boolean_prefix("list", (new list_field(fault,
	    db))->release());
	qp.add_boolean_prefix("mid", (new mid_field(fault))->release());
	qp.add_boolean_prefix("thread", (new thread_field(fault, db,
	    hidden))->release());
	qp.add_boolean_prefix("is", (new is_field(fault))->release(),
	    &and_group);
	qp.add_boolean_prefix("has", (new has_field(fault))->release(),
	    &and_group);
	/* Repeated, either period. */
	qp.add_boolean_prefix("date", (new date_field(fault, db))->release(),
	    &date_group);
	return qp;
}

static const unsigned PARSE_FLAGS = Xapian::QueryParser::FLAG_PHRASE |
    Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_LOVEHATE |
    Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PURE_NOT |
    Xapian::QueryParser::FLAG_CJK_NGRAM;

/* Messages of any of lists. */
static Xapian::Query
lists_query(const std::vector<std::string> &lists)
{
	std::vector<Xapian::Query> terms;

	for (auto &l : lists)
		terms.emplace_back(bool_term("L", l.c_str()));
	return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

/* Messages of any hidden list, or an empty query when there are none. */
static Xapian::Query
hidden_query(const char *const *hidden)
{
	std::vector<std::string> lists;

	for (size_t i = 0; hidden != nullptr && hidden[i] != nullptr; i++)
		lists.emplace_back(hidden[i]);
	if (lists.empty())
		return Xapian::Query();
	return lists_query(lists);
}

Xapian::Query
larch_store_without_hidden(const Xapian::Query &q, const char *const *hidden)
{
	Xapian::Query h = hidden_query(hidden);

	if (h.empty())
		return q;
	return Xapian::Query(Xapian::Query::OP_AND_NOT, q, h);
}

enum larch_status
larch_store_parse_query(struct larch_store *s, const char *query,
    const struct larch_search_opts *opts, Xapian::Query *out)
{
	bool quotes = opts->quotes;

	struct larch_query_error err;
	char *text = nullptr;

	if (larch_query_prepare(query, &text, &err) != LARCH_OK) {
		set_error(s, std::to_string(err.offset) + ": ", err.reason);
		return LARCH_ERR_PARSE;
	}
	gstr owned(text, g_free);
	/* Outlives the parsers, whose processors refer to it. */
	parse_fault fault;
	try {
		store_languages langs = larch_store_languages(s->all);
		Xapian::QueryParser qp = make_parser(s->all, quotes,
		    langs.deflang, opts->hidden_lists, fault);
		std::vector<Xapian::Query> others;

		*out = qp.parse_query(text, PARSE_FLAGS);
		/* Lists stemmed in another language are searched with their
		 * own stems, and not with the default's. */
		for (auto &l : langs.lists) {
			Xapian::QueryParser lqp = make_parser(s->all, quotes,
			    l.first, opts->hidden_lists, fault);
			Xapian::Query lists = lists_query(l.second);

			*out = Xapian::Query(Xapian::Query::OP_AND_NOT, *out,
			    lists);
			others.emplace_back(Xapian::Query::OP_FILTER,
			    lqp.parse_query(text, PARSE_FLAGS), lists);
		}
		for (auto &q : others)
			*out = Xapian::Query(Xapian::Query::OP_OR, *out, q);
		if (fault.thrown)
			std::rethrow_exception(fault.thrown);
		if (!fault.reason.empty()) {
			set_error(s, "0: ", fault.reason.c_str());
			return LARCH_ERR_PARSE;
		}
		*out = larch_store_phrase_query(*out);
	} catch (const Xapian::QueryParserError &e) {
		set_error(s, "0: ", e.get_msg().c_str());
		return LARCH_ERR_PARSE;
	}
	return LARCH_OK;
}
