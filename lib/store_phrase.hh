/* Private to the store shim: phrases over the words the index keeps
 * without positions, quoted text and signatures (store_phrase.cc). */
#ifndef LARCH_STORE_PHRASE_HH
#define LARCH_STORE_PHRASE_HH

#include <string>

#include <xapian.h>

/* The value for SLOT_QUOTE_POSITIONS of the terms of doc that have
 * positions (doc: a scratch document of quoted text and signature);
 * empty when none has. */
std::string larch_store_encode_positions(const Xapian::Document &doc);

/* parsed, a query parser's query, with each phrase and NEAR of quoted or
 * signature words made one Xapian can match without their positions in
 * the index. */
Xapian::Query larch_store_phrase_query(const Xapian::Query &parsed);

#endif
