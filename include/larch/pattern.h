/*
 * Regular expressions: the only module that sees pcre2.  Patterns are
 * compiled once (with JIT when available) and may then be matched from any
 * number of threads at once.
 */
#ifndef LARCH_PATTERN_H
#define LARCH_PATTERN_H

#include <stdbool.h>
#include <stddef.h>

#include "larch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct larch_pattern;

enum larch_pattern_flags {
	LARCH_PATTERN_CASELESS = 1 << 0,
	LARCH_PATTERN_MULTILINE = 1 << 1,	/* ^ and $ at line ends */
	LARCH_PATTERN_UTF = 1 << 2,		/* subject and pattern UTF-8 */
	LARCH_PATTERN_DOTALL = 1 << 3,
	LARCH_PATTERN_EXTENDED = 1 << 4,	/* whitespace and # comments */
};

#define LARCH_PATTERN_MAX_GROUPS 10

/* Byte offsets of a match and its groups; -1 where a group did not take
 * part.  group[0] is the whole match. */
struct larch_match {
	long start[LARCH_PATTERN_MAX_GROUPS];
	long end[LARCH_PATTERN_MAX_GROUPS];
};

/*
 * Compiles regex.  On a syntax error returns LARCH_ERR_INVALID and, when
 * error is not NULL, sets *error to a new string "offset N: reason" that
 * the caller g_free()s.
 */
enum larch_status larch_pattern_new(const char *regex, unsigned flags,
    struct larch_pattern **out, char **error);
void larch_pattern_free(struct larch_pattern *pattern);

/*
 * Searches subject[start..len) for the pattern.  Returns true on a match
 * and fills m when it is not NULL.  Invalid UTF-8 in a UTF pattern's
 * subject is not an error: it simply does not match.
 */
bool larch_pattern_find(const struct larch_pattern *pattern,
    const char *subject, size_t len, size_t start, struct larch_match *m);

/* True when the pattern matches at offset start exactly (anchored): the
 * match starts there, so \K has no place in such a pattern. */
bool larch_pattern_matches_at(const struct larch_pattern *pattern,
    const char *subject, size_t len, size_t start, struct larch_match *m);

/*
 * Replaces every match in subject with replacement ($1 etc. refer to
 * groups).  Returns a new NUL-terminated string (caller g_free()s), or NULL
 * if substitution failed; *out_len gets its length when not NULL.
 */
char *larch_pattern_replace_all(const struct larch_pattern *pattern,
    const char *subject, size_t len, const char *replacement,
    size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif
