/*
 * Guessing the charset of undeclared 8-bit text.  pipermail's monthly .txt
 * archives carry no Content-Type: each list's text is in its language's
 * charset (koi8-r for a Russian list, gb2312 for a Chinese one), which
 * the archive does not name.  Read as windows-1252, such text becomes
 * "ðÒÉ×ÅÔ"; read in its own charset it is words of one script with sane
 * letter case.  So each candidate charset decodes the text and the one
 * whose words look least broken wins; windows-1252 keeps the text unless
 * another reads it clearly better, so Western mail is never re-read.
 */
#include <string.h>
#include <glib.h>

#include "parse_private.h"

/* windows-1252 is kept when at most this share of its words look broken,
 * or when no other charset halves that share. */
#define KEEP_1252 0.15

/* In order of preference on a tie: the Western default first, then the
 * single-byte Cyrillic ones (short Russian text can decode as GB18030 by
 * chance, never the reverse with sane case), then the CJK ones. */
static const char *const candidates[] = {
	"WINDOWS-1252", "KOI8-R", "WINDOWS-1251", "GB18030", "BIG5",
	"SHIFT_JIS", "EUC-KR", NULL,
};

enum script { SC_NONE, SC_LATIN, SC_CYRILLIC, SC_GREEK, SC_CJK, SC_OTHER };

static enum script
script_of(gunichar c)
{
	switch (g_unichar_get_script(c)) {
	case G_UNICODE_SCRIPT_LATIN:	return SC_LATIN;
	case G_UNICODE_SCRIPT_CYRILLIC:	return SC_CYRILLIC;
	case G_UNICODE_SCRIPT_GREEK:	return SC_GREEK;
	case G_UNICODE_SCRIPT_HAN:
	case G_UNICODE_SCRIPT_HIRAGANA:
	case G_UNICODE_SCRIPT_KATAKANA:
	case G_UNICODE_SCRIPT_HANGUL:	return SC_CJK;
	case G_UNICODE_SCRIPT_COMMON:
		/* The kana's length mark "ー" (and its half-width form)
		 * is a letter of no script, written inside katakana. */
		return c == 0x30FC || c == 0xFF70 ? SC_CJK : SC_OTHER;
	default:			return SC_OTHER;
	}
}

/* A symbol that decoding in the wrong charset brings into words ("×",
 * "¤", "¦"), not one people type there ("°", "©", "€"). */
static bool
is_odd_symbol(gunichar c)
{
	if (c < 0x80 || c == 0xB0 || c == 0xA9 || c == 0xAE || c == 0x20AC ||
	    c == 0x2122)
		return false;
	switch (g_unichar_type(c)) {
	case G_UNICODE_MATH_SYMBOL:
	case G_UNICODE_MODIFIER_SYMBOL:
	case G_UNICODE_OTHER_SYMBOL:
	case G_UNICODE_CONTROL:
	case G_UNICODE_PRIVATE_USE:
	case G_UNICODE_UNASSIGNED:
		return true;
	default:
		return false;
	}
}

/*
 * How broken one word (a run without blanks) holding non-ASCII text
 * looks: 1 for letters of two scripts (Latin with CJK aside: "Linux系统"
 * is normal), an odd symbol or a section sign before a letter, a
 * lower-case letter followed by an upper-case one (one of them not
 * ASCII), or three accented Latin letters in a row; 0.5 for four or more
 * letters of a cased script all in upper case; else 0.
 */
static double
word_penalty(const char *w, const char *end)
{
	enum script seen = SC_NONE;
	bool prev_lower = false, prev_wide = false, mixed = false;
	bool odd = false, hump = false;
	unsigned accented_run = 0, letters = 0, upper = 0, longest = 0;

	for (const char *p = w; p < end; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		enum script s;

		odd |= is_odd_symbol(c);
		/* "§5" is a section; "§Ї§С§д" is GB2312's Cyrillic (lead
		 * byte 0xA7) read as a single-byte charset. */
		odd |= c == 0xA7 && g_utf8_next_char(p) < end &&
		    g_unichar_isalpha(g_utf8_get_char(g_utf8_next_char(p)));
		if (!g_unichar_isalpha(c)) {
			prev_lower = false;
			accented_run = 0;
			continue;
		}
		s = script_of(c);
		if (seen == SC_NONE || (seen == SC_LATIN && s == SC_CJK))
			seen = s;
		else if (s != seen && !(s == SC_LATIN && seen == SC_CJK))
			mixed = true;
		/* "iPhone" is how people write; "ðÒ" is how mojibake looks. */
		hump |= prev_lower && g_unichar_isupper(c) &&
		    (c >= 0x80 || prev_wide);
		prev_lower = g_unichar_islower(c);
		prev_wide = c >= 0x80;
		accented_run = s == SC_LATIN && c >= 0x80 ? accented_run + 1 : 0;
		longest = MAX(longest, accented_run);
		letters++;
		upper += g_unichar_isupper(c);
	}
	if (mixed || odd || hump || longest >= 3)
		return 1;
	if (letters >= 4 && upper == letters && seen != SC_LATIN)
		return 0.5;
	return 0;
}

/* The share of words holding non-ASCII characters that look broken. */
static double
broken_share(const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	double broken = 0;
	unsigned words = 0;

	while (p < end) {
		const char *w;
		bool wide = false;

		while (p < end && g_ascii_isspace(*p))
			p++;
		w = p;
		while (p < end && !g_ascii_isspace(*p))
			wide |= (unsigned char)*p++ >= 0x80;
		if (!wide)
			continue;
		words++;
		broken += word_penalty(w, p);
	}
	return words > 0 ? broken / words : 0;
}

/* windows-1252 as iconv reads it, except that its five unassigned bytes
 * become U+FFFD rather than failing the whole text.  The table of the
 * upper half is made once. */
static char *
read_1252(const char *bytes, size_t len, size_t *out_len)
{
	static char upper[128][4];
	static gsize once;
	GString *out = g_string_sized_new(len + len / 2);

	if (g_once_init_enter(&once)) {
		for (int c = 0x80; c <= 0xFF; c++) {
			char in = (char)c;
			char *u = g_convert(&in, 1, "UTF-8", "WINDOWS-1252",
			    NULL, NULL, NULL);

			g_strlcpy(upper[c - 0x80], u != NULL && strlen(u) < 4 ?
			    u : "\xef\xbf\xbd", sizeof upper[0]);
			g_free(u);
		}
		g_once_init_leave(&once, 1);
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)bytes[i];

		if (c < 0x80)
			g_string_append_c(out, (char)c);
		else
			g_string_append(out, upper[c - 0x80]);
	}
	*out_len = out->len;
	return g_string_free(out, FALSE);
}

const char *
larch_charset_guess(const char *bytes, size_t len)
{
	const char *best = candidates[0];
	double best_share = 2, first_share;
	char *text;
	size_t n;

	len = MIN(len, LARCH_GUESS_BYTES);
	text = read_1252(bytes, len, &n);
	first_share = broken_share(text, n);
	g_free(text);
	if (first_share <= KEEP_1252)
		return candidates[0];
	for (size_t i = 1; candidates[i] != NULL; i++) {
		gsize read = 0, written = 0;
		double share;

		/* Given somewhere to say how much it read, g_convert() stops
		 * quietly before a last character that the cut at
		 * LARCH_GUESS_BYTES split; it still fails on a byte the
		 * charset cannot have. */
		text = g_convert(bytes, (gssize)len, "UTF-8", candidates[i],
		    &read, &written, NULL);
		if (text == NULL)
			continue;
		share = broken_share(text, written);
		g_free(text);
		if (share < best_share) {
			best_share = share;
			best = candidates[i];
		}
	}
	return best_share < first_share / 2 ? best : candidates[0];
}
