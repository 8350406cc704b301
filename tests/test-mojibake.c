/* Repair of UTF-8 read as windows-1252 and written out again
 * (lib/mojibake.c), alone and through larch_text_decode(). */
#include <string.h>
#include <glib.h>

#include "../lib/parse_private.h"

/* text (UTF-8) read byte by byte as windows-1252, or with latin1 as
 * Latin-1, and written out as UTF-8 again: the damage, made here as it
 * happens. */
static char *
damage(const char *text, bool latin1)
{
	GString *out = g_string_new(NULL);

	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		gunichar c = *p;

		if (!latin1)
			c = larch_cp1252_char(*p);
		g_string_append_unichar(out, c);
	}
	return g_string_free(out, FALSE);
}

static char *
repaired(const char *text)
{
	GString *s = g_string_new(text);

	larch_mojibake_repair(s);
	return g_string_free(s, FALSE);
}

/* Damaged text of each script the damage is common in comes back whole,
 * whether windows-1252 or Latin-1 read it. */
static void
test_repairs(void)
{
	static const char *const texts[] = {
		"Thanks in advance,\nRa\u00fal",
		"Le comit\u00e9 a \u00e9t\u00e9 cr\u00e9\u00e9 \u00e0 "
		    "Gen\u00e8ve; \u00c9t\u00e9 2016, \u00c0 bient\u00f4t.",
		"Sch\u00f6ne Gr\u00fc\u00dfe aus K\u00f6ln, \u00c4nderung, "
		    "\u00dcbersicht, \u00d6l.",
		"He said \u201cfine\u201d \u2013 it\u2019s 5 \u20ac\u2026",
		"\u041f\u0440\u0438\u0432\u0435\u0442, \u043a\u043e\u043b"
		    "\u043b\u0435\u0433\u0438!",
		"\u039a\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1",
		"\u4f1a\u8bae\u5728\u5468\u56db\u3002 \u3053\u3093\u306b"
		    "\u3061\u306f \ud55c\uad6d\uc5b4",
		"Great work \U0001F44D",
		"Ostr\u00f3w, \u0141\u00f3d\u017a, \u0130stanbul, "
		    "K\u0131z\u0131lay",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(texts); i++)
		for (int latin1 = 0; latin1 < 2; latin1++) {
			char *bad = damage(texts[i], latin1);
			char *got = repaired(bad);

			g_test_message("%s (%s)", texts[i],
			    latin1 ? "Latin-1" : "windows-1252");
			g_assert_cmpstr(got, ==, texts[i]);
			g_free(got);
			g_free(bad);
		}
}

/* Genuine text is left as it is, including the pairs closest to
 * damage. */
static void
test_keeps(void)
{
	static const char *const texts[] = {
		"plain ASCII text, no change",
		"Le comit\u00e9 a \u00e9t\u00e9 cr\u00e9\u00e9.",
		"\u201eStra\u00df\u201c und \u201eGr\u00fc\u00df\u201c",
		"CAF\u00c9\u00a0! D\u00c9J\u00c0\u00a0?",
		"\u00abL\u2019\u00c9T\u00c9\u00bb, \u00c9\u2019, \u00c7\u2019",
		"\u00a9 2016, 20\u00b0C, \u00bd, \u00a7 5, \u00b1 3",
		"Tr\u00e8s \u00e9l\u00e9gant \u00e0 \u00ab\u00a0voir\u00a0\u00bb",
		"\u041f\u0440\u0438\u0432\u0435\u0442 \u4f1a\u8bae",
		"S\u00c3O PAULO",
		"",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
		GString *s = g_string_new(texts[i]);

		g_test_message("%s", texts[i]);
		g_assert_false(larch_mojibake_repair(s));
		g_assert_cmpstr(s->str, ==, texts[i]);
		g_string_free(s, TRUE);
	}
}

/* windows-1252 read as Latin-1: its quotes, dashes and euro sign became
 * C1 controls; each is its windows-1252 character again, and the five
 * bytes windows-1252 has no character for are dropped. */
static void
test_c1(void)
{
	/* U+0093 "sure" U+0094 U+0096 it U+0092 s 5 U+0080 U+0085 U+0081 x
	 * U+009D, in UTF-8 (C has no escape for a C1 control). */
	char *got = repaired("Is \xc2\x93sure\xc2\x94 \xc2\x96 it\xc2\x92s "
	    "5 \xc2\x80\xc2\x85 \xc2\x81x\xc2\x9d");

	g_assert_cmpstr(got, ==, "Is \u201csure\u201d \u2013 it\u2019s 5 "
	    "\u20ac\u2026 x");
	g_free(got);
}

/* Damage and genuine text side by side in one text (a reply that quotes
 * a damaged message): each run is repaired on its own. */
static void
test_mixed(void)
{
	char *bad = damage("Ra\u00fal \u2019", false);
	char *text = g_strdup_printf("Jos\u00e9 wrote: %s \u00e9t\u00e9", bad);
	char *got = repaired(text);

	g_assert_cmpstr(got, ==, "Jos\u00e9 wrote: Ra\u00fal \u2019 "
	    "\u00e9t\u00e9");
	g_free(got);
	/* A run cut short by the end of the text stays. */
	got = repaired("x \u00c3");
	g_assert_cmpstr(got, ==, "x \u00c3");
	g_free(got);
	got = repaired("x \u00e2\u20ac");
	g_assert_cmpstr(got, ==, "x \u00e2\u20ac");
	g_free(got);
	g_free(text);
	g_free(bad);
}

/* Decoding does it: a pipermail archive's UTF-8 text that holds the
 * damage (a lying label Mailman believed), and a message whose UTF-8
 * bytes went through such a gateway. */
static void
test_decode(void)
{
	char *bad = damage("Saludos,\nRa\u00fal \u2013 \u201cok\u201d", false);
	char *got = larch_text_decode(bad, strlen(bad), NULL, "auto", NULL);

	g_assert_cmpstr(got, ==, "Saludos,\nRa\u00fal \u2013 \u201cok\u201d");
	g_free(got);
	got = larch_text_decode(bad, strlen(bad), "utf-8", NULL, NULL);
	g_assert_cmpstr(got, ==, "Saludos,\nRa\u00fal \u2013 \u201cok\u201d");
	g_free(got);
	g_free(bad);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mojibake/repairs", test_repairs);
	g_test_add_func("/mojibake/keeps", test_keeps);
	g_test_add_func("/mojibake/c1", test_c1);
	g_test_add_func("/mojibake/mixed", test_mixed);
	g_test_add_func("/mojibake/decode", test_decode);
	return g_test_run();
}
