/* Private to the store shim: how a document keeps its message's record
 * (store_record.cc). */
#ifndef LARCH_STORE_RECORD_HH
#define LARCH_STORE_RECORD_HH

#include <string>

#include <xapian.h>

/* Gives doc the record json (NUL-terminated), compressed, replacing the
 * one it had.  Throws std::bad_alloc when zlib has no memory. */
void larch_store_set_record(Xapian::Document &doc, const char *json);

/* doc's record as the JSON larch_store_set_record() was given; false when
 * doc has none or it does not decompress (a damaged index). */
bool larch_store_get_record(const Xapian::Document &doc, std::string &json);

#endif
