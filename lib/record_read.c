/*
 * A message's record read back from its JSON; see include/larch/record.h
 * and record.c, which writes it.  Split from the writer because reading
 * trusts nothing (the store may hold records from other versions, or
 * damaged ones) and so carries its own strict JSON check.
 *
 * The reader is strict about types (a string where a number belongs is
 * LARCH_ERR_PARSE) but tolerates absent keys and ignores unknown ones, so
 * records written by a newer larch still load.  Input is checked before
 * json-glib sees it: it must be valid UTF-8, with no NUL bytes, strict
 * JSON, nested no deeper than MAX_DEPTH.
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "larch/record.h"
#include "record_private.h"

#define MAX_DEPTH 32

/* The inverse of larch_source_format_name(). */
static bool
source_format_from_name(const char *name, enum larch_source_format *out)
{
	static const enum larch_source_format all[] = {
		LARCH_FORMAT_FILE, LARCH_FORMAT_MBOXO, LARCH_FORMAT_MBOXRD,
		LARCH_FORMAT_MBOXCL, LARCH_FORMAT_PIPERMAIL,
		LARCH_FORMAT_PIPERMAIL_HTML,
	};

	for (size_t i = 0; i < G_N_ELEMENTS(all); i++) {
		if (strcmp(name, larch_source_format_name(all[i])) == 0) {
			*out = all[i];
			return true;
		}
	}
	return false;
}

/*
 * A strict RFC 8259 check run before json-glib, which accepts single
 * quotes, comments, hex numbers, raw control characters, lone surrogates
 * and a second value after the first, and recurses once per nesting
 * level.  Also refused: "\u0000", which would cut a C string short.
 */
struct json_cursor {
	const char *p;
	const char *end;
};

static bool json_value(struct json_cursor *c, int depth);

static void
json_space(struct json_cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' ||
	    *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static bool
json_char(struct json_cursor *c, char want)
{
	json_space(c);
	if (c->p == c->end || *c->p != want)
		return false;
	c->p++;
	return true;
}

/* Reads the four hex digits of a \u escape. */
static bool
json_hex4(struct json_cursor *c, unsigned *code)
{
	*code = 0;
	if (c->end - c->p < 4)
		return false;
	for (int i = 0; i < 4; i++) {
		int v = g_ascii_xdigit_value(*c->p++);

		if (v < 0)
			return false;
		*code = *code << 4 | (unsigned)v;
	}
	return true;
}

static bool
json_string(struct json_cursor *c)
{
	if (!json_char(c, '"'))
		return false;
	while (c->p < c->end) {
		unsigned char ch = (unsigned char)*c->p++;
		unsigned code, low;

		if (ch == '"')
			return true;
		if (ch < 0x20)
			return false;
		if (ch != '\\')
			continue;
		if (c->p == c->end)
			return false;
		ch = (unsigned char)*c->p++;
		if (strchr("\"\\/bfnrt", ch) != NULL && ch != '\0')
			continue;
		if (ch != 'u' || !json_hex4(c, &code) || code == 0 ||
		    (code >= 0xdc00 && code <= 0xdfff))
			return false;
		if (code >= 0xd800 && code <= 0xdbff &&
		    (c->end - c->p < 2 || c->p[0] != '\\' || c->p[1] != 'u' ||
		    (c->p += 2, !json_hex4(c, &low)) || low < 0xdc00 ||
		    low > 0xdfff))
			return false;
	}
	return false;
}

static bool
json_digits(struct json_cursor *c)
{
	const char *start = c->p;

	while (c->p < c->end && g_ascii_isdigit(*c->p))
		c->p++;
	return c->p > start;
}

static bool
json_number(struct json_cursor *c)
{
	if (c->p < c->end && *c->p == '-')
		c->p++;
	if (c->p < c->end && *c->p == '0')
		c->p++;
	else if (!json_digits(c))
		return false;
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		if (!json_digits(c))
			return false;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (!json_digits(c))
			return false;
	}
	return true;
}

static bool
json_word(struct json_cursor *c, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0)
		return false;
	c->p += n;
	return true;
}

/* An object or array, after its opening bracket. */
static bool
json_members(struct json_cursor *c, int depth, bool object)
{
	char close = object ? '}' : ']';

	json_space(c);
	if (c->p < c->end && *c->p == close) {
		c->p++;
		return true;
	}
	for (;;) {
		if (object && (!json_string(c) || !json_char(c, ':')))
			return false;
		if (!json_value(c, depth + 1))
			return false;
		json_space(c);
		if (c->p == c->end)
			return false;
		if (*c->p == close) {
			c->p++;
			return true;
		}
		if (*c->p++ != ',')
			return false;
	}
}

static bool
json_value(struct json_cursor *c, int depth)
{
	json_space(c);
	if (c->p == c->end || depth > MAX_DEPTH)
		return false;
	switch (*c->p) {
	case '{':
		c->p++;
		return json_members(c, depth, true);
	case '[':
		c->p++;
		return json_members(c, depth, false);
	case '"':
		return json_string(c);
	case 't':
		return json_word(c, "true");
	case 'f':
		return json_word(c, "false");
	case 'n':
		return json_word(c, "null");
	default:
		return json_number(c);
	}
}

static bool
is_strict_json(const char *s, size_t len)
{
	struct json_cursor c = { s, s + len };

	if (!json_value(&c, 0))
		return false;
	json_space(&c);
	return c.p == c.end;
}

/*
 * Reads member name of o as a string into *out (a new string, or NULL for
 * null, "" or an absent member).  Anything else is a parse error.
 */
static bool
get_str(JsonObject *o, const char *name, char **out)
{
	JsonNode *n = json_object_get_member(o, name);
	const char *s;

	*out = NULL;
	if (n == NULL || JSON_NODE_HOLDS_NULL(n))
		return true;
	if (!JSON_NODE_HOLDS_VALUE(n) ||
	    json_node_get_value_type(n) != G_TYPE_STRING)
		return false;
	s = json_node_get_string(n);
	if (s != NULL && s[0] != '\0')
		*out = g_strdup(s);
	return true;
}

/* Reads member name as an integer in [0, max]; absent or null gives 0. */
static bool
get_uint(JsonObject *o, const char *name, uint64_t max, uint64_t *out)
{
	JsonNode *n = json_object_get_member(o, name);
	gint64 v;

	*out = 0;
	if (n == NULL || JSON_NODE_HOLDS_NULL(n))
		return true;
	if (!JSON_NODE_HOLDS_VALUE(n) ||
	    json_node_get_value_type(n) != G_TYPE_INT64)
		return false;
	v = json_node_get_int(n);
	if (v < 0 || (uint64_t)v > max)
		return false;
	*out = (uint64_t)v;
	return true;
}

/* Reads member name as an array (absent or null: *out is NULL). */
static bool
get_array(JsonObject *o, const char *name, JsonArray **out)
{
	JsonNode *n = json_object_get_member(o, name);

	*out = NULL;
	if (n == NULL || JSON_NODE_HOLDS_NULL(n))
		return true;
	if (!JSON_NODE_HOLDS_ARRAY(n))
		return false;
	*out = json_node_get_array(n);
	return true;
}

/* Reads a 16-digit hash (or null) into a char[17]. */
static bool
get_hash(JsonObject *o, const char *name, char out[17])
{
	char *s;

	if (!get_str(o, name, &s))
		return false;
	out[0] = '\0';
	if (s == NULL)
		return true;
	if (strlen(s) > 16) {
		g_free(s);
		return false;
	}
	strcpy(out, s);
	g_free(s);
	return true;
}

static bool
read_references(JsonObject *o, struct larch_msg *msg)
{
	JsonArray *arr;

	if (!get_array(o, "references", &arr))
		return false;
	for (guint i = 0; arr != NULL && i < json_array_get_length(arr); i++) {
		JsonNode *n = json_array_get_element(arr, i);
		const char *s;

		if (!JSON_NODE_HOLDS_VALUE(n) ||
		    json_node_get_value_type(n) != G_TYPE_STRING)
			return false;
		s = json_node_get_string(n);
		if (s != NULL && s[0] != '\0')
			g_ptr_array_add(msg->references, g_strdup(s));
	}
	return true;
}

static bool
read_attachments(JsonObject *o, struct larch_msg *msg)
{
	JsonArray *arr;

	if (!get_array(o, "attachments", &arr))
		return false;
	for (guint i = 0; arr != NULL && i < json_array_get_length(arr); i++) {
		JsonNode *n = json_array_get_element(arr, i);
		struct larch_attachment *a;
		JsonObject *ao;

		if (!JSON_NODE_HOLDS_OBJECT(n))
			return false;
		ao = json_node_get_object(n);
		a = g_new0(struct larch_attachment, 1);
		/* Owned by the array from here on, even when half read. */
		g_ptr_array_add(msg->attachments, a);
		if (!get_str(ao, "filename", &a->filename) ||
		    !get_str(ao, "content_type", &a->content_type) ||
		    !get_uint(ao, "size", G_MAXINT64, &a->size))
			return false;
	}
	return true;
}

static bool
read_sources(JsonObject *o, struct larch_msg *msg)
{
	JsonArray *arr;

	if (!get_array(o, "sources", &arr))
		return false;
	for (guint i = 0; arr != NULL && i < json_array_get_length(arr); i++) {
		JsonNode *n = json_array_get_element(arr, i);
		enum larch_source_format format;
		uint64_t offset, length;
		JsonObject *so;
		char *file, *fmt, *raw;
		bool ok;

		if (!JSON_NODE_HOLDS_OBJECT(n))
			return false;
		so = json_node_get_object(n);
		if (!get_str(so, "format", &fmt))
			return false;
		ok = fmt != NULL && source_format_from_name(fmt, &format);
		g_free(fmt);
		if (!ok || !get_uint(so, "offset", G_MAXINT64, &offset) ||
		    !get_uint(so, "length", G_MAXINT64, &length) ||
		    !get_str(so, "file", &file))
			return false;
		/* Every source names a file: larch_msg_has_source() and the
		 * readers rely on it. */
		if (file == NULL)
			return false;
		raw = larch_path_from_utf8(file);
		larch_msg_add_source(msg, raw, offset, length, format);
		g_free(raw);
		g_free(file);
	}
	return true;
}

static bool
read_articles(JsonObject *o, struct larch_msg *msg)
{
	JsonArray *arr;

	if (!get_array(o, "articles", &arr))
		return false;
	for (guint i = 0; arr != NULL && i < json_array_get_length(arr); i++) {
		JsonNode *n = json_array_get_element(arr, i);
		char *list = NULL, *month = NULL;
		uint64_t number;
		JsonObject *ao;
		bool ok;

		if (!JSON_NODE_HOLDS_OBJECT(n))
			return false;
		ao = json_node_get_object(n);
		ok = get_str(ao, "list", &list) &&
		    get_str(ao, "month", &month) && month != NULL &&
		    get_uint(ao, "number", G_MAXUINT32, &number);
		if (ok)
			larch_msg_add_article(msg, list, month,
			    (uint32_t)number);
		g_free(list);
		g_free(month);
		if (!ok)
			return false;
	}
	return true;
}

static bool
get_bool(JsonObject *o, const char *name, bool *out)
{
	JsonNode *n = json_object_get_member(o, name);

	*out = false;
	if (n == NULL || JSON_NODE_HOLDS_NULL(n))
		return true;
	if (!JSON_NODE_HOLDS_VALUE(n) ||
	    json_node_get_value_type(n) != G_TYPE_BOOLEAN)
		return false;
	*out = json_node_get_boolean(n);
	return true;
}

/* "lists" holds every list, the primary one first. */
static bool
read_lists(JsonObject *o, struct larch_msg *msg)
{
	JsonArray *a;

	if (!get_array(o, "lists", &a))
		return false;
	for (guint i = 0; a != NULL && i < json_array_get_length(a); i++) {
		JsonNode *n = json_array_get_element(a, i);

		if (!JSON_NODE_HOLDS_VALUE(n) ||
		    json_node_get_value_type(n) != G_TYPE_STRING)
			return false;
		larch_msg_add_list(msg, json_node_get_string(n));
	}
	return true;
}

static bool
read_quotes(JsonObject *o, struct larch_msg *msg)
{
	JsonArray *a;

	if (!get_array(o, "quotes", &a))
		return false;
	for (guint i = 0; a != NULL && i < json_array_get_length(a); i++) {
		JsonNode *n = json_array_get_element(a, i);
		JsonObject *q;
		char *text = NULL, *source = NULL, *attribution = NULL;
		uint64_t depth;
		bool ok;

		if (!JSON_NODE_HOLDS_OBJECT(n))
			return false;
		q = json_node_get_object(n);
		/* Records written before attributions were kept have none. */
		ok = get_str(q, "text", &text) &&
		    get_str(q, "source", &source) &&
		    get_str(q, "attribution", &attribution);
		if (ok && get_uint(q, "depth", 64, &depth))
			larch_msg_add_quote(msg, text != NULL ? text : "",
			    (int)depth, source)->attribution =
			    g_steal_pointer(&attribution);
		else
			ok = false;
		g_free(text);
		g_free(source);
		g_free(attribution);
		if (!ok)
			return false;
	}
	return true;
}

/* The conversation and text fields; all optional. */
static bool
read_conversation(JsonObject *o, struct larch_msg *msg)
{
	uint64_t depth;

	if (!get_str(o, "thread", &msg->thread) ||
	    !get_str(o, "parent", &msg->parent) ||
	    !get_uint(o, "depth", G_MAXINT32, &depth) ||
	    !get_bool(o, "inferred_parent", &msg->inferred_parent) ||
	    !get_bool(o, "from_is_list", &msg->from_is_list) ||
	    !get_str(o, "new_text", &msg->new_text) ||
	    !get_str(o, "summary", &msg->summary) ||
	    !get_str(o, "signature", &msg->signature) ||
	    !get_str(o, "footer", &msg->footer))
		return false;
	msg->depth = (int)depth;
	return read_quotes(o, msg);
}

static bool
read_record(JsonObject *o, struct larch_msg *msg)
{
	char *date;
	uint64_t n;
	bool ok;

	if (!get_str(o, "mid", &msg->mid) || msg->mid == NULL ||
	    !get_str(o, "header_mid", &msg->header_mid) ||
	    !get_str(o, "list", &msg->list) ||
	    !get_str(o, "list_id", &msg->list_id) ||
	    !get_str(o, "from", &msg->from_addr) ||
	    !get_str(o, "from_name", &msg->from_name) ||
	    !get_str(o, "subject", &msg->subject) ||
	    !get_str(o, "to", &msg->to) ||
	    !get_str(o, "cc", &msg->cc) ||
	    !get_str(o, "in_reply_to", &msg->in_reply_to) ||
	    !get_hash(o, "text_hash", msg->text_hash) ||
	    !get_hash(o, "ascii_hash", msg->ascii_hash) ||
	    !get_uint(o, "ascii_len", G_MAXUINT32, &n))
		return false;
	msg->ascii_len = (uint32_t)n;
	if (!get_hash(o, "shape_hash", msg->shape_hash) ||
	    !get_hash(o, "byte_shape_hash", msg->byte_shape_hash) ||
	    !get_uint(o, "shape_len", G_MAXUINT32, &n))
		return false;
	msg->shape_len = (uint32_t)n;

	if (!get_str(o, "date", &date))
		return false;
	ok = date == NULL || larch_iso8601_parse(date, &msg->date);
	g_free(date);
	if (!ok)
		return false;

	return read_references(o, msg) && read_lists(o, msg) &&
	    read_attachments(o, msg) && read_sources(o, msg) &&
	    read_articles(o, msg) && read_conversation(o, msg);
}

enum larch_status
larch_record_from_json(const char *json, size_t len, struct larch_msg **out)
{
	enum larch_status status = LARCH_ERR_PARSE;
	struct larch_msg *msg = NULL;
	JsonParser *parser;
	JsonNode *root;

	*out = NULL;
	if (json == NULL || len == 0 || len > G_MAXSSIZE ||
	    !g_utf8_validate_len(json, len, NULL) ||
	    !is_strict_json(json, len))
		return LARCH_ERR_PARSE;

	parser = json_parser_new_immutable();
	if (!json_parser_load_from_data(parser, json, (gssize)len, NULL))
		goto free_parser;
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
		goto free_parser;

	msg = larch_msg_new();
	if (!read_record(json_node_get_object(root), msg)) {
		larch_msg_free(msg);
		goto free_parser;
	}
	*out = msg;
	status = LARCH_OK;
free_parser:
	g_object_unref(parser);
	return status;
}
