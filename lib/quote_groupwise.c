/*
 * GroupWise's attribution.  GroupWise heads the quote in a reply with a
 * line between marks of its own: ">>> Ann <ann@x.org> 12/10/2019 3:25 PM
 * >>>", or in German ">>> Ann <ann@x.org> schrieb am 10.12.2019 um 15:25
 * in Nachricht" wrapped over up to four more lines, the last ending
 * "<id>:".  A snip marker ("[...]") may come between it and its quote,
 * and in English the original is often left unquoted.  Read as quote
 * markers, its ">>> " made that line a depth-3 quote of its own above the
 * real quote ("> text"), and three levels deeper than its quote where a
 * reply quotes it.  The shape is what is recognised (the marks, a date,
 * an address or the closing marks, the quote right below), not the
 * wording, so that every language GroupWise writes in is read.
 */
#include <string.h>
#include <glib.h>

#include "quote_private.h"

/* Lines the German form wraps over (a long id breaks too), and blank
 * lines or snip markers ("[...]") before its quote. */
#define MAX_HEAD_LINES 5
#define MAX_GAP 3
#define MAX_HEAD_LINE 300

/* Where the first address in s[0..len) ("a@b.c", pipermail's "a at b.c"
 * or Google Groups' "a...@b.c") starts; 0 when there is none. */
static size_t
address_start(const char *s, size_t len)
{
	for (size_t k = 1; k + 1 < len; k++) {
		size_t host = 0, start = k;
		bool dotted = false;

		if (s[k] == '@')
			host = k + 1;
		else if (k + 4 < len && memcmp(s + k, " at ", 4) == 0)
			host = k + 4;
		if (host == 0 || !(g_ascii_isalnum(s[k - 1]) ||
		    s[k - 1] == '.') ||
		    !g_ascii_isalnum(s[host]))
			continue;
		for (; host < len && (g_ascii_isalnum(s[host]) ||
		    s[host] == '-' || s[host] == '.'); host++)
			dotted |= s[host] == '.' && host + 1 < len &&
			    g_ascii_isalpha(s[host + 1]);
		while (start > 0 && (g_ascii_isalnum(s[start - 1]) ||
		    strchr("._+-", s[start - 1]) != NULL))
			start--;
		if (dotted && start > 0)
			return start;
	}
	return 0;
}

/* Line i's text after its markers, trailing blanks dropped. */
static const char *
body_of(const struct larch_quote_split *sp, size_t i, size_t *len)
{
	const char *s = larch_quote_body_of(sp, i, len);

	*len = larch_quote_trim_end(s, *len);
	return s;
}

/* Whether line i's text after its markers ends with GroupWise's closing
 * " >>>". */
static bool
has_closing_marks(const struct larch_quote_split *sp, size_t i)
{
	size_t len;
	const char *s = body_of(sp, i, &len);

	return len > 4 && memcmp(s + len - 4, " >>>", 4) == 0;
}

/*
 * The last line of a GroupWise head at line i, its ">>> " still read as
 * markers, at quoted depth depth: the line itself when it ends with its
 * closing ">>>" (and names a date), else the first of it and the next
 * lines at that depth that ends with a colon (and it names an address,
 * then a date); SIZE_MAX when there is none.
 */
static size_t
head_end(const struct larch_quote_split *sp, size_t i, int depth)
{
	size_t len, addr;
	const char *s = body_of(sp, i, &len);

	if (len > MAX_HEAD_LINE || !larch_quote_names_date(s, len, false))
		return SIZE_MAX;
	if (has_closing_marks(sp, i))
		return i;
	/* Who, then when: "On 4 Jan 2013, at 19:58, ann at x.org
	 * wrote:" is another client's attribution quoted three levels
	 * deep. */
	if ((addr = address_start(s, len)) == 0 ||
	    larch_quote_names_date(s, addr, false) ||
	    !larch_quote_names_date(s + addr, len - addr, false))
		return SIZE_MAX;
	for (size_t k = i; k < sp->n && k < i + MAX_HEAD_LINES; k++) {
		const struct larch_quote_line *l = &sp->lines[k];

		if (k > i && (l->depth != depth || l->blank || l->set))
			break;
		if (l->len > MAX_HEAD_LINE)
			break;
		if (larch_quote_ends_with_colon(sp, k))
			return k;
	}
	return SIZE_MAX;
}

/* Where line i's last three quote markers, glued and followed by one
 * space (">>> "), start, or SIZE_MAX ("> > >" is a quote).  A reply that
 * quotes the head glues its own markers on: ">> " and ">>> " give
 * ">>>>> ". */
static size_t
groupwise_marks(const struct larch_quote_split *sp, size_t i)
{
	const struct larch_quote_line *l = &sp->lines[i];
	const char *s = sp->text + l->start;

	if (l->depth < 3 || l->set || l->body < 4 || l->body + 4 > l->len ||
	    memcmp(s + l->body - 4, ">>> ", 4) != 0)
		return SIZE_MAX;
	return l->body - 4;
}

void
larch_quote_mark_groupwise(struct larch_quote_split *sp)
{
	for (size_t i = 0; i < sp->n; i++) {
		struct larch_quote_line *l = &sp->lines[i];
		int depth = l->depth - 3;
		size_t at, last, next;

		if ((at = groupwise_marks(sp, i)) == SIZE_MAX ||
		    (i > 0 && sp->lines[i - 1].depth >= l->depth) ||
		    (last = head_end(sp, i, depth)) == SIZE_MAX)
			continue;
		/* Its quote follows, blank lines or a snip marker away;
		 * in English GroupWise leaves the original unquoted (see
		 * larch_quote_mark_groupwise_original(); inside a quote
		 * that original stays quoted text). */
		next = last + 1;
		while (next < sp->n && next <= last + MAX_GAP &&
		    sp->lines[next].depth == depth &&
		    (sp->lines[next].blank ||
		    larch_quote_line_is(sp, LARCH_RULE_SNIP, next)))
			next++;
		if (next >= sp->n || sp->lines[next].depth >= l->depth ||
		    (sp->lines[next].depth <= depth &&
		    !has_closing_marks(sp, i)))
			continue;
		l->depth = depth;
		l->body = at;
		for (size_t k = i; k <= last; k++) {
			larch_quote_set_kind(&sp->lines[k],
			    LARCH_SEG_ATTRIBUTION);
			sp->lines[k].introduces = depth + 1;
		}
		i = last;
	}
}

void
larch_quote_mark_groupwise_original(struct larch_quote_split *sp)
{
	for (size_t i = 0; i < sp->n; i++) {
		const struct larch_quote_line *l = &sp->lines[i];
		size_t next = i + 1;

		if (!l->set || l->kind != LARCH_SEG_ATTRIBUTION ||
		    l->depth != 0 || l->body != 0 || l->len < 8 ||
		    memcmp(sp->text + l->start, ">>> ", 4) != 0 ||
		    !has_closing_marks(sp, i))
			continue;
		while (next < sp->n && sp->lines[next].blank)
			next++;
		if (next >= sp->n || !larch_quote_is_free(sp, next))
			continue;
		for (size_t k = i + 1; k < sp->n; k++)
			if (!sp->lines[k].set)
				larch_quote_set_kind(&sp->lines[k],
				    LARCH_SEG_FORWARD);
		return;
	}
}
