/*
 * A message's record as one line of JSON; see include/larch/record.h.
 *
 * The writer emits every key, in the order the header lists them, with
 * null for missing values.  The reader is strict about types (a string
 * where a number belongs is LARCH_ERR_PARSE) but tolerates absent keys and
 * ignores unknown ones, so records written by a newer larch still load.
 * Input is checked before json-glib sees it: it must be valid UTF-8, with no
 * NUL bytes, strict JSON, nested no deeper than MAX_DEPTH.
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "larch/record.h"

#define MAX_DEPTH 32
#define SECS_PER_DAY 86400

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * algorithm): exact for every int64_t time, unlike gmtime on 32-bit
 * years, and free of locale and time zone state. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

char *
larch_iso8601(int64_t t)
{
	int64_t days = t / SECS_PER_DAY, secs = t % SECS_PER_DAY, y;
	unsigned m, d;

	if (secs < 0) {
		secs += SECS_PER_DAY;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	return g_strdup_printf("%s%04" G_GINT64_MODIFIER "u-%02u-%02uT"
	    "%02u:%02u:%02uZ", y < 0 ? "-" : "",
	    (guint64)(y < 0 ? -(guint64)y : (guint64)y), m, d,
	    (unsigned)(secs / 3600), (unsigned)(secs / 60 % 60),
	    (unsigned)(secs % 60));
}

/* Reads n decimal digits at *p into *v and advances *p. */
static bool
digits(const char **p, int n, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (!g_ascii_isdigit((*p)[i]))
			return false;
		*v = *v * 10 + (unsigned)((*p)[i] - '0');
	}
	*p += n;
	return true;
}

/* The inverse of larch_iso8601(): exactly "[-]YYYY-MM-DDTHH:MM:SSZ" with
 * four or more year digits. */
static bool
parse_iso8601(const char *s, int64_t *out)
{
	const char *p = s;
	bool neg = false;
	int64_t year = 0, days, secs, t;
	unsigned mon, day, hh, mm, ss, dim;
	int ny = 0;
	static const unsigned mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (*p == '-') {
		neg = true;
		p++;
	}
	/* 12 digits reach past what an int64_t of seconds can hold. */
	while (g_ascii_isdigit(*p) && ny < 12) {
		year = year * 10 + (*p++ - '0');
		ny++;
	}
	if (ny < 4 || *p++ != '-' || !digits(&p, 2, &mon) || *p++ != '-' ||
	    !digits(&p, 2, &day) || *p++ != 'T' || !digits(&p, 2, &hh) ||
	    *p++ != ':' || !digits(&p, 2, &mm) || *p++ != ':' ||
	    !digits(&p, 2, &ss) || *p++ != 'Z' || *p != '\0')
		return false;
	if (neg)
		year = -year;
	if (mon < 1 || mon > 12 || hh > 23 || mm > 59 || ss > 59)
		return false;
	dim = mdays[mon - 1];
	if (mon == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
		dim = 29;
	if (day < 1 || day > dim)
		return false;
	days = days_from_civil(year, mon, day);
	secs = (int64_t)(hh * 3600 + mm * 60 + ss);
	/* Before 1970 count from the end of the day, so that the earliest
	 * time larch_iso8601() can write does not overflow on the way. */
	if (days < 0) {
		days++;
		secs -= SECS_PER_DAY;
	}
	if (__builtin_mul_overflow(days, (int64_t)SECS_PER_DAY, &t) ||
	    __builtin_add_overflow(t, secs, &t))
		return false;
	*out = t;
	return true;
}

/*
 * Adds a string value.  Strings that break the model's UTF-8 promise are
 * repaired (U+FFFD for bad bytes) rather than written as invalid JSON.
 * json-glib 1.6 (Debian 12) writes U+001F unescaped, which JSON forbids
 * and is_strict_json() refuses: a message with that byte in its text had
 * a record that never read back, so it becomes a space.
 */
static void
add_value(JsonBuilder *b, const char *value)
{
	char *fixed = NULL;

	if (!g_utf8_validate(value, -1, NULL))
		value = fixed = g_utf8_make_valid(value, -1);
	if (strchr(value, '\x1f') != NULL) {
		if (fixed == NULL)
			value = fixed = g_strdup(value);
		g_strdelimit(fixed, "\x1f", ' ');
	}
	json_builder_add_string_value(b, value);
	g_free(fixed);
}

/* Adds "name": value, or null. */
static void
add_str(JsonBuilder *b, const char *name, const char *value)
{
	json_builder_set_member_name(b, name);
	/* "" is written as null, as get_str() reads it back: the model has
	 * no empty strings (msg.h), but the quote splitter gives "" for no
	 * new text, and a record must read back the way it was written. */
	if (value == NULL || value[0] == '\0')
		json_builder_add_null_value(b);
	else
		add_value(b, value);
}

static void
add_int(JsonBuilder *b, const char *name, int64_t value)
{
	json_builder_set_member_name(b, name);
	json_builder_add_int_value(b, value);
}

char *
larch_record_to_json(const struct larch_msg *msg)
{
	JsonBuilder *b = json_builder_new_immutable();
	JsonGenerator *gen;
	JsonNode *root;
	char *date, *json;

	json_builder_begin_object(b);
	add_str(b, "mid", msg->mid);
	add_str(b, "header_mid", msg->header_mid);
	add_str(b, "list", msg->list);
	json_builder_set_member_name(b, "lists");
	json_builder_begin_array(b);
	if (msg->list != NULL)
		add_value(b, msg->list);
	for (guint i = 0; i < msg->also_lists->len; i++)
		add_value(b, msg->also_lists->pdata[i]);
	json_builder_end_array(b);
	add_str(b, "list_id", msg->list_id);
	date = larch_iso8601(msg->date);
	add_str(b, "date", date);
	g_free(date);
	add_str(b, "from", msg->from_addr);
	add_str(b, "from_name", msg->from_name);
	add_str(b, "subject", msg->subject);
	add_str(b, "to", msg->to);
	add_str(b, "cc", msg->cc);
	add_str(b, "in_reply_to", msg->in_reply_to);

	json_builder_set_member_name(b, "references");
	json_builder_begin_array(b);
	for (guint i = 0; i < msg->references->len; i++) {
		const char *ref = msg->references->pdata[i];

		if (ref != NULL)
			add_value(b, ref);
	}
	json_builder_end_array(b);

	json_builder_set_member_name(b, "attachments");
	json_builder_begin_array(b);
	for (guint i = 0; i < msg->attachments->len; i++) {
		const struct larch_attachment *a = msg->attachments->pdata[i];

		json_builder_begin_object(b);
		add_str(b, "filename", a->filename);
		add_str(b, "content_type", a->content_type);
		add_int(b, "size", (int64_t)MIN(a->size, (uint64_t)G_MAXINT64));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);

	json_builder_set_member_name(b, "sources");
	json_builder_begin_array(b);
	for (guint i = 0; i < msg->sources->len; i++) {
		const struct larch_source *s = msg->sources->pdata[i];

		json_builder_begin_object(b);
		add_str(b, "file", s->file);
		add_int(b, "offset",
		    (int64_t)MIN(s->offset, (uint64_t)G_MAXINT64));
		add_int(b, "length",
		    (int64_t)MIN(s->length, (uint64_t)G_MAXINT64));
		add_str(b, "format", larch_source_format_name(s->format));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);

	json_builder_set_member_name(b, "articles");
	json_builder_begin_array(b);
	for (guint i = 0; i < msg->articles->len; i++) {
		const struct larch_article *a = msg->articles->pdata[i];

		json_builder_begin_object(b);
		add_str(b, "list", a->list);
		add_str(b, "month", a->month);
		add_int(b, "number", a->number);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);

	add_str(b, "thread", msg->thread);
	add_str(b, "parent", msg->parent);
	add_int(b, "depth", msg->depth);
	json_builder_set_member_name(b, "inferred_parent");
	json_builder_add_boolean_value(b, msg->inferred_parent);
	add_str(b, "new_text", msg->new_text);
	add_str(b, "summary", msg->summary);
	json_builder_set_member_name(b, "quotes");
	json_builder_begin_array(b);
	for (guint i = 0; i < msg->quotes->len; i++) {
		const struct larch_quote *q = msg->quotes->pdata[i];

		json_builder_begin_object(b);
		add_str(b, "text", q->text);
		add_str(b, "source", q->source);
		add_int(b, "depth", q->depth);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	add_str(b, "signature", msg->signature);
	add_str(b, "footer", msg->footer);

	add_str(b, "text_hash", msg->text_hash[0] ? msg->text_hash : NULL);
	add_str(b, "ascii_hash", msg->ascii_hash[0] ? msg->ascii_hash : NULL);
	add_int(b, "ascii_len", msg->ascii_len);
	json_builder_end_object(b);

	root = json_builder_get_root(b);
	gen = json_generator_new();
	json_generator_set_root(gen, root);
	json = json_generator_to_data(gen, NULL);
	g_object_unref(gen);
	json_node_unref(root);
	g_object_unref(b);
	return json;
}

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
		char *file, *fmt;
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
		larch_msg_add_source(msg, file, offset, length, format);
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
		char *text = NULL, *source = NULL;
		uint64_t depth;
		bool ok;

		if (!JSON_NODE_HOLDS_OBJECT(n))
			return false;
		q = json_node_get_object(n);
		ok = get_str(q, "text", &text) && get_str(q, "source", &source);
		if (ok && get_uint(q, "depth", 64, &depth))
			larch_msg_add_quote(msg, text != NULL ? text : "",
			    (int)depth, source);
		else
			ok = false;
		g_free(text);
		g_free(source);
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

	if (!get_str(o, "date", &date))
		return false;
	ok = date == NULL || parse_iso8601(date, &msg->date);
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
