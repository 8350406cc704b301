/*
 * Multipart bodies that an archive kept without their Content-Type header;
 * see parse_private.h.
 */
#include <string.h>

#include <glib.h>

#include "parse_private.h"

/* Whether the header block bytes[0, end) has a field called name. */
static bool
has_field(const char *bytes, size_t end, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i + n < end; i++)
		if ((i == 0 || bytes[i - 1] == '\n') && bytes[i + n] == ':' &&
		    g_ascii_strncasecmp(bytes + i, name, n) == 0)
			return true;
	return false;
}

/* The length of line [p, e) without the blanks that end it, when it can
 * be a MIME boundary line ("--" and at most 70 characters that need no
 * quoting in a header), else 0. */
static size_t
boundary_line_len(const char *p, const char *e)
{
	size_t n = (size_t)(e - p);

	while (n > 0 && g_ascii_isspace(p[n - 1]))
		n--;
	if (n < 3 || n > 72 || p[0] != '-' || p[1] != '-' ||
	    memchr(p, '"', n) != NULL || memchr(p, '\\', n) != NULL)
		return 0;
	return n;
}

/* Whether the line at p[0, n) starts a line again in [from, end). */
static bool
recurs(const char *p, size_t n, const char *from, const char *end)
{
	for (const char *q = from; q != NULL && q + n <= end;) {
		if (memcmp(q, p, n) == 0)
			return true;
		q = memchr(q, '\n', (size_t)(end - q));
		if (q != NULL)
			q++;
	}
	return false;
}

char *
larch_parse_mend_multipart(const char *bytes, size_t len, size_t *out_len)
{
	const size_t body = larch_parse_body_start(bytes, len);
	const char *end = bytes + len, *p = bytes + body;
	size_t head_end, n = 0;
	GString *out;

	if (body >= len || has_field(bytes, body, "Content-Type"))
		return NULL;
	for (int line = 0; line < 30 && p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl != NULL ? nl : end;

		n = boundary_line_len(p, e);
		if (n > 0 && nl != NULL && has_field(nl + 1,
		    larch_parse_body_start(nl + 1, (size_t)(end - nl - 1)),
		    "Content-Type") && recurs(p, n, nl + 1, end))
			break;
		n = 0;
		p = nl != NULL ? nl + 1 : end;
	}
	if (n == 0)
		return NULL;
	head_end = bytes[body - 2] == '\n' ? body - 1 : body - 2;
	out = g_string_sized_new(len + 100);
	g_string_append_len(out, bytes, (gssize)head_end);
	g_string_append(out, "Content-Type: multipart/mixed; boundary=\"");
	g_string_append_len(out, p + 2, (gssize)(n - 2));
	g_string_append(out, "\"\n");
	g_string_append_len(out, bytes + head_end, (gssize)(len - head_end));
	*out_len = out->len;
	return g_string_free(out, FALSE);
}
