/*
 * Private to the store shim (lib/store*.cc): the handles, term and slot
 * conventions, and the error helpers every entry point uses.
 */
#ifndef LARCH_STORE_PRIVATE_HH
#define LARCH_STORE_PRIVATE_HH

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xapian.h>

#include "larch/fold.h"
#include "larch/record.h"
#include "larch/store.h"
#include "store_record.hh"

static const Xapian::valueno SLOT_DATE = 0;
static const Xapian::valueno SLOT_MID = 1;
static const Xapian::valueno SLOT_LINKS = 2;
/* The record, compressed (store_record.cc); before schema 11 it was
 * Xapian's document data, and before schema 6 slot 3 held part of a
 * result row. */
static const Xapian::valueno SLOT_RECORD = 3;
static const Xapian::valueno SLOT_THREAD = 4;
static const Xapian::valueno SLOT_QUOTE_SOURCES = 5;
static const Xapian::valueno SLOT_RESULT = 6;
static const Xapian::valueno SLOT_QUOTE_POSITIONS = 7;
static const size_t MAX_TERM = 240;
static const size_t MAX_TEXT = 1024 * 1024;
static const unsigned MAX_SHARDS = 1024;
static const char KEY_SCHEMA[] = "larch:schema";
static const char KEY_SHARDS[] = "larch:shards";

struct larch_store {
	std::string dir;
	bool writable = false;
	bool in_txn = false;
	/* The writer's handles; shards[i] shares its database with
	 * wshards[i], so reads through shards see uncommitted changes. */
	std::vector<Xapian::WritableDatabase> wshards;
	std::vector<Xapian::Database> shards;
	Xapian::Database all;
	std::string error;
	/* How many threads the index holds, counted at the shards'
	 * revisions in threads_at: the bound of a thread estimate. */
	uint64_t threads = 0;
	std::vector<Xapian::rev> threads_at;
	/* The largest wdf of each tier term read so far (store_tiers.cc),
	 * at the shards' revisions in tier_wdf_at; a read-only store's. */
	std::unordered_map<std::string, Xapian::termcount> tier_wdf;
	std::vector<Xapian::rev> tier_wdf_at;
};

struct larch_store_doc {
	Xapian::Document doc;
	std::string mid;
	std::string qterm;
	std::string xmidterm;
};

/* The directory of shard i. */
static inline std::string
shard_path(const struct larch_store *s, unsigned i)
{
	return s->dir + "/shard-" + std::to_string(i);
}

/* How many terms of db start with prefix. */
static inline uint64_t
count_terms(const Xapian::Database &db, const char *prefix)
{
	uint64_t n = 0;

	for (auto it = db.allterms_begin(prefix);
	    it != db.allterms_end(prefix); ++it)
		n++;
	return n;
}

typedef std::unique_ptr<char, void (*)(gpointer)> gstr;

/* Error text helpers.  They run inside catch blocks of noexcept
 * functions, so they take C strings and never throw. */
static inline void
set_error(struct larch_store *s, const char *a, const char *b = "") noexcept
{
	if (s == nullptr)
		return;
	try {
		s->error.assign(a);
		s->error.append(b);
	} catch (...) {
		s->error.clear();
	}
}

static inline void
set_error(struct larch_store *s, const std::string &a,
    const char *b = "") noexcept
{
	set_error(s, a.c_str(), b);
}

static inline void
append_error(struct larch_store *s, const char *b) noexcept
{
	try {
		s->error.append(b);
	} catch (...) {
	}
}

/* Xapian::Error is not polymorphic; its type name tells the class. */
static inline enum larch_status
map_error(const Xapian::Error &e) noexcept
{
	static const struct {
		const char *type;
		enum larch_status status;
	} map[] = {
		{ "DatabaseLockError", LARCH_ERR_LOCKED },
		{ "DatabaseCorruptError", LARCH_ERR_CORRUPT },
		{ "DatabaseModifiedError", LARCH_ERR_MODIFIED },
		{ "DatabaseVersionError", LARCH_ERR_VERSION },
		{ "DatabaseNotFoundError", LARCH_ERR_NOT_FOUND },
		{ "InvalidArgumentError", LARCH_ERR_INVALID },
	};
	const char *type = e.get_type();

	for (const auto &m : map) {
		if (strcmp(type, m.type) == 0)
			return m.status;
	}
	return LARCH_ERR_STORE;
}

static inline enum larch_status
fail(struct larch_store *s, const Xapian::Error &e, const char *what) noexcept
{
	enum larch_status status = map_error(e);

	set_error(s, what, ": ");
	if (status == LARCH_ERR_MODIFIED)
		append_error(s, "the index changed while reading; reopen: ");
	try {
		append_error(s, e.get_description().c_str());
	} catch (...) {
	}
	return status;
}

static inline enum larch_status
fail_nomem(struct larch_store *s) noexcept
{
	set_error(s, "out of memory");
	return LARCH_ERR_NOMEM;
}

static inline enum larch_status
fail_unknown(struct larch_store *s, const char *what) noexcept
{
	set_error(s, what, ": unexpected exception");
	return LARCH_ERR_INTERNAL;
}

static inline std::string
quoted(const std::string &s)
{
	return "'" + s + "'";
}

/* Call at the start of every entry point that changes the index. */
static inline enum larch_status
check_writable(struct larch_store *s)
{
	if (!s->writable) {
		set_error(s, "index " + quoted(s->dir), " is open read-only");
		return LARCH_ERR_INVALID;
	}
	if (!s->in_txn) {
		for (auto &w : s->wshards)
			w.begin_transaction(true);
		s->in_txn = true;
	}
	return LARCH_OK;
}

/* Runs f; in a reader, when the database moved under it, reopens and runs
 * f once more.  f must be safe to repeat. */
template <typename F>
static inline enum larch_status
with_retry(struct larch_store *s, F f)
{
	if (s->writable)
		return f();
	try {
		return f();
	} catch (const Xapian::DatabaseModifiedError &) {
		s->all.reopen();
	}
	return f();
}

static inline std::string
bool_term(const char *prefix, const char *value)
{
	std::string t(prefix);
	size_t len = strlen(value), keep;

	if (g_ascii_isupper(value[0]) || value[0] == ':')
		t += ':';
	if (t.size() + len <= MAX_TERM)
		return t.append(value, len);
	gstr hex(g_compute_checksum_for_data(G_CHECKSUM_SHA256,
	    (const guchar *)value, len), g_free);
	keep = MAX_TERM - t.size() - 1 - 32;
	while (keep > 0 && ((unsigned char)value[keep] & 0xC0) == 0x80)
		keep--;
	t.append(value, keep);
	t += '#';
	t.append(hex.get(), 32);
	return t;
}

/* The value of a boolean term made by bool_term(). */
static inline std::string
term_value(const std::string &term, size_t prefix_len)
{
	size_t skip = prefix_len;

	if (term.size() > skip && term[skip] == ':')
		skip++;
	return term.substr(skip);
}

/* The fields of SLOT_RESULT, in the order larch_store_set_links() joins
 * them. */
enum result_field {
	RESULT_MID, RESULT_DATE, RESULT_THREAD, RESULT_PARENT, RESULT_DEPTH,
	RESULT_LIST, RESULT_FROM, RESULT_FROM_NAME, RESULT_SUBJECT,
	RESULT_SUMMARY, RESULT_FIELDS
};

/* The fields of a value joined by US (0x1f), at least n of them: missing
 * ones are "". */
static inline std::vector<std::string>
split_us(const std::string &v, size_t n = 0)
{
	std::vector<std::string> f;
	size_t start = 0, end;

	while ((end = v.find('\x1f', start)) != std::string::npos) {
		f.push_back(v.substr(start, end - start));
		start = end + 1;
	}
	f.push_back(v.substr(start));
	if (f.size() < n)
		f.resize(n);
	return f;
}

/* An author's display name as the XAN term holds it (larch_fold_name()),
 * "" for none. */
static inline std::string
author_name_key(const char *name)
{
	gstr key(larch_fold_name(name), g_free);

	return key ? std::string(key.get()) : std::string();
}

static inline void
add_bool(Xapian::Document &doc, const char *prefix, const char *value)
{
	if (value != nullptr && value[0] != '\0')
		doc.add_boolean_term(bool_term(prefix, value));
}

static inline unsigned
shard_of(const struct larch_store *s, const char *mid)
{
	uint64_t h = 14695981039346656037ULL;

	if (s->shards.size() <= 1)
		return 0;
	for (const char *p = mid; *p != '\0'; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	return (unsigned)(h % s->shards.size());
}

/* store_terms.cc: gives msg the thread, parent, depth, inferred flag and
 * quote sources that doc's values hold.  The placement lives there, not
 * in the record: the indexer places a message after the record was
 * written on a worker thread, and rewriting the record on the single
 * writer thread cost a tenth of its time. */
void larch_store_apply_links(const Xapian::Document &doc,
    struct larch_msg *msg);

/* Parses a stored record and gives it the placement its link values
 * hold; a bad record means a damaged index. */
static inline enum larch_status
parse_record(struct larch_store *s, const Xapian::Document &doc,
    Xapian::docid id, struct larch_msg **out)
{
	std::string data;

	if (larch_store_get_record(doc, data) &&
	    larch_record_from_json(data.data(), data.size(), out) ==
	    LARCH_OK) {
		larch_store_apply_links(doc, *out);
		return LARCH_OK;
	}
	set_error(s, "index " + quoted(s->dir) + ": document " +
	    std::to_string(id), " holds a bad record");
	return LARCH_ERR_CORRUPT;
}

/* What a failed change costs: Xapian drops every uncommitted change when
 * adding, replacing or deleting a document fails. */
#define LOST " (changes since the last commit are lost)"

/* Runs f for an entry point, mapping every exception to a status and the
 * store's error text (what failed first); loses says the failure of f
 * discards uncommitted changes. */
template <typename F>
static inline enum larch_status
guarded(struct larch_store *s, const char *what, F f,
    bool loses = false) noexcept
{
	enum larch_status status;

	s->error.clear();
	try {
		return f();
	} catch (const Xapian::Error &e) {
		status = fail(s, e, what);
	} catch (const std::bad_alloc &) {
		status = fail_nomem(s);
	} catch (...) {
		status = fail_unknown(s, what);
	}
	if (loses)
		append_error(s, LOST);
	return status;
}

/* store_terms.cc: the thread terms, link values (quote sources
 * included) and result value of msg, replacing what doc had; and the
 * inverse, a link message from a document. */
void larch_store_set_links(Xapian::Document &doc,
    const struct larch_msg *msg);
struct larch_msg *larch_store_links_of(const Xapian::Document &doc);
/* Makes doc's terms that start with prefix exactly want (any order,
 * repeats allowed), touching nothing when they already are, so Xapian
 * rewrites no term. */
void larch_store_set_terms(Xapian::Document &doc, const char *prefix,
    std::vector<std::string> want);
/* A TermGenerator as documents are built: STEM_ALL in language, CJK
 * n-grams.  Queries that split text themselves use it too. */
Xapian::TermGenerator larch_store_make_term_generator(
    const std::string &language);
/* The list terms of msg (its list and the others it was posted to). */
void larch_store_set_lists(Xapian::Document &doc,
    const struct larch_msg *msg);
/* store_article.cc: the article terms of msg, replacing what doc had. */
void larch_store_set_articles(Xapian::Document &doc,
    const struct larch_msg *msg);

#endif
