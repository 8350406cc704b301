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
	/* 何娟 closing English text: windows-1252 reads "ºÎ¾ê". */
	{ "gb2312 name under English text", "It works now.\n\nRegards,\n"
	  "\xba\xce\xbe\xea\n", "GB18030" },
	{ "fractions", "Add 3\xbe cups, or \xbd of it.", "WINDOWS-1252" },
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
	/* Every EUC-KR, EUC-JP and Shift_JIS pair is GB18030 too: Korean and
	 * Japanese must win by their language, Chinese must stay Chinese,
	 * also a short text whose EUC-KR reading is common Hangul ("大家"
	 * reads "대소"). */
	/* 회의는 내일 오후 세 시에 시작합니다. */
	{ "euc-kr Korean, short",
	  "\xc8\xb8\xc0\xc7\xb4\xc2 \xb3\xbb\xc0\xcf \xbf\xc0\xc8"
	  "\xc4 \xbc\xbc \xbd\xc3\xbf\xa1 \xbd\xc3\xc0\xdb\xc7\xd5"
	  "\xb4\xcf\xb4\xd9.", "EUC-KR" },
	/* 감사합니다. 김민수 드림 */
	{ "euc-kr Korean name and thanks",
	  "\xb0\xa8\xbb\xe7\xc7\xd5\xb4\xcf\xb4\xd9. \xb1\xe8\xb9"
	  "\xce\xbc\xf6 \xb5\xe5\xb8\xb2", "EUC-KR" },
	/* 안녕하세요. 지난주 회의에서 논의한 개인정보 보호 정책
	 * 초안을 보내 드립니다. ... */
	{ "euc-kr Korean, long",
	  "\xbe\xc8\xb3\xe7\xc7\xcf\xbc\xbc\xbf\xe4. \xc1\xf6\xb3"
	  "\xad\xc1\xd6 \xc8\xb8\xc0\xc7\xbf\xa1\xbc\xad \xb3\xed"
	  "\xc0\xc7\xc7\xd1 \xb0\xb3\xc0\xce\xc1\xa4\xba\xb8 \xba"
	  "\xb8\xc8\xa3 \xc1\xa4\xc3\xa5 \xc3\xca\xbe\xc8\xc0\xbb "
	  "\xba\xb8\xb3\xbb \xb5\xe5\xb8\xb3\xb4\xcf\xb4\xd9. \xb0"
	  "\xcb\xc5\xe4\xc7\xcf\xbd\xc5 \xc8\xc4 \xb4\xd9\xc0\xbd "
	  "\xc1\xd6 \xb1\xdd\xbf\xe4\xc0\xcf\xb1\xee\xc1\xf6 \xc0"
	  "\xc7\xb0\xdf\xc0\xbb \xc1\xd6\xbd\xc3\xb8\xe9 \xc3\xd6"
	  "\xc1\xbe\xbe\xc8\xbf\xa1 \xb9\xdd\xbf\xb5\xc7\xcf\xb0"
	  "\xda\xbd\xc0\xb4\xcf\xb4\xd9. \xc1\xfa\xb9\xae\xc0\xcc "
	  "\xc0\xd6\xc0\xb8\xbd\xc3\xb8\xe9 \xbe\xf0\xc1\xa6\xb5"
	  "\xe7\xc1\xf6 \xbf\xac\xb6\xf4\xc7\xd8 \xc1\xd6\xbc\xbc"
	  "\xbf\xe4.", "EUC-KR" },
	/* ※ 참고: 서버 점검은 토요일 밤입니다 ㅋㅋ */
	{ "euc-kr Korean with a reference mark and laughter",
	  "\xa1\xd8 \xc2\xfc\xb0\xed: \xbc\xad\xb9\xf6 \xc1\xa1\xb0"
	  "\xcb\xc0\xba \xc5\xe4\xbf\xe4\xc0\xcf \xb9\xe3\xc0\xd4"
	  "\xb4\xcf\xb4\xd9 \xa4\xbb\xa4\xbb", "EUC-KR" },
	/* お疲れ様です。次回の会合は六月に大阪で開催する予定です。 */
	{ "euc-jp Japanese",
	  "\xa4\xaa\xc8\xe8\xa4\xec\xcd\xcd\xa4\xc7\xa4\xb9\xa1\xa3"
	  "\xbc\xa1\xb2\xf3\xa4\xce\xb2\xf1\xb9\xe7\xa4\xcf\xcf\xbb"
	  "\xb7\xee\xa4\xcb\xc2\xe7\xba\xe5\xa4\xc7\xb3\xab\xba\xc5"
	  "\xa4\xb9\xa4\xeb\xcd\xbd\xc4\xea\xa4\xc7\xa4\xb9\xa1\xa3",
	  "EUC-JP" },
	/* 本日理事会議事録添付致します。次回会議日程は六月十五日です。 */
	{ "euc-jp Japanese, mostly kanji",
	  "\xcb\xdc\xc6\xfc\xcd\xfd\xbb\xf6\xb2\xf1\xb5\xc4\xbb\xf6"
	  "\xcf\xbf\xc5\xba\xc9\xd5\xc3\xd7\xa4\xb7\xa4\xde\xa4\xb9"
	  "\xa1\xa3\xbc\xa1\xb2\xf3\xb2\xf1\xb5\xc4\xc6\xfc\xc4\xf8"
	  "\xa4\xcf\xcf\xbb\xb7\xee\xbd\xbd\xb8\xde\xc6\xfc\xa4\xc7"
	  "\xa4\xb9\xa1\xa3", "EUC-JP" },
	/* お疲れ様です。次回の会合は六月に大阪で開催する予定です。 */
	{ "shift_jis Japanese",
	  "\x82\xa8\x94\xe6\x82\xea\x97l\x82\xc5\x82\xb7\x81" "B"
	  "\x8e\x9f\x89\xf1\x82\xcc\x89\xef\x8d\x87\x82\xcd\x98Z"
	  "\x8c\x8e\x82\xc9\x91\xe5\x8d\xe3\x82\xc5\x8aJ\x8d\xc3"
	  "\x82\xb7\x82\xe9\x97\x5c\x92\xe8\x82\xc5\x82\xb7\x81" "B",
	  "SHIFT_JIS" },
	/* 大家好，谢谢！ */
	{ "gb2312 Chinese, short",
	  "\xb4\xf3\xbc\xd2\xba\xc3\xa3\xac\xd0\xbb\xd0\xbb\xa3\xa1",
	  "GB18030" },
	/* 各位好，关于下周的会议安排，我想确认一下时间和地点。... */
	{ "gb2312 Chinese, long",
	  "\xb8\xf7\xce\xbb\xba\xc3\xa3\xac\xb9\xd8\xd3\xda\xcf\xc2"
	  "\xd6\xdc\xb5\xc4\xbb\xe1\xd2\xe9\xb0\xb2\xc5\xc5\xa3\xac"
	  "\xce\xd2\xcf\xeb\xc8\xb7\xc8\xcf\xd2\xbb\xcf\xc2\xca\xb1"
	  "\xbc\xe4\xba\xcd\xb5\xd8\xb5\xe3\xa1\xa3\xce\xd2\xc3\xc7"
	  "\xbc\xc6\xbb\xae\xd4\xda\xb1\xb1\xbe\xa9\xd5\xd9\xbf\xaa"
	  "\xb5\xda\xc8\xfd\xb4\xce\xb9\xa4\xd7\xf7\xd7\xe9\xbb\xe1"
	  "\xd2\xe9\xa3\xac\xcc\xd6\xc2\xdb\xcd\xf8\xc2\xe7\xb0\xb2"
	  "\xc8\xab\xba\xcd\xca\xfd\xbe\xdd\xb1\xa3\xbb\xa4\xb5\xc4"
	  "\xce\xca\xcc\xe2\xa1\xa3\xc7\xeb\xb4\xf3\xbc\xd2\xd4\xda"
	  "\xd6\xdc\xce\xe5\xd6\xae\xc7\xb0\xb0\xd1\xd2\xe2\xbc\xfb"
	  "\xb7\xa2\xb8\xf8\xce\xd2\xa1\xa3", "GB18030" },
	/* 各位好，關於下週的會議安排，我想確認一下時間和地點。... */
	{ "big5 Chinese, long",
	  "\xa6U\xa6\xec\xa6n\xa1" "A\xc3\xf6\xa9\xf3\xa4U\xb6g\xaa"
	  "\xba\xb7|\xc4\xb3\xa6w\xb1\xc6\xa1" "A\xa7\xda\xb7Q\xbdT"
	  "\xbb{\xa4@\xa4U\xae\xc9\xb6\xa1\xa9M\xa6" "a\xc2I\xa1"
	  "C\xbd\xd0\xa4j\xae" "a\xa6" "b\xb6g\xa4\xad\xa4\xa7\xab"
	  "e\xa7\xe2\xb7N\xa8\xa3\xb1H\xb5\xb9\xa7\xda\xa1" "C", "BIG5" },
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

/* "auto" reads a Korean and a Japanese list's text in its charset. */
static void
test_decode_cjk(void)
{
	static const struct {
		const char *bytes, *want;
	} texts[] = {
		/* 다음 회의는 부산에서 열립니다. */
		{ "\xb4\xd9\xc0\xbd \xc8\xb8\xc0\xc7\xb4\xc2 \xba\xce\xbb\xea"
		  "\xbf\xa1\xbc\xad \xbf\xad\xb8\xb3\xb4\xcf\xb4\xd9.",
		  "\xeb\x8b\xa4\xec\x9d\x8c \xed\x9a\x8c\xec\x9d\x98\xeb\x8a"
		  "\x94 \xeb\xb6\x80\xec\x82\xb0\xec\x97\x90\xec\x84\x9c "
		  "\xec\x97\xb4\xeb\xa6\xbd\xeb\x8b\x88\xeb\x8b\xa4." },
		/* 次回の会合は大阪で開催します。 */
		{ "\xbc\xa1\xb2\xf3\xa4\xce\xb2\xf1\xb9\xe7\xa4\xcf\xc2\xe7"
		  "\xba\xe5\xa4\xc7\xb3\xab\xba\xc5\xa4\xb7\xa4\xde\xa4\xb9"
		  "\xa1\xa3",
		  "\xe6\xac\xa1\xe5\x9b\x9e\xe3\x81\xae\xe4\xbc\x9a\xe5\x90"
		  "\x88\xe3\x81\xaf\xe5\xa4\xa7\xe9\x98\xaa\xe3\x81\xa7\xe9"
		  "\x96\x8b\xe5\x82\xac\xe3\x81\x97\xe3\x81\xbe\xe3\x81\x99"
		  "\xe3\x80\x82" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
		char *got = larch_text_decode(texts[i].bytes,
		    strlen(texts[i].bytes), NULL, "auto", NULL);

		g_assert_cmpstr(got, ==, texts[i].want);
		g_free(got);
	}
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

/* The row of rows[] named name. */
static const char *
row_bytes(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++)
		if (strcmp(rows[i].name, name) == 0)
			return rows[i].bytes;
	g_assert_not_reached();
}

/*
 * A declared single-byte charset that reads the text as mojibake is a
 * lie when another reads it cleanly: Russian mail in KOI8-R labelled
 * windows-1251 (and the reverse), Latin-1 labelled KOI8-R.  True labels,
 * and labels of charsets not known to lie, are obeyed.
 */
static void
test_lying_labels(void)
{
	static const struct {
		const char *row, *label, *truth;
	} cases[] = {
		{ "koi8-r Russian", "windows-1251", "KOI8-R" },
		{ "koi8-r Russian", "cp1251", "KOI8-R" },
		{ "windows-1251 Russian", "koi8-r", "WINDOWS-1251" },
		{ "latin-1 German", "koi8-r", "WINDOWS-1252" },
		{ "latin-1 French", "windows-1251", "WINDOWS-1252" },
		{ "koi8-r Russian", "iso-8859-1", "KOI8-R" },
		/* true labels */
		{ "koi8-r Russian", "koi8-r", "KOI8-R" },
		{ "windows-1251 Russian", "windows-1251", "WINDOWS-1251" },
		{ "latin-1 German", "iso-8859-1", "WINDOWS-1252" },
		{ "a section sign before a number", "iso-8859-1",
		  "WINDOWS-1252" },
		/* ISO-8859-2 is not rechecked: its letters are Latin too */
		{ "latin-1 German", "iso-8859-2", "ISO-8859-2" },
	};
	static const char html[] = "<p>\xf0\xd2\xc9\xd7\xc5\xd4</p>";
	char *got;

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		const char *bytes = row_bytes(cases[i].row);
		char *want = g_convert(bytes, -1, "UTF-8", cases[i].truth,
		    NULL, NULL, NULL);

		got = larch_text_decode(bytes, strlen(bytes), cases[i].label,
		    "windows-1252", NULL);
		g_test_message("%s labelled %s", cases[i].row, cases[i].label);
		g_assert_nonnull(want);
		g_assert_cmpstr(got, ==, want);
		g_free(got);
		g_free(want);
	}
	/* Double-byte charsets are no candidates: HTML whose tags touch
	 * its words reads badly in every single-byte charset, and GB18030
	 * reads it as clean Han. */
	got = larch_text_decode(html, sizeof html - 1, "koi8-r",
	    "windows-1252", NULL);
	g_assert_cmpstr(got, ==, "<p>\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2"
	    "\xd0\xb5\xd1\x82</p>");
	g_free(got);
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
	g_test_add_func("/charset-guess/decode-cjk", test_decode_cjk);
	g_test_add_func("/charset-guess/decode-list", test_decode_list);
	g_test_add_func("/charset-guess/lying-labels", test_lying_labels);
	g_test_add_func("/charset-guess/long", test_long);
	return g_test_run();
}
