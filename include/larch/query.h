/*
 * Checking search queries before Xapian sees them.  Xapian's QueryParser
 * is lenient: an unbalanced quote, an unknown field or "AND" with nothing
 * after it quietly become some other query, often one that matches
 * nothing.  Users deserve to hear what is wrong and where, so the query is
 * checked here first (a pure module: no Xapian, fuzzed on its own), and
 * the few forms the parser cannot take are rewritten into ones it can.
 */
#ifndef LARCH_QUERY_H
#define LARCH_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "larch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LARCH_QUERY_MAX	4096	/* bytes of query text accepted */
/* Wildcards accepted in one query: each may open up to 500 terms'
 * posting lists before the search's time limit applies. */
#define LARCH_QUERY_MAX_WILDCARDS 10

/* Where and why a query was refused. */
struct larch_query_error {
	size_t offset;		/* byte offset in the query */
	char reason[160];	/* lowercase, quotes the culprit */
};

/* The fields the query language knows, NULL-terminated; static. */
extern const char *const larch_query_fields[];

/*
 * Checks query and rewrites it for the store's parser: a single date
 * ("date:2016-05") becomes the range it stands for ("date:2016-05..2016-05"),
 * words and text-field values are accent-folded (larch_fold()), field
 * names lower-cased; the rest is passed through.  *out is a new string (caller g_free()s).
 * LARCH_ERR_PARSE with *err filled in for: an empty query, unbalanced
 * quotes or parentheses, an unknown field ("form:ann"), a field without a
 * value, a bad date, range or is:/has: value, an operator (AND, OR, NOT,
 * XOR, NEAR) missing a side, a query over LARCH_QUERY_MAX bytes, or bytes
 * that are not UTF-8.
 */
enum larch_status larch_query_prepare(const char *query, char **out,
    struct larch_query_error *err);

/*
 * Parses a period "YYYY", "YYYY-MM" or "YYYY-MM-DD" of len bytes into its
 * first and last second, UTC, inclusive.  Returns false when it is not
 * one (bad month or day, year outside 1900..2199).
 */
bool larch_query_parse_period(const char *s, size_t len, int64_t *start,
    int64_t *end);

#ifdef __cplusplus
}
#endif
#endif
