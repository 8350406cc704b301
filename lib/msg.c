/* The message model; see include/larch/msg.h. */
#include <string.h>

#include "larch/fingerprint.h"
#include "larch/msg.h"
#include "larch/thread.h"

void
larch_attachment_free(struct larch_attachment *a)
{
	if (a == NULL)
		return;
	g_free(a->filename);
	g_free(a->content_type);
	g_free(a->text);
	g_free(a);
}

static void
source_free(gpointer p)
{
	struct larch_source *s = p;

	if (s == NULL)
		return;
	g_free(s->file);
	g_free(s);
}

static void
quote_free(gpointer p)
{
	struct larch_quote *q = p;

	if (q == NULL)
		return;
	g_free(q->text);
	g_free(q->source);
	g_free(q->attribution);
	g_free(q);
}

void
larch_article_free(struct larch_article *a)
{
	if (a == NULL)
		return;
	g_free(a->list);
	g_free(a->month);
	g_free(a);
}

struct larch_msg *
larch_msg_new(void)
{
	struct larch_msg *msg = g_new0(struct larch_msg, 1);

	msg->references = g_ptr_array_new_with_free_func(g_free);
	msg->attachments = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)larch_attachment_free);
	msg->sources = g_ptr_array_new_with_free_func(source_free);
	msg->quotes = g_ptr_array_new_with_free_func(quote_free);
	msg->also_lists = g_ptr_array_new_with_free_func(g_free);
	msg->articles = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)larch_article_free);
	return msg;
}

void
larch_msg_free(struct larch_msg *msg)
{
	if (msg == NULL)
		return;
	g_free(msg->mid);
	g_free(msg->header_mid);
	g_free(msg->list);
	g_ptr_array_unref(msg->also_lists);
	g_free(msg->list_id);
	g_free(msg->from_addr);
	g_free(msg->from_name);
	g_free(msg->subject);
	g_free(msg->to);
	g_free(msg->cc);
	g_free(msg->in_reply_to);
	g_ptr_array_unref(msg->references);
	g_free(msg->body);
	g_ptr_array_unref(msg->attachments);
	g_ptr_array_unref(msg->sources);
	g_ptr_array_unref(msg->articles);
	g_free(msg->new_text);
	g_free(msg->summary);
	g_ptr_array_unref(msg->quotes);
	g_free(msg->signature);
	g_free(msg->footer);
	larch_quote_text_unref(msg->quote_text);
	g_free(msg->thread);
	g_free(msg->parent);
	g_free(msg);
}

void
larch_msg_add_source(struct larch_msg *msg, const char *file, uint64_t offset,
    uint64_t length, enum larch_source_format format)
{
	struct larch_source *s = g_new0(struct larch_source, 1);

	s->file = g_strdup(file);
	s->offset = offset;
	s->length = length;
	s->format = format;
	g_ptr_array_add(msg->sources, s);
}

bool
larch_msg_add_list(struct larch_msg *msg, const char *list)
{
	if (list == NULL || g_strcmp0(list, msg->list) == 0)
		return false;
	for (guint i = 0; i < msg->also_lists->len; i++)
		if (strcmp(msg->also_lists->pdata[i], list) == 0)
			return false;
	g_ptr_array_add(msg->also_lists, g_strdup(list));
	return true;
}

/* The index of the article in msg->articles, or -1. */
static int
find_article(const struct larch_msg *msg, const char *list,
    const char *month, uint32_t number)
{
	for (guint i = 0; i < msg->articles->len; i++) {
		const struct larch_article *a = msg->articles->pdata[i];

		if (a->number == number && g_strcmp0(a->month, month) == 0 &&
		    g_strcmp0(a->list, list) == 0)
			return (int)i;
	}
	return -1;
}

bool
larch_msg_add_article(struct larch_msg *msg, const char *list,
    const char *month, uint32_t number)
{
	struct larch_article *a;

	if (month == NULL || find_article(msg, list, month, number) >= 0)
		return false;
	a = g_new0(struct larch_article, 1);
	a->list = g_strdup(list);
	a->month = g_strdup(month);
	a->number = number;
	g_ptr_array_add(msg->articles, a);
	return true;
}

bool
larch_msg_remove_article(struct larch_msg *msg, const char *list,
    const char *month, uint32_t number)
{
	int i = find_article(msg, list, month, number);

	if (i < 0)
		return false;
	g_ptr_array_remove_index(msg->articles, (guint)i);
	return true;
}

bool
larch_msg_is_page_only(const struct larch_msg *msg)
{
	for (guint i = 0; i < msg->sources->len; i++)
		if (((const struct larch_source *)msg->sources->pdata[i])->
		    format != LARCH_FORMAT_PIPERMAIL_HTML)
			return false;
	return msg->sources->len > 0;
}

struct larch_quote *
larch_msg_add_quote(struct larch_msg *msg, const char *text, int depth,
    const char *source)
{
	struct larch_quote *q = g_new0(struct larch_quote, 1);

	q->text = g_strdup(text);
	q->depth = depth;
	q->source = g_strdup(source);
	g_ptr_array_add(msg->quotes, q);
	return q;
}

bool
larch_msg_has_source(const struct larch_msg *msg, const char *file,
    uint64_t offset)
{
	for (guint i = 0; i < msg->sources->len; i++) {
		const struct larch_source *s = msg->sources->pdata[i];

		if (s->offset == offset && strcmp(s->file, file) == 0)
			return true;
	}
	return false;
}

bool
larch_msg_remove_source(struct larch_msg *msg, const char *file,
    uint64_t offset)
{
	bool removed = false;

	for (guint i = msg->sources->len; i > 0; i--) {
		const struct larch_source *s = msg->sources->pdata[i - 1];

		if (s->offset == offset && strcmp(s->file, file) == 0) {
			g_ptr_array_remove_index(msg->sources, i - 1);
			removed = true;
		}
	}
	return removed;
}

/* Below this many ASCII letters and digits the ASCII fingerprint says too
 * little to call two messages the same (text in Cyrillic or Chinese); nor
 * does the shape below this many characters. */
#define ASCII_EVIDENCE 40
#define SHAPE_EVIDENCE 40

/* A copy whose text is empty once footers and scrubber notes are set aside
 * (an HTML-only mail in pipermail) lost its text in archiving. */
static bool
lost_text(const struct larch_msg *m)
{
	static char empty[17];
	static gsize once;

	if (g_once_init_enter(&once)) {
		struct larch_msg *none = larch_msg_new();

		larch_fingerprint("", 0, none);
		memcpy(empty, none->text_hash, sizeof empty);
		larch_msg_free(none);
		g_once_init_leave(&once, 1);
	}
	return strcmp(m->text_hash, empty) == 0;
}

static bool
from_pipermail(const struct larch_msg *m)
{
	for (guint i = 0; i < m->sources->len; i++) {
		enum larch_source_format f = ((const struct larch_source *)
		    m->sources->pdata[i])->format;

		/* Its web pages are scrubbed just like its text archive. */
		if (f == LARCH_FORMAT_PIPERMAIL ||
		    f == LARCH_FORMAT_PIPERMAIL_HTML)
			return true;
	}
	return false;
}

/* Two messages without text are told apart by their attachments. */
static bool
same_attachments(const struct larch_msg *a, const struct larch_msg *b)
{
	if (a->attachments->len != b->attachments->len)
		return false;
	for (guint i = 0; i < a->attachments->len; i++) {
		const struct larch_attachment *x = a->attachments->pdata[i];
		const struct larch_attachment *y = b->attachments->pdata[i];

		/* Not sizes: copies of broken or encrypted parts decode
		 * to different lengths. */
		if (g_strcmp0(x->filename, y->filename) != 0 ||
		    g_strcmp0(x->content_type, y->content_type) != 0)
			return false;
	}
	return true;
}

/* How far apart two copies of one post may be dated: lists stamp their
 * copies at delivery, minutes apart, and mail can wait in queues. */
#define SAME_POST_SECONDS (2 * 24 * 3600)

/*
 * Whether two messages sharing an id may be copies of one post, when no
 * text tells (a copy that lost its text): the same subject as threading
 * compares it (list tags and "Re:" aside) and dates close together.  A
 * message that reused another's id is rarely both.  What either lacks
 * does not count against them.
 */
static bool
same_post(const struct larch_msg *a, const struct larch_msg *b)
{
	int64_t apart = a->date - b->date;
	bool same = true;

	if (a->date != 0 && b->date != 0 &&
	    (apart > SAME_POST_SECONDS || apart < -SAME_POST_SECONDS))
		return false;
	if (a->subject != NULL && b->subject != NULL) {
		char *ka = larch_thread_subject_key(a->subject);
		char *kb = larch_thread_subject_key(b->subject);

		same = strcmp(ka, kb) == 0;
		g_free(ka);
		g_free(kb);
	}
	return same;
}

bool
larch_msg_is_same_content(const struct larch_msg *a,
    const struct larch_msg *b)
{
	if (a->text_hash[0] == '\0' || b->text_hash[0] == '\0')
		return false;
	if (lost_text(a) && lost_text(b))
		return same_attachments(a, b) && same_post(a, b);
	if (strcmp(a->text_hash, b->text_hash) == 0)
		return true;
	/* Only pipermail loses text (it scrubs HTML-only mail); elsewhere
	 * two messages with one id and one of them empty are different.
	 * Nor is a scrubbed copy the same as a message that only reused
	 * its id: that one's text would be lost under it. */
	if (((lost_text(a) && from_pipermail(a)) ||
	    (lost_text(b) && from_pipermail(b))) && same_post(a, b))
		return true;
	/* pipermail turns characters outside the list charset into '?':
	 * the shape survives that, whatever the text's script; the ASCII
	 * letters and digits survive it too, and an archive read in the
	 * wrong charset. */
	if (MIN(a->shape_len, b->shape_len) >= SHAPE_EVIDENCE &&
	    ((a->shape_hash[0] != '\0' &&
	    strcmp(a->shape_hash, b->shape_hash) == 0) ||
	    (a->byte_shape_hash[0] != '\0' &&
	    strcmp(a->byte_shape_hash, b->byte_shape_hash) == 0)))
		return true;
	return a->ascii_len >= ASCII_EVIDENCE &&
	    a->ascii_len == b->ascii_len &&
	    strcmp(a->ascii_hash, b->ascii_hash) == 0;
}

const char *
larch_source_format_name(enum larch_source_format format)
{
	switch (format) {
	case LARCH_FORMAT_FILE:		return "file";
	case LARCH_FORMAT_MBOXO:	return "mboxo";
	case LARCH_FORMAT_MBOXRD:	return "mboxrd";
	case LARCH_FORMAT_MBOXCL:	return "mboxcl";
	case LARCH_FORMAT_PIPERMAIL:	return "pipermail";
	case LARCH_FORMAT_PIPERMAIL_HTML: return "pipermail-html";
	}
	return "unknown";
}

char *
larch_path_to_utf8(const char *path)
{
	GString *out;
	const char *p = path, *end = path + strlen(path), *bad;

	if (g_utf8_validate(path, -1, NULL))
		return g_strdup(path);
	out = g_string_sized_new((gsize)(end - p) + 16);
	while (p < end) {
		if (g_utf8_validate_len(p, (gsize)(end - p), &bad)) {
			g_string_append_len(out, p, end - p);
			break;
		}
		g_string_append_len(out, p, bad - p);
		g_string_append_unichar(out, 0xf700 + (unsigned char)*bad);
		p = bad + 1;
	}
	return g_string_free(out, FALSE);
}

char *
larch_path_from_utf8(const char *text)
{
	GString *out;

	/* U+F780..U+F7FF are EF 9E 80..EF 9F BF. */
	if (strstr(text, "\xef\x9e") == NULL &&
	    strstr(text, "\xef\x9f") == NULL)
		return g_strdup(text);
	out = g_string_sized_new(strlen(text));
	for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c >= 0xf780 && c <= 0xf7ff)
			g_string_append_c(out, (char)(c - 0xf700));
		else
			g_string_append_len(out, p, g_utf8_next_char(p) - p);
	}
	return g_string_free(out, FALSE);
}
