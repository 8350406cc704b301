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

/* A Message-ID as the index keeps it (larch_mid_normalise()), or value
 * when it is not one. */
std::string larch_store_normalised_mid(const std::string &value);

#endif
