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

/*
 * Attribution lines waiting for their quote, by the depth of the quote
 * they introduce: "On ..., Ann wrote:" introduces depth 1, "> On ...,
 * Bob wrote:" depth 2.  A quote takes the one for its own depth.  One
 * whose quote never came before a shallower quote or the author's own
 * words (the replier cut it: "On Ann wrote:" above only ">> text" Ann
 * quoted) is left over, with the quotes it stood above.
 */
struct attr_wait {
	char *text;
	guint first;		/* the first quote it stands above */
	guint end;		/* once left over: the quote that ended it */
};

struct attr_places {
	struct attr_wait pending[MAX_ATTR_DEPTH + 1];
	GArray *left;		/* struct attr_wait */
};

/* Moves pending[k] for every k >= from to the left-over ones. */
static void
attr_leave(struct attr_places *ap, int from, guint quotes)
{
	for (int k = from; k <= MAX_ATTR_DEPTH; k++) {
		if (ap->pending[k].text == NULL)
			continue;
		ap->pending[k].end = quotes;
		g_array_append_val(ap->left, ap->pending[k]);
		ap->pending[k].text = NULL;
	}
}

/* Gives each left-over attribution to the first quote it stood above
 * that has none, or drops it. */
static void
attr_place_left(struct attr_places *ap, GPtrArray *quotes)
{
	for (guint i = 0; i < ap->left->len; i++) {
		struct attr_wait *w = &g_array_index(ap->left,
		    struct attr_wait, i);

		for (guint k = w->first; k < w->end && w->text != NULL; k++) {
			struct larch_quote *q = quotes->pdata[k];

			if (q->attribution == NULL)
				q->attribution = g_steal_pointer(&w->text);
		}
		g_free(w->text);
	}
}

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

/* Whether msg's text comes from a pipermail archive, which wrote '?' for
 * what the list's charset lacked (is_from_pipermail()), and shows signs
 * of it: a '?' before a letter, another '?' or a colon ("St?phane",
 * "?crit", "?????", "escribi?:"), not only the ends of questions; the
 * lossy rules cost time.  (Its other copies, if any, do not reach the
 * splitter: the indexer splits one copy.) */
static bool
is_from_pipermail(const struct larch_msg *msg)
{
	for (guint i = 0; i < msg->sources->len; i++)
		if (((const struct larch_source *)msg->sources->pdata[i])->
		    format == LARCH_FORMAT_PIPERMAIL)
			return true;
	return false;
}

static bool
is_archived_lossily(const struct larch_msg *msg)
{
	if (!is_from_pipermail(msg) || msg->body == NULL)
		return false;
	for (const char *q = strchr(msg->body, '?'); q != NULL;
	    q = strchr(q + 1, '?'))
		if (q[1] == '?' || q[1] == ':' || g_ascii_isalpha(q[1]))
			return true;
	return false;
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

/* Whether name may be someone's full name: two words or more, or two
 * characters or more of a script without case (Chinese, Japanese: "马霞").
 * A single word ("Markus", "jdoe") is what people also sign off with. */
static bool
is_full_name(const char *name)
{
	bool cased = false;

	if (g_utf8_strlen(name, -1) < 2)
		return false;
	if (strchr(name, ' ') != NULL)
		return true;
	for (const char *p = name; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		cased |= g_unichar_isupper(c) || g_unichar_islower(c) ||
		    !g_unichar_isalpha(c);
	}
	return !cased;
}

/* Whether line (len bytes, blanks around it allowed) is the display name
 * name, or "First Last" for a name written "Last, First". */
static bool
is_author_line(const char *line, size_t len, const char *name, bool lossy)
{
	char *s = g_strstrip(g_strndup(line, len));
	char *n = g_strstrip(g_strdup(name));
	char *turned = larch_quote_turned_name(n);
	bool yes = (is_full_name(n) &&
	    larch_quote_same_name(s, strlen(s), n, lossy)) ||
	    (strcmp(turned, n) != 0 &&
	    larch_quote_same_name(s, strlen(s), turned, lossy));

	g_free(turned);
	g_free(n);
	g_free(s);
	return yes;
}

/* Whether the last line of the len bytes at text is a sign-off
 * ("Best regards,", "谢谢！"). */
static bool
ends_with_signoff(const struct larch_quote_rules *rules, const char *text,
    size_t len)
{
	const char *line = text + len;
	char *padded;
	bool yes;

	while (line > text && line[-1] != '\n')
		line--;
	padded = larch_quote_padded(line, (size_t)(text + len - line));
	yes = larch_quote_rule_found(rules, LARCH_RULE_SIGNOFF, padded,
	    (size_t)(text + len - line));
	g_free(padded);
	return yes;
}

/* Where text's last paragraph starts (at its "\n\n") when it is under
 * some other text ("...\n\nAnna"), or NULL. */
static const char *
last_para(const char *text)
{
	const char *para = g_strrstr(text, "\n\n");

	if (para == NULL || !larch_quote_has_alnum(text, (size_t)(para - text)))
		return NULL;
	return para;
}

/* Where the paragraph above para (a "\n\n" of text) starts, at its own
 * "\n\n", when it is one line under some other text, or NULL; *len gets
 * that line's length. */
static const char *
line_para_above(const char *text, const char *para, size_t *len)
{
	const char *end = para, *above;

	if (end == text)
		return NULL;
	while (end > text && end[-1] == '\n')
		end--;
	above = end;
	do
		above--;
	while (above > text && !(above[0] == '\n' && above[1] == '\n'));
	if (above == text || above + 2 >= end ||
	    memchr(above + 2, '\n', (size_t)(end - above - 2)) != NULL ||
	    !larch_quote_has_alnum(text, (size_t)(above - text)))
		return NULL;
	*len = (size_t)(end - above - 2);
	return above;
}

/* Whether the paragraph after para (a "\n\n" of text) is a card under
 * the author's full name: the name's line, then one to three short lines
 * that end no sentence ("Maintainer, Example Foundation", an address, a
 * link), and the text above does not announce it ("Contact:"). */
static bool
is_author_card(const char *text, const char *para, const char *name,
    bool lossy)
{
	const char *line = para + 2, *nl = strchr(line, '\n'), *end = para;
	const char *lt;
	unsigned n = 0;

	while (end > text && g_ascii_isspace(end[-1]))
		end--;
	if (nl == NULL || (end > text && end[-1] == ':'))
		return false;
	/* "Ann Lee <ann@example.org>" is her name too. */
	lt = memchr(line, '<', (size_t)(nl - line));
	if (!is_author_line(line, (size_t)((lt != NULL && nl[-1] == '>' ? lt :
	    nl) - line), name, lossy))
		return false;
	do {
		size_t len;

		line = nl + 1;
		nl = strchr(line, '\n');
		len = nl != NULL ? (size_t)(nl - line) : strlen(line);
		if (++n > 3 || !larch_quote_has_alnum(line, len) ||
		    !larch_quote_is_card_line(line, len))
			return false;
	} while (nl != NULL);
	return true;
}

/* Whether the len bytes at line are the author's given name: the first
 * word of their name ("Markus" for "Markus Kummer"), or a Chinese name
 * without its family name ("磊" for "刘磊"); lost letters allowed. */
static bool
is_author_given_name(const char *line, size_t len, const char *name,
    bool lossy)
{
	char *s = g_strstrip(g_strndup(line, len));
	char *n = g_strstrip(g_strdup(name));
	char *blank = strchr(n, ' ');
	const char *given = g_utf8_next_char(n);
	bool yes;

	if (blank != NULL)
		*blank = '\0';
	yes = *n != '\0' && (larch_quote_same_name(s, strlen(s), n, lossy) ||
	    (blank == NULL && *given != '\0' && is_full_name(n) &&
	    larch_quote_same_name(s, strlen(s), given, lossy)));
	g_free(n);
	g_free(s);
	return yes;
}

/*
 * The author's full name alone in the last paragraph of their text, under
 * other text, is the undelimited signature Outlook and others put there
 * ("...\n\nRebecca Brown\n\n-----Original Message-----").  The splitter
 * cannot tell a name from a short answer ("Agreed", "Sounds Good"); the
 * From header can.  It must end the text: at the end, or before an
 * attribution, forwarded block, signature or footer (before quoted text
 * the answer goes on).  A first name alone ("-Susan", "Markus"), or a
 * name in the paragraph after a sign-off ("Best regards,\n\nRebecca
 * Brown", as HTML mail has it), closes the text and stays the author's.
 * Above a motto, the author's name, full or given, is a signature with
 * it, and so is the full name over a short card: the splitter finds these
 * by the name's look, which a pipermail archive can take away
 * ("???????\n\n\"Plan to throw one away.\"", "?? ??\nPhD student").
 */
static void
split_name_signature(const struct larch_quote_rules *rules, GPtrArray *segs,
    const char *name, bool lossy)
{
	struct larch_segment *seg, *sig;
	const char *text, *para, *above;
	size_t len;
	guint k;

	if (name == NULL)
		return;
	for (k = segs->len; k > 0; k--)
		if (((struct larch_segment *)segs->pdata[k - 1])->kind ==
		    LARCH_SEG_NEW)
			break;
	if (k == 0)
		return;
	if (k < segs->len && ((struct larch_segment *)
	    segs->pdata[k])->kind == LARCH_SEG_QUOTE)
		return;
	seg = segs->pdata[k - 1];
	text = seg->text;
	para = last_para(text);
	if (para == NULL)
		return;
	if (strchr(para + 2, '\n') != NULL) {
		if (!is_author_card(text, para, name, lossy))
			return;
	} else if (!is_author_line(para + 2, strlen(para + 2), name, lossy)) {
		if (!larch_quote_is_motto(para + 2, strlen(para + 2)) ||
		    (above = line_para_above(text, para, &len)) == NULL ||
		    !(is_author_line(above + 2, len, name, lossy) ||
		    is_author_given_name(above + 2, len, name, lossy)))
			return;
		para = above;
	}
	if (ends_with_signoff(rules, text, (size_t)(para - text)))
		return;
	sig = g_new0(struct larch_segment, 1);
	sig->kind = LARCH_SEG_SIGNATURE;
	sig->text = g_strstrip(g_strdup(para + 2));
	g_ptr_array_insert(segs, (gint)k, sig);
	while (para > text && para[-1] == '\n')
		para--;
	seg->text[para - text] = '\0';
}

/* Drops the parser's LARCH_QUOTE_NOT_MARKER from the line starts of
 * segs' texts (in place): it kept a '>' of the author's from being read
 * as a quote marker and has no place in what the message is said to hold.
 * Only a body that holds one is worth a pass over every segment. */
static void
drop_not_markers(const char *body, GPtrArray *segs)
{
	const size_t k = sizeof LARCH_QUOTE_NOT_MARKER - 1;

	if (body == NULL || strstr(body, LARCH_QUOTE_NOT_MARKER) == NULL)
		return;
	for (guint i = 0; i < segs->len; i++) {
		char *text = ((struct larch_segment *)segs->pdata[i])->text;
		char *w = text;

		for (const char *r = text; *r != '\0';) {
			if ((r == text || r[-1] == '\n') &&
			    strncmp(r, LARCH_QUOTE_NOT_MARKER, k) == 0 &&
			    r[k] == '>')
				r += k;
			else
				*w++ = *r++;
		}
		*w = '\0';
	}
}

void
larch_quote_apply(const struct larch_quote_rules *rules,
    struct larch_msg *msg, size_t summary_chars, GPtrArray *segments)
{
	GPtrArray *segs = segments != NULL ? g_ptr_array_ref(segments) :
	    g_ptr_array_new_with_free_func(larch_segment_free);
	struct attr_places ap = { .left = g_array_new(FALSE, FALSE,
	    sizeof(struct attr_wait)) };
	char *head;
	struct larch_quote *q;
	int d;

	g_assert(segs->len == 0);
	if (rules == NULL)
		rules = larch_quote_rules_default();
	if (is_archived_lossily(msg))
		rules = rules->lossy;
	if (msg->body != NULL) {
		char *plain = larch_quote_unarmour(msg->body);
		const char *text = plain != NULL ? plain : msg->body;

		larch_quote_split(rules, text, strlen(text), segs);
		drop_not_markers(text, segs);
		g_free(plain);
	}
	/* A name may have lost every letter ("?" for "娟"): nothing else in
	 * the text need show the loss for the From header to match it. */
	split_name_signature(rules, segs, msg->from_name,
	    is_from_pipermail(msg));
	msg->new_text = larch_quote_new_text(segs);
	head = g_strndup(msg->new_text, larch_quote_closing_start(rules,
	    msg->new_text, msg->from_name));
	msg->summary = larch_quote_summary_by(rules, head, summary_chars);
	g_free(head);
	for (guint i = 0; i < segs->len; i++) {
		const struct larch_segment *seg = segs->pdata[i];

		d = CLAMP(seg->depth, 1, MAX_ATTR_DEPTH);
		switch (seg->kind) {
		case LARCH_SEG_ATTRIBUTION:
			if (ap.pending[d].text == NULL)
				ap.pending[d].first = msg->quotes->len;
			append_attribution(&ap.pending[d].text, seg->text);
			break;
		case LARCH_SEG_QUOTE:
		case LARCH_SEG_FORWARD:
			/* A shallower quote ends the deeper ones. */
			attr_leave(&ap, d + 1, msg->quotes->len);
			q = larch_msg_add_quote(msg, seg->text,
			    MAX(seg->depth, 1), NULL);
			q->attribution = g_steal_pointer(&ap.pending[d].text);
			break;
		case LARCH_SEG_NEW:
			/* The author's own words: what follows is
			 * introduced anew. */
			if (has_words(rules, seg->text))
				attr_leave(&ap, 1, msg->quotes->len);
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
	attr_leave(&ap, 1, msg->quotes->len);
	attr_place_left(&ap, msg->quotes);
	g_array_unref(ap.left);
	g_ptr_array_unref(segs);
}
