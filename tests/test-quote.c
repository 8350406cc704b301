/*
 * The quote splitter and its rules.  Besides the unit tests, two modes
 * for tools (they print, so they live here and not in lib/):
 *   test-quote --split-mbox FILE [--segments] [--rules RULES]
 *       parses every message of an archive (mbox, pipermail, gzip'd or
 *       not) and prints one JSON line per message: its index, offset, the
 *       new text that larch_quote_split() finds and its summary, and with
 *       --segments every segment (bench/accuracy-text reads this).
 *       --rules splits with a rules file instead of the built-in rules.
 *   test-quote --sync-builtin [SRCROOT]
 *       copies SRCROOT/conf/quotes.conf into lib/quote_builtin.c as the
 *       built-in rules.
 */
#include <stdio.h>
#include <string.h>
#include <glib.h>

#include "test-util.h"
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "larch/parse.h"
#include "larch/quote.h"
#include "test-quote-util.h"
#include "split.h"
#include "../lib/quote_private.h"

/* ---- the built-in rules are conf/quotes.conf ---------------------------- */

/* Width of one character on screen, for keeping C lines in 80 columns. */
static int
columns(const char *p)
{
	return g_unichar_iswide(g_utf8_get_char(p)) ? 2 : 1;
}

static int
piece_columns(const char *s)
{
	int n = 0;

	for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p))
		n += columns(p);
	return n;
}

/* Ends the current C line; what follows the piece's last blank, when the
 * line is long, moves to the next one. */
static void
flush_piece(GString *out, GString *piece, bool at_space)
{
	char *sp = at_space ? strrchr(piece->str, ' ') : NULL;
	size_t cut = sp != NULL && sp - piece->str >= 20 ?
	    (size_t)(sp - piece->str) + 1 : piece->len;

	g_string_append_printf(out, "\t\"%.*s\"\n", (int)cut, piece->str);
	g_string_erase(piece, 0, (gssize)cut);
}

/* conf as the initialiser of a C char array: one or more string pieces
 * per line, each C line within 79 columns. */
static char *
c_literal(const char *conf, size_t len)
{
	GString *out = g_string_new(NULL);
	GString *piece = g_string_new(NULL);
	char prev = 0;

	for (const char *p = conf; p < conf + len;) {
		const char *next = g_utf8_next_char(p);
		char esc[8];

		if (*p == '\\' || *p == '"')
			g_snprintf(esc, sizeof esc, "\\%c", *p);
		else if (*p == '\t')
			g_snprintf(esc, sizeof esc, "\\t");
		else if (*p == '\n')
			g_snprintf(esc, sizeof esc, "\\n");
		else if (*p == '?' && prev == '?')
			g_snprintf(esc, sizeof esc, "\\?");
		else
			g_snprintf(esc, sizeof esc, "%.*s", (int)(next - p),
			    p);
		if (piece_columns(piece->str) + piece_columns(esc) > 69)
			flush_piece(out, piece, true);
		g_string_append(piece, esc);
		prev = *p;
		if (*p == '\n')
			flush_piece(out, piece, false);
		p = next;
	}
	if (piece->len > 0 || out->len == 0)
		flush_piece(out, piece, false);
	g_string_truncate(out, out->len - 1);
	g_string_append(out, ";\n");
	g_string_free(piece, TRUE);
	return g_string_free(out, FALSE);
}

static const char begin_mark[] = "/* BEGIN quotes.conf */\n";
static const char end_mark[] = "/* END quotes.conf */\n";

static int
sync_builtin(const char *root)
{
	char *conf_path = g_build_filename(root, "conf", "quotes.conf", NULL);
	char *src_path = g_build_filename(root, "lib", "quote_builtin.c", NULL);
	char *conf = NULL, *src = NULL, *lit, *b, *e;
	gsize conf_len, src_len;
	GString *res;
	GError *err = NULL;

	if (!g_file_get_contents(conf_path, &conf, &conf_len, &err) ||
	    !g_file_get_contents(src_path, &src, &src_len, &err)) {
		fprintf(stderr, "test-quote: %s\n", err->message);
		return 1;
	}
	b = strstr(src, begin_mark);
	e = b != NULL ? strstr(b, end_mark) : NULL;
	if (e == NULL) {
		fprintf(stderr, "test-quote: no markers in '%s'\n", src_path);
		return 1;
	}
	lit = c_literal(conf, conf_len);
	res = g_string_new_len(src, b + strlen(begin_mark) - src);
	g_string_append(res, "const char larch_quote_builtin_text[] =\n");
	g_string_append(res, lit);
	g_string_append(res, e);
	if (!g_file_set_contents(src_path, res->str, (gssize)res->len,
	    &err)) {
		fprintf(stderr, "test-quote: %s\n", err->message);
		return 1;
	}
	printf("%s: %zu bytes of rules\n", src_path, (size_t)conf_len);
	return 0;
}

/* ---- the accuracy driver ------------------------------------------------ */

static void
add_segments(JsonBuilder *jb, GPtrArray *segs)
{
	json_builder_set_member_name(jb, "segments");
	json_builder_begin_array(jb);
	for (guint i = 0; i < segs->len; i++) {
		const struct larch_segment *seg = segs->pdata[i];

		json_builder_begin_object(jb);
		json_builder_set_member_name(jb, "kind");
		json_builder_add_string_value(jb,
		    larch_segment_kind_name(seg->kind));
		json_builder_set_member_name(jb, "depth");
		json_builder_add_int_value(jb, seg->depth);
		json_builder_set_member_name(jb, "text");
		json_builder_add_string_value(jb, seg->text);
		json_builder_end_object(jb);
	}
	json_builder_end_array(jb);
}

static int
split_mbox(const char *path, const struct larch_quote_rules *rules,
    bool segments)
{
	struct larch_split *split = NULL;
	struct larch_split_opts sopts = { 64 * 1024 * 1024 };
	struct larch_split_msg sm;
	char *error = NULL;
	enum larch_status st;
	long n = 0;

	larch_parse_init();
	if (larch_split_open(path, 0, &sopts, &split, &error) != LARCH_OK) {
		fprintf(stderr, "test-quote: %s\n", error);
		g_free(error);
		return 1;
	}
	while ((st = larch_split_next(split, &sm)) == LARCH_OK) {
		struct larch_parse_opts popts = { 0 };
		struct larch_msg *msg = NULL;
		const char *why = NULL;
		GPtrArray *segs = g_ptr_array_new_with_free_func(
		    larch_segment_free);
		JsonBuilder *jb = json_builder_new();
		JsonGenerator *gen = json_generator_new();
		JsonNode *root;
		char *text, *summary, *json;

		popts.pipermail = sm.format == LARCH_FORMAT_PIPERMAIL;
		popts.envelope_date = sm.envelope_date;
		popts.envelope_from = sm.envelope_from;
		if (larch_parse_message(sm.data, sm.len, &popts, &msg, &why) ==
		    LARCH_OK && msg->body != NULL)
			larch_quote_split(rules, msg->body,
			    strlen(msg->body), segs);
		text = larch_quote_new_text(segs);
		json_builder_begin_object(jb);
		json_builder_set_member_name(jb, "index");
		json_builder_add_int_value(jb, n++);
		json_builder_set_member_name(jb, "offset");
		json_builder_add_int_value(jb, (gint64)sm.offset);
		json_builder_set_member_name(jb, "new_text");
		json_builder_add_string_value(jb, text);
		summary = larch_quote_summary(text, 200);
		json_builder_set_member_name(jb, "summary");
		json_builder_add_string_value(jb, summary);
		g_free(summary);
		if (segments)
			add_segments(jb, segs);
		json_builder_end_object(jb);
		root = json_builder_get_root(jb);
		json_generator_set_root(gen, root);
		json = json_generator_to_data(gen, NULL);
		printf("%s\n", json);
		g_free(json);
		json_node_unref(root);
		g_object_unref(gen);
		g_object_unref(jb);
		g_free(text);
		g_ptr_array_unref(segs);
		larch_msg_free(msg);
	}
	if (st != LARCH_DONE)
		fprintf(stderr, "test-quote: %s\n", larch_split_error(split));
	larch_split_close(split);
	return st == LARCH_DONE ? 0 : 1;
}

/* ---- splitting ---------------------------------------------------------- */

/*
 * Each row: a text, the segments expected as a string of kind codes (N new,
 * Q<depth> quote, A attribution, W forward, S signature, F footer, X snip)
 * and the new text expected.
 */
struct split_row {
	const char *name;
	const char *text;
	const char *kinds;
	const char *new_text;
};

static const struct split_row split_rows[] = {
	{ "empty", "", "", "" },
	{ "no-newline", "Just one line", "N", "Just one line" },
	{ "blank-only", "\n\n  \n", "", "" },
	{ "only-quotes", "> a\n> b\n", "Q1", "" },
	{ "only-signature", "-- \nMarkus Kummer\nExample Corp\n", "S", "" },
	{ "postscript-after-signature", "Agreed.\n\n-- \nMarkus Kummer\n"
	  "Example Corp\n\nP.S. The minutes are attached.\n", "N S N",
	  "Agreed.\n\nP.S. The minutes are attached." },
	{ "pps-after-phone-line", "Agreed.\n\nSent from my iPhone\n\nPPS: "
	  "and the agenda.\n", "N S N", "Agreed.\n\nPPS: and the agenda." },
	{ "not-postscript-in-signature", "Agreed.\n\n-- \nMarkus Kummer\n"
	  "PSA Group, Paris\nps aux | grep larchd\n", "N S", "Agreed." },
	{ "markup", "<blockquote>not parsed here</blockquote>\n<b>x</b>\n",
	  "N", "<blockquote>not parsed here</blockquote>\n<b>x</b>" },
	{ "crlf-free-text-keeps-lines", "a\n\n\nb\n", "N", "a\n\n\nb" },
	/* Quote markers. */
	{ "depths", "> one\n>> two\n> > two\n>>> three\nnew\n",
	  "Q1 Q2 Q3 N", "new" },
	{ "pipe-quote", "| quoted with a pipe\n| more\n\nreply\n", "Q1 N",
	  "reply" },
	{ "pipe-table", "| a | b |\n| 1 | 2 |\n", "N",
	  "| a | b |\n| 1 | 2 |" },
	{ "mbox-from", ">From the start of the line\n", "N",
	  ">From the start of the line" },
	{ "supercite", "Jp> quoted by Gnus\n\nAnswer.\n", "Q1 N", "Answer." },
	{ "broken-wrap",
	  "On Thu, May 26, 2016 at 7:05 PM, Markus Kummer <m@example.org> "
	  "wrote:\n> This is a long quoted line that the client cut in\n"
	  "two without a marker\n> on the next line.\n\nMy answer.\n",
	  "A Q1 N", "My answer." },
	{ "reply-under-quote",
	  "Markus wrote:\n> Is this the right way to do it?\nYes.\n",
	  "A Q1 N", "Yes." },
	/* Attributions, each language and client. */
	{ "gmail",
	  "Agreed.\n\nOn Thu, May 26, 2016 at 7:05 PM, Markus Kummer "
	  "<markus@example.org> wrote:\n> text\n", "N A Q1", "Agreed." },
	{ "gmail-wrapped",
	  "Agreed.\n\nOn Thu, May 26, 2016 at 7:05 PM, Markus Kummer <\n"
	  "markus@example.org> wrote:\n\n> text\n", "N A Q1", "Agreed." },
	{ "apple",
	  "Sure.\n\nOn 26 May 2016, at 19:05, Markus Kummer "
	  "<markus@example.org> wrote:\n\n> text\n", "N A Q1", "Sure." },
	{ "thunderbird", "On 26/05/2016 19:05, Markus Kummer wrote:\n"
	  "> text\n\nSure.\n", "A Q1 N", "Sure." },
	{ "claws-two-lines", "On Thu, 26 May 2016 19:05:12 +0200\n"
	  "Markus Kummer <markus@example.org> wrote:\n\n> text\n\nSure.\n",
	  "A Q1 N", "Sure." },
	{ "french", "Le jeu. 26 mai 2016 à 19:05, Markus Kummer "
	  "<markus@example.org> a écrit :\n> texte\n\nD'accord.\n",
	  "A Q1 N", "D'accord." },
	{ "german", "Am 26.05.2016 um 19:05 schrieb Markus Kummer:\n"
	  "> Text\n\nGenau.\n", "A Q1 N", "Genau." },
	{ "german-gmail", "Am Do., 26. Mai 2016 um 19:05 Uhr schrieb Markus "
	  "Kummer <markus@example.org>:\n> Text\n\nGenau.\n", "A Q1 N",
	  "Genau." },
	{ "spanish", "El jue, 26 may 2016 a las 19:05, Markus Kummer "
	  "escribió:\n> texto\n\nVale.\n", "A Q1 N", "Vale." },
	{ "russian", "26.05.2016 19:05, Маркус пишет:\n> текст\n\nДа.\n",
	  "A Q1 N", "Да." },
	{ "russian-wrote", "26.05.2016 19:05, Маркус написал(а):\n> текст\n\n"
	  "Да.\n", "A Q1 N", "Да." },
	{ "russian-gmail", "чт, 26 мая 2016 г. в 19:05, Маркус "
	  "<markus@example.org>:\n> текст\n\nДа.\n", "A Q1 N", "Да." },
	{ "chinese", "在 2016年5月26日 19:05，Markus 写道：\n> 文本\n\n"
	  "好的。\n", "A Q1 N", "好的。" },
	{ "chinese-gmail", "Markus <markus@example.org> 于2016年5月26日周四 "
	  "下午7:05写道：\n> 文本\n\n好的。\n", "A Q1 N", "好的。" },
	{ "mutt", "* Markus Kummer <markus@example.org> [2016-05-26 19:05]:\n"
	  "> text\n\nOK.\n", "A Q1 N", "OK." },
	{ "name-wrote", "Markus Kummer wrote:\n> text\n\nOK.\n", "A Q1 N",
	  "OK." },
	{ "gnus", "Markus Kummer <markus@example.org> writes:\n\n> text\n\n"
	  "OK.\n", "A Q1 N", "OK." },
	{ "glued-underscores", "Fine by me.\n___On Thu, May 26, 2016 at 7:05 "
	  "PM, Markus <m@example.org> wrote:\n> text\n", "N A Q1",
	  "Fine by me." },
	{ "glued-text", "Fine by me.On Thu, May 26, 2016 at 7:05 PM, Markus "
	  "<m@example.org> wrote:\n> text\n", "N A Q1", "Fine by me." },
	{ "snip-after-attribution", "Markus wrote:\n[...]\n> text\n\nOK.\n",
	  "A X Q1 N", "OK." },
	{ "prose-not-attribution", "On Monday, Markus wrote:\nthe plan is "
	  "fine, and nobody objected.\n", "N",
	  "On Monday, Markus wrote:\nthe plan is fine, and nobody objected." },
	{ "prose-wrote-at-end", "As Markus wrote:\n\nWe agree.\n", "N",
	  "As Markus wrote:\n\nWe agree." },
	{ "aside-after-attribution", "Markus wrote:\n[long log cut]\n> text"
	  "\n\nOK.\n", "A N Q1 N", "[long log cut]\n\nOK." },
	{ "gmane-address", "Paul <p <at> example.org> writes:\n\n> text\n\n"
	  "OK.\n", "A Q1 N", "OK." },
	/* Posting styles. */
	{ "top-posting", "Yes.\n\nMarkus wrote:\n> Shall we?\n>> Maybe.\n",
	  "N A Q1 Q2", "Yes." },
	{ "interleaved", "Markus wrote:\n> one\n\nanswer one\n\n[snip]\n\n"
	  "> two\n\nanswer two\n\n<snip>\n", "A Q1 N X Q1 N X",
	  "answer one\n\nanswer two" },
	/* Dots alone mark elided quoted text next to a quote only. */
	{ "dots-by-quote", "> one\n\n...\n\n> two\n\nanswer\n",
	  "Q1 X Q1 N", "answer" },
	{ "dots-in-text", "first line\n..\nsecond line\n\n\xe2\x80\xa6\n",
	  "N", "first line\n..\nsecond line\n\n\xe2\x80\xa6" },
	/* Forwarded and original messages. */
	{ "outlook-original", "Yes.\n\n-----Original Message-----\n"
	  "From: Markus [mailto:m@example.org]\nSent: Thursday, May 26, "
	  "2016 7:05 PM\nTo: list@example.org\nSubject: plan\n\nThe plan.\n",
	  "N A W", "Yes." },
	{ "outlook-spaced", "Yes.\n\n----- Original Message -----\nFrom: M\n"
	  "\nThe plan.\n", "N A W", "Yes." },
	{ "outlook-header-block", "Yes.\n\n________________________________\n"
	  "From: Markus <m@example.org>\nSent: Thursday, May 26, 2016\n"
	  "To: list@example.org\nSubject: plan\n\nThe plan.\n", "N A W",
	  "Yes." },
	{ "outlook-french", "Oui.\n\nDe : Markus [mailto:m@example.org]\n"
	  "Envoyé : jeudi 26 mai 2016 19:05\nÀ : liste@example.org\n"
	  "Objet : plan\n\nLe plan.\n", "N A W", "Oui." },
	{ "outlook-german", "Ja.\n\nVon: Markus\nGesendet: Donnerstag, 26. "
	  "Mai 2016 19:05\nAn: liste@example.org\nBetreff: Plan\n\n"
	  "Der Plan.\n", "N A W", "Ja." },
	{ "outlook-spanish", "Sí.\n\nDe: Markus\nEnviado el: jueves, 26 de "
	  "mayo de 2016 19:05\nPara: lista@example.org\nAsunto: plan\n\n"
	  "El plan.\n", "N A W", "Sí." },
	{ "outlook-html-spacing", "Yes.\n\nFrom: Markus\n\nSent: Thursday\n\n"
	  "To: list\n\nSubject: plan\n\nThe plan.\n", "N A W", "Yes." },
	{ "gmail-forward", "FYI\n\n---------- Forwarded message ---------\n"
	  "From: Markus <m@example.org>\nDate: Thu, May 26, 2016\n\nText.\n",
	  "N A W", "FYI" },
	{ "mutt-forward", "FYI\n\n----- Forwarded message from A <a@b.org> "
	  "-----\nDate: Thu\n\nText\n\n----- End forwarded message -----\n",
	  "N A W", "FYI" },
	{ "mutt-forward-then-comment", "FYI\n\n----- Forwarded message from "
	  "A <a@b.org> -----\nDate: Thu\n\nText\n\n----- End forwarded "
	  "message -----\n\nWhat do you think?\n", "N A W N",
	  "FYI\n\nWhat do you think?" },
	{ "mutt-forward-quoted", "FYI\n\n----- Forwarded message from "
	  "A <a@b.org> -----\n\n> From: A <a@b.org>\n> Date: Thu\n>\n> Text\n"
	  "\n----- End forwarded message -----\n", "N A W", "FYI" },
	/* Mew writes the parent's headers over its quoted lines. */
	{ "headers-over-quotes", "From: Ann <ann@example.org>\nSubject: plan"
	  "\nDate: 11 Jun 2002 15:48:02 -0400\n\n> Can you explain?\n\nYes."
	  "\n\n> And the parser?\n\nIt changes.\n", "A Q1 N Q1 N",
	  "Yes.\n\nIt changes." },
	{ "pasted-between-rules", "From the list:\n\n==\nFrom: Ann "
	  "<ann@example.org>\nSubject: birthday\nTo: list@example.org\n\n"
	  "Happy birthday.\n==\n\nIt bothers me.\n", "N A W N",
	  "From the list:\n\nIt bothers me." },
	{ "git-patch-not-forward", "Try this:\n\nFrom 0123456789abcdef012345"
	  "6789abcdef01234567 Mon Sep 17 00:00:00 2001\nFrom: A <a@b.org>\n"
	  "Date: Mon, 1 Jan 2019\nSubject: [PATCH] fix\n\nbody\n", "N",
	  "Try this:\n\nFrom 0123456789abcdef0123456789abcdef01234567 Mon Sep "
	  "17 00:00:00 2001\nFrom: A <a@b.org>\nDate: Mon, 1 Jan 2019\n"
	  "Subject: [PATCH] fix\n\nbody" },
	{ "headers-in-prose", "From: the team\nTo make it work, do this.\n",
	  "N", "From: the team\nTo make it work, do this." },
	/* Signatures. */
	{ "sig-then-attribution", "Yes.\n-- \nMarkus\n\nOn 26/05/2016 19:05, "
	  "Anna wrote:\n> text\n", "N S A Q1", "Yes." },
	{ "sig-weak", "Yes.\n--\nMarkus Kummer\nExample Corp\n", "N S",
	  "Yes." },
	{ "sig-weak-long-block", "Yes.\n--\n1\n2\n3\n4\n5\n6\n7\n", "N",
	  "Yes.\n--\n1\n2\n3\n4\n5\n6\n7" },
	{ "sig-in-quote", "> text\n> -- \n> Markus\n\nreply\n", "Q1 N",
	  "reply" },
	/* The delimiter with the name glued on counts only at the end. */
	{ "sig-glued-name", "Could this be upstreamed first?\n\n-- ynezz\n",
	  "N S", "Could this be upstreamed first?" },
	{ "sig-glued-full-name", "Yes.\n-- Bob Smith\n\n", "N S", "Yes." },
	{ "sig-glued-before-quote", "Yes.\n\n-- ynezz\n\n> On Monday, Anna "
	  "wrote:\n> text\n", "N S Q1", "Yes." },
	{ "sig-glued-mid-text", "We tried\n-- without success --\nagain.\n",
	  "N", "We tried\n-- without success --\nagain." },
	{ "sig-glued-dash-line-mid", "Yes.\n-- ynezz\nmore text\n", "N",
	  "Yes.\n-- ynezz\nmore text" },
	{ "sig-glued-long-line", "Yes.\n-- and that is all I have to say "
	  "about it\n", "N", "Yes.\n-- and that is all I have to say about "
	  "it" },
	{ "iphone", "Yes.\n\nSent from my iPhone\n\n> On 26 May 2016, Anna "
	  "wrote:\n", "N S Q1", "Yes." },
	{ "outlook-android", "Yes.\n\nGet Outlook for Android\n", "N S",
	  "Yes." },
	{ "envoye", "Oui.\n\nEnvoyé de mon iPhone\n", "N S", "Oui." },
	{ "von-meinem", "Ja.\n\nVon meinem iPhone gesendet\n", "N S", "Ja." },
	{ "undelimited-card", "Thanks, works now.\n\nBest regards,\nMarkus\n\n"
	  "Markus Kummer\nSenior Engineer, Example Corp\n", "N S",
	  "Thanks, works now.\n\nBest regards,\nMarkus" },
	{ "card-after-text", "It works now.\n\nMarkus Kummer\nExample Corp\n"
	  "Phone: +1 555 0100\n", "N S", "It works now." },
	{ "html-signoff-blocks", "Works.\n\nBest regards,\n\nAnna Berg\n\n"
	  "Anna Berg\nExample Corp\n", "N S",
	  "Works.\n\nBest regards,\n\nAnna Berg" },
	{ "name-and-motto", "It works.\n\nRebecca\n\n\"Plan to throw one "
	  "away.\"\n", "N S", "It works." },
	{ "footnote-after-signoff", "See [1].\n\nThanks,\nAnna\n\n[1] "
	  "https://example.org/\n", "N",
	  "See [1].\n\nThanks,\nAnna\n\n[1] https://example.org/" },
	{ "prose-after-signoff", "Thank you!\n\nIt would be nice to have it "
	  "fixed too.\n\n/mjt\n", "N", "Thank you!\n\nIt would be nice to "
	  "have it fixed too.\n\n/mjt" },
	{ "list-not-card", "Attendees:\n\nMarkus Kummer\nAnna Berg\n", "N",
	  "Attendees:\n\nMarkus Kummer\nAnna Berg" },
	/* Footers. */
	{ "mailman2", "Yes.\n_______________________________________________\n"
	  "Users mailing list\nUsers@lists.example.org\n"
	  "https://lists.example.org/mailman/listinfo/users\n", "N F",
	  "Yes." },
	{ "mailman3", "Yes.\n\n_______________________________________________"
	  "\nDocs mailing list -- docs@lists.example.org\nTo unsubscribe send "
	  "an email to docs-leave@lists.example.org\n", "N F", "Yes." },
	{ "google-groups", "Yes.\n\n-- \nYou received this message because "
	  "you are subscribed to the Google Groups \"x\" group.\n"
	  "To unsubscribe from this group and stop receiving emails from it, "
	  "send an email "
	  "to x+unsubscribe@googlegroups.com.\nTo view this discussion on the "
	  "web visit https://groups.google.com/d/msgid/x/1.\n", "N F",
	  "Yes." },
	{ "listserv", "Yes.\n\n###########################################"
	  "#############################\n\nTo unsubscribe from the XYZ list, "
	  "click the following link:\nhttps://list.example.org/wa?X=1\n",
	  "N F", "Yes." },
	{ "pipermail-scrubbed", "Yes.\n-------------- next part -------------"
	  "-\nAn HTML attachment was scrubbed...\nURL: <https://example.org/"
	  "a.html>\n", "N F", "Yes." },
	{ "pipermail-non-text", "Yes.\n-------------- next part -------------"
	  "-\nA non-text attachment was scrubbed...\nName: a.pdf\nType: "
	  "application/pdf\nSize: 1 bytes\nDesc: not available\nURL: <x>\n",
	  "N F", "Yes." },
	/* SourceForge's lists: an advertisement between a rule of dashes
	 * and Mailman's footer, ending in a link */
	{ "sourceforge-ad", "Applied.\n\n------------------------------------------------------------------------------\n"
	  "Centralized Desktop Delivery: Dell and VMware Reference\n"
	  "Architecture. Read more!\nhttp://p.sf.net/sfu/dell-eql-dev2dev\n"
	  "_______________________________________________\nE1000-devel "
	  "mailing list\nE1000-devel@lists.example.net\n"
	  "https://lists.example.net/lists/listinfo/e1000-devel\n", "N F",
	  "Applied." },
	{ "sourceforge-ad-inline-link", "Applied.\n------------------------------------------------------------------------------\n"
	  "Check out the vibrant tech community on one of the world's most\n"
	  "engaging tech sites, Slashdot.org! http://sdm.link/slashdot\n"
	  "_______________________________________________\nDev "
	  "mailing list\nDev@lists.example.net\n", "N F", "Applied." },
	/* the author's own rule and lines: no link, or not right above
	 * the footer */
	{ "dashes-before-footer", "Tests pass:\n------------------------------------------------------------------------------\nRan 5 tests in "
	  "0.3s\nOK\n_______________________________________________\n"
	  "Dev mailing list\nDev@lists.example.net\n", "N F",
	  "Tests pass:\n------------------------------------------------------------------------------\nRan 5 tests in 0.3s\nOK" },
	{ "dashes-link-then-text", "See:\n------------------------------------------------------------------------------\nhttp://example.org/log\n\n"
	  "Thanks.\n_______________________________________________\n"
	  "Dev mailing list\nDev@lists.example.net\n", "N F",
	  "See:\n------------------------------------------------------------------------------\nhttp://example.org/log\n\nThanks." },
	{ "quoted-footer", "> text\n> ______________________________________"
	  "_________\n> Users mailing list\n> Users@lists.example.org\n\nOK\n",
	  "Q1 N", "OK" },
	{ "sig-then-footer", "Yes.\n-- \nMarkus\n_____________________________"
	  "__________________\nUsers mailing list\nUsers@lists.example.org\n",
	  "N S F", "Yes." },
};

static void
test_split_row(gconstpointer data)
{
	const struct split_row *row = data;
	GPtrArray *segs = g_ptr_array_new_with_free_func(larch_segment_free);
	char *kinds, *text;

	larch_quote_split(larch_quote_rules_default(), row->text,
	    strlen(row->text), segs);
	kinds = test_quote_kind_codes(segs);
	text = larch_quote_new_text(segs);
	g_assert_cmpstr(kinds, ==, row->kinds);
	g_assert_cmpstr(text, ==, row->new_text);
	g_free(kinds);
	g_free(text);
	g_ptr_array_unref(segs);
}

static void
test_segments(void)
{
	static const char text[] = "Hi.\n\nAnna wrote:\n> one\n>\n> two\n"
	    ">> deep\n-- \nMarkus\n";
	GPtrArray *segs = g_ptr_array_new_with_free_func(larch_segment_free);
	const struct larch_segment *seg;

	/* Segments are appended after what the array already holds. */
	g_ptr_array_add(segs, NULL);
	larch_quote_split(NULL, text, strlen(text), segs);
	g_assert_cmpuint(segs->len, ==, 6);
	seg = segs->pdata[2];
	g_assert_cmpint(seg->kind, ==, LARCH_SEG_ATTRIBUTION);
	g_assert_cmpstr(seg->text, ==, "Anna wrote:");
	seg = segs->pdata[3];
	g_assert_cmpint(seg->kind, ==, LARCH_SEG_QUOTE);
	g_assert_cmpint(seg->depth, ==, 1);
	g_assert_cmpstr(seg->text, ==, "one\n\ntwo");
	seg = segs->pdata[4];
	g_assert_cmpint(seg->depth, ==, 2);
	g_assert_cmpstr(seg->text, ==, "deep");
	seg = segs->pdata[5];
	g_assert_cmpint(seg->kind, ==, LARCH_SEG_SIGNATURE);
	g_assert_cmpstr(seg->text, ==, "-- \nMarkus");
	g_ptr_array_unref(segs);
	g_assert_cmpstr(larch_segment_kind_name(LARCH_SEG_FOOTER), ==,
	    "footer");
	larch_segment_free(NULL);
}

static void
test_huge_line(void)
{
	size_t n = 1024 * 1024;
	GString *s = g_string_new("> quoted\n");
	GPtrArray *segs = g_ptr_array_new_with_free_func(larch_segment_free);
	char *text;

	for (size_t i = 0; i < n; i++)
		g_string_append_c(s, i % 7 == 0 ? ' ' : 'x');
	g_string_append(s, " wrote:\n> quote\n");
	larch_quote_split(NULL, s->str, s->len, segs);
	text = larch_quote_new_text(segs);
	g_assert_cmpuint(strlen(text), ==, n + 7);
	g_free(text);
	g_ptr_array_unref(segs);
	g_string_free(s, TRUE);
}

/* Rules tried at every line start must not rescan the rest of the text:
 * 50000 lines split in linear time. */
static void
test_many_lines(void)
{
	GString *s = g_string_new(NULL);
	GPtrArray *segs = g_ptr_array_new_with_free_func(larch_segment_free);
	char *text;

	for (int i = 0; i < 50000; i++)
		g_string_append_printf(s, i % 10 < 5 ?
		    "line %d of the text\n" : "> quoted line %d\n", i);
	g_test_timer_start();
	larch_quote_split(NULL, s->str, s->len, segs);
	g_assert_cmpfloat(g_test_timer_elapsed(), <, 10.0 * test_time_scale());
	text = larch_quote_new_text(segs);
	g_assert_true(g_str_has_prefix(text, "line 0 of the text\n"));
	g_free(text);
	g_ptr_array_unref(segs);
	g_string_free(s, TRUE);
}

static void
test_bad_bytes(void)
{
	static const char text[] = "caf\xe9\0x\nAnna wrote:\n> \xff\n";
	GPtrArray *segs = g_ptr_array_new_with_free_func(larch_segment_free);
	char *nt;

	larch_quote_split(NULL, text, sizeof text - 1, segs);
	nt = larch_quote_new_text(segs);
	g_assert_true(g_utf8_validate(nt, -1, NULL));
	g_assert_cmpstr(nt, ==, "caf\xef\xbf\xbd\xef\xbf\xbdx");
	g_free(nt);
	g_ptr_array_unref(segs);
}

/* Whole messages in tests/data/quote: NAME.txt and its new text NAME.new. */
static void
test_fixtures(void)
{
	const char *data = g_getenv("LARCH_TEST_DATA");
	char *dir_path;
	GDir *dir;
	const char *name;
	int n = 0;

	if (data == NULL) {
		g_test_skip("LARCH_TEST_DATA is not set");
		return;
	}
	dir_path = g_build_filename(data, "quote", NULL);
	dir = g_dir_open(dir_path, 0, NULL);
	g_assert_nonnull(dir);
	while ((name = g_dir_read_name(dir)) != NULL) {
		GPtrArray *segs;
		char *path, *want_path, *text = NULL, *want = NULL, *got;
		gsize len;

		if (!g_str_has_suffix(name, ".txt"))
			continue;
		path = g_build_filename(dir_path, name, NULL);
		want_path = g_strdup(path);
		strcpy(want_path + strlen(want_path) - 4, ".new");
		g_assert_true(g_file_get_contents(path, &text, &len, NULL));
		g_assert_true(g_file_get_contents(want_path, &want, NULL,
		    NULL));
		segs = g_ptr_array_new_with_free_func(larch_segment_free);
		larch_quote_split(NULL, text, len, segs);
		got = larch_quote_new_text(segs);
		if (strcmp(got, want) != 0)
			g_test_message("%s", name);
		g_assert_cmpstr(got, ==, want);
		g_free(got);
		g_ptr_array_unref(segs);
		g_free(text);
		g_free(want);
		g_free(want_path);
		g_free(path);
		n++;
	}
	g_assert_cmpint(n, >=, 8);
	g_dir_close(dir);
	g_free(dir_path);
}

static gpointer
split_many(gpointer data)
{
	const char *text = data;

	for (int i = 0; i < 200; i++) {
		GPtrArray *segs = g_ptr_array_new_with_free_func(
		    larch_segment_free);
		char *nt;

		larch_quote_split(larch_quote_rules_default(), text,
		    strlen(text), segs);
		nt = larch_quote_new_text(segs);
		g_assert_cmpstr(nt, ==, "Yes.");
		g_free(nt);
		g_ptr_array_unref(segs);
	}
	return NULL;
}

static void
test_threads(void)
{
	static const char text[] = "Yes.\n\nOn 26/05/2016 19:05, Anna wrote:"
	    "\n> text\n-- \nsig\n";
	GThread *t[4];

	for (int i = 0; i < 4; i++)
		t[i] = g_thread_new("split", split_many, (gpointer)text);
	for (int i = 0; i < 4; i++)
		g_thread_join(t[i]);
}

/* ---- rules files ------------------------------------------------------- */

static char *
write_rules(const char *name, const char *text)
{
	char *dir = g_dir_make_tmp("larch-quote-XXXXXX", NULL);
	char *path = g_build_filename(dir, name, NULL);

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	g_free(dir);
	return path;
}

static void
remove_rules(char *path)
{
	char *dir = g_path_get_dirname(path);

	g_unlink(path);
	g_rmdir(dir);
	g_free(dir);
	g_free(path);
}

static const struct {
	const char *text;
	const char *error;	/* after "path:", NULL when it loads */
} rules_rows[] = {
	{ "", NULL },
	{ "# only a comment\n\n", NULL },
	{ "quote >\r\nfooter ^Footer$\r\n", NULL },
	{ "quote >\nfoo bar\n", "2: unknown rule kind 'foo'" },
	{ "\nquote (\n", "2: bad 'quote' pattern: offset 1: missing closing "
	  "parenthesis" },
	{ "  continued\n", "1: continuation line without a rule" },
	{ "snip\n", "1: 'snip' rule without a pattern" },
	{ "snip a\n# comment\n\tb\n", "3: continuation line without a rule" },
	{ "footer (?:a\n\t|b)\n\t(\nquote >\n", "1: bad 'footer' pattern: "
	  "offset 8: missing closing parenthesis" },
	{ "quote \xff\n", "1: bad 'quote' pattern: offset 0: UTF-8 error: "
	  "illegal byte (0xfe or 0xff)" },
};

static void
test_rules_load(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(rules_rows); i++) {
		char *path = write_rules("t.conf", rules_rows[i].text);
		struct larch_quote_rules *rules = NULL;
		char *error = NULL, *want;
		enum larch_status st = larch_quote_rules_load(path, &rules,
		    &error);

		if (rules_rows[i].error == NULL) {
			g_assert_cmpint(st, ==, LARCH_OK);
			g_assert_nonnull(rules);
			g_assert_null(error);
		} else {
			want = g_strdup_printf("%s:%s", path,
			    rules_rows[i].error);
			g_assert_cmpint(st, ==, LARCH_ERR_INVALID);
			g_assert_null(rules);
			g_assert_cmpstr(error, ==, want);
			g_free(want);
		}
		g_free(error);
		larch_quote_rules_free(rules);
		remove_rules(path);
	}
}

static void
test_rules_nul_and_missing(void)
{
	static const char text[] = "quote >\nsnip a\0b\n";
	struct larch_quote_rules *rules = NULL;
	char *error = NULL;

	g_assert_cmpint(larch_quote_rules_parse(text, sizeof text - 1, "x",
	    &rules, &error), ==, LARCH_ERR_INVALID);
	g_assert_cmpstr(error, ==, "x:2: NUL byte");
	g_free(error);
	g_assert_cmpint(larch_quote_rules_load("/nonexistent/q.conf", &rules,
	    &error), ==, LARCH_ERR_IO);
	g_assert_nonnull(strstr(error, "/nonexistent/q.conf: "));
	g_free(error);
	g_assert_cmpint(larch_quote_rules_load("/nonexistent/q.conf", &rules,
	    NULL), ==, LARCH_ERR_IO);
	larch_quote_rules_free(NULL);
}

/* A list's own footer and attribution style, added by a user. */
static void
test_rules_custom(void)
{
	char *path = write_rules("custom.conf",
	    "quote >[ ]?\n"
	    "attribution ^Quoth\\s.*:$\n"
	    "footer ^--8<-- list\n"
	    "\t[\\s\\S]*\n");
	static const char text[] = "Quoth the raven:\n> nevermore\n\nIndeed."
	    "\n--8<-- list footer\nunsubscribe here\n";
	struct larch_quote_rules *rules = NULL;
	char *error = NULL, *kinds, *nt;
	GPtrArray *segs = g_ptr_array_new_with_free_func(larch_segment_free);

	g_assert_cmpint(larch_quote_rules_load(path, &rules, &error), ==,
	    LARCH_OK);
	larch_quote_split(rules, text, strlen(text), segs);
	kinds = test_quote_kind_codes(segs);
	nt = larch_quote_new_text(segs);
	g_assert_cmpstr(kinds, ==, "A Q1 N F");
	g_assert_cmpstr(nt, ==, "Indeed.");
	g_free(kinds);
	g_free(nt);
	g_ptr_array_unref(segs);
	larch_quote_rules_free(rules);
	remove_rules(path);
}

/* The built-in rules are conf/quotes.conf, byte for byte. */
static void
test_rules_builtin(void)
{
	const char *data = g_getenv("LARCH_TEST_DATA");
	char *path, *conf = NULL;
	gsize len;

	g_assert_nonnull(larch_quote_rules_default());
	g_assert_true(larch_quote_rules_default() ==
	    larch_quote_rules_default());
	for (int k = 0; k < LARCH_RULE_COUNT; k++)
		g_assert_cmpuint(larch_quote_rules_default()->rules[k]->len,
		    >, 0);
	if (data == NULL) {
		g_test_skip("LARCH_TEST_DATA is not set");
		return;
	}
	path = g_build_filename(data, "..", "..", "conf", "quotes.conf",
	    NULL);
	g_assert_true(g_file_get_contents(path, &conf, &len, NULL));
	if (strcmp(conf, larch_quote_builtin_text) != 0)
		g_test_message("conf/quotes.conf changed: run "
		    "'build/tests/test-quote --sync-builtin' at the top");
	g_assert_cmpstr(conf, ==, larch_quote_builtin_text);
	g_assert_cmpstr(larch_quote_rule_name(LARCH_RULE_SIGNATURE_WEAK), ==,
	    "signature-weak");
	g_free(conf);
	g_free(path);
}

/* ---- summaries ---------------------------------------------------------- */

static const struct {
	const char *text;
	size_t max;
	const char *summary;
} summary_rows[] = {
	{ "", 200, "" },
	{ "Dear all,\n\nThe meeting is on Monday.", 200,
	  "The meeting is on Monday." },
	{ "Hi Markus,\n\nthanks, it works.\n\nCheers,\nAnna", 200,
	  "thanks, it works." },
	{ "Hi Markus, thanks for the patch.", 200, "thanks for the patch." },
	/* A comma right after the greeting word, full width too. */
	{ "Hi, Adrian\n\nThe build fails.", 200, "The build fails." },
	{ "Hi，Adrian\n\nThe build fails.", 200, "The build fails." },
	{ "Hi Hans!!\nSorry for being cryptic.", 200,
	  "Sorry for being cryptic." },
	{ "Hi!,\nI have 3 DCs.", 200, "I have 3 DCs." },
	{ "Hello, all.\n\nThe build fails.", 200, "The build fails." },
	{ "Hi, I think the build fails on mips.", 200,
	  "I think the build fails on mips." },
	{ "Hi, your solution worked. Thanks.", 200,
	  "your solution worked. Thanks." },
	{ "Hi, I'm using Nevow. How do I start?", 200,
	  "I'm using Nevow. How do I start?" },
	{ "Hi, all. This is my first try.", 200, "This is my first try." },
	{ "Hello, Samba developers! Our team needs help.", 200,
	  "Our team needs help." },
	{ "Hello everyone,\nHere  is\tthe\n\nagenda.", 200,
	  "Here is the agenda." },
	{ "Bonjour à tous,\n\nLa réunion est lundi.", 200,
	  "La réunion est lundi." },
	{ "Hallo zusammen,\n\nDas Treffen ist am Montag.", 200,
	  "Das Treffen ist am Montag." },
	{ "Hola a todos,\n\nLa reunión es el lunes.", 200,
	  "La reunión es el lunes." },
	{ "Здравствуйте,\n\nВстреча в понедельник.", 200,
	  "Встреча в понедельник." },
	{ "大家好，\n\n会议在星期一。", 200, "会议在星期一。" },
	{ "你好像没有收到邮件。", 200, "你好像没有收到邮件。" },
	{ "皆様\n\nお疲れ様です。\n会議は月曜日です。\n\n"
	  "よろしくお願いいたします。\n田中", 200, "会議は月曜日です。" },
	{ "田中さん\n\nありがとうございます。", 200, "ありがとうございます。" },
	{ "안녕하세요,\n\n회의는 월요일입니다.\n\n감사합니다.\n김민수", 200,
	  "회의는 월요일입니다." },
	{ "مرحبا بالجميع،\n\nالاجتماع يوم الاثنين.\n\nمع أطيب التحيات،\nأحمد",
	  200, "الاجتماع يوم الاثنين." },
	{ "שלום לכולם,\n\nהפגישה ביום שני.\n\nתודה,\nדוד", 200,
	  "הפגישה ביום שני." },
	{ "Καλησπέρα σας,\n\nΗ συνάντηση είναι τη Δευτέρα.", 200,
	  "Η συνάντηση είναι τη Δευτέρα." },
	{ "שלום עולם הוא ספר ארוך מאוד שכתבתי בשנה שעברה ואני רוצה לספר עליו",
	  200, "שלום עולם הוא ספר ארוך מאוד שכתבתי בשנה שעברה ואני רוצה לספר "
	  "עליו" },
	{ "Markus,\n\nsee below.", 200, "see below." },
	{ "Hi all,", 200, "Hi all," },
	{ "Thanks,\nAnna", 200, "Thanks, Anna" },
	{ "Greetings,\n\nThe agenda.\n\nGreetings,\nAnna", 200,
	  "The agenda." },
	{ "Hi,\n\nShort.\n\nThanks,\nAnna\nlong line that is no name at all "
	  "and goes on", 200, "Short. Thanks, Anna long line that is no name "
	  "at all and goes on" },
	{ "one two three four five six", 14, "one two three…" },
	{ "one two three four five six", 13, "one two…" },
	{ "Ünïcödé wörds everywhere here", 12, "Ünïcödé…" },
	{ "abcdefghijklmnopqrstuvwxyz", 10, "abcdefghi…" },
	{ "会议在星期一下午三点开始请准时参加", 8, "会议在星期一下…" },
	{ "Встреча в понедельник утром", 15, "Встреча в…" },
	{ "Build 会议在星期一下午三点开始", 12, "Build 会议在星期…" },
	/* Unspaced text ends after a clause's punctuation not far back;
	 * Korean at a space; a cluster stays whole. */
	{ "我们已经收到了完整的报告，并提交给委员会审议", 16,
	  "我们已经收到了完整的报告…" },
	{ "我们已经收到了完整的报告并提交给委员会审议", 16,
	  "我们已经收到了完整的报告并提交…" },
	{ "今後の在り方について、議論を続けます", 12, "今後の在り方について…" },
	{ "인터넷 거버넌스의 미래와 개인정보 보호 정책", 16,
	  "인터넷 거버넌스의 미래와…" },
	{ "家👨\u200d👩\u200d👧\u200d👦", 4, "家…" },
	{ "好👍🏽👍🏽", 3, "好…" },
	{ "好👍🏽👍🏽", 4, "好👍🏽…" },
	{ "旗🇫🇷🇩🇪🇯🇵", 3, "旗…" },
	{ "旗🇫🇷🇩🇪🇯🇵", 4, "旗🇫🇷…" },
	{ "cafe\u0301", 5, "cafe\u0301" },
	{ "cafe\u0301s", 5, "caf…" },
	{ "short", 0, "" },
	{ "short", 1, "…" },
	{ "exactly ten", 11, "exactly ten" },
	{ "Plain words, one, two three", 13, "Plain words…" },
	/* An indented greeting, and a second one on the same line. */
	{ "  Hi Andreas,\n\n  the fix is in.", 200, "the fix is in." },
	{ "Dear Mariana, dear all,\n\nthe agenda.", 200, "the agenda." },
	{ "Hi Anna, hi Bob, the agenda.", 200, "the agenda." },
	/* Not a greeting: a sentence that starts with a greeting word. */
	{ "Hello world programs are short.", 200,
	  "Hello world programs are short." },
	/* A patch: the summary ends at its trailers or its diffstat. */
	{ "Fix the syntax.\n\nFixes: 0123abc (\"old\")\nSigned-off-by: A B "
	  "<a@b.org>\n---\n a/b.c | 2 +-\n 1 file changed", 200,
	  "Fix the syntax." },
	{ "Fix the syntax.\n---\nv2: reworded\n\n package/x/Makefile | 12 "
	  "+++---\n 1 file changed, 7 insertions(+)", 200, "Fix the syntax." },
	/* git send-email's in-body From (and Date) when the sender is not
	 * the author, a stable backport's upstream commit line. */
	{ "From: Qiushi Wu <wu000273@umn.edu>\nDate: Mon, 1 Jun 2020\n\n"
	  "[ Upstream commit 0267ffce562c8bbf9b57ebe0e38445ad04972890 ]\n\n"
	  "Fix a leak.\n\nSigned-off-by: Q W <q@umn.edu>", 200, "Fix a leak." },
	{ "commit 0267ffce562c8bbf9b57ebe0e38445ad04972890 upstream.\n\n"
	  "Fix a leak.", 200, "Fix a leak." },
	/* A patch pasted as git format-patch wrote it: its header is no
	 * summary, and a summary ends where one starts. */
	{ "From 5ab54a6b1fd4c4a721e66727a135b5c03051224e Mon Sep 17 00:00:00 "
	  "2001\nFrom: Ann Lee <ann@example.org>\nDate: Thu, 6 Jun 2019 "
	  "21:28:32 +0300\nSubject: [PATCH 1/1] libubox: add format string\n"
	  " checking to ulog()\nTo: dev@example.org\n\nThis checks the "
	  "format.\n\nSigned-off-by: Ann Lee <ann@example.org>", 200,
	  "This checks the format." },
	{ "Fix code style\n\nFrom 5ab54a6b1fd4c4a721e66727a135b5c03051224e "
	  "Mon Sep 17 00:00:00 2001\nFrom: Ann Lee <ann@example.org>\n"
	  "Subject: [PATCH] x\n\nSigned-off-by: Ann Lee <ann@example.org>",
	  200, "Fix code style" },
	{ "Simpler like this:\n---\nFrom 5ab54a6b1fd4c4a721e66727a135b5c03051224e "
	  "Mon Sep 17 00:00:00 2001\nFrom: Ann Lee <ann@example.org>\n"
	  "Subject: [PATCH] x\n\nSigned-off-by: Ann Lee <ann@example.org>",
	  200, "Simpler like this:" },
	{ "From 5ab54a6b1fd4c4a721e66727a135b5c03051224e Mon Sep 17 00:00:00 "
	  "2001\nFrom: Ann Lee <ann@example.org>\nSubject: [PATCH] x\n\n"
	  "Signed-off-by: Ann Lee <ann@example.org>", 200, "" },
	/* Prose that starts so stays. */
	{ "From: the docs, I read it works.", 200,
	  "From: the docs, I read it works." },
	/* A patch with no description has nothing to summarise. */
	{ "Signed-off-by: A B <a@b.org>", 200, "" },
	{ "Signed-off-by: A B <a@b.org>\n---\n a/b.c | 2 +-\n 1 file changed",
	  200, "" },
	/* Not a diffstat: a "---" line between paragraphs of prose. */
	{ "First part.\n---\nSecond part.", 200, "First part. --- Second part." },
	{ "We discussed who signed-off-by: nobody did.", 200,
	  "We discussed who signed-off-by: nobody did." },
	/* Exactly max characters, then only blanks: all of it; then a
	 * word after the blanks: cut (the text is read only as far as the
	 * cut needs, and a trailing space must not end that early). */
	{ "abcd efghi  \n ", 10, "abcd efghi" },
	{ "abcd efghi  x", 10, "abcd\u2026" },
	{ "abcd efghij", 10, "abcd\u2026" },
};

static void
test_summary(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(summary_rows); i++) {
		char *s = larch_quote_summary(summary_rows[i].text,
		    summary_rows[i].max);

		g_assert_cmpstr(s, ==, summary_rows[i].summary);
		g_assert_cmpuint(g_utf8_strlen(s, -1), <=,
		    summary_rows[i].max);
		g_free(s);
	}
	g_free(larch_quote_summary(NULL, 10));
}

/* What larch_quote_apply() keeps: each quote with the attribution line
 * that introduced it, none for a quote the author's text came between. */
static const struct {
	const char *name;
	const char *body;
	const char *new_text;
	const char *attribution[3];	/* per quote; "" for none */
	guint quotes;
} apply_rows[] = {
	{ "gmail, bottom-posted",
	  "Thanks, agreed.\n\nOn Thu, May 26, 2016 at 7:05 PM, Markus Kummer "
	  "<markus@example.org> wrote:\n> The meeting is on Monday.\n"
	  "> Please bring the agenda.\n",
	  "Thanks, agreed.",
	  { "On Thu, May 26, 2016 at 7:05 PM, Markus Kummer "
	    "<markus@example.org> wrote:" }, 1 },
	{ "french, interleaved",
	  "Le 26 mai 2016 à 19:05, Anne Martin <anne@example.org> a écrit :\n"
	  "> Faut-il reporter la réunion du comité ?\n"
	  "Oui, à la semaine prochaine.\n"
	  "> Et le budget de l'atelier ?\n"
	  "Il est voté.\n",
	  "Oui, à la semaine prochaine.\n\nIl est voté.",
	  { "Le 26 mai 2016 à 19:05, Anne Martin <anne@example.org> a "
	    "écrit :", "" }, 2 },
	{ "no attribution",
	  "> We should meet in Geneva.\nFine with me.\n",
	  "Fine with me.", { "" }, 1 },
};

static void
test_apply_attribution(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(apply_rows); i++) {
		struct larch_msg *m;

		g_test_message("apply: %s", apply_rows[i].name);
		m = test_quote_applied(apply_rows[i].body, NULL);
		g_assert_cmpstr(m->new_text, ==, apply_rows[i].new_text);
		g_assert_cmpuint(m->quotes->len, ==, apply_rows[i].quotes);
		for (guint k = 0; k < m->quotes->len; k++) {
			const struct larch_quote *q = m->quotes->pdata[k];
			const char *want = apply_rows[i].attribution[k];

			g_assert_cmpstr(q->attribution, ==,
			    want[0] != '\0' ? want : NULL);
			/* The line is not in the quote or the new text. */
			if (q->attribution != NULL) {
				g_assert_null(strstr(q->text,
				    q->attribution));
				g_assert_null(strstr(m->new_text,
				    q->attribution));
			}
		}
		larch_msg_free(m);
	}
}

/* The author's full name alone ending their text is a signature; what
 * the From header's display name tells the splitter. */
static const struct {
	const char *name;
	const char *from_name;
	const char *body;
	const char *new_text;
	const char *signature;		/* NULL for none */
} name_rows[] = {
	{ "outlook, top-posted",
	  "Rebecca Brown",
	  "This was fixed in commit 8da4020.\n\nRebecca Brown\n\n"
	  "________________________________\n"
	  "From: Beno\xc3\xaet Durand <benoit@example.org>\n"
	  "Sent: Sunday, April 19, 2009 5:59 AM\n"
	  "To: users@lists.example.org\n"
	  "Subject: Re: [Users] Question about date ranges\n\n"
	  "The mirror has been updated.\n",
	  "This was fixed in commit 8da4020.", "Rebecca Brown" },
	{ "at the end, name written last name first",
	  "Nelson, Karen",
	  "I can reproduce it with the 2.4 branch.\n\nKaren Nelson\n",
	  "I can reproduce it with the 2.4 branch.", "Karen Nelson" },
	{ "a name in a script without case, after a first-name sign-off",
	  "\xe9\xa9\xac\xe9\x9c\x9e",
	  "\xe8\xb0\xa2\xe8\xb0\xa2\xe3\x80\x82\n\n"
	  "\xe9\x9c\x9e\n\n\xe9\xa9\xac\xe9\x9c\x9e\n\n"
	  "-----Original Message-----\nFrom: Anna <anna@example.org>\n"
	  "Sent: Tuesday, December 15, 2015 4:58 PM\n"
	  "To: users@lists.example.org\nSubject: Help\n\nold text\n",
	  "\xe8\xb0\xa2\xe8\xb0\xa2\xe3\x80\x82\n\n\xe9\x9c\x9e",
	  "\xe9\xa9\xac\xe9\x9c\x9e" },
	{ "before a delimited signature",
	  "Rebecca Brown",
	  "Thanks for the fix.\n\nRebecca Brown\n-- \nExample Corp\n",
	  "Thanks for the fix.", "Rebecca Brown\n\n-- \nExample Corp" },
	{ "a first name only is a sign-off",
	  "Susan Myers",
	  "Feedback is very welcome.\n\n-Susan\n",
	  "Feedback is very welcome.\n\n-Susan", NULL },
	{ "the name after a sign-off closes the text",
	  "Anthony Wright",
	  "It works now.\n\nBest regards,\n\nAnthony Wright\n",
	  "It works now.\n\nBest regards,\n\nAnthony Wright", NULL },
	{ "a one-word display name may be a word of text",
	  "Agreed",
	  "I read the proposal twice.\n\nAgreed\n",
	  "I read the proposal twice.\n\nAgreed", NULL },
	{ "someone else's name",
	  "Rebecca Brown",
	  "Please ask the maintainer:\n\nJohn Smith\n",
	  "Please ask the maintainer:\n\nJohn Smith", NULL },
	{ "the name is all the text",
	  "Rebecca Brown",
	  "Rebecca Brown\n\n-----Original Message-----\nFrom: A <a@b.c>\n"
	  "Sent: Monday\nTo: list@example.org\nSubject: x\n\ntext\n",
	  "Rebecca Brown", NULL },
	{ "the answer goes on below the quote",
	  "Rebecca Brown",
	  "> Who owns the release notes?\nSee below.\n\nRebecca Brown\n"
	  "> And the changelog?\nMe too.\n",
	  "See below.\n\nRebecca Brown\n\nMe too.", NULL },
	{ "no display name",
	  NULL,
	  "Done.\n\nRebecca Brown\n",
	  "Done.\n\nRebecca Brown", NULL },
	{ "not on a line of its own",
	  "Rebecca Brown",
	  "Done.\n\nRebecca Brown, release manager\n",
	  "Done.\n\nRebecca Brown, release manager", NULL },
};

static void
test_apply_name_signature(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(name_rows); i++) {
		struct larch_msg *m;

		g_test_message("name signature: %s", name_rows[i].name);
		m = test_quote_applied(name_rows[i].body,
		    name_rows[i].from_name);
		g_assert_cmpstr(m->new_text, ==, name_rows[i].new_text);
		g_assert_cmpstr(m->signature, ==, name_rows[i].signature);
		larch_msg_free(m);
	}
}

/* Inline OpenPGP clear-signed text: the armour is not the author's. */
static const struct {
	const char *name;
	const char *body;
	const char *new_text;
	const char *summary;
	const char *signature;		/* NULL for none */
	const char *quote;		/* the first quote's text, or NULL */
} pgp_rows[] = {
	{ "clear-signed, with a dash-escaped line and a signature",
	  "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA1\n\n"
	  "The ambiguity issue is solved.\n- --with-foo works too.\n\n"
	  "- -- \nAnna\n-----BEGIN PGP SIGNATURE-----\nVersion: GnuPG v1\n\n"
	  "iD8DBQE+abc\n=xyz1\n-----END PGP SIGNATURE-----\n",
	  "The ambiguity issue is solved.\n--with-foo works too.",
	  "The ambiguity issue is solved. --with-foo works too.", "-- \nAnna",
	  NULL },
	{ "quotes inside, footer after",
	  "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
	  "On Monday, Bob wrote:\n> Is it fixed?\n\nYes.\n"
	  "-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n"
	  "_______________________________________________\n"
	  "Dev mailing list\nDev@lists.example.org\n"
	  "https://lists.example.org/mailman/listinfo/dev\n",
	  "Yes.", "Yes.", NULL, "Is it fixed?" },
	{ "a signature block never closed drops the rest",
	  "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA1\n\nYes.\n"
	  "-----BEGIN PGP SIGNATURE-----\n\nabc\n",
	  "Yes.", "Yes.", NULL, NULL },
	{ "armour quoted by a reply stays in the quote",
	  "> -----BEGIN PGP SIGNED MESSAGE-----\n> Hash: SHA1\n>\n> text\n\n"
	  "Agreed.\n", "Agreed.", "Agreed.", NULL,
	  "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA1\n\ntext" },
	{ "the armour named in a sentence is text",
	  "Paste it after -----BEGIN PGP SIGNED MESSAGE----- please.\n",
	  "Paste it after -----BEGIN PGP SIGNED MESSAGE----- please.",
	  "Paste it after -----BEGIN PGP SIGNED MESSAGE----- please.", NULL,
	  NULL },
};

static void
test_apply_pgp(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(pgp_rows); i++) {
		struct larch_msg *m;

		g_test_message("pgp: %s", pgp_rows[i].name);
		m = test_quote_applied(pgp_rows[i].body, "Anna Berg");
		g_assert_cmpstr(m->new_text, ==, pgp_rows[i].new_text);
		g_assert_cmpstr(m->summary, ==, pgp_rows[i].summary);
		g_assert_cmpstr(m->signature, ==, pgp_rows[i].signature);
		if (pgp_rows[i].quote == NULL)
			g_assert_cmpuint(m->quotes->len, ==, 0);
		else
			g_assert_cmpstr(((struct larch_quote *)
			    m->quotes->pdata[0])->text, ==, pgp_rows[i].quote);
		larch_msg_free(m);
	}
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "--split-mbox") == 0) {
		const char *rules_path = NULL;
		bool segments = false;
		struct larch_quote_rules *rules = NULL;
		char *error = NULL;
		int rc;

		for (int i = 3; i < argc; i++) {
			if (strcmp(argv[i], "--segments") == 0)
				segments = true;
			else if (strcmp(argv[i], "--rules") == 0 &&
			    i + 1 < argc)
				rules_path = argv[++i];
		}
		if (rules_path != NULL && larch_quote_rules_load(rules_path,
		    &rules, &error) != LARCH_OK) {
			fprintf(stderr, "test-quote: %s\n", error);
			g_free(error);
			return 1;
		}
		rc = split_mbox(argv[2], rules != NULL ? rules :
		    larch_quote_rules_default(), segments);
		larch_quote_rules_free(rules);
		return rc;
	}
	if (argc >= 2 && strcmp(argv[1], "--sync-builtin") == 0)
		return sync_builtin(argc >= 3 ? argv[2] : ".");
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(split_rows); i++) {
		char *name = g_strdup_printf("/quote/split/%s",
		    split_rows[i].name);

		g_test_add_data_func(name, &split_rows[i], test_split_row);
		g_free(name);
	}
	g_test_add_func("/quote/segments", test_segments);
	g_test_add_func("/quote/huge-line", test_huge_line);
	g_test_add_func("/quote/many-lines", test_many_lines);
	g_test_add_func("/quote/bad-bytes", test_bad_bytes);
	g_test_add_func("/quote/fixtures", test_fixtures);
	g_test_add_func("/quote/threads", test_threads);
	g_test_add_func("/quote/rules/load", test_rules_load);
	g_test_add_func("/quote/rules/nul-and-missing",
	    test_rules_nul_and_missing);
	g_test_add_func("/quote/rules/custom", test_rules_custom);
	g_test_add_func("/quote/rules/builtin", test_rules_builtin);
	g_test_add_func("/quote/summary", test_summary);
	g_test_add_func("/quote/apply/attribution", test_apply_attribution);
	g_test_add_func("/quote/apply/name-signature",
	    test_apply_name_signature);
	g_test_add_func("/quote/apply/pgp", test_apply_pgp);
	return g_test_run();
}
