/* Tests for larch_record_get_string() (lib/record_scan.c). */
#include <string.h>

#include "larch/record.h"

static const struct {
	const char *json;
	const char *key;
	const char *want;	/* NULL: not found */
} cases[] = {
	{ "{\"a\":\"x\",\"new_text\":\"hello\"}", "new_text", "hello" },
	{ "{\"new_text\":null}", "new_text", NULL },
	{ "{\"new_text\":12}", "new_text", NULL },
	{ "{}", "new_text", NULL },
	{ "", "new_text", NULL },
	/* the key's bytes inside another value are escaped, so not found */
	{ "{\"subject\":\"\\\"new_text\\\":\\\"no\\\"\",\"new_text\":\"yes\"}",
	    "new_text", "yes" },
	{ "{\"t\":\"a\\nb\\t\\\"c\\\" \\\\ \\/\"}", "t", "a\nb\t\"c\" \\ /" },
	{ "{\"t\":\"caf\\u00e9 \\ud83d\\ude00\"}", "t", "café 😀" },
	{ "{\"t\":\"lone \\ud800 x\"}", "t", "lone \xEF\xBF\xBD x" },
	{ "{\"t\":\"bad \\u12\"}", "t", NULL },
	{ "{\"t\":\"cut short", "t", NULL },
	{ "{\"t\":\"ends in a backslash\\", "t", NULL },
	{ "{\"t\": \"space\"}", "t", "space" },
};

static void
test_get_string(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *got = larch_record_get_string(cases[i].json,
		    strlen(cases[i].json), cases[i].key);

		if (g_strcmp0(got, cases[i].want) != 0)
			g_error("case %zu: got '%s', want '%s'", i,
			    got ? got : "(null)",
			    cases[i].want ? cases[i].want : "(null)");
		g_free(got);
	}
}

/* What the writer writes, the scanner reads back. */
static void
test_round_trip(void)
{
	struct larch_msg *m = larch_msg_new();
	char *json, *got;

	m->mid = g_strdup("a@x");
	m->new_text = g_strdup("Line one\n\"quoted\" \\ tab\t and ünïcödé\x01");
	json = larch_record_to_json(m);
	got = larch_record_get_string(json, strlen(json), "new_text");
	g_assert_cmpstr(got, ==, m->new_text);
	g_free(got);
	g_free(json);
	larch_msg_free(m);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/record-scan/get-string", test_get_string);
	g_test_add_func("/record-scan/round-trip", test_round_trip);
	return g_test_run();
}
