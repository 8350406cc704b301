/*
 * Tests for the message parser (lib/parse*.c, lib/html.c): hand-written
 * fixtures in tests/data/parse/, generated adversarial input, and, when
 * $LARCH_SHARED/corpora exists, every real message there.
 */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "larch/parse.h"
#include "larch/quote.h"
#include "test-parse-util.h"
#include "test-util.h"

/* ---- fixtures, one row each ------------------------------------------- */

static const struct row {
	const char *file;
	bool pipermail;
	const char *mid;
	const char *header_mid;
	const char *from_addr;
	const char *from_name;
	const char *subject;
	int64_t date;		/* -1: not checked */
	const char *in_reply_to;
	int refs;		/* -1: not checked */
	int attachments;	/* -1: not checked */
	const char *body_has;
	const char *body_lacks;
} rows[] = {
	{ "plain-crlf.eml", false, "Part1.ABC@mail.example.org",
	    "Part1.ABC@mail.example.org", "alice@example.org",
	    "Alice Example", "A folded subject line", 1614679200,
	    "parent@example.org", 2, 0, "Hello list,\n\nthis is the body.",
	    "\r" },
	{ "rfc2047.eml", false, "rfc2047@example.de", NULL,
	    "joerg@example.de", "J\xc3\xb6rg M\xc3\xbcller",
	    "R\xc3\xa9sum\xc3\xa9 and \xe2\x82\xac" "caf\xc3\xa9", 1614758400,
	    NONE, 0, 0, "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln und Bonn.",
	    NULL },
	{ "raw8bit-headers.eml", false, "raw8@example.de", NULL,
	    "juergen@example.de", "J\xc3\xbcrgen R\xc3\xa4tsel",
	    "Gr\xc3\xbc\xc3\x9f" "e vom Bodensee", -1, NONE, 0, 0,
	    "K\xc3\xb6rper ohne Zeichensatz.", NULL },
	{ "html-only.eml", false, "html-only@example.com", NULL,
	    "html@example.com", "Html Writer", "html only", -1, NONE, 0, 0,
	    "First paragraph with extra spaces & an entity "
	    "\xc3\xa9t\xc3\xa9 \xc3\xa9<3>.", "Ignored title" },
	{ "alternative-footer.eml", false, "alt@example.com", NULL,
	    "carol@example.com", "Carol", "[dev] alternative", -1, NONE, 0, 0,
	    "Plain version of the text.\n\n______", "HTML version" },
	{ "dmarc-wrapped.eml", false, "mailman.1.2.dev@lists.example.org",
	    "mailman.1.2.dev@lists.example.org", "jan@3e8.example",
	    "Jan Hoffmann", "[PATCH] add factory image", 1557947421,
	    "cover.1@3e8.example", 0, 1,
	    "This uses the existing rules for factory images.",
	    "DMARC" },
	/* the author forwards his own older mail through a "via" list: his
	 * note is the text, the outer subject the subject */
	{ "via-forward-own.eml", false, "fwd-own@3e8.example", NULL,
	    "jan@3e8.example", "Jan Hoffmann", "[Dev] Fwd: devroom proposal",
	    1557997200, NONE, 0, 1,
	    "Resending my proposal from last year", NULL },
	{ "forwarded.eml", false, "fwd@example.com", NULL, "erin@example.com",
	    "Erin", "Fwd: interesting", -1, NONE, 0, 1,
	    "See the attached message.", "Original text" },
	{ "via-replyto.eml", false, "via1@samba.example", NULL,
	    "jra@samba.example", "Jeremy Allison", "Re: smbd crash", -1,
	    NONE, 0, 0, "Fixed in master.", NULL },
	{ "via-encoded-cc.eml", false, "via2@vdorst.example", NULL,
	    "rene@vdorst.example", "Ren\xc3\xa9 van Dorst", "Re: MDIO", -1,
	    NONE, 0, 0, "Reply text.", NULL },
	{ "via-quoted.eml", false, "via3@doe.example", NULL,
	    "jane@doe.example", "Jane Doe", "question", -1, NONE, 0, 0,
	    "Question text.", NULL },
	{ "pipermail-new.txt", true, "child@twistedmatrix.com", NULL,
	    "glyph@twistedmatrix.com", "Glyph Lefkowitz",
	    "[Twisted-web] Re: nevow question", 1120187133,
	    "parent@example.com", 2, 0, "Write to foo at example.com", NULL },
	/* a multipart body archived without its Content-Type: its text
	 * part is the text, the signature an attachment */
	{ "pipermail-lost-multipart.txt", true,
	    "20020912.173446.115939307.washort@example.com", NULL,
	    "washort@example.com", "Allen Short",
	    "[Divunal-author] verbs and components", 1031870086, NONE, 0, 1,
	    "Containment verbs should accept any Thing as their target.",
	    "Content-Type" },
	/* pipermail keeps a quoted-printable body as it was sent but not
	 * the header that said so: the escapes and soft breaks are undone,
	 * but only in text where every '=' is one of them */
	{ "pipermail-qp.txt", true, "pm-qp@example.com", NULL,
	    "andy@example.com", "Andy Fundinger", "[Twisted-web] Re: hosting",
	    -1, NONE, 0, 0, "multilangDict = {'de': \"Die Passw\xc3\xb6rter\"}",
	    "=3D" },
	{ "pipermail-not-qp.txt", true, "pm-not-qp@example.com", NULL,
	    "bob@example.com", "Bob", "[Twisted-web] config", -1, NONE, 0, 0,
	    "CFLAGS=\nLDFLAGS=\nMAGIC=3D", NULL },
	{ "pipermail-not-qp-ctl.txt", true, "pm-not-qp-ctl@example.com",
	    NULL, "dave@example.com", "Dave", "[Twisted-web] datetime format",
	    -1, NONE, 0, 0, "format 'GMT; length=10208'", NULL },
	{ "pipermail-not-qp-code.txt", true, "pm-not-qp-code@example.com",
	    NULL, "carol@example.com", "Carol", "[Twisted-web] url escapes",
	    -1, NONE, 0, 0, "a?q=3D1&r=20 and", NULL },
	{ "pipermail-old.txt", true, NULL, NONE, "glyph@divunal.com",
	    "Glyph Lefkowitz", "[Divunal-list] author efficiency", 933735471,
	    NONE, 0, 0, "no charset: na\xc3\xafve.", NULL },
	{ "attachments.eml", false, "att@example.com", NULL,
	    "grace@example.com", "Grace", "attachments", -1, NONE, 0, 6,
	    "Body before the attachments.", "+new" },
	{ "broken-boundary.eml", false, "broken@example.com", NULL,
	    "heidi@example.com", "Heidi", "broken", -1, NONE, 0, 0,
	    "This text sits where the first part should be.", NULL },
	{ "unterminated.eml", false, "unterminated@example.com", NULL,
	    "ivan@example.com", "Ivan", "unterminated", -1, NONE, 0, 0,
	    "Inner text without closing boundaries.", NULL },
	{ "dup-ids.eml", false, "First@example.com", "First@example.com",
	    "judy@example.com", "Judy", "two ids", -1, NONE, 2, 0, "Body.",
	    NULL },
	{ "no-id.eml", false, NULL, NONE, "karl@example.com", "Karl",
	    "no id", 1615626000, NONE, 0, 0, "Same body in two forms.", NULL },
	{ "date-1945.eml", false, "d1945@example.com", NULL,
	    "x@example.com", NONE, "old", 1615701600, NONE, 0, 0, "x", NULL },
	{ "date-future.eml", false, "dfuture@example.com", NULL,
	    "x@example.com", NONE, "future", 0, NONE, 0, 0, "x", NULL },
	{ "date-garbage.eml", false, "dgarbage@example.com", NULL,
	    "x@example.com", NONE, "garbage", 0, NONE, 0, 0, "x", NULL },
	{ "copy-mbox.eml", false, "copy@example.org", NULL, "zoe@example.org",
	    "Zo\xc3\xab Example", "[dev] Re: build caf\xc3\xa9", 1615888800,
	    NONE, 0, 0, "Mail me at zoe@example.org if it breaks again, or\n"
	    "From what I know", NULL },
	{ "copy-pipermail.txt", true, "copy@example.org", NULL,
	    "zoe@example.org", "Zo? Example", NULL, -1, NONE, 0, 0,
	    /* pipermail's ">From" mangling undone */
	    "again, or\nFrom what I know", NULL },
	/* Raw 8-bit headers read in the charset of the message's text,
	 * not guessed each alone: a short name or subject reads as well in
	 * a wrong charset as in its own.  pipermail declares none: the
	 * guess judges the headers and the text together. */
	{ "pipermail-big5.txt", true, "pm-big5@example.tw", NULL,
	    "chen@example.tw", "\xe9\x99\xb3\xe7\xbe\x8e\xe8\x8f\xaf",
	    "\xe5\x95\x8f\xe9\xa1\x8c", -1, NONE, 0, 0,
	    "\xe8\xab\x8b\xe5\x95\x8f\xe4\xb8\x8b\xe9\x80\xb1", NULL },
	/* A short text of its own is judged with its headers too. */
	{ "pipermail-big5-short.txt", true, "pm-big5-short@example.tw", NULL,
	    "zhang@example.tw", "\xe5\xbc\xb5\xe5\xbf\x97\xe5\xbc\xb7",
	    "\xe5\x9b\x9e\xe8\xa6\x86\xef\xbc\x9a\xe6\x9c\x83\xe8\xad"
	    "\xb0\xe6\x99\x82\xe9\x96\x93", -1, NONE, 0, 0,
	    "\xe4\xb8\x8b\xe9\x80\xb1\xe4\xba\x8c\xe4\xb8\x8b\xe5\x8d"
	    "\x88\xe4\xb8\x89\xe9\xbb\x9e\xe5\x8f\xaf\xe4\xbb\xa5\xe5"
	    "\x97\x8e\xef\xbc\x9f", NULL },
	{ "pipermail-gb.txt", true, "pm-gb@example.cn", NULL,
	    "huang@example.cn", "\xe9\xbb\x84\xe6\xb7\x91\xe8\x8a\xac",
	    "\xe9\x97\xae\xe9\xa2\x98", -1, NONE, 0, 0, NULL, NULL },
	{ "pipermail-koi8.txt", true, "pm-koi8@example.ru", NULL,
	    "petr@example.ru", "\xd0\x9f\xd1\x91\xd1\x82\xd1\x80",
	    "\xd0\x92\xd1\x81\xd1\x82\xd1\x80\xd0\xb5\xd1\x87\xd0\xb0",
	    -1, NONE, 0, 0, NULL, NULL },
	/* The charset the text part declares (old clients wrote raw
	 * headers in it), spelt as iconv does not know it too. */
	{ "raw-big5-declared.eml", false, "raw-big5@example.tw", NULL,
	    "wang@example.tw", "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e",
	    "\xe7\xb9\x81\xe9\xab\x94\xe4\xb8\xad\xe6\x96\x87", -1,
	    NONE, 0, 0, "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e", NULL },
	{ "raw-koi8-declared.eml", false, "raw-koi8@example.ru", NULL,
	    "petr@example.ru", "\xd0\x9f\xd1\x91\xd1\x82\xd1\x80",
	    "\xd0\x92\xd1\x81\xd1\x82\xd1\x80\xd0\xb5\xd1\x87\xd0\xb0",
	    -1, NONE, 0, 0, "\xd0\x9f\xd1\x91\xd1\x82\xd1\x80", NULL },
	{ "raw-latin1-declared.eml", false, "raw-latin1@example.de", NULL,
	    "joerg@example.de", "J\xc3\xb6rg", "Gr\xc3\xbc\xc3\x9f" "e", -1,
	    NONE, 0, 0, "Gr\xc3\xbc\xc3\x9f" "e J\xc3\xb6rg", NULL },
	/* ISO-2022-JP as Windows writes it, with NEC row 13 ("①", "㈱"),
	 * an IBM character ("髙") and half-width katakana: nothing after
	 * them is lost, in the headers or the text. */
	{ "iso-2022-jp-windows.eml", false, "cp50220@example.jp", NULL,
	    "takahashi@example.jp",
	    "\xe9\xab\x99\xe6\xa9\x8b \xe4\xb8\x80\xe9\x83\x8e",
	    "\xe8\xad\xb0\xe9\xa1\x8c\xe2\x91\xa0 \xe6\x97\xa5\xe7\xa8"
	    "\x8b", -1, NONE, 0, 0,
	    "\xe3\x88\xb1\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88\xe3\x81"
	    "\xae\xe9\xab\x99\xe6\xa9\x8b\xe3\x81\xa7\xe3\x81\x99\xe3"
	    "\x80\x82\n\xef\xbd\xb1 ok", "$" },
};

static void
test_fixtures(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		const struct row *r = &rows[i];
		struct larch_msg *m;

		g_test_message("fixture %s", r->file);
		m = parse_file(r->file, r->pipermail);
		check_str("mid", m->mid, r->mid);
		check_str("header_mid", m->header_mid, r->header_mid);
		check_str("from_addr", m->from_addr, r->from_addr);
		check_str("from_name", m->from_name, r->from_name);
		check_str("subject", m->subject, r->subject);
		check_str("in_reply_to", m->in_reply_to, r->in_reply_to);
		if (r->date >= 0)
			g_assert_cmpint(m->date, ==, r->date);
		if (r->refs >= 0)
			g_assert_cmpint(m->references->len, ==, r->refs);
		if (r->attachments >= 0)
			g_assert_cmpint(m->attachments->len, ==,
			    r->attachments);
		if (r->body_has != NULL && (m->body == NULL ||
		    strstr(m->body, r->body_has) == NULL))
			g_error("body lacks '%s': '%s'", r->body_has,
			    m->body != NULL ? m->body : "(null)");
		if (r->body_lacks != NULL && m->body != NULL &&
		    strstr(m->body, r->body_lacks) != NULL)
			g_error("body has '%s'", r->body_lacks);
		larch_msg_free(m);
	}
}

/* ---- details that one row cannot say ----------------------------------- */

static void
test_headers(void)
{
	struct larch_msg *m = parse_file("plain-crlf.eml", false);

	g_assert_cmpstr(m->list_id, ==, "dev.lists.example.net");
	g_assert_cmpstr(m->to, ==,
	    "dev@lists.example.net, Bob <bob@example.net>");
	g_assert_null(m->cc);
	g_assert_cmpstr(m->references->pdata[0], ==, "root@example.org");
	g_assert_cmpstr(m->references->pdata[1], ==, "parent@example.org");
	larch_msg_free(m);

	m = parse_file("rfc2047.eml", false);
	g_assert_cmpstr(m->to, ==, "\"Fran\xc3\xa7ois\" <fr@example.fr>, "
	    "\xe6\x9d\x8e\xe6\x98\x8e <li@example.cn>");
	larch_msg_free(m);

	m = parse_file("alternative-footer.eml", false);
	g_assert_cmpstr(m->list_id, ==, "dev.lists.example.net");
	larch_msg_free(m);
}

static void
test_charsets(void)
{
	static const char *const lines[] = {
		"true: caf\xc3\xa9",
		"unicode20: na\xc3\xafve",
		"xunknown: d\xc3\xa9j\xc3\xa0 vu",
		"latinlie: Z\xc3\xbcrich",
		"gb: \xe4\xb8\xad\xe6\x96\x87",
		"utf8junk: ok \xc3\xbf\xc3\xbe end",
		"ascii8bit: \xe2\x80\x9cquoted\xe2\x80\x9d",
		"cp1252: \xe2\x82\xac 5",
		"utf16: \xce\xa9",
	};
	struct larch_msg *m = parse_file("charset-lies.eml", false);
	char **got = g_strsplit(m->body, "\n\n", -1);

	g_assert_cmpuint(g_strv_length(got), ==, G_N_ELEMENTS(lines));
	for (size_t i = 0; i < G_N_ELEMENTS(lines); i++)
		g_assert_cmpstr(got[i], ==, lines[i]);
	g_strfreev(got);
	larch_msg_free(m);
}

/* UTF-16 and UTF-32 labels: 8-bit text labelled so is read as what it
 * is, and a text without a byte order mark is big-endian (RFC 2781). */
static void
test_wide_charsets(void)
{
	static const struct {
		const char *subject, *type, *cte, *body;
		const char *want_subject, *want_body;
	} cases[] = {
		{ "a", "text/plain; charset=utf-16", "8bit",
		    "plain ascii text here\n", "a", "plain ascii text here" },
		{ "a", "text/plain; charset=UTF-32", "8bit",
		    "plain text\n", "a", "plain text" },
		{ "a", "text/plain; charset=utf-16", "8bit",
		    "odd", "a", "odd" },
		{ "a", "text/plain; charset=utf-16le", "8bit",
		    "caf\xc3\xa9 latte\n", "a", "caf\xc3\xa9 latte" },
		{ "a", "text/plain; charset=utf-16", "base64",
		    "AGEAYgBjAAo=", "a", "abc" },
		{ "a", "text/plain; charset=utf-16", "base64",
		    "//5hAGIAYwAKAA==", "a", "abc" },
		{ "a", "text/plain; charset=utf-32", "base64",
		    "AAAAYQAAAGIAAAAK", "a", "ab" },
		{ "=?utf-16?B?AGEAYgBj?=", "text/plain", "8bit",
		    "x\n", "abc", "x" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *mail = g_strdup_printf("Message-ID: <w%zu@x>\n"
		    "Subject: %s\nMIME-Version: 1.0\nContent-Type: %s\n"
		    "Content-Transfer-Encoding: %s\n\n%s", i, cases[i].subject,
		    cases[i].type, cases[i].cte, cases[i].body);
		struct larch_msg *m = parse_opts(mail, strlen(mail), NULL);

		check_str("subject", m->subject, cases[i].want_subject);
		check_str("body", m->body, cases[i].want_body);
		larch_msg_free(m);
		g_free(mail);
	}
}

static void
test_fallback_charset(void)
{
	static const char mail[] = "From: a@b\nSubject: \xf0\xd2\xc9\xd7\xc5"
	    "\xd4\n\n\xf0\xd2\xc9\xd7\xc5\xd4\n";
	struct larch_parse_opts o = { 0 };
	struct larch_msg *m;

	o.fallback_charset = "koi8-r";
	m = parse_opts(mail, sizeof mail - 1, &o);
	g_assert_cmpstr(m->subject, ==, "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2"
	    "\xd0\xb5\xd1\x82");
	g_assert_cmpstr(m->body, ==, m->subject);
	larch_msg_free(m);
	/* The default guesses: these bytes read best as koi8-r. */
	m = parse_opts(mail, sizeof mail - 1, NULL);
	g_assert_cmpstr(m->body, ==, m->subject);
	g_assert_cmpstr(m->body, ==, "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2"
	    "\xd0\xb5\xd1\x82");
	larch_msg_free(m);
	/* A named fallback is obeyed. */
	o.fallback_charset = "windows-1252";
	m = parse_opts(mail, sizeof mail - 1, &o);
	g_assert_cmpstr(m->body, ==, "\xc3\xb0\xc3\x92\xc3\x89\xc3\x97\xc3"
	    "\x85\xc3\x94");
	larch_msg_free(m);
}

static void
test_html(void)
{
	static const char want[] =
	    "First paragraph with extra spaces & an entity "
	    "\xc3\xa9t\xc3\xa9 \xc3\xa9<3>.\n\n"
	    "Line one\nLine two\nLine three\n"
	    "On Friday Bob wrote:\n\n"
	    "> Quoted text\n>\n> > Nested quote\n>\n> Back to one level\n\n"
	    "* item one\n* item two\n\n"
	    "a < b and 3 < 4\n\n"
	    "  keep   this\n    indented";
	struct larch_msg *m = parse_file("html-only.eml", false);

	g_assert_cmpstr(m->body, ==, want);
	larch_msg_free(m);
}

static void
test_flowed(void)
{
	static const char want[] =
	    "> This quoted paragraph was wrapped by the client and must be "
	    "one line.\n"
	    ">> Deeper quoted text continues here.\n\n"
	    "This is a long paragraph that the client wrapped at seventy-two "
	    "characters with a soft break; it comes back as one line.\n"
	    "From a space-stuffed line.\nA hard line.\n-- \nDave\n\n"
	    "Donaudampfschifffahrtsgesellschaft ends here.";
	struct larch_msg *m = parse_file("flowed.eml", false);

	g_assert_cmpstr(m->body, ==, want);
	larch_msg_free(m);
}

/*
 * A flowed line space-stuffed because it starts with '>' is text at
 * depth 0 (RFC 3676, 4.4 and 4.5), and must reach the quote splitter so;
 * real quote lines, flowed or not, keep their depth.  A quote pasted in
 * by hand ("> text", stuffed by the client all the same) stays a quote.
 */
static void
test_flowed_stuffed(void)
{
	static const char mail[] = "Message-ID: <stuffed@example.net>\n"
	    "Content-Type: text/plain; charset=utf-8; format=flowed\n\n"
	    "Attendance so far:\n"
	    " >2000 registered onsite\n"
	    " >5000 registered online\n"
	    "and the numbers are still growing.\n\n"
	    "On Monday, Markus wrote:\n"
	    "> Quoted and \n"
	    "> flowed.\n"
	    "> > Deeper, written apart.\n"
	    ">> Deeper.\n\n"
	    "In another mail, she wrote:\n\n"
	    " > Pasted by hand.\n";
	static const char want[] = "Attendance so far:\n"
	    LARCH_QUOTE_NOT_MARKER ">2000 registered onsite\n"
	    LARCH_QUOTE_NOT_MARKER ">5000 registered online\n"
	    "and the numbers are still growing.\n\n"
	    "On Monday, Markus wrote:\n"
	    "> Quoted and flowed.\n"
	    "> > Deeper, written apart.\n"
	    ">> Deeper.\n\n"
	    "In another mail, she wrote:\n\n"
	    "> Pasted by hand.";
	struct larch_msg *m = parse_opts(mail, sizeof mail - 1, NULL);
	GPtrArray *segs = g_ptr_array_new_with_free_func(larch_segment_free);
	bool text = false, depth1 = false, depth2 = false, pasted = false;

	g_assert_cmpstr(m->body, ==, want);
	larch_quote_split(larch_quote_rules_default(), m->body,
	    strlen(m->body), segs);
	for (guint i = 0; i < segs->len; i++) {
		const struct larch_segment *sg = segs->pdata[i];

		if (sg->kind == LARCH_SEG_NEW)
			text |= strstr(sg->text, ">2000 registered onsite\n"
			    LARCH_QUOTE_NOT_MARKER ">5000") != NULL;
		else
			g_assert_null(strstr(sg->text, "registered"));
		if (sg->kind != LARCH_SEG_QUOTE)
			continue;
		depth1 |= sg->depth == 1 &&
		    strcmp(sg->text, "Quoted and flowed.") == 0;
		depth2 |= sg->depth == 2 &&
		    strcmp(sg->text, "Deeper, written apart.\nDeeper.") == 0;
		pasted |= sg->depth == 1 &&
		    strcmp(sg->text, "Pasted by hand.") == 0;
	}
	g_assert_true(text);
	g_assert_true(depth1);
	g_assert_true(depth2);
	g_assert_true(pasted);
	g_ptr_array_unref(segs);
	/* What the message is said to hold has no marker left. */
	larch_quote_apply(NULL, m, 200, NULL);
	g_assert_cmpstr(m->new_text, ==, "Attendance so far:\n"
	    ">2000 registered onsite\n>5000 registered online\n"
	    "and the numbers are still growing.");
	larch_msg_free(m);
}

/*
 * An HTML part whose Content-Type names no charset is read in the one
 * its <meta> declares; a MIME charset wins over it, and a <meta> charset
 * that cannot read the bytes (unknown, or UTF-8 on bytes that are not)
 * leaves them to the fallback as before.
 */
static void
test_html_meta_charset(void)
{
	static const struct {
		const char *type;
		const char *head;
		const char *text;
		const char *want;
	} cases[] = {
		{ "text/html", "<meta charset=\"koi8-r\">",
		    "\xf0\xd2\xc9\xd7\xc5\xd4",
		    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82" },
		{ "text/html", "<META HTTP-EQUIV=\"Content-Type\" "
		    "CONTENT=\"text/html; charset=iso-8859-2\">",
		    "P\xf8\xedli\xb9 \xbelu\xbbou\xe8k\xfd k\xf9\xf2",
		    "P\xc5\x99\xc3\xadli\xc5\xa1 \xc5\xbelu\xc5\xa5ou"
		    "\xc4\x8dk\xc3\xbd k\xc5\xaf\xc5\x88" },
		{ "text/html; charset=us-ascii", "<title>x</title><meta "
		    "http-equiv=Content-Type content='text/html; "
		    "charset=shift_jis'>", "\x93\xfa\x96{\x8c\xea",
		    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
		/* The MIME header wins. */
		{ "text/html; charset=windows-1252", "<meta charset=koi8-r>",
		    "\xf0\xd2\xc9\xd7\xc5\xd4",
		    "\xc3\xb0\xc3\x92\xc3\x89\xc3\x97\xc3\x85\xc3\x94" },
		/* UTF-8 bytes are UTF-8 whatever the <meta> says. */
		{ "text/html", "<meta charset=koi8-r>",
		    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82",
		    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82" },
		{ "text/html", "<meta charset=x-nonsense>", "Gr\xfc\xdf" "e",
		    "Gr\xc3\xbc\xc3\x9f" "e" },
		{ "text/html", "<meta charset=utf-8>", "Gr\xfc\xdf" "e",
		    "Gr\xc3\xbc\xc3\x9f" "e" },
		/* Only a <meta> tag counts. */
		{ "text/html", "<title>charset=koi8-r</title>",
		    "Gr\xfc\xdf" "e", "Gr\xc3\xbc\xc3\x9f" "e" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *mail = g_strdup_printf("Message-ID: <meta%zu@x>\n"
		    "Content-Type: %s\nContent-Transfer-Encoding: 8bit\n\n"
		    "<html><head>%s</head><body><p>%s</p></body></html>\n",
		    i, cases[i].type, cases[i].head, cases[i].text);
		struct larch_msg *m = parse_opts(mail, strlen(mail), NULL);

		g_test_message("case %zu", i);
		check_str("body", m->body, cases[i].want);
		larch_msg_free(m);
		g_free(mail);
	}
}

static void
test_attachments(void)
{
	static const struct {
		const char *filename;
		const char *type;
		uint64_t size;
		const char *text;	/* NONE: no text */
	} want[] = {
		{ "fix.patch", "text/x-patch", 25,
		    "--- a/x\n+++ b/x\n-old\n+new" },
		{ "r\xc3\xa9sum\xc3\xa9 log.LOG", "application/octet-stream",
		    18, "line one\nline two\n" },
		{ "blob.png", "image/png", 1024, NONE },
		{ "run", "application/x-sh", 17, "#!/bin/sh\necho hi" },
		{ NONE, "message/delivery-status", 48, NULL },
		{ "signature.asc", "application/pgp-signature", 75, NONE },
	};
	struct larch_msg *m = parse_file("attachments.eml", false);

	g_assert_cmpuint(m->attachments->len, ==, G_N_ELEMENTS(want));
	for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
		const struct larch_attachment *a = m->attachments->pdata[i];

		check_str("filename", a->filename, want[i].filename);
		check_str("content_type", a->content_type, want[i].type);
		g_assert_cmpuint(a->size, ==, want[i].size);
		check_str("text", a->text, want[i].text);
	}
	g_assert_nonnull(((struct larch_attachment *)
	    m->attachments->pdata[4])->text);
	larch_msg_free(m);

	m = parse_file("dmarc-wrapped.eml", false);
	check_str("filename", ((struct larch_attachment *)
	    m->attachments->pdata[0])->filename, "0001-image.patch");
	larch_msg_free(m);

	m = parse_file("forwarded.eml", false);
	check_str("type", ((struct larch_attachment *)
	    m->attachments->pdata[0])->content_type, "message/rfc822");
	g_assert_cmpuint(((struct larch_attachment *)
	    m->attachments->pdata[0])->size, >, 100);
	/* The forwarded message's author, subject and text are searchable
	 * as the attachment's text. */
	check_str("forwarded text", ((struct larch_attachment *)
	    m->attachments->pdata[0])->text,
	    "From: Frank <frank@example.net>\nSubject: interesting\n\n"
	    "Original text.");
	larch_msg_free(m);

	/* A forwarded message's own attachments are the message's too. */
	m = parse_file("forwarded-attachments.eml", false);
	g_assert_cmpuint(m->attachments->len, ==, 3);
	check_str("inner file", ((struct larch_attachment *)
	    m->attachments->pdata[1])->filename, "travelnotes.txt");
	check_str("inner text", ((struct larch_attachment *)
	    m->attachments->pdata[1])->text,
	    "Patagonia glaciers itinerary notes");
	check_str("inner image", ((struct larch_attachment *)
	    m->attachments->pdata[2])->filename, "map_of_Argentina.gif");
	larch_msg_free(m);

	/* Plain text shown inline under a file name is the text of a
	 * message that has no other; it stays an attachment too. */
	m = parse_file("inline-named-text.eml", false);
	g_assert_nonnull(m->body);
	g_assert_nonnull(strstr(m->body, "How doth the little crocodile"));
	check_str("named part", ((struct larch_attachment *)
	    m->attachments->pdata[0])->filename, "msg.1");
	larch_msg_free(m);
}

static void
test_max_text(void)
{
	GString *mail = g_string_new("From: a@b\nSubject: big\n"
	    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n"
	    "\n--b\nContent-Type: text/plain; charset=utf-8\n\n");
	struct larch_parse_opts o = { 0 };
	struct larch_msg *m;
	const struct larch_attachment *a;

	for (int i = 0; i < 5000; i++)
		g_string_append(mail, "\xc3\xa9");
	g_string_append(mail, "\n--b\nContent-Type: text/plain; charset=utf-8"
	    "\nContent-Disposition: attachment; filename=a.txt\n\n");
	for (int i = 0; i < 5000; i++)
		g_string_append(mail, "\xe2\x82\xac");
	g_string_append(mail, "\n--b--\n");
	o.max_text = 101;
	m = parse_opts(mail->str, mail->len, &o);
	g_assert_cmpuint(strlen(m->body), <=, 101);
	g_assert_cmpuint(strlen(m->body), >=, 99);
	a = m->attachments->pdata[0];
	g_assert_cmpuint(strlen(a->text), <=, 101);
	g_assert_cmpuint(strlen(a->text), >=, 99);
	g_assert_cmpuint(a->size, ==, 15000);
	/* The fingerprint sees the whole body, not the indexed part. */
	g_assert_cmpuint(m->ascii_len, ==, 0);
	larch_msg_free(m);
	g_string_free(mail, TRUE);
}

/* A quoted-printable body in pipermail reads as its author wrote it:
 * soft breaks joined, so the attribution line and the "-- " signature
 * separator are whole again for the quote splitter. */
static void
test_pipermail_qp(void)
{
	struct larch_msg *m = parse_file("pipermail-qp.txt", true);

	g_assert_nonnull(strstr(m->body, "going through my head \n\"Why"));
	g_assert_nonnull(strstr(m->body,
	    "<duncan.mcgreggor@example.com>\nwrote:\n"));
	g_assert_nonnull(strstr(m->body, "\n-- \nBlog: http://"));
	g_assert_null(strstr(m->body, "=\n"));
	larch_msg_free(m);
}

/* The mbox and pipermail copies of one message share ascii_hash. */
static void
test_copies(void)
{
	struct larch_msg *a = parse_file("copy-mbox.eml", false);
	struct larch_msg *b = parse_file("copy-pipermail.txt", true);

	g_assert_cmpstr(a->ascii_hash, ==, b->ascii_hash);
	g_assert_cmpuint(a->ascii_len, ==, b->ascii_len);
	g_assert_cmpuint(a->ascii_len, >=, 40);
	g_assert_cmpstr(a->text_hash, !=, b->text_hash);
	g_assert_true(larch_msg_is_same_content(a, b));
	larch_msg_free(a);
	larch_msg_free(b);

	/* Without ids, the same message in two encodings gets one id. */
	a = parse_file("no-id.eml", false);
	b = parse_file("no-id-qp.eml", false);
	g_assert_true(g_str_has_suffix(a->mid, "@larch.invalid"));
	g_assert_cmpstr(a->mid, ==, b->mid);
	larch_msg_free(a);
	larch_msg_free(b);
}

static void
test_envelope(void)
{
	static const char mail[] = "Subject: no from, no date\n\nhi\n";
	struct larch_parse_opts o = { 0 };
	struct larch_msg *m;

	o.envelope_date = 1000000000;
	o.envelope_from = "Env@Example.ORG";
	m = parse_opts(mail, sizeof mail - 1, &o);
	g_assert_cmpint(m->date, ==, 1000000000);
	g_assert_cmpstr(m->from_addr, ==, "env@example.org");
	g_assert_null(m->from_name);
	larch_msg_free(m);

	/* The envelope does not override a good Date. */
	m = parse_file("plain-crlf.eml", false);
	g_assert_cmpint(m->date, ==, 1614679200);
	larch_msg_free(m);
}

/* A 12-hour clock's mark counts; GMime alone reads PM as AM. */
static void
test_twelve_hour_dates(void)
{
	static const struct {
		const char *date;
		int64_t want;
	} cases[] = {
		/* 2019-05-29 22:09:22Z */
		{ "Wed 29 May 2019 06:09:22 PM EDT", 1559167762 },
		{ "Wed, 29 May 2019 06:09:22 pm -0400", 1559167762 },
		{ "Wed, 29 May 2019 06:09:22 AM -0400", 1559124562 },
		/* 12 AM is midnight, 12 PM noon. */
		{ "Wed, 29 May 2019 12:09:22 AM +0000", 1559088562 },
		{ "Wed, 29 May 2019 12:09:22 PM +0000", 1559131762 },
		{ "Wed, 29 May 2019 18:09:22 -0400", 1559167762 },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *mail = g_strdup_printf("From: a@b.org\nDate: %s\n\nhi\n",
		    cases[i].date);
		struct larch_msg *m = parse_opts(mail, strlen(mail), NULL);

		g_assert_cmpint(m->date, ==, cases[i].want);
		larch_msg_free(m);
		g_free(mail);
	}
}

static void
test_unobfuscate(void)
{
	static const struct {
		const char *in;
		const char *want;
	} cases[] = {
		{ "glyph at twistedmatrix.com (Glyph Lefkowitz)",
		    "Glyph Lefkowitz <glyph@twistedmatrix.com>" },
		{ "glyph at twistedmatrix.com", "glyph@twistedmatrix.com" },
		{ "Glyph Lefkowitz glyph@divunal.com",
		    "Glyph Lefkowitz <glyph@divunal.com>" },
		{ "Glyph Lefkowitz <glyph at divunal.com>",
		    "Glyph Lefkowitz <glyph@divunal.com>" },
		{ "a at b.org (A, Jr.), c at d.org",
		    "\"A, Jr.\" <a@b.org>, c@d.org" },
		{ "plain@example.com", "plain@example.com" },
		{ "nobody", "nobody" },
		{ "", "" },
		{ "x  at  y.org  (Spaced  Name)", "Spaced  Name <x@y.org>" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *got = larch_pipermail_unobfuscate(cases[i].in);

		g_assert_cmpstr(got, ==, cases[i].want);
		g_free(got);
	}
}

static void
test_via_edges(void)
{
	static const struct {
		const char *mail;
		const char *addr;
		const char *name;
		bool is_list;	/* from_is_list */
	} cases[] = {
		/* The list itself in Reply-To does not count. */
		{ "From: Jane via dev <dev@l.org>\nList-Post: <mailto:dev@l.org>"
		    "\nReply-To: Jane <jane@x.org>, dev@l.org\n\nb\n",
		    "jane@x.org", "Jane", false },
		/* Two people in Reply-To: nobody is sure; keep the list. */
		{ "From: Jane via dev <dev@l.org>\nReply-To: a@x.org, b@x.org"
		    "\n\nb\n", "dev@l.org", "Jane", true },
		/* A Cc that names someone else is no evidence. */
		{ "From: Jane via dev <dev@l.org>\nCc: Bob <bob@x.org>\n\nb\n",
		    "dev@l.org", "Jane", true },
		/* A name with "via" inside but no list after it. */
		{ "From: \"Via Dolorosa\" <v@x.org>\n\nb\n", "v@x.org",
		    "Via Dolorosa", false },
		/* Sender when From is missing. */
		{ "Sender: S <s@x.org>\nSubject: s\n\nb\n", "s@x.org", "S",
		    false },
		/* pipermail keeps no Reply-To: the list's address stays. */
		{ "From: dev at l.org (Jane Doe via dev)\nSubject: s\n\nb\n",
		    "dev@l.org", "Jane Doe", true },
		/* A display name that only repeats the author's address, as
		 * pipermail writes it ("user at host (user at host)") or as
		 * Google Groups shortens it ("'user...@host' via list"), is
		 * no name. */
		{ "From: exarkun at example.com (exarkun at example.com)\n\nb\n",
		    "exarkun@example.com", NONE, false },
		{ "From: glyph at example.com (glyph@Example.com)\n\nb\n",
		    "glyph@example.com", NONE, false },
		{ "From: \"Bob@X.org\" <bob@x.org>\n\nb\n", "bob@x.org", NONE,
		    false },
		{ "From: \"'neutro...@gmail.com' via iscsi\" <iscsi@g.example>"
		    "\nReply-To: neutronsharc@gmail.com\n\nb\n",
		    "neutronsharc@gmail.com", NONE, false },
		/* the list's address stands in for the author's: the name
		 * is all there is of the author */
		{ "From: \"'neutro...@gmail.com' via iscsi\" <iscsi@g.example>"
		    "\n\nb\n", "iscsi@g.example", "neutro...@gmail.com", true },
		/* someone else's address, or an '@' in a name, is a name */
		{ "From: \"a@x.org\" <b@x.org>\n\nb\n", "b@x.org", "a@x.org",
		    false },
		{ "From: \"Shop @ Phnom Penh\" <info@x.org>\n\nb\n",
		    "info@x.org", "Shop @ Phnom Penh", false },
		{ "From: \"ne...@other.org\" <neutron@gmail.com>\n\nb\n",
		    "neutron@gmail.com", "ne...@other.org", false },
	};
	struct larch_parse_opts pipermail = { .pipermail = true };

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct larch_msg *m = parse_opts(cases[i].mail,
		    strlen(cases[i].mail), strstr(cases[i].mail, " at ") ?
		    &pipermail : NULL);

		g_test_message("case %zu", i);
		check_str("from_addr", m->from_addr, cases[i].addr);
		check_str("from_name", m->from_name, cases[i].name);
		g_assert_cmpint(m->from_is_list, ==, cases[i].is_list);
		larch_msg_free(m);
	}
}

/* ---- adversarial input ------------------------------------------------- */

/* A string literal and its length, NUL bytes included. */
#define L(s) s, sizeof(s) - 1

static void
test_no_header(void)
{
	static const struct {
		const char *bytes;
		size_t len;
	} cases[] = {
		{ L("") },
		{ L("\n\n") },
		{ L("not a header line\n\nbody\n") },
		{ L(": empty name\n\n") },
		{ L("From sender Mon Jan  1 00:00:00 2001\n") },
		{ L("\0\0\0\0") },
		{ L("Subject x\n\n") },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct larch_msg *m = (struct larch_msg *)&m;
		const char *why = NULL;

		g_assert_cmpint(larch_parse_message(cases[i].bytes,
		    cases[i].len, NULL, &m, &why), ==, LARCH_ERR_PARSE);
		g_assert_null(m);
		g_assert_nonnull(why);
	}
}

static void
test_small_inputs(void)
{
	static const struct {
		const char *bytes;
		size_t len;
		const char *subject;
		const char *body;
	} cases[] = {
		{ L("Subject: x"), "x", NONE },
		{ L("Subject: x\n\nno trailing newline"), "x",
		    "no trailing newline" },
		{ L("Subject: a\0b\nFrom: x@y\n\nbo\0dy\n"), NULL, "body" },
		/* NULs in headers are dropped as in text, not a cut. */
		{ L("Subject: mes\0sage\0\nFrom: x@y\n\nbo\0dy\n"),
		    "message", "body" },
		{ L("Subject: \0\0\nX-\0: y\n\n\0\n"), NONE, NONE },
		{ L("Subject: cr\rFrom: x@y\r\rmac body\r"), "cr",
		    "mac body" },
		{ L("From sender Mon Jan  1 00:00:00 2001\nSubject: mbox\n"
		    "\nb\n"), "mbox", "b" },
		{ L("\xef\xbb\xbfSubject: bom\n\nb"), "bom", "b" },
		/* An editor's byte order mark is no text. */
		{ L("Subject: bom\n\n\xef\xbb\xbf" "body\n"), "bom", "body" },
		{ L("Subject: bom\nContent-Type: multipart/mixed; "
		    "boundary=b\n\n--b\nContent-Type: text/plain; "
		    "charset=utf-8\n\n\xef\xbb\xbf" "one\n--b\n\n"
		    "\xef\xbb\xbf" "two\n--b--\n"), "bom", "one\n\ntwo" },
		{ L("Subject: x\nContent-Type: multipart/mixed\n\n"
		    "no boundary\n"), "x", NULL },
		{ L("Subject: x\nContent-Transfer-Encoding: base64\n\n"
		    "!!!===\n"), "x", NULL },
		{ L("Subject: \n\n"), NONE, NONE },
		{ L("Subject: =?utf-8?q?broken\n\n"), "=?utf-8?q?broken",
		    NONE },
		{ L("Subject: =?utf-8?b?////?=\n\n"), NULL, NONE },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct larch_msg *m;

		g_test_message("case %zu", i);
		m = parse_opts(cases[i].bytes, cases[i].len, NULL);
		check_str("subject", m->subject, cases[i].subject);
		check_str("body", m->body, cases[i].body);
		larch_msg_free(m);
	}
}

/*
 * An archive cut inside a header field's name ("...\nSubje"): GMime
 * reads no header at all then.  The fields before the cut are kept, the
 * envelope dates the message, and cut or header-only messages that
 * differ get different ids (they all had one before, whoever wrote
 * them: one document with many sources).
 */
static void
test_cut_header(void)
{
	static const struct {
		const char *bytes;
		size_t len;
		const char *from;
		const char *to;
		const char *body;
	} cases[] = {
		{ L("From: User 1 <u1@example.org>\nTo: list@example.org\n"
		    "Subje"), "u1@example.org", "list@example.org", NONE },
		{ L("From: Other Person <zz@example.org>\nTo: list@example.org"
		    "\nSubje"), "zz@example.org", "list@example.org", NONE },
		{ L("From: User 1 <u1@example.org>\r\nTo: list@example.org"
		    "\r\nX-Mailing-List"), "u1@example.org",
		    "list@example.org", NONE },
		{ L("From: User 1 <u1@example.org>\nTo: list@example.org\n"
		    "Subject: s\n  folded\nMessage-"), "u1@example.org",
		    "list@example.org", NONE },
		/* A damaged line before the cut is skipped as before. */
		{ L("From: a@example.org\nSubje\nTo: list@example.org\nCc"),
		    "a@example.org", "list@example.org", NONE },
		/* A last line that cannot be a field's name is text. */
		{ L("From: a@example.org\nTo: list@example.org\n"
		    "Gr\xc3\xbc\xc3\x9f" "e"), "a@example.org",
		    "list@example.org", "Gr\xc3\xbc\xc3\x9f" "e" },
		/* No mail at all, but a header's form: a YAML file. */
		{ L("name: policy-archive\nmirror: https://example.org/\n"),
		    NONE, NONE, NONE },
		{ L("name: other-archive\nmirror: https://example.org/\n"),
		    NONE, NONE, NONE },
	};
	struct larch_parse_opts o = { 0 };
	GHashTable *mids = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, NULL);

	o.envelope_date = 1672653601;
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct larch_msg *m = parse_opts(cases[i].bytes, cases[i].len,
		    &o);
		struct larch_msg *again = parse_opts(cases[i].bytes,
		    cases[i].len, &o);

		g_test_message("case %zu", i);
		check_str("from_addr", m->from_addr, cases[i].from);
		check_str("to", m->to, cases[i].to);
		check_str("body", m->body, cases[i].body);
		g_assert_cmpint(m->date, ==, o.envelope_date);
		g_assert_null(m->header_mid);
		/* Its own id, the same in every run. */
		g_assert_cmpstr(m->mid, ==, again->mid);
		g_assert_true(g_hash_table_add(mids, g_strdup(m->mid)));
		larch_msg_free(m);
		larch_msg_free(again);
	}
	g_hash_table_unref(mids);
}

static void
test_huge_lines(void)
{
	GString *mail = g_string_new("Subject: ");
	struct larch_msg *m;

	for (int i = 0; i < 1024 * 1024; i++)
		g_string_append_c(mail, "ab =?utf-8?q?=C3=A9?= "[i % 22]);
	g_string_append(mail, "\nReferences: ");
	for (int i = 0; i < 30000; i++)
		g_string_append_printf(mail, "<r%d@x> ", i);
	g_string_append(mail, "\nFrom: ");
	for (int i = 0; i < 100000; i++)
		g_string_append(mail, "a@b, ");
	g_string_append(mail, "\n\n");
	for (int i = 0; i < 2 * 1024 * 1024; i++)
		g_string_append_c(mail, i % 7 == 0 ? ' ' : 'x');
	g_string_append(mail, "\n<p>\n");
	m = parse_opts(mail->str, mail->len, NULL);
	g_assert_nonnull(m->subject);
	/* Cut to the limit, at a character ("é" is two bytes). */
	g_assert_true(m->headers_cut);
	g_assert_cmpuint(strlen(m->subject), <=, LARCH_MAX_HEADER_TEXT);
	g_assert_cmpuint(strlen(m->subject), >=, LARCH_MAX_HEADER_TEXT - 1);
	g_assert_true(g_utf8_validate(m->subject, -1, NULL));
	g_assert_cmpuint(strlen(m->body), >, 2 * 1000 * 1000);
	g_assert_cmpuint(m->references->len, <=, 256);
	g_assert_cmpstr(m->references->pdata[0], ==, "r0@x");
	g_assert_cmpstr(m->references->pdata[m->references->len - 1], ==,
	    "r29999@x");
	larch_msg_free(m);
	g_string_free(mail, TRUE);
}

static void
test_many_parts(void)
{
	GString *mail = g_string_new("Subject: parts\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=b\n\n");
	struct larch_msg *m;

	for (int i = 0; i < 5000; i++)
		g_string_append_printf(mail, "--b\nContent-Type: "
		    "application/octet-stream; name=f%d.bin\n\nx\n", i);
	g_string_append(mail, "--b--\n");
	m = parse_opts(mail->str, mail->len, NULL);
	g_assert_cmpuint(m->attachments->len, <, 1000);
	g_assert_cmpuint(m->attachments->len, >, 900);
	larch_msg_free(m);
	g_string_free(mail, TRUE);
}

static void
test_deep_nesting(void)
{
	for (int kind = 0; kind < 3; kind++) {
		GString *mail = g_string_new("Subject: deep\n");
		int depth = kind == 0 ? 3000 : kind == 1 ? 200 : 400;
		struct larch_msg *m;

		for (int i = 0; i < depth; i++) {
			if (kind == 1 || (kind == 2 && i % 2 == 1))
				g_string_append(mail, "MIME-Version: 1.0\n"
				    "Content-Type: message/rfc822\n\n"
				    "Subject: inner\n");
			else
				g_string_append_printf(mail,
				    "Content-Type: multipart/mixed; "
				    "boundary=b%d\n\n--b%d\n", i, i);
		}
		g_string_append(mail, "Content-Type: text/plain\n\nleaf\n");
		m = parse_opts(mail->str, mail->len, NULL);
		check_str("subject", m->subject, "deep");
		larch_msg_free(m);
		g_string_free(mail, TRUE);
	}
}

/* Random bytes after a valid first header must never break anything
 * (2000 mails; under valgrind, a sample of them). */
static void
test_random(void)
{
	GRand *rand = g_rand_new_with_seed(42);
	int mails = 2000 / (int)test_sample_stride();
	static const char *const pieces[] = {
		"\n", "\r\n", ": ", "=?", "?q?", "?b?", "?=", "<", ">", "@",
		"Content-Type: multipart/mixed; boundary=x\n", "--x\n",
		"--x--\n", "Content-Type: text/html\n", "<blockquote>",
		"&#", "&amp", "Content-Transfer-Encoding: base64\n",
		"Content-Transfer-Encoding: quoted-printable\n", "=C3",
		"From: ", " via ", "Reply-To: ", "Date: ", "charset=",
		"Content-Type: message/rfc822\n", "\n\n", "\xff", "\xc3",
		"\0", "format=flowed", " \n", "(", ")", "\"",
	};

	for (int iter = 0; iter < mails; iter++) {
		GString *mail = g_string_new("Subject: fuzz\n");
		int n = g_rand_int_range(rand, 0, 200);
		struct larch_msg *m;

		for (int i = 0; i < n; i++) {
			if (g_rand_boolean(rand)) {
				const char *p = pieces[g_rand_int_range(rand,
				    0, G_N_ELEMENTS(pieces))];

				g_string_append_len(mail, p, p[0] == '\0' ? 1 :
				    (gssize)strlen(p));
			} else {
				g_string_append_c(mail, (char)g_rand_int_range(
				    rand, 0, 256));
			}
		}
		m = parse_opts(mail->str, mail->len, NULL);
		larch_msg_free(m);
		g_string_free(mail, TRUE);
	}
	g_rand_free(rand);
}

/* ---- threads ----------------------------------------------------------- */

static gpointer
thread_main(gpointer data)
{
	GPtrArray *want = data;
	guint iters = MAX(20 / test_sample_stride(), 2);

	for (guint iter = 0; iter < iters; iter++) {
		for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
			struct larch_msg *m = parse_file(rows[i].file,
			    rows[i].pipermail);

			g_assert_cmpstr(m->mid, ==, want->pdata[i]);
			larch_msg_free(m);
		}
	}
	return NULL;
}

static void
test_threads(void)
{
	GPtrArray *want = g_ptr_array_new_with_free_func(g_free);
	GThread *t[4];

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct larch_msg *m = parse_file(rows[i].file,
		    rows[i].pipermail);

		g_ptr_array_add(want, g_strdup(m->mid));
		larch_msg_free(m);
	}
	for (int i = 0; i < 4; i++)
		t[i] = g_thread_new("parse", thread_main, want);
	for (int i = 0; i < 4; i++)
		g_thread_join(t[i]);
	g_ptr_array_unref(want);
}

/* ---- real corpora ------------------------------------------------------ */

static char *
corpora_dir(void)
{
	const char *shared = g_getenv("LARCH_SHARED");
	char *dir;

	if (shared == NULL)
		return NULL;
	dir = g_build_filename(shared, "corpora", NULL);
	if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		g_free(dir);
		return NULL;
	}
	return dir;
}

static void
parse_emls(const char *dir, guint *count)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;

	if (d == NULL)
		return;
	while ((name = g_dir_read_name(d)) != NULL) {
		char *path = g_build_filename(dir, name, NULL);

		if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
			parse_emls(path, count);
		} else if (g_str_has_suffix(name, ".eml")) {
			char *bytes;
			gsize len;
			struct larch_msg *m = NULL;
			const char *why;

			g_assert_true(g_file_get_contents(path, &bytes, &len,
			    NULL));
			if (larch_parse_message(bytes, len, NULL, &m, &why) ==
			    LARCH_OK) {
				assert_clean(m);
				larch_msg_free(m);
				(*count)++;
			}
			g_free(bytes);
		}
		g_free(path);
	}
	g_dir_close(d);
}

static void
test_corpus_eml(void)
{
	char *dir = corpora_dir();
	guint count = 0;

	if (dir == NULL) {
		g_test_skip("no $LARCH_SHARED/corpora");
		return;
	}
	parse_emls(dir, &count);
	g_assert_cmpuint(count, >, 200);
	g_free(dir);
}

/* Calls fn on each message of an mbox split naively on "\nFrom ", or on
 * every test_sample_stride()th; returns how many it parsed. */
static guint
each_mbox_message(const char *path, bool pipermail,
    void (*fn)(const char *raw, size_t len, struct larch_msg *m, void *),
    void *data)
{
	char *bytes;
	gsize len;
	const char *p, *end;
	guint count = 0, seen = 0, stride = test_sample_stride();
	struct larch_parse_opts o = { 0 };

	o.pipermail = pipermail;
	if (!g_file_get_contents(path, &bytes, &len, NULL))
		return 0;
	for (p = bytes, end = bytes + len; p < end;) {
		const char *next = g_strstr_len(p + 1, end - p - 1, "\nFrom ");
		const char *stop = next != NULL ? next + 1 : end;
		struct larch_msg *m = NULL;
		const char *why;

		if (seen++ % stride == 0 &&
		    larch_parse_message(p, (size_t)(stop - p), &o, &m, &why) ==
		    LARCH_OK) {
			assert_clean(m);
			fn(p, (size_t)(stop - p), m, data);
			larch_msg_free(m);
			count++;
		}
		p = stop;
	}
	g_free(bytes);
	return count;
}

static void
check_openwrt(const char *raw, size_t len, struct larch_msg *m, void *data)
{
	guint *wrapped = data;

	/* The DMARC notice starts a line only in wrapped messages. */
	if (g_strstr_len(raw, (gssize)len,
	    "\nThe sender domain has a DMARC") == NULL)
		return;
	(*wrapped)++;
	g_assert_nonnull(m->from_addr);
	g_assert_cmpstr(m->from_addr, !=, "openwrt-devel@lists.openwrt.org");
	g_assert_null(strstr(m->from_name, " via "));
	g_assert_true(g_str_has_prefix(m->mid, "mailman."));
	g_assert_nonnull(m->body);
	/* Replies may quote the notice; the notice itself is gone. */
	g_assert_false(g_str_has_prefix(m->body, "The sender domain"));
	g_assert_null(strstr(m->body, "\nThe sender domain has a DMARC"));
}

static void
check_samba(const char *raw, size_t len, struct larch_msg *m, void *data)
{
	guint *real = data;

	g_assert_nonnull(m->from_addr);
	g_assert_cmpstr(m->from_addr, !=, "samba-technical@lists.samba.org");
	if (m->from_name != NULL)
		g_assert_null(strstr(m->from_name, " via samba-technical"));
	(*real)++;
}

static void
check_pipermail(const char *raw, size_t len, struct larch_msg *m, void *data)
{
	g_assert_nonnull(m->from_addr);
	g_assert_nonnull(strchr(m->from_addr, '@'));
	g_assert_null(strstr(m->from_addr, " at "));
	g_assert_cmpint(m->date, >, 0);
}

static void
test_corpus_mbox(void)
{
	char *dir = corpora_dir();
	char *path;
	guint n, wrapped = 0, real = 0, stride = test_sample_stride();

	if (dir == NULL) {
		g_test_skip("no $LARCH_SHARED/corpora");
		return;
	}
	path = g_build_filename(dir, "openwrt-devel-2019",
	    "openwrt-devel-2019-04-to-07.mbox", NULL);
	n = each_mbox_message(path, false, check_openwrt, &wrapped);
	g_assert_cmpuint(n, >=, 1300 / stride);
	if (stride == 1)
		g_assert_cmpuint(wrapped, ==, 17);
	g_free(path);

	path = g_build_filename(dir, "samba-technical-2021-2023",
	    "samba-technical-2021-2023.mbox", NULL);
	n = each_mbox_message(path, false, check_samba, &real);
	g_assert_cmpuint(n, >=, 2400 / stride);
	g_assert_cmpuint(real, ==, n);
	g_free(path);

	path = g_build_filename(dir, "twisted-pipermail", "twisted-web",
	    "2005-July.txt", NULL);
	n = each_mbox_message(path, true, check_pipermail, NULL);
	g_assert_cmpuint(n, >=, 150 / stride);
	g_free(path);
	g_free(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	larch_parse_init();
	g_test_add_func("/parse/fixtures", test_fixtures);
	g_test_add_func("/parse/headers", test_headers);
	g_test_add_func("/parse/charsets", test_charsets);
	g_test_add_func("/parse/wide-charsets", test_wide_charsets);
	g_test_add_func("/parse/fallback-charset", test_fallback_charset);
	g_test_add_func("/parse/html", test_html);
	g_test_add_func("/parse/html-meta-charset", test_html_meta_charset);
	g_test_add_func("/parse/flowed-stuffed", test_flowed_stuffed);
	g_test_add_func("/parse/cut-header", test_cut_header);
	g_test_add_func("/parse/flowed", test_flowed);
	g_test_add_func("/parse/attachments", test_attachments);
	g_test_add_func("/parse/max-text", test_max_text);
	g_test_add_func("/parse/copies", test_copies);
	g_test_add_func("/parse/pipermail-qp", test_pipermail_qp);
	g_test_add_func("/parse/envelope", test_envelope);
	g_test_add_func("/parse/unobfuscate", test_unobfuscate);
	g_test_add_func("/parse/via-edges", test_via_edges);
	g_test_add_func("/parse/no-header", test_no_header);
	g_test_add_func("/parse/small-inputs", test_small_inputs);
	g_test_add_func("/parse/huge-lines", test_huge_lines);
	g_test_add_func("/parse/twelve-hour-dates", test_twelve_hour_dates);
	g_test_add_func("/parse/many-parts", test_many_parts);
	g_test_add_func("/parse/deep-nesting", test_deep_nesting);
	g_test_add_func("/parse/random", test_random);
	g_test_add_func("/parse/threads", test_threads);
	g_test_add_func("/parse/corpus-eml", test_corpus_eml);
	g_test_add_func("/parse/corpus-mbox", test_corpus_mbox);
	return g_test_run();
}
