/*
 * Attributions: the lines that say whose text a quote is ("On ..., Ann
 * wrote:", an Outlook header block).  Right above quoted text at any
 * depth they introduce that quote; inside a quote a header block
 * introduces the original message below it; and an attribution-shaped
 * line elsewhere in the new text is still not the author's words: it
 * introduces a quote a greeting away, or an unquoted original message
 * under a top-posted reply, or else a quote that was cut.
 */
#include <string.h>
#include <glib.h>

#include "quote_private.h"

/* A piece of an attribution wrapped over several lines is short. */
#define MAX_ATTR_PIECE 300
#define MAX_ATTR_LINES 3
/* Blank lines, snip markers and asides allowed between an attribution
 * and its quote ("On ... wrote:\n[...]\n> text"). */
#define MAX_ATTR_GAP 3
/* Blank and greeting lines allowed between an attribution line and the
 * quote it introduces, as some clients put them ("On ... wrote:\n\nHi
 * Petr,\n\n> text"). */
#define MAX_GREETING_GAP 6
/* The longest header block inside a quote, in lines. */
#define MAX_HEADER_LINES 24
#define MAX_HEADER_KEY 30

/*
 * Whether the match at s[st..len) of a rule read lossily (see
 * larch_quote_lossy_pattern()) may be an attribution.  Where a '?' may
 * have stood for a letter, a date or an address must hold it in place:
 * "?????:" alone is any Russian line that ends with a colon, but
 * "10.05.2009 17:04, K?the Wagner ?????:" is "... пишет:".  Nor does a
 * lost letter start a match in the middle of a word ("?the Wagner").
 */
static bool
is_lossy_attribution(const char *s, size_t st, size_t len)
{
	const char *m = s + st, *at;

	if (memchr(m, '?', len - st) == NULL)
		return true;
	if (st > 0 && *m == '?' && (g_ascii_isalnum(m[-1]) || m[-1] == '?'))
		return false;
	for (const char *p = m; p < s + len; p++)
		if (g_ascii_isdigit(*p) || *p == '@')
			return true;
	/* An address as pipermail writes it: "user at host.tld". */
	for (at = m; (at = strstr(at, " at ")) != NULL && at < s + len;
	    at += 4)
		if (at > m && g_ascii_isalnum(at[-1]) &&
		    g_ascii_isalnum(at[4]) && memchr(at + 4, '.',
		    strcspn(at + 4, " \t>)")) != NULL)
			return true;
	return false;
}

/*
 * The earliest start of a match of rules that ends the joined lines j of
 * an attribution and may start there (see is_attribution()), or -1.
 * lossy: the rules are lossy variants, whose matches with a '?' in them
 * need the evidence is_lossy_attribution() asks for.
 */
static long
earliest_match(GPtrArray *rules, const GString *j, size_t first_len,
    bool wrapped, bool lossy, bool need_first)
{
	char *subject = larch_quote_padded(j->str, j->len);
	/* The join without its first piece, for need_first. */
	size_t rest_len = need_first ? j->len - first_len - 1 : 0;
	char *rest = need_first ? larch_quote_padded(j->str + first_len + 1,
	    rest_len) : NULL;
	long best = -1;

	for (guint r = 0; r < rules->len; r++) {
		struct larch_match m;
		long st;

		if (!larch_pattern_find(rules->pdata[r], subject, j->len, 0,
		    &m) || (size_t)m.end[0] != j->len)
			continue;
		st = m.start[0];
		if (lossy && !is_lossy_attribution(j->str, (size_t)st, j->len))
			continue;
		if (st > 0 && ((size_t)st >= first_len ||
		    (g_ascii_isspace(j->str[st - 1]) &&
		    !larch_quote_ends_sentence(j->str, (size_t)st)) ||
		    (wrapped && memchr(j->str, ' ', (size_t)st))))
			continue;
		/* A rule that matches the lines below the first piece as
		 * well does not need that piece: "^.{1,250}?wrote:" takes
		 * any line of prose above "On ..., Ann wrote:" along. */
		if (rest != NULL && larch_pattern_find(rules->pdata[r], rest,
		    rest_len, 0, &m) && (size_t)m.end[0] == rest_len)
			continue;
		best = MAX(best, st);
	}
	g_free(rest);
	g_free(subject);
	return best;
}

/* j with each '?' next to a letter or another '?' made a letter: in text
 * archived lossily "Jes?s Garc?a wrote:" is an attribution as plain rules
 * see it, with a name they cannot read. */
static bool
is_letterish(char c)
{
	return g_ascii_isalpha(c) || c == '?' || (unsigned char)c >= 0x80;
}

static GString *
letters_for_lost(const GString *j)
{
	GString *m = g_string_new_len(j->str, (gssize)j->len);

	for (size_t i = 0; i < m->len; i++)
		if (j->str[i] == '?' && ((i > 0 && is_letterish(j->str[i - 1])) ||
		    (i + 1 < j->len && is_letterish(j->str[i + 1]))))
			m->str[i] = 'x';
	return m;
}

/* Whether a piece of an attribution wrapped over lines ends a sentence;
 * in lossy text a '?' after a letter or a '?' is a lost letter ("...,
 * 2:19 PM, ??????? ??????" above "<natalya at example.com> wrote:"). */
static bool
piece_ends_sentence(const struct larch_quote_rules *rules, const char *s,
    size_t len)
{
	if (larch_quote_rules_are_lossy(rules) && len >= 2 &&
	    s[len - 1] == '?' && (s[len - 2] == '?' ||
	    g_ascii_isalpha(s[len - 2])))
		return false;
	/* An HTML entity a converter left ("Ann &lt;") ends no sentence. */
	if (len >= 4 && s[len - 1] == ';') {
		size_t k = len - 1;

		while (k > 0 && len - k <= 6 && g_ascii_isalpha(s[k - 1]))
			k--;
		if (k > 0 && k < len - 1 && s[k - 1] == '&')
			return false;
	}
	return larch_quote_ends_sentence(s, len);
}

unsigned
larch_quote_date_parts(const char *s, size_t len)
{
	unsigned parts = 0;

	for (size_t k = 0; k < len; k++) {
		size_t a = k, b, c;

		if (!g_ascii_isdigit(s[k]) || (k > 0 &&
		    g_ascii_isdigit(s[k - 1])))
			continue;
		while (a < len && g_ascii_isdigit(s[a]))
			a++;
		/* 19:05 */
		if (a + 2 < len && s[a] == ':' && g_ascii_isdigit(s[a + 1]) &&
		    g_ascii_isdigit(s[a + 2]))
			parts |= LARCH_QUOTE_CLOCK | (a - k <= 2 ?
			    LARCH_QUOTE_SHORT_CLOCK : 0);
		if (a - k == 4 && (memcmp(s + k, "19", 2) == 0 ||
		    memcmp(s + k, "20", 2) == 0))
			parts |= LARCH_QUOTE_YEAR;
		/* 26/05/2016, 2016-05-26, 26.05.2016 */
		if (a + 1 >= len || strchr("/-.", s[a]) == NULL)
			continue;
		for (b = c = a + 1; c < len && g_ascii_isdigit(s[c]); c++)
			;
		if (c == b || c - b > 2 || c + 2 >= len || s[c] != s[a])
			continue;
		/* The year or the day: two digits or more ("2.0.0.3" is a
		 * version). */
		if (g_ascii_isdigit(s[c + 1]) && g_ascii_isdigit(s[c + 2]))
			parts |= LARCH_QUOTE_NUMERIC_DATE;
	}
	return parts;
}

/*
 * Whether s names a date or a time ("19:05", "26/05/2016", "2016-05-26"),
 * or with addresses also an address, as the attributions mail clients
 * write do ("On 26/05/2016 19:05, Ann wrote:"), and prose that happens to
 * end in "wrote:" rarely does.
 */
bool
larch_quote_names_date(const char *s, size_t len, bool addresses)
{
	if (larch_quote_date_parts(s, len) & (LARCH_QUOTE_CLOCK |
	    LARCH_QUOTE_NUMERIC_DATE))
		return true;
	if (!addresses)
		return false;
	for (size_t k = 1; k + 1 < len; k++)
		if (s[k] == '@' && g_ascii_isalnum(s[k - 1]) &&
		    g_ascii_isalnum(s[k + 1]))
			return true;
	return g_strstr_len(s, (gssize)len, " <at> ") != NULL;
}

/* Whether s names a date, a time or an address (see
 * larch_quote_names_date()). */
static bool
is_dated(const char *s, size_t len)
{
	return larch_quote_names_date(s, len, true);
}

/* Whether the attribution on lines first..last (after glue bytes of new
 * text) names who wrote (see larch_quote_names_author()). */
static bool
names_author_of(const struct larch_quote_split *sp, size_t first,
    size_t last, size_t glue)
{
	GString *j = g_string_new(NULL);
	bool yes;
	size_t n;

	for (size_t i = first; i <= last; i++) {
		size_t len;
		const char *s = larch_quote_body_of(sp, i, &len);

		if (i == first) {
			s += glue;
			len -= glue;
		} else {
			g_string_append_c(j, ' ');
		}
		g_string_append_len(j, s, (gssize)len);
	}
	n = larch_quote_trim_end(j->str, j->len);
	if (n >= 3 && memcmp(j->str + n - 3, "\xef\xbc\x9a", 3) == 0)
		n -= 3;
	else if (n >= 1 && j->str[n - 1] == ':')
		n--;
	n = larch_quote_trim_end(j->str, n);
	yes = larch_quote_names_author(j->str, n,
	    larch_quote_rules_are_lossy(sp->rules));
	g_string_free(j, TRUE);
	return yes;
}

/*
 * Whether a piece of a wrapped attribution looks like the start of one:
 * it holds a date or a time ("On Thu, Jul 9, 2009 at 9:59 AM, Ann"), an
 * address or the start of one ("Ann <", "Ann <ann at example.org>"),
 * where mail clients wrap long attributions, or it is a name alone (see
 * larch_quote_names_before()).  A line of prose rarely is any of these.
 */
static bool
is_attribution_piece(const char *s, size_t len, bool lossy)
{
	const char *lt = memchr(s, '<', len);
	size_t from = len;

	if ((lt != NULL && (lt + 1 == s + len || !g_ascii_isspace(lt[1]))) ||
	    g_strstr_len(s, (gssize)len, "&lt;") != NULL ||
	    larch_quote_names_date(s, len, false))
		return true;
	/* A name alone ("--- Ann Smith" over "<ann@example.org> wrote:"),
	 * not an address alone, which ends prose too ("... write to\n
	 * list@example.org)"). */
	if (memchr(s, '@', len) != NULL ||
	    !larch_quote_names_before(s, len, lossy, &from))
		return false;
	while (from > 0 && !g_unichar_isalnum(g_utf8_get_char(
	    g_utf8_find_prev_char(s, s + from))))
		from = (size_t)(g_utf8_find_prev_char(s, s + from) - s);
	return from == 0;
}

/*
 * Whether lines first..last (joined by a space) end with an attribution;
 * *glue gets the bytes of the first line that come before it.  A match may
 * start after the start of the first line when the text before it is glued
 * to it: no blank before the match, or a sentence end.  When wrapped over
 * several lines, the lines before the last look like pieces of one.  Text
 * archived lossily is read by the plain rules with its lost letters made
 * letters, then by the lossy rules.
 *
 * shorter: the lines below the first already make an attribution.  Then
 * the first line joins only when it is a piece of the attribution, not a
 * line of the author's prose right above it: it looks like the start of
 * one (is_attribution_piece()), or some rule needs it (a rule that also
 * matches without it, as one with a free prefix does, only swallows it).
 */
static bool
is_attribution(const struct larch_quote_split *sp, size_t first,
    size_t last, bool shorter, size_t *glue)
{
	const struct larch_quote_rules *rules = sp->rules;
	GString *j = g_string_new(NULL);
	size_t first_len = 0, lead = 0;
	long best = -1;
	bool need_first = false;

	for (size_t i = first; i <= last; i++) {
		size_t len;
		const char *s = larch_quote_body_of(sp, i, &len);

		len = larch_quote_trim_end(s, len);
		if (i > first) {
			while (len > 0 && g_ascii_isspace(*s))
				s++, len--;
			g_string_append_c(j, ' ');
		}
		if (i < last && (len > MAX_ATTR_PIECE ||
		    larch_quote_char_count(s, len) < 20 ||
		    piece_ends_sentence(rules, s, len)))
			goto out;
		/* An indent is no text glued before the attribution. */
		while (i == first && len > 0 && (*s == ' ' || *s == '\t'))
			s++, len--, lead++;
		g_string_append_len(j, s, (gssize)len);
		if (i == first) {
			first_len = j->len;
			need_first = shorter && first != last &&
			    !is_attribution_piece(s, len,
			    larch_quote_rules_are_lossy(rules));
		}
	}
	if (larch_quote_rules_are_lossy(rules)) {
		GString *m = letters_for_lost(j);

		best = earliest_match(rules->plain->rules[
		    LARCH_RULE_ATTRIBUTION], m, first_len, first != last,
		    false, need_first);
		g_string_free(m, TRUE);
		if (best < 0)
			best = earliest_match(rules->rules[
			    LARCH_RULE_ATTRIBUTION], j, first_len,
			    first != last, true, need_first);
	} else {
		best = earliest_match(rules->rules[LARCH_RULE_ATTRIBUTION], j,
		    first_len, first != last, false, need_first);
	}
out:
	if (best > 0 && !larch_quote_has_alnum(j->str, (size_t)best))
		best = 0;
	g_string_free(j, TRUE);
	*glue = best > 0 ? (size_t)best + lead : 0;
	return best >= 0;
}

/* Whether line i is unclaimed, at depth, and not blank. */
static bool
is_open(const struct larch_quote_split *sp, size_t i, int depth)
{
	const struct larch_quote_line *l = &sp->lines[i];

	return !l->set && l->depth == depth && !l->blank &&
	    l->len <= LARCH_QUOTE_MAX_RULE_LINE;
}

static void
set_attribution(struct larch_quote_split *sp, size_t first, size_t last,
    size_t glue, int introduces)
{
	for (size_t t = first; t <= last; t++) {
		larch_quote_set_kind(&sp->lines[t], LARCH_SEG_ATTRIBUTION);
		sp->lines[t].introduces = introduces;
	}
	sp->lines[first].glue = glue;
}

/*
 * The attribution that ends at line last, at most MAX_ATTR_LINES lines of
 * one depth wrapped: its first line, or SIZE_MAX.  The longest join that
 * is one wins ("On ..., Ann" over "<ann@example.org> wrote:"), but a line
 * above a shorter one that is already whole joins only as a piece of it
 * (see is_attribution()): "I agree with this" right above "On ..., Ann
 * wrote:" stays the author's.  Inside a quote the attribution must be the
 * whole line (nothing glued before it).
 */
static size_t
attribution_ending_at(const struct larch_quote_split *sp, size_t last,
    size_t *glue)
{
	int depth = sp->lines[last].depth;
	size_t run = 0, found = SIZE_MAX, g;
	bool shorter = false;

	while (run < MAX_ATTR_LINES && run <= last &&
	    is_open(sp, last - run, depth))
		run++;
	for (size_t k = 1; k <= run; k++) {
		if (!is_attribution(sp, last + 1 - k, last, shorter, &g))
			continue;
		shorter = true;
		if (depth == 0 || g == 0) {
			found = last + 1 - k;
			*glue = g;
		}
	}
	return found;
}

/*
 * Whether line i, right above its quote, ends an attribution in a shape
 * no rule knows, as people set their client to write one: a line ending
 * with a colon, maybe wrapped from the line above, that holds a date and
 * a time, then a name and maybe a verb ("On 2020-10-26 at 12:47 +0000
 * Ann Lee sent off:", "..., Ann scribbled:"; see
 * larch_quote_names_author_loosely()).  Its first line, or SIZE_MAX.
 */
static size_t
loose_attribution_ending_at(const struct larch_quote_split *sp, size_t i)
{
	GString *j = g_string_new(NULL);
	size_t found = SIZE_MAX;

	if (!larch_quote_ends_with_colon(sp, i))
		goto out;
	for (size_t k = 0; k < 2 && k <= i && found == SIZE_MAX; k++) {
		size_t len, n;
		const char *s;

		if (!is_open(sp, i - k, sp->lines[i].depth))
			break;
		s = larch_quote_body_of(sp, i - k, &len);
		len = larch_quote_trim_end(s, len);
		if (k > 0 && (larch_quote_char_count(s, len) < 20 ||
		    piece_ends_sentence(sp->rules, s, len)))
			break;
		while (len > 0 && g_ascii_isspace(*s))
			s++, len--;
		if (k > 0)
			g_string_prepend_c(j, ' ');
		g_string_prepend_len(j, s, (gssize)len);
		if (larch_quote_char_count(j->str, j->len) > MAX_ATTR_PIECE)
			break;
		n = j->len - (j->str[j->len - 1] == ':' ? 1 : 3);
		if (larch_quote_names_author_loosely(j->str, n,
		    larch_quote_rules_are_lossy(sp->rules)))
			found = i - k;
	}
out:
	g_string_free(j, TRUE);
	return found;
}

/* Attributions: the line or lines right before quoted text (maybe with
 * blank lines, a snip marker or an aside between), at any depth: "> On
 * ..., Ann wrote:" above ">> text" introduces the deeper quote.  The
 * quoted text may start with an attribution already known (a quoted
 * GroupWise or supercite head). */
void
larch_quote_mark_attributions(struct larch_quote_split *sp)
{
	for (size_t i = 1; i < sp->n; i++) {
		int depth = sp->lines[i].depth;
		size_t last = i, blanks = 0, first, glue = 0;

		if (depth == 0 || (sp->lines[i].set &&
		    sp->lines[i].kind != LARCH_SEG_ATTRIBUTION))
			continue;
		while (last > 0 && !sp->lines[last - 1].set &&
		    sp->lines[last - 1].depth < depth &&
		    blanks < MAX_ATTR_GAP && (sp->lines[last - 1].blank ||
		    larch_quote_is_aside(sp, last - 1) ||
		    larch_quote_line_is(sp, LARCH_RULE_SNIP, last - 1)))
			last--, blanks++;
		if (last == 0 || !is_open(sp, last - 1,
		    sp->lines[last - 1].depth) ||
		    sp->lines[last - 1].depth >= depth)
			continue;
		first = attribution_ending_at(sp, last - 1, &glue);
		if (first == SIZE_MAX)
			first = loose_attribution_ending_at(sp, last - 1);
		if (first != SIZE_MAX)
			set_attribution(sp, first, last - 1, glue,
			    sp->lines[last - 1].depth + 1);
	}
}

/* Whether lines first..last are dated (see is_dated()). */
static bool
are_dated(const struct larch_quote_split *sp, size_t first, size_t last)
{
	for (size_t i = first; i <= last; i++) {
		size_t len;
		const char *s = larch_quote_body_of(sp, i, &len);

		if (is_dated(s, len))
			return true;
	}
	return false;
}

/* Line i ends with a colon, as every attribution that may stand away
 * from its quote does. */
bool
larch_quote_ends_with_colon(const struct larch_quote_split *sp, size_t i)
{
	size_t len;
	const char *s = larch_quote_body_of(sp, i, &len);

	len = larch_quote_trim_end(s, len);
	return (len >= 1 && s[len - 1] == ':') ||
	    (len >= 3 && memcmp(s + len - 3, "\xef\xbc\x9a", 3) == 0);
}

/* Whether unquoted line i holds only greetings ("Hi Petr,"). */
static bool
is_greeting_line(const struct larch_quote_split *sp, size_t i)
{
	size_t len;
	const char *s = larch_quote_body_of(sp, i, &len);

	/* The line lies in the padded text, as larch_quote_line_is()
	 * relies on: no copy. */
	return len <= 200 &&
	    larch_quote_greetings_end(sp->rules, s, len) == len;
}

/* Whether any quoted line comes after line i, or a line that starts with
 * a '>' the quote rules do not take for a marker ("    >> text"). */
static bool
quoted_after(const struct larch_quote_split *sp, size_t i)
{
	for (size_t t = i + 1; t < sp->n; t++) {
		size_t len, k = 0;
		const char *s = larch_quote_body_of(sp, t, &len);

		if (sp->lines[t].depth > 0 && !sp->lines[t].blank)
			return true;
		while (k < len && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (k < len && s[k] == '>' && !sp->lines[t].set)
			return true;
	}
	return false;
}

/* Whether some unclaimed, unquoted line in [a, b) holds words other than
 * a greeting. */
static bool
has_new_text(const struct larch_quote_split *sp, size_t a, size_t b)
{
	for (size_t t = a; t < b; t++) {
		size_t len;
		const char *s = larch_quote_body_of(sp, t, &len);

		if (larch_quote_is_free(sp, t) && !sp->lines[t].blank &&
		    larch_quote_has_alnum(s, len) &&
		    !is_greeting_line(sp, t))
			return true;
	}
	return false;
}

/*
 * Where the original starts on unquoted line i when an attribution and
 * the original's first words share it, two blanks or more apart, as
 * Yahoo Mail for Android writes them over the unquoted original ("On
 * Thu, 26 May 2016 at 19:05, Ann<a@example.org> wrote:   Dear all,"),
 * or 0.  The attribution must be dated and name who wrote (the line
 * holds no other evidence).
 */
static size_t
glued_original_at(const struct larch_quote_split *sp, size_t i)
{
	size_t len, k, rest = 0;
	const char *s = larch_quote_body_of(sp, i, &len);

	for (k = 0; k + 3 < len && rest == 0; k++) {
		size_t colon = s[k] == ':' ? 1 : memcmp(s + k, "\xef\xbc\x9a",
		    3) == 0 ? 3 : 0, b = k + colon, start = 0;
		GString *j;

		if (colon == 0 || b + 2 > len || !g_ascii_isspace(s[b]) ||
		    !g_ascii_isspace(s[b + 1]))
			continue;
		while (b < len && g_ascii_isspace(s[b]))
			b++;
		if (b >= len)
			break;
		while (start < k && g_ascii_isspace(s[start]))
			start++;
		j = g_string_new_len(s + start, (gssize)(k + colon - start));
		if (earliest_match(sp->rules->rules[LARCH_RULE_ATTRIBUTION], j,
		    j->len, false, false, false) == 0 &&
		    is_dated(j->str, j->len) &&
		    larch_quote_names_author(j->str, j->len - colon, false))
			rest = b;
		g_string_free(j, TRUE);
	}
	return rest;
}

/* The unclaimed lines after line i are the original message under it,
 * unquoted under a top-posted reply. */
static void
forward_after(struct larch_quote_split *sp, size_t i)
{
	for (size_t t = i + 1; t < sp->n; t++)
		if (!sp->lines[t].set)
			larch_quote_set_kind(&sp->lines[t], LARCH_SEG_FORWARD);
}

/*
 * Attribution lines (with a date, a time or an address) that no quote
 * follows right away.  When only blank lines and greetings come before
 * the quote, they still introduce it; when nothing is quoted after them
 * and the author wrote above them, what follows is the original message,
 * unquoted, under a top-posted reply (Yahoo, Gmail on phones); otherwise
 * the quote was cut and only the line is left.  In all three cases the
 * line is not the author's words.
 */
void
larch_quote_mark_loose_attributions(struct larch_quote_split *sp)
{
	for (size_t i = 0; i < sp->n; i++) {
		size_t first, glue = 0, next, gap = 0;
		bool quote_below;

		if (!is_open(sp, i, 0))
			continue;
		if (!larch_quote_ends_with_colon(sp, i)) {
			if ((next = glued_original_at(sp, i)) == 0 ||
			    quoted_after(sp, i) || !has_new_text(sp, 0, i))
				continue;
			set_attribution(sp, i, i, 0, 1);
			sp->lines[i].rest = sp->lines[i].body + next;
			forward_after(sp, i);
			return;
		}
		first = attribution_ending_at(sp, i, &glue);
		if (first == SIZE_MAX || !are_dated(sp, first, i))
			continue;
		for (next = i + 1; next < sp->n && gap < MAX_GREETING_GAP &&
		    larch_quote_is_free(sp, next) &&
		    (sp->lines[next].blank || is_greeting_line(sp, next));
		    next++)
			gap++;
		quote_below = next < sp->n && sp->lines[next].depth > 0;
		/* With no quote below, only an attribution in a client's
		 * shape: dated prose ending in a colon ("Draft agenda for
		 * the call [26.05.2016 15:00 UTC]:") is the author's. */
		if (!quote_below && !names_author_of(sp, first, i, glue))
			continue;
		set_attribution(sp, first, i, glue, 1);
		if (quote_below)
			continue;
		if (!quoted_after(sp, i) && has_new_text(sp, i + 1, sp->n) &&
		    (glue > 0 || has_new_text(sp, 0, first))) {
			forward_after(sp, i);
			return;
		}
	}
}

/* Whether the body of line i reads "Key: value" (or "*Key:*", "Key :",
 * "主题："), as a header line in a header block does. */
static bool
is_header_line(const struct larch_quote_split *sp, size_t i)
{
	size_t len, k = 0;
	const char *s = larch_quote_body_of(sp, i, &len);

	while (k < len && (s[k] == ' ' || s[k] == '\t' || s[k] == '*'))
		k++;
	if (k >= len || !g_unichar_isalpha(g_utf8_get_char(s + k)))
		return false;
	for (size_t start = k; k < len && k - start <= MAX_HEADER_KEY; k++)
		if (s[k] == ':' || (k + 3 <= len &&
		    memcmp(s + k, "\xef\xbc\x9a", 3) == 0))
			return true;
		else if (s[k] == ',' || s[k] == '.')
			return false;
	return false;
}

/* Whether line i ends a header block at depth: it is the text's last
 * line, a blank one, or not at that depth. */
static bool
ends_block(const struct larch_quote_split *sp, size_t i, int depth)
{
	return i >= sp->n || sp->lines[i].blank || sp->lines[i].depth != depth;
}

/* Whether the body of line i starts with a blank, as a folded header
 * line's continuation does ("To: list\n\t<list@example.org>"). */
static bool
is_folded(const struct larch_quote_split *sp, size_t i)
{
	size_t len;
	const char *s = larch_quote_body_of(sp, i, &len);

	return len > 0 && (*s == ' ' || *s == '\t');
}

/*
 * A separator matches alone.  A header line may go on on the next lines:
 * folded ("Message-ID:\n\t<...>"), or wrapped by a client onto a line of
 * its own right above the next header line ("From: x On\n> Behalf Of
 * y\n> Sent: ...") or above the blank line that ends the block
 * ("Subject: Re: recipes for the\nCookbook").
 */
size_t
larch_quote_header_block_end(const struct larch_quote_split *sp, size_t i,
    size_t t, int depth)
{
	bool after_key = t > i && is_header_line(sp, t - 1);

	while (t < sp->n && t < i + MAX_HEADER_LINES && is_open(sp, t, depth)) {
		if (is_header_line(sp, t)) {
			after_key = true;
			t++;
		} else if (after_key && is_folded(sp, t)) {
			t++;
		} else if (after_key && (ends_block(sp, t + 1, depth) ||
		    (is_open(sp, t + 1, depth) &&
		    is_header_line(sp, t + 1)))) {
			after_key = false;
			t++;
		} else {
			break;
		}
	}
	while (t > i + 1 && sp->lines[t - 1].blank)
		t--;
	return t;
}

/* A digest's header lines above the block the rules found ("> Message:
 * 3" over "> Date: ..." / "> From: ..."), at most this many. */
#define MAX_HEADER_ABOVE 2
#define MAX_HEADER_ABOVE_CHARS 60

/* Line i, or the first of the short "Key: value" lines right above it at
 * depth that belong to its header block; a block that starts with a
 * separator ("-----Original Message-----") starts there. */
static size_t
header_block_start(const struct larch_quote_split *sp, size_t i, int depth)
{
	if (!is_header_line(sp, i))
		return i;
	for (size_t k = 0; k < MAX_HEADER_ABOVE && i > 0 &&
	    is_open(sp, i - 1, depth) && is_header_line(sp, i - 1) &&
	    larch_quote_char_count(sp->text + sp->lines[i - 1].start,
	    sp->lines[i - 1].len) <= MAX_HEADER_ABOVE_CHARS; k++)
		i--;
	return i;
}

/*
 * Header blocks inside quotes ("> -----Original Message-----", "> From:
 * ...", "> Sent: ...", "> To: ...", "> Subject: ..."): the forward rules,
 * tried on the bodies of a quote's lines, find them; the block and the
 * header lines right after it become the attribution of the quoted text
 * that follows, at the same depth.
 */
void
larch_quote_mark_quoted_headers(struct larch_quote_split *sp)
{
	GPtrArray *rules = sp->rules->rules[LARCH_RULE_FORWARD];

	for (size_t i = 0; i < sp->n; i++) {
		int depth = sp->lines[i].depth;
		GString *j;
		char *subject;
		size_t end = 0, t, len;
		const char *s;

		if (depth == 0 || !is_open(sp, i, depth))
			continue;
		s = larch_quote_body_of(sp, i, &len);
		while (len > 0 && (*s == ' ' || *s == '\t'))
			s++, len--;
		/* Cheap test first: a separator or a "Key:" line. */
		if (len == 0 || (strchr("-_=*", *s) == NULL &&
		    !is_header_line(sp, i)))
			continue;
		j = g_string_new(NULL);
		for (t = i; t < sp->n && t < i + MAX_HEADER_LINES &&
		    sp->lines[t].depth == depth && !sp->lines[t].set; t++) {
			s = larch_quote_body_of(sp, t, &len);
			g_string_append_len(j, s, (gssize)len);
			g_string_append_c(j, '\n');
		}
		subject = larch_quote_padded(j->str, j->len);
		for (guint r = 0; r < rules->len && end == 0; r++) {
			struct larch_match m;

			if (larch_pattern_matches_at(rules->pdata[r], subject,
			    j->len, 0, &m) && m.end[0] > 0)
				end = (size_t)m.end[0];
		}
		g_free(subject);
		g_string_free(j, TRUE);
		if (end == 0)
			continue;
		/* The lines the match covers, then the header lines right
		 * after them. */
		for (t = i, len = 0; t < sp->n && len < end; t++)
			len += sp->lines[t].len - sp->lines[t].body + 1;
		t = larch_quote_header_block_end(sp, i, t, depth);
		/* Only when quoted text follows it: otherwise it is
		 * someone's text that happens to look so. */
		if (t >= sp->n || sp->lines[t].depth < depth)
			continue;
		set_attribution(sp, header_block_start(sp, i, depth), t - 1, 0,
		    depth);
		i = t - 1;
	}
}
