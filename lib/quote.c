/*
 * Splitting a message's text into what the author wrote and the rest (see
 * include/larch/quote.h).  Every line gets a kind in passes, from the
 * surest evidence to the weakest: quote markers, footers, forwarded
 * blocks, attributions (quote_attr.c: header blocks in quotes, lines
 * right before quoted text at any depth, attribution lines elsewhere),
 * snip markers, signatures, and last the undelimited signature after a
 * sign-off.  What no pass claimed is new text, or quoted text when it carries markers.
 * The patterns come from the rules (conf/quotes.conf); the passes only
 * decide where each kind of rule is tried.
 */
#include <string.h>
#include <glib.h>

#include "quote_private.h"

#define MAX_DEPTH 64
/* Limits of a signature after a weak delimiter or a phone line. */
#define MAX_WEAK_SIG_LINES 6
#define MAX_LINE_SIG_LINES 4
/* Limits of an undelimited signature after a sign-off. */
#define MAX_TAIL_SIG_LINES 5
#define MAX_TAIL_SIG_CHARS 80

const char *
larch_quote_body_of(const struct larch_quote_split *sp, size_t i, size_t *len)
{
	const struct larch_quote_line *l = &sp->lines[i];

	*len = l->len - l->body;
	return sp->text + l->start + l->body;
}

/* Whether a rule of kind is found in line i (after its markers). */
bool
larch_quote_line_is(const struct larch_quote_split *sp,
    enum larch_quote_rule kind, size_t i)
{
	size_t len;
	const char *s = larch_quote_body_of(sp, i, &len);

	return larch_quote_rule_found(sp->rules, kind, s, len);
}

/* The end of the first match of a rule of kind that starts at line i's
 * start and runs over the rest of the text, or 0.  The rules are anchored
 * there by \G (see quote_rules.c). */
size_t
larch_quote_block_match(const struct larch_quote_split *sp,
    enum larch_quote_rule kind, size_t i)
{
	GPtrArray *rules = sp->rules->rules[kind];
	size_t start = sp->lines[i].start;
	struct larch_match m;

	for (guint r = 0; r < rules->len; r++)
		if (larch_pattern_find(rules->pdata[r], sp->text, sp->len,
		    start, &m) && (size_t)m.start[0] == start &&
		    (size_t)m.end[0] > start)
			return (size_t)m.end[0];
	return 0;
}

void
larch_quote_set_kind(struct larch_quote_line *l, enum larch_segment_kind kind)
{
	l->kind = kind;
	l->set = true;
}

bool
larch_quote_is_free(const struct larch_quote_split *sp, size_t i)
{
	return !sp->lines[i].set && sp->lines[i].depth == 0;
}

size_t
larch_quote_char_count(const char *s, size_t len)
{
	return (size_t)g_utf8_strlen(s, (gssize)len);
}

bool
larch_quote_is_blank(gunichar c)
{
	return g_unichar_isspace(c) || c == 0xA0 || c == 0x202F ||
	    g_unichar_type(c) == G_UNICODE_FORMAT;
}

size_t
larch_quote_trim_end(const char *s, size_t len)
{
	while (len > 0) {
		const char *p = g_utf8_find_prev_char(s, s + len);

		if (p == NULL || !larch_quote_is_blank(g_utf8_get_char(p)))
			break;
		len = (size_t)(p - s);
	}
	return len;
}

/* The last character of s that is not a blank, or 0. */
static gunichar
last_char(const char *s, size_t len)
{
	while (len > 0 && g_ascii_isspace(s[len - 1]))
		len--;
	if (len == 0)
		return 0;
	return g_utf8_get_char(g_utf8_find_prev_char(s, s + len));
}

/* Whether c is one of the ASCII characters in set. */
static bool
is_one_of(gunichar c, const char *set)
{
	return c > 0 && c < 0x80 && strchr(set, (int)c) != NULL;
}

bool
larch_quote_ends_sentence(const char *s, size_t len)
{
	gunichar c = last_char(s, len);

	/* The ideographic full stop, fullwidth ! ? : ; too. */
	return is_one_of(c, ".!?:;") || c == 0x3002 || c == 0xFF01 ||
	    c == 0xFF1F || c == 0xFF1A || c == 0xFF1B;
}

/* Splits the text into lines and counts each line's quote markers. */
static void
read_lines(struct larch_quote_split *sp)
{
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct larch_quote_line));
	GPtrArray *quote = sp->rules->rules[LARCH_RULE_QUOTE];
	size_t pos = 0;

	while (pos < sp->len) {
		const char *s = sp->text + pos;
		const char *nl = memchr(s, '\n', sp->len - pos);
		struct larch_quote_line l = { 0 };
		bool again = true;

		l.start = pos;
		l.len = nl != NULL ? (size_t)(nl - s) : sp->len - pos;
		while (again && l.depth < MAX_DEPTH) {
			struct larch_match m;

			again = false;
			for (guint r = 0; r < quote->len && !again; r++)
				if (larch_pattern_matches_at(quote->pdata[r],
				    s, l.len, l.body, &m) &&
				    (size_t)m.end[0] > l.body) {
					l.body = (size_t)m.end[0];
					l.depth++;
					again = true;
				}
		}
		l.blank = true;
		for (size_t k = l.body; k < l.len && l.blank; k++)
			l.blank = g_ascii_isspace(s[k]);
		g_array_append_val(a, l);
		pos += l.len + 1;
	}
	sp->n = a->len;
	sp->lines = (struct larch_quote_line *)(void *)g_array_free(a, FALSE);
}

/* Footers first: a footer may sit inside a forwarded block. */
static void
mark_footers(struct larch_quote_split *sp)
{
	for (size_t i = 0; i < sp->n; i++) {
		size_t end;

		if (!larch_quote_is_free(sp, i) || sp->lines[i].blank ||
		    (end = larch_quote_block_match(sp, LARCH_RULE_FOOTER,
		    i)) == 0)
			continue;
		for (; i < sp->n && sp->lines[i].start < end; i++)
			larch_quote_set_kind(&sp->lines[i], LARCH_SEG_FOOTER);
		i--;
	}
}

/* The first line at or after line i that starts at or after offset end. */
static size_t
line_after(const struct larch_quote_split *sp, size_t i, size_t end)
{
	while (i < sp->n && sp->lines[i].start < end)
		i++;
	return i;
}

/*
 * From the first forward rule's match to the end: the forwarded block.
 * Its header block (a separator line, "From:", "Sent:"... or both, as
 * Outlook writes them over the original under a reply) is the
 * attribution of the text under it, as in a quote; a separator with
 * blank lines before the header lines (HTML mail) takes them along when
 * a forward rule matches there too.
 */
static void
mark_forward(struct larch_quote_split *sp)
{
	for (size_t i = 0; i < sp->n; i++) {
		size_t end, t, next;
		bool body = false;

		if (!larch_quote_is_free(sp, i) || sp->lines[i].blank ||
		    (end = larch_quote_block_match(sp, LARCH_RULE_FORWARD,
		    i)) == 0)
			continue;
		t = line_after(sp, i, end);
		for (next = t; next < sp->n && sp->lines[next].blank; next++)
			;
		if (t == i + 1 && next > t && next < sp->n &&
		    larch_quote_is_free(sp, next) &&
		    (end = larch_quote_block_match(sp, LARCH_RULE_FORWARD,
		    next)) > 0)
			t = line_after(sp, next, end);
		t = larch_quote_header_block_end(sp, i, t, 0);
		for (size_t k = t; k < sp->n && !body; k++)
			body = !sp->lines[k].set && !sp->lines[k].blank;
		for (size_t k = i; k < sp->n; k++) {
			if (sp->lines[k].set)
				continue;
			larch_quote_set_kind(&sp->lines[k], body && k < t ?
			    LARCH_SEG_ATTRIBUTION : LARCH_SEG_FORWARD);
			sp->lines[k].introduces = 1;
		}
		return;
	}
}

bool
larch_quote_has_alnum(const char *s, size_t len)
{
	for (const char *p = s; p < s + len; p = g_utf8_next_char(p))
		if (g_unichar_isalnum(g_utf8_get_char(p)))
			return true;
	return false;
}

/* Whether line i is an editor's aside, "[long trace cut]" or "(details
 * below)", as people put between an attribution and its quote. */
bool
larch_quote_is_aside(const struct larch_quote_split *sp, size_t i)
{
	size_t len;
	const char *s = larch_quote_body_of(sp, i, &len);

	while (len > 0 && g_ascii_isspace(s[len - 1]))
		len--;
	while (len > 0 && g_ascii_isspace(*s))
		s++, len--;
	return len >= 2 && len <= 200 && ((s[0] == '[' && s[len - 1] == ']') ||
	    (s[0] == '(' && s[len - 1] == ')'));
}

static void
mark_snips(struct larch_quote_split *sp)
{
	for (size_t i = 0; i < sp->n; i++)
		if (larch_quote_is_free(sp, i) && !sp->lines[i].blank &&
		    larch_quote_line_is(sp, LARCH_RULE_SNIP, i))
			larch_quote_set_kind(&sp->lines[i], LARCH_SEG_SNIP);
}

/*
 * Signatures: from a delimiter or a phone line to the next line some
 * earlier pass claimed (quoted text, an attribution, a footer...).  A weak
 * delimiter ("--") counts only before a short block; a phone line takes a
 * short block after it along, or else only itself.
 */
static void
mark_signatures(struct larch_quote_split *sp)
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
		    larch_quote_is_free(sp, end); end++) {
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
		} else if (!g_unichar_isalpha(c) && !is_one_of(c, "-.'")) {
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
	    (tn == n || is_one_of((gunichar)t[n], " \t,<(|"));
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
		gunichar c;

		s = larch_quote_body_of(sp, t, &len);
		c = last_char(s, len);
		if (larch_quote_char_count(s, len) > 72 || (c != '"' &&
		    larch_quote_ends_sentence(s, len)))
			return false;
	}
	return true;
}

/* Whether block a..b-1 is one line in quotation marks, the motto many
 * put under their name ("Markus\n\n\"Measure twice, cut once.\""). */
static bool
is_motto_block(const struct larch_quote_split *sp, size_t a, size_t b)
{
	size_t len;
	const char *s = larch_quote_body_of(sp, a, &len);
	gunichar first, last;

	if (b - a != 1 || len < 4 || larch_quote_char_count(s, len) > 100)
		return false;
	first = g_utf8_get_char(s);
	last = last_char(s, len);
	return (first == '"' && last == '"') ||
	    (first == 0x201C && last == 0x201D) ||
	    (first == 0xAB && last == 0xBB);
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
	int words = 0;

	for (size_t k = 0; k < len; k++)
		words += !g_ascii_isspace(s[k]) &&
		    (k == 0 || g_ascii_isspace(s[k - 1]));
	return words >= 5 && is_one_of(last_char(s, len), ".!?");
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
	    last_char(s, len) == ':' && larch_quote_char_count(s, len) <= 40;
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
static void
mark_tail_signatures(struct larch_quote_split *sp)
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

/* Appends a segment, or the line to the last one when it continues it. */
static void
add_line(GPtrArray *out, size_t first, enum larch_segment_kind kind,
    int depth, const char *s, size_t len, GString **cur, size_t blanks)
{
	struct larch_segment *seg = out->len > first ?
	    out->pdata[out->len - 1] : NULL;

	if (seg != NULL && *cur != NULL && seg->kind == kind &&
	    seg->depth == depth) {
		for (size_t b = 0; b < blanks; b++)
			g_string_append_c(*cur, '\n');
		g_string_append_c(*cur, '\n');
		g_string_append_len(*cur, s, (gssize)len);
		return;
	}
	if (seg != NULL && *cur != NULL)
		seg->text = g_string_free(*cur, FALSE);
	seg = g_new0(struct larch_segment, 1);
	seg->kind = kind;
	seg->depth = depth;
	g_ptr_array_add(out, seg);
	*cur = g_string_new_len(s, (gssize)len);
}

/* Turns the classified lines into segments; blank lines join a segment
 * only when it goes on after them. */
static void
emit(const struct larch_quote_split *sp, GPtrArray *out)
{
	size_t first = out->len, blanks = 0;
	GString *cur = NULL;

	for (size_t i = 0; i < sp->n; i++) {
		const struct larch_quote_line *l = &sp->lines[i];
		const char *s = sp->text + l->start;
		int depth = 0;
		size_t len = l->len;

		if (l->blank) {
			blanks++;
			continue;
		}
		if (l->glue > 0) {
			/* The underscores an HTML mail's rule became are
			 * not the author's ("Agreed___On ... wrote:"). */
			size_t keep = l->glue;

			while (keep > 0 && (s[keep - 1] == '_' ||
			    g_ascii_isspace(s[keep - 1])))
				keep--;
			if (keep > 0)
				add_line(out, first, LARCH_SEG_NEW, 0, s, keep,
				    &cur, blanks);
			s += l->glue;
			len -= l->glue;
			blanks = 0;
		}
		if (l->kind == LARCH_SEG_QUOTE) {
			s += l->body;
			len -= l->body;
			depth = l->depth;
		} else if (l->kind == LARCH_SEG_ATTRIBUTION) {
			s += l->body;
			len -= l->body;
			depth = l->introduces;
		} else if (l->kind == LARCH_SEG_FORWARD) {
			depth = 1;
		}
		if (l->rest > 0) {
			size_t head = (size_t)(sp->text + l->start + l->rest -
			    s), tail = head;

			while (head > 0 && g_ascii_isspace(s[head - 1]))
				head--;
			add_line(out, first, l->kind, depth, s, head, &cur,
			    blanks);
			add_line(out, first, LARCH_SEG_FORWARD, 1, s + tail,
			    len - tail, &cur, 0);
		} else {
			add_line(out, first, l->kind, depth, s, len, &cur,
			    blanks);
		}
		blanks = 0;
	}
	if (cur != NULL) {
		struct larch_segment *seg = out->pdata[out->len - 1];

		seg->text = g_string_free(cur, FALSE);
	}
}

void
larch_quote_split(const struct larch_quote_rules *rules, const char *text,
    size_t len, GPtrArray *out)
{
	struct larch_quote_split sp = { 0 };
	char *made, *valid;

	if (text == NULL || len == 0)
		return;
	/* Rules see valid, NUL-terminated UTF-8: bad bytes become U+FFFD. */
	made = g_utf8_make_valid(text, (gssize)len);
	sp.len = strlen(made);
	valid = larch_quote_padded(made, sp.len);
	g_free(made);
	sp.rules = rules != NULL ? rules : larch_quote_rules_default();
	sp.text = valid;
	read_lines(&sp);
	larch_quote_mend_wraps(&sp);
	mark_footers(&sp);
	mark_forward(&sp);
	larch_quote_mark_quoted_headers(&sp);
	larch_quote_mark_attributions(&sp);
	larch_quote_mark_loose_attributions(&sp);
	mark_snips(&sp);
	mark_signatures(&sp);
	mark_tail_signatures(&sp);
	for (size_t i = 0; i < sp.n; i++)
		if (!sp.lines[i].set)
			larch_quote_set_kind(&sp.lines[i],
			    sp.lines[i].depth > 0 ? LARCH_SEG_QUOTE :
			    LARCH_SEG_NEW);
	emit(&sp, out);
	g_free(sp.lines);
	g_free(valid);
}

void
larch_segment_free(gpointer segment)
{
	struct larch_segment *seg = segment;

	if (seg == NULL)
		return;
	g_free(seg->text);
	g_free(seg);
}

char *
larch_quote_new_text(GPtrArray *segments)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; segments != NULL && i < segments->len; i++) {
		const struct larch_segment *seg = segments->pdata[i];

		if (seg->kind != LARCH_SEG_NEW)
			continue;
		if (s->len > 0)
			g_string_append(s, "\n\n");
		g_string_append(s, seg->text);
	}
	return g_string_free(s, FALSE);
}

const char *
larch_segment_kind_name(enum larch_segment_kind kind)
{
	static const char *const names[] = {
		[LARCH_SEG_NEW] = "new", [LARCH_SEG_QUOTE] = "quote",
		[LARCH_SEG_ATTRIBUTION] = "attribution",
		[LARCH_SEG_FORWARD] = "forward",
		[LARCH_SEG_SIGNATURE] = "signature",
		[LARCH_SEG_FOOTER] = "footer", [LARCH_SEG_SNIP] = "snip",
	};

	return (unsigned)kind < G_N_ELEMENTS(names) ? names[kind] : "unknown";
}
