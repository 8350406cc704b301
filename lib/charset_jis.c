/*
 * ISO-2022-JP as mail clients write it.  Windows clients (Outlook,
 * Thunderbird on Windows) send CP50220 under the label iso-2022-jp: the
 * same escapes, but JIS X 0208 runs may hold the NEC and IBM rows of
 * Windows' table (①, ㈱, ㌔, 髙) and half-width katakana may come in an
 * "ESC ( I" run.  glibc's ISO-2022-JP stops at the first such character,
 * and after the error the caller's iconv loop starts over in ASCII, so
 * the rest of the text came out as raw JIS bytes ("$K$D$$$F").
 *
 * This reads the escapes itself: ASCII and JIS-Roman runs directly,
 * half-width katakana as U+FF61.., and each two-byte character (JIS X
 * 0208, or JIS X 0212 after "ESC $ ( D") as the EUC-JP character of the
 * same code, through glibc's EUC-JP, which maps JIS X 0208 as its
 * ISO-2022-JP does (tests/test-charset-jis.c checks every code).  What
 * EUC-JP lacks is read as the Shift_JIS code of the same place through
 * CP932, Windows' own table: NEC row 13 and the NEC-selected IBM rows
 * 89 to 92 that CP50220 writes for the IBM characters.  (EUC-JP-MS has
 * row 13 but not rows 89 to 92.)  Only a character neither knows, a byte
 * out of place or an escape of another charset becomes U+FFFD, and the
 * mode stays what it was.
 */
#include <errno.h>
#include <string.h>
#include <glib.h>

#include "parse_private.h"

#define ESC 0x1b
#define REPLACEMENT "\xef\xbf\xbd"

enum jis_mode {
	JIS_ASCII,	/* ESC ( B */
	JIS_ROMAN,	/* ESC ( J: ASCII with ¥ for '\' and ‾ for '~' */
	JIS_KANA,	/* ESC ( I: half-width katakana */
	JIS_X0208,	/* ESC $ @, ESC $ B, ESC $ ( B */
	JIS_X0212,	/* ESC $ ( D */
	JIS_SAME,	/* ESC & @: announces the 1990 edition of JIS X
			 * 0208 before "ESC $ B", and changes nothing */
};

static const struct {
	const char *seq;	/* after the ESC */
	enum jis_mode mode;
} escapes[] = {
	{ "(B", JIS_ASCII }, { "(J", JIS_ROMAN }, { "(I", JIS_KANA },
	{ "$@", JIS_X0208 }, { "$B", JIS_X0208 }, { "$(B", JIS_X0208 },
	{ "$(@", JIS_X0208 }, { "$(D", JIS_X0212 }, { "&@", JIS_SAME },
};

/* Labels read here: ISO-2022-JP and the names of its Windows forms. */
static const char *const jis_names[] = {
	"iso-2022-jp", "csiso2022jp", "iso2022jp", "iso-2022-jp-1",
	"iso-2022-jp-ms", "cp50220", "cp50221", "x-cp50220", "x-cp50221",
	NULL,
};

bool
larch_charset_is_jis(const char *name)
{
	for (size_t i = 0; name != NULL && jis_names[i] != NULL; i++)
		if (g_ascii_strcasecmp(name, jis_names[i]) == 0)
			return true;
	return false;
}

/* The EUC-JP bytes of two-byte characters not yet decoded, and the
 * converters, opened when first needed. */
struct jis_decoder {
	GString *out;
	GString *euc;
	GIConv std, win;
	size_t errors;
};

static void
replace(struct jis_decoder *d)
{
	g_string_append(d->out, REPLACEMENT);
	d->errors++;
}

/* Reads the JIS X 0208 code of the EUC-JP character at c as CP932 does
 * into d->out. */
static bool
read_cp932(struct jis_decoder *d, const char *c)
{
	unsigned j1 = (unsigned char)c[0] & 0x7f;
	unsigned j2 = (unsigned char)c[1] & 0x7f;
	char sjis[2], buf[8];
	gchar *in = sjis, *o = buf;
	gsize inleft = sizeof sjis, oleft = sizeof buf;

	if (d->win == NULL)
		d->win = g_iconv_open("UTF-8", "CP932");
	if (d->win == (GIConv)-1)
		return false;
	/* Shift_JIS packs two rows of 94 into one lead byte. */
	sjis[0] = (char)(((j1 + 1) >> 1) + (j1 <= 0x5e ? 0x70 : 0xb0));
	if (j1 % 2 == 0)
		sjis[1] = (char)(j2 + 0x7e);
	else
		sjis[1] = (char)(j2 + (j2 <= 0x5f ? 0x1f : 0x20));
	if (g_iconv(d->win, &in, &inleft, &o, &oleft) == (gsize)-1) {
		g_iconv(d->win, NULL, NULL, NULL, NULL);
		return false;
	}
	g_string_append_len(d->out, buf, sizeof buf - oleft);
	return true;
}

/* Decodes the pending EUC-JP characters: EUC-JP, else CP932 (not for
 * JIS X 0212, which Windows never writes), else U+FFFD. */
static void
flush_euc(struct jis_decoder *d)
{
	const char *p = d->euc->str, *end = p + d->euc->len;

	if (d->euc->len == 0)
		return;
	if (d->std == NULL)
		d->std = g_iconv_open("UTF-8", "EUC-JP");
	while (p < end) {
		size_t n = (unsigned char)*p == 0x8f ? 3 : 2;
		gchar *in = (gchar *)p;
		gsize inleft = (gsize)(end - p);
		char buf[4096];
		gchar *o = buf;
		gsize oleft = sizeof buf;

		/* The whole run at once while EUC-JP reads it. */
		if (d->std != (GIConv)-1) {
			gsize rc = g_iconv(d->std, &in, &inleft, &o, &oleft);

			g_string_append_len(d->out, buf, sizeof buf - oleft);
			p = in;
			if (rc != (gsize)-1 || errno == E2BIG)
				continue;
			g_iconv(d->std, NULL, NULL, NULL, NULL);
			n = (unsigned char)*p == 0x8f ? 3 : 2;
		}
		if (n == 3 || !read_cp932(d, p))
			replace(d);
		p += n;
	}
	g_string_truncate(d->euc, 0);
}

/* Whether s (len bytes from an ESC) starts a known escape: then *mode
 * gets the mode it selects and *n its length. */
static bool
is_escape(const char *s, size_t len, enum jis_mode *mode, size_t *n)
{
	for (size_t i = 0; i < G_N_ELEMENTS(escapes); i++) {
		size_t m = strlen(escapes[i].seq);

		if (len > m && memcmp(s + 1, escapes[i].seq, m) == 0) {
			*mode = escapes[i].mode;
			*n = m + 1;
			return true;
		}
	}
	return false;
}

static bool
is_jis_byte(unsigned char c)
{
	return c >= 0x21 && c <= 0x7e;
}

size_t
larch_jis_decode(GString *out, const char *bytes, size_t len)
{
	struct jis_decoder d = { out, g_string_new(NULL), NULL, NULL, 0 };
	enum jis_mode mode = JIS_ASCII;
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)bytes[i];
		enum jis_mode next;
		size_t n;

		if (c == ESC) {
			flush_euc(&d);
			if (!is_escape(bytes + i, len - i, &next, &n)) {
				/* Garbage, another charset's escape or one
				 * cut short: the ESC is lost, what follows
				 * is read in the mode it was in. */
				replace(&d);
				i++;
				continue;
			}
			if (next != JIS_SAME)
				mode = next;
			i += n;
			continue;
		}
		if (c >= 0x80) {
			/* Never in 7-bit text: the caller reads bytes with
			 * many of these in another charset. */
			flush_euc(&d);
			replace(&d);
			i++;
			continue;
		}
		switch (mode) {
		case JIS_X0208:
		case JIS_X0212:
			if (!is_jis_byte(c))
				break;
			if (i + 1 < len && is_jis_byte(bytes[i + 1])) {
				if (mode == JIS_X0212)
					g_string_append_c(d.euc, (char)0x8f);
				g_string_append_c(d.euc, (char)(c | 0x80));
				g_string_append_c(d.euc,
				    (char)(bytes[i + 1] | 0x80));
				i += 2;
				continue;
			}
			/* Half a character before a line end or the end. */
			flush_euc(&d);
			replace(&d);
			i++;
			continue;
		case JIS_KANA:
			if (c >= 0x21 && c <= 0x5f) {
				char k[4];

				g_string_append_len(out, k,
				    g_unichar_to_utf8(0xff61 + c - 0x21, k));
				i++;
				continue;
			}
			if (is_jis_byte(c)) {
				replace(&d);
				i++;
				continue;
			}
			break;
		case JIS_ROMAN:
			if (c == '\\' || c == '~') {
				g_string_append(out, c == '\\' ? "\xc2\xa5" :
				    "\xe2\x80\xbe");
				i++;
				continue;
			}
			break;
		case JIS_ASCII:
		case JIS_SAME:
			break;
		}
		/* ASCII, and a control (a line end, a tab) in any mode,
		 * which keeps the mode as glibc's ISO-2022-JP does. */
		flush_euc(&d);
		g_string_append_c(out, (char)c);
		i++;
	}
	flush_euc(&d);
	if (d.std != NULL && d.std != (GIConv)-1)
		g_iconv_close(d.std);
	if (d.win != NULL && d.win != (GIConv)-1)
		g_iconv_close(d.win);
	g_string_free(d.euc, TRUE);
	return d.errors;
}
