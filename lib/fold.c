/* Accent folding; see include/larch/fold.h. */
#include <stdbool.h>
#include <string.h>

#include <glib.h>

#include "larch/fold.h"

/* Articles and prepositions that French and Italian elide before a vowel
 * ("l'information", "qu'il", "dell'anno"), lower case. */
static const char *const elided[] = {
	"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu",
	"puisqu", "quoiqu", "dell", "nell", "all", "sull", "dall", "quell",
	"un",
};

size_t
larch_fold_elision(const char *text, size_t at, size_t len)
{
	size_t apos, start;

	if (at + 1 < len && text[at] == '\'')
		apos = 1;
	else if (at + 3 < len && memcmp(text + at, "\xe2\x80\x99", 3) == 0)
		apos = 3;
	else
		return 0;
	if (!g_unichar_isalpha(g_utf8_get_char(text + at + apos)))
		return 0;
	for (start = at; start > 0 && g_ascii_isalpha(text[start - 1]);
	    start--)
		;
	if (start == at || (start > 0 && g_unichar_isalnum(g_utf8_get_char(
	    g_utf8_find_prev_char(text, text + start)))))
		return 0;
	for (size_t i = 0; i < G_N_ELEMENTS(elided); i++)
		if (strlen(elided[i]) == at - start &&
		    g_ascii_strncasecmp(text + start, elided[i], at - start) ==
		    0)
			return at - start + apos;
	return 0;
}

size_t
larch_fold_drop_elisions(char *text, size_t len, size_t *map)
{
	GArray *drops = NULL;	/* each article's start and end */
	size_t w = 0, r = 0;

	/* Found before any byte moves: an article is told by the bytes
	 * before its apostrophe. */
	for (size_t at = 0; at < len; at++) {
		size_t n, start, end;

		if (text[at] != '\'' && (unsigned char)text[at] != 0xe2)
			continue;
		n = larch_fold_elision(text, at, len);
		if (n == 0)
			continue;
		end = at + (text[at] == '\'' ? 1 : 3);
		start = end - n;
		if (drops == NULL)
			drops = g_array_new(FALSE, FALSE, sizeof(size_t));
		g_array_append_val(drops, start);
		g_array_append_val(drops, end);
	}
	if (drops == NULL)
		return len;
	for (guint i = 0; i <= drops->len; i += 2) {
		size_t until = i < drops->len ?
		    g_array_index(drops, size_t, i) : len;

		for (; r < until; r++, w++) {
			if (map != NULL)
				map[w] = map[r];
			text[w] = text[r];
		}
		if (i < drops->len)
			r = g_array_index(drops, size_t, i + 1);
	}
	if (map != NULL)
		map[w] = map[len];
	text[w] = '\0';
	g_array_free(drops, TRUE);
	return w;
}

/* Whether text holds an elided article (see larch_fold_elision()). */
static bool
has_elision(const char *text, size_t len)
{
	for (const char *p = memchr(text, '\'', len); p != NULL;
	    p = memchr(p + 1, '\'', len - (size_t)(p + 1 - text)))
		if (larch_fold_elision(text, (size_t)(p - text), len) > 0)
			return true;
	return false;
}

/* What NFKD leaves apart that readers type as other letters: "ß" and "ẞ"
 * are "ss", "œ" is "oe" (French), the final "ς" is "σ" (what "Σ"
 * lowercases to). */
static const struct {
	const char *from, *to;
} letters[] = {
	{ "\xc3\x9f", "ss" }, { "\xe1\xba\x9e", "ss" }, { "\xc5\x93", "oe" },
	{ "\xc5\x92", "OE" }, { "\xcf\x82", "\xcf\x83" },
};

/* s with the letters above replaced: s itself when it has none, else a
 * new string (s is freed). */
static char *
fold_letters(char *s)
{
	GString *out;
	bool any = false;

	for (size_t i = 0; i < G_N_ELEMENTS(letters) && !any; i++)
		any = strstr(s, letters[i].from) != NULL;
	if (!any)
		return s;
	out = g_string_sized_new(strlen(s) + 8);
	for (const char *p = s; *p != '\0';) {
		size_t i;

		for (i = 0; i < G_N_ELEMENTS(letters); i++)
			if (g_str_has_prefix(p, letters[i].from))
				break;
		if (i < G_N_ELEMENTS(letters)) {
			g_string_append(out, letters[i].to);
			p += strlen(letters[i].from);
		} else {
			g_string_append_c(out, *p++);
		}
	}
	g_free(s);
	return g_string_free(out, FALSE);
}

/* Folds a run of UTF-8 text (NFKD, marks dropped, NFC, the letters
 * above) onto out. */
static void
fold_run(GString *out, const char *text, size_t len)
{
	char *nfkd, *w, *nfc;
	const char *p;

	nfkd = g_utf8_normalize(text, (gssize)len, G_NORMALIZE_NFKD);
	if (nfkd == NULL)
		return;
	/* Dropping marks only shortens, so the copy is made in place. */
	w = nfkd;
	p = nfkd;
	while (*p != '\0') {
		const char *next = g_utf8_next_char(p);

		if (g_unichar_type(g_utf8_get_char(p)) ==
		    G_UNICODE_NON_SPACING_MARK) {
			p = next;
			continue;
		}
		while (p < next)
			*w++ = *p++;
	}
	*w = '\0';
	nfc = fold_letters(g_utf8_normalize(nfkd, -1, G_NORMALIZE_NFC));
	g_free(nfkd);
	if (nfc != NULL)
		g_string_append(out, nfc);
	g_free(nfc);
}

/* ASCII gaps shorter than this between non-ASCII characters are folded
 * with them: one call for a line of Cyrillic words, not one a word. */
#define FOLD_GAP 32

static bool
is_ascii(char c)
{
	return (unsigned char)c < 0x80;
}

/*
 * Only the non-ASCII runs are normalised; ASCII, which every step leaves
 * as it is, is copied.  That gives what normalising the whole text gives:
 * a run starts one character before its first non-ASCII one (a combining
 * mark composes with the letter before it) and ends before an ASCII
 * character, and two ASCII characters never compose with each other nor
 * does an ASCII character follow another in a composition or reorder
 * with one.  Most mail is ASCII but for a few names and typographic
 * quotes, and normalising all of a 6 KB text for one "é" was a
 * twentieth of the indexer's parser threads' time.
 */
char *
larch_fold(const char *text, size_t len)
{
	GString *out;
	size_t pos = 0, i;
	char *plain;

	for (i = 0; i < len && is_ascii(text[i]); i++)
		;
	if (i == len) {
		if (!has_elision(text, len))
			return NULL;
		plain = g_strndup(text, len);
		larch_fold_drop_elisions(plain, len, NULL);
		return plain;
	}
	if (!g_utf8_validate(text, (gssize)len, NULL))
		return NULL;
	out = g_string_sized_new(len + 16);
	while (pos < len) {
		size_t first = pos, start, end, gap;

		while (first < len && is_ascii(text[first]))
			first++;
		if (first == len) {
			g_string_append_len(out, text + pos,
			    (gssize)(len - pos));
			break;
		}
		start = first > pos ? first - 1 : first;
		g_string_append_len(out, text + pos, (gssize)(start - pos));
		end = first;
		for (;;) {
			while (end < len && !is_ascii(text[end]))
				end++;
			for (gap = 0; end + gap < len && gap < FOLD_GAP &&
			    is_ascii(text[end + gap]); gap++)
				;
			if (end + gap == len || gap == FOLD_GAP)
				break;
			end += gap;
		}
		fold_run(out, text + start, end - start);
		pos = end;
	}
	larch_fold_drop_elisions(out->str, out->len, NULL);
	return g_string_free(out, FALSE);
}

char *
larch_fold_name(const char *name)
{
	char *folded, *lower, *w;
	const char *p;

	if (name == NULL)
		return NULL;
	folded = larch_fold(name, strlen(name));
	lower = g_utf8_strdown(folded != NULL ? folded : name, -1);
	g_free(folded);
	/* Blank runs become one space, none at the ends; in place, since
	 * that only shortens. */
	w = lower;
	for (p = lower; *p != '\0'; p++) {
		if (!g_ascii_isspace(*p))
			*w++ = *p;
		else if (w > lower && w[-1] != ' ')
			*w++ = ' ';
	}
	if (w > lower && w[-1] == ' ')
		w--;
	*w = '\0';
	return lower;
}
