/*
 * Unit tests for lib/json_out.c: JSON text written without json-glib's
 * builder.  What it writes must parse with json-glib to the values given
 * (invalid UTF-8 repaired), and be what json-glib's own generator writes
 * for the same values, U+2028 and U+2029 apart (json_out.h says why).
 */
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "larch/json_out.h"

static const struct {
	const char *name, *in, *out;
} string_rows[] = {
	{ "plain ASCII", "The IGF meets in May.", "\"The IGF meets in May.\"" },
	{ "empty", "", "\"\"" },
	{ "quote and backslash", "say \"hi\" \\o/", "\"say \\\"hi\\\" \\\\o/\"" },
	{ "short escapes", "a\bb\fc\nd\re\tf", "\"a\\bb\\fc\\nd\\re\\tf\"" },
	{ "other controls", "\x01x\x1f", "\"\\u0001x\\u001f\"" },
	{ "non-ASCII passes", "café 中文", "\"café 中文\"" },
	{ "DEL is escaped, as json-glib does", "\x7f", "\"\\u007f\"" },
	{ "a slash passes", "a/b", "\"a/b\"" },
	{ "invalid UTF-8 repaired", "caf\xc3 x\xff",
	  "\"caf\xef\xbf\xbd x\xef\xbf\xbd\"" },
	{ "only escapes", "\"\"\n", "\"\\\"\\\"\\n\"" },
};

static void
test_json_out_strings(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(string_rows); i++) {
		GString *j = g_string_new(NULL);
		char *got;

		larch_json_str(j, NULL, string_rows[i].in);
		got = g_string_free(j, FALSE);
		g_test_message("%s", string_rows[i].name);
		g_assert_cmpstr(got, ==, string_rows[i].out);
		g_free(got);
	}
}

static void
test_json_out_structure(void)
{
	GString *j = g_string_new(NULL);
	char *got;

	larch_json_open(j);
	larch_json_array_open(j, "a");
	larch_json_int(j, NULL, 1);
	larch_json_int(j, NULL, G_MININT64);
	larch_json_bool(j, NULL, true);
	larch_json_raw(j, NULL, "null");
	larch_json_str(j, NULL, NULL);
	larch_json_str(j, NULL, "x");
	larch_json_open(j);
	larch_json_close(j);
	larch_json_array_close(j);
	larch_json_raw(j, "b\"", "");
	larch_json_open(j);
	larch_json_bool(j, "c", false);
	larch_json_str(j, "e", "\n");
	larch_json_str(j, "f", NULL);
	larch_json_int(j, "g", 7);
	larch_json_close(j);
	larch_json_array_open(j, "d");
	larch_json_array_close(j);
	larch_json_close(j);
	got = g_string_free(j, FALSE);
	g_assert_cmpstr(got, ==, "{\"a\":[1,-9223372036854775808,true,null,"
	    "null,\"x\",{}],\"b\\\"\":{\"c\":false,\"e\":\"\\n\","
	    "\"f\":null,\"g\":7},\"d\":[]}");
	g_free(got);
}

/* A random string of the pieces JSON escaping and UTF-8 repair care
 * about. */
static char *
random_text(GRand *r)
{
	static const char *const pieces[] = {
		"a", "Z", "0", " ", "\"", "\\", "/", "\b", "\f", "\n", "\r",
		"\t", "\x01", "\x1e", "\x1f", "\x7f", "é", "中", "😀",
		"\xc3", "\xff", "\xe4\xb8", "\xed\xa0\x80", "word ",
	};
	GString *s = g_string_new(NULL);
	int n = g_rand_int_range(r, 0, 40);

	for (int i = 0; i < n; i++)
		g_string_append(s, pieces[g_rand_int_range(r, 0,
		    G_N_ELEMENTS(pieces))]);
	return g_string_free(s, FALSE);
}

/* What json-glib's generator writes for an array of s and n. */
static char *
generated(const char *s, gint64 n)
{
	JsonBuilder *b = json_builder_new();
	JsonGenerator *gen = json_generator_new();
	JsonNode *root;
	char *text;

	json_builder_begin_array(b);
	json_builder_add_string_value(b, s);
	json_builder_add_int_value(b, n);
	json_builder_end_array(b);
	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	text = json_generator_to_data(gen, NULL);
	json_node_unref(root);
	g_object_unref(gen);
	g_object_unref(b);
	return text;
}

static void
test_json_out_random(void)
{
	GRand *r = g_rand_new_with_seed(20261123);

	for (int n = 0; n < 20000; n++) {
		char *in = random_text(r), *valid = g_utf8_make_valid(in, -1);
		gint64 num = (gint64)g_rand_int(r) - G_MAXINT32;
		GString *j = g_string_new(NULL);
		JsonParser *parser = json_parser_new();
		JsonArray *a;
		char *got;

		larch_json_array_open(j, NULL);
		larch_json_str(j, NULL, in);
		larch_json_int(j, NULL, num);
		larch_json_array_close(j);
		got = g_string_free(j, FALSE);
		g_assert_true(g_utf8_validate(got, -1, NULL));
		g_assert_true(json_parser_load_from_data(parser, got, -1,
		    NULL));
		a = json_node_get_array(json_parser_get_root(parser));
		g_assert_cmpstr(json_array_get_string_element(a, 0), ==, valid);
		g_assert_cmpint(json_array_get_int_element(a, 1), ==, num);
		/* json-glib 1.6 leaves U+001F unescaped, which JSON forbids;
		 * everything else it writes as json_out does. */
		if (strchr(valid, '\x1f') == NULL) {
			char *want = generated(valid, num);

			g_assert_cmpstr(got, ==, want);
			g_free(want);
		}
		g_object_unref(parser);
		g_free(got);
		g_free(valid);
		g_free(in);
	}
	g_rand_free(r);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/json_out/strings", test_json_out_strings);
	g_test_add_func("/json_out/structure", test_json_out_structure);
	g_test_add_func("/json_out/random", test_json_out_random);
	return g_test_run();
}
