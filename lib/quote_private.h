/*
 * Shared between quote.c (the splitter), quote_summary.c, quote_apply.c
 * and quote_rules.c (the rules file and the built-in rules).  Not a public
 * interface.
 */
#ifndef LARCH_QUOTE_PRIVATE_H
#define LARCH_QUOTE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

#include "larch/pattern.h"
#include "larch/quote.h"

/* Lines longer than this are only quoted or new text: no rule but quote
 * markers is tried on them, so a huge line costs one scan. */
#define LARCH_QUOTE_MAX_RULE_LINE 4096

/*
 * A copy of len bytes of s, NUL-terminated and padded with zeros: pcre2's
 * JIT may read a little past the end of a subject, which is harmless but
 * would make valgrind report reads of uninitialised bytes.  g_free() it.
 */
char *larch_quote_padded(const char *s, size_t len);

/* Whether the len bytes of UTF-8 at s hold a letter or digit. */
bool larch_quote_has_alnum(const char *s, size_t len);

/* The kinds of rule a rules file may hold; conf/quotes.conf says what
 * each one means. */
enum larch_quote_rule {
	LARCH_RULE_QUOTE = 0,
	LARCH_RULE_ATTRIBUTION,
	LARCH_RULE_FORWARD,
	LARCH_RULE_FOOTER,
	LARCH_RULE_SNIP,
	LARCH_RULE_SIGNATURE,
	LARCH_RULE_SIGNATURE_WEAK,
	LARCH_RULE_SIGNATURE_LINE,
	LARCH_RULE_SIGNOFF,
	LARCH_RULE_GREETING,
	LARCH_RULE_SUMMARY_END,
	LARCH_RULE_COUNT
};

struct larch_quote_rules {
	/* struct larch_pattern * per kind, in file order; never NULL. */
	GPtrArray *rules[LARCH_RULE_COUNT];
};

/* The text of conf/quotes.conf as compiled in; NUL-terminated, static. */
extern const char larch_quote_builtin_text[];

/*
 * Parses rules text; name is what error messages call it, as in
 * "name:line: reason".  On failure returns LARCH_ERR_INVALID, *out is NULL
 * and *error is set (caller g_free()s).  *out is the caller's, freed with
 * larch_quote_rules_free().
 */
enum larch_status larch_quote_rules_parse(const char *text, size_t len,
    const char *name, struct larch_quote_rules **out, char **error);

/* The keyword of a rule kind as rules files spell it.  Static string. */
const char *larch_quote_rule_name(enum larch_quote_rule kind);

#endif
