/*
 * Pipermail article pages in the index: the terms that find a message by
 * the page that shows it, and the lookups the indexer and larchd make.
 * Part of the store shim; see store.cc for the term prefixes.
 */
#include "larch/article.h"
#include "larch/thread.h"
#include "store_private.hh"
#include "store_query.hh"

/* The value of an article's terms: "[LIST/]2016-May/3251". */
static std::string
article_value(const char *list, const char *month, uint32_t number)
{
	std::string v;

	if (list != nullptr)
		v.append(list).append(1, '/');
	v.append(month).append(1, '/').append(std::to_string(number));
	return v;
}

void
larch_store_set_articles(Xapian::Document &doc, const struct larch_msg *msg)
{
	std::vector<std::string> with_list, month_only;

	for (guint i = 0; i < msg->articles->len; i++) {
		const struct larch_article *a =
		    (const struct larch_article *)msg->articles->pdata[i];

		if (a->month == nullptr)
			continue;
		if (a->list != nullptr && a->list[0] != '\0')
			with_list.push_back(bool_term("XPA", article_value(
			    a->list, a->month, a->number).c_str()));
		month_only.push_back(bool_term("XPM", article_value(nullptr,
		    a->month, a->number).c_str()));
	}
	/* Most record updates leave the articles alone: then Xapian need
	 * rewrite no term. */
	larch_store_set_terms(doc, "XPA", with_list);
	larch_store_set_terms(doc, "XPM", month_only);
}

enum larch_status
larch_store_find_article(struct larch_store *s, const char *list,
    const char *month, uint32_t number, char ***mids) noexcept
{
	std::vector<std::string> found;

	if (mids != nullptr)
		*mids = nullptr;
	if (s == nullptr || month == nullptr || mids == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot look up article", [&]() {
		gstr canon(larch_article_volume(month, strlen(month)), g_free);

		if (!canon) {
			set_error(s, "not a pipermail month: " +
			    quoted(month), " (want YYYY-Month or another "
			    "archive volume's folder name)");
			return LARCH_ERR_INVALID;
		}
		std::string t = list != nullptr ? bool_term("XPA",
		    article_value(list, canon.get(), number).c_str()) :
		    bool_term("XPM", article_value(nullptr, canon.get(),
		    number).c_str());
		enum larch_status st = with_retry(s, [&]() {
			found.clear();
			for (auto it = s->all.postlist_begin(t);
			    it != s->all.postlist_end(t); ++it)
				found.push_back(s->all.get_document(*it).
				    get_value(SLOT_MID));
			return LARCH_OK;
		});

		if (st != LARCH_OK)
			return st;
		if (found.empty()) {
			gstr tail(g_strdup_printf("%s/%06" G_GUINT32_FORMAT
			    ".html", canon.get(), number), g_free);

			set_error(s, "no message at pipermail article " +
			    quoted((list != nullptr ? std::string(list) +
			    "/" : std::string()) + tail.get()),
			    " in the index");
			return LARCH_ERR_NOT_FOUND;
		}
		*mids = g_new0(char *, found.size() + 1);
		for (size_t i = 0; i < found.size(); i++)
			(*mids)[i] = g_strndup(found[i].data(),
			    found[i].size());
		return LARCH_OK;
	});
}

enum larch_status
larch_store_author_subject_links(struct larch_store *s, const char *addr,
    const char *subject, int64_t from, int64_t to, larch_store_msg_fn fn,
    void *data) noexcept
{
	std::vector<struct larch_msg *> found;
	enum larch_status status;

	if (s == nullptr || addr == nullptr || subject == nullptr ||
	    fn == nullptr)
		return LARCH_ERR_INVALID;
	status = guarded(s, "cannot search by author and subject", [&]() {
		gstr key(larch_thread_subject_key(subject), g_free);

		if (key.get()[0] == '\0' || addr[0] == '\0')
			return LARCH_OK;
		gstr hex(g_compute_checksum_for_string(G_CHECKSUM_SHA256,
		    key.get(), -1), g_free);
		Xapian::Query q(Xapian::Query::OP_FILTER,
		    Xapian::Query(Xapian::Query::OP_AND,
		    Xapian::Query(std::string("XSK") +
		    std::string(hex.get(), 16)),
		    Xapian::Query(bool_term("XA", addr))),
		    Xapian::Query(Xapian::Query::OP_VALUE_RANGE, SLOT_DATE,
		    Xapian::sortable_serialise((double)from),
		    Xapian::sortable_serialise((double)to)));

		return with_retry(s, [&]() {
			Xapian::Enquire enquire(s->all);

			for (auto *m : found)
				larch_msg_free(m);
			found.clear();
			enquire.set_query(q);
			enquire.set_weighting_scheme(larch_store_unweighted());
			enquire.set_docid_order(Xapian::Enquire::ASCENDING);
			/* One author does not post one subject more often
			 * than this in the window the callers use. */
			Xapian::MSet ms = enquire.get_mset(0, 64);
			for (auto it = ms.begin(); it != ms.end(); ++it)
				found.push_back(larch_store_links_of(
				    it.get_document()));
			return LARCH_OK;
		});
	});
	/* Read everything first: fn may call back into the store. */
	for (auto *m : found) {
		if (status == LARCH_OK)
			status = fn(m, data);
		larch_msg_free(m);
	}
	return status;
}
