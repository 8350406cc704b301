/*
 * From a parsed message's body to the fields the index keeps: what the
 * author wrote, its summary, what they quoted, their signature and the
 * list footer.  The indexer and the message fuzzer both go through here,
 * so what is fuzzed is what is indexed.
 */
#include <string.h>

#include "larch/quote.h"
#include "quote_private.h"

/* Appends text to *field, sep between parts. */
static void
append_text(char **field, const char *text, const char *sep)
{
	char *joined;

	if (*field == NULL) {
		*field = g_strdup(text);
		return;
	}
	joined = g_strconcat(*field, sep, text, NULL);
	g_free(*field);
	*field = joined;
}

/* The deepest quote an attribution is kept for; deeper ones share it. */
#define MAX_ATTR_DEPTH 16

/* Appends the non-blank lines of an attribution segment to *field, one
 * per line: a header block keeps its lines, and records hold no empty
 * strings. */
static void
append_attribution(char **field, const char *text)
{
	char **lines = g_strsplit(text, "\n", -1);

	for (char **l = lines; *l != NULL; l++) {
		g_strstrip(*l);
		if (**l != '\0')
			append_text(field, *l, "\n");
	}
	g_strfreev(lines);
}

/* Whether a new-text segment holds words beyond greetings ("Hi Petr,"
 * between an attribution and its quote does not). */
static bool
has_words(const struct larch_quote_rules *rules, const char *text)
{
	size_t len = strlen(text);
	char *copy;
	bool yes;

	if (!larch_quote_has_alnum(text, len))
		return false;
	copy = larch_quote_padded(text, len);
	yes = larch_quote_greetings_end(rules, copy, len) < len;
	g_free(copy);
	return yes;
}

void
larch_quote_apply(const struct larch_quote_rules *rules,
    struct larch_msg *msg, size_t summary_chars, GPtrArray *segments)
{
	GPtrArray *segs = segments != NULL ? g_ptr_array_ref(segments) :
	    g_ptr_array_new_with_free_func(larch_segment_free);
	/*
	 * Attribution lines waiting for their quote, by the depth of the
	 * quote they introduce: "On ..., Ann wrote:" introduces depth 1, "> On
	 * ..., Bob wrote:" depth 2.  A quote takes the one for its depth, else
	 * the nearest shallower one; the author's own words in between mean
	 * none of them introduces what follows.
	 */
	char *pending[MAX_ATTR_DEPTH + 1] = { NULL };
	struct larch_quote *q;
	int d;

	g_assert(segs->len == 0);
	if (rules == NULL)
		rules = larch_quote_rules_default();
	if (msg->body != NULL)
		larch_quote_split(rules, msg->body, strlen(msg->body), segs);
	msg->new_text = larch_quote_new_text(segs);
	msg->summary = larch_quote_summary(msg->new_text, summary_chars);
	for (guint i = 0; i < segs->len; i++) {
		const struct larch_segment *seg = segs->pdata[i];

		d = CLAMP(seg->depth, 1, MAX_ATTR_DEPTH);
		switch (seg->kind) {
		case LARCH_SEG_ATTRIBUTION:
			append_attribution(&pending[d], seg->text);
			break;
		case LARCH_SEG_QUOTE:
		case LARCH_SEG_FORWARD:
			q = larch_msg_add_quote(msg, seg->text,
			    MAX(seg->depth, 1), NULL);
			for (int k = d; k >= 1 && q->attribution == NULL; k--)
				q->attribution = g_steal_pointer(&pending[k]);
			for (int k = d + 1; k <= MAX_ATTR_DEPTH; k++)
				g_clear_pointer(&pending[k], g_free);
			break;
		case LARCH_SEG_NEW:
			if (!has_words(rules, seg->text))
				break;
			for (int k = 1; k <= MAX_ATTR_DEPTH; k++)
				g_clear_pointer(&pending[k], g_free);
			break;
		case LARCH_SEG_SIGNATURE:
			append_text(&msg->signature, seg->text, "\n\n");
			break;
		case LARCH_SEG_FOOTER:
			append_text(&msg->footer, seg->text, "\n\n");
			break;
		default:
			break;
		}
	}
	for (int k = 1; k <= MAX_ATTR_DEPTH; k++)
		g_free(pending[k]);
	g_ptr_array_unref(segs);
}
