/* JSON text appended to a GString; see include/larch/json_out.h. */
#include <inttypes.h>
#include <string.h>

#include "larch/json_out.h"
#include "larch/record.h"

/* "\\u2028" or "\\u2029" when p starts U+2028 or U+2029, else NULL. */
static const char *
separator_escape(const unsigned char *p)
{
	if (p[0] != 0xe2 || p[1] != 0x80 || (p[2] != 0xa8 && p[2] != 0xa9))
		return NULL;
	return p[2] == 0xa8 ? "\\u2028" : "\\u2029";
}

/* Bytes a JSON string holds as they are, except 0xe2 (which may start
 * U+2028 or U+2029): the runs larch_json_quote() copies whole. */
static bool
is_plain(unsigned char c)
{
	return c >= 0x20 && c != '"' && c != '\\' && c != 0x7f && c != 0xe2;
}

void
larch_json_quote(GString *s, const char *value)
{
	static const char hex[] = "0123456789abcdef";
	char *fixed = NULL;
	const unsigned char *p, *run;
	const char *esc;

	if (!g_utf8_validate(value, -1, NULL))
		value = fixed = g_utf8_make_valid(value, -1);
	g_string_append_c(s, '"');
	for (p = (const unsigned char *)value; *p != '\0'; p++) {
		for (run = p; is_plain(*p); p++)
			;
		g_string_append_len(s, (const char *)run, p - run);
		if (*p == '\0')
			break;
		switch (*p) {
		case '"':	g_string_append(s, "\\\""); break;
		case '\\':	g_string_append(s, "\\\\"); break;
		case '\b':	g_string_append(s, "\\b"); break;
		case '\f':	g_string_append(s, "\\f"); break;
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
		default:	/* another control character, or DEL */
			g_string_append(s, "\\u00");
			g_string_append_c(s, hex[*p >> 4]);
			g_string_append_c(s, hex[*p & 0xf]);
		}
	}
	g_string_append_c(s, '"');
	g_free(fixed);
}

char *
larch_json_escape_separators(const char *json)
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
separate(GString *s)
{
	char last = s->len > 0 ? s->str[s->len - 1] : '{';

	if (last != '{' && last != '[' && last != ':')
		g_string_append_c(s, ',');
}

static void
key(GString *s, const char *name)
{
	separate(s);
	if (name != NULL) {
		larch_json_quote(s, name);
		g_string_append_c(s, ':');
	}
}

void
larch_json_open(GString *s)
{
	if (s->len > 0)
		separate(s);
	g_string_append_c(s, '{');
}

void
larch_json_close(GString *s)
{
	g_string_append_c(s, '}');
}

void
larch_json_str(GString *s, const char *name, const char *value)
{
	key(s, name);
	if (value == NULL)
		g_string_append(s, "null");
	else
		larch_json_quote(s, value);
}

void
larch_json_int(GString *s, const char *name, int64_t value)
{
	key(s, name);
	g_string_append_printf(s, "%" PRId64, value);
}

void
larch_json_bool(GString *s, const char *name, bool value)
{
	key(s, name);
	g_string_append(s, value ? "true" : "false");
}

void
larch_json_date(GString *s, const char *name, int64_t date)
{
	char iso[LARCH_ISO8601_MAX];

	if (date == 0) {
		larch_json_str(s, name, NULL);
		return;
	}
	larch_iso8601_format(date, iso);
	larch_json_str(s, name, iso);
}

void
larch_json_raw(GString *s, const char *name, const char *json)
{
	key(s, name);
	g_string_append(s, json);
}

void
larch_json_array_open(GString *s, const char *name)
{
	key(s, name);
	g_string_append_c(s, '[');
}

void
larch_json_array_close(GString *s)
{
	g_string_append_c(s, ']');
}
