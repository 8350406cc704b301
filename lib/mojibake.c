/*
 * Repair of text that was UTF-8, was read as windows-1252 (or Latin-1)
 * somewhere on its way and was written out as UTF-8 again: "RaÃºl" for
 * "Raúl", "â€™" for "’", "Ð¿Ñ€Ð¸" for "при"; and of windows-1252 read as
 * Latin-1, whose quotes and dashes became C1 controls (U+0093 for "“").
 * Mailman does this to a pipermail archive when a message's label lies
 * (UTF-8 or windows-1252 bytes sent as iso-8859-1): the archive itself
 * then holds the damage, and no charset chosen when reading it undoes it.
 * A mail gateway can do the same to a message.
 *
 * Characters that windows-1252 writes as one byte each are turned back
 * into those bytes; where the bytes form one UTF-8 character, and that
 * character belongs to the blocks such damage comes from, it replaces
 * them.  Genuine text almost never holds such a run: an upper-case
 * accented letter right before a symbol ("Ã" then "©"), or an accented
 * letter before two.  The blocks are kept narrow so that the pairs that
 * do occur stay as written: "ß“" (a German closing quote) would decode
 * to an N'Ko letter and "É" before a no-break space (French spacing) to
 * an IPA one, so neither is touched.
 */
#include <string.h>
#include <glib.h>

#include "parse_private.h"

/* The byte windows-1252 (or, for the C1 controls, Latin-1) writes c as,
 * or -1 for a character it cannot write in one byte of 0x80 or more. */
static int
cp1252_byte(gunichar c)
{
	if (c >= 0x80 && c <= 0xFF)
		return (int)c;
	/* The rest of windows-1252 lies in U+0152-U+02DC and
	 * U+2013-U+2122: most letters of other scripts are told at once. */
	if (c < 0x152 || c > 0x2122 || (c > 0x2DC && c < 0x2013))
		return -1;
	for (int b = 0x80; b < 0xA0; b++)
		if (larch_cp1252_char((unsigned char)b) == c)
			return b;
	return -1;
}

/* Whether c, decoded from n bytes, is a character of the blocks this
 * damage comes from: Latin letters and signs, Greek, Cyrillic, Hebrew
 * and Arabic letters (2 bytes); punctuation, the euro and trade marks,
 * CJK, kana and Hangul (3); emoji and CJK extensions (4). */
static bool
is_plausible(gunichar c, int n)
{
	switch (n) {
	case 2:
		return (c >= 0xA0 && c <= 0x17F) ||
		    (c >= 0x386 && c <= 0x3CE) ||
		    (c >= 0x400 && c <= 0x45F) ||
		    (c >= 0x5D0 && c <= 0x5EA) ||
		    (c >= 0x621 && c <= 0x64A);
	case 3:
		return (c >= 0x2010 && c <= 0x205E) || c == 0x20AC ||
		    c == 0x2122 || (c >= 0x3000 && c <= 0x30FF) ||
		    (c >= 0x4E00 && c <= 0x9FFF) ||
		    (c >= 0xAC00 && c <= 0xD7A3) ||
		    (c >= 0xFF01 && c <= 0xFF60);
	case 4:
		return (c >= 0x1F000 && c <= 0x1FAFF) ||
		    (c >= 0x20000 && c <= 0x2FFFF);
	default:
		return false;
	}
}

/*
 * The character the damaged run at p (before end) stands for, or 0; *next
 * is where the run ends.  p is valid UTF-8.
 */
static gunichar
repaired_at(const char *p, const char *end, const char **next)
{
	char bytes[4];
	int lead = cp1252_byte(g_utf8_get_char(p)), n;
	gunichar c;

	if (lead < 0xC2 || lead > 0xF4)
		return 0;
	n = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
	bytes[0] = (char)lead;
	p = g_utf8_next_char(p);
	for (int k = 1; k < n; k++, p = g_utf8_next_char(p)) {
		int b;

		if (p >= end)
			return 0;
		b = cp1252_byte(g_utf8_get_char(p));
		if (b < 0x80 || b > 0xBF)
			return 0;
		bytes[k] = (char)b;
	}
	c = g_utf8_get_char_validated(bytes, n);
	if (c == (gunichar)-1 || c == (gunichar)-2 || !is_plausible(c, n))
		return 0;
	*next = p;
	return c;
}

bool
larch_mojibake_repair(GString *s)
{
	const char *end = s->str + s->len, *done, *p;
	GString *out = NULL;

	/* Every damaged run starts with one of "Â Ã Ä Å ..." (C3 8x) or
	 * "â ã ä ... ð" (C3 Ax/Bx) in UTF-8, and the C1 controls are C2
	 * 80-9F: text without either byte is left at once, which is most
	 * non-Latin text. */
	if (memchr(s->str, 0xC3, s->len) == NULL &&
	    memchr(s->str, 0xC2, s->len) == NULL)
		return false;
	for (done = p = s->str; p < end;) {
		const char *next;
		gunichar c;

		if ((unsigned char)*p < 0x80) {
			p++;
			continue;
		}
		c = repaired_at(p, end, &next);
		if (c == 0 && (unsigned char)p[0] == 0xC2 &&
		    (unsigned char)p[1] < 0xA0) {
			/* A C1 control: a windows-1252 byte read as
			 * Latin-1 (0x93 as U+0093, not "“").  No text means
			 * one; those windows-1252 lacks are dropped. */
			c = larch_cp1252_char((unsigned char)p[1]);
			next = p + 2;
			if (c == (unsigned char)p[1]) {
				if (out == NULL)
					out = g_string_sized_new(s->len);
				g_string_append_len(out, done, p - done);
				done = p = next;
				continue;
			}
		}
		if (c == 0) {
			p = g_utf8_next_char(p);
			continue;
		}
		if (out == NULL)
			out = g_string_sized_new(s->len);
		g_string_append_len(out, done, p - done);
		g_string_append_unichar(out, c);
		done = p = next;
	}
	if (out == NULL)
		return false;
	g_string_append_len(out, done, end - done);
	g_string_assign(s, out->str);
	g_string_free(out, TRUE);
	return true;
}
