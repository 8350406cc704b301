/*
 * Inline OpenPGP clear-signed text (RFC 4880, section 7): what the author
 * wrote sits between an armour header and a signature block, its lines
 * that start with '-' escaped as "- -".  Old list archives hold many such
 * posts, and pipermail keeps them as plain text.  See quote_private.h.
 */
#include <string.h>
#include <glib.h>

#include "quote_private.h"

#define BEGIN_SIGNED "-----BEGIN PGP SIGNED MESSAGE-----"
#define BEGIN_SIGNATURE "-----BEGIN PGP SIGNATURE-----"
#define END_SIGNATURE "-----END PGP SIGNATURE-----"

/* Whether the line [p, end) is exactly what, maybe with blanks after. */
static bool
line_is(const char *p, const char *end, const char *what)
{
	size_t n = strlen(what);

	if ((size_t)(end - p) < n || memcmp(p, what, n) != 0)
		return false;
	for (p += n; p < end; p++)
		if (!g_ascii_isspace(*p))
			return false;
	return true;
}

/* Whether the line [p, end) is an armour header ("Hash: SHA256"). */
static bool
is_armour_header(const char *p, const char *end)
{
	const char *colon = memchr(p, ':', (size_t)(end - p));

	if (colon == NULL || colon == p || colon + 1 >= end ||
	    colon[1] != ' ')
		return false;
	for (const char *q = p; q < colon; q++)
		if (!g_ascii_isalnum(*q) && *q != '-')
			return false;
	return true;
}

static bool
is_blank(const char *p, const char *end)
{
	for (; p < end; p++)
		if (!g_ascii_isspace(*p))
			return false;
	return true;
}

char *
larch_quote_unarmour(const char *text)
{
	enum { OUTSIDE, HEADERS, SIGNED, SIGNATURE } state = OUTSIDE;
	GString *out;

	if (text == NULL || strstr(text, BEGIN_SIGNED) == NULL)
		return NULL;
	out = g_string_sized_new(strlen(text));
	for (const char *p = text; *p != '\0';) {
		const char *nl = strchr(p, '\n');
		const char *end = nl != NULL ? nl : p + strlen(p);
		const char *next = nl != NULL ? nl + 1 : end;

		switch (state) {
		case OUTSIDE:
			if (line_is(p, end, BEGIN_SIGNED)) {
				state = HEADERS;
				break;
			}
			g_string_append_len(out, p, next - p);
			break;
		case HEADERS:
			if (is_armour_header(p, end))
				break;
			state = SIGNED;
			if (is_blank(p, end))
				break;
			/* A header block cut short: the text starts here. */
			/* fall through */
		case SIGNED:
			if (line_is(p, end, BEGIN_SIGNATURE)) {
				state = SIGNATURE;
				break;
			}
			if (end - p >= 2 && p[0] == '-' && p[1] == ' ')
				p += 2;
			g_string_append_len(out, p, next - p);
			break;
		case SIGNATURE:
			if (line_is(p, end, END_SIGNATURE))
				state = OUTSIDE;
			break;
		}
		p = next;
	}
	return g_string_free(out, FALSE);
}
