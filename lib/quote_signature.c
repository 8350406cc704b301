/*
 * The signature passes of the quote splitter (quote.c runs them last):
 * signatures after a delimiter or a phone line, then an undelimited
 * signature after a sign-off ("Best regards," and a name or a card).
 */
#include <string.h>
#include <glib.h>

#include "quote_private.h"

/* Limits of a signature after a weak delimiter or a phone line. */
#define MAX_WEAK_SIG_LINES 6
#define MAX_LINE_SIG_LINES 4
/* Limits of an undelimited signature after a sign-off. */
#define MAX_TAIL_SIG_LINES 5
#define MAX_TAIL_SIG_CHARS 80

/*
 * Signatures: from a delimiter or a phone line to the next line some
 * earlier pass claimed (quoted text, an attribution, a footer...) or to a
 * postscript ("P.S. The minutes are attached."), which the author wrote
 * under their signature.  A weak delimiter ("--") counts only before a
 * short block; a phone line takes a short block after it along, or else
 * only itself.
 */
void
larch_quote_mark_signatures(struct larch_quote_split *sp)
{
	for (size_t i = 0; i < sp->n; i++) {
		size_t end, lines = 0;
		enum larch_quote_rule how;

		if (!larch_quote_is_free(sp, i) || sp->lines[i].blank)
			continue;
		if (larch_quote_line_is(sp, LARCH_RULE_SIGNATURE, i))
			how = LARCH_RULE_SIGNATURE;
		else if (larch_quote_line_is(sp, LARCH_RULE_SIGNATURE_WEAK, i))
			how = LARCH_RULE_SIGNATURE_WEAK;
		else if (larch_quote_line_is(sp, LARCH_RULE_SIGNATURE_LINE, i))
			how = LARCH_RULE_SIGNATURE_LINE;
		else
			continue;
		for (end = i + 1; end < sp->n &&
		    larch_quote_is_free(sp, end) && (sp->lines[end].blank ||
		    !larch_quote_line_is(sp, LARCH_RULE_POSTSCRIPT, end));
		    end++) {
			lines += !sp->lines[end].blank;
			/* A weak delimiter or a phone line only needs to
			 * know whether the block is short: stop counting
			 * there, or a body of many "--" lines is scanned to
			 * its end from each of them. */
			if ((how == LARCH_RULE_SIGNATURE_WEAK &&
			    lines > MAX_WEAK_SIG_LINES) ||
			    (how == LARCH_RULE_SIGNATURE_LINE &&
			    lines > MAX_LINE_SIG_LINES))
				break;
		}
		if (how == LARCH_RULE_SIGNATURE_WEAK &&
		    lines > MAX_WEAK_SIG_LINES)
			continue;
		if (how == LARCH_RULE_SIGNATURE_LINE &&
		    lines > MAX_LINE_SIG_LINES)
			end = i + 1;
		for (size_t t = i; t < end; t++)
			larch_quote_set_kind(&sp->lines[t],
			    LARCH_SEG_SIGNATURE);
		i = end - 1;
	}
}

/*
 * A one-line signature that only the end of the text can hold: the
 * delimiter with the name on its line ("-- ynezz", from a signature file
 * without its newline).  Mid-text, such a line is a dash in a sentence.
 */
void
larch_quote_mark_end_signature(struct larch_quote_split *sp)
{
	size_t i = sp->n;

	while (i > 0 && (sp->lines[i - 1].blank ||
	    !larch_quote_is_free(sp, i - 1)))
		i--;
	if (i > 0 && larch_quote_line_is(sp, LARCH_RULE_SIGNATURE_END, i - 1))
		larch_quote_set_kind(&sp->lines[i - 1], LARCH_SEG_SIGNATURE);
}

/* Whether a line looks like a person's name: one to four words, each
 * starting with a capital (or in a script without case), no digits, maybe
 * an address in angle brackets after it.  In text archived lossily a '?'
 * may be any letter ("J?rgen", "??????? ??????"). */
static bool
is_name_line(const char *s, size_t n, bool lossy)
{
	const char *lt = memchr(s, '<', n), *end;
	int words = 0;
	bool start = true, lost = false;

	if (lt != NULL)
		n = (size_t)(lt - s);
	end = s + n;
	if (larch_quote_char_count(s, n) > 40)
		return false;
	for (const char *p = s; p < end; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_isspace(c)) {
			start = true;
			lost = false;
			continue;
		}
		if (g_unichar_isdigit(c))
			return false;
		if (lossy && c == '?') {
			/* A lost first letter: the word counts from its
			 * first real one, which may be lower case. */
			lost = lost || start;
			start = false;
			continue;
		}
		if (start || lost) {
			if (!g_unichar_isalpha(c) ||
			    (start && g_unichar_islower(c)))
				return false;
			words++;
		} else if (!g_unichar_isalpha(c) && !larch_quote_is_one_of(c, "-.'")) {
			return false;
		}
		start = lost = false;
	}
	return words >= 1 && words <= 4;
}

/*
 * How block a..b-1 closes the text above a signature: 0 not at all, 1 it
 * ends with a sign-off and the name ("Thanks,\nMarkus"), 2 it is only the
 * sign-off line (HTML mails put the name in the next block).
 */
static int
signoff_kind(const struct larch_quote_split *sp, size_t a, size_t b)
{
	for (size_t t = b; t-- > a && b - t <= 3;) {
		size_t len;
		const char *s = larch_quote_body_of(sp, t, &len);

		if (larch_quote_char_count(s, len) > 40)
			return 0;
		if (larch_quote_line_is(sp, LARCH_RULE_SIGNOFF, t))
			return t == b - 1 ? 2 : 1;
	}
	return 0;
}

/* Whether block a..b-1 is a lone name ("Markus", "-Markus") that line
 * first, the signature's first line, starts with ("Markus Kummer"). */
static bool
is_name_block(const struct larch_quote_split *sp, size_t a, size_t b,
    size_t first)
{
	size_t n, tn;
	const char *s = larch_quote_body_of(sp, a, &n);
	const char *t = larch_quote_body_of(sp, first, &tn);

	if (b - a != 1)
		return false;
	while (n > 0 && (*s == '-' || g_ascii_isspace(*s)))
		s++, n--;
	while (n > 0 && g_ascii_isspace(s[n - 1]))
		n--;
	while (tn > 0 && g_ascii_isspace(*t))
		t++, tn--;
	if (n == 0 || larch_quote_char_count(s, n) > 30 || !is_name_line(s, n,
	    larch_quote_rules_are_lossy(sp->rules)))
		return false;
	return tn >= n && memcmp(s, t, n) == 0 &&
	    (tn == n || larch_quote_is_one_of((gunichar)t[n], " \t,<(|"));
}

/*
 * A business card as the last block, with no sign-off above it: two to
 * four short lines, the first a name, none ending a sentence, after some
 * text that does not announce a list (":").  Lines a..b-1; prev_end is
 * the end of the block above.
 */
static bool
is_card_block(const struct larch_quote_split *sp, size_t a, size_t b,
    size_t prev_end)
{
	size_t len;
	const char *s;

	if (b - a < 2 || b - a > 4)
		return false;
	s = larch_quote_body_of(sp, prev_end - 1, &len);
	while (len > 0 && g_ascii_isspace(s[len - 1]))
		len--;
	if (len > 0 && s[len - 1] == ':')
		return false;
	s = larch_quote_body_of(sp, a, &len);
	if (!is_name_line(s, len, larch_quote_rules_are_lossy(sp->rules)) ||
	    larch_quote_line_is(sp, LARCH_RULE_SIGNOFF, a))
		return false;
	for (size_t t = a; t < b; t++) {
		s = larch_quote_body_of(sp, t, &len);
		if (!larch_quote_is_card_line(s, len))
			return false;
	}
	return true;
}

bool
larch_quote_is_card_line(const char *s, size_t len)
{
	return larch_quote_char_count(s, len) <= 72 &&
	    (larch_quote_last_char(s, len) == '"' ||
	    !larch_quote_ends_sentence(s, len));
}

bool
larch_quote_is_motto(const char *s, size_t len)
{
	gunichar first, last;

	if (len < 4 || larch_quote_char_count(s, len) > 100 ||
	    memchr(s, '\n', len) != NULL)
		return false;
	first = g_utf8_get_char(s);
	last = larch_quote_last_char(s, len);
	return (first == '"' && last == '"') ||
	    (first == 0x201C && last == 0x201D) ||
	    (first == 0xAB && last == 0xBB);
}

/* Whether block a..b-1 is one line in quotation marks, the motto many
 * put under their name ("Markus\n\n\"Measure twice, cut once.\""). */
static bool
is_motto_block(const struct larch_quote_split *sp, size_t a, size_t b)
{
	size_t len;
	const char *s = larch_quote_body_of(sp, a, &len);

	return b - a == 1 && larch_quote_is_motto(s, len);
}

/* Whether block a..b-1 is a name alone on its line. */
static bool
is_lone_name(const struct larch_quote_split *sp, size_t a, size_t b)
{
	size_t len;
	const char *s = larch_quote_body_of(sp, a, &len);

	return b - a == 1 &&
	    is_name_line(s, len, larch_quote_rules_are_lossy(sp->rules)) &&
	    !larch_quote_line_is(sp, LARCH_RULE_SIGNOFF, a);
}

/* Whether s reads as a sentence: five words or more and a full stop. */
static bool
is_sentence(const char *s, size_t len)
{
	return larch_quote_word_count(s, len) >= 5 &&
	    larch_quote_is_one_of(larch_quote_last_char(s, len), ".!?");
}

/* Whether line i starts a postscript, footnotes, a link or an aside
 * ("P.S.", "[1] url", "(cross-posted)"): the author's, even below the
 * sign-off. */
static bool
is_afterword(const struct larch_quote_split *sp, size_t i)
{
	size_t len;
	const char *s = larch_quote_body_of(sp, i, &len);

	return (len >= 3 && (g_ascii_strncasecmp(s, "P.S", 3) == 0 ||
	    g_ascii_strncasecmp(s, "PS:", 3) == 0 ||
	    g_ascii_strncasecmp(s, "PS ", 3) == 0)) ||
	    (len >= 3 && s[0] == '[' && g_ascii_isdigit(s[1])) ||
	    (len >= 7 && g_ascii_strncasecmp(s, "http", 4) == 0) ||
	    larch_quote_is_aside(sp, i);
}

/* Whether the len bytes at s start a list item: "1. ", "2) ", "- ",
 * "* ", "• ". */
static bool
is_list_item(const char *s, size_t len)
{
	size_t k = 0;

	while (k < len && k < 3 && g_ascii_isdigit(s[k]))
		k++;
	if (k > 0)
		return k + 1 < len && (s[k] == '.' || s[k] == ')') &&
		    s[k + 1] == ' ';
	if (len >= 4 && memcmp(s, "\xe2\x80\xa2 ", 4) == 0)
		return true;
	return len >= 2 && (s[0] == '-' || s[0] == '*') && s[1] == ' ';
}

/* Whether the len bytes at s are a heading that announces what follows:
 * a few words from a letter on, ending with a colon ("Agenda:", "Next
 * steps:"). */
static bool
is_heading(const char *s, size_t len)
{
	return len > 0 && g_unichar_isalpha(g_utf8_get_char(s)) &&
	    larch_quote_last_char(s, len) == ':' && larch_quote_char_count(s, len) <= 40;
}

/* Whether block a..b-1 may be part of an undelimited signature; *lines
 * counts the lines of the signature so far.  A block that a heading
 * starts or that holds a list item is the author's: a signature holds
 * neither ("Best\nAnna\n\nAgenda:\n1. Access"). */
static bool
is_tail_block(const struct larch_quote_split *sp, size_t a, size_t b,
    size_t *lines)
{
	size_t fl, ll;
	const char *f = larch_quote_body_of(sp, a, &fl);
	const char *l = larch_quote_body_of(sp, b - 1, &ll);

	*lines += b - a;
	if (*lines > MAX_TAIL_SIG_LINES || is_afterword(sp, a))
		return false;
	/* An aside in parentheses wrapped over lines is the author's. */
	while (ll > 0 && g_ascii_isspace(l[ll - 1]))
		ll--;
	if (fl > 0 && f[0] == '(' && ll > 0 && l[ll - 1] == ')')
		return false;
	for (size_t t = a; t < b; t++) {
		size_t len;
		const char *s = larch_quote_body_of(sp, t, &len);

		if (larch_quote_char_count(s, len) > MAX_TAIL_SIG_CHARS ||
		    is_sentence(s, len) || is_list_item(s, len) ||
		    (t == a && is_heading(s, len)))
			return false;
	}
	return true;
}

/*
 * Outlook and others put the sender's card under the message with no
 * delimiter: a short block of short lines after a sign-off block, at the
 * end of new text (before the attribution or forwarded block, or at the
 * end), is a signature; so is a card or a name and a motto with no
 * sign-off above.  Lines from..to-1 are unclaimed and unquoted.
 */
static void
mark_tail_signature(struct larch_quote_split *sp, size_t from, size_t to)
{
	size_t bs[MAX_TAIL_SIG_LINES + 2], be[MAX_TAIL_SIG_LINES + 2];
	size_t nb = 0, lines = 0, sig = to;
	int kind;

	/* The blocks (runs of non-blank lines), from the last one back. */
	for (size_t i = to; i > from && nb < G_N_ELEMENTS(bs);) {
		while (i > from && sp->lines[i - 1].blank)
			i--;
		if (i == from)
			break;
		be[nb] = i;
		while (i > from && !sp->lines[i - 1].blank)
			i--;
		bs[nb++] = i;
	}
	for (size_t b = 1; b < nb && sig == to; b++) {
		if (!is_tail_block(sp, bs[b - 1], be[b - 1], &lines))
			break;
		kind = signoff_kind(sp, bs[b], be[b]);
		if (kind == 1 || is_name_block(sp, bs[b], be[b], bs[b - 1])) {
			sig = bs[b - 1];
		} else if (kind == 2) {
			if (b >= 2 && is_lone_name(sp, bs[b - 1], be[b - 1]))
				sig = bs[b - 2];
			break;
		}
	}
	if (sig == to && nb >= 2 && is_card_block(sp, bs[0], be[0], be[1]))
		sig = bs[0];
	if (sig == to && nb >= 3 && is_motto_block(sp, bs[0], be[0]) &&
	    is_lone_name(sp, bs[1], be[1]))
		sig = bs[1];
	for (size_t t = sig; t < to; t++)
		larch_quote_set_kind(&sp->lines[t], LARCH_SEG_SIGNATURE);
}

/* Runs the tail signature check on each run of unclaimed lines that ends
 * the new text: at the end, or before an attribution, forwarded block or
 * footer (not before quoted text: that is an interleaved answer). */
void
larch_quote_mark_tail_signatures(struct larch_quote_split *sp)
{
	size_t from = 0;

	for (size_t i = 0; i <= sp->n; i++) {
		const struct larch_quote_line *l = i < sp->n ? &sp->lines[i] :
		    NULL;

		if (l != NULL && larch_quote_is_free(sp, i))
			continue;
		if (i > from && (l == NULL ||
		    (l->set && (l->kind == LARCH_SEG_ATTRIBUTION ||
		    l->kind == LARCH_SEG_FORWARD ||
		    l->kind == LARCH_SEG_FOOTER))))
			mark_tail_signature(sp, from, i);
		from = i + 1;
	}
}
