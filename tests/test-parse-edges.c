/*
 * Tests for the message parser (lib/parse*.c) on odd mail that other
 * projects' test corpora hold: HTML attachments, headers run into the
 * body, nesting past the walk's limit, raw 8-bit file names, broken
 * encoded words.  Written inline, one mail per row or case.
 */
#include <string.h>

#include <glib.h>

#include "larch/parse.h"
#include "test-parse-util.h"

static struct larch_msg *
parse_str(const char *mail)
{
	return parse_opts(mail, strlen(mail), NULL);
}

static const struct larch_attachment *
attachment(const struct larch_msg *m, guint i)
{
	g_assert_cmpuint(m->attachments->len, >, i);
	return m->attachments->pdata[i];
}

/* An HTML attachment's text is what a reader sees: not its tag names,
 * nor its attribute values (notmuch's html/attribute-text). */
static void
test_html_attachment(void)
{
	struct larch_msg *m = parse_str("From: a@example.net\n"
	    "Subject: html attachment\nMIME-Version: 1.0\n"
	    "Content-Type: text/html\n"
	    "Content-Disposition: inline; filename=test.html\n\n"
	    "<html>\n  <body>\n    <input value=\"a>swordfish\">\n"
	    "  </body>\n  hunter2 &amp; co\n</html>\n");
	const struct larch_attachment *a = attachment(m, 0);

	check_str("filename", a->filename, "test.html");
	check_str("text", a->text, "hunter2 & co\n");
	larch_msg_free(m);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	larch_parse_init();
	g_test_add_func("/parse-edges/html-attachment", test_html_attachment);
	return g_test_run();
}
