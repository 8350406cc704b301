/*
 * Words as Xapian's QueryParser reads them; see query_word.h.  The rules
 * were found by trying Xapian 1.4's parser, not read from its source:
 * tests/test-search.c holds the queries that show them.
 */
#include <string.h>

#include <glib.h>

#include "query_word.h"

/* A character Xapian's parser takes into a word (a letter, digit, mark
 * or connector such as '_'), where it would start reading a field. */
bool
larch_query_starts_word(const char *p)
{
	gunichar ch = g_utf8_get_char(p);

	if ((unsigned char)*p < 0x80)
		return g_ascii_isalnum(*p) || *p == '_';
	switch (g_unichar_type(ch)) {
	case G_UNICODE_UPPERCASE_LETTER:
	case G_UNICODE_LOWERCASE_LETTER:
	case G_UNICODE_TITLECASE_LETTER:
	case G_UNICODE_MODIFIER_LETTER:
	case G_UNICODE_OTHER_LETTER:
	case G_UNICODE_NON_SPACING_MARK:
	case G_UNICODE_ENCLOSING_MARK:
	case G_UNICODE_SPACING_MARK:
	case G_UNICODE_DECIMAL_NUMBER:
	case G_UNICODE_LETTER_NUMBER:
	case G_UNICODE_OTHER_NUMBER:
	case G_UNICODE_CONNECT_PUNCTUATION:
		return true;
	default:
		return false;
	}
}

/* Whether p starts a character Xapian reads as Chinese, Japanese or
 * Korean: its n-grams, not one word (CJK::codepoint_is_cjk()). */
static bool
is_cjk(const char *p)
{
	gunichar ch = g_utf8_get_char(p);

	return (ch >= 0x2E80 && ch <= 0x2EFF) ||
	    (ch >= 0x3000 && ch <= 0x9FFF) || (ch >= 0xA700 && ch <= 0xA71F) ||
	    (ch >= 0xAC00 && ch <= 0xD7AF) || (ch >= 0xF900 && ch <= 0xFAFF) ||
	    (ch >= 0xFE30 && ch <= 0xFE4F) || (ch >= 0xFF00 && ch <= 0xFFEF) ||
	    (ch >= 0x20000 && ch <= 0x2A6DF) ||
	    (ch >= 0x2F800 && ch <= 0x2FA1F);
}

bool
larch_query_has_word(const char *p, size_t len)
{
	for (const char *e = p + len; p < e; p = g_utf8_next_char(p))
		if (larch_query_starts_word(p))
			return true;
	return false;
}

/*
 * What a word of len bytes is when Xapian's parser does not read it as
 * one term, NULL when it does; NEAR and ADJ take only such terms.  Its
 * rules, as tried on Xapian 1.4: punctuation around a word is skipped,
 * an apostrophe or '&' inside one is kept ("don't"), so are '.' and ','
 * between digits ("3.14") and "++" or '#' at its end ("c++"); any other
 * character inside it ("e-mail", "a.b", "a@b") splits it.
 */
const char *
larch_query_word_not_single(const char *w, size_t len)
{
	const char *p = w, *end = w + len, *last = NULL;

	if (memchr(w, '*', len) != NULL)
		return "a wildcard";
	while (p < end && !larch_query_starts_word(p))
		p = g_utf8_next_char(p);
	for (const char *k = p; k < end; k = g_utf8_next_char(k))
		if (larch_query_starts_word(k))
			last = k;
	if (last == NULL)
		return "no word";
	end = g_utf8_next_char(last);
	while (end < w + len && (*end == '+' || *end == '#'))
		end++;
	for (const char *prev = NULL; p < end; prev = p,
	    p = g_utf8_next_char(p)) {
		const char *next = g_utf8_next_char(p);

		if (is_cjk(p))
			return "Chinese, Japanese or Korean text (read as "
			    "several terms)";
		if (larch_query_starts_word(p))
			continue;
		if ((*p == '\'' || *p == '&') && next < end &&
		    larch_query_starts_word(next))
			continue;
		if ((*p == '.' || *p == ',') && prev != NULL &&
		    g_ascii_isdigit(*prev) && g_ascii_isdigit(*next))
			continue;
		if ((*p == '+' || *p == '#') && strspn(p, "+#") >=
		    (size_t)(end - p))
			break;
		return "several words to the parser";
	}
	return NULL;
}
