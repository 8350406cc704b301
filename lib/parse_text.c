/*
 * Text decoding for the message parser: charsets (with the aliases and lies
 * found in real archives), RFC 2047 header words (dates: parse_date.c).
 * Whatever comes in, valid UTF-8 without NUL bytes comes out.
 */
#include <errno.h>
#include <string.h>

#include <gmime/gmime.h>

#include "parse_private.h"


/* What a charset name stands for once aliases and lies are resolved. */
enum cs_kind {
	CS_UNDECLARED,	/* no usable name: UTF-8 if valid, else fallback */
	CS_UTF8,
	CS_LATIN,	/* single-byte Western: often a lie for UTF-8 */
	CS_OTHER,	/* anything iconv may know */
};

/* windows-1252 bytes 0x80..0x9f as WHATWG maps them; the undefined five
 * become the C1 controls of the same value. */
static const gunichar cp1252_high[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

gunichar
larch_cp1252_char(unsigned char b)
{
	return b >= 0x80 && b < 0xa0 ? cp1252_high[b - 0x80] : b;
}

/* Names that mean "nothing useful was declared". */
static const char *const bogus_names[] = {
	"true", "false", "x-unknown", "unknown", "unknown-8bit",
	"x-user-defined", "default", "none", "charset", "us-ascii", "ascii",
	"us", "ansi_x3.4-1968", "iso646-us", "iso-646-us", "7bit", "8bit",
	"binary", "x-binaryenc", "us_ascii", "cp367", "ibm367", "x-ascii",
	NULL,
};

static const char *const utf8_names[] = {
	"utf-8", "utf8", "unicode-1-1-utf-8", "unicode-2-0-utf-8",
	"x-unicode20utf8", "x-unicode2-0-utf-8", "x-utf-8", "x-utf8",
	"utf-8n", "utf_8", NULL,
};

static const char *const latin_names[] = {
	"iso-8859-1", "iso8859-1", "iso_8859-1", "iso-8859-1:1987", "latin1",
	"latin-1", "l1", "cp819", "ibm819", "iso-ir-100", "windows-1252",
	"cp1252", "cp-1252", "win-1252", "x-cp1252", NULL,
};

static const char *const latin9_names[] = {
	"iso-8859-15", "iso8859-15", "iso_8859-15", "latin-9", "latin9", NULL,
};

/* Aliases iconv does not know, or knows as a smaller charset. */
static const struct {
	const char *name;
	const char *iconv;
} aliases[] = {
	{ "gb2312", "GB18030" }, { "gbk", "GB18030" }, { "x-gbk", "GB18030" },
	{ "cp936", "GB18030" }, { "euc-cn", "GB18030" },
	{ "csgb2312", "GB18030" }, { "chinese", "GB18030" },
	{ "gb_2312-80", "GB18030" }, { "x-euc-cn", "GB18030" },
	{ "ks_c_5601-1987", "CP949" }, { "ks_c_5601", "CP949" },
	{ "ksc5601", "CP949" }, { "euc-kr", "CP949" }, { "korean", "CP949" },
	{ "shift_jis", "CP932" }, { "shift-jis", "CP932" },
	{ "sjis", "CP932" }, { "x-sjis", "CP932" }, { "ms_kanji", "CP932" },
	{ "windows-31j", "CP932" }, { "x-ms-cp932", "CP932" },
	{ "big5", "BIG5-HKSCS" }, { "x-x-big5", "BIG5-HKSCS" },
	{ "cn-big5", "BIG5-HKSCS" }, { "big-5", "BIG5-HKSCS" },
	{ "iso-8859-8-i", "ISO-8859-8" }, { "iso-8859-6-i", "ISO-8859-6" },
	{ "tis-620", "CP874" }, { "windows-874", "CP874" },
	{ "x-mac-roman", "MACINTOSH" }, { "macintosh", "MACINTOSH" },
	{ "mac", "MACINTOSH" }, { "x-mac-ce", "MAC-CENTRALEUROPE" },
	{ "utf-16", "UTF-16" }, { "unicode", "UTF-16" },
};

static bool
in_list(const char *name, const char *const *list)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

/*
 * Resolves a declared charset name.  *iconv_name gets a name for iconv
 * (static or in buf) when the kind is CS_OTHER or CS_LATIN.
 */
static enum cs_kind
resolve_charset(const char *charset, char *buf, size_t bufsize,
    const char **iconv_name)
{
	size_t n = 0;
	const char *p;

	*iconv_name = NULL;
	if (charset == NULL)
		return CS_UNDECLARED;
	/* Lowercase, without quotes, spaces and trailing junk. */
	for (p = charset; *p != '\0' && n + 1 < bufsize; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '"' || c == '\'' || c == ' ' || c == '\t')
			continue;
		if (c == ';' || c == ',' || c < 0x20 || c >= 0x7f)
			break;
		buf[n++] = g_ascii_tolower(c);
	}
	buf[n] = '\0';
	if (n == 0 || in_list(buf, bogus_names))
		return CS_UNDECLARED;
	if (in_list(buf, utf8_names))
		return CS_UTF8;
	if (in_list(buf, latin_names)) {
		/* WHATWG: Latin-1 labels mean windows-1252 in practice. */
		*iconv_name = "WINDOWS-1252";
		return CS_LATIN;
	}
	if (in_list(buf, latin9_names)) {
		*iconv_name = "ISO-8859-15";
		return CS_LATIN;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(aliases); i++) {
		if (strcmp(buf, aliases[i].name) == 0) {
			*iconv_name = aliases[i].iconv;
			return CS_OTHER;
		}
	}
	/* "cp1251", "win-1250", "x-cp1250" to "windows-125x". */
	p = buf;
	if (g_str_has_prefix(p, "x-"))
		p += 2;
	if ((g_str_has_prefix(p, "cp125") || g_str_has_prefix(p, "win125") ||
	    g_str_has_prefix(p, "win-125") || g_str_has_prefix(p, "cp-125")) &&
	    g_ascii_isdigit(buf[n - 1])) {
		g_snprintf(buf, bufsize, "WINDOWS-125%c", buf[n - 1]);
		*iconv_name = buf;
		return CS_OTHER;
	}
	/* glibc's iconv knows the remaining aliases itself.  GMime's alias
	 * cache is not used: it keeps every name it is asked about, and
	 * junk names would make it grow without end. */
	*iconv_name = buf;
	return CS_OTHER;
}

static void
append_unichar(GString *out, gunichar c)
{
	char tmp[6];
	int n = g_unichar_to_utf8(c, tmp);

	g_string_append_len(out, tmp, n);
}

/*
 * Bytes read as windows-1252.  With keep_utf8, valid UTF-8 sequences are
 * kept as they are: the default fallback, since archives mix both.
 */
static void
decode_cp1252(GString *out, const char *bytes, size_t len, bool keep_utf8)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)bytes[i];
		gunichar u;

		if (c < 0x80) {
			size_t j = i + 1;

			while (j < len && (unsigned char)bytes[j] < 0x80)
				j++;
			g_string_append_len(out, bytes + i, j - i);
			i = j;
			continue;
		}
		u = keep_utf8 ? g_utf8_get_char_validated(bytes + i,
		    (gssize)(len - i)) : (gunichar)-1;
		if (u != (gunichar)-1 && u != (gunichar)-2) {
			int n = g_utf8_skip[c];

			g_string_append_len(out, bytes + i, n);
			i += n;
			continue;
		}
		append_unichar(out, larch_cp1252_char(c));
		i++;
	}
}

/*
 * A converter from charset to UTF-8.  Names written with '_' for '-'
 * ("koi8_r", as Python spells them) are tried both ways: glibc's iconv
 * knows some names only with '_' ("ISO_646.IRV:1991"), others only with
 * '-'.
 */
static GIConv
open_iconv(const char *charset)
{
	GIConv cd = g_iconv_open("UTF-8", charset);
	char buf[64];

	if (cd != (GIConv)-1 || strchr(charset, '_') == NULL)
		return cd;
	g_strlcpy(buf, charset, sizeof buf);
	g_strdelimit(buf, "_", '-');
	return g_iconv_open("UTF-8", buf);
}

/*
 * Converts through iconv, replacing undecodable bytes with U+FFFD.
 * Returns false when iconv does not know the charset; *errors counts the
 * replacements.  ISO-2022-JP is read by charset_jis.c instead: glibc's
 * stops at the Windows characters that mail under that label holds, and
 * the reset below would read the rest as ASCII.
 */
static bool
decode_iconv(GString *out, const char *bytes, size_t len,
    const char *charset, size_t *errors)
{
	GIConv cd;
	gchar *in = (gchar *)bytes;
	gsize inleft = len;
	char buf[4096];

	if (larch_charset_is_jis(charset)) {
		*errors = larch_jis_decode(out, bytes, len);
		return true;
	}
	*errors = 0;
	cd = open_iconv(charset);
	if (cd == (GIConv)-1)
		return false;
	while (inleft > 0) {
		gchar *o = buf;
		gsize oleft = sizeof buf;
		gsize rc = g_iconv(cd, &in, &inleft, &o, &oleft);

		g_string_append_len(out, buf, sizeof buf - oleft);
		if (rc != (gsize)-1)
			continue;
		if (errno == E2BIG)
			continue;
		/* EILSEQ or EINVAL (truncated sequence at the end). */
		g_string_append(out, "\xef\xbf\xbd");
		(*errors)++;
		in++;
		inleft--;
		/* Reset shift state after damage. */
		g_iconv(cd, NULL, NULL, NULL, NULL);
	}
	/* Flush the shift state of stateful encodings. */
	{
		gchar *o = buf;
		gsize oleft = sizeof buf;

		g_iconv(cd, NULL, NULL, &o, &oleft);
		g_string_append_len(out, buf, sizeof buf - oleft);
	}
	g_iconv_close(cd);
	return true;
}

/*
 * Undeclared text through the fallback: each charset of the
 * comma-separated list in turn (the message's own, then the list's),
 * "auto" meaning a guess at these bytes.  A charset is taken when it
 * decodes them without error; windows-1252 always does.  UTF-8 and
 * undeclared names are skipped: the caller tried UTF-8 already.
 */
static void
decode_fallback(GString *out, const char *bytes, size_t len,
    const char *fallback)
{
	char one[64], buf[64];
	const char *p = fallback, *name;
	enum cs_kind kind;
	size_t mark = out->len, errors;

	for (;;) {
		size_t n = strcspn(p, ",");

		g_strlcpy(one, p, MIN(n + 1, sizeof one));
		if (g_ascii_strcasecmp(g_strstrip(one),
		    LARCH_FALLBACK_AUTO) == 0)
			g_strlcpy(one, larch_charset_guess(bytes, len),
			    sizeof one);
		kind = resolve_charset(one, buf, sizeof buf, &name);
		if (kind == CS_LATIN && strcmp(name, "WINDOWS-1252") == 0)
			break;
		if ((kind == CS_OTHER || kind == CS_LATIN) &&
		    decode_iconv(out, bytes, len, name, &errors) &&
		    errors == 0)
			return;
		g_string_truncate(out, mark);
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	decode_cp1252(out, bytes, len, true);
}

bool
larch_charset_is_known(const char *charset)
{
	char buf[64];
	const char *name;
	GIConv cd;

	switch (resolve_charset(charset, buf, sizeof buf, &name)) {
	case CS_UNDECLARED:
		return false;
	case CS_OTHER:
		if (larch_charset_is_jis(name))
			return true;
		cd = open_iconv(name);
		if (cd == (GIConv)-1)
			return false;
		g_iconv_close(cd);
		return true;
	default:
		return true;
	}
}

bool
larch_charset_is_utf8(const char *charset)
{
	char buf[64];
	const char *name;

	return resolve_charset(charset, buf, sizeof buf, &name) == CS_UTF8;
}

static bool
is_ascii(const char *bytes, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)bytes[i] >= 0x80)
			return false;
	return true;
}

/* Charsets whose text is 7-bit yet not ASCII, or not ASCII-compatible. */
static bool
is_ascii_unsafe(const char *name)
{
	return name != NULL && (strstr(name, "2022") != NULL ||
	    larch_charset_is_jis(name) ||
	    g_ascii_strncasecmp(name, "utf-7", 5) == 0 ||
	    g_ascii_strncasecmp(name, "utf-16", 6) == 0 ||
	    g_ascii_strncasecmp(name, "utf-32", 6) == 0 ||
	    g_ascii_strncasecmp(name, "ucs", 3) == 0 ||
	    g_ascii_strncasecmp(name, "hz", 2) == 0);
}

/*
 * The iconv name to read a UTF-16 or UTF-32 text with, or NULL when the
 * label is a lie (an 8-bit text labelled so, seen in real archives).  A
 * text in either has NUL bytes: every UTF-32 unit holds one, and a UTF-16
 * text has one per ASCII letter, blank or line end.  So bytes without
 * any are not UTF-32, and not UTF-16 when their length is odd or they
 * hold a line end.  Without a byte order mark the text is big-endian
 * (RFC 2781, 4.3), where glibc's iconv would read the machine's order.
 */
static const char *
wide_charset(const char *name, const char *bytes, size_t len)
{
	bool utf16 = g_ascii_strcasecmp(name, "utf-16") == 0;
	bool utf32 = g_ascii_strcasecmp(name, "utf-32") == 0;
	const unsigned char *b = (const unsigned char *)bytes;

	if (!utf16 && !utf32 && g_ascii_strncasecmp(name, "utf-16", 6) != 0 &&
	    g_ascii_strncasecmp(name, "utf-32", 6) != 0)
		return name;
	if (len > 0 && memchr(bytes, '\0', len) == NULL &&
	    (g_ascii_strncasecmp(name, "utf-32", 6) == 0 || len % 2 == 1 ||
	    memchr(bytes, '\n', len) != NULL ||
	    memchr(bytes, '\r', len) != NULL))
		return NULL;
	if (utf16 && len >= 2 && ((b[0] == 0xfe && b[1] == 0xff) ||
	    (b[0] == 0xff && b[1] == 0xfe)))
		return name;
	if (utf32 && len >= 4 && ((b[0] == 0 && b[1] == 0 && b[2] == 0xfe &&
	    b[3] == 0xff) || (b[0] == 0xff && b[1] == 0xfe && b[2] == 0 &&
	    b[3] == 0)))
		return name;
	if (utf16)
		return "UTF-16BE";
	if (utf32)
		return "UTF-32BE";
	return name;
}

static void
drop_nuls(GString *s)
{
	char *w = memchr(s->str, '\0', s->len);

	if (w == NULL)
		return;
	for (const char *r = w; r < s->str + s->len; r++)
		if (*r != '\0')
			*w++ = *r;
	g_string_truncate(s, (gsize)(w - s->str));
}

char *
larch_text_decode(const char *bytes, size_t len, const char *charset,
    const char *fallback, size_t *out_len)
{
	GString *out = g_string_sized_new(len + 16);
	char buf[64];
	const char *name;
	enum cs_kind kind;
	size_t errors;
	bool ascii = false;

	if (fallback == NULL)
		fallback = LARCH_DEFAULT_FALLBACK;
	if (bytes == NULL)
		len = 0;
	kind = resolve_charset(charset, buf, sizeof buf, &name);
	if (kind == CS_OTHER) {
		name = wide_charset(name, bytes, len);
		if (name == NULL)
			kind = CS_UNDECLARED;
	}
	if (kind != CS_OTHER || !is_ascii_unsafe(name)) {
		if (is_ascii(bytes, len)) {
			g_string_append_len(out, bytes, len);
			ascii = true;
			goto done;
		}
		/* Undeclared, UTF-8, or a Latin label on valid UTF-8 (a lie
		 * far more often than a coincidence). */
		if (kind != CS_OTHER && g_utf8_validate_len(bytes, len, NULL)) {
			g_string_append_len(out, bytes, len);
			goto done;
		}
	}
	/* A label that decodes the bytes but gives mojibake is a lie. */
	if (kind == CS_LATIN || kind == CS_OTHER) {
		name = larch_charset_recheck(bytes, len, name);
		kind = strcmp(name, "WINDOWS-1252") == 0 ? CS_LATIN : kind;
	}
	switch (kind) {
	case CS_UNDECLARED:
		decode_fallback(out, bytes, len, fallback);
		break;
	case CS_UTF8:
		/* Mostly UTF-8 with stray bytes: keep what is valid. */
		decode_cp1252(out, bytes, len, true);
		break;
	case CS_LATIN:
		if (strcmp(name, "WINDOWS-1252") == 0) {
			decode_cp1252(out, bytes, len, false);
			break;
		}
		/* fall through */
	case CS_OTHER:
		if (decode_iconv(out, bytes, len, name, &errors) &&
		    errors <= 2 + len / 100)
			break;
		g_string_truncate(out, 0);
		if (g_utf8_validate_len(bytes, len, NULL))
			g_string_append_len(out, bytes, len);
		else
			decode_fallback(out, bytes, len, fallback);
		break;
	}
done:
	drop_nuls(out);
	if (!g_utf8_validate_len(out->str, out->len, NULL)) {
		char *valid = g_utf8_make_valid(out->str, (gssize)out->len);

		g_string_assign(out, valid);
		g_free(valid);
	}
	/* ASCII holds no damage: most text is spared the look. */
	if (!ascii)
		larch_mojibake_repair(out);
	if (out_len != NULL)
		*out_len = out->len;
	return g_string_free(out, FALSE);
}

char *
larch_header_unfold(const char *raw)
{
	GString *out = g_string_new(NULL);

	if (raw != NULL)
		for (const char *p = raw; *p != '\0'; p++)
			if (*p != '\r' && *p != '\n')
				g_string_append_c(out, *p);
	return g_strstrip(g_string_free(out, FALSE));
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = g_ascii_tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Whether [p, end) holds only base64's letters and its '=' padding. */
static bool
is_base64(const char *p, const char *end)
{
	for (; p < end; p++)
		if (!g_ascii_isalnum(*p) && *p != '+' && *p != '/' &&
		    *p != '=')
			return false;
	return true;
}

/*
 * Recognises "=?charset?enc?text?=" at s.  Fills the charset (without an
 * RFC 2231 language), the decoded bytes, and returns the length of the
 * word, or 0 when s does not start one.
 */
static size_t
encoded_word(const char *s, char *charset, size_t csize, GString *bytes)
{
	const char *p = s + 2, *cs = p, *text, *end;
	size_t cslen;
	char enc;

	while (*p != '\0' && *p != '?' && !g_ascii_isspace(*p))
		p++;
	if (*p != '?' || p == cs)
		return 0;
	cslen = (size_t)(p - cs);
	enc = g_ascii_tolower(p[1]);
	if ((enc != 'q' && enc != 'b') || p[2] != '?')
		return 0;
	text = p + 3;
	for (end = text; *end != '\0'; end++) {
		if (end[0] == '?' && end[1] == '=')
			break;
		if (g_ascii_isspace(*end))
			return 0;
	}
	if (*end == '\0')
		return 0;
	/* A word that cannot be decoded is shown as it is (RFC 2047,
	 * 6.3); missing padding is forgiven. */
	if (enc == 'b' && !is_base64(text, end))
		return 0;
	if (cslen >= csize)
		cslen = csize - 1;
	memcpy(charset, cs, cslen);
	charset[cslen] = '\0';
	if (strchr(charset, '*') != NULL)
		*strchr(charset, '*') = '\0';
	if (enc == 'q') {
		for (const char *q = text; q < end; q++) {
			int hi, lo;

			if (*q == '_') {
				g_string_append_c(bytes, ' ');
			} else if (*q == '=' && q + 2 < end + 1 &&
			    (hi = hexval(q[1])) >= 0 &&
			    (lo = hexval(q[2])) >= 0) {
				g_string_append_c(bytes, (char)(hi * 16 + lo));
				q += 2;
			} else {
				g_string_append_c(bytes, *q);
			}
		}
	} else {
		size_t n = (size_t)(end - text);
		guchar *out = g_malloc(n / 4 * 3 + 6);
		gint state = 0;
		guint save = 0;
		gsize got = g_base64_decode_step(text, n, out, &state, &save);

		/* Without its padding the last bytes would wait for more. */
		if (n % 4 != 0)
			got += g_base64_decode_step("===", 4 - n % 4,
			    out + got, &state, &save);
		g_string_append_len(bytes, (const char *)out, got);
		g_free(out);
	}
	return (size_t)(end + 2 - s);
}

struct hdr_decoder {
	GString *out;
	GString *raw;		/* undecoded text since the last word */
	GString *word;		/* bytes of adjacent words of one charset */
	char charset[64];
	const char *fallback;
};

static void
flush_word(struct hdr_decoder *d)
{
	char *text;
	size_t n;

	if (d->word->len == 0)
		return;
	text = larch_text_decode(d->word->str, d->word->len, d->charset,
	    d->fallback, &n);
	g_string_append_len(d->out, text, n);
	g_free(text);
	g_string_truncate(d->word, 0);
}

static void
flush_raw(struct hdr_decoder *d)
{
	char *text;
	size_t n;

	if (d->raw->len == 0)
		return;
	text = larch_text_decode(d->raw->str, d->raw->len, NULL, d->fallback,
	    &n);
	g_string_append_len(d->out, text, n);
	g_free(text);
	g_string_truncate(d->raw, 0);
}

bool
larch_text_all_space(const GString *s)
{
	for (gsize i = 0; i < s->len; i++)
		if (!g_ascii_isspace(s->str[i]))
			return false;
	return true;
}

char *
larch_header_decode(const char *raw, const char *fallback, bool collapse)
{
	struct hdr_decoder d = { 0 };
	char *unfolded = larch_header_unfold(raw);
	GString *bytes = g_string_new(NULL);
	char charset[64];
	bool pending_word = false;
	GString *res;
	const char *p;

	d.out = g_string_new(NULL);
	d.raw = g_string_new(NULL);
	d.word = g_string_new(NULL);
	d.fallback = fallback;
	for (p = unfolded; *p != '\0';) {
		size_t n = 0;

		if (p[0] == '=' && p[1] == '?') {
			g_string_truncate(bytes, 0);
			n = encoded_word(p, charset, sizeof charset, bytes);
		}
		if (n == 0) {
			g_string_append_c(d.raw, *p++);
			continue;
		}
		/* Whitespace between two encoded words is not text. */
		if (pending_word && larch_text_all_space(d.raw)) {
			g_string_truncate(d.raw, 0);
		} else {
			flush_word(&d);
			flush_raw(&d);
		}
		if (d.word->len > 0 &&
		    g_ascii_strcasecmp(d.charset, charset) != 0)
			flush_word(&d);
		memcpy(d.charset, charset, sizeof charset);
		g_string_append_len(d.word, bytes->str, bytes->len);
		pending_word = true;
		p += n;
	}
	flush_word(&d);
	flush_raw(&d);

	/* Control characters become spaces, then whitespace is squeezed. */
	res = g_string_sized_new(d.out->len);
	for (gsize i = 0; i < d.out->len; i++) {
		unsigned char c = (unsigned char)d.out->str[i];
		bool space = c < 0x20 || c == 0x7f;

		if (c == ' ')
			space = true;
		if (space && collapse && (res->len == 0 ||
		    res->str[res->len - 1] == ' '))
			continue;
		g_string_append_c(res, space ? ' ' : (char)c);
	}
	g_string_free(d.out, TRUE);
	g_string_free(d.raw, TRUE);
	g_string_free(d.word, TRUE);
	g_string_free(bytes, TRUE);
	g_free(unfolded);
	return g_strstrip(g_string_free(res, FALSE));
}

size_t
larch_text_normalise_eol(char *text, size_t len)
{
	size_t w = 0;

	for (size_t r = 0; r < len; r++) {
		if (text[r] == '\r') {
			text[w++] = '\n';
			if (r + 1 < len && text[r + 1] == '\n')
				r++;
		} else {
			text[w++] = text[r];
		}
	}
	if (w < len)
		text[w] = '\0';
	return w;
}

size_t
larch_text_truncate(char *text, size_t len, size_t max)
{
	if (max == 0 || len <= max)
		return len;
	len = max;
	while (len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80)
		len--;
	text[len] = '\0';
	return len;
}
