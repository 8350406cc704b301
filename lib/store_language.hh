/* Private to the store shim: which language each list is stemmed in
 * (store_language.cc). */
#ifndef LARCH_STORE_LANGUAGE_HH
#define LARCH_STORE_LANGUAGE_HH

#include <map>
#include <string>
#include <vector>

#include "store_private.hh"

/* The languages the index was written in: *deflang for lists without
 * their own, and the lists of every other language, by language. */
struct store_languages {
	std::string deflang = LARCH_STORE_LANGUAGE;
	std::map<std::string, std::vector<std::string>> lists;
};

store_languages larch_store_languages(const Xapian::Database &db);

#endif
