/* Tests for lib/fingerprint.c: copies of one message share fingerprints. */
#include <stdbool.h>
#include <string.h>

#include <glib.h>

#include "larch/fingerprint.h"

struct fp {
	char text[17];
	char ascii[17];
	uint32_t len;
	char shape[17];
	char byte_shape[17];
	uint32_t shape_len;
};

static struct fp
fingerprint_len(const char *body, size_t len)
{
	struct larch_msg *m = larch_msg_new();
	struct fp f;

	larch_fingerprint(body, len, m);
	memcpy(f.text, m->text_hash, sizeof f.text);
	memcpy(f.ascii, m->ascii_hash, sizeof f.ascii);
	f.len = m->ascii_len;
	memcpy(f.shape, m->shape_hash, sizeof f.shape);
	memcpy(f.byte_shape, m->byte_shape_hash, sizeof f.byte_shape);
	f.shape_len = m->shape_len;
	larch_msg_free(m);
	return f;
}

static struct fp
fingerprint(const char *body)
{
	return fingerprint_len(body, body != NULL ? strlen(body) : 0);
}

#define BASE "Hello Jane,\n\nthe build fails on arm64.\nCall me.\n"
#define FOOTER "_______________________________________________\n" \
	"dev mailing list\ndev@lists.example.org\n" \
	"https://lists.example.org/mailman/listinfo/dev\n\n"

/* Each row holds two bodies that must (or must not) share a fingerprint. */
static const struct {
	const char *name;
	const char *a;
	const char *b;
	bool same_text;		/* text_hash equal */
	bool same_ascii;	/* ascii_hash and ascii_len equal */
} rows[] = {
	{ "identical", BASE, BASE, true, true },
	{ "rewrapped", BASE, "Hello Jane, the build\nfails on arm64. Call me.",
	    true, true },
	{ "punctuation and case", BASE,
	    "hello JANE -- the build fails on ARM64!!! call me", true, true },
	{ "mailman 2 footer", BASE,
	    BASE "\n_______________________________________________\n"
	    "dev mailing list\ndev@lists.example.org\n"
	    "https://lists.example.org/mailman/listinfo/dev\n", true, true },
	{ "mailman 2 footer, no trailing newline", BASE,
	    BASE "_______________________________________________\n"
	    "dev mailing list\ndev@lists.example.org\n"
	    "https://lists.example.org/mailman/listinfo/dev", true, true },
	{ "mailman 3 footer", BASE,
	    BASE "_______________________________________________\n"
	    "dev mailing list -- dev@lists.example.org\n"
	    "To unsubscribe send an email to dev-leave@lists.example.org\n"
	    "Fedora Code of Conduct: https://example.org/coc\n"
	    "List Archives: https://lists.example.org/archives/dev\n",
	    true, true },
	{ "google groups footer", BASE,
	    BASE "\n-- \nYou received this message because you are "
	    "subscribed to the Google Groups \"dev\" group.\n"
	    "To unsubscribe from this group and stop receiving emails "
	    "from it, send an email to dev+unsubscribe@googlegroups.com.\n"
	    "To view this discussion on the web visit https://groups."
	    "google.com/d/msgid/dev/x.\n", true, true },
	{ "two footers", BASE,
	    BASE "-- \nYou received this message because you are "
	    "subscribed to the Google Groups \"dev\" group.\n"
	    "_______________________________________________\n"
	    "dev mailing list\ndev@lists.example.org\n"
	    "https://lists.example.org/mailman/listinfo/dev\n", true, true },
	/* An Outlook full-quote chain ends in the quoted messages' footers:
	 * pipermail's copy has those, the delivered copy one more. */
	{ "a chain of five footers and of four", BASE FOOTER FOOTER FOOTER
	    FOOTER, BASE FOOTER FOOTER FOOTER FOOTER FOOTER, true, true },
	{ "pipermail scrubber", BASE,
	    BASE "-------------- next part --------------\n"
	    "An HTML attachment was scrubbed...\nURL: <http://x/y.html>\n",
	    true, true },
	{ "html-only message scrubbed by two lists",
	    "An HTML attachment was scrubbed...\nURL: https://lists.example."
	    "org/pipermail/users/attachments/20130522/3e5343ca/attachment.htm"
	    " \n",
	    "\nAn HTML attachment was scrubbed...\nURL: <https://lists."
	    "example.org/pipermail/dev/attachments/20130522/3e5343ca/"
	    "attachment.html>\n", true, true },
	{ "scrubbed attachment under text", BASE,
	    BASE "\nA non-text attachment was scrubbed...\nName: a.pdf\n"
	    "Type: application/pdf\nSize: 1234 bytes\nDesc: not available\n"
	    "URL: <http://x/a.pdf>\n", true, true },
	{ "the words in prose are text", BASE,
	    BASE "A file was scrubbed...\nand I wonder why.\n", false, false },
	{ "obfuscated address", "Write to jane@example.org today.",
	    "Write to jane at example.org today.", true, true },
	{ "obfuscated address at a line break", "Write to jane at\n"
	    "example.org today.", "Write to jane@example.org today.",
	    true, true },
	{ "obfuscated address, line broken before", "Saw 0x43c6\nat "
	    "src/index/c.c:12", "Saw 0x43c6 at src/index/c.c:12", true, true },
	{ "a lone at anywhere, joined and wrapped", "at noon we meet at\r\n"
	    "the at-desk at", "at noon we\tmeet at the at-desk at\n", true,
	    true },
	{ "at inside words is text", "the cat sat at home",
	    "the c sat at home", false, false },
	{ "escaped From line", "Hi\nFrom the start.\n",
	    "Hi\n>From the start.\n", true, true },
	{ "non-ascii lost", "Caf\xc3\xa9 au lait is ready, "
	    "Fran\xc3\xa7ois.", "Caf? au lait is ready, Fran?ois.",
	    false, true },
	{ "different text", BASE, "Hello Jane,\n\nthe build works.\n",
	    false, false },
	{ "quoted footer is text", BASE,
	    BASE "> ___________________________________________\n"
	    "> dev mailing list\n> more\n", false, false },
	{ "footer-like lines before more text", BASE,
	    BASE "_______________________________________________\n"
	    "dev mailing list\nand then the author goes on\n"
	    "1\n2\n3\n4\n5\n6\n7\n", false, false },
	{ "empty and whitespace", "", " \n\t\n", true, true },
	{ "empty and NULL", "", NULL, true, true },
};

static void
test_rows(void)
{
	larch_fingerprint_init();
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct fp a = fingerprint(rows[i].a);
		struct fp b = fingerprint(rows[i].b);

		g_test_message("row %s", rows[i].name);
		g_assert_cmpuint(strlen(a.text), ==, 16);
		g_assert_cmpuint(strlen(a.ascii), ==, 16);
		g_assert_cmpuint(strspn(a.text, "0123456789abcdef"), ==, 16);
		if (rows[i].same_text)
			g_assert_cmpstr(a.text, ==, b.text);
		else
			g_assert_cmpstr(a.text, !=, b.text);
		if (rows[i].same_ascii) {
			g_assert_cmpstr(a.ascii, ==, b.ascii);
			g_assert_cmpuint(a.len, ==, b.len);
		} else {
			g_assert_cmpstr(a.ascii, !=, b.ascii);
		}
	}
}

/*
 * The shape: pipermail writes each character its list's charset lacks as
 * one '?'.  Each row is a UTF-8 copy and what such an archive made of it.
 */
static const struct {
	const char *name;
	const char *a;
	const char *b;
	bool same;
} shape_rows[] = {
	{ "russian in an english list's archive",
	    "\xd0\x94\xd0\xbe\xd0\xb1\xd1\x80\xd1\x8b\xd0\xb9 "
	    "\xd0\xb4\xd0\xb5\xd0\xbd\xd1\x8c, Bj\xc3\xb6rn! "
	    "\xd0\x9a\xd0\xb0\xd0\xba \xd0\xb4\xd0\xb5\xd0\xbb\xd0"
	    "\xb0? version 2.1 \xe2\x80\x94 ok\n",
	    "?????? ????,\nBj?rn! ??? ????? version 2.1 ? ok", true },
	{ "koi8-r archive: only the name's letter lost",
	    "\xd0\x94\xd0\xbe\xd0\xb1\xd1\x80\xd1\x8b\xd0\xb9 "
	    "Bj\xc3\xb6rn", "\xd0\x94\xd0\xbe\xd0\xb1\xd1\x80\xd1\x8b"
	    "\xd0\xb9 Bj?rn", true },
	{ "an emoji is one character", "ok \xf0\x9f\x91\x8d thanks",
	    "ok ? thanks", true },
	{ "or one '?' a byte", "ok \xf0\x9f\x91\x8d thanks "
	    "\xe5\x8f\x91\xe8\x87\xaa\xe6\x88\x91\xe7\x9a\x84iPhone",
	    "ok ???? thanks ????????????iPhone", true },
	{ "other word breaks", "?????? ????", "??? ??? ????", false },
	{ "a question mark is not a word break", "why? not", "why not",
	    false },
	{ "different ascii", "?????? ???? version 2", "?????? ???? "
	    "version 3", false },
};

static void
test_shape(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(shape_rows); i++) {
		struct fp a = fingerprint(shape_rows[i].a);
		struct fp b = fingerprint(shape_rows[i].b);

		g_test_message("row %s", shape_rows[i].name);
		/* An ASCII copy's two shapes are one. */
		if (g_str_is_ascii(shape_rows[i].b))
			g_assert_cmpstr(b.shape, ==, b.byte_shape);
		g_assert_cmpint(strcmp(a.shape, b.shape) == 0 ||
		    strcmp(a.byte_shape, b.byte_shape) == 0, ==,
		    shape_rows[i].same);
	}
	/* Every character counts once, whatever its script. */
	g_assert_cmpuint(fingerprint("Ab1 \xc3\xa9\xe4\xb8\xad !? x?y")
	    .shape_len, ==, 9);
}

static void
test_counts(void)
{
	struct fp f = fingerprint("Ab1 \xc3\xa9\xe4\xb8\xad !?");

	/* A, b, 1 count; the accented and CJK letters only for text. */
	g_assert_cmpuint(f.len, ==, 3);
	f = fingerprint("\xe4\xb8\xad\xe6\x96\x87");
	g_assert_cmpuint(f.len, ==, 0);
	g_assert_cmpstr(f.text, !=, fingerprint("").text);
	g_assert_cmpstr(f.ascii, ==, fingerprint("").ascii);
}

static void
test_adversarial(void)
{
	/* Invalid UTF-8, NUL-free but broken: must not crash. */
	static const char bad[] = "ab\xff\xfe\xc3 cd\xe4\xb8";
	GString *big = g_string_new(NULL);
	struct fp f;

	f = fingerprint_len(bad, sizeof bad - 1);
	g_assert_cmpuint(f.len, ==, 4);
	/* A 2 MB line and many footer-looking lines. */
	for (int i = 0; i < 2 * 1024 * 1024; i++)
		g_string_append_c(big, i % 3 == 0 ? ' ' : 'x');
	for (int i = 0; i < 10000; i++)
		g_string_append(big, "\n____________________________\n"
		    "mailing list\n");
	f = fingerprint_len(big->str, big->len);
	g_assert_cmpuint(f.len, >, 1000000);
	g_string_free(big, TRUE);
}

static gpointer
thread_main(gpointer data)
{
	struct fp *want = data;

	for (int i = 0; i < 200; i++) {
		struct fp f = fingerprint(BASE "Write to jane at example.org");

		g_assert_cmpstr(f.text, ==, want->text);
	}
	return NULL;
}

static void
test_threads(void)
{
	struct fp want = fingerprint(BASE "Write to jane at example.org");
	GThread *t[4];

	for (int i = 0; i < 4; i++)
		t[i] = g_thread_new("fp", thread_main, &want);
	for (int i = 0; i < 4; i++)
		g_thread_join(t[i]);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/fingerprint/rows", test_rows);
	g_test_add_func("/fingerprint/shape", test_shape);
	g_test_add_func("/fingerprint/counts", test_counts);
	g_test_add_func("/fingerprint/adversarial", test_adversarial);
	g_test_add_func("/fingerprint/threads", test_threads);
	return g_test_run();
}
