/*
 * The message parser: GMime builds the MIME tree, this file decides what
 * of it is the author's text, which parts are attachments, and who really
 * wrote the message (lists rewrite From and wrap DMARC-protected mail).
 * Header values are decoded by parse_text.c and parse_addr.c from their raw
 * bytes, so every charset decision is made in one place.
 */
#include <string.h>

#include <gmime/gmime.h>

#include "larch/fingerprint.h"
#include "larch/mid.h"
#include "larch/parse.h"
#include "parse_private.h"

#define MAX_PARTS 1000		/* MIME parts looked at per message */
#define MAX_CONTAINERS 500	/* multiparts and messages GMime may nest */
#define MAX_DEPTH 64		/* multipart nesting the walk follows */
#define MAX_REFERENCES 256	/* ids kept from References */

struct ctx {
	const struct larch_parse_opts *opts;
	struct larch_hdr_ctx hdr;	/* how headers are decoded */
	const char *fallback;
	GString *body;
	GPtrArray *attachments;	/* struct larch_attachment * */
	guint parts;
};

static gpointer
init_gmime(gpointer unused)
{
	g_mime_init();
	larch_fingerprint_init();
	return NULL;
}

void
larch_parse_init(void)
{
	static GOnce once = G_ONCE_INIT;

	g_once(&once, init_gmime, NULL);
}

void
larch_parse_shutdown(void)
{
	g_mime_shutdown();
}

/* ---- parts ------------------------------------------------------------ */

/* "type/subtype" in lowercase; text/plain when nothing says otherwise. */
static char *
mime_type(GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *type = ct != NULL ?
	    g_mime_content_type_get_media_type(ct) : NULL;
	const char *sub = ct != NULL ?
	    g_mime_content_type_get_media_subtype(ct) : NULL;
	char *s, *res;

	const char *raw = g_mime_object_get_header(obj, "Content-Type");

	/* "Content-Type: text" with no subtype is text/plain (RFC 2045,
	 * 5.2); GMime reads it as application/octet-stream. */
	if (raw != NULL) {
		size_t n = strcspn(raw, ";");

		while (n > 0 && g_ascii_isspace(raw[n - 1]))
			n--;
		while (n > 0 && g_ascii_isspace(*raw))
			raw++, n--;
		if (n == 4 && g_ascii_strncasecmp(raw, "text", 4) == 0)
			type = "text", sub = "plain";
	}
	s = g_strdup_printf("%s/%s", type != NULL && *type != '\0' ? type :
	    "text", sub != NULL && *sub != '\0' ? sub : "plain");
	res = larch_text_decode(s, strlen(s), NULL, NULL, NULL);
	g_free(s);
	s = g_utf8_strdown(res, -1);
	g_free(res);
	return s;
}

static bool
is_attachment_disposition(GMimeObject *obj)
{
	GMimeContentDisposition *d = g_mime_object_get_content_disposition(obj);

	return d != NULL && g_mime_content_disposition_is_attachment(d);
}

static char *
part_filename(const struct ctx *c, GMimeObject *obj)
{
	const char *name = NULL;
	char *res;

	if (GMIME_IS_PART(obj))
		name = g_mime_part_get_filename(GMIME_PART(obj));
	if (name == NULL)
		name = g_mime_object_get_content_disposition_parameter(obj,
		    "filename");
	if (name == NULL)
		name = g_mime_object_get_content_type_parameter(obj, "name");
	if (name == NULL)
		return NULL;
	res = larch_header_decode(name, c->fallback, true);
	if (res[0] == '\0') {
		g_free(res);
		return NULL;
	}
	return res;
}

static bool
has_suffix_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && g_ascii_strcasecmp(s + n - m, suffix) == 0;
}

static bool
is_text_like(const char *type, const char *filename)
{
	static const char *const types[] = {
		"application/x-patch", "application/x-diff",
		"application/x-sh", "application/json", "application/xml",
		"message/delivery-status", "application/x-shellscript",
		"application/patch", "application/diff",
	};
	static const char *const suffixes[] = {
		".patch", ".diff", ".txt", ".log",
	};

	if (g_str_has_prefix(type, "text/"))
		return true;
	for (size_t i = 0; i < G_N_ELEMENTS(types); i++)
		if (strcmp(type, types[i]) == 0)
			return true;
	for (size_t i = 0; filename != NULL && i < G_N_ELEMENTS(suffixes); i++)
		if (has_suffix_ci(filename, suffixes[i]))
			return true;
	return false;
}

/* Parts worth listing even without a name: signatures, encrypted data. */
static bool
is_crypto(const char *type)
{
	return strcmp(type, "application/pgp-signature") == 0 ||
	    strcmp(type, "application/pkcs7-signature") == 0 ||
	    strcmp(type, "application/x-pkcs7-signature") == 0 ||
	    strcmp(type, "application/pkcs7-mime") == 0 ||
	    strcmp(type, "application/x-pkcs7-mime") == 0 ||
	    strcmp(type, "application/pgp-encrypted") == 0;
}

/* Inline text without a file name is part of the body; a text subtype
 * nobody knows reads as text/plain (RFC 2046, 4.1.4). */
static bool
is_body_type(const char *type)
{
	return g_str_has_prefix(type, "text/") &&
	    strcmp(type, "text/calendar") != 0 &&
	    strcmp(type, "text/vcard") != 0 &&
	    strcmp(type, "text/x-vcard") != 0;
}

/* The decoded (transfer encoding undone) bytes of a leaf part. */
static char *
part_bytes(GMimePart *part, size_t *len)
{
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	GMimeStream *mem;
	GByteArray *ba;
	char *res;

	*len = 0;
	if (w == NULL)
		return g_strdup("");
	mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(w, mem);
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	res = g_malloc(ba->len + 1);
	if (ba->len > 0)
		memcpy(res, ba->data, ba->len);
	res[ba->len] = '\0';
	*len = ba->len;
	g_object_unref(mem);
	return res;
}

/* The decoded size of a part, without keeping its bytes. */
static uint64_t
object_size(GMimeObject *obj)
{
	GMimeStream *null = g_mime_stream_null_new();
	uint64_t n;

	if (GMIME_IS_PART(obj)) {
		GMimeDataWrapper *w = g_mime_part_get_content(GMIME_PART(obj));

		if (w != NULL)
			g_mime_data_wrapper_write_to_stream(w, null);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *m = g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(obj));

		if (m != NULL)
			g_mime_object_write_to_stream(GMIME_OBJECT(m), NULL,
			    null);
	}
	n = GMIME_STREAM_NULL(null)->written;
	g_object_unref(null);
	return n;
}

/* The part's text in UTF-8 with LF line ends; *len gets its length. */
static char *
part_text(const struct ctx *c, GMimePart *part, size_t *len)
{
	size_t n;
	char *bytes = part_bytes(part, &n);
	const char *charset = g_mime_object_get_content_type_parameter(
	    GMIME_OBJECT(part), "charset");
	char *text = larch_text_decode(bytes, n, charset, c->fallback, len);

	g_free(bytes);
	*len = larch_text_normalise_eol(text, *len);
	return text;
}

static void
add_body(struct ctx *c, const char *text, size_t n)
{
	const char *p = text, *end = text + n;

	/* Leading blank lines and trailing whitespace are not text. */
	for (const char *q = p; q < end && g_ascii_isspace(*q); q++)
		if (*q == '\n')
			p = q + 1;
	while (end > p && g_ascii_isspace(end[-1]))
		end--;
	if (end == p)
		return;
	if (c->body->len > 0)
		g_string_append(c->body, "\n\n");
	g_string_append_len(c->body, p, (gssize)(end - p));
}

static void
add_attachment(struct ctx *c, GMimeObject *obj, const char *type,
    char *filename)
{
	struct larch_attachment *a = g_new0(struct larch_attachment, 1);

	a->filename = filename;
	a->content_type = g_strdup(type);
	if (GMIME_IS_PART(obj) && is_text_like(type, filename)) {
		size_t n;
		size_t raw;
		char *bytes = part_bytes(GMIME_PART(obj), &raw);
		const char *cs = g_mime_object_get_content_type_parameter(obj,
		    "charset");

		a->size = raw;
		a->text = larch_text_decode(bytes, raw, cs, c->fallback, &n);
		g_free(bytes);
		n = larch_text_normalise_eol(a->text, n);
		larch_text_truncate(a->text, n, c->opts->max_text);
	} else {
		a->size = object_size(obj);
	}
	g_ptr_array_add(c->attachments, a);
}

static void
walk_leaf(struct ctx *c, GMimeObject *obj, bool top, bool encrypted)
{
	char *type = mime_type(obj);
	char *filename = part_filename(c, obj);
	bool attachment = is_attachment_disposition(obj);

	if (!attachment && filename == NULL && !encrypted &&
	    is_body_type(type)) {
		size_t n;
		char *text = part_text(c, GMIME_PART(obj), &n);
		const char *format = g_mime_object_get_content_type_parameter(
		    obj, "format");

		if (strcmp(type, "text/html") == 0) {
			char *plain = larch_html_to_text(text, n);

			g_free(text);
			text = plain;
			n = strlen(text);
		} else if (format != NULL &&
		    g_ascii_strcasecmp(format, "flowed") == 0) {
			const char *delsp =
			    g_mime_object_get_content_type_parameter(obj,
			    "delsp");
			char *plain = larch_text_unflow(text, n,
			    delsp != NULL &&
			    g_ascii_strcasecmp(delsp, "yes") == 0);

			g_free(text);
			text = plain;
			n = strlen(text);
		}
		add_body(c, text, n);
		g_free(text);
	} else if (attachment || filename != NULL || top || encrypted ||
	    is_text_like(type, filename) || is_crypto(type)) {
		add_attachment(c, obj, type, filename);
		filename = NULL;
	}
	g_free(filename);
	g_free(type);
}

static void
add_raw_text(struct ctx *c, const char *raw)
{
	size_t n;
	char *text;

	if (raw == NULL)
		return;
	text = larch_text_decode(raw, strlen(raw), NULL, c->fallback, &n);
	n = larch_text_normalise_eol(text, n);
	add_body(c, text, n);
	g_free(text);
}

/* Whether obj holds a text/plain part a reader would see. */
static bool
has_plain(GMimeObject *obj, int depth)
{
	if (depth > 8)
		return false;
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);

		for (int i = 0; i < n && i < MAX_PARTS; i++)
			if (has_plain(g_mime_multipart_get_part(mp, i),
			    depth + 1))
				return true;
		return false;
	}
	if (GMIME_IS_PART(obj) && !is_attachment_disposition(obj)) {
		GMimeContentType *ct = g_mime_object_get_content_type(obj);

		return ct == NULL || g_mime_content_type_is_type(ct, "text",
		    "plain");
	}
	return false;
}

/* The alternative to read: text/plain, else HTML, else anything. */
static GMimeObject *
choose_alternative(GMimeMultipart *mp)
{
	GMimeObject *html = NULL, *plain_multi = NULL, *multi = NULL;
	GMimeObject *last = NULL;
	int n = g_mime_multipart_get_count(mp);

	for (int i = 0; i < n && i < MAX_PARTS; i++) {
		GMimeObject *child = g_mime_multipart_get_part(mp, i);

		if (GMIME_IS_MULTIPART(child)) {
			if (plain_multi == NULL && has_plain(child, 0))
				plain_multi = child;
			else if (multi == NULL)
				multi = child;
		} else if (GMIME_IS_PART(child) &&
		    !is_attachment_disposition(child)) {
			GMimeContentType *ct =
			    g_mime_object_get_content_type(child);

			if (ct == NULL || g_mime_content_type_is_type(ct,
			    "text", "plain"))
				return child;
			if (html == NULL && g_mime_content_type_is_type(ct,
			    "text", "html"))
				html = child;
		}
		last = child;
	}
	return plain_multi != NULL ? plain_multi : html != NULL ? html :
	    multi != NULL ? multi : last;
}

static void walk(struct ctx *c, GMimeObject *obj, int depth,
    bool encrypted);

/* The text of a forwarded message: who wrote it, its subject and its
 * body, read like the message's own (parts count toward the same cap). */
static void
forwarded_text(struct ctx *c, GMimeMessagePart *part, int depth,
    struct larch_attachment *a)
{
	GMimeMessage *inner = g_mime_message_part_get_message(part);
	struct ctx sub = *c;
	char *from, *subject;
	GString *text;

	if (inner == NULL)
		return;
	sub.body = g_string_new(NULL);
	sub.attachments = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)larch_attachment_free);
	walk(&sub, g_mime_message_get_mime_part(inner), depth + 1, false);
	c->parts = sub.parts;
	from = larch_header_addresses(&c->hdr, GMIME_OBJECT(inner), "From");
	subject = larch_header_text(&c->hdr, GMIME_OBJECT(inner), "Subject");
	text = g_string_new(NULL);
	if (from != NULL)
		g_string_append_printf(text, "From: %s\n", from);
	if (subject != NULL)
		g_string_append_printf(text, "Subject: %s\n", subject);
	g_string_append_c(text, '\n');
	g_string_append_len(text, sub.body->str, (gssize)sub.body->len);
	larch_text_truncate(text->str, text->len, c->opts->max_text);
	g_free(a->text);
	a->text = g_string_free(text, FALSE);
	g_free(from);
	g_free(subject);
	g_string_free(sub.body, TRUE);
	g_ptr_array_unref(sub.attachments);
}

static void
walk(struct ctx *c, GMimeObject *obj, int depth, bool encrypted)
{
	if (obj == NULL || c->parts >= MAX_PARTS)
		return;
	c->parts++;
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		GMimeContentType *ct = g_mime_object_get_content_type(obj);
		int n = g_mime_multipart_get_count(mp);

		if (depth >= MAX_DEPTH)
			return;
		if (ct != NULL && g_mime_content_type_is_type(ct, "multipart",
		    "alternative")) {
			walk(c, choose_alternative(mp), depth + 1, encrypted);
			return;
		}
		/* Encrypted data is listed, never read. */
		if (GMIME_IS_MULTIPART_ENCRYPTED(obj))
			encrypted = true;
		/* No boundary ever matched: the text is all in the prologue. */
		if (n == 0 && !encrypted)
			add_raw_text(c, g_mime_multipart_get_prologue(mp));
		for (int i = 0; i < n && c->parts < MAX_PARTS; i++)
			walk(c, g_mime_multipart_get_part(mp, i), depth + 1,
			    encrypted);
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj) || GMIME_IS_MESSAGE_PARTIAL(obj)) {
		/* A forwarded message is an attachment, not our text; its
		 * text is the attachment's, so a search still finds it. */
		char *type = mime_type(obj);

		add_attachment(c, obj, type, part_filename(c, obj));
		g_free(type);
		if (GMIME_IS_MESSAGE_PART(obj) && !encrypted &&
		    depth < MAX_DEPTH)
			forwarded_text(c, GMIME_MESSAGE_PART(obj), depth,
			    c->attachments->pdata[c->attachments->len - 1]);
		return;
	}
	if (GMIME_IS_PART(obj))
		walk_leaf(c, obj, depth == 0, encrypted);
}

/* ---- the message ------------------------------------------------------ */

/* A subject as a DMARC wrapper may rewrite it: list tags ("[Dev]") and
 * other bracketed words dropped, case folded, blanks collapsed.  Caller
 * g_free()s. */
static char *
wrapper_subject(const char *subject)
{
	GString *out = g_string_new(NULL);
	int depth = 0;
	char *folded;

	for (const char *p = subject != NULL ? subject : ""; *p != '\0'; p++) {
		if (*p == '[') {
			depth++;
		} else if (*p == ']' && depth > 0) {
			depth--;
		} else if (depth == 0) {
			if (g_ascii_isspace(*p)) {
				if (out->len > 0 &&
				    out->str[out->len - 1] != ' ')
					g_string_append_c(out, ' ');
			} else {
				g_string_append_c(out, *p);
			}
		}
	}
	if (out->len > 0 && out->str[out->len - 1] == ' ')
		g_string_truncate(out, out->len - 1);
	folded = g_utf8_casefold(out->str, -1);
	g_string_free(out, TRUE);
	return folded;
}

/* Whether outer keeps inner's subject, as a wrapper does (or has none);
 * a forward of an older mail has its own ("Fwd: ..."). */
static bool
is_same_subject(GMimeMessage *outer, GMimeMessage *inner)
{
	const char *o = g_mime_message_get_subject(outer);
	char *a, *b;
	bool same;

	if (o == NULL || o[0] == '\0')
		return true;
	a = wrapper_subject(o);
	b = wrapper_subject(g_mime_message_get_subject(inner));
	same = strcmp(a, b) == 0;
	g_free(a);
	g_free(b);
	return same;
}

/*
 * The message a list wrapped for DMARC, when outer is such a wrapper: a
 * multipart whose message/rfc822 part holds the author's mail.
 */
static GMimeMessage *
find_wrapped(const struct ctx *c, GMimeMessage *outer,
    const struct larch_author *from, const char *list_addr)
{
	GMimeObject *top = g_mime_message_get_mime_part(outer);
	GMimeMultipart *mp;
	int n;

	if (top == NULL || !GMIME_IS_MULTIPART(top))
		return NULL;
	mp = GMIME_MULTIPART(top);
	n = g_mime_multipart_get_count(mp);
	for (int i = 0; i < n && i < 8; i++) {
		GMimeObject *child = g_mime_multipart_get_part(mp, i);
		GMimeMessage *inner;
		struct larch_author who;
		bool wrapped;

		if (!GMIME_IS_MESSAGE_PART(child))
			continue;
		inner = g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(child));
		if (inner == NULL)
			return NULL;
		larch_author_find(&c->hdr, GMIME_OBJECT(inner), list_addr,
		    &who);
		/* A DMARC wrapper carries the sender's own message: the
		 * inner author is the one the "via" From names.  A "via"
		 * message that forwards someone else's mail is no wrapper,
		 * nor is one forwarding its author's own older mail under a
		 * subject of its own. */
		wrapped = who.addr != NULL && (from->via ?
		    larch_addr_equal(who.addr, from->addr) ||
		    (who.name != NULL && from->name != NULL &&
		    g_utf8_collate(who.name, from->name) == 0) :
		    (larch_addr_equal(from->addr, list_addr) &&
		    !larch_addr_equal(who.addr, from->addr))) &&
		    is_same_subject(outer, inner);
		larch_author_release(&who);
		return wrapped ? inner : NULL;
	}
	return NULL;
}

/* Skips an mbox "From " line and blank lines; -1 when no header follows. */
static gssize
header_start(const char *bytes, size_t len)
{
	size_t p = 0;

	if (len >= 3 && memcmp(bytes, "\xef\xbb\xbf", 3) == 0)
		p = 3;
	if (len - p >= 5 && memcmp(bytes + p, "From ", 5) == 0) {
		const char *nl = memchr(bytes + p, '\n', len - p);

		if (nl == NULL)
			return -1;
		p = (size_t)(nl - bytes) + 1;
	}
	while (p < len && (bytes[p] == '\n' || bytes[p] == '\r'))
		p++;
	{
		size_t q = p;

		while (q < len && bytes[q] > ' ' && bytes[q] < 0x7f &&
		    bytes[q] != ':')
			q++;
		if (q == p)
			return -1;
		while (q < len && (bytes[q] == ' ' || bytes[q] == '\t'))
			q++;
		if (q >= len || bytes[q] != ':')
			return -1;
	}
	return (gssize)p;
}

/* Counts Content-Type headers of multiparts and messages. */
static guint
count_containers(const char *bytes, size_t len)
{
	guint n = 0;
	const char *p = bytes, *end = bytes + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (end - p > 13 && g_ascii_strncasecmp(p, "content-type:",
		    13) == 0) {
			const char *v = p + 13;

			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			if ((end - v > 9 && g_ascii_strncasecmp(v, "multipart",
			    9) == 0) || (end - v > 8 &&
			    g_ascii_strncasecmp(v, "message/", 8) == 0))
				n++;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return n;
}

/* Where the body starts: after the first empty line, or len. */
static size_t
body_start(const char *bytes, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (bytes[i] != '\n')
			continue;
		if (bytes[i + 1] == '\n')
			return i + 2;
		if (bytes[i + 1] == '\r' && i + 2 < len && bytes[i + 2] == '\n')
			return i + 3;
	}
	return len;
}

/* Removes the NUL bytes of the header block of p[0, len); returns the new
 * length.  GMime keeps header values as C strings, so a NUL cut a field
 * there (a Subject "mes\0sage" read as "mes"); text parts drop them as
 * they are decoded (larch_text_decode), headers now do too. */
static size_t
drop_header_nuls(char *p, size_t len)
{
	size_t end = body_start(p, len), o = 0;

	for (size_t i = 0; i < len; i++)
		if (p[i] != '\0' || i >= end)
			p[o++] = p[i];
	return o;
}

static GMimeMessage *
gmime_parse(const struct ctx *c, const char *bytes, size_t len)
{
	GMimeParserOptions *po = g_mime_parser_options_new();
	const char *charsets[] = { "UTF-8", c->fallback, NULL };
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *m;

	g_mime_parser_options_set_fallback_charsets(po, charsets);
	g_mime_parser_options_set_address_compliance_mode(po,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(po,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_rfc2047_compliance_mode(po,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_allow_addresses_without_domain(po, TRUE);
	stream = g_mime_stream_mem_new_with_buffer(bytes, len);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	g_mime_parser_set_respect_content_length(parser, FALSE);
	m = g_mime_parser_construct_message(parser, po);
	g_object_unref(parser);
	g_object_unref(stream);
	g_mime_parser_options_free(po);
	return m;
}

static void
set_threading(const struct ctx *c, struct larch_msg *msg, GMimeObject *outer,
    GMimeObject *inner)
{
	GMimeObject *src[2] = { outer, inner };
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);

	for (int i = 0; i < 2 && msg->header_mid == NULL; i++) {
		GMimeHeaderList *list = src[i] != NULL ?
		    g_mime_object_get_header_list(src[i]) : NULL;
		int n = list != NULL ? g_mime_header_list_get_count(list) : 0;

		/* The first Message-ID that holds an id wins. */
		for (int j = 0; j < n && msg->header_mid == NULL; j++) {
			GMimeHeader *h = g_mime_header_list_get_header_at(list,
			    j);

			if (g_ascii_strcasecmp(g_mime_header_get_name(h),
			    "Message-ID") == 0)
				msg->header_mid = larch_mid_normalise(
				    g_mime_header_get_raw_value(h));
		}
	}
	for (int i = 0; i < 2 && msg->in_reply_to == NULL; i++) {
		larch_mid_parse_list(larch_header_raw(src[i], "In-Reply-To"),
		    ids);
		if (ids->len > 0)
			msg->in_reply_to = g_strdup(ids->pdata[0]);
	}
	for (int i = 0; i < 2 && msg->references->len == 0; i++)
		larch_mid_parse_list(larch_header_raw(src[i], "References"),
		    msg->references);
	/* Keep the root and the nearest ancestors of absurdly long lists. */
	if (msg->references->len > MAX_REFERENCES)
		g_ptr_array_remove_range(msg->references, 1,
		    msg->references->len - MAX_REFERENCES);
	for (int i = 0; i < 2 && msg->list_id == NULL; i++) {
		char *v = larch_header_text(&c->hdr, src[i], "List-Id");
		char *lt = v != NULL ? strrchr(v, '<') : NULL;
		char *gt = lt != NULL ? strchr(lt, '>') : NULL;

		if (gt != NULL && gt > lt + 1) {
			msg->list_id = g_strstrip(g_strndup(lt + 1,
			    (gsize)(gt - lt - 1)));
			g_free(v);
		} else {
			msg->list_id = v;
		}
		if (msg->list_id != NULL && msg->list_id[0] == '\0') {
			g_free(msg->list_id);
			msg->list_id = NULL;
		}
	}
	g_ptr_array_unref(ids);
}

static void
set_date(struct larch_msg *msg, const struct ctx *c, GMimeObject *main,
    GMimeObject *outer)
{
	int64_t t = larch_header_date(larch_header_raw(main, "Date"));

	if (!larch_date_is_sane(t) && outer != main)
		t = larch_header_date(larch_header_raw(outer, "Date"));
	if (!larch_date_is_sane(t)) {
		t = c->opts->envelope_date;
		if (t == 0)
			t = larch_received_date(main);
		if (t == 0 && outer != main)
			t = larch_received_date(outer);
		if (t != c->opts->envelope_date && !larch_date_is_sane(t))
			t = 0;
	}
	msg->date = t;
}

static void
set_author(struct larch_msg *msg, const struct ctx *c, GMimeObject *main,
    const char *list_addr)
{
	struct larch_author who;

	larch_author_find(&c->hdr, main, list_addr, &who);
	if (who.addr == NULL && c->opts->envelope_from != NULL &&
	    c->opts->envelope_from[0] != '\0')
		who.addr = larch_text_decode(c->opts->envelope_from,
		    strlen(c->opts->envelope_from), NULL, c->fallback, NULL);
	if (who.addr != NULL)
		msg->from_addr = g_utf8_strdown(who.addr, -1);
	msg->from_name = who.name;
	who.name = NULL;
	larch_author_release(&who);
}

/* What a message without text consists of: its subject and the names and
 * types of its parts (as larch_msg_is_same_content() compares them). */
static char *
parts_hash(const struct larch_msg *msg)
{
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	char *hex;

	if (msg->subject != NULL)
		g_checksum_update(sum, (const guchar *)msg->subject, -1);
	for (guint i = 0; i < msg->attachments->len; i++) {
		const struct larch_attachment *a = msg->attachments->pdata[i];
		char *line = g_strdup_printf("\n%s\n%s",
		    a->filename ? a->filename : "", a->content_type);

		g_checksum_update(sum, (const guchar *)line, -1);
		g_free(line);
	}
	hex = g_strdup(g_checksum_get_string(sum));
	g_checksum_free(sum);
	return hex;
}

/*
 * The message id when the headers give none: a hash of what is stable
 * between copies.  A message without text gets its subject and parts
 * hashed too, or every empty id-less message would share one id.
 */
static char *
derived_mid(const struct larch_msg *msg)
{
	char *raw_hash = msg->ascii_len == 0 ? parts_hash(msg) : NULL;
	/* Not the subject: cross-posted copies carry different list tags,
	 * and pipermail drops "Re:".  The ASCII fingerprint survives
	 * pipermail's charset conversion. */
	char *canon = g_strdup_printf("%s\n%" G_GINT64_FORMAT "\n%s\n%s",
	    msg->from_addr != NULL ? msg->from_addr : "", msg->date,
	    msg->ascii_hash, raw_hash != NULL ? raw_hash : "");
	char *mid = larch_mid_from_content(canon, strlen(canon));

	g_free(canon);
	g_free(raw_hash);
	return mid;
}

/*
 * pipermail wrote every body line starting "From " as ">From ".  A line
 * with one '>' glued to "From " is that mangling far more often than a
 * quote (quoting clients write "> "), so it is undone.
 */
static void
unmangle_from(GString *body)
{
	size_t out = 0;

	/* One pass with separate read and write positions: a body of many
	 * such lines must not be shifted once per line. */
	for (size_t in = 0; in < body->len; in++) {
		if ((in == 0 || body->str[in - 1] == '\n') &&
		    in + 6 <= body->len &&
		    memcmp(body->str + in, ">From ", 6) == 0)
			continue;
		body->str[out++] = body->str[in];
	}
	g_string_truncate(body, out);
}

static void
finish(struct larch_msg *msg, struct ctx *c)
{
	size_t n;

	if (c->opts->pipermail)
		unmangle_from(c->body);
	n = c->body->len;

	larch_fingerprint(c->body->str, n, msg->text_hash, msg->ascii_hash,
	    &msg->ascii_len);
	n = larch_text_truncate(c->body->str, n, c->opts->max_text);
	msg->body = n > 0 ? g_strndup(c->body->str, n) : NULL;
	g_ptr_array_extend_and_steal(msg->attachments, c->attachments);
	c->attachments = NULL;
	msg->mid = msg->header_mid != NULL ? g_strdup(msg->header_mid) :
	    derived_mid(msg);
}

/* The text after the headers, for input GMime could not structure. */
static void
raw_body(struct ctx *c, const char *bytes, size_t len)
{
	size_t start = body_start(bytes, len), n;
	char *text = larch_text_decode(bytes + start, len - start, NULL,
	    c->fallback, &n);

	n = larch_text_normalise_eol(text, n);
	add_body(c, text, n);
	g_free(text);
}

enum larch_status
larch_parse_message(const char *bytes, size_t len,
    const struct larch_parse_opts *opts, struct larch_msg **out,
    const char **why)
{
	static const struct larch_parse_opts defaults = { 0 };
	struct ctx c = { 0 };
	struct larch_msg *msg;
	GMimeMessage *outer = NULL, *inner;
	GMimeObject *main;
	struct larch_author from;
	char *copy = NULL, *list_addr = NULL;
	gssize start;
	bool headers_only;

	*out = NULL;
	if (why != NULL)
		*why = NULL;
	larch_parse_init();
	c.opts = opts != NULL ? opts : &defaults;
	c.fallback = c.opts->fallback_charset != NULL ?
	    c.opts->fallback_charset : LARCH_DEFAULT_FALLBACK;
	c.hdr.fallback = c.fallback;
	c.hdr.pipermail = c.opts->pipermail;
	if (bytes == NULL)
		len = 0;
	/* Old Mac files end lines with a bare CR. */
	if (len > 0 && memchr(bytes, '\n', len) == NULL &&
	    memchr(bytes, '\r', len) != NULL) {
		copy = g_memdup2(bytes, len);
		len = larch_text_normalise_eol(copy, len);
		bytes = copy;
	}
	start = header_start(bytes, len);
	if (start < 0) {
		if (why != NULL)
			*why = len == 0 ? "empty message" :
			    "no header at the start of the message";
		g_free(copy);
		return LARCH_ERR_PARSE;
	}
	bytes += start;
	len -= (size_t)start;
	if (memchr(bytes, '\0', body_start(bytes, len)) != NULL) {
		char *w = g_memdup2(bytes, len);

		len = drop_header_nuls(w, len);
		g_free(copy);
		bytes = copy = w;
	}

	msg = larch_msg_new();
	c.body = g_string_new(NULL);
	c.attachments = g_ptr_array_new();
	/* Pathological nesting would make GMime recurse deeply: keep only
	 * its headers and read the rest as text. */
	headers_only = count_containers(bytes, len) > MAX_CONTAINERS;
	outer = gmime_parse(&c, bytes, headers_only ? body_start(bytes, len) :
	    len);
	if (outer == NULL) {
		raw_body(&c, bytes, len);
		goto finish;
	}
	list_addr = larch_list_address(&c.hdr, GMIME_OBJECT(outer));
	larch_author_find(&c.hdr, GMIME_OBJECT(outer), list_addr, &from);
	inner = find_wrapped(&c, outer, &from, list_addr);
	larch_author_release(&from);
	main = GMIME_OBJECT(inner != NULL ? inner : outer);

	set_author(msg, &c, main, list_addr);
	set_date(msg, &c, main, GMIME_OBJECT(outer));
	msg->subject = larch_header_text(&c.hdr, main, "Subject");
	if (msg->subject == NULL && inner != NULL)
		msg->subject = larch_header_text(&c.hdr, GMIME_OBJECT(outer),
		    "Subject");
	msg->to = larch_header_addresses(&c.hdr, main, "To");
	msg->cc = larch_header_addresses(&c.hdr, main, "Cc");
	if (msg->to == NULL && inner != NULL)
		msg->to = larch_header_addresses(&c.hdr, GMIME_OBJECT(outer),
		    "To");
	set_threading(&c, msg, GMIME_OBJECT(outer),
	    inner != NULL ? GMIME_OBJECT(inner) : NULL);
	if (headers_only)
		raw_body(&c, bytes, len);
	else
		walk(&c, g_mime_message_get_mime_part(
		    inner != NULL ? inner : outer), 0, false);
finish:
	finish(msg, &c);
	g_string_free(c.body, TRUE);
	if (c.attachments != NULL)
		g_ptr_array_unref(c.attachments);
	if (outer != NULL)
		g_object_unref(outer);
	g_free(list_addr);
	g_free(copy);
	*out = msg;
	return LARCH_OK;
}
