/*
 * The MIME walk of the message parser: which parts of a message's MIME
 * tree are the author's text (and how each is turned into plain UTF-8:
 * charsets, HTML, format=flowed), which are attachments, and what text a
 * forwarded message contributes.  Split from parse.c, which finds the
 * message and its headers, because the walk sees only parts and the
 * parser's context, never the message-level decisions (wrappers, authors,
 * ids).  Declared in parse_private.h.
 */
#include <string.h>

#include <gmime/gmime.h>

#include "larch/parse.h"
#include "larch/quote.h"
#include "parse_private.h"

#define MAX_PARTS 1000		/* MIME parts looked at per message */
#define MAX_DEPTH 64		/* multipart nesting the walk follows */

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

/* The file name obj's headers write in raw 8-bit bytes that are not
 * UTF-8, which GMime would have read in its own fallback charsets, or
 * NULL.  Caller g_free()s. */
static char *
raw_8bit_filename(GMimeObject *obj)
{
	char *raw = larch_header_raw_param(obj, "Content-Disposition",
	    "filename");

	/* As GMime does: the type's name only when the disposition has no
	 * file name, its RFC 2231 form included. */
	if (raw == NULL && g_mime_object_get_content_disposition_parameter(
	    obj, "filename") == NULL)
		raw = larch_header_raw_param(obj, "Content-Type", "name");
	if (raw != NULL && g_utf8_validate(raw, -1, NULL)) {
		g_free(raw);
		raw = NULL;
	}
	return raw;
}

static char *
part_filename(const struct larch_parse_ctx *c, GMimeObject *obj)
{
	const char *name = NULL;
	char *raw = raw_8bit_filename(obj), *res;

	if (raw != NULL) {
		res = larch_header_decode(raw, c->hdr.fallback, true);
		g_free(raw);
	} else {
		if (GMIME_IS_PART(obj))
			name = g_mime_part_get_filename(GMIME_PART(obj));
		if (name == NULL)
			name = g_mime_object_get_content_disposition_parameter(
			    obj, "filename");
		if (name == NULL)
			name = g_mime_object_get_content_type_parameter(obj,
			    "name");
		if (name == NULL)
			return NULL;
		res = larch_header_decode(name, c->hdr.fallback, true);
	}
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

/*
 * The charset to read a text part's bytes with: the one its Content-Type
 * declares, else, for HTML that is not UTF-8, the one its <meta> tag
 * declares (never trusted over the MIME header, which a client may have
 * set after converting the text), else NULL: a charset iconv does not
 * know counts as none.  Caller g_free()s.
 */
static char *
part_charset(GMimeObject *obj, const char *type, const char *bytes,
    size_t len)
{
	const char *declared = g_mime_object_get_content_type_parameter(obj,
	    "charset");
	char *meta;

	if (larch_charset_is_known(declared))
		return g_strdup(declared);
	if (strcmp(type, "text/html") != 0 ||
	    g_utf8_validate_len(bytes, len, NULL))
		return NULL;
	meta = larch_html_meta_charset(bytes, len);
	if (!larch_charset_is_known(meta) || larch_charset_is_utf8(meta)) {
		g_free(meta);
		return NULL;
	}
	return meta;
}

/* Drops a byte order mark at the start of text[0, *len): an editor's
 * mark for the file, not text. */
static void
drop_bom(char *text, size_t *len)
{
	if (*len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		memmove(text, text + 3, *len - 3 + 1);
		*len -= 3;
	}
}

/* The length of the blanks (and a CR) that end the line at p, when only
 * they come before its '\n' or the end, else -1. */
static gssize
blank_tail(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && (*q == ' ' || *q == '\t' || *q == '\r'))
		q++;
	return q == end || *q == '\n' ? q - p : -1;
}

/* The value of the hex digit ch as quoted-printable writes them
 * (upper case), or -1. */
static int
qp_hex(char ch)
{
	if (g_ascii_isdigit(ch))
		return ch - '0';
	return ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* The byte the escape "=XY" at p (p + 3 <= end) stands for, or -1 when
 * p holds no escape. */
static int
qp_escape(const char *p, const char *end)
{
	if (end - p < 3 || p[0] != '=' || qp_hex(p[1]) < 0 || qp_hex(p[2]) < 0)
		return -1;
	return qp_hex(p[1]) * 16 + qp_hex(p[2]);
}

/*
 * Whether the escape of an 8-bit byte at p reads as encoded text: a
 * whole UTF-8 sequence of escapes ("=C3=A9"), or a Latin letter that
 * touches a letter or another escape ("Passw=F6rter").  A key's value
 * ("id=93780", "color=FF0000") is neither.
 */
static bool
is_text_escape(const char *p, const char *start, const char *end)
{
	int byte = qp_escape(p, end), need;
	bool before, after;

	need = byte >= 0xc2 && byte <= 0xdf ? 1 : byte >= 0xe0 &&
	    byte <= 0xef ? 2 : byte >= 0xf0 && byte <= 0xf4 ? 3 : 0;
	if (need > 0) {
		const char *q = p + 3;
		int i;

		for (i = 0; i < need; i++, q += 3) {
			int cont = qp_escape(q, end);

			if (cont < 0x80 || cont > 0xbf)
				break;
		}
		if (i == need)
			return true;
	}
	if (byte < 0xc0 || byte == 0xd7 || byte == 0xf7)
		return false;
	before = p > start && (g_ascii_isalpha(p[-1]) ||
	    (p - start >= 3 && qp_escape(p - 3, end) >= 0x80));
	after = p + 3 < end && (g_ascii_isalpha(p[3]) ||
	    qp_escape(p + 3, end) >= 0x80);
	return before || after;
}

/*
 * Whether text[0, n), a part without a Content-Transfer-Encoding header,
 * is still quoted-printable.  A pipermail .txt archive keeps a body as it
 * was sent but not the header that said it was encoded, so "=20", "=3D"
 * and lines cut with '=' show up in the text, and an attribution or a
 * "-- " line cut that way is no longer one.
 *
 * Every '=' must be an escape ('=' and two upper-case hex digits) or a
 * soft line break ('=' ending a line), which text with "a = b", "==" or
 * "?q=x" anywhere is not, and no escape may stand for a control
 * character, as "length=10208" would.  Then the text needs a sign only
 * the encoding leaves, an escaped '=', an escaped letter or a soft break
 * of a line as long as encoders make them ("CFLAGS=" ending a short line
 * counts for nothing), and one more sign, maybe an escaped blank.
 */
static bool
looks_quoted_printable(const char *text, size_t n)
{
	const char *end = text + n, *line = text;
	unsigned strong = 0, weak = 0;

	for (const char *p = text; p < end; p++) {
		int byte;
		gssize tail;

		if (*p == '\n')
			line = p + 1;
		if (*p != '=')
			continue;
		byte = qp_escape(p, end);
		if (byte >= 0) {
			if (byte == '=' || (byte >= 0x80 &&
			    is_text_escape(p, text, end)))
				strong++;
			else if (byte == ' ' || byte == '\t')
				weak++;
			else if ((byte < 0x20 && byte != '\r' &&
			    byte != '\n') || byte == 0x7f)
				return false;
			p += 2;
			continue;
		}
		tail = blank_tail(p + 1, end);
		if (tail < 0)
			return false;
		if (p - line >= 60)
			strong++;
		p += tail;
	}
	return strong >= 1 && strong + weak >= 2;
}

/* *bytes (*n bytes long) with its quoted-printable undone, in place of
 * the encoded bytes, which are freed. */
static void
decode_quoted_printable(char **bytes, size_t *n)
{
	char *out = g_malloc(*n + 1);
	int state = 0;
	guint32 save = 0;

	*n = g_mime_encoding_quoted_decode_step((const unsigned char *)*bytes,
	    *n, (unsigned char *)out, &state, &save);
	out[*n] = '\0';
	g_free(*bytes);
	*bytes = out;
}

/* The text of a part of the given type in UTF-8 with LF line ends;
 * *len gets its length.  Undeclared bytes are read with the message's
 * fallback. */
static char *
part_text(struct larch_parse_ctx *c, GMimePart *part, const char *type,
    size_t *len)
{
	size_t n;
	char *bytes = part_bytes(part, &n);
	char *charset;

	if (c->opts->pipermail && g_mime_object_get_header(GMIME_OBJECT(part),
	    "Content-Transfer-Encoding") == NULL &&
	    looks_quoted_printable(bytes, n))
		decode_quoted_printable(&bytes, &n);
	charset = part_charset(GMIME_OBJECT(part), type, bytes, n);
	char *text = larch_text_decode(bytes, n, charset, c->hdr.fallback,
	    len);

	g_free(bytes);
	g_free(charset);
	drop_bom(text, len);
	*len = larch_text_normalise_eol(text, *len);
	return text;
}

/* Replaces HTML text (*n bytes) with what a reader sees of it, so tag
 * names and attribute values are not taken for words. */
static void
render_html(char **text, size_t *n)
{
	char *plain = larch_html_to_text(*text, *n);

	g_free(*text);
	*text = plain;
	*n = strlen(plain);
}

void
larch_body_append(struct larch_parse_ctx *c, const char *text, size_t n)
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
add_attachment(struct larch_parse_ctx *c, GMimeObject *obj, const char *type,
    char *filename)
{
	struct larch_attachment *a = g_new0(struct larch_attachment, 1);

	a->filename = filename;
	a->content_type = g_strdup(type);
	if (GMIME_IS_PART(obj) && is_text_like(type, filename)) {
		size_t n;
		size_t raw;
		char *bytes = part_bytes(GMIME_PART(obj), &raw);
		char *cs = part_charset(obj, type, bytes, raw);

		/* An attachment's text is judged on its own: it may come
		 * from elsewhere than its message's charset. */
		a->size = raw;
		a->text = larch_text_decode(bytes, raw, cs, c->fallback, &n);
		g_free(bytes);
		g_free(cs);
		drop_bom(a->text, &n);
		n = larch_text_normalise_eol(a->text, n);
		if (strcmp(type, "text/html") == 0)
			render_html(&a->text, &n);
		larch_text_truncate(a->text, n, c->opts->max_text);
	} else {
		a->size = object_size(obj);
	}
	g_ptr_array_add(c->attachments, a);
}

/*
 * Whether the text [p, end) of an unquoted flowed line starts with '>'
 * glued to what follows (">2000 people", ">=3.2"), after blanks.  Its
 * sender space-stuffed it, as RFC 3676 (4.4) has every line starting
 * with '>' stuffed: it is text, not a quote (4.5).  '>' followed by a
 * blank or nothing is another matter: that is how a quote pasted in by
 * hand looks (" >> First, the includes", under "In the other email, we
 * wrote:"), which the client stuffed the same; it stays a quote.
 */
static bool
is_glued_marker(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || *p != '>')
		return false;
	while (p < end && *p == '>')
		p++;
	return p < end && *p != ' ' && *p != '\t';
}

/*
 * Undoes RFC 3676 format=flowed: soft line breaks (a line ending in a
 * space) are joined with the next line of the same quote depth, DelSp=yes
 * drops that space, space-stuffing is removed.  Quoted lines keep their
 * '>' markers followed by one space; an unquoted (so space-stuffed) line
 * whose text starts with '>' glued to more text (">2000") gets
 * LARCH_QUOTE_NOT_MARKER in front (invisible and no letter: search and
 * fingerprints ignore it).  Returns a new string.
 */
static char *
unflow(const char *text, size_t len, bool delsp)
{
	GString *out = g_string_sized_new(len + 1);
	const char *p = text, *end = text + len;
	int open_depth = -1;	/* quote depth of a paragraph being joined */

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = eol != NULL ? eol : end;
		const char *q = p;
		int depth = 0;
		size_t n;
		bool soft;

		while (q < line_end && *q == '>') {
			depth++;
			q++;
		}
		/* Space-stuffing (or the space after the quote marks). */
		if (q < line_end && *q == ' ')
			q++;
		n = (size_t)(line_end - q);
		/* The signature separator is never flowed. */
		soft = n > 0 && q[n - 1] == ' ' &&
		    !(n == 3 && memcmp(q, "-- ", 3) == 0);
		if (open_depth >= 0 && depth != open_depth) {
			/* Quote depth changed: the paragraph ends here. */
			g_string_append_c(out, '\n');
			open_depth = -1;
		}
		if (open_depth < 0 && depth > 0) {
			for (int i = 0; i < depth; i++)
				g_string_append_c(out, '>');
			g_string_append_c(out, ' ');
		} else if (open_depth < 0 && depth == 0 &&
		    is_glued_marker(q, line_end)) {
			/* The quote splitter reads plain lines, where this
			 * text would be a quote: an invisible word joiner
			 * keeps the '>' off the line's start. */
			g_string_append(out, LARCH_QUOTE_NOT_MARKER);
		}
		if (soft && delsp)
			n--;
		g_string_append_len(out, q, n);
		if (soft) {
			open_depth = depth;
		} else {
			open_depth = -1;
			if (eol != NULL)
				g_string_append_c(out, '\n');
		}
		if (eol == NULL)
			break;
		p = eol + 1;
	}
	if (open_depth >= 0)
		g_string_append_c(out, '\n');
	return g_string_free(out, FALSE);
}

/* Appends the text of obj, a part of a body type, to the body. */
static void
append_body_part(struct larch_parse_ctx *c, GMimeObject *obj,
    const char *type)
{
	size_t n;
	char *text = part_text(c, GMIME_PART(obj), type, &n);
	const char *format = g_mime_object_get_content_type_parameter(
	    obj, "format");

	if (strcmp(type, "text/html") == 0) {
		render_html(&text, &n);
	} else if (format != NULL &&
	    g_ascii_strcasecmp(format, "flowed") == 0) {
		const char *delsp =
		    g_mime_object_get_content_type_parameter(obj,
		    "delsp");
		char *plain = unflow(text, n,
		    delsp != NULL &&
		    g_ascii_strcasecmp(delsp, "yes") == 0);

		g_free(text);
		text = plain;
		n = strlen(text);
	}
	larch_body_append(c, text, n);
	g_free(text);
}

static void
walk_leaf(struct larch_parse_ctx *c, GMimeObject *obj, bool top, bool encrypted)
{
	char *type = mime_type(obj);
	char *filename = part_filename(c, obj);
	bool attachment = is_attachment_disposition(obj);

	if (!attachment && filename == NULL && !encrypted &&
	    is_body_type(type)) {
		append_body_part(c, obj, type);
	} else if (attachment || filename != NULL || top || encrypted ||
	    is_text_like(type, filename) || is_crypto(type)) {
		/* Plain text shown inline under a file name is the body
		 * when the message has no other text (larch_mime_walk()). */
		if (!attachment && !encrypted && c->inline_named == NULL &&
		    strcmp(type, "text/plain") == 0)
			c->inline_named = obj;
		add_attachment(c, obj, type, filename);
		filename = NULL;
	}
	g_free(filename);
	g_free(type);
}

static void
add_raw_text(struct larch_parse_ctx *c, const char *raw)
{
	size_t n;
	char *text;

	if (raw == NULL)
		return;
	text = larch_text_decode(raw, strlen(raw), NULL, c->hdr.fallback,
	    &n);
	n = larch_text_normalise_eol(text, n);
	larch_body_append(c, text, n);
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

/* Whether a part names a file, as part_filename() would find. */
static bool
has_filename(GMimeObject *obj)
{
	return (GMIME_IS_PART(obj) &&
	    g_mime_part_get_filename(GMIME_PART(obj)) != NULL) ||
	    g_mime_object_get_content_disposition_parameter(obj,
	    "filename") != NULL ||
	    g_mime_object_get_content_type_parameter(obj, "name") != NULL;
}

/* The first part the walk reads as the message's text, or NULL; *budget
 * bounds the parts looked at. */
static GMimePart *
first_text(GMimeObject *obj, int depth, int *budget)
{
	if (obj == NULL || depth >= MAX_DEPTH || --*budget < 0)
		return NULL;
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		GMimeContentType *ct = g_mime_object_get_content_type(obj);
		int n = g_mime_multipart_get_count(mp);

		if (GMIME_IS_MULTIPART_ENCRYPTED(obj))
			return NULL;
		if (ct != NULL && g_mime_content_type_is_type(ct, "multipart",
		    "alternative"))
			return first_text(choose_alternative(mp), depth + 1,
			    budget);
		for (int i = 0; i < n && *budget > 0; i++) {
			GMimePart *p = first_text(g_mime_multipart_get_part(mp,
			    i), depth + 1, budget);

			if (p != NULL)
				return p;
		}
		return NULL;
	}
	if (GMIME_IS_PART(obj) && !is_attachment_disposition(obj) &&
	    !has_filename(obj)) {
		char *type = mime_type(obj);
		bool text = is_body_type(type);

		g_free(type);
		return text ? GMIME_PART(obj) : NULL;
	}
	return NULL;
}

char *
larch_mime_text_charset(GMimeObject *top, GString *undeclared)
{
	int budget = MAX_PARTS;
	GMimePart *part = first_text(top, 0, &budget);
	char *type, *bytes, *charset;
	size_t n;

	if (part == NULL)
		return NULL;
	type = mime_type(GMIME_OBJECT(part));
	bytes = part_bytes(part, &n);
	charset = part_charset(GMIME_OBJECT(part), type, bytes, n);
	if (charset == NULL && !g_utf8_validate_len(bytes, n, NULL)) {
		if (undeclared->len > 0)
			g_string_append_c(undeclared, '\n');
		/* The guess reads no more. */
		g_string_append_len(undeclared, bytes,
		    (gssize)MIN(n, LARCH_GUESS_BYTES));
	}
	g_free(bytes);
	g_free(type);
	return charset;
}

static void walk(struct larch_parse_ctx *c, GMimeObject *obj, int depth,
    bool encrypted);

/* The text of a forwarded message: who wrote it, its subject and its
 * body, read like the message's own (parts count toward the same cap);
 * its own attachments join the message's. */
static void
forwarded_text(struct larch_parse_ctx *c, GMimeMessagePart *part, int depth,
    struct larch_attachment *a)
{
	GMimeMessage *inner = g_mime_message_part_get_message(part);
	struct larch_parse_ctx sub = *c;
	char *from, *subject;
	GString *text;

	if (inner == NULL)
		return;
	sub.body = g_string_new(NULL);
	sub.attachments = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)larch_attachment_free);
	walk(&sub, g_mime_message_get_mime_part(inner), depth + 1, false);
	c->parts = sub.parts;
	c->mime_cut = sub.mime_cut;
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
	/* Its attachments are listed after it, so filename: and their
	 * text find them too. */
	g_ptr_array_extend_and_steal(c->attachments, sub.attachments);
}

static void
walk(struct larch_parse_ctx *c, GMimeObject *obj, int depth, bool encrypted)
{
	if (obj == NULL || c->parts >= MAX_PARTS)
		return;
	c->parts++;
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		GMimeContentType *ct = g_mime_object_get_content_type(obj);
		int n = g_mime_multipart_get_count(mp);

		if (depth >= MAX_DEPTH) {
			c->mime_cut = true;
			return;
		}
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
		if (!GMIME_IS_MESSAGE_PART(obj) || encrypted)
			return;
		if (depth >= MAX_DEPTH)
			c->mime_cut = true;
		else
			forwarded_text(c, GMIME_MESSAGE_PART(obj), depth,
			    c->attachments->pdata[c->attachments->len - 1]);
		return;
	}
	if (GMIME_IS_PART(obj))
		walk_leaf(c, obj, depth == 0, encrypted);
}

void
larch_mime_walk(struct larch_parse_ctx *c, GMimeObject *obj)
{
	c->inline_named = NULL;
	walk(c, obj, 0, false);
	/* A message whose only text names a file ("name=" without a
	 * disposition, or "inline" with a file name) shows it as its
	 * text, as mail readers do; it stays listed as an attachment. */
	if (c->inline_named != NULL && larch_text_all_space(c->body))
		append_body_part(c, c->inline_named, "text/plain");
}
