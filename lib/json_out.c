/* JSON text written straight into a GString; see include/larch/json_out.h. */
#include <string.h>

#include "larch/json_out.h"

void
larch_json_out_init(struct larch_json_out *j, size_t size)
{
	j->text = g_string_sized_new(size);
	j->comma = false;
}

char *
larch_json_out_finish(struct larch_json_out *j)
{
	char *text = g_string_free(j->text, FALSE);

	j->text = NULL;
	return text;
}

/* The separator a value needs before it at its level. */
static void
separate(struct larch_json_out *j)
{
	if (j->comma)
		g_string_append_c(j->text, ',');
	j->comma = true;
}

void
larch_json_out_open(struct larch_json_out *j, char bracket)
{
	separate(j);
	g_string_append_c(j->text, bracket);
	j->comma = false;
}

void
larch_json_out_close(struct larch_json_out *j, char bracket)
{
	g_string_append_c(j->text, bracket);
	j->comma = true;
}

/* Bytes that stand for themselves inside a JSON string: not '"', not '\\',
 * not a control character.  JSON allows DEL (0x7f) as it is, but
 * json-glib escapes it, and so does this. */
static bool
is_plain(unsigned char c)
{
	return c >= 0x20 && c != '"' && c != '\\' && c != 0x7f;
}

/* s (valid UTF-8) as a quoted JSON string: runs of plain bytes are copied
 * whole, the rest escaped as json-glib escapes them. */
static void
append_quoted(GString *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	g_string_append_c(out, '"');
	while (*p != '\0') {
		const unsigned char *run = p;

		while (is_plain(*p))
			p++;
		g_string_append_len(out, (const char *)run, p - run);
		if (*p == '\0')
			break;
		switch (*p) {
		case '"':
			g_string_append(out, "\\\"");
			break;
		case '\\':
			g_string_append(out, "\\\\");
			break;
		case '\b':
			g_string_append(out, "\\b");
			break;
		case '\f':
			g_string_append(out, "\\f");
			break;
		case '\n':
			g_string_append(out, "\\n");
			break;
		case '\r':
			g_string_append(out, "\\r");
			break;
		case '\t':
			g_string_append(out, "\\t");
			break;
		default:
			g_string_append_printf(out, "\\u%04x", *p);
			break;
		}
		p++;
	}
	g_string_append_c(out, '"');
}

/* s quoted, its invalid UTF-8 repaired first. */
static void
append_string(GString *out, const char *s)
{
	char *fixed;

	if (g_utf8_validate(s, -1, NULL)) {
		append_quoted(out, s);
		return;
	}
	fixed = g_utf8_make_valid(s, -1);
	append_quoted(out, fixed);
	g_free(fixed);
}

void
larch_json_out_key(struct larch_json_out *j, const char *key)
{
	separate(j);
	append_string(j->text, key);
	g_string_append_c(j->text, ':');
	/* The member's value follows without a comma. */
	j->comma = false;
}

void
larch_json_out_string(struct larch_json_out *j, const char *value)
{
	if (value == NULL) {
		larch_json_out_null(j);
		return;
	}
	separate(j);
	append_string(j->text, value);
}

void
larch_json_out_int(struct larch_json_out *j, int64_t value)
{
	separate(j);
	g_string_append_printf(j->text, "%" G_GINT64_FORMAT, (gint64)value);
}

void
larch_json_out_bool(struct larch_json_out *j, bool value)
{
	separate(j);
	g_string_append(j->text, value ? "true" : "false");
}

void
larch_json_out_null(struct larch_json_out *j)
{
	separate(j);
	g_string_append(j->text, "null");
}

void
larch_json_out_string_member(struct larch_json_out *j, const char *key,
    const char *value)
{
	larch_json_out_key(j, key);
	larch_json_out_string(j, value);
}

void
larch_json_out_int_member(struct larch_json_out *j, const char *key,
    int64_t value)
{
	larch_json_out_key(j, key);
	larch_json_out_int(j, value);
}

void
larch_json_out_bool_member(struct larch_json_out *j, const char *key,
    bool value)
{
	larch_json_out_key(j, key);
	larch_json_out_bool(j, value);
}
