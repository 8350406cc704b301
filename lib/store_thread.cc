/*
 * The store's threading queries; see include/larch/store.h.  They read the
 * link values (larch_store_links_of), not records: the indexer's threader
 * calls them for every new message.
 */
#include <memory>
#include <string>
#include <vector>

#include "larch/mid.h"
#include "store_private.hh"
#include "store_query.hh"

enum larch_status
larch_store_collect_mid(const struct larch_msg *msg, void *data) noexcept
{
	g_ptr_array_add((GPtrArray *)data, g_strdup(msg->mid));
	return LARCH_OK;
}

/* Hands fn each of msgs (until fn fails, unless status already did) and
 * frees them all. */
static enum larch_status
deliver(std::vector<struct larch_msg *> &msgs, enum larch_status status,
    larch_store_msg_fn fn, void *data)
{
	for (auto *m : msgs) {
		if (status == LARCH_OK)
			status = fn(m, data);
		larch_msg_free(m);
	}
	msgs.clear();
	return status;
}

/* Hands fn the link message of every document that has term, in docid
 * order.  Documents are read first: fn may call back into the store. */
static enum larch_status
walk_term(struct larch_store *s, const std::string &term,
    larch_store_msg_fn fn, void *data)
{
	std::vector<struct larch_msg *> msgs;
	enum larch_status status;

	status = with_retry(s, [&]() {
		for (auto *m : msgs)
			larch_msg_free(m);
		msgs.clear();
		for (auto it = s->all.postlist_begin(term);
		    it != s->all.postlist_end(term); ++it)
			msgs.push_back(larch_store_links_of(
			    s->all.get_document(*it)));
		return LARCH_OK;
	});
	return deliver(msgs, status, fn, data);
}

enum larch_status
larch_store_get_links(struct larch_store *s, const char *mid,
    struct larch_msg **out) noexcept
{
	*out = nullptr;
	if (s == nullptr || mid == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot look up message", [&]() {
		std::string q = bool_term("Q", mid);

		return with_retry(s, [&]() {
			Xapian::PostingIterator it = s->all.postlist_begin(q);

			if (it == s->all.postlist_end(q)) {
				set_error(s, "no message " + quoted(mid),
				    " in the index");
				return LARCH_ERR_NOT_FOUND;
			}
			*out = larch_store_links_of(s->all.get_document(*it));
			return LARCH_OK;
		});
	});
}

enum larch_status
larch_store_header_links(struct larch_store *s, const char *mid,
    larch_store_msg_fn fn, void *data) noexcept
{
	if (s == nullptr || mid == nullptr || fn == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot look up message", [&]() {
		return walk_term(s, bool_term("XMID", mid), fn, data);
	});
}

enum larch_status
larch_store_thread_links(struct larch_store *s, const char *thread,
    larch_store_msg_fn fn, void *data) noexcept
{
	if (s == nullptr || thread == nullptr || fn == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot read thread", [&]() {
		return walk_term(s, bool_term("G", thread), fn, data);
	});
}

enum larch_status
larch_store_referrer_links(struct larch_store *s, const char *mid,
    larch_store_msg_fn fn, void *data) noexcept
{
	if (s == nullptr || mid == nullptr || fn == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot find replies", [&]() {
		return walk_term(s, bool_term("XREF", mid), fn, data);
	});
}

enum larch_status
larch_store_thread_size(struct larch_store *s, const char *thread,
    uint64_t *count) noexcept
{
	*count = 0;
	if (s == nullptr || thread == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot count thread", [&]() {
		std::string g = bool_term("G", thread);

		return with_retry(s, [&]() {
			*count = s->all.get_termfreq(g);
			return LARCH_OK;
		});
	});
}

/* The messages of list (NULL: of every list) whose subject key is key,
 * dated in [from, to]. */
static Xapian::Query
subject_query(const char *list, const char *key, int64_t from, int64_t to)
{
	gstr hex(g_compute_checksum_for_string(G_CHECKSUM_SHA256, key, -1),
	    g_free);
	Xapian::Query q(std::string("XSK") + std::string(hex.get(), 16));

	if (list != nullptr)
		q = Xapian::Query(Xapian::Query::OP_AND, q,
		    Xapian::Query(bool_term("L", list)));
	return Xapian::Query(Xapian::Query::OP_FILTER, q,
	    Xapian::Query(Xapian::Query::OP_VALUE_RANGE, SLOT_DATE,
	    Xapian::sortable_serialise((double)from),
	    Xapian::sortable_serialise((double)to)));
}

/* Keeps the documents whose mid ends with a suffix or is one Mailman's
 * archiver made up (the subscribers' copies had none), or, with shared,
 * whose Message-ID another document carries too. */
class lost_id_decider : public Xapian::MatchDecider {
	const Xapian::Database &db;
	std::string suffix;
	bool shared;
public:
	lost_id_decider(const Xapian::Database &d, const char *s, bool sh) :
	    db(d), suffix(s), shared(sh) {}
	bool operator()(const Xapian::Document &doc) const override
	{
		std::string mid = doc.get_value(SLOT_MID);

		if ((mid.size() >= suffix.size() && mid.compare(
		    mid.size() - suffix.size(), suffix.size(), suffix) == 0) ||
		    larch_mid_is_archive_assigned(mid.c_str()))
			return true;
		if (!shared)
			return false;
		Xapian::TermIterator it = doc.termlist_begin();

		it.skip_to("XMID");
		return it != doc.termlist_end() &&
		    (*it).compare(0, 4, "XMID") == 0 &&
		    db.get_termfreq(*it) > 1;
	}
};

/* The first n matches of q by date, newest first (ties: later added
 * first) or oldest first (earlier added first); only those decider
 * keeps, when there is one. */
static Xapian::MSet
by_date(struct larch_store *s, const Xapian::Query &q, Xapian::doccount n,
    bool newest_first, const Xapian::MatchDecider *decider = nullptr)
{
	Xapian::Enquire enquire(s->all);

	enquire.set_query(q);
	enquire.set_weighting_scheme(larch_store_unweighted());
	enquire.set_docid_order(newest_first ?
	    Xapian::Enquire::DESCENDING : Xapian::Enquire::ASCENDING);
	enquire.set_sort_by_value_then_relevance(SLOT_DATE, newest_first);
	return enquire.get_mset(0, n, 0, nullptr, decider);
}

/* Hands fn the link messages of by_date()'s matches.  The documents are
 * read first: fn may call back into the store. */
static enum larch_status
deliver_by_date(struct larch_store *s, const Xapian::Query &q,
    Xapian::doccount n, bool newest_first,
    const Xapian::MatchDecider *decider, larch_store_msg_fn fn, void *data)
{
	std::vector<struct larch_msg *> msgs;
	enum larch_status status = with_retry(s, [&]() {
		for (auto *m : msgs)
			larch_msg_free(m);
		msgs.clear();
		Xapian::MSet ms = by_date(s, q, n, newest_first, decider);

		for (auto it = ms.begin(); it != ms.end(); ++it)
			msgs.push_back(larch_store_links_of(it.get_document()));
		return LARCH_OK;
	});

	return deliver(msgs, status, fn, data);
}

enum larch_status
larch_store_latest_by_subject(struct larch_store *s, const char *list,
    const char *key, const char *not_mid, int64_t from, int64_t to,
    char **mid) noexcept
{
	*mid = nullptr;
	if (s == nullptr || list == nullptr || key == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot search by subject", [&]() {
		Xapian::Query q = subject_query(list, key, from, to);

		return with_retry(s, [&]() {
			Xapian::MSet ms = by_date(s, q, 2, true);

			for (auto it = ms.begin(); it != ms.end(); ++it) {
				std::string m = it.get_document().get_value(
				    SLOT_MID);

				if (not_mid != nullptr && m == not_mid)
					continue;
				*mid = g_strndup(m.data(), m.size());
				break;
			}
			return LARCH_OK;
		});
	});
}

enum larch_status
larch_store_subject_links(struct larch_store *s, const char *list,
    const char *key, int64_t from, int64_t to, const char *mid_suffix,
    bool or_shared_id, bool newest_first, unsigned max,
    larch_store_msg_fn fn, void *data) noexcept
{
	if (s == nullptr || key == nullptr || fn == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot search by subject", [&]() {
		Xapian::Query q = subject_query(list, key, from, to);
		std::unique_ptr<lost_id_decider> decider;

		if (mid_suffix != nullptr)
			decider.reset(new lost_id_decider(s->all, mid_suffix,
			    or_shared_id));
		return deliver_by_date(s, q, max, newest_first,
		    decider.get(), fn, data);
	});
}

enum larch_status
larch_store_thread_latest(struct larch_store *s, const char *thread,
    int64_t before, unsigned max, larch_store_msg_fn fn, void *data) noexcept
{
	if (s == nullptr || thread == nullptr || fn == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot read thread", [&]() {
		Xapian::Query q(Xapian::Query::OP_FILTER,
		    Xapian::Query(bool_term("G", thread)),
		    Xapian::Query(Xapian::Query::OP_VALUE_LE, SLOT_DATE,
		    Xapian::sortable_serialise((double)before)));

		return deliver_by_date(s, q, max, true, nullptr, fn, data);
	});
}

enum larch_status
larch_store_count_threads(struct larch_store *s, uint64_t *count) noexcept
{
	*count = 0;
	if (s == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot count threads", [&]() {
		return with_retry(s, [&]() {
			*count = count_terms(s->all, "G");
			return LARCH_OK;
		});
	});
}
