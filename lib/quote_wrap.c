/*
 * Quoted lines that a client rewrapped and whose overflow lost its quote
 * marker ("> ... the meeting on Friday in" / "Geneva, as planned"), or
 * some of its markers ("> > > ... the event was" / "> a" / "> > > new
 * one"), told apart from the answers people put right under a quoted
 * line ("+1", "yes, I will attend.").
 */
#include <string.h>
#include <glib.h>

#include "quote_private.h"

/* A quoted line this long (markers included) reaches the width clients
 * wrap at; a shorter one that stops mid-sentence was cut well before it,
 * and what follows it may be long. */
#define MIN_FULL_WIDTH 64
/* The width most clients wrap quotes at: the first word of a line's
 * overflow does not fit after it. */
#define WRAP_WIDTH 76
/* The most words a quoted line's overflow under a deeper one is taken to
 * have; more is an answer written between the quoted lines. */
#define MAX_OVERFLOW_WORDS 4

/* Whether the len bytes at s end with a full stop, '!' or '?' (blanks
 * after it aside). */
static bool
ends_with_stop(const char *s, size_t len)
{
	while (len > 0 && g_ascii_isspace(s[len - 1]))
		len--;
	return len > 0 && strchr(".!?", s[len - 1]) != NULL;
}

/* Words a line of prose does not end with: a line that does was cut
 * ("... easier for" / "me to start"). */
static const char *const open_words[] = {
	"the", "a", "an", "to", "of", "in", "on", "at", "for", "with", "by",
	"from", "and", "or", "but", "that", "which", "this", "than", "as",
	"is", "are", "be", "not", "no", "my", "your", "our", "their", "its",
	NULL
};

/* Whether the len bytes at s end with a blank (format=flowed's soft
 * break) or with a word that leaves the sentence open. */
static bool
ends_open(const char *s, size_t len)
{
	size_t end = len, w;

	if (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		return true;
	for (w = end; w > 0 && g_ascii_isalpha(s[w - 1]); w--)
		;
	if (w == end || (w > 0 && !g_ascii_isspace(s[w - 1])))
		return false;
	for (const char *const *o = open_words; *o != NULL; o++)
		if (strlen(*o) == end - w &&
		    g_ascii_strncasecmp(s + w, *o, end - w) == 0)
			return true;
	return false;
}

/* The columns the len bytes at s take on screen, tabs to the next
 * multiple of 8. */
static size_t
line_columns(const char *s, size_t len)
{
	size_t cols = 0;

	for (const char *p = s; p < s + len; p = g_utf8_next_char(p))
		cols = *p == '\t' ? (cols / 8 + 1) * 8 : cols + 1;
	return cols;
}

/* The characters of the first word of the len bytes at s. */
static size_t
first_word_chars(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && !g_ascii_isspace(s[n]))
		n++;
	return larch_quote_char_count(s, n);
}

/* Short answers people put under the quoted line they answer ("yes, I
 * will", "ok.", "+1"); a cut line's overflow rarely is one of these. */
static const char *const answer_words[] = {
	"yes", "no", "ok", "okay", "agreed", "sure", "yep", "nope", "ack",
	"nack", "done", "fine", "thanks", NULL
};

/* Whether the len bytes at s start like an answer: a vote ("+1", "-1"),
 * the answerer's initials in brackets ("[AS] I agree"), a name it is
 * addressed to ("@Markus: yes") or an answer word alone or before
 * punctuation ("yes, I will").  A footnote ("[3] https://...") is not
 * one. */
static bool
starts_answer(const char *s, size_t len)
{
	size_t k;

	if (len >= 2 && (*s == '+' || *s == '-') && g_ascii_isdigit(s[1]))
		return true;
	if (len >= 2 && *s == '@' && g_ascii_isalpha(s[1]))
		return true;
	if (len >= 3 && *s == '[') {
		for (k = 1; k < len && k <= 20 && g_ascii_isalpha(s[k]); k++)
			;
		if (k > 1 && k < len && s[k] == ']')
			return true;
	}
	for (const char *const *w = answer_words; *w != NULL; w++) {
		size_t n = strlen(*w);

		if (n <= len && g_ascii_strncasecmp(s, *w, n) == 0 &&
		    (n == len || strchr(",.!:;", s[n]) != NULL))
			return true;
	}
	return false;
}

/*
 * Some clients rewrap long quoted lines and drop the marker on the
 * continuation: an unquoted line right after a long quoted line cut
 * mid-sentence and right before more quoted text (or a blank line) is
 * that quote's continuation, when it can be its overflow.  It does not
 * start with a capital or like an answer ("+1", "[AS]", "@Markus:",
 * "yes, ..."), unless the quoted line after it finishes its sentence
 * (bridges()); then the line above may end one.  Under a quoted line as
 * wide as clients wrap, a sentence whose first word would have fit on
 * that line ends the quote as an answer ("no objection from me."),
 * unless the quoted line ends open (a trailing blank, "... easier for")
 * or the quote goes on right after it.  A quoted line cut well short of
 * the width takes what follows, whatever it is.
 */
/* Whether the len bytes at s can go on a sentence cut above them: they
 * start with neither a capital nor a blank, nor like an answer. */
static bool
can_continue(const char *s, size_t len)
{
	gunichar c = g_utf8_get_char(s);

	return !g_unichar_isupper(c) && !g_unichar_istitle(c) &&
	    !g_unichar_isspace(c) && !starts_answer(s, len);
}

/*
 * A sentence begun under a quoted line and finished by the quoted line
 * after it ("> ... volviÃ³ a funcionar." / "Muchas gracias por la" /
 * "> respuesta rÃ¡pida, ya funciona."): the line between is the overflow
 * of a quoted line cut after a full stop, capital or not.  An answer put
 * between two quoted lines ends its sentence, or the quote after it
 * starts one.
 */
static bool
bridges(const struct larch_quote_split *sp, size_t i)
{
	const struct larch_quote_line *n;
	const char *s, *ns;
	size_t len, nlen;

	if (i + 1 >= sp->n)
		return false;
	n = &sp->lines[i + 1];
	if (n->blank || n->depth != sp->lines[i - 1].depth)
		return false;
	s = larch_quote_body_of(sp, i, &len);
	ns = larch_quote_body_of(sp, i + 1, &nlen);
	/* "[snip snip snip]" between two parts of a quote marks a cut. */
	return nlen > 0 && !larch_quote_line_is(sp, LARCH_RULE_SNIP, i) &&
	    !larch_quote_ends_sentence(s, len) &&
	    !starts_answer(s, len) && g_unichar_islower(g_utf8_get_char(ns)) &&
	    !starts_answer(ns, nlen);
}

/*
 * A client that rewraps a reply's quotes cuts a deep quoted line and
 * puts its overflow under it with the reply's own marker only ("> > >
 * ... the event was" / "> a" / "> > > new one"): a quoted line of a few
 * words right after a deeper line as wide as clients wrap, cut
 * mid-sentence, and right before that depth goes on, is its overflow,
 * unless it starts with a capital or like an answer; either way when the
 * deeper line after it finishes its sentence (bridges()).
 */
static void
mend_quoted_wraps(struct larch_quote_split *sp)
{
	for (size_t i = 1; i + 1 < sp->n; i++) {
		struct larch_quote_line *l = &sp->lines[i];
		const struct larch_quote_line *p = &sp->lines[i - 1];
		const char *ps, *s;
		size_t plen, len;

		if (l->depth == 0 || l->blank || l->set ||
		    p->depth <= l->depth || p->blank ||
		    sp->lines[i + 1].depth != p->depth ||
		    sp->lines[i + 1].blank)
			continue;
		ps = larch_quote_body_of(sp, i - 1, &plen);
		s = larch_quote_body_of(sp, i, &len);
		if (p->len > LARCH_QUOTE_MAX_RULE_LINE ||
		    larch_quote_char_count(sp->text + p->start, p->len) <
		    MIN_FULL_WIDTH || larch_quote_word_count(s, len) >
		    MAX_OVERFLOW_WORDS ||
		    ((larch_quote_ends_sentence(ps, plen) ||
		    !can_continue(s, len)) && !bridges(sp, i)))
			continue;
		l->depth = p->depth;
	}
}

void
larch_quote_mend_wraps(struct larch_quote_split *sp)
{
	mend_quoted_wraps(sp);
	for (size_t i = 1; i < sp->n; i++) {
		struct larch_quote_line *l = &sp->lines[i];
		struct larch_quote_line *p = &sp->lines[i - 1];
		const char *ps, *s = sp->text + l->start;
		size_t plen, pchars;

		if (l->depth > 0 || l->blank || p->depth == 0 || p->blank)
			continue;
		ps = larch_quote_body_of(sp, i - 1, &plen);
		if (p->len > LARCH_QUOTE_MAX_RULE_LINE ||
		    (pchars = larch_quote_char_count(sp->text + p->start,
		    p->len)) < 40)
			continue;
		if ((larch_quote_ends_sentence(ps, plen) ||
		    !can_continue(s, l->len)) && !bridges(sp, i))
			continue;
		if (i + 1 < sp->n && !sp->lines[i + 1].blank &&
		    sp->lines[i + 1].depth == 0)
			continue;
		if (pchars >= MIN_FULL_WIDTH && line_columns(sp->text +
		    p->start, p->len) + 1 + first_word_chars(s, l->len) <=
		    WRAP_WIDTH && !ends_open(ps, plen) && (i + 1 >= sp->n ||
		    sp->lines[i + 1].depth != p->depth) &&
		    ends_with_stop(s, l->len))
			continue;
		l->depth = p->depth;
		larch_quote_set_kind(l, LARCH_SEG_QUOTE);
	}
}
