/*
 * Reading one string field of a stored record without parsing the whole
 * record: a search shows a snippet of each hit's new text, and parsing
 * twenty 6 KB records with json-glib per query would cost more than the
 * search itself.  The record is JSON written by larch_record_to_json():
 * a key appears once at the top level, and a quote inside any string is
 * escaped, so the bytes "key": can only be that key.
 */
#include <string.h>

#include <glib.h>

#include "larch/record.h"

static int
hex_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static bool
hex4(const char *p, const char *end, gunichar *out)
{
	gunichar v = 0;

	if (end - p < 4)
		return false;
	for (int i = 0; i < 4; i++) {
		int h = hex_value(p[i]);

		if (h < 0)
			return false;
		v = v << 4 | (gunichar)h;
	}
	*out = v;
	return true;
}

/* Decodes a JSON string body from p (just past its opening quote). */
static char *
unescape(const char *p, const char *end)
{
	GString *out = g_string_sized_new(end - p);

	while (p < end && *p != '"') {
		gunichar u, lo;

		if (*p != '\\') {
			g_string_append_c(out, *p++);
			continue;
		}
		if (++p >= end)
			break;
		switch (*p++) {
		case 'n': g_string_append_c(out, '\n'); break;
		case 't': g_string_append_c(out, '\t'); break;
		case 'r': g_string_append_c(out, '\r'); break;
		case 'b': g_string_append_c(out, '\b'); break;
		case 'f': g_string_append_c(out, '\f'); break;
		case 'u':
			if (!hex4(p, end, &u))
				goto bad;
			p += 4;
			if (u >= 0xD800 && u <= 0xDBFF && end - p >= 6 &&
			    p[0] == '\\' && p[1] == 'u' &&
			    hex4(p + 2, end, &lo) && lo >= 0xDC00 &&
			    lo <= 0xDFFF) {
				u = 0x10000 + ((u - 0xD800) << 10) +
				    (lo - 0xDC00);
				p += 6;
			}
			if (u >= 0xD800 && u <= 0xDFFF)
				u = 0xFFFD;	/* a lone surrogate */
			g_string_append_unichar(out, u);
			break;
		default:	/* \" \\ \/ */
			g_string_append_c(out, p[-1]);
			break;
		}
	}
	if (p < end)
		return g_string_free(out, FALSE);
bad:
	g_string_free(out, TRUE);
	return NULL;
}

char *
larch_record_get_string(const char *json, size_t len, const char *key)
{
	char *needle = g_strdup_printf("\"%s\":", key);
	const char *end = json + len, *p;

	p = g_strstr_len(json, len, needle);
	if (p != NULL)
		p += strlen(needle);
	g_free(needle);
	if (p == NULL)
		return NULL;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
		p++;
	if (p >= end || *p != '"')
		return NULL;	/* null, or not a string */
	return unescape(p + 1, end);
}
