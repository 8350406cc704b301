/*
 * Rows as text or JSON Lines; see render.h and docs/protocol.md section 5.
 * JSON is written by hand rather than with json-glib: a search answer is
 * twenty small flat objects, and building a JsonNode tree for each would
 * cost more than the query.
 *
 * Owner: the daemon engineer.
 */
#include <inttypes.h>
#include <string.h>

#include "larch/record.h"
#include "render.h"

void
render_field(GString *line, const char *s)
{
	if (s == NULL)
		return;
	/* Whole runs at a time: a page of rows is mostly these bytes. */
	for (;;) {
		size_t n = strcspn(s, "\t\r\n");

		g_string_append_len(line, s, (gssize)n);
		if (s[n] == '\0')
			return;
		g_string_append_c(line, ' ');
		s += n + 1;
	}
}

/*
 * "\\u2028" or "\\u2029" when p starts U+2028 or U+2029, else NULL.  JSON
 * allows both raw in strings, but line splitters (JavaScript's, Python's
 * splitlines()) end lines there: escaped, a row stays one line.
 */
static const char *
separator_escape(const unsigned char *p)
{
	if (p[0] != 0xe2 || p[1] != 0x80 || (p[2] != 0xa8 && p[2] != 0xa9))
		return NULL;
	return p[2] == 0xa8 ? "\\u2028" : "\\u2029";
}

/* Bytes a JSON string can hold as they are, except 0xe2 (which may start
 * U+2028 or U+2029): the runs json_quote() copies whole. */
static bool
json_plain(unsigned char c)
{
	return c >= 0x20 && c != '"' && c != '\\' && c != 0x7f && c != 0xe2;
}

void
json_quote(GString *s, const char *value)
{
	static const char hex[] = "0123456789abcdef";
	char *fixed = NULL;
	const unsigned char *p, *run;
	const char *esc;

	if (!g_utf8_validate(value, -1, NULL))
		value = fixed = g_utf8_make_valid(value, -1);
	g_string_append_c(s, '"');
	for (p = (const unsigned char *)value; *p != '\0'; p++) {
		for (run = p; json_plain(*p); p++)
			;
		g_string_append_len(s, (const char *)run, p - run);
		if (*p == '\0')
			break;
		switch (*p) {
		case '"':	g_string_append(s, "\\\""); break;
		case '\\':	g_string_append(s, "\\\\"); break;
		case '\n':	g_string_append(s, "\\n"); break;
		case '\r':	g_string_append(s, "\\r"); break;
		case '\t':	g_string_append(s, "\\t"); break;
		case 0xe2:
			if ((esc = separator_escape(p)) != NULL) {
				g_string_append(s, esc);
				p += 2;
			} else {
				g_string_append_c(s, (char)*p);
			}
			break;
		default:	/* a control character or DEL */
			g_string_append(s, "\\u00");
			g_string_append_c(s, hex[*p >> 4]);
			g_string_append_c(s, hex[*p & 0xf]);
		}
	}
	g_string_append_c(s, '"');
	g_free(fixed);
}

char *
json_escape_separators(const char *json)
{
	GString *out = g_string_sized_new(strlen(json) + 16);
	const char *esc;

	for (const unsigned char *p = (const unsigned char *)json; *p != '\0';
	    p++) {
		if ((esc = separator_escape(p)) != NULL) {
			g_string_append(out, esc);
			p += 2;
		} else {
			g_string_append_c(out, (char)*p);
		}
	}
	return g_string_free(out, FALSE);
}

/* A comma before the next member or element, unless it is the first. */
static void
sep(GString *s)
{
	char last = s->len > 0 ? s->str[s->len - 1] : '{';

	if (last != '{' && last != '[' && last != ':')
		g_string_append_c(s, ',');
}

static void
key(GString *s, const char *name)
{
	sep(s);
	if (name != NULL) {
		json_quote(s, name);
		g_string_append_c(s, ':');
	}
}

void
json_open(GString *s)
{
	if (s->len > 0)
		sep(s);
	g_string_append_c(s, '{');
}

void
json_close(GString *s)
{
	g_string_append_c(s, '}');
}

void
json_str(GString *s, const char *name, const char *value)
{
	key(s, name);
	if (value == NULL)
		g_string_append(s, "null");
	else
		json_quote(s, value);
}

void
json_int(GString *s, const char *name, int64_t value)
{
	key(s, name);
	g_string_append_printf(s, "%" PRId64, value);
}

void
json_bool(GString *s, const char *name, bool value)
{
	key(s, name);
	g_string_append(s, value ? "true" : "false");
}

void
json_date(GString *s, const char *name, int64_t date)
{
	char iso[LARCH_ISO8601_MAX];

	if (date == 0) {
		json_str(s, name, NULL);
		return;
	}
	larch_iso8601_format(date, iso);
	json_str(s, name, iso);
}

void
json_raw(GString *s, const char *name, const char *json)
{
	key(s, name);
	g_string_append(s, json);
}

void
json_array_open(GString *s, const char *name)
{
	key(s, name);
	g_string_append_c(s, '[');
}

void
json_array_close(GString *s)
{
	g_string_append_c(s, ']');
}

void
json_elem_str(GString *s, const char *value)
{
	json_str(s, NULL, value);
}

static void
row_json(GString *line, const struct larch_search_row *row,
    enum render_row_kind kind)
{
	json_open(line);
	json_int(line, "v", LARCH_PROTO_SCHEMA);
	json_str(line, "mid", row->mid);
	json_str(line, "thread", row->thread);
	json_date(line, "date", row->date);
	json_str(line, "from", row->from);
	json_str(line, "from_name", row->from_name);
	json_str(line, "subject", row->subject);
	json_str(line, "list", row->list);
	json_str(line, "summary", row->summary);
	if (kind != RENDER_ROW_THREAD && row->snippet != NULL &&
	    row->snippet[0] != '\0')
		json_str(line, "snippet", row->snippet);
	if (row->score >= 0)
		json_int(line, "score", row->score);
	if (kind != RENDER_ROW_THREAD)
		json_int(line, "messages", row->messages);
	if (kind == RENDER_ROW_THREAD) {
		json_int(line, "depth", row->depth);
		json_str(line, "parent", row->parent != NULL &&
		    row->parent[0] != '\0' ? row->parent : NULL);
	}
	json_close(line);
}

/*
 * A text row, written straight into out as one protocol line.  Its
 * fields hold no line break (render_field()), so the line needs only
 * its dot-stuffing, and only a mid can start with a dot.
 */
static void
row_text(GString *out, const struct larch_search_row *row,
    enum render_row_kind kind)
{
	char date[LARCH_ISO8601_MAX];

	larch_iso8601_format(row->date, date);
	if (kind == RENDER_ROW_THREAD)
		g_string_append_printf(out, "%d\t", row->depth);
	else if (row->mid != NULL && row->mid[0] == '.')
		g_string_append_c(out, '.');
	render_field(out, row->mid);
	g_string_append_c(out, '\t');
	render_field(out, row->thread);
	g_string_append_c(out, '\t');
	g_string_append(out, date);
	g_string_append_c(out, '\t');
	render_field(out, row->list);
	g_string_append_c(out, '\t');
	render_field(out, row->from);
	g_string_append_c(out, '\t');
	render_field(out, row->from_name);
	g_string_append_c(out, '\t');
	render_field(out, row->subject);
	g_string_append_c(out, '\t');
	render_field(out, row->summary);
	g_string_append(out, "\r\n");
}

void
render_row(GString *out, const struct larch_search_row *row,
    enum larch_proto_format format, enum render_row_kind kind)
{
	GString *line;

	if (format != LARCH_PROTO_FORMAT_JSON) {
		row_text(out, row, kind);
		return;
	}
	line = g_string_sized_new(512);
	row_json(line, row, kind);
	larch_proto_append_line(out, line->str, (gssize)line->len);
	g_string_free(line, TRUE);
}
