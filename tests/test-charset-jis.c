/*
 * ISO-2022-JP as Windows writes it (lib/charset_jis.c): text parts and
 * RFC 2047 words under that label with NEC row 13 characters (①, ㈱),
 * IBM rows, half-width katakana, and damaged escapes.
 */
#include <string.h>
#include <glib.h>

#include "../lib/parse_private.h"

/* Bytes under a charset label (written out by Python's iso2022_jp codec,
 * Windows' characters placed by hand), and the text to read. */
static const struct {
	const char *name;
	const char *charset;
	const char *bytes;
	const char *want;
} rows[] = {
	/* 議題：ネット中立性について。 */
	{ "plain ISO-2022-JP", "iso-2022-jp",
	  "\x1b$B5DBj!'%M%C%HCfN)@-$K$D$$$F!#\x1b(B",
	  "\xe8\xad\xb0\xe9\xa1\x8c\xef\xbc\x9a\xe3\x83\x8d\xe3\x83\x83"
	  "\xe3\x83\x88\xe4\xb8\xad\xe7\xab\x8b\xe6\x80\xa7\xe3\x81\xab"
	  "\xe3\x81\xa4\xe3\x81\x84\xe3\x81\xa6\xe3\x80\x82" },
	/* 議題①：ネット中立性について。高橋です。 */
	{ "① in the middle", "iso-2022-jp",
	  "\x1b$B5DBj-!!'%M%C%HCfN)@-$K$D$$$F!#9b66$G$9!#\x1b(B",
	  "\xe8\xad\xb0\xe9\xa1\x8c\xe2\x91\xa0\xef\xbc\x9a\xe3\x83\x8d"
	  "\xe3\x83\x83\xe3\x83\x88\xe4\xb8\xad\xe7\xab\x8b\xe6\x80\xa7"
	  "\xe3\x81\xab\xe3\x81\xa4\xe3\x81\x84\xe3\x81\xa6\xe3\x80\x82"
	  "\xe9\xab\x98\xe6\xa9\x8b\xe3\x81\xa7\xe3\x81\x99\xe3\x80\x82" },
	/* 髙橋㈱の№5、3㌔ */
	{ "NEC row 13 and an IBM row", "iso-2022-jp",
	  "\x1b$B|b66-j$N-b\x1b(B5\x1b$B!\"\x1b(B3\x1b$B-A\x1b(B",
	  "\xe9\xab\x99\xe6\xa9\x8b\xe3\x88\xb1\xe3\x81\xae\xe2\x84\x96"
	  "5\xe3\x80\x81" "3\xe3\x8c\x94" },
	/* C:¥dir ‾x \ */
	{ "JIS-Roman", "iso-2022-jp",
	  "\x1b(JC:\\dir ~x\x1b(B \\",
	  "C:\xc2\xa5" "dir \xe2\x80\xbex \\" },
	/* カナｱｧｲ. */
	{ "half-width katakana", "iso-2022-jp",
	  "\x1b$B%+%J\x1b(I1'2\x1b(B.",
	  "\xe3\x82\xab\xe3\x83\x8a\xef\xbd\xb1\xef\xbd\xa7\xef\xbd\xb2." },
	/* あ\nあ */
	{ "a line end keeps the mode", "iso-2022-jp",
	  "\x1b$B$\"\n$\"\x1b(B",
	  "\xe3\x81\x82\n\xe3\x81\x82" },
	/* あ\uFFFD\nあ */
	{ "half a character before a line end", "iso-2022-jp",
	  "\x1b$B$\"$\n$\"\x1b(B",
	  "\xe3\x81\x82\xef\xbf\xbd\n\xe3\x81\x82" },
	/* \uFFFDあ */
	{ "a code no table has", "iso-2022-jp",
	  "\x1b$B.!$\"\x1b(B",
	  "\xef\xbf\xbd\xe3\x81\x82" },
	/* abc\uFFFDZdef */
	{ "garbage after ESC", "iso-2022-jp",
	  "abc\x1bZdef",
	  "abc\xef\xbf\xbdZdef" },
	/* あ\uFFFDい */
	{ "a stray ESC before an escape", "iso-2022-jp",
	  "\x1b$B$\"\x1b\x1b$B$$\x1b(B",
	  "\xe3\x81\x82\xef\xbf\xbd\xe3\x81\x84" },
	/* あ\uFFFD\uFFFD */
	{ "an escape cut short at the end", "iso-2022-jp",
	  "\x1b$B$\"\x1b$",
	  "\xe3\x81\x82\xef\xbf\xbd\xef\xbf\xbd" },
	/* ok\uFFFD */
	{ "a lone ESC at the end", "iso-2022-jp",
	  "ok\x1b",
	  "ok\xef\xbf\xbd" },
	/* あ */
	{ "the 1990 announcer", "iso-2022-jp",
	  "\x1b&@\x1b$B$\"\x1b(B",
	  "\xe3\x81\x82" },
	/* 丂 */
	{ "JIS X 0212", "iso-2022-jp",
	  "\x1b$(D0!\x1b(B",
	  "\xe4\xb8\x82" },
	/* 議題① */
	{ "a Windows label", "CP50220",
	  "\x1b$B5DBj-!\x1b(B",
	  "\xe8\xad\xb0\xe9\xa1\x8c\xe2\x91\xa0" },
	/* 議題 */
	{ "another label", "csISO2022JP",
	  "\x1b$B5DBj\x1b(B",
	  "\xe8\xad\xb0\xe9\xa1\x8c" },
	/* café ☕ ok */
	{ "UTF-8 under the label", "iso-2022-jp",
	  "caf\xc3\xa9 \xe2\x98\x95 ok",
	  "caf\xc3\xa9 \xe2\x98\x95 ok" },
	/* (nothing) */
	{ "empty", "iso-2022-jp",
	  "",
	  "" },
};

static void
test_rows(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		char *got;

		g_test_message("row %s", rows[i].name);
		got = larch_text_decode(rows[i].bytes, strlen(rows[i].bytes),
		    rows[i].charset, NULL, NULL);
		g_assert_cmpstr(got, ==, rows[i].want);
		g_free(got);
	}
}

/* RFC 2047 words: one word, one split inside a character's run (the
 * adjacent words of one charset are read as one text), and Q. */
static void
test_headers(void)
{
	static const struct {
		const char *raw, *want;
	} words[] = {
		/* 議題① */
		{ "=?iso-2022-jp?B?GyRCNURCai0hGyhC?=",
		  "\xe8\xad\xb0\xe9\xa1\x8c\xe2\x91\xa0" },
		{ "Re: =?ISO-2022-JP?B?GyRCNURCag==?= "
		  "=?ISO-2022-JP?B?LSEbKEI=?= (2)",
		  "Re: \xe8\xad\xb0\xe9\xa1\x8c\xe2\x91\xa0 (2)" },
		/* 山田 花子 ㈱テスト */
		{ "=?iso-2022-jp?B?GyRCOzNFRBsoQiAbJEIyVjtSGyhC?= "
		  "=?iso-2022-jp?B?GyRCLWolRiU5JUgbKEI=?=",
		  "\xe5\xb1\xb1\xe7\x94\xb0 \xe8\x8a\xb1\xe5\xad\x90\xe3\x88"
		  "\xb1\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88" },
		{ "=?iso-2022-jp?Q?=1B$B-!=1B(B?= x", "\xe2\x91\xa0 x" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(words); i++) {
		char *got = larch_header_decode(words[i].raw, NULL, true);

		g_assert_cmpstr(got, ==, words[i].want);
		g_free(got);
	}
}

/* Every JIS X 0208 code that glibc's ISO-2022-JP reads is read the same
 * way, so that no text reads otherwise than it did before; the codes it
 * cannot read are Windows' (row 13, rows 89 to 92) or U+FFFD. */
static void
test_same_as_glibc(void)
{
	unsigned same = 0, more = 0;

	for (int b1 = 0x21; b1 <= 0x7e; b1++) {
		for (int b2 = 0x21; b2 <= 0x7e; b2++) {
			char in[] = { 0x1b, '$', 'B', (char)b1, (char)b2,
			    0x1b, '(', 'B' };
			char *glibc = g_convert(in, sizeof in, "UTF-8",
			    "ISO-2022-JP", NULL, NULL, NULL);
			GString *ours = g_string_new(NULL);
			size_t errors = larch_jis_decode(ours, in, sizeof in);

			if (glibc != NULL) {
				g_assert_cmpstr(ours->str, ==, glibc);
				g_assert_cmpuint(errors, ==, 0);
				same++;
			} else if (errors == 0) {
				g_assert_true(b1 == 0x2d ||
				    (b1 >= 0x79 && b1 <= 0x7c));
				more++;
			} else {
				g_assert_cmpstr(ours->str, ==, "\xef\xbf\xbd");
			}
			g_free(glibc);
			g_string_free(ours, TRUE);
		}
	}
	g_test_message("%u codes as glibc reads them, %u more", same, more);
	g_assert_cmpuint(same, >, 6800);
	/* Row 13 has 83 characters, rows 89 to 92 have 374. */
	g_assert_cmpuint(more, ==, 83 + 374);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/charset-jis/rows", test_rows);
	g_test_add_func("/charset-jis/headers", test_headers);
	g_test_add_func("/charset-jis/same-as-glibc", test_same_as_glibc);
	return g_test_run();
}
