/* Private to the store shim: date terms and date ranges (store_dates.cc). */
#ifndef LARCH_STORE_DATES_HH
#define LARCH_STORE_DATES_HH

#include "store_private.hh"

/* Adds the XDY, XDM and XDD terms of a message dated date (UTC). */
void larch_store_add_date_terms(Xapian::Document &doc, int64_t date);

/*
 * Messages dated from..to (seconds, inclusive; whole UTC days), as an OR
 * of date terms, clamped to the dates the index holds.
 */
Xapian::Query larch_store_date_query(const Xapian::Database &db,
    int64_t from, int64_t to);

#endif
