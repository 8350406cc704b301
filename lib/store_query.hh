/* Private to the store shim: the query language read into a Xapian query
 * (store_query.cc), for store_search.cc. */
#ifndef LARCH_STORE_QUERY_HH
#define LARCH_STORE_QUERY_HH

#include <string>

#include <xapian.h>

#include "larch/search.h"

/* Parses query into *out for opts (quoted text, hidden lists);
 * LARCH_ERR_PARSE with "OFFSET: reason" in the store's error. */
enum larch_status larch_store_parse_query(struct larch_store *s,
    const char *query, const struct larch_search_opts *opts,
    Xapian::Query *out);

/* q without the messages of the hidden lists (NULL-terminated; NULL or
 * empty: q itself). */
Xapian::Query larch_store_without_hidden(const Xapian::Query &q,
    const char *const *hidden);

/*
 * The weighting of matches whose weight decides nothing (date sorts,
 * counts, thread members): every match weighs 0.  Not Xapian's
 * BoolWeight: without a need for the wdf, Xapian 1.4.22 takes a shortcut
 * for a term that indexes every document, and once any document has been
 * deleted it fails there with "DatabaseCorruptError: Unexpected end of
 * posting list" (COUNT of a word in every message answered 403 on a
 * healthy index).  Asking for the wdf makes Xapian read the term's own
 * posting list, which holds the wdf anyway: no slower.
 */
class larch_store_unweighted : public Xapian::Weight {
public:
	larch_store_unweighted() { need_stat(WDF); }
	larch_store_unweighted *clone() const override
	{
		return new larch_store_unweighted();
	}
	void init(double) override {}
	std::string name() const override { return "larch-unweighted"; }
	double get_sumpart(Xapian::termcount, Xapian::termcount,
	    Xapian::termcount) const override { return 0; }
	double get_maxpart() const override { return 0; }
	double get_sumextra(Xapian::termcount, Xapian::termcount) const
	    override { return 0; }
	double get_maxextra() const override { return 0; }
};

/* A Message-ID as the index keeps it (larch_mid_normalise()), or value
 * when it is not one. */
std::string larch_store_normalised_mid(const std::string &value);

#endif
