/* Tests for indexer/pipermail_html.c: Mailman 2 article pages. */
#include <string.h>
#include <sys/stat.h>

#include "larch/fingerprint.h"
#include "larch/record.h"
#include "pipermail_html.h"
#include "split.h"
#include "test-util.h"

/* A page in Mailman 2.1's article template with the parts given. */
static char *
page(const char *charset, const char *subject, const char *name,
    const char *href, const char *shown, const char *date,
    const char *body)
{
	return g_strdup_printf(
	    "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 "
	    "Transitional//EN\">\n"
	    "<HTML>\n <HEAD>\n   <TITLE> %s\n   </TITLE>\n"
	    "   <LINK REL=\"Index\" HREF=\"index.html\" >\n"
	    "   <META NAME=\"robots\" CONTENT=\"index,nofollow\">\n"
	    "   <META http-equiv=\"Content-Type\" content=\"text/html; "
	    "charset=%s\">\n </HEAD>\n <BODY BGCOLOR=\"#ffffff\">\n"
	    "   <H1>%s</H1>\n    <B>%s</B> \n    <A HREF=\"%s\"\n"
	    "       TITLE=\"%s\">%s\n       </A><BR>\n    <I>%s</I>\n"
	    "    <P><UL>\n         <LI> <B>Messages sorted by:</B> \n"
	    "       </UL>\n    <HR>  \n<!--beginarticle-->\n<PRE>%s</PRE>\n\n"
	    "<!--endarticle-->\n    <HR>\n</body></html>\n", subject, charset,
	    subject, name, href, subject, shown, date, body);
}

#define NEW_HREF "mailto:l%40lists.example.org?Subject=Re%3A%20Hello" \
	"&In-Reply-To=%3C123.abc%40Example.ORG%3E"

static struct larch_msg *
parse_ok(const char *text, size_t len, const char *month)
{
	struct larch_pipermail_html_opts o = { .month = month };
	struct larch_msg *m = NULL;
	const char *why = NULL;

	if (larch_pipermail_html_parse(text, len, &o, &m, &why) != LARCH_OK)
		g_error("parse failed: %s", why);
	g_assert_nonnull(m);
	g_assert_nonnull(m->mid);
	g_assert_true(g_utf8_validate(m->body, -1, NULL));
	g_assert_cmpstr(m->text_hash, !=, "");
	return m;
}

static struct larch_msg *
parse_page(const char *charset, const char *subject, const char *name,
    const char *href, const char *shown, const char *date,
    const char *body)
{
	char *p = page(charset, subject, name, href, shown, date, body);
	struct larch_msg *m = parse_ok(p, strlen(p), "2016-May");

	g_free(p);
	return m;
}

static void
test_names(void)
{
	static const struct {
		const char *path;
		bool yes;
	} rows[] = {
		{ "/a/pipermail/l/2016-May/003251.html", true },
		{ "l/2016-may/0.html", true },
		{ "2016-May/1234567.html", true },
		{ "/a/l/2016-May/date.html", false },
		{ "/a/l/2016-May/thread.html", false },
		{ "/a/l/2016-May/index.html", false },
		{ "/a/l/2016-May/attachment.html", false },
		{ "/a/l/2016-May/003251.htm", false },
		{ "/a/l/2016-May/003251.html.gz", false },
		{ "/a/l/2016-May/.html", false },
		{ "/a/l/attachments/20160526/003251.html", false },
		{ "/a/l/2016q2/003251.html", true },
		{ "/a/l/2016/000001.html", true },
		{ "/a/l/Week-of-Mon-20160502/000001.html", true },
		{ "/a/l/20160526/000001.html", true },
		{ "/a/l/2016q2/date.html", false },
		{ "/a/l/2016-May.txt", false },
		{ "/a/l/2016-Mai/003251.html", false },
		{ "003251.html", false },
		{ "", false },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++)
		if (larch_pipermail_html_is_article_name(rows[i].path) !=
		    rows[i].yes)
			g_error("row %zu '%s'", i, rows[i].path);
	g_assert_true(larch_pipermail_html_is_article("x<!--beginarticle-->",
	    20));
	g_assert_false(larch_pipermail_html_is_article("x<!--beginarticle-->",
	    19));
	g_assert_false(larch_pipermail_html_is_article(NULL, 0));
}

/* The 2.1.6+ template: own id in brackets, "Re: " before the subject. */
static void
test_new_template(void)
{
	struct larch_msg *m = parse_page("utf-8",
	    "[L] Budget &amp; &lt;plans&gt;", "Ann &quot;AE&quot; Example",
	    NEW_HREF, "ann at Example.org", "Thu May 26 19:05:00 CEST 2016",
	    "Dear all,\n\n<I>&gt;<i> quoted line\n</I>&gt;<i> more\n</I>\n"
	    "See <A HREF=\"http://x.org/a?b=1&amp;c=2\">http://x.org/a?b=1"
	    "&amp;c=2</A> &amp; reply.\n\n");

	g_assert_cmpstr(m->mid, ==, "123.abc@example.org");
	g_assert_cmpstr(m->header_mid, ==, "123.abc@example.org");
	g_assert_null(m->in_reply_to);
	g_assert_cmpstr(m->subject, ==, "[L] Budget & <plans>");
	g_assert_cmpstr(m->from_addr, ==, "ann@example.org");
	g_assert_cmpstr(m->from_name, ==, "Ann \"AE\" Example");
	g_assert_cmpint(m->date, ==, 1464282300);
	g_assert_cmpstr(m->body, ==, "Dear all,\n\n> quoted line\n> more\n\n"
	    "See http://x.org/a?b=1&c=2 & reply.");
	larch_msg_free(m);
}

/* Before 2.1.6: the subject as is and the parent's bare id. */
static void
test_old_template(void)
{
	struct larch_msg *m = parse_page("us-ascii", "[L] Budget",
	    "Bob", "mailto:l%40lists.example.org?Subject=%5BL%5D%20Budget"
	    "&In-Reply-To=parent.1%40example.org", "bob at example.org",
	    "Fri Jul  1 03:04:57 MDT 2005", "text\n"), *again;

	g_assert_cmpstr(m->in_reply_to, ==, "parent.1@example.org");
	g_assert_null(m->header_mid);
	g_assert_true(g_str_has_suffix(m->mid, "@larch.invalid"));
	g_assert_cmpint(m->date, ==, 1120208697);
	/* The same page gives the same id. */
	again = parse_page("us-ascii", "[L] Budget", "Bob",
	    "mailto:l%40lists.example.org?Subject=%5BL%5D%20Budget"
	    "&amp;In-Reply-To=parent.1%40example.org", "bob at example.org",
	    "Fri Jul  1 03:04:57 MDT 2005", "text\n");
	g_assert_cmpstr(again->mid, ==, m->mid);
	g_assert_cmpstr(again->in_reply_to, ==, "parent.1@example.org");
	larch_msg_free(again);
	larch_msg_free(m);

	/* No parent: no In-Reply-To value at all. */
	m = parse_page("us-ascii", "[L] Budget", "Bob",
	    "mailto:l%40lists.example.org?Subject=%5BL%5D%20Budget"
	    "&In-Reply-To=", "bob at example.org",
	    "Fri Jul  1 03:04:57 MDT 2005", "text\n");
	g_assert_null(m->in_reply_to);
	g_assert_null(m->header_mid);
	larch_msg_free(m);

	/* Brackets mean the page's own id, even without "Re: ". */
	m = parse_page("us-ascii", "[L] Budget", "Bob",
	    "mailto:l%40x?Subject=x&In-Reply-To=%3Cown%40example.org%3E",
	    "bob at example.org", "Fri Jul  1 03:04:57 MDT 2005", "text\n");
	g_assert_cmpstr(m->header_mid, ==, "own@example.org");
	g_assert_null(m->in_reply_to);
	larch_msg_free(m);
}

static void
test_authors(void)
{
	static const struct {
		const char *name;
		const char *shown;
		const char *addr;
		const char *want_name;
	} rows[] = {
		{ "Ann Example", "ann at example.org", "ann@example.org",
		  "Ann Example" },
		{ "Ann", "ANN@EXAMPLE.ORG", "ann@example.org", "Ann" },
		/* " at " in another language. */
		{ "Anne", "anne chez example.fr", "anne@example.fr", "Anne" },
		/* No name: Mailman shows the address twice. */
		{ "ann at example.org", "ann at example.org",
		  "ann@example.org", NULL },
		{ "", "ann at example.org", "ann@example.org", NULL },
		{ "Ann", "", NULL, "Ann" },
		{ "Ann", "not an address here", NULL, "Ann" },
		{ "Jos&eacute; &#8212; M&uuml;ller", "jm at example.org",
		  "jm@example.org", "José — Müller" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct larch_msg *m = parse_page("utf-8", "s", rows[i].name,
		    NEW_HREF, rows[i].shown, "Thu May 26 19:05:00 UTC 2016",
		    "b");

		g_assert_cmpstr(m->from_addr, ==, rows[i].addr);
		g_assert_cmpstr(m->from_name, ==, rows[i].want_name);
		larch_msg_free(m);
	}
}

static void
test_dates(void)
{
	/* The page's folder is "2016-May" unless a row names another. */
	static const struct {
		const char *date;
		int64_t want;
		const char *volume;
	} rows[] = {
		{ "Thu May 26 19:05:00 CEST 2016", 1464282300, NULL },
		{ "Thu May 26 19:05:00 UTC 2016", 1464289500, NULL },
		{ "Thu May 26 19:05:00 2016", 1464289500, NULL },
		{ "Thu May 26 19:05:00 +0200 2016", 1464282300, NULL },
		{ "Thu May 26 13:05:00 EDT 2016", 1464282300, NULL },
		{ "Thu May  5 07:00:00 PST 2016", 1462460400, NULL },
		{ "Fri May 27 08:00:00 CST 2016", 1464357600, NULL },
		/* Another language: the month comes from the folder. */
		{ "Do Mai 26 19:05:00 CEST 2016", 1464282300, NULL },
		{ "jeu. 26 mai 2016 19:05:00 CEST", 1464282300, NULL },
		/* Mailman's French and Spanish Tuesday is "Mar". */
		{ "Mar 24 Mai  19:05:00 CEST 2016", 1464109500, NULL },
		{ "Mar May 24 19:05:00 CEST 2016", 1464109500, NULL },
		{ "Thu May 26 19:05 UTC 2016", 1464289500, NULL },
		{ "", 0, NULL },
		{ "garbage", 0, NULL },
		{ "Thu May 26 25:05:00 UTC 2016", 0, NULL },
		{ "Thu May 32 19:05:00 UTC 2016", 0, NULL },
		{ "Thu May 26 19:05:00 UTC", 0, NULL },
		/* Other volumes: a day's folder names the month, a quarter's
		 * and a year's do not (and are never read past their end). */
		{ "Do Mai 26 19:05:00 CEST 2016", 1464282300, "20160526" },
		{ "Do Mai 26 19:05:00 CEST 2016", 0, "2016q2" },
		{ "Do Mai 26 19:05:00 CEST 2016", 0, "2016" },
		{ "Do Mai 26 19:05:00 CEST 2016", 0, "Week-of-Mon-20160523" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		char *p = page("utf-8", "s", "n", NEW_HREF, "a at b.org",
		    rows[i].date, "b");
		struct larch_msg *m = parse_ok(p, strlen(p),
		    rows[i].volume != NULL ? rows[i].volume : "2016-May");

		if (m->date != rows[i].want)
			g_error("row %zu '%s': %" G_GINT64_FORMAT, i,
			    rows[i].date, m->date);
		larch_msg_free(m);
		g_free(p);
	}
}

static void
test_charsets(void)
{
	struct larch_msg *m;

	/* Latin-1 bytes in a Latin-1 page. */
	m = parse_page("iso-8859-1", "R\xe9union", "Beno\xeet", NEW_HREF,
	    "b at x.fr", "Thu May 26 19:05:00 UTC 2016", "\x93" "caf\xe9\x94");
	g_assert_cmpstr(m->subject, ==, "Réunion");
	g_assert_cmpstr(m->from_name, ==, "Benoît");
	/* Read as windows-1252, as browsers do. */
	g_assert_cmpstr(m->body, ==, "“café”");
	larch_msg_free(m);

	/* UTF-8 text in a page that declares Latin-1 (Mailman copies a
	 * message's bytes). */
	m = parse_page("iso-8859-1", "Réunion", "n", NEW_HREF, "a at b.org",
	    "Thu May 26 19:05:00 UTC 2016", "会议 €");
	g_assert_cmpstr(m->subject, ==, "Réunion");
	g_assert_cmpstr(m->body, ==, "会议 €");
	larch_msg_free(m);

	/* Bytes that are not the declared UTF-8: the fallback. */
	m = parse_page("utf-8", "caf\xe9", "n", NEW_HREF, "a at b.org",
	    "Thu May 26 19:05:00 UTC 2016", "caf\xe9");
	g_assert_cmpstr(m->subject, ==, "café");
	larch_msg_free(m);

	/* A charset iconv does not know. */
	m = parse_page("x-no-such-charset", "caf\xe9", "n", NEW_HREF,
	    "a at b.org", "Thu May 26 19:05:00 UTC 2016", "caf\xe9");
	g_assert_cmpstr(m->body, ==, "café");
	larch_msg_free(m);

	/* Another real charset. */
	m = parse_page("koi8-r", "\xf0\xd2\xc9\xd7\xc5\xd4", "n", NEW_HREF,
	    "a at b.org", "Thu May 26 19:05:00 UTC 2016", "x");
	g_assert_cmpstr(m->subject, ==, "Привет");
	larch_msg_free(m);
}

static void
test_entities(void)
{
	static const struct {
		const char *in;
		const char *want;
	} rows[] = {
		{ "&lt;&gt;&amp;&quot;&apos;&#39;", "<>&\"''" },
		{ "&#233;&#xE9;&#XE9;&eacute;&Eacute;", "ééééÉ" },
		{ "&#8212;&mdash;&hellip;&euro;&nbsp;x", "——…€\u00a0x" },
		{ "&#0;&#xD800;&#99999999;", "\ufffd\ufffd\ufffd" },
		{ "&bogus; &amp &#; &#x; & x", "&bogus; &amp &#; &#x; & x" },
		/* An unclosed tag runs to the end, as in a browser. */
		{ "a<b c", "a" },
		{ "1 < 2 <3", "1 < 2 <3" },
		{ "x<BR>y<br/>z", "x\ny\nz" },
		{ "<A HREF=\"u\">link</A> <a href='v'>two</a>", "link two" },
		{ "<!-- comment -->text", "text" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct larch_msg *m = parse_page("utf-8", "s", "n", NEW_HREF,
		    "a at b.org", "Thu May 26 19:05:00 UTC 2016", rows[i].in);

		if (strcmp(m->body, rows[i].want) != 0)
			g_error("row %zu '%s': got '%s'", i, rows[i].in,
			    m->body);
		larch_msg_free(m);
	}
}

static void
test_adversarial(void)
{
	struct larch_pipermail_html_opts o = { .max_text = 100 };
	struct larch_msg *m = NULL;
	const char *why = NULL;
	static const char nul_page[] = "<H1>a\0b</H1><B>n</B>"
	    "<A HREF=\"" NEW_HREF "\">a at b.org</A><I>x</I>"
	    "<!--beginarticle--><PRE>x\0y</PRE>";
	GString *big;

	/* Not an article at all. */
	g_assert_cmpint(larch_pipermail_html_parse("", 0, NULL, &m, &why), ==,
	    LARCH_ERR_PARSE);
	g_assert_null(m);
	g_assert_nonnull(why);
	g_assert_cmpint(larch_pipermail_html_parse("<html><body>hi</body>",
	    21, NULL, &m, &why), ==, LARCH_ERR_PARSE);

	/* Only the marker: an empty message, with a derived id. */
	m = parse_ok("<!--beginarticle-->", 19, NULL);
	g_assert_null(m->subject);
	g_assert_null(m->from_addr);
	g_assert_cmpstr(m->body, ==, "");
	g_assert_cmpint(m->date, ==, 0);
	larch_msg_free(m);

	/* No end marker, an unclosed tag at the end. */
	m = parse_ok("<H1>s</H1><!--beginarticle--><PRE>text <A HREF=\"x",
	    50, NULL);
	g_assert_cmpstr(m->subject, ==, "s");
	g_assert_cmpstr(m->body, ==, "text");
	larch_msg_free(m);

	/* NUL bytes do not cut the page short. */
	m = parse_ok(nul_page, sizeof nul_page - 1, NULL);
	g_assert_cmpstr(m->subject, ==, "a b");
	g_assert_cmpstr(m->body, ==, "x y");
	g_assert_cmpstr(m->mid, ==, "123.abc@example.org");
	larch_msg_free(m);

	/* A huge line is cut to max_text at a character boundary. */
	big = g_string_new("<!--beginarticle--><PRE>");
	for (int i = 0; i < 200000; i++)
		g_string_append(big, "é");
	m = NULL;
	g_assert_cmpint(larch_pipermail_html_parse(big->str, big->len, &o,
	    &m, &why), ==, LARCH_OK);
	g_assert_cmpuint(strlen(m->body), ==, 100);
	g_assert_true(g_utf8_validate(m->body, -1, NULL));
	larch_msg_free(m);
	g_string_free(big, TRUE);

	/* No mailto link: no ids, and another link's text is no address. */
	m = parse_page("utf-8", "s", "n", "http://x/", "a at b.org",
	    "Thu May 26 19:05:00 UTC 2016", "b");
	g_assert_null(m->header_mid);
	g_assert_null(m->in_reply_to);
	g_assert_null(m->from_addr);
	g_assert_cmpstr(m->from_name, ==, "n");
	larch_msg_free(m);

	/* No <B>: the index's "Messages sorted by" is no author; a link
	 * before the mailto one is skipped; raw brackets in the href. */
	{
		static const char p[] = "<H1>s</H1><A HREF=\"http://x/\">home"
		    "</A> <A HREF=\"mailto:l?Subject=Re%3A%20s&In-Reply-To="
		    "<raw@Id.ORG>\">a at b.org</A> <I>Thu May 26 19:05:00 "
		    "UTC 2016</I><UL><LI><B>Messages sorted by:</B></UL>"
		    "<!--beginarticle--><PRE>x</PRE>";

		m = parse_ok(p, sizeof p - 1, NULL);
		g_assert_null(m->from_name);
		g_assert_cmpstr(m->from_addr, ==, "a@b.org");
		g_assert_cmpstr(m->mid, ==, "raw@id.org");
		g_assert_cmpint(m->date, ==, 1464289500);
		larch_msg_free(m);
	}

	/* Bad percent escapes in the link. */
	m = parse_page("utf-8", "s", "n", "mailto:x?Subject=Re%3A%20s"
	    "&In-Reply-To=%3Ca%ZZb%40c%3E", "a at b.org",
	    "Thu May 26 19:05:00 UTC 2016", "b");
	g_assert_nonnull(m->mid);
	larch_msg_free(m);
}

/*
 * A page of many tags and no entity is read in linear time: the next '&'
 * used to be searched for from every tag to the end of the page, so a
 * page of 600,000 <b> tags (1.8 MB) took seconds, a few MB minutes.
 */
static void
test_many_tags(void)
{
	GString *big = g_string_new("<H1>s</H1><!--beginarticle--><PRE>");
	struct larch_msg *m;
	double took;

	for (int i = 0; i < 600000; i++)
		g_string_append(big, "<b>");
	g_string_append(big, "x &amp; y</PRE><!--endarticle-->");
	g_test_timer_start();
	m = parse_ok(big->str, big->len, NULL);
	took = g_test_timer_elapsed();
	g_test_message("600,000 tags: %.3f s", took);
	g_assert_cmpstr(m->body, ==, "x & y");
	g_assert_cmpfloat(took, <, 3.0 * test_time_scale());
	larch_msg_free(m);
	g_string_free(big, TRUE);
}

/* Random bytes spliced into a real page never crash the reader. */
static void
test_mutations(void)
{
	char *p = page("utf-8", "[L] s", "Ann", NEW_HREF, "a at b.org",
	    "Thu May 26 19:05:00 UTC 2016", "<I>&gt;<i> q\n</I>body &amp; x");
	size_t len = strlen(p);
	GRand *r = g_rand_new_with_seed(7);
	static const char bytes[] = "<>&#;\"'=/!-\n\0\xff\xc3";

	for (int n = 0; n < 3000; n++) {
		char *q = g_memdup2(p, len);
		struct larch_msg *m = NULL;
		const char *why = NULL;
		size_t cut = (size_t)g_rand_int_range(r, 0, (gint32)len + 1);

		for (int k = 0; k < 4; k++)
			q[g_rand_int_range(r, 0, (gint32)len)] = bytes[
			    g_rand_int_range(r, 0, sizeof bytes - 1)];
		if (larch_pipermail_html_parse(q, n % 2 ? cut : len, NULL, &m,
		    &why) == LARCH_OK) {
			char *json = larch_record_to_json(m);

			g_assert_true(g_utf8_validate(m->body, -1, NULL));
			g_assert_nonnull(m->mid);
			g_free(json);
		} else {
			g_assert_null(m);
		}
		larch_msg_free(m);
		g_free(q);
	}
	g_rand_free(r);
	g_free(p);
}

/* ---- the fixtures: tests/data/pipermail-html ----------------------- */

static char *
fixture(const char *name)
{
	return g_build_filename(g_getenv("LARCH_TEST_DATA"), "pipermail-html",
	    "policy-forum", "2016-May", name, NULL);
}

static struct larch_msg *
parse_file(const char *path, const char *month)
{
	char *data = NULL;
	gsize len;
	struct larch_msg *m;

	g_assert_true(g_file_get_contents(path, &data, &len, NULL));
	m = parse_ok(data, len, month);
	g_free(data);
	return m;
}

static void
test_fixtures(void)
{
	char *path;
	struct larch_msg *m;

	path = fixture("000000.html");
	m = parse_file(path, "2016-May");
	g_assert_cmpstr(m->mid, ==, "20160526170500.GA1234@example.org");
	g_assert_cmpstr(m->subject, ==,
	    "[Policy-forum] Agenda for the June meeting");
	g_assert_cmpstr(m->from_addr, ==, "ann@example.org");
	g_assert_cmpstr(m->from_name, ==, "Ann Example");
	g_assert_cmpint(m->date, ==, 1464282300);
	g_assert_nonnull(strstr(m->body, "the <draft> & \"final\" versions"));
	g_assert_nonnull(strstr(m->body,
	    "https://wiki.example.org/policy/agenda-2016-06 and"));
	larch_msg_free(m);
	g_free(path);

	path = fixture("000001.html");
	m = parse_file(path, "2016-May");
	g_assert_cmpstr(m->mid, ==, "5746F1A0.3050001@example.fr");
	g_assert_cmpstr(m->from_name, ==, "Benoît Dupré");
	g_assert_true(g_str_has_prefix(m->body, "> Please send agenda"));
	g_assert_nonnull(strstr(m->body, "Réunion à Genève"));
	larch_msg_free(m);
	g_free(path);

	path = fixture("000002.html");
	m = parse_file(path, "2016-May");
	g_assert_cmpstr(m->mid, ==, "c-only@example.net");
	g_assert_nonnull(strstr(m->body, "会议 决定"));
	g_assert_cmpint(m->date, ==, 1464357600);
	larch_msg_free(m);
	g_free(path);

	path = fixture("000003.html");
	m = parse_file(path, "2016-May");
	g_assert_null(m->header_mid);
	g_assert_cmpstr(m->in_reply_to, ==,
	    "20160526170500.GA1234@example.org");
	larch_msg_free(m);
	g_free(path);

	path = fixture("000004.html");
	m = parse_file(path, "2016-May");
	g_assert_null(m->in_reply_to);
	g_assert_nonnull(strstr(m->body, "The café is booked."));
	g_assert_cmpint(m->date, ==, 1464444000);
	larch_msg_free(m);
	g_free(path);
}

/* The splitter hands a page out whole; index pages are not mail. */
static void
test_split(void)
{
	static const struct {
		const char *name;
		enum larch_archive_kind kind;
	} rows[] = {
		{ "000000.html", LARCH_ARCHIVE_PIPERMAIL_HTML },
		{ "000004.html", LARCH_ARCHIVE_PIPERMAIL_HTML },
		{ "date.html", LARCH_ARCHIVE_UNKNOWN },
		{ "thread.html", LARCH_ARCHIVE_UNKNOWN },
		{ "index.html", LARCH_ARCHIVE_UNKNOWN },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		char *path = fixture(rows[i].name), *err = NULL;
		struct larch_split *s = NULL;
		struct larch_split_msg sm;
		struct stat st;

		g_assert_cmpint(larch_split_open(path, 0, NULL, &s, &err), ==,
		    LARCH_OK);
		g_assert_cmpint(larch_split_kind(s), ==, rows[i].kind);
		if (rows[i].kind == LARCH_ARCHIVE_PIPERMAIL_HTML) {
			g_assert_cmpint(stat(path, &st), ==, 0);
			g_assert_cmpint(larch_split_next(s, &sm), ==,
			    LARCH_OK);
			g_assert_cmpint(sm.format, ==,
			    LARCH_FORMAT_PIPERMAIL_HTML);
			g_assert_cmpuint(sm.offset, ==, 0);
			g_assert_cmpuint(sm.length, ==, (uint64_t)st.st_size);
			g_assert_cmpint(larch_split_next(s, &sm), ==,
			    LARCH_DONE);
			g_assert_cmpstr(larch_archive_kind_name(
			    larch_split_kind(s)), ==, "pipermail-html");
		}
		larch_split_close(s);
		g_free(path);
	}
}

/* A real page of twisted-web (Mailman 2.1.5): the text its text archive
 * holds, to the fingerprint. */
static void
test_corpus(void)
{
	char *path = g_build_filename(g_getenv("LARCH_SHARED"), "corpora",
	    "twisted-pipermail", "twisted-web", "2005-July", "001606.html",
	    NULL);
	struct larch_msg *m;
	char *date;

	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_test_skip("../shared/corpora is not there");
		g_free(path);
		return;
	}
	m = parse_file(path, "2005-July");
	g_assert_cmpstr(m->in_reply_to, ==,
	    "7752E043-663E-46DC-9FA9-D6B132BD2D4B@ulaluma.com");
	g_assert_null(m->header_mid);
	g_assert_cmpstr(m->from_addr, ==, "m.milvo@gmail.com");
	g_assert_cmpstr(m->from_name, ==, "Michael M");
	g_assert_cmpstr(m->subject, ==, "[Twisted-web] Error: "
	    "nevow_clientToServerEvent is not defined (Firefox JS Console)");
	date = larch_iso8601(m->date);
	g_assert_cmpstr(date, ==, "2005-07-01T09:04:57Z");
	/* As the text archive's copy of the message. */
	g_assert_cmpstr(m->text_hash, ==, "ab2e40f837c15aa9");
	g_free(date);
	larch_msg_free(m);
	g_free(path);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	larch_fingerprint_init();
	g_test_add_func("/pipermail-html/names", test_names);
	g_test_add_func("/pipermail-html/new-template", test_new_template);
	g_test_add_func("/pipermail-html/old-template", test_old_template);
	g_test_add_func("/pipermail-html/authors", test_authors);
	g_test_add_func("/pipermail-html/dates", test_dates);
	g_test_add_func("/pipermail-html/charsets", test_charsets);
	g_test_add_func("/pipermail-html/entities", test_entities);
	g_test_add_func("/pipermail-html/adversarial", test_adversarial);
	g_test_add_func("/pipermail-html/many-tags", test_many_tags);
	g_test_add_func("/pipermail-html/mutations", test_mutations);
	g_test_add_func("/pipermail-html/fixtures", test_fixtures);
	g_test_add_func("/pipermail-html/split", test_split);
	g_test_add_func("/pipermail-html/corpus", test_corpus);
	return g_test_run();
}
