/*
 * Private to the query checker (query.c): words as Xapian's QueryParser
 * reads them, for query.c to tell what it will misread.
 */
#ifndef LARCH_QUERY_WORD_H
#define LARCH_QUERY_WORD_H

#include <stdbool.h>
#include <stddef.h>

/* Whether the UTF-8 character at p is one Xapian's parser takes into a
 * word (a letter, digit, mark or connector such as '_'). */
bool larch_query_starts_word(const char *p);

/* Whether len bytes at p hold such a character. */
bool larch_query_has_word(const char *p, size_t len);

/* What the word of len bytes at w is when Xapian's parser does not read
 * it as one term ("a wildcard", ...; static), NULL when it does. */
const char *larch_query_word_not_single(const char *w, size_t len);

#endif
