/*
 * Quote rules for text that lost its non-ASCII characters.  Mailman's
 * pipermail archive converts each message to the list's charset and
 * writes '?' for every character that charset lacks, so on an English
 * list "Le 30/01/2009 à 06:06, Stéphane a écrit :" is archived as
 * "Le 30/01/2009 ? 06:06, St?phane a ?crit :" and "пишет:" as "?????:".
 * The rules' lossy variants let such a '?' stand for the letter it
 * replaced.
 */
#include <string.h>
#include <glib.h>

#include "quote_private.h"

/* One character may become several '?': one per byte when a message's
 * declared charset was wrong. */
#define LOST_LETTER "|\\?{1,4})"

/* Whether p starts a character a narrower charset may lack that the
 * rewriting lets '?' stand for: a non-ASCII letter, or with marks set any
 * non-ASCII character, such as the full-width colon that ends "写道："
 * (archived "????"). */
static bool
is_losable_at(const char *p, bool marks)
{
	return (unsigned char)*p >= 0x80 &&
	    (marks || g_unichar_isalpha(g_utf8_get_char(p)));
}

/*
 * Copies the character class that starts at *p ('[') into out and moves
 * *p past it.  A class that admits a non-ASCII character admits '?' too; a
 * negated class that excludes '?' no longer does, as a '?' may now be a
 * letter of a name or word.  *changed is set when the copy differs.
 */
static void
copy_class(const char **p, GString *out, bool marks, bool *changed)
{
	const char *s = *p + 1;
	bool negated = *s == '^', losable = false;

	g_string_append_c(out, '[');
	if (negated)
		g_string_append_c(out, *s++);
	if (*s == ']')
		g_string_append_c(out, *s++);
	while (*s != '\0' && *s != ']') {
		const char *next = g_utf8_next_char(s);

		if (*s == '\\' && s[1] != '\0') {
			next = g_utf8_next_char(s + 1);
			if (negated && s[1] == '?') {
				*changed = true;
				s = next;
				continue;
			}
		} else if (*s == '[' && s[1] == ':') {
			const char *close = strstr(s + 2, ":]");

			if (close != NULL)
				next = close + 2;
		} else if (negated && *s == '?') {
			*changed = true;
			s = next;
			continue;
		} else if (is_losable_at(s, marks)) {
			losable = true;
		}
		g_string_append_len(out, s, next - s);
		s = next;
	}
	if (losable && !negated) {
		g_string_append(out, "\\?");
		*changed = true;
	}
	if (*s == ']')
		g_string_append_c(out, *s++);
	*p = s;
}

char *
larch_quote_lossy_pattern(const char *pattern, bool marks)
{
	GString *out;
	bool changed = false;

	/* A \Q...\E literal would need its own rewriting; such a rule stays
	 * as it is. */
	if (strstr(pattern, "\\Q") != NULL)
		return NULL;
	out = g_string_sized_new(strlen(pattern) * 2);
	for (const char *p = pattern; *p != '\0';) {
		const char *next = g_utf8_next_char(p);

		if (*p == '\\' && p[1] != '\0') {
			next = g_utf8_next_char(p + 1);
		} else if (*p == '[') {
			copy_class(&p, out, marks, &changed);
			continue;
		} else if (is_losable_at(p, marks)) {
			g_string_append(out, "(?:");
			g_string_append_len(out, p, next - p);
			g_string_append(out, LOST_LETTER);
			changed = true;
			p = next;
			continue;
		}
		g_string_append_len(out, p, next - p);
		p = next;
	}
	if (!changed) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

bool
larch_quote_same_name(const char *s, size_t len, const char *name,
    bool lossy)
{
	/* at[i]: the characters of name read so far can end at s + i.  A
	 * non-ASCII character may have become one '?', or one per byte. */
	bool *at, *next_at, found;

	if (!lossy || strchr(name, '?') != NULL || memchr(s, '?', len) == NULL)
		return strlen(name) == len && memcmp(s, name, len) == 0;
	at = g_new0(bool, len + 1);
	next_at = g_new0(bool, len + 1);
	at[0] = true;
	for (const char *c = name; *c != '\0'; c = g_utf8_next_char(c)) {
		size_t k = (size_t)(g_utf8_next_char(c) - c);
		bool any = false;

		memset(next_at, 0, len + 1);
		for (size_t i = 0; i < len; i++) {
			if (!at[i])
				continue;
			if (len - i >= k && memcmp(s + i, c, k) == 0)
				any = next_at[i + k] = true;
			if (k > 1 && s[i] == '?') {
				size_t q = 1;

				any = next_at[i + 1] = true;
				while (q < k && i + q < len && s[i + q] == '?')
					q++;
				if (q == k)
					next_at[i + k] = true;
			}
		}
		memcpy(at, next_at, len + 1);
		if (!any)
			break;
	}
	found = at[len];
	g_free(next_at);
	g_free(at);
	return found;
}
