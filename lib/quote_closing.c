/*
 * The author's closing at the end of their text, which summaries leave
 * out as they leave out "Thanks,\nAnna" (see quote_summary.c): a last
 * line that is only the author's name, first or full, in any case
 * ("...\n\nAnna", "-Anna", "...out?\nAndrew Bartlett", "yousong"), or a
 * sign-off and that name on one line ("Cheers, David", "Thanks  Manlio
 * Perillo").  The From header's display name tells a name from a short
 * answer ("Agreed").
 */
#include <string.h>
#include <glib.h>

#include "quote_private.h"

/* Longest closing line looked at, in bytes. */
#define MAX_CLOSING 120

/* name's first name: its first word, or the word after the comma of
 * "Last, First".  Caller g_free()s; NULL when there is none. */
static char *
first_name_of(const char *name)
{
	const char *comma = strchr(name, ',');
	const char *s = comma != NULL ? comma + 1 : name;
	size_t n;

	while (*s == ' ' || *s == '\t' || *s == '"')
		s++;
	n = strcspn(s, " \t\",");
	return n > 0 ? g_strndup(s, n) : NULL;
}

/* Whether the len bytes at s, case aside, are want. */
static bool
same_folded(const char *s, size_t len, const char *want, bool lossy)
{
	char *a, *b;
	bool yes;

	if (want == NULL || want[0] == '\0')
		return false;
	a = g_utf8_casefold(s, (gssize)len);
	b = g_utf8_casefold(want, -1);
	yes = strcmp(a, b) == 0 || larch_quote_same_name(s, len, want, lossy);
	g_free(a);
	g_free(b);
	return yes;
}

/* Whether the len bytes at s (blanks, no-break spaces as HTML mail
 * indents with, dashes and closing marks around dropped) are the author's
 * first or full name. */
static bool
is_name(const char *s, size_t len, const char *first, const char *full,
    bool lossy)
{
	while (len > 0 && (*s == '-' ||
	    larch_quote_is_blank(g_utf8_get_char(s)))) {
		size_t n = (size_t)(g_utf8_next_char(s) - s);

		s += n;
		len -= n;
	}
	while ((len = larch_quote_trim_end(s, len)) > 0 &&
	    strchr(",.!", s[len - 1]) != NULL)
		len--;
	return len > 0 && (same_folded(s, len, first, lossy) ||
	    same_folded(s, len, full, lossy));
}

/* Whether line (len bytes) is a sign-off and the name after it. */
static bool
is_signoff_name(const struct larch_quote_rules *rules, const char *line,
    size_t len, const char *first, const char *full, bool lossy)
{
	for (size_t k = 1; k < len; k++) {
		size_t cut = k + (line[k] == ',');
		char *head;
		bool yes;

		if (line[k] != ',' && line[k] != ' ' && line[k] != '\t')
			continue;
		if (!is_name(line + cut, len - cut, first, full, lossy))
			continue;
		head = larch_quote_padded(line, cut);
		yes = larch_quote_rule_found(rules, LARCH_RULE_SIGNOFF, head,
		    cut);
		g_free(head);
		if (yes)
			return true;
	}
	return false;
}

size_t
larch_quote_closing_start(const struct larch_quote_rules *rules,
    const char *text, const char *name)
{
	size_t len = strlen(text), end = len, start;
	bool lossy = larch_quote_rules_are_lossy(rules), yes;
	char *first, *full;

	if (name == NULL)
		return len;
	end = larch_quote_trim_end(text, end);
	for (start = end; start > 0 && text[start - 1] != '\n'; start--)
		;
	/* Under other text of the author's only. */
	if (end - start > MAX_CLOSING ||
	    !larch_quote_has_alnum(text, start))
		return len;
	first = first_name_of(name);
	full = larch_quote_turned_name(name);
	yes = is_name(text + start, end - start, first, full, lossy) ||
	    is_signoff_name(rules, text + start, end - start, first, full,
	    lossy);
	g_free(first);
	g_free(full);
	if (!yes)
		return len;
	while (start > 0 && g_ascii_isspace(text[start - 1]))
		start--;
	return start;
}
