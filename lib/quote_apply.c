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

void
larch_quote_apply(const struct larch_quote_rules *rules,
    struct larch_msg *msg, size_t summary_chars, GPtrArray *segments)
{
	GPtrArray *segs = segments != NULL ? g_ptr_array_ref(segments) :
	    g_ptr_array_new_with_free_func(larch_segment_free);
	/* An attribution line belongs to the quote that follows it, unless
	 * the author's own text comes first. */
	char *attribution = NULL;
	struct larch_quote *q;

	g_assert(segs->len == 0);
	if (msg->body != NULL)
		larch_quote_split(rules, msg->body, strlen(msg->body), segs);
	msg->new_text = larch_quote_new_text(segs);
	msg->summary = larch_quote_summary(msg->new_text, summary_chars);
	for (guint i = 0; i < segs->len; i++) {
		const struct larch_segment *seg = segs->pdata[i];

		switch (seg->kind) {
		case LARCH_SEG_ATTRIBUTION: {
			/* One line per segment, trimmed: an attribution
			 * wrapped over two lines, or split by a blank.  A
			 * blank one adds nothing (records hold no empty
			 * strings). */
			char *line = g_strstrip(g_strdup(seg->text));

			if (line[0] != '\0')
				append_text(&attribution, line, "\n");
			g_free(line);
			break;
		}
		case LARCH_SEG_QUOTE:
		case LARCH_SEG_FORWARD:
			q = larch_msg_add_quote(msg, seg->text,
			    MAX(seg->depth, 1), NULL);
			q->attribution = g_steal_pointer(&attribution);
			break;
		case LARCH_SEG_NEW:
			if (attribution != NULL && larch_quote_has_alnum(
			    seg->text, strlen(seg->text)))
				g_clear_pointer(&attribution, g_free);
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
	g_free(attribution);
	g_ptr_array_unref(segs);
}
