/*
 * Splitting a message's text into what the author wrote and everything
 * else: quoted text (with its depth), attribution lines ("On ... wrote:"),
 * forwarded or original-message blocks, signatures and list footers.
 *
 * The recognisers are pcre2 patterns read from a rules file (see
 * conf/quotes.conf), compiled once; users add their list's footer or their
 * client's attribution style there without recompiling.
 */
#ifndef LARCH_QUOTE_H
#define LARCH_QUOTE_H

/*
 * U+2060 WORD JOINER, which the parser writes before a '>' that starts a
 * line of the author's own text (a space-stuffed format=flowed line such
 * as " >2000 people"), where the splitter would take it for a quote
 * marker.  larch_quote_apply() drops it again from what it keeps.
 */
#define LARCH_QUOTE_NOT_MARKER "\xe2\x81\xa0"

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

#include "larch/msg.h"
#include "larch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

enum larch_segment_kind {
	LARCH_SEG_NEW = 0,	/* the author's own text */
	LARCH_SEG_QUOTE,	/* quoted text; depth says how deep */
	LARCH_SEG_ATTRIBUTION,	/* "On <date>, <name> wrote:" and kin, at
				 * any depth (markers removed), or a
				 * quoted Outlook header block */
	LARCH_SEG_FORWARD,	/* "-----Original Message-----" / forwarded
				 * block with its header lines and text */
	LARCH_SEG_SIGNATURE,	/* after "-- ", or "Sent from my phone" */
	LARCH_SEG_FOOTER,	/* list footer, pipermail scrubber notes */
	LARCH_SEG_SNIP,		/* "[snip]", "[...]" markers */
};

struct larch_segment {
	enum larch_segment_kind kind;
	int depth;		/* quote depth: 1 for "> ", 2 for "> > " ...;
				 * 1 for a forwarded block; for an
				 * attribution, the depth of the quote it
				 * introduces; 0 otherwise */
	char *text;		/* UTF-8, quote markers removed, lines kept */
};

struct larch_quote_rules;

/* Reads the rules file at path.  On a bad pattern: LARCH_ERR_INVALID and
 * *error = "path:line: reason" (caller g_free()s). */
enum larch_status larch_quote_rules_load(const char *path,
    struct larch_quote_rules **out, char **error);
/* The rules built into larch (the same as the shipped conf/quotes.conf).
 * Never fails; owned by the library, do not free. Thread-safe. */
const struct larch_quote_rules *larch_quote_rules_default(void);
void larch_quote_rules_free(struct larch_quote_rules *rules);

/*
 * Splits UTF-8 text (LF line ends) into segments, in text order, appended
 * to out (struct larch_segment *; out's free function must be
 * larch_segment_free).  Adjacent lines of one kind and depth form one
 * segment.  Thread-safe.
 */
void larch_quote_split(const struct larch_quote_rules *rules,
    const char *text, size_t len, GPtrArray *out);
void larch_segment_free(gpointer segment);

/* The author's new text: the NEW segments joined by a blank line. Caller
 * g_free()s. */
char *larch_quote_new_text(GPtrArray *segments);

/*
 * A short summary of new text: greetings ("Dear all,", "Hi Markus,") and
 * sign-offs skipped, whitespace collapsed, cut at a word boundary to at
 * most max characters (not bytes), with "…" when cut.  Caller g_free()s.
 */
char *larch_quote_summary(const char *new_text, size_t max);

const char *larch_segment_kind_name(enum larch_segment_kind kind);

/*
 * Splits msg->body and sets msg->new_text, msg->summary (at most
 * summary_chars characters), msg->quotes (sources unset: the threader
 * finds them), msg->signature and msg->footer, which must be unset.  When
 * segments is not NULL (empty, freeing with larch_segment_free) it gets
 * the segments, for callers that look at them too.  Thread-safe
 * (lib/quote_apply.c).
 */
void larch_quote_apply(const struct larch_quote_rules *rules,
    struct larch_msg *msg, size_t summary_chars, GPtrArray *segments);

#ifdef __cplusplus
}
#endif
#endif
