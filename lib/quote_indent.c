/*
 * Quotes shown by indentation alone.  Outlook for Mac puts the original
 * under its attribution ("On 1/3/22, 1:26 PM, "Ann" <ann@x.org> wrote:")
 * indented by four spaces, with the original's own quotes inside
 * ("    > text"); the quote rules allow an indent of two blanks at most,
 * since code and logs are indented too, so all of it read as new text.
 * An unquoted attribution line (an attribution rule matches it, it names
 * a date, a time or an address and ends with a colon) followed, blank
 * lines aside, by at least MIN_LINES lines that share one indent of four
 * blanks or more makes that run a quote: each of its lines loses the
 * indent, and the markers after it count one level deeper.
 */
#include <string.h>
#include <glib.h>

#include "quote_private.h"

#define MIN_INDENT 4
#define MIN_LINES 2

/* Whether unquoted line i is an attribution that names a date, a time
 * or an address and ends with a colon. */
static bool
is_dated_attribution(const struct larch_quote_split *sp, size_t i)
{
	const struct larch_quote_line *l = &sp->lines[i];

	return l->depth == 0 && !l->set && !l->blank &&
	    l->len <= LARCH_QUOTE_MAX_RULE_LINE &&
	    larch_quote_ends_with_colon(sp, i) &&
	    larch_quote_names_date(sp->text + l->start, l->len, true) &&
	    larch_quote_line_is(sp, LARCH_RULE_ATTRIBUTION, i);
}

/* The blanks line i starts with. */
static size_t
indent_of(const struct larch_quote_split *sp, size_t i)
{
	const char *s = sp->text + sp->lines[i].start;
	size_t n = 0;

	while (n < sp->lines[i].len && (s[n] == ' ' || s[n] == '\t'))
		n++;
	return n;
}

/* Whether the whole of line i is blanks. */
static bool
is_empty(const struct larch_quote_split *sp, size_t i)
{
	return indent_of(sp, i) == sp->lines[i].len;
}

void
larch_quote_mark_indented(struct larch_quote_split *sp)
{
	for (size_t i = 0; i + 1 < sp->n; i++) {
		size_t first = i + 1, last, lines = 0, indent;
		const char *prefix;

		if (!is_dated_attribution(sp, i))
			continue;
		while (first < sp->n && is_empty(sp, first))
			first++;
		/* The attribution is not indented with it: an indented
		 * "    > On ..., Ann wrote:" heads a block of indented
		 * quoting whose author's lines cannot be told apart. */
		if (first >= sp->n || (indent = indent_of(sp, first)) <
		    MIN_INDENT || sp->lines[first].depth != 0 ||
		    indent_of(sp, i) >= MIN_INDENT)
			continue;
		/* The run: lines with the same indent, empty lines between. */
		prefix = sp->text + sp->lines[first].start;
		for (last = first; last < sp->n; last++) {
			const struct larch_quote_line *l = &sp->lines[last];

			if (is_empty(sp, last))
				continue;
			if (l->len <= indent || l->set || memcmp(sp->text +
			    l->start, prefix, indent) != 0)
				break;
			lines++;
		}
		while (last > first && is_empty(sp, last - 1))
			last--;
		if (lines < MIN_LINES)
			continue;
		for (size_t k = first; k < last; k++) {
			struct larch_quote_line *l = &sp->lines[k];
			size_t body;
			int more;

			if (is_empty(sp, k)) {
				l->depth = 1;
				l->body = l->len;
				continue;
			}
			more = larch_quote_count_markers(sp, sp->text +
			    l->start, l->len, indent, &body);
			larch_quote_line_place(sp, l, 1 + more, body);
		}
		i = last - 1;
	}
}
