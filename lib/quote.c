/*
 * Splitting a message's text into what the author wrote and the rest (see
 * include/larch/quote.h).  Every line gets a kind in passes, from the
 * surest evidence to the weakest: quote markers, footers, forwarded
 * blocks, attributions (quote_attr.c: header blocks in quotes, lines
 * right before quoted text at any depth, attribution lines elsewhere),
 * snip markers, signatures, and last the undelimited signature after a
 * sign-off (quote_signature.c).  What no pass claimed is new text, or
 * quoted text when it carries markers.
 * The patterns come from the rules (conf/quotes.conf); the passes only
 * decide where each kind of rule is tried.
 */
#include <string.h>
#include <glib.h>

#include "quote_private.h"

#define MAX_DEPTH 64

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
		if (larch_pattern_matches_at(rules->pdata[r], sp->text,
		    sp->len, start, &m) && (size_t)m.end[0] > start)
			return (size_t)m.end[0];
	return 0;
}

void
larch_quote_set_kind(struct larch_quote_line *l, enum larch_segment_kind kind)
{
	l->kind = kind;
	l->set = true;
}

void
larch_quote_line_place(const struct larch_quote_split *sp,
    struct larch_quote_line *l, int depth, size_t body)
{
	const char *s = sp->text + l->start;

	l->depth = depth;
	l->body = body;
	l->blank = true;
	for (size_t k = body; k < l->len && l->blank; k++)
		l->blank = g_ascii_isspace(s[k]);
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

size_t
larch_quote_word_count(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t k = 0; k < len; k++)
		n += !g_ascii_isspace(s[k]) &&
		    (k == 0 || g_ascii_isspace(s[k - 1]));
	return n;
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
gunichar
larch_quote_last_char(const char *s, size_t len)
{
	while (len > 0 && g_ascii_isspace(s[len - 1]))
		len--;
	if (len == 0)
		return 0;
	return g_utf8_get_char(g_utf8_find_prev_char(s, s + len));
}

/* Whether c is one of the ASCII characters in set. */
bool
larch_quote_is_one_of(gunichar c, const char *set)
{
	return c > 0 && c < 0x80 && strchr(set, (int)c) != NULL;
}

bool
larch_quote_ends_sentence(const char *s, size_t len)
{
	gunichar c = larch_quote_last_char(s, len);

	/* The ideographic full stop, fullwidth ! ? : ; too. */
	return larch_quote_is_one_of(c, ".!?:;") || c == 0x3002 || c == 0xFF01 ||
	    c == 0xFF1F || c == 0xFF1A || c == 0xFF1B;
}

int
larch_quote_count_markers(const struct larch_quote_split *sp, const char *s,
    size_t len, size_t from, size_t *body)
{
	GPtrArray *quote = sp->rules->rules[LARCH_RULE_QUOTE];
	int depth = 0;
	bool again = true;

	*body = from;
	while (again && depth < MAX_DEPTH) {
		struct larch_match m;

		again = false;
		for (guint r = 0; r < quote->len && !again; r++)
			if (larch_pattern_matches_at(quote->pdata[r], s, len,
			    *body, &m) && (size_t)m.end[0] > *body) {
				*body = (size_t)m.end[0];
				depth++;
				again = true;
			}
	}
	return depth;
}

/* Splits the text into lines and counts each line's quote markers. */
static void
read_lines(struct larch_quote_split *sp)
{
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct larch_quote_line));
	size_t pos = 0;

	while (pos < sp->len) {
		const char *s = sp->text + pos;
		const char *nl = memchr(s, '\n', sp->len - pos);
		struct larch_quote_line l = { 0 };
		size_t body;
		int depth;

		l.start = pos;
		l.len = nl != NULL ? (size_t)(nl - s) : sp->len - pos;
		depth = larch_quote_count_markers(sp, s, l.len, 0, &body);
		larch_quote_line_place(sp, &l, depth, body);
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

/* Line i's text after its markers, without blanks around it. */
static const char *
trimmed_body(const struct larch_quote_split *sp, size_t i, size_t *len)
{
	const char *s = larch_quote_body_of(sp, i, len);

	while (*len > 0 && g_ascii_isspace(s[*len - 1]))
		(*len)--;
	while (*len > 0 && g_ascii_isspace(*s))
		s++, (*len)--;
	return s;
}

/* Whether line i is an unquoted rule of punctuation ("==", "-----"), as
 * people put above and below a message they paste into theirs. */
static bool
is_rule_line(const struct larch_quote_split *sp, size_t i)
{
	size_t len;
	const char *s = trimmed_body(sp, i, &len);

	if (sp->lines[i].depth > 0 || !larch_quote_is_free(sp, i) ||
	    len < 2 || len > 80)
		return false;
	for (size_t k = 0; k < len; k++)
		if (strchr("=-_*~#+", s[k]) == NULL)
			return false;
	return true;
}

/* Whether line i is mutt's "----- End forwarded message -----" or the
 * like. */
static bool
is_forward_end(const struct larch_quote_split *sp, size_t i)
{
	size_t len;
	const char *s = trimmed_body(sp, i, &len);

	while (len > 0 && (*s == '-' || *s == ' '))
		s++, len--;
	while (len > 0 && (s[len - 1] == '-' || s[len - 1] == ' '))
		len--;
	return (len == 21 &&
	    g_ascii_strncasecmp(s, "end forwarded message", len) == 0) ||
	    (len == 24 &&
	    g_ascii_strncasecmp(s, "end of forwarded message", len) == 0);
}

/*
 * The last line of a forwarded or pasted block whose header block ends
 * before line t: a forward's end line, or when ruled (the block opens
 * with rule, a rule line such as "=="), a line repeating it; what follows
 * is the author's again.  sp->n when nothing closes the block.
 */
static size_t
forward_close(const struct larch_quote_split *sp, bool ruled, size_t rule,
    size_t t)
{
	size_t olen = 0, len;
	const char *open = ruled ? trimmed_body(sp, rule, &olen) : NULL, *s;

	for (size_t k = t; k < sp->n; k++) {
		if (!larch_quote_is_free(sp, k) || sp->lines[k].blank)
			continue;
		if (is_forward_end(sp, k))
			return k;
		s = trimmed_body(sp, k, &len);
		if (open != NULL && len == olen && memcmp(s, open, len) == 0)
			return k;
	}
	return sp->n;
}

/*
 * From the first forward rule's match to the end, or to the line that
 * closes it (forward_close()): the forwarded block.
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
		size_t end, t, next, close;
		bool body = false, ruled;

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
		for (next = t; next < sp->n && sp->lines[next].blank; next++)
			;
		ruled = i > 0 && is_rule_line(sp, i - 1);
		close = forward_close(sp, ruled, i - 1, t);
		if (next < sp->n && sp->lines[next].depth > 0 &&
		    (close == sp->n || !is_forward_end(sp, close))) {
			/* Over '>' lines the block attributes them alone
			 * (Mew writes it so, and so do people who paste
			 * headers over the lines they answer); the lines
			 * between are the author's.  A forward quoted
			 * with '>' to its end line (mutt) stays whole. */
			for (size_t k = i; k < t; k++)
				if (!sp->lines[k].set) {
					larch_quote_set_kind(&sp->lines[k],
					    LARCH_SEG_ATTRIBUTION);
					sp->lines[k].introduces =
					    sp->lines[next].depth;
				}
			i = next;
			continue;
		}
		if (close < sp->n && ruled)
			i--;
		for (size_t k = t; k < close && !body; k++)
			body = !sp->lines[k].set && !sp->lines[k].blank;
		for (size_t k = i; k <= close && k < sp->n; k++) {
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
	const char *s = trimmed_body(sp, i, &len);

	return len >= 2 && len <= 200 && ((s[0] == '[' && s[len - 1] == ']') ||
	    (s[0] == '(' && s[len - 1] == ')'));
}

/* Whether line i holds only dots ("..", "...", "…"). */
static bool
is_dots(const struct larch_quote_split *sp, size_t i)
{
	size_t len;
	const char *s = trimmed_body(sp, i, &len);

	for (size_t k = 0; k < len; k++) {
		if (s[k] == '.')
			continue;
		if (len - k >= 3 && memcmp(s + k, "\xe2\x80\xa6", 3) == 0) {
			k += 2;
			continue;
		}
		return false;
	}
	return true;
}

/* Whether line i is quoted, or the first line above or below it that is
 * not blank is quoted or an attribution. */
static bool
is_by_quote(const struct larch_quote_split *sp, size_t i)
{
	const struct larch_quote_line *l = sp->lines;
	size_t up = i, down = i + 1;

	if (l[i].depth > 0)
		return true;
	while (up > 0 && l[up - 1].blank)
		up--;
	while (down < sp->n && l[down].blank)
		down++;
	return (up > 0 && (l[up - 1].depth > 0 || (l[up - 1].set &&
	    l[up - 1].kind == LARCH_SEG_ATTRIBUTION))) ||
	    (down < sp->n && (l[down].depth > 0 || (l[down].set &&
	    l[down].kind == LARCH_SEG_ATTRIBUTION)));
}

/* Snip markers.  A line of dots alone marks elided quoted text only
 * next to a quote; among the author's own lines it is their text
 * (a pause, a stray ".."), not something to drop. */
static void
mark_snips(struct larch_quote_split *sp)
{
	for (size_t i = 0; i < sp->n; i++)
		if (larch_quote_is_free(sp, i) && !sp->lines[i].blank &&
		    larch_quote_line_is(sp, LARCH_RULE_SNIP, i) &&
		    (!is_dots(sp, i) || is_by_quote(sp, i)))
			larch_quote_set_kind(&sp->lines[i], LARCH_SEG_SNIP);
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
	larch_quote_mark_groupwise(&sp);
	larch_quote_mark_supercite(&sp);
	larch_quote_mark_indented(&sp);
	larch_quote_mend_wraps(&sp);
	mark_footers(&sp);
	larch_quote_mark_groupwise_original(&sp);
	mark_forward(&sp);
	larch_quote_mark_quoted_headers(&sp);
	larch_quote_mark_attributions(&sp);
	larch_quote_mark_loose_attributions(&sp);
	mark_snips(&sp);
	larch_quote_mark_signatures(&sp);
	larch_quote_mark_end_signature(&sp);
	larch_quote_mark_tail_signatures(&sp);
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
