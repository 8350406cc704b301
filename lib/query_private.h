/*
 * Private to the query checker (query.c, query_value.c): its state as it
 * walks a query, and the small helpers both files use.
 */
#ifndef LARCH_QUERY_PRIVATE_H
#define LARCH_QUERY_PRIVATE_H

#include <stdarg.h>
#include <string.h>

#include <glib.h>

#include "larch/query.h"

/* What the last token was, to tell where an operator is allowed. */
enum prev {
	PREV_START,	/* start of the query or just after '(' */
	PREV_OPERAND,
	PREV_BINARY,	/* AND OR XOR NEAR ADJ */
	PREV_NOT,
};

/*
 * A run: operands side by side (ANDed) between operators, parentheses and
 * the ends, which Xapian's grammar reads as one unit.  Its parser misreads
 * three kinds of run, rewritten when the run ends (finish_run()):
 * - only excluded operands ("-a -b"): Xapian cannot exclude from nothing,
 *   silently parses the text again without operators and finds what
 *   contains them; they become "(NOT a NOT b)": every message but those;
 * - after AND, OR, XOR or NOT and starting with "-" ("x OR -a y"): its
 *   grammar has a rule for "AND -" alone; the run goes in parentheses;
 * - a NEAR or ADJ chain beside other operands ("a NEAR b c", "c a NEAR
 *   b"): its grammar reads "b c" first and NEAR as a word; the chain goes
 *   in parentheses.
 * Offsets are in c->out; rewriting a run only moves what follows it.
 */
struct run {
	size_t out_start;	/* its first operand, sign included */
	size_t out_end;		/* the end of its last operand */
	bool after_op;		/* it follows AND, OR, XOR or NOT */
	unsigned operands;	/* a NEAR chain counts once */
	unsigned hated;		/* operands with a '-' */
	bool first_hated;
	GArray *signs;		/* offsets of the hated operands' '-' */
	GArray *chains;		/* start and end of each NEAR chain */
	/* For a parenthesis, what the group is as an operand. */
	size_t group_at, group_out;
	char group_sign;
	size_t group_sign_out;
};

/* An operand, for the NEAR or ADJ that may follow it. */
struct operand {
	size_t at, len;		/* in the query */
	size_t out_start;	/* in c->out, after its sign */
	const char *not_word;	/* what it is when not a single word */
	const char *field;	/* a word's field: "subject", "filename",
				 * or "" for a free word */
};

struct checker {
	const char *q;
	size_t len;
	size_t i;
	GString *out;
	enum prev prev;
	size_t op_offset;	/* of the last operator, for errors */
	const char *op_name;
	struct larch_query_error *err;
	GPtrArray *runs;	/* the query's, then one per open '(' */
	char sign;		/* '+', '-' or 0: of the next operand */
	size_t sign_at, sign_out;
	struct operand last;
	/* The NEAR or ADJ waiting for its right side, as typed. */
	const char *near_op;
	size_t near_len;
	/* The chain of NEARs the last operand ended, if any. */
	bool in_chain;
	size_t chain_start;
	const char *chain_op;
	size_t chain_op_len;
	const char *chain_field;	/* of the chain's words (operand) */
	unsigned operands;	/* in the whole query */
	unsigned wildcards;	/* in the whole query */
	/* The first token Xapian reads as nothing ("!", "*"), for the
	 * error when nothing else is left; dropped_len 0 before. */
	size_t dropped_at, dropped_len;
};

/* Sets c->err to "reason" at offset; LARCH_ERR_PARSE. */
static inline enum larch_status G_GNUC_PRINTF(3, 4)
refuse(struct checker *c, size_t offset, const char *fmt, ...)
{
	va_list ap;
	const char *end;

	c->err->offset = offset;
	va_start(ap, fmt);
	g_vsnprintf(c->err->reason, sizeof c->err->reason, fmt, ap);
	va_end(ap);
	/* A quoted culprit or the buffer's end may cut a character. */
	if (!g_utf8_validate(c->err->reason, -1, &end))
		c->err->reason[end - c->err->reason] = '\0';
	return LARCH_ERR_PARSE;
}

static inline bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* A word ends at a blank or a parenthesis; a quote ends it too unless it
 * follows "field:". */
static inline bool
ends_word(char ch)
{
	return ch == '\0' || is_blank(ch) || ch == '(' || ch == ')';
}

static inline bool
in_list(const char *const *list, const char *s, size_t len)
{
	for (size_t k = 0; list[k] != NULL; k++)
		if (strlen(list[k]) == len &&
		    g_ascii_strncasecmp(list[k], s, len) == 0)
			return true;
	return false;
}

/* Digits only; a value past INT_MAX / 10 saturates there (what matters
 * to the callers is "a number", and dates have four digits at most). */
static inline bool
parse_uint(const char *s, size_t len, int *out)
{
	int v = 0;

	if (len == 0)
		return false;
	for (size_t k = 0; k < len; k++) {
		if (!g_ascii_isdigit(s[k]))
			return false;
		if (v < G_MAXINT / 10)
			v = v * 10 + (s[k] - '0');
	}
	*out = v;
	return true;
}

/* Counts a wildcard at offset at (query.c): LARCH_ERR_PARSE past
 * LARCH_QUERY_MAX_WILDCARDS. */
enum larch_status larch_query_count_wildcard(struct checker *c, size_t at);

/* Whether text[0, len) holds a '*' right after a word's character: a
 * wildcard, which a phrase cannot hold (query.c). */
bool larch_query_has_wildcard(const char *text, size_t len);

/* The value of a known field at c->i (query_value.c): checked, appended
 * to c->out, c->i moved past it. */
enum larch_status larch_query_check_value(struct checker *c,
    const char *field, size_t name_at);

#endif
