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

/* A header block that runs into text with no empty line between keeps
 * that text as the body, as Python's email package reads it (its test
 * msg_35, GNU mailutils' bigto); a damaged field with fields after it is
 * still a header line. */
static void
test_header_into_text(void)
{
	static const struct {
		const char *mail;
		const char *subject;
		const char *body;	/* NONE: no text */
	} rows[] = {
		{ "From: a@dom.ain\nSubject: here\ncounter to RFC 2822, "
		    "no newline\n", "here", "counter to RFC 2822, no newline" },
		{ "From: a@dom.ain\r\nSubject: crlf\r\nno blank line\r\n"
		    "second line\r\n\r\nlast\r\n", "crlf",
		    "no blank line\nsecond line\n\nlast" },
		/* a fold of one blank, then the text */
		{ "From: a@dom.ain\nSubject: New address\n \nHi all, my new "
		    "address\n\nPatrick\n", "New address",
		    "Hi all, my new address\n\nPatrick" },
		/* a fold that lost its blank: the fields after it count */
		{ "From: a@dom.ain\nTo: b@dom.ain,\nc@dom.ain\nSubject: kept\n"
		    "\nbody\n", "kept", "body" },
		{ "From: a@dom.ain\nSubject: well\n\nbody: a colon\n",
		    "well", "body: a colon" },
		{ "From: a@dom.ain\nSubject: only headers\n", "only headers",
		    NONE },
		/* the last line cut without its line end */
		{ "From: a@dom.ain\nSubject: cut\nsome text", "cut",
		    "some text" },
		{ "Subject: first\nthe text\nX-Not: a field after the text\n",
		    "first", NULL },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct larch_msg *m = parse_str(rows[i].mail);

		g_test_message("row %zu", i);
		check_str("subject", m->subject, rows[i].subject);
		check_str("body", m->body, rows[i].body);
		larch_msg_free(m);
	}
}

/* A mail of a text leaf under depth levels of multipart/mixed, or of
 * message/rfc822 when rfc822. */
static char *
nested_mail(int depth, bool rfc822)
{
	GString *mail = g_string_new("From: a@b.org\nSubject: deep\n"
	    "MIME-Version: 1.0\n");

	for (int i = 0; i < depth; i++) {
		if (rfc822)
			g_string_append(mail, "Content-Type: message/rfc822\n"
			    "\nFrom: c@d.org\nSubject: inner\n"
			    "MIME-Version: 1.0\n");
		else
			g_string_append_printf(mail, "Content-Type: "
			    "multipart/mixed; boundary=\"b%d\"\n\n--b%d\n",
			    i, i);
	}
	g_string_append(mail, "Content-Type: text/plain\n\ndeep leaf text\n");
	for (int i = depth - 1; i >= 0 && !rfc822; i--)
		g_string_append_printf(mail, "--b%d--\n", i);
	return g_string_free(mail, FALSE);
}

/* Parts nested past the walk's limit are not read, and the message says
 * so (the writer logs it); a tree too deep for GMime never gives its
 * boundary lines and part headers as the text. */
static void
test_deep_mime(void)
{
	static const struct {
		int depth;
		bool rfc822;
		bool cut;
	} rows[] = {
		{ 63, false, false }, { 65, false, true }, { 200, false, true },
		{ 1000, false, true }, { 300, true, true },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		char *mail = nested_mail(rows[i].depth, rows[i].rfc822);
		struct larch_msg *m = parse_str(mail);

		g_test_message("depth %d", rows[i].depth);
		g_assert_cmpint(m->mime_cut, ==, rows[i].cut);
		if (!rows[i].cut && !rows[i].rfc822)
			check_str("body", m->body, "deep leaf text");
		else if (!rows[i].rfc822)
			check_str("body", m->body, NONE);
		larch_msg_free(m);
		g_free(mail);
	}
}

/* Text that only shows many multipart headers (a pasted mbox) is text:
 * not MIME structure, nothing is cut. */
static void
test_container_lines_in_text(void)
{
	GString *mail = g_string_new("From: a@b.org\nSubject: pasted\n\n");
	struct larch_msg *m;

	for (int i = 0; i < 600; i++)
		g_string_append(mail, "Content-Type: multipart/mixed\n");
	m = parse_str(mail->str);
	g_assert_false(m->mime_cut);
	g_assert_nonnull(m->body);
	g_assert_true(g_str_has_prefix(m->body, "Content-Type: multipart"));
	larch_msg_free(m);
	g_string_free(mail, TRUE);
}

/* A mail whose text part declares charset and whose attachment has
 * the header lines headers. */
static char *
attachment_mail(const char *charset, const char *headers)
{
	return g_strdup_printf("From: a@example.com\nSubject: names\n"
	    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n"
	    "\n--b\nContent-Type: text/plain; charset=%s\n\ntext\n"
	    "--b\n%s\nfile body\n--b--\n", charset, headers);
}

/* Raw 8-bit file names (Eudora's) are read in the message's charset,
 * like its other raw 8-bit header text; GMime gave '?' for them. */
static void
test_8bit_filename(void)
{
	static const struct {
		const char *charset;	/* the text part's */
		const char *headers;	/* the attachment's */
		const char *filename;
	} rows[] = {
		{ "iso-8859-1", "Content-Type: text/plain; name=\"Fr\xf6sche"
		    ".txt\"\nContent-Disposition: attachment; filename=\"Hasen"
		    "undFr\xf6sche.txt\"", "HasenundFr\xc3\xb6sche.txt" },
		/* the type's name alone, unquoted */
		{ "koi8-r", "Content-Type: application/octet-stream; name="
		    "\xf0\xd2\xc9\xd7\xc5\xd4.bin",
		    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82.bin" },
		/* quoting backslashes, another parameter first, folded */
		{ "iso-8859-1", "Content-Type: text/plain\n"
		    "Content-Disposition: attachment; size=9;\n filename="
		    "\"a\\\"b\xe9.txt\"",
		    "a\"b\xc3\xa9.txt" },
		/* the disposition's RFC 2231 name wins over the type's */
		{ "iso-8859-1", "Content-Type: text/plain; name=\"x\xe9.txt\"\n"
		    "Content-Disposition: attachment; filename*=utf-8''"
		    "%C3%A9t%C3%A9.txt", "\xc3\xa9t\xc3\xa9.txt" },
		/* UTF-8 needs nothing */
		{ "iso-8859-1", "Content-Disposition: attachment; filename="
		    "\"\xc3\xa9.txt\"", "\xc3\xa9.txt" },
		{ "us-ascii", "Content-Disposition: attachment; filename=\"\"",
		    NONE },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		char *mail = attachment_mail(rows[i].charset, rows[i].headers);
		struct larch_msg *m = parse_str(mail);

		g_test_message("row %zu", i);
		check_str("filename", attachment(m, 0)->filename,
		    rows[i].filename);
		larch_msg_free(m);
		g_free(mail);
	}
}

/* An encoded word that cannot be decoded is shown as it is (RFC 2047,
 * 6.3), not as the garbage its bytes decode to. */
static void
test_bad_encoded_word(void)
{
	static const struct {
		const char *subject;	/* raw */
		const char *want;
	} rows[] = {
		{ "=?utf-8?B?!!!notbase64?=", "=?utf-8?B?!!!notbase64?=" },
		{ "a =?utf-8?b?w6k*?= b", "a =?utf-8?b?w6k*?= b" },
		/* padding missing, or there */
		{ "=?utf-8?B?w6k?=", "\xc3\xa9" },
		{ "=?utf-8?B?w6k=?= =?UTF-8?b?w6k=?=", "\xc3\xa9\xc3\xa9" },
		{ "=?utf-8?Q?caf=C3=A9!?=", "caf\xc3\xa9!" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		char *mail = g_strdup_printf("From: a@example.com\n"
		    "Subject: %s\n\ntext\n", rows[i].subject);
		struct larch_msg *m = parse_str(mail);

		g_test_message("row %zu", i);
		check_str("subject", m->subject, rows[i].want);
		larch_msg_free(m);
		g_free(mail);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	larch_parse_init();
	g_test_add_func("/parse-edges/html-attachment", test_html_attachment);
	g_test_add_func("/parse-edges/header-into-text",
	    test_header_into_text);
	g_test_add_func("/parse-edges/deep-mime", test_deep_mime);
	g_test_add_func("/parse-edges/container-lines-in-text",
	    test_container_lines_in_text);
	g_test_add_func("/parse-edges/8bit-filename", test_8bit_filename);
	g_test_add_func("/parse-edges/bad-encoded-word",
	    test_bad_encoded_word);
	return g_test_run();
}
