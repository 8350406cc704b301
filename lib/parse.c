/*
 * The message parser: GMime builds the MIME tree, this file finds the
 * message in it (lists wrap DMARC-protected mail), who really wrote it
 * (lists rewrite From), its date and threading headers and its id.  What
 * of the tree is the author's text and which parts are attachments is
 * decided by the MIME walk in parse_mime.c.  Header values are decoded by
 * parse_text.c and parse_addr.c from their raw bytes, so every charset
 * decision is made in one place.
 */
#include <string.h>

#include <gmime/gmime.h>

#include "larch/fingerprint.h"
#include "larch/mid.h"
#include "larch/parse.h"
#include "parse_private.h"

#define MAX_CONTAINERS 500	/* multiparts and messages GMime may nest */
#define MAX_REFERENCES 256	/* ids kept from References */

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
find_wrapped(const struct larch_parse_ctx *c, GMimeMessage *outer,
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

static GMimeMessage *
gmime_parse(const struct larch_parse_ctx *c, const char *bytes, size_t len)
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
set_threading(const struct larch_parse_ctx *c, struct larch_msg *msg,
    GMimeObject *outer, GMimeObject *inner)
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
set_date(struct larch_msg *msg, const struct larch_parse_ctx *c,
    GMimeObject *main, GMimeObject *outer)
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
set_author(struct larch_msg *msg, const struct larch_parse_ctx *c,
    GMimeObject *main, const char *list_addr)
{
	struct larch_author who;

	larch_author_find(&c->hdr, main, list_addr, &who);
	if (who.addr == NULL && c->opts->envelope_from != NULL &&
	    c->opts->envelope_from[0] != '\0')
		who.addr = larch_text_decode(c->opts->envelope_from,
		    strlen(c->opts->envelope_from), NULL, c->fallback, NULL);
	if (who.addr != NULL)
		msg->from_addr = g_utf8_strdown(who.addr, -1);
	msg->from_is_list = who.addr_is_list;
	msg->from_name = who.name;
	who.name = NULL;
	larch_author_release(&who);
}

/* Appends to sample the raw values of obj's header fields that hold
 * bytes beyond ASCII and are not UTF-8, a line each. */
static void
add_raw_8bit(GString *sample, GMimeObject *obj)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(obj);
	int n = list != NULL ? g_mime_header_list_get_count(list) : 0;

	for (int i = 0; i < n; i++) {
		const char *v = g_mime_header_get_raw_value(
		    g_mime_header_list_get_header_at(list, i));

		/* ASCII is valid UTF-8 too. */
		if (v == NULL || g_utf8_validate(v, -1, NULL))
			continue;
		g_string_append(sample, v);
		g_string_append_c(sample, '\n');
	}
}

/* g_mime_message_foreach()'s callback: a part's raw 8-bit header values
 * (a file name) join the sample of the message's. */
static void
add_part_8bit(GMimeObject *parent, GMimeObject *part, gpointer sample)
{
	(void)parent;
	add_raw_8bit(sample, part);
}

/*
 * The fallback for the undeclared 8-bit text of the message itself (its
 * headers, its parts' headers and its text parts), as a list for
 * larch_text_decode(): the charset its text part declares (its HTML's
 * <meta> counts), else the one its undeclared text (headers and text
 * part together) reads best in when the list's fallback is "auto",
 * then the list's fallback, then a guess.  A short header ("王小明" in
 * Big5) guessed alone is often read in the wrong charset; the charset
 * its body declares or shows is far more often right.  NULL when the
 * headers hold no such text: the list's fallback is then all the text
 * needs.  Caller g_free()s.
 */
static char *
message_fallback(const struct larch_parse_ctx *c, GMimeObject *main,
    GMimeObject *outer)
{
	GString *sample = g_string_new(NULL);
	bool is_auto = g_ascii_strcasecmp(c->fallback,
	    LARCH_FALLBACK_AUTO) == 0;
	const char *own = NULL;
	char *declared = NULL, *res = NULL;

	add_raw_8bit(sample, main);
	if (outer != main)
		add_raw_8bit(sample, outer);
	g_mime_message_foreach(GMIME_MESSAGE(main), add_part_8bit, sample);
	if (sample->len > 0) {
		declared = larch_mime_text_charset(g_mime_message_get_mime_part(
		    GMIME_MESSAGE(main)), sample);
		if (declared != NULL && !larch_charset_is_utf8(declared))
			own = declared;
		else if (declared == NULL && is_auto)
			own = larch_charset_guess(sample->str, sample->len);
		res = g_strdup_printf("%s%s%s%s", own != NULL ? own : "",
		    own != NULL ? "," : "", c->fallback, is_auto ? "" :
		    "," LARCH_FALLBACK_AUTO);
	}
	g_free(declared);
	g_string_free(sample, TRUE);
	return res;
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
 * hashed too, or every empty id-less message would share one id; one
 * with none of these either (a header cut short, a file of other data
 * read as a header) gets its bytes hashed, or all such would be one
 * message.
 */
static char *
derived_mid(const struct larch_msg *msg, const char *bytes, size_t len)
{
	char *raw_hash = msg->ascii_len == 0 ? parts_hash(msg) : NULL;

	if (raw_hash != NULL && msg->subject == NULL &&
	    msg->attachments->len == 0 && (msg->body == NULL ||
	    msg->body[0] == '\0')) {
		char *all = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
		    (const guchar *)bytes, len);

		g_free(raw_hash);
		raw_hash = all;
	}
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

/* Cuts field, one of msg's, to LARCH_MAX_HEADER_TEXT bytes at a
 * character, in place. */
static void
cap_header(struct larch_msg *msg, char *field)
{
	size_t len = field != NULL ? strlen(field) : 0;

	if (len > LARCH_MAX_HEADER_TEXT) {
		larch_text_truncate(field, len, LARCH_MAX_HEADER_TEXT);
		msg->headers_cut = true;
	}
}

static void
finish(struct larch_msg *msg, struct larch_parse_ctx *c, const char *bytes,
    size_t len)
{
	size_t n;

	if (c->opts->pipermail)
		unmangle_from(c->body);
	n = c->body->len;

	larch_fingerprint(c->body->str, n, msg);
	n = larch_text_truncate(c->body->str, n, c->opts->max_text);
	msg->body = n > 0 ? g_strndup(c->body->str, n) : NULL;
	g_ptr_array_extend_and_steal(msg->attachments, c->attachments);
	c->attachments = NULL;
	msg->mime_cut = c->mime_cut;
	cap_header(msg, msg->subject);
	cap_header(msg, msg->from_name);
	cap_header(msg, msg->from_addr);
	cap_header(msg, msg->to);
	cap_header(msg, msg->cc);
	for (guint i = 0; i < msg->attachments->len; i++)
		cap_header(msg, ((struct larch_attachment *)
		    msg->attachments->pdata[i])->filename);
	msg->mid = msg->header_mid != NULL ? g_strdup(msg->header_mid) :
	    derived_mid(msg, bytes, len);
}

/* What the archive says of a message whose header GMime could not read
 * at all: the envelope's date and sender, as for any message without
 * them. */
static void
unreadable_header(struct larch_msg *msg, const struct larch_parse_ctx *c)
{
	const char *from = c->opts->envelope_from;

	msg->date = c->opts->envelope_date;
	if (from != NULL && from[0] != '\0') {
		char *addr = larch_text_decode(from, strlen(from), NULL,
		    c->fallback, NULL);

		msg->from_addr = g_utf8_strdown(addr, -1);
		g_free(addr);
	}
}

/* The text after the headers, for input GMime could not structure. */
static void
raw_body(struct larch_parse_ctx *c, const char *bytes, size_t len)
{
	size_t start = larch_parse_body_start(bytes, len), n;
	char *text = larch_text_decode(bytes + start, len - start, NULL,
	    c->hdr.fallback, &n);

	n = larch_text_normalise_eol(text, n);
	larch_body_append(c, text, n);
	g_free(text);
}

/* Whether obj holds parts or a message rather than text. */
static bool
is_container(GMimeObject *obj)
{
	return GMIME_IS_MULTIPART(obj) || GMIME_IS_MESSAGE_PART(obj) ||
	    GMIME_IS_MESSAGE_PARTIAL(obj);
}

/* Makes mended (n bytes, or NULL) the message being parsed, in place of
 * *copy, which it frees.  Whether there was a mended message. */
static bool
take_mended(char *mended, size_t n, char **copy, const char **bytes,
    size_t *len)
{
	if (mended == NULL)
		return false;
	g_free(*copy);
	*bytes = *copy = mended;
	*len = n;
	return true;
}

enum larch_status
larch_parse_message(const char *bytes, size_t len,
    const struct larch_parse_opts *opts, struct larch_msg **out,
    const char **why)
{
	static const struct larch_parse_opts defaults = { 0 };
	struct larch_parse_ctx c = { 0 };
	struct larch_msg *msg;
	GMimeMessage *outer = NULL, *inner;
	GMimeObject *main;
	struct larch_author from;
	char *copy = NULL, *list_addr = NULL, *own_fallback = NULL;
	char *text_in_header;
	size_t text_in_header_len = 0;
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
	start = larch_parse_header_start(bytes, len);
	if (start < 0) {
		if (why != NULL)
			*why = len == 0 ? "empty message" :
			    "no header at the start of the message";
		g_free(copy);
		return LARCH_ERR_PARSE;
	}
	bytes += start;
	len -= (size_t)start;
	if (memchr(bytes, '\0', larch_parse_body_start(bytes, len)) != NULL) {
		char *w = g_memdup2(bytes, len);

		len = larch_parse_drop_header_nuls(w, len);
		g_free(copy);
		bytes = copy = w;
	}

	text_in_header = larch_parse_end_header_at_text(bytes, len,
	    &text_in_header_len);
	take_mended(text_in_header, text_in_header_len, &copy, &bytes, &len);
	if (c.opts->pipermail) {
		size_t n = 0;
		char *mended = larch_parse_mend_multipart(bytes, len, &n);

		take_mended(mended, n, &copy, &bytes, &len);
	}

	msg = larch_msg_new();
	c.body = g_string_new(NULL);
	c.attachments = g_ptr_array_new();
	/* Pathological nesting would make GMime recurse deeply: keep only
	 * its headers and read the rest as text, unless it is MIME
	 * structure (below). */
	headers_only = count_containers(bytes, len) > MAX_CONTAINERS;
	outer = gmime_parse(&c, bytes, headers_only ?
	    larch_parse_body_start(bytes, len) : len);
	if (outer == NULL) {
		size_t n = 0;
		char *mended = larch_parse_end_header_early(bytes, len,
		    &n);

		if (take_mended(mended, n, &copy, &bytes, &len))
			outer = gmime_parse(&c, bytes, headers_only ?
			    larch_parse_body_start(bytes, len) : len);
	}
	if (outer == NULL) {
		unreadable_header(msg, &c);
		raw_body(&c, bytes, len);
		goto finish;
	}
	list_addr = larch_list_address(&c.hdr, GMIME_OBJECT(outer));
	larch_author_find(&c.hdr, GMIME_OBJECT(outer), list_addr, &from);
	inner = find_wrapped(&c, outer, &from, list_addr);
	larch_author_release(&from);
	main = GMIME_OBJECT(inner != NULL ? inner : outer);
	own_fallback = message_fallback(&c, main, GMIME_OBJECT(outer));
	if (own_fallback != NULL)
		c.hdr.fallback = own_fallback;

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
	if (headers_only && is_container(g_mime_message_get_mime_part(outer)))
		c.mime_cut = true;	/* boundaries and part headers */
	else if (headers_only)
		raw_body(&c, bytes, len);
	else
		larch_mime_walk(&c, g_mime_message_get_mime_part(
		    inner != NULL ? inner : outer));
finish:
	finish(msg, &c, bytes, len);
	g_string_free(c.body, TRUE);
	if (c.attachments != NULL)
		g_ptr_array_unref(c.attachments);
	if (outer != NULL)
		g_object_unref(outer);
	g_free(list_addr);
	g_free(own_fallback);
	g_free(copy);
	*out = msg;
	return LARCH_OK;
}
