/*
 * Raw MIME parameters: a parameter's bytes as the header wrote them,
 * before GMime converts them.  GMime reads raw 8-bit bytes in a
 * parameter (Eudora's filename="Fr\xf6sche.txt") with its own fallback
 * charsets and writes '?' for what they cannot read; larch reads them
 * like other raw 8-bit header text, in the message's charset.  Declared
 * in parse_private.h.
 */
#include <string.h>

#include <glib.h>

#include "parse_private.h"

/* Skips blanks and line breaks (a folded header) from p. */
static const char *
skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

/* The end of the value at p: past its closing quote, or at the ';' (or
 * blank) that ends a token. */
static const char *
value_end(const char *p)
{
	if (*p != '"')
		return p + strcspn(p, "; \t\r\n");
	for (p++; *p != '\0' && *p != '"'; p++)
		if (*p == '\\' && p[1] != '\0')
			p++;
	return *p == '"' ? p + 1 : p;
}

/* The value [p, end) without its quotes and quoting backslashes. */
static char *
unquote(const char *p, const char *end)
{
	GString *out;

	if (p == end || *p != '"')
		return g_strndup(p, (gsize)(end - p));
	out = g_string_sized_new((gsize)(end - p));
	for (p++; p < end && *p != '"'; p++) {
		if (*p == '\\' && p + 1 < end)
			p++;
		g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

char *
larch_header_raw_param(GMimeObject *obj, const char *header,
    const char *param)
{
	const char *p = larch_header_raw(obj, header);
	size_t n = strlen(param);

	if (p == NULL)
		return NULL;
	/* The value itself ("attachment", "text/plain") comes first. */
	p = value_end(skip_space(p));
	for (;;) {
		const char *name, *v;

		p = skip_space(p);
		if (*p == '\0')
			return NULL;
		if (*p != ';') {
			p++;	/* damage: look on for the next ';' */
			continue;
		}
		name = skip_space(p + 1);
		v = name + strcspn(name, "=; \t\r\n");
		if ((size_t)(v - name) == n &&
		    g_ascii_strncasecmp(name, param, n) == 0) {
			v = skip_space(v);
			if (*v == '=') {
				v = skip_space(v + 1);
				return unquote(v, value_end(v));
			}
		}
		v = skip_space(v);
		p = *v == '=' ? value_end(skip_space(v + 1)) : v;
	}
}
