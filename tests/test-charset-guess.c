/* Guessing the charset of undeclared 8-bit text (lib/charset_guess.c). */
#include <string.h>
#include <glib.h>

#include "../lib/parse_private.h"

/* Text in its charset (written out by Python's codecs), and the charset
 * the guess must name. */
static const struct {
	const char *name;
	const char *bytes;
	const char *want;
} rows[] = {
	{ "koi8-r Russian", "\xfa\xc4\xd2\xc1\xd7\xd3\xd4\xd7\xd5\xca\xd4"
	  "\xc5, \xee\xc9\xcb\xcf\xcc\xc1\xca! \xf0\xcf\xd3\xcc\xc5 \xd0\xc5"
	  "\xd2\xc5\xda\xc1\xd0\xd5\xd3\xcb\xc1 \xd3\xc5\xd2\xd7\xc9\xd3\xc1 "
	  "\xd7\xd3\xa3 \xd3\xce\xcf\xd7\xc1 \xda\xc1\xd2\xc1\xc2\xcf\xd4\xc1"
	  "\xcc\xcf. \xf3\xd0\xc1\xd3\xc9\xc2\xcf \xda\xc1 \xc2\xd9\xd3\xd4"
	  "\xd2\xd9\xca \xcf\xd4\xd7\xc5\xd4.", "KOI8-R" },
	{ "windows-1251 Russian", "\xc7\xe4\xf0\xe0\xe2\xf1\xf2\xe2\xf3\xe9"
	  "\xf2\xe5, \xcd\xe8\xea\xee\xeb\xe0\xe9! \xcf\xee\xf1\xeb\xe5 \xef"
	  "\xe5\xf0\xe5\xe7\xe0\xef\xf3\xf1\xea\xe0 \xf1\xe5\xf0\xe2\xe8\xf1"
	  "\xe0 \xe2\xf1\xb8 \xf1\xed\xee\xe2\xe0 \xe7\xe0\xf0\xe0\xe1\xee\xf2"
	  "\xe0\xeb\xee. \xd1\xef\xe0\xf1\xe8\xe1\xee \xe7\xe0 \xe1\xfb\xf1"
	  "\xf2\xf0\xfb\xe9 \xee\xf2\xe2\xe5\xf2.", "WINDOWS-1251" },
	{ "gb2312 Chinese", "\xce\xd2\xbe\xf5\xb5\xc3\xbe\xc9\xd3\xca\xbc\xfe"
	  "\xb5\xc4\xd7\xd6\xb7\xfb\xb1\xe0\xc2\xeb\xb2\xbb\xb6\xd4\xa1\xa3"
	  "\xd3\xd0\xc8\xcb\xd6\xaa\xb5\xc0\xc8\xe7\xba\xce\xd5\xfd\xc8\xb7"
	  "\xc5\xe4\xd6\xc3\xcb\xf7\xd2\xfd\xc2\xf0\xa3\xbf\xd7\xa3\xba\xc3",
	  "GB18030" },
	{ "big5 Chinese", "\xa7\xda\xc4\xb1\xb1o\xc2\xc2\xb6l\xa5\xf3\xaa\xba"
	  "\xa6r\xa4\xb8\xbds\xbdX\xa4\xa3\xb9\xef\xa1" "C\xa6\xb3\xa4H\xaa\xbe"
	  "\xb9" "D\xa6p\xa6\xf3\xa5\xbf\xbdT\xb3]\xa9w\xaf\xc1\xa4\xde\xb6\xdc"
	  "\xa1H", "BIG5" },
	{ "gb2312 Chinese with a camel-case word", "\xd0\xbb\xd0\xbb\xa3\xa1"
	  "\n\xd1\xee\xbd\xdc\n\n\xb7\xa2\xd7\xd4\xce\xd2\xb5\xc4iPhone\n",
	  "GB18030" },
	/* A Cyrillic name in a Chinese list's archive: read as
	 * windows-1251 it is "§Ї§С§д§С§Э§о§с", letters no worse. */
	{ "gb2312 Cyrillic name in English text", "Thanks in advance, "
	  "\xa7\xaf\xa7\xd1\xa7\xe4\xa7\xd1\xa7\xdd\xa7\xee\xa7\xf1\n",
	  "GB18030" },
	{ "a section sign before a number", "See \xa7" "5 of the "
	  "charter, it is clear.", "WINDOWS-1252" },
	{ "latin-1 German", "Sch\xf6ne Gr\xfc\xdf" "e aus K\xf6ln, die \xc4"
	  "nderung f\xfcr das Release ist fertig.", "WINDOWS-1252" },
	{ "latin-1 French", "Le comit\xe9 a \xe9t\xe9 cr\xe9\xe9 en \xe9t\xe9;"
	  " \xe0 bient\xf4t, Fran\xe7ois.", "WINDOWS-1252" },
	{ "windows-1252 quotes", "He said \x93" "fine\x94 \x96 it costs 5\x80,"
	  " that\x92s all.", "WINDOWS-1252" },
	{ "one accented name", "Regards, J\xfcrgen", "WINDOWS-1252" },
	{ "a lone byte", "caf\xe9", "WINDOWS-1252" },
	/* The length mark "ー" is a letter inside katakana, not a symbol
	 * of no script that breaks the word: 我很喜欢ソニー的相机，の字也常见。 */
	{ "gbk Chinese with a kana word",
	  "\xce\xd2\xba\xdc\xcf\xb2\xbb\xb6\xa5\xbd\xa5\xcb\xa9`"
	  "\xb5\xc4\xcf\xe0\xbb\xfa\xa3\xac\xa4\xce\xd7\xd6\xd2\xb2"
	  "\xb3\xa3\xbc\xfb\xa1\xa3", "GB18030" },
};

static void
test_rows(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_test_message("row %s", rows[i].name);
		g_assert_cmpstr(larch_charset_guess(rows[i].bytes,
		    strlen(rows[i].bytes)), ==, rows[i].want);
	}
}

/* "auto" decodes with the guess; a named fallback is obeyed. */
static void
test_decode(void)
{
	static const char koi8[] = "\xf0\xd2\xc9\xd7\xc5\xd4, \xcd\xc9\xd2";
	char *auto_text = larch_text_decode(koi8, sizeof koi8 - 1, NULL,
	    "auto", NULL);
	char *named = larch_text_decode(koi8, sizeof koi8 - 1, NULL,
	    "windows-1252", NULL);

	g_assert_cmpstr(auto_text, ==, "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0"
	    "\xb5\xd1\x82, \xd0\xbc\xd0\xb8\xd1\x80");
	g_assert_cmpstr(named, ==, "\xc3\xb0\xc3\x92\xc3\x89\xc3\x97\xc3\x85"
	    "\xc3\x94, \xc3\x8d\xc3\x89\xc3\x92");
	g_free(auto_text);
	g_free(named);
}

/* A fallback list is tried in order: the first charset that reads the
 * bytes without error wins; names iconv does not know are passed over,
 * and Python's spelling of a name ("koi8_r") is known. */
static void
test_decode_list(void)
{
	static const char koi8[] = "\xf0\xd2\xc9\xd7\xc5\xd4";
	static const char big5[] = "\xb0\xdd\xc3" "D";
	static const char privet[] = "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2"
	    "\xd0\xb5\xd1\x82";
	static const struct {
		const char *bytes, *charset, *fallback, *want;
	} lists[] = {
		{ koi8, NULL, "koi8-r,windows-1252", privet },
		/* 8-bit bytes are no ISO-2022-JP: the next one reads them */
		{ koi8, NULL, "iso-2022-jp,koi8-r", privet },
		{ koi8, NULL, "x-nonsense, koi8-r", privet },
		{ koi8, NULL, "utf-8,koi8-r", privet },
		{ big5, NULL, "big5,auto", "\xe5\x95\x8f\xe9\xa1\x8c" },
		/* windows-1252 reads anything: what follows it is not tried */
		{ koi8, NULL, "windows-1252,koi8-r",
		    "\xc3\xb0\xc3\x92\xc3\x89\xc3\x97\xc3\x85\xc3\x94" },
		/* none reads them: windows-1252 */
		{ koi8, NULL, "iso-2022-jp", "\xc3\xb0\xc3\x92\xc3\x89\xc3"
		    "\x97\xc3\x85\xc3\x94" },
		{ koi8, "koi8_r", "windows-1252", privet },
		{ koi8, "KOI8_R", "windows-1252", privet },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(lists); i++) {
		char *got = larch_text_decode(lists[i].bytes,
		    strlen(lists[i].bytes), lists[i].charset, lists[i].fallback,
		    NULL);

		g_test_message("row %zu", i);
		g_assert_cmpstr(got, ==, lists[i].want);
		g_free(got);
	}
	g_assert_true(larch_charset_is_known("koi8_r"));
	g_assert_true(larch_charset_is_known("big5"));
	g_assert_false(larch_charset_is_known("us-ascii"));
	g_assert_false(larch_charset_is_known("x-nonsense"));
	g_assert_false(larch_charset_is_known(NULL));
}

/* Beyond 64 KiB only the head is judged, and a multibyte character cut
 * there does not spoil the guess. */
static void
test_long(void)
{
	static const char word[] = "\xce\xd2\xbe\xf5\xb5\xc3 ";
	GString *s = g_string_new(NULL);

	while (s->len < 70 * 1024)
		g_string_append(s, word);
	/* Shifted by one byte, the 64 KiB cut falls after a lead byte. */
	g_string_prepend_c(s, ' ');
	g_assert_cmpint((guchar)s->str[64 * 1024 - 1], ==, 0xce);
	g_assert_cmpstr(larch_charset_guess(s->str, s->len), ==, "GB18030");
	g_string_free(s, TRUE);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/charset-guess/rows", test_rows);
	g_test_add_func("/charset-guess/decode", test_decode);
	g_test_add_func("/charset-guess/decode-list", test_decode_list);
	g_test_add_func("/charset-guess/long", test_long);
	return g_test_run();
}
