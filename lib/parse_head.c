/*
 * The header block of a message as bytes, before GMime reads it: where
 * it starts (after an mbox "From " line) and ends, and the damage GMime
 * would lose fields or text to, mended in a copy.  Split from parse.c,
 * which reads what GMime makes of the result.  Declared in
 * parse_private.h.
 */
#include <string.h>

#include <glib.h>

#include "parse_private.h"

/* The length of the field name line[0, len) starts with: printable ASCII
 * other than ':'. */
static size_t
field_name_len(const char *line, size_t len)
{
	size_t q = 0;

	while (q < len && line[q] > ' ' && line[q] < 0x7f && line[q] != ':')
		q++;
	return q;
}

/* Whether line[0, len) starts a header field: a name, maybe blanks,
 * then ':'. */
static bool
is_field_line(const char *line, size_t len)
{
	size_t q = field_name_len(line, len);

	if (q == 0)
		return false;
	while (q < len && (line[q] == ' ' || line[q] == '\t'))
		q++;
	return q < len && line[q] == ':';
}

gssize
larch_parse_header_start(const char *bytes, size_t len)
{
	size_t p = 0;

	if (len >= 3 && memcmp(bytes, "\xef\xbb\xbf", 3) == 0)
		p = 3;
	if (len - p >= 5 && memcmp(bytes + p, "From ", 5) == 0) {
		const char *nl = memchr(bytes + p, '\n', len - p);

		if (nl == NULL)
			return -1;
		p = (size_t)(nl - bytes) + 1;
	}
	while (p < len && (bytes[p] == '\n' || bytes[p] == '\r'))
		p++;
	if (!is_field_line(bytes + p, len - p))
		return -1;
	return (gssize)p;
}

size_t
larch_parse_body_start(const char *bytes, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (bytes[i] != '\n')
			continue;
		if (bytes[i + 1] == '\n')
			return i + 2;
		if (bytes[i + 1] == '\r' && i + 2 < len && bytes[i + 2] == '\n')
			return i + 3;
	}
	return len;
}

size_t
larch_parse_drop_header_nuls(char *p, size_t len)
{
	size_t end = larch_parse_body_start(p, len), o = 0;

	for (size_t i = 0; i < len; i++)
		if (p[i] != '\0' || i >= end)
			p[o++] = p[i];
	return o;
}

char *
larch_parse_end_header_early(const char *bytes, size_t len,
    size_t *out_len)
{
	size_t p = 0, n;
	GString *out;

	for (;;) {
		const char *nl = memchr(bytes + p, '\n', len - p);

		if (nl == NULL)
			break;
		if (nl == bytes + p || (nl == bytes + p + 1 &&
		    bytes[p] == '\r'))
			return NULL;	/* the header block ends well */
		p = (size_t)(nl - bytes) + 1;
	}
	n = len - p;
	if (n == 0 || bytes[p] == ' ' || bytes[p] == '\t' ||
	    is_field_line(bytes + p, n))
		return NULL;
	out = g_string_sized_new(len + 1);
	g_string_append_len(out, bytes, (gssize)p);
	g_string_append_c(out, '\n');
	/* Text, unless all of it may be a field's name cut short. */
	if (field_name_len(bytes + p, n) < n)
		g_string_append_len(out, bytes + p, (gssize)n);
	*out_len = out->len;
	return g_string_free(out, FALSE);
}

/* The end of the line at bytes[p, len) (its '\n'), or NULL for a last
 * line without one. */
static const char *
line_end(const char *bytes, size_t p, size_t len)
{
	return memchr(bytes + p, '\n', len - p);
}

/* Whether the line at bytes[p] (ending at nl) is empty: the header
 * block's end. */
static bool
is_blank_line(const char *bytes, size_t p, const char *nl)
{
	return nl == bytes + p || (nl == bytes + p + 1 && bytes[p] == '\r');
}

/* Where the next header field starts in bytes[p, len) before the header
 * block's end, or len when none does. */
static size_t
next_field(const char *bytes, size_t p, size_t len)
{
	while (p < len) {
		const char *nl = line_end(bytes, p, len);

		if (nl == NULL || is_blank_line(bytes, p, nl))
			return len;
		if (is_field_line(bytes + p, len - p))
			return p;
		p = (size_t)(nl - bytes) + 1;
	}
	return len;
}

char *
larch_parse_end_header_at_text(const char *bytes, size_t len,
    size_t *out_len)
{
	size_t p = 0;
	GString *out;

	while (p < len) {
		const char *nl = line_end(bytes, p, len);
		size_t field;

		if (nl != NULL && is_blank_line(bytes, p, nl))
			return NULL;
		if (bytes[p] == ' ' || bytes[p] == '\t' ||
		    is_field_line(bytes + p, len - p)) {
			if (nl == NULL)
				return NULL;
			p = (size_t)(nl - bytes) + 1;
			continue;
		}
		/* A last line cut short that may be a field's name is
		 * larch_parse_end_header_early()'s to drop. */
		if (nl == NULL && field_name_len(bytes + p, len - p) ==
		    len - p)
			return NULL;
		/* A damaged field (a fold that lost its blank) has fields
		 * after it, which GMime reads on; text has none. */
		field = nl != NULL ?
		    next_field(bytes, (size_t)(nl - bytes) + 1, len) : len;
		if (field < len) {
			p = field;
			continue;
		}
		out = g_string_sized_new(len + 2);
		g_string_append_len(out, bytes, (gssize)p);
		g_string_append_c(out, '\n');
		g_string_append_len(out, bytes + p, (gssize)(len - p));
		*out_len = out->len;
		return g_string_free(out, FALSE);
	}
	return NULL;
}
