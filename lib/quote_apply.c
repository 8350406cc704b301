/*
 * From a parsed message's body to the fields the index keeps: what the
 * author wrote, its summary, what they quoted, their signature and the
 * list footer.  The indexer and the message fuzzer both go through here,
 * so what is fuzzed is what is indexed.
 */
#include <string.h>

#include "larch/quote.h"

/* Appends text to *field, a blank line between parts. */
static void
append_text(char **field, const char *text)
{
	char *joined;

	if (*field == NULL) {
		*field = g_strdup(text);
		return;
	}
	joined = g_strconcat(*field, "\n\n", text, NULL);
	g_free(*field);
	*field = joined;
}

/* Appends text to *field on a line of its own, its outer whitespace
 * trimmed: an attribution wrapped over two lines, or split by a blank.
 * Blank text adds nothing (records hold no empty strings). */
static void
append_line(char **field, const char *text)
{
	char *line = g_strstrip(g_strdup(text != NULL ? text : ""));
	char *joined;

	if (line[0] == '\0') {
		g_free(line);
		return;
	}
	if (*field == NULL) {
		*field = line;
		return;
	}
	joined = g_strconcat(*field, "\n", line, NULL);
	g_free(line);
	g_free(*field);
	*field = joined;
}

/* Whether text holds a letter or digit (not only blank lines); a byte
 * that is not UTF-8 counts as one. */
static bool
has_words(const char *text)
{
	const char *p = text != NULL ? text : "";
	const char *end = p + strlen(p);

	while (p < end) {
		gunichar c = g_utf8_get_char_validated(p, end - p);

		if (c == (gunichar)-1 || c == (gunichar)-2 ||
		    g_unichar_isalnum(c))
			return true;
		p = g_utf8_next_char(p);
	}
	return false;
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
		case LARCH_SEG_ATTRIBUTION:
			append_line(&attribution, seg->text);
			break;
		case LARCH_SEG_QUOTE:
		case LARCH_SEG_FORWARD:
			q = larch_msg_add_quote(msg, seg->text,
			    MAX(seg->depth, 1), NULL);
			q->attribution = g_steal_pointer(&attribution);
			break;
		case LARCH_SEG_NEW:
			if (has_words(seg->text))
				g_clear_pointer(&attribution, g_free);
			break;
		case LARCH_SEG_SIGNATURE:
			append_text(&msg->signature, seg->text);
			break;
		case LARCH_SEG_FOOTER:
			append_text(&msg->footer, seg->text);
			break;
		default:
			break;
		}
	}
	g_free(attribution);
	g_ptr_array_unref(segs);
}
