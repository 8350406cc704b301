/*
 * Shared between quote.c (the splitter), quote_attr.c (attributions),
 * quote_summary.c, quote_apply.c, quote_rules.c (the rules file) and
 * quote_builtin.c (the built-in rules).  Not a public interface.
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

/*
 * text without its inline OpenPGP clear-signing (quote_pgp.c): the armour
 * header and its "Hash:" lines, the signature block, and the "- " that
 * escapes lines starting with '-' in between.  Only unquoted armour at
 * the start of a line counts.  NULL when text holds none; else a new
 * string the caller g_free()s.
 */
char *larch_quote_unarmour(const char *text);

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
	LARCH_RULE_SIGNATURE_END,
	LARCH_RULE_SIGNOFF,
	LARCH_RULE_GREETING,
	LARCH_RULE_SUMMARY_END,
	LARCH_RULE_POSTSCRIPT,
	LARCH_RULE_COUNT
};

struct larch_quote_rules {
	/* struct larch_pattern * per kind, in file order; never NULL. */
	GPtrArray *rules[LARCH_RULE_COUNT];
	/* The same rules for text whose non-ASCII letters were archived
	 * as '?' (see larch_quote_lossy_pattern()), or NULL in that set
	 * itself. */
	struct larch_quote_rules *lossy;
	/* In a lossy set, the set it is the variant of; else NULL. */
	const struct larch_quote_rules *plain;
};

/*
 * A rule's pattern rewritten for text in which '?' may stand for a lost
 * non-ASCII letter, or with marks any lost non-ASCII character (a
 * full-width colon): each such character of the pattern also matches one
 * to four '?', a character class with one also admits '?', and a negated
 * class stops excluding '?'.  NULL when the rewriting changes nothing
 * (lib/quote_lossy.c).  Caller g_free()s.
 */
char *larch_quote_lossy_pattern(const char *pattern, bool marks);

/* Whether rules are a lossy variant set. */
static inline bool
larch_quote_rules_are_lossy(const struct larch_quote_rules *rules)
{
	return rules->plain != NULL;
}

/*
 * Whether the len bytes at s spell name, where text archived lossily may
 * have '?' for each non-ASCII character of the name (see
 * larch_quote_lossy_pattern()) when lossy is true.
 */
bool larch_quote_same_name(const char *s, size_t len, const char *name,
    bool lossy);

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

/* ---- the splitter's state, shared by quote.c and quote_attr.c -------- */

struct larch_quote_line {
	size_t start;		/* offset of the line in the text */
	size_t len;		/* without the newline */
	size_t body;		/* bytes of quote markers at its start */
	int depth;
	bool blank;		/* nothing but blanks after the markers */
	bool set;		/* kind is decided */
	enum larch_segment_kind kind;
	size_t glue;		/* bytes of new text glued before an
				 * attribution on this line */
	size_t rest;		/* where the original glued after an
				 * attribution on this line starts
				 * ("wrote:   Dear all,"), or 0 */
	int introduces;		/* for an attribution: the depth of the
				 * quote it introduces */
};

struct larch_quote_split {
	const struct larch_quote_rules *rules;
	const char *text;	/* valid UTF-8, NUL-terminated */
	size_t len;
	struct larch_quote_line *lines;
	size_t n;
};

/* Line i's text after its quote markers; *len gets its length. */
const char *larch_quote_body_of(const struct larch_quote_split *sp,
    size_t i, size_t *len);
/* Whether a rule of kind is found in line i (after its markers). */
bool larch_quote_line_is(const struct larch_quote_split *sp,
    enum larch_quote_rule kind, size_t i);
/* The end of a match of a rule of kind that starts at line i's start and
 * runs over the rest of the text, or 0. */
size_t larch_quote_block_match(const struct larch_quote_split *sp,
    enum larch_quote_rule kind, size_t i);
void larch_quote_set_kind(struct larch_quote_line *l,
    enum larch_segment_kind kind);
/* Gives line l depth, its own text starting at body, and whether that
 * text is blank: as read, or when a pass finds it quoted deeper. */
void larch_quote_line_place(const struct larch_quote_split *sp,
    struct larch_quote_line *l, int depth, size_t body);
/* Whether line i is unquoted and no pass claimed it yet. */
bool larch_quote_is_free(const struct larch_quote_split *sp, size_t i);
size_t larch_quote_char_count(const char *s, size_t len);
/* The words (runs of non-blanks, ASCII blanks between) of the len bytes
 * at s. */
size_t larch_quote_word_count(const char *s, size_t len);
/* Whether c is a blank, a no-break space or a format character (bidi
 * marks, as Gmail puts around names). */
bool larch_quote_is_blank(gunichar c);
/* The length of s without the larch_quote_is_blank() characters that end
 * it. */
size_t larch_quote_trim_end(const char *s, size_t len);
bool larch_quote_ends_sentence(const char *s, size_t len);
/* The last character of s that is not a blank, or 0. */
gunichar larch_quote_last_char(const char *s, size_t len);
/* Whether the len bytes at s may be a line of a business card: short
 * (72 characters at most) and ending no sentence, or a quoted motto. */
bool larch_quote_is_card_line(const char *s, size_t len);
/* Whether the len bytes at s are one line in quotation marks, the motto
 * some put under their name ("\"Measure twice, cut once.\""). */
bool larch_quote_is_motto(const char *s, size_t len);
/* Whether c is one of the ASCII characters in set. */
bool larch_quote_is_one_of(gunichar c, const char *set);
/* Whether line i is an aside in brackets or parentheses. */
bool larch_quote_is_aside(const struct larch_quote_split *sp, size_t i);

/* What the runs of digits of s name (quote_attr.c): a clock time
 * ("19:05"; also SHORT_CLOCK when its hour has at most two digits), a
 * numeric date ("26/05/2016", "2016-05-26", "26.05.16"), a year of the
 * last or this century ("2016"). */
enum {
	LARCH_QUOTE_CLOCK = 1 << 0,
	LARCH_QUOTE_SHORT_CLOCK = 1 << 1,
	LARCH_QUOTE_NUMERIC_DATE = 1 << 2,
	LARCH_QUOTE_YEAR = 1 << 3,
};
unsigned larch_quote_date_parts(const char *s, size_t len);
/* Whether s names a date or a time ("19:05", "26/05/2016"), or with
 * addresses also an address (quote_attr.c). */
bool larch_quote_names_date(const char *s, size_t len, bool addresses);
/* Whether line i, after its markers, ends with a colon (':' or '：'). */
bool larch_quote_ends_with_colon(const struct larch_quote_split *sp,
    size_t i);
/* The quote markers of s[from..len): their count, and in *body where the
 * text after them starts. */
int larch_quote_count_markers(const struct larch_quote_split *sp,
    const char *s, size_t len, size_t from, size_t *body);
/* A quote shown by indentation under its attribution (quote_indent.c),
 * read right after the lines are. */
void larch_quote_mark_indented(struct larch_quote_split *sp);
/* GroupWise's ">>> Ann <addr> date >>>" above its quote, marked right
 * after the lines are read; once footers are known, the original under
 * such a line when it is unquoted (quote_groupwise.c). */
void larch_quote_mark_groupwise(struct larch_quote_split *sp);
void larch_quote_mark_groupwise_original(struct larch_quote_split *sp);
/* Supercite's `>>>>> "Jp" == Jp <addr> writes:` above its quote, the
 * quote lines its long names name, and the lines it re-cited beside its
 * named ones ("    >> text"); marked after GroupWise's heads
 * (quote_supercite.c). */
void larch_quote_mark_supercite(struct larch_quote_split *sp);
/*
 * The attribution passes (quote_attr.c), run in this order after the
 * forwarded block is marked: header blocks inside quotes, attributions
 * right above quoted text at any depth, then attribution lines elsewhere
 * in the new text.
 */
void larch_quote_mark_quoted_headers(struct larch_quote_split *sp);
void larch_quote_mark_attributions(struct larch_quote_split *sp);
void larch_quote_mark_loose_attributions(struct larch_quote_split *sp);
/*
 * The signature passes (quote_signature.c), run last: signatures after a
 * delimiter or a phone line, then the undelimited signature after a
 * sign-off.
 */
void larch_quote_mark_signatures(struct larch_quote_split *sp);
void larch_quote_mark_tail_signatures(struct larch_quote_split *sp);
/* The last line of new text, when a signature-end rule matches it. */
void larch_quote_mark_end_signature(struct larch_quote_split *sp);
/*
 * A header block that starts at line i and whose rule match ends before
 * line t, at depth: t moved over the header lines right after the match
 * ("Key: value", each maybe wrapped onto a second line), then back over
 * blank lines.  The first line after the block.
 */
size_t larch_quote_header_block_end(const struct larch_quote_split *sp,
    size_t i, size_t t, int depth);

/*
 * Whether s[0..end) ends with a name, as attributions put it before their
 * verb or after their date ("..., Ann Smith <a@example.org>", "19:05
 * Ann"); *from, when not NULL, gets where the name starts
 * (quote_names.c).  lossy: the text was archived lossily ('?' may be a
 * letter).
 */
bool larch_quote_names_before(const char *s, size_t end, bool lossy,
    size_t *from);
/* name written "First Last" when it is "Last, First" (one comma, both
 * sides given); else a copy of name, blanks around dropped.  Caller
 * g_free()s. */
char *larch_quote_turned_name(const char *name);
/* Whether the attribution text s (len bytes, its colon dropped) names who
 * wrote, in the place a mail client puts the name (quote_names.c). */
bool larch_quote_names_author(const char *s, size_t len, bool lossy);
/* Whether s (its colon dropped) is an attribution whatever its verb: a
 * date and a time, a name, at most two lower-case words ("..., Ann
 * scribbled"); for lines right above their quote (quote_names.c). */
bool larch_quote_names_author_loosely(const char *s, size_t len,
    bool lossy);

/*
 * Some clients rewrap quoted lines and leave the overflow unquoted: such
 * lines are made quoted text, at the depth of the line they overflow
 * (quote_wrap.c).  Run right after the lines are read.
 */
void larch_quote_mend_wraps(struct larch_quote_split *sp);

/*
 * Where text goes on after its greetings ("Hi Markus,"), blanks skipped:
 * len when it holds nothing else (quote_summary.c).
 */
/* Whether a rule of kind is found in the len bytes at s (which must be
 * padded as larch_quote_padded() pads); never in a line longer than
 * LARCH_QUOTE_MAX_RULE_LINE. */
bool larch_quote_rule_found(const struct larch_quote_rules *rules,
    enum larch_quote_rule kind, const char *s, size_t len);

/* A summary by these rules (larch_quote_summary() uses the built-in
 * ones). */
char *larch_quote_summary_by(const struct larch_quote_rules *rules,
    const char *new_text, size_t max);

size_t larch_quote_greetings_end(const struct larch_quote_rules *rules,
    const char *s, size_t len);
/* Where the author's closing at the end of text starts (a last line that
 * is their name, or a sign-off and their name: quote_closing.c), which
 * summaries leave out; strlen(text) when there is none.  name is the
 * From header's display name, maybe NULL. */
size_t larch_quote_closing_start(const struct larch_quote_rules *rules,
    const char *text, const char *name);

#endif
