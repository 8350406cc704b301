/*
 * Searching: the query layer of include/larch/search.h, part of the store
 * shim.  The query text becomes a Xapian query in store_query.cc and is
 * run here by an Enquire.  Result rows are read from one value
 * (SLOT_RESULT), not from records: a page of results parses no JSON; only
 * snippets, when asked for, scan each hit's record for its new text.
 */
#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "larch/search.h"
#include "larch/thread.h"
#include "store_private.hh"
#include "store_query.hh"
#include "store_rows.hh"
#include "store_snippet.hh"
#include "store_tiers.hh"
#include "store_weight.hh"

static char *
dup(const std::string &s)
{
	return g_strndup(s.data(), s.size());
}

/* The copies a long-lived reader keeps in memory of each shard
 * (store_rows.cc), NULL for a shard without one at its present revision;
 * none for a writer. */
typedef std::vector<std::shared_ptr<const larch_rows>> held_rows;

static held_rows
find_held(const struct larch_store *s)
{
	held_rows held(s->shards.size());

	if (!s->writable)
		for (unsigned i = 0; i < s->shards.size(); i++)
			held[i] = larch_rows_find(s->shards[i],
			    shard_path(s, i));
	return held;
}

/*
 * The result values (SLOT_RESULT) of the documents ids: from the copies
 * held when there are, else through the slot's value stream in docid
 * order (Document::get_value() looks each value up on its own, a stream
 * moves forward and keeps its chunk).  "" for a document without one (an
 * index written before it).
 */
static std::vector<std::string>
read_results(const struct larch_store *s, const held_rows &held,
    const std::vector<Xapian::docid> &ids)
{
	std::vector<std::string> vals(ids.size());
	std::vector<size_t> order;
	size_t n = s->shards.size();

	for (size_t i = 0; i < ids.size(); i++) {
		/* Xapian interleaves the shards' docids. */
		size_t shard = (ids[i] - 1) % n;

		if (!held[shard] || !held[shard]->get((ids[i] - 1) / n + 1,
		    &vals[i]))
			order.push_back(i);
	}
	if (order.empty())
		return vals;
	Xapian::ValueIterator v = s->all.valuestream_begin(SLOT_RESULT);
	Xapian::ValueIterator end = s->all.valuestream_end(SLOT_RESULT);

	std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
		return ids[a] < ids[b];
	});
	for (size_t i : order) {
		if (v == end)
			break;
		v.skip_to(ids[i]);
		if (v != end && v.get_docid() == ids[i])
			vals[i] = *v;
	}
	return vals;
}

/*
 * Fills a row from its result value (read_results()).  One copy of the
 * value, cut in place at its separators, holds all of the row's strings
 * but the snippet: ten allocations a row, and their frees, were 8.7% of
 * the instructions of a date: query's answer (callgrind).  A field the
 * value lacks is one of the spare NULs after it.
 */
static void
fill_row(struct larch_search_row *row, const std::string &v)
{
	char *date = nullptr, *depth = nullptr;
	char **fields[] = { &row->mid, &date, &row->thread, &row->parent,
	    &depth, &row->list, &row->from, &row->from_name, &row->subject,
	    &row->summary };
	const size_t n = G_N_ELEMENTS(fields);
	char *block = (char *)g_malloc(v.size() + 1 + n);
	char *p = block, *end = block + v.size(), *spare = end + 1;

	memcpy(block, v.data(), v.size());
	memset(end, 0, 1 + n);
	for (size_t i = 0; i < n; i++) {
		char *us;

		if (p == nullptr) {
			*fields[i] = spare++;
			continue;
		}
		*fields[i] = p;
		us = (char *)memchr(p, '\x1f', (size_t)(end - p));
		if (us != nullptr)
			*us = '\0';
		p = us != nullptr ? us + 1 : nullptr;
	}
	row->strings_ = block;
	row->date = g_ascii_strtoll(date, nullptr, 10);
	row->depth = (int)g_ascii_strtoll(depth, nullptr, 10);
}

/* Visible messages of thread: the G term's frequency when nothing is
 * hidden, else a count that leaves the hidden lists out. */
static uint32_t
thread_size(const Xapian::Database &db, const std::string &thread,
    const char *const *hidden)
{
	std::string g = bool_term("G", thread.c_str());

	if (thread.empty())
		return 1;
	if (hidden == nullptr || hidden[0] == nullptr)
		return (uint32_t)db.get_termfreq(g);
	Xapian::Enquire e(db);
	e.set_query(larch_store_without_hidden(Xapian::Query(g), hidden));
	e.set_weighting_scheme(larch_store_unweighted());
	return (uint32_t)e.get_mset(0, 0, db.get_doccount())
	    .get_matches_estimated();
}

static struct larch_search_result *
new_result(size_t n)
{
	auto *r = g_new0(struct larch_search_result, 1);

	r->rows = g_new0(struct larch_search_row, MAX(n, 1));
	return r;
}

void
larch_search_result_free(struct larch_search_result *r)
{
	if (r == nullptr)
		return;
	for (unsigned i = 0; i < r->n_rows; i++) {
		struct larch_search_row *row = &r->rows[i];

		g_free(row->strings_);
		g_free(row->snippet);
	}
	g_free(r->rows);
	g_free(r);
}

bool
larch_search_is_hidden(const struct larch_msg *msg,
    const char *const *hidden)
{
	for (size_t i = 0; hidden != nullptr && hidden[i] != nullptr; i++) {
		if (msg->list != nullptr && strcmp(msg->list, hidden[i]) == 0)
			return true;
		for (guint k = 0; k < msg->also_lists->len; k++)
			if (strcmp((const char *)msg->also_lists->pdata[k],
			    hidden[i]) == 0)
				return true;
	}
	return false;
}

/* Sets up an Enquire for opts: order, collapsing, and time budget. */
static void
configure(Xapian::Enquire &e, const struct larch_search_opts *o)
{
	if (o->sort == LARCH_SORT_RELEVANCE) {
		/* BM25 without length normalisation (b = 0): reading every
		 * match's document length was two thirds of a one-word
		 * query's time on 100k messages, and in a mailing list a
		 * long message is no less about its words.  Ties, common
		 * then, go to the older message (lower docid: archives are
		 * read in order), who said it first; and a query of filters
		 * only, all ties, stops after its first page instead of
		 * reading every match to find the newest. */
		e.set_weighting_scheme(larch_bm25());
	} else {
		/* Dates decide the order: weights would be wasted work. */
		e.set_weighting_scheme(larch_store_unweighted());
		e.set_sort_by_value(SLOT_DATE, o->sort == LARCH_SORT_NEWEST);
		e.set_docid_order(o->sort == LARCH_SORT_NEWEST ?
		    Xapian::Enquire::DESCENDING : Xapian::Enquire::ASCENDING);
	}
	if (o->threads)
		e.set_collapse_key(SLOT_THREAD);
	if (o->time_limit_ms > 0)
		e.set_time_limit(o->time_limit_ms / 1000.0);
}

/*
 * The exact number of matches of e, or of their threads.  Collapsing
 * cannot count threads: with no rows asked for, Xapian only estimates the
 * collapsed total.  A match spy on the thread slot sees every match and
 * counts the distinct threads; a message without a thread is one.
 */
static uint64_t
exact_count(const Xapian::Database &db, Xapian::Enquire &e, bool threads)
{
	Xapian::ValueCountMatchSpy spy(SLOT_THREAD);
	uint64_t distinct = 0, threaded = 0;

	e.set_weighting_scheme(larch_store_unweighted());
	if (threads)
		e.add_matchspy(&spy);
	Xapian::MSet ms = e.get_mset(0, 0, db.get_doccount());
	e.clear_matchspies();
	if (!threads)
		return ms.get_matches_estimated();
	for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
		distinct++;
		threaded += it.get_termfreq();
	}
	return distinct + (spy.get_total() - threaded);
}

typedef std::chrono::steady_clock clock_type;

static bool
timed_out(clock_type::time_point start, const struct larch_search_opts *o)
{
	auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
	    clock_type::now() - start).count();

	return o->time_limit_ms > 0 && ms >= (long long)o->time_limit_ms;
}

static const size_t SNIPPET_BYTES = 200;

/* The snippet of a hit, from the new text in its record (scanned, not
 * parsed), or its summary when it has none. */
static char *
make_snippet(const Xapian::Query &query, const Xapian::Document &doc)
{
	std::string data;

	if (!larch_store_get_record(doc, data))
		return g_strdup("");
	gstr text(larch_record_get_string(data.data(), data.size(),
	    "new_text"), g_free);

	if (!text)
		text.reset(larch_record_get_string(data.data(), data.size(),
		    "summary"));
	if (!text)
		return g_strdup("");
	return dup(larch_store_snippet(query, text.get(), SNIPPET_BYTES));
}

/* The shards' revisions: what a figure read from the index was read at.
 * The shards share their databases with s->all, so reopening that moves
 * them too. */
static std::vector<Xapian::rev>
shard_revisions(const struct larch_store *s)
{
	std::vector<Xapian::rev> at;

	for (const auto &d : s->shards)
		at.push_back(d.get_revision());
	return at;
}

/*
 * The number of threads in the index (its thread terms), counted again
 * only after a commit (a shard's revision moved).  Xapian's estimate of a
 * collapsed total can exceed it many times over (2,000 threads of 20).
 */
static uint64_t
thread_bound(struct larch_store *s)
{
	std::vector<Xapian::rev> at = shard_revisions(s);

	if (at != s->threads_at) {
		s->threads = count_terms(s->all, "G");
		s->threads_at = at;
	}
	return s->threads;
}

/* The store's largest wdfs of tier terms, emptied when a shard moved to
 * another revision or it grew large; none for a writer, whose searches
 * see changes not committed, and so no new revision. */
static larch_tier_wdf *
tier_wdf(struct larch_store *s)
{
	static const size_t MOST = 100000;

	if (s->writable)
		return nullptr;
	std::vector<Xapian::rev> at = shard_revisions(s);
	if (at != s->tier_wdf_at || s->tier_wdf.size() > MOST) {
		s->tier_wdf.clear();
		s->tier_wdf_at = at;
	}
	return &s->tier_wdf;
}

/* The held copies' frequent terms (store_hot.cc), or none unless every
 * shard has them. */
static std::vector<std::shared_ptr<const larch_hot>>
held_hot(const held_rows &held)
{
	std::vector<std::shared_ptr<const larch_hot>> hot;

	for (auto &rows : held) {
		if (!rows || !rows->hot)
			return {};
		hot.push_back(rows->hot);
	}
	return hot;
}

/* Xapian's estimate of the total, for a page whose found matches are
 * known to match. */
static void
estimate_total(Xapian::Enquire &e, Xapian::doccount found, uint64_t *total,
    bool *total_exact, uint64_t *lower)
{
	Xapian::MSet guess = e.get_mset(0, 0);

	*total = std::max<uint64_t>(guess.get_matches_estimated(), found);
	*total_exact = guess.get_matches_lower_bound() ==
	    guess.get_matches_upper_bound();
	*lower = guess.get_matches_lower_bound();
}

/* The items of ms at the indexes page, as hits. */
static void
hits_of(const Xapian::MSet &ms, const std::vector<Xapian::doccount> &page,
    std::vector<larch_hot_hit> *hits)
{
	hits->clear();
	for (Xapian::doccount i : page)
		hits->push_back({ *ms[i], ms[i].get_weight(),
		    ms[i].get_percent() });
}

/*
 * The page of matches.  By relevance and without collapsing, a
 * long-lived reader's copies of the frequent terms' postings find it
 * without Xapian's matcher (store_hot_match.cc), and otherwise the tier
 * terms often find the best matches without weighing the rest
 * (store_tiers.cc), the total then Xapian's estimate from the words'
 * frequencies; failing both, Xapian stops once it has the page (plus
 * one, to know whether more follow) and estimates the total from what
 * it read.  *lower is the least the total can be.
 */
static void
find_page(struct larch_store *s, const held_rows &held, Xapian::Enquire &e,
    const Xapian::Query &query, const struct larch_search_opts *o,
    std::vector<larch_hot_hit> *hits, uint64_t *total, bool *total_exact,
    uint64_t *lower)
{
	Xapian::doccount want = o->offset + o->limit;
	bool by_relevance = o->sort == LARCH_SORT_RELEVANCE && !o->threads;
	std::vector<std::shared_ptr<const larch_hot>> hot = held_hot(held);
	bool counted;
	Xapian::MSet ms;
	std::vector<Xapian::doccount> page;

	if (by_relevance && !hot.empty() && larch_hot_page(s->all, s->shards,
	    hot, query, want, hits, total, &counted)) {
		if (!counted) {
			estimate_total(e, hits->size(), total, total_exact,
			    lower);
		} else {
			*total_exact = true;
			*lower = *total;
		}
		hits->erase(hits->begin(), hits->begin() +
		    std::min<size_t>(o->offset, hits->size()));
		return;
	}
	if (by_relevance && larch_store_tiered_mset(s->all, query, want,
	    o->time_limit_ms / 1000.0, tier_wdf(s), &ms, &page)) {
		estimate_total(e, want, total, total_exact, lower);
		page.erase(page.begin(), page.begin() + o->offset);
		hits_of(ms, page, hits);
		return;
	}
	ms = e.get_mset(o->offset, o->limit, want + 1);
	/* A refused tier run may have left rows. */
	page.clear();
	for (Xapian::doccount i = 0; i < ms.size(); i++)
		page.push_back(i);
	hits_of(ms, page, hits);
	*total = ms.get_matches_estimated();
	*total_exact = ms.get_matches_lower_bound() ==
	    ms.get_matches_upper_bound();
	*lower = ms.get_matches_lower_bound();
}

static enum larch_status
run_search(struct larch_store *s, const Xapian::Query &query,
    const struct larch_search_opts *o, struct larch_search_result **out)
{
	auto start = clock_type::now();
	Xapian::Enquire e(s->all);
	bool exact;

	e.set_query(query);
	configure(e, o);
	/* The total is estimated (find_page()): counting even 2000
	 * matches doubled the time of broad one-word queries.  An exact
	 * total is counted apart, unweighted (exact_count()): weighing every match
	 * to count it made SEARCH EXACT a third as fast as COUNT.  With
	 * hidden lists the total is always counted: Xapian estimates from
	 * term frequencies, the hidden messages' too, so the estimate told
	 * how many of them match (211 200 where 2 were visible). */
	exact = o->exact || (o->hidden_lists != nullptr &&
	    o->hidden_lists[0] != nullptr);
	held_rows held = find_held(s);
	std::vector<larch_hot_hit> hits;
	uint64_t total, lower;
	bool total_exact;
	find_page(s, held, e, query, o, &hits, &total, &total_exact, &lower);
	if (timed_out(start, o)) {
		set_error(s, "the search ran out of its time limit");
		return LARCH_ERR_TIMEOUT;
	}
	auto *r = new_result(hits.size());
	std::unique_ptr<struct larch_search_result,
	    void (*)(struct larch_search_result *)> guard(r,
	    larch_search_result_free);

	std::map<std::string, uint32_t> sizes;

	r->total = total;
	r->total_exact = total_exact;
	if (o->threads && !r->total_exact)
		r->total = std::max<uint64_t>(std::min<uint64_t>(r->total,
		    thread_bound(s)), lower);
	if (exact) {
		Xapian::Enquire count(s->all);

		count.set_query(query);
		if (o->time_limit_ms > 0)
			count.set_time_limit(o->time_limit_ms / 1000.0);
		r->total = exact_count(s->all, count, o->threads);
		r->total_exact = true;
		if (timed_out(start, o)) {
			set_error(s, "the search ran out of its time limit");
			return LARCH_ERR_TIMEOUT;
		}
	}
	std::vector<Xapian::docid> ids;
	for (auto &h : hits)
		ids.push_back(h.did);
	std::vector<std::string> vals = read_results(s, held, ids);
	for (auto &h : hits) {
		struct larch_search_row *row = &r->rows[r->n_rows];

		fill_row(row, vals[r->n_rows++]);
		row->snippet = o->snippets ? make_snippet(query,
		    s->all.get_document(h.did)) : g_strdup("");
		row->score = o->sort == LARCH_SORT_RELEVANCE ?
		    h.percent : -1;
		if (o->skip_thread_sizes)
			continue;
		/* With hidden lists a size is a count of its own; rows of
		 * one thread share it. */
		auto known = sizes.find(row->thread);
		if (known == sizes.end())
			known = sizes.emplace(row->thread, thread_size(s->all,
			    row->thread, o->hidden_lists)).first;
		row->messages = known->second;
	}
	*out = guard.release();
	return LARCH_OK;
}

enum larch_status
larch_store_search(struct larch_store *s, const char *query,
    const struct larch_search_opts *opts, struct larch_search_result **out)
    noexcept
{
	*out = nullptr;
	if (s == nullptr || query == nullptr || opts == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot search", [&]() {
		return with_retry(s, [&]() {
			Xapian::Query q;
			enum larch_status status = larch_store_parse_query(s, query,
			    opts, &q);

			if (status != LARCH_OK)
				return status;
			larch_search_result_free(*out);
			*out = nullptr;
			return run_search(s, larch_store_without_hidden(q,
			    opts->hidden_lists), opts, out);
		});
	});
}

enum larch_status
larch_store_search_count(struct larch_store *s, const char *query,
    const struct larch_search_opts *opts, uint64_t *count) noexcept
{
	*count = 0;
	if (s == nullptr || query == nullptr || opts == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot count", [&]() {
		return with_retry(s, [&]() {
			auto start = clock_type::now();
			Xapian::Query q;
			enum larch_status status = larch_store_parse_query(s, query,
			    opts, &q);

			if (status != LARCH_OK)
				return status;
			Xapian::Enquire e(s->all);
			e.set_query(larch_store_without_hidden(q, opts->hidden_lists));
			if (opts->time_limit_ms > 0)
				e.set_time_limit(opts->time_limit_ms / 1000.0);
			*count = exact_count(s->all, e, opts->threads);
			if (timed_out(start, opts)) {
				set_error(s, "the count ran out of its time "
				    "limit");
				return LARCH_ERR_TIMEOUT;
			}
			return LARCH_OK;
		});
	});
}

/* A thread's visible members as link messages (for larch_thread_sort)
 * with their documents, in thread order. */
static enum larch_status
thread_rows(struct larch_store *s, const char *mid,
    const char *const *hidden, struct larch_search_result **out)
{
	std::string id = larch_store_normalised_mid(mid);
	std::string q = bool_term("Q", id.c_str());
	std::string g = bool_term("G", id.c_str());
	Xapian::PostingIterator it = s->all.postlist_begin(q);
	Xapian::Query members(g);

	if (it != s->all.postlist_end(q)) {
		Xapian::Enquire visible(s->all);
		visible.set_query(larch_store_without_hidden(Xapian::Query(q),
		    hidden));
		if (visible.get_mset(0, 1).empty()) {
			set_error(s, "no message " + quoted(mid),
			    " in the index");
			return LARCH_ERR_NOT_FOUND;
		}
		Xapian::Document doc = s->all.get_document(*it);
		std::string thread = split_us(doc.get_value(SLOT_LINKS), 1)[0];
		members = thread.empty() ? Xapian::Query(q) :
		    Xapian::Query(bool_term("G", thread.c_str()));
	}
	/* Else mid may be a thread's id (a row's second field), which
	 * names the thread as any of its messages does. */
	Xapian::Enquire e(s->all);
	e.set_query(larch_store_without_hidden(members, hidden));
	e.set_weighting_scheme(larch_store_unweighted());
	Xapian::MSet ms = e.get_mset(0, s->all.get_doccount());
	if (ms.empty()) {
		set_error(s, "no message " + quoted(mid), " in the index");
		return LARCH_ERR_NOT_FOUND;
	}

	/* larch_thread_sort orders link messages; the documents follow
	 * them through a mid -> document map. */
	GPtrArray *links = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)larch_msg_free);
	std::unique_ptr<GPtrArray, void (*)(GPtrArray *)> lguard(links,
	    [](GPtrArray *a) { g_ptr_array_free(a, TRUE); });
	std::map<std::string, Xapian::Document> docs;
	for (auto m = ms.begin(); m != ms.end(); ++m) {
		Xapian::Document d = m.get_document();
		struct larch_msg *l = larch_store_links_of(d);

		if (l->mid == nullptr) {
			larch_msg_free(l);
			continue;
		}
		docs.emplace(l->mid, d);
		g_ptr_array_add(links, l);
	}
	larch_thread_sort(links);
	auto *r = new_result(links->len);
	std::unique_ptr<struct larch_search_result,
	    void (*)(struct larch_search_result *)> guard(r,
	    larch_search_result_free);
	std::vector<Xapian::docid> ids;
	for (guint i = 0; i < links->len; i++)
		ids.push_back(docs.at(((struct larch_msg *)
		    links->pdata[i])->mid).get_docid());
	std::vector<std::string> vals = read_results(s, find_held(s), ids);
	for (guint i = 0; i < links->len; i++) {
		struct larch_search_row *row = &r->rows[r->n_rows++];

		fill_row(row, vals[i]);
		row->snippet = g_strdup("");
		row->score = -1;
		row->messages = links->len;
	}
	r->total = r->n_rows;
	r->total_exact = true;
	*out = guard.release();
	return LARCH_OK;
}

enum larch_status
larch_store_thread_rows(struct larch_store *s, const char *mid,
    const char *const *hidden, struct larch_search_result **out) noexcept
{
	*out = nullptr;
	if (s == nullptr || mid == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot read thread", [&]() {
		return with_retry(s, [&]() {
			larch_search_result_free(*out);
			*out = nullptr;
			return thread_rows(s, mid, hidden, out);
		});
	});
}

static bool
is_in(const char *const *hidden, const std::string &name)
{
	for (size_t i = 0; hidden != nullptr && hidden[i] != nullptr; i++)
		if (name == hidden[i])
			return true;
	return false;
}

/* A list's figures: messages (those also in a hidden list left out),
 * threads among them, first and last date. */
static void
list_info(const Xapian::Database &db, const std::string &name,
    const char *const *hidden, struct larch_list_info *info)
{
	Xapian::Query lq = larch_store_without_hidden(Xapian::Query(bool_term("L",
	    name.c_str())), hidden);
	Xapian::Enquire e(db);

	e.set_query(lq);
	info->messages = exact_count(db, e, false);
	info->threads = exact_count(db, e, true);
	for (int newest = 0; newest < 2; newest++) {
		e.set_sort_by_value(SLOT_DATE, newest == 1);
		Xapian::MSet ms = e.get_mset(0, 1);
		if (ms.empty())
			continue;
		std::string d = ms.begin().get_document().get_value(SLOT_DATE);
		int64_t t = d.empty() ? 0 :
		    (int64_t)Xapian::sortable_unserialise(d);
		if (newest)
			info->last = t;
		else
			info->first = t;
	}
}

enum larch_status
larch_store_list_infos(struct larch_store *s, const char *const *hidden,
    larch_list_info_fn fn, void *data) noexcept
{
	std::vector<std::string> names;
	std::vector<struct larch_list_info> infos;

	if (s == nullptr || fn == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot list mailing lists", [&]() {
		enum larch_status status = with_retry(s, [&]() {
			names.clear();
			infos.clear();
			for (auto it = s->all.allterms_begin("L");
			    it != s->all.allterms_end("L"); ++it) {
				std::string n = term_value(*it, 1);

				if (!is_in(hidden, n))
					names.push_back(n);
			}
			std::sort(names.begin(), names.end());
			for (auto &n : names) {
				struct larch_list_info info = {};

				list_info(s->all, n, hidden, &info);
				infos.push_back(info);
			}
			return LARCH_OK;
		});
		for (size_t i = 0; status == LARCH_OK && i < infos.size();
		    i++) {
			infos[i].name = const_cast<char *>(names[i].c_str());
			status = fn(&infos[i], data);
		}
		return status;
	});
}
