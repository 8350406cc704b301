/*
 * Supercite, as Gnus and other Emacs mailers cite.  Its quote lines are
 * named ("    Jp> text", a rule in conf/quotes.conf), and two of its
 * shapes need more than a rule:
 *
 * - its attribution heads the quote with five marks of its own:
 *   `>>>>> "Jp" == Jp Calderone <jp@x.org> writes:`.  Read as quote
 *   markers, the marks made it a quote five levels deep;
 * - text the cited message had itself quoted keeps the name's indent
 *   and gets one more mark instead of the name ("    >> text"), and the
 *   quote rules allow an indent of two blanks at most, since code and
 *   logs are indented too, so it read as new text.
 *
 * The head is recognised by its marks, its colon and the named quote
 * right below it (or the `"Jp" ==` that only supercite writes); the
 * re-cited lines only beside a named line of the same indent, so that
 * a doctest (`    >>> x`) in a message without one stays as it was.
 */
#include <string.h>
#include <glib.h>

#include "quote_private.h"

#define HEAD_MARKS ">>>>> "
#define HEAD_MARKS_LEN 5	/* the '>'s in HEAD_MARKS */
/* Blank lines between the head and its quote. */
#define MAX_GAP 2
/* The indent supercite puts before a name (sc-citation-leader). */
#define MIN_INDENT 1
#define MAX_INDENT 8
#define MAX_NAME 12

/*
 * Whether line i is a named supercite line: its last quote marker is a
 * name of letters starting with a capital, then '>', after an indent.
 * *indent gets that indent; the markers before it are one level less
 * than the line's.
 */
static bool
is_named(const struct larch_quote_split *sp, size_t i, size_t *indent)
{
	const struct larch_quote_line *l = &sp->lines[i];
	const char *s = sp->text + l->start;
	size_t p = l->body, q, r;

	if (l->depth == 0 || p > l->len)
		return false;
	if (p > 0 && s[p - 1] == ' ')
		p--;
	if (p == 0 || s[p - 1] != '>')
		return false;
	for (q = --p; q > 0 && p - q < MAX_NAME && g_ascii_isalpha(s[q - 1]);)
		q--;
	if (q == p || !g_ascii_isupper(s[q]))
		return false;
	/* The markers before the name's indent end where a re-cited
	 * line's would: "> " leaves "    Jp> " four blanks. */
	if (larch_quote_count_markers(sp, s, q, 0, &r) != l->depth - 1)
		return false;
	for (size_t k = r; k < q; k++)
		if (s[k] != ' ' && s[k] != '\t')
			return false;
	*indent = q - r;
	return *indent <= MAX_INDENT;
}

/* Supercite's `"Name" == ` at the start of line i's text after its
 * markers: the name's length, *name where it starts; 0 when absent. */
static size_t
nickname_of(const struct larch_quote_split *sp, size_t i, const char **name)
{
	size_t len;
	const char *s = larch_quote_body_of(sp, i, &len);
	const char *close;
	size_t n;

	if (len < 6 || s[0] != '"' ||
	    (close = memchr(s + 1, '"', len - 1)) == NULL)
		return 0;
	n = (size_t)(close - s) - 1;
	if (n == 0 || n > MAX_NAME || (size_t)(close - s) + 5 > len ||
	    memcmp(close + 1, " == ", 4) != 0)
		return 0;
	*name = s + 1;
	return n;
}

/* Whether line i's text after its markers ends with a colon, its
 * markers end with the head's five, glued and followed by a space, and
 * it is not inside a run as deep (a long quote chain has such lines). */
static bool
has_head_marks(const struct larch_quote_split *sp, size_t i)
{
	const struct larch_quote_line *l = &sp->lines[i];
	const size_t marks = sizeof HEAD_MARKS - 1;

	if (l->depth < HEAD_MARKS_LEN || l->set || l->blank ||
	    l->body < marks || l->body > l->len ||
	    l->len > LARCH_QUOTE_MAX_RULE_LINE ||
	    memcmp(sp->text + l->start + l->body - marks, HEAD_MARKS,
	    marks) != 0 || !larch_quote_ends_with_colon(sp, i) ||
	    (i > 0 && sp->lines[i - 1].depth >= l->depth))
		return false;
	return true;
}

/*
 * Quote lines named by a name longer than the quote rule's, after a
 * head that gave it ("    Glyph> text"): each line at depth whose text
 * after its markers is blanks, the name and '>' gets one level more,
 * and the markers after the name count too.
 */
static void
mark_nickname_lines(struct larch_quote_split *sp, size_t from, int depth,
    const char *name, size_t n)
{
	for (size_t k = from; k < sp->n; k++) {
		struct larch_quote_line *l = &sp->lines[k];
		const char *s = sp->text + l->start;
		size_t at = l->body, more;
		int n_more;

		if (l->depth != depth || l->set)
			continue;
		while (at < l->len && at - l->body <= MAX_INDENT &&
		    (s[at] == ' ' || s[at] == '\t'))
			at++;
		if (at - l->body > MAX_INDENT || at + n >= l->len ||
		    memcmp(s + at, name, n) != 0 || s[at + n] != '>')
			continue;
		at += n + 1;
		if (at < l->len && s[at] == ' ')
			at++;
		n_more = larch_quote_count_markers(sp, s, l->len, at, &more);
		larch_quote_line_place(sp, l, l->depth + 1 + n_more, more);
	}
}

/*
 * Whether line i, its head marks read as markers, is a head: its quote
 * is right below, blank lines aside.  Without the `"Name" ==`, that
 * quote must be named, which only at the top can be told.
 */
static bool
is_head(const struct larch_quote_split *sp, size_t i, bool nickname)
{
	const struct larch_quote_line *l = &sp->lines[i];
	int depth = l->depth - HEAD_MARKS_LEN;
	size_t next = i + 1, indent;

	while (next < sp->n && next <= i + 1 + MAX_GAP &&
	    sp->lines[next].blank && sp->lines[next].depth <= depth)
		next++;
	if (next >= sp->n || sp->lines[next].depth <= depth ||
	    sp->lines[next].depth >= l->depth)
		return false;
	return nickname || (depth == 0 && is_named(sp, next, &indent));
}

static void
mark_heads(struct larch_quote_split *sp)
{
	for (size_t i = 0; i < sp->n; i++) {
		struct larch_quote_line *l = &sp->lines[i];
		const char *name = NULL;
		size_t n;

		if (!has_head_marks(sp, i))
			continue;
		if ((n = nickname_of(sp, i, &name)) > 0)
			mark_nickname_lines(sp, i + 1,
			    l->depth - HEAD_MARKS_LEN, name, n);
		if (!is_head(sp, i, n > 0))
			continue;
		/* The marks are the head's own, not quoted text's, and
		 * not part of what it says. */
		l->depth -= HEAD_MARKS_LEN;
		larch_quote_set_kind(l, LARCH_SEG_ATTRIBUTION);
		l->introduces = l->depth + 1;
	}
}

/* Whether line i at depth, unclaimed, has after its markers indent
 * blanks, then a '>' the quote rules did not take. */
static bool
is_recited(const struct larch_quote_split *sp, size_t i, int depth,
    size_t indent)
{
	const struct larch_quote_line *l = &sp->lines[i];
	const char *s = sp->text + l->start;

	if (l->depth != depth || l->set || l->body + indent >= l->len)
		return false;
	for (size_t k = l->body; k < l->body + indent; k++)
		if (s[k] != ' ' && s[k] != '\t')
			return false;
	return s[l->body + indent] == '>';
}

/* Makes the re-cited lines in [first, last) quotes: their markers after
 * the indent count, the one supercite added among them. */
static void
mark_recited_run(struct larch_quote_split *sp, size_t first, size_t last,
    int depth, size_t indent)
{
	for (size_t k = first; k < last; k++) {
		struct larch_quote_line *l = &sp->lines[k];
		const char *s = sp->text + l->start;
		size_t body;
		int more;

		if (!is_recited(sp, k, depth, indent) ||
		    (more = larch_quote_count_markers(sp, s, l->len,
		    l->body + indent, &body)) == 0)
			continue;
		larch_quote_line_place(sp, l, l->depth + more, body);
	}
}

/* The indent of line i when it is re-cited at depth: its blanks after
 * its markers, then '>'; 0 when it is not. */
static size_t
recited_indent(const struct larch_quote_split *sp, size_t i, int depth)
{
	const struct larch_quote_line *l = &sp->lines[i];
	const char *s = sp->text + l->start;
	size_t n = 0;

	while (l->body + n < l->len && n <= MAX_INDENT &&
	    (s[l->body + n] == ' ' || s[l->body + n] == '\t'))
		n++;
	return n >= MIN_INDENT && n <= MAX_INDENT &&
	    is_recited(sp, i, depth, n) ? n : 0;
}

/* Runs of named and re-cited lines of one indent under the same outer
 * markers, blank lines between; the re-cited lines of a run that holds
 * a named line are quotes. */
static void
mark_recited(struct larch_quote_split *sp)
{
	for (size_t i = 0; i < sp->n; i++) {
		size_t indent, first = i, last;
		bool named = false, recited = false;
		int depth;

		if (sp->lines[i].blank)
			continue;
		if (is_named(sp, i, &indent)) {
			named = true;
			depth = sp->lines[i].depth - 1;
		} else if ((indent = recited_indent(sp, i,
		    depth = sp->lines[i].depth)) > 0) {
			recited = true;
		} else {
			continue;
		}
		for (last = i + 1; last < sp->n; last++) {
			size_t other;

			if (sp->lines[last].blank)
				continue;
			if (is_named(sp, last, &other) && other == indent &&
			    sp->lines[last].depth == depth + 1)
				named = true;
			else if (is_recited(sp, last, depth, indent))
				recited = true;
			else
				break;
		}
		if (named && recited)
			mark_recited_run(sp, first, last, depth, indent);
		i = last - 1;
	}
}

void
larch_quote_mark_supercite(struct larch_quote_split *sp)
{
	mark_heads(sp);
	mark_recited(sp);
}
